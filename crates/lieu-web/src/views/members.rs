//! Pages of members: signing up, confirming one's address, and the agents' pages of the
//! members (the list with its search, one member with what agents can do).

use super::accounts::{new_password_fields, notice, problem};
use super::form::{input, textarea};
use super::{csrf_field, error_summary, field_aria, field_error, layout, time};
use crate::extract::PageCtx;
use crate::i18n::t;
use chrono::NaiveDateTime;
use lieu_core::Invalid;
use lieu_core::exchange::PostState;
use lieu_store::members::{MemberPost, Organisation};
use lieu_store::models::users::User;
use maud::{Markup, html};

pub const SIGNUP_PATH: &str = "/inscription";
pub const SIGNUP_SENT_PATH: &str = "/inscription/envoyee";
pub const RESEND_PATH: &str = "/compte/confirmation";
pub const MEMBERS_PATH: &str = "/gestion/membres";

/// Where the confirmation link `token` leads.
pub fn confirm_path(token: &str) -> String {
    format!("/confirmer/{token}")
}

/// Where an agent reads about member `id`.
pub fn member_url(id: i32) -> String {
    format!("{MEMBERS_PATH}/{id}")
}

/// The sign-up form as typed (passwords are never sent back).
#[derive(Debug, Default, Clone)]
pub struct SignupForm {
    pub name: String,
    pub email: String,
    pub consent: bool,
}

pub fn signup(
    ctx: &PageCtx,
    form: &SignupForm,
    invalid: Option<&Invalid>,
    problem_code: Option<&'static str>,
) -> Markup {
    let (consent_error, consent_invalid) = field_aria(invalid, "consent");
    layout(
        ctx,
        t("signup.title"),
        html! {
            h1 { (t("signup.title")) }
            p { (t("signup.intro")) }
            (problem(problem_code))
            (error_summary(invalid))
            form.formulaire method="post" action=(SIGNUP_PATH) novalidate {
                (csrf_field(ctx))
                (input(invalid, "name", t("account.name"), &form.name, "text", true, Some(t("signup.name_hint"))))
                (input(invalid, "email", t("accounts.email"), &form.email, "email", true, Some(t("signup.email_hint"))))
                (new_password_fields(invalid))
                fieldset {
                    legend { (t("signup.privacy")) }
                    p { (t("signup.kept")) }
                    p { (t("signup.kept_how_long")) " "
                        a href="/wiki/donnees-personnelles" { (t("submit.privacy_link")) } "." }
                    (field_error(invalid, "consent"))
                    div.champ.case {
                        input #champ-consent type="checkbox" name="consent" value="oui" checked[form.consent] required
                            aria-describedby=[consent_error] aria-invalid=[consent_invalid];
                        label for="champ-consent" { (t("signup.consent")) " " span.obligatoire { (t("form.required")) } }
                    }
                }
                div.boutons { button.bouton type="submit" { (t("signup.submit")) } }
            }
            p { (t("signup.have_account")) " " a href="/connexion" { (t("account.login")) } }
        },
    )
}

/// After a sign-up: the same words whether the address was new or not.
pub fn signup_sent(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("signup.sent.title"),
        html! {
            h1 { (t("signup.sent.title")) }
            div.alerte.alerte-succes role="status" { p { (t("signup.sent.explain")) } }
            p { (t("signup.sent.spam")) }
            @if ctx.viewer.is_some() {
                p { a href="/compte" { (t("account.menu")) } }
            } @else {
                p { a href="/connexion" { (t("account.login")) } }
            }
        },
    )
}

/// The page a confirmation link opens: one button confirms (opening the link changes nothing,
/// since mail scanners open links).
pub fn confirm(ctx: &PageCtx, user: &User, action: &str) -> Markup {
    layout(
        ctx,
        t("confirm.title"),
        html! {
            h1 { (t("confirm.title")) }
            p { (t("confirm.intro")) " " strong { (user.email) } "." }
            form.formulaire method="post" action=(action) {
                (csrf_field(ctx))
                div.boutons { button.bouton type="submit" { (t("confirm.submit")) } }
            }
        },
    )
}

/// A confirmation link that no longer works.
pub fn confirm_invalid(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("link.invalid.title"),
        html! {
            h1 { (t("link.invalid.title")) }
            p { (t("confirm.invalid")) }
            p { a href="/compte" { (t("account.menu")) } }
        },
    )
}

