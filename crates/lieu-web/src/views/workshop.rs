//! Workshops: the trainer's list and new-workshop form, the trainer's page (the day's plan and
//! the participants), the printed login cards, the reset, and the sandbox every participant
//! works in — practice pages, the practice referencing form, the practice queue and the
//! practice mailbox — each under a banner that says nothing there is published.

use super::directory::{FormView, entry_fields, kind_label};
use super::form::{field_frame, input};
use super::review::Refusal;
use super::submit::{kind_with_article, proposed, status_label};
use crate::extract::PageCtx;
use crate::i18n::t;
use crate::views::{PageOptions, csrf_field, error_summary, layout_with, time, trusted_html};
use chrono::{NaiveDate, NaiveDateTime};
use lieu_core::Invalid;
use lieu_core::entry::Kind;
use lieu_core::submission::{RejectReason, SubmissionStatus};
use lieu_core::workshop::{MAX_PARTICIPANTS, WorkshopDraft, WorkshopId};
use lieu_store::workshops::{Card, PracticeMail, PracticePage, PracticeSubmission, Workshop};
use maud::{Markup, html};

/// The trainer's list of workshops and the new-workshop form.
pub const LIST_PATH: &str = "/ateliers";
/// Where a login card sends a participant: their sandbox, once logged in.
pub const MINE_PATH: &str = "/atelier";
/// Where the menu's referencing link sends a participant: their practice form.
pub const MINE_FORM_PATH: &str = "/atelier/referencer";

pub fn workshop_path(id: WorkshopId) -> String {
    format!("{LIST_PATH}/{id}")
}

pub fn sandbox_path(id: WorkshopId) -> String {
    format!("{LIST_PATH}/{id}/bac-a-sable")
}

pub fn practice_page_path(id: WorkshopId, slug: &str) -> String {
    format!("{}/{slug}", sandbox_path(id))
}

pub fn new_page_path(id: WorkshopId) -> String {
    format!("{LIST_PATH}/{id}/nouvelle-page")
}

pub fn practice_form_path(id: WorkshopId) -> String {
    format!("{LIST_PATH}/{id}/referencer")
}

pub fn queue_path(id: WorkshopId) -> String {
    format!("{LIST_PATH}/{id}/propositions")
}

pub fn practice_submission_path(id: WorkshopId, submission: i32) -> String {
    format!("{}/{submission}", queue_path(id))
}

pub fn mailbox_path(id: WorkshopId) -> String {
    format!("{LIST_PATH}/{id}/courriels")
}

pub fn mail_path(id: WorkshopId, mail: i32) -> String {
    format!("{}/{mail}", mailbox_path(id))
}

/// The sanitized HTML of a practice page with its wiki links led into the sandbox: a link to
/// a page goes to the sandbox's page of that name, a link to a missing page to the sandbox's
/// new-page form. The input is the renderer's sanitized output, in which these two prefixes
/// can only be the renderer's own links (typed text has its quotes escaped).
pub fn sandbox_html(html: &str, id: WorkshopId) -> String {
    html.replace("href=\"/wiki/", &format!("href=\"{}/", sandbox_path(id)))
        .replace(
            "href=\"/nouvelle-page?",
            &format!("href=\"{}?", new_page_path(id)),
        )
}

/// A day as the interface writes it: « 03/12/2026 ».
pub fn day_numeric(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// Where a practice submission stands: the real queue's words, but an accepted one is not
/// published.
pub fn practice_status_label(status: SubmissionStatus) -> &'static str {
    match status {
        SubmissionStatus::Approved => t("workshop.status_approved"),
        other => status_label(other),
    }
}

fn noindex() -> PageOptions<'static> {
    PageOptions {
        noindex: true,
        ..PageOptions::default()
    }
}

/// What every sandbox page says first: this is practice.
pub fn sandbox_banner() -> Markup {
    html! {
        div.bandeau-entrainement role="note" {
            p { strong { (t("workshop.banner")) } }
            p { (t("workshop.banner_explain")) }
        }
    }
}

/// The links under a list read page by page from a row on: back to the first page (at
/// `first`) when this one is not it, on to the next when there is one. Nothing when the list
/// fits on one page.
fn keyset_nav(first: &str, paged: bool, next: Option<&str>) -> Markup {
    html! {
        @if paged || next.is_some() {
            nav.pagination aria-label=(t("paging.label")) {
                @if paged { a href=(first) { (t("review.first_page")) } }
                @if let Some(next) = next { a rel="next" href=(next) { (t("paging.next")) } }
            }
        }
    }
}

