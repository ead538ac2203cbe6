//! Input no handler can store: the NUL character. PostgreSQL text cannot hold it (SQLite can),
//! so a `%00` in an address or a form would end as a database error on one backend only. It is
//! refused here, once, for every route, before any handler runs: no person types it.

use crate::error::AppError;
use crate::routes::FORM_LIMIT_BYTES;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web;

/// Whether URL-encoded text decodes to something holding a NUL (`%00`, or a raw zero byte).
fn decodes_to_nul(encoded: &[u8]) -> bool {
    encoded.contains(&0) || encoded.windows(3).any(|w| w == b"%00")
}

fn is_overflow(error: &actix_web::Error) -> bool {
    matches!(
        error.as_error::<PayloadError>(),
        Some(PayloadError::Overflow)
    )
}

/// Refuses, as a bad request, a path, query string or URL-encoded form that carries a NUL.
pub async fn refuse_nul(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // Answered here as a page, like every other error, so the outer middleware (headers,
    // compression, the request log) still sees a response.
    let refused = |req: ServiceRequest| {
        // The JSON API answers its errors as problems, never as a page.
        if req.path().starts_with(crate::api::PREFIX) {
            let problem = crate::api::ApiError::bad("query", "le caractère NUL n’est pas accepté");
            return Ok(req.error_response(problem).map_into_right_body());
        }
        Ok(req
            .error_response(AppError::BadRequest("NUL character in the request".into()))
            .map_into_right_body())
    };
    let uri = req.uri();
    if decodes_to_nul(uri.path().as_bytes())
        || uri.query().is_some_and(|q| decodes_to_nul(q.as_bytes()))
    {
        return refused(req);
    }
    let is_form = req.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes()
            .starts_with(b"application/x-www-form-urlencoded")
    });
    if req.method() == Method::POST && is_form {
        // Read under the application's PayloadConfig (its size limit), then handed back. A
        // body over the limit gets the French "form too large" page the extractors give,
        // not a bare error (which no outer middleware would turn into a page).
        let body = match req.extract::<web::Bytes>().await {
            Ok(body) => body,
            Err(e) if is_overflow(&e) => {
                return Ok(req
                    .error_response(AppError::TooLarge(FORM_LIMIT_BYTES))
                    .map_into_right_body());
            }
            Err(e) => return Err(e),
        };
        if decodes_to_nul(&body) {
            return refused(req);
        }
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::decodes_to_nul;

    #[test]
    fn only_an_encoded_or_raw_nul_is_caught() {
        assert!(decodes_to_nul(b"theme=%00"));
        assert!(decodes_to_nul(b"a\0b"));
        assert!(!decodes_to_nul(b"theme=%2500"));
        assert!(!decodes_to_nul(b"title=100%25+s%C3%BBr"));
    }
}
