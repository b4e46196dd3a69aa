//! Server-only e-mail storage: queueing into the outbox, e-mails at once for the kinds a member chose (at most one per thread per 15 minutes), the daily digest (one per member per day across workers), claiming mails for delivery, and opt-outs.

use super::types::*;
use crate::auth::repo::{hash_token, new_token};
use crate::db::{now_ms, Db};
use crate::error::AppError;
use sqlx::Row;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 (UTC).
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// One mail to queue.
pub struct Mail<'a> {
    /// The member it is for (digests); `None` for an address that is not a member yet.
    pub user: Option<i64>,
    pub sender: Option<i64>,
    pub kind: &'static str,
    pub to: &'a str,
    pub subject: String,
    pub body: String,
}

/// Queues a mail in the caller's transaction, with the opt-out link appended to its text.
pub async fn queue(
    tx: &mut Tx<'_>,
    base_url: &str,
    mail: Mail<'_>,
    now: i64,
) -> Result<(), AppError> {
    let token = new_token();
    let link = format!("{}/mail/stop/{token}", base_url.trim_end_matches('/'));
    let footer = match mail.kind {
        // Account mails have no opt-out: they go only when the member (or someone typing their
        // address) asks, and say so.
        "account" => format!(
            "This e-mail is about your HealthCommunity account ({}); it is not a newsletter.",
            base_url.trim_end_matches('/')
        ),
        // Safety alerts go to the moderators of a place while they moderate it; they stop
        // when the role does, not by a link.
        "safety" => format!(
            "You get this e-mail because you moderate on HealthCommunity ({}).",
            base_url.trim_end_matches('/')
        ),
        "request" => format!(
            "You get this e-mail because you are on a clinic's staff on HealthCommunity ({}). \
             Turn these off under Settings, Notifications: \"New contact requests to a clinic I work for\".",
            base_url.trim_end_matches('/')
        ),
        "digest" => format!(
            "You get this e-mail because you asked for the daily digest.\nStop it with one click, no login needed: {link}"
        ),
        "notice" => format!(
            "You get this e-mail because you asked to hear of this at once. Choose what we e-mail on {}/notifications.\n\
             Stop every e-mail sent at once with one click, no login needed (the daily digest stays as you set it): {link}",
            base_url.trim_end_matches('/')
        ),
        _ => format!(
            "Don't want invitations to HealthCommunity? One click and nobody can invite this address again: {link}"
        ),
    };
    sqlx::query(
        "INSERT INTO outbox (user_id, sender_id, kind, to_addr, subject, body, token, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(mail.user)
    .bind(mail.sender)
    .bind(mail.kind)
    .bind(mail.to)
    .bind(&mail.subject)
    .bind(format!("{}\n\n-- \n{footer}\n", mail.body.trim_end()))
    .bind(hash_token(&token))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records an invitation that is not sent (the address already has an account) exactly like a
/// sent one, minus the text: it counts toward the sender's daily limit and the re-invite pause,
/// so the form answers members and non-members alike.
pub async fn record_unsent_invite(
    tx: &mut Tx<'_>,
    sender: i64,
    to: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO outbox (user_id, sender_id, kind, to_addr, subject, body, token, status, created_at) \
         VALUES (NULL, $1, 'invite', $2, '', '', $3, 'skipped', $4)",
    )
    .bind(sender)
    .bind(to)
    .bind(hash_token(&new_token()))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What one run of the digest job did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DigestRun {
    /// Members whose digest day this worker claimed.
    pub claimed: usize,
    /// Digests queued (a member with nothing new gets none).
    pub queued: usize,
}

/// Queues today's digest for every member who opted in and has not had today's yet. Several
/// workers may run this at once: each member's day is claimed by a conditional UPDATE in the
/// transaction that queues the mail, so exactly one worker sends it.
pub async fn run_digests(db: &Db, base_url: &str, now: i64) -> Result<DigestRun, AppError> {
    let today = day_of(now);
    let mut run = DigestRun::default();
    loop {
        let ids: Vec<i64> = sqlx::query(
            "SELECT id FROM users WHERE digest_opt_in = 1 AND digest_day < $1 AND email_verified_at IS NOT NULL \
             AND consent_withdrawn_at IS NULL ORDER BY digest_day, id LIMIT 100",
        )
        .bind(today)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(run);
        }
        for id in ids {
            let mut tx = db.begin_write().await?;
            let claimed = sqlx::query(
                "UPDATE users SET digest_day = $1 WHERE id = $2 AND digest_opt_in = 1 AND digest_day < $1 \
                 AND email_verified_at IS NOT NULL AND consent_withdrawn_at IS NULL",
            )
            .bind(today)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 1 {
                run.claimed += 1;
                if queue_digest(&mut tx, base_url, id, now).await? {
                    run.queued += 1;
                }
            }
            tx.commit().await?;
        }
    }
}

/// Writes one member's digest (unread notifications of the last day and new answers in their
/// communities); returns false when there is nothing to tell.
async fn queue_digest(
    tx: &mut Tx<'_>,
    base_url: &str,
    user: i64,
    now: i64,
) -> Result<bool, AppError> {
    let since = now - DAY_MS;
    let base = base_url.trim_end_matches('/');
    let u = sqlx::query(
        "SELECT handle, email, unread_notifications, mail_now, mail_never FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    let handle: String = u.try_get("handle")?;
    let email: String = u.try_get("email")?;
    let unread: i64 = u.try_get("unread_notifications")?;
    // Kinds e-mailed at once, or never by e-mail, stay out of the digest.
    let skip: Vec<String> = [
        u.try_get::<String, _>("mail_now")?,
        u.try_get::<String, _>("mail_never")?,
    ]
    .iter()
    .flat_map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
    .collect();
    let notes = sqlx::query(
        "SELECT kind, text, link FROM notifications WHERE user_id = $1 AND read_at IS NULL AND created_at > $2 \
         ORDER BY id DESC LIMIT 50",
    )
    .bind(user)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get::<String, _>("kind")?,
            r.try_get::<String, _>("text")?,
            r.try_get::<String, _>("link")?,
        ))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?
    .into_iter()
    .filter(|(kind, ..)| !skip.contains(kind))
    .take(10)
    .map(|(_, text, link)| (text, link))
    .collect::<Vec<_>>();
    // Questions active in the member's communities during the last day (index on community and
    // last activity), with the answers (top-level replies) others gave since then. Group posts
    // stay out: a digest is about communities (group news arrives as notifications).
    let answered = sqlx::query(
        "SELECT p.id, p.title, c.name AS community, \
           (SELECT COUNT(*) FROM replies r WHERE r.post_id = p.id AND r.parent_id IS NULL \
              AND r.deleted_at IS NULL AND r.held_at IS NULL AND r.removed_at IS NULL AND r.created_at > $2 AND r.author_id <> $1) AS answers \
         FROM community_members m \
         JOIN posts p ON p.community_id = m.community_id \
         JOIN communities c ON c.id = p.community_id \
         WHERE m.user_id = $1 AND p.deleted_at IS NULL AND p.last_activity_at > $2 AND p.kind = 'question' \
           AND p.group_id IS NULL AND ((p.held_at IS NULL AND p.removed_at IS NULL) OR p.author_id = $1) \
         ORDER BY p.last_activity_at DESC LIMIT 30",
    )
    .bind(user)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get::<i64, _>("id")?,
            r.try_get::<String, _>("title")?,
            r.try_get::<String, _>("community")?,
            r.try_get::<i64, _>("answers")?,
        ))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?
    .into_iter()
    .filter(|a| a.3 > 0)
    .take(5)
    .collect::<Vec<_>>();
    if notes.is_empty() && answered.is_empty() {
        return Ok(false);
    }
    let mut body =
        format!("Hello @{handle},\n\nHere is what happened on HealthCommunity since yesterday.\n");
    if !notes.is_empty() {
        body.push_str(&format!("\nUnread notifications ({unread} in all):\n"));
        for (text, link) in &notes {
            body.push_str(&format!("- {text}\n  {base}{link}\n"));
        }
    }
    if !answered.is_empty() {
        body.push_str("\nNew answers in your communities:\n");
        for (id, title, community, n) in &answered {
            let answers = if *n == 1 {
                "1 new answer".to_string()
            } else {
                format!("{n} new answers")
            };
            body.push_str(&format!(
                "- “{title}” ({community}): {answers}\n  {base}/p/{id}\n"
            ));
        }
    }
    body.push_str(&format!("\nAll your notifications: {base}/notifications\n"));
    let subject = match (notes.len(), answered.len()) {
        (0, a) => format!(
            "Your HealthCommunity digest: new answers to {a} question{}",
            plural(a)
        ),
        (n, 0) => format!(
            "Your HealthCommunity digest: {n} new notification{}",
            plural(n)
        ),
        (n, a) => format!(
            "Your HealthCommunity digest: {n} new notification{}, answers to {a} question{}",
            plural(n),
            plural(a)
        ),
    };
    queue(
        tx,
        base_url,
        Mail {
            user: Some(user),
            sender: None,
            kind: "digest",
            to: &email,
            subject,
            body,
        },
        now,
    )
    .await?;
    Ok(true)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A mail claimed for delivery.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Claims up to `limit` pending mails for this worker (a conditional UPDATE, so two workers never
/// send the same mail). A mail whose last attempt failed waits a minute before the next one;
/// mails claimed more than ten minutes ago by a worker that died go back to pending first.
pub async fn claim_pending(db: &Db, limit: i64) -> Result<Vec<Outgoing>, AppError> {
    let now = now_ms();
    sqlx::query(
        "UPDATE outbox SET status = 'pending' WHERE status = 'sending' AND claimed_at < $1",
    )
    .bind(now - 10 * 60 * 1000)
    .execute(&db.pool)
    .await?;
    let rows = sqlx::query(
        "UPDATE outbox SET status = 'sending', claimed_at = $1, attempts = attempts + 1 \
         WHERE status = 'pending' AND id IN (SELECT id FROM outbox WHERE status = 'pending' \
           AND (claimed_at IS NULL OR claimed_at < $3) ORDER BY id LIMIT $2) \
         RETURNING id, to_addr, subject, body",
    )
    .bind(now)
    .bind(limit)
    .bind(now - 60_000)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Outgoing {
                id: r.try_get("id")?,
                to: r.try_get("to_addr")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// How one delivery attempt ended.
pub enum Delivery {
    /// Accepted by the SMTP server.
    Sent,
    /// No SMTP server configured: written to the log.
    Logged,
    /// The SMTP server refused it or could not be reached; retried up to five attempts.
    Failed(String),
}

pub async fn record_delivery(db: &Db, id: i64, outcome: Delivery) -> Result<(), AppError> {
    let now = now_ms();
    let q = match &outcome {
        Delivery::Sent => sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1, error = NULL WHERE id = $2")
            .bind(now)
            .bind(id),
        Delivery::Logged => sqlx::query("UPDATE outbox SET status = 'logged', sent_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id),
        Delivery::Failed(e) => sqlx::query(
            "UPDATE outbox SET status = CASE WHEN attempts >= 5 THEN 'failed' ELSE 'pending' END, error = $1 WHERE id = $2",
        )
        .bind(e.chars().take(500).collect::<String>())
        .bind(id),
    };
    q.execute(&db.pool).await?;
    Ok(())
}

/// The mail behind an opt-out token: (kind, member, address).
async fn by_token(db: &Db, token: &str) -> Result<(String, Option<i64>, String), AppError> {
    let r = sqlx::query("SELECT kind, user_id, to_addr FROM outbox WHERE token = $1")
        .bind(hash_token(token.trim()))
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        r.try_get("kind")?,
        r.try_get("user_id")?,
        r.try_get("to_addr")?,
    ))
}

pub async fn stop_view(db: &Db, token: &str) -> Result<StopView, AppError> {
    let (kind, user, address) = by_token(db, token).await?;
    match (kind.as_str(), user) {
        ("account", _) => Err(AppError::NotFound),
        ("notice", Some(user)) => {
            let r = sqlx::query("SELECT handle, mail_now FROM users WHERE id = $1")
                .bind(user)
                .fetch_one(&db.pool)
                .await?;
            Ok(StopView {
                what: format!(
                    "e-mails sent at once (answers, messages, …) for @{}",
                    r.try_get::<String, _>("handle")?
                ),
                done: r.try_get::<String, _>("mail_now")?.trim().is_empty(),
                digest: true,
            })
        }
        ("digest", Some(user)) => {
            let r = sqlx::query("SELECT handle, digest_opt_in FROM users WHERE id = $1")
                .bind(user)
                .fetch_one(&db.pool)
                .await?;
            Ok(StopView {
                what: format!(
                    "the daily digest for @{}",
                    r.try_get::<String, _>("handle")?
                ),
                done: r.try_get::<i64, _>("digest_opt_in")? == 0,
                digest: true,
            })
        }
        _ => {
            let done = sqlx::query("SELECT 1 AS one FROM mail_optouts WHERE address = $1")
                .bind(&address)
                .fetch_optional(&db.pool)
                .await?
                .is_some();
            Ok(StopView {
                what: format!("invitations to {}", mask_address(&address)),
                done,
                digest: false,
            })
        }
    }
}

pub async fn stop(db: &Db, token: &str) -> Result<(), AppError> {
    let (kind, user, address) = by_token(db, token).await?;
    match (kind.as_str(), user) {
        ("account", _) => return Err(AppError::NotFound),
        ("notice", Some(user)) => {
            sqlx::query("UPDATE users SET mail_now = '' WHERE id = $1")
                .bind(user)
                .execute(&db.pool)
                .await?;
            tracing::info!(user_id = user, "e-mails at once stopped from a mail link");
        }
        ("digest", Some(user)) => {
            sqlx::query("UPDATE users SET digest_opt_in = 0 WHERE id = $1")
                .bind(user)
                .execute(&db.pool)
                .await?;
            tracing::info!(user_id = user, "daily digest stopped from a mail link");
        }
        _ => {
            sqlx::query(
                "INSERT INTO mail_optouts (address, created_at) VALUES ($1, $2) ON CONFLICT (address) DO NOTHING",
            )
            .bind(&address)
            .bind(now_ms())
            .execute(&db.pool)
            .await?;
        }
    }
    Ok(())
}

/// Days the text of a delivered mail is kept before the hourly sweep blanks it.
pub const KEEP_TEXT_DAYS: i64 = 30;

/// Blanks the text of mails delivered (or given up) more than [`KEEP_TEXT_DAYS`] ago. The rows
/// stay, so an old opt-out link still works and recent invitations still count, but the
/// notification texts and links a digest carried are not kept for ever.
pub async fn sweep_outbox(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "UPDATE outbox SET body = '' WHERE body <> '' AND created_at < $1 \
         AND status IN ('sent', 'logged', 'failed')",
    )
    .bind(now - KEEP_TEXT_DAYS * DAY_MS)
    .execute(&db.pool)
    .await?
    .rows_affected())
}

