//! The welcome on both backends: sign-up leads to it, the conditions chosen there are joined (for oneself or someone cared for) and offer their groups and first articles; signing up from a members-only teaser returns to the post, in its community; "Join" on a community's page, as a visitor, signs up into it.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::header;

both_backends!(
    new_members_choose_conditions_and_see_where_to_start,
    signing_up_from_a_teaser_returns_to_the_post_in_its_community,
    joining_a_community_before_having_an_account_makes_one_in_it,
);

const PW: &str = "correct-horse-1";

fn location(r: &crate::common::Reply) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn new_members_choose_conditions_and_see_where_to_start(app: TestApp) {
    let admin = app.admin_with_community().await;
    // A second community and a support group in the first.
    app.call_as(
        &admin,
        "admin/save_community",
        &[
            ("current_slug", ""),
            ("slug", "t2d"),
            ("name", "Type 2 Diabetes"),
            ("description", "Living with type 2 diabetes."),
            ("rules", ""),
            ("colour", "teal"),
        ],
    )
    .await
    .ok();
    app.call_as(
        &admin,
        "group/create",
        &[
            ("community", "ms"),
            ("name", "Newly diagnosed"),
            ("description", "For the first year."),
            ("kind", "open"),
            ("question", ""),
        ],
    )
    .await
    .ok();
    let article = crate::library::published_article(&app, "").await;

    let ann = new_client();
    let r = app.signup_as(&ann, "welcome_ann", PW).await;
    assert_eq!(
        location(&r),
        "/welcome",
        "sign-up does not lead to the welcome"
    );
    let w = app.call_as(&ann, "welcome", &[]).await.ok();
    let slugs: Vec<&str> = w["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .filter_map(|c| c["slug"].as_str())
        .collect();
    assert_eq!(slugs, ["ms", "t2d"]);
    assert_eq!(w["start"], serde_json::json!([]));
    // Nothing ticked: a field error, nothing joined.
    assert!(matches!(
        app.call_as(&ann, "welcome/conditions", &[]).await.error(),
        AppError::Validation(_)
    ));
    // MS for herself, T2D for her father; an unknown address is skipped.
    app.call_as(
        &ann,
        "welcome/conditions",
        &[
            ("communities[]", "ms"),
            ("communities[]", "t2d"),
            ("communities[]", "no-such"),
            ("caring[]", "t2d"),
        ],
    )
    .await
    .ok();
    let w = app.call_as(&ann, "welcome", &[]).await.ok();
    let start = w["start"].as_array().expect("start");
    assert_eq!(start.len(), 2);
    assert_eq!(
        (start[0]["slug"].as_str(), start[0]["caring"].as_bool()),
        (Some("ms"), Some(false))
    );
    assert_eq!(
        (start[1]["slug"].as_str(), start[1]["caring"].as_bool()),
        (Some("t2d"), Some(true))
    );
    assert_eq!(start[0]["groups"][0]["name"], "Newly diagnosed");
    assert_eq!(start[0]["articles"][0]["slug"], article.as_str());
    // Joined for real: the home feed's communities and the member counts.
    let c = app.call("community", &[("slug", "t2d")]).await.ok();
    assert_eq!(c["summary"]["member_count"], 1);
    let mine = app.call_as(&ann, "community", &[("slug", "ms")]).await.ok();
    assert_eq!(mine["is_member"], true);
    // The page, without JavaScript, shows step 2 after the form.
    let html = ann
        .get(format!("{}/welcome?step=2", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Here is where to start") && html.contains("for someone you care for"));
    // Visitors have no welcome.
    assert_eq!(
        app.call_as(&new_client(), "welcome", &[]).await.error(),
        AppError::Unauthenticated
    );
}

async fn signing_up_from_a_teaser_returns_to_the_post_in_its_community(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let writer = new_client();
    app.signup_as(&writer, "teaser_writer", PW).await.ok();
    app.call_as(&writer, "community/join", &[("slug", "ms")])
        .await
        .ok();
    let post = app
        .call_as(
            &writer,
            "post/create",
            &[
                ("community", "ms"),
                ("kind", "question"),
                ("title", "Members-only question"),
                ("body", "For members."),
                ("tags", ""),
                ("visibility", "members"),
            ],
        )
        .await
        .ok()
        .as_i64()
        .expect("post");
    let next = format!("/p/{post}");
    let reader = new_client();
    let r = app
        .signup_with(&reader, "teaser_reader", PW, &[("next", next.as_str())])
        .await;
    assert_eq!(location(&r), next);
    let page = app
        .call_as(&reader, "post", &[("id", &post.to_string())])
        .await
        .ok();
    assert_eq!(
        page["locked"], false,
        "the new member cannot read the post they signed up for"
    );
    // Another site is never a destination; the welcome is.
    let r = app
        .signup_with(
            &new_client(),
            "teaser_other",
            PW,
            &[("next", "//evil.example/p/1")],
        )
        .await;
    assert_eq!(location(&r), "/welcome");
}

async fn joining_a_community_before_having_an_account_makes_one_in_it(app: TestApp) {
    let _admin = app.admin_with_community().await;
    // A visitor's "Join" on the community's page leads to the sign-up with the community,
    // and the sign-up says which one.
    let page = app.html_as(&new_client(), "/c/ms").await;
    assert!(
        page.contains(r#"href="/signup?c=ms""#),
        "a visitor's join button does not lead to the sign-up with the community"
    );
    let form = app.html_as(&new_client(), "/signup?c=ms").await;
    assert!(form.contains(r#"name="community" value="ms""#));
    assert!(form.contains("will be a member of <strong>Multiple Sclerosis</strong>"));
    // The new account is a member, and the welcome shows the community chosen.
    let before = app.call("community", &[("slug", "ms")]).await.ok()["summary"]["member_count"]
        .as_i64()
        .unwrap_or_default();
    let newcomer = new_client();
    let r = app
        .signup_with(&newcomer, "joined_first", PW, &[("community", "ms")])
        .await;
    assert_eq!(location(&r), "/welcome");
    let c = app
        .call_as(&newcomer, "community", &[("slug", "ms")])
        .await
        .ok();
    assert_eq!(c["is_member"], true);
    assert_eq!(c["summary"]["member_count"], before + 1);
    let w = app.call_as(&newcomer, "welcome", &[]).await.ok();
    assert_eq!(w["conditions"][0]["joined"], true);
    // A community gone since the link was followed costs nothing: the account is made.
    let late = new_client();
    let r = app
        .signup_with(&late, "joined_late", PW, &[("community", "no-such")])
        .await;
    assert_eq!(location(&r), "/welcome");
    assert_eq!(
        app.call_as(&late, "welcome", &[]).await.ok()["conditions"][0]["joined"],
        false
    );
}
