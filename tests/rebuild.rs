//! `serve`'s rebuild after an edit writes into its output folder and renders only what changed:
//! what it leaves must be, byte for byte, what a full build of the same content writes.

mod common;

use std::fs;
use std::path::Path;

use common::{TempSite, assert_same_tree, snapshot};
use tsunagu::date::Date;
use tsunagu::diag::Diagnostics;
use tsunagu::pipeline::{self, BuildReport, Error, Rebuilds};

const BASE: &str = "http://127.0.0.1:1111";

fn today() -> Date {
    let (y, m, d) = common::TODAY;
    Date::new(y, m as u8, d as u8).unwrap()
}

/// A site being served: its folder, its output and `serve`'s builds.
struct Served {
    site: TempSite,
    out: tempfile::TempDir,
    rebuilds: Rebuilds,
}

impl Served {
    fn start() -> Served {
        Served::start_with(TempSite::sample_copy())
    }

    fn start_with(site: TempSite) -> Served {
        let mut s = Served {
            site,
            out: tempfile::tempdir().unwrap(),
            rebuilds: Rebuilds::default(),
        };
        let first = s.rebuild().expect("the sample builds");
        assert_eq!(
            first.rendered, first.pages,
            "the first build renders every page"
        );
        s
    }

    fn out(&self) -> std::path::PathBuf {
        self.out.path().join("public")
    }

    /// Rebuilds as `serve` does after a change.
    fn rebuild(&mut self) -> Result<BuildReport, Error> {
        let mut diags = Diagnostics::default();
        let out = self.out();
        self.rebuilds
            .run(self.site.root(), &out, BASE, today(), &mut diags, &|_| {})
    }

    /// Rebuilds, then checks the output against a full build of the same content into a new
    /// folder; returns the rebuild's report.
    fn rebuild_and_compare(&mut self, what: &str) -> BuildReport {
        let report = self
            .rebuild()
            .unwrap_or_else(|e| panic!("{what}: rebuild failed: {e:?}"));
        let fresh = tempfile::tempdir().unwrap();
        full_build(self.site.root(), &fresh.path().join("public"), BASE)
            .unwrap_or_else(|e| panic!("{what}: full build failed: {e:?}"));
        assert_same_tree(
            what,
            &snapshot(&self.out()),
            &snapshot(&fresh.path().join("public")),
        );
        report
    }

    fn entry(&self, id: &str) -> std::path::PathBuf {
        common::files_under(&self.site.entries())
            .into_iter()
            .find(|p| p.file_stem().is_some_and(|s| s == id))
            .unwrap_or_else(|| panic!("no entry {id}"))
    }

