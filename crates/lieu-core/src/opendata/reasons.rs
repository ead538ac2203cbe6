//! The French words of import reports that are not the entry form's validation codes (those
//! are the web catalog's): why a record is refused, how it is named when it names nothing.
//! The store and the readers take them from here, so that no sentence hides in `lieu-store`.

/// A record that gives no identifier.
pub const NO_ID: &str = "(sans identifiant)";

/// A line of a table, named by its number (the header is line 1).
pub fn line(number: usize) -> String {
    format!("ligne {number}")
}

pub fn unreadable_line(error: &dyn std::fmt::Display) -> String {
    format!("ligne CSV illisible : {error}")
}

pub fn malformed(error: &dyn std::fmt::Display) -> String {
    format!("enregistrement mal formé (type de valeur inattendu) : {error}")
}

pub const HSDS_INCOMPLETE: &str = "service HSDS sans id ou sans name";

pub fn bad_source(max: usize) -> String {
    format!("source ou identifiant vide ou trop long (plus de {max} caractères)")
}

pub fn other_kind(slug: &str) -> String {
    format!("l’identifiant désigne déjà une fiche d’un autre type ({slug})")
}

pub const DUPLICATE: &str = "identifiant déjà présent plus haut dans le fichier";

/// The summary of the revisions an import writes.
pub const IMPORTED: &str = "Import de données ouvertes";
