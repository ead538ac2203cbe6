//! Workshops: a trainer's session on one day, with one practice account per participant and a
//! sandbox (practice pages, a practice referencing form and a practice mailbox) that nothing
//! outside the workshop reads.
//!
//! This module holds the rules: what a valid workshop is, when its day ends (its practice
//! accounts stop working then), how practice accounts are named and their passwords made.

use crate::entry::{end_of_paris_day, parse_date};
use crate::validation::Invalid;
use chrono::{NaiveDate, NaiveDateTime};
use rand::Rng;

pub use crate::ids::{PracticeMailId, PracticePageId, PracticeSubmissionId, WorkshopId};

/// Longest title of a workshop, in characters.
pub const TITLE_MAX_CHARS: usize = 120;
/// Most participants of one workshop: a room of computers, not a conference.
pub const MAX_PARTICIPANTS: i32 = 30;
/// How far ahead a workshop may be prepared, in days.
pub const MAX_DAYS_AHEAD: u64 = 366;
/// Most starting pages a workshop may take (the material folder holds a handful).
pub const MAX_MATERIAL: usize = 50;

/// A workshop as the trainer typed it, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct WorkshopDraft {
    pub title: String,
    /// `YYYY-MM-DD` (the date input's format) or `DD/MM/YYYY`.
    pub day: String,
    pub participants: String,
    /// The starting pages chosen (file names of the material folder), in the day's order.
    pub material: Vec<String>,
}

/// A workshop that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidWorkshop {
    pub title: String,
    pub day: NaiveDate,
    pub participants: i32,
    /// Chosen starting pages, each once, in the order of the folder's list.
    pub material: Vec<String>,
}

impl WorkshopDraft {
    /// Checks the draft on `today` (Paris) against the material that exists (`available`, file
    /// names). Every problem is reported at once, with codes the web layer words.
    pub fn validate(&self, today: NaiveDate, available: &[&str]) -> Result<ValidWorkshop, Invalid> {
        let mut invalid = Invalid::default();
        let title = crate::entry::clean(&self.title);
        if title.is_empty() {
            invalid.add("title", "workshop_title_required");
        } else if title.chars().count() > TITLE_MAX_CHARS {
            invalid.add("title", "workshop_title_too_long");
        }
        let day = match self.day.trim() {
            "" => {
                invalid.add("day", "workshop_day_required");
                None
            }
            typed => match parse_date(typed) {
                None => {
                    invalid.add("day", "workshop_day_invalid");
                    None
                }
                Some(d) if d < today => {
                    invalid.add("day", "workshop_day_past");
                    None
                }
                Some(d) if today.checked_add_days(chrono::Days::new(MAX_DAYS_AHEAD)) < Some(d) => {
                    invalid.add("day", "workshop_day_too_far");
                    None
                }
                Some(d) => Some(d),
            },
        };
        let participants = match self.participants.trim() {
            "" => {
                invalid.add("participants", "workshop_participants_required");
                None
            }
            typed => match typed.parse::<i64>() {
                Ok(n) if (1..=i64::from(MAX_PARTICIPANTS)).contains(&n) => i32::try_from(n).ok(),
                Ok(_) => {
                    invalid.add("participants", "workshop_participants_range");
                    None
                }
                Err(_) => {
                    invalid.add("participants", "workshop_participants_invalid");
                    None
                }
            },
        };
        let chosen: Vec<&str> = self.material.iter().map(|m| m.trim()).collect();
        if chosen.len() > MAX_MATERIAL || chosen.iter().any(|m| !available.contains(m)) {
            invalid.add("material", "workshop_material_unknown");
        }
        let material: Vec<String> = available
            .iter()
            .filter(|a| chosen.contains(a))
            .map(|a| (*a).to_owned())
            .collect();
        match (day, participants) {
            (Some(day), Some(participants)) if invalid.is_empty() => Ok(ValidWorkshop {
                title,
                day,
                participants,
                material,
            }),
            _ => Err(invalid),
        }
    }
}

/// When a workshop of `day` is over, in UTC: the end of that day in Paris (summer and winter
/// time alike). Its practice accounts stop working then.
pub fn end_of_day(day: NaiveDate) -> NaiveDateTime {
    end_of_paris_day(day)
}

/// Whether a workshop ending at `ends_at` is over at `now`.
pub fn is_over(ends_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    ends_at <= now
}

/// The identifier of seat `seat` of workshop `workshop`, typed at login: `atelier12-3`.
/// Lowercase ASCII and no `@`, so it can never be anyone's e-mail address.
pub fn trainee_login(workshop: WorkshopId, seat: i32) -> String {
    format!("atelier{}-{}", workshop.0, seat)
}

/// Short words without accents, capitals or letters that look alike on a phone keyboard, for
/// practice passwords: read aloud and typed by beginners.
const WORDS: &[&str] = &[
    "velo", "pomme", "livre", "table", "jardin", "soleil", "nuage", "carte", "lampe", "route",
    "arbre", "bateau", "chemin", "fleur", "gateau", "herbe", "lune", "maison", "montagne",
    "orange", "panier", "piano", "poire", "prune", "radis", "riviere", "sable", "salade", "tomate",
    "train", "tulipe", "violon", "balcon", "bougie", "cerise", "citron", "fraise", "girafe",
    "hibou", "lapin", "melon", "mouton", "olive", "papier", "plage", "renard", "sapin", "tortue",
];

