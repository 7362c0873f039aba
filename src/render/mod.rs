//! Rendering the site model to pages: tera templates (the built-in default theme, overridable per
//! file from `themes/<theme>/`), Markdown through pulldown-cmark and ammonia, minify-html.
//!
//! Views are plain JSON values built here, so templates never reach into the model and the model
//! never knows about templates.

use indicatif::ProgressBar;
use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::entry::Entry;
use crate::gaps::GapReport;
use crate::site::Site;

mod gaps;
mod markdown;
mod minify;
mod theme;
mod views;

pub use markdown::{markdown_to_html, tel_href};
pub use theme::Theme;
use theme::error_chain;
use views::Views;

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
    /// The entry whose page this is: its page depends on nothing else but the theme and the
    /// templates' global context.
    entry: Option<&'a Entry>,
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
            entry: None,
        }
    }

    /// A page whose view may fail (it renders parts of itself).
    fn try_new<V: Serialize>(
        template: &'static str,
        path: String,
        view: impl Fn() -> Result<V, String> + Send + Sync + 'a,
    ) -> Self {
        PageJob {
            template,
            path,
            view: Box::new(move || context(&view()?)),
            entry: None,
        }
    }

    /// The page of entry `e`.
    fn of_entry<V: Serialize>(
        e: &'a Entry,
        template: &'static str,
        path: String,
        view: impl Fn() -> V + Send + Sync + 'a,
    ) -> Self {
        PageJob {
            entry: Some(e),
            ..PageJob::new(template, path, view)
        }
    }
}

/// A template context from a view: a typed struct for the pages there are thousands of, a JSON
/// value for the others.
fn context(view: &impl Serialize) -> Result<tera::Context, String> {
    tera::Context::from_serialize(view).map_err(|e| error_chain(&e))
}

/// Cards per list page: long lists are split so a phone never loads thousands of cards.
const PER_PAGE: usize = 50;
/// Lines per list page: a line is a quarter of a card, and each page repeats the header and
/// footer, so lists of lines take twice as many per page.
const LINES_PER_PAGE: usize = 100;

/// What an entry's page depends on besides the entry: the theme and the templates' global
/// context (`site`, `nav`, `care_items`: the configuration and the site's totals, such as its
/// counts and the date of its data).
#[derive(Debug, Clone, PartialEq)]
pub struct PageInputs {
    theme: u64,
    globals: serde_json::Value,
}

/// Each entry's line, by entry id.
pub struct Snippets(std::collections::HashMap<String, String>);

impl PageInputs {
    /// What the pages of `site` rendered with `theme` depend on besides their entries.
    pub fn of(site: &Site, theme: &Theme) -> PageInputs {
        Views::new(site).inputs(theme)
    }
}

/// The entry pages an output folder already holds, as the build before wrote them (`serve`),
/// and that build's lines.
pub struct Reuse<'a> {
    /// What those were rendered with: if anything of it changed, everything is rendered.
    pub inputs: &'a PageInputs,
    pub snippets: &'a Snippets,
    /// Whether an entry is as it was then (so are its page and line).
    pub unchanged: &'a (dyn Fn(&Entry) -> bool + Sync),
}

/// What [`render_site`] did.
pub struct Rendered {
    /// Pages of the site (written or kept).
    pub pages: usize,
    /// Pages it rendered: all of them, or those a [`Reuse`] did not keep.
    pub rendered: usize,
    /// Every file of the output it is responsible for, written or kept (`/`-separated paths).
    pub files: Vec<String>,
    pub inputs: PageInputs,
    /// The lines, when asked for (for a next build to reuse).
    pub snippets: Option<Snippets>,
}

/// Renders every page and static file, handing each to `write` (path relative to the output
/// root), except the pages of unchanged entries that `reuse` says the output still holds.
/// `keep_snippets`: return the lines (else they are freed with the other views).
pub fn render_site(
    site: &Site,
    report: &GapReport,
    theme: &mut Theme,
    write: &WriteFn<'_>,
    reuse: Option<Reuse<'_>>,
    keep_snippets: bool,
) -> Result<Rendered, String> {
    let mut views = Views::new(site);
    let inputs = views.inputs(theme);
    let globals = theme.tera.global_context();
    globals.insert("site", &views.common_site);
    globals.insert("nav", &views.nav);
    globals.insert("care_items", &views.care_items);
    let reuse = reuse.filter(|r| *r.inputs == inputs);
    let theme = &*theme;
    // The entries whose page and line the build before left as they are now.
    let unchanged: HashSet<&str> = reuse.as_ref().map_or_else(HashSet::new, |r| {
        site.entries
            .par_iter()
            .filter(|e| (r.unchanged)(e))
            .map(|e| e.id.as_str())
            .collect()
    });
    views.snippets(theme, reuse.as_ref().map(|r| (r.snippets, &unchanged)))?;
    views.card_template = views.card_template(theme)?;
    views.theme = Some(theme);
    let mut jobs = views.jobs();
    let (gap_jobs, mut data_files) = views.gap_jobs(report);
    data_files.push(views.map_file());
    jobs.extend(gap_jobs);
    jobs.push(views.data_job(report));
    let sitemaps = views.sitemaps(&jobs);
    jobs.extend(sitemaps);
    let mut files: Vec<String> = jobs.iter().map(|j| j.path.clone()).collect();
    files.extend(
        theme
            .statics
            .iter()
            .chain(&data_files)
            .map(|(p, _)| p.clone()),
    );
    let pages = jobs.len();
    jobs.retain(|j| !j.entry.is_some_and(|e| unchanged.contains(e.id.as_str())));
    let progress = if jobs.len() >= 5_000 {
        ProgressBar::new(jobs.len() as u64)
    } else {
        ProgressBar::hidden()
    };
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
    for (path, bytes) in theme.statics.iter().chain(&data_files) {
        write(path, bytes)?;
    }
    let rendered = jobs.len();
    drop(jobs);
    Ok(Rendered {
        pages,
        rendered,
        files,
        inputs,
        snippets: keep_snippets.then(|| views.take_snippets()),
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::theme::DEFAULT_TEMPLATES;
    use super::*;

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
            render_site(
                &site,
                &report,
                &mut theme,
                &|path, bytes| {
                    files
                        .lock()
                        .unwrap()
                        .insert(path.to_owned(), bytes.to_vec());
                    Ok(())
                },
                None,
                false,
            )
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
}
