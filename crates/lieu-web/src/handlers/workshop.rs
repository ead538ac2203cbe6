//! Workshops: a trainer prepares one (practice accounts and their login cards), runs its
//! sandbox (practice pages, practice referencing form, practice queue, practice mailbox) and
//! resets it in one click. A participant reaches only their own workshop's sandbox; a trainer
//! only their workshops; an administrator all of them.

use super::{html, ok, private, see_other};
use crate::error::AppError;
use crate::extract::{PageCtx, Viewer};
use crate::i18n::t_fr;
use crate::state::AppState;
use crate::views::directory::FormView;
use crate::views::review::Refusal;
use crate::views::submit::{kind_with_article, proposed_rows};
use crate::views::workshop::{self as view, Done, ListView, PracticeEdit, PracticeFormView};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use lieu_core::entry::{EntryForm, Kind, clean};
use lieu_core::page::PageDraft;
use lieu_core::submission::{Decision, RejectReason, SubmissionStatus, check_sender};
use lieu_core::workshop::{PracticeMailId, PracticeSubmissionId, WorkshopDraft, WorkshopId};
use lieu_core::{Invalid, Permission, Role};
use lieu_mail::templates::{self, About};
use lieu_store::error::StoreResult;
use lieu_store::mail::NewMail;
use lieu_store::workshops::{
    self as store, NewPracticeSubmission, NewWorkshop, PracticeRefused, PracticeSave,
    PracticeSubmission, Scope, Workshop,
};
use lieu_store::{DbConn, StoreError};
use serde::Deserialize;

/// Rows of a list on one page.
const PER_PAGE: i64 = 50;

