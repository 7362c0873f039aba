// The entry page's map (issue 30, its first part), in Chromium: Leaflet served by the site itself;
// with every other host blocked (no tiles, as offline), the listing's marker over a plain
// background with the municipalities' names; with `[map] tiles = "none"` no request to any other
// host; pages without a map load none of its code; the Content-Security-Policy lets in the tiles'
// host on a page with a map and nowhere else; axe passes with the map shown.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, HERE, REPO, TILES, VIEWPORTS, assertNoProblems, build, launch, newPage, parseCsv, tempDir } from './harness.mjs';
import { serve } from './serve.mjs';

const AXE_PATH = join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_URL_PATH = '__test__/axe.min.js';
const OSM = new URL(TILES).origin; // the sample's tiles, refused by every tab as offline

/** The id of a listing with its own coordinates, from the build's open data. */
async function locatedEntry(out) {
  const [header, ...rows] = parseCsv((await readFile(join(out, 'data', 'entries.csv'), 'utf8')).replace(/^\uFEFF/, ''));
  const [id, lat] = ['ID', '緯度'].map((c) => header.indexOf(c));
  return rows.find((r) => r[lat])[id];
}

describe('the entry page map', () => {
  let work;
  let browser;
  let osm; // the sample as it is: OpenStreetMap's tiles
  let bare; // the sample with [map] tiles = "none"
  let entry;
  const records = [];

  before(
    async () => {
      work = await tempDir('tsunagu-map-');
      const tiled = join(work.dir, 'tiled');
      await build(tiled);
      const root = join(work.dir, 'bare-site');
      await cp(join(REPO, 'content'), join(root, 'content'), { recursive: true });
      const site = join(root, 'content', 'site.toml');
      await writeFile(site, `${await readFile(site, 'utf8')}\n[map]\ntiles = "none"\n`);
      const plain = join(work.dir, 'plain');
      await build(plain, root);
      entry = `entries/${await locatedEntry(tiled)}/`;
      osm = await serve({ root: tiled, base: '/tsunagu/' });
      bare = await serve({ root: plain, base: '/tsunagu/' });
      browser = await launch();
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await browser?.close();
    await osm?.close();
    await bare?.close();
    await work?.remove();
  });

  /** A tab that records problems and every host it asked; other hosts are refused, as offline. */
  async function open(server, vp, path) {
    const page = await newPage(browser, vp);
    records.push(page.record);
    const hosts = new Set();
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      hosts.add(url.origin);
      if (url.pathname.endsWith(AXE_URL_PATH)) return route.fulfill({ path: AXE_PATH, contentType: 'text/javascript' });
      return url.origin === server.origin ? route.continue() : route.abort('internetdisconnected');
    });
    const res = await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
    assert.equal(res.status(), 200, path);
    return { page, hosts };
  }

  const csp = (page) => page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');

  for (const vp of VIEWPORTS) {
    test(`${vp.width}px: tiles blocked, the marker shows over the municipalities' names`, async () => {
      const { page, hosts } = await open(osm, vp, entry);
      try {
        const name = (await page.locator('main h1').innerText()).trim();
        const map = page.getByRole('region', { name: `${name}の場所の地図` });
        await map.waitFor();
        const marker = map.locator('.map-pin');
        await marker.waitFor();
        assert.ok((await marker.getAttribute('title')).startsWith(name), 'the marker has the listing as its name');
        // The tiles did not come: the municipalities' points and names are the background.
        await map.locator('.map-place').first().waitFor();
        assert.ok((await map.locator('.map-place').count()) > 0);
        assert.match(await map.locator('.leaflet-control-attribution').innerText(), /OpenStreetMap/);
        assert.ok([...hosts].some((h) => h === OSM), 'the tiles were asked for');
        assert.match(await csp(page), new RegExp(`img-src 'self' data: ${OSM};`));
        await page.screenshot({ path: join(ARTIFACTS, `map-entry-blocked-${vp.width}.png`), fullPage: true });
        // The marker takes the keyboard, and Enter zooms in on the place.
        await marker.focus();
        assert.equal(await marker.evaluate((m) => m === document.activeElement), true, 'the marker takes the keyboard');
        const closer = page.waitForRequest((r) => /^https:\/\/tile\.openstreetmap\.org\/1[6-9]\//.test(r.url()));
        await page.keyboard.press('Enter');
        await closer;
        await page.addScriptTag({ url: `${osm.url}${AXE_URL_PATH}` });
        const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`), []);
      } finally {
        await page.close();
      }
    });
  }

  test('with tiles = "none": the map asks no other host, and the policy lets none in', async () => {
    const { page, hosts } = await open(bare, VIEWPORTS[0], entry);
    try {
      await page.locator('.site-map .map-pin').waitFor();
      await page.locator('.site-map .map-place').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.deepEqual([...hosts], [bare.origin]);
      assert.match(await csp(page), /img-src 'self' data:;/);
    } finally {
      await page.close();
    }
  });

  test('a page without a map loads none of its code, and its policy names no tile host', async () => {
    for (const path of ['', 'search/', 'categories/facility/']) {
      const { page } = await open(osm, VIEWPORTS[1], path);
      const asked = [];
      page.on('request', (r) => asked.push(r.url()));
      try {
        await page.waitForLoadState('networkidle');
        const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name));
        assert.ok(!scripts.some((u) => /leaflet|map\.js/.test(u)), `${path}: ${scripts.filter((u) => /leaflet|map/.test(u))}`);
        assert.match(await csp(page), /img-src 'self' data:;/, path);
      } finally {
        await page.close();
      }
    }
  });

  for (const vp of VIEWPORTS) {
    test(`${vp.width}px: a municipality's list: 「地図で見る」 marks the page's listings; a marker opens the list's card`, async () => {
      const { page } = await open(osm, vp, 'municipalities/24201/');
      try {
        const leaflet = () => page.evaluate(() => performance.getEntriesByType('resource').some((r) => /leaflet/.test(r.name)));
        assert.equal(await leaflet(), false, 'no map library before the map is asked for');
        const located = await page
          .locator('main ul.cards[data-points]')
          .evaluateAll((uls) => uls.flatMap((ul) => ul.dataset.points.split(';')).filter(Boolean).length);
        assert.ok(located > 1, `${located} listings with coordinates`);
        const button = page.locator('main button.map-toggle');
        assert.equal(await button.innerText(), `地図で見る（このページの${located}件）`);
        await button.click();
        assert.equal(await button.getAttribute('aria-expanded'), 'true');
        const map = page.getByRole('region', { name: 'このページの掲載の地図' });
        await map.locator('.map-pin, .map-cluster').first().waitFor();
        // Every listing with coordinates is a marker or counted in a cluster, which zooms in
        // when pressed (by keyboard) until markers show.
        const marked = () =>
          map.evaluate((m) => m.querySelectorAll('.map-pin').length
            + [...m.querySelectorAll('.map-cluster')].reduce((n, c) => n + Number(c.textContent), 0));
        assert.equal(await marked(), located, 'one marker per listing with coordinates');
        for (let i = 0; i < 8 && !(await map.locator('.map-pin').count()); i++) {
          const cluster = map.locator('.map-cluster').first();
          assert.match(await cluster.getAttribute('title'), /^\d+件（押すと拡大します）$/);
          await cluster.focus();
          await page.keyboard.press('Enter');
          await page.waitForTimeout(600);
        }
        // A marker, by keyboard, opens the same card as the list's.
        const marker = map.locator('.map-pin').first();
        await marker.focus();
        await page.keyboard.press('Enter');
        const card = map.locator('.leaflet-popup .card');
        await card.waitFor();
        const href = await card.locator('.card-title a').getAttribute('href');
        const listed = page.locator(`main ul.cards .card:has(.card-title a[href="${href}"])`);
        assert.equal(await card.evaluate((c) => c.outerHTML), await listed.evaluate((c) => c.outerHTML));
        assert.equal((await card.locator('.card-title').innerText()).trim(), await marker.getAttribute('title'));
        await page.screenshot({ path: join(ARTIFACTS, `map-list-blocked-${vp.width}.png`), fullPage: true });
        await page.addScriptTag({ url: `${osm.url}${AXE_URL_PATH}` });
        const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`), []);
        await button.click();
        assert.equal(await map.isHidden(), true, 'the button closes the map');
      } finally {
        await page.close();
      }
    });
  }

  test('without JavaScript: links to OpenStreetMap and to the phone\'s map app', async () => {
    const page = await newPage(browser, VIEWPORTS[0], { javaScriptEnabled: false });
    records.push(page.record);
    try {
      await page.goto(`${osm.url}${entry}`);
      assert.equal(await page.locator('.site-map').count(), 0);
      const osmLink = page.locator('main a.map-link[href^="https://www.openstreetmap.org/"]');
      assert.equal(await osmLink.count(), 1);
      const geo = await page.locator('main a.map-link[href^="geo:"]').getAttribute('href');
      assert.match(geo, /^geo:-?\d+(\.\d+)?,-?\d+(\.\d+)?$/);
    } finally {
      await page.close();
    }
  });

  test('no console errors, CSP refusals or failed loads (but the refused tiles)', () => {
    assertNoProblems(records, 4);
  });
});
