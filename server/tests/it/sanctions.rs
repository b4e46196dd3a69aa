//! Sanctions on both backends: a site moderator warns or suspends a member (told, audited), the suspension holds on every write path while reading, exporting and deleting still work, it ends by itself or when an admin lifts it, and nobody else may sanction.

use crate::common::TestApp;
use app::error::AppError;
use reqwest::Client;
use sqlx::Row;

both_backends!(
    a_suspension_holds_on_every_write_path,
    warnings_and_lifting_are_told_and_audited,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

async fn audits(app: &TestApp, action: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.db.pool)
        .await
        .expect("audit")
        .get("n")
}

async fn sanction(
    app: &TestApp,
    by: &Client,
    handle: &str,
    action: &str,
    reason: &str,
) -> crate::common::Reply {
    app.call_as(
        by,
        "mod/sanction",
        &[
            ("sanction_handle", handle),
            ("action", action),
            ("reason", reason),
        ],
    )
    .await
}

async fn post(app: &TestApp, c: &Client, title: &str) -> crate::common::Reply {
    app.call_as(
        c,
        "post/create",
        &[
            ("community", "ms"),
            ("kind", "question"),
            ("title", title),
            ("body", "Some words about it."),
            ("tags", ""),
            ("visibility", "public"),
        ],
    )
    .await
}

async fn a_suspension_holds_on_every_write_path(app: TestApp) {
    app.admin_with_community().await;
    let sam = member(&app, "sus_sam").await;
    let mia = member(&app, "mod_mia").await;
    let pat = member(&app, "pal_pat").await;
    sqlx::query("UPDATE users SET is_moderator = 1 WHERE handle = 'mod_mia'")
        .execute(&app.db.pool)
        .await
        .expect("moderator");
    let own = post(&app, &sam, "Before the suspension")
        .await
        .ok()
        .as_i64()
        .expect("id");
    let other = post(&app, &pat, "Pat's question")
        .await
        .ok()
        .as_i64()
        .expect("id");
    let reply = app
        .call_as(
            &sam,
            "reply/create",
            &[("post_id", &other.to_string()), ("body", "An answer.")],
        )
        .await
        .ok()
        .as_i64()
        .expect("reply");

    // A member who moderates nothing may not; a reason is required.
    assert_eq!(
        sanction(&app, &pat, "sus_sam", "7", "Spam").await.error(),
        AppError::Forbidden
    );
    let e = sanction(&app, &mia, "sus_sam", "7", "  ").await.error();
    assert!(e.field_message("reason").is_some(), "{e:?}");
    sanction(&app, &mia, "sus_sam", "7", "Repeated advertising.")
        .await
        .ok();

    let me = app.call_as(&sam, "current_user", &[]).await.ok();
    let until = me["suspended_until"].as_i64().expect("suspended");
    let week = 7 * 86_400_000;
    assert!((until - app::db::now_ms() - week).abs() < 60_000, "{me}");
    assert_eq!(me["suspension_reason"], "Repeated advertising.");
    assert_eq!(audits(&app, "suspend_member").await, 1);
    let notes = app
        .call_as(&sam, "notifications", &[])
        .await
        .ok()
        .to_string();
    assert!(notes.contains("Repeated advertising."), "{notes}");
    let page = sam
        .get(format!("{}/", app.base))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("data-testid=\"suspension-banner\""),
        "the page tells them"
    );

    let (own_s, other_s, reply_s) = (own.to_string(), other.to_string(), reply.to_string());
    let writes: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "post/create",
            vec![
                ("community", "ms"),
                ("kind", "question"),
                ("title", "During it"),
                ("body", "Words."),
                ("tags", ""),
                ("visibility", "public"),
            ],
        ),
        (
            "post/edit",
            vec![
                ("id", &own_s),
                ("title", "Changed title"),
                ("body", "Changed."),
                ("tags", ""),
                ("visibility", "public"),
            ],
        ),
        ("post/delete", vec![("id", &own_s)]),
        (
            "reply/create",
            vec![("post_id", &other_s), ("body", "More.")],
        ),
        ("reply/edit", vec![("id", &reply_s), ("body", "Changed.")]),
        ("reply/delete", vec![("id", &reply_s)]),
        ("vote", vec![("target", "post"), ("id", &other_s)]),
        ("post/accept", vec![("post_id", &own_s)]),
        (
            "report",
            vec![("post_id", &other_s), ("reason", "spam"), ("note", "")],
        ),
        ("community/leave", vec![("slug", "ms")]),
        ("community/join", vec![("slug", "ms")]),
        (
            "group/create",
            vec![
                ("community", "ms"),
                ("name", "Sam's group"),
                ("description", "A group."),
                ("kind", "open"),
                ("question", ""),
            ],
        ),
        ("group/join", vec![("slug", "any-group")]),
        ("group/leave", vec![("slug", "any-group")]),
        (
            "directory/rate",
            vec![
                ("slug", "north"),
                ("stars", "1"),
                ("wait_minutes", ""),
                ("body", ""),
            ],
        ),
        (
            "directory/contact",
            vec![
                ("slug", "north"),
                ("reason", "A question."),
                ("preferred_times", ""),
                ("contact_via", "Reply here"),
            ],
        ),
        (
            "directory/report",
            vec![("review", "1"), ("kind", "report"), ("reason", "Spam.")],
        ),
        ("directory/leave_staff", vec![("slug", "north")]),
        (
            "directory/invitation",
            vec![("slug", "north"), ("role", "staff"), ("answer", "accept")],
        ),
        ("request/answer", vec![("id", "1"), ("body", "Hello.")]),
        ("messages/send", vec![("to", "pal_pat"), ("body", "Hello.")]),
        (
            "messages/block",
            vec![("handle", "pal_pat"), ("block", "yes")],
        ),
        ("messages/report", vec![("id", "1"), ("reason", "Spam.")]),
        (
            "mod/watch",
            vec![("community", "ms"), ("phrases", "x"), ("action", "flag")],
        ),
        ("mod/unwatch", vec![("id", "1")]),
        ("moderate/tags", vec![("post_id", &other_s), ("tags", "x")]),
        ("saved/toggle", vec![("post_id", &other_s)]),
        ("saved/note", vec![("id", "1"), ("note", "x")]),
        (
            "follow/thread",
            vec![("post_id", &other_s), ("state", "follow")],
        ),
        ("follow/community", vec![("slug", "ms"), ("follow", "yes")]),
        ("follow/tag", vec![("tag", "fatigue"), ("follow", "yes")]),
        ("saved/page", vec![("kind", "provider"), ("slug", "x")]),
        ("welcome/conditions", vec![("communities[]", "ms")]),
        ("pictures/remove", vec![("id", "1")]),
        (
            "report/profile",
            vec![("handle", "pal_pat"), ("reason", "spam"), ("note", "")],
        ),
        (
            "update_profile",
            vec![
                ("display_name", "Sam"),
                ("bio", "New bio."),
                ("theme", "system"),
                ("text_size", "normal"),
            ],
        ),
        (
            "request_verification",
            vec![("licence_number", "GMC 123"), ("specialty", "neurology")],
        ),
        ("invite_by_email", vec![("email", "friend@example.net")]),
        (
            "library/save",
            vec![
                ("current", ""),
                ("community", "ms"),
                ("title", "An article"),
                ("summary", "Short."),
                ("body", "Words."),
                ("key_facts", ""),
                ("sources", ""),
                ("tags", ""),
            ],
        ),
    ];
    for (endpoint, form) in &writes {
        assert_eq!(
            app.call_as(&sam, endpoint, form).await.error(),
            AppError::Suspended,
            "{endpoint} must refuse a suspended member"
        );
    }
    // The picture upload is a multipart form.
    assert_eq!(
        crate::pictures::upload(&app, &sam, "avatar", "me", "", &crate::pictures::tiny_png())
            .await
            .error(),
        AppError::Suspended,
        "pictures/upload must refuse a suspended member"
    );
    // Nothing was written: the post and reply are as they were, no new post, no vote.
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM posts WHERE title IN ('During it', 'Changed title')",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("posts")
    .get("n");
    assert_eq!(n, 0);
    // Reading, exporting and deleting still work.
    app.call_as(&sam, "my_settings", &[]).await.ok();
    app.call_as(&sam, "post", &[("id", &other_s)]).await.ok();
    app.call_as(&sam, "request_export", &[]).await.ok();
    app.call_as(&sam, "my_privacy", &[]).await.ok();

    // It ends by itself.
    sqlx::query("UPDATE users SET suspended_until = $1 WHERE handle = 'sus_sam'")
        .bind(app::db::now_ms() - 1)
        .execute(&app.db.pool)
        .await
        .expect("end");
    assert_eq!(
        app.call_as(&sam, "current_user", &[]).await.ok()["suspended_until"],
        serde_json::Value::Null
    );
    post(&app, &sam, "After the suspension").await.ok();
}

