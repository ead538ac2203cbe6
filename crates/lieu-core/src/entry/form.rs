//! The entry form: what an agent typed, checked against the territory into a
//! [`ValidEntry`], and the form pre-filled from a stored entry.

use super::time::{Parsed, end_of_paris_day, paris_to_utc, parse_date_field, parse_datetime_field};
use super::{
    AssociationDetails, CONTRACTS, Contact, Details, EventDetails, HELP_MODES, HOUSING_TYPES,
    HousingDetails, JobDetails, Kind, ServiceDetails, ValidEntry, label_of,
};
use crate::slug::slugify;
use crate::validation::Invalid;
use crate::vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A directory entry as the form sent it: every field a string, multi-valued fields as lists.
/// Field names are shared between kinds where the meaning is the same.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryForm {
    pub title: String,
    pub commune: String,
    pub summary: String,
    pub description: String,
    pub categories: Vec<String>,
    pub address: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub publics: Vec<String>,
    // service
    pub organisation: String,
    pub themes: Vec<String>,
    pub fees: String,
    pub fees_details: String,
    pub reception: Vec<String>,
    pub opening_hours: String,
    pub accessibility: String,
    pub help_modes: Vec<String>,
    // association
    pub activities: String,
    pub membership_fee: String,
    pub meeting_times: String,
    // job
    pub employer: String,
    pub contract: String,
    pub working_hours: String,
    pub salary: String,
    pub how_to_apply: String,
    pub published_on: String,
    pub expires_on: String,
    // housing
    pub housing_type: String,
    pub rent: String,
    pub charges: String,
    pub surface: String,
    pub rooms: String,
    pub furnished: String,
    pub available_from: String,
    // event
    pub starts_at: String,
    pub ends_at: String,
    pub weekly_until: String,
    pub organiser: String,
    pub price: String,
    pub booking: String,
    /// Edit summary of the revision.
    pub change_summary: String,
}

/// What validation needs to know about the world.
pub struct Rules<'a> {
    /// INSEE codes of the territory's communes.
    pub communes: &'a [String],
    /// Category slugs allowed for the kind being validated.
    pub categories: &'a [String],
    /// Today, in Paris.
    pub today: NaiveDate,
}

pub const TITLE_MAX: usize = 120;
pub const SUMMARY_MAX: usize = 300;
pub const TEXT_MAX: usize = 5_000;
pub const FIELD_MAX: usize = 300;
/// How far ahead an offer may expire or a weekly event repeat.
const A_YEAR: chrono::Days = chrono::Days::new(366);

/// Characters no published text keeps: control characters (terminal escapes, bells) and the
/// bidirectional overrides and isolates, which can make a title read differently from what it
/// holds (U+202E turns the rest of a line around).
pub fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200B}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// One line of text: whitespace collapsed, unprintable characters dropped.
pub fn clean(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| !is_unprintable(*c))
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| !is_unprintable(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

fn opt(s: &str) -> Option<String> {
    let s = clean(s);
    (!s.is_empty()).then_some(s)
}

/// A value that must be one of `list`'s: reports `missing` when empty, `value_unknown` when
/// not in the list; returns the trimmed value either way (the form shows it again).
fn required_choice(
    e: &mut Invalid,
    field: &'static str,
    value: &str,
    list: &'static [(&'static str, &'static str)],
    missing: &'static str,
) -> String {
    let value = value.trim().to_owned();
    if value.is_empty() {
        e.add(field, missing);
    } else if label_of(list, &value).is_none() {
        e.add(field, "value_unknown");
    }
    value
}

fn parse_amount(s: &str) -> Option<u32> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    s.parse().ok()
}

/// A French phone number: ten digits (spaces, dots and dashes allowed), or +33 and nine.
pub fn normalize_phone(s: &str) -> Option<String> {
    let digits: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    let national = if let Some(rest) = digits.strip_prefix("+33") {
        format!("0{rest}")
    } else {
        digits
    };
    if national.len() != 10 || !national.starts_with('0') || national.contains('+') {
        return None;
    }
    let pairs: Vec<&str> = (0..5).map(|i| &national[i * 2..i * 2 + 2]).collect();
    Some(pairs.join(" "))
}

