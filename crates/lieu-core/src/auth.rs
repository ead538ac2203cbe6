//! Passwords (argon2id, the OWASP recommendation, through the RustCrypto `argon2` crate) and
//! random tokens for sessions and CSRF.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

pub const PASSWORD_MIN_CHARS: usize = 10;
/// Long enough for any passphrase (NIST asks for at least 64), short enough that nobody makes
/// the server hash a megabyte.
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Passwords French speakers choose most that zxcvbn's English lists miss (its keyboard
/// patterns are QWERTY ones).
const FRENCH_COMMON: &[&str] = &[
    "azerty",
    "azertyuiop",
    "azertyuiop123",
    "qsdfghjklm",
    "wxcvbn",
    "motdepasse",
    "motdepasse123",
    "mot de passe",
    "soleil",
    "bonjour",
    "jetaime",
    "doudou",
    "loulou",
    "chouchou",
    "coucou",
    "marseille",
    "france",
    "franceservices",
    "france services",
    "nicolas",
    "camille",
    "celine",
    "julien",
    "mairie",
    "bienvenue",
];

/// Why a password someone chose is refused (current advice: length and a check against the
/// passwords attackers try first, no composition rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// Among the most common passwords, or made of the person's own name or address or of the
    /// site's name, or a keyboard pattern, a date, a repetition.
    TooGuessable,
}

impl PasswordProblem {
    /// The key of the message in the interface's catalog (`lieu_web::i18n`), shown under the
    /// password field and by `lieu user`.
    pub fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password.too_short",
            PasswordProblem::TooLong => "password.too_long",
            PasswordProblem::TooGuessable => "password.guessable",
        }
    }
}

/// Checks a password someone chooses (invitation, reset, account page, `lieu user add`).
/// `context` holds what an attacker would try first for this account: the person's name and
/// address, the site's name.
pub fn check_new_password(password: &str, context: &[&str]) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    // zxcvbn's matching grows with the length; a passphrase past 100 characters is long
    // enough whatever it is made of.
    if chars > 100 {
        return Ok(());
    }
    let mut inputs: Vec<String> = Vec::new();
    for value in context {
        // Accents folded on both sides: `Léa` is tried as `lea`.
        let lower = deunicode::deunicode(value.trim()).to_lowercase();
        // An address counts by its parts too: `marie.dupont@mairie.fr` gives `marie`, `dupont`
        // and `mairie`.
        inputs.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.chars().count() >= 3)
                .map(str::to_owned),
        );
        inputs.push(lower.chars().filter(|c| c.is_alphanumeric()).collect());
        inputs.push(lower);
    }
    inputs.extend(FRENCH_COMMON.iter().map(|s| (*s).to_owned()));
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(&deunicode::deunicode(password).to_lowercase(), &inputs);
    if estimate.score() < zxcvbn::Score::Three {
        return Err(PasswordProblem::TooGuessable);
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must have at least {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    #[error("password hashing failed: {0}")]
    Hash(String),
}

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id setting: 19 MiB, 2 iterations, 1 lane. Cheap enough for a small server,
    // costly enough for an attacker holding the database.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$...`) with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut salt_bytes);
    let salt =
        SaltString::encode_b64(&salt_bytes).map_err(|e| PasswordError::Hash(e.to_string()))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so that a login attempt takes
/// the same time whether or not the email is known.
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0j7oLbtfaE4+jyRZH3bW0ZrF0qD2LKVtPLpcbl/Gl9Y"
}

/// A random token of 32 bytes, hex-encoded (64 characters): session ids and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Digest of a session token, so that the sessions table does not hold usable tokens. The
/// token has 256 bits of entropy, so a fast hash (SHA-256) is enough: no salt or stretching.
pub fn token_digest(token: &str) -> String {
    crate::content::sha256_hex(token)
}

/// The key login attempts on one account are counted under: the address as the accounts table
/// stores it (trimmed, lowercase, so that `Admin@…` is not a fresh budget), digested so that
/// every key has the same small size whatever was typed. Unknown addresses get a key too, so a
/// refusal tells nothing about which accounts exist.
pub fn login_account_key(email: &str) -> String {
    crate::content::sha256_hex(&email.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let phc = hash_password("correct horse battery").expect("hash");
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &phc));
        assert!(!verify_password("correct horse batterie", &phc));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(matches!(
            hash_password("court"),
            Err(PasswordError::TooShort)
        ));
    }

    #[test]
    fn common_and_personal_passwords_are_refused_and_passphrases_pass() {
        let me = ["Marie Dupont", "marie.dupont@mairie.fr", "Lieu partagé"];
        for weak in [
            "motdepasse123",
            "azertyuiop",
            "password123",
            "1234567890",
            "Marie Dupont",
            "mariedupont2024",
            "MarieDupont!",
            "aaaaaaaaaaaa",
            "qwertyuiop",
        ] {
            assert_eq!(
                check_new_password(weak, &me),
                Err(PasswordProblem::TooGuessable),
                "{weak}"
            );
        }
        assert_eq!(
            check_new_password("court", &me),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(257), &me),
            Err(PasswordProblem::TooLong)
        );
        for strong in [
            "la chèvre mange du thym au lavoir",
            "tartine-velo-Sarcelle-97",
            "mot de passe du test",
            &"é".repeat(200),
        ] {
            assert_eq!(check_new_password(strong, &me), Ok(()), "{strong}");
        }
    }

    #[test]
    fn garbage_hashes_never_match() {
        assert!(!verify_password("x", "not a hash"));
        assert!(!verify_password("x", dummy_hash()));
    }

    #[test]
    fn one_account_has_one_throttle_key_however_it_is_typed() {
        let key = login_account_key("agent@example.org");
        assert_eq!(login_account_key(" Agent@Example.ORG "), key);
        assert_ne!(login_account_key("agent2@example.org"), key);
        assert_eq!(login_account_key(&"x".repeat(100_000)).len(), key.len());
    }

    #[test]
    fn tokens_are_random_and_digests_stable() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_digest(&a), token_digest(&a));
        assert_ne!(token_digest(&a), token_digest(&b));
    }
}
