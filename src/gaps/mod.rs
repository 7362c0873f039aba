//! Supply against demand, per region and kind of service: the figures behind the gap pages, the
//! CSV/JSON files and `tsunagu gaps`. [`compute`] gives them as typed data, one [`GapReport`], and
//! [`format`] words that one report for every output, so no two outputs can disagree.
//!
//! Privacy: demand counts below `min_count` are never published (the `privacy` module).

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Demand, GapRules, Municipality, Region};
use crate::date::Date;
use crate::entry::Entry;
use crate::fields;
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

/// Ordered from best to worst, so that the worst reason decides.
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

impl Label {
    fn new(id: &str, label: &str) -> Label {
        Label {
            id: id.to_owned(),
            label: label.to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionGap {
    pub id: String,
    pub name: String,
    pub children: Figure,
    pub as_of: Option<Date>,
    pub source: Option<String>,
    /// All kinds together.
    pub overall: KindGap,
    pub categories: Vec<KindGap>,
    /// Care items children in the region need that no provider of any kind there accepts.
    pub uncovered_care: Vec<Label>,
    pub access: Vec<MunicipalityAccess>,
}

/// Which providers a [`KindGap`] counts.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Every kind together.
    All,
    Category(Label),
}

impl Kind {
    /// The category id, or `all`.
    pub fn id(&self) -> &str {
        match self {
            Kind::All => "all",
            Kind::Category(c) => &c.id,
        }
    }
}

/// The figures of one kind of service (or all kinds) in one region.
#[derive(Debug, Clone)]
pub struct KindGap {
    pub kind: Kind,
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
    /// Why the status is not 充足; empty when it is.
    pub reasons: Vec<Reason>,
}

impl KindGap {
    /// The worst status the reasons call for.
    pub fn status(&self) -> Status {
        self.reasons
            .iter()
            .map(|r| r.status)
            .max()
            .unwrap_or(Status::Sufficient)
    }
}

/// One reason for a status: what was found, with the figures it is worded from.
#[derive(Debug, Clone)]
pub struct Reason {
    pub status: Status,
    pub finding: Finding,
}

#[derive(Debug, Clone)]
pub enum Finding {
    /// The region lists no provider of the kind.
    NoProviders,
    /// Providers per 100 children are below `threshold`; `per_100` as published (maybe hidden).
    FewProviders { per_100: Figure, threshold: f64 },
    /// Care items children here need that no provider of any kind accepts (overall only).
    CareWithoutProvider { items: Vec<String> },
    /// The share of the needed care items some provider of the kind accepts, and those none does.
    LowCareCoverage {
        coverage: f64,
        uncovered: Vec<String>,
    },
    /// Municipalities whose nearest provider is farther than `max_km`.
    FarMunicipalities { max_km: f64, names: Vec<String> },
    /// The share of listings not verified for over a year.
    Stale { share: f64 },
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
    /// The municipality has a point (its own or its listings'); without one no distance is
    /// computed, and the gap page names it.
    pub located: bool,
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

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Computes the whole report from the site model.
pub fn compute(site: &Site) -> GapReport {
    let config = &site.config;
    let min_count = config.site.min_count;
    let demand: Vec<Option<&Demand>> = config
        .regions
        .iter()
        .map(|r| config.demand.iter().find(|d| d.region == r.id))
        .collect();
    let children: Vec<Option<u32>> = demand.iter().map(|d| d.map(|d| d.children)).collect();
    let children_shown = privacy::suppress(&children, min_count);
    let municipalities: Vec<&Municipality> = config.municipalities().collect();
    let nearest = nearest_providers(site, &municipalities);
    let regions = config
        .regions
        .iter()
        .enumerate()
        .map(|(ri, region)| {
            let ctx = RegionCtx {
                site,
                rules: config.site.gaps,
                min_count,
                demand: demand[ri],
                children_shown: children_shown[ri],
                municipalities: municipalities
                    .iter()
                    .zip(&nearest)
                    .filter(|(m, _)| m.region == region.id)
                    .map(|(m, n)| (*m, n.as_slice()))
                    .collect(),
            };
            ctx.region(region)
        })
        .collect();
    GapReport {
        rules: config.site.gaps,
        min_count,
        prefecture_children: privacy::total(&children, min_count),
        categories: config
            .categories
            .iter()
            .map(|c| Label::new(&c.id, &c.label))
            .collect(),
        regions,
    }
}

/// Distances in km from every municipality to the nearest provider of any kind (index 0) and of
/// each category (index i + 1), wherever it is: computed once, as regions look past their borders.
/// Empty for a municipality without a point.
fn nearest_providers(site: &Site, municipalities: &[&Municipality]) -> Vec<Vec<Option<f64>>> {
    let config = &site.config;
    let kinds = std::iter::once(None).chain(config.categories.iter().map(|c| Some(c.id.as_str())));
    let points: Vec<Vec<Point>> = kinds
        .map(|kind| {
            site.entries
                .iter()
                .filter(|e| kind.is_none_or(|k| e.category == k))
                .filter_map(|e| site.location(e))
                .map(Point::new)
                .collect()
        })
        .collect();
    municipalities
        .par_iter()
        .map(|m| match site.point(&m.code) {
            Some(p) => {
                let from = Point::new(p);
                points.iter().map(|pts| nearest_km(&from, pts)).collect()
            }
            None => Vec::new(),
        })
        .collect()
}

/// What the figures of one region are computed from.
struct RegionCtx<'a> {
    site: &'a Site,
    rules: GapRules,
    min_count: u32,
    demand: Option<&'a Demand>,
    children_shown: Figure,
    /// The region's municipalities with their nearest distances, indexed as [`nearest_providers`].
    municipalities: Vec<(&'a Municipality, &'a [Option<f64>])>,
}

impl RegionCtx<'_> {
    fn region(&self, region: &Region) -> RegionGap {
        let entries = self.site.in_region(&region.id);
        let overall = self.kind(&entries, Kind::All, 0);
        let categories = self
            .site
            .config
            .categories
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let of_kind: Vec<&Entry> = entries
                    .iter()
                    .copied()
                    .filter(|e| e.category == c.id)
                    .collect();
                self.kind(
                    &of_kind,
                    Kind::Category(Label::new(&c.id, &c.label)),
                    ci + 1,
                )
            })
            .collect();
        let uncovered_care = overall
            .care
            .iter()
            .filter(|c| c.uncovered)
            .map(|c| Label::new(&c.id, &c.label))
            .collect();
        RegionGap {
            id: region.id.clone(),
            name: region.name.clone(),
            children: self.children_shown,
            as_of: self.demand.map(|d| d.as_of),
            source: self.demand.map(|d| d.source.clone()),
            overall,
            categories,
            uncovered_care,
            access: self.access(),
        }
    }

    /// The nearest provider of each category from each municipality of the region.
    fn access(&self) -> Vec<MunicipalityAccess> {
        let categories = &self.site.config.categories;
        self.municipalities
            .iter()
            .map(|(m, dists)| MunicipalityAccess {
                code: m.code.clone(),
                name: m.name.clone(),
                located: !dists.is_empty(),
                nearest: categories
                    .iter()
                    .enumerate()
                    .map(|(ci, c)| {
                        let km = dists.get(ci + 1).copied().flatten();
                        Nearest {
                            category: c.id.clone(),
                            km: km.map(round1),
                            far: !dists.is_empty() && self.is_far(km),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// Whether the nearest provider is beyond `max_distance_km` (or there is none).
    fn is_far(&self, km: Option<f64>) -> bool {
        km.is_none_or(|km| km > self.rules.max_distance_km)
    }

    /// The figures of the given providers of one kind; `kind_index` as in [`nearest_providers`].
    fn kind(&self, entries: &[&Entry], kind: Kind, kind_index: usize) -> KindGap {
        let providers = entries.len();
        let per_100_raw = self
            .demand
            .map(|d| d.children)
            .filter(|&c| c > 0)
            .map(|c| providers as f64 * 100.0 / f64::from(c));
        let care = self.care(entries);
        let stale = entries
            .iter()
            .filter(|e| e.is_stale(self.site.today))
            .count();
        let mut gap = KindGap {
            kind,
            providers,
            capacity: entries.iter().filter_map(|e| e.capacity).sum(),
            capacity_listed: entries.iter().filter(|e| e.capacity.is_some()).count(),
            per_100: privacy::ratio(self.children_shown, per_100_raw),
            care_coverage: self.care_coverage(&care),
            care,
            services: services(entries),
            stale,
            stale_share: share(stale, providers),
            far_municipalities: self.far_municipalities(kind_index),
            reasons: Vec::new(),
        };
        gap.reasons = reasons(&self.rules, &gap, per_100_raw);
        gap
    }

    /// Per care item, the providers accepting it and the children needing it (hidden when few).
    fn care(&self, entries: &[&Entry]) -> Vec<CareGap> {
        self.site
            .config
            .care_items
            .iter()
            .map(|item| {
                let accepting = entries.iter().filter(|e| e.care.contains(&item.id)).count();
                let needed = self
                    .demand
                    .map(|d| d.care.get(&item.id).copied().unwrap_or(0));
                CareGap {
                    id: item.id.clone(),
                    label: item.label.clone(),
                    providers: accepting,
                    children: privacy::count(needed, self.min_count),
                    uncovered: self.needs(&item.id) && accepting == 0,
                }
            })
            .collect()
    }

    /// Whether children in the region need the care item.
    fn needs(&self, item: &str) -> bool {
        self.demand
            .is_some_and(|d| d.care.get(item).is_some_and(|&n| n > 0))
    }

    /// The share of the care items needed here that some of the providers accept.
    fn care_coverage(&self, care: &[CareGap]) -> Option<f64> {
        let needed: Vec<&CareGap> = care.iter().filter(|c| self.needs(&c.id)).collect();
        share(needed.iter().filter(|c| !c.uncovered).count(), needed.len())
    }

    /// The region's municipalities too far from the nearest provider of the kind.
    fn far_municipalities(&self, kind_index: usize) -> Vec<FarMunicipality> {
        self.municipalities
            .iter()
            .filter(|(_, dists)| !dists.is_empty())
            .filter_map(|(m, dists)| {
                let km = dists[kind_index];
                self.is_far(km).then(|| FarMunicipality {
                    name: m.name.clone(),
                    km: km.map(round1),
                })
            })
            .collect()
    }
}

/// How many of the providers offer each of the [`BOTTLENECKS`], and what share they are.
fn services(entries: &[&Entry]) -> Vec<FlagShare> {
    BOTTLENECKS
        .iter()
        .map(|id| {
            let label = fields::get(id).map_or(*id, |f| f.label);
            let n = entries
                .iter()
                .filter(|e| e.flags.get(id) == Some(true))
                .count();
            FlagShare {
                id: (*id).to_owned(),
                label: label.to_owned(),
                providers: n,
                share: share(n, entries.len()),
            }
        })
        .collect()
}

/// The reasons a kind's figures give against the rules. `per_100_raw` is the ratio before privacy
/// hides it: the status is judged on the real figure, only its wording leaves the number out.
fn reasons(rules: &GapRules, k: &KindGap, per_100_raw: Option<f64>) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let mut found = |status, finding| reasons.push(Reason { status, finding });
    if k.providers == 0 {
        found(Status::Shortage, Finding::NoProviders);
    }
    if let Some(r) = per_100_raw.filter(|_| k.providers > 0)
        && let Some((status, threshold)) = below(r, rules.shortage_per_100, rules.caution_per_100)
    {
        let per_100 = k.per_100;
        found(status, Finding::FewProviders { per_100, threshold });
    }
    let uncovered: Vec<String> = k
        .care
        .iter()
        .filter(|c| c.uncovered)
        .map(|c| c.label.clone())
        .collect();
    if matches!(k.kind, Kind::All) && !uncovered.is_empty() {
        found(
            Status::Shortage,
            Finding::CareWithoutProvider { items: uncovered },
        );
    } else if let (Some(coverage), true) = (k.care_coverage, k.providers > 0)
        && let Some((status, _)) = below(coverage, rules.coverage_shortage, rules.coverage_caution)
    {
        found(
            status,
            Finding::LowCareCoverage {
                coverage,
                uncovered,
            },
        );
    }
    if !k.far_municipalities.is_empty() {
        let names = k
            .far_municipalities
            .iter()
            .map(|f| f.name.clone())
            .collect();
        let max_km = rules.max_distance_km;
        found(
            Status::Caution,
            Finding::FarMunicipalities { max_km, names },
        );
    }
    if let Some(share) = k.stale_share.filter(|s| *s >= rules.stale_share) {
        found(Status::Caution, Finding::Stale { share });
    }
    reasons
}

/// The status a figure calls for against its 不足 and 要注意 thresholds, and the threshold it is
/// below; `None` when it is below neither.
fn below(x: f64, shortage: f64, caution: f64) -> Option<(Status, f64)> {
    if x < shortage {
        Some((Status::Shortage, shortage))
    } else if x < caution {
        Some((Status::Caution, caution))
    } else {
        None
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
            reading: None,
            point: Some((lat, lon)),
            region: region.into(),
        }
    }

    fn entry(id: &str, category: &str, muni: &str, region: &str, care: &[&str]) -> Entry {
        Entry {
            category: category.into(),
            municipality: muni.into(),
            region: region.into(),
            care: care.iter().map(|c| (*c).to_owned()).collect(),
            capacity: Some(5),
            flags: {
                let mut flags = Flags::default();
                flags.set("transport", true);
                flags
            },
            ..crate::entry::test_entry(id)
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
            .find(|k| k.kind.id() == category)
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
        assert_eq!(
            facility.status(),
            Status::Shortage,
            "{:?}",
            facility.reasons
        );
        assert!(
            facility
                .reasons
                .iter()
                .any(|r| r.to_string().contains("人工呼吸器")),
            "{:?}",
            facility.reasons
        );
        let short_stay = kind(&r, "north", "short-stay");
        assert_eq!(short_stay.status(), Status::Shortage);
        assert!(
            short_stay.reasons[0]
                .to_string()
                .contains("掲載がありません")
        );
        // Ventilator is needed and nobody accepts it: the strongest signal, on the overall column.
        let all = kind(&r, "north", "all");
        assert_eq!(all.status(), Status::Shortage);
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
        assert_eq!(north.status(), Status::Sufficient, "{:?}", north.reasons);
        assert!(north.reasons.is_empty());
        assert_eq!(r.regions[0].access[0].nearest[2].km, Some(0.0));
        // South has none of its own; its nearest is in the north, 100 km away.
        let south = kind(&r, "south", "visiting-nurse");
        assert_eq!(south.status(), Status::Shortage);
        assert_eq!(south.far_municipalities.len(), 1);
        assert_eq!(south.far_municipalities[0].name, "南町");
        assert!(south.far_municipalities[0].km.unwrap() > 90.0);
        assert!(r.regions[1].access[0].nearest[2].far);
    }

    #[test]
    fn municipalities_without_points_use_their_listings_or_are_named() {
        let mut placed = entry("v0", "visiting-nurse", "24202", "south", &[]);
        (placed.lat, placed.lon) = (Some(34.2), Some(136.5));
        let mut s = site(
            vec![entry("v1", "visiting-nurse", "24201", "north", &[]), placed],
            20,
            &[],
        );
        for m in s
            .config
            .regions
            .iter_mut()
            .flat_map(|r| &mut r.municipalities)
        {
            m.point = None;
        }
        let s = Site::new(s.config, s.entries, TODAY);
        // 南町 is where its one located listing is; 北市 has no point at all.
        assert_eq!(s.point("24202"), Some((34.2, 136.5)));
        assert_eq!(s.point("24201"), None);
        let r = compute(&s);
        let (north, south) = (&r.regions[0].access[0], &r.regions[1].access[0]);
        assert!(!north.located && north.nearest.iter().all(|n| n.km.is_none() && !n.far));
        assert!(south.located);
        assert_eq!(south.nearest[2].km, Some(0.0));
        // Not "far": unknown. 北市's listing has no position either, so it counts nowhere.
        assert!(
            kind(&r, "north", "visiting-nurse")
                .far_municipalities
                .is_empty()
        );
        assert_eq!(kind(&r, "south", "facility").far_municipalities.len(), 1);
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
            !north
                .reasons
                .iter()
                .any(|r| r.to_string().contains("か所）")),
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
                .any(|r| r.to_string().contains("1年以上確認されていません"))
        );
    }
}
