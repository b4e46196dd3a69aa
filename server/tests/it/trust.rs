//! New-member trust and watched words on both backends: a community that holds new members keeps their first posts and replies from everyone but them and its moderators until approved (links refused until then, trusted members skip it); watched words block (the form names the word, nothing is stored), hold, flag or replace, from the site's list and the community's, and a list holds at most 2,000 entries of at most 100 characters.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;
use sqlx::Row;

both_backends!(
    a_new_members_first_posts_wait_for_approval,
    new_member_replies_links_and_trusted_members,
    watched_words_block_hold_flag_and_replace,
    a_watched_list_is_bounded_and_only_its_editors_change_it,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    app.call_as(&c, "community/join", &[("slug", "ms")])
        .await
        .ok();
    c
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&app.db.pool)
        .await
        .expect(sql)
        .get::<i64, _>(0)
}

async fn hold_new_members(app: &TestApp, on: bool) {
    sqlx::query("UPDATE communities SET hold_new_members = $1 WHERE slug = 'ms'")
        .bind(i64::from(on))
        .execute(&app.db.pool)
        .await
        .expect("hold");
}

async fn make_community_moderator(app: &TestApp, handle: &str) {
    sqlx::query(
        "UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = $1)",
    )
    .bind(handle)
    .execute(&app.db.pool)
    .await
    .expect("moderator");
}

fn post_form<'a>(title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("community", "ms"),
        ("kind", "discussion"),
        ("title", title),
        ("body", body),
        ("tags", ""),
        ("visibility", "public"),
    ]
}

async fn post(app: &TestApp, c: &Client, title: &str, body: &str) -> i64 {
    app.call_as(c, "post/create", &post_form(title, body))
        .await
        .ok()
        .as_i64()
        .expect("post id")
}

/// Where `needle` shows for `c`: the post itself (JSON), the community feed, search, the
/// author's profile and the page's HTML (with its hydration data).
async fn seen_by(
    app: &TestApp,
    c: &Client,
    id: i64,
    needle: &str,
    author: &str,
) -> Vec<&'static str> {
    let mut seen = Vec::new();
    let pid = id.to_string();
    let calls = [
        ("post", "post", vec![("id", pid.as_str())]),
        ("feed", "feed", vec![("scope", "ms"), ("sort", "new")]),
        ("search", "search", vec![("q", needle)]),
        ("profile", "profile/activity", vec![("handle", author)]),
    ];
    for (name, endpoint, form) in calls {
        let r = app.call_as(c, endpoint, &form).await;
        if r.status.is_success() && r.body.contains(needle) {
            seen.push(name);
        }
    }
    let page = c
        .get(format!("{}/p/{id}", app.base))
        .send()
        .await
        .expect("page");
    if page.status().is_success() && page.text().await.expect("html").contains(needle) {
        seen.push("page");
    }
    seen
}

