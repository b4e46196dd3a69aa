//! The page cache: public pages rendered for visitors without cookies, kept in memory for a few seconds and dropped as soon as a request may have changed them, in every app process.
//!
//! What may be cached, and why nothing personal can come out of it:
//! - only a `GET` **without any cookie** is looked up or stored: a logged-in member (session
//!   cookie), a form coming back with its typed values (echo cookie), an announcement someone
//!   dismissed (its cookie): all of these bypass the cache in both directions. Who is reading is
//!   decided by the session cookie alone, so a request without cookies is a visitor's, and a
//!   visitor is shown only what the visibility rule gives everyone;
//! - only a `200` HTML answer that sets no cookie and was not marked by the app as depending on
//!   the reader (`app::state::keep_out_of_page_cache`: a sponsored campaign capped per visitor, a
//!   search) is stored;
//! - an entry lives `--page-cache-secs` (10 by default) and only while the pages' version
//!   (`Db::pages_version`) is the one it was rendered at. Every request that is not a read
//!   (any `POST` except the server functions listed in [`READS`]) raises the version once it has
//!   been answered without an error status, here and, on PostgreSQL, in every other process (NOTIFY): a new post, reply,
//!   vote, edit, removal or setting is on the next visitor's page at once.
//!
//! A hit still passes every middleware outside this one (the page view is counted, headers set),
//! and the sponsored slots the page shows are counted again (`count_shown_again`).

use app::db::Db;
use app::sponsored::api::{count_shown_again, Shown, SHOWN_HEADER};
use app::state::{AppState, NO_PAGE_CACHE_HEADER};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Server functions that never change what a public page shows (they read, or they change
/// only the caller's own counters and read marks). Every other `POST` drops the cached pages.
/// A function missing here costs only cache hits; a test checks each name exists.
pub const READS: &[&str] = &[
    "about",
    "admin/audit_log",
    "admin/pending_verifications",
    "admin/staff",
    "analytics",
    "announcements",
    "announcements/admin",
    "communities",
    "community",
    "current_user",
    "directory",
    "directory/inbox",
    "directory/reports",
    "feed",
    "feed/pinned",
    "following",
    "form_echo",
    "group",
    "group/admin",
    "groups",
    "invites",
    "library",
    "library/article",
    "library/desk",
    "library/draft",
    "mail_stop_view",
    "messages",
    "messages/reports",
    "messages/thread",
    "mod/queue",
    "mod/watched",
    "my_privacy",
    "my_settings",
    "notifications",
    "operator/ad_bars",
    "operator/admin",
    "post",
    "post/history",
    "post/similar",
    "profile",
    "profile/activity",
    "provider",
    "providers/top",
    "request",
    "requests",
    "saved",
    "search",
    "search/synonyms",
    "seen",
    "sponsor/report",
    "sponsored",
    "sponsored/admin",
    "welcome",
];

/// The most bytes of pages kept (then the oldest go first).
const MAX_BYTES: usize = 16 * 1024 * 1024;
/// A page larger than this is served but not kept.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// The header that says whether a page came from the cache (`hit`) or was rendered (`miss`).
pub const CACHE_HEADER: &str = "x-page-cache";

struct Entry {
    version: u64,
    stored: Instant,
    headers: HeaderMap,
    body: Bytes,
    shown: Vec<Shown>,
}

#[derive(Default)]
struct Entries {
    pages: HashMap<String, Arc<Entry>>,
    bytes: usize,
}

/// The cache of one app process.
pub struct PageCache {
    ttl: Duration,
    state: AppState,
    entries: RwLock<Entries>,
}

impl PageCache {
    pub fn new(state: AppState, ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            ttl,
            state,
            entries: RwLock::default(),
        })
    }

    fn db(&self) -> &Db {
        &self.state.db
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let version = self.db().pages_version();
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .pages
            .get(key)
            .filter(|e| e.version == version && e.stored.elapsed() < self.ttl)
            .cloned()
    }

    fn put(&self, key: String, entry: Entry) {
        let size = entry.body.len() + key.len();
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = entries.pages.remove(&key) {
            entries.bytes = entries.bytes.saturating_sub(old.body.len() + key.len());
        }
        if entries.bytes + size > MAX_BYTES {
            // First what can no longer be served, then the oldest.
            let (version, ttl) = (entry.version, self.ttl);
            entries
                .pages
                .retain(|_, e| e.version == version && e.stored.elapsed() < ttl);
            let mut by_age: Vec<(Instant, String)> = entries
                .pages
                .iter()
                .map(|(k, e)| (e.stored, k.clone()))
                .collect();
            by_age.sort();
            let mut bytes: usize = entries
                .pages
                .iter()
                .map(|(k, e)| e.body.len() + k.len())
                .sum();
            for (_, k) in by_age {
                if bytes + size <= MAX_BYTES {
                    break;
                }
                if let Some(e) = entries.pages.remove(&k) {
                    bytes = bytes.saturating_sub(e.body.len() + k.len());
                }
            }
            entries.bytes = bytes;
        }
        entries.bytes += size;
        entries.pages.insert(key, Arc::new(entry));
    }
}

