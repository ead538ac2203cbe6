//! Atom feeds (`atom_syndication`, the Atom crate of the rss family): the recent changes of
//! the wiki, each category of the exchange space and each thread. A feed of the exchange
//! space shows only visible posts of visible threads; a practice thread of a workshop, or a
//! thread held, hidden or erased, has no feed (404).
//!
//! Feeds are read by feed readers that send no cookie and seldom a language: like the
//! content they carry, they are in French (`xml:lang="fr"`) whatever the interface's language.

use crate::error::AppError;
use crate::i18n::t_fr;
use crate::state::AppState;
use crate::views::exchange as exchange_views;
use actix_web::{HttpResponse, web};
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDateTime, Utc};
use lieu_store::exchange_feeds;
use lieu_store::models::revisions;

const FEED_ENTRIES: i64 = 50;

fn utc(at: NaiveDateTime) -> FixedDateTime {
    at.and_utc().fixed_offset()
}

fn link(href: String, rel: &str) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        ..Link::default()
    }
}

pub async fn recent_changes(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let changes = state
        .db(|s| s.read(|c| Ok(revisions::recent(c, FEED_ENTRIES, 0)?)))
        .await?;
    let base = state.config.base_url.trim_end_matches('/').to_owned();
    let mut feed = Feed::default();
    feed.set_title(format!(
        "{} — {}",
        state.config.site_name,
        t_fr("recent.title")
    ));
    feed.set_id(format!("{base}/modifications-recentes"));
    feed.set_updated(
        changes
            .first()
            .map(|c| utc(c.revision.created_at))
            .unwrap_or_else(|| Utc::now().fixed_offset()),
    );
    feed.set_links(vec![
        link(format!("{base}/modifications-recentes.atom"), "self"),
        link(format!("{base}/modifications-recentes"), "alternate"),
    ]);
    feed.set_lang("fr".to_owned());
    let entries: Vec<Entry> = changes
        .iter()
        .map(|change| {
            let rev = &change.revision;
            let url = format!("{base}/wiki/{}/revision/{}", change.page_slug, rev.number);
            let mut entry = Entry::default();
            entry.set_title(format!(
                "{} ({} {})",
                change.page_title,
                t_fr("history.version"),
                rev.number
            ));
            entry.set_id(url.clone());
            entry.set_updated(utc(rev.created_at));
            entry.set_links(vec![link(url, "alternate")]);
            entry.set_authors(vec![Person {
                name: rev.author_name.clone(),
                ..Person::default()
            }]);
            if !rev.summary.is_empty() {
                entry.set_summary(Some(Text::plain(rev.summary.clone())));
            }
            entry
        })
        .collect();
    feed.set_entries(entries);
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(feed.to_string()))
}

fn atom(feed: &Feed) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(feed.to_string())
}

fn person(name: &str) -> Person {
    Person {
        name: name.to_owned(),
        ..Person::default()
    }
}

/// A post's sanitized HTML (the wiki's renderer and sanitizer), escaped once more by the
/// feed's XML.
fn html_content(html: &str) -> Content {
    Content {
        value: Some(html.to_owned()),
        content_type: Some("html".to_owned()),
        ..Content::default()
    }
}

/// A thread's public address.
fn thread_url(base: &str, id: i32) -> String {
    format!("{base}{}", exchange_views::thread_path(id))
}

/// `GET /echanges/{slug}/atom.xml`: the category's latest visible threads, latest activity
/// first, each with its first post.
pub async fn exchange_category(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let found = state
        .db(move |s| {
            s.read(|c| exchange_feeds::category_feed(c, &slug, exchange_feeds::FEED_ENTRIES))
        })
        .await?;
    let Some((category, threads)) = found else {
        return Err(AppError::NotFound);
    };
    let base = state.config.base_url.trim_end_matches('/').to_owned();
    let page = format!("{base}{}", exchange_views::category_path(&category.slug));
    let mut feed = Feed::default();
    feed.set_title(format!(
        "{} — {} — {}",
        state.config.site_name,
        t_fr("exchange_feed.section"),
        category.name
    ));
    feed.set_subtitle(Some(Text::plain(category.description.clone())));
    feed.set_id(page.clone());
    feed.set_updated(utc(threads
        .iter()
        .map(|t| t.thread.last_post_at)
        .max()
        .unwrap_or_else(|| category.last_post_at.unwrap_or(category.created_at))));
    feed.set_links(vec![
        link(format!("{page}/atom.xml"), "self"),
        link(page, "alternate"),
    ]);
    feed.set_lang("fr".to_owned());
    let entries: Vec<Entry> = threads
        .iter()
        .map(|item| {
            let thread = &item.thread;
            let url = thread_url(&base, thread.id);
            let mut entry = Entry::default();
            entry.set_title(thread.title.clone());
            entry.set_id(url.clone());
            entry.set_updated(utc(thread.last_post_at));
            entry.set_published(Some(utc(thread.created_at)));
            entry.set_links(vec![link(url, "alternate")]);
            entry.set_authors(vec![person(&thread.author_name)]);
            if let Some(post) = &item.first_post {
                entry.set_content(Some(html_content(&post.html)));
            }
            entry
        })
        .collect();
    feed.set_entries(entries);
    Ok(atom(&feed))
}

/// `GET /echanges/sujet/{id}/atom.xml`: the thread's latest visible posts, newest first.
pub async fn exchange_thread(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Ok(id) = id.trim().parse::<i32>() else {
        return Err(AppError::NotFound);
    };
    let found = state
        .db(move |s| s.read(|c| exchange_feeds::thread_feed(c, id, exchange_feeds::FEED_ENTRIES)))
        .await?;
    let Some((thread, posts)) = found else {
        return Err(AppError::NotFound);
    };
    let base = state.config.base_url.trim_end_matches('/').to_owned();
    let page = thread_url(&base, thread.id);
    let mut feed = Feed::default();
    feed.set_title(format!("{} — {}", state.config.site_name, thread.title));
    feed.set_id(page.clone());
    feed.set_updated(utc(posts
        .iter()
        .map(|p| p.edited_at.unwrap_or(p.created_at))
        .max()
        .unwrap_or(thread.last_post_at)));
    feed.set_links(vec![
        link(format!("{page}/atom.xml"), "self"),
        link(page.clone(), "alternate"),
    ]);
    feed.set_lang("fr".to_owned());
    let entries: Vec<Entry> = posts
        .iter()
        .map(|post| {
            // The post's permanent address is its id; the link opens the thread's page that
            // holds it.
            let id = format!("{base}{}", exchange_views::post_path(post.id));
            let url = format!("{base}{}", exchange_views::post_url(thread.id, post.id));
            let key = if thread.first_post_id == Some(post.id) {
                "exchange_feed.post_by"
            } else {
                "exchange_feed.reply_by"
            };
            let mut entry = Entry::default();
            entry.set_title(t_fr(key).replace("{author}", &post.author_name));
            entry.set_id(id);
            entry.set_updated(utc(post.edited_at.unwrap_or(post.created_at)));
            entry.set_published(Some(utc(post.created_at)));
            entry.set_links(vec![link(url, "alternate")]);
            entry.set_authors(vec![person(&post.author_name)]);
            entry.set_content(Some(html_content(&post.html)));
            entry
        })
        .collect();
    feed.set_entries(entries);
    Ok(atom(&feed))
}
