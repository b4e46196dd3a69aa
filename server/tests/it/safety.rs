//! The crisis safeguard on both backends: helplines before posting (a confirmation step, never a refusal), held posts and replies kept out of listings and anonymous views, flags for the place's moderators only (closed groups: their own), alerts without the words, review with audit, and direct messages that are never flagged.

use crate::common::{new_client, TestApp};
use reqwest::Client;
use serde_json::Value;

both_backends!(
    a_crisis_post_waits_for_a_moderator_and_is_then_listed,
    near_misses_and_edits_and_replies,
    closed_group_flags_reach_the_group_moderators_only,
    direct_messages_show_helplines_and_are_never_flagged,
    a_reported_reply_is_removed_with_a_reason_and_restored,
    reported_profiles_and_the_moderators_count,
    a_moderator_edits_a_reported_posts_tags_from_the_queue,
    the_helplines_follow_the_members_country,
    a_failed_plain_report_comes_back_open_with_what_was_typed,
);

const PW: &str = "correct-horse-1";
const TITLE: &str = "Wombat hard week";
const BODY: &str = "Some days I want to end my life.";

async fn member(app: &TestApp, handle: &str) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    app.verify_email(handle).await;
    app.call_as(&c, "community/join", &[("slug", "ms")])
        .await
        .ok();
    c
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .expect(sql)
}

fn post_form<'a>(title: &'a str, body: &'a str, ack: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("community", "ms"),
        ("kind", "discussion"),
        ("title", title),
        ("body", body),
        ("tags", ""),
        ("visibility", "public"),
    ];
    if let Some(ack) = ack {
        form.push(("crisis_ack", ack));
    }
    form
}

/// Whether `needle` is anywhere `c` could list it: the public and home feeds, the community
/// feed, search and the author's profile.
async fn listed(app: &TestApp, c: &Client, needle: &str, author: &str) -> Vec<&'static str> {
    let mut seen = Vec::new();
    let calls = [
        (
            "public feed",
            "feed",
            vec![("scope", "public"), ("sort", "new")],
        ),
        (
            "home feed",
            "feed",
            vec![("scope", "home"), ("sort", "active")],
        ),
        (
            "community feed",
            "feed",
            vec![("scope", "ms"), ("sort", "new")],
        ),
        ("search", "search", vec![("q", "wombat")]),
        ("profile", "profile/activity", vec![("handle", author)]),
    ];
    for (name, endpoint, form) in calls {
        let r = app.call_as(c, endpoint, &form).await;
        if r.status.is_success() && r.body.contains(needle) {
            seen.push(name);
        }
    }
    seen
}

async fn queue(app: &TestApp, c: &Client) -> Value {
    app.call_as(c, "mod/queue", &[]).await.ok()
}

