//! One table per kind of entry, for spreadsheets and for moving a directory from one site to
//! another: every field of the entry form under a French column name, lists joined with
//! commas, dates as the form takes them. Importing the table gives the same entries back.

use super::{Producer, PublicEntry};
use crate::entry::{EntryForm, Kind};
use serde_json::{Map, Value};

/// Columns that are not form fields.
pub const ID: &str = "identifiant";
pub const KIND: &str = "type";
pub const COMMUNE_NAME: &str = "commune";
pub const POSTCODE: &str = "code_postal";
pub const PAGE: &str = "page";
pub const UPDATED: &str = "date_maj";
pub const SOURCE: &str = "source";

/// (column, form field) shared by every kind, after the identifier and the type.
const COMMON: &[(&str, &str)] = &[
    ("titre", "title"),
    ("commune_insee", "commune"),
    ("resume", "summary"),
    ("description", "description"),
    ("categories", "categories"),
    ("adresse", "address"),
    ("contact", "contact_name"),
    ("telephone", "phone"),
    ("courriel", "email"),
    ("site_web", "website"),
];

const SERVICE: &[(&str, &str)] = &[
    ("organisation", "organisation"),
    ("thematiques", "themes"),
    ("publics", "publics"),
    ("frais", "fees"),
    ("frais_precisions", "fees_details"),
    ("modes_accueil", "reception"),
    ("horaires", "opening_hours"),
    ("accessibilite", "accessibility"),
    ("modalites", "help_modes"),
];

const ASSOCIATION: &[(&str, &str)] = &[
    ("publics", "publics"),
    ("activites", "activities"),
    ("cotisation", "membership_fee"),
    ("rencontres", "meeting_times"),
];

const JOB: &[(&str, &str)] = &[
    ("employeur", "employer"),
    ("contrat", "contract"),
    ("temps_de_travail", "working_hours"),
    ("salaire", "salary"),
    ("candidature", "how_to_apply"),
    ("publiee_le", "published_on"),
    ("expire_le", "expires_on"),
];

const HOUSING: &[(&str, &str)] = &[
    ("type_de_logement", "housing_type"),
    ("loyer", "rent"),
    ("charges", "charges"),
    ("surface", "surface"),
    ("pieces", "rooms"),
    ("meuble", "furnished"),
    ("disponible_le", "available_from"),
    ("expire_le", "expires_on"),
];

const EVENT: &[(&str, &str)] = &[
    ("debut", "starts_at"),
    ("fin", "ends_at"),
    ("chaque_semaine_jusqu_au", "weekly_until"),
    ("organisateur", "organiser"),
    ("tarif", "price"),
    ("reservation", "booking"),
];

/// Form fields that hold lists.
const LISTS: &[&str] = &["categories", "publics", "themes", "reception", "help_modes"];

fn specific(kind: Kind) -> &'static [(&'static str, &'static str)] {
    match kind {
        Kind::Service => SERVICE,
        Kind::Association => ASSOCIATION,
        Kind::Job => JOB,
        Kind::Housing => HOUSING,
        Kind::Event => EVENT,
    }
}

/// The French word of the `type` column.
pub fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => "service",
        Kind::Association => "association",
        Kind::Job => "emploi",
        Kind::Housing => "logement",
        Kind::Event => "evenement",
    }
}

pub fn kind_of_word(word: &str) -> Option<Kind> {
    Kind::ALL
        .into_iter()
        .find(|k| kind_word(*k) == word.trim() || k.as_str() == word.trim())
}

/// The header of a kind's table.
pub fn headers(kind: Kind) -> Vec<&'static str> {
    let mut h = vec![ID, KIND];
    h.extend(COMMON.iter().map(|(c, _)| *c));
    h.extend([COMMUNE_NAME, POSTCODE]);
    h.extend(specific(kind).iter().map(|(c, _)| *c));
    h.extend([PAGE, UPDATED, SOURCE]);
    h
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// A row of the table, in the order of [`headers`].
pub fn row(producer: &Producer, e: &PublicEntry) -> Vec<String> {
    let form = EntryForm::from_entry(
        &e.title,
        &e.commune.insee,
        &e.summary,
        &e.categories,
        &e.details,
    );
    let fields = match serde_json::to_value(&form) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let mut out = vec![producer.record_id(e), kind_word(e.kind).to_owned()];
    out.extend(COMMON.iter().map(|(_, f)| text(fields.get(*f))));
    out.extend([e.commune.name.clone(), e.commune.postcode.clone()]);
    out.extend(specific(e.kind).iter().map(|(_, f)| text(fields.get(*f))));
    out.extend([
        producer.entry_url(e),
        e.updated_at.date().format("%Y-%m-%d").to_string(),
        producer.source.clone(),
    ]);
    out
}

