//! The terms: every key a reader looks up (the tokens of the text fields, exact names and filter
//! keys) with its documents and, for tokens and exact names, their levels.

use std::collections::HashMap;

use crate::index::{EXACT_INDEX, ImpactScorer, SearchIndex, single_segment};
use crate::normalize::query_tokens;
use crate::search::DocFacts;

/// Prefix of exact-name keys.
pub(super) const EXACT_KEY: &str = "=";
/// Prefixes of the filter keys, before a care item's index, a flag's index or an age. U+0001
/// sorts before every token.
pub(super) const CARE_KEY: &str = "\u{1}k:";
pub(super) const FLAG_KEY: &str = "\u{1}f:";
pub(super) const SERVICE_KEY: &str = "\u{1}s:";
pub(super) const AGE_KEY: &str = "\u{1}a:";
/// Suffix of an age key's companion: the listings without an age range, which an age filter
/// keeps (ranked after the others). One copy beside each age key, so no query loads a bucket
/// more for it.
pub(super) const AGE_UNKNOWN: &str = "?";
/// The oldest age with a filter key: the ages an entry may list are 0 to this. A reader looks up
/// an older age's companion (listings without ages) at this age.
pub(super) const MAX_AGE: i64 = 120;

/// A term before encoding: key, documents and, for tokens and exact names, (max, levels).
pub(super) struct Term {
    pub key: String,
    /// The key its bucket is chosen by.
    pub bucket_key: String,
    pub docs: Vec<u32>,
    pub levels: Option<(f32, Vec<u8>)>,
}

impl Term {
    /// Positions (in `docs`) of the best postings: by level (descending), then document.
    pub(super) fn best(&self, count: usize) -> Vec<usize> {
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

    /// A term of key `a` (levels with max 1.5).
    #[cfg(test)]
    pub(super) fn test(docs: Vec<u32>, levels: Option<Vec<u8>>) -> Term {
        Term {
            key: "a".into(),
            bucket_key: "a".into(),
            docs,
            levels: levels.map(|l| (1.5, l)),
        }
    }
}

/// Every term, sorted by key (UTF-8 bytes): the order of a bucket's entries.
pub(super) fn terms(index: &SearchIndex, facts: &[DocFacts]) -> tantivy::Result<Vec<Term>> {
    let mut terms = text_terms(index)?;
    terms.extend(filter_terms(index, facts));
    terms.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
    Ok(terms)
}

/// Every token of every text field (its impacts over all fields), then every exact name, as
/// tantivy's term streams give them (one merged walk: each stream is sorted).
fn text_terms(index: &SearchIndex) -> tantivy::Result<Vec<Term>> {
    let mut terms = Vec::new();
    let searcher = index.searcher();
    let Some(segment) = single_segment(&searcher)? else {
        return Ok(terms);
    };
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
    let mut df: HashMap<String, usize> = HashMap::new();
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
            let home = exact_home(&token, index, &df);
            (format!("{EXACT_KEY}{token}"), home)
        } else {
            df.insert(token.clone(), imp.postings.len());
            (token.clone(), index.synonyms.home(&token).to_owned())
        };
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
    Ok(terms)
}

/// The bucket key of exact name `name`: that of the rarest query token of the name (fetched
/// anyway; the first of the rarest, an absent one counting 0), so that names sharing common
/// words do not crowd one bucket.
fn exact_home(name: &str, index: &SearchIndex, df: &HashMap<String, usize>) -> String {
    let rarest = query_tokens(name, &index.words)
        .into_iter()
        .min_by_key(|t| df.get(t).copied().unwrap_or(0))
        .unwrap_or_default();
    index.synonyms.home(&rarest).to_owned()
}

/// The filter keys of care items, services, flags and ages, each with the documents it accepts (none
/// without documents); they have no levels.
fn filter_terms(index: &SearchIndex, facts: &[DocFacts]) -> Vec<Term> {
    let f = &index.facets;
    let mut terms = Vec::new();
    let mut filter = |key: String, home: Option<String>, pred: &dyn Fn(&DocFacts) -> bool| {
        let docs: Vec<u32> = (0..index.docs)
            .filter(|&d| pred(&facts[d as usize]))
            .collect();
        if !docs.is_empty() {
            terms.push(Term {
                bucket_key: home.unwrap_or_else(|| key.clone()),
                key,
                docs,
                levels: None,
            });
        }
    };
    // With its label's first token: a query that names the item ranks by it at no cost.
    let home = |label: &str| {
        let tokens = query_tokens(label, &index.words);
        tokens.first().map(|t| index.synonyms.home(t).to_owned())
    };
    for (i, c) in f.care_items.iter().enumerate() {
        filter(format!("{CARE_KEY}{i}"), home(&c.label), &|x| {
            x.care_bits & (1 << i) != 0
        });
    }
    for (i, s) in f.services.iter().enumerate() {
        filter(format!("{SERVICE_KEY}{i}"), home(&s.label), &|x| {
            x.service_bits & (1 << i) != 0
        });
    }
    for i in 0..f.flags.len() {
        filter(format!("{FLAG_KEY}{i}"), None, &|x| {
            x.flag_bits & (1 << i) != 0
        });
    }
    for age in 0..=MAX_AGE {
        let key = format!("{AGE_KEY}{age}");
        filter(format!("{key}{AGE_UNKNOWN}"), Some(key.clone()), &|x| {
            x.age_min < 0
        });
        filter(key, None, &|x| {
            x.age_min >= 0 && x.age_min <= age && age <= x.age_max
        });
    }
    terms
}
