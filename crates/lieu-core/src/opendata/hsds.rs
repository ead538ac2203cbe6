//! Open Referral HSDS 3: organizations, services, locations and schedules, one JSON array of
//! each (the tables of the standard, validated against its schemas in `tests/schemas/hsds-3`).
//!
//! As for data·inclusion, a service entry gives an organization (named after the
//! organisation), a service, a location (its address in its commune) and its schedules; an
//! association gives an organization and a location. Identifiers are UUIDs derived from the
//! entry's public address, so that they stay the same from one export to the next.
//! Thématiques, publics and modes d’accueil are attributes whose taxonomy terms are
//! data·inclusion's.
//!
//! Opening hours in OpenStreetMap syntax become weekly schedules when they are simple (days,
//! then times: `Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00`); otherwise one schedule
//! carries them as its description.

use super::{Producer, PublicEntry, departement, e164, long_text};
use crate::entry::{Details, HELP_MODES, label_of};
use crate::vocab;
use serde_json::{Value, json};
use uuid::Uuid;

/// The records of one entry, one list per table.
#[derive(Debug, Default)]
pub struct Records {
    pub organizations: Vec<Value>,
    pub services: Vec<Value>,
    pub locations: Vec<Value>,
    pub schedules: Vec<Value>,
}

fn id(url: &str, part: &str) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{url}#{part}").as_bytes()).to_string()
}

/// Drops the keys whose value is null or an empty string or list: HSDS fields are optional
/// but typed, and `null` is not a string.
fn compact(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.retain(|_, v| match v {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        });
    }
    value
}

const DAYS: [(&str, &str); 7] = [
    ("Mo", "MO"),
    ("Tu", "TU"),
    ("We", "WE"),
    ("Th", "TH"),
    ("Fr", "FR"),
    ("Sa", "SA"),
    ("Su", "SU"),
];

fn day_index(osm: &str) -> Option<usize> {
    DAYS.iter().position(|(d, _)| *d == osm)
}

fn valid_time(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && t[..2].parse::<u32>().is_ok_and(|h| h <= 24)
        && t[3..].parse::<u32>().is_ok_and(|m| m < 60)
}

