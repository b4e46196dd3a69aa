//! Search on both backends: ranking (title first), index kept current by every write, visibility for each kind of reader, hostile queries, spelling and prefixes, articles.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    abbreviations_and_spellings_find_each_other,
    the_phrase_ranks_first,
    admins_edit_the_synonyms,
    similar_questions_while_writing,
    communities_and_listed_groups_are_results,
    title_matches_first_and_the_index_follows_every_write,
    members_only_posts_are_found_only_by_those_who_may_read_them,
    hostile_queries_never_fail,
    misspellings_and_prefixes_find_posts,
    published_articles_are_found_with_highlights,
    many_matching_providers_come_best_rated_first,
);

async fn member(app: &TestApp, handle: &str, join: bool) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, "correct-horse-1").await.ok();
    if join {
        app.call_as(&c, "community/join", &[("slug", "ms")])
            .await
            .ok();
    }
    c
}

async fn post(app: &TestApp, c: &Client, title: &str, body: &str, visibility: &str) -> i64 {
    app.call_as(
        c,
        "post/create",
        &[
            ("community", "ms"),
            ("kind", "question"),
            ("title", title),
            ("body", body),
            ("tags", ""),
            ("visibility", visibility),
        ],
    )
    .await
    .ok()
    .as_i64()
    .expect("id")
}

async fn search(app: &TestApp, c: &Client, q: &str) -> Value {
    app.call_as(c, "search", &[("q", q)]).await.ok()
}

fn post_ids(r: &Value) -> Vec<i64> {
    r["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .map(|h| h["post"]["id"].as_i64().unwrap())
        .collect()
}

async fn title_matches_first_and_the_index_follows_every_write(app: TestApp) {
    app.admin_with_community().await;
    let a = member(&app, "writer_s", true).await;
    let in_body = post(
        &app,
        &a,
        "Something else entirely",
        "Fatigue, fatigue and more fatigue every day.",
        "public",
    )
    .await;
    let in_title = post(&app, &a, "Fatigue after a relapse", "It is hard.", "public").await;
    let r = search(&app, &new_client(), "fatigue").await;
    assert_eq!(post_ids(&r), vec![in_title, in_body], "title match first");
    assert_eq!(r["post_count"], 2);
    // The count comes with the posts' page; the other tabs and a page past the end count apart.
    for (tab, page) in [("articles", "1"), ("providers", "1"), ("posts", "3")] {
        let r = app
            .call_as(
                &new_client(),
                "search",
                &[("q", "fatigue"), ("tab", tab), ("page", page)],
            )
            .await
            .ok();
        assert_eq!(r["post_count"], 2, "{tab} page {page}: {r}");
    }
    let snippet = &r["posts"][1]["snippet"];
    assert!(
        snippet
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s[0] == "Fatigue," && s[1] == true),
        "{snippet}"
    );

    // Edited: the new words are found at once, the old ones are gone.
    app.call_as(
        &a,
        "post/edit",
        &[
            ("id", &in_body.to_string()),
            ("title", "Cooling vests in summer"),
            ("body", "They help on hot days."),
            ("tags", ""),
            ("visibility", "public"),
        ],
    )
    .await
    .ok();
    assert_eq!(
        post_ids(&search(&app, &new_client(), "fatigue").await),
        vec![in_title]
    );
    assert_eq!(
        post_ids(&search(&app, &new_client(), "cooling vests").await),
        vec![in_body]
    );
    // Deleted: gone from results.
    app.call_as(&a, "post/delete", &[("id", &in_title.to_string())])
        .await
        .ok();
    assert!(post_ids(&search(&app, &new_client(), "fatigue").await).is_empty());
}

async fn members_only_posts_are_found_only_by_those_who_may_read_them(app: TestApp) {
    let admin = app.admin_with_community().await;
    let author = member(&app, "author_s", true).await;
    let fellow = member(&app, "fellow_s", true).await;
    let outsider = member(&app, "outsider_s", false).await;
    let id = post(
        &app,
        &author,
        "A private zebrafish question",
        "Only zebrafish people may read this.",
        "members",
    )
    .await;
    for (who, c, sees) in [
        ("anonymous", new_client(), false),
        ("outsider", outsider.clone(), false),
        ("member", fellow.clone(), true),
        ("author", author.clone(), true),
        ("admin", admin.clone(), true),
    ] {
        let r = search(&app, &c, "zebrafish").await;
        assert_eq!(post_ids(&r) == vec![id], sees, "{who}");
        assert_eq!(
            r["post_count"],
            if sees { 1 } else { 0 },
            "{who}: counts too"
        );
        if !sees {
            assert!(
                !r.to_string().contains("zebrafish people"),
                "{who}: no snippet"
            );
        }
    }
    // Leaving the community takes the access away.
    app.call_as(&fellow, "community/leave", &[("slug", "ms")])
        .await
        .ok();
    assert!(post_ids(&search(&app, &fellow, "zebrafish").await).is_empty());
}