/// A table that may be wider than the screen (it scrolls, the page does not): its caption,
/// read by screen readers only, the headings of its columns and its rows.
fn table(caption: Markup, columns: &[&str], rows: Markup) -> Markup {
    html! {
        div.tableau-defilant {
            table.tableau {
                caption.visuellement-cache { (caption) }
                thead { tr {
                    @for c in columns { th scope="col" { (c) } }
                } }
                tbody { (rows) }
            }
        }
    }
}

/// What every page of the sandbox shows first: the banner and the sandbox's menu (the
/// trainer's part of it when `runs`).
pub fn sandbox_header(ctx: &PageCtx, id: WorkshopId, runs: bool) -> Markup {
    let here = ctx.path.split('?').next().unwrap_or_default().to_owned();
    let current = |path: &str| (here == path).then_some("page");
    let exchange = super::exchange::practice_path(id.0);
    let moderation = super::exchange::practice_queue_path(id.0);
    html! {
        (sandbox_banner())
        nav.menu-atelier aria-label=(t("workshop.sandbox_menu")) {
            ul {
                li { a href=(sandbox_path(id)) aria-current=[current(&sandbox_path(id))] { (t("workshop.sandbox_pages")) } }
                li { a href=(practice_form_path(id)) aria-current=[current(&practice_form_path(id))] { (t("workshop.practice_form")) } }
                li { a href=(mailbox_path(id)) aria-current=[current(&mailbox_path(id))] { (t("workshop.mailbox")) } }
                li { a href=(exchange) aria-current=[current(&exchange)] { (t("workshop.exchange")) } }
                @if runs {
                    li { a href=(queue_path(id)) aria-current=[current(&queue_path(id))] { (t("workshop.queue")) } }
                    li { a href=(moderation) aria-current=[current(&moderation)] { (t("workshop.exchange_queue")) } }
                    li { a href=(workshop_path(id)) { (t("workshop.trainer_page")) } }
                }
            }
        }
    }
}

