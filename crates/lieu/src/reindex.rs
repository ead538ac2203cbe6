//! The search index: opened (or rebuilt) by `lieu serve`, rebuilt on demand by
//! `lieu reindex`, with a progress bar while the documents are read.

use crate::config::Config;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lieu_search::{Opened, SearchIndex};
use lieu_store::Store;

fn bar(show: bool) -> ProgressBar {
    let bar = if show {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} documents indexed ({per_sec}, {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

fn lock_hint(e: lieu_search::SearchError, config: &Config) -> anyhow::Error {
    let busy = matches!(
        &e,
        lieu_search::SearchError::Index(tantivy_lock) if tantivy_lock.to_string().contains("lock")
    );
    let error = anyhow::Error::new(e);
    if busy {
        error.context(format!(
            "the search index {} is in use: is `lieu serve` running? Stop it first",
            config.index_dir.display()
        ))
    } else {
        error.context(format!("search index {}", config.index_dir.display()))
    }
}

/// Opens the index of `config`, rebuilding it if it is missing, unreadable or outdated.
pub fn open(config: &Config, store: &Store, show_progress: bool) -> Result<SearchIndex> {
    let bar = bar(show_progress);
    let (index, opened) = SearchIndex::open(&config.index_dir, store, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .map_err(|e| lock_hint(e, config))?;
    bar.finish_and_clear();
    if let Opened::Rebuilt { reason, documents } = opened {
        tracing::info!(%reason, documents, "search index rebuilt");
        println!("Index de recherche reconstruit : {documents} documents ({reason}).");
    }
    Ok(index)
}

/// `lieu reindex`: rebuilds the index from the database (once: a missing or outdated index is
/// rebuilt while it is opened, and that rebuild is the one reported).
pub fn run(config: &Config) -> Result<()> {
    let store = config.open_existing_store()?;
    let bar = bar(true);
    let mut progress = |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let started = std::time::Instant::now();
    let (index, opened) = SearchIndex::open(&config.index_dir, &store, &mut progress)
        .map_err(|e| lock_hint(e, config))?;
    let documents = match opened {
        Opened::Rebuilt { documents, .. } => documents,
        Opened::Existing => index
            .rebuild(&store, &mut progress)
            .map_err(|e| lock_hint(e, config))
            .context("rebuilding the search index")?,
    };
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Index de recherche reconstruit : {documents} documents en {seconds:.1} s ({:.0} documents/s).",
        documents as f64 / seconds.max(0.001)
    );
    Ok(())
}
