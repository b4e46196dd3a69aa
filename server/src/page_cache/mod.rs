//! The page cache: rendered pages kept in memory for a few seconds and dropped as soon as a request may have changed them, in every app process — a visitor's public pages, and a member's own pages for that member alone.
//!
//! What may be cached, and why nothing personal can come out of it for anyone else:
//! - a `GET` of a page (not `/api/`) **without any cookie** is a visitor's: who is reading is
//!   decided by the session cookie alone, so it is shown only what the visibility rule gives
//!   everyone, and it is kept under its address for every visitor;
//! - a `GET` of a page **with a session cookie** is a member's: it is kept under the hash of the
//!   member's session token, the hash of the whole `Cookie` header and the address, so only a
//!   request carrying that very session and those very cookies can ever be answered with it
//!   (another member, a visitor, the same member after logging in again all miss). Any other
//!   request with cookies (a form coming back with its typed values and no session…) and any
//!   address with a form error (`__err`) bypasses the cache in both directions;
//! - only a `200` HTML answer that sets no cookie and was not marked by the app as depending on
//!   the reader (`app::state::keep_out_of_page_cache`: a sponsored campaign capped per visitor, a
//!   search) is stored;
//! - an entry lives `--page-cache-secs` (10 by default) and only while the pages' version
//!   (`Db::pages_version`) is the one it was rendered at. Every request that is not a read
//!   (any `POST` except the server functions listed in [`READS`]) raises the version once it has
//!   been answered without an error status, here and, on PostgreSQL, in every other process (NOTIFY): a new post, reply,
//!   vote, edit, removal or setting is on the next visitor's page at once;
//! - a member's entry also lives only while that member's own version (`Db::member_pages`) is
//!   the one it was rendered at. It is raised by everything announced to the member for their
//!   live events (a notification, a message, a read mark: reading a thread marks its
//!   notifications read), in every process, and by every server function they call; a page
//!   whose render overlapped a raise (its own read marks included) is not kept. The render says
//!   whose page it is in a note (`app::state::MEMBER_HEADER`); a request with a session cookie
//!   answered as a visitor's (an expired session) is not kept.
//!
//! A page is answered from here only the first time it is asked for with a given
//! `Accept-Encoding`: every middleware outside this one then runs as for a rendered page (the
//! page view counted, the headers set, the body compressed), and the front door ([`front`]) keeps
//! that final answer beside the entry. The next request for the page with that encoding is
//! answered by the front door before any other layer, with the same view counted and the
//! sponsored slots the page shows counted again (`count_shown_again`).

pub mod front;

use app::db::Db;
use app::sponsored::api::{count_shown_again, Shown, SHOWN_HEADER};
use app::state::{AppState, MEMBER_HEADER, NO_PAGE_CACHE_HEADER};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
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
    "communities/mine",
    "community",
    "current_user",
    "directory",
    "directory/inbox",
    "directory/listing_requests",
    "directory/my_listing_requests",
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
    "login/waiting",
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
    "privacy_notice",
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
    "two_step",
    "welcome",
];

/// The most bytes of visitors' pages kept (then the oldest go first).
const MAX_BYTES: usize = 16 * 1024 * 1024;
/// The most bytes of members' pages kept, apart: members cannot push the visitors' pages out.
const MAX_MEMBER_BYTES: usize = 8 * 1024 * 1024;
/// A page larger than this is served but not kept.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// The header that says whether a page came from the cache (`hit` from the front door,
/// `hit-inner` through the layers outside the cache) or was rendered (`miss`).
pub const CACHE_HEADER: &str = "x-page-cache";

struct Entry {
    version: u64,
    stored: Instant,
    headers: HeaderMap,
    body: Bytes,
    shown: Vec<Shown>,
    /// A member's page: the member's id and their pages' version when it was rendered.
    member: Option<(i64, app::db::member_pages::Version)>,
    /// The page as every layer outside the cache answered it, per `Accept-Encoding` (see
    /// [`front`]); at most [`front::MAX_VARIANTS`].
    answers: Mutex<Vec<Arc<front::Answer>>>,
}

impl Entry {
    /// The bytes it holds under `key`.
    fn size(&self, key: &str) -> usize {
        let answers: usize = self
            .answers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|a| a.body.len())
            .sum();
        key.len() + self.body.len() + answers
    }
}

