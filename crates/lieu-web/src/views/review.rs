//! The agents' review queue: the submissions of the referencing form, one page each with what
//! would be published, the comparison with the entry a correction targets, possible duplicates,
//! the decisions, and the history.

use super::directory::{entry_url, kind_label};
use super::submit::{proposed, status_label};
use crate::extract::PageCtx;
use crate::i18n::t;
use crate::views::{PageOptions, csrf_field, layout_with, time};
use chrono::NaiveDateTime;
use lieu_core::entry::Kind;
use lieu_core::submission::{RejectReason, SubmissionStatus};
use lieu_store::models::audit_log::AuditEntry;
use lieu_store::models::communes::Commune;
use lieu_store::models::entries::Entry;
use lieu_store::submissions::Submission;
use maud::{Markup, html};

pub const QUEUE_PATH: &str = "/gestion/propositions";

pub fn submission_path(id: i32) -> String {
    format!("{QUEUE_PATH}/{id}")
}

/// The queue's filters, as read from its address (every value as text: an unknown one is
/// ignored).
#[derive(Debug, Clone, Default)]
pub struct QueueFilters {
    pub kind: String,
    pub status: String,
    pub commune: String,
    /// Minimum age in days: "", "2", "7", "30".
    pub age: String,
}

impl QueueFilters {
    /// The address of the queue with these filters (and `extra`, such as the next page).
    pub fn url(&self, extra: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> = [
            ("type", self.kind.as_str()),
            ("etat", self.status.as_str()),
            ("commune", self.commune.as_str()),
            ("anciennete", self.age.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        pairs.extend_from_slice(extra);
        if pairs.is_empty() {
            return QUEUE_PATH.to_owned();
        }
        format!(
            "{QUEUE_PATH}?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

pub const AGES: [&str; 3] = ["2", "7", "30"];

pub struct QueueView<'a> {
    pub filters: &'a QueueFilters,
    pub rows: &'a [Submission],
    pub total: i64,
    pub communes: &'a [Commune],
    /// The address of the next page, if there is one.
    pub next: Option<String>,
    /// This page is not the first.
    pub paged: bool,
}

fn commune_name<'a>(communes: &'a [Commune], insee: &'a str) -> &'a str {
    communes
        .iter()
        .find(|c| c.insee == insee)
        .map_or(insee, |c| c.name.as_str())
}

fn noindex() -> PageOptions<'static> {
    PageOptions {
        noindex: true,
        ..PageOptions::default()
    }
}

pub fn queue(ctx: &PageCtx, v: &QueueView<'_>) -> Markup {
    let f = v.filters;
    layout_with(
        ctx,
        t("review.title"),
        noindex(),
        html! {
            h1 { (t("review.title")) }
            p { (t("review.intro")) }
            form.filtres method="get" action=(QUEUE_PATH) {
                div.champ {
                    label for="filtre-type" { (t("manage.kind")) }
                    select #filtre-type name="type" {
                        option value="" { (t("review.any")) }
                        @for kind in Kind::ALL {
                            option value=(kind.as_str()) selected[f.kind == kind.as_str()] { (kind_label(kind)) }
                        }
                    }
                }
                div.champ {
                    label for="filtre-etat" { (t("review.status")) }
                    select #filtre-etat name="etat" {
                        option value="" { (t("review.open")) }
                        @for s in SubmissionStatus::ALL {
                            option value=(s.as_str()) selected[f.status == s.as_str()] { (status_label(s)) }
                        }
                    }
                }
                div.champ {
                    label for="filtre-commune" { (t("field.commune")) }
                    select #filtre-commune name="commune" {
                        option value="" { (t("review.any_commune")) }
                        @for c in v.communes {
                            option value=(c.insee) selected[f.commune == c.insee] { (c.name) }
                        }
                    }
                }
                div.champ {
                    label for="filtre-anciennete" { (t("review.age")) }
                    select #filtre-anciennete name="anciennete" {
                        option value="" { (t("review.any_age")) }
                        @for days in AGES {
                            option value=(days) selected[f.age == days] { (t("review.older_than").replace("{days}", days)) }
                        }
                    }
                }
                button.bouton type="submit" { (t("review.filter")) }
            }
            p role="status" { strong { (v.total) } " " (t(if v.total == 1 { "review.count_one" } else { "review.count" })) }
            @if v.rows.is_empty() {
                p { (t("review.empty")) }
            } @else {
                div.tableau-defilant {
                    table.tableau {
                        caption.visuellement-cache { (t("review.title")) }
                        thead { tr {
                            th scope="col" { (t("review.received")) }
                            th scope="col" { (t("field.title")) }
                            th scope="col" { (t("manage.kind")) }
                            th scope="col" { (t("field.commune")) }
                            th scope="col" { (t("review.status")) }
                            th scope="col" { (t("review.sender")) }
                        } }
                        tbody {
                            @for s in v.rows {
                                tr {
                                    td { (time(s.created_at)) }
                                    td {
                                        a href=(submission_path(s.id)) { (s.title) }
                                        @if s.target_entry_id.is_some() { " " span.etiquette { (t("review.correction")) } }
                                    }
                                    td { (s.kind().map_or("", kind_label)) }
                                    td { (commune_name(v.communes, &s.commune_insee)) }
                                    td { (s.status().map_or("", status_label)) }
                                    td { (if s.sender_organisation.is_empty() { &s.sender_name } else { &s.sender_organisation }) }
                                }
                            }
                        }
                    }
                }
            }
            nav.pagination aria-label=(t("paging.label")) {
                @if v.paged { a href=(f.url(&[])) { (t("review.first_page")) } }
                @if let Some(next) = &v.next { a rel="next" href=(next) { (t("review.next_page")) } }
            }
        },
    )
}

