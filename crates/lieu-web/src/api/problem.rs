//! Errors of the JSON API as `application/problem+json` (RFC 9457): a stable `code` a program
//! can test, a French `title` and `detail` a person can read, never an HTML page.

use crate::error::AppError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// A query parameter is not what the document says; names it.
    #[error("bad parameter {parameter}: {detail}")]
    BadParameter {
        parameter: &'static str,
        detail: String,
    },
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Too many requests from this client address; seconds to wait.
    #[error("rate limited")]
    RateLimited(u64),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad(parameter: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::BadParameter {
            parameter,
            detail: detail.into(),
        }
    }

    /// The stable code, also the fragment of the `type` URI (`/api#bad_parameter`).
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadParameter { .. } => "bad_parameter",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::RateLimited(_) => "rate_limited",
            ApiError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::BadParameter { .. } => "Paramètre invalide",
            ApiError::NotFound => "Introuvable",
            ApiError::MethodNotAllowed => "Méthode non permise",
            ApiError::RateLimited(_) => "Trop de requêtes",
            ApiError::Internal(_) => "Erreur interne",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::BadParameter { parameter, detail } => format!("{parameter} : {detail}"),
            ApiError::NotFound => "Aucune ressource à cette adresse.".into(),
            ApiError::MethodNotAllowed => {
                "Cette API est en lecture seule : seules GET et HEAD sont acceptées.".into()
            }
            ApiError::RateLimited(seconds) => {
                format!("Trop de requêtes depuis cette adresse : réessayez dans {seconds} s.")
            }
            // The cause is logged, not shown.
            ApiError::Internal(_) => "Le serveur n’a pas pu répondre. Réessayez plus tard.".into(),
        }
    }

    pub fn problem(&self) -> Problem {
        Problem {
            r#type: format!("/api#{}", self.code()),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: self.code().to_owned(),
            parameter: match self {
                ApiError::BadParameter { parameter, .. } => Some((*parameter).to_owned()),
                _ => None,
            },
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound | AppError::Moved(_) => ApiError::NotFound,
            AppError::RateLimited(seconds) => ApiError::RateLimited(seconds),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<lieu_store::StoreError> for ApiError {
    fn from(e: lieu_store::StoreError) -> Self {
        AppError::from(e).into()
    }
}

impl From<lieu_search::SearchError> for ApiError {
    fn from(e: lieu_search::SearchError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// An error, as RFC 9457 describes it, with lieu's stable `code`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `/api#CODE`: the API page explains each code.
    #[schema(example = "/api#bad_parameter")]
    pub r#type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// `bad_parameter`, `not_found`, `method_not_allowed`, `rate_limited` or `internal`.
    #[schema(example = "bad_parameter")]
    pub code: String,
    /// The query parameter at fault (`bad_parameter`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(detail) = self {
            tracing::error!(%detail, "API request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, CONTENT_TYPE));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        match self {
            ApiError::RateLimited(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            ApiError::MethodNotAllowed => {
                response.insert_header((header::ALLOW, "GET, HEAD"));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}