async fn a_crisis_post_waits_for_a_moderator_and_is_then_listed(app: TestApp) {
    let admin = app.admin_with_community().await;
    app.verify_email("root_admin").await;
    let asha = member(&app, "asha").await;
    let ben = member(&app, "ben").await;
    let cmod = member(&app, "cmod").await;
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'cmod')")
        .execute(&app.db.pool)
        .await
        .expect("community moderator");

    // Before posting: the helplines, not a refusal; nothing is stored yet.
    let first = app
        .call_as(&asha, "post/create", &post_form(TITLE, BODY, None))
        .await;
    assert_eq!(first.status, 422, "{}", first.body);
    assert_eq!(first.error(), app::error::AppError::SafetyCheck);
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM posts").await,
        0
    );
    // The next press posts.
    let id = app
        .call_as(&asha, "post/create", &post_form(TITLE, BODY, Some("seen")))
        .await
        .ok()
        .as_i64()
        .expect("post id");
    let pid = id.to_string();

    // Held: not for anonymous visitors at all, listed to nobody but its author.
    let anon = app.call("post", &[("id", &pid)]).await;
    assert_eq!(anon.status, 404, "{}", anon.body);
    let (status, html) = app.get(&format!("/p/{id}")).await;
    assert_eq!(status, 404);
    assert!(!html.contains(TITLE) && !html.contains("end my life"));
    assert_eq!(
        listed(&app, &new_client(), TITLE, "asha").await,
        Vec::<&str>::new()
    );
    assert_eq!(listed(&app, &ben, TITLE, "asha").await, Vec::<&str>::new());
    assert_eq!(
        listed(&app, &asha, TITLE, "asha").await,
        [
            "public feed",
            "home feed",
            "community feed",
            "search",
            "profile"
        ]
    );
    // A member who has the link still reads the thread; only its author is shown the helplines.
    let as_ben = app.call_as(&ben, "post", &[("id", &pid)]).await.ok();
    assert_eq!(as_ben["helplines"], false);
    assert!(as_ben["body_html"]
        .as_str()
        .unwrap_or("")
        .contains("end my life"));
    let as_asha = app.call_as(&asha, "post", &[("id", &pid)]).await.ok();
    assert_eq!(as_asha["helplines"], true);
    let (_, page) = app.get(&format!("/p/{id}")).await;
    assert!(!page.contains("crisis-panel"));

    // The community's moderator and the admin are told in the app and by e-mail, without the words.
    for handle in ["cmod", "root_admin"] {
        let told = count(
            &app,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM notifications n JOIN users u ON u.id = n.user_id \
                      WHERE u.handle = '{handle}' AND n.kind = 'safety' AND n.link = '/mod'"),
        )
        .await;
        assert_eq!(told, 1, "{handle}");
        let mails: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT body FROM outbox WHERE kind = 'safety' AND to_addr = '{handle}@example.org'"
        ))
        .fetch_all(&app.db.pool)
        .await
        .expect("outbox");
        assert_eq!(mails.len(), 1, "{handle}");
        assert!(mails[0].contains("/mod") && !mails[0].contains("end my life"));
    }
    for handle in ["asha", "ben"] {
        let told = count(
            &app,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM notifications n JOIN users u ON u.id = n.user_id \
                      WHERE u.handle = '{handle}' AND n.kind = 'safety'"),
        )
        .await;
        assert_eq!(told, 0, "{handle}");
    }

    // The queue: the moderators see it with the phrase; a member is refused.
    let q = queue(&app, &cmod).await;
    let flags = q["flags"].as_array().expect("flags");
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0]["phrase"], "end my life");
    assert_eq!(flags[0]["author"], "asha");
    assert_eq!(flags[0]["post_id"], id);
    assert_eq!(
        queue(&app, &admin).await["flags"].as_array().map(Vec::len),
        Some(1)
    );
    let refused = app.call_as(&ben, "mod/queue", &[]).await;
    assert_eq!(refused.status, 403);
    let flag = flags[0]["id"].as_i64().expect("flag id").to_string();
    // A member cannot review it either.
    let r = app
        .call_as(&ben, "mod/review", &[("id", &flag), ("outcome", "listed")])
        .await;
    assert_eq!(r.status, 404);
    let bad = app
        .call_as(&cmod, "mod/review", &[("id", &flag), ("outcome", "later")])
        .await;
    assert_eq!(bad.status, 400);

    // Looked at and listed again: back for everyone, audited, gone from the queue.
    app.call_as(&cmod, "mod/review", &[("id", &flag), ("outcome", "listed")])
        .await
        .ok();
    assert_eq!(
        queue(&app, &cmod).await["flags"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(app.call("post", &[("id", &pid)]).await.status, 200);
    assert_eq!(
        listed(&app, &ben, TITLE, "asha").await,
        [
            "public feed",
            "home feed",
            "community feed",
            "search",
            "profile"
        ]
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'safety_review'"
        )
        .await,
        1
    );
    // The author still sees the helplines on their thread.
    assert_eq!(
        app.call_as(&asha, "post", &[("id", &pid)]).await.ok()["helplines"],
        true
    );
}