/// The notices of one's own account page about the exchange space: an address to confirm
/// (with the button that sends the link again), a suspension with its reason and end.
pub fn own_notices(ctx: &PageCtx, user: &User, now: NaiveDateTime) -> Markup {
    html! {
        @if user.email_confirmed_at.is_none() && user.role() == lieu_core::Role::Member {
            div.alerte.alerte-info role="status" #confirmation {
                p { strong { (t("account.unconfirmed")) } }
                p { (t("account.unconfirmed_explain")) " " strong { (user.email) } "." }
                form.en-ligne method="post" action=(RESEND_PATH) {
                    (csrf_field(ctx))
                    button.bouton.bouton-secondaire type="submit" { (t("account.resend")) }
                }
            }
        }
        @if let Some(until) = user.suspended_until.filter(|u| *u > now) {
            div.alerte.alerte-erreur role="status" #suspension {
                p { strong { (t("account.suspended")) } " " (t("account.suspended_until")) " " (time(until)) "." }
                @if !user.suspension_reason.is_empty() {
                    p { (t("account.suspended_reason")) " " q { (user.suspension_reason) } }
                }
            }
        }
    }
}

pub struct MembersView<'a> {
    pub members: &'a [User],
    pub q: &'a str,
    pub next: Option<String>,
    pub now: NaiveDateTime,
}

fn member_state(user: &User, now: NaiveDateTime) -> &'static str {
    if user.is_disabled() {
        "members.state.closed"
    } else if user.is_suspended(now) {
        "members.state.suspended"
    } else if user.email_confirmed_at.is_none() {
        "members.state.unconfirmed"
    } else {
        "members.state.active"
    }
}

pub fn members(ctx: &PageCtx, v: &MembersView<'_>) -> Markup {
    layout(
        ctx,
        t("members.title"),
        html! {
            h1 { (t("members.title")) }
            p { (t("members.intro")) }
            form.formulaire role="search" method="get" action=(MEMBERS_PATH) {
                div.champ {
                    label for="champ-q" { (t("members.search")) }
                    p.aide #aide-q { (t("members.search_hint")) }
                    input #champ-q type="search" name="q" value=(v.q) aria-describedby="aide-q";
                }
                div.boutons { button.bouton type="submit" { (t("members.search_submit")) } }
            }
            @if v.members.is_empty() {
                p { (t("members.none")) }
            } @else {
                table.tableau {
                    caption.visuellement-cache { (t("members.title")) }
                    thead { tr {
                        th scope="col" { (t("account.name")) }
                        th scope="col" { (t("members.handle")) }
                        th scope="col" { (t("accounts.email")) }
                        th scope="col" { (t("accounts.state")) }
                    } }
                    tbody {
                        @for m in v.members {
                            tr {
                                td { a href=(member_url(m.id)) { (m.name) } }
                                td { "@" (m.handle.as_deref().unwrap_or("")) }
                                td.adresse-compte { (m.email) }
                                td { (t(member_state(m, v.now))) }
                            }
                        }
                    }
                }
            }
            @if let Some(next) = &v.next {
                p { a rel="next" href=(next) { (t("accounts.next")) } }
            }
        },
    )
}

pub struct MemberView<'a> {
    pub user: &'a User,
    pub now: NaiveDateTime,
    pub organisation: Option<&'a Organisation>,
    pub posts: &'a [MemberPost],
    pub posts_next: Option<String>,
    /// The organisations found by the small search, and what was typed.
    pub found: &'a [Organisation],
    pub org_q: &'a str,
    pub invalid: Option<&'a Invalid>,
    /// What the suspension form held.
    pub days: &'a str,
    pub until: &'a str,
    pub reason: &'a str,
    pub notice: Option<&'static str>,
    pub problem: Option<&'static str>,
}

fn post_state(state: PostState) -> &'static str {
    match state {
        PostState::Visible => "members.post.visible",
        PostState::Pending => "members.post.pending",
        PostState::Hidden => "members.post.hidden",
        PostState::Deleted => "members.post.deleted",
    }
}

