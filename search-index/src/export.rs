//! The static export the browser reader loads: a manifest, term shards, document shards and
//! coordinate chunks. The format is specified in `docs/search-index-format.md`.

use serde_json::json;

use crate::index::{EXACT_INDEX, ImpactScorer, SearchIndex, single_segment};
use crate::normalize::TOKENIZER_VERSION;

/// Version of the exported format.
pub const FORMAT_VERSION: u32 = 1;

/// Prefix of filter keys in the term shards; sorts before every token.
const FACET_PREFIX: char = '\u{1}';
/// Prefix of exact-name keys.
const EXACT_PREFIX: char = '=';

/// Sizes that trade requests against bytes (see the format document).
pub struct Layout {
    pub shard_bytes: usize,
    pub docs_per_shard: usize,
    pub geo_per_chunk: usize,
}

impl Layout {
    /// Shard size grows with the square root of the index, which keeps the manifest and the
    /// shards a query needs both small.
    pub fn for_docs(docs: u32) -> Layout {
        let shard_bytes = ((f64::from(docs) * 2048.0).sqrt() as usize).clamp(4096, 32 * 1024);
        Layout {
            shard_bytes,
            docs_per_shard: 32,
            geo_per_chunk: 1024,
        }
    }
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// One term's entry: key, doc set (deltas or bitmap, whichever is smaller), optional levels.
fn encode_term(out: &mut Vec<u8>, key: &str, docs: &[u32], levels: Option<(f32, &[u8])>) {
    varint(out, key.len() as u64);
    out.extend_from_slice(key.as_bytes());
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
    out.push(u8::from(kind_bitmap) | if levels.is_some() { 2 } else { 0 });
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
    if let Some((max, lv)) = levels {
        out.extend_from_slice(&max.to_le_bytes());
        out.extend_from_slice(lv);
    }
}

/// The exported files as (path below `search/`, bytes).
pub fn export(index: &SearchIndex) -> tantivy::Result<Vec<(String, Vec<u8>)>> {
    let (facts, texts) = index.doc_facts()?;
    let n = index.docs;
    let layout = Layout::for_docs(n);
    let f = &index.facets;

    // Documents must be ordered by municipality: filters by region and municipality are ranges.
    let mut ranges: Vec<[u32; 2]> = vec![[0, 0]; f.municipalities.len()];
    let mut last = 0u16;
    for (d, x) in facts.iter().enumerate() {
        if x.municipality < last {
            return Err(tantivy::TantivyError::InvalidArgument(
                "documents must be ordered by municipality".to_owned(),
            ));
        }
        last = x.municipality;
        let r = &mut ranges[usize::from(x.municipality)];
        if r[1] == 0 {
            r[0] = d as u32;
        }
        r[1] = d as u32 + 1;
    }

    // Terms: every token of every text field, then exact names, then filter keys.
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
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
        let name = if group == [EXACT_INDEX] {
            format!("{EXACT_PREFIX}{token}")
        } else {
            token
        };
        let docs: Vec<u32> = imp.postings.iter().map(|p| p.0).collect();
        let levels: Vec<u8> = imp.postings.iter().map(|p| p.1).collect();
        let mut bytes = Vec::new();
        encode_term(&mut bytes, &name, &docs, Some((imp.max, &levels)));
        entries.push((name, bytes));
        for i in group {
            live[i] = streams[i].advance();
        }
    }
    let mut facet = |key: String, pred: &dyn Fn(&crate::search::DocFacts) -> bool| {
        let docs: Vec<u32> = (0..n).filter(|&d| pred(&facts[d as usize])).collect();
        if !docs.is_empty() {
            let mut bytes = Vec::new();
            let key = format!("{FACET_PREFIX}{key}");
            encode_term(&mut bytes, &key, &docs, None);
            entries.push((key, bytes));
        }
    };
    for i in 0..f.categories.len() {
        facet(format!("c:{i}"), &|x| usize::from(x.category) == i);
    }
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
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut shard_table = Vec::new();
    let mut shard: Vec<u8> = Vec::new();
    let mut count = 0u64;
    let mut first = String::new();
    let mut flush =
        |shard: &mut Vec<u8>, count: &mut u64, first: &str, files: &mut Vec<(String, Vec<u8>)>| {
            if *count == 0 {
                return;
            }
            let mut bytes = b"TSGT".to_vec();
            bytes.push(FORMAT_VERSION as u8);
            varint(&mut bytes, *count);
            bytes.append(shard);
            let name = format!("t-{:08x}.bin", crc32fast::hash(&bytes));
            shard_table.push(json!([first, name, bytes.len()]));
            files.push((name, bytes));
            *count = 0;
        };
    for (key, bytes) in entries {
        if count == 0 {
            first = key.clone();
        }
        shard.extend_from_slice(&bytes);
        count += 1;
        if shard.len() >= layout.shard_bytes {
            flush(&mut shard, &mut count, &first, &mut files);
        }
    }
    flush(&mut shard, &mut count, &first, &mut files);

