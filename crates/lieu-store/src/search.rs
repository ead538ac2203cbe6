//! What the search index is derived from: the outbox of changes it has to apply, the documents
//! it indexes (read in batches for a full rebuild), the synonyms agents edit, and the searches
//! that found nothing. The index itself lives in `lieu-search`; the database stays the only
//! source of truth.

use crate::DbConn;
use crate::error::{StoreError, StoreResult};
use crate::models::audit_log;
use crate::models::entries::Entry;
use crate::schema::{communes, entries, entry_occurrences, entry_tags, pages};
use crate::schema::{exchange_categories as ec, exchange_posts as ep, exchange_threads as et};
use crate::schema::{index_outbox as ob, search_misses as sm, synonyms as sy};
use crate::wiki::Author;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use lieu_core::Invalid;
use lieu_core::entry::Status;
use lieu_core::exchange::{PostState, Subject};
use lieu_core::search::{join_synonyms, parse_synonyms};
use std::collections::HashMap;

/// What an outbox row asks the index to refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Page(i32),
    Entry(i32),
    /// A thread of the exchange space (its posts are indexed with it).
    Thread(i32),
    /// The synonyms changed: every process reloads them.
    Synonyms,
}

impl Source {
    fn parts(self) -> (&'static str, i32) {
        match self {
            Source::Page(id) => ("page", id),
            Source::Entry(id) => ("entry", id),
            Source::Thread(id) => ("thread", id),
            Source::Synonyms => ("synonyms", 0),
        }
    }

    fn parse(source: &str, id: i32) -> Option<Source> {
        match source {
            "page" => Some(Source::Page(id)),
            "entry" => Some(Source::Entry(id)),
            "thread" => Some(Source::Thread(id)),
            "synonyms" => Some(Source::Synonyms),
            _ => None,
        }
    }
}

/// Records, in the caller's transaction, that the index must refresh `source`.
pub fn enqueue(conn: &mut DbConn, source: Source) -> QueryResult<()> {
    let (name, id) = source.parts();
    diesel::insert_into(ob::table)
        .values((
            ob::source.eq(name),
            ob::source_id.eq(id),
            ob::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Asks the index to refresh every visible thread of `subject`: their documents name where
/// they live ("Dans : …"), and the category, page or entry was renamed. One statement,
/// however many threads.
pub fn enqueue_threads_of(conn: &mut DbConn, subject: Subject) -> QueryResult<usize> {
    use diesel::sql_types::{Text, Timestamp};
    let (name, _) = Source::Thread(0).parts();
    let rows = et::table
        .filter(et::subject_kind.eq(subject.kind()))
        .filter(et::subject_id.eq(subject.id()))
        .filter(et::state.eq(PostState::Visible.as_str()))
        .select((
            name.into_sql::<Text>(),
            et::id,
            crate::now().into_sql::<Timestamp>(),
        ));
    diesel::insert_into(ob::table)
        .values(rows)
        .into_columns((ob::source, ob::source_id, ob::created_at))
        .execute(conn)
}

/// One change waiting in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i32,
    pub source: Option<Source>,
    pub created_at: NaiveDateTime,
}

/// The outbox rows after `after`, oldest first, at most `limit`.
pub fn outbox_after(conn: &mut DbConn, after: i32, limit: i64) -> StoreResult<Vec<OutboxRow>> {
    let rows: Vec<(i32, String, i32, NaiveDateTime)> = ob::table
        .filter(ob::id.gt(after))
        .order(ob::id.asc())
        .limit(limit)
        .select((ob::id, ob::source, ob::source_id, ob::created_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, source, source_id, created_at)| OutboxRow {
            id,
            source: Source::parse(&source, source_id),
            created_at,
        })
        .collect())
}

/// How many outbox rows come after `after`.
pub fn outbox_pending(conn: &mut DbConn, after: i32) -> StoreResult<i64> {
    Ok(ob::table
        .filter(ob::id.gt(after))
        .count()
        .get_result(conn)?)
}

/// The newest outbox row's id (0 when empty): a rebuilt index has applied everything up to it.
pub fn outbox_last(conn: &mut DbConn) -> StoreResult<i32> {
    let last: Option<i32> = ob::table.select(diesel::dsl::max(ob::id)).first(conn)?;
    Ok(last.unwrap_or(0))
}

/// Deletes the outbox rows written before `before`, which every index has applied long ago.
/// The newest row is always kept, so that ids keep growing on SQLite.
pub fn prune_outbox(conn: &mut DbConn, before: NaiveDateTime) -> StoreResult<usize> {
    let last = outbox_last(conn)?;
    Ok(diesel::delete(
        ob::table
            .filter(ob::created_at.lt(before))
            .filter(ob::id.lt(last)),
    )
    .execute(conn)?)
}

/// A wiki page as the index reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDoc {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub title_sort: String,
    pub headings: Vec<String>,
    pub text: String,
    pub updated_at: NaiveDateTime,
    /// `fr` or `en`.
    pub lang: String,
}

