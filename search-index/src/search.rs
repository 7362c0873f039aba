//! The CLI reader: a query against the tantivy index, ranked exactly as the browser reader ranks
//! the exported files (the same impacts, summed in the same order, the same tie-breaks).

use serde::Serialize;

use crate::index::{Facets, Label, SearchIndex, single_segment};
use std::collections::BTreeMap;

use crate::normalize::{MAX_QUERY_CHARS, Words, exact_key, query_tokens};
use crate::synonyms::Group;

/// A search: free text and filters. Empty text with filters lists every match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub text: String,
    /// Category id.
    pub category: Option<String>,
    /// Region id.
    pub region: Option<String>,
    /// Municipality name or code.
    pub municipality: Option<String>,
    /// Care-item ids; every one must be accepted.
    pub care: Vec<String>,
    /// The child's age: listings whose age range includes it, then those without an age range.
    pub age: Option<u8>,
    /// Flag ids that must be true (transport, bathing …).
    pub flags: Vec<String>,
    /// Sort by distance from this point (lat, lon).
    pub near: Option<(f64, f64)>,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    /// Position in the index order (the tie-break).
    #[serde(skip)]
    pub doc: u32,
    pub score: f64,
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Filter values that name nothing, ignored (as the browser ignores them).
    #[serde(skip)]
    pub ignored: Vec<String>,
    /// The words of the query left out because no listing matched them all with the others
    /// (the query's whitespace-separated parts, as typed); empty when every word matched.
    pub dropped: Vec<String>,
}

/// Per-document facts the filters, the distance sort and the display records read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocFacts {
    pub category: u16,
    pub municipality: u16,
    pub care_bits: u32,
    pub flag_bits: u32,
    pub service_bits: u64,
    pub age_min: i64,
    pub age_max: i64,
    pub lat_q: u16,
    pub lon_q: u16,
    pub approx: bool,
    pub verified: u32,
    pub stale: bool,
}

impl Default for DocFacts {
    fn default() -> Self {
        DocFacts {
            category: 0,
            municipality: 0,
            care_bits: 0,
            flag_bits: 0,
            service_bits: 0,
            age_min: -1,
            age_max: -1,
            lat_q: 0,
            lon_q: 0,
            approx: false,
            verified: 0,
            stale: false,
        }
    }
}

/// Stored strings of a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocText {
    pub id: String,
    pub name: String,
    pub phone: String,
}

/// A query's filters resolved against the facets: indexes and bit masks.
#[derive(Debug, Default)]
struct Filters {
    category: Option<usize>,
    region: Option<usize>,
    municipality: Option<usize>,
    care_mask: u32,
    flag_mask: u32,
    age: Option<u8>,
}

impl Filters {
    /// The filters of `q`, and its values that name nothing (`what=value`, ignored).
    fn resolve(q: &Query, f: &Facets) -> (Filters, Vec<String>) {
        let mut ignored = Vec::new();
        let mut find = |what: &str, value: &Option<String>, at: &dyn Fn(&str) -> Option<usize>| {
            let v = value.as_deref()?;
            let found = at(v);
            if found.is_none() {
                ignored.push(format!("{what}={v}"));
            }
            found
        };
        let category = find("category", &q.category, &|v| {
            f.categories.iter().position(|c| c.id == v)
        });
        let region = find("region", &q.region, &|v| {
            f.regions.iter().position(|r| r.id == v)
        });
        let municipality = find("municipality", &q.municipality, &|v| {
            f.municipalities
                .iter()
                .position(|m| m.name == v || m.code == v)
        });
        let mut mask = |what: &str, ids: &[String], labels: &[Label]| {
            let mut bits = 0u32;
            for id in ids {
                match labels.iter().position(|x| &x.id == id) {
                    Some(i) => bits |= 1 << i,
                    None => ignored.push(format!("{what}={id}")),
                }
            }
            bits
        };
        let care_mask = mask("care", &q.care, &f.care_items);
        let flag_mask = mask("flag", &q.flags, &f.flags);
        let filters = Filters {
            category,
            region,
            municipality,
            care_mask,
            flag_mask,
            age: q.age,
        };
        (filters, ignored)
    }

    fn passes(&self, x: &DocFacts, f: &Facets) -> bool {
        self.category.is_none_or(|c| usize::from(x.category) == c)
            && self
                .municipality
                .is_none_or(|m| usize::from(x.municipality) == m)
            && self.region.is_none_or(|r| {
                f.municipalities
                    .get(usize::from(x.municipality))
                    .is_some_and(|m| usize::from(m.region) == r)
            })
            && x.care_bits & self.care_mask == self.care_mask
            && x.flag_bits & self.flag_mask == self.flag_mask
            && self.age.is_none_or(|a| {
                x.age_min < 0 || (x.age_min <= i64::from(a) && i64::from(a) <= x.age_max)
            })
    }
}

