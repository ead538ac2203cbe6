use super::directory::{date_fr, entry_url, month_fr};
use super::layout;
use crate::extract::PageCtx;
use crate::i18n::t;
use chrono::{Datelike, NaiveDate};
use lieu_core::entry::{first_of_next_month, in_range};
use lieu_core::hours::time_fr;
use lieu_store::models::entries::Entry;
use maud::{Markup, html};

/// What the agenda shows of an event beside each of its occurrences.
#[derive(Debug, Clone)]
pub struct AgendaItem {
    pub entry: Entry,
    /// The name of its commune.
    pub commune: String,
}

pub type Occurrence = lieu_core::entry::list::Occurrence<AgendaItem>;

pub fn month(ctx: &PageCtx, first: NaiveDate, refused: bool, occurrences: &[Occurrence]) -> Markup {
    let title = format!(
        "{} — {}",
        t("agenda.title"),
        month_fr(first.year(), first.month())
    );
    // No link leads outside the years the site accepts.
    let previous = first.pred_opt().filter(|d| in_range(*d));
    let next = Some(first_of_next_month(first)).filter(|d| in_range(*d));
    let mut days: Vec<(NaiveDate, Vec<&Occurrence>)> = Vec::new();
    for o in occurrences {
        let day = o.start.date().max(first);
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(o),
            _ => days.push((day, vec![o])),
        }
    }
    layout(
        ctx,
        &title,
        html! {
            h1 { (title) }
            @if refused {
                p.alerte.alerte-attention role="status" { (t("agenda.month_refused")) }
            }
            nav.pagination aria-label=(t("agenda.months")) {
                @if let Some(previous) = previous {
                    a href={ "/agenda?mois=" (previous.format("%Y-%m")) } { "← " (month_fr(previous.year(), previous.month())) }
                }
                @if let Some(next) = next {
                    a href={ "/agenda?mois=" (next.format("%Y-%m")) } { (month_fr(next.year(), next.month())) " →" }
                }
            }
            p { a href="/agenda.ics" { (t("agenda.subscribe")) } " · " a href="/annuaire/evenements" { (t("agenda.search")) } }
            @if days.is_empty() {
                p { (t("agenda.none")) }
            }
            @for (day, list) in &days {
                section.jour aria-labelledby={ "jour-" (day.format("%Y-%m-%d")) } {
                    h2 id={ "jour-" (day.format("%Y-%m-%d")) } { (date_fr(*day)) }
                    ul.liste-fiches {
                        @for o in list {
                            li.fiche {
                                h3 { a href=(entry_url(&o.event.entry)) { (o.event.entry.title) } }
                                p.fiche-faits { (time_fr(o.start.time())) " – " (time_fr(o.end.time())) " · " (o.event.commune) }
                                p { (o.event.entry.summary) }
                            }
                        }
                    }
                }
            }
        },
    )
}
