// Phone-first layout of the sample site in Chromium: a compact header, the call button in the
// first screen, the home page's 「近くを探す」 (with and without JavaScript), print on A4 (an entry on
// one page, a list as a sheet with every care item and the address) and the mail to the centre.
//
// Environment: see harness.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  ARTIFACTS, REPO, assertNoProblems, build, launch, newPage as recordingPage, publishedEntries, tempDir,
} from './harness.mjs';
import { serve } from './serve.mjs';

const PHONE = { name: 'phone', width: 390, height: 844 };
const DESKTOP = { name: 'desktop', width: 1280, height: 800 };
// The printable height of an A4 page at the print stylesheet's margins (12 mm top and bottom),
// in CSS pixels (96 per inch).
const A4_CONTENT_PX = ((297 - 2 * 12) / 25.4) * 96;

/** Pages in a PDF that Chromium wrote: its page objects (`/Type /Page`, not `/Pages`). */
const pdfPages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

describe('phone-first layout and print', () => {
  let work;
  let server;
  let browser;
  let data; // the listings of the build's data/entries.csv, in data.entries
  const visited = [];

  const url = (path = '') => `${server.url}${path.replace(/^\//, '')}`;
  const withPhone = () => data.entries.filter((e) => e.phone);

  async function newPage(viewport, options = {}) {
    const page = await recordingPage(browser, viewport, options);
    visited.push(page.record);
    return page;
  }

  async function goto(page, path) {
    const res = await page.goto(url(path), { waitUntil: 'load' });
    assert.equal(res.status(), 200, `status of ${path}`);
  }

  before(
    async () => {
      work = await tempDir('tsunagu-layout-');
      const out = join(work.dir, 'public');
      await build(out);
      data = { entries: await publishedEntries(out) };
      const site = await readFile(join(REPO, 'content', 'site.toml'), 'utf8');
      assert.match(site, /^sample\s*=\s*true/m, 'the sample site shows its sample notice on every page');
      server = await serve({ root: out, base: '/tsunagu/' });
      browser = await launch();
      await mkdir(ARTIFACTS, { recursive: true });
    },
    { timeout: 15 * 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.close();
    await work?.remove();
  });

  test('the header is one compact line on entry and list pages; the search box is on the home page only', async (t) => {
    const entry = `entries/${withPhone()[0].id}/`;
    const bounds = { [PHONE.width]: 120, [DESKTOP.width]: 100 };
    for (const vp of [PHONE, DESKTOP]) {
      const page = await newPage(vp);
      try {
        for (const path of [entry, 'categories/facility/', 'regions/iga/', 'municipalities/24201/', 'search/']) {
          await goto(page, path);
          const { height } = await page.locator('header.site-header').boundingBox();
          assert.ok(height <= bounds[vp.width], `${path} at ${vp.width}px: header ${height}px high`);
          assert.equal(await page.locator('#site-search-q').count(), 0, `${path} has no header search box`);
          const buttons = await page.locator('header a.header-button').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
          assert.deepEqual(buttons, [['探す', '/tsunagu/search/'], ['メニュー', '/tsunagu/menu/']]);
          assert.equal(await page.locator('.sample-line').isVisible(), true, `${path} says it is sample data`);
          const line = await page.locator('.sample-line p').evaluate((p) => {
            const h = parseFloat(getComputedStyle(p).lineHeight);
            return { lines: Math.round((p.clientHeight - parseFloat(getComputedStyle(p).paddingTop) * 2) / h), text: p.textContent };
          });
          assert.equal(line.lines, 1, `${path} at ${vp.width}px: the sample notice is one line: ${line.text}`);
        }
        await goto(page, '');
        assert.equal(await page.locator('header #site-search-q').isVisible(), true, 'the home page keeps the search box');
        assert.match(await page.locator('header .sample-notice').innerText(), /架空のもの/);
        for (const [name, path] of [['home', ''], ['entry', entry], ['list', 'municipalities/24201/']]) {
          await goto(page, path);
          const file = join(ARTIFACTS, `layout-${name}-${vp.width}.png`);
          await page.screenshot({ path: file, animations: 'disabled' });
          t.diagnostic(`saved ${relative(REPO, file)}`);
        }
      } finally {
        await page.close();
      }
    }
  });

  test('the call button is in the first screen of every entry page with a phone (390×844 and 1280×800)', { timeout: 120_000 }, async () => {
    for (const vp of [PHONE, DESKTOP]) {
      const page = await newPage(vp);
      try {
        for (const e of withPhone()) {
          await goto(page, `entries/${e.id}/`);
          const button = page.locator('main a.button-tel');
          assert.match(await button.innerText(), /電話をかける/);
          const box = await button.boundingBox();
          assert.ok(box.y >= 0 && box.y + box.height <= vp.height, `${e.id} at ${vp.width}×${vp.height}: the call button ends at ${box.y + box.height}px`);
          assert.equal((await page.locator('main h1').innerText()).trim(), e.name, 'the h1 is the name');
        }
      } finally {
        await page.close();
      }
    }
  });

  test('home: 「近くを探す」 without JavaScript sends a municipality to the search page', async () => {
    const page = await newPage(PHONE, { javaScriptEnabled: false });
    try {
      await goto(page, '');
      const heading = page.locator('main h2', { hasText: '近くを探す' });
      assert.equal(await heading.isVisible(), true);
      const { y } = await heading.boundingBox();
      const categories = await page.locator('#categories-heading').boundingBox();
      assert.ok(y < categories.y, '近くを探す comes before the category tiles');
      assert.equal(await page.locator('#home-geo-button').isVisible(), false, 'no position button without JavaScript');
      assert.ok(await page.locator('main a[href="#regions-heading"]').count(), 'it points at the municipality lists');
      const code = await page.locator('#home-near option[value]:not([value=""])').first().getAttribute('value');
      await page.selectOption('#home-near', code);
      await page.locator('#home-near-form button').click();
      await page.waitForURL((u) => u.pathname === '/tsunagu/search/' && u.search === `?near=${code}`);
      assert.match(await page.locator('#search-nojs').innerText(), /JavaScript/);
    } finally {
      await page.close();
    }
  });

  test('home: 「現在地から探す」 opens the search page sorted by distance from the position, rounded', async () => {
    const page = await newPage(PHONE, {
      geolocation: { latitude: 34.718_61, longitude: 136.505_67 },
      permissions: ['geolocation'],
    });
    try {
      await goto(page, '');
      const button = page.locator('#home-geo-button');
      await button.waitFor({ state: 'visible' });
      assert.equal((await button.innerText()).trim(), '現在地から探す');
      await button.click();
      await page.waitForURL((u) => u.pathname === '/tsunagu/search/' && u.searchParams.get('near') === '34.72,136.51');
      await page.waitForFunction(() => /近い順/.test(document.getElementById('search-status').textContent));
      assert.match(await page.locator('#search-summary').innerText(), /近い順/);
      assert.ok(await page.locator('#search-list .card-distance').first().innerText(), 'results show their distance');
    } finally {
      await page.close();
    }
  });

  test('home: a refused position says what to do instead', async () => {
    const page = await newPage(PHONE, { permissions: [] });
    try {
      await goto(page, '');
      await page.locator('#home-geo-button').click();
      const status = page.locator('#home-geo-status');
      await status.filter({ hasText: '許可されませんでした' }).waitFor();
      assert.match(await status.innerText(), /市町村を選んでください/);
      assert.ok(page.url().endsWith('/tsunagu/'), 'the page stays');
    } finally {
      await page.close();
    }
  });

  test('print: an entry page is exactly one A4 page (the five longest and the first with a phone)', { timeout: 180_000 }, async () => {
    const page = await newPage(DESKTOP);
    try {
      // The printed height of every entry at the A4 content width, to pick the longest.
      await page.setViewportSize({ width: Math.floor(((210 - 2 * 14) / 25.4) * 96), height: 200 });
      await page.emulateMedia({ media: 'print' });
      const heights = [];
      for (const e of data.entries) {
        await goto(page, `entries/${e.id}/`);
        heights.push([await page.evaluate(() => document.documentElement.scrollHeight), e.id]);
      }
      heights.sort((a, b) => b[0] - a[0]);
      const picked = new Set([...heights.slice(0, 5).map(([, id]) => id), withPhone()[0].id]);
      for (const id of picked) {
        await goto(page, `entries/${id}/`);
        const pdf = await page.pdf({ format: 'A4' });
        assert.equal(pdfPages(pdf), 1, `entries/${id}/ prints on ${pdfPages(pdf)} pages`);
        assert.equal(await page.locator('a.header-button').first().isVisible(), false, 'no header buttons in print');
        assert.equal(await page.locator('.report').isVisible(), false, 'no report buttons in print');
        const phone = data.entries.find((e) => e.id === id).phone;
        if (phone) {
          // 「電話をかける」 gives way to 「電話：」 before the number (a ::before, not in innerText).
          assert.equal(await page.locator('main .tel').innerText(), phone, 'the call button prints as its number');
          const before = await page.locator('main .tel .tel-number').evaluate((n) => getComputedStyle(n, '::before').content);
          assert.equal(before, '"電話："');
        }
      }
      const longest = heights[0];
      assert.ok(longest[0] <= A4_CONTENT_PX, `the longest entry (${longest[1]}) is ${longest[0]}px of ${A4_CONTENT_PX}px`);
      await writeFile(join(ARTIFACTS, 'layout-print-entry.pdf'), await page.pdf({ format: 'A4' }));
    } finally {
      await page.close();
    }
  });

  test('print: a list page names every care item and the address of each listing, without the navigation', async () => {
    const page = await newPage(DESKTOP);
    try {
      const byId = new Map(data.entries.map((e) => [e.id, e]));
      // A municipality's list shows whole cards (the other lists show lines): one with a listing
      // that accepts more than six care items.
      const path = `municipalities/${data.entries.find((e) => e.care.length > 6).municipality_code}/`;
      await goto(page, path);
      const ids = await page.locator('main article.card').evaluateAll((cards) => cards.map((c) => c.querySelector('h3 a').getAttribute('href').match(/\/entries\/([^/]+)\/$/)[1]));
      assert.ok(ids.some((id) => byId.get(id).care.length > 6), `${path} has a listing with more than six care items`);
      const card = (id) => page.locator(`article.card:has(h3 a[href$="/entries/${id}/"])`);
      assert.doesNotMatch(await card(ids[0]).innerText(), /所在地/, 'on screen the card shows no address');

      await page.emulateMedia({ media: 'print' });
      for (const sel of ['a.header-button', '.breadcrumbs', '.pagination', '.map-toggle', '.search-link']) {
        assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} is hidden in print`);
      }
      for (const id of ids) {
        const e = byId.get(id);
        const text = await card(id).innerText();
        assert.ok(text.includes(e.name), `${id}: name`);
        assert.ok(text.includes(`所在地：${e.address}`), `${id}: address printed: ${text}`);
        if (e.phone) assert.ok(text.includes(e.phone) && !text.includes('電話 '), `${id}: phone printed as text: ${text}`);
        for (const c of e.care) assert.ok(text.includes(c), `${id}: care item ${c} printed`);
        assert.doesNotMatch(text, /ほか\d+項目/, `${id}: no 「ほか n 項目」 on paper`);
      }
      const pdf = await page.pdf({ format: 'A4', path: join(ARTIFACTS, 'layout-print-list.pdf') });
      assert.ok(pdfPages(pdf) <= Math.ceil(ids.length / 7), `${ids.length} listings on ${pdfPages(pdf)} pages`);
    } finally {
      await page.close();
    }
  });

  test('print: a list of lines prints at least forty lines to an A4 page', async () => {
    const page = await newPage(DESKTOP);
    try {
      // The longest care-item list of the sample.
      await goto(page, 'care/');
      const paths = await page
        .locator('main a[href*="/care/"]')
        .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href').replace(/^\/tsunagu\//, '')))]);
      let lines = 0;
      let longest = null;
      for (const path of paths) {
        await goto(page, path);
        const n = await page.locator('main .lines > li').count();
        if (n > lines) [lines, longest] = [n, path];
      }
      await goto(page, longest);
      await page.emulateMedia({ media: 'print' });
      assert.ok(lines > 40, `${lines} lines`);
      assert.equal(await page.locator('main .lines > li small').first().isVisible(), true, 'kind and place print');
      const pdf = await page.pdf({ format: 'A4', path: join(ARTIFACTS, 'layout-print-lines.pdf') });
      assert.ok(pdfPages(pdf) <= Math.ceil(lines / 40), `${lines} lines on ${pdfPages(pdf)} pages`);
    } finally {
      await page.close();
    }
  });

  test('「情報の誤りを知らせる」 is a mail to the centre naming the listing', async () => {
    const page = await newPage(PHONE);
    try {
      const e = withPhone()[0];
      await goto(page, `entries/${e.id}/`);
      const link = page.locator('main a', { hasText: '情報の誤りを知らせる' });
      const mail = new URL(await link.getAttribute('href'));
      assert.equal(mail.protocol, 'mailto:');
      assert.equal(mail.pathname, 'soudan@example.jp');
      const subject = mail.searchParams.get('subject');
      const body = mail.searchParams.get('body');
      assert.ok(subject.includes(e.name), subject);
      for (const part of [`https://example.org/tsunagu/entries/${e.id}/`, '誤っている内容', '正しい内容']) {
        assert.ok(body.includes(part), `${part} in ${body}`);
      }
      assert.match(await page.locator('main').innerText(), /掲載内容についての問い合わせ先/);
      assert.ok(await page.locator('main a', { hasText: '入力フォームで知らせる' }).count(), 'the form is linked');
    } finally {
      await page.close();
    }
  });

  test('no console errors, CSP refusals or failed loads on any visited page', () => {
    assertNoProblems(visited, 10);
  });
});
