//! Importing content files (Markdown with TOML front matter) into the wiki. `lieu import` and
//! `lieu serve` on an empty database both come through here.

use crate::Store;
use crate::error::StoreError;
use crate::wiki::{self, Author, ImportOutcome};
use lieu_core::content::{self, ContentError, sha256_hex};
use lieu_core::page::PageDraft;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Content(#[from] ContentError),
    #[error("invalid page: {0}")]
    Invalid(lieu_core::Invalid),
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(invalid) => ImportError::Invalid(invalid),
            other => ImportError::Store(other),
        }
    }
}

/// Who the imported revisions are attributed to.
pub fn import_author() -> Author {
    Author::system("Import du contenu")
}

/// The Markdown files under `dir`, sorted so that imports are reproducible.
pub fn markdown_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Imports one file's text, in one transaction. `source` names the file (its path relative to
/// the content folder): the same file imported again unchanged writes nothing.
pub fn import_text(store: &Store, source: &str, text: &str) -> Result<ImportOutcome, ImportError> {
    let (matter, body) = content::parse(text)?;
    let page = PageDraft {
        title: matter.title,
        body,
        summary: matter.summary,
    }
    .validate()
    .map_err(ImportError::Invalid)?;
    let digest = sha256_hex(text);
    let author = import_author();
    Ok(store.write(|c| wiki::import_page(c, source, &digest, &page, &author))?)
}
