//! `tsunagu init`: a starter site for every prefecture, which passes `check` and `build` as
//! written; refusals that write nothing; the centre's own regions from a CSV.

mod common;

use std::fs;
use std::path::Path;

use common::{run_in, tsunagu};

/// The municipalities (市町村 and Tokyo's 23 special wards) of every prefecture in the bundled
/// table; 1,741 in all. A change here is a merger or split: update src/data/README.md too.
const COUNTS: [(&str, usize); 47] = [
    ("北海道", 179),
    ("青森県", 40),
    ("岩手県", 33),
    ("宮城県", 35),
    ("秋田県", 25),
    ("山形県", 35),
    ("福島県", 59),
    ("茨城県", 44),
    ("栃木県", 25),
    ("群馬県", 35),
    ("埼玉県", 63),
    ("千葉県", 54),
    ("東京都", 62),
    ("神奈川県", 33),
    ("新潟県", 30),
    ("富山県", 15),
    ("石川県", 19),
    ("福井県", 17),
    ("山梨県", 27),
    ("長野県", 77),
    ("岐阜県", 42),
    ("静岡県", 35),
    ("愛知県", 54),
    ("三重県", 29),
    ("滋賀県", 19),
    ("京都府", 26),
    ("大阪府", 43),
    ("兵庫県", 41),
    ("奈良県", 39),
    ("和歌山県", 30),
    ("鳥取県", 19),
    ("島根県", 19),
    ("岡山県", 27),
    ("広島県", 23),
    ("山口県", 19),
    ("徳島県", 24),
    ("香川県", 17),
    ("愛媛県", 20),
    ("高知県", 34),
    ("福岡県", 60),
    ("佐賀県", 20),
    ("長崎県", 21),
    ("熊本県", 45),
    ("大分県", 18),
    ("宮崎県", 26),
    ("鹿児島県", 43),
    ("沖縄県", 41),
];

fn temp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("tsunagu-init-")
        .tempdir()
        .unwrap()
}

/// `(region id, [municipality codes])` in the order regions.toml lists them.
fn regions(site: &Path) -> Vec<(String, Vec<String>)> {
    let text = fs::read_to_string(site.join("content/regions.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    doc["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let codes = r["municipalities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["code"].as_str().unwrap().to_owned())
                .collect();
            (r["id"].as_str().unwrap().to_owned(), codes)
        })
        .collect()
}

#[test]
fn every_prefecture_gets_all_its_municipalities() {
    let tmp = temp();
    for (i, (name, count)) in COUNTS.iter().enumerate() {
        let dir = tmp.path().join(format!("p{i}"));
        run_in(
            tmp.path(),
            ["init", "--prefecture", name, dir.to_str().unwrap()],
        )
        .assert_code(0);
        let regions = regions(&dir);
        assert_eq!(regions.len(), 1, "{name}");
        assert_eq!(regions[0].1.len(), *count, "{name}");
        let code = &regions[0].1[0];
        assert!(code.len() == 5, "{name}: {code}");
    }
}

#[test]
fn fresh_starter_sites_pass_check_and_build() {
    let tmp = temp();
    for pref in ["長野県", "tokyo", "北海道"] {
        let dir = tmp.path().join(pref);
        run_in(
            tmp.path(),
            ["init", "--prefecture", pref, dir.to_str().unwrap()],
        )
        .assert_code(0);
        for f in [
            "content/site.toml",
            "content/demand.toml",
            "CONTRIBUTING.md",
            "README.md",
            ".tsunagu-version",
            ".gitignore",
            ".github/workflows/check.yml",
            ".github/workflows/pages.yml",
        ] {
            assert!(dir.join(f).is_file(), "{pref}: {f}");
        }
        let check = tsunagu(&dir, &["check"]);
        check.assert_code(0);
        // One warning for the missing coordinates of the whole site, not one per municipality.
        let coords: Vec<&str> = check
            .stderr
            .lines()
            .filter(|l| l.starts_with("content/regions.toml") && l.contains("座標"))
            .collect();
        assert_eq!(coords.len(), 1, "{}", check.stderr);
        let out = tmp.path().join(format!("{pref}-public"));
        let build = tsunagu(&dir, &["build", "--out", out.to_str().unwrap()]);
        build.assert_code(0);
        assert!(out.join("index.html").is_file() && out.join("gaps/index.html").is_file());
        // Nothing has a position yet: the home page offers no 近くを探す it could not answer.
        let home = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            !home.contains("home-near-form") && !home.contains("home.js"),
            "{pref}"
        );
        // The gap page names the municipalities whose distances it could not compute.
        let region = &regions(&dir)[0].0;
        let gap = fs::read_to_string(out.join(format!("gaps/{region}/index.html"))).unwrap();
        assert!(gap.contains("距離を計算できなかった市町村"), "{pref}");
    }
}

