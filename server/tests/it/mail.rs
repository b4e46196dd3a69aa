//! E-mail on both backends: the daily digest (opt-in at sign-up, once per member per day with two workers racing, the opt-out link without login), e-mails at once per kind (answers and messages by default, one per thread per 15 minutes, nothing once read, per-kind choices, the opt-out link), invitations by e-mail with their limits, delivery through a real SMTP conversation, and account mails' links gone from the outbox once delivered.

use crate::common::{new_client, TestApp};
use app::db::Db;
use app::mail::repo::run_digests;
use healthcommunity::mailer::{deliver_pending, Mailer};
use reqwest::Client;
use sqlx::Row;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

both_backends!(
    the_digest_goes_out_once_a_day_to_those_who_asked,
    the_opt_out_link_works_without_login,
    invitations_by_email_are_sent_and_limited,
    mails_are_delivered_over_smtp,
    answers_and_messages_are_mailed_at_once_at_most_every_15_minutes,
    a_delivered_account_mail_keeps_no_link_in_the_outbox,
);

const PW: &str = "correct-horse-1";
const DAY: i64 = 86_400_000;

async fn member(app: &TestApp, handle: &str, digest: bool) -> Client {
    let c = outsider(app, handle, digest).await;
    app.call_as(&c, "community/join", &[("slug", "ms")])
        .await
        .ok();
    c
}

/// A member who has not joined the community.
async fn outsider(app: &TestApp, handle: &str, digest: bool) -> Client {
    let c = new_client();
    app.signup_with(
        &c,
        handle,
        PW,
        &[("digest", if digest { "yes" } else { "" })],
    )
    .await
    .ok();
    // Digests go only to proved addresses.
    app.verify_email(handle).await;
    c
}

/// The outbox rows for an address but account mails (the link that proved it: email.rs):
/// (kind, subject, body, status).
async fn outbox(db: &Db, to: &str) -> Vec<(String, String, String, String)> {
    sqlx::query(
        "SELECT kind, subject, body, status FROM outbox WHERE to_addr = $1 AND kind <> 'account' ORDER BY id",
    )
        .bind(to)
        .fetch_all(&db.pool)
        .await
        .expect("outbox")
        .iter()
        .map(|r| {
            (
                r.get("kind"),
                r.get("subject"),
                r.get("body"),
                r.get("status"),
            )
        })
        .collect()
}

