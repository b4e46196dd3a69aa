//! Two-step sign-in on both backends: setting it up, the login's second step (a code works once, recovery codes, five tries), a reset link that does not skip it, turning it off, export and erasure, the staff policy, and an admin turning it off for a member who lost their phone.

use crate::common::{new_client, spawn_on, test_args, Reply, TestApp};
use app::auth::two_step::{code_at, secret_bytes, step_of};
use reqwest::Client;
use serde_json::Value;

both_backends!(
    two_step_sign_in_asks_for_the_code_after_the_password,
    a_reset_link_and_another_browser_do_not_skip_the_code,
    staff_roles_wait_for_two_step_sign_in_when_the_site_asks,
    an_admin_turns_it_off_for_a_member_who_lost_their_phone,
    the_keys_are_sealed_in_the_database_with_the_operators_key,
);

const PW: &str = "correct-horse-1";

async fn two_step(app: &TestApp, c: &Client) -> Value {
    app.call_as(c, "two_step", &[]).await.ok()
}

/// The code of the member's secret for `step` (six digits, as the app shows it).
fn code(secret: &str, step: i64) -> String {
    let bytes = secret_bytes(secret).expect("base32 secret");
    format!("{:06}", code_at(&bytes, step))
}

/// Signs `handle` up and turns two-step sign-in on; their secret and recovery codes.
async fn with_two_step(app: &TestApp, handle: &str) -> (Client, String, Vec<String>) {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    app.call_as(&c, "two_step/start", &[("two_step_password", PW)])
        .await
        .ok();
    let secret = two_step(app, &c).await["setup"]["secret"]
        .as_str()
        .expect("a secret while setting up")
        .to_string();
    let now = step_of(app::db::now_ms());
    app.call_as(&c, "two_step/confirm", &[("code", &code(&secret, now))])
        .await
        .ok();
    let t = two_step(app, &c).await;
    let codes = t["fresh_codes"]
        .as_array()
        .expect("fresh codes")
        .iter()
        .map(|c| c.as_str().unwrap_or_default().to_string())
        .collect();
    (c, secret, codes)
}

/// Logs in with the password in a fresh browser: the login waits for its code.
async fn password_step(app: &TestApp, handle: &str) -> Client {
    let b = new_client();
    let r = app.login(&b, handle, PW).await;
    r.ok();
    let cookies = r.cookies().join("\n");
    assert!(cookies.contains("hc_two_step="), "{cookies}");
    assert!(!cookies.contains("hc_session="), "{cookies}");
    assert_eq!(app.whoami(&b).await, None);
    b
}