type PageRow = (
    i32,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    String,
);

fn page_doc_of(row: PageRow) -> PageDoc {
    let (id, slug, title, title_sort, toc_json, text, updated_at, lang) = row;
    let headings = serde_json::from_str::<Vec<lieu_markdown::TocEntry>>(&toc_json)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.text)
        .collect();
    PageDoc {
        id,
        slug,
        title,
        title_sort,
        headings,
        text,
        updated_at,
        lang,
    }
}

macro_rules! page_columns {
    () => {
        (
            pages::id,
            pages::slug,
            pages::title,
            pages::title_sort,
            pages::toc_json,
            pages::plain_text,
            pages::updated_at,
            pages::lang,
        )
    };
}

/// The page `id` as the index reads it; `None` if there is no such page.
pub fn page_doc(conn: &mut DbConn, id: i32) -> StoreResult<Option<PageDoc>> {
    let row: Option<PageRow> = pages::table
        .find(id)
        .select(page_columns!())
        .first(conn)
        .optional()?;
    Ok(row.map(page_doc_of))
}

/// Pages after `after_id`, by id, at most `limit` (a rebuild reads them in batches).
pub fn page_docs_after(conn: &mut DbConn, after_id: i32, limit: i64) -> StoreResult<Vec<PageDoc>> {
    let rows: Vec<PageRow> = pages::table
        .filter(pages::id.gt(after_id))
        .order(pages::id.asc())
        .limit(limit)
        .select(page_columns!())
        .load(conn)?;
    Ok(rows.into_iter().map(page_doc_of).collect())
}

/// A published entry as the index reads it.
#[derive(Debug, Clone)]
pub struct EntryDoc {
    pub entry: Entry,
    pub title_sort: String,
    pub commune_name: String,
    /// (facet, value): category, theme, theme_group, public, fees.
    pub tags: Vec<(String, String)>,
    /// Events: every occurrence (start, end), in UTC.
    pub occurrences: Vec<(NaiveDateTime, NaiveDateTime)>,
}

fn entry_docs(conn: &mut DbConn, rows: Vec<(Entry, String)>) -> StoreResult<Vec<EntryDoc>> {
    let ids: Vec<i32> = rows.iter().map(|(e, _)| e.id).collect();
    let mut tags: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    for (id, facet, value) in entry_tags::table
        .filter(entry_tags::entry_id.eq_any(&ids))
        .select((entry_tags::entry_id, entry_tags::facet, entry_tags::value))
        .load::<(i32, String, String)>(conn)?
    {
        tags.entry(id).or_default().push((facet, value));
    }
    let mut occurrences: HashMap<i32, Vec<(NaiveDateTime, NaiveDateTime)>> = HashMap::new();
    for (id, start, end) in entry_occurrences::table
        .filter(entry_occurrences::entry_id.eq_any(&ids))
        .select((
            entry_occurrences::entry_id,
            entry_occurrences::starts_at,
            entry_occurrences::ends_at,
        ))
        .load::<(i32, NaiveDateTime, NaiveDateTime)>(conn)?
    {
        occurrences.entry(id).or_default().push((start, end));
    }
    let names: HashMap<String, String> = communes::table
        .select((communes::insee, communes::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|(entry, title_sort)| EntryDoc {
            commune_name: names.get(&entry.commune_insee).cloned().unwrap_or_default(),
            tags: tags.remove(&entry.id).unwrap_or_default(),
            occurrences: occurrences.remove(&entry.id).unwrap_or_default(),
            title_sort,
            entry,
        })
        .collect())
}

