//! The referencing form (no account): propose an entry or a correction of one, then follow,
//! correct or withdraw it through a private link. Nothing typed is lost: a form that cannot be
//! recorded (errors, an expired page, a spam check, too many submissions) comes back with
//! everything in it, and the private page is shown only once the submission is committed.

use super::{html, ok, private, see_other};
use crate::error::AppError;
use crate::extract::{PageCtx, client_key};
use crate::i18n::t;
use crate::state::AppState;
use crate::views::directory::FormView;
use crate::views::submit::{self as view, Done, Notice, SubmitForm, Tracking};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::auth::token_digest;
use lieu_core::entry::{EntryForm, Kind, Status, clean};
use lieu_core::submission::{SubmissionStatus, check_sender};
use lieu_core::{Invalid, content::sha256_hex};
use lieu_mail::templates::{self, About};
use lieu_store::mail::NewMail;
use lieu_store::models::entries::{self, Entry};
use lieu_store::models::users;
use lieu_store::submissions::{self as subs, NewSubmission, Refused, SenderContact, Submission};
use serde::Deserialize;

/// Seconds under which a filled form is taken for a robot's: nobody types a title, a
/// summary, a name and an address and ticks the consent box faster.
pub const MIN_FILL_SECONDS: i64 = 5;

/// Hours after which the moment stamped in a form is no longer trusted (the page was left
/// open for days): the form comes back, kept, to be sent again.
const STAMP_HOURS: i64 = 48;

/// The moment a form was shown, signed with a key of this process and the client's CSRF
/// token, so that a robot cannot claim it opened the page long ago.
pub struct Stamp;

impl Stamp {
    pub fn issue(state: &AppState, csrf: &str) -> String {
        let secs = state.clock.now().and_utc().timestamp();
        format!("{secs}-{}", Self::sign(state, csrf, secs))
    }

    fn sign(state: &AppState, csrf: &str, secs: i64) -> String {
        sha256_hex(&format!("{}:{csrf}:{secs}", state.form_key))[..32].to_owned()
    }

    /// `None` when the stamp is not one this process signed for this client (or is too old);
    /// else the seconds since it was made.
    fn age(state: &AppState, csrf: &str, stamp: &str) -> Option<i64> {
        let (secs, sig) = stamp.split_once('-')?;
        let secs: i64 = secs.parse().ok()?;
        let expected = Self::sign(state, csrf, secs);
        let same: bool = subtle::ConstantTimeEq::ct_eq(sig.as_bytes(), expected.as_bytes()).into();
        let age = state.clock.now().and_utc().timestamp() - secs;
        (same && age <= STAMP_HOURS * 3600).then_some(age)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FormQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    /// The entry to correct.
    fiche: Option<String>,
    /// The private link of an approved submission: its sender proposes an update.
    suivi: Option<String>,
}

/// A published entry that a correction may target.
async fn target_entry(state: &AppState, id: &str) -> Result<Entry, AppError> {
    let id: i32 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let entry = state
        .db(move |s| s.read(|c| Ok(entries::by_id(c, id)?)))
        .await?
        .ok_or(AppError::NotFound)?;
    if entry.status() != Status::Published {
        return Err(AppError::NotFound);
    }
    Ok(entry)
}

async fn by_token(state: &AppState, token: &str) -> Result<Option<Submission>, AppError> {
    if token.len() != 64 {
        return Ok(None);
    }
    let digest = token_digest(token);
    state
        .db(move |s| s.read(|c| Ok(subs::by_token(c, &digest)?)))
        .await
}

/// Everything to show the form again.
struct Shown<'a> {
    kind: Kind,
    form: &'a EntryForm,
    invalid: Option<&'a Invalid>,
    sender: Option<&'a SenderContact>,
    consent: bool,
    notice: Option<Notice>,
    target: Option<&'a Entry>,
    /// Correcting submission `token` at `version`.
    correcting: Option<(&'a str, i32)>,
}

async fn show_form(
    state: &AppState,
    ctx: &PageCtx,
    status: StatusCode,
    s: Shown<'_>,
) -> Result<HttpResponse, AppError> {
    let territory = state.territory().await?;
    let stamp = Stamp::issue(state, &ctx.csrf.0);
    let (action, heading) = match (s.correcting, s.target) {
        (Some((token, _)), _) => (
            format!("{}/corriger", view::tracking_path(token)),
            t("submit.correct_title").to_owned(),
        ),
        (None, Some(entry)) => (
            view::FORM_PATH.to_owned(),
            format!(
                "{} {}",
                t("submit.suggest_title"),
                crate::i18n::quoted(&entry.title)
            ),
        ),
        (None, None) => (
            view::FORM_PATH.to_owned(),
            format!(
                "{} {}",
                t("submit.propose"),
                view::kind_with_article(s.kind)
            ),
        ),
    };
    let page = view::form(
        ctx,
        &SubmitForm {
            fields: FormView {
                kind: s.kind,
                entry: None,
                form: s.form,
                invalid: s.invalid,
                communes: &territory.communes,
                categories: territory.categories(s.kind),
                conflict: false,
            },
            action,
            heading,
            sender: s.sender,
            consent: s.consent,
            stamp: &stamp,
            notice: s.notice,
            target: s.target,
            version: s.correcting.map(|(_, v)| v),
            keep_months: state.config.keep_months(),
        },
    );
    Ok(html(status, page))
}

/// `/referencer`: the kinds to choose from, or the form of one kind, or the form of a
/// correction of an entry (prefilled with it).
fn is_trainee(ctx: &PageCtx) -> bool {
    ctx.viewer
        .as_ref()
        .is_some_and(|v| v.role == lieu_core::Role::Trainee)
}

pub async fn form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    if is_trainee(&ctx) {
        // A workshop participant practises: their form is the workshop's.
        return Ok(see_other("/atelier/referencer"));
    }
    let query = query.into_inner();
    // Prefilled with a sender's contact: as private as their page.
    let from_link = query.suivi.is_some();
    let res = form_page(&state, &ctx, query).await?;
    Ok(if from_link { private(res) } else { res })
}

