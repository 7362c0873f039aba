//! The command line: `tsunagu [--root DIR] <build|check|serve>`.
//!
//! Exit codes: 0 success, 1 content errors, 2 usage or I/O errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::fields;
use crate::pipeline::{self, Error};

#[derive(Parser, Debug)]
#[command(
    name = "tsunagu",
    version,
    about = "医療的ケア児の支援資源マップを作る静的サイトジェネレーター"
)]
pub struct Cli {
    /// Site root holding `content/` and `themes/`.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate the content, then render the whole site.
    Build {
        /// Output directory (replaced atomically on success).
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Validate the content only; nothing is written.
    Check {
        /// How problems are printed.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print the regional gap figures (supply against demand).
    Gaps {
        #[arg(long, value_enum, default_value_t = GapFormat::Table)]
        format: GapFormat,
        /// Only this region (its id).
        #[arg(long)]
        region: Option<String>,
    },
    /// Build, serve the output over HTTP and rebuild when files change.
    Serve {
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value = "public")]
        out: PathBuf,
    },
    /// Search the directory (the same index and ranking as the site's search page).
    Search {
        /// Print `{"total": N, "hits": [{"id", "score", "distance_km"}]}`.
        #[arg(long)]
        json: bool,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        region: Option<String>,
        /// Municipality name or five-digit code.
        #[arg(long)]
        municipality: Option<String>,
        /// Care-item id; repeat for several (all must be accepted).
        #[arg(long)]
        care: Vec<String>,
        /// The child's age.
        #[arg(long)]
        age: Option<u8>,
        #[command(flatten)]
        flags: FlagFilters,
        /// Sort by distance from LAT,LON.
        #[arg(long, value_parser = parse_point)]
        near: Option<(f64, f64)>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Free text; empty with filters lists every match.
        #[arg(default_value = "")]
        query: String,
    },
    /// Print the JSON Schema of entry files (committed as schema/entry.schema.json).
    Schema,
    /// Write a new entry file with every field explained.
    New {
        /// Category id (facility, short-stay, visiting-nurse, school …).
        category: String,
        /// Entry id: the file name, lowercase ASCII letters, digits and `-`.
        id: String,
        #[arg(long)]
        name: Option<String>,
        /// Municipality name or five-digit code; the file goes into its region's folder.
        #[arg(long)]
        municipality: Option<String>,
    },
    /// Import providers from an open-data CSV as entry files.
    Import {
        /// Layout of the CSV file.
        #[arg(long, value_enum)]
        format: crate::import::Layout,
        /// Category of the imported entries.
        #[arg(long)]
        category: String,
        /// Folder for new entry files (default: content/entries/imported/<format>).
        #[arg(long)]
        into: Option<PathBuf>,
        /// Refresh the fields the import owns in files that already exist.
        #[arg(long)]
        update: bool,
        file: PathBuf,
    },
    /// Write a starter site for a prefecture: every municipality, workflows, guides.
    Init {
        /// Prefecture: 長野県, 長野 or nagano.
        #[arg(long)]
        prefecture: String,
        /// CSV of (municipality name or code, region name[, region id]) rows: the centre's 圏域.
        #[arg(long)]
        regions: Option<PathBuf>,
        /// Git URL the starter's workflows install tsunagu from.
        #[arg(long, default_value = env!("CARGO_PKG_REPOSITORY"))]
        tsunagu_git: String,
        /// New folder for the site (default: the prefecture's romaji name, e.g. `nagano`).
        dir: Option<PathBuf>,
    },
    /// Write a synthetic site with N entries (for benchmarks and tests).
    Synth {
        #[arg(long)]
        entries: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        out: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapFormat {
    Table,
    Csv,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `PATH:LINE:COL: error: MESSAGE`
    Human,
    /// GitHub Actions workflow annotations.
    Github,
    /// One JSON document with every problem.
    Json,
}

/// `tsunagu search`'s yes/no filters: a `--<flag>` option for each flag of the field registry.
#[derive(Debug, Clone, Default)]
pub struct FlagFilters(Vec<String>);

impl clap::FromArgMatches for FlagFilters {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let set = fields::flags().iter().filter(|f| m.get_flag(f.id));
        Ok(FlagFilters(set.map(|f| f.id.to_owned()).collect()))
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = FlagFilters::from_arg_matches(m)?;
        Ok(())
    }
}

impl clap::Args for FlagFilters {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.args(fields::flags().iter().map(|f| {
            clap::Arg::new(f.id)
                .long(f.cli_option())
                .action(clap::ArgAction::SetTrue)
                .help(f.doc)
        }))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        FlagFilters::augment_args(cmd)
    }
}

