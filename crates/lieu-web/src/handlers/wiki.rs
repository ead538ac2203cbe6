//! Wiki pages: read, create, edit (with preview and conflict handling), history, old
//! revisions, differences, revert, backlinks, rename, lists.

use super::{html, moved, ok, see_other};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::i18n::{t, t_fr};
use crate::page_cache::CachedPage;
use crate::state::AppState;
use crate::views::{self, Paging, wiki::ConflictView, wiki::EditForm, wiki::EditTarget};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::page::PageDraft;
use lieu_core::{Invalid, Permission};
use lieu_markdown::diff::{self, Comparison, DiffLimits};
use lieu_store::StoreError;
use lieu_store::models::pages::Page;
use lieu_store::models::{pages, revisions};
use lieu_store::wiki::{self as store_wiki, PageLookup, SaveOutcome};
use serde::Deserialize;
use std::sync::Arc;

/// Slug of the page shown at `/`.
pub const HOME_SLUG: &str = "accueil";
const PER_PAGE: i64 = 50;

/// Loads a page by slug for a sub-page (`/historique`, ...). A renamed page answers with a
/// redirect to the same sub-page under its new slug.
async fn load(state: &AppState, slug: &str, suffix: &str) -> Result<Page, AppError> {
    let wanted = slug.to_owned();
    match state
        .db(move |s| s.read(|c| store_wiki::find_page(c, &wanted)))
        .await?
    {
        PageLookup::Found(page) => Ok(*page),
        PageLookup::Moved(to) => Err(AppError::Moved(format!("/wiki/{to}{suffix}"))),
        PageLookup::Missing => Err(AppError::NotFound),
    }
}

/// Loads a page by slug for a write (a form posted to it). A page renamed since the form was
/// loaded is followed to its new slug: a redirect would turn the POST into a GET and lose what
/// was typed. The write then goes through its usual checks (base revision, permissions).
async fn load_for_write(state: &AppState, slug: &str) -> Result<Page, AppError> {
    let wanted = slug.to_owned();
    state
        .db(move |s| {
            s.read(|c| match store_wiki::find_page(c, &wanted)? {
                PageLookup::Found(page) => Ok(*page),
                PageLookup::Moved(current) => match store_wiki::find_page(c, &current)? {
                    PageLookup::Found(page) => Ok(*page),
                    _ => Err(StoreError::NotFound),
                },
                PageLookup::Missing => Err(StoreError::NotFound),
            })
        })
        .await
}

/// What a reader asking for a slug gets.
enum ViewLookup {
    Found(Arc<CachedPage>),
    /// The page was renamed: its current slug.
    Moved(String),
    Missing,
}

/// The page to show under `slug`: from memory when it is there (no database trip), else from
/// the database, then kept in memory. See [`crate::page_cache`] for when memory is trusted.
async fn lookup_for_view(state: &AppState, slug: String) -> Result<ViewLookup, AppError> {
    if let Some(page) = state.pages.get(&slug) {
        return Ok(ViewLookup::Found(page));
    }
    let seen = state.pages.generation();
    let found = state
        .db(move |s| {
            Ok(match s.read(|c| store_wiki::find_page(c, &slug))? {
                PageLookup::Found(page) => ViewLookup::Found(Arc::new(CachedPage::new(*page))),
                PageLookup::Moved(to) => ViewLookup::Moved(to),
                PageLookup::Missing => ViewLookup::Missing,
            })
        })
        .await?;
    if let ViewLookup::Found(page) = &found {
        state.pages.put(seen, Arc::clone(page));
    }
    Ok(found)
}

/// To be called after every successful change to the wiki, so that readers see it at once.
fn wiki_changed(state: &AppState) {
    state.pages.invalidate_all();
}

/// Renders a page with the live directory lists it embeds (loaded on every view).
async fn page_response(
    state: &AppState,
    ctx: &PageCtx,
    cached: &CachedPage,
    is_home: bool,
) -> Result<HttpResponse, AppError> {
    let lists = if cached.embeds.is_empty() {
        Vec::new()
    } else {
        crate::handlers::directory::embedded_lists(state, cached.embeds.clone()).await?
    };
    let embeds: Vec<maud::Markup> = lists
        .iter()
        .map(|l| views::directory::embedded_list(l.as_ref()))
        .collect();
    let watching = crate::handlers::account::watching(
        state,
        ctx,
        lieu_store::watches::Target::Page(cached.page.id),
    )
    .await?;
    Ok(ok(views::wiki::page_view(
        ctx,
        &cached.page,
        &cached.toc,
        is_home,
        &embeds,
        watching,
    )))
}

