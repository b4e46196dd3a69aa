//! Sponsored placements on both backends: only approved advertisers' campaigns render and a suspension reaches another process at once; targeting, schedule, refused kinds, caps and the per-visitor cap hold; the firewall holds on every private page kind (and the probe sees slots where they belong); the click redirect counts and refuses what is not https; the daily salt does not outlive its day.

use crate::common::{new_client, spawn_on, test_args, TestApp};
use reqwest::{header, Client, StatusCode};
use serde_json::Value;
use sqlx::Row;

both_backends!(
    only_approved_campaigns_render_and_suspension_reaches_every_process,
    targeting_schedule_and_refused_kinds_hold,
    caps_and_the_visitor_cap_hold_and_robots_do_not_count,
    the_firewall_holds_on_every_private_page,
    clicks_are_counted_and_only_https_is_followed,
    the_daily_salt_does_not_outlive_its_day,
    only_admins_run_campaigns_and_bad_input_is_per_field,
);

const PW: &str = "correct-horse-1";
const HEADLINE: &str = "Zebra sponsored headline";
const HOUSE: &str = "Quokka house promotion";

/// A browser of a person: a user agent (requests without one count as robots).
fn person(ua: &str) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(format!("Mozilla/5.0 (X11; Linux x86_64) {ua}"))
        .build()
        .expect("client")
}

async fn page(app: &TestApp, c: &Client, path: &str) -> String {
    let res = c
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.expect("body")
}

/// Whether a page carries any sponsored content (the markup or the campaign's words, which a
/// hydration payload would also carry).
fn sponsored(html: &str) -> bool {
    html.contains("data-sponsored") || html.contains(HEADLINE) || html.contains(HOUSE)
}

