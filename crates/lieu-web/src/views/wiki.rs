//! Views of wiki pages: reading, editing, history, differences, links, renaming, lists.

use super::form::field_frame;
use super::{
    Paging, csrf_field, diff, error_summary, layout, page_actions, pagination, time, trusted_html,
};
use crate::extract::PageCtx;
use crate::i18n::t;
use lieu_core::{Invalid, Permission};
use lieu_markdown::TocEntry;
use lieu_markdown::diff::Comparison;
use lieu_store::models::pages::{Page, PageSummary};
use lieu_store::models::revisions::{RecentChange, Revision, RevisionMeta};
use maud::{Markup, html};

/// A page about a wiki page (history, diff, links, ...): its title, the page's actions, then
/// `content`.
fn about_page(ctx: &PageCtx, slug: &str, title: &str, content: Markup) -> Markup {
    layout(
        ctx,
        title,
        html! {
            h1 { (title) }
            (page_actions(ctx, slug))
            (content)
        },
    )
}

/// Shows a table of contents from this many headings on.
const TOC_MIN_HEADINGS: usize = 3;

/// The stored page HTML with each embed marker replaced by its live list.
fn body_with_embeds(html: &str, embeds: &[Markup]) -> Markup {
    let mut parts = html.split("<!--lieu-embed:");
    let first = parts.next().unwrap_or_default();
    maud::html! {
        (trusted_html(first))
        @for part in parts {
            @let (index, rest) = part.split_once("-->").unwrap_or(("", part));
            @if let Some(embed) = index.parse::<usize>().ok().and_then(|i| embeds.get(i)) {
                // A live list speaks the interface's language inside the page's.
                @if crate::i18n::current() == crate::i18n::Lang::Fr {
                    (embed)
                } @else {
                    div lang=(crate::i18n::current().code()) { (embed) }
                }
            }
            (trusted_html(rest))
        }
    }
}

pub fn page_view(
    ctx: &PageCtx,
    page: &Page,
    toc: &[TocEntry],
    is_home: bool,
    embeds: &[Markup],
    watching: Option<bool>,
) -> Markup {
    layout(
        ctx,
        &page.title,
        html! {
            // A page written in another language than the interface's says so, for screen
            // readers (RGAA 8.7): its title, its headings in the table of contents, its text.
            article.page-wiki {
                h1 lang=[crate::i18n::content_lang(&page.lang)] { (page.title) }
                @if !is_home { (page_actions(ctx, &page.slug)) }
                @if toc.len() >= TOC_MIN_HEADINGS { (table_of_contents(toc, &page.lang)) }
                div.contenu-wiki lang=[crate::i18n::content_lang(&page.lang)] { (body_with_embeds(&page.html, embeds)) }
                footer.page-info {
                    p {
                        (t("page.updated")) " " (time(page.updated_at))
                        " · " a href={ "/wiki/" (page.slug) "/historique" } { (t("page.history")) }
                        @if ctx.can(Permission::EditPages) {
                            " · " a href={ "/wiki/" (page.slug) "/modifier" } { (t("page.edit")) }
                        }
                    }
                    @if let Some(watching) = watching {
                        div.actions-suivi {
                            (crate::views::accounts::watch_button(
                                ctx,
                                lieu_store::watches::Target::Page(page.id),
                                watching,
                                &format!("/wiki/{}", page.slug),
                            ))
                        }
                    }
                }
            }
        },
    )
}

fn table_of_contents(toc: &[TocEntry], lang: &str) -> Markup {
    let top = toc.iter().map(|e| e.level).min().unwrap_or(1);
    html! {
        nav.sommaire aria-labelledby="lieu_sommaire" {
            h2 #lieu_sommaire { (t("page.toc")) }
            ol lang=[crate::i18n::content_lang(lang)] {
                @for entry in toc {
                    li class={ "niveau-" (entry.level - top + 1) } {
                        a href={ "#" (entry.anchor) } { (entry.text) }
                    }
                }
            }
        }
    }
}

/// What the edit form is for.
pub enum EditTarget<'a> {
    /// A new page; its title is a field of the form.
    New,
    /// An existing page.
    Existing { slug: &'a str, title: &'a str },
}

/// A change saved by someone else while the editor was typing.
pub struct ConflictView {
    /// Who saved it and when.
    pub current: RevisionMeta,
    /// The version the editor started from.
    pub base_number: i32,
    /// What they changed, from the version the editor started from.
    pub their_changes: Comparison,
}