/// A page of the sandbox: the banner, the sandbox's menu, the content.
fn sandbox_layout(ctx: &PageCtx, w: &Workshop, runs: bool, title: &str, content: Markup) -> Markup {
    layout_with(
        ctx,
        &format!("{title} — {}", t("workshop.sandbox_short")),
        noindex(),
        html! {
            (sandbox_header(ctx, w.workshop_id(), runs))
            (content)
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The trainer's pages

pub struct ListView<'a> {
    pub rows: &'a [Workshop],
    /// The address of the next page, if there is one.
    pub next: Option<String>,
    pub paged: bool,
    /// The material folder's pages: (file name, title).
    pub material: &'a [(String, String)],
    /// The new-workshop form as typed.
    pub form: &'a WorkshopDraft,
    pub invalid: Option<&'a Invalid>,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

pub fn list(ctx: &PageCtx, v: &ListView<'_>) -> Markup {
    let f = v.form;
    let material = field_frame(
        v.invalid,
        "material",
        t("workshop.material"),
        false,
        Some(html! { (t("workshop.material_hint")) }),
    );
    let max_day = v
        .today
        .checked_add_days(chrono::Days::new(lieu_core::workshop::MAX_DAYS_AHEAD))
        .unwrap_or(v.today);
    let day = field_frame(
        v.invalid,
        "day",
        t("workshop.day"),
        true,
        Some(html! { (t("workshop.day_hint")) }),
    );
    let participants = field_frame(
        v.invalid,
        "participants",
        t("workshop.participants"),
        true,
        Some(html! { (t("workshop.participants_hint")) }),
    );
    layout_with(
        ctx,
        t("workshop.list_title"),
        noindex(),
        html! {
            h1 { (t("workshop.list_title")) }
            p.chapo { (t("workshop.list_intro")) }
            section aria-labelledby="lieu_nouvel_atelier" {
                h2 #lieu_nouvel_atelier { (t("workshop.new")) }
                (error_summary(v.invalid))
                p.aide { (t("form.required_note")) }
                form.formulaire method="post" action=(LIST_PATH) novalidate {
                    (csrf_field(ctx))
                    (input(v.invalid, "title", t("workshop.title"), &f.title, "text", true, Some(t("workshop.title_hint"))))
                    div.champ {
                        (day.head)
                        input #champ-day type="date" name="day" value=(f.day) required
                            min=(v.today.format("%Y-%m-%d")) max=(max_day.format("%Y-%m-%d"))
                            aria-describedby=[day.described_by] aria-invalid=[day.invalid];
                    }
                    div.champ {
                        (participants.head)
                        input #champ-participants type="number" name="participants" value=(f.participants)
                            required min="1" max=(MAX_PARTICIPANTS) inputmode="numeric"
                            aria-describedby=[participants.described_by] aria-invalid=[participants.invalid];
                    }
                    fieldset.champ.cases id="champ-material" aria-describedby=[material.described_by] {
                        legend { (t("workshop.material")) }
                        p.aide id="aide-material" { (t("workshop.material_hint")) }
                        (super::field_error(v.invalid, "material"))
                        @if v.material.is_empty() {
                            p { (t("workshop.no_material")) }
                        }
                        @for (i, (file, title)) in v.material.iter().enumerate() {
                            div.case {
                                input type="checkbox" id={ "materiel-" (i) } name="material" value=(file)
                                    checked[f.material.contains(file)];
                                label for={ "materiel-" (i) } { (title) }
                            }
                        }
                    }
                    div.boutons {
                        button.bouton type="submit" { (t("workshop.create")) }
                    }
                }
            }
            section aria-labelledby="lieu_ateliers" {
                h2 #lieu_ateliers { (t("workshop.list_heading")) }
                @if v.rows.is_empty() {
                    p { (t("workshop.none")) }
                } @else {
                    (table(
                        html! { (t("workshop.list_heading")) },
                        &[t("workshop.day"), t("workshop.title"), t("workshop.participants"), t("workshop.state")],
                        html! {
                            @for w in v.rows {
                                tr {
                                    td { (day_numeric(w.day)) }
                                    td { a href=(workshop_path(w.workshop_id())) { (w.title) } }
                                    td { (w.participants) }
                                    td { (t(if w.is_over(v.now) { "workshop.over" } else { "workshop.open" })) }
                                }
                            }
                        },
                    ))
                }
                (keyset_nav(LIST_PATH, v.paged, v.next.as_deref()))
            }
        },
    )
}

/// What the trainer's page says after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Created,
    Reset,
}

pub struct TrainerView<'a> {
    pub workshop: &'a Workshop,
    /// The day's plan: (title, slug) of each starting page, in order.
    pub plan: &'a [(String, String)],
    pub cards: &'a [Card],
    pub waiting: i64,
    /// Posts of the practice exchange space held or reported (counted up to 100).
    pub posts_waiting: i64,
    pub done: Option<Done>,
    pub now: NaiveDateTime,
}

pub fn trainer_page(ctx: &PageCtx, v: &TrainerView<'_>) -> Markup {
    let w = v.workshop;
    let id = w.workshop_id();
    let over = w.is_over(v.now);
    layout_with(
        ctx,
        &w.title,
        noindex(),
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href=(LIST_PATH) { (t("workshop.list_title")) } " › "
                span aria-current="page" { (w.title) }
            }
            @match v.done {
                Some(Done::Created) => div.alerte.alerte-succes role="status" {
                    p { (t("workshop.created").replace("{n}", &w.participants.to_string())) }
                    p { a href={ (workshop_path(id)) "/cartes" } { (t("workshop.print_cards")) } }
                },
                Some(Done::Reset) => div.alerte.alerte-succes role="status" { p { (t("workshop.reset_done")) } },
                None => {},
            }
            h1 { (w.title) }
            ul.resume-demande {
                li { (t("workshop.day")) (crate::i18n::colon()) " " strong { (day_numeric(w.day)) } }
                li { (t("workshop.participants")) (crate::i18n::colon()) " " strong { (w.participants) } }
                li { (t(if over { "workshop.accounts_ended" } else { "workshop.accounts_end" })) " " (time(w.ends_at)) }
                @if let Some(at) = w.reset_at { li { (t("workshop.last_reset")) " " (time(at)) } }
            }
            nav.actions-page aria-label=(t("workshop.actions")) {
                ul {
                    li { a href={ (workshop_path(id)) "/cartes" } { (t("workshop.print_cards")) } }
                    li { a href=(sandbox_path(id)) { (t("workshop.sandbox_pages")) } }
                    li { a href=(queue_path(id)) { (t("workshop.queue")) " (" (v.waiting) ")" } }
                    li { a href=(mailbox_path(id)) { (t("workshop.mailbox")) } }
                    li { a href=(super::exchange::practice_path(id.0)) { (t("workshop.exchange")) } }
                    li { a href=(super::exchange::practice_queue_path(id.0)) { (t("workshop.exchange_queue")) " (" (v.posts_waiting) ")" } }
                    li { a href={ (workshop_path(id)) "/reinitialiser" } { (t("workshop.reset")) } }
                }
            }
            section aria-labelledby="lieu_deroule" {
                h2 #lieu_deroule { (t("workshop.plan")) }
                @if v.plan.is_empty() {
                    p { (t("workshop.plan_empty")) }
                } @else {
                    ol.deroule {
                        @for (title, slug) in v.plan {
                            li { a href=(practice_page_path(id, slug)) { (title) } }
                        }
                    }
                }
            }
            section aria-labelledby="lieu_participants" {
                h2 #lieu_participants { (t("workshop.participants_heading")) }
                (table(
                    html! { (t("workshop.participants_heading")) },
                    &[t("workshop.seat"), t("workshop.login")],
                    html! {
                        @for c in v.cards {
                            tr { td { (c.number) } td { code { (c.login) } } }
                        }
                    },
                ))
            }
        },
    )
}

