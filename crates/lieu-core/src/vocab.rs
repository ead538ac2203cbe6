//! Value lists of the data·inclusion v1 standard (thématiques, publics, frais, modes
//! d’accueil), read from the copy kept in `schema/data-inclusion-v1/extra/`, so that what lieu
//! stores can be exported as is.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize)]
pub struct Term {
    pub value: String,
    pub label: String,
}

fn parse(json: &str) -> Vec<Term> {
    serde_json::from_str(json).unwrap_or_default()
}

macro_rules! list {
    ($name:ident, $file:literal) => {
        pub fn $name() -> &'static [Term] {
            static LIST: OnceLock<Vec<Term>> = OnceLock::new();
            LIST.get_or_init(|| {
                parse(include_str!(concat!(
                    "../../../schema/data-inclusion-v1/extra/",
                    $file
                )))
            })
        }
    };
}

list!(thematiques, "thematiques.json");
list!(publics, "publics.json");
list!(frais, "frais.json");
list!(modes_accueil, "modes-accueil.json");
list!(modes_mobilisation, "modes-mobilisation.json");
list!(personnes_mobilisatrices, "personnes-mobilisatrices.json");
list!(types_de_services, "types-de-services.json");
list!(reseaux_porteurs, "reseaux-porteurs.json");

/// The label of `value` in `list`.
pub fn label<'a>(list: &'a [Term], value: &str) -> Option<&'a str> {
    list.iter()
        .find(|t| t.value == value)
        .map(|t| t.label.as_str())
}

pub fn contains(list: &[Term], value: &str) -> bool {
    list.iter().any(|t| t.value == value)
}

/// The sixteen groups of thématiques (the part of a value before `--`), with French labels.
pub const THEME_GROUPS: &[(&str, &str)] = &[
    ("choisir-un-metier", "Choisir un métier"),
    ("creer-une-entreprise", "Créer une entreprise"),
    (
        "difficultes-administratives-ou-juridiques",
        "Démarches administratives et juridiques",
    ),
    ("difficultes-financieres", "Difficultés financières"),
    ("equipement-et-alimentation", "Équipement et alimentation"),
    ("famille", "Famille"),
    ("lecture-ecriture-calcul", "Lecture, écriture, calcul"),
    ("logement-hebergement", "Logement et hébergement"),
    ("mobilite", "Mobilité"),
    ("numerique", "Numérique"),
    ("preparer-sa-candidature", "Préparer sa candidature"),
    ("remobilisation", "Remobilisation"),
    ("sante", "Santé"),
    ("se-former", "Se former"),
    ("souvrir-a-linternational", "S’ouvrir à l’international"),
    ("trouver-un-emploi", "Trouver un emploi"),
];

/// The group of a thématique value (`sante--acces-aux-soins` → `sante`).
pub fn theme_group(value: &str) -> &str {
    value.split("--").next().unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_read_from_the_standard() {
        assert_eq!(thematiques().len(), 69);
        assert_eq!(publics().len(), 14);
        assert_eq!(label(frais(), "gratuit"), Some("Gratuit"));
        assert!(contains(modes_accueil(), "en-presentiel"));
    }

    #[test]
    fn every_theme_belongs_to_a_known_group() {
        for t in thematiques() {
            let group = theme_group(&t.value);
            assert!(THEME_GROUPS.iter().any(|(g, _)| *g == group), "{group}");
        }
    }
}
