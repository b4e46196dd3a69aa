//! The health library on both backends: who writes, submits and publishes, the reviewer stamp, the grade override, version history, related questions.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use serde_json::Value;

both_backends!(
    publish_workflow_permissions,
    above_target_grade_needs_an_override,
    every_published_version_is_kept,
    related_questions_respect_visibility,
);

const PW: &str = "correct-horse-1";
const EASY_BODY: &str = "## What it is\n\nA relapse is when new symptoms come. Or old ones come back. It lasts more than a day.\n\n## What to do\n\nCall your MS team. Rest when you need to. Most relapses get better.";
const HARD_BODY: &str = "## Pathophysiology\n\nDemyelinating exacerbations characteristically manifest as subacute neurological deterioration attributable to inflammatory lesions, necessitating comprehensive multidisciplinary evaluation and individualised therapeutic consideration.";

async fn member(app: &TestApp, handle: &str, sql: Option<&str>) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    if let Some(sql) = sql {
        sqlx::query(&format!("UPDATE users SET {sql} WHERE handle = $1"))
            .bind(handle)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    c
}

async fn editor(app: &TestApp) -> Client {
    member(app, "editor_e", Some("is_editor = 1")).await
}

async fn clinician(app: &TestApp, handle: &str) -> Client {
    member(
        app,
        handle,
        Some("kind = 'clinician', clinician_status = 'verified', specialty = 'neurology'"),
    )
    .await
}

async fn save(
    app: &TestApp,
    c: &Client,
    current: &str,
    title: &str,
    body: &str,
    tags: &str,
) -> app::error::AppError {
    app.call_as(c, "library/save", &form(current, title, body, tags))
        .await
        .error()
}

fn form<'a>(
    current: &'a str,
    title: &'a str,
    body: &'a str,
    tags: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("current", current),
        ("community", "ms"),
        ("title", title),
        ("summary", "A short summary in plain words."),
        ("body", body),
        (
            "key_facts",
            "A relapse lasts more than a day.\nMost get better.",
        ),
        (
            "sources",
            "MS Trust: Relapse | https://mstrust.org.uk/a-z/relapse | 2023",
        ),
        ("tags", tags),
    ]
}

async fn create(app: &TestApp, c: &Client, title: &str, body: &str, tags: &str) -> String {
    app.call_as(c, "library/save", &form("", title, body, tags))
        .await
        .ok()
        .as_str()
        .expect("slug")
        .to_string()
}

/// An article published in "ms" with `tags` (an editor writes it, a clinician publishes it);
/// its address.
pub(crate) async fn published_article(app: &TestApp, tags: &str) -> String {
    let ed = editor(app).await;
    let dr = clinician(app, "dr_publisher").await;
    let slug = create(app, &ed, "Living with a relapse", EASY_BODY, tags).await;
    app.call_as(
        &ed,
        "library/submit",
        &[("slug", slug.as_str()), ("reviewer", "dr_publisher")],
    )
    .await
    .ok();
    app.call_as(&dr, "library/publish", &[("slug", slug.as_str())])
        .await
        .ok();
    slug
}

async fn article(app: &TestApp, c: &Client, slug: &str) -> Value {
    app.call_as(c, "library/article", &[("slug", slug)])
        .await
        .ok()
}

