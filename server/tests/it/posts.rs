//! Posts on both backends: writing, threads, votes, accepted answers, clinician badges, members-only visibility on every read path, soft delete, feeds and keyset paging, hostile Markdown.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    members_post_and_replies_nest,
    helpful_votes_toggle,
    only_the_asker_accepts_an_answer,
    clinician_badge_only_when_verified,
    members_only_posts_stay_private_on_every_path,
    soft_delete_keeps_the_replies,
    keyset_pages_are_stable_under_inserts,
    feeds_sort_and_filter,
    hostile_markdown_is_harmless,
    the_team_pins_posts_to_the_top_of_a_community,
    edits_keep_a_history_for_the_author_and_moderators,
    cards_date_their_posts_and_a_profile_does_not_repeat_its_author,
);

const PW: &str = "correct-horse-1";

/// An admin who created the Multiple Sclerosis community ("ms"); returns the admin's client.
async fn community(app: &TestApp) -> Client {
    app.admin_with_community().await
}

/// A new member; joins the community when `join` is set.
async fn member(app: &TestApp, handle: &str, join: bool) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    if join {
        app.call_as(&c, "community/join", &[("slug", "ms")])
            .await
            .ok();
    }
    c
}

async fn post(
    app: &TestApp,
    c: &Client,
    kind: &str,
    visibility: &str,
    title: &str,
    body: &str,
) -> i64 {
    app.call_as(
        c,
        "post/create",
        &[
            ("community", "ms"),
            ("kind", kind),
            ("title", title),
            ("body", body),
            ("tags", "fatigue"),
            ("visibility", visibility),
        ],
    )
    .await
    .ok()
    .as_i64()
    .expect("post id")
}

async fn reply(app: &TestApp, c: &Client, post: i64, parent: Option<i64>, body: &str) -> i64 {
    let (p, parent) = (post.to_string(), parent.map(|p| p.to_string()));
    let mut form = vec![("post_id", p.as_str()), ("body", body)];
    if let Some(parent) = &parent {
        form.push(("parent_id", parent));
    }
    app.call_as(c, "reply/create", &form)
        .await
        .ok()
        .as_i64()
        .expect("reply id")
}

async fn page(app: &TestApp, c: &Client, id: i64) -> Value {
    app.call_as(c, "post", &[("id", &id.to_string())])
        .await
        .ok()
}

async fn feed(app: &TestApp, c: &Client, scope: &str, sort: &str, cursor: Option<&str>) -> Value {
    let mut form = vec![("scope", scope), ("sort", sort), ("window", "all")];
    if let Some(cur) = cursor {
        form.push(("cursor", cur));
    }
    app.call_as(c, "feed", &form).await.ok()
}

fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect()
}

async fn members_post_and_replies_nest(app: TestApp) {
    community(&app).await;
    let a = member(&app, "asker_a", true).await;
    let outsider = member(&app, "outsider_o", false).await;

    let form = [
        ("community", "ms"),
        ("kind", "question"),
        ("title", "Fatigue after a relapse?"),
        ("body", "Does it get better?"),
        ("tags", ""),
        ("visibility", "public"),
    ];
    assert_eq!(
        app.call_as(&outsider, "post/create", &form).await.error(),
        AppError::JoinRequired
    );
    assert_eq!(
        app.call_as(&new_client(), "post/create", &form)
            .await
            .error(),
        AppError::Unauthenticated
    );
    let e = app
        .call_as(
            &a,
            "post/create",
            &[
                ("community", "ms"),
                ("kind", "poll"),
                ("title", "Hi"),
                ("body", "  "),
                ("tags", "<b>, x y z w v u"),
                ("visibility", "friends"),
            ],
        )
        .await
        .error();
    for field in ["kind", "title", "body", "tags", "visibility"] {
        assert!(e.field_message(field).is_some(), "{field}: {e:?}");
    }

    let id = post(
        &app,
        &a,
        "discussion",
        "public",
        "Tips for hot weather",
        "Heat makes my legs weak.",
    )
    .await;
    let d = app.call_as(&a, "community", &[("slug", "ms")]).await.ok();
    assert_eq!(d["summary"]["post_count"], 1);

    // A chain of six replies, each answering the one before.
    let b = member(&app, "replier_b", true).await;
    let mut parent = None;
    let mut chain = Vec::new();
    for i in 0..6 {
        let who = if i % 2 == 0 { &b } else { &a };
        let r = reply(&app, who, id, parent, &format!("Reply number {i}")).await;
        chain.push(r);
        parent = Some(r);
    }
    let other = reply(&app, &b, id, None, "A second top-level comment").await;
    let p = page(&app, &new_client(), id).await;
    let replies = p["replies"].as_array().unwrap();
    let order: Vec<i64> = replies.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    let mut expected = chain.clone();
    expected.push(other);
    assert_eq!(order, expected, "each reply sits under its parent");
    let depths: Vec<i64> = replies
        .iter()
        .map(|r| r["depth"].as_i64().unwrap())
        .collect();
    assert_eq!(depths, vec![0, 1, 2, 3, 4, 4, 0]);
    assert_eq!(replies[5]["in_reply_to"], "@replier_b");
    assert_eq!(replies[4]["in_reply_to"], Value::Null);
    assert_eq!(p["post"]["reply_count"], 7);
    assert_eq!(
        p["post"]["answer_count"], 0,
        "discussions have comments, not answers"
    );

    // A parent from another post is refused.
    let elsewhere = post(
        &app,
        &a,
        "question",
        "public",
        "Another question here",
        "Body",
    )
    .await;
    let r = app
        .call_as(
            &b,
            "reply/create",
            &[
                ("post_id", &elsewhere.to_string()),
                ("parent_id", &chain[0].to_string()),
                ("body", "x"),
            ],
        )
        .await;
    assert_eq!(r.error(), AppError::NotFound);
    let e = app
        .call_as(
            &b,
            "reply/create",
            &[("post_id", &id.to_string()), ("body", " ")],
        )
        .await
        .error();
    assert!(e.field_message("body").is_some());

    // Only the author edits; the edit is marked.
    let edit = [
        ("id", id.to_string()),
        ("title", "Tips for hot summer weather".to_string()),
        (
            "body",
            "Heat makes my legs weak. Cooling vests help.".to_string(),
        ),
        ("tags", "heat".to_string()),
        ("visibility", "public".to_string()),
    ];
    let edit: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&b, "post/edit", &edit).await.error(),
        AppError::Forbidden
    );
    app.call_as(&a, "post/edit", &edit).await.ok();
    let p = page(&app, &a, id).await;
    assert_eq!(p["post"]["title"], "Tips for hot summer weather");
    assert!(p["edited_at"].is_i64());
    assert_eq!(p["post"]["tags"], serde_json::json!(["heat"]));
    assert!(p["body_md"].as_str().unwrap().contains("Cooling vests"));
    let p = page(&app, &b, id).await;
    assert_eq!(p["body_md"], Value::Null, "only the author gets the source");
}