/// The entry `id` as the index reads it; `None` if it does not exist or is not published
/// (archived entries leave the index).
pub fn entry_doc(conn: &mut DbConn, id: i32) -> StoreResult<Option<EntryDoc>> {
    let row: Option<(Entry, String)> = entries::table
        .find(id)
        .filter(entries::status.eq(Status::Published.as_str()))
        .select((Entry::as_select(), entries::title_sort))
        .first(conn)
        .optional()?;
    Ok(entry_docs(conn, row.into_iter().collect())?.pop())
}

/// The published entries among `ids` (the others are not in the index).
pub fn entry_docs_by_ids(conn: &mut DbConn, ids: &[i32]) -> StoreResult<Vec<EntryDoc>> {
    let rows: Vec<(Entry, String)> = entries::table
        .filter(entries::id.eq_any(ids))
        .filter(entries::status.eq(Status::Published.as_str()))
        .select((Entry::as_select(), entries::title_sort))
        .load(conn)?;
    entry_docs(conn, rows)
}

/// The pages among `ids`.
pub fn page_docs_by_ids(conn: &mut DbConn, ids: &[i32]) -> StoreResult<Vec<PageDoc>> {
    let rows: Vec<PageRow> = pages::table
        .filter(pages::id.eq_any(ids))
        .select(page_columns!())
        .load(conn)?;
    Ok(rows.into_iter().map(page_doc_of).collect())
}

/// Published entries after `after_id`, by id, at most `limit`.
pub fn entry_docs_after(
    conn: &mut DbConn,
    after_id: i32,
    limit: i64,
) -> StoreResult<Vec<EntryDoc>> {
    let rows: Vec<(Entry, String)> = entries::table
        .filter(entries::id.gt(after_id))
        .filter(entries::status.eq(Status::Published.as_str()))
        .order(entries::id.asc())
        .limit(limit)
        .select((Entry::as_select(), entries::title_sort))
        .load(conn)?;
    entry_docs(conn, rows)
}

/// How many pages, published entries and searchable threads a rebuild will read (for its
/// progress bar).
pub fn document_count(conn: &mut DbConn) -> StoreResult<i64> {
    let pages: i64 = pages::table.count().get_result(conn)?;
    let entries: i64 = entries::table
        .filter(entries::status.eq(Status::Published.as_str()))
        .count()
        .get_result(conn)?;
    let threads: i64 = searchable_threads().count().get_result(conn)?;
    Ok(pages + entries + threads)
}

/// The most visible posts of a thread read into its document.
pub const THREAD_DOC_POSTS: i64 = 50;
/// The most characters of posts a thread's document holds.
pub const THREAD_DOC_CHARS: usize = 20_000;

/// A thread of the exchange space as the index reads it: only its visible posts, so that a
/// held, hidden or erased post is never found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadDoc {
    pub id: i32,
    pub title: String,
    /// Where the thread lives: its category's name, or the title of the page or entry whose
    /// discussion it is.
    pub place: String,
    /// The visible posts' text: the first post, the chosen answer, then the replies, bounded
    /// by [`THREAD_DOC_POSTS`] and [`THREAD_DOC_CHARS`].
    pub text: String,
    pub answered: bool,
    pub created_at: NaiveDateTime,
    pub last_post_at: NaiveDateTime,
}

impl ThreadDoc {
    /// The thread's address on the site.
    pub fn path(&self) -> String {
        format!("/echanges/sujet/{}", self.id)
    }
}

/// The threads the index holds: visible ones, outside the workshops' practice spaces.
fn searchable_threads() -> et::BoxedQuery<'static, crate::conn::MultiBackend> {
    et::table
        .filter(et::state.eq(PostState::Visible.as_str()))
        .filter(et::subject_kind.ne("workshop"))
        .into_boxed()
}

type ThreadRow = (
    i32,
    String,
    String,
    i32,
    Option<i32>,
    NaiveDateTime,
    NaiveDateTime,
);

macro_rules! thread_columns {
    () => {
        (
            et::id,
            et::title,
            et::subject_kind,
            et::subject_id,
            et::answer_post_id,
            et::created_at,
            et::last_post_at,
        )
    };
}

