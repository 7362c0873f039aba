//! Building the repository's sample site into temp dirs: the pages that must exist, the links
//! between them, the sitemap, one known entry page, stale marks, determinism, atomic failure and
//! the `--out` guard.

mod common;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::html;
use common::{
    Run, TODAY, TempSite, assert_same_tree, days_from_civil, files_under, front_matter,
    manifest_dir, run_in, run_with_env, snapshot, tsunagu, valid_entry,
};

/// The sample site root: the package itself, wherever it is checked out.
fn sample_root() -> &'static Path {
    manifest_dir()
}

/// One entry file of the sample, as the tests need it.
#[derive(Debug, Clone)]
struct EntryFile {
    id: String,
    path: PathBuf,
    draft: bool,
    name: String,
    kana: Option<String>,
    phone: Option<String>,
    care: Vec<String>,
    /// (year, month, day)
    verified: (i32, u32, u32),
}

impl EntryFile {
    fn is_stale(&self) -> bool {
        let (y, m, d) = self.verified;
        days_from_civil(TODAY.0, TODAY.1, TODAY.2) - days_from_civil(y, m, d) > 365
    }
}

/// What the tests know about the sample from its source files (read independently of tsunagu).
struct Facts {
    base_url: String,
    /// Path part of base_url with a trailing `/`, e.g. `/tsunagu/`.
    root_path: String,
    categories: Vec<String>,
    regions: Vec<String>,
    municipalities: Vec<String>,
    entries: Vec<EntryFile>,
}

impl Facts {
    fn published(&self) -> impl Iterator<Item = &EntryFile> {
        self.entries.iter().filter(|e| !e.draft)
    }
}

fn facts() -> &'static Facts {
    static FACTS: OnceLock<Facts> = OnceLock::new();
    FACTS.get_or_init(|| {
        let content = sample_root().join("content");
        let site: toml::Table = fs::read_to_string(content.join("site.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let base_url = site["base_url"]
            .as_str()
            .unwrap()
            .trim_end_matches('/')
            .to_owned();
        let after_scheme = base_url.split_once("://").unwrap().1;
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        let root_path = format!("{}/", path.trim_end_matches('/'));

        let mut categories: Vec<String> = ["facility", "short-stay", "visiting-nurse", "school"]
            .map(str::to_owned)
            .to_vec();
        if let Some(extra) = site.get("categories").and_then(|c| c.as_array()) {
            for c in extra {
                let id = c["id"].as_str().unwrap().to_owned();
                if !categories.contains(&id) {
                    categories.push(id);
                }
            }
        }

        let regions_file: toml::Table = fs::read_to_string(content.join("regions.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let mut regions = Vec::new();
        let mut municipalities = Vec::new();
        for r in regions_file["regions"].as_array().unwrap() {
            regions.push(r["id"].as_str().unwrap().to_owned());
            for m in r["municipalities"].as_array().unwrap() {
                municipalities.push(m["code"].as_str().unwrap().to_owned());
            }
        }

        let mut entries = Vec::new();
        for path in files_under(&content.join("entries")) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let ext = path.extension().map(|e| e.to_string_lossy().into_owned());
            if name.starts_with(['.', '_']) || !matches!(ext.as_deref(), Some("md" | "toml")) {
                continue;
            }
            let fm = front_matter(&path);
            let date = fm["verified"].as_datetime().unwrap().date.unwrap();
            entries.push(EntryFile {
                id: path.file_stem().unwrap().to_string_lossy().into_owned(),
                draft: fm.get("draft").and_then(|d| d.as_bool()).unwrap_or(false),
                name: fm["name"].as_str().unwrap().to_owned(),
                kana: fm.get("kana").and_then(|k| k.as_str()).map(str::to_owned),
                phone: fm.get("phone").and_then(|p| p.as_str()).map(str::to_owned),
                care: fm
                    .get("care")
                    .and_then(|c| c.as_array())
                    .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
                    .unwrap_or_default(),
                verified: (
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                ),
                path,
            });
        }
        assert!(!entries.is_empty(), "the sample has entries");
        Facts {
            base_url,
            root_path,
            categories,
            regions,
            municipalities,
            entries,
        }
    })
}

/// The sample, built once for all tests of this file, into a fixed folder under cargo's
/// `target/tmp` (a static temp dir would never be dropped, so it would leak one copy per run;
/// the build replaces this folder atomically on every run instead).
struct Built {
    out: PathBuf,
    run: Run,
}

fn sample() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tsunagu-sample-build");
        fs::create_dir_all(&dir).unwrap();
        let out = dir.join("public");
        let run = tsunagu(
            sample_root(),
            &[OsStr::new("build"), OsStr::new("--out"), out.as_os_str()],
        );
        Built { out, run }
    })
}

