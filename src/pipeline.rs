//! The build pipeline: load → validate → site model → pages, gaps, open data and the search index
//! → swap into the output folder. It returns data and typed errors; printing them and choosing
//! exit codes is the command line's job.

use std::path::Path;

use rayon::prelude::*;

use crate::date::Date;
use crate::diag::Diagnostics;
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
    /// Time of each stage, in order (for `build --timings` and the benchmarks).
    pub timings: Vec<StageTime>,
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
    output::check_out_dir(root, out).map_err(Error::Usage)?;
    let mut timings = Vec::new();
    let mut clock = StageClock::start();
    let staging = output::Staging::new(out)?;
    // The search index is the longest chain of work that cannot be split (tantivy indexes on one
    // thread, then the export): it starts at once on this thread, while the other core computes
    // the gaps, renders the pages and writes the open data, and this one joins in when the index
    // is done.
    let (index, (pages, data)) = rayon::join(
        || search_index(root, site, &staging),
        || {
            rayon::join(
                || {
                    let started = std::time::Instant::now();
                    let report = gaps::compute(site);
                    let gaps_time = concurrent_stage("gaps", started);
                    let started = std::time::Instant::now();
                    let mut theme = render::Theme::load(root, &site.config.site.theme)?;
                    let pages = render::render_site(site, &report, &mut theme, &|path, bytes| {
                        staging.write(path, bytes)
                    })?;
                    Ok::<_, String>((pages, [gaps_time, concurrent_stage("pages", started)]))
                },
                || open_data(site, &staging),
            )
        },
    );
    let (pages, pages_times) = pages?;
    timings.extend(pages_times);
    timings.push(data?);
    timings.extend(index?);
    timings.push(clock.lap("all output"));
    staging.commit()?;
    timings.push(clock.lap("swap"));
    Ok(BuildReport {
        entries: site.entries.len(),
        pages,
        timings,
    })
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
/// time.
fn open_data(site: &site::Site, staging: &output::Staging) -> Result<StageTime, String> {
    let started = std::time::Instant::now();
    let parts = opendata::site_parts(site);
    let tasks: Vec<(&opendata::OpenFile, usize)> = opendata::FILES
        .iter()
        .flat_map(|f| (0..parts.len()).map(move |i| (f, i)))
        .collect();
    tasks.par_iter().try_for_each(|&(f, i)| {
        let bytes = (f.make)(site, &site.entries[parts[i].clone()]);
        staging.write(&f.path(i, parts.len()), &bytes)
    })?;
    Ok(concurrent_stage("open data", started))
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

/// Builds the search index and writes its static export, returning the times of both.
fn search_index(
    root: &Path,
    site: &site::Site,
    staging: &output::Staging,
) -> Result<[StageTime; 2], String> {
    let started = std::time::Instant::now();
    let index = search::build_index(root, site)?;
    let built = concurrent_stage("search index", started);
    let started = std::time::Instant::now();
    let files = tsunagu_search::export::export(&index, &export_options()?)
        .map_err(|e| format!("検索インデックスを書き出せません: {e}"))?;
    // Thousands of small files: written on every thread free by now.
    files
        .par_iter()
        .try_for_each(|(path, bytes)| staging.write(&format!("search/{path}"), bytes))?;
    Ok([built, concurrent_stage("search export", started)])
}
