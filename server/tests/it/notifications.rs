//! Notifications on both backends: one per event type, settings, unread counts, live delivery over Server-Sent Events (in one process, across two processes on PostgreSQL) and idle streams' cost.

use crate::common::{new_client, serve_process, Backend, TestApp};
use reqwest::Client;
use serde_json::Value;
use std::time::Duration;

both_backends!(
    each_event_notifies_the_right_member,
    live_events_follow_the_unread_count,
    opening_a_thread_reads_its_notifications,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str, join: bool) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    if join {
        app.call_as(&c, "community/join", &[("slug", "ms")])
            .await
            .ok();
    }
    c
}

async fn post(
    app: &TestApp,
    c: &Client,
    kind: &str,
    visibility: &str,
    title: &str,
    body: &str,
) -> i64 {
    app.call_as(
        c,
        "post/create",
        &[
            ("community", "ms"),
            ("kind", kind),
            ("title", title),
            ("body", body),
            ("tags", ""),
            ("visibility", visibility),
        ],
    )
    .await
    .ok()
    .as_i64()
    .expect("post id")
}

async fn reply(app: &TestApp, c: &Client, post: i64, parent: Option<i64>, body: &str) -> i64 {
    let (p, parent) = (post.to_string(), parent.map(|p| p.to_string()));
    let mut form = vec![("post_id", p.as_str()), ("body", body)];
    if let Some(parent) = &parent {
        form.push(("parent_id", parent));
    }
    app.call_as(c, "reply/create", &form)
        .await
        .ok()
        .as_i64()
        .expect("reply id")
}

