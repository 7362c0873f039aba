//! `tsunagu init`: a complete starter site for one prefecture, which passes `check` and `build`
//! as written. It is its own repository (no tsunagu source): its workflows install the tsunagu
//! version named in `.tsunagu-version`.
//!
//! Everything is written into a temporary folder beside the target and renamed into place at the
//! end, so a refusal or an error leaves nothing behind.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::is_slug;
use crate::date::Date;
use crate::diag::did_you_mean;
use crate::japan::{Municipality, Prefecture};
use crate::scaffold::toml_str;

/// What `tsunagu init` was asked for.
pub struct Request<'a> {
    pub prefecture: &'a Prefecture,
    pub dir: &'a Path,
    /// A CSV of (municipality name or code, region name[, region id]) rows.
    pub regions_csv: Option<&'a Path>,
    pub today: Date,
    /// The git URL the workflows install tsunagu from.
    pub tsunagu_git: &'a str,
}

/// Why `init` wrote nothing: the target is taken (exit 2 like any usage error), or the regions
/// file or the disk failed.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    NotEmpty(PathBuf),
    Regions(String),
    Io(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotEmpty(dir) => write!(
                f,
                "{} は空ではありません。何も書き出していません。新しいフォルダの名前を指定してください",
                dir.display()
            ),
            Refusal::Regions(msg) | Refusal::Io(msg) => f.write_str(msg),
        }
    }
}

/// One region of the starter site.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub municipalities: Vec<&'static Municipality>,
}

/// What was written: the folder and its regions.
pub struct Report {
    pub dir: PathBuf,
    pub regions: Vec<Region>,
}

/// The tsunagu tag the starter's workflows install (`.tsunagu-version`).
pub fn version_tag() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

/// Writes the starter site into `req.dir`, which must not exist or be empty.
pub fn init(req: &Request<'_>) -> Result<Report, Refusal> {
    let dir = req.dir;
    if dir.exists() {
        let empty = dir.is_dir()
            && std::fs::read_dir(dir)
                .map_err(|e| Refusal::Io(format!("{} を読めません: {e}", dir.display())))?
                .next()
                .is_none();
        if !empty {
            return Err(Refusal::NotEmpty(dir.to_path_buf()));
        }
    }
    let regions = match req.regions_csv {
        None => vec![Region {
            id: req.prefecture.romaji.to_owned(),
            name: req.prefecture.name.to_owned(),
            municipalities: req.prefecture.municipalities().iter().collect(),
        }],
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Refusal::Regions(format!("{} を読めません: {e}", path.display())))?;
            regions_from_csv(req.prefecture, &crate::import::decode(&bytes))
                .map_err(|m| Refusal::Regions(format!("{}: {m}", path.display())))?
        }
    };
    let files = files(req, &regions);

    let absolute = std::path::absolute(dir).map_err(|e| io(&dir.display().to_string(), e))?;
    if absolute.exists() {
        // An empty folder (the current one, say) is kept: the files are staged inside it and
        // moved up; on failure everything is removed again, leaving it empty as it was.
        let staging = stage(&absolute, &files)?;
        let result = move_children(staging.path(), &absolute);
        if let Err(e) = result {
            for child in std::fs::read_dir(&absolute).into_iter().flatten().flatten() {
                let _ = std::fs::remove_dir_all(child.path())
                    .or_else(|_| std::fs::remove_file(child.path()));
            }
            return Err(io(&dir.display().to_string(), e));
        }
    } else {
        let parent = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| io(&parent.display().to_string(), e))?;
        let staged = stage(&parent, &files)?.keep();
        // A temporary folder is private (0700); the site is an ordinary folder.
        set_mode(&staged);
        std::fs::rename(&staged, &absolute).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            io(&dir.display().to_string(), e)
        })?;
    }
    Ok(Report {
        dir: dir.to_path_buf(),
        regions,
    })
}

/// A failed file operation on `what`.
fn io(what: &str, e: std::io::Error) -> Refusal {
    Refusal::Io(format!("{what}: {e}"))
}

