//! The gap report in words and files: the Japanese labels, percentages and distances the pages
//! show, the rules in sentences, and the CSV, JSON and terminal table. The report itself holds
//! only figures and statuses, so every output words them the same way.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::{BOTTLENECKS, Figure, Finding, GapReport, Kind, KindGap, Reason, Status, round1};
use crate::config::GapRules;

/// The text every format shows: `12`, `8.6`, `<3`, `データなし`.
impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Count(n) => write!(f, "{n}"),
            Figure::Ratio(r) => write!(f, "{r:.1}"),
            Figure::Suppressed(min) => write!(f, "<{min}"),
            Figure::NoData => f.write_str("データなし"),
        }
    }
}

/// Numbers stay numbers (ratios to one decimal, as shown); hidden and missing figures are text.
impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Count(n) => s.serialize_u32(*n),
            Figure::Ratio(r) => s.serialize_f64(round1(*r)),
            other => s.collect_str(other),
        }
    }
}

/// The label: 充足 / 要注意 / 不足.
impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Sufficient => "充足",
            Status::Caution => "要注意",
            Status::Shortage => "不足",
        })
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Every kind together reads すべて.
impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::All => f.write_str("すべて"),
            Kind::Category(c) => f.write_str(&c.label),
        }
    }
}

/// A reason in one plain sentence.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.finding {
            Finding::NoProviders => f.write_str("この地域に掲載がありません"),
            Finding::FewProviders { per_100, threshold } => {
                let shown = match per_100 {
                    Figure::Ratio(_) => format!("（{per_100}か所）"),
                    _ => String::new(),
                };
                write!(f, "子ども100人あたりの掲載数{shown}が {threshold} 未満です")
            }
            Finding::CareWithoutProvider { items } => write!(
                f,
                "地域の子どもが必要としている医療的ケアに、受け入れ先が1か所もない項目があります（{}）",
                items.join("、")
            ),
            Finding::LowCareCoverage {
                coverage,
                uncovered,
            } => write!(
                f,
                "必要とされている医療的ケアのうち受け入れ先があるのは {}（受け入れ先なし: {}）",
                percent(*coverage),
                uncovered.join("、")
            ),
            Finding::FarMunicipalities { max_km, names } => write!(
                f,
                "最寄りの掲載先まで {max_km} km を超える市町村があります（{}）",
                names.join("、")
            ),
            Finding::Stale { share } => {
                write!(f, "掲載の {} が1年以上確認されていません", percent(*share))
            }
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A kind in `gaps.json`: its id and label, its figures, and its status as label, id and reasons.
impl Serialize for KindGap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let status = self.status();
        let mut m = s.serialize_struct("KindGap", 15)?;
        m.serialize_field("category", self.kind.id())?;
        m.serialize_field("label", &self.kind.to_string())?;
        m.serialize_field("providers", &self.providers)?;
        m.serialize_field("capacity", &self.capacity)?;
        m.serialize_field("capacity_listed", &self.capacity_listed)?;
        m.serialize_field("per_100", &self.per_100)?;
        m.serialize_field("care_coverage", &self.care_coverage)?;
        m.serialize_field("care", &self.care)?;
        m.serialize_field("services", &self.services)?;
        m.serialize_field("stale", &self.stale)?;
        m.serialize_field("stale_share", &self.stale_share)?;
        m.serialize_field("far_municipalities", &self.far_municipalities)?;
        m.serialize_field("status", &status)?;
        m.serialize_field("status_id", status.id())?;
        m.serialize_field("reasons", &self.reasons)?;
        m.end()
    }
}

/// A share as a whole percentage: `43%`.
fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A share as the pages show it: `43%`, or `—` when there is nothing to divide.
pub fn percent_or_dash(s: Option<f64>) -> String {
    s.map_or_else(|| "—".to_owned(), percent)
}

/// A distance as the pages show it: `約 31.2 km`, or `なし` when there is no provider at all.
pub fn distance(km: Option<f64>) -> String {
    km.map_or_else(|| "なし".to_owned(), |k| format!("約 {k:.1} km"))
}

/// The rules, written for the overview page and the CLI, in plain Japanese.
pub fn rules_text(rules: &GapRules, min_count: u32) -> Vec<String> {
    vec![
        format!(
            "「不足」: 地域にその種類の掲載がない、子ども100人あたりの掲載数が {} 未満、または必要とされている医療的ケアのうち受け入れ先のある項目が {} 未満。「すべて」の列は、地域の子どもが必要としている医療的ケアに受け入れ先が1か所もない項目があるときも「不足」。",
            rules.shortage_per_100,
            percent(rules.coverage_shortage)
        ),
        format!(
            "「要注意」: 子ども100人あたりの掲載数が {} 未満、受け入れ先のある医療的ケアが {} 未満、最寄りの掲載先まで {} km を超える市町村がある、または掲載の {} 以上が1年以上確認されていない。",
            rules.caution_per_100,
            percent(rules.coverage_caution),
            rules.max_distance_km,
            percent(rules.stale_share)
        ),
        "「充足」: 上のどれにも当たらない。掲載の数から見た目安であり、実際の空き状況を示すものではありません。".to_owned(),
        format!(
            "子どもの人数が {min_count} 人未満の値は、個人が特定されないよう「<{min_count}」と表示します。合計から逆算できる場合は、別の値も伏せます。"
        ),
        "距離は市町村の代表点から各事業所（座標がない場合はその市町村の代表点）までの直線距離です。".to_owned(),
    ]
}

