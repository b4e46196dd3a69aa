//! Search engines and link previews on both backends: the sitemap and Atom feeds list every public post and no members-only, closed-group or deleted one; robots.txt names the sitemap; a public question's page carries its description, canonical link, Open Graph tags and JSON-LD checked against the schema.org types it claims (QAPage, Question, Answer, BreadcrumbList, MedicalWebPage, MedicalClinic); a members-only page carries none of it.

use crate::common::{new_client, TestApp};
use reqwest::{header, Client, StatusCode};
use serde_json::Value;

both_backends!(
    sitemap_and_feeds_list_public_content_only,
    public_pages_describe_themselves_to_search_engines,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

async fn post(
    app: &TestApp,
    c: &Client,
    kind: &str,
    title: &str,
    body: &str,
    visibility: &str,
    group: Option<&str>,
) -> i64 {
    let mut form = vec![
        ("community", "ms"),
        ("kind", kind),
        ("title", title),
        ("body", body),
        ("tags", ""),
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

async fn text(app: &TestApp, path: &str) -> (StatusCode, header::HeaderMap, String) {
    let res = new_client()
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("request");
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.text().await.expect("body"))
}

/// The site's public address as the server was configured (robots.txt names it).
async fn public_base(app: &TestApp) -> String {
    let (_, _, robots) = text(app, "/robots.txt").await;
    robots
        .lines()
        .find_map(|l| l.strip_prefix("Sitemap: ")?.strip_suffix("/sitemap.xml"))
        .unwrap_or_else(|| panic!("no sitemap line in {robots}"))
        .to_string()
}

async fn sitemap_and_feeds_list_public_content_only(app: TestApp) {
    app.admin_with_community().await;
    let ann = member(&app, "seo_ann").await;
    let (gmod, group) = app.private_group_by_gmod("Caregivers").await;
    let titles = [
        "Cooling vests that work",
        "Walking aids & pride",
        "Night-time bladder tips",
    ];
    let mut public = Vec::new();
    for t in titles {
        public.push(
            post(
                &app,
                &ann,
                "discussion",
                t,
                "Shared with everyone.",
                "public",
                None,
            )
            .await,
        );
    }
    let members_only = post(
        &app,
        &ann,
        "discussion",
        "Members only words",
        "For members.",
        "members",
        None,
    )
    .await;
    let closed = post(
        &app,
        &gmod,
        "discussion",
        "Closed group words",
        "For the group.",
        "public",
        Some(&group),
    )
    .await;
    let deleted = post(
        &app,
        &ann,
        "discussion",
        "Deleted words",
        "Gone.",
        "public",
        None,
    )
    .await;
    app.call_as(&ann, "post/delete", &[("id", &deleted.to_string())])
        .await
        .ok();

    let (status, headers, robots) = text(&app, "/robots.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/plain"));
    let base = public_base(&app).await;
    assert!(base.starts_with("http"), "{robots}");
    assert!(robots.contains("Disallow: /api/"));

    let (status, headers, index) = text(&app, "/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or_default()
        .starts_with("application/xml"));
    assert!(index.contains("<sitemapindex"));
    assert!(index.contains(&format!("<loc>{}/sitemap/pages.xml</loc>", base)));
    assert!(
        index.contains(&format!("<loc>{}/sitemap/posts-1.xml</loc>", base)),
        "{index}"
    );
    let (_, _, posts) = text(&app, "/sitemap/posts-1.xml").await;
    let loc = |id: i64| format!("<loc>{}/p/{id}</loc>", base);
    for id in &public {
        assert!(
            posts.contains(&loc(*id)),
            "public post {id} missing: {posts}"
        );
    }
    for id in [members_only, closed, deleted] {
        assert!(
            !posts.contains(&loc(id)),
            "post {id} must not be listed: {posts}"
        );
    }
    assert_eq!(
        text(&app, "/sitemap/posts-0.xml").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        text(&app, "/sitemap/other.xml").await.0,
        StatusCode::NOT_FOUND
    );
    let (_, _, pages) = text(&app, "/sitemap/pages.xml").await;
    assert!(
        pages.contains(&format!("<loc>{}/c/ms</loc>", base)),
        "{pages}"
    );
    assert!(
        !pages.contains(&group),
        "a private group is not a page anyone can see"
    );

    let (status, headers, feed) = text(&app, "/c/ms/feed.atom").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or_default()
        .starts_with("application/atom+xml"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(
        feed.contains("<title>Walking aids &amp; pride</title>"),
        "{feed}"
    );
    for t in titles {
        assert!(feed.contains(&t.replace('&', "&amp;")), "{t} missing");
    }
    for t in ["Members only words", "Closed group words", "Deleted words"] {
        assert!(!feed.contains(t), "{t} must not be in the feed");
    }
    assert_eq!(
        text(&app, "/c/nowhere/feed.atom").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _, library) = text(&app, "/library/feed.atom").await;
    assert_eq!(status, StatusCode::OK);
    assert!(library.contains("<title>Health library · HealthCommunity</title>"));
    // The community page tells feed readers where its feed is.
    let (_, _, page) = text(&app, "/c/ms").await;
    assert!(
        page.contains("/c/ms/feed.atom"),
        "no feed link on the community page"
    );
}

/// The JSON-LD blocks of a page.
fn json_ld(html: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script type=\"application/ld+json\"") {
        let after = &rest[i..];
        let start = after.find('>').expect("tag end") + 1;
        let end = after.find("</script>").expect("script end");
        let v: Value = serde_json::from_str(&after[start..end])
            .unwrap_or_else(|e| panic!("JSON-LD does not parse ({e}): {}", &after[start..end]));
        match v {
            Value::Array(list) => out.extend(list),
            v => out.push(v),
        }
        rest = &after[end..];
    }
    out
}

/// The properties schema.org and the search engines' rich results require of each type used.
fn check_schema(v: &Value) {
    let t = v["@type"]
        .as_str()
        .unwrap_or_else(|| panic!("no @type in {v}"));
    let require = |keys: &[&str]| {
        for k in keys {
            assert!(!v[*k].is_null() && v[*k] != "", "{t} needs {k}: {v}");
        }
    };
    let iso = |s: &Value| {
        let s = s.as_str().unwrap_or_default();
        assert!(
            s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-',
            "not an ISO 8601 date: {s}"
        );
    };
    match t {
        "QAPage" => {
            require(&["mainEntity"]);
            assert_eq!(v["mainEntity"]["@type"], "Question");
            check_schema(&v["mainEntity"]);
        }
        "Question" => {
            require(&[
                "name",
                "answerCount",
                "dateCreated",
                "author",
                "acceptedAnswer",
            ]);
            assert!(v["answerCount"].as_i64().unwrap_or(0) >= 1);
            iso(&v["dateCreated"]);
            check_schema(&v["acceptedAnswer"]);
            for a in v["suggestedAnswer"].as_array().into_iter().flatten() {
                check_schema(a);
            }
        }
        "Answer" => {
            require(&["text", "dateCreated", "author", "url"]);
            iso(&v["dateCreated"]);
            assert_eq!(v["author"]["@type"], "Person");
        }
        "BreadcrumbList" => {
            let items = v["itemListElement"].as_array().expect("items");
            assert!(items.len() >= 2);
            for (i, item) in items.iter().enumerate() {
                assert_eq!(item["@type"], "ListItem");
                assert_eq!(item["position"].as_u64(), Some(i as u64 + 1));
                assert!(item["name"].as_str().is_some_and(|n| !n.is_empty()));
                assert!(item["item"].as_str().is_some_and(|u| u.starts_with("http")));
            }
        }
        "MedicalWebPage" => {
            require(&["name", "url", "lastReviewed", "reviewedBy"]);
            iso(&v["lastReviewed"]);
            assert_eq!(v["reviewedBy"]["@type"], "Person");
        }
        "MedicalClinic" | "Physician" => {
            require(&["name", "url", "address"]);
            assert_eq!(v["address"]["@type"], "PostalAddress");
        }
        other => panic!("unexpected type {other}"),
    }
    if let Some(ctx) = v.get("@context") {
        assert_eq!(ctx, "https://schema.org");
    }
}

/// The `href` of the `<link rel="…">` in a page (attributes in any order).
fn link_href(html: &str, rel: &str) -> Option<String> {
    html.split("<link ").skip(1).find_map(|tag| {
        let tag = &tag[..tag.find('>')?];
        if !tag.contains(&format!("rel=\"{rel}\"")) {
            return None;
        }
        let h = tag.find("href=\"")? + 6;
        Some(tag[h..h + tag[h..].find('"')?].to_string())
    })
}

fn meta(html: &str, attr: &str, name: &str) -> Option<String> {
    let needle = format!("{attr}=\"{name}\"");
    let i = html.find(&needle)?;
    let tag_start = html[..i].rfind('<')?;
    let tag_end = i + html[i..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let c = tag.find("content=\"")? + 9;
    let end = tag[c..].find('"')?;
    Some(tag[c..c + end].to_string())
}

async fn public_pages_describe_themselves_to_search_engines(app: TestApp) {
    let admin = app.admin_with_community().await;
    let base = public_base(&app).await;
    let ann = member(&app, "seo_asker").await;
    let bob = member(&app, "seo_answerer").await;
    let title = "Does cooling help \"heat\" fatigue?";
    let q = post(
        &app,
        &ann,
        "question",
        title,
        "On hot days I am exhausted by noon. What helps you keep going?",
        "public",
        None,
    )
    .await;
    let answer = app
        .call_as(
            &bob,
            "reply/create",
            &[
                ("post_id", &q.to_string()),
                ("body", "A cooling vest and a cold drink help me."),
            ],
        )
        .await
        .ok()
        .as_i64()
        .expect("answer");
    app.call_as(
        &ann,
        "post/accept",
        &[
            ("post_id", &q.to_string()),
            ("reply_id", &answer.to_string()),
        ],
    )
    .await
    .ok();

    let (status, _, html) = text(&app, &format!("/p/{q}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        meta(&html, "name", "description").as_deref(),
        Some("On hot days I am exhausted by noon.")
    );
    assert_eq!(link_href(&html, "canonical"), Some(format!("{base}/p/{q}")));
    assert_eq!(
        meta(&html, "property", "og:url"),
        Some(format!("{}/p/{q}", base))
    );
    assert_eq!(
        meta(&html, "property", "og:type").as_deref(),
        Some("article")
    );
    let og_title = meta(&html, "property", "og:title").expect("og:title");
    assert!(
        og_title.contains("&quot;heat&quot;") || og_title.contains("&#34;heat&#34;"),
        "{og_title}"
    );
    assert_eq!(
        meta(&html, "name", "twitter:card").as_deref(),
        Some("summary")
    );
    let ld = json_ld(&html);
    let types: Vec<&str> = ld.iter().filter_map(|v| v["@type"].as_str()).collect();
    assert_eq!(types, ["BreadcrumbList", "QAPage"], "{ld:?}");
    for v in &ld {
        check_schema(v);
    }
    let question = &ld[1]["mainEntity"];
    assert_eq!(question["name"], title);
    assert_eq!(
        question["acceptedAnswer"]["text"],
        "A cooling vest and a cold drink help me."
    );
    assert_eq!(
        question["acceptedAnswer"]["author"]["name"],
        "@seo_answerer"
    );
    assert_eq!(
        question["acceptedAnswer"]["url"],
        format!("{}/p/{q}#r{answer}", base)
    );

    // A discussion: a description and breadcrumbs, no QAPage.
    let d = post(
        &app,
        &ann,
        "discussion",
        "Summer plans",
        "Where do you go when it is hot? I stay in.",
        "public",
        None,
    )
    .await;
    let (_, _, html) = text(&app, &format!("/p/{d}")).await;
    let types: Vec<String> = json_ld(&html)
        .iter()
        .filter_map(|v| v["@type"].as_str().map(str::to_string))
        .collect();
    assert_eq!(types, ["BreadcrumbList"]);

    // A members-only post says nothing of itself, not even to a member who may read it.
    let secret = post(
        &app,
        &ann,
        "question",
        "Private worry",
        "Zebrafinch words for members.",
        "members",
        None,
    )
    .await;
    for c in [&new_client(), &bob] {
        let res = c
            .get(format!("{}/p/{secret}", app.base))
            .send()
            .await
            .expect("page");
        let html = res.text().await.expect("html");
        assert!(meta(&html, "property", "og:title").is_none());
        assert!(json_ld(&html).is_empty());
        assert!(link_href(&html, "canonical").is_none());
    }

    // A clinic: MedicalClinic with its address.
    app.call_as(
        &admin,
        "directory/create_clinic",
        &[
            ("name", "Lakeside MS Clinic"),
            ("slug", "lakeside"),
            ("city", "Berlin"),
            ("lat", "52.52"),
            ("lon", "13.40"),
            ("owner", "root_admin"),
        ],
    )
    .await
    .ok();
    let (_, _, html) = text(&app, "/directory/lakeside").await;
    let ld = json_ld(&html);
    for v in &ld {
        check_schema(v);
    }
    assert_eq!(ld[0]["@type"], "MedicalClinic");
    assert_eq!(ld[0]["address"]["addressLocality"], "Berlin");
    assert_eq!(ld[0]["geo"]["latitude"].as_f64(), Some(52.52));
    assert!(meta(&html, "name", "description").is_some_and(|d| d.contains("Berlin")));

    // The home page and the community describe the site.
    let (_, _, home) = text(&app, "/").await;
    assert!(meta(&home, "name", "description").is_some_and(|d| d.contains("community")));
    assert_eq!(
        home.matches("name=\"description\"").count(),
        1,
        "one description per page"
    );
}
