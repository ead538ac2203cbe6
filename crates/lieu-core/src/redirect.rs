//! Where a reader may be sent back after logging in: only to a path of this site.
//!
//! The value comes from the reader (a `retour` parameter anyone can craft), so the decision is
//! made by parsing it as a browser would, never by looking at its first characters: browsers
//! drop tabs and newlines inside URLs, read `\` as `/`, and treat `//host` and `https:host` as
//! other sites. The value is also decoded until it stops changing, so that an encoded form
//! (`%2f%2fevil.example`, `%252f…`) that some later step might decode is judged as what it
//! would become.

use percent_encoding::percent_decode_str;
use url::Url;

/// The address every value is resolved against: any origin would do, it only has to be one
/// that a value cannot name by accident.
const BASE: &str = "http://lieu.invalid/";

/// How many rounds of percent-decoding are tried before a value is judged too convoluted.
const DECODE_ROUNDS: usize = 4;

/// The path (and query) on this site that `value` designates, or `None` when it leads
/// elsewhere, or could lead elsewhere once decoded or cleaned by a browser.
pub fn local_path(value: &str) -> Option<String> {
    let base = Url::parse(BASE).ok()?;
    let mut current = value.to_owned();
    for _ in 0..=DECODE_ROUNDS {
        if !stays_on_site(&base, &current) {
            return None;
        }
        let decoded = percent_decode_str(&current)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == current {
            // Fully decoded and every form was local: keep the value as sent, normalized, and
            // check what is sent once more (normalizing `/a/../..//b` yields `//b`).
            let joined = base.join(value).ok()?;
            let mut path = joined.path().to_owned();
            if let Some(query) = joined.query() {
                path.push('?');
                path.push_str(query);
            }
            return stays_on_site(&base, &path).then_some(path);
        }
        current = decoded;
    }
    None
}

/// Where to go after login: [`local_path`], or the home page when the value is refused.
pub fn after_login(value: Option<&str>) -> String {
    value.and_then(local_path).unwrap_or_else(|| "/".to_owned())
}

/// Whether one form of the value, read as a link on a page of this site, stays on it. Control
/// characters and backslashes are refused outright: browsers strip or rewrite them, so what they
/// would request is not what is seen here.
fn stays_on_site(base: &Url, value: &str) -> bool {
    if value.chars().any(|c| c.is_control() || c == '\\') {
        return false;
    }
    // A path of this site begins with one slash; anything else (a scheme, a relative path,
    // `//host`) is not what the login form sends.
    if !value.starts_with('/') {
        return false;
    }
    base.join(value).is_ok_and(|url| {
        url.origin() == base.origin() && url.username().is_empty() && !url.path().starts_with("//")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_this_site_are_kept_with_their_query() {
        assert_eq!(
            local_path("/wiki/accueil?x=1").as_deref(),
            Some("/wiki/accueil?x=1")
        );
        assert_eq!(local_path("/").as_deref(), Some("/"));
        assert_eq!(
            local_path("/wiki/caf%C3%A9").as_deref(),
            Some("/wiki/caf%C3%A9")
        );
        assert_eq!(
            local_path("/connexion?retour=%2Fwiki%2Fx").as_deref(),
            Some("/connexion?retour=%2Fwiki%2Fx")
        );
    }

    #[test]
    fn every_known_way_off_site_is_refused() {
        for value in [
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/%5cevil.example",
            "/%5Cevil.example",
            "%2f%2fevil.example",
            "%2F%2Fevil.example",
            "/%2f%2fevil.example",
            "/%2f/evil.example",
            "https:evil.example",
            "https://evil.example",
            "http:/evil.example",
            "HTTPS://evil.example",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "%252f%252fevil.example",
            "%25252f%25252fevil.example",
            "/%0d%0aLocation:evil",
            "/\r\nLocation: evil",
            " //evil.example",
            "",
            "wiki/relative",
            "/%2525252525252f",
            "/a/../..//evil.example",
            "/a/..%2f..%2f/evil.example",
        ] {
            assert_eq!(local_path(value), None, "{value:?} was accepted");
            assert_eq!(after_login(Some(value)), "/", "{value:?}");
        }
        assert_eq!(after_login(None), "/");
    }

    #[test]
    fn what_comes_out_is_always_a_single_slash_path_without_control_characters() {
        for value in ["/a b", "/é?q=à", "/a?next=//evil", "/a/./b/../c"] {
            let path = local_path(value).expect(value);
            assert!(path.starts_with('/') && !path.starts_with("//"), "{path}");
            assert!(!path.chars().any(|c| c.is_control() || c == ' '), "{path}");
        }
    }
}
