//! The page cache on both backends: a visitor's page is served again and dropped by the next change; nothing members-only or personal ever comes out of it (a logged-in member neither reads nor fills it); a change made through another process drops it there too (PostgreSQL); sponsored slots served from it are still counted.

use crate::common::{spawn_on, test_args, Backend, TestApp};
use reqwest::{header, Client, StatusCode};
use serde_json::Value;

both_backends!(
    a_visitors_page_is_served_again_until_something_changes,
    nothing_members_only_or_personal_comes_out_of_the_cache,
    sponsored_slots_served_from_the_cache_are_counted,
);

const PW: &str = "correct-horse-1";

/// A visitor's browser: a person's user agent, no cookies.
fn visitor() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
        .build()
        .expect("client")
}

/// The same app with the page cache on (the other tests run with it off).
async fn with_cache(app: TestApp) -> TestApp {
    let mut args = test_args();
    args.page_cache_secs = 60;
    spawn_on(&app.db_url, args).await
}

/// A page: its status, whether the cache answered (`hit`, `miss`, or "" when it was bypassed)
/// and its body.
async fn page(app: &TestApp, c: &Client, path: &str) -> (StatusCode, String, String) {
    let res = c
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("request");
    let status = res.status();
    let how = res
        .headers()
        .get("x-page-cache")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        res.headers().get("x-hc-sponsored-shown").is_none()
            && res.headers().get("x-hc-no-page-cache").is_none(),
        "the app's notes to the page cache never reach the browser"
    );
    (status, how, res.text().await.expect("body"))
}

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

async fn post(app: &TestApp, c: &Client, title: &str, visibility: &str) -> i64 {
    app.call_as(
        c,
        "post/create",
        &[
            ("community", "ms"),
            ("kind", "question"),
            ("title", title),
            ("body", "What helped you?"),
            ("tags", "fatigue"),
            ("visibility", visibility),
        ],
    )
    .await
    .ok()
    .as_i64()
    .expect("post id")
}

async fn a_visitors_page_is_served_again_until_something_changes(app: TestApp) {
    let app = with_cache(app).await;
    let _admin = app.admin_with_community().await;
    let writer = member(&app, "cache_writer").await;
    post(&app, &writer, "Cooling vests in summer heat", "public").await;
    let v = visitor();

    let (status, how, first) = page(&app, &v, "/c/ms").await;
    assert_eq!((status, how.as_str()), (StatusCode::OK, "miss"));
    assert!(first.contains("Cooling vests in summer heat"));
    let (_, how, again) = page(&app, &v, "/c/ms").await;
    assert_eq!(how, "hit", "the second visit is served from the cache");
    assert_eq!(again, first, "the same page, byte for byte");
    // Another address is another page.
    let (_, how, _) = page(&app, &v, "/c/ms?sort=new").await;
    assert_eq!(how, "miss");

    // A new post, a vote, an edit: each is on the next visitor's page at once.
    let id = post(&app, &writer, "Magnesium before bed", "public").await;
    let (_, how, after) = page(&app, &v, "/c/ms").await;
    assert_eq!(how, "miss", "a post drops the cached pages");
    assert!(after.contains("Magnesium before bed"));
    let (_, how, _) = page(&app, &v, &format!("/p/{id}")).await;
    assert_eq!(how, "miss");
    let (_, how, _) = page(&app, &v, &format!("/p/{id}")).await;
    assert_eq!(how, "hit");
    app.call_as(
        &writer,
        "post/edit",
        &[
            ("id", &id.to_string()),
            ("title", "Magnesium before bed, revisited"),
            ("body", "What helped you?"),
            ("tags", "fatigue"),
            ("visibility", "public"),
        ],
    )
    .await
    .ok();
    let (_, how, edited) = page(&app, &v, &format!("/p/{id}")).await;
    assert_eq!(how, "miss", "an edit drops the cached pages");
    assert!(edited.contains("Magnesium before bed, revisited"));

    // Reads (a search, the feed's server function) leave the cache as it is.
    page(&app, &v, &format!("/p/{id}")).await;
    app.call_as(&writer, "feed", &[("community", "ms")]).await;
    let (_, how, _) = page(&app, &v, &format!("/p/{id}")).await;
    assert_eq!(how, "hit", "a read keeps the cached pages");
    // So does a write that was refused (a stranger's vote, an unknown function).
    let stranger = app
        .call_as(&v, "vote", &[("target", "post"), ("id", &id.to_string())])
        .await;
    assert!(stranger.status.is_client_error());
    let unknown = app.call_as(&writer, "no-such-function", &[]).await;
    assert!(unknown.status.is_client_error());
    let (_, how, _) = page(&app, &v, &format!("/p/{id}")).await;
    assert_eq!(how, "hit", "a refused write keeps the cached pages");

    // Errors and files are never kept.
    let (status, how, _) = page(&app, &v, "/c/no-such-community").await;
    assert_ne!(status, StatusCode::OK);
    assert_ne!(how, "hit");
    let (status, how, _) = page(&app, &v, "/c/no-such-community").await;
    assert_ne!(status, StatusCode::OK);
    assert_ne!(how, "hit", "a missing page is rendered each time");
}