async fn helpful_votes_toggle(app: TestApp) {
    community(&app).await;
    let a = member(&app, "author_a", true).await;
    let b = member(&app, "voter_b", true).await;
    let outsider = member(&app, "outsider_c", false).await;
    let id = post(
        &app,
        &a,
        "question",
        "public",
        "Cooling vests: worth it?",
        "Body",
    )
    .await;
    let rid = reply(&app, &b, id, None, "Yes, for me").await;
    let v = vote(&app, &b, "post", id).await.ok();
    assert_eq!(
        (v["voted"].as_bool(), v["count"].as_i64()),
        (Some(true), Some(1))
    );
    let v = vote(&app, &b, "post", id).await.ok();
    assert_eq!(
        (v["voted"].as_bool(), v["count"].as_i64()),
        (Some(false), Some(0))
    );
    vote(&app, &b, "post", id).await.ok();
    let e = vote(&app, &a, "post", id).await.error();
    assert!(
        e.field_message("vote").is_some(),
        "no votes for your own post: {e:?}"
    );
    assert_eq!(
        vote(&app, &outsider, "post", id).await.error(),
        AppError::JoinRequired
    );
    assert_eq!(
        vote(&app, &new_client(), "post", id).await.error(),
        AppError::Unauthenticated
    );
    let v = vote(&app, &a, "reply", rid).await.ok();
    assert_eq!(v["count"], 1);

    let p = page(&app, &b, id).await;
    assert_eq!(p["post"]["vote_count"], 1);
    assert_eq!(p["voted"], true);
    assert_eq!(p["replies"][0]["vote_count"], 1);
    assert_eq!(
        p["replies"][0]["voted"], false,
        "b did not vote for the reply"
    );
    let p = page(&app, &a, id).await;
    assert_eq!(p["replies"][0]["voted"], true);
    let stored: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM post_votes")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "one row per member, the column matches");
}