pub struct CardsView<'a> {
    pub workshop: &'a Workshop,
    pub cards: &'a [Card],
    /// The address printed on each card (the site and [`MINE_PATH`], without the scheme).
    pub address: &'a str,
    pub now: NaiveDateTime,
}

/// The login cards, one per participant, in large type; printed as they are shown (the
/// stylesheet's print section keeps only the cards, each unbroken).
pub fn cards(ctx: &PageCtx, v: &CardsView<'_>) -> Markup {
    let w = v.workshop;
    let over = w.is_over(v.now);
    let title = format!("{} — {}", t("workshop.cards_title"), w.title);
    layout_with(
        ctx,
        &title,
        noindex(),
        html! {
            div.sans-impression {
                nav.fil-ariane aria-label=(t("breadcrumb")) {
                    a href=(LIST_PATH) { (t("workshop.list_title")) } " › "
                    a href=(workshop_path(w.workshop_id())) { (w.title) } " › "
                    span aria-current="page" { (t("workshop.cards_title")) }
                }
                h1 { (title) }
                @if over {
                    div.alerte.alerte-info role="status" { p { (t("workshop.cards_over")) } }
                } @else {
                    p { (t("workshop.cards_how")) }
                }
            }
            @if !over {
                div.cartes-connexion {
                    @for c in v.cards {
                        section.carte-connexion aria-labelledby={ "carte-" (c.number) } {
                            h2 id={ "carte-" (c.number) } { (t("workshop.card_heading")) " " (c.number) }
                            p.carte-atelier { (w.title) " — " (day_numeric(w.day)) }
                            dl {
                                dt { (t("workshop.card_address")) }
                                dd.carte-valeur.carte-adresse { (v.address) }
                                dt { (t("workshop.login")) }
                                dd.carte-valeur { (c.login) }
                                dt { (t("workshop.password")) }
                                dd.carte-valeur { (c.password) }
                            }
                            p.carte-note { (t("workshop.card_note").replace("{day}", &day_numeric(w.day))) }
                        }
                    }
                }
            }
        },
    )
}

/// Asks before the sandbox is emptied.
pub fn reset_confirm(ctx: &PageCtx, w: &Workshop) -> Markup {
    let path = format!("{}/reinitialiser", workshop_path(w.workshop_id()));
    layout_with(
        ctx,
        t("workshop.reset"),
        noindex(),
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href=(LIST_PATH) { (t("workshop.list_title")) } " › "
                a href=(workshop_path(w.workshop_id())) { (w.title) } " › "
                span aria-current="page" { (t("workshop.reset")) }
            }
            h1 { (t("workshop.reset")) (crate::i18n::colon()) " " (w.title) }
            p { (t("workshop.reset_explain")) }
            form.formulaire method="post" action=(path) {
                (csrf_field(ctx))
                div.boutons {
                    button.bouton.bouton-danger type="submit" { (t("workshop.reset_confirm")) }
                    a href=(workshop_path(w.workshop_id())) { (t("edit.cancel")) }
                }
            }
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The sandbox: pages

pub struct SandboxView<'a> {
    pub workshop: &'a Workshop,
    pub runs: bool,
    pub pages: &'a [PracticePage],
    pub next: Option<String>,
    pub paged: bool,
}

