//! The resolved site model: configuration plus published entries, sorted and indexed by category,
//! region, municipality, accepted care item and 50音 row. Rendering and the other outputs read only
//! this.

use std::collections::BTreeMap;

use rayon::slice::ParallelSliceMut;

use crate::config::{Config, Municipality};
use crate::date::Date;
use crate::entry::Entry;
use crate::gojuon;

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Published entries (drafts removed) in 50音順.
    pub entries: Vec<Entry>,
    /// The day the build treats as today (staleness marks).
    pub today: Date,
    by_category: BTreeMap<String, Vec<usize>>,
    by_region: BTreeMap<String, Vec<usize>>,
    by_municipality: BTreeMap<String, Vec<usize>>,
    by_care: BTreeMap<String, Vec<usize>>,
    /// Entries by [`gojuon::ROWS`] index.
    by_row: Vec<Vec<usize>>,
    /// Municipality code → (lat, lon): regions.toml's point, else its listings' mean position.
    points: BTreeMap<String, (f64, f64)>,
}

impl Site {
    pub fn new(config: Config, entries: Vec<Entry>, today: Date) -> Site {
        let mut entries: Vec<Entry> = entries.into_iter().filter(|e| !e.draft).collect();
        entries.par_sort_by_cached_key(Entry::sort_key);
        let mut by_category: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_region: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_municipality: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_care: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_row = vec![Vec::new(); gojuon::ROWS.len()];
        for (i, e) in entries.iter().enumerate() {
            by_category.entry(e.category.clone()).or_default().push(i);
            by_region.entry(e.region.clone()).or_default().push(i);
            by_municipality
                .entry(e.municipality.clone())
                .or_default()
                .push(i);
            for c in &e.care {
                by_care.entry(c.clone()).or_default().push(i);
            }
            by_row[gojuon::row_of(e.kana.as_deref())].push(i);
        }
        let points = config
            .municipalities()
            .filter_map(|m| {
                let own = || {
                    let located = by_municipality.get(&m.code)?.iter().filter_map(|&i| {
                        let e: &Entry = &entries[i];
                        Some((e.lat?, e.lon?))
                    });
                    mean(located)
                };
                Some((m.code.clone(), m.point.or_else(own)?))
            })
            .collect();
        Site {
            config,
            entries,
            today,
            by_category,
            by_region,
            by_municipality,
            by_care,
            by_row,
            points,
        }
    }

    /// A municipality's point (by code): regions.toml's, or where none is given, the mean of its
    /// listings' own coordinates; `None` when it has neither (gap pages name such municipalities).
    pub fn point(&self, code: &str) -> Option<(f64, f64)> {
        self.points.get(code).copied()
    }

    /// Where a listing is: its own coordinates, else its municipality's point (approximate).
    pub fn location(&self, e: &Entry) -> Option<(f64, f64)> {
        match (e.lat, e.lon) {
            (Some(lat), Some(lon)) => Some((lat, lon)),
            _ => self.point(&e.municipality),
        }
    }

    fn pick<'a>(&'a self, index: &'a BTreeMap<String, Vec<usize>>, key: &str) -> Vec<&'a Entry> {
        index.get(key).map(|ix| self.at(ix)).unwrap_or_default()
    }

    fn at(&self, ix: &[usize]) -> Vec<&Entry> {
        ix.iter().map(|&i| &self.entries[i]).collect()
    }

    /// Entries of a category, in 50音順.
    pub fn in_category(&self, id: &str) -> Vec<&Entry> {
        self.pick(&self.by_category, id)
    }

    /// Entries of a region, in 50音順.
    pub fn in_region(&self, id: &str) -> Vec<&Entry> {
        self.pick(&self.by_region, id)
    }

    /// Entries of a municipality (by code), in 50音順.
    pub fn in_municipality(&self, code: &str) -> Vec<&Entry> {
        self.pick(&self.by_municipality, code)
    }

    /// Entries that accept a care item (by id), in 50音順.
    pub fn accepting(&self, care_id: &str) -> Vec<&Entry> {
        self.pick(&self.by_care, care_id)
    }

    /// Entries filed under a 50音 row (an index into [`gojuon::ROWS`]), in 50音順.
    pub fn in_row(&self, row: usize) -> Vec<&Entry> {
        self.by_row
            .get(row)
            .map(|ix| self.at(ix))
            .unwrap_or_default()
    }

    /// The municipality an entry is in. Validation guarantees it exists.
    pub fn municipality_of(&self, e: &Entry) -> Option<&Municipality> {
        self.config.municipality(&e.municipality)
    }

    /// The mean of every municipality's point: where a listing is placed for distance sorting
    /// when neither it nor its municipality has a position. `None` when nothing has one.
    pub fn centre(&self) -> Option<(f64, f64)> {
        mean(self.points.values().copied())
    }

    /// The most recent `verified` date: how current the directory is as a whole.
    pub fn as_of(&self) -> Option<Date> {
        self.entries.iter().map(|e| e.verified).max()
    }
}

/// The mean position of some points (fine within a prefecture), `None` for none.
fn mean(points: impl Iterator<Item = (f64, f64)>) -> Option<(f64, f64)> {
    let (n, lat, lon) = points.fold((0u32, 0.0, 0.0), |(n, a, b), (lat, lon)| {
        (n + 1, a + lat, b + lon)
    });
    (n > 0).then(|| (lat / f64::from(n), lon / f64::from(n)))
}