/// A response's note that its page is (still) in the cache, for the front door.
#[derive(Clone)]
pub struct Stored {
    key: String,
    entry: Arc<Entry>,
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
    visitors: RwLock<Entries>,
    members: RwLock<Entries>,
}

impl PageCache {
    pub fn new(state: AppState, ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            ttl,
            state,
            visitors: RwLock::default(),
            members: RwLock::default(),
        })
    }

    fn db(&self) -> &Db {
        &self.state.db
    }

    /// The entry of `key`, if it may be served: a visitor's (`member` false) at the current
    /// pages' version, or a member's at that and at the member's own current version.
    fn get(&self, key: &str, member: bool) -> Option<Arc<Entry>> {
        let version = self.db().pages_version();
        let entries = if member {
            &self.members
        } else {
            &self.visitors
        };
        let entry = entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .pages
            .get(key)
            .filter(|e| e.version == version && e.stored.elapsed() < self.ttl)
            .cloned()?;
        match (member, entry.member) {
            (false, None) => Some(entry),
            (true, Some((id, at))) if self.db().member_pages.version(id) == at => Some(entry),
            _ => None,
        }
    }

    fn entries(&self, member: bool) -> (&RwLock<Entries>, usize) {
        if member {
            (&self.members, MAX_MEMBER_BYTES)
        } else {
            (&self.visitors, MAX_BYTES)
        }
    }

    fn put(&self, key: String, entry: Entry) -> Arc<Entry> {
        let (entries, budget) = self.entries(entry.member.is_some());
        let size = entry.size(&key);
        let mut entries = entries.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = entries.pages.remove(&key) {
            entries.bytes = entries.bytes.saturating_sub(old.size(&key));
        }
        if entries.bytes + size > budget {
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
            let mut bytes: usize = entries.pages.iter().map(|(k, e)| e.size(k)).sum();
            for (_, k) in by_age {
                if bytes + size <= budget {
                    break;
                }
                if let Some(e) = entries.pages.remove(&k) {
                    bytes = bytes.saturating_sub(e.size(&k));
                }
            }
            entries.bytes = bytes;
        }
        entries.bytes += size;
        let entry = Arc::new(entry);
        entries.pages.insert(key, entry.clone());
        entry
    }

    /// Adds `bytes` to the budget of the entry under `key`, if it is still the one kept there.
    fn grew(&self, key: &str, entry: &Arc<Entry>, bytes: usize) {
        let (entries, _) = self.entries(entry.member.is_some());
        let mut entries = entries.write().unwrap_or_else(|e| e.into_inner());
        if entries
            .pages
            .get(key)
            .is_some_and(|e| Arc::ptr_eq(e, entry))
        {
            entries.bytes += bytes;
        }
    }
}

/// Where a request for a page is kept: its key, and whether it is a member's page. `None` for
/// a request the cache must not answer (not a page `GET`, cookies without a session, a form
/// error to show).
fn key_of(req: &Request) -> Option<(String, bool)> {
    if req.method() != Method::GET
        || req.uri().path().starts_with("/api/")
        || req.uri().query().is_some_and(|q| q.contains("__err"))
    {
        return None;
    }
    let cookies = cookies(req.headers());
    if cookies.is_empty() {
        return Some((req.uri().to_string(), false));
    }
    let token = session_of(&cookies)?;
    let key = format!(
        "{token}:{}:{}",
        app::auth::repo::hash_token(&cookies),
        req.uri()
    );
    Some((key, true))
}