/// Whether `s` looks like an e-mail address: something, @, a domain with a dot, no space.
pub fn valid_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && s.len() <= 254
}

fn valid_website(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 10
        && !s.contains(char::is_whitespace)
}

/// Checks an OSM `opening_hours` value with the `opening-hours` crate's parser.
pub fn valid_opening_hours(s: &str) -> bool {
    s.parse::<opening_hours::OpeningHours>().is_ok()
}

impl EntryForm {
    pub fn validate(&self, kind: Kind, rules: &Rules<'_>) -> Result<ValidEntry, Invalid> {
        let mut e = Invalid::default();
        let title = clean(&self.title);
        if title.is_empty() {
            e.add("title", "entry_title_required");
        } else if title.chars().count() > TITLE_MAX {
            e.add("title", "title_too_long");
        }
        let slug = slugify(&title);
        if !title.is_empty() && slug.is_empty() {
            e.add("title", "title_needs_letters");
        }
        let summary = clean(&self.summary);
        if summary.is_empty() {
            e.add("summary", "summary_required");
        } else if summary.chars().count() > SUMMARY_MAX {
            e.add("summary", "entry_summary_too_long");
        }
        let commune = self.commune.trim().to_owned();
        if commune.is_empty() {
            e.add("commune", "commune_required");
        } else if !rules.communes.contains(&commune) {
            e.add("commune", "commune_unknown");
        }
        let description = clean_text(&self.description);
        if description.chars().count() > TEXT_MAX {
            e.add("description", "text_too_long");
        }
        for (field, value) in [
            ("address", &self.address),
            ("contact_name", &self.contact_name),
            ("organisation", &self.organisation),
            ("employer", &self.employer),
            ("organiser", &self.organiser),
            ("working_hours", &self.working_hours),
            ("salary", &self.salary),
            ("price", &self.price),
            ("membership_fee", &self.membership_fee),
            ("meeting_times", &self.meeting_times),
            ("fees_details", &self.fees_details),
        ] {
            if value.chars().count() > FIELD_MAX {
                e.add(field, "field_too_long");
            }
        }
        for (field, value) in [
            ("activities", &self.activities),
            ("how_to_apply", &self.how_to_apply),
            ("booking", &self.booking),
            ("accessibility", &self.accessibility),
        ] {
            if value.chars().count() > TEXT_MAX {
                e.add(field, "text_too_long");
            }
        }
        let mut categories: Vec<String> = self
            .categories
            .iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        categories.sort();
        categories.dedup();
        if categories.iter().any(|c| !rules.categories.contains(c)) {
            e.add("categories", "category_unknown");
        }
        let contact = self.contact(&mut e);
        let publics = self.checked_list(&self.publics, "publics", vocab::publics(), &mut e);

        let mut tags: Vec<(&'static str, String)> =
            categories.iter().map(|c| ("category", c.clone())).collect();
        tags.extend(publics.iter().map(|p| ("public", p.clone())));
        let mut starts_at = None;
        let mut ends_at = None;
        let mut expires_at = None;
        let mut amount_eur = None;

        let details = match kind {
            Kind::Service => {
                let themes =
                    self.checked_list(&self.themes, "themes", vocab::thematiques(), &mut e);
                let mut groups: Vec<String> = themes
                    .iter()
                    .map(|t| vocab::theme_group(t).to_owned())
                    .collect();
                groups.dedup();
                tags.extend(themes.iter().map(|t| ("theme", t.clone())));
                tags.extend(groups.into_iter().map(|g| ("theme_group", g)));
                let fees = opt(&self.fees);
                if let Some(f) = &fees {
                    if vocab::contains(vocab::frais(), f) {
                        tags.push(("fees", f.clone()));
                    } else {
                        e.add("fees", "value_unknown");
                    }
                }
                let reception =
                    self.checked_list(&self.reception, "reception", vocab::modes_accueil(), &mut e);
                let help_modes =
                    self.checked_pairs(&self.help_modes, "help_modes", HELP_MODES, &mut e);
                let opening_hours = opt(&self.opening_hours);
                if let Some(oh) = &opening_hours
                    && !valid_opening_hours(oh)
                {
                    e.add("opening_hours", "opening_hours_invalid");
                }
                Details::Service(ServiceDetails {
                    organisation: clean(&self.organisation),
                    description,
                    themes,
                    publics,
                    fees,
                    fees_details: clean(&self.fees_details),
                    reception,
                    address: clean(&self.address),
                    contact,
                    opening_hours,
                    accessibility: clean_text(&self.accessibility),
                    help_modes,
                })
            }
            Kind::Association => Details::Association(AssociationDetails {
                description,
                activities: clean_text(&self.activities),
                publics,
                membership_fee: clean(&self.membership_fee),
                meeting_place: clean(&self.address),
                meeting_times: clean(&self.meeting_times),
                contact,
            }),
            Kind::Job => {
                let contract = required_choice(
                    &mut e,
                    "contract",
                    &self.contract,
                    CONTRACTS,
                    "contract_required",
                );
                if clean(&self.employer).is_empty() {
                    e.add("employer", "employer_required");
                }
                if clean_text(&self.how_to_apply).is_empty() {
                    e.add("how_to_apply", "how_to_apply_required");
                }
                let published_on = match parse_date_field(&self.published_on) {
                    Parsed::Empty => Some(rules.today),
                    parsed => {
                        parsed.report(&mut e, "published_on", "date_invalid");
                        parsed.ok()
                    }
                };
                let expires_on = self.expiry(&mut e, published_on.unwrap_or(rules.today));
                expires_at = expires_on.map(end_of_paris_day);
                Details::Job(JobDetails {
                    employer: clean(&self.employer),
                    description,
                    contract,
                    working_hours: clean(&self.working_hours),
                    address: clean(&self.address),
                    salary: clean(&self.salary),
                    how_to_apply: clean_text(&self.how_to_apply),
                    published_on: published_on.unwrap_or(rules.today),
                    expires_on: expires_on.unwrap_or(rules.today),
                    contact,
                })
            }
            Kind::Housing => {
                let housing_type = required_choice(
                    &mut e,
                    "housing_type",
                    &self.housing_type,
                    HOUSING_TYPES,
                    "housing_type_required",
                );
                let rent = parse_amount(&self.rent);
                match rent {
                    None => e.add("rent", "amount_invalid"),
                    Some(r) if r > 20_000 => e.add("rent", "amount_invalid"),
                    Some(_) => {}
                }
                let charges = if self.charges.trim().is_empty() {
                    Some(0)
                } else {
                    parse_amount(&self.charges)
                };
                if charges.is_none_or(|c| c > 5_000) {
                    e.add("charges", "amount_invalid");
                }
                let number = |s: &str, field: &'static str, e: &mut Invalid| {
                    if s.trim().is_empty() {
                        return None;
                    }
                    let n = parse_amount(s);
                    if n.is_none_or(|n| n == 0 || n > 10_000) {
                        e.add(field, "number_invalid");
                    }
                    n
                };
                let surface_m2 = number(&self.surface, "surface", &mut e);
                let rooms = number(&self.rooms, "rooms", &mut e);
                let available_from = parse_date_field(&self.available_from);
                available_from.report(&mut e, "available_from", "date_invalid");
                let available_from = available_from.ok();
                let expires_on = self.expiry(&mut e, rules.today);
                expires_at = expires_on.map(end_of_paris_day);
                // Out-of-range amounts were reported above; the sum must still not overflow.
                let total = rent.unwrap_or(0).saturating_add(charges.unwrap_or(0));
                amount_eur = Some(i32::try_from(total).unwrap_or(i32::MAX));
                Details::Housing(HousingDetails {
                    housing_type,
                    description,
                    rent_eur: rent.unwrap_or(0),
                    charges_eur: charges.unwrap_or(0),
                    surface_m2,
                    rooms,
                    furnished: matches!(self.furnished.trim(), "oui" | "on" | "true" | "1"),
                    available_from,
                    address: clean(&self.address),
                    expires_on: expires_on.unwrap_or(rules.today),
                    contact,
                })
            }
            Kind::Event => {
                let start = parse_datetime_field(&self.starts_at);
                if let Parsed::Empty = start {
                    e.add("starts_at", "starts_at_required");
                }
                start.report(&mut e, "starts_at", "datetime_invalid");
                let start = start.ok();
                let end = match parse_datetime_field(&self.ends_at) {
                    // Two hours by default; the start's range check leaves room for them.
                    Parsed::Empty => {
                        start.and_then(|s| s.checked_add_signed(chrono::Duration::hours(2)))
                    }
                    parsed => {
                        parsed.report(&mut e, "ends_at", "datetime_invalid");
                        parsed.ok()
                    }
                };
                if let (Some(s), Some(en)) = (start, end)
                    && en < s
                {
                    e.add("ends_at", "ends_before_start");
                }
                let weekly_until = parse_date_field(&self.weekly_until);
                weekly_until.report(&mut e, "weekly_until", "date_invalid");
                let weekly_until = weekly_until.ok();
                match (weekly_until, start) {
                    (Some(d), Some(s)) if d < s.date() => {
                        e.add("weekly_until", "weekly_until_before_start")
                    }
                    (Some(d), Some(s)) if Some(d) > s.date().checked_add_days(A_YEAR) => {
                        e.add("weekly_until", "weekly_until_too_far")
                    }
                    _ => {}
                }
                let (s, en) = (start.unwrap_or_default(), end.unwrap_or_default());
                let details = EventDetails {
                    description,
                    starts_at: s,
                    ends_at: en,
                    weekly_until,
                    address: clean(&self.address),
                    organiser: clean(&self.organiser),
                    price: clean(&self.price),
                    booking: clean_text(&self.booking),
                    contact,
                };
                starts_at = Some(paris_to_utc(s));
                ends_at = Some(paris_to_utc(
                    details
                        .occurrences()
                        .last()
                        .map_or(en, |(_, last_end)| *last_end),
                ));
                Details::Event(details)
            }
        };
        let change_summary = clean(&self.change_summary);
        if change_summary.chars().count() > 200 {
            e.add("change_summary", "summary_too_long");
        }
        e.into_result(ValidEntry {
            kind,
            title,
            slug,
            commune,
            summary,
            tags,
            starts_at,
            ends_at,
            expires_at,
            amount_eur,
            occurrences: match &details {
                Details::Event(d) => d
                    .occurrences()
                    .into_iter()
                    .map(|(s, e)| (paris_to_utc(s), paris_to_utc(e)))
                    .collect(),
                _ => Vec::new(),
            },
            subtype: match &details {
                Details::Job(d) => Some(d.contract.clone()),
                Details::Housing(d) => Some(d.housing_type.clone()),
                _ => None,
            },
            details,
            change_summary,
        })
    }

