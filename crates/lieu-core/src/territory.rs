//! The territory: its communes and the categories of the directory, read from
//! `wiki-content/territory.toml`.

use crate::entry::Kind;
use serde::Deserialize;
use std::collections::HashSet;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Territory {
    pub name: String,
    pub communes: Vec<Commune>,
    #[serde(default)]
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Commune {
    pub name: String,
    /// Code officiel géographique (INSEE), five characters.
    pub insee: String,
    pub postcode: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub slug: String,
    pub label: String,
    /// The kind of entry the category classifies.
    pub kind: Kind,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TerritoryError {
    #[error("invalid territory file: {0}")]
    Toml(String),
    #[error("commune {0}: the INSEE code must have five characters (digits, or 2A/2B)")]
    BadInsee(String),
    #[error("commune {0}: the postcode must have five digits")]
    BadPostcode(String),
    #[error("duplicate {0}")]
    Duplicate(String),
}

impl Territory {
    pub fn parse(text: &str) -> Result<Territory, TerritoryError> {
        let territory: Territory =
            toml::from_str(text).map_err(|e| TerritoryError::Toml(e.to_string()))?;
        let mut seen = HashSet::new();
        for c in &territory.communes {
            let insee_ok = c.insee.len() == 5
                && c.insee.chars().all(|ch| ch.is_ascii_alphanumeric())
                && c.insee.chars().skip(2).all(|ch| ch.is_ascii_digit());
            if !insee_ok {
                return Err(TerritoryError::BadInsee(c.name.clone()));
            }
            if c.postcode.len() != 5 || !c.postcode.chars().all(|ch| ch.is_ascii_digit()) {
                return Err(TerritoryError::BadPostcode(c.name.clone()));
            }
            if !seen.insert(c.insee.clone()) {
                return Err(TerritoryError::Duplicate(format!("INSEE code {}", c.insee)));
            }
        }
        let mut slugs = HashSet::new();
        for cat in &territory.categories {
            if !slugs.insert((cat.kind, cat.slug.clone())) {
                return Err(TerritoryError::Duplicate(format!("category {}", cat.slug)));
            }
        }
        Ok(territory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_territory_file_is_read_and_checked() {
        let t = Territory::parse(
            r#"
name = "Val"
[[communes]]
name = "Saint-Aubin"
insee = "79250"
postcode = "79110"
[[categories]]
slug = "sport"
label = "Sport"
kind = "association"
"#,
        )
        .expect("valid");
        assert_eq!(t.communes[0].insee, "79250");
        assert_eq!(t.categories[0].kind, Kind::Association);
        let bad =
            "name = \"V\"\n[[communes]]\nname = \"X\"\ninsee = \"123\"\npostcode = \"79110\"\n";
        assert_eq!(
            Territory::parse(bad),
            Err(TerritoryError::BadInsee("X".into()))
        );
    }
}