async fn hostile_queries_never_fail(app: TestApp) {
    app.admin_with_community().await;
    let a = member(&app, "hostile_s", true).await;
    post(
        &app,
        &a,
        "Relapse and fatigue question",
        "Body text about relapse.",
        "public",
    )
    .await;
    let long = "relapse ".repeat(1300);
    for q in [
        "",
        "a",
        "\"",
        "*",
        ":",
        "NEAR",
        "&",
        "|",
        "!",
        "\"relapse",
        "relapse*",
        "title:relapse",
        "NEAR(relapse fatigue)",
        "(((",
        "-relapse",
        "relapse OR fatigue",
        "'; DROP TABLE posts;--",
        "\u{0}",
        "the",
        long.as_str(),
    ] {
        let r = app.call_as(&new_client(), "search", &[("q", q)]).await;
        assert!(r.status.is_success(), "{q:.40}: {} {}", r.status, r.body);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert!(v["message"].is_string() || v["posts"].is_array(), "{q:.40}");
    }
    let r = search(&app, &new_client(), "a").await;
    assert_eq!(r["message"], "Type at least two letters to search.");
    assert_eq!(
        post_ids(&search(&app, &new_client(), "relapse*").await).len(),
        1
    );
    assert_eq!(post_ids(&search(&app, &new_client(), &long).await).len(), 1);
    // The page works without JavaScript: a plain GET.
    let (status, html) = app.get("/search?q=%22relapse%22+NEAR%28").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>"), "highlighted on the page");
}

async fn misspellings_and_prefixes_find_posts(app: TestApp) {
    app.admin_with_community().await;
    let a = member(&app, "speller_s", true).await;
    let id = post(
        &app,
        &a,
        "Living with multiple sclerosis",
        "Day by day.",
        "public",
    )
    .await;
    // Stemming alone already folds some misspellings ("sclerosys" and "sclerosis" share a stem).
    let r = search(&app, &new_client(), "multiple sclerosys").await;
    assert_eq!(post_ids(&r), vec![id]);
    // Others need the correction, which the page states.
    let r = search(&app, &new_client(), "multiple sklerosis").await;
    assert_eq!(post_ids(&r), vec![id]);
    assert_eq!(r["corrected_from"], "multiple sklerosis");
    assert_eq!(r["words"], serde_json::json!(["multiple", "sclerosis"]));
    let r = search(&app, &new_client(), "xqzv wrrrd").await;
    assert_eq!(r["post_count"], 0);
    assert_eq!(
        r["corrected_from"],
        Value::Null,
        "nothing close: no correction"
    );
    let r = search(&app, &new_client(), "scler").await;
    assert_eq!(post_ids(&r), vec![id], "the last word matches as a prefix");
    assert_eq!(r["corrected_from"], Value::Null);
}

