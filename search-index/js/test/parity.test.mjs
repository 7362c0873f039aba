// Parity: the browser reader over the exported files must return what `tsunagu search --json`
// returns from the tantivy index — same total, same ids in the same order, same scores and
// distances — on the sample site and on a synthetic 10 000-entry site.
//
// Run from anywhere: node --test search-index/js/test/   (needs cargo; TSUNAGU_PROFILE=release for a release binary)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { SearchClient } from '../search.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const env = { ...process.env, SOURCE_DATE_EPOCH: '1795219200' };
const run = promisify(execFile);

// The cargo profile of the binary under test: `debug` (default) reuses what `cargo test` built in
// the test command; TSUNAGU_PROFILE=release is faster to run but slower to compile.
const profile = process.env.TSUNAGU_PROFILE === 'release' ? 'release' : 'debug';

/** `cargo run --quiet [--release] -- ARGS` from the repository root. */
function cargoRun(args) {
  const flags = profile === 'release' ? ['--quiet', '--release'] : ['--quiet'];
  execFileSync('cargo', ['run', ...flags, '--', ...args], {
    cwd: repo,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 28,
  });
}

let binary;
/** The binary `cargo run` built (faster than `cargo run` for each of the queries). */
function tsunagu() {
  if (!binary) {
    const meta = JSON.parse(
      execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: repo, env }).toString(),
    );
    binary = join(meta.target_directory, profile, 'tsunagu');
  }
  return binary;
}

