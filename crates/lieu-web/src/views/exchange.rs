//! The exchange space: its categories, a space's threads (a category, a page's or an entry's
//! discussion), a thread with its posts and reply form, the forms to start a thread, edit,
//! report and split, and the moderators' tools.

use super::form::{input, select_field, textarea};
use crate::extract::PageCtx;
use crate::i18n::t;
use crate::views::{
    PageOptions, csrf_field, error_summary, layout, layout_with, time, trusted_html,
};
use lieu_core::exchange::{PostState, ReportReason, ThreadKind};
use lieu_core::{Invalid, Permission};
use lieu_store::exchange::{Badge, Category, Post, PostRevision, PostView, Thread};
use maud::{Markup, html};

pub const HOME_PATH: &str = "/echanges";

pub fn category_path(slug: &str) -> String {
    format!("{HOME_PATH}/{slug}")
}

pub fn thread_path(id: i32) -> String {
    format!("{HOME_PATH}/sujet/{id}")
}

pub fn post_path(id: i32) -> String {
    format!("{HOME_PATH}/message/{id}")
}

/// The address of a post inside its thread (the thread's first page holding it is found by
/// the thread's `?message=` lookup).
pub fn post_url(thread: i32, post: i32) -> String {
    format!("{}?message={post}#message-{post}", thread_path(thread))
}

/// The address of a workshop's practice space of the exchange.
pub fn practice_path(workshop: i32) -> String {
    format!("/ateliers/{workshop}/echanges")
}

/// The trainer's moderation queue of a workshop's practice space.
pub fn practice_queue_path(workshop: i32) -> String {
    format!("{}/moderation", practice_path(workshop))
}

/// A workshop's practice space, as its pages show it: under the sandbox's banner and menu.
#[derive(Debug, Clone)]
pub struct Sandbox {
    pub workshop: i32,
    pub title: String,
    /// The viewer runs the workshop (its trainer, or an administrator).
    pub runs: bool,
}

/// Where the trail of a page about `thread` starts: the exchange space, or the practice
/// space of the thread's workshop.
fn root_of(thread: &Thread) -> (String, &'static str) {
    match thread.subject() {
        Some(lieu_core::exchange::Subject::Workshop(w)) => {
            (practice_path(w), t("exchange.practice_title"))
        }
        _ => (HOME_PATH.to_owned(), t("exchange.title")),
    }
}

/// What a page of a practice space shows first: the sandbox's banner (this is practice) and
/// its menu; nothing in the real space.
fn sandbox_header(ctx: &PageCtx, space: &SpaceInfo) -> Markup {
    html! {
        @if let Some(sandbox) = &space.sandbox {
            (super::workshop::sandbox_header(ctx, lieu_core::workshop::WorkshopId(sandbox.workshop), sandbox.runs))
        }
    }
}

/// The first link of a space's trail: the exchange space, or the workshop's sandbox.
fn space_root(space: &SpaceInfo) -> Markup {
    html! {
        @if let Some(sandbox) = &space.sandbox {
            a href=(super::workshop::sandbox_path(lieu_core::workshop::WorkshopId(sandbox.workshop))) { (sandbox.title) }
        } @else {
            a href=(HOME_PATH) { (t("exchange.title")) }
        }
    }
}

/// A space of threads as its pages name it.
#[derive(Debug, Clone)]
pub struct SpaceInfo {
    /// "Questions sur les services publics", or "Discussion : <page title>".
    pub title: String,
    pub description: String,
    /// The list's address (`/echanges/entraide`, `/wiki/carte-grise/discussion`).
    pub path: String,
    /// What the discussion is about, with its address (a page or an entry).
    pub about: Option<(String, String)>,
    /// The category's feed.
    pub feed: Option<String>,
    /// A workshop's practice space.
    pub sandbox: Option<Sandbox>,
}

fn notice(code: Option<&'static str>) -> Markup {
    html! {
        @if let Some(code) = code {
            div.alerte.alerte-succes role="status" { p { (t(code)) } }
        }
    }
}

fn problem(code: Option<&'static str>) -> Markup {
    html! {
        @if let Some(code) = code {
            div.alerte.alerte-erreur role="alert" { p { (t(code)) } }
        }
    }
}

fn count_label(n: i32, one: &'static str, many: &'static str) -> String {
    format!("{n} {}", if n == 1 { t(one) } else { t(many) })
}