/// The opt-out link's token in a mail body.
fn stop_token(body: &str) -> String {
    let at = body.find("/mail/stop/").expect("opt-out link") + "/mail/stop/".len();
    body[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn ask_and_answer(app: &TestApp, asker: &Client, answerer: &Client, title: &str) -> i64 {
    let post = app
        .call_as(
            asker,
            "post/create",
            &[
                ("community", "ms"),
                ("kind", "question"),
                ("title", title),
                ("body", "Has anyone tried this?"),
                ("tags", ""),
                ("visibility", "public"),
            ],
        )
        .await
        .ok()
        .as_i64()
        .expect("post id");
    let id = post.to_string();
    app.call_as(
        answerer,
        "reply/create",
        &[
            ("post_id", id.as_str()),
            ("body", "Yes, it helped me a lot."),
        ],
    )
    .await
    .ok();
    post
}

async fn the_digest_goes_out_once_a_day_to_those_who_asked(app: TestApp) {
    app.admin_with_community().await;
    let ann = member(&app, "ann_digest", true).await;
    let bob = member(&app, "bob_quiet", true).await;
    let cat = member(&app, "cat_nodigest", false).await;
    outsider(&app, "dee_quiet", true).await;
    // Ann gets an answer to her question (a notification), and Cat's question in Ann's
    // community is answered by Bob (a new answer in a joined community).
    ask_and_answer(
        &app,
        &ann,
        &cat,
        "Does cold water help with heat sensitivity?",
    )
    .await;
    ask_and_answer(&app, &cat, &bob, "Which cooling vest do you use?").await;
    let now = app::db::now_ms();
    // Ann chose the digest for answers too (they are e-mailed at once by default).
    sqlx::query("UPDATE users SET mail_now = 'message' WHERE handle = 'ann_digest'")
        .execute(&app.db.pool)
        .await
        .expect("mail choice");

    // Two workers (separate connection pools, like two app processes) race for the same day.
    let w1 = Db::connect(&app.db_url).await.expect("worker 1");
    let w2 = Db::connect(&app.db_url).await.expect("worker 2");
    let base = "https://community.example.org";
    let (r1, r2) = tokio::join!(run_digests(&w1, base, now), run_digests(&w2, base, now));
    let (r1, r2) = (r1.expect("run 1"), r2.expect("run 2"));
    assert_eq!(
        r1.claimed + r2.claimed,
        3,
        "Ann, Bob and Dee claimed once in all: {r1:?} {r2:?}"
    );

    let ann_mail = outbox(&app.db, "ann_digest@example.org").await;
    assert_eq!(ann_mail.len(), 1, "one digest for Ann: {ann_mail:?}");
    let (kind, subject, body, status) = &ann_mail[0];
    assert_eq!(kind, "digest");
    assert_eq!(status, "pending");
    assert!(subject.contains("notification"), "{subject}");
    assert!(
        body.contains(
            "@cat_nodigest answered your question “Does cold water help with heat sensitivity?”"
        ),
        "{body}"
    );
    assert!(
        body.contains("“Which cooling vest do you use?” (Multiple Sclerosis): 1 new answer"),
        "{body}"
    );
    assert!(
        body.contains(&format!("{base}/p/")),
        "links are absolute: {body}"
    );
    assert!(
        body.contains(&format!("{base}/mail/stop/")),
        "opt-out link: {body}"
    );
    // Bob hears of Cat's answer to Ann's question, not of his own answer.
    let bob_mail = outbox(&app.db, "bob_quiet@example.org").await;
    assert_eq!(bob_mail.len(), 1);
    assert!(bob_mail[0].2.contains(
        "“Does cold water help with heat sensitivity?” (Multiple Sclerosis): 1 new answer"
    ));
    assert!(!bob_mail[0].2.contains("cooling vest"), "{}", bob_mail[0].2);
    // Dee opted in but nothing happened in her (no) communities: no mail.
    assert!(outbox(&app.db, "dee_quiet@example.org").await.is_empty());
    // Cat did not opt in.
    assert!(outbox(&app.db, "cat_nodigest@example.org").await.is_empty());

    // The same day again (its last millisecond, so that a run near midnight cannot cross into
    // the next day): nothing more. The next day: the answer is older than a day, and a new
    // notification makes a new digest.
    let end_of_day = now - now % DAY + DAY - 1;
    let again = run_digests(&w1, base, end_of_day).await.expect("again");
    assert_eq!(again.claimed, 0);
    assert_eq!(outbox(&app.db, "ann_digest@example.org").await.len(), 1);
    ask_and_answer(&app, &ann, &bob, "Is a fan enough at night?").await;
    let next = run_digests(&w2, base, now + DAY).await.expect("next day");
    assert_eq!(next.claimed, 3);
    assert_eq!(outbox(&app.db, "ann_digest@example.org").await.len(), 2);

    // The member turns it off in the notification settings: no more digests.
    app.call_as(
        &ann,
        "notifications/settings",
        &[("on[]", "reply"), ("on[]", "answer")],
    )
    .await
    .ok();
    let page = app.call_as(&ann, "notifications", &[]).await.ok();
    assert_eq!(page["digest"], false);
    ask_and_answer(&app, &ann, &bob, "Night sweats and MS?").await;
    let later = run_digests(&w1, base, now + 2 * DAY).await.expect("later");
    assert_eq!(later.claimed, 2, "only Bob and Dee are still opted in");
    assert_eq!(outbox(&app.db, "ann_digest@example.org").await.len(), 2);
}

async fn the_opt_out_link_works_without_login(app: TestApp) {
    app.admin_with_community().await;
    let dan = member(&app, "dan_digest", true).await;
    let eve = member(&app, "eve_asks", false).await;
    ask_and_answer(&app, &dan, &eve, "Does magnesium help cramps?").await;
    run_digests(&app.db, &app.base, app::db::now_ms())
        .await
        .expect("digest");
    let mail = outbox(&app.db, "dan_digest@example.org").await;
    let token = stop_token(&mail[0].2);

    // An anonymous visitor with the link sees what it stops, and stops it with one post.
    let anon = new_client();
    let (status, html) = app.get(&format!("/mail/stop/{token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("the daily digest for @dan_digest"), "{html}");
    assert!(html.contains("Stop these e-mails"));
    app.call_as(&anon, "mail_stop", &[("token", token.as_str())])
        .await
        .ok();
    let (_, html) = app.get(&format!("/mail/stop/{token}")).await;
    assert!(html.contains("data-testid=\"mail-stopped\""), "{html}");
    assert!(!html.contains("Stop these e-mails"));
    let on: i64 = sqlx::query("SELECT digest_opt_in FROM users WHERE handle = 'dan_digest'")
        .fetch_one(&app.db.pool)
        .await
        .expect("user")
        .get("digest_opt_in");
    assert_eq!(on, 0);
    let page = app.call_as(&dan, "notifications", &[]).await.ok();
    assert_eq!(page["digest"], false);

    // A month on, the hourly sweep blanks the delivered mail's text; its link still works.
    let log = Mailer::new(None, None, "x@example.org").expect("log mailer");
    deliver_pending(&app.db, &log).await.expect("deliver");
    let later = app::db::now_ms() + 31 * DAY;
    // Every delivered mail with text: the digest and the sign-ups' verification links.
    let kept: i64 = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE body <> ''")
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
        .get("n");
    assert!(kept >= 1);
    assert_eq!(
        app::mail::repo::sweep_outbox(&app.db, later)
            .await
            .expect("sweep"),
        kept as u64
    );
    assert_eq!(outbox(&app.db, "dan_digest@example.org").await[0].2, "");
    let (status, _) = app.get(&format!("/mail/stop/{token}")).await;
    assert_eq!(status, 200);

    // A made-up token is not found, and changes nothing.
    let (status, _) = app.get("/mail/stop/not-a-real-token").await;
    assert_eq!(status, 404);
    let bad = app
        .call_as(&anon, "mail_stop", &[("token", "not-a-real-token")])
        .await;
    assert_eq!(bad.status, 404);
}

async fn invitations_by_email_are_sent_and_limited(app: TestApp) {
    app.admin_with_community().await;
    let fay = member(&app, "fay_invites", false).await;
    let code = app.call_as(&fay, "invites", &[]).await.ok()["code"]
        .as_str()
        .expect("code")
        .to_string();

    // No address, or a bad one: a field error (and nothing queued).
    let empty = app
        .call_as(
            &fay,
            "invite_by_email",
            &[("email", " "), ("community", "")],
        )
        .await;
    assert_eq!(
        empty.error().field_message("email").as_deref(),
        Some("Enter their e-mail address.")
    );
    let bad = app
        .call_as(
            &fay,
            "invite_by_email",
            &[("email", "not-an-address"), ("community", "")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.error().field_message("email").is_some());

    // A good one, into the community: the mail carries the link that joins it.
    let sent = app
        .call_as(
            &fay,
            "invite_by_email",
            &[("email", "Friend.One@Example.org"), ("community", "ms")],
        )
        .await;
    sent.ok();
    let mail = outbox(&app.db, "friend.one@example.org").await;
    assert_eq!(mail.len(), 1);
    let (kind, subject, body, _) = &mail[0];
    assert_eq!(kind, "invite");
    assert_eq!(subject, "@fay_invites invites you to HealthCommunity");
    assert!(body.contains(&format!("/join/{code}?c=ms")), "{body}");
    assert!(body.contains("Multiple Sclerosis"), "{body}");
    assert!(body.contains("/mail/stop/"), "{body}");

    // The same address again within a week: refused, whoever asks.
    let gus = member(&app, "gus_invites", false).await;
    let again = app
        .call_as(
            &gus,
            "invite_by_email",
            &[("email", "friend.one@example.org"), ("community", "")],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again
        .error()
        .field_message("email")
        .unwrap_or_default()
        .contains("last 7 days"));

    // The invitee opts out from the mail: nobody can invite the address any more.
    let anon = new_client();
    let token = stop_token(body);
    let (_, html) = app.get(&format!("/mail/stop/{token}")).await;
    assert!(
        html.contains("invitations to f…@example.org"),
        "address masked: {html}"
    );
    app.call_as(&anon, "mail_stop", &[("token", token.as_str())])
        .await
        .ok();
    sqlx::query("UPDATE outbox SET created_at = created_at - 8 * 86400000 WHERE to_addr = 'friend.one@example.org'")
        .execute(&app.db.pool)
        .await
        .expect("age the invitation");
    let refused = app
        .call_as(
            &gus,
            "invite_by_email",
            &[("email", "friend.one@example.org"), ("community", "")],
        )
        .await;
    assert!(refused
        .error()
        .field_message("email")
        .unwrap_or_default()
        .contains("asked not to"));

    // An existing member's address: the same answer as a sent invitation (status and body, so
    // that the form cannot tell who is a member), but no mail.
    let member_answer = app
        .call_as(
            &fay,
            "invite_by_email",
            &[("email", "gus_invites@example.org"), ("community", "ms")],
        )
        .await;
    assert_eq!(
        (member_answer.status, member_answer.body.as_str()),
        (sent.status, sent.body.as_str())
    );
    // Nothing is sent; the attempt is recorded (text-less) so that it counts like a real one.
    let kept = outbox(&app.db, "gus_invites@example.org").await;
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].2.as_str(), kept[0].3.as_str()), ("", "skipped"));

    // No spam cannon: 20 a day per member (the aged invitation no longer counts; the attempt
    // at the member's address above does).
    for i in 0..19 {
        let to = format!("person{i}@example.org");
        app.call_as(
            &fay,
            "invite_by_email",
            &[("email", to.as_str()), ("community", "")],
        )
        .await
        .ok();
    }
    // Twenty counted today: the nineteen just sent, each queued for its address, and the
    // attempt at the member's address.
    for i in 0..19 {
        let mail = outbox(&app.db, &format!("person{i}@example.org")).await;
        assert_eq!(mail.len(), 1, "person{i}");
        assert_eq!(
            (mail[0].0.as_str(), mail[0].3.as_str()),
            ("invite", "pending")
        );
    }
    let today: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'invite' AND sender_id = \
         (SELECT id FROM users WHERE handle = 'fay_invites') AND created_at > $1",
    )
    .bind(app::db::now_ms() - DAY)
    .fetch_one(&app.db.pool)
    .await
    .expect("count")
    .get("n");
    assert_eq!(today, 20);
    let over = app
        .call_as(
            &fay,
            "invite_by_email",
            &[("email", "one.too.many@example.org"), ("community", "")],
        )
        .await;
    assert_eq!(over.status, 422);
    assert!(over
        .error()
        .field_message("email")
        .unwrap_or_default()
        .contains("20 invitations"));
    assert!(outbox(&app.db, "one.too.many@example.org").await.is_empty());

    // Not logged in: refused.
    let anon_try = app
        .call_as(
            &new_client(),
            "invite_by_email",
            &[("email", "x@example.org"), ("community", "")],
        )
        .await;
    assert_eq!(anon_try.status, 401);
}

/// A mailer to a fresh fake SMTP server, and what that server receives.
async fn smtp_mailer() -> (Mailer, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let (port, received) = fake_smtp().await;
    let smtp = Mailer::new(
        Some(&format!("smtp://127.0.0.1:{port}")),
        None,
        "HealthCommunity <no-reply@example.org>",
    )
    .expect("mailer");
    (smtp, received)
}

/// The next mail the fake SMTP server received (its DATA section).
async fn next_mail(received: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(std::time::Duration::from_secs(5), received.recv())
        .await
        .expect("a mail arrived")
        .expect("data")
}

/// A minimal SMTP server that accepts every mail and hands each DATA section over.
async fn fake_smtp() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = sock.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 fake ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(d) = data.as_mut() {
                        if line == "." {
                            let _ = tx.send(std::mem::take(d));
                            data = None;
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            d.push_str(&line);
                            d.push('\n');
                        }
                        continue;
                    }
                    let verb = line.to_ascii_uppercase();
                    let reply: &[u8] = if verb.starts_with("EHLO") || verb.starts_with("HELO") {
                        b"250 fake\r\n"
                    } else if verb.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go on\r\n"
                    } else if verb.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, rx)
}

