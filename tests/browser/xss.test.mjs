// Hostile content in Chromium (issue 6). tests/xss.rs proves the built files hold no executable
// markup; this test opens every page of the same kind of hostile site in a real browser — and the
// search page, whose result cards are made in the browser from the index — and checks that nothing
// from the content runs or loads: no dialog, no marker global, no request to the marker path, no
// CSP violation, no event-handler attribute or script URL in the live DOM, no bidirectional
// override in the text. Every page must still pass the Nu Html Checker.
//
// The corpus is the one of tests/xss.rs (script tags, javascript: and data: URLs, event
// attributes, </script> in text, template syntax, bidirectional overrides), in every free-text
// field and the Markdown description, plus payloads that would set window.__xss or load a file
// under /__xss__/ if they ever ran, and very long strings.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { REPO, VIEWPORTS, assertNoProblems, build, launch, newPage as recordingPage, relPath, tempDir, vnu, walk } from './harness.mjs';
import { serve } from './serve.mjs';

const RLO = '\u202E';
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/;
const MARK = '/__xss__/'; // a same-origin path: the CSP would let a script from it run

/** Every payload at once, tagged with the field it is in (tests/xss.rs `payload`, plus markers). */
function payload(field) {
  return `${field}<script>alert('${field}')</script>"><img src=x onerror=alert(1)>'><svg onload=alert(1)>`
    + '<a href="javascript:alert(1)">js</a><a href="data:text/html,<script>alert(1)</script>">d</a>'
    + '<iframe src="https://evil.example/"></iframe></script></title></textarea></style>'
    + `<div onclick=alert(1) onmouseover='alert(1)' style="background:url(javascript:alert(1))">x</div>`
    + `{{ site.title }}{% raw %}{# c #}{% endraw %}${RLO}rev`
    + `<script>window.__xss='${field}'</script><img src=x onerror="window.__xss='${field}'">`
    + `<script src="${MARK}${field}.js"></script><iframe src="${MARK}${field}.html"></iframe>`
    + `<link rel=stylesheet href="${MARK}${field}.css"><object data="${MARK}${field}.obj"></object>`;
}

/** The Markdown description: raw HTML, unsafe links, template syntax, overrides, markers. */
const MARKDOWN = `# 見出し <script>alert('h1')</script>

<script>alert('body')</script>
</script><script>alert(2)</script>
<script>window.__xss = 'md'</script>
<script src="${MARK}md.js"></script>

[javascript link](javascript:alert(1))
[JS upper](JAVASCRIPT:alert(1))
[entity js](jav&#x61;script:alert(1))
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[vbscript](vbscript:msgbox(1))
[reference][r]
<javascript:alert(1)>

[r]: javascript:alert(1)

<a href="javascript:alert(1)">raw anchor</a>
<a href="https://example.jp/" onclick="alert(1)" onmouseover="alert(1)">events</a>
<img src=x onerror=alert(1)>
<img src=x onerror="window.__xss='md-img'">
![image](javascript:alert(1))
<iframe src="${MARK}md.html"></iframe>
<object data="${MARK}md.swf"></object><embed src="${MARK}md.swf">
<svg><script>alert(1)</script></svg>
<svg onload="window.__xss='svg'"></svg>
<math><mtext><style><img src=x onerror=alert(1)></style></mtext></math>
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>
<div style="background:url(javascript:alert(1))">style</div>
<meta http-equiv="refresh" content="0;url=${MARK}refresh.html">
<base href="javascript:alert(1)//">
<link rel="stylesheet" href="${MARK}md.css">
<details open ontoggle="window.__xss='toggle'">t</details>
<!-- <script>alert(1)</script> -->
<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>

{{ site.title }} {% raw %}{{ entry.name }}{% endraw %} {# comment #}

right-to-left ${RLO}txet desrever &#x202E;encoded

[ok link](https://example.jp/ok) [mail](mailto:info@example.jp) [tel](tel:0594000000)
`;

