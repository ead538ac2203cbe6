//! Opening hours in OSM syntax, evaluated by the `opening-hours` crate: a week's schedule in
//! French and whether a place is open at a given moment (Paris local time). French public
//! holidays are given to the crate, so that `PH off` closes a place on 14 July.

use crate::french;
use chrono::{Datelike, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use compact_calendar::CompactCalendar;
use opening_hours::{Context, ContextHolidays, OpeningHours, RuleKind};
use std::sync::{Arc, LazyLock};

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian computus, as
/// given by Meeus).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(
        year,
        u32::try_from(n / 31).ok()?,
        u32::try_from(n % 31 + 1).ok()?,
    )
}

/// The public holidays of metropolitan France in `year` (Alsace-Moselle's two extra days
/// are not included: the territory is not there).
pub fn french_public_holidays(year: i32) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = [
        (1, 1),   // Jour de l’an
        (5, 1),   // Fête du travail
        (5, 8),   // Victoire 1945
        (7, 14),  // Fête nationale
        (8, 15),  // Assomption
        (11, 1),  // Toussaint
        (11, 11), // Armistice
        (12, 25), // Noël
    ]
    .into_iter()
    .filter_map(|(m, d)| NaiveDate::from_ymd_opt(year, m, d))
    .collect();
    if let Some(easter) = easter(year) {
        // Easter Monday, Ascension (Thursday, 39 days on), Whit Monday (50 days on).
        days.extend(
            [1, 39, 50]
                .into_iter()
                .filter_map(|n| easter.checked_add_days(Days::new(n))),
        );
    }
    days.sort();
    days
}

/// The holidays of the years the site handles, computed once.
static HOLIDAYS: LazyLock<Arc<CompactCalendar>> = LazyLock::new(|| {
    let mut calendar = CompactCalendar::default();
    for year in crate::entry::FIRST_YEAR..=crate::entry::LAST_YEAR {
        for day in french_public_holidays(year) {
            calendar.insert(day);
        }
    }
    Arc::new(calendar)
});

/// Parses `hours` and attaches the French public holidays (`PH`) to it.
fn parse(hours: &str) -> Option<OpeningHours> {
    let oh: OpeningHours = hours.parse().ok()?;
    let holidays = ContextHolidays::new(HOLIDAYS.clone(), Arc::default());
    Some(oh.with_context(Context::default().with_holidays(holidays)))
}

/// One day of a week's schedule: its French name and its opening intervals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// "Lundi".
    pub name: String,
    pub date: NaiveDate,
    pub intervals: Vec<(NaiveTime, NaiveTime)>,
}

