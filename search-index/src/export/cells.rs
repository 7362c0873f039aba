//! Documents in cells: cell `m × C + c` is municipality m's documents of category c. Documents
//! are ordered by municipality, then category, so every cell is a contiguous run and filters by
//! region, municipality and category are document ranges.

use crate::Facets;
use crate::search::DocFacts;

/// Per municipality, where each of the C categories starts, then its end (the manifest's
/// `ranges`); an error if the documents are not ordered by municipality, then category.
pub(super) fn ranges(facts: &[DocFacts], f: &Facets, docs: u32) -> tantivy::Result<Vec<Vec<u32>>> {
    let categories = f.categories.len();
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
        ranges.push(vec![docs; categories + 1]);
    }
    Ok(ranges)
}

/// The cell of every document.
pub(super) struct Cells {
    /// Each document's cell.
    pub of: Vec<u32>,
    /// C, the number of categories.
    pub categories: usize,
    /// M × C.
    pub count: usize,
}

impl Cells {
    pub(super) fn new(facts: &[DocFacts], f: &Facets) -> Cells {
        let categories = f.categories.len();
        Cells {
            of: facts
                .iter()
                .map(|x| {
                    (usize::from(x.municipality) * categories + usize::from(x.category)) as u32
                })
                .collect(),
            categories,
            count: f.municipalities.len() * categories,
        }
    }

    pub(super) fn category(&self, doc: u32) -> usize {
        self.of[doc as usize] as usize % self.categories
    }

    /// Cells of `per` consecutive documents; cell k is of category k mod `categories`.
    #[cfg(test)]
    pub(super) fn runs(docs: usize, per: usize, categories: usize) -> Cells {
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
}
