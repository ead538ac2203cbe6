//! data·inclusion v1: structures and services (`schema/data-inclusion-v1`).
//!
//! Export: a service entry gives a structure (the place, named after the organisation) and a
//! service of the same identifier; an association gives a structure. Values of the lists
//! (thématiques, publics, frais, modes d’accueil) are the standard's already; lieu's ways of
//! getting help map to the standard's modes de mobilisation, and their French labels are kept
//! in `mobilisation_precisions`, which is how an import gets all of them back.
//!
//! Import: a service and its structure give the form of a service entry; every value of a list
//! must be one of the standard's, and the entry form's validation does the rest.

use super::{CommuneRef, Producer, PublicEntry, e164, long_text, split_long_text};
use crate::entry::{Details, EntryForm, HELP_MODES, label_of};
use crate::vocab;
use serde::{Deserialize, Serialize};

/// A structure. Field names and order are the standard's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Structure {
    pub source: String,
    pub id: String,
    pub nom: String,
    pub date_maj: String,
    pub siret: Option<String>,
    pub commune: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site_web: Option<String>,
    pub description: Option<String>,
    pub lien_source: Option<String>,
    pub horaires_accueil: Option<String>,
    pub accessibilite_lieu: Option<String>,
    pub reseaux_porteurs: Option<Vec<String>>,
}

/// A service. Field names and order are the standard's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Service {
    pub source: String,
    pub id: String,
    pub structure_id: String,
    pub nom: String,
    pub description: String,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub thematiques: Option<Vec<String>>,
    pub frais: Option<String>,
    pub frais_precisions: Option<String>,
    pub publics: Option<Vec<String>>,
    pub publics_precisions: Option<String>,
    pub conditions_acces: Option<String>,
    pub commune: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub contact_nom_prenom: Option<String>,
    pub date_maj: String,
    pub lien_source: Option<String>,
    pub modes_accueil: Option<Vec<String>>,
    pub zone_eligibilite: Option<Vec<String>>,
    pub lien_mobilisation: Option<String>,
    pub modes_mobilisation: Option<Vec<String>>,
    pub mobilisable_par: Option<Vec<String>>,
    pub mobilisation_precisions: Option<String>,
    pub horaires_accueil: Option<String>,
    pub volume_horaire_hebdomadaire: Option<f64>,
    pub nombre_semaines: Option<i64>,
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn non_empty(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}

/// A name between 3 and 150 characters that does not end with a full stop, as the standard
/// asks.
fn nom(name: &str, commune: &CommuneRef) -> String {
    let mut nom = name.trim().trim_end_matches('.').trim().to_owned();
    if nom.chars().count() < 3 {
        nom = format!("{nom} ({})", commune.name);
    }
    nom.chars().take(150).collect()
}

/// lieu's ways of getting help → the standard's modes de mobilisation.
fn mobilisation_mode(help_mode: &str) -> Option<&'static str> {
    match help_mode {
        "sans-rendez-vous" => Some("se-presenter"),
        "telephone" => Some("telephoner"),
        "en-ligne" => Some("utiliser-lien-mobilisation"),
        _ => None,
    }
}

/// The structure of a service entry or an association; `None` for other kinds.
pub fn structure(producer: &Producer, e: &PublicEntry) -> Option<Structure> {
    let contact = e.details.contact();
    let (name, description, address) = match &e.details {
        Details::Service(d) => {
            let name = if d.organisation.trim().is_empty() {
                &e.title
            } else {
                &d.organisation
            };
            (name.as_str(), None, d.address.as_str())
        }
        Details::Association(d) => (
            e.title.as_str(),
            Some(long_text(&e.title, &e.summary, &d.description)),
            d.meeting_place.as_str(),
        ),
        _ => return None,
    };
    Some(Structure {
        source: producer.source.clone(),
        id: producer.record_id(e),
        nom: nom(name, &e.commune),
        date_maj: e.updated_at.date().format("%Y-%m-%d").to_string(),
        commune: some(&e.commune.name),
        code_postal: some(&e.commune.postcode),
        code_insee: some(&e.commune.insee),
        adresse: some(address),
        telephone: contact.phone.as_deref().map(e164),
        courriel: contact.email.clone(),
        site_web: contact.website.clone(),
        description: description.map(|d| d.chars().take(10_000).collect()),
        lien_source: Some(producer.entry_url(e)),
        horaires_accueil: match &e.details {
            Details::Service(d) => d.opening_hours.clone(),
            _ => None,
        },
        ..Structure::default()
    })
}