/// Runs the command line and returns the process exit code: the one place where errors are
/// printed and mapped to codes.
pub fn run(cli: Cli) -> ExitCode {
    report(command(cli))
}

/// Prints an error (content errors are printed with their positions where they are found) and
/// gives its exit code.
fn report(result: Result<(), Error>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Content) => ExitCode::from(1),
        Err(Error::Usage(msg) | Error::Io(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn command(cli: Cli) -> Result<(), Error> {
    let root = cli.root.as_path();
    // `synth` and `init` write a new site root; `schema` reads none.
    let needs_site = !matches!(
        cli.command,
        Command::Synth { .. } | Command::Init { .. } | Command::Schema
    );
    if needs_site && !root.join("content").is_dir() {
        return Err(Error::Usage(format!(
            "{} に content/ フォルダがありません。--root でサイトのフォルダを指定してください",
            root.display()
        )));
    }
    match cli.command {
        Command::Check { format } => {
            let mut diags = Diagnostics::default();
            let checked = pipeline::check(root, Date::today(), &mut diags);
            print_diagnostics(diags, format);
            checked.map(drop)
        }
        Command::Build { out, timings } => build(root, &out, None, timings),
        Command::Gaps { format, region } => gaps(root, format, region.as_deref()),
        Command::Serve { port, bind, out } => {
            let rebuilds = std::cell::RefCell::new(pipeline::Rebuilds::default());
            let shown = std::cell::RefCell::new(None);
            crate::serve::serve(root, &out, &bind, port, &|base| {
                report(rebuild(root, &out, base, &rebuilds, &shown)) == ExitCode::SUCCESS
            })
        }
        Command::Search {
            json,
            category,
            region,
            municipality,
            care,
            age,
            flags,
            near,
            limit,
            query,
        } => {
            let q = tsunagu_search::Query {
                text: query,
                category,
                region,
                municipality,
                care,
                age,
                flags: flags.0,
                near,
                limit,
            };
            search(root, &q, json)
        }
        Command::Schema => {
            print!("{}", fields::json_schema());
            Ok(())
        }
        Command::New {
            category,
            id,
            name,
            municipality,
        } => new_entry(
            root,
            &category,
            &id,
            name.as_deref(),
            municipality.as_deref(),
        ),
        Command::Import {
            format,
            category,
            into,
            update,
            file,
        } => import(root, format, &category, into, update, &file),
        Command::Init {
            prefecture,
            regions,
            tsunagu_git,
            dir,
        } => init(&prefecture, regions.as_deref(), &tsunagu_git, dir),
        Command::Synth { entries, seed, out } => {
            let started = Instant::now();
            crate::synth::generate(&out, entries, seed)?;
            println!(
                "{entries} entries (seed {seed}) written to {}, {} ms",
                out.display(),
                started.elapsed().as_millis()
            );
            Ok(())
        }
    }
}

fn init(
    prefecture: &str,
    regions: Option<&Path>,
    tsunagu_git: &str,
    dir: Option<PathBuf>,
) -> Result<(), Error> {
    let pref = crate::japan::prefecture(prefecture).map_err(|closest| {
        let hint = match closest.as_slice() {
            [] => "「長野県」「長野」「nagano」のように書いてください".to_owned(),
            names => format!("もしかして {} ？", names.join("、")),
        };
        Error::Usage(format!("都道府県 `{prefecture}` がわかりません。{hint}"))
    })?;
    let dir = dir.unwrap_or_else(|| PathBuf::from(pref.romaji));
    let request = crate::init::Request {
        prefecture: pref,
        dir: &dir,
        regions_csv: regions,
        today: Date::today(),
        tsunagu_git,
    };
    let report = crate::init::init(&request).map_err(|r| match r {
        crate::init::Refusal::Io(m) => Error::Io(m),
        other => Error::Usage(other.to_string()),
    })?;
    let municipalities: usize = report.regions.iter().map(|r| r.municipalities.len()).sum();
    println!(
        "{} のサイトを {} に作りました（{} 地域、{municipalities} 市町村）。",
        pref.name,
        report.dir.display(),
        report.regions.len()
    );
    println!(
        "次に: cd {} して content/site.toml を書き、tsunagu serve で確かめます（README.md）。",
        report.dir.display()
    );
    Ok(())
}

/// The valid site, or its problems printed.
fn checked_site(root: &Path) -> Result<crate::site::Site, Error> {
    let mut diags = Diagnostics::default();
    let site = pipeline::check(root, Date::today(), &mut diags);
    if site.is_err() {
        print_diagnostics(diags, Format::Human);
    }
    site
}

fn gaps(root: &Path, format: GapFormat, region: Option<&str>) -> Result<(), Error> {
    let site = checked_site(root)?;
    let mut report = crate::gaps::compute(&site);
    if let Some(id) = region {
        if site.config.region(id).is_none() {
            let ids: Vec<&str> = site.config.regions.iter().map(|r| r.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "地域 `{id}` はありません。使えるのは {} です",
                ids.join(", ")
            )));
        }
        report.regions.retain(|r| r.id == id);
    }
    match format {
        GapFormat::Table => print!("{}", crate::gaps::format::to_table(&report)),
        GapFormat::Csv => print!("{}", crate::gaps::format::to_csv(&report)),
        GapFormat::Json => println!("{}", crate::gaps::format::to_json(&report)),
    }
    Ok(())
}

