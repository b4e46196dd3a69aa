//! Direct messages on both backends: only the two participants read a conversation, unread counts and read markers, blocking, "only from contacts", bad input, reports that show moderators the reported message only.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    conversations_are_private_and_counted,
    blocking_and_contacts_only,
    reports_show_only_the_message,
    at_most_sixty_messages_an_hour,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    c
}

async fn send(app: &TestApp, c: &Client, to: &str, body: &str) -> crate::common::Reply {
    app.call_as(c, "messages/send", &[("to", to), ("body", body)])
        .await
}

async fn thread(app: &TestApp, c: &Client, with: &str) -> Value {
    app.call_as(c, "messages/thread", &[("with", with)])
        .await
        .ok()
}

async fn unread(app: &TestApp, c: &Client) -> i64 {
    app.call_as(c, "current_user", &[]).await.ok()["unread_messages"]
        .as_i64()
        .expect("unread_messages")
}

fn bodies(t: &Value) -> Vec<String> {
    t["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body_html"].as_str().unwrap().to_string())
        .collect()
}

async fn conversations_are_private_and_counted(app: TestApp) {
    let alice = member(&app, "alice_a").await;
    let bob = member(&app, "bob_b").await;
    let carol = member(&app, "carol_c").await;

    send(&app, &alice, "bob_b", "Hi **Bob**, how was the infusion?")
        .await
        .ok();
    send(&app, &alice, "bob_b", "No rush to answer.").await.ok();
    assert_eq!(unread(&app, &bob).await, 2);
    let inbox = app.call_as(&bob, "messages", &[]).await.ok();
    assert_eq!(inbox["conversations"][0]["with"], "alice_a");
    assert_eq!(inbox["conversations"][0]["unread"], 2);
    // One notification while the conversation has unread messages, not one per message.
    let n = app.call_as(&bob, "notifications", &[]).await.ok();
    let messages: Vec<&Value> = n["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "message")
        .collect();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["link"], "/messages/alice_a");

    // Nobody else can read it: a third member only ever sees their own conversations.
    let t = thread(&app, &carol, "alice_a").await;
    assert!(bodies(&t).is_empty());
    assert_eq!(
        app.call_as(&carol, "messages", &[]).await.ok()["conversations"],
        serde_json::json!([])
    );
    assert_eq!(
        app.call_as(&new_client(), "messages/thread", &[("with", "alice_a")])
            .await
            .error(),
        AppError::Unauthenticated
    );

    // Markdown-light, sanitised.
    let t = thread(&app, &bob, "alice_a").await;
    assert_eq!(bodies(&t).len(), 2);
    assert!(bodies(&t)[0].contains("<strong>Bob</strong>"));
    // Reading clears the counts (the message notification too) and moves the read marker the sender sees.
    assert_eq!(unread(&app, &bob).await, 0);
    assert_eq!(
        app.call_as(&bob, "notifications", &[]).await.ok()["unread"],
        0
    );
    assert_eq!(
        app.call_as(&bob, "messages", &[]).await.ok()["conversations"][0]["unread"],
        0
    );
    let mine = thread(&app, &alice, "bob_b").await;
    assert!(mine["messages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["mine"] == true && m["read"] == true));
    send(&app, &bob, "alice_a", "It went fine, thanks!")
        .await
        .ok();
    assert_eq!(unread(&app, &alice).await, 1);

    // Bad input.
    let e = send(&app, &alice, "bob_b", "   ").await.error();
    assert!(e.field_message("body").is_some());
    let e = send(&app, &alice, "bob_b", &"x".repeat(2001)).await.error();
    assert!(e.field_message("body").unwrap().contains("2000"));
    let e = send(&app, &alice, "nobody_here", "Hello").await.error();
    assert!(e.field_message("to").is_some());
    let e = send(&app, &alice, "alice_a", "Hello me").await.error();
    assert!(e.field_message("body").is_some());
}

async fn blocking_and_contacts_only(app: TestApp) {
    let alice = member(&app, "alice_a").await;
    let bob = member(&app, "bob_b").await;
    send(&app, &alice, "bob_b", "Hello Bob").await.ok();
    app.call_as(
        &bob,
        "messages/block",
        &[("handle", "alice_a"), ("block", "yes")],
    )
    .await
    .ok();
    let e = send(&app, &alice, "bob_b", "Are you there?").await.error();
    assert_eq!(
        e.field_message("body").as_deref(),
        Some("This member does not accept messages from you.")
    );
    // The blocker no longer sees the conversation, and cannot write either until unblocking.
    assert_eq!(
        app.call_as(&bob, "messages", &[]).await.ok()["conversations"],
        serde_json::json!([])
    );
    let t = thread(&app, &bob, "alice_a").await;
    assert_eq!(t["blocked"], true);
    assert!(bodies(&t).is_empty());
    assert!(send(&app, &bob, "alice_a", "Hi")
        .await
        .error()
        .field_message("body")
        .is_some());
    app.call_as(
        &bob,
        "messages/block",
        &[("handle", "alice_a"), ("block", "no")],
    )
    .await
    .ok();
    assert_eq!(
        bodies(&thread(&app, &bob, "alice_a").await),
        vec!["<p>Hello Bob</p>\n".to_string()]
    );

    // Only from contacts: dave accepts messages only from members he has written to.
    let dave = member(&app, "dave_d").await;
    let erin = member(&app, "erin_e").await;
    app.call_as(&dave, "messages/settings", &[("contacts_only", "yes")])
        .await
        .ok();
    assert_eq!(
        app.call_as(&dave, "messages", &[]).await.ok()["contacts_only"],
        true
    );
    let e = send(&app, &erin, "dave_d", "Hi Dave").await.error();
    assert!(e
        .field_message("body")
        .unwrap()
        .contains("only accepts messages"));
    send(&app, &dave, "erin_e", "Hi Erin, write back any time.")
        .await
        .ok();
    send(&app, &erin, "dave_d", "Thanks Dave").await.ok();
}

async fn reports_show_only_the_message(app: TestApp) {
    let alice = member(&app, "alice_a").await;
    let bob = member(&app, "bob_b").await;
    let carol = member(&app, "carol_c").await;
    let moderator = member(&app, "mod_m").await;
    sqlx::query("UPDATE users SET is_moderator = 1 WHERE handle = 'mod_m'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    send(&app, &alice, "bob_b", "A private detail about my diagnosis")
        .await
        .ok();
    send(&app, &alice, "bob_b", "Buy miracle pills at example.com")
        .await
        .ok();
    let t = thread(&app, &bob, "alice_a").await;
    let spam = t["messages"][1]["id"].as_i64().unwrap().to_string();
    // Only a participant can report it.
    assert_eq!(
        app.call_as(
            &carol,
            "messages/report",
            &[("id", spam.as_str()), ("reason", "spam")]
        )
        .await
        .error(),
        AppError::NotFound
    );
    let e = app
        .call_as(
            &bob,
            "messages/report",
            &[("id", spam.as_str()), ("reason", " ")],
        )
        .await
        .error();
    assert!(e.field_message("reason").is_some());
    app.call_as(
        &bob,
        "messages/report",
        &[("id", spam.as_str()), ("reason", "Advertising")],
    )
    .await
    .ok();
    assert_eq!(
        app.call_as(&carol, "messages/reports", &[]).await.error(),
        AppError::Forbidden
    );
    // The moderator finds the reports from the moderation queue; a member's queue has no link.
    let link = "href=\"/messages/reports\"";
    assert!(
        app.html_as(&moderator, "/mod").await.contains(link),
        "no way to the reports"
    );
    assert!(!app.html_as(&carol, "/mod").await.contains(link));
    let reply = app.call_as(&moderator, "messages/reports", &[]).await;
    let reports = reply.ok();
    assert_eq!(reports[0]["sender"], "alice_a");
    assert!(reports[0]["body_html"]
        .as_str()
        .unwrap()
        .contains("miracle pills"));
    assert!(
        !reply.body.contains("private detail"),
        "the rest of the conversation stays private"
    );
    let id = reports[0]["id"].as_i64().unwrap().to_string();
    app.call_as(&moderator, "messages/resolve", &[("id", id.as_str())])
        .await
        .ok();
    assert_eq!(
        app.call_as(&moderator, "messages/reports", &[]).await.ok(),
        serde_json::json!([])
    );
}

async fn at_most_sixty_messages_an_hour(app: TestApp) {
    let alice = member(&app, "alice_a").await;
    member(&app, "bob_b").await;
    member(&app, "carol_c").await;
    // Sixty in the hour, to two people: all delivered.
    for i in 0..60 {
        let to = if i % 2 == 0 { "bob_b" } else { "carol_c" };
        send(&app, &alice, to, &format!("Message number {i}."))
            .await
            .ok();
    }
    // The sixty-first is refused, whoever it is for, and is not stored.
    let r = send(&app, &alice, "carol_c", "One too many.").await;
    assert_eq!(r.status, 429);
    assert_eq!(r.error(), AppError::RateLimited);
    let stored: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM messages")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(stored, 60);
    // Another member is not held back by Alice's hour.
    let bob = new_client();
    app.login(&bob, "bob_b", PW).await.ok();
    send(&app, &bob, "alice_a", "Are you all right?").await.ok();
    // An hour later (the bucket's window aged), Alice writes again.
    sqlx::query(
        "UPDATE rate_limits SET window_start = window_start - 3600000 WHERE bucket LIKE 'dm:%'",
    )
    .execute(&app.db.pool)
    .await
    .expect("age the window");
    send(&app, &alice, "carol_c", "Back again.").await.ok();
}
