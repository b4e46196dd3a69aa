//! The `healthcommunity` server: configuration, the axum router around the Leptos app, middleware, jobs and CLI commands.
// Deeply nested view types (the operator and dashboard pages) need more than the default 128.
#![recursion_limit = "256"]

pub mod assets;
pub mod bench;
pub mod config;
pub mod demo_articles;
pub mod demo_directory;
pub mod demo_groups;
pub mod demo_operator;
pub mod demo_posts;
pub mod demo_threads;
pub mod demo_traffic;
pub mod mailer;
pub mod page_cache;
pub mod places;
pub mod scale;
pub mod seed;

use app::db::Db;
use app::state::{AppState, ClientIp, Limits, Settings, WritesPerHour};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use config::ServeArgs;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{
    generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes,
};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Which origins may send state-changing requests, besides the request's own host.
#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    pub allowed: Arc<Vec<String>>,
    pub trust_proxy: bool,
}

/// Builds the app state for `serve` (and for the tests).
pub fn app_state(db: Db, args: &ServeArgs) -> Result<AppState, String> {
    let addr: SocketAddr = args
        .bind
        .parse()
        .map_err(|e| format!("HC_BIND {:?} is not an address:port: {e}", args.bind))?;
    let options = LeptosOptions::builder()
        .output_name("healthcommunity")
        .site_root(args.site_root.as_str())
        .site_pkg_dir(assets::url_dir(&assets::version(std::path::Path::new(
            &args.site_root,
        ))))
        .site_addr(addr)
        .build();
    let settings = Settings {
        public_url: args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string(),
        secure_cookies: args
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
        limits: Limits {
            login_per_ip: args.login_limit_per_ip,
            login_per_account: args.login_limit_per_account,
            signup_per_ip: args.signup_limit_per_ip,
            writes_per_hour: WritesPerHour {
                posts: args.post_limit_per_hour,
                replies: args.reply_limit_per_hour,
                votes: args.vote_limit_per_hour,
                ratings: args.rating_limit_per_hour,
                reports: args.report_limit_per_hour,
                contacts: args.contact_limit_per_hour,
            },
            ..Limits::default()
        },
        ..Settings::default()
    };
    Ok(AppState::new(options, db, settings))
}

fn origin_of(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    match url.find("://") {
        Some(i) => match url[i + 3..].find('/') {
            Some(j) => url[..i + 3 + j].to_string(),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// The router: server functions, Leptos pages, static files, and the middleware around them.
pub fn router(state: AppState, args: &ServeArgs) -> Router {
    let mut allowed: Vec<String> = args.allowed_origins.iter().map(|o| origin_of(o)).collect();
    if let Some(u) = &args.public_url {
        allowed.push(origin_of(u));
    }
    let policy = OriginPolicy {
        allowed: Arc::new(allowed),
        trust_proxy: args.trust_proxy,
    };
    let routes = route_list();
    let render = RenderWatch {
        limit: Duration::from_secs(args.render_retry_after.max(1)),
    };
    let leptos_state = state.clone();
    let events_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let hsts = args
        .public_url
        .as_deref()
        .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"));
    let app = Router::new()
        .route(
            "/api/{*fn_name}",
            get(server_fn_handler).post(server_fn_handler),
        )
        .route("/healthz", get(healthz))
        .route("/go/{id}", get(sponsored_click))
        .route("/admin/analytics.csv", get(analytics_csv))
        // The one-click opt-out of mail programs (RFC 8058) posts to the link itself; the page
        // at the same address (GET) is the Leptos route.
        .route("/mail/stop/{token}", axum::routing::post(mail_stop))
        .route("/export/{id}", get(data_export))
        .route("/img/{id}", get(picture))
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemap/{file}", get(sitemap_file))
        .route("/c/{slug}/feed.atom", get(community_feed))
        .route("/library/feed.atom", get(library_feed))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(leptos_state.clone()),
            move || app::shell(shell_options.clone()),
        )
        .merge(assets::routes(
            std::path::Path::new(&args.site_root),
            assets::version_of(&state.leptos_options.site_pkg_dir).unwrap_or("none"),
        ))
        // The 404 page renders the whole app too (header, session): it needs the same context
        // as the routes, or its server calls fail ("AppState missing") and a logged-in member
        // looks logged out on it.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let fallback_state = state.clone();
                move || provide_context(fallback_state.clone())
            },
            app::shell,
        ))
        .with_state(state.clone());
    let app = app.layer(middleware::from_fn_with_state(
        page_cache::PageCache::new(state.clone(), Duration::from_secs(args.page_cache_secs)),
        page_cache::page_cache,
    ));
    let counted = if args.count_traffic {
        app.layer(middleware::from_fn_with_state(state, count_page_views))
    } else {
        app
    };
    counted
        .layer(middleware::from_fn(private_answers))
        .layer(middleware::from_fn(multipart_needs_boundary))
        .layer(middleware::from_fn(vouch_for_form_errors))
        .layer(middleware::from_fn_with_state(render, retry_stalled_render))
        .layer(middleware::from_fn_with_state(
            policy.clone(),
            refuse_foreign_origin,
        ))
        .layer(middleware::from_fn_with_state(policy, client_ip))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(middleware::from_fn_with_state(hsts, strict_transport))
        .layer(CompressionLayer::new())
        // Pages (and anything else that does not say) are revalidated on every visit: a deploy's
        // new HTML, naming its new assets, is seen at once.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(args.request_timeout),
        ))
        .layer(TraceLayer::new_for_http())
        // Outside the timeout and compression layers: an event stream stays open and must not
        // be buffered by a compressor.
        .merge(
            Router::new()
                .route("/events", get(events))
                .with_state(events_state),
        )
}

