//! Open data (issue 13): the directory in standard forms, and back.
//!
//! Pure mapping, no I/O: `lieu-store` reads the entries in batches and writes the files, the
//! binary and the web layer call it.
//!
//! - [`data_inclusion`]: the French data·inclusion v1 standard (structures and services).
//!   Services map to a structure (the place that offers the service, named after the
//!   organisation) and a service; associations map to structures without services, as the
//!   national platform lists local associations as places of help. Jobs, housing offers and
//!   events have no place in the standard.
//! - [`hsds`]: Open Referral HSDS 3 (organizations, services, locations, schedules), the same
//!   split.
//! - [`table`]: one CSV per kind for people who open it in a spreadsheet, every field of the
//!   entry form, so that an export imported again gives the same entries.
//!
//! Only published entries that have not expired are exported, and only what their public page
//! shows: nothing of the people who submitted them.

pub mod data_inclusion;
pub mod hsds;
pub mod reasons;
pub mod table;

use crate::entry::{Details, Kind};
use chrono::NaiveDateTime;

/// A published entry as the exports see it: its columns, its commune spelled out, its
/// categories, its details.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicEntry {
    pub id: i32,
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub commune: CommuneRef,
    pub categories: Vec<String>,
    pub details: Details,
    pub updated_at: NaiveDateTime,
}

/// A commune of the territory: INSEE code, name, postcode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommuneRef {
    pub insee: String,
    pub name: String,
    pub postcode: String,
}

/// Who publishes the data, and under which licence.
#[derive(Debug, Clone)]
pub struct Producer {
    /// The producer's identifier in the exports (`source` of data·inclusion, prefix of ids):
    /// the site's name as a slug.
    pub source: String,
    /// Public address of the site, without a trailing slash.
    pub base_url: String,
    pub site_name: String,
    pub licence: String,
    pub licence_url: String,
}

impl Producer {
    pub fn new(site_name: &str, base_url: &str, licence: &str, licence_url: &str) -> Producer {
        let source = crate::slug::slugify(site_name);
        Producer {
            source: if source.is_empty() {
                "lieu".to_owned()
            } else {
                source
            },
            base_url: base_url.trim_end_matches('/').to_owned(),
            site_name: site_name.to_owned(),
            licence: licence.to_owned(),
            licence_url: licence_url.to_owned(),
        }
    }

    /// The public address of an entry's page.
    pub fn entry_url(&self, entry: &PublicEntry) -> String {
        format!(
            "{}/annuaire/{}/{}",
            self.base_url,
            entry.kind.segment(),
            entry.slug
        )
    }

    /// The identifier of an entry in the exports: `source--slug`, as data·inclusion combines
    /// a producer's identifiers.
    pub fn record_id(&self, entry: &PublicEntry) -> String {
        format!("{}--{}", self.source, entry.slug)
    }
}

/// A file of the exports: its folder (the format), its name, its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataFile {
    pub format: Format,
    pub name: &'static str,
    /// For CSV files: the kind of entries listed.
    pub kind: Option<Kind>,
    /// For CSV files: the semicolon and BOM variant that French spreadsheet software opens.
    pub excel: bool,
}

/// The formats of the exports, each in its own folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    DataInclusion,
    Hsds,
    Csv,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::DataInclusion, Format::Hsds, Format::Csv];

    /// The folder of the format's files, and its name on the command line.
    pub fn dir(self) -> &'static str {
        match self {
            Format::DataInclusion => "data-inclusion",
            Format::Hsds => "hsds",
            Format::Csv => "csv",
        }
    }

    pub fn from_dir(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.dir() == s)
    }
}

impl DataFile {
    /// The path under the exports' folder and under `/donnees/`.
    pub fn path(&self) -> String {
        format!("{}/{}", self.format.dir(), self.name)
    }

    pub fn content_type(&self) -> &'static str {
        if self.name.ends_with(".json") {
            "application/json"
        } else {
            "text/csv; charset=utf-8"
        }
    }
}

const fn file(format: Format, name: &'static str) -> DataFile {
    DataFile {
        format,
        name,
        kind: None,
        excel: false,
    }
}

const fn csv(kind: Kind, name: &'static str, excel: bool) -> DataFile {
    DataFile {
        format: Format::Csv,
        name,
        kind: Some(kind),
        excel,
    }
}