pub async fn home(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, AppError> {
    match lookup_for_view(&state, HOME_SLUG.to_owned()).await? {
        ViewLookup::Found(page) => page_response(&state, &ctx, &page, true).await,
        ViewLookup::Moved(_) | ViewLookup::Missing => Ok(see_other("/pages")),
    }
}

pub async fn view(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let wanted = slug.into_inner();
    match lookup_for_view(&state, wanted.clone()).await? {
        ViewLookup::Found(page) => page_response(&state, &ctx, &page, false).await,
        ViewLookup::Moved(to) => Ok(moved(&format!("/wiki/{to}"))),
        ViewLookup::Missing => Ok(html(
            StatusCode::NOT_FOUND,
            views::wiki::missing_page(&ctx, &wanted),
        )),
    }
}

pub async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::EditPages)?;
    let page = load(&state, &slug, "/modifier").await?;
    Ok(ok(views::wiki::edit_page(
        &ctx,
        &EditForm {
            target: EditTarget::Existing {
                slug: &page.slug,
                title: &page.title,
            },
            title: &page.title,
            body: &page.body,
            summary: "",
            base_revision: page.revision_number,
            invalid: None,
            preview: None,
            conflict: None,
        },
    )))
}

#[derive(Debug, Deserialize)]
pub struct EditFormData {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    base_revision: i32,
    #[serde(default)]
    action: String,
}

impl EditFormData {
    fn wants_preview(&self) -> bool {
        self.action == "preview"
    }
}

async fn preview_of(state: &AppState, body: &str) -> Result<String, AppError> {
    let body = body.replace("\r\n", "\n");
    state
        .db(move |s| s.read(|c| store_wiki::render_body(c, &body)))
        .await
        .map(|r| r.html)
}

pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<EditFormData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::EditPages)?.clone();
    let expired = ctx.csrf_expired(&req, &form.csrf)?;
    let page = load_for_write(&state, &slug).await?;
    let form = form.into_inner();
    let draft = PageDraft {
        title: page.title.clone(),
        body: form.body.clone(),
        summary: form.summary.clone(),
    };
    let show = |invalid: Option<&Invalid>,
                preview: Option<&str>,
                conflict: Option<ConflictView>,
                base: i32| {
        views::wiki::edit_page(
            &ctx,
            &EditForm {
                target: EditTarget::Existing {
                    slug: &page.slug,
                    title: &page.title,
                },
                title: &page.title,
                body: &form.body,
                summary: &form.summary,
                base_revision: base,
                invalid,
                preview,
                conflict,
            },
        )
    };
    if expired {
        let invalid = Invalid::single("body", "form_expired");
        return Ok(html(
            StatusCode::FORBIDDEN,
            show(Some(&invalid), None, None, form.base_revision),
        ));
    }
    let valid = match draft.validate() {
        Ok(valid) => valid,
        Err(invalid) => {
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                show(Some(&invalid), None, None, form.base_revision),
            ));
        }
    };
    if form.wants_preview() {
        let preview = preview_of(&state, &valid.body).await?;
        return Ok(ok(show(None, Some(&preview), None, form.base_revision)));
    }
    let page_id = page.page_id();
    let base = form.base_revision;
    let author = viewer.author(state.clock.now());
    let outcome = state
        .db(move |s| {
            s.write(|c| {
                store_wiki::edit_page(c, page_id, base, &valid.body, &valid.summary, &author)
            })
        })
        .await?;
    match outcome {
        SaveOutcome::Saved(saved) => {
            wiki_changed(&state);
            Ok(see_other(&format!("/wiki/{}", saved.slug)))
        }
        SaveOutcome::Unchanged(saved) => Ok(see_other(&format!("/wiki/{}", saved.slug))),
        SaveOutcome::Conflict { base, current } => {
            let base_body = base.as_ref().map(|b| b.body.clone()).unwrap_or_default();
            let conflict = ConflictView {
                their_changes: compare(base_body, current.body.clone()).await?,
                base_number: form.base_revision,
                current: revision_meta(&current),
            };
            tracing::info!(page = %page.slug, base = form.base_revision, current = current.number, "edit conflict");
            Ok(html(
                StatusCode::CONFLICT,
                show(None, None, Some(conflict), current.number),
            ))
        }
    }
}