    fn expiry(&self, e: &mut Invalid, not_before: NaiveDate) -> Option<NaiveDate> {
        if self.expires_on.trim().is_empty() {
            e.add("expires_on", "expires_on_required");
            return None;
        }
        let parsed = parse_date_field(&self.expires_on);
        parsed.report(e, "expires_on", "date_invalid");
        match parsed.ok() {
            None => None,
            Some(d) if d < not_before => {
                e.add("expires_on", "expires_in_the_past");
                Some(d)
            }
            Some(d) if Some(d) > not_before.checked_add_days(A_YEAR) => {
                e.add("expires_on", "expires_too_far");
                Some(d)
            }
            Some(d) => Some(d),
        }
    }

    fn contact(&self, e: &mut Invalid) -> Contact {
        let phone = if self.phone.trim().is_empty() {
            None
        } else {
            let p = normalize_phone(&self.phone);
            if p.is_none() {
                e.add("phone", "phone_invalid");
            }
            p
        };
        let email = opt(&self.email);
        if email.as_deref().is_some_and(|m| !valid_email(m)) {
            e.add("email", "email_invalid");
        }
        let website = opt(&self.website);
        if website.as_deref().is_some_and(|w| !valid_website(w)) {
            e.add("website", "website_invalid");
        }
        Contact {
            name: opt(&self.contact_name),
            phone,
            email,
            website,
        }
    }

