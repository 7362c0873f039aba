//! Rendering the site model to pages: tera templates (the built-in default theme, overridable per
//! file from `themes/<theme>/`), Markdown through pulldown-cmark and ammonia, minify-html.
//!
//! Views are plain JSON values built here, so templates never reach into the model and the model
//! never knows about templates.

use std::collections::HashMap;
use std::path::Path;

use indicatif::ProgressBar;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::entry::{Ages, Entry, without_forbidden_chars};
use crate::fields;
use crate::gaps::GapReport;
use crate::site::Site;

mod gaps;
mod minify;

/// Templates of the built-in default theme, compiled into the binary so any site root works.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "entry.html",
        include_str!("../../themes/default/templates/entry.html"),
    ),
    (
        "list.html",
        include_str!("../../themes/default/templates/list.html"),
    ),
    (
        "card.html",
        include_str!("../../themes/default/templates/card.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "sitemap.xml",
        include_str!("../../themes/default/templates/sitemap.xml"),
    ),
    (
        "regions.html",
        include_str!("../../themes/default/templates/regions.html"),
    ),
    (
        "gaps.html",
        include_str!("../../themes/default/templates/gaps.html"),
    ),
    (
        "gaps_region.html",
        include_str!("../../themes/default/templates/gaps_region.html"),
    ),
    (
        "robots.txt",
        include_str!("../../themes/default/templates/robots.txt"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
];

/// Static files of the built-in default theme, copied to the output root.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "search-ui.js",
        include_bytes!("../../themes/default/static/search-ui.js"),
    ),
];

/// A theme ready to render: templates minified and parsed once, static files loaded.
pub struct Theme {
    tera: tera::Tera,
    statics: Vec<(String, Vec<u8>)>,
    /// Some HTML template could not be minified ahead (see [`minify`]): minify each page instead.
    minify_pages: bool,
}

impl Theme {
    /// The built-in default theme with any file of `root/themes/<name>/templates/` and
    /// `root/themes/<name>/static/` taking precedence over the built-in one of the same name.
    pub fn load(root: &Path, name: &str) -> Result<Theme, String> {
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            return Err(format!(
                "テーマ `{name}` が見つかりません（themes/{name}/ を作るか、site.toml の theme を直してください）"
            ));
        }
        let mut templates: Vec<(String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        for (rel, bytes) in read_tree(&dir.join("templates"))? {
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("themes/{name}/templates/{rel} が UTF-8 ではありません"))?;
            templates.retain(|(n, _)| *n != rel);
            templates.push((rel, text));
        }
        let mut statics: Vec<(String, Vec<u8>)> = DEFAULT_STATIC
            .iter()
            .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
            .collect();
        for (rel, bytes) in read_tree(&dir.join("static"))? {
            statics.retain(|(n, _)| *n != rel);
            statics.push((rel, bytes));
        }
        statics.sort();
        Theme::new(templates, statics, true)
    }

    /// A theme from its files. `preminify` minifies the HTML templates once where that is safe
    /// (always, outside tests that compare it with minifying every page).
    fn new(
        mut templates: Vec<(String, String)>,
        statics: Vec<(String, Vec<u8>)>,
        preminify: bool,
    ) -> Result<Theme, String> {
        let mut minify_pages = !preminify;
        for (n, text) in &mut templates {
            if preminify && n.ends_with(".html") {
                match minify::template(text) {
                    Some(small) => *text = small,
                    None => minify_pages = true,
                }
            }
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| format!("テンプレートに誤りがあります: {}", error_chain(&e)))?;
        Ok(Theme {
            tera,
            statics,
            minify_pages,
        })
    }

    /// Renders a template into `out` (emptied first). The bytes are UTF-8, as templates and
    /// context values are strings: pages are written as they are, without the check of every
    /// byte that turning them into a `String` would cost.
    fn render(&self, template: &str, ctx: &tera::Context, out: &mut Vec<u8>) -> Result<(), String> {
        out.clear();
        self.tera
            .render_to(template, ctx, out)
            .map_err(|e| format!("{template} の描画に失敗しました: {}", error_chain(&e)))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Files under `dir`, as (relative path with `/`, bytes), in a stable order. A missing dir is empty.
fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for item in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let item = item.map_err(|e| format!("テーマを読めません: {e}"))?;
        if item.file_type().is_file() {
            let rel = crate::diag::display_path(dir, item.path());
            let bytes = std::fs::read(item.path())
                .map_err(|e| format!("{} を読めません: {e}", item.path().display()))?;
            out.push((rel, bytes));
        }
    }
    Ok(out)
}

