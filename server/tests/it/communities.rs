//! Communities on both backends: admin-only create/edit, directory (with the reader's own marked, and "Join" on the others), join/leave counts, moderators.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::StatusCode;

both_backends!(
    only_admins_create_and_edit,
    join_and_leave_keep_the_count,
    admins_appoint_community_moderators,
    community_pages_answer,
    the_directory_marks_the_readers_communities,
);

const MS: &[(&str, &str)] = &[
    ("current_slug", ""),
    ("slug", "multiple-sclerosis"),
    ("name", "Multiple Sclerosis"),
    ("description", "Living with MS."),
    ("rules", "Be kind."),
    ("colour", "teal"),
];

async fn admin(app: &TestApp) {
    app.signup("root_admin", "correct-horse-1").await.ok();
    app.make_admin("root_admin").await;
}

async fn only_admins_create_and_edit(app: TestApp) {
    let member = new_client();
    app.signup_as(&member, "just_member", "correct-horse-1")
        .await
        .ok();
    assert_eq!(
        app.call_as(&member, "admin/save_community", MS)
            .await
            .error(),
        AppError::Forbidden
    );
    assert_eq!(
        app.call_as(&new_client(), "admin/save_community", MS)
            .await
            .error(),
        AppError::Unauthenticated
    );

    admin(&app).await;
    let bad = [
        ("current_slug", ""),
        ("slug", "Not A Slug!"),
        ("name", " "),
        ("description", ""),
        ("rules", ""),
        ("colour", "#f00"),
    ];
    let e = app.call("admin/save_community", &bad).await.error();
    for field in ["slug", "name", "description", "colour"] {
        assert!(e.field_message(field).is_some(), "{field}: {e:?}");
    }
    app.call("admin/save_community", MS).await.ok();
    let e = app.call("admin/save_community", MS).await.error();
    assert!(
        e.field_message("slug")
            .is_some_and(|m| m.contains("already")),
        "{e:?}"
    );

    let mut edit = MS.to_vec();
    edit[0] = ("current_slug", "multiple-sclerosis");
    edit[2] = ("name", "MS");
    edit[1] = ("slug", "ms");
    app.call("admin/save_community", &edit).await.ok();
    let list = app.call_as(&new_client(), "communities", &[]).await.ok();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["slug"], "ms");
    assert_eq!(list[0]["name"], "MS");
    let r = app
        .call(
            "admin/save_community",
            &[
                ("current_slug", "gone"),
                ("slug", "gone"),
                ("name", "x"),
                ("description", "x"),
                ("rules", ""),
                ("colour", "teal"),
            ],
        )
        .await;
    assert_eq!(r.error(), AppError::NotFound);

    // The audit log has the creation and the edit (not the refused attempts), by the admin.
    let entries = app.call("admin/audit_log", &[]).await.ok();
    let mut seen: Vec<(String, String, String)> = entries["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap_or_default().to_string(),
                e["action"].as_str().unwrap_or_default().to_string(),
                e["detail"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    seen.reverse();
    let owned = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        seen,
        vec![
            owned(
                "root_admin",
                "community.create",
                "Multiple Sclerosis (multiple-sclerosis)"
            ),
            owned(
                "root_admin",
                "community.edit",
                "MS (ms, was multiple-sclerosis)"
            ),
        ]
    );
}

