//! Synthetic content for benchmarks and tests: a complete site root with any number of invented
//! listings in Mie's geography.
//!
//! Everything comes from a small SplitMix64 generator, one stream per entry, so the same
//! `(entries, seed)` always gives byte-identical files however the writing threads are scheduled.
//! Every file passes `tsunagu check` without errors or warnings as long as "today" is within 65
//! days after [`NEWEST_VERIFIED`] (benchmarks pin it with `SOURCE_DATE_EPOCH`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::date::Date;
use data::{
    CARE, FLAGS, Flag, KINDS, MUNICIPALITIES, PLACES, REGIONS, SOURCES, STEMS, Style, TOWNS,
    VILLAGES, opening_hours, remarks,
};
use rng::Rng;

mod data;
mod rng;

/// The newest `verified` date written; the others go back at most 299 days from it.
pub const NEWEST_VERIFIED: Date = Date {
    year: 2026,
    month: 11,
    day: 1,
};

/// Entry files per folder at most (`content/entries/<region>/<NNN>/`).
const FILES_PER_DIR: usize = 1000;

/// Writes a synthetic site (configuration and `entries` listings) under `dir`, which must not hold
/// a `content/` folder yet.
pub fn generate(dir: &Path, entries: usize, seed: u64) -> Result<(), String> {
    generate_with(dir, entries, seed, FILES_PER_DIR)
}

fn generate_with(dir: &Path, entries: usize, seed: u64, per_dir: usize) -> Result<(), String> {
    let content = dir.join("content");
    if content.exists() {
        return Err(format!(
            "{} はすでにあります。空のフォルダを指定してください",
            content.display()
        ));
    }

    // Where each entry goes: its municipality (the first draw of its stream) and its folder.
    let mut per_region = [0usize; REGIONS.len()];
    let plans: Vec<(usize, usize)> = (0..entries)
        .map(|i| {
            let muni = pick_municipality(&mut Rng::for_entry(seed, i));
            let region = MUNICIPALITIES[muni].region;
            let chunk = per_region[region] / per_dir;
            per_region[region] += 1;
            (muni, chunk)
        })
        .collect();

    let folder = |muni: usize, chunk: usize| -> PathBuf {
        content
            .join("entries")
            .join(REGIONS[MUNICIPALITIES[muni].region].0)
            .join(format!("{chunk:03}"))
    };
    let folders: BTreeSet<PathBuf> = plans.iter().map(|&(m, c)| folder(m, c)).collect();
    std::fs::create_dir_all(content.join("entries")).map_err(|e| io_error(&content, e))?;
    for f in &folders {
        std::fs::create_dir_all(f).map_err(|e| io_error(f, e))?;
    }

    write(&content.join("site.toml"), &site_toml(entries, seed))?;
    write(&content.join("regions.toml"), &regions_toml())?;
    write(
        &content.join("demand.toml"),
        &demand_toml(&per_region, seed),
    )?;

    plans
        .par_iter()
        .enumerate()
        .try_for_each(|(i, &(muni, chunk))| {
            let (id, text) = entry_file(seed, i);
            write(&folder(muni, chunk).join(format!("{id}.md")), &text)
        })
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, e: std::io::Error) -> String {
    format!("{} に書き込めません: {e}", path.display())
}

fn pick_municipality(rng: &mut Rng) -> usize {
    rng.weighted(MUNICIPALITIES.iter().map(|m| m.weight))
}

fn hiragana_to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A coordinate of the form `35.062` in ten-thousandths of a degree.
fn ten_thousandths(s: &str) -> i64 {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<4}");
    whole.parse::<i64>().unwrap_or(0) * 10_000 + frac[..4].parse::<i64>().unwrap_or(0)
}

fn degrees(v: i64) -> String {
    format!("{}.{:04}", v / 10_000, v % 10_000)
}

