//! Wiki operations. Each public function runs inside the caller's transaction
//! ([`crate::Store::write`]) and leaves the wiki consistent: the page row, its new revision,
//! its outgoing links, the pages whose links it changes, and an audit entry, together.

use crate::error::{StoreError, StoreResult};
use crate::models::pages::{NewPage, Page, PageChanges};
use crate::models::revisions::{NewRevision, Revision};
use crate::models::{audit_log, content_imports, page_aliases, page_links, pages, revisions};
use crate::{DbConn, Store, search};
use diesel::result::Error as DbError;
use lieu_core::page::{ValidPage, validate_title};
use lieu_core::{Invalid, PageId, UserId};
use lieu_markdown::{Labels, RenderContext, Rendered};
use std::collections::HashSet;

/// Who makes a change, and when (the app's clock: tests fix it). `id` is `None` for changes
/// made by the system (imports).
#[derive(Debug, Clone)]
pub struct Author {
    pub id: Option<UserId>,
    pub name: String,
    pub at: chrono::NaiveDateTime,
}

impl Author {
    /// The system, now by the system clock (imports from the command line).
    pub fn system(name: &str) -> Author {
        Author {
            id: None,
            name: name.to_owned(),
            at: crate::now(),
        }
    }
}

/// The result of looking a slug up.
#[derive(Debug)]
pub enum PageLookup {
    Found(Box<Page>),
    /// The page was renamed: its current slug.
    Moved(String),
    Missing,
}

pub fn find_page(conn: &mut DbConn, slug: &str) -> StoreResult<PageLookup> {
    if let Some(page) = pages::by_slug(conn, slug)? {
        return Ok(PageLookup::Found(Box::new(page)));
    }
    if let Some(id) = page_aliases::page_for(conn, slug)?
        && let Some(page) = pages::by_id(conn, id)?
    {
        return Ok(PageLookup::Moved(page.slug));
    }
    Ok(PageLookup::Missing)
}

/// The page with this slug, or `NotFound`.
pub fn page(conn: &mut DbConn, slug: &str) -> StoreResult<Page> {
    pages::by_slug(conn, slug)?.ok_or(StoreError::NotFound)
}

/// Renders Markdown knowing which linked pages exist. Renders twice: once to learn the links,
/// once with the answer; both passes are pure and fast next to one query per link.
pub fn render_body(conn: &mut DbConn, body: &str) -> StoreResult<Rendered> {
    let first = lieu_markdown::render(body, &RenderContext::all_pages_exist());
    if first.wiki_links.is_empty() {
        return Ok(first);
    }
    let wanted: Vec<&str> = first.wiki_links.iter().map(String::as_str).collect();
    let mut existing: HashSet<String> = pages::existing_slugs(conn, &wanted)?.into_iter().collect();
    existing.extend(page_aliases::existing(conn, &wanted)?);
    let exists = |slug: &str| existing.contains(slug);
    Ok(lieu_markdown::render(
        body,
        &RenderContext {
            page_exists: &exists,
            labels: Labels::FRENCH,
        },
    ))
}

fn toc_json(rendered: &Rendered) -> String {
    serde_json::to_string(&rendered.toc).unwrap_or_else(|_| "[]".into())
}

/// Creates a page with its first revision. A slug already used by a page is refused with
/// `SlugTaken` (by the unique index, so a concurrent creation of the same title is refused
/// alike); a slug left by a renamed page is taken over (the old redirect goes).
pub fn create_page(conn: &mut DbConn, page: &ValidPage, author: &Author) -> StoreResult<Page> {
    page_aliases::delete(conn, &page.slug)?;
    let rendered = render_body(conn, &page.body)?;
    let now = author.at;
    let created = pages::insert(
        conn,
        &NewPage {
            slug: &page.slug,
            title: &page.title,
            body: &page.body,
            html: &rendered.html,
            toc_json: &toc_json(&rendered),
            plain_text: &rendered.text,
            revision_number: 1,
            created_at: now,
            updated_at: now,
        },
    )
    .map_err(|e| StoreError::slug_taken_if_unique(e, &page.slug))?;
    revisions::insert(
        conn,
        &NewRevision {
            page_id: created.id,
            number: 1,
            title: &page.title,
            body: &page.body,
            summary: &page.summary,
            author_id: author.id.map(|a| a.0),
            author_name: &author.name,
            created_at: now,
        },
    )?;
    page_links::replace_for_page(conn, created.page_id(), &rendered.wiki_links)?;
    search::enqueue(conn, search::Source::Page(created.id))?;
    refresh_pages_linking_to(conn, &created.slug)?;
    audit_log::record(conn, author.id, "page.create", &created.slug, &page.title)?;
    Ok(created)
}

