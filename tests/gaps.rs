//! The gap figures agree across the pages, the published CSV and JSON and `tsunagu gaps`, and
//! small demand counts never appear in any of them.

mod common;

use std::fs;

use common::{TempSite, tsunagu};
use serde_json::Value;

/// Visible text of an HTML page: tags dropped, whitespace collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn build(site: &TempSite) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    tsunagu(
        site.root(),
        &["build", "--out", out.path().to_str().unwrap()],
    )
    .assert_code(0);
    out
}

#[test]
fn pages_csv_json_and_cli_show_the_same_figures() {
    let site = TempSite::sample_copy();
    let out = build(&site);
    let published: Value =
        serde_json::from_slice(&fs::read(out.path().join("gaps/gaps.json")).unwrap()).unwrap();
    let cli = tsunagu(site.root(), &["gaps", "--format", "json"]);
    cli.assert_code(0);
    let from_cli: Value = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(
        published, from_cli,
        "gaps.json and `tsunagu gaps --format json` differ"
    );

    let csv_file = fs::read_to_string(out.path().join("gaps/gaps.csv")).unwrap();
    let cli_csv = tsunagu(site.root(), &["gaps", "--format", "csv"]);
    assert_eq!(
        csv_file, cli_csv.stdout,
        "gaps.csv and `tsunagu gaps --format csv` differ"
    );
    let table = tsunagu(site.root(), &["gaps"]).stdout;

    let overview = text(&fs::read_to_string(out.path().join("gaps/index.html")).unwrap());
    let mut csv_rows = csv::Reader::from_reader(csv_file.as_bytes());
    let headers = csv_rows.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = csv_rows.records().map(Result::unwrap).collect();

    for region in published["regions"].as_array().unwrap() {
        let id = region["id"].as_str().unwrap();
        let name = region["name"].as_str().unwrap();
        let page =
            text(&fs::read_to_string(out.path().join(format!("gaps/{id}/index.html"))).unwrap());
        let kinds =
            std::iter::once(&region["overall"]).chain(region["categories"].as_array().unwrap());
        for k in kinds {
            let status = k["status"].as_str().unwrap();
            let providers = k["providers"].as_u64().unwrap();
            let per_100 = match &k["per_100"] {
                Value::Number(n) => format!("{:.1}", n.as_f64().unwrap()),
                Value::String(s) => s.clone(),
                other => panic!("per_100 {other}"),
            };
            let label = k["label"].as_str().unwrap();
            // Overview cell: status, providers and per-100 children, in this order.
            let cell = format!("{status} {providers}か所 {per_100}");
            assert!(
                overview.contains(&cell),
                "overview lacks {name}/{label}: {cell}"
            );
            // Region page row: label, status, providers … per 100.
            let row = format!("{label} {status} {providers}か所");
            assert!(page.contains(&row), "{id} page lacks {row}");
            assert!(page.contains(&per_100), "{id} page lacks {per_100}");
            // CSV row.
            let category = k["category"].as_str().unwrap();
            let csv_row = rows
                .iter()
                .find(|r| &r[col("region")] == id && &r[col("category")] == category)
                .unwrap_or_else(|| panic!("no CSV row {id}/{category}"));
            assert_eq!(&csv_row[col("status")], status);
            assert_eq!(csv_row[col("providers")].parse::<u64>().unwrap(), providers);
            assert_eq!(csv_row[col("per_100_children")], per_100);
            // Terminal table.
            assert!(
                table.contains(&format!("{status} {providers}か所 ({per_100}/100人)")),
                "table lacks {name}/{label}"
            );
        }
        for item in region["uncovered_care"].as_array().unwrap() {
            assert!(page.contains(item["label"].as_str().unwrap()));
        }
    }
}

