//! Addresses and passwords on both backends: the verification link, sign-up with a taken address that reveals nothing, no mail but the link to an unproved address, the address change, and the single-use, expiring password-reset link.

use crate::common::{new_client, TestApp};
use app::mail::repo::run_digests;
use reqwest::{Client, StatusCode};
use sqlx::Row;

both_backends!(
    the_link_proves_the_address,
    a_taken_address_at_signup_reveals_nothing,
    unproved_addresses_get_no_digest,
    a_new_address_waits_for_its_link,
    reset_links_are_single_use_and_expire,
    reset_answers_alike_and_is_limited_per_address,
);

const PW: &str = "correct-horse-1";

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query(sql)
        .bind(bind)
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
        .get::<i64, _>("n")
}

/// The account mails to `to`: (member, subject).
async fn account_mails(app: &TestApp, to: &str) -> Vec<(Option<i64>, String)> {
    sqlx::query(
        "SELECT user_id, subject FROM outbox WHERE to_addr = $1 AND kind = 'account' ORDER BY id",
    )
    .bind(to)
    .fetch_all(&app.db.pool)
    .await
    .expect("outbox")
    .iter()
    .map(|r| (r.get("user_id"), r.get("subject")))
    .collect()
}

async fn id_of(app: &TestApp, handle: &str) -> i64 {
    sqlx::query("SELECT id FROM users WHERE handle = $1")
        .bind(handle)
        .fetch_one(&app.db.pool)
        .await
        .expect("user")
        .get("id")
}

async fn verified(app: &TestApp, c: &Client) -> bool {
    app.call_as(c, "current_user", &[]).await.ok()["email_verified"] == true
}

async fn settings(app: &TestApp, c: &Client) -> serde_json::Value {
    app.call_as(c, "my_settings", &[]).await.ok()
}

async fn signup(app: &TestApp, c: &Client, handle: &str, email: &str) -> crate::common::Reply {
    app.call_as(
        c,
        "signup",
        &[
            ("handle", handle),
            ("email", email),
            ("password", PW),
            ("kind", "patient"),
            ("consent", "yes"),
            ("digest", "yes"),
        ],
    )
    .await
}

