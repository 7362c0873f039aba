//! Normalisation and tokenisation of Japanese text: one specification, implemented here and in
//! `js/normalize.js`, pinned by `tests/vectors.json`. Change one side only with the other, and bump
//! [`TOKENIZER_VERSION`] so stale static indexes are noticed.
//!
//! 1. NFKC (half-width ｶﾅ → カナ, full-width ＡＢＣ１２３ → ABC123).
//! 2. ASCII `A–Z` → `a–z` (only ASCII, so both implementations agree on every character).
//! 3. Katakana → hiragana (`ァ`–`ヶ` shift by 0x60), and the long-vowel mark `ー` dropped, so
//!    センター, せんたー and ｾﾝﾀｰ are one word.
//! 4. Everything that is not `a–z`, `0–9`, hiragana or a CJK ideograph (with `々` and `〆`) is a
//!    separator: punctuation, symbols, emoji, spaces.
//!
//! Tokens: a run of `a–z0–9` is one token (words, phone-number groups, postal codes). A run of
//! Japanese characters gives, when indexing, every character and every pair of adjacent
//! characters (so one-character queries like 津 work); when querying, the run's pairs without
//! overlap (`ひまわり` → `ひま`, `わり`; an odd last character pairs with its neighbour), or the
//! character itself for a one-character run.

use unicode_normalization::UnicodeNormalization;

/// Code points on which NFKC differs between the Unicode versions of the two implementations
/// (this crate's `unicode-normalization`: Unicode 18.0; the browser's ICU: 17.0). Both turn them
/// into spaces before NFKC; `tests/nfkc.json` pins the list and a checksum of every code point.
pub const UNICODE_SEPARATORS: &[char] = &[
    '\u{209D}',
    '\u{209E}',
    '\u{209F}',
    '\u{1B123}',
    '\u{1B124}',
    '\u{1B125}',
    '\u{1B126}',
];

/// Version of this specification, written into exported indexes.
pub const TOKENIZER_VERSION: u32 = 1;

/// Queries are cut to this many characters before anything else.
pub const MAX_QUERY_CHARS: usize = 1000;

/// At most this many distinct tokens of a query are used.
pub const MAX_QUERY_TOKENS: usize = 16;

fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{3096}'   // hiragana (after folding katakana)
        | '\u{3005}' | '\u{3006}' // 々 〆
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
    )
}

fn is_word(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// Normalised text: separators become single spaces, no leading or trailing space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let pinned = text.chars().map(|c| {
        if UNICODE_SEPARATORS.contains(&c) {
            ' '
        } else {
            c
        }
    });
    for c in pinned.nfkc() {
        let c = match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        };
        if c == '\u{30FC}' {
            continue;
        }
        if is_word(c) || is_japanese(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Runs of one kind in normalised text.
fn runs(normalized: &str) -> Vec<(bool, Vec<char>)> {
    let mut runs: Vec<(bool, Vec<char>)> = Vec::new();
    for c in normalized.chars() {
        if c == ' ' {
            runs.push((false, Vec::new()));
            continue;
        }
        let jp = is_japanese(c);
        match runs.last_mut() {
            Some((kind, chars)) if *kind == jp && !chars.is_empty() => chars.push(c),
            _ => runs.push((jp, vec![c])),
        }
    }
    runs.retain(|(_, chars)| !chars.is_empty());
    runs
}

/// Tokens for indexing, in text order (duplicates kept: they are term frequencies).
pub fn index_tokens(text: &str) -> Vec<String> {
    let spans = IndexTokenSpans::new(text);
    spans
        .spans
        .iter()
        .map(|&(start, len)| spans.chars[start..start + len].iter().collect())
        .collect()
}

/// The index tokens of a text as spans of its normalised characters, so an indexer can copy
/// each token into one reused buffer instead of allocating a string per token.
pub struct IndexTokenSpans {
    pub chars: Vec<char>,
    /// (first character, number of characters), in token order.
    pub spans: Vec<(usize, usize)>,
}

impl IndexTokenSpans {
    /// Japanese runs give every character and every pair of neighbours (in that order); other
    /// runs (words, numbers) are one token each.
    pub fn new(text: &str) -> IndexTokenSpans {
        let chars: Vec<char> = normalize(text).chars().collect();
        let mut spans = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == ' ' {
                i += 1;
                continue;
            }
            let jp = is_japanese(chars[i]);
            let start = i;
            while i < chars.len() && chars[i] != ' ' && is_japanese(chars[i]) == jp {
                i += 1;
            }
            if jp {
                for k in start..i {
                    spans.push((k, 1));
                    if k + 1 < i {
                        spans.push((k, 2));
                    }
                }
            } else {
                spans.push((start, i - start));
            }
        }
        IndexTokenSpans { chars, spans }
    }
}

/// Distinct tokens of a query, in order, at most [`MAX_QUERY_TOKENS`].
pub fn query_tokens(query: &str) -> Vec<String> {
    let cut: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    for (jp, chars) in runs(&normalize(&cut)) {
        if !jp || chars.len() == 1 {
            push(chars.iter().collect());
            continue;
        }
        let mut i = 0;
        while i + 1 < chars.len() {
            push(chars[i..i + 2].iter().collect());
            i += 2;
        }
        if chars.len() % 2 == 1 {
            push(chars[chars.len() - 2..].iter().collect());
        }
    }
    out.truncate(MAX_QUERY_TOKENS);
    out
}

/// The key of an exact whole-name match: the normalised text without spaces.
pub fn exact_key(text: &str) -> String {
    let cut: String = text.chars().take(MAX_QUERY_CHARS).collect();
    normalize(&cut).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_kana() {
        assert_eq!(normalize("ｾﾝﾀｰ"), "せんた");
        assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize("センター・津！"), "せんた 津");
        assert_eq!(normalize("  ☆★ 🙂 "), "");
        assert_eq!(normalize("059-000-1234"), "059 000 1234");
    }

    #[test]
    fn index_has_unigrams_and_bigrams() {
        assert_eq!(index_tokens("津市"), ["津", "津市", "市"]);
        assert_eq!(index_tokens("ABC 12"), ["abc", "12"]);
        assert_eq!(index_tokens("吸引OK"), ["吸", "吸引", "引", "ok"]);
    }

    #[test]
    fn queries_use_non_overlapping_pairs() {
        assert_eq!(query_tokens("ひまわり"), ["ひま", "わり"]);
        assert_eq!(query_tokens("訪問看護師"), ["訪問", "看護", "護師"]);
        assert_eq!(query_tokens("津"), ["津"]);
        assert_eq!(query_tokens("津 津"), ["津"]);
        assert!(query_tokens("！？ 🙂").is_empty());
        assert_eq!(query_tokens(&"あ".repeat(5000)).len(), 1);
        assert_eq!(
            query_tokens(&(0..100).map(|i| format!("w{i} ")).collect::<String>()).len(),
            MAX_QUERY_TOKENS
        );
    }

    #[test]
    fn every_query_token_is_an_index_token_of_the_same_text() {
        for text in [
            "ひまわり児童発達支援センター",
            "訪問看護ステーション",
            "津",
            "ｱｵｿﾞﾗ 059-000",
        ] {
            let index = index_tokens(text);
            for t in query_tokens(text) {
                assert!(index.contains(&t), "{t} of {text}");
            }
        }
    }
}
