//! `lieu generate --entries N`: fills a database with N directory entries, to measure lists,
//! the agenda and search at the size of a département. Entries go through the same
//! validation as the agents' forms (`EntryForm::validate`), then are written in batches of a
//! few thousand per transaction (`directory::create_entries_batch`).
//!
//! The corpus reads like a real directory (see `corpus`): the five kinds in equal shares,
//! spread over the territory's communes, themes and categories; offers created over the last
//! months, so that some have expired; events from two months ago to six months ahead, some
//! weekly, so that some are past. The same seed gives the same entries (dates are relative to
//! the day of the run).

mod corpus;
pub mod exchange;
mod exchange_corpus;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use indicatif::{ProgressBar, ProgressStyle};
use lieu_core::content::history_text::ENTRY_CREATED;
use lieu_core::entry::{EntryForm, Kind, Rules, utc_to_paris};
use lieu_store::Store;
use lieu_store::directory::{self, BatchEntry};
use lieu_store::models::communes::{self, Commune};
use lieu_store::wiki::Author;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// Entries per transaction: large enough that a commit costs little per entry, small enough
/// that the progress bar moves and a server beside the generator is not kept waiting long.
const BATCH: usize = 2_000;

/// What validation is checked against, read once: the communes, and each kind's categories.
struct Territory {
    communes: Vec<Commune>,
    insee: Vec<String>,
    categories: Vec<(Kind, Vec<String>)>,
}

impl Territory {
    fn categories(&self, kind: Kind) -> &[String] {
        self.categories
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, c)| c.as_slice())
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// One of `list`, which the corpus and the territory check never leave empty.
fn pick<'a, T>(rng: &mut impl Rng, list: &'a [T]) -> &'a T {
    list.choose(rng).expect("a non-empty list")
}

/// A moment within the `days` days before `now`.
fn before(rng: &mut impl Rng, now: NaiveDateTime, days: i64) -> NaiveDateTime {
    now - Duration::days(rng.random_range(0..days)) - Duration::minutes(rng.random_range(0..600))
}

