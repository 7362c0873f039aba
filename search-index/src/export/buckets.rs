//! Term buckets `B.bin`: every term hashed by its bucket key into one of a number of buckets
//! sized for a query to load one per token, each with the display records of its terms' best
//! documents; and beside each bucket the rest files (`BrJ-K.bin`) of its long terms and the shown
//! files (`BsJ.bin`) of its terms.

use rayon::prelude::*;

use super::File;
use super::Options;
use super::bytes::{Deflater, sealed, varint};
use super::cells::Cells;
use super::entry::encode_term;
use super::records::listed;
use super::terms::Term;
use super::tiers::{CELL_TIER0, DISPLAY, DISPLAY_LONG, Plan, TIER0};

/// Sizes that trade requests against bytes (see the format document).
pub struct Layout {
    /// Number of term buckets.
    pub buckets: u32,
    pub docs_per_shard: usize,
    pub geo_per_chunk: usize,
}

/// Average bytes of a term bucket (before compression) the layout aims at: small enough that a
/// query loads little, large enough that a build writes few files.
const BUCKET_BYTES: usize = 8192;

impl Layout {
    /// Buckets average [`BUCKET_BYTES`]: a query fetches one per token, so they stay small.
    pub fn for_bytes(term_bytes: usize) -> Layout {
        Layout {
            buckets: (term_bytes / BUCKET_BYTES).clamp(1, 1 << 20) as u32,
            docs_per_shard: 32,
            geo_per_chunk: 1024,
        }
    }

    /// The layout for `terms`, by an estimate of their bytes in buckets: key, doc set (about a
    /// byte per posting, at most a bitmap), tier-0 levels, the cell bounds and the display
    /// records (about 50 bytes) of the best documents.
    pub(super) fn for_terms(terms: &[Term], cells: &Cells, options: &Options) -> Layout {
        let docs = cells.of.len();
        let estimate = terms
            .iter()
            .map(|t| {
                let n = t.docs.len();
                let long = n > options.inline_levels;
                let tier0 = if long {
                    TIER0 + cells.count * CELL_TIER0 / 4
                } else {
                    n
                };
                t.key.len()
                    + 8
                    + n.min(docs / 8)
                    + tier0.min(n) * 2
                    + if long { cells.count } else { 0 }
                    + n.min(if long { DISPLAY_LONG } else { DISPLAY }) * 50
            })
            .sum();
        Layout::for_bytes(estimate)
    }
}

/// FNV-1a (32 bits) of the UTF-8 bytes of a bucket key.
pub fn fnv1a(key: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Every bucket's files, in bucket order: buckets are encoded in parallel (a core that has
/// rendered its pages helps).
pub(super) fn files(
    terms: &[Term],
    layout: &Layout,
    records: &[Vec<u8>],
    cells: &Cells,
    options: &Options,
) -> Vec<File> {
    let mut buckets: Vec<Vec<&Term>> = vec![Vec::new(); layout.buckets as usize];
    for t in terms {
        buckets[(fnv1a(&t.bucket_key) % layout.buckets) as usize].push(t);
    }
    let files: Vec<Vec<File>> = buckets
        .par_iter()
        .enumerate()
        .map_init(Deflater::new, |deflater, (b, list)| {
            bucket_files(b, list, records, cells, options, deflater)
        })
        .collect();
    files.into_iter().flatten().collect()
}

/// A bucket's file, then the rest files of its long terms and the shown files of its terms.
fn bucket_files(
    b: usize,
    list: &[&Term],
    records: &[Vec<u8>],
    cells: &Cells,
    options: &Options,
    deflater: &mut Deflater,
) -> Vec<File> {
    let plans: Vec<Plan> = list.iter().map(|t| Plan::new(t, cells, options)).collect();
    let mut shown: Vec<u32> = list
        .iter()
        .zip(&plans)
        .flat_map(|(t, p)| t.best(p.display).into_iter().map(|i| t.docs[i]))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut body = Vec::new();
    varint(&mut body, list.len() as u64);
    listed(&mut body, &shown, records);
    // A long term's rest files (its other levels, per category); the shown file of a term with
    // more documents than the bucket shows (the display records of the first page of each cell
    // that the bucket does not show, if any).
    let mut rests = Vec::new();
    for (j, (t, plan)) in list.iter().zip(&plans).enumerate() {
        let mut levels = vec![Vec::new(); cells.categories];
        encode_term(&mut body, &mut levels, t, &plan.tier0, cells);
        for (c, levels) in levels.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            let file = sealed(b"TSGR", levels, deflater);
            rests.push((format!("{b}r{j}-{c}.bin"), file));
        }
        if t.docs.len() > plan.display {
            // In document order: cells are runs in order, and each page is sorted.
            let docs: Vec<u32> = plan
                .pages
                .iter()
                .flat_map(|p| p.page.iter().map(|&i| t.docs[i]))
                .filter(|d| shown.binary_search(d).is_err())
                .collect();
            if !docs.is_empty() {
                let mut page = Vec::new();
                listed(&mut page, &docs, records);
                rests.push((format!("{b}s{j}.bin"), sealed(b"TSGS", &page, deflater)));
            }
        }
    }
    let mut files = vec![(format!("{b}.bin"), sealed(b"TSGB", &body, deflater))];
    files.extend(rests);
    files
}

#[cfg(test)]
mod tests {
    use super::super::bytes::inflate;
    use super::*;

    #[test]
    fn fnv1a_of_utf8() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("津"), fnv1a("\u{6d25}"));
    }

    #[test]
    fn a_bucket_shows_fewer_documents_of_a_long_term() {
        // A term of 600 postings in 6 cells of 100 (3 categories), the last 3 cells' levels
        // low: inline, its bucket shows 256 documents and its shown file the pages of those
        // cells; below an inline limit of 256 it is long, its bucket shows 64, and it has a rest
        // file per category.
        let levels = (0..600).map(|i| if i < 300 { 200 + i % 50 } else { 1 + i % 50 } as u8);
        let t = Term::test((0..600).collect(), Some(levels.collect()));
        let records: Vec<Vec<u8>> = (0..600).map(|d| vec![d as u8]).collect();
        let cells = Cells::runs(600, 100, 3);
        let files = |inline_levels| {
            let options = Options { inline_levels };
            bucket_files(7, &[&t], &records, &cells, &options, &mut Deflater::new())
        };
        let shown_count = |files: &[File]| {
            // After magic, format and the term count (one byte): a varint of at most two bytes.
            let bucket = inflate(&files[0].1);
            let low = usize::from(bucket[6] & 0x7f);
            if bucket[6] & 0x80 == 0 {
                low
            } else {
                low | usize::from(bucket[7]) << 7
            }
        };
        let inline = files(8192);
        let names: Vec<&str> = inline.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["7.bin", "7s0.bin"]);
        assert_eq!(shown_count(&inline), DISPLAY);
        let long = files(256);
        let names: Vec<&str> = long.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["7.bin", "7r0-0.bin", "7r0-1.bin", "7r0-2.bin", "7s0.bin"]
        );
        assert_eq!(shown_count(&long), DISPLAY_LONG);
    }
}
