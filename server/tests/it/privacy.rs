//! The account lifecycle on both backends: an export holds each kind of the member's data and nothing of others', an erased member leaves nothing that names them in any table or search index, logging in during the grace period cancels the deletion, withdrawn consent makes the account read-only and hidden, and an admin's erasure is audited.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::Client;
use sqlx::Row;

both_backends!(
    erasure_leaves_nothing_that_names_them,
    logging_in_within_the_grace_period_cancels,
    withdrawn_consent_is_read_only_and_hidden,
    admins_erase_on_request_and_it_is_audited,
    exports_hold_their_data_and_nothing_of_others,
);

const PW: &str = "correct-horse-1";
const CANARY: &str = "zebrafinchcanary";

async fn member(app: &TestApp, handle: &str) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    app.verify_email(handle).await;
    app.call_as(&c, "community/join", &[("slug", "ms")])
        .await
        .ok();
    c
}

async fn post(app: &TestApp, c: &Client, title: &str, body: &str) -> i64 {
    app.call_as(
        c,
        "post/create",
        &[
            ("community", "ms"),
            ("kind", "question"),
            ("title", title),
            ("body", body),
            ("tags", "fatigue"),
            ("visibility", "public"),
        ],
    )
    .await
    .ok()
    .as_i64()
    .expect("post id")
}

async fn reply(app: &TestApp, c: &Client, post: i64, body: &str) -> i64 {
    app.call_as(
        c,
        "reply/create",
        &[("post_id", post.to_string().as_str()), ("body", body)],
    )
    .await
    .ok()
    .as_i64()
    .expect("reply id")
}

/// The clinic "north", owned by `owner_oz` (who must have signed up).
async fn north_clinic(app: &TestApp, admin: &Client) {
    app.call_as(
        admin,
        "directory/create_clinic",
        &[
            ("name", "North Clinic"),
            ("slug", "north"),
            ("city", "Berlin"),
            ("lat", "52.52"),
            ("lon", "13.405"),
            ("owner", "owner_oz"),
        ],
    )
    .await
    .ok();
}

async fn id_of(app: &TestApp, handle: &str) -> i64 {
    sqlx::query("SELECT id FROM users WHERE handle = $1")
        .bind(handle)
        .fetch_one(&app.db.pool)
        .await
        .expect("user")
        .get("id")
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get::<i64, _>(0)
}

/// Every (table, column) of the database that can hold text, on either backend.
async fn text_columns(app: &TestApp) -> Vec<(String, String)> {
    let pg = matches!(app.db.backend, app::db::Backend::Postgres);
    let mut out = Vec::new();
    if pg {
        let rows = sqlx::query(
            "SELECT CAST(c.table_name AS TEXT) AS table_name, CAST(c.column_name AS TEXT) AS column_name FROM information_schema.columns c \
             JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             AND c.data_type IN ('text', 'character varying', 'tsvector') AND c.table_name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
        )
        .fetch_all(&app.db.pool)
        .await
        .expect("columns");
        for r in rows {
            out.push((r.get("table_name"), r.get("column_name")));
        }
    } else {
        let tables: Vec<String> = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )
        .fetch_all(&app.db.pool)
        .await
        .expect("tables")
        .iter()
        .map(|r| r.get("name"))
        .collect();
        for t in tables {
            // FTS5's own pages are binary; the index is searched by MATCH below.
            if t.contains("_fts_") {
                continue;
            }
            let cols = sqlx::query(&format!("SELECT name FROM pragma_table_info('{t}')"))
                .fetch_all(&app.db.pool)
                .await
                .expect("columns");
            for c in cols {
                out.push((t.clone(), c.get("name")));
            }
        }
    }
    assert!(
        out.iter().any(|(t, c)| t == "users" && c == "email")
            && out.iter().any(|(t, _)| t == "outbox"),
        "the scan must see the tables: {out:?}"
    );
    out
}

/// The (table, column) pairs holding `needle` (case-insensitive).
async fn holders(app: &TestApp, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (t, c) in text_columns(app).await {
        let sql = format!(
            "SELECT COUNT(*) FROM \"{t}\" WHERE LOWER(CAST(\"{c}\" AS TEXT)) LIKE '%' || $1 || '%'"
        );
        let n: i64 = sqlx::query(&sql)
            .bind(needle.to_lowercase())
            .fetch_one(&app.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0);
        if n > 0 {
            found.push(format!("{t}.{c} ({n})"));
        }
    }
    found
}

