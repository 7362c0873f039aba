//! `tsunagu new`: a commented file with every field, in the municipality's region folder, that
//! never overwrites and never reuses an id; `tsunagu schema` matches the committed schema.

mod common;

use std::fs;

use common::{TempSite, manifest_dir, tsunagu};

#[test]
fn writes_a_commented_draft_in_the_region_folder() {
    let site = TempSite::sample_copy();
    let run = tsunagu(
        site.root(),
        &[
            "new",
            "short-stay",
            "tsu-new-place",
            "--name",
            "新しい短期入所",
            "--municipality",
            "24201",
        ],
    );
    run.assert_code(0);
    let path = site.entries().join("tsu/tsu-new-place.md");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("name = \"新しい短期入所\""));
    assert!(text.contains("category = \"short-stay\""));
    assert!(text.contains("municipality = \"津市\""));
    assert!(text.contains("draft = true"));
    assert!(
        text.contains("医療型短期入所、福祉型短期入所"),
        "the category's services are listed"
    );
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(manifest_dir().join("schema/entry.schema.json")).unwrap(),
    )
    .unwrap();
    for (field, _) in schema["properties"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(f, _)| *f != "description")
    {
        assert!(
            text.contains(&format!("\n{field} = ")) || text.contains(&format!("\n# {field} = ")),
            "{field} missing"
        );
    }
    // Until the contributor fills it in, check says exactly what is missing.
    let check = tsunagu(site.root(), &["check"]);
    check.assert_code(1);
    let errors = check.errors();
    assert!(
        errors
            .iter()
            .all(|d| d.path == "content/entries/tsu/tsu-new-place.md"),
        "{}",
        check.stderr
    );
    assert!(check.stderr.contains("連絡先がありません"));
    assert!(check.stderr.contains("`address` が空です"));

    // Filled in: address and a phone number, and the draft line removed.
    let filled = text
        .replace("address = \"\"", "address = \"三重県津市1-1\"")
        .replace("# phone = ", "phone = ")
        .replace("draft = true\n", "");
    fs::write(&path, filled).unwrap();
    tsunagu(site.root(), &["check"]).assert_code(0);
}

#[test]
fn refuses_existing_ids_bad_ids_and_unknown_names() {
    let site = TempSite::sample_copy();
    let existing = fs::read_dir(site.entries().join("tsu"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let id = existing.file_stem().unwrap().to_str().unwrap().to_owned();
    let before = fs::read(&existing).unwrap();
    let run = tsunagu(
        site.root(),
        &["new", "facility", &id, "--municipality", "津市"],
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("すでに") && run.stderr.contains(&id),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(&existing).unwrap(), before);
    // The same id in another region's folder is refused too.
    tsunagu(
        site.root(),
        &["new", "facility", &id, "--municipality", "桑名市"],
    )
    .assert_code(2);
    let bad = tsunagu(site.root(), &["new", "facility", "Bad_Id"]);
    bad.assert_code(2);
    assert!(bad.stderr.contains("半角英小文字"));
    // A 50音 row's list is at /entries/ka/.
    let row = tsunagu(site.root(), &["new", "facility", "ka"]);
    row.assert_code(2);
    assert!(row.stderr.contains("/entries/ka/"), "{}", row.stderr);
    let cat = tsunagu(site.root(), &["new", "facilty", "x-1"]);
    assert!(
        cat.stderr.contains("もしかして `facility`"),
        "{}",
        cat.stderr
    );
    let muni = tsunagu(
        site.root(),
        &["new", "facility", "x-1", "--municipality", "津"],
    );
    assert!(muni.stderr.contains("もしかして `津市`"), "{}", muni.stderr);
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let run = common::run_in(manifest_dir(), ["schema"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        fs::read_to_string(manifest_dir().join("schema/entry.schema.json")).unwrap()
    );
}
