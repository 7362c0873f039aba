//! Tiers: which postings of a term keep their levels in its bucket (tier 0) and which of its
//! documents the bucket shows. A short term keeps everything there; a long one keeps its best
//! postings and the first page of every cell, and the rest of its levels go to rest files.

use super::Options;
use super::cells::Cells;
use super::terms::Term;

/// A long term (more postings than [`Options::inline_levels`]) keeps in its bucket only its best
/// postings (tier 0): this many ...
pub(super) const TIER0: usize = 256;
/// ... and also the best ones of each cell (municipality × category) with any ties of the last, so
/// that a query filtered to cells finds its first page among them.
pub(super) const CELL_TIER0: usize = 10;
/// Display records of a term's best documents kept in its bucket, for a term with all its levels
/// there: the first page of a conjunction of such terms, which ranks from their buckets, is
/// usually among the best documents of one of them, and then shows from them too.
pub(super) const DISPLAY: usize = 256;
/// ... and for a long term (whose tier 0 is not all its postings): a query of one needs more
/// files anyway.
pub(super) const DISPLAY_LONG: usize = 64;

/// One cell's postings of a term: their positions in `docs`, the positions of the cell's first
/// page (its [`CELL_TIER0`] best, by level (descending), then document; sorted), and the level
/// of the last of them.
pub(super) struct CellPage {
    pub run: std::ops::Range<usize>,
    pub page: Vec<usize>,
    pub least: u8,
}

/// The first page of every cell that has postings of `t`.
pub(super) fn cell_pages(t: &Term, cells: &Cells) -> Vec<CellPage> {
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
pub(super) fn tier0(t: &Term, inline: usize, pages: &[CellPage]) -> Vec<usize> {
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

/// What becomes of one term in its bucket: its cell pages (if it needs them, for tier 0 or a shown
/// file), its tier 0 and how many of its best documents the bucket shows.
pub(super) struct Plan {
    pub pages: Vec<CellPage>,
    pub tier0: Vec<usize>,
    pub display: usize,
}

impl Plan {
    pub(super) fn new(t: &Term, cells: &Cells, options: &Options) -> Plan {
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

#[cfg(test)]
mod tests {
    use super::super::entry::encode_term;
    use super::*;

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
        let cells = Cells::runs(600, 200, 3);
        let t = Term::test(docs, Some(levels.clone()));
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
}
