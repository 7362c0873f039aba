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
    if let Some(folded) = fold_common(text) {
        return folded;
    }
    // Otherwise the text may be NFKC already; the quick check (a table lookup per character)
    // proves it, and then NFKC, which decomposes and recomposes every character, changes nothing.
    if unicode_normalization::is_nfkc_quick(pinned(text))
        == unicode_normalization::IsNormalized::Yes
    {
        fold(pinned(text))
    } else {
        fold(pinned(text).nfkc())
    }
}

/// [`normalize`] in one pass for text made only of the characters listings are written in —
/// ASCII, full-width ASCII, CJK punctuation, kana and CJK ideographs — or `None` at the first
/// other character. NFKC maps each of these on its own (to itself, a full-width one to its ASCII
/// twin, the ideographic space to a space) and composes none of them with a neighbour, so the
/// text needs neither the quick check nor NFKC.
fn fold_common(text: &str) -> Option<String> {
    let mut out = Folded::with_capacity(text.len());
    for c in text.chars() {
        let nfkc = match c {
            '\u{0}'..='\u{7F}'
            | '\u{3001}'..='\u{301F}'
            | '\u{3041}'..='\u{3096}'
            | '\u{30A1}'..='\u{30FC}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}' => c,
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
            '\u{3000}' => ' ',
            _ => return None,
        };
        out.push(nfkc);
    }
    Some(out.text)
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
    let mut out = Folded::with_capacity(chars.size_hint().0);
    for c in chars {
        out.push(c);
    }
    out.text
}

/// Normalised text being built from NFKC characters.
struct Folded {
    text: String,
    pending_space: bool,
}

impl Folded {
    fn with_capacity(bytes: usize) -> Folded {
        Folded {
            text: String::with_capacity(bytes),
            pending_space: false,
        }
    }

    #[inline]
    fn push(&mut self, c: char) {
        let c = match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            '\u{30FC}' => return,
            _ => c,
        };
        if is_word(c) || is_japanese(c) {
            if self.pending_space && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.pending_space = false;
            self.text.push(c);
        } else {
            self.pending_space = true;
        }
    }
}

/// Runs of one kind in normalised text.
fn runs(normalized: &str) -> Vec<(bool, Vec<char>)> {
    split_runs(normalized)
        .map(|(_, run)| (run.starts_with(is_japanese), run.chars().collect()))
        .collect()
}

/// Site words: Japanese runs of three or more characters, indexed and queried whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Words {
    /// Every word, normalised, sorted and without duplicates (the manifest's `words`).
    list: Vec<String>,
    /// Words by their first character, longest first.
    by_first: std::collections::BTreeMap<char, Vec<String>>,
    /// Bit `c` set when a word starts with the character `c`: the indexer asks at every
    /// character, and most start none.
    starts: Vec<u64>,
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
        let mut by_first: std::collections::BTreeMap<char, Vec<String>> = Default::default();
        let mut starts: Vec<u64> = Vec::new();
        for w in &list {
            let first = w.chars().next().expect("words are not empty");
            by_first.entry(first).or_default().push(w.clone());
            let c = first as usize;
            if starts.len() <= c / 64 {
                starts.resize(c / 64 + 1, 0);
            }
            starts[c / 64] |= 1 << (c % 64);
        }
        for words in by_first.values_mut() {
            // All Japanese characters are three bytes in UTF-8: longest in bytes is longest.
            words.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        }
        Words {
            list,
            by_first,
            starts,
        }
    }

    /// The words, sorted.
    pub fn list(&self) -> &[String] {
        &self.list
    }

    /// The words `run` starts with, longest first: `run` is normalised Japanese text.
    fn starting(&self, run: &str) -> impl Iterator<Item = &str> {
        let first = run.chars().next().filter(|&c| {
            let c = c as usize;
            self.starts
                .get(c / 64)
                .is_some_and(|bits| bits & (1 << (c % 64)) != 0)
        });
        first
            .and_then(|c| self.by_first.get(&c))
            .into_iter()
            .flatten()
            .filter(move |w| run.starts_with(w.as_str()))
            .map(String::as_str)
    }

    /// Length in characters of the longest word that starts at `chars[i]` and ends within
    /// `chars`, a normalised Japanese run.
    fn longest_at(&self, chars: &[char], i: usize) -> Option<usize> {
        let rest: String = chars[i..].iter().collect();
        self.starting(&rest).next().map(|w| w.chars().count())
    }
}