/// The id and text of entry `i`.
fn entry_file(seed: u64, i: usize) -> (String, String) {
    let mut rng = Rng::for_entry(seed, i);
    let muni = &MUNICIPALITIES[pick_municipality(&mut rng)];
    let kind = &KINDS[rng.weighted(KINDS.iter().map(|k| k.weight))];
    let cat_index = kind.category_index();

    let (stem, stem_kana, stem_romaji) = *rng.pick(STEMS);
    let (name, kana, romaji) = match kind.style {
        Style::Prefectural => (
            format!("三重県立{stem}{}", kind.text),
            format!("みえけんりつ{stem_kana}{}", kind.kana),
            stem_romaji,
        ),
        Style::Municipal => {
            let (place, place_kana, place_romaji) = *rng.pick(PLACES);
            (
                format!("{}立{place}{}", muni.name, kind.text),
                format!(
                    "{}{}りつ{place_kana}{}",
                    muni.kana,
                    muni.suffix_kana(),
                    kind.kana
                ),
                place_romaji,
            )
        }
        Style::Stem => match rng.below(10) {
            0..=5 => (
                format!("{stem}{}", kind.text),
                format!("{stem_kana}{}", kind.kana),
                stem_romaji,
            ),
            6..=7 => (
                format!("{}{stem}{}", muni.short(), kind.text),
                format!("{}{stem_kana}{}", muni.kana, kind.kana),
                stem_romaji,
            ),
            _ => (
                format!("{}{stem}", kind.text),
                format!("{}{stem_kana}", kind.kana),
                stem_romaji,
            ),
        },
    };
    let kana = if rng.chance(100) {
        hiragana_to_katakana(&kana)
    } else {
        kana
    };
    let id = format!("{}-{romaji}-{}-{i:06}", muni.romaji, kind.romaji);

    let mut services: Vec<&str> = kind.services.to_vec();
    for s in kind.optional {
        if rng.chance(500) {
            services.push(s);
        }
    }

    let address = if rng.chance(700) {
        format!(
            "三重県{}{}{}-{}-{}",
            muni.name,
            rng.pick(TOWNS),
            rng.range(1, 5),
            rng.range(1, 30),
            rng.range(1, 20)
        )
    } else {
        format!(
            "三重県{}{}{}",
            muni.name,
            rng.pick(VILLAGES),
            rng.range(1, 3200)
        )
    };
    let postal = format!("{}-{:04}", muni.zip, rng.range(0, 9999));
    let lat = ten_thousandths(muni.lat) + i64::from(rng.range(0, 700)) - 350;
    let lon = ten_thousandths(muni.lon) + i64::from(rng.range(0, 700)) - 350;
    let (exchange, line) = if muni.area.len() == 3 {
        ("000", rng.range(0, 9998))
    } else {
        (&"00"[..6 - muni.area.len()], rng.range(0, 9998))
    };
    let phone = format!("{}-{exchange}-{line:04}", muni.area);
    let fax = format!("{}-{exchange}-{:04}", muni.area, line + 1);

    let school = kind.category == "school";
    let scale = if school { 350 } else { 1000 };
    let mut care: Vec<usize> = (0..CARE.len())
        .filter(|&c| rng.chance(CARE[c].permille * scale / 1000))
        .collect();
    if care.is_empty() && !school {
        care.push(4); // suction
    }
    let care_as_labels = rng.chance(150);

    let operator = match (kind.category, kind.style) {
        (_, Style::Prefectural) => "三重県教育委員会".to_owned(),
        (_, Style::Municipal) => format!("{}教育委員会", muni.name),
        ("school", _) => match rng.below(3) {
            0 => muni.name.to_owned(),
            1 => format!("社会福祉法人{stem}会"),
            _ => format!("学校法人{stem}学園"),
        },
        ("visiting-nurse", _) => match rng.below(3) {
            0 => format!("株式会社{stem}"),
            1 => format!("医療法人社団{stem}会"),
            _ => format!("合同会社{stem}ケア"),
        },
        _ => match rng.below(4) {
            0 => format!("社会福祉法人{stem}会"),
            1 => format!("特定非営利活動法人{stem}"),
            2 => format!("一般社団法人{stem}"),
            _ => format!("医療法人{stem}会"),
        },
    };

    let ages = kind.ages.map(|(lo, hi)| {
        if rng.chance(300) && hi - lo > 3 {
            let lo2 = rng.range(lo, lo + 2);
            (lo2, hi)
        } else {
            (lo, hi)
        }
    });
    let capacity = kind.capacity.map(|(lo, hi)| rng.range(lo, hi));
    let mut flags: Vec<(&Flag, bool)> = Vec::new();
    for flag in &FLAGS {
        if rng.chance(750) {
            flags.push((flag, rng.chance(flag.odds[cat_index])));
        }
    }
    let hours = rng
        .chance(600)
        .then(|| *rng.pick(opening_hours(kind.category)));
    let verified = Date::from_days_since_epoch(
        NEWEST_VERIFIED.days_since_epoch() - i64::from(rng.range(0, 299)),
    );

    let mut t = String::with_capacity(2048);
    t.push_str("+++\n");
    let _ = writeln!(t, "name = \"{name}\"");
    let _ = writeln!(t, "kana = \"{kana}\"");
    let _ = writeln!(t, "category = \"{}\"", kind.category);
    let _ = writeln!(t, "services = [{}]", quoted(services.iter().copied()));
    if rng.chance(100) {
        let _ = writeln!(t, "municipality = \"{}\"", muni.code);
    } else {
        let _ = writeln!(t, "municipality = \"{}\"", muni.name);
    }
    let _ = writeln!(t, "address = \"{address}\"");
    if rng.chance(900) {
        let _ = writeln!(t, "postal_code = \"{postal}\"");
    }
    let _ = writeln!(t, "lat = {}", degrees(lat));
    let _ = writeln!(t, "lon = {}", degrees(lon));
    let _ = writeln!(t, "phone = \"{phone}\"");
    if rng.chance(500) {
        let _ = writeln!(t, "fax = \"{fax}\"");
    }
    if rng.chance(600) {
        let _ = writeln!(t, "email = \"info@{id}.example.org\"");
    }
    if rng.chance(500) {
        let _ = writeln!(t, "url = \"https://{id}.example.org/\"");
    }
    let _ = writeln!(t, "operator = \"{operator}\"");
    if !care.is_empty() {
        let items = care.iter().map(|&c| {
            if care_as_labels {
                CARE[c].label
            } else {
                CARE[c].id
            }
        });
        let _ = writeln!(t, "care = [{}]", quoted(items));
    }
    if let Some((min, max)) = ages {
        let _ = writeln!(t, "ages = {{ min = {min}, max = {max} }}");
    }
    if let Some(c) = capacity {
        let _ = writeln!(t, "capacity = {c}");
    }
    for (flag, value) in &flags {
        let _ = writeln!(t, "{} = {value}", flag.id);
    }
    if let Some(h) = hours {
        let _ = writeln!(t, "hours = \"{h}\"");
    }
    let _ = writeln!(t, "verified = {verified}");
    let _ = writeln!(t, "source = \"{}\"", rng.pick(SOURCES));
    t.push_str("+++\n");

    // The description: an opening sentence, then 2–7 more from what the listing says.
    let mut pool: Vec<String> = Vec::new();
    if let Some((min, max)) = ages {
        pool.push(format!("対象は{min}歳から{max}歳までの方です。"));
    }
    for (flag, value) in &flags {
        pool.push(if *value { flag.yes } else { flag.no }.to_owned());
    }
    if let Some(h) = hours {
        pool.push(format!("利用できる時間は{h}です。"));
    }
    pool.extend(remarks(kind.category).iter().map(|s| (*s).to_owned()));
    let more = rng.range(2, 7) as usize - usize::from(!care.is_empty());
    let mut chosen = Vec::new();
    while chosen.len() < more && !pool.is_empty() {
        chosen.push(pool.swap_remove(rng.below(pool.len())));
    }

    // Sentences of a paragraph run on without breaks, as Japanese text does.
    let _ = write!(t, "{name}は、{}にある{}です。", muni.name, kind.what);
    let labels: Vec<&str> = care.iter().map(|&c| CARE[c].label).collect();
    if !labels.is_empty() {
        match rng.below(4) {
            0 => {
                t.push_str("対応できる医療的ケアは次のとおりです。\n\n");
                for l in &labels {
                    let _ = writeln!(t, "- {l}");
                }
            }
            1 => {
                let _ = writeln!(t, "**{}**に対応しています。", labels.join("・"));
            }
            _ => {
                let _ = writeln!(
                    t,
                    "対応できる医療的ケアは{}です（内容によっては事前の調整が必要です）。",
                    labels.join("・")
                );
            }
        }
    } else {
        t.push('\n');
    }
    // The other sentences in one or two paragraphs, the last one sometimes under a heading.
    let heading = rng.chance(150);
    let split = rng.below(chosen.len() + 1);
    let (first, second) = chosen.split_at(split);
    for (n, group) in [first, second].iter().filter(|g| !g.is_empty()).enumerate() {
        t.push('\n');
        if heading && (n == 1 || second.is_empty() || first.is_empty()) {
            t.push_str("## ご利用について\n\n");
        }
        t.push_str(&group.concat());
        t.push('\n');
    }
    (id, t)
}

