//! Open data in: turning the national provider lists (介護サービス情報公表システム, WAM NET
//! 障害福祉サービス等情報公表, the municipal recommended dataset) into entry files.
//!
//! Columns are matched by name (old and new names alike), files may be UTF-8 (with or without a
//! BOM) or Shift_JIS/CP932. A national file is taken as it is: rows of other prefectures (by
//! municipality code, else by address) are counted and left out, and one provider listed once per
//! service (the same office number) becomes one listing with all its services. Only rows in the
//! site's municipalities are taken. Import never overwrites a file: `--update` rewrites only the
//! fields the import owns and keeps everything people added (care items, flags, descriptions,
//! comments).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, value};

use crate::config::{Config, in_japan};
use crate::date::Date;
use crate::diag::thousands;
use crate::entry::{MAX_CAPACITY, without_forbidden_chars};
use crate::validate::{kana_rule, phone_rule, url_rule};

/// The open-data layouts `tsunagu import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// 介護サービス情報公表システム (e.g. 訪問看護)
    Kaigo,
    /// WAM NET 障害福祉サービス等情報公表
    Wamnet,
    /// 推奨データセット 介護サービス事業所一覧 and 自治体標準オープンデータセット
    Opendata,
}

/// Where a logical column may be found, by the names the layouts use for it (first match wins).
struct Columns {
    code: &'static [&'static str],
    prefecture: &'static [&'static str],
    municipality: &'static [&'static str],
    name: &'static [&'static str],
    kana: &'static [&'static str],
    service: &'static [&'static str],
    address: &'static [&'static str],
    address_rest: &'static [&'static str],
    building: &'static [&'static str],
    lat: &'static [&'static str],
    lon: &'static [&'static str],
    phone: &'static [&'static str],
    fax: &'static [&'static str],
    operator: &'static [&'static str],
    number: &'static [&'static str],
    capacity: &'static [&'static str],
    url: &'static [&'static str],
    hours: &'static [&'static str],
}

impl Layout {
    fn columns(self) -> Columns {
        match self {
            Layout::Kaigo => Columns {
                code: &[
                    "都道府県コード又は市町村コード",
                    "都道府県コード又は市区町村コード",
                ],
                prefecture: &["都道府県名"],
                municipality: &["市区町村名"],
                name: &["事業所名"],
                kana: &["事業所名カナ"],
                service: &["サービスの種類"],
                address: &["住所"],
                address_rest: &[],
                building: &["方書（ビル名等）", "方書"],
                lat: &["緯度"],
                lon: &["経度"],
                phone: &["電話番号"],
                fax: &["FAX番号"],
                operator: &["法人の名称"],
                number: &["事業所番号"],
                capacity: &["定員"],
                url: &["URL"],
                hours: &["利用可能曜日"],
            },
            Layout::Wamnet => Columns {
                code: &["都道府県コード又は市区町村コード"],
                prefecture: &["都道府県名"],
                municipality: &["事業所住所（市区町村）"],
                name: &["事業所の名称"],
                kana: &["事業所の名称_かな"],
                service: &["サービス種別"],
                address: &["事業所住所（市区町村）"],
                address_rest: &["事業所住所（番地以降）"],
                building: &[],
                lat: &["事業所緯度"],
                lon: &["事業所経度"],
                phone: &["事業所電話番号"],
                fax: &["事業所FAX番号"],
                operator: &["法人の名称"],
                number: &["事業所番号"],
                capacity: &["定員"],
                url: &["事業所URL"],
                hours: &["利用可能な時間帯（平日）"],
            },
            Layout::Opendata => Columns {
                code: &["都道府県コード又は市区町村コード", "全国地方公共団体コード"],
                prefecture: &["都道府県名", "所在地_都道府県"],
                municipality: &["市区町村名", "所在地_市区町村", "地方公共団体名"],
                name: &["介護サービス事業所名称", "名称"],
                kana: &["介護サービス事業所名称_カナ", "名称_カナ"],
                service: &["実施サービス"],
                address: &["住所", "所在地_連結表記"],
                address_rest: &[],
                building: &["方書"],
                lat: &["緯度"],
                lon: &["経度"],
                phone: &["電話番号"],
                fax: &["FAX番号"],
                operator: &["法人の名称"],
                number: &["事業所番号", "ID"],
                capacity: &["定員"],
                url: &["URL"],
                hours: &["利用可能曜日"],
            },
        }
    }

