//! The directory's home, the list of each kind with its filters, and the lists embedded in
//! wiki pages.

use super::format::{entry_url, kind_intro, kind_plural, list_url, moment_text};
use crate::extract::PageCtx;
use crate::i18n::{t, words};
use crate::views::{Paging, layout, pagination};
use chrono::NaiveDateTime;
use lieu_core::entry::list::ListParams;
use lieu_core::entry::{CONTRACTS, Details, HOUSING_TYPES, Kind};
use lieu_core::{Permission, vocab};
use lieu_store::models::communes::{Category, Commune};
use lieu_store::models::entries::Entry;
use maud::{Markup, html};

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
            p { a href=(super::paper::PAPER_PATH) { (t("paper.link")) } }
            @if ctx.can(Permission::ManageEntries) {
                section.gestion aria-labelledby="lieu_gestion" {
                    h2 #lieu_gestion { (t("manage.title")) }
                    ul {
                        li { a href="/gestion/fiches/nouvelle" { (t("manage.new")) } }
                        @if let Some(n) = stale {
                            li { a href="/gestion/a-verifier" { (t("manage.to_verify")) " (" (n) ")" } }
                        }
                        @if ctx.can(Permission::ManageSearch) {
                            li { a href="/gestion/recherches" { (t("misses.title")) } }
                            li { a href="/gestion/synonymes" { (t("synonyms.title")) } }
                        }
                        @if ctx.can(Permission::ManageMail) {
                            li { a href="/gestion/courriels" { (t("mail.title")) } }
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
    let publics = vocab::publics().iter().map(|t| {
        (
            t.value.clone(),
            words::term(vocab::publics(), &t.value).to_owned(),
        )
    });
    html! {
        form.filtres method="get" action=(list_url(v.kind)) aria-labelledby="lieu_filtres" {
            h2 #lieu_filtres { (t("filters.title")) }
            div.filtres-champs {
                (select("commune", t("filters.commune"), &p.commune, t("filters.all_communes"), communes))
                @match v.kind {
                    Kind::Service => {
                        (select("theme", t("filters.theme"), &p.theme, t("filters.all"),
                            vocab::THEME_GROUPS.iter().map(|(v, _)| ((*v).to_owned(), words::theme_group(v).to_owned()))))
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
                            words::choices(CONTRACTS)))
                    }
                    Kind::Housing => {
                        (select("type", t("filters.housing_type"), &p.housing_type, t("filters.all"),
                            words::choices(HOUSING_TYPES)))
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
                (words::label(CONTRACTS, &d.contract).unwrap_or_default()) " · " (d.employer)
                " · " (t("entry.until")) " " (d.expires_on.format("%d/%m/%Y"))
            }
            Some(Details::Housing(d)) => {
                (words::label(HOUSING_TYPES, &d.housing_type).unwrap_or_default())
                @if let Some(s) = d.surface_m2 { " · " (s) " m²" }
                " · " (words::euros(entry.amount_eur.unwrap_or_default())) " " (t("entry.per_month_cc"))
            }
            Some(Details::Event(d)) => {
                (moment_text(d.starts_at))
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
            @if let Some(commune) = v.communes.iter().find(|c| c.insee == v.params.commune) {
                @let kinds = lieu_core::paper::kinds_of(
                    lieu_core::paper::DEFAULT_KINDS.iter().chain([&v.kind]).map(|k| k.segment()));
                p.lien-papier {
                    a href=(super::paper::paper_url(&commune.insee, &kinds)) {
                        (t("paper.link_commune")) " (" (commune.name) ")"
                    }
                }
            }
            @if v.kind == Kind::Event && v.params.date_refused() {
                p.alerte.alerte-attention role="status" { (t("list.date_refused")) }
            }
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
                            h3 lang=[crate::i18n::fr_content()] { a href=(entry_url(entry)) { (entry.title) } }
                            p.fiche-lieu { (commune_name(&entry.commune_insee)) }
                            p.fiche-faits { (entry_facts(entry, details.as_ref())) }
                            p lang=[crate::i18n::fr_content()] { (entry.summary) }
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
    pub entries: std::sync::Arc<Vec<Entry>>,
    /// How many entries match in all.
    pub total: i64,
    /// The full list with the same filters.
    pub url: String,
    /// The communes, for their names.
    pub territory: std::sync::Arc<crate::territory::Territory>,
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
        list.territory
            .commune(insee)
            .map_or(String::new(), |c| c.name.clone())
    };
    html! {
        div.liste-integree {
            @if list.entries.is_empty() {
                p { (t("list.none")) }
            } @else {
                ul.liste-fiches {
                    @for entry in list.entries.iter() {
                        @let details = entry.details();
                        li.fiche {
                            p.fiche-titre { a href=(entry_url(entry)) lang=[crate::i18n::fr_content()] { (entry.title) } " — " (commune_name(&entry.commune_insee)) }
                            p.fiche-faits { (entry_facts(entry, details.as_ref())) }
                            p lang=[crate::i18n::fr_content()] { (entry.summary) }
                        }
                    }
                }
            }
            p { a href=(list.url) { (t("embed.see_all")) " (" (list.total) ")" } }
        }
    }
}
