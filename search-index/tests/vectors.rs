//! The shared test vectors: the Rust normaliser must produce exactly what
//! `tests/vectors.json` says, and so must the JavaScript one (`js/test/normalize.test.mjs`).
//! Regenerate after a deliberate change with `UPDATE_VECTORS=1 cargo test -p tsunagu-search`.

use serde_json::Value;
use tsunagu_search::normalize::{Words, exact_key, index_tokens, normalize, query_tokens};

const INPUTS: &[&str] = &[
    "",
    "   ",
    "津",
    "津市",
    "ひまわり",
    "ヒマワリ",
    "ﾋﾏﾜﾘ",
    "ひまわり児童発達支援センター",
    "訪問看護ステーション",
    "訪問看護",
    "訪問看護師",
    "吸引",
    "人工呼吸器",
    "経管栄養（胃ろう）",
    "ＡＢＣ１２３",
    "ABC abc Abc",
    "059-000-1234",
    "〒514-0004",
    "０５９－０００－１２３４",
    "センター・津！",
    "センタ",
    "ヴァイオリン",
    "ケ丘 ヶ丘",
    "佐々木",
    "〆切",
    "髙橋 﨑",
    "🙂👍",
    "☆★♪",
    "a-b_c.d",
    "三重県津市栄町1-2-3",
    "放課後等デイサービス",
    "短期入所（医療型）",
    "〇〇ホーム",
    "医療的ケア児",
    "土日祝",
    "ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟ",
    "㈱つなぐ ㍻",
    "Ⅷ ① ½",
    "\u{202E}abc\u{202C}",
    "tab\tnew\nline",
    "全角　スペース",
    "ー",
    "あー",
    "ーあ",
    "a",
    "日本語とEnglish混在text",
    "1",
    "12345678901234567890",
    // Unicode 18 maps these (subscript w, hiragana こと); Unicode 17 does not: both separate.
    "a\u{209D}b こ\u{1B123}と",
];

/// Site words for the vectors that have them (`words` in the file): names as a site lists them.
const WORDS: &[&str] = &[
    "放課後等デイサービス",
    "医療型短期入所",
    "短期入所・レスパイト",
    "人工呼吸器",
    "経管栄養",
    "訪問看護",
    "特別支援学校",
    "四日市市",
    "四日市",
    "動ける医ケア児",
];

/// Inputs tokenized with [`WORDS`].
const WORD_INPUTS: &[&str] = &[
    "放課後等デイサービス",
    "ﾎｳｶｺﾞﾄｳﾃﾞｲｻｰﾋﾞｽ",
    "医療型短期入所",
    "桑名の短期入所",
    "短期入所ひまわり",
    "レスパイト入院",
    "人工呼吸器と吸引",
    "あ人工呼吸器",
    "訪問看護ステーション 四日市",
    "四日市市の訪問看護",
    "特別支援学校・放課後等デイサービス",
    "短期 入所",
    "ABC人工呼吸器",
    "動ける医ケア児",
];

/// One vector; a struct (not a JSON map) so the key order is the same whatever serde_json
/// features the workspace enables.
#[derive(serde::Serialize)]
struct Vector<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    words: &'a [String],
    normalized: String,
    index_tokens: Vec<String>,
    query_tokens: Vec<String>,
    exact_key: String,
}

#[test]
fn vectors_match() {
    let (none, words) = (Words::default(), Words::new(WORDS.iter().copied()));
    let vectors: Vec<Vector> = INPUTS
        .iter()
        .map(|input| (input, &none))
        .chain(WORD_INPUTS.iter().map(|input| (input, &words)))
        .map(|(input, w)| Vector {
            input,
            words: w.list(),
            normalized: normalize(input),
            index_tokens: index_tokens(input, w),
            query_tokens: query_tokens(input, w),
            exact_key: exact_key(input),
        })
        .collect();
    let text = serde_json::to_string_pretty(&vectors).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors.json");
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("tests/vectors.json exists"))
            .unwrap();
    let computed: Value = serde_json::from_str(&text).unwrap();
    assert!(
        committed == computed,
        "tests/vectors.json differs from the Rust normaliser: run with UPDATE_VECTORS=1 after a deliberate change"
    );
    assert!(vectors.len() >= 60);
}

/// Every code point normalised on its own, as `<hex>:<normalised>\n` lines (non-empty results
/// only): the JavaScript test computes the same text with the browser's NFKC.
fn code_point_table() -> String {
    let mut lines = String::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let n = normalize(&c.to_string());
        if !n.is_empty() {
            lines.push_str(&format!("{:x}:{n}\n", c as u32));
        }
    }
    lines
}

/// The Unicode pin (docs/search-index-format.md): the separators listed in `tests/nfkc.json` are
/// the ones in `normalize.rs`, and the checksum of every code point's normalisation is the one
/// the JavaScript test checks too. `TSUNAGU_NFKC_DUMP=FILE` writes the table (to compare).
#[test]
fn every_code_point_normalises_as_pinned() {
    let table = code_point_table();
    if let Some(path) = std::env::var_os("TSUNAGU_NFKC_DUMP") {
        std::fs::write(path, &table).unwrap();
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/nfkc.json");
    let pin: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let listed: Vec<u32> = pin["separators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| u32::from_str_radix(v.as_str().unwrap().trim_start_matches("U+"), 16).unwrap())
        .collect();
    let ours: Vec<u32> = tsunagu_search::normalize::UNICODE_SEPARATORS
        .iter()
        .map(|&c| c as u32)
        .collect();
    assert_eq!(ours, listed, "UNICODE_SEPARATORS and tests/nfkc.json");
    for &c in &ours {
        let c = char::from_u32(c).unwrap();
        assert_eq!(normalize(&format!("a{c}b")), "a b", "{c:?} separates words");
    }
    assert_eq!(
        pin["crc32"].as_u64().unwrap(),
        u64::from(crc32fast::hash(table.as_bytes())),
        "the NFKC of some code point changed: see tests/nfkc.json"
    );
}