/// Whether a `POST` to `path` leaves every public page as it was.
fn is_read(path: &str) -> bool {
    path.strip_prefix("/api/")
        .is_some_and(|name| READS.contains(&name))
}

/// Takes the app's notes for this middleware off a response (they never reach the browser):
/// the sponsored slots shown, and whether the page may be kept.
fn take_notes(headers: &mut HeaderMap) -> (Vec<Shown>, bool) {
    let shown = headers
        .get_all(SHOWN_HEADER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(Shown::decode)
        .collect();
    let keep = headers.get(NO_PAGE_CACHE_HEADER).is_none();
    headers.remove(SHOWN_HEADER);
    headers.remove(NO_PAGE_CACHE_HEADER);
    (shown, keep)
}

fn marked(mut res: Response, how: &'static str) -> Response {
    res.headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static(how));
    res
}

/// The middleware: inside the traffic counting (a hit is counted as a page view), outside the
/// guards a visitor's GET passes unchanged (see `router`).
pub async fn page_cache(State(cache): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    if cache.ttl.is_zero() {
        // Turned off (`--page-cache-secs 0`): the app's notes are still taken off.
        let mut res = next.run(req).await;
        take_notes(res.headers_mut());
        return res;
    }
    if method != Method::GET {
        let write = method != Method::HEAD && !is_read(req.uri().path());
        let mut res = next.run(req).await;
        take_notes(res.headers_mut());
        // A refused or failed request changed nothing (its transaction rolled back): a scanner
        // posting to addresses that do not exist neither empties the cache nor makes every
        // process hear about it.
        if write && res.status().as_u16() < 400 {
            cache.db().pages_changed().await;
        }
        return res;
    }
    let cacheable =
        !req.headers().contains_key(header::COOKIE) && !req.uri().path().starts_with("/api/");
    if !cacheable {
        let mut res = next.run(req).await;
        take_notes(res.headers_mut());
        return res;
    }
    let key = req.uri().to_string();
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if let Some(entry) = cache.get(&key) {
        count_shown_again(&cache.state, &entry.shown, &user_agent);
        let mut res = Response::new(Body::from(entry.body.clone()));
        *res.headers_mut() = entry.headers.clone();
        return marked(res, "hit");
    }
    let version = cache.db().pages_version();
    let mut res = next.run(req).await;
    let (shown, keep) = take_notes(res.headers_mut());
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let storable = keep
        && html
        && res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING);
    if !storable {
        return res;
    }
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            // Too large, or the render failed while streaming: answer as it would have been.
            tracing::warn!(error = %e, page = %key, "a page could not be read for the page cache");
            let mut res = Response::from_parts(parts, Body::empty());
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return res;
        }
    };
    // Rendered while nothing changed: it shows the current version of everything on it.
    if cache.db().pages_version() == version {
        cache.put(
            key,
            Entry {
                version,
                stored: Instant::now(),
                headers: parts.headers.clone(),
                body: body.clone(),
                shown,
            },
        );
    }
    marked(Response::from_parts(parts, Body::from(body)), "miss")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_read_is_a_server_function() {
        let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
            .map(|(p, _)| p)
            .collect();
        // The app's functions register when the app crate is linked in.
        let _ = app::App;
        for name in READS {
            let path = format!("/api/{name}");
            assert!(
                paths.contains(&path.as_str()),
                "{path} is listed as a read but is no server function"
            );
        }
    }

    #[test]
    fn writes_are_every_post_but_the_listed_reads() {
        assert!(is_read("/api/feed"));
        assert!(is_read("/api/sponsored"));
        assert!(!is_read("/api/post/create"));
        assert!(!is_read("/api/vote"));
        assert!(!is_read("/api/feedx"));
        assert!(!is_read("/mail/stop/abc"));
    }
}