pub fn home(ctx: &PageCtx, categories: &[Category]) -> Markup {
    layout(
        ctx,
        t("exchange.title"),
        html! {
            h1 { (t("exchange.title")) }
            p.chapo { (t("exchange.intro")) }
            @if ctx.viewer.is_none() {
                p { (t("exchange.join_hint")) " " a href=(crate::views::auth::login_url(HOME_PATH)) { (t("account.login")) } }
            }
            @if ctx.can(Permission::Moderate) {
                p { a href=(super::moderation::QUEUE_PATH) { (t("moderation.title")) } }
            }
            @if ctx.can(Permission::ManageExchange) {
                p { a href=(ADMIN_PATH) { (t("exchange.admin.title")) } }
            }
            ul.liste-categories {
                @for c in categories {
                    li {
                        h2 { a href=(category_path(&c.slug)) { (c.name) } }
                        p { (c.description) }
                        p.meta {
                            (count_label(c.thread_count, "exchange.thread_one", "exchange.threads")) " · "
                            (count_label(c.post_count, "exchange.post_one", "exchange.posts"))
                            @if let Some(at) = c.last_post_at { " · " (t("exchange.last_activity")) " " (time(at)) }
                        }
                    }
                }
            }
        },
    )
}

pub struct SpaceView<'a> {
    pub space: &'a SpaceInfo,
    pub pinned: &'a [Thread],
    pub threads: &'a [Thread],
    pub unanswered: bool,
    pub next: Option<String>,
    /// The follow button, for people logged in.
    pub follow: Option<Markup>,
    /// The viewer may start a thread here.
    pub can_post: bool,
    /// The trainer's link to the practice space's moderation queue, with how many posts
    /// wait there (held, reported).
    pub practice_queue: Option<(i64, i64)>,
}

fn thread_row(thread: &Thread) -> Markup {
    html! {
        li.sujet {
            h2 {
                a href=(thread_path(thread.id)) lang=[thread_title_lang(thread)] { (thread_title(thread)) }
            }
            p.meta {
                @if thread.is_pinned() { span.etiquette { (t("exchange.pinned")) } " " }
                @if thread.is_locked() { span.etiquette { (t("exchange.locked")) } " " }
                @if thread.kind() == ThreadKind::Question {
                    @if thread.answer_post_id.is_some() {
                        span.etiquette.etiquette-succes { (t("exchange.answered")) } " "
                    } @else {
                        span.etiquette { (t("exchange.question")) } " "
                    }
                }
                (t("exchange.by")) " " (thread.author_name) " · "
                (count_label(thread.reply_count, "exchange.reply_one", "exchange.replies")) " · "
                (t("exchange.last_activity")) " " (time(thread.last_post_at))
                @if thread.reply_count > 0 { " (" (thread.last_poster_name) ")" }
            }
        }
    }
}

/// The `lang` of a thread's title: French as typed, or none for the interface's words that
/// stand in for an erased one.
pub fn thread_title_lang(thread: &Thread) -> Option<&'static str> {
    if thread.title.is_empty() {
        None
    } else {
        crate::i18n::fr_content()
    }
}

/// A thread's title; a title erased with its author's posts reads as such.
pub fn thread_title(thread: &Thread) -> &str {
    if thread.title.is_empty() {
        t("exchange.title_erased")
    } else {
        &thread.title
    }
}

pub fn space(ctx: &PageCtx, v: &SpaceView<'_>) -> Markup {
    let s = v.space;
    let new_path = format!("{}/nouveau", s.path);
    layout(
        ctx,
        &s.title,
        html! {
            (sandbox_header(ctx, s))
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                (space_root(s)) " › "
                span aria-current="page" { (s.title) }
            }
            h1 { (s.title) }
            @if !s.description.is_empty() { p.chapo { (s.description) } }
            @if let Some((title, path)) = &s.about {
                p { (t("exchange.about")) " " a href=(path) { (title) } }
            }
            @if let (Some(sandbox), Some((held, reported))) = (&s.sandbox, v.practice_queue) {
                p {
                    a href=(practice_queue_path(sandbox.workshop)) {
                        (t("exchange.practice_queue")) " (" (t("moderation.held")) (crate::i18n::colon()) " " (held) ", "
                        (t("moderation.reported")) (crate::i18n::colon()) " " (reported) ")"
                    }
                }
            }
            div.actions-espace {
                @if v.can_post {
                    a.bouton href=(new_path) { (t("exchange.new_thread")) }
                } @else if ctx.viewer.is_none() {
                    p { a href=(crate::views::auth::login_url(&new_path)) { (t("exchange.login_to_post")) } }
                }
                @if let Some(follow) = &v.follow { (follow) }
                @if let Some(feed) = &s.feed { a href=(feed) { (t("exchange.feed")) } }
            }
            nav.filtres aria-label=(t("exchange.filter_label")) {
                ul {
                    li { a href=(s.path) aria-current=[(!v.unanswered).then_some("page")] { (t("exchange.filter_all")) } }
                    li { a href={ (s.path) "?sans-reponse=1" } aria-current=[v.unanswered.then_some("page")] { (t("exchange.filter_unanswered")) } }
                }
            }
            @if v.pinned.is_empty() && v.threads.is_empty() {
                p { (t("exchange.no_threads")) }
            } @else {
                ul.liste-sujets {
                    @for thread in v.pinned { (thread_row(thread)) }
                    @for thread in v.threads { (thread_row(thread)) }
                }
            }
            @if let Some(next) = &v.next {
                nav.pagination aria-label=(t("paging.label")) {
                    a rel="next" href=(next) { (t("exchange.older_threads")) }
                }
            }
        },
    )
}

