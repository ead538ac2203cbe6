//! Pages of accounts: the admins' list with invitations, one account's page (role, closing),
//! following an invitation or a password-reset link, asking for a new password, one's own
//! account (name, address, password, watches, own edits, deletion), and the watch button of
//! pages and entries.

use super::form::{input, select_field};
use super::{csrf_field, error_summary, layout, time};
use crate::extract::PageCtx;
use crate::i18n::t;
use chrono::NaiveDateTime;
use lieu_core::{Invalid, Role};
use lieu_store::accounts::OwnEdit;
use lieu_store::models::users::User;
use lieu_store::watches::{Target, Watched};
use maud::{Markup, html};

pub const ACCOUNTS_PATH: &str = "/gestion/comptes";
pub const OWN_PATH: &str = "/compte";
pub const FORGOT_PATH: &str = "/mot-de-passe-oublie";

/// Where an account's page is.
pub fn account_url(id: i32) -> String {
    format!("{ACCOUNTS_PATH}/{id}")
}

fn role_choices() -> Vec<(String, String)> {
    Role::ASSIGNABLE
        .iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                crate::i18n::words::role(*r).to_owned(),
            )
        })
        .collect()
}

pub(crate) fn notice(code: Option<&'static str>) -> Markup {
    html! {
        @if let Some(code) = code {
            div.alerte.alerte-succes role="status" { p { (t(code)) } }
        }
    }
}

pub(crate) fn problem(code: Option<&'static str>) -> Markup {
    html! {
        @if let Some(code) = code {
            div.alerte.alerte-erreur role="alert" { p { (t(code)) } }
        }
    }
}

/// Where an account stands, in words.
pub enum AccountState {
    Active,
    Closed,
    /// Invited, link valid until then.
    Invited(NaiveDateTime),
    /// Invited, link expired or lost: invite again.
    InvitationLapsed,
}

fn state_label(state: &AccountState) -> Markup {
    html! {
        @match state {
            AccountState::Active => (t("accounts.state.active")),
            AccountState::Closed => (t("accounts.state.closed")),
            AccountState::Invited(until) => { (t("accounts.state.invited")) " " (time(*until)) },
            AccountState::InvitationLapsed => (t("accounts.state.lapsed")),
        }
    }
}

/// The invitation form as typed.
#[derive(Debug, Default, Clone)]
pub struct InviteForm {
    pub email: String,
    pub role: String,
}

pub struct AccountsView<'a> {
    pub accounts: &'a [(User, AccountState)],
    pub next: Option<String>,
    pub form: &'a InviteForm,
    pub invalid: Option<&'a Invalid>,
    pub notice: Option<&'static str>,
}

