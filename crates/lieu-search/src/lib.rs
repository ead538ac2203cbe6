//! Search of lieu: one tantivy index over the wiki pages, the published directory entries and
//! the visible threads of the exchange space (their visible posts only).
//!
//! The database is the source of truth. Every change of a page or an entry writes a row in
//! `index_outbox` in the same transaction; [`SearchIndex::drain`] (the one `IndexWriter`,
//! behind a mutex) applies the rows after the last one its index committed, which it keeps in
//! the commit's payload, then commits and reloads the readers. After a crash the rows are
//! simply applied again at start. An index that is missing, unreadable, of an older schema
//! version, or that fell behind pruned rows is rebuilt from the database.
//!
//! Besides full-text search (with facets, snippets and a spelling suggestion), the index
//! serves the directory's public lists and their counts, so that a list page costs the same
//! at 100,000 entries and on its last page as on its first.

pub mod analysis;
mod answers;
mod docs;
mod fields;
mod list_page;
mod lists;
mod query;
mod results;

pub use answers::{Answers, Epoch};
pub use fields::SCHEMA_VERSION;
pub use query::{Parsed, Synonyms, edit_distance_for};
pub use results::{FacetCount, Hit, MAX_LIMIT, MAX_OFFSET, SearchRequest, SearchResults, Snippet};

use fields::Fields;
use lieu_core::entry::list::ListQuery;
use lieu_store::Store;
use lieu_store::search::{self as outbox, Source};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Store(#[from] lieu_store::StoreError),
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index: {0}")]
    Open(String),
    /// The index holds only published entries; other lists are read from the database.
    #[error("this list is not served by the search index")]
    Unsupported,
}

pub type SearchResult<T> = Result<T, SearchError>;

/// The file, beside the index's own, that says which [`SCHEMA_VERSION`] wrote it.
const VERSION_FILE: &str = "lieu-index-version";
/// Memory for the writer that applies the outbox (tantivy's minimum): changes are small.
const DRAIN_MEMORY: usize = 15_000_000;
/// Memory for a full rebuild, in one thread per core up to four.
const REBUILD_MEMORY_PER_THREAD: usize = 50_000_000;
/// More outbox rows than this waiting when the index opens: it is rebuilt instead.
const REBUILD_BACKLOG: i64 = 20_000;
/// Outbox rows read at once.
const DRAIN_BATCH: i64 = 1_000;
/// Rows read at once during a rebuild.
const REBUILD_BATCH: i64 = 2_000;
/// Threads read at once during a rebuild (each with up to fifty posts).
const REBUILD_THREAD_BATCH: i64 = 500;
/// How long a missing outbox id is waited for (a PostgreSQL transaction that took its id and
/// has not committed yet) before it is taken for a rolled-back one.
const GAP_WAIT: Duration = Duration::from_secs(30);
/// Outbox rows older than this are pruned.
const OUTBOX_KEPT: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// Why the index was rebuilt when it was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The index was there and current; `pending` outbox rows remain to apply.
    Existing,
    Rebuilt {
        reason: String,
        documents: u64,
    },
}

struct Writer {
    /// `None` only while a rebuild holds the index's one writer.
    writer: Option<IndexWriter>,
    /// Every outbox row up to this id is in the committed index.
    applied: i32,
    /// Rows after `applied` already applied (after a gap in the ids).
    seen: BTreeSet<i32>,
    /// Since when the id after `applied` has been missing.
    gap_since: Option<Instant>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Writer>,
    synonyms: RwLock<Synonyms>,
    /// Bumped after each change of `synonyms`: answers found with older ones are not reused.
    synonyms_version: AtomicU64,
    dir: Option<PathBuf>,
    wake: (Mutex<bool>, Condvar),
    lists: Answers<ListQuery, (Vec<i32>, usize)>,
    counts: Answers<ListQuery, usize>,
    searches: Answers<SearchRequest, SearchResults>,
    suggestions: Answers<(String, chrono::NaiveDateTime, usize), Vec<Hit>>,
}

