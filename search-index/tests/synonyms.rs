//! The shared synonym vectors: the Rust reader's groups and bucket homes must be exactly what
//! `tests/synonyms.json` says, and so must the JavaScript reader's (`js/test/synonyms.test.mjs`).
//! Regenerate after a deliberate change with `UPDATE_VECTORS=1 cargo test -p tsunagu-search`.

use std::collections::BTreeMap;

use serde_json::Value;
use tsunagu_search::Synonym;
use tsunagu_search::normalize::{Words, query_tokens};
use tsunagu_search::synonyms::{Group, Synonyms};

/// A table in the shape of the built-in one: words of one and of several tokens, a word of two
/// terms, a term of two tokens, a word that is another term's word too.
fn table() -> Vec<Synonym> {
    let s = |term: &str, words: &[&str]| Synonym {
        term: term.into(),
        words: words.iter().map(|w| (*w).into()).collect(),
    };
    vec![
        s(
            "人工呼吸器",
            &["呼吸器", "じんこうこきゅうき", "NPPV", "ベンチレーター"],
        ),
        s("吸引", &["たん吸引", "痰吸引", "きゅういん", "吸痰"]),
        s(
            "経管栄養",
            &[
                "胃ろう",
                "胃瘻",
                "けいかんえいよう",
                "NGチューブ",
                "経管栄養",
            ],
        ),
        s("導尿", &["ストーマ", "どうにょう"]),
        s("排便管理", &["ストーマ", "浣腸"]),
        s(
            "放課後等デイサービス",
            &["放デイ", "放課後デイ", "ほうかごとうでいさーびす"],
        ),
        s(
            "訪問看護",
            &["訪看", "ほうもんかんご", "訪問看護ステーション"],
        ),
        s(
            "短期入所・レスパイト",
            &["ショートステイ", "ショートスティ", "たんきにゅうしょ"],
        ),
    ]
}

const QUERIES: &[&str] = &[
    "胃ろう",
    "胃瘻 桑名",
    "ショートステイ",
    "ｼｮｰﾄｽﾃｲ 津",
    "きゅういん",
    "たん吸引",
    "痰吸引と経管栄養",
    "ストーマ",
    "放デイ 四日市",
    "訪看",
    "訪問看護ステーション",
    "NPPV",
    "NGチューブ",
    "呼吸器 たん吸引",
    "人工呼吸器",
    "経管栄養",
    "ひまわり",
    "短期入所",
    "",
];

#[derive(serde::Serialize)]
struct Case {
    query: &'static str,
    tokens: Vec<String>,
    groups: Vec<Group>,
    homes: BTreeMap<String, String>,
}

#[test]
fn synonym_vectors_match() {
    let table = table();
    let words = Words::new(
        table
            .iter()
            .flat_map(|s| std::iter::once(&s.term).chain(&s.words))
            .map(String::as_str)
            .chain(["四日市"]),
    );
    let syn = Synonyms::new(&table, &words);
    let cases: Vec<Case> = QUERIES
        .iter()
        .map(|&query| {
            let tokens = query_tokens(query, &words);
            let groups = syn.groups(&tokens);
            let homes = groups
                .iter()
                .flatten()
                .flatten()
                .map(|t| (t.clone(), syn.home(t).to_owned()))
                .collect();
            Case {
                query,
                tokens,
                groups,
                homes,
            }
        })
        .collect();
    let vectors = serde_json::json!({
        "synonyms": table,
        "words": words.list(),
        "cases": cases,
    });
    let text = serde_json::to_string_pretty(&vectors).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/synonyms.json");
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("tests/synonyms.json exists"))
            .unwrap();
    assert!(
        committed == serde_json::from_str::<Value>(&text).unwrap(),
        "tests/synonyms.json differs from the Rust reader: run with UPDATE_VECTORS=1 after a deliberate change"
    );
    // The vectors cover what the format promises.
    let expanded = |q: &str| cases.iter().find(|c| c.query == q).unwrap().groups[0].len();
    assert_eq!(expanded("胃ろう"), 2);
    assert_eq!(expanded("ストーマ"), 3);
    assert_eq!(expanded("経管栄養"), 1);
    assert_eq!(syn.home("胃ろう"), "経管栄養");
}
