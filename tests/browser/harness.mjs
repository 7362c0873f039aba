// What the browser test files share: building a site with tsunagu, launching Chromium, tabs that
// record what goes wrong in them, and the Nu Html Checker.
//
// Environment:
//   TSUNAGU_BIN   use this tsunagu binary instead of `cargo run --quiet --`
//   CHROMIUM      browser executable (default /usr/bin/chromium)
//   TSUNAGU_KEEP  keep the built sites (their paths are printed) instead of deleting them

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = join(HERE, '..', '..');
export const ARTIFACTS = join(HERE, 'artifacts');
const VNU_JAR = join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SOURCE_DATE_EPOCH = '1795219200';
export const VIEWPORTS = [
  { name: 'mobile', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];
// How Chromium words a CSP refusal in the console ("Refused to …" in older versions, "… violates
// the following Content Security Policy directive …" in newer ones).
export const CSP_REFUSAL = /Refused to|Content Security Policy/i;
// The sample's map tiles (OpenStreetMap's, its default `[map]`). Every tab refuses them, as a
// machine offline would (and the test machines are): an entry page's map then shows its plain
// background (map.test.mjs checks that), and the refused tiles are not problems. A request to any
// other host still is.
export const TILES = 'https://tile.openstreetmap.org/';

/** Runs a command; resolves to { code, stdout, stderr }. */
export function run(cmd, args, opts = {}) {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => ok({ code: code ?? signal, stdout, stderr }));
  });
}

/** Every file under `dir`, sorted. */
export async function walk(dir) {
  const out = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out.sort();
}

/** `/`-separated path of `file` relative to `dir`. */
export const relPath = (dir, file) => relative(dir, file).split(/[/\\]/).join('/');