/// What was typed in the new-thread form.
#[derive(Debug, Clone, Default)]
pub struct ThreadDraft {
    pub title: String,
    pub kind: String,
    pub body: String,
}

fn body_hint() -> Markup {
    html! {
        (t("exchange.body_hint")) " "
        a href="/wiki/aide-a-l-edition" { (t("exchange.body_hint_link")) }
    }
}

fn body_field(invalid: Option<&Invalid>, label: &str, value: &str) -> Markup {
    let frame = super::form::field_frame(invalid, "body", label, true, Some(body_hint()));
    html! {
        div.champ {
            (frame.head)
            textarea id="champ-body" name="body" rows="10" required
                aria-describedby=[frame.described_by] aria-invalid=[frame.invalid] { (value) }
        }
    }
}

pub fn new_thread(
    ctx: &PageCtx,
    space: &SpaceInfo,
    draft: &ThreadDraft,
    invalid: Option<&Invalid>,
    held: bool,
    blocked: Option<&str>,
) -> Markup {
    let kind = if draft.kind.is_empty() {
        ThreadKind::Question.as_str()
    } else {
        draft.kind.as_str()
    };
    layout_with(
        ctx,
        t("exchange.new_thread"),
        PageOptions {
            noindex: true,
            ..PageOptions::default()
        },
        html! {
            (sandbox_header(ctx, space))
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                (space_root(space)) " › "
                a href=(space.path) { (space.title) } " › "
                span aria-current="page" { (t("exchange.new_thread")) }
            }
            h1 { (t("exchange.new_thread")) }
            p { (t("exchange.in")) " " strong { (space.title) } }
            @if let Some(text) = blocked {
                div.alerte.alerte-info role="note" { p { (text) } }
            }
            // Refused, what was typed stays on the page, not lost.
            @if blocked.is_none() || !draft.body.is_empty() || !draft.title.is_empty() {
            @if held { div.alerte.alerte-info role="note" { p { (t("exchange.held_hint")) } } }
            (error_summary(invalid))
            form.formulaire method="post" action={ (space.path) "/nouveau" } novalidate {
                (csrf_field(ctx))
                fieldset.champ {
                    legend { (t("exchange.kind")) }
                    @for k in ThreadKind::ALL {
                        div.case {
                            input type="radio" id={ "kind-" (k.as_str()) } name="kind" value=(k.as_str()) checked[kind == k.as_str()];
                            label for={ "kind-" (k.as_str()) } { (t(kind_key(*k))) }
                        }
                    }
                }
                (input(invalid, "title", t("exchange.thread_title"), &draft.title, "text", true, Some(t("exchange.thread_title_hint"))))
                (body_field(invalid, t("exchange.body"), &draft.body))
                div.boutons { button.bouton type="submit" { (t("exchange.publish")) } }
            }
            }
        },
    )
}

fn kind_key(kind: ThreadKind) -> &'static str {
    match kind {
        ThreadKind::Question => "exchange.kind.question",
        ThreadKind::Discussion => "exchange.kind.discussion",
    }
}

/// What a reader may do on a thread page.
#[derive(Debug, Clone, Default)]
pub struct Abilities {
    /// Logged in with the permission to post.
    pub post: bool,
    pub moderate: bool,
    /// The viewer wrote the question.
    pub asker: bool,
    /// The viewer's account.
    pub viewer: Option<i32>,
    /// Why the viewer cannot reply although they may post (unconfirmed address,
    /// suspension), as shown.
    pub blocked: Option<String>,
    /// The viewer's next post waits for approval.
    pub held: bool,
    /// Posts written after this moment can still be edited by their author.
    pub edit_since: Option<chrono::NaiveDateTime>,
}

