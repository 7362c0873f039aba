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
//!
//! Site words ([`Words`]): the site's own vocabulary (category, service, care-item, flag, region
//! and municipality names) is indexed whole as well, wherever it occurs in a Japanese run, and a
//! query reads a run as those words where it can, left to right and longest first, with pairs for
//! the characters between them. `放課後等デイサービス` is then one token, not five: a query
//! fetches one bucket per token, and the word matches only where it is written whole.

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
pub const TOKENIZER_VERSION: u32 = 2;

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
    // Most listing text is NFKC already; the quick check (a table lookup per character) proves
    // it, and then NFKC, which decomposes and recomposes every character, would change nothing.
    if unicode_normalization::is_nfkc_quick(pinned(text))
        == unicode_normalization::IsNormalized::Yes
    {
        fold(pinned(text))
    } else {
        fold(pinned(text).nfkc())
    }
}

/// The characters of `text`, those of the Unicode pin as spaces.
fn pinned(text: &str) -> impl Iterator<Item = char> + Clone + '_ {
    text.chars().map(|c| {
        if UNICODE_SEPARATORS.contains(&c) {
            ' '
        } else {
            c
        }
    })
}

/// Normalised text from NFKC characters: case and kana folded, long-vowel marks dropped, every
/// other character a separator.
fn fold(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::with_capacity(chars.size_hint().0);
    let mut pending_space = false;
    for c in chars {
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

/// Site words: Japanese runs of three or more characters, indexed and queried whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Words {
    /// Every word, normalised, sorted and without duplicates (the manifest's `words`).
    list: Vec<String>,
    /// Words by their first character, longest first.
    by_first: std::collections::BTreeMap<char, Vec<Vec<char>>>,
}

/// Site words are at least this many characters: a shorter run is one query token already.
const MIN_WORD_CHARS: usize = 3;

impl Words {
    /// The words of some names (labels, place names): each name is normalised and each of its
    /// Japanese runs of at least three characters is a word. Normalised words give themselves.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Words {
        let mut list: Vec<String> = names
            .into_iter()
            .flat_map(|n| runs(&normalize(n)))
            .filter(|(jp, chars)| *jp && chars.len() >= MIN_WORD_CHARS)
            .map(|(_, chars)| chars.into_iter().collect())
            .collect();
        list.sort();
        list.dedup();
        let mut by_first: std::collections::BTreeMap<char, Vec<Vec<char>>> = Default::default();
        for w in &list {
            let chars: Vec<char> = w.chars().collect();
            by_first.entry(chars[0]).or_default().push(chars);
        }
        for words in by_first.values_mut() {
            words.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        }
        Words { list, by_first }
    }

    /// The words, sorted.
    pub fn list(&self) -> &[String] {
        &self.list
    }

    /// Lengths of the words that start at `chars[i]` and end within `chars`, longest first.
    fn at<'a>(&'a self, chars: &'a [char], i: usize) -> impl Iterator<Item = usize> + 'a {
        self.by_first
            .get(&chars[i])
            .into_iter()
            .flatten()
            .filter(move |w| chars[i..].starts_with(w))
            .map(Vec::len)
    }
}

/// Tokens for indexing, in text order (duplicates kept: they are term frequencies).
pub fn index_tokens(text: &str, words: &Words) -> Vec<String> {
    let spans = IndexTokenSpans::new(text, words);
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
    /// Japanese runs give, at each character, the character, the pair it starts and the site
    /// words it starts (longest first); other runs (words, numbers) are one token each.
    pub fn new(text: &str, words: &Words) -> IndexTokenSpans {
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
                let run = &chars[start..i];
                for k in 0..run.len() {
                    spans.push((start + k, 1));
                    if k + 1 < run.len() {
                        spans.push((start + k, 2));
                    }
                    spans.extend(words.at(run, k).map(|len| (start + k, len)));
                }
            } else {
                spans.push((start, i - start));
            }
        }
        IndexTokenSpans { chars, spans }
    }
}

/// Distinct tokens of a query, in order, at most [`MAX_QUERY_TOKENS`].
pub fn query_tokens(query: &str, words: &Words) -> Vec<String> {
    let cut: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: &[char]| {
        let t: String = t.iter().collect();
        if !out.contains(&t) {
            out.push(t);
        }
    };
    for (jp, chars) in runs(&normalize(&cut)) {
        if !jp || chars.len() == 1 {
            push(&chars);
            continue;
        }
        // Site words, left to right and longest first; pairs for the characters between them.
        let mut plain = 0;
        let mut i = 0;
        while i < chars.len() {
            match words.at(&chars, i).next() {
                Some(len) => {
                    pairs(&chars, plain, i, &mut push);
                    push(&chars[i..i + len]);
                    i += len;
                    plain = i;
                }
                None => i += 1,
            }
        }
        pairs(&chars, plain, chars.len(), &mut push);
    }
    out.truncate(MAX_QUERY_TOKENS);
    out
}