/// What became of an edit.
#[derive(Debug)]
pub enum SaveOutcome {
    Saved(Box<Page>),
    /// The text is the same as the current version: nothing was written.
    Unchanged(Box<Page>),
    /// Someone saved since the editor opened the page; nothing was written.
    Conflict {
        /// The version the editor started from.
        base: Option<Box<Revision>>,
        /// The version saved in between (the current one).
        current: Box<Revision>,
    },
}

/// Saves a new version of the body if the page is still at `base_revision`.
pub fn edit_page(
    conn: &mut DbConn,
    page_id: PageId,
    base_revision: i32,
    body: &str,
    summary: &str,
    author: &Author,
) -> StoreResult<SaveOutcome> {
    let page = pages::by_id(conn, page_id)?.ok_or(StoreError::NotFound)?;
    if page.revision_number != base_revision {
        // Revisions written since the form was loaded that left the text as it was (a rename
        // changes only the title) conflict with nothing: the save goes on from the current one.
        let base = revisions::by_number(conn, page_id, base_revision)?;
        if base.is_none_or(|b| b.body != page.body) {
            return conflict(conn, &page, base_revision);
        }
    }
    if page.body == body {
        return Ok(SaveOutcome::Unchanged(Box::new(page)));
    }
    let title = page.title.clone();
    let slug = page.slug.clone();
    match append_revision(conn, &page, &title, &slug, body, summary, author)? {
        Some(saved) => {
            audit_log::record(conn, author.id, "page.edit", &saved.slug, summary)?;
            Ok(SaveOutcome::Saved(Box::new(saved)))
        }
        None => {
            let now_current = pages::by_id(conn, page_id)?.ok_or(StoreError::NotFound)?;
            conflict(conn, &now_current, base_revision)
        }
    }
}

fn conflict(conn: &mut DbConn, page: &Page, base_revision: i32) -> StoreResult<SaveOutcome> {
    let current = revisions::by_number(conn, page.page_id(), page.revision_number)?
        .ok_or(StoreError::NotFound)?;
    let base = revisions::by_number(conn, page.page_id(), base_revision)?;
    Ok(SaveOutcome::Conflict {
        base: base.map(Box::new),
        current: Box::new(current),
    })
}

/// Writes revision `page.revision_number + 1` and makes it current. `None` if another writer
/// moved the page on in the meantime (nothing is written then).
fn append_revision(
    conn: &mut DbConn,
    page: &Page,
    title: &str,
    slug: &str,
    body: &str,
    summary: &str,
    author: &Author,
) -> StoreResult<Option<Page>> {
    let rendered = render_body(conn, body)?;
    let now = author.at;
    let number = page.revision_number + 1;
    let changed = pages::update_if_current(
        conn,
        page.page_id(),
        page.revision_number,
        &PageChanges {
            slug,
            title,
            body,
            html: &rendered.html,
            toc_json: &toc_json(&rendered),
            plain_text: &rendered.text,
            revision_number: number,
            updated_at: now,
        },
    )?;
    if changed == 0 {
        return Ok(None);
    }
    revisions::insert(
        conn,
        &NewRevision {
            page_id: page.id,
            number,
            title,
            body,
            summary,
            author_id: author.id.map(|a| a.0),
            author_name: &author.name,
            created_at: now,
        },
    )?;
    page_links::replace_for_page(conn, page.page_id(), &rendered.wiki_links)?;
    search::enqueue(conn, search::Source::Page(page.id))?;
    Ok(Some(
        pages::by_id(conn, page.page_id())?.ok_or(DbError::NotFound)?,
    ))
}

