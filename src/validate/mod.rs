//! Checking entries: every field of every file, against the configuration, reporting all problems
//! at once with file, line and column. Entries come from outside contributors, so every value is
//! treated as hostile: wrong types, unknown names, unsafe links and invisible characters.

use std::collections::BTreeMap;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::config::{Config, in_japan, is_slug};
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Severity, did_you_mean, whole_file};
use crate::entry::{Ages, Entry, Flags, MAX_CAPACITY, without_forbidden_chars};
use crate::fields::{self, FIELDS};
use crate::gojuon;
use crate::load::{Node, RawEntry, Value};

mod rules;
mod values;

pub use rules::{email_rule, kana_rule, phone_rule, url_rule};

/// Checks all raw entries. Returns those without errors (drafts included; the site model drops
/// them) in a stable order, and pushes every problem.
pub fn entries(
    raws: Vec<RawEntry>,
    config: &Config,
    today: Date,
    diags: &mut Diagnostics,
) -> Vec<Entry> {
    // Checked in parallel, and each raw entry (its text and TOML tree) freed there too; what the
    // check across files needs of it is kept: its id and its path.
    let checked: Vec<CheckedFile> = raws
        .into_par_iter()
        .map(|raw| check_file(&raw, config, today))
        .collect();
    across_files(checked, diags)
}

/// One entry file, checked on its own.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub id: String,
    pub path: String,
    /// The entry, when the file has no errors.
    pub entry: Option<Entry>,
    pub diags: Vec<Diagnostic>,
}

/// Checks one raw entry on its own (every check but those across files).
pub fn check_file(raw: &RawEntry, config: &Config, today: Date) -> CheckedFile {
    let mut c = Checker {
        raw,
        config,
        today,
        diags: Vec::new(),
    };
    let entry = c.entry();
    CheckedFile {
        id: raw.id.clone(),
        path: raw.src.path.clone(),
        entry,
        diags: c.diags,
    }
}

/// The checks across files (every id once), in file order: pushes each file's problems and
/// returns the entries of the files without errors.
pub fn across_files(
    checked: impl IntoIterator<Item = CheckedFile>,
    diags: &mut Diagnostics,
) -> Vec<Entry> {
    let mut first_seen: BTreeMap<String, String> = BTreeMap::new();
    let mut entries = Vec::new();
    for CheckedFile {
        id,
        path,
        entry,
        diags: ds,
    } in checked
    {
        ds.into_iter().for_each(|d| diags.push(d));
        if let Some(previous) = first_seen.get(&id) {
            diags.push(whole_file(
                &path,
                Severity::Error,
                format!(
                    "id `{id}` が {previous} と重複しています。ファイル名（id）はサイト全体で一意にしてください"
                ),
            ));
            continue;
        }
        first_seen.insert(id, path);
        entries.extend(entry);
    }
    entries
}

