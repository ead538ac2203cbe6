//! The model of an entry: its kind and status, the kind-specific details stored as JSON, and
//! the checked entry validation returns.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Service,
    Association,
    Job,
    Housing,
    Event,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Service,
        Kind::Association,
        Kind::Job,
        Kind::Housing,
        Kind::Event,
    ];

    /// Stable name, stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Association => "association",
            Kind::Job => "job",
            Kind::Housing => "housing",
            Kind::Event => "event",
        }
    }

    /// The French path segment of the kind's list (`/annuaire/services`).
    pub fn segment(self) -> &'static str {
        match self {
            Kind::Service => "services",
            Kind::Association => "associations",
            Kind::Job => "emplois",
            Kind::Housing => "logements",
            Kind::Event => "evenements",
        }
    }

    pub fn from_segment(segment: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.segment() == segment)
    }

    /// Words a resident types for entries of this kind, indexed with each of them: a job
    /// offer seldom says « emploi », yet « emploi saisonnier » must find it.
    pub fn search_words(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Association => "association club",
            Kind::Job => "emploi offre d’emploi travail",
            Kind::Housing => "logement location",
            Kind::Event => "événement sortie",
        }
    }

    /// The address of the kind's public list.
    pub fn list_path(self) -> String {
        format!("/annuaire/{}", self.segment())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// Where an entry stands. Nothing is ever deleted: archived entries leave the public lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Published,
    Archived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Status {
        if s == "archived" {
            Status::Archived
        } else {
            Status::Published
        }
    }
}

/// Contract types of job offers (value, French label).
pub const CONTRACTS: &[(&str, &str)] = &[
    ("cdi", "CDI"),
    ("cdd", "CDD"),
    ("interim", "Intérim"),
    ("apprentissage", "Apprentissage"),
    ("saisonnier", "Saisonnier"),
    ("benevolat", "Bénévolat"),
];

/// Types of housing offers.
pub const HOUSING_TYPES: &[(&str, &str)] = &[
    ("appartement", "Appartement"),
    ("maison", "Maison"),
    ("chambre", "Chambre"),
    ("colocation", "Colocation"),
];

/// How a resident gets help from a service.
pub const HELP_MODES: &[(&str, &str)] = &[
    ("sans-rendez-vous", "Sans rendez-vous"),
    ("telephone", "Par téléphone"),
    ("sur-rendez-vous", "Sur rendez-vous"),
    ("en-ligne", "En ligne"),
];

