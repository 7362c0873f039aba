//! Views: the site model as the values templates see, typed for the pages there are thousands of
//! (entries, lists, cards) and JSON for the few others.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use super::markdown::{mailto_href, markdown_to_html, tel_href, url_path};
use super::{LINES_PER_PAGE, PER_PAGE, PageJob, Theme, context};
use crate::config::Region;
use crate::entry::{Ages, Entry};
use crate::fields;
use crate::paths;
use crate::site::Site;

mod indexes;

/// One list (category, region, municipality, care item, 50音 row) before it is split into pages.
struct ListSpec<'a> {
    kind: &'static str,
    title: String,
    lead: String,
    /// Paragraphs under the lead (what a care item is, and the everyday words for it).
    notes: Vec<String>,
    /// Path of page 1, ending with `/`.
    path: String,
    entries: Vec<&'a Entry>,
    /// Each entry as one line (`line.html`) instead of its card: every list but a municipality's,
    /// where a family chooses among the places near them. A large site then publishes each card
    /// once, and a short line on its category, region, care-item and 50音 lists.
    lines: bool,
    /// Breadcrumbs between ホーム and the list.
    crumbs: Vec<Link>,
    /// A municipality's kinds of listing, each linking where its group starts on the list.
    kinds: Vec<KindLink>,
    /// The search page with the list's place already chosen (a municipality's list), to narrow
    /// it by care items, age and what a family needs.
    search: Option<String>,
}

impl<'a> ListSpec<'a> {
    /// A list of cards without notes or breadcrumbs.
    fn new(
        kind: &'static str,
        title: String,
        lead: String,
        path: String,
        entries: Vec<&'a Entry>,
    ) -> Self {
        ListSpec {
            kind,
            title,
            lead,
            notes: Vec::new(),
            path,
            entries,
            lines: false,
            crumbs: Vec::new(),
            kinds: Vec::new(),
            search: None,
        }
    }

    /// Entries on each page of the list.
    fn per_page(&self) -> usize {
        per_page(self.lines)
    }

    fn page_path(&self, number: usize) -> String {
        page_path(&self.path, number)
    }
}

/// Entries on each page of a list of lines, or of cards.
fn per_page(lines: bool) -> usize {
    if lines { LINES_PER_PAGE } else { PER_PAGE }
}

/// Page `number` of the list at `path`: page 1 at the path, page n at `<path>page/n/`.
fn page_path(path: &str, number: usize) -> String {
    if number == 1 {
        path.to_owned()
    } else {
        format!("{path}page/{number}/")
    }
}

/// Builds the views (template contexts) from the site model.
pub(super) struct Views<'a> {
    pub(super) site: &'a Site,
    pub(super) root: String,
    pub(super) base: String,
    pub(super) common_site: Value,
    pub(super) nav: Value,
    pub(super) care_items: Value,
    /// The theme, once its global context is set: a municipality's list renders its cards (each
    /// is shown once, so none is kept).
    pub(super) theme: Option<&'a Theme>,
    /// Each entry as one line (`line.html`) by entry id: rendered once, shown on the category,
    /// region, care-item and 50音 lists.
    pub(super) lines: HashMap<&'a str, String>,
    /// `card.html` with placeholders, the search page's `<template>` for result cards.
    pub(super) card_template: String,
    /// Each municipality's listings in the order of its list, and its kinds, by code
    /// ([`Views::list_order`]): the municipality, region, category and gap pages share them.
    municipalities: HashMap<&'a str, (Vec<&'a Entry>, Vec<KindLink>)>,
}

