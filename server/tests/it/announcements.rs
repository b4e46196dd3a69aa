//! The operator's announcements on both backends: site-wide ones on every page, a community's only on its pages, the schedule, dismissal for members (kept across sessions) and visitors (their cookie), ending one, admins only, and the banners in the server-rendered page.

use crate::common::{new_client, TestApp};
use reqwest::{Client, StatusCode};
use sqlx::Row;

both_backends!(
    announcements_follow_place_and_schedule,
    readers_dismiss_them,
    only_admins_announce,
);

const DAY: i64 = 86_400_000;

async fn announce(app: &TestApp, admin: &Client, form: &[(&str, &str)]) -> crate::common::Reply {
    app.call_as(admin, "announcements/create", form).await
}

async fn titles(app: &TestApp, c: &Client, community: &str) -> Vec<String> {
    app.call_as(c, "announcements", &[("community", community)])
        .await
        .ok()["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["title"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn id_of(app: &TestApp, title: &str) -> i64 {
    sqlx::query("SELECT id FROM announcements WHERE title = $1")
        .bind(title)
        .fetch_one(&app.db.pool)
        .await
        .expect("announcement")
        .get("id")
}

/// A day as the date field sends it, `days` from today (UTC).
fn day(days: i64) -> String {
    let ms = (app::db::now_ms().div_euclid(DAY) + days) * DAY;
    let (y, m, d) = civil(ms.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

async fn announcements_follow_place_and_schedule(app: TestApp) {
    let admin = app.admin_with_community().await;
    let visitor = new_client();
    announce(
        &app,
        &admin,
        &[
            ("ann_title", "Helpline closed on Friday"),
            ("ann_body", "Call 111 instead."),
            ("severity", "important"),
            ("community", ""),
        ],
    )
    .await
    .ok();
    announce(
        &app,
        &admin,
        &[
            ("ann_title", "MS nurse live chat"),
            ("ann_body", "Thursday at 6 pm."),
            ("severity", "info"),
            ("community", "ms"),
        ],
    )
    .await
    .ok();
    let tomorrow = day(1);
    announce(
        &app,
        &admin,
        &[
            ("ann_title", "Starts tomorrow"),
            ("ann_body", "Not yet."),
            ("severity", "info"),
            ("community", ""),
            ("starts", tomorrow.as_str()),
        ],
    )
    .await
    .ok();
    // Site-wide everywhere, important first; the community's only on its pages; the scheduled
    // one not yet.
    assert_eq!(
        titles(&app, &visitor, "").await,
        ["Helpline closed on Friday"]
    );
    assert_eq!(
        titles(&app, &visitor, "ms").await,
        ["Helpline closed on Friday", "MS nurse live chat"]
    );
    // In the server-rendered page, labelled with who it is from.
    app.call_as(
        &admin,
        "operator/save_profile",
        &[
            ("name", "Thames Neurology Trust"),
            ("about", "A charity."),
            ("ad_policy", "None."),
        ],
    )
    .await
    .ok();
    let (status, html) = app.get("/c/ms").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("MS nurse live chat"), "{html}");
    assert!(html.contains("From Thames Neurology Trust"));
    let (_, home) = app.get("/").await;
    assert!(home.contains("Helpline closed on Friday"));
    assert!(!home.contains("MS nurse live chat"));
    // Once its day has come, the scheduled one shows.
    sqlx::query(
        "UPDATE announcements SET starts_at = starts_at - $1 WHERE title = 'Starts tomorrow'",
    )
    .bind(DAY)
    .execute(&app.db.pool)
    .await
    .expect("move the schedule");
    assert_eq!(titles(&app, &visitor, "").await.len(), 2);
    // Ended now: gone on the next request.
    let id = id_of(&app, "Helpline closed on Friday").await;
    app.call_as(&admin, "announcements/end", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(titles(&app, &visitor, "").await, ["Starts tomorrow"]);
    let r = app
        .call_as(&admin, "announcements/end", &[("id", &id.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "already ended");
    let listed = app.call_as(&admin, "announcements/admin", &[]).await.ok();
    let states: Vec<&str> = listed
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["state"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(states, ["Showing", "Showing", "Ended"]);
    // Bad input: field errors.
    let r = announce(
        &app,
        &admin,
        &[
            ("ann_title", "x"),
            ("ann_body", ""),
            ("severity", "urgent"),
            ("community", "nowhere"),
            ("starts", "2026-02-30"),
            ("ends", "yesterday"),
        ],
    )
    .await;
    let e = r.error();
    for field in ["ann_title", "ann_body", "severity", "starts", "ends"] {
        assert!(e.field_message(field).is_some(), "{field}: {e:?}");
    }
    let yesterday = day(-1);
    let r = announce(
        &app,
        &admin,
        &[
            ("ann_title", "Old news"),
            ("ann_body", "Past."),
            ("severity", "info"),
            ("community", "nowhere"),
            ("starts", yesterday.as_str()),
            ("ends", yesterday.as_str()),
        ],
    )
    .await;
    assert!(r.error().field_message("ends").is_some());
    let r = announce(
        &app,
        &admin,
        &[
            ("ann_title", "Somewhere else"),
            ("ann_body", "Where?"),
            ("severity", "info"),
            ("community", "nowhere"),
        ],
    )
    .await;
    assert!(r.error().field_message("community").is_some());
}

async fn readers_dismiss_them(app: TestApp) {
    let admin = app.admin_with_community().await;
    for t in ["First news", "Second news"] {
        announce(
            &app,
            &admin,
            &[
                ("ann_title", t),
                ("ann_body", "Read me."),
                ("severity", "info"),
                ("community", ""),
            ],
        )
        .await
        .ok();
    }
    let first = id_of(&app, "First news").await.to_string();
    // A member's dismissal is kept for their account, on every device.
    let member = new_client();
    app.signup_as(&member, "nina_n", "correct-horse-1")
        .await
        .ok();
    app.call_as(&member, "announcements/dismiss", &[("id", &first)])
        .await
        .ok();
    assert_eq!(titles(&app, &member, "").await, ["Second news"]);
    let phone = new_client();
    app.login(&phone, "nina_n", "correct-horse-1").await.ok();
    assert_eq!(titles(&app, &phone, "").await, ["Second news"]);
    // A visitor's is kept in their browser's cookie, and only there.
    let visitor = new_client();
    let r = app
        .call_as(&visitor, "announcements/dismiss", &[("id", &first)])
        .await;
    assert!(r
        .cookies()
        .iter()
        .any(|c| c.starts_with("hc_dismissed=") && c.contains("HttpOnly")));
    assert_eq!(titles(&app, &visitor, "").await, ["Second news"]);
    assert_eq!(titles(&app, &new_client(), "").await.len(), 2);
    // Dismissing what does not exist is a 404, and stores nothing.
    let r = app
        .call_as(&visitor, "announcements/dismiss", &[("id", "999999")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let listed = app.call_as(&admin, "announcements/admin", &[]).await.ok();
    let counts: Vec<i64> = listed
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["dismissed"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(
        counts,
        [0, 1],
        "newest first: one member dismissed the first"
    );
}

async fn only_admins_announce(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let member = new_client();
    app.signup_as(&member, "otto_o", "correct-horse-1")
        .await
        .ok();
    let form = [
        ("ann_title", "Fake news"),
        ("ann_body", "Buy now."),
        ("severity", "important"),
        ("community", ""),
    ];
    assert_eq!(
        announce(&app, &member, &form).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        announce(&app, &new_client(), &form).await.status,
        StatusCode::UNAUTHORIZED
    );
    for endpoint in ["announcements/admin", "announcements/end"] {
        let r = app.call_as(&member, endpoint, &[("id", "1")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{endpoint}");
    }
    assert!(titles(&app, &new_client(), "").await.is_empty());
}