#[test]
fn the_sample_shows_a_real_shortage_and_a_region_without_one() {
    let site = TempSite::sample_copy();
    let cli = tsunagu(site.root(), &["gaps", "--format", "json"]);
    let report: Value = serde_json::from_str(&cli.stdout).unwrap();
    let statuses = |r: &Value| -> Vec<String> {
        std::iter::once(&r["overall"])
            .chain(r["categories"].as_array().unwrap())
            .map(|k| k["status"].as_str().unwrap().to_owned())
            .collect()
    };
    let regions = report["regions"].as_array().unwrap();
    assert!(
        regions
            .iter()
            .any(|r| statuses(r).iter().any(|s| s == "不足"))
    );
    assert!(
        regions
            .iter()
            .any(|r| statuses(r).iter().all(|s| s != "不足"))
    );
    // The short-stay gap the sample was written to show: no ventilator short-stay in 伊賀 or 東紀州.
    for id in ["iga", "higashi-kishu"] {
        let r = regions.iter().find(|r| r["id"] == id).unwrap();
        let ss = r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["category"] == "short-stay")
            .unwrap();
        let vent = ss["care"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "ventilator")
            .unwrap();
        assert_eq!(vent["providers"], 0);
        assert_eq!(vent["uncovered"], true);
        assert_eq!(ss["status"], "不足");
    }
}

#[test]
fn small_counts_never_reach_pages_or_files() {
    let site = TempSite::sample_copy();
    let demand = site.content().join("demand.toml");
    let text_before = fs::read_to_string(&demand).unwrap();
    // 東紀州: 2 children in all, and 2 on a ventilator.
    let changed = text_before.replacen("children = 8\n", "children = 2\n", 1);
    assert_ne!(
        changed, text_before,
        "the sample's 東紀州 row changed: update this test"
    );
    fs::write(&demand, changed).unwrap();
    let out = build(&site);

    let json: Value =
        serde_json::from_slice(&fs::read(out.path().join("gaps/gaps.json")).unwrap()).unwrap();
    let regions = json["regions"].as_array().unwrap();
    let hk = regions.iter().find(|r| r["id"] == "higashi-kishu").unwrap();
    assert_eq!(hk["children"], "<3");
    assert_eq!(
        hk["overall"]["per_100"], "<3",
        "per-100 would reveal the hidden count"
    );
    // A second region is hidden so the first cannot be recovered from the prefecture total.
    let hidden = regions.iter().filter(|r| r["children"] == "<3").count();
    assert!(
        hidden >= 2,
        "only {hidden} region hidden while the total is shown"
    );
    assert!(json["prefecture_children"].is_number());

    let page = text(&fs::read_to_string(out.path().join("gaps/higashi-kishu/index.html")).unwrap());
    assert!(page.contains("医療的ケア児 <3"), "{page}");
    assert!(!page.contains("医療的ケア児 2人"));
    for c in hk["overall"]["care"].as_array().unwrap() {
        if let Some(n) = c["children"].as_u64() {
            assert!(n == 0 || n >= 3, "care count {n} published");
        }
    }
    let csv = fs::read_to_string(out.path().join("gaps/gaps.csv")).unwrap();
    for line in csv.lines().filter(|l| l.starts_with("higashi-kishu,")) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[8], "<3", "children column: {line}");
        assert_eq!(cells[9], "<3", "per-100 column: {line}");
    }
    let overview = text(&fs::read_to_string(out.path().join("gaps/index.html")).unwrap());
    assert!(overview.contains("東紀州 <3"), "{overview}");
}

#[test]
fn bad_region_argument_is_a_usage_error() {
    let site = TempSite::sample_copy();
    let run = tsunagu(site.root(), &["gaps", "--region", "nowhere"]);
    run.assert_code(2);
    assert!(run.stderr.contains("地域 `nowhere` はありません"));
    let one = tsunagu(site.root(), &["gaps", "--region", "tsu", "--format", "csv"]);
    one.assert_code(0);
    assert!(one.stdout.lines().skip(1).all(|l| l.starts_with("tsu,")));
}
