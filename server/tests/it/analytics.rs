//! First-party traffic figures on both backends: page views counted in memory by two processes add up in the database; robots, errors, server functions and admin pages are not counted; visitors are one per browser per day under the shared daily salt and become a number once the day is over; members active per day, week and month; searches that found nothing; referrers are domains of other sites; the dashboard and its CSV are for admins only and show what was counted.

use crate::common::{new_client, spawn_on, test_args, TestApp};
use reqwest::{header, Client, StatusCode};
use sqlx::Row;

both_backends!(
    page_views_from_two_processes_add_up,
    what_is_not_a_person_or_a_page_is_not_counted,
    the_dashboard_and_its_csv_are_for_admins,
    yesterdays_visitors_become_a_number,
    members_active_per_day_week_and_month,
    searches_that_found_nothing_are_content_gaps,
    counting_can_be_switched_off,
    top_pages_are_named_as_a_visitor_would_read_them,
);

fn person(ua: &str) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(format!("Mozilla/5.0 (X11; Linux x86_64) {ua}"))
        .build()
        .expect("client")
}

async fn open(app: &TestApp, c: &Client, path: &str, referer: Option<&str>) -> StatusCode {
    let mut req = c.get(format!("{}{path}", app.base));
    if let Some(r) = referer {
        req = req.header(header::REFERER, r);
    }
    req.send().await.expect("request").status()
}

/// The dashboard of the last 7 days, which flushes `app`'s counts first.
async fn dashboard(app: &TestApp, admin: &Client) -> serde_json::Value {
    app.call_as(admin, "analytics", &[("days", "7")]).await.ok()
}

/// Flushes `app`'s counts (the admin's dashboard adds its own process's counts first).
async fn flush(app: &TestApp, admin: &Client) {
    dashboard(app, admin).await;
}

async fn views(app: &TestApp, kind: &str) -> i64 {
    sqlx::query(
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) AS n FROM traffic_pages WHERE kind = $1",
    )
    .bind(kind)
    .fetch_one(&app.db.pool)
    .await
    .expect("views")
    .get("n")
}

/// The dashboard's table whose title starts with `title`.
fn table_titled(d: &serde_json::Value, title: &str) -> serde_json::Value {
    d["tables"]
        .as_array()
        .and_then(|t| {
            t.iter()
                .find(|t| t["title"].as_str().is_some_and(|s| s.starts_with(title)))
        })
        .cloned()
        .unwrap_or_else(|| panic!("no table {title:?} in {d}"))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
        .get("n")
}

async fn page_views_from_two_processes_add_up(app: TestApp) {
    let admin = app.admin_with_community().await;
    let other = spawn_on(&app.db_url, test_args()).await;
    let other_admin = new_client();
    other
        .login(&other_admin, "root_admin", "correct-horse-1")
        .await
        .ok();
    let alice = person("Firefox/130.0");
    for _ in 0..3 {
        assert_eq!(open(&app, &alice, "/c/ms", None).await, StatusCode::OK);
    }
    for _ in 0..2 {
        assert_eq!(open(&other, &alice, "/c/ms", None).await, StatusCode::OK);
    }
    // Nothing reached the database yet: counting adds no write per page.
    assert_eq!(views(&app, "community").await, 0);
    flush(&app, &admin).await;
    assert_eq!(views(&app, "community").await, 3);
    flush(&other, &other_admin).await;
    assert_eq!(
        views(&app, "community").await,
        5,
        "the two processes do not add up"
    );
    let ms: i64 = count(
        &app,
        "SELECT CAST(COALESCE(SUM(t.views), 0) AS BIGINT) AS n FROM traffic_pages t \
         JOIN communities c ON c.id = t.community_id WHERE c.slug = 'ms'",
    )
    .await;
    assert_eq!(ms, 5, "page views are not counted for their community");
    // One browser on both processes is one visitor (the salt is shared); another is a second.
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM traffic_visitors").await,
        1
    );
    open(&other, &person("Safari/17"), "/", None).await;
    flush(&other, &other_admin).await;
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM traffic_visitors").await,
        2
    );
    // A page the app showed without a page load counts too, through `seen`.
    app.call_as(&alice, "seen", &[("path", "/c/ms")]).await.ok();
    flush(&app, &admin).await;
    assert_eq!(views(&app, "community").await, 6);
    // The dashboard shows today's figures.
    let d = app
        .call_as(&admin, "analytics", &[("days", "7")])
        .await
        .ok();
    let series = &d["traffic"][0];
    assert_eq!(series["key"], "page_views");
    let last = series["values"]
        .as_array()
        .and_then(|v| v.last())
        .and_then(|v| v.as_i64());
    assert_eq!(last, Some(7), "{series}");
    assert_eq!(
        d["traffic"][1]["values"]
            .as_array()
            .and_then(|v| v.last())
            .and_then(|v| v.as_i64()),
        Some(2)
    );
}

