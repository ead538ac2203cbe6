//! The agents' pages of the search: the searches that found nothing in the last 30 days, each
//! made a synonym in one click, and the groups of synonyms (add, edit, delete). Every change to
//! the synonyms is followed by the indexer, which the app wakes after each successful POST
//! (`routes::wake_indexer`) and which reloads them within the second.

use super::{html, ok, see_other};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::state::AppState;
use crate::views::search_admin::{self as views, Miss, Notice, Refused, Target};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::search::{join_synonyms, parse_synonyms};
use lieu_core::{Invalid, Permission};
use lieu_store::StoreError;
use lieu_store::search::{self as store, SynonymAdded, SynonymGroup};
use lieu_store::wiki::Author;
use serde::Deserialize;

/// How many days of searches that found nothing the agents see, today included.
pub const MISSES_DAYS: i64 = 30;
/// How many of them, the most frequent.
pub const MISSES_SHOWN: i64 = 50;

fn agent(ctx: &PageCtx, state: &AppState) -> Result<Author, AppError> {
    Ok(ctx
        .require(Permission::ManageSearch)?
        .author(state.clock.now()))
}

/// The first error of a refused form (a group's check reports one).
fn first_code(invalid: &Invalid) -> &'static str {
    invalid.errors.first().map_or("synonym_too_few", |e| e.code)
}

/// A number from the address, or nothing: a link edited by hand shows the page without its
/// notice rather than an error.
fn id_of(value: Option<&str>) -> Option<i32> {
    value.and_then(|v| v.parse().ok())
}

