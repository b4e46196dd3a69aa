//! The page cache's front door: a kept page answered before any other layer runs, with the headers and the encoded body every layer gave it the first time.
//!
//! The cache itself ([`super::page_cache`]) sits inside the counting and the response layers
//! (security headers, compression, `Cache-Control`), so that a page it answers is treated like a
//! rendered one. Passing through those layers costs a cached page more than reading it did: each
//! `from_fn` layer clones what is inside it per request, the futures are moved through about ten
//! layers, and the compression layer encodes the same bytes again for every browser. So the
//! first time a kept page is answered for a given `Accept-Encoding`, this outermost layer keeps
//! the final answer beside the entry ([`Answer`]: its headers and its encoded body); the next
//! request with that `Accept-Encoding` is answered from it here, after doing what the skipped
//! layers would have done for a hit: noting the client's address, counting the page view
//! (`guards::PageView`) and the sponsored slots shown (`count_shown_again`).
//!
//! The layers skipped are the tracing span, the timeout, and the guards the cache already skips;
//! the answer is the same bytes and headers (the test `front_door_answers_what_the_layers_did`).
//! An answer lives exactly as long as its entry: the entry's version and age are checked first.

use super::{count_shown_again, key_of, PageCache, Stored, CACHE_HEADER, MAX_PAGE_BYTES};
use crate::guards::{note_client_ip, PageView};
use crate::OriginPolicy;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The most encodings one page is kept in (browsers send one `Accept-Encoding` each; a client
/// sending a new one every time gets the cache's inner answer).
pub const MAX_VARIANTS: usize = 4;

/// A kept page as the client received it for one `Accept-Encoding`.
pub struct Answer {
    accept: String,
    headers: HeaderMap,
    pub(super) body: Bytes,
}

/// What the front door needs: the cache, how to find the client's address, and whether page
/// views are counted.
#[derive(Clone)]
pub struct Front {
    pub cache: Arc<PageCache>,
    pub policy: OriginPolicy,
    pub count: bool,
}

fn accept_encoding(req: &Request) -> String {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The middleware, outermost (see the module's comment).
pub async fn front_door(State(front): State<Front>, mut req: Request, next: Next) -> Response {
    if front.cache.ttl.is_zero() {
        return next.run(req).await;
    }
    let Some((key, member)) = key_of(&req) else {
        return next.run(req).await;
    };
    let accept = accept_encoding(&req);
    if let Some(entry) = front.cache.get(&key, member) {
        let answer = entry
            .answers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|a| a.accept == accept)
            .cloned();
        if let Some(answer) = answer {
            let user_agent = req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            count_shown_again(&front.cache.state, &entry.shown, user_agent);
            if front.count {
                note_client_ip(&front.policy, &mut req);
                if let Some(view) = PageView::of(&req) {
                    view.count(&front.cache.state).await;
                }
            }
            let mut res = Response::new(Body::from(answer.body.clone()));
            *res.headers_mut() = answer.headers.clone();
            return res;
        }
    }
    let mut res = next.run(req).await;
    let Some(Stored { key, entry }) = res.extensions_mut().remove::<Stored>() else {
        return res;
    };
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    // Read the answer whole (the cache read the page whole already; this is its encoding).
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "a cached page could not be encoded for the front door");
            let mut res = Response::from_parts(parts, Body::empty());
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return res;
        }
    };
    let mut headers = parts.headers.clone();
    // The length follows from the body; the answer says it comes from the cache.
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::TRANSFER_ENCODING);
    headers.insert(CACHE_HEADER, HeaderValue::from_static("hit"));
    let added = {
        let mut answers = entry.answers.lock().unwrap_or_else(|e| e.into_inner());
        let fits = answers.len() < MAX_VARIANTS && !answers.iter().any(|a| a.accept == accept);
        if fits {
            answers.push(Arc::new(Answer {
                accept,
                headers,
                body: body.clone(),
            }));
        }
        fits
    };
    if added {
        front.cache.grew(&key, &entry, body.len());
    }
    Response::from_parts(parts, Body::from(body))
}
