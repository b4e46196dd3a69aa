//! The directory on both backends: clinic staff permissions, ratings and aggregates, review codes, replies and disputes, place search, contact requests.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    staff_permissions_and_change_log,
    one_rating_per_member_and_aggregates,
    review_codes_are_single_use_and_expire,
    own_staff_replies_and_disputes,
    search_filters_and_distance_order,
    contact_requests_stay_private,
    concurrent_ratings_all_land,
);

const PW: &str = "correct-horse-1";

pub(crate) async fn member(app: &TestApp, handle: &str) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    c
}

/// Creates a clinic as the admin with `owner` as its owner.
pub(crate) async fn clinic(
    app: &TestApp,
    admin: &Client,
    slug: &str,
    city: &str,
    lat: &str,
    lon: &str,
    owner: &str,
) {
    let name = format!("{} Clinic", slug.replace('-', " "));
    app.call_as(
        admin,
        "directory/create_clinic",
        &[
            ("name", name.as_str()),
            ("slug", slug),
            ("city", city),
            ("lat", lat),
            ("lon", lon),
            ("owner", owner),
        ],
    )
    .await
    .ok();
}

/// The profile form with every field; `extra` overrides or adds fields.
pub(crate) fn profile<'a>(slug: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("slug", slug),
        ("name", "Clinic"),
        ("description", ""),
        ("address", ""),
        ("city", "Berlin"),
        ("postal_code", "10117"),
        ("lat", "52.52"),
        ("lon", "13.405"),
        ("phone", ""),
        ("website", ""),
        ("opening_hours", ""),
        ("accepting", "yes"),
        ("colour", "teal"),
    ];
    for (k, v) in extra {
        f.retain(|(key, _)| key != k || k.ends_with("[]"));
        f.push((k, v));
    }
    f
}

pub(crate) async fn provider(app: &TestApp, c: &Client, slug: &str) -> Value {
    app.call_as(c, "provider", &[("slug", slug)]).await.ok()
}

async fn rate(
    app: &TestApp,
    c: &Client,
    slug: &str,
    fields: &[(&str, &str)],
) -> crate::common::Reply {
    let mut f = vec![("slug", slug), ("wait_minutes", ""), ("body", "")];
    for (k, v) in fields {
        f.retain(|(key, _)| key != k);
        f.push((k, v));
    }
    app.call_as(c, "directory/rate", &f).await
}