    // Document shards (display) and coordinate chunks, in one directory named by their content.
    let mut doc_files: Vec<(String, Vec<u8>)> = Vec::new();
    for (k, chunk) in (0..n as usize)
        .collect::<Vec<_>>()
        .chunks(layout.docs_per_shard)
        .enumerate()
    {
        let records: Vec<serde_json::Value> = chunk
            .iter()
            .map(|&d| {
                let x = &facts[d];
                let t = &texts[d];
                json!([
                    t.id,
                    t.name,
                    x.category,
                    x.municipality,
                    x.care_bits,
                    x.flag_bits,
                    x.age_min,
                    x.age_max,
                    u8::from(x.approx)
                ])
            })
            .collect();
        doc_files.push((
            format!("{k}.json"),
            serde_json::to_vec(&records).expect("JSON"),
        ));
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
        geo_boxes.push(bbox);
        doc_files.push((format!("g{k}.bin"), bytes));
    }
    let mut hasher = crc32fast::Hasher::new();
    for (name, bytes) in &doc_files {
        hasher.update(name.as_bytes());
        hasher.update(bytes);
    }
    let docs_dir = format!("d-{:08x}", hasher.finalize());
    files.extend(
        doc_files
            .into_iter()
            .map(|(name, bytes)| (format!("{docs_dir}/{name}"), bytes)),
    );

    let manifest = json!({
        "format": FORMAT_VERSION,
        "tokenizer": TOKENIZER_VERSION,
        "docs": n,
        "shards": shard_table,
        "docs_dir": docs_dir,
        "docs_per_shard": layout.docs_per_shard,
        "geo_per_chunk": layout.geo_per_chunk,
        "geo": geo_boxes,
        "municipality_ranges": ranges,
        "facets": f,
    });
    let mut m = serde_json::to_vec(&manifest).expect("JSON");
    m.push(b'\n');
    files.push(("manifest.json".to_owned(), m));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn dense_sets_become_bitmaps() {
        let docs: Vec<u32> = (100..400).collect();
        let mut out = Vec::new();
        encode_term(&mut out, "a", &docs, None);
        // key, count (2 bytes), kind 1 (bitmap), base 96 (1 byte), length (1 byte), bitmap.
        assert_eq!(out[0], 1);
        assert_eq!(out[4], 1, "bitmap kind");
        let mut sparse = Vec::new();
        encode_term(
            &mut sparse,
            "a",
            &[5, 5000, 90000],
            Some((1.5, &[1, 2, 255])),
        );
        assert_eq!(sparse[3], 2, "delta kind with levels");
        assert_eq!(
            &sparse[sparse.len() - 7..sparse.len() - 3],
            &1.5f32.to_le_bytes()
        );
    }
}
