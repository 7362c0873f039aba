//! Every yes/no flag of the field registry reaches every output: the schema, entry pages, cards,
//! the search page's filters, `tsunagu search --<flag>`, and the open-data files. The test reads
//! the registry, so a flag added there is covered without touching it.

mod common;

use common::{TempSite, tsunagu};
use tsunagu::fields;

/// A sample listing with every flag set: true for the first half, false for the rest.
fn entry_with_flags() -> String {
    let mut e = String::from(
        "+++\nname = \"フラグ確認\"\nkana = \"ふらぐかくにん\"\ncategory = \"short-stay\"\n\
         municipality = \"津市\"\naddress = \"三重県津市1\"\nphone = \"059-000-0000\"\n",
    );
    for (i, f) in fields::flags().iter().enumerate() {
        e.push_str(&format!("{} = {}\n", f.id, i % 2 == 0));
    }
    e.push_str("verified = 2026-04-01\n+++\n本文\n");
    e
}

/// The labels an entry page lists under one answer of 「受け入れ・サービス」 (`yes` or `no`).
fn flag_group(page: &str, answer: &str) -> String {
    let flags = page
        .split("class=flags>")
        .nth(1)
        .expect("the page lists its flags");
    let flags = &flags[..flags.find("</dl>").unwrap()];
    let group = flags
        .split("<div class=")
        .find(|g| g.trim_start_matches('"').starts_with(answer))
        .unwrap_or_default();
    group.split("<dd>").nth(1).unwrap_or_default().to_owned()
}

#[test]
fn every_flag_reaches_every_output() {
    let site = TempSite::sample_copy();
    site.write_entry("tsu/flag-check.md", entry_with_flags());
    let out = site.root().join("public");
    site.build(&out).assert_code(0);
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let page = read("entries/flag-check/index.html");
    // A municipality's list shows the whole card (津市: 24201).
    let cards = read("municipalities/24201/index.html");
    let search_page = read("search/index.html");
    let csv = read("data/entries.csv");
    let rows = common::csv_records(&out.join("data/entries.csv"));
    let record = rows.iter().find(|r| r["ID"] == "flag-check").unwrap();
    let schema: serde_json::Value = serde_json::from_str(&fields::json_schema()).unwrap();
    let card = cards
        .split("<article")
        .find(|c| c.contains("フラグ確認"))
        .expect("the card is listed");
    for (i, f) in fields::flags().iter().enumerate() {
        let yes = i % 2 == 0;
        assert_eq!(schema["properties"][f.id]["type"][0], "boolean", "{}", f.id);
        assert!(
            flag_group(&page, if yes { "yes" } else { "no" }).contains(f.label),
            "{} on the page, under its answer",
            f.id
        );
        assert!(
            !flag_group(&page, if yes { "no" } else { "yes" }).contains(f.label),
            "{} not under the other answer",
            f.id
        );
        assert_eq!(card.contains(f.label), yes, "{} on the card", f.id);
        assert!(
            search_page.contains(&format!("name=\"{}\"", f.id))
                || search_page.contains(&format!("name={}", f.id)),
            "{} filter",
            f.id
        );
        assert!(
            csv.lines().next().unwrap().contains(&f.column()),
            "{}",
            f.id
        );
        assert_eq!(
            record[&f.column()],
            if yes { "1" } else { "0" },
            "{} in entries.csv",
            f.id
        );

        let run = tsunagu(
            site.root(),
            &[
                "search",
                "--json",
                "--limit",
                "500",
                &format!("--{}", f.cli_option()),
            ],
        );
        run.assert_code(0);
        let r: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let found = r["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == "flag-check");
        assert_eq!(found, yes, "--{}", f.cli_option());
        assert!(run.stderr.is_empty(), "{}", run.stderr);
    }
}
