// Parity: the browser reader over the exported files must return what `tsunagu search --json`
// returns from the tantivy index — same total, same ids in the same order, same scores and
// distances — on the sample site and on a synthetic 10 000-entry site.
//
// Run from anywhere: node --test search-index/js/test/   (needs cargo; TSUNAGU_PROFILE=release for a release binary)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { fnv1a, SearchClient } from '../search.js';
import { assertSame, buildSample as buildSampleIn, buildSite, copySample, buildSynth as buildSynthIn, buildWithRestFiles, cliResults, COMMON, FLAG_IDS, label, PAGES, randomNear, SYNTH } from './oracle.mjs';

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

const exactness = { exact: 0, inexact: 0 };
after(() => console.log(`# scores compared: ${exactness.exact} bit-identical, ${exactness.inexact} within 1e-9`));

/** Every query through the reader over each of `outputs` (exports of the site) and the CLI. */
function parity(name, setup, queries, outputs = ['public']) {
  describe(name, () => {
    let site;
    let clients;
    let cli;
    before(async () => {
      site = setup();
      clients = outputs.map((out) => new SearchClient({ base: pathToFileURL(join(site, out, 'search')).href + '/', fetch: fsFetch() }));
      cli = await cliResults(site, queries);
    });
    queries.forEach((q, i) => {
      test(label(q), async () => {
        for (const [k, client] of clients.entries())
          try {
            assertSame(await client.search(q), cli[i], q, exactness);
          } catch (e) {
            e.message = `${outputs[k]}: ${e.message}`;
            throw e;
          }
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
const buildSample = () => (sampleSite ??= buildSampleIn(temp('tsunagu-sample-')));
let synthSite;
const buildSynth = () => (synthSite ??= buildWithRestFiles(buildSynthIn(join(temp('tsunagu-synth-'), 'site'), 10000)));

parity('sample site', buildSample, [...COMMON, ...PAGES]);

// A listing whose name says 人工呼吸器 but that does not accept it: by score it leads, by the rule
// that a named care item's listings come first it is last (tests/synonyms.rs pins the CLI side).
parity(
  'sample site with a name that names a care item it does not accept',
  () => {
    const dir = copySample(temp('tsunagu-named-'));
    writeFileSync(
      join(dir, 'content', 'entries', 'tsu', 'tsu-kokyuki-soudan.md'),
      '+++\nname = "人工呼吸器の相談室つ"\ncategory = "facility"\nservices = ["障害児相談支援"]\nmunicipality = "津市"\naddress = "三重県津市西丸之内1-1"\nphone = "059-000-0001"\ncare = ["suction"]\nverified = 2026-04-01\n+++\n人工呼吸器の使い方の相談を受けます。\n',
    );
    return buildSite(dir);
  },
  [{ text: '人工呼吸器' }, { text: '呼吸器', limit: 100 }, { text: 'NPPV' }, { text: '人工呼吸器 吸引', region: 'tsu' }, { text: 'ストーマ 人工呼吸器' }],
);

describe('sample site: loading', () => {
  let base;
  let manifest;
  before(() => {
    base = pathToFileURL(join(buildSample(), 'public', 'search')).href + '/';
    manifest = JSON.parse(readFileSync(fileURLToPath(base + 'manifest.json'), 'utf8'));
  });

  test("the oracle's flag ids are the manifest's", () => {
    assert.deepEqual(manifest.facets.flags.map((f) => f.id).sort(), [...FLAG_IDS].sort());
  });

  test('a manifest with a display record field of an unknown encoding is refused', async () => {
    const m = structuredClone(manifest);
    m.record.push(['phone', 'utf16']);
    const fetch = async () => new Response(JSON.stringify(m));
    await assert.rejects(new SearchClient({ base, fetch }).search({ text: '津' }), /manifest\.json is not a valid search index file/);
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

  test('the manifest once with no-cache; only the needed buckets, each once', async () => {
    const fetch = fsFetch();
    const client = new SearchClient({ base, fetch });
    await client.search({ text: '津', category: 'facility' });
    await client.search({ text: '津' });
    const urls = fetch.log.map((l) => l.url.slice(base.length));
    assert.equal(urls.filter((u) => u === 'manifest.json').length, 1);
    assert.equal(fetch.log[0].init.cache, 'no-cache');
    assert.equal(new Set(urls).size, urls.length, 'no file twice');
    // One token, its exact name in the same bucket, the category a range: one bucket.
    const buckets = urls.filter((u) => /\/\d+\.bin$/.test(u));
    assert.deepEqual(buckets, [`${manifest.dir}/${fnv1a('津') % manifest.buckets}.bin`]);
    // Display shards: only for hits that no loaded bucket shows, and only theirs.
    const log2 = fsFetch();
    const r2 = await new SearchClient({ base, fetch: log2 }).search({ text: '訪問看護', limit: 40 });
    const shards = log2.log.map((l) => l.url.slice(base.length)).filter((u) => /\/d\d+\.bin$/.test(u));
    const hitShards = new Set(r2.hits.map((h) => `${manifest.dir}/d${Math.floor(h.doc / manifest.docs_per_shard)}.bin`));
    assert.ok(shards.every((u) => hitShards.has(u)), shards.join());
    assert.ok(!log2.log.some((l) => /\/g\d+\.bin$/.test(l.url)), 'no coordinates without near');
  });

  test('symbols-only text fetches nothing but the manifest', async () => {
    const fetch = fsFetch();
    const r = await new SearchClient({ base, fetch }).search({ text: '！？🙂', category: 'facility' });
    assert.deepEqual(r, { total: 0, hits: [], ignored: [], dropped: [] });
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
    stale.dir = 'x-00000000';
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

  test('a shard that does not match its checksum or does not inflate: reload once, then a clear error', async () => {
    const corrupt = (change, message) => async () => {
      const dir = temp('tsunagu-corrupt-');
      cpSync(fileURLToPath(base), dir, { recursive: true });
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      for (const file of readdirSync(join(dir, m.dir)).filter((f) => /^\d+\.bin$/.test(f))) {
        const p = join(dir, m.dir, file);
        writeFileSync(p, change(readFileSync(p)));
      }
      const fetch = fsFetch();
      const client = new SearchClient({ base: pathToFileURL(dir).href + '/', fetch });
      await assert.rejects(client.search({ text: '津' }), message);
      assert.equal(fetch.log.filter((l) => l.url.endsWith('manifest.json')).length, 2);
    };
    // One bit of the content (the files are deflated: change it inside).
    await corrupt((b) => {
      const x = inflateRawSync(b);
      x[x.length - 1] ^= 1;
      return deflateRawSync(x);
    }, /checksum.*after reloading the manifest/)();
    // Not deflate at all, or cut short.
    await corrupt((b) => inflateRawSync(b), /not a deflated index file.*after reloading the manifest/)();
    await corrupt((b) => b.subarray(0, b.length >> 1), /not a deflated index file.*after reloading the manifest/)();
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
      String(url).endsWith('manifest.json') ? new Response('{"format":4,"tokenizer":1}') : new Response('', { status: 404 });
    await assert.rejects(new SearchClient({ base: other, fetch: bad }).search({}), /format 4/);
  });
});

describe("sample site: the site's copy of the reader", () => {
  // `tsunagu build` writes search/tsunagu-search.js with the manifest built in.
  let dir;
  let built;
  before(async () => {
    dir = join(buildSample(), 'public', 'search');
    built = await import(pathToFileURL(join(dir, 'tsunagu-search.js')).href);
  });

  test('it uses its built-in manifest: no request for manifest.json, the same results', async () => {
    const base = pathToFileURL(dir).href + '/';
    const fetch = fsFetch();
    const client = new built.SearchClient({ base, fetch });
    // The manifest as read: its site words with the synonyms' words added.
    const file = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const words = built.siteWords(file.facets.words, file.facets.synonyms);
    assert.ok(words.length > file.facets.words.length && words.includes('いろう'), 'the synonyms add their words');
    assert.deepEqual(await client.manifest(), { ...file, facets: { ...file.facets, words } });
    const r = await client.search({ text: '訪問看護', region: 'tsu' });
    assert.deepEqual(r, await new SearchClient({ base, fetch: fsFetch() }).search({ text: '訪問看護', region: 'tsu' }));
    assert.ok(fetch.log.length > 0);
    assert.ok(!fetch.log.some((l) => l.url.endsWith('manifest.json')), fetch.log.map((l) => l.url).join());
  });

  test('for another directory it fetches that manifest', async () => {
    const other = temp('tsunagu-other-');
    cpSync(dir, other, { recursive: true });
    const fetch = fsFetch();
    await new built.SearchClient({ base: pathToFileURL(other).href + '/', fetch }).search({ text: '津' });
    assert.equal(fetch.log.filter((l) => l.url.endsWith('manifest.json')).length, 1);
  });

  test('after a redeploy (its directory gone) it loads manifest.json once, then works', async () => {
    // A copy of the site's search/ whose index directory was renamed by a later deploy: the
    // reader copied with it still names the old one.
    const site = temp('tsunagu-redeploy-');
    cpSync(dir, site, { recursive: true });
    const m = JSON.parse(readFileSync(join(site, 'manifest.json'), 'utf8'));
    cpSync(join(site, m.dir), join(site, 'x-00000001'), { recursive: true });
    rmSync(join(site, m.dir), { recursive: true });
    writeFileSync(join(site, 'manifest.json'), JSON.stringify({ ...m, dir: 'x-00000001' }));
    const { SearchClient: Copy } = await import(pathToFileURL(join(site, 'tsunagu-search.js')).href);
    const fetch = fsFetch();
    const client = new Copy({ base: pathToFileURL(site).href + '/', fetch });
    const r = await client.search({ text: '津' });
    assert.deepEqual(r, await new SearchClient({ base: pathToFileURL(dir).href + '/', fetch: fsFetch() }).search({ text: '津' }));
    assert.equal(fetch.log.filter((l) => l.url.endsWith('manifest.json')).length, 1);
    assert.ok(fetch.log.some((l) => l.url.includes(`/${m.dir}/`) ), 'the old directory was tried first');
    await client.search({ text: '訪問' });
    assert.equal(fetch.log.filter((l) => l.url.endsWith('manifest.json')).length, 1, 'the fresh manifest is kept');
  });
});

function manifestDocsDir(dir) {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).dir;
}

parity('synthetic site, 10 000 entries', buildSynth, [...COMMON, ...SYNTH, ...PAGES, ...randomNear()], ['public', 'public-rest']);

describe('synthetic site: loading', () => {
  test('a one-token query reads the manifest and one bucket, which shows its top 10', async () => {
    const base = pathToFileURL(join(buildSynth(), 'public', 'search')).href + '/';
    for (const text of ['吸引', '津', '送迎']) {
      const fetch = fsFetch();
      const r = await new SearchClient({ base, fetch }).search({ text });
      assert.equal(r.hits.length, 10);
      const urls = fetch.log.map((l) => l.url.slice(base.length));
      assert.equal(urls.length, 2, urls.join());
      assert.match(urls[1], /^x-[0-9a-f]{8}\/\d+\.bin$/);
    }
  });

  test('a site word is one token, one bucket', async () => {
    const base = pathToFileURL(join(buildSynth(), 'public', 'search')).href + '/';
    for (const text of ['放課後等デイサービス', '人工呼吸器', '特別支援学校', '四日市']) {
      const fetch = fsFetch();
      const r = await new SearchClient({ base, fetch }).search({ text });
      assert.equal(r.hits.length, 10, text);
      assert.equal(fetch.log.length, 2, `${text}: ${fetch.log.map((l) => l.url.slice(base.length)).join()}`);
    }
  });

});

// A one-token query filtered to cells (region, municipality, category) ranks its first page from
// its bucket and shows it from the bucket or the term's shown file: no rest file, no display
// shard, whatever the token's document count.
const CELL_FILTERS = [
  {},
  { region: 'tsu' },
  { region: 'iga', category: 'visiting-nurse' },
  { municipality: '津市' },
  { municipality: '伊勢市', category: 'facility' },
  { category: 'short-stay' },
  { category: 'school' },
];
const ONE_TOKEN = ['送迎', '吸引', '入浴', '津', '市', 'ひま', '看護', '訪問看護', '人工呼吸器', '放課後等デイサービス', '経管栄養', '四日市'];
for (const [name, setup, out, someShown] of [
  ['sample site', () => buildSample(), 'public', false],
  ['synthetic site', () => buildSynth(), 'public', true],
  ['synthetic site with rest files', () => buildSynth(), 'public-rest', true],
])
  test(`${name}: a one-token query filtered to cells needs its bucket and at most its shown file`, async () => {
    const base = pathToFileURL(join(setup(), out, 'search')).href + '/';
    let shownFiles = 0;
    for (const text of ONE_TOKEN)
      for (const filter of CELL_FILTERS) {
        const q = { text, ...filter };
        const fetch = fsFetch();
        const r = await new SearchClient({ base, fetch }).search(q);
        assert.equal(r.hits.length, Math.min(10, r.total), JSON.stringify(q));
        const urls = fetch.log.map((l) => l.url.slice(base.length)).filter((u) => u !== 'manifest.json');
        const extra = urls.slice(1);
        assert.ok(extra.length <= 1 && extra.every((u) => /\/\d+s\d+\.bin$/.test(u)), `${JSON.stringify(q)}: ${urls.join()}`);
        shownFiles += extra.length;
      }
    // The sample's terms are all shown by their buckets.
    assert.equal(shownFiles > 0, someShown, `${shownFiles} shown files`);
  });

// A conjunction of terms that keep all their levels in their buckets (all but the very commonest
// of a 10 000-entry site) ranks from those buckets; its first page is usually among the best documents of one of its
// terms, which the buckets show. With rest files, it loads those of the categories its candidates
// are in, not every category's.
const CONJUNCTIONS = ['看護師 吸引', '訪問 送迎', '吸引 入浴', '人工呼吸器 短期入所', '経管栄養 土日'];
test('synthetic site: a conjunction ranks from its buckets, or from the rest files of some categories', async () => {
  const site = buildSynth();
  let restFiles = 0;
  for (const out of ['public', 'public-rest']) {
    const base = pathToFileURL(join(site, out, 'search')).href + '/';
    for (const text of CONJUNCTIONS) {
      const fetch = fsFetch();
      const r = await new SearchClient({ base, fetch }).search({ text });
      assert.equal(r.hits.length, 10, text);
      const urls = fetch.log.map((l) => l.url.slice(base.length)).filter((u) => u !== 'manifest.json');
      const tokens = new Set(urls.filter((u) => /\/\d+\.bin$/.test(u))).size;
      if (out === 'public' && text === '看護師 吸引') assert.equal(urls.length, tokens, `${text}: shown by its buckets: ${urls.join()}`);
      const rest = urls.filter((u) => /r\d+-\d+\.bin$/.test(u));
      if (out === 'public') assert.equal(rest.length, 0, `${text}: ${urls.join()}`);
      else {
        // Of the rest files its terms have, it loads only some.
        const terms = new Set(rest.map((u) => u.replace(/-\d+\.bin$/, '').split('/').pop()));
        const dir = join(site, out, 'search', manifestDocsDir(join(site, out, 'search')));
        const all = readdirSync(dir).filter((f) => terms.has(f.replace(/-\d+\.bin$/, ''))).length;
        assert.ok(rest.length < all || !rest.length, `${text}: ${rest.length} of ${all} rest files`);
        restFiles += rest.length;
      }
    }
  }
  assert.ok(restFiles > 0, 'some conjunction needed rest files');
});