/// (kind, text, link) of a member's notifications, newest first, and the unread count.
async fn inbox(app: &TestApp, c: &Client) -> (Vec<(String, String, String)>, i64) {
    let p = app.call_as(c, "notifications", &[]).await.ok();
    let items = p["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap_or_default().to_string(),
                n["text"].as_str().unwrap_or_default().to_string(),
                n["link"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (items, p["unread"].as_i64().expect("unread"))
}

async fn each_event_notifies_the_right_member(app: TestApp) {
    let admin = app.admin_with_community().await;
    let alice = member(&app, "alice_a", true).await;
    let bob = member(&app, "bob_b", true).await;
    let carol = member(&app, "carol_c", true).await;
    let dave = member(&app, "dave_d", false).await;

    // Mentions: a member of the community hears of it; a non-member does not (members-only post).
    let q = post(
        &app,
        &alice,
        "question",
        "members",
        "Cooling vests in summer?",
        "Which vest works? cc @carol_c @dave_d",
    )
    .await;
    let (c_items, c_unread) = inbox(&app, &carol).await;
    assert_eq!(c_unread, 1);
    assert_eq!(c_items[0].0, "mention");
    assert_eq!(
        c_items[0].1,
        "@alice_a mentioned you in “Cooling vests in summer?”"
    );
    assert_eq!(c_items[0].2, format!("/p/{q}"));
    assert_eq!(
        inbox(&app, &dave).await.1,
        0,
        "a non-member never learns of a members-only post"
    );

    // An answer tells the asker.
    let answer = reply(&app, &bob, q, None, "The gel kind works for me.").await;
    let (a_items, _) = inbox(&app, &alice).await;
    assert_eq!(a_items[0].0, "answer");
    assert_eq!(
        a_items[0].1,
        "@bob_b answered your question “Cooling vests in summer?”"
    );
    assert_eq!(a_items[0].2, format!("/p/{q}#r{answer}"));

    // A comment on the answer tells its author and the asker.
    let comment = reply(&app, &carol, q, Some(answer), "Which brand, @bob_b?").await;
    let (b_items, b_unread) = inbox(&app, &bob).await;
    assert_eq!(
        b_unread, 1,
        "the mention of the comment's addressee is not a second notification"
    );
    assert_eq!(b_items[0].0, "reply");
    assert_eq!(
        b_items[0].1,
        "@carol_c replied to your comment on “Cooling vests in summer?”"
    );
    assert_eq!(b_items[0].2, format!("/p/{q}#r{comment}"));
    assert_eq!(inbox(&app, &alice).await.0[0].0, "reply");

    // Accepting tells the answerer.
    app.call_as(
        &alice,
        "post/accept",
        &[
            ("post_id", q.to_string().as_str()),
            ("reply_id", answer.to_string().as_str()),
        ],
    )
    .await
    .ok();
    let (b_items, _) = inbox(&app, &bob).await;
    assert_eq!(b_items[0].0, "accepted");
    assert_eq!(
        b_items[0].1,
        "@alice_a accepted your answer to “Cooling vests in summer?”"
    );

    // Own actions notify nobody.
    let before = inbox(&app, &alice).await.1;
    reply(&app, &alice, q, Some(answer), "Thanks all!").await;
    assert_eq!(inbox(&app, &alice).await.1, before);

    // Settings: bob turns off replies; a new comment on his answer is not announced.
    app.call_as(
        &bob,
        "notifications/settings",
        &[("on[]", "answer"), ("on[]", "accepted")],
    )
    .await
    .ok();
    let b_before = inbox(&app, &bob).await.1;
    reply(&app, &carol, q, Some(answer), "Found it, thanks.").await;
    assert_eq!(inbox(&app, &bob).await.1, b_before);
    let p = app.call_as(&bob, "notifications", &[]).await.ok();
    assert!(p["off"].as_array().unwrap().iter().any(|k| k == "reply"));

    // A provider's reply to a review, and a clinic's answer to a request.
    app.call_as(
        &admin,
        "directory/create_clinic",
        &[
            ("name", "North Clinic"),
            ("slug", "north"),
            ("city", "Berlin"),
            ("lat", "52.5"),
            ("lon", "13.4"),
            ("owner", "dave_d"),
        ],
    )
    .await
    .ok();
    app.call_as(
        &alice,
        "directory/rate",
        &[
            ("slug", "north"),
            ("stars", "4"),
            ("wait_minutes", ""),
            ("body", "Good"),
        ],
    )
    .await
    .ok();
    let review = app
        .call_as(&alice, "provider", &[("slug", "north")])
        .await
        .ok()["reviews"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    app.call_as(
        &dave,
        "directory/reply",
        &[("review", review.as_str()), ("body", "Thank you!")],
    )
    .await
    .ok();
    let (a_items, _) = inbox(&app, &alice).await;
    assert_eq!(a_items[0].0, "review_reply");
    assert_eq!(a_items[0].1, "North Clinic replied to your review");
    assert_eq!(a_items[0].2, format!("/directory/north#review-{review}"));
    let req = app
        .call_as(
            &alice,
            "directory/contact",
            &[
                ("slug", "north"),
                ("reason", "An appointment, please"),
                ("preferred_times", ""),
                ("contact_via", "Here"),
            ],
        )
        .await
        .ok()
        .as_i64()
        .unwrap()
        .to_string();
    app.call_as(
        &dave,
        "request/answer",
        &[("id", req.as_str()), ("body", "Tuesday 9:00?")],
    )
    .await
    .ok();
    let (a_items, a_unread) = inbox(&app, &alice).await;
    assert_eq!(a_items[0].0, "request_answer");
    assert_eq!(a_items[0].2, format!("/requests/{req}"));

    // Unread counts: one read, then all.
    let first = app.call_as(&alice, "notifications", &[]).await.ok()["items"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    app.call_as(&alice, "notifications/read", &[("id", first.as_str())])
        .await
        .ok();
    app.call_as(&alice, "notifications/read", &[("id", first.as_str())])
        .await
        .ok();
    assert_eq!(
        inbox(&app, &alice).await.1,
        a_unread - 1,
        "reading twice counts once"
    );
    // Someone else's notification cannot be marked: Bob targets one of Alice's unread ones;
    // the call changes nothing (her count and that notification's state stay).
    let page = app.call_as(&alice, "notifications", &[]).await.ok();
    let unread_one = page["items"]
        .as_array()
        .and_then(|items| items.iter().find(|n| n["read"] == false))
        .and_then(|n| n["id"].as_i64())
        .expect("an unread notification of Alice's")
        .to_string();
    let before = inbox(&app, &alice).await.1;
    assert!(before > 0);
    let r = app
        .call_as(&bob, "notifications/read", &[("id", unread_one.as_str())])
        .await;
    assert!(
        r.status.is_success(),
        "the answer does not confirm whose it is"
    );
    assert_eq!(
        inbox(&app, &alice).await.1,
        before,
        "Bob's call marked nothing"
    );
    let page = app.call_as(&alice, "notifications", &[]).await.ok();
    let still = page["items"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|n| n["id"].as_i64().map(|i| i.to_string()) == Some(unread_one.clone()))
        })
        .cloned()
        .expect("still listed");
    assert_eq!(still["read"], false, "{still}");
    app.call_as(&alice, "notifications/read", &[]).await.ok();
    assert_eq!(inbox(&app, &alice).await.1, 0);
    assert_eq!(
        app.call_as(&new_client(), "notifications", &[])
            .await
            .error(),
        app::error::AppError::Unauthenticated
    );
}

/// The next `event:`/`data:` pair from a Server-Sent Events response.
pub(crate) async fn next_event(
    res: &mut reqwest::Response,
    buf: &mut String,
) -> Option<(String, Value)> {
    loop {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut event = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if event.is_empty() {
                continue; // a keep-alive comment
            }
            return Some((event, serde_json::from_str(&data).ok()?));
        }
        let chunk = tokio::time::timeout(Duration::from_secs(10), res.chunk())
            .await
            .ok()?
            .ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

async fn open_events(base: &str, c: &Client) -> reqwest::Response {
    let res = c
        .get(format!("{base}/events"))
        .send()
        .await
        .expect("events");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    res
}

async fn live_events_follow_the_unread_count(app: TestApp) {
    app.admin_with_community().await;
    let alice = member(&app, "alice_a", true).await;
    let bob = member(&app, "bob_b", true).await;
    let q = post(
        &app,
        &alice,
        "question",
        "public",
        "Is heat a relapse?",
        "Body",
    )
    .await;
    // Logged out: refused.
    let res = new_client()
        .get(format!("{}/events", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let mut res = open_events(&app.base, &alice).await;
    let mut buf = String::new();
    let (event, data) = next_event(&mut res, &mut buf).await.expect("first event");
    assert_eq!(event, "unread");
    assert_eq!(data["notifications"], 0);
    reply(&app, &bob, q, None, "Probably not.").await;
    let (_, data) = next_event(&mut res, &mut buf).await.expect("live event");
    assert_eq!(data["notifications"], 1);
    app.call_as(&alice, "notifications/read", &[]).await.ok();
    let (_, data) = next_event(&mut res, &mut buf).await.expect("after reading");
    assert_eq!(data["notifications"], 0);
}

/// Two `healthcommunity serve` processes on one PostgreSQL: a reply posted through process A
/// reaches the member's event stream on process B (LISTEN/NOTIFY).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reply_through_one_process_is_live_on_another() {
    let Some(url) = crate::common::fresh_database(Backend::Postgres).await else {
        return;
    };
    let (_a_proc, a) = serve_process(&url, &[]).await;
    let (_b_proc, b) = serve_process(&url, &[]).await;
    let db = app::db::Db::connect(&url).await.expect("connect");
    let app_a = TestApp {
        base: a.clone(),
        db: db.clone(),
        db_url: url.clone(),
        client: new_client(),
    };
    app_a.admin_with_community().await;
    let alice = member(&app_a, "alice_a", true).await;
    let bob = member(&app_a, "bob_b", true).await;
    let q = post(
        &app_a,
        &alice,
        "question",
        "public",
        "Is heat a relapse?",
        "Body",
    )
    .await;
    // Alice's stream is on B (the session cookie is valid on both: sessions live in the database).
    let mut res = open_events(&b, &alice).await;
    let mut buf = String::new();
    let (event, data) = next_event(&mut res, &mut buf).await.expect("first event");
    assert_eq!(
        (event.as_str(), data["notifications"].as_i64()),
        ("unread", Some(0))
    );
    // Bob answers through A.
    reply(&app_a, &bob, q, None, "Probably not.").await;
    let (_, data) = tokio::time::timeout(Duration::from_secs(10), next_event(&mut res, &mut buf))
        .await
        .expect("in time")
        .expect("live event across processes");
    assert_eq!(data["notifications"], 1);
}

/// CPU time (user + system, in clock ticks) the process has used so far.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    // Fields after the command name (which is in parentheses): state is 3rd, utime 14th, stime 15th.
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    f[11].parse::<u64>().unwrap_or(0) + f[12].parse::<u64>().unwrap_or(0)
}

/// 1,000 idle connected event streams cost the server (nearly) no CPU, and a live event still
/// reaches its member at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_idle_streams_are_cheap() {
    let url = crate::common::fresh_database(Backend::Sqlite)
        .await
        .expect("sqlite");
    let (proc_, base) = serve_process(&url, &[]).await;
    let pid = proc_.id().expect("pid");
    let db = app::db::Db::connect(&url).await.expect("connect");
    let app = TestApp {
        base: base.clone(),
        db,
        db_url: url.clone(),
        client: new_client(),
    };
    app.admin_with_community().await;
    let alice = member(&app, "alice_a", true).await;
    let bob = member(&app, "bob_b", true).await;
    let q = post(
        &app,
        &alice,
        "question",
        "public",
        "Is heat a relapse?",
        "Body",
    )
    .await;
    let idle = Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    app.login(&idle, "bob_b", PW).await.ok();
    let mut streams = Vec::new();
    let opening = cpu_ticks(pid);
    for _ in 0..1000 {
        streams.push(open_events(&base, &idle).await);
    }
    // What opening them cost (a session lookup and the first counts each): the yardstick.
    let open_cost = cpu_ticks(pid) - opening;
    let mut mine = open_events(&base, &alice).await;
    let mut buf = String::new();
    next_event(&mut mine, &mut buf).await.expect("first");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = cpu_ticks(pid);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let used = cpu_ticks(pid) - before;
    eprintln!("1,000 idle streams: {used} clock ticks of CPU in 3 s (opening them: {open_cost})");
    // A ratio of two measurements of the same process in one run, not a wall-clock bound: 3 s of
    // 1,000 idle streams cost less than a fifth of opening them (a poll of each stream every
    // second would cost several times the opening).
    assert!(
        used * 5 <= open_cost.max(5),
        "{used} ticks idle, {open_cost} to open"
    );
    reply(&app, &bob, q, None, "Probably not.").await;
    let (_, data) = tokio::time::timeout(Duration::from_secs(5), next_event(&mut mine, &mut buf))
        .await
        .expect("in time")
        .expect("event");
    assert_eq!(data["notifications"], 1);
    drop(streams);
}

/// Opening a thread (its page or its server function) marks read what the member was told of
/// that thread, and only of it; the unread count follows.
async fn opening_a_thread_reads_its_notifications(app: TestApp) {
    app.admin_with_community().await;
    let alice = member(&app, "opener_a", true).await;
    let bob = member(&app, "opener_b", true).await;
    let q1 = post(
        &app,
        &alice,
        "question",
        "public",
        "First question here",
        "Body",
    )
    .await;
    let q2 = post(
        &app,
        &alice,
        "question",
        "public",
        "Second question here",
        "Body",
    )
    .await;
    reply(&app, &bob, q1, None, "An answer to the first.").await;
    reply(&app, &bob, q1, None, "Another answer to the first.").await;
    reply(&app, &bob, q2, None, "An answer to the second.").await;
    assert_eq!(inbox(&app, &alice).await.1, 3);

    // Someone else opening the thread changes nothing for alice.
    app.call_as(&bob, "post", &[("id", &q1.to_string())])
        .await
        .ok();
    assert_eq!(inbox(&app, &alice).await.1, 3);

    app.call_as(&alice, "post", &[("id", &q1.to_string())])
        .await
        .ok();
    assert_eq!(
        inbox(&app, &alice).await.1,
        1,
        "the second thread's answer stays unread"
    );
    let unread: Vec<i64> = sqlx::query_scalar(
        "SELECT post_id FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE u.handle = 'opener_a' AND n.read_at IS NULL",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("unread");
    assert_eq!(unread, vec![q2]);
    // Again: nothing left to read, nothing changes.
    app.call_as(&alice, "post", &[("id", &q1.to_string())])
        .await
        .ok();
    assert_eq!(inbox(&app, &alice).await.1, 1);

    // The page itself (no JavaScript) does the same.
    let res = alice
        .get(format!("{}/p/{q2}", app.base))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 200);
    assert_eq!(inbox(&app, &alice).await.1, 0);
}