/// A row read back: its identifier, its kind, its update date and the form it fills.
#[derive(Debug, Clone)]
pub struct ImportedRow {
    pub source_id: String,
    pub source: Option<String>,
    pub kind: Kind,
    pub updated_on: Option<chrono::NaiveDate>,
    pub form: EntryForm,
}

/// Reads a row given as (column, value) pairs; columns it does not know are ignored. The
/// reasons it is refused, in French, otherwise.
pub fn import_row(cells: &[(&str, &str)]) -> Result<ImportedRow, Vec<String>> {
    let get = |name: &str| {
        cells
            .iter()
            .find(|(h, _)| h.trim() == name)
            .map(|(_, v)| v.trim())
    };
    let mut reasons = Vec::new();
    let source_id = get(ID).unwrap_or_default().to_owned();
    if source_id.is_empty() {
        reasons.push(format!("colonne « {ID} » vide ou absente"));
    }
    let kind = match get(KIND).and_then(kind_of_word) {
        Some(k) => Some(k),
        None => {
            reasons.push(format!(
                "colonne « {KIND} » : « {} » n’est pas un type de fiche (service, association, emploi, logement, evenement)",
                get(KIND).unwrap_or_default().chars().take(40).collect::<String>()
            ));
            None
        }
    };
    let updated_on = match get(UPDATED).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) if crate::entry::in_range(d) => Some(d),
            _ => {
                reasons.push(format!(
                    "colonne « {UPDATED} » : date invalide « {} » (attendu AAAA-MM-JJ)",
                    d.chars().take(40).collect::<String>()
                ));
                None
            }
        },
    };
    let (Some(kind), true) = (kind, reasons.is_empty()) else {
        return Err(reasons);
    };
    let mut fields = Map::new();
    for (column, field) in COMMON.iter().chain(specific(kind)) {
        let value = get(column).unwrap_or_default();
        let value = if LISTS.contains(field) {
            Value::Array(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_owned()))
                    .collect(),
            )
        } else {
            Value::String(value.to_owned())
        };
        fields.insert((*field).to_owned(), value);
    }
    let form: EntryForm = serde_json::from_value(Value::Object(fields))
        .map_err(|e| vec![format!("ligne illisible : {e}")])?;
    Ok(ImportedRow {
        source_id,
        source: get(SOURCE).filter(|s| !s.is_empty()).map(str::to_owned),
        kind,
        updated_on,
        form,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{Contact, Details, JobDetails};
    use crate::opendata::CommuneRef;

    #[test]
    fn a_row_reads_back_into_the_same_form() {
        let details = Details::Job(JobDetails {
            employer: "Ferme, « du Pré »; et fils".into(),
            description: "Ligne 1\nLigne 2".into(),
            contract: "cdd".into(),
            how_to_apply: "Appeler".into(),
            published_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
            expires_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
            contact: Contact {
                phone: Some("01 99 00 12 34".into()),
                ..Contact::default()
            },
            ..JobDetails::default()
        });
        let e = PublicEntry {
            id: 3,
            kind: Kind::Job,
            slug: "cueillette".into(),
            title: "Cueillette".into(),
            summary: "Des pommes.".into(),
            commune: CommuneRef {
                insee: "79250".into(),
                name: "Saint-Aubin".into(),
                postcode: "79110".into(),
            },
            categories: vec!["agriculture".into(), "saisonnier".into()],
            details: details.clone(),
            updated_at: chrono::NaiveDateTime::default(),
        };
        let producer = Producer::new("Val", "https://val.example", "", "");
        let headers = headers(Kind::Job);
        let values = row(&producer, &e);
        assert_eq!(headers.len(), values.len());
        let cells: Vec<(&str, &str)> = headers
            .iter()
            .copied()
            .zip(values.iter().map(String::as_str))
            .collect();
        let back = import_row(&cells).expect("a row");
        assert_eq!(back.kind, Kind::Job);
        assert_eq!(back.source_id, "val--cueillette");
        let expected = EntryForm::from_entry(
            "Cueillette",
            "79250",
            "Des pommes.",
            &e.categories,
            &details,
        );
        assert_eq!(
            serde_json::to_value(&back.form).ok(),
            serde_json::to_value(&expected).ok()
        );
    }

    #[test]
    fn a_row_without_identifier_or_type_is_refused() {
        let reasons = import_row(&[("titre", "X"), ("type", "vélo")]).expect_err("refused");
        assert_eq!(reasons.len(), 2);
    }
}
