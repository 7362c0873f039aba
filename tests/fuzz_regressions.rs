//! Replays fuzz inputs under `cargo test` through the same property checks as the fuzz targets in
//! `fuzz/` (`tests/fuzz_props/`): every crash the fuzzers found (saved in
//! `tests/fixtures/fuzz/<target>/`, the raw input file as libFuzzer wrote it), and the seed inputs
//! the fuzzers start from. See `docs/fuzzing.md`.

mod common;
mod fuzz_props;

use std::fs;
use std::path::{Path, PathBuf};

use common::fixtures;

/// Files directly in `dir`, sorted (none when it does not exist).
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs `check` on every file of `tests/fixtures/fuzz/<target>/`, naming the file that fails.
fn replay(target: &str, check: impl Fn(&[u8])) {
    for path in files_in(&fixtures().join("fuzz").join(target)) {
        // Shown with the panic message when the check fails.
        eprintln!("replaying {}", path.display());
        check(&fs::read(&path).unwrap());
    }
}

fn with_selector(selector: u8, file: &Path) -> Vec<u8> {
    let mut data = vec![selector];
    data.extend(fs::read(file).unwrap());
    data
}

#[test]
fn entry_crashes_stay_fixed() {
    replay("entry", fuzz_props::entry::check);
}

#[test]
fn normalize_crashes_stay_fixed() {
    replay("normalize", |bytes| {
        // The target takes `&str`: libFuzzer only runs it on valid UTF-8.
        if let Ok(text) = std::str::from_utf8(bytes) {
            fuzz_props::normalize::check(text);
        }
    });
}

#[test]
fn import_csv_crashes_stay_fixed() {
    replay("import_csv", fuzz_props::import_csv::check);
}

#[test]
fn entry_seeds_keep_the_properties() {
    let dirs = ["valid", "bad"].map(|d| fixtures().join(d));
    for file in dirs.iter().flat_map(|d| files_in(d)) {
        let selector = match file.extension().and_then(|e| e.to_str()) {
            Some("md") => 0,
            Some("toml") => 1,
            _ => continue,
        };
        fuzz_props::entry::check(&with_selector(selector, &file));
    }
}

#[test]
fn normalize_seeds_keep_the_properties() {
    let vectors = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("search-index/tests/vectors.json"),
    )
    .unwrap();
    let vectors: Vec<serde_json::Value> = serde_json::from_str(&vectors).unwrap();
    for v in &vectors {
        fuzz_props::normalize::check(v["input"].as_str().unwrap());
    }
}

#[test]
fn import_csv_seeds_keep_the_properties() {
    for file in files_in(&fixtures().join("import")) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        // Layout + 3 × category, as in fuzz/seed.
        let selector = match name.split('-').next() {
            Some("kaigo") => 2 * 3,
            Some("wamnet") => 1,
            Some("opendata") => 2 + 2 * 3,
            _ => continue,
        };
        fuzz_props::import_csv::check(&with_selector(selector, &file));
    }
}
