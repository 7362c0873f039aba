//! Site configuration: `site.toml`, `regions.toml`, `demand.toml`, and the built-in categories and
//! care items that a site may relabel or extend.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::date::Date;
use crate::diag::{Diagnostics, Severity, SourceText, toml_message_ja, whole_file};
use crate::load::read_text;

/// A kind of resource (facility, short-stay …) and the services an entry of it may list.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: String,
    pub label: String,
    pub description: String,
    pub services: Vec<String>,
}

/// One of the medical-care items a provider may accept.
#[derive(Debug, Clone, PartialEq)]
pub struct CareItem {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    /// Five-digit local government code.
    pub code: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// Id of the region it belongs to.
    pub region: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub municipalities: Vec<Municipality>,
}

/// Children needing care in one region, as a centre reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub region: String,
    pub as_of: Date,
    pub source: String,
    pub children: u32,
    /// Care-item id → children needing it.
    pub care: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    pub title: String,
    /// Absolute URL without a trailing slash, e.g. `https://example.org/tsunagu`.
    pub base_url: String,
    pub language: String,
    pub prefecture: String,
    pub repository: Option<String>,
    pub branch: String,
    pub license: String,
    pub theme: String,
    /// True when the listings are invented sample data; the pages then say so.
    pub sample: bool,
    pub min_count: u32,
    pub gaps: GapRules,
}

/// Thresholds of the gap statuses (不足 / 要注意 / 充足), from `[gaps]` in site.toml.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GapRules {
    /// Providers per 100 children below this: 不足.
    pub shortage_per_100: f64,
    /// Providers per 100 children below this: 要注意.
    pub caution_per_100: f64,
    /// Share of the region's needed care items accepted by some provider of the kind below this: 不足.
    pub coverage_shortage: f64,
    /// … below this: 要注意.
    pub coverage_caution: f64,
    /// A municipality whose nearest provider of a kind is farther than this (km): 要注意.
    pub max_distance_km: f64,
    /// Share of listings not verified for over a year at or above this: 要注意.
    pub stale_share: f64,
}

impl Default for GapRules {
    fn default() -> Self {
        GapRules {
            shortage_per_100: 5.0,
            caution_per_100: 10.0,
            coverage_shortage: 0.6,
            coverage_caution: 0.8,
            max_distance_km: 30.0,
            stale_share: 0.3,
        }
    }
}

impl SiteConfig {
    /// The path part of `base_url` with a trailing slash: `/` or `/tsunagu/`. Every URL in the
    /// pages starts with it, so the site works when hosted under a sub-path.
    pub fn root_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        format!("{}/", path.trim_end_matches('/'))
    }

    /// Replaces the base URL, e.g. with the local address while serving.
    pub fn with_base_url(mut self, base_url: &str) -> SiteConfig {
        self.base_url = base_url.trim_end_matches('/').to_owned();
        self
    }
}

/// Everything the site is configured with, resolved and checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub site: SiteConfig,
    pub categories: Vec<Category>,
    pub care_items: Vec<CareItem>,
    pub regions: Vec<Region>,
    pub demand: Vec<Demand>,
}

impl Config {
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// A care item by id or by its Japanese label.
    pub fn care_item(&self, id_or_label: &str) -> Option<&CareItem> {
        self.care_items
            .iter()
            .find(|c| c.id == id_or_label || c.label == id_or_label)
    }

    pub fn municipalities(&self) -> impl Iterator<Item = &Municipality> {
        self.regions.iter().flat_map(|r| r.municipalities.iter())
    }

    /// A municipality by five-digit code or by name.
    pub fn municipality(&self, code_or_name: &str) -> Option<&Municipality> {
        self.municipalities()
            .find(|m| m.code == code_or_name || m.name == code_or_name)
    }

    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }
}