async fn what_is_not_a_person_or_a_page_is_not_counted(app: TestApp) {
    let admin = app.admin_with_community().await;
    let robot = new_client();
    let alice = person("Firefox/130.0");
    open(&app, &robot, "/c/ms", None).await;
    open(&app, &person("Googlebot/2.1"), "/c/ms", None).await;
    assert_eq!(
        open(&app, &alice, "/c/no-such-community", None).await,
        StatusCode::NOT_FOUND
    );
    open(&app, &alice, "/admin", None).await;
    open(&app, &alice, "/healthz", None).await;
    app.call_as(&alice, "seen", &[("path", "/admin/operator")])
        .await
        .ok();
    app.call_as(&alice, "seen", &[("path", "/p/999999")])
        .await
        .ok();
    app.call_as(&robot, "seen", &[("path", "/c/ms")]).await.ok();
    flush(&app, &admin).await;
    let all = count(
        &app,
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) AS n FROM traffic_pages",
    )
    .await;
    assert_eq!(
        all, 0,
        "something that is not a person's page view was counted"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM traffic_paths").await,
        0
    );

    // Referrers: the domain of another site, never this one's own pages.
    open(
        &app,
        &alice,
        "/c/ms",
        Some("https://www.google.com/search?q=ms+fatigue"),
    )
    .await;
    let own = format!("{}/c", app.base);
    open(&app, &alice, "/c/ms", Some(&own)).await;
    flush(&app, &admin).await;
    let rows: Vec<(String, i64)> = sqlx::query("SELECT domain, visits FROM traffic_referrers")
        .fetch_all(&app.db.pool)
        .await
        .expect("referrers")
        .iter()
        .map(|r| (r.get("domain"), r.get("visits")))
        .collect();
    assert_eq!(rows, vec![("google.com".to_string(), 1)]);
    // No search words, no address beyond the domain, and the public page's address only.
    let paths: Vec<String> = sqlx::query("SELECT path FROM traffic_paths")
        .fetch_all(&app.db.pool)
        .await
        .expect("paths")
        .iter()
        .map(|r| r.get("path"))
        .collect();
    assert_eq!(paths, vec!["/c/ms".to_string()]);
    // A member's own pages are counted by kind, never by address.
    let m = person("Member/1");
    app.signup_as(&m, "mona_m", "correct-horse-1").await.ok();
    open(&app, &m, "/messages", None).await;
    flush(&app, &admin).await;
    assert_eq!(views(&app, "account").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM traffic_paths WHERE path LIKE '/messages%'"
        )
        .await,
        0
    );
}