pub fn sandbox(ctx: &PageCtx, v: &SandboxView<'_>) -> Markup {
    let w = v.workshop;
    let id = w.workshop_id();
    sandbox_layout(
        ctx,
        w,
        v.runs,
        t("workshop.sandbox_pages"),
        html! {
            h1 { (t("workshop.sandbox_pages")) }
            p { (t("workshop.sandbox_intro")) " " (crate::i18n::quoted(&w.title)) "." }
            p { a.bouton href=(new_page_path(id)) { (t("workshop.new_page")) } }
            @if v.pages.is_empty() {
                p { (t("workshop.no_pages")) }
            } @else {
                ul.liste-pages {
                    @for p in v.pages {
                        li { a href=(practice_page_path(id, &p.slug)) { (p.title) } }
                    }
                }
            }
            (keyset_nav(&sandbox_path(id), v.paged, v.next.as_deref()))
        },
    )
}

pub fn practice_page(ctx: &PageCtx, w: &Workshop, runs: bool, page: &PracticePage) -> Markup {
    let id = w.workshop_id();
    let edit = format!("{}/modifier", practice_page_path(id, &page.slug));
    sandbox_layout(
        ctx,
        w,
        runs,
        &page.title,
        html! {
            article.page-wiki {
                h1 { (page.title) }
                nav.actions-page aria-label=(t("page.actions_label")) {
                    ul { li { a href=(edit) { (t("page.edit")) } } }
                }
                div.contenu-wiki { (trusted_html(&sandbox_html(&page.html, id))) }
                footer.page-info {
                    p { (t("page.updated")) " " (time(page.updated_at)) " " (t("review.by")) " " (page.updated_by_name)
                        " · " a href=(edit) { (t("page.edit")) } }
                }
            }
        },
    )
}

/// A page of the sandbox that does not exist: offered to be created.
pub fn missing_page(ctx: &PageCtx, w: &Workshop, runs: bool, slug: &str) -> Markup {
    let id = w.workshop_id();
    let title = slug.replace('-', " ");
    sandbox_layout(
        ctx,
        w,
        runs,
        t("workshop.missing_page"),
        html! {
            h1 { (t("workshop.missing_page")) }
            p { a href={ (new_page_path(id)) "?" (serde_urlencoded::to_string([("titre", title.as_str())]).unwrap_or_default()) } { (t("workshop.create_it")) } }
            p { a href=(sandbox_path(id)) { (t("workshop.sandbox_pages")) } }
        },
    )
}

/// The sandbox's edit form: a new page (`slug` none, the title a field) or an existing one.
pub struct PracticeEdit<'a> {
    pub workshop: &'a Workshop,
    pub runs: bool,
    /// The page edited (its slug and title); none for a new page.
    pub page: Option<(&'a str, &'a str)>,
    pub title: &'a str,
    pub body: &'a str,
    pub base_revision: i32,
    pub invalid: Option<&'a Invalid>,
    /// Someone saved the page since the form was opened: the page as it is now.
    pub conflict: Option<&'a PracticePage>,
}

