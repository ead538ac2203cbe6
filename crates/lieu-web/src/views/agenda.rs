//! The agenda: a week by day (a few events per day, a link to the day's page for the others),
//! and each day's own page, paginated. Both stay small whatever the number of events: a
//! resident on an old phone can open them.

use super::directory::{date_text, moment_text, month_text};
use super::{Paging, layout, pagination};
use crate::extract::PageCtx;
use crate::i18n::t;
use crate::i18n::words::time as time_text;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use lieu_core::entry::list::{AGENDA_PER_DAY, AgendaDay, AgendaPage, Refused};
use lieu_core::entry::{Kind, first_of_next_month, in_range, utc_to_paris};
use lieu_store::directory::{AgendaDays, AgendaRow};
use maud::{Markup, html};

fn day_url(day: NaiveDate) -> String {
    format!("/agenda/{day}")
}

fn event_url(row: &AgendaRow) -> String {
    crate::views::directory::entry_path(Kind::Event, &row.slug)
}

/// "14 h – 18 h", or the end's date too when the occurrence ends on another day.
fn hours(row: &AgendaRow) -> String {
    let (start, end) = (utc_to_paris(row.starts_at), utc_to_paris(row.ends_at));
    if start.date() == end.date() {
        format!("{} – {}", time_text(start.time()), time_text(end.time()))
    } else {
        format!("{} – {}", time_text(start.time()), moment_text(end))
    }
}

/// "en cours jusqu’au dimanche 7 décembre 2026 à 18 h", for an event that started earlier.
fn until(row: &AgendaRow) -> String {
    format!(
        "{} {}",
        t("agenda.until"),
        moment_text(utc_to_paris(row.ends_at))
    )
}

fn iso(moment: NaiveDateTime) -> String {
    // By hand: chrono's `format` parses its pattern again on each call, for every row.
    let local = utc_to_paris(moment);
    format!("{}T{:02}:{:02}", local.date(), local.hour(), local.minute())
}

/// One line of a week's day: the time, the title as a link, the commune.
fn item(row: &AgendaRow, ongoing: bool) -> Markup {
    html! {
        li.fiche {
            a href=(event_url(row)) { (row.title) }
            p.fiche-lieu {
                @if ongoing {
                    time datetime=(iso(row.ends_at)) { (until(row)) }
                } @else {
                    time datetime=(iso(row.starts_at)) { (hours(row)) }
                }
                " · " (row.commune)
            }
        }
    }
}

/// One day of a week page: what it shows (each row with whether it started on an earlier
/// day), and whether the day has more.
struct ShownDay<'a> {
    day: AgendaDay,
    rows: Vec<(&'a AgendaRow, bool)>,
    more: bool,
}

/// The days of `page` that have something to show: the events already running first (on the
/// first day), then those that start, [`AGENDA_PER_DAY`] at most.
fn shown_days<'a>(page: &AgendaPage, found: &'a AgendaDays) -> Vec<ShownDay<'a>> {
    let per_day = usize::try_from(AGENDA_PER_DAY).unwrap_or(5);
    page.days()
        .into_iter()
        .zip(&found.days)
        .enumerate()
        .map(|(i, (day, starting))| {
            let ongoing: &[AgendaRow] = if i == 0 { &found.ongoing } else { &[] };
            let all: Vec<(&AgendaRow, bool)> = ongoing
                .iter()
                .map(|r| (r, true))
                .chain(starting.iter().map(|r| (r, false)))
                .collect();
            ShownDay {
                day,
                more: all.len() > per_day,
                rows: all.into_iter().take(per_day).collect(),
            }
        })
        .filter(|shown| !shown.rows.is_empty())
        .collect()
}

