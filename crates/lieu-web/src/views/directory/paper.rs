//! The printed directory: the page that chooses what to print, and the document itself —
//! readable on screen, and laid out for A4 by the stylesheet's print section (each entry
//! whole on one page, large type for hours and phones, a QR code to each entry's page).

use super::format::{date_text, kind_plural};
use crate::extract::PageCtx;
use crate::i18n::{t, words};
use crate::views::qr::qr_svg;
use crate::views::{PageOptions, layout_with};
use chrono::{NaiveDate, NaiveDateTime};
use lieu_core::entry::{CONTRACTS, Details, HOUSING_TYPES, Kind, utc_to_paris};
use lieu_core::hours;
use lieu_core::paper::{self, Section};
use lieu_store::models::communes::Commune;
use lieu_store::models::entries::Entry;
use maud::{Markup, html};

/// The address of the choice page.
pub const PAPER_PATH: &str = "/annuaire/imprimer";

/// The place segment of the whole territory's document (an INSEE code is five characters).
pub const WHOLE_TERRITORY: &str = "territoire";

/// The document of `place` (an INSEE code or [`WHOLE_TERRITORY`]) with `kinds`; the default
/// kinds are left out of the address.
pub fn paper_url(place: &str, kinds: &[Kind]) -> String {
    let mut url = format!("{PAPER_PATH}/{place}");
    if kinds != paper::DEFAULT_KINDS {
        let query: Vec<(&str, &str)> = kinds.iter().map(|k| ("types", k.segment())).collect();
        url.push('?');
        url.push_str(&serde_urlencoded::to_string(query).unwrap_or_default());
    }
    url
}

/// The page that chooses a commune (or the whole territory) and the kinds to print.
pub fn choose(ctx: &PageCtx, communes: &[Commune], kinds: &[Kind]) -> Markup {
    layout_with(
        ctx,
        t("paper.choose_title"),
        PageOptions::default(),
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href="/annuaire" { (t("directory.title")) } " › "
                span aria-current="page" { (t("paper.choose_title")) }
            }
            h1 { (t("paper.choose_title")) }
            p { (t("paper.intro")) }
            form.filtres method="get" action=(PAPER_PATH) {
                div.champ {
                    label for="papier-commune" { (t("paper.place")) }
                    select #papier-commune name="commune" {
                        @for c in communes { option value=(c.insee) { (c.name) } }
                        option value=(WHOLE_TERRITORY) { (t("paper.whole_territory")) }
                    }
                }
                fieldset.champ {
                    legend { (t("paper.kinds")) }
                    p.aide #papier-types-aide { (t("paper.kinds_hint")) }
                    @for kind in paper::KINDS {
                        @let id = format!("papier-{}", kind.segment());
                        div.case {
                            input #(id) type="checkbox" name="types" value=(kind.segment())
                                checked[kinds.contains(&kind)] aria-describedby="papier-types-aide";
                            label for=(id) { (kind_plural(kind)) }
                        }
                    }
                }
                div.boutons { button.bouton type="submit" { (t("paper.prepare")) } }
            }
        },
    )
}

/// One entry of the document.
pub struct PaperEntry {
    pub entry: Entry,
    pub details: Details,
    /// The absolute address of its page, in its QR code.
    pub url: String,
}

/// The document.
pub struct PaperView<'a> {
    /// The commune, or `None` for the whole territory.
    pub commune: Option<&'a Commune>,
    /// The communes, for each entry's address.
    pub communes: &'a [Commune],
    pub kinds: &'a [Kind],
    /// The entries by section, or `None` when the choice holds more than
    /// [`paper::MAX_ENTRIES`].
    pub sections: Option<Vec<(Section, Vec<PaperEntry>)>>,
    /// Now, in UTC: the date printed, the hours' week, the events' next dates.
    pub now: NaiveDateTime,
    /// The site's address of the directory (`https://…/annuaire`).
    pub directory_url: String,
    pub desk_phone: &'a str,
}

fn section_title(section: Section) -> String {
    match section {
        Section::Theme(_) => {
            words::theme_group(section.theme_group().unwrap_or_default()).to_owned()
        }
        Section::OtherServices => t("paper.other_services").to_owned(),
        Section::Associations => kind_plural(Kind::Association).to_owned(),
        Section::Events => kind_plural(Kind::Event).to_owned(),
        Section::Jobs => kind_plural(Kind::Job).to_owned(),
        Section::Housing => kind_plural(Kind::Housing).to_owned(),
    }
}

/// Opening hours as runs of days in large type, for an ordinary week (no public holiday).
fn hours_lines(oh: &str, today: NaiveDate) -> Markup {
    let runs = hours::typical_week(oh, today)
        .map(|days| hours::day_runs(&days))
        .unwrap_or_default();
    html! {
        div.papier-grand {
            p.papier-libelle { (t("entry.hours")) }
            @if runs.is_empty() {
                p { (t("hours.unknown")) }
            } @else {
                ul.papier-horaires {
                    @for run in &runs {
                        li { strong { (words::day_run(run)) } (crate::i18n::colon()) " " (words::intervals(&run.intervals)) }
                    }
                }
            }
        }
    }
}

