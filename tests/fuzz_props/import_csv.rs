//! Arbitrary bytes as an open-data CSV file through `tsunagu import` (`import::import`), in a
//! fresh temporary site that has the sample configuration from `content/`.
//!
//! The first byte picks the layout (kaigo, wamnet, opendata) and the category; the rest is the
//! file, in any encoding (UTF-8, UTF-8 with a BOM, Shift_JIS: `import::decode` decides).
//!
//! Checked: no panic; nothing is written outside the output folder and the CSV is left alone;
//! every new file is `<id>.toml` with a valid id and passes `tsunagu check` without errors;
//! importing the same file again with `--update` changes nothing.

use std::path::{Path, PathBuf};

use tsunagu::config::is_slug;
use tsunagu::diag::Diagnostics;
use tsunagu::import::{self, Layout, Options};
use tsunagu::{load, validate};

const LAYOUTS: [Layout; 3] = [Layout::Kaigo, Layout::Wamnet, Layout::Opendata];

/// Every file under `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir(dir);
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Panics when `data` breaks a property.
pub fn check(data: &[u8]) {
    let Some((&pick, csv)) = data.split_first() else {
        return;
    };
    let config = super::sample_config();
    let layout = LAYOUTS[usize::from(pick) % LAYOUTS.len()];
    let category = &config.categories[usize::from(pick / 3) % config.categories.len()].id;

    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let into = root.join("content/entries/imported");
    std::fs::create_dir_all(root.join("content/entries")).unwrap();
    let csv_path = tmp.path().join("in.csv");
    std::fs::write(&csv_path, csv).unwrap();

    let mut opts = Options {
        layout,
        category,
        csv: &csv_path,
        into: &into,
        update: false,
        today: super::TODAY,
    };
    let Ok(report) = import::import(&root, config, &opts) else {
        assert!(files(&root).is_empty(), "a failed import wrote files");
        return;
    };
    assert_eq!(
        std::fs::read(&csv_path).unwrap(),
        csv,
        "the CSV was changed"
    );
    let written = files(&root);
    assert!(
        written.iter().all(|p| p.parent() == Some(into.as_path())),
        "written outside {}: {written:?}",
        into.display()
    );
    assert!(report.updated.is_empty() && report.unchanged.is_empty());
    assert_eq!(written.len(), report.new.len());

    let mut raws = Vec::new();
    for id in &report.new {
        assert!(is_slug(id), "invalid id {id:?}");
        let path = into.join(format!("{id}.toml"));
        let raw = load::parse_entry(&root, &path).unwrap_or_else(|ds| {
            panic!(
                "{id}: {:?}",
                ds.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            )
        });
        raws.push(raw);
    }
    let mut diags = Diagnostics::default();
    let entries = validate::entries(raws, config, super::TODAY, &mut diags);
    let errors: Vec<String> = diags
        .into_sorted()
        .iter()
        .filter(|d| d.severity == tsunagu::diag::Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "imported files fail check: {errors:#?}");
    assert_eq!(entries.len(), report.new.len());

    // The same file again, refreshing: nothing new, nothing changed.
    let contents: Vec<Vec<u8>> = written.iter().map(|p| std::fs::read(p).unwrap()).collect();
    opts.update = true;
    let again = import::import(&root, config, &opts).expect("second import");
    assert!(
        again.new.is_empty() && again.updated.is_empty(),
        "{again:?}"
    );
    assert_eq!(files(&root), written);
    for (p, before) in written.iter().zip(contents) {
        assert_eq!(std::fs::read(p).unwrap(), before, "{} changed", p.display());
    }
}
