//! Wiki pages kept in memory, so that reading a page — by far the most frequent request —
//! needs no trip to the database pool.
//!
//! What is kept: the current page as stored (its sanitized HTML, title, revision), with its
//! table of contents and its embeds already parsed. The live directory lists a page embeds
//! (`{{annuaire …}}`) are not kept: they are loaded on every view, as before.
//!
//! Correctness:
//! - Within one process, every successful change to the wiki (save, create, revert, rename)
//!   calls [`PageCache::invalidate_all`]. Everything goes, not just the page saved: creating or
//!   renaming a page re-renders the pages that link to it, and changes are rare next to views.
//!   A view that read the database before a change and finishes after it does not put its stale
//!   copy back: [`PageCache::put`] is refused when the cache's generation moved on meanwhile.
//! - Changes made by another process — a second `lieu serve` on the same PostgreSQL database
//!   (DESIGN.md, "Growing past one machine"), or `lieu import`/`lieu rerender` run beside the
//!   server — cannot invalidate this cache. An entry is therefore trusted for [`FRESH_FOR`]
//!   only, then read again from the database: a page edited elsewhere shows here at most that
//!   long after. This costs one query per page and period instead of one per view; a cheaper
//!   cross-process signal (a content version column, LISTEN/NOTIFY) can replace it when needed.
//! - Only pages found under their current slug are kept. Old slugs (redirects) and missing
//!   pages always go to the database, so a renamed page is never served under its old slug.
//!
//! - What is kept is the page, not its rendering: the interface around it is rendered at each
//!   view in the reader's language (`i18n`), so one entry serves French and English readers
//!   alike and needs no language in its key. A cache of rendered pages would need one.
//!
//! Memory is bounded by [`MAX_BYTES`] (text held, counted in bytes): past it, entries are
//! dropped, the stale ones first.

use lieu_markdown::{Embed, TocEntry};
use lieu_store::models::pages::Page;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How long an entry is served without looking at the database again: the longest a change
/// made by another process stays unseen here.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// Text held at most (HTML, Markdown, titles), in bytes.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// A page ready to be shown.
#[derive(Debug)]
pub struct CachedPage {
    pub page: Page,
    pub toc: Vec<TocEntry>,
    /// The live lists the page embeds, in the order of their markers in `page.html`.
    pub embeds: Vec<Embed>,
}

impl CachedPage {
    pub fn new(page: Page) -> CachedPage {
        let toc = page.toc();
        let embeds = if page.html.contains("<!--lieu-embed:") {
            lieu_markdown::embeds(&page.body)
        } else {
            Vec::new()
        };
        CachedPage { page, toc, embeds }
    }

    fn bytes(&self) -> usize {
        let p = &self.page;
        p.slug.len()
            + p.title.len()
            + p.body.len()
            + p.html.len()
            + p.toc_json.len()
            + p.plain_text.len()
    }
}

struct Entry {
    page: Arc<CachedPage>,
    loaded: Instant,
    bytes: usize,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    bytes: usize,
    generation: u64,
}

/// The pages in memory, by slug. See the module's documentation.
pub struct PageCache {
    inner: RwLock<Inner>,
    fresh_for: Duration,
    max_bytes: usize,
}

/// Read before loading a page from the database, handed back to [`PageCache::put`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(FRESH_FOR, MAX_BYTES)
    }
}

impl PageCache {
    pub fn new(fresh_for: Duration, max_bytes: usize) -> PageCache {
        PageCache {
            inner: RwLock::new(Inner::default()),
            fresh_for,
            max_bytes,
        }
    }

    /// The page under this slug, if it was loaded less than `fresh_for` ago.
    pub fn get(&self, slug: &str) -> Option<Arc<CachedPage>> {
        // The lock only guards plain data that no code path leaves half-written.
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let entry = inner.entries.get(slug)?;
        (entry.loaded.elapsed() < self.fresh_for).then(|| Arc::clone(&entry.page))
    }

    /// To be read before loading a page, and given back to [`put`](Self::put).
    pub fn generation(&self) -> Generation {
        Generation(
            self.inner
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .generation,
        )
    }

    /// Keeps a page loaded from the database when the wiki did not change since `seen`.
    pub fn put(&self, seen: Generation, page: Arc<CachedPage>) {
        let bytes = page.bytes();
        if bytes > self.max_bytes / 8 {
            return;
        }
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if inner.generation != seen.0 {
            return;
        }
        let slug = page.page.slug.clone();
        if let Some(old) = inner.entries.remove(&slug) {
            inner.bytes -= old.bytes;
        }
        if inner.bytes + bytes > self.max_bytes {
            self.make_room(&mut inner, bytes);
        }
        inner.bytes += bytes;
        inner.entries.insert(
            slug,
            Entry {
                page,
                loaded: Instant::now(),
                bytes,
            },
        );
    }

    /// Forgets every page: to be called after every change to the wiki.
    pub fn invalidate_all(&self) {
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        inner.entries.clear();
        inner.bytes = 0;
        inner.generation += 1;
    }

    /// Drops stale entries, then others, until `wanted` more bytes fit.
    fn make_room(&self, inner: &mut Inner, wanted: usize) {
        let fresh_for = self.fresh_for;
        inner.entries.retain(|_, e| e.loaded.elapsed() < fresh_for);
        inner.bytes = inner.entries.values().map(|e| e.bytes).sum();
        while inner.bytes + wanted > self.max_bytes {
            let Some(slug) = inner.entries.keys().next().cloned() else {
                break;
            };
            if let Some(e) = inner.entries.remove(&slug) {
                inner.bytes -= e.bytes;
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .entries
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(slug: &str, html: &str) -> Arc<CachedPage> {
        let at = chrono::DateTime::UNIX_EPOCH.naive_utc();
        Arc::new(CachedPage::new(Page {
            id: 1,
            slug: slug.to_owned(),
            title: slug.to_owned(),
            body: String::new(),
            html: html.to_owned(),
            toc_json: "[]".to_owned(),
            plain_text: String::new(),
            revision_number: 1,
            created_at: at,
            updated_at: at,
            renderer_version: 1,
            lang: "fr".to_owned(),
        }))
    }

    #[test]
    fn a_page_put_is_served_until_invalidated() {
        let cache = PageCache::default();
        cache.put(cache.generation(), page("a", "<p>a</p>"));
        assert_eq!(cache.get("a").expect("cached").page.html, "<p>a</p>");
        cache.invalidate_all();
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn a_load_that_started_before_a_change_is_not_kept() {
        let cache = PageCache::default();
        let seen = cache.generation();
        cache.invalidate_all();
        cache.put(seen, page("a", "<p>avant</p>"));
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn entries_expire_so_other_processes_changes_show() {
        let cache = PageCache::new(Duration::ZERO, MAX_BYTES);
        cache.put(cache.generation(), page("a", "<p>a</p>"));
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn memory_stays_within_its_bound() {
        let html = "x".repeat(100);
        let one = page("p0", &html).bytes();
        let cache = PageCache::new(FRESH_FOR, one * 10);
        for i in 0..50 {
            cache.put(cache.generation(), page(&format!("p{i}"), &html));
        }
        assert!(cache.len() <= 10, "{} entries", cache.len());
        assert!(cache.get("p49").is_some());
    }
}