async fn the_dashboard_and_its_csv_are_for_admins(app: TestApp) {
    let admin = app.admin_with_community().await;
    open(&app, &person("Firefox/130.0"), "/c/ms", None).await;
    let member = new_client();
    app.signup_as(&member, "mona_m", "correct-horse-1")
        .await
        .ok();
    for c in [&member, &new_client()] {
        let r = app.call_as(c, "analytics", &[("days", "30")]).await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED),
            "{}",
            r.status
        );
        let res = c
            .get(format!("{}/admin/analytics.csv", app.base))
            .send()
            .await
            .expect("csv");
        assert!(matches!(
            res.status(),
            StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED
        ));
        assert!(!res.text().await.unwrap_or_default().contains("page_views"));
    }
    let res = admin
        .get(format!(
            "{}/admin/analytics.csv?days=7&community=ms",
            app.base
        ))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv")));
    let csv = res.text().await.expect("body");
    let today = app::analytics::types::day_label(app::counting::day_of(app::db::now_ms()));
    assert!(csv.starts_with("series,day,value\n"));
    assert!(csv.contains(&format!("page_views,{today},1\n")), "{csv}");
    for key in ["posts", "replies", "impressions", "clicks", "new_members"] {
        assert!(csv.contains(&format!("\n{key},")), "{key} missing");
    }
    assert_eq!(
        csv.lines().filter(|l| l.starts_with("page_views,")).count(),
        7
    );
    let r = app
        .call_as(
            &admin,
            "analytics",
            &[("days", "30"), ("community", "no-such")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The page renders for the admin, with a chart's title and its numbers.
    let html = admin
        .get(format!("{}/admin/analytics?days=7", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(html.contains("<svg"));
    assert!(html.contains("Page views and visitors per day"));
    assert!(html.contains("The numbers"));
    // A range to today ends on the day so far, drawn faint and said so; one in the past does not.
    assert_eq!(dashboard(&app, &admin).await["today_so_far"], true);
    assert!(html.contains("chart-partial") && html.contains("today so far"));
    let today = app::counting::day_of(app::db::now_ms());
    let (first, past) = (
        app::analytics::types::day_label(today - 13),
        app::analytics::types::day_label(today - 3),
    );
    let d = app
        .call_as(
            &admin,
            "analytics",
            &[("from", first.as_str()), ("to", past.as_str())],
        )
        .await
        .ok();
    assert_eq!(d["today_so_far"], false);
    let html = app
        .html_as(&admin, &format!("/admin/analytics?from={first}&to={past}"))
        .await;
    assert!(html.contains("Page views and visitors per day") && !html.contains("chart-partial"));
}

async fn yesterdays_visitors_become_a_number(app: TestApp) {
    let today = app::counting::day_of(app::db::now_ms());
    for v in ["a", "b"] {
        sqlx::query("INSERT INTO traffic_visitors (day, visitor) VALUES ($1, $2)")
            .bind(today - 1)
            .bind(v)
            .execute(&app.db.pool)
            .await
            .expect("visitor");
    }
    // The first page of the day (in this process) rotates the salt and closes the old days.
    open(&app, &person("Firefox/130.0"), "/", None).await;
    let n: i64 = sqlx::query("SELECT visitors FROM traffic_days WHERE day = $1")
        .bind(today - 1)
        .fetch_one(&app.db.pool)
        .await
        .expect("closed day")
        .get("visitors");
    assert_eq!(n, 2);
    let left = count(
        &app,
        &format!("SELECT COUNT(*) AS n FROM traffic_visitors WHERE day < {today}"),
    )
    .await;
    assert_eq!(left, 0, "yesterday's visitor hashes outlived the day");
}

fn last_of(v: &serde_json::Value) -> Option<i64> {
    v["values"]
        .as_array()
        .and_then(|v| v.last())
        .and_then(|v| v.as_i64())
}

async fn user_id(app: &TestApp, handle: &str) -> i64 {
    sqlx::query("SELECT id FROM users WHERE handle = $1")
        .bind(handle)
        .fetch_one(&app.db.pool)
        .await
        .expect("user")
        .get("id")
}

async fn members_active_per_day_week_and_month(app: TestApp) {
    let admin = app.admin_with_community().await;
    let today = app::counting::day_of(app::db::now_ms());
    let mut ids = Vec::new();
    for handle in ["alice_a", "bob_b", "carol_c", "dan_d", "eve_e"] {
        let c = person(handle);
        app.signup_as(&c, handle, "correct-horse-1").await.ok();
        open(&app, &c, "/", None).await;
        ids.push(user_id(&app, handle).await);
    }
    // Counted in memory, written with the next batch; once per member and day.
    flush(&app, &admin).await;
    let today_rows = count(
        &app,
        &format!(
            "SELECT COUNT(*) AS n FROM member_days WHERE day = {today} AND user_id IN ({}, {}, {}, {}, {})",
            ids[0], ids[1], ids[2], ids[3], ids[4]
        ),
    )
    .await;
    assert_eq!(
        today_rows, 5,
        "members who opened pages today were not counted"
    );

    // A month of history: alice yesterday and 40 days ago, bob 3 days ago, carol 20 days ago,
    // dan 8 days ago (outside yesterday's week), eve 31 days ago (outside yesterday's month);
    // today only alice (and the admin who reads the dashboard).
    sqlx::query("DELETE FROM member_days")
        .execute(&app.db.pool)
        .await
        .expect("clear");
    for (back, who) in [(0, 0), (1, 0), (40, 0), (3, 1), (20, 2), (8, 3), (31, 4)] {
        sqlx::query("INSERT INTO member_days (day, user_id) VALUES ($1, $2)")
            .bind(today - back)
            .bind(ids[who])
            .execute(&app.db.pool)
            .await
            .expect("history");
    }
    app::counting::close_member_days(&app.db, today)
        .await
        .expect("close");
    let closed: (i64, i64, i64) =
        sqlx::query("SELECT dau, wau, mau FROM traffic_members WHERE day = $1")
            .bind(today - 1)
            .fetch_one(&app.db.pool)
            .await
            .map(|r| (r.get("dau"), r.get("wau"), r.get("mau")))
            .expect("yesterday closed");
    assert_eq!(
        closed,
        (1, 2, 4),
        "yesterday: alice; the week adds bob; the month carol and dan"
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM traffic_members WHERE day >= {today}")
        )
        .await,
        0,
        "today was closed before it ended"
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) AS n FROM member_days WHERE day <= {}",
                today - 30
            )
        )
        .await,
        0,
        "member rows outlived the rolling month"
    );
    // Closing again (another process) changes nothing.
    app::counting::close_member_days(&app.db, today)
        .await
        .expect("close twice");
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) AS n FROM traffic_members WHERE day = {}",
                today - 1
            )
        )
        .await,
        1
    );

    // The dashboard: yesterday's totals and today's live figures (alice and the admin).
    let d = app
        .call_as(&admin, "analytics", &[("days", "7")])
        .await
        .ok();
    let members = d["members"].as_array().expect("members series");
    assert_eq!(members.len(), 3);
    assert_eq!(members[0]["key"], "members_day");
    let at = |i: usize, back: usize| {
        let v = members[i]["values"].as_array().expect("values");
        v[v.len() - 1 - back].as_i64()
    };
    assert_eq!((at(0, 1), at(1, 1), at(2, 1)), (Some(1), Some(2), Some(4)));
    assert_eq!(last_of(&members[0]), Some(2), "{}", members[0]);
    assert_eq!(last_of(&members[1]), Some(3), "{}", members[1]);
    assert_eq!(last_of(&members[2]), Some(5), "{}", members[2]);
    let table = table_titled(&d, "Members active");
    assert_eq!(table["rows"][3]["values"][0], "40 %", "{table}");
    // Per community there is no such series (activity is counted for the site).
    let d = app
        .call_as(&admin, "analytics", &[("days", "7"), ("community", "ms")])
        .await
        .ok();
    assert_eq!(d["members"].as_array().map(Vec::len), Some(0));
    let csv = admin
        .get(format!("{}/admin/analytics.csv?days=7", app.base))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("body");
    assert!(csv.contains("\nmembers_month,"), "{csv}");
}