/// Rows the full-text index answers for `word`.
async fn index_hits(app: &TestApp, word: &str) -> i64 {
    let sql = if matches!(app.db.backend, app::db::Backend::Postgres) {
        format!("SELECT COUNT(*) FROM posts WHERE search @@ to_tsquery('english', '{word}')")
    } else {
        format!("SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH '{word}'")
    };
    scalar(app, &sql).await
}

/// Makes the grace period of `handle`'s deletion end now and runs the hourly job.
async fn run_erasure(app: &TestApp, handle: &str) -> u64 {
    sqlx::query("UPDATE users SET erase_after = 1 WHERE handle = $1 AND erase_after IS NOT NULL")
        .bind(handle)
        .execute(&app.db.pool)
        .await
        .expect("due");
    app::privacy::repo::erase_due(&app.db, app::db::now_ms())
        .await
        .expect("erase")
}

async fn erasure_leaves_nothing_that_names_them(app: TestApp) {
    let admin = app.admin_with_community().await;
    let olga = member(&app, "other_olga").await;
    let cleo = member(&app, "canary_cleo").await;
    let cleo_id = id_of(&app, "canary_cleo").await;
    // Her picture goes with her (checked after the erasure).
    crate::pictures::upload(
        &app,
        &cleo,
        "avatar",
        "me",
        "",
        &crate::pictures::tiny_png(),
    )
    .await
    .ok();
    // A clinic Cleo rates and writes to.
    let owner = member(&app, "owner_oz").await;
    drop(owner);
    north_clinic(&app, &admin).await;
    let stars_before = scalar(
        &app,
        "SELECT rating_count FROM providers WHERE slug = 'north'",
    )
    .await;

    // Cleo does everything, with the canary in what she writes.
    let hers = post(
        &app,
        &cleo,
        &format!("Tingling hands {CANARY}"),
        &format!("Since March, {CANARY} in both hands. Ask @other_olga?"),
    )
    .await;
    // An edit: the version it replaces (with the canary) is kept in the post's history.
    app.call_as(
        &cleo,
        "post/edit",
        &[
            ("id", &hers.to_string()),
            ("title", &format!("Tingling hands {CANARY}")),
            ("body", "Since March, in both hands. Ask @other_olga?"),
            ("tags", ""),
            ("visibility", "public"),
        ],
    )
    .await
    .ok();
    let olgas = post(&app, &olga, "Fatigue after infusions", "Does it pass?").await;
    let olga_answer = reply(&app, &olga, hers, "It passed for me after a week.").await;
    // She saves Olga's thread with a private note.
    app.call_as(&cleo, "saved/toggle", &[("post_id", &olgas.to_string())])
        .await
        .ok();
    let saved_id = app.call_as(&cleo, "saved", &[]).await.ok()["items"][0]["id"]
        .as_i64()
        .expect("saved")
        .to_string();
    app.call_as(
        &cleo,
        "saved/note",
        &[("id", &saved_id), ("note", &format!("Remember {CANARY}"))],
    )
    .await
    .ok();
    reply(&app, &cleo, olgas, &format!("Mine did, {CANARY} helps.")).await;
    reply(&app, &cleo, hers, &format!("Thanks @other_olga, {CANARY}.")).await;
    app.call_as(
        &cleo,
        "vote",
        &[("target", "post"), ("id", &olgas.to_string())],
    )
    .await
    .ok();
    app.call_as(
        &olga,
        "vote",
        &[("target", "post"), ("id", &hers.to_string())],
    )
    .await
    .ok();
    app.call_as(
        &cleo,
        "directory/rate",
        &[
            ("slug", "north"),
            ("stars", "4"),
            ("wait_minutes", ""),
            ("body", &format!("Kind staff, {CANARY}.")),
        ],
    )
    .await
    .ok();
    assert_eq!(
        scalar(
            &app,
            "SELECT rating_count FROM providers WHERE slug = 'north'"
        )
        .await,
        stars_before + 1
    );
    app.call_as(
        &cleo,
        "directory/contact",
        &[
            ("slug", "north"),
            ("reason", &format!("Appointment about {CANARY}")),
            ("preferred_times", "Mornings"),
            ("contact_via", "Reply here"),
        ],
    )
    .await
    .ok();
    app.call_as(
        &cleo,
        "messages/send",
        &[
            ("to", "other_olga"),
            ("body", &format!("Hi Olga, {CANARY}")),
        ],
    )
    .await
    .ok();
    app.call_as(
        &olga,
        "messages/send",
        &[("to", "canary_cleo"), ("body", "Hi Cleo, glad to help.")],
    )
    .await
    .ok();
    app.call_as(
        &cleo,
        "invite_by_email",
        &[("email", "friend_of_cleo@example.net")],
    )
    .await
    .ok();
    app.call_as(
        &cleo,
        "report",
        &[
            ("post_id", &olgas.to_string()),
            ("reason", "other"),
            ("note", &format!("{CANARY} report")),
        ],
    )
    .await
    .ok();
    app.call_as(
        &cleo,
        "directory/ask_listing",
        &[
            ("name", "Cleo's practice"),
            ("city", "Berlin"),
            ("website", ""),
            ("role", "Practice manager"),
            ("note", &format!("{CANARY} listing")),
        ],
    )
    .await
    .ok();
    // The canary is findable everywhere before (the checks below can fail).
    let before = holders(&app, CANARY).await;
    assert!(
        before
            .iter()
            .any(|h| h.starts_with("post_versions.body_md"))
            && before.iter().any(|h| h.starts_with("saved_items.note"))
            && before
                .iter()
                .any(|h| h.starts_with("listing_requests.note")),
        "{before:?}"
    );
    assert!(!holders(&app, "canary_cleo").await.is_empty());
    assert!(index_hits(&app, CANARY).await > 0);
    let olga_unread = scalar(
        &app,
        "SELECT unread_notifications FROM users WHERE handle = 'other_olga'",
    )
    .await;
    assert!(
        olga_unread > 0,
        "Olga was notified of Cleo's reply and vote"
    );

    // "Delete my account": the password is required; then logged out everywhere, a mail.
    let wrong = app
        .call_as(
            &cleo,
            "delete_account",
            &[("confirm_password", "not-it-at-all"), ("words", "remove")],
        )
        .await
        .error();
    assert!(wrong.field_message("confirm_password").is_some());
    let other_device = new_client();
    app.login(&other_device, "canary_cleo", PW).await.ok();
    app.call_as(
        &cleo,
        "delete_account",
        &[("confirm_password", PW), ("words", "remove")],
    )
    .await
    .ok();
    assert_eq!(app.whoami(&cleo).await, None);
    assert_eq!(app.whoami(&other_device).await, None, "every session ends");
    let mails: Vec<String> = sqlx::query(
        "SELECT subject FROM outbox WHERE to_addr = 'canary_cleo@example.org' AND kind = 'account'",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("mails")
    .iter()
    .map(|r| r.get("subject"))
    .collect();
    assert!(
        mails
            .iter()
            .any(|s| s.contains("will be deleted in 7 days")),
        "{mails:?}"
    );
    // Not yet due: the job leaves the account alone.
    assert_eq!(
        app::privacy::repo::erase_due(&app.db, app::db::now_ms())
            .await
            .expect("job"),
        0
    );
    assert!(!holders(&app, "canary_cleo").await.is_empty());

    assert_eq!(run_erasure(&app, "canary_cleo").await, 1);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM images WHERE owner_id = {cleo_id}")
        )
        .await,
        0
    );

    for needle in ["canary_cleo", "canary_cleo@example.org", CANARY] {
        let left = holders(&app, needle).await;
        assert!(left.is_empty(), "{needle} is still in {left:?}");
    }
    assert_eq!(
        index_hits(&app, CANARY).await,
        0,
        "the search index forgot the words"
    );
    let (_, search_page) = app.get(&format!("/search?q={CANARY}")).await;
    assert!(
        !search_page.contains("/p/"),
        "search shows no post for the canary"
    );

    // The thread stays readable: Olga's answer under Cleo's question, Cleo as "[deleted member]".
    let thread = app
        .call_as(&olga, "post", &[("id", &hers.to_string())])
        .await
        .ok();
    let text = thread.to_string();
    assert!(text.contains("It passed for me after a week."), "{text}");
    assert!(text.contains(&olga_answer.to_string()));
    assert_eq!(thread["post"]["author"]["erased"], true, "{text}");
    // Counts follow: Olga's vote count lost Cleo's vote, the clinic's rating count hers.
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT vote_count FROM posts WHERE id = {olgas}")
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT rating_count FROM providers WHERE slug = 'north'"
        )
        .await,
        stars_before
    );
    let unread = scalar(
        &app,
        "SELECT unread_notifications FROM users WHERE handle = 'other_olga'",
    )
    .await;
    let real = scalar(
        &app,
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE u.handle = 'other_olga' AND n.read_at IS NULL",
    )
    .await;
    assert_eq!(unread, real, "Olga's badge counts what is left");
    // Olga's own message to Cleo stays hers; Cleo's is gone.
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM messages WHERE sender_id = {cleo_id}")
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM messages WHERE body LIKE 'Hi Cleo%'"
        )
        .await,
        1
    );
    // Nobody can log in as her; the profile is gone; the audit log says what happened.
    assert_eq!(
        app.login(&new_client(), "canary_cleo", PW).await.error(),
        AppError::InvalidCredentials
    );
    assert_eq!(app.get("/u/canary_cleo").await.0, 404);
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'erase_account' AND target_user_id = {cleo_id}"
            )
        )
        .await,
        1
    );
    // A second run finds nothing more to do.
    assert_eq!(run_erasure(&app, "canary_cleo").await, 0);
}

