//! Reading and checking the configuration files: `site.toml`, `regions.toml` and `demand.toml`
//! into the [`crate::config`] model, with every problem positioned in its file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    CareItem, Category, Centre, Config, Demand, GapRules, MAX_SERVICES, Municipality, Region,
    SiteConfig, Synonym, Tiles, builtin_care_items, builtin_categories, builtin_synonyms, in_japan,
    is_slug,
};
use crate::date::Date;
use crate::diag::{Diagnostics, Severity, SourceText, did_you_mean, toml_message_ja, whole_file};
use crate::load::read_text;
use crate::validate::{email_rule, phone_rule, url_rule};

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
    #[serde(default)]
    synonyms: Vec<SynonymFile>,
    centre: Option<Spanned<CentreFile>>,
    map: Option<Spanned<MapFile>>,
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
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymFile {
    term: Spanned<String>,
    words: Vec<String>,
    /// Replace the built-in words of the term instead of adding to them.
    #[serde(default)]
    replace: bool,
}

/// `[centre]`: every key is read as text and checked by [`centre`], so that a wrong value gets a
/// message naming it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CentreFile {
    name: Option<Spanned<String>>,
    phone: Option<Spanned<String>>,
    email: Option<Spanned<String>>,
    form_url: Option<Spanned<String>>,
}

/// `[map]`: the tiles' URL template (or `"none"`) and their attribution, checked by [`tiles`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    tiles: Option<Spanned<String>>,
    attribution: Option<Spanned<String>>,
    attribution_url: Option<Spanned<String>>,
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
    reading: Option<Spanned<String>>,
    lat: Option<Spanned<f64>>,
    lon: Option<Spanned<f64>>,
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
    let (site, categories, care_items, synonyms) = resolve_site(&site_src, site_file, diags);
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
        synonyms,
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
) -> (SiteConfig, Vec<Category>, Vec<CareItem>, Vec<Synonym>) {
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

    let categories = categories(src, file.categories, diags);
    let care_items = care_items(src, file.care_items, diags);
    let synonyms = synonyms(src, file.synonyms, &categories, &care_items, diags);
    let rules = gap_rules(src, &file.gaps, diags);
    let centre = file.centre.and_then(|c| centre(src, c, diags));
    let tiles = match file.map {
        Some(m) => tiles(src, m, diags),
        None => Some(Tiles::openstreetmap()),
    };
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
        centre,
        tiles,
    };
    (site, categories, care_items, synonyms)
}