/// Tokens for indexing, in text order (duplicates kept: they are term frequencies).
pub fn index_tokens(text: &str, words: &Words) -> Vec<String> {
    let spans = IndexTokenSpans::new(text, words);
    spans.tokens().map(str::to_owned).collect()
}

/// The index tokens of a text as byte ranges of its normalised form, so an indexer can copy
/// each token into one reused buffer instead of allocating a string per token.
pub struct IndexTokenSpans {
    /// The normalised text.
    pub text: String,
    /// (start, end) byte offsets into `text`, in token order.
    pub spans: Vec<(usize, usize)>,
}

impl IndexTokenSpans {
    /// Japanese runs give, at each character, the character, the pair it starts and the site
    /// words it starts (longest first); other runs (words, numbers) are one token each.
    pub fn new(text: &str, words: &Words) -> IndexTokenSpans {
        let text = normalize(text);
        let mut spans = Vec::with_capacity(text.len());
        for (start, run) in split_runs(&text) {
            if !run.starts_with(is_japanese) {
                spans.push((start, start + run.len()));
                continue;
            }
            let mut chars = run.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let at = start + i;
                let next = at + c.len_utf8();
                spans.push((at, next));
                if let Some(&(_, d)) = chars.peek() {
                    spans.push((at, next + d.len_utf8()));
                }
                spans.extend(words.starting(&run[i..]).map(|w| (at, at + w.len())));
            }
        }
        IndexTokenSpans { text, spans }
    }

    /// The tokens, in order.
    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|&(a, b)| &self.text[a..b])
    }
}

/// The runs of normalised text with their byte offsets: maximal stretches of Japanese
/// characters or of other (word) characters, without the spaces.
fn split_runs(normalized: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = normalized;
    let mut offset = 0;
    std::iter::from_fn(move || {
        let skipped = rest.len() - rest.trim_start_matches(' ').len();
        offset += skipped;
        rest = &rest[skipped..];
        let first = rest.chars().next()?;
        let jp = is_japanese(first);
        let len = rest
            .find(|c: char| c == ' ' || is_japanese(c) != jp)
            .unwrap_or(rest.len());
        let run = (offset, &rest[..len]);
        offset += len;
        rest = &rest[len..];
        Some(run)
    })
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
            match words.longest_at(&chars, i) {
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

    #[test]
    fn common_characters_fold_as_nfkc_would_alone_and_in_pairs() {
        let slow = |s: &str| fold(pinned(s).nfkc());
        let common: Vec<char> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| fold_common(&c.to_string()).is_some())
            .collect();
        for c in &common {
            let s = c.to_string();
            assert_eq!(fold_common(&s).as_deref(), Some(slow(&s).as_str()), "{c:?}");
        }
        // Every pair of the characters outside the ideograph blocks, and each with a few.
        let small: Vec<char> = common
            .iter()
            .copied()
            .filter(|c| !('\u{3400}'..='\u{9FFF}').contains(c))
            .chain(['\u{3400}', '\u{4E00}', '\u{6D25}', '\u{9FFF}'])
            .collect();
        assert!(small.len() > 400, "{}", small.len());
        let mut pair = String::new();
        for a in &small {
            for b in &small {
                pair.clear();
                pair.push(*a);
                pair.push(*b);
                assert_eq!(fold_common(&pair).unwrap(), slow(&pair), "{pair:?}");
            }
        }
        // Anything else takes the general path.
        for s in ["ｶﾞ", "か\u{3099}", "①", "﨑", "a\u{209D}", "é"] {
            assert_eq!(fold_common(s), None, "{s:?}");
        }
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