    fn edit(&self, id: &str, from: &str, to: &str) {
        let path = self.entry(id);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{id} has {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

/// What `tsunagu build` writes, for a preview at `base`.
fn full_build(root: &Path, out: &Path, base: &str) -> Result<BuildReport, Error> {
    let mut diags = Diagnostics::default();
    pipeline::check_and_build(root, out, Some(base), today(), &mut diags)
}

/// Gives `site` a `line.html` of its own: the default one, changed by `change`.
fn own_line_template(site: &TempSite, change: impl Fn(String) -> String) {
    let theme = site.root().join("themes/default/templates");
    fs::create_dir_all(&theme).unwrap();
    let line =
        fs::read_to_string(common::manifest_dir().join("themes/default/templates/line.html"))
            .unwrap();
    fs::write(theme.join("line.html"), change(line)).unwrap();
}

const ID: &str = "tsu-atelier-houkago-day";

#[test]
fn an_edit_of_one_entry_renders_its_page_and_the_lists_and_equals_a_full_build() {
    let mut s = Served::start();
    let unchanged = s.rebuild().unwrap();
    assert_eq!(
        unchanged.rendered,
        unchanged.pages - unchanged.entries,
        "a rebuild without changes renders no entry's page"
    );
    s.edit(ID, "学校帰りに立ち寄れる", "学校帰りに気軽に立ち寄れる");
    let report = s.rebuild_and_compare("a changed description");
    assert_eq!(report.pages, unchanged.pages);
    assert_eq!(
        report.rendered,
        report.pages - (report.entries - 1),
        "only the edited entry's page among the entry pages"
    );
    let page = fs::read_to_string(s.out().join(format!("entries/{ID}/index.html"))).unwrap();
    assert!(page.contains("学校帰りに気軽に立ち寄れる"));

    // A new phone number shows on the entry's page and on the lists' lines and cards.
    s.edit(ID, "059-000-6486", "059-000-6487");
    let report = s.rebuild_and_compare("a changed phone number");
    assert_eq!(report.rendered, report.pages - (report.entries - 1));
}

#[test]
fn changes_that_reach_every_page_rebuild_every_page_and_equal_a_full_build() {
    let mut s = Served::start();
    // A care item more changes the care items' counts, which every page's menu data holds.
    s.edit(
        ID,
        r#"care = ["tube-feeding", "blood-glucose"]"#,
        r#"care = ["tube-feeding", "blood-glucose", "suction"]"#,
    );
    let report = s.rebuild_and_compare("a care item added");
    assert_eq!(report.rendered, report.pages);

    // The newest verification date is the date of the whole directory, in every footer.
    s.edit(ID, "verified = 2025-07-29", "verified = 2026-11-20");
    let report = s.rebuild_and_compare("a newer verification date");
    assert_eq!(report.rendered, report.pages);

    // The configuration.
    let site_toml = s.site.content().join("site.toml");
    let text = fs::read_to_string(&site_toml).unwrap();
    fs::write(
        &site_toml,
        text.replacen("title = \"", "title = \"（試験）", 1),
    )
    .unwrap();
    let report = s.rebuild_and_compare("a new site title");
    assert_eq!(report.rendered, report.pages);

    // The theme: a template of the site's own.
    own_line_template(&s.site, |line| {
        line.replacen("<small>", "<small data-x=\"1\">", 1)
    });
    let report = s.rebuild_and_compare("a theme template");
    assert_eq!(report.rendered, report.pages);
}

#[test]
fn added_removed_and_renamed_entries_leave_what_a_full_build_would() {
    let mut s = Served::start();
    let path = s.entry(ID);
    let text = fs::read_to_string(&path).unwrap();

    let copy = path.with_file_name("tsu-atelier-houkago-day-2.md");
    fs::write(
        &copy,
        text.replacen(
            "放課後等デイサービスアトリエ",
            "放課後等デイサービスアトリエ第二",
            1,
        ),
    )
    .unwrap();
    s.rebuild_and_compare("an entry added");
    assert!(
        s.out()
            .join("entries/tsu-atelier-houkago-day-2/index.html")
            .is_file()
    );

    fs::remove_file(&copy).unwrap();
    s.rebuild_and_compare("an entry removed");
    assert!(!s.out().join("entries/tsu-atelier-houkago-day-2").exists());

    fs::rename(&path, path.with_file_name("tsu-atelier.md")).unwrap();
    s.rebuild_and_compare("an entry renamed");
    assert!(!s.out().join(format!("entries/{ID}")).exists());

    // Drafts are not published: making one a draft removes its page.
    let renamed = s.entry("tsu-atelier");
    let text = fs::read_to_string(&renamed).unwrap();
    fs::write(&renamed, text.replacen("+++\n", "+++\ndraft = true\n", 1)).unwrap();
    s.rebuild_and_compare("an entry made a draft");
}

#[test]
fn an_edit_with_errors_leaves_the_output_and_the_next_rebuild_is_still_exact() {
    let mut s = Served::start();
    let before = snapshot(&s.out());
    s.edit(ID, "phone = \"059-000-6486\"", "phone = \"059-000-6486");
    assert!(matches!(s.rebuild(), Err(Error::Content)));
    assert_same_tree("after a failed rebuild", &snapshot(&s.out()), &before);
    // `serve` keeps what the last good build left, so the next one after the fix still knows
    // which pages it may keep.
    s.edit(ID, "phone = \"059-000-6486", "phone = \"059-000-6480\"");
    let report = s.rebuild_and_compare("the fix");
    assert_eq!(report.rendered, report.pages - (report.entries - 1));
}

/// A GET of `path` from `tsunagu serve` on `port`: the status line and the body.
fn get(port: u16, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or("").to_owned(),
        body.to_owned(),
    )
}

#[test]
fn serve_shows_an_edit_and_its_output_then_equals_a_full_build() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let s = Served {
        site: TempSite::sample_copy(),
        out: tempfile::tempdir().unwrap(),
        rebuilds: Rebuilds::default(),
    };
    /// Stops the server however the test ends (a failed assertion too).
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(common::bin())
        .args(["serve", "--port", "0", "--out"])
        .arg(s.out())
        .current_dir(s.site.root())
        .env("SOURCE_DATE_EPOCH", common::SOURCE_DATE_EPOCH)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map(Server)
        .unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    let stdout = child.0.stdout.take().unwrap();
    let stderr = child.0.stderr.take().unwrap();
    let errors_tx = lines_tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = errors_tx.send(line);
        }
    });
    // Every line received, in order, for the checks of what one rebuild printed.
    let log = std::cell::RefCell::new(Vec::new());
    let next_line = |what: &str| loop {
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(line) => {
                log.borrow_mut().push(line.clone());
                if line.contains(what) {
                    return line;
                }
            }
            Err(e) => panic!("serve printed no line with {what}: {e}"),
        }
    };
    let url = next_line("で公開中です");
    let base = url
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    assert!(
        get(port, &format!("/entries/{ID}/"))
            .1
            .contains("学校帰りに立ち寄れる")
    );

    // The first build's problems come on stderr, maybe after the address on stdout: all of them
    // are in once their summary is.
    if !log.borrow().iter().any(|l| l.contains("件、警告")) {
        next_line("件、警告");
    }
    let before_edit = log.borrow().len();
    s.edit(ID, "学校帰りに立ち寄れる", "学校帰りにいつでも立ち寄れる");
    let started = Instant::now();
    loop {
        let (status, body) = get(port, &format!("/entries/{ID}/"));
        if body.contains("学校帰りにいつでも立ち寄れる") {
            assert!(status.contains("200"), "{status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the edit never showed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    next_line("ページを更新しました");
    // "N entries, P pages (R rendered), T ms": of the entry pages, only the edited one.
    let counts = |line: String| -> Vec<usize> {
        line.split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let [entries, pages, rendered, ..] = counts(next_line(" entries, "))[..] else {
        panic!("no counts")
    };
    // What the rebuild printed: its report on stdout, its problems on stderr (in either order).
    log.borrow_mut().extend(std::iter::from_fn(|| {
        lines.recv_timeout(Duration::from_millis(500)).ok()
    }));
    let printed = log.borrow()[before_edit..].to_vec();
    assert_eq!(rendered, pages - (entries - 1));
    // The sample's warnings were printed by the first build; the edit's rebuild counts them.
    assert!(
        printed.iter().any(|l| l.contains("前回と同じ警告")),
        "{printed:#?}"
    );
    assert!(
        !printed.iter().any(|l| l.contains(": warning: ")),
        "{printed:#?}"
    );

    // An edit with an error keeps the page as it was; after the fix, still only what changed.
    s.edit(ID, "phone = \"059-000-6486\"", "phone = \"059-000-6486");
    next_line("ビルドを中止しました");
    assert!(
        get(port, &format!("/entries/{ID}/"))
            .1
            .contains("学校帰りにいつでも立ち寄れる")
    );
    s.edit(ID, "phone = \"059-000-6486", "phone = \"059-000-6481\"");
    let [_, pages, rendered, ..] = counts(next_line(" entries, "))[..] else {
        panic!("no counts")
    };
    assert_eq!(rendered, pages - (entries - 1));
    drop(child);

    let served = snapshot(&s.out());
    let fresh = tempfile::tempdir().unwrap();
    full_build(s.site.root(), &fresh.path().join("public"), &base).unwrap();
    assert_same_tree(
        "served after an edit",
        &served,
        &snapshot(&fresh.path().join("public")),
    );
}

#[test]
fn an_output_folder_removed_behind_serve_is_written_whole_again() {
    let mut s = Served::start();
    fs::remove_dir_all(s.out()).unwrap();
    let report = s.rebuild_and_compare("the output folder removed");
    assert_eq!(report.rendered, report.pages);
}

#[test]
fn another_build_into_the_folder_or_a_deleted_page_is_noticed() {
    let mut s = Served::start();
    // A kept entry's page deleted: rendered again, the others kept.
    fs::remove_file(s.out().join("entries/tsu-clover-shoni-houkan/index.html")).unwrap();
    let report = s.rebuild_and_compare("a page deleted");
    assert_eq!(report.rendered, report.pages - (report.entries - 1));

    // `tsunagu build` into the same folder (another base URL in every page): nothing is kept.
    full_build(s.site.root(), &s.out(), "https://example.net").unwrap();
    let report = s.rebuild_and_compare("another build into the folder");
    assert_eq!(report.rendered, report.pages);
}

#[test]
fn a_template_error_during_a_rebuild_writes_nothing_and_the_fix_rebuilds_exactly() {
    // The site's own line template fails for one name only, so the theme (and everything a
    // rebuild compares) is the same before and after the edit that trips it.
    let site = TempSite::sample_copy();
    own_line_template(&site, |line| {
        format!(
            "{{% if e.name == \"描画に失敗する名前\" %}}{{{{ e.no_such_field.x }}}}{{% endif %}}{line}"
        )
    });
    let mut s = Served::start_with(site);
    let before = snapshot(&s.out());
    s.edit(
        ID,
        "name = \"放課後等デイサービスアトリエ\"",
        "name = \"描画に失敗する名前\"",
    );
    match s.rebuild() {
        Err(Error::Io(msg)) => assert!(msg.contains("line.html"), "{msg}"),
        other => panic!("expected a template error, got {other:?}"),
    }
    assert_same_tree("after a template error", &snapshot(&s.out()), &before);
    s.edit(
        ID,
        "name = \"描画に失敗する名前\"",
        "name = \"放課後等デイサービスアトリエ\"",
    );
    s.rebuild_and_compare("the fix");
}
