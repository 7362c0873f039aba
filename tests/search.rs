//! `tsunagu search` on the sample: ranking rules from the issue, every filter, distance order and
//! hostile queries.

mod common;

use std::collections::{BTreeMap, HashMap};

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

/// Per entry id, its row in the built site's `data/entries.csv`.
fn records(site: &TempSite) -> HashMap<String, BTreeMap<String, String>> {
    let out = site.root().join("public");
    site.build(&out).assert_code(0);
    common::csv_records(&out.join("data/entries.csv"))
        .into_iter()
        .map(|r| (r["ID"].clone(), r))
        .collect()
}

/// A listing's ages from its row, none when it does not say.
fn ages(row: &BTreeMap<String, String>) -> Option<(u64, u64)> {
    let cell = |c: &str| row[c].parse().ok();
    Some((cell("対象年齢_下限")?, cell("対象年齢_上限")?))
}

#[test]
fn an_age_keeps_listings_without_ages_after_the_others() {
    let site = TempSite::sample_copy();
    let all = records(&site);
    let holds = |e: &BTreeMap<String, String>, age: u64| {
        ages(e).is_some_and(|(min, max)| min <= age && age <= max)
    };
    let unknown = all.values().filter(|e| ages(e).is_none()).count();
    assert!(unknown > 0, "the sample has listings without ages");
    for args in [
        &["", "--age", "4"][..],
        &["", "--age", "15", "--near", "34.73,136.51"],
        &["吸引", "--age", "7"],
    ] {
        let age: u64 = args[2].parse().unwrap();
        let mut a = args.to_vec();
        a.extend_from_slice(&["--limit", "500"]);
        let hits = ids(&search(&site, &a));
        let first_unknown = hits
            .iter()
            .position(|id| ages(&all[id]).is_none())
            .unwrap_or_else(|| panic!("{args:?} keeps listings without ages"));
        assert!(first_unknown > 0, "{args:?}: listings with ages come first");
        assert!(
            hits[..first_unknown].iter().all(|id| holds(&all[id], age)),
            "{args:?}"
        );
        assert!(
            hits[first_unknown..]
                .iter()
                .all(|id| ages(&all[id]).is_none()),
            "{args:?}: then only those without ages"
        );
        if args[0].is_empty() {
            let known = all.values().filter(|e| holds(e, age));
            assert_eq!(hits.len(), known.count() + unknown, "{args:?}");
        }
    }
}

#[test]
fn a_query_that_names_a_service_lists_its_providers_first() {
    let site = TempSite::sample_copy();
    let all = records(&site);
    let offers = |id: &String| {
        all[id]["実施サービス"]
            .split('、')
            .any(|s| s == "児童発達支援")
    };
    let hits = ids(&search(&site, &["児童発達支援", "--limit", "500"]));
    let first_other = hits
        .iter()
        .position(|id| !offers(id))
        .expect("some only mention it");
    assert!(first_other > 0);
    assert!(hits[first_other..].iter().all(|id| !offers(id)), "{hits:?}");
}

#[test]
fn words_no_listing_has_together_fall_back_to_the_best_partial_match() {
    let site = TempSite::sample_copy();
    let get = |q: &str| search(&site, &[q, "--limit", "500"]);
    let total = |q: &str| get(q)["total"].as_u64().unwrap();
    // One word no listing has: dropped, the rest as if searched alone.
    let r = get("吸引 ドラえもん");
    assert_eq!(r["dropped"], serde_json::json!(["ドラえもん"]));
    assert_eq!(ids(&r), ids(&get("吸引")));
    // Words as typed, wherever they are.
    assert_eq!(
        get("ドラえもん　訪問看護 津")["dropped"],
        serde_json::json!(["ドラえもん"])
    );
    // Of two words no listing has together, the one more listings have is kept.
    let (suzuka, iga) = (total("訪問看護 鈴鹿"), total("訪問看護 伊賀"));
    assert!(suzuka > 0 && iga > 0 && suzuka != iga, "{suzuka} {iga}");
    let r = get("訪問看護 鈴鹿 伊賀");
    let kept = if suzuka > iga { "鈴鹿" } else { "伊賀" };
    let gone = if suzuka > iga { "伊賀" } else { "鈴鹿" };
    assert_eq!(r["dropped"], serde_json::json!([gone]));
    assert_eq!(r["total"].as_u64().unwrap(), suzuka.max(iga), "kept {kept}");
    // Filters still apply; a single word, or words no listing has, drop nothing.
    let r = search(
        &site,
        &["訪問看護 ドラえもん", "--care", "suction", "--limit", "500"],
    );
    assert_eq!(r["dropped"], serde_json::json!(["ドラえもん"]));
    assert_eq!(
        ids(&r),
        ids(&search(
            &site,
            &["訪問看護", "--care", "suction", "--limit", "500"]
        ))
    );
    for q in ["ドラえもん", "ドラえもん xyzzy", "訪問看護 津"] {
        assert_eq!(get(q)["dropped"], serde_json::json!([]), "{q}");
    }
    assert_eq!(total("ドラえもん xyzzy"), 0);
}
