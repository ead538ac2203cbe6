//! One page of a list in the order of the `rank` fast field, at a cost that does not grow with
//! the page number.
//!
//! tantivy's `TopDocs::order_by_string_fast_field` keeps the first `offset + limit` documents
//! of each segment and reads each one's rank back as text from the segment's dictionary (one
//! block decoded per document) to merge the segments: the last page of 20,000 services cost
//! 30 to 90 ms. Here every segment sorts its matching documents by the ordinal of their rank,
//! which orders them within the segment without any text. Only the documents outside the
//! largest segment (recent changes, in small segments until they are merged) are read as
//! text, and placed among the largest segment's by looking their rank up in its dictionary.

use crate::SearchResult;
use std::cmp::Ordering;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{StrColumn, TermOrdHit};
use tantivy::{DocAddress, DocId, Order, Score, SegmentReader};

/// A segment's documents that match, each with the ordinal of its rank in the segment's
/// dictionary.
pub(crate) struct SegmentMatches {
    segment_ord: u32,
    ranks: Option<StrColumn>,
    /// (rank ordinal, document), in the order of the documents.
    found: Vec<(u64, DocId)>,
    /// Documents without a rank (none are indexed so): counted, never listed.
    unranked: usize,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = SegmentMatches;

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.ranks.as_ref().and_then(|r| r.ords().first(doc)) {
            Some(ord) => self.found.push((ord, doc)),
            None => self.unranked += 1,
        }
    }

    fn harvest(self) -> SegmentMatches {
        self
    }
}

/// Collects every matching document of every segment, with its rank ordinal.
pub(crate) struct Matches {
    pub field: &'static str,
}

impl Collector for Matches {
    type Fruit = Vec<SegmentMatches>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment_ord: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment_ord,
            ranks: segment.fast_fields().str(self.field)?,
            found: Vec::new(),
            unranked: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentMatches>) -> tantivy::Result<Vec<SegmentMatches>> {
        Ok(segments)
    }
}

fn missing_rank() -> std::io::Error {
    std::io::Error::other("a rank is missing from its segment's dictionary")
}

type Found = (u64, DocId);

fn comparator(order: Order) -> fn(&Found, &Found) -> Ordering {
    match order {
        Order::Asc => |a, b| a.cmp(b),
        Order::Desc => |a, b| b.cmp(a),
    }
}

/// Moves the first `k` of `found` in the list's order to its front, before the others (in no
/// order): linear, where sorting everything was most of a list's cost.
fn first(found: &mut [Found], k: usize, order: Order) -> &mut [Found] {
    if k < found.len() {
        found.select_nth_unstable_by(k, comparator(order));
    }
    let k = k.min(found.len());
    &mut found[..k]
}

