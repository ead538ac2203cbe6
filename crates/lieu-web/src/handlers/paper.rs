//! The printed directory: the choice of a commune and kinds, and the document of one commune
//! or of the whole territory.

use super::{ok, see_other};
use crate::error::AppError;
use crate::extract::PageCtx;
use crate::state::AppState;
use crate::views::directory::{
    self as views, PaperEntry, PaperView, WHOLE_TERRITORY, entry_path, paper_url,
};
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::entry::Kind;
use lieu_core::paper::{self, Section};
use serde::Deserialize;

/// The query of both pages: `commune` (the choice page's select), `types` (repeated).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PaperQuery {
    commune: Option<String>,
    types: Vec<String>,
}

fn query_of(req: &HttpRequest) -> Result<PaperQuery, AppError> {
    serde_html_form::from_str(req.query_string()).map_err(|e| AppError::BadRequest(e.to_string()))
}

fn kinds_of(query: &PaperQuery) -> Vec<Kind> {
    paper::kinds_of(query.types.iter().map(String::as_str))
}

/// `/annuaire/imprimer`: the choice; once a commune is chosen (the form is a GET, so that it
/// works without JavaScript), the document's address.
pub async fn choose(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    let query = query_of(&req)?;
    let kinds = kinds_of(&query);
    let territory = state.territory().await?;
    if let Some(place) = &query.commune {
        if place != WHOLE_TERRITORY && territory.commune(place).is_none() {
            return Err(AppError::NotFound);
        }
        return Ok(see_other(&paper_url(place, &kinds)));
    }
    Ok(ok(views::paper_choose(&ctx, &territory.communes, &kinds)))
}

/// `/annuaire/imprimer/{place}`: the document of a commune (its INSEE code) or of the whole
/// territory, with at most [`paper::MAX_ENTRIES`] entries.
pub async fn document(
    req: HttpRequest,
    state: web::Data<AppState>,
    ctx: PageCtx,
    place: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let query = query_of(&req)?;
    let kinds = kinds_of(&query);
    let territory = state.territory().await?;
    let place = place.into_inner();
    let commune = if place == WHOLE_TERRITORY {
        None
    } else {
        Some(territory.commune(&place).ok_or(AppError::NotFound)?)
    };
    let now = state.clock.now();
    let insee = commune.map(|c| c.insee.clone());
    let read_kinds = kinds.clone();
    let found = state
        .db(move |s| {
            s.read(|c| {
                lieu_store::open_data::entries_up_to(
                    c,
                    &read_kinds,
                    insee.as_deref(),
                    now,
                    paper::MAX_ENTRIES,
                )
            })
        })
        .await?;
    let sections = found.map(|found| {
        let items = found.into_iter().filter_map(|published| {
            let entry = published.entry;
            let details = entry.details()?;
            let url = state
                .config
                .absolute(&entry_path(entry.kind(), &entry.slug));
            Some(PaperEntry {
                entry,
                details,
                url,
            })
        });
        paper::sections(items, |item| {
            (Section::of(&item.details), item.entry.title.as_str())
        })
    });
    Ok(ok(views::paper_document(
        &ctx,
        &PaperView {
            commune,
            communes: &territory.communes,
            kinds: &kinds,
            sections,
            now,
            directory_url: state.config.absolute("/annuaire"),
            desk_phone: &state.config.desk_phone,
        },
    )))
}