async fn mails_are_delivered_over_smtp(app: TestApp) {
    app.admin_with_community().await;
    let hal = member(&app, "hal_invites", false).await;
    // Lyn takes the digest; Hal answers her question (so that her digest has something to say).
    let lyn = member(&app, "lyn_digest", true).await;
    ask_and_answer(&app, &lyn, &hal, "Does the heat make it worse?").await;
    // The sign-ups' verification links go first, to the log.
    let log = Mailer::new(None, None, "x@example.org").expect("log mailer");
    deliver_pending(&app.db, &log).await.expect("deliver");
    app.call_as(
        &hal,
        "invite_by_email",
        &[("email", "ivy@example.org"), ("community", "")],
    )
    .await
    .ok();
    let (smtp, mut received) = smtp_mailer().await;
    assert_eq!(deliver_pending(&app.db, &smtp).await.expect("deliver"), 1);
    let data = next_mail(&mut received).await;
    assert!(data.contains("To: ivy@example.org"), "{data}");
    assert!(
        data.contains("Subject: @hal_invites invites you to HealthCommunity"),
        "{data}"
    );
    assert!(data.contains("/join/"), "{data}");
    assert!(data.contains("List-Unsubscribe: <"), "{data}");
    assert!(
        data.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{data}"
    );
    // The mail program's one-click button posts to the link: invitations to the address stop.
    let token = stop_token(&outbox(&app.db, "ivy@example.org").await[0].2);
    let res = new_client()
        .post(format!("{}/mail/stop/{token}", app.base))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("one-click");
    assert_eq!(res.status(), 200);
    let again = app
        .call_as(
            &hal,
            "invite_by_email",
            &[("email", "ivy@example.org"), ("community", "")],
        )
        .await;
    assert!(again
        .error()
        .field_message("email")
        .unwrap_or_default()
        .contains("asked not to"));
    assert_eq!(outbox(&app.db, "ivy@example.org").await[0].3, "sent");
    // Delivered mails are not sent again.
    assert_eq!(deliver_pending(&app.db, &smtp).await.expect("again"), 0);

    // A digest carries the one-click opt-out headers too.
    run_digests(&app.db, &app.base, app::db::now_ms())
        .await
        .expect("digests");
    assert_eq!(deliver_pending(&app.db, &smtp).await.expect("digest"), 1);
    let data = next_mail(&mut received).await;
    assert!(data.contains("To: lyn_digest@example.org"), "{data}");
    assert!(
        data.contains("Subject: Your HealthCommunity digest"),
        "{data}"
    );
    assert!(
        data.contains(&format!("List-Unsubscribe: <{}/mail/stop/", app.base)),
        "{data}"
    );
    assert!(
        data.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{data}"
    );

    // Without SMTP: the mail is written to the log and marked so in the outbox.
    app.call_as(
        &hal,
        "invite_by_email",
        &[("email", "jon@example.org"), ("community", "")],
    )
    .await
    .ok();
    let log = Mailer::new(None, None, "x@example.org").expect("log mailer");
    assert_eq!(deliver_pending(&app.db, &log).await.expect("log"), 1);
    assert_eq!(outbox(&app.db, "jon@example.org").await[0].3, "logged");

    // An unreachable server: the mail stays pending with the error, for a later attempt.
    app.call_as(
        &hal,
        "invite_by_email",
        &[("email", "kim@example.org"), ("community", "")],
    )
    .await
    .ok();
    let dead = Mailer::new(Some("smtp://127.0.0.1:9"), None, "x@example.org").expect("mailer");
    assert_eq!(deliver_pending(&app.db, &dead).await.expect("dead"), 0);
    assert_eq!(outbox(&app.db, "kim@example.org").await[0].3, "pending");
    let tries = || async {
        let r = sqlx::query(
            "SELECT attempts, status, error FROM outbox WHERE to_addr = 'kim@example.org'",
        )
        .fetch_one(&app.db.pool)
        .await
        .expect("row");
        (
            r.get::<i64, _>("attempts"),
            r.get::<String, _>("status"),
            r.get::<Option<String>, _>("error"),
        )
    };
    let (n, _, error) = tries().await;
    assert_eq!(n, 1);
    assert!(error.is_some_and(|e| !e.is_empty()), "the error is kept");
    // Not again within the minute…
    deliver_pending(&app.db, &dead).await.expect("too soon");
    assert_eq!(tries().await.0, 1);
    // …but after it, up to five attempts in all; then it is given up as failed.
    for attempt in 2..=5 {
        sqlx::query(
            "UPDATE outbox SET claimed_at = claimed_at - 61000 WHERE to_addr = 'kim@example.org'",
        )
        .execute(&app.db.pool)
        .await
        .expect("a minute passes");
        deliver_pending(&app.db, &dead).await.expect("retry");
        let (n, status, _) = tries().await;
        assert_eq!(n, attempt);
        assert_eq!(status, if attempt < 5 { "pending" } else { "failed" });
    }
    sqlx::query(
        "UPDATE outbox SET claimed_at = claimed_at - 61000 WHERE to_addr = 'kim@example.org'",
    )
    .execute(&app.db.pool)
    .await
    .expect("a minute passes");
    deliver_pending(&app.db, &dead).await.expect("given up");
    assert_eq!(tries().await.0, 5);
}