/// Receives each output file: path below the output root, bytes.
pub type WriteFn<'a> = dyn Fn(&str, &[u8]) -> Result<(), String> + Sync + 'a;

/// Builds a page's context when the page is rendered, so a large site never holds every view at
/// once.
type ViewFn<'a> = Box<dyn Fn() -> Result<tera::Context, String> + Send + Sync + 'a>;

/// One page to render: template, output path and view.
struct PageJob<'a> {
    template: &'static str,
    path: String,
    view: ViewFn<'a>,
}

impl<'a> PageJob<'a> {
    fn new<V: Serialize>(
        template: &'static str,
        path: String,
        view: impl Fn() -> V + Send + Sync + 'a,
    ) -> Self {
        PageJob {
            template,
            path,
            view: Box::new(move || context(&view())),
        }
    }
}

/// A template context from a view: a typed struct for the pages there are thousands of, a JSON
/// value for the others.
fn context(view: &impl Serialize) -> Result<tera::Context, String> {
    tera::Context::from_serialize(view).map_err(|e| error_chain(&e))
}

/// Entries per list page: long lists are split so a phone never loads thousands of cards.
const PER_PAGE: usize = 50;

/// Renders every page and static file, handing each to `write` (path relative to the output root).
/// Returns the number of pages written.
pub fn render_site(
    site: &Site,
    report: &GapReport,
    theme: &mut Theme,
    write: &WriteFn<'_>,
) -> Result<usize, String> {
    let mut views = Views::new(site);
    let globals = theme.tera.global_context();
    globals.insert("site", &views.common_site);
    globals.insert("nav", &views.nav);
    globals.insert("care_items", &views.care_items);
    views.cards = views.cards(theme)?;
    let mut jobs = views.jobs();
    let (gap_jobs, gap_files) = views.gap_jobs(report);
    jobs.extend(gap_jobs);
    jobs.push(views.sitemap(&jobs));
    let progress = if site.entries.len() >= 5_000 {
        ProgressBar::new(jobs.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    let theme = &*theme;
    // One buffer per thread, reused for every page it renders.
    jobs.par_iter().try_for_each_init(Vec::new, |page, job| {
        theme.render(job.template, &(job.view)()?, page)?;
        progress.inc(1);
        if theme.minify_pages && job.path.ends_with(".html") {
            write(&job.path, &minify::page(page))
        } else {
            write(&job.path, page)
        }
    })?;
    progress.finish_and_clear();
    for (path, bytes) in theme.statics.iter().chain(&gap_files) {
        write(path, bytes)?;
    }
    Ok(jobs.len())
}

/// Markdown from a contributor to safe HTML: raw HTML dropped by ammonia, only http/https/tel/mailto
/// links, no images (they would load from elsewhere), headings moved under the page's own.
pub fn markdown_to_html(md: &str) -> String {
    // Markup that needs the sanitiser: raw HTML, links (schemes, rel) and images.
    let mut needs_sanitizer = false;
    let parser =
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|ev| {
            match ev {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => Event::Start(Tag::Heading {
                    level: demote(level),
                    id,
                    classes,
                    attrs,
                }),
                Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
                Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                    needs_sanitizer = true;
                    ev
                }
                other => other,
            }
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    // Without raw HTML, links or images, pulldown-cmark's output is escaped text in fixed tags
    // (and heading attributes, which are off): nothing for the sanitiser to remove.
    let clean = if needs_sanitizer {
        drop_rel_without_href(&sanitizer().clean(&html).to_string())
    } else {
        html
    };
    // Markdown entities (`&#x202E;`) decode to characters validation never saw: drop them here.
    match without_forbidden_chars(&clean) {
        std::borrow::Cow::Borrowed(_) => clean,
        std::borrow::Cow::Owned(cleaned) => cleaned,
    }
}

/// The sanitiser, configured once: building one allocates its whole allow-list.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut b = ammonia::Builder::default();
            // <details> needs a <summary> first, which the sanitiser cannot ensure: both go,
            // their text stays (pages must stay valid HTML whatever the description holds).
            b.rm_tags(["img", "details", "summary"])
                .url_schemes(["http", "https", "tel", "mailto"].into())
                .link_rel(Some("noopener noreferrer"));
            b
        });
    &SANITIZER
}

