//! The directory: its home, the list of each kind with filters, entry pages, and the agents'
//! forms (create, edit, archive, restore, verify, history, entries to check).

use super::{html, ok, see_other};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::i18n::t_fr;
use crate::state::AppState;
use crate::views::directory::{EmbeddedList, EntryView, FormView, ListView, ShownList};
use crate::views::{self, Paging};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::entry::list::{EmbedRequest, ListParams, PER_PAGE, embed_requests};
use lieu_core::entry::{EntryForm, Kind, Status, days_before};
use lieu_core::{Invalid, Permission};
use lieu_store::StoreError;
use lieu_store::directory::{self as dir, EntrySave};
use lieu_store::models::entries::{self, Entry};
use lieu_store::models::{communes, entry_revisions};
use lieu_store::wiki::Author;
use serde::Deserialize;
use std::sync::Arc;

fn author(ctx: &PageCtx, state: &AppState) -> Result<Author, AppError> {
    Ok(ctx
        .require(Permission::ManageEntries)?
        .author(state.clock.now()))
}

fn kind_of(segment: &str) -> Result<Kind, AppError> {
    Kind::from_segment(segment).ok_or(AppError::NotFound)
}

pub async fn home(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let counts: Vec<(Kind, i64)> = state
        .search
        .counts(now)?
        .into_iter()
        .map(|(kind, n)| (kind, i64::try_from(n).unwrap_or(i64::MAX)))
        .collect();
    let stale = if ctx.can(Permission::ManageEntries) {
        let before = days_before(now, state.config.verify_after_days);
        Some(
            state
                .db(move |s| s.read(|c| Ok(entries::count_stale(c, before)?)))
                .await?,
        )
    } else {
        None
    };
    Ok(ok(views::directory::home(&ctx, &counts, stale)))
}

/// Loads the live lists a wiki page embeds: the first [`MAX_EMBEDS`] of them, each bounded
/// in size; the others show a notice. An embed naming no known list shows nothing.
///
/// [`MAX_EMBEDS`]: lieu_core::entry::list::MAX_EMBEDS
pub async fn embedded_lists(
    state: &AppState,
    embeds: Vec<lieu_markdown::Embed>,
) -> Result<Vec<Option<EmbeddedList>>, AppError> {
    let requests = embed_requests(
        embeds
            .iter()
            .map(|e| (e.list.as_str(), e.params.as_slice())),
        state.clock.now(),
        state.clock.today(),
    );
    let mut pages: Vec<Option<(Vec<i32>, i64)>> = Vec::with_capacity(requests.len());
    for request in &requests {
        pages.push(match request {
            EmbedRequest::List { query, .. } => {
                let (ids, total) = state.search.list(query)?;
                Some((ids, i64::try_from(total).unwrap_or(i64::MAX)))
            }
            EmbedRequest::Unknown | EmbedRequest::OverLimit => None,
        });
    }
    let territory = state.territory().await?;
    let mut found = Vec::with_capacity(pages.len());
    for page in pages {
        found.push(match page {
            Some((ids, total)) => Some((found_rows(state, ids).await?, total)),
            None => None,
        });
    }
    Ok(requests
        .into_iter()
        .zip(found)
        .map(|(request, found)| match (request, found) {
            (EmbedRequest::List { query, url }, Some((entries, total))) => {
                Some(EmbeddedList::Shown(ShownList {
                    kind: query.kind,
                    entries,
                    total,
                    url,
                    territory: Arc::clone(&territory),
                }))
            }
            (EmbedRequest::OverLimit, _) => Some(EmbeddedList::OverLimit),
            _ => None,
        })
        .collect())
}