async fn searches_that_found_nothing_are_content_gaps(app: TestApp) {
    let admin = app.admin_with_community().await;
    let alice = person("Firefox/130.0");
    let search = |c: &Client, q: &str| {
        let (c, q) = (c.clone(), q.to_string());
        let app = &app;
        async move {
            let r = app.call_as(&c, "search", &[("q", q.as_str())]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
    };
    for q in [
        "Zorblax   quindle",
        "zorblax quindle",
        "plimfoo",
        "0712 345 678",
        "wibblewort",
    ] {
        search(&alice, q).await;
    }
    search(&person("Safari/17"), "wibblewort").await;
    // Robots are not counted; filtered searches are not gaps of the site.
    for _ in 0..3 {
        search(&new_client(), "botword").await;
    }
    app.call_as(&alice, "search", &[("q", "plimfoo"), ("kind", "question")])
        .await
        .ok();
    let d = dashboard(&app, &admin).await;
    let table = table_titled(&d, "Searches that found nothing");
    let rows: Vec<(String, String)> = table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or("").to_string(),
                r["values"][0].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("wibblewort".to_string(), "2".to_string()),
            ("zorblax quindle".to_string(), "2".to_string()),
        ],
        "asked-once words, telephone-like numbers, robots or filters leaked in: {table}"
    );
    // Nothing of who searched is kept: the table has the day, the words and a number.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM search_misses WHERE query = 'botword'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM search_misses WHERE query LIKE '%0712%'"
        )
        .await,
        0
    );
}

