//! The properties the fuzz targets in `fuzz/` check, shared with `tests/fuzz_regressions.rs` so
//! every crash the fuzzer found is replayed by `cargo test` through exactly the same checks.
//! Each function panics when its input breaks a property. See `docs/fuzzing.md`.

pub mod entry;
pub mod import_csv;
pub mod normalize;

use std::path::Path;
use std::sync::OnceLock;

use tsunagu::config::Config;
use tsunagu::date::Date;
use tsunagu::diag::Diagnostics;

/// The day the checks treat as today (entries verified later are errors).
pub const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 21,
};

/// The sample site's configuration (`content/`), loaded once.
pub fn sample_config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = if root.join("content").is_dir() {
            root.to_path_buf()
        } else {
            root.join("..") // built as part of fuzz/
        };
        let mut diags = Diagnostics::default();
        let config = tsunagu::load::config::load(&root, &mut diags).expect("content/ config loads");
        assert!(!diags.has_errors(), "{:?}", diags.into_sorted());
        config
    })
}