/// Writes `files` into a new temporary folder in `parent`.
fn stage(parent: &Path, files: &[(String, String)]) -> Result<tempfile::TempDir, Refusal> {
    let staging = tempfile::Builder::new()
        .prefix(".tsunagu-init-")
        .tempdir_in(parent)
        .map_err(|e| io(&parent.display().to_string(), e))?;
    for (rel, text) in files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| io(&p.display().to_string(), e))?;
        }
        std::fs::write(&path, text).map_err(|e| io(rel, e))?;
    }
    Ok(staging)
}

/// Moves every entry of `from` into `to` (same file system).
fn move_children(from: &Path, to: &Path) -> std::io::Result<()> {
    for child in std::fs::read_dir(from)? {
        let child = child?;
        std::fs::rename(child.path(), to.join(child.file_name()))?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
}

#[cfg(not(unix))]
fn set_mode(_: &Path) {}

/// The regions a CSV assigns: each row a municipality (name or five/six-digit code), a region
/// name and optionally a region id. A first row naming no municipality is a header. Every
/// municipality of the prefecture must be in exactly one region.
pub fn regions_from_csv(pref: &Prefecture, text: &str) -> Result<Vec<Region>, String> {
    let all = pref.municipalities();
    let find = |cell: &str| {
        all.iter().find(|m| {
            m.name == cell || m.code == cell || (cell.len() == 6 && cell.starts_with(m.code))
        })
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut regions: Vec<Region> = Vec::new();
    let mut placed: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        let record = record.map_err(|e| format!("{line}行目を読めません: {e}"))?;
        let cell = |c: usize| record.get(c).unwrap_or("").trim();
        if record.iter().all(str::is_empty) {
            continue;
        }
        let Some(m) = find(cell(0)) else {
            if line > 1 {
                let names = all.iter().map(|m| m.name);
                problems.push(format!(
                    "{line}行目: 市町村 `{}` は{}にありません{}",
                    cell(0),
                    pref.name,
                    did_you_mean(cell(0), names)
                ));
            }
            continue;
        };
        let (name, id) = (cell(1), cell(2));
        if name.is_empty() {
            problems.push(format!("{line}行目: {} の圏域名がありません", m.name));
            continue;
        }
        // The name goes into TOML comments and a Markdown table as it is.
        if name.chars().any(|c| c.is_control() || c == '|') {
            problems.push(format!(
                "{line}行目: 圏域名 `{}` に改行・制御文字・「|」は使えません",
                name.escape_debug()
            ));
            continue;
        }
        if !id.is_empty() && !is_slug(id) {
            problems.push(format!(
                "{line}行目: 圏域の id `{id}` は半角英小文字・数字・- で書いてください（URL に使われます）"
            ));
            continue;
        }
        if let Some((first, region)) = placed.get(m.code) {
            problems.push(format!(
                "{line}行目: {} は {first}行目で「{region}」に入れています。1つの圏域にだけ入れてください",
                m.name
            ));
            continue;
        }
        placed.insert(m.code, (line, name.to_owned()));
        match regions.iter_mut().find(|r| r.name == name) {
            Some(r) => {
                if !id.is_empty() && r.id != id {
                    problems.push(format!(
                        "{line}行目: 圏域「{name}」の id が `{}` と `{id}` の2つあります",
                        r.id
                    ));
                }
                r.municipalities.push(m);
            }
            None => {
                let id = if id.is_empty() {
                    format!("area-{}", regions.len() + 1)
                } else {
                    id.to_owned()
                };
                if let Some(other) = regions.iter().find(|r| r.id == id) {
                    problems.push(format!(
                        "{line}行目: id `{id}` は圏域「{}」でも使っています",
                        other.name
                    ));
                }
                regions.push(Region {
                    id,
                    name: name.to_owned(),
                    municipalities: vec![m],
                });
            }
        }
    }
    let missing: Vec<&str> = all
        .iter()
        .filter(|m| !placed.contains_key(m.code))
        .map(|m| m.name)
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "どの圏域にも入っていない市町村が {} あります: {}",
            missing.len(),
            missing.join("、")
        ));
    }
    if problems.is_empty() {
        for r in &mut regions {
            r.municipalities.sort_by_key(|m| m.code);
        }
        Ok(regions)
    } else {
        Err(problems.join("\n"))
    }
}