/// The open queue items `c` sees, as (kind, phrase, title).
async fn queue(app: &TestApp, c: &Client) -> Vec<(String, String, String)> {
    let q = app.call_as(c, "mod/queue", &[]).await.ok();
    q["flags"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or_default().to_string(),
                f["phrase"].as_str().unwrap_or_default().to_string(),
                f["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

async fn flag_id(app: &TestApp, c: &Client, title: &str) -> String {
    let q = app.call_as(c, "mod/queue", &[]).await.ok();
    q["flags"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["title"] == title))
        .and_then(|f| f["id"].as_i64())
        .unwrap_or_else(|| panic!("no flag for {title}: {q}"))
        .to_string()
}

async fn notes(app: &TestApp, c: &Client) -> String {
    app.call_as(c, "notifications", &[]).await.ok().to_string()
}

async fn a_new_members_first_posts_wait_for_approval(app: TestApp) {
    let _admin = app.admin_with_community().await;
    hold_new_members(&app, true).await;
    let nina = member(&app, "new_nina").await;
    let olga = member(&app, "old_olga").await;
    let cmod = member(&app, "cmod_carl").await;
    make_community_moderator(&app, "cmod_carl").await;

    let first = post(
        &app,
        &nina,
        "Quokka first question",
        "Hello everyone, I am new. @old_olga said this place is kind.",
    )
    .await;
    // The author sees it, waiting; another member, a visitor and the feeds do not.
    let mine = app
        .call_as(&nina, "post", &[("id", &first.to_string())])
        .await
        .ok();
    assert_eq!(mine["awaiting_approval"], Value::Bool(true), "{mine}");
    // Waiting is not a crisis: no helplines for the author.
    assert_eq!(mine["helplines"], Value::Bool(false), "{mine}");
    assert_eq!(
        seen_by(&app, &olga, first, "Quokka", "new_nina").await,
        Vec::<&str>::new()
    );
    assert_eq!(
        seen_by(&app, &app.client, first, "Quokka", "new_nina").await,
        Vec::<&str>::new()
    );
    assert_eq!(
        app.call_as(&olga, "post", &[("id", &first.to_string())])
            .await
            .error(),
        AppError::NotFound
    );
    // Nobody can answer what they cannot see.
    assert_eq!(
        app.call_as(
            &olga,
            "reply/create",
            &[("post_id", &first.to_string()), ("body", "Welcome!")]
        )
        .await
        .error(),
        AppError::NotFound
    );
    // The community's moderator has it in the queue, told in the app, and may open it.
    assert_eq!(
        queue(&app, &cmod).await,
        vec![(
            "new_member".to_string(),
            String::new(),
            "Quokka first question".to_string()
        )]
    );
    assert!(notes(&app, &cmod).await.contains("waits for a moderator"));
    assert!(seen_by(&app, &cmod, first, "Quokka", "new_nina")
        .await
        .contains(&"post"));
    assert!(!notes(&app, &olga).await.contains("mentioned you"));
    // Approved: everyone reads it, and the author hears so.
    let flag = flag_id(&app, &cmod, "Quokka first question").await;
    app.call_as(&cmod, "mod/review", &[("id", &flag), ("outcome", "listed")])
        .await
        .ok();
    let seen = seen_by(&app, &olga, first, "Quokka", "new_nina").await;
    for place in ["post", "feed", "search", "profile", "page"] {
        assert!(
            seen.contains(&place),
            "approved, yet not in {place}: {seen:?}"
        );
    }
    assert!(notes(&app, &nina).await.contains("approved your post"));
    // The mention waited with the post, and is sent on approval.
    let told = notes(&app, &olga).await;
    assert!(told.contains("@new_nina mentioned you"), "{told}");

    // The second post waits too; "do not approve" keeps it with its author.
    let second = post(&app, &nina, "Quokka second question", "More.").await;
    let flag = flag_id(&app, &cmod, "Quokka second question").await;
    app.call_as(
        &cmod,
        "mod/review",
        &[("id", &flag), ("outcome", "kept_out")],
    )
    .await
    .ok();
    assert_eq!(
        app.call_as(&olga, "post", &[("id", &second.to_string())])
            .await
            .status,
        404
    );
    assert!(notes(&app, &nina).await.contains("did not approve"));
    assert!(app
        .call_as(&nina, "post", &[("id", &second.to_string())])
        .await
        .status
        .is_success());
    // A third post after one more approval is published at once.
    let third = post(&app, &nina, "Quokka third question", "Hm.").await;
    let flag = flag_id(&app, &cmod, "Quokka third question").await;
    app.call_as(&cmod, "mod/review", &[("id", &flag), ("outcome", "listed")])
        .await
        .ok();
    let fourth = post(&app, &nina, "Quokka fourth question", "Now I belong.").await;
    assert!(seen_by(&app, &olga, fourth, "Quokka fourth", "new_nina")
        .await
        .contains(&"feed"));
    assert!(third > first);
    // A community that does not hold new members publishes at once.
    hold_new_members(&app, false).await;
    let free = member(&app, "free_fred").await;
    let id = post(&app, &free, "Quokka unheld", "Straight in.").await;
    assert!(seen_by(&app, &olga, id, "Quokka unheld", "free_fred")
        .await
        .contains(&"feed"));
}

async fn new_member_replies_links_and_trusted_members(app: TestApp) {
    let admin = app.admin_with_community().await;
    app.call_as(&admin, "community/join", &[("slug", "ms")])
        .await
        .ok();
    let olga = member(&app, "old_olga").await;
    let thread = post(&app, &olga, "Numbat thread", "What helps with fatigue?").await;
    let tid = thread.to_string();
    hold_new_members(&app, true).await;
    let nina = member(&app, "new_nina").await;
    let cmod = member(&app, "cmod_carl").await;
    make_community_moderator(&app, "cmod_carl").await;

    // Links wait for the first approved post; what was typed comes back with the message.
    let refused = app
        .call_as(
            &nina,
            "post/create",
            &post_form("Numbat link", "See https://example.org/cure"),
        )
        .await
        .error();
    let message = refused.field_message("body").unwrap_or_default();
    assert!(message.contains("Links"), "{refused:?}");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM posts WHERE title = 'Numbat link'"
        )
        .await,
        0
    );
    // Replies: the first three wait, out of the thread for others, and tell nobody yet.
    let reply = |body: &'static str| {
        let (app, nina, tid) = (&app, &nina, tid.clone());
        async move {
            app.call_as(nina, "reply/create", &[("post_id", &tid), ("body", body)])
                .await
                .ok()
                .as_i64()
                .expect("reply id")
        }
    };
    reply("Numbat reply one").await;
    let thread_for_olga = app.call_as(&olga, "post", &[("id", &tid)]).await.ok();
    assert!(
        !thread_for_olga.to_string().contains("Numbat reply one"),
        "{thread_for_olga}"
    );
    assert!(!notes(&app, &olga).await.contains("new_nina"));
    // Nor is it counted: the thread says "0 replies" to everyone (its count does not give it away).
    assert_eq!(
        thread_for_olga["post"]["reply_count"], 0,
        "{thread_for_olga}"
    );
    let thread_for_nina = app.call_as(&nina, "post", &[("id", &tid)]).await.ok();
    assert!(thread_for_nina.to_string().contains("Numbat reply one"));
    assert_eq!(
        thread_for_nina["replies"][0]["awaiting_approval"],
        Value::Bool(true)
    );
    assert!(app
        .call_as(&cmod, "post", &[("id", &tid)])
        .await
        .ok()
        .to_string()
        .contains("Numbat reply one"));
    let flag = queue(&app, &cmod).await;
    assert_eq!(flag.len(), 1, "{flag:?}");
    // Approved: in the thread for everyone; and links may follow.
    let id = flag_id(&app, &cmod, "Numbat thread").await;
    app.call_as(&cmod, "mod/review", &[("id", &id), ("outcome", "listed")])
        .await
        .ok();
    let approved = app.call_as(&olga, "post", &[("id", &tid)]).await.ok();
    assert!(approved.to_string().contains("Numbat reply one"));
    assert_eq!(approved["post"]["reply_count"], 1, "{approved}");
    // The notice its writing would have sent goes out on approval.
    let told = notes(&app, &olga).await;
    assert!(told.contains("@new_nina replied to your post"), "{told}");
    reply("Numbat reply two, see https://example.org").await;
    assert_eq!(queue(&app, &cmod).await.len(), 1);

    // Verified clinicians, moderators and admins skip the hold.
    let doc = member(&app, "doc_dora").await;
    sqlx::query("UPDATE users SET kind = 'clinician', clinician_status = 'verified' WHERE handle = 'doc_dora'")
        .execute(&app.db.pool)
        .await
        .expect("clinician");
    let d = post(&app, &doc, "Numbat from a clinician", "Advice.").await;
    let m = post(&app, &cmod, "Numbat from a moderator", "Rules.").await;
    let a = post(&app, &admin, "Numbat from the admin", "Hello.").await;
    for id in [d, m, a] {
        assert!(app
            .call_as(&olga, "post", &[("id", &id.to_string())])
            .await
            .status
            .is_success());
    }
    // Five approved posts anywhere make a member trusted.
    let vet = member(&app, "vet_vera").await;
    hold_new_members(&app, false).await;
    for i in 0..5 {
        post(&app, &vet, &format!("Numbat vet {i}"), "Words.").await;
    }
    hold_new_members(&app, true).await;
    let v = post(&app, &vet, "Numbat vet trusted", "Words.").await;
    assert!(app
        .call_as(&olga, "post", &[("id", &v.to_string())])
        .await
        .status
        .is_success());
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM posts WHERE awaiting_approval = 1"
        )
        .await,
        0
    );
}

