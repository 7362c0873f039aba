//! Reading content from disk: walking `content/entries/`, decoding files, splitting front matter
//! and parsing TOML. Nothing here knows what the fields mean; that is `validate`'s job. The
//! configuration files, which are few and small, are read and checked in [`config`].

pub mod config;

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Diagnostics, Severity, SourceText, display_path, whole_file};

/// Files larger than this are refused: no listing needs it, and it bounds memory per file.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A TOML value with its byte range in the file, owned so it can outlive the file text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    /// `None` when the integer does not fit in an `i64`.
    Integer(Option<i64>),
    Float(f64),
    Boolean(bool),
    Datetime(toml::value::Datetime),
    Array(Vec<Node>),
    /// Keys in source order with their own offsets.
    Table(Vec<(String, usize, Node)>),
}

impl Value {
    /// The Japanese name of the type, for "wrong type" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "文字列",
            Value::Integer(_) => "整数",
            Value::Float(_) => "小数",
            Value::Boolean(_) => "真偽値",
            Value::Datetime(_) => "日付",
            Value::Array(_) => "配列",
            Value::Table(_) => "テーブル",
        }
    }
}

/// An entry file, read and parsed but not yet checked.
#[derive(Debug)]
pub struct RawEntry {
    /// The file stem, which becomes the entry id.
    pub id: String,
    pub src: SourceText,
    /// The top-level TOML fields, in source order, with offsets into `src.text`.
    pub fields: Vec<(String, usize, Node)>,
    /// Markdown body after the front matter (`.md` files only) and its offset.
    pub body: Option<(String, usize)>,
}

/// Reads a text file: at most [`MAX_FILE_BYTES`], valid UTF-8, a leading BOM dropped.
pub fn read_text(root: &Path, path: &Path) -> Result<SourceText, Diagnostic> {
    let shown = display_path(root, path);
    let err = |msg: String| whole_file(&shown, Severity::Error, msg);
    // One open, its size from the open file, one read: a site is thousands of small files.
    let mut file =
        std::fs::File::open(path).map_err(|e| err(format!("ファイルを開けません: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| err(format!("ファイルを開けません: {e}")))?
        .len();
    let too_large = |len: u64| {
        err(format!(
            "ファイルが大きすぎます（{len} バイト、上限 1 MiB）。1件につき1ファイルにしてください"
        ))
    };
    if len > MAX_FILE_BYTES {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| err(format!("ファイルを読めません: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // It grew after it was opened.
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    // The file's own buffer becomes the text when it is UTF-8; only a bad file is read twice.
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(shown, text)),
        Err(e) => decode_text(shown, e.as_bytes()),
    }
}

/// The UTF-8 byte order mark, dropped where a file starts with it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The in-memory half of [`read_text`]: decodes the bytes of the file shown as `shown` (valid UTF-8,
/// a leading BOM dropped), pointing at the first invalid byte otherwise.
pub fn decode_text(shown: String, bytes: &[u8]) -> Result<SourceText, Diagnostic> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(shown, text.to_owned())),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = String::from_utf8_lossy(
                &valid[valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)..],
            )
            .chars()
            .count()
                + 1;
            Err(Diagnostic {
                line,
                col,
                ..whole_file(
                    &shown,
                    Severity::Error,
                    "文字コードが UTF-8 ではありません（Shift_JIS などで保存されていませんか）。UTF-8 で保存し直してください",
                )
            })
        }
    }
}

/// Lists entry files under `dir` in a stable order, reporting unreadable paths and symlink loops.
pub fn entry_paths(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(e) => {
                let at = e
                    .path()
                    .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                let shown = display_path(root, &at);
                // ELOOP (40 on Linux): a link that points at itself.
                let eloop = e.io_error().and_then(std::io::Error::raw_os_error) == Some(40);
                let msg = if e.loop_ancestor().is_some() || eloop {
                    "シンボリックリンクがループしています。リンクを削除してください".to_owned()
                } else {
                    format!("読み込めません: {e}")
                };
                diags.push(whole_file(&shown, Severity::Error, msg));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('_') {
            continue;
        }
        let ext = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("md" | "toml") => paths.push(entry.into_path()),
            // A file the contributor meant as a listing must not vanish silently.
            _ => diags.push(whole_file(
                &display_path(root, entry.path()),
                Severity::Error,
                "拡張子が .md でも .toml でもありません。掲載情報なら名前を ○○.md に、掲載しないファイルなら名前を _ で始めてください",
            )),
        }
    }
    paths
}

