//! Views of the directory: its home, lists with filters, entry pages (with opening hours and
//! JSON-LD), the agents' forms, histories and the list of entries to verify.

use super::{
    Paging, csrf_field, error_summary, field_aria, field_error, json_ld, layout, pagination, time,
};
use crate::extract::PageCtx;
use crate::i18n::t;
use chrono::{NaiveDate, NaiveDateTime};
use lieu_core::entry::list::ListParams;
use lieu_core::entry::{
    CONTRACTS, Details, EntryForm, HELP_MODES, HOUSING_TYPES, Kind, Status, label_of, utc_to_paris,
};
use lieu_core::hours::{self, OpenNow};
use lieu_core::{Invalid, Permission, vocab};
use lieu_store::models::communes::{Category, Commune};
use lieu_store::models::entries::Entry;
use lieu_store::models::entry_revisions::EntryRevision;
use maud::{Markup, html};
use serde_json::json;

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

fn kind_intro(kind: Kind) -> &'static str {
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
    format!("/annuaire/{}/{}", entry.kind().segment(), entry.slug)
}

/// Paris local date and time of a UTC moment: "samedi 5 décembre 2026 à 14 h".
pub fn date_fr(d: NaiveDate) -> String {
    const DAYS: [&str; 7] = [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    use chrono::Datelike;
    format!(
        "{} {} {} {}",
        DAYS[d.weekday().num_days_from_monday() as usize],
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

pub fn month_fr(year: i32, month: u32) -> String {
    const MONTHS: [&str; 12] = [
        "Janvier",
        "Février",
        "Mars",
        "Avril",
        "Mai",
        "Juin",
        "Juillet",
        "Août",
        "Septembre",
        "Octobre",
        "Novembre",
        "Décembre",
    ];
    format!("{} {year}", MONTHS[(month.clamp(1, 12) - 1) as usize])
}

pub fn local_moment_fr(local: NaiveDateTime) -> String {
    format!(
        "{} à {}",
        date_fr(local.date()),
        hours::time_fr(local.time())
    )
}

/// `tel:` address of a French number ("01 99 00 12 34" → "tel:+33199001234").
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(rest) => format!("tel:+33{rest}"),
        None => format!("tel:{digits}"),
    }
}

fn osm_href(address: &str, commune: &Commune) -> String {
    let query = format!("{address}, {} {}", commune.postcode, commune.name);
    format!(
        "https://www.openstreetmap.org/search?{}",
        serde_urlencoded::to_string([("query", query.trim_start_matches(", "))])
            .unwrap_or_default()
    )
}

/// Text typed in a form, as paragraphs (blank lines) and line breaks.
fn paragraphs(text: &str) -> Markup {
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

pub fn home(ctx: &PageCtx, counts: &[(Kind, i64)], stale: Option<i64>) -> Markup {
    layout(
        ctx,
        t("directory.title"),
        html! {
            h1 { (t("directory.title")) }
            p { (t("directory.intro")) }
            ul.cartes {
                @for (kind, count) in counts {
                    li.carte {
                        h2 { a href=(list_url(*kind)) { (kind_plural(*kind)) } }
                        p { (kind_intro(*kind)) }
                        p.carte-compte { (count) " " (t(if *count == 1 { "directory.count_one" } else { "directory.count" })) }
                    }
                }
            }
            p { a href="/agenda" { (t("agenda.title")) } " · " a href="/agenda.ics" { (t("agenda.subscribe")) } }
            @if ctx.can(Permission::ManageEntries) {
                section.gestion aria-labelledby="lieu_gestion" {
                    h2 #lieu_gestion { (t("manage.title")) }
                    ul {
                        li { a href="/gestion/fiches/nouvelle" { (t("manage.new")) } }
                        @if let Some(n) = stale {
                            li { a href="/gestion/a-verifier" { (t("manage.to_verify")) " (" (n) ")" } }
                        }
                    }
                }
            }
        },
    )
}

pub struct ListView<'a> {
    pub kind: Kind,
    pub params: &'a ListParams,
    pub entries: &'a [Entry],
    pub paging: Paging,
    pub communes: &'a [Commune],
    pub categories: &'a [Category],
    pub now: NaiveDateTime,
}

fn select(
    name: &str,
    label: &str,
    current: &str,
    any: &str,
    options: impl IntoIterator<Item = (String, String)>,
) -> Markup {
    let id = format!("filtre-{name}");
    html! {
        div.champ {
            label for=(id) { (label) }
            select #(id) name=(name) {
                option value="" selected[current.is_empty()] { (any) }
                @for (value, text) in options {
                    option value=(value) selected[current == value] { (text) }
                }
            }
        }
    }
}

