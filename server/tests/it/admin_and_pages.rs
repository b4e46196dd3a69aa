//! Admin permissions, clinician verification, role grants, audit log, profiles and page statuses, on both backends.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::StatusCode;

both_backends!(
    admin_functions_refuse_non_admins,
    admin_verifies_and_rejects_clinicians,
    admin_grants_and_revokes_roles,
    profiles_are_public_but_private_fields_are_not,
    pages_answer_with_the_right_status,
    settings_round_trip,
);

async fn clinician(app: &TestApp, handle: &str, specialty: &str) -> reqwest::Client {
    let c = new_client();
    let email = format!("{handle}@example.org");
    app.call_as(
        &c,
        "signup",
        &[
            ("handle", handle),
            ("email", &email),
            ("password", "correct-horse-1"),
            ("kind", "clinician"),
            ("consent", "yes"),
            ("licence_number", "REG-42"),
            ("specialty", specialty),
        ],
    )
    .await
    .ok();
    c
}

async fn pending_ids(app: &TestApp) -> Vec<(i64, String)> {
    let page = app.call("admin/pending_verifications", &[]).await.ok();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_i64().unwrap(),
                i["handle"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn admin_functions_refuse_non_admins(app: TestApp) {
    let anon = new_client();
    for endpoint in [
        "admin/pending_verifications",
        "admin/staff",
        "admin/audit_log",
    ] {
        let r = app.call_as(&anon, endpoint, &[]).await;
        assert_eq!(r.error(), AppError::Unauthenticated, "{endpoint}");
    }
    app.signup("nina", "correct-horse-1").await.ok();
    for endpoint in [
        "admin/pending_verifications",
        "admin/staff",
        "admin/audit_log",
    ] {
        let r = app.call(endpoint, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{endpoint}");
    }
    let r = app
        .call(
            "admin/set_role",
            &[("handle", "nina"), ("role", "admin"), ("change", "grant")],
        )
        .await;
    assert_eq!(r.error(), AppError::Forbidden);
    let r = app
        .call(
            "admin/decide_verification",
            &[("id", "1"), ("decision", "verify")],
        )
        .await;
    assert_eq!(r.error(), AppError::Forbidden);
    let admin_flag: i64 = sqlx::query_scalar("SELECT is_admin FROM users WHERE handle = 'nina'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(admin_flag, 0);
}

async fn admin_verifies_and_rejects_clinicians(app: TestApp) {
    let okafor = clinician(&app, "dr_oka", "neurology").await;
    let _lind = clinician(&app, "dr_lind", "haematology").await;
    app.signup("root_admin", "correct-horse-1").await.ok();
    app.make_admin("root_admin").await;

    let pending = pending_ids(&app).await;
    assert_eq!(
        pending.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(),
        ["dr_oka", "dr_lind"]
    );

    let oka = pending[0].0.to_string();
    app.call(
        "admin/decide_verification",
        &[("id", &oka), ("decision", "verify")],
    )
    .await
    .ok();
    // Deciding twice is a not-found: it is no longer pending.
    let r = app
        .call(
            "admin/decide_verification",
            &[("id", &oka), ("decision", "verify")],
        )
        .await;
    assert_eq!(r.error(), AppError::NotFound);

    let lind = pending[1].0.to_string();
    let r = app
        .call(
            "admin/decide_verification",
            &[("id", &lind), ("decision", "reject"), ("reason", "  ")],
        )
        .await;
    assert!(r.error().field_message(&format!("reason-{lind}")).is_some());
    app.call(
        "admin/decide_verification",
        &[
            ("id", &lind),
            ("decision", "reject"),
            ("reason", "Licence number not found in the register"),
        ],
    )
    .await
    .ok();
    assert!(pending_ids(&app).await.is_empty());

    let me = app.call_as(&okafor, "current_user", &[]).await.ok();
    assert_eq!(me["clinician_status"], "Verified");
    assert_eq!(me["specialty"], "neurology");
    let profile = app.call("profile", &[("handle", "dr_oka")]).await.ok();
    assert_eq!(profile["role_label"], "Verified neurologist");
    assert_eq!(profile["verified_clinician"], true);
    let profile = app.call("profile", &[("handle", "dr_lind")]).await.ok();
    assert_eq!(profile["role_label"], "Clinician (not verified)");

    let log = app.call("admin/audit_log", &[]).await.ok();
    let actions: Vec<(String, String, String)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap_or("").to_string(),
                e["actor"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            (
                "clinician.reject".to_string(),
                "dr_lind".to_string(),
                "root_admin".to_string()
            ),
            (
                "clinician.verify".to_string(),
                "dr_oka".to_string(),
                "root_admin".to_string()
            ),
        ]
    );
    assert!(log["items"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("not found in the register"));

    // The rejected clinician sees the reason in settings and can send new details.
    let lind_client = new_client();
    app.login(&lind_client, "dr_lind", "correct-horse-1")
        .await
        .ok();
    let s = app.call_as(&lind_client, "my_settings", &[]).await.ok();
    assert_eq!(
        s["rejection_reason"],
        "Licence number not found in the register"
    );
    app.call_as(
        &lind_client,
        "request_verification",
        &[("licence_number", "SE-77"), ("specialty", "haematology")],
    )
    .await
    .ok();
    assert_eq!(pending_ids(&app).await.len(), 1);
    // A patient cannot ask to be verified.
    let r = app
        .call(
            "request_verification",
            &[("licence_number", "SE-77"), ("specialty", "haematology")],
        )
        .await;
    assert_eq!(r.error(), AppError::Forbidden);
}

async fn admin_grants_and_revokes_roles(app: TestApp) {
    app.signup("boss", "correct-horse-1").await.ok();
    app.make_admin("boss").await;
    app.signup_as(&new_client(), "helper", "correct-horse-1")
        .await
        .ok();

    app.call(
        "admin/set_role",
        &[
            ("handle", "@Helper"),
            ("role", "moderator"),
            ("change", "grant"),
        ],
    )
    .await
    .ok();
    let staff = app.call("admin/staff", &[]).await.ok()["members"].clone();
    let helper = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["handle"] == "helper")
        .expect("listed");
    assert_eq!(helper["is_moderator"], true);
    assert_eq!(helper["is_admin"], false);

    app.call(
        "admin/set_role",
        &[
            ("handle", "helper"),
            ("role", "moderator"),
            ("change", "revoke"),
        ],
    )
    .await
    .ok();
    let staff = app.call("admin/staff", &[]).await.ok()["members"].clone();
    assert!(staff
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["handle"] != "helper"));

    let r = app
        .call(
            "admin/set_role",
            &[("handle", "ghost"), ("role", "admin"), ("change", "grant")],
        )
        .await;
    assert!(r
        .error()
        .field_message("handle")
        .is_some_and(|m| m.contains("No member")));
    let r = app
        .call(
            "admin/set_role",
            &[("handle", "boss"), ("role", "admin"), ("change", "revoke")],
        )
        .await;
    assert!(r
        .error()
        .field_message("handle")
        .is_some_and(|m| m.contains("your own admin")));
    let r = app
        .call(
            "admin/set_role",
            &[("handle", "helper"), ("role", "king"), ("change", "grant")],
        )
        .await;
    assert!(r.error().field_message("role").is_some());

    let log = app.call("admin/audit_log", &[]).await.ok();
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["role.moderator.revoke", "role.moderator.grant"]);

    // The page shows the log in words, 50 entries at a time, with the way to older ones.
    let boss: i64 = sqlx::query_scalar("SELECT id FROM users WHERE handle = 'boss'")
        .fetch_one(&app.db.pool)
        .await
        .expect("boss");
    for n in 0..55 {
        sqlx::query(
            "INSERT INTO audit_log (actor_id, action, target_user_id, detail, created_at) \
             VALUES ($1, 'community.edit', NULL, $2, $3)",
        )
        .bind(boss)
        .bind(format!("entry number {n}."))
        .bind(1_000 + n)
        .execute(&app.db.pool)
        .await
        .expect("audit row");
    }
    let (status, page) = app.get("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("entry number 54.") && page.contains("Edited a community"));
    assert!(
        !page.contains("entry number 4."),
        "more than 50 entries on a page"
    );
    assert!(
        !page.contains(">community.edit<"),
        "the action's code, not its words"
    );
    let older = page
        .split("href=\"/admin?log_before=")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .expect("a link to older entries");
    let (status, page) = app.get(&format!("/admin?log_before={older}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("entry number 0.") && page.contains("Gave the moderator role"));
    assert!(
        !page.contains("entry number 5."),
        "the second page repeats the first"
    );
    assert!(page.contains("Newest entries") && !page.contains("log_before="));
}

async fn profiles_are_public_but_private_fields_are_not(app: TestApp) {
    app.signup("olga", "correct-horse-1").await.ok();
    app.call(
        "update_profile",
        &[
            ("bio", "Diagnosed 2021."),
            ("theme", "dark"),
            ("text_size", "large"),
        ],
    )
    .await
    .ok();
    let anon = new_client();
    let r = app.call_as(&anon, "profile", &[("handle", "OLGA")]).await;
    let p = r.ok();
    assert_eq!(p["handle"], "olga");
    assert_eq!(p["bio"], "Diagnosed 2021.");
    // show_role was not ticked: the patient/caregiver role is hidden.
    assert_eq!(p["role_label"], serde_json::Value::Null);
    assert!(
        !r.body.contains("example.org"),
        "no e-mail in a public profile: {}",
        r.body
    );
    assert!(!r.body.contains("argon2"), "no hash in a public profile");

    let r = app.call_as(&anon, "profile", &[("handle", "nobody")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error(), AppError::NotFound);
    let r = app.call_as(&anon, "my_settings", &[]).await;
    assert_eq!(r.error(), AppError::Unauthenticated);
}

async fn pages_answer_with_the_right_status(app: TestApp) {
    let (status, html) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("information here does not replace professional advice"));
    assert!(html.contains("<h1>You are not alone with your condition</h1>"));
    assert_eq!(app.get("/no-such-page").await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/u/nobody").await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/settings").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/admin").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/healthz").await,
        (StatusCode::OK, "ok".to_string())
    );

    app.signup("pia", "correct-horse-1").await.ok();
    // The 404 page (the router's fallback) knows who is logged in, like every other page.
    let (status, html) = app.get("/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"), "{html}");
    assert!(
        html.contains("Logged in as") && html.contains(r#"href="/u/pia""#),
        "the 404 page's header lost the session: {html}"
    );
    let (status, html) = app.get("/u/pia").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("@pia"));
    assert_eq!(app.get("/admin").await.0, StatusCode::FORBIDDEN);
    let (status, html) = app.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("pia@example.org"),
        "own e-mail shown in own settings"
    );
    // The page is rendered completely for browsers without JavaScript (no streamed placeholders).
    assert!(
        !html.contains("<template"),
        "settings page must not depend on streaming scripts"
    );
}

async fn settings_round_trip(app: TestApp) {
    app.signup("quinn", "correct-horse-1").await.ok();
    let r = app
        .call(
            "update_profile",
            &[
                ("bio", &"x".repeat(501)),
                ("theme", "neon"),
                ("text_size", "normal"),
            ],
        )
        .await;
    let e = r.error();
    assert!(
        e.field_message("bio").is_some() && e.field_message("theme").is_some(),
        "{e:?}"
    );
    app.call(
        "update_profile",
        &[
            ("bio", "Caregiver for my mum."),
            ("theme", "dark"),
            ("text_size", "large"),
            ("show_role", "yes"),
        ],
    )
    .await
    .ok();
    let s = app.call("my_settings", &[]).await.ok();
    assert_eq!(s["bio"], "Caregiver for my mum.");
    assert_eq!(s["theme"], "dark");
    assert_eq!(s["text_size"], "large");
    assert_eq!(s["show_role"], true);
    let (_, html) = app.get("/").await;
    assert!(
        html.contains("data-theme=\"dark\""),
        "the theme applies to the page"
    );
    let p = app.call("profile", &[("handle", "quinn")]).await.ok();
    assert_eq!(p["role_label"], "Patient");
}