/// ammonia gives every `<a>` the `rel`, also those whose `href` it removed (`javascript:` …), and
/// `rel` without `href` is invalid HTML: it goes from those. Text never holds `<a ` (escaped).
fn drop_rel_without_href(html: &str) -> String {
    const REL: &str = " rel=\"noopener noreferrer\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        out.push_str(&rest[..i]);
        let len = rest[i..].find('>').map_or(rest.len() - i, |e| e + 1);
        let tag = &rest[i..i + len];
        if tag.contains(" href=") {
            out.push_str(tag);
        } else {
            out.push_str(&tag.replacen(REL, "", 1));
        }
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    out
}

/// A file path in a URL: ASCII that a URL path cannot hold as it is (`"`, `<`, space, `#`, `?` …)
/// percent-encoded; other characters kept, as browsers show them.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric()
            || "-._~/!$&'()*+,;=:@".contains(c)
            || !(c.is_ascii() || c.is_control())
        {
            out.push(c);
        } else {
            for b in c.to_string().bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Description headings start at h3 and keep their order: the page has its h1 and the
/// description sits under an h2, so no level is skipped.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// A `tel:` link target: digits and a leading `+` only.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// One list (category, region, municipality) before it is split into pages.
struct ListSpec<'a> {
    kind: &'static str,
    title: String,
    lead: String,
    /// Path of page 1, ending with `/`.
    path: String,
    entries: Vec<&'a Entry>,
    subsections: Vec<Subsection>,
    /// Breadcrumbs between ホーム and the list.
    crumbs: Vec<Link>,
}

impl ListSpec<'_> {
    fn page_path(&self, number: usize) -> String {
        if number == 1 {
            self.path.clone()
        } else {
            format!("{}page/{number}/", self.path)
        }
    }
}

/// Builds the views (template contexts) from the site model.
struct Views<'a> {
    site: &'a Site,
    root: String,
    base: String,
    common_site: Value,
    nav: Value,
    care_items: Value,
    /// Each entry's card (`card.html`) by entry id: rendered once, shown on three lists.
    cards: HashMap<&'a str, String>,
}

