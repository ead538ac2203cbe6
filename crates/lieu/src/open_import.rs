//! `lieu import --format data-inclusion|hsds|csv FILE`: reads the records (streamed), checks
//! each against the territory and the vocabularies, and creates, updates or leaves each entry
//! through the store's functions (revisions, audit, search outbox); prints in French what was
//! (or, with `--dry-run`, would be) created, updated, left unchanged and refused, and why.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use lieu_store::Store;
use lieu_store::opendata_import::{self as oi, Incoming, Outcome, Refusal};
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

/// The formats `lieu import --format` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// data·inclusion v1: a folder with services.json and structures.json, or services.json.
    DataInclusion,
    /// Open Referral HSDS 3: a folder with services.json, organizations.json, locations.json,
    /// schedules.json (as `lieu export --format hsds` writes them).
    Hsds,
    /// One of lieu's tables (either variant).
    Csv,
}

/// Records written in one transaction.
const BATCH: usize = 200;
/// Record identifiers listed per outcome in the report.
const LISTED: usize = 200;

#[derive(Debug, Default)]
pub struct Report {
    pub dry_run: bool,
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    /// (record id, reasons)
    pub refused: Vec<(String, Vec<String>)>,
    pub refused_count: usize,
}

impl Report {
    fn refuse(&mut self, id: String, reasons: Vec<String>) {
        self.refused_count += 1;
        if self.refused.len() < LISTED {
            self.refused.push((id, reasons));
        }
    }
}

fn list(f: &mut fmt::Formatter<'_>, title: &str, ids: &[String]) -> fmt::Result {
    if ids.is_empty() {
        return Ok(());
    }
    writeln!(f, "{title} :")?;
    for id in ids.iter().take(LISTED) {
        writeln!(f, "  - {id}")?;
    }
    if ids.len() > LISTED {
        writeln!(f, "  … et {} autre(s)", ids.len() - LISTED)?;
    }
    Ok(())
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            writeln!(
                f,
                "Simulation (--dry-run) : rien n’a été écrit. L’import ferait :"
            )?;
        } else {
            writeln!(f, "Import terminé :")?;
        }
        writeln!(f, "  {} fiche(s) créée(s)", self.created.len())?;
        writeln!(f, "  {} fiche(s) mise(s) à jour", self.updated.len())?;
        writeln!(f, "  {} fiche(s) inchangée(s)", self.unchanged)?;
        writeln!(f, "  {} enregistrement(s) refusé(s)", self.refused_count)?;
        list(f, "Créées", &self.created)?;
        list(f, "Mises à jour", &self.updated)?;
        if !self.refused.is_empty() {
            writeln!(f, "Refusés :")?;
            for (id, reasons) in &self.refused {
                writeln!(f, "  - {id} : {}", reasons.join(" ; "))?;
            }
            if self.refused_count > self.refused.len() {
                writeln!(
                    f,
                    "  … et {} autre(s)",
                    self.refused_count - self.refused.len()
                )?;
            }
        }
        Ok(())
    }
}

/// The French words of a validation error of the entry form.
fn words(invalid: &lieu_core::Invalid, incoming: &Incoming) -> Vec<String> {
    invalid
        .errors
        .iter()
        .map(|e| {
            let text = lieu_web::i18n::t(e.code);
            match e.field {
                "commune" => format!(
                    "commune « {} » : {text}",
                    incoming.form.commune.chars().take(20).collect::<String>()
                ),
                field => format!("{field} : {text}"),
            }
        })
        .collect()
}

pub fn run(
    store: &Store,
    format: ImportFormat,
    path: &Path,
    source: Option<&str>,
    dry_run: bool,
    progress: bool,
) -> Result<Report> {
    let communes: HashSet<String> = store
        .read(|c| Ok(lieu_store::models::communes::all(c)?))?
        .into_iter()
        .map(|c| c.insee)
        .collect();
    anyhow::ensure!(
        !communes.is_empty(),
        "le territoire n’a aucune commune : importez d’abord wiki-content (lieu import wiki-content)"
    );
    let bar = if progress {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} enregistrement(s) lus {elapsed} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let now = lieu_store::now();
    let today = lieu_core::entry::utc_to_paris(now).date();
    let author = lieu_store::content::import_author();
    let mut report = Report {
        dry_run,
        ..Report::default()
    };
    let mut pending: Vec<Incoming> = Vec::new();
    let mut failure: Option<anyhow::Error> = None;
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let flush = |pending: &mut Vec<Incoming>, report: &mut Report| -> Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(pending);
        let outcomes = store.write(|c| {
            batch
                .iter()
                .map(|r| oi::import_record(c, r, &author, today, now, dry_run))
                .collect::<Result<Vec<_>, _>>()
        })?;
        for (record, outcome) in batch.iter().zip(outcomes) {
            let id = format!(
                "{} ({})",
                record.source_id,
                record.form.title.chars().take(60).collect::<String>()
            );
            match outcome {
                Outcome::Created(slug) => report.created.push(format!("{id} → {slug}")),
                Outcome::Updated(slug) => report.updated.push(format!("{id} → {slug}")),
                Outcome::Unchanged(_) => report.unchanged += 1,
                Outcome::Refused(Refusal::Reasons(r)) => report.refuse(id, r),
                Outcome::Refused(Refusal::Invalid(i)) => {
                    let r = words(&i, record);
                    report.refuse(id, r);
                }
            }
        }
        Ok(())
    };
    let default_source = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".to_owned());
    let mut each = |read: oi::Read| {
        bar.inc(1);
        if failure.is_some() {
            return;
        }
        match read {
            Ok(incoming) => {
                // The same record twice in one file: the second would find the first's entry.
                if !seen.insert((incoming.source.clone(), incoming.source_id.clone())) {
                    report.refuse(
                        incoming.source_id.chars().take(80).collect(),
                        vec![lieu_core::opendata::reasons::DUPLICATE.to_owned()],
                    );
                    return;
                }
                pending.push(incoming);
                if pending.len() >= BATCH
                    && let Err(e) = flush(&mut pending, &mut report)
                {
                    failure = Some(e);
                }
            }
            Err((id, reasons)) => report.refuse(id, reasons),
        }
    };
    match format {
        ImportFormat::DataInclusion => oi::read_data_inclusion(path, source, &communes, &mut each)?,
        ImportFormat::Csv => oi::read_table(path, source, &default_source, &mut each)?,
        ImportFormat::Hsds => oi::read_hsds(
            path,
            source,
            &store.read(lieu_store::opendata::communes_by_code)?,
            &mut each,
        )?,
    }
    if let Some(e) = failure {
        return Err(e);
    }
    flush(&mut pending, &mut report)?;
    bar.finish_and_clear();
    Ok(report)
}
