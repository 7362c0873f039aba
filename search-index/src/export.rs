//! The static export: the browser reader (minified, with the manifest built in), the manifest,
//! term buckets (with the rest and shown files of their long terms), display shards and
//! coordinate chunks. The format is specified in
//! `docs/search-index-format.md`.

use rayon::prelude::*;
use serde_json::json;

use crate::index::{EXACT_INDEX, ImpactScorer, SearchIndex, single_segment};
use crate::normalize::{TOKENIZER_VERSION, query_tokens};

/// Version of the exported format.
pub const FORMAT_VERSION: u32 = 5;

/// Prefix of filter keys in the term shards; sorts before every token.
const FACET_PREFIX: char = '\u{1}';
/// Prefix of exact-name keys.
const EXACT_PREFIX: char = '=';

/// The browser reader (`js/search.js`), written beside the index with the manifest built in.
const READER: &str = include_str!("../js/search.js");
/// The reader's line that the build replaces with the manifest.
const READER_MANIFEST_LINE: &str = "const BUILT_MANIFEST = null;";
/// Name of the reader in the export.
const READER_FILE: &str = "tsunagu-search.js";

/// Choices of the export that a site's owner never needs to make.
#[derive(Clone, Debug)]
pub struct Options {
    /// A term with at most this many postings keeps all its levels in its bucket, so that a query
    /// of such terms ranks exactly from its buckets; a longer one has rest files. Tests lower it
    /// to cover rest files on a small site.
    pub inline_levels: usize,
}

impl Default for Options {
    /// 8192 postings: at most 8 KiB of levels, about what a bucket holds; every term of a
    /// 10 000-entry site but the very commonest.
    fn default() -> Options {
        Options {
            inline_levels: 8192,
        }
    }
}

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
/// A long term (more postings than [`Options::inline_levels`]) keeps in its bucket only its best
/// postings (tier 0): this many ...
const TIER0: usize = 256;
/// ... and also the best ones of each cell (municipality × category) with any ties of the last, so
/// that a query filtered to cells finds its first page among them.
const CELL_TIER0: usize = 10;
/// Display records of a term's best documents kept in its bucket, for a term with all its levels
/// there: the first page of a conjunction of such terms, which ranks from their buckets, is
/// usually among the best documents of one of them, and then shows from them too.
const DISPLAY: usize = 256;
/// ... and for a long term (whose tier 0 is not all its postings): a query of one needs more
/// files anyway.
const DISPLAY_LONG: usize = 64;

