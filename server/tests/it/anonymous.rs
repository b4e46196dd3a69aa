//! Anonymous posts in support groups on both backends: the author's handle is in no page, JSON answer or notification for anyone but the group's moderators (who see it, marked) and the author (who still edits and deletes); refused outside groups and for verified clinicians.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    an_anonymous_group_post_names_nobody,
    anonymous_posting_is_for_groups_and_not_for_clinicians,
);

const PW: &str = "correct-horse-1";
const AUTHOR: &str = "anon_ann";
const TITLE: &str = "Wombat worry about relapses";

async fn member(app: &TestApp, handle: &str) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    app.call_as(&c, "community/join", &[("slug", "ms")])
        .await
        .ok();
    c
}

/// `gmod`, a community moderator, starts an open group; returns its client and the address.
async fn open_group(app: &TestApp) -> (Client, String) {
    let gmod = member(app, "gmod").await;
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'gmod')")
        .execute(&app.db.pool)
        .await
        .expect("community moderator");
    let slug = app
        .call_as(
            &gmod,
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
        .expect("group address")
        .to_string();
    (gmod, slug)
}

fn post_form<'a>(group: &'a str, title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("community", "ms"),
        ("group", group),
        ("kind", "question"),
        ("title", title),
        ("body", body),
        ("tags", "wombattag"),
        ("visibility", "public"),
        ("anonymous", "on"),
    ]
}

/// Every read path that lists or shows the post, as `c` sees it: where the author's handle
/// showed (the author's own profile is probed for the post's title instead: it names them).
async fn naming_paths(app: &TestApp, c: &Client, slug: &str, post: i64) -> Vec<String> {
    let mut found = Vec::new();
    let html = |path: String| async move { app.html_as(c, &path).await };
    for path in [
        format!("/p/{post}"),
        format!("/g/{slug}"),
        "/".to_string(),
        "/c/ms".to_string(),
        "/search?q=wombat".to_string(),
        "/notifications".to_string(),
    ] {
        let page = html(path.clone()).await;
        assert!(
            page.contains("Wombat") || ["/notifications", "/", "/c/ms"].contains(&path.as_str()),
            "{path} does not show the post at all: the probe would prove nothing"
        );
        if page.contains(AUTHOR) {
            found.push(format!("page {path}"));
        }
    }
    if html(format!("/u/{AUTHOR}")).await.contains("Wombat") {
        found.push("page /u/anon_ann lists the post".into());
    }
    let pid = post.to_string();
    let scope = format!("g:{slug}");
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("post", vec![("id", &pid)]),
        ("group", vec![("slug", slug)]),
        ("feed", vec![("scope", &scope), ("sort", "new")]),
        ("feed", vec![("scope", "ms"), ("sort", "new")]),
        ("feed", vec![("scope", "public"), ("sort", "new")]),
        ("feed", vec![("scope", "home"), ("sort", "active")]),
        ("search", vec![("q", "wombat")]),
        ("search", vec![("q", "wombattag")]),
        ("notifications", vec![]),
    ];
    for (endpoint, form) in calls {
        let r = app.call_as(c, endpoint, &form).await;
        if r.body.contains(AUTHOR) {
            found.push(format!("{endpoint} {form:?}: {}", r.body));
        }
    }
    let profile = app
        .call_as(c, "profile/activity", &[("handle", AUTHOR)])
        .await;
    if profile.body.contains("Wombat") {
        found.push(format!("profile/activity lists it: {}", profile.body));
    }
    found
}

