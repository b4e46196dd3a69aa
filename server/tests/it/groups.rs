//! Support groups on both backends: closed-group content on every read path for anonymous, non-member, pending, member, banned and admin viewers; hidden groups by invitation only; join requests, removals, pins and former members.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    closed_group_content_reaches_members_only,
    hidden_groups_are_invitation_only,
    join_requests_are_approved_or_declined,
    moderators_remove_and_pin_and_leavers_become_former_members,
);

const PW: &str = "correct-horse-1";
const TITLE: &str = "Zebra secret title";
const BODY: &str = "Quokka secret body";
const REPLY: &str = "Platypus secret reply";

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

/// `gmod` becomes a community moderator and starts a group of `kind`; returns gmod's client
/// and the group's address.
async fn group(app: &TestApp, kind: &str, name: &str) -> (Client, String) {
    let gmod = new_client();
    if app.whoami(&gmod).await.is_none() {
        app.login(&gmod, "gmod", PW).await;
    }
    if app.whoami(&gmod).await.is_none() {
        app.signup_as(&gmod, "gmod", PW).await.ok();
        app.call_as(&gmod, "community/join", &[("slug", "ms")])
            .await
            .ok();
        sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'gmod')")
            .execute(&app.db.pool)
            .await
            .expect("community moderator");
    }
    let slug = app
        .call_as(
            &gmod,
            "group/create",
            &[
                ("community", "ms"),
                ("name", name),
                ("description", "For people diagnosed in the last year."),
                ("kind", kind),
                ("question", "How are you affected by MS?"),
            ],
        )
        .await
        .ok()
        .as_str()
        .expect("group address")
        .to_string();
    (gmod, slug)
}

async fn group_post(app: &TestApp, c: &Client, group: &str, title: &str, body: &str) -> i64 {
    app.call_as(
        c,
        "post/create",
        &[
            ("community", "ms"),
            ("group", group),
            ("kind", "question"),
            ("title", title),
            ("body", body),
            ("tags", "zebratag, okapitag"),
            // A closed group's posts are members-only whatever the form says.
            ("visibility", "public"),
        ],
    )
    .await
    .ok()
    .as_i64()
    .expect("post id")
}

fn status(v: &Value) -> Option<String> {
    v["summary"]["status"].as_str().map(str::to_string)
}

/// Whether `text` shows a word of the group post's title, body, reply or tag, in any case
/// (a spelling suggestion is lower case), once the query the page echoes is taken out.
fn secret(text: &str, echoed: &str) -> bool {
    let mut text = text.to_lowercase();
    if !echoed.is_empty() {
        text = text.replace(&echoed.to_lowercase(), "");
    }
    ["zebra", "quokka", "platypus"]
        .iter()
        .any(|w| text.contains(w))
}

/// The query a probe sends (so that its echo is not taken for a leak).
fn echoed<'a>(form: &[(&str, &'a str)]) -> &'a str {
    form.iter()
        .find(|(k, _)| *k == "q")
        .map(|(_, v)| *v)
        .unwrap_or("")
}

/// Every read path a post's words could take, as one viewer sees it: whether any of them showed
/// the title, body, reply or tag, and which path did. `article` is a library article that shares
/// a tag with the post (its sidebar lists related questions).
async fn leaks(
    app: &TestApp,
    c: &Client,
    slug: &str,
    post: i64,
    article: Option<&str>,
) -> Vec<String> {
    let mut found = Vec::new();
    let page = |path: String| async move {
        let res = c
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("page");
        res.text().await.expect("body")
    };
    let pid = post.to_string();
    let mut paths = vec![
        (format!("/g/{slug}"), ""),
        (format!("/p/{post}"), ""),
        ("/".to_string(), ""),
        ("/c/ms".to_string(), ""),
        ("/u/gmod".to_string(), ""),
        ("/u/gmember".to_string(), ""),
        ("/search?q=zebra".to_string(), "zebra"),
        // Misspelled: a suggestion drawn from the group post's tag would say "zebratag".
        ("/search?q=zebratog".to_string(), "zebratog"),
        ("/notifications".to_string(), ""),
        ("/library".to_string(), ""),
    ];
    if let Some(a) = article {
        paths.push((format!("/library/{a}"), ""));
    }
    for (path, echo) in paths {
        if secret(&page(path.clone()).await, echo) {
            found.push(format!("page {path}"));
        }
    }
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("group", vec![("slug", slug)]),
        ("post", vec![("id", &pid)]),
        ("feed", vec![("scope", "public"), ("sort", "new")]),
        ("feed", vec![("scope", "ms"), ("sort", "new")]),
        ("feed", vec![("scope", "home"), ("sort", "new")]),
        ("feed", vec![("scope", "home"), ("sort", "active")]),
        ("search", vec![("q", "zebra")]),
        ("search", vec![("q", "quokka"), ("tab", "posts")]),
        ("search", vec![("q", "platypus")]),
        ("search", vec![("q", "zebratag")]),
        ("search", vec![("q", "zebratog")]),
        ("profile/activity", vec![("handle", "gmod")]),
        ("profile/activity", vec![("handle", "gmember")]),
        ("notifications", vec![]),
        ("groups", vec![("community", "ms")]),
    ];
    let group_scope = format!("g:{slug}");
    let mut calls = calls;
    calls.push((
        "feed",
        vec![("scope", group_scope.as_str()), ("sort", "new")],
    ));
    if let Some(a) = article {
        calls.push(("library/article", vec![("slug", a)]));
    }
    for (endpoint, form) in calls {
        let r = app.call_as(c, endpoint, &form).await;
        if secret(&r.body, echoed(&form)) {
            found.push(format!("{endpoint} {form:?}"));
        }
    }
    found
}