fn built() -> &'static Built {
    let b = sample();
    b.run.assert_code(0);
    b
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The 14 built-in care items: id → label.
const CARE_LABELS: &[(&str, &str)] = &[
    ("ventilator", "人工呼吸器"),
    ("tracheostomy", "気管切開"),
    ("airway", "鼻咽頭エアウェイ"),
    ("oxygen", "酸素療法"),
    ("suction", "吸引"),
    ("nebulizer", "ネブライザー"),
    ("tube-feeding", "経管栄養"),
    ("central-venous", "中心静脈カテーテル"),
    ("injection", "皮下注射"),
    ("blood-glucose", "血糖測定"),
    ("dialysis", "透析"),
    ("catheterization", "導尿"),
    ("bowel", "排便管理"),
    ("seizure", "痙攣時の処置"),
];

/// The 50音 rows' list folders under `entries/`, in 50音順 (その他 last).
const ROWS: &[&str] = &[
    "a", "ka", "sa", "ta", "na", "ha", "ma", "ya", "ra", "wa", "other",
];

/// The hiragana each row of [`ROWS`] but その他 starts with.
const ROW_KANA: &[&str] = &[
    "ぁあぃいぅうぇえぉおゔ",
    "かがきぎくぐけげこごゕゖ",
    "さざしじすずせぜそぞ",
    "ただちぢっつづてでとど",
    "なにぬねの",
    "はばぱひびぴふぶぷへべぺほぼぽ",
    "まみむめも",
    "ゃやゅゆょよ",
    "らりるれろ",
    "ゎわゐゑをん",
];

/// A reading in hiragana (katakana shifted down), with the spaces it may start with removed.
fn hiragana(kana: &str) -> String {
    kana.trim_start_matches([' ', '　'])
        .chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap(),
            c => c,
        })
        .collect()
}

/// The folder of the row an entry is filed under.
fn row_of(e: &EntryFile) -> &'static str {
    let first = e
        .kana
        .as_deref()
        .map(hiragana)
        .and_then(|k| k.chars().next());
    ROW_KANA
        .iter()
        .position(|row| first.is_some_and(|c| row.contains(c)))
        .map_or("other", |i| ROWS[i])
}

fn care_label(id_or_label: &str) -> &str {
    CARE_LABELS
        .iter()
        .find(|(id, label)| *id == id_or_label || *label == id_or_label)
        .map_or(id_or_label, |(_, label)| label)
}

#[test]
fn the_sample_builds_and_prints_the_summary_line() {
    let b = built();
    let f = facts();
    let line = b
        .run
        .stdout
        .lines()
        .find(|l| l.ends_with(" ms") && l.contains(" entries, "))
        .unwrap_or_else(|| panic!("no summary line in stdout:\n{}", b.run.stdout));
    let nums: Vec<usize> = line
        .split([' ', ','])
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(nums.len(), 3, "`N entries, M pages, X ms`: {line}");
    let shape = format!("{} entries, {} pages, {} ms", nums[0], nums[1], nums[2]);
    assert_eq!(line, shape);
    let published = f.published().count();
    assert_eq!(nums[0], published, "entries in the summary: {line}");
    let minimum_pages = 1 // home
        + f.categories.len()
        + f.regions.len()
        + f.municipalities.len()
        + published
        + 3; // 404.html, sitemap.xml, robots.txt
    assert!(
        nums[1] >= minimum_pages,
        "{line}: at least {minimum_pages} pages expected"
    );
    let files = files_under(&b.out).len();
    assert!(nums[1] <= files, "{line}: more pages than files ({files})");
}