/// Answers kept of each sort (see `answers`): a whole list is 4 bytes an entry (80 KB for
/// 20,000 services), a count a number, a results page a few kilobytes.
const KEPT_LISTS: usize = 128;
const KEPT_COUNTS: usize = 256;
const KEPT_SEARCHES: usize = 512;
const KEPT_SUGGESTIONS: usize = 1_024;

/// The index's writer lock, held by a command outside the server (see
/// [`SearchIndex::lock_dir`]); released when dropped.
pub struct IndexLock(#[allow(dead_code)] tantivy::directory::DirectoryLock);

/// Progress of a rebuild: (documents done, documents in all).
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

fn open_payload(index: &Index) -> SearchResult<i32> {
    let metas = index.load_metas()?;
    let payload = metas.payload.unwrap_or_default();
    payload
        .strip_prefix("outbox=")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| SearchError::Open(format!("no outbox position in `{payload}`")))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SearchIndex {
    /// Opens the index in `dir`, rebuilding it from `store` when it is missing, unreadable,
    /// of another schema version or behind the outbox.
    pub fn open(
        dir: &Path,
        store: &Store,
        progress: Progress<'_>,
    ) -> SearchResult<(SearchIndex, Opened)> {
        match Self::open_existing(dir, store) {
            Ok(index) => {
                // After `lieu generate` or a large import, rebuilding beats applying row by row.
                let pending = store.read(|c| outbox::outbox_pending(c, index.applied()))?;
                if pending > REBUILD_BACKLOG {
                    let reason = format!("{pending} changes waiting");
                    tracing::info!(%reason, "rebuilding the search index");
                    let documents = index.rebuild(store, progress)?;
                    return Ok((index, Opened::Rebuilt { reason, documents }));
                }
                Ok((index, Opened::Existing))
            }
            // Another process (a running server) holds the index: leave it alone.
            Err(SearchError::Index(e @ tantivy::TantivyError::LockFailure(..))) => {
                Err(SearchError::Index(e))
            }
            Err(reason) => {
                let reason = reason.to_string();
                tracing::info!(%reason, dir = %dir.display(), "rebuilding the search index");
                let index = Self::create(Some(dir))?;
                let documents = index.rebuild(store, progress)?;
                Ok((index, Opened::Rebuilt { reason, documents }))
            }
        }
    }

    fn open_existing(dir: &Path, store: &Store) -> SearchResult<SearchIndex> {
        let version = std::fs::read_to_string(dir.join(VERSION_FILE))
            .map_err(|_| SearchError::Open("no index".into()))?;
        if version.trim() != SCHEMA_VERSION.to_string() {
            return Err(SearchError::Open(format!(
                "index of schema version {} (this lieu uses {SCHEMA_VERSION})",
                version.trim()
            )));
        }
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Open(e.to_string()))?;
        let index = Index::open(directory)?;
        let applied = open_payload(&index)?;
        let first = store.read(|c| outbox::outbox_after(c, 0, 1))?;
        if let Some(first) = first.first()
            && first.id > applied.saturating_add(1)
        {
            return Err(SearchError::Open(format!(
                "the index stopped at change {applied}, and changes up to {} were pruned",
                first.id - 1
            )));
        }
        let search = Self::from_index(index, Some(dir.to_path_buf()), applied)?;
        search.load_synonyms(store)?;
        Ok(search)
    }

    /// An empty index in `dir` (emptied first), or in memory.
    fn create(dir: Option<&Path>) -> SearchResult<SearchIndex> {
        let (schema, _) = Fields::schema();
        let index = match dir {
            Some(dir) => {
                if dir.exists() {
                    std::fs::remove_dir_all(dir)?;
                }
                std::fs::create_dir_all(dir)?;
                let index = Index::create_in_dir(dir, schema)?;
                std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())?;
                index
            }
            None => Index::create_in_ram(schema),
        };
        Self::from_index(index, dir.map(Path::to_path_buf), 0)
    }

    fn from_index(index: Index, dir: Option<PathBuf>, applied: i32) -> SearchResult<SearchIndex> {
        analysis::register(&index);
        let fields = Fields::of(&index.schema())
            .ok_or_else(|| SearchError::Open("a field is missing".into()))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, DRAIN_MEMORY)?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(Writer {
                writer: Some(writer),
                applied,
                seen: BTreeSet::new(),
                gap_since: None,
            }),
            synonyms: RwLock::new(Synonyms::default()),
            synonyms_version: AtomicU64::new(0),
            dir,
            wake: (Mutex::new(false), Condvar::new()),
            lists: Answers::new(KEPT_LISTS),
            counts: Answers::new(KEPT_COUNTS),
            searches: Answers::new(KEPT_SEARCHES),
            suggestions: Answers::new(KEPT_SUGGESTIONS),
        })
    }

    /// Takes the index's writer lock in `dir`, as the server does while it runs: fails with a
    /// lock error when a server (another process) has the index open. Commands that replace
    /// what the index derives from (`lieu restore`) hold it while they do. `None` when `dir`
    /// holds no index.
    pub fn lock_dir(dir: &Path) -> SearchResult<Option<IndexLock>> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Open(e.to_string()))?;
        let lock = tantivy::directory::Directory::acquire_lock(
            &directory,
            &tantivy::directory::INDEX_WRITER_LOCK,
        )
        .map_err(|e| SearchError::Index(tantivy::TantivyError::LockFailure(e, None)))?;
        Ok(Some(IndexLock(lock)))
    }

    /// An index in memory, built from `store` (tests, benchmarks).
    pub fn in_memory(store: &Store) -> SearchResult<SearchIndex> {
        let index = Self::create(None)?;
        index.rebuild(store, &mut |_, _| {})?;
        Ok(index)
    }

    /// Where the index lives (`None` in memory).
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Empties the index and indexes every page, published entry and searchable thread again. Returns how many
    /// documents it holds.
    pub fn rebuild(&self, store: &Store, progress: Progress<'_>) -> SearchResult<u64> {
        let mut w = lock(&self.writer);
        // Changes written from now on are applied again by the next drain: applying a change
        // twice is harmless.
        let (start, total) =
            store.read(|c| Ok((outbox::outbox_last(c)?, outbox::document_count(c)?)))?;
        let total = u64::try_from(total).unwrap_or_default();
        let threads = std::thread::available_parallelism()
            .map(|n| n.get().min(4))
            .unwrap_or(1);
        // One writer per index: the small one kept for draining makes way.
        if let Some(small) = w.writer.take() {
            small.wait_merging_threads()?;
        }
        let mut writer: IndexWriter = self
            .index
            .writer_with_num_threads(threads, threads * REBUILD_MEMORY_PER_THREAD)?;
        writer.delete_all_documents()?;
        let mut done = 0u64;
        let mut after = 0;
        loop {
            let pages = store.read(|c| outbox::page_docs_after(c, after, REBUILD_BATCH))?;
            let Some(last) = pages.last() else { break };
            after = last.id;
            for page in &pages {
                writer.add_document(docs::page(&self.fields, page))?;
            }
            done += pages.len() as u64;
            progress(done, total);
        }
        after = 0;
        loop {
            let entries = store.read(|c| outbox::entry_docs_after(c, after, REBUILD_BATCH))?;
            let Some(last) = entries.last() else { break };
            after = last.entry.id;
            for entry in &entries {
                writer.add_document(docs::entry(&self.fields, entry))?;
            }
            done += entries.len() as u64;
            progress(done, total);
        }
        after = 0;
        loop {
            let threads =
                store.read(|c| outbox::thread_docs_after(c, after, REBUILD_THREAD_BATCH))?;
            let Some(last) = threads.last() else { break };
            after = last.id;
            for thread in &threads {
                writer.add_document(docs::thread(&self.fields, thread))?;
            }
            done += threads.len() as u64;
            progress(done, total);
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&format!("outbox={start}"));
        commit.commit()?;
        // One segment per indexing thread is left: merged into one, a list's deep pages
        // read no rank as text (see `list_page`).
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        w.writer = Some(self.index.writer_with_num_threads(1, DRAIN_MEMORY)?);
        w.applied = start;
        w.seen.clear();
        w.gap_since = None;
        drop(w);
        self.reader.reload()?;
        self.load_synonyms(store)?;
        Ok(done)
    }

    fn load_synonyms(&self, store: &Store) -> SearchResult<()> {
        let groups = store.read(outbox::synonyms)?;
        let synonyms = Synonyms::new(groups.iter().map(|g| g.terms.as_str()));
        *self
            .synonyms
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = synonyms;
        self.synonyms_version.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// The state of the index and synonyms that `searcher`'s answers belong to.
    fn epoch_of(&self, searcher: &tantivy::Searcher) -> Epoch {
        Epoch::new(
            searcher.generation().generation_id(),
            self.synonyms_version.load(Ordering::Acquire),
        )
    }

    /// Keeps answers (the default) or computes each one again (benchmarks).
    pub fn keep_answers(&self, keeping: bool) {
        self.lists.keep(keeping);
        self.counts.keep(keeping);
        self.searches.keep(keeping);
        self.suggestions.keep(keeping);
    }

    /// The state of the index now, under which answers read from the database can be kept
    /// (see [`Answers`]): it changes with every change of a page or an entry. To be read
    /// before reading the database.
    pub fn epoch(&self) -> Epoch {
        self.epoch_of(&self.reader.searcher())
    }

    fn synonyms(&self) -> std::sync::RwLockReadGuard<'_, Synonyms> {
        self.synonyms
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Applies the outbox rows written since the last drain, commits and reloads the readers.
    /// Returns how many rows were applied.
    pub fn drain(&self, store: &Store) -> SearchResult<usize> {
        let mut applied_rows = 0;
        loop {
            let n = self.drain_batch(store)?;
            applied_rows += n;
            if n < DRAIN_BATCH as usize {
                return Ok(applied_rows);
            }
        }
    }

    fn drain_batch(&self, store: &Store) -> SearchResult<usize> {
        let mut w = lock(&self.writer);
        let rows = store.read(|c| outbox::outbox_after(c, w.applied, DRAIN_BATCH))?;
        let mut todo: Vec<Source> = Vec::new();
        let mut cursor = w.applied;
        let mut contiguous = true;
        let mut new_seen = Vec::new();
        for row in &rows {
            if contiguous && row.id != cursor + 1 {
                // A missing id: a transaction still running on PostgreSQL, or one that rolled
                // back. Wait for it a while, then take it for lost.
                let since = *w.gap_since.get_or_insert_with(Instant::now);
                if since.elapsed() < GAP_WAIT {
                    contiguous = false;
                } else {
                    w.gap_since = None;
                }
            }
            if contiguous {
                cursor = row.id;
                if w.seen.contains(&row.id) {
                    continue;
                }
            } else if w.seen.contains(&row.id) {
                continue;
            } else {
                new_seen.push(row.id);
            }
            if let Some(source) = row.source
                && !todo.contains(&source)
            {
                todo.push(source);
            }
        }
        if contiguous {
            w.gap_since = None;
        }
        if todo.is_empty() && cursor == w.applied {
            return Ok(0);
        }
        if w.writer.is_none() {
            w.writer = Some(self.index.writer_with_num_threads(1, DRAIN_MEMORY)?);
        }
        let Writer { writer, .. } = &mut *w;
        let Some(writer) = writer.as_mut() else {
            return Ok(0);
        };
        // Read in bulk: after `lieu generate` or an import, thousands of rows wait.
        let mut reload_synonyms = false;
        let (mut page_ids, mut entry_ids, mut thread_ids) = (Vec::new(), Vec::new(), Vec::new());
        for source in &todo {
            match *source {
                Source::Page(id) => page_ids.push(id),
                Source::Entry(id) => entry_ids.push(id),
                Source::Thread(id) => thread_ids.push(id),
                Source::Synonyms => reload_synonyms = true,
            }
        }
        for id in &page_ids {
            writer.delete_term(Term::from_field_text(self.fields.key, &docs::page_key(*id)));
        }
        for id in &entry_ids {
            writer.delete_term(Term::from_field_text(
                self.fields.key,
                &docs::entry_key(*id),
            ));
        }
        // A thread no longer visible (held, hidden, erased) is deleted and not added again.
        for id in &thread_ids {
            writer.delete_term(Term::from_field_text(
                self.fields.key,
                &docs::thread_key(*id),
            ));
        }
        let (pages, entries, threads) = store.read(|c| {
            Ok((
                outbox::page_docs_by_ids(c, &page_ids)?,
                outbox::entry_docs_by_ids(c, &entry_ids)?,
                outbox::thread_docs_by_ids(c, &thread_ids)?,
            ))
        })?;
        for thread in &threads {
            writer.add_document(docs::thread(&self.fields, thread))?;
        }
        for page in &pages {
            writer.add_document(docs::page(&self.fields, page))?;
        }
        for entry in &entries {
            writer.add_document(docs::entry(&self.fields, entry))?;
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&format!("outbox={cursor}"));
        commit.commit()?;
        w.applied = cursor;
        w.seen.extend(new_seen);
        let still_ahead = w.seen.split_off(&(cursor + 1));
        w.seen = still_ahead;
        drop(w);
        self.reader.reload()?;
        if reload_synonyms {
            self.load_synonyms(store)?;
        }
        Ok(rows.len())
    }

    /// Asks the indexer thread to drain now rather than at its next tick.
    pub fn notify(&self) {
        let (flag, condvar) = &self.wake;
        *lock(flag) = true;
        condvar.notify_one();
    }

    /// The indexer: drains the outbox when notified, and at least every `tick`, until the
    /// process ends. Also prunes old outbox rows once an hour. Errors are logged, never fatal.
    pub fn run_indexer(&self, store: &Store, tick: Duration) {
        let mut last_prune: Option<Instant> = None;
        loop {
            if let Err(error) = self.drain(store) {
                tracing::error!(%error, "search index: applying changes failed");
            }
            if last_prune.is_none_or(|t| t.elapsed() > Duration::from_secs(3600)) {
                last_prune = Some(Instant::now());
                let now = lieu_store::now();
                let before = now - OUTBOX_KEPT;
                let misses_before =
                    now.date() - chrono::TimeDelta::days(lieu_core::search::MISSES_KEPT_DAYS);
                let pruned = store.write(|c| {
                    Ok((
                        outbox::prune_outbox(c, before)?,
                        outbox::prune_misses(c, misses_before)?,
                    ))
                });
                match pruned {
                    Ok((0, 0)) => {}
                    Ok((rows, misses)) => {
                        tracing::info!(
                            rows,
                            misses,
                            "search outbox and old unanswered searches pruned"
                        )
                    }
                    Err(error) => tracing::error!(%error, "search outbox: pruning failed"),
                }
            }
            let (flag, condvar) = &self.wake;
            let guard = lock(flag);
            let (mut guard, _) = condvar
                .wait_timeout_while(guard, tick, |woken| !*woken)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *guard = false;
        }
    }

    /// The outbox id up to which the committed index is complete.
    pub fn applied(&self) -> i32 {
        lock(&self.writer).applied
    }

    /// How many documents the index holds.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_in_memory_builds_from_an_empty_store() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
        let store = Store::open(&url, 2).expect("store");
        let index = SearchIndex::in_memory(&store).expect("index");
        assert_eq!(index.documents(), 0);
        assert_eq!(index.drain(&store).expect("drain"), 0);
    }
}
