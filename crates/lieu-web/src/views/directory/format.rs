//! What the directory's pages share: the names and addresses of kinds and entries, dates, links to phones and maps, typed text as paragraphs.

use crate::i18n::t;
use crate::i18n::words;
use chrono::{NaiveDate, NaiveDateTime};
use lieu_core::entry::Kind;
use lieu_core::vocab;
use lieu_store::models::communes::Commune;
use lieu_store::models::entries::Entry;
use maud::{Markup, html};

pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => t("kind.service"),
        Kind::Association => t("kind.association"),
        Kind::Job => t("kind.job"),
        Kind::Housing => t("kind.housing"),
        Kind::Event => t("kind.event"),
    }
}

pub fn kind_plural(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => t("kinds.service"),
        Kind::Association => t("kinds.association"),
        Kind::Job => t("kinds.job"),
        Kind::Housing => t("kinds.housing"),
        Kind::Event => t("kinds.event"),
    }
}

pub(super) fn kind_intro(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => t("intro.service"),
        Kind::Association => t("intro.association"),
        Kind::Job => t("intro.job"),
        Kind::Housing => t("intro.housing"),
        Kind::Event => t("intro.event"),
    }
}

pub fn list_url(kind: Kind) -> String {
    kind.list_path()
}

pub fn entry_url(entry: &Entry) -> String {
    entry_path(entry.kind(), &entry.slug)
}

/// `/annuaire/<kind's segment>/<slug>`: where an entry is read.
pub fn entry_path(kind: Kind, slug: &str) -> String {
    format!("/annuaire/{}/{slug}", kind.segment())
}

/// "samedi 5 décembre 2026", "Saturday 5 December 2026".
pub fn date_text(d: NaiveDate) -> String {
    words::date_long(d)
}

/// "Décembre 2026", "December 2026".
pub fn month_text(year: i32, month: u32) -> String {
    words::month_year(year, month)
}

/// A Paris local moment: "samedi 5 décembre 2026 à 14 h", "Saturday 5 December 2026 at 2pm".
pub fn moment_text(local: NaiveDateTime) -> String {
    words::local_moment(local)
}

/// `tel:` address of a French number ("01 99 00 12 34" → "tel:+33199001234").
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(rest) => format!("tel:+33{rest}"),
        None => format!("tel:{digits}"),
    }
}

pub(super) fn osm_href(address: &str, commune: &Commune) -> String {
    let query = format!("{address}, {} {}", commune.postcode, commune.name);
    format!(
        "https://www.openstreetmap.org/search?{}",
        serde_urlencoded::to_string([("query", query.trim_start_matches(", "))])
            .unwrap_or_default()
    )
}

/// Text typed in a form, as paragraphs (blank lines) and line breaks.
pub(super) fn paragraphs(text: &str) -> Markup {
    html! {
        @for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p {
                @for (i, line) in para.lines().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    }
}

pub(super) fn list_labels(values: &[String], list: &[vocab::Term]) -> String {
    values
        .iter()
        .map(|v| words::term(list, v).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}