/// Server functions that read a multipart form (the picture upload). Leptos' multipart decoder
/// panics on a body without a boundary; such a request is the client's error, answered as the
/// other server functions answer one (`BadRequest`, 400) before it gets there.
const MULTIPART_FUNCTIONS: [&str; 1] = ["/api/pictures/upload"];

pub async fn multipart_needs_boundary(req: Request, next: Next) -> Response {
    if MULTIPART_FUNCTIONS.contains(&req.uri().path()) {
        let ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.starts_with("multipart/form-data")
                    && v.split(';').any(|p| {
                        p.trim()
                            .strip_prefix("boundary=")
                            .is_some_and(|b| !b.trim_matches('"').is_empty())
                    })
            });
        if !ok {
            let body = serde_json::to_string(&app::error::AppError::BadRequest)
                .unwrap_or_else(|_| "\"BadRequest\"".to_string());
            return (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Server functions and pages for a logged-in member carry personal data: no shared cache (a
/// proxy, the browser's back-forward store on a shared computer) may keep them. A server
/// function's error travels as JSON; when Leptos answers one with 500 that is the client's
/// fault (arguments it could not read: `AppError::BadRequest`), the status says so.
pub async fn private_answers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    // A picture says itself who may cache it (`picture`).
    let picture = req.uri().path().starts_with("/img/");
    let member = !picture
        && req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| {
                c.trim()
                    .strip_prefix("hc_session=")
                    .is_some_and(|v| !v.is_empty())
            });
    let mut res = next.run(req).await;
    if api || member {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store, private"),
        );
    }
    if api && res.status() == StatusCode::INTERNAL_SERVER_ERROR {
        let (mut parts, body) = res.into_parts();
        let bytes = axum::body::to_bytes(body, 64 * 1024)
            .await
            .unwrap_or_default();
        if let Ok(e) = serde_json::from_slice::<app::error::AppError>(&bytes) {
            if let Ok(status) = StatusCode::from_u16(e.status_code()) {
                parts.status = status;
            }
        }
        return Response::from_parts(parts, Body::from(bytes));
    }
    res
}

/// The cookie that vouches for the one form error this server sent this browser back with.
const FORM_ERROR_COOKIE: &str = "hc_form_error";