pub fn accounts(ctx: &PageCtx, v: &AccountsView<'_>) -> Markup {
    layout(
        ctx,
        t("accounts.title"),
        html! {
            h1 { (t("accounts.title")) }
            p { (t("accounts.intro")) }
            (notice(v.notice))
            section aria-labelledby="lieu_inviter" {
                h2 #lieu_inviter { (t("accounts.invite.title")) }
                p { (t("accounts.invite.hint")) }
                (error_summary(v.invalid))
                form.formulaire method="post" action={ (ACCOUNTS_PATH) "/inviter" } novalidate {
                    (csrf_field(ctx))
                    (input(v.invalid, "email", t("accounts.email"), &v.form.email, "email", true, None))
                    (select_field(v.invalid, "role", t("accounts.role"), &v.form.role, true, &role_choices()))
                    div.boutons { button.bouton type="submit" { (t("accounts.invite.submit")) } }
                }
            }
            section aria-labelledby="lieu_comptes" {
                h2 #lieu_comptes { (t("accounts.list")) }
                @if v.accounts.is_empty() {
                    p { (t("accounts.none")) }
                } @else {
                    div {
                        table.tableau {
                            caption.visuellement-cache { (t("accounts.list")) }
                            thead { tr {
                                th scope="col" { (t("accounts.name")) }
                                th scope="col" { (t("accounts.email")) }
                                th scope="col" { (t("accounts.role")) }
                                th scope="col" { (t("accounts.state")) }
                            } }
                            tbody {
                                @for (user, state) in v.accounts {
                                    tr {
                                        td {
                                            a href=(account_url(user.id)) {
                                                @if user.name.is_empty() { (t("accounts.unnamed")) } @else { (user.name) }
                                            }
                                        }
                                        td.adresse-compte { (user.email) }
                                        td { (crate::i18n::words::role(user.role())) }
                                        td { (state_label(state)) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(next) = &v.next {
                    p { a rel="next" href=(next) { (t("accounts.next")) } }
                }
            }
        },
    )
}

pub struct AccountView<'a> {
    pub user: &'a User,
    pub state: AccountState,
    pub is_self: bool,
    pub notice: Option<&'static str>,
    pub problem: Option<&'static str>,
}

pub fn account(ctx: &PageCtx, v: &AccountView<'_>) -> Markup {
    let user = v.user;
    let base = account_url(user.id);
    let title = if user.name.is_empty() {
        user.email.clone()
    } else {
        user.name.clone()
    };
    layout(
        ctx,
        &title,
        html! {
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href=(ACCOUNTS_PATH) { (t("accounts.title")) } " › "
                span aria-current="page" { (title) }
            }
            h1 { (title) }
            (notice(v.notice))
            (problem(v.problem))
            dl.infos-compte {
                dt { (t("accounts.email")) } dd { (user.email) }
                dt { (t("accounts.role")) } dd { (crate::i18n::words::role(user.role())) }
                dt { (t("accounts.state")) } dd { (state_label(&v.state)) }
                dt { (t("accounts.created")) } dd { (time(user.created_at)) }
            }
            @if user.role() != Role::Trainee {
                section aria-labelledby="lieu_role" {
                    h2 #lieu_role { (t("accounts.change_role")) }
                    form.formulaire method="post" action={ (base) "/role" } {
                        (csrf_field(ctx))
                        (select_field(None, "role", t("accounts.role"), user.role().as_str(), true, &role_choices()))
                        div.boutons { button.bouton type="submit" { (t("accounts.change_role.submit")) } }
                    }
                }
            }
            section aria-labelledby="lieu_acces" {
                h2 #lieu_acces { (t("accounts.access")) }
                @match v.state {
                    AccountState::Closed => {
                        p { (t("accounts.closed_hint")) }
                        form method="post" action={ (base) "/reactiver" } {
                            (csrf_field(ctx))
                            button.bouton type="submit" { (t("accounts.reopen")) }
                        }
                    }
                    AccountState::Invited(_) | AccountState::InvitationLapsed => {
                        p { (t("accounts.invited_hint")) }
                        form method="post" action={ (base) "/reinviter" } {
                            (csrf_field(ctx))
                            button.bouton type="submit" { (t("accounts.reinvite")) }
                        }
                        form method="post" action={ (base) "/desactiver" } {
                            (csrf_field(ctx))
                            button.bouton.bouton-secondaire type="submit" { (t("accounts.cancel_invitation")) }
                        }
                    }
                    AccountState::Active => {
                        p { (t("accounts.close_hint")) }
                        @if v.is_self {
                            p { (t("accounts.close_self")) }
                        }
                        form method="post" action={ (base) "/desactiver" } {
                            (csrf_field(ctx))
                            button.bouton.bouton-danger type="submit" { (t("accounts.close")) }
                        }
                    }
                }
            }
        },
    )
}

/// The name and password fields of the invitation and reset forms.
pub(crate) fn new_password_fields(invalid: Option<&Invalid>) -> Markup {
    html! {
        (password_input(invalid, "password", t("password.new"), Some(t("password.rules")), "new-password"))
        (password_input(invalid, "password2", t("password.confirm"), None, "new-password"))
    }
}

fn password_input(
    invalid: Option<&Invalid>,
    name: &str,
    label: &str,
    hint: Option<&str>,
    autocomplete: &str,
) -> Markup {
    let frame = super::form::field_frame(invalid, name, label, true, hint.map(|h| html! { (h) }));
    html! {
        div.champ {
            (frame.head)
            input id={ "champ-" (name) } type="password" name=(name) required
                autocomplete=(autocomplete) maxlength="256"
                aria-describedby=[frame.described_by] aria-invalid=[frame.invalid];
        }
    }
}

/// An invitation to follow: choose a name and a password.
pub fn invitation(
    ctx: &PageCtx,
    user: &User,
    action: &str,
    name: &str,
    invalid: Option<&Invalid>,
) -> Markup {
    layout(
        ctx,
        t("invitation.title"),
        html! {
            h1 { (t("invitation.title")) }
            p {
                (t("invitation.intro")) " " strong { (user.email) } " — "
                (t("accounts.role")) (crate::i18n::colon()) " " strong { (crate::i18n::words::role(user.role())) } "."
            }
            (error_summary(invalid))
            form.formulaire method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (input(invalid, "name", t("account.name"), name, "text", true, Some(t("account.name_hint"))))
                (new_password_fields(invalid))
                div.boutons { button.bouton type="submit" { (t("invitation.submit")) } }
            }
        },
    )
}

/// A link that no longer works (used, expired, replaced by a newer one).
pub fn link_invalid(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("link.invalid.title"),
        html! {
            h1 { (t("link.invalid.title")) }
            p { (t("link.invalid.explain")) }
            p { a href=(FORGOT_PATH) { (t("forgot.title")) } }
        },
    )
}

/// Asking for a new password; `sent` once asked (the same words whether the address is known
/// or not).
pub fn forgot(ctx: &PageCtx, email: &str, sent: bool, invalid: Option<&Invalid>) -> Markup {
    layout(
        ctx,
        t("forgot.title"),
        html! {
            h1 { (t("forgot.title")) }
            @if sent {
                div.alerte.alerte-succes role="status" { p { (t("forgot.sent")) } }
                p { a href="/connexion" { (t("forgot.back")) } }
            } @else {
                p { (t("forgot.intro")) }
                (error_summary(invalid))
                form.formulaire method="post" action=(FORGOT_PATH) novalidate {
                    (csrf_field(ctx))
                    (input(invalid, "email", t("accounts.email"), email, "email", true, None))
                    div.boutons { button.bouton type="submit" { (t("forgot.submit")) } }
                }
            }
        },
    )
}

/// Choosing a new password from a reset link.
pub fn reset(ctx: &PageCtx, user: &User, action: &str, invalid: Option<&Invalid>) -> Markup {
    layout(
        ctx,
        t("reset.title"),
        html! {
            h1 { (t("reset.title")) }
            p { (t("reset.intro")) " " strong { (user.email) } "." }
            (error_summary(invalid))
            form.formulaire method="post" action=(action) novalidate {
                (csrf_field(ctx))
                // Password managers file the new password under the right account.
                input type="hidden" name="username" autocomplete="username" value=(user.email);
                (new_password_fields(invalid))
                div.boutons { button.bouton type="submit" { (t("reset.submit")) } }
            }
        },
    )
}

/// One's own account page.
pub struct OwnView<'a> {
    pub user: &'a User,
    pub name: &'a str,
    pub email: &'a str,
    pub profile_invalid: Option<&'a Invalid>,
    pub password_invalid: Option<&'a Invalid>,
    pub notice: Option<&'static str>,
    /// Now, by the app's clock (whether a suspension still runs).
    pub now: NaiveDateTime,
    pub watched: &'a [Watched],
    pub watched_next: Option<String>,
    pub page_edits: &'a [OwnEdit],
    pub page_edits_next: Option<String>,
    pub entry_edits: &'a [OwnEdit],
    pub entry_edits_next: Option<String>,
}

/// Where a watched page or entry is read.
pub fn watched_url(w: &Watched) -> String {
    match &w.entry_kind {
        None => format!("/wiki/{}", w.slug),
        Some(kind) => edited_entry_url(kind, &w.slug),
    }
}

/// An entry named by its stored kind (an unknown kind leads to the directory).
fn edited_entry_url(kind: &str, slug: &str) -> String {
    match kind.parse::<lieu_core::entry::Kind>() {
        Ok(kind) => crate::views::directory::entry_path(kind, slug),
        Err(_) => "/annuaire".to_owned(),
    }
}

pub fn own(ctx: &PageCtx, v: &OwnView<'_>) -> Markup {
    layout(
        ctx,
        t("account.title"),
        html! {
            h1 { (t("account.title")) }
            (notice(v.notice))
            (super::members::own_notices(ctx, v.user, v.now))
            section aria-labelledby="lieu_profil" {
                h2 #lieu_profil { (t("account.profile")) }
                (error_summary(v.profile_invalid))
                form.formulaire method="post" action=(OWN_PATH) novalidate {
                    (csrf_field(ctx))
                    (input(v.profile_invalid, "name", t("account.name"), v.name, "text", true, Some(t("account.name_hint"))))
                    (input(v.profile_invalid, "email", t("accounts.email"), v.email, "email", true, None))
                    (password_input(v.profile_invalid, "current", t("password.current"), Some(t("account.current_for_email")), "current-password"))
                    div.boutons { button.bouton type="submit" { (t("account.save")) } }
                }
            }
            section aria-labelledby="lieu_mot_de_passe" {
                h2 #lieu_mot_de_passe { (t("account.password")) }
                (error_summary(v.password_invalid))
                form.formulaire method="post" action={ (OWN_PATH) "/mot-de-passe" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="username" autocomplete="username" value=(v.user.email);
                    (password_input(v.password_invalid, "current_password", t("password.current"), None, "current-password"))
                    (new_password_fields(v.password_invalid))
                    p.aide { (t("account.password_sessions")) }
                    div.boutons { button.bouton type="submit" { (t("account.password_submit")) } }
                }
            }
            // The e-mail preferences of the exchange space (issue 12).
            (super::notifications::preferences(ctx, v.user.notify_mail()))
            section #suivis aria-labelledby="lieu_suivis" {
                h2 #lieu_suivis { (t("account.watches")) }
                p { (t("account.watches_hint")) }
                @if v.watched.is_empty() {
                    p { (t("account.watches_none")) }
                } @else {
                    ul.liste-modifications {
                        @for w in v.watched {
                            li {
                                a href=(watched_url(w)) { (w.title) }
                                " "
                                (watch_button(ctx, w.target, true, &format!("{OWN_PATH}#suivis")))
                            }
                        }
                    }
                }
                @if let Some(next) = &v.watched_next {
                    p { a rel="next" href=(next) { (t("account.more")) } }
                }
            }
            section aria-labelledby="lieu_modifications" {
                h2 #lieu_modifications { (t("account.edits")) }
                h3 { (t("account.page_edits")) }
                @if v.page_edits.is_empty() {
                    p { (t("account.edits_none")) }
                } @else {
                    ul.liste-modifications {
                        @for e in v.page_edits {
                            li {
                                (time(e.at)) " — "
                                a href={ "/wiki/" (e.slug) "/revision/" (e.number) } { (e.title) }
                                @if !e.summary.is_empty() { " — " (e.summary) }
                            }
                        }
                    }
                }
                @if let Some(next) = &v.page_edits_next {
                    p { a href=(next) { (t("account.more")) } }
                }
                h3 { (t("account.entry_edits")) }
                @if v.entry_edits.is_empty() {
                    p { (t("account.edits_none")) }
                } @else {
                    ul.liste-modifications {
                        @for e in v.entry_edits {
                            li {
                                (time(e.at)) " — "
                                a href=(edited_entry_url(e.entry_kind.as_deref().unwrap_or(""), &e.slug)) { (e.title) }
                                @if !e.summary.is_empty() { " — " (e.summary) }
                            }
                        }
                    }
                }
                @if let Some(next) = &v.entry_edits_next {
                    p { a href=(next) { (t("account.more")) } }
                }
            }
            section aria-labelledby="lieu_supprimer" {
                h2 #lieu_supprimer { (t("account.delete")) }
                p { (t("account.delete_hint")) }
                p { a href={ (OWN_PATH) "/supprimer" } { (t("account.delete_link")) } }
            }
        },
    )
}

/// The confirmation before deleting one's own account.
pub fn delete_confirm(
    ctx: &PageCtx,
    invalid: Option<&Invalid>,
    last_admin: bool,
    erase_posts: bool,
) -> Markup {
    layout(
        ctx,
        t("account.delete"),
        html! {
            h1 { (t("account.delete")) }
            @if last_admin {
                div.alerte.alerte-erreur role="alert" { p { (t("account.last_admin")) } }
            }
            p { (t("account.delete_explain")) }
            ul {
                li { (t("account.delete_keeps")) }
                li { (t("account.delete_erases")) }
                li { (t("account.delete_final")) }
            }
            (error_summary(invalid))
            form.formulaire method="post" action={ (OWN_PATH) "/supprimer" } novalidate {
                (csrf_field(ctx))
                // What becomes of one's posts in the exchange space: the choice, explained.
                fieldset.champ #champ-posts {
                    legend { (t("account.delete_posts")) }
                    div.case {
                        input #posts-garder type="radio" name="posts" value="garder" checked[!erase_posts];
                        label for="posts-garder" { (t("account.delete_posts_keep")) }
                    }
                    div.case {
                        input #posts-effacer type="radio" name="posts" value="effacer" checked[erase_posts];
                        label for="posts-effacer" { (t("account.delete_posts_erase")) }
                    }
                }
                (password_input(invalid, "current_password", t("password.current"), None, "current-password"))
                div.boutons {
                    button.bouton.bouton-danger type="submit" { (t("account.delete_submit")) }
                    a href=(OWN_PATH) { (t("account.delete_cancel")) }
                }
            }
        },
    )
}

/// After deleting one's account.
pub fn deleted(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("account.deleted.title"),
        html! {
            h1 { (t("account.deleted.title")) }
            p { (t("account.deleted.explain")) }
            p { a href="/" { (t("missing.home")) } }
        },
    )
}

/// The button that starts or stops watching a page or an entry. `back` is where to return.
pub fn watch_button(ctx: &PageCtx, target: Target, watching: bool, back: &str) -> Markup {
    let (label, action) = match (target, watching) {
        (Target::Page(_), false) => (t("watch.page"), "suivre"),
        (Target::Page(_), true) => (t("watch.page_stop"), "arreter"),
        (Target::Entry(_), false) => (t("watch.entry"), "suivre"),
        (Target::Entry(_), true) => (t("watch.entry_stop"), "arreter"),
    };
    html! {
        form.en-ligne.suivi method="post" action="/suivis" {
            (csrf_field(ctx))
            input type="hidden" name="cible" value={ (target.kind()) ":" (target.id()) };
            input type="hidden" name="action" value=(action);
            input type="hidden" name="retour" value=(back);
            button.bouton-lien type="submit" { (label) }
        }
    }
}