async fn near_misses_and_edits_and_replies(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let asha = member(&app, "asha").await;
    let ben = member(&app, "ben").await;

    // Near misses post at once, unflagged.
    let id = app
        .call_as(
            &asha,
            "post/create",
            &post_form(
                TITLE,
                "I would kill for a coffee. This fatigue is killing me.",
                None,
            ),
        )
        .await
        .ok()
        .as_i64()
        .expect("post id");
    let pid = id.to_string();
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM safety_flags").await,
        0
    );
    assert_eq!(listed(&app, &ben, TITLE, "asha").await.len(), 5);

    // A reply that matches (in German too) is held: anonymous readers see neither its words nor
    // its author, and it does not lift the thread.
    let before = count(
        &app,
        &format!("SELECT last_activity_at FROM posts WHERE id = {id}"),
    )
    .await;
    let refused = app
        .call_as(
            &ben,
            "reply/create",
            &[
                ("post_id", &pid),
                ("body", "Ehrlich: ich will nicht mehr leben."),
            ],
        )
        .await;
    assert_eq!(refused.error(), app::error::AppError::SafetyCheck);
    let rid = app
        .call_as(
            &ben,
            "reply/create",
            &[
                ("post_id", &pid),
                ("body", "Ehrlich: ich will nicht mehr leben."),
                ("crisis_ack", "seen"),
            ],
        )
        .await
        .ok()
        .as_i64()
        .expect("reply id");
    assert_eq!(
        count(
            &app,
            &format!("SELECT last_activity_at FROM posts WHERE id = {id}")
        )
        .await,
        before
    );
    let anon = app.call("post", &[("id", &pid)]).await.ok();
    let reply = &anon["replies"][0];
    assert_eq!(reply["id"], rid);
    assert_eq!(reply["held"], true);
    assert_eq!(reply["body_html"], "");
    assert!(reply["author"].is_null());
    let (_, html) = app.get(&format!("/p/{id}")).await;
    assert!(!html.contains("nicht mehr leben") && html.contains("waiting for a moderator"));
    let as_asha = app.call_as(&asha, "post", &[("id", &pid)]).await.ok();
    assert!(as_asha["replies"][0]["body_html"]
        .as_str()
        .unwrap_or("")
        .contains("nicht mehr leben"));
    assert_eq!(as_asha["helplines"], false);
    assert_eq!(
        app.call_as(&ben, "post", &[("id", &pid)]).await.ok()["helplines"],
        true
    );

    // An edit into crisis words is held and flagged without a step (once, however many edits).
    for body in [
        "I don't want to be here anymore.",
        "I don't want to be here any more.",
    ] {
        app.call_as(
            &asha,
            "post/edit",
            &[
                ("id", &pid),
                ("title", TITLE),
                ("body", body),
                ("tags", ""),
                ("visibility", "public"),
            ],
        )
        .await
        .ok();
    }
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM safety_flags WHERE reply_id IS NULL"
        )
        .await,
        1
    );
    assert_eq!(app.call("post", &[("id", &pid)]).await.status, 404);
    assert_eq!(listed(&app, &ben, TITLE, "asha").await, Vec::<&str>::new());
}

async fn closed_group_flags_reach_the_group_moderators_only(app: TestApp) {
    let admin = app.admin_with_community().await;
    let gmod = member(&app, "gmod").await;
    let cmod = member(&app, "cmod").await;
    // Community moderators start groups; gmod then moderates the group it starts.
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id IN (SELECT id FROM users WHERE handle IN ('cmod', 'gmod'))")
        .execute(&app.db.pool)
        .await
        .expect("community moderators");
    let slug = app
        .call_as(
            &gmod,
            "group/create",
            &[
                ("community", "ms"),
                ("name", "Newly diagnosed"),
                ("description", "For people diagnosed in the last year."),
                ("kind", "private"),
                ("question", "How are you affected by MS?"),
            ],
        )
        .await
        .ok()
        .as_str()
        .expect("group address")
        .to_string();
    let gm = member(&app, "gmember").await;
    app.call_as(
        &gm,
        "group/join",
        &[("slug", slug.as_str()), ("answer", "Diagnosed in May.")],
    )
    .await
    .ok();
    app.call_as(
        &gmod,
        "group/decide",
        &[("slug", &slug), ("handle", "gmember"), ("approve", "true")],
    )
    .await
    .ok();
    let mut form = post_form(TITLE, "I keep thinking about suicide.", Some("seen"));
    form.push(("group", &slug));
    app.call_as(&gm, "post/create", &form).await.ok();

    // Only the group's own moderator hears of it and sees it; the admin and the community's
    // moderator do not (they cannot read the group either).
    assert_eq!(
        queue(&app, &gmod).await["flags"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        queue(&app, &admin).await["flags"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(
        queue(&app, &cmod).await["flags"].as_array().map(Vec::len),
        Some(0)
    );
    let told: Vec<String> = sqlx::query_scalar(
        "SELECT u.handle FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'safety'",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("notifications");
    assert_eq!(told, ["gmod"]);
    let mailed: Vec<String> =
        sqlx::query_scalar("SELECT to_addr FROM outbox WHERE kind = 'safety'")
            .fetch_all(&app.db.pool)
            .await
            .expect("outbox");
    assert_eq!(mailed, ["gmod@example.org"]);
    let flag = queue(&app, &gmod).await["flags"][0]["id"]
        .as_i64()
        .expect("flag")
        .to_string();
    assert_eq!(
        app.call_as(
            &admin,
            "mod/review",
            &[("id", &flag), ("outcome", "listed")]
        )
        .await
        .status,
        404
    );
    app.call_as(
        &gmod,
        "mod/review",
        &[("id", &flag), ("outcome", "kept_out")],
    )
    .await
    .ok();
    assert_eq!(
        queue(&app, &gmod).await["flags"].as_array().map(Vec::len),
        Some(0)
    );
    // Kept out: still held.
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM posts WHERE held_at IS NOT NULL"
        )
        .await,
        1
    );
}

async fn direct_messages_show_helplines_and_are_never_flagged(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let asha = member(&app, "asha").await;
    let ben = member(&app, "ben").await;
    let text = "I can't go on anymore, I want to die.";
    let first = app
        .call_as(&asha, "messages/send", &[("to", "ben"), ("body", text)])
        .await;
    assert_eq!(first.error(), app::error::AppError::SafetyCheck);
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM messages").await,
        0
    );
    app.call_as(
        &asha,
        "messages/send",
        &[("to", "ben"), ("body", text), ("crisis_ack", "seen")],
    )
    .await
    .ok();
    let mine = app
        .call_as(&asha, "messages/thread", &[("with", "ben")])
        .await
        .ok();
    assert_eq!(
        (mine["crisis_mine"].clone(), mine["crisis_theirs"].clone()),
        (Value::Bool(true), Value::Bool(false))
    );
    let theirs = app
        .call_as(&ben, "messages/thread", &[("with", "asha")])
        .await
        .ok();
    assert_eq!(
        (
            theirs["crisis_mine"].clone(),
            theirs["crisis_theirs"].clone()
        ),
        (Value::Bool(false), Value::Bool(true))
    );
    // Private words never reach moderators.
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM safety_flags").await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications WHERE kind = 'safety'"
        )
        .await,
        0
    );
    // An ordinary message needs no step.
    app.call_as(
        &ben,
        "messages/send",
        &[("to", "asha"), ("body", "Thinking of you. Call me?")],
    )
    .await
    .ok();
}