/// The value of the query parameter `name` in `query` (percent-decoded).
fn query_param(query: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Leptos shows a no-JavaScript form's error from the `__err` parameter of the page it sends the
/// browser back to, so any link could put words under a login field ("Your account is locked,
/// call …"). When a form post fails, this remembers a hash of the error it carries in a short,
/// HttpOnly cookie; a page request whose `__err` does not match it has `__err` and `__path`
/// removed before the app reads them.
pub async fn vouch_for_form_errors(mut req: Request, next: Next) -> Response {
    let post_to_api = req.method() == Method::POST && req.uri().path().starts_with("/api/");
    if req.method() == Method::GET {
        if let Some(query) = req.uri().query() {
            if let Some(err) = query_param(query, "__err") {
                let vouched = req
                    .headers()
                    .get_all(header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(';'))
                    .filter_map(|c| c.trim().strip_prefix(FORM_ERROR_COOKIE)?.strip_prefix('='))
                    .any(|v| v == app::auth::repo::hash_token(&err));
                if !vouched {
                    let kept: String = url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(
                            url::form_urlencoded::parse(query.as_bytes())
                                .filter(|(k, _)| k != "__err" && k != "__path"),
                        )
                        .finish();
                    let path = req.uri().path();
                    let uri = if kept.is_empty() {
                        path.to_string()
                    } else {
                        format!("{path}?{kept}")
                    };
                    if let Ok(uri) = uri.parse() {
                        *req.uri_mut() = uri;
                    }
                }
            }
        }
    }
    let mut res = next.run(req).await;
    if post_to_api {
        let err = res
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| l.split_once('?'))
            .and_then(|(_, q)| query_param(q.split('#').next().unwrap_or(q), "__err"));
        if let Some(err) = err {
            let cookie = format!(
                "{FORM_ERROR_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=300",
                app::auth::repo::hash_token(&err)
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }
    res
}

/// `Strict-Transport-Security` when the site is served over https (`HC_PUBLIC_URL`).
pub async fn strict_transport(State(on): State<bool>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if on {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// The app's routes, generated once per process. Generating them renders the app with resource
/// loading switched off by a process-wide flag in leptos_server; a page whose resource first
/// polls while that flag is up waits forever (leptos-rs/leptos#4773). Once per process, before any
/// router exists, no page can be rendering at that moment, also when the tests start many servers
/// in one process.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// How long a page may take to render before it is rendered once more.
#[derive(Clone, Copy, Debug)]
pub struct RenderWatch {
    pub limit: Duration,
}

/// Renders a page again when its first render stalls. Leptos 0.8 has open, rare races in which a
/// server-side render waits forever for a resource that has already loaded
/// (leptos-rs/leptos#4578, #4647); the process stays healthy and a fresh render of the same page
/// succeeds. Page views are reads, so after `limit` the stalled render is dropped, a warning is
/// logged and the request is rendered again; the request timeout still bounds the whole. Server
/// functions (`/api/`), posts and the event stream pass straight through.
pub async fn retry_stalled_render(
    State(watch): State<RenderWatch>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::GET || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let mut again = Request::new(Body::empty());
    *again.method_mut() = parts.method.clone();
    *again.uri_mut() = parts.uri.clone();
    *again.version_mut() = parts.version;
    *again.headers_mut() = parts.headers.clone();
    *again.extensions_mut() = parts.extensions.clone();
    let path = parts.uri.path().to_string();
    let first = next.clone().run(Request::from_parts(parts, body));
    match tokio::time::timeout(watch.limit, first).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(
                path,
                after_ms = watch.limit.as_millis() as u64,
                "page render stalled; rendering it once more"
            );
            next.run(again).await
        }
    }
}

/// Live events for the logged-in member, as Server-Sent Events: `unread` with their counts, at
/// once and after every change. A comment every 20 s keeps proxies from closing an idle stream;
/// `X-Accel-Buffering: no` asks nginx-style proxies not to buffer it. Browsers reconnect by
/// themselves and get the current counts first.
async fn events(State(state): State<AppState>, req: Request<Body>) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let (parts, _) = req.into_parts();
    let user = match app::state::cookie(&parts, app::auth::api::session::COOKIE) {
        Some(token) => app::auth::repo::user_by_session(&state.db, &token)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let Some(user) = user else {
        return (StatusCode::UNAUTHORIZED, "Please log in.").into_response();
    };
    let wake = state.db.hub.subscribe(user.id);
    let closing = state.db.hub.closing();
    let db = state.db.clone();
    let stream = futures::stream::unfold(
        (wake, closing, db, true),
        move |(mut wake, mut closing, db, first)| async move {
            if !first {
                tokio::select! {
                    changed = wake.changed() => changed.ok()?,
                    _ = closing.changed() => return None,
                }
            }
            if *closing.borrow() {
                return None;
            }
            let n = app::notifications::repo::unread(&db, user.id)
                .await
                .unwrap_or(0);
            let m = app::messages::repo::unread(&db, user.id).await.unwrap_or(0);
            let event = Event::default()
                .event("unread")
                .data(format!("{{\"notifications\":{n},\"messages\":{m}}}"));
            Some((
                Ok::<_, std::convert::Infallible>(event),
                (wake, closing, db, false),
            ))
        },
    );
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response();
    res.headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

async fn server_fn_handler(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

/// One-click opt-out from a mail program: stops what the mail's link names.
async fn mail_stop(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Response {
    match app::mail::repo::stop(&state.db, &token).await {
        Ok(()) => (StatusCode::OK, "Stopped.").into_response(),
        Err(app::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "one-click opt-out failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Liveness and database check for load balancers.
/// Counts a page the server rendered for a person: a GET of a page address answered 200 with
/// HTML. In memory only (see `app::counting`); robots, errors, files and server functions are
/// not counted, and the app counts its own page changes (`page_seen`).
async fn count_page_views(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let page = (req.method() == Method::GET)
        .then(|| app::analytics::types::classify(req.uri().path()))
        .flatten();
    let Some(page) = page else {
        return next.run(req).await;
    };
    let text = |h: &axum::http::HeaderMap, name: header::HeaderName| {
        h.get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (ua, referer, host) = (
        text(req.headers(), header::USER_AGENT),
        text(req.headers(), header::REFERER),
        text(req.headers(), header::HOST),
    );
    let ip = req
        .extensions()
        .get::<ClientIp>()
        .map(|ip| ip.0.to_string())
        .unwrap_or_default();
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() == StatusCode::OK && html {
        let referrer = app::analytics::types::referrer_domain(&referer, &host);
        if let Err(e) = app::counting::page_view(&state, page, &ip, &ua, referrer).await {
            tracing::warn!(error = %e, "counting a page view failed");
        }
    }
    res
}

/// `/admin/analytics.csv`: every series of the dashboard for the same range and community, as
/// CSV (`series,day,value`). Admins only.
async fn analytics_csv(State(state): State<AppState>, req: Request) -> Response {
    let query = req.uri().query().unwrap_or("").to_string();
    let token = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == app::auth::api::session::COOKIE)
        .map(|(_, v)| v.to_string());
    let user = match token {
        Some(t) => app::auth::repo::user_by_session(&state.db, &t)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    match user {
        None => return (StatusCode::UNAUTHORIZED, "Log in as an admin.").into_response(),
        Some(u) if !u.is_admin => return (StatusCode::FORBIDDEN, "Admins only.").into_response(),
        Some(_) => {}
    }
    if let Err(e) = state.counts.flush(&state.db).await {
        tracing::warn!(error = %e, "flushing counts failed");
    }
    let days = query_param(&query, "days").and_then(|d| d.parse().ok());
    let (first, last) = app::analytics::api::dashboard_range(
        days,
        query_param(&query, "from").as_deref(),
        query_param(&query, "to").as_deref(),
    );
    let community = query_param(&query, "community").unwrap_or_default();
    match app::analytics::repo::dashboard(&state.db, first, last, &community).await {
        Ok(d) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"analytics.csv\"".to_string(),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            app::analytics::repo::csv(&d),
        )
            .into_response(),
        Err(app::error::AppError::NotFound) => {
            (StatusCode::NOT_FOUND, "No such community.").into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "analytics CSV failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Please try again.").into_response()
        }
    }
}

/// `/go/<id>`: a click on a sponsored message. Counts it (people only, by day, community and
/// placement: never who clicked) and answers 302 to the landing page, which must be https or a
/// page of this site.
async fn sponsored_click(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    req: Request,
) -> Response {
    use app::counting::{day_of, is_bot, Count};
    use app::sponsored::types::{landing_is_safe, Placement};
    let Ok(id) = id.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "No such link.").into_response();
    };
    let url = match app::sponsored::repo::landing(&state.db, id).await {
        Ok(Some(url)) => url,
        Ok(None) => return (StatusCode::NOT_FOUND, "No such link.").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "sponsored link lookup failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "Please try again.").into_response();
        }
    };
    if !landing_is_safe(&url) {
        return (StatusCode::BAD_REQUEST, "This link is not available.").into_response();
    }
    let ua = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !is_bot(ua) {
        let query = req.uri().query().unwrap_or("");
        let community = match query_param(query, "c").filter(|c| !c.is_empty()) {
            Some(slug) => app::sponsored::repo::community(&state.db, &slug)
                .await
                .ok()
                .flatten()
                .map(|c| c.id)
                .unwrap_or(0),
            None => 0,
        };
        let slot = query_param(query, "on")
            .and_then(|p| Placement::parse(&p))
            .unwrap_or(Placement::Feed);
        state.counts.add(Count::Click {
            campaign: id,
            day: day_of(app::db::now_ms()),
            community,
            slot,
        });
    }
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, url),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query("SELECT 1").execute(&state.db.pool).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// Records the client address for rate limits (the socket peer, or the proxy's X-Forwarded-For).
async fn client_ip(State(policy): State<OriginPolicy>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = policy
        .trust_proxy
        .then(|| {
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
        })
        .flatten();
    if let Some(ip) = forwarded.or(peer) {
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

/// CSRF defence: a state-changing request must come from this site. Browsers send `Origin` (and
/// `Sec-Fetch-Site`) with every POST; a foreign or opaque origin is refused. Requests without
/// either header are not from a browser, so they carry no victim's cookie and may pass.
async fn refuse_foreign_origin(
    State(policy): State<OriginPolicy>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // The scheme counts too: an `http://` page of the same host (a downgraded or spoofed
    // connection) is another origin. The site's own scheme is `https` when a proxy we trust says
    // so, else `http` (an https site names itself in `HC_PUBLIC_URL`, which `allowed` holds).
    let scheme = if policy.trust_proxy {
        headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .map(|p| p.split(',').next().unwrap_or(p).trim().to_ascii_lowercase())
            .unwrap_or_else(|| "http".into())
    } else {
        "http".into()
    };
    let own = format!("{scheme}://{host}");
    let same_site = |origin: &str| {
        let origin = origin.trim_end_matches('/');
        origin.eq_ignore_ascii_case(&own) || policy.allowed.iter().any(|a| a == origin)
    };
    let refused = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => !same_site(origin),
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|s| s == "cross-site"),
    };
    if refused {
        tracing::warn!(path = %req.uri().path(), "refused a cross-origin request");
        let body = serde_json::to_string(&app::error::AppError::CrossOrigin).unwrap_or_default();
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    next.run(req).await
}

/// Every hour: deletes expired sessions and old rate-limit buckets, erases the accounts whose
/// deletion grace period is over, blanks the text of mails
/// delivered more than 30 days ago, and refreshes SQLite's planner statistics.
pub fn spawn_sweeper(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match app::auth::repo::sweep(&state.db, state.settings.limits.window_ms).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "swept expired sessions and buckets"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sweep failed"),
            }
            if let Err(e) = app::privacy::export::sweep(&state.db, app::db::now_ms()).await {
                tracing::warn!(error = %e, "deleting expired data exports failed");
            }
            match app::privacy::repo::erase_due(&state.db, app::db::now_ms()).await {
                Ok(n) if n > 0 => {
                    tracing::info!(accounts = n, "erased accounts after their grace period")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "erasing due accounts failed"),
            }
            let today = app::counting::day_of(app::db::now_ms());
            if let Err(e) = app::counting::forget_before(&state.db, today).await {
                tracing::warn!(error = %e, "forgetting old visitor salts failed");
            }
            match app::mail::repo::sweep_outbox(&state.db, app::db::now_ms()).await {
                Ok(n) if n > 0 => tracing::info!(mails = n, "blanked the text of old mails"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox sweep failed"),
            }
            if let Err(e) = state.db.optimize().await {
                tracing::warn!(error = %e, "PRAGMA optimize failed");
            }
        }
    });
}

/// Every 5 seconds: builds the data exports members asked for (any process may; each export is
/// claimed by one).
pub fn spawn_export_job(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) =
                app::privacy::export::run_pending(&state.db, &state.settings.public_url).await
            {
                tracing::warn!(error = %e, "building a data export failed");
            }
        }
    });
}