struct Checker<'a> {
    raw: &'a RawEntry,
    config: &'a Config,
    today: Date,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, at: usize, field: &str, msg: impl Into<String>) {
        let d = self.raw.src.at(at, Severity::Error, Some(field), msg);
        self.diags.push(d);
    }

    /// A warning; `kind` words it for the count of its kind (see [`Diagnostic::kind`]).
    fn warn(&mut self, at: usize, field: &str, kind: &'static str, msg: impl Into<String>) {
        let d = self.raw.src.at(at, Severity::Warning, Some(field), msg);
        self.diags.push(d.with_kind(kind));
    }

    fn node(&self, name: &str) -> Option<&Node> {
        self.raw
            .fields
            .iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, _, n)| n)
    }

    fn entry(&mut self) -> Option<Entry> {
        let errors_at_start = self.diags.len();
        self.unknown_fields();
        if !is_slug(&self.raw.id) {
            let msg = format!(
                "ファイル名 `{}` は id として使えません。半角英小文字・数字・- だけで、英数字で始まる64文字以内にしてください（例: tsu-hidamari.md）",
                self.raw.id
            );
            self.error(0, "id", msg);
        } else if let Some(row) = gojuon::reserved(&self.raw.id) {
            self.error(0, "id", gojuon::reserved_message(row));
        }

        let name = self.required_string("name");
        let kana = self.kana();
        let category = self.category();
        let services = self.services(category.as_deref());
        let municipality = self.municipality();
        let address = self.required_string("address");
        let postal_code = self.postal_code();
        let (lat, lon) = self.coordinates();
        let phone = self.phone("phone");
        let fax = self.phone("fax");
        let email = self.email();
        let url = self.url();
        if self.node("phone").is_none()
            && self.node("email").is_none()
            && self.node("url").is_none()
        {
            self.error(
                0,
                "phone",
                "連絡先がありません。phone・email・url のどれか1つは書いてください",
            );
        }
        let operator = self.string("operator").map(|(s, _)| s);
        let care = self.care();
        let ages = self.ages();
        let capacity = self
            .node("capacity")
            .cloned()
            .and_then(|n| self.integer("capacity", &n, 0, MAX_CAPACITY));
        let mut flags = Flags::default();
        for flag in fields::flags() {
            if let Some(b) = self.bool(flag.id) {
                flags.set(flag.id, b);
            }
        }
        let hours = self.string("hours").map(|(s, _)| s);
        let verified = self.verified();
        let source = self.string("source").map(|(s, _)| s);
        let draft = self.bool("draft").unwrap_or(false);
        let description = self.description();

        let has_errors = self.diags[errors_at_start..]
            .iter()
            .any(|d| d.severity == Severity::Error);
        if has_errors {
            return None;
        }
        let (municipality, region) = municipality?;
        Some(Entry {
            id: self.raw.id.clone(),
            path: self.raw.src.path.clone(),
            name: name?.0,
            kana,
            category: category?,
            services,
            municipality,
            region,
            address: address?.0,
            postal_code,
            lat,
            lon,
            phone,
            fax,
            email,
            url,
            operator,
            care,
            ages,
            capacity,
            flags,
            hours,
            verified: verified?,
            source,
            draft,
            description,
        })
    }

    fn unknown_fields(&mut self) {
        let known: Vec<&str> = FIELDS.iter().map(|f| f.id).collect();
        let unknown: Vec<(String, usize)> = self
            .raw
            .fields
            .iter()
            .filter(|(k, _, _)| !known.contains(&k.as_str()))
            .map(|(k, at, _)| (k.clone(), *at))
            .collect();
        for (key, at) in unknown {
            let hint = did_you_mean(&key, known.iter().copied());
            let msg =
                format!("不明な項目 `{key}` です{hint}。書き間違いのままだと内容が掲載されません");
            self.error(at, &key, msg);
        }
    }

    fn kana(&mut self) -> Option<String> {
        if self.node("kana").is_none() {
            self.warn(
                0,
                "kana",
                "kana（読み）がありません",
                "kana（読み）がありません。50音順の並びと読みでの検索に使われます",
            );
            return None;
        }
        let (kana, at) = self.string("kana")?;
        match kana_rule(&kana) {
            Ok(kana) => Some(kana),
            Err(kana) => {
                let msg = format!(
                    "kana `{kana}` はひらがなかカタカナで書いてください（漢字・英数字は使えません）"
                );
                self.error(at, "kana", msg);
                None
            }
        }
    }

    fn category(&mut self) -> Option<String> {
        let (id, at) = self.required_string("category")?;
        if self.config.category(&id).is_some() {
            return Some(id);
        }
        let ids: Vec<&str> = self
            .config
            .categories
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        let hint = did_you_mean(&id, ids.iter().copied());
        let msg = format!(
            "category `{id}` はありません{hint}。使えるのは {} です",
            ids.join(" / ")
        );
        self.error(at, "category", msg);
        None
    }

    fn services(&mut self, category: Option<&str>) -> Vec<String> {
        let items = self.strings("services");
        let Some(cat) = category.and_then(|c| self.config.category(c)) else {
            return items.into_iter().map(|(s, _)| s).collect();
        };
        let cat = cat.clone();
        let mut out: Vec<String> = Vec::new();
        for (s, at) in items {
            if !cat.services.contains(&s) {
                let hint = did_you_mean(&s, cat.services.iter().map(String::as_str));
                let msg = format!(
                    "サービス `{s}` は「{}」の一覧にありません{hint}。使えるのは {} です",
                    cat.label,
                    cat.services.join("、")
                );
                self.error(at, "services", msg);
            } else if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    fn municipality(&mut self) -> Option<(String, String)> {
        let (m, at) = self.required_string("municipality")?;
        let m: String = m.nfkc().collect();
        if let Some(found) = self.config.municipality(&m) {
            return Some((found.code.clone(), found.region.clone()));
        }
        // With no municipalities, regions.toml is broken and already reported: listing every
        // entry as well would bury that one message.
        self.config.municipalities().next()?;
        let names: Vec<&str> = self
            .config
            .municipalities()
            .map(|m| m.name.as_str())
            .collect();
        let hint = did_you_mean(&m, names.iter().copied());
        let msg = format!(
            "municipality `{m}` は regions.toml にありません{hint}。市町村名か5桁の市町村コードで書いてください"
        );
        self.error(at, "municipality", msg);
        None
    }

    fn postal_code(&mut self) -> Option<String> {
        let (p, at) = self.string("postal_code")?;
        let p: String = p.nfkc().collect();
        let b = p.as_bytes();
        let ok = b.len() == 8
            && b[3] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 3 || c.is_ascii_digit());
        if !ok {
            self.error(
                at,
                "postal_code",
                format!("postal_code `{p}` は「123-4567」の形で書いてください"),
            );
            return None;
        }
        Some(p)
    }

    fn coordinates(&mut self) -> (Option<f64>, Option<f64>) {
        let lat = self.float("lat");
        let lon = self.float("lon");
        match (lat, lon) {
            (Some((lat, at)), Some((lon, _))) => {
                if in_japan(lat, lon) {
                    (Some(lat), Some(lon))
                } else {
                    let msg = format!(
                        "座標 ({lat}, {lon}) が日本の範囲（緯度20〜46、経度122〜154）の外です。緯度と経度が逆になっていませんか"
                    );
                    self.error(at, "lat", msg);
                    (None, None)
                }
            }
            (None, None) => {
                if self.node("lat").is_none() && self.node("lon").is_none() {
                    self.warn(
                        0,
                        "lat",
                        "座標（lat, lon）がありません",
                        "座標（lat, lon）がありません。距離での並べ替えでは市町村の位置を使います",
                    );
                }
                (None, None)
            }
            (Some((_, at)), None) | (None, Some((_, at))) => {
                if self.node("lat").is_none() || self.node("lon").is_none() {
                    self.error(at, "lat", "lat と lon は両方書くか、両方とも省いてください");
                }
                (None, None)
            }
        }
    }

    fn phone(&mut self, name: &str) -> Option<String> {
        let (p, at) = self.string(name)?;
        match phone_rule(&p) {
            Ok(p) => Some(p),
            Err(p) => {
                let msg = format!(
                    "`{name}` `{p}` は数字とハイフンで書いてください（例: \"059-000-1234\"）"
                );
                self.error(at, name, msg);
                None
            }
        }
    }

    fn email(&mut self) -> Option<String> {
        let (e, at) = self.string("email")?;
        if !email_rule(&e) {
            self.error(
                at,
                "email",
                format!(
                    "email `{e}` はメールアドレスの形になっていません（例: \"info@example.jp\"）"
                ),
            );
            return None;
        }
        Some(e)
    }

    fn url(&mut self) -> Option<String> {
        let (u, at) = self.string("url")?;
        match url_rule(&u) {
            Ok(url) => Some(url.to_string()),
            Err(Some(scheme)) => {
                let msg = format!(
                    "url に使えるのは http:// と https:// だけです（`{scheme}:` は使えません）"
                );
                self.error(at, "url", msg);
                None
            }
            Err(None) => {
                self.error(
                    at,
                    "url",
                    format!("url `{u}` は URL の形になっていません（例: \"https://example.jp/\"）"),
                );
                None
            }
        }
    }

    fn care(&mut self) -> Vec<String> {
        let items = self.strings("care");
        let mut ids = Vec::new();
        for (item, at) in items {
            match self.config.care_item(&item) {
                Some(c) => ids.push(c.id.clone()),
                None => {
                    let candidates: Vec<&str> = self
                        .config
                        .care_items
                        .iter()
                        .flat_map(|c| [c.id.as_str(), c.label.as_str()])
                        .collect();
                    let hint = did_you_mean(&item, candidates);
                    let msg = format!(
                        "医療的ケア `{item}` はありません{hint}。id（例: ventilator）か名称（例: 人工呼吸器）で書いてください"
                    );
                    self.error(at, "care", msg);
                }
            }
        }
        // Configuration order, without duplicates, so output never depends on how it was written.
        self.config
            .care_items
            .iter()
            .filter(|c| ids.contains(&c.id))
            .map(|c| c.id.clone())
            .collect()
    }

    fn ages(&mut self) -> Option<Ages> {
        let node = self.node("ages")?.clone();
        let Value::Table(fields) = &node.value else {
            self.wrong_type("ages", &node, "{ min = 0, max = 18 } の形");
            return None;
        };
        let mut min = None;
        let mut max = None;
        for (key, at, value) in fields {
            match key.as_str() {
                "min" => min = self.integer("ages.min", value, 0, 120),
                "max" => max = self.integer("ages.max", value, 0, 120),
                other => self.error(
                    *at,
                    "ages",
                    format!("ages に `{other}` は書けません。min と max だけです"),
                ),
            }
        }
        match (min, max) {
            (Some(min), Some(max)) if min <= max => Some(Ages { min, max }),
            (Some(min), Some(max)) => {
                let msg = format!("ages の min ({min}) が max ({max}) より大きくなっています");
                self.error(node.span.start, "ages", msg);
                None
            }
            _ => {
                if !fields.iter().any(|(k, _, _)| k == "min")
                    || !fields.iter().any(|(k, _, _)| k == "max")
                {
                    self.error(
                        node.span.start,
                        "ages",
                        "ages には min と max の両方を書いてください（例: { min = 0, max = 18 }）",
                    );
                }
                None
            }
        }
    }

    fn verified(&mut self) -> Option<Date> {
        let Some(node) = self.node("verified").cloned() else {
            self.error(
                0,
                "verified",
                "必須の項目 `verified`（最終確認日、例: 2026-04-01）がありません",
            );
            return None;
        };
        let date = match &node.value {
            Value::Datetime(dt) => Date::from_toml(dt),
            _ => None,
        };
        let Some(date) = date else {
            self.error(
                node.span.start,
                "verified",
                "verified は引用符なしの日付（例: verified = 2026-04-01）で書いてください",
            );
            return None;
        };
        if date > self.today {
            let msg =
                format!("verified ({date}) が未来の日付です。実際に確認した日を書いてください");
            self.error(node.span.start, "verified", msg);
            return None;
        }
        if date.days_until(self.today) > 365 {
            let msg = format!(
                "最終確認日 ({date}) から1年以上たっています。内容を確認して verified を更新してください"
            );
            self.warn(
                node.span.start,
                "verified",
                "最終確認日から1年以上たっています",
                msg,
            );
        }
        Some(date)
    }

    fn description(&mut self) -> String {
        let from_field = self.node("description").is_some();
        match &self.raw.body {
            Some(_) if from_field => {
                let at = self.node("description").map_or(0, |n| n.span.start);
                self.error(at, "description", "description は .md ファイルでは使えません。紹介文は +++ の後の本文に書いてください");
                String::new()
            }
            Some((body, _)) => without_forbidden_chars(body).into_owned(),
            None => self
                .string("description")
                .map(|(s, _)| s)
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Municipality, Region};

    fn config() -> Config {
        crate::config::test_config(vec![Region {
            id: "tsu".into(),
            name: "津".into(),
            municipalities: vec![Municipality {
                code: "24201".into(),
                name: "津市".into(),
                reading: None,
                point: Some((34.719, 136.505)),
                region: "tsu".into(),
            }],
        }])
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 21,
    };

    /// Checks one `.md` file with the given front matter; returns the entry and the messages.
    fn check(front: &str) -> (Option<Entry>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.md");
        std::fs::write(&path, format!("+++\n{front}\n+++\n本文\n")).unwrap();
        let raw = crate::load::parse_entry(dir.path(), &path).unwrap();
        let mut diags = Diagnostics::default();
        let mut entries = entries(vec![raw], &config(), TODAY, &mut diags);
        let msgs = diags
            .into_sorted()
            .iter()
            .map(ToString::to_string)
            .collect();
        (entries.pop(), msgs)
    }

    const BASE: &str = "name = \"あおぞら\"\nkana = \"あおぞら\"\ncategory = \"facility\"\n\
        municipality = \"24201\"\naddress = \"三重県津市1\"\nphone = \"059-000-0000\"\n\
        lat = 34.7\nlon = 136.5\nverified = 2026-04-01";

    #[test]
    fn resolves_codes_labels_and_order() {
        let (e, msgs) = check(&format!(
            "{BASE}\ncare = [\"吸引\", \"ventilator\", \"suction\"]"
        ));
        assert!(msgs.is_empty(), "{msgs:?}");
        let e = e.unwrap();
        assert_eq!(e.care, ["ventilator", "suction"]);
        assert_eq!(
            (e.municipality.as_str(), e.region.as_str()),
            ("24201", "tsu")
        );
        assert_eq!(e.description, "本文\n");
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let (e, msgs) = check(
            "name = 1\ncategory = \"facilty\"\nmunicipality = \"津\"\naddress = \"x\"\n\
             url = \"javascript:alert(1)\"\nverified = 2027-01-01\nnmae = \"x\"",
        );
        assert!(e.is_none());
        let all = msgs.join("\n");
        for expected in [
            "e.md:2:8: error: `name` は 文字列",
            "e.md:3:12: error: category `facilty` はありません（もしかして `facility`？）",
            "e.md:4:16: error: municipality `津` は regions.toml にありません（もしかして `津市`？）",
            "e.md:6:7: error: url に使えるのは http:// と https:// だけです",
            "e.md:7:12: error: verified (2027-01-01) が未来の日付です",
            "e.md:8:1: error: 不明な項目 `nmae` です（もしかして `name`？）",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in\n{all}");
        }
    }

    #[test]
    fn warns_on_stale_missing_kana_and_invisible_characters() {
        let front = BASE
            .replace("kana = \"あおぞら\"\n", "")
            .replace("2026-04-01", "2025-01-01")
            .replace("三重県津市1", "三重県\u{202E}津市1");
        let (e, msgs) = check(&front);
        let e = e.expect("warnings do not reject an entry");
        assert_eq!(e.address, "三重県津市1");
        let all = msgs.join("\n");
        assert!(all.contains("warning: kana（読み）がありません"), "{all}");
        assert!(
            all.contains("warning: 最終確認日 (2025-01-01) から1年以上"),
            "{all}"
        );
        assert!(
            all.contains("warning: `address` に見えない制御文字"),
            "{all}"
        );
        assert!(e.is_stale(TODAY));
    }

    #[test]
    fn needs_one_contact_and_paired_coordinates() {
        let front = BASE
            .replace("phone = \"059-000-0000\"\n", "")
            .replace("lon = 136.5\n", "");
        let (e, msgs) = check(&front);
        assert!(e.is_none());
        let all = msgs.join("\n");
        assert!(all.contains("連絡先がありません"), "{all}");
        assert!(all.contains("lat と lon は両方書くか"), "{all}");
    }

    #[test]
    fn kana_accepts_half_width_and_rejects_kanji() {
        let (e, _) = check(&BASE.replace("kana = \"あおぞら\"", "kana = \"ｱｵｿﾞﾗ\""));
        assert_eq!(e.unwrap().kana.as_deref(), Some("アオゾラ"));
        let (e, msgs) = check(&BASE.replace("kana = \"あおぞら\"", "kana = \"青空\""));
        assert!(e.is_none());
        assert!(msgs.join("\n").contains("ひらがなかカタカナ"));
    }
}