/** A temporary folder, deleted by the returned `remove()` unless TSUNAGU_KEEP is set. */
export async function tempDir(prefix) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    remove: async () => {
      if (process.env.TSUNAGU_KEEP) console.log(`kept ${dir}`);
      else await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `tsunagu ARGS` (TSUNAGU_BIN, or cargo run from the repository). Resolves to the seconds it took;
 * throws with the output when it fails.
 */
export async function tsunagu(args) {
  const [cmd, all] = process.env.TSUNAGU_BIN
    ? [process.env.TSUNAGU_BIN, args]
    : ['cargo', ['run', '--quiet', '--', ...args]];
  const started = Date.now();
  const res = await run(cmd, all, { cwd: REPO, env: { ...process.env, SOURCE_DATE_EPOCH } });
  if (res.code !== 0) throw new Error(`${cmd} ${all.join(' ')} failed (${res.code}):\n${res.stdout}\n${res.stderr}`);
  return (Date.now() - started) / 1000;
}

/** `tsunagu [--root ROOT] build --out OUT`; resolves to the seconds it took. */
export function build(out, root) {
  return tsunagu([...(root ? ['--root', root] : []), 'build', '--out', out]);
}

/** The rows of a CSV file's text (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (c !== '\r') cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

/**
 * The listings of a build's `data/entries.csv`, each as { id, name, phone, address,
 * municipality_code, care: [care-item labels] }.
 */
export async function publishedEntries(out) {
  const [header, ...rows] = parseCsv((await readFile(join(out, 'data', 'entries.csv'), 'utf8')).replace(/^\uFEFF/, ''));
  const col = (name) => header.indexOf(name);
  const care = header.map((h, i) => [h.replace(/^医療的ケア_/, ''), i]).filter(([, i]) => header[i].startsWith('医療的ケア_'));
  return rows.map((r) => ({
    id: r[col('ID')],
    name: r[col('名称')],
    phone: r[col('電話番号')] || null,
    address: r[col('住所')],
    // The six-digit 全国地方公共団体コード less its check digit.
    municipality_code: r[col('全国地方公共団体コード')].slice(0, 5),
    care: care.filter(([, i]) => r[i] === '1').map(([label]) => label),
  }));
}

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * A new tab (in its own context: `options` are playwright's context options) that records console
 * errors, CSP refusals, page errors, failed loads and HTTP errors in `page.record.problems`, and the
 * pages it loaded in `page.record.urls`. Expected HTTP errors: add the URL to
 * `page.record.expected404`, or return true from `page.record.expect(url, status)` (status
 * 'failed' for a request that got no answer).
 */
export async function newPage(browser, viewport = VIEWPORTS[1], options = {}) {
  const page = await browser.newPage({
    viewport: { width: viewport.width, height: viewport.height },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    serviceWorkers: 'block',
    ...options,
  });
  const record = { problems: [], urls: new Set(), expected404: new Set(), expect: () => false };
  page.record = record;
  await page.route(`${TILES}**`, (route) => route.abort('internetdisconnected'));
  // Chromium asks for /favicon.ico by itself; the site, served under a base path, has none there.
  const favicon = (at) => /^https?:\/\/[^/]+\/favicon\.ico$/.test(at);
  const expected = (at, status) =>
    (status === 404 && (record.expected404.has(at) || favicon(at))) || record.expect(at, status);
  const note = (what) => record.problems.push(`${page.url()}: ${what}`);
  page.on('console', (msg) => {
    const text = msg.text();
    const at = msg.location().url;
    // A deliberate visit to a missing page is itself reported as a failed load.
    const status = /status of (\d+)/.exec(text);
    if (status && expected(at, Number(status[1]))) return;
    if (at.startsWith(TILES)) return;
    if (msg.type() === 'error' || CSP_REFUSAL.test(text)) {
      note(`console ${msg.type()}: ${text}${at ? ` (${at})` : ''}`);
    }
  });
  page.on('load', () => record.urls.add(page.url()));
  page.on('pageerror', (err) => note(`page error: ${err.message}`));
  // Not failed loads: requests still in flight when the tab navigated or closed, and, in a tab
  // without JavaScript, the search page's module preloads.
  const noScripts = options.javaScriptEnabled === false;
  const dropped = (error) => error === 'net::ERR_ABORTED' || (noScripts && error === 'csp');
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText;
    if (!dropped(error) && !req.url().startsWith(TILES) && !record.expect(req.url(), 'failed')) note(`request failed: ${req.url()} ${error}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !expected(res.url(), res.status())) note(`HTTP ${res.status()}: ${res.url()}`);
  });
  return page;
}

/** Asserts that no tab in `pages` (their records) saw a problem, and that they loaded `min` pages. */
export function assertNoProblems(records, min) {
  const urls = new Set(records.flatMap((r) => [...r.urls]));
  assert.ok(urls.size >= min, `only ${urls.size} pages were visited`);
  const problems = records.flatMap((r) => r.problems);
  assert.deepEqual(problems, [], `on ${urls.size} visited pages:\n${problems.join('\n')}`);
}

/**
 * Starts the Nu Html Checker on `files` (HTML, and CSS when a name ends in .css) in the background.
 * The returned promise resolves to the errors, one formatted line each, paths relative to `root`.
 */
export function vnu(files, root) {
  const started = run('java', [
    '-Xss8m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
    '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--also-check-css',
    ...files,
  ]).then((res) => {
    let report;
    try {
      // vnu prints its JSON report on stderr; anything the JVM says comes on lines before it
      const out = `${res.stdout}\n${res.stderr}`;
      report = JSON.parse(out.slice(out.indexOf('{"')));
    } catch {
      throw new Error(`vnu.jar did not print JSON (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
    }
    const errors = report.messages
      .filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error')
      .map((m) => `  ${relative(root, fileURLToPath(m.url ?? 'file:///?'))}:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'}: ${m.message}\n      ${(m.extract ?? '').replace(/\n/g, ' ')}`);
    if (!errors.length && res.code !== 0) errors.push(`vnu.jar exited ${res.code}: ${res.stderr}`);
    return errors;
  });
  started.catch(() => {}); // reported by the test that awaits it
  return started;
}
