// Every shared vector of search-index/tests/vectors.json, through the JavaScript normaliser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exactKey, indexTokens, normalize, queryTokens, TOKENIZER_VERSION } from '../normalize.js';

const vectors = JSON.parse(
  readFileSync(new URL('../../tests/vectors.json', import.meta.url), 'utf8'),
);

test('the vectors file is not empty', () => {
  assert.ok(vectors.length > 10);
  assert.equal(TOKENIZER_VERSION, 1);
});

for (const v of vectors) {
  test(`vector ${JSON.stringify(v.input).slice(0, 60)}`, () => {
    assert.equal(normalize(v.input), v.normalized, 'normalized');
    assert.deepEqual(indexTokens(v.input), v.index_tokens, 'index_tokens');
    assert.deepEqual(queryTokens(v.input), v.query_tokens, 'query_tokens');
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