async fn logging_in_within_the_grace_period_cancels(app: TestApp) {
    app.admin_with_community().await;
    let c = member(&app, "back_bea").await;
    let id = post(&app, &c, "Still here", &format!("Words {CANARY}")).await;
    app.call_as(
        &c,
        "delete_account",
        &[("confirm_password", PW), ("words", "keep")],
    )
    .await
    .ok();
    assert_eq!(app.whoami(&c).await, None);
    let r = app.login(&c, "back_bea", PW).await;
    r.ok();
    assert_eq!(
        r.headers
            .get("location")
            .or(r.headers.get("x-server-redirect"))
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        Some(app::auth::api::CANCELLED_DELETION.to_string()),
        "the login says the deletion is cancelled"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM users WHERE handle = 'back_bea' AND erase_after IS NULL"
        )
        .await,
        1
    );
    let subjects: Vec<String> = sqlx::query(
        "SELECT subject FROM outbox WHERE to_addr = 'back_bea@example.org' AND kind = 'account' ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("mails")
    .iter()
    .map(|r| r.get("subject"))
    .collect();
    assert!(
        subjects
            .iter()
            .any(|s| s == "Your account will not be deleted"),
        "{subjects:?}"
    );
    // The job, even long after, erases nothing.
    assert_eq!(run_erasure(&app, "back_bea").await, 0);
    assert_eq!(
        app::privacy::repo::erase_due(&app.db, i64::MAX / 2)
            .await
            .expect("job"),
        0
    );
    assert_eq!(app.whoami(&c).await.as_deref(), Some("back_bea"));
    assert_eq!(index_hits(&app, CANARY).await, 1);
    let _ = id;

    // "Keep my words": the words stay, the name goes.
    app.call_as(
        &c,
        "delete_account",
        &[("confirm_password", PW), ("words", "keep")],
    )
    .await
    .ok();
    assert_eq!(run_erasure(&app, "back_bea").await, 1);
    assert_eq!(
        index_hits(&app, CANARY).await,
        1,
        "kept words stay findable"
    );
    assert!(holders(&app, "back_bea").await.is_empty());
}