async fn a_reported_reply_is_removed_with_a_reason_and_restored(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let asha = member(&app, "asha").await;
    let ben = member(&app, "ben").await;
    let carl = member(&app, "carl").await;
    let cmod = member(&app, "cmod").await;
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'cmod')")
        .execute(&app.db.pool)
        .await
        .expect("community moderator");
    let id = app
        .call_as(
            &asha,
            "post/create",
            &post_form(TITLE, "Does anyone else get numb hands?", None),
        )
        .await
        .ok()
        .as_i64()
        .expect("post id");
    let pid = id.to_string();
    const SPAM: &str = "Quagga pills cure MS, order now";
    let rid = app
        .call_as(&ben, "reply/create", &[("post_id", &pid), ("body", SPAM)])
        .await
        .ok()
        .as_i64()
        .expect("reply id")
        .to_string();
    let report = |reason: &'static str| {
        vec![
            ("post_id", pid.clone()),
            ("reply_id", rid.clone()),
            ("reason", reason.to_string()),
            ("note", "Looks like an advert".to_string()),
        ]
    };
    // A reason is required; the author cannot report their own reply; a second report is one.
    assert!(send_report(&app, &carl, &report("later"))
        .await
        .error()
        .field_message("reason")
        .is_some());
    assert!(send_report(&app, &ben, &report("spam"))
        .await
        .error()
        .field_message("reason")
        .is_some());
    for _ in 0..2 {
        let r = send_report(&app, &carl, &report("spam")).await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{} {}",
            r.status,
            r.body
        );
    }
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM content_reports").await,
        1
    );
    let q = queue(&app, &cmod).await;
    let reports = q["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["reason"], "Spam or advertising");
    assert_eq!(reports[0]["reporter"], "carl");
    assert_eq!(reports[0]["text"], SPAM);
    assert_eq!(reports[0]["note"], "Looks like an advert");

    // Only a moderator removes, and only with a reason from the list.
    let remove = [
        ("post_id", pid.as_str()),
        ("reply_id", rid.as_str()),
        ("reason", "spam"),
        ("note", "No adverts here."),
    ];
    assert_eq!(
        app.call_as(&carl, "moderate/remove", &remove).await.status,
        403
    );
    let bad = app
        .call_as(
            &cmod,
            "moderate/remove",
            &[
                ("post_id", &pid),
                ("reply_id", &rid),
                ("reason", "because"),
                ("note", ""),
            ],
        )
        .await;
    assert!(bad.error().field_message("reason").is_some());
    app.call_as(&cmod, "moderate/remove", &remove).await.ok();

    // Its words: for its author and the moderators only — not in any other JSON or page.
    let reply_as = |v: &Value| v["replies"][0].clone();
    for (who, c) in [("visitor", new_client()), ("carl", carl.clone())] {
        let v = app.call_as(&c, "post", &[("id", &pid)]).await.ok();
        let r = reply_as(&v);
        assert_eq!(r["removed"], true, "{who}");
        assert_eq!(r["body_html"], "", "{who}");
        assert!(r["removed_reason"].is_null(), "{who}");
        let html = c
            .get(format!("{}/p/{id}", app.base))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            !html.contains("Quagga") && html.contains("[removed by a moderator]"),
            "{who}"
        );
    }
    for c in [&ben, &cmod] {
        let r = reply_as(&app.call_as(c, "post", &[("id", &pid)]).await.ok());
        assert!(r["body_html"].as_str().unwrap_or("").contains("Quagga"));
        assert_eq!(
            r["removed_reason"],
            "Spam or advertising — No adverts here."
        );
    }
    let told = |handle: &str| {
        format!(
            "SELECT n.text FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE u.handle = '{handle}' AND n.kind = 'moderation' ORDER BY n.id"
        )
    };
    let ben_told: Vec<String> = sqlx::query_scalar(&told("ben"))
        .fetch_all(&app.db.pool)
        .await
        .expect("notifications");
    assert_eq!(ben_told.len(), 1);
    assert!(ben_told[0].contains("removed your reply") && ben_told[0].contains("No adverts here."));
    let carl_told: Vec<String> = sqlx::query_scalar(&told("carl"))
        .fetch_all(&app.db.pool)
        .await
        .expect("notifications");
    assert_eq!(carl_told.len(), 1);
    assert!(carl_told[0].contains("We reviewed your report"));
    assert_eq!(
        queue(&app, &cmod).await["reports"].as_array().map(Vec::len),
        Some(0)
    );

    // The post itself: removed, it leaves every listing but its author's; restored, it is back.
    app.call_as(
        &cmod,
        "moderate/remove",
        &[("post_id", &pid), ("reason", "off_topic"), ("note", "")],
    )
    .await
    .ok();
    let anon = app.call("post", &[("id", &pid)]).await.ok();
    assert_eq!(anon["post"]["title"], "[removed by a moderator]");
    assert!(anon["body_html"].is_null() && anon["removed_reason"].is_null());
    assert_eq!(listed(&app, &carl, TITLE, "asha").await, Vec::<&str>::new());
    assert_eq!(listed(&app, &asha, TITLE, "asha").await.len(), 5);
    assert_eq!(
        app.call_as(&asha, "post", &[("id", &pid)]).await.ok()["removed_reason"],
        "Off topic for this community"
    );
    assert_eq!(
        app.call_as(&carl, "moderate/restore", &[("post_id", &pid)])
            .await
            .status,
        403
    );
    app.call_as(&cmod, "moderate/restore", &[("post_id", &pid)])
        .await
        .ok();
    assert_eq!(listed(&app, &carl, TITLE, "asha").await.len(), 5);
    assert_eq!(
        app.call("post", &[("id", &pid)]).await.ok()["post"]["title"],
        TITLE
    );

    // A dismissed report: the reporter hears it was looked at.
    app.call_as(
        &carl,
        "report",
        &[
            ("post_id", &pid),
            ("reason", "misinformation"),
            ("note", ""),
        ],
    )
    .await;
    let rep_id = queue(&app, &cmod).await["reports"][0]["id"]
        .as_i64()
        .expect("report")
        .to_string();
    // A report one does not moderate does not exist for them.
    assert_eq!(
        app.call_as(&carl, "mod/dismiss", &[("id", &rep_id)])
            .await
            .status,
        404
    );
    app.call_as(&cmod, "mod/dismiss", &[("id", &rep_id)]).await;
    assert_eq!(
        queue(&app, &cmod).await["reports"].as_array().map(Vec::len),
        Some(0)
    );
    let carl_told: Vec<String> = sqlx::query_scalar(&told("carl"))
        .fetch_all(&app.db.pool)
        .await
        .expect("notifications");
    assert!(carl_told.last().is_some_and(|t| t.contains("left it up")));
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action IN ('remove_reply', 'remove_post', 'restore_post', 'dismiss_report') ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("audit");
    assert_eq!(
        actions,
        [
            "remove_reply",
            "remove_post",
            "restore_post",
            "dismiss_report"
        ]
    );
}

