//! The agents' pages: an entry's history and the entries to verify.

use super::format::{entry_url, kind_label};
use crate::extract::PageCtx;
use crate::i18n::t;
use crate::views::{Paging, csrf_field, layout, pagination, time};
use lieu_store::models::entries::Entry;
use lieu_store::models::entry_revisions::EntryRevision;
use maud::{Markup, html};

pub fn history(ctx: &PageCtx, entry: &Entry, revisions: &[EntryRevision]) -> Markup {
    let title = format!(
        "{} {}",
        t("history.title"),
        crate::i18n::quoted(&entry.title)
    );
    layout(
        ctx,
        &title,
        html! {
            h1 { (title) }
            p { a href=(entry_url(entry)) { (t("manage.see_current")) } }
            ol.liste-modifications reversed {
                @for r in revisions {
                    li {
                        (t("history.version")) " " (r.number) " — " (time(r.created_at)) " — " (r.author_name)
                        " — " (crate::i18n::quoted(&r.summary))
                        details {
                            summary { (t("manage.snapshot")) }
                            // Focusable: a long snapshot scrolls sideways, and a region
                            // that scrolls must be reachable by keyboard.
                            pre.instantane tabindex="0" { (snapshot_text(&r.snapshot_json)) }
                        }
                    }
                }
            }
        },
    )
}

fn snapshot_text(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| json.to_owned())
}

pub fn to_verify(ctx: &PageCtx, entries: &[Entry], days: i64, paging: Paging) -> Markup {
    layout(
        ctx,
        t("manage.to_verify"),
        html! {
            h1 { (t("manage.to_verify")) }
            p {
                (t("manage.to_verify_explain")) " " (days) " " (t("manage.days")) (crate::i18n::colon()) " "
                strong { (paging.total) } "."
            }
            @if entries.is_empty() {
                p { (t("manage.all_verified")) }
            } @else {
                table.tableau {
                    caption.visuellement-cache { (t("manage.to_verify")) }
                    thead { tr {
                        th scope="col" { (t("field.title")) }
                        th scope="col" { (t("manage.kind")) }
                        th scope="col" { (t("manage.verified_on")) }
                        th scope="col" { (t("manage.action")) }
                    } }
                    tbody {
                        @for e in entries {
                            tr {
                                td { a href=(entry_url(e)) { (e.title) } }
                                td { (kind_label(e.kind())) }
                                td { (time(e.verified_at)) }
                                td {
                                    form method="post" action={ "/gestion/fiches/" (e.id) "/verifier?retour=a-verifier" } {
                                        (csrf_field(ctx))
                                        button.bouton.bouton-secondaire type="submit" { (t("manage.mark_verified")) span.visuellement-cache { (crate::i18n::colon()) " " (e.title) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (pagination(paging, "/gestion/a-verifier"))
        },
    )
}

/// The answer to an archive or restore clicked on a version of the entry that is no longer the
/// current one: nothing was changed, and the agent goes back to the entry as it is now.
pub fn changed_meanwhile(ctx: &PageCtx, current: &Entry) -> Markup {
    layout(
        ctx,
        t("manage.stale_title"),
        html! {
            h1 { (t("manage.stale_title")) }
            div.alerte.alerte-attention { p { (t("manage.stale_explain")) } }
            p { a href=(entry_url(current)) { (t("manage.back_to_entry")) " " (crate::i18n::quoted(&current.title)) } }
        },
    )
}
