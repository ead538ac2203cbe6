//! One error type for every handler. Each variant has a stable snake_case code, an HTTP status
//! and a French page that tells the reader what to do next.

use crate::views;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use lieu_core::Invalid;
use lieu_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The page was renamed: permanent redirect to its new address.
    #[error("moved to {0}")]
    Moved(String),
    /// The reader must log in first; carries the address to come back to.
    #[error("login required")]
    LoginRequired(String),
    #[error("forbidden")]
    Forbidden,
    #[error("invalid CSRF token")]
    Csrf,
    /// Too many login attempts; carries the seconds to wait (`Retry-After`).
    #[error("too many attempts")]
    RateLimited(u64),
    /// A request body over the raw limit; carries the limit in bytes.
    #[error("body larger than {0} bytes")]
    TooLarge(usize),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid input: {0}")]
    Invalid(Invalid),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Moved(_) => "moved",
            AppError::LoginRequired(_) => "login_required",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf_failed",
            AppError::RateLimited(_) => "rate_limited",
            AppError::TooLarge(_) => "too_large",
            AppError::BadRequest(_) => "bad_request",
            AppError::Invalid(_) => "invalid",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e.or_not_found() {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Invalid(invalid) => AppError::Invalid(invalid),
            StoreError::SlugTaken(_) => AppError::Invalid(Invalid::single("title", "title_taken")),
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::Conflict => {
                AppError::Invalid(Invalid::single("entry", "changed_meanwhile"))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<lieu_search::SearchError> for AppError {
    fn from(e: lieu_search::SearchError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Moved(_) => StatusCode::MOVED_PERMANENTLY,
            AppError::LoginRequired(_) => StatusCode::SEE_OTHER,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(_) | AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "request failed");
        }
        if let AppError::Moved(to) = self {
            return HttpResponse::MovedPermanently()
                .insert_header((header::LOCATION, to.as_str()))
                .finish();
        }
        if let AppError::LoginRequired(back) = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, views::auth::login_url(back)))
                .finish();
        }
        let mut response = HttpResponse::build(self.status_code());
        if let AppError::RateLimited(seconds) = self {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        let reasons: Vec<&'static str> = match self {
            AppError::Invalid(invalid) => invalid.errors.iter().map(|e| e.code).collect(),
            _ => Vec::new(),
        };
        let (title, explain) = match self {
            AppError::NotFound | AppError::Moved(_) => {
                ("error.not_found", "error.not_found_explain")
            }
            AppError::Forbidden => ("error.forbidden", "error.forbidden_explain"),
            AppError::Csrf => ("error.csrf", "error.csrf_explain"),
            AppError::RateLimited(_) => ("error.rate_limited", "error.rate_limited_explain"),
            AppError::TooLarge(_) => ("error.too_large", "error.too_large_explain"),
            AppError::BadRequest(_) | AppError::Invalid(_) => {
                ("error.bad_request", "error.bad_request_explain")
            }
            AppError::LoginRequired(_) => ("error.login_required", "error.login_required"),
            AppError::Internal(_) => ("error.internal", "error.internal_explain"),
        };
        let page = views::errors::ErrorPage {
            title,
            explain,
            reasons: &reasons,
            wait_seconds: match self {
                AppError::RateLimited(seconds) => Some(*seconds),
                _ => None,
            },
            limit_bytes: match self {
                AppError::TooLarge(limit) => Some(*limit),
                _ => None,
            },
            code: self.code(),
        };
        response
            .content_type("text/html; charset=utf-8")
            .body(views::errors::error_page(&page).into_string())
    }
}