/// The form of one generated entry of `kind`, and the moment it was created.
fn form(
    rng: &mut impl Rng,
    kind: Kind,
    territory: &Territory,
    now: NaiveDateTime,
    today: NaiveDate,
) -> (EntryForm, NaiveDateTime) {
    let commune = pick(rng, &territory.communes);
    let c = commune.name.as_str();
    let fill = |s: &str| corpus::fill(s, c);
    let categories = territory.categories(kind);
    let category = |wanted: &str| -> Vec<String> {
        categories
            .iter()
            .filter(|known| *known == wanted)
            .cloned()
            .collect()
    };
    let mut f = EntryForm {
        commune: commune.insee.clone(),
        address: format!("{} {}", rng.random_range(1..60), pick(rng, corpus::STREETS)),
        phone: format!(
            "01 99 00 {:02} {:02}",
            rng.random_range(0..100),
            rng.random_range(0..100)
        ),
        ..EntryForm::default()
    };
    let extra = pick(rng, corpus::EXTRA_SENTENCES);
    let created;
    match kind {
        Kind::Service => {
            let s = pick(rng, corpus::SERVICES);
            f.title = fill(s.title);
            f.summary = s.summary.into();
            f.description = format!("{}\n\n{extra}", s.description);
            f.organisation = s.organisation.into();
            f.categories = category(s.category);
            f.themes = s.themes.iter().map(|t| (*t).to_owned()).collect();
            f.publics = s.publics.iter().map(|p| (*p).to_owned()).collect();
            f.fees = s.fees.into();
            f.reception = vec!["en-presentiel".into()];
            f.help_modes = vec![(*pick(rng, corpus::HELP_MODES)).to_owned()];
            f.opening_hours = (*pick(rng, corpus::OPENING_HOURS)).to_owned();
            f.email = "accueil@services.example".into();
            created = before(rng, now, 730);
        }
        Kind::Association => {
            let a = pick(rng, corpus::ASSOCIATIONS);
            f.title = fill(a.title);
            f.summary = a.summary.into();
            f.description = format!("{} {extra}", a.summary);
            f.activities = a.activities.into();
            f.categories = category(a.category);
            f.publics = a.publics.iter().map(|p| (*p).to_owned()).collect();
            f.membership_fee = format!("{} € par an", rng.random_range(5..60));
            f.meeting_times = "Voir les activités".into();
            created = before(rng, now, 730);
        }
        Kind::Job => {
            let j = pick(rng, corpus::JOBS);
            let employer = pick(rng, j.employers);
            f.title = format!("{} (H/F) — {c}", j.title);
            f.summary = j.summary.into();
            f.description = format!("{}\n\n{extra}", j.summary);
            f.employer = if *employer == "Mairie" {
                fill("Mairie de {c}")
            } else {
                (*employer).to_owned()
            };
            f.contract = (*pick(rng, j.contracts)).to_owned();
            f.categories = category(j.category);
            f.working_hours = j.hours.into();
            f.salary = j.salary.into();
            f.how_to_apply = "Envoyez CV et lettre de motivation par courriel, ou déposez-les à l’accueil France Services.".into();
            f.email = "recrutement@emploi.example".into();
            // Published over the last three months, for two weeks to four months: about a
            // quarter have expired by today.
            created = before(rng, now, 90);
            let published = utc_to_paris(created).date();
            f.expires_on = day(published + Duration::days(rng.random_range(20..120)));
        }
        Kind::Housing => {
            let h = pick(rng, corpus::HOUSING);
            f.title = fill(h.title);
            f.summary = h.summary.into();
            f.description = format!("{}\n\n{extra}", h.summary);
            f.housing_type = h.housing_type.into();
            f.rent = rng.random_range(h.rent.0..=h.rent.1).to_string();
            f.charges = rng.random_range(0..60).to_string();
            f.surface = rng.random_range(h.surface.0..=h.surface.1).to_string();
            f.rooms = h.rooms.to_string();
            f.furnished = if h.housing_type == "chambre" || rng.random_bool(0.2) {
                "oui".into()
            } else {
                String::new()
            };
            created = before(rng, now, 90);
            let published = utc_to_paris(created).date();
            f.expires_on = day(published + Duration::days(rng.random_range(20..120)));
        }
        Kind::Event => {
            let e = pick(rng, corpus::EVENTS);
            f.title = fill(e.title);
            f.summary = e.summary.into();
            f.description = format!("{}\n\n{extra}", e.summary);
            f.categories = category(e.category);
            f.price = e.price.into();
            f.organiser = fill("Mairie de {c}");
            // From two months ago to six months ahead, on a day of the week the event falls on;
            // announced one to eight weeks before.
            let mut date = today + Duration::days(rng.random_range(-60..180));
            if !e.days.is_empty() {
                let day = *pick(rng, e.days);
                while date.weekday() != day {
                    date = date.succ_opt().unwrap_or(date);
                }
            }
            let hour = *pick(rng, e.hours);
            let start = date.and_hms_opt(hour, 0, 0).unwrap_or_default();
            f.starts_at = start.format("%Y-%m-%dT%H:%M").to_string();
            f.ends_at = (start + Duration::hours(e.length_hours))
                .format("%Y-%m-%dT%H:%M")
                .to_string();
            if e.weekly && rng.random_bool(0.5) {
                f.weekly_until = day(date + Duration::weeks(rng.random_range(3..20)));
            }
            let announced = date - Duration::days(rng.random_range(7..56));
            let announced = announced.and_hms_opt(9, 0, 0).unwrap_or_default();
            created = announced.min(now);
        }
    }
    (f, created)
}