    fn checked_list(
        &self,
        values: &[String],
        field: &'static str,
        list: &[vocab::Term],
        e: &mut Invalid,
    ) -> Vec<String> {
        let mut out: Vec<String> = values
            .iter()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        out.sort();
        out.dedup();
        if out.iter().any(|v| !vocab::contains(list, v)) {
            e.add(field, "value_unknown");
        }
        out
    }

    fn checked_pairs(
        &self,
        values: &[String],
        field: &'static str,
        list: &'static [(&'static str, &'static str)],
        e: &mut Invalid,
    ) -> Vec<String> {
        let mut out: Vec<String> = values
            .iter()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        out.dedup();
        if out.iter().any(|v| label_of(list, v).is_none()) {
            e.add(field, "value_unknown");
        }
        out
    }

    /// The form pre-filled with a stored entry, for editing.
    pub fn from_entry(
        title: &str,
        commune: &str,
        summary: &str,
        categories: &[String],
        details: &Details,
    ) -> EntryForm {
        let mut f = EntryForm {
            title: title.to_owned(),
            commune: commune.to_owned(),
            summary: summary.to_owned(),
            categories: categories.to_vec(),
            description: details.description().to_owned(),
            address: details.address().to_owned(),
            ..EntryForm::default()
        };
        let c = details.contact();
        f.contact_name = c.name.clone().unwrap_or_default();
        f.phone = c.phone.clone().unwrap_or_default();
        f.email = c.email.clone().unwrap_or_default();
        f.website = c.website.clone().unwrap_or_default();
        match details {
            Details::Service(d) => {
                f.organisation = d.organisation.clone();
                f.themes = d.themes.clone();
                f.publics = d.publics.clone();
                f.fees = d.fees.clone().unwrap_or_default();
                f.fees_details = d.fees_details.clone();
                f.reception = d.reception.clone();
                f.opening_hours = d.opening_hours.clone().unwrap_or_default();
                f.accessibility = d.accessibility.clone();
                f.help_modes = d.help_modes.clone();
            }
            Details::Association(d) => {
                f.activities = d.activities.clone();
                f.publics = d.publics.clone();
                f.membership_fee = d.membership_fee.clone();
                f.meeting_times = d.meeting_times.clone();
            }
            Details::Job(d) => {
                f.employer = d.employer.clone();
                f.contract = d.contract.clone();
                f.working_hours = d.working_hours.clone();
                f.salary = d.salary.clone();
                f.how_to_apply = d.how_to_apply.clone();
                f.published_on = d.published_on.format("%Y-%m-%d").to_string();
                f.expires_on = d.expires_on.format("%Y-%m-%d").to_string();
            }
            Details::Housing(d) => {
                f.housing_type = d.housing_type.clone();
                f.rent = d.rent_eur.to_string();
                f.charges = d.charges_eur.to_string();
                f.surface = d.surface_m2.map(|s| s.to_string()).unwrap_or_default();
                f.rooms = d.rooms.map(|s| s.to_string()).unwrap_or_default();
                f.furnished = if d.furnished {
                    "oui".into()
                } else {
                    String::new()
                };
                f.available_from = d
                    .available_from
                    .map(|a| a.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                f.expires_on = d.expires_on.format("%Y-%m-%d").to_string();
            }
            Details::Event(d) => {
                f.starts_at = d.starts_at.format("%Y-%m-%dT%H:%M").to_string();
                f.ends_at = d.ends_at.format("%Y-%m-%dT%H:%M").to_string();
                f.weekly_until = d
                    .weekly_until
                    .map(|w| w.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                f.organiser = d.organiser.clone();
                f.price = d.price.clone();
                f.booking = d.booking.clone();
            }
        }
        f
    }
}