impl Day {
    /// "9 h – 12 h 30, 13 h 30 – 17 h", or "Fermé".
    pub fn describe(&self) -> String {
        if self.intervals.is_empty() {
            return "Fermé".to_owned();
        }
        self.intervals
            .iter()
            .map(|(a, b)| format!("{} – {}", time_fr(*a), time_fr(*b)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// "9 h", "12 h 30", "minuit".
pub fn time_fr(t: NaiveTime) -> String {
    match (t.hour(), t.minute()) {
        (0, 0) => "minuit".to_owned(),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

/// The schedule of the week that contains `day`, Monday first.
pub fn week(hours: &str, day: NaiveDate) -> Option<Vec<Day>> {
    let oh = parse(hours)?;
    let monday =
        day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))?;
    (0..7)
        .map(|i| {
            let date = monday.checked_add_days(Days::new(i))?;
            let start = date.and_time(NaiveTime::MIN);
            let end = date.succ_opt()?.and_time(NaiveTime::MIN);
            let intervals = oh
                .iter_range(start, end)
                .filter(|r| r.kind == RuleKind::Open)
                .map(|r| {
                    let end = if r.range.end.date() > date {
                        NaiveTime::MIN
                    } else {
                        r.range.end.time()
                    };
                    (r.range.start.time(), end)
                })
                .collect();
            Some(Day {
                name: french::capitalized(french::weekday(date.weekday())),
                date,
                intervals,
            })
        })
        .collect()
}

/// The schedule of an ordinary week, for paper: the first week from the one that contains
/// `day` (within two months) without a public holiday, so that a printed sheet does not
/// announce "closed on Wednesday" because this Wednesday is 11 November. Falls back to the
/// week of `day`.
pub fn typical_week(hours: &str, day: NaiveDate) -> Option<Vec<Day>> {
    let holidays = &*HOLIDAYS;
    for weeks in 0..9u64 {
        let Some(start) = day.checked_add_days(Days::new(weeks * 7)) else {
            break;
        };
        let days = week(hours, start)?;
        if !days.iter().any(|d| holidays.contains(d.date)) {
            return Some(days);
        }
    }
    week(hours, day)
}

/// Consecutive days open at the same times: "Tuesday to Thursday, 9:00–12:30".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRun {
    pub first: Weekday,
    pub last: Weekday,
    pub intervals: Vec<(NaiveTime, NaiveTime)>,
}

/// The open days of `days` (a week, Monday first) in runs of consecutive days with the same
/// times; closed days are left out.
pub fn day_runs(days: &[Day]) -> Vec<DayRun> {
    let mut runs: Vec<DayRun> = Vec::new();
    let mut previous_open = false;
    for day in days {
        let open = !day.intervals.is_empty();
        match runs.last_mut() {
            Some(run) if open && previous_open && run.intervals == day.intervals => {
                run.last = day.date.weekday();
            }
            _ if open => runs.push(DayRun {
                first: day.date.weekday(),
                last: day.date.weekday(),
                intervals: day.intervals.clone(),
            }),
            _ => {}
        }
        previous_open = open;
    }
    runs
}

/// Whether the place is open at `now` (Paris local time), and until / from when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenNow {
    Open { until: Option<NaiveDateTime> },
    Closed { opens: Option<NaiveDateTime> },
    Unknown,
}

pub fn open_now(hours: &str, now: NaiveDateTime) -> Option<OpenNow> {
    let oh = parse(hours)?;
    let next = oh.next_change(now).filter(|n| {
        now.checked_add_signed(Duration::days(14))
            .is_none_or(|limit| *n < limit)
    });
    Some(match oh.state(now).0 {
        RuleKind::Open => OpenNow::Open { until: next },
        RuleKind::Closed => OpenNow::Closed { opens: next },
        RuleKind::Unknown => OpenNow::Unknown,
    })
}

/// "mardi à 9 h" for a moment in the coming week.
pub fn moment_fr(at: NaiveDateTime, now: NaiveDateTime) -> String {
    let day = if at.date() == now.date() {
        "aujourd’hui".to_owned()
    } else if now.date().succ_opt() == Some(at.date()) {
        "demain".to_owned()
    } else {
        french::weekday(at.weekday()).to_owned()
    };
    format!("{day} à {}", time_fr(at.time()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .expect("date")
    }

    const HOURS: &str = "Tu-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:30; Sa 09:00-12:00";

    #[test]
    fn a_week_is_described_in_french() {
        let days =
            week(HOURS, NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")).expect("parse");
        assert_eq!(days[0].name, "Lundi");
        assert_eq!(days[0].describe(), "Fermé");
        assert_eq!(days[1].describe(), "9 h – 12 h 30, 13 h 30 – 17 h");
        assert_eq!(days[5].describe(), "9 h – 12 h");
    }

    #[test]
    fn open_now_follows_the_hours() {
        // Tuesday 24 November 2026, 10:00.
        assert_eq!(
            open_now(HOURS, at(2026, 11, 24, 10, 0)),
            Some(OpenNow::Open {
                until: Some(at(2026, 11, 24, 12, 30))
            })
        );
        // Monday: closed until Tuesday 9:00.
        assert_eq!(
            open_now(HOURS, at(2026, 11, 23, 10, 0)),
            Some(OpenNow::Closed {
                opens: Some(at(2026, 11, 24, 9, 0))
            })
        );
        assert_eq!(open_now("n’importe quoi", at(2026, 11, 23, 10, 0)), None);
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn easter_follows_the_computus() {
        for (year, month, d) in [
            (1961, 4, 2),
            (2000, 4, 23),
            (2008, 3, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2100, 3, 28),
        ] {
            assert_eq!(easter(year), Some(day(year, month, d)), "{year}");
        }
    }

    #[test]
    fn french_public_holidays_include_the_moving_ones() {
        let h = french_public_holidays(2027);
        assert_eq!(h.len(), 11);
        for d in [
            day(2027, 1, 1),
            day(2027, 3, 29),
            day(2027, 5, 1),
            day(2027, 5, 6),
            day(2027, 5, 8),
            day(2027, 5, 17),
            day(2027, 7, 14),
            day(2027, 8, 15),
            day(2027, 11, 1),
            day(2027, 11, 11),
            day(2027, 12, 25),
        ] {
            assert!(h.contains(&d), "{d}");
        }
    }

    #[test]
    fn a_place_closed_on_public_holidays_is_closed_on_14_july_and_easter_monday() {
        const WEEKDAYS: &str = "Mo-Fr 09:00-12:00; PH off";
        // Tuesday 14 July 2026.
        assert!(matches!(
            open_now(WEEKDAYS, at(2026, 7, 14, 10, 0)),
            Some(OpenNow::Closed { opens: Some(o) }) if o == at(2026, 7, 15, 9, 0)
        ));
        // Easter Monday 2027 is 29 March.
        assert!(matches!(
            open_now(WEEKDAYS, at(2027, 3, 29, 10, 0)),
            Some(OpenNow::Closed { .. })
        ));
        // An ordinary Tuesday.
        assert!(matches!(
            open_now(WEEKDAYS, at(2026, 7, 7, 10, 0)),
            Some(OpenNow::Open { .. })
        ));
        // The week's table says it too.
        let days = week(WEEKDAYS, day(2026, 7, 14)).expect("parse");
        assert_eq!(days[1].describe(), "Fermé");
        assert_eq!(days[2].describe(), "9 h – 12 h");
        // And a place open only on public holidays is open then.
        assert!(matches!(
            open_now("PH 10:00-12:00", at(2026, 7, 14, 11, 0)),
            Some(OpenNow::Open { .. })
        ));
    }

    #[test]
    fn moments_are_said_plainly() {
        let now = at(2026, 11, 23, 18, 0);
        assert_eq!(moment_fr(at(2026, 11, 24, 9, 0), now), "demain à 9 h");
        assert_eq!(moment_fr(at(2026, 11, 26, 13, 30), now), "jeudi à 13 h 30");
    }

    #[test]
    fn a_typical_week_skips_the_weeks_with_a_public_holiday() {
        // Wednesday 11 November 2026 is a holiday: the sheet shows the week after.
        let days = typical_week("Mo-Fr 09:00-12:00; PH off", day(2026, 11, 10)).expect("parse");
        assert_eq!(days[0].date, day(2026, 11, 16));
        assert!(days[..5].iter().all(|d| d.describe() == "9 h – 12 h"));
        assert_eq!(typical_week("n’importe quoi", day(2026, 11, 10)), None);
    }

    #[test]
    fn open_days_come_in_runs_of_the_same_times() {
        let days = week(HOURS, day(2026, 11, 23)).expect("parse");
        let runs = day_runs(&days);
        assert_eq!(runs.len(), 3);
        assert_eq!((runs[0].first, runs[0].last), (Weekday::Tue, Weekday::Thu));
        assert_eq!(runs[0].intervals.len(), 2);
        assert_eq!((runs[1].first, runs[1].last), (Weekday::Fri, Weekday::Fri));
        assert_eq!((runs[2].first, runs[2].last), (Weekday::Sat, Weekday::Sat));
        // Mondays and Wednesdays alike, Tuesday closed: two runs, not one.
        let days = week("Mo,We 09:00-12:00", day(2026, 11, 23)).expect("parse");
        assert_eq!(day_runs(&days).len(), 2);
    }
}