/// HC_DIGEST_HOUR: the mail job sends the day's digests from that hour (UTC) on, not before.
#[test]
fn digests_wait_for_the_digest_hour() {
    use healthcommunity::mailer::digests_due;
    // 2026-03-01 00:00 UTC, in ms.
    let midnight = 1_772_323_200_000_i64;
    let hour = 3_600_000;
    assert!(!digests_due(midnight, 7));
    assert!(!digests_due(midnight + 7 * hour - 1, 7), "06:59:59.999");
    assert!(digests_due(midnight + 7 * hour, 7), "07:00");
    assert!(digests_due(midnight + 23 * hour, 7), "23:00");
    assert!(
        !digests_due(midnight + DAY + 6 * hour, 7),
        "the next morning waits again"
    );
    assert!(digests_due(midnight, 0), "hour 0: from midnight");
    assert!(
        !digests_due(midnight + 23 * hour, 24),
        "an hour past 23 never comes"
    );
}

/// The e-mails sent at once to an address: (subject, body).
async fn notices(db: &Db, to: &str) -> Vec<(String, String)> {
    outbox(db, to)
        .await
        .into_iter()
        .filter(|m| m.0 == "notice")
        .map(|m| (m.1, m.2))
        .collect()
}

async fn answers_and_messages_are_mailed_at_once_at_most_every_15_minutes(app: TestApp) {
    use app::mail::repo::send_notices;
    app.admin_with_community().await;
    let ann = member(&app, "ann_asks", false).await;
    let bob = member(&app, "bob_answers", false).await;
    let cat = member(&app, "cat_answers", false).await;
    let base = "http://hc.example";
    let to = "ann_asks@example.org";
    let t0 = app::db::now_ms();
    let post = ask_and_answer(&app, &ann, &bob, "Does cold water help spasms?").await;
    // Nothing is sent in the writer's request: the job sends it.
    assert!(notices(&app.db, to).await.is_empty());
    assert_eq!(send_notices(&app.db, base, t0).await.expect("job"), 1);
    let mail = notices(&app.db, to).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0].0,
        "@bob_answers answered your question “Does cold water help spasms?”"
    );
    assert!(
        mail[0].1.contains(&format!("{base}/p/{post}#r")),
        "{}",
        mail[0].1
    );
    assert!(mail[0].1.contains("/mail/stop/"));

    // Two more answers within 15 minutes wait, and then go as one.
    let id = post.to_string();
    for (c, words) in [
        (&cat, "Cold showers, yes."),
        (&bob, "And stretching after."),
    ] {
        app.call_as(
            c,
            "reply/create",
            &[("post_id", id.as_str()), ("body", words)],
        )
        .await
        .ok();
    }
    assert_eq!(
        send_notices(&app.db, base, t0 + 60_000).await.expect("job"),
        0
    );
    assert_eq!(
        send_notices(&app.db, base, t0 + 16 * 60_000)
            .await
            .expect("job"),
        1
    );
    let mail = notices(&app.db, to).await;
    assert_eq!(mail.len(), 2);
    assert!(mail[1].0.ends_with("(and 1 more)"), "{}", mail[1].0);
    // Nothing more until something new.
    assert_eq!(
        send_notices(&app.db, base, t0 + 40 * 60_000)
            .await
            .expect("job"),
        0
    );

    // Read in the app before the 15 minutes are over: no e-mail.
    app.call_as(
        &cat,
        "reply/create",
        &[("post_id", id.as_str()), ("body", "One more idea.")],
    )
    .await
    .ok();
    app.call_as(&ann, "post", &[("id", id.as_str())]).await.ok();
    assert_eq!(
        send_notices(&app.db, base, t0 + 60 * 60_000)
            .await
            .expect("job"),
        0
    );
    assert_eq!(notices(&app.db, to).await.len(), 2);

    // A direct message is e-mailed at once too; a member without a proved address gets nothing.
    app.call_as(
        &bob,
        "messages/send",
        &[("to", "ann_asks"), ("body", "Hello Ann!")],
    )
    .await
    .ok();
    assert_eq!(
        send_notices(&app.db, base, t0 + 61 * 60_000)
            .await
            .expect("job"),
        1
    );
    assert!(notices(&app.db, to).await[2].0.contains("bob_answers"));
    let unproved = new_client();
    app.signup_as(&unproved, "dee_unproved", PW).await.ok();
    app.call_as(
        &bob,
        "messages/send",
        &[("to", "dee_unproved"), ("body", "Hello Dee!")],
    )
    .await
    .ok();
    send_notices(&app.db, base, t0 + 62 * 60_000)
        .await
        .expect("job");
    assert!(notices(&app.db, "dee_unproved@example.org")
        .await
        .is_empty());

    // Per kind: answers never by e-mail, messages in the digest.
    app.call_as(
        &ann,
        "notifications/settings",
        &[
            ("on[]", "answer"),
            ("on[]", "message"),
            ("mail[]", "answer:never"),
            ("mail[]", "message:digest"),
            ("mail[]", "mention:now"),
        ],
    )
    .await
    .ok();
    let page = app.call_as(&ann, "notifications", &[]).await.ok();
    let modes: Vec<(String, String)> = serde_json::from_value(page["mail"].clone()).expect("modes");
    let mode = |k: &str| {
        modes
            .iter()
            .find(|(kind, _)| kind == k)
            .map(|(_, m)| m.clone())
    };
    assert_eq!(
        (
            mode("answer"),
            mode("message"),
            mode("mention"),
            mode("reply")
        ),
        (
            Some("never".into()),
            Some("digest".into()),
            Some("now".into()),
            Some("digest".into())
        )
    );
    ask_and_answer(&app, &ann, &cat, "Is swimming good for balance?").await;
    app.call_as(
        &bob,
        "messages/send",
        &[("to", "ann_asks"), ("body", "Another hello.")],
    )
    .await
    .ok();
    send_notices(&app.db, base, t0 + 90 * 60_000)
        .await
        .expect("job");
    assert_eq!(
        notices(&app.db, to).await.len(),
        3,
        "a kind she turned off was e-mailed"
    );

    // The opt-out link of an e-mail at once stops them all, without login.
    app.call_as(&ann, "notifications/settings", &[("mail[]", "answer:now")])
        .await
        .ok();
    let token = stop_token(&notices(&app.db, to).await[0].1);
    let (status, html) = app.get(&format!("/mail/stop/{token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("e-mails sent at once"), "{html}");
    app.call_as(&new_client(), "mail_stop", &[("token", token.as_str())])
        .await
        .ok();
    let now: String = sqlx::query("SELECT mail_now FROM users WHERE handle = 'ann_asks'")
        .fetch_one(&app.db.pool)
        .await
        .expect("user")
        .get("mail_now");
    assert_eq!(now, "");
}

/// The account mail (verification link, password reset) of `address`: its text and status.
async fn account_mail(db: &Db, address: &str) -> (String, String) {
    sqlx::query_as(
        "SELECT body, status FROM outbox WHERE to_addr = $1 AND kind = 'account' ORDER BY id DESC LIMIT 1",
    )
    .bind(address)
    .fetch_one(&db.pool)
    .await
    .expect("an account mail")
}

/// An account mail carries a link that verifies an address or sets a password (stored elsewhere
/// as a hash only): once delivered (SMTP, or a file in the mail folder) its text is gone from the
/// outbox, so a copy of the database holds no working link; the link itself still works. Only a
/// mail that went nowhere but the log keeps it, and other kinds keep theirs for 30 days.
async fn a_delivered_account_mail_keeps_no_link_in_the_outbox(app: TestApp) {
    let c = new_client();
    app.signup_as(&c, "val_verify", PW).await.ok();
    let address = "val_verify@example.org";
    let (body, status) = account_mail(&app.db, address).await;
    assert!(
        body.contains("/verify/") && status == "pending",
        "{status}: {body}"
    );
    let (smtp, mut received) = smtp_mailer().await;
    assert_eq!(deliver_pending(&app.db, &smtp).await.expect("deliver"), 1);
    let data = next_mail(&mut received).await;
    assert!(data.contains("/verify/"), "{data}");
    assert_eq!(
        account_mail(&app.db, address).await,
        (String::new(), "sent".into())
    );

    // Written into the mail folder: the file has the link, the outbox not; the link works.
    let dir = std::env::temp_dir().join(format!("hc-mail-{}", app::db::now_ms()));
    std::fs::create_dir_all(&dir).expect("mail folder");
    app.call_as(&new_client(), "forgot_password", &[("email", address)])
        .await;
    let folder = Mailer::new(None, Some(&dir), "x@example.org").expect("mailer");
    assert_eq!(deliver_pending(&app.db, &folder).await.expect("deliver"), 1);
    assert_eq!(
        account_mail(&app.db, address).await,
        (String::new(), "logged".into())
    );
    let file = std::fs::read_dir(&dir)
        .expect("mail folder")
        .filter_map(Result::ok)
        .find_map(|f| std::fs::read_to_string(f.path()).ok())
        .expect("the mail's file");
    let token = file
        .split_whitespace()
        .find_map(|w| w.split_once("/reset/").map(|(_, t)| t.to_string()))
        .expect("a reset link in the file");
    let _ = std::fs::remove_dir_all(&dir);
    let d = new_client();
    app.call_as(
        &d,
        "reset_password",
        &[("token", &token), ("new_password", "a-new-password-7")],
    )
    .await
    .ok();
    assert_eq!(app.whoami(&d).await.as_deref(), Some("val_verify"));

    // Only to the log (no SMTP, no folder): the outbox is the mail's one copy, and keeps it.
    app.call_as(&new_client(), "forgot_password", &[("email", address)])
        .await;
    let log = Mailer::new(None, None, "x@example.org").expect("log mailer");
    // "Your password was changed", then the new link.
    assert_eq!(deliver_pending(&app.db, &log).await.expect("log"), 2);
    let (body, status) = account_mail(&app.db, address).await;
    assert!(
        body.contains("/reset/") && status == "logged",
        "{status}: {body}"
    );
}
