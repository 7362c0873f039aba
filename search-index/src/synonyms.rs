//! Query-time synonyms: the words families type for a term of the site's vocabulary (胃ろう for
//! 経管栄養, ショートステイ for 短期入所・レスパイト). Where a query's tokens spell such a word,
//! they become one group that also matches the term; a token that is a whole word lives in the
//! bucket of its term's first token, so the group costs a cold query no extra bucket.
//!
//! Specified in `docs/search-index-format.md` ("Synonyms") and implemented again in
//! `js/text.js`; `tests/synonyms.json` pins both readers to the same groups and homes.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::normalize::{Words, query_tokens};

/// A term of the vocabulary and the words that mean it, as the site lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Synonym {
    pub term: String,
    pub words: Vec<String>,
}

/// One part of a query: a document matches it when it has every token of one of its
/// alternatives. The first alternative is what the query says.
pub type Group = Vec<Vec<String>>;

/// A synonym table read against the site's words.
#[derive(Debug, Default)]
pub struct Synonyms {
    /// Per table entry, the query tokens of its term.
    terms: Vec<Vec<String>>,
    /// The query tokens of each distinct word, with the entries it belongs to (table order);
    /// longest first, then in table order.
    words: Vec<(Vec<String>, Vec<usize>)>,
    /// Tokens that live in another token's bucket.
    homes: HashMap<String, String>,
}

impl Synonyms {
    /// Words whose tokens are empty or the same as their term's are left out.
    pub fn new(table: &[Synonym], site: &Words) -> Synonyms {
        let terms: Vec<Vec<String>> = table.iter().map(|s| query_tokens(&s.term, site)).collect();
        let mut words: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
        for (i, s) in table.iter().enumerate() {
            for w in &s.words {
                let tokens = query_tokens(w, site);
                if tokens.is_empty() || tokens == terms[i] || terms[i].is_empty() {
                    continue;
                }
                match words.iter_mut().find(|(t, _)| *t == tokens) {
                    Some((_, sets)) if !sets.contains(&i) => sets.push(i),
                    Some(_) => {}
                    None => words.push((tokens, vec![i])),
                }
            }
        }
        // Stable: equal lengths keep table order.
        words.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        let firsts: Vec<&String> = terms.iter().filter_map(|t| t.first()).collect();
        let mut homes = HashMap::new();
        for (tokens, sets) in &words {
            if let [token] = tokens.as_slice()
                && !firsts.contains(&token)
            {
                homes
                    .entry(token.clone())
                    .or_insert_with(|| terms[sets[0]][0].clone());
            }
        }
        Synonyms {
            terms,
            words,
            homes,
        }
    }

    /// The groups of a query's tokens, read left to right: where tokens spell a word (the
    /// longest that fits), they are one group whose alternatives are those tokens, then the
    /// tokens of each of the word's terms; every other token is a group of its own.
    pub fn groups(&self, tokens: &[String]) -> Vec<Group> {
        let mut groups = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let rest = &tokens[i..];
            match self.words.iter().find(|(w, _)| rest.starts_with(w)) {
                Some((w, sets)) => {
                    let mut group = vec![w.clone()];
                    for &s in sets {
                        if !group.contains(&self.terms[s]) {
                            group.push(self.terms[s].clone());
                        }
                    }
                    groups.push(group);
                    i += w.len();
                }
                None => {
                    groups.push(vec![vec![tokens[i].clone()]]);
                    i += 1;
                }
            }
        }
        groups
    }

    /// The key whose bucket holds `token`: for a token that is a whole word, the first token of
    /// its first term (unless it is itself the first token of a term); else the token.
    pub fn home<'a>(&'a self, token: &'a str) -> &'a str {
        self.homes.get(token).map_or(token, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Vec<Synonym> {
        let s = |term: &str, words: &[&str]| Synonym {
            term: term.into(),
            words: words.iter().map(|w| (*w).into()).collect(),
        };
        vec![
            s(
                "経管栄養",
                &["胃ろう", "胃瘻", "けいかんえいよう", "経管栄養"],
            ),
            s("導尿", &["ストーマ", "どうにょう"]),
            s("排便管理", &["ストーマ", "浣腸"]),
            s("短期入所・レスパイト", &["ショートステイ", "NPPV 短期"]),
        ]
    }

    fn words(t: &[Synonym]) -> Words {
        let all = t
            .iter()
            .flat_map(|s| std::iter::once(&s.term).chain(&s.words))
            .map(String::as_str);
        Words::new(all)
    }

    fn tokens(q: &str, w: &Words) -> Vec<String> {
        query_tokens(q, w)
    }

    #[test]
    fn a_word_becomes_a_group_with_its_terms() {
        let t = table();
        let w = words(&t);
        let syn = Synonyms::new(&t, &w);
        let g = syn.groups(&tokens("胃ろう 桑名", &w));
        assert_eq!(
            g,
            [
                vec![vec!["胃ろう".to_owned()], vec!["経管栄養".to_owned()]],
                vec![vec!["桑名".to_owned()]],
            ]
        );
        // A word of two terms: both, in table order.
        let g = syn.groups(&tokens("ストーマ", &w));
        assert_eq!(g[0].len(), 3);
        assert_eq!(g[0][2], ["排便管理"]);
        // A term with two tokens is one alternative of both.
        let g = syn.groups(&tokens("ショートステイ", &w));
        assert_eq!(g[0][1], ["短期入所", "れすぱいと"]);
    }

    #[test]
    fn the_term_itself_and_unknown_words_are_plain_tokens() {
        let t = table();
        let w = words(&t);
        let syn = Synonyms::new(&t, &w);
        assert_eq!(
            syn.groups(&tokens("経管栄養", &w)),
            [vec![vec!["経管栄養"]]]
        );
        assert_eq!(
            syn.groups(&tokens("ひまわり", &w)),
            [vec![vec!["ひま"]], vec![vec!["わり"]]]
        );
    }

    #[test]
    fn a_word_of_several_tokens_matches_them_in_a_row() {
        let t = table();
        let w = words(&t);
        let syn = Synonyms::new(&t, &w);
        let g = syn.groups(&tokens("nppv 短期", &w));
        assert_eq!(g.len(), 1);
        assert_eq!(g[0][0], ["nppv", "短期"]);
        // Not in a row: each token alone.
        assert_eq!(syn.groups(&tokens("短期 nppv", &w)).len(), 2);
    }

    #[test]
    fn whole_words_live_with_their_term() {
        let t = table();
        let w = words(&t);
        let syn = Synonyms::new(&t, &w);
        assert_eq!(syn.home("胃ろう"), "経管栄養");
        assert_eq!(syn.home("すとま"), "導尿");
        assert_eq!(syn.home("経管栄養"), "経管栄養");
        assert_eq!(syn.home("桑名"), "桑名");
    }
}
