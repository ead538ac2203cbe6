//! Slugs: the stable, readable part of a page URL, derived from its title.

/// Turns a title into a URL slug: lowercase ASCII, accents folded, words joined by `-`.
/// Returns an empty string when the title has no letter or digit.
pub fn slugify(title: &str) -> String {
    slug::slugify(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_punctuation() {
        assert_eq!(
            slugify("Créer une adresse e-mail !"),
            "creer-une-adresse-e-mail"
        );
        assert_eq!(
            slugify("  Qu'est-ce que France Services ? "),
            "qu-est-ce-que-france-services"
        );
        assert_eq!(slugify("Œuvres & Événements"), "oeuvres-evenements");
    }

    #[test]
    fn empty_when_nothing_to_keep() {
        assert_eq!(slugify("?!"), "");
    }
}
