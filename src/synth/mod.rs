//! Synthetic content for benchmarks and tests: a complete site root with any number of invented
//! listings in Mie's geography.
//!
//! Everything comes from a small SplitMix64 generator, one stream per entry, so the same
//! `(entries, seed)` always gives byte-identical files however the writing threads are scheduled.
//! Every file passes `tsunagu check` without errors or warnings as long as "today" is within 65
//! days after [`NEWEST_VERIFIED`] (benchmarks pin it with `SOURCE_DATE_EPOCH`).
//!
//! This module lays out the folders and writes the site-wide files; the word and name tables are
//! in `data`, one listing's file in `entry` and the random streams in `rng`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::date::Date;
use data::{CARE, MUNICIPALITIES, REGIONS};
use entry::{entry_file, pick_municipality};
use rng::Rng;

mod data;
mod entry;
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
         min_count = 3\n\
         \n\
         [centre]\n\
         name = \"三重県医療的ケア児支援センター（架空）\"\n\
         phone = \"059-000-0000\"\n\
         email = \"soudan@example.jp\"\n"
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
}
