//! How text becomes terms. Three analyzers, registered on every index this crate opens:
//!
//! - `lieu_fr`: words, lowercased, accents folded, French elisions (`l'`, `d'`, `qu'`…) and
//!   stop words removed, French Snowball stemming. Folding comes before stemming so that a
//!   word typed with or without its accents goes through the same steps: « crèche »,
//!   « creches » and « CRECHE » all become `crech`.
//! - `lieu_en`: the same for pages marked as English.
//! - `lieu_words`: words lowercased and folded, nothing removed or stemmed: what typo-tolerant
//!   and prefix matching compare with, since an edit distance between stems means little.

use std::sync::OnceLock;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

pub const FRENCH: &str = "lieu_fr";
pub const ENGLISH: &str = "lieu_en";
pub const WORDS: &str = "lieu_words";

/// Longer tokens are dropped (nobody searches for them; they would bloat the index).
const MAX_TOKEN_BYTES: usize = 40;

/// The particles French writes before an apostrophe. The tokenizer splits at the apostrophe
/// (straight or typographic), so an elided article is a token of its own, removed here.
const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// The Snowball project's French stop words (as tantivy ships them, whose list is private);
/// "sans" is left out: « sans rendez-vous » is something residents look for.
const STOP_FR: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "je", "la", "le", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos",
    "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses",
    "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d",
    "j", "l", "à", "m", "n", "s", "t", "y", "étée", "étées", "étant", "suis", "es", "êtes", "sont",
    "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez",
    "seraient", "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes",
    "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fussions",
    "fussiez", "fussent", "ayant", "eu", "eue", "eues", "eus", "ai", "avons", "avez", "ont",
    "aurai", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient",
    "avais", "avait", "aviez", "avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait",
    "ayons", "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez", "eussent", "ceci",
    "cela", "celà", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle",
    "quelles", "soi",
];

/// French stop words, folded (the analyzer folds accents before removing them), and elisions.
pub fn french_stop_words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<String> = STOP_FR
            .iter()
            .map(|w| fold(w))
            .chain(ELISIONS.iter().map(|w| (*w).to_owned()))
            .collect();
        words.sort();
        words.dedup();
        words
    })
}

fn french() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(french_stop_words().iter().cloned()))
        .filter(FrenchPlural)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Drops the plural mark Snowball's French stemmer keeps after a vowel (« emplois »,
/// « bureaux », « travaux » stay as they are there), so that singular and plural meet. Runs on
/// folded words, before the stemmer, on documents and queries alike.
#[derive(Clone)]
struct FrenchPlural;

impl TokenFilter for FrenchPlural {
    type Tokenizer<T: Tokenizer> = FrenchPluralFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FrenchPluralFilter<T> {
        FrenchPluralFilter(tokenizer)
    }
}

#[derive(Clone)]
struct FrenchPluralFilter<T>(T);

impl<T: Tokenizer> Tokenizer for FrenchPluralFilter<T> {
    type TokenStream<'a> = FrenchPluralStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FrenchPluralStream(self.0.token_stream(text))
    }
}

struct FrenchPluralStream<S>(S);

fn singular(word: &mut String) {
    let bytes = word.as_bytes();
    let n = bytes.len();
    if n > 3 && matches!(bytes[n - 1], b's' | b'x') && !matches!(bytes[n - 2], b's') {
        word.pop();
    }
}

impl<S: TokenStream> TokenStream for FrenchPluralStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        singular(&mut self.0.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

fn english() -> TextAnalyzer {
    let stop = StopWordFilter::new(Language::English)
        .unwrap_or_else(|| StopWordFilter::remove(Vec::<String>::new()));
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop)
        .filter(Stemmer::new(Language::English))
        .build()
}

fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzers on `index` (needed each time an index is opened).
pub fn register(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(FRENCH, french());
    tokenizers.register(ENGLISH, english());
    tokenizers.register(WORDS, words());
}

fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// `text` lowercased and folded, word by word (`lieu_words`).
pub fn fold_words(text: &str) -> Vec<String> {
    tokens(words(), text)
}

/// One word lowercased with its accents folded.
pub fn fold(word: &str) -> String {
    fold_words(word).join(" ")
}

/// The French stem of one folded word; `None` for a stop word or an elision.
pub fn stem_fr(word: &str) -> Option<String> {
    tokens(french(), word).into_iter().next()
}

/// The English stem of one folded word; `None` for a stop word.
pub fn stem_en(word: &str) -> Option<String> {
    tokens(english(), word).into_iter().next()
}

/// Whether a folded word carries no meaning for search (a French stop word or an elision).
pub fn is_stop_word(word: &str) -> bool {
    french_stop_words()
        .binary_search_by(|w| w.as_str().cmp(word))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_plurals_and_case_meet() {
        let stems: Vec<_> = ["crèche", "creches", "CRECHE", "Crèches"]
            .iter()
            .map(|w| tokens(french(), w))
            .collect();
        assert!(stems.iter().all(|s| s == &stems[0]), "{stems:?}");
        assert_eq!(tokens(french(), "emplois"), tokens(french(), "emploi"));
        assert_eq!(tokens(french(), "bureaux"), tokens(french(), "bureau"));
        assert_eq!(
            tokens(french(), "associations"),
            tokens(french(), "association")
        );
        assert_eq!(
            tokens(french(), "saisonniers"),
            tokens(french(), "saisonnier")
        );
    }

    #[test]
    fn elisions_and_stop_words_go() {
        assert_eq!(
            tokens(french(), "l’aide d'urgence qu’il faut"),
            vec!["aid", "urgenc", "faut"]
        );
        assert_eq!(tokens(french(), "Les aides de la CAF").len(), 2);
        assert!(is_stop_word("l") && is_stop_word("qu") && is_stop_word("les"));
        assert!(!is_stop_word("caf"));
    }

    #[test]
    fn words_are_folded_but_whole() {
        assert_eq!(
            fold_words("Crèche « Les P’tits Loups »"),
            vec!["creche", "les", "p", "tits", "loups"]
        );
        assert_eq!(stem_en("workshops").as_deref(), Some("workshop"));
    }
}