async fn join_and_leave_keep_the_count(app: TestApp) {
    admin(&app).await;
    app.call("admin/save_community", MS).await.ok();
    let (a, b) = (new_client(), new_client());
    app.signup_as(&a, "member_a", "correct-horse-1").await.ok();
    app.signup_as(&b, "member_b", "correct-horse-1").await.ok();

    let slug = [("slug", "multiple-sclerosis")];
    assert_eq!(
        app.call_as(&new_client(), "community/join", &slug)
            .await
            .error(),
        AppError::Unauthenticated
    );
    app.call_as(&a, "community/join", &slug).await.ok();
    app.call_as(&a, "community/join", &slug).await.ok(); // twice is once
    app.call_as(&b, "community/join", &slug).await.ok();
    let d = app.call_as(&a, "community", &slug).await.ok();
    assert_eq!(d["summary"]["member_count"], 2);
    assert_eq!(d["is_member"], true);
    let d = app.call_as(&new_client(), "community", &slug).await.ok();
    assert_eq!(d["is_member"], serde_json::Value::Null);

    app.call_as(&a, "community/leave", &slug).await.ok();
    app.call_as(&a, "community/leave", &slug).await.ok(); // twice is once
    let d = app.call_as(&a, "community", &slug).await.ok();
    assert_eq!(d["summary"]["member_count"], 1);
    assert_eq!(d["is_member"], false);
    let stored: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM community_members")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the column matches the rows");

    let r = app
        .call_as(&a, "community/join", &[("slug", "no-such-community")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

async fn admins_appoint_community_moderators(app: TestApp) {
    admin(&app).await;
    app.call("admin/save_community", MS).await.ok();
    let helper = new_client();
    app.signup_as(&helper, "helper", "correct-horse-1")
        .await
        .ok();
    let args = [
        ("slug", "multiple-sclerosis"),
        ("handle", "@helper"),
        ("change", "grant"),
    ];
    assert_eq!(
        app.call_as(&helper, "admin/community_moderator", &args)
            .await
            .error(),
        AppError::Forbidden
    );
    app.call("admin/community_moderator", &args).await.ok();
    let d = app
        .call_as(&helper, "community", &[("slug", "multiple-sclerosis")])
        .await
        .ok();
    assert_eq!(d["moderators"], serde_json::json!(["helper"]));
    assert_eq!(d["is_member"], true, "appointing makes them a member");
    assert_eq!(d["can_moderate"], true);
    assert_eq!(
        d["can_manage"], false,
        "only admins edit the community and appoint moderators"
    );
    assert_eq!(d["summary"]["member_count"], 1);
    let e = app
        .call(
            "admin/community_moderator",
            &[
                ("slug", "multiple-sclerosis"),
                ("handle", "ghost"),
                ("change", "grant"),
            ],
        )
        .await
        .error();
    assert!(e.field_message("handle").is_some());
    app.call(
        "admin/community_moderator",
        &[
            ("slug", "multiple-sclerosis"),
            ("handle", "helper"),
            ("change", "revoke"),
        ],
    )
    .await
    .ok();
    let d = app
        .call_as(&helper, "community", &[("slug", "multiple-sclerosis")])
        .await
        .ok();
    assert_eq!(d["moderators"], serde_json::json!([]));
    let log = app.call("admin/audit_log", &[]).await.ok();
    assert_eq!(log["items"][0]["action"], "community.moderator.revoke");
    assert_eq!(log["items"][1]["action"], "community.moderator.grant");
}

async fn community_pages_answer(app: TestApp) {
    admin(&app).await;
    app.call("admin/save_community", MS).await.ok();
    let (status, html) = app.get("/c").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Multiple Sclerosis"));
    let (status, html) = app.get("/c/multiple-sclerosis").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Living with MS.") && html.contains("Be kind."));
    assert_eq!(app.get("/c/nothing-here").await.0, StatusCode::NOT_FOUND);
    // The community form is for admins: say so before anyone fills it in.
    let member = new_client();
    app.signup_as(&member, "curious", "correct-horse-1")
        .await
        .ok();
    let page = member
        .get(format!("{}/communities/new", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let (status, html) = app.get("/communities/new").await;
    assert_eq!(status, StatusCode::OK, "the admin sees the form");
    assert!(html.contains("Save community"));
}

async fn the_directory_marks_the_readers_communities(app: TestApp) {
    admin(&app).await;
    app.call("admin/save_community", MS).await.ok();
    let mut t2d = MS.to_vec();
    t2d[1] = ("slug", "type-2-diabetes");
    t2d[2] = ("name", "Type 2 Diabetes");
    app.call("admin/save_community", &t2d).await.ok();
    let a = new_client();
    app.signup_as(&a, "directory_a", "correct-horse-1")
        .await
        .ok();
    app.call_as(&a, "community/join", &[("slug", "type-2-diabetes")])
        .await
        .ok();
    assert_eq!(
        app.call_as(&a, "communities/mine", &[]).await.ok(),
        serde_json::json!(["type-2-diabetes"])
    );
    assert_eq!(
        app.call_as(&new_client(), "communities/mine", &[])
            .await
            .ok(),
        serde_json::json!([])
    );
    // The member's page: a mark on theirs, a join form on the other.
    let page = app.html_as(&a, "/c").await;
    assert_eq!(page.matches("✓ Member").count(), 1);
    assert!(page.contains(r#"aria-label="Join Multiple Sclerosis""#));
    assert!(!page.contains(r#"aria-label="Join Type 2 Diabetes""#));
    // A visitor's "Join" leads to the sign-up with the community.
    let page = app.html_as(&new_client(), "/c").await;
    assert!(page.contains(r#"href="/signup?c=multiple-sclerosis""#));
    assert!(!page.contains("✓ Member"));
}