/// `/export/<id>`: a member's data export, downloadable only by them while it lasts. A visitor
/// who is not logged in is sent to log in and back; someone else's, an unfinished or an expired
/// export is 404, all alike.
/// A text answer for crawlers and feed readers: kept an hour by any cache.
fn public_text(
    content_type: &'static str,
    result: Result<String, app::error::AppError>,
) -> Response {
    match result {
        Ok(body) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            body,
        )
            .into_response(),
        Err(app::error::AppError::NotFound) => {
            (StatusCode::NOT_FOUND, "Not found.").into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "a sitemap or feed failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Please try again.").into_response()
        }
    }
}

fn site_base(state: &AppState) -> String {
    state.settings.public_url.trim_end_matches('/').to_string()
}

/// `/robots.txt`, naming the sitemap at the site's public address.
async fn robots(State(state): State<AppState>) -> Response {
    public_text(
        "text/plain; charset=utf-8",
        Ok(app::seo::repo::robots(&site_base(&state))),
    )
}

/// `/sitemap.xml`: the index of the sitemap files.
async fn sitemap_index(State(state): State<AppState>) -> Response {
    let base = site_base(&state);
    public_text(
        "application/xml; charset=utf-8",
        app::seo::repo::sitemap_index(&state.db, &base).await,
    )
}

