//! The agents' page of the mail outbox: what waits, what was sent, what failed and why, with
//! « try again »; and, for admins, a test message to check the mail settings.

use crate::extract::PageCtx;
use crate::i18n::t;
use crate::views::{csrf_field, layout};
use chrono::NaiveDateTime;
use lieu_core::entry::utc_to_paris;
use lieu_store::mail::{Mail, MailStatus};
use maud::{Markup, html};

/// The filter of the page, as its address writes it.
pub fn status_param(status: MailStatus) -> &'static str {
    match status {
        MailStatus::Waiting => "en-attente",
        MailStatus::Sending => "en-cours",
        MailStatus::Sent => "envoyes",
        MailStatus::Failed => "echecs",
    }
}

pub fn status_of_param(param: &str) -> Option<MailStatus> {
    MailStatus::ALL
        .into_iter()
        .find(|s| status_param(*s) == param)
}

fn status_label(status: MailStatus) -> &'static str {
    t(match status {
        MailStatus::Waiting => "mail.status.waiting",
        MailStatus::Sending => "mail.status.sending",
        MailStatus::Sent => "mail.status.sent",
        MailStatus::Failed => "mail.status.failed",
    })
}

/// The status of one message (the filters name groups: « Envoyés »).
fn state_label(status: MailStatus) -> &'static str {
    t(match status {
        MailStatus::Waiting => "mail.state.waiting",
        MailStatus::Sending => "mail.state.sending",
        MailStatus::Sent => "mail.state.sent",
        MailStatus::Failed => "mail.state.failed",
    })
}

fn when(at: NaiveDateTime) -> String {
    crate::i18n::words::numeric_moment(utc_to_paris(at))
}

/// What the page shows.
pub struct OutboxView<'a> {
    pub counts: &'a [(MailStatus, i64)],
    pub status: Option<MailStatus>,
    pub mails: &'a [Mail],
    /// The address of the next (older) page, if there is one.
    pub older: Option<String>,
    /// A message at the top: what was just done.
    pub notice: Option<&'static str>,
    /// The test form, for those who may send one: the address typed, and its error.
    pub test_form: Option<(&'a str, Option<&'static str>)>,
}

pub fn outbox(ctx: &PageCtx, v: &OutboxView<'_>) -> Markup {
    let total: i64 = v.counts.iter().map(|(_, n)| n).sum();
    layout(
        ctx,
        t("mail.title"),
        html! {
            h1 { (t("mail.title")) }
            p { (t("mail.intro")) }
            @if let Some(notice) = v.notice {
                div.alerte role="status" { p { (t(notice)) } }
            }
            @if let Some((_, Some(code))) = v.test_form {
                div.alerte.alerte-erreur role="alert" aria-labelledby="lieu_erreurs_titre" {
                    h2 #lieu_erreurs_titre { (t("form.errors_title")) }
                    ul { li { a href="#champ-to" { (t(code)) } } }
                }
            }
            nav.facette aria-label=(t("mail.filters")) {
                ul {
                    li {
                        @if v.status.is_none() {
                            strong aria-current="page" { (t("mail.all")) " (" (total) ")" }
                        } @else {
                            a href="/gestion/courriels" { (t("mail.all")) " (" (total) ")" }
                        }
                    }
                    @for (status, n) in v.counts {
                        li {
                            @if v.status == Some(*status) {
                                strong aria-current="page" { (status_label(*status)) " (" (n) ")" }
                            } @else {
                                a href={ "/gestion/courriels?etat=" (status_param(*status)) } {
                                    (status_label(*status)) " (" (n) ")"
                                }
                            }
                        }
                    }
                }
            }
            @if v.mails.is_empty() {
                p { (t("mail.none")) }
            } @else {
                ol.liste-fiches {
                    @for m in v.mails {
                        (mail_item(ctx, m, v.status))
                    }
                }
            }
            @if let Some(older) = &v.older {
                p { a rel="next" href=(older) { (t("mail.older")) } }
            }
            @if let Some((typed, error)) = v.test_form {
                section aria-labelledby="lieu_essai" {
                    h2 #lieu_essai { (t("mail.test.title")) }
                    p #aide-to { (t("mail.test.hint")) }
                    form method="post" action="/gestion/courriels/essai" {
                        (csrf_field(ctx))
                        div.champ {
                            label for="champ-to" { (t("mail.test.to")) }
                            @if let Some(code) = error {
                                p.message-erreur #erreur-to { (t(code)) }
                            }
                            input #champ-to type="email" name="to" value=(typed) required
                                autocomplete="email"
                                aria-describedby=(if error.is_some() { "aide-to erreur-to" } else { "aide-to" })
                                aria-invalid=[error.map(|_| "true")];
                        }
                        button.bouton type="submit" { (t("mail.test.send")) }
                    }
                }
            }
        },
    )
}

fn mail_item(ctx: &PageCtx, m: &Mail, filter: Option<MailStatus>) -> Markup {
    let status = m.status();
    html! {
        li.fiche.fiche-detail #{ "courriel-" (m.id) } {
            h2 { (m.subject) }
            dl {
                dt { (t("mail.to")) } dd { (m.to_address) }
                dt { (t("mail.written")) } dd { (when(m.created_at)) }
                dt { (t("mail.status")) }
                dd {
                    (status.map_or("?", state_label))
                    @if let (Some(MailStatus::Sent), Some(at)) = (status, m.sent_at) {
                        " — " (when(at))
                    }
                    @if status == Some(MailStatus::Waiting) && m.attempts > 0 {
                        " — " (t("mail.next_try")) " " (when(m.next_attempt_at))
                    }
                }
                @if m.attempts > 0 {
                    dt { (t("mail.attempts")) } dd { (m.attempts) }
                }
                @if let Some(error) = &m.last_error {
                    @if status != Some(MailStatus::Sent) {
                        dt { (t("mail.last_error")) } dd { code { (error) } }
                    }
                }
            }
            @if matches!(status, Some(MailStatus::Failed | MailStatus::Waiting)) && m.attempts > 0 {
                form method="post" action={ "/gestion/courriels/" (m.id) "/reessayer" } {
                    (csrf_field(ctx))
                    @if let Some(filter) = filter {
                        input type="hidden" name="etat" value=(status_param(filter));
                    }
                    button.bouton.bouton-secondaire type="submit" {
                        (t("mail.retry")) span.visuellement-cache { (crate::i18n::colon()) " " (m.subject) }
                    }
                }
            }
        }
    }
}
