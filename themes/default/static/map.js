// The maps of an entry page (where the listing is) and of a municipality's list (where the
// page's listings are, behind 「地図で見る」), on the site's tiles (site.toml `[map]`), drawn by
// Leaflet, which this module loads only when a map is shown (pages without one load none of it).
// Without JavaScript an entry page's links to OpenStreetMap and to the phone's map app, and the
// list itself, do the same. With tiles turned off, blocked or unreachable (offline), a map still
// shows its markers over a plain background with the municipalities' points and names
// (map/site.json), so that a family can see what is near.

const root = new URL('./', import.meta.url);

/** Loads a stylesheet or classic script of the site; resolves when it has loaded. */
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

let loading = null;
/** The site's map settings and Leaflet, loaded once; with `clusters`, Leaflet.markercluster too. */
async function ready(clusters = false) {
  loading ??= Promise.all([
    fetch(new URL('map/site.json', root)).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`map/site.json: HTTP ${r.status}`)))),
    load('link', 'vendor/leaflet/leaflet.css'),
    load('script', 'vendor/leaflet/leaflet.js'),
  ]).then(([site]) => site);
  const site = await loading;
  if (clusters)
    await Promise.all([
      load('link', 'vendor/markercluster/MarkerCluster.css'),
      load('script', 'vendor/markercluster/leaflet.markercluster.js'),
    ]);
  return site;
}

/** Text as HTML (Leaflet's tooltips and attribution are HTML; the site's words are text), as a link to `href` if given. */
function html(text, href) {
  const el = document.createElement(href ? 'a' : 'span');
  el.textContent = text;
  if (!href) return el.innerHTML;
  el.href = href;
  return el.outerHTML;
}

/**
 * A map in `box` with the site's tiles, or, without any, the municipalities around `view`
 * (`widen`: zoomed out far enough to show some; a list's map keeps its listings in view).
 */
function baseMap(site, box, view, widen) {
  const L = globalThis.L;
  const map = L.map(box, { scrollWheelZoom: false, zoomControl: false });
  view(map);
  // Markers and clusters are buttons to the keyboard (Leaflet gives them the role and focus):
  // Enter and Space press them.
  box.addEventListener('keydown', (e) => {
    if ((e.key !== 'Enter' && e.key !== ' ') || !e.target.classList.contains('leaflet-marker-icon')) return;
    e.preventDefault();
    e.stopPropagation();
    e.target.click();
  });
  L.control.zoom({ zoomInTitle: '拡大', zoomOutTitle: '縮小' }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
  let places = null;
  const showPlaces = () => {
    if (places) return;
    box.classList.add('no-tiles');
    if (widen && map.getZoom() > 11) map.setZoom(11, { animate: false });
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
  return map;
}

/** A marker named `name` that takes the keyboard. */
function pin(at, name, press) {
  const L = globalThis.L;
  return L.marker(at, {
    icon: L.divIcon({ className: 'map-pin', iconSize: [22, 22], iconAnchor: [11, 22], tooltipAnchor: [0, -22], popupAnchor: [0, -22] }),
    title: name,
    alt: name,
    keyboard: true,
  }).on('click', press);
}

/** A region for a map, after `where`. */
function mapBox(label, where) {
  const box = document.createElement('div');
  box.className = 'site-map';
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', label);
  where.after(box);
  return box;
}

/** The entry page's map: its point is in the page's `geo:LAT,LON` link. */
async function entryMap(link) {
  const [lat, lon] = link.getAttribute('href').slice(4).split(',').map(Number);
  const name = document.querySelector('main h1')?.textContent.trim() ?? '';
  const site = await ready();
  const box = mapBox(`${name}の場所の地図`, link.closest('dl'));
  const map = baseMap(site, box, (m) => m.setView([lat, lon], 14), true);
  pin([lat, lon], `${name}（押すと拡大します）`, () => map.setView([lat, lon], Math.max(map.getZoom() + 2, 16)))
    .bindTooltip(html(name), { permanent: true, direction: 'top', className: 'map-name' })
    .addTo(map);
}

/**
 * A municipality's list: 「地図で見る」 shows the page's listings that have coordinates (each
 * list's `data-points`, in the order of its cards); a marker opens the listing's card, the same
 * one as the list's.
 */
function listMap(lists) {
  const shown = lists.flatMap((ul) => {
    const points = ul.dataset.points.split(';');
    return [...ul.children].flatMap((li, i) => {
      const at = points[i] ? points[i].split(',').map(Number) : null;
      const card = li.querySelector('.card');
      return at && card ? [{ at, card, name: card.querySelector('.card-title')?.textContent.trim() ?? '' }] : [];
    });
  });
  if (!shown.length) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button-secondary map-toggle';
  button.textContent = `地図で見る（このページの${shown.length}件）`;
  button.setAttribute('aria-expanded', 'false');
  const first = lists[0].closest('section') ?? lists[0];
  first.before(button);
  let box = null;
  button.addEventListener('click', async () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? '地図を閉じる' : `地図で見る（このページの${shown.length}件）`;
    if (box) {
      box.hidden = !open;
      return;
    }
    const site = await ready(true);
    const L = globalThis.L;
    box = mapBox('このページの掲載の地図', button);
    box.classList.add('list-map');
    button.setAttribute('aria-controls', (box.id = 'list-map'));
    const bounds = L.latLngBounds(shown.map((s) => s.at));
    const map = baseMap(site, box, (m) => m.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }), false);
    // Listings close together are one cluster, named by its count; pressing it zooms in.
    const clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      iconCreateFunction: (c) => {
        const n = c.getChildCount();
        c.options.title = `${n}件（押すと拡大します）`;
        return L.divIcon({ html: String(n), className: 'map-cluster', iconSize: [36, 36] });
      },
    });
    for (const s of shown) {
      const card = s.card.cloneNode(true);
      card.querySelectorAll('[id]').forEach((el) => el.removeAttribute('id'));
      const marker = pin(s.at, s.name, () => clusters.zoomToShowLayer(marker, () => marker.openPopup()));
      marker.bindPopup(card, { maxWidth: 320, minWidth: 220, maxHeight: Math.min(280, box.clientHeight - 120) });
      clusters.addLayer(marker);
    }
    map.addLayer(clusters);
  });
}

const geo = document.querySelector('main a.map-link[href^="geo:"]');
const lists = [...document.querySelectorAll('main ul.cards[data-points]')];
const shown = geo ? entryMap(geo) : Promise.resolve(lists.length && listMap(lists));
shown.catch((e) => console.warn('tsunagu map:', e.message));
