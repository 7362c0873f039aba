//! The build pipeline: load → validate → site model → pages, gaps, open data and the search index
//! → swap into the output folder. It returns data and typed errors; printing them and choosing
//! exit codes is the command line's job.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::{gaps, load, opendata, output, render, search, site, validate};

/// Why a command failed; the kind decides the exit code.
#[derive(Debug)]
pub enum Error {
    /// The content has errors, recorded in the diagnostics the caller passed in.
    Content,
    /// The command was asked for something that does not exist (an unknown region …).
    Usage(String),
    /// Reading or writing files failed.
    Io(String),
}

impl From<String> for Error {
    fn from(msg: String) -> Error {
        Error::Io(msg)
    }
}

/// The site model when the content is valid; every problem found on the way goes to `diags`.
pub fn check(root: &Path, today: Date, diags: &mut Diagnostics) -> Result<site::Site, Error> {
    let config = load::config::load(root, diags);
    let raws = load::entries(root, diags);
    let config = config.ok_or(Error::Content)?;
    let entries = validate::entries(raws, &config, today, diags);
    if diags.has_errors() {
        return Err(Error::Content);
    }
    Ok(site::Site::new(config, entries, today))
}

/// Each entry file's text and what checking it on its own found, by path.
type Checked = HashMap<String, (String, validate::CheckedFile)>;

/// [`check`] for `serve`, with the site's URL set to `base_url`: a file whose text is as in the
/// build before, under the same configuration and day, is not parsed and checked again. Returns
/// the checks for the next one.
fn check_reusing(
    root: &Path,
    base_url: &str,
    today: Date,
    diags: &mut Diagnostics,
    previous: Option<&Built>,
) -> Result<(site::Site, Checked), Error> {
    let Some(mut config) = load::config::load(root, diags) else {
        // As `check` does: the entries' own errors are reported with the configuration's.
        load::entries(root, diags);
        return Err(Error::Content);
    };
    config.site = config.site.with_base_url(base_url);
    let before = previous
        .filter(|p| p.config == config && p.today == today)
        .map(|p| &p.checked);
    let paths = load::entry_files(root, diags);
    let files: Vec<Result<(String, validate::CheckedFile), Vec<Diagnostic>>> = paths
        .par_iter()
        .map(|path| {
            let src = load::read_text(root, path).map_err(|d| vec![d])?;
            if let Some((text, checked)) = before.and_then(|b| b.get(&src.path))
                && *text == src.text
            {
                return Ok((src.text, checked.clone()));
            }
            let text = src.text.clone();
            let raw = load::parse_source(src)?;
            Ok((text, validate::check_file(&raw, &config, today)))
        })
        .collect();
    let mut checked = Checked::with_capacity(files.len());
    let mut in_order = Vec::with_capacity(files.len());
    for file in files {
        match file {
            Ok((text, file)) => {
                in_order.push(file.clone());
                checked.insert(file.path.clone(), (text, file));
            }
            Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
        }
    }
    let entries = validate::across_files(in_order, diags);
    if diags.has_errors() {
        return Err(Error::Content);
    }
    let s = site::Site::new(config, entries, today);
    Ok((s, checked))
}

/// The configuration alone (for commands that write content), when it has no errors.
pub fn config(root: &Path, diags: &mut Diagnostics) -> Result<crate::config::Config, Error> {
    let config = load::config::load(root, diags);
    config.filter(|_| !diags.has_errors()).ok_or(Error::Content)
}

/// Checks the content and builds it into `out`; `base_url` overrides the configured one (a
/// local preview). The time of checking is the report's first stage.
pub fn check_and_build(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
    today: Date,
    diags: &mut Diagnostics,
) -> Result<BuildReport, Error> {
    let mut clock = StageClock::start();
    let mut site = check(root, today, diags)?;
    let checked = clock.lap("load+check");
    if let Some(base) = base_url {
        site.config.site = site.config.site.clone().with_base_url(base);
    }
    let built = build(root, &site, out);
    // Freeing tens of thousands of entries one by one takes a noticeable part of a build: a
    // thread does it while the caller reports, and a one-shot build exits without waiting for it.
    std::thread::spawn(move || drop(site));
    let mut report = built?;
    report.timings.insert(0, checked);
    Ok(report)
}

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub entries: usize,
    pub pages: usize,
    /// Pages rendered: all of them, but fewer when a rebuild kept unchanged entries' pages.
    pub rendered: usize,
    /// Time of each stage, in order (for `build --timings` and the benchmarks).
    pub timings: Vec<StageTime>,
}