/// The built-in categories, relabelled or extended by `[[categories]]`.
fn categories(src: &SourceText, file: Vec<CategoryFile>, diags: &mut Diagnostics) -> Vec<Category> {
    let mut categories = builtin_categories();
    for c in file {
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
    let mut services: Vec<&String> = categories.iter().flat_map(|c| &c.services).collect();
    services.sort();
    services.dedup();
    if services.len() > MAX_SERVICES {
        diags.push(src.at(
            0,
            Severity::Error,
            Some("categories.services"),
            format!(
                "サービスの種類が {} 個あります。検索で扱えるのは全部で {MAX_SERVICES} 個までです。使わないサービスを categories.services から外してください",
                services.len()
            ),
        ));
    }
    categories
}

/// The built-in care items, relabelled or extended by `[[care_items]]`.
fn care_items(src: &SourceText, file: Vec<CareItemFile>, diags: &mut Diagnostics) -> Vec<CareItem> {
    let mut care_items = builtin_care_items();
    for c in file {
        let id = c.id.get_ref().clone();
        if let Some(existing) = care_items.iter_mut().find(|e| e.id == id) {
            existing.label = c.label;
            if let Some(d) = c.description {
                existing.description = d;
            }
        } else if is_slug(&id) {
            care_items.push(CareItem {
                id,
                label: c.label,
                description: c.description.unwrap_or_default(),
            });
        } else {
            diags.push(src.at(
                c.id.span().start,
                Severity::Error,
                Some("care_items.id"),
                format!("医療的ケアの id `{id}` は半角英小文字・数字・- で書いてください"),
            ));
        }
    }
    care_items
}

/// The built-in synonyms of the terms the site has, extended (or, with `replace = true`,
/// replaced) by `[[synonyms]]`, whose `term` must be a care item's, service's or category's label.
fn synonyms(
    src: &SourceText,
    file: Vec<SynonymFile>,
    categories: &[Category],
    care_items: &[CareItem],
    diags: &mut Diagnostics,
) -> Vec<Synonym> {
    let terms: Vec<&str> = care_items
        .iter()
        .map(|c| c.label.as_str())
        .chain(
            categories
                .iter()
                .flat_map(|c| c.services.iter().map(String::as_str)),
        )
        .chain(categories.iter().map(|c| c.label.as_str()))
        .collect();
    let mut table: Vec<Synonym> = builtin_synonyms()
        .into_iter()
        .filter(|s| terms.contains(&s.term.as_str()))
        .collect();
    for s in file {
        let term = s.term.get_ref().trim();
        if !terms.contains(&term) {
            let hint = did_you_mean(term, terms.iter().copied());
            error_at(
                src,
                diags,
                s.term.span().start,
                "synonyms.term",
                format!(
                    "同義語の term「{term}」は、医療的ケア・サービス・種類の名称のどれでもありません{hint}。名称と一字一句同じに書いてください"
                ),
            );
            continue;
        }
        let words: Vec<String> = s
            .words
            .iter()
            .map(|w| w.trim().to_owned())
            .filter(|w| !w.is_empty() && w != term)
            .collect();
        match table.iter_mut().find(|t| t.term == term) {
            Some(t) if s.replace => t.words = words,
            Some(t) => {
                for w in words {
                    if !t.words.contains(&w) {
                        t.words.push(w);
                    }
                }
            }
            None => table.push(Synonym {
                term: term.to_owned(),
                words,
            }),
        }
    }
    table
}

/// `[centre]`, the contact for the listings: a name, and a phone number, an e-mail address and a
/// form's URL that must each look like one. `None` (with the errors recorded) when one does not.
fn centre(src: &SourceText, file: Spanned<CentreFile>, diags: &mut Diagnostics) -> Option<Centre> {
    let at = file.span().start;
    let file = file.into_inner();
    let errors_before = diags.count(Severity::Error);
    let text = |v: &Spanned<String>| v.get_ref().trim().to_owned();
    let name = file.name.as_ref().map(text).filter(|n| !n.is_empty());
    if name.is_none() {
        let at = file.name.as_ref().map_or(at, |n| n.span().start);
        let msg = "[centre] には name（問い合わせ先の名前、例: \"○○県医療的ケア児支援センター\"）を書いてください";
        error_at(src, diags, at, "centre.name", msg.to_owned());
    }
    let phone = file.phone.as_ref().and_then(|p| match phone_rule(&text(p)) {
        Ok(phone) => Some(phone),
        Err(read) => {
            let msg = format!("[centre] の phone `{read}` は数字とハイフンで書いてください（例: \"059-000-1234\"）");
            error_at(src, diags, p.span().start, "centre.phone", msg);
            None
        }
    });
    let email = file.email.as_ref().and_then(|v| {
        let e = text(v);
        if email_rule(&e) {
            return Some(e);
        }
        let msg = format!(
            "[centre] の email `{e}` はメールアドレスの形になっていません（例: \"info@example.jp\"）"
        );
        error_at(src, diags, v.span().start, "centre.email", msg);
        None
    });
    let form_url = file.form_url.as_ref().and_then(|u| match url_rule(&text(u)) {
        Ok(url) => Some(url.to_string()),
        Err(_) => {
            let msg = format!(
                "[centre] の form_url `{}` は http:// または https:// で始まる URL にしてください",
                text(u)
            );
            error_at(src, diags, u.span().start, "centre.form_url", msg);
            None
        }
    });
    (diags.count(Severity::Error) == errors_before).then(|| Centre {
        name: name.unwrap_or_default(),
        phone,
        email,
        form_url,
    })
}

/// `[map]`: `tiles = "none"` for maps without tiles; else an https URL template with `{z}`, `{x}`
/// and `{y}` (OpenStreetMap's standard tiles when absent) and, for other tiles than those, who
/// they are from (`attribution`, required: tile licences ask for it) and where their licence is.
fn tiles(src: &SourceText, file: Spanned<MapFile>, diags: &mut Diagnostics) -> Option<Tiles> {
    let at = file.span().start;
    let file = file.into_inner();
    let text = |v: &Spanned<String>| v.get_ref().trim().to_owned();
    let attributed = file.attribution.as_ref().or(file.attribution_url.as_ref());
    let tiles_set = file.tiles.as_ref().filter(|t| text(t) != "none");
    if let (None, Some(a)) = (tiles_set, attributed) {
        let msg = "[map] の attribution・attribution_url は、tiles に地図タイルの URL を書いたときだけ使います（OpenStreetMap のタイルでは書かなくてかまいません）";
        error_at(
            src,
            diags,
            a.span().start,
            "map.attribution",
            msg.to_owned(),
        );
        return None;
    }
    let Some(url) = file.tiles.as_ref() else {
        return Some(Tiles::openstreetmap());
    };
    if text(url) == "none" {
        return None;
    }
    let template = text(url);
    let origin = tile_origin(&template);
    let origin = match origin {
        Some(origin) => origin,
        None => {
            let msg = format!(
                "[map] の tiles `{template}` は {{z}}・{{x}}・{{y}} を1つずつ含む https:// の URL にしてください（例: \"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png\"）。タイルを使わないときは \"none\" と書きます"
            );
            error_at(src, diags, url.span().start, "map.tiles", msg);
            return None;
        }
    };
    if origin == Tiles::openstreetmap().origin && file.attribution.is_none() {
        return Some(Tiles {
            url: template,
            ..Tiles::openstreetmap()
        });
    }
    let attribution = file
        .attribution
        .as_ref()
        .map(text)
        .filter(|a| !a.is_empty());
    let Some(attribution) = attribution else {
        let at = file.attribution.as_ref().map_or(at, |a| a.span().start);
        let msg = "[map] には attribution（地図タイルの提供元の表示、例: \"© OpenStreetMap contributors\"）を書いてください。タイルの利用条件で求められます";
        error_at(src, diags, at, "map.attribution", msg.to_owned());
        return None;
    };
    let attribution_url = match file.attribution_url.as_ref() {
        None => None,
        Some(u) => match url_rule(&text(u)) {
            Ok(url) if url.username().is_empty() && !url.as_str().contains('"') => {
                Some(url.to_string())
            }
            _ => {
                let msg = format!(
                    "[map] の attribution_url `{}` は http:// または https:// で始まる URL にしてください",
                    text(u)
                );
                error_at(src, diags, u.span().start, "map.attribution_url", msg);
                return None;
            }
        },
    };
    Some(Tiles {
        url: template,
        origin,
        attribution,
        attribution_url,
    })
}

/// The origin of a tiles URL template: https, one each of `{z}`, `{x}` and `{y}`, all after the
/// host (the origin is what the Content-Security-Policy lets in, so it must not vary), no user or
/// password, and a host of letters, digits, dots and hyphens (or an IP address) that cannot add
/// to the policy it is written into.
fn tile_origin(template: &str) -> Option<String> {
    let placeholders = ["{z}", "{x}", "{y}"]
        .iter()
        .all(|p| template.matches(p).count() == 1)
        && template.matches('{').count() == 3
        && template.matches('}').count() == 3;
    let filled = |n: &str| {
        url::Url::parse(
            &template
                .replace("{z}", n)
                .replace("{x}", n)
                .replace("{y}", n),
        )
        .ok()
    };
    let (a, b) = (filled("0")?, filled("1")?);
    let host_ok = match a.host()? {
        url::Host::Domain(d) => d
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-'),
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => true,
    };
    let origin = a.origin().ascii_serialization();
    (placeholders
        && a.scheme() == "https"
        && host_ok
        && a.username().is_empty()
        && a.password().is_none()
        && origin == b.origin().ascii_serialization())
    .then_some(origin)
}

/// The `[gaps]` thresholds, which must be ordered and in range for the statuses to make sense.
fn gap_rules(src: &SourceText, gaps: &Spanned<GapRules>, diags: &mut Diagnostics) -> GapRules {
    let rules = *gaps.get_ref();
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
            gaps.span().start,
            Severity::Error,
            Some("gaps"),
            "[gaps] の値が不正です: 割合は 0〜1、shortage_* は caution_* 以下、距離と人数比は 0 以上にしてください",
        ));
    }
    rules
}

