//! Alphabetical order of titles, the same on every database: SQLite compares bytes (so
//! "École" came after "Zèbre") and PostgreSQL follows the server's locale. Lists sort on a
//! key computed here and stored beside the title.

/// The key a title sorts by: accents and ligatures folded to ASCII, lowercased, so that
/// "École" sorts with the E, "Œuvre" as "oeuvre", and "avion" before "Bus".
pub fn title_sort_key(title: &str) -> String {
    deunicode::deunicode(title.trim()).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_sort_in_french_order_whatever_their_case_and_accents() {
        let mut titles = vec!["Zèbre", "École", "avion", "Étoile", "Bus", "Œuvre", "Eau"];
        titles.sort_by_key(|t| title_sort_key(t));
        assert_eq!(
            titles,
            ["avion", "Bus", "Eau", "École", "Étoile", "Œuvre", "Zèbre"]
        );
    }

    #[test]
    fn keys_fold_accents_ligatures_and_case() {
        assert_eq!(title_sort_key("  École de musique "), "ecole de musique");
        assert_eq!(title_sort_key("Œuvre"), "oeuvre");
        assert_eq!(title_sort_key("ÆGIS"), "aegis");
        assert_eq!(title_sort_key("Ça va"), "ca va");
    }
}
