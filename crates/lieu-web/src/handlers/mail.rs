//! The agents' page of the mail outbox (`/gestion/courriels`): counts by status, the messages
//! newest first with keyset paging, « try again »; and the admins' test message.

use super::{html, ok, see_other};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::state::AppState;
use crate::views::mail::{self as views, OutboxView, status_of_param, status_param};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::Permission;
use lieu_core::entry::valid_email;
use lieu_store::mail::{self as outbox, Mail, MailStatus};
use serde::Deserialize;

/// Messages a page shows.
pub const PER_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OutboxQuery {
    etat: String,
    /// The id below which the page starts (the last id of the page before).
    avant: String,
    /// What was just done: `essai` (a test message written), `reessai` (a message put back).
    fait: String,
}

struct Page {
    counts: Vec<(MailStatus, i64)>,
    mails: Vec<Mail>,
    older: Option<String>,
}

async fn load(
    state: &AppState,
    status: Option<MailStatus>,
    before: Option<i32>,
) -> Result<Page, AppError> {
    let (counts, mut mails) = state
        .db(move |s| {
            s.read(|c| {
                Ok((
                    outbox::counts(c)?,
                    outbox::page(c, status, before, PER_PAGE + 1)?,
                ))
            })
        })
        .await?;
    let older = if mails.len() > usize::try_from(PER_PAGE).unwrap_or(usize::MAX) {
        mails.truncate(usize::try_from(PER_PAGE).unwrap_or(0));
        mails.last().map(|last| {
            let mut url = format!("/gestion/courriels?avant={}", last.id);
            if let Some(status) = status {
                url.push_str("&etat=");
                url.push_str(status_param(status));
            }
            url
        })
    } else {
        None
    };
    Ok(Page {
        counts,
        mails,
        older,
    })
}

fn view(
    ctx: &PageCtx,
    page: &Page,
    status: Option<MailStatus>,
    notice: Option<&'static str>,
    test_form: Option<(&str, Option<&'static str>)>,
) -> maud::Markup {
    views::outbox(
        ctx,
        &OutboxView {
            counts: &page.counts,
            status,
            mails: &page.mails,
            older: page.older.clone(),
            notice,
            test_form: if ctx.can(Permission::TestMail) {
                Some(test_form.unwrap_or(("", None)))
            } else {
                None
            },
        },
    )
}

pub async fn list(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::ManageMail)?;
    // An unknown filter or cursor (an address edited by hand) shows the whole first page.
    let status = status_of_param(query.etat.trim());
    let before = query.avant.trim().parse::<i32>().ok();
    let page = load(&state, status, before).await?;
    let notice = match query.fait.as_str() {
        "essai" => Some("mail.test.written"),
        "reessai" => Some("mail.retried"),
        "deja" => Some("mail.not_retried"),
        _ => None,
    };
    Ok(ok(view(&ctx, &page, status, notice, None)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RetryForm {
    csrf: String,
    /// The filter of the page the button was on, to go back to it.
    etat: String,
}

pub async fn retry(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
    form: web::Form<RetryForm>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::ManageMail)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
    let now = state.clock.now();
    let retried = state
        .db(move |s| s.write(|c| Ok(outbox::retry(c, id, now)?)))
        .await?
        .ok_or(AppError::NotFound)?;
    let back = match status_of_param(form.etat.trim()) {
        Some(status) => format!("&etat={}", status_param(status)),
        None => String::new(),
    };
    // Sent meanwhile, or being sent: nothing to do, and the page says so.
    let done = if retried { "reessai" } else { "deja" };
    Ok(see_other(&format!("/gestion/courriels?fait={done}{back}")))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TestForm {
    csrf: String,
    to: String,
}

pub async fn send_test(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    form: web::Form<TestForm>,
) -> Result<HttpResponse, AppError> {
    ctx.require(Permission::TestMail)?;
    ctx.verify_csrf(&req, &form.csrf)?;
    let to = form.to.trim().to_owned();
    if !valid_email(&to) {
        let page = load(&state, None, None).await?;
        let markup = view(&ctx, &page, None, None, Some((&to, Some("email_invalid"))));
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup));
    }
    let mail =
        lieu_mail::templates::test_message(&state.config.site_name, &state.config.base_url, &to);
    let now = state.clock.now();
    state
        .db(move |s| s.write(|c| Ok(outbox::enqueue(c, &mail, now)?)))
        .await?;
    Ok(see_other("/gestion/courriels?fait=essai"))
}
