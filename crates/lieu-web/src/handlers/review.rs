//! The agents' review queue and decisions on submissions of the referencing form. Every
//! decision names the version of the submission the agent looked at: of two agents deciding at
//! once, the second is shown who decided, and nothing is overwritten.

use super::{html, ok, see_other};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::i18n::t_fr;
use crate::state::AppState;
use crate::views::directory::{FormView, entry_url};
use crate::views::review::{
    self as view, Duplicate, QueueFilters, QueueView, Refusal, SubmissionView,
};
use crate::views::submit::{PrivateLink, kind_with_article, proposed_rows};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, TimeDelta};
use lieu_core::entry::{EntryForm, Kind, TEXT_MAX};
use lieu_core::submission::{RejectReason, SubmissionStatus};
use lieu_core::{Invalid, Permission};
use lieu_mail::templates::{self, About};
use lieu_store::StoreError;
use lieu_store::models::audit_log;
use lieu_store::models::entries::{self, Entry};
use lieu_store::models::users;
use lieu_store::submissions::{self as subs, QueueFilter, Refused, Submission};
use lieu_store::wiki::Author;
use serde::Deserialize;

/// Rows of the queue on one page.
pub const PER_PAGE: i64 = 50;

fn reviewer(ctx: &PageCtx, state: &AppState) -> Result<Author, AppError> {
    Ok(ctx
        .require(Permission::ReviewSubmissions)?
        .author(state.clock.now()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    #[serde(rename = "type")]
    kind: String,
    etat: String,
    commune: String,
    anciennete: String,
    /// The last row of the previous page: `<seconds>.<id>`.
    apres: String,
}

fn parse_after(s: &str) -> Option<(chrono::NaiveDateTime, i32)> {
    let (secs, id) = s.split_once('.')?;
    let at = DateTime::from_timestamp(secs.parse().ok()?, 0)?.naive_utc();
    // Every backend can compare with a moment of these years; others are not a page's end.
    if !(1970..=9999).contains(&chrono::Datelike::year(&at)) {
        return None;
    }
    Some((at, id.parse().ok()?))
}

/// GET `/gestion/propositions`.
pub async fn queue(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    reviewer(&ctx, &state)?;
    let q = query.into_inner();
    let territory = state.territory().await?;
    // Unknown values are dropped, as on the public lists.
    let kind: Option<Kind> = q.kind.trim().parse().ok();
    let status = SubmissionStatus::parse(q.etat.trim());
    let commune = territory.commune(q.commune.trim()).map(|c| c.insee.clone());
    let age = view::AGES
        .iter()
        .find(|a| **a == q.anciennete.trim())
        .copied();
    let now = state.clock.now();
    let filter = QueueFilter {
        kind,
        status,
        commune: commune.clone(),
        created_before: age
            .and_then(|a| a.parse::<i64>().ok())
            .map(|days| now - TimeDelta::days(days)),
    };
    let filters = QueueFilters {
        kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        commune: commune.unwrap_or_default(),
        age: age.unwrap_or_default().to_owned(),
    };
    let after = parse_after(q.apres.trim());
    let (rows, total) = state
        .db(move |s| {
            s.read(|c| {
                let rows = subs::queue(c, &filter, after, PER_PAGE + 1)?;
                let total = subs::count(c, &filter)?;
                Ok((rows, total))
            })
        })
        .await?;
    let (rows, next) = if rows.len() > usize::try_from(PER_PAGE).unwrap_or(usize::MAX) {
        let mut rows = rows;
        rows.pop();
        let last = rows
            .last()
            .map(|s| format!("{}.{}", s.created_at.and_utc().timestamp(), s.id));
        let next = last.map(|l| filters.url(&[("apres", &l)]));
        (rows, next)
    } else {
        (rows, None)
    };
    Ok(ok(view::queue(
        &ctx,
        &QueueView {
            filters: &filters,
            rows: &rows,
            total,
            communes: &territory.communes,
            next,
            paged: after.is_some(),
        },
    )))
}

/// What the submission page shows, read in one go.
struct Loaded {
    submission: Submission,
    target: Option<(Entry, EntryForm)>,
    entry: Option<Entry>,
    similar: Vec<Submission>,
    history: Vec<(audit_log::AuditEntry, Option<String>)>,
    decided_by: Option<String>,
}

async fn load(state: &AppState, id: i32) -> Result<Loaded, AppError> {
    state
        .db(move |s| {
            s.read(|c| {
                let submission = subs::by_id(c, id)?.ok_or(StoreError::NotFound)?;
                let target = match submission.target_entry_id {
                    Some(tid) => {
                        let entry = entries::by_id(c, tid)?.ok_or(StoreError::NotFound)?;
                        let form = lieu_store::directory::form_of(c, &entry)?;
                        Some((entry, form))
                    }
                    None => None,
                };
                let entry = match submission.entry_id {
                    Some(eid) => entries::by_id(c, eid)?,
                    None => None,
                };
                let similar = subs::similar(c, &submission, 10)?;
                let history = audit_log::for_target(c, &format!("submission:{id}"), 200)?;
                let decided_by = match submission.decided_by {
                    Some(uid) => users::by_id(c, lieu_core::UserId(uid))?.map(|u| u.name),
                    None => None,
                };
                Ok(Loaded {
                    submission,
                    target,
                    entry,
                    similar,
                    history,
                    decided_by,
                })
            })
        })
        .await
}

/// Published entries that look like the submission: its title among entries of its kind, and
/// its contact phone and e-mail anywhere in the directory, through the search index.
fn entry_duplicates(
    state: &AppState,
    s: &Submission,
    form: Option<&EntryForm>,
) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut ask = |text: String, kind: Option<String>| {
        if text.trim().is_empty() {
            return;
        }
        let request = lieu_search::SearchRequest {
            text,
            kind,
            commune: None,
            theme: None,
            offset: 0,
            limit: 5,
            now: state.clock.now(),
        };
        if let Ok(results) = state.search.search(&request) {
            for hit in results.hits {
                if Some(hit.id) == s.target_entry_id || hit.kind == "page" {
                    continue;
                }
                let url = crate::views::search::hit_url(&hit);
                if !found.iter().any(|(_, u)| *u == url) {
                    found.push((hit.title, url));
                }
            }
        }
    };
    ask(s.title.clone(), Some(s.kind.clone()));
    for contact in [&s.sender_phone, &s.sender_email] {
        ask(format!("\"{contact}\""), None);
    }
    if let Some(f) = form {
        for contact in [&f.phone, &f.email, &f.address] {
            ask(format!("\"{contact}\""), None);
        }
    }
    found.truncate(8);
    found
}

async fn show(
    state: &AppState,
    ctx: &PageCtx,
    id: i32,
    status: StatusCode,
    refusal: Option<Refusal>,
) -> Result<HttpResponse, AppError> {
    let loaded = load(state, id).await?;
    let s = &loaded.submission;
    let territory = state.territory().await?;
    let kind = s.kind().ok_or(AppError::NotFound)?;
    let form = s.form();
    let rows = form
        .as_ref()
        .map(|f| proposed_rows(kind, f, &territory))
        .unwrap_or_default();
    let current = loaded
        .target
        .as_ref()
        .map(|(_, f)| proposed_rows(kind, f, &territory));
    let dup_entries = if s.status().is_some_and(SubmissionStatus::is_open) {
        entry_duplicates(state, s, form.as_ref())
    } else {
        Vec::new()
    };
    let mut duplicates: Vec<Duplicate<'_>> = dup_entries
        .iter()
        .map(|(title, url)| Duplicate::Entry {
            title,
            url: url.clone(),
        })
        .collect();
    duplicates.extend(loaded.similar.iter().map(Duplicate::Submission));
    let page = view::submission(
        ctx,
        &SubmissionView {
            submission: s,
            rows: &rows,
            target: loaded
                .target
                .as_ref()
                .zip(current.as_deref())
                .map(|((e, _), c)| (e, c)),
            duplicates,
            history: &loaded.history,
            decided_by: loaded.decided_by.as_deref(),
            entry: loaded.entry.as_ref(),
            refusal,
            now: state.clock.now(),
        },
    );
    Ok(html(status, page))
}

/// GET `/gestion/propositions/{id}`.
pub async fn one(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    reviewer(&ctx, &state)?;
    show(&state, &ctx, id.into_inner(), StatusCode::OK, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    csrf: String,
    version: String,
    entry_revision: String,
    message: String,
    reason: String,
}

/// The revision of the entry a correction was compared with: a number, or absent (a new
/// entry); anything else is not a form this site made.
fn revision_of(s: &str) -> Result<Option<i32>, AppError> {
    match s.trim() {
        "" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("entry_revision".into())),
    }
}

fn version_of(s: &str) -> Result<i32, AppError> {
    s.trim()
        .parse()
        .map_err(|_| AppError::BadRequest("version".into()))
}

/// A decision that lost to someone else's is shown on the submission as it is now.
async fn refused(
    state: &AppState,
    ctx: &PageCtx,
    id: i32,
    why: &Refused,
) -> Result<HttpResponse, AppError> {
    let refusal = match why {
        Refused::Closed(_) => Refusal::Decided,
        Refused::Stale(_) => Refusal::Changed,
    };
    show(state, ctx, id, StatusCode::CONFLICT, Some(refusal)).await
}

/// The words a message about submission `s` needs.
fn about<'a>(s: &'a Submission, tracking_url: &'a str) -> About<'a> {
    About {
        title: &s.title,
        kind: s.kind().map_or("", kind_with_article),
        tracking_url,
    }
}

/// The words an agent typed for the sender: at most [`TEXT_MAX`] characters, and present
/// when the decision needs them.
pub(crate) fn checked_message(message: &str, required: bool) -> Result<String, Refusal> {
    let message = message.trim();
    if message.chars().count() > TEXT_MAX {
        return Err(Refusal::MessageTooLong);
    }
    if required && message.is_empty() {
        return Err(Refusal::MessageRequired);
    }
    Ok(message.to_owned())
}

/// Records a decision that is told to the sender in one message, with a new private link:
/// `mail` writes the message (from the submission as it is and the link), `decide` moves the
/// submission (with the messages to write). One transaction; a decision that lost to another
/// is shown the one that won.
async fn decide_and_tell<M, D>(
    state: &web::Data<AppState>,
    ctx: &PageCtx,
    id: i32,
    mail: M,
    decide: D,
) -> Result<HttpResponse, AppError>
where
    M: FnOnce(&AppState, &Submission, &str) -> lieu_store::mail::NewMail + Send + 'static,
    D: FnOnce(
            &mut lieu_store::DbConn,
            &[lieu_store::mail::NewMail],
        ) -> Result<Result<Submission, Refused>, StoreError>
        + Send
        + 'static,
{
    let app = state.clone();
    let moved = state
        .db(move |s| {
            s.write(|c| {
                let current = subs::by_id(c, id)?.ok_or(StoreError::NotFound)?;
                let link = PrivateLink::new();
                let mails = [mail(&app, &current, &app.config.absolute(&link.path()))];
                let moved = decide(c, &mails)?;
                if moved.is_ok() {
                    subs::replace_token(c, id, &link.digest)?;
                }
                Ok(moved)
            })
        })
        .await?;
    match moved {
        Ok(_) => Ok(see_other(&view::submission_path(id))),
        Err(why) => refused(state, ctx, id, &why).await,
    }
}

/// POST `/gestion/propositions/{id}/demander`: asks the sender for changes.
pub async fn request_changes(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let agent = reviewer(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = id.into_inner();
    let version = version_of(&form.version)?;
    let message = match checked_message(&form.message, true) {
        Ok(m) => m,
        Err(r) => return show(&state, &ctx, id, StatusCode::UNPROCESSABLE_ENTITY, Some(r)).await,
    };
    let now = state.clock.now();
    let agent_id = agent.id.ok_or(AppError::Forbidden)?;
    let words = message.clone();
    decide_and_tell(
        &state,
        &ctx,
        id,
        move |app, current, link| {
            templates::changes_requested(
                app.config.mail_site(),
                &current.sender_email,
                about(current, link),
                &words,
            )
        },
        move |c, mails| subs::request_changes(c, id, version, &message, agent_id, mails, now),
    )
    .await
}

/// POST `/gestion/propositions/{id}/refuser`.
pub async fn reject(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let agent = reviewer(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = id.into_inner();
    let version = version_of(&form.version)?;
    let reason = RejectReason::parse(form.reason.trim())
        .ok_or_else(|| AppError::BadRequest("reason".into()))?;
    let message = match checked_message(&form.message, reason == RejectReason::Other) {
        Ok(m) => m,
        Err(r) => return show(&state, &ctx, id, StatusCode::UNPROCESSABLE_ENTITY, Some(r)).await,
    };
    let now = state.clock.now();
    let agent_id = agent.id.ok_or(AppError::Forbidden)?;
    let words = message.clone();
    decide_and_tell(
        &state,
        &ctx,
        id,
        move |app, current, link| {
            templates::rejected(
                app.config.mail_site(),
                &current.sender_email,
                about(current, link),
                reason.label_fr(),
                &words,
                app.config.keep_months(),
            )
        },
        move |c, mails| subs::reject(c, id, version, reason, &message, agent_id, mails, now),
    )
    .await
}

/// What an approval attempt came to.
enum Approved {
    Done,
    Refused(Refused),
    Invalid(Invalid),
    EntryChanged,
}

async fn approve_with(
    state: &web::Data<AppState>,
    agent: Author,
    id: i32,
    version: i32,
    edited: Option<EntryForm>,
    entry_revision: Option<i32>,
) -> Result<Approved, AppError> {
    let now = state.clock.now();
    let today = state.clock.today();
    let app = state.clone();
    let result = state
        .db(move |s| {
            s.write(|c| {
                let current = subs::by_id(c, id)?.ok_or(StoreError::NotFound)?;
                // A correction is approved over the revision the agent compared with, never
                // over whatever the entry has become.
                if current.target_entry_id.is_some() && entry_revision.is_none() {
                    return Err(StoreError::Conflict);
                }
                let summary = if current.target_entry_id.is_some() {
                    t_fr("revision.submission_correction")
                } else {
                    t_fr("revision.submission_created")
                };
                let link = PrivateLink::new();
                let tracking_url = app.config.absolute(&link.path());
                let approved = subs::approve(
                    c,
                    id,
                    version,
                    edited.as_ref(),
                    entry_revision,
                    &agent,
                    summary,
                    today,
                    now,
                    |entry| {
                        vec![templates::approved(
                            app.config.mail_site(),
                            &current.sender_email,
                            about(&current, &tracking_url),
                            &app.config.absolute(&entry_url(entry)),
                        )]
                    },
                );
                // Errors undo the approval (the claim included): they come back as errors.
                match approved {
                    Ok(Ok(_)) => {
                        subs::replace_token(c, id, &link.digest)?;
                        Ok(Approved::Done)
                    }
                    Ok(Err(refused)) => Ok(Approved::Refused(refused)),
                    Err(e) => Err(e),
                }
            })
        })
        .await;
    match result {
        Ok(done) => Ok(done),
        // The store's errors that undid the approval, as `From<StoreError>` tells them.
        Err(AppError::Invalid(invalid))
            if invalid
                .on("entry")
                .is_some_and(|e| e.code == "changed_meanwhile") =>
        {
            Ok(Approved::EntryChanged)
        }
        Err(AppError::Invalid(invalid)) => Ok(Approved::Invalid(invalid)),
        Err(other) => Err(other),
    }
}

/// POST `/gestion/propositions/{id}/approuver`: publishes the submission as sent.
pub async fn approve(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let agent = reviewer(&ctx, &state)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id = id.into_inner();
    let version = version_of(&form.version)?;
    let entry_revision = revision_of(&form.entry_revision)?;
    match approve_with(&state, agent, id, version, None, entry_revision).await? {
        Approved::Done => Ok(see_other(&view::submission_path(id))),
        Approved::Refused(why) => refused(&state, &ctx, id, &why).await,
        Approved::EntryChanged => {
            show(
                &state,
                &ctx,
                id,
                StatusCode::CONFLICT,
                Some(Refusal::EntryChanged),
            )
            .await
        }
        // What was valid when sent may not be now (a date passed): the agent corrects it.
        Approved::Invalid(invalid) => edit_page(&state, &ctx, id, None, Some(&invalid)).await,
    }
}

/// The agents' entry form, filled with the submission (or with the agent's edits), to
/// approve after editing.
async fn edit_page(
    state: &AppState,
    ctx: &PageCtx,
    id: i32,
    edited: Option<&EntryForm>,
    invalid: Option<&Invalid>,
) -> Result<HttpResponse, AppError> {
    let loaded = load(state, id).await?;
    let s = &loaded.submission;
    if !s.status().is_some_and(SubmissionStatus::is_open) {
        return show(state, ctx, id, StatusCode::CONFLICT, Some(Refusal::Decided)).await;
    }
    let kind = s.kind().ok_or(AppError::NotFound)?;
    let form = match edited {
        Some(f) => f.clone(),
        None => s.form().ok_or(AppError::NotFound)?,
    };
    let territory = state.territory().await?;
    let status = if invalid.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(
        status,
        crate::views::review::edit_form(
            ctx,
            s,
            loaded.target.as_ref().map(|(e, _)| e),
            &FormView {
                kind,
                entry: None,
                form: &form,
                invalid,
                communes: &territory.communes,
                categories: territory.categories(kind),
                conflict: false,
            },
        ),
    ))
}

/// GET `/gestion/propositions/{id}/modifier`.
pub async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    reviewer(&ctx, &state)?;
    edit_page(&state, &ctx, id.into_inner(), None, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EditMeta {
    csrf: String,
    version: String,
    entry_revision: String,
}

/// POST `/gestion/propositions/{id}/modifier`: approves with the agent's edits.
pub async fn edit_and_approve(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let agent = reviewer(&ctx, &state)?;
    let (meta, mut form) = super::entry_form_body::<EditMeta>(&body)?;
    form.change_summary.clear();
    ctx.verify_csrf(&req, &meta.csrf)?;
    let id = id.into_inner();
    let version = version_of(&meta.version)?;
    let entry_revision = revision_of(&meta.entry_revision)?;
    match approve_with(
        &state,
        agent,
        id,
        version,
        Some(form.clone()),
        entry_revision,
    )
    .await?
    {
        Approved::Done => Ok(see_other(&view::submission_path(id))),
        Approved::Refused(why) => refused(&state, &ctx, id, &why).await,
        Approved::EntryChanged => {
            show(
                &state,
                &ctx,
                id,
                StatusCode::CONFLICT,
                Some(Refusal::EntryChanged),
            )
            .await
        }
        Approved::Invalid(invalid) => {
            edit_page(&state, &ctx, id, Some(&form), Some(&invalid)).await
        }
    }
}
