// Parity in Chromium (issue 3): the search reader the site ships (search/tsunagu-search.js), loaded
// in a page of the served site, must answer the queries of search-index/js/test/parity.test.mjs as
// `tsunagu search --json` does — same total, same ids in the same order, same scores and
// distances, same ignored filters — on the sample site and on a synthetic site of 10 000 entries.

import { after, before, describe, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertSame, buildSample, buildSynth, buildWithRestFiles, cliResults, COMMON, label, PAGES, randomNear, SYNTH,
} from '../../search-index/js/test/oracle.mjs';
import { assertNoProblems, launch, newPage, tempDir } from './harness.mjs';
import { serve } from './serve.mjs';

const SYNTH_ENTRIES = 10000;

/** The path of the site's base_url (content/site.toml): where the server must put it. */
async function basePath(site) {
  const toml = await readFile(join(site, 'content', 'site.toml'), 'utf8');
  return new URL(/^base_url\s*=\s*"([^"]+)"/m.exec(toml)[1]).pathname;
}
// Where the build puts the reader (search-index/js/README.md), relative to the site root.
const READER = 'search/tsunagu-search.js';

describe('search reader in Chromium: parity with tsunagu search', () => {
  let work;
  let browser;
  const records = [];
  const exactness = { exact: 0, inexact: 0 };

  before(async () => {
    work = await tempDir('tsunagu-parity-');
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await work?.remove();
  });

  // The CLI's answers, once per site and query list.
  const answers = new Map();
  const cliOnce = (site, queries) => {
    const key = `${site}\n${JSON.stringify(queries)}`;
    if (!answers.has(key)) answers.set(key, cliResults(site, queries));
    return answers.get(key);
  };

  /** The queries through the reader over `out` (an export of the site) in Chromium, and the CLI. */
  function parity(name, setup, queries, out = 'public') {
    describe(name, () => {
      let cli;
      let js;
      before(
        async () => {
          const site = setup();
          cli = await cliOnce(site, queries);
          const server = await serve({ root: join(site, out), base: await basePath(site) });
          const page = await newPage(browser);
          records.push(page.record);
          try {
            await page.goto(server.url);
            js = await page.evaluate(
              async ({ reader, queries }) => {
                const { SearchClient } = await import(new URL(reader, location.href).href);
                const client = new SearchClient({ base: new URL('search/', location.href).href });
                const out = [];
                for (const q of queries) {
                  try {
                    out.push(await client.search(q));
                  } catch (e) {
                    out.push({ error: String(e) });
                  }
                }
                // Only what the comparison reads crosses back to Node.
                return out.map((r) =>
                  r.error ? r : { total: r.total, ignored: r.ignored, dropped: r.dropped, hits: r.hits.map(({ id, score, distance_km }) => ({ id, score, distance_km })) },
                );
              },
              { reader: READER, queries },
            );
          } finally {
            await page.close();
            await server.close();
          }
        },
        { timeout: 10 * 60_000 },
      );
      queries.forEach((q, i) => {
        test(label(q), () => {
          if (js[i].error) throw new Error(js[i].error);
          assertSame(js[i], cli[i], q, exactness);
        });
      });
    });
  }

  parity('sample site', () => buildSample(join(work.dir, 'sample')), [...COMMON, ...PAGES]);
  // Built once, also with rest files for every term of more than 256 postings (a site of this
  // size has almost none otherwise).
  let synth;
  const synthSite = () => (synth ??= buildWithRestFiles(buildSynth(join(work.dir, 'synth'), SYNTH_ENTRIES)));
  const synthQueries = [...COMMON, ...SYNTH, ...PAGES, ...randomNear()];
  parity(`synthetic site, ${SYNTH_ENTRIES} entries`, synthSite, synthQueries);
  parity(`synthetic site, ${SYNTH_ENTRIES} entries, with rest files`, synthSite, synthQueries, 'public-rest');

  test('no page errors, console errors or failed loads', (t) => {
    t.diagnostic(`scores compared: ${exactness.exact} bit-identical, ${exactness.inexact} within 1e-9`);
    assertNoProblems(records, 2);
  });
});