fn resolve_regions(src: &SourceText, file: RegionsFile, diags: &mut Diagnostics) -> Vec<Region> {
    let mut seen_regions = BTreeSet::new();
    let mut seen_codes = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    let mut without_point = Vec::new();
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
            let point = match (m.lat, m.lon) {
                (Some(lat), Some(lon)) => {
                    let (lat_at, lat, lon) = (lat.span().start, *lat.get_ref(), *lon.get_ref());
                    if in_japan(lat, lon) {
                        Some((lat, lon))
                    } else {
                        diags.push(src.at(
                            lat_at,
                            Severity::Error,
                            Some("municipalities.lat"),
                            format!("{name} の座標 ({lat}, {lon}) が日本の範囲（緯度20〜46、経度122〜154）の外です"),
                        ));
                        None
                    }
                }
                (Some(only), None) | (None, Some(only)) => {
                    diags.push(src.at(
                        only.span().start,
                        Severity::Error,
                        Some("municipalities.lat"),
                        format!("{name} の座標は lat と lon を両方書いてください（どちらも書かないこともできます）"),
                    ));
                    None
                }
                (None, None) => {
                    without_point.push(name.clone());
                    None
                }
            };
            let reading = m.reading.map(|r| {
                let at = r.span().start;
                let r = r.into_inner();
                if r.is_empty() || !r.chars().all(crate::entry::is_kana_char) {
                    diags.push(src.at(
                        at,
                        Severity::Error,
                        Some("municipalities.reading"),
                        format!("{name} の読み `{r}` はひらがなかカタカナで書いてください"),
                    ));
                }
                r
            });
            municipalities.push(Municipality {
                code,
                name,
                reading,
                point,
                region: id.clone(),
            });
        }
        regions.push(Region {
            id,
            name: r.name,
            municipalities,
        });
    }
    // Once per site, not once per municipality: a site made by `init` has no coordinates at all.
    if let Some(first) = without_point.first() {
        diags.push(whole_file(
            &src.path,
            Severity::Warning,
            format!(
                "{}に座標（lat, lon）がありません。近くを探す・距離の計算には、その市町村の掲載先の座標を使います。求められない市町村はギャップページに名前を示します",
                match without_point.len() {
                    1 => first.clone(),
                    n => format!("{first} ほか {} 市町村", n - 1),
                }
            ),
        ));
    }
    regions
}