    fn label(self) -> &'static str {
        match self {
            Layout::Kaigo => "介護サービス情報公表システム オープンデータ",
            Layout::Wamnet => "WAM NET 障害福祉サービス等情報公表 オープンデータ",
            Layout::Opendata => "市町村オープンデータ（推奨データセット）",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Layout::Kaigo => "kaigo",
            Layout::Wamnet => "wam",
            Layout::Opendata => "od",
        }
    }
}

/// What an import did, for the report at the end.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub new: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// (CSV line, reason)
    pub skipped: Vec<(usize, String)>,
    /// Rows of other prefectures (a national file), left out.
    pub outside: usize,
    /// Rows of services the category does not offer, by service: left out.
    pub other_services: BTreeMap<String, usize>,
    /// Rows that named a service their provider's earlier row already brought in.
    pub merged: usize,
    /// (CSV line, what was left out of an imported row, such as impossible coordinates)
    pub notes: Vec<(usize, String)>,
}

impl Report {
    /// The summary printed by `tsunagu import`, in Japanese.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "新規 {} 件、更新 {} 件、変更なし {} 件、スキップ {} 件\n",
            self.new.len(),
            self.updated.len(),
            self.unchanged.len(),
            self.skipped.len()
        );
        if self.outside > 0 {
            let _ = writeln!(
                s,
                "ほかの都道府県の行 {} 行は取り込みませんでした",
                self.outside
            );
        }
        if self.merged > 0 {
            let _ = writeln!(
                s,
                "同じ事業所番号の行 {} 行は、1件の掲載のサービスとしてまとめました",
                thousands(self.merged)
            );
        }
        if !self.other_services.is_empty() {
            let list: Vec<String> = self
                .other_services
                .iter()
                .map(|(service, n)| format!("{service} {} 行", thousands(*n)))
                .collect();
            let _ = writeln!(
                s,
                "このカテゴリのサービスではない行は取り込みませんでした: {}",
                list.join("、")
            );
        }
        for (line, reason) in &self.skipped {
            let _ = writeln!(s, "  {line}行目: {reason}");
        }
        for (line, note) in &self.notes {
            let _ = writeln!(s, "  {line}行目: {note}");
        }
        s
    }
}

/// Decodes a CSV file: UTF-8 (a BOM is dropped) or, when that fails, Shift_JIS/CP932.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

/// One provider row, mapped to entry fields the import owns.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    line: usize,
    id: String,
    fields: BTreeMap<&'static str, FieldValue>,
    /// What was left out of the row, for the report.
    note: Option<String>,
    /// The id comes from the office number (else from a hash of the name and address).
    numbered: bool,
}

/// Why a row gives no listing.
enum Skip {
    /// A service the category does not offer (counted by service, not listed row by row: a
    /// national file has thousands).
    OtherService(String),
    Reason(String),
}

impl Row {
    fn name(&self) -> &str {
        match self.fields.get("name") {
            Some(FieldValue::Text(name)) => name,
            _ => "",
        }
    }

    fn services(&self) -> &[String] {
        match self.fields.get("services") {
            Some(FieldValue::List(l)) => l,
            _ => &[],
        }
    }

    /// Takes in a later row of the same provider: its services (kept in the category's order)
    /// and any field this row lacks. Returns whether a service was added.
    fn merge(&mut self, later: Row, order: &[String]) -> bool {
        let added = later
            .services()
            .iter()
            .any(|s| !self.services().contains(s));
        if added {
            let all: Vec<String> = order
                .iter()
                .filter(|s| self.services().contains(s) || later.services().contains(s))
                .cloned()
                .collect();
            self.fields.insert("services", FieldValue::List(all));
        }
        for (k, v) in later.fields {
            self.fields.entry(k).or_insert(v);
        }
        added
    }
}

#[derive(Debug, Clone, PartialEq)]
enum FieldValue {
    Text(String),
    Float(f64),
    Int(i64),
    List(Vec<String>),
}

