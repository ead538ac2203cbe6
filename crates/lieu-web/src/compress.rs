//! Gzip for text responses, done inline. actix's `Compress` middleware sends every chunk over
//! 1 KiB to the blocking thread pool, which cost more than ten times the throughput of a page
//! view here; lieu's pages are small and complete in memory, so compressing them in place at
//! flate2's fast level takes microseconds. Only the coding is done here: which coding the
//! client accepts is actix's own `Accept-Encoding` negotiation.

use actix_web::HttpMessage;
use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, AcceptEncoding, Encoding, HeaderValue};
use actix_web::middleware::Next;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// Below this, gzip's own overhead is not worth it.
const MIN_BYTES: usize = 860;

/// What lieu can send: gzip, or the body as it is.
const SUPPORTED: [Encoding; 2] = [Encoding::gzip(), Encoding::identity()];

/// Whether the client's `Accept-Encoding` (absent: `None`) makes gzip the coding to send. No
/// header, or one that cannot be parsed, means the body as it is.
pub fn wants_gzip(accept: Option<&AcceptEncoding>) -> bool {
    let Some(accept) = accept else {
        return false;
    };
    // A bare `*` names no coding: actix answers identity, as its own `Compress` does.
    accept.negotiate(SUPPORTED.iter()) == Some(Encoding::gzip())
}

fn compressible(content_type: Option<&HeaderValue>) -> bool {
    content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("text/")
                || ct.starts_with("application/atom+xml")
                || ct.starts_with("application/json")
                || ct.starts_with("application/ld+json")
                || ct.starts_with("application/problem+json")
        })
}

pub async fn gzip(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wants_gzip = wants_gzip(req.get_header::<AcceptEncoding>().as_ref());
    let res = next.call(req).await?;
    if !compressible(res.headers().get(header::CONTENT_TYPE))
        || res.headers().contains_key(header::CONTENT_ENCODING)
    {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    // Appended: the response may already vary by language.
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let bytes = body::to_bytes(body)
        .await
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.into().to_string()))?;
    if !wants_gzip || bytes.len() < MIN_BYTES {
        return Ok(ServiceResponse::new(req, res.set_body(BoxBody::new(bytes))));
    }
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::fast());
    encoder
        .write_all(&bytes)
        .map_err(actix_web::error::ErrorInternalServerError)?;
    let compressed = encoder
        .finish()
        .map_err(actix_web::error::ErrorInternalServerError)?;
    res.headers_mut()
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    res.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(ServiceResponse::new(
        req,
        res.set_body(BoxBody::new(compressed)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn gzip_for(accept_encoding: Option<&str>) -> bool {
        let mut req = TestRequest::default();
        if let Some(value) = accept_encoding {
            req = req.insert_header((header::ACCEPT_ENCODING, value));
        }
        wants_gzip(
            req.to_http_request()
                .get_header::<AcceptEncoding>()
                .as_ref(),
        )
    }

    #[test]
    fn gzip_is_sent_when_the_client_accepts_it_and_not_otherwise() {
        assert!(gzip_for(Some("gzip, deflate, br")));
        assert!(gzip_for(Some("br;q=1.0, GZIP;q=0.5")));
        assert!(gzip_for(Some("br, gzip;q=0.5")));
        assert!(!gzip_for(Some("*")));
        assert!(!gzip_for(Some("gzip;q=0, *")));
        assert!(gzip_for(Some("gzip;q=0.5, identity;q=0.1")));
        assert!(!gzip_for(None));
        assert!(!gzip_for(Some("br, deflate")));
        assert!(!gzip_for(Some("gzip;q=0")));
        assert!(!gzip_for(Some("gzip; q=0.000")));
        assert!(!gzip_for(Some("identity")));
        assert!(!gzip_for(Some("*;q=0, identity")));
        assert!(!gzip_for(Some("identity;q=1, gzip;q=0.5")));
    }
}