async fn form_page(
    state: &AppState,
    ctx: &PageCtx,
    query: FormQuery,
) -> Result<HttpResponse, AppError> {
    let mut sender = SenderContact::default();
    if let Some(token) = &query.suivi
        && let Some(sub) = by_token(state, token).await?
        && sub.status() == Some(SubmissionStatus::Approved)
    {
        sender = SenderContact {
            name: sub.sender_name,
            organisation: sub.sender_organisation,
            email: sub.sender_email,
            phone: sub.sender_phone,
        };
    }
    if let Some(id) = query.fiche.as_deref().filter(|s| !s.is_empty()) {
        let entry = target_entry(state, id).await?;
        let form = super::directory::entry_form_of(state, &entry).await?;
        return show_form(
            state,
            ctx,
            StatusCode::OK,
            Shown {
                kind: entry.kind(),
                form: &form,
                invalid: None,
                sender: Some(&sender),
                consent: false,
                notice: None,
                target: Some(&entry),
                correcting: None,
            },
        )
        .await;
    }
    let Some(kind) = query.kind.as_deref().and_then(|k| k.parse::<Kind>().ok()) else {
        return Ok(ok(view::choose(ctx)));
    };
    show_form(
        state,
        ctx,
        StatusCode::OK,
        Shown {
            kind,
            form: &EntryForm::default(),
            invalid: None,
            sender: Some(&sender),
            consent: false,
            notice: None,
            target: None,
            correcting: None,
        },
    )
    .await
}

/// The fields of the referencing form that are not the entry's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SubmitMeta {
    csrf: String,
    #[serde(rename = "type")]
    kind: String,
    fiche: String,
    debut: String,
    version: String,
    /// The trap: hidden from people.
    site_internet_2: String,
    sender_name: String,
    sender_organisation: String,
    sender_email: String,
    sender_phone: String,
    consent: String,
}

fn parse(body: &[u8]) -> Result<(SubmitMeta, EntryForm), AppError> {
    let (meta, mut form) = super::entry_form_body::<SubmitMeta>(body)?;
    // The revision's summary is the agents' to write.
    form.change_summary.clear();
    Ok((meta, form))
}

/// Checks that do not look at what was typed: the CSRF token, the trap, the time taken.
fn spam_check(
    state: &AppState,
    ctx: &PageCtx,
    req: &HttpRequest,
    meta: &SubmitMeta,
) -> Option<Notice> {
    if req.cookie(crate::extract::CSRF_COOKIE).is_none() {
        return Some(Notice::NoCookie);
    }
    if ctx.verify_csrf(req, &meta.csrf).is_err() {
        return Some(Notice::Expired);
    }
    if !meta.site_internet_2.is_empty() {
        tracing::info!("referencing form: the trap field was filled");
        return Some(Notice::Trap);
    }
    match Stamp::age(state, &ctx.csrf.0, &meta.debut) {
        None => Some(Notice::Expired),
        Some(age) if age < MIN_FILL_SECONDS => {
            tracing::info!(age, "referencing form sent too fast");
            Some(Notice::TooFast)
        }
        Some(_) => None,
    }
}

