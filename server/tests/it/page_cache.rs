//! The page cache on both backends: a visitor's page is served again and dropped by the next change; a member's page is served again to that member's session alone and dropped by anything they do; nothing members-only or personal ever comes out of it for anyone else; a change made through another process drops it there too, and a process does not hear its own announcements back (PostgreSQL); sponsored slots served from it are still counted.

use crate::common::{spawn_on, test_args, Backend, TestApp};
use app::ids::UserId;
use reqwest::{header, Client, StatusCode};
use serde_json::Value;

both_backends!(
    a_visitors_page_is_served_again_until_something_changes,
    nothing_members_only_or_personal_comes_out_of_the_cache,
    a_members_page_is_theirs_alone_and_follows_what_they_do,
    sponsored_slots_served_from_the_cache_are_counted,
    the_front_door_answers_what_the_layers_did,
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
    assert!(!how.starts_with("hit"));
    let (status, how, _) = page(&app, &v, "/c/no-such-community").await;
    assert_ne!(status, StatusCode::OK);
    assert!(
        !how.starts_with("hit"),
        "a missing page is rendered each time"
    );
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

    // The member's page: their own header, the group's post in it (rendered for them, or
    // served from their own entries).
    let as_member = |path: String| {
        let insider = insider.clone();
        let url = format!("{}{path}", app.base);
        async move {
            let res = insider.get(url).send().await.expect("request");
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
    // The member reads first, twice (their pages are kept for them): a visitor never gets them.
    for path in &paths {
        as_member(path.clone()).await;
        as_member(path.clone()).await;
    }
    let v = visitor();
    for path in &paths {
        let (_, how, _) = page(&app, &v, path).await;
        assert!(
            !how.starts_with("hit"),
            "{path}: the member's page is not the visitor's"
        );
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

/// Whose page it is: the handle in the header's account menu ("Logged in as …"), if any.
fn reader(body: &str) -> Option<String> {
    let at = body.find("Logged in as")?;
    let menu = &body[at..];
    let end = menu.find("</summary>")?;
    // The handle follows the last "@" of the summary; Leptos' markers (`<!>`) are tags too.
    let (mut handle, mut in_tag) = (String::new(), false);
    for c in menu[..end].rsplit('@').next()?.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => handle.push(c),
            _ => {}
        }
    }
    Some(handle.trim().to_string())
}

/// Whether a page shows its reader an unread-notifications count.
fn shows_unread(body: &str) -> bool {
    body.contains(r#"data-testid="unread""#)
}

async fn a_members_page_is_theirs_alone_and_follows_what_they_do(app: TestApp) {
    let app = with_cache(app).await;
    let _admin = app.admin_with_community().await;
    let alice = member(&app, "cache_alice").await;
    let bob = member(&app, "cache_bob").await;
    let id = post(&app, &alice, "Alice asks about cooling vests", "public").await;

    // Alice's home, twice: the second from the cache, byte for byte, her own header.
    let (status, how, first) = page(&app, &alice, "/").await;
    assert_eq!((status, how.as_str()), (StatusCode::OK, "miss"));
    assert_eq!(
        reader(&first).as_deref(),
        Some("cache_alice"),
        "her own header"
    );
    let (_, how, again) = page(&app, &alice, "/").await;
    assert_eq!(
        how, "hit",
        "a member's second visit is served from their cache"
    );
    assert_eq!(again, first);
    // Bob, a visitor, and Alice's own session with one more cookie never get her page.
    let (_, how, bobs) = page(&app, &bob, "/").await;
    assert_eq!(how, "miss", "another member's page is not Alice's");
    assert_eq!(
        reader(&bobs).as_deref(),
        Some("cache_bob"),
        "his own header"
    );
    let (_, how, visitors) = page(&app, &visitor(), "/").await;
    assert_eq!(how, "miss");
    assert_eq!(reader(&visitors), None);
    assert!(!visitors.contains("Log out"));
    let res = alice
        .get(format!("{}/", app.base))
        .header(header::COOKIE, "hc_dismissed=1")
        .send()
        .await
        .expect("request");
    assert!(
        !res.headers()
            .get("x-page-cache")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("hit")),
        "other cookies, another entry"
    );

    // Bob answers her: a write drops every cached page, and her next home shows it unread.
    app.call_as(
        &bob,
        "reply/create",
        &[
            ("post_id", &id.to_string()),
            ("body", "A vest with gel packs helped me."),
        ],
    )
    .await
    .ok();
    let (_, how, unread) = page(&app, &alice, "/").await;
    assert_eq!(how, "miss", "a reply drops Alice's cached home");
    assert!(shows_unread(&unread), "Alice sees the reply as unread");
    // Then it is kept again: within three visits, since on PostgreSQL the process's LISTEN
    // connection may come up only now (it drops every page then, having perhaps missed news).
    let mut kept = Vec::new();
    for _ in 0..3 {
        let (_, how, _) = page(&app, &alice, "/").await;
        kept.push(how.clone());
        if how == "hit" {
            break;
        }
    }
    assert_eq!(kept.last().map(String::as_str), Some("hit"), "{kept:?}");
    // Many of her requests at once (tabs, a reload while the page loads) still keep her page:
    // only what is announced to her drops it, not her own reads.
    app.call_as(&bob, "vote", &[("target", "post"), ("id", &id.to_string())])
        .await
        .ok();
    let tabs: Vec<_> = (0..8)
        .map(|_| {
            let (alice, url) = (alice.clone(), format!("{}/", app.base));
            tokio::spawn(async move { alice.get(url).send().await.map(|r| r.status()) })
        })
        .collect();
    for tab in tabs {
        assert_eq!(tab.await.expect("task").expect("request"), StatusCode::OK);
    }
    let (_, how, _) = page(&app, &alice, "/").await;
    assert_eq!(how, "hit", "one of the concurrent renders was kept");
    // She opens the thread (a page that marks its notifications read): her home follows at once.
    let (status, _, thread) = page(&app, &alice, &format!("/p/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(thread.contains("A vest with gel packs helped me."));
    let (_, how, read) = page(&app, &alice, "/").await;
    assert_eq!(how, "miss", "what Alice did drops her cached pages");
    assert!(!shows_unread(&read), "the reply is read: {how}");
    // A server function of hers that is a read to everyone else drops them too.
    page(&app, &alice, "/").await;
    let (_, how, _) = page(&app, &alice, "/").await;
    assert_eq!(how, "hit");
    app.call_as(&alice, "current_user", &[]).await;
    let (_, how, _) = page(&app, &alice, "/").await;
    assert_eq!(how, "miss", "any request of hers drops her cached pages");
    // Bob's own cached page is not dropped by what Alice does.
    page(&app, &bob, "/").await;
    let (_, how, _) = page(&app, &bob, "/").await;
    assert_eq!(how, "hit");
    app.call_as(&alice, "current_user", &[]).await;
    let (_, how, _) = page(&app, &bob, "/").await;
    assert_eq!(how, "hit", "one member's reads leave another's pages");

    // Logged out, the old session's pages are gone with it.
    app.call_as(&alice, "logout", &[]).await;
    let (_, _, after) = page(&app, &alice, "/").await;
    assert_eq!(reader(&after), None);
    assert!(!after.contains("Log out"));
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

/// A page as the client receives it: how the cache answered, the headers (but the date and the
/// cache's mark) and the bytes, for one `Accept-Encoding` (reqwest decodes nothing here).
async fn raw(
    app: &TestApp,
    c: &Client,
    path: &str,
    encoding: Option<&str>,
) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut req = c.get(format!("{}{path}", app.base));
    if let Some(e) = encoding {
        req = req.header(header::ACCEPT_ENCODING, e);
    }
    let res = req.send().await.expect("request");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let mut how = String::new();
    let mut headers = Vec::new();
    for (k, v) in res.headers() {
        let v = v.to_str().unwrap_or("").to_string();
        match k.as_str() {
            "x-page-cache" => how = v,
            "date" | "content-length" | "transfer-encoding" => {}
            k => headers.push((k.to_string(), v)),
        }
    }
    headers.sort();
    (how, headers, res.bytes().await.expect("body").to_vec())
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut out)
        .expect("a gzip body");
    out
}

/// The front door (outermost) answers a kept page with what every layer gave it the first time
/// for that `Accept-Encoding`: the same headers (security headers, `Cache-Control`, the
/// encoding) and the same bytes, counting the page view as the counting layer does.
async fn the_front_door_answers_what_the_layers_did(app: TestApp) {
    let app = with_cache(app).await;
    let admin = app.admin_with_community().await;
    let writer = member(&app, "front_writer").await;
    post(&app, &writer, "Cooling vests in summer heat", "public").await;
    let v = visitor();

    let (how, first_headers, first) = raw(&app, &v, "/c/ms", Some("gzip")).await;
    assert_eq!(how, "miss");
    let (how, headers, again) = raw(&app, &v, "/c/ms", Some("gzip")).await;
    assert_eq!(
        how, "hit",
        "the second request is answered at the front door"
    );
    assert_eq!(headers, first_headers, "the layers' headers, kept");
    assert_eq!(again, first, "the layers' encoded bytes, kept");
    let has = |h: &[(String, String)], k: &str, v: &str| h.iter().any(|(a, b)| a == k && b == v);
    for (k, val) in [
        ("content-encoding", "gzip"),
        ("content-type", "text/html; charset=utf-8"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("cache-control", "no-cache"),
        ("vary", "accept-encoding"),
    ] {
        assert!(has(&headers, k, val), "{k}: {val} missing from {headers:?}");
    }
    let page = gunzip(&again);
    assert!(page.contains("Cooling vests in summer heat"));

    // Another encoding is the cache's answer through the layers once, then the front door's.
    let (how, plain_headers, plain) = raw(&app, &v, "/c/ms", None).await;
    assert_eq!(how, "hit-inner", "a new encoding passes through the layers");
    assert!(!plain_headers.iter().any(|(k, _)| k == "content-encoding"));
    assert_eq!(String::from_utf8_lossy(&plain), page, "the same page");
    let (how, headers, again) = raw(&app, &v, "/c/ms", None).await;
    assert_eq!(how, "hit");
    assert_eq!((headers, again), (plain_headers, plain));

    // Four pages shown, four views counted (two of them by the front door).
    app.call_as(&admin, "analytics", &[("days", "7")])
        .await
        .ok();
    let views: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM traffic_pages WHERE kind = 'community'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("views");
    assert_eq!(views, 4, "the front door counts the page views it answers");

    // A change drops the kept answers with their page.
    post(&app, &writer, "Magnesium before bed", "public").await;
    let (how, _, after) = raw(&app, &v, "/c/ms", Some("gzip")).await;
    assert_eq!(how, "miss");
    assert!(gunzip(&after).contains("Magnesium before bed"));
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

/// Two app processes on one PostgreSQL: what a member does through one drops the pages the
/// other keeps for them (a read that marks a notification read is no public change).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_members_read_through_another_process_drops_their_pages() {
    let Some(url) = crate::common::fresh_database(Backend::Postgres).await else {
        return;
    };
    let mut args = test_args();
    args.page_cache_secs = 60;
    let a = spawn_on(&url, args.clone()).await;
    let b = spawn_on(&url, args).await;
    let _admin = a.admin_with_community().await;
    let alice = member(&a, "cache_far_alice").await;
    let bob = member(&a, "cache_far_bob").await;
    let id = post(&a, &alice, "Heat and fatigue in July", "public").await;
    a.call_as(
        &bob,
        "reply/create",
        &[
            ("post_id", &id.to_string()),
            ("body", "Cold showers, every time."),
        ],
    )
    .await
    .ok();
    // Process `a` keeps Alice's home with the reply unread (once the writes' notices are in).
    let mut cached = false;
    for _ in 0..50 {
        let (_, how, body) = page(&a, &alice, "/").await;
        if how == "hit" && shows_unread(&body) {
            cached = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(cached, "process a serves Alice's home from its cache");
    // She reads the thread through process `b`.
    let (status, _, _) = page(&b, &alice, &format!("/p/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let mut followed = false;
    for _ in 0..50 {
        let (_, _, body) = page(&a, &alice, "/").await;
        if !shows_unread(&body) {
            followed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(followed, "process a dropped Alice's cached home within 5 s");
}

/// Polls `f` for up to 5 s; whether it came true.
async fn within_5s(f: impl Fn() -> bool) -> bool {
    for _ in 0..100 {
        if f() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

/// Two app processes on one PostgreSQL: each applies what it announces when it sends it (its
/// own pages and streams at once) and skips its own NOTIFY when PostgreSQL hands it back — that
/// echo would drop the pages it rendered meanwhile — while it still hears the other's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_process_applies_its_own_announcements_once() {
    let Some(url) = crate::common::fresh_database(Backend::Postgres).await else {
        return;
    };
    let a = spawn_on(&url, test_args()).await;
    let b = spawn_on(&url, test_args()).await;
    // Until `a` hears `b`, its LISTEN connection may not be up yet.
    let mut listening = false;
    for _ in 0..20 {
        let v = a.db.pages_version();
        b.db.pages_changed().await;
        if within_5s(|| a.db.pages_version() > v).await {
            listening = true;
            break;
        }
    }
    assert!(listening, "process a hears process b");
    let settle = std::time::Duration::from_millis(400);

    // The public pages: `a` raises its version once for its own change, once for `b`'s.
    let v = a.db.pages_version();
    a.db.pages_changed().await;
    assert_eq!(a.db.pages_version(), v + 1, "raised here at once");
    b.db.pages_changed().await;
    assert!(
        within_5s(|| a.db.pages_version() >= v + 2).await,
        "b's change heard"
    );
    tokio::time::sleep(settle).await;
    assert_eq!(
        a.db.pages_version(),
        v + 2,
        "a's own NOTIFY did not raise it again"
    );

    // A member's pages and live stream, likewise.
    let member = UserId(7);
    let mut stream = a.db.hub.subscribe(member.0);
    let (epoch, n) = a.db.member_pages.version(member.0);
    a.db.announce(&[member]).await;
    assert_eq!(a.db.member_pages.version(member.0), (epoch, n + 1));
    assert!(
        stream.has_changed().unwrap_or(false),
        "the member's stream here is woken at once"
    );
    stream.borrow_and_update();
    b.db.announce(&[member]).await;
    assert!(
        within_5s(|| a.db.member_pages.version(member.0).1 >= n + 2).await,
        "b's announcement heard"
    );
    tokio::time::sleep(settle).await;
    assert_eq!(
        a.db.member_pages.version(member.0),
        (epoch, n + 2),
        "a's own NOTIFY did not raise it again"
    );
    assert!(
        stream.has_changed().unwrap_or(false),
        "b's announcement woke the stream here"
    );
}
