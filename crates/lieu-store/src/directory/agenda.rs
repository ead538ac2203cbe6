//! What the agenda reads: occurrences of published events, one day at a time, each read
//! bounded by LIMIT on the index of occurrences by start (`entry_occurrences_start`), so that
//! a page costs the same with ten events a day or ten thousand. Nothing here reads a whole
//! month.

use crate::DbConn;
use crate::error::StoreResult;
use crate::schema::{communes as c, entries as e, entry_occurrences as o};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lieu_core::entry::Status;
use lieu_core::entry::list::Period;

/// One occurrence of an event, with what the agenda shows of it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AgendaRow {
    /// The occurrence, in UTC.
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The name of the event's commune.
    pub commune: String,
}

/// What one page of the agenda shows: the events still running at the start of its first day,
/// then each day's occurrences, at most `per_day` of each (one more is read, so that the page
/// knows whether the day has others).
#[derive(Debug, Clone, Default)]
pub struct AgendaDays {
    pub ongoing: Vec<AgendaRow>,
    pub days: Vec<Vec<AgendaRow>>,
}

/// Occurrences starting within `day`, not over at `now`, of published events, by start then
/// entry; `limit` of them from `offset`.
pub fn agenda_day(
    conn: &mut DbConn,
    day: Period,
    now: NaiveDateTime,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<AgendaRow>> {
    Ok(o::table
        .inner_join(e::table.inner_join(c::table))
        .filter(o::starts_at.ge(day.from))
        .filter(o::starts_at.lt(day.to))
        .filter(o::ends_at.gt(now))
        .filter(e::status.eq(Status::Published.as_str()))
        .order((o::starts_at.asc(), o::entry_id.asc()))
        .limit(limit)
        .offset(offset)
        .select((
            o::starts_at,
            o::ends_at,
            e::slug,
            e::title,
            e::summary,
            c::name,
        ))
        .load(conn)?)
}

/// How many occurrences [`agenda_day`] finds in `day` in all.
pub fn agenda_day_count(conn: &mut DbConn, day: Period, now: NaiveDateTime) -> StoreResult<i64> {
    Ok(o::table
        .inner_join(e::table)
        .filter(o::starts_at.ge(day.from))
        .filter(o::starts_at.lt(day.to))
        .filter(o::ends_at.gt(now))
        .filter(e::status.eq(Status::Published.as_str()))
        .count()
        .get_result(conn)?)
}

diesel::define_sql_function! {
    /// The calendar day of a timestamp (SQLite's `date()`, PostgreSQL's `date()` cast).
    fn date(moment: diesel::sql_types::Timestamp) -> diesel::sql_types::Date;
}

/// Occurrences that started before `at` and still run then (and at `now`), ending soonest
/// first: fairs and exhibitions, shown again on the days they last. Only occurrences that run
/// across a midnight in UTC are looked at (those of the partial index
/// `entry_occurrences_overnight`, whose condition the query states word for word): every
/// event of more than a day is one, and an evening that ends before 1 or 2 a.m. in Paris is
/// shown on the day it starts only.
pub fn agenda_ongoing(
    conn: &mut DbConn,
    at: NaiveDateTime,
    now: NaiveDateTime,
    limit: i64,
) -> StoreResult<Vec<AgendaRow>> {
    Ok(o::table
        .inner_join(e::table.inner_join(c::table))
        .filter(date(o::ends_at).ne(date(o::starts_at)))
        .filter(o::starts_at.lt(at))
        .filter(o::ends_at.gt(at.max(now)))
        .filter(e::status.eq(Status::Published.as_str()))
        .order((o::ends_at.asc(), o::starts_at.asc(), o::entry_id.asc()))
        .limit(limit)
        .select((
            o::starts_at,
            o::ends_at,
            e::slug,
            e::title,
            e::summary,
            c::name,
        ))
        .load(conn)?)
}

/// One page of the agenda: the events running at the start of the first of `days`, and the
/// first `per_day` + 1 occurrences of each day. `days` is a week at most (the caller's page).
pub fn agenda_days(
    conn: &mut DbConn,
    days: &[Period],
    now: NaiveDateTime,
    per_day: i64,
) -> StoreResult<AgendaDays> {
    let ongoing = match days.first() {
        Some(first) => agenda_ongoing(conn, first.from, now, per_day + 1)?,
        None => Vec::new(),
    };
    let days = days
        .iter()
        .map(|day| agenda_day(conn, *day, now, per_day + 1, 0))
        .collect::<StoreResult<_>>()?;
    Ok(AgendaDays { ongoing, days })
}