/// The documents at `offset..offset + limit` of the list, and how many match in all.
pub(crate) fn page(
    mut segments: Vec<SegmentMatches>,
    order: Order,
    offset: usize,
    limit: usize,
) -> SearchResult<(Vec<DocAddress>, usize)> {
    let total = segments.iter().map(|s| s.found.len() + s.unranked).sum();
    let Some(largest) = (0..segments.len()).max_by_key(|&i| segments[i].found.len()) else {
        return Ok((Vec::new(), total));
    };
    let mut big = segments.swap_remove(largest);
    let cmp = comparator(order);

    // The other segments' documents with their ranks as text, in the list's order. A
    // document is at least as far down the whole list as it is among them: those past the
    // page are left unread.
    let needed = offset.saturating_add(limit);
    let mut others: Vec<(Vec<u8>, DocAddress)> = Vec::new();
    for segment in &mut segments {
        let Some(ranks) = &segment.ranks else {
            continue;
        };
        let found = first(&mut segment.found, needed, order);
        // The dictionary reads ordinals in increasing order.
        found.sort_unstable();
        let ords: Vec<u64> = found.iter().map(|&(ord, _)| ord).collect();
        let mut texts = Vec::with_capacity(ords.len());
        let complete = ranks
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |text| texts.push(text.to_vec()))?;
        if !complete || texts.len() != found.len() {
            return Err(missing_rank().into());
        }
        let segment_ord = segment.segment_ord;
        others.extend(
            texts
                .into_iter()
                .zip(found.iter())
                .map(|(text, &(_, doc_id))| {
                    (
                        text,
                        DocAddress {
                            segment_ord,
                            doc_id,
                        },
                    )
                }),
        );
    }
    match order {
        Order::Asc => others.sort_unstable(),
        Order::Desc => others.sort_unstable_by(|a, b| b.cmp(a)),
    }
    others.truncate(needed);

    // The largest segment's first `needed` documents, in no order yet.
    let len = big.found.len();
    let head = first(&mut big.found, needed, order);

    // Where each of the others falls in the whole list: its place among them plus how many of
    // the largest segment's documents come before it, which its rank's ordinal in that
    // segment's dictionary tells. Counted in `head` only: a document after all of `head` is
    // past the page anyway, unless `head` is the whole segment.
    let mut places = Vec::with_capacity(others.len());
    if let Some(ranks) = &big.ranks {
        let mut ords = Vec::with_capacity(others.len());
        for (text, _) in &others {
            ords.push(match ranks.dictionary().term_ord_or_next(text)? {
                TermOrdHit::Exact(ord) | TermOrdHit::Next(ord) => ord,
            });
        }
        // before[j]: the documents of `head` that come before the j-th other and after the
        // one ahead of it.
        let mut before = vec![0usize; ords.len() + 1];
        for &(ord, _) in head.iter() {
            let j = match order {
                Order::Asc => ords.partition_point(|&o| o <= ord),
                Order::Desc => ords.partition_point(|&o| o > ord),
            };
            before[j] += 1;
        }
        let mut ahead = 0;
        for (k, n) in before.iter().take(ords.len()).enumerate() {
            ahead += n;
            places.push(k + ahead);
        }
    } else {
        places.extend(0..others.len());
    }

    // The page: the places from `offset`, each taken by one of the others or by the next
    // document of the largest segment. Those of the largest segment it needs are sorted.
    let end = needed.min(len + others.len());
    let mut k = places.partition_point(|&p| p < offset);
    let from = offset.saturating_sub(k).min(head.len());
    if 0 < from && from < head.len() {
        head.select_nth_unstable_by(from, cmp);
    }
    let window = &mut head[from..];
    let shown = end.saturating_sub(offset);
    let window = first(window, shown, order);
    window.sort_unstable_by(cmp);
    let mut page = Vec::with_capacity(shown);
    for place in offset..end {
        if places.get(k) == Some(&place) {
            page.push(others[k].1);
            k += 1;
        } else {
            let Some(&(_, doc_id)) = window.get(place - k - from) else {
                return Err(missing_rank().into());
            };
            page.push(DocAddress {
                segment_ord: big.segment_ord,
                doc_id,
            });
        }
    }
    Ok((page, total))
}

