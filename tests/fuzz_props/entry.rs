//! Arbitrary bytes as one entry file, through the path `tsunagu check` takes: decoding
//! (`load::decode_text`), front matter and TOML (`load::parse_source`), then validation against the
//! sample site's configuration in `content/` (`validate::entries`) and the site model.
//!
//! The first byte picks the file name (`.md`, `.toml`, `.MD`); the rest is the file.
//!
//! Checked: no panic; every problem names the file and points at a line and column that exist in
//! it; an accepted entry satisfies what the later stages rely on (known category, services,
//! municipality and care items, coordinates in Japan, ordered ages, http(s) links, a slug id).

use tsunagu::config::{in_japan, is_slug};
use tsunagu::diag::{Diagnostic, Diagnostics};
use tsunagu::{load, site, validate};

const NAMES: [&str; 3] = [
    "content/entries/fuzz.md",
    "content/entries/fuzz.toml",
    "content/entries/fuzz.MD",
];

/// The diagnostic names the file and a (line, column) inside `text`.
fn assert_positioned(d: &Diagnostic, shown: &str, text: &[u8]) {
    assert_eq!(d.path, shown, "{d}");
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    assert!(
        d.line >= 1 && d.line <= lines.len(),
        "line out of file: {d}"
    );
    let line = String::from_utf8_lossy(lines[d.line - 1]);
    let max_col = line.chars().count() + 1;
    assert!(d.col >= 1 && d.col <= max_col, "column out of line: {d}");
}

/// Panics when `data` breaks a property.
pub fn check(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let shown = NAMES[usize::from(pick) % NAMES.len()];
    let src = match load::decode_text(shown.to_owned(), bytes) {
        Ok(src) => src,
        Err(d) => {
            assert_positioned(
                &d,
                shown,
                bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
            );
            return;
        }
    };
    let text = src.text.clone();
    let raw = match load::parse_source(src) {
        Ok(raw) => raw,
        Err(ds) => {
            assert!(!ds.is_empty());
            ds.iter()
                .for_each(|d| assert_positioned(d, shown, text.as_bytes()));
            return;
        }
    };
    let config = super::sample_config();
    let mut diags = Diagnostics::default();
    let entries = validate::entries(vec![raw], config, super::TODAY, &mut diags);
    let has_errors = diags.has_errors();
    for d in diags.into_sorted() {
        assert_positioned(&d, shown, text.as_bytes());
    }
    assert!(entries.len() <= 1);
    assert_eq!(
        entries.is_empty(),
        has_errors,
        "an entry is rejected with an error"
    );
    for e in &entries {
        assert!(is_slug(&e.id));
        let category = config.category(&e.category).expect("known category");
        assert!(e.services.iter().all(|s| category.services.contains(s)));
        assert!(config.municipality(&e.municipality).is_some());
        assert!(e.care.iter().all(|c| config.care_item(c).is_some()));
        assert_eq!(e.lat.is_some(), e.lon.is_some());
        if let (Some(lat), Some(lon)) = (e.lat, e.lon) {
            assert!(in_japan(lat, lon));
        }
        if let Some(ages) = e.ages {
            assert!(ages.min <= ages.max && ages.max <= 120);
        }
        if let Some(url) = &e.url {
            assert!(url.starts_with("http://") || url.starts_with("https://"));
        }
        assert!(e.verified <= super::TODAY);
        assert!(!e.name.trim().is_empty() && !e.address.trim().is_empty());
    }
    let site = site::Site::new(config.clone(), entries, super::TODAY);
    for e in &site.entries {
        assert!(site.municipality_of(e).is_some());
    }
}