/// Query tokens of `run[a..b]`, part of a Japanese run of two or more characters: its pairs
/// without overlap, an odd last character paired with the one before it; a lone character
/// paired with its neighbour in the run (the one before it, else the one after).
fn pairs(run: &[char], a: usize, b: usize, push: &mut impl FnMut(&[char])) {
    match b - a {
        0 => {}
        1 if a > 0 => push(&run[a - 1..b]),
        1 => push(&run[a..a + 2]),
        n => {
            let mut i = a;
            while i + 1 < b {
                push(&run[i..i + 2]);
                i += 2;
            }
            if n % 2 == 1 {
                push(&run[b - 2..b]);
            }
        }
    }
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
    fn text_already_nfkc_skips_nfkc_with_the_same_result() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../tests/vectors.json")).expect("vectors");
        let mut inputs: Vec<String> = vectors
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| c["input"].as_str().expect("input").to_owned())
            .collect();
        inputs.extend(
            [
                "紀北町立港中学校は、看護師を配置しています。",
                "（内容によっては）ｶﾞｲﾄﾞ ＡＢＣ",
                "か\u{3099}き\u{309A}",
                "\u{1100}\u{1161}\u{11A8}",
                "ﬁle ① ㍻ 〜 ー",
                "e\u{301}\u{327} Å",
            ]
            .map(String::from),
        );
        let mut quick = 0;
        for s in &inputs {
            assert_eq!(normalize(s), fold(pinned(s).nfkc()), "{s:?}");
            quick += usize::from(
                unicode_normalization::is_nfkc_quick(pinned(s))
                    == unicode_normalization::IsNormalized::Yes,
            );
        }
        assert!(
            quick > 0 && quick < inputs.len(),
            "{quick} of {} quick",
            inputs.len()
        );
    }

    fn none() -> Words {
        Words::default()
    }

    #[test]
    fn index_has_unigrams_and_bigrams() {
        assert_eq!(index_tokens("津市", &none()), ["津", "津市", "市"]);
        assert_eq!(index_tokens("ABC 12", &none()), ["abc", "12"]);
        assert_eq!(index_tokens("吸引OK", &none()), ["吸", "吸引", "引", "ok"]);
    }

    #[test]
    fn queries_use_non_overlapping_pairs() {
        let q = |text: &str| query_tokens(text, &none());
        assert_eq!(q("ひまわり"), ["ひま", "わり"]);
        assert_eq!(q("訪問看護師"), ["訪問", "看護", "護師"]);
        assert_eq!(q("津"), ["津"]);
        assert_eq!(q("津 津"), ["津"]);
        assert!(q("！？ 🙂").is_empty());
        assert_eq!(q(&"あ".repeat(5000)).len(), 1);
        assert_eq!(
            q(&(0..100).map(|i| format!("w{i} ")).collect::<String>()).len(),
            MAX_QUERY_TOKENS
        );
    }

    fn site_words() -> Words {
        Words::new([
            "放課後等デイサービス",
            "短期入所・レスパイト",
            "医療型短期入所",
            "人工呼吸器",
            "津市",
            "四日市市",
            "吸引",
            "Ａ型作業所",
        ])
    }

    #[test]
    fn words_are_normalised_japanese_runs_of_three_or_more() {
        // Sorted by UTF-8 bytes; `Ａ型` is an ASCII run and a Japanese one.
        assert_eq!(
            site_words().list(),
            [
                "れすぱいと",
                "人工呼吸器",
                "医療型短期入所",
                "四日市市",
                "型作業所",
                "放課後等でいさびす",
                "短期入所"
            ]
        );
        // Normalised words give themselves.
        assert_eq!(
            Words::new(site_words().list().iter().map(String::as_str)),
            site_words()
        );
    }

    #[test]
    fn words_are_indexed_whole_where_they_occur() {
        let w = site_words();
        let t = index_tokens("医療型短期入所あり", &w);
        assert_eq!(t.iter().filter(|t| *t == "医療型短期入所").count(), 1);
        assert_eq!(t.iter().filter(|t| *t == "短期入所").count(), 1);
        assert_eq!(
            t.len(),
            index_tokens("医療型短期入所あり", &none()).len() + 2
        );
        // Not across a separator.
        assert!(!index_tokens("短期 入所", &w).contains(&"短期入所".to_owned()));
    }

    #[test]
    fn queries_read_words_longest_first_and_pair_the_rest() {
        let q = |text: &str| query_tokens(text, &site_words());
        assert_eq!(q("放課後等デイサービス"), ["放課後等でいさびす"]);
        assert_eq!(q("医療型短期入所"), ["医療型短期入所"]);
        assert_eq!(q("桑名の短期入所"), ["桑名", "名の", "短期入所"]);
        assert_eq!(q("短期入所ひまわり"), ["短期入所", "ひま", "わり"]);
        assert_eq!(q("短期入所を探す"), ["短期入所", "を探", "探す"]);
        assert_eq!(q("人工呼吸器と吸引"), ["人工呼吸器", "と吸", "吸引"]);
        assert_eq!(q("あ人工呼吸器"), ["あ人", "人工呼吸器"]);
        assert_eq!(q("四日市"), ["四日", "日市"]);
    }

    #[test]
    fn every_query_token_is_an_index_token_of_the_same_text() {
        for words in [none(), site_words()] {
            for text in [
                "ひまわり児童発達支援センター",
                "訪問看護ステーション",
                "津",
                "ｱｵｿﾞﾗ 059-000",
                "桑名の短期入所と放課後等デイサービス",
                "あ人工呼吸器",
            ] {
                let index = index_tokens(text, &words);
                for t in query_tokens(text, &words) {
                    assert!(index.contains(&t), "{t} of {text}");
                }
            }
        }
    }
}
