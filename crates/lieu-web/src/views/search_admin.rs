//! The agents' pages of the search: the searches that found nothing, each with a one-click
//! "add as synonym" and links to create what was missing, and the groups of synonyms.

use crate::extract::PageCtx;
use crate::i18n::t;
use crate::views::{csrf_field, layout};
use lieu_store::search::SynonymGroup;
use maud::{Markup, html};

/// A search that found nothing, and the group of synonyms that already holds it, if any.
pub struct Miss {
    pub text: String,
    pub hits: i64,
    pub group: Option<SynonymGroup>,
}

/// A form sent back with an error: which one, what was typed, and the code of the error.
pub struct Refused<'a> {
    pub target: Target<'a>,
    pub typed: &'a str,
    pub code: &'static str,
}

/// Which form on the page a [`Refused`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The "add as synonym" form of this search.
    Miss(&'a str),
    /// The form that adds a group.
    NewGroup,
    /// The form of this group.
    Group(i32),
}

/// A message at the top of the page: what was just done, or why nothing was.
pub enum Notice<'a> {
    /// A search was added to (or already was in) this group.
    Added {
        group: &'a SynonymGroup,
        already: bool,
    },
    GroupAdded,
    GroupSaved,
    GroupDeleted,
    /// The group asked for does not exist (any more).
    GroupGone,
}

fn notice(n: &Notice<'_>) -> Markup {
    let (class, text) = match n {
        Notice::Added { already: false, .. } => ("alerte", t("misses.added")),
        Notice::Added { already: true, .. } => ("alerte", t("misses.already")),
        Notice::GroupAdded => ("alerte", t("synonyms.added")),
        Notice::GroupSaved => ("alerte", t("synonyms.saved")),
        Notice::GroupDeleted => ("alerte", t("synonyms.deleted")),
        Notice::GroupGone => ("alerte alerte-attention", t("synonyms.gone")),
    };
    html! {
        div class=(class) role="status" {
            p {
                (text)
                @if let Notice::Added { group, .. } = n {
                    " " (t("misses.group_now")) " " (crate::i18n::quoted(&group.terms)) ". "
                    a href={ "/gestion/synonymes#groupe-" (group.id) } { (t("misses.see_group")) }
                }
            }
        }
    }
}

/// The summary of a refused form, linking to its field (RGAA 11.10).
fn error_summary(
    refused: Option<&Refused<'_>>,
    field_id: impl Fn(&Refused<'_>) -> String,
) -> Markup {
    html! {
        @if let Some(r) = refused {
            div.alerte.alerte-erreur role="alert" aria-labelledby="lieu_erreurs_titre" {
                h2 #lieu_erreurs_titre { (t("form.errors_title")) }
                ul { li { a href={ "#" (field_id(r)) } { (t(r.code)) } } }
            }
        }
    }
}

/// A one-line text field with its label, hint and error, and what to show in it: the text the
/// agent typed when the form comes back refused, otherwise `value`.
struct Field<'a> {
    id: String,
    name: &'a str,
    label: Markup,
    /// The id of the field's hint, and its text when it is shown with the field (a hint shared
    /// by several fields is shown once, above them).
    hint: Option<(&'a str, Option<&'a str>)>,
    value: &'a str,
    error: Option<&'static str>,
    /// A text area of two lines: a group of synonyms is often longer than a phone is wide.
    multiline: bool,
}

fn text_field(f: Field<'_>) -> Markup {
    let error_id = format!("erreur-{}", f.id);
    let described: Vec<&str> = [f.hint.map(|(id, _)| id), f.error.map(|_| error_id.as_str())]
        .into_iter()
        .flatten()
        .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    html! {
        div.champ {
            label for=(f.id) { (f.label) }
            @if let Some((id, Some(text))) = f.hint { p.aide id=(id) { (text) } }
            @if let Some(code) = f.error { p.message-erreur id=(error_id) { (t(code)) } }
            @if f.multiline {
                textarea id=(f.id) name=(f.name) rows="2" required
                    aria-describedby=[described] aria-invalid=[f.error.map(|_| "true")] { (f.value) }
            } @else {
                input id=(f.id) type="text" name=(f.name) value=(f.value) required
                    aria-describedby=[described] aria-invalid=[f.error.map(|_| "true")];
            }
        }
    }
}

fn encoded(name: &str, value: &str) -> String {
    serde_urlencoded::to_string([(name, value)]).unwrap_or_default()
}