pub struct EditForm<'a> {
    pub target: EditTarget<'a>,
    pub title: &'a str,
    pub body: &'a str,
    pub summary: &'a str,
    pub base_revision: i32,
    pub invalid: Option<&'a Invalid>,
    /// Sanitized HTML of the preview, when asked for.
    pub preview: Option<&'a str>,
    pub conflict: Option<ConflictView>,
}

pub fn edit_page(ctx: &PageCtx, form: &EditForm<'_>) -> Markup {
    let (heading, action) = match form.target {
        EditTarget::New => (t("edit.new_title").to_owned(), "/nouvelle-page".to_owned()),
        EditTarget::Existing { slug, title } => (
            format!("{} {}", t("edit.editing"), crate::i18n::quoted(title)),
            format!("/wiki/{slug}/modifier"),
        ),
    };
    // The wiki marks no field "obligatoire": the title and text are obviously needed, and
    // the browser says so if they are left empty.
    let title = field_frame(
        form.invalid,
        "title",
        t("edit.title_label"),
        false,
        Some(html! { (t("edit.title_hint")) }),
    );
    let body = field_frame(
        form.invalid,
        "body",
        t("edit.body_label"),
        false,
        Some(html! {
            (t("edit.body_hint")) " "
            a href="/wiki/aide-a-l-edition" { (t("edit.body_help_link")) }
        }),
    );
    let summary = field_frame(
        form.invalid,
        "summary",
        t("edit.summary_label"),
        false,
        Some(html! { (t("edit.summary_hint")) }),
    );
    layout(
        ctx,
        &heading,
        html! {
            h1 { (heading) }
            @if let EditTarget::Existing { slug, .. } = form.target { (page_actions(ctx, slug)) }
            @if let Some(conflict) = &form.conflict {
                div.alerte.alerte-attention role="alert" aria-labelledby="lieu_conflit" {
                    h2 #lieu_conflit { (t("edit.conflict_title")) }
                    p {
                        (conflict.current.author_name) " " (t("edit.conflict_saved")) " "
                        (time(conflict.current.created_at)) "."
                    }
                    p { (t("edit.conflict_explain")) }
                    details open {
                        summary { (t("edit.conflict_their_changes")) }
                        @if let EditTarget::Existing { slug, .. } = form.target {
                            (diff::diff(&conflict.their_changes, &diff::Versions {
                                old_url: &format!("/wiki/{slug}/revision/{}", conflict.base_number),
                                new_url: &format!("/wiki/{slug}/revision/{}", conflict.current.number),
                            }))
                        }
                    }
                }
            }
            (error_summary(form.invalid))
            @if let Some(preview) = form.preview {
                section.apercu aria-labelledby="lieu_apercu" {
                    h2 #lieu_apercu { (t("edit.preview_heading")) }
                    p.apercu-note { (t("edit.preview_note")) }
                    div.contenu-wiki { (trusted_html(preview)) }
                }
            }
            form.formulaire method="post" action=(action) {
                (csrf_field(ctx))
                input type="hidden" name="base_revision" value=(form.base_revision);
                @if matches!(form.target, EditTarget::New) {
                    div.champ {
                        (title.head)
                        input #champ-title type="text" name="title" value=(form.title) required
                            maxlength="120" autocomplete="off"
                            aria-describedby=[title.described_by] aria-invalid=[title.invalid];
                    }
                }
                div.champ {
                    (body.head)
                    textarea #champ-body name="body" rows="20" required
                        aria-describedby=[body.described_by] aria-invalid=[body.invalid] { (form.body) }
                }
                div.champ {
                    (summary.head)
                    input #champ-summary type="text" name="summary" value=(form.summary) maxlength="200"
                        aria-describedby=[summary.described_by] aria-invalid=[summary.invalid];
                }
                div.boutons {
                    button.bouton type="submit" name="action" value="save" { (t("edit.save")) }
                    button.bouton.bouton-secondaire type="submit" name="action" value="preview" { (t("edit.preview")) }
                    @match form.target {
                        EditTarget::Existing { slug, .. } => a href={ "/wiki/" (slug) } { (t("edit.cancel")) },
                        EditTarget::New => a href="/" { (t("edit.cancel")) },
                    }
                }
            }
        },
    )
}

