// tsunagu's browser search reader, one ES module with no dependencies once built: the site's copy
// (search/tsunagu-search.js) is text.js and this file joined by the build, which drops the two
// lines that name text.js. Index: format 5 of docs/search-index-format.md, ranked exactly as
// `tsunagu search` (search-index/src/search.rs): same candidates, same f64 sums in the same order,
// same tie-breaks.

import { exactKey, isBlank, queryParts, queryTokens, siteWords, synonymsOf, TOKENIZER_VERSION } from './text.js';
export { exactKey, indexTokens, normalize, queryParts, queryTokens, siteWords, synonymsOf, TOKENIZER_VERSION, UNICODE_SEPARATORS } from './text.js';

const FORMAT = 5;
const EARTH_RADIUS_KM = 6371.0088;

// `tsunagu build` writes the site's copy of this module with the manifest (search/manifest.json)
// here, so a query needs no request for it. This source, and a copy that reloads after a stale
// file, fetch the manifest instead. The build replaces exactly this line.
const BUILT_MANIFEST = null;

// ---- distances ---------------------------------------------------------------------------------

const RAD = Math.PI / 180;

/** Haversine in km of latitude and longitude differences (degrees) and the product of the latitudes' cosines. */
function haversine(dLat, dLon, cos) {
  const s1 = Math.sin((dLat * RAD) / 2);
  const s2 = Math.sin((dLon * RAD) / 2);
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(s1 * s1 + cos * s2 * s2)));
}

/** Haversine distance in km, written operation for operation as `distance_km` in search.rs. */
export const distanceKm = (a, b) => haversine(b[0] - a[0], b[1] - a[1], Math.cos(a[0] * RAD) * Math.cos(b[0] * RAD));

/** Distances are compared at millimetre precision, as `round_distance` in search.rs. */
const roundDistance = (d) => Math.round(d * 1e6) / 1e6;

/** A lower bound of `distanceKm(p, x)` for x in the box [s, w, n, e], lowered for rounding error. */
function boxLowerBound(p, [s, w, n, e]) {
  const dLat = p[0] < s ? s - p[0] : p[0] > n ? p[0] - n : 0;
  let dLon = p[1] < w ? w - p[1] : p[1] > e ? p[1] - e : 0;
  dLon = Math.min(dLon % 360, 360 - (dLon % 360));
  const cosMin = Math.max(0, Math.min(Math.cos(s * RAD), Math.cos(n * RAD)));
  return haversine(dLat, dLon, Math.max(0, Math.cos(p[0] * RAD)) * cosMin) * (1 - 1e-9) - 1e-5;
}