/** A fetch over the file system; it records the URLs it serves. */
function fsFetch(log = []) {
  const fetch = async (url, init) => {
    log.push({ url: String(url), init });
    try {
      return new Response(await readFile(fileURLToPath(url)), { status: 200 });
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
  fetch.log = log;
  return fetch;
}

const FLAG_IDS = ['transport', 'bathing', 'weekend', 'evening', 'overnight', 'walking'];

/** The CLI's arguments for a query object. */
function cliArgs(q) {
  const a = ['search', '--json'];
  for (const k of ['category', 'region', 'municipality', 'age']) if (q[k] !== undefined) a.push(`--${k}`, String(q[k]));
  for (const c of q.care ?? []) a.push('--care', c);
  for (const f of q.flags ?? []) a.push(`--${f}`);
  if (q.near) a.push('--near', q.near.join(','));
  a.push('--limit', String(q.cliLimit ?? q.limit ?? 10), '--', q.text ?? '');
  return a;
}

/** Runs queries through the CLI, two at a time. */
async function cliResults(root, queries) {
  const out = new Array(queries.length);
  let next = 0;
  const worker = async () => {
    while (next < queries.length) {
      const i = next++;
      const { stdout, stderr } = await run(tsunagu(), ['--root', root, ...cliArgs(queries[i])], {
        env,
        maxBuffer: 1 << 28,
      });
      const ignored = [...stderr.matchAll(/不明な絞り込み条件 (.*) を無視しました/g)].map((m) => m[1]);
      out[i] = { ...JSON.parse(stdout), ignored };
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/** Asserts that the browser reader's result for `q` equals the CLI's. */
function assertSame(js, cli, q) {
  const from = q.offset ?? 0;
  const want = cli.hits.slice(from, from + (q.limit ?? 10));
  assert.equal(js.total, cli.total, 'total');
  assert.deepEqual(
    js.hits.map((h) => h.id),
    want.map((h) => h.id),
    'ids in order',
  );
  js.hits.forEach((h, i) => {
    const c = want[i];
    assert.ok(Math.abs(h.score - c.score) <= 1e-9, `score of ${h.id}: ${h.score} vs ${c.score}`);
    assert.equal(h.distance_km, c.distance_km, `distance_km of ${h.id}`);
    if (h.score !== c.score) exactness.inexact++;
    else exactness.exact++;
  });
  assert.deepEqual(js.ignored, cli.ignored, 'ignored filters');
}
const exactness = { exact: 0, inexact: 0 };
after(() => console.log(`# scores compared: ${exactness.exact} bit-identical, ${exactness.inexact} within 1e-9`));

const label = (q) => String(JSON.stringify(q)).slice(0, 120);
const TSU = [34.7303, 136.5086]; // near 津駅
const far = [35.6812, 139.7671]; // 東京駅: outside the sites, every distance large

/** Queries for both sites: the sample's names, readings, services, addresses and every filter. */
const COMMON = [
  // names
  { text: 'はなまる療育園' },
  { text: '津はるかぜ在宅クリニック' },
  { text: 'そらまめ療育センター' },
  { text: 'ぽっけキッズ' },
  { text: '小児訪問看護ステーションクローバー' },
  { text: '桑名みかげ特別支援学校' },
  { text: 'ゆずりはこどもクリニック' },
  { text: '重症児デイサービスミモザ' },
  { text: '放課後等デイサービスアトリエ' },
  // kana readings, hiragana, katakana and half-width
  { text: 'つはるかぜざいたくくりにっく' },
  { text: 'はなまるりょういくえん' },
  { text: 'かえできっず' },
  { text: 'くわなみかげ' },
  { text: 'ユイマール' },
  { text: 'ﾊﾅﾏﾙ' },
  { text: 'ｿﾗﾏﾒ ﾘｮｳｲｸ' },
  { text: 'ｸﾛｰﾊﾞｰ' },
  { text: 'ﾎｳﾓﾝｶﾝｺﾞ' },
  // services
  { text: '放課後等デイサービス' },
  { text: '訪問看護' },
  { text: '医療型短期入所' },
  { text: '日中一時支援' },
  { text: '児童発達支援' },
  { text: '訪問リハビリ' },
  // care items by label
  { text: '人工呼吸器' },
  { text: '気管切開' },
  { text: '吸引' },
  { text: '経管栄養（胃ろう）' },
  { text: '痙攣時の処置' },
  // addresses, postal codes, phone numbers
  { text: '三重県津市栄町' },
  { text: '鈴鹿市' },
  { text: '四日市市 日永' },
  { text: '514-0818' },
  { text: '〒514' },
  { text: '059-000' },
  { text: '059-000-2286' },
  { text: '０５９－０００' },
  { text: '6486' },
  // one character, words, mixed
  { text: '津' },
  { text: '園' },
  { text: 'あ' },
  { text: '24時間' },
  { text: '訪問看護 津' },
  { text: '看護師が24時間常駐' },
  { text: 'OK' },
  // no hit, symbols only, blank, long
  { text: '存在しない施設名' },
  { text: 'xyzzy' },
  { text: 'ドラえもん' },
  { text: '！？' },
  { text: '🙂👍' },
  { text: '☆★♪ ---' },
  { text: '   ' },
  { text: '\u0085' }, // blank for Rust's trim (White_Space), not for String.prototype.trim
  { text: '\ufeff' }, // the reverse: not blank, and no token
  { text: '-津' },
  { text: '訪問看護 '.repeat(260) },
  { text: 'あ'.repeat(1200) },
  // filters with text
  { text: '放課後', category: 'facility' },
  { text: '訪問看護', category: 'visiting-nurse', region: 'tsu' },
  { text: '訪問看護', region: 'yokkaichi' },
  { text: 'ステーション', municipality: '鈴鹿市' },
  { text: 'ステーション', municipality: '24207' },
  { text: '支援', care: ['suction'] },
  { text: '支援', care: ['suction', 'tube-feeding'] },
  { text: 'デイ', age: 10 },
  { text: '看護', age: 0, category: 'visiting-nurse' },
  ...FLAG_IDS.map((f) => ({ text: '支援', flags: [f] })),
  { text: '療育', flags: ['transport', 'bathing'], region: 'tsu' },
  // blank text with filters
  { text: '', category: 'short-stay' },
  { text: '', region: 'iga' },
  { text: '', municipality: '津市' },
  { text: '', municipality: '24201', category: 'facility' },
  { text: '', care: ['ventilator'] },
  { text: '', care: ['tracheostomy', 'oxygen'], age: 5 },
  { text: '', age: 19 },
  { text: '', age: 121 },
  ...FLAG_IDS.map((f) => ({ text: '', flags: [f] })),
  { text: '', flags: FLAG_IDS },
  // unknown filter values are ignored
  { text: '訪問看護', category: 'zoo' },
  { text: '', region: 'osaka', care: ['suction', 'flying'] },
  { text: '津', municipality: '大阪市' },
  { text: '', municipality: '99999', category: 'school' },
  // near, with and without text and filters
  { text: '', near: TSU },
  { text: '訪問看護', near: TSU },
  { text: '津', near: [34.9651, 136.6245] },
  { text: '', near: far },
  { text: '', near: [34.27, 136.9], category: 'school' },
  { text: '', near: TSU, care: ['suction'], flags: ['weekend'] },
  { text: 'ステーション', near: [34.48, 136.7], region: 'ise-shima' },
  { text: '', near: TSU, municipality: '伊賀市' },
  { text: 'xyzzy', near: TSU },
  { text: '', near: TSU, limit: 40 },
];

/** Extra queries for the synthetic site (names and words that src/synth.rs generates). */
const SYNTH = [
  { text: '小児訪問看護ステーションゆいまーる' },
  { text: 'さくら児童発達支援センター' },
  { text: 'しょうにほうもんかんごすてーしょんこすもす' },
  { text: 'ｻｸﾗ' },
  { text: '医療法人社団ゆいまーる会' },
  { text: '合同会社コスモスケア' },
  { text: '三重県津市大字中村340' },
  { text: '高田本山' },
  { text: '059-000-4784' },
  { text: '514-8448' },
  { text: 'の' },
  { text: '茶話会' },
  { text: '宿泊の受け入れはしていません' },
  { text: 'ひだまり', category: 'visiting-nurse', care: ['suction'] },
  { text: '', category: 'facility', region: 'kuwana', flags: ['transport'] },
  { text: '', near: [34.0, 136.2], care: ['ventilator', 'suction'] },
  { text: 'わかば', near: [35.0, 136.6] },
];

/** Paging: the browser reader's `offset` against the CLI's longer list. */
const PAGES = [
  { text: '', near: TSU, offset: 25, limit: 15, cliLimit: 60 },
  { text: '訪問看護', near: [34.5, 136.4], offset: 10, limit: 10, cliLimit: 40 },
  { text: '訪問看護', offset: 30, limit: 20, cliLimit: 60 },
  { text: '', category: 'school', offset: 5, limit: 7, cliLimit: 20 },
  { text: '', near: [34.95, 136.6], offset: 0, limit: 200, cliLimit: 200 },
  { text: '', near: [33.9, 136.1], region: 'higashi-kishu', offset: 3, limit: 3, cliLimit: 10 },
];

function parity(name, setup, queries) {
  describe(name, () => {
    let site;
    let client;
    let cli;
    before(async () => {
      site = setup();
      client = new SearchClient({ base: pathToFileURL(join(site, 'public', 'search')).href + '/', fetch: fsFetch() });
      cli = await cliResults(site, queries);
    });
    queries.forEach((q, i) => {
      test(label(q), async () => {
        assertSame(await client.search(q), cli[i], q);
      });
    });
  });
}

const temps = [];
const temp = (prefix) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

let sampleSite;
function buildSample() {
  if (!sampleSite) {
    const dir = temp('tsunagu-sample-');
    cpSync(join(repo, 'content'), join(dir, 'content'), { recursive: true });
    cpSync(join(repo, 'themes'), join(dir, 'themes'), { recursive: true });
    cargoRun(['--root', dir, 'build', '--out', join(dir, 'public')]);
    sampleSite = dir;
  }
  return sampleSite;
}

function buildSynth() {
  const dir = join(temp('tsunagu-synth-'), 'site');
  cargoRun(['synth', '--entries', '10000', dir]);
  cargoRun(['--root', dir, 'build', '--out', join(dir, 'public')]);
  return dir;
}

parity('sample site', buildSample, [...COMMON, ...PAGES]);

describe('sample site: loading', () => {
  let base;
  let manifest;
  before(() => {
    base = pathToFileURL(join(buildSample(), 'public', 'search')).href + '/';
    manifest = JSON.parse(readFileSync(fileURLToPath(base + 'manifest.json'), 'utf8'));
  });

  test('hits carry the display fields', async () => {
    const { hits } = await new SearchClient({ base, fetch: fsFetch() }).search({ text: 'はなまる療育園' });
    const h = hits[0];
    assert.equal(h.id, 'tsu-hanamaru-ryoikuen');
    assert.equal(h.name, 'はなまる療育園');
    assert.equal(h.category.id, 'short-stay');
    assert.equal(h.municipality.name, '津市');
    assert.equal(h.region.id, 'tsu');
    assert.deepEqual(
      h.care.map((c) => c.id),
      ['tracheostomy', 'oxygen', 'suction', 'tube-feeding', 'bowel', 'seizure'],
    );
    assert.deepEqual(
      h.flags.map((f) => f.id),
      ['bathing', 'overnight', 'weekend'],
    );
    assert.equal(h.age_min, 0);
    assert.equal(h.age_max, 18);
    assert.equal(h.approx, true);
    assert.equal(h.distance_km, null);
  });

  test('the manifest once with no-cache; only the needed shards, each once', async () => {
    const fetch = fsFetch();
    const client = new SearchClient({ base, fetch });
    await client.search({ text: '津', category: 'facility' });
    await client.search({ text: '津' });
    const urls = fetch.log.map((l) => l.url.slice(base.length));
    assert.equal(urls.filter((u) => u === 'manifest.json').length, 1);
    assert.equal(fetch.log[0].init.cache, 'no-cache');
    assert.equal(new Set(urls).size, urls.length, 'no file twice');
    const terms = urls.filter((u) => u.startsWith('t-'));
    assert.ok(terms.length >= 1 && terms.length <= 3, terms.join());
    // Document shards: only those of the returned hits.
    const r = await new SearchClient({ base, fetch: fsFetch() }).search({ text: 'はなまる療育園', limit: 1 });
    assert.equal(r.hits.length, 1);
    const log2 = fsFetch();
    const c2 = new SearchClient({ base, fetch: log2 });
    const r2 = await c2.search({ text: '訪問看護', limit: 3 });
    const docShards = log2.log.map((l) => l.url.slice(base.length)).filter((u) => u.endsWith('.json') && u !== 'manifest.json');
    const want = new Set(r2.hits.map((h) => `${manifest.docs_dir}/${Math.floor(h.doc / manifest.docs_per_shard)}.json`));
    assert.deepEqual(new Set(docShards), want);
    assert.ok(!log2.log.some((l) => /\/g\d+\.bin$/.test(l.url)), 'no coordinates without near');
  });

  test('symbols-only text fetches nothing but the manifest', async () => {
    const fetch = fsFetch();
    const r = await new SearchClient({ base, fetch }).search({ text: '！？🙂', category: 'facility' });
    assert.deepEqual(r, { total: 0, hits: [], ignored: [] });
    assert.equal(fetch.log.length, 1);
  });

  test('bad input never throws', async () => {
    const client = new SearchClient({ base, fetch: fsFetch() });
    for (const q of [
      undefined,
      null,
      {},
      '津',
      { text: null },
      { text: 12 },
      { text: '\uD800' },
      { text: 'x'.repeat(100000) },
      { text: '津', limit: -1, offset: 'x' },
      { text: '津', limit: 0 },
      { text: '', near: 'here' },
      { text: '', near: [NaN, 1] },
      { text: '', near: [34.7, 136.5, 1] },
      { text: '', age: -3 },
      { text: '', age: 'five' },
      { text: '', age: 3.5 },
      { text: '', age: 300 },
      { text: '', care: 'suction' },
      { text: '', care: [null, ''], flags: ['nope'] },
      { text: '', category: '', municipality: null },
      { text: '津', offset: 1e9 },
    ]) {
      const r = await client.search(q);
      assert.ok(Number.isInteger(r.total) && Array.isArray(r.hits) && Array.isArray(r.ignored), label(q));
    }
    const r = await client.search({ text: '', near: 'here', age: 'five', flags: ['nope'] });
    assert.deepEqual(r.ignored, ['flag=nope', 'age=five', 'near=here']);
    assert.equal((await client.search({ text: '津', limit: 0 })).hits.length, 0);
    assert.equal((await client.search({ text: '', care: 'suction' })).total, (await client.search({ text: '', care: ['suction'] })).total);
  });

  test('a stale shard reloads the manifest once, then works', async () => {
    // The first manifest names a shard that is gone (a redeploy): 404, reload, retry.
    const real = readFileSync(fileURLToPath(base + 'manifest.json'), 'utf8');
    const m = JSON.parse(real);
    const stale = JSON.parse(real);
    stale.shards = stale.shards.map(([k, f, n]) => [k, f.replace(/^t-/, 't-0'), n]);
    let manifests = 0;
    const inner = fsFetch();
    const fetch = async (url, init) => {
      if (String(url).endsWith('manifest.json')) {
        manifests++;
        return new Response(JSON.stringify(manifests === 1 ? stale : m), { status: 200 });
      }
      return inner(url, init);
    };
    const client = new SearchClient({ base, fetch });
    const r = await client.search({ text: '津' });
    assert.deepEqual(r, await new SearchClient({ base, fetch: fsFetch() }).search({ text: '津' }));
    assert.equal(manifests, 2);
    await client.search({ text: '訪問' });
    assert.equal(manifests, 2, 'the fresh manifest is kept');
  });

  test('a shard that does not match its checksum: reload once, then a clear error', async () => {
    const dir = temp('tsunagu-corrupt-');
    cpSync(fileURLToPath(base), dir, { recursive: true });
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    for (const [, file] of m.shards) {
      const p = join(dir, file);
      const b = readFileSync(p);
      b[b.length - 1] ^= 1;
      writeFileSync(p, b);
    }
    const fetch = fsFetch();
    const client = new SearchClient({ base: pathToFileURL(dir).href + '/', fetch });
    await assert.rejects(client.search({ text: '津' }), /checksum.*after reloading the manifest/);
    assert.equal(fetch.log.filter((l) => l.url.endsWith('manifest.json')).length, 2);
  });

  test('HTTP errors: a missing manifest or document shard throws', async () => {
    const nowhere = pathToFileURL(join(temp('tsunagu-empty-'), 'search')).href + '/';
    await assert.rejects(new SearchClient({ base: nowhere, fetch: fsFetch() }).search({ text: '津' }), /manifest\.json: HTTP 404/);
    const dir = temp('tsunagu-nodocs-');
    cpSync(fileURLToPath(base), dir, { recursive: true });
    rmSync(join(dir, manifestDocsDir(dir)), { recursive: true });
    const fetch = fsFetch();
    await assert.rejects(
      new SearchClient({ base: pathToFileURL(dir).href + '/', fetch }).search({ text: '津' }),
      /HTTP 404 \(after reloading the manifest\)/,
    );
    assert.equal(fetch.log.filter((l) => l.url.endsWith('manifest.json')).length, 2);
    const other = pathToFileURL(dir).href + '/';
    const bad = async (url) =>
      String(url).endsWith('manifest.json') ? new Response('{"format":2,"tokenizer":1}') : new Response('', { status: 404 });
    await assert.rejects(new SearchClient({ base: other, fetch: bad }).search({}), /format 2/);
  });
});

function manifestDocsDir(dir) {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).docs_dir;
}

/** Random points over the synthetic site with random limits: nearest-first loading must not skip. */
function randomNear() {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = [];
  for (let i = 0; i < 8; i++) {
    const near = [33.7 + rnd() * 1.5, 135.9 + rnd() * 1.0].map((x) => Math.round(x * 1e4) / 1e4);
    const limit = 1 + Math.floor(rnd() * 300);
    const q = { text: '', near, limit, cliLimit: limit };
    if (i % 2) q.category = ['facility', 'short-stay', 'visiting-nurse', 'school'][i % 4];
    if (i % 3 === 0) q.text = '訪問';
    out.push(q);
  }
  return out;
}

parity('synthetic site, 10 000 entries', buildSynth, [...COMMON, ...SYNTH, ...PAGES, ...randomNear()]);
