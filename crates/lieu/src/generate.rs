//! `lieu generate --entries N`: fills a database with N varied directory entries, to measure
//! lists and search at the size of a département. Entries go through the same validation and
//! store functions as the agents' forms.

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use lieu_core::content::history_text::ENTRY_CREATED;
use lieu_core::entry::{EntryForm, Kind, utc_to_paris, vocab_sample};
use lieu_store::Store;
use lieu_store::directory;
use lieu_store::models::communes;
use lieu_store::wiki::Author;
use rand::Rng;
use rand::seq::IndexedRandom;

const BATCH: usize = 250;

const WORDS: &[&str] = &[
    "Permanence",
    "Atelier",
    "Accueil",
    "Point",
    "Maison",
    "Club",
    "Relais",
    "Espace",
    "Café",
    "Aide",
    "Service",
    "Centre",
    "Marché",
    "Fête",
    "Rencontre",
    "Collectif",
];
const TOPICS: &[&str] = &[
    "numérique",
    "emploi",
    "santé",
    "familles",
    "jeunes",
    "aînés",
    "logement",
    "mobilité",
    "jardin",
    "lecture",
    "musique",
    "sport",
    "solidarité",
    "budget",
    "droit",
    "couture",
];

fn form(
    rng: &mut impl Rng,
    kind: Kind,
    commune: &str,
    n: usize,
    today: chrono::NaiveDate,
) -> EntryForm {
    let word = WORDS.choose(rng).copied().unwrap_or("Atelier");
    let topic = TOPICS.choose(rng).copied().unwrap_or("numérique");
    let day = |d: i64| {
        (today + chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    let mut f = EntryForm {
        title: format!("{word} {topic} {n}"),
        commune: commune.to_owned(),
        summary: format!("{word} consacré à {topic}, ouvert aux habitants du territoire."),
        description: format!("Fiche générée pour les mesures de performance ({topic})."),
        address: format!("{} rue de la République", rng.random_range(1..80)),
        phone: format!(
            "01 99 00 {:02} {:02}",
            rng.random_range(0..100),
            rng.random_range(0..100)
        ),
        publics: vec![vocab_sample::public(rng.random_range(0..14)).to_owned()],
        ..EntryForm::default()
    };
    match kind {
        Kind::Service => {
            f.themes = vec![vocab_sample::theme(rng.random_range(0..69)).to_owned()];
            f.opening_hours = "Mo-Fr 09:00-12:00,14:00-17:00".into();
            f.fees = "gratuit".into();
        }
        Kind::Association => f.activities = format!("Activités autour de {topic}."),
        Kind::Job => {
            f.employer = format!("Employeur {n}");
            f.contract = [
                "cdi",
                "cdd",
                "interim",
                "apprentissage",
                "saisonnier",
                "benevolat",
            ]
            .choose(rng)
            .copied()
            .unwrap_or("cdd")
            .into();
            f.how_to_apply = "CV par courriel.".into();
            f.expires_on = day(rng.random_range(1..120));
        }
        Kind::Housing => {
            f.housing_type = ["appartement", "maison", "chambre", "colocation"]
                .choose(rng)
                .copied()
                .unwrap_or("appartement")
                .into();
            f.rent = rng.random_range(200..900).to_string();
            f.charges = rng.random_range(0..80).to_string();
            f.expires_on = day(rng.random_range(1..120));
        }
        Kind::Event => {
            f.starts_at = format!(
                "{}T{:02}:00",
                day(rng.random_range(0..180)),
                rng.random_range(8..21)
            );
        }
    }
    f
}

pub fn run(store: &Store, count: usize) -> Result<()> {
    let communes = store.read(|c| Ok(communes::all(c)?))?;
    if communes.is_empty() {
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
    let mut rng = rand::rng();
    let mut done = 0;
    while done < count {
        let batch: Vec<(Kind, EntryForm)> = (done..(done + BATCH).min(count))
            .map(|n| {
                let kind = Kind::ALL[n % Kind::ALL.len()];
                let commune = communes
                    .choose(&mut rng)
                    .map(|c| c.insee.clone())
                    .unwrap_or_default();
                (kind, form(&mut rng, kind, &commune, n, today))
            })
            .collect();
        let size = batch.len();
        store
            .write(|c| {
                for (kind, f) in &batch {
                    let valid = directory::validate(c, *kind, f, today)?
                        .map_err(lieu_store::StoreError::Invalid)?;
                    directory::create_entry(c, &valid, &author, ENTRY_CREATED, now)?;
                }
                Ok(())
            })
            .context("generating entries")?;
        done += size;
        bar.inc(size as u64);
    }
    bar.finish_and_clear();
    println!("{count} fiches générées.");
    Ok(())
}