// ---- files -------------------------------------------------------------------------------------

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, c) => {
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
/** CRC-32 (IEEE) of bytes. */
function crc32(bytes) {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** FNV-1a (32 bits) of a key's UTF-8 bytes: its bucket is this modulo the manifest's `buckets`. */
export function fnv1a(key) {
  let h = 0x811c9dc5;
  for (const b of encoder.encode(key)) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/** An error that a stale cache explains (a missing or changed file): reload the manifest. */
class Stale extends Error {}
const formatError = (what) => new Error(`tsunagu search: ${what} is not a valid search index file`);

/** A reader over bytes: `v()` a varint, `s()` a string, `b()` a byte. */
function cursor(bytes, p, name) {
  const fail = () => {
    throw formatError(name);
  };
  const r = {
    bytes,
    p,
    fail,
    v() {
      let v = 0;
      for (let shift = 1; ; shift *= 128) {
        if (r.p >= bytes.length || shift > 2 ** 49) fail();
        const x = bytes[r.p++];
        v += (x & 127) * shift;
        if (x < 128) return v;
      }
    },
    b: () => (r.p < bytes.length ? bytes[r.p++] : fail()),
    s() {
      const n = r.v();
      if (r.p + n > bytes.length) fail();
      return decoder.decode(bytes.subarray(r.p, (r.p += n)));
    },
  };
  return r;
}

/** The body of a sealed file, which is stored deflated (raw, RFC 1951); else a stale file. */
async function inflate(res, url) {
  try {
    const body = res.body ?? new Blob([await res.arrayBuffer()]).stream();
    return new Uint8Array(await new Response(body.pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer());
  } catch {
    throw new Stale(`tsunagu search: ${url} is not a deflated index file`);
  }
}

/** Checks a sealed file (magic, format, …, CRC-32 of the rest) and returns a cursor after its header. */
function unseal(bytes, magic, name) {
  const n = bytes.length - 4;
  if (n < 5 || decoder.decode(bytes.subarray(0, 4)) !== magic || bytes[4] !== FORMAT) throw formatError(name);
  const crc = (bytes[n] | (bytes[n + 1] << 8) | (bytes[n + 2] << 16) | (bytes[n + 3] << 24)) >>> 0;
  if (crc32(bytes.subarray(0, n)) !== crc) throw new Stale(`tsunagu search: ${name} does not match its checksum`);
  return cursor(bytes.subarray(0, n), 5, name);
}

/** Decoders of the encodings of display record fields (the manifest's `record`); `optional` is the value + 1, 0 for none (null). */
const FIELDS = { string: (c) => c.s(), varint: (c) => c.v(), optional: (c, v = c.v()) => (v ? v - 1 : null) };

/** A reader of display records laid out as the manifest's `record` says: each an object by field name. */
function recordReader(layout) {
  const fields = layout.map(([name, encoding]) => [name, FIELDS[encoding]]);
  return (c) => {
    const r = {};
    for (const [name, read] of fields) r[name] = read(c);
    return r;
  };
}

/** Display records after their document numbers (the first absolute, then differences), by document. */
function shownRecords(c, record) {
  const shown = new Map();
  for (let k = c.v(), d = 0; k > 0; k--) shown.set((d += c.v()), record(c));
  return shown;
}

/** Reads term bucket `number`: its display records by document, and each key's entry offset. */
function parseBucket(bytes, name, number, m, record) {
  const c = unseal(bytes, 'TSGB', name);
  const count = c.v();
  const cells = m.ranges.length * m.facets.categories.length;
  const bucket = { c, keys: new Map(), shown: shownRecords(c, record), terms: new Map(), number, cells, display: [m.display, m.display_long] };
  for (let j = 0; j < count; j++) {
    const key = c.s();
    bucket.keys.set(key, [c.p, j]);
    entry(bucket, c.p, j, false);
  }
  if (c.p !== c.bytes.length) c.fail();
  return bucket;
}

/**
 * The entry at `p` of the bucket's term `j`, decoded (`decode` false only moves the cursor past
 * it): `docs` (sorted Uint32Array) and, for tokens, `max`, `lv` (levels in document order, 0
 * where not loaded yet), `t0` (non-zero where the level is in the bucket: tier 0), for a long
 * term `bounds` (per cell, the largest level not in the bucket), `rest` (the name of its rest
 * files, one per category: `${rest}-${category}.bin`) and `cats` (once needed, each posting's
 * category), and for a term of more documents than its bucket shows `show` (its shown file, which
 * may not exist when the bucket shows all its cell pages).
 */
function entry(bucket, p, j, decode) {
  const { c, number, cells, display } = bucket;
  c.p = p;
  const n = c.v();
  const kind = c.b();
  if (kind > 3) c.fail();
  const t = { docs: decode ? new Uint32Array(n) : null, lv: null, max: 0, bounds: null, rest: null };
  if (kind & 1) {
    const base = c.v();
    const len = c.v();
    let k = 0;
    for (let i = 0; decode && i < len; i++) {
      const b = c.bytes[c.p + i];
      for (let bit = 0; b >> bit && k < n; bit++) if ((b >> bit) & 1) t.docs[k++] = base + i * 8 + bit;
    }
    c.p += len;
    if (decode && k !== n) c.fail();
  } else
    for (let i = 0, d = 0; i < n; i++) {
      d += c.v();
      if (decode) t.docs[i] = d;
    }
  if (kind & 2) {
    if (decode) t.max = new DataView(c.bytes.buffer, c.bytes.byteOffset + c.p, 4).getFloat32(0, true);
    c.p += 4;
    const k = c.v();
    if (k === n) {
      if (decode) t.t0 = t.lv = c.bytes.slice(c.p, c.p + n);
      c.p += n;
    } else {
      if (decode) t.lv = new Uint8Array(n);
      for (let i = 0, x = 0; i < k; i++) {
        x += c.v();
        const level = c.b();
        if (decode) t.lv[x] = level;
      }
      if (decode) {
        t.t0 = t.lv.slice();
        t.rest = `${number}r${j}`;
        t.bounds = c.bytes.slice(c.p, c.p + cells);
      }
      c.p += cells;
    }
    if (decode && n > display[t.rest ? 1 : 0]) t.show = `${number}s${j}.bin`;
  }
  if (c.p > c.bytes.length) c.fail();
  return t;
}

/** A key's term, decoded once (see `entry`). An absent key has no documents. */
function term(bucket, key) {
  const at = bucket?.keys.get(key);
  if (at === undefined) return { docs: new Uint32Array(0), lv: new Uint8Array(0), max: 0, bounds: null, rest: null };
  if (!bucket.terms.has(key)) bucket.terms.set(key, entry(bucket, at[0], at[1], true));
  return bucket.terms.get(key);
}

/** Fills a term's levels of category `c` from its rest file for `c` (those not in the bucket, in document order). */
function complete(t, c, rest, name) {
  let j = 0;
  for (let i = 0; i < t.lv.length; i++) if (!t.lv[i] && t.cats[i] === c) t.lv[i] = rest[j++];
  if (j !== rest.length || rest.includes(0)) throw formatError(name);
}

/** The cell (municipality × categories + category) of each of `docs` (sorted), from the manifest's ranges. */
function cellsOf(ranges, C, docs) {
  const out = new Uint32Array(docs.length);
  let m = 0;
  let c = 0;
  for (let i = 0; i < docs.length; i++) {
    // Documents are ordered by cell: move forward to the cell that holds docs[i].
    while (m < ranges.length && docs[i] >= ranges[m][c + 1]) if (++c === C) (c = 0), m++;
    out[i] = m * C + c;
  }
  return out;
}

/** The first index of sorted `a` whose value is at least `x`. */
function lowerBound(a, x) {
  let lo = 0;
  for (let hi = a.length; lo < hi; ) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether document `d` is on its cell's page in term `t` (its first `cell_page` by level, then
 * document): its shown file has those, or its bucket. Tier 0 holds every posting that ranks before them.
 */
function onCellPage(t, d, { ranges, cell_page }, C) {
  const cell = cellsOf(ranges, C, [d])[0];
  const row = ranges[Math.floor(cell / C)];
  const p = lowerBound(t.docs, d);
  const l = t.docs[p] === d ? t.t0[p] : 0;
  if (!l || !row) return false;
  let before = 0;
  for (let i = lowerBound(t.docs, row[cell % C]), end = lowerBound(t.docs, row[(cell % C) + 1]); i < end; i++)
    if (t.t0[i] > l || (t.t0[i] === l && t.docs[i] < d)) before++;
  return before < cell_page;
}

/** Positions in `docs` (sorted) of each of `cand` (sorted, a subset). */
function positions(cand, docs) {
  const pos = new Int32Array(cand.length);
  for (let i = 0, j = 0; i < cand.length; i++) {
    while (docs[j] < cand[i]) j++;
    pos[i] = docs[j] === cand[i] ? j : -1;
  }
  return pos;
}

/** Members of any of sorted `lists`, sorted, each once. */
function union(lists) {
  if (lists.length === 1) return lists[0];
  const seen = new Set();
  for (const l of lists) for (const d of l) seen.add(d);
  return Uint32Array.from(seen).sort();
}

/** Members of sorted `a` also in sorted `b`. */
function intersect(a, b) {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else (out[n++] = a[i]), i++, j++;
  }
  return out.subarray(0, n);
}

const absent = (v) => v === undefined || v === null || v === '';
const list = (v) => (absent(v) ? [] : Array.isArray(v) ? v : [v]).filter((x) => !absent(x)).map(String);
const count = (v, fallback) => {
  const n = absent(v) ? NaN : Number(v);
  return n >= 0 ? Math.floor(n) : fallback;
};

/** The manifest built into this module, if `base` is the module's own directory. */
function builtManifest(base) {
  try {
    return BUILT_MANIFEST && new URL(base).href === new URL('./', import.meta.url).href ? BUILT_MANIFEST : null;
  } catch {
    return null;
  }
}

/** `m` if it is a manifest this reader reads, else a clear error. */
function checked(m, name) {
  if (!m || m.format !== FORMAT || m.tokenizer !== TOKENIZER_VERSION)
    throw new Error(
      `tsunagu search: index format ${m && m.format}, tokenizer ${m && m.tokenizer}; this reader reads format ${FORMAT}, tokenizer ${TOKENIZER_VERSION}`,
    );
  const f = m.facets || {};
  const lists = [m.geo, m.ranges, m.record, f.categories, f.regions, f.municipalities, f.care_items, f.services, f.flags, f.bbox, f.words, f.synonyms];
  const sizes = [m.buckets, m.docs_per_shard, m.geo_per_chunk, m.display, m.display_long, m.cell_page, m.max_age];
  const fields = lists.every(Array.isArray) && m.record.every((x) => Array.isArray(x) && Object.hasOwn(FIELDS, x[1]));
  const keys = ['exact', 'care', 'service', 'flag', 'age', 'age_unknown'].every((k) => typeof m.keys?.[k] === 'string');
  const synonyms = lists.every(Array.isArray) && f.synonyms.every((x) => typeof x?.term === 'string' && Array.isArray(x.words));
  if (!(m.docs >= 0 && sizes.every((n) => n > 0) && typeof m.dir === 'string' && fields && keys && synonyms)) throw formatError(name);
  // From here on, `facets.words` are all the tokenizer's site words.
  return { ...m, facets: { ...f, words: siteWords(f.words, f.synonyms) } };
}

/**
 * A query read against the manifest: facet indexes (-1: none), the filter keys (care items,
 * flags), the keys of the age (its own, and its companion of listings without ages), `near`, the
 * page (`offset`, `end`), the text and its tokens; values that name nothing are listed in `ignored`.
 */
function parseQuery(query, m) {
  const q = typeof query === 'string' ? { text: query } : query || {};
  const f = m.facets;
  const ignored = [];
  const find = (items, value, what, match = (x) => x.id === value) => {
    if (absent(value)) return -1;
    value = String(value);
    const i = items.findIndex(match);
    if (i < 0) ignored.push(`${what}=${value}`);
    return i;
  };
  const category = find(f.categories, q.category, 'category');
  const region = find(f.regions, q.region, 'region');
  const mv = absent(q.municipality) ? '' : String(q.municipality);
  const municipality = find(f.municipalities, mv, 'municipality', (x) => x.name === mv || x.code === mv);
  const filterKeys = [];
  for (const [items, values, what, prefix] of [
    [f.care_items, q.care, 'care', m.keys.care],
    [f.flags, q.flags, 'flag', m.keys.flag],
  ])
    for (const v of list(values)) {
      const i = find(items, v, what);
      if (i >= 0) filterKeys.push(prefix + i);
    }
  let ageKeys = [];
  if (!absent(q.age)) {
    const age = Number(q.age);
    if (Number.isInteger(age) && age >= 0) ageKeys = [m.keys.age + age, m.keys.age + Math.min(age, m.max_age) + m.keys.age_unknown];
    else ignored.push(`age=${q.age}`);
  }
  let near = null;
  if (!absent(q.near)) {
    const p = Array.isArray(q.near) ? q.near.map((x) => (absent(x) ? NaN : Number(x))) : [];
    if (p.length === 2 && p.every(Number.isFinite)) near = p;
    else ignored.push(`near=${q.near}`);
  }
  const offset = count(q.offset, 0);
  const text = absent(q.text) ? '' : String(q.text);
  const tokens = queryTokens(text, f.words);
  return { ignored, category, region, municipality, filterKeys, ageKeys, near, offset, end: offset + count(q.limit, 10), text, tokens };
}

/** Per manifest's facets, the labels of care items and services as query tokens. */
const labelTokens = new WeakMap();

/**
 * What a query looks up besides its filter keys: the tokens of its groups (`words`), each
 * group's alternatives as indexes into them, the keys of the care items and services it names
 * (a group's alternative is the label's tokens: those listings rank first), with the groups that
 * name each, and each key's bucket (a care item's or service's key lives with its label's first
 * token).
 */
function keysOf(p, m) {
  const f = m.facets;
  const syn = synonymsOf(f.synonyms, f.words);
  const groups = syn.groups(p.tokens);
  const words = [...new Set(groups.flat(2))];
  if (!labelTokens.has(f))
    labelTokens.set(f, [f.care_items, f.services].map((items) => items.map((c) => queryTokens(c.label, f.words))));
  const [care, services] = labelTokens.get(f);
  const labels = [[m.keys.care, care], [m.keys.service, services]];
  const labelHome = (k) => {
    const [prefix, items] = labels.find(([x]) => k.startsWith(x)) ?? [];
    return prefix && items[+k.slice(prefix.length)]?.[0];
  };
  // An age's companion key lives with the age's key.
  const { age, age_unknown: unknown } = m.keys;
  const ageHome = (k) => (k.startsWith(age) && k.endsWith(unknown) ? k.slice(0, -unknown.length) : k);
  const named = new Map(); // key → indexes of the groups that name it
  groups.forEach((g, n) => {
    for (const [prefix, items] of labels) for (const i of syn.named([g], items)) named.set(prefix + i, [...(named.get(prefix + i) ?? []), n]);
  });
  return {
    words,
    groups,
    alternatives: groups.map((g) => g.map((alt) => alt.map((x) => words.indexOf(x)))),
    named,
    home: (k) => fnv1a(syn.home(labelHome(k) || ageHome(k))) % m.buckets,
  };
}

const all = (lists) => lists.sort((a, b) => a.length - b.length).reduce((x, y) => intersect(x, y));

/** The documents of a group: of one of its alternatives (each: of all its tokens). */
const groupDocs = (g, scored) => union(g.map((alt) => all(alt.map((k) => scored[k].docs))));

/**
 * Candidates: documents of every group (of one of its alternatives) in `alternatives`, filter
 * key and, when an age is asked for, of one of its two keys (rarest first), within the ranges of
 * the municipality, region and category filters (documents are ordered by them).
 */
function candidates(m, { category, region, municipality }, { scored, filters, ages }, alternatives) {
  const f = m.facets;
  const C = f.categories.length;
  const sets = [
    ...alternatives.map((g) => groupDocs(g, scored)),
    ...filters.map((t) => t.docs),
    ...(ages.length ? [union(ages.map((t) => t.docs))] : []),
  ];
  const spans = [];
  m.ranges.forEach((r, i) => {
    if ((municipality < 0 || i === municipality) && (region < 0 || f.municipalities[i].region === region))
      spans.push(category < 0 ? [r[0], r[C]] : [r[category], r[category + 1]]);
  });
  if (!sets.length) {
    const every = [];
    for (const [a, b] of spans) for (let d = a; d < b; d++) every.push(d);
    return Uint32Array.from(every);
  }
  const cand = all(sets);
  return municipality >= 0 || region >= 0 || category >= 0 ? cand.filter((d) => spans.some(([a, b]) => d >= a && d < b)) : cand;
}

/**
 * When no candidate has every group: the best partial match, as `fallback` in search.rs. The
 * query's words are its whitespace-separated parts; a document matches a word when it matches
 * each group that starts in it (a group is in the first part whose tokens hold its first token).
 * Kept are the words of the largest set some candidate matches exactly; among sets as large, the
 * one most candidates match, then the one that keeps earlier words. Returns the kept groups'
 * indexes and the dropped words as typed, or null when the query has one word or none matches.
 */
function fallback(m, p, t) {
  const parts = queryParts(p.text, m.facets.words);
  const partOf = t.groups.map((g) => Math.max(0, parts.findIndex(([, tokens]) => tokens.includes(g[0][0]))));
  const used = [...new Set(partOf)].sort((a, b) => a - b);
  const n = used.length;
  if (n < 2) return null;
  const bit = (k) => 2 ** (n - 1 - k);
  const masks = new Map();
  used.forEach((part, k) => {
    for (const d of candidates(m, p, t, t.alternatives.filter((_, g) => partOf[g] === part))) masks.set(d, (masks.get(d) ?? 0) + bit(k));
  });
  const sets = new Map();
  for (const mask of masks.values()) sets.set(mask, (sets.get(mask) ?? 0) + 1);
  const ones = (x) => x.toString(2).replaceAll('0', '').length;
  let best = -1;
  for (const [mask, c] of sets)
    if (best < 0 || ones(mask) > ones(best) || (ones(mask) === ones(best) && (c > sets.get(best) || (c === sets.get(best) && mask > best))))
      best = mask;
  if (best < 0) return null;
  const kept = (part) => Math.floor(best / bit(used.indexOf(part))) % 2 === 1;
  return {
    groups: t.groups.flatMap((_, g) => (kept(partOf[g]) ? [g] : [])),
    dropped: used.filter((part) => !kept(part)).map((part) => parts[part][0]),
  };
}

/**
 * The candidates' scores and ranks. Per group the best of its alternatives (each its tokens'
 * values summed in order), the groups' summed in query order, then the exact name's. A level not
 * loaded yet counts as the largest such level of its cell: an upper bound (f64 addition and max
 * are monotonic); `partial[i * K + k]` marks term k's level of candidate i as such, and
 * `rescore()` recomputes after rest files are loaded. `rank`, the first sort key, as `ranker`
 * in search.rs: one per named care item or service the candidate accepts or offers, and when an
 * age is asked for, more than all of those when the candidate states its ages.
 */
function scoring(m, cand, { scored, words, alternatives, ranks, ages }) {
  const total = cand.length;
  const rank = new Uint16Array(total);
  const weighted = ages.length ? [...ranks.map((t) => [t, 1]), [ages[0], ranks.length + 1]] : ranks.map((t) => [t, 1]);
  for (const [t, w] of weighted) positions(cand, t.docs).forEach((p, i) => p >= 0 && (rank[i] += w));
  const cellOf = scored.some((t) => t.bounds) ? cellsOf(m.ranges, m.facets.categories.length, cand) : null;
  const K = scored.length;
  const score = new Float64Array(total);
  const partial = new Uint8Array(total * K);
  const values = scored.map(() => new Float64Array(total));
  const rescore = () => {
    partial.fill(0);
    scored.forEach((t, k) => {
      const v = values[k].fill(NaN);
      const pos = positions(cand, t.docs);
      for (let i = 0; i < total; i++) {
        if (pos[i] < 0) continue;
        let l = t.lv[pos[i]];
        if (!l) (l = t.bounds[cellOf[i]]), (partial[i * K + k] = 1);
        v[i] = (l * t.max) / 255;
      }
    });
    for (let i = 0; i < total; i++) {
      alternatives.forEach((g, n) => {
        let best = NaN;
        for (const alt of g) {
          let sum = values[alt[0]][i];
          for (let j = 1; j < alt.length; j++) sum += values[alt[j]][i];
          if (sum === sum && !(best >= sum)) best = sum;
        }
        score[i] = n ? score[i] + best : best;
      });
      if (K > words.length && values[K - 1][i] === values[K - 1][i]) score[i] += values[K - 1][i];
    }
  };
  rescore();
  return { score, rank, partial, cellOf, K, rescore };
}

export class SearchClient {
  /** @param {{base: string, fetch?: typeof fetch}} options `base`: URL of the `search/` directory. */
  constructor({ base, fetch } = {}) {
    this.base = String(base ?? '').replace(/\/?$/, '/');
    this.#fetch = fetch || ((...a) => globalThis.fetch(...a));
  }

  #fetch;
  /** The manifest's promise (null until asked for, or after a failure or a stale file). */
  #manifest = null;
  /** The built-in manifest was used or passed over: from now on, fetch `manifest.json`. */
  #fetched = false;
  /** Files below the manifest's content-named directory, by path, parsed. */
  #files = new Map();

  async #get(path, init, stale = true) {
    const url = this.base + path;
    let res;
    try {
      res = await this.#fetch(url, init);
    } catch (e) {
      throw new Error(`tsunagu search: cannot fetch ${url}: ${e && e.message}`);
    }
    if (!res.ok) throw new (stale ? Stale : Error)(`tsunagu search: ${url}: HTTP ${res.status}`);
    return res;
  }

  /**
   * The manifest, loaded once: the one built into this module when `base` is the module's own
   * directory, else `manifest.json` (revalidated with the server: its name never changes). After
   * a stale file, always `manifest.json`.
   */
  manifest() {
    if (!this.#manifest) {
      const built = this.#fetched ? null : builtManifest(this.base);
      this.#fetched = true;
      const p = (this.#manifest = built
        ? Promise.resolve().then(() => checked(built, 'tsunagu-search.js'))
        : this.#get('manifest.json', { cache: 'no-cache' }, false).then(async (res) => {
            const m = await res.json().catch(() => {
              throw formatError('manifest.json');
            });
            return checked(m, 'manifest.json');
          }));
      p.catch(() => {
        if (this.#manifest === p) this.#manifest = null;
      });
    }
    return this.#manifest;
  }

  /** A file of the index directory (inflated unless `deflated` is false), loaded and parsed once; failures are not cached. */
  #load(m, name, parse, deflated = true) {
    const path = `${m.dir}/${name}`;
    let p = this.#files.get(path);
    if (!p) {
      const url = this.base + path;
      p = this.#get(path).then(async (res) => parse(deflated ? await inflate(res, url) : new Uint8Array(await res.arrayBuffer()), url));
      this.#files.set(path, p);
      p.catch(() => this.#files.delete(path));
    }
    return p;
  }

  /** A fixed-size part (display shard, coordinate chunk) with `expected` records, else a stale file. */
  #part(m, name, expected, parse, deflated = true) {
    const whole = (bytes, url) => {
      let value;
      try {
        value = parse(bytes, url);
      } catch {}
      if (!Array.isArray(value) || value.length !== expected) throw new Stale(`tsunagu search: ${url} does not match the manifest`);
      return value;
    };
    return this.#load(m, name, whole, deflated);
  }

  /**
   * Runs a query: `{text, category, region, municipality, care, age, flags, near, limit, offset}`.
   * Returns `{total, hits, ignored}`. Bad input never throws; network and format errors do.
   */
  async search(query = {}) {
    const m = await this.manifest();
    try {
      return await this.#run(query, m);
    } catch (e) {
      if (!(e instanceof Stale)) throw e;
      // A stale cache after a redeploy: reload the manifest once (unless another query did).
      if ((await this.#manifest?.catch(() => null)) === m) this.#manifest = null;
      const fresh = await this.manifest();
      try {
        return await this.#run(query, fresh);
      } catch (e2) {
        throw e2 instanceof Stale ? new Error(`${e2.message} (after reloading the manifest)`) : e2;
      }
    }
  }

  async #run(query, m) {
    const p = parseQuery(query, m);
    // Text with nothing searchable in it (symbols, emoji) finds nothing; blank text lists.
    if (!p.tokens.length && !isBlank(p.text)) return { total: 0, hits: [], ignored: p.ignored, dropped: [] };
    let t = await this.#terms(m, p, keysOf(p, m));
    let cand = candidates(m, p, t, t.alternatives);
    let dropped = [];
    const kept = !cand.length && p.tokens.length ? fallback(m, p, t) : null;
    if (kept) {
      // The kept groups alone, without the exact name, ranked by the items they name.
      dropped = kept.dropped;
      const alternatives = kept.groups.map((g) => t.alternatives[g]);
      const ranks = t.namedBy.flatMap((by, i) => (by.some((g) => kept.groups.includes(g)) ? [t.ranks[i]] : []));
      t = { ...t, scored: t.scored.slice(0, t.words.length), alternatives, ranks };
      cand = candidates(m, p, t, alternatives);
    }
    const s = scoring(m, cand, t);
    let order; // indexes into cand, in result order (at least up to `end`)
    let dist = null;
    if (p.near) {
      ({ order, dist } = await this.#nearestByRank(m, p.near, cand, s.rank, p.end));
      await this.#complete(m, s, t, order.slice(p.offset, p.end));
    } else if (!p.tokens.length) order = byRank(s.rank, p.end);
    else
      do order = top(s.score, cand, p.end, s.rank);
      while (await this.#complete(m, s, t, order));
    const hits = await this.#hits(m, t, cand, order.slice(p.offset, p.end), s.score, dist);
    return { total: cand.length, hits, ignored: p.ignored, dropped };
  }

  /** The first `end` candidates by rank (descending), then distance from `p`, then document number. */
  async #nearestByRank(m, p, cand, rank, end) {
    const order = [];
    const dist = new Map();
    for (const level of [...new Set(rank)].sort((a, b) => b - a)) {
      if (order.length >= end) break;
      const at = [];
      rank.forEach((r, i) => r === level && at.push(i));
      const near = await this.#nearest(m, p, Uint32Array.from(at, (i) => cand[i]), end - order.length);
      for (const i of near.order.slice(0, end - order.length)) order.push(at[i]), dist.set(at[i], near.dist.get(i));
    }
    return { order, dist };
  }

  /**
   * Loads every bucket the keys need, in parallel, and returns the terms: `scored` (the groups'
   * tokens, then the exact name, if any), `filters` (the filter keys'), `ages` (the age's two
   * keys'), `ranks` (the named care items' and services') with `namedBy` (the groups naming
   * each), the groups and their alternatives as indexes into `scored`, the buckets and the record
   * reader.
   */
  async #terms(m, p, { words, groups, alternatives, named, home }) {
    const f = m.facets;
    const record = recordReader(m.record);
    const buckets = new Map();
    const keys = [...words, ...p.filterKeys, ...p.ageKeys, ...named.keys()];
    const homes = keys.map(home);
    await Promise.all(
      [...new Set(homes)].map(async (b) =>
        buckets.set(b, await this.#load(m, `${b}.bin`, (bytes, url) => parseBucket(bytes, url, b, m, record))),
      ),
    );
    const terms = keys.map((k, i) => term(buckets.get(homes[i]), k));
    const scored = terms.slice(0, words.length);
    const exact = p.tokens.length ? exactKey(p.text) : '';
    const own = exact ? queryTokens(exact, f.words) : [];
    if (exact && own.every((x) => p.tokens.includes(x))) {
      // The exact name lives with the rarest query token of its key (the first of the rarest),
      // whose bucket is loaded: the name is looked up only when its tokens are the query's.
      let best = own[0];
      let df = Infinity;
      for (const x of own) {
        const n = term(buckets.get(home(x)), x).docs.length;
        if (n < df) (best = x), (df = n);
      }
      scored.push(term(buckets.get(home(best)), m.keys.exact + exact));
    }
    if (scored.some((x) => !x.lv)) throw formatError(`${m.dir}/${homes[0]}.bin`);
    let at = words.length;
    const [filters, ages, ranks] = [p.filterKeys, p.ageKeys, [...named.keys()]].map((k) => terms.slice(at, (at += k.length)));
    return { scored, words, groups, alternatives, filters, ages, ranks, namedBy: [...named.values()], buckets, record };
  }

  /** Loads the levels that candidates `list` lack, by term and category (rest files), and rescores; false when none lacked any. */
  async #complete(m, s, { scored }, list) {
    const C = m.facets.categories.length;
    const { K, partial, cellOf } = s;
    const need = new Set();
    for (const i of list) for (let k = 0; k < K; k++) if (partial[i * K + k]) need.add(k * C + (cellOf[i] % C));
    await Promise.all(
      [...need].map(async (x) => {
        const t = scored[Math.floor(x / C)];
        const c = x % C;
        const name = `${t.rest}-${c}.bin`;
        const rest = await this.#load(m, name, (b, url) => unseal(b, 'TSGR', url).bytes.subarray(5));
        t.cats ??= cellsOf(m.ranges, C, t.docs).map((cell) => cell % C);
        if (t.lv.some((l, i) => !l && t.cats[i] === c)) complete(t, c, rest, `${m.dir}/${name}`);
      }),
    );
    s.rescore();
    return need.size > 0;
  }

  /**
   * The hits of `page` (indexes into `cand`). Display records: from the buckets; else, when every
   * missing one is on the first page of its cell in one term (a one-token query filtered to
   * cells), from that term's shown file; else from the display shards, smaller when the missing
   * records are few or spread.
   */
  async #hits(m, { scored, buckets, record }, cand, page, score, dist) {
    const f = m.facets;
    const per = m.docs_per_shard;
    const showns = [...buckets.values()].map((b) => b.shown);
    const shown = (d) => {
      for (const s of showns) if (s.has(d)) return s.get(d);
    };
    const missing = Uint32Array.from(page.map((i) => cand[i]).filter((d) => !shown(d))).sort();
    const C = f.categories.length;
    const holder = missing.length ? scored.find((t) => t.show && missing.every((d) => onCellPage(t, d, m, C))) : null;
    if (holder) showns.push(await this.#load(m, holder.show, (b, url) => shownRecords(unseal(b, 'TSGS', url), record)));
    const shards = new Map();
    await Promise.all(
      [...new Set(page.filter((i) => !shown(cand[i])).map((i) => Math.floor(cand[i] / per)))].map(async (k) =>
        shards.set(k, await this.#part(m, `d${k}.bin`, Math.min(per, m.docs - k * per), (b, url) => {
          const c = unseal(b, 'TSGD', url);
          const out = [];
          while (c.p < c.bytes.length) out.push(record(c));
          return out;
        })),
      ),
    );
    const bits = (items, set) => items.filter((_, i) => (set / 2 ** i) & 1).map(({ id, label }) => ({ id, label }));
    const copy = (x) => (x ? { ...x } : null);
    return page.map((i) => {
      const doc = cand[i];
      const r = shown(doc) || shards.get(Math.floor(doc / per))[doc % per];
      const muni = f.municipalities[r.municipality];
      return {
        id: r.id,
        doc,
        score: score[i],
        distance_km: dist ? dist.get(i) : null,
        name: r.name,
        category: copy(f.categories[r.category]),
        municipality: copy(muni),
        region: copy(muni && f.regions[muni.region]),
        care: bits(f.care_items, r.care_bits),
        flags: bits(f.flags, r.flag_bits),
        age_min: r.age_min,
        age_max: r.age_max,
        approx: r.approx === 1,
        phone: r.phone || null,
        verified: new Date(r.verified * 86400000).toISOString().slice(0, 10),
        stale: r.stale === 1,
      };
    });
  }

  /**
   * The first `end` candidates by distance from `p`, then document number: coordinate chunks are
   * loaded nearest-first, and no further once none can hold a candidate nearer than the end-th.
   */
  async #nearest(m, p, docs, end) {
    const per = m.geo_per_chunk;
    const [s, w, n, e] = m.facets.bbox;
    const chunks = [];
    for (let from = 0, to; from < docs.length; from = to) {
      const k = Math.floor(docs[from] / per);
      to = lowerBound(docs, (k + 1) * per);
      chunks.push({ k, from, to, lb: m.geo[k] ? boxLowerBound(p, m.geo[k]) : 0 });
    }
    chunks.sort((a, b) => a.lb - b.lb || a.k - b.k);
    const dist = new Map();
    const done = [];
    let kth = Infinity;
    let next = 0;
    const cmp = (a, b) => dist.get(a) - dist.get(b) || docs[a] - docs[b];
    while (end > 0 && next < chunks.length) {
      // First the nearest chunks that hold `end` candidates, then every chunk that may still
      // hold a nearer one than the end-th so far (its lower bound is at most that distance).
      const batch = [];
      let have = done.length;
      while (next < chunks.length && (have < end ? true : chunks[next].lb <= kth)) {
        have += chunks[next].to - chunks[next].from;
        batch.push(chunks[next++]);
        if (done.length < end && have >= end) break;
      }
      if (!batch.length) break;
      await Promise.all(
        batch.map(async ({ k, from, to }) => {
          const q = await this.#part(m, `g${k}.bin`, Math.min(per, m.docs - k * per), geo, false);
          for (let i = from; i < to; i++) {
            const j = docs[i] - k * per;
            const lat = s + (q[j][0] * (n - s)) / 65535;
            const lon = w + (q[j][1] * (e - w)) / 65535;
            dist.set(i, roundDistance(distanceKm(p, [lat, lon])));
            done.push(i);
          }
        }),
      );
      done.sort(cmp);
      if (done.length >= end) kth = dist.get(done[end - 1]);
    }
    return { order: done, dist };
  }
}

