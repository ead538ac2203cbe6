//! `lieu export --format …`: writes the open data files (data·inclusion, HSDS, CSV) the site
//! serves under `/donnees`, with a progress bar. The mapping and the writing are
//! `lieu_core::opendata`'s and `lieu_store::opendata`'s.

use crate::config::Config;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lieu_core::opendata::Format;
use std::path::PathBuf;

/// The formats the command line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// data·inclusion v1: structures and services, JSON and CSV.
    DataInclusion,
    /// Open Referral HSDS 3: organizations, services, locations, schedules.
    Hsds,
    /// One table per kind of entry, UTF-8 and the semicolon variant for spreadsheets.
    Csv,
    /// All three.
    All,
}

impl FormatArg {
    pub fn formats(self) -> Vec<Format> {
        match self {
            FormatArg::DataInclusion => vec![Format::DataInclusion],
            FormatArg::Hsds => vec![Format::Hsds],
            FormatArg::Csv => vec![Format::Csv],
            FormatArg::All => Format::ALL.to_vec(),
        }
    }
}

pub fn run(
    config: &Config,
    format: FormatArg,
    output: Option<PathBuf>,
    progress: bool,
) -> Result<()> {
    let store = config.open_existing_store()?;
    let dir = output.unwrap_or_else(|| config.export_dir.clone());
    let producer = config.web().producer();
    let now = lieu_store::now();
    let total = store.read(|c| lieu_store::opendata::exportable_count(c, now))?;
    let bar = if progress {
        ProgressBar::new(u64::try_from(total).unwrap_or(0))
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} fiches {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let summary =
        lieu_store::opendata::export(&store, &dir, &producer, &format.formats(), now, &mut |n| {
            bar.set_position(n)
        })
        .with_context(|| format!("cannot export into {}", dir.display()))?;
    bar.finish_and_clear();
    println!(
        "Export terminé en {:.1} s : {total} fiche(s) publiée(s), dans {}.",
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    for f in summary.fichiers.iter().filter(|f| {
        format
            .formats()
            .iter()
            .any(|fmt| f.chemin.starts_with(fmt.dir()))
    }) {
        println!(
            "  {} : {} enregistrement(s), {} octets",
            f.chemin, f.enregistrements, f.octets
        );
    }
    println!("Licence : {} ({})", summary.licence, summary.licence_url);
    Ok(())
}