async fn staff_permissions_and_change_log(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    let helper = member(&app, "helper_h").await;
    let stranger = member(&app, "stranger_s").await;
    clinic(
        &app, &admin, "north", "Berlin", "52.52", "13.405", "owner_o",
    )
    .await;

    // Only an admin creates clinics.
    let e = app
        .call_as(
            &owner,
            "directory/create_clinic",
            &[
                ("name", "X"),
                ("slug", "x-clinic"),
                ("city", "B"),
                ("lat", ""),
                ("lon", ""),
                ("owner", "owner_o"),
            ],
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    // The creation is in the audit log, by the admin, naming the owner; the refused one is not.
    let log = app.call_as(&admin, "admin/audit_log", &[]).await.ok();
    let clinics: Vec<&Value> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "clinic.create")
        .collect();
    assert_eq!(clinics.len(), 1, "{log}");
    assert_eq!(clinics[0]["actor"], "root_admin");
    assert_eq!(clinics[0]["target"], "owner_o");
    assert_eq!(clinics[0]["detail"], "north Clinic (north), owner @owner_o");

    // The owner edits every field; a stranger may not.
    let fields = profile(
        "north",
        &[
            ("opening_hours", "Mon–Fri 8:00–16:00"),
            ("accepting", "no"),
            ("specialties[]", "neurology"),
            ("languages[]", "de"),
            ("languages[]", "en"),
            ("conditions[]", "ms"),
        ],
    );
    app.call_as(&owner, "directory/save", &fields).await.ok();
    let p = provider(&app, &stranger, "north").await;
    assert_eq!(p["opening_hours"], "Mon–Fri 8:00–16:00");
    assert_eq!(p["card"]["accepting"], false);
    assert_eq!(p["specialty_keys"], serde_json::json!(["neurology"]));
    assert_eq!(p["languages"], serde_json::json!(["de", "en"]));
    assert_eq!(p["conditions"][0]["slug"], "ms");
    // Strangers see no staff list and no change log.
    assert_eq!(p["staff"].as_array().map(Vec::len), Some(0));
    assert_eq!(p["changes"].as_array().map(Vec::len), Some(0));
    let e = app
        .call_as(
            &stranger,
            "directory/save",
            &profile("north", &[("name", "Hijacked")]),
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);

    // Bad input: each gets a field error.
    let e = app
        .call_as(
            &owner,
            "directory/save",
            &profile(
                "north",
                &[
                    ("lat", "91"),
                    ("website", "javascript:alert(1)"),
                    ("specialties[]", "astrology"),
                ],
            ),
        )
        .await
        .error();
    assert!(e.field_message("lat").is_some());
    assert!(e.field_message("website").is_some());
    assert!(e.field_message("specialties").is_some());

    // The owner adds staff; staff edit; a removed staff member cannot.
    let e = app
        .call_as(
            &helper,
            "directory/save",
            &profile("north", &[("name", "North Clinic")]),
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    app.call_as(
        &owner,
        "directory/staff",
        &[("slug", "north"), ("handle", "helper_h"), ("change", "add")],
    )
    .await
    .ok();
    // Joining the staff is the member's choice: nothing changes until they accept.
    let e = app
        .call_as(
            &helper,
            "directory/save",
            &profile("north", &[("name", "North Clinic")]),
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    assert_eq!(
        provider(&app, &helper, "north").await["my_invitations"],
        serde_json::json!(["Staff"])
    );
    app.call_as(
        &helper,
        "directory/invitation",
        &[("slug", "north"), ("role", "staff"), ("answer", "accept")],
    )
    .await
    .ok();
    app.call_as(
        &helper,
        "directory/save",
        &profile("north", &[("name", "North Clinic")]),
    )
    .await
    .ok();
    // Staff (not owners) cannot manage staff.
    let e = app
        .call_as(
            &helper,
            "directory/staff",
            &[
                ("slug", "north"),
                ("handle", "stranger_s"),
                ("change", "add"),
            ],
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    app.call_as(
        &owner,
        "directory/staff",
        &[
            ("slug", "north"),
            ("handle", "helper_h"),
            ("change", "remove"),
        ],
    )
    .await
    .ok();
    let e = app
        .call_as(
            &helper,
            "directory/save",
            &profile("north", &[("name", "Taken")]),
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    // The last owner stays.
    let e = app
        .call_as(
            &owner,
            "directory/staff",
            &[
                ("slug", "north"),
                ("handle", "owner_o"),
                ("change", "remove"),
            ],
        )
        .await
        .error();
    assert!(e.field_message("handle").is_some());

    // Every change is recorded with who made it; admins see the log.
    let p = provider(&app, &admin, "north").await;
    let log: Vec<String> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "@{} {}",
                c["actor"].as_str().unwrap(),
                c["summary"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        log.iter().any(|l| l.starts_with("@owner_o changed")
            && l.contains("opening hours")
            && l.contains("accepting new patients")),
        "{log:?}"
    );
    assert!(
        log.iter().any(|l| l.starts_with("@helper_h changed name")),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l == "@owner_o removed @helper_h from the staff"),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.starts_with("@root_admin created the clinic")),
        "{log:?}"
    );
    assert_eq!(p["card"]["name"], "North Clinic");
}

async fn one_rating_per_member_and_aggregates(app: TestApp) {
    let admin = app.admin_with_community().await;
    member(&app, "owner_o").await;
    let a = member(&app, "rater_a").await;
    let b = member(&app, "rater_b").await;
    clinic(
        &app, &admin, "north", "Berlin", "52.52", "13.405", "owner_o",
    )
    .await;

    rate(
        &app,
        &a,
        "north",
        &[
            ("stars", "4"),
            ("explains", "5"),
            ("wait_minutes", "20"),
            ("body", "Kind and clear."),
        ],
    )
    .await
    .ok();
    // Editing replaces the rating (one per member), keeping the history.
    rate(
        &app,
        &a,
        "north",
        &[
            ("stars", "2"),
            ("explains", "3"),
            ("wait_minutes", "40"),
            ("body", "Second visit was rushed."),
        ],
    )
    .await
    .ok();
    rate(&app, &b, "north", &[("stars", "5"), ("listens", "4")])
        .await
        .ok();
    let p = provider(&app, &a, "north").await;
    let r = &p["card"]["rating"];
    assert_eq!(r["count"], 2);
    assert_eq!(r["avg_x100"], 350);
    assert_eq!(r["histogram"], serde_json::json!([0, 1, 0, 0, 1]));
    assert_eq!(r["explains_x100"], 300);
    assert_eq!(r["listens_x100"], 400);
    assert_eq!(r["wait_minutes"], 40);
    assert_eq!(p["own_review"]["body"], "Second visit was rushed.");
    assert_eq!(p["own_review"]["versions"], 2);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 2);

    // Bad input: clear field errors.
    let e = rate(
        &app,
        &a,
        "north",
        &[("stars", "6"), ("explains", "9"), ("wait_minutes", "-5")],
    )
    .await
    .error();
    assert!(e.field_message("stars").is_some());
    assert!(e.field_message("explains").is_some());
    assert_eq!(
        e.field_message("wait_minutes").as_deref(),
        Some("A wait cannot be negative.")
    );
    let long = "x".repeat(4001);
    let e = rate(&app, &a, "north", &[("stars", "3"), ("body", &long)])
        .await
        .error();
    assert!(e.field_message("body").is_some());
    let e = rate(&app, &a, "north", &[]).await.error();
    assert!(e.field_message("stars").is_some());

    // Hiding a review after a report takes it out of the aggregates (and the public list).
    // A reviewer does not report their own review (the page offers them none to report).
    let own = p["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["author"] == "rater_b")
        .unwrap()["id"]
        .to_string();
    let e = app
        .call_as(
            &b,
            "directory/report",
            &[
                ("review", own.as_str()),
                ("kind", "report"),
                ("reason", "Mine"),
            ],
        )
        .await
        .error();
    assert!(e
        .field_message("reason")
        .is_some_and(|m| m.contains("your own review")));
    let page = app.html_as(&b, "/directory/north").await;
    assert_eq!(
        page.matches("What is wrong with this review?").count(),
        p["reviews"].as_array().map_or(0, |r| r.len() - 1),
        "the page offers a reviewer to report their own review"
    );
    let review_id = p["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["author"] == "rater_b")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    app.call_as(
        &a,
        "directory/report",
        &[
            ("review", review_id.as_str()),
            ("kind", "report"),
            ("reason", "Not a real visit"),
        ],
    )
    .await
    .ok();
    let reports = app.call_as(&admin, "directory/reports", &[]).await.ok();
    let report_id = reports[0]["id"].as_i64().unwrap().to_string();
    let e = app
        .call_as(
            &a,
            "directory/resolve",
            &[("report", report_id.as_str()), ("outcome", "hide")],
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    app.call_as(
        &admin,
        "directory/resolve",
        &[("report", report_id.as_str()), ("outcome", "hide")],
    )
    .await
    .ok();
    let p = provider(&app, &a, "north").await;
    assert_eq!(p["card"]["rating"]["count"], 1);
    assert_eq!(p["card"]["rating"]["avg_x100"], 200);
    assert_eq!(
        p["card"]["rating"]["histogram"],
        serde_json::json!([0, 1, 0, 0, 0])
    );
    assert!(p["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["author"] != "rater_b"));
    // The outcome is logged.
    let logged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'review.hide'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(logged, 1);
    assert_eq!(
        app.call_as(&admin, "directory/reports", &[]).await.ok(),
        serde_json::json!([])
    );
}

async fn review_codes_are_single_use_and_expire(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    let a = member(&app, "rater_a").await;
    let b = member(&app, "rater_b").await;
    clinic(
        &app, &admin, "north", "Berlin", "52.52", "13.405", "owner_o",
    )
    .await;
    clinic(&app, &admin, "south", "Berlin", "52.40", "13.40", "owner_o").await;

    let e = app
        .call_as(&a, "directory/code", &[("slug", "north")])
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    let code = app
        .call_as(&owner, "directory/code", &[("slug", "north")])
        .await
        .ok();
    let code = code.as_str().unwrap().to_string();
    assert_eq!(code.len(), 12, "{code}");

    // Wrong provider, then the right one (typed in lower case): verified.
    let e = rate(&app, &a, "south", &[("stars", "4"), ("code", &code)])
        .await
        .error();
    assert!(e.field_message("code").is_some());
    rate(
        &app,
        &a,
        "north",
        &[("stars", "4"), ("code", &code.to_lowercase())],
    )
    .await
    .ok();
    let p = provider(&app, &a, "north").await;
    assert_eq!(p["own_review"]["verified_visit"], true);
    // Reused: refused, and nothing is saved.
    let e = rate(&app, &b, "north", &[("stars", "5"), ("code", &code)])
        .await
        .error();
    assert_eq!(
        e.field_message("code").as_deref(),
        Some("This code has already been used.")
    );
    assert_eq!(
        provider(&app, &b, "north").await["card"]["rating"]["count"],
        1
    );
    // Expired.
    let old = app
        .call_as(&owner, "directory/code", &[("slug", "north")])
        .await
        .ok();
    sqlx::query("UPDATE review_codes SET expires_at = 1 WHERE used_at IS NULL")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let e = rate(
        &app,
        &b,
        "north",
        &[("stars", "5"), ("code", old.as_str().unwrap())],
    )
    .await
    .error();
    assert!(e.field_message("code").unwrap().contains("expired"));
    // Unknown.
    let e = rate(
        &app,
        &b,
        "north",
        &[("stars", "5"), ("code", "ZZZZ-ZZZZ-ZZ")],
    )
    .await
    .error();
    assert!(e.field_message("code").is_some());
    // Without a code the review is not verified.
    rate(&app, &b, "north", &[("stars", "5")]).await.ok();
    assert_eq!(
        provider(&app, &b, "north").await["own_review"]["verified_visit"],
        false
    );
}

async fn own_staff_replies_and_disputes(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    let a = member(&app, "rater_a").await;
    let other = member(&app, "other_x").await;
    let dr = member(&app, "dr_listed").await;
    sqlx::query("UPDATE users SET kind = 'clinician', clinician_status = 'verified', specialty = 'neurology' WHERE handle = 'dr_listed'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    clinic(
        &app, &admin, "north", "Berlin", "52.52", "13.405", "owner_o",
    )
    .await;

    // Own staff cannot rate their clinic, nor the clinicians listed there.
    let e = rate(&app, &owner, "north", &[("stars", "5")]).await.error();
    assert!(e.field_message("stars").is_some());
    let e = app
        .call_as(
            &owner,
            "directory/clinician",
            &[
                ("slug", "north"),
                ("clinician", "rater_a"),
                ("change", "add"),
            ],
        )
        .await
        .error();
    assert!(
        e.field_message("clinician").is_some(),
        "only verified clinicians are listed"
    );
    app.call_as(
        &owner,
        "directory/clinician",
        &[
            ("slug", "north"),
            ("clinician", "dr_listed"),
            ("change", "add"),
        ],
    )
    .await
    .ok();
    // Nothing is published until the clinician accepts.
    let r = app.call_as(&a, "provider", &[("slug", "dr_listed")]).await;
    assert_eq!(r.error(), AppError::NotFound);
    app.call_as(
        &dr,
        "directory/invitation",
        &[
            ("slug", "north"),
            ("role", "clinician"),
            ("answer", "accept"),
        ],
    )
    .await
    .ok();
    let e = rate(&app, &owner, "dr_listed", &[("stars", "5")])
        .await
        .error();
    assert!(e.field_message("stars").is_some());
    let e = rate(&app, &dr, "dr_listed", &[("stars", "5")])
        .await
        .error();
    assert!(e.field_message("stars").is_some());
    let p = provider(&app, &a, "dr_listed").await;
    assert_eq!(p["card"]["kind"], "Clinician");
    assert_eq!(p["linked"][0]["slug"], "north");
    assert_eq!(p["card"]["city"], "Berlin");

    rate(
        &app,
        &a,
        "north",
        &[("stars", "1"), ("body", "Never again.")],
    )
    .await
    .ok();
    let review_id = provider(&app, &a, "north").await["reviews"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let rid = review_id.as_str();

    // Only the provider replies.
    let e = app
        .call_as(
            &other,
            "directory/reply",
            &[("review", rid), ("body", "Hello")],
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    let e = app
        .call_as(&owner, "directory/reply", &[("review", rid), ("body", " ")])
        .await
        .error();
    assert!(e.field_message("reply").is_some());
    app.call_as(
        &owner,
        "directory/reply",
        &[
            ("review", rid),
            ("body", "We are sorry to read this. Please call us."),
        ],
    )
    .await
    .ok();
    let p = provider(&app, &other, "north").await;
    assert_eq!(
        p["reviews"][0]["reply"],
        "We are sorry to read this. Please call us."
    );

    // Only the provider disputes; the reviewer sees the note, others do not.
    let e = app
        .call_as(
            &other,
            "directory/report",
            &[
                ("review", rid),
                ("kind", "dispute"),
                ("reason", "Not our patient"),
            ],
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    app.call_as(
        &owner,
        "directory/report",
        &[
            ("review", rid),
            ("kind", "dispute"),
            ("reason", "We have no record of this visit."),
        ],
    )
    .await
    .ok();
    let mine = provider(&app, &a, "north").await;
    assert_eq!(mine["own_review"]["disputed"], true);
    assert_eq!(
        mine["own_review"]["dispute_note"],
        "We have no record of this visit."
    );
    let theirs = provider(&app, &other, "north").await;
    assert_eq!(theirs["reviews"][0]["disputed"], true);
    assert_eq!(theirs["reviews"][0]["dispute_note"], Value::Null);
    // The reviewer, and only the reviewer, is told what is asked of them.
    let told: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT n.user_id, n.text, n.link FROM notifications n WHERE n.kind = 'review_dispute'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let reviewer: i64 =
        sqlx::query_scalar(&format!("SELECT author_id FROM reviews WHERE id = {rid}"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].0, reviewer);
    assert!(
        told[0].1.contains("describe the treatment"),
        "{}",
        told[0].1
    );
    assert_eq!(told[0].2, format!("/directory/north#review-{rid}"));
    // The reviewer describes the treatment; the admin keeps the review.
    rate(
        &app,
        &a,
        "north",
        &[
            ("stars", "1"),
            ("body", "Never again."),
            ("treatment", "MRI follow-up in March."),
        ],
    )
    .await
    .ok();
    let reports = app.call_as(&admin, "directory/reports", &[]).await.ok();
    assert_eq!(reports[0]["kind"], "dispute");
    assert_eq!(reports[0]["review"]["treatment"], "MRI follow-up in March.");
    let report_id = reports[0]["id"].as_i64().unwrap().to_string();
    app.call_as(
        &admin,
        "directory/resolve",
        &[("report", report_id.as_str()), ("outcome", "keep")],
    )
    .await
    .ok();
    assert_eq!(
        provider(&app, &other, "north").await["card"]["rating"]["count"],
        1
    );
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'review.keep'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(kept, 1);

    // The page says it all without JavaScript.
    let (status, html) = app.get("/directory/north").await;
    assert_eq!(status, 200);
    assert!(html.contains("Reply from the provider"));
    assert!(html.contains("1.0 out of 5"));
    assert!(html.contains("Log in to rate"));
    // A visitor is shown where to ask for an appointment, and that it takes logging in.
    assert!(html.contains("Ask for an appointment or a call back"));
    assert!(html.contains("Log in to send a request"));
}

pub(crate) async fn search(app: &TestApp, fields: &[(&str, &str)]) -> crate::common::Reply {
    let keys = [
        "kind",
        "specialty",
        "condition",
        "language",
        "accepting",
        "place",
        "lat",
        "lon",
        "radius",
        "sort",
    ];
    let names: Vec<String> = keys.iter().map(|k| format!("query[{k}]")).collect();
    let form: Vec<(&str, &str)> = keys
        .iter()
        .zip(&names)
        .map(|(k, n)| {
            (
                n.as_str(),
                fields
                    .iter()
                    .find(|(f, _)| f == k)
                    .map(|(_, v)| *v)
                    .unwrap_or(""),
            )
        })
        .collect();
    app.call("directory", &form).await
}

pub(crate) fn slugs(v: &Value) -> Vec<String> {
    v["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_string())
        .collect()
}

async fn search_filters_and_distance_order(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    let rater = member(&app, "rater_a").await;
    // Known places: Berlin Mitte, Potsdam (~27 km), Berlin Spandau (~14 km), Hamburg (~255 km).
    clinic(
        &app, &admin, "mitte", "Berlin", "52.5200", "13.4050", "owner_o",
    )
    .await;
    clinic(
        &app, &admin, "potsdam", "Potsdam", "52.3906", "13.0645", "owner_o",
    )
    .await;
    clinic(
        &app, &admin, "spandau", "Berlin", "52.5353", "13.1976", "owner_o",
    )
    .await;
    clinic(
        &app, &admin, "hamburg", "Hamburg", "53.5511", "9.9937", "owner_o",
    )
    .await;
    let set = |slug: &'static str,
               city: &'static str,
               lat: &'static str,
               lon: &'static str,
               extra: Vec<(&'static str, &'static str)>| {
        let mut f = profile(
            slug,
            &[("city", city), ("lat", lat), ("lon", lon), ("name", slug)],
        );
        f.extend(extra);
        f
    };
    for f in [
        set(
            "mitte",
            "Berlin",
            "52.5200",
            "13.4050",
            vec![
                ("postal_code", "10117"),
                ("specialties[]", "neurology"),
                ("languages[]", "de"),
                ("conditions[]", "ms"),
            ],
        ),
        set(
            "potsdam",
            "Potsdam",
            "52.3906",
            "13.0645",
            vec![
                ("postal_code", "14467"),
                ("specialties[]", "neurology"),
                ("languages[]", "en"),
            ],
        ),
        set(
            "spandau",
            "Berlin",
            "52.5353",
            "13.1976",
            vec![
                ("postal_code", "13597"),
                ("specialties[]", "haematology"),
                ("languages[]", "de"),
                ("accepting", "no"),
            ],
        ),
        set(
            "hamburg",
            "Hamburg",
            "53.5511",
            "9.9937",
            vec![
                ("postal_code", "20095"),
                ("specialties[]", "neurology"),
                ("languages[]", "de"),
            ],
        ),
    ] {
        let mut f = f;
        // `profile` filled in defaults; the values set here replace them.
        for key in ["accepting", "postal_code"] {
            if f.iter().filter(|(k, _)| *k == key).count() > 1 {
                let i = f.iter().position(|(k, _)| *k == key).unwrap();
                f.remove(i);
            }
        }
        app.call_as(&owner, "directory/save", &f).await.ok();
    }
    rate(&app, &rater, "potsdam", &[("stars", "5")]).await.ok();
    rate(&app, &rater, "mitte", &[("stars", "3")]).await.ok();

    // Around a postal code (the mean position of the providers there): nearest first.
    let r = search(&app, &[("place", "10117"), ("radius", "50")])
        .await
        .ok();
    assert_eq!(slugs(&r), ["mitte", "spandau", "potsdam"], "{r}");
    // Around a city: Hamburg is outside 50 km of Berlin.
    let r = search(&app, &[("place", "Berlin"), ("radius", "50")])
        .await
        .ok();
    let mut s = slugs(&r);
    s.sort();
    assert_eq!(s, ["mitte", "potsdam", "spandau"], "{r}");
    assert_eq!(r["place_label"], "Berlin");
    // Around a position: distances are right (haversine).
    let r = search(
        &app,
        &[("lat", "52.5200"), ("lon", "13.4050"), ("radius", "100")],
    )
    .await
    .ok();
    assert_eq!(slugs(&r), ["mitte", "spandau", "potsdam"]);
    let d: Vec<f64> = r["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["distance_km"].as_f64().unwrap())
        .collect();
    assert!(
        d[0] < 0.01 && (d[1] - 14.1).abs() < 0.5 && (d[2] - 27.3).abs() < 0.7,
        "{d:?}"
    );
    let r = search(
        &app,
        &[("lat", "52.5200"), ("lon", "13.4050"), ("radius", "300")],
    )
    .await
    .ok();
    assert_eq!(slugs(&r), ["mitte", "spandau", "potsdam", "hamburg"]);
    // By rating within the radius.
    let r = search(
        &app,
        &[("place", "berlin"), ("radius", "50"), ("sort", "rating")],
    )
    .await
    .ok();
    assert_eq!(slugs(&r)[..2], ["potsdam", "mitte"]);
    // Filters.
    let r = search(
        &app,
        &[
            ("place", "10117"),
            ("radius", "50"),
            ("specialty", "neurology"),
        ],
    )
    .await
    .ok();
    assert_eq!(slugs(&r), ["mitte", "potsdam"]);
    let r = search(&app, &[("specialty", "neurology"), ("language", "de")])
        .await
        .ok();
    let mut s = slugs(&r);
    s.sort();
    assert_eq!(s, ["hamburg", "mitte"]);
    let r = search(
        &app,
        &[("place", "10117"), ("radius", "50"), ("accepting", "yes")],
    )
    .await
    .ok();
    assert_eq!(slugs(&r), ["mitte", "potsdam"]);
    let r = search(&app, &[("condition", "ms")]).await.ok();
    assert_eq!(slugs(&r), ["mitte"]);
    // Bad input.
    let e = search(&app, &[("specialty", "astrology")]).await.error();
    assert!(e.field_message("specialty").is_some());
    let e = search(&app, &[("lat", "91"), ("lon", "0")]).await.error();
    assert!(e.field_message("lat").is_some());
    let e = search(&app, &[("place", "Atlantis")]).await.error();
    assert!(e.field_message("place").unwrap().contains("Atlantis"));
    let e = search(&app, &[("place", "Berlin"), ("radius", "5000")])
        .await
        .error();
    assert!(e.field_message("radius").is_some());

    // The page works without JavaScript (a GET form) and states the no-paid-ranking rule.
    let (status, html) = app
        .get("/directory?specialty=neurology&place=Berlin&radius=50")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("No paid ranking"));
    assert!(
        html.contains("2 results within 50 km of Berlin"),
        "{}",
        &html[html.len().saturating_sub(3000)..]
    );
    // The site search has a providers tab.
    let r = app
        .call("search", &[("q", "potsdam"), ("tab", "providers")])
        .await
        .ok();
    assert_eq!(r["provider_count"], 1);
    assert_eq!(r["providers"][0]["slug"], "potsdam");
    let (_, html) = app.get("/search?q=neurology&tab=providers").await;
    let tab = html.find("Doctors and clinics").map(|i| &html[i..i + 80]);
    assert!(tab.is_some_and(|t| t.contains('3')), "tab count: {tab:?}");
    assert!(html.contains(r#"href="/directory/potsdam""#));
    // Community sidebars show rated providers for the condition.
    let (_, html) = app.get("/c/ms").await;
    assert!(html.contains("Rated by members") && html.contains("/directory/mitte"));
    // Best-rated first: a condition added after the rating (Potsdam, 5 stars) and ratings given
    // after the condition (Mitte, 3 stars; Hamburg, 2 stars, saved last) both count.
    for (slug, city, lat, lon, postal, language) in [
        ("potsdam", "Potsdam", "52.3906", "13.0645", "14467", "en"),
        ("hamburg", "Hamburg", "53.5511", "9.9937", "20095", "de"),
    ] {
        let f = profile(
            slug,
            &[
                ("name", slug),
                ("city", city),
                ("lat", lat),
                ("lon", lon),
                ("postal_code", postal),
                ("specialties[]", "neurology"),
                ("languages[]", language),
                ("conditions[]", "ms"),
            ],
        );
        app.call_as(&owner, "directory/save", &f).await.ok();
    }
    rate(&app, &rater, "hamburg", &[("stars", "2")]).await.ok();
    let (_, html) = app.get("/c/ms").await;
    let at = |slug: &str| html.find(&format!("href=\"/directory/{slug}\""));
    let order = [at("potsdam"), at("mitte"), at("hamburg")];
    assert!(
        order.iter().all(Option::is_some) && order.windows(2).all(|w| w[0] < w[1]),
        "sidebar order {order:?}"
    );
}

async fn contact_requests_stay_private(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    let other_owner = member(&app, "owner_p").await;
    let patient = member(&app, "patient_p").await;
    let nosy = member(&app, "nosy_n").await;
    clinic(
        &app, &admin, "north", "Berlin", "52.52", "13.405", "owner_o",
    )
    .await;
    clinic(&app, &admin, "south", "Berlin", "52.40", "13.40", "owner_p").await;

    app.verify_email("owner_o").await;
    let e = app
        .call_as(
            &patient,
            "directory/contact",
            &[
                ("slug", "north"),
                ("reason", " "),
                ("preferred_times", ""),
                ("contact_via", ""),
            ],
        )
        .await
        .error();
    assert!(e.field_message("reason").is_some() && e.field_message("contact_via").is_some());
    let id = app
        .call_as(
            &patient,
            "directory/contact",
            &[
                ("slug", "north"),
                ("reason", "New MS diagnosis, looking for a neurologist."),
                ("preferred_times", "Mornings"),
                ("contact_via", "Reply here"),
            ],
        )
        .await
        .ok();
    let id = id.as_i64().unwrap().to_string();
    // The clinic's staff are told in the app and by e-mail, without the member's reason; the
    // other clinic's are not.
    let told: Vec<String> = sqlx::query_scalar(
        "SELECT u.handle FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'request'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(told, ["owner_o"]);
    let mails: Vec<(String, String)> =
        sqlx::query_as("SELECT to_addr, body FROM outbox WHERE kind = 'request'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "owner_o@example.org");
    assert!(mails[0].1.contains("/directory/north/inbox") && !mails[0].1.contains("neurologist"));
    let anonymous = new_client();
    assert_eq!(
        app.call_as(&anonymous, "request", &[("id", id.as_str())])
            .await
            .error(),
        AppError::Unauthenticated
    );
    assert_eq!(
        app.call_as(&nosy, "request", &[("id", id.as_str())])
            .await
            .error(),
        AppError::NotFound
    );
    assert_eq!(
        app.call_as(&other_owner, "request", &[("id", id.as_str())])
            .await
            .error(),
        AppError::NotFound
    );
    assert_eq!(
        app.call_as(&other_owner, "directory/inbox", &[("slug", "north")])
            .await
            .error(),
        AppError::Forbidden
    );
    assert_eq!(
        app.call_as(
            &nosy,
            "request/answer",
            &[("id", id.as_str()), ("body", "hi")]
        )
        .await
        .error(),
        AppError::NotFound
    );

    let inbox = app
        .call_as(&owner, "directory/inbox", &[("slug", "north")])
        .await
        .ok();
    assert_eq!(inbox["clinic"], "north Clinic");
    assert_eq!(inbox["requests"][0]["member"], "patient_p");
    assert_eq!(inbox["requests"][0]["status"], "new");
    app.call_as(
        &owner,
        "request/answer",
        &[
            ("id", id.as_str()),
            ("body", "We can see you on Tuesday at 9:00."),
        ],
    )
    .await
    .ok();
    let t = app
        .call_as(&patient, "request", &[("id", id.as_str())])
        .await
        .ok();
    assert_eq!(t["summary"]["status"], "answered");
    assert_eq!(
        t["messages"][0]["body"],
        "We can see you on Tuesday at 9:00."
    );
    assert_eq!(t["messages"][0]["from_clinic"], true);
    let mine = app.call_as(&patient, "requests", &[]).await.ok();
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    assert_eq!(
        app.call_as(&nosy, "requests", &[]).await.ok(),
        serde_json::json!([])
    );
    app.call_as(
        &owner,
        "request/answer",
        &[("id", id.as_str()), ("body", ""), ("close", "yes")],
    )
    .await
    .ok();
    let t = app
        .call_as(&patient, "request", &[("id", id.as_str())])
        .await
        .ok();
    assert_eq!(t["summary"]["status"], "closed");
}

/// Many members rating at once: every write lands (SQLite write transactions take the lock up
/// front instead of failing with "database is locked").
async fn concurrent_ratings_all_land(app: TestApp) {
    let admin = app.admin_with_community().await;
    member(&app, "owner_o").await;
    clinic(
        &app, &admin, "north", "Berlin", "52.52", "13.405", "owner_o",
    )
    .await;
    let mut clients = Vec::new();
    for i in 0..12 {
        clients.push(member(&app, &format!("rater_{i}")).await);
    }
    let app = &app;
    let results = futures::future::join_all(clients.iter().enumerate().map(|(i, c)| async move {
        let stars = (i % 5 + 1).to_string();
        rate(
            app,
            c,
            "north",
            &[("stars", stars.as_str()), ("body", "Concurrent")],
        )
        .await
        .status
    }))
    .await;
    assert!(results.iter().all(|s| s.is_success()), "{results:?}");
    let p = provider(app, &clients[0], "north").await;
    assert_eq!(p["card"]["rating"]["count"], 12);
}