pub struct ThreadView<'a> {
    pub thread: &'a Thread,
    pub space: &'a SpaceInfo,
    pub posts: &'a [PostView],
    pub answer: Option<&'a PostView>,
    /// Addresses of the previous and next pages of posts.
    pub previous: Option<String>,
    pub next: Option<String>,
    pub can: Abilities,
    pub reply: &'a str,
    /// The post the reply form quotes.
    pub quote: Option<i32>,
    pub invalid: Option<&'a Invalid>,
    pub notice: Option<&'static str>,
    pub problem: Option<&'static str>,
    pub follow: Option<Markup>,
    /// The wiki page made of the thread: (title, address).
    pub wiki_page: Option<(String, String)>,
    /// The categories a moderator may move the thread to.
    pub categories: &'a [Category],
}

fn badge(b: &Badge) -> Markup {
    html! {
        @match b {
            Badge::FranceServices => { " " span.badge.badge-officiel { (t("exchange.badge.france_services")) } }
            Badge::Organisation { title, kind, slug } => {
                " " span.badge.badge-verifie {
                    @if let Ok(k) = kind.parse::<lieu_core::entry::Kind>() {
                        a href=(super::directory::entry_path(k, slug)) { (title) }
                    } @else { (title) }
                    " " span { "✓ " (t("exchange.badge.verified")) }
                }
            }
            Badge::None => {}
        }
    }
}

fn post_card(ctx: &PageCtx, v: &ThreadView<'_>, pv: &PostView, as_answer: bool) -> Markup {
    let post = &pv.post;
    let thread = v.thread;
    let state = post.state();
    let own = v.can.viewer.is_some_and(|id| post.author_id == Some(id));
    let is_first = thread.first_post_id == Some(post.id);
    let editable = state != PostState::Deleted
        && (v.can.moderate
            || (own
                && !thread.is_locked()
                && v.can
                    .edit_since
                    .is_some_and(|since| post.created_at > since)));
    let anchor = if as_answer {
        format!("reponse-{}", post.id)
    } else {
        format!("message-{}", post.id)
    };
    html! {
        article.message id=(anchor) aria-labelledby={ "auteur-" (anchor) } {
            header.message-entete {
                span.message-auteur id={ "auteur-" (anchor) } {
                    strong { (post.author_name) }
                    @if let Some(h) = &pv.handle { " " span.pseudo { "@" (h) } }
                    (badge(&pv.badge))
                }
                " · " a href={ "#" (anchor) } { (time(post.created_at)) }
                @if let Some(at) = post.edited_at { " · " span.modifie { (t("exchange.edited")) " " (time(at)) } }
                @if let Some(who) = &pv.quoted_author { " · " span { (t("exchange.replying_to")) " " (who) } }
            }
            @match state {
                PostState::Pending => { p.etat-message { (t("exchange.state.pending")) } }
                PostState::Hidden => {
                    p.etat-message {
                        @if post.hidden_reason == "reports" { (t("exchange.state.hidden_reports")) }
                        @else { (t("exchange.state.hidden")) }
                    }
                }
                _ => {}
            }
            @if state == PostState::Deleted {
                p.etat-message { (t("exchange.state.deleted")) }
            } @else {
                div.message-texte lang=[crate::i18n::fr_content()] { (trusted_html(&post.html)) }
            }
            @if !as_answer && state != PostState::Deleted {
                ul.message-actions {
                    @if v.can.post && state == PostState::Visible && (!thread.is_locked() || v.can.moderate) {
                        li { a href={ (thread_path(thread.id)) "?citer=" (post.id) "#repondre" } { (t("exchange.quote")) } }
                    }
                    @if editable {
                        li { a href={ (post_path(post.id)) "/modifier" } { (t("exchange.edit")) } }
                    }
                    @if v.can.post && !own && state == PostState::Visible {
                        li { a href={ (post_path(post.id)) "/signaler" } { (t("exchange.report")) } }
                    }
                    @if thread.kind() == ThreadKind::Question && !is_first && state == PostState::Visible
                        && (v.can.asker || v.can.moderate) && thread.answer_post_id != Some(post.id) {
                        li {
                            form.en-ligne method="post" action={ (thread_path(thread.id)) "/reponse" } {
                                (csrf_field(ctx))
                                input type="hidden" name="post" value=(post.id);
                                button.bouton-lien type="submit" { (t("exchange.mark_answer")) }
                            }
                        }
                    }
                    @if v.can.moderate {
                        @if post.version > 1 {
                            li { a href={ (post_path(post.id)) "/historique" } { (t("exchange.history")) } }
                        }
                        @if !is_first && !thread.is_practice() {
                            li { a href={ (thread_path(thread.id)) "/scinder?depuis=" (post.id) } { (t("exchange.split")) } }
                        }
                        li { (decision_form(ctx, post, &post_url(thread.id, post.id))) }
                    }
                }
            }
        }
    }
}

