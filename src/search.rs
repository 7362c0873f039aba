//! The directory as search documents: the site model turned into the search crate's input, in
//! the order both readers break ties with (municipality, then kind, then 50音順).

use std::path::{Path, PathBuf};

use tsunagu_search::normalize::Words;
use tsunagu_search::{Doc, Facets, Label, Municipality, SearchIndex, Synonym};

use crate::config::{Config, MAX_SERVICES};
use crate::entry::Entry;
use crate::fields;
use crate::site::Site;

/// Where `build` keeps the tantivy index: outside the published output, git-ignored.
pub fn index_dir(root: &Path) -> PathBuf {
    root.join(".tsunagu").join("index")
}

/// Plain text of a Markdown description, for the body field.
fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The facets (vocabularies and coordinate box) of a site.
pub fn facets(site: &Site) -> Facets {
    let cfg = &site.config;
    let label = |id: &str, label: &str| Label {
        id: id.to_owned(),
        label: label.to_owned(),
    };
    let municipalities: Vec<Municipality> = cfg
        .regions
        .iter()
        .enumerate()
        .flat_map(|(ri, r)| {
            r.municipalities.iter().map(move |m| Municipality {
                code: m.code.clone(),
                name: m.name.clone(),
                region: ri as u16,
                point: site.point(&m.code),
            })
        })
        .collect();
    let points = municipalities
        .iter()
        .filter_map(|m| m.point)
        .chain(site.entries.iter().filter_map(|e| Some((e.lat?, e.lon?))));
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for (lat, lon) in points {
        bbox = [
            bbox[0].min(lat),
            bbox[1].min(lon),
            bbox[2].max(lat),
            bbox[3].max(lon),
        ];
    }
    if bbox[0] > bbox[2] {
        bbox = [0.0, 0.0, 0.0, 0.0];
    }
    Facets {
        categories: cfg
            .categories
            .iter()
            .map(|c| label(&c.id, &c.label))
            .collect(),
        regions: cfg.regions.iter().map(|r| label(&r.id, &r.name)).collect(),
        municipalities,
        care_items: cfg
            .care_items
            .iter()
            .map(|c| label(&c.id, &c.label))
            .collect(),
        flags: fields::flags()
            .iter()
            .map(|f| label(f.id, f.label))
            .collect(),
        services: services(cfg).map(|s| label(s, s)).collect(),
        bbox,
        words: site_words(site).list().to_vec(),
        synonyms: cfg
            .synonyms
            .iter()
            .map(|s| Synonym {
                term: s.term.clone(),
                words: s.words.clone(),
            })
            .collect(),
    }
}

/// The services of every category, each once, in configuration order (at most
/// [`MAX_SERVICES`], which configuration loading checks).
fn services(cfg: &Config) -> impl Iterator<Item = &str> {
    let mut seen = std::collections::BTreeSet::new();
    cfg.categories
        .iter()
        .flat_map(|c| &c.services)
        .map(String::as_str)
        .filter(move |s| seen.insert(*s))
        .take(MAX_SERVICES)
}

/// The site's own vocabulary, which the tokenizer keeps whole (`normalize::Words`): the names
/// families type — kinds of service, care items, needs, regions and municipalities (also without
/// their 市・町・村, as 四日市 for 四日市市) — and the synonyms' words, so that each is one token.
fn site_words(site: &Site) -> Words {
    let cfg = &site.config;
    let municipalities = cfg.regions.iter().flat_map(|r| &r.municipalities);
    let names = cfg
        .categories
        .iter()
        .flat_map(|c| std::iter::once(&c.label).chain(&c.services))
        .chain(cfg.care_items.iter().map(|c| &c.label))
        .map(String::as_str)
        .chain(fields::flags().iter().map(|f| f.label))
        .chain(cfg.regions.iter().map(|r| r.name.as_str()))
        .chain(municipalities.flat_map(|m| {
            let stem = m.name.strip_suffix(['市', '町', '村']);
            std::iter::once(m.name.as_str()).chain(stem)
        }));
    Words::new(names)
}

/// Search documents in index order.
pub fn documents<'s>(site: &'s Site, facets: &'s Facets) -> impl Iterator<Item = Doc> + 's {
    let cfg = &site.config;
    let centre = site.centre();
    let muni_index = |code: &str| {
        facets
            .municipalities
            .iter()
            .position(|m| m.code == code)
            .unwrap_or(0)
    };
    let cat_index = |id: &str| cfg.categories.iter().position(|c| c.id == id).unwrap_or(0);
    let mut entries: Vec<&Entry> = site.entries.iter().collect();
    entries.sort_by_cached_key(|e| {
        (
            muni_index(&e.municipality),
            cat_index(&e.category),
            e.sort_key(),
        )
    });
    entries.into_iter().map(move |e| {
        let mi = muni_index(&e.municipality);
        let m = &facets.municipalities[mi];
        let category = cfg.category(&e.category);
        let care_bits = cfg
            .care_items
            .iter()
            .enumerate()
            .filter(|(_, c)| e.care.contains(&c.id))
            .fold(0u32, |bits, (i, _)| bits | (1 << i));
        let flag_bits = e
            .flags
            .iter()
            .enumerate()
            .filter(|(_, (_, v))| *v == Some(true))
            .fold(0u32, |bits, (i, _)| bits | (1 << i));
        let service_bits = services(cfg)
            .enumerate()
            .filter(|(_, s)| e.services.iter().any(|x| x == s))
            .fold(0u64, |bits, (i, _)| bits | (1 << i));
        let care_labels: Vec<&str> = e
            .care
            .iter()
            .filter_map(|id| cfg.care_item(id).map(|c| c.label.as_str()))
            .collect();
        // Without a position of its own or its municipality's, a listing sorts by distance
        // from the middle of the site's points (approximate, like a municipality's).
        let (lat, lon) = site.location(e).or(centre).unwrap_or_default();
        let approx = e.lat.is_none() || e.lon.is_none();
        Doc {
            id: e.id.clone(),
            name: e.name.clone(),
            kana: e.kana.clone().unwrap_or_default(),
            services: format!(
                "{} {}",
                category.map_or("", |c| c.label.as_str()),
                e.services.join(" ")
            ),
            care: care_labels.join(" "),
            municipality: format!(
                "{} {}",
                m.name,
                cfg.region(&e.region).map_or("", |r| r.name.as_str())
            ),
            address: format!(
                "{} {}",
                e.address,
                e.postal_code.clone().unwrap_or_default()
            ),
            operator: e.operator.clone().unwrap_or_default(),
            body: format!(
                "{} {} {} {}",
                plain_text(&e.description),
                e.hours.clone().unwrap_or_default(),
                e.phone.clone().unwrap_or_default(),
                e.fax.clone().unwrap_or_default()
            ),
            category: cat_index(&e.category) as u16,
            municipality_index: mi as u16,
            care_bits,
            flag_bits,
            service_bits,
            ages: e.ages.map(|a| (a.min.min(255) as u8, a.max.min(255) as u8)),
            lat,
            lon,
            approx,
            phone: e.phone.clone().unwrap_or_default(),
            verified: u32::try_from(e.verified.days_since_epoch()).unwrap_or(0),
            stale: e.is_stale(site.today),
        }
    })
}

/// Builds the tantivy index of a site under `root/.tsunagu/index`.
pub fn build_index(root: &Path, site: &Site) -> Result<SearchIndex, String> {
    let facets = facets(site);
    SearchIndex::build(&index_dir(root), documents(site, &facets), facets.clone())
        .map_err(|e| format!("検索インデックスを作れません: {e}"))
}
