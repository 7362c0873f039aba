// Every shared vector of search-index/tests/vectors.json, through the JavaScript normaliser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exactKey, indexTokens, normalize, queryTokens, TOKENIZER_VERSION, UNICODE_SEPARATORS } from '../search.js';

const vectors = JSON.parse(
  readFileSync(new URL('../../tests/vectors.json', import.meta.url), 'utf8'),
);

test('the vectors file is not empty', () => {
  assert.ok(vectors.length > 10);
  assert.equal(TOKENIZER_VERSION, 2);
  assert.ok(vectors.filter((v) => v.words).length >= 10, 'vectors with site words');
});

for (const v of vectors) {
  test(`vector ${JSON.stringify(v.input).slice(0, 60)}`, () => {
    assert.equal(normalize(v.input), v.normalized, 'normalized');
    assert.deepEqual(indexTokens(v.input, v.words), v.index_tokens, 'index_tokens');
    assert.deepEqual(queryTokens(v.input, v.words), v.query_tokens, 'query_tokens');
    assert.equal(exactKey(v.input), v.exact_key, 'exact_key');
  });
}

test('queries are cut to 1000 code points, not UTF-16 units', () => {
  // 999 emoji (two UTF-16 units each) then a word: the word is the 1000th code point's neighbour.
  assert.deepEqual(queryTokens('🙂'.repeat(999) + 'ab'), ['a']);
  assert.deepEqual(queryTokens('🙂'.repeat(1000) + 'ab'), []);
  assert.equal(exactKey('🙂'.repeat(999) + '津市'), '津');
  assert.equal(queryTokens('あ'.repeat(5000)).length, 1);
});

test('at most 16 distinct tokens, in order', () => {
  const q = Array.from({ length: 100 }, (_, i) => `w${i} `).join('');
  const t = queryTokens(q);
  assert.equal(t.length, 16);
  assert.equal(t[0], 'w0');
  assert.equal(t[15], 'w15');
  assert.deepEqual(queryTokens('津 津'), ['津']);
});

test('bad input never throws', () => {
  for (const x of [undefined, null, 42, '\uD800', '\uDC00abc', '\u0000', '🙂👍']) {
    normalize(x);
    indexTokens(x);
    queryTokens(x);
    exactKey(x);
  }
  assert.deepEqual(queryTokens('\uD800abc'), ['abc']);
});

test('the Unicode pin: separators and the checksum of every code point (tests/nfkc.json)', () => {
  const pin = JSON.parse(readFileSync(new URL('../../tests/nfkc.json', import.meta.url), 'utf8'));
  const ours = UNICODE_SEPARATORS.source.match(/\\u\{([0-9a-f]+)\}/g) ?? [];
  assert.deepEqual(
    ours.map((u) => 'U+' + u.slice(3, -1).toUpperCase().padStart(4, '0')),
    pin.separators,
  );
  for (const u of pin.separators) assert.equal(normalize(`a${String.fromCodePoint(parseInt(u.slice(2), 16))}b`), 'a b', u);
  let lines = '';
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const n = normalize(String.fromCodePoint(c));
    if (n) lines += `${c.toString(16)}:${n}\n`;
  }
  const table = new Int32Array(256).map((_, i) => {
    let x = i;
    for (let k = 0; k < 8; k++) x = x & 1 ? 0xedb88320 ^ (x >>> 1) : x >>> 1;
    return x;
  });
  let crc = -1;
  for (const b of new TextEncoder().encode(lines)) crc = table[(crc ^ b) & 255] ^ (crc >>> 8);
  assert.equal((crc ^ -1) >>> 0, pin.crc32, `the NFKC of some code point differs from Rust's (Unicode ${process.versions.unicode})`);
});