/// The messages that tell each agent a submission arrived (or came back `corrected`).
fn review_mails(
    state: &AppState,
    reviewers: &[users::User],
    kind: Kind,
    title: &str,
    corrected: bool,
    review_url: &str,
) -> Vec<NewMail> {
    let kind_words = view::kind_with_article(kind);
    reviewers
        .iter()
        .map(|r| {
            templates::to_review(
                state.config.mail_site(),
                &r.email,
                title,
                kind_words,
                corrected,
                review_url,
            )
        })
        .collect()
}

/// POST `/referencer`: records the submission, or shows the form again with what was typed.
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    if is_trainee(&ctx) {
        // Nothing a practice account does reaches the real queue or a real address.
        return Err(AppError::Forbidden);
    }
    let (meta, form) = parse(&body)?;
    let target = match meta.fiche.trim() {
        "" => None,
        id => Some(target_entry(&state, id).await?),
    };
    let kind: Kind = match &target {
        Some(entry) => entry.kind(),
        None => meta
            .kind
            .parse()
            .map_err(|_| AppError::BadRequest("type".into()))?,
    };
    let sender = SenderContact {
        name: clean(&meta.sender_name),
        organisation: clean(&meta.sender_organisation),
        // Checked as typed: an address with spaces or controls is refused, not mended.
        email: meta.sender_email.trim().to_owned(),
        phone: clean(&meta.sender_phone),
    };
    let consent = meta.consent == "oui";
    let again = |status, invalid: Option<Invalid>, notice| {
        let (state, ctx, form, sender, target) = (&state, &ctx, &form, &sender, &target);
        async move {
            show_form(
                state,
                ctx,
                status,
                Shown {
                    kind,
                    form,
                    invalid: invalid.as_ref(),
                    sender: Some(sender),
                    consent,
                    notice,
                    target: target.as_ref(),
                    correcting: None,
                },
            )
            .await
        }
    };
    if let Some(notice) = spam_check(&state, &ctx, &req, &meta) {
        return again(StatusCode::UNPROCESSABLE_ENTITY, None, Some(notice)).await;
    }
    let mut invalid = check_sender(
        &sender.name,
        &sender.organisation,
        &sender.email,
        &sender.phone,
        consent,
    );
    let to_check = form.clone();
    let today = state.clock.today();
    if let Err(errors) = state
        .db(move |s| s.read(|c| lieu_store::directory::validate(c, kind, &to_check, today)))
        .await?
    {
        // The entry's errors first, in the order of the page.
        invalid.errors.splice(0..0, errors.errors);
    }
    if !invalid.is_empty() {
        return again(StatusCode::UNPROCESSABLE_ENTITY, Some(invalid), None).await;
    }
    let client = client_key(&req, &state.config.trusted_proxies);
    if let Err(wait) = state.submit_budget.take(&client) {
        tracing::warn!(%client, "referencing form: rate limit reached");
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            None,
            Some(Notice::TooMany(minutes)),
        )
        .await;
    }
    let link = view::PrivateLink::new();
    let tracking_url = state.config.absolute(&link.path());
    let (private_path, digest) = (link.path(), link.digest);
    let now = state.clock.now();
    let title = form.title.trim().to_owned();
    let target_id = target.as_ref().map(|e| e.id);
    let app = state.clone();
    let created = state
        .db(move |s| {
            s.write(|c| {
                let reviewers = users::reviewers(c)?;
                let sub = subs::create(
                    c,
                    &NewSubmission {
                        kind,
                        target_entry_id: target_id,
                        form: &form,
                        sender: &sender,
                        token_digest: &digest,
                    },
                    &[],
                    now,
                )?;
                let review_url = app
                    .config
                    .absolute(&crate::views::review::submission_path(sub.id));
                let mut mails = review_mails(&app, &reviewers, kind, &title, false, &review_url);
                mails.push(templates::received(
                    app.config.mail_site(),
                    &sender.email,
                    About {
                        title: &title,
                        kind: view::kind_with_article(kind),
                        tracking_url: &tracking_url,
                    },
                ));
                for m in &mails {
                    lieu_store::mail::enqueue(c, m, now)?;
                }
                Ok(sub)
            })
        })
        .await?;
    tracing::info!(
        submission = created.id,
        kind = kind.as_str(),
        "submission received"
    );
    Ok(see_other(&format!("{private_path}?fait=envoyee")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackingQuery {
    fait: Option<String>,
}

async fn tracked(
    state: &AppState,
    token: &str,
) -> Result<Option<(Submission, Option<Entry>)>, AppError> {
    let Some(sub) = by_token(state, token).await? else {
        return Ok(None);
    };
    let entry_id = sub.entry_id.or(sub.target_entry_id);
    let entry = match entry_id {
        Some(id) => {
            state
                .db(move |s| s.read(|c| Ok(entries::by_id(c, id)?)))
                .await?
        }
        None => None,
    };
    Ok(Some((sub, entry)))
}

fn not_found_link(ctx: &PageCtx) -> HttpResponse {
    html(StatusCode::NOT_FOUND, view::unknown_link(ctx))
}

/// GET `/suivi/{token}`: the sender's private page.
pub async fn tracking(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
    query: web::Query<TrackingQuery>,
) -> Result<HttpResponse, AppError> {
    let Some((sub, entry)) = tracked(&state, &token).await? else {
        return Ok(not_found_link(&ctx));
    };
    let done = match query.fait.as_deref() {
        Some("envoyee") => Some(Done::Sent),
        Some("corrigee") => Some(Done::Corrected),
        Some("retiree") => Some(Done::Withdrawn),
        Some("verifiee") => Some(Done::StillValid),
        _ => None,
    };
    let territory = state.territory().await?;
    let rows = match (sub.kind(), sub.form()) {
        (Some(kind), Some(form)) => view::proposed_rows(kind, &form, &territory),
        _ => Vec::new(),
    };
    let shown_entry = entry.filter(|e| e.status() == Status::Published);
    Ok(private(ok(view::tracking(
        &ctx,
        &Tracking {
            submission: &sub,
            token: &token,
            rows,
            done,
            entry: shown_entry.as_ref(),
            keep_months: state.config.keep_months(),
        },
    ))))
}

/// GET `/suivi/{token}/corriger`: the submission's form, to correct it while it is open.
pub async fn correct_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some((sub, _)) = tracked(&state, &token).await? else {
        return Ok(not_found_link(&ctx));
    };
    if !sub.status().is_some_and(SubmissionStatus::is_open) {
        return Ok(see_other(&view::tracking_path(&token)));
    }
    let (Some(kind), Some(form)) = (sub.kind(), sub.form()) else {
        return Err(AppError::NotFound);
    };
    let res = show_form(
        &state,
        &ctx,
        StatusCode::OK,
        Shown {
            kind,
            form: &form,
            invalid: None,
            sender: None,
            consent: true,
            notice: None,
            target: None,
            correcting: Some((&token, sub.version)),
        },
    )
    .await?;
    Ok(private(res))
}

/// POST `/suivi/{token}/corriger`: saves the correction; the submission waits for an agent
/// again, and the agents are told.
pub async fn correct(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (meta, form) = parse(&body)?;
    let Some((sub, _)) = tracked(&state, &token).await? else {
        return Ok(not_found_link(&ctx));
    };
    let Some(kind) = sub.kind() else {
        return Err(AppError::NotFound);
    };
    let version: i32 = meta
        .version
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("version".into()))?;
    let again = |status, invalid: Option<Invalid>, notice, version| {
        let (state, ctx, form, token) = (&state, &ctx, &form, token.as_str());
        async move {
            show_form(
                state,
                ctx,
                status,
                Shown {
                    kind,
                    form,
                    invalid: invalid.as_ref(),
                    sender: None,
                    consent: true,
                    notice,
                    target: None,
                    correcting: Some((token, version)),
                },
            )
            .await
            .map(private)
        }
    };
    if ctx.verify_csrf(&req, &meta.csrf).is_err() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(Notice::Expired),
            version,
        )
        .await;
    }
    let to_check = form.clone();
    let today = state.clock.today();
    if let Err(invalid) = state
        .db(move |s| s.read(|c| lieu_store::directory::validate(c, kind, &to_check, today)))
        .await?
    {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(invalid),
            None,
            version,
        )
        .await;
    }
    // Each correction tells every agent: corrections spend the same budget as submissions.
    let client = client_key(&req, &state.config.trusted_proxies);
    if let Err(wait) = state.submit_budget.take(&client) {
        tracing::warn!(%client, "referencing form: correction rate limit reached");
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            None,
            Some(Notice::TooMany(minutes)),
            version,
        )
        .await;
    }
    let now = state.clock.now();
    let app = state.clone();
    let id = sub.id;
    let title = form.title.trim().to_owned();
    let saved_form = form.clone();
    let moved = state
        .db(move |s| {
            s.write(|c| {
                let reviewers = users::reviewers(c)?;
                let review_url = app
                    .config
                    .absolute(&crate::views::review::submission_path(id));
                let mails = review_mails(&app, &reviewers, kind, &title, true, &review_url);
                subs::correct(c, id, version, &saved_form, &mails, now)
            })
        })
        .await?;
    match moved {
        Ok(_) => Ok(see_other(&format!(
            "{}?fait=corrigee",
            view::tracking_path(&token)
        ))),
        Err(Refused::Stale(now)) => {
            // Corrected meanwhile (another tab): the form stays as typed, on the new version.
            again(
                StatusCode::CONFLICT,
                None,
                Some(Notice::Changed),
                now.version,
            )
            .await
        }
        Err(Refused::Closed(_)) => Ok(see_other(&view::tracking_path(&token))),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VersionForm {
    csrf: String,
    version: String,
}

/// GET `/suivi/{token}/retirer`: asks the sender to confirm.
pub async fn withdraw_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some((sub, _)) = tracked(&state, &token).await? else {
        return Ok(not_found_link(&ctx));
    };
    let back = view::tracking_path(&token);
    if !sub.status().is_some_and(SubmissionStatus::is_open) {
        return Ok(see_other(&back));
    }
    Ok(private(ok(view::confirm(
        &ctx,
        t("tracking.withdraw"),
        &t("tracking.withdraw_explain")
            .replace("{months}", &state.config.keep_months().to_string()),
        &format!("{back}/retirer"),
        t("tracking.withdraw_confirm"),
        &back,
        sub.version,
    ))))
}

