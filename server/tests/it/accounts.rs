//! Accounts over HTTP on both backends: sign-up, login, logout, password change, rate limits, sessions, CSRF (addresses and password reset: email.rs).

use crate::common::{new_client, spawn_on, test_args, Backend, TestApp};
use app::error::AppError;
use reqwest::{header, StatusCode};

both_backends!(
    signup_login_logout,
    a_duplicate_handle_is_a_field_error,
    bad_input_is_reported_per_field,
    wrong_password_and_unknown_account_look_the_same,
    password_change_ends_other_sessions,
    login_rotates_the_session,
    session_cookie_is_locked_down,
    foreign_origin_is_refused,
    consent_is_recorded_with_version,
    plain_form_post_redirects_back_with_echo,
    two_servers_share_sessions,
    clinician_signup_needs_licence_and_is_pending,
);

async fn signup_login_logout(app: TestApp) {
    app.signup("ana_k", "correct-horse-1").await.ok();
    assert_eq!(app.whoami(&app.client).await.as_deref(), Some("ana_k"));

    app.call("logout", &[]).await.ok();
    assert_eq!(app.whoami(&app.client).await, None);

    // Handle with different case and a leading @, then the e-mail address, both log in.
    app.login(&app.client, "@Ana_K", "correct-horse-1")
        .await
        .ok();
    assert_eq!(app.whoami(&app.client).await.as_deref(), Some("ana_k"));
    let other = new_client();
    app.login(&other, "ANA_K@example.org", "correct-horse-1")
        .await
        .ok();
    assert_eq!(app.whoami(&other).await.as_deref(), Some("ana_k"));
}