/// The searches that found nothing in the last `days` days, most frequent first.
pub fn misses(
    ctx: &PageCtx,
    misses: &[Miss],
    days: i64,
    done: Option<Notice<'_>>,
    refused: Option<&Refused<'_>>,
) -> Markup {
    let row_of = |text: &str| misses.iter().position(|m| m.text == text).unwrap_or(0);
    layout(
        ctx,
        t("misses.title"),
        html! {
            h1 { (t("misses.title")) }
            p { (t("misses.intro_1")) " " (days) " " (t("misses.intro_2")) }
            p { (t("misses.explain")) }
            p { a href="/gestion/synonymes" { (t("synonyms.see_all")) } }
            @if let Some(n) = &done { (notice(n)) }
            (error_summary(refused, |r| match r.target {
                Target::Miss(text) => format!("champ-word-{}", row_of(text)),
                _ => "champ-word-0".to_owned(),
            }))
            @if misses.is_empty() {
                p { (t("misses.none")) }
            } @else {
                p.aide #aide-word { (t("misses.word_hint")) }
                ol.liste-fiches {
                    @for (i, m) in misses.iter().enumerate() {
                        @let typed = refused.filter(|r| r.target == Target::Miss(&m.text));
                        @let title = lieu_core::french::capitalized(&m.text);
                        li.fiche {
                            h2 { (crate::i18n::quoted(&m.text)) }
                            p.fiche-faits {
                                (m.hits) " " (t(if m.hits == 1 { "misses.search_one" } else { "misses.searches" }))
                            }
                            @if let Some(g) = &m.group {
                                p { (t("misses.in_group")) " " (crate::i18n::quoted(&g.terms)) "." }
                            }
                            form method="post" action="/gestion/recherches/synonyme" {
                                (csrf_field(ctx))
                                input type="hidden" name="query" value=(m.text);
                                (text_field(Field {
                                    id: format!("champ-word-{i}"),
                                    name: "word",
                                    label: html! { (t("misses.word_label")) span.visuellement-cache { " (" (crate::i18n::quoted(&m.text)) ")" } },
                                    hint: Some(("aide-word", None)),
                                    value: typed.map_or("", |r| r.typed),
                                    error: typed.map(|r| r.code),
                                    multiline: false,
                                }))
                                button.bouton.bouton-secondaire type="submit" {
                                    (t("misses.add")) span.visuellement-cache { (crate::i18n::colon()) " " (crate::i18n::quoted(&m.text)) }
                                }
                            }
                            p {
                                a href={ "/nouvelle-page?" (encoded("titre", &title)) } {
                                    (t("misses.create_page")) span.visuellement-cache { " " (crate::i18n::quoted(&title)) }
                                }
                                " · "
                                a href={ "/gestion/fiches/nouvelle?" (encoded("titre", &title)) } {
                                    (t("misses.create_entry")) span.visuellement-cache { " " (crate::i18n::quoted(&title)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The first phrase of a group, to name it.
fn first_phrase(group: &SynonymGroup) -> &str {
    group.terms.split(',').next().unwrap_or_default().trim()
}

/// Every group of synonyms, each in its own form, and the form that adds one.
pub fn synonyms(
    ctx: &PageCtx,
    groups: &[SynonymGroup],
    done: Option<Notice<'_>>,
    refused: Option<&Refused<'_>>,
) -> Markup {
    let new_typed = refused.filter(|r| r.target == Target::NewGroup);
    layout(
        ctx,
        t("synonyms.title"),
        html! {
            h1 { (t("synonyms.title")) }
            p { (t("synonyms.intro")) }
            p { (t("synonyms.rules")) }
            p { a href="/gestion/recherches" { (t("misses.see_all")) } }
            @if let Some(n) = &done { (notice(n)) }
            (error_summary(refused, |r| match r.target {
                Target::Group(id) => format!("champ-terms-{id}"),
                _ => "champ-terms".to_owned(),
            }))
            section aria-labelledby="lieu_nouveau_groupe" {
                h2 #lieu_nouveau_groupe { (t("synonyms.new")) }
                form method="post" action="/gestion/synonymes" {
                    (csrf_field(ctx))
                    (text_field(Field {
                        id: "champ-terms".to_owned(),
                        name: "terms",
                        label: html! { (t("synonyms.new_label")) },
                        hint: Some(("aide-terms", Some(t("synonyms.new_hint")))),
                        value: new_typed.map_or("", |r| r.typed),
                        error: new_typed.map(|r| r.code),
                        multiline: true,
                    }))
                    button.bouton type="submit" { (t("synonyms.add")) }
                }
            }
            section aria-labelledby="lieu_groupes" {
                h2 #lieu_groupes { (groups.len()) " " (t(if groups.len() == 1 { "synonyms.count_one" } else { "synonyms.count" })) }
                @if groups.is_empty() {
                    p { (t("synonyms.none")) }
                }
                ol.liste-fiches {
                    @for g in groups {
                        @let typed = refused.filter(|r| r.target == Target::Group(g.id));
                        @let name = first_phrase(g);
                        li.fiche #{ "groupe-" (g.id) } {
                            form method="post" action={ "/gestion/synonymes/" (g.id) "/modifier" } {
                                (csrf_field(ctx))
                                (text_field(Field {
                                    id: format!("champ-terms-{}", g.id),
                                    name: "terms",
                                    label: html! { (t("synonyms.group")) " " (crate::i18n::quoted(name)) },
                                    hint: None,
                                    value: typed.map_or(g.terms.as_str(), |r| r.typed),
                                    error: typed.map(|r| r.code),
                                    multiline: true,
                                }))
                                div.boutons {
                                    button.bouton.bouton-secondaire type="submit" {
                                        (t("synonyms.save")) span.visuellement-cache { " " (crate::i18n::quoted(name)) }
                                    }
                                    a href={ "/gestion/synonymes/" (g.id) "/supprimer" } {
                                        (t("synonyms.delete")) span.visuellement-cache { " " (crate::i18n::quoted(name)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The step before deleting a group: what it holds, and the button that deletes it.
pub fn confirm_delete(ctx: &PageCtx, group: &SynonymGroup) -> Markup {
    layout(
        ctx,
        t("synonyms.delete_title"),
        html! {
            h1 { (t("synonyms.delete_title")) }
            p { strong { (crate::i18n::quoted(&group.terms)) } }
            p { (t("synonyms.delete_explain")) }
            form method="post" action={ "/gestion/synonymes/" (group.id) "/supprimer" } {
                (csrf_field(ctx))
                div.boutons {
                    button.bouton type="submit" { (t("synonyms.delete_confirm")) }
                    a href={ "/gestion/synonymes#groupe-" (group.id) } { (t("edit.cancel")) }
                }
            }
        },
    )
}