/// The moderator's buttons on a post: approve or reject a held post, hide a visible one,
/// restore a hidden one; a reason is optional (kept in the log).
pub fn decision_form(ctx: &PageCtx, post: &Post, back: &str) -> Markup {
    let choices: &[(&str, &str)] = match post.state() {
        PostState::Pending => &[
            ("approve", "moderation.approve"),
            ("reject", "moderation.reject"),
        ],
        PostState::Visible if post.open_reports > 0 => &[
            ("hide_reported", "moderation.hide"),
            ("keep_reported", "moderation.keep"),
        ],
        PostState::Visible => &[("hide", "moderation.hide")],
        PostState::Hidden if post.open_reports > 0 => &[
            ("keep_reported", "moderation.restore"),
            ("hide_reported", "moderation.confirm_hidden"),
        ],
        PostState::Hidden => &[("restore", "moderation.restore")],
        PostState::Deleted => &[],
    };
    html! {
        @if !choices.is_empty() {
            form.decision-message method="post" action={ (post_path(post.id)) "/decision" } {
                (csrf_field(ctx))
                input type="hidden" name="back" value=(back);
                label for={ "raison-" (post.id) } { (t("moderation.reason")) }
                input id={ "raison-" (post.id) } type="text" name="reason" maxlength="1000";
                @for (value, key) in choices {
                    button.bouton.bouton-secondaire type="submit" name="decision" value=(value) { (t(key)) }
                }
            }
        }
    }
}

pub fn thread(ctx: &PageCtx, v: &ThreadView<'_>) -> Markup {
    let thread = v.thread;
    let title = thread_title(thread);
    let path = thread_path(thread.id);
    layout_with(
        ctx,
        title,
        PageOptions {
            noindex: thread.state() != PostState::Visible || thread.is_practice(),
            ..PageOptions::default()
        },
        html! {
            (sandbox_header(ctx, v.space))
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                (space_root(v.space)) " › "
                a href=(v.space.path) { (v.space.title) } " › "
                span aria-current="page" lang=[thread_title_lang(thread)] { (title) }
            }
            h1 lang=[thread_title_lang(thread)] { (title) }
            (notice(v.notice))
            (problem(v.problem))
            p.meta {
                @if thread.kind() == ThreadKind::Question {
                    @if thread.answer_post_id.is_some() { span.etiquette.etiquette-succes { (t("exchange.answered")) } }
                    @else { span.etiquette { (t("exchange.question")) } }
                    " "
                }
                @if thread.is_pinned() { span.etiquette { (t("exchange.pinned")) } " " }
                @if thread.is_locked() { span.etiquette { (t("exchange.locked")) } " " }
                (count_label(thread.reply_count, "exchange.reply_one", "exchange.replies"))
            }
            @if thread.state() == PostState::Pending { div.alerte.alerte-info role="note" { p { (t("exchange.thread_pending")) } } }
            @if let Some((title, url)) = &v.wiki_page {
                div.alerte.alerte-succes role="note" { p { (t("exchange.made_page")) " " a href=(url) { (title) } } }
            }
            div.actions-espace {
                @if let Some(follow) = &v.follow { (follow) }
                @if !thread.is_practice() && thread.state() == PostState::Visible {
                    a href={ (path) "/atom.xml" } { (t("exchange.feed")) }
                }
            }
            @if let Some(answer) = v.answer {
                section.reponse-choisie aria-labelledby="lieu_reponse" {
                    h2 #lieu_reponse { (t("exchange.chosen_answer")) }
                    (post_card(ctx, v, answer, true))
                    p { a href=(post_url(thread.id, answer.post.id)) { (t("exchange.answer_in_thread")) } }
                    @if v.can.asker || v.can.moderate {
                        form.en-ligne method="post" action={ (path) "/reponse" } {
                            (csrf_field(ctx))
                            input type="hidden" name="post" value="";
                            button.bouton-lien type="submit" { (t("exchange.unmark_answer")) }
                        }
                    }
                    @if v.can.moderate && v.wiki_page.is_none() && !thread.is_practice() {
                        p { a.bouton href={ (path) "/page-wiki" } { (t("exchange.to_page")) } }
                    }
                }
            }
            @if let Some(previous) = &v.previous {
                nav.pagination aria-label=(t("paging.label")) { a rel="prev" href=(previous) { (t("exchange.earlier_posts")) } }
            }
            section aria-labelledby="lieu_messages" {
                h2.visuellement-cache #lieu_messages { (t("exchange.posts_title")) }
                @for pv in v.posts { (post_card(ctx, v, pv, false)) }
            }
            @if let Some(next) = &v.next {
                nav.pagination aria-label=(t("paging.label")) { a rel="next" href=(next) { (t("exchange.later_posts")) } }
            }
            (reply_section(ctx, v))
            @if v.can.moderate {
                (thread_tools(ctx, v))
            }
        },
    )
}