#[test]
fn every_published_entry_has_a_page_and_drafts_have_none() {
    let b = built();
    let f = facts();
    let mut missing = Vec::new();
    for e in &f.entries {
        let page = b.out.join("entries").join(&e.id).join("index.html");
        if e.draft && page.exists() {
            missing.push(format!("draft {} has a page", e.path.display()));
        }
        if !e.draft && !page.is_file() {
            missing.push(format!("no page for {}", e.path.display()));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    // No page for anything that is not a published entry or a 50音 row's list.
    let published: BTreeSet<&str> = f.published().map(|e| e.id.as_str()).collect();
    for dir in fs::read_dir(b.out.join("entries")).unwrap() {
        let name = dir.unwrap().file_name().to_string_lossy().into_owned();
        if name == "index.html" {
            continue; // the index of the rows
        }
        assert!(
            published.contains(name.as_str()) || ROWS.contains(&name.as_str()),
            "unexpected entries/{name}/"
        );
        assert!(!(published.contains(name.as_str()) && ROWS.contains(&name.as_str())));
    }
}

#[test]
fn drafts_are_not_linked_or_listed_anywhere() {
    let b = built();
    let f = facts();
    let drafts: Vec<&EntryFile> = f.entries.iter().filter(|e| e.draft).collect();
    if drafts.is_empty() {
        return;
    }
    for file in files_under(&b.out) {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for d in &drafts {
            let url = format!("entries/{}/", d.id);
            assert!(
                !text.contains(&url),
                "{} links to draft {}",
                file.display(),
                d.id
            );
        }
    }
}

#[test]
fn list_pages_and_site_files_exist() {
    let b = built();
    let f = facts();
    let mut expected: Vec<String> = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "style.css",
    ]
    .map(str::to_owned)
    .to_vec();
    expected.extend(
        f.categories
            .iter()
            .map(|c| format!("categories/{c}/index.html")),
    );
    expected.extend(f.regions.iter().map(|r| format!("regions/{r}/index.html")));
    expected.extend(
        f.municipalities
            .iter()
            .map(|m| format!("municipalities/{m}/index.html")),
    );
    let missing: Vec<&String> = expected
        .iter()
        .filter(|p| !b.out.join(p).is_file())
        .collect();
    assert!(missing.is_empty(), "missing: {missing:?}");

    let robots = read(&b.out.join("robots.txt"));
    assert!(
        robots.contains(&format!("{}/sitemap.xml", f.base_url)),
        "{robots}"
    );
    let css = read(&b.out.join("style.css"));
    assert!(!css.trim().is_empty());
}

/// Every `<loc>` of the sitemap.
fn sitemap_urls(out: &Path) -> Vec<String> {
    let xml = read(&out.join("sitemap.xml"));
    xml.split("<loc>")
        .skip(1)
        .map(|s| html::decode(s.split("</loc>").next().unwrap().trim()))
        .collect()
}

#[test]
fn the_sitemap_lists_every_entry_page_under_the_base_url() {
    let b = built();
    let f = facts();
    let urls = sitemap_urls(&b.out);
    assert!(!urls.is_empty());
    let prefix = format!("{}/", f.base_url);
    for u in &urls {
        assert!(u.starts_with(&prefix), "{u} does not start with {prefix}");
        let rel = &u[prefix.len()..];
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_owned()
        };
        assert!(b.out.join(&file).is_file(), "sitemap URL {u} has no file");
    }
    let set: BTreeSet<&String> = urls.iter().collect();
    assert_eq!(set.len(), urls.len(), "no URL twice");
    for e in &f.entries {
        let url = format!("{}/entries/{}/", f.base_url, e.id);
        assert_eq!(
            set.contains(&url),
            !e.draft,
            "{url} in sitemap (draft = {})",
            e.draft
        );
    }
    assert!(set.contains(&prefix), "the home page is listed");
    let browse = ["care/", "categories/", "regions/", "entries/", "data/"];
    let lists = CARE_LABELS
        .iter()
        .map(|(id, _)| format!("care/{id}/"))
        .chain(ROWS.iter().map(|r| format!("entries/{r}/")));
    for page in browse.map(str::to_owned).into_iter().chain(lists) {
        let url = format!("{prefix}{page}");
        assert!(set.contains(&url), "{url} in the sitemap");
    }
}