async fn withdrawn_consent_is_read_only_and_hidden(app: TestApp) {
    app.admin_with_community().await;
    let w = member(&app, "wary_wim").await;
    let other = member(&app, "pal_pat").await;
    let pid = post(&app, &other, "A question", "Body").await;
    let before = app.call_as(&w, "my_privacy", &[]).await.ok();
    assert_eq!(before["consent_withdrawn"], false);
    assert_eq!(before["history"].as_array().map(Vec::len), Some(1));

    app.call_as(&w, "withdraw_consent", &[]).await.ok();
    let pid_s = pid.to_string();
    let me = app.call_as(&w, "current_user", &[]).await.ok();
    assert_eq!(me["consent_withdrawn"], true);
    // Writes are refused…
    for (endpoint, form) in [
        (
            "post/create",
            vec![
                ("community", "ms"),
                ("kind", "question"),
                ("title", "Hello there"),
                ("body", "Body"),
                ("tags", ""),
                ("visibility", "public"),
            ],
        ),
        (
            "reply/create",
            vec![("post_id", pid_s.as_str()), ("body", "Hi")],
        ),
        ("vote", vec![("target", "post"), ("id", pid_s.as_str())]),
        ("messages/send", vec![("to", "pal_pat"), ("body", "Hi")]),
        (
            "update_profile",
            vec![
                ("display_name", "Wim"),
                ("bio", ""),
                ("theme", "system"),
                ("text_size", "normal"),
            ],
        ),
    ] {
        assert_eq!(
            app.call_as(&w, endpoint, &form).await.error(),
            AppError::ConsentWithdrawn,
            "{endpoint}"
        );
    }
    // …reading their own things is not.
    app.call_as(&w, "my_settings", &[]).await.ok();
    app.call_as(&w, "notifications", &[]).await.ok();
    // Hidden: the profile is gone for others (not for them), nobody can message them.
    assert_eq!(app.get("/u/wary_wim").await.0, 404);
    let (own, _) = {
        let res = w
            .get(format!("{}/u/wary_wim", app.base))
            .send()
            .await
            .expect("own profile");
        (res.status(), ())
    };
    assert_eq!(own, 200);
    let e = app
        .call_as(
            &other,
            "messages/send",
            &[("to", "wary_wim"), ("body", "Hello?")],
        )
        .await
        .error();
    assert!(e.field_message("to").is_some(), "{e:?}");
    // No digest while withdrawn.
    sqlx::query("UPDATE users SET digest_opt_in = 1, digest_day = 0 WHERE handle = 'wary_wim'")
        .execute(&app.db.pool)
        .await
        .expect("opt in");
    app::mail::repo::run_digests(&app.db, "http://localhost", app::db::now_ms())
        .await
        .expect("digests");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE to_addr = 'wary_wim@example.org' AND kind = 'digest'"
        )
        .await,
        0
    );
    // Giving it again needs the box, and then everything works; the history shows both.
    let e = app.call_as(&w, "give_consent", &[]).await.error();
    assert!(e.field_message("consent").is_some());
    app.call_as(&w, "give_consent", &[("consent", "yes")])
        .await
        .ok();
    app.call_as(&w, "vote", &[("target", "post"), ("id", &pid.to_string())])
        .await
        .ok();
    assert_eq!(app.get("/u/wary_wim").await.0, 200);
    let after = app.call_as(&w, "my_privacy", &[]).await.ok();
    let history: Vec<bool> = after["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["withdrawn"] == true)
        .collect();
    assert_eq!(
        history,
        vec![false, true, false],
        "newest first: given, withdrawn, given"
    );
}

