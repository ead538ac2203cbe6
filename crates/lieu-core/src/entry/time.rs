//! Time on the directory: the years a date may lie in, Paris local time and UTC, the periods
//! of the events filter, and dates typed in forms and URLs.

use crate::validation::Invalid;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Europe::Paris;

/// The first year a date typed in a form or a URL may have.
pub const FIRST_YEAR: i32 = 1900;
/// The last year a date typed in a form or a URL may have. The bounds keep every date the
/// site handles far from chrono's limits, so that adding a day, a week or two hours to a
/// date that passed the check can never overflow.
pub const LAST_YEAR: i32 = 2200;

/// Whether `d` lies within the years the site accepts.
pub fn in_range(d: NaiveDate) -> bool {
    use chrono::Datelike;
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

/// Paris local time to UTC; a local time skipped by a DST change is moved an hour on.
pub fn paris_to_utc(local: NaiveDateTime) -> NaiveDateTime {
    Paris
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            let later = local.checked_add_signed(chrono::Duration::hours(1))?;
            Paris.from_local_datetime(&later).earliest()
        })
        .map(|dt| dt.naive_utc())
        .unwrap_or(local)
}

/// The moment `days` days before `now`, for "not verified for so many days": never before
/// the first accepted year, whatever the configuration says.
pub fn days_before(now: NaiveDateTime, days: i64) -> NaiveDateTime {
    let floor = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN);
    chrono::TimeDelta::try_days(days)
        .and_then(|d| now.checked_sub_signed(d))
        .map_or(floor, |before| before.max(floor))
}

/// UTC to Paris local time.
pub fn utc_to_paris(utc: NaiveDateTime) -> NaiveDateTime {
    Paris.from_utc_datetime(&utc).naive_local()
}

/// The end of a Paris day, in UTC: offers expire after their last day.
pub fn end_of_paris_day(date: NaiveDate) -> NaiveDateTime {
    let next = date.succ_opt().unwrap_or(date);
    paris_to_utc(next.and_time(NaiveTime::MIN))
}

/// The first day of the month after `d`'s.
pub fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// The days (from included, to excluded) of a period of the events filter: `aujourdhui`,
/// `semaine` (the next seven days: on a Sunday "this week" must not mean "tonight"), `mois`
/// (until the end of the month), or `date` with `date` as `YYYY-MM-DD` (within the years the
/// site accepts: another date is no period at all, like one that does not parse).
pub fn period_days(name: &str, date: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let days = |from: NaiveDate, n: u64| Some((from, from.checked_add_days(chrono::Days::new(n))?));
    match name {
        "aujourdhui" => days(today, 1),
        "semaine" => days(today, 7),
        "mois" => Some((today, first_of_next_month(today))),
        "date" => days(parse_date(date)?, 1),
        _ => None,
    }
}

/// The first day of a month typed as `YYYY-MM` (the agenda's `mois`), within the years the
/// site accepts.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| in_range(*d))
}

/// Paris days (from included, to excluded) as UTC moments.
pub fn paris_days_to_utc(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (
        paris_to_utc(from.and_time(NaiveTime::MIN)),
        paris_to_utc(to.and_time(NaiveTime::MIN)),
    )
}

/// What became of a date typed in a form.
pub(super) enum Parsed<T> {
    Empty,
    Ok(T),
    /// Not a date at all.
    Invalid,
    /// A date, outside the years the site accepts.
    OutOfRange,
}

impl<T> Parsed<T> {
    pub(super) fn ok(self) -> Option<T> {
        match self {
            Parsed::Ok(v) => Some(v),
            _ => None,
        }
    }

    /// Records the error of a non-empty field that is not a usable date.
    pub(super) fn report(&self, e: &mut Invalid, field: &'static str, invalid_code: &'static str) {
        match self {
            Parsed::Invalid => e.add(field, invalid_code),
            Parsed::OutOfRange => e.add(field, "date_out_of_range"),
            Parsed::Empty | Parsed::Ok(_) => {}
        }
    }
}

pub(super) fn parse_date_field(s: &str) -> Parsed<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return Parsed::Empty;
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
    {
        Ok(d) if in_range(d) => Parsed::Ok(d),
        Ok(_) => Parsed::OutOfRange,
        Err(_) => Parsed::Invalid,
    }
}

pub(super) fn parse_datetime_field(s: &str) -> Parsed<NaiveDateTime> {
    let s = s.trim();
    if s.is_empty() {
        return Parsed::Empty;
    }
    let parsed = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok());
    match parsed {
        Some(d) if in_range(d.date()) => Parsed::Ok(d),
        Some(_) => Parsed::OutOfRange,
        None => Parsed::Invalid,
    }
}

/// A date typed in a URL or a form, within the years the site accepts.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_field(s).ok()
}