/// Weekly slots (days as RFC 5545 `BYDAY`, opens, closes) of simple OSM opening hours, or
/// `None` when the rule says more than days and times.
pub fn weekly_slots(osm: &str) -> Option<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for rule in osm.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        let (days, times) = rule.split_once(' ')?;
        let mut byday = Vec::new();
        for part in days.split(',') {
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day_index(a)?, day_index(b)?);
                    if a > b {
                        return None;
                    }
                    byday.extend((a..=b).map(|i| DAYS[i].1));
                }
                None => byday.push(DAYS[day_index(part)?].1),
            }
        }
        for range in times.trim().split(',') {
            let (open, close) = range.trim().split_once('-')?;
            if !valid_time(open) || !valid_time(close) {
                return None;
            }
            out.push((byday.join(","), open.to_owned(), close.to_owned()));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// OSM opening hours from weekly slots, the reverse of [`weekly_slots`]: slots of the same
/// days share a rule.
pub fn osm_of_slots(slots: &[(String, String, String)]) -> String {
    let mut rules: Vec<(String, Vec<String>)> = Vec::new();
    for (byday, open, close) in slots {
        let days: Vec<&str> = byday
            .split(',')
            .filter_map(|d| DAYS.iter().find(|(_, r)| *r == d.trim()).map(|(o, _)| *o))
            .collect();
        let days = match days.as_slice() {
            [] => continue,
            [one] => (*one).to_owned(),
            [first, .., last]
                if day_index(last)
                    .zip(day_index(first))
                    .map(|(l, f)| l - f + 1)
                    == Some(days.len()) =>
            {
                format!("{first}-{last}")
            }
            many => many.join(","),
        };
        let time = format!("{open}-{close}");
        match rules.iter_mut().find(|(d, _)| *d == days) {
            Some((_, times)) => times.push(time),
            None => rules.push((days, vec![time])),
        }
    }
    rules
        .into_iter()
        .map(|(d, t)| format!("{d} {}", t.join(",")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn attribute(url: &str, link: &str, taxonomy: &str, term: &vocab::Term) -> Value {
    let term_id = id(&format!("{taxonomy}/{}", term.value), "term");
    json!({
        "id": id(url, &format!("attribute-{taxonomy}-{}", term.value)),
        "link_id": link,
        "link_type": taxonomy,
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "value": term.value,
        "taxonomy_term": {
            "id": term_id,
            "code": term.value,
            "name": term.label,
            "description": term.label,
            "taxonomy": format!("data·inclusion {taxonomy}"),
        }
    })
}

/// The HSDS records of an entry: empty for kinds other than services and associations.
pub fn records(producer: &Producer, e: &PublicEntry) -> Records {
    let url = producer.entry_url(e);
    let contact = e.details.contact();
    let (org_name, address, description) = match &e.details {
        Details::Service(d) => (
            if d.organisation.trim().is_empty() {
                e.title.clone()
            } else {
                d.organisation.clone()
            },
            d.address.clone(),
            long_text(&e.title, &e.summary, &d.description),
        ),
        Details::Association(d) => (
            e.title.clone(),
            d.meeting_place.clone(),
            long_text(&e.title, &e.summary, &d.description),
        ),
        _ => return Records::default(),
    };
    let org_id = id(&url, "organization");
    let location_id = id(&url, "location");
    let last_modified = e
        .updated_at
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut out = Records::default();
    let is_service = matches!(e.details, Details::Service(_));
    out.organizations.push(compact(json!({
        "id": org_id,
        "name": org_name,
        "description": if is_service { e.summary.clone() } else { description.clone() },
        "email": contact.email,
        "website": contact.website,
        "uri": url,
    })));
    out.locations.push(compact(json!({
        "id": location_id,
        "location_type": "physical",
        "organization_id": org_id,
        "name": e.title,
        "addresses": [compact(json!({
            "id": id(&url, "address"),
            "location_id": location_id,
            "address_1": if address.trim().is_empty() { e.commune.name.clone() } else { address.clone() },
            "city": e.commune.name,
            "state_province": departement(&e.commune.insee),
            "postal_code": e.commune.postcode,
            "country": "FR",
            "address_type": "physical",
        }))],
    })));
    let Details::Service(d) = &e.details else {
        return out;
    };
    let service_id = id(&url, "service");
    let mut attributes = Vec::new();
    for (taxonomy, values, list) in [
        ("thematiques", &d.themes, vocab::thematiques()),
        ("publics", &d.publics, vocab::publics()),
        ("modes_accueil", &d.reception, vocab::modes_accueil()),
    ] {
        for v in values {
            if let Some(term) = list.iter().find(|t| &t.value == v) {
                attributes.push(attribute(&url, &service_id, taxonomy, term));
            }
        }
    }
    let fees = [
        d.fees
            .as_deref()
            .and_then(|f| vocab::label(vocab::frais(), f))
            .unwrap_or_default(),
        d.fees_details.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" — ");
    let help: Vec<&str> = d
        .help_modes
        .iter()
        .filter_map(|h| label_of(HELP_MODES, h))
        .collect();
    out.services.push(compact(json!({
        "id": service_id,
        "organization_id": org_id,
        "name": e.title,
        "description": description,
        "url": contact.website,
        "email": contact.email,
        "status": "active",
        "fees_description": fees,
        "application_process": help.join(", "),
        "last_modified": last_modified,
        "phones": contact.phone.as_deref().map(|p| vec![json!({
            "id": id(&url, "phone"),
            "service_id": service_id,
            "number": e164(p),
        })]).unwrap_or_default(),
        "service_at_locations": [{
            "id": id(&url, "service-at-location"),
            "service_id": service_id,
            "location_id": location_id,
        }],
        "attributes": attributes,
    })));
    if let Some(osm) = &d.opening_hours {
        match weekly_slots(osm) {
            Some(slots) => {
                for (i, (byday, opens, closes)) in slots.into_iter().enumerate() {
                    out.schedules.push(json!({
                        "id": id(&url, &format!("schedule-{i}")),
                        "service_id": service_id,
                        "location_id": location_id,
                        "freq": "WEEKLY",
                        "wkst": "MO",
                        "byday": byday,
                        "opens_at": opens,
                        "closes_at": closes,
                    }));
                }
            }
            None => out.schedules.push(json!({
                "id": id(&url, "schedule-0"),
                "service_id": service_id,
                "location_id": location_id,
                "description": osm,
                "notes": "Horaires au format OpenStreetMap opening_hours",
            })),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_opening_hours_become_weekly_slots_and_back() {
        let osm = "Tu-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:30; Sa 09:00-12:00";
        let slots = weekly_slots(osm).expect("simple");
        assert_eq!(slots.len(), 4);
        assert_eq!(
            slots[0],
            ("TU,WE,TH".into(), "09:00".into(), "12:30".into())
        );
        assert_eq!(osm_of_slots(&slots), osm);
        assert_eq!(weekly_slots("Mo-Fr 08:00-18:00; PH off"), None);
        assert_eq!(weekly_slots("24/7"), None);
    }
}

/// What an HSDS service and the records it points to say, as an entry form (import). The
/// commune is found among `communes` by the address's postcode and city.
pub mod import {
    use super::{osm_of_slots, weekly_slots};
    use crate::entry::{EntryForm, HELP_MODES};
    use crate::opendata::{CommuneRef, split_long_text};
    use crate::vocab;
    use serde_json::Value;

    fn s<'a>(v: &'a Value, key: &str) -> &'a str {
        v.get(key).and_then(Value::as_str).unwrap_or_default()
    }

    fn fold(s: &str) -> String {
        deunicode::deunicode(s)
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect()
    }

    /// The commune of an HSDS address: postcode and city, or the postcode alone when only
    /// one commune of the territory has it.
    pub fn commune_of<'a>(address: &Value, communes: &'a [CommuneRef]) -> Option<&'a CommuneRef> {
        let postcode = s(address, "postal_code").trim();
        let city = fold(s(address, "city"));
        let same_code: Vec<&CommuneRef> =
            communes.iter().filter(|c| c.postcode == postcode).collect();
        same_code
            .iter()
            .find(|c| fold(&c.name) == city)
            .copied()
            .or(match same_code.as_slice() {
                [one] => Some(*one),
                _ => None,
            })
    }

    /// The form of a service entry read from an HSDS service, its organization, its location
    /// and its schedules; or the reasons it is refused.
    pub fn service_form(
        service: &Value,
        organization: Option<&Value>,
        location: Option<&Value>,
        schedules: &[Value],
        communes: &[CommuneRef],
    ) -> Result<EntryForm, Vec<String>> {
        let mut reasons = Vec::new();
        let address = location
            .and_then(|l| l.get("addresses"))
            .and_then(Value::as_array)
            .and_then(|a| a.first());
        let commune = match address {
            None => {
                reasons.push("aucune adresse (location.addresses) : commune inconnue".to_owned());
                None
            }
            Some(a) => {
                let c = commune_of(a, communes);
                if c.is_none() {
                    reasons.push(format!(
                        "commune hors du territoire : {} {}",
                        s(a, "postal_code").chars().take(10).collect::<String>(),
                        s(a, "city").chars().take(60).collect::<String>()
                    ));
                }
                c
            }
        };
        let mut themes = Vec::new();
        let mut publics = Vec::new();
        let mut reception = Vec::new();
        for attribute in service
            .get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let code = attribute
                .get("taxonomy_term")
                .map(|t| s(t, "code"))
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| s(attribute, "value"));
            match s(attribute, "link_type") {
                "thematiques" if vocab::contains(vocab::thematiques(), code) => {
                    themes.push(code.to_owned())
                }
                "publics" if vocab::contains(vocab::publics(), code) => {
                    publics.push(code.to_owned())
                }
                "modes_accueil" if vocab::contains(vocab::modes_accueil(), code) => {
                    reception.push(code.to_owned())
                }
                "thematiques" | "publics" | "modes_accueil" => reasons.push(format!(
                    "{} : valeur hors du référentiel data·inclusion : {}",
                    s(attribute, "link_type"),
                    code.chars().take(80).collect::<String>()
                )),
                _ => {}
            }
        }
        if !reasons.is_empty() {
            return Err(reasons);
        }
        let (summary, description) = split_long_text(s(service, "description"));
        let fees_text = s(service, "fees_description");
        let (fees, fees_details) = match vocab::frais()
            .iter()
            .find(|t| fees_text == t.label || fees_text.starts_with(&format!("{} — ", t.label)))
        {
            Some(t) => (
                t.value.clone(),
                fees_text
                    .strip_prefix(&format!("{} — ", t.label))
                    .unwrap_or_default()
                    .to_owned(),
            ),
            None => (String::new(), fees_text.to_owned()),
        };
        let help_modes: Vec<String> = s(service, "application_process")
            .split(", ")
            .filter_map(|p| {
                HELP_MODES
                    .iter()
                    .find(|(_, l)| *l == p)
                    .map(|(v, _)| (*v).to_owned())
            })
            .collect();
        let slots: Vec<(String, String, String)> = schedules
            .iter()
            .filter(|sc| !s(sc, "byday").is_empty())
            .map(|sc| {
                (
                    s(sc, "byday").to_owned(),
                    s(sc, "opens_at").to_owned(),
                    s(sc, "closes_at").to_owned(),
                )
            })
            .collect();
        let opening_hours = if slots.is_empty() {
            schedules
                .iter()
                .map(|sc| s(sc, "description"))
                .find(|d| crate::entry::valid_opening_hours(d))
                .unwrap_or_default()
                .to_owned()
        } else {
            let osm = osm_of_slots(&slots);
            // Only slots that read back the same are trusted.
            if weekly_slots(&osm).is_some() {
                osm
            } else {
                String::new()
            }
        };
        let commune = commune.cloned().unwrap_or_default();
        let street = address.map(|a| s(a, "address_1")).unwrap_or_default();
        Ok(EntryForm {
            title: s(service, "name").to_owned(),
            commune: commune.insee.clone(),
            summary,
            description,
            organisation: organization
                .map(|o| s(o, "name"))
                .filter(|n| *n != s(service, "name"))
                .unwrap_or_default()
                .to_owned(),
            themes,
            publics,
            fees,
            fees_details,
            address: if fold(street) == fold(&commune.name) {
                String::new()
            } else {
                street.to_owned()
            },
            phone: service
                .get("phones")
                .and_then(Value::as_array)
                .and_then(|p| p.first())
                .map(|p| s(p, "number"))
                .unwrap_or_default()
                .to_owned(),
            email: Some(s(service, "email"))
                .filter(|e| !e.is_empty())
                .or_else(|| organization.map(|o| s(o, "email")))
                .unwrap_or_default()
                .to_owned(),
            website: Some(s(service, "url"))
                .filter(|e| !e.is_empty())
                .or_else(|| organization.map(|o| s(o, "website")))
                .unwrap_or_default()
                .to_owned(),
            opening_hours,
            help_modes,
            reception,
            ..EntryForm::default()
        })
    }
}