impl Layout {
    /// Buckets average [`BUCKET_BYTES`]: a query fetches one per token, so they stay small.
    pub fn for_bytes(term_bytes: usize) -> Layout {
        Layout {
            buckets: (term_bytes / BUCKET_BYTES).clamp(1, 1 << 20) as u32,
            docs_per_shard: 32,
            geo_per_chunk: 1024,
        }
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

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn string(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A term before encoding: key, documents and, for tokens and exact names, (max, levels).
struct Term {
    key: String,
    bucket_key: String,
    docs: Vec<u32>,
    levels: Option<(f32, Vec<u8>)>,
}

impl Term {
    /// Positions (in `docs`) of the best postings: by level (descending), then document.
    fn best(&self, count: usize) -> Vec<usize> {
        let Some((_, lv)) = &self.levels else {
            return Vec::new();
        };
        let key = |&i: &usize| (std::cmp::Reverse(lv[i]), self.docs[i]);
        let mut order: Vec<usize> = (0..lv.len()).collect();
        if count < order.len() {
            order.select_nth_unstable_by_key(count, key);
            order.truncate(count);
        }
        order.sort_unstable_by_key(key);
        order
    }
}

/// The cells of the documents: cell `m × C + c` is municipality m's documents of category c, a
/// contiguous run (documents are ordered by municipality, then category).
struct Cells {
    /// Each document's cell.
    of: Vec<u32>,
    /// C, the number of categories.
    categories: usize,
    /// M × C.
    count: usize,
}

impl Cells {
    fn category(&self, doc: u32) -> usize {
        self.of[doc as usize] as usize % self.categories
    }
}

/// One cell's postings of a term: their positions in `docs`, the positions of the cell's first
/// page (its [`CELL_TIER0`] best, by level (descending), then document; sorted), and the level
/// of the last of them.
struct CellPage {
    run: std::ops::Range<usize>,
    page: Vec<usize>,
    least: u8,
}

/// The first page of every cell that has postings of `t`.
fn cell_pages(t: &Term, cells: &Cells) -> Vec<CellPage> {
    let Some((_, lv)) = &t.levels else {
        return Vec::new();
    };
    let key = |&i: &usize| (std::cmp::Reverse(lv[i]), t.docs[i]);
    let mut pages = Vec::new();
    let mut start = 0;
    while let Some(&first) = t.docs.get(start) {
        let cell = cells.of[first as usize];
        let end = start + t.docs[start..].partition_point(|&d| cells.of[d as usize] == cell);
        let mut page: Vec<usize> = (start..end).collect();
        let mut least = 0;
        if page.len() > CELL_TIER0 {
            least = lv[*page.select_nth_unstable_by_key(CELL_TIER0 - 1, key).1];
            page.truncate(CELL_TIER0);
            page.sort_unstable();
        }
        pages.push(CellPage {
            run: start..end,
            page,
            least,
        });
        start = end;
    }
    pages
}

/// Where the postings of a term go: positions (in `docs`) of tier 0, sorted; the others' levels
/// go to the rest files. A term of at most `inline` postings has them all in tier 0. Tier 0 of a
/// longer one is its best postings and every cell's first page with its ties: the others' bound
/// in a cell is then below every level of the cell's first page.
fn tier0(t: &Term, inline: usize, pages: &[CellPage]) -> Vec<usize> {
    let Some((_, lv)) = &t.levels else {
        return Vec::new();
    };
    if lv.len() <= inline {
        return (0..lv.len()).collect();
    }
    let mut keep = vec![false; lv.len()];
    for i in t.best(TIER0) {
        keep[i] = true;
    }
    for p in pages {
        for i in p.run.clone().filter(|&i| lv[i] >= p.least) {
            keep[i] = true;
        }
    }
    (0..lv.len()).filter(|&i| keep[i]).collect()
}

/// One term's entry in its bucket; levels beyond tier 0 (`tier0`, see [`tier0`]) go to `rest`,
/// one list per category (the term's rest files), the largest of them per cell to the bucket.
fn encode_term(out: &mut Vec<u8>, rest: &mut [Vec<u8>], t: &Term, tier0: &[usize], cells: &Cells) {
    string(out, &t.key);
    let docs = &t.docs;
    varint(out, docs.len() as u64);
    let mut deltas = Vec::new();
    let mut prev = 0u32;
    for (i, &d) in docs.iter().enumerate() {
        varint(&mut deltas, u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
    let base = docs.first().map_or(0, |d| d / 8 * 8);
    let span = docs.last().map_or(0, |d| d - base + 1);
    let bitmap_len = span.div_ceil(8) as usize;
    let kind_bitmap = bitmap_len + 4 < deltas.len();
    out.push(u8::from(kind_bitmap) | if t.levels.is_some() { 2 } else { 0 });
    if kind_bitmap {
        varint(out, u64::from(base));
        varint(out, bitmap_len as u64);
        let start = out.len();
        out.resize(start + bitmap_len, 0);
        for &d in docs {
            let bit = (d - base) as usize;
            out[start + bit / 8] |= 1 << (bit % 8);
        }
    } else {
        out.extend_from_slice(&deltas);
    }
    let Some((max, lv)) = &t.levels else {
        return;
    };
    out.extend_from_slice(&max.to_le_bytes());
    if tier0.len() == lv.len() {
        varint(out, lv.len() as u64);
        out.extend_from_slice(lv);
        return;
    }
    varint(out, tier0.len() as u64);
    let mut prev = 0;
    for (j, &i) in tier0.iter().enumerate() {
        varint(out, (if j == 0 { i } else { i - prev }) as u64);
        out.push(lv[i]);
        prev = i;
    }
    let mut in_tier0 = vec![false; lv.len()];
    for &i in tier0 {
        in_tier0[i] = true;
    }
    let mut bounds = vec![0u8; cells.count];
    for i in (0..lv.len()).filter(|&i| !in_tier0[i]) {
        let b = &mut bounds[cells.of[docs[i] as usize] as usize];
        *b = (*b).max(lv[i]);
        rest[cells.category(docs[i])].push(lv[i]);
    }
    out.extend_from_slice(&bounds);
}

/// Display records of `docs` (sorted, distinct), each after its document number (the first
/// absolute, then differences); `records[d]` is document d's, encoded once.
fn display_records(out: &mut Vec<u8>, docs: &[u32], records: &[Vec<u8>]) {
    varint(out, docs.len() as u64);
    let mut prev = 0;
    for (j, &d) in docs.iter().enumerate() {
        varint(out, u64::from(if j == 0 { d } else { d - prev }));
        out.extend_from_slice(&records[d as usize]);
        prev = d;
    }
}

/// A display record: what a result list shows of a document.
fn display_record(x: &crate::search::DocFacts, t: &crate::search::DocText) -> Vec<u8> {
    let mut out = Vec::with_capacity(t.id.len() + t.name.len() + 12);
    string(&mut out, &t.id);
    string(&mut out, &t.name);
    varint(&mut out, u64::from(x.category));
    varint(&mut out, u64::from(x.municipality));
    varint(&mut out, u64::from(x.care_bits));
    varint(&mut out, u64::from(x.flag_bits));
    let age = |a: i64| if a < 0 { 0 } else { (a + 1) as u64 };
    varint(&mut out, age(x.age_min));
    varint(&mut out, age(x.age_max));
    out.push(u8::from(x.approx));
    out
}

/// A file with its magic and format, then `body`, then the CRC-32 of everything before it;
/// stored deflated.
fn sealed(magic: &[u8; 4], body: &[u8], deflater: &mut Deflater) -> Vec<u8> {
    let mut bytes = magic.to_vec();
    bytes.push(FORMAT_VERSION as u8);
    bytes.extend_from_slice(body);
    let crc = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
    deflater.deflate(&bytes)
}

/// Raw deflate (RFC 1951), which browsers inflate natively (`DecompressionStream`): it halves what
/// a query downloads from a host that does not compress `.bin` files. libdeflate compresses whole
/// buffers: at its level 1 it is about as fast as zlib-rs's level 1 and its files are about 14 %
/// smaller (dynamic Huffman codes, where zlib-ng's quick level uses the fixed ones), within 3 % of
/// its level 6 even for rest files. One compressor serves every file on its thread.
struct Deflater(libdeflater::Compressor);

impl Deflater {
    fn new() -> Deflater {
        let level = libdeflater::CompressionLvl::new(1).expect("libdeflate has level 1");
        Deflater(libdeflater::Compressor::new(level))
    }

    fn deflate(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = vec![0; self.0.deflate_compress_bound(bytes.len())];
        let len = self
            .0
            .deflate_compress(bytes, &mut out)
            .expect("the bound always fits");
        out.truncate(len);
        out
    }
}

/// What becomes of one term in its bucket: its cell pages (if it needs them, for tier 0 or a shown
/// file), its tier 0 and how many of its best documents the bucket shows.
struct Plan {
    pages: Vec<CellPage>,
    tier0: Vec<usize>,
    display: usize,
}

impl Plan {
    fn new(t: &Term, cells: &Cells, options: &Options) -> Plan {
        let n = t.docs.len();
        let pages = if n > options.inline_levels.min(DISPLAY_LONG) {
            cell_pages(t, cells)
        } else {
            Vec::new()
        };
        let tier0 = tier0(t, options.inline_levels, &pages);
        let long = t.levels.is_some() && tier0.len() < n;
        Plan {
            pages,
            tier0,
            display: if long { DISPLAY_LONG } else { DISPLAY },
        }
    }
}

/// A bucket's file, then the rest files of its long terms and the shown files of its terms.
fn bucket_files(
    b: usize,
    list: &[&Term],
    records: &[Vec<u8>],
    cells: &Cells,
    options: &Options,
    deflater: &mut Deflater,
) -> Vec<(String, Vec<u8>)> {
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
    display_records(&mut body, &shown, records);
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
                display_records(&mut page, &docs, records);
                rests.push((format!("{b}s{j}.bin"), sealed(b"TSGS", &page, deflater)));
            }
        }
    }
    let mut files = vec![(format!("{b}.bin"), sealed(b"TSGB", &body, deflater))];
    files.extend(rests);
    files
}

/// The exported files as (path below `search/`, bytes).
pub fn export(index: &SearchIndex, options: &Options) -> tantivy::Result<Vec<(String, Vec<u8>)>> {
    let (facts, texts) = index.doc_facts()?;
    let n = index.docs;
    let f = &index.facets;
    let categories = f.categories.len();

    // Documents must be ordered by municipality, then category: filters by region, municipality
    // and category are ranges. Per municipality: where each category starts, then the end.
    let mut ranges: Vec<Vec<u32>> = Vec::new();
    let mut last = (0u16, 0u16);
    for (d, x) in facts.iter().enumerate() {
        if (x.municipality, x.category) < last || usize::from(x.category) >= categories {
            return Err(tantivy::TantivyError::InvalidArgument(
                "documents must be ordered by municipality, then category".to_owned(),
            ));
        }
        last = (x.municipality, x.category);
        let m = usize::from(x.municipality);
        while ranges.len() <= m {
            ranges.push(vec![d as u32; categories + 1]);
        }
        for start in &mut ranges[m][usize::from(x.category) + 1..] {
            *start = d as u32 + 1;
        }
    }
    while ranges.len() < f.municipalities.len() {
        ranges.push(vec![n; categories + 1]);
    }

    // Terms: every token of every text field, then exact names, then filter keys.
    let mut terms: Vec<Term> = Vec::new();
    let searcher = index.searcher();
    let segment = single_segment(&searcher)?;
    let scorer = ImpactScorer::new(index, &searcher, segment)?;
    let dicts: Vec<_> = scorer
        .fields
        .iter()
        .map(|(field, _)| segment.inverted_index(*field))
        .collect::<tantivy::Result<_>>()?;
    let mut streams: Vec<_> = dicts
        .iter()
        .map(|d| d.terms().stream())
        .collect::<std::io::Result<_>>()?;
    let mut live: Vec<bool> = streams.iter_mut().map(|s| s.advance()).collect();
    // Documents per token, for the home of exact names (which come after every token).
    let mut df: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    loop {
        // The smallest current key among the text-field streams, then the exact stream alone.
        let text_min = (0..EXACT_INDEX)
            .filter(|&i| live[i])
            .map(|i| streams[i].key().to_vec())
            .min();
        let (key, group): (Vec<u8>, Vec<usize>) = match text_min {
            Some(k) => {
                let g = (0..EXACT_INDEX)
                    .filter(|&i| live[i] && streams[i].key() == k.as_slice())
                    .collect();
                (k, g)
            }
            None if live[EXACT_INDEX] => (streams[EXACT_INDEX].key().to_vec(), vec![EXACT_INDEX]),
            None => break,
        };
        let infos: Vec<_> = group
            .iter()
            .map(|&i| (i, streams[i].value().clone()))
            .collect();
        let imp = scorer.impacts(&infos)?;
        let token = String::from_utf8_lossy(&key).into_owned();
        let (name, bucket_key) = if group == [EXACT_INDEX] {
            // An exact name lives with the rarest query token of its key (fetched anyway; the
            // first of the rarest), so that names sharing common words do not crowd one bucket.
            let home = query_tokens(&token, &index.words)
                .into_iter()
                .min_by_key(|t| df.get(t).copied().unwrap_or(0))
                .unwrap_or_default();
            (format!("{EXACT_PREFIX}{token}"), home)
        } else {
            (token.clone(), token)
        };
        if group != [EXACT_INDEX] {
            df.insert(name.clone(), imp.postings.len());
        }
        terms.push(Term {
            key: name,
            bucket_key,
            docs: imp.postings.iter().map(|p| p.0).collect(),
            levels: Some((imp.max, imp.postings.iter().map(|p| p.1).collect())),
        });
        for i in group {
            live[i] = streams[i].advance();
        }
    }
    let mut facet = |key: String, pred: &dyn Fn(&crate::search::DocFacts) -> bool| {
        let docs: Vec<u32> = (0..n).filter(|&d| pred(&facts[d as usize])).collect();
        if !docs.is_empty() {
            let key = format!("{FACET_PREFIX}{key}");
            terms.push(Term {
                bucket_key: key.clone(),
                key,
                docs,
                levels: None,
            });
        }
    };
    for i in 0..f.care_items.len() {
        facet(format!("k:{i}"), &|x| x.care_bits & (1 << i) != 0);
    }
    for i in 0..f.flags.len() {
        facet(format!("f:{i}"), &|x| x.flag_bits & (1 << i) != 0);
    }
    for age in 0..=120i64 {
        facet(format!("a:{age}"), &|x| {
            x.age_min >= 0 && x.age_min <= age && age <= x.age_max
        });
    }
    terms.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));