async fn the_link_proves_the_address(app: TestApp) {
    let c = new_client();
    signup(&app, &c, "vera_v", "Vera_V@Example.org").await.ok();
    // Logged in at once (a newly diagnosed visitor can ask straight away), not yet proved.
    assert_eq!(app.whoami(&c).await.as_deref(), Some("vera_v"));
    assert!(!verified(&app, &c).await);
    let s = settings(&app, &c).await;
    assert_eq!(s["email"], "vera_v@example.org");
    assert_eq!(s["email_verified"], false);
    // The address logs in before it is proved, too.
    let phone = new_client();
    app.login(&phone, "vera_v@example.org", PW).await.ok();
    assert_eq!(app.whoami(&phone).await.as_deref(), Some("vera_v"));

    let mails = account_mails(&app, "vera_v@example.org").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].1, "Please confirm your e-mail address");
    let token = app
        .mail_link("vera_v@example.org", "/verify/")
        .await
        .expect("link");
    // The link's page needs no login and masks the address.
    let stranger = new_client();
    let view = app
        .call_as(
            &stranger,
            "email_link",
            &[("token", &token), ("purpose", "verify")],
        )
        .await
        .ok();
    assert_eq!(view["handle"], "vera_v");
    assert_eq!(view["address"], "v…@example.org");
    assert_eq!(view["done"], false);
    // A wrong secret is not found, and a verify link is no reset link.
    let r = app
        .call_as(
            &stranger,
            "email_link",
            &[("token", "nope"), ("purpose", "verify")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .call_as(
            &stranger,
            "email_link",
            &[("token", &token), ("purpose", "reset")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    app.call_as(&stranger, "verify_email", &[("token", &token)])
        .await
        .ok();
    assert!(verified(&app, &c).await);
    assert_eq!(settings(&app, &c).await["email_verified"], true);
    let view = app
        .call_as(
            &stranger,
            "email_link",
            &[("token", &token), ("purpose", "verify")],
        )
        .await
        .ok();
    assert_eq!(view["done"], true);
    // Used once: a second use is refused.
    let r = app
        .call_as(&stranger, "verify_email", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Nothing else was sent while it waited.
    assert_eq!(account_mails(&app, "vera_v@example.org").await.len(), 1);
}

async fn a_taken_address_at_signup_reveals_nothing(app: TestApp) {
    let ben = new_client();
    signup(&app, &ben, "ben_t", "ben_t@example.org").await.ok();
    app.verify_email("ben_t").await;
    assert!(verified(&app, &ben).await);

    // Someone signs up with Ben's address, someone else with a fresh one: the two answers are
    // the same, and both are logged in to a new account whose address waits for its link.
    let eve = new_client();
    let taken = signup(&app, &eve, "eve_x", "BEN_T@example.org").await;
    let ann = new_client();
    let fresh = signup(&app, &ann, "ann_y", "ann_y@example.org").await;
    assert_eq!(taken.status, fresh.status);
    assert_eq!(taken.body, fresh.body);
    assert_eq!(
        taken
            .cookies()
            .iter()
            .map(|c| c.split('=').next().unwrap_or("").to_string())
            .collect::<Vec<_>>(),
        fresh
            .cookies()
            .iter()
            .map(|c| c.split('=').next().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(app.whoami(&eve).await.as_deref(), Some("eve_x"));
    assert_eq!(app.whoami(&ann).await.as_deref(), Some("ann_y"));
    for (c, address) in [(&eve, "ben_t@example.org"), (&ann, "ann_y@example.org")] {
        let s = settings(&app, c).await;
        assert_eq!(s["email"], address);
        assert_eq!(s["email_verified"], false);
        assert!(!verified(&app, c).await);
    }
    // Ben got a notice (no link for Eve); Ann got her link.
    let mails = account_mails(&app, "ben_t@example.org").await;
    let ben_id = id_of(&app, "ben_t").await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert_eq!(
        mails[1],
        (
            Some(ben_id),
            "Someone tried to sign up with your address".to_string()
        )
    );
    let eve_id = id_of(&app, "eve_x").await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM email_tokens WHERE user_id = CAST($1 AS BIGINT)",
            &eve_id.to_string()
        )
        .await,
        0
    );
    assert_eq!(account_mails(&app, "ann_y@example.org").await.len(), 1);
    // "Send the link again" answers Eve like anyone (Ben gets another notice, not a link).
    app.call_as(&eve, "resend_verification", &[]).await.ok();
    assert_eq!(account_mails(&app, "ben_t@example.org").await.len(), 3);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM email_tokens WHERE user_id = CAST($1 AS BIGINT)",
            &eve_id.to_string()
        )
        .await,
        0
    );
    // Logging in with the address and Eve's password is Eve; with Ben's, Ben. Neither tells.
    let c = new_client();
    app.login(&c, "ben_t@example.org", PW).await.ok();
    let who = app.whoami(&c).await;
    assert!(
        who.as_deref() == Some("ben_t"),
        "the holder comes first: {who:?}"
    );
    // Ben's address stays Ben's.
    assert_eq!(settings(&app, &ben).await["email"], "ben_t@example.org");
}

async fn unproved_addresses_get_no_digest(app: TestApp) {
    let _admin = app.admin_with_community().await;
    let c = new_client();
    signup(&app, &c, "dora_d", "dora_d@example.org").await.ok();
    app.call_as(&c, "community/join", &[("slug", "ms")])
        .await
        .ok();
    let now = app::db::now_ms();
    let run = run_digests(&app.db, &app.base, now).await.expect("digests");
    assert_eq!(run.claimed, 0, "an unproved address is not even considered");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM outbox WHERE to_addr = $1 AND kind <> 'account'",
            "dora_d@example.org"
        )
        .await,
        0
    );
    app.verify_email("dora_d").await;
    let run = run_digests(&app.db, &app.base, now).await.expect("digests");
    assert_eq!(run.claimed, 1, "once proved, her digest day is claimed");
}