/// Mean Earth radius (km), as in the browser reader.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Haversine distance, written operation for operation as in `js/search.js`.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let rad = std::f64::consts::PI / 180.0;
    let (p1, p2) = (a.0 * rad, b.0 * rad);
    let dp = (b.0 - a.0) * rad;
    let dl = (b.1 - a.1) * rad;
    let s1 = (dp / 2.0).sin();
    let s2 = (dl / 2.0).sin();
    let h = s1 * s1 + p1.cos() * p2.cos() * s2 * s2;
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Distances are compared at millimetre precision, so tiny floating-point differences between
/// the two readers' math libraries cannot reorder results.
pub fn round_distance(d: f64) -> f64 {
    (d * 1e6).round() / 1e6
}

impl SearchIndex {
    pub(crate) fn doc_facts(&self) -> tantivy::Result<(Vec<DocFacts>, Vec<DocText>)> {
        use tantivy::schema::Value;
        let searcher = self.searcher();
        let Some(segment) = single_segment(&searcher)? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let ff = segment.fast_fields();
        let col = |n: &str| ff.u64(n);
        let (doc, cat, muni, care, flags) = (
            col("doc")?,
            col("category")?,
            col("municipality_index")?,
            col("care_bits")?,
            col("flag_bits")?,
        );
        let services = col("service_bits")?;
        let (lat, lon, approx, verified, stale) = (
            col("lat_q")?,
            col("lon_q")?,
            col("approx")?,
            col("verified")?,
            col("stale")?,
        );
        let (amin, amax) = (ff.i64("age_min")?, ff.i64("age_max")?);
        let n = self.docs as usize;
        let mut facts = vec![DocFacts::default(); n];
        let mut texts = vec![DocText::default(); n];
        let store = segment.get_store_reader(1)?;
        let fields = ["id", "display_name", "phone"].map(|name| self.field(name));
        for d in 0..segment.max_doc() {
            let number = doc.first(d).unwrap_or(0) as usize;
            if number >= n {
                continue;
            }
            let u = |c: &tantivy::columnar::Column<u64>| c.first(d).unwrap_or(0);
            facts[number] = DocFacts {
                category: u(&cat) as u16,
                municipality: u(&muni) as u16,
                care_bits: u(&care) as u32,
                flag_bits: u(&flags) as u32,
                service_bits: u(&services),
                age_min: amin.first(d).unwrap_or(-1),
                age_max: amax.first(d).unwrap_or(-1),
                lat_q: u(&lat) as u16,
                lon_q: u(&lon) as u16,
                approx: u(&approx) == 1,
                verified: u(&verified) as u32,
                stale: u(&stale) == 1,
            };
            let stored: tantivy::TantivyDocument = store.get(d)?;
            let [id, name, phone] = fields.map(|f| {
                stored
                    .get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            });
            texts[number] = DocText { id, name, phone };
        }
        Ok((facts, texts))
    }

    /// Runs a query.
    pub fn search(&self, q: &Query) -> tantivy::Result<Results> {
        let (facts, texts) = self.doc_facts()?;
        let (filters, ignored) = Filters::resolve(q, &self.facets);
        let passes = |d: u32| filters.passes(&facts[d as usize], &self.facets);
        let tokens = query_tokens(&q.text, &self.words);
        let mut groups = self.synonyms.groups(&tokens);
        let mut dropped = Vec::new();
        // Text with nothing searchable in it (symbols, emoji) finds nothing; blank text lists.
        let scored = if tokens.is_empty() && !q.text.trim().is_empty() {
            Vec::new()
        } else if tokens.is_empty() {
            (0..self.docs)
                .filter(|&d| passes(d))
                .map(|d| (d, 0.0))
                .collect()
        } else {
            let lists: Vec<Vec<(u32, f64)>> = groups
                .iter()
                .map(|g| self.any_of(g))
                .collect::<tantivy::Result<_>>()?;
            let mut all = self.with_exact(&q.text, &tokens, intersect_all(lists.iter()))?;
            all.retain(|&(d, _)| passes(d));
            if all.is_empty()
                && let Some(kept) = fallback(&q.text, &self.words, &groups, &lists, &passes)
            {
                dropped = kept.dropped;
                groups = kept.groups.iter().map(|&g| groups[g].clone()).collect();
                all = intersect_all(kept.groups.iter().map(|&g| &lists[g]));
                all.retain(|&(d, _)| passes(d));
            }
            all
        };
        let rank = self.ranker(&groups, filters.age.is_some());
        let mut hits: Vec<(u32, Hit)> = scored
            .into_iter()
            .map(|(d, score)| {
                let hit = Hit {
                    id: texts[d as usize].id.clone(),
                    doc: d,
                    score,
                    distance_km: q.near.map(|p| {
                        let x = &facts[d as usize];
                        let at = self.facets.dequantize((x.lat_q, x.lon_q));
                        round_distance(distance_km(p, at))
                    }),
                };
                (rank(&facts[d as usize]), hit)
            })
            .collect();
        // By rank; then by distance, or by score when there is text; then by document.
        hits.sort_by(|(ra, a), (rb, b)| {
            let then = if q.near.is_some() {
                a.distance_km
                    .partial_cmp(&b.distance_km)
                    .unwrap_or(std::cmp::Ordering::Equal)
            } else {
                b.score.total_cmp(&a.score)
            };
            rb.cmp(ra).then(then).then(a.doc.cmp(&b.doc))
        });
        let total = hits.len();
        Ok(Results {
            total,
            hits: hits.into_iter().take(q.limit).map(|(_, h)| h).collect(),
            ignored,
            dropped,
        })
    }

