//! The stalled-render guard: a page whose first render never finishes is rendered once more; posts are never repeated.

use axum::routing::get;
use axum::{middleware, Router};
use healthcommunity::{retry_stalled_render, RenderWatch};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A router whose handler hangs on its first call and answers from the second on.
async fn serve_flaky() -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let handler = {
        let calls = calls.clone();
        move || {
            let calls = calls.clone();
            async move {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    std::future::pending::<()>().await;
                }
                "rendered"
            }
        }
    };
    let app = Router::new()
        .route("/page", get(handler.clone()).post(handler.clone()))
        .route("/api/thing", get(handler))
        .layer(middleware::from_fn_with_state(
            RenderWatch {
                limit: Duration::from_millis(300),
            },
            retry_stalled_render,
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, calls)
}

#[tokio::test]
async fn a_stalled_page_is_rendered_once_more() {
    let (base, calls) = serve_flaky().await;
    let started = Instant::now();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let res = client
        .get(format!("{base}/page"))
        .send()
        .await
        .expect("the page is answered by the second render");
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.expect("body"), "rendered");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "rendered twice");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn posts_and_server_functions_are_never_repeated() {
    for (method, path) in [("POST", "/page"), ("GET", "/api/thing")] {
        let (base, calls) = serve_flaky().await;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(1200))
            .build()
            .expect("client");
        let req = match method {
            "POST" => client.post(format!("{base}{path}")),
            _ => client.get(format!("{base}{path}")),
        };
        let res = req.send().await;
        assert!(res.is_err(), "{method} {path} should still be waiting");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "{method} {path} ran once");
    }
}

/// Building a router while pages render must not stall them: route generation switches resource
/// loading off process-wide (leptos-rs/leptos#4773), so it must happen once, before any page.
/// The stalled-render guard is set far beyond the client timeout here, so it cannot hide a stall.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn building_routers_never_stalls_a_page() {
    let mut args = crate::common::test_args();
    args.render_retry_after = 600;
    let app = crate::common::spawn_with(crate::common::Backend::Sqlite, args.clone())
        .await
        .expect("sqlite");
    let state = healthcommunity::app_state(app.db.clone(), &args).expect("state");
    let runtime = tokio::runtime::Handle::current();
    let builder = std::thread::spawn(move || {
        let _inside = runtime.enter();
        for _ in 0..40 {
            drop(healthcommunity::router(state.clone(), &args));
        }
    });
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let mut stalled = Vec::new();
    for round in 0..60 {
        let pages = ["/", "/c", "/library", "/directory"].map(|p| {
            let client = client.clone();
            let url = format!("{}{p}", app.base);
            async move { (p, client.get(url).send().await.map(|r| r.status())) }
        });
        for (path, res) in futures::future::join_all(pages).await {
            match res {
                Ok(status) => assert_eq!(status, 200, "{path}"),
                Err(e) => stalled.push(format!("round {round} {path}: {e}")),
            }
        }
    }
    builder.join().expect("router builder");
    assert!(stalled.is_empty(), "stalled pages: {stalled:?}");
}
