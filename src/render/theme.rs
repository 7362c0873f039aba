//! The theme: the built-in default templates and static files, overridden per file by a site's
//! `themes/<theme>/`, minified and parsed once.

use std::path::Path;

/// Templates of the built-in default theme, compiled into the binary so any site root works.
pub(super) const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
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
        "line.html",
        include_str!("../../themes/default/templates/line.html"),
    ),
    (
        "municipality_options.html",
        include_str!("../../themes/default/templates/municipality_options.html"),
    ),
    (
        "care_choices.html",
        include_str!("../../themes/default/templates/care_choices.html"),
    ),
    (
        "menu.html",
        include_str!("../../themes/default/templates/menu.html"),
    ),
    (
        "guide.html",
        include_str!("../../themes/default/templates/guide.html"),
    ),
    (
        "category.html",
        include_str!("../../themes/default/templates/category.html"),
    ),
    (
        "region.html",
        include_str!("../../themes/default/templates/region.html"),
    ),
    (
        "municipality_counts.html",
        include_str!("../../themes/default/templates/municipality_counts.html"),
    ),
    (
        "regions_index.html",
        include_str!("../../themes/default/templates/regions_index.html"),
    ),
    (
        "entries_index.html",
        include_str!("../../themes/default/templates/entries_index.html"),
    ),
    (
        "data.html",
        include_str!("../../themes/default/templates/data.html"),
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
        "sitemap_index.xml",
        include_str!("../../themes/default/templates/sitemap_index.xml"),
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
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "home.js",
        include_bytes!("../../themes/default/static/home.js"),
    ),
    (
        "map.js",
        include_bytes!("../../themes/default/static/map.js"),
    ),
    (
        "vendor/leaflet/leaflet.js",
        include_bytes!("../../themes/default/static/vendor/leaflet/leaflet.js"),
    ),
    (
        "vendor/leaflet/leaflet.css",
        include_bytes!("../../themes/default/static/vendor/leaflet/leaflet.css"),
    ),
    (
        "vendor/leaflet/LICENSE",
        include_bytes!("../../themes/default/static/vendor/leaflet/LICENSE"),
    ),
    (
        "vendor/markercluster/leaflet.markercluster.js",
        include_bytes!("../../themes/default/static/vendor/markercluster/leaflet.markercluster.js"),
    ),
    (
        "vendor/markercluster/MarkerCluster.css",
        include_bytes!("../../themes/default/static/vendor/markercluster/MarkerCluster.css"),
    ),
    (
        "vendor/markercluster/MIT-LICENCE.txt",
        include_bytes!("../../themes/default/static/vendor/markercluster/MIT-LICENCE.txt"),
    ),
];

/// A theme ready to render: templates minified and parsed once, static files loaded.
pub struct Theme {
    pub(super) tera: tera::Tera,
    pub(super) statics: Vec<(String, Vec<u8>)>,
    /// Some HTML template could not be minified ahead (see [`minify`]): minify each page instead.
    pub(super) minify_pages: bool,
    /// A digest of every template and static file: equal digests render equal pages from equal
    /// contexts (within one process: the hasher's keys are fixed, not stable across versions).
    pub(super) fingerprint: u64,
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
    pub(super) fn new(
        mut templates: Vec<(String, String)>,
        statics: Vec<(String, Vec<u8>)>,
        preminify: bool,
    ) -> Result<Theme, String> {
        let mut minify_pages = !preminify;
        for (n, text) in &mut templates {
            if preminify && n.ends_with(".html") {
                match super::minify::template(text) {
                    Some(small) => *text = small,
                    None => minify_pages = true,
                }
            }
        }
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            (&templates, &statics, minify_pages).hash(&mut h);
            h.finish()
        };
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| format!("テンプレートに誤りがあります: {}", error_chain(&e)))?;
        Ok(Theme {
            tera,
            statics,
            minify_pages,
            fingerprint,
        })
    }

    /// Renders a template into `out` (emptied first). The bytes are UTF-8, as templates and
    /// context values are strings: pages are written as they are, without the check of every
    /// byte that turning them into a `String` would cost.
    pub(super) fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        out.clear();
        self.tera
            .render_to(template, ctx, out)
            .map_err(|e| format!("{template} の描画に失敗しました: {}", error_chain(&e)))
    }
}

pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
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