/// Why a decision was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Someone decided first.
    Decided,
    /// The submission changed since the page was opened (the sender corrected it, or another
    /// agent sent it back).
    Changed,
    /// The entry a correction targets was saved since the page was opened.
    EntryChanged,
    /// A message is needed (to ask for changes; to refuse for « other »).
    MessageRequired,
    /// The message is longer than a message (`lieu_core::entry::TEXT_MAX`).
    MessageTooLong,
}

/// A possible duplicate: a published entry or another submission.
pub enum Duplicate<'a> {
    Entry { title: &'a str, url: String },
    Submission(&'a Submission),
}

pub struct SubmissionView<'a> {
    pub submission: &'a Submission,
    pub rows: &'a [(&'static str, String)],
    /// For a correction: the target entry and its current fields.
    pub target: Option<(&'a Entry, &'a [(&'static str, String)])>,
    pub duplicates: Vec<Duplicate<'a>>,
    /// The audit rows of the submission, and who did each.
    pub history: &'a [(AuditEntry, Option<String>)],
    pub decided_by: Option<&'a str>,
    /// The entry it created or corrected, once approved.
    pub entry: Option<&'a Entry>,
    pub refusal: Option<Refusal>,
    pub now: NaiveDateTime,
}

fn history_action(action: &str) -> &'static str {
    t(match action {
        "submission.changes_requested" => "review.h.changes_requested",
        "submission.approved" => "review.h.approved",
        "submission.rejected" => "review.h.rejected",
        "submission.withdrawn" => "review.h.withdrawn",
        "submission.corrected" => "review.h.corrected",
        _ => "review.h.other",
    })
}

/// What an audit row says of a decision, in the agents' words: a refusal's reason by its
/// label, the message asked of the sender; nothing for the rows that hold only ids.
fn history_detail(action: &str, detail: &str) -> Option<String> {
    if detail.is_empty() || detail.starts_with("entry:") {
        return None;
    }
    if action == "submission.rejected"
        && let Some((code, words)) = detail.split_once(": ")
        && let Some(reason) = RejectReason::parse(code)
    {
        let words = words.trim();
        return Some(if words.is_empty() {
            crate::i18n::words::reject_reason(reason).to_owned()
        } else {
            format!(
                "{} {}",
                crate::i18n::words::reject_reason(reason),
                crate::i18n::quoted(words)
            )
        });
    }
    Some(crate::i18n::quoted(detail))
}

pub fn submission(ctx: &PageCtx, v: &SubmissionView<'_>) -> Markup {
    let s = v.submission;
    let status = s.status().unwrap_or(SubmissionStatus::Waiting);
    let path = submission_path(s.id);
    let days = (v.now - s.created_at).num_days();
    layout_with(
        ctx,
        &format!("{} {}", t("review.one"), crate::i18n::quoted(&s.title)),
        noindex(),
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href=(QUEUE_PATH) { (t("review.title")) } " › "
                span aria-current="page" { (s.title) }
            }
            h1 { (t("review.one")) " " (crate::i18n::quoted(&s.title)) }
            @if let Some(r) = v.refusal {
                div.alerte.alerte-erreur role="alert" {
                    p { (t(match r {
                        Refusal::Decided => "review.refused.decided",
                        Refusal::Changed => "review.refused.changed",
                        Refusal::EntryChanged => "review.refused.entry_changed",
                        Refusal::MessageRequired => "review.refused.message_required",
                        Refusal::MessageTooLong => "review.refused.message_too_long",
                    })) }
                }
            }
            ul.resume-demande {
                li { (t("manage.kind")) (crate::i18n::colon()) " " strong { (s.kind().map_or("", kind_label)) }
                    @if s.target_entry_id.is_some() { " — " (t("review.correction")) } }
                li { (t("review.status")) (crate::i18n::colon()) " " strong { (status_label(status)) } }
                li { (t("review.received")) " " (time(s.created_at)) " (" (days) " " (t("manage.days")) ")" }
                @if let (Some(at), false) = (s.decided_at, status.is_open()) {
                    li { (t("review.decided")) " " (time(at))
                        @if let Some(name) = v.decided_by { " " (t("review.by")) " " (name) } }
                }
                @if let Some(entry) = v.entry { li { a href=(entry_url(entry)) { (t("review.see_entry")) } } }
            }
            @if !s.decision_message.is_empty() {
                blockquote.message-agent { (s.decision_message) }
            }
            section aria-labelledby="lieu_expediteur" {
                h2 #lieu_expediteur { (t("review.sender")) }
                @if s.sender_erased_at.is_some() {
                    p { (t("review.sender_erased")) }
                } @else {
                    ul {
                        li { (s.sender_name) @if !s.sender_organisation.is_empty() { " — " (s.sender_organisation) } }
                        li { a href={ "mailto:" (s.sender_email) } { (s.sender_email) } }
                        @if !s.sender_phone.is_empty() { li { (s.sender_phone) } }
                    }
                }
            }
            @if let Some((entry, current)) = v.target {
                section aria-labelledby="lieu_comparaison" {
                    h2 #lieu_comparaison { (t("review.comparison")) }
                    p { (t("review.comparison_of")) " " a href=(entry_url(entry)) { (entry.title) } "." }
                    div.tableau-defilant {
                        table.tableau.comparaison {
                            caption.visuellement-cache { (t("review.comparison")) }
                            thead { tr {
                                th scope="col" { (t("review.field")) }
                                th scope="col" { (t("review.current")) }
                                th scope="col" { (t("review.proposed")) }
                            } }
                            tbody {
                                @for ((label, before), (_, after)) in current.iter().zip(v.rows.iter()) {
                                    @if before != after {
                                        tr.change {
                                            th scope="row" { (t(label)) " " span.etiquette { (t("review.changed")) } }
                                            td { del { (before) } }
                                            td { ins { (after) } }
                                        }
                                    } @else if !before.is_empty() {
                                        tr {
                                            th scope="row" { (t(label)) }
                                            td { (before) }
                                            td { (after) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            } @else {
                section aria-labelledby="lieu_apercu" {
                    h2 #lieu_apercu { (t("review.preview")) }
                    (proposed(v.rows))
                }
            }
            section aria-labelledby="lieu_doublons" {
                h2 #lieu_doublons { (t("review.duplicates")) }
                @if v.duplicates.is_empty() {
                    p { (t("review.no_duplicates")) }
                } @else {
                    ul {
                        @for d in &v.duplicates {
                            @match d {
                                Duplicate::Entry { title, url } => li { (t("review.dup_entry")) (crate::i18n::colon()) " " a href=(url) { (title) } },
                                Duplicate::Submission(other) => li {
                                    (t("review.dup_submission")) (crate::i18n::colon()) " " a href=(submission_path(other.id)) { (other.title) }
                                    " (" (other.status().map_or("", status_label)) ", " (time(other.created_at)) ")"
                                },
                            }
                        }
                    }
                }
            }
            @if status.is_open() {
                section.decisions aria-labelledby="lieu_decision" {
                    h2 #lieu_decision { (t("review.decide")) }
                    form.formulaire method="post" action={ (path) "/approuver" } {
                        (csrf_field(ctx))
                        input type="hidden" name="version" value=(s.version);
                        @if let Some((entry, _)) = v.target { input type="hidden" name="entry_revision" value=(entry.revision_number); }
                        div.boutons {
                            button.bouton type="submit" { (t("review.approve")) }
                            a href={ (path) "/modifier" } { (t("review.edit_then_approve")) }
                        }
                    }
                    form.formulaire method="post" action={ (path) "/demander" } {
                        (csrf_field(ctx))
                        input type="hidden" name="version" value=(s.version);
                        div.champ {
                            label for="champ-demande" { (t("review.request_label")) " " span.obligatoire { (t("form.required")) } }
                            p.aide id="aide-demande" { (t("review.request_hint")) }
                            textarea #champ-demande name="message" rows="4" required aria-describedby="aide-demande" {}
                        }
                        button.bouton.bouton-secondaire type="submit" { (t("review.request")) }
                    }
                    form.formulaire method="post" action={ (path) "/refuser" } {
                        (csrf_field(ctx))
                        input type="hidden" name="version" value=(s.version);
                        div.champ {
                            label for="champ-motif" { (t("review.reason")) " " span.obligatoire { (t("form.required")) } }
                            // Always has a value (no empty first option), so no `required`:
                            // HTML forbids it on such a list.
                            select #champ-motif name="reason" {
                                @for r in RejectReason::ALL {
                                    option value=(r.as_str()) { (crate::i18n::words::reject_reason(r)) }
                                }
                            }
                        }
                        div.champ {
                            label for="champ-precision" { (t("review.reject_words")) }
                            p.aide id="aide-precision" { (t("review.reject_hint")) }
                            textarea #champ-precision name="message" rows="3" aria-describedby="aide-precision" {}
                        }
                        button.bouton.bouton-danger type="submit" { (t("review.reject")) }
                    }
                }
            }
            section aria-labelledby="lieu_historique" {
                h2 #lieu_historique { (t("review.history")) }
                ol.historique {
                    li { (time(s.created_at)) " — " (t("review.h.received")) }
                    @for (row, who) in v.history {
                        li {
                            (time(row.at)) " — " (history_action(&row.action))
                            @if let Some(name) = who { " " (t("review.by")) " " (name) }
                            @if let Some(why) = history_detail(&row.action, &row.detail) { (crate::i18n::colon()) " " (why) }
                        }
                    }
                }
            }
        },
    )
}

/// The agents' entry form, filled with the submission, to approve after editing.
pub fn edit_form(
    ctx: &PageCtx,
    s: &Submission,
    target: Option<&Entry>,
    fields: &super::directory::FormView<'_>,
) -> Markup {
    let path = submission_path(s.id);
    let heading = format!(
        "{} {}",
        t("review.edit_title"),
        crate::i18n::quoted(&s.title)
    );
    layout_with(
        ctx,
        &heading,
        noindex(),
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href=(QUEUE_PATH) { (t("review.title")) } " › "
                a href=(path) { (s.title) } " › "
                span aria-current="page" { (t("review.edit_title")) }
            }
            h1 { (heading) }
            p { (t("review.edit_explain")) }
            (super::error_summary(fields.invalid))
            p.aide { (t("form.required_note")) }
            form.formulaire method="post" action={ (path) "/modifier" } novalidate {
                (csrf_field(ctx))
                input type="hidden" name="version" value=(s.version);
                @if let Some(entry) = target { input type="hidden" name="entry_revision" value=(entry.revision_number); }
                (super::directory::entry_fields(fields))
                div.boutons {
                    button.bouton type="submit" { (t("review.approve")) }
                    a href=(path) { (t("edit.cancel")) }
                }
            }
        },
    )
}
