//! Server-only shared state (database, settings) and helpers that server functions use to reach the request.

use crate::db::Db;
use crate::error::AppError;
use crate::ids::UserId;
use axum::extract::FromRef;
use http::request::Parts;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::net::IpAddr;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Limits on attempts; each is "so many per window".
#[derive(Debug, Clone)]
pub struct Limits {
    pub login_per_ip: i64,
    pub login_per_account: i64,
    pub signup_per_ip: i64,
    pub window_ms: i64,
    pub writes_per_hour: WritesPerHour,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_per_ip: 30,
            login_per_account: 10,
            signup_per_ip: 10,
            window_ms: 15 * 60 * 1000,
            writes_per_hour: WritesPerHour::default(),
        }
    }
}

/// How many of each kind of write one member may make per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WritesPerHour {
    pub posts: i64,
    pub replies: i64,
    pub votes: i64,
    pub ratings: i64,
    pub reports: i64,
    pub contacts: i64,
}

impl Default for WritesPerHour {
    fn default() -> Self {
        Self {
            posts: 10,
            replies: 60,
            votes: 300,
            ratings: 10,
            reports: 20,
            contacts: 5,
        }
    }
}

/// A kind of write that is limited per member per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Post,
    Reply,
    Vote,
    Rating,
    Report,
    Contact,
}

/// Counts one write of `what` by `user` against the hourly limit (a bucket in the database,
/// shared by every process); `RateLimited` past it. Callers check the input first, so a refused
/// form keeps what was typed and an invalid one costs nothing.
pub async fn limit_writes(state: &AppState, user: UserId, what: Write) -> Result<(), AppError> {
    let w = state.settings.limits.writes_per_hour;
    let (name, limit) = match what {
        Write::Post => ("posts", w.posts),
        Write::Reply => ("replies", w.replies),
        Write::Vote => ("votes", w.votes),
        Write::Rating => ("ratings", w.ratings),
        Write::Report => ("reports", w.reports),
        Write::Contact => ("contacts", w.contacts),
    };
    crate::auth::repo::hit_rate_limit(&state.db, &format!("{name}:{user}"), limit, 60 * 60 * 1000)
        .await
}

/// Runtime settings the app needs (the server builds them from flags and environment).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (the site is served over https).
    pub secure_cookies: bool,
    /// How long a login lasts.
    pub session_ttl_ms: i64,
    pub limits: Limits,
    /// The site's address as people reach it, for links in e-mails (no trailing slash).
    pub public_url: String,
    /// For each page's route (`home_route`), the response headers that start fetching the wasm
    /// chunks it needs, in one request (`app::routes` adds them to the page); empty when not
    /// split.
    pub page_chunks: Arc<std::collections::HashMap<String, Vec<(&'static str, String)>>>,
    /// Seals the account secrets the server reads back (two-step keys): the operator's key
    /// (`auth::sealed`); a random one by default, which the server replaces with its own.
    pub sealer: crate::auth::sealed::Sealer,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            session_ttl_ms: 30 * 24 * 3600 * 1000,
            limits: Limits::default(),
            page_chunks: Arc::default(),
            sealer: crate::auth::sealed::Sealer::default(),
        }
    }
}

/// Everything a request handler or server function needs; cloned into each request's context
/// and into every middleware's state, so a clone is one reference count (the fields are read
/// through `Deref`). Cloning the fields themselves cost a sixth of a cached page's time
/// (`LeptosOptions` is a dozen strings).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Caps concurrent password hashing at the core count (argon2 is deliberately expensive).
    pub hashing: Arc<Semaphore>,
    /// Counts kept in memory until the next flush (impressions, clicks, slots).
    pub counts: Arc<crate::counting::Counts>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db, settings: Settings) -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Self(Arc::new(Shared {
            leptos_options,
            db,
            settings: Arc::new(settings),
            hashing: Arc::new(Semaphore::new(cores)),
            counts: Arc::new(crate::counting::Counts::default()),
        }))
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The client address the server put on the request (see the server's `client_ip` middleware).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

/// The application state from the Leptos context (the log line of a missing one names the caller).
#[track_caller]
pub fn app_state() -> Result<AppState, AppError> {
    let at = std::panic::Location::caller();
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!(%at, "AppState missing from context");
        AppError::Internal
    })
}

/// The incoming request's head (the log line of a missing one names the caller: read it before
/// the first `.await` of a server function, while the request's context is certainly there).
#[track_caller]
pub fn request_parts() -> Result<Parts, AppError> {
    let at = std::panic::Location::caller();
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!(%at, "request parts missing from context");
        AppError::Internal
    })
}

/// A header of the incoming request as text ("" when absent or not text).
pub fn request_header(name: http::header::HeaderName) -> String {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_default()
}

/// True when the request is a plain HTML form post (JavaScript off), not a `fetch` from the app.
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// A cookie's value from the request, by name.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Adds a `Set-Cookie` header to the response being built.
pub fn set_cookie(value: String) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// Adds a header to the response of the page or server function being answered.
pub fn add_response_header(name: &'static str, value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        res.append_header(http::header::HeaderName::from_static(name), v);
    }
}

/// The response header by which a page says it must not be kept in the page cache (its content
/// depends on who reads it beyond being logged in or not). The server takes it off the response.
pub const NO_PAGE_CACHE_HEADER: &str = "x-hc-no-page-cache";

/// The response header by which a render or server function names the member it answered (their
/// id), so the page cache keeps a member's page at that member's version. The server takes it
/// off the response.
pub const MEMBER_HEADER: &str = "x-hc-member";

/// Keeps the page being rendered out of the page cache.
pub fn keep_out_of_page_cache() {
    add_response_header(NO_PAGE_CACHE_HEADER, "1");
}

/// Provides what every request's rendering and server functions read from the context: the
/// app's state, and the cache of the request's member (`auth::session::RequestMember`).
pub fn provide_request_context(state: AppState) {
    leptos::prelude::provide_context(state);
    leptos::prelude::provide_context(crate::auth::session::RequestMember::default());
}

/// Finishes a server function: on error, sets the HTTP status that matches it (except for plain
/// form posts, which must stay redirects so the browser comes back to the form).
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if !is_plain_form_post() {
            if let (Some(res), Ok(code)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::StatusCode::from_u16(e.status_code()),
            ) {
                res.set_status(code);
            }
        }
    }
    result
}