/// What the kind adds: hours for a service, meeting times, dates, the offer's terms.
fn kind_lines(details: &Details, now: NaiveDateTime) -> Markup {
    let local_now = utc_to_paris(now);
    html! {
        @match details {
            Details::Service(d) => {
                @match &d.opening_hours {
                    Some(oh) => (hours_lines(oh, local_now.date())),
                    None => div.papier-grand { p.papier-libelle { (t("entry.hours")) } p { (t("hours.unknown")) } },
                }
            }
            Details::Association(d) => {
                @if !d.meeting_times.is_empty() {
                    div.papier-grand {
                        p.papier-libelle { (t("field.meeting_times")) }
                        p lang=[crate::i18n::fr_content()] { (d.meeting_times) }
                    }
                }
            }
            Details::Event(d) => {
                @let next: Vec<NaiveDateTime> = d.occurrences().into_iter()
                    .filter(|(_, end)| *end > local_now).map(|(start, _)| start).take(3).collect();
                div.papier-grand {
                    p.papier-libelle { (t("paper.next_dates")) }
                    ul.papier-horaires { @for start in &next { li { (words::local_moment(*start)) } } }
                }
            }
            Details::Job(d) => {
                p { (words::label(CONTRACTS, &d.contract).unwrap_or_default()) " · " span lang=[crate::i18n::fr_content()] { (d.employer) } }
                p.papier-grand { strong { (t("paper.valid_until")) " " (date_text(d.expires_on)) } }
            }
            Details::Housing(d) => {
                p {
                    (words::label(HOUSING_TYPES, &d.housing_type).unwrap_or_default())
                    @if let Some(s) = d.surface_m2 { " · " (s) " m²" }
                    " · " (words::euros(d.rent_eur)) " " (t("entry.per_month")) " + " (words::euros(d.charges_eur)) " " (t("entry.charges"))
                }
                p.papier-grand { strong { (t("paper.valid_until")) " " (date_text(d.expires_on)) } }
            }
        }
    }
}

fn paper_entry(v: &PaperView<'_>, item: &PaperEntry) -> Markup {
    let entry = &item.entry;
    let commune = v.communes.iter().find(|c| c.insee == entry.commune_insee);
    let address = item.details.address();
    let contact = item.details.contact();
    let qr_label = format!("{} {}", t("paper.qr_label"), entry.title);
    html! {
        li.papier-fiche {
            div.papier-texte {
                h3 lang=[crate::i18n::fr_content()] { a href=(item.url) { (entry.title) } }
                @if let Details::Service(d) = &item.details && !d.organisation.is_empty() {
                    p.papier-organisation lang=[crate::i18n::fr_content()] { (d.organisation) }
                }
                p.papier-resume lang=[crate::i18n::fr_content()] { (entry.summary) }
                p.papier-adresse {
                    @if !address.is_empty() { span lang=[crate::i18n::fr_content()] { (address) } ", " }
                    @if let Some(c) = commune { (c.postcode) " " (c.name) }
                }
                @if let Some(phone) = &contact.phone {
                    p.papier-grand.papier-tel { (t("paper.phone")) " " strong { (phone) } }
                }
                @if let Some(email) = &contact.email { p { (email) } }
                (kind_lines(&item.details, v.now))
                // The address in letters too, for whoever types it; last, so that the
                // browser test finds each entry's two links on the same printed page.
                p.papier-url { a href=(item.url) { (item.url) } }
            }
            figure.papier-qr {
                (qr_svg(&item.url, &qr_label))
                figcaption { (t("paper.qr_caption")) }
            }
        }
    }
}

/// The printable directory of a commune or of the whole territory.
pub fn document(ctx: &PageCtx, v: &PaperView<'_>) -> Markup {
    let title = match v.commune {
        Some(c) => format!("{} {}", t("paper.title_of"), c.name),
        None => t("paper.title_territory").to_owned(),
    };
    let today = utc_to_paris(v.now).date();
    layout_with(
        ctx,
        &title,
        PageOptions {
            noindex: true,
            ..PageOptions::default()
        },
        html! {
            nav.fil-ariane.sans-impression aria-label=(t("breadcrumb")) {
                a href="/annuaire" { (t("directory.title")) } " › "
                a href=(PAPER_PATH) { (t("paper.choose_title")) } " › "
                span aria-current="page" { (title) }
            }
            div.papier {
                header.papier-entete {
                    h1 { (title) }
                    p.papier-date { strong { (t("paper.printed_on")) " " (date_text(today)) } " — " (t("paper.up_to_date")) }
                    p { (t("paper.online")) " " strong.papier-adresse-site { (v.directory_url) } }
                    div.papier-aide {
                        p { (t("paper.help")) }
                        @if !v.desk_phone.trim().is_empty() {
                            p.papier-grand { (t("paper.help_phone")) " " strong { (v.desk_phone) } }
                        }
                    }
                    div.sans-impression {
                        p { (t("paper.print_hint")) }
                        p {
                            button.bouton type="button" data-imprimer hidden { (t("paper.print")) } " "
                            a href=(PAPER_PATH) { (t("paper.choose_other")) }
                        }
                    }
                }
                @match &v.sections {
                    None => {
                        p.alerte.alerte-attention role="status" {
                            (t("paper.too_many")) " " (paper::MAX_ENTRIES) ". " (t("paper.too_many_next"))
                        }
                        p { a href=(PAPER_PATH) { (t("paper.choose_other")) } }
                    }
                    Some(sections) if sections.is_empty() => {
                        p { (t("paper.empty")) }
                    }
                    Some(sections) => {
                        nav.papier-sommaire aria-labelledby="papier-sommaire" {
                            h2 #papier-sommaire { (t("paper.contents")) }
                            ul {
                                @for (section, items) in sections {
                                    li { a href={ "#" (section.id()) } { (section_title(*section)) } " (" (items.len()) ")" }
                                }
                            }
                        }
                        @for (section, items) in sections {
                            section.papier-section aria-labelledby=(section.id()) {
                                h2 #(section.id()) { (section_title(*section)) }
                                ul.papier-fiches {
                                    @for item in items { (paper_entry(v, item)) }
                                }
                            }
                        }
                    }
                }
                p.papier-pied { (title) " — " (t("paper.printed_on")) " " (date_text(today)) " — " (v.directory_url) }
            }
        },
    )
}