pub fn practice_edit(ctx: &PageCtx, v: &PracticeEdit<'_>) -> Markup {
    let id = v.workshop.workshop_id();
    let (heading, action) = match v.page {
        None => (t("workshop.new_page").to_owned(), new_page_path(id)),
        Some((slug, title)) => (
            format!("{} {}", t("edit.editing"), crate::i18n::quoted(title)),
            format!("{}/modifier", practice_page_path(id, slug)),
        ),
    };
    let title = field_frame(v.invalid, "title", t("edit.title_label"), true, None);
    let body = field_frame(
        v.invalid,
        "body",
        t("edit.body_label"),
        true,
        Some(html! { (t("edit.body_hint")) }),
    );
    sandbox_layout(
        ctx,
        v.workshop,
        v.runs,
        &heading,
        html! {
            h1 { (heading) }
            @if let Some(current) = v.conflict {
                div.alerte.alerte-attention role="alert" aria-labelledby="lieu_conflit" {
                    h2 #lieu_conflit { (t("edit.conflict_title")) }
                    p { (current.updated_by_name) " " (t("edit.conflict_saved")) " " (time(current.updated_at)) "." }
                    p { (t("workshop.conflict_explain")) }
                    details open {
                        summary { (t("workshop.conflict_their_text")) }
                        pre.texte-source { (current.body) }
                    }
                }
            }
            (error_summary(v.invalid))
            form.formulaire method="post" action=(action) {
                (csrf_field(ctx))
                input type="hidden" name="base_revision" value=(v.base_revision);
                @if v.page.is_none() {
                    div.champ {
                        (title.head)
                        input #champ-title type="text" name="title" value=(v.title) required
                            maxlength="120" autocomplete="off"
                            aria-describedby=[title.described_by] aria-invalid=[title.invalid];
                    }
                }
                div.champ {
                    (body.head)
                    textarea #champ-body name="body" rows="20" required
                        aria-describedby=[body.described_by] aria-invalid=[body.invalid] { (v.body) }
                }
                div.boutons {
                    button.bouton type="submit" { (t("edit.save")) }
                    a href=(match v.page { Some((slug, _)) => practice_page_path(id, slug), None => sandbox_path(id) }) { (t("edit.cancel")) }
                }
            }
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The practice referencing form

pub fn practice_choose(ctx: &PageCtx, w: &Workshop, runs: bool) -> Markup {
    let path = practice_form_path(w.workshop_id());
    sandbox_layout(
        ctx,
        w,
        runs,
        t("workshop.practice_form"),
        html! {
            h1 { (t("workshop.practice_form")) }
            p.chapo { (t("workshop.practice_form_intro")) }
            h2 { (t("submit.choose")) }
            ul.choix-type {
                @for kind in Kind::ALL {
                    li {
                        a href={ (path) "?type=" (kind.as_str()) } {
                            strong { (kind_label(kind)) }
                            span { (t(&format!("submit.kind_hint.{}", kind.as_str()))) }
                        }
                    }
                }
            }
        },
    )
}

pub struct PracticeFormView<'a> {
    pub workshop: &'a Workshop,
    pub runs: bool,
    pub fields: FormView<'a>,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub consent: bool,
}

pub fn practice_form(ctx: &PageCtx, v: &PracticeFormView<'_>) -> Markup {
    let invalid = v.fields.invalid;
    let heading = format!(
        "{} {}",
        t("submit.propose"),
        kind_with_article(v.fields.kind)
    );
    let consent = field_frame(invalid, "consent", t("submit.consent"), true, None);
    sandbox_layout(
        ctx,
        v.workshop,
        v.runs,
        &heading,
        html! {
            h1 { (heading) }
            p { (t("workshop.practice_form_note")) }
            (error_summary(invalid))
            p.aide { (t("form.required_note")) }
            form.formulaire method="post" action=(practice_form_path(v.workshop.workshop_id())) novalidate {
                (csrf_field(ctx))
                input type="hidden" name="type" value=(v.fields.kind.as_str());
                (entry_fields(&v.fields))
                fieldset {
                    legend { (t("submit.sender")) }
                    p.aide { (t("workshop.sender_hint")) }
                    (input(invalid, "sender_name", t("field.sender_name"), v.sender_name, "text", true, None))
                    (input(invalid, "sender_email", t("field.sender_email"), v.sender_email, "email", true, Some(t("workshop.sender_email_hint"))))
                }
                fieldset {
                    legend { (t("submit.privacy")) }
                    (super::field_error(invalid, "consent"))
                    div.champ.case {
                        input #champ-consent type="checkbox" name="consent" value="oui" checked[v.consent] required
                            aria-describedby=[consent.described_by] aria-invalid=[consent.invalid];
                        label for="champ-consent" { (t("submit.consent")) " " span.obligatoire { (t("form.required")) } }
                    }
                }
                div.boutons {
                    button.bouton type="submit" { (t("submit.send")) }
                }
            }
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The practice queue

/// The statuses the practice queue lists, as tabs.
pub const QUEUE_STATUSES: [SubmissionStatus; 4] = [
    SubmissionStatus::Waiting,
    SubmissionStatus::ChangesRequested,
    SubmissionStatus::Approved,
    SubmissionStatus::Rejected,
];

pub struct QueueView<'a> {
    pub workshop: &'a Workshop,
    pub status: SubmissionStatus,
    /// How many each status of [`QUEUE_STATUSES`] holds.
    pub counts: &'a [(SubmissionStatus, i64)],
    pub rows: &'a [PracticeSubmission],
    pub next: Option<String>,
    pub paged: bool,
}

pub fn queue_status_url(id: WorkshopId, status: SubmissionStatus) -> String {
    format!("{}?etat={}", queue_path(id), status.as_str())
}

pub fn queue(ctx: &PageCtx, v: &QueueView<'_>) -> Markup {
    let id = v.workshop.workshop_id();
    sandbox_layout(
        ctx,
        v.workshop,
        true,
        t("workshop.queue"),
        html! {
            h1 { (t("workshop.queue")) }
            p { (t("workshop.queue_intro")) }
            nav.onglets aria-label=(t("review.status")) {
                ul {
                    @for (status, n) in v.counts {
                        li { a href=(queue_status_url(id, *status)) aria-current=[(*status == v.status).then_some("page")] {
                            (practice_status_label(*status)) " (" (n) ")"
                        } }
                    }
                }
            }
            @if v.rows.is_empty() {
                p { (t("review.empty")) }
            } @else {
                (table(
                    html! { (t("workshop.queue")) " — " (practice_status_label(v.status)) },
                    &[t("review.received"), t("field.title"), t("manage.kind"), t("review.sender")],
                    html! {
                        @for s in v.rows {
                            tr {
                                td { (time(s.created_at)) }
                                td { a href=(practice_submission_path(id, s.id)) { (s.title) } }
                                td { (s.kind().map_or("", kind_label)) }
                                td { (s.sender_name) }
                            }
                        }
                    },
                ))
            }
            (keyset_nav(&queue_status_url(id, v.status), v.paged, v.next.as_deref()))
        },
    )
}

pub struct PracticeSubmissionView<'a> {
    pub workshop: &'a Workshop,
    /// The viewer runs the workshop: they may decide.
    pub runs: bool,
    pub submission: &'a PracticeSubmission,
    pub rows: &'a [(&'static str, String)],
    /// Why a decision was not recorded (the real queue's reasons; a practice submission has no
    /// target entry, so never `EntryChanged`).
    pub refusal: Option<Refusal>,
    /// Just sent by the viewer.
    pub sent: bool,
}

pub fn practice_submission(ctx: &PageCtx, v: &PracticeSubmissionView<'_>) -> Markup {
    let s = v.submission;
    let id = v.workshop.workshop_id();
    let status = s.status().unwrap_or(SubmissionStatus::Waiting);
    let path = practice_submission_path(id, s.id);
    sandbox_layout(
        ctx,
        v.workshop,
        v.runs,
        &format!("{} {}", t("review.one"), crate::i18n::quoted(&s.title)),
        html! {
            @if v.sent {
                div.alerte.alerte-succes role="status" { p { (t("workshop.practice_sent")) } }
            }
            @if let Some(r) = v.refusal {
                div.alerte.alerte-erreur role="alert" {
                    p { (t(match r {
                        Refusal::Decided => "review.refused.decided",
                        Refusal::Changed => "review.refused.changed",
                        Refusal::EntryChanged => "review.refused.entry_changed",
                        Refusal::MessageRequired => "review.refused.message_required",
                        Refusal::MessageTooLong => "review.refused.message_too_long",
                    })) }
                }
            }
            h1 { (t("review.one")) " " (crate::i18n::quoted(&s.title)) }
            ul.resume-demande {
                li { (t("manage.kind")) (crate::i18n::colon()) " " strong { (s.kind().map_or("", kind_label)) } }
                li { (t("review.status")) (crate::i18n::colon()) " " strong { (practice_status_label(status)) } }
                li { (t("review.received")) " " (time(s.created_at)) }
                @if let (Some(at), false) = (s.decided_at, status.is_open()) {
                    li { (t("review.decided")) " " (time(at)) }
                }
                li { (t("review.sender")) (crate::i18n::colon()) " " (s.sender_name) " — " (s.sender_email) }
            }
            @if !s.decision_message.is_empty() {
                blockquote.message-agent { (s.decision_message) }
            }
            section aria-labelledby="lieu_apercu" {
                h2 #lieu_apercu { (t("review.preview")) }
                (proposed(v.rows))
            }
            @if v.runs && status.is_open() {
                section.decisions aria-labelledby="lieu_decision" {
                    h2 #lieu_decision { (t("review.decide")) }
                    p { (t("workshop.decide_note")) }
                    form.formulaire method="post" action={ (path) "/approuver" } {
                        (csrf_field(ctx))
                        input type="hidden" name="version" value=(s.version);
                        div.boutons { button.bouton type="submit" { (t("workshop.approve")) } }
                    }
                    form.formulaire method="post" action={ (path) "/demander" } {
                        (csrf_field(ctx))
                        input type="hidden" name="version" value=(s.version);
                        div.champ {
                            label for="champ-demande" { (t("review.request_label")) " " span.obligatoire { (t("form.required")) } }
                            p.aide id="aide-demande" { (t("review.request_hint")) }
                            textarea #champ-demande name="message" rows="4" required aria-describedby="aide-demande" {}
                        }
                        button.bouton.bouton-secondaire type="submit" { (t("review.request")) }
                    }
                    form.formulaire method="post" action={ (path) "/refuser" } {
                        (csrf_field(ctx))
                        input type="hidden" name="version" value=(s.version);
                        div.champ {
                            label for="champ-motif" { (t("review.reason")) " " span.obligatoire { (t("form.required")) } }
                            select #champ-motif name="reason" {
                                @for r in RejectReason::ALL {
                                    option value=(r.as_str()) { (crate::i18n::words::reject_reason(r)) }
                                }
                            }
                        }
                        div.champ {
                            label for="champ-precision" { (t("review.reject_words")) }
                            p.aide id="aide-precision" { (t("review.reject_hint")) }
                            textarea #champ-precision name="message" rows="3" aria-describedby="aide-precision" {}
                        }
                        button.bouton.bouton-danger type="submit" { (t("review.reject")) }
                    }
                }
            }
            @if v.runs {
                p { a href=(queue_path(id)) { (t("workshop.back_to_queue")) } }
            }
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The practice mailbox

pub struct MailboxView<'a> {
    pub workshop: &'a Workshop,
    pub runs: bool,
    pub mails: &'a [PracticeMail],
    pub next: Option<String>,
    pub paged: bool,
}

pub fn mailbox(ctx: &PageCtx, v: &MailboxView<'_>) -> Markup {
    let id = v.workshop.workshop_id();
    sandbox_layout(
        ctx,
        v.workshop,
        v.runs,
        t("workshop.mailbox"),
        html! {
            h1 { (t("workshop.mailbox")) }
            p { (t("workshop.mailbox_intro")) }
            @if v.mails.is_empty() {
                p { (t("workshop.mailbox_empty")) }
            } @else {
                (table(
                    html! { (t("workshop.mailbox")) },
                    &[t("workshop.mail_date"), t("workshop.mail_to"), t("workshop.mail_subject")],
                    html! {
                        @for m in v.mails {
                            tr {
                                td { (time(m.created_at)) }
                                td { (m.to_address) }
                                td { a href=(mail_path(id, m.id)) { (m.subject) } }
                            }
                        }
                    },
                ))
            }
            (keyset_nav(&mailbox_path(id), v.paged, v.next.as_deref()))
        },
    )
}

pub fn mail(ctx: &PageCtx, w: &Workshop, runs: bool, m: &PracticeMail) -> Markup {
    sandbox_layout(
        ctx,
        w,
        runs,
        &m.subject,
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href=(mailbox_path(w.workshop_id())) { (t("workshop.mailbox")) } " › "
                span aria-current="page" { (m.subject) }
            }
            h1 { (m.subject) }
            dl.proposition {
                dt { (t("workshop.mail_to")) }
                dd { (m.to_address) }
                dt { (t("workshop.mail_date")) }
                dd { (time(m.created_at)) }
            }
            div.courriel-texte { (m.text_body) }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key this module and its handlers ask for has a French text.
    #[test]
    fn every_workshop_key_has_a_french_text() {
        let mut missing = Vec::new();
        for source in [
            include_str!("workshop.rs"),
            include_str!("../handlers/workshop.rs"),
        ] {
            for (at, _) in source.match_indices("t(\"") {
                let before = source[..at].chars().next_back().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' {
                    continue;
                }
                let key = source[at + 3..].split('"').next().unwrap_or_default();
                if crate::i18n::lookup_fr(key).is_none() {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "missing French texts: {missing:?}");
    }

    #[test]
    fn sandbox_links_stay_in_the_sandbox() {
        let html = lieu_markdown::render(
            "[[Accueil]] [[Page absente]] [texte](/wiki/x) `href=\"/wiki/`",
            &lieu_markdown::RenderContext {
                page_exists: &|s| s == "accueil",
                labels: lieu_markdown::Labels::FRENCH,
            },
        )
        .html;
        let out = sandbox_html(&html, WorkshopId(7));
        assert!(
            out.contains("href=\"/ateliers/7/bac-a-sable/accueil\""),
            "{out}"
        );
        assert!(
            out.contains("href=\"/ateliers/7/nouvelle-page?titre="),
            "{out}"
        );
        assert!(!out.contains("href=\"/nouvelle-page"), "{out}");
    }
}
