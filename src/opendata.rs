//! Open data out: the published listings as one CSV that a person opens in a spreadsheet and a
//! program reads (the municipal open-data standard's columns with 緯度・経度, then care items,
//! flags and the description), so others can reuse the directory. One complete format, not three:
//! at 100,000 listings a JSON copy of the CSV cost 150 MB of a free host's 1 GB and a GeoJSON of
//! the points 49 MB, while GIS and map tools (QGIS, uMap, Google My Maps) read a CSV's coordinate
//! columns as points.
//!
//! A large directory is published in parts ([`parts`]): static hosts refuse large files (GitHub
//! Pages over 100 MB; tsunagu keeps every file within 25 MiB), so past a size each format is
//! written as `entries-1.csv`, `entries-2.csv` …, every part a whole CSV with its header.

use crate::entry::Entry;
use crate::fields;
use crate::gaps::format::push_csv_row;
use crate::site::Site;

/// The six-digit 全国地方公共団体コード: the five-digit code and its check digit (JIS X 0402,
/// modulus 11 with weights 6‥2; the check digit is the last digit of 11 − remainder).
pub fn lg_code(code5: &str) -> Option<String> {
    let digits: Vec<u32> = code5
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 5 {
        return None;
    }
    let sum: u32 = digits.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    Some(format!("{code5}{}", (11 - sum % 11) % 10))
}

/// Care and flag cells: `1` yes, `0` no, empty when the listing does not say.
fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "1".to_owned(),
        Some(false) => "0".to_owned(),
        None => String::new(),
    }
}