async fn warnings_and_lifting_are_told_and_audited(app: TestApp) {
    let admin = app.admin_with_community().await;
    let sam = member(&app, "warned_sam").await;
    let mia = member(&app, "mod_mila").await;
    sqlx::query("UPDATE users SET is_moderator = 1 WHERE handle = 'mod_mila'")
        .execute(&app.db.pool)
        .await
        .expect("moderator");
    // A warning: told, audited, nothing else changes.
    sanction(&app, &mia, "warned_sam", "warn", "Please keep it kind.")
        .await
        .ok();
    assert_eq!(audits(&app, "warn_member").await, 1);
    let notes = app
        .call_as(&sam, "notifications", &[])
        .await
        .ok()
        .to_string();
    assert!(notes.contains("Please keep it kind."), "{notes}");
    post(&app, &sam, "Still writing").await.ok();
    // Until an admin lifts it: a moderator cannot lift, an admin can.
    sanction(&app, &mia, "warned_sam", "0", "Threats to another member.")
        .await
        .ok();
    assert_eq!(
        app.call_as(&sam, "current_user", &[]).await.ok()["suspended_until"].as_i64(),
        Some(app::safety::types::INDEFINITE)
    );
    assert_eq!(
        post(&app, &sam, "Blocked").await.error(),
        AppError::Suspended
    );
    assert_eq!(
        sanction(&app, &mia, "warned_sam", "lift", "").await.error(),
        AppError::Forbidden
    );
    let e = sanction(&app, &admin, "mod_mila", "lift", "").await.error();
    assert!(
        e.field_message("sanction_handle").is_some(),
        "not suspended: {e:?}"
    );
    sanction(&app, &admin, "warned_sam", "lift", "").await.ok();
    assert_eq!(audits(&app, "lift_suspension").await, 1);
    post(&app, &sam, "Back again").await.ok();
    let notes = app
        .call_as(&sam, "notifications", &[])
        .await
        .ok()
        .to_string();
    assert!(notes.contains("lifted"), "{notes}");
    // Nobody sanctions themselves.
    let e = sanction(&app, &mia, "mod_mila", "warn", "Me").await.error();
    assert!(e.field_message("sanction_handle").is_some());
}