async fn send_report(app: &TestApp, c: &Client, form: &[(&str, String)]) -> crate::common::Reply {
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(c, "report", &refs).await
}

async fn report_profile(
    app: &TestApp,
    who: &Client,
    handle: &str,
    reason: &str,
) -> crate::common::Reply {
    app.call_as(
        who,
        "report/profile",
        &[
            ("handle", handle),
            ("reason", reason),
            ("note", "An advert."),
        ],
    )
    .await
}

/// The header's count for `c` (`None`: moderates nothing).
async fn mod_count(app: &TestApp, c: &Client) -> Option<i64> {
    app.call_as(c, "current_user", &[]).await.ok()["mod_queue"].as_i64()
}

async fn reported_profiles_and_the_moderators_count(app: TestApp) {
    let admin = app.admin_with_community().await;
    let asha = member(&app, "asha").await;
    let ben = member(&app, "ben").await;
    let cmod = member(&app, "cmod").await;
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'cmod')")
        .execute(&app.db.pool)
        .await
        .expect("community moderator");
    app.call_as(
        &ben,
        "update_profile",
        &[
            ("display_name", "Cheap Pills Ben"),
            ("bio", "Buy cheap pills at my shop."),
            ("theme", "system"),
            ("text_size", "normal"),
        ],
    )
    .await
    .ok();
    // The count: only for those who moderate something, and it follows the queue.
    assert_eq!(mod_count(&app, &asha).await, None);
    assert_eq!(mod_count(&app, &cmod).await, Some(0));
    assert_eq!(mod_count(&app, &admin).await, Some(0));

    // A reason is required; one's own profile and an unknown one are refused; twice is once.
    assert_eq!(
        report_profile(&app, &asha, "ben", "nonsense").await.status,
        422
    );
    assert_eq!(
        report_profile(&app, &ben, "ben", "spam").await.error(),
        app::error::AppError::Forbidden
    );
    assert_eq!(
        report_profile(&app, &asha, "nobody_here", "spam")
            .await
            .status,
        404
    );
    report_profile(&app, &asha, "ben", "spam").await.ok();
    report_profile(&app, &asha, "ben", "spam").await.ok();
    report_profile(&app, &cmod, "ben", "other").await.ok();
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM profile_reports").await,
        2
    );
    // Profiles are for the site's moderators: the admin counts and sees them, a community
    // moderator neither, a member cannot open the queue.
    assert_eq!(mod_count(&app, &admin).await, Some(2));
    assert_eq!(mod_count(&app, &cmod).await, Some(0));
    let q = queue(&app, &admin).await;
    let items = q["profiles"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "{q}");
    assert_eq!(items[0]["bio"], "Buy cheap pills at my shop.");
    assert_eq!(items[0]["reporter"], "asha");
    assert_eq!(queue(&app, &cmod).await["profiles"], serde_json::json!([]));
    let first = items[0]["id"].as_i64().expect("id").to_string();
    let second = items[1]["id"].as_i64().expect("id").to_string();
    assert_eq!(
        app.call_as(
            &cmod,
            "mod/profile_report",
            &[("id", &first), ("outcome", "dismiss")]
        )
        .await
        .error(),
        app::error::AppError::Forbidden
    );
    // Dismiss one: its reporter is told; clear: the words go, every open report on the profile
    // is resolved, the member and the other reporter are told; both audited.
    app.call_as(
        &admin,
        "mod/profile_report",
        &[("id", &first), ("outcome", "dismiss")],
    )
    .await
    .ok();
    let asha_notes = app
        .call_as(&asha, "notifications", &[])
        .await
        .ok()
        .to_string();
    assert!(asha_notes.contains("left it as it is"), "{asha_notes}");
    assert_eq!(mod_count(&app, &admin).await, Some(1));
    app.call_as(
        &admin,
        "mod/profile_report",
        &[("id", &second), ("outcome", "clear")],
    )
    .await
    .ok();
    let profile = app.call("profile", &[("handle", "ben")]).await.ok();
    assert_eq!(profile["bio"], "");
    assert_eq!(profile["display_name"], "");
    let ben_notes = app
        .call_as(&ben, "notifications", &[])
        .await
        .ok()
        .to_string();
    assert!(ben_notes.contains("removed your profile"), "{ben_notes}");
    let cmod_notes = app
        .call_as(&cmod, "notifications", &[])
        .await
        .ok()
        .to_string();
    assert!(cmod_notes.contains("removed its name"), "{cmod_notes}");
    assert_eq!(mod_count(&app, &admin).await, Some(0));
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action IN ('clear_profile', 'dismiss_profile_report')"
        )
        .await,
        2
    );
    // A report on a post counts for its community's moderator too.
    let id = app
        .call_as(
            &asha,
            "post/create",
            &post_form("Wombat plain", "Nothing wrong.", None),
        )
        .await
        .ok()
        .as_i64()
        .expect("post")
        .to_string();
    app.call_as(
        &ben,
        "report",
        &[("post_id", id.as_str()), ("reason", "spam"), ("note", "")],
    )
    .await
    .ok();
    assert_eq!(mod_count(&app, &cmod).await, Some(1));
    assert_eq!(mod_count(&app, &admin).await, Some(1));
}

