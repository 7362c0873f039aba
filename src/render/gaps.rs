//! Views of the gap pages (`/gaps/` and `/gaps/<region>/`) and the published CSV and JSON, all
//! from one [`GapReport`] so pages and files show the same figures.

use serde_json::{Value, json};

use super::{PageJob, Views};
use crate::chart::{Bar, Marker, bar_chart};
use crate::gaps::format::{distance, percent_or_dash, rules_text};
use crate::gaps::{Figure, GapReport, KindGap, RegionGap, Status};
use crate::paths;

/// The published gap figures, below the output root.
pub(super) const GAPS_CSV: &str = "gaps/gaps.csv";
pub(super) const GAPS_JSON: &str = "gaps/gaps.json";

impl Views<'_> {
    /// Page jobs for the gap pages, plus the CSV and JSON files as (path, bytes).
    pub(super) fn gap_jobs(
        &self,
        report: &GapReport,
    ) -> (Vec<PageJob<'_>>, Vec<(String, Vec<u8>)>) {
        let mut jobs = Vec::new();
        let rows: Vec<Value> = report
            .regions
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "name": r.name,
                    "url": self.url(&paths::gap(&r.id)),
                    "children": r.children.to_string(),
                    "children_has_data": r.children != Figure::NoData,
                    "cells": std::iter::once(&r.overall).chain(&r.categories).map(cell).collect::<Vec<_>>(),
                })
            })
            .collect();
        let sources: Vec<Value> = report
            .regions
            .iter()
            .map(|r| json!({"name": r.name, "as_of": r.as_of, "source": r.source}))
            .collect();
        let title = "地域ごとの不足状況";
        let lead = "掲載されている事業所の数と、地域の医療的ケア児の人数を比べた目安です。";
        let overview = json!({
                "page": self.page(title, "gaps/", lead),
                "breadcrumbs": [{"label": "ホーム", "url": self.root}],
                "gaps": {
                    "title": title,
                    "lead": lead,
                    "categories": report.categories,
                    "rows": rows,
                    "prefecture_children": report.prefecture_children.to_string(),
                    "prefecture_children_has_data": report.prefecture_children != Figure::NoData,
                    "rules": rules_text(&report.rules, report.min_count),
                    "sources": sources,
                    "csv_url": self.url(GAPS_CSV),
                    "json_url": self.url(GAPS_JSON),
                },
        });
        jobs.push(PageJob::new(
            "gaps.html",
            "gaps/index.html".to_owned(),
            move || overview.clone(),
        ));
        for r in &report.regions {
            let path = paths::gap(&r.id);
            let title = format!("{}地域の不足状況", r.name);
            let view = json!({
                    "page": self.page(&title, &path, &format!("{}地域の医療的ケア児の支援資源の不足状況", r.name)),
                    "breadcrumbs": [
                        {"label": "ホーム", "url": self.root},
                        {"label": "地域ごとの不足状況", "url": self.url("gaps/")},
                    ],
                    "region": self.region_gap(r, &title, report),
            });
            jobs.push(PageJob::new(
                "gaps_region.html",
                paths::file(&path),
                move || view.clone(),
            ));
        }
        let files = vec![
            (
                GAPS_CSV.to_owned(),
                crate::gaps::format::to_csv(report).into_bytes(),
            ),
            (
                GAPS_JSON.to_owned(),
                crate::gaps::format::to_json(report).into_bytes(),
            ),
        ];
        (jobs, files)
    }

    fn region_gap(&self, r: &RegionGap, title: &str, report: &GapReport) -> Value {
        let kinds: Vec<Value> = std::iter::once(&r.overall)
            .chain(&r.categories)
            .map(|k| {
                json!({
                    "category": k.kind.id(),
                    "label": k.kind.to_string(),
                    "status": k.status().to_string(),
                    "status_id": k.status().id(),
                    "providers": k.providers,
                    "capacity": k.capacity,
                    "capacity_listed": k.capacity_listed,
                    "per_100": k.per_100.to_string(),
                    "coverage": percent_or_dash(k.care_coverage),
                    "stale": k.stale,
                    "stale_share": percent_or_dash(k.stale_share),
                    "services": k.services.iter().map(|s| json!({"label": s.label, "providers": s.providers, "share": percent_or_dash(s.share)})).collect::<Vec<_>>(),
                    "reasons": k.reasons,
                    "far": k.far_municipalities.iter().map(|f| json!({"name": f.name, "km": distance(f.km)})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let care_rows: Vec<Value> = r
            .overall
            .care
            .iter()
            .map(|c| json!({"label": c.label, "providers": c.providers, "children": c.children.to_string(), "children_has_data": c.children != Figure::NoData, "uncovered": c.uncovered}))
            .collect();
        let access_rows: Vec<Value> = r
            .access
            .iter()
            .map(|m| json!({"name": m.name, "located": m.located, "cells": m.nearest.iter().map(|n| json!({"km": distance(n.km), "far": n.far})).collect::<Vec<_>>()}))
            .collect();
        let unlocated: Vec<&str> = r
            .access
            .iter()
            .filter(|m| !m.located)
            .map(|m| m.name.as_str())
            .collect();
        json!({
            "id": r.id,
            "name": r.name,
            "title": title,
            "children": r.children.to_string(),
            "children_has_data": r.children != Figure::NoData,
            "as_of": r.as_of,
            "source": r.source,
            "status": r.overall.status().to_string(),
            "status_id": r.overall.status().id(),
            "kinds": kinds,
            "uncovered_care": r.uncovered_care,
            "care_rows": care_rows,
            "access_rows": access_rows,
            "unlocated": unlocated,
            "counts": self.site.config.region(&r.id).map(|region| self.municipality_counts(region)),
            "categories": report.categories,
            "max_distance_km": report.rules.max_distance_km,
            "charts": {
                "per_100": per_100_chart(r, report),
                "care": care_chart(r),
                "services": services_chart(&r.overall),
            },
        })
    }
}

fn cell(k: &KindGap) -> Value {
    json!({
        "label": k.kind.to_string(),
        "status": k.status().to_string(),
        "status_id": k.status().id(),
        "providers": k.providers,
        "per_100": k.per_100.to_string(),
        "per_100_has_data": k.per_100 != Figure::NoData,
    })
}

/// Providers per 100 children by kind, with the two thresholds; `None` when the children figure is
/// hidden or missing (the page then says why instead of drawing bars).
fn per_100_chart(r: &RegionGap, report: &GapReport) -> Option<String> {
    let bars: Vec<Bar> = r
        .categories
        .iter()
        .map(|k| match k.per_100 {
            Figure::Ratio(v) => Some(Bar {
                label: k.kind.to_string(),
                value: v,
                text: format!("{} か所（{}）", k.per_100, k.status()),
                alert: k.status() == Status::Shortage,
            }),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let rules = &report.rules;
    Some(bar_chart(
        &format!("chart-per100-{}", r.id),
        &format!("{}地域：子ども100人あたりの掲載数", r.name),
        &format!(
            "種類ごとの、医療的ケア児100人あたりの掲載事業所数。破線は「不足」の基準 {} と「要注意」の基準 {}。",
            rules.shortage_per_100, rules.caution_per_100
        ),
        &bars,
        &[
            Marker {
                value: rules.shortage_per_100,
                label: format!("不足 {}", rules.shortage_per_100),
            },
            Marker {
                value: rules.caution_per_100,
                label: format!("要注意 {}", rules.caution_per_100),
            },
        ],
    ))
}

/// Providers (all kinds) accepting each care item; items needed here with none are marked.
fn care_chart(r: &RegionGap) -> String {
    let bars: Vec<Bar> = r
        .overall
        .care
        .iter()
        .map(|c| Bar {
            label: c.label.clone(),
            value: c.providers as f64,
            text: if c.uncovered {
                "0 か所（受け入れ先なし）".to_owned()
            } else {
                format!("{} か所", c.providers)
            },
            alert: c.uncovered,
        })
        .collect();
    bar_chart(
        &format!("chart-care-{}", r.id),
        &format!("{}地域：医療的ケアごとの受け入れ先の数", r.name),
        "医療的ケアの項目ごとに、受け入れると掲載している事業所の数（すべての種類）。赤い太字は、地域に必要としている子どもがいるのに受け入れ先がない項目。",
        &bars,
        &[],
    )
}

/// Share of providers offering each bottleneck service.
fn services_chart(k: &KindGap) -> String {
    let bars: Vec<Bar> = k
        .services
        .iter()
        .map(|s| Bar {
            label: s.label.clone(),
            value: s.share.unwrap_or(0.0) * 100.0,
            text: format!("{}（{} か所）", percent_or_dash(s.share), s.providers),
            alert: false,
        })
        .collect();
    bar_chart(
        &format!("chart-services-{}", k.kind.id()),
        "送迎・入浴・土日祝・夕方・宿泊に対応する事業所の割合",
        "家族が困りごととして挙げることの多いサービスについて、対応すると掲載している事業所の割合（すべての種類）。",
        &bars,
        &[],
    )
}
