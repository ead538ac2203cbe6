//! The agenda: a week by day, each day's page, and iCalendar feeds (all upcoming events, and one per event)
//! written with the `icalendar` crate.

use super::{html, ok};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::state::AppState;
use crate::views;
use crate::views::Paging;
use crate::views::agenda::DayView;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use icalendar::{Calendar, Component, EventLike};
use lieu_core::entry::list::{
    AGENDA_DAY_PAGE, AGENDA_ONGOING, AGENDA_PER_DAY, AgendaDay, AgendaPage, ListQuery, Period,
    to_the_minute,
};
use lieu_core::entry::{Details, Kind, Status, paris_to_utc};
use lieu_store::StoreError;
use lieu_store::directory as dir;
use lieu_store::models::communes;
use lieu_store::models::entries::{self, Entry};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AgendaQuery {
    /// `YYYY-MM`: the month, from its first day (from today in the current month).
    mois: String,
    /// `YYYY-MM-DD`: the week from that day.
    du: String,
}

/// A week of the agenda, by day: each day read on its own, a few events each.
pub async fn week(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<AgendaQuery>,
) -> Result<HttpResponse, AppError> {
    let (now, today) = (to_the_minute(state.clock.now()), state.clock.today());
    let page = AgendaPage::of(&query.mois, &query.du, today);
    let periods: Vec<Period> = page.days().iter().map(|d| d.period).collect();
    let question = (periods.clone(), now);
    let found = state
        .kept(&state.kept.agenda_weeks, question, move |c| {
            dir::agenda_days(c, &periods, now, AGENDA_PER_DAY)
        })
        .await?;
    Ok(ok(views::agenda::week(&ctx, &page, &found)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DayQuery {
    page: Option<i64>,
}

/// One day of the agenda, a page of its events at a time.
pub async fn day(
    state: web::Data<AppState>,
    ctx: PageCtx,
    date: web::Path<String>,
    query: web::Query<DayQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(day) = AgendaDay::parse(&date) else {
        return Ok(html(
            StatusCode::NOT_FOUND,
            views::agenda::day_refused(&ctx),
        ));
    };
    let now = to_the_minute(state.clock.now());
    let requested = query.page;
    let question = (day.period, now, requested);
    let found = state
        .kept(&state.kept.agenda_days, question, move |c| {
            let total = dir::agenda_day_count(c, day.period, now)?;
            let paging = Paging::new(requested, AGENDA_DAY_PAGE, total);
            let ongoing = if paging.page == 1 {
                dir::agenda_ongoing(c, day.period.from, now, AGENDA_ONGOING + 1)?
            } else {
                Vec::new()
            };
            let rows = dir::agenda_day(c, day.period, now, paging.per_page, paging.offset())?;
            Ok((paging, ongoing, rows))
        })
        .await?;
    let (paging, ongoing, rows) = &*found;
    Ok(ok(views::agenda::day(
        &ctx,
        &DayView {
            day,
            paging: *paging,
            ongoing,
            ongoing_shown: usize::try_from(AGENDA_ONGOING).unwrap_or(10),
            rows,
        },
    )))
}

fn ics_event(entry: &Entry, base: &str, commune: &str) -> Option<icalendar::Event> {
    let Some(Details::Event(d)) = entry.details() else {
        return None;
    };
    let url = format!("{base}{}", views::directory::entry_url(entry));
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or("lieu")
        .split('/')
        .next()
        .unwrap_or("lieu");
    let location = [d.address.as_str(), commune]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("{}@{host}", entry.slug))
        .summary(&entry.title)
        .description(&format!("{}\n\n{url}", entry.summary))
        .location(&location)
        .url(&url)
        .timestamp(entry.updated_at.and_utc())
        .starts(paris_to_utc(d.starts_at).and_utc())
        .ends(paris_to_utc(d.ends_at).and_utc());
    if let Some(until) = d.weekly_until {
        let last = paris_to_utc(until.and_time(d.starts_at.time()));
        event.add_property(
            "RRULE",
            format!("FREQ=WEEKLY;UNTIL={}", last.format("%Y%m%dT%H%M%SZ")),
        );
    }
    Some(event.done())
}

fn calendar_response(calendar: Calendar, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{filename}\""),
        ))
        .body(calendar.to_string())
}

/// All upcoming events, for a calendar subscription.
pub async fn feed(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let (events, communes) = state
        .db(move |s| {
            s.read(|c| {
                Ok((
                    dir::list(c, &ListQuery::events(None, now))?,
                    communes::all(c)?,
                ))
            })
        })
        .await?;
    let base = state.config.base_url.trim_end_matches('/').to_owned();
    let mut calendar = Calendar::new();
    calendar
        .name(&format!("{} — agenda", state.config.site_name))
        .timezone("Europe/Paris");
    for entry in &events {
        let commune = communes
            .iter()
            .find(|c| c.insee == entry.commune_insee)
            .map_or("", |c| c.name.as_str());
        if let Some(event) = ics_event(entry, &base, commune) {
            calendar.push(event);
        }
    }
    Ok(calendar_response(calendar.done(), "agenda.ics"))
}

/// One event, to add it to a calendar.
pub async fn event(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let (entry, commune) = state
        .db(move |s| {
            s.read(|c| {
                let entry = entries::by_slug(c, &slug)?.ok_or(StoreError::NotFound)?;
                let commune = entries::commune_name(c, &entry.commune_insee)?.unwrap_or_default();
                Ok((entry, commune))
            })
        })
        .await?;
    if entry.kind() != Kind::Event || entry.status() == Status::Archived {
        return Err(AppError::NotFound);
    }
    let base = state.config.base_url.trim_end_matches('/').to_owned();
    let event = ics_event(&entry, &base, &commune).ok_or(AppError::NotFound)?;
    let mut calendar = Calendar::new();
    calendar.push(event);
    Ok(calendar_response(
        calendar.done(),
        &format!("{}.ics", entry.slug),
    ))
}