async fn a_new_address_waits_for_its_link(app: TestApp) {
    let c = new_client();
    signup(&app, &c, "finn_f", "finn_f@example.org").await.ok();
    app.verify_email("finn_f").await;
    let r = app
        .call_as(
            &c,
            "change_email",
            &[
                ("new_email", "finn@new.example"),
                ("password", "wrong-password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error().field_message("password").is_some());
    let r = app
        .call_as(
            &c,
            "change_email",
            &[("new_email", "not an address"), ("password", PW)],
        )
        .await;
    assert!(r.error().field_message("new_email").is_some());
    // The address it holds already: said so, and no link is sent.
    let r = app
        .call_as(
            &c,
            "change_email",
            &[("new_email", "finn_f@example.org"), ("password", PW)],
        )
        .await;
    assert!(r
        .error()
        .field_message("new_email")
        .is_some_and(|m| m.contains("already")));
    assert_eq!(account_mails(&app, "finn_f@example.org").await.len(), 1);
    app.call_as(
        &c,
        "change_email",
        &[("new_email", "Finn@New.example"), ("password", PW)],
    )
    .await
    .ok();
    // The proved address stays in use until the new one is proved.
    let s = settings(&app, &c).await;
    assert_eq!(s["email"], "finn_f@example.org");
    assert_eq!(s["email_verified"], true);
    assert_eq!(s["email_pending"], "finn@new.example");
    let token = app
        .mail_link("finn@new.example", "/verify/")
        .await
        .expect("link");
    app.call_as(&new_client(), "verify_email", &[("token", &token)])
        .await
        .ok();
    let s = settings(&app, &c).await;
    assert_eq!(s["email"], "finn@new.example");
    assert_eq!(s["email_pending"], serde_json::Value::Null);
    // The old address is free again: a new account can prove it.
    let g = new_client();
    signup(&app, &g, "gus_g", "finn_f@example.org").await.ok();
    let token = app
        .mail_link("finn_f@example.org", "/verify/")
        .await
        .expect("link");
    app.call_as(&new_client(), "verify_email", &[("token", &token)])
        .await
        .ok();
    assert_eq!(settings(&app, &g).await["email"], "finn_f@example.org");
    assert!(verified(&app, &g).await);
}

async fn reset_links_are_single_use_and_expire(app: TestApp) {
    let c = new_client();
    signup(&app, &c, "hana_h", "hana_h@example.org").await.ok();
    app.verify_email("hana_h").await;
    let r = app
        .call_as(
            &new_client(),
            "forgot_password",
            &[("email", "Hana_H@example.org")],
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let token = app
        .mail_link("hana_h@example.org", "/reset/")
        .await
        .expect("reset link");
    let view = app
        .call_as(
            &new_client(),
            "email_link",
            &[("token", &token), ("purpose", "reset")],
        )
        .await
        .ok();
    assert_eq!(view["handle"], "hana_h");
    // Too short a password: a field error, and the link still works.
    let browser = new_client();
    let r = app
        .call_as(
            &browser,
            "reset_password",
            &[("token", &token), ("new_password", "short")],
        )
        .await;
    assert!(r.error().field_message("new_password").is_some());
    app.call_as(
        &browser,
        "reset_password",
        &[("token", &token), ("new_password", "a-new-password-2")],
    )
    .await
    .ok();
    // This browser is logged in; every other session ended; the old password is gone.
    assert_eq!(app.whoami(&browser).await.as_deref(), Some("hana_h"));
    assert_eq!(app.whoami(&c).await, None);
    let r = app.login(&new_client(), "hana_h", PW).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.login(&new_client(), "hana_h", "a-new-password-2")
        .await
        .ok();
    let mails = account_mails(&app, "hana_h@example.org").await;
    assert_eq!(
        mails.last().map(|m| m.1.as_str()),
        Some("Your password was changed")
    );
    // Once only.
    let r = app
        .call_as(
            &new_client(),
            "reset_password",
            &[("token", &token), ("new_password", "a-third-password-3")],
        )
        .await;
    assert!(r
        .error()
        .field_message("new_password")
        .is_some_and(|m| m.contains("expired or was used")));
    let r = app
        .call_as(
            &new_client(),
            "email_link",
            &[("token", &token), ("purpose", "reset")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // An hour at most.
    app.call_as(
        &new_client(),
        "forgot_password",
        &[("email", "hana_h@example.org")],
    )
    .await
    .ok();
    let late = app
        .mail_link("hana_h@example.org", "/reset/")
        .await
        .expect("reset link");
    assert_ne!(late, token);
    sqlx::query(
        "UPDATE email_tokens SET expires_at = $1 WHERE purpose = 'reset' AND used_at IS NULL",
    )
    .bind(app::db::now_ms() - 1)
    .execute(&app.db.pool)
    .await
    .expect("age the link");
    let r = app
        .call_as(
            &new_client(),
            "reset_password",
            &[("token", &late), ("new_password", "a-third-password-3")],
        )
        .await;
    assert!(r.error().field_message("new_password").is_some());
    app.login(&new_client(), "hana_h", "a-new-password-2")
        .await
        .ok();
    // A reset proves the address of an account that was still waiting for its link.
    let w = new_client();
    signup(&app, &w, "ida_i", "ida_i@example.org").await.ok();
    assert!(!verified(&app, &w).await);
    app.call_as(
        &new_client(),
        "forgot_password",
        &[("email", "ida_i@example.org")],
    )
    .await
    .ok();
    let t = app
        .mail_link("ida_i@example.org", "/reset/")
        .await
        .expect("reset link");
    let b = new_client();
    app.call_as(
        &b,
        "reset_password",
        &[("token", &t), ("new_password", "ida-new-password")],
    )
    .await
    .ok();
    assert!(verified(&app, &b).await);
}

async fn reset_answers_alike_and_is_limited_per_address(app: TestApp) {
    let c = new_client();
    signup(&app, &c, "jon_j", "jon_j@example.org").await.ok();
    app.verify_email("jon_j").await;
    let known = app
        .call_as(
            &new_client(),
            "forgot_password",
            &[("email", "jon_j@example.org")],
        )
        .await;
    let unknown = app
        .call_as(
            &new_client(),
            "forgot_password",
            &[("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.body, unknown.body);
    assert!(account_mails(&app, "nobody@example.org").await.is_empty());
    let before = account_mails(&app, "jon_j@example.org").await.len();
    assert_eq!(before, 2, "the link and one reset");
    for _ in 0..6 {
        let r = app
            .call_as(
                &new_client(),
                "forgot_password",
                &[("email", "jon_j@example.org")],
            )
            .await;
        assert_eq!(r.status, known.status);
        assert_eq!(r.body, known.body);
    }
    // Five account mails an hour to one address, whatever is asked.
    assert_eq!(
        account_mails(&app, "jon_j@example.org").await.len() as i64,
        app::auth::email::PER_ADDRESS_PER_HOUR
    );
}
