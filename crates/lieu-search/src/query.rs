//! From what a resident typed to a tantivy query. The text is never given to a query
//! language: quotes, `+`, `-` or `:` are just characters, and nothing typed is an error.
//!
//! Each meaningful word must match, in one of these ways, best first:
//! - its French stem in the title (boosted) or in the body: accents, case, plurals, elisions;
//! - the word itself within one edit (two for words of eight letters or more) in the
//!   folded words: typos;
//! - for the last word, while it is being typed, as the start of a word: prefixes.
//!
//! A run of words that is one phrase of a group of synonyms may also match any other
//! phrase of that group (« caf » finds « allocations familiales »).

use crate::analysis;
use crate::fields::Fields;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

/// The most words of a query that count; the rest are ignored.
pub const MAX_WORDS: usize = 8;

const TITLE_BOOST: f32 = 3.0;
/// Typo and prefix matches score a constant this small: an exact match ranks first.
const LOOSE_BOOST: f32 = 0.25;
/// A title word that starts with the word being typed (suggestions).
const TITLE_PREFIX_BOOST: f32 = 8.0;

/// One meaningful word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// Lowercased, accents folded.
    pub folded: String,
    /// French stem.
    pub stem: String,
    /// English stem (pages marked as English); `None` for an English stop word.
    pub stem_en: Option<String>,
}

/// A query read: its meaningful words, and whether the last one may be a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub words: Vec<QueryWord>,
    pub prefix_last: bool,
}