pub async fn list(
    state: web::Data<AppState>,
    ctx: PageCtx,
    segment: web::Path<String>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let kind = kind_of(&segment)?;
    let params = params.into_inner();
    let now = state.clock.now();
    let mut query = params.query(kind, now, state.clock.today());
    // The page asked for, read from the index with the count in the same pass; past the end,
    // the last page is read again.
    let mut paging = Paging::new(params.page, PER_PAGE, i64::MAX / 4);
    query.offset = paging.offset();
    let (mut ids, total) = state.search.list(&query)?;
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    let asked = paging.page;
    paging = Paging::new(Some(asked), PER_PAGE, total);
    if paging.page != asked {
        query.offset = paging.offset();
        ids = state.search.list(&query)?.0;
    }
    let territory = state.territory().await?;
    let entries_page = found_rows(&state, ids).await?;
    Ok(ok(views::directory::list(
        &ctx,
        &ListView {
            kind,
            params: &params,
            entries: &entries_page,
            paging,
            communes: &territory.communes,
            categories: territory.categories(kind),
            now,
        },
    )))
}

/// The entries the index found, in its order: kept while the content does not change.
async fn found_rows(state: &AppState, ids: Vec<i32>) -> Result<Arc<Vec<Entry>>, AppError> {
    let load = ids.clone();
    state
        .kept(&state.kept.entries, ids, move |c| {
            lieu_store::search::entries_by_ids(c, &load)
        })
        .await
}

async fn load_entry(state: &AppState, slug: String) -> Result<EntryView, AppError> {
    state
        .db(move |s| {
            s.read(|c| {
                let entry = entries::by_slug(c, &slug)?.ok_or(StoreError::NotFound)?;
                let details = entry.details().ok_or(StoreError::NotFound)?;
                let commune =
                    communes::by_insee(c, &entry.commune_insee)?.unwrap_or(communes::Commune {
                        insee: entry.commune_insee.clone(),
                        name: String::new(),
                        postcode: String::new(),
                    });
                let kind = entry.kind();
                let category_slugs = entries::tags_of(c, entry.id, "category")?;
                let categories = communes::categories_of(c, kind)?
                    .into_iter()
                    .filter(|cat| category_slugs.contains(&cat.slug))
                    .map(|cat| cat.label)
                    .collect();
                Ok(EntryView {
                    entry,
                    details,
                    commune,
                    categories,
                })
            })
        })
        .await
}

pub async fn show(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (segment, slug) = path.into_inner();
    let kind = kind_of(&segment)?;
    let view = load_entry(&state, slug).await?;
    if view.entry.kind() != kind {
        return Ok(see_other(&views::directory::entry_url(&view.entry)));
    }
    if view.entry.status() == Status::Archived && !ctx.can(Permission::ManageEntries) {
        return Ok(html(
            StatusCode::GONE,
            views::directory::archived(&ctx, &view),
        ));
    }
    let watching = crate::handlers::account::watching(
        &state,
        &ctx,
        lieu_store::watches::Target::Entry(view.entry.id),
    )
    .await?;
    Ok(ok(views::directory::entry_page(
        &ctx,
        &view,
        &state.config.base_url,
        state.clock.now(),
        watching,
    )))
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    /// A title to start the form with.
    titre: Option<String>,
}

async fn form_choices(
    state: &AppState,
    kind: Kind,
) -> Result<(Vec<communes::Commune>, Vec<communes::Category>), AppError> {
    state
        .db(move |s| s.read(|c| Ok((communes::all(c)?, communes::categories_of(c, kind)?))))
        .await
}

pub async fn new_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    author(&ctx, &state)?;
    let title = query.titre.clone().unwrap_or_default();
    let Some(kind) = query.kind.as_deref().and_then(|k| k.parse().ok()) else {
        return Ok(ok(views::directory::choose_kind(&ctx, &title)));
    };
    let (communes, categories) = form_choices(&state, kind).await?;
    Ok(ok(views::directory::entry_form(
        &ctx,
        &FormView {
            kind,
            entry: None,
            form: &EntryForm {
                title,
                ..EntryForm::default()
            },
            invalid: None,
            communes: &communes,
            categories: &categories,
            conflict: false,
        },
    )))
}