impl<'a> Views<'a> {
    fn new(site: &'a Site) -> Views<'a> {
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
            cards: HashMap::new(),
        };
        v.nav = json!({
            "gaps_url": v.url("gaps/"),
            "data": {
                "csv": v.url("data/entries.csv"),
                "json": v.url("data/entries.json"),
                "geojson": v.url("data/entries.geojson"),
            },
            "categories": cfg.categories.iter().map(|c| json!({
                "id": c.id, "label": c.label, "description": c.description,
                "url": v.url(&format!("categories/{}/", c.id)),
                "count": site.in_category(&c.id).len(),
            })).collect::<Vec<_>>(),
            "regions": cfg.regions.iter().map(|r| json!({
                "id": r.id, "name": r.name, "url": v.url(&format!("regions/{}/", r.id)),
                "count": site.in_region(&r.id).len(),
                "municipalities": r.municipalities.iter().map(|m| json!({
                    "code": m.code, "name": m.name,
                    "url": v.url(&format!("municipalities/{}/", m.code)),
                    "count": site.in_municipality(&m.code).len(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        v.care_items = json!(
            cfg.care_items
                .iter()
                .map(|c| json!({"id": c.id, "label": c.label}))
                .collect::<Vec<_>>()
        );
        v
    }

    /// Every entry's card, rendered in parallel.
    fn cards(&self, theme: &Theme) -> Result<HashMap<&'a str, String>, String> {
        self.site
            .entries
            .par_iter()
            .map(|e| {
                let mut card = Vec::new();
                let view = CardPage {
                    e: self.entry(e, false),
                };
                theme.render("card.html", &context(&view)?, &mut card)?;
                let card = String::from_utf8(card)
                    .map_err(|_| "card.html の描画結果が UTF-8 ではありません".to_owned())?;
                Ok((e.id.as_str(), card))
            })
            .collect()
    }

    /// Site-absolute URL path of a page path like `entries/x/`.
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    fn page(&self, title: &str, path: &str, description: &str) -> PageView {
        PageView {
            title: title.to_owned(),
            url: self.url(path),
            canonical: format!("{}/{}", self.base, path),
            description: description.to_owned(),
        }
    }

    fn jobs(&self) -> Vec<PageJob<'_>> {
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
        for c in &cfg.categories {
            let lead = format!("{}（{}）", c.label, c.description);
            let list = ListSpec {
                kind: "category",
                title: c.label.clone(),
                lead,
                path: format!("categories/{}/", c.id),
                entries: self.site.in_category(&c.id),
                subsections: Vec::new(),
                crumbs: Vec::new(),
            };
            self.list_jobs(list, &mut jobs);
        }
        for r in &cfg.regions {
            let title = format!("{}地域", r.name);
            let names: Vec<&str> = r.municipalities.iter().map(|m| m.name.as_str()).collect();
            let region_url = self.url(&format!("regions/{}/", r.id));
            let list = ListSpec {
                kind: "region",
                title: title.clone(),
                lead: format!("{}（{}）", title, names.join("・")),
                path: format!("regions/{}/", r.id),
                entries: self.site.in_region(&r.id),
                subsections: r
                    .municipalities
                    .iter()
                    .map(|m| Subsection {
                        label: m.name.clone(),
                        url: self.url(&format!("municipalities/{}/", m.code)),
                        count: self.site.in_municipality(&m.code).len(),
                    })
                    .collect(),
                crumbs: Vec::new(),
            };
            self.list_jobs(list, &mut jobs);
            for m in &r.municipalities {
                let list = ListSpec {
                    kind: "municipality",
                    title: m.name.clone(),
                    lead: format!("{}（{}地域）", m.name, r.name),
                    path: format!("municipalities/{}/", m.code),
                    entries: self.site.in_municipality(&m.code),
                    subsections: Vec::new(),
                    crumbs: vec![Link {
                        label: title.clone(),
                        url: region_url.clone(),
                    }],
                };
                self.list_jobs(list, &mut jobs);
            }
        }
        for e in &self.site.entries {
            jobs.push(PageJob::new(
                "entry.html",
                format!("entries/{}/index.html", e.id),
                move || {
                    let path = format!("entries/{}/", e.id);
                    let cat = cfg
                        .category(&e.category)
                        .map_or(e.category.as_str(), |c| c.label.as_str());
                    let desc = format!("{}（{}・{}）", e.name, cat, self.municipality_name(e));
                    EntryPage {
                        page: self.page(&e.name, &path, &desc),
                        entry: self.entry(e, true),
                        breadcrumbs: [
                            self.home_link(),
                            Link {
                                label: cat.to_owned(),
                                url: self.url(&format!("categories/{}/", e.category)),
                            },
                        ],
                    }
                },
            ));
        }
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
            "search/index.html".to_owned(),
            move || {
                let desc = "医療的ケアの種類・地域・子どもの年齢・近さなどの条件で、掲載されている事業所を探せます。";
                json!({
                    "page": self.page("条件で探す", "search/", desc),
                    "breadcrumbs": [{"label": "ホーム", "url": self.root}],
                    "search": {
                        "age_max": 20,
                        "flags": fields::flags().iter().map(|f| json!({"id": f.id, "label": f.label})).collect::<Vec<_>>(),
                    },
                })
            },
        ));
        jobs
    }

    /// The pages of one list: page 1 at its path, page n at `<path>page/n/`.
    fn list_jobs<'s>(&'s self, spec: ListSpec<'s>, jobs: &mut Vec<PageJob<'s>>) {
        let spec = std::sync::Arc::new(spec);
        let pages = spec.entries.len().div_ceil(PER_PAGE).max(1);
        for number in 1..=pages {
            let spec = std::sync::Arc::clone(&spec);
            jobs.push(PageJob::new(
                "list.html",
                format!("{}index.html", spec.page_path(number)),
                move || self.list_view(&spec, number, pages),
            ));
        }
    }
    /// The sitemap: every page that is a directory index, in job order.
    fn sitemap(&self, jobs: &[PageJob<'_>]) -> PageJob<'static> {
        let pages: Vec<String> = jobs
            .iter()
            .filter_map(|j| j.path.strip_suffix("index.html"))
            .map(|dir| format!("{}/{dir}", self.base))
            .collect();
        let view = json!({ "pages": pages });
        PageJob::new("sitemap.xml", "sitemap.xml".to_owned(), move || {
            view.clone()
        })
    }

    fn list_view(&self, spec: &ListSpec<'_>, number: usize, pages: usize) -> ListPage<'_> {
        let total = spec.entries.len();
        let start = (number - 1) * PER_PAGE;
        let shown = &spec.entries[start.min(total)..(start + PER_PAGE).min(total)];
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
        ListPage {
            page: self.page(&title, &spec.page_path(number), &lead),
            list: ListView {
                kind: spec.kind,
                title,
                lead,
                total,
                subsections: spec.subsections.clone(),
                cards: shown
                    .iter()
                    .map(|e| self.cards[e.id.as_str()].as_str())
                    .collect(),
                pagination,
            },
            breadcrumbs,
        }
    }

    fn home_link(&self) -> Link {
        Link {
            label: "ホーム".to_owned(),
            url: self.root.clone(),
        }
    }

    fn municipality_name(&self, e: &'a Entry) -> &'a str {
        self.site
            .municipality_of(e)
            .map_or(e.municipality.as_str(), |m| m.name.as_str())
    }

    /// The view of one entry; `full` adds what only the entry page shows.
    fn entry(&self, e: &'a Entry, full: bool) -> EntryView<'a> {
        let cfg = &self.site.config;
        EntryView {
            id: &e.id,
            name: &e.name,
            kana: e.kana.as_deref(),
            url: self.url(&format!("entries/{}/", e.id)),
            category: CategoryRef {
                id: &e.category,
                label: cfg.category(&e.category).map(|c| c.label.as_str()),
                url: self.url(&format!("categories/{}/", e.category)),
            },
            services: &e.services,
            municipality: Place {
                code: &e.municipality,
                name: self.municipality_name(e),
                url: self.url(&format!("municipalities/{}/", e.municipality)),
            },
            region: RegionRef {
                id: &e.region,
                name: cfg.region(&e.region).map(|r| r.name.as_str()),
                url: self.url(&format!("regions/{}/", e.region)),
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
                .filter(|&(_, value)| full || value == Some(true))
                .map(|(f, value)| FlagView {
                    id: f.id,
                    label: f.label,
                    value,
                })
                .collect(),
            verified: e.verified.to_string(),
            verified_ja: e.verified.japanese(),
            stale: e.is_stale(self.site.today),
            details: full.then(|| EntryDetails {
                lat: e.lat,
                lon: e.lon,
                map_url: map_url(e),
                fax: e.fax.as_deref(),
                email: e.email.as_deref(),
                email_href: e.email.as_deref().map(|m| format!("mailto:{m}")),
                website: e.url.as_deref(),
                operator: e.operator.as_deref(),
                hours: e.hours.as_deref(),
                source: e.source.as_deref(),
                description_html: markdown_to_html(&e.description),
                edit_url: cfg
                    .site
                    .repository
                    .as_ref()
                    .map(|r| format!("{r}/edit/{}/{}", cfg.site.branch, url_path(&e.path))),
            }),
        }
    }
}

// Typed views of the pages there are thousands of (entries, lists, cards): serialised straight
// into the template context, without building JSON trees first.

/// `page` in every template.
#[derive(Serialize)]
struct PageView {
    title: String,
    url: String,
    canonical: String,
    description: String,
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
    total: usize,
    subsections: Vec<Subsection>,
    cards: Vec<&'s str>,
    pagination: Option<Pagination>,
}

/// A narrower list linked from a list (a region's municipalities).
#[derive(Serialize, Clone)]
struct Subsection {
    label: String,
    url: String,
    count: usize,
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
    flags: Vec<FlagView>,
    verified: String,
    verified_ja: String,
    stale: bool,
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
    edit_url: Option<String>,
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

#[derive(Serialize)]
struct FlagView {
    id: &'static str,
    label: &'static str,
    value: Option<bool>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitised_markup_stays_valid_html() {
        let html = markdown_to_html(
            "[x](javascript:alert(1)) <a href=\"https://e.jp/\">ok</a> <details>t</details>",
        );
        assert!(html.contains("<a>x</a>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://e.jp/" rel="noopener noreferrer">ok</a>"#),
            "{html}"
        );
        assert!(!html.contains("<details") && html.contains(">t<"), "{html}");
        assert_eq!(
            url_path("content/entries/\"><x y>/a b#?.md"),
            "content/entries/%22%3E%3Cx%20y%3E/a%20b%23%3F.md"
        );
        assert_eq!(
            url_path("content/entries/津/a-1.md"),
            "content/entries/津/a-1.md"
        );
    }

    #[test]
    fn markdown_drops_raw_html_and_unsafe_links() {
        let html = markdown_to_html(
            "# 見出し\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) \
             [ok](https://example.jp/) <img src=x onerror=alert(1)> ![i](https://e.jp/i.png)\n\n\
             <a href=\"https://e.jp\" onclick=\"alert(1)\">a</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(
            !html.contains("onerror") && !html.contains("onclick"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("<h3>見出し</h3>"), "{html}");
        assert!(html.contains(r#"href="https://example.jp/""#), "{html}");
        assert!(html.contains("noopener noreferrer"), "{html}");
        assert!(!markdown_to_html("a&#x202E;b &#8238;c").contains('\u{202E}'));
        // The fast path (no HTML, links or images) still escapes everything.
        let plain =
            markdown_to_html("## 見学\n\n`<b>` &lt;i&gt; 1 < 2 & \"q\" {{ x }}\n\n- a\n- b");
        assert_eq!(
            plain,
            "<h3>見学</h3>\n<p><code>&lt;b&gt;</code> &lt;i&gt; 1 &lt; 2 &amp; \"q\" {{ x }}</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
    }

    /// A page as an HTML parser sees it, one line per node: what two minifications of the same
    /// page must agree on (they may differ in quotes, optional tags and spaces between blocks).
    fn dom(html: &[u8]) -> Vec<String> {
        use html5ever::tendril::TendrilSink;
        use markup5ever_rcdom::{Handle, NodeData, RcDom};

        fn walk(node: &Handle, depth: usize, out: &mut Vec<String>) {
            match &node.data {
                NodeData::Element { name, attrs, .. } => {
                    let mut attrs: Vec<String> = attrs
                        .borrow()
                        .iter()
                        .map(|a| format!("{}={:?}", a.name.local, a.value.to_string()))
                        .collect();
                    attrs.sort();
                    out.push(format!("{depth} <{} {}>", name.local, attrs.join(" ")));
                }
                NodeData::Text { contents } => {
                    let text = contents
                        .borrow()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !text.is_empty() {
                        out.push(format!("{depth} {text}"));
                    }
                }
                _ => {}
            }
            for child in node.children.borrow().iter() {
                walk(child, depth + 1, out);
            }
        }
        let dom = html5ever::parse_document(RcDom::default(), Default::default())
            .from_utf8()
            .one(html);
        let mut out = Vec::new();
        walk(&dom.document, 0, &mut out);
        out
    }

    /// Minifying the templates once must give the pages minifying every page gives.
    #[test]
    fn preminified_templates_render_what_minifying_each_page_would() {
        use std::collections::BTreeMap;
        use std::sync::Mutex;

        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = crate::diag::Diagnostics::default();
        let today = crate::date::Date::new(2026, 11, 21).unwrap();
        let site =
            crate::pipeline::check(root, today, &mut diags).unwrap_or_else(|_| panic!("{diags:?}"));
        let report = crate::gaps::compute(&site);
        let render = |preminify: bool| {
            let templates = DEFAULT_TEMPLATES
                .iter()
                .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
                .collect();
            let mut theme = Theme::new(templates, Vec::new(), preminify).unwrap();
            assert_eq!(theme.minify_pages, !preminify);
            let files = Mutex::new(BTreeMap::new());
            render_site(&site, &report, &mut theme, &|path, bytes| {
                files
                    .lock()
                    .unwrap()
                    .insert(path.to_owned(), bytes.to_vec());
                Ok(())
            })
            .unwrap();
            files.into_inner().unwrap()
        };
        let (each_page, once) = (render(false), render(true));
        assert_eq!(
            each_page.keys().collect::<Vec<_>>(),
            once.keys().collect::<Vec<_>>()
        );
        let mut html_pages = 0;
        for (path, bytes) in &once {
            if path.ends_with(".html") {
                html_pages += 1;
                assert_eq!(dom(bytes), dom(&each_page[path]), "{path}");
                let text = String::from_utf8_lossy(bytes);
                assert!(!text.contains("\n  "), "{path} keeps template indentation");
            } else {
                assert_eq!(bytes, &each_page[path], "{path}");
            }
        }
        assert!(html_pages > 150, "{html_pages}");
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

    #[test]
    fn tel_links_keep_digits_only() {
        assert_eq!(tel_href("059-000-1234"), "tel:0590001234");
        assert_eq!(tel_href("+81 (59) 000"), "tel:+8159000");
    }
}
