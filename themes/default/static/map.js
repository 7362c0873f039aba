// An entry page's map: where the listing is, on the site's tiles (site.toml `[map]`), drawn by
// Leaflet, which this module loads only here (pages without a map load none of it). Without
// JavaScript the page's links to OpenStreetMap and to the phone's map app do the same. With tiles
// turned off, blocked or unreachable (offline), the map still shows the listing over a plain
// background with the municipalities' points and names (map/site.json), so that a family can see
// what it is near.

const root = new URL('./', import.meta.url);
// The listing's point, from the page's link to the phone's map app (`geo:LAT,LON`).
const link = document.querySelector('main a.map-link[href^="geo:"]');

/** Loads a stylesheet or classic script of the site once; resolves when it has loaded. */
function load(tag, path) {
  return new Promise((resolve, reject) => {
    const el = document.createElement(tag);
    el.addEventListener('load', resolve);
    el.addEventListener('error', () => reject(new Error(`${path} did not load`)));
    if (tag === 'link') Object.assign(el, { rel: 'stylesheet', href: new URL(path, root).href });
    else Object.assign(el, { src: new URL(path, root).href });
    document.head.append(el);
  });
}

/** Text as HTML (Leaflet's tooltips and attribution are HTML; the site's words are text), as a link to `href` if given. */
function html(text, href) {
  const el = document.createElement(href ? 'a' : 'span');
  el.textContent = text;
  if (!href) return el.innerHTML;
  el.href = href;
  return el.outerHTML;
}

async function show() {
  const [lat, lon] = link.getAttribute('href').slice(4).split(',').map(Number);
  const name = document.querySelector('main h1')?.textContent.trim() ?? '';
  const [site] = await Promise.all([
    fetch(new URL('map/site.json', root)).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`map/site.json: HTTP ${r.status}`)))),
    load('link', 'vendor/leaflet/leaflet.css'),
    load('script', 'vendor/leaflet/leaflet.js'),
  ]);
  const L = globalThis.L;
  const box = document.createElement('div');
  box.className = 'entry-map';
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', `${name}の場所の地図`);
  link.closest('dl').after(box);
  const map = L.map(box, { scrollWheelZoom: false, zoomControl: false }).setView([lat, lon], 14);
  L.control.zoom({ zoomInTitle: '拡大', zoomOutTitle: '縮小' }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
  let places = null;
  // The municipalities around the listing, their points and names, once: the background when
  // there are no tiles.
  const showPlaces = () => {
    if (places) return;
    box.classList.add('no-tiles');
    map.setView([lat, lon], Math.min(map.getZoom(), 11));
    const around = map.getBounds().pad(0.5);
    places = L.layerGroup(
      site.places
        .filter((p) => around.contains([p.lat, p.lon]))
        .map((p) =>
          L.circleMarker([p.lat, p.lon], { radius: 4, weight: 1, color: '#5c5c5c', fillOpacity: 0.6, interactive: false })
            .bindTooltip(html(p.name), { permanent: true, direction: 'right', className: 'map-place', interactive: false }),
        ),
    ).addTo(map);
  };
  if (site.tiles) {
    // Without any tile (blocked, offline): the plain background. One failed tile among others
    // that came is left as it is.
    let loaded = false;
    L.tileLayer(site.tiles.url, { attribution: html(site.tiles.attribution, site.tiles.attribution_url), maxZoom: 19 })
      .on('tileload', () => (loaded = true))
      .on('tileerror', () => loaded || showPlaces())
      .addTo(map);
    if (!navigator.onLine) showPlaces();
  } else showPlaces();
  const closer = () => map.setView([lat, lon], Math.max(map.getZoom() + 2, 16));
  const marker = L.marker([lat, lon], {
    icon: L.divIcon({ className: 'map-pin', iconSize: [22, 22], iconAnchor: [11, 22], tooltipAnchor: [0, -22] }),
    title: `${name}（押すと拡大します）`,
    alt: name,
    keyboard: true,
  })
    .bindTooltip(html(name), { permanent: true, direction: 'top', className: 'map-name' })
    .on('click', closer)
    .addTo(map);
  // A button to the keyboard (Leaflet gives it the role): Enter and Space press it.
  marker.getElement().addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    closer();
  });
}

if (link) show().catch((e) => console.warn('tsunagu map:', e.message));