impl Parsed {
    /// `prefix_last`: the last word is being typed (suggestions), unless a space follows it.
    pub fn new(text: &str, prefix_last: bool) -> Parsed {
        let text = lieu_core::search::normalize_query(text);
        let words: Vec<QueryWord> = analysis::fold_words(&text)
            .into_iter()
            .filter(|w| !analysis::is_stop_word(w))
            .filter_map(|folded| {
                let stem = analysis::stem_fr(&folded)?;
                let stem_en = analysis::stem_en(&folded);
                Some(QueryWord {
                    folded,
                    stem,
                    stem_en,
                })
            })
            .take(MAX_WORDS)
            .collect();
        Parsed { words, prefix_last }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Groups of synonyms, each phrase as the French stems of its meaningful words.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
}

impl Synonyms {
    /// From stored groups (phrases separated by commas).
    pub fn new<'a>(groups: impl IntoIterator<Item = &'a str>) -> Synonyms {
        let groups = groups
            .into_iter()
            .map(|terms| {
                terms
                    .split(',')
                    .map(phrase_stems)
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|g| g.len() >= 2)
            .collect();
        Synonyms { groups }
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The longest phrase of any group that starts the `stems`: (group, phrase, its length).
    fn longest_at(&self, stems: &[&str]) -> Option<(usize, usize, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        for (g, group) in self.groups.iter().enumerate() {
            for (p, phrase) in group.iter().enumerate() {
                let n = phrase.len();
                if n <= stems.len()
                    && phrase.iter().zip(stems).all(|(a, b)| a == b)
                    && best.is_none_or(|(_, _, len)| n > len)
                {
                    best = Some((g, p, n));
                }
            }
        }
        best
    }
}

fn phrase_stems(phrase: &str) -> Vec<String> {
    analysis::fold_words(phrase)
        .into_iter()
        .filter(|w| !analysis::is_stop_word(w))
        .filter_map(|w| analysis::stem_fr(&w))
        .collect()
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn boost(q: Box<dyn Query>, factor: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, factor))
}

/// The stem in the title or the body.
fn exact(f: &Fields, stem: &str) -> Vec<(Occur, Box<dyn Query>)> {
    vec![
        (
            Occur::Should,
            boost(
                term_query(Term::from_field_text(f.title, stem)),
                TITLE_BOOST,
            ),
        ),
        (
            Occur::Should,
            term_query(Term::from_field_text(f.body, stem)),
        ),
    ]
}

/// How many edits a word may be off by: none under four letters, one under eight, two above.
pub fn edit_distance_for(word: &str) -> u8 {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

fn word_clause(f: &Fields, word: &QueryWord, prefix: bool) -> Box<dyn Query> {
    let mut clauses = exact(f, &word.stem);
    if let Some(stem) = &word.stem_en {
        clauses.push((
            Occur::Should,
            boost(
                term_query(Term::from_field_text(f.title_en, stem)),
                TITLE_BOOST,
            ),
        ));
        clauses.push((
            Occur::Should,
            term_query(Term::from_field_text(f.body_en, stem)),
        ));
    }
    let distance = edit_distance_for(&word.folded);
    if distance > 0 {
        let term = Term::from_field_text(f.words, &word.folded);
        clauses.push((
            Occur::Should,
            boost(
                Box::new(FuzzyTermQuery::new(term, distance, true)),
                LOOSE_BOOST,
            ),
        ));
    }
    if prefix && word.folded.chars().count() >= 2 {
        let term = Term::from_field_text(f.words, &word.folded);
        clauses.push((
            Occur::Should,
            boost(
                Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
                LOOSE_BOOST,
            ),
        ));
        // « servi » typed: « Service d’aide » before a page that mentions « servir ».
        let term = Term::from_field_text(f.title_words, &word.folded);
        clauses.push((
            Occur::Should,
            boost(
                Box::new(FuzzyTermQuery::new_prefix(term, 0, true)),
                TITLE_PREFIX_BOOST,
            ),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The text part of a search; `None` when the query has no meaningful word.
pub fn text_query(f: &Fields, parsed: &Parsed, synonyms: &Synonyms) -> Option<Box<dyn Query>> {
    let words = &parsed.words;
    if words.is_empty() {
        return None;
    }
    let stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
    let last = words.len() - 1;
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let clause_of = |j: usize| word_clause(f, &words[j], parsed.prefix_last && j == last);
        match synonyms.longest_at(&stems[i..]) {
            Some((g, p, n)) => {
                let as_typed: Vec<(Occur, Box<dyn Query>)> =
                    (i..i + n).map(|j| (Occur::Must, clause_of(j))).collect();
                let mut alternatives: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Should, Box::new(BooleanQuery::new(as_typed)))];
                for (other, phrase) in synonyms.groups[g].iter().enumerate() {
                    if other == p {
                        continue;
                    }
                    let all: Vec<(Occur, Box<dyn Query>)> = phrase
                        .iter()
                        .map(|stem| {
                            (
                                Occur::Must,
                                Box::new(BooleanQuery::new(exact(f, stem))) as Box<dyn Query>,
                            )
                        })
                        .collect();
                    alternatives.push((Occur::Should, Box::new(BooleanQuery::new(all))));
                }
                musts.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
                i += n;
            }
            None => {
                musts.push((Occur::Must, clause_of(i)));
                i += 1;
            }
        }
    }
    Some(Box::new(BooleanQuery::new(musts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_keep_meaningful_words() {
        let p = Parsed::new("  L’aide au LOGEMENT des  familles ", false);
        let folded: Vec<_> = p.words.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, vec!["aide", "logement", "familles"]);
        assert!(Parsed::new("le la les", false).is_empty());
        assert!(Parsed::new("\"+-:*()", false).is_empty());
        assert_eq!(
            Parsed::new(&"mot ".repeat(50), false).words.len(),
            MAX_WORDS
        );
    }

    #[test]
    fn longest_synonym_phrase_wins() {
        let s = Synonyms::new([
            "caf, caisse d'allocations familiales, allocations familiales",
            "aide",
            "apl, aide au logement",
        ]);
        assert_eq!(s.len(), 2, "a group of one phrase is no group");
        let stems: Vec<String> = Parsed::new("aides au logement Vernoux", false)
            .words
            .into_iter()
            .map(|w| w.stem)
            .collect();
        let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
        assert_eq!(s.longest_at(&stems), Some((1, 1, 2)));
        assert_eq!(s.longest_at(&stems[1..]), None);
    }

    #[test]
    fn edit_distances_follow_word_length() {
        assert_eq!(edit_distance_for("caf"), 0);
        assert_eq!(edit_distance_for("creche"), 1);
        assert_eq!(edit_distance_for("saisonier"), 2);
    }
}