/// Fields the import owns: `--update` rewrites these and nothing else.
const OWNED: &[&str] = &[
    "name",
    "kana",
    "municipality",
    "address",
    "lat",
    "lon",
    "phone",
    "fax",
    "url",
    "operator",
    "capacity",
    "hours",
    "services",
];

/// A short stable ASCII tag (FNV-1a, base 36): the key of a provider without a usable office
/// number. Imports before providers were merged also ended ids with the tag of the service.
fn tag(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let mut out = String::new();
    for _ in 0..5 {
        out.push(char::from_digit(h % 36, 36).unwrap_or('0'));
        h /= 36;
    }
    out
}

fn slug_digits(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Longest office number used as is in an id (office numbers have 10 digits); a longer one is
/// hashed, so that `<prefix>-<number>-<tag>` stays a valid id.
const MAX_NUMBER_CHARS: usize = 40;

/// Reads the rows of `text` in `layout` that fall in the site's municipalities.
fn rows(
    text: &str,
    layout: Layout,
    config: &Config,
    category: &str,
    report: &mut Report,
) -> Result<Vec<Row>, String> {
    let cols = layout.columns();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("見出し行を読めません: {e}"))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| h == n))
    };
    let required = [("名称", cols.name), ("住所", cols.address)];
    for (what, names) in required {
        if find(names).is_none() {
            return Err(format!(
                "{what}の列（{}）が見つかりません。--format が CSV の形式と合っているか確かめてください",
                names.join(" / ")
            ));
        }
    }
    let services = config
        .category(category)
        .map(|c| c.services.clone())
        .unwrap_or_default();
    let site_prefecture = crate::japan::prefecture(&config.site.prefecture).ok();
    let mut at: BTreeMap<String, usize> = BTreeMap::new();
    let mut out: Vec<Row> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                report
                    .skipped
                    .push((line, format!("CSV として読めない行です（{e}）")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        // Without the invisible characters check removes, so a value of only those counts as
        // empty here too.
        let get = |names: &[&str]| -> String {
            find(names)
                .and_then(|i| record.get(i))
                .map(|v| without_forbidden_chars(v).trim().to_owned())
                .unwrap_or_default()
        };
        if let (Some(site), Some(theirs)) = (site_prefecture, prefecture_of_row(&get, &cols))
            && site != theirs
        {
            report.outside += 1;
            continue;
        }
        match row(&get, layout, config, &services, line) {
            Ok(row) => match at.get(&row.id) {
                None => {
                    if let Some(note) = &row.note {
                        report.notes.push((line, note.clone()));
                    }
                    at.insert(row.id.clone(), out.len());
                    out.push(row);
                }
                // Without an office number, the key is a short hash of the name and address:
                // another provider whose key collides is reported, never merged.
                Some(&i) if !row.numbered && out[i].name() != row.name() => {
                    report.skipped.push((
                        line,
                        format!(
                            "{}: 事業所番号がなく、{}行目の「{}」と同じ id（{}）になるため取り込めません。事業所番号を書き足してください",
                            row.name(),
                            out[i].line,
                            out[i].name(),
                            row.id
                        ),
                    ));
                }
                Some(&i) => {
                    let name = row.name().to_owned();
                    if out[i].merge(row, &services) {
                        report.merged += 1;
                    } else {
                        report.skipped.push((
                            line,
                            format!(
                                "{name}: 同じ事業所番号とサービスの行が前にもあります（重複行）"
                            ),
                        ));
                    }
                }
            },
            Err(Skip::OtherService(service)) => {
                *report.other_services.entry(service).or_default() += 1;
            }
            Err(Skip::Reason(reason)) => report.skipped.push((line, reason)),
        }
    }
    Ok(out)
}

/// The prefecture a row is in: by its municipality code, else its prefecture column, else the
/// start of its address. `None` when the row says nothing of it.
fn prefecture_of_row(
    get: &dyn Fn(&[&str]) -> String,
    cols: &Columns,
) -> Option<&'static crate::japan::Prefecture> {
    let code = slug_digits(&get(cols.code));
    if code.len() >= 5
        && let Some(p) = crate::japan::prefecture_of_code(&code)
    {
        return Some(p);
    }
    crate::japan::prefecture(&get(cols.prefecture))
        .ok()
        .or_else(|| crate::japan::prefecture_of_address(&get(cols.address)))
}

