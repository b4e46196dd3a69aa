//! The plain axum routes beside the Leptos pages: live events, server functions, mail opt-out, analytics CSV, sponsored clicks, health, robots and sitemaps, Atom feeds, pictures and data exports.

use super::*;

/// Live events for the logged-in member, as Server-Sent Events: `unread` with their counts, at
/// once and after every change. A comment every 20 s keeps proxies from closing an idle stream;
/// `X-Accel-Buffering: no` asks nginx-style proxies not to buffer it. Browsers reconnect by
/// themselves and get the current counts first.
pub(super) async fn events(State(state): State<AppState>, req: Request<Body>) -> Response {
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
    let wake = state.db.hub.subscribe(user.id.0);
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

pub(super) async fn server_fn_handler(
    State(state): State<AppState>,
    req: Request<Body>,
) -> impl IntoResponse {
    handle_server_fns_with_context(
        move || app::state::provide_request_context(state.clone()),
        req,
    )
    .await
}

/// One-click opt-out from a mail program: stops what the mail's link names.
pub(super) async fn mail_stop(
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

/// `/admin/analytics.csv`: every series of the dashboard for the same range and community, as
/// CSV (`series,day,value`). Admins only.
pub(super) async fn analytics_csv(State(state): State<AppState>, req: Request) -> Response {
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
pub(super) async fn sponsored_click(
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

pub(super) async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query("SELECT 1").execute(&state.db.pool).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// `/export/<id>`: a member's data export, downloadable only by them while it lasts. A visitor
/// who is not logged in is sent to log in and back; someone else's, an unfinished or an expired
/// export is 404, all alike.
/// A text answer for crawlers and feed readers: kept an hour by any cache.
pub(super) fn public_text(
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

pub(super) fn site_base(state: &AppState) -> String {
    state.settings.public_url.trim_end_matches('/').to_string()
}

/// `/robots.txt`, naming the sitemap at the site's public address.
pub(super) async fn robots(State(state): State<AppState>) -> Response {
    public_text(
        "text/plain; charset=utf-8",
        Ok(app::seo::repo::robots(&site_base(&state))),
    )
}

/// `/sitemap.xml`: the index of the sitemap files.
pub(super) async fn sitemap_index(State(state): State<AppState>) -> Response {
    let base = site_base(&state);
    public_text(
        "application/xml; charset=utf-8",
        app::seo::repo::sitemap_index(&state.db, &base).await,
    )
}

/// `/sitemap/pages.xml` and `/sitemap/posts-<n>.xml`.
pub(super) async fn sitemap_file(
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
pub(super) async fn community_feed(
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
pub(super) async fn library_feed(State(state): State<AppState>) -> Response {
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
pub(super) async fn picture(
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
            .map(|u| app::access::Viewer::of(&u)),
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

pub(super) async fn data_export(
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