/// `"a", "b"`: TOML strings (the word lists hold no quotes or backslashes).
fn quoted<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn site_toml(entries: usize, seed: u64) -> String {
    format!(
        "# 合成サイト: `tsunagu synth --entries {entries} --seed {seed}` が作った架空のデータです（ベンチマーク・テスト用）。\n\
         title = \"三重県 医療的ケア児 支援資源マップ（合成データ {entries} 件）\"\n\
         base_url = \"https://example.org\"\n\
         language = \"ja\"\n\
         prefecture = \"三重県\"\n\
         repository = \"https://github.com/example/tsunagu\"\n\
         branch = \"main\"\n\
         license = \"CC BY 4.0\"\n\
         theme = \"default\"\n\
         sample = true\n\
         \n\
         [privacy]\n\
         min_count = 3\n"
    )
}

fn regions_toml() -> String {
    let mut t =
        String::from("# 合成サイト: 三重県の8つの地域医療構想区域と29市町（座標は概略値）\n");
    for (r, (id, name)) in REGIONS.iter().enumerate() {
        let _ = write!(t, "\n[[regions]]\nid = \"{id}\"\nname = \"{name}\"\n");
        for m in MUNICIPALITIES.iter().filter(|m| m.region == r) {
            let _ = write!(
                t,
                "[[regions.municipalities]]\ncode = \"{}\"\nname = \"{}\"\nlat = {}\nlon = {}\n",
                m.code, m.name, m.lat, m.lon
            );
        }
    }
    t
}

