//! The synonym layer end to end on the sample: everyday words find what the official ones find,
//! `[[synonyms]]` in site.toml extends or replaces the built-in words, and a wrong term is a
//! positioned Japanese error.

mod common;

use common::{TempSite, tsunagu};
use serde_json::Value;

fn search(site: &TempSite, q: &str) -> Value {
    let run = tsunagu(site.root(), &["search", "--json", "--limit", "1000", q]);
    run.assert_code(0);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn with_synonyms(site: &TempSite, extra: &str) {
    let path = site.content().join("site.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    site.write_config("site.toml", format!("{toml}\n{extra}"));
}

#[test]
fn everyday_words_find_the_listings_of_the_official_term() {
    let site = TempSite::sample_copy();
    for (word, term) in [
        ("胃ろう", "経管栄養"),
        ("胃瘻", "経管栄養"),
        ("ショートステイ", "短期入所"),
        ("きゅういん", "吸引"),
        ("けいかんえいよう", "経管栄養"),
        ("放デイ", "放課後等デイサービス"),
        ("訪看", "訪問看護"),
    ] {
        let (w, t) = (search(&site, word), search(&site, term));
        assert!(t["total"].as_u64().unwrap() > 0, "{term} finds listings");
        let (found, wanted) = (ids(&w), ids(&t));
        assert!(
            wanted.iter().all(|id| found.contains(id)),
            "{word} finds every listing {term} finds ({} of {})",
            found.len(),
            wanted.len()
        );
    }
}

#[test]
fn site_toml_extends_and_replaces_the_built_in_words() {
    let site = TempSite::sample_copy();
    assert_eq!(search(&site, "まもりびと")["total"], 0);
    let before = search(&site, "胃ろう")["total"].as_u64().unwrap();
    assert!(before > 0);
    with_synonyms(
        &site,
        "[[synonyms]]\nterm = \"人工呼吸器\"\nwords = [\"まもりびと\"]\n\n[[synonyms]]\nterm = \"経管栄養\"\nwords = [\"けいかん\"]\nreplace = true\n",
    );
    // `search` reads the index that `build` writes.
    site.build(&site.root().join("public")).assert_code(0);
    let site_word = search(&site, "まもりびと");
    assert_eq!(ids(&site_word), ids(&search(&site, "人工呼吸器")));
    // The built-in words of 人工呼吸器 are kept; those of 経管栄養 are replaced.
    assert!(search(&site, "呼吸器")["total"].as_u64().unwrap() > 0);
    assert!(search(&site, "胃ろう")["total"].as_u64().unwrap() < before);
}

#[test]
fn an_unknown_term_is_an_error_with_file_line_and_a_suggestion() {
    let site = TempSite::sample_copy();
    let toml = std::fs::read_to_string(site.content().join("site.toml")).unwrap();
    let line = toml.lines().count() + 3;
    with_synonyms(
        &site,
        "[[synonyms]]\nterm = \"経管栄\"\nwords = [\"胃ろう\"]\n",
    );
    let run = site.check();
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e.path, "content/site.toml");
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("経管栄"), "{e}");
    assert!(e.message.contains("もしかして `経管栄養`"), "{e}");
}

#[test]
fn a_query_that_names_a_care_item_ranks_the_listings_that_accept_it_first() {
    let site = TempSite::sample_copy();
    // A name match (the strongest field) on a listing that does not accept the item.
    site.write_entry(
        "tsu/tsu-kokyuki-soudan.md",
        "+++\nname = \"人工呼吸器の相談室つ\"\nkana = \"じんこうこきゅうきのそうだんしつつ\"\ncategory = \"facility\"\nservices = [\"障害児相談支援\"]\nmunicipality = \"津市\"\naddress = \"三重県津市西丸之内1-1\"\nphone = \"059-000-0001\"\ncare = [\"suction\"]\nverified = 2026-04-01\n+++\n人工呼吸器の使い方の相談を受けます。\n",
    );
    site.build(&site.root().join("public")).assert_code(0);
    for q in ["人工呼吸器", "呼吸器"] {
        let r = search(&site, q);
        let hits: Vec<&str> = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        let at = hits.iter().position(|id| *id == "tsu-kokyuki-soudan");
        let at = at.unwrap_or_else(|| panic!("{q}: the listing is found"));
        assert_eq!(
            at,
            hits.len() - 1,
            "{q}: after every accepting listing ({} hits)",
            hits.len()
        );
        // By score alone it would lead: the order is the rule's, not the scores'.
        let score = |i: usize| r["hits"][i]["score"].as_f64().unwrap();
        assert!(score(at) > score(0), "{q}");
        assert!(hits.len() > 10, "{q}");
    }
}