/// One CSV row as the entry fields the import owns, or why it is skipped. `get` reads a cell by
/// the column's possible names.
fn row(
    get: &dyn Fn(&[&str]) -> String,
    layout: Layout,
    config: &Config,
    services: &[String],
    line: usize,
) -> Result<Row, Skip> {
    let cols = layout.columns();
    let name = get(cols.name);
    if name.is_empty() {
        return Err(Skip::Reason("名称が空です".to_owned()));
    }
    let service = get(cols.service);
    let matched: Vec<String> = services
        .iter()
        .filter(|s| service.contains(s.as_str()))
        .cloned()
        .collect();
    if !service.is_empty() && matched.is_empty() {
        return Err(Skip::OtherService(service));
    }
    // Municipality by code (5 or 6 digits) or by name.
    let code = slug_digits(&get(cols.code));
    let by_code = (code.len() >= 5)
        .then(|| config.municipality(&code[..5]))
        .flatten();
    let muni_name = get(cols.municipality);
    let Some(muni) = by_code.or_else(|| config.municipality(&muni_name)) else {
        return Err(Skip::Reason(format!(
            "サイトの市町村ではありません（{muni_name}{code}）"
        )));
    };
    let mut fields = BTreeMap::new();
    fields.insert("name", FieldValue::Text(name.clone()));
    fields.insert("municipality", FieldValue::Text(muni.name.clone()));
    if let Ok(kana) = kana_rule(&get(cols.kana))
        && !kana.trim().is_empty()
    {
        fields.insert("kana", FieldValue::Text(kana.trim().to_owned()));
    }
    let address = address(get, &cols, &config.site.prefecture);
    if address.is_empty() {
        return Err(Skip::Reason(format!("{name}: 住所が空です")));
    }
    fields.insert("address", FieldValue::Text(address));
    // Impossible coordinates (0, swapped, outside Japan) are left out with a note: the listing
    // is still good, and sorts by its municipality's point.
    let (lat, lon) = (get(cols.lat), get(cols.lon));
    let mut note = None;
    if !lat.is_empty() || !lon.is_empty() {
        match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(la), Ok(lo)) if in_japan(la, lo) => {
                fields.insert("lat", FieldValue::Float(la));
                fields.insert("lon", FieldValue::Float(lo));
            }
            (Ok(la), Ok(lo)) if la == 0.0 || lo == 0.0 => {
                note = Some(format!(
                    "{name}: 座標が 0 のため、座標を外して取り込みました"
                ));
            }
            (Ok(_), Ok(_)) => {
                note = Some(format!(
                    "{name}: 座標（緯度 {lat}、経度 {lon}）が日本の範囲の外のため、座標を外して取り込みました"
                ));
            }
            _ => {
                note = Some(format!(
                    "{name}: 座標（緯度 {lat}、経度 {lon}）が数値でないため、座標を外して取り込みました"
                ));
            }
        }
    }
    for (field, names) in [("phone", cols.phone), ("fax", cols.fax)] {
        if let Ok(p) = phone_rule(&get(names)) {
            fields.insert(field, FieldValue::Text(p));
        }
    }
    let url = get(cols.url);
    if url_rule(&url).is_ok() {
        fields.insert("url", FieldValue::Text(url));
    }
    if !fields.contains_key("phone") && !fields.contains_key("url") {
        return Err(Skip::Reason(format!("{name}: 電話番号も URL もありません")));
    }
    for (field, names) in [("operator", cols.operator), ("hours", cols.hours)] {
        let v = get(names);
        if !v.is_empty() {
            fields.insert(field, FieldValue::Text(v));
        }
    }
    // Out of range is left out, as check would reject the file.
    if let Ok(c) = get(cols.capacity).parse::<i64>()
        && (0..=MAX_CAPACITY).contains(&c)
    {
        fields.insert("capacity", FieldValue::Int(c));
    }
    if !matched.is_empty() {
        fields.insert("services", FieldValue::List(matched));
    }
    let number = slug_digits(&get(cols.number));
    let numbered = !number.is_empty();
    let key = if number.is_empty() {
        tag(&format!("{name}{}", get(cols.address)))
    } else if number.len() > MAX_NUMBER_CHARS {
        // Keeps the id within check's 64 characters.
        tag(&number)
    } else {
        number
    };
    // One listing per provider: its rows of other services merge into it.
    let id = format!("{}-{key}", layout.prefix());
    Ok(Row {
        line,
        id,
        fields,
        note,
        numbered,
    })
}