    /// The documents of one of a group's alternatives, each with the best value of those it has.
    fn any_of(&self, group: &Group) -> tantivy::Result<Vec<(u32, f64)>> {
        let mut best: Vec<(u32, f64)> = Vec::new();
        for alternative in group {
            best = union_max(&best, &self.all_of(alternative)?);
        }
        Ok(best)
    }

    /// `acc` with the exact name's value added, when its query tokens are the query's (the
    /// browser reader finds it in a bucket it has loaded then).
    fn with_exact(
        &self,
        text: &str,
        tokens: &[String],
        mut acc: Vec<(u32, f64)>,
    ) -> tantivy::Result<Vec<(u32, f64)>> {
        let key = exact_key(text);
        let own = query_tokens(&key, &self.words);
        if own.iter().all(|t| tokens.contains(t)) {
            let exact = self.impacts(&key, true)?;
            for (d, l) in exact.postings {
                if let Ok(i) = acc.binary_search_by_key(&d, |x| x.0) {
                    acc[i].1 += crate::Impacts::value(exact.max, l);
                }
            }
        }
        Ok(acc)
    }

    /// A document's rank, the first sort key: one for each care item and service the query names
    /// that it accepts or offers, and, when an age is asked for, more than all of those together
    /// when it states its ages (listings without an age range come after the others).
    fn ranker(&self, groups: &[Group], age: bool) -> impl Fn(&DocFacts) -> u32 + use<> {
        let (care, services) = (
            self.named(groups, &self.facets.care_items),
            self.named(groups, &self.facets.services),
        );
        let known_age = if age {
            care.count_ones() + services.count_ones() + 1
        } else {
            0
        };
        move |x: &DocFacts| {
            (u64::from(x.care_bits) & care).count_ones()
                + (x.service_bits & services).count_ones()
                + if x.age_min >= 0 { known_age } else { 0 }
        }
    }

    /// The labels the query names: bit i when an alternative of a group is the query tokens of
    /// label i (the label itself, or a word of it).
    fn named(&self, groups: &[Group], labels: &[Label]) -> u64 {
        labels.iter().enumerate().fold(0, |mask, (i, c)| {
            let label = query_tokens(&c.label, &self.words);
            let named = groups.iter().flatten().any(|alt| *alt == label);
            if named && !label.is_empty() {
                mask | (1 << i)
            } else {
                mask
            }
        })
    }

    /// The documents that hold every one of `tokens`, with the sum of their values in order.
    fn all_of(&self, tokens: &[String]) -> tantivy::Result<Vec<(u32, f64)>> {
        let mut acc: Option<Vec<(u32, f64)>> = None;
        for t in tokens {
            let imp = self.impacts(t, false)?;
            let values = imp
                .postings
                .iter()
                .map(|&(d, l)| (d, crate::Impacts::value(imp.max, l)));
            acc = Some(match acc {
                None => values.collect(),
                Some(prev) => intersect_add(&prev, values),
            });
        }
        Ok(acc.unwrap_or_default())
    }
}

/// Documents in every list (sorted by doc), with their values added in list order.
fn intersect_all<'a>(lists: impl IntoIterator<Item = &'a Vec<(u32, f64)>>) -> Vec<(u32, f64)> {
    let mut lists = lists.into_iter();
    let first = lists.next().cloned().unwrap_or_default();
    lists.fold(first, |acc, l| intersect_add(&acc, l.iter().copied()))
}

/// The groups a query keeps when no listing matches every one, and the words it drops.
#[derive(Debug, PartialEq)]
struct Kept {
    groups: Vec<usize>,
    dropped: Vec<String>,
}

