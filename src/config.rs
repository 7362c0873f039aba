//! The site configuration model: what `site.toml`, `regions.toml` and `demand.toml` say once read
//! and checked (by [`crate::load::config`]), and the built-in categories and care items that a
//! site may relabel or extend.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::date::Date;

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
    /// What the care is, in a sentence or two for families (the lead of its list page).
    pub description: String,
}

/// Words families type for a term of the vocabulary (a care item's, service's or category's
/// label): a search for one of them also finds the term's listings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    pub term: String,
    pub words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    /// Five-digit local government code.
    pub code: String,
    pub name: String,
    /// The name's reading in kana (regions.toml `reading`), for the 50音 order of lists.
    pub reading: Option<String>,
    /// (lat, lon) of a representative point, when regions.toml gives one. Without it, the site
    /// model places the municipality at its listings' mean position ([`crate::site::Site::point`]).
    pub point: Option<(f64, f64)>,
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

/// The most services a site may have: the search index keeps those an entry offers as the bits
/// of one 64-bit field.
pub const MAX_SERVICES: usize = 64;

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
    /// Who answers questions about the listings (`[centre]`), for visitors without a GitHub account.
    pub centre: Option<Centre>,
    /// Where the maps' background comes from (`[map]`); `None`: maps without tiles.
    pub tiles: Option<Tiles>,
}

/// Map tiles, from `[map]` in site.toml (OpenStreetMap's standard tiles unless it says otherwise).
/// A page with a map may load images from their host, and from no other.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiles {
    /// An https URL template with `{z}`, `{x}` and `{y}`.
    pub url: String,
    /// The template's origin (`https://tile.openstreetmap.org`): what the Content-Security-Policy
    /// of a page with a map adds to `img-src`.
    pub origin: String,
    /// Who the tiles are from, shown on every map (as the provider's licence requires), and the
    /// page that states their licence.
    pub attribution: String,
    pub attribution_url: Option<String>,
}

impl Tiles {
    /// OpenStreetMap's standard tiles: usable by a site with modest traffic under the OSM
    /// Foundation's tile usage policy, with this attribution.
    pub fn openstreetmap() -> Tiles {
        Tiles {
            url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".to_owned(),
            origin: "https://tile.openstreetmap.org".to_owned(),
            attribution: "© OpenStreetMap contributors".to_owned(),
            attribution_url: Some("https://www.openstreetmap.org/copyright".to_owned()),
        }
    }
}

/// The support centre that keeps the directory, from `[centre]` in site.toml: the entry pages name
/// it as the contact for the listings and offer an e-mail (and a form) to report an error.
#[derive(Debug, Clone, PartialEq)]
pub struct Centre {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// An http or https URL of a web form for reports.
    pub form_url: Option<String>,
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
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub site: SiteConfig,
    pub categories: Vec<Category>,
    pub care_items: Vec<CareItem>,
    /// The built-in synonyms of the vocabulary's terms, extended or replaced by site.toml.
    pub synonyms: Vec<Synonym>,
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

/// The 14 medical-care items of the 医療的ケア判定スコア (令和3年度報酬改定), each with a plain
/// description. Like the synonym table, the descriptions are a draft by the developers, not yet
/// reviewed by medical or welfare professionals; a site corrects one with `[[care_items]]`.
pub fn builtin_care_items() -> Vec<CareItem> {
    [
        ("ventilator", "人工呼吸器", "機械で呼吸を助けるケアです。鼻マスク式の補助換気やハイフローセラピー、たんを出しやすくする排痰補助装置も含みます。"),
        ("tracheostomy", "気管切開", "のどに開けた穴（気管切開孔）に管（気管カニューレ）を入れて、息の通り道を保つケアです。"),
        ("airway", "鼻咽頭エアウェイ", "鼻から入れた管（エアウェイ）で、のどの奥の息の通り道を保つケアです。"),
        ("oxygen", "酸素療法", "鼻につけた管（鼻カニューレ）やマスクなどから、酸素を吸うケアです。"),
        ("suction", "吸引", "口や鼻、気管切開したところにたまったたんやつばを、機械で吸い取るケアです。"),
        ("nebulizer", "ネブライザー", "薬を霧にして吸い込む機械（ネブライザー）を使うケアです。"),
        ("tube-feeding", "経管栄養", "鼻から入れた管や、おなかに作った胃ろう・腸ろうから、栄養や水分、薬をとるケアです。"),
        ("central-venous", "中心静脈カテーテル", "心臓の近くの太い静脈に入れた管（カテーテル）から、栄養や薬を入れるケアです。"),
        ("injection", "皮下注射", "インスリンなどの薬を、皮ふの下に注射するケアです。注射を続けて行うポンプも含みます。"),
        ("blood-glucose", "血糖測定", "血液の中の糖（血糖）の値を測るケアです。センサーで続けて測る機器も含みます。"),
        ("dialysis", "透析", "腎臓の代わりに、体の中の余分な水分やいらないものを取り除くケアです（おなかを使う腹膜透析など）。"),
        ("catheterization", "導尿", "管（カテーテル）を使って、ぼうこうから尿を出すケアです。"),
        ("bowel", "排便管理", "浣腸や摘便、人工肛門（ストーマ）の手入れなど、便を出すのを助けるケアです。"),
        ("seizure", "痙攣時の処置", "けいれんの発作が起きたときに、座薬を入れるなどの手当てをするケアです。"),
    ]
    .into_iter()
    .map(|(id, label, description)| CareItem {
        id: id.to_owned(),
        label: label.to_owned(),
        description: description.to_owned(),
    })
    .collect()
}

/// The built-in synonym table (`src/synonyms.toml`, a draft awaiting review by professionals).
pub fn builtin_synonyms() -> Vec<Synonym> {
    #[derive(Deserialize)]
    struct Table {
        synonyms: Vec<Synonym>,
    }
    toml::from_str::<Table>(include_str!("synonyms.toml"))
        .map(|t| t.synonyms)
        .unwrap_or_default()
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
            centre: None,
            tiles: Some(Tiles::openstreetmap()),
        },
        categories: builtin_categories(),
        care_items: builtin_care_items(),
        synonyms: builtin_synonyms(),
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
    fn builtin_synonyms_name_only_builtin_terms_and_cover_them_all() {
        let table = builtin_synonyms();
        let cats = builtin_categories();
        let terms: Vec<String> = builtin_care_items()
            .into_iter()
            .map(|c| c.label)
            .chain(cats.iter().flat_map(|c| c.services.clone()))
            .chain(cats.iter().map(|c| c.label.clone()))
            .collect();
        assert!(
            table.len() >= 30,
            "the table parses: {} entries",
            table.len()
        );
        for s in &table {
            assert!(terms.contains(&s.term), "unknown term {}", s.term);
            assert!(
                !s.words.is_empty() && !s.words.contains(&s.term),
                "{}",
                s.term
            );
        }
        for t in &terms {
            assert!(table.iter().any(|s| &s.term == t), "no synonyms for {t}");
        }
    }
}
