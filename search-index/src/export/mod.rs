//! The static export: the browser reader (minified, with the manifest built in), the manifest,
//! term buckets (with the rest and shown files of their long terms), display shards and
//! coordinate chunks. The format is specified in `docs/search-index-format.md`.
//!
//! [`export`] runs the stages in order; each is a module of its own and returns data.

mod buckets;
mod bytes;
mod cells;
mod entry;
mod geo;
mod manifest;
mod reader;
mod records;
mod terms;
mod tiers;

pub use buckets::{Layout, fnv1a};

use crate::index::SearchIndex;

/// An exported file: its path (below `search/`, or below the index directory until
/// [`in_named_dir`]) and bytes.
type File = (String, Vec<u8>);

/// Version of the exported format.
pub const FORMAT_VERSION: u32 = 5;

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

/// The exported files.
pub fn export(index: &SearchIndex, options: &Options) -> tantivy::Result<Vec<File>> {
    let (facts, texts) = index.doc_facts()?;
    let f = &index.facets;
    let ranges = cells::ranges(&facts, f, index.docs)?;
    let cells = cells::Cells::new(&facts, f);
    let terms = terms::terms(index, &facts)?;
    let layout = Layout::for_terms(&terms, &cells, options);
    let records = records::records(&facts, &texts);
    let mut files = buckets::files(&terms, &layout, &records, &cells, options);
    files.extend(records::shards(&records, layout.docs_per_shard));
    let (chunks, geo) = geo::chunks(&facts, f, layout.geo_per_chunk);
    files.extend(chunks);
    let (dir, mut files) = in_named_dir(files);
    let manifest = manifest::Manifest {
        docs: index.docs,
        dir: &dir,
        layout: &layout,
        geo: &geo,
        ranges: &ranges,
        facets: f,
    }
    .json();
    files.push(reader::file(&manifest));
    files.push((
        manifest::MANIFEST_FILE.to_owned(),
        format!("{manifest}\n").into_bytes(),
    ));
    Ok(files)
}

/// `files` moved into the directory `x-XXXXXXXX`, named by a CRC-32 of their names and contents:
/// a redeploy that changes anything changes every URL, so they can be cached forever.
fn in_named_dir(files: Vec<File>) -> (String, Vec<File>) {
    let mut hasher = crc32fast::Hasher::new();
    for (name, bytes) in &files {
        hasher.update(name.as_bytes());
        hasher.update(bytes);
    }
    let dir = format!("x-{:08x}", hasher.finalize());
    let files = files
        .into_iter()
        .map(|(name, bytes)| (format!("{dir}/{name}"), bytes))
        .collect();
    (dir, files)
}
