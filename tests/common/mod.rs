//! Helpers shared by the integration tests: running the built binary with a fixed "today",
//! throw-away sites made from `tests/fixtures/minimal/`, parsing the `PATH:LINE:COL: error: MSG`
//! lines, comparing directory trees byte for byte, and a small HTML tag tokenizer (enough for
//! minified pages, no parser dependency).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-11-21T00:00:00Z (09:00 in Japan, so "today" is 2026-11-21 for the binary).
pub const SOURCE_DATE_EPOCH: &str = "1795219200";
/// The day [`SOURCE_DATE_EPOCH`] stands for, as `(year, month, day)`.
pub const TODAY: (i32, u32, u32) = (2026, 11, 21);

/// The binary cargo built for these tests.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_tsunagu"))
}

/// The package root (holds the sample `content/`).
pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    manifest_dir().join("tests").join("fixtures")
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails when the process panicked or was killed by a signal.
    pub fn assert_no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "the binary panicked:\n{}",
            self.stderr
        );
        assert!(self.code.is_some(), "killed by a signal:\n{}", self.stderr);
        self
    }

    pub fn assert_code(&self, code: i32) -> &Self {
        self.assert_no_panic();
        assert_eq!(
            self.code,
            Some(code),
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// The problems printed on stderr.
    pub fn diagnostics(&self) -> Vec<Diag> {
        parse_diagnostics(&self.stderr)
    }

    pub fn errors(&self) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.severity == "error")
            .collect()
    }
}

/// Runs the binary in `cwd` with `args`, with a fixed `SOURCE_DATE_EPOCH` and no colour or
/// backtrace settings inherited from the caller.
pub fn run_in<I, S>(cwd: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_with_env(cwd, args, &[])
}

pub fn run_with_env<I, S>(cwd: &Path, args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(bin());
    cmd.current_dir(cwd)
        .args(args)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the tsunagu binary");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `tsunagu --root ROOT ARGS…`, run from the system temp dir so relative paths never touch the
/// repository.
pub fn tsunagu<S: AsRef<OsStr>>(root: &Path, args: &[S]) -> Run {
    let mut all: Vec<&OsStr> = vec![OsStr::new("--root"), root.as_os_str()];
    all.extend(args.iter().map(AsRef::as_ref));
    run_in(&std::env::temp_dir(), all)
}

/// A site in a temp dir: `content/site.toml` and `content/regions.toml` from
/// `tests/fixtures/minimal/` and an empty `content/entries/`.
pub struct TempSite {
    pub dir: tempfile::TempDir,
}

impl TempSite {
    pub fn minimal() -> TempSite {
        let dir = tempfile::Builder::new()
            .prefix("tsunagu-test-")
            .tempdir()
            .expect("temp dir");
        let content = dir.path().join("content");
        fs::create_dir_all(content.join("entries")).unwrap();
        for f in ["site.toml", "regions.toml"] {
            fs::copy(fixtures().join("minimal").join(f), content.join(f)).unwrap();
        }
        TempSite { dir }
    }

    /// A frozen copy of the repository's sample site: `content/` and, when present, `themes/`.
    pub fn sample_copy() -> TempSite {
        let dir = tempfile::Builder::new()
            .prefix("tsunagu-sample-")
            .tempdir()
            .expect("temp dir");
        for part in ["content", "themes"] {
            let from = manifest_dir().join(part);
            if from.is_dir() {
                copy_tree(&from, &dir.path().join(part));
            }
        }
        TempSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn content(&self) -> PathBuf {
        self.root().join("content")
    }

    pub fn entries(&self) -> PathBuf {
        self.content().join("entries")
    }

    /// Writes `content/entries/REL` (creating folders), returning its path.
    pub fn write_entry(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.entries().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    /// Copies a fixture file to `content/entries/REL`.
    pub fn add_fixture_entry(&self, fixture: &Path, rel: &str) -> PathBuf {
        let bytes = fs::read(fixture).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
        self.write_entry(rel, bytes)
    }

    /// Writes `content/NAME` (site.toml, regions.toml, demand.toml).
    pub fn write_config(&self, name: &str, bytes: impl AsRef<[u8]>) {
        fs::write(self.content().join(name), bytes).unwrap();
    }

    pub fn check(&self) -> Run {
        tsunagu(self.root(), &["check"])
    }

    pub fn build(&self, out: &Path) -> Run {
        tsunagu(
            self.root(),
            &[OsStr::new("build"), OsStr::new("--out"), out.as_os_str()],
        )
    }
}

/// The valid entry every bad fixture is a variation of.
pub fn valid_entry() -> String {
    fs::read_to_string(fixtures().join("valid").join("aozora.md")).unwrap()
}

/// One `PATH:LINE:COL: SEVERITY: MESSAGE` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub severity: String,
    pub message: String,
}

impl std::fmt::Display for Diag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.col, self.severity, self.message
        )
    }
}