/// Maps a site-absolute URL path (`/tsunagu/a/b/`) to the file it must resolve to, or explains why
/// it cannot.
fn resolve(out: &Path, root_path: &str, url: &str) -> Result<PathBuf, String> {
    let url = url.split(['#', '?']).next().unwrap();
    let rel = url
        .strip_prefix(root_path)
        .ok_or_else(|| format!("`{url}` does not start with the base path {root_path}"))?;
    if rel.split('/').any(|p| p == "..") {
        return Err(format!("`{url}` climbs with .."));
    }
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    let path = out.join(&file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("`{url}` → {file} does not exist"))
    }
}

#[test]
fn every_internal_link_resolves_to_a_file() {
    let b = built();
    let f = facts();
    let mut broken = BTreeSet::new();
    let mut checked = 0;
    for file in files_under(&b.out) {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = read(&file);
        let shown = file.strip_prefix(&b.out).unwrap().display().to_string();
        for tag in html::tags(&page) {
            for (name, value) in &tag.attrs {
                if !matches!(name.as_str(), "href" | "src" | "action" | "poster") {
                    continue;
                }
                let v = html::decode(value);
                if v.contains("{id}") {
                    // The search page's result card (`<template>`): the script puts a hit's id in.
                    continue;
                }
                let target = if let Some(rest) = v.strip_prefix(&f.base_url) {
                    // Absolute links to our own site (canonical).
                    format!("{}{}", f.root_path.trim_end_matches('/'), rest)
                } else if v.starts_with('/') && !v.starts_with("//") {
                    v.clone()
                } else {
                    continue; // external, fragment-only or scheme links
                };
                checked += 1;
                if let Err(why) = resolve(&b.out, &f.root_path, &target) {
                    broken.insert(format!("{shown}: <{} {name}>: {why}", tag.name));
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} internal links found");
    assert!(
        broken.is_empty(),
        "{} broken link(s):\n{}",
        broken.len(),
        broken
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_page_is_japanese() {
    let b = built();
    for file in files_under(&b.out) {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = read(&file);
        let tags = html::tags(&page);
        let html_tag = tags
            .iter()
            .find(|t| t.name == "html" && !t.is_end)
            .unwrap_or_else(|| panic!("{}: no <html>", file.display()));
        assert_eq!(
            html_tag.attr("lang"),
            Some("ja"),
            "{}: <html lang>",
            file.display()
        );
    }
}

#[test]
fn a_known_entry_page_shows_its_facts() {
    let b = built();
    let f = facts();
    let path = sample_root().join("content/entries/higashi-kishu/kumano-kirari-nitchu.md");
    let e = f
        .entries
        .iter()
        .find(|e| e.path == path)
        .expect("the sample entry kumano-kirari-nitchu exists");
    assert!(!e.draft);
    let page = read(&b.out.join("entries").join(&e.id).join("index.html"));

    let h1 = html::text(html::inner(&page, "h1").expect("an <h1>"));
    assert_eq!(h1.trim(), e.name, "the <h1> is the name");
    let title = html::text(html::inner(&page, "title").expect("a <title>"));
    assert!(title.contains(&e.name), "<title>{title}</title>");

    let phone = e.phone.as_deref().expect("the known entry has a phone");
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    let tel = html::tags(&page)
        .into_iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("href").map(html::decode))
        .find(|h| h.starts_with("tel:"))
        .expect("a tel: link");
    assert_eq!(tel, format!("tel:{digits}"));
    let text = html::text(&page);
    assert!(text.contains(phone), "the number is shown as written");

    assert!(!e.care.is_empty());
    for c in &e.care {
        let label = care_label(c);
        assert!(text.contains(label), "care label {label} on the page");
    }
    assert!(text.contains("最終確認日"), "最終確認日 is shown");
    let (y, m, d) = e.verified;
    assert!(
        text.contains(&format!("{y}年{m}月{d}日")),
        "the verified date {y}年{m}月{d}日 is shown"
    );
    assert!(!e.is_stale());
    assert!(!has_stale_mark(&page), "a fresh entry has no stale mark");
}

#[test]
fn every_entry_page_names_the_centre_and_offers_a_mail_about_an_error() {
    let b = built();
    let f = facts();
    let site: toml::Table = read(&sample_root().join("content/site.toml"))
        .parse()
        .unwrap();
    let centre = site["centre"]
        .as_table()
        .expect("the sample has a [centre]");
    let field = |k: &str| centre[k].as_str().unwrap();
    for e in f.published() {
        let page = read(&b.out.join("entries").join(&e.id).join("index.html"));
        let text = html::text(&page);
        assert!(
            text.contains("掲載内容についての問い合わせ先")
                && text.contains(field("name"))
                && text.contains(field("phone")),
            "{}: the centre is named with its phone",
            e.id
        );
        let links: Vec<(String, String)> = html::tags(&page)
            .into_iter()
            .filter(|t| t.name == "a")
            .filter_map(|t| Some((t.attr("href").map(html::decode)?, t.offset)))
            .map(|(href, at)| {
                (
                    href,
                    html::text(&page[at..page[at..].find("</a>").unwrap() + at]),
                )
            })
            .collect();
        let (href, _) = links
            .iter()
            .find(|(_, label)| label.starts_with("情報の誤りを知らせる"))
            .unwrap_or_else(|| panic!("{}: no 情報の誤りを知らせる link", e.id));
        let (to, fields) = common::mailto(href).expect("a mailto: link");
        assert_eq!(to, field("email"));
        let get = |k: &str| &fields.iter().find(|(n, _)| n == k).unwrap().1;
        assert!(
            get("subject").contains(&e.name),
            "{}: {}",
            e.id,
            get("subject")
        );
        let body = get("body");
        for part in [
            format!("{}/entries/{}/", f.base_url, e.id),
            "誤っている内容".to_owned(),
            "正しい内容".to_owned(),
        ] {
            assert!(
                body.contains(&part),
                "{}: {part} in the body {body:?}",
                e.id
            );
        }
        assert!(
            links
                .iter()
                .any(|(h, label)| h == field("form_url") && label.starts_with("入力フォーム")),
            "{}: the form is linked",
            e.id
        );
    }
}

fn has_stale_mark(page: &str) -> bool {
    html::tags(page)
        .iter()
        .any(|t| t.attr("class").is_some_and(|c| c.contains("stale")))
        && html::text(page).contains("1年以上")
}

#[test]
fn stale_entries_are_marked_and_fresh_ones_are_not() {
    let b = built();
    let f = facts();
    let stale: Vec<&EntryFile> = f.published().filter(|e| e.is_stale()).collect();
    assert!(!stale.is_empty(), "the sample has stale entries");
    for e in f.published() {
        let page = read(&b.out.join("entries").join(&e.id).join("index.html"));
        assert_eq!(
            has_stale_mark(&page),
            e.is_stale(),
            "{} verified {:?}",
            e.id,
            e.verified
        );
    }
}

#[test]
fn two_builds_give_the_same_bytes() {
    // A frozen copy of the sample (content and theme), so both builds see the same input even
    // while the repository's files are being edited.
    let site = TempSite::sample_copy();
    let first = site.root().join("first");
    site.build(&first).assert_code(0);

    // Another cwd, another output path, one thread, another time zone: none of it may show.
    let dir = tempfile::Builder::new()
        .prefix("tsunagu-build-again-")
        .tempdir()
        .unwrap();
    let second = dir.path().join("elsewhere");
    let run = run_with_env(
        dir.path(),
        [
            OsStr::new("--root"),
            site.root().as_os_str(),
            OsStr::new("build"),
            OsStr::new("--out"),
            second.as_os_str(),
        ],
        &[("RAYON_NUM_THREADS", "1"), ("TZ", "Pacific/Kiritimati")],
    );
    run.assert_code(0);
    let a = snapshot(&first);
    assert!(a.len() > 200, "the sample renders many files");
    assert_same_tree("second build of the sample", &a, &snapshot(&second));
}

/// Lists the names in `dir` that look like staging or old-output leftovers.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old-") || n.starts_with(".public"))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = TempSite::sample_copy();
    let out = site.root().join("public");
    site.build(&out).assert_code(0);
    let before = snapshot(&out);
    assert!(before.contains_key("index.html"));

    site.write_entry(
        "tsu/zz-broken.md",
        valid_entry().replace("capacity = 10", "capacity = \"ten\""),
    );
    let run = site.build(&out);
    run.assert_code(1);
    assert!(
        run.errors()
            .iter()
            .any(|d| d.path == "content/entries/tsu/zz-broken.md" && d.line == 14),
        "{}",
        run.stderr
    );
    assert_same_tree("output after a failed build", &before, &snapshot(&out));
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn a_build_failing_while_rendering_leaves_the_previous_output_and_no_staging_dir() {
    let site = TempSite::minimal();
    site.write_entry("aozora.md", valid_entry());
    let out = site.root().join("public");
    site.build(&out).assert_code(0);
    let before = snapshot(&out);

    // A theme template that parses but fails while rendering an entry page, after the staging
    // directory was created and other pages were written into it.
    let templates = site.root().join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("entry.html"),
        "{% extends \"base.html\" %}{% block content %}{{ entry.no_such_field.deeper }}{% endblock content %}",
    )
    .unwrap();
    let run = site.build(&out);
    run.assert_code(2);
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
    assert_same_tree("output after a failed render", &before, &snapshot(&out));
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn a_successful_build_replaces_the_whole_output() {
    let site = TempSite::minimal();
    site.write_entry("aozora.md", valid_entry());
    let out = site.root().join("public");
    fs::create_dir_all(out.join("entries/gone")).unwrap();
    fs::write(out.join("entries/gone/index.html"), "old").unwrap();
    fs::write(out.join("old.txt"), "old").unwrap();
    site.build(&out).assert_code(0);
    assert!(!out.join("old.txt").exists());
    assert!(!out.join("entries/gone").exists());
    assert!(out.join("entries/aozora/index.html").is_file());
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

/// A valid site at `<tmp>/site`, with the whole `<tmp>` snapshotted around each `--out` attempt.
fn guarded_site() -> (tempfile::TempDir, PathBuf) {
    let base = tempfile::Builder::new()
        .prefix("tsunagu-guard-")
        .tempdir()
        .unwrap();
    let root = base.path().join("site");
    fs::create_dir_all(root.join("content/entries")).unwrap();
    common::copy_tree(&common::fixtures().join("minimal"), &root.join("content"));
    fs::write(root.join("content/entries/aozora.md"), valid_entry()).unwrap();
    (base, root)
}

fn assert_out_refused(out: &str) {
    let (base, root) = guarded_site();
    let before = snapshot(base.path());
    let run = run_in(&root, ["--root", ".", "build", "--out", out]);
    run.assert_code(2);
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
    assert_same_tree(
        &format!("everything after `build --out {out}`"),
        &before,
        &snapshot(base.path()),
    );
}

#[test]
fn out_may_not_be_the_content_folder() {
    assert_out_refused("content");
    assert_out_refused("./content");
    assert_out_refused("content/entries");
}

#[test]
fn out_may_not_be_the_root_or_an_ancestor_or_themes() {
    assert_out_refused(".");
    assert_out_refused("themes");
    let (base, root) = guarded_site();
    let before = snapshot(base.path());
    let abs = root.to_string_lossy().into_owned();
    let parent = base.path().to_string_lossy().into_owned();
    for out in [abs.as_str(), parent.as_str()] {
        let run = run_in(&root, ["--root", abs.as_str(), "build", "--out", out]);
        run.assert_code(2);
    }
    assert_same_tree("after absolute --out", &before, &snapshot(base.path()));
}

#[test]

fn out_with_dot_dot_may_not_reach_the_content_folder() {
    assert_out_refused("x/../content");
}

#[test]

fn out_with_dot_dot_may_not_reach_the_root() {
    assert_out_refused("../site");
}

/// The binary sets mimalloc's `arena_eager_commit` to 0 before its first allocation (src/main.rs):
/// mimalloc's verbose option dump names the option, so this also checks the option number.
#[test]
fn the_allocator_commits_arenas_lazily_unless_the_environment_says_otherwise() {
    let option = |env: &[(&str, &str)]| {
        let run = run_with_env(&std::env::temp_dir(), ["--version"], env);
        run.assert_code(0);
        run.stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("option 'arena_eager_commit': "))
            .map(str::to_owned)
    };
    assert_eq!(option(&[("MIMALLOC_VERBOSE", "1")]).as_deref(), Some("0"));
    assert_eq!(
        option(&[
            ("MIMALLOC_VERBOSE", "1"),
            ("MIMALLOC_ARENA_EAGER_COMMIT", "1")
        ])
        .as_deref(),
        Some("1")
    );
}

/// The pages of a list: `<dir>index.html`, then `<dir>page/2/index.html` … as long as they exist.
fn list_pages(out: &Path, dir: &str) -> Vec<String> {
    let first = out.join(dir).join("index.html");
    assert!(first.is_file(), "no list at {dir}");
    let mut pages = vec![read(&first)];
    for n in 2.. {
        let next = out.join(dir).join(format!("page/{n}/index.html"));
        if !next.is_file() {
            break;
        }
        pages.push(read(&next));
    }
    pages
}

/// The ids of the entry pages linked from the `<main>` of each page, in order.
fn listed_entries(pages: &[String]) -> Vec<String> {
    let prefix = format!("{}entries/", facts().root_path);
    pages
        .iter()
        .flat_map(|page| {
            let main = html::inner(page, "main").expect("a <main>");
            html::tags(main)
                .into_iter()
                .filter(|t| t.name == "a" && !t.is_end)
                .filter_map(|t| t.attr("href").map(html::decode))
                .filter_map(|href| {
                    let id = href.strip_prefix(&prefix)?.strip_suffix('/')?.to_owned();
                    (!id.contains('/')).then_some(id)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn each_care_page_lists_exactly_the_entries_that_accept_the_care_item() {
    let b = built();
    let f = facts();
    let index = read(&b.out.join("care/index.html"));
    for (id, label) in CARE_LABELS {
        let want: BTreeSet<&str> = f
            .published()
            .filter(|e| e.care.iter().any(|c| care_label(c) == *label))
            .map(|e| e.id.as_str())
            .collect();
        let pages = list_pages(&b.out, &format!("care/{id}"));
        let got = listed_entries(&pages);
        let unique: BTreeSet<&str> = got.iter().map(String::as_str).collect();
        assert_eq!(unique.len(), got.len(), "care/{id}/ lists an entry twice");
        assert_eq!(unique, want, "care/{id}/");
        assert!(
            html::text(&pages[0]).contains(label),
            "care/{id}/ names {label}"
        );
        // The index links the list and gives its count.
        let link = format!("href=\"{}care/{id}/\"", f.root_path);
        let at = index
            .find(&link)
            .unwrap_or_else(|| panic!("care/ links {id}"));
        let after = html::text(&index[at..]);
        assert!(
            after.contains(&format!("{label} {}件", want.len())),
            "care/ gives {label} with {} entries: {}",
            want.len(),
            after.chars().take(60).collect::<String>()
        );
    }
    assert!(
        html::text(&index).contains("下書き"),
        "care/ says the everyday words are a draft"
    );
}

#[test]
fn the_rows_of_entries_cover_every_published_entry_exactly_once() {
    let b = built();
    let f = facts();
    let index = read(&b.out.join("entries/index.html"));
    let mut seen: Vec<String> = Vec::new();
    for row in ROWS {
        let listed = listed_entries(&list_pages(&b.out, &format!("entries/{row}")));
        let link = format!("href=\"{}entries/{row}/\"", f.root_path);
        assert!(index.contains(&link), "entries/ links the row {row}");
        let want: BTreeSet<&str> = f
            .published()
            .filter(|e| row_of(e) == *row)
            .map(|e| e.id.as_str())
            .collect();
        let got: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
        assert_eq!(got, want, "entries/{row}/");
        if *row != "other" {
            let readings: Vec<String> = listed
                .iter()
                .map(|id| {
                    let e = f.published().find(|e| &e.id == id).unwrap();
                    hiragana(e.kana.as_deref().unwrap())
                })
                .collect();
            assert!(
                readings.is_sorted(),
                "entries/{row}/ in 50音順: {readings:?}"
            );
        }
        seen.extend(listed);
    }
    let mut sorted = seen.clone();
    sorted.sort();
    let mut want: Vec<String> = f.published().map(|e| e.id.clone()).collect();
    want.sort();
    assert_eq!(sorted, want, "every published entry in exactly one row");
}

/// The cells of the first line of a CSV file (no quoted commas in the headers).
fn csv_header(path: &Path) -> Vec<String> {
    let text = read(path);
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    first.split(',').map(str::to_owned).collect()
}

/// The names the data page lists in the section that links `file`.
fn data_page_fields(page: &str, file: &str) -> Vec<String> {
    let link = format!("href=\"{}{file}\"", facts().root_path);
    let section = page
        .split("<section")
        .find(|s| s.contains(&link))
        .unwrap_or_else(|| panic!("data/ has no section linking {file}"));
    section
        .split("<code>")
        .skip(1)
        .map(|c| html::decode(c.split("</code>").next().unwrap()))
        .collect()
}

#[test]
fn the_data_page_lists_the_columns_the_files_have() {
    let b = built();
    let page = read(&b.out.join("data/index.html"));
    for file in ["data/entries.csv", "gaps/gaps.csv"] {
        let header = csv_header(&b.out.join(file));
        assert!(header.len() > 10, "{file}: {header:?}");
        assert_eq!(data_page_fields(&page, file), header, "{file}");
    }
    let site: toml::Table = read(&sample_root().join("content/site.toml"))
        .parse()
        .unwrap();
    let text = html::text(&page);
    let license = site["license"].as_str().unwrap();
    assert!(text.contains(license), "the licence {license} is named");
    assert!(text.contains("UTF-8"), "the encoding is named");
    assert!(!data_page_fields(&page, "gaps/gaps.json").is_empty());
    // One complete format: the CSV, whose coordinate columns map tools read as points.
    assert!(!b.out.join("data/entries.geojson").exists());
    let rows = common::csv_records(&b.out.join("data/entries.csv"));
    let located = rows.iter().filter(|r| {
        let (lat, lon) = (r["緯度"].parse::<f64>(), r["経度"].parse::<f64>());
        matches!((lat, lon), (Ok(lat), Ok(lon)) if (20.0..46.0).contains(&lat) && (122.0..154.0).contains(&lon))
    });
    assert!(located.count() > 100);
}

/// A directory too large for one file is published in parts: every part a whole CSV with its
/// header, nothing lost or repeated, and the data page linking each part.
#[test]
fn large_open_data_is_published_in_whole_parts() {
    let whole = built();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = common::run_with_env(
        &std::env::temp_dir(),
        [
            OsStr::new("--root"),
            sample_root().as_os_str(),
            OsStr::new("build"),
            OsStr::new("--out"),
            out.as_os_str(),
        ],
        &[("TSUNAGU_DATA_PART_BYTES", "200000")],
    );
    run.assert_code(0);
    let data = out.join("data");
    assert!(!data.join("entries.csv").exists());
    let count = (1..)
        .take_while(|i| data.join(format!("entries-{i}.csv")).exists())
        .count();
    assert!(count >= 3, "{count} parts");
    let whole_csv = read(&whole.out.join("data/entries.csv"));
    let header = whole_csv.lines().next().unwrap();
    let mut rows = String::new();
    for i in 1..=count {
        let csv = read(&data.join(format!("entries-{i}.csv")));
        assert_eq!(
            csv.lines().next().unwrap(),
            header,
            "part {i} has the header and BOM"
        );
        rows.push_str(csv.split_once("\r\n").unwrap().1);
        assert!(!data.join(format!("entries-{i}.geojson")).exists());
        assert!(!data.join(format!("entries-{}.csv", count + 1)).exists());
    }
    assert_eq!(
        rows,
        whole_csv.split_once("\r\n").unwrap().1,
        "every row once, in order"
    );
    // The home page's open-data links go to the data page, which links every part.
    let home = read(&out.join("index.html"));
    assert!(
        !home.contains("data/entries."),
        "no link to a file that is not there"
    );
    assert!(home.contains(&format!("href=\"{}data/\"", facts().root_path)));
    let page = read(&data.join("index.html"));
    for i in 1..=count {
        let link = format!("href=\"{}data/entries-{i}.csv\"", facts().root_path);
        assert!(page.contains(&link), "{link}");
    }
}