/** A TOML basic string (JSON's escapes are TOML's; bidirectional controls escaped too). */
const toml = (s) => JSON.stringify(s).replace(new RegExp(BIDI.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The fields of a hostile entry (tests/xss.rs `hostile_fields`); `long` makes them very long. */
function fields({ extra = '', long = false } = {}) {
  const p = (f) => (long ? payload(f).repeat(40) : payload(f));
  return [
    `name = ${toml(long ? `ながい${'名前'.repeat(3000)}${p('name')}` : p('name'))}`,
    'kana = "てすと"',
    'category = "facility"',
    'services = ["児童発達支援"]',
    'municipality = "桑名市"',
    `address = ${toml(`三重県桑名市${p('address')}`)}`,
    'postal_code = "511-0000"',
    'lat = 35.06',
    'lon = 136.68',
    'phone = "0594-00-0000"',
    'fax = "0594-00-0001"',
    'email = "a+b@example.jp"',
    `url = ${toml('https://example.jp/"><script>alert(1)</script>?q=<b onmouseover=alert(1)>')}`,
    `operator = ${toml(p('operator'))}`,
    'care = ["suction"]',
    'ages = { min = 0, max = 18 }',
    'capacity = 10',
    'transport = true',
    `hours = ${toml(p('hours'))}`,
    'verified = 2026-04-01',
    `source = ${toml(p('source'))}`,
    extra,
  ].join('\n');
}

const md = (front, body) => `+++\n${front}\n+++\n${body}`;

/** Writes the hostile site into `root`: tests/fixtures/minimal plus hostile entries and demand. */
async function writeSite(root) {
  const content = join(root, 'content');
  await mkdir(join(content, 'entries'), { recursive: true });
  await cp(join(REPO, 'tests', 'fixtures', 'minimal', 'regions.toml'), join(content, 'regions.toml'));
  const site = await readFile(join(REPO, 'tests', 'fixtures', 'minimal', 'site.toml'), 'utf8');
  await writeFile(join(content, 'site.toml'), `${site}repository = "https://github.com/example/tsunagu"\n`);
  // demand.toml is the maintainers' configuration, like site.toml: markup in it must stay text, but
  // direction controls are not removed from it (only from entries), so none here.
  const demand = (region) => `[[demand]]\nregion = "${region}"\nas_of = 2025-04-01\nsource = ${toml(payload('demand').replace(RLO, ''))}\nchildren = 12\n[demand.care]\nsuction = 5\n`;
  await writeFile(join(content, 'demand.toml'), `${demand('kuwana')}\n${demand('tsu')}`);
  const entries = {
    'hostile.md': md(fields(), MARKDOWN),
    'hostile-toml.toml': fields({ extra: `description = ${toml(MARKDOWN)}` }),
    // A folder name ends up in the edit link.
    '"><svg onload=alert(1)>/hostile-in-folder.md': md(fields(), MARKDOWN),
    'hostile-long.md': md(fields({ long: true }), `${MARKDOWN.repeat(30)}\n\n${'あ'.repeat(20000)}\n`),
  };
  for (const [rel, text] of Object.entries(entries)) {
    const file = join(content, 'entries', rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  await cp(join(REPO, 'tests', 'fixtures', 'valid', 'aozora.md'), join(content, 'entries', 'aozora.md'));
}

describe('hostile content in a real browser', () => {
  let work;
  let out;
  let server;
  let browser;
  let pages = []; // site paths of every HTML file
  let vnuRun;
  const visited = [];
  const dialogs = [];
  const marked = []; // requests under MARK

  /** A tab that records dialogs, marker requests and CSP violation events as well. */
  async function newPage(viewport = VIEWPORTS[1]) {
    const page = await recordingPage(browser, viewport);
    visited.push(page.record);
    page.on('dialog', (d) => {
      dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    await page.route(`**${MARK}**`, (route) => {
      marked.push(`${page.url()}: ${route.request().url()}`);
      return route.fulfill({ contentType: 'text/javascript', body: "window.__xss = 'marker file';" });
    });
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    return page;
  }

  /** What the live DOM of `page` would run or show that it must not. */
  function inspect(page) {
    return page.evaluate((bidi) => {
      const found = [];
      if (window.__xss !== undefined) found.push(`window.__xss = ${JSON.stringify(window.__xss)}`);
      for (const v of window.__csp) found.push(`CSP violation: ${v}`);
      for (const el of document.querySelectorAll('*')) {
        for (const { name, value } of el.attributes) {
          if (name.startsWith('on')) found.push(`<${el.localName} ${name}>`);
          if (/^(href|src|action|formaction|data|xlink:href|poster|srcset)$/.test(name)) {
            const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value.replace(/[\u0000-\u0020]/g, ''))?.[1]?.toLowerCase();
            // geo: only as tsunagu writes it, from checked coordinates.
            const point = scheme === 'geo' && /^geo:-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(value);
            if (scheme && !point && !['http', 'https', 'tel', 'mailto'].includes(scheme)) found.push(`<${el.localName} ${name}="${value.slice(0, 60)}">`);
          }
        }
        if (['iframe', 'object', 'embed', 'base', 'frame'].includes(el.localName)) found.push(`<${el.localName}> element`);
        if (el.localName === 'script' && !(el.src && new URL(el.src).pathname.startsWith('/tsunagu/'))) found.push(`<script src="${el.src}">`);
        if (el.localName === 'meta' && /refresh/i.test(el.httpEquiv)) found.push('<meta refresh>');
      }
      const text = document.title + document.body.textContent;
      if (new RegExp(bidi).test(text)) found.push('a bidirectional control in the text');
      return found;
    }, BIDI.source);
  }

  before(
    async () => {
      work = await tempDir('tsunagu-xss-');
      await writeSite(work.dir);
      out = join(work.dir, 'public');
      await build(out, work.dir);
      const html = (await walk(out)).filter((f) => f.endsWith('.html'));
      pages = html.map((f) => relPath(out, f).replace(/index\.html$/, ''));
      vnuRun = vnu(html, out);
      server = await serve({ root: out, base: '/tsunagu/' });
      browser = await launch();
    },
    { timeout: 15 * 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.close();
    await work?.remove();
  });

  test('every page: nothing from the content runs or loads', { timeout: 120_000 }, async (t) => {
    const page = await newPage();
    const found = [];
    try {
      for (const path of pages) {
        const res = await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
        assert.equal(res.status(), 200, path);
        await page.mouse.move(200, 300); // hover handlers, if any were left
        found.push(...(await inspect(page)).map((f) => `${path}: ${f}`));
      }
      t.diagnostic(`${pages.length} pages opened`);
    } finally {
      await page.close();
    }
    for (const id of ['hostile', 'hostile-toml', 'hostile-in-folder', 'hostile-long']) {
      assert.ok(pages.includes(`entries/${id}/`), `entries/${id}/ was built`);
    }
    assert.deepEqual(found, [], found.join('\n'));
    assert.deepEqual(dialogs, [], 'dialogs opened');
    assert.deepEqual(marked, [], 'marker files requested');
  });

  test('entry pages show the hostile text literally', async () => {
    const page = await newPage();
    try {
      await page.goto(`${server.url}entries/hostile/`);
      const h1 = await page.locator('h1').innerText();
      assert.equal(h1, payload('name').replace(RLO, ''));
      const main = await page.locator('main').innerText();
      for (const f of ['address', 'operator', 'hours', 'source']) assert.ok(main.includes(payload(f).replace(RLO, '')), f);
      assert.ok(main.includes('{{ site.title }} {% raw %}{{ entry.name }}{% endraw %} {# comment #}'));
      assert.equal(await page.locator('main a[href="https://example.jp/ok"]').count(), 1, 'safe links are kept');
    } finally {
      await page.close();
    }
  });

  test('search page: hostile names in result cards and hostile queries stay text', async () => {
    const page = await newPage(VIEWPORTS[0]);
    const found = [];
    try {
      for (const q of ['てすと', 'name', 'hostile', '<script>alert(1)</script>', '"><img src=x onerror="window.__xss=1">', `${RLO}rev {{ site.title }}`]) {
        await page.goto(`${server.url}search/?q=${encodeURIComponent(q)}&care=suction`);
        await page.waitForFunction(() => /件見つかりました|見つかりませんでした|探せません/.test(document.getElementById('search-status').textContent));
        await page.mouse.move(100, 400);
        found.push(...(await inspect(page)).map((f) => `search ${JSON.stringify(q)}: ${f}`));
        if (q === 'てすと') {
          const names = await page.locator('#search-list .card-title').allInnerTexts();
          assert.equal(names.filter((n) => n === payload('name').replace(RLO, '')).length, 3, `cards: ${names.map((n) => n.slice(0, 40))}`);
          assert.ok(names.some((n) => n.startsWith('ながい名前名前')), 'the long name is listed');
        }
      }
      await page.fill('#search-q', '<svg onload="window.__xss=2">');
      await page.press('#search-q', 'Enter');
      await page.waitForFunction(() => /件見つかりました|見つかりませんでした|探せません/.test(document.getElementById('search-status').textContent));
      assert.match(await page.locator('#search-summary').innerText(), /<svg onload=/);
      found.push(...(await inspect(page)).map((f) => `search typed: ${f}`));
    } finally {
      await page.close();
    }
    assert.deepEqual(found, [], found.join('\n'));
    assert.deepEqual(dialogs, [], 'dialogs opened');
    assert.deepEqual(marked, [], 'marker files requested');
  });

  test('Nu Html Checker: no errors in any page of the hostile site', { timeout: 120_000 }, async () => {
    const errors = await vnuRun;
    assert.equal(errors.length, 0, `Nu Html Checker found ${errors.length} errors:\n${errors.join('\n')}`);
  });

  test('no page errors, console errors, CSP refusals or failed loads', () => {
    assertNoProblems(visited, pages.length);
  });
});
