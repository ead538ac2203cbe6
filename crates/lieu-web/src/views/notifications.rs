//! The notifications page (what happened, newest first, and what one follows), the follow
//! button of threads, categories and discussions, the e-mail preferences of the account
//! page, and the one-click unsubscribe pages.

use super::{csrf_field, layout, time};
use crate::extract::PageCtx;
use crate::i18n::t;
use lieu_core::exchange::{NotificationKind, NotifyMail};
use lieu_store::notifications::{Followed, Listed, Target};
use maud::{Markup, html};

pub const PATH: &str = "/notifications";
pub const MARK_READ_PATH: &str = "/notifications/lues";
pub const FOLLOWS_PATH: &str = "/notifications/suivis";
pub const FOLLOW_PATH: &str = "/suivre";
pub const UNFOLLOW_PATH: &str = "/ne-plus-suivre";
pub const PREFERENCES_PATH: &str = "/compte/notifications";

/// Where a post is read: its thread's page, at its anchor.
pub fn post_url(thread: i32, post: Option<i32>) -> String {
    match post {
        // The thread's page that holds the post, even deep in a long thread.
        Some(post) => crate::views::exchange::post_url(thread, post),
        None => crate::views::exchange::thread_path(thread),
    }
}

/// Where a one-click unsubscribe link leads.
pub fn unsubscribe_path(user: i32, key: &str) -> String {
    format!("/desabonnement/{user}/{key}")
}

/// The menu's count: « 3 », or « 99+ » from a hundred.
pub fn unread_label(count: i64) -> String {
    if count > 99 {
        "99+".to_owned()
    } else {
        count.to_string()
    }
}

/// The menu link to the notifications page, with the unread count.
pub fn menu_link(ctx: &PageCtx, unread: i64) -> Markup {
    let current = (ctx.path == PATH).then_some("page");
    html! {
        a.compte-notifications href=(PATH) aria-current=[current] {
            (t("notifications.menu"))
            @if unread > 0 {
                " (" (unread_label(unread)) ")"
                span.visuellement-cache { " " (t("notifications.unread")) }
            }
        }
    }
}

/// `thread:12`, as the follow forms and the list's cursor write a target.
pub fn target_value(target: Target) -> String {
    format!("{}:{}", target.kind(), target.id())
}

pub fn parse_target(value: &str) -> Option<Target> {
    let (kind, id) = value.split_once(':')?;
    Target::from_parts(kind, id.parse().ok()?)
}

/// The follow button of a thread, a category, a page's or an entry's discussion: follows it
/// when `following` is false, stops otherwise, then comes back to `back` (a path of this
/// site).
pub fn follow_button(ctx: &PageCtx, target: Target, following: bool, back: &str) -> Markup {
    let (action, label) = if following {
        (UNFOLLOW_PATH, unfollow_label(target))
    } else {
        (FOLLOW_PATH, follow_label(target))
    };
    html! {
        form.en-ligne.suivi method="post" action=(action) {
            (csrf_field(ctx))
            input type="hidden" name="cible" value=(target_value(target));
            input type="hidden" name="retour" value=(back);
            button.bouton.bouton-secondaire type="submit" { (label) }
        }
    }
}

fn follow_label(target: Target) -> &'static str {
    match target {
        Target::Thread(_) => t("follow.thread"),
        Target::Category(_) => t("follow.category"),
        Target::Page(_) | Target::Entry(_) => t("follow.discussion"),
    }
}

fn unfollow_label(target: Target) -> &'static str {
    match target {
        Target::Thread(_) => t("unfollow.thread"),
        Target::Category(_) => t("unfollow.category"),
        Target::Page(_) | Target::Entry(_) => t("unfollow.discussion"),
    }
}