/// The whole `Cookie` header of a request ("" without one).
fn cookies(headers: &HeaderMap) -> String {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The session a request's cookie names, as the hash of its token (None without one).
fn session_of(cookies: &str) -> Option<String> {
    cookies
        .split(';')
        .filter_map(|c| {
            c.trim()
                .strip_prefix(app::auth::session::COOKIE)?
                .strip_prefix('=')
        })
        .find(|t| !t.is_empty())
        .map(app::auth::repo::hash_token)
}

/// Whether a `POST` to `path` leaves every public page as it was.
fn is_read(path: &str) -> bool {
    path.strip_prefix("/api/")
        .is_some_and(|name| READS.contains(&name))
}

/// The app's notes for this middleware, taken off a response (they never reach the browser).
struct Notes {
    /// The sponsored slots shown.
    shown: Vec<Shown>,
    /// Whether the page may be kept.
    keep: bool,
    /// The member the response was for.
    member: Option<i64>,
}

fn take_notes(headers: &mut HeaderMap) -> Notes {
    let shown = headers
        .get_all(SHOWN_HEADER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(Shown::decode)
        .collect();
    let keep = headers.get(NO_PAGE_CACHE_HEADER).is_none();
    let member = headers
        .get(MEMBER_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    for name in [SHOWN_HEADER, NO_PAGE_CACHE_HEADER, MEMBER_HEADER] {
        headers.remove(name);
    }
    Notes {
        shown,
        keep,
        member,
    }
}

/// What a cache key may print in a log: the address, never the member's hashes.
fn req_page(key: &str) -> &str {
    if key.starts_with('/') {
        key
    } else {
        // "member:cookies:address": the hashes are hexadecimal, the address comes after both.
        key.splitn(3, ':').nth(2).unwrap_or("")
    }
}

fn marked(mut res: Response, how: &'static str) -> Response {
    res.headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static(how));
    res
}

/// The middleware: inside the traffic counting (a hit is counted as a page view), outside the
/// guards a visitor's GET passes unchanged (see `router`).
pub async fn page_cache(State(cache): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    if cache.ttl.is_zero() {
        // Turned off (`--page-cache-secs 0`): the app's notes are still taken off.
        let mut res = next.run(req).await;
        let _ = take_notes(res.headers_mut());
        return res;
    }
    let Some((key, member)) = key_of(&req) else {
        return uncached(&cache, req, next).await;
    };
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if let Some(entry) = cache.get(&key, member) {
        count_shown_again(&cache.state, &entry.shown, &user_agent);
        let mut res = Response::new(Body::from(entry.body.clone()));
        *res.headers_mut() = entry.headers.clone();
        res.extensions_mut().insert(Stored { key, entry });
        return marked(res, "hit-inner");
    }
    let started = Instant::now();
    let version = cache.db().pages_version();
    let mut res = next.run(req).await;
    let notes = take_notes(res.headers_mut());
    if !storable(&notes, &res, member) {
        return res;
    }
    // The page renders while its body streams: read it whole before asking what changed.
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            // Too large, or the render failed while streaming: answer as it would have been.
            tracing::warn!(error = %e, page = %req_page(&key), "a page could not be read for the page cache");
            let mut res = Response::from_parts(parts, Body::empty());
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return res;
        }
    };
    // A member's page is kept at their version, unless something was announced to them while it
    // rendered (this render's own read marks included): then it may show the state before.
    let pages = &cache.db().member_pages;
    let owner = notes.member.map(|id| (id, pages.version(id)));
    let current = notes
        .member
        .is_none_or(|id| !pages.raised_since(id, started));
    // Rendered while nothing changed: it shows the current version of everything on it.
    let mut res = Response::from_parts(parts, Body::from(body.clone()));
    if current && cache.db().pages_version() == version {
        let entry = cache.put(
            key.clone(),
            Entry {
                version,
                stored: Instant::now(),
                headers: res.headers().clone(),
                body,
                shown: notes.shown,
                member: owner,
                answers: Mutex::default(),
            },
        );
        res.extensions_mut().insert(Stored { key, entry });
    }
    marked(res, "miss")
}

/// Whether a page rendered now may be kept: an HTML page answered 200, that the app allowed,
/// as plain bytes, setting no cookie. A request with a session that was answered as a
/// visitor's (an expired session) is not kept: it would be kept under the session's key.
fn storable(notes: &Notes, res: &Response, member: bool) -> bool {
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    notes.keep
        && html
        && res.status() == StatusCode::OK
        && member == notes.member.is_some()
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING)
}

/// A request the cache does not answer (not a page `GET`, cookies without a session, a form
/// error to show): passed on; a write that succeeded tells every process that pages changed.
async fn uncached(cache: &PageCache, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path();
    let write = method != Method::GET && method != Method::HEAD && !is_read(path);
    let mut res = next.run(req).await;
    let notes = take_notes(res.headers_mut());
    // A refused or failed request changed nothing (its transaction rolled back): a scanner
    // posting to addresses that do not exist neither empties the cache nor makes every
    // process hear about it.
    if write && res.status().as_u16() < 400 {
        cache.db().pages_changed().await;
    }
    // What a member does may change their own pages (what changes them for good is also
    // announced to them, in every process).
    if let (Some(id), false) = (notes.member, method == Method::GET) {
        cache.db().member_pages_changed(id);
    }
    res
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
