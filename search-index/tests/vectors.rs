//! The shared test vectors: the Rust normaliser must produce exactly what
//! `tests/vectors.json` says, and so must the JavaScript one (`js/test/normalize.test.mjs`).
//! Regenerate after a deliberate change with `UPDATE_VECTORS=1 cargo test -p tsunagu-search`.

use serde_json::Value;
use tsunagu_search::normalize::{exact_key, index_tokens, normalize, query_tokens};

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
];

/// One vector; a struct (not a JSON map) so the key order is the same whatever serde_json
/// features the workspace enables.
#[derive(serde::Serialize)]
struct Vector<'a> {
    input: &'a str,
    normalized: String,
    index_tokens: Vec<String>,
    query_tokens: Vec<String>,
    exact_key: String,
}

#[test]
fn vectors_match() {
    let vectors: Vec<Vector> = INPUTS
        .iter()
        .map(|input| Vector {
            input,
            normalized: normalize(input),
            index_tokens: index_tokens(input),
            query_tokens: query_tokens(input),
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
    assert!(vectors.len() >= 40);
}
