//! The manifest: what a reader must know before it loads any index file. The build writes it as
//! `manifest.json` and into the reader.

use serde_json::json;

use super::FORMAT_VERSION;
use super::buckets::Layout;
use super::records;
use super::terms::{AGE_KEY, AGE_UNKNOWN, CARE_KEY, EXACT_KEY, FLAG_KEY, MAX_AGE, SERVICE_KEY};
use super::tiers::{CELL_TIER0, DISPLAY, DISPLAY_LONG};
use crate::Facets;
use crate::normalize::TOKENIZER_VERSION;

/// Name of the manifest's file in the export.
pub(super) const MANIFEST_FILE: &str = "manifest.json";

/// What the manifest describes of this export; it adds the constants of the files that a reader
/// needs (what a bucket shows, key prefixes, the display record's fields), each defined once in
/// the module that writes them.
pub(super) struct Manifest<'a> {
    pub docs: u32,
    /// The directory of every other index file.
    pub dir: &'a str,
    pub layout: &'a Layout,
    /// Per coordinate chunk, a box that holds its points.
    pub geo: &'a [[f64; 4]],
    pub ranges: &'a [Vec<u32>],
    pub facets: &'a Facets,
}

impl Manifest<'_> {
    /// The manifest as JSON (one line).
    pub(super) fn json(&self) -> String {
        let manifest = json!({
            "format": FORMAT_VERSION,
            "tokenizer": TOKENIZER_VERSION,
            "docs": self.docs,
            "dir": self.dir,
            "buckets": self.layout.buckets,
            "docs_per_shard": self.layout.docs_per_shard,
            "geo_per_chunk": self.layout.geo_per_chunk,
            "display": DISPLAY,
            "display_long": DISPLAY_LONG,
            "cell_page": CELL_TIER0,
            "max_age": MAX_AGE,
            "keys": {
                "exact": EXACT_KEY, "care": CARE_KEY, "service": SERVICE_KEY, "flag": FLAG_KEY,
                "age": AGE_KEY, "age_unknown": AGE_UNKNOWN,
            },
            "record": records::layout(),
            "geo": self.geo,
            "ranges": self.ranges,
            "facets": self.facets,
        });
        serde_json::to_string(&manifest).expect("JSON")
    }
}