async fn nothing_members_only_or_personal_comes_out_of_the_cache(app: TestApp) {
    let app = with_cache(app).await;
    let _admin = app.admin_with_community().await;
    let (insider, group) = app.private_group_by_gmod("Carers").await;
    let secret = "Only for the group: my relapse last winter";
    let mut form = vec![
        ("community", "ms"),
        ("kind", "discussion"),
        ("title", secret),
        ("body", "Nobody outside the group reads this."),
        ("tags", ""),
        ("visibility", "members"),
    ];
    form.push(("group", group.as_str()));
    let id = app
        .call_as(&insider, "post/create", &form)
        .await
        .ok()
        .as_i64()
        .expect("post id");
    let members_only = "The start of a members-only post";
    post(&app, &insider, members_only, "members").await;
    let paths = [
        "/c/ms".to_string(),
        "/".to_string(),
        format!("/g/{group}"),
        format!("/p/{id}"),
    ];

    // The member's page: never from the cache, their own header, the group's post in it.
    let as_member = |path: String| {
        let insider = insider.clone();
        let url = format!("{}{path}", app.base);
        async move {
            let res = insider.get(url).send().await.expect("request");
            assert!(
                res.headers().get("x-page-cache").is_none(),
                "{path}: a logged-in request bypasses the cache"
            );
            let body = res.text().await.expect("body");
            assert!(body.contains("Log out"), "{path}: the member's own header");
            if path.starts_with("/g/") || path.starts_with("/p/") {
                assert!(
                    body.contains(secret),
                    "{path}: the member reads the group's post"
                );
            }
        }
    };
    // The member reads first: their pages are neither served from nor put in the cache.
    for path in &paths {
        as_member(path.clone()).await;
    }
    let v = visitor();
    for path in &paths {
        for _ in 0..2 {
            let (_, _, body) = page(&app, &v, path).await;
            assert!(
                !body.contains(secret),
                "{path}: no group post for a visitor"
            );
            assert!(!body.contains("Log out"), "{path}: nobody's header");
        }
    }
    for path in ["/c/ms", "/"] {
        let (_, how, body) = page(&app, &v, path).await;
        assert_eq!(how, "hit", "{path}");
        assert!(body.contains("Log in"), "{path}: a visitor's header");
    }

    // The visitor's cached page never reaches the member, nor a browser with any other cookie.
    for path in &paths {
        as_member(path.clone()).await;
        let res = visitor()
            .get(format!("{}{path}", app.base))
            .header(header::COOKIE, "hc_echo=x")
            .send()
            .await
            .expect("request");
        assert!(res.headers().get("x-page-cache").is_none(), "{path}");
    }
}

async fn sponsored_slots_served_from_the_cache_are_counted(app: TestApp) {
    let app = with_cache(app).await;
    let admin = app.admin_with_community().await;
    app.call_as(
        &admin,
        "sponsored/create",
        &[
            ("advertiser", "house"),
            ("camp_headline", "Quokka house promotion"),
            ("camp_body", "A short plain text."),
            ("camp_cta", "Learn more"),
            ("camp_url", "https://landing.example.org/ms"),
            ("in_sidebar", "yes"),
        ],
    )
    .await
    .ok();
    let impressions = || async {
        let v = app.call_as(&admin, "sponsored/admin", &[]).await.ok();
        v["campaigns"]
            .as_array()
            .and_then(|a| a.first().cloned())
            .unwrap_or(Value::Null)["impressions"]
            .as_i64()
            .unwrap_or(-1)
    };
    let v = visitor();
    let (_, how, body) = page(&app, &v, "/c/ms").await;
    assert_eq!(how, "miss");
    assert!(body.contains("Quokka house promotion"));
    let once = impressions().await;
    assert!(once >= 1, "the rendered page counted its slot");
    for _ in 0..2 {
        let (_, how, body) = page(&app, &v, "/c/ms").await;
        assert_eq!(how, "hit");
        assert!(body.contains("Quokka house promotion"));
    }
    assert_eq!(
        impressions().await,
        3 * once,
        "each page served from the cache counts its slots as the render did"
    );
    // Robots are not counted, from the cache or not.
    reqwest::Client::new()
        .get(format!("{}/c/ms", app.base))
        .header(header::USER_AGENT, "Googlebot/2.1")
        .send()
        .await
        .expect("request");
    assert_eq!(impressions().await, 3 * once);
}

/// Two app processes on one PostgreSQL: a change made through one drops the pages the other
/// cached (NOTIFY), not only its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_through_another_process_drops_the_cached_pages() {
    let Some(url) = crate::common::fresh_database(Backend::Postgres).await else {
        return;
    };
    let mut args = test_args();
    args.page_cache_secs = 60;
    let a = spawn_on(&url, args.clone()).await;
    let b = spawn_on(&url, args).await;
    let _admin = a.admin_with_community().await;
    let writer = member(&a, "cache_far_writer").await;
    let v = visitor();
    // The sign-ups above reach `b` as notices too, a moment later: a page it cached before the
    // last of them arrived is dropped, so ask until the page is served from the cache.
    let mut cached = false;
    for _ in 0..50 {
        if page(&b, &v, "/c/ms").await.1 == "hit" {
            cached = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(cached, "the other process serves the page from its cache");
    post(&a, &writer, "Posted through the other process", "public").await;
    let mut seen = false;
    for _ in 0..50 {
        let (_, _, body) = page(&b, &v, "/c/ms").await;
        if body.contains("Posted through the other process") {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "the other process dropped its cached page within 5 s");
}
