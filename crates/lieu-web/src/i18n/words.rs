//! Dates, times and vocabulary as the interface's language writes them. French forms come from
//! `lieu-core` (`french`, `hours`, `vocab`, the roles' and reasons' labels), which rules and
//! mail share; the English forms live here, beside the English catalog, as a UK public
//! service writes them: "Saturday 5 December 2026", "9am to 12:30pm".

use super::{Lang, current};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use lieu_core::hours::{self, Day};
use lieu_core::submission::RejectReason;
use lieu_core::{Role, french, vocab};

const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday_en(day: Weekday) -> &'static str {
    DAYS_EN[day.num_days_from_monday() as usize]
}

fn month_en(month: u32) -> &'static str {
    MONTHS_EN[(month.clamp(1, 12) - 1) as usize]
}

/// "Lundi", "Monday": a day's name at the start of a line.
pub fn weekday_name(day: Weekday) -> String {
    match current() {
        Lang::Fr => french::capitalized(french::weekday(day)),
        Lang::En => weekday_en(day).to_owned(),
    }
}

/// "samedi 5 décembre 2026", "Saturday 5 December 2026".
pub fn date_long(d: NaiveDate) -> String {
    match current() {
        Lang::Fr => french::date_long(d),
        Lang::En => format!(
            "{} {} {} {}",
            weekday_en(d.weekday()),
            d.day(),
            month_en(d.month()),
            d.year()
        ),
    }
}

/// "Décembre 2026", "December 2026", as a heading.
pub fn month_year(year: i32, month: u32) -> String {
    match current() {
        Lang::Fr => french::month_year(year, month),
        Lang::En => format!("{} {year}", month_en(month)),
    }
}

/// A time of day: "9 h", "12 h 30", "minuit"; "9am", "12:30pm", "midday", "midnight".
pub fn time(t: NaiveTime) -> String {
    match current() {
        Lang::Fr => hours::time_fr(t),
        Lang::En => match (t.hour(), t.minute()) {
            (0, 0) => "midnight".to_owned(),
            (12, 0) => "midday".to_owned(),
            (h, m) => {
                let suffix = if h < 12 { "am" } else { "pm" };
                let h12 = match h % 12 {
                    0 => 12,
                    h => h,
                };
                if m == 0 {
                    format!("{h12}{suffix}")
                } else {
                    format!("{h12}:{m:02}{suffix}")
                }
            }
        },
    }
}

/// "samedi 5 décembre 2026 à 14 h", "Saturday 5 December 2026 at 2pm" (a Paris local time).
pub fn local_moment(local: NaiveDateTime) -> String {
    format!(
        "{} {} {}",
        date_long(local.date()),
        at_word(),
        time(local.time())
    )
}

fn at_word() -> &'static str {
    match current() {
        Lang::Fr => "à",
        Lang::En => "at",
    }
}

/// A moment of the coming week: "mardi à 9 h", "Tuesday at 9am", "tomorrow at 9am".
pub fn moment(at: NaiveDateTime, now: NaiveDateTime) -> String {
    match current() {
        Lang::Fr => hours::moment_fr(at, now),
        Lang::En => {
            let day = if at.date() == now.date() {
                "today"
            } else if now.date().succ_opt() == Some(at.date()) {
                "tomorrow"
            } else {
                weekday_en(at.weekday())
            };
            format!("{day} at {}", time(at.time()))
        }
    }
}

