//! The operator's profile and advertisers on both backends: `/about` shows the profile and only approved advertisers (never a contact), suspensions and removals take effect at once, only admins change anything, every change is audited, and bad input is a field error.

use crate::common::{new_client, TestApp};
use reqwest::{Client, StatusCode};
use sqlx::Row;

both_backends!(
    about_shows_the_operator_and_only_approved_advertisers,
    only_admins_run_the_operator,
    bad_input_is_reported_per_field,
    communities_refuse_kinds_of_advertiser,
);

async fn add(app: &TestApp, admin: &Client, name: &str, kind: &str) -> i64 {
    let contact = format!(
        "contact@{}.example.org",
        name.to_lowercase().replace(' ', "-")
    );
    app.call_as(
        admin,
        "operator/add_advertiser",
        &[
            ("adv_name", name),
            (
                "website",
                &format!("{}.example.org", name.to_lowercase().replace(' ', "-")),
            ),
            ("kind", kind),
            ("contact_email", &contact),
            (
                "disclosure",
                &format!("{name} makes things for people with MS."),
            ),
        ],
    )
    .await
    .ok();
    sqlx::query("SELECT id FROM advertisers WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .expect("advertiser")
        .get("id")
}

async fn change(app: &TestApp, admin: &Client, id: i64, what: &str) -> crate::common::Reply {
    app.call_as(
        admin,
        "operator/advertiser_status",
        &[("id", &id.to_string()), ("change", what)],
    )
    .await
}

fn names(about: &serde_json::Value) -> Vec<String> {
    about["advertisers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn about_shows_the_operator_and_only_approved_advertisers(app: TestApp) {
    let admin = app.admin_with_community().await;
    let visitor = new_client();
    let about = app.call_as(&visitor, "about", &[]).await.ok();
    assert_eq!(about["profile"]["configured"], false);
    assert!(names(&about).is_empty());

    app.call_as(
        &admin,
        "operator/save_profile",
        &[
            ("name", "Thames Neurology Trust"),
            ("about", "A charity of neurologists and patients."),
            (
                "ad_policy",
                "We label **every** sponsored message.<script>alert(1)</script>",
            ),
            ("privacy_contact", "not an address"),
        ],
    )
    .await
    .error()
    .field_message("privacy_contact")
    .expect("a bad privacy contact is a field error");
    app.call_as(
        &admin,
        "operator/save_profile",
        &[
            ("name", "Thames Neurology Trust"),
            ("about", "A charity of neurologists and patients."),
            (
                "ad_policy",
                "We label **every** sponsored message.<script>alert(1)</script>",
            ),
            ("privacy_contact", " Data@Thames.example "),
        ],
    )
    .await
    .ok();
    let about = app.call_as(&visitor, "about", &[]).await.ok();
    assert_eq!(about["profile"]["name"], "Thames Neurology Trust");
    assert_eq!(about["profile"]["privacy_contact"], "data@thames.example");
    // The privacy notice names the operator and where to write about one's data.
    let (_, privacy) = app.get("/privacy").await;
    assert!(
        privacy.contains("href=\"mailto:data@thames.example\""),
        "{privacy}"
    );
    assert!(privacy.contains("Thames Neurology Trust"));
    let (_, about_page) = app.get("/about").await;
    assert!(about_page.contains("href=\"mailto:data@thames.example\""));
    let html = about["profile"]["ad_policy_html"].as_str().unwrap_or("");
    assert!(html.contains("<strong>every</strong>"), "{html}");
    assert!(!html.contains("<script"), "{html}");

    let a = add(&app, &admin, "Northbridge Pharma", "pharma").await;
    let b = add(&app, &admin, "Fatigue Foundation", "nonprofit").await;
    let _c = add(&app, &admin, "Quick Cure", "other").await;
    // Added is not approved.
    assert!(names(&app.call_as(&visitor, "about", &[]).await.ok()).is_empty());
    change(&app, &admin, a, "approve").await.ok();
    change(&app, &admin, b, "approve").await.ok();
    let reply = app.call_as(&visitor, "about", &[]).await;
    assert_eq!(
        names(&reply.ok()),
        vec![
            "Fatigue Foundation".to_string(),
            "Northbridge Pharma".to_string()
        ]
    );
    // Never an advertiser's contact, in the JSON or in the page.
    assert!(!reply.body.contains("contact@"), "{}", reply.body);
    let (status, page) = app.get("/about").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Thames Neurology Trust"));
    assert!(page.contains("Northbridge Pharma"));
    assert!(!page.contains("Quick Cure"));
    assert!(!page.contains("contact@"));
    // Every page links to /about from the footer.
    let (_, home) = app.get("/").await;
    assert!(home.contains("href=\"/about\""));

    // Suspended: gone from /about on the next request; approved again: back.
    change(&app, &admin, a, "suspend").await.ok();
    assert_eq!(
        names(&app.call_as(&visitor, "about", &[]).await.ok()),
        vec!["Fatigue Foundation".to_string()]
    );
    change(&app, &admin, a, "approve").await.ok();
    assert_eq!(
        names(&app.call_as(&visitor, "about", &[]).await.ok()).len(),
        2
    );
    // Removed: gone for good (a removed advertiser cannot be approved again).
    change(&app, &admin, b, "remove").await.ok();
    assert_eq!(
        names(&app.call_as(&visitor, "about", &[]).await.ok()),
        vec!["Northbridge Pharma".to_string()]
    );
    assert_eq!(
        change(&app, &admin, b, "approve").await.status,
        StatusCode::NOT_FOUND
    );
    let listed = app.call_as(&admin, "operator/admin", &[]).await.ok();
    assert_eq!(listed["advertisers"].as_array().map(Vec::len), Some(2));
    // An unknown change is a bad request.
    assert_eq!(
        change(&app, &admin, a, "pending").await.status,
        StatusCode::BAD_REQUEST
    );

    // Every change is in the audit log, by whom.
    let actions: Vec<String> = sqlx::query(
        "SELECT action FROM audit_log WHERE actor_id = (SELECT id FROM users WHERE handle = 'root_admin') \
         AND (action LIKE 'advertiser%' OR action = 'operator_profile') ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("audit")
    .iter()
    .map(|r| r.get("action"))
    .collect();
    assert_eq!(
        actions,
        [
            "operator_profile",
            "advertiser_add",
            "advertiser_add",
            "advertiser_add",
            "advertiser_approved",
            "advertiser_approved",
            "advertiser_suspended",
            "advertiser_approved",
            "advertiser_removed",
        ]
    );
}

async fn only_admins_run_the_operator(app: TestApp) {
    let admin = app.admin_with_community().await;
    let id = add(&app, &admin, "Northbridge Pharma", "pharma").await;
    let member = new_client();
    app.signup_as(&member, "mona_m", "correct-horse-1")
        .await
        .ok();
    let visitor = new_client();
    let calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("operator/admin", vec![]),
        (
            "operator/save_profile",
            vec![
                ("name", "Evil Corp".into()),
                ("about", "x".into()),
                ("ad_policy", "x".into()),
            ],
        ),
        (
            "operator/add_advertiser",
            vec![
                ("adv_name", "Evil Corp".into()),
                ("website", "evil.example".into()),
                ("kind", "other".into()),
                ("contact_email", "a@evil.example".into()),
                ("disclosure", "x".into()),
            ],
        ),
        (
            "operator/advertiser_status",
            vec![("id", id.to_string()), ("change", "approve".into())],
        ),
        (
            "operator/ad_bars",
            vec![("slug", "ms".into()), ("pharma", "yes".into())],
        ),
    ];
    for (endpoint, form) in &calls {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app.call_as(&member, endpoint, &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "member at {endpoint}");
        let r = app.call_as(&visitor, endpoint, &form).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "visitor at {endpoint}");
    }
    // Nothing changed.
    let about = app.call_as(&visitor, "about", &[]).await.ok();
    assert_eq!(about["profile"]["configured"], false);
    assert!(names(&about).is_empty());
    assert!(about["bars"].as_array().is_some_and(Vec::is_empty));
}

async fn bad_input_is_reported_per_field(app: TestApp) {
    let admin = app.admin_with_community().await;
    let r = app
        .call_as(
            &admin,
            "operator/add_advertiser",
            &[
                ("adv_name", "N"),
                ("website", "http://plain.example.org"),
                ("kind", "casino"),
                ("contact_email", "nobody"),
                ("disclosure", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    for field in ["adv_name", "website", "kind", "contact_email", "disclosure"] {
        assert!(e.field_message(field).is_some(), "{field}: {e:?}");
    }
    assert!(e
        .field_message("website")
        .is_some_and(|m| m.contains("https://")));
    let long = "x".repeat(1001);
    let r = app
        .call_as(
            &admin,
            "operator/save_profile",
            &[("name", "Trust"), ("about", &long), ("ad_policy", "")],
        )
        .await;
    let e = r.error();
    assert!(e.field_message("about").is_some_and(|m| m.contains("1000")));
    assert!(e.field_message("ad_policy").is_some());
    assert_eq!(e.field_message("name"), None);
}

async fn communities_refuse_kinds_of_advertiser(app: TestApp) {
    let admin = app.admin_with_community().await;
    app.call_as(
        &admin,
        "operator/ad_bars",
        &[("slug", "ms"), ("pharma", "yes"), ("device", "yes")],
    )
    .await
    .ok();
    let about = app.call_as(&new_client(), "about", &[]).await.ok();
    let kinds: Vec<&str> = about["bars"]
        .as_array()
        .map(|b| b.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["Device", "Pharma"]);
    let admin_view = app.call_as(&admin, "operator/admin", &[]).await.ok();
    assert_eq!(
        admin_view["communities"][0]["barred"],
        serde_json::json!(["Device", "Pharma"])
    );
    // Saved again with one box: the other is lifted.
    app.call_as(
        &admin,
        "operator/ad_bars",
        &[("slug", "ms"), ("pharma", "yes")],
    )
    .await
    .ok();
    let about = app.call_as(&new_client(), "about", &[]).await.ok();
    assert_eq!(about["bars"].as_array().map(Vec::len), Some(1));
    let r = app
        .call_as(&admin, "operator/ad_bars", &[("slug", "nowhere")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