/** The first `k` indexes by rank (descending), then document number. */
function byRank(rank, k) {
  const levels = [...new Set(rank)].sort((a, b) => b - a);
  const order = [];
  for (const level of levels) for (let i = 0; i < rank.length && order.length < k; i++) if (rank[i] === level) order.push(i);
  return order;
}

/** The first `k` indexes by rank (see `scoring`), then score (both descending), then document number: a bounded heap. */
function top(score, docs, k, rank) {
  // `a` ranks after `b`.
  const after = (a, b) =>
    rank[a] < rank[b] || (rank[a] === rank[b] && (score[a] < score[b] || (score[a] === score[b] && docs[a] > docs[b])));
  // The first k, then each better one in place of the worst of the best k so far, at the root.
  const heap = Array.from({ length: Math.min(k, score.length) }, (_, i) => i);
  const sift = (i) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && after(heap[l], heap[w])) w = l;
      if (r < heap.length && after(heap[r], heap[w])) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w], heap[i]];
      i = w;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) sift(i);
  for (let i = heap.length; heap.length && i < score.length; i++) if (after(heap[0], i)) (heap[0] = i), sift(0);
  return heap.sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0));
}

/** A coordinate chunk: per document [lat_q, lon_q] (u16 little-endian); none if it is not whole records. */
function geo(b) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return b.length % 4 ? [] : Array.from({ length: b.length / 4 }, (_, i) => [v.getUint16(4 * i, true), v.getUint16(4 * i + 2, true)]);
}
