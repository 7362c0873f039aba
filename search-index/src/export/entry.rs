//! A term's entry in its bucket: key, doc set (deltas or a bitmap, whichever is smaller) and
//! tier-0 levels; a long term's other levels go to its rest files, their largest per cell to
//! the entry.

use super::bytes::{string, varint};
use super::cells::Cells;
use super::terms::Term;

/// Writes `t`'s entry to `out`; levels beyond `tier0` (see [`super::tiers::tier0`]) go to
/// `rest`, one list per category (the term's rest files), the largest of them per cell to the
/// entry.
pub(super) fn encode_term(
    out: &mut Vec<u8>,
    rest: &mut [Vec<u8>],
    t: &Term,
    tier0: &[usize],
    cells: &Cells,
) {
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

#[cfg(test)]
mod tests {
    use super::super::tiers::{TIER0, cell_pages, tier0};
    use super::*;

    /// Encodes a term whose documents all lie in one cell (of one) as a long term (256 inline
    /// postings at most); the rest file's levels go to `rest`.
    fn encode(out: &mut Vec<u8>, rest: &mut Vec<u8>, t: &Term) {
        let cells = Cells::runs(t.docs.last().map_or(0, |&d| d as usize + 1), usize::MAX, 1);
        let pages = cell_pages(t, &cells);
        let mut levels = vec![Vec::new()];
        encode_term(out, &mut levels, t, &tier0(t, TIER0, &pages), &cells);
        rest.append(&mut levels[0]);
    }

    #[test]
    fn dense_sets_become_bitmaps() {
        let (mut out, mut rest) = (Vec::new(), Vec::new());
        encode(&mut out, &mut rest, &Term::test((100..400).collect(), None));
        // key, count (2 bytes), kind 1 (bitmap), base 96 (1 byte), length (1 byte), bitmap.
        assert_eq!(out[0], 1);
        assert_eq!(out[4], 1, "bitmap kind");
        let mut sparse = Vec::new();
        encode(
            &mut sparse,
            &mut rest,
            &Term::test(vec![5, 5000, 90000], Some(vec![1, 2, 255])),
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
        let t = Term::test(docs, Some(levels.clone()));
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
        let c = Cells::runs(1800, usize::MAX, 1);
        assert_eq!(tier0(&t, 600, &cell_pages(&t, &c)).len(), 600);
    }

    #[test]
    fn a_rest_file_holds_its_category_of_every_municipality_in_document_order() {
        // 600 postings, 6 cells of 100 (2 municipalities × 3 categories): category 0 is cells 0
        // and 3, documents 0‥99 and 300‥399.
        let docs: Vec<u32> = (0..600).collect();
        let levels: Vec<u8> = (0..600).map(|i| (i * 7 % 200 + 1) as u8).collect();
        let cells = Cells::runs(600, 100, 3);
        assert_eq!((cells.count, cells.category(350)), (6, 0));
        let t = Term::test(docs, Some(levels.clone()));
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
}
