// The search page (/search/) of the sample site in Chromium: what people do with it, checked
// against `tsunagu search --json` (the oracle) for the same filters — keyword, facets, near me,
// URL state, Back, keyboard only, unknown filters, bad queries, a stale or missing index, no
// JavaScript — with screenshots at 390 and 1280 px. Run with tests/browser/run.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSample, buildSite, cliResults, copySample, label } from '../../search-index/js/test/oracle.mjs';
import { ARTIFACTS, REPO, VIEWPORTS, assertNoProblems, launch, newPage as recordingPage, tempDir } from './harness.mjs';
import { serve } from './serve.mjs';

const PER_PAGE = 20; // results the page shows before もっと見る
const TSU_STATION = { latitude: 34.7303, longitude: 136.5086 };
const FLAGS = {
  transport: '送迎', bathing: '入浴', weekend: '土日祝', evening: '夕方', overnight: '宿泊', walking: '動ける医ケア児',
  emergency_power: '非常用電源', welfare_shelter: '福祉避難所',
};

describe('search page in a real browser', () => {
  let work;
  let site; // the sample site's root (content/, public/, the CLI's index)
  let server;
  let browser;
  let stale; // manifest of an earlier deploy (fewer entries), for the stale-cache test
  const visited = [];

  const url = (path = '') => `${server.url}${path.replace(/^\//, '')}`;

  async function newPage(viewport = VIEWPORTS[1], options = {}) {
    const page = await recordingPage(browser, viewport, options);
    visited.push(page.record);
    return page;
  }

  /** The oracle's answer for `q` (a parity query object), as many hits as the page shows. */
  async function oracle(q) {
    const [cli] = await cliResults(site, [{ limit: PER_PAGE, ...q }]);
    return cli;
  }

  /** What the page shows: the aria-live status, result ids in order, distances, ignored filters. */
  function shown(page) {
    return page.evaluate(() => {
      const $ = (id) => document.getElementById(id);
      return {
        status: $('search-status').textContent,
        ids: [...$('search-list').querySelectorAll('.card-title a')].map((a) =>
          decodeURIComponent(new URL(a.href).pathname.split('/').at(-2)),
        ),
        distances: [...$('search-list').querySelectorAll('.card-distance')].map((d) => d.firstChild.textContent),
        ignored: $('search-ignored').hidden ? '' : $('search-ignored').textContent,
        alert: $('search-alert').textContent,
        dropped: $('search-dropped').hidden ? '' : $('search-dropped').textContent,
      };
    });
  }

  /**
   * Waits for the page to announce the oracle's total for `q`, then asserts it lists the oracle's
   * ids in the oracle's order. Resolves to { cli, got }.
   */
  async function expectOracle(page, q, count = PER_PAGE) {
    const cli = await oracle({ ...q, limit: count });
    await page.waitForFunction(
      (total) => {
        const t = document.getElementById('search-status').textContent;
        return total ? t.startsWith(`${total}件見つかりました`) : /見つかりませんでした|探せません/.test(t);
      },
      cli.total,
      { timeout: 10_000 },
    ).catch(async () => assert.fail(`${label(q)}: wanted ${cli.total} results, the page says ${JSON.stringify((await shown(page)).status)}`));
    const got = await shown(page);
    assert.deepEqual(got.ids, cli.hits.map((h) => h.id), `ids in order for ${label(q)}`);
    return { cli, got };
  }

  /** Opens a page of the site; on the search page, waits until the form is ready to use. */
  async function open(page, path) {
    await page.goto(url(path));
    if (path.startsWith('search/')) {
      await page.waitForFunction(() => ['search-status', 'search-summary', 'search-alert'].some((id) => document.getElementById(id).textContent));
    }
  }

  /** Sets the form as a person would (clicks, choices, typing) and presses この条件で探す. */
  async function fillAndSubmit(page, q) {
    await page.fill('#search-q', q.text ?? '');
    await page.check(`input[name="category"][value="${q.category ?? 'all'}"]`);
    await page.selectOption('#search-region', q.region ?? '');
    await page.selectOption('#search-municipality', q.municipality ?? '');
    for (const box of await page.locator('input[name="care"]').all()) {
      await box.setChecked((q.care ?? []).includes(await box.getAttribute('value')));
    }
    await page.fill('#search-age', q.age === undefined ? '' : String(q.age));
    for (const f of Object.keys(FLAGS)) await page.setChecked(`input[name="${f}"]`, (q.flags ?? []).includes(f));
    await page.click('#search-submit');
  }

  before(
    async () => {
      work = await tempDir('tsunagu-search-');
      site = buildSample(join(work.dir, 'sample'));
      // An earlier deploy: the same site with one region's entries fewer, so its index files differ.
      const prev = copySample(join(work.dir, 'previous'));
      rmSync(join(prev, 'content', 'entries', 'iga'), { recursive: true });
      buildSite(prev);
      stale = join(prev, 'public', 'search', 'tsunagu-search.js'); // its manifest built in
      server = await serve({ root: join(site, 'public'), base: '/tsunagu/' });
      browser = await launch();
      mkdirSync(ARTIFACTS, { recursive: true });
    },
    { timeout: 15 * 60_000 }, // includes compiling tsunagu when nothing is built yet
  );

  after(async () => {
    await browser?.close();
    await server?.close();
    await work?.remove();
  });

  test('keyword: results from the index, count in an aria-live region, もっと見る', async () => {
    const page = await newPage();
    try {
      await open(page, 'search/');
      await page.fill('#search-q', '訪問看護');
      await page.press('#search-q', 'Enter');
      const { cli, got } = await expectOracle(page, { text: '訪問看護' });
      assert.ok(cli.total > PER_PAGE, `the query should need more than one screen (${cli.total})`);
      assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite');
      assert.match(got.status, new RegExp(`^${cli.total}件見つかりました。${PER_PAGE}件を表示しています。`));
      assert.match(new URL(page.url()).search, /^\?q=/);
      assert.equal(decodeURIComponent(new URL(page.url()).searchParams.get('q')), '訪問看護');
      assert.match(await page.title(), /^「訪問看護」の検索結果/);
      await page.click('#search-more');
      await expectOracle(page, { text: '訪問看護' }, PER_PAGE * 2);
      // Results open the entry page.
      const first = page.locator('#search-list .card-title a').first();
      const name = (await first.innerText()).trim();
      await first.click();
      await page.waitForURL(/\/tsunagu\/entries\/[a-z0-9-]+\/$/);
      assert.equal((await page.locator('h1').innerText()).trim(), name);
    } finally {
      await page.close();
    }
  });

  test('a result card shows what the list pages\' card shows: the same markup, phone, ages, care, flags, stale mark', async () => {
    const page = await newPage();
    try {
      await open(page, 'search/');
      // Every list card of the site, by entry id, from the category lists (all their pages).
      const listed = await page.evaluate(async (root) => {
        const text = (el) => el.textContent.replace(/\s+/g, ' ').trim();
        const cards = {};
        const todo = [...document.querySelectorAll('#search-fallback a.chip-link')].map((a) => a.href);
        while (todo.length) {
          const doc = new DOMParser().parseFromString(await (await fetch(todo.pop())).text(), 'text/html');
          for (const art of doc.querySelectorAll('main article.card')) {
            // The list pages' print-only parts (the address, the care items past the sixth) are
            // for paper; a result card is compared with what a list card shows on screen.
            for (const p of art.querySelectorAll('.print-only')) p.remove();
            cards[art.querySelector('.card-title a').getAttribute('href')] = text(art);
          }
          for (const a of doc.querySelectorAll('nav.pagination a[rel="next"]')) todo.push(new URL(a.getAttribute('href'), root).href);
        }
        return cards;
      }, url());
      const total = Object.keys(listed).length;
      assert.ok(total > 100, `list cards found: ${total}`);
      let compared = 0;
      const seen = { phone: 0, nophone: 0, stale: 0, ages: 0, noages: 0, more: 0 };
      for (const id of ['facility', 'short-stay', 'visiting-nurse', 'school']) {
        await open(page, `search/?category=${id}`);
        await page.waitForFunction(() => /件見つかりました/.test(document.getElementById('search-status').textContent));
        while (await page.locator('#search-more').isVisible()) {
          const n = await page.locator('#search-list > li').count();
          await page.click('#search-more');
          await page.waitForFunction((k) => document.querySelectorAll('#search-list > li').length > k, n);
        }
        const cards = await page.evaluate(() =>
          [...document.querySelectorAll('#search-list article.card')].map((art) => ({
            href: art.querySelector('.card-title a').getAttribute('href'),
            text: art.textContent.replace(/\s+/g, ' ').trim(),
            labelled: art.querySelector('h3.card-title a')?.textContent,
            lists: [...art.querySelectorAll('ul')].every((ul) => ul.previousElementSibling?.classList.contains('card-label')),
            placeholders: /\{\w+\}/.test(art.outerHTML),
          })),
        );
        for (const c of cards) {
          assert.equal(c.text, listed[c.href], `result card of ${c.href}`);
          assert.ok(c.labelled && c.lists && !c.placeholders, `title, list labels and placeholders of ${c.href}`);
          seen[/電話/.test(c.text) ? 'phone' : 'nophone']++;
          seen[/対象：/.test(c.text) ? 'ages' : 'noages']++;
          if (/確認されていません/.test(c.text)) seen.stale++;
          if (/ほか\d+項目/.test(c.text)) seen.more++;
          compared++;
        }
      }
      assert.equal(compared, total, 'every listing was compared');
      for (const [what, n] of Object.entries(seen)) assert.ok(n > 0, `the sample has result cards with ${what}`);
    } finally {
      await page.close();
    }
  });

  test('search as you type and conditions on change, at 390 and 1280 px: results and their count without 探す', async () => {
    for (const vp of VIEWPORTS) {
      const page = await newPage(vp);
      try {
        await open(page, 'search/');
        const before = await page.evaluate(() => history.length);
        await page.locator('#search-q').pressSequentially('訪問看護', { delay: 30 });
        const { cli } = await expectOracle(page, { text: '訪問看護' });
        assert.equal(await page.locator('#search-count').innerText(), `${cli.total}件`, `${vp.width}: the count beside the button`);
        assert.equal(new URL(page.url()).searchParams.get('q'), '訪問看護', 'the URL follows, for sharing and reloads');
        assert.equal(await page.evaluate(() => history.length), before + 1, 'typing adds one history entry, not one per key');
        if (!(await page.locator('#search-facets').evaluate((d) => d.open))) await page.click('#search-facets summary');
        await page.check('input[name="care"][value="suction"]');
        await expectOracle(page, { text: '訪問看護', care: ['suction'] });
        await page.selectOption('#search-region', 'tsu');
        const { cli: last } = await expectOracle(page, { text: '訪問看護', care: ['suction'], region: 'tsu' });
        assert.equal(await page.locator('#search-count').innerText(), `${last.total}件`);
        assert.ok(await page.locator('#search-submit').isVisible(), '探す stays');
      } finally {
        await page.close();
      }
    }
  });

  test('words no listing has together: the best partial match, the dropped words named (390 and 1280 px)', async () => {
    for (const vp of VIEWPORTS) {
      const page = await newPage(vp);
      try {
        await open(page, `search/?q=${encodeURIComponent('吸引 ドラえもん')}`);
        const { cli } = await expectOracle(page, { text: '吸引 ドラえもん' });
        assert.deepEqual(cli.dropped, ['ドラえもん']);
        assert.ok(cli.total > 0);
        const note = page.locator('#search-dropped');
        assert.ok(await note.isVisible(), `${vp.width}: the fallback is said`);
        assert.match(await note.innerText(), /すべてのことばに当てはまる掲載はありませんでした。「ドラえもん」を除いて探した結果です。/);
        // All words matching: no such note.
        await page.fill('#search-q', '吸引 桑名');
        await page.press('#search-q', 'Enter');
        await expectOracle(page, { text: '吸引 桑名' });
        assert.equal(await note.isVisible(), false);
      } finally {
        await page.close();
      }
    }
  });

  test('no results with conditions: which single one to take away, with a link that does it (390 and 1280 px)', async () => {
    const q = { text: '', region: 'iga', category: 'short-stay', care: ['ventilator'] };
    for (const vp of VIEWPORTS) {
      const page = await newPage(vp);
      try {
        await open(page, 'search/?region=iga&category=short-stay&care=ventilator');
        await expectOracle(page, q);
        const relax = page.locator('#search-relax');
        await relax.waitFor({ state: 'visible' });
        assert.match(await relax.innerText(), /条件を1つ外すと見つかります。/);
        const links = await relax.locator('a').evaluateAll((as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute('href') })));
        assert.ok(links.length >= 2, JSON.stringify(links));
        const counts = [];
        for (const { text, href } of links) {
          const n = +/（(\d+)件）$/.exec(text)[1];
          const p = new URL(href, page.url()).searchParams;
          const relaxed = { text: '', region: p.get('region') ?? undefined, category: p.get('category') ?? undefined, care: p.getAll('care') };
          const cli = await oracle(relaxed);
          assert.equal(n, cli.total, `${text}: the count is what that search finds`);
          assert.equal(Object.values(relaxed).flat().filter(Boolean).length, 2, `${text}: one condition fewer`);
          counts.push(n);
        }
        assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most results first');
        await relax.locator('a').first().click();
        const p = new URL(page.url()).searchParams;
        await expectOracle(page, { text: '', region: p.get('region') ?? undefined, category: p.get('category') ?? undefined, care: p.getAll('care') });
        assert.equal(await relax.isVisible(), false);
      } finally {
        await page.close();
      }
    }
  });

  test('an age keeps listings without ages, marked 対象年齢 未確認, after the others (390 and 1280 px)', async () => {
    const q = { text: '', region: 'ise-shima', age: 4 };
    for (const vp of VIEWPORTS) {
      const page = await newPage(vp);
      try {
        await open(page, 'search/?region=ise-shima&age=4');
        await expectOracle(page, q);
        const marks = await page.locator('#search-list .card').evaluateAll((cards) =>
          cards.map((c) => (c.querySelector('.card-ages-unknown') ? `unknown:${c.querySelector('.card-ages-unknown').textContent}` : c.querySelector('.card-ages').textContent)),
        );
        const first = marks.findIndex((m) => m.startsWith('unknown'));
        assert.ok(first > 0, JSON.stringify(marks));
        assert.ok(marks.slice(first).every((m) => m === 'unknown:対象年齢 未確認'), JSON.stringify(marks));
        assert.ok(marks.slice(0, first).every((m) => /^対象：/.test(m)), JSON.stringify(marks));
        const mark = page.locator('#search-list .card-ages-unknown').first();
        assert.ok(await mark.isVisible(), `${vp.width}: the mark is shown`);
      } finally {
        await page.close();
      }
    }
  });

  test('Enter before the script is ready (slow index): the form is sent, the results page works', async () => {
    const page = await newPage(VIEWPORTS[0]);
    let delayed = false;
    await page.route('**/search/tsunagu-search.js', async (route) => {
      if (!delayed) {
        delayed = true;
        await new Promise((ok) => setTimeout(ok, 2000));
      }
      await route.continue().catch(() => {}); // the first one is dropped by the navigation
    });
    page.record.expect = (at) => at.endsWith('/search/tsunagu-search.js'); // the aborted first load
    try {
      await page.goto(url('search/'));
      await page.fill('#search-q', '訪問看護');
      await page.press('#search-q', 'Enter');
      await page.waitForURL(/category=all/); // what the form itself sends
      const { got } = await expectOracle(page, { text: '訪問看護' });
      assert.equal(got.ignored, '', 'すべての種類 is no unknown filter');
      assert.equal(await page.isChecked('input[name="category"][value="all"]'), true);
    } finally {
      await page.close();
    }
  });

  test('facets narrow the results as tsunagu search does; region limits the municipalities', async (t) => {
    const page = await newPage();
    try {
      await open(page, 'search/');
      assert.equal(await page.locator('#search-facets').evaluate((d) => d.open), true, 'facets open at 1280 px');
      // Each step adds a filter: the count never grows, and the ids are the oracle's.
      const steps = [
        { text: '', category: 'facility' },
        { text: '', category: 'facility', region: 'tsu' },
        { text: '', category: 'facility', region: 'tsu', care: ['suction'] },
        { text: '', category: 'facility', region: 'tsu', care: ['suction', 'tube-feeding'] },
        { text: '', category: 'facility', region: 'tsu', care: ['suction', 'tube-feeding'], age: 5 },
        { text: '', category: 'facility', region: 'tsu', municipality: '24201', care: ['suction', 'tube-feeding'], age: 5 },
        { text: '', category: 'facility', region: 'tsu', municipality: '24201', care: ['suction', 'tube-feeding'], age: 5, flags: ['transport'] },
      ];
      const totals = [];
      for (const q of steps) {
        await fillAndSubmit(page, q);
        const { cli } = await expectOracle(page, q);
        assert.ok(!totals.length || cli.total <= totals.at(-1), `${label(q)}: ${cli.total} results after ${totals.at(-1)}`);
        totals.push(cli.total);
      }
      t.diagnostic(`results: ${totals.join(' → ')}`);
      assert.ok(totals[0] > totals.at(-1), 'the filters narrow the results');
      const url1 = new URL(page.url());
      assert.deepEqual(url1.searchParams.getAll('care'), ['suction', 'tube-feeding']);
      assert.equal(url1.searchParams.get('municipality'), '24201');

      // Choosing a region leaves only its municipalities to choose from.
      await page.selectOption('#search-region', 'iga');
      const groups = await page.locator('#search-municipality optgroup').evaluateAll((gs) => gs.map((g) => g.dataset.region));
      assert.deepEqual(groups, ['iga']);
      assert.equal(await page.inputValue('#search-municipality'), '', 'a municipality outside the region is cleared');

      // Every flag, each alone, and the four care items of a ventilated child together.
      for (const [id, text] of Object.entries(FLAGS)) {
        assert.match(await page.locator(`label:has(input[name="${id}"])`).innerText(), new RegExp(text));
        await fillAndSubmit(page, { text: '', flags: [id] });
        await expectOracle(page, { text: '', flags: [id] });
      }
      const all = { text: '', care: ['ventilator', 'tracheostomy', 'suction', 'tube-feeding'] };
      await fillAndSubmit(page, all);
      await expectOracle(page, all);
      await fillAndSubmit(page, { text: '支援', flags: Object.keys(FLAGS) });
      await expectOracle(page, { text: '支援', flags: Object.keys(FLAGS) });
    } finally {
      await page.close();
    }
  });

  test('近くを探す with a mocked position: nearest first, 約 N km, as tsunagu search --near', async () => {
    const page = await newPage(VIEWPORTS[1], { geolocation: TSU_STATION, permissions: ['geolocation'] });
    try {
      await open(page, 'search/?care=suction');
      await expectOracle(page, { text: '', care: ['suction'] });
      await page.click('#search-geo');
      const near = [34.73, 136.51]; // the page rounds the position to about 1 km
      const { cli, got } = await expectOracle(page, { text: '', care: ['suction'], near });
      assert.match(got.status, /（近い順）/);
      assert.equal(await page.locator('#search-geo-status').innerText(), '現在地から近い順に並べました。');
      assert.equal(new URL(page.url()).searchParams.get('near'), '34.73,136.51');
      assert.equal(got.distances.length, cli.hits.length);
      got.distances.forEach((text, i) => {
        const d = cli.hits[i].distance_km;
        const m = /^約 ([\d.]+) km$/.exec(text);
        if (d < 1) assert.equal(text, '1 km 未満');
        else {
          assert.ok(m, `distance shown as ${JSON.stringify(text)}`);
          assert.ok(Math.abs(Number(m[1]) - d) <= (d < 10 ? 0.051 : 0.51), `${text} for ${d} km`);
        }
      });
      // By a municipality's position instead: still nearest first.
      await page.selectOption('#search-near', '24201');
      await page.click('#search-submit');
      await page.waitForFunction(() => /（近い順）/.test(document.getElementById('search-status').textContent));
      const km = (await shown(page)).distances.map((t) => (t === '1 km 未満' ? 0 : Number(/[\d.]+/.exec(t)[0])));
      assert.deepEqual(km, [...km].sort((a, b) => a - b), 'nearest first');
    } finally {
      await page.close();
    }
  });

  test('近くを探す when the position is refused: a message, no error', async () => {
    const page = await newPage(VIEWPORTS[0], { permissions: [] });
    try {
      await open(page, 'search/');
      await page.click('#search-geo');
      await page.waitForFunction(() => document.getElementById('search-geo-status').textContent.includes('許可されませんでした'));
    } finally {
      await page.close();
    }
  });

  test('a shared URL restores the form and the results; Back and Forward restore searches', async () => {
    const q = { text: '吸引', region: 'tsu', care: ['suction', 'tube-feeding'], flags: ['transport'] };
    const page = await newPage();
    try {
      await page.goto(url(`search/?q=${encodeURIComponent('吸引')}&region=tsu&care=suction&care=tube-feeding&transport=1`));
      await expectOracle(page, q);
      assert.equal(await page.inputValue('#search-q'), '吸引');
      assert.equal(await page.inputValue('#search-region'), 'tsu');
      assert.equal(await page.isChecked('input[name="care"][value="suction"]'), true);
      assert.equal(await page.isChecked('input[name="care"][value="tube-feeding"]'), true);
      assert.equal(await page.isChecked('input[name="care"][value="ventilator"]'), false);
      assert.equal(await page.isChecked('input[name="transport"]'), true);
      assert.equal(await page.isChecked('input[name="category"][value="all"]'), true);

      // A second search, then Back: the first one again, form and results; Forward: the second.
      await fillAndSubmit(page, { text: '訪問看護' });
      await expectOracle(page, { text: '訪問看護' });
      await page.goBack();
      await page.waitForURL(/transport=1/);
      await expectOracle(page, q);
      assert.equal(await page.inputValue('#search-q'), '吸引');
      assert.equal(await page.isChecked('input[name="transport"]'), true);
      await page.goForward();
      await expectOracle(page, { text: '訪問看護' });
      assert.equal(await page.inputValue('#search-q'), '訪問看護');
      assert.equal(await page.isChecked('input[name="transport"]'), false);
    } finally {
      await page.close();
    }
  });

  test('keyboard only: Tab to the box, type, Enter; from the home page\'s header box too', async () => {
    const page = await newPage(VIEWPORTS[0]);
    try {
      await open(page, 'search/');
      let tabs = 0;
      while (tabs < 40 && !(await page.evaluate(() => document.activeElement?.id === 'search-q'))) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      assert.ok(tabs < 40, 'the keyword box is reachable with Tab');
      await page.keyboard.type('吸引 桑名');
      await page.keyboard.press('Enter');
      await expectOracle(page, { text: '吸引 桑名' });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-results-heading', 'focus moves to the results');

      await open(page, '');
      tabs = 0;
      while (tabs < 40 && !(await page.evaluate(() => document.activeElement?.id === 'site-search-q'))) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      assert.ok(tabs < 40, 'the header search box is reachable with Tab');
      await page.keyboard.type('人工呼吸器');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/tsunagu\/search\/\?q=/);
      await expectOracle(page, { text: '人工呼吸器' });
      assert.equal(await page.inputValue('#search-q'), '人工呼吸器');
    } finally {
      await page.close();
    }
  });

  test('unknown filter values in the URL are ignored and shown as such', async () => {
    const page = await newPage();
    try {
      await open(page, 'search/?q=津&category=zoo&region=osaka&care=flying&care=suction&age=abc&municipality=大阪市&transport=maybe&near=moon');
      const { got } = await expectOracle(page, { text: '津', care: ['suction'] });
      for (const what of ['種類「zoo」', '地域「osaka」', 'ケア「flying」', '「abc」', '市町村「大阪市」', '送迎「maybe」', '「moon」']) {
        assert.ok(got.ignored.includes(what), `${what} listed in ${JSON.stringify(got.ignored)}`);
      }
      assert.match(got.ignored, /無視しました/);
      assert.equal(await page.isChecked('input[name="category"][value="all"]'), true);
      assert.equal(await page.inputValue('#search-region'), '');
    } finally {
      await page.close();
    }
  });

  test('bad queries never throw: empty, blank, 1000+ characters, emoji only', async () => {
    const page = await newPage();
    const { record } = page;
    try {
      await open(page, 'search/');
      const hint = 'キーワードを入れるか条件を選んで、「探す」を押してください。';
      for (const text of ['', '   ', '\u3000\t']) {
        await page.fill('#search-q', text);
        await page.press('#search-q', 'Enter');
        await page.waitForFunction((h) => document.getElementById('search-status').textContent === h, hint);
        assert.equal((await shown(page)).ids.length, 0);
      }
      await page.fill('#search-q', '🙂👍');
      await page.press('#search-q', 'Enter');
      await page.waitForFunction(() => /記号や絵文字だけでは探せません/.test(document.getElementById('search-status').textContent));
      await page.fill('#search-q', '！？☆★♪');
      await page.press('#search-q', 'Enter');
      await page.waitForFunction(() => /記号や絵文字だけでは探せません/.test(document.getElementById('search-status').textContent));
      // Longer than the box allows: the page searches the first 1000 characters.
      const long = '訪問看護 '.repeat(260);
      await page.fill('#search-q', long);
      await page.press('#search-q', 'Enter');
      await expectOracle(page, { text: Array.from(long.trim()).slice(0, 1000).join('') });
      await page.goto(url(`search/?q=${encodeURIComponent('あ'.repeat(1200))}`));
      await expectOracle(page, { text: 'あ'.repeat(1000) });
      await page.goto(url(`search/?q=${encodeURIComponent('%\uFFFD\u0000<b>')}&age=99999999999999999999`));
      await page.waitForFunction(() => /見つかりませんでした|件見つかりました|探せません/.test(document.getElementById('search-status').textContent));
      assert.deepEqual(record.problems, []);
    } finally {
      await page.close();
    }
  });

  test('a stale index (the reader and manifest of an earlier deploy): manifest reloaded once, right results', async (t) => {
    const page = await newPage();
    const missing = [];
    page.record.expect = (at, status) => status === 404 && at.includes('/tsunagu/search/') && missing.push(at);
    let readers = 0;
    let manifests = 0;
    await page.route('**/search/tsunagu-search.js', (route) => (++readers === 1 ? route.fulfill({ path: stale }) : route.continue()));
    await page.route('**/search/manifest.json', (route) => (++manifests, route.continue()));
    try {
      await open(page, 'search/');
      await page.fill('#search-q', '訪問看護');
      await page.press('#search-q', 'Enter');
      await expectOracle(page, { text: '訪問看護' });
      assert.equal(readers, 1);
      assert.equal(manifests, 1, 'manifest.json is loaded once, after the first stale file');
      assert.ok(missing.length > 0, "the earlier deploy's files were asked for first");
      assert.equal((await shown(page)).alert, '');
      t.diagnostic(`${missing.length} files of the earlier deploy were missing`);
    } finally {
      await page.close();
    }
  });

  test('missing index files: a clear message, no error; no reader: the browse lists', async () => {
    const page = await newPage(VIEWPORTS[0]);
    page.record.expect = (at, status) => status === 404 && at.includes('/tsunagu/search/');
    const gone = (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' });
    try {
      // Every index file but the manifest is gone.
      await page.route(/\/search\/(?!manifest\.json$)[^?]*\.(json|bin)$/, gone);
      await open(page, 'search/');
      await page.fill('#search-q', '訪問看護');
      await page.press('#search-q', 'Enter');
      await page.waitForFunction(() => document.getElementById('search-alert').textContent !== '');
      assert.match((await shown(page)).alert, /検索できませんでした。ページを再読み込みしてから/);
      assert.equal(await page.getAttribute('#search-alert', 'role'), 'alert');
      assert.equal((await shown(page)).status, '');

      // The reader too: the page offers the lists to browse instead of the form.
      await page.route('**/search/tsunagu-search.js', gone);
      await open(page, 'search/');
      await page.waitForFunction(() => !document.getElementById('search-fallback').hidden);
      assert.equal(await page.locator('#search-form').isVisible(), false);
      assert.match(await page.locator('#search-alert').innerText(), /検索できませんでした/);
      assert.ok(await page.locator('#search-fallback a.chip-link[href$="/categories/facility/"]').isVisible());
    } finally {
      await page.close();
    }
  });

  test('a browser that cannot inflate the index (no DecompressionStream): the browse lists, no index request', async () => {
    const page = await newPage(VIEWPORTS[0]);
    const asked = [];
    page.on('request', (r) => /\/search\/x-[0-9a-f]{8}\//.test(r.url()) && asked.push(r.url()));
    await page.addInitScript(() => {
      delete globalThis.DecompressionStream;
    });
    try {
      await open(page, 'search/?q=' + encodeURIComponent('訪問看護'));
      await page.waitForFunction(() => !document.getElementById('search-fallback').hidden);
      assert.equal(await page.locator('#search-form').isVisible(), false);
      assert.equal(await page.locator('#search-alert').innerText(), 'このブラウザーでは検索を使えません。種類や地域の一覧から探してください。');
      assert.ok(await page.locator('#search-fallback a.chip-link[href$="/categories/short-stay/"]').isVisible());
      assert.deepEqual(asked, []);
    } finally {
      await page.close();
    }
  });

  test('a municipality\'s list and a kind\'s page open the search with their place or kind chosen', async () => {
    const page = await newPage(VIEWPORTS[0]);
    try {
      await open(page, 'municipalities/24201/');
      await page.getByRole('link', { name: 'この市町村で、医療的ケア・年齢・送迎などの条件を選んで探す' }).click();
      await page.waitForURL(/\/search\/\?municipality=24201$/);
      assert.equal(await page.inputValue('#search-municipality'), '24201');
      await expectOracle(page, { text: '', region: 'tsu', municipality: '24201' });
      await open(page, 'categories/short-stay/');
      await page.getByRole('link', { name: /^短期入所・レスパイトを、/ }).click();
      await page.waitForURL(/\/search\/\?category=short-stay$/);
      await expectOracle(page, { text: '', category: 'short-stay' });
    } finally {
      await page.close();
    }
  });

  test('no JavaScript: the browse lists instead of the form; a category and a gap page open', async () => {
    const page = await newPage(VIEWPORTS[0], { javaScriptEnabled: false });
    try {
      await open(page, '');
      await page.fill('#site-search-q', '訪問看護');
      await page.press('#site-search-q', 'Enter');
      await page.waitForURL(/\/tsunagu\/search\/\?q=/);
      assert.equal(await page.locator('#search-app').isVisible(), false);
      assert.match(await page.locator('#search-nojs').innerText(), /JavaScript が必要です/);
      await page.screenshot({ path: join(ARTIFACTS, 'search-nojs-390.png'), fullPage: true, animations: 'disabled' });
      await page.locator('#search-fallback a.chip-link[href$="/categories/short-stay/"]').click();
      await page.waitForURL(/\/categories\/short-stay\/$/);
      // The kind's page chooses a municipality, which opens at the kind's cards.
      await page.locator('main a.chip-link[href*="/municipalities/"]').first().click();
      await page.waitForURL(/\/municipalities\/\d+\/(page\/\d+\/)?#kind-short-stay$/);
      assert.ok((await page.locator('section[aria-labelledby="kind-short-stay"] .card').count()) > 0);
      await page.goBack();
      await page.goBack();
      await page.locator('#search-fallback a[href$="/gaps/"]').click();
      await page.waitForURL(/\/tsunagu\/gaps\/$/);
      await page.locator('main table a').first().click();
      await page.waitForURL(/\/tsunagu\/gaps\/[a-z-]+\/$/);
      assert.ok((await page.locator('main h1').innerText()).length > 0);
    } finally {
      await page.close();
    }
  });

  test('screenshots of results at 390 and 1280 px; no sideways scrolling', async (t) => {
    for (const vp of VIEWPORTS) {
      const page = await newPage(vp, { geolocation: TSU_STATION, permissions: ['geolocation'] });
      try {
        await open(page, 'search/?q=訪問看護&care=suction&near=34.73,136.51');
        await expectOracle(page, { text: '訪問看護', care: ['suction'], near: [34.73, 136.51] });
        const file = join(ARTIFACTS, `search-${vp.width}.png`);
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
        t.diagnostic(`saved ${relative(REPO, file)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the search page is ${overflow}px wider than the ${vp.width}px viewport`);
        // A gap page, with JavaScript on.
        await open(page, 'gaps/tsu/');
        assert.ok((await page.locator('main h1').innerText()).length > 0);
      } finally {
        await page.close();
      }
    }
  });

  test('no page errors, console errors or failed loads on any visited page', () => {
    assertNoProblems(visited, 10);
  });
});