/// A practice password easy to type on a phone: two short words and two digits,
/// `velo-pomme-42` (at least 13 characters, above the site's minimum). It guards an account
/// that lives one day and reaches only a sandbox, and is printed on a card.
pub fn practice_password(rng: &mut impl Rng) -> String {
    let first = rng.random_range(0..WORDS.len());
    // Another word than the first: `velo-velo` reads like a typing mistake.
    let second = (first + rng.random_range(1..WORDS.len())) % WORDS.len();
    let number: u8 = rng.random_range(10..100);
    format!("{}-{}-{number}", WORDS[first], WORDS[second])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn draft(title: &str, day: &str, participants: &str) -> WorkshopDraft {
        WorkshopDraft {
            title: title.into(),
            day: day.into(),
            participants: participants.into(),
            material: Vec::new(),
        }
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 1);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn a_good_draft_passes_with_its_material_in_the_folder_order() {
        let mut d = draft("  Atelier   e-mail ", "2026-12-03", " 8 ");
        d.material = vec!["b.md".into(), "a.md".into()];
        let valid = d
            .validate(today(), &["a.md", "b.md", "c.md"])
            .expect("valid");
        assert_eq!(valid.title, "Atelier e-mail");
        assert_eq!(valid.day, day(2026, 12, 3));
        assert_eq!(valid.participants, 8);
        assert_eq!(valid.material, vec!["a.md", "b.md"]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let invalid = draft("", "", "")
            .validate(today(), &[])
            .expect_err("invalid");
        assert_eq!(
            invalid.on("title").map(|e| e.code),
            Some("workshop_title_required")
        );
        assert_eq!(
            invalid.on("day").map(|e| e.code),
            Some("workshop_day_required")
        );
        assert_eq!(
            invalid.on("participants").map(|e| e.code),
            Some("workshop_participants_required")
        );
    }

    #[test]
    fn dates_must_lie_between_today_and_a_year_ahead() {
        let code = |d: &str| {
            draft("A", d, "3")
                .validate(today(), &[])
                .err()
                .and_then(|i| i.on("day").map(|e| e.code))
        };
        assert_eq!(code("2026-12-01"), None, "today is fine");
        assert_eq!(code("01/12/2027"), None, "a year ahead is fine");
        assert_eq!(code("2026-11-30"), Some("workshop_day_past"));
        assert_eq!(code("2028-01-01"), Some("workshop_day_too_far"));
        assert_eq!(code("9999-12-31"), Some("workshop_day_invalid"));
        assert_eq!(code("-262144-01-01"), Some("workshop_day_invalid"));
        assert_eq!(code("2026-02-30"), Some("workshop_day_invalid"));
        assert_eq!(code("demain"), Some("workshop_day_invalid"));
    }

    #[test]
    fn participants_are_a_number_from_one_to_thirty() {
        let code = |n: &str| {
            draft("A", "2026-12-02", n)
                .validate(today(), &[])
                .err()
                .and_then(|i| i.on("participants").map(|e| e.code))
        };
        assert_eq!(code("1"), None);
        assert_eq!(code("30"), None);
        assert_eq!(code("0"), Some("workshop_participants_range"));
        assert_eq!(code("31"), Some("workshop_participants_range"));
        assert_eq!(code("-5"), Some("workshop_participants_range"));
        assert_eq!(
            code("99999999999999999999999"),
            Some("workshop_participants_invalid")
        );
        assert_eq!(code("huit"), Some("workshop_participants_invalid"));
        assert_eq!(code("8.5"), Some("workshop_participants_invalid"));
    }

    #[test]
    fn overlong_titles_and_unknown_material_are_refused() {
        let long = "é".repeat(TITLE_MAX_CHARS + 1);
        let invalid = draft(&long, "2026-12-02", "2")
            .validate(today(), &[])
            .expect_err("invalid");
        assert_eq!(
            invalid.on("title").map(|e| e.code),
            Some("workshop_title_too_long")
        );
        let mut d = draft("A", "2026-12-02", "2");
        d.material = vec!["../../etc/passwd".into()];
        let invalid = d.validate(today(), &["a.md"]).expect_err("invalid");
        assert_eq!(
            invalid.on("material").map(|e| e.code),
            Some("workshop_material_unknown")
        );
    }

    #[test]
    fn the_day_ends_at_midnight_in_paris_summer_and_winter() {
        let at = |d: NaiveDate, h: u32| d.and_hms_opt(h, 0, 0).expect("time");
        // Winter: UTC+1.
        assert_eq!(end_of_day(day(2026, 12, 3)), at(day(2026, 12, 3), 23));
        // Summer: UTC+2.
        assert_eq!(end_of_day(day(2026, 7, 14)), at(day(2026, 7, 14), 22));
        // The day clocks go forward (29 March 2026) and back (25 October 2026).
        assert_eq!(end_of_day(day(2026, 3, 29)), at(day(2026, 3, 29), 22));
        assert_eq!(end_of_day(day(2026, 10, 25)), at(day(2026, 10, 25), 23));
        let end = end_of_day(day(2026, 12, 3));
        assert!(!is_over(end, end - chrono::Duration::seconds(1)));
        assert!(is_over(end, end));
    }

    #[test]
    fn trainee_logins_are_lowercase_ascii_without_at_sign() {
        let login = trainee_login(WorkshopId(12), 3);
        assert_eq!(login, "atelier12-3");
        assert!(!login.contains('@'));
    }

    #[test]
    fn practice_passwords_are_two_words_and_two_digits_long_enough_to_hash() {
        let mut rng = rand::rng();
        for _ in 0..500 {
            let p = practice_password(&mut rng);
            let parts: Vec<&str> = p.split('-').collect();
            assert_eq!(parts.len(), 3, "{p}");
            assert_ne!(parts[0], parts[1], "{p}");
            assert!(parts[2].len() == 2 && parts[2].chars().all(|c| c.is_ascii_digit()));
            assert!(p.chars().count() >= crate::auth::PASSWORD_MIN_CHARS, "{p}");
            assert!(
                p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
        }
        assert!(WORDS.iter().all(|w| w.len() >= 4));
    }
}