    // Buckets: every term hashed by its bucket key, with the display records of the best
    // documents of its terms.
    let cells = Cells {
        of: facts
            .iter()
            .map(|x| (usize::from(x.municipality) * categories + usize::from(x.category)) as u32)
            .collect(),
        categories,
        count: f.municipalities.len() * categories,
    };
    // The estimate: key, doc set (about a byte per posting, at most a bitmap), tier-0 levels, the
    // cell bounds and the display records (about 50 bytes) of the best documents.
    let estimate: usize = terms
        .iter()
        .map(|t| {
            let docs = t.docs.len().min(n as usize / 8);
            let long = t.docs.len() > options.inline_levels;
            let tier0 = if long {
                TIER0 + cells.count * CELL_TIER0 / 4
            } else {
                t.docs.len()
            };
            t.key.len()
                + 8
                + docs
                + tier0.min(t.docs.len()) * 2
                + if long { cells.count } else { 0 }
                + t.docs.len().min(if long { DISPLAY_LONG } else { DISPLAY }) * 50
        })
        .sum();
    let layout = Layout::for_bytes(estimate);
    let records: Vec<Vec<u8>> = facts
        .iter()
        .zip(&texts)
        .map(|(x, t)| display_record(x, t))
        .collect();
    let mut buckets: Vec<Vec<&Term>> = vec![Vec::new(); layout.buckets as usize];
    for t in &terms {
        buckets[(fnv1a(&t.bucket_key) % layout.buckets) as usize].push(t);
    }
    // Buckets in parallel (a core that has rendered its pages helps), in order.
    let bucket_files: Vec<Vec<(String, Vec<u8>)>> = buckets
        .par_iter()
        .enumerate()
        .map_init(Deflater::new, |deflater, (b, list)| {
            bucket_files(b, list, &records, &cells, options, deflater)
        })
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = bucket_files.into_iter().flatten().collect();
    let mut deflater = Deflater::new();