/// Records an error at a byte offset of `src`, naming the field.
fn error_at(src: &SourceText, diags: &mut Diagnostics, at: usize, field: &str, msg: String) {
    diags.push(src.at(at, Severity::Error, Some(field), msg));
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
        if !regions.iter().any(|r| &r.id == region) {
            let known: Vec<&str> = regions.iter().map(|r| r.id.as_str()).collect();
            error_at(
                src,
                diags,
                row.region.span().start,
                "region",
                format!(
                    "region `{region}` は regions.toml にありません{}",
                    did_you_mean(region, known)
                ),
            );
        } else if !seen.insert(region.clone()) {
            error_at(
                src,
                diags,
                row.region.span().start,
                "region",
                format!("region `{region}` の需要データが2回あります"),
            );
        }
        let as_of = demand_date(src, row_at, row.as_of.as_ref(), diags);
        let children = *row.children.get_ref();
        if children < 0 {
            error_at(
                src,
                diags,
                row.children.span().start,
                "children",
                format!("children が負の数 ({children}) です"),
            );
        }
        let care = demand_care(src, &row.care, children, care_ids, diags);
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

/// A demand row's `as_of` date, which every row needs.
fn demand_date(
    src: &SourceText,
    row_at: usize,
    as_of: Option<&Spanned<toml::value::Datetime>>,
    diags: &mut Diagnostics,
) -> Option<Date> {
    match as_of {
        None => {
            error_at(
                src,
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
                error_at(
                    src,
                    diags,
                    d.span().start,
                    "as_of",
                    "as_of は日付（例: 2025-04-01）で書いてください".to_owned(),
                );
            }
            date
        }
    }
}

/// A demand row's children per care item: known ids, none negative, a warning above the total.
fn demand_care(
    src: &SourceText,
    counts: &BTreeMap<Spanned<String>, Spanned<i64>>,
    children: i64,
    care_ids: &BTreeSet<&str>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, u32> {
    let mut care = BTreeMap::new();
    for (item, count) in counts {
        let id = item.get_ref();
        if !care_ids.contains(id.as_str()) {
            error_at(
                src,
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
            error_at(
                src,
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
    care
}

#[cfg(test)]
mod tests {
    use super::tile_origin;

    #[test]
    fn a_tiles_template_gives_the_one_origin_its_tiles_come_from() {
        let ok = |t: &str| tile_origin(t).unwrap_or_else(|| panic!("{t}"));
        assert_eq!(
            ok("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            "https://tile.openstreetmap.org"
        );
        assert_eq!(
            ok("https://tiles.example.jp:8443/a/{z}/{y}/{x}.png?key=abc"),
            "https://tiles.example.jp:8443"
        );
        for bad in [
            "http://tiles.example.jp/{z}/{x}/{y}.png",
            "https://t{z}.example.jp/{x}/{y}.png",
            "https://*/{z}/{x}/{y}.png",
            "https://a.example;upgrade-insecure-requests/{z}/{x}/{y}.png",
            "https://user:pw@tiles.example.jp/{z}/{x}/{y}.png",
            "https://tiles.example.jp/{z}/{x}.png",
            "https://tiles.example.jp/{z}/{x}/{y}/{s}.png",
            "https://tiles.example.jp/{z}/{x}/{y}/{y}.png",
            "tiles.example.jp/{z}/{x}/{y}.png",
        ] {
            assert_eq!(tile_origin(bad), None, "{bad}");
        }
    }
}
