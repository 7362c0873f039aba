//! tsunagu: a static site generator for a searchable directory of resources for children who need
//! medical care at home.
//!
//! The pipeline, one module a stage: [`config`] and [`load`] read the files, [`validate`] checks
//! them into [`entry::Entry`] values, [`site`] resolves the model, [`render`] turns it into pages
//! and [`output`] writes them atomically. [`serve`] and [`cli`] drive it.

pub mod chart;
pub mod cli;
pub mod config;
pub mod date;
pub mod diag;
pub mod entry;
pub mod gaps;
pub mod geo;
pub mod import;
pub mod load;
pub mod opendata;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod synth;
pub mod validate;

use std::path::Path;

use diag::Diagnostics;

/// The site model when the content is valid, with every problem found on the way.
pub fn check(root: &Path, today: date::Date) -> (Option<site::Site>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let config = config::load(root, &mut diags);
    let raws = load::entries(root, &mut diags);
    let Some(config) = config else {
        return (None, diags);
    };
    let entries = validate::entries(raws, &config, today, &mut diags);
    if diags.has_errors() {
        return (None, diags);
    }
    (Some(site::Site::new(config, entries, today)), diags)
}

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub entries: usize,
    pub pages: usize,
    /// Wall time of each stage, in order (for `build --timings` and the benchmarks).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Renders a valid site into `out`, replacing its previous content only on success.
pub fn build(root: &Path, site: &site::Site, out: &Path) -> Result<BuildReport, String> {
    output::check_out_dir(root, out)?;
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    let mut theme = render::Theme::load(root, &site.config.site.theme)?;
    let staging = output::Staging::new(out)?;
    let report = gaps::compute(site);
    lap("gaps");
    let pages = render::render_site(site, &report, &mut theme, &|path, bytes| {
        staging.write(path, bytes)
    })?;
    lap("pages");
    for (path, bytes) in opendata::files(site) {
        staging.write(&path, &bytes)?;
    }
    lap("open data");
    let index = search::build_index(root, site)?;
    lap("search index");
    let files = tsunagu_search::export::export(&index)
        .map_err(|e| format!("検索インデックスを書き出せません: {e}"))?;
    for (path, bytes) in files {
        staging.write(&format!("search/{path}"), &bytes)?;
    }
    lap("search export");
    staging.commit()?;
    lap("swap");
    Ok(BuildReport {
        entries: site.entries.len(),
        pages,
        timings,
    })
}
