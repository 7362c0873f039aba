//! `tsunagu search` on the sample: ranking rules from the issue, every filter, distance order and
//! hostile queries.

mod common;

use common::{TempSite, tsunagu};
use serde_json::Value;

fn search(site: &TempSite, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let run = tsunagu(site.root(), &all);
    run.assert_code(0);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn kana_finds_kanji_names_and_exact_names_rank_first() {
    let site = TempSite::sample_copy();
    let r = search(&site, &["くわなようこうびょういん"]);
    assert_eq!(ids(&r)[0], "kuwana-yoko-hospital");
    // Half-width katakana input is the same query.
    let r = search(&site, &["ｸﾜﾅﾖｳｺｳﾋﾞｮｳｲﾝ"]);
    assert_eq!(ids(&r)[0], "kuwana-yoko-hospital");
    let r = search(&site, &["桑名陽光病院"]);
    assert_eq!(ids(&r)[0], "kuwana-yoko-hospital");
    let first = r["hits"][0]["score"].as_f64().unwrap();
    let second = r["hits"]
        .get(1)
        .map_or(0.0, |h| h["score"].as_f64().unwrap());
    assert!(
        first > second * 2.0,
        "an exact name match ranks clearly first"
    );
}

#[test]
fn names_rank_above_body_only_matches() {
    let site = TempSite::sample_copy();
    // 病院 is in hospital names and in many descriptions.
    let r = search(&site, &["病院", "--limit", "50"]);
    let hits = ids(&r);
    let named: Vec<bool> = hits.iter().map(|id| id.contains("hospital")).collect();
    let first_unnamed = named.iter().position(|n| !n).unwrap_or(named.len());
    assert!(named[..first_unnamed].len() >= 4, "{hits:?}");
    assert!(
        named[first_unnamed..].iter().all(|n| !n),
        "a name match ranks below a body-only match: {hits:?}"
    );
}

#[test]
fn every_filter_narrows_the_list() {
    let site = TempSite::sample_copy();
    let all = search(&site, &[""])["total"].as_u64().unwrap();
    assert_eq!(all, 178);
    let cases: &[&[&str]] = &[
        &["--category", "short-stay"],
        &["--region", "iga"],
        &["--municipality", "津市"],
        &["--municipality", "24201"],
        &["--care", "ventilator"],
        &["--care", "ventilator", "--care", "tube-feeding"],
        &["--age", "4"],
        &["--transport"],
        &["--bathing"],
        &["--weekend"],
        &["--evening"],
        &["--overnight"],
        &["--walking"],
        &["--emergency-power"],
        &["--welfare-shelter"],
    ];
    for args in cases {
        let mut a = vec![""];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--limit", "500"]);
        let r = search(&site, &a);
        let n = r["total"].as_u64().unwrap();
        assert!(n > 0 && n < all, "{args:?}: {n}");
        assert_eq!(n as usize, ids(&r).len());
    }
    let by_name = search(&site, &["", "--municipality", "津市"]);
    let by_code = search(&site, &["", "--municipality", "24201"]);
    assert_eq!(by_name, by_code);
    let both = search(
        &site,
        &["", "--care", "ventilator", "--care", "tube-feeding"],
    )["total"]
        .as_u64()
        .unwrap();
    let one = search(&site, &["", "--care", "ventilator"])["total"]
        .as_u64()
        .unwrap();
    assert!(both <= one, "all care items must be accepted");
    // The iga short-stay gap, seen through search.
    assert_eq!(
        search(
            &site,
            &[
                "",
                "--region",
                "iga",
                "--category",
                "short-stay",
                "--care",
                "ventilator"
            ]
        )["total"],
        0
    );
}

#[test]
fn near_sorts_by_distance() {
    let site = TempSite::sample_copy();
    let r = search(&site, &["", "--near", "34.719,136.505", "--limit", "30"]);
    let d: Vec<f64> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["distance_km"].as_f64().unwrap())
        .collect();
    assert_eq!(d.len(), 30);
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    assert!(d[0] < 3.0, "something in 津市 is near its centre: {d:?}");
    let far = search(
        &site,
        &["訪問看護", "--near", "33.73,136.0", "--limit", "5"],
    );
    assert!(far["hits"][0]["distance_km"].as_f64().unwrap() < 30.0);
    let bad = tsunagu(site.root(), &["search", "--near", "51.5,-0.1", "x"]);
    bad.assert_code(2);
}

#[test]
fn hostile_queries_never_fail() {
    let site = TempSite::sample_copy();
    let long = "訪問".repeat(800);
    for q in [
        "",
        "   ",
        "🙂🙂",
        "%%% ☆",
        "<script>alert(1)</script>",
        "'; DROP TABLE x; --",
        long.as_str(),
        "\u{202E}津",
    ] {
        let run = tsunagu(site.root(), &["search", "--json", q]);
        run.assert_code(0);
        let v: Value = serde_json::from_str(&run.stdout).unwrap();
        assert!(v["total"].is_u64(), "{q}");
    }
    assert_eq!(
        search(&site, &["🙂🙂"])["total"],
        0,
        "symbols only find nothing"
    );
    assert_eq!(search(&site, &["xyzzyqq"])["total"], 0);
    let unknown = tsunagu(site.root(), &["search", "--care", "telepathy", "津"]);
    unknown.assert_code(0);
    assert!(
        unknown.stderr.contains("care=telepathy"),
        "{}",
        unknown.stderr
    );
}
