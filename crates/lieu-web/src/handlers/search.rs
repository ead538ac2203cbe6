//! Search: the results page, and the suggestions offered while typing in the header's box.
//!
//! Both read the search index directly (in memory-mapped files, CPU only); the database is
//! read only for the communes' names, and written only to record a search that found nothing.

use super::ok;
use crate::error::AppError;
use crate::extract::{PageCtx, client_key};
use crate::state::AppState;
use crate::views::search::{self as view, Filters, ResultsView};
use crate::views::{self, Paging};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use lieu_core::search::{MAX_QUERY_CHARS, miss_text, normalize_query};
use lieu_core::vocab::THEME_GROUPS;
use lieu_search::SearchRequest;
use serde::{Deserialize, Serialize};

/// Results on one page.
pub const PER_PAGE: i64 = 20;
/// The deepest offset the index reads (`lieu_search`'s bound): later results cannot be
/// reached, only narrowed down to.
const MAX_OFFSET: i64 = 1_000;
/// The last page one can reach.
pub const MAX_PAGE: i64 = MAX_OFFSET / PER_PAGE + 1;
/// The most suggestions offered at once.
pub const MAX_SUGGESTIONS: usize = 8;
/// Typed text shorter than this (in characters) gets no suggestion.
pub const SUGGEST_MIN_CHARS: usize = 2;

/// The results page's address, as typed or followed. Every field is read as text, so that no
/// value, however absurd, is refused: unknown filters are ignored, and a page number out of
/// range means the nearest page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    pub q: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub commune: String,
    pub theme: String,
    pub page: String,
}

/// The page asked for, between 1 and [`MAX_PAGE`]: a number too large to read is the last.
fn page_asked(page: &str) -> i64 {
    match page.trim().parse::<i64>() {
        Ok(n) => n.clamp(1, MAX_PAGE),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => MAX_PAGE,
        Err(_) => 1,
    }
}

fn offset(page: i64) -> usize {
    usize::try_from((page - 1) * PER_PAGE).unwrap_or(0)
}

pub async fn results(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let query = normalize_query(&params.q);
    if query.is_empty() {
        return Ok(ok(view::start(&ctx, "")));
    }
    let territory = state.territory().await?;
    let all_communes = &territory.communes;
    // Unknown values are dropped: a filter that cannot match would only hide every result.
    let kind = view::kind_of_param(params.kind.trim()).map(|_| params.kind.trim());
    let commune = all_communes
        .iter()
        .find(|c| c.insee == params.commune.trim())
        .map(|c| c.insee.as_str());
    let theme = THEME_GROUPS
        .iter()
        .find(|(g, _)| *g == params.theme.trim())
        .map(|(g, _)| *g);
    let filters = Filters {
        kind,
        commune,
        theme,
    };
    let asked = page_asked(&params.page);
    let mut request = SearchRequest {
        text: query.clone(),
        kind: kind.and_then(view::kind_of_param).map(str::to_owned),
        commune: commune.map(str::to_owned),
        theme: theme.map(str::to_owned),
        offset: offset(asked),
        limit: PER_PAGE as usize,
        now: state.clock.now(),
    };
    let mut results = state.search.search(&request)?;
    if !results.understood {
        return Ok(ok(view::start(&ctx, &query)));
    }
    // Only the results up to the deepest offset can be paged through.
    let total = i64::try_from(results.total).unwrap_or(i64::MAX);
    let reachable = total.min(MAX_OFFSET + PER_PAGE);
    let paging = Paging::new(Some(asked), PER_PAGE, reachable);
    if paging.page != asked && total > 0 {
        // Past the last page: show the last one.
        request.offset = offset(paging.page);
        results = state.search.search(&request)?;
    }
    if results.total == 0 && filters.is_empty() && asked == 1 {
        record_miss(&state, &req, &query).await;
    }
    let desk_phone = state.config.desk_phone.clone();
    let view = ResultsView {
        query: &query,
        filters,
        results: &results,
        paging,
        capped: total > reachable,
        max_page: MAX_PAGE,
        communes: all_communes,
        desk_phone: &desk_phone,
    };
    Ok(ok(views::search::results(&ctx, &view)))
}

/// Records a search that found nothing, for the agents, within the client's budget. A
/// failure is logged and never fails the page.
async fn record_miss(state: &AppState, req: &HttpRequest, query: &str) {
    let Some(text) = miss_text(query) else {
        return;
    };
    let client = client_key(req, &state.config.trusted_proxies);
    if state.miss_budget.take(&client).is_err() {
        tracing::debug!("unanswered search not recorded: the client's budget is spent");
        return;
    }
    let day = state.clock.today();
    let recorded = state
        .db(move |s| s.write(|c| lieu_store::search::record_miss(c, &text, day)))
        .await;
    if let Err(error) = recorded {
        tracing::warn!(%error, "recording an unanswered search failed");
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SuggestParams {
    pub q: String,
}

/// One suggestion, as the script reads it.
#[derive(Debug, Serialize)]
pub struct Suggestion {
    pub title: String,
    pub url: String,
    /// `page` or a kind (`service`…).
    pub kind: String,
    /// The kind in French.
    pub label: &'static str,
}

/// `GET /recherche/suggestions?q=`: up to [`MAX_SUGGESTIONS`] titles for the words being
/// typed, as JSON; an empty list for fewer than [`SUGGEST_MIN_CHARS`] characters.
pub async fn suggestions(
    state: web::Data<AppState>,
    params: web::Query<SuggestParams>,
) -> Result<HttpResponse, AppError> {
    let typed = normalize_query(&params.q);
    let hits = if typed.chars().count() < SUGGEST_MIN_CHARS {
        Vec::new()
    } else {
        // A space typed after the last word says that word is complete.
        let mut text = typed;
        let raw: String = params.q.chars().take(MAX_QUERY_CHARS + 1).collect();
        if raw.ends_with(char::is_whitespace) {
            text.push(' ');
        }
        state
            .search
            .suggest(&text, state.clock.now(), MAX_SUGGESTIONS)?
    };
    let list: Vec<Suggestion> = hits
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|hit| Suggestion {
            url: view::hit_url(&hit),
            label: view::kind_name(&hit.kind),
            title: hit.title,
            kind: hit.kind,
        })
        .collect();
    let body = serde_json::to_string(&list).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_page_number_is_a_page() {
        assert_eq!(page_asked(""), 1);
        assert_eq!(page_asked("-1"), 1);
        assert_eq!(page_asked("abc"), 1);
        assert_eq!(page_asked("3"), 3);
        assert_eq!(page_asked("99999999999999999999"), MAX_PAGE);
        assert_eq!(page_asked("1000"), MAX_PAGE);
        assert_eq!(offset(MAX_PAGE), MAX_OFFSET as usize);
    }
}
