//! Full-text search: results with facets, snippets, and a spelling suggestion when nothing
//! is found.

use crate::docs::seconds;
use crate::query::{Parsed, text_query};
use crate::{SearchIndex, SearchResult};
use chrono::NaiveDateTime;
use lieu_core::entry::list::to_the_minute;
use std::ops::{Bound, Range};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// What a resident asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    pub text: String,
    /// `page`, `thread` or a kind (`service`…).
    pub kind: Option<String>,
    /// A commune's INSEE code.
    pub commune: Option<String>,
    /// A group of data·inclusion thématiques (`sante`…).
    pub theme: Option<String>,
    /// From 0.
    pub offset: usize,
    pub limit: usize,
    pub now: NaiveDateTime,
}

/// Part of a text with the words that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub fragment: String,
    /// Byte ranges of `fragment` to highlight.
    pub highlighted: Vec<Range<usize>>,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// `page`, `thread` or a kind.
    pub kind: String,
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub commune: String,
    pub commune_name: String,
    /// Threads: their category, or the page or entry they discuss.
    pub place: String,
    pub summary: String,
    pub snippet: Option<Snippet>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// The query had at least one meaningful word.
    pub understood: bool,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub kinds: Vec<FacetCount>,
    pub communes: Vec<FacetCount>,
    pub themes: Vec<FacetCount>,
    /// When nothing is found: the query with its unknown words replaced by close ones that are
    /// in the index.
    pub suggestion: Option<String>,
}

/// The most results one page shows.
pub const MAX_LIMIT: usize = 50;
/// The deepest result one can page to.
pub const MAX_OFFSET: usize = 1_000;

fn facet_filter(f: tantivy::schema::Field, dimension: &str, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(f, &Facet::from_path([dimension, value])),
        IndexRecordOption::Basic,
    ))
}