/// Every file the exports write, in the order the `/donnees` page lists them.
pub const FILES: &[DataFile] = &[
    file(Format::DataInclusion, "structures.json"),
    file(Format::DataInclusion, "services.json"),
    file(Format::DataInclusion, "structures.csv"),
    file(Format::DataInclusion, "services.csv"),
    file(Format::Hsds, "organizations.json"),
    file(Format::Hsds, "services.json"),
    file(Format::Hsds, "locations.json"),
    file(Format::Hsds, "schedules.json"),
    csv(Kind::Service, "services.csv", false),
    csv(Kind::Service, "services-excel.csv", true),
    csv(Kind::Association, "associations.csv", false),
    csv(Kind::Association, "associations-excel.csv", true),
    csv(Kind::Job, "emplois.csv", false),
    csv(Kind::Job, "emplois-excel.csv", true),
    csv(Kind::Housing, "logements.csv", false),
    csv(Kind::Housing, "logements-excel.csv", true),
    csv(Kind::Event, "evenements.csv", false),
    csv(Kind::Event, "evenements-excel.csv", true),
];

/// The name of the file that states the licence, the producer and the date of the exports,
/// beside the formats' folders.
pub const METADATA_FILE: &str = "metadonnees.json";

/// The file at `format/name`, if it is one of the exports (nothing else is ever served).
pub fn find_file(format: &str, name: &str) -> Option<&'static DataFile> {
    FILES
        .iter()
        .find(|f| f.format.dir() == format && f.name == name)
}

/// A description (data·inclusion, HSDS) that is at least five characters: the summary, then
/// the description after a blank line. Imports split it back at the first blank line.
pub fn long_text(title: &str, summary: &str, description: &str) -> String {
    let mut text = summary.trim().to_owned();
    if !description.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(description.trim());
    }
    if text.chars().count() < 5 {
        text = format!("{title} — {text}");
    }
    text
}

/// A text read from another producer split into the summary lieu shows in lists (its first
/// paragraph, if short enough) and the description.
pub fn split_long_text(text: &str) -> (String, String) {
    let text = text.replace("\r\n", "\n");
    let text = text.trim();
    if let Some((first, rest)) = text.split_once("\n\n") {
        let first = crate::entry::clean(first);
        if !first.is_empty() && first.chars().count() <= crate::entry::SUMMARY_MAX {
            return (first, rest.trim().to_owned());
        }
    }
    let one_line = crate::entry::clean(text);
    if one_line.chars().count() <= crate::entry::SUMMARY_MAX {
        return (one_line, String::new());
    }
    // Too long for a summary: its first words, and the whole text as the description.
    let mut summary = String::new();
    for word in one_line.split(' ') {
        if summary.chars().count() + word.chars().count() + 2 > crate::entry::SUMMARY_MAX {
            break;
        }
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(word);
    }
    summary.push('…');
    (summary, text.to_owned())
}

/// A phone number as E.164 (`+33199001234`), from lieu's national form (`01 99 00 12 34`).
pub fn e164(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(rest) if digits.len() == 10 => format!("+33{rest}"),
        _ => phone.to_owned(),
    }
}

/// The département of an INSEE commune code (`79250` → `79`, `97411` → `974`, `2A004` → `2A`).
pub fn departement(insee: &str) -> &str {
    let len = if insee.starts_with("97") || insee.starts_with("98") {
        3
    } else {
        2
    };
    insee.get(..len).unwrap_or(insee)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_splits_back_into_summary_and_description() {
        let text = long_text("Titre", "Un résumé court.", "Premier.\n\nSecond.");
        assert_eq!(
            split_long_text(&text),
            (
                "Un résumé court.".to_owned(),
                "Premier.\n\nSecond.".to_owned()
            )
        );
        assert_eq!(long_text("Titre", "Aïe", ""), "Titre — Aïe");
        let (summary, description) = split_long_text(&"mot ".repeat(200));
        assert!(summary.chars().count() <= crate::entry::SUMMARY_MAX);
        assert!(summary.ends_with('…'));
        assert!(description.starts_with("mot mot"));
    }

    #[test]
    fn phones_and_departements() {
        assert_eq!(e164("01 99 00 12 34"), "+33199001234");
        assert_eq!(departement("79250"), "79");
        assert_eq!(departement("97411"), "974");
        assert_eq!(departement("2A004"), "2A");
    }

    #[test]
    fn only_known_files_are_found() {
        assert!(find_file("csv", "services-excel.csv").is_some_and(|f| f.excel));
        assert!(find_file("csv", "../secret").is_none());
        assert!(find_file("hsds", "services.json").is_some());
    }
}