pub fn history(ctx: &PageCtx, page: &Page, revisions: &[RevisionMeta], paging: Paging) -> Markup {
    let title = format!(
        "{} {}",
        t("history.title"),
        crate::i18n::quoted(&page.title)
    );
    about_page(
        ctx,
        &page.slug,
        &title,
        html! {
            form.formulaire-diff method="get" action={ "/wiki/" (page.slug) "/diff" } {
                p { (t("history.compare_hint")) }
                table.tableau {
                    caption.visuellement-cache { (t("history.caption")) }
                    thead {
                        tr {
                            th scope="col" { (t("history.col_from")) }
                            th scope="col" { (t("history.col_to")) }
                            th scope="col" { (t("history.col_version")) }
                            th scope="col" { (t("history.col_author")) }
                            th scope="col" { (t("history.col_summary")) }
                        }
                    }
                    tbody {
                        @for (i, rev) in revisions.iter().enumerate() {
                            @let first_row = i == 0 && paging.page == 1;
                            tr {
                                td {
                                    input type="radio" name="de" value=(rev.number)
                                        id={ "de-" (rev.number) } checked[i == 1 || (first_row && revisions.len() == 1)];
                                    label.visuellement-cache for={ "de-" (rev.number) } { (t("history.col_from")) " " (rev.number) }
                                }
                                td {
                                    input type="radio" name="a" value=(rev.number)
                                        id={ "a-" (rev.number) } checked[first_row];
                                    label.visuellement-cache for={ "a-" (rev.number) } { (t("history.col_to")) " " (rev.number) }
                                }
                                td {
                                    a href={ "/wiki/" (page.slug) "/revision/" (rev.number) } {
                                        (t("history.version")) " " (rev.number)
                                    }
                                    " — " (time(rev.created_at))
                                    @if rev.number == page.revision_number { " " strong { (t("history.current")) } }
                                }
                                td { (rev.author_name) }
                                td { (rev.summary) }
                            }
                        }
                    }
                }
                @if page.revision_number > 1 {
                    button.bouton type="submit" { (t("history.compare")) }
                }
            }
            (pagination(paging, &format!("/wiki/{}/historique", page.slug)))
        },
    )
}

pub fn revision(ctx: &PageCtx, page: &Page, rev: &Revision, html_body: &str) -> Markup {
    let title = format!("{} — {} {}", rev.title, t("history.version"), rev.number);
    let is_current = rev.number == page.revision_number;
    about_page(
        ctx,
        &page.slug,
        &title,
        html! {
            div.alerte.alerte-info {
                p {
                    (t("revision.saved_by")) " " (rev.author_name) ", " (time(rev.created_at)) "."
                    @if !rev.summary.is_empty() { " " (t("revision.summary")) (crate::i18n::colon()) " " (crate::i18n::quoted(&rev.summary)) }
                }
                @if is_current {
                    p { (t("revision.is_current")) }
                } @else {
                    p { (t("revision.is_old")) " " a href={ "/wiki/" (page.slug) } { (t("revision.see_current")) } "." }
                    p { a href={ "/wiki/" (page.slug) "/diff?de=" (rev.number) "&a=" (page.revision_number) } { (t("revision.compare_current")) } }
                    @if ctx.can(Permission::EditPages) {
                        form method="post" action={ "/wiki/" (page.slug) "/restaurer" } {
                            (csrf_field(ctx))
                            input type="hidden" name="revision" value=(rev.number);
                            button.bouton type="submit" { (t("revision.restore")) }
                        }
                    }
                }
            }
            div.contenu-wiki { (trusted_html(html_body)) }
        },
    )
}

pub fn diff_page(
    ctx: &PageCtx,
    page: &Page,
    from: &RevisionMeta,
    to: &RevisionMeta,
    comparison: &Comparison,
) -> Markup {
    let from_url = format!("/wiki/{}/revision/{}", page.slug, from.number);
    let to_url = format!("/wiki/{}/revision/{}", page.slug, to.number);
    let title = format!("{} {}", t("diff.title"), crate::i18n::quoted(&page.title));
    about_page(
        ctx,
        &page.slug,
        &title,
        html! {
            p {
                (t("diff.from")) " "
                a href=(from_url) { (t("history.version")) " " (from.number) }
                " (" (from.author_name) ", " (time(from.created_at)) ") "
                (t("diff.to")) " "
                a href=(to_url) { (t("history.version")) " " (to.number) }
                " (" (to.author_name) ", " (time(to.created_at)) ")."
            }
            (diff::diff(comparison, &diff::Versions { old_url: &from_url, new_url: &to_url }))
        },
    )
}

