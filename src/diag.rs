//! Problems found in the content, each tied to a file, line and column.
//!
//! Every stage pushes into one [`Diagnostics`] list instead of stopping at the first problem, so a
//! contributor sees everything wrong with a pull request in one run.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, positioned for humans (`PATH:LINE:COL`) and for tools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    pub severity: Severity,
    /// The entry or config field concerned, when there is one.
    pub field: Option<String>,
    pub message: String,
    /// What kind of problem it is, worded for a count (「kana（読み）がありません」): a run with
    /// thousands of warnings prints a few, then one line per kind.
    #[serde(skip)]
    pub kind: Option<&'static str>,
}

impl Diagnostic {
    pub fn with_kind(mut self, kind: &'static str) -> Diagnostic {
        self.kind = Some(kind);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path,
            self.line.max(1),
            self.col.max(1),
            sev,
            self.message
        )
    }
}

/// The problems of a whole run, kept in a stable order.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorted by path, then position, so output does not depend on thread scheduling.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| order(a).cmp(&order(b)));
        self.items.dedup();
        self.items
    }
}

/// The order of [`Diagnostics::into_sorted`]: by file, position, severity and message.
pub fn order(d: &Diagnostic) -> (&str, usize, usize, Severity, &str) {
    (&d.path, d.line, d.col, d.severity, &d.message)
}

/// A source file's text with its line starts, for turning byte offsets into line and column.
#[derive(Debug)]
pub struct SourceText {
    /// Path relative to the site root, as shown in messages.
    pub path: String,
    pub text: String,
    /// Found on the first diagnostic: most files of a large site never need them.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceText {
    pub fn new(path: String, text: String) -> SourceText {
        SourceText {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// 1-based (line, column) of a byte offset; columns count characters, not bytes.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, col)
    }

    /// A diagnostic at a byte offset of this file.
    pub fn at(
        &self,
        offset: usize,
        severity: Severity,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = self.position(offset);
        Diagnostic {
            path: self.path.clone(),
            line,
            col,
            severity,
            field: field.map(str::to_owned),
            message: message.into(),
            kind: None,
        }
    }
}

/// A diagnostic about a whole file (unreadable, too large…): line 1, column 1.
pub fn whole_file(path: &str, severity: Severity, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path: path.to_owned(),
        line: 1,
        col: 1,
        severity,
        field: None,
        message: message.into(),
        kind: None,
    }
}

/// `path` relative to `root`, with `/` separators, for messages and URLs.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Rewrites the toml crate's English messages into Japanese where the pattern is known, keeping the
/// original text otherwise so no detail is lost.
pub fn toml_message_ja(message: &str) -> String {
    let msg = message.trim();
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some((field, tail)) = rest.split_once('`')
    {
        let expected = tail
            .split_once("expected")
            .map(|(_, e)| e.trim().trim_start_matches("one of").trim().to_owned());
        return match expected {
            Some(e) => {
                let known = e.split('`').skip(1).step_by(2);
                let hint = did_you_mean(field, known);
                format!("不明な項目 `{field}` です{hint}。使える項目: {e}")
            }
            None => format!("不明な項目 `{field}` です"),
        };
    }
    if let Some(rest) = msg.strip_prefix("missing field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        return format!("必須の項目 `{field}` がありません");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        return format!("値の型が違います（{rest}）");
    }
    let known = [
        (
            "string values must be quoted",
            "文字列は \"…\" で囲んでください（日付だけは verified = 2026-04-01 のように引用符なしで、- でつなぎます）",
        ),
        (
            "key with no value",
            "項目に値がありません。「項目名 = 値」の形で書いてください",
        ),
        ("invalid basic string", "文字列が \" で閉じられていません"),
        ("invalid literal string", "文字列が ' で閉じられていません"),
        (
            "unclosed inline table",
            "{ } が閉じられていません（例: ages = { min = 0, max = 18 }）",
        ),
        ("unclosed table", "[ ] が閉じられていません"),
        (
            "missing comma between array elements",
            "配列の要素の間に , がありません",
        ),
        ("invalid boolean", "true か false で書いてください"),
    ];
    if let Some((_, ja)) = known.iter().find(|(en, _)| msg.contains(en)) {
        return format!("TOML の書き方に誤りがあります: {ja}（{msg}）");
    }
    if msg.starts_with("duplicate key") {
        return format!("同じキーが2回書かれています（{msg}）");
    }
    format!("TOML の書き方に誤りがあります: {msg}")
}