fn parse_point(s: &str) -> Result<(f64, f64), String> {
    let (lat, lon) = s
        .split_once(',')
        .ok_or("LAT,LON の形で指定してください（例: 34.73,136.51）")?;
    let parse = |v: &str| {
        v.trim()
            .parse::<f64>()
            .map_err(|_| format!("`{v}` は数値ではありません"))
    };
    let (lat, lon) = (parse(lat)?, parse(lon)?);
    if !crate::config::in_japan(lat, lon) {
        return Err("日本の範囲（緯度20〜46、経度122〜154）の座標を指定してください".to_owned());
    }
    Ok((lat, lon))
}

/// Searches the index `build` left in `.tsunagu/index`, building it first when it is missing.
fn search(root: &Path, q: &tsunagu_search::Query, json: bool) -> Result<(), Error> {
    let dir = crate::search::index_dir(root);
    let index = match tsunagu_search::SearchIndex::open(&dir) {
        Ok(i) => i,
        Err(_) => crate::search::build_index(root, &checked_site(root)?)?,
    };
    let results = index
        .search(q)
        .map_err(|e| Error::Io(format!("検索に失敗しました: {e}")))?;
    for i in &results.ignored {
        eprintln!("warning: 不明な絞り込み条件 {i} を無視しました");
    }
    if json {
        println!(
            "{}",
            serde_json::to_string(&results).expect("results serialise")
        );
    } else {
        if !results.dropped.is_empty() {
            println!(
                "すべてのことばに当てはまる掲載がないため、「{}」を除いて探しました",
                results.dropped.join("」「")
            );
        }
        println!("{} 件", results.total);
        for h in &results.hits {
            match h.distance_km {
                Some(d) => println!("{}	約 {:.1} km", h.id, d),
                None => println!("{}	{:.3}", h.id, h.score),
            }
        }
    }
    Ok(())
}

