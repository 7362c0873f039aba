// Normalisation and tokenisation of Japanese text, tokenizer version 1.
// The same specification as search-index/src/normalize.rs, pinned by search-index/tests/vectors.json:
// change one only with the other.

/** Version of the specification; the manifest's `tokenizer` must equal it. */
export const TOKENIZER_VERSION = 1;

/** Queries are cut to this many characters (code points) before anything else. */
const MAX_QUERY_CHARS = 1000;
/** At most this many distinct tokens of a query are used. */
const MAX_QUERY_TOKENS = 16;

// Hiragana (after folding katakana), 々 〆, CJK extension A, unified and compatibility ideographs.
const isJapanese = (c) =>
  (c >= 0x3041 && c <= 0x3096) ||
  c === 0x3005 ||
  c === 0x3006 ||
  (c >= 0x3400 && c <= 0x4dbf) ||
  (c >= 0x4e00 && c <= 0x9fff) ||
  (c >= 0xf900 && c <= 0xfaff);

// ASCII a–z, 0–9.
const isWord = (c) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);

/** The first `max` code points of a string. */
const cut = (s, max) => {
  let i = 0;
  for (let n = 0; n < max && i < s.length; n++) i += s.codePointAt(i) > 0xffff ? 2 : 1;
  return s.slice(0, i);
};

/** Normalised text: separators become single spaces, no leading or trailing space. */
export function normalize(text) {
  let out = '';
  let pending = false;
  for (const ch of String(text ?? '').normalize('NFKC')) {
    let c = ch.codePointAt(0);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c >= 0x30a1 && c <= 0x30f6) c -= 0x60;
    if (c === 0x30fc) continue;
    if (isWord(c) || isJapanese(c)) {
      if (pending && out) out += ' ';
      pending = false;
      out += String.fromCodePoint(c);
    } else {
      pending = true;
    }
  }
  return out;
}

/** Runs of one kind (Japanese or ASCII word) in normalised text: [[japanese, [chars]], …]. */
function runs(normalized) {
  const out = [];
  let last = null;
  for (const ch of normalized) {
    if (ch === ' ') {
      last = null;
      continue;
    }
    const jp = isJapanese(ch.codePointAt(0));
    if (last && last[0] === jp) last[1].push(ch);
    else out.push((last = [jp, [ch]]));
  }
  return out;
}

/** Tokens for indexing, in text order (duplicates kept). */
export function indexTokens(text) {
  const out = [];
  for (const [jp, chars] of runs(normalize(text))) {
    if (!jp) {
      out.push(chars.join(''));
      continue;
    }
    chars.forEach((c, i) => {
      out.push(c);
      if (i + 1 < chars.length) out.push(c + chars[i + 1]);
    });
  }
  return out;
}

/** Distinct tokens of a query, in order, at most 16. */
export function queryTokens(query) {
  const out = [];
  const push = (t) => {
    if (!out.includes(t)) out.push(t);
  };
  for (const [jp, chars] of runs(normalize(cut(String(query ?? ''), MAX_QUERY_CHARS)))) {
    const n = chars.length;
    if (!jp || n === 1) {
      push(chars.join(''));
      continue;
    }
    for (let i = 0; i + 1 < n; i += 2) push(chars[i] + chars[i + 1]);
    if (n % 2) push(chars[n - 2] + chars[n - 1]);
  }
  return out.slice(0, MAX_QUERY_TOKENS);
}

/** The key of an exact whole-name match: the normalised text without spaces. */
export function exactKey(text) {
  return normalize(cut(String(text ?? ''), MAX_QUERY_CHARS)).replaceAll(' ', '');
}
