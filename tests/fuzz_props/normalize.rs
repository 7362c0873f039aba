//! Arbitrary text through the search normaliser and tokenizer (`tsunagu_search::normalize`),
//! checking what `docs/search-index-format.md` ("Text normalisation and tokens") specifies:
//!
//! - normalised text holds only kept characters (`a–z`, `0–9`, hiragana, `々` `〆`, CJK
//!   ideographs) and single spaces between words, none leading or trailing; normalising it again
//!   changes nothing, so the tokens of the normalised text are the tokens of the raw text;
//! - index tokens are non-empty words without spaces: an ASCII run whole, a Japanese character,
//!   a pair of adjacent Japanese characters or a site word (checked without and with words);
//! - query tokens are distinct, at most 16, depend only on the first 1000 characters, and each is
//!   an index token of the same text;
//! - the exact-name key is the normalised (cut) text without spaces.

use tsunagu_search::normalize::{
    MAX_QUERY_CHARS, MAX_QUERY_TOKENS, Words, exact_key, index_tokens, normalize, query_tokens,
};

fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{3096}'
        | '\u{3005}' | '\u{3006}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
    )
}

fn is_kept(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || is_japanese(c)
}

/// A token is an ASCII word, one or two Japanese characters, or a site word.
fn is_token(t: &str, words: &Words) -> bool {
    let n = t.chars().count();
    !t.is_empty()
        && (t
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            || ((1..=2).contains(&n) && t.chars().all(is_japanese))
            || words.list().iter().any(|w| w == t))
}

/// Site words for the second pass: short ones, so that arbitrary text contains them.
const WORDS: &[&str] = &["あいう", "あいうえ", "いうえ", "津市内", "ーあああ"];

/// Panics when `text` breaks a property.
pub fn check(text: &str) {
    check_with(text, &Words::default());
    check_with(text, &Words::new(WORDS.iter().copied()));
}

fn check_with(text: &str, words: &Words) {
    let norm = normalize(text);
    assert!(
        norm.chars().all(|c| c == ' ' || is_kept(c)),
        "{norm:?} holds a separator"
    );
    assert!(!norm.starts_with(' ') && !norm.ends_with(' ') && !norm.contains("  "));
    assert_eq!(normalize(&norm), norm, "normalisation is idempotent");

    let index = index_tokens(text, words);
    assert!(index.iter().all(|t| is_token(t, words)), "{index:?}");
    assert_eq!(index_tokens(&norm, words), index);
    // Every word of the normalised text is covered: its ASCII runs are tokens, its Japanese
    // characters are unigram tokens.
    let unigrams = index
        .iter()
        .filter(|t| t.chars().all(is_japanese) && t.chars().count() == 1);
    let japanese_chars = norm.chars().filter(|&c| is_japanese(c)).count();
    assert_eq!(unigrams.count(), japanese_chars);

    let query = query_tokens(text, words);
    assert!(query.len() <= MAX_QUERY_TOKENS);
    assert!(query.iter().all(|t| is_token(t, words)), "{query:?}");
    for (i, t) in query.iter().enumerate() {
        assert!(!query[..i].contains(t), "duplicate query token {t:?}");
    }
    let cut: String = text.chars().take(MAX_QUERY_CHARS).collect();
    assert_eq!(
        query_tokens(&cut, words),
        query,
        "only the first 1000 characters count"
    );
    let cut_index = index_tokens(&cut, words);
    for t in &query {
        assert!(cut_index.contains(t), "query token {t:?} is no index token");
    }
    if norm.chars().count() <= MAX_QUERY_CHARS && text.chars().count() <= MAX_QUERY_CHARS {
        assert_eq!(query_tokens(&norm, words), query);
    }
    assert_eq!(query.is_empty(), normalize(&cut).is_empty());

    let key = exact_key(text);
    assert!(!key.contains(' '));
    assert_eq!(key, normalize(&cut).replace(' ', ""));
}