impl BuildReport {
    fn of(site: &site::Site, rendered: &render::Rendered, timings: Vec<StageTime>) -> BuildReport {
        BuildReport {
            entries: site.entries.len(),
            pages: rendered.pages,
            rendered: rendered.rendered,
            timings,
        }
    }
}

/// How long one build stage took.
#[derive(Debug, Clone, Copy)]
pub struct StageTime {
    pub stage: &'static str,
    pub wall: std::time::Duration,
    /// CPU time of the whole process (all threads) during the stage, where the system tells it:
    /// unlike wall time it hardly changes when other work shares the machine.
    pub cpu: Option<std::time::Duration>,
}

/// Measures consecutive stages.
pub struct StageClock {
    wall: std::time::Instant,
    cpu: Option<std::time::Duration>,
}

impl StageClock {
    pub fn start() -> StageClock {
        StageClock {
            wall: std::time::Instant::now(),
            cpu: process_cpu_time(),
        }
    }

    /// The time since the start or the previous lap.
    pub fn lap(&mut self, stage: &'static str) -> StageTime {
        let now = StageClock::start();
        let time = StageTime {
            stage,
            wall: now.wall - self.wall,
            cpu: now
                .cpu
                .zip(self.cpu)
                .map(|(now, then)| now.saturating_sub(then)),
        };
        *self = now;
        time
    }
}

/// User + system CPU time of this process so far, from `/proc/self/stat` (Linux only; in clock
/// ticks of 1/100 s, the kernel's fixed USER_HZ).
fn process_cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split(' ');
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(std::time::Duration::from_millis((utime + stime) * 10))
}

/// Renders a valid site into `out`, replacing its previous content only on success.
pub fn build(root: &Path, site: &site::Site, out: &Path) -> Result<BuildReport, Error> {
    build_keeping(root, site, out, false).map(|(report, _)| report)
}

/// [`build`], also returning what it rendered, with the cards and lines if `keep_snippets`.
fn build_keeping(
    root: &Path,
    site: &site::Site,
    out: &Path,
    keep_snippets: bool,
) -> Result<(BuildReport, render::Rendered), Error> {
    output::check_out_dir(root, out).map_err(Error::Usage)?;
    let mut timings = Vec::new();
    let mut clock = StageClock::start();
    let staging = output::Staging::new(out)?;
    // The search index is the longest chain of work that cannot be split (tantivy indexes on one
    // thread, then the export): it starts at once on this thread, while the other core computes
    // the gaps, renders the pages and writes the open data, and this one joins in when the index
    // is done.
    let write = |path: &str, bytes: &[u8]| staging.write(path, bytes);
    let (index, (pages, data)) = rayon::join(
        || search_index(root, site, &write).map(|(times, _)| times),
        || {
            rayon::join(
                || {
                    let mut theme = render::Theme::load(root, &site.config.site.theme)?;
                    pages(site, &mut theme, &write, None, keep_snippets)
                },
                || open_data(site, &write).map(|(time, _)| time),
            )
        },
    );
    let (rendered, pages_times) = pages?;
    timings.extend(pages_times);
    timings.push(data?);
    timings.extend(index?);
    timings.push(clock.lap("all output"));
    staging.commit()?;
    timings.push(clock.lap("swap"));
    Ok((BuildReport::of(site, &rendered, timings), rendered))
}

/// What the next build into the same folder can reuse (`serve`): what the entry pages there were
/// made from.
struct Built {
    config: crate::config::Config,
    today: Date,
    inputs: render::PageInputs,
    snippets: Option<render::Snippets>,
    /// Each entry file's text and check: its entry, if published, has its page in the folder.
    checked: Checked,
    /// The folder's [`stamp`] after the build.
    stamp: Option<std::time::SystemTime>,
}

impl Built {
    fn new(
        site: site::Site,
        rendered: render::Rendered,
        checked: Checked,
        stamp: Option<std::time::SystemTime>,
    ) -> Built {
        Built {
            checked,
            stamp,
            config: site.config,
            today: site.today,
            inputs: rendered.inputs,
            snippets: rendered.snippets,
        }
    }
}