async fn admins_erase_on_request_and_it_is_audited(app: TestApp) {
    let admin = app.admin_with_community().await;
    let m = member(&app, "asks_ada").await;
    let stranger = member(&app, "nosy_ned").await;
    let id = id_of(&app, "asks_ada").await;
    assert_eq!(
        app.call_as(
            &stranger,
            "admin_erase_member",
            &[("erase_handle", "asks_ada"), ("confirm", "asks_ada")]
        )
        .await
        .error(),
        AppError::Forbidden
    );
    let e = app
        .call_as(
            &admin,
            "admin_erase_member",
            &[("erase_handle", "asks_ada"), ("confirm", "asks_adb")],
        )
        .await
        .error();
    assert!(e.field_message("confirm").is_some());
    app.call_as(
        &admin,
        "admin_erase_member",
        &[("erase_handle", "asks_ada"), ("confirm", "@Asks_Ada")],
    )
    .await
    .ok();
    assert_eq!(app.whoami(&m).await, None);
    assert!(holders(&app, "asks_ada").await.is_empty());
    let log = app
        .call_as(&admin, "admin/audit_log", &[])
        .await
        .ok()
        .to_string();
    assert!(log.contains("erase_account"), "{log}");
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.actor_id \
                 WHERE a.action = 'erase_account' AND a.target_user_id = {id} AND u.handle = 'root_admin'"
            )
        )
        .await,
        1
    );
    let again = app
        .call_as(
            &admin,
            "admin_erase_member",
            &[
                ("erase_handle", &format!("deleted-{id}")),
                ("confirm", &format!("deleted-{id}")),
            ],
        )
        .await
        .error();
    assert!(
        again.field_message("erase_handle").is_some(),
        "an erased account is not found again"
    );
}