pub fn label_of(
    list: &'static [(&'static str, &'static str)],
    value: &str,
) -> Option<&'static str> {
    list.iter().find(|(v, _)| *v == value).map(|(_, l)| *l)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ServiceDetails {
    pub organisation: String,
    pub description: String,
    pub themes: Vec<String>,
    pub publics: Vec<String>,
    pub fees: Option<String>,
    pub fees_details: String,
    pub reception: Vec<String>,
    pub address: String,
    pub contact: Contact,
    /// OSM `opening_hours` syntax.
    pub opening_hours: Option<String>,
    pub accessibility: String,
    pub help_modes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssociationDetails {
    pub description: String,
    pub activities: String,
    pub publics: Vec<String>,
    pub membership_fee: String,
    pub meeting_place: String,
    pub meeting_times: String,
    pub contact: Contact,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JobDetails {
    pub employer: String,
    pub description: String,
    pub contract: String,
    pub working_hours: String,
    pub address: String,
    pub salary: String,
    pub how_to_apply: String,
    pub published_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub contact: Contact,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HousingDetails {
    pub housing_type: String,
    pub description: String,
    pub rent_eur: u32,
    pub charges_eur: u32,
    pub surface_m2: Option<u32>,
    pub rooms: Option<u32>,
    pub furnished: bool,
    pub available_from: Option<NaiveDate>,
    pub address: String,
    pub expires_on: NaiveDate,
    pub contact: Contact,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventDetails {
    pub description: String,
    /// Local time in Europe/Paris, as typed (`2026-12-05T14:00:00`, no offset).
    #[schema(value_type = String, example = "2026-12-05T14:00:00")]
    pub starts_at: NaiveDateTime,
    #[schema(value_type = String, example = "2026-12-05T17:00:00")]
    pub ends_at: NaiveDateTime,
    /// The event repeats every week until this date (included).
    pub weekly_until: Option<NaiveDate>,
    pub address: String,
    pub organiser: String,
    pub price: String,
    pub booking: String,
    pub contact: Contact,
}

/// The kind-specific part of an entry, stored as JSON beside the real columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Details {
    Service(ServiceDetails),
    Association(AssociationDetails),
    Job(JobDetails),
    Housing(HousingDetails),
    Event(EventDetails),
}

impl Details {
    pub fn kind(&self) -> Kind {
        match self {
            Details::Service(_) => Kind::Service,
            Details::Association(_) => Kind::Association,
            Details::Job(_) => Kind::Job,
            Details::Housing(_) => Kind::Housing,
            Details::Event(_) => Kind::Event,
        }
    }

    pub fn contact(&self) -> &Contact {
        match self {
            Details::Service(d) => &d.contact,
            Details::Association(d) => &d.contact,
            Details::Job(d) => &d.contact,
            Details::Housing(d) => &d.contact,
            Details::Event(d) => &d.contact,
        }
    }

    pub fn description(&self) -> &str {
        match self {
            Details::Service(d) => &d.description,
            Details::Association(d) => &d.description,
            Details::Job(d) => &d.description,
            Details::Housing(d) => &d.description,
            Details::Event(d) => &d.description,
        }
    }

    /// Everything a resident may type to find the entry, beyond its title and summary: the
    /// description, who offers it, where, and the labels of its values (a contract type, the
    /// data·inclusion thématiques and publics), one part per line.
    pub fn search_text(&self) -> String {
        use crate::vocab;
        let labels = |list: &[vocab::Term], values: &[String]| -> Vec<String> {
            values
                .iter()
                .filter_map(|v| vocab::label(list, v).map(str::to_owned))
                .collect()
        };
        let mut parts: Vec<String> = vec![self.description().to_owned(), self.address().to_owned()];
        match self {
            Details::Service(d) => {
                parts.push(d.organisation.clone());
                parts.extend(labels(vocab::thematiques(), &d.themes));
                parts.extend(labels(vocab::publics(), &d.publics));
            }
            Details::Association(d) => {
                parts.push(d.activities.clone());
                parts.push(d.meeting_times.clone());
                parts.extend(labels(vocab::publics(), &d.publics));
            }
            Details::Job(d) => {
                parts.push(d.employer.clone());
                parts.extend(label_of(CONTRACTS, &d.contract).map(str::to_owned));
                parts.push(d.working_hours.clone());
            }
            Details::Housing(d) => {
                parts.extend(label_of(HOUSING_TYPES, &d.housing_type).map(str::to_owned));
                if d.furnished {
                    parts.push("meublé".to_owned());
                }
            }
            Details::Event(d) => {
                parts.push(d.organiser.clone());
            }
        }
        parts.retain(|p| !p.trim().is_empty());
        parts.join("\n")
    }

    pub fn address(&self) -> &str {
        match self {
            Details::Service(d) => &d.address,
            Details::Association(d) => &d.meeting_place,
            Details::Job(d) => &d.address,
            Details::Housing(d) => &d.address,
            Details::Event(d) => &d.address,
        }
    }
}

/// A checked entry: the real columns, the tags and the details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEntry {
    pub kind: Kind,
    pub title: String,
    pub slug: String,
    pub commune: String,
    pub summary: String,
    /// (facet, value) pairs the lists filter on: category, theme, theme_group, public, fees.
    pub tags: Vec<(&'static str, String)>,
    /// Events: start of the first occurrence, in UTC.
    pub starts_at: Option<NaiveDateTime>,
    /// Events: end of the last occurrence, in UTC.
    pub ends_at: Option<NaiveDateTime>,
    /// Offers: the moment they leave the lists (end of the expiry day in Paris), in UTC.
    pub expires_at: Option<NaiveDateTime>,
    /// Housing: monthly rent with charges, in euros (filter "maximum rent").
    pub amount_eur: Option<i32>,
    /// Jobs: the contract type; housing: the type of housing (single-valued filters).
    pub subtype: Option<String>,
    /// Events: every occurrence (start, end), in UTC.
    pub occurrences: Vec<(NaiveDateTime, NaiveDateTime)>,
    pub details: Details,
    pub change_summary: String,
}

impl ValidEntry {
    /// The edit summary typed, or `default` when none was.
    pub fn summary_or<'a>(&'a self, default: &'a str) -> &'a str {
        if self.change_summary.is_empty() {
            default
        } else {
            &self.change_summary
        }
    }
}

impl EventDetails {
    /// Every occurrence (local start, local end), the first one included.
    pub fn occurrences(&self) -> Vec<(NaiveDateTime, NaiveDateTime)> {
        let mut out = vec![(self.starts_at, self.ends_at)];
        if let Some(until) = self.weekly_until {
            // Checked: details read back from the database are not re-validated.
            let week = chrono::Duration::weeks(1);
            let length = self.ends_at - self.starts_at;
            let mut start = self.starts_at.checked_add_signed(week);
            while let Some(s) = start
                && s.date() <= until
                && out.len() < 60
            {
                let Some(end) = s.checked_add_signed(length) else {
                    break;
                };
                out.push((s, end));
                start = s.checked_add_signed(week);
            }
        }
        out
    }
}