/// The configuration alone, for commands that write content; its problems are printed.
fn load_config(root: &Path) -> Result<crate::config::Config, Error> {
    let mut diags = Diagnostics::default();
    let config = pipeline::config(root, &mut diags);
    if config.is_err() {
        print_diagnostics(diags, Format::Human);
    }
    config
}

fn new_entry(
    root: &Path,
    category: &str,
    id: &str,
    name: Option<&str>,
    municipality: Option<&str>,
) -> Result<(), Error> {
    let config = load_config(root)?;
    let request = crate::scaffold::Request {
        category,
        id,
        name,
        municipality,
        today: Date::today(),
    };
    let path = crate::scaffold::write_new(root, &config, &request)?;
    println!(
        "{} を作りました。項目を埋めて draft = true の行を消すと公開されます",
        path.display()
    );
    Ok(())
}

fn import(
    root: &Path,
    format: crate::import::Layout,
    category: &str,
    into: Option<PathBuf>,
    update: bool,
    file: &Path,
) -> Result<(), Error> {
    let config = load_config(root)?;
    let into = into.unwrap_or_else(|| {
        let name = format
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned());
        root.join("content")
            .join("entries")
            .join("imported")
            .join(name)
    });
    let opts = crate::import::Options {
        layout: format,
        category,
        csv: file,
        into: &into,
        update,
        today: Date::today(),
    };
    let report = crate::import::import(root, &config, &opts)?;
    print!("{}", report.summary());
    // Every file written must pass `check`: show any problem in them now, not at the next build.
    let mut diags = Diagnostics::default();
    let site = pipeline::check(root, Date::today(), &mut diags);
    let touched = report.new.len() + report.updated.len();
    let problems: Vec<Diagnostic> = diags
        .into_sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    for d in &problems {
        eprintln!("{d}");
    }
    if site.is_err() && !problems.is_empty() {
        eprintln!(
            "取り込んだ {touched} 件を含むサイトにエラーがあります。上の内容を直してください"
        );
        return Err(Error::Content);
    }
    Ok(())
}

/// Checks and builds once, printing problems and the summary line; `base_url` overrides the
/// configured one (used when serving locally).
fn build(root: &Path, out: &Path, base_url: Option<&str>, timings: bool) -> Result<(), Error> {
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let built = pipeline::check_and_build(root, out, base_url, Date::today(), &mut diags);
    print_diagnostics(diags, Format::Human);
    const KEPT: &str = "ビルドを中止しました。以前の出力はそのまま残っています";
    let report = match built {
        Ok(r) => r,
        Err(Error::Content) => {
            eprintln!("{KEPT}");
            return Err(Error::Content);
        }
        Err(Error::Usage(msg)) => return Err(Error::Usage(format!("{msg}\n{KEPT}"))),
        Err(Error::Io(msg)) => return Err(Error::Io(format!("{msg}\n{KEPT}"))),
    };
    if timings {
        for t in &report.timings {
            let cpu = t
                .cpu
                .map(|c| format!("  {:>8.3} s CPU", c.as_secs_f64()))
                .unwrap_or_default();
            eprintln!("{:>14}  {:>8.3} s{cpu}", t.stage, t.wall.as_secs_f64());
        }
    }
    println!(
        "{} entries, {} pages, {} ms",
        report.entries,
        report.pages,
        started.elapsed().as_millis()
    );
    Ok(())
}