async fn load_misses(state: &AppState) -> Result<(Vec<Miss>, Vec<SynonymGroup>), AppError> {
    let today = state.clock.today();
    let since = today
        .checked_sub_days(chrono::Days::new(
            u64::try_from(MISSES_DAYS - 1).unwrap_or(0),
        ))
        .unwrap_or(today);
    state
        .db(move |s| {
            s.read(|c| {
                let top = store::top_misses(c, since, MISSES_SHOWN)?;
                let groups = store::synonyms(c)?;
                let misses = top
                    .into_iter()
                    .map(|(text, hits)| Miss {
                        group: store::group_with_phrase(&groups, &text).cloned(),
                        text,
                        hits,
                    })
                    .collect();
                Ok((misses, groups))
            })
        })
        .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MissesQuery {
    /// The group a search was just added to.
    groupe: Option<String>,
    /// Set when the search was in that group already.
    deja: Option<String>,
}

pub async fn misses(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<MissesQuery>,
) -> Result<HttpResponse, AppError> {
    agent(&ctx, &state)?;
    let (misses, groups) = load_misses(&state).await?;
    let added = id_of(query.groupe.as_deref()).and_then(|id| groups.iter().find(|g| g.id == id));
    let done = added.map(|group| Notice::Added {
        group,
        already: query.deja.is_some(),
    });
    Ok(ok(views::misses(&ctx, &misses, MISSES_DAYS, done, None)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MissForm {
    csrf: String,
    /// The search that found nothing.
    query: String,
    /// The word or acronym it means.
    word: String,
}

/// "Add as synonym": the search joins the group that holds the word, or a new group of the two.
pub async fn add_miss(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<MissForm>,
) -> Result<HttpResponse, AppError> {
    let author = agent(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let MissForm { query, word, .. } = form.into_inner();
    let now = state.clock.now();
    let (search, typed) = (query.clone(), word.clone());
    let result = state
        .db(move |s| s.write(|c| store::add_as_synonym(c, &search, &typed, &author, now)))
        .await?;
    match result {
        Ok(added) => {
            let already = matches!(added, SynonymAdded::AlreadyThere(_));
            Ok(see_other(&format!(
                "/gestion/recherches?groupe={}{}",
                added.group().id,
                if already { "&deja=1" } else { "" }
            )))
        }
        Err(invalid) => {
            let (misses, _) = load_misses(&state).await?;
            let refused = Refused {
                target: Target::Miss(&query),
                typed: &word,
                code: first_code(&invalid),
            };
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::misses(&ctx, &misses, MISSES_DAYS, None, Some(&refused)),
            ))
        }
    }
}

async fn load_groups(state: &AppState) -> Result<Vec<SynonymGroup>, AppError> {
    state.db(|s| s.read(store::synonyms)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    /// What was just done: `ajoute`, `modifie` or `supprime`.
    fait: Option<String>,
}

pub async fn synonyms(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    agent(&ctx, &state)?;
    let groups = load_groups(&state).await?;
    let done = match query.fait.as_deref() {
        Some("ajoute") => Some(Notice::GroupAdded),
        Some("modifie") => Some(Notice::GroupSaved),
        Some("supprime") => Some(Notice::GroupDeleted),
        _ => None,
    };
    Ok(ok(views::synonyms(&ctx, &groups, done, None)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TermsForm {
    csrf: String,
    /// The phrases of the group, separated by commas.
    terms: String,
}

/// The synonyms page again, with a refused form (and what was typed in it) or a notice.
async fn synonyms_again(
    state: &AppState,
    ctx: &PageCtx,
    status: StatusCode,
    done: Option<Notice<'_>>,
    refused: Option<&Refused<'_>>,
) -> Result<HttpResponse, AppError> {
    let groups = load_groups(state).await?;
    Ok(html(status, views::synonyms(ctx, &groups, done, refused)))
}

/// The synonyms page again, with the group form that was refused, what was typed and why.
async fn terms_refused(
    state: &AppState,
    ctx: &PageCtx,
    target: Target<'_>,
    typed: &str,
    invalid: &Invalid,
) -> Result<HttpResponse, AppError> {
    let refused = Refused {
        target,
        typed,
        code: first_code(invalid),
    };
    synonyms_again(
        state,
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        Some(&refused),
    )
    .await
}

pub async fn add_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<TermsForm>,
) -> Result<HttpResponse, AppError> {
    let author = agent(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let phrases = match parse_synonyms(&form.terms) {
        Ok(phrases) => phrases,
        Err(invalid) => {
            return terms_refused(&state, &ctx, Target::NewGroup, &form.terms, &invalid).await;
        }
    };
    let now = state.clock.now();
    let group = state
        .db(move |s| s.write(|c| store::add_synonyms(c, &join_synonyms(&phrases), &author, now)))
        .await?;
    Ok(see_other(&format!(
        "/gestion/synonymes?fait=ajoute#groupe-{}",
        group.id
    )))
}

pub async fn edit_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    form: web::Form<TermsForm>,
) -> Result<HttpResponse, AppError> {
    let author = agent(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = id.into_inner();
    let phrases = match parse_synonyms(&form.terms) {
        Ok(phrases) => phrases,
        Err(invalid) => {
            return terms_refused(&state, &ctx, Target::Group(id), &form.terms, &invalid).await;
        }
    };
    let now = state.clock.now();
    let saved = state
        .db(move |s| {
            s.write(|c| {
                match store::update_synonyms(c, id, &join_synonyms(&phrases), &author, now) {
                    Ok(()) => Ok(true),
                    Err(StoreError::NotFound) => Ok(false),
                    Err(other) => Err(other),
                }
            })
        })
        .await?;
    if !saved {
        // Deleted by someone else meanwhile: what was typed comes back in the form that adds a
        // group, to add it again if it is still wanted.
        let refused = Refused {
            target: Target::NewGroup,
            typed: &form.terms,
            code: "synonym_group_gone",
        };
        return synonyms_again(&state, &ctx, StatusCode::CONFLICT, None, Some(&refused)).await;
    }
    Ok(see_other(&format!(
        "/gestion/synonymes?fait=modifie#groupe-{id}"
    )))
}

pub async fn confirm_delete(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    agent(&ctx, &state)?;
    let id = id.into_inner();
    let groups = load_groups(&state).await?;
    match groups.iter().find(|g| g.id == id) {
        Some(group) => Ok(ok(views::confirm_delete(&ctx, group))),
        None => Ok(html(
            StatusCode::NOT_FOUND,
            views::synonyms(&ctx, &groups, Some(Notice::GroupGone), None),
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
}

pub async fn delete_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, AppError> {
    let author = agent(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = id.into_inner();
    let deleted = state
        .db(move |s| {
            s.write(|c| match store::delete_synonyms(c, id, &author) {
                Ok(()) => Ok(true),
                Err(StoreError::NotFound) => Ok(false),
                Err(other) => Err(other),
            })
        })
        .await?;
    if !deleted {
        return synonyms_again(
            &state,
            &ctx,
            StatusCode::CONFLICT,
            Some(Notice::GroupGone),
            None,
        )
        .await;
    }
    Ok(see_other("/gestion/synonymes?fait=supprime"))
}
