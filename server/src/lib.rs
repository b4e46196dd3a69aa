//! The `healthcommunity` server: configuration, the axum router around the Leptos app, serving and shutting down; middleware, plain routes and jobs live in their modules.

// Deeply nested view types (the operator and dashboard pages) need more than the default 128.
#![recursion_limit = "256"]

pub mod assets;
pub mod bench;
pub mod chunks;
pub mod config;
pub mod demo_articles;
pub mod demo_directory;
pub mod demo_groups;
pub mod demo_operator;
pub mod demo_posts;
pub mod demo_traffic;
pub mod mailer;
pub mod page_cache;
pub mod places;
pub mod scale;
pub mod secret_key;
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

mod guards;
/// Which origins may send state-changing requests, besides the request's own host.
mod handlers;
mod jobs;

pub use guards::*;
use handlers::*;
pub use jobs::*;

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
        page_chunks: Arc::new(chunks::page_headers(
            std::path::Path::new(&args.site_root),
            &options.site_pkg_dir,
        )),
        sealer: secret_key::load(&db, args)?,
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
    let events_state = state.clone();
    let guarded = guards(routes(&state, args), args, policy.clone());
    // The page cache sits outside the guards above, which a visitor's GET without cookies passes
    // unchanged (no foreign-origin write, no form error to vouch for, no private answer, nothing
    // to re-render), so a hit skips them: each `from_fn` layer clones what is inside it on every
    // call. Inside the counting, so a hit is counted as a page view.
    let cache =
        page_cache::PageCache::new(state.clone(), Duration::from_secs(args.page_cache_secs));
    let front = page_cache::front::Front {
        cache: cache.clone(),
        policy: policy.clone(),
        count: args.count_traffic,
    };
    let cached = guarded.layer(middleware::from_fn_with_state(
        cache,
        page_cache::page_cache,
    ));
    let counted = if args.count_traffic {
        cached.layer(middleware::from_fn_with_state(state, count_page_views))
    } else {
        cached
    };
    let counted = counted.layer(middleware::from_fn_with_state(policy, client_ip));
    answer_headers(counted, args)
        // The page cache's front door, outermost: a page kept with its final answer skips
        // every layer above (see `page_cache::front`).
        .layer(middleware::from_fn_with_state(
            front,
            page_cache::front::front_door,
        ))
        // Outside the timeout and compression layers: an event stream stays open and must not
        // be buffered by a compressor.
        .merge(
            Router::new()
                .route("/events", get(events))
                .with_state(events_state),
        )
}

/// Every route: server functions, the files and feeds the app answers itself, the Leptos pages,
/// the assets and the 404 page.
fn routes(state: &AppState, args: &ServeArgs) -> Router {
    let routes = route_list();
    let leptos_state = state.clone();
    let shell_options = state.leptos_options.clone();
    Router::new()
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
            state,
            routes,
            move || app::state::provide_request_context(leptos_state.clone()),
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
                move || app::state::provide_request_context(fallback_state.clone())
            },
            app::shell,
        ))
        .with_state(state.clone())
}

/// The guards every route passes: private answers, multipart boundaries, form errors, stalled
/// renders, foreign origins.
fn guards(app: Router, args: &ServeArgs, policy: OriginPolicy) -> Router {
    let render = RenderWatch {
        limit: Duration::from_secs(args.render_retry_after.max(1)),
    };
    app.layer(middleware::from_fn(private_answers))
        .layer(middleware::from_fn(multipart_needs_boundary))
        .layer(middleware::from_fn(vouch_for_form_errors))
        .layer(middleware::from_fn_with_state(render, retry_stalled_render))
        .layer(middleware::from_fn_with_state(
            policy,
            refuse_foreign_origin,
        ))
}

/// The headers every answer carries (and compression, the timeout and the trace).
fn answer_headers(router: Router, args: &ServeArgs) -> Router {
    let hsts = args
        .public_url
        .as_deref()
        .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"));
    router
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
    if args.public_url.is_none() && local.ip().is_unspecified() {
        // Links that leave the page (e-mails, the invite page's links to share) are made from
        // the public address; made from 0.0.0.0 they reach nobody.
        tracing::warn!(
            "no HC_PUBLIC_URL while listening on every address: links in e-mails and on the invite page read {}; set HC_PUBLIC_URL to the address people use",
            state.settings.public_url
        );
    }
    // Values stored before sealing (or by a process of the previous version), or sealed with
    // an old key, are sealed with the current key now.
    let resealed = app::auth::sealed::reseal(&state.db, &state.settings.sealer)
        .await
        .map_err(|e| format!("could not seal the stored two-step keys: {e}"))?;
    if resealed > 0 {
        tracing::info!(
            resealed,
            "sealed two-step sign-in values anew with the current key (stored in plain text or with an old key)"
        );
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