async fn an_anonymous_group_post_names_nobody(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let (gmod, slug) = open_group(&app).await;
    let ann = member(&app, AUTHOR).await;
    let olga = member(&app, "other_olga").await;
    for c in [&ann, &olga] {
        app.call_as(c, "group/join", &[("slug", &slug), ("answer", "")])
            .await
            .ok();
    }
    let id = app
        .call_as(
            &ann,
            "post/create",
            &post_form(
                &slug,
                TITLE,
                "Does anyone else fear the next one? @other_olga you wrote about this.",
            ),
        )
        .await
        .ok()
        .as_i64()
        .expect("post id");
    // Olga answers; Ann comments on the answer and accepts it, in her own thread.
    let answer = app
        .call_as(
            &olga,
            "reply/create",
            &[
                ("post_id", &id.to_string()),
                ("body", "Yes, it helps to plan."),
            ],
        )
        .await
        .ok()
        .as_i64()
        .expect("answer id");
    app.call_as(
        &ann,
        "reply/create",
        &[
            ("post_id", &id.to_string()),
            ("parent_id", &answer.to_string()),
            ("body", "Thank you, that helps."),
        ],
    )
    .await
    .ok();
    app.call_as(
        &ann,
        "post/accept",
        &[
            ("post_id", &id.to_string()),
            ("reply_id", &answer.to_string()),
        ],
    )
    .await
    .ok();

    // Another member, a visitor: "a member" everywhere, her handle nowhere.
    assert_eq!(
        naming_paths(&app, &olga, &slug, id).await,
        Vec::<String>::new()
    );
    assert_eq!(
        naming_paths(&app, &app.client, &slug, id).await,
        Vec::<String>::new()
    );
    let seen = app
        .call_as(&olga, "post", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(seen["post"]["author"]["anonymous"], Value::Bool(true));
    assert_eq!(seen["post"]["author"]["handle"], "");
    let her_comment = seen["replies"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["parent_id"] == answer))
        .cloned()
        .unwrap_or_else(|| panic!("no comment on the answer: {seen}"));
    assert_eq!(
        her_comment["author"]["handle"], "",
        "her comment in her own thread names her: {seen}"
    );
    let olga_notes = app
        .call_as(&olga, "notifications", &[])
        .await
        .ok()
        .to_string();
    assert!(
        olga_notes.contains("A member mentioned you"),
        "{olga_notes}"
    );
    assert!(
        olga_notes.contains("A member replied to your comment"),
        "{olga_notes}"
    );
    assert!(
        olga_notes.contains("The member who asked accepted your answer"),
        "{olga_notes}"
    );

    // The group's moderator sees who wrote it, marked as anonymous, on the page and in JSON.
    let modview = app
        .call_as(&gmod, "post", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(modview["post"]["author"]["handle"], AUTHOR, "{modview}");
    assert_eq!(modview["post"]["author"]["anonymous"], Value::Bool(true));
    let page = gmod
        .get(format!("{}/p/{id}", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("only moderators see the name"), "{page}");
    assert!(page.contains(AUTHOR));

    // The author: it is hers (listed on her own profile), she edits it and deletes it.
    let mine = app
        .call_as(&ann, "post", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(mine["mine"], Value::Bool(true));
    assert_eq!(mine["anonymous"], Value::Bool(true));
    let own = app
        .call_as(&ann, "profile/activity", &[("handle", AUTHOR)])
        .await
        .ok()
        .to_string();
    assert!(own.contains("Wombat"), "{own}");
    app.call_as(
        &ann,
        "post/edit",
        &[
            ("id", &id.to_string()),
            ("title", "Wombat worry, edited"),
            ("body", "Still anonymous after an edit."),
            ("tags", "wombattag"),
            ("visibility", "public"),
        ],
    )
    .await
    .ok();
    let edited = app
        .call_as(&olga, "post", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(edited["post"]["title"], "Wombat worry, edited");
    assert_eq!(edited["post"]["author"]["handle"], "", "{edited}");
    app.call_as(&ann, "post/delete", &[("id", &id.to_string())])
        .await
        .ok();
    let gone = app
        .call_as(&olga, "post", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(gone["deleted"], Value::Bool(true));
}

async fn anonymous_posting_is_for_groups_and_not_for_clinicians(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let (_gmod, slug) = open_group(&app).await;
    let ann = member(&app, AUTHOR).await;
    let doc = member(&app, "dr_named").await;
    sqlx::query("UPDATE users SET kind = 'clinician', clinician_status = 'verified', specialty = 'neurology' WHERE handle = 'dr_named'")
        .execute(&app.db.pool)
        .await
        .expect("verified clinician");
    for c in [&ann, &doc] {
        app.call_as(c, "group/join", &[("slug", &slug), ("answer", "")])
            .await
            .ok();
    }
    // Outside a group: refused, the field says why.
    let mut outside = post_form("", "Wombat outside", "Not in a group.");
    outside.retain(|(k, _)| *k != "group");
    let err = app.call_as(&ann, "post/create", &outside).await.error();
    assert!(
        err.field_message("anonymous")
            .is_some_and(|m| m.contains("support groups only")),
        "{err:?}"
    );
    // A verified clinician's answer stays attributable.
    let err = app
        .call_as(
            &doc,
            "post/create",
            &post_form(&slug, "Wombat clinician", "A clinician's note."),
        )
        .await
        .error();
    assert!(err.field_message("anonymous").is_some(), "{err:?}");
    let feed = app
        .call_as(&ann, "feed", &[("scope", "ms"), ("sort", "new")])
        .await
        .ok()
        .to_string();
    assert!(
        !feed.contains("Wombat"),
        "a refused post was stored: {feed}"
    );
    // Without the box, the same clinician posts in the group under their name.
    let mut named = post_form(&slug, "Wombat named", "A clinician's note.");
    named.retain(|(k, _)| *k != "anonymous");
    let id = app
        .call_as(&doc, "post/create", &named)
        .await
        .ok()
        .as_i64()
        .expect("post id");
    let seen = app
        .call_as(&ann, "post", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(seen["post"]["author"]["handle"], "dr_named");
    assert_eq!(
        app.call_as(&ann, "post", &[("id", "999999")]).await.error(),
        AppError::NotFound
    );
}