/// The files of a zip archive (as `app::privacy::export::zip` writes them: sizes in the local
/// headers), inflated.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    use std::io::Read;
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let u32_at = |i: usize| {
        u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize
    };
    let mut files = Vec::new();
    let mut i = 0;
    while i + 30 <= bytes.len() && u32_at(i) == 0x0403_4b50 {
        let (method, crc, packed, size) = (
            u16_at(i + 8),
            u32_at(i + 14),
            u32_at(i + 18),
            u32_at(i + 22),
        );
        let (name_len, extra) = (u16_at(i + 26), u16_at(i + 28));
        let name = String::from_utf8(bytes[i + 30..i + 30 + name_len].to_vec()).expect("name");
        let start = i + 30 + name_len + extra;
        assert_eq!(method, 8, "deflated");
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(&bytes[start..start + packed])
            .read_to_end(&mut raw)
            .expect("inflate");
        assert_eq!(raw.len(), size, "{name}: size");
        assert_eq!(crc32fast::hash(&raw) as usize, crc, "{name}: checksum");
        // Pictures are binary: their text here is only for `contains` checks.
        files.push((name, String::from_utf8_lossy(&raw).into_owned()));
        i = start + packed;
    }
    assert_eq!(
        u32_at(i),
        0x0201_4b50,
        "the central directory follows the files"
    );
    files
}