async fn a_moderator_edits_a_reported_posts_tags_from_the_queue(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let asha = member(&app, "asha").await;
    let carl = member(&app, "carl").await;
    let cmod = member(&app, "cmod").await;
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'cmod')")
        .execute(&app.db.pool)
        .await
        .expect("community moderator");
    let mut form = post_form(TITLE, "Which diet cures MS?", None);
    form.retain(|(k, _)| *k != "tags");
    form.push(("tags", "miracle-cure"));
    let pid = app
        .call_as(&asha, "post/create", &form)
        .await
        .ok()
        .as_i64()
        .expect("post id")
        .to_string();
    send_report(
        &app,
        &carl,
        &[
            ("post_id", pid.clone()),
            ("reason", "misinformation".to_string()),
            ("note", "The tag promises a cure".to_string()),
        ],
    )
    .await;
    // The queue item carries the post's tags for "Edit tags".
    let q = queue(&app, &cmod).await;
    assert_eq!(q["reports"][0]["tags"], "miracle-cure", "{q}");
    let retag = |tags: &'static str| [("post_id", pid.clone()), ("tags", tags.to_string())];
    // A member who does not moderate the place may not; a bad tag is named on the field.
    assert_eq!(
        app.call_as(&carl, "moderate/tags", &as_refs(&retag("diet")))
            .await
            .error(),
        app::error::AppError::Forbidden
    );
    let bad = app
        .call_as(
            &cmod,
            "moderate/tags",
            &as_refs(&retag("a-tag-much-longer-than-thirty-characters")),
        )
        .await
        .error();
    assert!(bad.field_message("tags").is_some(), "{bad:?}");
    app.call_as(&cmod, "moderate/tags", &as_refs(&retag("diet, nutrition")))
        .await
        .ok();
    let post = app.call_as(&carl, "post", &[("id", &pid)]).await.ok();
    assert_eq!(
        post["post"]["tags"],
        serde_json::json!(["diet", "nutrition"])
    );
    // The tag index follows: the old tag finds nothing, the new one the post.
    assert_eq!(
        count(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM post_tags WHERE post_id = {pid} AND tag = 'miracle-cure'")).await,
        0
    );
    assert_eq!(
        count(&app, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM post_tags WHERE post_id = {pid} AND tag = 'nutrition'")).await,
        1
    );
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'retag_post' AND detail LIKE '%miracle-cure%nutrition%'").await,
        1
    );
}

