//! `lieu backup`, `lieu restore`, and the server's daily backup. What a backup is and how it
//! is checked lives in `lieu_store::backup`; here: file names, messages, the index lock, the
//! rebuild after a restore and the daily schedule.

use crate::config::Config;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lieu_store::backup::{self, Backup};
use lieu_store::{DatabaseUrl, Store};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The tables whose rows `lieu backup` and `lieu restore` name, with their French names.
const SUMMARY: &[(&str, &str)] = &[
    ("pages", "pages"),
    ("revisions", "versions de pages"),
    ("entries", "fiches"),
    ("users", "comptes"),
    ("submissions", "demandes de référencement"),
    ("exchange_posts", "messages de l’espace d’échange"),
];

fn summary(tables: &[(String, i64)]) -> String {
    SUMMARY
        .iter()
        .map(|(table, words)| {
            let n = tables
                .iter()
                .find(|(name, _)| name == table)
                .map_or(0, |(_, n)| *n);
            format!("{n} {words}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "12,3 Mo".
fn size(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 0.1 {
        format!("{mb:.1} Mo").replace('.', ",")
    } else {
        format!("{} ko", bytes.div_ceil(1000))
    }
}

fn spinner(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A backup in `backup_dir` under a dated name, then the oldest beyond `backup_keep` deleted
/// (none when `keep` is 0).
pub fn dated_backup(store: &Store, dir: &Path, keep: usize) -> Result<(Backup, Vec<PathBuf>)> {
    let name = backup::file_name(store.url(), lieu_store::now());
    let done = backup::backup(store, &dir.join(name))?;
    let pruned = if keep > 0 {
        backup::prune(dir, store.url(), keep)?
    } else {
        Vec::new()
    };
    Ok((done, pruned))
}

/// `lieu backup [--output FILE]`.
pub fn run_backup(config: &Config, output: Option<PathBuf>) -> Result<()> {
    let store = config.open_existing_store()?;
    let bar = spinner("Sauvegarde en cours");
    let written = match output {
        Some(path) => backup::backup(&store, &path).map(|b| (b, Vec::new()))?,
        None => dated_backup(&store, &config.backup_dir, config.backup_keep)?,
    };
    bar.finish_and_clear();
    let (done, pruned) = written;
    println!(
        "Sauvegarde écrite : {} ({}) — {}.",
        done.path.display(),
        size(done.bytes),
        summary(&done.tables)
    );
    for path in pruned {
        println!("Ancienne sauvegarde supprimée : {}", path.display());
    }
    println!(
        "Pour la restaurer : arrêtez le serveur, puis lieu restore {} --yes",
        done.path.display()
    );
    Ok(())
}

/// `lieu restore FILE --yes`.
pub fn run_restore(config: &Config, file: &Path, yes: bool) -> Result<()> {
    let url = DatabaseUrl::parse(&config.database_url)?;
    let kind = backup::kind_of(file)?;
    let target = match &url {
        DatabaseUrl::Sqlite(path) => path.display().to_string(),
        DatabaseUrl::Postgres(_) => "la base PostgreSQL configurée".to_owned(),
    };
    if !yes {
        println!(
            "Cette commande remplace tout le contenu de {target} par la sauvegarde {} ({}), \
             puis reconstruit l’index de recherche. Arrêtez d’abord le serveur, puis relancez \
             avec --yes.",
            file.display(),
            match kind {
                backup::Kind::Sqlite => "SQLite",
                backup::Kind::PgDump => "pg_dump",
            }
        );
        anyhow::bail!("nothing restored: add --yes to replace the database");
    }
    // A running server holds the index's lock: refuse before touching the database.
    let lock = lieu_search::SearchIndex::lock_dir(&config.index_dir).map_err(|e| {
        anyhow::Error::new(e).context(format!(
            "the search index {} is in use: is `lieu serve` running? Stop it first",
            config.index_dir.display()
        ))
    })?;
    let bar = spinner("Restauration en cours");
    let restored = backup::restore(&url, file);
    bar.finish_and_clear();
    let restored = restored.with_context(|| format!("cannot restore {}", file.display()))?;
    drop(lock);
    println!(
        "Base restaurée depuis {} — {}.",
        file.display(),
        summary(&restored.tables)
    );
    if let Some(kept) = &restored.kept {
        println!(
            "L’ancienne base est gardée sous {} (supprimez-la quand tout va bien).",
            kept.display()
        );
    }
    // Opening applies the migrations newer than the backup; the index is rebuilt from what
    // was restored.
    crate::reindex::run(config)
}

/// The server's daily backup (`backup_keep` > 0): one at start when the newest is a day old or
/// more (or there is none), then every day; each time the oldest beyond `backup_keep` go.
pub fn run_daily(store: &Store, dir: &Path, keep: usize) {
    const DAY: chrono::TimeDelta = chrono::TimeDelta::days(1);
    if keep == 0 {
        return;
    }
    loop {
        let newest = backup::newest(dir, store.url()).unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot list the backups");
            None
        });
        let now = lieu_store::now();
        let wait = newest
            .and_then(|at| (at + DAY - now).to_std().ok())
            .unwrap_or_default();
        if !wait.is_zero() {
            std::thread::sleep(wait);
            continue;
        }
        match dated_backup(store, dir, keep) {
            Ok((done, pruned)) => tracing::info!(
                path = %done.path.display(),
                bytes = done.bytes,
                pruned = pruned.len(),
                "daily backup written"
            ),
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "daily backup failed");
                // Tried again in an hour rather than at once.
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_french() {
        assert_eq!(size(12_345_678), "12,3 Mo");
        assert_eq!(size(40_001), "41 ko");
    }

    #[test]
    fn the_summary_names_the_tables_residents_care_about() {
        let tables = vec![("pages".to_owned(), 12), ("entries".to_owned(), 3)];
        let text = summary(&tables);
        assert!(text.starts_with("12 pages, 0 versions de pages, 3 fiches"));
    }
}