/// The service of a service entry; `None` for other kinds.
pub fn service(producer: &Producer, e: &PublicEntry) -> Option<Service> {
    let Details::Service(d) = &e.details else {
        return None;
    };
    let modes: Vec<String> = {
        let mut m: Vec<String> = d
            .help_modes
            .iter()
            .filter_map(|h| mobilisation_mode(h))
            .map(str::to_owned)
            .collect();
        m.sort();
        m.dedup();
        m
    };
    let labels: Vec<&str> = d
        .help_modes
        .iter()
        .filter_map(|h| label_of(HELP_MODES, h))
        .collect();
    Some(Service {
        source: producer.source.clone(),
        id: producer.record_id(e),
        structure_id: producer.record_id(e),
        nom: nom(&e.title, &e.commune),
        description: long_text(&e.title, &e.summary, &d.description)
            .chars()
            .take(10_000)
            .collect(),
        thematiques: non_empty(&d.themes),
        frais: d.fees.clone(),
        frais_precisions: some(&d.fees_details),
        publics: non_empty(&d.publics),
        commune: some(&e.commune.name),
        code_postal: some(&e.commune.postcode),
        code_insee: some(&e.commune.insee),
        adresse: some(&d.address),
        telephone: d.contact.phone.as_deref().map(e164),
        courriel: d.contact.email.clone(),
        contact_nom_prenom: d.contact.name.clone(),
        date_maj: e.updated_at.date().format("%Y-%m-%d").to_string(),
        lien_source: Some(producer.entry_url(e)),
        modes_accueil: non_empty(&d.reception),
        zone_eligibilite: Some(vec![e.commune.insee.clone()]),
        lien_mobilisation: d
            .help_modes
            .iter()
            .any(|h| h == "en-ligne")
            .then(|| d.contact.website.clone())
            .flatten(),
        modes_mobilisation: non_empty(&modes),
        mobilisable_par: Some(vec!["usagers".to_owned()]),
        mobilisation_precisions: (!labels.is_empty()).then(|| labels.join(", ")),
        horaires_accueil: d.opening_hours.clone(),
        ..Service::default()
    })
}

/// The columns of the CSV variants of structures and services: the JSON fields, lists joined
/// with commas.
pub fn csv_row<T: Serialize>(record: &T) -> (Vec<String>, Vec<String>) {
    let mut headers = Vec::new();
    let mut values = Vec::new();
    if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(record) {
        for (k, v) in map {
            headers.push(k);
            values.push(match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s,
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            });
        }
    }
    (headers, values)
}

/// What an imported service becomes: the form of a service entry, where it comes from, and
/// the date its producer last changed it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub source: String,
    pub source_id: String,
    pub updated_on: Option<chrono::NaiveDate>,
    pub form: EntryForm,
}

/// Values of `values` that are not in `list`, for the report.
fn unknown<'a>(values: &'a Option<Vec<String>>, list: &[vocab::Term]) -> Vec<&'a str> {
    values
        .iter()
        .flatten()
        .filter(|v| !vocab::contains(list, v))
        .map(String::as_str)
        .collect()
}

