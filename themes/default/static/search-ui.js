// The search page (/search/): form ⇄ URL ⇄ the static index reader (search/tsunagu-search.js).
// No framework, no dependencies. Without JavaScript the page shows the browse lists instead.
// The form's field names are the URL's parameters, so both are read by one function (fromParams).

const PER_PAGE = 20;
const TYPING_MS = 400; // search as you type, once typing pauses this long

const $ = (id) => document.getElementById(id);
const form = $('search-form');
const [region, muni, age, near, alert, heading, status, summary, ignored, dropped, relax, list, more, count] = [
  'region', 'municipality', 'age', 'near', 'alert', 'results-heading', 'status', 'summary', 'ignored', 'dropped', 'relax', 'list',
  'more', 'count',
].map((id) => $(`search-${id}`));
const muniGroups = [...muni.querySelectorAll('optgroup')];
const MAX_AGE = +age.max; // the form's limit, from the page
const LOCATED = near.closest('fieldset').dataset.located === 'true'; // false where nothing has a position yet
const pageTitle = document.title;

let client, tokens, fc; // the reader, its queryTokens, the manifest's facets
let here = null; // [lat, lon] of 現在地 (or of a shared URL), rounded to about 1 km
let current; // the search on screen
let shown = 0;
let seq = 0; // answers to older searches are dropped
let typing; // the timer of search as you type

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/g; // direction controls: never shown, as in the pages
const cut = (s, n) => Array.from(s).slice(0, n).join('');
const short = (s) => (Array.from(s).length > 30 ? `${cut(s, 30)}…` : s);
const round2 = (x) => Math.round(x * 100) / 100;
const muniOf = (v) => fc.municipalities.find((m) => m.code === v || m.name === v);
const byId = (items, id) => items.find((x) => x.id === id);
const label = (x) => x?.label ?? x?.name ?? '';
const isEmpty = (s) => !(s.q || s.category || s.region || s.municipality || s.care.length || s.age !== null || s.flags.length || s.near);