async fn only_the_asker_accepts_an_answer(app: TestApp) {
    community(&app).await;
    let asker = member(&app, "asker_q", true).await;
    let helper = member(&app, "helper_h", true).await;
    let q = post(
        &app,
        &asker,
        "question",
        "public",
        "Which cooling vest works?",
        "Body",
    )
    .await;
    let answer = reply(&app, &helper, q, None, "The gel kind").await;
    let comment = reply(&app, &asker, q, Some(answer), "Thanks, which brand?").await;
    assert_eq!(
        accept(&app, &helper, q, Some(answer)).await.error(),
        AppError::Forbidden
    );
    assert_eq!(
        accept(&app, &new_client(), q, Some(answer)).await.error(),
        AppError::Unauthenticated
    );
    assert_eq!(
        accept(&app, &asker, q, Some(comment)).await.error(),
        AppError::NotFound,
        "a comment under an answer is not an answer"
    );
    accept(&app, &asker, q, Some(answer)).await.ok();
    let p = page(&app, &new_client(), q).await;
    assert_eq!(p["post"]["accepted"], true);
    assert_eq!(p["replies"][0]["accepted"], true);
    assert_eq!(p["post"]["answer_count"], 1);
    let open = feed(&app, &new_client(), "ms", "open", None).await;
    assert!(
        !ids(&open).contains(&q),
        "accepted questions leave No accepted answer"
    );
    accept(&app, &asker, q, None).await.ok();
    let p = page(&app, &new_client(), q).await;
    assert_eq!(p["post"]["accepted"], false);
    let open = feed(&app, &new_client(), "ms", "open", None).await;
    assert!(ids(&open).contains(&q));
    // It has an answer, so it is not among the questions nobody has answered.
    let unanswered = feed(&app, &new_client(), "ms", "unanswered", None).await;
    assert!(!ids(&unanswered).contains(&q));

    let d = post(
        &app,
        &asker,
        "discussion",
        "public",
        "A discussion, not a question",
        "Body",
    )
    .await;
    let r = reply(&app, &helper, d, None, "comment").await;
    let d = d.to_string();
    let r = r.to_string();
    let res = app
        .call_as(
            &asker,
            "post/accept",
            &[("post_id", d.as_str()), ("reply_id", r.as_str())],
        )
        .await;
    assert_eq!(
        res.error(),
        AppError::BadRequest,
        "discussions have no accepted answer"
    );
}

async fn clinician_badge_only_when_verified(app: TestApp) {
    community(&app).await;
    let asker = member(&app, "asker_b", true).await;
    let verified = member(&app, "dr_verified", true).await;
    let pending = member(&app, "dr_pending", true).await;
    for (handle, status) in [("dr_verified", "verified"), ("dr_pending", "pending")] {
        sqlx::query(
            "UPDATE users SET kind = 'clinician', clinician_status = $1, specialty = 'neurology' WHERE handle = $2",
        )
        .bind(status)
        .bind(handle)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let q1 = post(
        &app,
        &asker,
        "question",
        "public",
        "Is numbness a relapse?",
        "Body",
    )
    .await;
    reply(&app, &pending, q1, None, "Possibly; ask your team.").await;
    let p = page(&app, &new_client(), q1).await;
    assert_eq!(p["replies"][0]["author"]["badge"], Value::Null);
    assert_eq!(p["post"]["clinician_answered"], false);

    let q2 = post(
        &app,
        &asker,
        "question",
        "public",
        "Is tingling a relapse?",
        "Body",
    )
    .await;
    reply(
        &app,
        &verified,
        q2,
        None,
        "New symptoms lasting over 24 hours may be.",
    )
    .await;
    let p = page(&app, &new_client(), q2).await;
    assert_eq!(p["replies"][0]["author"]["badge"], "Verified neurologist");
    assert_eq!(p["post"]["clinician_answered"], true);
    let list = feed(&app, &new_client(), "ms", "new", None).await;
    let by_id = |id: i64| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_id(q2)["clinician_answered"], true, "lists say so");
    assert_eq!(by_id(q1)["clinician_answered"], false);

    // The badge shows on the HTML page too.
    let (_, html) = app.get(&format!("/p/{q2}")).await;
    assert!(html.contains("Verified neurologist"), "badge on the page");
    let (_, html) = app.get(&format!("/p/{q1}")).await;
    assert!(!html.contains("Verified neurologist"));
}

