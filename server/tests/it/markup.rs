//! The server's HTML keeps to what the browser's parser keeps: no block element (a form, list, div, heading…) inside a `<p>`, which the parser closes early so that hydration meets another tree than the server rendered; checked on the demo site's pages for a visitor, a member and an admin, on both backends.

use crate::common::{new_client, test_args, TestApp};
use reqwest::Client;

both_backends!(no_block_element_inside_a_paragraph);

/// Elements a `<p>` cannot hold: the HTML parser ends the paragraph at their start tag.
const CLOSES_A_P: [&str; 24] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "section",
    "ul",
];

/// Each `<p>` of the page that holds an element the parser would close it at, with a little
/// of what surrounds it.
fn paragraphs_closed_early(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<p").map(|i| at + i) {
        let after = lower.as_bytes().get(start + 2).copied();
        at = start + 2;
        if !matches!(after, Some(b'>') | Some(b' ')) {
            continue; // <path>, <pre>, <progress>, …
        }
        let end = lower[at..].find("</p>").map_or(lower.len(), |i| at + i);
        let inside = &lower[at..end];
        for tag in CLOSES_A_P {
            if inside.contains(&format!("<{tag}>")) || inside.contains(&format!("<{tag} ")) {
                let context: String = html[start..end.min(start + 300)].chars().collect();
                found.push(format!("<{tag}> in {context}"));
            }
        }
    }
    found
}

async fn check(app: &TestApp, client: &Client, who: &str, paths: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for path in paths {
        let res = client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("request");
        let status = res.status();
        let html = res.text().await.expect("body");
        assert!(status.is_success(), "{who} {path}: {status}");
        let body = html.split_once("<body").map_or(html.as_str(), |(_, b)| b);
        for p in paragraphs_closed_early(body) {
            problems.push(format!("{who} {path}: {p}"));
        }
    }
    problems
}

async fn no_block_element_inside_a_paragraph(app: TestApp) {
    // The check finds what it looks for (and not a `<pre>` or an inline element).
    assert_eq!(
        paragraphs_closed_early("<p class=x><form action=/a></form></p><p><a href=/>x</a></p>")
            .len(),
        1
    );
    assert!(paragraphs_closed_early("<pre><div></div></pre><p><span>a</span></p>").is_empty());

    let state = healthcommunity::app_state(app.db.clone(), &test_args()).expect("state");
    healthcommunity::seed::demo(&state).await.expect("demo");
    let scout = new_client();
    let feed = scout
        .get(format!("{}/c/multiple-sclerosis", app.base))
        .send()
        .await
        .expect("feed")
        .text()
        .await
        .expect("feed body");
    let thread = feed
        .split("href=\"/p/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|id| format!("/p/{id}"))
        .expect("a thread on the community page");
    let mut pages: Vec<String> = [
        "/",
        "/c",
        "/c/multiple-sclerosis",
        "/library",
        "/library/living-with-ms-fatigue",
        "/directory",
        "/directory/pennine-neurology",
        "/search?q=fatigue",
        "/about",
        "/about/sponsored",
        "/privacy",
        "/login",
        "/signup",
        "/u/maria_ms",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    pages.push(thread);
    // A support group the community page lists.
    if let Some(slug) = feed
        .split("href=\"/g/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
    {
        pages.push(format!("/g/{slug}"));
    }
    let mut problems = check(&app, &new_client(), "visitor", &pages).await;

    let member = new_client();
    app.login(&member, "maria_ms", "demo-password-2026")
        .await
        .ok();
    let mut member_pages = pages.clone();
    member_pages.extend(
        [
            "/settings",
            "/notifications",
            "/messages",
            "/saved",
            "/following",
            "/welcome",
            "/invite",
            "/requests",
            "/c/multiple-sclerosis/new",
        ]
        .iter()
        .map(|p| p.to_string()),
    );
    problems.extend(check(&app, &member, "member", &member_pages).await);

    let admin = new_client();
    app.login(&admin, "demo_admin", "demo-password-2026")
        .await
        .ok();
    let admin_pages: Vec<String> = [
        "/admin",
        "/admin/operator",
        "/admin/analytics",
        "/admin/synonyms",
        "/mod",
        "/mod/words",
        "/library/desk",
        "/directory/reports",
        "/messages/reports",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    problems.extend(check(&app, &admin, "admin", &admin_pages).await);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
