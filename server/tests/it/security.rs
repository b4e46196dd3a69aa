//! Regression tests for the privilege gaps, leaks, oracles and hostile-input failures an outside probe found, on both backends.

use crate::common::{new_client, spawn_with, test_args, Backend, TestApp};
use app::error::AppError;
use reqwest::{header, Client, StatusCode};
use serde_json::Value;

both_backends!(
    admins_reach_no_clinic_inbox_nor_review_codes,
    admins_have_no_path_into_closed_groups,
    closed_group_posts_are_removed_by_their_moderators_only,
    login_next_never_leaves_the_site,
    members_only_teasers_give_away_little,
    invitations_answer_members_and_strangers_alike,
    editing_in_review_takes_the_article_back,
    former_members_are_not_named_on_their_profile,
    oracles_answer_not_yours_as_not_there,
    forged_form_errors_are_not_shown,
    personal_answers_are_not_cached,
    treatment_descriptions_stay_with_the_moderators,
    deleted_posts_leave_no_words_behind,
    closed_group_activity_is_not_counted_for_outsiders,
    taken_addresses_are_numbered_not_500,
    stored_text_cannot_break_out_of_a_textarea,
    malformed_arguments_are_the_clients_error,
    login_limits_count_per_account,
    directory_roles_are_accepted_not_imposed,
    display_names_take_any_script,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

async fn sql(app: &TestApp, q: &str) {
    sqlx::query(q).execute(&app.db.pool).await.expect(q);
}

/// The clinic "north" as `c` sees it (the `provider` server function's answer).
async fn north_as(app: &TestApp, c: &Client) -> Value {
    app.call_as(c, "provider", &[("slug", "north")]).await.ok()
}

/// `c` answers their invitation to "north" as `role` ("accept" or "decline").
async fn answer_invitation(app: &TestApp, c: &Client, role: &str, answer: &str) {
    app.call_as(
        c,
        "directory/invitation",
        &[("slug", "north"), ("role", role), ("answer", answer)],
    )
    .await
    .ok();
}

/// One number from the database (a `CAST(COUNT(*) AS BIGINT)` or a BIGINT column).
async fn count(app: &TestApp, q: &str) -> i64 {
    sqlx::query_scalar(q)
        .fetch_one(&app.db.pool)
        .await
        .expect(q)
}

/// A verified clinician's new article draft about fatigue titled `title`.
async fn save_article(app: &TestApp, c: &Client, title: &str) -> crate::common::Reply {
    app.call_as(
        c,
        "library/save",
        &[
            ("current", ""),
            ("community", "ms"),
            ("title", title),
            ("summary", "A short summary in plain words."),
            (
                "body",
                "## What\n\nFatigue is common in MS. Rest helps. Pace your day and plan breaks.",
            ),
            ("key_facts", ""),
            ("sources", ""),
            ("tags", ""),
        ],
    )
    .await
}

/// `gmod` (a community moderator) starts a group of `kind` in "ms"; returns its client and slug.
async fn group(app: &TestApp, kind: &str, name: &str) -> (Client, String) {
    let gmod = new_client();
    if app.login(&gmod, "gmod", PW).await.status.is_success() {
    } else {
        app.signup_as(&gmod, "gmod", PW).await.ok();
        app.call_as(&gmod, "community/join", &[("slug", "ms")])
            .await
            .ok();
        sql(app, "UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'gmod')").await;
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

async fn post(
    app: &TestApp,
    c: &Client,
    group: Option<&str>,
    title: &str,
    body: &str,
    visibility: &str,
) -> i64 {
    let mut form = vec![
        ("community", "ms"),
        ("kind", "question"),
        ("title", title),
        ("body", body),
        ("tags", "fatigue, secrettag"),
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

async fn clinic(app: &TestApp, admin: &Client, slug: &str, owner: &str) {
    app.call_as(
        admin,
        "directory/create_clinic",
        &[
            ("name", "North Clinic"),
            ("slug", slug),
            ("city", "Berlin"),
            ("lat", "52.52"),
            ("lon", "13.405"),
            ("owner", owner),
        ],
    )
    .await
    .ok();
}

async fn page_as(app: &TestApp, c: &Client, path: &str) -> (StatusCode, header::HeaderMap, String) {
    let res = c
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("page");
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.text().await.expect("body"))
}

/// Item 1 and 9: a clinic's contact requests and its review codes are its own staff's only.
async fn admins_reach_no_clinic_inbox_nor_review_codes(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    let patient = member(&app, "patient_p").await;
    clinic(&app, &admin, "north", "owner_o").await;
    app.call_as(
        &patient,
        "directory/contact",
        &[
            ("slug", "north"),
            ("reason", "Canary request text about my diagnosis."),
            ("preferred_times", "Mornings"),
            ("contact_via", "Reply here"),
        ],
    )
    .await
    .ok();
    // The positive control: the clinic's owner reads it and mints codes.
    let inbox = app
        .call_as(&owner, "directory/inbox", &[("slug", "north")])
        .await
        .ok();
    assert_eq!(inbox["requests"].as_array().map(Vec::len), Some(1));
    app.call_as(&owner, "directory/code", &[("slug", "north")])
        .await
        .ok();
    // The operator's admin does neither.
    let r = app
        .call_as(&admin, "directory/inbox", &[("slug", "north")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error(), AppError::Forbidden);
    assert!(!r.body.contains("Canary"));
    let r = app
        .call_as(&admin, "directory/code", &[("slug", "north")])
        .await;
    assert_eq!(r.error(), AppError::Forbidden);
    let (status, _, html) = page_as(&app, &admin, "/directory/north/inbox").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        !html.contains("Canary"),
        "the inbox page leaked to an admin"
    );
    // The provider page offers the admin neither tool.
    let p = north_as(&app, &admin).await;
    assert_eq!(p["viewer"]["own_staff"], false);
    assert_eq!(
        p["viewer"]["is_staff"], true,
        "admins still edit the profile"
    );
}

/// Items 2 and 3: no self-invitation, no approving oneself, no roster or screening answers for
/// admins of a private or hidden group.
async fn admins_have_no_path_into_closed_groups(app: TestApp) {
    let admin = app.admin_with_community().await;
    for kind in ["private", "hidden"] {
        let (gmod, slug) = group(&app, kind, &format!("Trial group {kind}")).await;
        let m = member(&app, &format!("waiting_{kind}")).await;
        if kind == "private" {
            app.call_as(
                &m,
                "group/join",
                &[
                    ("slug", slug.as_str()),
                    ("answer", "Secret screening answer"),
                ],
            )
            .await
            .ok();
        }
        // The group's moderator sees the roster (positive control).
        let roster = app
            .call_as(&gmod, "group/admin", &[("slug", slug.as_str())])
            .await
            .ok();
        assert!(roster["members"].to_string().contains("gmod"), "{roster}");
        // The admin: no roster, no answers, no invitation of themselves, no approval.
        let r = app
            .call_as(&admin, "group/admin", &[("slug", slug.as_str())])
            .await;
        assert!(!r.status.is_success(), "{kind}: {}", r.body);
        assert!(!r.body.contains("Secret screening") && !r.body.contains("gmod"));
        let r = app
            .call_as(
                &admin,
                "group/invite",
                &[("slug", slug.as_str()), ("handle", "root_admin")],
            )
            .await;
        assert!(!r.status.is_success(), "{kind}: {}", r.body);
        let r = app
            .call_as(
                &admin,
                "group/decide",
                &[
                    ("slug", slug.as_str()),
                    ("handle", &format!("waiting_{kind}")),
                    ("approve", "true"),
                ],
            )
            .await;
        assert!(!r.status.is_success(), "{kind}: {}", r.body);
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM support_group_members gm JOIN users u ON u.id = gm.user_id \
             JOIN support_groups g ON g.id = gm.group_id WHERE u.handle = 'root_admin' AND g.slug = $1",
        )
        .bind(&slug)
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
        assert_eq!(n, 0, "{kind}: the admin got into the group");
        // The group page does not make the admin a moderator either.
        if kind == "private" {
            let g = app
                .call_as(&admin, "group", &[("slug", slug.as_str())])
                .await
                .ok();
            assert_eq!(g["is_moderator"], false);
            assert_eq!(g["pending_count"], 0);
        }
    }
    // A moderator cannot approve their own request or invite themselves either.
    let (gmod, slug) = group(&app, "private", "Self approval").await;
    let r = app
        .call_as(
            &gmod,
            "group/invite",
            &[("slug", slug.as_str()), ("handle", "gmod")],
        )
        .await;
    assert!(r
        .error()
        .field_message("handle")
        .unwrap_or_default()
        .contains("yourself"));
}

/// Item 10: deleting follows reading in a closed group.
async fn closed_group_posts_are_removed_by_their_moderators_only(app: TestApp) {
    let admin = app.admin_with_community().await;
    let (gmod, slug) = group(&app, "private", "Delete rule").await;
    let cmod = member(&app, "cmod").await;
    sql(&app, "UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'cmod')").await;
    let id = post(
        &app,
        &gmod,
        Some(&slug),
        "Closed group post",
        "Only for the group.",
        "members",
    )
    .await;
    let idt = id.to_string();
    for (who, c) in [("admin", &admin), ("community moderator", &cmod)] {
        let r = app.call_as(c, "post/delete", &[("id", idt.as_str())]).await;
        assert_eq!(r.error(), AppError::NotFound, "{who}");
    }
    let p = app
        .call_as(&gmod, "post", &[("id", idt.as_str())])
        .await
        .ok();
    assert_eq!(p["deleted"], false);
    // The group's moderator may (positive control).
    app.call_as(&gmod, "post/delete", &[("id", idt.as_str())])
        .await
        .ok();
    let p = app
        .call_as(&gmod, "post", &[("id", idt.as_str())])
        .await
        .ok();
    assert_eq!(p["deleted"], true);
}

/// Item 4: `next` after login stays on this site, and a newline in it cannot hang the answer.
async fn login_next_never_leaves_the_site(app: TestApp) {
    app.admin_with_community().await;
    member(&app, "nina").await;
    for (next, want) in [
        ("/c/ms", "/c/ms"),
        ("/\t/evil.example", "/"),
        ("/\n/x", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
    ] {
        let c = new_client();
        let r = app
            .call_as(
                &c,
                "login",
                &[("identifier", "nina"), ("password", PW), ("next", next)],
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{next:?}: {}",
            r.status
        );
        let location = r
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(location, want, "{next:?}");
    }
}

/// Item 5: an outsider of a members-only post gets the title and a short teaser, no tags.
async fn members_only_teasers_give_away_little(app: TestApp) {
    app.admin_with_community().await;
    let author = member(&app, "author_a").await;
    let body = "Short members only body about my relapse and the new canaryword medicine.";
    let id = post(
        &app,
        &author,
        None,
        "Members only question",
        body,
        "members",
    )
    .await;
    let outsider = new_client();
    app.signup_as(&outsider, "outsider_o", PW).await.ok();
    for c in [&outsider, &new_client()] {
        let feed = app
            .call_as(c, "feed", &[("scope", "ms"), ("sort", "new")])
            .await
            .ok();
        let item = feed["items"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["id"] == id))
            .cloned()
            .expect("the teaser is listed");
        let excerpt = item["excerpt"].as_str().unwrap_or("");
        assert!(
            excerpt.trim_end_matches('…').chars().count() <= body.chars().count() * 2 / 5,
            "{excerpt}"
        );
        assert_eq!(item["tags"], serde_json::json!([]));
        assert!(item["author"].is_null());
        let (_, _, html) = page_as(&app, c, "/c/ms").await;
        assert!(html.contains("Members only question"));
        assert!(
            !html.contains("canaryword") && !html.contains("secrettag"),
            "community page"
        );
        let (_, _, html) = page_as(&app, c, &format!("/p/{id}")).await;
        assert!(
            !html.contains("canaryword") && !html.contains("secrettag"),
            "post page"
        );
        assert!(
            html.contains(r#"name="robots" content="noindex""#),
            "members-only page is noindex"
        );
    }
    // A member reads it all (positive control).
    let feed = app
        .call_as(&author, "feed", &[("scope", "ms"), ("sort", "new")])
        .await
        .ok();
    assert!(feed.to_string().contains("canaryword"));
}

/// Item 6: a second invitation answers members and strangers alike; every attempt counts.
async fn invitations_answer_members_and_strangers_alike(app: TestApp) {
    app.admin_with_community().await;
    let hal = member(&app, "hal").await;
    member(&app, "existing_e").await;
    let first_member = app
        .call_as(
            &hal,
            "invite_by_email",
            &[("email", "existing_e@example.org"), ("community", "")],
        )
        .await;
    let first_stranger = app
        .call_as(
            &hal,
            "invite_by_email",
            &[("email", "stranger@example.org"), ("community", "")],
        )
        .await;
    assert_eq!(first_member.status, first_stranger.status);
    assert_eq!(first_member.body, first_stranger.body);
    let again_member = app
        .call_as(
            &hal,
            "invite_by_email",
            &[("email", "existing_e@example.org"), ("community", "")],
        )
        .await;
    let again_stranger = app
        .call_as(
            &hal,
            "invite_by_email",
            &[("email", "stranger@example.org"), ("community", "")],
        )
        .await;
    assert_eq!(again_member.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again_member.status, again_stranger.status);
    assert_eq!(again_member.body, again_stranger.body);
    // The member got no invitation; both attempts count toward the daily limit.
    let mails = count(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE to_addr = 'existing_e@example.org' AND kind = 'invite' AND status <> 'skipped'",
    )
    .await;
    assert_eq!(mails, 0);
    let counted = count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE sender_id = (SELECT id FROM users WHERE handle = 'hal')").await;
    assert_eq!(counted, 2);
}

/// Item 7: an edit while in review returns the article to the author; Publish publishes nothing.
async fn editing_in_review_takes_the_article_back(app: TestApp) {
    app.admin_with_community().await;
    let author = member(&app, "dr_author").await;
    let reviewer = member(&app, "dr_reviewer").await;
    sql(&app, "UPDATE users SET kind = 'clinician', clinician_status = 'verified', specialty = 'neurology' WHERE handle IN ('dr_author', 'dr_reviewer')").await;
    let body = "## What it is\n\nA relapse is when new symptoms come. Or old ones come back. It lasts more than a day.\n\n## What to do\n\nCall your MS team. Rest when you need to. Most relapses get better.";
    let form = |current: &'static str, body: &'static str| {
        vec![
            ("current", current),
            ("community", "ms"),
            ("title", "What is a relapse"),
            ("summary", "A short summary in plain words."),
            ("body", body),
            ("key_facts", "A relapse lasts more than a day."),
            (
                "sources",
                "MS Trust: Relapse | https://mstrust.org.uk/a-z/relapse | 2023",
            ),
            ("tags", "relapse"),
        ]
    };
    let slug = app
        .call_as(&author, "library/save", &form("", body))
        .await
        .ok()
        .as_str()
        .expect("slug")
        .to_string();
    app.call_as(
        &author,
        "library/submit",
        &[("slug", slug.as_str()), ("reviewer", "dr_reviewer")],
    )
    .await
    .ok();
    let d = app
        .call_as(&reviewer, "library/draft", &[("slug", slug.as_str())])
        .await
        .ok();
    assert_eq!(d["status"], "Review");
    // The author changes the text after the reviewer opened it.
    let changed: &'static str = "## What it is\n\nA relapse is when new symptoms come. Unreviewed claim added here. It lasts more than a day.\n\n## What to do\n\nCall your MS team. Rest when you need to. Most relapses get better.";
    let mut f = form("", changed);
    f[0] = ("current", slug.as_str());
    app.call_as(&author, "library/save", &f).await.ok();
    let d = app
        .call_as(&author, "library/draft", &[("slug", slug.as_str())])
        .await
        .ok();
    assert_eq!(d["status"], "Draft");
    let r = app
        .call_as(&reviewer, "library/publish", &[("slug", slug.as_str())])
        .await;
    assert_eq!(r.error(), AppError::Forbidden);
    let n = count(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM article_versions",
    )
    .await;
    assert_eq!(n, 0, "nothing was published under the reviewer's name");
}

/// Item 8: a former member's group posts are not listed on their profile.
async fn former_members_are_not_named_on_their_profile(app: TestApp) {
    app.admin_with_community().await;
    let (_gmod, slug) = group(&app, "open", "Open group").await;
    let leaver = member(&app, "leaver_l").await;
    app.call_as(&leaver, "group/join", &[("slug", slug.as_str())])
        .await
        .ok();
    post(
        &app,
        &leaver,
        Some(&slug),
        "Group question by leaver",
        "Body text here.",
        "public",
    )
    .await;
    post(
        &app,
        &leaver,
        None,
        "Community question by leaver",
        "Body text here.",
        "public",
    )
    .await;
    let before = app
        .call_as(&new_client(), "profile/activity", &[("handle", "leaver_l")])
        .await
        .ok();
    assert!(before.to_string().contains("Group question by leaver"));
    app.call_as(&leaver, "group/leave", &[("slug", slug.as_str())])
        .await
        .ok();
    for c in [&new_client(), &leaver] {
        let after = app
            .call_as(c, "profile/activity", &[("handle", "leaver_l")])
            .await
            .ok();
        let text = after.to_string();
        assert!(!text.contains("Group question by leaver"), "{text}");
        assert!(text.contains("Community question by leaver"));
        let (_, _, html) = page_as(&app, c, "/u/leaver_l").await;
        assert!(!html.contains("Group question by leaver"));
    }
}

/// Item 12: "not yours" and "not there" answer alike.
async fn oracles_answer_not_yours_as_not_there(app: TestApp) {
    let admin = app.admin_with_community().await;
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
    let inviter = member(&app, "inviter_i").await;
    let code = app.call_as(&inviter, "invites", &[]).await.ok()["code"]
        .as_str()
        .expect("code")
        .to_string();
    // Whether the inviter is in "cml" (they are not) or "ms" (they are): the same shape.
    let in_ms = app
        .call_as(
            &new_client(),
            "invite",
            &[("code", code.as_str()), ("community", "ms")],
        )
        .await
        .ok();
    let in_cml = app
        .call_as(
            &new_client(),
            "invite",
            &[("code", code.as_str()), ("community", "cml")],
        )
        .await
        .ok();
    assert_eq!(in_ms["community"][0], "ms");
    assert_eq!(in_cml["community"][0], "cml");

    // A hidden group answers an outsider like an unknown address.
    let (_gmod, slug) = group(&app, "hidden", "Hidden trial").await;
    let outsider = member(&app, "outsider_o").await;
    let scope = format!("g:{slug}");
    let hidden = app
        .call_as(
            &outsider,
            "feed",
            &[("scope", scope.as_str()), ("sort", "new")],
        )
        .await;
    let unknown = app
        .call_as(
            &outsider,
            "feed",
            &[("scope", "g:no-such-group"), ("sort", "new")],
        )
        .await;
    assert_eq!(
        (hidden.status, hidden.body.clone()),
        (unknown.status, unknown.body.clone())
    );
    assert_eq!(hidden.error(), AppError::NotFound);
    let hidden = app
        .call_as(&outsider, "group/leave", &[("slug", slug.as_str())])
        .await;
    let unknown = app
        .call_as(&outsider, "group/leave", &[("slug", "no-such-group")])
        .await;
    assert_eq!((hidden.status, hidden.body), (unknown.status, unknown.body));

    // Someone else's draft answers like no draft.
    let dr = member(&app, "dr_writer").await;
    sql(&app, "UPDATE users SET kind = 'clinician', clinician_status = 'verified', specialty = 'neurology' WHERE handle = 'dr_writer'").await;
    let slug = save_article(&app, &dr, "Draft about fatigue")
        .await
        .ok()
        .as_str()
        .expect("slug")
        .to_string();
    let theirs = app
        .call_as(&outsider, "library/draft", &[("slug", slug.as_str())])
        .await;
    let none = app
        .call_as(&outsider, "library/draft", &[("slug", "no-such-draft")])
        .await;
    assert_eq!((theirs.status, theirs.body), (none.status, none.body));
}

/// Item 13: a link cannot put words under a form; a real failed post still shows its error.
async fn forged_form_errors_are_not_shown(app: TestApp) {
    use base64::Engine;
    let forged = serde_json::to_string(&AppError::field(
        "identifier",
        "Your account is locked. Call +44 0000 forged.",
    ))
    .expect("json");
    let err = base64::engine::general_purpose::URL_SAFE.encode(forged);
    let c = new_client();
    let (_, _, html) = page_as(&app, &c, &format!("/login?__path=/api/login&__err={err}")).await;
    assert!(html.contains("Log in"), "the login page rendered");
    assert!(!html.contains("forged"), "a forged error was shown");

    // A real no-JavaScript failure: the browser is sent back with the error, which shows.
    app.admin_with_community().await;
    member(&app, "real_r").await;
    let res = c
        .post(format!("{}/api/login", app.base))
        .header(header::ORIGIN, &app.base)
        .header(header::REFERER, format!("{}/login", app.base))
        .header(header::ACCEPT, "text/html")
        .form(&[("identifier", "real_r"), ("password", "wrong-password-1")])
        .send()
        .await
        .expect("post");
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("redirected back")
        .to_string();
    assert!(location.contains("__err="), "{location}");
    let path = location.trim_start_matches(&app.base);
    let (_, _, html) = page_as(&app, &c, path).await;
    assert!(
        html.contains("The handle/e-mail or the password is not right."),
        "the real error is shown"
    );
}

/// Item 14: no shared cache keeps personal answers; HSTS on https; the Origin's scheme counts.
async fn personal_answers_are_not_cached(app: TestApp) {
    app.admin_with_community().await;
    let anon = new_client();
    let (_, headers, _) = page_as(&app, &anon, "/c").await;
    assert!(headers
        .get(header::CACHE_CONTROL)
        .is_none_or(|v| !v.to_str().unwrap_or("").contains("no-store")));
    let m = member(&app, "cached_c").await;
    let (_, headers, _) = page_as(&app, &m, "/notifications").await;
    assert_eq!(
        headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store, private")
    );
    let r = app.call_as(&m, "current_user", &[]).await;
    assert_eq!(
        r.headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store, private")
    );
    assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    // An http:// page of the same host is another origin.
    let res = m
        .post(format!("{}/api/current_user", app.base))
        .header(header::ORIGIN, app.base.replace("http://", "https://"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Served over https: HSTS on every answer.
    let mut args = test_args();
    args.public_url = Some("https://community.example".into());
    let backend = if app.db_url.starts_with("sqlite") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    if let Some(secure) = spawn_with(backend, args).await {
        let (_, headers, _) = page_as(&secure, &new_client(), "/c").await;
        assert!(headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("max-age=")));
    }
}

/// Item 15: the treatment a reviewer describes for a dispute is seen by them and the admins only.
async fn treatment_descriptions_stay_with_the_moderators(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    let reviewer = member(&app, "reviewer_r").await;
    let stranger = member(&app, "stranger_s").await;
    clinic(&app, &admin, "north", "owner_o").await;
    app.call_as(
        &reviewer,
        "directory/rate",
        &[
            ("slug", "north"),
            ("stars", "2"),
            ("wait_minutes", ""),
            ("body", "Long wait."),
        ],
    )
    .await
    .ok();
    sql(
        &app,
        "UPDATE reviews SET treatment = 'Canary treatment: MRI and steroids'",
    )
    .await;
    for (who, c, sees) in [
        ("reviewer", &reviewer, true),
        ("admin", &admin, true),
        ("clinic owner", &owner, false),
        ("stranger", &stranger, false),
        ("anonymous", &new_client(), false),
    ] {
        let r = app.call_as(c, "provider", &[("slug", "north")]).await;
        assert_eq!(
            r.body.contains("Canary treatment"),
            sees,
            "{who}: provider JSON"
        );
        let (_, _, html) = page_as(&app, c, "/directory/north").await;
        assert_eq!(
            html.contains("Canary treatment"),
            sees,
            "{who}: provider page"
        );
        let (_, _, html) = page_as(&app, c, "/directory/north/edit").await;
        assert!(
            !html.contains("Canary treatment") || sees,
            "{who}: edit page"
        );
    }
}

/// Item 17: a deleted post's title leaves the notifications (and so the digest); mails are
/// logged by id, never by text.
async fn deleted_posts_leave_no_words_behind(app: TestApp) {
    app.admin_with_community().await;
    let author = member(&app, "author_a").await;
    let replier = member(&app, "replier_r").await;
    let id = post(
        &app,
        &author,
        None,
        "Canary title to delete",
        "Body text here.",
        "public",
    )
    .await;
    let idt = id.to_string();
    app.call_as(
        &replier,
        "reply/create",
        &[("post_id", idt.as_str()), ("body", "An answer.")],
    )
    .await
    .ok();
    let n = app.call_as(&author, "notifications", &[]).await.ok();
    assert!(
        n.to_string().contains("Canary title"),
        "positive control: {n}"
    );
    app.call_as(&author, "post/delete", &[("id", idt.as_str())])
        .await
        .ok();
    let n = app.call_as(&author, "notifications", &[]).await.ok();
    assert!(!n.to_string().contains("Canary title"), "{n}");
    let left = count(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications WHERE text LIKE '%Canary title%'",
    )
    .await;
    assert_eq!(left, 0);
    let (unread,): (i64,) =
        sqlx::query_as("SELECT unread_notifications FROM users WHERE handle = 'author_a'")
            .fetch_one(&app.db.pool)
            .await
            .expect("unread");
    assert_eq!(unread, 0, "the unread counter follows");
    sql(&app, "UPDATE users SET digest_opt_in = 1").await;
    app::mail::repo::run_digests(&app.db, &app.base, app::db::now_ms() + 3_600_000)
        .await
        .expect("digests");
    let mailed = count(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE body LIKE '%Canary title%'",
    )
    .await;
    assert_eq!(mailed, 0);
}

/// Item 18: a private group's post count does not move for outsiders.
async fn closed_group_activity_is_not_counted_for_outsiders(app: TestApp) {
    app.admin_with_community().await;
    let (gmod, slug) = group(&app, "private", "Counted group").await;
    post(
        &app,
        &gmod,
        Some(&slug),
        "Private post one",
        "Body text here.",
        "members",
    )
    .await;
    let outsider = member(&app, "outsider_o").await;
    let g = app
        .call_as(&outsider, "group", &[("slug", slug.as_str())])
        .await
        .ok();
    assert_eq!(g["post_count"], 0);
    let g = app
        .call_as(&gmod, "group", &[("slug", slug.as_str())])
        .await
        .ok();
    assert_eq!(g["post_count"], 1, "members see it (positive control)");
}

/// Items 19 and 22: a taken address is numbered, on both backends, never a 500; a name with no
/// Latin letters still gets an address.
async fn taken_addresses_are_numbered_not_500(app: TestApp) {
    app.admin_with_community().await;
    let (_g, first) = group(&app, "open", "Fatigue support").await;
    let (_g, second) = group(&app, "open", "Fatigue support").await;
    assert_eq!(first, "fatigue-support");
    assert_eq!(second, "fatigue-support-2");
    let (_g, cjk) = group(&app, "open", "多发性硬化症").await;
    assert_eq!(cjk, "group");
    let dr = member(&app, "dr_slugs").await;
    sql(&app, "UPDATE users SET kind = 'clinician', clinician_status = 'verified', specialty = 'neurology' WHERE handle = 'dr_slugs'").await;
    let mut slugs = Vec::new();
    for title in ["Fatigue?", "Fatigue!!", "多发性硬化症", "多发性硬化症 疲劳"] {
        let r = save_article(&app, &dr, title).await;
        slugs.push(r.ok().as_str().expect("slug").to_string());
    }
    assert_eq!(slugs, ["fatigue", "fatigue-2", "article", "article-2"]);
    for s in &slugs {
        let (status, _, _) = page_as(&app, &dr, &format!("/library/{s}/edit")).await;
        assert_eq!(status, StatusCode::OK, "{s}");
    }
    // Every unique constraint maps to its field error on this backend (the handle and e-mail).
    let c = new_client();
    let r = app.signup_as(&c, "dr_slugs", PW).await;
    assert!(r.error().field_message("handle").is_some(), "{}", r.body);
}

const BREAKOUT: &str =
    r#"</textarea><meta http-equiv="refresh" content="0;url=https://evil.example/"><textarea>"#;

/// Item 20: stored text in every pre-filled textarea stays text.
async fn stored_text_cannot_break_out_of_a_textarea(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    clinic(&app, &admin, "north", "owner_o").await;
    let (gmod, slug) = group(&app, "private", "Breakout group").await;
    let dr = member(&app, "dr_breakout").await;
    sql(&app, "UPDATE users SET kind = 'clinician', clinician_status = 'verified', specialty = 'neurology' WHERE handle = 'dr_breakout'").await;
    let article = save_article(&app, &dr, "Breakout article")
        .await
        .ok()
        .as_str()
        .expect("slug")
        .to_string();
    let rater = member(&app, "rater_r").await;
    app.call_as(
        &rater,
        "directory/rate",
        &[
            ("slug", "north"),
            ("stars", "4"),
            ("wait_minutes", ""),
            ("body", "Kind staff."),
        ],
    )
    .await
    .ok();
    let pid = post(
        &app,
        &owner,
        None,
        "Breakout post",
        "Body text here.",
        "public",
    )
    .await;
    // Store the payload straight in every textarea-backed column (some forms would refuse it).
    let b = BREAKOUT.replace('\'', "''");
    for q in [
        format!("UPDATE users SET bio = '{b}'"),
        format!("UPDATE communities SET description = '{b}', rules = '{b}'"),
        format!("UPDATE support_groups SET description = '{b}'"),
        format!("UPDATE providers SET description = '{b}', opening_hours = '{b}'"),
        format!("UPDATE reviews SET body = '{b}', reply_body = '{b}'"),
        format!("UPDATE articles SET summary = '{b}', body_md = '{b}', key_facts = '{b}', sources = '{b}'"),
        format!("UPDATE posts SET body_md = '{b}'"),
    ] {
        sql(&app, &q).await;
    }
    for (c, path) in [
        (&owner, "/settings".to_string()),
        (&admin, "/c/ms/edit".to_string()),
        (&gmod, format!("/g/{slug}/manage")),
        (&owner, "/directory/north/edit".to_string()),
        (&owner, "/directory/north".to_string()),
        (&rater, "/directory/north".to_string()),
        (&dr, format!("/library/{article}/edit")),
        (&owner, format!("/p/{pid}")),
    ] {
        let (status, _, html) = page_as(&app, c, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            !html.contains("<meta http-equiv=\"refresh\""),
            "{path}: stored text became markup"
        );
    }
    // The positive control: the text is there, escaped.
    let (_, _, html) = page_as(&app, &owner, "/settings").await;
    assert!(
        html.contains("&lt;meta http-equiv"),
        "the bio is shown as text"
    );
}

/// Item 21: arguments of the wrong type are a 400, never a 500, on every server function.
async fn malformed_arguments_are_the_clients_error(app: TestApp) {
    let admin = app.admin_with_community().await;
    let wrong: Vec<(&str, &str)> = [
        "id",
        "post_id",
        "parent_id",
        "reply_id",
        "review",
        "before",
        "page",
        "approve",
        "ban",
        "on",
        "pinned",
        "stars",
    ]
    .iter()
    .map(|k| (*k, "not-a-number"))
    .collect();
    let mut checked = 0;
    for (path, _method) in leptos::server_fn::axum::server_fn_paths() {
        let endpoint = path.trim_start_matches("/api/");
        for form in [&wrong[..], &[][..]] {
            let r = app.call_as(&admin, endpoint, form).await;
            assert!(
                r.status != StatusCode::INTERNAL_SERVER_ERROR,
                "{endpoint} answered 500 to {form:?}: {}",
                r.body
            );
        }
        checked += 1;
    }
    assert!(checked > 80, "only {checked} server functions were found");
    let r = app.call_as(&admin, "post", &[("id", "abc")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error(), AppError::BadRequest);
    let (status, _, _) = page_as(&app, &admin, "/search?q=ms&page=abc").await;
    assert_eq!(status, StatusCode::OK);
}

/// Item 14: login attempts count per account (handle and e-mail are one bucket), and the owner's
/// known browser still logs in while someone else is guessing.
async fn login_limits_count_per_account(app: TestApp) {
    let mut args = test_args();
    args.login_limit_per_account = 3;
    let backend = if app.db_url.starts_with("sqlite") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    let Some(app) = spawn_with(backend, args).await else {
        return;
    };
    let owner = new_client();
    app.signup_as(&owner, "owner_w", PW).await.ok();
    app.call_as(&owner, "logout", &[]).await;
    // The owner logs in once from this browser: it becomes a known device.
    assert!(app.whoami(&owner).await.is_none());
    app.login(&owner, "owner_w", PW).await;
    assert_eq!(app.whoami(&owner).await.as_deref(), Some("owner_w"));
    app.call_as(&owner, "logout", &[]).await;
    // Someone guesses with both identifiers: one bucket (the owner's login was the first of
    // its three attempts).
    let attacker = new_client();
    for id in ["owner_w", "owner_w@example.org"] {
        let r = app.login(&attacker, id, "wrong-guess-1").await;
        assert_eq!(r.error(), AppError::InvalidCredentials, "{id}");
    }
    let r = app.login(&attacker, "OWNER_W", "wrong-guess-1").await;
    assert_eq!(r.error(), AppError::RateLimited);
    // Even the right password from a new browser waits…
    let fresh = new_client();
    let r = app.login(&fresh, "owner_w", PW).await;
    assert_eq!(r.error(), AppError::RateLimited);
    // …but the owner's known browser gets in.
    let r = app.login(&owner, "owner_w", PW).await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{}",
        r.body
    );
    assert_eq!(app.whoami(&owner).await.as_deref(), Some("owner_w"));
    // An unknown account answers the same way.
    for _ in 0..3 {
        app.login(&attacker, "nobody_here", "wrong-guess-1").await;
    }
    let r = app.login(&attacker, "nobody_here", "wrong-guess-1").await;
    assert_eq!(r.error(), AppError::RateLimited);
}

/// Writes are limited per member per hour, with an answer that keeps the form.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_are_limited_per_member_per_hour() {
    let mut args = test_args();
    args.post_limit_per_hour = 2;
    args.reply_limit_per_hour = 2;
    let Some(app) = spawn_with(Backend::Sqlite, args).await else {
        return;
    };
    app.admin_with_community().await;
    let m = member(&app, "busy_b").await;
    let id = post(
        &app,
        &m,
        None,
        "First question",
        "Body text here.",
        "public",
    )
    .await;
    post(
        &app,
        &m,
        None,
        "Second question",
        "Body text here.",
        "public",
    )
    .await;
    let r = app
        .call_as(
            &m,
            "post/create",
            &[
                ("community", "ms"),
                ("kind", "question"),
                ("title", "Third question"),
                ("body", "Body text here."),
                ("tags", ""),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.error(), AppError::RateLimited);
    let idt = id.to_string();
    for n in 0..3 {
        let r = app
            .call_as(
                &m,
                "reply/create",
                &[("post_id", idt.as_str()), ("body", "A reply.")],
            )
            .await;
        assert_eq!(
            r.status.is_success() || r.status.is_redirection(),
            n < 2,
            "reply {n}"
        );
    }
    // Another member is not held up.
    let other = member(&app, "calm_c").await;
    post(
        &app,
        &other,
        None,
        "Other question",
        "Body text here.",
        "public",
    )
    .await;
    let _: Value = Value::Null;
}

/// Item 11: a staff role and a clinician's listing (which publishes the licence number) are
/// invitations the member accepts; anyone can leave a staff role.
async fn directory_roles_are_accepted_not_imposed(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    let staffer = member(&app, "staffer_s").await;
    let dr = member(&app, "dr_consent").await;
    sql(&app, "UPDATE users SET kind = 'clinician', clinician_status = 'verified', specialty = 'neurology' WHERE handle = 'dr_consent'").await;
    sqlx::query(
        "INSERT INTO clinician_verifications (user_id, licence_number, specialty, status, submitted_at) \
         SELECT id, 'GMC 7654321', 'neurology', 'verified', 0 FROM users WHERE handle = 'dr_consent'",
    )
    .execute(&app.db.pool)
    .await
    .expect("verification");
    clinic(&app, &admin, "north", "owner_o").await;
    // Staff: invited, not made. Until they accept they may rate the clinic and edit nothing.
    app.call_as(
        &owner,
        "directory/staff",
        &[
            ("slug", "north"),
            ("handle", "staffer_s"),
            ("change", "add"),
        ],
    )
    .await
    .ok();
    let n = app.call_as(&staffer, "notifications", &[]).await.ok();
    assert!(n.to_string().contains("invites you to the staff"), "{n}");
    let p = north_as(&app, &staffer).await;
    assert_eq!(p["viewer"]["own_staff"], false);
    assert_eq!(p["my_invitations"], serde_json::json!(["Staff"]));
    answer_invitation(&app, &staffer, "staff", "decline").await;
    let p = north_as(&app, &staffer).await;
    assert_eq!(p["viewer"]["own_staff"], false);
    assert_eq!(p["my_invitations"], serde_json::json!([]));
    // Invited again, accepted, then left.
    app.call_as(
        &owner,
        "directory/staff",
        &[
            ("slug", "north"),
            ("handle", "staffer_s"),
            ("change", "add"),
        ],
    )
    .await
    .ok();
    answer_invitation(&app, &staffer, "staff", "accept").await;
    let p = north_as(&app, &staffer).await;
    assert_eq!(p["viewer"]["own_staff"], true);
    app.call_as(&staffer, "directory/leave_staff", &[("slug", "north")])
        .await
        .ok();
    let p = north_as(&app, &staffer).await;
    assert_eq!(p["viewer"]["own_staff"], false);
    // The only owner cannot leave (the clinic keeps an owner).
    let r = app
        .call_as(&owner, "directory/leave_staff", &[("slug", "north")])
        .await;
    assert!(r.error().field_message("staff").is_some());
    // Nobody answers someone else's invitation.
    let r = app
        .call_as(
            &staffer,
            "directory/invitation",
            &[("slug", "north"), ("role", "owner"), ("answer", "accept")],
        )
        .await;
    assert_eq!(r.error(), AppError::NotFound);
    // A clinician's listing: no public profile, no licence number, until they accept.
    app.call_as(
        &owner,
        "directory/clinician",
        &[
            ("slug", "north"),
            ("clinician", "dr_consent"),
            ("change", "add"),
        ],
    )
    .await
    .ok();
    let (status, _, html) = page_as(&app, &new_client(), "/directory/dr_consent").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("7654321"));
    let (_, _, html) = page_as(&app, &new_client(), "/directory/north").await;
    assert!(!html.contains("dr_consent"), "not listed before accepting");
    let (_, _, html) = page_as(&app, &dr, "/directory/north").await;
    assert!(
        html.contains("licence or registration number"),
        "the invitation says what becomes public"
    );
    app.call_as(
        &dr,
        "directory/invitation",
        &[
            ("slug", "north"),
            ("role", "clinician"),
            ("answer", "accept"),
        ],
    )
    .await
    .ok();
    let (status, _, html) = page_as(&app, &new_client(), "/directory/dr_consent").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("7654321"),
        "listed with the licence number after consent"
    );
}

/// Item 23: the handle stays URL-safe; a display name in any script shows on the profile.
async fn display_names_take_any_script(app: TestApp) {
    app.admin_with_community().await;
    let c = new_client();
    let r = app.signup_as(&c, "maría", PW).await;
    assert!(r
        .error()
        .field_message("handle")
        .unwrap_or_default()
        .contains("display name"));
    let m = member(&app, "maria_m").await;
    for name in ["María O'Brien-Müller", "李明"] {
        app.call_as(
            &m,
            "update_profile",
            &[
                ("display_name", name),
                ("bio", ""),
                ("theme", "system"),
                ("text_size", "normal"),
            ],
        )
        .await
        .ok();
        let p = app
            .call_as(&new_client(), "profile", &[("handle", "maria_m")])
            .await
            .ok();
        assert_eq!(p["display_name"], name);
        let (_, _, html) = page_as(&app, &new_client(), "/u/maria_m").await;
        assert!(
            html.contains(name) || html.contains(&name.replace('\'', "&#x27;")),
            "{name}"
        );
        assert!(html.contains("@maria_m"));
    }
    let r = app
        .call_as(
            &m,
            "update_profile",
            &[
                ("display_name", "<b>x</b>"),
                ("bio", "kept bio"),
                ("theme", "system"),
                ("text_size", "normal"),
            ],
        )
        .await;
    assert!(r.error().field_message("display_name").is_some());
}
