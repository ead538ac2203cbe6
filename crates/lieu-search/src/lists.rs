//! The directory's public lists, served from the index: filters are term and range queries,
//! the order is a sortable fast field, and the count comes from the same pass. A deep page
//! costs what the first costs: the work grows with the entries that match, not with the page
//! number.

use crate::docs::{day_number, seconds};
use crate::list_page::{self, Matches};
use crate::{SearchError, SearchIndex, SearchResult};
use chrono::{NaiveDateTime, TimeDelta};
use lieu_core::entry::list::{ListQuery, to_the_minute};
use lieu_core::entry::{Kind, Status, utc_to_paris};
use std::ops::Bound;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Order, Searcher, Term};

fn term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The question a list's kept answer is filed under: its filters, with what is current judged
/// to the minute and no page. `Unsupported` for lists the index does not hold (archives).
fn whole_list_question(q: &ListQuery) -> SearchResult<ListQuery> {
    if q.status != Status::Published {
        return Err(SearchError::Unsupported);
    }
    Ok(ListQuery {
        now: to_the_minute(q.now),
        limit: 0,
        offset: 0,
        ..q.clone()
    })
}

impl SearchIndex {
    /// What is current among the entries of `kind` at `now`: offers not expired, events not
    /// over. Services and associations never end (their form has no such date), so they need
    /// no filter: each range here scans the whole column, 4 ms for the five counts of the
    /// directory home at 100,000 entries once some offers have expired.
    fn current_filter(&self, kind: Kind, now: NaiveDateTime) -> Option<Box<dyn Query>> {
        let field = match kind {
            Kind::Job | Kind::Housing => self.fields.expires,
            Kind::Event => self.fields.ends,
            Kind::Service | Kind::Association => return None,
        };
        Some(Box::new(RangeQuery::new(
            Bound::Excluded(Term::from_field_i64(field, seconds(now))),
            Bound::Unbounded,
        )))
    }

    pub(crate) fn list_query(&self, q: &ListQuery) -> SearchResult<BooleanQuery> {
        if q.status != Status::Published {
            return Err(SearchError::Unsupported);
        }
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, term(f.kind, q.kind.as_str()))];
        if !q.include_ended
            && let Some(current) = self.current_filter(q.kind, q.now)
        {
            clauses.push((Occur::Must, current));
        }
        if let Some(commune) = &q.commune {
            clauses.push((Occur::Must, term(f.commune, commune)));
        }
        for (facet, value) in &q.tags {
            clauses.push((Occur::Must, term(f.tag, &format!("{facet}={value}"))));
        }
        if let Some(subtype) = &q.subtype {
            clauses.push((Occur::Must, term(f.tag, &format!("subtype={subtype}"))));
        }
        if let Some(max) = q.max_amount {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(f.amount, i64::from(max))),
                )),
            ));
        }
        if let Some(period) = q.period {
            // Periods are whole days in Paris, and the index knows the Paris days each
            // occurrence touches.
            let first = utc_to_paris(period.from).date();
            let last = utc_to_paris(period.to - TimeDelta::seconds(1)).date();
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.day, day_number(first))),
                    Bound::Included(Term::from_field_i64(f.day, day_number(last))),
                )),
            ));
        }
        Ok(BooleanQuery::new(clauses))
    }

    /// One page of a public list (published entries; current ones unless the query includes
    /// ended offers and past events): the ids in the list's order, and how many entries match
    /// in all. `Unsupported` for archived entries, which only the database holds.
    ///
    /// The whole list is put in order once and kept, for the same filters, until the index
    /// changes (see `answers`): every page of it, the first or the thousandth, is then a slice.
    /// What is current is judged to the minute.
    pub fn list(&self, q: &ListQuery) -> SearchResult<(Vec<i32>, usize)> {
        let whole = whole_list_question(q)?;
        let searcher = self.reader.searcher();
        let answer = self
            .lists
            .get_or_compute(self.epoch_of(&searcher), whole, |q| {
                self.whole_list(&searcher, q)
            })?;
        let (ids, total) = &*answer;
        let limit = usize::try_from(q.limit).unwrap_or(0).clamp(1, 1_000);
        let offset = usize::try_from(q.offset).unwrap_or(0);
        let page = ids.iter().skip(offset).take(limit).copied().collect();
        Ok((page, *total))
    }

    /// Every entry of a list, in its order, and how many match.
    fn whole_list(&self, searcher: &Searcher, q: &ListQuery) -> SearchResult<(Vec<i32>, usize)> {
        let query = self.list_query(q)?;
        let order = match q.kind {
            Kind::Job | Kind::Housing => Order::Desc,
            Kind::Service | Kind::Association | Kind::Event => Order::Asc,
        };
        let matches = searcher.search(&query, &Matches { field: "rank" })?;
        let (found, total) = list_page::page(matches, order, 0, usize::MAX)?;
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("id"))
            .collect::<Result<Vec<_>, _>>()?;
        let mut ids = Vec::with_capacity(found.len());
        for address in found {
            let column = usize::try_from(address.segment_ord)
                .ok()
                .and_then(|s| columns.get(s));
            if let Some(id) = column.and_then(|c| c.first(address.doc_id))
                && let Ok(id) = i32::try_from(id)
            {
                ids.push(id);
            }
        }
        Ok((ids, total))
    }

    /// How many entries a public list holds (judged and kept as [`SearchIndex::list`]'s).
    pub fn count(&self, q: &ListQuery) -> SearchResult<usize> {
        let q = whole_list_question(q)?;
        let searcher = self.reader.searcher();
        let answer = self
            .counts
            .get_or_compute(self.epoch_of(&searcher), q, |q| {
                Ok(searcher.search(&self.list_query(q)?, &Count)?)
            })?;
        Ok(*answer)
    }

    /// How many published, current entries of each kind (the directory home).
    pub fn counts(&self, now: NaiveDateTime) -> SearchResult<Vec<(Kind, usize)>> {
        Kind::ALL
            .into_iter()
            .map(|kind| Ok((kind, self.count(&ListQuery::current(kind, now))?)))
            .collect()
    }
}