/// The four kinds of resource the directory starts with (see shared/reference/domain.md).
pub fn builtin_categories() -> Vec<Category> {
    let cat = |id: &str, label: &str, description: &str, services: &[&str]| Category {
        id: id.to_owned(),
        label: label.to_owned(),
        description: description.to_owned(),
        services: services.iter().map(|s| (*s).to_owned()).collect(),
    };
    vec![
        cat(
            "facility",
            "通所・支援施設",
            "児童発達支援、放課後等デイサービス、相談支援など",
            &[
                "児童発達支援",
                "医療型児童発達支援",
                "放課後等デイサービス",
                "居宅訪問型児童発達支援",
                "保育所等訪問支援",
                "生活介護",
                "医療型障害児入所施設",
                "障害児相談支援",
                "居宅介護",
                "訪問診療",
            ],
        ),
        cat(
            "short-stay",
            "短期入所・レスパイト",
            "医療型・福祉型の短期入所、日中一時支援、レスパイト入院",
            &[
                "医療型短期入所",
                "福祉型短期入所",
                "日中一時支援",
                "レスパイト入院",
            ],
        ),
        cat(
            "visiting-nurse",
            "訪問看護",
            "訪問看護ステーション、訪問リハビリ",
            &["訪問看護", "訪問リハビリ"],
        ),
        cat(
            "school",
            "学校・保育",
            "特別支援学校、看護師のいる小・中学校、保育所、認定こども園、幼稚園",
            &[
                "特別支援学校",
                "小学校",
                "中学校",
                "保育所",
                "認定こども園",
                "幼稚園",
            ],
        ),
    ]
}

/// The 14 medical-care items of the 医療的ケア判定スコア (令和3年度報酬改定).
pub fn builtin_care_items() -> Vec<CareItem> {
    [
        ("ventilator", "人工呼吸器"),
        ("tracheostomy", "気管切開"),
        ("airway", "鼻咽頭エアウェイ"),
        ("oxygen", "酸素療法"),
        ("suction", "吸引"),
        ("nebulizer", "ネブライザー"),
        ("tube-feeding", "経管栄養"),
        ("central-venous", "中心静脈カテーテル"),
        ("injection", "皮下注射"),
        ("blood-glucose", "血糖測定"),
        ("dialysis", "透析"),
        ("catheterization", "導尿"),
        ("bowel", "排便管理"),
        ("seizure", "痙攣時の処置"),
    ]
    .into_iter()
    .map(|(id, label)| CareItem {
        id: id.to_owned(),
        label: label.to_owned(),
    })
    .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    title: String,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: String,
    prefecture: String,
    repository: Option<Spanned<String>>,
    #[serde(default = "default_branch")]
    branch: String,
    license: String,
    #[serde(default = "default_theme")]
    theme: Spanned<String>,
    #[serde(default)]
    sample: bool,
    #[serde(default)]
    privacy: PrivacyFile,
    #[serde(default = "default_gaps")]
    gaps: Spanned<GapRules>,
    #[serde(default)]
    categories: Vec<CategoryFile>,
    #[serde(default)]
    care_items: Vec<CareItemFile>,
}

fn default_language() -> String {
    "ja".to_owned()
}
fn default_branch() -> String {
    "main".to_owned()
}
fn default_gaps() -> Spanned<GapRules> {
    Spanned::new(0..0, GapRules::default())
}
fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".to_owned())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrivacyFile {
    #[serde(default = "default_min_count")]
    min_count: u32,
}

impl Default for PrivacyFile {
    fn default() -> Self {
        PrivacyFile {
            min_count: default_min_count(),
        }
    }
}