/// The columns of the CSV.
pub fn csv_header(report: &GapReport) -> Vec<String> {
    let care_ids: Vec<String> = report
        .regions
        .first()
        .map(|r| r.overall.care.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = [
        "region",
        "region_name",
        "category",
        "category_label",
        "status",
        "providers",
        "capacity",
        "capacity_listed",
        "children",
        "per_100_children",
        "care_coverage",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(BOTTLENECKS.iter().map(|b| format!("share_{b}")));
    header.extend([
        "stale".to_owned(),
        "stale_share".to_owned(),
        "far_municipalities".to_owned(),
    ]);
    for id in &care_ids {
        header.push(format!("care_{id}_providers"));
        header.push(format!("care_{id}_children"));
    }
    header
}

/// The report as CSV: one row per region and kind (`all` first), the same figures as the pages.
pub fn to_csv(report: &GapReport) -> String {
    let mut out = String::new();
    push_csv_row(&mut out, &csv_header(report));
    for r in &report.regions {
        for k in std::iter::once(&r.overall).chain(&r.categories) {
            let mut row = vec![
                r.id.clone(),
                r.name.clone(),
                k.kind.id().to_owned(),
                k.kind.to_string(),
                k.status().to_string(),
                k.providers.to_string(),
                k.capacity.to_string(),
                k.capacity_listed.to_string(),
                r.children.to_string(),
                k.per_100.to_string(),
                decimal_share(k.care_coverage),
            ];
            row.extend(k.services.iter().map(|s| decimal_share(s.share)));
            row.push(k.stale.to_string());
            row.push(decimal_share(k.stale_share));
            row.push(
                k.far_municipalities
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            for c in &k.care {
                row.push(c.providers.to_string());
                row.push(c.children.to_string());
            }
            push_csv_row(&mut out, &row);
        }
    }
    out
}

/// The report as pretty JSON (the published `gaps.json`), with the rules in words.
pub fn to_json(report: &GapReport) -> String {
    let mut v = serde_json::to_value(report).expect("the report serialises");
    v["rules_text"] = serde_json::json!(rules_text(&report.rules, report.min_count));
    serde_json::to_string_pretty(&v).expect("a JSON value serialises")
}

/// A share as the CSV shows it: `0.43`, or empty when undefined.
fn decimal_share(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.2}")).unwrap_or_default()
}

/// Appends one RFC 4180 row (CRLF), quoting fields that need it.
pub fn push_csv_row(out: &mut String, fields: &[String]) {
    let cells: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// A plain-text table for the terminal: regions × kinds, status and providers per 100 children.
pub fn to_table(report: &GapReport) -> String {
    let mut out = String::new();
    let mut header = vec![
        "地域".to_owned(),
        "子ども".to_owned(),
        Kind::All.to_string(),
    ];
    header.extend(report.categories.iter().map(|c| c.label.clone()));
    let mut rows = vec![header];
    for r in &report.regions {
        let mut row = vec![r.name.clone(), r.children.to_string()];
        for k in std::iter::once(&r.overall).chain(&r.categories) {
            row.push(format!(
                "{} {}か所 ({}/100人)",
                k.status(),
                k.providers,
                k.per_100
            ));
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| display_width(&r[i])).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - display_width(c))))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    for r in &report.regions {
        if !r.uncovered_care.is_empty() {
            let items: Vec<&str> = r.uncovered_care.iter().map(|c| c.label.as_str()).collect();
            out.push_str(&format!(
                "{}: 受け入れ先のない医療的ケア: {}\n",
                r.name,
                items.join("、")
            ));
        }
    }
    out
}

/// Terminal columns of a string: East Asian wide characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_display_the_same_everywhere() {
        assert_eq!(Figure::Ratio(8.5714).to_string(), "8.6");
        assert_eq!(
            serde_json::to_string(&Figure::Ratio(8.5714)).unwrap(),
            "8.6"
        );
        assert_eq!(
            serde_json::to_string(&Figure::Suppressed(3)).unwrap(),
            "\"<3\""
        );
        assert_eq!(Figure::NoData.to_string(), "データなし");
    }

    #[test]
    fn shares_and_distances_read_plainly() {
        assert_eq!(percent_or_dash(Some(0.426)), "43%");
        assert_eq!(percent_or_dash(None), "—");
        assert_eq!(distance(Some(31.25)), "約 31.2 km");
        assert_eq!(distance(None), "なし");
    }

    #[test]
    fn csv_quotes_when_needed() {
        let mut s = String::new();
        push_csv_row(&mut s, &["a".into(), "b,c".into(), "d\"e".into()]);
        assert_eq!(s, "a,\"b,c\",\"d\"\"e\"\r\n");
    }
}