fn filters(v: &ListView<'_>) -> Markup {
    let p = v.params;
    let communes = v.communes.iter().map(|c| (c.insee.clone(), c.name.clone()));
    let categories = v
        .categories
        .iter()
        .map(|c| (c.slug.clone(), c.label.clone()));
    let publics = vocab::publics()
        .iter()
        .map(|t| (t.value.clone(), t.label.clone()));
    html! {
        form.filtres method="get" action=(list_url(v.kind)) aria-labelledby="lieu_filtres" {
            h2 #lieu_filtres { (t("filters.title")) }
            div.filtres-champs {
                (select("commune", t("filters.commune"), &p.commune, t("filters.all_communes"), communes))
                @match v.kind {
                    Kind::Service => {
                        (select("theme", t("filters.theme"), &p.theme, t("filters.all"),
                            vocab::THEME_GROUPS.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))))
                        (select("public", t("filters.public"), &p.public, t("filters.all"), publics))
                        @if !v.categories.is_empty() {
                            (select("categorie", t("filters.category"), &p.categorie, t("filters.all"), categories))
                        }
                    }
                    Kind::Association => {
                        @if !v.categories.is_empty() {
                            (select("categorie", t("filters.category"), &p.categorie, t("filters.all"), categories))
                        }
                        (select("public", t("filters.public"), &p.public, t("filters.all"), publics))
                    }
                    Kind::Job => {
                        (select("contrat", t("filters.contract"), &p.contrat, t("filters.all"),
                            CONTRACTS.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))))
                    }
                    Kind::Housing => {
                        (select("type", t("filters.housing_type"), &p.housing_type, t("filters.all"),
                            HOUSING_TYPES.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))))
                        div.champ {
                            label for="filtre-loyer" { (t("filters.max_rent")) }
                            input #filtre-loyer type="number" name="loyer_max" min="0" step="10" inputmode="numeric" value=(p.loyer_max);
                        }
                    }
                    Kind::Event => {
                        (select("periode", t("filters.period"), &p.periode, t("filters.upcoming"), [
                            ("aujourdhui".to_owned(), t("filters.today").to_owned()),
                            ("semaine".to_owned(), t("filters.this_week").to_owned()),
                            ("mois".to_owned(), t("filters.this_month").to_owned()),
                            ("date".to_owned(), t("filters.on_date").to_owned()),
                        ]))
                        div.champ {
                            label for="filtre-date" { (t("filters.date")) }
                            input #filtre-date type="date" name="date" value=(p.date);
                        }
                        div.champ.case {
                            input #filtre-passes type="checkbox" name="passes" value="1" checked[p.passes == "1"];
                            label for="filtre-passes" { (t("filters.past")) }
                        }
                    }
                }
            }
            div.boutons {
                button.bouton type="submit" { (t("filters.apply")) }
                a href=(list_url(v.kind)) { (t("filters.reset")) }
            }
        }
    }
}

/// The line under an entry's title in a list: what residents compare at a glance.
fn entry_facts(entry: &Entry, details: Option<&Details>) -> Markup {
    html! {
        @match details {
            Some(Details::Job(d)) => {
                (label_of(CONTRACTS, &d.contract).unwrap_or_default()) " · " (d.employer)
                " · " (t("entry.until")) " " (d.expires_on.format("%d/%m/%Y"))
            }
            Some(Details::Housing(d)) => {
                (label_of(HOUSING_TYPES, &d.housing_type).unwrap_or_default())
                @if let Some(s) = d.surface_m2 { " · " (s) " m²" }
                " · " (entry.amount_eur.unwrap_or_default()) " € " (t("entry.per_month_cc"))
            }
            Some(Details::Event(d)) => {
                (local_moment_fr(d.starts_at))
                @if d.weekly_until.is_some() { " · " (t("entry.weekly")) }
            }
            Some(Details::Service(d)) if !d.organisation.is_empty() => { (d.organisation) }
            _ => {}
        }
    }
}

pub fn list(ctx: &PageCtx, v: &ListView<'_>) -> Markup {
    let title = kind_plural(v.kind);
    let base = v.params.url(v.kind);
    let commune_name = |insee: &str| {
        v.communes
            .iter()
            .find(|c| c.insee == insee)
            .map_or(String::new(), |c| c.name.clone())
    };
    layout(
        ctx,
        title,
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href="/annuaire" { (t("directory.title")) } " › " span aria-current="page" { (title) }
            }
            h1 { (title) }
            p { (kind_intro(v.kind)) }
            (filters(v))
            h2 #lieu_resultats aria-live="polite" {
                (v.paging.total) " " (t(if v.paging.total == 1 { "list.result" } else { "list.results" }))
            }
            @if v.entries.is_empty() {
                p { (t("list.none")) " " a href=(list_url(v.kind)) { (t("filters.reset")) } "." }
            } @else {
                ul.liste-fiches aria-labelledby="lieu_resultats" {
                    @for entry in v.entries {
                        @let details = entry.details();
                        li.fiche {
                            h3 { a href=(entry_url(entry)) { (entry.title) } }
                            p.fiche-lieu { (commune_name(&entry.commune_insee)) }
                            p.fiche-faits { (entry_facts(entry, details.as_ref())) }
                            p { (entry.summary) }
                            @if entry.is_past(v.now) { p.etiquette { (t("entry.past")) } }
                        }
                    }
                }
            }
            (pagination(v.paging, &base))
            @if v.kind == Kind::Event {
                p { a href="/agenda" { (t("agenda.by_month")) } " · " a href="/agenda.ics" { (t("agenda.subscribe")) } }
            }
        },
    )
}

