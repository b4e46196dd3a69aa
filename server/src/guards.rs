//! The router's middleware (named `guards` beside axum's `middleware`): client address, same-origin writes, private answers, vouched form errors, HSTS, stalled renders, multipart checks and counting page views.

use super::*;

/// Server functions that read a multipart form (the picture upload). Leptos' multipart decoder
/// panics on a body without a boundary; such a request is the client's error, answered as the
/// other server functions answer one (`BadRequest`, 400) before it gets there.
pub(super) const MULTIPART_FUNCTIONS: [&str; 1] = ["/api/pictures/upload"];

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
pub(super) const FORM_ERROR_COOKIE: &str = "hc_form_error";

/// The value of the query parameter `name` in `query` (percent-decoded).
pub(super) fn query_param(query: &str, name: &str) -> Option<String> {
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

/// Counts a page the server rendered for a person: a GET of a page address answered 200 with
/// HTML. In memory only (see `app::counting`); robots, errors, files and server functions are
/// not counted, and the app counts its own page changes (`page_seen`).
pub(super) async fn count_page_views(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let Some(view) = PageView::of(&req) else {
        return next.run(req).await;
    };
    let res = next.run(req).await;
    if is_page(&res) {
        view.count(&state).await;
    }
    res
}

/// A page view waiting for its answer: counted when the answer is a page (`200`, HTML).
pub(super) struct PageView {
    page: app::analytics::types::PageRef,
    ip: String,
    ua: String,
    referer: String,
    host: String,
}

impl PageView {
    /// The view a request would be, if it asks for a page (a `GET` of a page that is counted).
    pub(super) fn of(req: &Request) -> Option<Self> {
        if req.method() != Method::GET {
            return None;
        }
        let page = app::analytics::types::classify(req.uri().path())?;
        let text = |name: header::HeaderName| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        Some(Self {
            page,
            ip: req
                .extensions()
                .get::<ClientIp>()
                .map(|ip| ip.0.to_string())
                .unwrap_or_default(),
            ua: text(header::USER_AGENT),
            referer: text(header::REFERER),
            host: text(header::HOST),
        })
    }

    /// Counts the view.
    pub(super) async fn count(self, state: &AppState) {
        let referrer = app::analytics::types::referrer_domain(&self.referer, &self.host);
        if let Err(e) =
            app::counting::page_view(state, self.page, &self.ip, &self.ua, referrer).await
        {
            tracing::warn!(error = %e, "counting a page view failed");
        }
    }
}

/// Whether an answer is a page shown (`200`, HTML).
fn is_page(res: &Response) -> bool {
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    res.status() == StatusCode::OK && html
}

/// Records the client address for rate limits (the socket peer, or the proxy's X-Forwarded-For).
pub(super) async fn client_ip(
    State(policy): State<OriginPolicy>,
    mut req: Request,
    next: Next,
) -> Response {
    note_client_ip(&policy, &mut req);
    next.run(req).await
}

/// Notes the client address on the request (the socket peer, or the proxy's X-Forwarded-For).
pub(super) fn note_client_ip(policy: &OriginPolicy, req: &mut Request) {
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
}

/// CSRF defence: a state-changing request must come from this site. Browsers send `Origin` (and
/// `Sec-Fetch-Site`) with every POST; a foreign or opaque origin is refused. Requests without
/// either header are not from a browser, so they carry no victim's cookie and may pass.
pub(super) async fn refuse_foreign_origin(
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
