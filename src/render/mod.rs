//! Rendering the site model to pages: tera templates (the built-in default theme, overridable per
//! file from `themes/<theme>/`), Markdown through pulldown-cmark and ammonia, minify-html.
//!
//! Views are plain JSON values built here, so templates never reach into the model and the model
//! never knows about templates.

use std::path::Path;

use indicatif::ProgressBar;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::entry::{Entry, FLAGS, is_forbidden_char};
use crate::gaps::GapReport;
use crate::site::Site;

mod gaps;

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

/// The browser reader of the search index, written into `search/` beside the exported index. Not
/// a theme file: it must match the index format. `search.js` imports `./normalize.js`.
const SEARCH_READER: &[(&str, &[u8])] = &[
    (
        "search/tsunagu-search.js",
        include_bytes!("../../search-index/js/search.js"),
    ),
    (
        "search/normalize.js",
        include_bytes!("../../search-index/js/normalize.js"),
    ),
];

/// A theme ready to render: templates parsed once, static files loaded.
pub struct Theme {
    tera: tera::Tera,
    statics: Vec<(String, Vec<u8>)>,
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

        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| format!("テンプレートに誤りがあります: {}", error_chain(&e)))?;
        Ok(Theme { tera, statics })
    }

    fn render(&self, template: &str, ctx: &Value) -> Result<String, String> {
        let ctx = tera::Context::from_serialize(ctx).map_err(|e| error_chain(&e))?;
        self.tera
            .render(template, &ctx)
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

/// Builds a page's view when the page is rendered, so a large site never holds every view at once.
type ViewFn<'a> = Box<dyn Fn() -> Value + Send + Sync + 'a>;

/// One page to render: template, output path and view.
struct PageJob<'a> {
    template: &'static str,
    path: String,
    view: ViewFn<'a>,
}

impl<'a> PageJob<'a> {
    fn new(
        template: &'static str,
        path: String,
        view: impl Fn() -> Value + Send + Sync + 'a,
    ) -> Self {
        PageJob {
            template,
            path,
            view: Box::new(view),
        }
    }
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
    let views = Views::new(site);
    let globals = theme.tera.global_context();
    globals.insert("site", &views.common_site);
    globals.insert("nav", &views.nav);
    globals.insert("care_items", &views.care_items);
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
    jobs.par_iter().try_for_each(|job| {
        let text = theme.render(job.template, &(job.view)())?;
        let bytes = if job.path.ends_with(".html") {
            minify(text.as_bytes())
        } else {
            text.into_bytes()
        };
        progress.inc(1);
        write(&job.path, &bytes)
    })?;
    progress.finish_and_clear();
    for (path, bytes) in theme.statics.iter().chain(&gap_files) {
        write(path, bytes)?;
    }
    for (path, bytes) in SEARCH_READER {
        write(path, bytes)?;
    }
    Ok(jobs.len())
}