/// The fields of an entry form that are not the entry itself.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FormMeta {
    csrf: String,
    base_revision: i32,
    #[serde(rename = "type")]
    kind: String,
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let author = author(&ctx, &state)?;
    let (meta, form) = super::entry_form_body::<FormMeta>(&body)?;
    ctx.verify_csrf(&req, &meta.csrf)?;
    let kind: Kind = meta
        .kind
        .parse()
        .map_err(|_| AppError::BadRequest("type".into()))?;
    let to_validate = form.clone();
    let today = state.clock.today();
    let now = state.clock.now();
    let result = state
        .db(move |s| {
            s.write(|c| match dir::validate(c, kind, &to_validate, today)? {
                Ok(valid) => Ok(slug_taken_as_invalid(dir::create_entry(
                    c,
                    &valid,
                    &author,
                    t_fr("revision.entry_created"),
                    now,
                ))?),
                Err(invalid) => Ok(Err(invalid)),
            })
        })
        .await?;
    match result {
        Ok(entry) => Ok(see_other(&views::directory::entry_url(&entry))),
        Err(invalid) => {
            let (communes, categories) = form_choices(&state, kind).await?;
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::directory::entry_form(
                    &ctx,
                    &FormView {
                        kind,
                        entry: None,
                        form: &form,
                        invalid: Some(&invalid),
                        communes: &communes,
                        categories: &categories,
                        conflict: false,
                    },
                ),
            ))
        }
    }
}

/// A creation whose every attempt met the slug's unique index (others creating the same title
/// at that very moment) is a form error like any other: the form comes back with what was
/// typed and a French message, to save again.
fn slug_taken_as_invalid(
    created: Result<Entry, StoreError>,
) -> Result<Result<Entry, Invalid>, StoreError> {
    match created {
        Ok(entry) => Ok(Ok(entry)),
        Err(StoreError::SlugTaken(_)) => Ok(Err(Invalid::single("title", "entry_slug_taken"))),
        Err(other) => Err(other),
    }
}

/// The entry as its form: what editing it, or proposing a correction of it, starts from.
pub(crate) async fn entry_form_of(state: &AppState, entry: &Entry) -> Result<EntryForm, AppError> {
    let entry = entry.clone();
    state.db(move |s| s.read(|c| dir::form_of(c, &entry))).await
}

async fn entry_by_id(state: &AppState, id: i32) -> Result<Entry, AppError> {
    state
        .db(move |s| s.read(|c| entries::by_id(c, id)?.ok_or(StoreError::NotFound)))
        .await
}

pub async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    author(&ctx, &state)?;
    let entry = entry_by_id(&state, *id).await?;
    let kind = entry.kind();
    let form = entry_form_of(&state, &entry).await?;
    let (communes, categories) = form_choices(&state, kind).await?;
    Ok(ok(views::directory::entry_form(
        &ctx,
        &FormView {
            kind,
            entry: Some(&entry),
            form: &form,
            invalid: None,
            communes: &communes,
            categories: &categories,
            conflict: false,
        },
    )))
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let author = author(&ctx, &state)?;
    let (meta, form) = super::entry_form_body::<FormMeta>(&body)?;
    ctx.verify_csrf(&req, &meta.csrf)?;
    let entry = entry_by_id(&state, *id).await?;
    let kind = entry.kind();
    let to_validate = form.clone();
    let entry_id = entry.id;
    let today = state.clock.today();
    let now = state.clock.now();
    let result = state
        .db(move |s| {
            s.write(|c| match dir::validate(c, kind, &to_validate, today)? {
                Ok(valid) => Ok(Ok(dir::update_entry(
                    c,
                    entry_id,
                    meta.base_revision,
                    &valid,
                    &author,
                    t_fr("revision.entry_edited"),
                    now,
                )?)),
                Err(invalid) => Ok(Err(invalid)),
            })
        })
        .await?;
    let (invalid, conflict, current) = match result {
        Ok(EntrySave::Saved(saved)) => return Ok(see_other(&views::directory::entry_url(&saved))),
        Ok(EntrySave::Conflict(current)) => (None, true, *current),
        Err(invalid) => (Some(invalid), false, entry),
    };
    let (communes, categories) = form_choices(&state, kind).await?;
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html(
        status,
        views::directory::entry_form(
            &ctx,
            &FormView {
                kind,
                entry: Some(&current),
                form: &form,
                invalid: invalid.as_ref(),
                communes: &communes,
                categories: &categories,
                conflict,
            },
        ),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
}