/// `serve`'s builds into one folder: what the last good one left, for the next to keep.
#[derive(Default)]
pub struct Rebuilds {
    last: Option<Built>,
}

impl Rebuilds {
    /// Checks the content and builds it into `out` (see [`check_and_rebuild`]).
    pub fn run(
        &mut self,
        root: &Path,
        out: &Path,
        base_url: &str,
        today: Date,
        diags: &mut Diagnostics,
        pages_written: &dyn Fn(&StageTime),
    ) -> Result<BuildReport, Error> {
        let previous = self.last.take();
        let built = check_and_rebuild(
            root,
            out,
            base_url,
            today,
            diags,
            previous.as_ref(),
            pages_written,
        );
        match built {
            Ok((report, now)) => {
                self.last = Some(now);
                Ok(report)
            }
            // Content errors write nothing: the folder is as the last build left it.
            Err(Error::Content) => {
                self.last = previous;
                Err(Error::Content)
            }
            // Anything else may have left part of its files: the next build writes everything.
            Err(e) => Err(e),
        }
    }
}

/// For `serve`: checks the content and builds it into `out`. Like [`check_and_build`] when there
/// is no `previous` build, or when the folder is not as it left it, or when no page can be kept
/// (the configuration, the day, the theme or the site's totals changed). Otherwise in place: the
/// pages of entries that did not change are kept, the others rendered (into memory, so that a
/// template error writes nothing) and written; `pages_written` is called with the time so far;
/// then the open data and the search index are written and what this build no longer writes is
/// removed. Content errors leave `out` untouched.
fn check_and_rebuild(
    root: &Path,
    out: &Path,
    base_url: &str,
    today: Date,
    diags: &mut Diagnostics,
    previous: Option<&Built>,
    pages_written: &dyn Fn(&StageTime),
) -> Result<(BuildReport, Built), Error> {
    let mut clock = StageClock::start();
    let (site, files) = check_reusing(root, base_url, today, diags, previous)?;
    let checked = clock.lap("load+check");
    output::check_out_dir(root, out).map_err(Error::Usage)?;
    let started = std::time::Instant::now();
    let mut theme = render::Theme::load(root, &site.config.site.theme)?;
    let previous = previous.filter(|p| {
        p.config == site.config
            && p.today == site.today
            && p.snippets.is_some()
            && p.inputs == render::PageInputs::of(&site, &theme)
            // Nothing else wrote the folder since (a `build` into it, a page deleted).
            && p.stamp.is_some()
            && p.stamp == stamp(out)
    });
    let Some(previous) = previous else {
        drop(theme);
        let (mut report, rendered) = build_keeping(root, &site, out, true)?;
        report.timings.insert(0, checked);
        let stamp = stamp(out);
        return Ok((report, Built::new(site, rendered, files, stamp)));
    };
    let folder = output::InPlace::new(out)?;
    let unchanged = |e: &crate::entry::Entry| {
        previous
            .checked
            .get(&e.path)
            .and_then(|(_, f)| f.entry.as_ref())
            == Some(e)
            && out
                .join(crate::paths::file(&crate::paths::entry(&e.id)))
                .is_file()
    };
    let reuse = previous.snippets.as_ref().map(|snippets| render::Reuse {
        inputs: &previous.inputs,
        snippets,
        unchanged: &unchanged,
    });
    let rendered_pages = std::sync::Mutex::new(Vec::new());
    let keep_page = |path: &str, bytes: &[u8]| {
        rendered_pages
            .lock()
            .map_err(|_| "描画中にエラーが起きました".to_owned())?
            .push((path.to_owned(), bytes.to_vec()));
        Ok(())
    };
    let (rendered, mut timings) = pages(&site, &mut theme, &keep_page, reuse, true)?;
    let rendered_pages = rendered_pages
        .into_inner()
        .map_err(|_| "描画中にエラーが起きました".to_owned())?;
    rendered_pages
        .par_iter()
        .try_for_each(|(path, bytes)| folder.write(path, bytes))?;
    drop(rendered_pages);
    timings.insert(0, checked);
    pages_written(&StageTime {
        stage: "pages shown",
        wall: started.elapsed() + checked.wall,
        cpu: None,
    });
    let write = |path: &str, bytes: &[u8]| folder.write(path, bytes);
    let (data, data_files) = open_data(&site, &write)?;
    let (index, index_files) = search_index(root, &site, &write)?;
    timings.push(data);
    timings.extend(index);
    let mut keep: std::collections::HashSet<&str> =
        rendered.files.iter().map(String::as_str).collect();
    keep.extend(data_files.iter().chain(&index_files).map(String::as_str));
    output::sweep(out, &keep)?;
    timings.push(clock.lap("all output"));
    let report = BuildReport::of(&site, &rendered, timings);
    Ok((report, Built::new(site, rendered, files, stamp(out))))
}