/// Every file of the starter site: path relative to the site root, and its text.
fn files(req: &Request<'_>, regions: &[Region]) -> Vec<(String, String)> {
    let pref = req.prefecture;
    let capital = &pref.municipalities()[0];
    let title = format!("{} 医療的ケア児 支援資源マップ", pref.name);
    let fill = |template: &str| {
        template
            .replace("{{TITLE}}", &title)
            .replace("{{PREFECTURE}}", pref.name)
            .replace("{{TSUNAGU_GIT}}", req.tsunagu_git)
            .replace("{{VERSION}}", &version_tag())
            .replace("{{REGION_NOTE}}", &region_note(pref, regions))
    };
    let first_region = regions
        .iter()
        .find(|r| r.municipalities.contains(&capital))
        .unwrap_or(&regions[0]);
    vec![
        ("content/site.toml".into(), site_toml(pref, &title)),
        ("content/regions.toml".into(), regions_toml(pref, regions)),
        ("content/demand.toml".into(), demand_toml(regions)),
        (
            format!(
                "content/entries/{}/example-houmon-kango.md",
                first_region.id
            ),
            example_entry(pref, capital, req.today),
        ),
        (
            "CONTRIBUTING.md".into(),
            contributing(pref, capital, regions),
        ),
        ("README.md".into(), fill(include_str!("README.md"))),
        (".tsunagu-version".into(), format!("{}\n", version_tag())),
        (".gitignore".into(), include_str!("gitignore").into()),
        (
            ".github/workflows/check.yml".into(),
            fill(include_str!("check.yml")),
        ),
        (
            ".github/workflows/pages.yml".into(),
            fill(include_str!("pages.yml")),
        ),
    ]
}

fn region_note(pref: &Prefecture, regions: &[Region]) -> String {
    match regions {
        [one] if one.name == pref.name => format!(
            "{}のすべての市町村（{}）が1つの地域「{}」に入っています。",
            pref.name,
            one.municipalities.len(),
            one.name
        ),
        _ => format!(
            "{} の圏域に分けてあります（{}）。",
            regions.len(),
            regions
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        ),
    }
}

fn site_toml(pref: &Prefecture, title: &str) -> String {
    format!(
        r#"# サイトの設定。項目の意味は tsunagu の README.md「content/site.toml」を参照してください。
title = {title}
# 公開先の URL（GitHub Pages なら https://<owner>.github.io/<repo>）。いまは仮の値です。
base_url = "https://example.org/"
language = "ja"
prefecture = {pref}
# 掲載データのライセンス（ページの下に表示します）。
license = "CC BY 4.0"
theme = "default"

[privacy]
# これ未満の人数は公開ページに出しません（「<3」と表示）。
min_count = 3

# 掲載内容についての問い合わせ先。書くと、各事業所のページに名前と電話番号を載せ、
# 「情報の誤りを知らせる」（メール）と入力フォームへのリンクを出します。
# [centre]
# name = "{short}医療的ケア児支援センター"
# phone = "000-000-0000"
# email = "soudan@example.jp"
# form_url = "https://example.jp/form"

# 事業所のページの地図の背景（タイル）。書かなければ OpenStreetMap の標準タイル
# （© OpenStreetMap contributors）です。タイルを使わず、ほかのサーバーに一切アクセスしない
# ときは tiles = "none"（市町村の位置と名前の上に事業所を示します）。
# [map]
# tiles = "none"

# プルリクエストで直せるようにするなら、このリポジトリの URL を書きます（各ページに「修正を提案」）。
# repository = "https://github.com/<owner>/<repo>"
# branch = "main"
"#,
        title = toml_str(title),
        pref = toml_str(pref.name),
        short = pref.name,
    )
}

