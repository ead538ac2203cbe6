//! French names of days and months: the one table every page and rule uses, and the few
//! ways the site writes a date.

use chrono::{Datelike, NaiveDate, Weekday};

/// Days of the week, Monday first, as written inside a sentence.
const DAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// Months, January first, as written inside a sentence.
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "mardi".
pub fn weekday(day: Weekday) -> &'static str {
    DAYS[day.num_days_from_monday() as usize]
}

/// "décembre" for 12; month numbers outside 1–12 are clamped.
pub fn month(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// The word with its first letter in capitals ("mardi" → "Mardi"), to start a line.
pub fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "samedi 5 décembre 2026".
pub fn date_long(d: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday(d.weekday()),
        d.day(),
        month(d.month()),
        d.year()
    )
}

/// "Décembre 2026", as a heading.
pub fn month_year(year: i32, m: u32) -> String {
    format!("{} {year}", capitalized(month(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_french_way() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        assert_eq!(date_long(d), "samedi 5 décembre 2026");
        assert_eq!(month_year(2026, 8), "Août 2026");
        assert_eq!(month_year(2027, 2), "Février 2027");
        assert_eq!(capitalized(weekday(Weekday::Mon)), "Lundi");
        assert_eq!(capitalized(""), "");
    }
}