/// Minifies a page with minify-html. Its one-pass variant is faster but writes attributes without
/// separating spaces and drops empty values, which breaks valid HTML: not worth the time saved.
fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
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
    clean.chars().filter(|&c| !is_forbidden_char(c)).collect()
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
    subsections: Vec<Value>,
    /// Breadcrumbs between ホーム and the list.
    crumbs: Vec<Value>,
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

    /// Site-absolute URL path of a page path like `entries/x/`.
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    fn page(&self, title: &str, path: &str, description: &str) -> Value {
        json!({
            "title": title,
            "url": self.url(path),
            "canonical": format!("{}/{}", self.base, path),
            "description": description,
        })
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
                    .map(|m| json!({"label": m.name, "url": self.url(&format!("municipalities/{}/", m.code)), "count": self.site.in_municipality(&m.code).len()}))
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
                    crumbs: vec![json!({"label": title, "url": region_url})],
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
                    json!({
                        "page": self.page(&e.name, &path, &desc),
                        "entry": self.entry(e, true),
                        "breadcrumbs": [
                            {"label": "ホーム", "url": self.root},
                            {"label": cat, "url": self.url(&format!("categories/{}/", e.category))},
                        ],
                    })
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
                        "flags": FLAGS.iter().map(|(id, label)| json!({"id": id, "label": label})).collect::<Vec<_>>(),
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

    fn list_view(&self, spec: &ListSpec<'_>, number: usize, pages: usize) -> Value {
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
        let pagination = (pages > 1).then(|| {
            json!({
                "current": number,
                "total": pages,
                "prev": (number > 1).then(|| page_url(number - 1)),
                "next": (number < pages).then(|| page_url(number + 1)),
                "pages": (1..=pages).map(|n| json!({"number": n, "url": page_url(n), "current": n == number})).collect::<Vec<_>>(),
            })
        });
        let mut crumbs = vec![json!({"label": "ホーム", "url": self.root})];
        crumbs.extend(spec.crumbs.iter().cloned());
        json!({
            "page": self.page(&title, &spec.page_path(number), &lead),
            "list": {
                "kind": spec.kind,
                "title": title,
                "lead": lead,
                "total": total,
                "subsections": spec.subsections,
                "entries": shown.iter().map(|e| self.entry(e, false)).collect::<Vec<_>>(),
                "pagination": pagination,
            },
            "breadcrumbs": crumbs,
        })
    }

    fn municipality_name(&self, e: &Entry) -> String {
        self.site
            .municipality_of(e)
            .map_or_else(|| e.municipality.clone(), |m| m.name.clone())
    }

    /// The view of one entry; `full` adds what only the entry page shows.
    fn entry(&self, e: &Entry, full: bool) -> Value {
        let cfg = &self.site.config;
        let category = cfg.category(&e.category);
        let region = cfg.region(&e.region);
        let care: Vec<Value> = e
            .care
            .iter()
            .filter_map(|id| cfg.care_item(id))
            .map(|c| json!({"id": c.id, "label": c.label}))
            .collect();
        let flags: Vec<Value> = FLAGS
            .iter()
            .filter(|(id, _)| full || e.flags.get(id) == Some(true))
            .map(|(id, label)| json!({"id": id, "label": label, "value": e.flags.get(id)}))
            .collect();
        let mut v = json!({
            "id": e.id,
            "name": e.name,
            "kana": e.kana,
            "url": self.url(&format!("entries/{}/", e.id)),
            "category": {"id": e.category, "label": category.map(|c| c.label.as_str()), "url": self.url(&format!("categories/{}/", e.category))},
            "services": e.services,
            "municipality": {"code": e.municipality, "name": self.municipality_name(e), "url": self.url(&format!("municipalities/{}/", e.municipality))},
            "region": {"id": e.region, "name": region.map(|r| r.name.as_str()), "url": self.url(&format!("regions/{}/", e.region))},
            "address": e.address,
            "postal_code": e.postal_code,
            "phone": e.phone,
            "phone_href": e.phone.as_deref().map(tel_href),
            "care": care,
            "ages": e.ages,
            "ages_text": e.ages.map(|a| if a.min == a.max { format!("{}歳", a.min) } else { format!("{}〜{}歳", a.min, a.max) }),
            "capacity": e.capacity,
            "flags": flags,
            "verified": e.verified.to_string(),
            "verified_ja": e.verified.japanese(),
            "stale": e.is_stale(self.site.today),
        });
        if full {
            let extra = json!({
                "lat": e.lat,
                "lon": e.lon,
                "map_url": map_url(e),
                "fax": e.fax,
                "email": e.email,
                "email_href": e.email.as_deref().map(|m| format!("mailto:{m}")),
                "website": e.url,
                "operator": e.operator,
                "hours": e.hours,
                "source": e.source,
                "description_html": markdown_to_html(&e.description),
                "edit_url": cfg.site.repository.as_ref().map(|r| format!("{r}/edit/{}/{}", cfg.site.branch, url_path(&e.path))),
            });
            if let (Value::Object(v), Value::Object(x)) = (&mut v, extra) {
                v.extend(x);
            }
        }
        v
    }
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

    #[test]
    fn tel_links_keep_digits_only() {
        assert_eq!(tel_href("059-000-1234"), "tel:0590001234");
        assert_eq!(tel_href("+81 (59) 000"), "tel:+8159000");
    }
}
