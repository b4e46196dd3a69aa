//! Saved posts, replies, library articles and clinics on both backends: save and un-save, notes, keyset pages, the limit, the list read through the visibility rule (a closed group left, a deleted or removed post), and privacy (nobody else's list or notes).

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    members_save_posts_and_replies_with_notes,
    saved_items_follow_what_the_member_may_read,
    members_save_articles_and_clinics,
    a_member_saves_at_most_the_limit,
    a_member_saves_at_most_the_limit_of_articles_and_clinics,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

async fn post(app: &TestApp, c: &Client, title: &str, group: Option<&str>) -> i64 {
    let mut form = vec![
        ("community", "ms"),
        ("kind", "discussion"),
        ("title", title),
        ("body", "Words worth keeping."),
        ("tags", ""),
        ("visibility", "members"),
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

async fn toggle(app: &TestApp, c: &Client, post: i64, reply: Option<i64>) -> crate::common::Reply {
    let (p, r) = (post.to_string(), reply.map(|r| r.to_string()));
    let mut form = vec![("post_id", p.as_str())];
    if let Some(r) = &r {
        form.push(("reply_id", r.as_str()));
    }
    app.call_as(c, "saved/toggle", &form).await
}

/// Saves (or un-saves) an article or a provider page (`kind`) at `slug`.
async fn save_page(
    app: &TestApp,
    c: &Client,
    kind: &str,
    slug: impl AsRef<str>,
) -> crate::common::Reply {
    app.call_as(c, "saved/page", &[("kind", kind), ("slug", slug.as_ref())])
        .await
}

async fn saved(app: &TestApp, c: &Client) -> Value {
    app.call_as(c, "saved", &[]).await.ok()
}

fn titles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|i| i["post"]["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn members_save_posts_and_replies_with_notes(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let ann = member(&app, "saver_ann").await;
    let bob = member(&app, "writer_bob").await;
    let first = post(&app, &bob, "Kiwi first thread", None).await;
    let second = post(&app, &bob, "Kiwi second thread", None).await;
    let answer = app
        .call_as(
            &bob,
            "reply/create",
            &[
                ("post_id", &second.to_string()),
                ("body", "Kiwi reply worth saving."),
            ],
        )
        .await
        .ok()
        .as_i64()
        .expect("reply id");

    // Visitors cannot save; a member saves a post and a reply, newest first.
    assert_eq!(
        toggle(&app, &new_client(), first, None).await.error(),
        AppError::Unauthenticated
    );
    assert_eq!(
        toggle(&app, &ann, first, None).await.ok(),
        Value::Bool(true)
    );
    assert_eq!(
        toggle(&app, &ann, second, Some(answer)).await.ok(),
        Value::Bool(true)
    );
    let list = saved(&app, &ann).await;
    assert_eq!(titles(&list), ["Kiwi second thread", "Kiwi first thread"]);
    assert_eq!(list["items"][0]["reply_id"], answer);
    assert!(list["items"][0]["reply_excerpt"]
        .as_str()
        .is_some_and(|e| e.contains("Kiwi reply worth saving")));
    // The thread knows what she saved (its buttons say "Saved ✓").
    let page = app
        .call_as(&ann, "post", &[("id", &second.to_string())])
        .await
        .ok();
    assert_eq!(page["saved"]["post"], Value::Bool(false));
    assert_eq!(page["saved"]["replies"], serde_json::json!([answer]));
    // A reply of another thread is not a reply of this one.
    assert_eq!(
        toggle(&app, &ann, first, Some(answer)).await.error(),
        AppError::NotFound
    );

    // A private note: bounded, hers alone.
    let id = list["items"][1]["id"]
        .as_i64()
        .expect("saved id")
        .to_string();
    app.call_as(
        &ann,
        "saved/note",
        &[("id", &id), ("note", "  Ask the nurse about this.  ")],
    )
    .await
    .ok();
    let too_long = "n".repeat(501);
    let err = app
        .call_as(&ann, "saved/note", &[("id", &id), ("note", &too_long)])
        .await
        .error();
    assert!(err.field_message("note").is_some(), "{err:?}");
    assert_eq!(
        app.call_as(&bob, "saved/note", &[("id", &id), ("note", "mine now")])
            .await
            .error(),
        AppError::NotFound
    );
    let list = saved(&app, &ann).await;
    assert_eq!(list["items"][1]["note"], "Ask the nurse about this.");
    // Bob's list is his own: empty, and nothing of Ann's note anywhere he can ask.
    let bobs = app.call_as(&bob, "saved", &[]).await;
    assert_eq!(titles(&bobs.ok()), Vec::<String>::new());
    assert!(!bobs.body.contains("nurse"));

    // The same button un-saves.
    assert_eq!(
        toggle(&app, &ann, first, None).await.ok(),
        Value::Bool(false)
    );
    assert_eq!(titles(&saved(&app, &ann).await), ["Kiwi second thread"]);

    // Keyset pages: 25 saved, 20 then 5, no repeats.
    for i in 0..25 {
        let id = post(&app, &bob, &format!("Kiwi page {i}"), None).await;
        toggle(&app, &ann, id, None).await.ok();
    }
    let one = saved(&app, &ann).await;
    let next = one["next"].as_i64().expect("a next page");
    let two = app
        .call_as(&ann, "saved", &[("before", &next.to_string())])
        .await
        .ok();
    let (a, b) = (titles(&one), titles(&two));
    assert_eq!((a.len(), b.len()), (20, 6));
    assert!(a.iter().all(|t| !b.contains(t)));
    assert_eq!(two["next"], Value::Null);
    // The page itself, without JavaScript: the items and their notes are in the HTML.
    let html = ann
        .get(format!("{}/saved", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Kiwi page 24") && html.contains("Older saved items"));
}

async fn saved_items_follow_what_the_member_may_read(app: TestApp) {
    let admin = app.admin_with_community().await;
    let ann = member(&app, "saver_ann").await;
    let bob = member(&app, "writer_bob").await;
    // A private group Ann belongs to, with a post she saves.
    let slug = app
        .call_as(
            &admin,
            "group/create",
            &[
                ("community", "ms"),
                ("name", "Kiwi circle"),
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
    app.call_as(
        &ann,
        "group/join",
        &[("slug", &slug), ("answer", "To talk.")],
    )
    .await
    .ok();
    app.call_as(
        &admin,
        "group/decide",
        &[
            ("slug", &slug),
            ("handle", "saver_ann"),
            ("approve", "true"),
        ],
    )
    .await
    .ok();
    let secret = post(&app, &admin, "Kiwi secret group thread", Some(&slug)).await;
    let deleted = post(&app, &bob, "Kiwi thread deleted later", None).await;
    let removed = post(&app, &bob, "Kiwi thread removed later", None).await;
    for id in [secret, deleted, removed] {
        assert_eq!(toggle(&app, &ann, id, None).await.ok(), Value::Bool(true));
    }
    assert_eq!(titles(&saved(&app, &ann).await).len(), 3);

    // An outsider cannot save what they cannot read.
    assert_eq!(
        toggle(&app, &bob, secret, None).await.error(),
        AppError::NotFound
    );
    // She leaves the group; Bob deletes one post; a moderator removes the other.
    app.call_as(&ann, "group/leave", &[("slug", &slug)])
        .await
        .ok();
    app.call_as(&bob, "post/delete", &[("id", &deleted.to_string())])
        .await
        .ok();
    app.call_as(
        &admin,
        "moderate/remove",
        &[
            ("post_id", &removed.to_string()),
            ("reason", "spam"),
            ("note", ""),
        ],
    )
    .await
    .ok();
    let list = app.call_as(&ann, "saved", &[]).await;
    assert_eq!(titles(&list.ok()), Vec::<String>::new());
    assert!(!list.body.contains("Kiwi"), "{}", list.body);
}

async fn members_save_articles_and_clinics(app: TestApp) {
    let admin = app.admin_with_community().await;
    let article = crate::library::published_article(&app, "").await;
    app.call_as(
        &admin,
        "directory/create_clinic",
        &[
            ("name", "Kiwi Clinic"),
            ("slug", "kiwi-clinic"),
            ("city", "Leeds"),
            ("lat", "53.8"),
            ("lon", "-1.55"),
            ("owner", "root_admin"),
        ],
    )
    .await
    .ok();
    let ann = member(&app, "saver_ann").await;
    assert_eq!(
        save_page(&app, &ann, "article", &article).await.ok(),
        Value::Bool(true)
    );
    assert_eq!(
        save_page(&app, &ann, "provider", "kiwi-clinic").await.ok(),
        Value::Bool(true)
    );
    // The pages say so to her (and to nobody else).
    let a = app
        .call_as(&ann, "library/article", &[("slug", &article)])
        .await
        .ok();
    assert_eq!(a["saved"], Value::Bool(true));
    let other = member(&app, "other_ola").await;
    let a = app
        .call_as(&other, "library/article", &[("slug", &article)])
        .await
        .ok();
    assert_eq!(a["saved"], Value::Bool(false));
    let a = app
        .call("library/article", &[("slug", &article)])
        .await
        .ok();
    assert_eq!(a["saved"], Value::Null, "a visitor has no Save state");
    let p = app
        .call_as(&ann, "provider", &[("slug", "kiwi-clinic")])
        .await
        .ok();
    assert_eq!(p["saved"], Value::Bool(true));

    // Listed on Saved with a note, newest first; a draft or an unknown address is not saveable.
    let list = saved(&app, &ann).await;
    let refs = list["refs"].as_array().cloned().unwrap_or_default();
    assert_eq!(refs.len(), 2, "{list}");
    assert_eq!(refs[0]["link"], "/directory/kiwi-clinic");
    assert_eq!(refs[0]["title"], "Kiwi Clinic");
    assert_eq!(refs[1]["link"], format!("/library/{article}"));
    let id = refs[0]["id"].as_i64().expect("id");
    app.call_as(
        &ann,
        "saved/note",
        &[
            ("id", &id.to_string()),
            ("note", "Call on Monday."),
            ("kind", "page"),
        ],
    )
    .await
    .ok();
    assert_eq!(
        saved(&app, &ann).await["refs"][0]["note"],
        "Call on Monday."
    );
    assert_eq!(
        app.call_as(
            &other,
            "saved/note",
            &[("id", &id.to_string()), ("note", "x"), ("kind", "page")]
        )
        .await
        .error(),
        AppError::NotFound,
        "another member changed Ann's note"
    );
    assert_eq!(
        save_page(&app, &ann, "provider", "no-such").await.error(),
        AppError::NotFound
    );
    assert!(saved(&app, &other).await["refs"]
        .as_array()
        .is_some_and(Vec::is_empty));
    let html = ann
        .get(format!("{}/saved", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Kiwi Clinic") && html.contains("Call on Monday."));

    // The same button un-saves; an article taken back from the library leaves the list.
    assert_eq!(
        save_page(&app, &ann, "provider", "kiwi-clinic").await.ok(),
        Value::Bool(false)
    );
    sqlx::query("UPDATE articles SET published_version_id = NULL WHERE slug = $1")
        .bind(&article)
        .execute(&app.db.pool)
        .await
        .expect("unpublish");
    assert!(saved(&app, &ann).await["refs"]
        .as_array()
        .is_some_and(Vec::is_empty));
}

/// A member of the MS community (`keeper_ann`) and her id, for the limits' tests.
async fn keeper(app: &TestApp) -> (Client, i64) {
    let _admin = app.admin_with_community().await;
    let ann = member(app, "keeper_ann").await;
    let id = sqlx::query_scalar("SELECT id FROM users WHERE handle = 'keeper_ann'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    (ann, id)
}

/// The save was refused on the Save field, with a message naming the `limit`.
fn refused_at(reply: crate::common::Reply, limit: i64) {
    let AppError::Validation(errors) = reply.error() else {
        panic!("the save over the limit was not refused with a field error");
    };
    assert!(
        errors
            .iter()
            .any(|e| e.field == "saved" && e.message.contains(&limit.to_string())),
        "{errors:?}"
    );
}

/// `SAVED_MAX` saved items: the next save is refused with a message on the Save field (nothing
/// is written), and un-saving one makes room again.
async fn a_member_saves_at_most_the_limit(app: TestApp) {
    use app::saved::types::SAVED_MAX;
    let (ann, ann_id) = keeper(&app).await;
    let first = post(&app, &ann, "Kept to the limit", None).await;
    let second = post(&app, &ann, "One too many", None).await;
    // The limit's worth of saved replies of the first thread, written at once.
    sqlx::query(
        "INSERT INTO replies (post_id, author_id, body_md, body_html, created_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3) \
         SELECT $1, $2, 'Kept.', '<p>Kept.</p>', i FROM n",
    )
    .bind(first)
    .bind(ann_id)
    .bind(SAVED_MAX)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO saved_items (user_id, post_id, reply_id, created_at) \
         SELECT $1, post_id, id, created_at FROM replies WHERE post_id = $2",
    )
    .bind(ann_id)
    .bind(first)
    .execute(&app.db.pool)
    .await
    .unwrap();
    refused_at(toggle(&app, &ann, second, None).await, SAVED_MAX);
    let count = |app: &TestApp| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM saved_items WHERE user_id = $1",
            )
            .bind(ann_id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(
        count(&app).await,
        SAVED_MAX,
        "the refused save wrote nothing"
    );
    // Un-saving one (a toggle of a saved reply) makes room for the new one.
    let reply: i64 = sqlx::query_scalar("SELECT MIN(id) FROM replies WHERE post_id = $1")
        .bind(first)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        toggle(&app, &ann, first, Some(reply)).await.ok(),
        Value::Bool(false)
    );
    assert_eq!(
        toggle(&app, &ann, second, None).await.ok(),
        Value::Bool(true)
    );
    assert_eq!(count(&app).await, SAVED_MAX);
}

/// `REFS_SHOWN` saved articles and clinics: the next one is refused on the Save field, and
/// un-saving one makes room (the same rule as the items', on its own table).
async fn a_member_saves_at_most_the_limit_of_articles_and_clinics(app: TestApp) {
    use app::saved::types::REFS_SHOWN;
    let (ann, ann_id) = keeper(&app).await;
    // One clinic more than the limit, and all but one of them saved.
    sqlx::query(
        "INSERT INTO providers (kind, slug, name, created_at, updated_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         SELECT 'clinic', 'limit-clinic-' || i, 'Limit Clinic ' || i, i, i FROM n",
    )
    .bind(REFS_SHOWN + 1)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO saved_refs (user_id, provider_id, created_at) \
         SELECT $1, id, id FROM providers WHERE slug LIKE 'limit-clinic-%' ORDER BY id LIMIT $2",
    )
    .bind(ann_id)
    .bind(REFS_SHOWN)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let unsaved: String = sqlx::query_scalar(
        "SELECT slug FROM providers WHERE slug LIKE 'limit-clinic-%' \
         AND id NOT IN (SELECT provider_id FROM saved_refs WHERE provider_id IS NOT NULL)",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    refused_at(
        save_page(&app, &ann, "provider", &unsaved).await,
        REFS_SHOWN,
    );
    // Un-saving one (the page's toggle) makes room for the other.
    assert_eq!(
        save_page(&app, &ann, "provider", "limit-clinic-1")
            .await
            .ok(),
        Value::Bool(false)
    );
    assert_eq!(
        save_page(&app, &ann, "provider", unsaved).await.ok(),
        Value::Bool(true)
    );
    let kept: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM saved_refs WHERE user_id = $1")
            .bind(ann_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(kept, REFS_SHOWN);
}
