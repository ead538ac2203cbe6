//! Form widgets shared by the site's forms: a control with its label, hint and error, tied
//! together by `aria-describedby` / `aria-invalid` (RGAA 11.1, 11.10). Fields are named
//! `champ-<name>`, their hints `aide-<name>` and their errors `erreur-<name>`.

use super::{field_aria, field_error};
use crate::i18n::t;
use lieu_core::Invalid;
use maud::{Markup, html};

/// What a labelled field needs around its control: the label, its hint and error, and the
/// `aria-describedby` / `aria-invalid` values that tie them to the control. The hint is
/// markup so that it may hold a link (the wiki's body field points to the editing help).
pub struct FieldFrame {
    pub head: Markup,
    pub described_by: Option<String>,
    pub invalid: Option<&'static str>,
}

pub fn field_frame(
    invalid: Option<&Invalid>,
    name: &str,
    label: &str,
    required: bool,
    hint: Option<Markup>,
) -> FieldFrame {
    let hint_id = format!("aide-{name}");
    let (error_id, aria_invalid) = field_aria(invalid, name);
    let described: Vec<&str> = [hint.as_ref().map(|_| hint_id.as_str()), error_id.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    FieldFrame {
        head: html! {
            label for={ "champ-" (name) } { (label) @if required { " " span.obligatoire { (t("form.required")) } } }
            @if let Some(h) = hint { p.aide id=(hint_id) { (h) } }
            (field_error(invalid, name))
        },
        described_by: (!described.is_empty()).then(|| described.join(" ")),
        invalid: aria_invalid,
    }
}

/// A labelled input, with its hint and error.
pub fn input(
    invalid: Option<&Invalid>,
    name: &str,
    label: &str,
    value: &str,
    input_type: &str,
    required: bool,
    hint: Option<&str>,
) -> Markup {
    let frame = field_frame(invalid, name, label, required, hint.map(|h| html! { (h) }));
    html! {
        div.champ {
            (frame.head)
            input id={ "champ-" (name) } type=(input_type) name=(name) value=(value) required[required]
                aria-describedby=[frame.described_by] aria-invalid=[frame.invalid];
        }
    }
}

pub fn textarea(
    invalid: Option<&Invalid>,
    name: &str,
    label: &str,
    value: &str,
    rows: u32,
    required: bool,
    hint: Option<&str>,
) -> Markup {
    let frame = field_frame(invalid, name, label, required, hint.map(|h| html! { (h) }));
    html! {
        div.champ {
            (frame.head)
            textarea id={ "champ-" (name) } name=(name) rows=(rows) required[required]
                aria-describedby=[frame.described_by] aria-invalid=[frame.invalid] { (value) }
        }
    }
}

pub fn select_field(
    invalid: Option<&Invalid>,
    name: &str,
    label: &str,
    value: &str,
    required: bool,
    options: &[(String, String)],
) -> Markup {
    let id = format!("champ-{name}");
    let (error_id, is_invalid) = field_aria(invalid, name);
    html! {
        div.champ {
            label for=(id) { (label) @if required { " " span.obligatoire { (t("form.required")) } } }
            (field_error(invalid, name))
            select id=(id) name=(name) required[required] aria-describedby=[error_id] aria-invalid=[is_invalid] {
                option value="" selected[value.is_empty()] { (t("form.choose")) }
                @for (val, text) in options {
                    option value=(val) selected[value == val] { (text) }
                }
            }
        }
    }
}

pub fn checkboxes(
    invalid: Option<&Invalid>,
    name: &str,
    legend: &str,
    checked: &[String],
    options: &[(String, String)],
) -> Markup {
    html! {
        fieldset.champ.cases id={ "champ-" (name) } {
            legend { (legend) }
            (field_error(invalid, name))
            @for (i, (val, text)) in options.iter().enumerate() {
                div.case {
                    input type="checkbox" id={ (name) "-" (i) } name=(name) value=(val) checked[checked.contains(val)];
                    label for={ (name) "-" (i) } { (text) }
                }
            }
        }
    }
}
