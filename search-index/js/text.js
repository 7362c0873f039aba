// tsunagu's query text rules for the browser reader: normalisation and tokens (the specification
// of search-index/src/normalize.rs; vectors: search-index/tests/vectors.json) and synonyms
// (search-index/src/synonyms.rs; vectors: search-index/tests/synonyms.json). search.js imports
// it; the build joins the two into the one module a site serves (search-index/src/export/reader.rs).

/** Version of the tokenizer specification; the manifest's `tokenizer` must equal it. */
export const TOKENIZER_VERSION = 2;
const MAX_CHARS = 1000;
const MAX_TOKENS = 16;

// ---- normalisation and tokens ----------------------------------------------------------------

// Hiragana (after folding katakana), 々 〆, CJK extension A, unified and compatibility ideographs.
const isJapanese = (c) =>
  (c >= 0x3041 && c <= 0x3096) || c === 0x3005 || c === 0x3006 || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
const isWord = (c) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);

/** The first `max` code points of a string. */
const cut = (s, max) => {
  let i = 0;
  for (let n = 0; n < max && i < s.length; n++) i += s.codePointAt(i) > 0xffff ? 2 : 1;
  return s.slice(0, i);
};

// Rust's `char::is_whitespace` (White_Space): what splits a query into words, and blank text.
const WHITE_SPACE = String.raw`\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
const BLANK = new RegExp(`^[${WHITE_SPACE}]*$`);
const SPACES = new RegExp(`[${WHITE_SPACE}]+`);

/** Whether text is blank for Rust's `str::trim`. */
export const isBlank = (text) => BLANK.test(text);

/** The whitespace-separated parts of a query (of its first 1000 characters), each with its query tokens, as `query_parts` in search.rs. */
export const queryParts = (text, words = []) =>
  cut(String(text ?? ''), MAX_CHARS).split(SPACES).filter(Boolean).map((part) => [part, queryTokens(part, words)]);

// Code points on which NFKC differs between Unicode versions (normalize.rs: UNICODE_SEPARATORS).
export const UNICODE_SEPARATORS = /[\u{209d}\u{209e}\u{209f}\u{1b123}\u{1b124}\u{1b125}\u{1b126}]/gu;

/** Normalised text: separators become single spaces, no leading or trailing space. */
export function normalize(text) {
  let out = '';
  let pending = false;
  for (const ch of String(text ?? '').replace(UNICODE_SEPARATORS, ' ').normalize('NFKC')) {
    let c = ch.codePointAt(0);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c >= 0x30a1 && c <= 0x30f6) c -= 0x60;
    if (c === 0x30fc) continue;
    if (isWord(c) || isJapanese(c)) {
      if (pending && out) out += ' ';
      pending = false;
      out += String.fromCodePoint(c);
    } else pending = true;
  }
  return out;
}

/** Runs of one kind (Japanese or ASCII word) in normalised text, which has only those and single spaces: [[japanese, [chars]], …]. */
const runs = (normalized) => (normalized.match(/[a-z0-9]+|[^a-z0-9 ]+/g) ?? []).map((r) => [!isWord(r.charCodeAt(0)), [...r]]);

// Site words (the manifest's `facets.words`: normalised, three or more Japanese characters):
// by first character, as arrays of characters, longest first.
const lookups = new WeakMap();
function lookup(words) {
  let m = lookups.get(words);
  if (!m) {
    m = new Map();
    for (const w of words) {
      const chars = [...w];
      if (!m.has(chars[0])) m.set(chars[0], []);
      m.get(chars[0]).push(chars);
    }
    for (const list of m.values()) list.sort((a, b) => b.length - a.length);
    lookups.set(words, m);
  }
  return m;
}

/**
 * The tokenizer's site words: the manifest's `facets.words` and the words of its synonyms (each
 * normalised, its Japanese runs of three or more characters), as `Facets::site_words` in index.rs.
 */
export function siteWords(words = [], synonyms = []) {
  const out = new Set(words);
  for (const s of synonyms) for (const w of s.words) for (const [jp, chars] of runs(normalize(w))) if (jp && chars.length >= 3) out.add(chars.join(''));
  return [...out].sort();
}

/** Lengths of the words starting at `chars[i]` that end within `chars`, longest first. */
const wordsAt = (m, chars, i) =>
  (m.get(chars[i]) ?? []).filter((w) => w.length <= chars.length - i && w.every((c, k) => chars[i + k] === c)).map((w) => w.length);

/** Tokens for indexing, in text order (duplicates kept). */
export function indexTokens(text, words = []) {
  const m = lookup(words);
  const out = [];
  for (const [jp, chars] of runs(normalize(text))) {
    if (!jp) out.push(chars.join(''));
    else
      chars.forEach((c, i) => {
        out.push(c);
        if (i + 1 < chars.length) out.push(c + chars[i + 1]);
        for (const n of wordsAt(m, chars, i)) out.push(chars.slice(i, i + n).join(''));
      });
  }
  return out;
}

/** Distinct tokens of a query, in order, at most 16: site words where they fit, else pairs. */
export function queryTokens(query, words = []) {
  const m = lookup(words);
  const out = [];
  const push = (t) => out.includes(t) || out.push(t);
  for (const [jp, chars] of runs(normalize(cut(String(query ?? ''), MAX_CHARS)))) {
    const n = chars.length;
    if (!jp || n === 1) {
      push(chars.join(''));
      continue;
    }
    // Pairs without overlap of chars[a..b] (an odd last one with the one before it); a lone
    // character with its neighbour in the run (before it, else after it).
    const pairs = (a, b) => {
      if (b - a === 1) push(a > 0 ? chars[a - 1] + chars[a] : chars[a] + chars[a + 1]);
      else if (b > a) {
        for (let i = a; i + 1 < b; i += 2) push(chars[i] + chars[i + 1]);
        if ((b - a) % 2) push(chars[b - 2] + chars[b - 1]);
      }
    };
    let plain = 0;
    for (let i = 0; i < n; ) {
      const len = wordsAt(m, chars, i)[0];
      if (len) {
        pairs(plain, i);
        push(chars.slice(i, i + len).join(''));
        plain = i += len;
      } else i++;
    }
    pairs(plain, n);
  }
  return out.slice(0, MAX_TOKENS);
}

// ---- synonyms (search-index/src/synonyms.rs; vectors: search-index/tests/synonyms.json) ---------

const synonymTables = new WeakMap();

/**
 * The synonym table `synonyms` (`[{term, words}]`, the manifest's `facets.synonyms`) read against
 * site words `words`: `groups(tokens)` and `home(token)`, as `Synonyms` in synonyms.rs.
 */
export function synonymsOf(synonyms = [], words = []) {
  let t = synonymTables.get(synonyms);
  if (t && t.site === words) return t;
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const terms = synonyms.map((s) => queryTokens(s.term, words));
  const list = []; // [tokens, entries]
  synonyms.forEach((s, i) => {
    for (const w of s.words) {
      const tokens = queryTokens(w, words);
      if (!tokens.length || same(tokens, terms[i]) || !terms[i].length) continue;
      const found = list.find(([x]) => same(x, tokens));
      if (!found) list.push([tokens, [i]]);
      else if (!found[1].includes(i)) found[1].push(i);
    }
  });
  list.sort((a, b) => b[0].length - a[0].length); // stable: equal lengths keep table order
  const firsts = new Set(terms.filter((x) => x.length).map((x) => x[0]));
  const homes = new Map();
  for (const [tokens, sets] of list)
    if (tokens.length === 1 && !firsts.has(tokens[0]) && !homes.has(tokens[0])) homes.set(tokens[0], terms[sets[0]][0]);
  t = {
    site: words,
    /** Query tokens in groups: a run that spells a word is one group of it and its terms. */
    groups(tokens) {
      const groups = [];
      for (let i = 0; i < tokens.length; ) {
        const hit = list.find(([w]) => w.length <= tokens.length - i && w.every((x, k) => tokens[i + k] === x));
        if (hit) {
          const group = [hit[0]];
          for (const s of hit[1]) if (!group.some((a) => same(a, terms[s]))) group.push(terms[s]);
          groups.push(group);
          i += hit[0].length;
        } else groups.push([[tokens[i++]]]);
      }
      return groups;
    },
    /** The key whose bucket holds `token`. */
    home: (token) => homes.get(token) ?? token,
    /** Indexes of `phrases` (token lists, such as care-item labels) that are an alternative of one of `groups`. */
    named: (groups, phrases) => phrases.flatMap((l, i) => (l.length && groups.some((g) => g.some((a) => same(a, l))) ? [i] : [])),
  };
  synonymTables.set(synonyms, t);
  return t;
}

/** The key of an exact whole-name match: the normalised text without spaces. */
export const exactKey = (text) => normalize(cut(String(text ?? ''), MAX_CHARS)).replaceAll(' ', '');