async fn two_step_sign_in_asks_for_the_code_after_the_password(app: TestApp) {
    let c = new_client();
    app.signup_as(&c, "tina", PW).await.ok();
    let t = two_step(&app, &c).await;
    assert!(t["on_since"].is_null() && t["setup"].is_null(), "{t}");
    let html = app.html_as(&c, "/settings").await;
    assert!(html.contains("Set up two-step sign-in"), "{html}");
    // Nobody else reads it.
    let r = app.call_as(&new_client(), "two_step", &[]).await;
    assert_eq!(r.status, reqwest::StatusCode::UNAUTHORIZED);

    // The password first.
    let r = app
        .call_as(
            &c,
            "two_step/start",
            &[("two_step_password", "wrong-one-22")],
        )
        .await;
    assert!(r.error().field_message("two_step_password").is_some());
    app.call_as(&c, "two_step/start", &[("two_step_password", PW)])
        .await
        .ok();
    let t = two_step(&app, &c).await;
    let secret = t["setup"]["secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(secret.replace(' ', "").len(), 32, "{t}");
    assert!(t["setup"]["qr_svg"]
        .as_str()
        .unwrap_or_default()
        .starts_with("<svg"));
    assert!(t["setup"]["label"]
        .as_str()
        .unwrap_or_default()
        .ends_with(": @tina"));
    assert!(t["on_since"].is_null());
    let html = app.html_as(&c, "/settings").await;
    assert!(html.contains(&secret) && html.contains("Turn on"), "{html}");

    // A wrong first code leaves it off; the right one turns it on with ten recovery codes.
    let now = step_of(app::db::now_ms());
    let wrong = code(&secret, now + 5);
    let r = app
        .call_as(&c, "two_step/confirm", &[("code", &wrong)])
        .await;
    assert!(r.error().field_message("code").is_some());
    assert!(two_step(&app, &c).await["on_since"].is_null());
    app.call_as(&c, "two_step/confirm", &[("code", &code(&secret, now))])
        .await
        .ok();
    let t = two_step(&app, &c).await;
    assert!(t["on_since"].is_i64() && t["setup"].is_null(), "{t}");
    assert_eq!(t["codes_left"], 10);
    let codes: Vec<String> = t["fresh_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    let html = app.html_as(&c, "/settings").await;
    assert!(html.contains("Your recovery codes") && html.contains(&codes[3]));
    // Shown until the member says they saved them.
    app.call_as(&c, "two_step/saved", &[]).await.ok();
    assert_eq!(
        two_step(&app, &c).await["fresh_codes"],
        serde_json::json!([])
    );
    assert!(!app.html_as(&c, "/settings").await.contains(&codes[3]));

    // The password alone no longer logs in: the login waits for its code.
    let b = password_step(&app, "tina").await;
    let waiting = app.call_as(&b, "login/waiting", &[]).await.ok();
    assert_eq!(waiting, "tina");
    let html = app.html_as(&b, "/login/code").await;
    assert!(html.contains("Logging in as @tina"), "{html}");
    let r = app.call_as(&b, "login/code", &[("code", "")]).await;
    assert!(r.error().field_message("code").is_some());
    let r = app.call_as(&b, "login/code", &[("code", &wrong)]).await;
    assert!(r
        .error()
        .field_message("code")
        .unwrap()
        .contains("not right"));
    assert_eq!(app.whoami(&b).await, None);
    // The code that turned it on was used: it does not work again; the next one does.
    let r = app
        .call_as(&b, "login/code", &[("code", &code(&secret, now))])
        .await;
    assert!(r.error().field_message("code").is_some());
    let next = code(&secret, step_of(app::db::now_ms()) + 1);
    let r = app.call_as(&b, "login/code", &[("code", &next)]).await;
    r.ok();
    assert!(r.cookies().join("\n").contains("hc_session="));
    assert_eq!(app.whoami(&b).await.as_deref(), Some("tina"));
    assert_eq!(
        app.call_as(&b, "login/waiting", &[]).await.ok(),
        Value::Null
    );

    // Another login: that code is used up too; a recovery code works, once.
    let d = password_step(&app, "tina").await;
    let r = app.call_as(&d, "login/code", &[("code", &next)]).await;
    assert!(r.error().field_message("code").is_some());
    let typed = codes[0].to_uppercase().replace('-', " ");
    app.call_as(&d, "login/code", &[("code", &typed)])
        .await
        .ok();
    assert_eq!(app.whoami(&d).await.as_deref(), Some("tina"));
    assert_eq!(two_step(&app, &c).await["codes_left"], 9);
    let e = password_step(&app, "tina").await;
    let r = app.call_as(&e, "login/code", &[("code", &codes[0])]).await;
    assert!(r.error().field_message("code").is_some());

    // Five wrong codes and the password is asked again.
    for _ in 0..4 {
        let r = app.call_as(&e, "login/code", &[("code", "000000")]).await;
        assert!(r.error().field_message("code").is_some());
    }
    let r = app.call_as(&e, "login/code", &[("code", &codes[1])]).await;
    assert!(r
        .error()
        .field_message("code")
        .unwrap()
        .contains("Log in again"));
    assert_eq!(app.whoami(&e).await, None);
    assert!(app.html_as(&e, "/login/code").await.contains("timed out"));

    // New codes replace the old ones (the password first).
    let r = app
        .call_as(&c, "two_step/codes", &[("codes_password", "wrong-one-22")])
        .await;
    assert!(r.error().field_message("codes_password").is_some());
    app.call_as(&c, "two_step/codes", &[("codes_password", PW)])
        .await
        .ok();
    let t = two_step(&app, &c).await;
    assert_eq!(t["codes_left"], 10);
    assert!(!t["fresh_codes"]
        .as_array()
        .unwrap()
        .contains(&Value::from(codes[2].clone())));
    let f = password_step(&app, "tina").await;
    let r = app.call_as(&f, "login/code", &[("code", &codes[2])]).await;
    assert!(r.error().field_message("code").is_some());

    // The operator sees which staff accounts have it on.
    app.make_admin("tina").await;
    app.signup_as(&new_client(), "vic", PW).await.ok();
    app.make_admin("vic").await;
    let staff = app.call_as(&c, "admin/staff", &[]).await.ok()["members"].clone();
    let on = |h: &str| {
        staff
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["handle"] == h)
            .map(|m| m["two_step"].clone())
    };
    assert_eq!(on("tina"), Some(Value::Bool(true)), "{staff}");
    assert_eq!(on("vic"), Some(Value::Bool(false)), "{staff}");
    let html = app.html_as(&c, "/admin").await;
    assert!(
        html.contains(">Two-step sign-in</th>") && html.contains("<td>Off</td>"),
        "{html}"
    );

    // Turned off (the password again): the password alone logs in.
    let r = app
        .call_as(&c, "two_step/off", &[("off_password", "wrong-one-22")])
        .await;
    assert!(r.error().field_message("off_password").is_some());
    app.call_as(&c, "two_step/off", &[("off_password", PW)])
        .await
        .ok();
    assert!(two_step(&app, &c).await["on_since"].is_null());
    let g = new_client();
    app.login(&g, "tina", PW).await.ok();
    assert_eq!(app.whoami(&g).await.as_deref(), Some("tina"));
    // The login that waited is gone with it.
    assert_eq!(
        app.call_as(&f, "login/waiting", &[]).await.ok(),
        Value::Null
    );
}

async fn a_reset_link_and_another_browser_do_not_skip_the_code(app: TestApp) {
    let (c, secret, codes) = with_two_step(&app, "ute").await;
    assert_eq!(codes.len(), 10);
    app.verify_email("ute").await;
    // A challenge belongs to the browser that passed the password.
    let b = password_step(&app, "ute").await;
    let other = new_client();
    let now = step_of(app::db::now_ms()) + 1;
    let r = app
        .call_as(&other, "login/code", &[("code", &code(&secret, now))])
        .await;
    assert!(r
        .error()
        .field_message("code")
        .unwrap()
        .contains("Log in again"));
    assert_eq!(app.whoami(&other).await, None);
    assert_eq!(app.whoami(&b).await, None);

    // A reset link sets the password but the code is still asked.
    app.call_as(
        &new_client(),
        "forgot_password",
        &[("email", "ute@example.org")],
    )
    .await
    .ok();
    let token = app
        .mail_link("ute@example.org", "/reset/")
        .await
        .expect("reset link");
    let r = app
        .call_as(
            &other,
            "reset_password",
            &[("token", &token), ("new_password", "a-new-password-2")],
        )
        .await;
    r.ok();
    assert!(!r.cookies().join("\n").contains("hc_session="));
    assert_eq!(app.whoami(&other).await, None);
    assert_eq!(app.whoami(&c).await, None, "the reset ends every session");
    assert_eq!(app.call_as(&other, "login/waiting", &[]).await.ok(), "ute");
    app.call_as(&other, "login/code", &[("code", &code(&secret, now))])
        .await
        .ok();
    assert_eq!(app.whoami(&other).await.as_deref(), Some("ute"));

    // Export says since when; erasure removes the secret and the codes.
    let row: (Option<String>, i64) = sqlx::query_as(
        "SELECT totp_secret, (SELECT COUNT(*) FROM recovery_codes WHERE user_id = users.id) FROM users WHERE handle = 'ute'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(row.0.is_some() && row.1 == 10);

    // The member is told by e-mail of a recovery code used and of turning it off.
    let d = new_client();
    app.login(&d, "ute", "a-new-password-2").await.ok();
    app.call_as(&d, "login/code", &[("code", &codes[0])])
        .await
        .ok();
    app.call_as(&d, "two_step/off", &[("off_password", "a-new-password-2")])
        .await
        .ok();
    let mails: Vec<(String, String)> =
        sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY id")
            .bind("ute@example.org")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let told = |subject: &str| {
        mails
            .iter()
            .find(|(s, _)| s == subject)
            .map(|(_, b)| b.clone())
    };
    assert!(
        told("A recovery code was used to log in").is_some_and(|b| b.contains("9 are left")),
        "{mails:?}"
    );
    assert!(
        told("Two-step sign-in was turned off").is_some(),
        "{mails:?}"
    );

    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE handle = 'ute'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    app::privacy::repo::erase(&app.db, app::ids::UserId(id), app::ids::UserId(id))
        .await
        .unwrap();
    let row: (Option<String>, Option<String>, i64, i64) = sqlx::query_as(
        "SELECT totp_secret, recovery_codes_fresh, \
         (SELECT COUNT(*) FROM recovery_codes WHERE user_id = users.id), \
         (SELECT COUNT(*) FROM login_challenges WHERE user_id = users.id) FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(row, (None, None, 0, 0));
}

/// Whether the site requires two-step sign-in of staff, as an admin reads it.
async fn required(app: &TestApp, admin: &Client) -> Value {
    app.call_as(admin, "admin/staff", &[]).await.ok()["two_step_required"].clone()
}

async fn staff_roles_wait_for_two_step_sign_in_when_the_site_asks(app: TestApp) {
    let (ada, secret, _) = with_two_step(&app, "ada").await;
    app.make_admin("ada").await;
    let bob = new_client();
    app.signup_as(&bob, "bob", PW).await.ok();
    app.make_admin("bob").await;
    let mo = new_client();
    app.signup_as(&mo, "moss", PW).await.ok();
    sqlx::query("UPDATE users SET is_moderator = 1 WHERE handle = 'moss'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(required(&app, &ada).await, false);

    // An admin without it may not require it (their own role would pause).
    let r = app
        .call_as(&bob, "admin/staff_two_step", &[("required", "on")])
        .await;
    assert!(r.error().field_message("required").is_some());
    app.call_as(&ada, "admin/staff_two_step", &[("required", "on")])
        .await
        .ok();
    assert_eq!(required(&app, &ada).await, true);
    let html = app.html_as(&ada, "/admin").await;
    assert!(html.contains("Stop requiring it"), "{html}");

    // Bob's and Mo's roles wait: they are members until they turn it on, and are told so.
    let me = app.call_as(&bob, "current_user", &[]).await.ok();
    assert_eq!(me["is_admin"], false);
    assert_eq!(me["staff_paused"], true);
    assert_eq!(
        app.call_as(&bob, "admin/staff", &[]).await.status,
        reqwest::StatusCode::FORBIDDEN
    );
    let me = app.call_as(&mo, "current_user", &[]).await.ok();
    assert_eq!(
        (me["is_moderator"].clone(), me["staff_paused"].clone()),
        (Value::Bool(false), Value::Bool(true))
    );
    let told = app.call_as(&mo, "notifications", &[]).await.ok();
    assert!(told.to_string().contains("your role is paused"), "{told}");
    assert_eq!(two_step(&app, &mo).await["staff_paused"], true);
    assert!(app
        .html_as(&mo, "/settings")
        .await
        .contains("Your staff role is paused"));
    // Ada, with it, keeps her role; a member's account is not touched.
    assert_eq!(
        app.call_as(&ada, "current_user", &[]).await.ok()["is_admin"],
        true
    );

    // Bob turns it on: his role is back.
    app.call_as(&bob, "two_step/start", &[("two_step_password", PW)])
        .await
        .ok();
    let bob_secret = two_step(&app, &bob).await["setup"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let now = step_of(app::db::now_ms());
    app.call_as(
        &bob,
        "two_step/confirm",
        &[("code", &code(&bob_secret, now))],
    )
    .await
    .ok();
    assert_eq!(
        app.call_as(&bob, "current_user", &[]).await.ok()["is_admin"],
        true
    );
    app.call_as(&bob, "admin/staff", &[]).await.ok();

    // Stopped requiring it: Mo moderates again. Both changes are in the audit log.
    app.call_as(&ada, "admin/staff_two_step", &[("required", "off")])
        .await
        .ok();
    assert_eq!(
        app.call_as(&mo, "current_user", &[]).await.ok()["is_moderator"],
        true
    );
    let log = app
        .call_as(&ada, "admin/audit_log", &[])
        .await
        .ok()
        .to_string();
    assert!(
        log.contains("Required two-step sign-in of staff")
            && log.contains("Stopped requiring two-step sign-in of staff"),
        "{log}"
    );
    assert!(!secret.is_empty());
}

/// Admin `by` turns off the two-step sign-in of `handle`, saying why.
async fn reset_for(app: &TestApp, by: &Client, handle: &str, reason: &str) -> Reply {
    app.call_as(
        by,
        "admin/reset_two_step",
        &[("reset_handle", handle), ("reset_reason", reason)],
    )
    .await
}

async fn an_admin_turns_it_off_for_a_member_who_lost_their_phone(app: TestApp) {
    let (lou, _, _) = with_two_step(&app, "lou").await;
    app.verify_email("lou").await;
    let plain = new_client();
    app.signup_as(&plain, "pia", PW).await.ok();
    let bob = new_client();
    app.signup_as(&bob, "bob", PW).await.ok();
    app.make_admin("bob").await;
    let why = "Mail from the account's address, 3 Dec";

    // Not a member's: only admins.
    let r = reset_for(&app, &plain, "lou", why).await;
    assert_eq!(r.status, reqwest::StatusCode::FORBIDDEN);
    // An admin without two-step sign-in may not strip it from others.
    let r = reset_for(&app, &bob, "lou", why).await;
    let m = r.error().field_message("reset_handle").unwrap_or_default();
    assert!(m.contains("your own account first"), "{m}");

    let (ada, _, _) = with_two_step(&app, "ada").await;
    app.make_admin("ada").await;
    // The reason is required; unknown handles, members without it and oneself are refused.
    let r = reset_for(&app, &ada, "lou", "asked").await;
    assert!(r.error().field_message("reset_reason").is_some());
    let r = reset_for(&app, &ada, "nobody_here", why).await;
    assert!(r.error().field_message("reset_handle").is_some());
    let r = reset_for(&app, &ada, "pia", why).await;
    let m = r.error().field_message("reset_handle").unwrap_or_default();
    assert!(m.contains("does not use"), "{m}");
    let r = reset_for(&app, &ada, "ada", why).await;
    assert!(r.error().field_message("reset_handle").is_some());
    // Before: Lou's password alone does not log in.
    password_step(&app, "lou").await;

    // Done: Lou's password alone logs in; she is told in the site and by e-mail.
    reset_for(&app, &ada, "@lou", why).await.ok();
    let b = new_client();
    app.login(&b, "lou", PW).await.ok();
    assert_eq!(app.whoami(&b).await.as_deref(), Some("lou"));
    let t = two_step(&app, &lou).await;
    assert!(t["on_since"].is_null(), "{t}");
    let told = app.call_as(&lou, "notifications", &[]).await.ok();
    assert!(
        told.to_string()
            .contains("turned off your two-step sign-in"),
        "{told}"
    );
    let subjects: Vec<String> =
        sqlx::query_scalar("SELECT subject FROM outbox WHERE to_addr = $1 ORDER BY id")
            .bind("lou@example.org")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert!(
        subjects.contains(&"The site's team turned off your two-step sign-in".to_string()),
        "{subjects:?}"
    );
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.handle = 'lou'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(left, 0);
    // The audit log keeps who did it, to whom and why.
    let log = app
        .call_as(&ada, "admin/audit_log", &[])
        .await
        .ok()
        .to_string();
    assert!(
        log.contains("Turned off a member's two-step sign-in") && log.contains(why),
        "{log}"
    );
}

/// The member's key, a key being set up and fresh recovery codes as the database holds them.
async fn raw(app: &TestApp, handle: &str) -> (Option<String>, Option<String>, Option<String>) {
    sqlx::query_as(
        "SELECT totp_secret, totp_pending, recovery_codes_fresh FROM users WHERE handle = $1",
    )
    .bind(handle)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// Two-step keys and fresh recovery codes are sealed with the operator's key: a copy of the
/// database does not show them, a value copied into another member's row does not open, values
/// stored before sealing are sealed when the server starts, and a server with another key
/// refuses the app's codes but still takes a recovery code (they are hashed, not sealed).
async fn the_keys_are_sealed_in_the_database_with_the_operators_key(app: TestApp) {
    let (c, secret, codes) = with_two_step(&app, "sid").await;
    let plain = secret.replace(' ', "");
    let (key, _, fresh) = raw(&app, "sid").await;
    let key = key.expect("two-step sign-in is on");
    assert!(
        key.starts_with("sealed1:") && !key.contains(&plain),
        "{key}"
    );
    let fresh = fresh.expect("codes not marked saved yet");
    assert!(fresh.starts_with("sealed1:"), "{fresh}");
    for code in &codes {
        assert!(!fresh.contains(code.as_str()) && !fresh.contains(&code.replace('-', "")));
    }
    // The member still reads them, and the app's next code logs in.
    assert_eq!(
        two_step(&app, &c).await["fresh_codes"]
            .as_array()
            .map(Vec::len),
        Some(10)
    );
    let b = password_step(&app, "sid").await;
    let next = code(&plain, step_of(app::db::now_ms()) + 1);
    app.call_as(&b, "login/code", &[("code", &next)]).await.ok();
    assert_eq!(app.whoami(&b).await.as_deref(), Some("sid"));

    // A key being set up is sealed too.
    let d = new_client();
    app.signup_as(&d, "dot", PW).await.ok();
    app.call_as(&d, "two_step/start", &[("two_step_password", PW)])
        .await
        .ok();
    let shown = two_step(&app, &d).await["setup"]["secret"]
        .as_str()
        .unwrap_or_default()
        .replace(' ', "");
    let (_, pending, _) = raw(&app, "dot").await;
    let pending = pending.expect("a key being set up");
    assert!(shown.len() == 32 && pending.starts_with("sealed1:") && !pending.contains(&shown));

    // Sid's sealed key copied into Tom's row does not open there: Sid's codes do not log Tom in.
    let (_tom, _, _) = with_two_step(&app, "tom").await;
    sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = 0 WHERE handle = 'tom'")
        .bind(&key)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let t = password_step(&app, "tom").await;
    let sids = code(&plain, step_of(app::db::now_ms()));
    let r = app.call_as(&t, "login/code", &[("code", &sids)]).await;
    assert!(r.error().field_message("code").is_some());
    assert_eq!(app.whoami(&t).await, None);

    // A key stored in plain text (before sealing) is sealed when a server starts, and works.
    let legacy = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = 0 WHERE handle = 'tom'")
        .bind(legacy)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let sealer = app::auth::sealed::Sealer::from_hex(crate::common::SECRET_KEY).unwrap();
    assert_eq!(
        app::auth::sealed::reseal(&app.db, &sealer).await.unwrap(),
        1
    );
    let (tom_key, _, _) = raw(&app, "tom").await;
    assert!(tom_key.is_some_and(|k| k.starts_with("sealed1:") && !k.contains(legacy)));
    let t = password_step(&app, "tom").await;
    let toms = code(legacy, step_of(app::db::now_ms()));
    app.call_as(&t, "login/code", &[("code", &toms)]).await.ok();
    assert_eq!(app.whoami(&t).await.as_deref(), Some("tom"));

    // A server with another key: the app's code (unused: the last step is forgotten) is
    // refused, a recovery code still logs in.
    sqlx::query("UPDATE users SET totp_last_step = 0 WHERE handle = 'sid'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let mut args = test_args();
    args.secret_key = Some("0f".repeat(32));
    let other = spawn_on(&app.db_url, args).await;
    let e = new_client();
    other.login(&e, "sid", PW).await.ok();
    let now = code(&plain, step_of(app::db::now_ms()));
    let r = other.call_as(&e, "login/code", &[("code", &now)]).await;
    assert!(r.error().field_message("code").is_some());
    assert_eq!(other.whoami(&e).await, None);
    other
        .call_as(&e, "login/code", &[("code", &codes[0])])
        .await
        .ok();
    assert_eq!(other.whoami(&e).await.as_deref(), Some("sid"));

    // Changing the key: the new key with the old one in HC_SECRET_KEY_OLD opens what the old
    // one sealed; resealing (as `serve` does when it starts) writes every value with the new
    // key, after which the new key alone opens them.
    let new_key = "1f".repeat(32);
    let mut args = test_args();
    args.secret_key = Some(new_key.clone());
    args.secret_key_old = vec![crate::common::SECRET_KEY.into()];
    let changing = spawn_on(&app.db_url, args).await;
    assert_eq!(
        app_code_login(&app, &changing, "sid", &plain)
            .await
            .as_deref(),
        Some("sid")
    );
    let sealer = app::auth::sealed::Sealer::from_hex(&new_key)
        .unwrap()
        .with_old(vec![app::auth::sealed::Sealer::from_hex(
            crate::common::SECRET_KEY,
        )
        .unwrap()]);
    // The binary's `serve`, started so, re-seals Sid's and Tom's keys and fresh recovery codes
    // (not marked saved) and Dot's pending key with the new key: nothing is left to re-seal.
    let (_serving, _) = crate::common::serve_process(
        &app.db_url,
        &[
            ("HC_SECRET_KEY", new_key.as_str()),
            ("HC_SECRET_KEY_OLD", crate::common::SECRET_KEY),
        ],
    )
    .await;
    let new_alone = app::auth::sealed::Sealer::from_hex(&new_key).unwrap();
    let mut opened = 0;
    for handle in ["sid", "dot", "tom"] {
        use app::auth::sealed::Column;
        let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE handle = $1")
            .bind(handle)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let (key, pending, fresh) = raw(&app, handle).await;
        for (column, value) in [
            (Column::TotpSecret, key),
            (Column::TotpPending, pending),
            (Column::RecoveryCodesFresh, fresh),
        ] {
            let Some(value) = value else { continue };
            assert!(value.starts_with("sealed1:"), "{value}");
            assert!(new_alone
                .open(app::ids::UserId(id), column, &value)
                .is_some());
            opened += 1;
        }
    }
    assert_eq!(opened, 5);
    assert_eq!(
        app::auth::sealed::reseal(&app.db, &sealer).await.unwrap(),
        0
    );
    let mut args = test_args();
    args.secret_key = Some(new_key);
    let changed = spawn_on(&app.db_url, args).await;
    assert_eq!(
        app_code_login(&app, &changed, "sid", &plain)
            .await
            .as_deref(),
        Some("sid")
    );
}

/// Logs `handle` in on `server` with the password and the app's code of now (the last step
/// used is forgotten first, so that the code counts as unused); who is logged in then.
async fn app_code_login(
    app: &TestApp,
    server: &TestApp,
    handle: &str,
    key: &str,
) -> Option<String> {
    sqlx::query("UPDATE users SET totp_last_step = 0 WHERE handle = $1")
        .bind(handle)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let b = new_client();
    server.login(&b, handle, PW).await.ok();
    let now = code(key, step_of(app::db::now_ms()));
    server.call_as(&b, "login/code", &[("code", &now)]).await;
    server.whoami(&b).await
}