function make(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

/** A search from URL (or form) parameters, and the values that name nothing, to show as ignored. */
function fromParams(p) {
  if (p.get('category') === 'all') p.delete('category'); // the radio すべての種類, also in a form sent before this script ran
  const s = { q: cut((p.get('q') ?? '').replace(BIDI, '').trim(), 1000), category: '', region: '', municipality: '', care: [], age: null, flags: [], near: null };
  const bad = [];
  const no = (what, v) => bad.push(`${what}「${short(v)}」`);
  for (const [key, items, what] of [['category', fc.categories, '種類'], ['region', fc.regions, '地域']]) {
    const v = p.get(key);
    if (v && byId(items, v)) s[key] = v;
    else if (v) no(what, v);
  }
  const mv = p.get('municipality');
  const m = mv && muniOf(mv);
  if (m && (!s.region || s.region === fc.regions[m.region].id)) [s.municipality, s.region] = [m.code, fc.regions[m.region].id];
  else if (mv) no('市町村', m ? `${m.name}（${label(byId(fc.regions, s.region))}地域の外）` : mv);
  for (const c of p.getAll('care')) {
    if (!byId(fc.care_items, c)) no('ケア', c);
    else if (!s.care.includes(c)) s.care.push(c);
  }
  const a = p.get('age');
  if (a && /^\d{1,2}$/.test(a) && +a <= MAX_AGE) s.age = +a;
  else if (a) no(`年齢（0〜${MAX_AGE}歳）`, a);
  for (const f of fc.flags) {
    const v = p.get(f.id);
    if (v === '1' || v === 'on' || v === 'true') s.flags.push(f.id);
    else if (v && v !== '0') no(f.label, v);
  }
  const n = p.get('near');
  const ll = /^(-?\d{1,2}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)$/.exec(n ?? '');
  if (n && !LOCATED) no('近くを探す場所（位置のわかる掲載がまだないため、近い順に並べられません）', n);
  else if (ll && Math.abs(ll[1]) <= 90 && Math.abs(ll[2]) <= 180) s.near = { lat: round2(+ll[1]), lon: round2(+ll[2]) };
  else if (n && muniOf(n)?.point) s.near = { code: muniOf(n).code };
  else if (n) no('近くを探す場所', n);
  return [s, bad];
}

function toURL(s) {
  const p = new URLSearchParams();
  for (const k of ['q', 'category', 'region', 'municipality']) if (s[k]) p.set(k, s[k]);
  for (const c of s.care) p.append('care', c);
  if (s.age !== null) p.set('age', s.age);
  for (const f of s.flags) p.set(f, '1');
  if (s.near) p.set('near', s.near.code ?? `${s.near.lat},${s.near.lon}`);
  const q = String(p);
  return `${location.pathname}${q ? `?${q}` : ''}`;
}

function readForm() {
  const p = new URLSearchParams(new FormData(form));
  if (p.get('near') === 'here') p.set('near', here.join(','));
  const r = fromParams(p);
  if (age.validity.badInput) r[1].push(`年齢（0〜${MAX_AGE}歳の数字で入れてください）`);
  return r;
}

function writeForm(s) {
  form.elements.q.value = s.q;
  form.elements.category.value = s.category || 'all';
  region.value = s.region;
  fillMunicipalities();
  muni.value = s.municipality;
  for (const c of form.querySelectorAll('[name="care"]')) c.checked = s.care.includes(c.value);
  age.value = s.age ?? '';
  for (const f of fc.flags) if (form.elements[f.id]) form.elements[f.id].checked = s.flags.includes(f.id);
  const ll = s.near?.lat != null && [s.near.lat, s.near.lon];
  if (ll && String(ll) !== String(here)) setHere(ll, 'URLで指定された位置');
  near.value = ll ? 'here' : s.near?.code ?? '';
  countFacets(s);
}

/** The municipality list shows the chosen region's municipalities only. */
function fillMunicipalities() {
  const keep = muni.value;
  muni.replaceChildren(muni.options[0], ...muniGroups.filter((g) => !region.value || g.dataset.region === region.value));
  muni.value = [...muni.options].some((o) => o.value === keep) ? keep : '';
}

function setHere(point, text) {
  here = point;
  let o = near.querySelector('option[value="here"]');
  if (!o) near.options[0].after((o = new Option('', 'here')));
  o.textContent = text;
}

function countFacets(s) {
  const n = [s.category, s.region, s.age !== null].filter(Boolean).length + s.care.length + s.flags.length;
  $('search-facets-count').textContent = n ? `（${n}件の条件を選択中）` : '';
}

const km = (d) => (d < 1 ? '1 km 未満' : `約 ${d < 10 ? d.toFixed(1) : Math.round(d)} km`);
const names = (ids, items) => ids.map((id) => label(byId(items, id))).join('・');

function describe(s) {
  const parts = [
    s.q && `キーワード「${short(s.q)}」`,
    label(byId(fc.categories, s.category)),
    s.municipality ? muniOf(s.municipality).name : s.region && `${label(byId(fc.regions, s.region))}地域`,
    s.care.length && `${names(s.care, fc.care_items)}のすべてに対応`,
    s.age !== null && `${s.age}歳を受け入れ`,
    names(s.flags, fc.flags),
    s.near && `${s.near.code ? `${muniOf(s.near.code).name}の位置` : '指定した位置（現在地）'}から近い順`,
  ].filter(Boolean);
  return parts.length ? `条件：${parts.join('、')}` : '';
}

/** The list pages' card with `{key}` placeholders (card.html, rendered into the page). */
const CARD = $('search-card').content.firstElementChild;
/** A care item of a card (the last item of the list may be 「ほか」). */
const CARE_ITEM = '.badges > li:not(.more)';
/** Care items a card lists before 「ほか n 項目」: as many as the template shows. */
const CARE_SHOWN = CARD.querySelectorAll(CARE_ITEM).length;

/** Replaces `{key}` in the texts and attributes under `node`; values stay text, never markup. */
function fill(node, values) {
  const sub = (s) => s.replace(/\{(\w+)\}/g, (m, k) => (Object.hasOwn(values, k) ? values[k] : m));
  const walk = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = node; n; n = walk.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) n.data = sub(n.data);
    else for (const a of n.attributes) a.value = sub(a.value);
  }
}