fn revision_meta(r: &revisions::Revision) -> revisions::RevisionMeta {
    revisions::RevisionMeta {
        id: r.id,
        page_id: r.page_id,
        number: r.number,
        title: r.title.clone(),
        summary: r.summary.clone(),
        author_name: r.author_name.clone(),
        created_at: r.created_at,
    }
}

#[derive(Debug, Deserialize)]
pub struct NewPageQuery {
    titre: Option<String>,
}

pub async fn new_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<NewPageQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::EditPages)?;
    let title = query.into_inner().titre.unwrap_or_default();
    let slug = lieu_core::slug::slugify(&title);
    if !slug.is_empty() {
        let lookup = slug.clone();
        if state
            .db(move |s| s.read(|c| Ok(pages::by_slug(c, &lookup)?)))
            .await?
            .is_some()
        {
            return Ok(see_other(&format!("/wiki/{slug}")));
        }
    }
    Ok(ok(views::wiki::edit_page(
        &ctx,
        &EditForm {
            target: EditTarget::New,
            title: &title,
            body: "",
            summary: "",
            base_revision: 0,
            invalid: None,
            preview: None,
            conflict: None,
        },
    )))
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<EditFormData>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::EditPages)?.clone();
    let expired = ctx.csrf_expired(&req, &form.csrf)?;
    let form = form.into_inner();
    let show = |invalid: Option<&Invalid>, preview: Option<&str>| {
        views::wiki::edit_page(
            &ctx,
            &EditForm {
                target: EditTarget::New,
                title: &form.title,
                body: &form.body,
                summary: &form.summary,
                base_revision: 0,
                invalid,
                preview,
                conflict: None,
            },
        )
    };
    let draft = PageDraft {
        title: form.title.clone(),
        body: form.body.clone(),
        summary: form.summary.clone(),
    };
    if expired {
        let invalid = Invalid::single("body", "form_expired");
        return Ok(html(StatusCode::FORBIDDEN, show(Some(&invalid), None)));
    }
    let valid = match draft.validate() {
        Ok(valid) => valid,
        Err(invalid) => {
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                show(Some(&invalid), None),
            ));
        }
    };
    if form.wants_preview() {
        let preview = preview_of(&state, &valid.body).await?;
        return Ok(ok(show(None, Some(&preview))));
    }
    let author = viewer.author(state.clock.now());
    let result = state
        .db(move |s| s.write(|c| store_wiki::create_page(c, &valid, &author)))
        .await;
    match result {
        Ok(page) => {
            wiki_changed(&state);
            Ok(see_other(&format!("/wiki/{}", page.slug)))
        }
        Err(AppError::Invalid(invalid)) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            show(Some(&invalid), None),
        )),
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

pub async fn history(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = load(&state, &slug, "/historique").await?;
    let paging = Paging::new(query.page, PER_PAGE, i64::from(page.revision_number));
    let page_id = page.page_id();
    let revs = state
        .db(move |s| {
            s.read(|c| {
                Ok(revisions::history(
                    c,
                    page_id,
                    paging.per_page,
                    paging.offset(),
                )?)
            })
        })
        .await?;
    Ok(ok(views::wiki::history(&ctx, &page, &revs, paging)))
}

pub async fn revision(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let page = load(&state, &slug, &format!("/revision/{number}")).await?;
    let page_id = page.page_id();
    let (rev, rendered) = state
        .db(move |s| {
            s.read(|c| {
                let rev = revisions::by_number(c, page_id, number)?.ok_or(StoreError::NotFound)?;
                let rendered = store_wiki::render_body(c, &rev.body)?;
                Ok((rev, rendered))
            })
        })
        .await?;
    Ok(ok(views::wiki::revision(&ctx, &page, &rev, &rendered.html)))
}

#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    de: Option<i32>,
    a: Option<i32>,
}