pub fn backlinks(ctx: &PageCtx, page: &Page, links: &[(String, String)]) -> Markup {
    let title = format!(
        "{} {}",
        t("backlinks.title"),
        crate::i18n::quoted(&page.title)
    );
    about_page(
        ctx,
        &page.slug,
        &title,
        html! {
            @if links.is_empty() {
                p { (t("backlinks.none")) }
            } @else {
                ul.liste-pages lang=[crate::i18n::fr_content()] {
                    @for (slug, title) in links {
                        li { a href={ "/wiki/" (slug) } { (title) } }
                    }
                }
            }
        },
    )
}

pub fn rename_form(
    ctx: &PageCtx,
    page: &Page,
    new_title: &str,
    invalid: Option<&Invalid>,
) -> Markup {
    let title = format!("{} {}", t("rename.title"), crate::i18n::quoted(&page.title));
    let field = field_frame(invalid, "title", t("rename.new_title"), false, None);
    about_page(
        ctx,
        &page.slug,
        &title,
        html! {
            p { (t("rename.explain")) }
            (error_summary(invalid))
            form.formulaire method="post" action={ "/wiki/" (page.slug) "/renommer" } {
                (csrf_field(ctx))
                div.champ {
                    (field.head)
                    input #champ-title type="text" name="title" value=(new_title) required maxlength="120"
                        aria-describedby=[field.described_by] aria-invalid=[field.invalid];
                }
                div.boutons {
                    button.bouton type="submit" { (t("rename.submit")) }
                    a href={ "/wiki/" (page.slug) } { (t("edit.cancel")) }
                }
            }
        },
    )
}

pub fn recent_changes(ctx: &PageCtx, changes: &[RecentChange], paging: Paging) -> Markup {
    layout(
        ctx,
        t("recent.title"),
        html! {
            h1 { (t("recent.title")) }
            p { a href="/modifications-recentes.atom" { (t("recent.feed")) } }
            @if changes.is_empty() {
                p { (t("recent.none")) }
            } @else {
                ol.liste-modifications {
                    @for change in changes {
                        li {
                            a href={ "/wiki/" (change.page_slug) } lang=[crate::i18n::fr_content()] { (change.page_title) }
                            " — " (time(change.revision.created_at)) " — " (change.revision.author_name)
                            @if !change.revision.summary.is_empty() { " — " span lang=[crate::i18n::fr_content()] { (crate::i18n::quoted(&change.revision.summary)) } }
                            " ("
                            a href={ "/wiki/" (change.page_slug) "/revision/" (change.revision.number) } { (t("history.version")) " " (change.revision.number) }
                            @if change.revision.number > 1 {
                                ", " a href={ "/wiki/" (change.page_slug) "/diff?de=" (change.revision.number - 1) "&a=" (change.revision.number) } { (t("recent.diff")) }
                            }
                            ")"
                        }
                    }
                }
            }
            (pagination(paging, "/modifications-recentes"))
        },
    )
}

pub fn index(ctx: &PageCtx, pages: &[PageSummary], paging: Paging) -> Markup {
    layout(
        ctx,
        t("index.title"),
        html! {
            h1 { (t("index.title")) }
            p { (paging.total) " " (t(if paging.total == 1 { "index.count_one" } else { "index.count" })) }
            @if ctx.can(Permission::EditPages) {
                p { a.bouton href="/nouvelle-page" { (t("index.new_page")) } }
            }
            ul.liste-pages lang=[crate::i18n::fr_content()] {
                @for page in pages {
                    li { a href={ "/wiki/" (page.slug) } { (page.title) } }
                }
            }
            (pagination(paging, "/pages"))
        },
    )
}

/// The page a reader gets for a page that does not exist (404), with a way to create it.
pub fn missing_page(ctx: &PageCtx, slug: &str) -> Markup {
    let title = slug.replace('-', " ");
    layout(
        ctx,
        t("missing.title"),
        html! {
            h1 { (t("missing.title")) }
            p { (t("missing.explain")) }
            ul {
                @if ctx.can(Permission::EditPages) {
                    li { a href=(lieu_markdown::new_page_url(&title)) { (t("missing.create")) } }
                }
                li { a href="/pages" { (t("missing.index")) } }
                li { a href="/" { (t("missing.home")) } }
            }
        },
    )
}