fn default_min_count() -> u32 {
    3
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    id: Spanned<String>,
    label: Option<String>,
    description: Option<String>,
    services: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CareItemFile {
    id: Spanned<String>,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    #[serde(default)]
    regions: Vec<RegionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionFile {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    municipalities: Vec<MunicipalityFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MunicipalityFile {
    code: Spanned<String>,
    name: Spanned<String>,
    lat: Spanned<f64>,
    lon: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemandFile {
    #[serde(default)]
    demand: Vec<Spanned<DemandRowFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemandRowFile {
    region: Spanned<String>,
    as_of: Option<Spanned<toml::value::Datetime>>,
    source: Option<String>,
    children: Spanned<i64>,
    #[serde(default)]
    care: BTreeMap<Spanned<String>, Spanned<i64>>,
}

/// True for a lowercase ASCII slug usable in a URL: `^[a-z0-9][a-z0-9-]{0,63}$`.
pub fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// True when a point lies in the box that holds Japan (lat 20–46, lon 122–154).
pub fn in_japan(lat: f64, lon: f64) -> bool {
    (20.0..=46.0).contains(&lat) && (122.0..=154.0).contains(&lon)
}

/// Reads and checks the three configuration files under `root/content/`. Returns `None` only when
/// site.toml or regions.toml cannot be read at all, so entries are still checked (and every
/// problem reported) when the configuration has errors; callers fail on any recorded error.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
    let content = root.join("content");
    let site = parse_file::<SiteFile>(root, &content.join("site.toml"), diags, true);
    let regions = parse_file::<RegionsFile>(root, &content.join("regions.toml"), diags, true);
    let demand = parse_file::<DemandFile>(root, &content.join("demand.toml"), diags, false);

    let (Ok(Some((site_src, site_file))), Ok(Some((regions_src, regions_file)))) = (site, regions)
    else {
        return None;
    };
    // A broken demand.toml was reported; entries are still checked against the rest.
    let demand = demand.ok().flatten();
    let (site, categories, care_items) = resolve_site(&site_src, site_file, diags);
    let regions = resolve_regions(&regions_src, regions_file, diags);
    let care_ids: BTreeSet<&str> = care_items.iter().map(|c| c.id.as_str()).collect();
    let demand = match &demand {
        Some((src, file)) => resolve_demand(src, file, &regions, &care_ids, diags),
        None => Vec::new(),
    };
    let without_demand: Vec<&str> = regions
        .iter()
        .filter(|r| !demand.iter().any(|d| d.region == r.id))
        .map(|r| r.id.as_str())
        .collect();
    if !without_demand.is_empty() {
        // Point at demand.toml when it exists, else at regions.toml, which names the regions.
        let path = if content.join("demand.toml").exists() {
            "content/demand.toml"
        } else {
            &regions_src.path
        };
        diags.push(whole_file(
            path,
            Severity::Warning,
            format!(
                "需要データ（content/demand.toml の [[demand]]）のない地域があります: {}。不足状況のページでは「データなし」と表示します",
                without_demand.join(", ")
            ),
        ));
    }
    Some(Config {
        site,
        categories,
        care_items,
        regions,
        demand,
    })
}

fn parse_file<T: for<'de> Deserialize<'de>>(
    root: &Path,
    path: &Path,
    diags: &mut Diagnostics,
    required: bool,
) -> Result<Option<(SourceText, T)>, ()> {
    if !path.exists() {
        if required {
            let shown = crate::diag::display_path(root, path);
            diags.push(whole_file(
                &shown,
                Severity::Error,
                format!("{shown} がありません。サイトの設定ファイルを作成してください"),
            ));
            return Err(());
        }
        return Ok(None);
    }
    let src = read_text(root, path).map_err(|d| diags.push(d))?;
    match toml::from_str::<T>(&src.text) {
        Ok(v) => Ok(Some((src, v))),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            diags.push(src.at(offset, Severity::Error, None, toml_message_ja(e.message())));
            Err(())
        }
    }
}

fn resolve_site(
    src: &SourceText,
    file: SiteFile,
    diags: &mut Diagnostics,
) -> (SiteConfig, Vec<Category>, Vec<CareItem>) {
    let base = file
        .base_url
        .get_ref()
        .trim()
        .trim_end_matches('/')
        .to_owned();
    let base_ok = url::Url::parse(&base)
        .map(|u| {
            matches!(u.scheme(), "http" | "https") && u.host().is_some() && u.query().is_none()
        })
        .unwrap_or(false);
    if !base_ok {
        diags.push(src.at(
            file.base_url.span().start,
            Severity::Error,
            Some("base_url"),
            "base_url は http:// または https:// で始まる URL にしてください（例: \"https://example.org/tsunagu\"）",
        ));
    }
    let repository = file.repository.and_then(|r| {
        let url = r.get_ref().trim().trim_end_matches('/').to_owned();
        if url.starts_with("https://") || url.starts_with("http://") {
            Some(url)
        } else {
            diags.push(src.at(
                r.span().start,
                Severity::Error,
                Some("repository"),
                "repository は https:// で始まるリポジトリの URL にしてください",
            ));
            None
        }
    });
    if !is_slug(file.theme.get_ref()) {
        diags.push(src.at(
            file.theme.span().start,
            Severity::Error,
            Some("theme"),
            "theme は themes/ の下のフォルダ名（半角英小文字・数字・-）にしてください",
        ));
    }

    let mut categories = builtin_categories();
    for c in file.categories {
        let id = c.id.get_ref().clone();
        if let Some(existing) = categories.iter_mut().find(|e| e.id == id) {
            if let Some(label) = c.label {
                existing.label = label;
            }
            if let Some(d) = c.description {
                existing.description = d;
            }
            if let Some(s) = c.services {
                existing.services = s;
            }
        } else if !is_slug(&id) {
            diags.push(src.at(
                c.id.span().start,
                Severity::Error,
                Some("categories.id"),
                format!("カテゴリの id `{id}` は半角英小文字・数字・- で書いてください"),
            ));
        } else if let (Some(label), Some(services)) = (c.label, c.services) {
            categories.push(Category {
                id,
                label,
                description: c.description.unwrap_or_default(),
                services,
            });
        } else {
            diags.push(src.at(
                c.id.span().start,
                Severity::Error,
                Some("categories"),
                format!("新しいカテゴリ `{id}` には label と services が必要です"),
            ));
        }
    }

    let mut care_items = builtin_care_items();
    for c in file.care_items {
        let id = c.id.get_ref().clone();
        if let Some(existing) = care_items.iter_mut().find(|e| e.id == id) {
            existing.label = c.label;
        } else if is_slug(&id) {
            care_items.push(CareItem { id, label: c.label });
        } else {
            diags.push(src.at(
                c.id.span().start,
                Severity::Error,
                Some("care_items.id"),
                format!("医療的ケアの id `{id}` は半角英小文字・数字・- で書いてください"),
            ));
        }
    }

    let rules = *file.gaps.get_ref();
    let ratios = [
        rules.coverage_shortage,
        rules.coverage_caution,
        rules.stale_share,
    ];
    let ordered = rules.shortage_per_100 <= rules.caution_per_100
        && rules.coverage_shortage <= rules.coverage_caution;
    let non_negative = rules.shortage_per_100 >= 0.0 && rules.max_distance_km >= 0.0;
    if !ordered || !non_negative || ratios.iter().any(|r| !(0.0..=1.0).contains(r)) {
        diags.push(src.at(
            file.gaps.span().start,
            Severity::Error,
            Some("gaps"),
            "[gaps] の値が不正です: 割合は 0〜1、shortage_* は caution_* 以下、距離と人数比は 0 以上にしてください",
        ));
    }
    let site = SiteConfig {
        title: file.title,
        base_url: base,
        language: file.language,
        prefecture: file.prefecture,
        repository,
        branch: file.branch,
        license: file.license,
        theme: file.theme.into_inner(),
        sample: file.sample,
        min_count: file.privacy.min_count,
        gaps: rules,
    };
    (site, categories, care_items)
}

fn resolve_regions(src: &SourceText, file: RegionsFile, diags: &mut Diagnostics) -> Vec<Region> {
    let mut seen_regions = BTreeSet::new();
    let mut seen_codes = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    let mut regions = Vec::new();
    if file.regions.is_empty() {
        diags.push(whole_file(
            &src.path,
            Severity::Error,
            "地域が1つもありません。[[regions]] を書いてください",
        ));
    }
    for r in file.regions {
        let id = r.id.get_ref().clone();
        let id_at = r.id.span().start;
        if !is_slug(&id) {
            diags.push(src.at(
                id_at,
                Severity::Error,
                Some("regions.id"),
                format!(
                    "地域の id `{id}` は半角英小文字・数字・- で書いてください（URL に使われます）"
                ),
            ));
        }
        if !seen_regions.insert(id.clone()) {
            diags.push(src.at(
                id_at,
                Severity::Error,
                Some("regions.id"),
                format!("地域の id `{id}` が重複しています"),
            ));
        }
        let mut municipalities = Vec::new();
        for m in r.municipalities {
            let code = m.code.get_ref().clone();
            let name = m.name.get_ref().clone();
            if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
                diags.push(src.at(
                    m.code.span().start,
                    Severity::Error,
                    Some("municipalities.code"),
                    format!("市町村コード `{code}` は5桁の数字にしてください（例: \"24205\"）"),
                ));
            }
            if !seen_codes.insert(code.clone()) {
                diags.push(src.at(
                    m.code.span().start,
                    Severity::Error,
                    Some("municipalities.code"),
                    format!("市町村コード `{code}` が重複しています"),
                ));
            }
            if !seen_names.insert(name.clone()) {
                diags.push(src.at(
                    m.name.span().start,
                    Severity::Error,
                    Some("municipalities.name"),
                    format!("市町村名 `{name}` が重複しています"),
                ));
            }
            let (lat, lon) = (*m.lat.get_ref(), *m.lon.get_ref());
            if !in_japan(lat, lon) {
                diags.push(src.at(
                    m.lat.span().start,
                    Severity::Error,
                    Some("municipalities.lat"),
                    format!("{name} の座標 ({lat}, {lon}) が日本の範囲（緯度20〜46、経度122〜154）の外です"),
                ));
            }
            municipalities.push(Municipality {
                code,
                name,
                lat,
                lon,
                region: id.clone(),
            });
        }
        regions.push(Region {
            id,
            name: r.name,
            municipalities,
        });
    }
    regions
}

fn resolve_demand(
    src: &SourceText,
    file: &DemandFile,
    regions: &[Region],
    care_ids: &BTreeSet<&str>,
    diags: &mut Diagnostics,
) -> Vec<Demand> {
    let mut rows = Vec::new();
    let mut seen = BTreeSet::new();
    for row in &file.demand {
        let row_at = row.span().start;
        let row = row.get_ref();
        let region = row.region.get_ref();
        let errors_before = diags.count(Severity::Error);
        let err = |diags: &mut Diagnostics, at: usize, field: &str, msg: String| {
            diags.push(src.at(at, Severity::Error, Some(field), msg));
        };
        if !regions.iter().any(|r| &r.id == region) {
            let known: Vec<&str> = regions.iter().map(|r| r.id.as_str()).collect();
            err(
                diags,
                row.region.span().start,
                "region",
                format!(
                    "region `{region}` は regions.toml にありません{}",
                    did_you_mean(region, known)
                ),
            );
        } else if !seen.insert(region.clone()) {
            err(
                diags,
                row.region.span().start,
                "region",
                format!("region `{region}` の需要データが2回あります"),
            );
        }
        let as_of = match &row.as_of {
            None => {
                err(
                    diags,
                    row_at,
                    "as_of",
                    "as_of（データの時点、例: 2025-04-01）がありません".to_owned(),
                );
                None
            }
            Some(d) => {
                let date = Date::from_toml(d.get_ref());
                if date.is_none() {
                    err(
                        diags,
                        d.span().start,
                        "as_of",
                        "as_of は日付（例: 2025-04-01）で書いてください".to_owned(),
                    );
                }
                date
            }
        };
        let children = *row.children.get_ref();
        if children < 0 {
            err(
                diags,
                row.children.span().start,
                "children",
                format!("children が負の数 ({children}) です"),
            );
        }
        let mut care = BTreeMap::new();
        for (item, count) in &row.care {
            let id = item.get_ref();
            if !care_ids.contains(id.as_str()) {
                err(
                    diags,
                    item.span().start,
                    "care",
                    format!(
                        "医療的ケア `{id}` は定義されていません{}",
                        did_you_mean(id, care_ids.iter().copied())
                    ),
                );
            }
            let n = *count.get_ref();
            if n < 0 {
                err(
                    diags,
                    count.span().start,
                    "care",
                    format!("care.{id} が負の数 ({n}) です"),
                );
            } else if n > children.max(0) {
                diags.push(src.at(
                    count.span().start,
                    Severity::Warning,
                    Some("care"),
                    format!("care.{id} ({n}) が children ({children}) より多くなっています"),
                ));
            }
            care.insert(id.clone(), n.max(0) as u32);
        }
        let ok = diags.count(Severity::Error) == errors_before;
        if let (true, Some(as_of)) = (ok, as_of) {
            rows.push(Demand {
                region: region.clone(),
                as_of,
                source: row.source.clone().unwrap_or_default(),
                children: children as u32,
                care,
            });
        }
    }
    rows
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

/// A configuration for unit tests: the built-in categories and care items, the given regions.
#[cfg(test)]
pub(crate) fn test_config(regions: Vec<Region>) -> Config {
    Config {
        site: SiteConfig {
            title: "t".into(),
            base_url: "https://example.org".into(),
            language: "ja".into(),
            prefecture: "三重県".into(),
            repository: None,
            branch: "main".into(),
            license: "CC BY 4.0".into(),
            theme: "default".into(),
            sample: true,
            min_count: 3,
            gaps: GapRules::default(),
        },
        categories: builtin_categories(),
        care_items: builtin_care_items(),
        regions,
        demand: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(base: &str) -> SiteConfig {
        test_config(Vec::new()).site.with_base_url(base)
    }

    #[test]
    fn root_path_keeps_sub_path() {
        assert_eq!(site("https://example.org").root_path(), "/");
        assert_eq!(site("https://example.org/tsunagu").root_path(), "/tsunagu/");
        assert_eq!(site("http://127.0.0.1:1111").root_path(), "/");
    }

    #[test]
    fn slugs() {
        assert!(is_slug("kuwana"));
        assert!(is_slug("a-1"));
        assert!(!is_slug("-a"));
        assert!(!is_slug("Kuwana"));
        assert!(!is_slug(""));
        assert!(!is_slug(&"a".repeat(65)));
        assert!(!is_slug("桑名"));
    }

    #[test]
    fn builtins_cover_the_domain() {
        assert_eq!(builtin_care_items().len(), 14);
        let cats = builtin_categories();
        let ids: Vec<_> = cats.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["facility", "short-stay", "visiting-nurse", "school"]);
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