fn as_refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The post page's HTML as `c` sees it.
async fn html_of(app: &TestApp, c: &Client, path: &str) -> String {
    c.get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

fn settings_form(country: &str) -> Vec<(&str, &str)> {
    vec![
        ("display_name", ""),
        ("bio", ""),
        ("theme", "system"),
        ("text_size", "normal"),
        ("country", country),
    ]
}

async fn the_helplines_follow_the_members_country(app: TestApp) {
    let _admin = app.admin_with_community().await;
    // A browser that speaks German (Germany): the new account's country is Germany.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        reqwest::header::HeaderValue::from_static("de-DE,de;q=0.9,en;q=0.8"),
    );
    let dora = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("client");
    app.signup_as(&dora, "dora_de", PW).await.ok();
    app.verify_email("dora_de").await;
    app.call_as(&dora, "community/join", &[("slug", "ms")])
        .await
        .ok();
    assert_eq!(
        app.call_as(&dora, "current_user", &[]).await.ok()["country"],
        "DE"
    );
    let id = app
        .call_as(&dora, "post/create", &post_form(TITLE, BODY, Some("seen")))
        .await
        .ok()
        .as_i64()
        .expect("post id");
    // Her country's line and the international one first, with its emergency number; the
    // others folded away below.
    let page = html_of(&app, &dora, &format!("/p/{id}")).await;
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in the page"))
    };
    assert!(at("TelefonSeelsorge") < at("Helplines in other countries"));
    assert!(at("Find A Helpline") < at("Helplines in other countries"));
    assert!(at("Helplines in other countries") < at("Samaritans"));
    assert!(
        page.contains("In immediate danger? Call ")
            && page.contains(r#"href="tel:112" class="tel">112</a> now."#),
        "the emergency number for Germany"
    );
    assert!(!page.contains("Choose your country in Settings"));

    // She changes it in Settings; a code that is not in the list is refused on the field.
    let bad = app
        .call_as(&dora, "update_profile", &settings_form("ZZ"))
        .await
        .error();
    assert!(bad.field_message("country").is_some(), "{bad:?}");
    app.call_as(&dora, "update_profile", &settings_form("GB"))
        .await
        .ok();
    assert_eq!(
        app.call_as(&dora, "my_settings", &[]).await.ok()["country"],
        "GB"
    );
    let page = html_of(&app, &dora, &format!("/p/{id}")).await;
    assert!(page.find("Samaritans") < page.find("Helplines in other countries"));
    assert!(page.contains(r#"href="tel:999" class="tel">999</a> now."#));

    // Not set: every line, every emergency number, and where to set it.
    app.call_as(&dora, "update_profile", &settings_form("none"))
        .await
        .ok();
    let page = html_of(&app, &dora, &format!("/p/{id}")).await;
    assert!(!page.contains("Helplines in other countries"));
    for needle in [
        "Samaritans",
        "TelefonSeelsorge",
        "988",
        "in the United States",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    assert!(page.contains("Choose your country in Settings"));
    // Samaritans once, though two countries list it.
    assert_eq!(
        page.matches("Samaritans (UK and Ireland)").count(),
        1,
        "{page}"
    );
    // Every number is one tap to call from a phone: the helplines' and the emergency numbers.
    for number in ["116123", "08001110111", "988", "999", "112", "911"] {
        assert!(
            page.contains(&format!("href=\"tel:{number}\"")),
            "tel:{number}"
        );
    }
}

/// Without JavaScript, a report that fails (a reason not on the list) sends the browser back to the
/// thread; the report form of that very reply comes back open with the note as typed, the
/// post's own report form stays closed and empty (the echo names its item).
async fn a_failed_plain_report_comes_back_open_with_what_was_typed(app: TestApp) {
    use reqwest::header;
    let _admin = app.admin_with_community().await;
    let asha = member(&app, "asha").await;
    let ben = member(&app, "ben").await;
    let pid = app
        .call_as(
            &asha,
            "post/create",
            &post_form(TITLE, "Does anyone else get numb hands?", None),
        )
        .await
        .ok()
        .as_i64()
        .expect("post id")
        .to_string();
    let rid = app
        .call_as(
            &asha,
            "reply/create",
            &[("post_id", &pid), ("body", "Mine too, mornings.")],
        )
        .await
        .ok()
        .as_i64()
        .expect("reply id")
        .to_string();
    const NOTE: &str = "Okapi note: this looks copied from an advert";
    let res = ben
        .post(format!("{}/api/report", app.base))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, format!("{}/p/{pid}", app.base))
        .header(header::ORIGIN, &app.base)
        .form(&[
            ("post_id", pid.as_str()),
            ("reply_id", rid.as_str()),
            ("reason", "later"),
            ("note", NOTE),
        ])
        .send()
        .await
        .expect("report");
    assert_eq!(res.status(), reqwest::StatusCode::FOUND);
    let location = res.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string();
    assert!(location.contains("__err="), "{location}");
    assert!(
        !location.contains("Okapi"),
        "typed words must not travel in the URL"
    );
    let path = &location[location.find("/p/").expect("back to the thread")..];
    let html = ben
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("thread")
        .text()
        .await
        .expect("html");
    let in_textarea = format!(">{NOTE}</textarea>");
    assert_eq!(
        html.matches(&in_textarea).count(),
        1,
        "the note comes back in one form"
    );
    let reply_form = html
        .find(&format!("id=\"report-note-r{rid}\""))
        .expect("the reply's report form");
    let post_form_at = html
        .find(&format!("id=\"report-note-p{pid}\""))
        .expect("the post's report form");
    let note_at = html.find(&in_textarea).expect("the note");
    assert!(note_at > reply_form, "the note is in the reply's form");
    // The reply's disclosure is open, the post's is not.
    let opening = |at: usize| {
        let start = html
            .get(..at)
            .and_then(|h| h.rfind("<details"))
            .expect("its disclosure");
        html.get(start..at)
            .unwrap_or("")
            .split('>')
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        opening(reply_form).contains("open"),
        "{}",
        opening(reply_form)
    );
    assert!(
        !opening(post_form_at).contains("open"),
        "{}",
        opening(post_form_at)
    );
    assert!(
        html.contains("Choose what is wrong with it."),
        "the error is shown"
    );
}