fn reply_section(ctx: &PageCtx, v: &ThreadView<'_>) -> Markup {
    let thread = v.thread;
    let path = thread_path(thread.id);
    html! {
        section #repondre aria-labelledby="lieu_repondre" {
            h2 #lieu_repondre { (t("exchange.reply")) }
            @if ctx.viewer.is_none() {
                p { a href=(crate::views::auth::login_url(&path)) { (t("exchange.login_to_reply")) } }
            } @else if !v.can.post {
                p { (t("exchange.cannot_post")) }
            } @else if thread.is_locked() && !v.can.moderate {
                p { (t("exchange.locked_hint")) }
            } @else if let Some(text) = &v.can.blocked {
                div.alerte.alerte-info role="note" { p { (text) } }
            } @else {
                @if v.can.held { div.alerte.alerte-info role="note" { p { (t("exchange.held_hint")) } } }
                (error_summary(v.invalid))
                form.formulaire method="post" action={ (path) "/repondre" } novalidate {
                    (csrf_field(ctx))
                    @if let Some(q) = v.quote { input type="hidden" name="quote" value=(q); }
                    (body_field(v.invalid, t("exchange.your_reply"), v.reply))
                    div.boutons { button.bouton type="submit" { (t("exchange.send_reply")) } }
                }
            }
        }
    }
}

fn thread_tools(ctx: &PageCtx, v: &ThreadView<'_>) -> Markup {
    let thread = v.thread;
    let path = thread_path(thread.id);
    let categories: Vec<(String, String)> = v
        .categories
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect();
    html! {
        section.outils-moderation aria-labelledby="lieu_outils" {
            h2 #lieu_outils { (t("moderation.thread_tools")) }
            form.formulaire method="post" action={ (path) "/moderer" } {
                (csrf_field(ctx))
                input type="hidden" name="version" value=(thread.version);
                (input(None, "reason", t("moderation.reason"), "", "text", false, None))
                div.boutons {
                    @if thread.is_locked() {
                        button.bouton.bouton-secondaire type="submit" name="action" value="unlock" { (t("moderation.unlock")) }
                    } @else {
                        button.bouton.bouton-secondaire type="submit" name="action" value="lock" { (t("moderation.lock")) }
                    }
                    @if thread.is_pinned() {
                        button.bouton.bouton-secondaire type="submit" name="action" value="unpin" { (t("moderation.unpin")) }
                    } @else {
                        button.bouton.bouton-secondaire type="submit" name="action" value="pin" { (t("moderation.pin")) }
                    }
                }
                @if !categories.is_empty() {
                    (select_field(None, "category", t("moderation.move_to"), "", false, &categories))
                    div.boutons { button.bouton.bouton-secondaire type="submit" name="action" value="move" { (t("moderation.move")) } }
                }
            }
        }
    }
}

pub fn edit_form(
    ctx: &PageCtx,
    thread: &Thread,
    post: &Post,
    body: &str,
    invalid: Option<&Invalid>,
    problem_code: Option<&'static str>,
) -> Markup {
    thread_subpage(
        ctx,
        t("exchange.edit_title"),
        thread,
        &post_url(thread.id, post.id),
        html! {
            (problem(problem_code))
            (error_summary(invalid))
            form.formulaire method="post" action={ (post_path(post.id)) "/modifier" } novalidate {
                (csrf_field(ctx))
                input type="hidden" name="version" value=(post.version);
                (body_field(invalid, t("exchange.body"), body))
                div.boutons {
                    button.bouton type="submit" { (t("exchange.save")) }
                    a href=(post_url(thread.id, post.id)) { (t("exchange.cancel")) }
                }
            }
        },
    )
}