async fn published_articles_are_found_with_highlights(app: TestApp) {
    app.admin_with_community().await;
    let ed = member(&app, "editor_s", false).await;
    let dr = member(&app, "dr_search", false).await;
    for (h, sql) in [
        ("editor_s", "is_editor = 1"),
        (
            "dr_search",
            "kind = 'clinician', clinician_status = 'verified', specialty = 'neurology'",
        ),
    ] {
        sqlx::query(&format!("UPDATE users SET {sql} WHERE handle = $1"))
            .bind(h)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let body = "## What it is\n\nA relapse is when new symptoms come. It lasts more than a day. Most relapses get better.";
    for title in ["What is a relapse in MS?", "A draft about relapse"] {
        app.call_as(
            &ed,
            "library/save",
            &[
                ("current", ""),
                ("community", "ms"),
                ("title", title),
                ("summary", "Plain words."),
                ("body", body),
                ("key_facts", ""),
                ("sources", ""),
                ("tags", ""),
            ],
        )
        .await
        .ok();
    }
    app.call_as(
        &ed,
        "library/submit",
        &[
            ("slug", "what-is-a-relapse-in-ms"),
            ("reviewer", "dr_search"),
        ],
    )
    .await
    .ok();
    app.call_as(
        &dr,
        "library/publish",
        &[("slug", "what-is-a-relapse-in-ms")],
    )
    .await
    .ok();
    let r = app
        .call_as(
            &new_client(),
            "search",
            &[("q", "relapse"), ("tab", "articles")],
        )
        .await
        .ok();
    assert_eq!(r["article_count"], 1, "drafts are not searchable");
    assert_eq!(r["articles"][0]["slug"], "what-is-a-relapse-in-ms");
    assert!(r["articles"][0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s[1] == true));
    assert_eq!(
        r["posts"],
        serde_json::json!([]),
        "the articles tab shows articles only"
    );
}

async fn communities_and_listed_groups_are_results(app: TestApp) {
    app.admin_with_community().await;
    let gmod = member(&app, "gmod", true).await;
    sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'gmod')")
        .execute(&app.db.pool)
        .await
        .expect("community moderator");
    for (name, kind) in [
        ("Newly diagnosed with MS", "open"),
        ("Parents newly diagnosed", "private"),
        ("Secret newly diagnosed circle", "hidden"),
    ] {
        app.call_as(
            &gmod,
            "group/create",
            &[
                ("community", "ms"),
                ("name", name),
                ("description", "For the first year after the diagnosis."),
                ("kind", kind),
                ("question", "What brings you here?"),
            ],
        )
        .await
        .ok();
    }
    let visitor = new_client();
    // A community by name, though no post mentions it.
    let r = search(&app, &visitor, "multiple sclerosis").await;
    let places = r["places"].as_array().cloned().unwrap_or_default();
    assert_eq!(places.len(), 1, "{r}");
    assert_eq!(places[0]["href"], "/c/ms");
    assert_eq!(places[0]["kind"], "Community");
    // Groups by name: the open and the private one, never the hidden one.
    let r = search(&app, &visitor, "newly diagnosed").await;
    let names: Vec<&str> = r["places"]
        .as_array()
        .map(|p| p.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(names.contains(&"Newly diagnosed with MS"), "{names:?}");
    assert!(names.contains(&"Parents newly diagnosed"), "{names:?}");
    assert!(
        !names.iter().any(|n| n.contains("Secret")),
        "a hidden group was named: {names:?}"
    );
    // The search page shows them.
    let (_, html) = app.get("/search?q=multiple+sclerosis").await;
    assert!(html.contains("Communities and groups") && html.contains("href=\"/c/ms\""));
    assert!(!html.contains("Nothing found"));
    // Nothing found: asking is one click away, in the community searched or after choosing one.
    let (_, html) = app.get("/search?q=zzyzxqv").await;
    assert!(
        html.contains("Nothing found") && html.contains(r#"<a href="/c">ask the community</a>"#)
    );
    let (_, html) = app.get("/search?q=zzyzxqv&community=ms").await;
    assert!(html.contains(r#"<a href="/c/ms/new">ask the community</a>"#));
}

async fn abbreviations_and_spellings_find_each_other(app: TestApp) {
    let admin = app.admin_with_community().await;
    let a = member(&app, "syn_writer", true).await;
    let visitor = new_client();
    let long = post(
        &app,
        &a,
        "Ten years in",
        "Living with multiple sclerosis for ten years now.",
        "public",
    )
    .await;
    let short = post(
        &app,
        &a,
        "New to MS",
        "Diagnosed with MS last spring.",
        "public",
    )
    .await;
    let cml = post(
        &app,
        &a,
        "Starting a TKI",
        "My CML numbers after three months.",
        "public",
    )
    .await;
    let uk = post(
        &app,
        &a,
        "Check-up day",
        "My leukaemia check-up went well.",
        "public",
    )
    .await;
    let apart = post(
        &app,
        &a,
        "Sclerosis of the multiple kind",
        "Words apart: multiple plans, no sclerosis here.",
        "public",
    )
    .await;
    // The abbreviation finds the full name and the full name the abbreviation.
    for q in ["ms", "multiple sclerosis"] {
        let ids = post_ids(&search(&app, &visitor, q).await);
        assert!(ids.contains(&long) && ids.contains(&short), "{q}: {ids:?}");
        // A phrase is a phrase: its words far apart do not make it.
        assert!(!ids.contains(&apart), "{q}: {ids:?}");
    }
    let ids = post_ids(&search(&app, &visitor, "chronic myeloid leukemia").await);
    assert!(ids.contains(&cml), "{ids:?}");
    // UK and US spellings.
    let ids = post_ids(&search(&app, &visitor, "leukemia").await);
    assert!(ids.contains(&uk), "{ids:?}");
    // The matching words are marked in the snippet whichever spelling was typed.
    let r = search(&app, &visitor, "leukemia").await;
    assert!(r.to_string().contains("leukaemia"), "{r}");
    // A neurologist is found among clinics tagged Neurology.
    app.call_as(
        &admin,
        "directory/create_clinic",
        &[
            ("name", "Riverside Clinic"),
            ("slug", "riverside"),
            ("city", "Leeds"),
            ("lat", ""),
            ("lon", ""),
            ("owner", "root_admin"),
        ],
    )
    .await
    .ok();
    sqlx::query("UPDATE providers SET specialties = 'neurology' WHERE slug = 'riverside'")
        .execute(&app.db.pool)
        .await
        .expect("specialty");
    let r = search(&app, &visitor, "neurologist").await;
    assert_eq!(r["provider_count"].as_i64(), Some(1), "{r}");
    assert_eq!(r["providers"][0]["slug"], "riverside");
}

async fn the_phrase_ranks_first(app: TestApp) {
    app.admin_with_community().await;
    let a = member(&app, "phrase_writer", true).await;
    let visitor = new_client();
    // The words together once, in the body.
    let together = post(
        &app,
        &a,
        "Afternoons",
        "By three o'clock the brain fog rolls in.",
        "public",
    )
    .await;
    // The words many times each, apart, and in the title: bm25 and ts_rank prefer this one.
    let apart = post(
        &app,
        &a,
        "Fog, fog and my brain",
        "On the road the fog, in the valley the fog; my brain likes walks, brain and body both.",
        "public",
    )
    .await;
    let r = search(&app, &visitor, "brain fog").await;
    assert_eq!(post_ids(&r), vec![together, apart], "the phrase first: {r}");
    // One word has no phrase: the usual ranking (the title match first).
    let r = search(&app, &visitor, "fog").await;
    assert_eq!(post_ids(&r)[0], apart, "{r}");
}

async fn admins_edit_the_synonyms(app: TestApp) {
    let admin = app.admin_with_community().await;
    let a = member(&app, "flare_writer", true).await;
    let visitor = new_client();
    let relapse = post(
        &app,
        &a,
        "Third relapse",
        "Steroids again this week.",
        "public",
    )
    .await;
    assert!(post_ids(&search(&app, &visitor, "flare").await).is_empty());
    // Members cannot read or change the list.
    let e = app.call_as(&a, "search/synonyms", &[]).await.error();
    assert!(matches!(e, AppError::Forbidden), "{e:?}");
    let e = app
        .call_as(&a, "search/save_synonyms", &[("body", "flare | relapse")])
        .await
        .error();
    assert!(matches!(e, AppError::Forbidden), "{e:?}");
    // The built-in list until an admin saves one.
    let list = app.call_as(&admin, "search/synonyms", &[]).await.ok();
    assert!(list["updated_at"].is_null());
    assert!(list["body"]
        .as_str()
        .unwrap_or("")
        .contains("ms | multiple sclerosis"));
    // A bad line is named; nothing changes.
    let e = app
        .call_as(
            &admin,
            "search/save_synonyms",
            &[("body", "flare | relapse\nc++ | cpp")],
        )
        .await
        .error();
    assert!(
        e.field_message("body")
            .is_some_and(|m| m.starts_with("Line 2:")),
        "{e:?}"
    );
    assert!(post_ids(&search(&app, &visitor, "flare").await).is_empty());
    // Saved: "flare" finds the relapse, at once; the old groups are gone with the old list.
    let body = "# Ours\nflare | flares | relapse | relapses\n";
    app.call_as(&admin, "search/save_synonyms", &[("body", body)])
        .await
        .ok();
    assert_eq!(
        post_ids(&search(&app, &visitor, "flare").await),
        vec![relapse]
    );
    let list = app.call_as(&admin, "search/synonyms", &[]).await.ok();
    assert_eq!(list["body"], body);
    assert!(list["updated_at"].is_i64());
    let logged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'search.synonyms'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap_or(0);
    assert_eq!(logged, 1);
    // Restored: back to the built-in list.
    app.call_as(
        &admin,
        "search/save_synonyms",
        &[("body", ""), ("restore", "yes")],
    )
    .await
    .ok();
    assert!(post_ids(&search(&app, &visitor, "flare").await).is_empty());
    let list = app.call_as(&admin, "search/synonyms", &[]).await.ok();
    assert!(list["updated_at"].is_null());
    // The page without JavaScript.
    let (status, html) = app.get("/admin/synonyms").await;
    assert_eq!(status, 401);
    assert!(
        !html.contains("ms | multiple sclerosis"),
        "only admins see the list"
    );
}

async fn similar_questions_while_writing(app: TestApp) {
    app.admin_with_community().await;
    let a = member(&app, "asker_one", true).await;
    let b = member(&app, "asker_two", true).await;
    let visitor = new_client();
    let public = post(
        &app,
        &a,
        "Does fatigue get better after a relapse?",
        "Weeks on.",
        "public",
    )
    .await;
    let members = post(
        &app,
        &a,
        "Relapse fatigue and the heat",
        "Summer is hard.",
        "members",
    )
    .await;
    let other = post(&app, &a, "Which diet helps?", "Food questions.", "public").await;
    let similar = |c: Client, title: &'static str| {
        let app = &app;
        async move {
            let r = app
                .call_as(&c, "post/similar", &[("community", "ms"), ("title", title)])
                .await
                .ok();
            r.as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(|p| p["id"].as_i64())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    // Any of the title's telling words; the best match first; the visibility rule holds.
    let ids = similar(b.clone(), "fatigue after my relapse").await;
    assert!(ids.contains(&public) && ids.contains(&members), "{ids:?}");
    assert!(!ids.contains(&other), "{ids:?}");
    let ids = similar(visitor.clone(), "fatigue after my relapse").await;
    assert_eq!(ids, vec![public], "a visitor never sees members-only posts");
    // Too little typed yet: nothing asked of the database.
    assert!(similar(b.clone(), "fatigue").await.is_empty());
    assert!(similar(b.clone(), "how does the").await.is_empty());
    // The check step posts nothing and says so; the fields come back.
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts")
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or(0);
    let e = app
        .call_as(
            &b,
            "post/create",
            &[
                ("community", "ms"),
                ("kind", "question"),
                ("title", "Fatigue after a relapse: how long?"),
                ("body", "Three weeks now."),
                ("tags", ""),
                ("visibility", "public"),
                ("step", "check"),
            ],
        )
        .await
        .error();
    assert!(
        e.field_message("check")
            .is_some_and(|m| m.starts_with("Not posted yet")),
        "{e:?}"
    );
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts")
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or(0);
    assert_eq!(before, after);
}

/// A hundred matching providers or more: the count stops at 100 ("100+") and the best rated come
/// first (SQLite then walks the rating index against the list of matches, read once), for a word
/// in most providers and for one in fewer, on All and on the providers tab's second page.
async fn many_matching_providers_come_best_rated_first(app: TestApp) {
    // 400 clinics: "physio" in 300 of them, "alpine" in 120; distinct ratings.
    let words = |i: i64| {
        let mut w = Vec::new();
        if i % 4 != 0 {
            w.push("physio");
        }
        if i % 10 < 3 {
            w.push("alpine");
        }
        w
    };
    let rating = |i: i64| (i * 37) % 401;
    let values: Vec<String> = (0..400)
        .map(|i| {
            format!(
                "('clinic', 'c{i}', 'Clinic {i} {}', 0, 0, {}, 1)",
                words(i).join(" "),
                rating(i)
            )
        })
        .collect();
    sqlx::query(&format!(
        "INSERT INTO providers (kind, slug, name, created_at, updated_at, rating_avg_x100, \
         rating_count) VALUES {}",
        values.join(", ")
    ))
    .execute(&app.db.pool)
    .await
    .expect("providers");
    for word in ["physio", "alpine"] {
        let mut best: Vec<i64> = (0..400).filter(|i| words(*i).contains(&word)).collect();
        best.sort_by_key(|i| std::cmp::Reverse(rating(*i)));
        let slugs = |r: &Value| -> Vec<String> {
            r["providers"]
                .as_array()
                .expect("providers")
                .iter()
                .map(|p| p["slug"].as_str().unwrap().to_string())
                .collect()
        };
        let expected =
            |n: usize| -> Vec<String> { best.iter().take(n).map(|i| format!("c{i}")).collect() };
        let r = search(&app, &new_client(), word).await;
        assert_eq!(r["provider_count"], 100, "{word}: {r}");
        assert_eq!(slugs(&r), expected(3), "{word}: the best three on All");
        let r = app
            .call_as(
                &new_client(),
                "search",
                &[("q", word), ("tab", "providers"), ("page", "2")],
            )
            .await
            .ok();
        assert_eq!(
            slugs(&r),
            best.iter()
                .skip(20)
                .take(20)
                .map(|i| format!("c{i}"))
                .collect::<Vec<_>>(),
            "{word}: the providers tab's second page"
        );
    }
}