/// Turns the member's digest on or off (settings, sign-up).
pub async fn set_digest(db: &Db, user: i64, on: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET digest_opt_in = $1 WHERE id = $2")
        .bind(on as i64)
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Minutes between two e-mails about the same thread (or conversation) to one member.
pub const NOTICE_GAP_MS: i64 = 15 * 60_000;

/// Notes, in the writer's transaction, that `user` should hear of a notification by e-mail if
/// they want its `kind` at once (and may get mail): the e-mail goes with the next run of
/// [`send_notices`], at most one per `key` (a thread, a conversation) per [`NOTICE_GAP_MS`].
pub async fn notice(
    tx: &mut Tx<'_>,
    user: i64,
    (kind, actor): (&str, i64),
    key: &str,
    (text, link): (&str, &str),
) -> Result<(), AppError> {
    let wants = sqlx::query(
        "SELECT mail_now FROM users WHERE id = $1 AND email_verified_at IS NOT NULL \
         AND consent_withdrawn_at IS NULL",
    )
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| r.try_get::<String, _>("mail_now"))
    .transpose()?
    .is_some_and(|now| now.split_whitespace().any(|k| k == kind));
    if !wants {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO mail_throttle (user_id, key, last_sent_at, pending, pending_kind, pending_text, pending_link, pending_actor) \
         VALUES ($1, $2, 0, 1, $3, $4, $5, $6) \
         ON CONFLICT (user_id, key) DO UPDATE SET pending = mail_throttle.pending + 1, \
           pending_kind = excluded.pending_kind, pending_text = excluded.pending_text, \
           pending_link = excluded.pending_link, pending_actor = excluded.pending_actor",
    )
    .bind(user)
    .bind(key)
    .bind(kind)
    .bind(text)
    .bind(link)
    .bind(actor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues the e-mails that are due: for each member and thread (or conversation) with something
/// new and no e-mail about it in the last [`NOTICE_GAP_MS`], one e-mail with the latest news and
/// how many more there were. Nothing when the member read it in the app meanwhile, or no longer
/// wants that kind at once. Several workers may run this: each row is claimed by a conditional
/// UPDATE. Returns how many e-mails were queued.
pub async fn send_notices(db: &Db, base_url: &str, now: i64) -> Result<usize, AppError> {
    let base = base_url.trim_end_matches('/');
    let due = sqlx::query(
        "SELECT t.user_id, t.key, t.last_sent_at, t.pending, t.pending_kind, t.pending_text, t.pending_link \
         FROM mail_throttle t WHERE t.pending > 0 AND t.last_sent_at <= $1 ORDER BY t.last_sent_at LIMIT 200",
    )
    .bind(now - NOTICE_GAP_MS)
    .fetch_all(&db.pool)
    .await?;
    let mut queued = 0;
    for r in &due {
        let user: i64 = r.try_get("user_id")?;
        let key: String = r.try_get("key")?;
        let pending: i64 = r.try_get("pending")?;
        let kind: String = r.try_get("pending_kind")?;
        let text: String = r.try_get("pending_text")?;
        let link: String = r.try_get("pending_link")?;
        let mut tx = db.begin_write().await?;
        let claimed = sqlx::query(
            "UPDATE mail_throttle SET pending = 0, last_sent_at = $1 \
             WHERE user_id = $2 AND key = $3 AND pending = $4 AND last_sent_at = $5",
        )
        .bind(now)
        .bind(user)
        .bind(&key)
        .bind(pending)
        .bind(r.try_get::<i64, _>("last_sent_at")?)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            continue;
        }
        let u = sqlx::query(
            "SELECT handle, email, mail_now FROM users WHERE id = $1 AND email_verified_at IS NOT NULL \
             AND consent_withdrawn_at IS NULL",
        )
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(u) = u else {
            tx.commit().await?;
            continue;
        };
        let still_wanted = u
            .try_get::<String, _>("mail_now")?
            .split_whitespace()
            .any(|k| k == kind);
        // Read in the app since: nothing to tell.
        let unread = match key.strip_prefix("post:").and_then(|p| p.parse::<i64>().ok()) {
            Some(post) => sqlx::query(
                "SELECT 1 AS one FROM notifications WHERE user_id = $1 AND post_id = $2 AND read_at IS NULL",
            )
            .bind(user)
            .bind(post)
            .fetch_optional(&mut *tx)
            .await?
            .is_some(),
            None => true,
        };
        if still_wanted && unread {
            let handle: String = u.try_get("handle")?;
            let email: String = u.try_get("email")?;
            let (subject, more) = if pending == 1 {
                (text.clone(), String::new())
            } else {
                (
                    format!("{text} (and {} more)", pending - 1),
                    format!(
                        "\n{} more about the same since our last e-mail: all of it is on the page.\n",
                        pending - 1
                    ),
                )
            };
            let body = format!("Hello @{handle},\n\n{text}\n{base}{link}\n{more}");
            queue(
                &mut tx,
                base_url,
                Mail {
                    user: Some(user),
                    sender: None,
                    kind: "notice",
                    to: &email,
                    subject,
                    body,
                },
                now,
            )
            .await?;
            queued += 1;
        }
        tx.commit().await?;
    }
    // Rows with nothing waiting and no e-mail for a day carry nothing worth keeping.
    sqlx::query("DELETE FROM mail_throttle WHERE pending = 0 AND last_sent_at < $1")
        .bind(now - DAY_MS)
        .execute(&db.pool)
        .await?;
    Ok(queued)
}

/// The member's e-mail choice for each kind: `now`, `digest` or `never`.
pub async fn mail_modes(db: &Db, user: i64) -> Result<Vec<(String, String)>, AppError> {
    let r = sqlx::query("SELECT mail_now, mail_never FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&db.pool)
        .await?;
    let now: String = r.try_get("mail_now")?;
    let never: String = r.try_get("mail_never")?;
    Ok(crate::notifications::types::KINDS
        .iter()
        .map(|(k, _)| {
            let mode = if now.split_whitespace().any(|x| x == *k) {
                "now"
            } else if never.split_whitespace().any(|x| x == *k) {
                "never"
            } else {
                "digest"
            };
            (k.to_string(), mode.to_string())
        })
        .collect())
}

/// Sets the member's e-mail choice per kind from `kind:mode` pairs (unknown kinds and modes
/// are ignored; a kind not given keeps the daily digest).
pub async fn set_mail_modes(db: &Db, user: i64, pairs: &[String]) -> Result<(), AppError> {
    let mut now = Vec::new();
    let mut never = Vec::new();
    for (k, _) in crate::notifications::types::KINDS {
        let mode = pairs
            .iter()
            .filter_map(|p| p.split_once(':'))
            .find(|(kind, _)| kind == k)
            .map(|(_, m)| m);
        match mode {
            Some("now") => now.push(*k),
            Some("never") => never.push(*k),
            _ => {}
        }
    }
    sqlx::query("UPDATE users SET mail_now = $1, mail_never = $2 WHERE id = $3")
        .bind(now.join(" "))
        .bind(never.join(" "))
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}