async fn members_only_posts_stay_private_on_every_path(app: TestApp) {
    community(&app).await;
    let author = member(&app, "private_author", true).await;
    let fellow = member(&app, "fellow_member", true).await;
    let outsider = member(&app, "outsider_x", false).await;
    let secret = "SECRET-DETAIL-AFTER-THE-EXCERPT";
    let body = format!(
        "{} {secret}",
        "I started a new treatment and I feel unsure about it. ".repeat(6)
    );
    let id = post(
        &app,
        &author,
        "question",
        "members",
        "A members-only question here",
        &body,
    )
    .await;
    let reply_secret = "MEMBER-REPLY-TEXT";
    reply(&app, &fellow, id, None, reply_secret).await;

    for (who, c) in [("anonymous", new_client()), ("outsider", outsider.clone())] {
        // The server function: excerpt only.
        let p = page(&app, &c, id).await;
        assert_eq!(p["locked"], true, "{who}");
        assert_eq!(p["body_html"], Value::Null, "{who}");
        assert_eq!(p["replies"], serde_json::json!([]), "{who}");
        assert_eq!(
            p["post"]["author"],
            Value::Null,
            "{who}: the author stays private too"
        );
        let excerpt = p["post"]["excerpt"].as_str().unwrap();
        assert!(!excerpt.is_empty() && !excerpt.contains(secret), "{who}");
        let raw = app
            .call_as(&c, "post", &[("id", &id.to_string())])
            .await
            .body;
        assert!(
            !raw.contains(secret) && !raw.contains(reply_secret),
            "{who}"
        );
        // The community feed lists it as an excerpt without the author.
        let f = feed(&app, &c, "ms", "new", None).await;
        let item = &f["items"][0];
        assert_eq!(item["id"], id, "{who}");
        assert_eq!(item["author"], Value::Null, "{who}");
        assert!(!f.to_string().contains(secret), "{who}");
        // The landing feed shows public posts only.
        let f = feed(&app, &c, "public", "new", None).await;
        assert!(!ids(&f).contains(&id), "{who}");
        // Profiles leave it out, counts included.
        for handle in ["private_author", "fellow_member"] {
            let a = app
                .call_as(&c, "profile/activity", &[("handle", handle)])
                .await
                .ok();
            assert!(
                !a.to_string().contains("members-only question"),
                "{who} {handle}"
            );
            assert_eq!(a["post_count"], 0, "{who}");
            assert_eq!(a["answer_count"], 0, "{who}");
        }
    }
    // The outsider cannot reply or vote, and their home feed does not carry it.
    let r = app
        .call_as(
            &outsider,
            "reply/create",
            &[("post_id", &id.to_string()), ("body", "hi")],
        )
        .await;
    assert_eq!(r.error(), AppError::Forbidden);
    let r = app
        .call_as(
            &outsider,
            "vote",
            &[("target", "post"), ("id", &id.to_string())],
        )
        .await;
    assert_eq!(r.error(), AppError::Forbidden);
    assert!(ids(&feed(&app, &outsider, "home", "new", None).await).is_empty());
    assert_eq!(
        app.call_as(&new_client(), "feed", &[("scope", "home"), ("sort", "new")])
            .await
            .error(),
        AppError::Unauthenticated
    );

    // The HTML page: title, excerpt, a join prompt and noindex; no body, no replies.
    let (status, html) = app.get(&format!("/p/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("A members-only question here"));
    assert!(
        html.contains(r#"name="robots" content="noindex""#),
        "noindex"
    );
    assert!(html.contains("This post is for members of"));
    assert!(
        !html.contains(secret) && !html.contains(reply_secret),
        "no body or replies in the page"
    );

    // Members read it all, everywhere.
    let p = page(&app, &fellow, id).await;
    assert_eq!(p["locked"], false);
    assert!(p["body_html"].as_str().unwrap().contains(secret));
    assert_eq!(p["post"]["author"]["handle"], "private_author");
    let a = app
        .call_as(&fellow, "profile/activity", &[("handle", "private_author")])
        .await
        .ok();
    assert_eq!(a["post_count"], 1);
    let a = app
        .call_as(&author, "profile/activity", &[("handle", "fellow_member")])
        .await
        .ok();
    assert_eq!(a["answer_count"], 1);
    assert!(ids(&feed(&app, &fellow, "home", "new", None).await).contains(&id));

    // Made public by its author, it shows everywhere.
    let form = [
        ("id", id.to_string()),
        ("title", "A members-only question here".to_string()),
        ("body", body.clone()),
        ("tags", String::new()),
        ("visibility", "public".to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(&author, "post/edit", &form).await.ok();
    let p = page(&app, &new_client(), id).await;
    assert_eq!(p["locked"], false);
    assert!(ids(&feed(&app, &new_client(), "public", "new", None).await).contains(&id));
}

async fn soft_delete_keeps_the_replies(app: TestApp) {
    let admin = community(&app).await;
    let a = member(&app, "author_del", true).await;
    let b = member(&app, "replier_del", true).await;
    let id = post(
        &app,
        &a,
        "discussion",
        "public",
        "Something I will regret",
        "Too personal",
    )
    .await;
    let r1 = reply(&app, &b, id, None, "First reply").await;
    let r2 = reply(&app, &a, id, Some(r1), "Answer to the first reply").await;

    assert_eq!(
        del(&app, &b, "post/delete", id).await.error(),
        AppError::Forbidden
    );
    assert_eq!(
        del(&app, &a, "reply/delete", r1).await.error(),
        AppError::Forbidden
    );
    del(&app, &b, "reply/delete", r1).await.ok();
    let p = page(&app, &a, id).await;
    let first = &p["replies"][0];
    assert_eq!(first["deleted"], true);
    assert_eq!(first["author"], Value::Null);
    assert_eq!(first["body_html"], "");
    assert_eq!(p["replies"][1]["id"], r2, "the answer to it stays");
    assert_eq!(p["replies"][1]["in_reply_to"], Value::Null);
    assert_eq!(p["post"]["reply_count"], 1);
    let e = app
        .call_as(
            &b,
            "reply/create",
            &[
                ("post_id", &id.to_string()),
                ("parent_id", &r1.to_string()),
                ("body", "x"),
            ],
        )
        .await
        .error();
    assert_eq!(e, AppError::Deleted);

    del(&app, &a, "post/delete", id).await.ok();
    del(&app, &a, "post/delete", id).await.ok(); // twice is once
    let p = page(&app, &new_client(), id).await;
    assert_eq!(p["deleted"], true);
    assert_eq!(p["post"]["title"], "[deleted]");
    assert_eq!(p["body_html"], Value::Null);
    assert_eq!(
        p["replies"].as_array().unwrap().len(),
        2,
        "replies keep their context"
    );
    assert!(!p.to_string().contains("Too personal"));
    let stored: String = sqlx::query_scalar("SELECT body_md FROM posts WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, "", "the words are gone from the database");
    let d = app.call_as(&a, "community", &[("slug", "ms")]).await.ok();
    assert_eq!(d["summary"]["post_count"], 0);
    assert!(!ids(&feed(&app, &a, "ms", "new", None).await).contains(&id));
    assert_eq!(
        app.call_as(
            &b,
            "reply/create",
            &[("post_id", &id.to_string()), ("body", "x")]
        )
        .await
        .error(),
        AppError::Deleted
    );

    // An admin removes someone else's post.
    let other = post(
        &app,
        &b,
        "question",
        "public",
        "An off-topic advert post",
        "Buy now",
    )
    .await;
    del(&app, &admin, "post/delete", other).await.ok();
    assert_eq!(page(&app, &b, other).await["deleted"], true);
}

async fn keyset_pages_are_stable_under_inserts(app: TestApp) {
    community(&app).await;
    let a = member(&app, "prolific_a", true).await;
    let mut created = Vec::new();
    for i in 0..25 {
        created.push(
            post(
                &app,
                &a,
                "discussion",
                "public",
                &format!("Post number {i:02} here"),
                "Body",
            )
            .await,
        );
    }
    let first = feed(&app, &new_client(), "ms", "new", None).await;
    assert_eq!(ids(&first).len(), 20);
    let cursor = first["next"].as_str().expect("a next page").to_string();
    // New posts arrive between the two page loads.
    let mut late = Vec::new();
    for i in 0..3 {
        late.push(
            post(
                &app,
                &a,
                "discussion",
                "public",
                &format!("Late arrival {i} here"),
                "Body",
            )
            .await,
        );
    }
    let second = feed(&app, &new_client(), "ms", "new", Some(&cursor)).await;
    assert_eq!(second["next"], Value::Null);
    let mut seen = ids(&first);
    seen.extend(ids(&second));
    let mut expected = created.clone();
    expected.reverse();
    assert_eq!(seen, expected, "no post twice, none skipped");

    // Active pages by last reply, with the same guarantee.
    let b = member(&app, "replier_k", true).await;
    reply(&app, &b, created[3], None, "bump").await;
    let first = feed(&app, &new_client(), "ms", "active", None).await;
    assert_eq!(ids(&first)[0], created[3]);
    let cursor = first["next"].as_str().unwrap().to_string();
    reply(&app, &b, created[10], None, "bump while paging").await;
    let second = feed(&app, &new_client(), "ms", "active", Some(&cursor)).await;
    let mut all = ids(&first);
    all.extend(ids(&second));
    let unique: std::collections::HashSet<i64> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "no duplicates");
    // None skipped: every post whose activity did not change while paging is on one of the two
    // pages (the one bumped in between may have moved above the cursor).
    let missing: Vec<i64> = created
        .iter()
        .chain(late.iter())
        .copied()
        .filter(|id| *id != created[10] && !unique.contains(id))
        .collect();
    assert!(missing.is_empty(), "skipped while paging: {missing:?}");
    assert_eq!(all.len() + usize::from(!unique.contains(&created[10])), 28);

    let bad = app
        .call_as(
            &new_client(),
            "feed",
            &[("scope", "ms"), ("sort", "new"), ("cursor", "x_y")],
        )
        .await;
    assert_eq!(bad.error(), AppError::BadRequest);
    let missing = app
        .call_as(
            &new_client(),
            "feed",
            &[("scope", "no-such"), ("sort", "new")],
        )
        .await;
    assert_eq!(missing.error(), AppError::NotFound);
}

async fn feeds_sort_and_filter(app: TestApp) {
    community(&app).await;
    let a = member(&app, "feeder_a", true).await;
    let b = member(&app, "feeder_b", true).await;
    let c = member(&app, "feeder_c", true).await;
    let q_open = post(
        &app,
        &a,
        "question",
        "public",
        "An open question here",
        "Body",
    )
    .await;
    let q_answered = post(
        &app,
        &a,
        "question",
        "public",
        "An answered question",
        "Body",
    )
    .await;
    let d = post(
        &app,
        &a,
        "discussion",
        "public",
        "A popular discussion",
        "Body",
    )
    .await;
    // Answered (by a verified clinician, say) but no answer accepted: the case the old
    // "Unanswered" tab listed.
    let q_waiting = post(
        &app,
        &a,
        "question",
        "public",
        "A question with an answer not yet accepted",
        "Body",
    )
    .await;
    reply(&app, &c, q_waiting, None, "answer").await;
    let ans = reply(&app, &b, q_answered, None, "answer").await;
    app.call_as(
        &a,
        "post/accept",
        &[
            ("post_id", &q_answered.to_string()),
            ("reply_id", &ans.to_string()),
        ],
    )
    .await
    .ok();
    for voter in [&b, &c] {
        app.call_as(voter, "vote", &[("target", "post"), ("id", &d.to_string())])
            .await
            .ok();
    }
    app.call_as(
        &b,
        "vote",
        &[("target", "post"), ("id", &q_open.to_string())],
    )
    .await
    .ok();

    assert_eq!(
        ids(&feed(&app, &b, "ms", "new", None).await),
        vec![q_waiting, d, q_answered, q_open]
    );
    assert_eq!(
        ids(&feed(&app, &b, "ms", "top", None).await),
        vec![d, q_open, q_waiting, q_answered]
    );
    // "No answers yet": questions without any answer; "No accepted answer": answered or not,
    // none accepted. Both on a community, the landing (public) and the home feed.
    for scope in ["ms", "public", "home"] {
        assert_eq!(
            ids(&feed(&app, &b, scope, "unanswered", None).await),
            vec![q_open],
            "{scope}"
        );
        assert_eq!(
            ids(&feed(&app, &b, scope, "open", None).await),
            vec![q_waiting, q_open],
            "{scope}"
        );
    }
    assert_eq!(
        ids(&feed(&app, &b, "ms", "active", None).await)[0],
        q_answered
    );
    assert_eq!(
        ids(&feed(&app, &b, "home", "new", None).await),
        vec![q_waiting, d, q_answered, q_open]
    );
    let outsider = member(&app, "feeder_out", false).await;
    assert!(ids(&feed(&app, &outsider, "home", "new", None).await).is_empty());
    // Top within a week leaves out older posts.
    sqlx::query("UPDATE posts SET created_at = created_at - 8 * 86400000 WHERE id = $1")
        .bind(d)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let week = app
        .call_as(
            &b,
            "feed",
            &[("scope", "ms"), ("sort", "top"), ("window", "week")],
        )
        .await
        .ok();
    assert_eq!(ids(&week), vec![q_open, q_waiting, q_answered]);

    // The HTML feed works without JavaScript: tabs are links, and "Load more" is a link.
    let (_, html) = app.get("/c/ms?sort=unanswered").await;
    assert!(html.contains("An open question here"));
    assert!(!html.contains("An answered question"));
    assert!(!html.contains("an answer not yet accepted"));
    assert!(html.contains(">No answers yet<") && html.contains(">No accepted answer<"));
    assert!(html.contains(r#"href="/c/ms?sort=open""#));
    assert!(
        html.contains(r#"href="/c/ms?sort=top&amp;t=month""#)
            || html.contains(r#"href="/c/ms?sort=top&t=month""#)
    );
    let (_, html) = app.get("/c/ms?sort=open").await;
    assert!(html.contains("An open question here"));
    assert!(html.contains("an answer not yet accepted"));
    assert!(!html.contains("An answered question"));
}

async fn hostile_markdown_is_harmless(app: TestApp) {
    community(&app).await;
    let a = member(&app, "hostile_h", true).await;
    let payloads = [
        "<script>alert('x')</script>",
        "</title><script>alert(2)</script>",
        "[click me](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><circle r=1/></svg>",
        "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">link</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<style>body{display:none}</style>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<p style=\"background:url(javascript:alert(1))\">styled</p>",
    ];
    for (i, payload) in payloads.iter().enumerate() {
        let title = format!("Payload {i}: {payload}");
        let title: String = title.chars().take(150).collect();
        let id = post(&app, &a, "discussion", "public", &title, payload).await;
        reply(&app, &a, id, None, payload).await;
        let p = page(&app, &a, id).await;
        let body = p["body_html"].as_str().unwrap();
        let reply_html = p["replies"][0]["body_html"].as_str().unwrap();
        for html in [body, reply_html] {
            for tag in tags(html) {
                for bad in [
                    "<script",
                    "<svg",
                    "<img",
                    "<iframe",
                    "<style",
                    "<math",
                    " on",
                    "javascript:",
                    "data:",
                    "style=",
                ] {
                    assert!(!tag.contains(bad), "{payload} → {html}");
                }
            }
        }
        assert_eq!(
            p["post"]["title"],
            title.split_whitespace().collect::<Vec<_>>().join(" "),
            "stored as typed"
        );
        let (_, page_html) = app.get(&format!("/p/{id}")).await;
        let lower = page_html.to_lowercase();
        assert!(!lower.contains("<script>alert"), "{payload}");
        for tag in tags(&lower) {
            // The page's description and link-preview tags quote the post's text as an
            // attribute value: escaped, so the words are there but can neither close the tag
            // nor become markup.
            if tag.starts_with("<meta name=\"description\"")
                || tag.starts_with("<meta property=\"og:")
                || tag.starts_with("<meta name=\"twitter:")
            {
                let value = &tag[tag.find("content=\"").map(|i| i + 9).unwrap_or(0)..tag.len() - 1];
                assert!(
                    value
                        .trim_end_matches('"')
                        .chars()
                        .all(|c| c != '<' && c != '"'),
                    "{payload} breaks out of {tag}"
                );
                continue;
            }
            for bad in ["alert", "<img", "<iframe", "<math", "javascript:"] {
                assert!(!tag.contains(bad), "{payload} in page: {tag}");
            }
        }
    }
    let (_, html) = app.get("/c/ms").await;
    assert!(html.contains("&lt;script&gt;"), "titles are shown as text");
}

/// The tags of an HTML string (text never holds a raw `<`: it is escaped as `&lt;`).
fn tags(html: &str) -> Vec<String> {
    let lower = html.to_lowercase();
    let mut out = Vec::new();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map(|e| start + e + 1)
            .unwrap_or(rest.len());
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

async fn vote(app: &TestApp, c: &Client, target: &str, id: i64) -> crate::common::Reply {
    app.call_as(c, "vote", &[("target", target), ("id", &id.to_string())])
        .await
}

async fn accept(app: &TestApp, c: &Client, post: i64, reply: Option<i64>) -> crate::common::Reply {
    let (post, reply) = (post.to_string(), reply.map(|r| r.to_string()));
    let mut form = vec![("post_id", post.as_str())];
    if let Some(r) = &reply {
        form.push(("reply_id", r.as_str()));
    }
    app.call_as(c, "post/accept", &form).await
}

async fn del(app: &TestApp, c: &Client, endpoint: &str, id: i64) -> crate::common::Reply {
    app.call_as(c, endpoint, &[("id", &id.to_string())]).await
}

async fn the_team_pins_posts_to_the_top_of_a_community(app: TestApp) {
    let admin = community(&app).await;
    let author = member(&app, "author_a", true).await;
    let moderator = member(&app, "mod_m", true).await;
    let other = member(&app, "other_o", true).await;
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'mod_m')")
        .execute(&app.db.pool)
        .await
        .expect("moderator");
    let public = post(
        &app,
        &author,
        "question",
        "public",
        "Start here: the MS basics",
        "Read this first.",
    )
    .await;
    let private = post(
        &app,
        &author,
        "discussion",
        "members",
        "Members pinned topic",
        "Secret members body.",
    )
    .await;
    let pin = |c: &Client, id: i64, on: bool| {
        let (c, app) = (c.clone(), &app);
        async move {
            app.call_as(
                &c,
                "post/pin",
                &[
                    ("id", &id.to_string()),
                    ("pinned", if on { "true" } else { "false" }),
                ],
            )
            .await
            .status
        }
    };
    let titles = |v: Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["title"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    // Members who do not moderate the community cannot pin, the author neither.
    for c in [&other, &author] {
        assert_eq!(pin(c, public, true).await, reqwest::StatusCode::FORBIDDEN);
    }
    assert!(titles(
        app.call_as(&other, "feed/pinned", &[("slug", "ms")])
            .await
            .ok()
    )
    .is_empty());

    assert!(
        pin(&moderator, public, true).await.is_redirection()
            || pin(&moderator, public, true).await.is_success()
    );
    assert!(
        pin(&admin, private, true).await.is_redirection()
            || pin(&admin, private, true).await.is_success()
    );
    let v = app
        .call_as(&other, "feed/pinned", &[("slug", "ms")])
        .await
        .ok();
    assert_eq!(
        titles(v),
        vec!["Members pinned topic", "Start here: the MS basics"]
    );
    // A visitor sees the public one, and the members-only one only as the feed shows it to
    // outsiders (title and excerpt, never the body).
    let visitor = new_client();
    let raw = app
        .call_as(&visitor, "feed/pinned", &[("slug", "ms")])
        .await;
    assert!(!raw.body.contains("Secret members body"), "{}", raw.body);
    let (_, html) = app.get("/c/ms").await;
    assert!(html.contains("Pinned by the team"));
    assert!(html.contains("Start here: the MS basics"));
    assert!(!html.contains("Secret members body"));
    // The post page offers the moderator "Unpin"; unpinning empties the block.
    assert_eq!(page(&app, &moderator, public).await["can_pin"], true);
    assert_eq!(page(&app, &other, public).await["can_pin"], false);
    for id in [public, private] {
        pin(&moderator, id, false).await;
    }
    assert!(titles(
        app.call_as(&other, "feed/pinned", &[("slug", "ms")])
            .await
            .ok()
    )
    .is_empty());
    let (_, html) = app.get("/c/ms").await;
    assert!(!html.contains("Pinned by the team"));
}

async fn edit(app: &TestApp, c: &Client, id: i64, title: &str, body: &str) -> crate::common::Reply {
    app.call_as(
        c,
        "post/edit",
        &[
            ("id", &id.to_string()),
            ("title", title),
            ("body", body),
            ("tags", "fatigue"),
            ("visibility", "members"),
        ],
    )
    .await
}

async fn history(app: &TestApp, c: &Client, id: i64) -> crate::common::Reply {
    app.call_as(c, "post/history", &[("id", &id.to_string())])
        .await
}

async fn edits_keep_a_history_for_the_author_and_moderators(app: TestApp) {
    let admin = community(&app).await;
    let author = member(&app, "hist_author", true).await;
    let other = member(&app, "hist_other", true).await;
    let id = post(
        &app,
        &author,
        "discussion",
        "members",
        "Pangolin first title",
        "Pangolin first words.",
    )
    .await;
    // Not edited: no versions.
    let h = history(&app, &other, id).await.ok();
    assert_eq!(h["versions"], serde_json::json!([]), "{h}");
    edit(
        &app,
        &author,
        id,
        "Pangolin second title",
        "Pangolin second words.",
    )
    .await
    .ok();
    // An edit that changes nothing keeps no version.
    edit(
        &app,
        &author,
        id,
        "Pangolin second title",
        "Pangolin second words.",
    )
    .await
    .ok();
    edit(
        &app,
        &author,
        id,
        "Pangolin third title",
        "Pangolin third words.",
    )
    .await
    .ok();

    // The author and a moderator (the admin) read every earlier version, newest first.
    for c in [&author, &admin] {
        let h = history(&app, c, id).await.ok();
        assert_eq!(h["full"], Value::Bool(true), "{h}");
        let titles: Vec<&str> = h["versions"]
            .as_array()
            .expect("versions")
            .iter()
            .filter_map(|v| v["title"].as_str())
            .collect();
        assert_eq!(titles, ["Pangolin second title", "Pangolin first title"]);
        assert!(h["versions"][1]["body_html"]
            .as_str()
            .is_some_and(|b| b.contains("Pangolin first words.")));
    }
    // Another member sees when, not what: no earlier word in the answer or the page.
    let h = history(&app, &other, id).await;
    let v = h.ok();
    assert_eq!(v["full"], Value::Bool(false));
    assert_eq!(v["versions"].as_array().map(Vec::len), Some(2));
    assert!(
        !h.body.contains("first") && !h.body.contains("second"),
        "{}",
        h.body
    );
    let html = other
        .get(format!("{}/p/{id}/history", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Edited twice"), "{html}");
    assert!(!html.contains("first words") && !html.contains("second words"));
    // A visitor cannot open a members-only post's history beyond its teaser: no words either.
    let visitor = history(&app, &new_client(), id).await;
    assert!(!visitor.body.contains("first words"), "{}", visitor.body);
    // An unknown post: 404.
    assert_eq!(
        history(&app, &other, 99_999).await.error(),
        AppError::NotFound
    );

    // Deleting the post deletes its earlier versions too.
    app.call_as(&author, "post/delete", &[("id", &id.to_string())])
        .await
        .ok();
    let left: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM post_versions")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(left, 0);
}

/// The first post card of a page's HTML, up to its end.
fn first_card(html: &str) -> &str {
    let start = html.find(r#"class="post-card""#).expect("a post card");
    let card = &html[start..];
    &card[..card.find("</li>").expect("the card's end")]
}

async fn cards_date_their_posts_and_a_profile_does_not_repeat_its_author(app: TestApp) {
    community(&app).await;
    let pat = member(&app, "card_pat", true).await;
    post(
        &app,
        &pat,
        "question",
        "public",
        "Cooling vests in summer",
        "Body",
    )
    .await;
    // A feed's card names its author and dates the post in a <time> with the exact moment.
    let (_, feed) = app.get("/c/ms").await;
    let card = first_card(&feed);
    assert!(card.contains("By "), "{card}");
    assert!(card.contains(r#"href="/u/card_pat""#), "{card}");
    let time = &card[card.find("<time ").expect("a <time> in the card")..];
    assert!(time.contains(r#"datetime="20"#), "{time}");
    assert!(
        time.contains(r#"Z""#) && time.contains(r#" UTC""#),
        "{time}"
    );
    // On the author's own profile every card is theirs: no "By @card_pat" on each.
    let (status, profile) = app.get("/u/card_pat").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let card = first_card(&profile);
    assert!(card.contains("Cooling vests in summer"), "{card}");
    assert!(!card.contains("By "), "{card}");
    assert!(!card.contains(r#"href="/u/card_pat""#), "{card}");
    assert!(card.contains("<time "), "{card}");
}