#[test]
fn the_guides_name_the_prefecture_not_the_sample() {
    let tmp = temp();
    let dir = tmp.path().join("nagano");
    run_in(
        tmp.path(),
        ["init", "--prefecture", "nagano", dir.to_str().unwrap()],
    )
    .assert_code(0);
    let contributing = fs::read_to_string(dir.join("CONTRIBUTING.md")).unwrap();
    for mie in [
        "三重",
        "津市",
        "桑名",
        "kuwana",
        "entries/tsu/",
        "tsu-",
        "nabari",
        "kihoku",
    ] {
        assert!(
            !contributing.contains(mie),
            "CONTRIBUTING.md still says {mie}"
        );
    }
    assert!(contributing.contains("長野県長野市"));
    let site = fs::read_to_string(dir.join("content/site.toml")).unwrap();
    assert!(site.contains("prefecture = \"長野県\""));
    let version = fs::read_to_string(dir.join(".tsunagu-version")).unwrap();
    assert_eq!(version.trim(), format!("v{}", env!("CARGO_PKG_VERSION")));
    for wf in ["check.yml", "pages.yml"] {
        let text = fs::read_to_string(dir.join(".github/workflows").join(wf)).unwrap();
        assert!(text.contains("cargo install --locked --git"), "{wf}");
        assert!(text.contains("actions/cache@"), "{wf}");
        // GitHub's own `${{ … }}` stay; tsunagu's placeholders are `{{UPPERCASE}}`.
        let placeholder = text
            .match_indices("{{")
            .any(|(i, _)| text[i + 2..].starts_with(|c: char| c.is_ascii_uppercase()));
        assert!(!placeholder, "{wf}: a placeholder left");
    }
}

#[test]
fn the_folder_defaults_to_the_romaji_name() {
    let tmp = temp();
    run_in(tmp.path(), ["init", "--prefecture", "長野"]).assert_code(0);
    assert!(tmp.path().join("nagano/content/regions.toml").is_file());
}

#[test]
fn a_non_empty_folder_is_refused_and_left_as_it_was() {
    let tmp = temp();
    let dir = tmp.path().join("site");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "keep me").unwrap();
    let run = run_in(tmp.path(), ["init", "--prefecture", "nagano", "site"]);
    run.assert_code(2);
    assert!(run.stderr.contains("空ではありません"), "{}", run.stderr);
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["site"], "nothing else written beside it");
    let inside: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(inside, ["notes.txt"]);
    // An empty folder is fine.
    fs::create_dir(tmp.path().join("empty")).unwrap();
    run_in(tmp.path(), ["init", "--prefecture", "nagano", "empty"]).assert_code(0);
    assert!(tmp.path().join("empty/content/site.toml").is_file());
}

#[test]
fn the_current_folder_when_empty_and_an_ordinary_folder_when_new() {
    let tmp = temp();
    let here = tmp.path().join("here");
    fs::create_dir(&here).unwrap();
    run_in(&here, ["init", "--prefecture", "mie", "."]).assert_code(0);
    assert!(here.join("content/regions.toml").is_file());
    let names: Vec<_> = fs::read_dir(&here)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tsunagu-init"))
        .collect();
    assert!(names.is_empty(), "no staging folder left: {names:?}");
    tsunagu(&here, &["check"]).assert_code(0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        run_in(tmp.path(), ["init", "--prefecture", "mie", "new"]).assert_code(0);
        let mode = fs::metadata(tmp.path().join("new"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755, "not a private temporary folder's 0700");
    }
}

#[test]
fn an_unknown_prefecture_is_refused_with_the_closest_names() {
    let tmp = temp();
    for (typed, closest) in [
        ("長野件", "長野県"),
        ("nagno", "長野県"),
        ("oosaka", "大阪府"),
    ] {
        let run = run_in(tmp.path(), ["init", "--prefecture", typed]);
        run.assert_code(2);
        assert!(
            run.stderr.contains(typed) && run.stderr.contains(closest),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn a_regions_csv_sets_the_centres_own_regions() {
    // Mie's 8 areas, as the embedded sample has them: this CSV must give the same grouping.
    let sample = regions(common::manifest_dir());
    let mut csv = String::from("市町村,圏域,id\n");
    let text = fs::read_to_string(common::manifest_dir().join("content/regions.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    for r in doc["regions"].as_array().unwrap() {
        for m in r["municipalities"].as_array().unwrap() {
            // Names for some rows, codes for the others: both are accepted.
            let m = if m["code"].as_str().unwrap() < "24300" {
                &m["name"]
            } else {
                &m["code"]
            };
            csv.push_str(&format!(
                "{},{},{}\n",
                m.as_str().unwrap(),
                r["name"].as_str().unwrap(),
                r["id"].as_str().unwrap()
            ));
        }
    }
    let tmp = temp();
    fs::write(tmp.path().join("areas.csv"), &csv).unwrap();
    run_in(
        tmp.path(),
        [
            "init",
            "--prefecture",
            "三重県",
            "--regions",
            "areas.csv",
            "mie",
        ],
    )
    .assert_code(0);
    let mut got = regions(&tmp.path().join("mie"));
    let mut want = sample;
    for r in got.iter_mut().chain(want.iter_mut()) {
        r.1.sort();
    }
    assert_eq!(got, want);
    tsunagu(&tmp.path().join("mie"), &["check"]).assert_code(0);
}

#[test]
fn a_regions_csv_with_gaps_or_typos_is_refused() {
    let tmp = temp();
    fs::write(
        tmp.path().join("areas.csv"),
        "津市,中勢\n四日市氏,北勢\n津市,南勢\n鈴鹿市,\"鈴\n亀\"\n",
    )
    .unwrap();
    let run = run_in(
        tmp.path(),
        [
            "init",
            "--prefecture",
            "mie",
            "--regions",
            "areas.csv",
            "mie",
        ],
    );
    run.assert_code(2);
    for part in [
        "2行目",
        "四日市氏",
        "四日市市",
        "3行目",
        "1行目で「中勢」",
        "どの圏域にも入っていない市町村が 28",
    ] {
        assert!(run.stderr.contains(part), "{part}: {}", run.stderr);
    }
    assert!(!tmp.path().join("mie").exists());
}