async fn exports_hold_their_data_and_nothing_of_others(app: TestApp) {
    let admin = app.admin_with_community().await;
    let ana = member(&app, "export_ana").await;
    let ben = member(&app, "export_ben").await;
    let cy = member(&app, "export_cy").await;
    member(&app, "owner_oz").await;
    north_clinic(&app, &admin).await;
    let mine = post(&app, &ana, "Ana asks about relapses", "ana-post-text").await;
    let picture =
        crate::pictures::upload(&app, &ana, "avatar", "me", "", &crate::pictures::tiny_png())
            .await
            .ok()
            .as_i64()
            .expect("picture id");
    let bens = post(&app, &ben, "Ben asks", "ben-post-text").await;
    reply(&app, &ana, bens, "ana-reply-text").await;
    reply(&app, &ben, mine, "ben-reply-text").await;
    app.call_as(&ana, "saved/toggle", &[("post_id", &bens.to_string())])
        .await
        .ok();
    app.call_as(
        &ana,
        "vote",
        &[("target", "post"), ("id", &bens.to_string())],
    )
    .await
    .ok();
    for (who, note) in [(&ana, "ana-listing-text"), (&ben, "ben-listing-text")] {
        app.call_as(
            who,
            "directory/ask_listing",
            &[
                ("name", "A practice"),
                ("city", "Berlin"),
                ("website", "practice.example.org"),
                ("role", "Nurse"),
                ("note", note),
            ],
        )
        .await
        .ok();
    }
    for (from, to, body) in [
        (&ana, "export_ben", "ana-to-ben"),
        (&ben, "export_ana", "ben-to-ana"),
        (&ben, "export_cy", "ben-to-cy"),
        (&cy, "export_ben", "cy-to-ben"),
    ] {
        app.call_as(from, "messages/send", &[("to", to), ("body", body)])
            .await
            .ok();
    }
    app.call_as(
        &ana,
        "directory/rate",
        &[
            ("slug", "north"),
            ("stars", "5"),
            ("wait_minutes", ""),
            ("body", "ana-rating-text"),
        ],
    )
    .await
    .ok();
    app.call_as(
        &ana,
        "directory/contact",
        &[
            ("slug", "north"),
            ("reason", "ana-request-text"),
            ("preferred_times", ""),
            ("contact_via", "Reply here"),
        ],
    )
    .await
    .ok();

    app.call_as(&ana, "request_export", &[]).await.ok();
    app.call_as(&ana, "request_export", &[]).await.ok(); // while one waits: still one
    let waiting = app.call_as(&ana, "my_privacy", &[]).await.ok();
    assert_eq!(waiting["exports"].as_array().map(Vec::len), Some(1));
    assert_eq!(waiting["exports"][0]["ready"], false);
    assert_eq!(
        app::privacy::export::run_pending(&app.db, "http://hc.example")
            .await
            .expect("job"),
        1
    );
    let ready = app.call_as(&ana, "my_privacy", &[]).await.ok();
    assert_eq!(ready["exports"][0]["ready"], true, "{ready}");
    let id = ready["exports"][0]["id"].as_i64().expect("id");
    // Told in the app and by mail, with the link.
    let mail: String = sqlx::query(
        "SELECT body FROM outbox WHERE to_addr = 'export_ana@example.org' AND subject = 'Your data is ready'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("mail")
    .get("body");
    assert!(
        mail.contains(&format!("http://hc.example/export/{id}")),
        "{mail}"
    );
    let notes = app
        .call_as(&ana, "notifications", &[])
        .await
        .ok()
        .to_string();
    assert!(notes.contains("Your data is ready"), "{notes}");

    // Only Ana downloads it; a visitor is sent to log in first.
    let url = format!("{}/export/{id}", app.base);
    let res = ana.get(&url).send().await.expect("download");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .contains("healthcommunity-export_ana-"));
    let files = unzip(&res.bytes().await.expect("bytes"));
    assert_eq!(ben.get(&url).send().await.expect("ben").status(), 404);
    let visitor = new_client().get(&url).send().await.expect("visitor");
    assert!(visitor.status().is_redirection());
    assert!(visitor.headers()["location"]
        .to_str()
        .expect("location")
        .starts_with("/login?next="));

    let file = |name: &str| -> String {
        files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| {
                panic!(
                    "{name} in {:?}",
                    files.iter().map(|f| &f.0).collect::<Vec<_>>()
                )
            })
            .1
            .clone()
    };
    let json = |name: &str| -> Vec<serde_json::Value> {
        serde_json::from_str(&file(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    assert!(file("index.html").contains("Ana asks about relapses"));
    assert_eq!(json("account.json")[0]["email"], "export_ana@example.org");
    assert_eq!(json("consents.json").len(), 1);
    assert!(file("posts.json").contains("ana-post-text"));
    assert!(file("saved.json").contains("Ben asks"));
    assert_eq!(json("pictures.json")[0]["id"].as_i64(), Some(picture));
    assert!(
        file(&format!("pictures/{picture}.jpg")).starts_with('\u{FFFD}'),
        "a JPEG file"
    );
    assert!(
        file("active_days.json").contains(&app::counting::day_of(app::db::now_ms()).to_string()),
        "today's activity is not in the export"
    );
    assert!(file("replies.json").contains("ana-reply-text"));
    assert_eq!(json("votes.json").len(), 1);
    assert!(file("ratings.json").contains("ana-rating-text"));
    assert_eq!(json("rating_versions.json").len(), 1);
    assert!(file("contact_requests.json").contains("ana-request-text"));
    assert!(file("listing_requests.json").contains("ana-listing-text"));
    assert!(!file("listing_requests.json").contains("ben-listing-text"));
    let messages = file("messages.json");
    assert!(
        messages.contains("ana-to-ben") && messages.contains("ben-to-ana"),
        "{messages}"
    );
    assert!(json("communities.json").len() == 1);
    assert!(!json("notifications.json").is_empty());
    assert!(!json("sessions.json").is_empty());
    // Nothing of others' beyond what Ana was shown: not Ben's other conversation, not his
    // post's text (she answered it; the thread is not hers), no other address.
    let everything: String = files.iter().map(|(_, t)| t.as_str()).collect();
    for other in [
        "ben-to-cy",
        "cy-to-ben",
        "ben-post-text",
        "ben-reply-text",
        "export_ben@example.org",
        "export_cy@example.org",
        "root_admin@example.org",
    ] {
        assert!(!everything.contains(other), "{other} is in Ana's export");
    }

    // Expired: gone for her too, and swept a day later.
    sqlx::query("UPDATE data_exports SET expires_at = 1000")
        .execute(&app.db.pool)
        .await
        .expect("expire");
    assert_eq!(ana.get(&url).send().await.expect("late").status(), 404);
    assert_eq!(
        app::privacy::export::sweep(&app.db, app::db::now_ms())
            .await
            .expect("sweep"),
        1
    );
}
