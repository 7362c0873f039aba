//! Supply against demand, per region and kind of service: the figures behind the gap pages, the
//! CSV/JSON files and `tsunagu gaps`. Pure functions over the site model; every output format is
//! produced from one [`GapReport`], so they cannot disagree.
//!
//! Privacy: demand counts below `min_count` are never published (the `privacy` module).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, GapRules};
use crate::entry::{Entry, FLAGS};
use crate::geo::{Point, nearest_km};
use crate::site::Site;

pub mod format;
mod privacy;

/// A published figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Count(u32),
    /// Providers per 100 children, rounded to one decimal when shown.
    Ratio(f64),
    /// Hidden for privacy; shown as `<min_count`.
    Suppressed(u32),
    /// No demand figure for the region.
    NoData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Sufficient,
    Caution,
    Shortage,
}

impl Status {
    /// A stable ASCII id, for CSS classes and tools.
    pub fn id(self) -> &'static str {
        match self {
            Status::Sufficient => "ok",
            Status::Caution => "caution",
            Status::Shortage => "shortage",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GapReport {
    pub rules: GapRules,
    pub min_count: u32,
    /// Children over the regions that report demand (suppressed when small).
    pub prefecture_children: Figure,
    pub categories: Vec<Label>,
    pub regions: Vec<RegionGap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionGap {
    pub id: String,
    pub name: String,
    pub children: Figure,
    pub as_of: Option<String>,
    pub source: Option<String>,
    /// All kinds together.
    pub overall: KindGap,
    pub categories: Vec<KindGap>,
    /// Care items children in the region need that no provider of any kind there accepts.
    pub uncovered_care: Vec<Label>,
    pub access: Vec<MunicipalityAccess>,
}

/// The figures of one kind of service (or all kinds) in one region.
#[derive(Debug, Clone, Serialize)]
pub struct KindGap {
    /// A category id, or `all`.
    pub category: String,
    pub label: String,
    pub providers: usize,
    /// Sum of the capacities that listings give, and how many listings give one.
    pub capacity: u32,
    pub capacity_listed: usize,
    pub per_100: Figure,
    /// Share of the region's needed care items that some provider of this kind accepts.
    pub care_coverage: Option<f64>,
    pub care: Vec<CareGap>,
    pub services: Vec<FlagShare>,
    pub stale: usize,
    pub stale_share: Option<f64>,
    /// Municipalities whose nearest provider of this kind (anywhere) is beyond `max_distance_km`.
    pub far_municipalities: Vec<FarMunicipality>,
    pub status: Status,
    pub status_id: &'static str,
    /// Why the status is what it is, in plain Japanese.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CareGap {
    pub id: String,
    pub label: String,
    pub providers: usize,
    pub children: Figure,
    /// Children need it here and no provider of this kind accepts it.
    pub uncovered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlagShare {
    pub id: String,
    pub label: String,
    pub providers: usize,
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FarMunicipality {
    pub name: String,
    /// `None` when no provider of the kind exists anywhere.
    pub km: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MunicipalityAccess {
    pub code: String,
    pub name: String,
    /// Nearest provider per kind, in km (one decimal), `None` when there is none.
    pub nearest: Vec<Nearest>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Nearest {
    pub category: String,
    pub km: Option<f64>,
    pub far: bool,
}

/// The flags whose share the gap pages show (the bottlenecks families name).
const BOTTLENECKS: [&str; 5] = ["transport", "bathing", "weekend", "evening", "overnight"];

/// Where a provider is: its own coordinates, or its municipality's.
fn location(config: &Config, e: &Entry) -> Option<(f64, f64)> {
    match (e.lat, e.lon) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => config.municipality(&e.municipality).map(|m| (m.lat, m.lon)),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Computes the whole report from the site model.
pub fn compute(site: &Site) -> GapReport {
    let config = &site.config;
    let rules = config.site.gaps;
    let min_count = config.site.min_count;

    let demand: Vec<Option<&crate::config::Demand>> = config
        .regions
        .iter()
        .map(|r| config.demand.iter().find(|d| d.region == r.id))
        .collect();
    let children_raw: Vec<Option<u32>> = demand.iter().map(|d| d.map(|d| d.children)).collect();
    let children_shown = privacy::suppress(&children_raw, min_count);

    // Nearest provider of each kind (and of any kind) for every municipality, computed once.
    let kinds: Vec<Option<&str>> = std::iter::once(None)
        .chain(config.categories.iter().map(|c| Some(c.id.as_str())))
        .collect();
    let points: Vec<Vec<(f64, f64)>> = kinds
        .iter()
        .map(|kind| {
            site.entries
                .iter()
                .filter(|e| kind.is_none_or(|k| e.category == k))
                .filter_map(|e| location(config, e))
                .collect()
        })
        .collect();
    let municipalities: Vec<&crate::config::Municipality> = config.municipalities().collect();
    let prepared: Vec<Vec<Point>> = points
        .iter()
        .map(|pts| pts.iter().map(|p| Point::new(*p)).collect())
        .collect();
    let nearest: Vec<Vec<Option<f64>>> = municipalities
        .par_iter()
        .map(|m| {
            let from = Point::new((m.lat, m.lon));
            prepared.iter().map(|pts| nearest_km(&from, pts)).collect()
        })
        .collect();

    let regions = config
        .regions
        .iter()
        .enumerate()
        .map(|(ri, region)| {
            let entries = site.in_region(&region.id);
            let d = demand[ri];
            let ctx = RegionCtx {
                site,
                rules,
                min_count,
                children: children_raw[ri],
                children_shown: children_shown[ri],
                care_demand: d.map(|d| &d.care),
                far: municipalities
                    .iter()
                    .zip(&nearest)
                    .filter(|(m, _)| m.region == region.id)
                    .map(|(m, n)| (m.name.as_str(), n.as_slice()))
                    .collect(),
            };
            let overall = ctx.kind(&entries, None, 0);
            let categories = config
                .categories
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let of_kind: Vec<&Entry> = entries
                        .iter()
                        .copied()
                        .filter(|e| e.category == c.id)
                        .collect();
                    ctx.kind(&of_kind, Some((&c.id, &c.label)), ci + 1)
                })
                .collect();
            let uncovered_care = overall
                .care
                .iter()
                .filter(|c| c.uncovered)
                .map(|c| Label {
                    id: c.id.clone(),
                    label: c.label.clone(),
                })
                .collect();
            let access = municipalities
                .iter()
                .zip(&nearest)
                .filter(|(m, _)| m.region == region.id)
                .map(|(m, n)| MunicipalityAccess {
                    code: m.code.clone(),
                    name: m.name.clone(),
                    nearest: kinds
                        .iter()
                        .zip(n)
                        .skip(1)
                        .map(|(k, km)| Nearest {
                            category: k.unwrap_or("all").to_owned(),
                            km: km.map(round1),
                            far: km.is_none_or(|km| km > rules.max_distance_km),
                        })
                        .collect(),
                })
                .collect();
            RegionGap {
                id: region.id.clone(),
                name: region.name.clone(),
                children: children_shown[ri],
                as_of: d.map(|d| d.as_of.to_string()),
                source: d.map(|d| d.source.clone()),
                overall,
                categories,
                uncovered_care,
                access,
            }
        })
        .collect();

    GapReport {
        rules,
        min_count,
        prefecture_children: privacy::total(&children_raw, min_count),
        categories: config
            .categories
            .iter()
            .map(|c| Label {
                id: c.id.clone(),
                label: c.label.clone(),
            })
            .collect(),
        regions,
    }
}

struct RegionCtx<'a> {
    site: &'a Site,
    rules: GapRules,
    min_count: u32,
    children: Option<u32>,
    children_shown: Figure,
    care_demand: Option<&'a BTreeMap<String, u32>>,
    /// Municipalities of the region with their nearest distances per kind (index 0: any kind).
    far: Vec<(&'a str, &'a [Option<f64>])>,
}

impl RegionCtx<'_> {
    fn kind(
        &self,
        entries: &[&Entry],
        category: Option<(&str, &str)>,
        kind_index: usize,
    ) -> KindGap {
        let config = &self.site.config;
        let rules = self.rules;
        let providers = entries.len();
        let per_100_raw = self
            .children
            .filter(|&c| c > 0)
            .map(|c| providers as f64 * 100.0 / f64::from(c));
        let per_100 = privacy::ratio(self.children_shown, per_100_raw);

        let care: Vec<CareGap> = config
            .care_items
            .iter()
            .map(|item| {
                let accepting = entries.iter().filter(|e| e.care.contains(&item.id)).count();
                let needed = self
                    .care_demand
                    .map(|c| c.get(&item.id).copied().unwrap_or(0));
                CareGap {
                    id: item.id.clone(),
                    label: item.label.clone(),
                    providers: accepting,
                    children: privacy::count(needed, self.min_count),
                    uncovered: needed.is_some_and(|n| n > 0) && accepting == 0,
                }
            })
            .collect();
        let needed: Vec<&CareGap> = care
            .iter()
            .filter(|c| {
                self.care_demand
                    .is_some_and(|d| d.get(&c.id).is_some_and(|&n| n > 0))
            })
            .collect();
        let care_coverage = share(needed.iter().filter(|c| !c.uncovered).count(), needed.len());

        let services = BOTTLENECKS
            .iter()
            .map(|id| {
                let label = FLAGS.iter().find(|(f, _)| f == id).map_or(*id, |(_, l)| *l);
                let n = entries
                    .iter()
                    .filter(|e| e.flags.get(id) == Some(true))
                    .count();
                FlagShare {
                    id: (*id).to_owned(),
                    label: label.to_owned(),
                    providers: n,
                    share: share(n, providers),
                }
            })
            .collect();
        let stale = entries
            .iter()
            .filter(|e| e.is_stale(self.site.today))
            .count();
        let stale_share = share(stale, providers);
        let far_municipalities: Vec<FarMunicipality> = self
            .far
            .iter()
            .filter_map(|(name, dists)| {
                let km = dists[kind_index];
                km.is_none_or(|km| km > rules.max_distance_km)
                    .then(|| FarMunicipality {
                        name: (*name).to_owned(),
                        km: km.map(round1),
                    })
            })
            .collect();

        let mut reasons: Vec<(Status, String)> = Vec::new();
        if providers == 0 {
            reasons.push((Status::Shortage, "この地域に掲載がありません".to_owned()));
        }
        if let Some(r) = per_100_raw.filter(|_| providers > 0) {
            let shown = match per_100 {
                Figure::Ratio(_) => format!("（{per_100}か所）"),
                _ => String::new(),
            };
            if r < rules.shortage_per_100 {
                reasons.push((
                    Status::Shortage,
                    format!(
                        "子ども100人あたりの掲載数{shown}が {} 未満です",
                        rules.shortage_per_100
                    ),
                ));
            } else if r < rules.caution_per_100 {
                reasons.push((
                    Status::Caution,
                    format!(
                        "子ども100人あたりの掲載数{shown}が {} 未満です",
                        rules.caution_per_100
                    ),
                ));
            }
        }
        let uncovered: Vec<&str> = needed
            .iter()
            .filter(|c| c.uncovered)
            .map(|c| c.label.as_str())
            .collect();
        if category.is_none() && !uncovered.is_empty() {
            reasons.push((
                Status::Shortage,
                format!("地域の子どもが必要としている医療的ケアに、受け入れ先が1か所もない項目があります（{}）", uncovered.join("、")),
            ));
        } else if let (Some(cov), true) = (care_coverage, providers > 0) {
            let text = format!(
                "必要とされている医療的ケアのうち受け入れ先があるのは {}（受け入れ先なし: {}）",
                format::percent(cov),
                uncovered.join("、")
            );
            if cov < rules.coverage_shortage {
                reasons.push((Status::Shortage, text));
            } else if cov < rules.coverage_caution {
                reasons.push((Status::Caution, text));
            }
        }
        if !far_municipalities.is_empty() {
            let names: Vec<&str> = far_municipalities.iter().map(|f| f.name.as_str()).collect();
            reasons.push((
                Status::Caution,
                format!(
                    "最寄りの掲載先まで {} km を超える市町村があります（{}）",
                    rules.max_distance_km,
                    names.join("、")
                ),
            ));
        }
        if let Some(s) = stale_share.filter(|s| *s >= rules.stale_share) {
            reasons.push((
                Status::Caution,
                format!("掲載の {} が1年以上確認されていません", format::percent(s)),
            ));
        }
        let status = reasons
            .iter()
            .map(|(s, _)| *s)
            .max()
            .unwrap_or(Status::Sufficient);

        let (id, label) = category.unwrap_or(("all", "すべて"));
        KindGap {
            category: id.to_owned(),
            label: label.to_owned(),
            providers,
            capacity: entries.iter().filter_map(|e| e.capacity).sum(),
            capacity_listed: entries.iter().filter(|e| e.capacity.is_some()).count(),
            per_100,
            care_coverage,
            care,
            services,
            stale,
            stale_share,
            far_municipalities,
            status,
            status_id: status.id(),
            reasons: reasons.into_iter().map(|(_, r)| r).collect(),
        }
    }
}

#[cfg(test)]
mod compute_tests {
    use super::*;
    use crate::config::{Demand, Municipality, Region};
    use crate::date::Date;
    use crate::entry::{Entry, Flags};

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 21,
    };

    fn muni(code: &str, name: &str, lat: f64, lon: f64, region: &str) -> Municipality {
        Municipality {
            code: code.into(),
            name: name.into(),
            lat,
            lon,
            region: region.into(),
        }
    }

    fn entry(id: &str, category: &str, muni: &str, region: &str, care: &[&str]) -> Entry {
        Entry {
            id: id.into(),
            path: format!("content/entries/{id}.md"),
            name: id.into(),
            kana: None,
            category: category.into(),
            services: Vec::new(),
            municipality: muni.into(),
            region: region.into(),
            address: "x".into(),
            postal_code: None,
            lat: None,
            lon: None,
            phone: Some("059-000-0000".into()),
            fax: None,
            email: None,
            url: None,
            operator: None,
            care: care.iter().map(|c| (*c).to_owned()).collect(),
            ages: None,
            capacity: Some(5),
            flags: Flags {
                transport: Some(true),
                ..Flags::default()
            },
            hours: None,
            verified: Date {
                year: 2026,
                month: 6,
                day: 1,
            },
            source: None,
            draft: false,
            description: String::new(),
        }
    }

    /// Two regions 100 km apart: "north" with demand and providers, "south" with neither.
    fn site(entries: Vec<Entry>, north_children: u32, care: &[(&str, u32)]) -> Site {
        let mut config = crate::config::test_config(vec![
            Region {
                id: "north".into(),
                name: "北".into(),
                municipalities: vec![muni("24201", "北市", 35.0, 136.5, "north")],
            },
            Region {
                id: "south".into(),
                name: "南".into(),
                municipalities: vec![muni("24202", "南町", 34.1, 136.5, "south")],
            },
        ]);
        config.demand = vec![Demand {
            region: "north".into(),
            as_of: Date {
                year: 2025,
                month: 4,
                day: 1,
            },
            source: "test".into(),
            children: north_children,
            care: care.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        }];
        Site::new(config, entries, TODAY)
    }

    fn kind<'a>(r: &'a GapReport, region: &str, category: &str) -> &'a KindGap {
        let region = r.regions.iter().find(|g| g.id == region).unwrap();
        std::iter::once(&region.overall)
            .chain(&region.categories)
            .find(|k| k.category == category)
            .unwrap()
    }

    #[test]
    fn statuses_follow_the_rules() {
        let entries = (0..4)
            .map(|i| entry(&format!("f{i}"), "facility", "24201", "north", &["suction"]))
            .collect();
        let r = compute(&site(entries, 20, &[("suction", 10), ("ventilator", 4)]));
        let facility = kind(&r, "north", "facility");
        assert_eq!(facility.providers, 4);
        assert_eq!(facility.per_100, Figure::Ratio(20.0));
        assert_eq!(facility.care_coverage, Some(0.5));
        assert_eq!(facility.status, Status::Shortage, "{:?}", facility.reasons);
        assert!(
            facility.reasons.iter().any(|r| r.contains("人工呼吸器")),
            "{:?}",
            facility.reasons
        );
        let short_stay = kind(&r, "north", "short-stay");
        assert_eq!(short_stay.status, Status::Shortage);
        assert!(short_stay.reasons[0].contains("掲載がありません"));
        // Ventilator is needed and nobody accepts it: the strongest signal, on the overall column.
        let all = kind(&r, "north", "all");
        assert_eq!(all.status, Status::Shortage);
        assert_eq!(r.regions[0].uncovered_care.len(), 1);
        assert_eq!(r.regions[0].uncovered_care[0].id, "ventilator");
        assert_eq!(all.services[0].share, Some(1.0));
    }

    #[test]
    fn sufficient_when_nothing_is_wrong_and_distance_counts_elsewhere() {
        let entries = (0..5)
            .map(|i| {
                entry(
                    &format!("v{i}"),
                    "visiting-nurse",
                    "24201",
                    "north",
                    &["suction"],
                )
            })
            .collect();
        let r = compute(&site(entries, 20, &[("suction", 10)]));
        let north = kind(&r, "north", "visiting-nurse");
        assert_eq!(north.status, Status::Sufficient, "{:?}", north.reasons);
        assert!(north.reasons.is_empty());
        assert_eq!(r.regions[0].access[0].nearest[2].km, Some(0.0));
        // South has none of its own; its nearest is in the north, 100 km away.
        let south = kind(&r, "south", "visiting-nurse");
        assert_eq!(south.status, Status::Shortage);
        assert_eq!(south.far_municipalities.len(), 1);
        assert_eq!(south.far_municipalities[0].name, "南町");
        assert!(south.far_municipalities[0].km.unwrap() > 90.0);
        assert!(r.regions[1].access[0].nearest[2].far);
    }

    #[test]
    fn no_demand_row_says_no_data_and_small_counts_hide_derived_figures() {
        let entries = vec![
            entry("a", "facility", "24202", "south", &[]),
            entry("b", "facility", "24201", "north", &[]),
        ];
        let r = compute(&site(entries, 2, &[("suction", 1)]));
        let south = kind(&r, "south", "facility");
        assert_eq!(south.per_100, Figure::NoData);
        assert_eq!(r.regions[1].children, Figure::NoData);
        // 2 children: hidden, and so is anything that would reveal it.
        let north = kind(&r, "north", "facility");
        assert_eq!(r.regions[0].children, Figure::Suppressed(3));
        assert_eq!(north.per_100, Figure::Suppressed(3));
        assert_eq!(r.prefecture_children, Figure::Suppressed(3));
        let suction = north.care.iter().find(|c| c.id == "suction").unwrap();
        assert_eq!(suction.children, Figure::Suppressed(3));
        assert!(
            !north.reasons.iter().any(|r| r.contains("か所）")),
            "{:?}",
            north.reasons
        );
        let csv = format::to_csv(&r);
        assert!(!csv.contains(",2,") && csv.contains("<3"), "{csv}");
    }

    #[test]
    fn stale_listings_raise_caution() {
        let mut entries: Vec<Entry> = (0..4)
            .map(|i| entry(&format!("s{i}"), "school", "24201", "north", &[]))
            .collect();
        for e in entries.iter_mut().take(2) {
            e.verified = Date {
                year: 2024,
                month: 1,
                day: 1,
            };
        }
        let r = compute(&site(entries, 20, &[]));
        let school = kind(&r, "north", "school");
        assert_eq!(school.stale, 2);
        assert_eq!(school.stale_share, Some(0.5));
        assert!(
            school
                .reasons
                .iter()
                .any(|r| r.contains("1年以上確認されていません"))
        );
    }
}
