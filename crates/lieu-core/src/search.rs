//! Rules of search that are not about the index: what a group of synonyms may hold, and how a
//! search that found nothing is recorded (its text normalized, nothing personal).

use crate::Invalid;

/// The most phrases one group of synonyms may hold.
pub const MAX_PHRASES: usize = 20;
/// The longest phrase, in characters.
pub const MAX_PHRASE_CHARS: usize = 80;
/// The longest query the site reads, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// How many days unanswered searches are kept.
pub const MISSES_KEPT_DAYS: i64 = 90;

/// The phrases of a group of synonyms as an agent typed them, comma-separated: trimmed,
/// with runs of spaces collapsed and duplicates (ignoring case) dropped. At least two
/// phrases, each short, none with markup characters.
pub fn parse_synonyms(terms: &str) -> Result<Vec<String>, Invalid> {
    let mut phrases: Vec<String> = Vec::new();
    for raw in terms.split([',', '\n', ';']) {
        let phrase = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if phrase.is_empty() {
            continue;
        }
        if phrase.chars().count() > MAX_PHRASE_CHARS {
            return Err(Invalid::single("terms", "synonym_too_long"));
        }
        if phrase
            .chars()
            .any(|c| c.is_control() || "<>{}[]\"".contains(c))
        {
            return Err(Invalid::single("terms", "synonym_bad_chars"));
        }
        if !phrase.chars().any(char::is_alphanumeric) {
            continue;
        }
        if !phrases
            .iter()
            .any(|p| p.to_lowercase() == phrase.to_lowercase())
        {
            phrases.push(phrase);
        }
    }
    if phrases.len() < 2 {
        return Err(Invalid::single("terms", "synonym_too_few"));
    }
    if phrases.len() > MAX_PHRASES {
        return Err(Invalid::single("terms", "synonym_too_many"));
    }
    Ok(phrases)
}

/// The phrases joined as they are stored.
pub fn join_synonyms(phrases: &[String]) -> String {
    phrases.join(", ")
}

/// What a query looks like once read: trimmed, spaces collapsed, at most
/// [`MAX_QUERY_CHARS`] characters.
pub fn normalize_query(q: &str) -> String {
    let collapsed = q
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    collapsed.chars().take(MAX_QUERY_CHARS).collect()
}

/// The text recorded for a search that found nothing: the query lowercased. Queries that
/// look like personal data (an e-mail address, a phone or other long number) are not
/// recorded at all.
pub fn miss_text(q: &str) -> Option<String> {
    let q = normalize_query(q).to_lowercase();
    let digits = q.chars().filter(char::is_ascii_digit).count();
    if q.is_empty() || q.contains('@') || digits >= 6 || q.chars().count() > 100 {
        return None;
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(terms: &str) -> &'static str {
        match parse_synonyms(terms) {
            Ok(p) => panic!("accepted: {p:?}"),
            Err(invalid) => invalid.errors[0].code,
        }
    }

    #[test]
    fn synonyms_are_cleaned_and_checked() {
        assert_eq!(
            parse_synonyms(" CAF ,  allocations   familiales,caf,"),
            Ok(vec!["CAF".to_owned(), "allocations familiales".to_owned()])
        );
        assert_eq!(refused("caf"), "synonym_too_few");
        assert_eq!(refused("caf, <b>x</b>"), "synonym_bad_chars");
        let long = format!("caf, {}", "a".repeat(81));
        assert_eq!(refused(&long), "synonym_too_long");
        let many = (0..21)
            .map(|i| format!("m{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(refused(&many), "synonym_too_many");
    }

    #[test]
    fn misses_keep_no_personal_data() {
        assert_eq!(
            miss_text("  Crèche   Vernoux ").as_deref(),
            Some("crèche vernoux")
        );
        assert_eq!(miss_text("jean.dupont@example.org"), None);
        assert_eq!(miss_text("06 12 34 56 78"), None);
        assert_eq!(miss_text("   "), None);
        assert_eq!(normalize_query(&"a".repeat(500)).len(), MAX_QUERY_CHARS);
    }
}
