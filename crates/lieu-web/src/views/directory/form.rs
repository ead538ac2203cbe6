//! The agents' entry form: choosing a kind, then one form per kind.

use super::format::{entry_url, kind_label};
use crate::extract::PageCtx;
use crate::i18n::{t, words};
use crate::views::form::{checkboxes, input, select_field, textarea};
use crate::views::{csrf_field, error_summary, field_error, layout};
use lieu_core::entry::{CONTRACTS, EntryForm, HELP_MODES, HOUSING_TYPES, Kind};
use lieu_core::{Invalid, vocab};
use lieu_store::models::communes::{Category, Commune};
use lieu_store::models::entries::Entry;
use maud::{Markup, html};

/// The kinds to choose from; `title` (the title asked for in the address, from the agents' page
/// of searches that found nothing) is carried to the chosen form.
pub fn choose_kind(ctx: &PageCtx, title: &str) -> Markup {
    let titre = if title.is_empty() {
        String::new()
    } else {
        format!(
            "&{}",
            serde_urlencoded::to_string([("titre", title)]).unwrap_or_default()
        )
    };
    layout(
        ctx,
        t("manage.new"),
        html! {
            h1 { (t("manage.new")) }
            p { (t("manage.choose_kind")) }
            ul.liste-pages {
                @for kind in Kind::ALL {
                    li { a href={ "/gestion/fiches/nouvelle?type=" (kind.as_str()) (titre) } { (kind_label(kind)) } }
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

fn pairs(list: &'static [(&'static str, &'static str)]) -> Vec<(String, String)> {
    words::choices(list)
}

fn terms(list: &[vocab::Term]) -> Vec<(String, String)> {
    list.iter()
        .map(|t| (t.value.clone(), words::term(list, &t.value).to_owned()))
        .collect()
}

pub fn entry_form(ctx: &PageCtx, v: &FormView<'_>) -> Markup {
    let f = v.form;
    let (heading, action) = match v.entry {
        Some(e) => (
            format!("{} {}", t("manage.editing"), crate::i18n::quoted(&e.title)),
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
                (entry_fields(v))
                (input(v.invalid, "change_summary", t("edit.summary_label"), &f.change_summary, "text", false, None))
                div.boutons {
                    button.bouton type="submit" { (t("edit.save")) }
                    a href=(v.entry.map_or_else(|| "/annuaire".to_owned(), entry_url)) { (t("edit.cancel")) }
                }
            }
        },
    )
}

/// The fields of an entry of `v.kind`: what it is, what is particular to its kind, whom to
/// contact. The agents' form and the public referencing form both show them, so that both
/// ask the same and are checked by the same validation.
pub fn entry_fields(v: &FormView<'_>) -> Markup {
    let f = v.form;
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
    html! {
    fieldset {
        legend { (t("form.general")) }
        (input(v.invalid, "title", t("field.title"), &f.title, "text", true, None))
        (textarea(v.invalid, "summary", t("field.summary"), &f.summary, 2, true, Some(t("hint.summary"))))
        (select_field(v.invalid, "commune", t("field.commune"), &f.commune, true, &communes))
        (input(v.invalid, "address", t(if v.kind == Kind::Association { "field.meeting_place" } else { "field.address" }), &f.address, "text", false, None))
        @if !categories.is_empty() {
            (checkboxes(v.invalid, "categories", t("field.categories"), &f.categories, &categories))
        }
        (textarea(v.invalid, "description", t("field.description"), &f.description, 6, false, None))
    }
    @match v.kind {
        Kind::Service => fieldset {
            legend { (t("kind.service")) }
            (input(v.invalid, "organisation", t("field.organisation"), &f.organisation, "text", false, None))
            (input(v.invalid, "opening_hours", t("field.opening_hours"), &f.opening_hours, "text", false, Some(t("hint.opening_hours"))))
            (checkboxes(v.invalid, "help_modes", t("field.help_modes"), &f.help_modes, &pairs(HELP_MODES)))
            (checkboxes(v.invalid, "publics", t("field.publics"), &f.publics, &terms(vocab::publics())))
            (select_field(v.invalid, "fees", t("field.fees"), &f.fees, false, &terms(vocab::frais())))
            (input(v.invalid, "fees_details", t("field.fees_details"), &f.fees_details, "text", false, None))
            (checkboxes(v.invalid, "reception", t("field.reception"), &f.reception, &terms(vocab::modes_accueil())))
            (textarea(v.invalid, "accessibility", t("field.accessibility"), &f.accessibility, 2, false, None))
            fieldset.champ.cases id="champ-themes" {
                legend { (t("field.themes")) }
                (field_error(v.invalid, "themes"))
                @for (group, _) in vocab::THEME_GROUPS {
                    details {
                        summary { (words::theme_group(group)) }
                        @for (i, term) in vocab::thematiques().iter().enumerate().filter(|(_, t)| vocab::theme_group(&t.value) == *group) {
                            div.case {
                                input type="checkbox" id={ "themes-" (i) } name="themes" value=(term.value) checked[f.themes.contains(&term.value)];
                                label for={ "themes-" (i) } { (words::term(vocab::thematiques(), &term.value)) }
                            }
                        }
                    }
                }
            }
        },
        Kind::Association => fieldset {
            legend { (t("kind.association")) }
            (textarea(v.invalid, "activities", t("field.activities"), &f.activities, 3, false, None))
            (input(v.invalid, "meeting_times", t("field.meeting_times"), &f.meeting_times, "text", false, None))
            (input(v.invalid, "membership_fee", t("field.membership_fee"), &f.membership_fee, "text", false, None))
            (checkboxes(v.invalid, "publics", t("field.publics"), &f.publics, &terms(vocab::publics())))
        },
        Kind::Job => fieldset {
            legend { (t("kind.job")) }
            (input(v.invalid, "employer", t("field.employer"), &f.employer, "text", true, None))
            (select_field(v.invalid, "contract", t("field.contract"), &f.contract, true, &pairs(CONTRACTS)))
            (input(v.invalid, "working_hours", t("field.working_hours"), &f.working_hours, "text", false, None))
            (input(v.invalid, "salary", t("field.salary"), &f.salary, "text", false, None))
            (textarea(v.invalid, "how_to_apply", t("field.how_to_apply"), &f.how_to_apply, 3, true, None))
            (input(v.invalid, "published_on", t("field.published_on"), &f.published_on, "date", false, Some(t("hint.published_on"))))
            (input(v.invalid, "expires_on", t("field.expires_on"), &f.expires_on, "date", true, Some(t("hint.expires_on"))))
        },
        Kind::Housing => fieldset {
            legend { (t("kind.housing")) }
            (select_field(v.invalid, "housing_type", t("field.housing_type"), &f.housing_type, true, &pairs(HOUSING_TYPES)))
            (input(v.invalid, "rent", t("field.rent"), &f.rent, "text", true, Some(t("hint.euros"))))
            (input(v.invalid, "charges", t("field.charges"), &f.charges, "text", false, Some(t("hint.euros"))))
            (input(v.invalid, "surface", t("field.surface"), &f.surface, "text", false, None))
            (input(v.invalid, "rooms", t("field.rooms"), &f.rooms, "text", false, None))
            div.champ.case {
                input #champ-furnished type="checkbox" name="furnished" value="oui" checked[f.furnished == "oui"];
                label for="champ-furnished" { (t("field.furnished")) }
            }
            (input(v.invalid, "available_from", t("field.available_from"), &f.available_from, "date", false, None))
            (input(v.invalid, "expires_on", t("field.expires_on"), &f.expires_on, "date", true, Some(t("hint.expires_on"))))
        },
        Kind::Event => fieldset {
            legend { (t("kind.event")) }
            (input(v.invalid, "starts_at", t("field.starts_at"), &f.starts_at, "datetime-local", true, Some(t("hint.paris_time"))))
            (input(v.invalid, "ends_at", t("field.ends_at"), &f.ends_at, "datetime-local", false, Some(t("hint.ends_at"))))
            (input(v.invalid, "weekly_until", t("field.weekly_until"), &f.weekly_until, "date", false, Some(t("hint.weekly_until"))))
            (input(v.invalid, "organiser", t("field.organiser"), &f.organiser, "text", false, None))
            (input(v.invalid, "price", t("field.price"), &f.price, "text", false, None))
            (textarea(v.invalid, "booking", t("field.booking"), &f.booking, 2, false, None))
        },
    }
    fieldset {
        legend { (t("form.contact")) }
    p.aide { (t("form.contact_published")) }
        (input(v.invalid, "contact_name", t("field.contact_name"), &f.contact_name, "text", false, None))
        (input(v.invalid, "phone", t("field.phone"), &f.phone, "tel", false, None))
        (input(v.invalid, "email", t("field.email"), &f.email, "email", false, None))
        (input(v.invalid, "website", t("field.website"), &f.website, "url", false, Some(t("hint.website"))))
    }
    }
}