/// The address from its columns (street, the rest, the building), with the prefecture in front;
/// empty when the row has none.
fn address(get: &dyn Fn(&[&str]) -> String, cols: &Columns, prefecture: &str) -> String {
    let mut address = get(cols.address);
    address.push_str(&get(cols.address_rest));
    let building = get(cols.building);
    if !building.is_empty() {
        address.push(' ');
        address.push_str(&building);
    }
    if address.is_empty() || address.starts_with(prefecture) {
        address
    } else {
        format!("{prefecture}{address}")
    }
}

/// Sets the owned fields of `doc` from a row; returns whether anything changed.
fn apply(doc: &mut toml_edit::Table, row: &Row) -> bool {
    let before = doc.to_string();
    for field in OWNED {
        match row.fields.get(field) {
            Some(FieldValue::Text(s)) => doc[*field] = value(s.as_str()),
            Some(FieldValue::Float(f)) => doc[*field] = value(*f),
            Some(FieldValue::Int(i)) => doc[*field] = value(*i),
            Some(FieldValue::List(l)) => {
                doc[*field] = value(l.iter().map(String::as_str).collect::<toml_edit::Array>())
            }
            None => {
                doc.remove(field);
            }
        }
    }
    doc.to_string() != before
}

/// The file of a provider: its id, else a file of an import from before providers were merged
/// (`<id>-<service tag>`). Further such files of the provider are reported for removal.
fn existing_file<'a>(
    existing: &'a BTreeMap<String, PathBuf>,
    id: &str,
    line: usize,
    report: &mut Report,
) -> Option<&'a PathBuf> {
    if let Some(path) = existing.get(id) {
        return Some(path);
    }
    let prefix = format!("{id}-");
    let mut old = existing
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter(|(k, _)| {
            let rest = &k[prefix.len()..];
            rest.len() == 5 && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    let (first, path) = old.next()?;
    for (other, _) in old {
        report.notes.push((
            line,
            format!("{other}: {first} と同じ事業所です。サービスは {first} にまとめるので、このファイルは消してください"),
        ));
    }
    Some(path)
}

/// Existing entry files by id (stem), anywhere under `content/entries/`.
fn existing_files(root: &Path) -> BTreeMap<String, PathBuf> {
    let mut diags = crate::diag::Diagnostics::default();
    crate::load::entry_paths(root, &root.join("content").join("entries"), &mut diags)
        .into_iter()
        .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p)))
        .collect()
}

/// What to import and where.
pub struct Options<'a> {
    pub layout: Layout,
    pub category: &'a str,
    pub csv: &'a Path,
    /// Folder for new files.
    pub into: &'a Path,
    /// Refresh owned fields of files that already exist.
    pub update: bool,
    /// Recorded as `verified` on new and changed entries.
    pub today: Date,
}

/// Imports a CSV file into entry files under the site root.
pub fn import(root: &Path, config: &Config, opts: &Options<'_>) -> Result<Report, String> {
    let Options {
        layout,
        category,
        csv: csv_path,
        into,
        update,
        today,
    } = *opts;
    if config.category(category).is_none() {
        let ids: Vec<&str> = config.categories.iter().map(|c| c.id.as_str()).collect();
        return Err(format!(
            "カテゴリ `{category}` はありません。使えるのは {} です",
            ids.join(" / ")
        ));
    }
    let bytes =
        std::fs::read(csv_path).map_err(|e| format!("{} を読めません: {e}", csv_path.display()))?;
    let mut report = Report::default();
    let rows = rows(&decode(&bytes), layout, config, category, &mut report)?;
    let existing = existing_files(root);
    let source = format!(
        "{}（{}）",
        layout.label(),
        csv_path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    std::fs::create_dir_all(into).map_err(|e| format!("{} を作れません: {e}", into.display()))?;
    for row in rows {
        match existing_file(&existing, &row.id, row.line, &mut report) {
            None => {
                let mut doc = DocumentMut::new();
                doc.decor_mut().set_prefix(format!(
                    "# {} から取り込みました。対応できる医療的ケア（care）や送迎などは、事業所に確認して書き足してください。\n",
                    layout.label()
                ));
                doc["category"] = value(category);
                apply(doc.as_table_mut(), &row);
                doc["verified"] = value(toml_datetime(today));
                doc["source"] = value(source.as_str());
                let path = into.join(format!("{}.toml", row.id));
                std::fs::write(&path, doc.to_string())
                    .map_err(|e| format!("{} に書き込めません: {e}", path.display()))?;
                report.new.push(row.id);
            }
            Some(_) if !update => report.skipped.push((
                row.line,
                format!(
                    "{}: ファイルがすでにあります（更新するには --update）",
                    row.id
                ),
            )),
            Some(path) => {
                let changed = update_file(path, &row, today, &source)?;
                if changed {
                    report.updated.push(row.id);
                } else {
                    report.unchanged.push(row.id);
                }
            }
        }
    }
    Ok(report)
}

fn toml_datetime(d: Date) -> toml_edit::Datetime {
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: d.year as u16,
            month: d.month,
            day: d.day,
        }),
        time: None,
        offset: None,
    }
}