/// A build for `serve`: after the first, in place and only what changed. `shown`: the problems
/// the build before printed; a warning among them is counted, not printed again (an edit then
/// shows what it changed, not the site's every warning).
fn rebuild(
    root: &Path,
    out: &Path,
    base_url: &str,
    rebuilds: &std::cell::RefCell<pipeline::Rebuilds>,
    shown: &std::cell::RefCell<Option<Vec<Diagnostic>>>,
) -> Result<(), Error> {
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let shown_pages = |t: &pipeline::StageTime| {
        println!(
            "ページを更新しました（{} ms）。検索とオープンデータを更新しています…",
            t.wall.as_millis()
        )
    };
    let built =
        rebuilds
            .borrow_mut()
            .run(root, out, base_url, Date::today(), &mut diags, &shown_pages);
    print_new_diagnostics(diags, &mut shown.borrow_mut());
    match built {
        Ok(report) => {
            println!(
                "{} entries, {} pages ({} rendered), {} ms",
                report.entries,
                report.pages,
                report.rendered,
                started.elapsed().as_millis()
            );
            Ok(())
        }
        Err(Error::Content) => {
            eprintln!("ビルドを中止しました。以前の出力はそのまま残っています");
            Err(Error::Content)
        }
        Err(e) => Err(e),
    }
}

/// Prints the problems as `check` does, but no warning that `before` (the last run's problems)
/// holds; then keeps these as `before`.
fn print_new_diagnostics(diags: Diagnostics, before: &mut Option<Vec<Diagnostic>>) {
    let counts = (diags.count(Severity::Error), diags.count(Severity::Warning));
    let items = diags.into_sorted();
    let seen = |d: &Diagnostic| {
        d.severity == Severity::Warning
            && before.as_ref().is_some_and(|b| {
                b.binary_search_by(|x| crate::diag::order(x).cmp(&crate::diag::order(d)))
                    .is_ok()
            })
    };
    let new: Vec<Diagnostic> = items.iter().filter(|d| !seen(d)).cloned().collect();
    print_human(&new, items.len() - new.len(), counts);
    *before = Some(items);
}

/// Problems for a person, then the run's counts of errors and warnings, and how many warnings
/// the run before printed were left out (`same`).
fn print_human(shown: &[Diagnostic], same: usize, (errors, warnings): (usize, usize)) {
    for line in crate::diag::human_lines(shown, crate::diag::SHOWN_WARNINGS) {
        eprintln!("{line}");
    }
    if errors + warnings > 0 {
        let omitted = if same > 0 {
            format!(
                "（前回と同じ警告 {} 件は省略）",
                crate::diag::thousands(same)
            )
        } else {
            String::new()
        };
        eprintln!("エラー {errors} 件、警告 {warnings} 件{omitted}");
    }
}

fn print_diagnostics(diags: Diagnostics, format: Format) {
    let errors = diags.count(Severity::Error);
    let warnings = diags.count(Severity::Warning);
    let items = diags.into_sorted();
    match format {
        Format::Human => print_human(&items, 0, (errors, warnings)),
        Format::Github => {
            for d in &items {
                println!("{}", github_annotation(d));
            }
        }
        Format::Json => {
            let doc =
                serde_json::json!({"errors": errors, "warnings": warnings, "diagnostics": items});
            println!("{doc}");
        }
    }
}

/// A GitHub Actions annotation, so the problem shows on the changed line of a pull request.
pub fn github_annotation(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let title = d
        .field
        .as_deref()
        .map_or_else(|| "tsunagu".to_owned(), |f| format!("tsunagu: {f}"));
    format!(
        "::{kind} file={},line={},col={},title={}::{}",
        escape_property(&d.path),
        d.line.max(1),
        d.col.max(1),
        escape_property(&title),
        escape_data(&d.message)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_escape_separators() {
        let d = Diagnostic {
            path: "content/entries/a,b.md".into(),
            line: 3,
            col: 2,
            severity: Severity::Error,
            field: Some("url".into()),
            message: "50% は\n不正".into(),
            kind: None,
        };
        assert_eq!(
            github_annotation(&d),
            "::error file=content/entries/a%2Cb.md,line=3,col=2,title=tsunagu%3A url::50%25 は%0A不正"
        );
    }
}
