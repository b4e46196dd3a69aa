//! Following on both backends: authors and repliers follow their threads, followers get one grouped notification per thread ("3 new replies"), muting silences a thread (even for its author), a follower who leaves a closed group hears nothing more, community and tag followers hear of new posts they may read, and the `/following` list.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    repliers_follow_and_hear_in_one_grouped_notification,
    muting_silences_a_thread_even_for_its_author,
    a_follower_who_leaves_a_closed_group_hears_nothing_more,
    community_and_tag_followers_hear_of_posts_they_may_read,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

async fn post(
    app: &TestApp,
    c: &Client,
    title: &str,
    (tags, visibility, group): (&str, &str, Option<&str>),
) -> i64 {
    let mut form = vec![
        ("community", "ms"),
        ("kind", "question"),
        ("title", title),
        ("body", "A question worth following."),
        ("tags", tags),
        ("visibility", visibility),
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

async fn reply(app: &TestApp, c: &Client, post: i64, body: &str) -> i64 {
    app.call_as(
        c,
        "reply/create",
        &[("post_id", &post.to_string()), ("body", body)],
    )
    .await
    .ok()
    .as_i64()
    .expect("reply id")
}

/// The member's notifications: (kind, text, read), newest first, and the unread count.
async fn notes(app: &TestApp, c: &Client) -> (Vec<(String, String, bool)>, i64) {
    let p = app.call_as(c, "notifications", &[]).await.ok();
    let items = p["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap_or_default().to_string(),
                n["text"].as_str().unwrap_or_default().to_string(),
                n["read"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    (items, p["unread"].as_i64().unwrap_or(-1))
}

async fn set(app: &TestApp, c: &Client, post: i64, state: &str) -> Value {
    app.call_as(
        c,
        "follow/thread",
        &[("post_id", &post.to_string()), ("state", state)],
    )
    .await
    .ok()
}

async fn repliers_follow_and_hear_in_one_grouped_notification(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let ann = member(&app, "asker_ann").await;
    let bob = member(&app, "helper_bob").await;
    let cat = member(&app, "helper_cat").await;
    let dan = member(&app, "reader_dan").await;
    let id = post(
        &app,
        &ann,
        "Heat and fatigue in summer",
        ("", "public", None),
    )
    .await;
    // The author follows her thread; a reader follows by choice.
    let page = app
        .call_as(&ann, "post", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(page["follow"], "Following");
    assert_eq!(set(&app, &dan, id, "follow").await, "Following");

    reply(&app, &bob, id, "Cooling vests help me.").await;
    let (dans, unread) = notes(&app, &dan).await;
    assert_eq!(unread, 1);
    assert_eq!(dans[0].0, "thread");
    assert!(
        dans[0]
            .1
            .starts_with("@helper_bob replied in “Heat and fatigue"),
        "{dans:?}"
    );
    // The author is told of the answer once, as an answer (not again as a follower).
    let (anns, _) = notes(&app, &ann).await;
    assert_eq!(anns.len(), 1, "{anns:?}");
    assert_eq!(anns[0].0, "answer");

    reply(&app, &cat, id, "Cold showers before going out.").await;
    reply(&app, &cat, id, "And water, lots of it.").await;
    let (dans, unread) = notes(&app, &dan).await;
    assert_eq!(unread, 1, "three replies are one unread notification");
    assert_eq!(dans.len(), 1, "{dans:?}");
    assert!(
        dans[0].1.starts_with("3 new replies in “Heat and fatigue"),
        "{dans:?}"
    );
    // Bob replied, so he follows: he hears of Cat's two replies, grouped.
    let (bobs, _) = notes(&app, &bob).await;
    assert!(bobs[0].1.starts_with("2 new replies in"), "{bobs:?}");

    // Opening the thread reads it; the next reply starts a new group of one.
    app.call_as(&dan, "post", &[("id", &id.to_string())])
        .await
        .ok();
    let (dans, unread) = notes(&app, &dan).await;
    assert_eq!((unread, dans[0].2), (0, true));
    reply(&app, &bob, id, "One more tip: shade.").await;
    let (dans, unread) = notes(&app, &dan).await;
    assert_eq!(unread, 1);
    assert!(dans[0].1.starts_with("@helper_bob replied in"), "{dans:?}");

    // Unfollowing stops it; the list shows what is followed.
    assert_eq!(set(&app, &dan, id, "unfollow").await, "None");
    reply(&app, &cat, id, "Evening walks instead.").await;
    assert_eq!(
        notes(&app, &dan).await.1,
        1,
        "an unfollowed thread still told Dan"
    );
    let list = app.call_as(&bob, "following", &[]).await.ok();
    assert_eq!(
        list["threads"][0]["post"]["title"],
        "Heat and fatigue in summer"
    );
    // Titles to choose from, not bodies.
    assert_eq!(list["threads"][0]["post"]["excerpt"], "");
    assert_eq!(
        app.call_as(&dan, "following", &[]).await.ok()["threads"],
        Value::Array(vec![])
    );
    // Visitors cannot follow; an unknown state is a field error.
    assert_eq!(
        app.call_as(
            &new_client(),
            "follow/thread",
            &[("post_id", &id.to_string()), ("state", "follow")]
        )
        .await
        .error(),
        AppError::Unauthenticated
    );
    assert!(matches!(
        app.call_as(
            &dan,
            "follow/thread",
            &[("post_id", &id.to_string()), ("state", "maybe")]
        )
        .await
        .error(),
        AppError::Validation(_)
    ));
}

async fn muting_silences_a_thread_even_for_its_author(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let ann = member(&app, "asker_ann").await;
    let bob = member(&app, "helper_bob").await;
    let id = post(&app, &ann, "Too many answers", ("", "public", None)).await;
    assert_eq!(set(&app, &ann, id, "mute").await, "Muted");
    let first = reply(&app, &bob, id, "Here is one more answer.").await;
    assert_eq!(
        notes(&app, &ann).await.0.len(),
        0,
        "a muted thread told its author"
    );
    // A reply to her comment in a muted thread is silent too.
    let hers = reply(&app, &ann, id, "Thanks, that is enough now.").await;
    app.call_as(
        &bob,
        "reply/create",
        &[
            ("post_id", &id.to_string()),
            ("parent_id", &hers.to_string()),
            ("body", "You are welcome."),
        ],
    )
    .await
    .ok();
    assert_eq!(notes(&app, &ann).await.0.len(), 0);
    // Replying did not undo the mute.
    let page = app
        .call_as(&ann, "post", &[("id", &id.to_string())])
        .await
        .ok();
    assert_eq!(page["follow"], "Muted");
    // Unmuted, she hears of answers again (as the asker), and not as a follower.
    assert_eq!(set(&app, &ann, id, "unfollow").await, "None");
    reply(&app, &bob, id, "A last answer.").await;
    let (anns, unread) = notes(&app, &ann).await;
    assert_eq!(unread, 1);
    assert_eq!(anns[0].0, "answer");
    let _ = first;
}

async fn a_follower_who_leaves_a_closed_group_hears_nothing_more(app: TestApp) {
    let admin = app.admin_with_community().await;
    let ann = member(&app, "group_ann").await;
    let cat = member(&app, "group_cat").await;
    let slug = app
        .call_as(
            &admin,
            "group/create",
            &[
                ("community", "ms"),
                ("name", "Night owls"),
                ("description", "A small private group."),
                ("kind", "private"),
                ("question", "Why join?"),
            ],
        )
        .await
        .ok()
        .as_str()
        .expect("group")
        .to_string();
    for handle in ["group_ann", "group_cat"] {
        let c = if handle == "group_ann" { &ann } else { &cat };
        app.call_as(c, "group/join", &[("slug", &slug), ("answer", "To talk.")])
            .await
            .ok();
        app.call_as(
            &admin,
            "group/decide",
            &[("slug", &slug), ("handle", handle), ("approve", "true")],
        )
        .await
        .ok();
    }
    let id = post(
        &app,
        &admin,
        "Who else is awake?",
        ("", "members", Some(&slug)),
    )
    .await;
    reply(&app, &ann, id, "Me, every night.").await;
    reply(&app, &cat, id, "Me too.").await;
    let (anns, _) = notes(&app, &ann).await;
    assert!(anns.iter().any(|n| n.0 == "thread"), "{anns:?}");
    app.call_as(&ann, "notifications/read", &[]).await.ok();
    assert_eq!(notes(&app, &ann).await.1, 0);
    // Ann leaves: Cat's next reply tells her nothing, though the follow row is still there.
    app.call_as(&ann, "group/leave", &[("slug", &slug)])
        .await
        .ok();
    reply(&app, &cat, id, "Still here.").await;
    let (anns, unread) = notes(&app, &ann).await;
    assert_eq!(unread, 0, "a member who left the group was told: {anns:?}");
    assert!(!anns.iter().any(|n| n.1.contains("Still")));
    // And her list no longer shows the group's thread.
    let list = app.call_as(&ann, "following", &[]).await;
    assert!(!list.body.contains("Who else is awake"), "{}", list.body);
    // Nor can an outsider follow it.
    let outsider = member(&app, "outsider_ed").await;
    assert_eq!(
        app.call_as(
            &outsider,
            "follow/thread",
            &[("post_id", &id.to_string()), ("state", "follow")]
        )
        .await
        .error(),
        AppError::NotFound
    );
}

async fn community_and_tag_followers_hear_of_posts_they_may_read(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let ann = member(&app, "poster_ann").await;
    let fay = member(&app, "follower_fay").await;
    // Gus follows the community and a tag without being a member.
    let gus = new_client();
    app.signup_as(&gus, "outsider_gus", PW).await.ok();
    for c in [&fay, &gus] {
        assert_eq!(
            app.call_as(c, "follow/community", &[("slug", "ms"), ("follow", "yes")])
                .await
                .ok(),
            Value::Bool(true)
        );
    }
    let hal = member(&app, "tagger_hal").await;
    assert_eq!(
        app.call_as(
            &hal,
            "follow/tag",
            &[("tag", " Heat Sensitivity "), ("follow", "yes")]
        )
        .await
        .ok(),
        Value::Bool(true)
    );
    app.call_as(
        &hal,
        "follow/community",
        &[("slug", "ms"), ("follow", "no")],
    )
    .await
    .ok();

    post(
        &app,
        &ann,
        "Public post about heat",
        ("heat sensitivity", "public", None),
    )
    .await;
    let (fays, _) = notes(&app, &fay).await;
    assert_eq!(fays[0].0, "followed");
    assert_eq!(
        fays[0].1,
        "@poster_ann posted “Public post about heat” in Multiple Sclerosis"
    );
    let (hals, _) = notes(&app, &hal).await;
    assert_eq!(hals.len(), 1, "{hals:?}");
    assert!(hals[0].1.contains("tagged heat-sensitivity"), "{hals:?}");
    assert_eq!(
        notes(&app, &gus).await.0.len(),
        1,
        "a public post is for everyone"
    );

    // A members-only post: the member follower hears, the outsider does not.
    post(&app, &ann, "Members-only post", ("", "members", None)).await;
    let (fays, unread) = notes(&app, &fay).await;
    assert_eq!(unread, 1, "two posts are one notification");
    assert_eq!(fays[0].1, "2 new posts in Multiple Sclerosis");
    let (guss, _) = notes(&app, &gus).await;
    assert_eq!(
        guss.len(),
        1,
        "an outsider heard of a members-only post: {guss:?}"
    );
    assert!(!guss.iter().any(|n| n.1.contains("Members-only")));
    // The author is never told of their own post.
    assert!(notes(&app, &ann).await.0.is_empty());

    // The list shows communities and tags; a bad tag is a field error.
    let list = app.call_as(&hal, "following", &[]).await.ok();
    assert_eq!(list["tags"], serde_json::json!(["heat-sensitivity"]));
    assert_eq!(list["communities"], serde_json::json!([]));
    let list = app.call_as(&fay, "following", &[]).await.ok();
    assert_eq!(list["communities"][0][0], "ms");
    assert!(matches!(
        app.call_as(&hal, "follow/tag", &[("tag", "!!!"), ("follow", "yes")])
            .await
            .error(),
        AppError::Validation(_)
    ));
    // The page without JavaScript.
    let html = fay
        .get(format!("{}/following", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Multiple Sclerosis") && html.contains("Follow a tag"));
}