async fn a_duplicate_handle_is_a_field_error(app: TestApp) {
    app.signup("ben_t", "correct-horse-1").await.ok();
    let other = new_client();
    let r = app
        .call_as(
            &other,
            "signup",
            &[
                ("handle", "BEN_T"),
                ("email", "Ben_T@Example.org"),
                ("password", "correct-horse-1"),
                ("kind", "caregiver"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    assert!(
        e.field_message("handle")
            .is_some_and(|m| m.contains("taken")),
        "{e:?}"
    );
    // Only the handle (which is public): the address is never said to be taken.
    assert_eq!(e.field_message("email"), None, "{e:?}");
    // A taken address on its own signs up like any other (see email.rs for what it is sent).
    app.call_as(
        &other,
        "signup",
        &[
            ("handle", "ben_two"),
            ("email", "Ben_T@Example.org"),
            ("password", "correct-horse-1"),
            ("kind", "caregiver"),
            ("consent", "yes"),
        ],
    )
    .await
    .ok();
    assert_eq!(app.whoami(&other).await.as_deref(), Some("ben_two"));
}

async fn bad_input_is_reported_per_field(app: TestApp) {
    let r = app
        .call(
            "signup",
            &[
                ("handle", "x"),
                ("email", "not-an-address"),
                ("password", "short"),
                ("kind", "wizard"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error();
    for field in ["handle", "email", "password", "kind", "consent"] {
        assert!(
            e.field_message(field).is_some(),
            "no error for {field}: {e:?}"
        );
    }
    let count: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

async fn wrong_password_and_unknown_account_look_the_same(app: TestApp) {
    app.signup("cara", "correct-horse-1").await.ok();
    let c = new_client();
    let wrong = app.login(&c, "cara", "wrong-password").await;
    let unknown = app.login(&c, "nobody", "wrong-password").await;
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.error(), AppError::InvalidCredentials);
    assert_eq!(unknown.error(), AppError::InvalidCredentials);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(app.whoami(&c).await, None);
}

async fn password_change_ends_other_sessions(app: TestApp) {
    app.signup("dana", "first-password-1").await.ok();
    let laptop = new_client();
    app.login(&laptop, "dana", "first-password-1").await.ok();

    let r = app
        .call(
            "change_password",
            &[
                ("current_password", "not-it-at-all"),
                ("new_password", "second-password-2"),
            ],
        )
        .await;
    assert!(r.error().field_message("current_password").is_some());
    let r = app
        .call(
            "change_password",
            &[
                ("current_password", "first-password-1"),
                ("new_password", "short"),
            ],
        )
        .await;
    assert!(r.error().field_message("new_password").is_some());

    app.call(
        "change_password",
        &[
            ("current_password", "first-password-1"),
            ("new_password", "second-password-2"),
        ],
    )
    .await
    .ok();
    // This device stays logged in, the other one is logged out.
    assert_eq!(app.whoami(&app.client).await.as_deref(), Some("dana"));
    assert_eq!(app.whoami(&laptop).await, None);
    assert_eq!(
        app.login(&laptop, "dana", "first-password-1").await.error(),
        AppError::InvalidCredentials
    );
    app.login(&laptop, "dana", "second-password-2").await.ok();

    // Logged-out visitors cannot change anything.
    let r = app
        .call_as(
            &new_client(),
            "change_password",
            &[("current_password", "x"), ("new_password", "yyyyyyyyyyyy")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error(), AppError::Unauthenticated);
}

fn session_token(reply: &crate::common::Reply) -> String {
    reply
        .cookies()
        .iter()
        .find_map(|c| {
            c.strip_prefix("hc_session=")
                .map(|rest| rest.split(';').next().unwrap_or("").to_string())
        })
        .expect("a session cookie")
}

async fn login_rotates_the_session(app: TestApp) {
    let first = app.signup("emil", "correct-horse-1").await;
    let old = session_token(&first);
    let second = app.login(&app.client, "emil", "correct-horse-1").await;
    let new = session_token(&second);
    assert_ne!(old, new);
    // The old id is dead.
    let res = reqwest::Client::new()
        .post(format!("{}/api/current_user", app.base))
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, format!("hc_session={old}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "null");
    // Logout deletes the session row.
    app.call("logout", &[]).await.ok();
    let sessions: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

async fn session_cookie_is_locked_down(app: TestApp) {
    let r = app.signup("fay", "correct-horse-1").await;
    let cookie = r
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("hc_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
    let token = session_token(&r);
    assert_eq!(token.len(), 43, "256 random bits, base64url");
    // Only a hash of the token is stored.
    let stored: String = sqlx::query_scalar("SELECT id_hash FROM sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, token);

    // Behind TLS the cookie is Secure.
    let mut args = test_args();
    args.public_url = Some("https://community.example.org".into());
    let tls = spawn_on(&app.db_url, args).await;
    let r = tls.signup("fay_tls", "correct-horse-1").await;
    assert!(r
        .cookies()
        .iter()
        .any(|c| c.starts_with("hc_session=") && c.contains("; Secure")));
}

async fn foreign_origin_is_refused(app: TestApp) {
    let res = app
        .client
        .post(format!("{}/api/signup", app.base))
        .header(header::ORIGIN, "https://evil.example")
        .form(&[
            ("handle", "mallory"),
            ("email", "m@example.org"),
            ("password", "correct-horse-1"),
            ("kind", "patient"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        serde_json::from_str::<AppError>(&res.text().await.unwrap()).unwrap(),
        AppError::CrossOrigin
    );
    let res = app
        .client
        .post(format!("{}/api/logout", app.base))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let users: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(users, 0);
}

async fn consent_is_recorded_with_version(app: TestApp) {
    let before = app::db::now_ms();
    app.signup("gus", "correct-horse-1").await.ok();
    let row: (String, String, i64) = sqlx::query_as(
        "SELECT c.kind, c.text_version, c.given_at FROM consents c JOIN users u ON u.id = c.user_id WHERE u.handle = 'gus'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(row.0, "health_data");
    assert_eq!(row.1, app::auth::types::CONSENT_VERSION);
    assert!(row.2 >= before);

    let r = app
        .call_as(
            &new_client(),
            "signup",
            &[
                ("handle", "hal"),
                ("email", "hal@example.org"),
                ("password", "correct-horse-1"),
                ("kind", "patient"),
            ],
        )
        .await;
    assert!(r.error().field_message("consent").is_some());
}

async fn plain_form_post_redirects_back_with_echo(app: TestApp) {
    let res = app
        .client
        .post(format!("{}/api/signup", app.base))
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, format!("{}/signup", app.base))
        .header(header::ORIGIN, &app.base)
        .form(&[
            ("handle", "ivy"),
            ("email", "ivy-at-example"),
            ("password", "secret-but-short"),
            ("kind", "patient"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        location.contains("/signup?") && location.contains("__err="),
        "{location}"
    );
    assert!(
        !location.contains("ivy-at-example"),
        "typed values must not travel in the URL"
    );
    let echo = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("hc_echo="))
        .expect("echo cookie")
        .to_string();
    assert!(echo.contains("HttpOnly") && echo.contains("Max-Age=300"));
    // The page the browser comes back to shows the errors and the typed values, but no password.
    let (status, html) = app
        .get(&location[location.find("/signup").unwrap()..])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Enter an e-mail address like name@example.org."),
        "{html}"
    );
    assert!(html.contains("value=\"ivy-at-example\""));
    assert!(html.contains("value=\"ivy\""));
    assert!(!html.contains("secret-but-short"));
}

async fn two_servers_share_sessions(app: TestApp) {
    // A second app server on the same database: a login on one is valid on the other.
    let other = spawn_on(&app.db_url, test_args()).await;
    app.signup("jo_x", "correct-horse-1").await.ok();
    let token = app
        .client
        .post(format!("{}/api/current_user", app.base))
        .header(header::ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    assert!(token.status().is_success());
    let r = app.login(&other.client, "jo_x", "correct-horse-1").await;
    r.ok();
    assert_eq!(other.whoami(&other.client).await.as_deref(), Some("jo_x"));
    let cookie = format!("hc_session={}", session_token(&r));
    let on_first = reqwest::Client::new()
        .post(format!("{}/api/current_user", app.base))
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(on_first.contains("\"handle\":\"jo_x\""), "{on_first}");
}

async fn clinician_signup_needs_licence_and_is_pending(app: TestApp) {
    let base = [
        ("handle", "dr_kim"),
        ("email", "kim@example.org"),
        ("password", "correct-horse-1"),
        ("kind", "clinician"),
        ("consent", "yes"),
    ];
    let r = app.call("signup", &base).await;
    let e = r.error();
    assert!(
        e.field_message("licence_number").is_some() && e.field_message("specialty").is_some(),
        "{e:?}"
    );
    let mut full = base.to_vec();
    full.push(("licence_number", "GMC-1234567"));
    full.push(("specialty", "neurology"));
    app.call("signup", &full).await.ok();
    let me = app.call("current_user", &[]).await.ok();
    assert_eq!(me["clinician_status"], "Pending");
    assert_eq!(me["kind"], "Clinician");
}

// Rate limits use their own low settings, so they are not in the macro list.
async fn rate_limits(backend: Backend) {
    let mut args = test_args();
    args.login_limit_per_account = 3;
    args.login_limit_per_ip = 6;
    args.signup_limit_per_ip = 2;
    let limits = args.clone();
    let Some(app) = crate::common::spawn_with(backend, args).await else {
        return;
    };
    app.signup("kai", "correct-horse-1").await.ok();
    app.signup_as(&new_client(), "lea", "correct-horse-1")
        .await
        .ok();
    // Third sign-up from this address in the window is refused.
    let r = app.signup_as(&new_client(), "max", "correct-horse-1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.error(), AppError::RateLimited);

    let c = new_client();
    for _ in 0..3 {
        assert_eq!(
            app.login(&c, "kai", "wrong-password").await.error(),
            AppError::InvalidCredentials
        );
    }
    // Per account: even the right password is refused now, and an unknown account gets the same.
    assert_eq!(
        app.login(&c, "kai", "correct-horse-1").await.error(),
        AppError::RateLimited
    );
    // Per address: other accounts from the same address hit the address limit.
    assert_eq!(
        app.login(&c, "lea", "wrong-password").await.error(),
        AppError::InvalidCredentials
    );
    assert_eq!(
        app.login(&c, "nobody", "wrong-password").await.error(),
        AppError::InvalidCredentials
    );
    assert_eq!(
        app.login(&c, "lea", "correct-horse-1").await.error(),
        AppError::RateLimited
    );
    assert_eq!(app.whoami(&c).await, None);

    // Without HC_TRUST_PROXY a client's own X-Forwarded-For is ignored: it cannot pick a fresh
    // address to escape the limit.
    let fresh = new_client();
    let spoofed = login_from(&app, &fresh, Some("203.0.113.2"), "lea", "correct-horse-1").await;
    assert_eq!(spoofed.error(), AppError::RateLimited);

    // A second server process on the same database, behind a proxy: the address is the last
    // X-Forwarded-For entry (the one the proxy appended).
    let mut behind_proxy = limits.clone();
    behind_proxy.trust_proxy = true;
    let px = spawn_on(&app.db_url, behind_proxy).await;
    // lea's own bucket is not full (the address limit answered first), so from a new address
    // her password works: the address bucket is keyed by the forwarded address.
    let r = login_from(
        &px,
        &new_client(),
        Some("203.0.113.1"),
        "lea",
        "correct-horse-1",
    )
    .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    // The account limit is shared by every process: kai's bucket, filled on the first server,
    // refuses him on the second from an address that has never tried.
    let r = login_from(
        &px,
        &new_client(),
        Some("203.0.113.4"),
        "kai",
        "correct-horse-1",
    )
    .await;
    assert_eq!(r.error(), AppError::RateLimited);
    // An unknown account has a bucket of its own and answers exactly as a known one once full.
    let stranger = new_client();
    for _ in 0..3 {
        let r = login_from(
            &px,
            &stranger,
            Some("203.0.113.3"),
            "nobody_x",
            "wrong-password",
        )
        .await;
        assert_eq!(r.error(), AppError::InvalidCredentials);
    }
    let r = login_from(
        &px,
        &stranger,
        Some("203.0.113.3"),
        "nobody_x",
        "wrong-password",
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.error(), AppError::RateLimited);
    // A first entry the client wrote itself does not make a new address: six attempts from
    // 203.0.113.5 (different unknown names, so only the address bucket fills) …
    for i in 0..6 {
        let r = login_from(
            &px,
            &new_client(),
            Some("203.0.113.5"),
            &format!("ghost{i}"),
            "x-password",
        )
        .await;
        assert_eq!(r.error(), AppError::InvalidCredentials, "attempt {i}");
    }
    // … and the seventh is refused, whatever the client put before the proxy's entry.
    let r = login_from(
        &px,
        &new_client(),
        Some("198.51.100.9, 203.0.113.5"),
        "ghost9",
        "x-password",
    )
    .await;
    assert_eq!(r.error(), AppError::RateLimited);

    // When the window has passed, the buckets start again: kai logs in from the first address.
    sqlx::query("UPDATE rate_limits SET window_start = 0")
        .execute(&app.db.pool)
        .await
        .expect("age the buckets");
    let r = app.login(&fresh, "kai", "correct-horse-1").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert_eq!(app.whoami(&fresh).await.as_deref(), Some("kai"));
}

/// A login through `app` with an optional X-Forwarded-For header.
async fn login_from(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded_for: Option<&str>,
    identifier: &str,
    password: &str,
) -> crate::common::Reply {
    let mut req = client
        .post(format!("{}/api/login", app.base))
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, &app.base)
        .form(&[("identifier", identifier), ("password", password)]);
    if let Some(ip) = forwarded_for {
        req = req.header("x-forwarded-for", ip);
    }
    let res = req.send().await.expect("login");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.text().await.expect("body");
    crate::common::Reply {
        status,
        headers,
        body,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limits_sqlite() {
    rate_limits(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limits_postgres() {
    rate_limits(Backend::Postgres).await;
}