/// `/sitemap/pages.xml` and `/sitemap/posts-<n>.xml`.
async fn sitemap_file(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let base = site_base(&state);
    let result = if file == "pages.xml" {
        app::seo::repo::sitemap_pages(&state.db, &base).await
    } else {
        match file
            .strip_prefix("posts-")
            .and_then(|f| f.strip_suffix(".xml"))
            .and_then(|n| n.parse::<i64>().ok())
        {
            Some(n) => app::seo::repo::sitemap_posts(&state.db, &base, n).await,
            None => Err(app::error::AppError::NotFound),
        }
    };
    public_text("application/xml; charset=utf-8", result)
}

/// `/c/<slug>/feed.atom`: a community's newest public posts.
async fn community_feed(
    State(state): State<AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
) -> Response {
    let base = site_base(&state);
    public_text(
        "application/atom+xml; charset=utf-8",
        app::seo::repo::community_feed(&state.db, &base, &slug).await,
    )
}

/// `/library/feed.atom`: the newest library articles.
async fn library_feed(State(state): State<AppState>) -> Response {
    let base = site_base(&state);
    public_text(
        "application/atom+xml; charset=utf-8",
        app::seo::repo::library_feed(&state.db, &base).await,
    )
}

/// `/img/<id>`: a stored picture, through the posts' visibility rule for images in posts. An id
/// never changes its bytes, so a browser revalidates with `If-None-Match` and gets 304; public
/// pictures may be kept by shared caches for a day, a post's image seen by a member only by that
/// member's browser.
async fn picture(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let not_found = || (StatusCode::NOT_FOUND, "No such picture.").into_response();
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let viewer = match app::state::cookie(&parts, app::auth::api::session::COOKIE) {
        Some(token) => app::auth::repo::user_by_session(&state.db, &token)
            .await
            .ok()
            .flatten()
            .map(|u| (u.id, u.is_admin)),
        None => None,
    };
    let served = match app::pictures::repo::fetch(&state.db, id, viewer).await {
        Ok(s) => s,
        Err(app::error::AppError::NotFound) => return not_found(),
        Err(e) => {
            tracing::warn!(error = %e, "reading a picture failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "Please try again.").into_response();
        }
    };
    let etag = format!("\"img-{id}\"");
    let cache = if served.public {
        "public, max-age=86400"
    } else {
        "private, max-age=3600"
    };
    let fresh = parts
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let headers = [
        (header::CONTENT_TYPE, served.content_type),
        (header::CACHE_CONTROL, cache.to_string()),
        (header::ETAG, etag),
        // Only ever an image: nothing in it runs, even opened on its own.
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox".to_string(),
        ),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (StatusCode::OK, headers, served.bytes).into_response()
}

async fn data_export(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let user = match app::state::cookie(&parts, app::auth::api::session::COOKIE) {
        Some(token) => app::auth::repo::user_by_session(&state.db, &token)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let Some(user) = user else {
        let next: String =
            url::form_urlencoded::byte_serialize(format!("/export/{id}").as_bytes()).collect();
        return axum::response::Redirect::to(&format!("/login?next={next}")).into_response();
    };
    let gone = || {
        (
            StatusCode::NOT_FOUND,
            "This copy of your data has expired or is not yours. Ask for a new one in Settings, under Your data.",
        )
            .into_response()
    };
    let Ok(id) = id.parse::<i64>() else {
        return gone();
    };
    match app::privacy::export::download(&state.db, id, user.id).await {
        Ok((data, name)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            data,
        )
            .into_response(),
        Err(app::error::AppError::NotFound) => gone(),
        Err(e) => {
            tracing::warn!(error = %e, "downloading a data export failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Please try again.").into_response()
        }
    }
}

/// Every 10 seconds: adds this process's counts to the database (a crash loses at most that).
pub fn spawn_count_flush(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tick.tick().await;
            if let Err(e) = state.counts.flush(&state.db).await {
                tracing::warn!(error = %e, "flushing counts failed; kept for the next try");
            }
        }
    });
}

