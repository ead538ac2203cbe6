//! Atom feed of the recent changes (`atom_syndication`, the Atom crate of the rss family).

use crate::error::AppError;
use crate::i18n::t;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDateTime, Utc};
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
        t("recent.title")
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
                t("history.version"),
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