/// "（もしかして `name`？）" for the closest candidate, or nothing when none is close.
pub fn did_you_mean<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    // Jaro-Winkler suits longer ASCII names; one changed character catches short Japanese
    // names (津氏 → 津市), where Jaro-Winkler scores are low.
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::levenshtein(given, c),
                strsim::jaro_winkler(given, c),
                c,
            )
        })
        .filter(|(edits, score, _)| *score > 0.8 || (*edits <= 1 && given.chars().count() > 1))
        .min_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.total_cmp(&a.1))
                .then_with(|| a.2.cmp(b.2))
        })
        .map(|(_, _, c)| format!("（もしかして `{c}`？）"))
        .unwrap_or_default()
}

/// How many warnings a person is shown one by one; the rest are counted by kind.
pub const SHOWN_WARNINGS: usize = 20;

/// The lines a person reads for `items` (sorted): every error, the first `max_warnings` warnings,
/// then one line per kind of the warnings left, with their count, in the order the kinds first
/// appear (「… ほか 9,980 件: kana（読み）がありません」). Tools get every item (`--format json`).
pub fn human_lines(items: &[Diagnostic], max_warnings: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut shown = 0;
    let mut rest: Vec<(&str, usize)> = Vec::new();
    for d in items {
        if d.severity == Severity::Error || shown < max_warnings {
            shown += usize::from(d.severity == Severity::Warning);
            lines.push(d.to_string());
            continue;
        }
        let kind = d.kind.unwrap_or(&d.message);
        match rest.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => rest.push((kind, 1)),
        }
    }
    for (kind, n) in rest {
        lines.push(format!("… ほか {} 件: {kind}", thousands(n)));
    }
    lines
}

/// A count with thousands separators: 9,980.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn many_warnings_are_counted_by_kind_and_errors_always_shown() {
        let warn = |path: &str, kind: &'static str| {
            whole_file(path, Severity::Warning, format!("{kind}。{path}")).with_kind(kind)
        };
        let mut items: Vec<Diagnostic> = (0..10_000)
            .map(|i| warn(&format!("e{i:05}.md"), "kana（読み）がありません"))
            .collect();
        items.insert(5, warn("a.md", "座標（lat, lon）がありません"));
        items.push(whole_file("z.md", Severity::Error, "壊れています"));
        items.push(whole_file("z2.md", Severity::Warning, "種類のない警告"));
        let lines = human_lines(&items, 20);
        assert_eq!(lines.len(), 20 + 1 + 2, "{lines:#?}");
        assert_eq!(
            lines[5],
            "a.md:1:1: warning: 座標（lat, lon）がありません。a.md"
        );
        assert_eq!(lines[20], "z.md:1:1: error: 壊れています");
        assert_eq!(lines[21], "… ほか 9,981 件: kana（読み）がありません");
        assert_eq!(lines[22], "… ほか 1 件: 種類のない警告");
        // Few warnings: every one, as it is.
        assert_eq!(human_lines(&items[..3], 20).len(), 3);
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    use super::*;

    #[test]
    fn positions_count_characters_and_lines() {
        let s = SourceText::new("a.toml".into(), "ab\n名前 = 1\r\nx".into());
        assert_eq!(s.position(0), (1, 1));
        assert_eq!(s.position(3), (2, 1));
        assert_eq!(s.position(3 + "名前".len()), (2, 3));
        assert_eq!(s.position(s.text.len()), (3, 2));
        assert_eq!(s.position(10_000), (3, 2));
    }

    #[test]
    fn display_is_path_line_col() {
        let s = SourceText::new("content/e.md".into(), "+++\nname = 1\n".into());
        let d = s.at(4, Severity::Error, Some("name"), "名前が必要です");
        assert_eq!(d.to_string(), "content/e.md:2:1: error: 名前が必要です");
    }

    #[test]
    fn translates_known_toml_messages() {
        assert_eq!(
            toml_message_ja("unknown field `nmae`, expected one of `name`, `kana`"),
            "不明な項目 `nmae` です（もしかして `name`？）。使える項目: `name`, `kana`"
        );
        assert_eq!(
            toml_message_ja("unknown field `zzz`, expected `name`"),
            "不明な項目 `zzz` です。使える項目: `name`"
        );
        assert_eq!(
            toml_message_ja("missing field `id`"),
            "必須の項目 `id` がありません"
        );
        assert!(toml_message_ja("something odd").contains("something odd"));
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            did_you_mean("kuwan", ["kuwana", "tsu"]),
            "（もしかして `kuwana`？）"
        );
        assert_eq!(did_you_mean("zzz", ["kuwana", "tsu"]), "");
        assert_eq!(
            did_you_mean("津氏", ["津市", "桑名市"]),
            "（もしかして `津市`？）"
        );
        assert_eq!(did_you_mean("x", ["y"]), "");
    }
}