/// Binds, serves until Ctrl-C/SIGTERM, then finishes the requests in flight.
pub async fn serve(db: Db, args: ServeArgs) -> Result<(), String> {
    let state = app_state(db, &args)?;
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .map_err(|e| format!("could not listen on {}: {e}", args.bind))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let mail = mailer::Mailer::new(
        args.smtp_url.as_deref(),
        args.mail_dir.as_deref(),
        &args.mail_from,
    )?;
    if matches!(mail, mailer::Mailer::Log) {
        tracing::info!("no HC_SMTP_URL: e-mails go to the outbox table and the log");
    }
    spawn_sweeper(state.clone());
    spawn_count_flush(state.clone());
    spawn_export_job(state.clone());
    mailer::spawn_mail_jobs(state.clone(), Arc::new(mail), args.digest_hour);
    state.db.listen();
    let hub = state.db.hub.clone();
    let (counts, db) = (state.counts.clone(), state.db.clone());
    let app = router(state, &args);
    tracing::info!("listening on http://{local}");
    println!("HealthCommunity is running at http://{local} (Ctrl-C to stop)");
    let shutdown = async move {
        shutdown_signal().await;
        // Open event streams never end by themselves: close them so the shutdown can finish.
        hub.close();
    };
    let served = run(listener, app, shutdown).await;
    if let Err(e) = counts.flush(&db).await {
        tracing::warn!(error = %e, "the last counts could not be saved");
    }
    served
}

/// Serves `app` on `listener` with TCP_NODELAY (Leptos streams responses in chunks; without it
/// every response waits for a delayed ACK).
pub async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Sets up logging: text for people, JSON for collectors; `RUST_LOG` filters.
pub fn init_tracing(format: &str) {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    if format == "json" {
        let _ = fmt().with_env_filter(filter).json().try_init();
    } else {
        let _ = fmt().with_env_filter(filter).try_init();
    }
}