impl<'a> Views<'a> {
    pub(super) fn new(site: &'a Site) -> Views<'a> {
        let cfg = &site.config;
        let root = cfg.site.root_path();
        let base = cfg.site.base_url.clone();
        let common_site = json!({
            "title": cfg.site.title,
            "root": root,
            "base_url": base,
            "language": cfg.site.language,
            "prefecture": cfg.site.prefecture,
            "repository": cfg.site.repository,
            "license": cfg.site.license,
            "sample": cfg.site.sample,
            "tiles_origin": cfg.site.tiles.as_ref().map(|t| &t.origin),
            "centre": cfg.site.centre.as_ref().map(|c| json!({
                "name": c.name,
                "phone": c.phone,
                "phone_href": c.phone.as_deref().map(tel_href),
                "email": c.email,
                "email_href": c.email.as_deref().map(|m| mailto_href(m, &[])),
                "form_url": c.form_url,
            })),
            "as_of": site.as_of().map(|d| d.to_string()),
            "as_of_ja": site.as_of().map(|d| d.japanese()),
            "entry_count": site.entries.len(),
        });
        let mut v = Views {
            site,
            root,
            base,
            common_site,
            nav: Value::Null,
            care_items: Value::Null,
            theme: None,
            lines: HashMap::new(),
            card_template: String::new(),
            municipalities: HashMap::new(),
        };
        v.municipalities = (cfg.regions.iter())
            .flat_map(|r| &r.municipalities)
            .map(|m| (m.code.as_str(), v.list_order(&m.code)))
            .collect();
        // Each format's file, or the data page when the directory is published in parts.
        let parts = crate::opendata::site_parts(site).len();
        let data_links: serde_json::Map<String, Value> = crate::opendata::FILES
            .iter()
            .map(|f| {
                let path = if parts == 1 {
                    f.path(0, 1)
                } else {
                    "data/".to_owned()
                };
                (f.extension.to_owned(), Value::String(v.url(&path)))
            })
            .collect();
        v.nav = json!({
            "gaps_url": v.url("gaps/"),
            "header": ([indexes::SEARCH, indexes::MENU]
                .map(|(label, path)| json!({"label": label, "url": v.url(path)}))),
            "indexes": v.index_links(),
            "data": data_links,
            "categories": cfg.categories.iter().map(|c| json!({
                "id": c.id, "label": c.label, "description": c.description,
                "url": v.url(&paths::category(&c.id)),
                "count": site.in_category(&c.id).len(),
            })).collect::<Vec<_>>(),
            // Whether any municipality can be the origin of 近くを探す.
            "located": site.centre().is_some(),
            "regions": cfg.regions.iter().map(|r| json!({
                "id": r.id, "name": r.name, "url": v.url(&paths::region(&r.id)),
                "count": site.in_region(&r.id).len(),
                "located": r.municipalities.iter().any(|m| site.point(&m.code).is_some()),
                "municipalities": r.municipalities.iter().map(|m| json!({
                    "code": m.code, "name": m.name,
                    "located": site.point(&m.code).is_some(),
                    "url": v.url(&paths::municipality(&m.code)),
                    "count": site.in_municipality(&m.code).len(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        v.care_items = json!(
            cfg.care_items
                .iter()
                .map(|c| json!({
                    "id": c.id, "label": c.label,
                    "url": v.url(&paths::care(&c.id)),
                    "count": site.accepting(&c.id).len(),
                }))
                .collect::<Vec<_>>()
        );
        v
    }

    /// What every page depends on besides its own view: the theme and the global context.
    pub(super) fn inputs(&self, theme: &Theme) -> super::PageInputs {
        super::PageInputs {
            theme: theme.fingerprint,
            globals: serde_json::json!([self.common_site, self.nav, self.care_items]),
        }
    }

    /// Every entry's line (`line.html`), in parallel; those of the `unchanged` entries taken
    /// from the build before's `lines` instead.
    pub(super) fn snippets(
        &mut self,
        theme: &Theme,
        before: Option<(&super::Snippets, &HashSet<&str>)>,
    ) -> Result<(), String> {
        let lines: Vec<(&'a str, String)> = self
            .site
            .entries
            .par_iter()
            .map(|e| {
                let before = before
                    .filter(|(_, unchanged)| unchanged.contains(e.id.as_str()))
                    .and_then(|(lines, _)| lines.0.get(&e.id));
                let line = match before {
                    Some(line) => line.clone(),
                    None => render_entry(theme, "line.html", self.entry(e, false))?,
                };
                Ok((e.id.as_str(), line))
            })
            .collect::<Result<_, String>>()?;
        self.lines = lines.into_iter().collect();
        Ok(())
    }

    /// The lines, for the next build to reuse.
    pub(super) fn take_snippets(&mut self) -> super::Snippets {
        super::Snippets(
            std::mem::take(&mut self.lines)
                .into_iter()
                .map(|(id, line)| (id.to_owned(), line))
                .collect(),
        )
    }

    /// `map/site.json`, what the theme's maps (`map.js`) read: the tiles (`null`: maps without
    /// them) and each municipality's point and name, their background when there are no tiles.
    pub(super) fn map_file(&self) -> (String, Vec<u8>) {
        let cfg = &self.site.config;
        let places: Vec<Value> = cfg
            .regions
            .iter()
            .flat_map(|r| &r.municipalities)
            .filter_map(|m| {
                let (lat, lon) = self.site.point(&m.code)?;
                Some(json!({"name": m.name, "lat": lat, "lon": lon}))
            })
            .collect();
        let tiles = cfg.site.tiles.as_ref().map(|t| {
            json!({"url": t.url, "attribution": t.attribution, "attribution_url": t.attribution_url})
        });
        let doc = json!({"tiles": tiles, "places": places});
        (
            "map/site.json".to_owned(),
            serde_json::to_vec(&doc).expect("a JSON value serialises"),
        )
    }

    /// An entry's card (`card.html`).
    fn card(&self, e: &Entry) -> Result<String, String> {
        let theme = self.theme.ok_or("card.html: the theme is not set yet")?;
        render_entry(theme, "card.html", self.entry(e, false))
    }

    /// `card.html` rendered once with every optional part present and `{name}`-style placeholders
    /// for its texts and attributes, so that the search page's result cards are the list pages'
    /// markup: the search UI clones it, fills the placeholders and drops the parts a hit lacks.
    /// Seven care items show the six a card lists and the 「ほか」 item.
    pub(super) fn card_template(&self, theme: &Theme) -> Result<String, String> {
        let view = CardPage {
            e: EntryView {
                id: "{id}",
                name: "{name}",
                kana: None,
                // The search UI puts each hit's id in: its page's path is the one entries have.
                url: self.url(&paths::entry("{id}")),
                category: CategoryRef {
                    id: "",
                    label: Some("{category}"),
                    url: String::new(),
                },
                services: &[],
                municipality: Place {
                    code: "",
                    name: "{place}",
                    url: String::new(),
                },
                region: RegionRef {
                    id: "",
                    name: None,
                    url: String::new(),
                },
                address: "",
                postal_code: None,
                phone: Some("{phone}"),
                phone_href: Some("tel:{tel}".to_owned()),
                care: (0..7)
                    .map(|_| CareView {
                        id: "",
                        label: "{care}",
                    })
                    .collect(),
                ages: None,
                ages_text: Some("{ages}".to_owned()),
                capacity: None,
                flags: vec![FlagView {
                    id: "",
                    label: "{flag}",
                }],
                verified: "{verified}".to_owned(),
                verified_ja: "{verified_ja}".to_owned(),
                stale: true,
                template: true,
                details: None,
            },
        };
        let mut card = Vec::new();
        theme.render("card.html", &context(&view)?, &mut card)?;
        String::from_utf8(card)
            .map_err(|_| "card.html の描画結果が UTF-8 ではありません".to_owned())
    }

    /// Site-absolute URL path of a page path like `entries/x/`.
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    pub(super) fn page(&self, title: &str, path: &str, description: &str) -> PageView {
        PageView {
            title: title.to_owned(),
            url: self.url(path),
            canonical: format!("{}/{}", self.base, path),
            description: description.to_owned(),
            map: false,
        }
    }

    pub(super) fn jobs(&self) -> Vec<PageJob<'_>> {
        let cfg = &self.site.config;
        let mut jobs = Vec::new();
        let home_desc = format!(
            "{}の医療的ケア児とその家族が使える通所施設・短期入所・訪問看護・学校などの一覧です。",
            cfg.site.prefecture
        );
        jobs.push(PageJob::new(
            "index.html",
            "index.html".to_owned(),
            move || json!({"page": self.page(&cfg.site.title, "", &home_desc)}),
        ));
        self.category_jobs(&mut jobs);
        self.region_jobs(&mut jobs);
        self.care_jobs(&mut jobs);
        self.entry_jobs(&mut jobs);
        self.row_jobs(&mut jobs);
        self.index_jobs(&mut jobs);
        jobs.push(PageJob::new(
            "404.html",
            "404.html".to_owned(),
            move || json!({"page": self.page("ページが見つかりません", "404.html", "")}),
        ));
        jobs.push(PageJob::new("robots.txt", "robots.txt".to_owned(), || {
            json!({})
        }));
        jobs.push(PageJob::new(
            "search.html",
            paths::file(indexes::SEARCH.1),
            move || {
                let desc = "医療的ケアの種類・地域・子どもの年齢・近さなどの条件で、掲載されている事業所を探せます。";
                json!({
                    "page": self.page("条件で探す", indexes::SEARCH.1, desc),
                    "breadcrumbs": [self.home_link()],
                    "guide": self.keyword_guide(),
                    "search": {
                        "card": self.card_template,
                        "age_max": 20,
                        "flags": fields::flags().iter().map(|f| json!({"id": f.id, "label": f.label})).collect::<Vec<_>>(),
                    },
                })
            },
        ));
        jobs
    }

    /// A municipality's listings in the order of its list: by kind, in the site's order of
    /// categories (an unknown one after them, by id), then in 50音順 within each kind, so a family
    /// finds the kind it needs in one place and the categories' pages link straight to it; and
    /// each kind it has, with where its group starts there (the page and the group's heading).
    fn list_order(&self, code: &str) -> (Vec<&'a Entry>, Vec<KindLink>) {
        let order: HashMap<&str, usize> = (self.site.config.categories.iter())
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut entries = self.site.in_municipality(code);
        entries.sort_by_key(|e| {
            (
                order
                    .get(e.category.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
                &e.category,
            )
        });
        let path = paths::municipality(code);
        let mut kinds: Vec<KindLink> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match kinds.last_mut() {
                Some(k) if k.id == e.category => k.count += 1,
                _ => kinds.push(KindLink {
                    id: e.category.clone(),
                    label: self.category_label(e).to_owned(),
                    count: 1,
                    url: format!(
                        "{}#kind-{}",
                        self.url(&page_path(&path, i / per_page(false) + 1)),
                        e.category
                    ),
                }),
            }
        }
        (entries, kinds)
    }

    fn municipality_entries(&self, code: &str) -> Vec<&'a Entry> {
        self.municipalities
            .get(code)
            .map_or_else(Vec::new, |(e, _)| e.clone())
    }

    fn kinds_in(&self, code: &str) -> &[KindLink] {
        self.municipalities.get(code).map_or(&[], |(_, k)| k)
    }

    fn category_label(&self, e: &'a Entry) -> &'a str {
        self.site
            .config
            .category(&e.category)
            .map_or(e.category.as_str(), |c| c.label.as_str())
    }

    /// A page for each category: where its listings are, by region and municipality, each
    /// linking the kind's group on the municipality's list. At national scale one list of a
    /// kind is thousands of pages a family cannot use; near home, it is one tap.
    fn category_jobs<'s>(&'s self, jobs: &mut Vec<PageJob<'s>>) {
        let cfg = &self.site.config;
        for c in &cfg.categories {
            let path = paths::category(&c.id);
            let lead = format!(
                "{}（{}）の掲載 {} 件",
                c.label,
                c.description,
                self.site.in_category(&c.id).len()
            );
            let regions: Vec<Value> = cfg
                .regions
                .iter()
                .map(|r| {
                    let places: Vec<Value> = r
                        .municipalities
                        .iter()
                        .filter_map(|m| {
                            let kind = self.kinds_in(&m.code).iter().find(|k| k.id == c.id)?;
                            Some(json!({"name": m.name, "count": kind.count, "url": kind.url}))
                        })
                        .collect();
                    json!({"id": r.id, "name": r.name, "municipalities": places})
                })
                .collect();
            let search = format!("{}?category={}", self.url(indexes::SEARCH.1), c.id);
            let view = json!({
                "page": self.page(&c.label, &path, &lead),
                "breadcrumbs": [self.home_link(), self.link(indexes::CATEGORIES)],
                "category": {"id": c.id, "label": c.label, "lead": lead, "regions": regions, "search": search},
            });
            jobs.push(PageJob::new(
                "category.html",
                paths::file(&path),
                move || view.clone(),
            ));
        }
    }

    /// A page for each region, choosing among its municipalities, and a list for each
    /// municipality. A region lists no listings itself: at national scale its list would repeat
    /// every municipality's (a fifth of a large site's lines), and a family looks near home.
    fn region_jobs<'s>(&'s self, jobs: &mut Vec<PageJob<'s>>) {
        for r in &self.site.config.regions {
            let title = format!("{}地域", r.name);
            let names: Vec<&str> = r.municipalities.iter().map(|m| m.name.as_str()).collect();
            let path = paths::region(&r.id);
            let region_url = self.url(&path);
            let lead = format!(
                "{title}（{}）の掲載 {} 件",
                names.join("・"),
                self.site.in_region(&r.id).len()
            );
            let view = json!({
                "page": self.page(&title, &path, &lead),
                "breadcrumbs": [self.home_link(), self.link(indexes::REGIONS)],
                "region": {
                    "name": r.name,
                    "lead": lead,
                    "counts": self.municipality_counts(r),
                    "gap_url": self.url(&paths::gap(&r.id)),
                },
            });
            jobs.push(PageJob::new("region.html", paths::file(&path), move || {
                view.clone()
            }));
            for m in &r.municipalities {
                let list = ListSpec {
                    crumbs: vec![
                        self.link(indexes::REGIONS),
                        Link {
                            label: title.clone(),
                            url: region_url.clone(),
                        },
                    ],
                    kinds: self.kinds_in(&m.code).to_vec(),
                    search: Some(format!(
                        "{}?municipality={}",
                        self.url(indexes::SEARCH.1),
                        m.code
                    )),
                    ..ListSpec::new(
                        "municipality",
                        m.name.clone(),
                        format!("{}（{}地域）", m.name, r.name),
                        paths::municipality(&m.code),
                        self.municipality_entries(&m.code),
                    )
                };
                self.list_jobs(list, jobs);
            }
        }
    }

    /// A region's municipalities with their listings by category (none where there are none)
    /// and in all, linking each municipality's list and the start of each kind on it: the region
    /// page's and its gap page's table (`municipality_counts.html`).
    pub(super) fn municipality_counts(&self, r: &Region) -> Value {
        let categories = &self.site.config.categories;
        let rows: Vec<Value> = r
            .municipalities
            .iter()
            .map(|m| {
                let kinds = self.kinds_in(&m.code);
                json!({
                    "name": m.name,
                    "url": self.url(&paths::municipality(&m.code)),
                    "counts": categories.iter().map(|c| kinds.iter().find(|k| k.id == c.id)).collect::<Vec<_>>(),
                    "total": kinds.iter().map(|k| k.count).sum::<usize>(),
                })
            })
            .collect();
        json!({
            "categories": categories.iter().map(|c| &c.label).collect::<Vec<_>>(),
            "rows": rows,
        })
    }

    /// A page for each published entry.
    fn entry_jobs<'s>(&'s self, jobs: &mut Vec<PageJob<'s>>) {
        for e in &self.site.entries {
            jobs.push(PageJob::of_entry(
                e,
                "entry.html",
                paths::file(&paths::entry(&e.id)),
                move || {
                    let path = paths::entry(&e.id);
                    let cat = self.category_label(e);
                    let desc = format!("{}（{}・{}）", e.name, cat, self.municipality_name(e));
                    EntryPage {
                        page: PageView {
                            map: e.lat.is_some() && e.lon.is_some(),
                            ..self.page(&e.name, &path, &desc)
                        },
                        entry: self.entry(e, true),
                        breadcrumbs: [
                            self.home_link(),
                            Link {
                                label: cat.to_owned(),
                                url: self.url(&paths::category(&e.category)),
                            },
                        ],
                    }
                },
            ));
        }
    }

    /// The pages of one list: page 1 at its path, page n at `<path>page/n/`.
    fn list_jobs<'s>(&'s self, spec: ListSpec<'s>, jobs: &mut Vec<PageJob<'s>>) {
        let spec = std::sync::Arc::new(spec);
        let pages = spec.entries.len().div_ceil(spec.per_page()).max(1);
        for number in 1..=pages {
            let spec = std::sync::Arc::clone(&spec);
            jobs.push(PageJob::try_new(
                "list.html",
                paths::file(&spec.page_path(number)),
                move || self.list_view(&spec, number, pages),
            ));
        }
    }
    /// The sitemaps of every page that is a directory index, in job order (see
    /// [`sitemap_files`]).
    pub(super) fn sitemaps(&self, jobs: &[PageJob<'_>]) -> Vec<PageJob<'static>> {
        let pages: Vec<String> = jobs
            .iter()
            .filter_map(|j| j.path.strip_suffix("index.html"))
            .map(|dir| format!("{}/{dir}", self.base))
            .collect();
        sitemap_files(&self.base, pages, SITEMAP_URLS)
            .into_iter()
            .map(|(template, path, view)| PageJob::new(template, path, move || view.clone()))
            .collect()
    }

    fn list_view(
        &self,
        spec: &ListSpec<'_>,
        number: usize,
        pages: usize,
    ) -> Result<ListPage<'_>, String> {
        let total = spec.entries.len();
        let per_page = spec.per_page();
        let start = (number - 1) * per_page;
        let shown = &spec.entries[start.min(total)..(start + per_page).min(total)];
        let page_url = |n: usize| self.url(&spec.page_path(n));
        let lead = if pages > 1 {
            format!(
                "{}の掲載 {total} 件（{}〜{} 件目）",
                spec.lead,
                start + 1,
                start + shown.len()
            )
        } else {
            format!("{}の掲載 {total} 件", spec.lead)
        };
        let title = if number > 1 {
            format!("{}（{number}ページ目）", spec.title)
        } else {
            spec.title.clone()
        };
        let pagination = (pages > 1).then(|| Pagination {
            current: number,
            total: pages,
            prev: (number > 1).then(|| page_url(number - 1)),
            next: (number < pages).then(|| page_url(number + 1)),
            pages: page_window(number, pages)
                .into_iter()
                .scan(0, |previous, n| {
                    let gap_before = n > *previous + 1 && *previous > 0;
                    *previous = n;
                    Some(PageLink {
                        number: n,
                        url: page_url(n),
                        current: n == number,
                        gap_before,
                    })
                })
                .collect(),
        });
        let mut breadcrumbs = vec![self.home_link()];
        breadcrumbs.extend(spec.crumbs.iter().cloned());
        let (groups, lines) = if spec.lines {
            (Vec::new(), snippets(&self.lines, shown))
        } else {
            (self.card_groups(spec, start, shown)?, Vec::new())
        };
        let map = groups.iter().any(|g| g.points.contains(','));
        Ok(ListPage {
            page: PageView {
                map,
                ..self.page(&title, &spec.page_path(number), &lead)
            },
            list: ListView {
                kind: spec.kind,
                title,
                lead,
                // What the list is (its care item's description, everyday words) is said
                // once, on its first page: the later pages are its continuation.
                notes: if number == 1 {
                    spec.notes.clone()
                } else {
                    Vec::new()
                },
                total,
                kinds: spec.kinds.clone(),
                search: spec.search.clone(),
                groups,
                lines,
                pagination,
            },
            breadcrumbs,
        })
    }

    /// The cards of a page of a municipality's list (`shown`, from entry `start` of the list),
    /// grouped by kind as [`Views::municipality_entries`] orders them.
    fn card_groups(
        &self,
        spec: &ListSpec<'_>,
        start: usize,
        shown: &[&'a Entry],
    ) -> Result<Vec<CardGroup>, String> {
        let mut groups: Vec<CardGroup> = Vec::new();
        for (i, e) in shown.iter().enumerate() {
            let card = self.card(e)?;
            let point = match (e.lat, e.lon) {
                (Some(lat), Some(lon)) => format!("{lat},{lon}"),
                _ => String::new(),
            };
            match groups.last_mut() {
                Some(g) if g.id == e.category => {
                    g.cards.push(card);
                    g.points.push(';');
                    g.points.push_str(&point);
                }
                _ => groups.push(CardGroup {
                    id: e.category.clone(),
                    label: self.category_label(e).to_owned(),
                    total: spec
                        .kinds
                        .iter()
                        .find(|k| k.id == e.category)
                        .map_or(0, |k| k.count),
                    continued: i == 0
                        && start > 0
                        && spec.entries[start - 1].category == e.category,
                    cards: vec![card],
                    points: point,
                }),
            }
        }
        Ok(groups)
    }

    fn home_link(&self) -> Link {
        Link {
            label: "ホーム".to_owned(),
            url: self.root.clone(),
        }
    }

    /// A link to a page of the site: its title and the path below the root.
    fn link(&self, (label, path): (&str, &str)) -> Link {
        Link {
            label: label.to_owned(),
            url: self.url(path),
        }
    }

    fn municipality_name(&self, e: &'a Entry) -> &'a str {
        self.site
            .municipality_of(e)
            .map_or(e.municipality.as_str(), |m| m.name.as_str())
    }

    /// A `mailto:` to the centre about an error in an entry: its name in the subject, its page
    /// (which names its id) and a short form in the body. Kept short: every character but ASCII
    /// letters and digits takes 3 to 9 bytes of every entry page.
    fn report_href(&self, to: &str, e: &Entry) -> String {
        let subject = format!("掲載内容の誤り：{}", e.name);
        let body = format!(
            "{}/{}\n\n誤っている内容：\n\n正しい内容：\n",
            self.base,
            paths::entry(&e.id)
        );
        mailto_href(to, &[("subject", &subject), ("body", &body)])
    }

    /// The view of one entry; `full` adds what only the entry page shows.
    fn entry(&self, e: &'a Entry, full: bool) -> EntryView<'a> {
        let cfg = &self.site.config;
        EntryView {
            id: &e.id,
            name: &e.name,
            kana: e.kana.as_deref(),
            url: self.url(&paths::entry(&e.id)),
            category: CategoryRef {
                id: &e.category,
                label: cfg.category(&e.category).map(|c| c.label.as_str()),
                url: self.url(&paths::category(&e.category)),
            },
            services: &e.services,
            municipality: Place {
                code: &e.municipality,
                name: self.municipality_name(e),
                url: self.url(&paths::municipality(&e.municipality)),
            },
            region: RegionRef {
                id: &e.region,
                name: cfg.region(&e.region).map(|r| r.name.as_str()),
                url: self.url(&paths::region(&e.region)),
            },
            address: &e.address,
            postal_code: e.postal_code.as_deref(),
            phone: e.phone.as_deref(),
            phone_href: e.phone.as_deref().map(tel_href),
            care: e
                .care
                .iter()
                .filter_map(|id| cfg.care_item(id))
                .map(|c| CareView {
                    id: &c.id,
                    label: &c.label,
                })
                .collect(),
            ages: e.ages,
            ages_text: e.ages.map(|a| {
                if a.min == a.max {
                    format!("{}歳", a.min)
                } else {
                    format!("{}〜{}歳", a.min, a.max)
                }
            }),
            capacity: e.capacity,
            flags: e
                .flags
                .iter()
                .filter(|&(_, value)| value == Some(true))
                .map(|(f, _)| FlagView {
                    id: f.id,
                    label: f.label,
                })
                .collect(),
            verified: e.verified.to_string(),
            verified_ja: e.verified.japanese(),
            stale: e.is_stale(self.site.today),
            template: false,
            details: full.then(|| EntryDetails {
                lat: e.lat,
                lon: e.lon,
                map_url: map_url(e),
                fax: e.fax.as_deref(),
                email: e.email.as_deref(),
                email_href: e.email.as_deref().map(|m| mailto_href(m, &[])),
                website: e.url.as_deref(),
                operator: e.operator.as_deref(),
                hours: e.hours.as_deref(),
                source: e.source.as_deref(),
                description_html: markdown_to_html(&e.description),
                flag_groups: [Some(true), Some(false), None]
                    .into_iter()
                    .map(|value| FlagGroup {
                        status: match value {
                            Some(true) => "yes",
                            Some(false) => "no",
                            None => "unset",
                        },
                        labels: e
                            .flags
                            .iter()
                            .filter(|&(_, v)| v == value)
                            .map(|(f, _)| f.label)
                            .collect(),
                    })
                    .filter(|g| !g.labels.is_empty())
                    .collect(),
                edit_url: cfg
                    .site
                    .repository
                    .as_ref()
                    .map(|r| format!("{r}/edit/{}/{}", cfg.site.branch, url_path(&e.path))),
                report_href: cfg
                    .site
                    .centre
                    .as_ref()
                    .and_then(|c| c.email.as_deref())
                    .map(|to| self.report_href(to, e)),
            }),
        }
    }
}

// Typed views of the pages there are thousands of (entries, lists, cards): serialised straight
// into the template context, without building JSON trees first.

/// `page` in every template.
#[derive(Serialize)]
pub(super) struct PageView {
    title: String,
    url: String,
    canonical: String,
    description: String,
    /// The page shows a map (`map.js`): its Content-Security-Policy lets the tiles' host in.
    map: bool,
}

/// A breadcrumb.
#[derive(Serialize, Clone)]
struct Link {
    label: String,
    url: String,
}

#[derive(Serialize)]
struct EntryPage<'a> {
    page: PageView,
    entry: EntryView<'a>,
    breadcrumbs: [Link; 2],
}

#[derive(Serialize)]
struct CardPage<'a> {
    e: EntryView<'a>,
}

#[derive(Serialize)]
struct ListPage<'s> {
    page: PageView,
    list: ListView<'s>,
    breadcrumbs: Vec<Link>,
}

#[derive(Serialize)]
struct ListView<'s> {
    kind: &'static str,
    title: String,
    lead: String,
    notes: Vec<String>,
    total: usize,
    /// A municipality's kinds, each linking its group.
    kinds: Vec<KindLink>,
    search: Option<String>,
    /// The page's entries as cards under their kind, or (for a list of lines) as lines.
    groups: Vec<CardGroup>,
    lines: Vec<&'s str>,
    pagination: Option<Pagination>,
}

/// Where a municipality's listings of one kind start on its list.
#[derive(Serialize, Clone)]
struct KindLink {
    id: String,
    label: String,
    count: usize,
    url: String,
}

/// The cards of one kind on a page of a municipality's list, under the kind's heading.
#[derive(Serialize)]
struct CardGroup {
    id: String,
    label: String,
    /// The kind's listings in the whole list, not on this page only.
    total: usize,
    /// The group began on an earlier page.
    continued: bool,
    cards: Vec<String>,
    /// Each card's point, `lat,lon` (empty for a listing without coordinates), `;` between
    /// them: the page's map (`map.js`) marks them.
    points: String,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages between this one and the previous link are left out (shown as …).
    gap_before: bool,
}

/// The pre-rendered lines of `shown`.
fn snippets<'m>(of: &'m HashMap<&str, String>, shown: &[&Entry]) -> Vec<&'m str> {
    shown.iter().map(|e| of[e.id.as_str()].as_str()).collect()
}

/// `template` (a card or a line) rendered for one entry.
fn render_entry(theme: &Theme, template: &str, e: EntryView<'_>) -> Result<String, String> {
    let mut out = Vec::new();
    theme.render(template, &context(&CardPage { e })?, &mut out)?;
    String::from_utf8(out).map_err(|_| format!("{template} の描画結果が UTF-8 ではありません"))
}

/// The page numbers a list page links to: the first, the last and two either side of the current
/// one. Linking every page would make each page of a 500-page list carry 500 links.
fn page_window(current: usize, pages: usize) -> Vec<usize> {
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(pages);
    let mut window: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(pages))
        .collect();
    window.dedup();
    window
}

#[derive(Serialize)]
struct EntryView<'a> {
    id: &'a str,
    name: &'a str,
    kana: Option<&'a str>,
    url: String,
    category: CategoryRef<'a>,
    services: &'a [String],
    municipality: Place<'a>,
    region: RegionRef<'a>,
    address: &'a str,
    postal_code: Option<&'a str>,
    phone: Option<&'a str>,
    phone_href: Option<String>,
    care: Vec<CareView<'a>>,
    ages: Option<Ages>,
    ages_text: Option<String>,
    capacity: Option<u32>,
    /// The flags it offers; the entry page lists every answer (`flag_groups`).
    flags: Vec<FlagView>,
    verified: String,
    verified_ja: String,
    stale: bool,
    /// The search page's card template (`card_template`): it adds the distance slot.
    template: bool,
    #[serde(flatten)]
    details: Option<EntryDetails<'a>>,
}

/// What only the entry page shows.
#[derive(Serialize)]
struct EntryDetails<'a> {
    lat: Option<f64>,
    lon: Option<f64>,
    map_url: String,
    fax: Option<&'a str>,
    email: Option<&'a str>,
    email_href: Option<String>,
    website: Option<&'a str>,
    operator: Option<&'a str>,
    hours: Option<&'a str>,
    source: Option<&'a str>,
    description_html: String,
    /// The flags by answer (yes, no, not known), each group in the registry's order: three
    /// lines instead of a row per flag.
    flag_groups: Vec<FlagGroup>,
    edit_url: Option<String>,
    /// `mailto:` to the centre (`[centre] email`) to report an error in the listing.
    report_href: Option<String>,
}

#[derive(Serialize)]
struct CategoryRef<'a> {
    id: &'a str,
    label: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct RegionRef<'a> {
    id: &'a str,
    name: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct Place<'a> {
    code: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct CareView<'a> {
    id: &'a str,
    label: &'a str,
}

