//! Rules for wiki pages: what a valid title, body and edit summary are.

use crate::slug::slugify;
use crate::validation::Invalid;

pub const TITLE_MAX_CHARS: usize = 120;
pub const BODY_MAX_BYTES: usize = 200_000;
pub const SUMMARY_MAX_CHARS: usize = 200;

/// A page edit as the editor typed it, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct PageDraft {
    pub title: String,
    pub body: String,
    pub summary: String,
}

/// A page edit that passed validation; `slug` is derived from the title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPage {
    pub title: String,
    pub slug: String,
    pub body: String,
    pub summary: String,
}

/// Checks a title on its own (creation and rename share it).
pub fn validate_title(title: &str, invalid: &mut Invalid) -> Option<(String, String)> {
    let title = normalize_spaces(title);
    if title.is_empty() {
        invalid.add("title", "title_required");
        return None;
    }
    if title.chars().count() > TITLE_MAX_CHARS {
        invalid.add("title", "title_too_long");
        return None;
    }
    if title
        .chars()
        .any(|c| matches!(c, '[' | ']' | '|' | '#' | '<' | '>'))
    {
        invalid.add("title", "title_forbidden_chars");
        return None;
    }
    let slug = slugify(&title);
    if slug.is_empty() {
        invalid.add("title", "title_needs_letters");
        return None;
    }
    Some((title, slug))
}

impl PageDraft {
    pub fn validate(&self) -> Result<ValidPage, Invalid> {
        let mut invalid = Invalid::default();
        let title = validate_title(&self.title, &mut invalid);
        // Browsers send CRLF from a textarea; store LF so diffs show real changes only.
        let body = self.body.replace("\r\n", "\n");
        if body.trim().is_empty() {
            invalid.add("body", "body_required");
        } else if body.len() > BODY_MAX_BYTES {
            invalid.add("body", "body_too_long");
        }
        let summary = normalize_spaces(&self.summary);
        if summary.chars().count() > SUMMARY_MAX_CHARS {
            invalid.add("summary", "summary_too_long");
        }
        match title {
            Some((title, slug)) if invalid.is_empty() => Ok(ValidPage {
                title,
                slug,
                body,
                summary,
            }),
            _ => Err(invalid),
        }
    }
}

fn normalize_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(title: &str, body: &str) -> PageDraft {
        PageDraft {
            title: title.into(),
            body: body.into(),
            summary: String::new(),
        }
    }

    #[test]
    fn a_good_draft_gets_its_slug_and_lf_line_ends() {
        let page = draft("  Aide  aux démarches ", "Ligne 1\r\nLigne 2")
            .validate()
            .expect("valid");
        assert_eq!(page.title, "Aide aux démarches");
        assert_eq!(page.slug, "aide-aux-demarches");
        assert_eq!(page.body, "Ligne 1\nLigne 2");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let invalid = draft("", "   ").validate().expect_err("invalid");
        assert_eq!(invalid.on("title").map(|e| e.code), Some("title_required"));
        assert_eq!(invalid.on("body").map(|e| e.code), Some("body_required"));
    }

    #[test]
    fn titles_that_would_break_wiki_links_are_refused() {
        let invalid = draft("a|b", "x").validate().expect_err("invalid");
        assert_eq!(
            invalid.on("title").map(|e| e.code),
            Some("title_forbidden_chars")
        );
        let invalid = draft("???", "x").validate().expect_err("invalid");
        assert_eq!(
            invalid.on("title").map(|e| e.code),
            Some("title_needs_letters")
        );
    }

    #[test]
    fn overlong_fields_are_refused() {
        let long = "a".repeat(TITLE_MAX_CHARS + 1);
        let invalid = draft(&long, "x").validate().expect_err("invalid");
        assert_eq!(invalid.on("title").map(|e| e.code), Some("title_too_long"));
    }
}