pub fn run(store: &Store, count: usize, seed: u64) -> Result<()> {
    let territory = store.read(|c| {
        let communes = communes::all(c)?;
        let insee = communes.iter().map(|c| c.insee.clone()).collect();
        let categories = Kind::ALL
            .into_iter()
            .map(|kind| Ok((kind, directory::rules_data(c, kind)?.1)))
            .collect::<Result<Vec<_>, lieu_store::StoreError>>()?;
        Ok(Territory {
            communes,
            insee,
            categories,
        })
    })?;
    if territory.communes.is_empty() {
        bail!("the database has no commune: import the content first (lieu import wiki-content)");
    }
    let now = lieu_store::now();
    let today = utc_to_paris(now).date();
    let author = Author::system("Générateur");
    let bar = ProgressBar::new(count as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} fiches ({per_sec}, reste {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let started = std::time::Instant::now();
    let mut done = 0;
    while done < count {
        let size = BATCH.min(count - done);
        let mut batch = Vec::with_capacity(size);
        for n in done..done + size {
            let kind = Kind::ALL[n % Kind::ALL.len()];
            let (f, created_at) = form(&mut rng, kind, &territory, now, today);
            // Validated as of the day it was created, as an agent's form was that day.
            let rules = Rules {
                communes: &territory.insee,
                categories: territory.categories(kind),
                today: utc_to_paris(created_at).date(),
            };
            let valid = f
                .validate(kind, &rules)
                .map_err(|e| anyhow::anyhow!("generated entry {:?} is invalid: {e}", f.title))?;
            batch.push(BatchEntry { valid, created_at });
        }
        store
            .write(|c| directory::create_entries_batch(c, &batch, &author, ENTRY_CREATED))
            .context("generating entries")?;
        done += size;
        bar.inc(size as u64);
    }
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{count} fiches générées en {seconds:.1} s ({:.0} fiches/s).",
        count as f64 / seconds.max(0.001)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commune_names_are_contracted_the_french_way() {
        let fill = corpus::fill;
        assert_eq!(
            fill("Vide-greniers de {c}", "Les Granges-Neuves"),
            "Vide-greniers des Granges-Neuves"
        );
        assert_eq!(
            fill("Marché du samedi à {c}", "Le Breuil-Sauvage"),
            "Marché du samedi au Breuil-Sauvage"
        );
        assert_eq!(
            fill("Fête du village — {c}", "Le Breuil-Sauvage"),
            "Fête du village — Le Breuil-Sauvage"
        );
        assert_eq!(
            fill("Loto de l’école de {c}", "La Chapelle-aux-Prés"),
            "Loto de l’école de La Chapelle-aux-Prés"
        );
    }

    /// Every template, on every kind, makes an entry the agents' validation accepts, as of the
    /// day it was created; the same seed makes the same entries.
    #[test]
    fn generated_forms_pass_the_agents_validation_and_repeat_with_the_seed() {
        let communes: Vec<Commune> = [
            ("79901", "Saint-Aubin-sur-Sorbière"),
            ("79908", "Les Granges-Neuves"),
            ("79910", "Le Breuil-Sauvage"),
        ]
        .into_iter()
        .map(|(insee, name)| Commune {
            insee: insee.into(),
            name: name.into(),
            postcode: "79991".into(),
        })
        .collect();
        let territory = Territory {
            insee: communes.iter().map(|c| c.insee.clone()).collect(),
            communes,
            categories: vec![
                (Kind::Service, vec!["sante".into(), "numerique".into()]),
                (Kind::Event, vec!["marche".into()]),
            ],
        };
        let now = NaiveDate::from_ymd_opt(2026, 11, 25)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("date");
        let today = now.date();
        let titles = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            (0..2_000)
                .map(|n| {
                    let kind = Kind::ALL[n % Kind::ALL.len()];
                    let (f, created) = form(&mut rng, kind, &territory, now, today);
                    assert!(created <= now, "{}", f.title);
                    let rules = Rules {
                        communes: &territory.insee,
                        categories: territory.categories(kind),
                        today: utc_to_paris(created).date(),
                    };
                    if let Err(e) = f.validate(kind, &rules) {
                        panic!("{kind} {:?}: {e}", f.title);
                    }
                    f.title
                })
                .collect::<Vec<_>>()
        };
        let first = titles(7);
        assert_eq!(first, titles(7));
        assert_ne!(first, titles(8));
    }
}