/// A flag the entry offers (its card's chips).
#[derive(Serialize)]
struct FlagView {
    id: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct FlagGroup {
    /// `yes`, `no` or `unset`: the template's words and the stylesheet's mark.
    status: &'static str,
    labels: Vec<&'static str>,
}

/// An OpenStreetMap link: the point when the entry has coordinates, else an address search.
fn map_url(e: &Entry) -> String {
    match (e.lat, e.lon) {
        (Some(lat), Some(lon)) => {
            format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}")
        }
        _ => format!(
            "https://www.openstreetmap.org/search?query={}",
            url::form_urlencoded::byte_serialize(e.address.as_bytes()).collect::<String>()
        ),
    }
}

/// The most URLs one sitemap file may list (sitemaps.org protocol: 50,000 URLs, 50 MB).
const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml` listing `pages`; when they are more than `per_file`, `sitemap.xml` is instead a
/// sitemap index of `sitemap-1.xml`, `sitemap-2.xml` … of `per_file` pages each, so robots.txt
/// names one file at any size. Each file as (template, path, view).
fn sitemap_files(
    base: &str,
    pages: Vec<String>,
    per_file: usize,
) -> Vec<(&'static str, String, Value)> {
    let job = |template, path: String, view: Value| (template, path, view);
    if pages.len() <= per_file {
        return vec![job(
            "sitemap.xml",
            "sitemap.xml".to_owned(),
            json!({ "pages": pages }),
        )];
    }
    let mut jobs = Vec::new();
    let mut files = Vec::new();
    for (i, chunk) in pages.chunks(per_file).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        files.push(format!("{base}/{name}"));
        jobs.push(("sitemap.xml", name, json!({ "pages": chunk })));
    }
    jobs.push((
        "sitemap_index.xml",
        "sitemap.xml".to_owned(),
        json!({ "sitemaps": files }),
    ));
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemaps_split_under_an_index_beyond_the_protocols_limit() {
        let pages = |n: usize| {
            (0..n)
                .map(|i| format!("https://x.jp/p{i}/"))
                .collect::<Vec<_>>()
        };
        let files = |jobs: Vec<(&'static str, String, Value)>| -> Vec<(String, &str, Value)> {
            jobs.into_iter().map(|(t, p, v)| (p, t, v)).collect()
        };
        let one = files(sitemap_files("https://x.jp", pages(3), 3));
        assert_eq!(one.len(), 1);
        assert_eq!(
            (one[0].0.as_str(), one[0].1),
            ("sitemap.xml", "sitemap.xml")
        );
        assert_eq!(one[0].2["pages"].as_array().unwrap().len(), 3);

        let split = files(sitemap_files("https://x.jp", pages(7), 3));
        let paths: Vec<&str> = split.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let sizes: Vec<usize> = split[..3]
            .iter()
            .map(|f| f.2["pages"].as_array().unwrap().len())
            .collect();
        assert_eq!(sizes, [3, 3, 1]);
        assert_eq!(split[3].1, "sitemap_index.xml");
        assert_eq!(
            split[3].2["sitemaps"],
            json!([
                "https://x.jp/sitemap-1.xml",
                "https://x.jp/sitemap-2.xml",
                "https://x.jp/sitemap-3.xml"
            ])
        );
        assert_eq!(split[0].2["pages"][0], "https://x.jp/p0/");
        assert_eq!(split[2].2["pages"][0], "https://x.jp/p6/");
    }

    #[test]
    fn pagination_links_the_ends_and_the_neighbours() {
        assert_eq!(page_window(1, 1), [1]);
        assert_eq!(page_window(1, 3), [1, 2, 3]);
        assert_eq!(page_window(1, 10), [1, 2, 3, 10]);
        assert_eq!(page_window(5, 10), [1, 3, 4, 5, 6, 7, 10]);
        assert_eq!(page_window(10, 10), [1, 8, 9, 10]);
        assert_eq!(page_window(4, 800), [1, 2, 3, 4, 5, 6, 800]);
    }
}
