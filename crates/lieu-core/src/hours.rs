//! Opening hours in OSM syntax, evaluated by the `opening-hours` crate: a week's schedule in
//! French and whether a place is open at a given moment (Paris local time).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use opening_hours::{OpeningHours, RuleKind};

const DAYS_FR: [&str; 7] = [
    "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
];

/// One day of a week's schedule: its French name and its opening intervals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub name: &'static str,
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
    let oh: OpeningHours = hours.parse().ok()?;
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    Some(
        (0..7)
            .map(|i| {
                let date = monday + Duration::days(i);
                let start = date.and_time(NaiveTime::MIN);
                let intervals = oh
                    .iter_range(start, start + Duration::days(1))
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
                Day {
                    name: DAYS_FR[i as usize],
                    date,
                    intervals,
                }
            })
            .collect(),
    )
}

/// Whether the place is open at `now` (Paris local time), and until / from when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenNow {
    Open { until: Option<NaiveDateTime> },
    Closed { opens: Option<NaiveDateTime> },
    Unknown,
}

pub fn open_now(hours: &str, now: NaiveDateTime) -> Option<OpenNow> {
    let oh: OpeningHours = hours.parse().ok()?;
    let next = oh
        .next_change(now)
        .filter(|n| *n < now + Duration::days(14));
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
    } else if at.date() == now.date() + Duration::days(1) {
        "demain".to_owned()
    } else {
        DAYS_FR[at.weekday().num_days_from_monday() as usize].to_lowercase()
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

    #[test]
    fn moments_are_said_plainly() {
        let now = at(2026, 11, 23, 18, 0);
        assert_eq!(moment_fr(at(2026, 11, 24, 9, 0), now), "demain à 9 h");
        assert_eq!(moment_fr(at(2026, 11, 26, 13, 30), now), "jeudi à 13 h 30");
    }
}