/** One item of the template's list `cls` per label (at most `max`, then 「ほか」); without any, the list and its label (the paragraph before it) go. */
function fillList(art, cls, labels, key, max = Infinity) {
  const proto = art.querySelector(cls);
  const ul = proto.parentElement;
  const more = ul.querySelector('.more');
  if (!labels.length) {
    ul.previousElementSibling.remove();
    return ul.remove();
  }
  // The template's spacing between items, kept so that the text reads as on the list pages.
  const gap = proto.previousSibling?.nodeType === Node.TEXT_NODE ? proto.previousSibling.data : '';
  ul.replaceChildren();
  for (const text of labels.slice(0, max)) {
    const li = proto.cloneNode(true);
    fill(li, { [key]: text });
    ul.append(gap, li);
  }
  if (labels.length > max) ul.append(gap, more);
  if (more) more.textContent = more.textContent.replace(/\d+/, labels.length - max);
}

/** One result, as the list pages show it: the template filled, the parts it lacks removed. */
function card(h) {
  const art = CARD.cloneNode(true);
  const [y, m, d] = h.verified.split('-').map(Number);
  const ages = h.age_min === h.age_max ? `${h.age_min}歳` : `${h.age_min}〜${h.age_max}歳`;
  fill(art, {
    id: h.id,
    name: h.name,
    category: label(h.category),
    place: label(h.municipality),
    ages,
    phone: h.phone ?? '',
    tel: (h.phone ?? '').replace(/[^0-9+]/g, ''),
    verified: h.verified,
    verified_ja: `${y}年${m}月${d}日`,
  });
  const drop = (cls, gone) => gone && art.querySelector(cls).remove();
  const unknownAges = h.age_min == null || h.age_max == null;
  drop('.card-ages', unknownAges);
  drop('.card-ages-unknown', !unknownAges);
  drop('.card-tel', !h.phone);
  drop('.badge-stale', !h.stale);
  const dist = art.querySelector('.card-distance');
  if (h.distance_km == null) dist.remove();
  else {
    dist.textContent = km(h.distance_km);
    if (h.approx) dist.append(make('span', 'card-approx', '（市町村の位置で計算した目安）'));
  }
  // The care items asked for come first: the card shows it accepts them.
  const care = [...h.care].sort((a, b) => current.care.includes(b.id) - current.care.includes(a.id));
  fillList(art, CARE_ITEM, care.map(label), 'care', CARE_SHOWN);
  fillList(art, '.chips > li', h.flags.map(label), 'flag');
  const li = make('li');
  li.append(art);
  return li;
}

function showIgnored(bad) {
  ignored.hidden = !bad.length;
  ignored.textContent = `次の条件は見つからないため無視しました: ${bad.join('、')}`;
}

function fail(err) {
  console.warn('search failed', err);
  status.textContent = '';
  alert.textContent = navigator.onLine === false
    ? 'インターネットにつながっていないため、検索できませんでした。つながる所で、もう一度「探す」を押してください。'
    : '検索できませんでした。ページを再読み込みしてから、もう一度お試しください。種類や地域の一覧からも探せます。';
}

/** The reader's query of a search. */
function query(s, offset, limit) {
  const near = s.near?.code ? muniOf(s.near.code).point : s.near && [s.near.lat, s.near.lon];
  return { ...s, text: s.q, near, limit, offset };
}

/** Runs the reader; undefined when it failed or a newer search started meanwhile. */
async function ask(s, offset, limit) {
  const my = ++seq;
  try {
    const res = await client.search(query(s, offset, limit));
    if (my === seq) return res;
  } catch (e) {
    if (my === seq) fail(e);
  }
}