async fn add_words(
    app: &TestApp,
    c: &Client,
    community: &str,
    phrases: &str,
    action: &str,
) -> crate::common::Reply {
    app.call_as(
        c,
        "mod/watch",
        &[
            ("community", community),
            ("phrases", phrases),
            ("action", action),
        ],
    )
    .await
}

async fn watched_words_block_hold_flag_and_replace(app: TestApp) {
    let admin = app.admin_with_community().await;
    let asha = member(&app, "asha").await;
    let olga = member(&app, "old_olga").await;
    let cmod = member(&app, "cmod_carl").await;
    make_community_moderator(&app, "cmod_carl").await;
    add_words(&app, &admin, "", "miracle cure\nbuy now*", "block")
        .await
        .ok();
    add_words(&app, &cmod, "ms", "bleach protocol", "hold")
        .await
        .ok();
    add_words(&app, &cmod, "ms", "Dr Quack", "flag").await.ok();
    add_words(&app, &admin, "", "idiot", "replace").await.ok();

    // Block: the form names the word, on the field that holds it; nothing is stored.
    let refused = app
        .call_as(
            &asha,
            "post/create",
            &post_form("Wallaby question", "Is this a Miracle-Cure?"),
        )
        .await
        .error();
    assert!(
        refused
            .field_message("body")
            .is_some_and(|m| m.contains("“miracle cure”")),
        "{refused:?}"
    );
    let refused = app
        .call_as(
            &asha,
            "post/create",
            &post_form("Buy NOW, cheap pills", "Cheap."),
        )
        .await
        .error();
    assert!(
        refused
            .field_message("title")
            .is_some_and(|m| m.contains("“buy now”")),
        "{refused:?}"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM posts").await,
        0,
        "a blocked post is not stored"
    );
    // Hold: waits for approval like a new member's post.
    let held = post(&app, &asha, "Wallaby held", "Try the BLEACH protocol.").await;
    assert_eq!(
        app.call_as(&olga, "post", &[("id", &held.to_string())])
            .await
            .status,
        404
    );
    // Flag: published, and queued.
    let flagged = post(&app, &asha, "Wallaby flagged", "Ask dr. quack about it.").await;
    assert!(app
        .call_as(&olga, "post", &[("id", &flagged.to_string())])
        .await
        .status
        .is_success());
    let mut q = queue(&app, &cmod).await;
    q.sort();
    assert_eq!(
        q,
        vec![
            (
                "watched_flag".to_string(),
                "Dr Quack".to_string(),
                "Wallaby flagged".to_string()
            ),
            (
                "watched_hold".to_string(),
                "bleach protocol".to_string(),
                "Wallaby held".to_string()
            ),
        ]
    );
    // Replace: stored as ■■■, in the title, the body and a reply.
    let replaced = post(&app, &asha, "You IDIOT wallaby", "What an idiot, honestly.").await;
    let p = app
        .call_as(&olga, "post", &[("id", &replaced.to_string())])
        .await
        .ok();
    let text = p.to_string();
    assert!(!text.to_lowercase().contains("idiot"), "{text}");
    assert_eq!(p["post"]["title"], "You ■■■ wallaby");
    app.call_as(
        &asha,
        "reply/create",
        &[("post_id", &replaced.to_string()), ("body", "idiot!")],
    )
    .await
    .ok();
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM replies WHERE body_md = '■■■!'").await,
        1
    );
    // An edit meets the list too.
    let edit = app
        .call_as(
            &asha,
            "post/edit",
            &[
                ("id", &flagged.to_string()),
                ("title", "Wallaby flagged"),
                ("body", "A miracle cure"),
                ("tags", ""),
                ("visibility", "public"),
            ],
        )
        .await
        .error();
    assert!(edit.field_message("body").is_some(), "{edit:?}");
    // A community's list does not reach another community; the site's does.
    app.call_as(
        &admin,
        "admin/save_community",
        &[
            ("current_slug", ""),
            ("slug", "cml"),
            ("name", "CML"),
            ("description", "Living with CML."),
            ("rules", ""),
            ("colour", "teal"),
        ],
    )
    .await
    .ok();
    app.call_as(&asha, "community/join", &[("slug", "cml")])
        .await
        .ok();
    let mut elsewhere = post_form("Wallaby elsewhere", "The bleach protocol again");
    elsewhere[0] = ("community", "cml");
    let id = app
        .call_as(&asha, "post/create", &elsewhere)
        .await
        .ok()
        .as_i64()
        .expect("id");
    assert!(app
        .call_as(&olga, "post", &[("id", &id.to_string())])
        .await
        .status
        .is_success());
    elsewhere[3] = ("body", "a miracle cure");
    assert!(app
        .call_as(&asha, "post/create", &elsewhere)
        .await
        .error()
        .field_message("body")
        .is_some());
    // Every change is audited.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'watched_words.add'"
        )
        .await,
        4
    );
}