/// The archive and restore forms: they carry the revision the agent was looking at, so that a
/// click on a page that has gone stale changes nothing.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    csrf: String,
    base_revision: Option<i32>,
}

async fn change_status(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: i32,
    form: StatusForm,
    status: Status,
) -> Result<HttpResponse, AppError> {
    let author = author(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let base = form
        .base_revision
        .ok_or_else(|| AppError::BadRequest("base_revision".into()))?;
    let summary = match status {
        Status::Archived => t_fr("revision.entry_archived"),
        Status::Published => t_fr("revision.entry_restored"),
    };
    let now = state.clock.now();
    // `None`: the entry changed since the agent saw it, and nothing was written.
    let changed = state
        .db(move |s| {
            s.write(|c| {
                let change = dir::StatusChange {
                    author: &author,
                    summary,
                    now,
                };
                match dir::set_status_from(c, id, base, status, &change) {
                    Ok(entry) => Ok(Some(entry)),
                    Err(StoreError::Conflict) => Ok(None),
                    Err(other) => Err(other),
                }
            })
        })
        .await?;
    match changed {
        Some(entry) => Ok(see_other(&views::directory::entry_url(&entry))),
        None => {
            let current = entry_by_id(&state, id).await?;
            Ok(html(
                StatusCode::CONFLICT,
                views::directory::changed_meanwhile(&ctx, &current),
            ))
        }
    }
}

pub async fn archive(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    change_status(req, state, ctx, *id, form.into_inner(), Status::Archived).await
}

pub async fn restore(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    change_status(req, state, ctx, *id, form.into_inner(), Status::Published).await
}

/// Marking an entry verified takes no base revision: it writes no revision, only the
/// verification date, and an edit saved in between has just set that date itself (saving
/// counts as verifying), so a click from a stale page moves it by minutes at most.
pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, AppError> {
    let author = author(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let from_list = req.query_string().contains("retour=a-verifier");
    let (id, now) = (*id, state.clock.now());
    let entry = state
        .db(move |s| s.write(|c| dir::mark_verified(c, id, &author, now)))
        .await?;
    if from_list {
        return Ok(see_other("/gestion/a-verifier"));
    }
    Ok(see_other(&views::directory::entry_url(&entry)))
}

pub async fn history(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    author(&ctx, &state)?;
    let entry = entry_by_id(&state, *id).await?;
    let entry_id = entry.id;
    let revisions = state
        .db(move |s| s.read(|c| Ok(entry_revisions::for_entry(c, entry_id)?)))
        .await?;
    Ok(ok(views::directory::history(&ctx, &entry, &revisions)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageParam {
    page: Option<i64>,
}

pub async fn to_verify(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<PageParam>,
) -> Result<HttpResponse, AppError> {
    author(&ctx, &state)?;
    let days = state.config.verify_after_days;
    let before = days_before(state.clock.now(), days);
    let requested = query.page;
    let (stale, paging) = state
        .db(move |s| {
            s.read(|c| {
                let paging = Paging::new(requested, PER_PAGE * 2, entries::count_stale(c, before)?);
                let rows = entries::stale(c, before, paging.per_page, paging.offset())?;
                Ok((rows, paging))
            })
        })
        .await?;
    Ok(ok(views::directory::to_verify(&ctx, &stale, days, paging)))
}