/// The agenda from `page.from`, a week by day. `found` holds the events running at the start
/// of the first day, then each day's first occurrences (one more than shown, when the day has
/// others).
pub fn week(ctx: &PageCtx, page: &AgendaPage, found: &AgendaDays) -> Markup {
    let first = page.month.first;
    let title = format!(
        "{} — {}",
        t("agenda.title"),
        month_text(first.year(), first.month())
    );
    // No link leads outside the years the site accepts.
    let previous_month = first.pred_opt().filter(|d| in_range(*d));
    let next_month = Some(first_of_next_month(first)).filter(|d| in_range(*d));
    let last = page.to.pred_opt().unwrap_or(page.from);
    let days = shown_days(page, found);
    layout(
        ctx,
        &title,
        html! {
            h1 { (title) }
            @match page.refused {
                Refused::Month => p.alerte.alerte-attention role="status" { (t("agenda.month_refused")) },
                Refused::Day => p.alerte.alerte-attention role="status" { (t("agenda.day_refused")) },
                Refused::Nothing => {},
            }
            nav.pagination aria-label=(t("agenda.months")) {
                @if let Some(previous) = previous_month {
                    a href={ "/agenda?mois=" (previous.format("%Y-%m")) } { "← " (month_text(previous.year(), previous.month())) }
                }
                @if let Some(next) = next_month {
                    a href={ "/agenda?mois=" (next.format("%Y-%m")) } { (month_text(next.year(), next.month())) " →" }
                }
            }
            p { a href="/agenda.ics" { (t("agenda.subscribe")) } " · " a href="/annuaire/evenements" { (t("agenda.search")) } }
            p.chapo { (t("agenda.from")) " " (date_text(page.from)) " " (t("agenda.to")) " " (date_text(last)) }
            @if days.is_empty() {
                p { (t("agenda.none")) }
            }
            @for shown in &days {
                @let date = shown.day.date;
                @let id = format!("jour-{date}");
                section.jour aria-labelledby=(id) {
                    h2 #(id) { a href=(day_url(date)) { (date_text(date)) } }
                    ul.liste-fiches {
                        @for (row, ongoing) in &shown.rows { (item(row, *ongoing)) }
                    }
                    @if shown.more {
                        p { a href=(day_url(date)) { (t("agenda.more")) " " (date_text(date)) } }
                    }
                }
            }
            nav.pagination aria-label=(t("agenda.days")) {
                @if let Some(previous) = page.previous() {
                    a rel="prev" href={ "/agenda?du=" (previous) } { "← " (t("agenda.previous_days")) }
                }
                @if let Some(next) = page.next() {
                    a rel="next" href={ "/agenda?du=" (next) } { (t("agenda.next_days")) " →" }
                }
            }
        },
    )
}

/// What the page of one day shows.
pub struct DayView<'a> {
    pub day: AgendaDay,
    pub paging: Paging,
    /// Events of twelve hours or more that started before the day and still run (first page
    /// only), one more than [`lieu_core::entry::list::AGENDA_ONGOING`] when there are others.
    pub ongoing: &'a [AgendaRow],
    pub ongoing_shown: usize,
    /// This page of the day's occurrences.
    pub rows: &'a [AgendaRow],
}

fn event(row: &AgendaRow, ongoing: bool) -> Markup {
    html! {
        li.fiche {
            h3 { a href=(event_url(row)) { (row.title) } }
            p.fiche-faits {
                @if ongoing {
                    time datetime=(iso(row.ends_at)) { (until(row)) }
                } @else {
                    time datetime=(iso(row.starts_at)) { (hours(row)) }
                }
                " · " (row.commune)
            }
            p { (row.summary) }
        }
    }
}

/// The events of one day, a page at a time.
pub fn day(ctx: &PageCtx, view: &DayView<'_>) -> Markup {
    let date = view.day.date;
    let title = format!("{} — {}", t("agenda.title"), date_text(date));
    let total = view.paging.total;
    layout(
        ctx,
        &title,
        html! {
            h1 { (title) }
            nav.pagination aria-label=(t("agenda.days")) {
                @if let Some(previous) = view.day.previous() {
                    a href=(day_url(previous)) { "← " (date_text(previous)) }
                }
                @if let Some(next) = view.day.next() {
                    a href=(day_url(next)) { (date_text(next)) " →" }
                }
            }
            p { a href={ "/agenda?du=" (date) } { (t("agenda.back")) } " · " a href="/agenda.ics" { (t("agenda.subscribe")) } }
            @if !view.ongoing.is_empty() {
                section aria-labelledby="deja-commences" {
                    h2 #deja-commences { (t("agenda.ongoing")) }
                    ul.liste-fiches {
                        @for row in view.ongoing.iter().take(view.ongoing_shown) { (event(row, true)) }
                    }
                    @if view.ongoing.len() > view.ongoing_shown {
                        p { a href={ "/annuaire/evenements?periode=date&date=" (date) } { (t("agenda.ongoing_more")) } }
                    }
                }
            }
            section aria-labelledby="programme" {
                h2 #programme { (t("agenda.programme")) }
                p {
                    @match total {
                        0 => (t("agenda.day_none")),
                        1 => (t("agenda.day_one")),
                        n => { (n) " " (t("agenda.day_count")) }
                    }
                }
                @if !view.rows.is_empty() {
                    ul.liste-fiches {
                        @for row in view.rows { (event(row, false)) }
                    }
                }
                (pagination(view.paging, &day_url(date)))
            }
        },
    )
}

/// The answer to a day the agenda cannot show (not a date, or outside the accepted years).
pub fn day_refused(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("agenda.day_not_found"),
        html! {
            h1 { (t("agenda.day_not_found")) }
            p { (t("agenda.day_not_found_explain")) }
            p { a href="/agenda" { (t("agenda.back")) } }
        },
    )
}