/// Appends `text` to `out` as one more paragraph, within [`THREAD_DOC_CHARS`]; false once
/// the bound is reached.
fn push_bounded(out: &mut String, used: &mut usize, text: &str) -> bool {
    if *used >= THREAD_DOC_CHARS {
        return false;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let room = THREAD_DOC_CHARS - *used;
    let taken: String = text.chars().take(room).collect();
    *used += taken.chars().count();
    out.push_str(&taken);
    *used < THREAD_DOC_CHARS
}

fn thread_docs(conn: &mut DbConn, rows: Vec<ThreadRow>) -> StoreResult<Vec<ThreadDoc>> {
    let ids_of =
        |kind: &str| -> Vec<i32> { rows.iter().filter(|r| r.2 == kind).map(|r| r.3).collect() };
    let (category_ids, page_ids, entry_ids) = (ids_of("category"), ids_of("page"), ids_of("entry"));
    let mut places: HashMap<(&'static str, i32), String> = HashMap::new();
    if !category_ids.is_empty() {
        for (id, name) in ec::table
            .filter(ec::id.eq_any(&category_ids))
            .select((ec::id, ec::name))
            .load::<(i32, String)>(conn)?
        {
            places.insert(("category", id), name);
        }
    }
    if !page_ids.is_empty() {
        for (id, title) in pages::table
            .filter(pages::id.eq_any(&page_ids))
            .select((pages::id, pages::title))
            .load::<(i32, String)>(conn)?
        {
            places.insert(("page", id), title);
        }
    }
    if !entry_ids.is_empty() {
        for (id, title) in entries::table
            .filter(entries::id.eq_any(&entry_ids))
            .select((entries::id, entries::title))
            .load::<(i32, String)>(conn)?
        {
            places.insert(("entry", id), title);
        }
    }
    let mut docs = Vec::with_capacity(rows.len());
    for (id, title, subject_kind, subject_id, answer, created_at, last_post_at) in rows {
        let place = match Subject::from_parts(&subject_kind, subject_id) {
            Some(subject) => places
                .get(&(subject.kind(), subject_id))
                .cloned()
                .unwrap_or_default(),
            None => String::new(),
        };
        // One indexed range of the thread's posts, bounded: a thread of 5,000 posts costs
        // what one of fifty costs.
        let visible = || {
            ep::table
                .filter(ep::thread_id.eq(id))
                .filter(ep::state.eq(PostState::Visible.as_str()))
        };
        let posts: Vec<(i32, String)> = visible()
            .order(ep::id.asc())
            .limit(THREAD_DOC_POSTS)
            .select((ep::id, ep::plain_text))
            .load(conn)?;
        let answer_text: Option<String> = match answer {
            Some(answer) => visible()
                .filter(ep::id.eq(answer))
                .select(ep::plain_text)
                .first(conn)
                .optional()?,
            None => None,
        };
        let mut text = String::new();
        let mut used = 0;
        let mut posts = posts.into_iter();
        if let Some((_, first)) = posts.next() {
            push_bounded(&mut text, &mut used, &first);
        }
        if let Some(answer_text) = &answer_text {
            push_bounded(&mut text, &mut used, answer_text);
        }
        for (post_id, body) in posts {
            if Some(post_id) == answer {
                continue;
            }
            if !push_bounded(&mut text, &mut used, &body) {
                break;
            }
        }
        docs.push(ThreadDoc {
            id,
            title,
            place,
            text,
            answered: answer_text.is_some(),
            created_at,
            last_post_at,
        });
    }
    Ok(docs)
}

/// The searchable threads among `ids` (the others are not in the index: held, hidden,
/// erased, or in a workshop's practice space).
pub fn thread_docs_by_ids(conn: &mut DbConn, ids: &[i32]) -> StoreResult<Vec<ThreadDoc>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<ThreadRow> = searchable_threads()
        .filter(et::id.eq_any(ids))
        .select(thread_columns!())
        .load(conn)?;
    thread_docs(conn, rows)
}

/// Searchable threads after `after_id`, by id, at most `limit` (a rebuild reads them in
/// batches).
pub fn thread_docs_after(
    conn: &mut DbConn,
    after_id: i32,
    limit: i64,
) -> StoreResult<Vec<ThreadDoc>> {
    let rows: Vec<ThreadRow> = searchable_threads()
        .filter(et::id.gt(after_id))
        .order(et::id.asc())
        .limit(limit)
        .select(thread_columns!())
        .load(conn)?;
    thread_docs(conn, rows)
}

/// The entries of `ids`, in that order (a list page found by the index); ids no longer in the
/// database are left out.
pub fn entries_by_ids(conn: &mut DbConn, ids: &[i32]) -> StoreResult<Vec<Entry>> {
    let mut found: HashMap<i32, Entry> = entries::table
        .filter(entries::id.eq_any(ids))
        .select(Entry::as_select())
        .load::<Entry>(conn)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// One group of synonyms: phrases that mean the same to a resident.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sy)]
pub struct SynonymGroup {
    pub id: i32,
    /// Phrases separated by commas, as the agent typed them.
    pub terms: String,
    pub updated_at: NaiveDateTime,
}

/// Every group of synonyms, oldest first.
pub fn synonyms(conn: &mut DbConn) -> StoreResult<Vec<SynonymGroup>> {
    Ok(sy::table
        .order(sy::id.asc())
        .select(SynonymGroup::as_select())
        .load(conn)?)
}

/// Adds a group of synonyms (already checked by `lieu_core::search::SynonymDraft`).
pub fn add_synonyms(
    conn: &mut DbConn,
    terms: &str,
    author: &Author,
    now: NaiveDateTime,
) -> StoreResult<SynonymGroup> {
    diesel::insert_into(sy::table)
        .values((sy::terms.eq(terms), sy::updated_at.eq(now)))
        .execute(conn)?;
    // Writes are serialized on SQLite and this transaction sees its own row on PostgreSQL:
    // the newest group with these terms is the one just added.
    let group = sy::table
        .filter(sy::terms.eq(terms))
        .order(sy::id.desc())
        .select(SynonymGroup::as_select())
        .first(conn)?;
    enqueue(conn, Source::Synonyms)?;
    audit_log::record(
        conn,
        author.id,
        "synonyms.add",
        &group.id.to_string(),
        terms,
    )?;
    Ok(group)
}

/// Replaces the phrases of group `id`.
pub fn update_synonyms(
    conn: &mut DbConn,
    id: i32,
    terms: &str,
    author: &Author,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let changed = diesel::update(sy::table.find(id))
        .set((sy::terms.eq(terms), sy::updated_at.eq(now)))
        .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    enqueue(conn, Source::Synonyms)?;
    audit_log::record(conn, author.id, "synonyms.edit", &id.to_string(), terms)?;
    Ok(())
}

/// Deletes group `id`.
pub fn delete_synonyms(conn: &mut DbConn, id: i32, author: &Author) -> StoreResult<()> {
    let terms: Option<String> = sy::table
        .find(id)
        .select(sy::terms)
        .first(conn)
        .optional()?;
    let Some(terms) = terms else {
        return Err(StoreError::NotFound);
    };
    diesel::delete(sy::table.find(id)).execute(conn)?;
    enqueue(conn, Source::Synonyms)?;
    audit_log::record(conn, author.id, "synonyms.delete", &id.to_string(), &terms)?;
    Ok(())
}

/// Counts one search that found nothing. `query` is already normalized (no personal data is
/// recorded beyond the text itself: no address, no account, no time of day).
pub fn record_miss(conn: &mut DbConn, query: &str, day: NaiveDate) -> StoreResult<()> {
    let day = day.format("%Y-%m-%d").to_string();
    let updated = diesel::update(sm::table.find((query, &day)))
        .set(sm::hits.eq(sm::hits + 1))
        .execute(conn)?;
    if updated > 0 {
        return Ok(());
    }
    // A savepoint: on PostgreSQL a concurrent first miss of the same text wins the insert, and
    // this one then counts on its row.
    let inserted = conn.transaction(|c| {
        diesel::insert_into(sm::table)
            .values((sm::query.eq(query), sm::day.eq(&day), sm::hits.eq(1)))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if crate::error::is_unique_violation(&e) => {
            diesel::update(sm::table.find((query, &day)))
                .set(sm::hits.eq(sm::hits + 1))
                .execute(conn)?;
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(QueryableByName)]
struct MissTotal {
    #[diesel(sql_type = diesel::sql_types::Text)]
    query: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    hits: i64,
}

/// The searches that found nothing since `since` (a day, included), most frequent first.
pub fn top_misses(
    conn: &mut DbConn,
    since: NaiveDate,
    limit: i64,
) -> StoreResult<Vec<(String, i64)>> {
    let since = since.format("%Y-%m-%d").to_string();
    if let DbConn::Sqlite(c) = conn {
        // SQLite would rather walk the whole primary key (query, day), which yields the rows
        // grouped already, than read the days asked for through their index and group them
        // apart: at 100,000 rows of which 4,000 are recent, 23 ms instead of 2 ms. PostgreSQL
        // picks the day index by itself.
        let rows: Vec<MissTotal> = diesel::sql_query(
            "SELECT query, SUM(hits) AS hits FROM search_misses INDEXED BY search_misses_day \
             WHERE day >= ? GROUP BY query ORDER BY SUM(hits) DESC, query ASC LIMIT ?",
        )
        .bind::<diesel::sql_types::Text, _>(&since)
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .load(c)?;
        return Ok(rows.into_iter().map(|r| (r.query, r.hits)).collect());
    }
    let rows: Vec<(String, Option<i64>)> = sm::table
        .filter(sm::day.ge(since))
        .group_by(sm::query)
        .select((sm::query, diesel::dsl::sum(sm::hits)))
        .order((diesel::dsl::sum(sm::hits).desc(), sm::query.asc()))
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(|(q, n)| (q, n.unwrap_or(0))).collect())
}

/// Forgets the searches recorded before `before`.
pub fn prune_misses(conn: &mut DbConn, before: NaiveDate) -> StoreResult<usize> {
    let before = before.format("%Y-%m-%d").to_string();
    Ok(diesel::delete(sm::table.filter(sm::day.lt(before))).execute(conn)?)
}

/// Whether two phrases of synonyms are one for a resident's search: case, accents and
/// punctuation aside.
fn same_phrase(a: &str, b: &str) -> bool {
    let a = lieu_core::slug::slugify(a);
    !a.is_empty() && a == lieu_core::slug::slugify(b)
}

/// The first group (oldest first) that holds `phrase`, case, accents and punctuation aside.
pub fn group_with_phrase<'a>(groups: &'a [SynonymGroup], phrase: &str) -> Option<&'a SynonymGroup> {
    groups
        .iter()
        .find(|g| g.terms.split(',').any(|p| same_phrase(p, phrase)))
}

/// What became of a search made a synonym of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SynonymAdded {
    /// The search joined the group that held the word.
    Joined(SynonymGroup),
    /// No group held the word: a new group of the two.
    Created(SynonymGroup),
    /// The group that holds the word held the search already: nothing was written.
    AlreadyThere(SynonymGroup),
}

impl SynonymAdded {
    pub fn group(&self) -> &SynonymGroup {
        match self {
            SynonymAdded::Joined(g) | SynonymAdded::Created(g) | SynonymAdded::AlreadyThere(g) => g,
        }
    }
}

/// Makes `search` (a search that found nothing) a synonym of `word`: it joins the first group
/// that holds `word`, or a new group « search, word » is made. Both are one phrase each (a
/// comma would make several); the group is checked by `lieu_core::search::parse_synonyms`.
pub fn add_as_synonym(
    conn: &mut DbConn,
    search: &str,
    word: &str,
    author: &Author,
    now: NaiveDateTime,
) -> StoreResult<Result<SynonymAdded, Invalid>> {
    let refused = |code| Ok(Err(Invalid::single("word", code)));
    if !word.chars().any(char::is_alphanumeric) {
        return refused("synonym_word_required");
    }
    // Far longer than any phrase may be, even with runs of spaces: refused before each
    // phrase of every group is compared with it.
    if [search, word].iter().any(|p| p.len() > 1_000) {
        return refused("synonym_too_long");
    }
    if [search, word].iter().any(|p| p.contains([',', ';', '\n'])) {
        return refused("synonym_one_phrase");
    }
    if same_phrase(search, word) {
        return refused("synonym_same_word");
    }
    let groups = synonyms(conn)?;
    match group_with_phrase(&groups, word) {
        Some(group) if group.terms.split(',').any(|p| same_phrase(p, search)) => {
            Ok(Ok(SynonymAdded::AlreadyThere(group.clone())))
        }
        Some(group) => {
            let phrases = match parse_synonyms(&format!("{}, {search}", group.terms)) {
                Ok(phrases) => phrases,
                Err(invalid) => return Ok(Err(invalid)),
            };
            let terms = join_synonyms(&phrases);
            update_synonyms(conn, group.id, &terms, author, now)?;
            Ok(Ok(SynonymAdded::Joined(SynonymGroup {
                id: group.id,
                terms,
                updated_at: now,
            })))
        }
        None => {
            let phrases = match parse_synonyms(&format!("{search}, {word}")) {
                Ok(phrases) => phrases,
                Err(invalid) => return Ok(Err(invalid)),
            };
            let group = add_synonyms(conn, &join_synonyms(&phrases), author, now)?;
            Ok(Ok(SynonymAdded::Created(group)))
        }
    }
}