/// The columns of `entries.csv`: the open-data standard's, then a care item's and a flag's each,
/// then the description.
pub fn csv_header(site: &Site) -> Vec<String> {
    let cfg = &site.config;
    let mut header: Vec<String> = [
        "全国地方公共団体コード",
        "ID",
        "都道府県名",
        "市区町村名",
        "名称",
        "名称_カナ",
        "種別",
        "実施サービス",
        "住所",
        "郵便番号",
        "緯度",
        "経度",
        "電話番号",
        "FAX番号",
        "メールアドレス",
        "法人の名称",
        "定員",
        "対象年齢_下限",
        "対象年齢_上限",
        "利用可能時間",
        "URL",
        "最終確認日",
        "情報提供元",
        "地域",
        "掲載ページ",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(
        cfg.care_items
            .iter()
            .map(|c| format!("医療的ケア_{}", c.label)),
    );
    header.extend(fields::flags().iter().map(|f| f.column()));
    header.push("紹介文".to_owned()); // the description, as its Markdown
    header
}

/// `entries.csv`: UTF-8 with a BOM (so spreadsheet software reads it as UTF-8) and CRLF rows.
pub fn entries_csv(site: &Site, entries: &[Entry]) -> Vec<u8> {
    let cfg = &site.config;
    let mut out = String::from("\u{feff}");
    push_csv_row(&mut out, &csv_header(site));
    for e in entries {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let municipality = site.municipality_of(e);
        let mut row = vec![
            lg_code(&e.municipality).unwrap_or_else(|| e.municipality.clone()),
            e.id.clone(),
            cfg.site.prefecture.clone(),
            municipality.map(|m| m.name.clone()).unwrap_or_default(),
            e.name.clone(),
            opt(&e.kana),
            cfg.category(&e.category)
                .map_or_else(|| e.category.clone(), |c| c.label.clone()),
            e.services.join("、"),
            e.address.clone(),
            opt(&e.postal_code),
            num(e.lat),
            num(e.lon),
            opt(&e.phone),
            opt(&e.fax),
            opt(&e.email),
            opt(&e.operator),
            e.capacity.map(|c| c.to_string()).unwrap_or_default(),
            e.ages.map(|a| a.min.to_string()).unwrap_or_default(),
            e.ages.map(|a| a.max.to_string()).unwrap_or_default(),
            opt(&e.hours),
            opt(&e.url),
            e.verified.to_string(),
            opt(&e.source),
            cfg.region(&e.region)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            page_url(site, e),
        ];
        row.extend(cfg.care_items.iter().map(|c| {
            if e.care.contains(&c.id) {
                "1".to_owned()
            } else {
                String::new()
            }
        }));
        row.extend(e.flags.iter().map(|(_, v)| yes_no(v)));
        row.push(e.description.clone());
        let row: Vec<String> = row.into_iter().map(inert).collect();
        push_csv_row(&mut out, &row);
    }
    out.into_bytes()
}

/// A cell as text a spreadsheet shows, never runs: one that starts like a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading apostrophe, as OWASP advises for CSV files.
/// Listings come from outside contributors; the CSV is opened in spreadsheets. Numbers tsunagu
/// writes never start so (ages, capacity, and coordinates within Japan).
fn inert(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

fn page_url(site: &Site, e: &Entry) -> String {
    format!(
        "{}/{}",
        site.config.site.base_url,
        crate::paths::entry(&e.id)
    )
}

/// The most bytes a part of an open-data file is planned for, by [`upper_bound`]: the files come
/// out smaller, and every one within a static host's limits (25 MiB kept as tsunagu's own).
pub const PART_BYTES: usize = 20 * 1024 * 1024;

/// More bytes than any format writes for the entry: its text twice (a CSV doubles a quote, JSON
/// escapes at most double a character; every other character is one to one) and room for keys,
/// numbers, flags and the CSV's quotes and formula guards.
fn upper_bound(e: &Entry) -> usize {
    let texts = [
        Some(&e.id),
        Some(&e.name),
        e.kana.as_ref(),
        Some(&e.address),
        e.postal_code.as_ref(),
        e.phone.as_ref(),
        e.fax.as_ref(),
        e.email.as_ref(),
        e.url.as_ref(),
        e.operator.as_ref(),
        e.hours.as_ref(),
        e.source.as_ref(),
        Some(&e.description),
    ];
    let text: usize = texts.iter().flatten().map(|s| s.len()).sum::<usize>()
        + e.services
            .iter()
            .chain(&e.care)
            .map(String::len)
            .sum::<usize>();
    2 * text + 4096
}

/// The parts of the site's open data: [`parts`] of its entries within [`PART_BYTES`], or within
/// the bytes `TSUNAGU_DATA_PART_BYTES` says (tests set it low to split a small site).
pub fn site_parts(site: &Site) -> Vec<std::ops::Range<usize>> {
    let budget = std::env::var("TSUNAGU_DATA_PART_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(PART_BYTES);
    parts(&site.entries, budget)
}

/// The entries of each part, in order: as many as fit in `budget` bytes by [`upper_bound`] (at
/// least one). One range for a directory that fits whole.
pub fn parts(entries: &[Entry], budget: usize) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, e) in entries.iter().enumerate() {
        let b = upper_bound(e);
        if i > start && bytes + b > budget {
            parts.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += b;
    }
    if start < entries.len() || parts.is_empty() {
        parts.push(start..entries.len());
    }
    parts
}

/// One open-data file: where it goes, how it is made and what the `/data/` page says of it.
pub struct OpenFile {
    /// Path below the output root, without the extension: `data/entries`.
    pub stem: &'static str,
    pub extension: &'static str,
    /// The file (or part) of some entries.
    pub make: fn(&Site, &[Entry]) -> Vec<u8>,
    /// Its name on the `/data/` page.
    pub title: &'static str,
    /// What it holds, in a sentence.
    pub about: &'static str,
    /// Format and encoding.
    pub format: &'static str,
    /// What [`OpenFile::fields`] lists: `列` (columns) or `項目` (keys of one entry).
    pub fields_are: &'static str,
    /// The names of its columns or of one entry's keys, as the file writes them.
    pub fields: fn(&Site) -> Vec<String>,
}

impl OpenFile {
    /// Its path: `data/entries.csv` when the directory is one part, else part `index` (from 0)
    /// of `parts`, `data/entries-1.csv` ….
    pub fn path(&self, index: usize, parts: usize) -> String {
        if parts == 1 {
            format!("{}.{}", self.stem, self.extension)
        } else {
            format!("{}-{}.{}", self.stem, index + 1, self.extension)
        }
    }
}

/// All open-data files.
pub const FILES: [OpenFile; 1] = [OpenFile {
    stem: "data/entries",
    extension: "csv",
    make: entries_csv,
    title: "掲載情報の一覧（CSV）",
    about: "掲載しているすべての事業所・学校などを1行に1件ずつ並べた表です。列は自治体オープンデータの推奨データセットにならった並びに、医療的ケアと「対応できること」の列、最後に紹介文（Markdown）の列を加えたものです。医療的ケアの列は対応できるときに 1、「対応できること」の列は 1（できる）・0（できない）・空欄（掲載なし）です。表計算ソフトで式として動かないよう、= + - @ で始まるセルには先頭に ' を付けています。プログラムからもこのファイルを読んでください。緯度・経度の列があるので、地図ソフト（QGIS など）でも地点として開けます。",
    format: "CSV、文字コード UTF-8（BOM 付き、表計算ソフトでそのまま開けます）、改行 CRLF",
    fields_are: "列",
    fields: csv_header,
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_start_like_a_formula_stay_text() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"https://evil.example\")",
                "'=HYPERLINK(\"https://evil.example\")",
            ),
            ("+81-59-000-0000", "'+81-59-000-0000"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("つなぐ=1", "つなぐ=1"),
            ("34.7191", "34.7191"),
            ("", ""),
        ] {
            assert_eq!(inert(cell.to_owned()), want);
        }
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // a list of one part
    fn parts_stay_within_their_budget_and_cover_every_entry_once() {
        let entry = |id: &str, description: usize| Entry {
            description: "あ".repeat(description),
            ..crate::entry::test_entry(id)
        };
        let entries: Vec<Entry> = (0..10).map(|i| entry(&format!("e{i}"), i * 100)).collect();
        let whole: usize = entries.iter().map(upper_bound).sum();
        assert_eq!(parts(&entries, whole), [0..10]);
        assert_eq!(
            parts(&[], 100),
            [0..0],
            "an empty directory is one empty part"
        );
        let budget = whole / 3;
        let cut = parts(&entries, budget);
        assert!(cut.len() >= 3, "{cut:?}");
        assert_eq!(cut.first().unwrap().start, 0);
        assert_eq!(cut.last().unwrap().end, 10);
        for w in cut.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        for r in &cut {
            let bytes: usize = entries[r.clone()].iter().map(upper_bound).sum();
            assert!(bytes <= budget || r.len() == 1, "{r:?}: {bytes} > {budget}");
        }
        // An entry larger than the budget is a part of its own, never dropped.
        assert_eq!(parts(&entries[..2], 1), [0..1, 1..2]);
        // The bound holds: every format writes less for each entry.
        let site = crate::site::Site::new(
            crate::config::test_config(Vec::new()),
            Vec::new(),
            crate::date::Date {
                year: 2026,
                month: 1,
                day: 1,
            },
        );
        let heavy = Entry {
            description: "\"\\\n".repeat(500),
            ..entry("x", 0)
        };
        for f in &FILES {
            let one = (f.make)(&site, std::slice::from_ref(&heavy)).len();
            let none = (f.make)(&site, &[]).len();
            assert!(one - none <= upper_bound(&heavy), "{}", f.extension);
        }
    }

    #[test]
    fn check_digits_match_published_codes() {
        // 津市 242012, 桑名市 242055, 四日市市 242021, 紀宝町 245623.
        assert_eq!(lg_code("24201").as_deref(), Some("242012"));
        assert_eq!(lg_code("24205").as_deref(), Some("242055"));
        assert_eq!(lg_code("24202").as_deref(), Some("242021"));
        assert_eq!(lg_code("24562").as_deref(), Some("245623"));
        assert_eq!(lg_code("2420"), None);
        assert_eq!(lg_code("2420x"), None);
    }
}