/** Each condition of `s` that can be taken away alone: what it is, and `s` without it. */
function conditions(s) {
  const without = (patch, what) => [what, { ...s, ...patch }];
  const out = [];
  if (s.q) out.push(without({ q: '' }, `キーワード「${short(s.q)}」`));
  if (s.category) out.push(without({ category: '' }, `種類「${label(byId(fc.categories, s.category))}」`));
  if (s.municipality) out.push(without({ municipality: '' }, `市町村「${muniOf(s.municipality).name}」`));
  else if (s.region) out.push(without({ region: '' }, `地域「${label(byId(fc.regions, s.region))}」`));
  for (const c of s.care) out.push(without({ care: s.care.filter((x) => x !== c) }, `ケア「${label(byId(fc.care_items, c))}」`));
  if (s.age !== null) out.push(without({ age: null }, `年齢「${s.age}歳」`));
  for (const f of s.flags) out.push(without({ flags: s.flags.filter((x) => x !== f) }, `「${label(byId(fc.flags, f))}」`));
  return out.filter(([, t]) => !isEmpty(t));
}

/**
 * After a search found nothing: the conditions that, taken away alone, give results, with how
 * many and a link that does it (most results first). The index files are those the search has
 * loaded already, or fewer.
 */
async function suggest(s) {
  const my = seq;
  const options = conditions(s);
  if (!options.length) return;
  let totals;
  try {
    totals = await Promise.all(options.map(([, t]) => client.search(query(t, 0, 0)).then((r) => r.total)));
  } catch {
    return; // the search itself worked; a hint is only a hint
  }
  if (my !== seq) return;
  const found = options.map(([what, t], i) => [what, t, totals[i]]).filter((x) => x[2] > 0).sort((a, b) => b[2] - a[2]);
  relax.replaceChildren();
  if (!found.length) {
    relax.append(make('p', '', '条件を1つ外しても見つかりませんでした。「条件をすべて消す」を押して、探し直してください。'));
  } else {
    relax.append(make('p', '', `条件を1つ外すと見つかります。いちばん多いのは、${found[0][0]}を外したときです。`));
    const ul = make('ul', 'relax-list');
    for (const [what, t, n] of found) {
      const a = make('a', '', `${what}を外して探す（${n}件）`);
      a.href = toURL(t);
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        writeForm(t);
        run(t, [], { push: true, focus: true });
      });
      const li = make('li');
      li.append(a);
      ul.append(li);
    }
    relax.append(ul);
  }
  relax.hidden = false;
}

/**
 * Records search `s` in the history: `push` a new entry; `live` (a change as it is made) a new
 * entry after a searched one, then the same entry while the changes go on, so Back returns to
 * the search before them.
 */
function record(s, { push, live, limit }) {
  const editing = history.state?.live === true;
  if (toURL(s) === location.pathname + location.search) {
    if (push && editing) history.replaceState({ ...history.state, live: false }, '');
  } else if (live && editing) history.replaceState({ shown: limit, live }, '', toURL(s));
  else if (push || live) history.pushState({ shown: limit, live }, '', toURL(s));
}

async function run(s, bad, { push = false, live = false, focus = false, limit = PER_PAGE, scroll = null } = {}) {
  record(s, { push, live, limit });
  current = s;
  alert.textContent = '';
  more.hidden = true;
  dropped.hidden = relax.hidden = true;
  count.textContent = '';
  showIgnored(bad);
  countFacets(s);
  summary.textContent = describe(s);
  document.title = s.q ? `「${short(s.q)}」の検索結果 | ${pageTitle}` : pageTitle;
  list.replaceChildren();
  if (isEmpty(s)) {
    // Said aloud only when someone pressed 探す; on arrival it is a plain hint.
    status.textContent = '';
    (push ? status : summary).textContent = 'キーワードを入れるか条件を選んで、「探す」を押してください。';
    return;
  }
  status.textContent = '探しています…';
  const res = await ask(s, 0, limit);
  if (!res) return;
  showIgnored([...bad, ...res.ignored]);
  if (res.dropped.length) {
    dropped.textContent = `すべてのことばに当てはまる掲載はありませんでした。「${res.dropped.map(short).join('」「')}」を除いて探した結果です。`;
    dropped.hidden = false;
  }
  list.append(...res.hits.map(card));
  shown = res.hits.length;
  announce(res.total, s);
  count.textContent = `${res.total}件`;
  if (!res.total) suggest(s);
  if (scroll != null) scrollTo(0, scroll);
  else if (focus) heading.focus();
}

