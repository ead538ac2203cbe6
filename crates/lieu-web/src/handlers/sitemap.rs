//! `robots.txt` and the sitemaps, so that residents find the site's pages from any search
//! engine: `/sitemap.xml` is an index of files of at most 10,000 addresses each (wiki pages,
//! published entries, public threads), each file read by one range of ids whatever the size
//! of the site.

use crate::error::AppError;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use lieu_core::entry::Kind;
use lieu_store::open_data::{self, SITEMAP_SPAN, SitemapPart, SitemapRow};

const XML: &str = "application/xml; charset=utf-8";

/// Pages a crawler has no business in: private ones, forms, and the search results (an
/// endless space of queries).
pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    let body = format!(
        "User-agent: *\n\
         Disallow: /gestion/\n\
         Disallow: /compte\n\
         Disallow: /connexion\n\
         Disallow: /inscription\n\
         Disallow: /notifications\n\
         Disallow: /atelier\n\
         Disallow: /recherche\n\
         Disallow: /api/v1/search\n\
         Disallow: /referencer/suivi\n\
         Disallow: /desabonnement/\n\
         Disallow: /langue\n\
         \n\
         Sitemap: {}\n",
        state.config.absolute("/sitemap.xml")
    );
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

/// An address as XML text: maud's escaping, as every page has it.
fn escape(s: &str) -> String {
    maud::html! { (s) }.into_string()
}

fn xml(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(XML)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

fn part_name(part: SitemapPart) -> &'static str {
    match part {
        SitemapPart::Pages => "pages",
        SitemapPart::Entries => "annuaire",
        SitemapPart::Threads => "echanges",
    }
}

/// The sitemap index: the fixed addresses' file, then each range of ids of each kind.
pub async fn index(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let (pages, entries, threads) = state.db(|s| s.read(open_data::sitemap_extent)).await?;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut file = |path: String| {
        body.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            escape(&state.config.absolute(&path))
        ));
    };
    file("/sitemaps/site/0".into());
    for (part, max_id) in [
        (SitemapPart::Pages, pages),
        (SitemapPart::Entries, entries),
        (SitemapPart::Threads, threads),
    ] {
        let files = (max_id.max(0) + SITEMAP_SPAN - 1) / SITEMAP_SPAN;
        for n in 0..files {
            file(format!("/sitemaps/{}/{n}", part_name(part)));
        }
    }
    body.push_str("</sitemapindex>\n");
    Ok(xml(body))
}

fn url_of(row: &SitemapRow) -> String {
    match row.kind.as_str() {
        "page" => format!("/wiki/{}", row.slug),
        "thread" => format!("/echanges/sujet/{}", row.id),
        kind => match kind.parse::<Kind>() {
            Ok(kind) => crate::views::directory::entry_path(kind, &row.slug),
            Err(()) => format!("/wiki/{}", row.slug),
        },
    }
}

/// One file of the sitemap: `site` (the lists and hubs), or a range of ids of pages
/// (`pages`), entries (`annuaire`) or threads (`echanges`).
pub async fn part(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (name, n) = path.into_inner();
    let n: i32 = n.parse().map_err(|_| AppError::NotFound)?;
    if !(0..=i32::MAX / SITEMAP_SPAN).contains(&n) {
        return Err(AppError::NotFound);
    }
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, modified: Option<chrono::NaiveDateTime>| {
        body.push_str("<url><loc>");
        body.push_str(&escape(&state.config.absolute(path)));
        body.push_str("</loc>");
        if let Some(at) = modified {
            body.push_str(&format!("<lastmod>{}</lastmod>", at.format("%Y-%m-%d")));
        }
        body.push_str("</url>\n");
    };
    let part = match name.as_str() {
        "site" if n == 0 => None,
        "pages" => Some(SitemapPart::Pages),
        "annuaire" => Some(SitemapPart::Entries),
        "echanges" => Some(SitemapPart::Threads),
        _ => return Err(AppError::NotFound),
    };
    match part {
        None => {
            for path in ["/", "/annuaire", "/agenda", "/pages", "/echanges", "/api"] {
                url(path, None);
            }
            for kind in Kind::ALL {
                url(&kind.list_path(), None);
            }
        }
        Some(part) => {
            let now = state.clock.now();
            let rows = state
                .db(move |s| s.read(|c| open_data::sitemap_rows(c, part, n, now)))
                .await?;
            for row in &rows {
                url(&url_of(row), Some(row.updated_at));
            }
        }
    }
    body.push_str("</urlset>\n");
    Ok(xml(body))
}