/// The best partial match of a query whose groups no listing (passing the filters) has all of.
/// The query's words are its whitespace-separated parts; a listing matches a word when it
/// matches each group that starts in it. Kept are the words of the largest set some listing
/// matches exactly; among sets as large, the one most listings match, then the one that keeps
/// earlier words. None when the query has one word, or no listing matches any.
fn fallback(
    text: &str,
    words: &Words,
    groups: &[Group],
    lists: &[Vec<(u32, f64)>],
    passes: &dyn Fn(u32) -> bool,
) -> Option<Kept> {
    let parts = query_parts(text, words);
    // A group is in the part of its first token: the first part whose tokens hold it.
    let part_of: Vec<usize> = groups
        .iter()
        .map(|g| {
            let token = &g[0][0];
            parts
                .iter()
                .position(|(_, t)| t.contains(token))
                .unwrap_or(0)
        })
        .collect();
    let mut used = part_of.clone();
    used.sort_unstable();
    used.dedup();
    let n = used.len();
    if n < 2 {
        return None;
    }
    // Bit n-1-k: the listing matches used part k, so more bits, then a larger mask, wins.
    let bit = |k: usize| 1u32 << (n - 1 - k);
    let mut masks: BTreeMap<u32, u32> = BTreeMap::new();
    for (k, &part) in used.iter().enumerate() {
        let in_part = (0..groups.len())
            .filter(|&g| part_of[g] == part)
            .map(|g| &lists[g]);
        for (d, _) in intersect_all(in_part) {
            if passes(d) {
                *masks.entry(d).or_default() |= bit(k);
            }
        }
    }
    let mut sets: BTreeMap<u32, usize> = BTreeMap::new();
    for mask in masks.into_values() {
        *sets.entry(mask).or_default() += 1;
    }
    let (&best, _) = sets
        .iter()
        .max_by_key(|&(&mask, &count)| (mask.count_ones(), count, mask))?;
    let kept = |part: usize| {
        used.iter()
            .position(|&p| p == part)
            .is_some_and(|k| best & bit(k) != 0)
    };
    Some(Kept {
        groups: (0..groups.len()).filter(|&g| kept(part_of[g])).collect(),
        dropped: used
            .iter()
            .filter(|&&p| !kept(p))
            .map(|&p| parts[p].0.clone())
            .collect(),
    })
}

/// The whitespace-separated parts of a query (of its first [`MAX_QUERY_CHARS`] characters), each
/// with its query tokens.
fn query_parts(text: &str, words: &Words) -> Vec<(String, Vec<String>)> {
    let cut: String = text.chars().take(MAX_QUERY_CHARS).collect();
    cut.split_whitespace()
        .map(|p| (p.to_owned(), query_tokens(p, words)))
        .collect()
}

/// Documents in either list (both sorted by doc), each with the larger of its values.
fn union_max(a: &[(u32, f64)], b: &[(u32, f64)]) -> Vec<(u32, f64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.0 < y.0 {
            out.push(x);
            i += 1;
        } else if y.0 < x.0 {
            out.push(y);
            j += 1;
        } else {
            out.push((x.0, if y.1 > x.1 { y.1 } else { x.1 }));
            i += 1;
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Documents in both lists, with `b`'s value added to `a`'s (both sorted by doc).
fn intersect_add(a: &[(u32, f64)], b: impl Iterator<Item = (u32, f64)>) -> Vec<(u32, f64)> {
    let mut out = Vec::new();
    let mut i = 0;
    for (d, v) in b {
        while i < a.len() && a[i].0 < d {
            i += 1;
        }
        if i < a.len() && a[i].0 == d {
            out.push((d, a[i].1 + v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersection_adds_in_order() {
        let a = [(1, 1.0), (3, 2.0), (5, 3.0)];
        assert_eq!(
            intersect_add(&a, [(3, 0.5), (4, 9.0), (5, 1.0)].into_iter()),
            [(3, 2.5), (5, 4.0)]
        );
    }

    #[test]
    fn union_keeps_the_larger_value() {
        let a = [(1, 1.0), (3, 2.0)];
        let b = [(2, 5.0), (3, 2.5), (4, 0.5)];
        assert_eq!(union_max(&a, &b), [(1, 1.0), (2, 5.0), (3, 2.5), (4, 0.5)]);
        assert_eq!(union_max(&[], &b), b);
    }

    #[test]
    fn distances() {
        assert_eq!(distance_km((34.7, 136.5), (34.7, 136.5)), 0.0);
        let d = distance_km((34.0, 136.0), (35.0, 136.0));
        assert!((d - 111.2).abs() < 0.2, "{d}");
        assert_eq!(round_distance(1.23456789), 1.234568);
    }
}
