//! The index schema. Changing it means bumping [`SCHEMA_VERSION`]: an index of another
//! version is rebuilt from the database when the server starts.

use crate::analysis;
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

/// The version of the schema and of the analyzers. Bump it when either changes.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `page:12`, `entry:34` or `thread:56`: what a refresh deletes before adding the new version.
    pub key: Field,
    pub id: Field,
    /// `page`, `thread` or the kind of an entry (`service`, `job`…).
    pub kind: Field,
    pub slug: Field,
    pub title: Field,
    /// Summary, headings, description and the other fields, analysed in French.
    pub body: Field,
    /// The part of the body a snippet is cut from (stored, not indexed).
    pub text: Field,
    /// Title and body of pages written in English, analysed in English.
    pub title_en: Field,
    pub body_en: Field,
    /// Title and body, folded but not stemmed: for typos and prefixes.
    pub words: Field,
    /// The title alone, folded: a word being typed that starts a title word ranks first.
    pub title_words: Field,
    /// What a result shows under its title when no snippet is found.
    pub summary: Field,
    pub commune: Field,
    pub commune_name: Field,
    /// Threads: where the thread lives (its category, or the page or entry it discusses).
    pub place: Field,
    /// `facet=value` pairs of the lists' filters (`category=sante`, `subtype=cdi`…).
    pub tag: Field,
    /// `/kind/…`, `/commune/…`, `/theme/…`: the facets of the results page.
    pub facet: Field,
    /// Housing: rent with charges.
    pub amount: Field,
    /// Offers: the second (UTC) they leave the lists; `i64::MAX` for the rest.
    pub expires: Field,
    /// Events: the end of the last occurrence; `i64::MAX` for the rest.
    pub ends: Field,
    /// Events: every day (Europe/Paris) an occurrence touches, as days since 1970-01-01.
    pub day: Field,
    /// The order of the kind's list (title, or date then id), as a sortable string.
    pub rank: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |analyzer: &str, stored: bool| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let fields = Fields {
            key: b.add_text_field("key", STRING),
            id: b.add_u64_field("id", STORED | FAST),
            kind: b.add_text_field("kind", STRING | STORED | FAST),
            slug: b.add_text_field("slug", STORED),
            title: b.add_text_field("title", text(analysis::FRENCH, true)),
            body: b.add_text_field("body", text(analysis::FRENCH, false)),
            text: b.add_text_field("text", STORED),
            title_en: b.add_text_field("title_en", text(analysis::ENGLISH, false)),
            body_en: b.add_text_field("body_en", text(analysis::ENGLISH, false)),
            words: b.add_text_field("words", text(analysis::WORDS, false)),
            title_words: b.add_text_field("title_words", text(analysis::WORDS, false)),
            summary: b.add_text_field("summary", STORED),
            commune: b.add_text_field("commune", STRING | STORED),
            commune_name: b.add_text_field("commune_name", STORED),
            place: b.add_text_field("place", STORED),
            tag: b.add_text_field("tag", STRING),
            facet: b.add_facet_field("facet", FacetOptions::default()),
            amount: b.add_i64_field("amount", INDEXED | FAST),
            expires: b.add_i64_field("expires", INDEXED | FAST),
            ends: b.add_i64_field("ends", INDEXED | FAST),
            day: b.add_i64_field("day", INDEXED),
            rank: b.add_text_field("rank", STRING | FAST),
        };
        (b.build(), fields)
    }

    /// The fields of an existing index's schema; `None` if one is missing.
    pub fn of(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            key: f("key")?,
            id: f("id")?,
            kind: f("kind")?,
            slug: f("slug")?,
            title: f("title")?,
            body: f("body")?,
            text: f("text")?,
            title_en: f("title_en")?,
            body_en: f("body_en")?,
            words: f("words")?,
            title_words: f("title_words")?,
            summary: f("summary")?,
            commune: f("commune")?,
            commune_name: f("commune_name")?,
            place: f("place")?,
            tag: f("tag")?,
            facet: f("facet")?,
            amount: f("amount")?,
            expires: f("expires")?,
            ends: f("ends")?,
            day: f("day")?,
            rank: f("rank")?,
        })
    }
}