async fn advertiser(app: &TestApp, admin: &Client, name: &str, kind: &str) -> i64 {
    let site = format!("{}.example.org", name.to_lowercase().replace(' ', "-"));
    app.call_as(
        admin,
        "operator/add_advertiser",
        &[
            ("adv_name", name),
            ("website", &site),
            ("kind", kind),
            ("contact_email", &format!("ads@{site}")),
            ("disclosure", "Makes things for people with MS."),
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

async fn advertiser_status(app: &TestApp, admin: &Client, id: i64, change: &str) {
    app.call_as(
        admin,
        "operator/advertiser_status",
        &[("id", &id.to_string()), ("change", change)],
    )
    .await
    .ok();
}

/// Creates a campaign for `owner` (an advertiser id or "house") with `extra` fields over the
/// defaults (sidebar and feed, every community); returns its id.
async fn campaign(
    app: &TestApp,
    admin: &Client,
    owner: &str,
    headline: &str,
    extra: &[(&str, &str)],
) -> i64 {
    let mut form: Vec<(&str, &str)> = vec![
        ("advertiser", owner),
        ("camp_headline", headline),
        ("camp_body", "A short plain text."),
        ("camp_cta", "Learn more"),
        ("camp_url", "https://landing.example.org/ms"),
    ];
    if !extra.iter().any(|(k, _)| k.starts_with("in_")) {
        form.push(("in_feed", "yes"));
        form.push(("in_sidebar", "yes"));
    }
    for (k, v) in extra {
        match form.iter_mut().find(|(f, _)| f == k) {
            Some(slot) => slot.1 = v,
            None => form.push((k, v)),
        }
    }
    app.call_as(admin, "sponsored/create", &form).await.ok();
    sqlx::query("SELECT id FROM campaigns WHERE headline = $1 ORDER BY id DESC")
        .bind(headline)
        .fetch_one(&app.db.pool)
        .await
        .expect("campaign")
        .get("id")
}

async fn set_campaign(app: &TestApp, admin: &Client, id: i64, change: &str) -> StatusCode {
    app.call_as(
        admin,
        "sponsored/status",
        &[("id", &id.to_string()), ("change", change)],
    )
    .await
    .status
}

/// The slot's answer for a page: the headline shown, if any.
async fn slot(app: &TestApp, c: &Client, on: &str, community: &str) -> Option<String> {
    let v = app
        .call_as(c, "sponsored", &[("on", on), ("community", community)])
        .await
        .ok();
    v["headline"].as_str().map(str::to_string)
}

/// The admin's figures for campaign `id`: (impressions, clicks).
async fn figures(app: &TestApp, admin: &Client, id: i64) -> (i64, i64) {
    let v = app.call_as(admin, "sponsored/admin", &[]).await.ok();
    let c = v["campaigns"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["id"].as_i64() == Some(id)).cloned())
        .unwrap_or(Value::Null);
    (
        c["impressions"].as_i64().unwrap_or(-1),
        c["clicks"].as_i64().unwrap_or(-1),
    )
}

async fn community(app: &TestApp, admin: &Client, slug: &str, name: &str) {
    app.call_as(
        admin,
        "admin/save_community",
        &[
            ("current_slug", ""),
            ("slug", slug),
            ("name", name),
            ("description", "A community."),
            ("rules", ""),
            ("colour", "teal"),
        ],
    )
    .await
    .ok();
}

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

async fn post(app: &TestApp, c: &Client, title: &str, group: Option<&str>) -> i64 {
    let mut form = vec![
        ("community", "ms"),
        ("kind", "question"),
        ("title", title),
        ("body", "What helped you?"),
        ("tags", "fatigue"),
        ("visibility", "public"),
    ];
    if let Some(g) = group {
        form.push(("group", g));
    }
    app.call_as(c, "post/create", &form)
        .await
        .ok()
        .as_i64()
        .expect("post id")
}

async fn only_approved_campaigns_render_and_suspension_reaches_every_process(app: TestApp) {
    let admin = app.admin_with_community().await;
    let id = advertiser(&app, &admin, "Northbridge Pharma", "pharma").await;
    let camp = campaign(
        &app,
        &admin,
        &id.to_string(),
        HEADLINE,
        &[("targets[ms]", "yes")],
    )
    .await;
    let visitor = person("Firefox/130.0");

    let html = page(&app, &visitor, "/c/ms").await;
    assert!(
        !sponsored(&html),
        "a pending advertiser's campaign rendered"
    );

    advertiser_status(&app, &admin, id, "approve").await;
    let html = page(&app, &visitor, "/c/ms").await;
    assert!(html.contains("data-sponsored"), "approved campaign missing");
    assert!(html.contains("Sponsored · Northbridge Pharma"));
    assert!(
        html.contains(&format!("/go/{camp}?c=ms&amp;on=sidebar"))
            || html.contains(&format!("/go/{camp}?c=ms&on=sidebar"))
    );
    assert!(html.contains("rel=\"sponsored noopener external\""));
    assert!(html.contains("Why am I seeing this?"));

    // Another app process on the same database sees a suspension on its next render.
    let other = spawn_on(&app.db_url, test_args()).await;
    assert!(sponsored(&page(&other, &visitor, "/c/ms").await));
    advertiser_status(&app, &admin, id, "suspend").await;
    assert!(!sponsored(&page(&other, &visitor, "/c/ms").await));
    assert!(!sponsored(&page(&app, &visitor, "/c/ms").await));

    advertiser_status(&app, &admin, id, "approve").await;
    assert_eq!(
        set_campaign(&app, &admin, camp, "pause").await,
        StatusCode::OK
    );
    assert!(!sponsored(&page(&other, &visitor, "/c/ms").await));
    assert_eq!(
        set_campaign(&app, &admin, camp, "resume").await,
        StatusCode::OK
    );
    assert!(sponsored(&page(&other, &visitor, "/c/ms").await));
    assert_eq!(
        set_campaign(&app, &admin, camp, "end").await,
        StatusCode::OK
    );
    assert!(!sponsored(&page(&other, &visitor, "/c/ms").await));
    assert_eq!(
        set_campaign(&app, &admin, camp, "resume").await,
        StatusCode::NOT_FOUND,
        "an ended campaign came back"
    );

    // Every change is in the audit log.
    let actions: Vec<String> = sqlx::query("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .expect("audit")
        .iter()
        .map(|r| r.get("action"))
        .collect();
    for a in [
        "campaign_create",
        "campaign_paused",
        "campaign_active",
        "campaign_ended",
    ] {
        assert!(
            actions.iter().any(|x| x == a),
            "{a} not audited: {actions:?}"
        );
    }
}

async fn targeting_schedule_and_refused_kinds_hold(app: TestApp) {
    let admin = app.admin_with_community().await;
    community(&app, &admin, "cml", "Chronic Myeloid Leukaemia").await;
    let pharma = advertiser(&app, &admin, "Northbridge Pharma", "pharma").await;
    let charity = advertiser(&app, &admin, "Fatigue Foundation", "nonprofit").await;
    advertiser_status(&app, &admin, pharma, "approve").await;
    advertiser_status(&app, &admin, charity, "approve").await;
    let v = new_client();

    // Community targeting and placements.
    campaign(
        &app,
        &admin,
        &pharma.to_string(),
        "Pharma for MS",
        &[("targets[ms]", "yes"), ("in_sidebar", "yes")],
    )
    .await;
    assert_eq!(
        slot(&app, &v, "sidebar", "ms").await.as_deref(),
        Some("Pharma for MS")
    );
    assert_eq!(
        slot(&app, &v, "sidebar", "cml").await,
        None,
        "shown outside its community"
    );
    assert_eq!(
        slot(&app, &v, "feed", "ms").await,
        None,
        "shown in a placement not ticked"
    );
    assert_eq!(
        slot(&app, &v, "sidebar", "").await,
        None,
        "a targeted campaign on a page of no community"
    );

    // A community that refuses pharma gets the charity's, not the pharma campaign.
    app.call_as(
        &admin,
        "operator/ad_bars",
        &[("slug", "ms"), ("pharma", "yes")],
    )
    .await
    .ok();
    assert_eq!(slot(&app, &v, "sidebar", "ms").await, None);
    campaign(
        &app,
        &admin,
        &charity.to_string(),
        "Charity everywhere",
        &[("in_sidebar", "yes")],
    )
    .await;
    assert_eq!(
        slot(&app, &v, "sidebar", "ms").await.as_deref(),
        Some("Charity everywhere")
    );
    assert_eq!(
        slot(&app, &v, "sidebar", "").await.as_deref(),
        Some("Charity everywhere")
    );

    // Schedule: one that starts tomorrow and one that ended yesterday never show.
    let day = 86_400_000;
    let now = app::db::now_ms();
    let future = campaign(
        &app,
        &admin,
        &charity.to_string(),
        "Starts later",
        &[("in_directory", "yes")],
    )
    .await;
    sqlx::query("UPDATE campaigns SET starts_at = $1 WHERE id = $2")
        .bind(now + day)
        .bind(future)
        .execute(&app.db.pool)
        .await
        .expect("schedule");
    assert_eq!(
        slot(&app, &v, "directory", "").await,
        None,
        "shown before its start"
    );
    sqlx::query("UPDATE campaigns SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(now - 3 * day)
        .bind(now - day)
        .bind(future)
        .execute(&app.db.pool)
        .await
        .expect("schedule");
    assert_eq!(
        slot(&app, &v, "directory", "").await,
        None,
        "shown after its end"
    );
    sqlx::query("UPDATE campaigns SET ends_at = $1 WHERE id = $2")
        .bind(now + day)
        .bind(future)
        .execute(&app.db.pool)
        .await
        .expect("schedule");
    assert_eq!(
        slot(&app, &v, "directory", "").await.as_deref(),
        Some("Starts later")
    );

    // House promotions fill what no campaign fills, labelled as the operator's own.
    app.call_as(
        &admin,
        "operator/save_profile",
        &[
            ("name", "Thames Neurology Trust"),
            ("about", "A charity."),
            ("ad_policy", "Labelled."),
        ],
    )
    .await
    .ok();
    campaign(
        &app,
        &admin,
        "house",
        HOUSE,
        &[("in_feed", "yes"), ("camp_url", "/directory")],
    )
    .await;
    let r = app
        .call_as(&v, "sponsored", &[("on", "feed"), ("community", "cml")])
        .await
        .ok();
    assert_eq!(r["headline"], HOUSE);
    assert_eq!(r["label"], "From Thames Neurology Trust");
    assert_eq!(r["house"], true);

    // The in-feed slot comes after the 3rd post of the first page, not before.
    let m = member(&app, "poster_p").await;
    for t in ["First question here", "Second question here"] {
        post(&app, &m, t, None).await;
    }
    let html = page(&app, &v, "/c/ms").await;
    assert!(
        !html.contains("sponsored-feed"),
        "a feed slot with fewer than 3 posts"
    );
    post(&app, &m, "Third question here", None).await;
    post(&app, &m, "Fourth question here", None).await;
    let html = page(&app, &v, "/c/ms").await;
    let slot_at = html.find("sponsored-feed").expect("feed slot");
    let third = html.find("Second question here").expect("post");
    let fourth = html.find("First question here").expect("post");
    assert!(
        third < slot_at && slot_at < fourth,
        "the slot is not after the 3rd post"
    );
    // The visitor's own context never changes the choice: a member sees the same.
    let a = slot(&app, &m, "feed", "ms").await;
    let b = slot(&app, &v, "feed", "ms").await;
    assert_eq!(a, b);
}

async fn caps_and_the_visitor_cap_hold_and_robots_do_not_count(app: TestApp) {
    let admin = app.admin_with_community().await;
    let id = advertiser(&app, &admin, "Fatigue Foundation", "nonprofit").await;
    advertiser_status(&app, &admin, id, "approve").await;
    let total = campaign(
        &app,
        &admin,
        &id.to_string(),
        "Three in all",
        &[("in_directory", "yes"), ("total_cap", "3")],
    )
    .await;
    let robot = new_client();
    for _ in 0..5 {
        assert_eq!(
            slot(&app, &robot, "directory", "").await.as_deref(),
            Some("Three in all")
        );
    }
    assert_eq!(
        figures(&app, &admin, total).await,
        (0, 0),
        "robots were counted"
    );
    let alice = person("Firefox/130.0");
    for _ in 0..3 {
        assert_eq!(
            slot(&app, &alice, "directory", "").await.as_deref(),
            Some("Three in all")
        );
    }
    assert_eq!(
        slot(&app, &alice, "directory", "").await,
        None,
        "past its total cap"
    );
    assert_eq!(figures(&app, &admin, total).await, (3, 0));
    // After the counts reached the database (the admin's read flushed them) the cap still holds.
    assert_eq!(
        slot(&app, &person("Safari/17"), "directory", "").await,
        None
    );

    let daily = campaign(
        &app,
        &admin,
        &id.to_string(),
        "Two a day",
        &[("in_feed", "yes"), ("daily_cap", "2")],
    )
    .await;
    for ua in ["A/1", "B/1"] {
        assert_eq!(
            slot(&app, &person(ua), "feed", "").await.as_deref(),
            Some("Two a day")
        );
    }
    assert_eq!(
        slot(&app, &person("C/1"), "feed", "").await,
        None,
        "past its daily cap"
    );
    assert_eq!(figures(&app, &admin, daily).await.0, 2);

    campaign(
        &app,
        &admin,
        &id.to_string(),
        "Once per visitor",
        &[("in_sidebar", "yes"), ("visitor_cap", "1")],
    )
    .await;
    let (bob, carol) = (person("Bob/1"), person("Carol/1"));
    assert_eq!(
        slot(&app, &bob, "sidebar", "").await.as_deref(),
        Some("Once per visitor")
    );
    assert_eq!(
        slot(&app, &bob, "sidebar", "").await,
        None,
        "past the visitor cap"
    );
    assert_eq!(
        slot(&app, &carol, "sidebar", "").await.as_deref(),
        Some("Once per visitor")
    );
    app.call_as(&admin, "sponsored/admin", &[]).await.ok();
    assert_eq!(
        slot(&app, &bob, "sidebar", "").await,
        None,
        "the cap forgot after a flush"
    );
    // What is kept per visitor: a hash under today's salt, nothing else.
    let rows = sqlx::query("SELECT visitor FROM ad_seen")
        .fetch_all(&app.db.pool)
        .await
        .expect("seen");
    assert_eq!(rows.len(), 2);
    for r in rows {
        let v: String = r.get("visitor");
        assert_eq!(v.len(), 32);
        assert!(!v.contains("Bob") && !v.contains("127.0.0.1"));
    }
}

async fn the_firewall_holds_on_every_private_page(app: TestApp) {
    let admin = app.admin_with_community().await;
    let id = advertiser(&app, &admin, "Northbridge Pharma", "pharma").await;
    advertiser_status(&app, &admin, id, "approve").await;
    let every = [
        ("in_feed", "yes"),
        ("in_sidebar", "yes"),
        ("in_directory", "yes"),
    ];
    campaign(&app, &admin, &id.to_string(), HEADLINE, &every).await;
    let alice = member(&app, "alice_a").await;
    let bob = member(&app, "bob_b").await;
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'alice_a')")
        .execute(&app.db.pool)
        .await
        .expect("moderator");
    let public = post(&app, &alice, "A public question", None).await;
    for t in ["Second question", "Third question"] {
        post(&app, &alice, t, None).await;
    }
    let group = app
        .call_as(
            &alice,
            "group/create",
            &[
                ("community", "ms"),
                ("name", "Newly diagnosed"),
                ("description", "For people diagnosed in the last year."),
                ("kind", "open"),
                ("question", ""),
            ],
        )
        .await
        .ok()
        .as_str()
        .expect("group")
        .to_string();
    let in_group = post(&app, &alice, "A question in the group", Some(&group)).await;
    app.call_as(
        &alice,
        "messages/send",
        &[("to", "bob_b"), ("body", "Hello Bob")],
    )
    .await
    .ok();

    // The probe finds the slots where they belong (so it would find them anywhere else).
    for (c, path) in [
        (&alice, "/c/ms".to_string()),
        (&alice, format!("/p/{public}")),
        (&alice, "/library".to_string()),
        (&alice, "/directory".to_string()),
        (&alice, "/".to_string()),
    ] {
        assert!(sponsored(&page(&app, c, &path).await), "no slot on {path}");
    }
    // And nowhere private, for the member and for the admin.
    let private = [
        format!("/g/{group}"),
        format!("/g/{group}/new"),
        format!("/p/{in_group}"),
        "/messages".to_string(),
        "/messages/bob_b".to_string(),
        "/requests".to_string(),
        "/notifications".to_string(),
        "/settings".to_string(),
        "/invite".to_string(),
    ];
    for path in &private {
        for c in [&alice, &admin] {
            assert!(
                !sponsored(&page(&app, c, path).await),
                "sponsored content on {path}"
            );
        }
    }
    let _ = bob;
    for path in [
        "/admin",
        "/admin/operator",
        "/messages/reports",
        "/directory/reports",
    ] {
        let html = page(&app, &admin, path).await;
        assert!(
            !html.contains("data-sponsored"),
            "a sponsored slot on {path}"
        );
    }
    // Asked for directly, a support group's post has no slot either.
    let r = app
        .call_as(
            &alice,
            "sponsored",
            &[("on", "sidebar"), ("post", &in_group.to_string())],
        )
        .await
        .ok();
    assert!(r.is_null(), "a group post's slot was filled: {r}");
    let r = app
        .call_as(
            &alice,
            "sponsored",
            &[("on", "sidebar"), ("post", &public.to_string())],
        )
        .await
        .ok();
    assert_eq!(r["headline"], HEADLINE);
    // No e-mail carries sponsored content.
    for r in sqlx::query("SELECT body FROM outbox")
        .fetch_all(&app.db.pool)
        .await
        .expect("outbox")
    {
        let body: String = r.get("body");
        assert!(!sponsored(&body), "a mail carries sponsored content");
    }
}

async fn clicks_are_counted_and_only_https_is_followed(app: TestApp) {
    let admin = app.admin_with_community().await;
    let id = advertiser(&app, &admin, "Fatigue Foundation", "nonprofit").await;
    advertiser_status(&app, &admin, id, "approve").await;
    let camp = campaign(&app, &admin, &id.to_string(), HEADLINE, &[]).await;
    let go = |c: &Client, path: String| {
        let c = c.clone();
        let url = format!("{}{path}", app.base);
        async move { c.get(url).send().await.expect("go") }
    };
    let res = go(
        &person("Firefox/130.0"),
        format!("/go/{camp}?c=ms&on=sidebar"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        res.headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("https://landing.example.org/ms")
    );
    let res = go(&new_client(), format!("/go/{camp}?c=ms&on=sidebar")).await;
    assert_eq!(res.status(), StatusCode::FOUND, "robots are sent on too");
    assert_eq!(
        figures(&app, &admin, camp).await.1,
        1,
        "one click by a person"
    );
    let per_community: i64 = sqlx::query(
        "SELECT CAST(SUM(s.clicks) AS BIGINT) AS n FROM ad_stats s JOIN communities c ON c.id = s.community_id \
         WHERE c.slug = 'ms' AND s.placement = 'sidebar'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("stats")
    .get("n");
    assert_eq!(per_community, 1);

    // Plain http is refused at creation and, if it got into the database, at the redirect.
    let r = app
        .call_as(
            &admin,
            "sponsored/create",
            &[
                ("advertiser", &id.to_string()),
                ("camp_headline", "Plain http"),
                ("camp_body", "x"),
                ("camp_cta", "Go there"),
                ("camp_url", "http://plain.example.org"),
                ("in_feed", "yes"),
            ],
        )
        .await;
    assert!(r
        .error()
        .field_message("camp_url")
        .is_some_and(|m| m.contains("https")));
    sqlx::query("UPDATE campaigns SET url = 'http://plain.example.org' WHERE id = $1")
        .bind(camp)
        .execute(&app.db.pool)
        .await
        .expect("update");
    let res = go(&person("Firefox/130.0"), format!("/go/{camp}")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get(header::LOCATION).is_none());
    for bad in ["/go/999999", "/go/abc"] {
        assert_eq!(
            go(&new_client(), bad.to_string()).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    // A house promotion may lead to a page of this site.
    let house = campaign(&app, &admin, "house", HOUSE, &[("camp_url", "/directory")]).await;
    let res = go(&person("Firefox/130.0"), format!("/go/{house}")).await;
    assert_eq!(
        res.headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/directory")
    );
}

async fn the_daily_salt_does_not_outlive_its_day(app: TestApp) {
    let admin = app.admin_with_community().await;
    let id = advertiser(&app, &admin, "Fatigue Foundation", "nonprofit").await;
    advertiser_status(&app, &admin, id, "approve").await;
    campaign(
        &app,
        &admin,
        &id.to_string(),
        HEADLINE,
        &[("visitor_cap", "5")],
    )
    .await;
    let today = app::counting::day_of(app::db::now_ms());
    sqlx::query("INSERT INTO daily_salts (day, salt) VALUES ($1, 'yesterday-salt')")
        .bind(today - 1)
        .execute(&app.db.pool)
        .await
        .expect("old salt");
    sqlx::query(
        "INSERT INTO ad_seen (day, visitor, campaign_id, shown) VALUES ($1, 'old-visitor', 1, 1)",
    )
    .bind(today - 1)
    .execute(&app.db.pool)
    .await
    .expect("old count");
    assert!(sponsored(
        &page(&app, &person("Firefox/130.0"), "/c/ms").await
    ));
    let days: Vec<i64> = sqlx::query("SELECT day FROM daily_salts")
        .fetch_all(&app.db.pool)
        .await
        .expect("salts")
        .iter()
        .map(|r| r.get("day"))
        .collect();
    assert_eq!(days, vec![today], "yesterday's salt is still stored");
    let old: i64 = sqlx::query("SELECT COUNT(*) AS n FROM ad_seen WHERE day < $1")
        .bind(today)
        .fetch_one(&app.db.pool)
        .await
        .expect("seen")
        .get("n");
    assert_eq!(old, 0, "yesterday's per-visitor counts are still stored");
}

async fn only_admins_run_campaigns_and_bad_input_is_per_field(app: TestApp) {
    let admin = app.admin_with_community().await;
    let id = advertiser(&app, &admin, "Fatigue Foundation", "nonprofit").await;
    let camp = campaign(&app, &admin, &id.to_string(), HEADLINE, &[]).await;
    let m = member(&app, "mona_m").await;
    for c in [&m, &new_client()] {
        let r = app.call_as(c, "sponsored/admin", &[]).await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED),
            "{}",
            r.status
        );
        assert!(!r.body.contains(HEADLINE));
        let r = app
            .call_as(
                c,
                "sponsored/status",
                &[("id", &camp.to_string()), ("change", "end")],
            )
            .await;
        assert!(!r.status.is_success());
        let r = app
            .call_as(
                c,
                "sponsored/create",
                &[
                    ("advertiser", "house"),
                    ("camp_headline", "Evil campaign"),
                    ("camp_body", "x"),
                    ("camp_cta", "Click"),
                    ("camp_url", "https://evil.example"),
                    ("in_feed", "yes"),
                ],
            )
            .await;
        assert!(!r.status.is_success());
    }
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM campaigns")
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
        .get("n");
    assert_eq!(n, 1);

    let r = app
        .call_as(
            &admin,
            "sponsored/create",
            &[
                ("advertiser", "nobody"),
                ("camp_headline", "x"),
                ("camp_body", ""),
                ("camp_cta", ""),
                ("camp_url", "ftp://example.org"),
                ("camp_ends", "2001-01-01"),
                ("total_cap", "0"),
                ("cpm", "1.234"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    for field in [
        "advertiser",
        "camp_headline",
        "camp_body",
        "camp_cta",
        "camp_url",
        "camp_ends",
        "placements",
        "total_cap",
        "cpm",
    ] {
        assert!(e.field_message(field).is_some(), "{field}: {e:?}");
    }
    // An unknown community target is refused, not silently widened to every community.
    let r = app
        .call_as(
            &admin,
            "sponsored/create",
            &[
                ("advertiser", &id.to_string()),
                ("camp_headline", "Nowhere"),
                ("camp_body", "x"),
                ("camp_cta", "Go there"),
                ("camp_url", "https://example.org"),
                ("in_feed", "yes"),
                ("targets[no-such-community]", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