pub async fn diff(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, AppError> {
    let page = load(&state, &slug, "/diff").await?;
    let to = query.a.unwrap_or(page.revision_number);
    let from = query.de.unwrap_or(to.saturating_sub(1)).max(1);
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let page_id = page.page_id();
    let (old, new) = state
        .db(move |s| {
            s.read(|c| {
                let old = revisions::by_number(c, page_id, from)?.ok_or(StoreError::NotFound)?;
                let new = revisions::by_number(c, page_id, to)?.ok_or(StoreError::NotFound)?;
                Ok((old, new))
            })
        })
        .await?;
    let (old_meta, new_meta) = (revision_meta(&old), revision_meta(&new));
    let comparison = compare(old.body, new.body).await?;
    Ok(ok(views::wiki::diff_page(
        &ctx,
        &page,
        &old_meta,
        &new_meta,
        &comparison,
    )))
}

/// Compares two versions on a blocking thread: the comparison is bounded in size and time
/// ([`DiffLimits::DEFAULT`]), but its worst case must still never hold an async worker.
async fn compare(old: String, new: String) -> Result<Comparison, AppError> {
    web::block(move || diff::compare(&old, &new, DiffLimits::DEFAULT))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Debug, Deserialize)]
pub struct RevertForm {
    #[serde(default)]
    csrf: String,
    revision: i32,
}

pub async fn revert(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<RevertForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::EditPages)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let page = load_for_write(&state, &slug).await?;
    let number = form.revision;
    let author = viewer.author(state.clock.now());
    let summary = format!("{} {number}", t_fr("revert.summary"));
    let page_id = page.page_id();
    let saved = state
        .db(move |s| s.write(|c| store_wiki::revert_page(c, page_id, number, &summary, &author)))
        .await?;
    wiki_changed(&state);
    Ok(see_other(&format!("/wiki/{}/historique", saved.slug)))
}

pub async fn backlinks(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let page = load(&state, &slug, "/liens").await?;
    let for_page = page.clone();
    let links = state
        .db(move |s| s.read(|c| store_wiki::backlinks(c, &for_page)))
        .await?;
    Ok(ok(views::wiki::backlinks(&ctx, &page, &links)))
}

pub async fn rename_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::RenamePages)?;
    let page = load(&state, &slug, "/renommer").await?;
    Ok(ok(views::wiki::rename_form(&ctx, &page, &page.title, None)))
}

#[derive(Debug, Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    csrf: String,
    title: String,
}

pub async fn rename(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    form: web::Form<RenameForm>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::RenamePages)?.clone();
    ctx.verify_csrf(&req, &form.csrf)?;
    let page = load_for_write(&state, &slug).await?;
    let new_title = form.title.clone();
    let summary = format!(
        "{} « {} » → « {} »",
        t_fr("rename.summary"),
        page.title,
        new_title.trim()
    );
    let author = viewer.author(state.clock.now());
    let page_id = page.page_id();
    let result = state
        .db(move |s| {
            s.write(|c| store_wiki::rename_page(c, page_id, &new_title, &summary, &author))
        })
        .await;
    match result {
        Ok(renamed) => {
            wiki_changed(&state);
            Ok(see_other(&format!("/wiki/{}", renamed.slug)))
        }
        Err(AppError::Invalid(invalid)) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::wiki::rename_form(&ctx, &page, &form.title, Some(&invalid)),
        )),
        Err(other) => Err(other),
    }
}

pub async fn recent(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let total = state
        .db(|s| s.read(|c| Ok(revisions::count_recent(c)?)))
        .await?;
    let paging = Paging::new(query.page, PER_PAGE, total);
    let changes = state
        .db(move |s| s.read(|c| Ok(revisions::recent(c, paging.per_page, paging.offset())?)))
        .await?;
    Ok(ok(views::wiki::recent_changes(&ctx, &changes, paging)))
}

pub async fn index(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let total = state.db(|s| s.read(|c| Ok(pages::count(c)?))).await?;
    let paging = Paging::new(query.page, PER_PAGE, total);
    let list = state
        .db(move |s| s.read(|c| Ok(pages::list(c, paging.per_page, paging.offset())?)))
        .await?;
    Ok(ok(views::wiki::index(&ctx, &list, paging)))
}

/// Any address that matches no route.
pub async fn not_found(ctx: PageCtx) -> HttpResponse {
    html(
        StatusCode::NOT_FOUND,
        views::layout(
            &ctx,
            t("error.not_found"),
            maud::html! {
                h1 { (t("error.not_found")) }
                p { (t("error.not_found_explain")) }
                ul {
                    li { a href="/" { (t("missing.home")) } }
                    li { a href="/pages" { (t("missing.index")) } }
                }
            },
        ),
    )
}