pub fn history(
    ctx: &PageCtx,
    thread: &Thread,
    post: &Post,
    revisions: &[(PostRevision, Option<String>)],
) -> Markup {
    thread_subpage(
        ctx,
        t("exchange.history_title"),
        thread,
        &post_url(thread.id, post.id),
        html! {
            p { (t("exchange.history_intro")) " " (post.author_name) }
            section aria-labelledby="lieu_version_actuelle" {
                h2 #lieu_version_actuelle { (t("exchange.current_version")) " (" (post.version) ")" }
                pre.texte-source { (post.body) }
            }
            @for (rev, editor) in revisions {
                section aria-labelledby={ "lieu_version_" (rev.version) } {
                    h2 id={ "lieu_version_" (rev.version) } {
                        (t("exchange.version")) " " (rev.version) " — " (t("exchange.replaced_on")) " " (time(rev.created_at))
                        @if let Some(e) = editor { " " (t("exchange.by")) " " (e) }
                    }
                    pre.texte-source lang=[crate::i18n::fr_content()] { (rev.body) }
                }
            }
        },
    )
}

fn reason_key(reason: ReportReason) -> &'static str {
    match reason {
        ReportReason::Spam => "report.reason.spam",
        ReportReason::Abuse => "report.reason.abuse",
        ReportReason::PersonalData => "report.reason.personal_data",
        ReportReason::OffTopic => "report.reason.off_topic",
        ReportReason::Other => "report.reason.other",
    }
}

/// A page about one thread (editing a post, its history, a report, a split, a wiki page made
/// of it): kept out of search engines, under a trail back to the thread.
fn thread_subpage(
    ctx: &PageCtx,
    title: &str,
    thread: &Thread,
    back: &str,
    content: Markup,
) -> Markup {
    let root = root_of(thread);
    layout_with(
        ctx,
        title,
        PageOptions {
            noindex: true,
            ..PageOptions::default()
        },
        html! {
            @if thread.is_practice() { (super::workshop::sandbox_banner()) }
            nav.fil-ariane aria-label=(t("breadcrumb")) {
                a href=(root.0) { (root.1) } " › "
                a href=(back) lang=[thread_title_lang(thread)] { (thread_title(thread)) } " › "
                span aria-current="page" { (title) }
            }
            h1 { (title) }
            (content)
        },
    )
}

pub fn report_reason_label(reason: ReportReason) -> &'static str {
    t(reason_key(reason))
}

pub fn report_form(
    ctx: &PageCtx,
    thread: &Thread,
    post: &PostView,
    reason: &str,
    detail: &str,
    invalid: Option<&Invalid>,
) -> Markup {
    thread_subpage(
        ctx,
        t("report.title"),
        thread,
        &post_url(thread.id, post.post.id),
        html! {
            p { (t("report.intro")) }
            blockquote.message-cite {
                p { strong { (post.post.author_name) } }
                div.message-texte lang=[crate::i18n::fr_content()] { (trusted_html(&post.post.html)) }
            }
            (error_summary(invalid))
            form.formulaire method="post" action={ (post_path(post.post.id)) "/signaler" } novalidate {
                (csrf_field(ctx))
                fieldset.champ id="champ-reason" {
                    legend { (t("report.reason")) " " span.obligatoire { (t("form.required")) } }
                    (super::field_error(invalid, "reason"))
                    @for r in ReportReason::ALL {
                        div.case {
                            input type="radio" id={ "reason-" (r.as_str()) } name="reason" value=(r.as_str()) checked[reason == r.as_str()];
                            label for={ "reason-" (r.as_str()) } { (t(reason_key(*r))) }
                        }
                    }
                }
                (textarea(invalid, "detail", t("report.detail"), detail, 4, false, Some(t("report.detail_hint"))))
                div.boutons {
                    button.bouton type="submit" { (t("report.submit")) }
                    a href=(post_url(thread.id, post.post.id)) { (t("exchange.cancel")) }
                }
            }
        },
    )
}

pub fn split_form(
    ctx: &PageCtx,
    thread: &Thread,
    from: &Post,
    title: &str,
    category: &str,
    categories: &[Category],
    invalid: Option<&Invalid>,
) -> Markup {
    let choices: Vec<(String, String)> = categories
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect();
    thread_subpage(
        ctx,
        t("moderation.split_title"),
        thread,
        &thread_path(thread.id),
        html! {
            p { (t("moderation.split_intro")) " " strong { (from.author_name) } " (" (time(from.created_at)) ")." }
            (error_summary(invalid))
            form.formulaire method="post" action={ (thread_path(thread.id)) "/scinder" } novalidate {
                (csrf_field(ctx))
                input type="hidden" name="from" value=(from.id);
                (input(invalid, "title", t("exchange.thread_title"), title, "text", true, None))
                (select_field(invalid, "category", t("moderation.category"), category, true, &choices))
                (input(invalid, "reason", t("moderation.reason"), "", "text", false, None))
                div.boutons { button.bouton type="submit" { (t("moderation.split")) } }
            }
        },
    )
}

