//! From database rows to index documents.

use crate::fields::Fields;
use chrono::{NaiveDate, NaiveDateTime};
use lieu_core::entry::{Kind, utc_to_paris};
use lieu_store::search::{EntryDoc, PageDoc, ThreadDoc};
use tantivy::TantivyDocument;
use tantivy::schema::Facet;

/// Seconds since 1970 (UTC) of a timestamp.
pub fn seconds(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

/// Days since 1970-01-01 of a date.
pub fn day_number(d: NaiveDate) -> i64 {
    d.signed_duration_since(NaiveDate::default()).num_days()
}

/// Dates are kept between 1900 and 2200: shifted by this, their seconds are positive and
/// fit twelve digits, so that they sort as strings.
const SECONDS_SHIFT: i64 = 10_000_000_000;

/// A sort key for "by date, then by id" that sorts as a string.
fn date_rank(t: Option<NaiveDateTime>, id: i32) -> String {
    let s = t
        .map(seconds)
        .unwrap_or(0)
        .saturating_add(SECONDS_SHIFT)
        .max(0);
    format!("{s:012}{id:010}")
}

pub fn page_key(id: i32) -> String {
    format!("page:{id}")
}

pub fn entry_key(id: i32) -> String {
    format!("entry:{id}")
}

pub fn thread_key(id: i32) -> String {
    format!("thread:{id}")
}

fn id_u64(id: i32) -> u64 {
    u64::try_from(id).unwrap_or_default()
}

fn facet(dimension: &str, value: &str) -> Facet {
    Facet::from_path([dimension, value])
}

pub fn page(f: &Fields, p: &PageDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, page_key(p.id));
    doc.add_u64(f.id, id_u64(p.id));
    doc.add_text(f.kind, "page");
    doc.add_text(f.slug, &p.slug);
    let body = [p.headings.join("\n"), p.text.clone()].join("\n");
    // The title is stored in `title` whatever the language (results show it).
    doc.add_text(f.title, &p.title);
    if p.lang == "en" {
        doc.add_text(f.title_en, &p.title);
        doc.add_text(f.body_en, &body);
    } else {
        doc.add_text(f.body, &body);
    }
    doc.add_text(f.words, &p.title);
    doc.add_text(f.title_words, &p.title);
    doc.add_text(f.words, &body);
    doc.add_text(f.text, &p.text);
    doc.add_facet(f.facet, facet("kind", "page"));
    doc.add_i64(f.expires, i64::MAX);
    doc.add_i64(f.ends, i64::MAX);
    doc.add_text(f.rank, format!("{}\u{1}{:010}", p.title_sort, p.id));
    doc
}

pub fn entry(f: &Fields, e: &EntryDoc) -> TantivyDocument {
    let entry = &e.entry;
    let kind = entry.kind();
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, entry_key(entry.id));
    doc.add_u64(f.id, id_u64(entry.id));
    doc.add_text(f.kind, kind.as_str());
    doc.add_text(f.slug, &entry.slug);
    doc.add_text(f.title, &entry.title);
    let details = entry.details().map(|d| d.search_text()).unwrap_or_default();
    doc.add_text(f.text, format!("{}\n{details}", entry.summary));
    let mut body = vec![
        entry.summary.clone(),
        kind.search_words().to_owned(),
        details,
    ];
    body.push(e.commune_name.clone());
    for (facet_name, value) in &e.tags {
        if facet_name == "category" {
            // Category slugs read as words: `action-sociale`, `partenaire-france-services`.
            body.push(value.replace('-', " "));
        }
    }
    let body = body.join("\n");
    doc.add_text(f.words, &entry.title);
    doc.add_text(f.title_words, &entry.title);
    doc.add_text(f.words, &body);
    doc.add_text(f.body, &body);
    doc.add_text(f.summary, &entry.summary);
    doc.add_text(f.commune, &entry.commune_insee);
    doc.add_text(f.commune_name, &e.commune_name);
    doc.add_facet(f.facet, facet("kind", kind.as_str()));
    doc.add_facet(f.facet, facet("commune", &entry.commune_insee));
    for (facet_name, value) in &e.tags {
        doc.add_text(f.tag, format!("{facet_name}={value}"));
        if facet_name == "theme_group" {
            doc.add_facet(f.facet, facet("theme", value));
        }
    }
    if let Some(subtype) = &entry.subtype {
        doc.add_text(f.tag, format!("subtype={subtype}"));
    }
    if let Some(amount) = entry.amount_eur {
        doc.add_i64(f.amount, i64::from(amount));
    }
    doc.add_i64(f.expires, entry.expires_at.map(seconds).unwrap_or(i64::MAX));
    let ends = match kind {
        Kind::Event => entry.ends_at.map(seconds).unwrap_or(i64::MIN),
        _ => i64::MAX,
    };
    doc.add_i64(f.ends, ends);
    let mut days: Vec<i64> = Vec::new();
    for (start, end) in &e.occurrences {
        let (first, last) = (utc_to_paris(*start).date(), utc_to_paris(*end).date());
        let mut d = first;
        // An occurrence spans a few days at most; the bound keeps a bad row harmless.
        while d <= last && days.len() < 2_000 {
            days.push(day_number(d));
            let Some(next) = d.succ_opt() else { break };
            d = next;
        }
    }
    days.sort_unstable();
    days.dedup();
    for d in days {
        doc.add_i64(f.day, d);
    }
    let rank = match kind {
        Kind::Service | Kind::Association => format!("{}\u{1}{:010}", e.title_sort, entry.id),
        Kind::Job | Kind::Housing => date_rank(Some(entry.created_at), entry.id),
        Kind::Event => date_rank(entry.starts_at, entry.id),
    };
    doc.add_text(f.rank, rank);
    doc
}

/// What a thread's result shows when no snippet is found: the start of its first post.
fn opening(text: &str) -> String {
    const CHARS: usize = 200;
    let first = text.lines().next().unwrap_or_default().trim();
    if first.chars().count() <= CHARS {
        return first.to_owned();
    }
    let mut cut: String = first.chars().take(CHARS).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{cut}…")
}

/// A thread of the exchange space: its title, where it lives, and its visible posts' text
/// (French analysis, as pages are: accents, plurals, typos).
pub fn thread(f: &Fields, t: &ThreadDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, thread_key(t.id));
    doc.add_u64(f.id, id_u64(t.id));
    doc.add_text(f.kind, "thread");
    doc.add_text(f.slug, t.id.to_string());
    doc.add_text(f.title, &t.title);
    let body = [t.place.as_str(), t.text.as_str()].join("\n");
    doc.add_text(f.body, &body);
    doc.add_text(f.words, &t.title);
    doc.add_text(f.title_words, &t.title);
    doc.add_text(f.words, &body);
    doc.add_text(f.text, &t.text);
    doc.add_text(f.place, &t.place);
    doc.add_text(f.summary, opening(&t.text));
    doc.add_facet(f.facet, facet("kind", "thread"));
    doc.add_i64(f.expires, i64::MAX);
    doc.add_i64(f.ends, i64::MAX);
    doc.add_text(f.rank, date_rank(Some(t.last_post_at), t.id));
    doc
}