/// Rewrites the owned fields of an existing `.toml` or `.md` entry, keeping everything else
/// (other fields, comments, the Markdown body) byte for byte.
fn update_file(path: &Path, row: &Row, today: Date, source: &str) -> Result<bool, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{} を読めません: {e}", path.display()))?;
    let is_md = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    let (head, front, tail) = if is_md {
        let (front, _) = crate::load::split_front_matter(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        (
            &text[..front.start],
            &text[front.clone()],
            &text[front.end..],
        )
    } else {
        ("", text.as_str(), "")
    };
    let mut doc: DocumentMut = front
        .parse()
        .map_err(|e| format!("{} の TOML を読めません: {e}", path.display()))?;
    if !apply(doc.as_table_mut(), row) {
        return Ok(false);
    }
    doc["verified"] = value(toml_datetime(today));
    if !matches!(doc.get("source"), Some(Item::Value(v)) if v.as_str() == Some(source)) {
        doc["source"] = value(source);
    }
    std::fs::write(path, format!("{head}{doc}{tail}"))
        .map_err(|e| format!("{} に書き込めません: {e}", path.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_utf8_and_shift_jis() {
        assert_eq!(decode("\u{feff}名称".as_bytes()), "名称");
        assert_eq!(decode("名称".as_bytes()), "名称");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("事業所名,住所");
        assert_eq!(decode(&sjis), "事業所名,住所");
    }

    #[test]
    fn providers_without_a_number_whose_keys_collide_are_not_merged() {
        // Two names whose key (a short hash of name and address) is the same.
        let address = "三重県津市1-1";
        let mut seen = std::collections::HashMap::new();
        let (a, b) = (0..)
            .find_map(|i| {
                let name = format!("事業所{i}");
                let key = tag(&format!("{name}{address}"));
                seen.insert(key, name.clone()).map(|other| (other, name))
            })
            .unwrap();
        let csv = format!(
            "事業所名,住所,市区町村名,電話番号,サービスの種類\n{a},{address},津市,059-000-0001,訪問看護\n{b},{address},津市,059-000-0002,訪問看護\n"
        );
        let config = crate::config::test_config(vec![crate::config::Region {
            id: "tsu".into(),
            name: "津".into(),
            municipalities: vec![crate::config::Municipality {
                code: "24201".into(),
                name: "津市".into(),
                reading: None,
                point: None,
                region: "tsu".into(),
            }],
        }]);
        let mut report = Report::default();
        let rows = rows(&csv, Layout::Kaigo, &config, "visiting-nurse", &mut report).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(report.merged, 0);
        assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
        assert!(
            report.skipped[0]
                .1
                .contains("事業所番号を書き足してください")
        );
    }

    #[test]
    fn tags_are_stable_and_ascii() {
        assert_eq!(tag("児童発達支援"), tag("児童発達支援"));
        assert_ne!(tag("児童発達支援"), tag("放課後等デイサービス"));
        assert!(
            tag("x")
                .chars()
                .all(|c| c.is_ascii_alphanumeric() && !c.is_ascii_uppercase())
        );
        assert_eq!(tag("x").len(), 5);
    }
}