/// POST `/suivi/{token}/retirer`.
pub async fn withdraw(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
    form: web::Form<VersionForm>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    let Some((sub, _)) = tracked(&state, &token).await? else {
        return Ok(not_found_link(&ctx));
    };
    // The version the sender saw: withdrawing what changed since (an agent's request) is
    // shown to them first, not done.
    let version: i32 = form
        .version
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("version".into()))?;
    let now = state.clock.now();
    let id = sub.id;
    let moved = state
        .db(move |s| s.write(|c| subs::withdraw(c, id, version, &[], now)))
        .await?;
    let back = view::tracking_path(&token);
    match moved {
        Ok(_) => Ok(see_other(&format!("{back}?fait=retiree"))),
        // Changed meanwhile: the sender sees it as it is now and decides again.
        Err(_) => Ok(see_other(&back)),
    }
}

/// GET `/suivi/{token}/toujours-valide`: the link of the reminder. A GET changes nothing
/// (mail scanners open links): it shows one button.
pub async fn still_valid_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some((sub, entry)) = tracked(&state, &token).await? else {
        return Ok(not_found_link(&ctx));
    };
    let back = view::tracking_path(&token);
    let Some(entry) = entry.filter(|e| e.status() == Status::Published) else {
        return Ok(see_other(&back));
    };
    if sub.status() != Some(SubmissionStatus::Approved) {
        return Ok(see_other(&back));
    }
    Ok(private(ok(view::confirm(
        &ctx,
        t("tracking.still_valid"),
        &t("tracking.still_valid_explain").replace("{title}", &entry.title),
        &format!("{back}/toujours-valide"),
        t("tracking.still_valid_confirm"),
        &back,
        sub.version,
    ))))
}

/// POST `/suivi/{token}/toujours-valide`: the entry's verified date becomes today. The
/// version is not checked: saying twice that the entry is right does no harm.
pub async fn still_valid(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
    form: web::Form<VersionForm>,
) -> Result<HttpResponse, AppError> {
    ctx.verify_csrf(&req, &form.csrf)?;
    let Some((sub, _)) = tracked(&state, &token).await? else {
        return Ok(not_found_link(&ctx));
    };
    let now = state.clock.now();
    let id = sub.id;
    let back = view::tracking_path(&token);
    match state
        .db(move |s| s.write(|c| subs::confirm_still_valid(c, id, now)))
        .await
    {
        Ok(_) => Ok(see_other(&format!("{back}?fait=verifiee"))),
        Err(AppError::NotFound) => Ok(see_other(&back)),
        Err(other) => Err(other),
    }
}
