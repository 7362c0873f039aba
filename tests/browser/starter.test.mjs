// A new prefecture's starter site (`tsunagu init`) in Chromium. Nothing has a position yet (the
// national municipality table has no coordinates and the listing gives none), so no distance can
// be computed: the search page offers no 近くを探す, and a shared URL's `near=` is named as ignored
// instead of sorting listings by their distance from nowhere.
//
// Environment: see harness.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VIEWPORTS, assertNoProblems, build, launch, newPage, tempDir, tsunagu } from './harness.mjs';
import { serve } from './serve.mjs';

const ENTRY = `+++
name = "つなぐ訪問看護ステーション"
kana = "つなぐほうもんかんごすてーしょん"
category = "visiting-nurse"
services = ["訪問看護"]
municipality = "長野市"
address = "長野県長野市1"
phone = "026-000-0000"
verified = 2026-11-01
+++
小児の訪問看護を行っています。
`;

describe('a starter site without positions in a real browser', () => {
  let work;
  let server;
  let browser;
  const visited = [];

  before(
    async () => {
      work = await tempDir('tsunagu-starter-');
      const site = join(work.dir, 'site');
      await tsunagu(['init', '--prefecture', '長野県', site]);
      await writeFile(join(site, 'content', 'entries', 'nagano', 'tsunagu-houmon.md'), ENTRY);
      await build(join(work.dir, 'public'), site);
      server = await serve({ root: join(work.dir, 'public'), base: '/' });
      browser = await launch();
    },
    { timeout: 15 * 60_000 }, // includes compiling tsunagu when nothing is built yet
  );

  after(async () => {
    await browser?.close();
    await server?.close();
    await work?.remove();
  });

  test('the search page offers no 近くを探す and ignores a near= it cannot use (390 and 1280 px)', async () => {
    for (const vp of VIEWPORTS) {
      const page = await newPage(browser, vp);
      visited.push(page.record);
      try {
        await page.goto(`${server.url}search/?q=${encodeURIComponent('訪問看護')}&near=36.65,138.18`);
        await page.waitForFunction(() => /件見つかりました/.test(document.getElementById('search-status').textContent));
        assert.equal(await page.locator('.facet-near').isVisible(), false, 'no 近くを探す');
        assert.equal(await page.locator('#search-geo').isVisible(), false, 'no 現在地から探す');
        assert.match(await page.locator('#search-status').innerText(), /^1件見つかりました。/);
        assert.doesNotMatch(await page.locator('#search-status').innerText(), /近い順/);
        const card = page.locator('#search-list article.card');
        assert.equal(await card.locator('h3').innerText(), 'つなぐ訪問看護ステーション');
        assert.equal(await card.locator('.card-distance').count(), 0, 'no distance on the card');
        assert.match(await page.locator('#search-ignored').innerText(), /近くを探す場所.*「36\.65,138\.18」/);
      } finally {
        await page.close();
      }
    }
  });

  test('no page errors, console errors or failed loads', () => {
    assertNoProblems(visited, 1);
  });
});
