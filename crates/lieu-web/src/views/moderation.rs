//! The agents' moderation queue of the exchange space, beside the referencing queue: posts
//! held for approval, reported posts with their reports, and the latest moderation actions.
//! A workshop's trainer has the same queue for the workshop's practice space.

use super::exchange::{decision_form, post_url, report_reason_label, thread_title};
use crate::extract::PageCtx;
use crate::i18n::t;
use crate::views::{PageOptions, layout_with, time, trusted_html};
use lieu_store::exchange::QueueItem;
use lieu_store::models::audit_log::AuditEntry;
use maud::{Markup, html};

pub const QUEUE_PATH: &str = "/gestion/moderation";

pub struct QueueView<'a> {
    /// The agents' queue (`None`), or the practice queue of this workshop (the viewer runs it).
    pub workshop: Option<i32>,
    /// Reported posts (`true`) or held posts.
    pub reported: bool,
    pub items: &'a [QueueItem],
    pub next: Option<String>,
    pub held_count: i64,
    pub reported_count: i64,
    /// The latest moderation actions (the agents' queue only).
    pub log: Option<&'a [(AuditEntry, Option<String>)]>,
    pub notice: Option<&'static str>,
    pub problem: Option<&'static str>,
    /// This page's address, where a decision comes back to.
    pub back: &'a str,
}

fn capped(n: i64) -> String {
    if n >= 100 {
        "99+".to_owned()
    } else {
        n.to_string()
    }
}

fn action_label(action: &str) -> &'static str {
    match action {
        "exchange.approve" => t("moderation.log.approve"),
        "exchange.reject" => t("moderation.log.reject"),
        "exchange.hide" | "exchange.reports_hide" => t("moderation.log.hide"),
        "exchange.restore" | "exchange.reports_keep" => t("moderation.log.restore"),
        "exchange.auto_hide" => t("moderation.log.auto_hide"),
        "exchange.lock" => t("moderation.log.lock"),
        "exchange.unlock" => t("moderation.log.unlock"),
        "exchange.pin" => t("moderation.log.pin"),
        "exchange.unpin" => t("moderation.log.unpin"),
        "exchange.move" => t("moderation.log.move"),
        "exchange.split" => t("moderation.log.split"),
        "exchange.suspend" => t("moderation.log.suspend"),
        "exchange.unsuspend" => t("moderation.log.unsuspend"),
        "exchange.hide_all" => t("moderation.log.hide_all"),
        "exchange.organisation" => t("moderation.log.organisation"),
        "exchange.to_page" => t("moderation.log.to_page"),
        "exchange.edit" => t("moderation.log.edit"),
        _ => t("moderation.log.other"),
    }
}

/// Where an audit row's target is read: a post's thread, a thread, an account.
fn target_link(target: &str) -> Option<String> {
    let (kind, id) = target.split_once(':')?;
    let id: i32 = id.parse().ok()?;
    match kind {
        "post" => Some(format!("{}/{id}", "/echanges/message")),
        "thread" => Some(super::exchange::thread_path(id)),
        "user" => Some(format!("/gestion/membres/{id}")),
        _ => None,
    }
}

pub fn queue(ctx: &PageCtx, v: &QueueView<'_>) -> Markup {
    let (title, path) = match v.workshop {
        Some(w) => (
            t("exchange.practice_queue_title"),
            super::exchange::practice_queue_path(w),
        ),
        None => (t("moderation.title"), QUEUE_PATH.to_owned()),
    };
    layout_with(
        ctx,
        title,
        PageOptions {
            noindex: true,
            ..PageOptions::default()
        },
        html! {
            @if let Some(w) = v.workshop {
                (super::workshop::sandbox_header(ctx, lieu_core::workshop::WorkshopId(w), true))
            }
            h1 { (title) }
            @if let Some(code) = v.notice { div.alerte.alerte-succes role="status" { p { (t(code)) } } }
            @if let Some(code) = v.problem { div.alerte.alerte-erreur role="alert" { p { (t(code)) } } }
            nav.filtres aria-label=(t("moderation.tabs")) {
                ul {
                    li { a href=(path) aria-current=[(!v.reported).then_some("page")] {
                        (t("moderation.held")) " (" (capped(v.held_count)) ")" } }
                    li { a href={ (path) "?file=signalements" } aria-current=[v.reported.then_some("page")] {
                        (t("moderation.reported")) " (" (capped(v.reported_count)) ")" } }
                }
            }
            @if v.items.is_empty() {
                p { (if v.reported { t("moderation.no_reports") } else { t("moderation.no_held") }) }
            }
            @for item in v.items {
                article.message.message-file id={ "message-" (item.post.id) } aria-labelledby={ "sujet-" (item.post.id) } {
                    h2 id={ "sujet-" (item.post.id) } {
                        a href=(post_url(item.thread.id, item.post.id)) { (thread_title(&item.thread)) }
                    }
                    p.meta { (t("exchange.by")) " " strong { (item.post.author_name) } " · " (time(item.post.created_at)) }
                    div.message-texte { (trusted_html(&item.post.html)) }
                    @if !item.reports.is_empty() {
                        h3 { (t("moderation.reports")) " (" (item.reports.len()) ")" }
                        ul {
                            @for r in &item.reports {
                                li {
                                    strong { (report_reason_label(r.reason())) }
                                    " · " (time(r.created_at))
                                    @if !r.detail.is_empty() { " — " (r.detail) }
                                }
                            }
                        }
                    }
                    (decision_form(ctx, &item.post, v.back))
                }
            }
            @if let Some(next) = &v.next {
                nav.pagination aria-label=(t("paging.label")) { a rel="next" href=(next) { (t("moderation.more")) } }
            }
            @if let Some(log) = v.log {
            section aria-labelledby="lieu_journal" {
                h2 #lieu_journal { (t("moderation.log")) }
                @if log.is_empty() {
                    p { (t("moderation.log_empty")) }
                } @else {
                    table.tableau {
                        caption.visuellement-cache { (t("moderation.log")) }
                        thead { tr {
                            th scope="col" { (t("moderation.log.when")) }
                            th scope="col" { (t("moderation.log.who")) }
                            th scope="col" { (t("moderation.log.what")) }
                            th scope="col" { (t("moderation.log.why")) }
                        } }
                        tbody {
                            @for (entry, who) in log {
                                tr {
                                    td { (time(entry.at)) }
                                    td { (who.as_deref().unwrap_or(t("moderation.log.system"))) }
                                    td {
                                        (action_label(&entry.action)) " "
                                        @if let Some(link) = target_link(&entry.target) { a href=(link) { (entry.target) } }
                                        @else { (entry.target) }
                                    }
                                    td { (entry.detail) }
                                }
                            }
                        }
                    }
                }
            }
            }
        },
    )
}