/// What one `{{annuaire ...}}` of a wiki page shows.
pub enum EmbeddedList {
    Shown(ShownList),
    /// The page holds more embeds than it may: this one is not read.
    OverLimit,
}

/// Entries shown by one embed.
pub struct ShownList {
    pub kind: Kind,
    pub entries: Vec<Entry>,
    /// How many entries match in all.
    pub total: i64,
    /// The full list with the same filters.
    pub url: String,
    pub communes: Vec<Commune>,
}

/// A live list embedded in a wiki page by `{{annuaire ...}}`; nothing for an unknown list.
pub fn embedded_list(list: Option<&EmbeddedList>) -> Markup {
    let list = match list {
        None => return html! {},
        Some(EmbeddedList::OverLimit) => {
            return html! { p.liste-integree { (t("embed.too_many")) } };
        }
        Some(EmbeddedList::Shown(list)) => list,
    };
    let commune_name = |insee: &str| {
        list.communes
            .iter()
            .find(|c| c.insee == insee)
            .map_or(String::new(), |c| c.name.clone())
    };
    html! {
        div.liste-integree {
            @if list.entries.is_empty() {
                p { (t("list.none")) }
            } @else {
                ul.liste-fiches {
                    @for entry in &list.entries {
                        @let details = entry.details();
                        li.fiche {
                            p.fiche-titre { a href=(entry_url(entry)) { (entry.title) } " — " (commune_name(&entry.commune_insee)) }
                            p.fiche-faits { (entry_facts(entry, details.as_ref())) }
                            p { (entry.summary) }
                        }
                    }
                }
            }
            p { a href=(list.url) { (t("embed.see_all")) " (" (list.total) ")" } }
        }
    }
}

pub struct EntryView {
    pub entry: Entry,
    pub details: Details,
    pub commune: Commune,
    pub categories: Vec<String>,
}

fn contact_block(view: &EntryView) -> Markup {
    let c = view.details.contact();
    let address = view.details.address();
    html! {
        section.infos-pratiques aria-labelledby="lieu_pratique" {
            h2 #lieu_pratique { (t("entry.practical")) }
            dl {
                @if !address.is_empty() || !view.commune.name.is_empty() {
                    dt { (t("entry.address")) }
                    dd {
                        @if !address.is_empty() { (address) br; }
                        (view.commune.postcode) " " (view.commune.name)
                        br;
                        a href=(osm_href(address, &view.commune)) { (t("entry.map")) }
                    }
                }
                @if let Some(name) = &c.name { dt { (t("entry.contact")) } dd { (name) } }
                @if let Some(phone) = &c.phone {
                    dt { (t("entry.phone")) }
                    dd { a href=(tel_href(phone)) { (phone) } }
                }
                @if let Some(email) = &c.email {
                    dt { (t("entry.email")) }
                    dd { a href={ "mailto:" (email) } { (email) } }
                }
                @if let Some(site) = &c.website {
                    dt { (t("entry.website")) }
                    dd { a href=(site) rel="nofollow noopener" { (site) } }
                }
            }
        }
    }
}