/// When the folder's home page was last written: a build records it, and a later one keeps pages
/// only if it is unchanged.
fn stamp(out: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(out.join("index.html"))
        .and_then(|m| m.modified())
        .ok()
}

/// Computes the gaps and renders the pages, with the times of both.
fn pages(
    site: &site::Site,
    theme: &mut render::Theme,
    write: &render::WriteFn<'_>,
    reuse: Option<render::Reuse<'_>>,
    keep_snippets: bool,
) -> Result<(render::Rendered, Vec<StageTime>), String> {
    let started = std::time::Instant::now();
    let report = gaps::compute(site);
    let gaps_time = concurrent_stage("gaps", started);
    let started = std::time::Instant::now();
    let rendered = render::render_site(site, &report, theme, write, reuse, keep_snippets)?;
    Ok((
        rendered,
        vec![gaps_time, concurrent_stage("pages", started)],
    ))
}

/// A stage that ran beside others: its wall time only, as the CPU time of the process cannot be
/// split between stages running at once.
fn concurrent_stage(stage: &'static str, started: std::time::Instant) -> StageTime {
    StageTime {
        stage,
        wall: started.elapsed(),
        cpu: None,
    }
}

/// Writes the open-data files (each part of each format a task of its own: they are often the
/// last work of a build, and two threads share them then). A thread holds one file in memory at a
/// time. Returns the time and the files' paths.
fn open_data(
    site: &site::Site,
    write: &render::WriteFn<'_>,
) -> Result<(StageTime, Vec<String>), String> {
    let started = std::time::Instant::now();
    let parts = opendata::site_parts(site);
    let tasks: Vec<(&opendata::OpenFile, usize)> = opendata::FILES
        .iter()
        .flat_map(|f| (0..parts.len()).map(move |i| (f, i)))
        .collect();
    let paths: Vec<String> = tasks.iter().map(|&(f, i)| f.path(i, parts.len())).collect();
    tasks
        .par_iter()
        .zip(&paths)
        .try_for_each(|(&(f, i), path)| {
            let bytes = (f.make)(site, &site.entries[parts[i].clone()]);
            write(path, &bytes)
        })?;
    Ok((concurrent_stage("open data", started), paths))
}

/// The search export's options: the defaults, but `TSUNAGU_SEARCH_INLINE` (a posting count) sets
/// the longest term whose levels all stay in its bucket; tests lower it to cover rest files on a
/// small site.
fn export_options() -> Result<tsunagu_search::export::Options, String> {
    let mut options = tsunagu_search::export::Options::default();
    if let Ok(v) = std::env::var("TSUNAGU_SEARCH_INLINE") {
        options.inline_levels = v.parse().map_err(|_| {
            format!(
                "環境変数 TSUNAGU_SEARCH_INLINE は件数（0 以上の整数）で指定してください（値: {v}）"
            )
        })?;
    }
    Ok(options)
}

/// Builds the search index and writes its static export, returning the times of both and the
/// files' paths.
fn search_index(
    root: &Path,
    site: &site::Site,
    write: &render::WriteFn<'_>,
) -> Result<([StageTime; 2], Vec<String>), String> {
    let started = std::time::Instant::now();
    let index = search::build_index(root, site)?;
    let built = concurrent_stage("search index", started);
    let started = std::time::Instant::now();
    let files = tsunagu_search::export::export(&index, &export_options()?)
        .map_err(|e| format!("検索インデックスを書き出せません: {e}"))?;
    let paths: Vec<String> = files.iter().map(|(p, _)| format!("search/{p}")).collect();
    // Thousands of small files: written on every thread free by now.
    files
        .par_iter()
        .zip(&paths)
        .try_for_each(|((_, bytes), path)| write(path, bytes))?;
    Ok(([built, concurrent_stage("search export", started)], paths))
}