    // Display shards (for results no bucket shows) and coordinate chunks.
    for (k, start) in (0..n as usize).step_by(layout.docs_per_shard).enumerate() {
        let mut body = Vec::new();
        for record in &records[start..(start + layout.docs_per_shard).min(n as usize)] {
            body.extend_from_slice(record);
        }
        files.push((format!("d{k}.bin"), sealed(b"TSGD", &body, &mut deflater)));
    }
    let mut geo_boxes = Vec::new();
    for (k, chunk) in facts.chunks(layout.geo_per_chunk).enumerate() {
        let mut bytes = Vec::with_capacity(chunk.len() * 4);
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for x in chunk {
            bytes.extend_from_slice(&x.lat_q.to_le_bytes());
            bytes.extend_from_slice(&x.lon_q.to_le_bytes());
            let (lat, lon) = f.dequantize((x.lat_q, x.lon_q));
            bbox = [
                bbox[0].min(lat),
                bbox[1].min(lon),
                bbox[2].max(lat),
                bbox[3].max(lon),
            ];
        }
        geo_boxes.push(outward(bbox));
        files.push((format!("g{k}.bin"), bytes));
    }
    let mut hasher = crc32fast::Hasher::new();
    for (name, bytes) in &files {
        hasher.update(name.as_bytes());
        hasher.update(bytes);
    }
    let dir = format!("x-{:08x}", hasher.finalize());
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, bytes)| (format!("{dir}/{name}"), bytes))
        .collect();

    let manifest = json!({
        "format": FORMAT_VERSION,
        "tokenizer": TOKENIZER_VERSION,
        "docs": n,
        "dir": dir,
        "buckets": layout.buckets,
        "docs_per_shard": layout.docs_per_shard,
        "geo_per_chunk": layout.geo_per_chunk,
        "geo": geo_boxes,
        "ranges": ranges,
        "facets": f,
    });
    let m = serde_json::to_string(&manifest).expect("JSON");
    let reader = reader_with(&m);
    let reader = minify_module(&reader).unwrap_or(reader);
    files.push((READER_FILE.to_owned(), reader.into_bytes()));
    files.push(("manifest.json".to_owned(), format!("{m}\n").into_bytes()));
    Ok(files)
}