async fn publish_workflow_permissions(app: TestApp) {
    app.admin_with_community().await;
    let patient = member(&app, "patient_p", None).await;
    let ed = editor(&app).await;
    let dr = clinician(&app, "dr_reviewer").await;
    let other_dr = clinician(&app, "dr_other").await;

    assert_eq!(
        save(
            &app,
            &patient,
            "",
            "What is a relapse in MS?",
            EASY_BODY,
            "relapse"
        )
        .await,
        AppError::Forbidden
    );
    let bad = app
        .call_as(
            &ed,
            "library/save",
            &[
                ("current", ""),
                ("community", "ms"),
                ("title", "Hi"),
                ("summary", ""),
                ("body", "short"),
                ("key_facts", &"fact\n".repeat(9)),
                ("sources", "MS Trust | javascript:alert(1) | 2023"),
                ("tags", "<b>"),
            ],
        )
        .await
        .error();
    for field in ["title", "summary", "body", "key_facts", "sources", "tags"] {
        assert!(bad.field_message(field).is_some(), "{field}: {bad:?}");
    }
    let slug = create(&app, &ed, "What is a relapse in MS?", EASY_BODY, "relapse").await;
    assert_eq!(slug, "what-is-a-relapse-in-ms");
    // Not published yet: readers get 404, the draft is for its people only.
    let r = app
        .call_as(&new_client(), "library/article", &[("slug", &slug)])
        .await;
    assert_eq!(r.error(), AppError::NotFound);
    // Someone else's draft answers as no draft at all.
    assert_eq!(
        app.call_as(&patient, "library/draft", &[("slug", &slug)])
            .await
            .error(),
        AppError::NotFound
    );

    let submit =
        |reviewer: &'static str| vec![("slug", slug.clone()), ("reviewer", reviewer.to_string())];
    let as_refs = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };
    for (who, field_error) in [("patient_p", true), ("nobody_here", true)] {
        let f = as_refs(&submit(who));
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let e = app.call_as(&ed, "library/submit", &f).await.error();
        assert_eq!(
            e.field_message("reviewer").is_some(),
            field_error,
            "{who}: {e:?}"
        );
    }
    let f = as_refs(&submit("dr_reviewer"));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(&ed, "library/submit", &f).await.ok();

    // Only the named reviewer publishes.
    for c in [&ed, &other_dr, &patient] {
        let r = app.call_as(c, "library/publish", &[("slug", &slug)]).await;
        assert_eq!(r.error(), AppError::Forbidden);
    }
    let d = app
        .call_as(&dr, "library/draft", &[("slug", &slug)])
        .await
        .ok();
    assert_eq!(d["can_publish"], true);
    assert_eq!(d["status"], "Review");
    app.call_as(&dr, "library/publish", &[("slug", &slug)])
        .await
        .ok();

    let a = article(&app, &new_client(), &slug).await;
    assert_eq!(a["stamp"]["reviewer"], "dr_reviewer");
    assert_eq!(a["stamp"]["reviewer_title"], "verified neurologist");
    assert_eq!(a["version"], 1);
    assert_eq!(a["toc"][0]["id"], "s-what-it-is");
    assert_eq!(a["sources"][0]["year"], 2023);
    assert!(a["grade"].as_f64().unwrap() <= 8.0);
    assert_eq!(a["stamp"]["overdue"], false);
    let day = 86_400_000i64;
    assert_eq!(
        a["stamp"]["next_review_at"].as_i64().unwrap()
            - a["stamp"]["reviewed_at"].as_i64().unwrap(),
        365 * day,
        "due again in a year"
    );
    let list = app.call_as(&new_client(), "library", &[]).await.ok();
    assert_eq!(list[0]["slug"], slug.as_str());

    // A clinician cannot review their own article.
    let own = create(&app, &dr, "Heat and MS symptoms", EASY_BODY, "heat").await;
    let e = app
        .call_as(
            &dr,
            "library/submit",
            &[("slug", own.as_str()), ("reviewer", "dr_reviewer")],
        )
        .await
        .error();
    assert!(e.field_message("reviewer").is_some());

    // The reviewer may send a draft back with a note.
    app.call_as(
        &dr,
        "library/submit",
        &[("slug", own.as_str()), ("reviewer", "dr_other")],
    )
    .await
    .ok();
    app.call_as(
        &other_dr,
        "library/send_back",
        &[("slug", own.as_str()), ("note", "Add a source, please.")],
    )
    .await
    .ok();
    let d = app
        .call_as(&dr, "library/draft", &[("slug", own.as_str())])
        .await
        .ok();
    assert_eq!(d["status"], "Draft");
    assert_eq!(d["review_note"], "Add a source, please.");

    // The page: stamp, key facts, table of contents.
    let (status, html) = app.get(&format!("/library/{slug}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Medically reviewed"));
    assert!(html.contains(r#"href="/u/dr_reviewer""#));
    assert!(html.contains(r##"href="#s-what-to-do""##));
    assert!(html.contains("Key facts"));
}

async fn above_target_grade_needs_an_override(app: TestApp) {
    app.admin_with_community().await;
    let ed = editor(&app).await;
    let dr = clinician(&app, "dr_grade").await;
    let slug = create(&app, &ed, "Pathophysiology of relapses", HARD_BODY, "").await;
    let d = app
        .call_as(&ed, "library/draft", &[("slug", &slug)])
        .await
        .ok();
    assert!(d["grade"].as_f64().unwrap() > 8.0, "{d}");
    app.call_as(
        &ed,
        "library/submit",
        &[("slug", slug.as_str()), ("reviewer", "dr_grade")],
    )
    .await
    .ok();
    let e = app
        .call_as(&dr, "library/publish", &[("slug", &slug)])
        .await
        .error();
    assert!(e.field_message("override").is_some(), "{e:?}");
    app.call_as(
        &dr,
        "library/publish",
        &[("slug", slug.as_str()), ("override_grade", "yes")],
    )
    .await
    .ok();
    let stored: i64 = sqlx::query_scalar("SELECT readability_override FROM article_versions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the override is recorded with the version");
}

async fn every_published_version_is_kept(app: TestApp) {
    app.admin_with_community().await;
    let ed = editor(&app).await;
    let dr = clinician(&app, "dr_versions").await;
    let slug = create(&app, &ed, "What is a relapse in MS?", EASY_BODY, "relapse").await;
    review_and_publish(&app, &ed, &dr, &slug, "dr_versions").await;
    // Editing starts a new draft; readers keep seeing version 1 meanwhile.
    let f = form(
        &slug,
        "What is a relapse in multiple sclerosis?",
        EASY_BODY,
        "relapse",
    );
    app.call_as(&ed, "library/save", &f).await.ok();
    let a = article(&app, &new_client(), &slug).await;
    assert_eq!(a["title"], "What is a relapse in MS?");
    assert_eq!(a["version"], 1);
    let d = app
        .call_as(&ed, "library/draft", &[("slug", &slug)])
        .await
        .ok();
    assert_eq!(d["status"], "Draft");
    assert_eq!(d["has_published_version"], true);
    review_and_publish(&app, &ed, &dr, &slug, "dr_versions").await;
    let a = article(&app, &new_client(), &slug).await;
    assert_eq!(a["title"], "What is a relapse in multiple sclerosis?");
    assert_eq!(a["version"], 2);
    assert_eq!(a["versions"].as_array().unwrap().len(), 2);
    let kept: Vec<String> =
        sqlx::query_scalar("SELECT title FROM article_versions ORDER BY number")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        kept,
        vec![
            "What is a relapse in MS?",
            "What is a relapse in multiple sclerosis?"
        ]
    );
}

async fn related_questions_respect_visibility(app: TestApp) {
    let admin = app.admin_with_community().await;
    let ed = editor(&app).await;
    let dr = clinician(&app, "dr_related").await;
    let slug = create(&app, &ed, "What is a relapse in MS?", EASY_BODY, "relapse").await;
    app.call_as(
        &ed,
        "library/submit",
        &[("slug", slug.as_str()), ("reviewer", "dr_related")],
    )
    .await
    .ok();
    app.call_as(&dr, "library/publish", &[("slug", slug.as_str())])
        .await
        .ok();
    let asker = member(&app, "asker_rel", None).await;
    app.call_as(&asker, "community/join", &[("slug", "ms")])
        .await
        .ok();
    for (title, visibility) in [
        ("Is this tingling a relapse?", "public"),
        ("A private relapse question", "members"),
    ] {
        app.call_as(
            &asker,
            "post/create",
            &[
                ("community", "ms"),
                ("kind", "question"),
                ("title", title),
                ("body", "Body"),
                ("tags", "relapse"),
                ("visibility", visibility),
            ],
        )
        .await
        .ok();
    }
    let titles = |a: &Value| -> Vec<String> {
        a["related"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles(&article(&app, &new_client(), &slug).await),
        vec!["Is this tingling a relapse?"]
    );
    assert_eq!(
        titles(&article(&app, &asker, &slug).await),
        vec!["A private relapse question", "Is this tingling a relapse?"]
    );

    // The question page suggests the article, and an answer that links it gets a preview.
    let q = article(&app, &asker, &slug).await["related"][1]["id"]
        .as_i64()
        .unwrap();
    let draft_only = create(&app, &ed, "An unpublished draft article", EASY_BODY, "").await;
    let body = format!("See [this article](/library/{slug}) and /library/{draft_only}.");
    app.call_as(&dr, "community/join", &[("slug", "ms")])
        .await
        .ok();
    app.call_as(
        &dr,
        "reply/create",
        &[("post_id", q.to_string().as_str()), ("body", body.as_str())],
    )
    .await
    .ok();
    let p = app
        .call_as(&new_client(), "post", &[("id", &q.to_string())])
        .await
        .ok();
    assert_eq!(p["related_articles"][0]["slug"], slug.as_str());
    assert_eq!(
        p["replies"][0]["cites"],
        serde_json::json!([slug, draft_only])
    );
    let cited = p["cited_articles"].as_array().unwrap();
    assert_eq!(cited.len(), 1, "only published articles get a preview");
    assert_eq!(cited[0]["title"], "What is a relapse in MS?");
    assert_eq!(cited[0]["reviewer"], "dr_related");

    // A question of another condition with the same tag is not offered the MS article: a
    // library article speaks of its own community's condition.
    app.call_as(
        &admin,
        "admin/save_community",
        &[
            ("current_slug", ""),
            ("slug", "cml"),
            ("name", "Chronic Myeloid Leukaemia"),
            ("description", "Living with CML."),
            ("rules", ""),
            ("colour", "teal"),
        ],
    )
    .await
    .ok();
    app.call_as(&asker, "community/join", &[("slug", "cml")])
        .await
        .ok();
    let other = app
        .call_as(
            &asker,
            "post/create",
            &[
                ("community", "cml"),
                ("kind", "question"),
                ("title", "Is a relapse of CML the same thing?"),
                ("body", "Body"),
                ("tags", "relapse"),
                ("visibility", "public"),
            ],
        )
        .await
        .ok();
    let other_id = other.as_i64().unwrap();
    let p = app
        .call_as(&new_client(), "post", &[("id", &other_id.to_string())])
        .await
        .ok();
    assert_eq!(p["post"]["title"], "Is a relapse of CML the same thing?");
    assert_eq!(p["related_articles"], serde_json::json!([]));
}

async fn review_and_publish(app: &TestApp, ed: &Client, dr: &Client, slug: &str, reviewer: &str) {
    app.call_as(
        ed,
        "library/submit",
        &[("slug", slug), ("reviewer", reviewer)],
    )
    .await
    .ok();
    app.call_as(dr, "library/publish", &[("slug", slug)])
        .await
        .ok();
}