fn opening_hours_block(oh: &str, now_utc: NaiveDateTime) -> Markup {
    let now = utc_to_paris(now_utc);
    let week = hours::week(oh, now.date());
    html! {
        section.horaires aria-labelledby="lieu_horaires" {
            h2 #lieu_horaires { (t("entry.hours")) }
            @match hours::open_now(oh, now) {
                Some(OpenNow::Open { until }) => p.etat.etat-ouvert {
                    strong { (t("hours.open_now")) }
                    @if let Some(u) = until { " — " (t("hours.closes")) " " (hours::moment_fr(u, now)) }
                },
                Some(OpenNow::Closed { opens }) => p.etat.etat-ferme {
                    strong { (t("hours.closed_now")) }
                    @if let Some(o) = opens { " — " (t("hours.opens")) " " (hours::moment_fr(o, now)) }
                },
                _ => p.etat { (t("hours.unknown")) },
            }
            @if let Some(days) = week {
                table.tableau-horaires {
                    caption.visuellement-cache { (t("entry.hours")) }
                    tbody {
                        @for day in days {
                            tr class=[(day.date == now.date()).then_some("aujourdhui")] {
                                th scope="row" { (day.name) }
                                td { (day.describe()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn list_labels(values: &[String], list: &[vocab::Term]) -> String {
    values
        .iter()
        .map(|v| vocab::label(list, v).unwrap_or(v).to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn kind_details(view: &EntryView, now: NaiveDateTime) -> Markup {
    html! {
        @match &view.details {
            Details::Service(d) => {
                @if let Some(oh) = &d.opening_hours { (opening_hours_block(oh, now)) }
                section aria-labelledby="lieu_service" {
                    h2 #lieu_service { (t("entry.about")) }
                    dl {
                        @if !d.organisation.is_empty() { dt { (t("field.organisation")) } dd { (d.organisation) } }
                        @if !d.help_modes.is_empty() {
                            dt { (t("field.help_modes")) }
                            dd { (d.help_modes.iter().filter_map(|m| label_of(HELP_MODES, m)).collect::<Vec<_>>().join(", ")) }
                        }
                        @if !d.themes.is_empty() { dt { (t("field.themes")) } dd { (list_labels(&d.themes, vocab::thematiques())) } }
                        @if !d.publics.is_empty() { dt { (t("field.publics")) } dd { (list_labels(&d.publics, vocab::publics())) } }
                        @if let Some(f) = &d.fees {
                            dt { (t("field.fees")) }
                            dd { (vocab::label(vocab::frais(), f).unwrap_or(f)) @if !d.fees_details.is_empty() { " — " (d.fees_details) } }
                        }
                        @if !d.reception.is_empty() { dt { (t("field.reception")) } dd { (list_labels(&d.reception, vocab::modes_accueil())) } }
                        @if !d.accessibility.is_empty() { dt { (t("field.accessibility")) } dd { (d.accessibility) } }
                    }
                }
            }
            Details::Association(d) => {
                section aria-labelledby="lieu_asso" {
                    h2 #lieu_asso { (t("entry.about")) }
                    dl {
                        @if !d.activities.is_empty() { dt { (t("field.activities")) } dd { (paragraphs(&d.activities)) } }
                        @if !d.meeting_times.is_empty() { dt { (t("field.meeting_times")) } dd { (d.meeting_times) } }
                        @if !d.membership_fee.is_empty() { dt { (t("field.membership_fee")) } dd { (d.membership_fee) } }
                        @if !d.publics.is_empty() { dt { (t("field.publics")) } dd { (list_labels(&d.publics, vocab::publics())) } }
                    }
                }
            }
            Details::Job(d) => {
                section aria-labelledby="lieu_offre" {
                    h2 #lieu_offre { (t("entry.offer")) }
                    dl {
                        dt { (t("field.employer")) } dd { (d.employer) }
                        dt { (t("field.contract")) } dd { (label_of(CONTRACTS, &d.contract).unwrap_or_default()) }
                        @if !d.working_hours.is_empty() { dt { (t("field.working_hours")) } dd { (d.working_hours) } }
                        @if !d.salary.is_empty() { dt { (t("field.salary")) } dd { (d.salary) } }
                        dt { (t("field.published_on")) } dd { (date_fr(d.published_on)) }
                        dt { (t("field.expires_on")) } dd { (date_fr(d.expires_on)) }
                        dt { (t("field.how_to_apply")) } dd { (paragraphs(&d.how_to_apply)) }
                    }
                }
            }
            Details::Housing(d) => {
                section aria-labelledby="lieu_logement" {
                    h2 #lieu_logement { (t("entry.offer")) }
                    dl {
                        dt { (t("field.housing_type")) } dd { (label_of(HOUSING_TYPES, &d.housing_type).unwrap_or_default()) }
                        dt { (t("field.rent")) } dd { (d.rent_eur) " € " (t("entry.per_month")) " + " (d.charges_eur) " € " (t("entry.charges")) }
                        @if let Some(s) = d.surface_m2 { dt { (t("field.surface")) } dd { (s) " m²" } }
                        @if let Some(r) = d.rooms { dt { (t("field.rooms")) } dd { (r) } }
                        dt { (t("field.furnished")) } dd { (t(if d.furnished { "yes" } else { "no" })) }
                        @if let Some(a) = d.available_from { dt { (t("field.available_from")) } dd { (date_fr(a)) } }
                        dt { (t("field.expires_on")) } dd { (date_fr(d.expires_on)) }
                    }
                }
            }
            Details::Event(d) => {
                section aria-labelledby="lieu_quand" {
                    h2 #lieu_quand { (t("entry.when")) }
                    @let occurrences = d.occurrences();
                    @if occurrences.len() == 1 {
                        p { (t("entry.from")) " " (local_moment_fr(d.starts_at)) " " (t("entry.to")) " " (hours::time_fr(d.ends_at.time()))
                            @if d.ends_at.date() != d.starts_at.date() { " " (t("entry.on")) " " (date_fr(d.ends_at.date())) } }
                    } @else {
                        p { (t("entry.weekly_from")) " " (hours::time_fr(d.starts_at.time())) " " (t("entry.from_to")) " " (hours::time_fr(d.ends_at.time())) " :" }
                        ul { @for (s, _) in occurrences { li { (date_fr(s.date())) } } }
                    }
                    p { a.bouton.bouton-secondaire href={ (entry_url(&view.entry)) ".ics" } { (t("entry.add_to_calendar")) } }
                    dl {
                        @if !d.organiser.is_empty() { dt { (t("field.organiser")) } dd { (d.organiser) } }
                        @if !d.price.is_empty() { dt { (t("field.price")) } dd { (d.price) } }
                        @if !d.booking.is_empty() { dt { (t("field.booking")) } dd { (paragraphs(&d.booking)) } }
                    }
                }
            }
        }
    }
}

/// JSON-LD of the entry, with the schema.org type that fits its kind.
pub fn structured_data(view: &EntryView, base_url: &str) -> serde_json::Value {
    let url = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        entry_url(&view.entry)
    );
    let address = json!({
        "@type": "PostalAddress",
        "streetAddress": view.details.address(),
        "postalCode": view.commune.postcode,
        "addressLocality": view.commune.name,
        "addressCountry": "FR",
    });
    let c = view.details.contact();
    let iso = |local: NaiveDateTime| {
        chrono::TimeZone::from_local_datetime(&chrono_tz::Europe::Paris, &local)
            .earliest()
            .map(|d| d.to_rfc3339())
    };
    match &view.details {
        Details::Service(d) => json!({
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": view.entry.title,
            "description": view.entry.summary,
            "url": url,
            "areaServed": { "@type": "City", "name": view.commune.name },
            "provider": { "@type": "Organization", "name": if d.organisation.is_empty() { &view.entry.title } else { &d.organisation } },
            "availableChannel": {
                "@type": "ServiceChannel",
                "servicePhone": c.phone.as_ref().map(|p| json!({ "@type": "ContactPoint", "telephone": p })),
                "serviceLocation": { "@type": "Place", "address": address },
            },
        }),
        Details::Association(d) => json!({
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": view.entry.title,
            "description": view.entry.summary,
            "url": c.website.clone().unwrap_or(url),
            "address": address,
            "telephone": c.phone,
            "email": c.email,
            "knowsAbout": d.activities,
        }),
        Details::Job(d) => json!({
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": view.entry.title,
            "description": if d.description.is_empty() { &view.entry.summary } else { &d.description },
            "datePosted": d.published_on.format("%Y-%m-%d").to_string(),
            "validThrough": d.expires_on.format("%Y-%m-%dT23:59:59").to_string(),
            "employmentType": match d.contract.as_str() {
                "cdi" => "FULL_TIME",
                "benevolat" => "VOLUNTEER",
                "apprentissage" => "INTERN",
                _ => "TEMPORARY",
            },
            "hiringOrganization": { "@type": "Organization", "name": d.employer },
            "jobLocation": { "@type": "Place", "address": address },
            "url": url,
        }),
        Details::Housing(d) => json!({
            "@context": "https://schema.org",
            "@type": "Offer",
            "name": view.entry.title,
            "description": view.entry.summary,
            "url": url,
            "price": d.rent_eur + d.charges_eur,
            "priceCurrency": "EUR",
            "validThrough": d.expires_on.format("%Y-%m-%d").to_string(),
            "availabilityStarts": d.available_from.map(|a| a.format("%Y-%m-%d").to_string()),
            "itemOffered": {
                "@type": match d.housing_type.as_str() { "maison" => "House", "appartement" => "Apartment", "chambre" | "colocation" => "Room", _ => "Accommodation" },
                "numberOfRooms": d.rooms,
                "floorSize": d.surface_m2.map(|s| json!({ "@type": "QuantitativeValue", "value": s, "unitCode": "MTK" })),
                "address": address,
            },
        }),
        Details::Event(d) => json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": view.entry.title,
            "description": view.entry.summary,
            "url": url,
            "startDate": iso(d.starts_at),
            "endDate": iso(d.ends_at),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": { "@type": "Place", "name": if d.address.is_empty() { &view.commune.name } else { &d.address }, "address": address },
            "organizer": (!d.organiser.is_empty()).then(|| json!({ "@type": "Organization", "name": d.organiser })),
            "isAccessibleForFree": d.price.to_lowercase().contains("gratuit"),
        }),
    }
}

fn agent_tools(ctx: &PageCtx, entry: &Entry) -> Markup {
    html! {
        @if ctx.can(Permission::ManageEntries) {
            section.gestion aria-labelledby="lieu_outils" {
                h2 #lieu_outils { (t("manage.tools")) }
                p { (t("manage.verified_on")) " " (time(entry.verified_at)) "." }
                ul.actions-fiche {
                    li { a href={ "/gestion/fiches/" (entry.id) "/modifier" } { (t("manage.edit")) } }
                    li { a href={ "/gestion/fiches/" (entry.id) "/historique" } { (t("manage.history")) } }
                    li {
                        form method="post" action={ "/gestion/fiches/" (entry.id) "/verifier" } {
                            (csrf_field(ctx))
                            button.bouton-lien type="submit" { (t("manage.mark_verified")) }
                        }
                    }
                    li {
                        @if entry.status() == Status::Archived {
                            form method="post" action={ "/gestion/fiches/" (entry.id) "/restaurer" } {
                                (csrf_field(ctx))
                                button.bouton-lien type="submit" { (t("manage.restore")) }
                            }
                        } @else {
                            form method="post" action={ "/gestion/fiches/" (entry.id) "/archiver" } {
                                (csrf_field(ctx))
                                button.bouton-lien type="submit" { (t("manage.archive")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn entry_page(ctx: &PageCtx, view: &EntryView, base_url: &str, now: NaiveDateTime) -> Markup {
    let entry = &view.entry;
    let kind = entry.kind();
    layout(
        ctx,
        &entry.title,
        html! {
            (json_ld(&structured_data(view, base_url)))
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href="/annuaire" { (t("directory.title")) } " › "
                a href=(list_url(kind)) { (kind_plural(kind)) } " › "
                span aria-current="page" { (entry.title) }
            }
            article.fiche-detail {
                p.fiche-type { (kind_label(kind)) " · " (view.commune.name) }
                h1 { (entry.title) }
                @if entry.status() == Status::Archived {
                    div.alerte.alerte-attention { p { (t("entry.archived_notice")) } }
                } @else if entry.is_expired(now) {
                    div.alerte.alerte-attention { p { (t("entry.expired_notice")) } }
                } @else if entry.is_past(now) {
                    div.alerte.alerte-info { p { (t("entry.past_notice")) } }
                }
                p.chapo { (entry.summary) }
                @if !view.categories.is_empty() {
                    ul.etiquettes aria-label=(t("field.categories")) {
                        @for c in &view.categories { li { (c) } }
                    }
                }
                (contact_block(view))
                (kind_details(view, now))
                @if !view.details.description().is_empty() {
                    section aria-labelledby="lieu_description" {
                        h2 #lieu_description { (t("field.description")) }
                        (paragraphs(view.details.description()))
                    }
                }
                p.page-info { (t("entry.updated")) " " (time(entry.updated_at)) }
            }
            (agent_tools(ctx, entry))
        },
    )
}

pub fn archived(ctx: &PageCtx, view: &EntryView) -> Markup {
    layout(
        ctx,
        &view.entry.title,
        html! {
            h1 { (view.entry.title) }
            p { (t("entry.archived_public")) }
            p { a href=(list_url(view.entry.kind())) { (t("entry.back_to_list")) " " (kind_plural(view.entry.kind())) } }
        },
    )
}

pub fn choose_kind(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("manage.new"),
        html! {
            h1 { (t("manage.new")) }
            p { (t("manage.choose_kind")) }
            ul.liste-pages {
                @for kind in Kind::ALL {
                    li { a href={ "/gestion/fiches/nouvelle?type=" (kind.as_str()) } { (kind_label(kind)) } }
                }
            }
        },
    )
}

pub struct FormView<'a> {
    pub kind: Kind,
    pub entry: Option<&'a Entry>,
    pub form: &'a EntryForm,
    pub invalid: Option<&'a Invalid>,
    pub communes: &'a [Commune],
    pub categories: &'a [Category],
    /// Someone saved the entry since the form was opened.
    pub conflict: bool,
}

/// What a labelled field needs around its control: the label, its hint and error, and the
/// `aria-describedby` / `aria-invalid` values that tie them to the control.
struct FieldFrame {
    head: Markup,
    described_by: Option<String>,
    invalid: Option<&'static str>,
}

fn field_frame(
    v: &FormView<'_>,
    name: &str,
    label: &str,
    required: bool,
    hint: Option<&str>,
) -> FieldFrame {
    let hint_id = format!("aide-{name}");
    let (error_id, invalid) = field_aria(v.invalid, name);
    let described: Vec<&str> = [hint.map(|_| hint_id.as_str()), error_id.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    FieldFrame {
        head: html! {
            label for={ "champ-" (name) } { (label) @if required { " " span.obligatoire { (t("form.required")) } } }
            @if let Some(h) = hint { p.aide id=(hint_id) { (h) } }
            (field_error(v.invalid, name))
        },
        described_by: (!described.is_empty()).then(|| described.join(" ")),
        invalid,
    }
}

/// A labelled input, with its hint and error.
fn input(
    v: &FormView<'_>,
    name: &str,
    label: &str,
    value: &str,
    input_type: &str,
    required: bool,
    hint: Option<&str>,
) -> Markup {
    let frame = field_frame(v, name, label, required, hint);
    html! {
        div.champ {
            (frame.head)
            input id={ "champ-" (name) } type=(input_type) name=(name) value=(value) required[required]
                aria-describedby=[frame.described_by] aria-invalid=[frame.invalid];
        }
    }
}

fn textarea(
    v: &FormView<'_>,
    name: &str,
    label: &str,
    value: &str,
    rows: u32,
    required: bool,
    hint: Option<&str>,
) -> Markup {
    let frame = field_frame(v, name, label, required, hint);
    html! {
        div.champ {
            (frame.head)
            textarea id={ "champ-" (name) } name=(name) rows=(rows) required[required]
                aria-describedby=[frame.described_by] aria-invalid=[frame.invalid] { (value) }
        }
    }
}

fn select_field(
    v: &FormView<'_>,
    name: &str,
    label: &str,
    value: &str,
    required: bool,
    options: &[(String, String)],
) -> Markup {
    let id = format!("champ-{name}");
    let (error_id, is_invalid) = field_aria(v.invalid, name);
    html! {
        div.champ {
            label for=(id) { (label) @if required { " " span.obligatoire { (t("form.required")) } } }
            (field_error(v.invalid, name))
            select id=(id) name=(name) required[required] aria-describedby=[error_id] aria-invalid=[is_invalid] {
                option value="" selected[value.is_empty()] { (t("form.choose")) }
                @for (val, text) in options {
                    option value=(val) selected[value == val] { (text) }
                }
            }
        }
    }
}

fn checkboxes(
    v: &FormView<'_>,
    name: &str,
    legend: &str,
    checked: &[String],
    options: &[(String, String)],
) -> Markup {
    html! {
        fieldset.champ.cases id={ "champ-" (name) } {
            legend { (legend) }
            (field_error(v.invalid, name))
            @for (i, (val, text)) in options.iter().enumerate() {
                div.case {
                    input type="checkbox" id={ (name) "-" (i) } name=(name) value=(val) checked[checked.contains(val)];
                    label for={ (name) "-" (i) } { (text) }
                }
            }
        }
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

fn terms(list: &[vocab::Term]) -> Vec<(String, String)> {
    list.iter()
        .map(|t| (t.value.clone(), t.label.clone()))
        .collect()
}

pub fn entry_form(ctx: &PageCtx, v: &FormView<'_>) -> Markup {
    let f = v.form;
    let (heading, action) = match v.entry {
        Some(e) => (
            format!("{} « {} »", t("manage.editing"), e.title),
            format!("/gestion/fiches/{}/modifier", e.id),
        ),
        None => (
            format!(
                "{} : {}",
                t("manage.new"),
                kind_label(v.kind).to_lowercase()
            ),
            "/gestion/fiches/nouvelle".to_owned(),
        ),
    };
    let communes: Vec<(String, String)> = v
        .communes
        .iter()
        .map(|c| (c.insee.clone(), c.name.clone()))
        .collect();
    let categories: Vec<(String, String)> = v
        .categories
        .iter()
        .map(|c| (c.slug.clone(), c.label.clone()))
        .collect();
    layout(
        ctx,
        &heading,
        html! {
            h1 { (heading) }
            @if v.conflict {
                div.alerte.alerte-attention role="alert" {
                    p { (t("manage.conflict")) }
                    @if let Some(e) = v.entry { p { a href=(entry_url(e)) { (t("manage.see_current")) } } }
                }
            }
            (error_summary(v.invalid))
            p.aide { (t("form.required_note")) }
            form.formulaire method="post" action=(action) novalidate {
                (csrf_field(ctx))
                input type="hidden" name="type" value=(v.kind.as_str());
                input type="hidden" name="base_revision" value=(v.entry.map_or(0, |e| e.revision_number));
                fieldset {
                    legend { (t("form.general")) }
                    (input(v, "title", t("field.title"), &f.title, "text", true, None))
                    (textarea(v, "summary", t("field.summary"), &f.summary, 2, true, Some(t("hint.summary"))))
                    (select_field(v, "commune", t("field.commune"), &f.commune, true, &communes))
                    (input(v, "address", t(if v.kind == Kind::Association { "field.meeting_place" } else { "field.address" }), &f.address, "text", false, None))
                    @if !categories.is_empty() {
                        (checkboxes(v, "categories", t("field.categories"), &f.categories, &categories))
                    }
                    (textarea(v, "description", t("field.description"), &f.description, 6, false, None))
                }
                @match v.kind {
                    Kind::Service => fieldset {
                        legend { (t("kind.service")) }
                        (input(v, "organisation", t("field.organisation"), &f.organisation, "text", false, None))
                        (input(v, "opening_hours", t("field.opening_hours"), &f.opening_hours, "text", false, Some(t("hint.opening_hours"))))
                        (checkboxes(v, "help_modes", t("field.help_modes"), &f.help_modes, &pairs(HELP_MODES)))
                        (checkboxes(v, "publics", t("field.publics"), &f.publics, &terms(vocab::publics())))
                        (select_field(v, "fees", t("field.fees"), &f.fees, false, &terms(vocab::frais())))
                        (input(v, "fees_details", t("field.fees_details"), &f.fees_details, "text", false, None))
                        (checkboxes(v, "reception", t("field.reception"), &f.reception, &terms(vocab::modes_accueil())))
                        (textarea(v, "accessibility", t("field.accessibility"), &f.accessibility, 2, false, None))
                        fieldset.champ.cases id="champ-themes" {
                            legend { (t("field.themes")) }
                            (field_error(v.invalid, "themes"))
                            @for (group, group_label) in vocab::THEME_GROUPS {
                                details {
                                    summary { (group_label) }
                                    @for (i, term) in vocab::thematiques().iter().enumerate().filter(|(_, t)| vocab::theme_group(&t.value) == *group) {
                                        div.case {
                                            input type="checkbox" id={ "themes-" (i) } name="themes" value=(term.value) checked[f.themes.contains(&term.value)];
                                            label for={ "themes-" (i) } { (term.label) }
                                        }
                                    }
                                }
                            }
                        }
                    },
                    Kind::Association => fieldset {
                        legend { (t("kind.association")) }
                        (textarea(v, "activities", t("field.activities"), &f.activities, 3, false, None))
                        (input(v, "meeting_times", t("field.meeting_times"), &f.meeting_times, "text", false, None))
                        (input(v, "membership_fee", t("field.membership_fee"), &f.membership_fee, "text", false, None))
                        (checkboxes(v, "publics", t("field.publics"), &f.publics, &terms(vocab::publics())))
                    },
                    Kind::Job => fieldset {
                        legend { (t("kind.job")) }
                        (input(v, "employer", t("field.employer"), &f.employer, "text", true, None))
                        (select_field(v, "contract", t("field.contract"), &f.contract, true, &pairs(CONTRACTS)))
                        (input(v, "working_hours", t("field.working_hours"), &f.working_hours, "text", false, None))
                        (input(v, "salary", t("field.salary"), &f.salary, "text", false, None))
                        (textarea(v, "how_to_apply", t("field.how_to_apply"), &f.how_to_apply, 3, true, None))
                        (input(v, "published_on", t("field.published_on"), &f.published_on, "date", false, Some(t("hint.published_on"))))
                        (input(v, "expires_on", t("field.expires_on"), &f.expires_on, "date", true, Some(t("hint.expires_on"))))
                    },
                    Kind::Housing => fieldset {
                        legend { (t("kind.housing")) }
                        (select_field(v, "housing_type", t("field.housing_type"), &f.housing_type, true, &pairs(HOUSING_TYPES)))
                        (input(v, "rent", t("field.rent"), &f.rent, "text", true, Some(t("hint.euros"))))
                        (input(v, "charges", t("field.charges"), &f.charges, "text", false, Some(t("hint.euros"))))
                        (input(v, "surface", t("field.surface"), &f.surface, "text", false, None))
                        (input(v, "rooms", t("field.rooms"), &f.rooms, "text", false, None))
                        div.champ.case {
                            input #champ-furnished type="checkbox" name="furnished" value="oui" checked[f.furnished == "oui"];
                            label for="champ-furnished" { (t("field.furnished")) }
                        }
                        (input(v, "available_from", t("field.available_from"), &f.available_from, "date", false, None))
                        (input(v, "expires_on", t("field.expires_on"), &f.expires_on, "date", true, Some(t("hint.expires_on"))))
                    },
                    Kind::Event => fieldset {
                        legend { (t("kind.event")) }
                        (input(v, "starts_at", t("field.starts_at"), &f.starts_at, "datetime-local", true, Some(t("hint.paris_time"))))
                        (input(v, "ends_at", t("field.ends_at"), &f.ends_at, "datetime-local", false, Some(t("hint.ends_at"))))
                        (input(v, "weekly_until", t("field.weekly_until"), &f.weekly_until, "date", false, Some(t("hint.weekly_until"))))
                        (input(v, "organiser", t("field.organiser"), &f.organiser, "text", false, None))
                        (input(v, "price", t("field.price"), &f.price, "text", false, None))
                        (textarea(v, "booking", t("field.booking"), &f.booking, 2, false, None))
                    },
                }
                fieldset {
                    legend { (t("form.contact")) }
                    (input(v, "contact_name", t("field.contact_name"), &f.contact_name, "text", false, None))
                    (input(v, "phone", t("field.phone"), &f.phone, "tel", false, None))
                    (input(v, "email", t("field.email"), &f.email, "email", false, None))
                    (input(v, "website", t("field.website"), &f.website, "url", false, Some(t("hint.website"))))
                }
                (input(v, "change_summary", t("edit.summary_label"), &f.change_summary, "text", false, None))
                div.boutons {
                    button.bouton type="submit" { (t("edit.save")) }
                    a href=(v.entry.map_or_else(|| "/annuaire".to_owned(), entry_url)) { (t("edit.cancel")) }
                }
            }
        },
    )
}

pub fn history(ctx: &PageCtx, entry: &Entry, revisions: &[EntryRevision]) -> Markup {
    let title = format!("{} « {} »", t("history.title"), entry.title);
    layout(
        ctx,
        &title,
        html! {
            h1 { (title) }
            p { a href=(entry_url(entry)) { (t("manage.see_current")) } }
            ol.liste-modifications reversed {
                @for r in revisions {
                    li {
                        (t("history.version")) " " (r.number) " — " (time(r.created_at)) " — " (r.author_name)
                        " — « " (r.summary) " »"
                        details {
                            summary { (t("manage.snapshot")) }
                            pre.instantane { (snapshot_text(&r.snapshot_json)) }
                        }
                    }
                }
            }
        },
    )
}

fn snapshot_text(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| json.to_owned())
}

pub fn to_verify(ctx: &PageCtx, entries: &[Entry], days: i64, paging: Paging) -> Markup {
    layout(
        ctx,
        t("manage.to_verify"),
        html! {
            h1 { (t("manage.to_verify")) }
            p {
                (t("manage.to_verify_explain")) " " (days) " " (t("manage.days")) " : "
                strong { (paging.total) } "."
            }
            @if entries.is_empty() {
                p { (t("manage.all_verified")) }
            } @else {
                table.tableau {
                    caption.visuellement-cache { (t("manage.to_verify")) }
                    thead { tr {
                        th scope="col" { (t("field.title")) }
                        th scope="col" { (t("manage.kind")) }
                        th scope="col" { (t("manage.verified_on")) }
                        th scope="col" { (t("manage.action")) }
                    } }
                    tbody {
                        @for e in entries {
                            tr {
                                td { a href=(entry_url(e)) { (e.title) } }
                                td { (kind_label(e.kind())) }
                                td { (time(e.verified_at)) }
                                td {
                                    form method="post" action={ "/gestion/fiches/" (e.id) "/verifier?retour=a-verifier" } {
                                        (csrf_field(ctx))
                                        button.bouton.bouton-secondaire type="submit" { (t("manage.mark_verified")) span.visuellement-cache { " : " (e.title) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (pagination(paging, "/gestion/a-verifier"))
        },
    )
}