/// What is current at `now`: offers not expired, events not over.
pub(crate) fn current_filters(
    idx: &SearchIndex,
    now: NaiveDateTime,
) -> Vec<(Occur, Box<dyn Query>)> {
    let now = seconds(now);
    let f = &idx.fields;
    vec![
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Excluded(Term::from_field_i64(f.expires, now)),
                Bound::Unbounded,
            )),
        ),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Excluded(Term::from_field_i64(f.ends, now)),
                Bound::Unbounded,
            )),
        ),
    ]
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn facet_counts(facets: &tantivy::collector::FacetCounts, dimension: &str) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = facets
        .get(Facet::from_path([dimension]))
        .filter_map(|(facet, count)| {
            let value = facet.to_path().last()?.to_string();
            Some(FacetCount { value, count })
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    out
}

impl SearchIndex {
    /// Searches pages, current published entries and the exchange space's threads. What is current is judged to the minute,
    /// and the answer is kept for the same request until the index or the synonyms change
    /// (see `answers`).
    pub fn search(&self, request: &SearchRequest) -> SearchResult<SearchResults> {
        let request = SearchRequest {
            now: to_the_minute(request.now),
            offset: request.offset.min(MAX_OFFSET),
            limit: request.limit.clamp(1, MAX_LIMIT),
            ..request.clone()
        };
        let searcher = self.reader.searcher();
        let answer =
            self.searches
                .get_or_compute(self.epoch_of(&searcher), request, |request| {
                    self.search_in(&searcher, request)
                })?;
        Ok(SearchResults::clone(&answer))
    }

    fn search_in(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
    ) -> SearchResult<SearchResults> {
        let parsed = Parsed::new(&request.text, false);
        let Some(text) = text_query(&self.fields, &parsed, &self.synonyms()) else {
            return Ok(SearchResults::default());
        };
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text.box_clone())];
        clauses.extend(current_filters(self, request.now));
        if let Some(kind) = &request.kind {
            clauses.push((Occur::Must, facet_filter(f.facet, "kind", kind)));
        }
        if let Some(commune) = &request.commune {
            clauses.push((Occur::Must, facet_filter(f.facet, "commune", commune)));
        }
        if let Some(theme) = &request.theme {
            clauses.push((Occur::Must, facet_filter(f.facet, "theme", theme)));
        }
        let query = BooleanQuery::new(clauses);
        let mut facets = FacetCollector::for_field("facet");
        facets.add_facet(Facet::from_path(["kind"]));
        facets.add_facet(Facet::from_path(["commune"]));
        facets.add_facet(Facet::from_path(["theme"]));
        let top = TopDocs::with_limit(request.limit)
            .and_offset(request.offset)
            .order_by_score();
        let (top, total, facets) = searcher.search(&query, &(top, Count, facets))?;
        let generator = |field| {
            SnippetGenerator::create(searcher, &*text, field).map(|mut g| {
                g.set_max_num_chars(180);
                g
            })
        };
        let snippets = [generator(f.body)?, generator(f.body_en)?];
        let hits = top
            .into_iter()
            .map(|(_, address)| self.hit(searcher, address, &snippets))
            .collect::<SearchResult<Vec<_>>>()?;
        let suggestion = if total == 0 {
            self.suggestion(searcher, &parsed)
        } else {
            None
        };
        Ok(SearchResults {
            understood: true,
            total,
            hits,
            kinds: facet_counts(&facets, "kind"),
            communes: facet_counts(&facets, "commune"),
            themes: facet_counts(&facets, "theme"),
            suggestion,
        })
    }

    /// A few titles for the words being typed: the last word counts as a prefix.
    pub fn suggest(&self, text: &str, now: NaiveDateTime, limit: usize) -> SearchResult<Vec<Hit>> {
        let question = (text.to_owned(), to_the_minute(now), limit.clamp(1, 10));
        let searcher = self.reader.searcher();
        let answer = self.suggestions.get_or_compute(
            self.epoch_of(&searcher),
            question,
            |(text, now, limit)| self.suggest_in(&searcher, text, *now, *limit),
        )?;
        Ok(Vec::clone(&answer))
    }

    fn suggest_in(
        &self,
        searcher: &Searcher,
        text: &str,
        now: NaiveDateTime,
        limit: usize,
    ) -> SearchResult<Vec<Hit>> {
        let parsed = Parsed::new(text, !text.ends_with(char::is_whitespace));
        let Some(text) = text_query(&self.fields, &parsed, &self.synonyms()) else {
            return Ok(Vec::new());
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        clauses.extend(current_filters(self, now));
        let query = BooleanQuery::new(clauses);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        top.into_iter()
            .map(|(_, address)| self.hit(searcher, address, &[]))
            .collect()
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        snippets: &[SnippetGenerator],
    ) -> SearchResult<Hit> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        // French first, then English (a page marked as English).
        let text = text_of(&doc, f.text);
        let snippet = snippets
            .iter()
            .map(|g| g.snippet(&text))
            .find(|s| !s.is_empty())
            .map(|s| Snippet {
                fragment: s.fragment().to_owned(),
                highlighted: s.highlighted().to_vec(),
            });
        let id = doc
            .get_first(f.id)
            .and_then(|v| v.as_u64())
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or_default();
        Ok(Hit {
            kind: text_of(&doc, f.kind),
            id,
            slug: text_of(&doc, f.slug),
            title: text_of(&doc, f.title),
            commune: text_of(&doc, f.commune),
            commune_name: text_of(&doc, f.commune_name),
            place: text_of(&doc, f.place),
            summary: text_of(&doc, f.summary),
            snippet,
        })
    }

    /// The query with each word that the index does not know replaced by the closest word it
    /// does (the most frequent among the closest), if any word was replaced.
    fn suggestion(&self, searcher: &Searcher, parsed: &Parsed) -> Option<String> {
        let mut changed = false;
        let words: Vec<String> = parsed
            .words
            .iter()
            .map(|w| match self.closest_word(searcher, &w.folded) {
                Some(better) => {
                    changed = true;
                    better
                }
                None => w.folded.clone(),
            })
            .collect();
        changed.then(|| words.join(" "))
    }

    fn closest_word(&self, searcher: &Searcher, word: &str) -> Option<String> {
        let length = word.chars().count();
        if length < 3 {
            return None;
        }
        // One edit more than typo matching forgives: within that, results were found already.
        let max_distance = usize::from(crate::edit_distance_for(word)) + 1;
        let field = self.fields.words;
        let known = searcher
            .doc_freq(&Term::from_field_text(field, word))
            .unwrap_or(0);
        if known > 0 {
            return None;
        }
        // Candidates share the first letter: a typo rarely falls on it, and the term
        // dictionary can be read from there.
        let first: String = word.chars().take(1).collect();
        let mut upper = first.clone().into_bytes();
        if let Some(last) = upper.last_mut() {
            *last = last.saturating_add(1);
        }
        let mut best: Option<(usize, u64, String)> = None;
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted
                .terms()
                .range()
                .ge(first.as_bytes())
                .lt(&upper)
                .into_stream()
            else {
                continue;
            };
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let candidate_len = candidate.chars().count();
                if candidate_len.abs_diff(length) > max_distance {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(word, candidate);
                if distance == 0 || distance > max_distance {
                    continue;
                }
                let freq = u64::from(stream.value().doc_freq);
                let better = match &best {
                    None => true,
                    Some((d, f, _)) => distance < *d || (distance == *d && freq > *f),
                };
                if better {
                    best = Some((distance, freq, candidate.to_owned()));
                }
            }
        }
        best.map(|(_, _, w)| w)
    }
}