/// Every line of `stderr` shaped like a diagnostic; other lines (the summary) are skipped.
pub fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out = Vec::new();
    for line in stderr.lines() {
        for severity in ["error", "warning"] {
            let marker = format!(": {severity}: ");
            let Some(at) = line.find(&marker) else {
                continue;
            };
            let (head, message) = (&line[..at], &line[at + marker.len()..]);
            let mut parts = head.rsplitn(3, ':');
            let (Some(col), Some(ln), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(col), Ok(ln)) = (col.parse(), ln.parse()) else {
                continue;
            };
            out.push(Diag {
                path: path.to_owned(),
                line: ln,
                col,
                severity: severity.to_owned(),
                message: message.to_owned(),
            });
            break;
        }
    }
    out
}

/// Copies a directory tree (files and folders; symlinks are not expected here).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for item in fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let target = to.join(item.file_name());
        let ft = item.file_type().unwrap();
        if ft.is_dir() {
            copy_tree(&item.path(), &target);
        } else {
            fs::copy(item.path(), &target).unwrap();
        }
    }
}

/// Every file and folder under `dir`, by `/`-separated relative path: `Some(bytes)` for files,
/// `None` for folders. Symlinks are recorded by their target, never followed.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        let mut items: Vec<_> = fs::read_dir(dir).unwrap().map(|i| i.unwrap()).collect();
        items.sort_by_key(|i| i.file_name());
        for item in items {
            let path = item.path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let ft = item.file_type().unwrap();
            if ft.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(
                    rel,
                    Some(format!("symlink -> {}", target.display()).into_bytes()),
                );
            } else if ft.is_dir() {
                out.insert(rel, None);
                walk(base, &path, out);
            } else {
                out.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Fails with the first differing paths when two snapshots differ.
pub fn assert_same_tree(
    what: &str,
    a: &BTreeMap<String, Option<Vec<u8>>>,
    b: &BTreeMap<String, Option<Vec<u8>>>,
) {
    let mut diffs = Vec::new();
    for (path, bytes) in a {
        match b.get(path) {
            None => diffs.push(format!("only in first: {path}")),
            Some(other) if other != bytes => diffs.push(format!("differs: {path}")),
            _ => {}
        }
    }
    for path in b.keys() {
        if !a.contains_key(path) {
            diffs.push(format!("only in second: {path}"));
        }
    }
    assert!(
        diffs.is_empty(),
        "{what}: {} difference(s), first ones:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every regular file under `dir` (recursively), sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for item in fs::read_dir(&d).unwrap() {
            let item = item.unwrap();
            let ft = item.file_type().unwrap();
            if ft.is_dir() {
                stack.push(item.path());
            } else if ft.is_file() {
                out.push(item.path());
            }
        }
    }
    out.sort();
    out
}