function announce(total, s) {
  more.hidden = shown >= total;
  status.textContent = total
    ? `${total}件見つかりました${s.near ? '（近い順）' : ''}。${shown < total ? `${shown}件を表示しています。` : ''}`
    : s.q && !tokens(s.q).length
      ? '記号や絵文字だけでは探せません。事業所の名前や地名、ケアの名前などのことばを入れてください。'
      : '見つかりませんでした。条件を減らすか、ほかのことばで探してみてください。';
}

async function showMore() {
  const res = await ask(current, shown, PER_PAGE);
  if (!res) return;
  const first = shown;
  list.append(...res.hits.map(card));
  shown += res.hits.length;
  history.replaceState({ ...history.state, shown }, '');
  announce(res.total, current);
  list.children[first]?.querySelector('a')?.focus();
}

function submit() {
  clearTimeout(typing);
  const [s, bad] = readForm();
  run(s, bad, { push: true, focus: true });
}

function restore(focus) {
  const [s, bad] = fromParams(new URLSearchParams(location.search));
  const st = history.state ?? {};
  writeForm(s);
  run(s, bad, { focus: focus && !isEmpty(s) && st.y == null, limit: Math.max(PER_PAGE, st.shown ?? 0), scroll: st.y });
}

function locate() {
  const say = (text, error = false) => {
    $('search-geo-status').textContent = text;
    $('search-geo-status').classList.toggle('is-error', error);
  };
  const other = '「市町村の位置から」で市町村を選んでください。';
  if (!navigator.geolocation) return say(`このブラウザでは現在地を使えません。${other}`, true);
  say('現在地を調べています…');
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      setHere([round2(pos.coords.latitude), round2(pos.coords.longitude)], '現在地');
      near.value = 'here';
      say('現在地から近い順に並べました。');
      submit();
    },
    (err) => say(err.code === 1
      ? `現在地の利用が許可されませんでした。ブラウザや端末の設定で位置情報を許可するか、${other}`
      : `現在地がわかりませんでした。もう一度押すか、${other}`, true),
    { timeout: 20000, maximumAge: 600000 },
  );
}

async function start() {
  $('search-fallback').hidden = true;
  $('search-app').hidden = false;
  if (matchMedia('(min-width: 48rem)').matches) $('search-facets').open = true;
  history.scrollRestoration = 'manual';
  const lists = () => {
    form.hidden = $('search-results').hidden = $('search-nojs').hidden = true;
    $('search-fallback').hidden = false;
  };
  if (typeof DecompressionStream !== 'function') {
    // The index files are deflated; a browser from before 2023 cannot read them. Reloading
    // would not help: the browse lists instead.
    alert.textContent = 'このブラウザーでは検索を使えません。種類や地域の一覧から探してください。';
    lists();
    return;
  }
  try {
    const reader = await import('./search/tsunagu-search.js');
    client = new reader.SearchClient({ base: new URL('./search/', import.meta.url).href });
    tokens = reader.queryTokens;
    fc = (await client.manifest()).facets;
  } catch (e) {
    fail(e); // the form cannot work; the browse lists still do
    lists();
    return;
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
  });
  // Conditions apply as they change, and the keyword once typing pauses; 探す stays for
  // keyboards, screen readers and the URL's history.
  const live = () => {
    const [s, bad] = readForm();
    run(s, bad, { live: true });
  };
  form.elements.q.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(live, TYPING_MS);
  });
  form.addEventListener('change', (ev) => {
    if (ev.target === region) fillMunicipalities();
    if (ev.target === form.elements.q) return; // searched as it was typed
    if (ev.target === age && age.validity.badInput) return countFacets(readForm()[0]);
    if (ev.target !== near || near.value !== 'here') live();
  });
  $('search-geo').addEventListener('click', locate);
  more.addEventListener('click', showMore);
  $('search-clear').addEventListener('click', () => {
    const [s] = fromParams(new URLSearchParams());
    writeForm(s);
    $('search-geo-status').textContent = '';
    run(s, [], { push: true });
    form.elements.q.focus();
  });
  addEventListener('popstate', () => restore(false));
  addEventListener('pagehide', () => history.replaceState({ ...history.state, y: scrollY }, ''));
  restore(true);
}

start();