/// Reads and parses every entry file under `root/content/entries/`, in parallel.
pub fn entries(root: &Path, diags: &mut Diagnostics) -> Vec<RawEntry> {
    let paths = entry_files(root, diags);
    let results: Vec<Result<RawEntry, Vec<Diagnostic>>> =
        paths.par_iter().map(|p| parse_entry(root, p)).collect();
    let mut raws = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(raw) => raws.push(raw),
            Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
        }
    }
    raws
}

/// The entry files under `root/content/entries/`, in a stable order.
pub fn entry_files(root: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = root.join("content").join("entries");
    if !dir.is_dir() {
        diags.push(whole_file(
            "content/entries",
            Severity::Warning,
            "content/entries/ フォルダがありません。掲載情報は0件です",
        ));
        return Vec::new();
    }
    entry_paths(root, &dir, diags)
}

/// Parses one entry file: `.md` with `+++` front matter, or plain `.toml`.
pub fn parse_entry(root: &Path, path: &Path) -> Result<RawEntry, Vec<Diagnostic>> {
    let src = read_text(root, path).map_err(|d| vec![d])?;
    parse_source(src)
}

/// The in-memory half of [`parse_entry`]: parses a decoded entry file. `src.path` names the file:
/// its stem is the entry id and a `.md` extension means `+++` front matter and a Markdown body.
pub fn parse_source(src: SourceText) -> Result<RawEntry, Vec<Diagnostic>> {
    let path = Path::new(&src.path);
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if src.text.trim().is_empty() {
        return Err(vec![whole_file(
            &src.path,
            Severity::Error,
            "ファイルが空です。掲載情報を書くか、ファイルを削除してください",
        )]);
    }
    let is_md = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    let (toml_range, body) = if is_md {
        match split_front_matter(&src.text) {
            Ok(parts) => parts,
            Err(msg) => return Err(vec![src.at(0, Severity::Error, None, msg)]),
        }
    } else {
        (0..src.text.len(), None)
    };
    let toml_text = &src.text[toml_range.clone()];
    let (table, errors) = DeTable::parse_recoverable(toml_text);
    // Only the first syntax error: the parser's recovery turns one missing `]` into a cascade of
    // follow-on errors that point past the real mistake.
    if let Some(e) = errors.first() {
        let at = e.span().map_or(0, |s| s.start);
        let msg = crate::diag::toml_message_ja(e.message());
        // An array left open is noticed only at the next key: point at the `[` that opened it.
        let diag = match unclosed_bracket_before(toml_text, at) {
            Some(open) if e.message().contains("array") => src.at(
                toml_range.start + open,
                Severity::Error,
                None,
                format!("配列の `[` が `]` で閉じられていません（{msg}）"),
            ),
            _ => src.at(toml_range.start + at, Severity::Error, None, msg),
        };
        return Err(vec![diag]);
    }
    let table = Spanned::new(table.span(), DeValue::Table(table.into_inner()));
    let fields = match convert(table, toml_range.start).value {
        Value::Table(fields) => fields,
        _ => Vec::new(),
    };
    Ok(RawEntry {
        id,
        fields,
        body: body.map(|(start, end)| (src.text[start..end].to_owned(), start)),
        src,
    })
}