/// The form of a service entry read from a data·inclusion service and its structure, or the
/// reasons it is refused (in French, for the report). The commune and the other rules of the
/// entry form are checked afterwards, by the form's validation.
pub fn import_service(s: &Service, structure: Option<&Structure>) -> Result<Imported, Vec<String>> {
    let mut reasons = Vec::new();
    if s.id.trim().is_empty() {
        reasons.push("identifiant (id) manquant".to_owned());
    }
    for (field, values, list) in [
        ("thematiques", &s.thematiques, vocab::thematiques()),
        ("publics", &s.publics, vocab::publics()),
        ("modes_accueil", &s.modes_accueil, vocab::modes_accueil()),
        (
            "modes_mobilisation",
            &s.modes_mobilisation,
            vocab::modes_mobilisation(),
        ),
        (
            "mobilisable_par",
            &s.mobilisable_par,
            vocab::personnes_mobilisatrices(),
        ),
    ] {
        let bad = unknown(values, list);
        if !bad.is_empty() {
            reasons.push(format!(
                "{field} : valeur(s) hors du référentiel data·inclusion : {}",
                bad.join(", ")
            ));
        }
    }
    for (field, value, list) in [
        ("frais", &s.frais, vocab::frais()),
        ("type", &s.type_, vocab::types_de_services()),
    ] {
        if let Some(v) = value
            && !vocab::contains(list, v)
        {
            reasons.push(format!(
                "{field} : valeur hors du référentiel data·inclusion : {v}"
            ));
        }
    }
    let updated_on = match chrono::NaiveDate::parse_from_str(
        s.date_maj.get(..10).unwrap_or(&s.date_maj),
        "%Y-%m-%d",
    ) {
        Ok(d) if crate::entry::in_range(d) => Some(d),
        _ => {
            reasons.push(format!(
                "date_maj : date invalide « {} » (attendu AAAA-MM-JJ)",
                s.date_maj.chars().take(40).collect::<String>()
            ));
            None
        }
    };
    let insee = s
        .code_insee
        .clone()
        .or_else(|| structure.and_then(|st| st.code_insee.clone()))
        .unwrap_or_default();
    if insee.trim().is_empty() {
        reasons.push(
            "code_insee : aucune commune (ni pour le service, ni pour sa structure)".to_owned(),
        );
    }
    if !reasons.is_empty() {
        return Err(reasons);
    }
    let (summary, description) = split_long_text(&s.description);
    let mut help_modes: Vec<String> = Vec::new();
    for mode in s.modes_mobilisation.iter().flatten() {
        let help = match mode.as_str() {
            "se-presenter" => "sans-rendez-vous",
            "telephoner" => "telephone",
            "utiliser-lien-mobilisation" => "en-ligne",
            _ => continue,
        };
        help_modes.push(help.to_owned());
    }
    // lieu's own exports list every way of getting help by its label.
    if let Some(precisions) = &s.mobilisation_precisions {
        let parts: Vec<&str> = precisions.split(", ").collect();
        let values: Vec<Option<&str>> = parts
            .iter()
            .map(|p| HELP_MODES.iter().find(|(_, l)| l == p).map(|(v, _)| *v))
            .collect();
        if values.iter().all(Option::is_some) {
            help_modes = values.into_iter().flatten().map(str::to_owned).collect();
        }
    }
    let or_structure = |own: &Option<String>, f: fn(&Structure) -> &Option<String>| {
        own.clone()
            .or_else(|| structure.and_then(|st| f(st).clone()))
            .unwrap_or_default()
    };
    let form = EntryForm {
        title: s.nom.clone(),
        commune: insee.trim().to_owned(),
        summary,
        description,
        // A structure named as the service itself (lieu's export of a service without
        // organisation) adds nothing.
        organisation: structure
            .map(|st| st.nom.clone())
            .filter(|n| n != &s.nom)
            .unwrap_or_default(),
        themes: s.thematiques.clone().unwrap_or_default(),
        publics: s.publics.clone().unwrap_or_default(),
        fees: s.frais.clone().unwrap_or_default(),
        fees_details: s.frais_precisions.clone().unwrap_or_default(),
        reception: s.modes_accueil.clone().unwrap_or_default(),
        address: or_structure(&s.adresse, |st| &st.adresse),
        contact_name: s.contact_nom_prenom.clone().unwrap_or_default(),
        phone: or_structure(&s.telephone, |st| &st.telephone),
        email: or_structure(&s.courriel, |st| &st.courriel),
        website: s
            .lien_mobilisation
            .clone()
            .or_else(|| structure.and_then(|st| st.site_web.clone()))
            .unwrap_or_default(),
        opening_hours: or_structure(&s.horaires_accueil, |st| &st.horaires_accueil),
        help_modes,
        ..EntryForm::default()
    };
    Ok(Imported {
        source: s.source.clone(),
        source_id: s.id.clone(),
        updated_on,
        form,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{Contact, Kind, ServiceDetails};

    fn entry() -> PublicEntry {
        PublicEntry {
            id: 1,
            kind: Kind::Service,
            slug: "permanence-caf".into(),
            title: "Permanence CAF".into(),
            summary: "Sur rendez-vous.".into(),
            commune: CommuneRef {
                insee: "79250".into(),
                name: "Saint-Aubin".into(),
                postcode: "79110".into(),
            },
            categories: vec![],
            details: Details::Service(ServiceDetails {
                organisation: "Caisse d’allocations familiales".into(),
                description: "Aides au logement.".into(),
                themes: vec!["logement-hebergement--louer-un-logement".into()],
                publics: vec!["familles".into()],
                fees: Some("gratuit".into()),
                reception: vec!["en-presentiel".into()],
                contact: Contact {
                    phone: Some("01 99 00 12 35".into()),
                    website: Some("https://caf.example".into()),
                    ..Contact::default()
                },
                opening_hours: Some("We 09:00-12:00".into()),
                help_modes: vec!["sur-rendez-vous".into(), "en-ligne".into()],
                ..ServiceDetails::default()
            }),
            updated_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .unwrap_or_default(),
        }
    }

    fn producer() -> Producer {
        Producer::new("Val", "https://val.example/", "Licence Ouverte 2.0", "")
    }

    #[test]
    fn a_service_entry_gives_a_structure_and_a_service_that_import_back() {
        let e = entry();
        let s = service(&producer(), &e).expect("a service");
        let st = structure(&producer(), &e).expect("a structure");
        assert_eq!(s.id, "val--permanence-caf");
        assert_eq!(s.structure_id, st.id);
        assert_eq!(s.telephone.as_deref(), Some("+33199001235"));
        assert_eq!(
            s.modes_mobilisation,
            Some(vec!["utiliser-lien-mobilisation".to_owned()])
        );
        assert_eq!(
            s.lien_source.as_deref(),
            Some("https://val.example/annuaire/services/permanence-caf")
        );
        let back = import_service(&s, Some(&st)).expect("imported");
        assert_eq!(back.source_id, "val--permanence-caf");
        assert_eq!(back.form.title, "Permanence CAF");
        assert_eq!(back.form.summary, "Sur rendez-vous.");
        assert_eq!(back.form.description, "Aides au logement.");
        assert_eq!(back.form.organisation, "Caisse d’allocations familiales");
        assert_eq!(back.form.help_modes, vec!["sur-rendez-vous", "en-ligne"]);
        assert_eq!(back.form.phone, "+33199001235");
    }

    #[test]
    fn values_outside_the_vocabularies_and_bad_dates_are_refused_with_reasons() {
        let mut s = service(&producer(), &entry()).expect("a service");
        s.thematiques = Some(vec!["jardinage".into()]);
        s.frais = Some("gratuit-ou-presque".into());
        s.date_maj = "hier".into();
        let reasons = import_service(&s, None).expect_err("refused");
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].contains("jardinage"));
    }
}
