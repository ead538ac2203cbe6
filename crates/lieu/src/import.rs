//! `lieu import DIR`: loads the Markdown pages of a content folder, each file in its own
//! transaction, with a progress bar. Re-importing is idempotent.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lieu_store::Store;
use lieu_store::content::{self, ItemOutcome};
use lieu_store::wiki::ImportOutcome;
use std::fmt;
use std::path::Path;

#[derive(Debug, Default)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub communes: usize,
    pub entries_created: usize,
    pub entries_existing: usize,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Import terminé : {} page(s) créée(s), {} mise(s) à jour, {} inchangée(s) ; \
             {} commune(s) ; {} fiche(s) d’annuaire créée(s), {} déjà présente(s) ; {} fichier(s) en erreur.",
            self.created,
            self.updated,
            self.unchanged,
            self.communes,
            self.entries_created,
            self.entries_existing,
            self.failed
        )
    }
}

pub fn import_dir(store: &Store, dir: &Path, show_progress: bool) -> Result<ImportReport> {
    let files = content::import_items(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    let today = lieu_core::entry::utc_to_paris(lieu_store::now()).date();
    let bar = if show_progress {
        ProgressBar::new(files.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut report = ImportReport::default();
    for path in &files {
        let source = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        bar.set_message(source.clone());
        match content::import_item(store, dir, path, today) {
            Ok(ItemOutcome::Page(ImportOutcome::Created)) => report.created += 1,
            Ok(ItemOutcome::Page(ImportOutcome::Updated)) => report.updated += 1,
            Ok(ItemOutcome::Page(ImportOutcome::Unchanged)) => report.unchanged += 1,
            Ok(ItemOutcome::Territory { communes }) => report.communes += communes,
            Ok(ItemOutcome::Entries(e)) => {
                report.entries_created += e.created;
                report.entries_existing += e.existing;
            }
            Err(e) => {
                report.failed += 1;
                bar.suspend(|| eprintln!("{source} : {e:#}"));
                tracing::warn!(file = %source, error = %format!("{e:#}"), "import failed");
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lieu_store::wiki;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).expect("write");
    }

    #[test]
    fn importing_twice_creates_nothing_new_and_a_changed_file_becomes_a_revision() {
        let content = tempfile::tempdir().expect("tempdir");
        let db = tempfile::tempdir().expect("tempdir");
        let store =
            Store::open(db.path().join("t.sqlite3").to_str().expect("utf8"), 2).expect("store");
        write(
            content.path(),
            "a.md",
            "+++\ntitle = \"Accueil\"\n+++\nVoir [[Aide]].\n",
        );
        write(
            content.path(),
            "b.md",
            "+++\ntitle = \"Aide\"\n+++\nDe l’aide.\n",
        );
        write(content.path(), "broken.md", "pas de front matter\n");

        let first = import_dir(&store, content.path(), false).expect("import");
        assert_eq!(
            (first.created, first.updated, first.unchanged, first.failed),
            (2, 0, 0, 1)
        );

        let again = import_dir(&store, content.path(), false).expect("import");
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));

        write(
            content.path(),
            "b.md",
            "+++\ntitle = \"Aide\"\n+++\nDe l’aide, mise à jour.\n",
        );
        let changed = import_dir(&store, content.path(), false).expect("import");
        assert_eq!(
            (changed.created, changed.updated, changed.unchanged),
            (0, 1, 1)
        );
        let page = store.read(|c| wiki::page(c, "aide")).expect("page");
        assert_eq!(page.revision_number, 2);
        assert!(page.body.contains("mise à jour"));

        let home = store.read(|c| wiki::page(c, "accueil")).expect("page");
        assert!(
            home.html
                .contains("class=\"lien-wiki\" href=\"/wiki/aide\""),
            "{}",
            home.html
        );
    }
}