async fn closed_group_content_reaches_members_only(app: TestApp) {
    let admin = app.admin_with_community().await;
    let (gmod, slug) = group(&app, "private", "Newly diagnosed").await;
    let gmember = member(&app, "gmember").await;
    let outsider = member(&app, "outsider").await;
    let pending = member(&app, "pending").await;
    let banned = member(&app, "banned").await;
    let answer = [
        ("slug", slug.as_str()),
        ("answer", "I was diagnosed in May."),
    ];
    for c in [&gmember, &pending, &banned] {
        assert_eq!(app.call_as(c, "group/join", &answer).await.ok(), "Pending");
    }
    for h in ["gmember", "banned"] {
        app.call_as(
            &gmod,
            "group/decide",
            &[("slug", &slug), ("handle", h), ("approve", "true")],
        )
        .await
        .ok();
    }
    let post = group_post(&app, &gmod, &slug, TITLE, BODY).await;
    let body = format!("{REPLY} — what do you think, @outsider, @pending and @gmod?");
    let pid = post.to_string();
    app.call_as(
        &gmember,
        "reply/create",
        &[("post_id", &pid), ("body", &body)],
    )
    .await
    .ok();
    app.call_as(&gmod, "post/pin", &[("id", &pid), ("pinned", "true")])
        .await
        .ok();
    app.call_as(
        &gmod,
        "group/remove",
        &[("slug", &slug), ("handle", "banned"), ("ban", "true")],
    )
    .await
    .ok();
    // An edit asking for public changes nothing either.
    app.call_as(
        &gmod,
        "post/edit",
        &[
            ("id", &pid),
            ("title", TITLE),
            ("body", BODY),
            ("tags", "zebratag, okapitag"),
            ("visibility", "public"),
        ],
    )
    .await
    .ok();
    // The stored visibility is members-only although the forms asked for public.
    let stored: String = sqlx::query_scalar("SELECT visibility FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&app.db.pool)
        .await
        .expect("visibility");
    assert_eq!(stored, "members");

    // gmod answers in the thread and mentions a member and two who are not.
    app.call_as(
        &gmod,
        "reply/create",
        &[
            ("post_id", &pid),
            (
                "body",
                "Thank you, @gmember. And @outsider, @pending: not you.",
            ),
        ],
    )
    .await
    .ok();

    // A library article shares the post's tag "okapitag"; its sidebar lists the community's
    // questions with that tag: a public one shows (so the probe can see a question there)…
    let article = crate::library::published_article(&app, "okapitag").await;
    let open = "An open question with the shared tag";
    app.call_as(
        &gmember,
        "post/create",
        &[
            ("community", "ms"),
            ("kind", "question"),
            ("title", open),
            ("body", "Asked in the community, not the group."),
            ("tags", "okapitag"),
            ("visibility", "public"),
        ],
    )
    .await
    .ok();
    let (_, html) = app.get(&format!("/library/{article}")).await;
    assert!(html.contains(open), "the sidebar lists related questions");

    // The member sees it on the group's paths (so the probes below would find a leak).
    let seen = leaks(&app, &gmember, &slug, post, Some(&article)).await;
    for must in [
        "page /g/",
        "page /p/",
        "post [",
        "search [(\"q\", \"zebra\")]",
        "feed [(\"scope\", \"home\")",
    ] {
        assert!(
            seen.iter().any(|s| s.starts_with(must)),
            "the member should read it via {must}: {seen:?}"
        );
    }
    // …but never in the community's or the public feed: group posts stay in their group.
    assert!(
        !seen
            .iter()
            .any(|s| s.contains("\"ms\"") || s.contains("\"public\"")),
        "{seen:?}"
    );

    let anonymous = new_client();
    for (who, c) in [
        ("anonymous", &anonymous),
        ("non-member", &outsider),
        ("pending requester", &pending),
        ("banned member", &banned),
        ("admin who is not a member", &admin),
    ] {
        let seen = leaks(&app, c, &slug, post, Some(&article)).await;
        assert!(
            seen.is_empty(),
            "{who} saw the group's content via {seen:?}"
        );
        // The post does not exist for them, and they cannot write to it either.
        let r = app.call_as(c, "post", &[("id", &pid)]).await;
        assert_eq!(r.status, 404, "{who}");
        let (code, _) = {
            let res = c
                .get(format!("{}/p/{post}", app.base))
                .send()
                .await
                .expect("page");
            (res.status(), ())
        };
        assert_eq!(code, 404, "{who}: /p/{post}");
        if who != "anonymous" {
            for (endpoint, form) in [
                (
                    "reply/create",
                    vec![("post_id", pid.as_str()), ("body", "hello there")],
                ),
                ("vote", vec![("target", "post"), ("id", pid.as_str())]),
            ] {
                let r = app.call_as(c, endpoint, &form).await;
                assert_eq!(r.error(), AppError::NotFound, "{who} {endpoint}");
            }
            let r = app
                .call_as(
                    c,
                    "post/create",
                    &[
                        ("community", "ms"),
                        ("group", &slug),
                        ("kind", "question"),
                        ("title", "Can I post here?"),
                        ("body", "Trying."),
                        ("tags", ""),
                        ("visibility", "members"),
                    ],
                )
                .await;
            assert_eq!(r.error(), AppError::NotFound, "{who} post/create");
        }
    }
    // The group's existence and description are listed; its questions are not for outsiders.
    let d = app
        .call_as(&outsider, "group", &[("slug", &slug)])
        .await
        .ok();
    assert_eq!(d["summary"]["name"], "Newly diagnosed");
    assert_eq!(d["can_read"], false);
    assert_eq!(d["pinned"], Value::Array(vec![]));
    let list = app
        .call_as(&anonymous, "groups", &[("community", "ms")])
        .await
        .ok();
    assert_eq!(list[0]["slug"], slug.as_str());

    // Mentions reached the group's members only: gmember was told of gmod's mention (and gmod,
    // the asker, of the answer); outsider and pending were named twice and told nothing.
    let inbox = |c: &Client| {
        let c = c.clone();
        let app = &app;
        async move {
            app.call_as(&c, "notifications", &[]).await.ok()["items"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|n| {
                            format!(
                                "{} {}",
                                n["kind"].as_str().unwrap_or_default(),
                                n["text"].as_str().unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    let member_inbox = inbox(&gmember).await;
    assert!(
        member_inbox
            .iter()
            .any(|t| t.starts_with("mention ") && t.contains("@gmod mentioned you")),
        "{member_inbox:?}"
    );
    let gmod_inbox = inbox(&gmod).await;
    assert!(
        gmod_inbox
            .iter()
            .any(|t| t.contains("answered your question")),
        "{gmod_inbox:?}"
    );
    for c in [&outsider, &pending] {
        let items = inbox(c).await;
        assert!(
            !items.iter().any(|t| t.starts_with("mention ")),
            "{items:?}"
        );
    }

    // The daily digest of an opted-in non-member says nothing about it either.
    // (Digests go to proved addresses only: every address counts as proved here.)
    // Everything waits for the digest (answers are e-mailed at once by default).
    sqlx::query("UPDATE users SET digest_opt_in = 1, email_verified_at = 1, mail_now = ''")
        .execute(&app.db.pool)
        .await
        .expect("opt in");
    app::mail::repo::run_digests(&app.db, &app.base, app::db::now_ms() + 3_600_000)
        .await
        .expect("digests");
    let bodies: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.handle, o.subject || o.body FROM outbox o JOIN users u ON u.id = o.user_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("outbox");
    // The asker's digest quotes the answer notification (so the check below could see a leak).
    assert!(
        bodies
            .iter()
            .any(|(h, text)| h == "gmod" && text.contains("Zebra secret title")),
        "{bodies:?}"
    );
    for (handle, text) in &bodies {
        if handle != "gmod" && handle != "gmember" {
            assert!(!secret(text, ""), "{handle}: {text}");
        }
    }
}

async fn hidden_groups_are_invitation_only(app: TestApp) {
    app.admin_with_community().await;
    let (gmod, slug) = group(&app, "hidden", "Clinical trial participants").await;
    let outsider = member(&app, "outsider").await;
    let post = group_post(&app, &gmod, &slug, TITLE, BODY).await;

    // Not listed, not found, and a join request gets the same words as an unknown address.
    let list = app
        .call_as(&outsider, "groups", &[("community", "ms")])
        .await
        .ok();
    assert_eq!(list, Value::Array(vec![]));
    assert_eq!(
        app.call_as(&outsider, "group", &[("slug", &slug)])
            .await
            .status,
        404
    );
    let hidden = app
        .call_as(&outsider, "group/join", &[("slug", &slug), ("answer", "")])
        .await
        .error();
    let unknown = app
        .call_as(
            &outsider,
            "group/join",
            &[("slug", "no-such-group"), ("answer", "")],
        )
        .await
        .error();
    assert_eq!(hidden, unknown);
    assert!(hidden
        .field_message("group")
        .is_some_and(|m| m.contains("invitation only")));
    assert!(leaks(&app, &outsider, &slug, post, None).await.is_empty());

    // Invited: the group shows (name, description), its posts do not until they accept.
    app.call_as(
        &gmod,
        "group/invite",
        &[("slug", &slug), ("handle", "outsider")],
    )
    .await
    .ok();
    let d = app
        .call_as(&outsider, "group", &[("slug", &slug)])
        .await
        .ok();
    assert_eq!(status(&d).as_deref(), Some("Invited"));
    assert_eq!(d["can_read"], false);
    assert!(leaks(&app, &outsider, &slug, post, None).await.is_empty());
    let n = app.call_as(&outsider, "notifications", &[]).await.ok();
    assert_eq!(n["items"][0]["kind"], "group");
    assert_eq!(n["items"][0]["link"], format!("/g/{slug}"));
    assert_eq!(
        app.call_as(&outsider, "group/join", &[("slug", &slug)])
            .await
            .ok(),
        "Active"
    );
    let seen = leaks(&app, &outsider, &slug, post, None).await;
    assert!(seen.iter().any(|s| s.starts_with("page /p/")), "{seen:?}");
    let list = app
        .call_as(&outsider, "groups", &[("community", "ms")])
        .await
        .ok();
    assert_eq!(list[0]["member_count"], 2);
}

async fn join_requests_are_approved_or_declined(app: TestApp) {
    app.admin_with_community().await;
    let (gmod, slug) = group(&app, "private", "Caregivers").await;
    let asker = member(&app, "asker").await;
    let plain = member(&app, "plain").await;

    // The screening question needs an answer; the request reaches the moderators.
    let e = app
        .call_as(&asker, "group/join", &[("slug", &slug), ("answer", "  ")])
        .await
        .error();
    assert!(e.field_message("answer").is_some(), "{e:?}");
    assert_eq!(
        app.call_as(
            &asker,
            "group/join",
            &[("slug", &slug), ("answer", "My wife has MS.")]
        )
        .await
        .ok(),
        "Pending"
    );
    let n = app.call_as(&gmod, "notifications", &[]).await.ok();
    assert_eq!(n["items"][0]["kind"], "group");
    assert_eq!(n["items"][0]["link"], format!("/g/{slug}/manage"));
    let d = app.call_as(&gmod, "group", &[("slug", &slug)]).await.ok();
    assert_eq!(d["pending_count"], 1);
    let a = app
        .call_as(&gmod, "group/admin", &[("slug", &slug)])
        .await
        .ok();
    assert_eq!(a["requests"][0]["handle"], "asker");
    assert_eq!(a["requests"][0]["answer"], "My wife has MS.");
    // Only moderators see requests and decide them.
    assert_eq!(
        app.call_as(&plain, "group/admin", &[("slug", &slug)])
            .await
            .error(),
        AppError::Forbidden
    );
    assert_eq!(
        app.call_as(
            &plain,
            "group/decide",
            &[("slug", &slug), ("handle", "asker"), ("approve", "true")]
        )
        .await
        .error(),
        AppError::Forbidden
    );

    // Declined: told so, and may ask again.
    app.call_as(
        &gmod,
        "group/decide",
        &[("slug", &slug), ("handle", "asker"), ("approve", "false")],
    )
    .await
    .ok();
    let n = app.call_as(&asker, "notifications", &[]).await.ok();
    assert_eq!(n["items"][0]["kind"], "group");
    assert!(n["items"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("declined"));
    let d = app.call_as(&asker, "group", &[("slug", &slug)]).await.ok();
    assert_eq!(status(&d), None);
    app.call_as(
        &asker,
        "group/join",
        &[("slug", &slug), ("answer", "Again, please.")],
    )
    .await
    .ok();
    // Deciding twice is refused with a clear message.
    app.call_as(
        &gmod,
        "group/decide",
        &[("slug", &slug), ("handle", "asker"), ("approve", "true")],
    )
    .await
    .ok();
    let twice = app
        .call_as(
            &gmod,
            "group/decide",
            &[("slug", &slug), ("handle", "asker"), ("approve", "true")],
        )
        .await
        .error();
    assert!(twice.field_message("handle").is_some());
    let n = app.call_as(&asker, "notifications", &[]).await.ok();
    assert!(n["items"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("approved"));
    let d = app.call_as(&asker, "group", &[("slug", &slug)]).await.ok();
    assert_eq!(status(&d).as_deref(), Some("Active"));
    assert_eq!(d["can_read"], true);
    assert_eq!(d["summary"]["member_count"], 2);
    let d = app.call_as(&gmod, "group", &[("slug", &slug)]).await.ok();
    assert_eq!(d["pending_count"], 0);

    // Moderators edit the details (not members); a bad name is a field error.
    let details = |name: &'static str| -> [(&'static str, String); 4] {
        [
            ("slug", slug.clone()),
            ("name", name.to_string()),
            ("description", "Partners, parents and friends.".to_string()),
            ("question", "Whom do you care for?".to_string()),
        ]
    };
    let (ok, bad) = (details("Carers of people with MS"), details("  "));
    let ok: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&plain, "group/update", &ok).await.error(),
        AppError::Forbidden
    );
    let e = app.call_as(&gmod, "group/update", &bad).await.error();
    assert!(e.field_message("name").is_some(), "{e:?}");
    app.call_as(&gmod, "group/update", &ok).await.ok();
    let d = app.call_as(&asker, "group", &[("slug", &slug)]).await.ok();
    assert_eq!(d["summary"]["name"], "Carers of people with MS");
    assert_eq!(d["question"], "Whom do you care for?");
    assert_eq!(d["summary"]["kind"], "Private");

    // An open group takes members at once and needs no approval.
    let (_, open) = group(&app, "open", "Exercise together").await;
    assert_eq!(
        app.call_as(&plain, "group/join", &[("slug", &open)])
            .await
            .ok(),
        "Active"
    );
    // Only community moderators and admins start groups.
    let e = app
        .call_as(
            &plain,
            "group/create",
            &[
                ("community", "ms"),
                ("name", "My own group"),
                ("description", "Mine."),
                ("kind", "open"),
                ("question", ""),
            ],
        )
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
}

async fn moderators_remove_and_pin_and_leavers_become_former_members(app: TestApp) {
    app.admin_with_community().await;
    let (gmod, slug) = group(&app, "private", "Newly diagnosed").await;
    let leaver = member(&app, "leaver").await;
    let stayer = member(&app, "stayer").await;
    for (c, h) in [(&leaver, "leaver"), (&stayer, "stayer")] {
        app.call_as(c, "group/join", &[("slug", &slug), ("answer", "Hello")])
            .await
            .ok();
        app.call_as(
            &gmod,
            "group/decide",
            &[("slug", &slug), ("handle", h), ("approve", "true")],
        )
        .await
        .ok();
    }
    let post = group_post(&app, &leaver, &slug, "My first months", "Tired a lot.").await;
    let pid = post.to_string();
    let answer = app
        .call_as(
            &stayer,
            "reply/create",
            &[("post_id", &pid), ("body", "Same here, @leaver.")],
        )
        .await
        .ok()
        .as_i64()
        .expect("answer id")
        .to_string();
    let app = &app;
    let unread = |c: Client| async move {
        app.call_as(&c, "notifications", &[]).await.ok()["unread"]
            .as_i64()
            .expect("unread")
    };
    assert_eq!(unread(leaver.clone()).await, 2, "answer + approval");

    // Members do not pin; moderators do, and the group lists the pin first.
    assert_eq!(
        app.call_as(&stayer, "post/pin", &[("id", &pid), ("pinned", "true")])
            .await
            .error(),
        AppError::Forbidden
    );
    app.call_as(&gmod, "post/pin", &[("id", &pid), ("pinned", "true")])
        .await
        .ok();
    let d = app.call_as(&stayer, "group", &[("slug", &slug)]).await.ok();
    assert_eq!(d["pinned"][0]["id"], post);
    assert_eq!(d["pinned"][0]["pinned"], true);
    // The group's page lists it once: in "Pinned", not again in the feed below.
    let html = stayer
        .get(format!("{}/g/{slug}", app.base))
        .send()
        .await
        .expect("group page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("My first months"), "{html}");
    assert_eq!(
        html.matches("class=\"post-card\"").count(),
        1,
        "the pinned post is listed twice"
    );

    // The only moderator cannot leave a group that still has members.
    let e = app
        .call_as(&gmod, "group/leave", &[("slug", &slug)])
        .await
        .error();
    assert!(e
        .field_message("group")
        .is_some_and(|m| m.contains("only moderator")));
    // The leaver's post stays, shown as a former member's; their notifications about the
    // group go with them (the approval, which names only the group, stays).
    app.call_as(&leaver, "group/leave", &[("slug", &slug)])
        .await
        .ok();
    assert_eq!(unread(leaver.clone()).await, 1);
    let p = app.call_as(&stayer, "post", &[("id", &pid)]).await.ok();
    assert_eq!(p["post"]["author"]["former"], true);
    assert_eq!(p["post"]["author"]["handle"], "");
    assert_eq!(p["post"]["title"], "My first months");
    assert_eq!(p["is_member"], true);
    let (_, html) = {
        let res = stayer
            .get(format!("{}/p/{post}", app.base))
            .send()
            .await
            .expect("page");
        ((), res.text().await.expect("body"))
    };
    assert!(html.contains("a former member"));
    assert!(!html.contains("/u/leaver"));
    assert_eq!(
        app.call_as(&leaver, "post", &[("id", &pid)]).await.status,
        404
    );
    // …nor change it: no edit, no accepted answer.
    for (endpoint, form) in [
        (
            "post/edit",
            vec![
                ("id", pid.as_str()),
                ("title", "Changed my mind about it"),
                ("body", "Changed."),
                ("tags", ""),
                ("visibility", "members"),
            ],
        ),
        (
            "post/accept",
            vec![("post_id", pid.as_str()), ("reply_id", answer.as_str())],
        ),
    ] {
        let r = app.call_as(&leaver, endpoint, &form).await;
        assert_eq!(r.error(), AppError::NotFound, "{endpoint}");
    }
    let d = app.call_as(&stayer, "group", &[("slug", &slug)]).await.ok();
    assert_eq!(d["summary"]["member_count"], 2);

    // Removed members lose access; a ban keeps them out until a moderator invites them.
    app.call_as(
        &gmod,
        "group/remove",
        &[("slug", &slug), ("handle", "stayer"), ("ban", "true")],
    )
    .await
    .ok();
    assert_eq!(
        app.call_as(&stayer, "post", &[("id", &pid)]).await.status,
        404
    );
    let e = app
        .call_as(
            &stayer,
            "group/join",
            &[("slug", &slug), ("answer", "Sorry")],
        )
        .await
        .error();
    assert!(e
        .field_message("group")
        .is_some_and(|m| m.contains("removed")));
    // A moderator cannot be removed by another moderator, nor remove themself this way.
    let e = app
        .call_as(
            &gmod,
            "group/remove",
            &[("slug", &slug), ("handle", "gmod"), ("ban", "false")],
        )
        .await
        .error();
    assert!(e.field_message("handle").is_some());
    app.call_as(
        &gmod,
        "group/invite",
        &[("slug", &slug), ("handle", "stayer")],
    )
    .await
    .ok();
    assert_eq!(
        app.call_as(&stayer, "group/join", &[("slug", &slug)])
            .await
            .ok(),
        "Active"
    );
    assert_eq!(
        app.call_as(&stayer, "post", &[("id", &pid)]).await.status,
        200
    );
}
