// The browse pages of the sample site in Chromium: the care-item lists (/care/, /care/<id>/), the
// indexes (/categories/, /regions/, /entries/ and its 50音 rows, /data/), the home page's
// 「お子さんのケアから探す」 and the search page's keyword guide without JavaScript. Families who
// cannot run the search page's script must still reach every care item's list by clicking.
//
// Environment: see harness.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cliResults } from '../../search-index/js/test/oracle.mjs';
import { HERE, REPO, VIEWPORTS, assertNoProblems, build, launch, newPage as recordingPage, tempDir } from './harness.mjs';
import { serve } from './serve.mjs';

const AXE_PATH = join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const AXE_URL_PATH = '__test__/axe.min.js';

describe('browse pages in a real browser', () => {
  let work;
  let server;
  let browser;
  const visited = [];

  const url = (path = '') => `${server.url}${path.replace(/^\//, '')}`;

  async function newPage(viewport, { javaScript = true } = {}) {
    const page = await recordingPage(browser, viewport, { javaScriptEnabled: javaScript });
    await page.route(`**/${AXE_URL_PATH}`, (route) =>
      route.fulfill({ path: AXE_PATH, contentType: 'text/javascript; charset=utf-8' }),
    );
    visited.push(page.record);
    return page;
  }

  async function goto(page, path) {
    const res = await page.goto(url(path), { waitUntil: 'load' });
    assert.equal(res.status(), 200, `status of ${path}`);
  }

  /** The entry names a list page shows (its lines). */
  const listed = (page) => page.locator('main ul.lines li > a:first-child').allInnerTexts();

  before(
    async () => {
      work = await tempDir('tsunagu-pages-');
      await build(join(work.dir, 'public'));
      server = await serve({ root: join(work.dir, 'public'), base: '/tsunagu/' });
      browser = await launch();
    },
    { timeout: 15 * 60_000 }, // includes compiling tsunagu when nothing is built yet
  );

  after(async () => {
    await browser?.close();
    await server?.close();
    await work?.remove();
  });

  for (const vp of VIEWPORTS) {
    test(`no JavaScript, ${vp.width} px: home → a care item's list in 「お子さんのケアから探す」 → an entry that accepts it`, async () => {
      const page = await newPage(vp, { javaScript: false });
      try {
        await goto(page, '');
        const section = page.locator('section', { has: page.getByRole('heading', { name: 'お子さんのケアから探す' }) });
        const link = section.getByRole('link', { name: /^経管栄養 \d+件$/ });
        assert.equal(await link.count(), 1, 'one link to the 経管栄養 list');
        const count = Number((await link.innerText()).match(/(\d+)件/)[1]);
        assert.ok(count > 0, 'the sample has entries that accept 経管栄養');
        await link.click();
        await page.waitForURL(/\/tsunagu\/care\/tube-feeding\/$/);
        assert.equal(await page.locator('h1').innerText(), '経管栄養に対応している所');
        assert.match(await page.locator('main').innerText(), new RegExp(`掲載 ${count} 件`));
        assert.match(await page.locator('main').innerText(), /胃ろう/, 'the everyday words are shown');
        const names = await listed(page);
        assert.equal(names.length, Math.min(count, 100), 'the first page lists up to 100 lines');
        assert.equal(await page.locator('.breadcrumbs a').nth(1).innerText(), '医療的ケアから探す');
        await page.locator('main ul.lines li > a:first-child').first().click();
        await page.waitForURL(/\/tsunagu\/entries\/[a-z0-9-]+\/$/);
        assert.equal((await page.locator('h1').innerText()).trim(), names[0]);
        const care = await page.locator('main section', { has: page.locator('#care-heading') }).innerText();
        assert.match(care, /経管栄養/, 'the entry accepts 経管栄養');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the entry page is ${overflow}px wider than the viewport`);
      } finally {
        await page.close();
      }
    });
  }

  test('no JavaScript: the search page\'s keyword guide leads from an everyday word to the care list', async () => {
    const page = await newPage(VIEWPORTS[0], { javaScript: false });
    try {
      await goto(page, 'search/?q=%E8%83%83%E3%82%8D%E3%81%86'); // ?q=胃ろう, which cannot run without JavaScript
      const fallback = page.locator('#search-fallback');
      assert.ok(await fallback.isVisible(), 'the fallback is shown');
      assert.match(await fallback.innerText(), /JavaScript が必要です/);
      assert.match(await fallback.innerText(), /下書き/, 'the word list says it is a draft');
      // The item that lists 胃ろう among its words, and its link.
      const item = fallback.locator('ul.word-guide > li', { hasText: '胃ろう' }).first();
      const link = item.locator('a').first();
      assert.equal(await link.innerText(), '経管栄養');
      await link.click();
      await page.waitForURL(/\/tsunagu\/care\/tube-feeding\/$/);
      assert.ok((await listed(page)).length > 0, 'the care list lists entries');

      // Every care item of the guide has a list page, and so does every category.
      await goto(page, 'search/');
      const hrefs = await fallback.locator('ul.word-guide a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const care = new Set(hrefs.filter((h) => h.includes('/care/')));
      assert.equal(care.size, 14, `14 care lists are linked: ${[...care]}`);
      for (const href of [...care, ...new Set(hrefs.filter((h) => h.includes('/categories/')))]) {
        const res = await page.request.get(new URL(href, page.url()).href);
        assert.equal(res.status(), 200, href);
      }
    } finally {
      await page.close();
    }
  });

  test('with JavaScript: two care items checked on the home page land on /search/?care=…&care=… with results', async () => {
    const page = await newPage(VIEWPORTS[0]);
    try {
      await goto(page, '');
      const form = page.locator('form', { has: page.getByRole('button', { name: 'このケアに対応している所を探す' }) });
      await form.getByRole('checkbox', { name: '吸引' }).check();
      await form.getByRole('checkbox', { name: '経管栄養' }).check();
      await form.getByRole('button', { name: 'このケアに対応している所を探す' }).click();
      await page.waitForURL(/\/tsunagu\/search\/\?/);
      const params = new URL(page.url()).searchParams;
      assert.deepEqual(params.getAll('care'), ['suction', 'tube-feeding']);
      const [cli] = await cliResults(join(REPO), [{ care: ['suction', 'tube-feeding'], limit: 1 }]);
      assert.ok(cli.total > 0, 'the sample has entries that accept both');
      await page.waitForFunction(
        (total) => document.getElementById('search-status').textContent.startsWith(`${total}件見つかりました`),
        cli.total,
        { timeout: 10_000 },
      );
      assert.ok(await page.locator('#search-list .card').count() > 0, 'result cards are shown');
      assert.equal(await page.locator('#search-fallback').isVisible(), false, 'the fallback is hidden');
      assert.equal(await page.locator('input[name="care"][value="suction"]').isChecked(), true, 'the search form keeps 吸引');
    } finally {
      await page.close();
    }
  });

  test('axe-core: the index pages and their lists have no WCAG 2.1 A/AA violations and fit a phone', { timeout: 120_000 }, async (t) => {
    const pages = ['care/', 'care/ventilator/', 'care/suction/page/2/', 'categories/', 'regions/', 'entries/', 'entries/ha/', 'entries/other/', 'data/', 'search/'];
    const failures = [];
    await Promise.all(
      VIEWPORTS.map(async (vp) => {
        const page = await newPage(vp);
        // On the phone, the search page's script does nothing, so axe sees the page as a browser
        // without JavaScript shows it: the keyword guide (axe itself needs JavaScript).
        if (vp === VIEWPORTS[0]) {
          await page.route('**/search-ui.js', (route) => route.fulfill({ body: '', contentType: 'text/javascript; charset=utf-8' }));
        }
        try {
          for (const path of pages) {
            await goto(page, path);
            await page.addScriptTag({ url: url(AXE_URL_PATH) });
            const result = await page.evaluate(
              (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
              AXE_TAGS,
            );
            for (const v of result.violations) {
              failures.push(`${path} at ${vp.width}px: [${v.impact}] ${v.id}: ${v.help} ${v.nodes.map((n) => n.target).join(' ')}`);
            }
            if (path === 'search/') {
              const fallback = await page.locator('#search-fallback').isVisible();
              assert.equal(fallback, vp === VIEWPORTS[0], `the keyword guide is checked at ${vp.width}px`);
            }
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            if (overflow > 0) failures.push(`${path} is ${overflow}px wider than the ${vp.width}px viewport`);
            t.diagnostic(`${path} ${vp.width}px: ${result.violations.length} violations`);
          }
        } finally {
          await page.close();
        }
      }),
    );
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  test('axe-core: no two landmarks of a page share a name (landmark-unique), gap pages included', { timeout: 60_000 }, async () => {
    const page = await newPage(VIEWPORTS[1]);
    const failures = [];
    try {
      for (const path of ['', 'gaps/', 'gaps/tsu/', 'regions/', 'data/', 'search/']) {
        await goto(page, path);
        await page.addScriptTag({ url: url(AXE_URL_PATH) });
        const result = await page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: 'rule', values: ['landmark-unique'] }, resultTypes: ['violations'] }),
        );
        for (const v of result.violations) failures.push(`${path || '/'}: ${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`);
      }
    } finally {
      await page.close();
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  test('every page links the menu, whose indexes all load, and whose 「このサイトについて」 names the centre and the licence', async () => {
    const page = await newPage(VIEWPORTS[1], { javaScript: false });
    try {
      await goto(page, 'care/');
      assert.equal(await page.locator('footer a').getAttribute('href'), '/tsunagu/menu/#about');
      assert.equal(await page.locator('header a', { hasText: 'メニュー' }).getAttribute('href'), '/tsunagu/menu/');
      await page.locator('footer a').click();
      await page.waitForLoadState();
      const about = page.locator('#about');
      const text = await about.innerText();
      for (const part of ['このサイトについて', '掲載件数', 'CC BY 4.0', '掲載内容についての問い合わせ先', 'soudan@example.jp']) {
        assert.ok(text.includes(part), `${part} in ${text}`);
      }
      const links = await page
        .locator('nav[aria-label="メインメニュー"] ul[aria-labelledby="nav-more-label"] a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, ['categories/', 'regions/', 'care/', 'entries/', 'data/', 'gaps/'].map((p) => `/tsunagu/${p}`));
      for (const href of links) {
        await goto(page, href.replace('/tsunagu/', ''));
        assert.ok((await page.locator('h1').innerText()).length > 0, href);
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('footer a').isVisible(), false, `${href}: the footer's link does not print`);
        await page.emulateMedia({ media: 'screen' });
      }
    } finally {
      await page.close();
    }
  });

  test('no console errors, CSP refusals or failed loads on any visited page', () => {
    assertNoProblems(visited, 10);
  });
});