/// Runs `f` on a connection of the store, off the async workers.
async fn read<T, E, F>(state: &AppState, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    E: Into<StoreError>,
    F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
{
    state
        .db(move |s| s.read(|c| f(c).map_err(Into::into)))
        .await
}

/// Cuts a list read with `PER_PAGE + 1` rows (keyset paging) to one page. The extra row, if
/// read, says there is a next page: its address, made by `next` from this page's last row.
fn one_page<T>(rows: &mut Vec<T>, next: impl FnOnce(&T) -> String) -> Option<String> {
    let per_page = usize::try_from(PER_PAGE).unwrap_or(usize::MAX);
    if rows.len() <= per_page {
        return None;
    }
    rows.truncate(per_page);
    rows.last().map(next)
}

/// A workshop as the viewer reaches it.
struct Opened {
    viewer: Viewer,
    workshop: Workshop,
    /// The viewer runs it (its trainer, or an administrator).
    runs: bool,
}

fn parse_id(s: &str) -> Result<i32, AppError> {
    s.parse::<i32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(AppError::NotFound)
}

/// The workshop `id` if the viewer holds `need` on it: `RunWorkshops` for its trainer (or an
/// administrator); `Practise` for them and for the participants seated in it. Anyone else is
/// forbidden, and an anonymous reader is sent to log in.
async fn open(
    state: &AppState,
    ctx: &PageCtx,
    id: &str,
    need: Permission,
) -> Result<Opened, AppError> {
    let viewer = ctx.require(need)?.clone();
    let id = WorkshopId(parse_id(id)?);
    let user = viewer.id;
    let (workshop, seat) = read(state, move |c| -> StoreResult<_> {
        Ok((store::by_id(c, id)?, store::seat_of(c, user)?))
    })
    .await?;
    let workshop = workshop.ok_or(AppError::NotFound)?;
    let runs = viewer.can(Permission::RunWorkshops)
        && (viewer.role == Role::Admin || workshop.is_run_by(viewer.id));
    let seated = seat.is_some_and(|(w, _)| w.id == workshop.id);
    let allowed = match need {
        Permission::RunWorkshops => runs,
        Permission::Practise => runs || seated,
        _ => false,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    Ok(Opened {
        viewer,
        workshop,
        runs,
    })
}

/// GET `/atelier`: where a login card leads. A participant goes to their sandbox, a trainer to
/// their workshops.
pub async fn mine(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, AppError> {
    own_workshop(&state, &ctx, view::sandbox_path).await
}

/// GET `/atelier/referencer`: the menu's referencing link, for a participant: the practice
/// form of their workshop, so that practising never sends a real request.
pub async fn mine_form(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, AppError> {
    own_workshop(&state, &ctx, view::practice_form_path).await
}

async fn own_workshop(
    state: &AppState,
    ctx: &PageCtx,
    path: fn(WorkshopId) -> String,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::Practise)?.clone();
    if viewer.can(Permission::RunWorkshops) {
        return Ok(see_other(view::LIST_PATH));
    }
    let user = viewer.id;
    let seat = read(state, move |c| store::seat_of(c, user)).await?;
    match seat {
        Some((workshop, _)) => Ok(see_other(&path(workshop.workshop_id()))),
        None => Err(AppError::NotFound),
    }
}

// ---------------------------------------------------------------------------------------------
// The trainer's list and the new-workshop form

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// The last row of the previous page: `<YYYY-MM-DD>.<id>`.
    apres: String,
}

fn parse_after_day(s: &str) -> Option<(NaiveDate, i32)> {
    let (day, id) = s.split_once('.')?;
    Some((lieu_core::entry::parse_date(day)?, id.parse().ok()?))
}

/// The material folder's pages, read off the async workers.
async fn material(state: &AppState) -> Result<Vec<store::Material>, AppError> {
    let dir = state.config.content_dir.clone();
    web::block(move || store::read_material(&dir))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

async fn list_page(
    state: &AppState,
    ctx: &PageCtx,
    viewer: &Viewer,
    after: Option<(NaiveDate, i32)>,
    form: &WorkshopDraft,
    invalid: Option<&Invalid>,
) -> Result<maud::Markup, AppError> {
    let scope = if viewer.role == Role::Admin {
        Scope::All
    } else {
        Scope::Trainer(viewer.id)
    };
    let mut rows = read(state, move |c| store::list(c, scope, after, PER_PAGE + 1)).await?;
    let next = one_page(&mut rows, |w| {
        format!("{}?apres={}.{}", view::LIST_PATH, w.day, w.id)
    });
    let material: Vec<(String, String)> = material(state)
        .await?
        .into_iter()
        .map(|m| (m.file, m.page.title))
        .collect();
    Ok(view::list(
        ctx,
        &ListView {
            rows: &rows,
            next,
            paged: after.is_some(),
            material: &material,
            form,
            invalid,
            today: state.clock.today(),
            now: state.clock.now(),
        },
    ))
}

/// GET `/ateliers`: the trainer's workshops (an administrator's: all), latest first, and the
/// form to prepare one.
pub async fn index(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::RunWorkshops)?.clone();
    let after = parse_after_day(query.apres.trim());
    let form = WorkshopDraft::default();
    Ok(ok(
        list_page(&state, &ctx, &viewer, after, &form, None).await?
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CreateForm {
    csrf: String,
    title: String,
    day: String,
    participants: String,
    material: Vec<String>,
}

/// POST `/ateliers`: prepares a workshop, its practice accounts and its sandbox.
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let viewer = ctx.require(Permission::RunWorkshops)?.clone();
    let form: CreateForm =
        serde_html_form::from_bytes(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let all = material(&state).await?;
    let available: Vec<&str> = all.iter().map(|m| m.file.as_str()).collect();
    let draft = WorkshopDraft {
        title: form.title,
        day: form.day,
        participants: form.participants,
        material: form.material,
    };
    let valid = match draft.validate(state.clock.today(), &available) {
        Ok(valid) => valid,
        Err(invalid) => {
            let page = list_page(&state, &ctx, &viewer, None, &draft, Some(&invalid)).await?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let chosen = store::material_of_plan(&all, &valid.material);
    let participants = usize::try_from(valid.participants).unwrap_or(0);
    // Hashing is slow by design: off the async workers, before the transaction.
    let seats = web::block(move || {
        (0..participants)
            .map(|_| {
                let password = lieu_core::workshop::practice_password(&mut rand::rng());
                lieu_core::auth::hash_password(&password).map(|hash| (password, hash))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let trainer = viewer.author(state.clock.now());
    let now = state.clock.now();
    let created = state
        .db(move |s| {
            s.write(|c| {
                store::create(
                    c,
                    &NewWorkshop {
                        workshop: &valid,
                        trainer: &trainer,
                        seats: &seats,
                        trainee_name: t_fr("workshop.trainee_name"),
                        material: &chosen,
                    },
                    now,
                )
            })
        })
        .await?;
    tracing::info!(
        workshop = created.id,
        participants = created.participants,
        "workshop created"
    );
    Ok(see_other(&format!(
        "{}?fait=cree",
        view::workshop_path(created.workshop_id())
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    fait: String,
}

/// GET `/ateliers/{id}`: the trainer's page — the day's plan, the participants, the links.
pub async fn show(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::RunWorkshops).await?;
    let wid = o.workshop.workshop_id();
    let (cards, waiting, posts_waiting) = read(&state, move |c| -> StoreResult<_> {
        let (held, reported) = lieu_store::exchange::queue_counts(
            c,
            lieu_store::exchange::QueueOf::Workshop(wid.0),
            100,
        )?;
        Ok((
            store::cards(c, wid)?,
            store::count(c, wid, SubmissionStatus::Waiting)?,
            held + reported,
        ))
    })
    .await?;
    let plan: Vec<(String, String)> =
        store::material_of_plan(&material(&state).await?, &o.workshop.plan())
            .into_iter()
            .map(|m| (m.page.title, m.page.slug))
            .collect();
    let done = match query.fait.as_str() {
        "cree" => Some(Done::Created),
        "reinitialise" => Some(Done::Reset),
        _ => None,
    };
    Ok(ok(view::trainer_page(
        &ctx,
        &view::TrainerView {
            workshop: &o.workshop,
            plan: &plan,
            cards: &cards,
            waiting,
            posts_waiting,
            done,
            now: state.clock.now(),
        },
    )))
}

/// GET `/ateliers/{id}/cartes`: the login cards, to print. A private page: they hold
/// passwords.
pub async fn cards(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::RunWorkshops).await?;
    let wid = o.workshop.workshop_id();
    let cards = read(&state, move |c| store::cards(c, wid)).await?;
    let base = state.config.base_url.trim_end_matches('/');
    let site = base.split_once("://").map_or(base, |(_, rest)| rest);
    let address = format!("{site}{}", view::MINE_PATH);
    Ok(private(ok(view::cards(
        &ctx,
        &view::CardsView {
            workshop: &o.workshop,
            cards: &cards,
            address: &address,
            now: state.clock.now(),
        },
    ))))
}

/// GET `/ateliers/{id}/reinitialiser`: asks before emptying the sandbox.
pub async fn reset_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::RunWorkshops).await?;
    Ok(ok(view::reset_confirm(&ctx, &o.workshop)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

/// POST `/ateliers/{id}/reinitialiser`: empties the sandbox (pages, practice submissions,
/// practice mailbox) and writes the starting pages again from the material folder.
pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::RunWorkshops).await?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let wid = o.workshop.workshop_id();
    let chosen = store::material_of_plan(&material(&state).await?, &o.workshop.plan());
    let trainer = o.viewer.author(state.clock.now());
    let now = state.clock.now();
    let report = state
        .db(move |s| s.write(|c| store::reset(c, wid, &chosen, &trainer, now)))
        .await?;
    tracing::info!(workshop = wid.0, ?report, "sandbox reset");
    Ok(see_other(&format!(
        "{}?fait=reinitialise",
        view::workshop_path(wid)
    )))
}

// ---------------------------------------------------------------------------------------------
// Sandbox pages

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SlugPage {
    apres: String,
}

/// GET `/ateliers/{id}/bac-a-sable`: the sandbox's pages.
pub async fn sandbox(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    query: web::Query<SlugPage>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let wid = o.workshop.workshop_id();
    let after = Some(query.apres.trim().to_owned()).filter(|s| !s.is_empty() && s.len() <= 300);
    let paged = after.is_some();
    let mut pages = read(&state, move |c| {
        store::pages(c, wid, after.as_deref(), PER_PAGE + 1)
    })
    .await?;
    let next = one_page(&mut pages, |p| {
        format!(
            "{}?{}",
            view::sandbox_path(wid),
            serde_urlencoded::to_string([("apres", p.slug.as_str())]).unwrap_or_default()
        )
    });
    Ok(ok(view::sandbox(
        &ctx,
        &view::SandboxView {
            workshop: &o.workshop,
            runs: o.runs,
            pages: &pages,
            next,
            paged,
        },
    )))
}

async fn load_page(
    state: &AppState,
    workshop: WorkshopId,
    slug: &str,
) -> Result<Option<store::PracticePage>, AppError> {
    if slug.len() > 300 {
        return Ok(None);
    }
    let slug = slug.to_owned();
    read(state, move |c| store::page(c, workshop, &slug)).await
}

/// GET `/ateliers/{id}/bac-a-sable/{slug}`: a practice page.
pub async fn page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, slug) = path.into_inner();
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    match load_page(&state, o.workshop.workshop_id(), &slug).await? {
        Some(page) => Ok(ok(view::practice_page(&ctx, &o.workshop, o.runs, &page))),
        None => Ok(html(
            StatusCode::NOT_FOUND,
            view::missing_page(&ctx, &o.workshop, o.runs, &slug),
        )),
    }
}

/// GET `/ateliers/{id}/bac-a-sable/{slug}/modifier`.
pub async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, slug) = path.into_inner();
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let page = load_page(&state, o.workshop.workshop_id(), &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ok(view::practice_edit(
        &ctx,
        &PracticeEdit {
            workshop: &o.workshop,
            runs: o.runs,
            page: Some((&page.slug, &page.title)),
            title: &page.title,
            body: &page.body,
            base_revision: page.revision_number,
            invalid: None,
            conflict: None,
        },
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageForm {
    csrf: String,
    title: String,
    body: String,
    base_revision: i32,
}

/// POST `/ateliers/{id}/bac-a-sable/{slug}/modifier`: saves a practice page if nobody saved
/// it since the form was opened; otherwise the form comes back with the text typed and the
/// page as it is now (409).
pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    form: web::Form<PageForm>,
) -> Result<HttpResponse, AppError> {
    let (id, slug) = path.into_inner();
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let expired = ctx.csrf_expired(&req, &form.csrf)?;
    let wid = o.workshop.workshop_id();
    let page = load_page(&state, wid, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = form.into_inner();
    let show = |status, invalid: Option<&Invalid>, conflict: Option<&store::PracticePage>| {
        html(
            status,
            view::practice_edit(
                &ctx,
                &PracticeEdit {
                    workshop: &o.workshop,
                    runs: o.runs,
                    page: Some((&page.slug, &page.title)),
                    title: &page.title,
                    body: &form.body,
                    base_revision: conflict.map_or(form.base_revision, |c| c.revision_number),
                    invalid,
                    conflict,
                },
            ),
        )
    };
    if expired {
        let invalid = Invalid::single("body", "form_expired");
        return Ok(show(StatusCode::FORBIDDEN, Some(&invalid), None));
    }
    let valid = match (PageDraft {
        title: page.title.clone(),
        body: form.body.clone(),
        summary: String::new(),
    })
    .validate()
    {
        Ok(valid) => valid,
        Err(invalid) => return Ok(show(StatusCode::UNPROCESSABLE_ENTITY, Some(&invalid), None)),
    };
    let (editor, now, base, target) = (
        o.viewer.author(state.clock.now()),
        state.clock.now(),
        form.base_revision,
        page.slug.clone(),
    );
    let outcome = state
        .db(move |s| {
            s.write(|c| store::edit_page(c, wid, &target, base, &valid.body, &editor, now))
        })
        .await?;
    match outcome {
        PracticeSave::Saved(p) | PracticeSave::Unchanged(p) => {
            Ok(see_other(&view::practice_page_path(wid, &p.slug)))
        }
        PracticeSave::Conflict(current) => {
            tracing::info!(workshop = wid.0, page = %current.slug, "practice edit conflict");
            Ok(show(StatusCode::CONFLICT, None, Some(&current)))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewPageQuery {
    titre: String,
}

/// GET `/ateliers/{id}/nouvelle-page`.
pub async fn new_page_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    query: web::Query<NewPageQuery>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    Ok(ok(view::practice_edit(
        &ctx,
        &PracticeEdit {
            workshop: &o.workshop,
            runs: o.runs,
            page: None,
            title: &query.titre,
            body: "",
            base_revision: 0,
            invalid: None,
            conflict: None,
        },
    )))
}

/// POST `/ateliers/{id}/nouvelle-page`: creates a practice page.
pub async fn create_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<PageForm>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let expired = ctx.csrf_expired(&req, &form.csrf)?;
    let wid = o.workshop.workshop_id();
    let form = form.into_inner();
    let show = |status, invalid: &Invalid| {
        html(
            status,
            view::practice_edit(
                &ctx,
                &PracticeEdit {
                    workshop: &o.workshop,
                    runs: o.runs,
                    page: None,
                    title: &form.title,
                    body: &form.body,
                    base_revision: 0,
                    invalid: Some(invalid),
                    conflict: None,
                },
            ),
        )
    };
    if expired {
        return Ok(show(
            StatusCode::FORBIDDEN,
            &Invalid::single("body", "form_expired"),
        ));
    }
    let valid = match (PageDraft {
        title: form.title.clone(),
        body: form.body.clone(),
        summary: String::new(),
    })
    .validate()
    {
        Ok(valid) => valid,
        Err(invalid) => return Ok(show(StatusCode::UNPROCESSABLE_ENTITY, &invalid)),
    };
    let (editor, now) = (o.viewer.author(state.clock.now()), state.clock.now());
    let created = state
        .db(move |s| s.write(|c| store::create_page(c, wid, &valid, &editor, now)))
        .await;
    match created {
        Ok(p) => Ok(see_other(&view::practice_page_path(wid, &p.slug))),
        Err(AppError::Invalid(invalid)) => Ok(show(StatusCode::CONFLICT, &invalid)),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// The practice referencing form

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct KindQuery {
    #[serde(rename = "type")]
    kind: String,
}

#[allow(clippy::too_many_arguments)]
async fn show_practice_form(
    state: &AppState,
    ctx: &PageCtx,
    o: &Opened,
    status: StatusCode,
    kind: Kind,
    form: &EntryForm,
    sender: (&str, &str, bool),
    invalid: Option<&Invalid>,
) -> Result<HttpResponse, AppError> {
    let territory = state.territory().await?;
    Ok(html(
        status,
        view::practice_form(
            ctx,
            &PracticeFormView {
                workshop: &o.workshop,
                runs: o.runs,
                fields: FormView {
                    kind,
                    entry: None,
                    form,
                    invalid,
                    communes: &territory.communes,
                    categories: territory.categories(kind),
                    conflict: false,
                },
                sender_name: sender.0,
                sender_email: sender.1,
                consent: sender.2,
            },
        ),
    ))
}

/// GET `/ateliers/{id}/referencer`: the kinds to choose from, or the practice form of one.
pub async fn practice_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    query: web::Query<KindQuery>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let Ok(kind) = query.kind.trim().parse::<Kind>() else {
        return Ok(ok(view::practice_choose(&ctx, &o.workshop, o.runs)));
    };
    show_practice_form(
        &state,
        &ctx,
        &o,
        StatusCode::OK,
        kind,
        &EntryForm::default(),
        ("", "", false),
        None,
    )
    .await
}

/// The fields of the practice form that are not the entry's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PracticeMeta {
    csrf: String,
    #[serde(rename = "type")]
    kind: String,
    sender_name: String,
    sender_email: String,
    consent: String,
}

/// What a practice message speaks of: the submission, and its page in the sandbox.
fn about_link(state: &AppState, s: &PracticeSubmission) -> String {
    state.config.absolute(&view::practice_submission_path(
        WorkshopId(s.workshop_id),
        s.id,
    ))
}

/// POST `/ateliers/{id}/referencer`: checks the form as the real one is checked, then writes
/// a practice submission to the workshop's practice queue and the « received » message to
/// its practice mailbox. Nothing reaches the real queue, directory or mail.
pub async fn practice_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let (meta, mut form) = super::entry_form_body::<PracticeMeta>(&body)?;
    let expired = ctx.csrf_expired(&req, &meta.csrf)?;
    form.change_summary.clear();
    let kind: Kind = meta
        .kind
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("type".into()))?;
    let name = clean(&meta.sender_name);
    let email = meta.sender_email.trim().to_owned();
    let consent = meta.consent == "oui";
    if expired {
        return show_practice_form(
            &state,
            &ctx,
            &o,
            StatusCode::FORBIDDEN,
            kind,
            &form,
            (&name, &email, consent),
            Some(&Invalid::single("title", "form_expired")),
        )
        .await;
    }
    let mut invalid = check_sender(&name, "", &email, "", consent);
    let (to_check, today) = (form.clone(), state.clock.today());
    if let Err(errors) = state
        .db(move |s| s.read(|c| lieu_store::directory::validate(c, kind, &to_check, today)))
        .await?
    {
        invalid.errors.splice(0..0, errors.errors);
    }
    if !invalid.is_empty() {
        return show_practice_form(
            &state,
            &ctx,
            &o,
            StatusCode::UNPROCESSABLE_ENTITY,
            kind,
            &form,
            (&name, &email, consent),
            Some(&invalid),
        )
        .await;
    }
    let wid = o.workshop.workshop_id();
    let (now, creator, app) = (state.clock.now(), o.viewer.id, state.clone());
    let created = state
        .db(move |s| {
            s.write(|c| {
                store::submit(
                    c,
                    &NewPracticeSubmission {
                        workshop: wid,
                        kind,
                        form: &form,
                        sender_name: &name,
                        sender_email: &email,
                        created_by: Some(creator),
                    },
                    |sub| {
                        vec![templates::received(
                            app.config.mail_site(),
                            &sub.sender_email,
                            About {
                                title: &sub.title,
                                kind: kind_with_article(kind),
                                tracking_url: &about_link(&app, sub),
                            },
                        )]
                    },
                    now,
                )
            })
        })
        .await?;
    Ok(see_other(&format!(
        "{}?fait=envoyee",
        view::practice_submission_path(wid, created.id)
    )))
}

// ---------------------------------------------------------------------------------------------
// The practice queue

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    etat: String,
    /// The id of the last row of the previous page.
    apres: String,
}

/// GET `/ateliers/{id}/propositions`: the practice queue, by status, oldest first.
pub async fn queue(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::RunWorkshops).await?;
    let wid = o.workshop.workshop_id();
    let status = SubmissionStatus::parse(query.etat.trim())
        .filter(|s| view::QUEUE_STATUSES.contains(s))
        .unwrap_or(SubmissionStatus::Waiting);
    let after: Option<i32> = query.apres.trim().parse().ok();
    let (mut rows, counts) = read(&state, move |c| -> StoreResult<_> {
        let rows = store::queue(c, wid, status, after, PER_PAGE + 1)?;
        let counts = view::QUEUE_STATUSES
            .into_iter()
            .map(|st| store::count(c, wid, st).map(|n| (st, n)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((rows, counts))
    })
    .await?;
    let next = one_page(&mut rows, |s| {
        format!("{}&apres={}", view::queue_status_url(wid, status), s.id)
    });
    Ok(ok(view::queue(
        &ctx,
        &view::QueueView {
            workshop: &o.workshop,
            status,
            counts: &counts,
            rows: &rows,
            next,
            paged: after.is_some(),
        },
    )))
}

async fn load_submission(
    state: &AppState,
    workshop: WorkshopId,
    pid: &str,
) -> Result<PracticeSubmission, AppError> {
    let pid = PracticeSubmissionId(parse_id(pid)?);
    read(state, move |c| store::submission(c, workshop, pid))
        .await?
        .ok_or(AppError::NotFound)
}

async fn submission_page(
    state: &AppState,
    ctx: &PageCtx,
    o: &Opened,
    status: StatusCode,
    s: &PracticeSubmission,
    refusal: Option<Refusal>,
    sent: bool,
) -> Result<HttpResponse, AppError> {
    let territory = state.territory().await?;
    let rows = match (s.kind(), s.form()) {
        (Some(kind), Some(form)) => proposed_rows(kind, &form, &territory),
        _ => Vec::new(),
    };
    Ok(html(
        status,
        view::practice_submission(
            ctx,
            &view::PracticeSubmissionView {
                workshop: &o.workshop,
                runs: o.runs,
                submission: s,
                rows: &rows,
                refusal,
                sent,
            },
        ),
    ))
}

/// GET `/ateliers/{id}/propositions/{pid}`: a practice submission; its trainer decides there.
pub async fn submission(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, pid) = path.into_inner();
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let s = load_submission(&state, o.workshop.workshop_id(), &pid).await?;
    let sent = query.fait == "envoyee";
    submission_page(&state, &ctx, &o, StatusCode::OK, &s, None, sent).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    csrf: String,
    version: i32,
    message: String,
    reason: String,
}

/// A decision of the trainer on a practice submission, with its practice message.
async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    form: DecisionForm,
    decision: Decision,
) -> Result<HttpResponse, AppError> {
    let (id, pid) = path.into_inner();
    let o = open(&state, &ctx, &id, Permission::RunWorkshops).await?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let wid = o.workshop.workshop_id();
    let current = load_submission(&state, wid, &pid).await?;
    let reason = RejectReason::parse(form.reason.trim()).unwrap_or(RejectReason::Other);
    let needs_words = match decision {
        Decision::RequestChanges => true,
        Decision::Reject => reason == RejectReason::Other,
        Decision::Approve => false,
    };
    let message = match super::review::checked_message(&form.message, needs_words) {
        Ok(message) => message,
        Err(r) => {
            return submission_page(
                &state,
                &ctx,
                &o,
                StatusCode::UNPROCESSABLE_ENTITY,
                &current,
                Some(r),
                false,
            )
            .await;
        }
    };
    let detail = match decision {
        Decision::Reject => format!("{}: {message}", reason.as_str()),
        _ => message.clone(),
    };
    let (now, trainer, app, sid, version) = (
        state.clock.now(),
        o.viewer.id,
        state.clone(),
        current.submission_id(),
        form.version,
    );
    let outcome = state
        .db(move |s| {
            s.write(|c| {
                store::decide(
                    c,
                    wid,
                    sid,
                    version,
                    decision,
                    &message,
                    &detail,
                    Some(trainer),
                    |sub| vec![decision_mail(&app, sub, decision, reason, &message)],
                    now,
                )
            })
        })
        .await?;
    let (now, refusal) = match outcome {
        Ok(_) => {
            return Ok(see_other(&format!(
                "{}?etat={}",
                view::queue_path(wid),
                current.status.as_str()
            )));
        }
        Err(PracticeRefused::Closed(now)) => (now, Refusal::Decided),
        Err(PracticeRefused::Stale(now)) => (now, Refusal::Changed),
    };
    submission_page(
        &state,
        &ctx,
        &o,
        StatusCode::CONFLICT,
        &now,
        Some(refusal),
        false,
    )
    .await
}

/// The practice message that tells the sender of the decision: the real message's words.
fn decision_mail(
    state: &AppState,
    s: &PracticeSubmission,
    decision: Decision,
    reason: RejectReason,
    message: &str,
) -> NewMail {
    let link = about_link(state, s);
    let kind = s.kind().map_or("", kind_with_article);
    let about = About {
        title: &s.title,
        kind,
        tracking_url: &link,
    };
    let site = state.config.mail_site();
    match decision {
        Decision::Approve => templates::approved(site, &s.sender_email, about, &link),
        Decision::RequestChanges => {
            templates::changes_requested(site, &s.sender_email, about, message)
        }
        Decision::Reject => templates::rejected(
            site,
            &s.sender_email,
            about,
            reason.label_fr(),
            message,
            state.config.keep_months(),
        ),
    }
}

/// POST `/ateliers/{id}/propositions/{pid}/approuver`.
pub async fn approve(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    decide(req, state, ctx, path, form.into_inner(), Decision::Approve).await
}

/// POST `/ateliers/{id}/propositions/{pid}/demander`.
pub async fn request_changes(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    decide(
        req,
        state,
        ctx,
        path,
        form.into_inner(),
        Decision::RequestChanges,
    )
    .await
}

/// POST `/ateliers/{id}/propositions/{pid}/refuser`.
pub async fn reject(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    decide(req, state, ctx, path, form.into_inner(), Decision::Reject).await
}

// ---------------------------------------------------------------------------------------------
// The practice mailbox

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MailboxQuery {
    /// The id of the last message of the previous page.
    avant: String,
}

/// GET `/ateliers/{id}/courriels`: the practice mailbox, newest first.
pub async fn mailbox(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    query: web::Query<MailboxQuery>,
) -> Result<HttpResponse, AppError> {
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let wid = o.workshop.workshop_id();
    let before: Option<i32> = query.avant.trim().parse().ok();
    let mut mails = read(&state, move |c| {
        store::mailbox(c, wid, before, PER_PAGE + 1)
    })
    .await?;
    let next = one_page(&mut mails, |m| {
        format!("{}?avant={}", view::mailbox_path(wid), m.id)
    });
    Ok(ok(view::mailbox(
        &ctx,
        &view::MailboxView {
            workshop: &o.workshop,
            runs: o.runs,
            mails: &mails,
            next,
            paged: before.is_some(),
        },
    )))
}

/// GET `/ateliers/{id}/courriels/{mid}`: one practice message.
pub async fn mail(
    state: web::Data<AppState>,
    ctx: PageCtx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, mid) = path.into_inner();
    let o = open(&state, &ctx, &id, Permission::Practise).await?;
    let wid = o.workshop.workshop_id();
    let mid = PracticeMailId(parse_id(&mid)?);
    let m = read(&state, move |c| store::mail(c, wid, mid))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ok(view::mail(&ctx, &o.workshop, o.runs, &m)))
}