pub fn member(ctx: &PageCtx, v: &MemberView<'_>) -> Markup {
    let user = v.user;
    let base = member_url(user.id);
    layout(
        ctx,
        &user.name,
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href=(MEMBERS_PATH) { (t("members.title")) } " › "
                span aria-current="page" { (user.name) }
            }
            h1 { (user.name) }
            (notice(v.notice))
            (problem(v.problem))
            dl.infos-compte {
                dt { (t("members.handle")) } dd { "@" (user.handle.as_deref().unwrap_or("")) }
                dt { (t("accounts.email")) } dd { (user.email) }
                dt { (t("accounts.state")) } dd { (t(member_state(user, v.now))) }
                dt { (t("accounts.created")) } dd { (time(user.created_at)) }
                dt { (t("members.confirmed")) } dd {
                    @match user.email_confirmed_at {
                        Some(at) => (time(at)),
                        None => (t("no")),
                    }
                }
                dt { (t("members.approved_posts")) } dd { (user.approved_posts) }
                @if let Some(until) = user.suspended_until.filter(|u| *u > v.now) {
                    dt { (t("members.suspended_until")) } dd { (time(until)) }
                    dt { (t("members.reason")) } dd { (user.suspension_reason) }
                }
                dt { (t("members.organisation")) } dd {
                    @match v.organisation {
                        Some(o) => (o.title),
                        None => (t("members.no_organisation")),
                    }
                }
            }
            section aria-labelledby="lieu_suspendre" {
                h2 #lieu_suspendre { (t("members.suspend")) }
                (error_summary(v.invalid))
                @if user.is_suspended(v.now) {
                    form.formulaire method="post" action={ (base) "/lever" } {
                        (csrf_field(ctx))
                        div.boutons { button.bouton type="submit" { (t("members.unsuspend")) } }
                    }
                }
                form.formulaire method="post" action={ (base) "/suspendre" } novalidate {
                    (csrf_field(ctx))
                    p.aide { (t("members.suspend_hint")) }
                    (input(v.invalid, "days", t("members.days"), v.days, "number", false, Some(t("members.days_hint"))))
                    (input(v.invalid, "until", t("members.until"), v.until, "date", false, Some(t("members.until_hint"))))
                    (textarea(v.invalid, "reason", t("members.reason"), v.reason, 3, true, Some(t("members.reason_hint"))))
                    div.boutons { button.bouton.bouton-danger type="submit" { (t("members.suspend_submit")) } }
                }
            }
            section aria-labelledby="lieu_masquer" {
                h2 #lieu_masquer { (t("members.hide_all")) }
                p { (t("members.hide_all_hint")) }
                form.formulaire method="post" action={ (base) "/masquer" } {
                    (csrf_field(ctx))
                    (input(None, "hide_reason", t("members.reason"), "", "text", false, None))
                    div.boutons { button.bouton.bouton-danger type="submit" { (t("members.hide_all_submit")) } }
                }
            }
            section aria-labelledby="lieu_organisation" {
                h2 #lieu_organisation { (t("members.organisation")) }
                p { (t("members.organisation_hint")) }
                @if let Some(o) = v.organisation {
                    form.formulaire method="post" action={ (base) "/organisation" } {
                        (csrf_field(ctx))
                        input type="hidden" name="organisation" value="";
                        div.boutons { button.bouton.bouton-secondaire type="submit" { (t("members.unlink")) " " (o.title) } }
                    }
                }
                form.formulaire method="get" action=(base) role="search" {
                    div.champ {
                        label for="champ-org" { (t("members.org_search")) }
                        input #champ-org type="search" name="org" value=(v.org_q);
                    }
                    div.boutons { button.bouton.bouton-secondaire type="submit" { (t("members.search_submit")) } }
                }
                @if !v.org_q.is_empty() && v.found.is_empty() {
                    p { (t("members.org_none")) }
                }
                @if !v.found.is_empty() {
                    ul {
                        @for o in v.found {
                            li {
                                form.en-ligne method="post" action={ (base) "/organisation" } {
                                    (csrf_field(ctx))
                                    input type="hidden" name="organisation" value={ (o.kind) "/" (o.slug) };
                                    (o.title) " (" (o.slug) ") "
                                    button.bouton-lien type="submit" { (t("members.link")) }
                                }
                            }
                        }
                    }
                }
                form.formulaire method="post" action={ (base) "/organisation" } novalidate {
                    (csrf_field(ctx))
                    (input(v.invalid, "organisation", t("members.org_slug"), "", "text", false, Some(t("members.org_slug_hint"))))
                    div.boutons { button.bouton type="submit" { (t("members.link")) } }
                }
            }
            section aria-labelledby="lieu_messages" {
                h2 #lieu_messages { (t("members.posts")) }
                @if v.posts.is_empty() {
                    p { (t("members.posts_none")) }
                } @else {
                    ul.liste-modifications {
                        @for p in v.posts {
                            li {
                                (time(p.post.created_at)) " — "
                                a href=(crate::views::exchange::post_url(p.thread_id, p.post.id)) {
                                    @if p.thread_title.is_empty() { (t("members.untitled")) } @else { (p.thread_title) }
                                }
                                " — " (t(post_state(p.post.state())))
                                @if !p.post.plain_text.is_empty() {
                                    p.aide { (p.post.plain_text.chars().take(200).collect::<String>()) }
                                }
                            }
                        }
                    }
                }
                @if let Some(next) = &v.posts_next {
                    p { a href=(next) { (t("account.more")) } }
                }
            }
        },
    )
}
