//! The agenda: events by month, and iCalendar feeds (all upcoming events, and one per event)
//! written with the `icalendar` crate.

use super::ok;
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::state::AppState;
use crate::views;
use crate::views::agenda::AgendaItem;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use icalendar::{Calendar, Component, EventLike};
use lieu_core::entry::list::{AgendaMonth, ListQuery, agenda_occurrences};
use lieu_core::entry::{Details, Kind, Status, paris_to_utc};
use lieu_store::StoreError;
use lieu_store::directory as dir;
use lieu_store::models::communes;
use lieu_store::models::entries::{self, Entry};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MonthQuery {
    mois: String,
}

pub async fn month(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let (now, today) = (state.clock.now(), state.clock.today());
    let month = AgendaMonth::of(&query.mois, today);
    let (events, communes) = state
        .db(move |s| {
            s.read(|c| {
                let events = dir::events(c, &ListQuery::events(Some(month.period), now))?;
                Ok((events, communes::all(c)?))
            })
        })
        .await?;
    let occurrences = agenda_occurrences(
        events.into_iter().map(|(entry, details)| {
            let title = entry.title.clone();
            let commune = communes
                .iter()
                .find(|c| c.insee == entry.commune_insee)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            (AgendaItem { entry, commune }, details, title)
        }),
        &month,
        now,
    );
    Ok(ok(views::agenda::month(
        &ctx,
        month.first,
        month.refused,
        &occurrences,
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