/// What a notification says, in French.
fn sentence(item: &Listed) -> Markup {
    let n = &item.notification;
    let title = item.thread_title.as_deref();
    let key = match n.kind() {
        Some(NotificationKind::Mention) => "notifications.kind.mention",
        Some(NotificationKind::Reply) => "notifications.kind.reply",
        Some(NotificationKind::Thread) => "notifications.kind.thread",
        Some(NotificationKind::Approved) => "notifications.kind.approved",
        Some(NotificationKind::Answered) => "notifications.kind.answered",
        Some(NotificationKind::Hidden) => "notifications.kind.hidden",
        Some(NotificationKind::Suspended) => "notifications.kind.suspended",
        None => "notifications.kind.other",
    };
    let with_actor = matches!(
        n.kind(),
        Some(NotificationKind::Mention | NotificationKind::Reply | NotificationKind::Thread)
    );
    // What happened to one's post or account names no thread: it may be hidden.
    let with_thread = !matches!(
        n.kind(),
        Some(NotificationKind::Hidden | NotificationKind::Suspended) | None
    );
    html! {
        @if with_actor { strong { (n.actor_name) } " " }
        (t(key))
        @if with_thread {
            " "
            @match (title, n.thread_id, item.post_visible) {
                (Some(title), Some(thread), true) => { (crate::i18n::quote_marks().0) a href=(post_url(thread, n.post_id)) { (title) } (crate::i18n::quote_marks().1) },
                (Some(title), _, _) => { (crate::i18n::quoted(title)) },
                (None, _, _) => (t("notifications.gone_thread")),
            }
        }
    }
}

fn followed_url(f: &Followed) -> Option<String> {
    f.name.as_ref()?;
    Some(match f.target {
        Target::Thread(id) => post_url(id, None),
        Target::Category(_) => crate::views::exchange::category_path(&f.slug),
        Target::Page(_) => format!("/wiki/{}", f.slug),
        Target::Entry(_) => match f
            .entry_kind
            .as_deref()
            .map(str::parse::<lieu_core::entry::Kind>)
        {
            Some(Ok(kind)) => crate::views::directory::entry_path(kind, &f.slug),
            _ => "/annuaire".to_owned(),
        },
    })
}

fn followed_kind(target: Target) -> &'static str {
    match target {
        Target::Thread(_) => t("follows.kind.thread"),
        Target::Category(_) => t("follows.kind.category"),
        Target::Page(_) => t("follows.kind.page"),
        Target::Entry(_) => t("follows.kind.entry"),
    }
}

pub struct NotificationsView<'a> {
    pub items: &'a [Listed],
    /// The address of the next (older) page.
    pub next: Option<String>,
    /// Whether this is the first page (the "mark all as read" button is there).
    pub first_page: bool,
    pub notice: Option<&'static str>,
}

pub struct FollowsView<'a> {
    pub follows: &'a [Followed],
    /// The address of the next page.
    pub next: Option<String>,
    pub first_page: bool,
}

pub fn page(ctx: &PageCtx, v: &NotificationsView<'_>) -> Markup {
    let unread = v.items.iter().any(|i| i.notification.read_at.is_none());
    let newest = v.items.first().map(|i| i.notification.id);
    let mark_up_to = newest.filter(|_| v.first_page && unread);
    layout(
        ctx,
        t("notifications.title"),
        html! {
            h1 { (t("notifications.title")) }
            @if let Some(code) = v.notice {
                div.alerte.alerte-succes role="status" { p { (t(code)) } }
            }
            p { (t("notifications.intro")) " " a href={ (crate::views::accounts::OWN_PATH) "#notifications" } { (t("notifications.preferences_link")) } }
            @if let Some(newest) = mark_up_to {
                form method="post" action=(MARK_READ_PATH) {
                    (csrf_field(ctx))
                    input type="hidden" name="jusqua" value=(newest);
                    button.bouton.bouton-secondaire type="submit" { (t("notifications.mark_read")) }
                }
            }
            @if v.items.is_empty() {
                p { (t("notifications.none")) }
            } @else {
                ol.liste-notifications {
                    @for item in v.items {
                        @let unread = item.notification.read_at.is_none();
                        li.notification-non-lue[unread] {
                            @if unread {
                                span.compteur { (t("notifications.new")) }
                                " "
                            }
                            (sentence(item))
                            " — "
                            (time(item.notification.created_at))
                        }
                    }
                }
            }
            @if let Some(next) = &v.next {
                p { a rel="next" href=(next) { (t("notifications.older")) } }
            }
            p { a href=(FOLLOWS_PATH) { (t("follows.title")) } " — " (t("follows.hint")) }
        },
    )
}

