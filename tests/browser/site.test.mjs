// Real-browser, HTML-validator and accessibility checks of the embedded sample site.
//
// Builds content/ with tsunagu into a temporary directory, serves it under the base path of
// base_url (/tsunagu/) and checks it with the Nu Html Checker (vnu.jar), axe-core in Chromium and
// keyboard / click / print flows in Chromium driven by playwright-core. Run with tests/browser/run,
// or `node --test --test-reporter=spec tests/browser/` once `npm ci` has run in tests/browser.
//
// Environment: see harness.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import {
  ARTIFACTS, CSP_REFUSAL, HERE, REPO, VIEWPORTS,
  assertNoProblems, build, launch, newPage as recordingPage, relPath, tempDir, vnu, walk,
} from './harness.mjs';
import { serve } from './serve.mjs';

const AXE_PATH = join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Served by page.route at a same-origin URL, so the page's own CSP (script-src 'self') allows it.
const AXE_URL_PATH = '__test__/axe.min.js';

function formatAxe(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) {
      lines.push(`      target ${JSON.stringify(n.target)}: ${n.failureSummary?.replace(/\s+/g, ' ')}`);
      lines.push(`      html ${n.html.slice(0, 200)}`);
    }
  }
  return lines.join('\n');
}

describe('sample site in a real browser', () => {
  let work;
  let outDir;
  let server;
  let browser;
  let vnuRun; // promise of the validator's result, started while the browser tests run
  let htmlFiles = [];
  let buildSeconds = 0;
  /** every tab the tests opened, with the URLs it loaded and what went wrong there */
  const visited = [];
  // pages picked from the built site
  let entryPath; // an entry with a phone number
  let municipalityPath;

  const url = (path = '') => `${server.url}${path.replace(/^\//, '')}`;

  /** A new tab at the given viewport that records what goes wrong (harness.mjs), with axe-core. */
  async function newPage(viewport = VIEWPORTS[1], { javaScript = true } = {}) {
    const page = await recordingPage(browser, viewport, { javaScriptEnabled: javaScript });
    await page.route(`**/${AXE_URL_PATH}`, (route) =>
      route.fulfill({ path: AXE_PATH, contentType: 'text/javascript; charset=utf-8' }),
    );
    visited.push(page.record);
    return page;
  }

  async function goto(page, path, expectStatus = 200) {
    const target = url(path);
    if (expectStatus === 404) page.record.expected404.add(target);
    const res = await page.goto(target, { waitUntil: 'load' });
    assert.equal(res.status(), expectStatus, `status of ${path}`);
    return res;
  }

  before(
    async () => {
      work = await tempDir('tsunagu-browser-');
      outDir = join(work.dir, 'public');
      buildSeconds = await build(outDir);
      htmlFiles = (await walk(outDir)).filter((f) => f.endsWith('.html'));
      assert.ok(htmlFiles.length > 50, `built only ${htmlFiles.length} HTML files`);

      // The validator runs in the background while the browser tests go on.
      vnuRun = vnu([...htmlFiles, join(outDir, 'style.css')], outDir);

      // Pick an entry that has a phone number and a municipality page from the build. (entries/
      // also holds the 50音 rows' lists, which link phone numbers too but are no entry page.)
      const entries = htmlFiles.filter((f) => /[/\\]entries[/\\][^/\\]+[/\\]index\.html$/.test(f));
      for (const f of entries) {
        const html = await readFile(f, 'utf8');
        if (/href="?tel:/.test(html) && /<article class="?entry[" >]/.test(html)) {
          entryPath = `${relPath(outDir, dirname(f))}/`;
          break;
        }
      }
      assert.ok(entryPath, 'no entry page with a tel: link');
      const muni = htmlFiles.find((f) => /[/\\]municipalities[/\\][^/\\]+[/\\]index\.html$/.test(f));
      municipalityPath = `${relPath(outDir, dirname(muni))}/`;

      server = await serve({ root: outDir, base: '/tsunagu/' });
      browser = await launch();
      await mkdir(ARTIFACTS, { recursive: true });
    },
    { timeout: 15 * 60_000 }, // includes compiling tsunagu when nothing is built yet
  );

  after(async () => {
    await browser?.close();
    await server?.close();
    await work?.remove();
  });

  test('static server: base path, 404 page and content types', async (t) => {
    t.diagnostic(`site built in ${buildSeconds.toFixed(1)} s (including any compiling): ${htmlFiles.length} HTML files`);
    const check = async (path, status, type) => {
      const res = await fetch(url(path), { redirect: 'manual' });
      assert.equal(res.status, status, path);
      if (type) assert.match(res.headers.get('content-type') ?? '', type, path);
      await res.arrayBuffer();
    };
    await check('', 200, /^text\/html/);
    await check('style.css', 200, /^text\/css/);
    await check('sitemap.xml', 200, /^application\/xml/);
    await check('data/entries.csv', 200, /^text\/csv/);
    await check('gaps/gaps.json', 200, /^application\/json/);
    await check('no/such/page/', 404, /^text\/html/);
    await check('gaps', 301);
    const outside = await fetch(`${server.origin}/index.html`);
    assert.equal(outside.status, 404, 'files are served only under the base path');
    assert.match(await outside.text(), /ページが見つかりません/);
  });

  test('Nu Html Checker: no errors in any page', { timeout: 120_000 }, async () => {
    const errors = await vnuRun;
    assert.equal(errors.length, 0, `Nu Html Checker found ${errors.length} errors in ${htmlFiles.length} files:\n${errors.join('\n')}`);
  });

  test('axe-core: no WCAG 2.1 A/AA violations', { timeout: 90_000 }, async (t) => {
    const pages = [
      ['home', ''],
      ['entry', entryPath],
      ['category list', 'categories/facility/'],
      ['region list', 'regions/iga/'],
      ['municipality list', municipalityPath],
      ['menu', 'menu/'],
      ['gaps overview', 'gaps/'],
      ['gap region', 'gaps/iga/'],
      ['404', 'this-page-does-not-exist/', 404],
    ];
    const failures = [];
    // One tab per viewport, both at once: the two cores are shared between them.
    await Promise.all(
      VIEWPORTS.map(async (vp) => {
        const page = await newPage(vp);
        try {
          for (const [name, path, status = 200] of pages) {
            await goto(page, path, status);
            await page.addScriptTag({ url: url(AXE_URL_PATH) });
            const result = await page.evaluate(
              (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
              AXE_TAGS,
            );
            if (result.violations.length) {
              failures.push(`${name} (/tsunagu/${path}) at ${vp.width}×${vp.height}:\n${formatAxe(result.violations)}`);
            }
            t.diagnostic(`${name} ${vp.width}px: ${result.violations.length} violations, ${result.passes.length} rules passed`);
          }
        } finally {
          await page.close();
        }
      }),
    );
    assert.equal(failures.length, 0, `axe-core found violations:\n${failures.join('\n')}`);
  });

  test('no JavaScript: click home → category → municipality → entry, with phone link and 最終確認日', async () => {
    const page = await newPage(VIEWPORTS[0], { javaScript: false });
    try {
      await goto(page, '');
      await page.locator('main a[href$="/categories/visiting-nurse/"]').first().click();
      await page.waitForURL(/\/tsunagu\/categories\/visiting-nurse\/$/);
      assert.equal(await page.locator('h1').innerText(), '訪問看護');
      await page.locator('main a.chip-link[href*="/municipalities/"]').first().click();
      await page.waitForURL(/\/tsunagu\/municipalities\/\d+\/(page\/\d+\/)?#kind-visiting-nurse$/);
      const first = page.locator('section[aria-labelledby="kind-visiting-nurse"] .card-title a').first();
      const name = (await first.innerText()).trim();
      await first.click();
      await page.waitForURL(/\/tsunagu\/entries\/[a-z0-9-]+\/$/);
      assert.equal((await page.locator('h1').innerText()).trim(), name);
      const tel = page.locator('main a[href^="tel:"]').first();
      assert.ok(await tel.isVisible(), 'the entry shows a phone link');
      assert.match(await tel.getAttribute('href'), /^tel:\+?[0-9]+$/);
      assert.match(await page.locator('main').innerText(), /最終確認日/);
      assert.equal(await page.locator('main time[datetime]').count() > 0, true);
    } finally {
      await page.close();
    }
  });

  test('the favicon: every page links the site\'s own icon, which loads (no request for /favicon.ico)', async () => {
    const page = await newPage(VIEWPORTS[0]);
    const asked = [];
    page.on('request', (req) => asked.push(new URL(req.url()).pathname));
    try {
      for (const path of ['', 'search/', 'gaps/']) {
        await goto(page, path);
        const href = await page.locator('link[rel="icon"]').getAttribute('href');
        assert.equal(href, '/tsunagu/favicon.svg', path);
        const res = await page.request.get(new URL(href, page.url()).href);
        assert.equal(res.status(), 200);
        assert.match(res.headers()['content-type'], /^image\/svg\+xml/);
      }
      assert.ok(!asked.includes('/favicon.ico'), `requests: ${asked.filter((p) => /favicon/.test(p))}`);
    } finally {
      await page.close();
    }
  });

  test('no JavaScript, keyboard only: skip link first, it moves focus to main', async () => {
    const page = await newPage(VIEWPORTS[0], { javaScript: false });
    try {
      await goto(page, entryPath);
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({
        cls: document.activeElement?.className,
        href: document.activeElement?.getAttribute('href'),
        text: document.activeElement?.textContent,
      }));
      assert.equal(first.cls, 'skip-link', `first Tab stop is ${JSON.stringify(first)}`);
      assert.equal(first.href, '#main');
      const box = await page.locator('.skip-link').boundingBox();
      assert.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen');

      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash === '#main');
      const afterSkip = await page.evaluate(() => {
        const main = document.querySelector('main');
        return {
          focusInMain: main.contains(document.activeElement),
          active: document.activeElement?.tagName,
          mainTop: Math.round(main.getBoundingClientRect().top),
        };
      });
      assert.ok(afterSkip.mainTop <= 1, `main is scrolled to the top (top ${afterSkip.mainTop})`);
      if (!afterSkip.focusInMain) {
        // main has no tabindex, so focus itself stays on <body>; the sequential focus navigation
        // starting point moves to main, so the next Tab must land inside main, not in the header.
        assert.equal(afterSkip.active, 'BODY', `focus after the skip link: ${afterSkip.active}`);
        await page.keyboard.press('Tab');
      }
      const inMain = await page.evaluate(() => ({
        inMain: document.querySelector('main').contains(document.activeElement),
        html: document.activeElement?.outerHTML.slice(0, 120),
      }));
      assert.ok(inMain.inMain, `after the skip link focus moves into main, got ${inMain.html}`);
    } finally {
      await page.close();
    }
  });

  test('no JavaScript, keyboard only: the header\'s メニュー opens the menu page, which leads to a region', async () => {
    const page = await newPage(VIEWPORTS[0], { javaScript: false });
    try {
      await goto(page, entryPath);
      const menu = 'a.header-button[href$="/menu/"]';
      let onMenu = false;
      for (let i = 0; i < 6 && !onMenu; i++) {
        await page.keyboard.press('Tab');
        onMenu = await page.evaluate((sel) => document.activeElement?.matches(sel), menu);
      }
      assert.ok(onMenu, 'the menu is among the first Tab stops (skip link, title, 探す, メニュー)');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/tsunagu\/menu\/$/);
      assert.equal(await page.locator(menu).getAttribute('aria-current'), 'page');
      assert.equal(await page.locator('main .site-nav').getAttribute('aria-label'), 'メインメニュー');
      const hrefs = await page.locator('main .site-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const category = hrefs.findIndex((h) => /\/categories\/[a-z-]+\/$/.test(h));
      const region = hrefs.findIndex((h) => /\/regions\/[a-z-]+\/$/.test(h));
      assert.ok(category >= 0 && region > category, `the categories, then the regions: ${hrefs}`);
      for (const path of ['search/', 'care/ventilator/', 'categories/', 'regions/', 'care/', 'entries/', 'data/', 'gaps/']) {
        assert.ok(hrefs.includes(`/tsunagu/${path}`), `the menu links ${path}`);
      }
      await page.locator('main').focus();
      let href = '';
      for (let i = 0; i < 20 && !/\/regions\/[a-z-]+\/$/.test(href ?? ''); i++) {
        await page.keyboard.press('Tab');
        href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
      }
      assert.match(href ?? '', /\/tsunagu\/regions\/[a-z-]+\/$/, 'Tab reaches a region');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/tsunagu\/regions\/[a-z-]+\/$/);
    } finally {
      await page.close();
    }
  });

  test('no JavaScript: print media hides the header buttons and the menu', async () => {
    const page = await newPage(VIEWPORTS[1], { javaScript: false });
    try {
      await goto(page, entryPath);
      const menu = page.locator('a.header-button[href$="/menu/"]');
      assert.equal(await menu.isVisible(), true, 'the menu is shown on screen');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await menu.isVisible(), false, 'the menu is hidden in print');
      assert.equal(await page.locator('a.header-button[href$="/search/"]').isVisible(), false, '探す is hidden in print');
      assert.equal(await page.locator('.skip-link').isVisible(), false, 'skip link is hidden in print');
      assert.equal(await page.locator('main h1').isVisible(), true, 'the content still prints');
      assert.match(await page.locator('main').innerText(), /最終確認日/);
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await page.close();
    }
  });

  test('CSP meta tag and external links on every page', { timeout: 60_000 }, async () => {
    const page = await newPage(VIEWPORTS[1]);
    try {
      await goto(page, '');
      const paths = htmlFiles.map((f) => `/tsunagu/${relPath(outDir, f)}`);
      // fetch + DOMParser inside the page: every page is parsed as a browser parses it, quickly.
      const problems = await page.evaluate(
        async ({ paths, origin }) => {
          const out = [];
          const own = (h) => h.startsWith(origin) || /^https:\/\/example\.org\/tsunagu(\/|$)/.test(h);
          for (const path of paths) {
            const html = await (await fetch(path)).text();
            const doc = new DOMParser().parseFromString(html, 'text/html');
            const metas = [...doc.querySelectorAll('meta[http-equiv]')].filter(
              (m) => m.httpEquiv.toLowerCase() === 'content-security-policy',
            );
            if (metas.length !== 1) out.push(`${path}: ${metas.length} CSP meta tags`);
            const csp = metas[0]?.content ?? '';
            // Scripts, styles and fetches fall back to default-src when the policy names none.
            const directives = new Map(
              csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...v]) => [name, v.join(' ')]),
            );
            for (const name of ['script-src', 'style-src', 'connect-src']) {
              const value = directives.get(name) ?? directives.get('default-src');
              if (value !== "'self'") out.push(`${path}: ${name} is ${JSON.stringify(value)}`);
            }
            for (const a of doc.querySelectorAll('a[href]')) {
              const href = a.getAttribute('href');
              if (!/^https?:/i.test(href) || own(href)) continue;
              const rel = (a.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
              if (!rel.includes('noopener') || !rel.includes('noreferrer')) {
                out.push(`${path}: external link ${href} has rel=${JSON.stringify(a.getAttribute('rel'))}`);
              }
            }
            // Scripts, if any, are the site's own files: an inline one would be refused by the CSP.
            for (const s of doc.querySelectorAll('script')) {
              const src = s.getAttribute('src');
              if (src === null) out.push(`${path}: inline <script> (refused by script-src 'self')`);
              else if (!new URL(src, location.href).href.startsWith(`${origin}/tsunagu/`)) {
                out.push(`${path}: <script src=${src}> is not one of the site's own files`);
              }
            }
            for (const el of doc.querySelectorAll('[style]')) {
              out.push(`${path}: inline style attribute on <${el.localName}> (refused by style-src 'self')`);
            }
          }
          return out;
        },
        { paths, origin: server.origin },
      );
      assert.deepEqual(problems, [], problems.join('\n'));
    } finally {
      await page.close();
    }
  });

  test('CSP is enforced: an inline script is refused', async () => {
    const page = await newPage(VIEWPORTS[1]);
    const { record } = page;
    try {
      await goto(page, '');
      await page.addScriptTag({ content: 'window.__inline = 1;' }).catch(() => {});
      assert.equal(await page.evaluate(() => window.__inline), undefined, 'inline script ran');
      assert.ok(
        record.problems.some((p) => CSP_REFUSAL.test(p) && /inline script/i.test(p)),
        `no CSP refusal was logged: ${record.problems.join('; ')}`,
      );
    } finally {
      await page.close();
      // this refusal was provoked on purpose
      record.problems = record.problems.filter((p) => !(CSP_REFUSAL.test(p) && /inline script/i.test(p)));
    }
  });

  test('screenshots of home, an entry, /gaps/ and /gaps/iga/', { timeout: 60_000 }, async (t) => {
    const shots = [
      ['home', ''],
      ['entry', entryPath],
      ['gaps', 'gaps/'],
      ['gaps-iga', 'gaps/iga/'],
    ];
    for (const vp of VIEWPORTS) {
      const page = await newPage(vp);
      try {
        for (const [name, path] of shots) {
          await goto(page, path);
          const file = join(ARTIFACTS, `${name}-${vp.width}.png`);
          await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
          t.diagnostic(`saved ${relative(REPO, file)}`);
        }
        // a page wider than the viewport scrolls sideways on a phone: a layout bug
        for (const [name, path] of shots) {
          await goto(page, path);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${name} is ${overflow}px wider than the ${vp.width}px viewport`);
        }
      } finally {
        await page.close();
      }
    }
  });

  test('no console errors, CSP refusals or failed loads on any visited page', () => {
    assertNoProblems(visited, 8);
  });
});
