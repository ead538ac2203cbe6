//! Content files: Markdown with TOML front matter between `+++` lines, as in `wiki-content/`.
//!
//! ```text
//! +++
//! title = "Qu’est-ce que France Services ?"
//! +++
//! Le texte de la page…
//! ```

use serde::Deserialize;

/// What the command-line tools (`lieu import`, `lieu generate`) record in the history, where
/// the web app's catalog is out of reach. The web app records its own texts from its catalog.
pub mod history_text {
    /// The author of revisions written by the import.
    pub const IMPORT_AUTHOR: &str = "Import du contenu";
    /// The summary of a page revision the import writes when the file gives none.
    pub const PAGE_UPDATED_FROM_FILES: &str = "Mise à jour depuis les fichiers de contenu";
    /// The summary of an entry's first revision written by a tool.
    pub const ENTRY_CREATED: &str = "Création de la fiche";
    /// The name a deleted account's edits are signed with.
    pub const DELETED_ACCOUNT: &str = "Compte supprimé";
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    /// Edit summary of the revision the import writes.
    #[serde(default)]
    pub summary: String,
    /// The language of the text when it is not French: `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The languages a page may be written in (the interface's): French by default.
pub const PAGE_LANGUAGES: &[&str] = &["fr", "en"];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContentError {
    #[error("the file does not start with a `+++` front matter block")]
    NoFrontMatter,
    #[error("the front matter is not closed by a `+++` line")]
    Unclosed,
    #[error("invalid front matter: {0}")]
    Toml(String),
}

/// Splits a content file into its front matter and its Markdown body.
pub fn parse(file: &str) -> Result<(FrontMatter, String), ContentError> {
    let file = file.strip_prefix('\u{feff}').unwrap_or(file);
    let rest = file
        .strip_prefix("+++\n")
        .or_else(|| file.strip_prefix("+++\r\n"))
        .ok_or(ContentError::NoFrontMatter)?;
    let mut front = String::new();
    let mut lines = rest.split_inclusive('\n');
    let mut closed = false;
    for line in lines.by_ref() {
        if line.trim_end() == "+++" {
            closed = true;
            break;
        }
        front.push_str(line);
    }
    if !closed {
        return Err(ContentError::Unclosed);
    }
    let body: String = lines.collect();
    let matter: FrontMatter =
        toml::from_str(&front).map_err(|e| ContentError::Toml(e.to_string()))?;
    Ok((
        matter,
        body.trim_start_matches(['\n', '\r']).replace("\r\n", "\n"),
    ))
}

/// SHA-256 of a text, hex-encoded: content digests and session token digests.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_body_are_split() {
        let (matter, body) =
            parse("+++\ntitle = \"Accueil\"\n+++\n\n# Bienvenue\n").expect("parse");
        assert_eq!(matter.title, "Accueil");
        assert_eq!(body, "# Bienvenue\n");
    }

    #[test]
    fn missing_or_broken_front_matter_is_explained() {
        assert_eq!(parse("# Pas d’en-tête"), Err(ContentError::NoFrontMatter));
        assert_eq!(parse("+++\ntitle = \"x\"\n"), Err(ContentError::Unclosed));
        assert!(matches!(
            parse("+++\ntitel = \"x\"\n+++\n"),
            Err(ContentError::Toml(_))
        ));
    }

    #[test]
    fn crlf_files_parse_like_lf_files() {
        let (matter, body) = parse("+++\r\ntitle = \"A\"\r\n+++\r\nun\r\ndeux\r\n").expect("parse");
        assert_eq!(matter.title, "A");
        assert_eq!(body, "un\ndeux\n");
    }
}
