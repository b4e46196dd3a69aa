//! Invitations on both backends: sign-up through a member's link records the inviter, counts for them, and joins the inviter's community when the link names it.

use crate::common::{new_client, TestApp};
use reqwest::Client;

both_backends!(signing_up_through_a_link_is_attributed,);

const PW: &str = "correct-horse-1";

async fn signup_via(app: &TestApp, handle: &str, invite: &str, community: &str) -> Client {
    let c = new_client();
    app.signup_with(
        &c,
        handle,
        PW,
        &[("invite", invite), ("community", community)],
    )
    .await
    .ok();
    c
}

async fn is_member(app: &TestApp, c: &Client) -> Option<bool> {
    app.call_as(c, "community", &[("slug", "ms")]).await.ok()["is_member"].as_bool()
}

async fn signing_up_through_a_link_is_attributed(app: TestApp) {
    app.admin_with_community().await;
    let alice = new_client();
    app.signup_as(&alice, "alice_a", PW).await.ok();
    app.call_as(&alice, "community/join", &[("slug", "ms")])
        .await
        .ok();
    let mine = app.call_as(&alice, "invites", &[]).await.ok();
    let code = mine["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 10);
    // The link to share is whole: the site's public address (here the test's bind address),
    // not a path.
    let link = mine["link"].as_str().unwrap_or_default();
    assert!(
        link.starts_with("http://127.0.0.1:") && link.ends_with(&format!("/join/{code}")),
        "{link}"
    );
    assert_eq!(mine["joined"], 0);
    assert_eq!(mine["communities"][0][0], "ms");
    // The code is stable.
    assert_eq!(
        app.call_as(&alice, "invites", &[]).await.ok()["code"],
        code.as_str()
    );

    // The landing page names the inviter and the community; an unknown code is not found.
    let (status, html) = app.get(&format!("/join/{code}?c=ms")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("@alice_a invited you") || html.contains("alice_a"),
        "inviter shown"
    );
    assert!(html.contains("Multiple Sclerosis"));
    assert!(html.contains(&format!("/signup?invite={code}&amp;c=ms")));
    assert_eq!(app.get("/join/zzzzzzzzzz").await.0, 404);

    // Carol signs up through the community link: attributed, counted, and a member.
    let carol = signup_via(&app, "carol_c", &code, "ms").await;
    assert_eq!(is_member(&app, &carol).await, Some(true));
    assert_eq!(app.call_as(&alice, "invites", &[]).await.ok()["joined"], 1);
    let inviter: Option<i64> =
        sqlx::query_scalar("SELECT invited_by FROM users WHERE handle = 'carol_c'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let alice_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE handle = 'alice_a'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(inviter, Some(alice_id));

    // The community a link names is joined whether or not the inviter is in it: a link must
    // not tell anyone which communities the inviter belongs to. The invite still counts.
    app.call_as(&alice, "community/leave", &[("slug", "ms")])
        .await
        .ok();
    let dave = signup_via(&app, "dave_d", &code, "ms").await;
    assert_eq!(is_member(&app, &dave).await, Some(true));
    assert_eq!(app.call_as(&alice, "invites", &[]).await.ok()["joined"], 2);

    // An unknown code makes the account all the same, and counts for nobody.
    let erin = signup_via(&app, "erin_e", "nosuchcode", "").await;
    assert_eq!(app.whoami(&erin).await.as_deref(), Some("erin_e"));
    assert_eq!(app.call_as(&alice, "invites", &[]).await.ok()["joined"], 2);
    assert_eq!(
        app.call_as(&new_client(), "invites", &[]).await.error(),
        app::error::AppError::Unauthenticated
    );
}
