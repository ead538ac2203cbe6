//! The agenda: events by month, and iCalendar feeds (all upcoming events, and one per event)
//! written with the `icalendar` crate.

use super::ok;
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::state::AppState;
use crate::views;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{Datelike, NaiveDateTime};
use icalendar::{Calendar, Component, EventLike};
use lieu_core::entry::{
    Details, Kind, Status, first_of_next_month, paris_days_to_utc, paris_to_utc, parse_month,
};
use lieu_store::StoreError;
use lieu_store::directory::{self as dir, ListQuery, Period};
use lieu_store::models::communes;
use lieu_store::models::entries::{self, Entry};
use serde::Deserialize;

const MAX_EVENTS: i64 = 1000;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MonthQuery {
    mois: String,
}

fn events_query(period: Option<Period>, now: NaiveDateTime) -> ListQuery {
    ListQuery {
        kind: Kind::Event,
        commune: None,
        tags: Vec::new(),
        subtype: None,
        max_amount: None,
        period,
        include_ended: false,
        status: Status::Published,
        now,
        limit: MAX_EVENTS,
        offset: 0,
    }
}

/// One occurrence of an event in the agenda.
pub struct Occurrence {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub entry: Entry,
    pub commune: String,
}

pub async fn month(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    // A month that does not parse, or lies outside the years the site accepts, shows this one.
    let (now, today) = (state.clock.now(), state.clock.today());
    let first = parse_month(&query.mois).unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let next = first_of_next_month(first);
    let (from, to) = paris_days_to_utc(first, next);
    let period = Period { from, to };
    let (events, communes) = state
        .db(move |s| {
            s.read(|c| {
                Ok((
                    dir::list(c, &events_query(Some(period), now))?,
                    communes::all(c)?,
                ))
            })
        })
        .await?;
    let mut occurrences: Vec<Occurrence> = Vec::new();
    for entry in events {
        let Some(Details::Event(d)) = entry.details() else {
            continue;
        };
        let commune = communes
            .iter()
            .find(|c| c.insee == entry.commune_insee)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        for (start, end) in d.occurrences() {
            // Past occurrences leave the agenda; the event's page stays reachable.
            if start.date() < next && end.date() >= first && paris_to_utc(end) > now {
                occurrences.push(Occurrence {
                    start,
                    end,
                    entry: entry.clone(),
                    commune: commune.clone(),
                });
            }
        }
    }
    occurrences.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(a.entry.title.cmp(&b.entry.title))
    });
    Ok(ok(views::agenda::month(&ctx, first, &occurrences)))
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
        .db(move |s| s.read(|c| Ok((dir::list(c, &events_query(None, now))?, communes::all(c)?))))
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
