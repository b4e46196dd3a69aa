//! Server-only e-mail storage: queueing into the outbox, e-mails at once for the kinds a member chose (at most one per thread per 15 minutes), the daily digest (one per member per day across workers), claiming mails for delivery, and opt-outs.

use super::types::*;
use crate::auth::repo::{hash_token, new_token};
use crate::db::{now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;

mod digest;
mod notices;

pub use digest::*;
pub use notices::*;

use crate::db::Tx;

const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 (UTC).
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// One mail to queue.
pub struct Mail<'a> {
    /// The member it is for (digests); `None` for an address that is not a member yet.
    pub user: Option<UserId>,
    pub sender: Option<UserId>,
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
    sender: UserId,
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
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
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
    Ok(rows
        .into_iter()
        .map(|(id, to, subject, body)| Outgoing {
            id,
            to,
            subject,
            body,
        })
        .collect())
}

/// How one delivery attempt ended.
pub enum Delivery {
    /// Accepted by the SMTP server.
    Sent,
    /// No SMTP server configured: written to the log (the outbox keeps the only copy).
    Logged,
    /// No SMTP server configured: written as a file into the mail folder (`HC_MAIL_DIR`).
    Written,
    /// The SMTP server refused it or could not be reached; retried up to five attempts.
    Failed(String),
}

/// Records how the attempt ended. A delivered account mail loses its text at once: it carries a
/// link that verifies an address or sets a password, stored elsewhere as a hash only, so its
/// text would let a reader of the database (a leaked backup) use it. Only a mail that went
/// nowhere but the log keeps it (the outbox is then its only copy).
pub async fn record_delivery(db: &Db, id: i64, outcome: Delivery) -> Result<(), AppError> {
    let now = now_ms();
    let q = match &outcome {
        Delivery::Sent => sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $1, error = NULL, \
             body = CASE WHEN kind = 'account' THEN '' ELSE body END WHERE id = $2",
        )
        .bind(now)
        .bind(id),
        Delivery::Written => sqlx::query(
            "UPDATE outbox SET status = 'logged', sent_at = $1, \
             body = CASE WHEN kind = 'account' THEN '' ELSE body END WHERE id = $2",
        )
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
    sqlx::query_as("SELECT kind, user_id, to_addr FROM outbox WHERE token = $1")
        .bind(hash_token(token.trim()))
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn stop_view(db: &Db, token: &str) -> Result<StopView, AppError> {
    let (kind, user, address) = by_token(db, token).await?;
    match (kind.as_str(), user) {
        ("account", _) => Err(AppError::NotFound),
        ("notice", Some(user)) => {
            let (handle, mail_now): (String, String) =
                sqlx::query_as("SELECT handle, mail_now FROM users WHERE id = $1")
                    .bind(user)
                    .fetch_one(&db.pool)
                    .await?;
            Ok(StopView {
                what: format!("e-mails sent at once (answers, messages, …) for @{handle}"),
                done: mail_now.trim().is_empty(),
                digest: true,
            })
        }
        ("digest", Some(user)) => {
            let (handle, digest): (String, Flag) =
                sqlx::query_as("SELECT handle, digest_opt_in FROM users WHERE id = $1")
                    .bind(user)
                    .fetch_one(&db.pool)
                    .await?;
            Ok(StopView {
                what: format!("the daily digest for @{handle}"),
                done: !digest.get(),
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
pub async fn set_digest(db: &Db, user: UserId, on: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET digest_opt_in = $1 WHERE id = $2")
        .bind(on as i64)
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The member's e-mail choice for each kind: `now`, `digest` or `never`.
pub async fn mail_modes(db: &Db, user: UserId) -> Result<Vec<(String, String)>, AppError> {
    let (now, never): (String, String) =
        sqlx::query_as("SELECT mail_now, mail_never FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&db.pool)
            .await?;
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
pub async fn set_mail_modes(db: &Db, user: UserId, pairs: &[String]) -> Result<(), AppError> {
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
