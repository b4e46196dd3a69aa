//! Sponsor reports on both backends: the contact an admin links sees only their advertiser's campaigns, per day and per community, with figures below 10 as "< 10" (also in the JSON); other members get 403; linking is admins-only and audited.

use crate::common::{new_client, TestApp};
use reqwest::StatusCode;
use sqlx::Row;

both_backends!(
    the_contact_sees_only_their_campaigns_and_no_small_figures,
    only_admins_link_contacts,
);

async fn advertiser(app: &TestApp, name: &str) -> i64 {
    let id: i64 = sqlx::query(
        "INSERT INTO advertisers (name, website, kind, contact_email, disclosure, status, created_at, updated_at) \
         VALUES ($1, 'https://example.org', 'nonprofit', 'a@example.org', 'x', 'approved', 0, 0) RETURNING id",
    )
    .bind(name)
    .fetch_one(&app.db.pool)
    .await
    .expect("advertiser")
    .get("id");
    id
}

async fn campaign(app: &TestApp, advertiser: i64, headline: &str) -> i64 {
    sqlx::query(
        "INSERT INTO campaigns (advertiser_id, headline, body, cta, url, starts_at, in_feed, status, created_at, updated_at) \
         VALUES ($1, $2, 'x', 'Go', 'https://example.org', 0, 1, 'active', 0, 0) RETURNING id",
    )
    .bind(advertiser)
    .bind(headline)
    .fetch_one(&app.db.pool)
    .await
    .expect("campaign")
    .get("id")
}

async fn stats(app: &TestApp, campaign: i64, day: i64, community: i64, imp: i64, clk: i64) {
    sqlx::query(
        "INSERT INTO ad_stats (campaign_id, day, community_id, placement, impressions, clicks) VALUES ($1, $2, $3, 'feed', $4, $5)",
    )
    .bind(campaign)
    .bind(day)
    .bind(community)
    .bind(imp)
    .bind(clk)
    .execute(&app.db.pool)
    .await
    .expect("stats");
}

async fn the_contact_sees_only_their_campaigns_and_no_small_figures(app: TestApp) {
    let admin = app.admin_with_community().await;
    let ms: i64 = sqlx::query("SELECT id FROM communities WHERE slug = 'ms'")
        .fetch_one(&app.db.pool)
        .await
        .expect("ms")
        .get("id");
    let ours = advertiser(&app, "Northbridge Pharma").await;
    let theirs = advertiser(&app, "Rival Labs").await;
    let big = campaign(&app, ours, "Our big campaign").await;
    let small = campaign(&app, ours, "Our small campaign").await;
    let rival = campaign(&app, theirs, "Rival campaign").await;
    let today = app::counting::day_of(app::db::now_ms());
    stats(&app, big, today, ms, 1234, 37).await;
    stats(&app, big, today - 1, 0, 500, 7).await;
    stats(&app, small, today, ms, 7, 3).await;
    stats(&app, rival, today, ms, 99_999, 999).await;

    let sponsor = new_client();
    app.signup_as(&sponsor, "sponsor_s", "correct-horse-1")
        .await
        .ok();
    let r = app.call_as(&sponsor, "sponsor/report", &[]).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a member who is no contact saw a report"
    );
    assert!(
        !app.html_as(&sponsor, "/settings")
            .await
            .contains("href=\"/sponsor\""),
        "a member who is no contact has the sponsor link"
    );
    app.call_as(
        &admin,
        "sponsor/contact",
        &[("id", &ours.to_string()), ("contact", "@sponsor_s")],
    )
    .await
    .ok();

    // The contact's menu leads to their reports.
    assert!(
        app.html_as(&sponsor, "/settings")
            .await
            .contains("href=\"/sponsor\""),
        "the contact's menu has no link to their reports"
    );
    let r = app
        .call_as(&sponsor, "sponsor/report", &[("days", "7")])
        .await;
    let v = r.ok();
    assert_eq!(v["advertiser"], "Northbridge Pharma");
    let headlines: Vec<&str> = v["campaigns"]
        .as_array()
        .expect("campaigns")
        .iter()
        .filter_map(|c| c["headline"].as_str())
        .collect();
    assert_eq!(headlines, vec!["Our small campaign", "Our big campaign"]);
    assert!(
        !r.body.contains("Rival"),
        "another advertiser's campaign in the report"
    );
    assert!(
        !r.body.contains("99999")
            && !r.body.contains("root_admin")
            && !r.body.contains("sponsor_s")
    );
    let big_report = &v["campaigns"][1];
    assert_eq!(big_report["total"]["impressions"], "1734");
    assert_eq!(big_report["total"]["clicks"], "44");
    assert_eq!(big_report["total"]["ctr"], "2.5 %");
    let yesterday = &big_report["days"][1];
    assert_eq!(yesterday["impressions"], "500");
    assert_eq!(yesterday["clicks"], "< 10");
    assert_eq!(
        yesterday["ctr"], "–",
        "a CTR would give the hidden clicks away"
    );
    let small_report = &v["campaigns"][0];
    assert_eq!(small_report["total"]["impressions"], "< 10");
    assert_eq!(small_report["total"]["clicks"], "< 10");
    // The small figures never travel as numbers: not in the JSON, not in the page.
    fn figures(v: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    if k == "impressions" || k == "clicks" || k == "ctr" {
                        out.push(x.clone());
                    } else {
                        figures(x, out);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| figures(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    figures(&v, &mut all);
    assert!(all.len() > 10);
    for f in &all {
        let text = f.as_str().expect("figures travel as text");
        assert!(
            text.parse::<i64>().map_or(true, |n| n >= 10),
            "a figure below 10 reached the browser: {text}"
        );
    }
    let communities: Vec<&str> = big_report["communities"]
        .as_array()
        .expect("communities")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        communities,
        vec!["Multiple Sclerosis", "Pages of no community"]
    );
    let html = app.html_as(&sponsor, "/sponsor?days=7").await;
    assert!(html.contains("Your campaigns: Northbridge Pharma"));
    assert!(html.contains("&lt; 10"));
    assert!(!html.contains("Rival"));

    // Unlinked, the report is gone.
    app.call_as(
        &admin,
        "sponsor/contact",
        &[("id", &ours.to_string()), ("contact", "")],
    )
    .await
    .ok();
    assert_eq!(
        app.call_as(&sponsor, "sponsor/report", &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn only_admins_link_contacts(app: TestApp) {
    let admin = app.admin_with_community().await;
    let id = advertiser(&app, "Northbridge Pharma").await;
    let member = new_client();
    app.signup_as(&member, "mona_m", "correct-horse-1")
        .await
        .ok();
    let r = app
        .call_as(
            &member,
            "sponsor/contact",
            &[("id", &id.to_string()), ("contact", "mona_m")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_as(
            &admin,
            "sponsor/contact",
            &[("id", &id.to_string()), ("contact", "nobody_here")],
        )
        .await;
    assert!(r.error().field_message("contact").is_some());
    app.call_as(
        &admin,
        "sponsor/contact",
        &[("id", &id.to_string()), ("contact", "mona_m")],
    )
    .await
    .ok();
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'sponsor_contact'")
            .fetch_one(&app.db.pool)
            .await
            .expect("audit")
            .get("n");
    assert_eq!(audited, 1);
}