/// What one follows, with a button to stop following each.
pub fn follows_page(ctx: &PageCtx, v: &FollowsView<'_>) -> Markup {
    layout(
        ctx,
        t("follows.title"),
        html! {
            h1 { (t("follows.title")) }
            p { (t("follows.hint")) }
            p { a href=(PATH) { (t("notifications.title")) } }
            @if v.follows.is_empty() {
                p { (t(if v.first_page { "follows.none" } else { "follows.none_more" })) }
            } @else {
                ul.liste-modifications {
                    @for f in v.follows {
                        li {
                            (followed_kind(f.target)) (crate::i18n::colon()) " "
                            @match (followed_url(f), &f.name) {
                                (Some(url), Some(name)) => a href=(url) { (name) },
                                _ => em { (t("follows.gone")) },
                            }
                            " "
                            (follow_button(ctx, f.target, true, FOLLOWS_PATH))
                        }
                    }
                }
            }
            @if let Some(next) = &v.next {
                p { a rel="next" href=(next) { (t("follows.more")) } }
            }
        },
    )
}

/// The e-mail preferences, a section of the account page.
pub fn preferences(ctx: &PageCtx, current: NotifyMail) -> Markup {
    let choices = [
        (NotifyMail::Each, "preferences.each"),
        (NotifyMail::Daily, "preferences.daily"),
        (NotifyMail::None, "preferences.none"),
    ];
    html! {
        section #notifications aria-labelledby="lieu_preferences" {
            h2 #lieu_preferences { (t("preferences.title")) }
            form.formulaire method="post" action=(PREFERENCES_PATH) {
                (csrf_field(ctx))
                fieldset.champ.cases id="champ-notify_mail" {
                    legend { (t("preferences.legend")) }
                    @for (mode, key) in choices {
                        div.case {
                            input type="radio" name="notify_mail" id={ "notify-" (mode.as_str()) }
                                value=(mode.as_str()) checked[mode == current];
                            label for={ "notify-" (mode.as_str()) } { (t(key)) }
                        }
                    }
                }
                div.boutons { button.bouton type="submit" { (t("preferences.save")) } }
            }
            p { a href=(PATH) { (t("preferences.see_notifications")) } }
        }
    }
}

/// The page a one-click unsubscribe link opens: one button (the link alone changes nothing,
/// so that a mail program opening links to check them does not unsubscribe anyone).
pub fn unsubscribe_confirm(ctx: &PageCtx, action: &str, email: &str) -> Markup {
    layout(
        ctx,
        t("unsubscribe.title"),
        html! {
            h1 { (t("unsubscribe.title")) }
            p { (t("unsubscribe.explain")) " " strong { (email) } }
            form method="post" action=(action) {
                input type="hidden" name="List-Unsubscribe" value="One-Click";
                button.bouton type="submit" { (t("unsubscribe.submit")) }
            }
            p { (t("unsubscribe.preferences")) " " a href={ (crate::views::accounts::OWN_PATH) "#notifications" } { (t("unsubscribe.account")) } }
        },
    )
}

pub fn unsubscribed(ctx: &PageCtx) -> Markup {
    layout(
        ctx,
        t("unsubscribe.done_title"),
        html! {
            h1 { (t("unsubscribe.done_title")) }
            div.alerte.alerte-succes role="status" { p { (t("unsubscribe.done")) } }
            p { (t("unsubscribe.preferences")) " " a href={ (crate::views::accounts::OWN_PATH) "#notifications" } { (t("unsubscribe.account")) } }
        },
    )
}