async fn a_watched_list_is_bounded_and_only_its_editors_change_it(app: TestApp) {
    let admin = app.admin_with_community().await;
    let asha = member(&app, "asha").await;
    let cmod = member(&app, "cmod_carl").await;
    make_community_moderator(&app, "cmod_carl").await;
    // 2,000 entries in one paste: accepted, and the last one still matches.
    let words: Vec<String> = (0..2_000).map(|i| format!("watchword{i}")).collect();
    add_words(&app, &admin, "", &words.join("\n"), "flag")
        .await
        .ok();
    let list = app
        .call_as(&admin, "mod/watched", &[("community", "")])
        .await
        .ok();
    assert_eq!(list["words"].as_array().map(Vec::len), Some(2_000));
    let id = post(&app, &asha, "Bilby", "This mentions watchword1999 once.").await;
    assert_eq!(
        queue(&app, &admin).await,
        vec![(
            "watched_flag".to_string(),
            "watchword1999".to_string(),
            "Bilby".to_string()
        )]
    );
    assert!(id > 0);
    // One more is refused, with the count; nothing of the paste is added.
    let over = add_words(&app, &admin, "", "one more\nand another", "flag")
        .await
        .error();
    assert!(
        over.field_message("phrases")
            .is_some_and(|m| m.contains("2002")),
        "{over:?}"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM watched_words").await,
        2_000
    );
    // Too long, and no letters: refused with the line.
    let long = add_words(&app, &cmod, "ms", &"x".repeat(101), "flag")
        .await
        .error();
    assert!(long.field_message("phrases").is_some(), "{long:?}");
    // Removing one changes what matches at once (the compiled list follows).
    let first = list["words"][1999]["id"].as_i64().expect("id").to_string();
    app.call_as(&admin, "mod/unwatch", &[("id", &first)])
        .await
        .ok();
    post(&app, &asha, "Bilby again", "watchword1999 again").await;
    assert_eq!(queue(&app, &admin).await.len(), 1);
    // Only the list's editors: a member is refused both lists; a community moderator the
    // site's; nobody sees or changes another community's.
    assert_eq!(
        add_words(&app, &asha, "ms", "x", "flag").await.error(),
        AppError::Forbidden
    );
    assert_eq!(
        add_words(&app, &cmod, "", "x", "flag").await.error(),
        AppError::Forbidden
    );
    assert_eq!(
        app.call_as(&cmod, "mod/unwatch", &[("id", &first)])
            .await
            .status,
        404
    );
    let second = list["words"][0]["id"].as_i64().expect("id").to_string();
    assert_eq!(
        app.call_as(&cmod, "mod/unwatch", &[("id", &second)])
            .await
            .error(),
        AppError::Forbidden
    );
    let own = app.call_as(&cmod, "mod/watched", &[]).await.ok();
    assert_eq!(own["community"], "ms");
    assert_eq!(
        app.call_as(&asha, "mod/watched", &[]).await.error(),
        AppError::Forbidden
    );
}