/// Makes the text of revision `number` current again, as a new revision. Returns the page
/// unchanged when that text is already current.
pub fn revert_page(
    conn: &mut DbConn,
    page_id: PageId,
    number: i32,
    summary: &str,
    author: &Author,
) -> StoreResult<Page> {
    let page = pages::by_id(conn, page_id)?.ok_or(StoreError::NotFound)?;
    let old = revisions::by_number(conn, page_id, number)?.ok_or(StoreError::NotFound)?;
    if old.body == page.body {
        return Ok(page);
    }
    let title = page.title.clone();
    let slug = page.slug.clone();
    let saved = append_revision(conn, &page, &title, &slug, &old.body, summary, author)?
        .ok_or(StoreError::NotFound)?;
    audit_log::record(
        conn,
        author.id,
        "page.revert",
        &saved.slug,
        &format!("revision {number}"),
    )?;
    Ok(saved)
}

/// Gives the page a new title (and slug); the old slug keeps redirecting to it. `SlugTaken` if
/// another page has that slug.
pub fn rename_page(
    conn: &mut DbConn,
    page_id: PageId,
    new_title: &str,
    summary: &str,
    author: &Author,
) -> StoreResult<Page> {
    let page = pages::by_id(conn, page_id)?.ok_or(StoreError::NotFound)?;
    let mut invalid = Invalid::default();
    let Some((title, slug)) = validate_title(new_title, &mut invalid) else {
        return Err(invalid.into());
    };
    if title == page.title {
        return Err(Invalid::single("title", "title_unchanged").into());
    }
    if slug != page.slug {
        page_aliases::delete(conn, &slug)?;
        page_aliases::insert(conn, &page.slug, page_id, author.at)?;
    }
    let body = page.body.clone();
    let saved = append_revision(conn, &page, &title, &slug, &body, summary, author)
        .map_err(|e| match e {
            StoreError::Db(e) => StoreError::slug_taken_if_unique(e, &slug),
            other => other,
        })?
        .ok_or(StoreError::NotFound)?;
    refresh_pages_linking_to(conn, &slug)?;
    search::enqueue_threads_of(conn, lieu_core::exchange::Subject::Page(page.id))?;
    audit_log::record(
        conn,
        author.id,
        "page.rename",
        &saved.slug,
        &format!("{} -> {}", page.title, title),
    )?;
    Ok(saved)
}

/// Re-renders the pages that link to `slug`, whose links may have changed from "missing" to
/// "exists". Their text does not change, so no revision is written.
fn refresh_pages_linking_to(conn: &mut DbConn, slug: &str) -> StoreResult<()> {
    for (id, _, _) in page_links::linking_to(conn, &[slug])? {
        if let Some(linking) = pages::by_id(conn, PageId(id))? {
            let rendered = render_body(conn, &linking.body)?;
            pages::update_rendering(conn, PageId(id), &rendered.html, &toc_json(&rendered))?;
        }
    }
    Ok(())
}

/// How many pages hold HTML from an older renderer than this one.
pub fn outdated_rendering_count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(pages::count_outdated_rendering(conn)?)
}

