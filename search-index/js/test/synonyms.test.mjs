// Every shared synonym vector of search-index/tests/synonyms.json, through the JavaScript reader:
// the same groups of query tokens and the same bucket homes as search-index/src/synonyms.rs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { queryTokens, synonymsOf } from '../search.js';

const v = JSON.parse(readFileSync(new URL('../../tests/synonyms.json', import.meta.url), 'utf8'));

test('the vectors cover synonyms', () => {
  assert.ok(v.cases.length >= 15);
  assert.ok(v.cases.some((c) => c.groups.some((g) => g.length > 2)), 'a word of two terms');
  assert.ok(v.cases.some((c) => c.groups.some((g) => g[0].length > 1)), 'a word of several tokens');
});

for (const c of v.cases) {
  test(`synonyms: ${JSON.stringify(c.query)}`, () => {
    const syn = synonymsOf(v.synonyms, v.words);
    const tokens = queryTokens(c.query, v.words);
    assert.deepEqual(tokens, c.tokens, 'tokens');
    assert.deepEqual(syn.groups(tokens), c.groups, 'groups');
    for (const [token, home] of Object.entries(c.homes)) assert.equal(syn.home(token), home, `home of ${token}`);
  });
}