/// Children needing care per region: about 1.7 per listing (Mie reported 309 children with a
/// directory of about 180 listings), care items as typical shares of them.
fn demand_toml(per_region: &[usize; REGIONS.len()], seed: u64) -> String {
    const SHARES: [u32; 14] = [
        200, 260, 20, 230, 560, 150, 500, 30, 50, 70, 10, 70, 90, 190,
    ];
    let mut rng = Rng::for_demand(seed);
    let mut t = String::from(
        "# 合成サイト: 地域別の医療的ケア児数（掲載件数に合わせた架空の数値です。実在の統計ではありません）\n",
    );
    for ((id, _), &count) in REGIONS.iter().zip(per_region) {
        let children = (count * 7 / 4 + rng.range(0, 4) as usize) as u64;
        let _ = write!(
            t,
            "\n[[demand]]\nregion = \"{id}\"\nas_of = 2026-04-01\nsource = \"合成データ（架空の数値）\"\nchildren = {children}\n[demand.care]\n"
        );
        for (care, share) in CARE.iter().zip(SHARES) {
            let jitter = u64::from(rng.range(900, 1100));
            let n = children * u64::from(share) * jitter / 1_000_000;
            if n > 0 {
                let _ = writeln!(t, "{} = {n}", care.id);
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::data::CATEGORIES;
    use super::*;

    fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn same_seed_same_bytes() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        generate(a.path(), 300, 7).unwrap();
        generate(b.path(), 300, 7).unwrap();
        generate(c.path(), 300, 8).unwrap();
        let (fa, fb, fc) = (files(a.path()), files(b.path()), files(c.path()));
        assert_eq!(fa.len(), 303);
        assert!(fa == fb, "same entries and seed must give the same files");
        assert!(fa != fc, "another seed must give other files");
    }

    #[test]
    fn counts_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        generate_with(dir.path(), 700, 1, 40).unwrap();
        let entries = dir.path().join("content/entries");
        let mut total = 0;
        for region in std::fs::read_dir(&entries).unwrap() {
            for folder in std::fs::read_dir(region.unwrap().path()).unwrap() {
                let n = std::fs::read_dir(folder.unwrap().path()).unwrap().count();
                assert!((1..=40).contains(&n), "{n} files in one folder");
                total += n;
            }
        }
        assert_eq!(total, 700);
        assert!(generate(dir.path(), 1, 1).is_err(), "refuses to overwrite");
    }

    #[test]
    fn passes_check_without_warnings() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), 1500, 42).unwrap();
        for today in [NEWEST_VERIFIED, Date::new(2027, 1, 4).unwrap()] {
            let mut diags = crate::diag::Diagnostics::default();
            let site = crate::pipeline::check(dir.path(), today, &mut diags);
            let items = format!("{:?}", diags.into_sorted().first());
            assert_eq!(items, "None", "no diagnostics at {today}");
            let site = site.expect("valid site");
            assert_eq!(site.entries.len(), 1500);
            for c in CATEGORIES {
                assert!(site.in_category(c).len() > 10, "{c}");
            }
            for care in CARE {
                assert!(
                    site.entries
                        .iter()
                        .any(|e| e.care.iter().any(|c| c == care.id))
                );
            }
            for m in site.config.municipalities() {
                assert!(!site.in_municipality(&m.code).is_empty(), "{}", m.name);
            }
            assert!(
                site.entries
                    .iter()
                    .all(|e| e.kana.is_some() && e.lat.is_some())
            );
            assert_eq!(site.config.demand.len(), REGIONS.len());
        }
    }

    #[test]
    fn regions_match_the_sample() {
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/regions.toml");
        if let Ok(text) = std::fs::read_to_string(sample) {
            let theirs: toml::Table = toml::from_str(&text).unwrap();
            let ours: toml::Table = toml::from_str(&regions_toml()).unwrap();
            assert_eq!(theirs, ours, "regions differ from content/regions.toml");
        }
    }

    #[test]
    fn coordinates_and_katakana() {
        assert_eq!(degrees(ten_thousandths("35.02") + 5), "35.0205");
        assert_eq!(hiragana_to_katakana("ひまわりー"), "ヒマワリー");
    }

    #[test]
    fn dates_and_descriptions() {
        for i in 0..2000 {
            let (_, text) = entry_file(9, i);
            let line = text.lines().find(|l| l.starts_with("verified = ")).unwrap();
            let d = &line["verified = ".len()..];
            let (y, rest) = d.split_once('-').unwrap();
            let (m, day) = rest.split_once('-').unwrap();
            let date =
                Date::new(y.parse().unwrap(), m.parse().unwrap(), day.parse().unwrap()).unwrap();
            assert!(date <= NEWEST_VERIFIED);
            assert!(date.days_until(NEWEST_VERIFIED) < 300);
            let body = text.splitn(3, "+++\n").nth(2).unwrap();
            let sentences = body.matches('。').count();
            assert!(
                (3..=8).contains(&sentences),
                "{sentences} sentences:\n{body}"
            );
        }
    }
}
