//! `tsunagu import`: the three open-data layouts in every encoding, the report, never overwriting,
//! `--update` keeping what people wrote, and a round trip through the published open data.

mod common;

use std::fs;

use common::{TempSite, fixtures, tsunagu};

fn import(
    site: &TempSite,
    format: &str,
    category: &str,
    file: &str,
    extra: &[&str],
) -> common::Run {
    let csv = fixtures().join("import").join(file);
    let mut args = vec!["import", "--format", format, "--category", category];
    args.extend_from_slice(extra);
    args.push(csv.to_str().unwrap());
    tsunagu(site.root(), &args)
}

fn imported(site: &TempSite, format: &str) -> Vec<String> {
    let dir = site.entries().join("imported").join(format);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn kaigo_in_utf8_with_bom_and_shift_jis_gives_the_same_files() {
    let a = TempSite::sample_copy();
    let b = TempSite::sample_copy();
    let ra = import(&a, "kaigo", "visiting-nurse", "kaigo-utf8-bom.csv", &[]);
    let rb = import(&b, "kaigo", "visiting-nurse", "kaigo-sjis.csv", &[]);
    ra.assert_code(0);
    rb.assert_code(0);
    assert!(
        ra.stdout
            .starts_with("新規 3 件、更新 0 件、変更なし 0 件、スキップ 2 件"),
        "{}",
        ra.stdout
    );
    for reason in [
        "ほかの都道府県の行 1 行は取り込みませんでした",
        "座標（緯度 136.5、経度 34.7）が日本の範囲の外のため、座標を外して取り込みました",
        "重複行",
        "電話番号も URL もありません",
    ] {
        assert!(
            ra.stdout.contains(reason),
            "report lacks {reason}:\n{}",
            ra.stdout
        );
    }
    let files = imported(&a, "kaigo");
    assert_eq!(files, imported(&b, "kaigo"));
    assert_eq!(files.len(), 3);
    for f in &files {
        let pa = fs::read_to_string(a.entries().join("imported/kaigo").join(f)).unwrap();
        let pb = fs::read_to_string(b.entries().join("imported/kaigo").join(f)).unwrap();
        assert_eq!(
            pa.replace("kaigo-utf8-bom.csv", "X"),
            pb.replace("kaigo-sjis.csv", "X")
        );
    }
    // The quoted field with a newline survived as one value.
    let minato = files.iter().find(|f| f.contains("2460200002")).unwrap();
    let text = fs::read_to_string(a.entries().join("imported/kaigo").join(minato)).unwrap();
    assert!(text.contains("土曜は要相談"), "{text}");
    tsunagu(a.root(), &["check"]).assert_code(0);
}

#[test]
fn wamnet_lists_a_provider_once_with_all_its_services() {
    let site = TempSite::sample_copy();
    let run = import(&site, "wamnet", "facility", "wamnet-sjis.csv", &[]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("同じ事業所番号の行 1 行は、1件の掲載のサービスとしてまとめました"),
        "{}",
        run.stdout
    );
    let files = imported(&site, "wamnet");
    // One office number with two services: one entry offering both.
    assert_eq!(files, ["wam-2450700001.toml", "wam-2451000003.toml"]);
    let text = fs::read_to_string(site.entries().join("imported/wamnet").join(&files[0])).unwrap();
    assert!(text.contains("三重県鈴鹿市神戸1-1-1"), "{text}");
    assert!(
        text.contains(r#"services = ["児童発達支援", "放課後等デイサービス"]"#),
        "{text}"
    );
    tsunagu(site.root(), &["check"]).assert_code(0);
    let utf8 = TempSite::sample_copy();
    import(&utf8, "wamnet", "facility", "wamnet-utf8.csv", &[]).assert_code(0);
    assert_eq!(imported(&utf8, "wamnet"), files);
}

#[test]
fn opendata_accepts_old_and_new_column_names() {
    let site = TempSite::sample_copy();
    import(
        &site,
        "opendata",
        "visiting-nurse",
        "opendata-utf8.csv",
        &[],
    )
    .assert_code(0);
    import(
        &site,
        "opendata",
        "visiting-nurse",
        "opendata-new-columns.csv",
        &[],
    )
    .assert_code(0);
    assert_eq!(imported(&site, "opendata").len(), 2);
    tsunagu(site.root(), &["check"]).assert_code(0);
}

#[test]
fn never_overwrites_and_update_keeps_what_people_wrote() {
    let site = TempSite::sample_copy();
    import(&site, "kaigo", "visiting-nurse", "kaigo-utf8-bom.csv", &[]).assert_code(0);
    let file = site
        .entries()
        .join("imported/kaigo")
        .join(&imported(&site, "kaigo")[0]);
    // A person adds care items, a flag and a comment.
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("# 2026-11 に電話で確認\ncare = [\"ventilator\", \"suction\"]\nweekend = true\n");
    fs::write(&file, &text).unwrap();

    let again = import(&site, "kaigo", "visiting-nurse", "kaigo-utf8-bom.csv", &[]);
    again.assert_code(0);
    assert!(
        again
            .stdout
            .starts_with("新規 0 件、更新 0 件、変更なし 0 件"),
        "{}",
        again.stdout
    );
    assert!(again.stdout.contains("--update"), "{}", again.stdout);
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        text,
        "a plain import must not touch the file"
    );

    let same = import(
        &site,
        "kaigo",
        "visiting-nurse",
        "kaigo-utf8-bom.csv",
        &["--update"],
    );
    assert!(
        same.stdout
            .starts_with("新規 0 件、更新 0 件、変更なし 3 件"),
        "{}",
        same.stdout
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), text);

    // The provider's phone number changes upstream.
    let csv = fs::read_to_string(fixtures().join("import/kaigo-utf8-bom.csv")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let changed = tmp.path().join("kaigo-new.csv");
    fs::write(&changed, csv.replace("059-000-1001", "059-000-9999")).unwrap();
    let run = tsunagu(
        site.root(),
        &[
            "import",
            "--format",
            "kaigo",
            "--category",
            "visiting-nurse",
            "--update",
            changed.to_str().unwrap(),
        ],
    );
    run.assert_code(0);
    assert!(
        run.stdout
            .starts_with("新規 0 件、更新 1 件、変更なし 2 件"),
        "{}",
        run.stdout
    );
    let updated = fs::read_to_string(&file).unwrap();
    assert!(updated.contains("059-000-9999"));
    assert!(updated.contains("# 2026-11 に電話で確認"));
    assert!(updated.contains("care = [\"ventilator\", \"suction\"]"));
    assert!(updated.contains("weekend = true"));
    assert!(
        updated.contains("kaigo-new.csv"),
        "source records the new file"
    );
    tsunagu(site.root(), &["check"]).assert_code(0);
}

#[test]
fn update_keeps_a_markdown_body() {
    let site = TempSite::sample_copy();
    import(
        &site,
        "opendata",
        "visiting-nurse",
        "opendata-utf8.csv",
        &[],
    )
    .assert_code(0);
    let dir = site.entries().join("imported/opendata");
    let toml_path = dir.join(&imported(&site, "opendata")[0]);
    let md_path = toml_path.with_extension("md");
    let front = fs::read_to_string(&toml_path)
        .unwrap()
        .replace("0596-00-6001", "0596-00-0000");
    fs::write(
        &md_path,
        format!("+++\n{front}+++\n## 見学\n\n見学できます。\n"),
    )
    .unwrap();
    fs::remove_file(&toml_path).unwrap();
    let run = import(
        &site,
        "opendata",
        "visiting-nurse",
        "opendata-utf8.csv",
        &["--update"],
    );
    assert!(
        run.stdout.starts_with("新規 0 件、更新 1 件"),
        "{}",
        run.stdout
    );
    let text = fs::read_to_string(&md_path).unwrap();
    assert!(text.contains("0596-00-6001"));
    assert!(text.ends_with("+++\n## 見学\n\n見学できます。\n"), "{text}");
    tsunagu(site.root(), &["check"]).assert_code(0);
}

#[test]
fn a_wrong_layout_or_category_is_a_clear_error() {
    let site = TempSite::sample_copy();
    let run = import(&site, "wamnet", "visiting-nurse", "kaigo-utf8-bom.csv", &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("--format"), "{}", run.stderr);
    let run = import(&site, "kaigo", "nursing", "kaigo-utf8-bom.csv", &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("カテゴリ `nursing` はありません"));
}

#[test]
fn round_trip_through_the_published_open_data() {
    let site = TempSite::sample_copy();
    import(&site, "kaigo", "visiting-nurse", "kaigo-sjis.csv", &[]).assert_code(0);
    let out = tempfile::tempdir().unwrap();
    tsunagu(
        site.root(),
        &["build", "--out", out.path().to_str().unwrap()],
    )
    .assert_code(0);
    let csv = out.path().join("data/entries.csv");
    assert!(
        fs::read(&csv).unwrap().starts_with(b"\xEF\xBB\xBF"),
        "entries.csv starts with a BOM"
    );
    let rows = common::csv_records(&csv);
    let row = rows
        .iter()
        .find(|r| r["名称"] == "訪問看護ステーションあおば津")
        .expect("imported entry exported");
    assert_eq!(row["全国地方公共団体コード"], "242012");
    assert_eq!(row["市区町村名"], "津市");
    assert_eq!(row["住所"], "三重県津市栄町1-1 あおばビル2階");
    assert_eq!(row["電話番号"], "059-000-1001");
    assert_eq!(row["FAX番号"], "059-000-1002");
    assert_eq!(row["緯度"], "34.7191");
    assert_eq!(row["経度"], "136.5051");
    assert_eq!(row["URL"], "https://aoba.example.jp/");
    assert_eq!(row["法人の名称"], "株式会社あおば");
    assert_eq!(row["実施サービス"], "訪問看護");
}

/// A national file, in both column generations: rows of three prefectures, one provider under two
/// services (the same 事業所番号), a service the category does not offer, coordinates of 0.
#[test]
fn national_files_give_the_sites_providers_once_each() {
    let site = TempSite::sample_copy();
    let current = import(
        &site,
        "opendata",
        "visiting-nurse",
        "national-current.csv",
        &[],
    );
    current.assert_code(0);
    for part in [
        "新規 2 件、更新 0 件、変更なし 0 件、スキップ 0 件",
        "ほかの都道府県の行 2 行は取り込みませんでした",
        "同じ事業所番号の行 1 行は、1件の掲載のサービスとしてまとめました",
        "このカテゴリのサービスではない行は取り込みませんでした: 訪問介護 1 行",
        "5行目: みえ訪問看護: 座標が 0 のため、座標を外して取り込みました",
    ] {
        assert!(current.stdout.contains(part), "{part}:\n{}", current.stdout);
    }
    let standard = import(
        &site,
        "opendata",
        "visiting-nurse",
        "national-standard.csv",
        &[],
    );
    standard.assert_code(0);
    for part in [
        "新規 1 件、更新 0 件、変更なし 0 件、スキップ 0 件",
        "ほかの都道府県の行 2 行は取り込みませんでした",
        "同じ事業所番号の行 1 行は、1件の掲載のサービスとしてまとめました",
    ] {
        assert!(
            standard.stdout.contains(part),
            "{part}:\n{}",
            standard.stdout
        );
    }
    let files = imported(&site, "opendata");
    assert_eq!(
        files,
        [
            "od-2460100011.toml",
            "od-2460200012.toml",
            "od-2460300021.toml"
        ]
    );
    let read =
        |f: &str| fs::read_to_string(site.entries().join("imported/opendata").join(f)).unwrap();
    for (file, services, municipality) in [
        (
            "od-2460100011.toml",
            r#"["訪問看護", "訪問リハビリ"]"#,
            "津市",
        ),
        ("od-2460200012.toml", r#"["訪問看護"]"#, "四日市市"),
        (
            "od-2460300021.toml",
            r#"["訪問看護", "訪問リハビリ"]"#,
            "伊勢市",
        ),
    ] {
        let text = read(file);
        assert!(
            text.contains(&format!("services = {services}")),
            "{file}: {text}"
        );
        assert!(
            text.contains(&format!("municipality = \"{municipality}\"")),
            "{file}: {text}"
        );
    }
    // The FAX number only the provider's second row gives is kept; coordinates of 0 are not.
    assert!(read("od-2460100011.toml").contains("fax = \"059-000-7002\""));
    assert!(!read("od-2460200012.toml").contains("lat ="));
    tsunagu(site.root(), &["check"]).assert_code(0);

    // A second import of the same files changes nothing.
    let before = common::snapshot(&site.entries());
    for file in ["national-current.csv", "national-standard.csv"] {
        let again = import(&site, "opendata", "visiting-nurse", file, &["--update"]);
        again.assert_code(0);
        assert!(
            again.stdout.starts_with("新規 0 件、更新 0 件"),
            "{}",
            again.stdout
        );
    }
    assert_eq!(common::snapshot(&site.entries()), before);
}

/// A site imported before providers were merged has one file per service: `--update` keeps the
/// first under its name and asks for the others to be removed, creating nothing new.
#[test]
fn update_finds_files_of_the_earlier_one_per_service_ids() {
    let site = TempSite::sample_copy();
    import(
        &site,
        "opendata",
        "visiting-nurse",
        "national-current.csv",
        &[],
    )
    .assert_code(0);
    let dir = site.entries().join("imported/opendata");
    let text = fs::read_to_string(dir.join("od-2460100011.toml")).unwrap();
    fs::remove_file(dir.join("od-2460100011.toml")).unwrap();
    fs::write(dir.join("od-2460100011-aaaaa.toml"), &text).unwrap();
    fs::write(dir.join("od-2460100011-bbbbb.toml"), &text).unwrap();
    let run = import(
        &site,
        "opendata",
        "visiting-nurse",
        "national-current.csv",
        &["--update"],
    );
    run.assert_code(0);
    assert!(
        run.stdout
            .starts_with("新規 0 件、更新 0 件、変更なし 2 件"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("od-2460100011-bbbbb: od-2460100011-aaaaa と同じ事業所です"),
        "{}",
        run.stdout
    );
}