/// A day's opening hours: "9 h – 12 h 30, 13 h 30 – 17 h" or "Fermé"; "9am to 12:30pm,
/// 1:30pm to 5pm" or "Closed".
pub fn opening(day: &Day) -> String {
    match current() {
        Lang::Fr => day.describe(),
        Lang::En if day.intervals.is_empty() => "Closed".to_owned(),
        Lang::En => day
            .intervals
            .iter()
            .map(|(a, b)| format!("{} to {}", time(*a), time(*b)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Opening times: "9 h – 12 h 30, 13 h 30 – 17 h"; "9am to 12:30pm, 1:30pm to 5pm".
pub fn intervals(intervals: &[(NaiveTime, NaiveTime)]) -> String {
    let joiner = match current() {
        Lang::Fr => " – ",
        Lang::En => " to ",
    };
    intervals
        .iter()
        .map(|(a, b)| format!("{}{joiner}{}", time(*a), time(*b)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The days of a run of opening hours: "Lundi", "Du mardi au jeudi"; "Monday", "Tuesday to
/// Thursday".
pub fn day_run(run: &hours::DayRun) -> String {
    if run.first == run.last {
        return weekday_name(run.first);
    }
    match current() {
        Lang::Fr => format!(
            "Du {} au {}",
            french::weekday(run.first),
            french::weekday(run.last)
        ),
        Lang::En => format!("{} to {}", weekday_en(run.first), weekday_en(run.last)),
    }
}

/// "22/11/2026 à 14:05", "22/11/2026 at 14:05" (already in Paris time).
pub fn numeric_moment(local: NaiveDateTime) -> String {
    let mut out = String::with_capacity(24);
    push_numeric_moment(&mut out, local);
    out
}

/// Appends [`numeric_moment`] to `out`. Digits are written by hand: `format!` with `{:02}`
/// was half of the cost of the 30 dates of a page of the exchange space. What it writes is
/// digits, `/`, `:`, spaces and "à" or "at": text that needs no HTML escaping.
pub fn push_numeric_moment(out: &mut String, local: NaiveDateTime) {
    push_digits(out, local.day(), 2);
    out.push('/');
    push_digits(out, local.month(), 2);
    out.push('/');
    push_year(out, local.year());
    out.push(' ');
    out.push_str(at_word());
    out.push(' ');
    push_digits(out, local.hour(), 2);
    out.push(':');
    push_digits(out, local.minute(), 2);
}

/// Appends `n` in decimal, with zeros before it up to `width` digits (as `{:0width$}`).
pub fn push_digits(out: &mut String, n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut first = digits.len();
    let mut rest = n;
    loop {
        first -= 1;
        // `rest % 10` is below 10: the cast keeps it.
        digits[first] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let first = first.min(digits.len().saturating_sub(width));
    out.extend(digits[first..].iter().map(|&d| char::from(d)));
}

/// Appends a year as `{:04}` writes it (a sign before years outside 0 to 9999).
pub fn push_year(out: &mut String, year: i32) {
    match u32::try_from(year) {
        Ok(year) if year <= 9999 => push_digits(out, year, 4),
        _ => out.push_str(&format!("{year:04}")),
    }
}

/// An amount in euros: "450 €" in French, "€450" in English.
pub fn euros(amount: impl std::fmt::Display) -> String {
    match current() {
        Lang::Fr => format!("{amount} €"),
        Lang::En => format!("€{amount}"),
    }
}

/// The name of a role, as the accounts pages show it.
pub fn role(role: Role) -> &'static str {
    match current() {
        Lang::Fr => role.label_fr(),
        Lang::En => match role {
            Role::Member => "Member",
            Role::Trainee => "Workshop participant",
            Role::Editor => "Editor",
            Role::Trainer => "Trainer",
            Role::Agent => "France Services adviser",
            Role::Admin => "Administrator",
        },
    }
}

/// Why a submission was refused, as its sender and the agents read it.
pub fn reject_reason(reason: RejectReason) -> &'static str {
    match current() {
        Lang::Fr => reason.label_fr(),
        Lang::En => match reason {
            RejectReason::Duplicate => "This organisation or offer is already in the directory.",
            RejectReason::OutsideTerritory => "It does not concern our area.",
            RejectReason::Commercial => "The directory does not list commercial businesses.",
            RejectReason::Incomplete => "The information we received is not enough to publish it.",
            RejectReason::AgainstRules => "It does not follow the site’s publishing rules.",
            RejectReason::Other => "For another reason, given below.",
        },
    }
}

/// The label of a data·inclusion value (a thématique, a public...) in the interface's language:
/// the standard's French label, or its English translation.
pub fn term<'a>(list: &'a [vocab::Term], value: &'a str) -> &'a str {
    match current() {
        Lang::Fr => vocab::label(list, value).unwrap_or(value),
        Lang::En => super::en::term(value)
            .or_else(|| vocab::label(list, value))
            .unwrap_or(value),
    }
}

/// The label of `value` in one of lieu's own lists of values (`lieu_core::entry::CONTRACTS`,
/// `HOUSING_TYPES`, `HELP_MODES`).
pub fn label(list: &'static [(&'static str, &'static str)], value: &str) -> Option<&'static str> {
    let french = lieu_core::entry::label_of(list, value)?;
    Some(match current() {
        Lang::Fr => french,
        Lang::En => super::en::term(value).unwrap_or(french),
    })
}

/// The values of one of lieu's own lists with their labels, for a form's choices.
pub fn choices(list: &'static [(&'static str, &'static str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, _)| ((*v).to_owned(), label(list, v).unwrap_or(v).to_owned()))
        .collect()
}

/// The label of a group of thématiques (`sante` → "Santé", "Health").
pub fn theme_group(group: &str) -> &str {
    match current() {
        Lang::Fr => vocab::THEME_GROUPS
            .iter()
            .find(|(v, _)| *v == group)
            .map_or(group, |(_, l)| l),
        Lang::En => super::en::term(group).unwrap_or(group),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::with_lang;

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("time")
    }

    #[test]
    fn dates_and_times_are_written_as_each_language_does() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        let moment = d.and_time(at(14, 0));
        assert_eq!(date_long(d), "samedi 5 décembre 2026");
        assert_eq!(local_moment(moment), "samedi 5 décembre 2026 à 14 h");
        with_lang(Lang::En, || {
            assert_eq!(date_long(d), "Saturday 5 December 2026");
            assert_eq!(month_year(2026, 8), "August 2026");
            assert_eq!(local_moment(moment), "Saturday 5 December 2026 at 2pm");
            assert_eq!(time(at(0, 0)), "midnight");
            assert_eq!(time(at(12, 0)), "midday");
            assert_eq!(time(at(12, 30)), "12:30pm");
            assert_eq!(time(at(9, 5)), "9:05am");
            assert_eq!(numeric_moment(moment), "05/12/2026 at 14:00");
            assert_eq!(euros(450), "€450");
            let tomorrow = d.succ_opt().expect("day").and_time(at(9, 0));
            assert_eq!(super::moment(tomorrow, moment), "tomorrow at 9am");
        });
    }

    #[test]
    fn digits_are_written_as_format_writes_them() {
        for n in [0, 7, 10, 59, 123, 2026, 99_999, u32::MAX] {
            for width in [1, 2, 4] {
                let mut out = String::new();
                push_digits(&mut out, n, width);
                assert_eq!(out, format!("{n:0width$}"));
            }
        }
        for year in [-5, 0, 999, 2026, 9999, 10_000] {
            let mut out = String::new();
            push_year(&mut out, year);
            assert_eq!(out, format!("{year:04}"));
        }
    }

    #[test]
    fn every_vocabulary_value_has_an_english_label() {
        let lists = [
            vocab::thematiques(),
            vocab::publics(),
            vocab::frais(),
            vocab::modes_accueil(),
        ];
        let mut missing: Vec<&str> = lists
            .iter()
            .flat_map(|list| list.iter())
            .map(|term| term.value.as_str())
            .filter(|value| super::super::en::term(value).is_none())
            .collect();
        for list in [
            lieu_core::entry::CONTRACTS,
            lieu_core::entry::HOUSING_TYPES,
            lieu_core::entry::HELP_MODES,
        ] {
            missing.extend(
                list.iter()
                    .map(|(v, _)| *v)
                    .filter(|v| super::super::en::term(v).is_none()),
            );
        }
        missing.extend(
            vocab::THEME_GROUPS
                .iter()
                .map(|(v, _)| *v)
                .filter(|v| super::super::en::term(v).is_none()),
        );
        assert!(missing.is_empty(), "no English label: {missing:?}");
    }
}
