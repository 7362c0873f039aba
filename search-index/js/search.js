// The browser reader of tsunagu's static search index (format 1, docs/search-index-format.md).
// It ranks exactly as `tsunagu search` (search-index/src/search.rs): same candidates, same scores
// summed in the same order, same tie-breaks. Plain ES module, no dependencies.

import { exactKey, queryTokens, TOKENIZER_VERSION } from './normalize.js';

const FORMAT = 1;
/** Mean Earth radius (km), as in search.rs. */
const EARTH_RADIUS_KM = 6371.0088;
/** Prefix of filter keys. */
const F = '\u0001';

/** Haversine distance in km, written operation for operation as `distance_km` in search.rs. */
export function distanceKm(a, b) {
  const rad = Math.PI / 180;
  const p1 = a[0] * rad;
  const p2 = b[0] * rad;
  const dp = (b[0] - a[0]) * rad;
  const dl = (b[1] - a[1]) * rad;
  const s1 = Math.sin(dp / 2);
  const s2 = Math.sin(dl / 2);
  const h = s1 * s1 + Math.cos(p1) * Math.cos(p2) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distances are compared at millimetre precision, as `round_distance` in search.rs. */
const roundDistance = (d) => Math.round(d * 1e6) / 1e6;

/**
 * A lower bound of `distanceKm(p, x)` for every point x of the box [south, west, north, east],
 * slightly lowered so floating-point error can never make it exceed a computed distance.
 */
function boxLowerBound(p, [s, w, n, e]) {
  const rad = Math.PI / 180;
  const dLat = p[0] < s ? s - p[0] : p[0] > n ? p[0] - n : 0;
  let dLon = p[1] < w ? w - p[1] : p[1] > e ? p[1] - e : 0;
  dLon = Math.min(dLon % 360, 360 - (dLon % 360));
  const s1 = Math.sin((dLat * rad) / 2);
  const s2 = Math.sin((dLon * rad) / 2);
  const cosMin = Math.max(0, Math.min(Math.cos(s * rad), Math.cos(n * rad)));
  const h = s1 * s1 + Math.max(0, Math.cos(p[0] * rad)) * cosMin * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h))) * (1 - 1e-9) - 1e-5;
}

