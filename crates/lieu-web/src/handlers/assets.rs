use actix_web::HttpResponse;
use actix_web::http::header;

/// The one stylesheet of the site, compiled into the binary.
pub const CSS: &str = crate::views::STYLESHEET;

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        // The URL carries a hash of the content, so the file can be kept for a year.
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(CSS)
}

/// The one script of the site (suggestions under the search box), compiled into the binary.
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(crate::views::SCRIPT)
}
