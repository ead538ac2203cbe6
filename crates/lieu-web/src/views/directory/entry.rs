//! The page of one entry: its practical information, opening hours, what its kind says,
//! and the agents' tools.

use super::format::{
    date_text, entry_url, kind_label, kind_plural, list_labels, list_url, moment_text, osm_href,
    paragraphs, tel_href,
};
use super::json_ld::structured_data;
use crate::extract::PageCtx;
use crate::i18n::{t, words};
use crate::views::{csrf_field, json_ld, layout, time};
use chrono::{Datelike, NaiveDateTime};
use lieu_core::entry::{CONTRACTS, Details, HELP_MODES, HOUSING_TYPES, Status, utc_to_paris};
use lieu_core::hours::{self, OpenNow};
use lieu_core::{Permission, vocab};
use lieu_store::models::communes::Commune;
use lieu_store::models::entries::Entry;
use maud::{Markup, html};

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
                        @if !address.is_empty() { span lang=[crate::i18n::fr_content()] { (address) } br; }
                        (view.commune.postcode) " " (view.commune.name)
                        br;
                        a href=(osm_href(address, &view.commune)) { (t("entry.map")) }
                    }
                }
                @if let Some(name) = &c.name { dt { (t("entry.contact")) } dd lang=[crate::i18n::fr_content()] { (name) } }
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
                    @if let Some(u) = until { " — " (t("hours.closes")) " " (words::moment(u, now)) }
                },
                Some(OpenNow::Closed { opens }) => p.etat.etat-ferme {
                    strong { (t("hours.closed_now")) }
                    @if let Some(o) = opens { " — " (t("hours.opens")) " " (words::moment(o, now)) }
                },
                _ => p.etat { (t("hours.unknown")) },
            }
            @if let Some(days) = week {
                table.tableau-horaires {
                    caption.visuellement-cache { (t("entry.hours")) }
                    tbody {
                        @for day in days {
                            tr class=[(day.date == now.date()).then_some("aujourdhui")] {
                                th scope="row" { (words::weekday_name(day.date.weekday())) }
                                td { (words::opening(&day)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn kind_details(view: &EntryView, now: NaiveDateTime) -> Markup {
    html! {
        @match &view.details {
            Details::Service(d) => {
                @if let Some(oh) = &d.opening_hours { (opening_hours_block(oh, now)) }
                section aria-labelledby="lieu_service" {
                    h2 #lieu_service { (t("entry.about")) }
                    dl {
                        @if !d.organisation.is_empty() { dt { (t("field.organisation")) } dd lang=[crate::i18n::fr_content()] { (d.organisation) } }
                        @if !d.help_modes.is_empty() {
                            dt { (t("field.help_modes")) }
                            dd { (d.help_modes.iter().filter_map(|m| words::label(HELP_MODES, m)).collect::<Vec<_>>().join(", ")) }
                        }
                        @if !d.themes.is_empty() { dt { (t("field.themes")) } dd { (list_labels(&d.themes, vocab::thematiques())) } }
                        @if !d.publics.is_empty() { dt { (t("field.publics")) } dd { (list_labels(&d.publics, vocab::publics())) } }
                        @if let Some(f) = &d.fees {
                            dt { (t("field.fees")) }
                            dd { (words::term(vocab::frais(), f)) @if !d.fees_details.is_empty() { " — " (d.fees_details) } }
                        }
                        @if !d.reception.is_empty() { dt { (t("field.reception")) } dd { (list_labels(&d.reception, vocab::modes_accueil())) } }
                        @if !d.accessibility.is_empty() { dt { (t("field.accessibility")) } dd lang=[crate::i18n::fr_content()] { (d.accessibility) } }
                    }
                }
            }
            Details::Association(d) => {
                section aria-labelledby="lieu_asso" {
                    h2 #lieu_asso { (t("entry.about")) }
                    dl {
                        @if !d.activities.is_empty() { dt { (t("field.activities")) } dd lang=[crate::i18n::fr_content()] { (paragraphs(&d.activities)) } }
                        @if !d.meeting_times.is_empty() { dt { (t("field.meeting_times")) } dd lang=[crate::i18n::fr_content()] { (d.meeting_times) } }
                        @if !d.membership_fee.is_empty() { dt { (t("field.membership_fee")) } dd lang=[crate::i18n::fr_content()] { (d.membership_fee) } }
                        @if !d.publics.is_empty() { dt { (t("field.publics")) } dd { (list_labels(&d.publics, vocab::publics())) } }
                    }
                }
            }
            Details::Job(d) => {
                section aria-labelledby="lieu_offre" {
                    h2 #lieu_offre { (t("entry.offer")) }
                    dl {
                        dt { (t("field.employer")) } dd lang=[crate::i18n::fr_content()] { (d.employer) }
                        dt { (t("field.contract")) } dd { (words::label(CONTRACTS, &d.contract).unwrap_or_default()) }
                        @if !d.working_hours.is_empty() { dt { (t("field.working_hours")) } dd lang=[crate::i18n::fr_content()] { (d.working_hours) } }
                        @if !d.salary.is_empty() { dt { (t("field.salary")) } dd lang=[crate::i18n::fr_content()] { (d.salary) } }
                        dt { (t("field.published_on")) } dd { (date_text(d.published_on)) }
                        dt { (t("field.expires_on")) } dd { (date_text(d.expires_on)) }
                        dt { (t("field.how_to_apply")) } dd lang=[crate::i18n::fr_content()] { (paragraphs(&d.how_to_apply)) }
                    }
                }
            }
            Details::Housing(d) => {
                section aria-labelledby="lieu_logement" {
                    h2 #lieu_logement { (t("entry.offer")) }
                    dl {
                        dt { (t("field.housing_type")) } dd { (words::label(HOUSING_TYPES, &d.housing_type).unwrap_or_default()) }
                        dt { (t("field.rent")) } dd { (words::euros(d.rent_eur)) " " (t("entry.per_month")) " + " (words::euros(d.charges_eur)) " " (t("entry.charges")) }
                        @if let Some(s) = d.surface_m2 { dt { (t("field.surface")) } dd { (s) " m²" } }
                        @if let Some(r) = d.rooms { dt { (t("field.rooms")) } dd { (r) } }
                        dt { (t("field.furnished")) } dd { (t(if d.furnished { "yes" } else { "no" })) }
                        @if let Some(a) = d.available_from { dt { (t("field.available_from")) } dd { (date_text(a)) } }
                        dt { (t("field.expires_on")) } dd { (date_text(d.expires_on)) }
                    }
                }
            }
            Details::Event(d) => {
                section aria-labelledby="lieu_quand" {
                    h2 #lieu_quand { (t("entry.when")) }
                    @let occurrences = d.occurrences();
                    @if occurrences.len() == 1 {
                        p { (t("entry.from")) " " (moment_text(d.starts_at)) " " (t("entry.to")) " " (words::time(d.ends_at.time()))
                            @if d.ends_at.date() != d.starts_at.date() { " " (t("entry.on")) " " (date_text(d.ends_at.date())) } }
                    } @else {
                        p { (t("entry.weekly_from")) " " (words::time(d.starts_at.time())) " " (t("entry.from_to")) " " (words::time(d.ends_at.time())) (crate::i18n::colon()) }
                        ul { @for (s, _) in occurrences { li { (date_text(s.date())) } } }
                    }
                    p { a.bouton.bouton-secondaire href={ (entry_url(&view.entry)) ".ics" } { (t("entry.add_to_calendar")) } }
                    dl {
                        @if !d.organiser.is_empty() { dt { (t("field.organiser")) } dd lang=[crate::i18n::fr_content()] { (d.organiser) } }
                        @if !d.price.is_empty() { dt { (t("field.price")) } dd lang=[crate::i18n::fr_content()] { (d.price) } }
                        @if !d.booking.is_empty() { dt { (t("field.booking")) } dd lang=[crate::i18n::fr_content()] { (paragraphs(&d.booking)) } }
                    }
                }
            }
        }
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
                                input type="hidden" name="base_revision" value=(entry.revision_number);
                                button.bouton-lien type="submit" { (t("manage.restore")) }
                            }
                        } @else {
                            form method="post" action={ "/gestion/fiches/" (entry.id) "/archiver" } {
                                (csrf_field(ctx))
                                input type="hidden" name="base_revision" value=(entry.revision_number);
                                button.bouton-lien type="submit" { (t("manage.archive")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn entry_page(
    ctx: &PageCtx,
    view: &EntryView,
    base_url: &str,
    now: NaiveDateTime,
    watching: Option<bool>,
) -> Markup {
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
                span aria-current="page" lang=[crate::i18n::fr_content()] { (entry.title) }
            }
            article.fiche-detail {
                p.fiche-type { (kind_label(kind)) " · " (view.commune.name) }
                h1 lang=[crate::i18n::fr_content()] { (entry.title) }
                @if entry.status() == Status::Archived {
                    div.alerte.alerte-attention { p { (t("entry.archived_notice")) } }
                } @else if entry.is_expired(now) {
                    div.alerte.alerte-attention { p { (t("entry.expired_notice")) } }
                } @else if entry.is_past(now) {
                    div.alerte.alerte-info { p { (t("entry.past_notice")) } }
                }
                p.chapo lang=[crate::i18n::fr_content()] { (entry.summary) }
                @if !view.categories.is_empty() {
                    ul.etiquettes aria-label=(t("field.categories")) lang=[crate::i18n::fr_content()] {
                        @for c in &view.categories { li { (c) } }
                    }
                }
                (contact_block(view))
                (kind_details(view, now))
                @if !view.details.description().is_empty() {
                    section aria-labelledby="lieu_description" {
                        h2 #lieu_description { (t("field.description")) }
                        div lang=[crate::i18n::fr_content()] { (paragraphs(view.details.description())) }
                    }
                }
                p.page-info { (t("entry.updated")) " " (time(entry.updated_at)) }
                @if let Some(watching) = watching {
                    div.actions-suivi {
                        (crate::views::accounts::watch_button(
                            ctx,
                            lieu_store::watches::Target::Entry(entry.id),
                            watching,
                            &entry_url(entry),
                        ))
                    }
                }
                @if entry.status() == Status::Published {
                    p.discussion-fiche {
                        a href={ (entry_url(entry)) "/discussion" } { (t("entry.discussion")) }
                    }
                    p.suggestion-correction {
                        (t("submit.suggest_hint")) " "
                        a href=(crate::views::submit::correction_url(entry.id)) { (t("submit.suggest")) }
                    }
                }
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