pub fn to_page_form(
    ctx: &PageCtx,
    thread: &Thread,
    title: &str,
    body: &str,
    invalid: Option<&Invalid>,
) -> Markup {
    thread_subpage(
        ctx,
        t("exchange.to_page"),
        thread,
        &thread_path(thread.id),
        html! {
            p { (t("exchange.to_page_intro")) }
            (error_summary(invalid))
            form.formulaire method="post" action={ (thread_path(thread.id)) "/page-wiki" } novalidate {
                (csrf_field(ctx))
                (input(invalid, "title", t("exchange.page_title"), title, "text", true, None))
                (textarea(invalid, "body", t("exchange.page_body"), body, 16, true, None))
                div.boutons { button.bouton type="submit" { (t("exchange.to_page_submit")) } }
            }
        },
    )
}

pub const ADMIN_PATH: &str = "/gestion/echanges";

/// The administrators' page as typed.
#[derive(Debug, Clone, Default)]
pub struct AdminForms {
    pub held_posts: String,
    pub edit_minutes: String,
    pub report_threshold: String,
    pub posts_per_hour: String,
    pub name: String,
    pub description: String,
}

pub fn admin(
    ctx: &PageCtx,
    categories: &[Category],
    forms: &AdminForms,
    settings_invalid: Option<&Invalid>,
    category_invalid: Option<&Invalid>,
    notice_code: Option<&'static str>,
) -> Markup {
    layout_with(
        ctx,
        t("exchange.admin.title"),
        PageOptions {
            noindex: true,
            ..PageOptions::default()
        },
        html! {
            h1 { (t("exchange.admin.title")) }
            (notice(notice_code))
            section aria-labelledby="lieu_reglages" {
                h2 #lieu_reglages { (t("exchange.admin.settings")) }
                (error_summary(settings_invalid))
                form.formulaire method="post" action={ (ADMIN_PATH) "/reglages" } novalidate {
                    (csrf_field(ctx))
                    (input(settings_invalid, "held_posts", t("exchange.admin.held_posts"), &forms.held_posts, "number", true, Some(t("exchange.admin.held_posts_hint"))))
                    (input(settings_invalid, "edit_minutes", t("exchange.admin.edit_minutes"), &forms.edit_minutes, "number", true, Some(t("exchange.admin.edit_minutes_hint"))))
                    (input(settings_invalid, "report_threshold", t("exchange.admin.report_threshold"), &forms.report_threshold, "number", true, Some(t("exchange.admin.report_threshold_hint"))))
                    (input(settings_invalid, "new_member_posts_per_hour", t("exchange.admin.posts_per_hour"), &forms.posts_per_hour, "number", true, None))
                    div.boutons { button.bouton type="submit" { (t("exchange.save")) } }
                }
            }
            section aria-labelledby="lieu_categories" {
                h2 #lieu_categories { (t("exchange.admin.categories")) }
                @for c in categories {
                    form.formulaire.categorie method="post" action={ (ADMIN_PATH) "/categories/" (c.id) } {
                        (csrf_field(ctx))
                        h3 { a href=(category_path(&c.slug)) { (c.name) } @if c.archived != 0 { " " span.etiquette { (t("exchange.admin.archived")) } } }
                        div.champ {
                            label for={ "nom-" (c.id) } { (t("exchange.admin.name")) }
                            input id={ "nom-" (c.id) } type="text" name="name" value=(c.name) required;
                        }
                        div.champ {
                            label for={ "description-" (c.id) } { (t("exchange.admin.description")) }
                            textarea id={ "description-" (c.id) } name="description" rows="2" { (c.description) }
                        }
                        div.champ {
                            label for={ "position-" (c.id) } { (t("exchange.admin.position")) }
                            input id={ "position-" (c.id) } type="number" name="position" value=(c.position);
                        }
                        div.case {
                            input id={ "archive-" (c.id) } type="checkbox" name="archived" value="1" checked[c.archived != 0];
                            label for={ "archive-" (c.id) } { (t("exchange.admin.archive")) }
                        }
                        div.boutons { button.bouton.bouton-secondaire type="submit" { (t("exchange.save")) } }
                    }
                }
                h3 { (t("exchange.admin.new_category")) }
                (error_summary(category_invalid))
                form.formulaire method="post" action={ (ADMIN_PATH) "/categories" } novalidate {
                    (csrf_field(ctx))
                    (input(category_invalid, "name", t("exchange.admin.name"), &forms.name, "text", true, None))
                    (textarea(category_invalid, "description", t("exchange.admin.description"), &forms.description, 2, false, None))
                    div.boutons { button.bouton type="submit" { (t("exchange.admin.add")) } }
                }
            }
        },
    )
}
