// Search in Chromium, tsunagu's static index against Pagefind, on loopback (scripts/bench-peer).
//
//   node search.mjs --tsunagu OUT_DIR --pagefind PUBLIC_DIR --queries queries.json --runs N --json RESULT
//
// Each site is served by a tiny static server in this process (plain files, no compression, no
// Cache-Control, like `python3 -m http.server`), which also counts every request and the body
// bytes it sends: requests from Pagefind's web worker included. Per query and run:
//
//   cold  a new browser context (empty cache) opens a blank page of the site (not measured), then
//         in the page: import the reader, run the query, and for Pagefind load the data of the top
//         10 results (tsunagu's hits already carry what a result list shows);
//   warm  the same query again in the same page (reader, index files and wasm already loaded).
//
// Latencies are measured inside the page (performance.now()), from the start of the import to the
// results; bytes and requests are what the server sent during that interval (`gzip_bytes`: what a
// host compressing text files would have sent, an estimate).

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const { values: opt } = parseArgs({
  options: {
    tsunagu: { type: 'string' },
    pagefind: { type: 'string' },
    queries: { type: 'string' },
    runs: { type: 'string', default: '3' },
    json: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
for (const k of ['tsunagu', 'pagefind', 'queries', 'json']) {
  if (!opt[k]) {
    console.error(`search.mjs: --${k} is required`);
    process.exit(2);
  }
}
const RUNS = Number(opt.runs);
const LIMIT = 10;
const BLANK = '/__bench/blank.html';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

/** A static server for `root` on 127.0.0.1; `log` lists [path, body bytes, status, file] of every request. */
async function serve(root) {
  root = resolve(root);
  const log = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === BLANK) {
      // A loaded page of the site's origin to start from; `data:` icon: no favicon request.
      const body = '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>blank</title></head><body></body></html>';
      log.push([path, body.length, 200, null]);
      res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    let file = join(root, path);
    if (file !== root && !file.startsWith(root + sep)) file = null;
    try {
      let st = file && (await stat(file));
      if (st?.isDirectory()) {
        file = join(file, 'index.html');
        st = await stat(file);
      }
      if (!st?.isFile()) throw new Error('not a file');
      log.push([path, st.size, 200, file]);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': st.size,
        'Last-Modified': st.mtime.toUTCString(),
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      log.push([path, 0, 404, null]);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, log, close: () => new Promise((ok) => server.close(ok)) };
}

// What a host that compresses text (most do, GitHub Pages included) would send for a file: its
// gzip size for JavaScript, JSON, HTML and CSS, its size for everything else (Pagefind's index
// files and wasm are gzip-compressed by Pagefind already). Computed after a query, cached.
const TEXT = new Set(['.js', '.mjs', '.json', '.html', '.css']);
const gzipped = new Map();
async function hostBytes(file, bytes) {
  if (!file || !TEXT.has(extname(file))) return bytes;
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(await readFile(file), { level: 6 }).length);
  return gzipped.get(file);
}

/** What the server sent since `from`: requests, body bytes, the files, and 404s. */
async function since(log, from) {
  const part = log.slice(from);
  let gzip = 0;
  for (const [, b, , file] of part) gzip += await hostBytes(file, b);
  return {
    requests: part.length,
    bytes: part.reduce((s, [, b]) => s + b, 0),
    gzip_bytes: gzip,
    files: part.map(([p, b]) => [p, b]),
    missing: part.filter((x) => x[2] === 404).map(([p]) => p),
  };
}

// In-page code. `q` is { text, filters } in the reader's own terms.
const TSUNAGU_COLD = async (q) => {
  const t0 = performance.now();
  const { SearchClient } = await import('/search/tsunagu-search.js');
  const client = new SearchClient({ base: `${location.origin}/search/` });
  const res = await client.search({ text: q.text, ...q.filters, limit: q.limit });
  const ms = performance.now() - t0;
  window.__bench = client;
  return { ms, hits: res.total, top: res.hits.map((h) => h.id), ignored: res.ignored ?? [], t0 };
};
const TSUNAGU_WARM = async (q) => {
  const t0 = performance.now();
  const res = await window.__bench.search({ text: q.text, ...q.filters, limit: q.limit });
  return { ms: performance.now() - t0, hits: res.total };
};
const PAGEFIND_COLD = async (q) => {
  const t0 = performance.now();
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(q.text, { filters: q.filters });
  const data = await Promise.all(search.results.slice(0, q.limit).map((r) => r.data()));
  const ms = performance.now() - t0;
  window.__bench = pagefind;
  return { ms, hits: search.results.length, top: data.map((d) => d.url), ignored: [], t0 };
};
const PAGEFIND_WARM = async (q) => {
  const t0 = performance.now();
  const search = await window.__bench.search(q.text, { filters: q.filters });
  await Promise.all(search.results.slice(0, q.limit).map((r) => r.data()));
  return { ms: performance.now() - t0, hits: search.results.length };
};

/** One cold and one warm run of a query on one side, in a fresh context. */
async function measure(browser, side, q) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(side.server.origin + BLANK, { waitUntil: 'load' });
    const log = side.server.log;

    let from = log.length;
    const cold = await page.evaluate(side.cold, q);
    Object.assign(cold, await since(log, from));
    // When each file of the page's own fetches started and ended, in ms from the start of the query
    // (Pagefind's worker fetches are not in the page's resource timing).
    cold.waterfall = await page.evaluate((t0) => performance.getEntriesByType('resource')
      .filter((e) => e.startTime >= t0)
      .map((e) => [new URL(e.name).pathname, Math.round(e.startTime - t0), Math.round(e.responseEnd - t0)]), cold.t0);

    from = log.length;
    const warm = await page.evaluate(side.warm, q);
    Object.assign(warm, await since(log, from));
    if (errors.length) throw new Error(errors.join('; '));
    return { cold, warm };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

async function main() {
  const queries = JSON.parse(await readFile(opt.queries, 'utf8'));
  const manifest = JSON.parse(await readFile(join(opt.tsunagu, 'search', 'manifest.json'), 'utf8'));
  const f = manifest.facets;
  const labelOf = (items, id) => {
    const x = items.find((i) => i.id === id);
    if (!x) throw new Error(`queries.json: unknown id ${id}`);
    return x.label ?? x.name;
  };
  /** The same filters in Pagefind's terms: the labels its pages show. */
  const pagefindFilters = (q) => {
    const out = {};
    if (q.category) out.category = labelOf(f.categories, q.category);
    if (q.region) out.region = labelOf(f.regions, q.region);
    if (q.municipality) out.municipality = q.municipality;
    if (q.care?.length) out.care = q.care.map((c) => labelOf(f.care_items, c)); // an array: all of them
    return out;
  };

  const [tsunaguServer, pagefindServer] = await Promise.all([serve(opt.tsunagu), serve(opt.pagefind)]);
  const browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const sides = {
    tsunagu: { server: tsunaguServer, cold: TSUNAGU_COLD, warm: TSUNAGU_WARM },
    pagefind: { server: pagefindServer, cold: PAGEFIND_COLD, warm: PAGEFIND_WARM },
  };
  const results = [];
  let failed = false;
  try {
    // Warm-up (not recorded): Chromium's first context, the servers' first file reads.
    for (const [name, side] of Object.entries(sides)) {
      const q = { text: queries[0].text, limit: LIMIT, filters: {} };
      await measure(browser, side, q).catch(() => {});
    }
    for (const q of queries) {
      const filters = { tsunagu: {}, pagefind: pagefindFilters(q) };
      for (const k of ['category', 'region', 'municipality', 'care']) if (q[k]) filters.tsunagu[k] = q[k];
      const label = [q.text, ...Object.entries(filters.pagefind).map(([k, v]) => `${k}=${[v].flat().join('+')}`)].join(' + ');
      const row = { label, text: q.text, filters, tsunagu: [], pagefind: [] };
      for (let r = 0; r < RUNS; r++) {
        for (const name of ['tsunagu', 'pagefind']) {
          try {
            row[name].push(await measure(browser, sides[name], { text: q.text, filters: filters[name], limit: LIMIT }));
          } catch (e) {
            failed = true;
            row[name].push({ error: String(e.message ?? e).slice(0, 500) });
            console.error(`   ${name} «${label}»: ${e.message ?? e}`);
          }
        }
      }
      const summary = {};
      for (const name of ['tsunagu', 'pagefind']) {
        const ok = row[name].filter((x) => !x.error);
        if (!ok.length) continue;
        summary[name] = {
          hits: ok[0].cold.hits,
          bytes: median(ok.map((x) => x.cold.bytes)),
          gzip_bytes: median(ok.map((x) => x.cold.gzip_bytes)),
          requests: median(ok.map((x) => x.cold.requests)),
          cold_ms: median(ok.map((x) => x.cold.ms)),
          warm_ms: median(ok.map((x) => x.warm.ms)),
          warm_bytes: median(ok.map((x) => x.warm.bytes)),
          warm_requests: median(ok.map((x) => x.warm.requests)),
          files: ok[0].cold.files,
          waterfall: ok[0].cold.waterfall,
          missing: ok.flatMap((x) => [...x.cold.missing, ...x.warm.missing]),
          ignored: ok[0].cold.ignored,
        };
      }
      row.summary = summary;
      const t = summary.tsunagu;
      const p = summary.pagefind;
      const fmt = (s) => (s ? `${s.hits} hits, ${s.bytes} B in ${s.requests} req, cold ${s.cold_ms.toFixed(0)} ms, warm ${s.warm_ms.toFixed(1)} ms` : 'error');
      console.error(`   ${label}: tsunagu ${fmt(t)} | pagefind ${fmt(p)}`);
      results.push(row);
    }
  } finally {
    const version = browser.version();
    await browser.close();
    await Promise.all([tsunaguServer.close(), pagefindServer.close()]);
    const pw = JSON.parse(await readFile(new URL('./node_modules/playwright-core/package.json', import.meta.url), 'utf8')).version;
    await writeFile(opt.json, JSON.stringify({ chromium: version, playwright: pw, runs: RUNS, limit: LIMIT, queries: results }, null, 1));
  }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
