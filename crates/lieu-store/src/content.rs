//! Importing content files (Markdown with TOML front matter) into the wiki. `lieu import` and
//! `lieu serve` on an empty database both come through here.

use crate::Store;
use crate::error::StoreError;
use crate::wiki::{self, Author, ImportOutcome};
use lieu_core::content::{self, ContentError, history_text, sha256_hex};
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
    Author::system(history_text::IMPORT_AUTHOR)
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
    let lang = match matter.lang.as_deref() {
        None => "fr",
        Some(lang) => content::PAGE_LANGUAGES
            .iter()
            .copied()
            .find(|l| *l == lang)
            .ok_or_else(|| {
                ImportError::Invalid(lieu_core::Invalid::single("lang", "lang_unknown"))
            })?,
    };
    let page = PageDraft {
        title: matter.title,
        body,
        summary: matter.summary,
    }
    .validate()
    .map_err(ImportError::Invalid)?;
    let digest = sha256_hex(text);
    let author = import_author();
    Ok(store.write(|c| {
        let outcome = wiki::import_page(
            c,
            source,
            &digest,
            &page,
            &author,
            history_text::PAGE_UPDATED_FROM_FILES,
        )?;
        if outcome != ImportOutcome::Unchanged {
            wiki::set_page_lang(c, &page.slug, lang)?;
        }
        Ok(outcome)
    })?)
}

/// A directory entry in a content file. Dates of offers and events are given relative to the
/// day of the import, so that the demo directory is never out of date.
#[derive(Debug, serde::Deserialize)]
struct DemoEntry {
    kind: lieu_core::entry::Kind,
    /// The commune's name (as in territory.toml).
    commune_name: String,
    #[serde(default)]
    published_days_ago: Option<i64>,
    #[serde(default)]
    expires_in_days: Option<i64>,
    #[serde(default)]
    available_in_days: Option<i64>,
    #[serde(default)]
    starts_in_days: Option<i64>,
    /// "14:00"
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    duration_minutes: Option<i64>,
    /// Repeats every week, this many times in all.
    #[serde(default)]
    weekly_times: Option<i64>,
    #[serde(flatten)]
    form: lieu_core::entry::EntryForm,
}

#[derive(Debug, serde::Deserialize)]
struct DemoFile {
    #[serde(default)]
    entries: Vec<DemoEntry>,
}

/// What importing directory entries did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EntryImport {
    pub created: usize,
    /// Already there (same slug): left as the agents may have edited it.
    pub existing: usize,
}

/// Loads `territory.toml` (communes and categories) in one transaction.
pub fn import_territory(store: &Store, text: &str) -> Result<usize, ImportError> {
    let territory = lieu_core::territory::Territory::parse(text)
        .map_err(|e| ImportError::Content(ContentError::Toml(e.to_string())))?;
    store.write(|c| Ok(crate::models::communes::load_territory(c, &territory)?))?;
    Ok(territory.communes.len())
}

/// Imports the entries of one directory file, each in its own transaction; `today` is the
/// Paris date the relative dates count from. An entry whose slug exists is left alone.
pub fn import_entries(
    store: &Store,
    text: &str,
    today: chrono::NaiveDate,
) -> Result<EntryImport, ImportError> {
    use crate::models::{communes, entries};
    use chrono::Duration;
    let file: DemoFile = toml::from_str(text)
        .map_err(|e| ImportError::Content(ContentError::Toml(e.to_string())))?;
    let all_communes = store.read(|c| Ok(communes::all(c)?))?;
    let author = import_author();
    let now = crate::now();
    let date = |days: i64| {
        (today + Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    let mut report = EntryImport::default();
    for demo in file.entries {
        let mut form = demo.form;
        form.commune = all_communes
            .iter()
            .find(|c| c.name == demo.commune_name)
            .map(|c| c.insee.clone())
            .ok_or_else(|| {
                ImportError::Content(ContentError::Toml(format!(
                    "{}: unknown commune {}",
                    form.title, demo.commune_name
                )))
            })?;
        if let Some(days) = demo.published_days_ago {
            form.published_on = date(-days);
        }
        if let Some(days) = demo.expires_in_days {
            form.expires_on = date(days);
        }
        if let Some(days) = demo.available_in_days {
            form.available_from = date(days);
        }
        if let Some(days) = demo.starts_in_days {
            let time = demo.start_time.as_deref().unwrap_or("14:00");
            let start = chrono::NaiveDateTime::parse_from_str(
                &format!("{}T{time}", date(days)),
                "%Y-%m-%dT%H:%M",
            )
            .map_err(|e| {
                ImportError::Content(ContentError::Toml(format!("{}: {e}", form.title)))
            })?;
            let end = start + Duration::minutes(demo.duration_minutes.unwrap_or(120));
            form.starts_at = start.format("%Y-%m-%dT%H:%M").to_string();
            form.ends_at = end.format("%Y-%m-%dT%H:%M").to_string();
            if let Some(times) = demo.weekly_times.filter(|t| *t > 1) {
                form.weekly_until = date(days + 7 * (times - 1));
            }
        }
        let slug = lieu_core::slug::slugify(&form.title);
        if store.read(|c| Ok(entries::by_slug(c, &slug)?))?.is_some() {
            report.existing += 1;
            continue;
        }
        let kind = demo.kind;
        store
            .write(|c| {
                let valid = crate::directory::validate(c, kind, &form, today)?
                    .map_err(StoreError::Invalid)?;
                crate::directory::create_entry(c, &valid, &author, history_text::ENTRY_CREATED, now)
            })
            .map_err(|e| match e {
                StoreError::Invalid(invalid) => {
                    ImportError::Content(ContentError::Toml(format!("{}: {invalid}", form.title)))
                }
                other => ImportError::Store(other),
            })?;
        report.created += 1;
    }
    Ok(report)
}

/// What importing one file of a content folder did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOutcome {
    Page(ImportOutcome),
    Territory { communes: usize },
    Entries(EntryImport),
}

/// The files of a content folder in the order they must be imported: `territory.toml` first
/// (entries refer to its communes), then the Markdown pages, then the directory files
/// (`annuaire/*.toml`).
pub fn import_items(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut items = Vec::new();
    let territory = dir.join("territory.toml");
    if territory.is_file() {
        items.push(territory);
    }
    items.extend(markdown_files(dir)?);
    let directory = dir.join("annuaire");
    if directory.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&directory)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        items.extend(files);
    }
    Ok(items)
}

/// Imports one file of a content folder (see [`import_items`]).
pub fn import_item(
    store: &Store,
    dir: &Path,
    path: &Path,
    today: chrono::NaiveDate,
) -> Result<ItemOutcome, ImportError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ImportError::Content(ContentError::Toml(format!("unreadable file: {e}"))))?;
    let source = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    if source == "territory.toml" {
        return Ok(ItemOutcome::Territory {
            communes: import_territory(store, &text)?,
        });
    }
    if path.extension().is_some_and(|e| e == "toml") {
        return Ok(ItemOutcome::Entries(import_entries(store, &text, today)?));
    }
    Ok(ItemOutcome::Page(import_text(store, &source, &text)?))
}