/// Converts the parser's borrowed tree into owned [`Node`]s with file offsets.
fn convert(v: Spanned<DeValue<'_>>, base: usize) -> Node {
    let r = v.span();
    let span = base + r.start..base + r.end;
    let value = match v.into_inner() {
        DeValue::String(s) => Value::String(s.into_owned()),
        DeValue::Integer(i) => Value::Integer(i64::from_str_radix(i.as_str(), i.radix()).ok()),
        DeValue::Float(f) => Value::Float(f.as_str().parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Boolean(b),
        DeValue::Datetime(d) => Value::Datetime(d),
        DeValue::Array(a) => Value::Array(a.into_iter().map(|n| convert(n, base)).collect()),
        DeValue::Table(t) => Value::Table(convert_table(t, base)),
    };
    Node { span, value }
}

fn convert_table(t: DeTable<'_>, base: usize) -> Vec<(String, usize, Node)> {
    let mut fields: Vec<_> = t
        .into_iter()
        .map(|(k, v)| {
            let at = base + k.span().start;
            (k.into_inner().into_owned(), at, convert(v, base))
        })
        .collect();
    fields.sort_by_key(|(_, at, _)| *at);
    fields
}

/// The offset of the last `[` still open at `end`, skipping strings and comments.
fn unclosed_bracket_before(text: &str, end: usize) -> Option<usize> {
    let mut open = Vec::new();
    let mut chars = text[..end.min(text.len())].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => while chars.next_if(|&(_, c)| c != '\n').is_some() {},
            '"' | '\'' => {
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    if d == c && !escaped {
                        break;
                    }
                    escaped = c == '"' && d == '\\' && !escaped;
                }
            }
            '[' => open.push(i),
            ']' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// The TOML byte range and, when something follows the closing line, the body's (start, end).
pub type FrontMatter = (Range<usize>, Option<(usize, usize)>);

/// Splits `+++` front matter from the Markdown body: returns the TOML byte range and the body's
/// byte range (`None` when nothing follows the closing line).
pub fn split_front_matter(text: &str) -> Result<FrontMatter, String> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(
            "1行目が `+++` ではありません。.md ファイルは `+++` で囲んだ項目（front matter）で始めてください"
                .to_owned(),
        );
    }
    let start = first.len();
    let mut pos = start;
    for line in lines {
        if line.trim_end() == "+++" {
            let body_start = pos + line.len();
            let body = (body_start < text.len()).then_some((body_start, text.len()));
            return Ok((start..pos, body));
        }
        pos += line.len();
    }
    Err("front matter が閉じられていません。項目の後に `+++` だけの行を書いてください".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_with_crlf() {
        let text = "+++\r\nname = \"a\"\r\n+++\r\n本文\r\n";
        let (toml, body) = split_front_matter(text).unwrap();
        assert_eq!(&text[toml], "name = \"a\"\r\n");
        let (b0, b1) = body.unwrap();
        assert_eq!(&text[b0..b1], "本文\r\n");
    }

    #[test]
    fn front_matter_errors() {
        assert!(
            split_front_matter("name = 1\n")
                .unwrap_err()
                .contains("1行目")
        );
        assert!(
            split_front_matter("+++\nname = 1\n")
                .unwrap_err()
                .contains("閉じられていません")
        );
        assert_eq!(split_front_matter("+++\n+++").unwrap(), (4..4, None));
    }

    #[test]
    fn lists_entries_and_refuses_unknown_extensions() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("content/entries");
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        for f in [
            "a.MD",
            "b.toml",
            "c.txt",
            "d",
            "_e.md",
            ".f.md",
            ".git/g.md",
        ] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let mut diags = Diagnostics::default();
        let paths = entry_paths(tmp.path(), &dir, &mut diags);
        let names: Vec<_> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.MD", "b.toml"]);
        let problems = diags.into_sorted();
        assert_eq!(problems.len(), 2);
        assert!(
            problems
                .iter()
                .all(|d| d.severity == Severity::Error && d.message.contains("拡張子"))
        );
    }

    #[test]
    fn finds_the_bracket_left_open() {
        let t = "a = [\"x\", \"]\" # ]\nb = 1\n";
        assert_eq!(unclosed_bracket_before(t, t.len()), Some(4));
        let t = "a = [1]\n[table]\nb = [2, 3";
        assert_eq!(
            unclosed_bracket_before(t, t.len()),
            Some(t.rfind('[').unwrap())
        );
        assert_eq!(unclosed_bracket_before("a = [1]\n", 8), None);
    }

    #[test]
    fn converts_with_file_offsets() {
        let text = "+++\nname = \"x\"\nages = { min = 1, max = 0x10 }\n+++\n";
        let (range, _) = split_front_matter(text).unwrap();
        let (t, errs) = DeTable::parse_recoverable(&text[range.clone()]);
        assert!(errs.is_empty());
        let node = convert(
            Spanned::new(t.span(), DeValue::Table(t.into_inner())),
            range.start,
        );
        let Value::Table(fields) = node.value else {
            panic!()
        };
        assert_eq!(fields[0].0, "name");
        assert_eq!(&text[fields[0].2.span.clone()], "\"x\"");
        let Value::Table(ages) = &fields[1].2.value else {
            panic!()
        };
        assert_eq!(ages[1].2.value, Value::Integer(Some(16)));
    }
}
