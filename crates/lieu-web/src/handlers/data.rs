//! The open data (issue 13): the `/donnees` page that lists the exported files, and the files
//! themselves, served from `export_dir` as the background export last wrote them (never built
//! per download) with `ETag` and `Last-Modified`, so that a client that has the current file
//! gets a 304.

use crate::error::AppError;
use crate::extract::PageCtx;
use crate::handlers::ok;
use crate::state::AppState;
use crate::views;
use actix_files::NamedFile;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::opendata::{self, METADATA_FILE};

/// `GET /donnees`: the files, their size, their date, the licence.
pub async fn page(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let dir = state.config.export_dir.clone();
    let summary = web::block(move || lieu_store::opendata::read_summary(&dir))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(ok(views::data::page(&ctx, &state.config, summary.as_ref())))
}

fn serve(
    req: &HttpRequest,
    path: std::path::PathBuf,
    content_type: &str,
    name: &str,
) -> Result<HttpResponse, AppError> {
    let file = NamedFile::open(path).map_err(|_| AppError::NotFound)?;
    let mime: actix_web::mime::Mime = content_type
        .parse()
        .map_err(|_| AppError::Internal(format!("bad media type {content_type}")))?;
    Ok(file
        .set_content_type(mime)
        .set_content_disposition(ContentDisposition {
            disposition: if name.ends_with(".csv") {
                DispositionType::Attachment
            } else {
                DispositionType::Inline
            },
            parameters: vec![DispositionParam::Filename(name.to_owned())],
        })
        .into_response(req))
}

/// `GET /donnees/{format}/{name}`: one of the exported files; any other name is a 404.
pub async fn file(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (format, name) = path.into_inner();
    let file = opendata::find_file(&format, &name).ok_or(AppError::NotFound)?;
    let download = format!("{}-{}", file.format.dir(), file.name);
    serve(
        &req,
        state.config.export_dir.join(file.path()),
        file.content_type(),
        &download,
    )
}

/// `GET /donnees/metadonnees.json`: the producer, the licence, the date and the files.
pub async fn metadata(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    serve(
        &req,
        state.config.export_dir.join(METADATA_FILE),
        "application/json",
        METADATA_FILE,
    )
}