/// Renders again, from their Markdown, the pages whose HTML an older renderer produced (see
/// `lieu_markdown::RENDERER_VERSION`), `batch` pages per transaction so that the server's
/// writers never wait long. No revision is written: the text did not change. `progress` is
/// told how many pages each batch went through. Returns how many pages were re-rendered.
pub fn rerender_outdated(
    store: &Store,
    batch: i64,
    mut progress: impl FnMut(usize),
) -> StoreResult<usize> {
    let mut after = 0;
    let mut rerendered = 0;
    loop {
        let (last, seen, changed) = store.write(|c| {
            let ids = pages::outdated_rendering(c, after, batch.max(1))?;
            let mut changed = 0;
            for &id in &ids {
                let Some(page) = pages::by_id(c, id)? else {
                    continue;
                };
                let rendered = render_body(c, &page.body)?;
                // A page edited meanwhile was rendered by its editor, with this renderer.
                if pages::update_derived_if_current(
                    c,
                    id,
                    page.revision_number,
                    &rendered.html,
                    &toc_json(&rendered),
                    &rendered.text,
                )? == 1
                {
                    page_links::replace_for_page(c, id, &rendered.wiki_links)?;
                    changed += 1;
                }
            }
            Ok((ids.last().map(|id| id.0), ids.len(), changed))
        })?;
        let Some(last) = last else {
            return Ok(rerendered);
        };
        after = last;
        rerendered += changed;
        progress(seen);
    }
}

/// Pages linking to this page, under its current slug or an old one: (slug, title).
pub fn backlinks(conn: &mut DbConn, page: &Page) -> StoreResult<Vec<(String, String)>> {
    let mut slugs = page_aliases::for_page(conn, page.page_id())?;
    slugs.push(page.slug.clone());
    let wanted: Vec<&str> = slugs.iter().map(String::as_str).collect();
    Ok(page_links::linking_to(conn, &wanted)?
        .into_iter()
        .filter(|(id, _, _)| *id != page.id)
        .map(|(_, slug, title)| (slug, title))
        .collect())
}

/// What an import did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created,
    /// The file changed since the last import: its text became a new revision.
    Updated,
    /// The file is as it was last imported: nothing written.
    Unchanged,
}

/// Marks the language of the page `slug` (as its content file says). The index analyses the
/// page in that language.
pub fn set_page_lang(conn: &mut DbConn, slug: &str, lang: &str) -> StoreResult<()> {
    use crate::schema::pages as p;
    use diesel::prelude::*;
    // A page renamed since it was imported keeps the language it had.
    let Some(page) = pages::by_slug(conn, slug)? else {
        return Ok(());
    };
    if page.lang != lang {
        diesel::update(p::table.find(page.id))
            .set(p::lang.eq(lang))
            .execute(conn)?;
        search::enqueue(conn, search::Source::Page(page.id))?;
    }
    Ok(())
}

/// Imports one content file. `source` identifies the file (its path relative to the content
/// folder) and `digest` its content, so that re-importing is idempotent. `default_summary` is
/// the summary of an update when the file gives none.
pub fn import_page(
    conn: &mut DbConn,
    source: &str,
    digest: &str,
    page: &ValidPage,
    author: &Author,
    default_summary: &str,
) -> StoreResult<ImportOutcome> {
    let previous = content_imports::get(conn, source)?;
    if previous.as_ref().is_some_and(|p| p.digest == digest) {
        return Ok(ImportOutcome::Unchanged);
    }
    let existing = match &previous {
        Some(p) => pages::by_id(conn, PageId(p.page_id))?,
        None => pages::by_slug(conn, &page.slug)?,
    };
    let outcome = match existing {
        None => {
            let created = create_page(conn, page, author)?;
            content_imports::record(conn, source, created.page_id(), digest, crate::now())?;
            ImportOutcome::Created
        }
        Some(current) => {
            let summary = if page.summary.is_empty() {
                default_summary
            } else {
                &page.summary
            };
            if current.body != page.body {
                match edit_page(
                    conn,
                    current.page_id(),
                    current.revision_number,
                    &page.body,
                    summary,
                    author,
                )? {
                    SaveOutcome::Saved(_) | SaveOutcome::Unchanged(_) => {}
                    SaveOutcome::Conflict { .. } => {
                        return Err(StoreError::Db(DbError::RollbackTransaction));
                    }
                }
            }
            content_imports::record(conn, source, current.page_id(), digest, crate::now())?;
            ImportOutcome::Updated
        }
    };
    Ok(outcome)
}
