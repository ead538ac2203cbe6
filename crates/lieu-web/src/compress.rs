//! Gzip for text responses, done inline. actix's `Compress` middleware sends every chunk over
//! 1 KiB to the blocking thread pool, which cost more than ten times the throughput of a page
//! view here; lieu's pages are small and complete in memory, so compressing them in place at
//! flate2's fast level takes microseconds.

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// Below this, gzip's own overhead is not worth it.
const MIN_BYTES: usize = 860;

/// Whether an `Accept-Encoding` value accepts gzip (and does not refuse it with `q=0`).
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut params = part.split(';');
        let name = params.next().unwrap_or_default().trim();
        let refused = params.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
        });
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

fn compressible(content_type: Option<&HeaderValue>) -> bool {
    content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("text/")
                || ct.starts_with("application/atom+xml")
                || ct.starts_with("application/json")
                || ct.starts_with("application/ld+json")
        })
}

pub async fn gzip(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wants_gzip = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(accepts_gzip);
    let res = next.call(req).await?;
    if !compressible(res.headers().get(header::CONTENT_TYPE))
        || res.headers().contains_key(header::CONTENT_ENCODING)
    {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
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

    #[test]
    fn gzip_is_accepted_unless_refused() {
        assert!(accepts_gzip("gzip, deflate, br"));
        assert!(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(accepts_gzip("*"));
        assert!(!accepts_gzip("br, deflate"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip("identity"));
    }
}