async fn counting_can_be_switched_off(app: TestApp) {
    let admin = app.admin_with_community().await;
    let mut args = test_args();
    args.count_traffic = false;
    let quiet = spawn_on(&app.db_url, args).await;
    let quiet_admin = new_client();
    quiet
        .login(&quiet_admin, "root_admin", "correct-horse-1")
        .await
        .ok();
    let alice = person("Firefox/130.0");
    for _ in 0..3 {
        assert_eq!(open(&quiet, &alice, "/c/ms", None).await, StatusCode::OK);
    }
    open(&app, &alice, "/c/ms", None).await;
    flush(&quiet, &quiet_admin).await;
    flush(&app, &admin).await;
    assert_eq!(
        views(&app, "community").await,
        1,
        "the server with counting off counted"
    );
}

/// "Top pages" names each page by its title where a visitor may read it, links it, and names a
/// members-only post and a closed group's post by their kind alone.
async fn top_pages_are_named_as_a_visitor_would_read_them(app: TestApp) {
    let admin = app.admin_with_community().await;
    let wren = person("Firefox/130.0");
    app.signup_as(&wren, "wren", "correct-horse-2").await.ok();
    app.call_as(&wren, "community/join", &[("slug", "ms")])
        .await
        .ok();
    let write = |c: Client, title: &'static str, visibility: &'static str, group: String| {
        let app = &app;
        async move {
            let mut form = vec![
                ("community", "ms"),
                ("kind", "question"),
                ("title", title),
                ("body", "What helped you?"),
                ("tags", ""),
                ("visibility", visibility),
            ];
            if !group.is_empty() {
                form.push(("group", group.as_str()));
            }
            let id = app.call_as(&c, "post/create", &form).await.ok();
            id.as_i64().expect("post id")
        }
    };
    let open_title = "Fatigue after a relapse: what helped you";
    let members_title = "Members only: my worry about the new scan";
    let group_title = "In the carers' group: nights are the hardest";
    let public = write(wren.clone(), open_title, "public", String::new()).await;
    let members = write(wren.clone(), members_title, "members", String::new()).await;
    let (insider, group) = app.private_group_by_gmod("Carers").await;
    let grouped = write(insider, group_title, "members", group).await;
    for path in [
        format!("/p/{public}"),
        format!("/p/{public}"),
        format!("/p/{members}"),
        "/c/ms".to_string(),
    ] {
        assert_eq!(
            open(&app, &wren, &path, None).await,
            StatusCode::OK,
            "{path}"
        );
    }
    // A page the app showed without a page load; the group's post is counted by its address.
    app.call_as(&wren, "seen", &[("path", &format!("/p/{grouped}"))])
        .await
        .ok();
    let d = dashboard(&app, &admin).await;
    let table = table_titled(&d, "Top pages");
    let named = |href: String| {
        table["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["href"] == href.as_str()))
            .map(|r| r["name"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(
        named(format!("/p/{public}")).as_deref(),
        Some(open_title),
        "{table}"
    );
    assert_eq!(
        named("/c/ms".into()).as_deref(),
        Some("Multiple Sclerosis"),
        "{table}"
    );
    let members_only = Some("A post for members only");
    assert_eq!(
        named(format!("/p/{members}")).as_deref(),
        members_only,
        "{table}"
    );
    assert_eq!(
        named(format!("/p/{grouped}")).as_deref(),
        members_only,
        "{table}"
    );
    // The kinds of page are named for the operator, not by the stored word.
    let kinds = table_titled(&d, "Page views by kind of page");
    let kind_views = |name: &str| {
        kinds["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["name"] == name))
            .map(|r| r["values"][0].clone())
    };
    assert_eq!(
        kind_views("Questions and discussions"),
        Some("4".into()),
        "{kinds}"
    );
    assert_eq!(kind_views("Community pages"), Some("1".into()), "{kinds}");
    let whole = d.to_string();
    for secret in [members_title, group_title] {
        assert!(!whole.contains(secret), "the dashboard shows {secret:?}");
    }
    // The page links the title, and shows no title a visitor may not read.
    let page = app.html_as(&admin, "/admin/analytics?days=7").await;
    assert!(
        page.contains(&format!("<a href=\"/p/{public}\">{open_title}</a>")),
        "no link to the top page"
    );
    assert!(!page.contains(members_title) && !page.contains(group_title));
}