let crcTable;
/** CRC-32 (IEEE) of bytes. */
function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Compares two keys in UTF-8 byte order (the order of the manifest's shard table). */
function compareKeys(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** An error that a stale cache explains (a missing or changed file): reload the manifest. */
class Stale extends Error {}

const formatError = (what) => new Error(`tsunagu search: ${what} is not a valid search index file`);

/** Reads a term shard: checks it and maps each key to the offset of its entry. */
function parseShard(bytes, name) {
  let p = 0;
  const fail = () => {
    throw formatError(name);
  };
  const varint = () => {
    let v = 0;
    for (let shift = 1; ; shift *= 128) {
      if (p >= bytes.length || shift > 2 ** 49) fail();
      const x = bytes[p++];
      v += (x & 127) * shift;
      if (x < 128) return v;
    }
  };
  if (decoder.decode(bytes.subarray(0, 4)) !== 'TSGT' || bytes[4] !== FORMAT) fail();
  p = 5;
  const keys = new Map();
  for (let count = varint(); count > 0; count--) {
    const len = varint();
    if (p + len > bytes.length) fail();
    const key = decoder.decode(bytes.subarray(p, (p += len)));
    keys.set(key, p);
    const n = varint();
    const kind = bytes[p++];
    if (kind & 1) {
      varint();
      const len = varint();
      p += len;
    } else for (let i = 0; i < n; i++) varint();
    if (kind & 2) p += 4 + n;
    if (kind > 3 || p > bytes.length) fail();
  }
  if (p !== bytes.length) fail();
  return { bytes, keys, name };
}

/**
 * The documents of a key (sorted Uint32Array) and, when it has levels, their values
 * (`level × max / 255` in f64, null without levels); no documents when the key is absent.
 */
function readTerm(shard, key) {
  const at = shard && shard.keys.get(key);
  if (at === undefined) return { docs: new Uint32Array(0), values: new Float64Array(0) };
  const { bytes } = shard;
  let p = at;
  const varint = () => {
    let v = 0;
    for (let shift = 1; ; shift *= 128) {
      const x = bytes[p++];
      v += (x & 127) * shift;
      if (x < 128) return v;
    }
  };
  const n = varint();
  const kind = bytes[p++];
  const docs = new Uint32Array(n);
  if (kind & 1) {
    const base = varint();
    const len = varint();
    let j = 0;
    for (let i = 0; i < len; i++) {
      const b = bytes[p + i];
      for (let bit = 0; bit < 8; bit++) if ((b >> bit) & 1 && j < n) docs[j++] = base + i * 8 + bit;
    }
    p += len;
    if (j !== n) throw formatError(shard.name);
  } else {
    for (let i = 0, d = 0; i < n; i++) docs[i] = d += varint();
  }
  let values = null;
  if (kind & 2) {
    const max = new DataView(bytes.buffer, bytes.byteOffset + p, 4).getFloat32(0, true);
    p += 4;
    values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = (bytes[p + i] * max) / 255;
  }
  return { docs, values };
}

/** Documents of a candidate list also in `docs`, with `values` added to their scores. */
function intersect(cand, docs, values) {
  const outDocs = [];
  const outScores = [];
  let i = 0;
  for (let j = 0; j < docs.length; j++) {
    const d = docs[j];
    while (i < cand.docs.length && cand.docs[i] < d) i++;
    if (i < cand.docs.length && cand.docs[i] === d)
      outDocs.push(d), outScores.push(values ? cand.scores[i] + values[j] : cand.scores[i]);
  }
  return { docs: outDocs, scores: outScores };
}

// Rust's `char::is_whitespace` (White_Space), which decides whether query text is blank.
const BLANK = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

const absent = (v) => v === undefined || v === null || v === '';
const list = (v) => (absent(v) ? [] : Array.isArray(v) ? v : [v]).filter((x) => !absent(x)).map(String);
const count = (v, fallback) => {
  const n = absent(v) ? NaN : Number(v);
  return n >= 0 ? Math.floor(n) : fallback;
};

export class SearchClient {
  /**
   * @param {{base: string, fetch?: typeof fetch}} options `base`: URL of the `search/` directory.
   */
  constructor({ base, fetch } = {}) {
    this.base = String(base ?? '').replace(/\/?$/, '/');
    this.#fetch = fetch || ((...a) => globalThis.fetch(...a));
  }

  #fetch;
  /** The manifest's promise (null until asked for, or after a failure or a stale file). */
  #manifest = null;
  /** Term shards, document shards and coordinate chunks by path: their names change with them. */
  #files = new Map();

  async #get(path, init, stale = true) {
    const url = this.base + path;
    const fetch = this.#fetch;
    let res;
    try {
      res = await fetch(url, init);
    } catch (e) {
      throw new Error(`tsunagu search: cannot fetch ${url}: ${e && e.message}`);
    }
    if (!res.ok) throw new (stale ? Stale : Error)(`tsunagu search: ${url}: HTTP ${res.status}`);
    return res;
  }

  /** The manifest, loaded once (revalidated with the server: its name never changes). */
  manifest() {
    if (!this.#manifest) {
      const p = (this.#manifest = (async () => {
        const res = await this.#get('manifest.json', { cache: 'no-cache' }, false);
        let m;
        try {
          m = JSON.parse(await res.text());
        } catch {
          throw formatError('manifest.json');
        }
        if (!m || m.format !== FORMAT || m.tokenizer !== TOKENIZER_VERSION)
          throw new Error(
            `tsunagu search: index format ${m && m.format}, tokenizer ${m && m.tokenizer}; this reader reads format ${FORMAT}, tokenizer ${TOKENIZER_VERSION}`,
          );
        const f = m.facets || {};
        const lists = [m.shards, m.geo, m.municipality_ranges, f.categories, f.regions, f.municipalities, f.care_items, f.flags, f.bbox];
        if (!(m.docs >= 0 && m.docs_per_shard > 0 && m.geo_per_chunk > 0 && typeof m.docs_dir === 'string' && lists.every(Array.isArray)))
          throw formatError('manifest.json');
        return m;
      })());
      p.catch(() => {
        if (this.#manifest === p) this.#manifest = null;
      });
    }
    return this.#manifest;
  }

  /** A file below `search/`, loaded once; failures are not cached. */
  #load(path, parse) {
    let p = this.#files.get(path);
    if (!p) {
      p = this.#get(path).then(async (res) => parse(new Uint8Array(await res.arrayBuffer())));
      this.#files.set(path, p);
      p.catch(() => this.#files.delete(path));
    }
    return p;
  }

  #termShard(file) {
    return this.#load(file, (bytes) => {
      const crc = /([0-9a-f]{8})\.bin$/.exec(file);
      if (!crc) throw formatError(file);
      if (crc32(bytes) !== parseInt(crc[1], 16))
        throw new Stale(`tsunagu search: ${this.base + file} does not match its checksum`);
      return parseShard(bytes, file);
    });
  }

  /** A document shard or coordinate chunk with `expected` records (else, a stale file). */
  #docFile(m, name, expected, parse) {
    return this.#load(`${m.docs_dir}/${name}`, (bytes) => {
      let value;
      try {
        value = parse(bytes);
      } catch {}
      if (!Array.isArray(value) || value.length !== expected)
        throw new Stale(`tsunagu search: ${this.base}${m.docs_dir}/${name} does not match the manifest`);
      return value;
    });
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
    const q = typeof query === 'string' ? { text: query } : query || {};
    const f = m.facets;
    const N = m.docs;
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
    if (category >= 0) filterKeys.push(`${F}c:${category}`);
    for (const [items, values, what, k] of [
      [f.care_items, q.care, 'care', 'k'],
      [f.flags, q.flags, 'flag', 'f'],
    ])
      for (const v of list(values)) {
        const i = find(items, v, what);
        if (i >= 0) filterKeys.push(`${F}${k}:${i}`);
      }
    if (!absent(q.age)) {
      const age = Number(q.age);
      if (Number.isInteger(age) && age >= 0) filterKeys.push(`${F}a:${age}`);
      else ignored.push(`age=${q.age}`);
    }
    let near = null;
    if (!absent(q.near)) {
      const p = Array.isArray(q.near) ? q.near.map((x) => (absent(x) ? NaN : Number(x))) : [];
      if (p.length === 2 && p.every(Number.isFinite)) near = p;
      else ignored.push(`near=${q.near}`);
    }
    const limit = count(q.limit, 10);
    const offset = count(q.offset, 0);

    const text = absent(q.text) ? '' : String(q.text);
    const tokens = queryTokens(text);
    // Text with nothing searchable in it (symbols, emoji) finds nothing; blank text lists.
    if (!tokens.length && !BLANK.test(text)) return { total: 0, hits: [], ignored };
    const exact = tokens.length ? ['=' + exactKey(text)] : [];

    // Fetch every term shard the keys need, in parallel.
    const keys = [...tokens, ...exact, ...filterKeys];
    const shardOf = (key) => {
      let lo = 0;
      let hi = m.shards.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareKeys(m.shards[mid][0], key) <= 0) lo = mid + 1;
        else hi = mid;
      }
      return lo ? m.shards[lo - 1][1] : null;
    };
    const files = keys.map(shardOf);
    const loaded = new Map();
    await Promise.all(
      [...new Set(files)].filter(Boolean).map(async (file) => loaded.set(file, await this.#termShard(file))),
    );
    const term = (i) => readTerm(loaded.get(files[i]), keys[i]);

    // Candidates: every token (AND), scores summed in query-token order, then the exact name.
    let cand = null;
    tokens.forEach((_, i) => {
      const t = term(i);
      if (!t.values) throw formatError(files[i]);
      cand = cand ? intersect(cand, t.docs, t.values) : { docs: Array.from(t.docs), scores: Array.from(t.values) };
    });
    if (cand && cand.docs.length) {
      const t = term(tokens.length);
      if (!t.values) throw formatError(files[tokens.length]);
      for (let i = 0, j = 0; j < t.docs.length; j++) {
        while (i < cand.docs.length && cand.docs[i] < t.docs[j]) i++;
        if (cand.docs[i] === t.docs[j]) cand.scores[i] += t.values[j];
      }
    }
    for (let i = tokens.length + exact.length; i < keys.length; i++) {
      const t = term(i);
      cand = cand ? intersect(cand, t.docs, null) : { docs: Array.from(t.docs), scores: Array.from(t.docs, () => 0) };
    }
    // Region and municipality: documents of one municipality are a range.
    const ranges = m.municipality_ranges.filter(
      (_, i) => (municipality < 0 || i === municipality) && (region < 0 || f.municipalities[i].region === region),
    );
    if (!cand) {
      cand = { docs: [], scores: [] };
      if (municipality < 0 && region < 0) ranges.splice(0, ranges.length, [0, N]);
      for (const [a, b] of ranges) for (let d = a; d < b; d++) cand.docs.push(d), cand.scores.push(0);
      cand = { docs: cand.docs.sort((a, b) => a - b), scores: cand.scores };
    } else if (municipality >= 0 || region >= 0) {
      const keep = cand.docs.map((d) => ranges.some(([a, b]) => d >= a && d < b));
      cand = { docs: cand.docs.filter((_, i) => keep[i]), scores: cand.scores.filter((_, i) => keep[i]) };
    }

    const total = cand.docs.length;
    const end = offset + limit;
    let order; // indexes into cand, in result order (at least up to `end`)
    let dist = null;
    if (near) {
      ({ order, dist } = await this.#nearest(m, near, cand.docs, end));
    } else {
      order = cand.docs.map((_, i) => i);
      if (tokens.length)
        order.sort((a, b) => cand.scores[b] - cand.scores[a] || cand.docs[a] - cand.docs[b]);
    }
    const page = order.slice(offset, end);

    // Only the document shards of the returned hits.
    const per = m.docs_per_shard;
    const shards = new Map();
    await Promise.all(
      [...new Set(page.map((i) => Math.floor(cand.docs[i] / per)))].map(async (k) =>
        shards.set(k, await this.#docFile(m, `${k}.json`, Math.min(per, N - k * per), (b) => JSON.parse(decoder.decode(b)))),
      ),
    );
    const bits = (items, set) => items.filter((_, i) => (set >>> i) & 1).map(({ id, label }) => ({ id, label }));
    const hits = page.map((i) => {
      const doc = cand.docs[i];
      const r = shards.get(Math.floor(doc / per))[doc % per];
      const muni = f.municipalities[r[3]];
      const copy = (x) => (x ? { ...x } : null);
      return {
        id: r[0],
        doc,
        score: cand.scores[i],
        distance_km: dist ? dist.get(i) : null,
        name: r[1],
        category: copy(f.categories[r[2]]),
        municipality: copy(muni),
        region: copy(muni && f.regions[muni.region]),
        care: bits(f.care_items, r[4]),
        flags: bits(f.flags, r[5]),
        age_min: r[6] < 0 ? null : r[6],
        age_max: r[7] < 0 ? null : r[7],
        approx: r[8] === 1,
      };
    });
    return { total, hits, ignored };
  }

  /**
   * The first `end` candidates by distance from `p`, then document number: coordinate chunks are
   * loaded nearest-first, and no further once none can hold a candidate nearer than the end-th.
   */
  async #nearest(m, p, docs, end) {
    const per = m.geo_per_chunk;
    const [s, w, n, e] = m.facets.bbox;
    const chunks = [];
    for (let i = 0; i < docs.length; ) {
      const k = Math.floor(docs[i] / per);
      const from = i;
      while (i < docs.length && Math.floor(docs[i] / per) === k) i++;
      chunks.push({ k, from, to: i, lb: m.geo[k] ? boxLowerBound(p, m.geo[k]) : 0 });
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
          const q = await this.#docFile(m, `g${k}.bin`, Math.min(per, m.docs - k * per), geo);
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

/** A coordinate chunk: per document [lat_q, lon_q] (u16 little-endian). */
function geo(b) {
  const out = [];
  if (b.length % 4) return out;
  for (let i = 0; i + 3 < b.length; i += 4) out.push([b[i] | (b[i + 1] << 8), b[i + 2] | (b[i + 3] << 8)]);
  return out;
}