/// A `[south, west, north, east]` box grown to whole 1e-4 degrees (about 11 m) and one more step:
/// it still holds every point, and its numbers are short in the manifest, which every cold query
/// downloads (a 100k-entry site has about a hundred boxes).
fn outward([s, w, n, e]: [f64; 4]) -> [f64; 4] {
    let down = |x: f64| ((x * 1e4).floor() - 1.0) / 1e4;
    let up = |x: f64| ((x * 1e4).ceil() + 1.0) / 1e4;
    [down(s), down(w), up(n), up(e)]
}

/// The reader with `manifest` (JSON, which is JavaScript) built in: a cold query needs no request
/// for the manifest.
fn reader_with(manifest: &str) -> String {
    READER.replacen(
        READER_MANIFEST_LINE,
        &format!("const BUILT_MANIFEST = {manifest};"),
        1,
    )
}

/// An ES module minified by oxc (names mangled, safe compression only): every cold query
/// downloads the reader, and its comments and long names are most of it. `None` if it does not
/// parse.
fn minify_module(code: &str) -> Option<String> {
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, code, oxc_span::SourceType::mjs()).parse();
    if !parsed.errors.is_empty() || parsed.panicked {
        return None;
    }
    let mut program = parsed.program;
    let minified = oxc_minifier::Minifier::new(oxc_minifier::MinifierOptions {
        // A module's top level is its own: only its exports keep their names.
        mangle: Some(oxc_minifier::MangleOptions {
            top_level: true,
            ..oxc_minifier::MangleOptions::default()
        }),
        compress: Some(oxc_minifier::CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    let out = oxc_codegen::Codegen::new()
        .with_options(oxc_codegen::CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .with_private_member_mappings(minified.class_private_mappings)
        .build(&program);
    Some(out.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_has_one_line_for_the_manifest() {
        assert_eq!(READER.matches(READER_MANIFEST_LINE).count(), 1);
        let reader = reader_with(r#"{"format":2}"#);
        assert!(reader.contains("\nconst BUILT_MANIFEST = {\"format\":2};\n"));
        assert_eq!(
            reader.len(),
            READER.len() - "null".len() + r#"{"format":2}"#.len()
        );
    }

    #[test]
    fn the_reader_is_minified_with_its_manifest() {
        let source = reader_with(r#"{"format":4,"dir":"x-0000abcd"}"#);
        let min = minify_module(&source).expect("the reader parses");
        assert!(
            min.len() * 2 < source.len(),
            "{} of {} bytes",
            min.len(),
            source.len()
        );
        assert!(min.contains("x-0000abcd"), "the manifest is kept");
        for export in [
            "SearchClient",
            "queryTokens",
            "normalize",
            "TOKENIZER_VERSION",
        ] {
            assert!(min.contains(export), "export {export}");
        }
        assert!(!min.contains("// "), "no comments");
        assert_eq!(
            minify_module(&source),
            Some(min),
            "the same bytes every time"
        );
        assert_eq!(minify_module("export const = ;"), None);
    }

    #[test]
    fn boxes_grow_to_short_numbers_that_hold_every_point() {
        let b = [
            35.027005850308996,
            136.64920102082857,
            35.096999815365834,
            136.71889802700846,
        ];
        let o = outward(b);
        assert_eq!(o, [35.0269, 136.6491, 35.0971, 136.719]);
        assert!(o[0] <= b[0] && o[1] <= b[1] && o[2] >= b[2] && o[3] >= b[3]);
        // A coordinate on the grid still gets a margin, so rounding cannot cut it off.
        let g = outward([34.5, 136.5, 34.5, 136.5]);
        assert!(g[0] < 34.5 && g[1] < 136.5 && g[2] > 34.5 && g[3] > 136.5);
        assert_eq!(json!(o).to_string(), "[35.0269,136.6491,35.0971,136.719]");
    }

    #[test]
    fn varints() {
        let mut v = Vec::new();
        varint(&mut v, 0);
        varint(&mut v, 127);
        varint(&mut v, 128);
        varint(&mut v, 300);
        assert_eq!(v, [0, 127, 0x80, 1, 0xac, 2]);
    }

    #[test]
    fn fnv1a_of_utf8() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("津"), fnv1a("\u{6d25}"));
    }

    fn term(docs: Vec<u32>, levels: Option<Vec<u8>>) -> Term {
        Term {
            key: "a".into(),
            bucket_key: "a".into(),
            docs,
            levels: levels.map(|l| (1.5, l)),
        }
    }

    /// Cells of `per` consecutive documents; cell k is of category k mod `categories`.
    fn cells(docs: usize, per: usize, categories: usize) -> Cells {
        let of: Vec<u32> = (0..docs).map(|d| (d / per) as u32).collect();
        let count = of
            .last()
            .map_or(0, |&c| c as usize + 1)
            .div_ceil(categories)
            * categories;
        Cells {
            of,
            categories,
            count,
        }
    }

    /// Encodes a term whose documents all lie in one cell (of one) as a long term (256 inline
    /// postings at most); the rest file's levels go to `rest`.
    fn encode(out: &mut Vec<u8>, rest: &mut Vec<u8>, t: &Term) {
        let cells = cells(t.docs.last().map_or(0, |&d| d as usize + 1), usize::MAX, 1);
        let pages = cell_pages(t, &cells);
        let mut levels = vec![Vec::new()];
        encode_term(out, &mut levels, t, &tier0(t, TIER0, &pages), &cells);
        rest.append(&mut levels[0]);
    }

    #[test]
    fn dense_sets_become_bitmaps() {
        let (mut out, mut rest) = (Vec::new(), Vec::new());
        encode(&mut out, &mut rest, &term((100..400).collect(), None));
        // key, count (2 bytes), kind 1 (bitmap), base 96 (1 byte), length (1 byte), bitmap.
        assert_eq!(out[0], 1);
        assert_eq!(out[4], 1, "bitmap kind");
        let mut sparse = Vec::new();
        encode(
            &mut sparse,
            &mut rest,
            &term(vec![5, 5000, 90000], Some(vec![1, 2, 255])),
        );
        assert_eq!(sparse[3], 2, "delta kind with levels");
        assert_eq!(
            &sparse[sparse.len() - 4..],
            &[3, 1, 2, 255],
            "all levels inline"
        );
        assert!(rest.is_empty());
    }

    #[test]
    fn long_lists_keep_their_best_postings_inline() {
        let docs: Vec<u32> = (0..600).map(|d| d * 3).collect();
        let levels: Vec<u8> = (0..600).map(|i| (i % 50 + 1) as u8).collect();
        let t = term(docs, Some(levels.clone()));
        let best = t.best(TIER0);
        assert_eq!(best.len(), TIER0);
        assert!(
            best.iter().all(|&i| levels[i] >= 29),
            "the best levels first"
        );
        let (mut out, mut rest) = (vec![9], vec![7]);
        encode(&mut out, &mut rest, &t);
        assert_eq!(
            rest.len(),
            1 + 600 - TIER0,
            "the other levels go to the rest file"
        );
        assert_eq!(
            &out[out.len() - 2..],
            &[50, 29],
            "the last tier-0 level, then the bound 29 of the one cell"
        );
        // With room for them, all levels stay in the bucket.
        let c = cells(1800, usize::MAX, 1);
        assert_eq!(tier0(&t, 600, &cell_pages(&t, &c)).len(), 600);
    }

    #[test]
    fn a_rest_file_holds_its_category_of_every_municipality_in_document_order() {
        // 600 postings, 6 cells of 100 (2 municipalities × 3 categories): category 0 is cells 0
        // and 3, documents 0‥99 and 300‥399.
        let docs: Vec<u32> = (0..600).collect();
        let levels: Vec<u8> = (0..600).map(|i| (i * 7 % 200 + 1) as u8).collect();
        let cells = cells(600, 100, 3);
        assert_eq!((cells.count, cells.category(350)), (6, 0));
        let t = term(docs, Some(levels.clone()));
        let tier = tier0(&t, TIER0, &cell_pages(&t, &cells));
        let (mut out, mut rest) = (Vec::new(), vec![Vec::new(); 3]);
        encode_term(&mut out, &mut rest, &t, &tier, &cells);
        for (c, rest) in rest.iter().enumerate() {
            let want: Vec<u8> = (0..600)
                .filter(|&i| (i / 100) % 3 == c && tier.binary_search(&i).is_err())
                .map(|i| levels[i])
                .collect();
            assert!(!want.is_empty());
            assert_eq!(rest, &want, "category {c}");
        }
    }

    #[test]
    fn a_bucket_shows_fewer_documents_of_a_long_term() {
        // A term of 600 postings in 6 cells of 100 (3 categories), the last 3 cells' levels
        // low: inline, its bucket shows 256 documents and its shown file the pages of those
        // cells; below an inline limit of 256 it is long, its bucket shows 64, and it has a rest
        // file per category.
        let levels = (0..600).map(|i| if i < 300 { 200 + i % 50 } else { 1 + i % 50 } as u8);
        let t = term((0..600).collect(), Some(levels.collect()));
        let records: Vec<Vec<u8>> = (0..600).map(|d| vec![d as u8]).collect();
        let cells = cells(600, 100, 3);
        let files = |inline_levels| {
            let options = Options { inline_levels };
            bucket_files(7, &[&t], &records, &cells, &options, &mut Deflater::new())
        };
        let shown_count = |files: &[(String, Vec<u8>)]| {
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

    #[test]
    fn tier0_holds_the_best_of_every_cell() {
        // 600 postings in 3 cells of 200 documents; the third cell's levels are all low.
        let docs: Vec<u32> = (0..600).collect();
        let levels: Vec<u8> = (0..600)
            .map(|i| {
                if i < 400 {
                    100 + (i % 100) as u8
                } else {
                    1 + (i % 7) as u8
                }
            })
            .collect();
        let cells = cells(600, 200, 3);
        let t = term(docs, Some(levels.clone()));
        let pages = cell_pages(&t, &cells);
        assert_eq!(pages.len(), 3);
        assert!(pages.iter().all(|p| p.page.len() == CELL_TIER0));
        assert_eq!(
            (pages[0].least, pages[2].least),
            (195, 7),
            "the level of each cell's 10th"
        );
        let tier = tier0(&t, TIER0, &pages);
        assert!(tier.windows(2).all(|w| w[0] < w[1]), "sorted");
        // The third cell's best ten are level 7, as are 18 others of its 200: all 28 are kept.
        let weak: Vec<usize> = tier.iter().copied().filter(|&i| i >= 400).collect();
        assert_eq!(weak.len(), 28, "the third cell's best ten and their ties");
        assert!(weak.iter().all(|&i| levels[i] == 7));
        assert_eq!(tier.len(), TIER0 + 28);
        // Its bounds: cells 0 and 1 below their tier-0 levels, cell 2 below 7.
        let (mut out, mut rest) = (Vec::new(), vec![Vec::new(); 3]);
        encode_term(&mut out, &mut rest, &t, &tier, &cells);
        let bounds = &out[out.len() - 3..];
        assert_eq!(bounds[2], 6);
        assert!(bounds[0] < 200 && bounds[1] < 200);
        // Each category's rest file has its cell's other levels, in document order.
        let other = |range: std::ops::Range<usize>| -> Vec<u8> {
            range
                .filter(|i| tier.binary_search(i).is_err())
                .map(|i| levels[i])
                .collect()
        };
        assert_eq!(rest, [other(0..200), other(200..400), other(400..600)]);
        assert_eq!(rest[2].len(), 200 - 28);
    }

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(bytes), &mut out)
            .expect("raw deflate");
        out
    }

    #[test]
    fn sealed_files_are_deflated_and_end_with_their_checksum() {
        let mut deflater = Deflater::new();
        let body: Vec<u8> = (0..5000u32).map(|i| (i % 7) as u8).collect();
        let stored = sealed(b"TSGB", &body, &mut deflater);
        assert!(stored.len() < body.len() / 10, "{} bytes", stored.len());
        let f = inflate(&stored);
        assert_eq!(&f[..5], b"TSGB\x05");
        assert_eq!(&f[5..f.len() - 4], &body[..]);
        let crc = crc32fast::hash(&f[..f.len() - 4]);
        assert_eq!(&f[f.len() - 4..], &crc.to_le_bytes());
        // The compressor is reused: the next file is a whole stream of its own.
        assert_eq!(inflate(&sealed(b"TSGD", &[9], &mut deflater)), {
            let mut x = b"TSGD\x05\x09".to_vec();
            x.extend_from_slice(&crc32fast::hash(b"TSGD\x05\x09").to_le_bytes());
            x
        });
        // Incompressible input stays whole.
        let noise: Vec<u8> = (0..100_000u64)
            .map(|i| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as u8)
            .collect();
        assert_eq!(
            inflate(&sealed(b"TSGR", &noise, &mut deflater))[5..100_005],
            noise[..]
        );
    }
}