fn regions_toml(pref: &Prefecture, regions: &[Region]) -> String {
    let mut out = format!(
        "# {}の地域（圏域）と市町村。id は URL に使われます（半角英小文字・数字・-）。\n\
         # 市町村コード・名前・読み: 総務省「全国地方公共団体コード」を加工して作成（政府標準利用規約（第2.0版））。\n\
         # 座標（lat, lon）を市町村ごとに書くと、近くを探す・距離の計算が正確になります（例: lat = 36.651, lon = 138.181）。\n",
        pref.name
    );
    for r in regions {
        let _ = write!(
            out,
            "\n[[regions]]\nid = {}\nname = {}\n",
            toml_str(&r.id),
            toml_str(&r.name)
        );
        for m in &r.municipalities {
            let _ = write!(
                out,
                "[[regions.municipalities]]\ncode = {}\nname = {}\nreading = {}\n",
                toml_str(m.code),
                toml_str(m.name),
                toml_str(m.reading)
            );
        }
    }
    out
}

fn demand_toml(regions: &[Region]) -> String {
    let mut out = String::from(
        "# 地域ごとの医療的ケア児の人数（不足状況のページに使います）。\n\
         # 行頭の「# 」を消して、数と出典を書きます。ケア項目ごとの人数（[demand.care]）は任意です。\n\
         # min_count（site.toml）未満の人数は公開ページに出ません。\n",
    );
    for r in regions {
        let _ = write!(
            out,
            "\n# [[demand]]\n# region = {}  # {}\n# as_of = 2026-04-01\n# source = \"（出典）\"\n# children = 0\n# [demand.care]\n# ventilator = 0\n# suction = 0\n",
            toml_str(&r.id),
            r.name
        );
    }
    out
}

fn example_entry(pref: &Prefecture, capital: &Municipality, today: Date) -> String {
    let cats = crate::config::builtin_categories();
    let category = cats
        .iter()
        .find(|c| c.id == "visiting-nurse")
        .expect("built-in category");
    let values = [
        ("name", toml_str("（記入例）つなぐ訪問看護ステーション")),
        ("kana", toml_str("つなぐほうもんかんごすてーしょん")),
        ("category", toml_str(&category.id)),
        ("services", "[\"訪問看護\"]".to_owned()),
        ("municipality", toml_str(capital.name)),
        (
            "address",
            toml_str(&format!(
                "{}{}（記入例。実在しません）",
                pref.name, capital.name
            )),
        ),
        ("email", toml_str("info@example.jp")),
        ("verified", today.to_string()),
        ("draft", "true".to_owned()),
    ];
    crate::scaffold::entry_text(&values, category)
}

/// tsunagu's CONTRIBUTING.md with the Mie sample's regions and examples replaced by this
/// prefecture's.
fn contributing(pref: &Prefecture, capital: &Municipality, regions: &[Region]) -> String {
    let text = include_str!("../../CONTRIBUTING.md");
    let mut table = String::from("| フォルダ | 地域 | 市町村 |\n|---|---|---|\n");
    for r in regions {
        let names: Vec<&str> = r.municipalities.iter().map(|m| m.name).collect();
        let _ = writeln!(
            table,
            "| `content/entries/{}/` | {} | {} |",
            r.id,
            r.name,
            names.join("、")
        );
    }
    let start = text
        .find("| フォルダ | 地域 | 市町村 |")
        .expect("CONTRIBUTING.md has the regions table");
    let end = start
        + text[start..]
            .find("\n\n")
            .expect("a blank line after the table")
        + 1;
    let first_region = &regions[0].id;
    format!("{}{}{}", &text[..start], table, &text[end..])
        .replace("三重県津市", &format!("{}{}", pref.name, capital.name))
        .replace("\"津市\"", &format!("\"{}\"", capital.name))
        .replace(" 津市 ", &format!(" {} ", capital.name))
        .replace("三重県看護協会", &format!("{}看護協会", pref.name))
        .replace(
            "content/entries/tsu/",
            &format!("content/entries/{first_region}/"),
        )
        .replace("tsu-hidamari", &format!("{}-hidamari", pref.romaji))
        .replace("nabari-kaede", &format!("{}-kaede", pref.romaji))
        .replace("kihoku-hanamaru", &format!("{}-hanamaru", pref.romaji))
}
