//! What people type about their own account: a name shown beside their edits, an address,
//! a new password typed twice. Errors are codes of the interface's catalog.

use crate::Invalid;
use crate::auth::check_new_password;
use crate::entry::{clean, valid_email};

/// Longest name shown beside edits.
pub const NAME_MAX_CHARS: usize = 80;
/// Longest address (RFC 5321 allows 254).
pub const EMAIL_MAX_CHARS: usize = 254;

/// The name as it will be shown (spaces and invisible characters cleaned), or adds an error
/// on `name`.
pub fn name(typed: &str, invalid: &mut Invalid) -> String {
    let cleaned = clean(typed);
    if cleaned.is_empty() {
        invalid.add("name", "account.name_required");
    } else if cleaned.chars().count() > NAME_MAX_CHARS {
        invalid.add("name", "account.name_too_long");
    }
    cleaned
}

/// The address, trimmed and lowercased, or adds an error on `field`.
pub fn email(typed: &str, field: &'static str, invalid: &mut Invalid) -> String {
    let email = typed.trim().to_lowercase();
    if email.is_empty() {
        invalid.add(field, "account.email_required");
    } else if email.chars().count() > EMAIL_MAX_CHARS || !valid_email(&email) {
        invalid.add(field, "email_invalid");
    }
    email
}

/// A new password typed in `password` and again in `password2`; `context` is what an
/// attacker would try first (the person's name and address, the site's name).
pub fn new_password(password: &str, password2: &str, context: &[&str], invalid: &mut Invalid) {
    match check_new_password(password, context) {
        Err(problem) => invalid.add("password", problem.code()),
        Ok(()) if password != password2 => invalid.add("password2", "password.mismatch"),
        Ok(()) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_bounded() {
        let mut invalid = Invalid::default();
        assert_eq!(
            name("  Marie\u{202e}   Dupont ", &mut invalid),
            "Marie Dupont"
        );
        assert!(invalid.is_empty());
        name("   ", &mut invalid);
        name(&"a".repeat(81), &mut invalid);
        let codes: Vec<_> = invalid.errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["account.name_required", "account.name_too_long"]);
    }

    #[test]
    fn addresses_are_lowercased_and_checked() {
        let mut invalid = Invalid::default();
        assert_eq!(
            email(" Marie@Mairie.FR ", "email", &mut invalid),
            "marie@mairie.fr"
        );
        assert!(invalid.is_empty());
        email("pas une adresse", "email", &mut invalid);
        email("", "email", &mut invalid);
        email(
            &format!("{}@example.org", "a".repeat(250)),
            "email",
            &mut invalid,
        );
        assert_eq!(invalid.errors.len(), 3);
    }

    #[test]
    fn a_new_password_must_be_strong_and_typed_twice_alike() {
        let context = ["Marie Dupont", "marie@mairie.fr"];
        let mut invalid = Invalid::default();
        new_password(
            "la chèvre mange du thym",
            "la chèvre mange du thym",
            &context,
            &mut invalid,
        );
        assert!(invalid.is_empty());
        new_password(
            "la chèvre mange du thym",
            "la chevre mange du thym",
            &context,
            &mut invalid,
        );
        new_password("azertyuiop", "azertyuiop", &context, &mut invalid);
        new_password("court", "court", &context, &mut invalid);
        let codes: Vec<_> = invalid.errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("password2", "password.mismatch"),
                ("password", "password.guessable"),
                ("password", "password.too_short"),
            ]
        );
    }
}
