//! The command line: `tsunagu [--root DIR] <build|check|serve>`.
//!
//! Exit codes: 0 success, 1 content errors, 2 usage or I/O errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Severity};

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
        #[arg(long)]
        transport: bool,
        #[arg(long)]
        bathing: bool,
        #[arg(long)]
        weekend: bool,
        #[arg(long)]
        evening: bool,
        #[arg(long)]
        overnight: bool,
        #[arg(long)]
        walking: bool,
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

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let root = cli.root.as_path();
    // `synth` writes a new site root, so it is the one command that needs no content/.
    let needs_site = !matches!(cli.command, Command::Synth { .. } | Command::Schema);
    if needs_site && !root.join("content").is_dir() {
        eprintln!(
            "error: {} に content/ フォルダがありません。--root でサイトのフォルダを指定してください",
            root.display()
        );
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Check { format } => {
            let (site, diags) = crate::check(root, Date::today());
            let ok = site.is_some();
            print_diagnostics(diags, format);
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Build { out, timings } => build_once(root, &out, None, timings),
        Command::Gaps { format, region } => gaps(root, format, region.as_deref()),
        Command::Serve { port, bind, out } => crate::serve::serve(root, &out, &bind, port),
        Command::Search {
            json,
            category,
            region,
            municipality,
            care,
            age,
            transport,
            bathing,
            weekend,
            evening,
            overnight,
            walking,
            near,
            limit,
            query,
        } => {
            let flags = [
                ("transport", transport),
                ("bathing", bathing),
                ("weekend", weekend),
                ("evening", evening),
                ("overnight", overnight),
                ("walking", walking),
            ];
            let q = tsunagu_search::Query {
                text: query,
                category,
                region,
                municipality,
                care,
                age,
                flags: flags
                    .iter()
                    .filter(|f| f.1)
                    .map(|f| f.0.to_owned())
                    .collect(),
                near,
                limit,
            };
            search(root, &q, json)
        }
        Command::Schema => {
            print!("{}", crate::entry::json_schema());
            ExitCode::SUCCESS
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
        Command::Synth { entries, seed, out } => {
            let started = Instant::now();
            match crate::synth::generate(&out, entries, seed) {
                Ok(()) => {
                    println!(
                        "{entries} entries (seed {seed}) written to {}, {} ms",
                        out.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(msg) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn gaps(root: &Path, format: GapFormat, region: Option<&str>) -> ExitCode {
    let (site, diags) = crate::check(root, Date::today());
    let Some(site) = site else {
        print_diagnostics(diags, Format::Human);
        return ExitCode::from(1);
    };
    let mut report = crate::gaps::compute(&site);
    if let Some(id) = region {
        if site.config.region(id).is_none() {
            let ids: Vec<&str> = site.config.regions.iter().map(|r| r.id.as_str()).collect();
            eprintln!(
                "error: 地域 `{id}` はありません。使えるのは {} です",
                ids.join(", ")
            );
            return ExitCode::from(2);
        }
        report.regions.retain(|r| r.id == id);
    }
    match format {
        GapFormat::Table => print!("{}", crate::gaps::format::to_table(&report)),
        GapFormat::Csv => print!("{}", crate::gaps::format::to_csv(&report)),
        GapFormat::Json => println!("{}", crate::gaps::format::to_json(&report)),
    }
    ExitCode::SUCCESS
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
fn search(root: &Path, q: &tsunagu_search::Query, json: bool) -> ExitCode {
    let dir = crate::search::index_dir(root);
    let index = match tsunagu_search::SearchIndex::open(&dir) {
        Ok(i) => i,
        Err(_) => {
            let (site, diags) = crate::check(root, Date::today());
            let Some(site) = site else {
                print_diagnostics(diags, Format::Human);
                return ExitCode::from(1);
            };
            match crate::search::build_index(root, &site) {
                Ok(i) => i,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    return ExitCode::from(2);
                }
            }
        }
    };
    let results = match index.search(q) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: 検索に失敗しました: {e}");
            return ExitCode::from(2);
        }
    };
    for i in &results.ignored {
        eprintln!("warning: 不明な絞り込み条件 {i} を無視しました");
    }
    if json {
        println!(
            "{}",
            serde_json::to_string(&results).expect("results serialise")
        );
    } else {
        println!("{} 件", results.total);
        for h in &results.hits {
            match h.distance_km {
                Some(d) => println!("{}	約 {:.1} km", h.id, d),
                None => println!("{}	{:.3}", h.id, h.score),
            }
        }
    }
    ExitCode::SUCCESS
}

/// The configuration alone, for commands that write content; its problems are printed.
fn load_config(root: &Path) -> Result<crate::config::Config, ExitCode> {
    let mut diags = Diagnostics::default();
    let config = crate::config::load(root, &mut diags);
    config.filter(|_| !diags.has_errors()).ok_or_else(|| {
        print_diagnostics(diags, Format::Human);
        ExitCode::from(1)
    })
}

fn new_entry(
    root: &Path,
    category: &str,
    id: &str,
    name: Option<&str>,
    municipality: Option<&str>,
) -> ExitCode {
    let config = match load_config(root) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let request = crate::scaffold::Request {
        category,
        id,
        name,
        municipality,
        today: Date::today(),
    };
    match crate::scaffold::write_new(root, &config, &request) {
        Ok(path) => {
            println!(
                "{} を作りました。項目を埋めて draft = true の行を消すと公開されます",
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn import(
    root: &Path,
    format: crate::import::Layout,
    category: &str,
    into: Option<PathBuf>,
    update: bool,
    file: &Path,
) -> ExitCode {
    let config = match load_config(root) {
        Ok(c) => c,
        Err(code) => return code,
    };
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
    let report = match crate::import::import(root, &config, &opts) {
        Ok(r) => r,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    print!("{}", report.summary());
    // Every file written must pass `check`: show any problem in them now, not at the next build.
    let (site, diags) = crate::check(root, Date::today());
    let touched: Vec<&String> = report.new.iter().chain(&report.updated).collect();
    let problems: Vec<Diagnostic> = diags
        .into_sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    for d in &problems {
        eprintln!("{d}");
    }
    if site.is_none() && !problems.is_empty() {
        eprintln!(
            "取り込んだ {} 件を含むサイトにエラーがあります。上の内容を直してください",
            touched.len()
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Checks and builds once, printing problems and the summary line; `base_url` overrides the
/// configured one (used when serving locally).
pub fn build_once(root: &Path, out: &Path, base_url: Option<&str>, timings: bool) -> ExitCode {
    let started = Instant::now();
    let mut clock = crate::StageClock::start();
    let (site, diags) = crate::check(root, Date::today());
    let checked = clock.lap("load+check");
    print_diagnostics(diags, Format::Human);
    let Some(mut site) = site else {
        eprintln!("ビルドを中止しました。以前の出力はそのまま残っています");
        return ExitCode::from(1);
    };
    if let Some(base) = base_url {
        site.config.site = site.config.site.clone().with_base_url(base);
    }
    let built = crate::build(root, &site, out);
    // Freeing tens of thousands of entries one by one takes a noticeable part of a build: a
    // thread does it while this one reports, and a one-shot build exits without waiting for it.
    std::thread::spawn(move || drop(site));
    match built {
        Ok(report) => {
            if timings {
                for t in std::iter::once(&checked).chain(&report.timings) {
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
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            eprintln!("ビルドを中止しました。以前の出力はそのまま残っています");
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(diags: Diagnostics, format: Format) {
    let errors = diags.count(Severity::Error);
    let warnings = diags.count(Severity::Warning);
    let items = diags.into_sorted();
    match format {
        Format::Human => {
            for d in &items {
                eprintln!("{d}");
            }
            if errors + warnings > 0 {
                eprintln!("エラー {errors} 件、警告 {warnings} 件");
            }
        }
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
        };
        assert_eq!(
            github_annotation(&d),
            "::error file=content/entries/a%2Cb.md,line=3,col=2,title=tsunagu%3A url::50%25 は%0A不正"
        );
    }
}