#[cfg(test)]
mod tests {
    use crate::SearchIndex;
    use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
    use lieu_core::entry::list::ListQuery;
    use lieu_core::entry::{EntryForm, Kind};
    use lieu_store::Store;
    use lieu_store::directory::{self, EntrySave};
    use lieu_store::wiki::Author;
    use tantivy::Order;
    use tantivy::collector::{Count, TopDocs};

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("date")
    }

    /// Titles that do not come in alphabetical order, so that later entries fall between
    /// earlier ones.
    fn form(kind: Kind, n: usize) -> EntryForm {
        let words = [
            "Relais", "Atelier", "Maison", "Café", "Espace", "Bureau", "Point",
        ];
        let mut f = EntryForm {
            title: format!("{} {}", words[n * 5 % words.len()], n * 7919 % 1000),
            commune: "79901".into(),
            summary: "Une fiche pour les essais.".into(),
            ..EntryForm::default()
        };
        match kind {
            Kind::Service => {
                f.themes = vec![lieu_core::entry::vocab_sample::theme(n % 69).to_owned()];
                f.fees = "gratuit".into();
            }
            _ => {
                f.employer = format!("Employeur {n}");
                f.contract = "cdd".into();
                f.how_to_apply = "CV par courriel.".into();
                f.expires_on = "2026-06-01".into();
            }
        }
        f
    }

    /// Creates an entry written `n` minutes around `now` (jobs are listed by that date).
    fn add(store: &Store, kind: Kind, n: usize) -> i32 {
        let minutes = i64::try_from(n * 37 % 300).expect("small");
        let at = now() - TimeDelta::minutes(minutes);
        store
            .write(|c| {
                let valid = directory::validate(c, kind, &form(kind, n), at.date())?
                    .map_err(lieu_store::StoreError::Invalid)?;
                directory::create_entry(c, &valid, &Author::system("Essai"), "Création", at)
            })
            .expect("entry")
            .id
    }

    fn rename(store: &Store, id: i32, kind: Kind, n: usize) {
        let saved = store
            .write(|c| {
                let valid = directory::validate(c, kind, &form(kind, n), now().date())?
                    .map_err(lieu_store::StoreError::Invalid)?;
                directory::update_entry(c, id, 1, &valid, &Author::system("Essai"), "Modif", now())
            })
            .expect("edit");
        assert!(matches!(saved, EntrySave::Saved(_)));
    }

    /// The page as tantivy's own collector sorts it.
    fn by_top_docs(index: &SearchIndex, q: &ListQuery, order: Order) -> (Vec<i32>, usize) {
        let query = index.list_query(q).expect("query");
        let searcher = index.reader.searcher();
        let top = TopDocs::with_limit(usize::try_from(q.limit).expect("limit"))
            .and_offset(usize::try_from(q.offset).expect("offset"))
            .order_by_string_fast_field("rank", order);
        let (top, total) = searcher.search(&query, &(top, Count)).expect("search");
        let ids = top
            .into_iter()
            .filter_map(|(_, a)| {
                let ids = searcher
                    .segment_reader(a.segment_ord)
                    .fast_fields()
                    .u64("id");
                ids.ok()?.first(a.doc_id)
            })
            .map(|id| i32::try_from(id).expect("id"))
            .collect();
        (ids, total)
    }

    #[test]
    fn every_page_of_a_list_spread_over_segments_is_the_page_tantivy_sorts() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
        let store = Store::open(&url, 2).expect("store");
        lieu_store::content::import_territory(
            &store,
            include_str!("../../../wiki-content/territory.toml"),
        )
        .expect("territory");
        let mut ids = Vec::new();
        for n in 0..40 {
            ids.push((add(&store, Kind::Service, n), Kind::Service, n));
            ids.push((add(&store, Kind::Job, n), Kind::Job, n));
        }
        let index = SearchIndex::in_memory(&store).expect("index");
        // Later changes land in small segments of their own; edits also delete documents
        // of the first one.
        for batch in 0..4 {
            for n in (40 + batch * 4)..(44 + batch * 4) {
                add(&store, Kind::Service, n);
                add(&store, Kind::Job, n);
            }
            index.drain(&store).expect("drain");
        }
        for (i, &(id, kind, n)) in ids.iter().step_by(7).enumerate() {
            rename(&store, id, kind, n + 500);
            if i % 4 == 3 {
                index.drain(&store).expect("drain");
            }
        }
        index.drain(&store).expect("drain");
        assert!(index.reader.searcher().segment_readers().len() > 1);

        for (kind, order) in [(Kind::Service, Order::Asc), (Kind::Job, Order::Desc)] {
            let total = index
                .count(&ListQuery::current(kind, now()))
                .expect("count");
            assert_eq!(total, 56);
            for limit in [1, 7, 20] {
                for offset in 0..=total + 2 {
                    let q = ListQuery {
                        limit,
                        offset: i64::try_from(offset).expect("offset"),
                        ..ListQuery::current(kind, now())
                    };
                    assert_eq!(
                        index.list(&q).expect("list"),
                        by_top_docs(&index, &q, order),
                        "{kind:?}, offset {offset}, limit {limit}"
                    );
                }
            }
        }
    }
}