/// The TOML front matter of an entry file (`.md` between `+++` lines, or the whole `.toml`).
pub fn front_matter(path: &Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let toml_text = if path.extension().is_some_and(|e| e == "md") {
        let mut lines = text.split_inclusive('\n');
        assert_eq!(
            lines.next().map(str::trim_end),
            Some("+++"),
            "{}",
            path.display()
        );
        let mut fm = String::new();
        for line in lines {
            if line.trim_end() == "+++" {
                break;
            }
            fm.push_str(line);
        }
        fm
    } else {
        text.to_owned()
    };
    toml_text
        .parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Days since 1970-01-01 of a civil date (for staleness arithmetic in tests).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The rows of a published CSV (`data/entries.csv`), each a map from column name to cell.
pub fn csv_records(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// The address (as written) and the decoded fields of a `mailto:` link (`subject`, `body` …), or `None` when
/// `href` is not a `mailto:` URL. Every ASCII character but the unreserved ones must be
/// percent-encoded in the fields (RFC 6068), so that a raw `+` or space can never be read two
/// ways; other characters may stay as written (the parser encodes them as UTF-8).
pub fn mailto(href: &str) -> Option<(String, Vec<(String, String)>)> {
    let url = url::Url::parse(href)
        .ok()
        .filter(|u| u.scheme() == "mailto")?;
    let raw_ok = url
        .query()
        .unwrap_or("")
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~%=&".contains(c));
    assert!(raw_ok, "not every character is percent-encoded in {href}");
    Some((
        url.path().to_owned(),
        url.query_pairs().into_owned().collect(),
    ))
}

pub mod html {
    //! A tokenizer for the start tags of a page: names and attributes with values, following the
    //! HTML rules that matter for minified output (unquoted values, raw-text and RCDATA elements,
    //! comments, a literal `<` that starts no tag).

    #[derive(Debug, Clone)]
    pub struct Tag {
        /// Lowercase tag name.
        pub name: String,
        /// Lowercase attribute names with their raw (still entity-encoded) values.
        pub attrs: Vec<(String, String)>,
        pub is_end: bool,
        /// Byte offset of the `<`.
        pub offset: usize,
    }

    impl Tag {
        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    fn is_ws(c: u8) -> bool {
        matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
    }

    fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
        (from..hay.len().saturating_sub(needle.len() - 1))
            .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
    }

    /// Every start and end tag of `html`, in order.
    pub fn tags(html: &str) -> Vec<Tag> {
        let b = html.as_bytes();
        let n = b.len();
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            let offset = i;
            i += 1;
            if b[i..].starts_with(b"!--") {
                i = find_ci(b, i + 3, b"-->").map_or(n, |e| e + 3);
                continue;
            }
            if i < n && (b[i] == b'!' || b[i] == b'?') {
                i = (i..n).find(|&j| b[j] == b'>').map_or(n, |e| e + 1);
                continue;
            }
            let is_end = i < n && b[i] == b'/';
            if is_end {
                i += 1;
            }
            if !(i < n && b[i].is_ascii_alphabetic()) {
                continue; // a literal '<' in text
            }
            let start = i;
            while i < n && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
                i += 1;
            }
            let name = String::from_utf8_lossy(&b[start..i]).to_ascii_lowercase();
            let mut attrs = Vec::new();
            loop {
                while i < n && (is_ws(b[i]) || b[i] == b'/') {
                    i += 1;
                }
                if i >= n {
                    break;
                }
                if b[i] == b'>' {
                    i += 1;
                    break;
                }
                let a0 = i;
                i += 1;
                while i < n && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' && b[i] != b'=' {
                    i += 1;
                }
                let aname = String::from_utf8_lossy(&b[a0..i]).to_ascii_lowercase();
                while i < n && is_ws(b[i]) {
                    i += 1;
                }
                let mut value = String::new();
                if i < n && b[i] == b'=' {
                    i += 1;
                    while i < n && is_ws(b[i]) {
                        i += 1;
                    }
                    if i < n && (b[i] == b'"' || b[i] == b'\'') {
                        let q = b[i];
                        let v0 = i + 1;
                        let v1 = (v0..n).find(|&j| b[j] == q).unwrap_or(n);
                        value = String::from_utf8_lossy(&b[v0..v1]).into_owned();
                        i = (v1 + 1).min(n);
                    } else {
                        let v0 = i;
                        while i < n && !is_ws(b[i]) && b[i] != b'>' {
                            i += 1;
                        }
                        value = String::from_utf8_lossy(&b[v0..i]).into_owned();
                    }
                }
                attrs.push((aname, value));
            }
            let raw = !is_end
                && matches!(
                    name.as_str(),
                    "script"
                        | "style"
                        | "title"
                        | "textarea"
                        | "xmp"
                        | "iframe"
                        | "noembed"
                        | "noframes"
                );
            if raw {
                let close = format!("</{name}");
                i = find_ci(b, i, close.as_bytes()).unwrap_or(n);
            }
            out.push(Tag {
                name,
                attrs,
                is_end,
                offset,
            });
        }
        out
    }

    /// Decodes the character references that matter for checking values and text: named
    /// `lt gt amp quot apos nbsp colon tab newline` (with or without `;`, any case) and numeric.
    pub fn decode(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(p) = rest.find('&') {
            out.push_str(&rest[..p]);
            rest = &rest[p..];
            let after = &rest[1..];
            if let Some(num) = after.strip_prefix('#') {
                let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                    Some(h) => (true, h),
                    None => (false, num),
                };
                let len = digits
                    .find(|c: char| {
                        !(if hex {
                            c.is_ascii_hexdigit()
                        } else {
                            c.is_ascii_digit()
                        })
                    })
                    .unwrap_or(digits.len());
                if len > 0 {
                    let v = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 })
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}');
                    out.push(v);
                    let consumed = 1 + 1 + usize::from(hex) + len;
                    rest = &rest[consumed..];
                    rest = rest.strip_prefix(';').unwrap_or(rest);
                    continue;
                }
            }
            let named = [
                ("lt", '<'),
                ("gt", '>'),
                ("amp", '&'),
                ("quot", '"'),
                ("apos", '\''),
                ("nbsp", '\u{a0}'),
                ("colon", ':'),
                ("tab", '\t'),
                ("newline", '\n'),
            ];
            let hit = named.iter().find(|(name, _)| {
                after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name)
            });
            match hit {
                Some((name, c)) => {
                    out.push(*c);
                    rest = &rest[1 + name.len()..];
                    rest = rest.strip_prefix(';').unwrap_or(rest);
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The scheme of a URL attribute value as a browser would see it (entities decoded, ASCII
    /// whitespace and controls dropped, lowercased), or `None` for a relative URL.
    pub fn scheme(value: &str) -> Option<String> {
        let v: String = decode(value)
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        let colon = v.find(':')?;
        let head = &v[..colon];
        if head.contains(['/', '?', '#']) {
            return None;
        }
        let ok = head.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && head
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        ok.then(|| head.to_owned())
    }

    /// The inner HTML of the first `<NAME …>…</NAME>` (no nesting of the same element).
    pub fn inner<'a>(html: &'a str, name: &str) -> Option<&'a str> {
        let b = html.as_bytes();
        let open = format!("<{name}");
        let mut from = 0;
        let start = loop {
            let s = find_ci(b, from, open.as_bytes())?;
            let next = b.get(s + open.len()).copied().unwrap_or(b'>');
            if next == b'>' || is_ws(next) {
                break s;
            }
            from = s + 1;
        };
        let gt = (start..b.len()).find(|&j| b[j] == b'>')? + 1;
        let end = find_ci(b, gt, format!("</{name}").as_bytes())?;
        Some(&html[gt..end])
    }

    /// Text of an HTML fragment: tags removed, references decoded.
    pub fn text(fragment: &str) -> String {
        let mut out = String::new();
        let mut rest = fragment;
        while let Some(p) = rest.find('<') {
            out.push_str(&rest[..p]);
            let after = &rest[p + 1..];
            if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') {
                rest = after.find('>').map_or("", |e| &after[e + 1..]);
            } else {
                out.push('<');
                rest = after;
            }
        }
        out.push_str(rest);
        decode(&out)
    }
}
