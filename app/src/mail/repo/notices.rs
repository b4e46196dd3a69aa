//! E-mails at once for the kinds a member chose: at most one per thread or conversation per 15 minutes, queued by the job.

use super::*;
use crate::ids::UserId;

/// Minutes between two e-mails about the same thread (or conversation) to one member.
pub const NOTICE_GAP_MS: i64 = 15 * 60_000;

/// Notes, in the writer's transaction, that `user` should hear of a notification by e-mail if
/// they want its `kind` at once (and may get mail): the e-mail goes with the next run of
/// [`send_notices`], at most one per `key` (a thread, a conversation) per [`NOTICE_GAP_MS`].
pub async fn notice(
    tx: &mut Tx<'_>,
    user: UserId,
    (kind, actor): (&str, UserId),
    key: &str,
    (text, link): (&str, &str),
) -> Result<(), AppError> {
    let wants = sqlx::query_scalar::<_, String>(
        "SELECT mail_now FROM users WHERE id = $1 AND email_verified_at IS NOT NULL \
         AND consent_withdrawn_at IS NULL",
    )
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?
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

/// A member's thread (or conversation) with news, as `send_notices` reads it.
#[derive(sqlx::FromRow)]
struct DueRow {
    user_id: UserId,
    key: String,
    last_sent_at: i64,
    pending: i64,
    pending_kind: String,
    pending_text: String,
    pending_link: String,
}

/// Queues the e-mails that are due: for each member and thread (or conversation) with something
/// new and no e-mail about it in the last [`NOTICE_GAP_MS`], one e-mail with the latest news and
/// how many more there were. Nothing when the member read it in the app meanwhile, or no longer
/// wants that kind at once. Several workers may run this: each row is claimed by a conditional
/// UPDATE. Returns how many e-mails were queued.
pub async fn send_notices(db: &Db, base_url: &str, now: i64) -> Result<usize, AppError> {
    let due: Vec<DueRow> = sqlx::query_as(
        "SELECT t.user_id, t.key, t.last_sent_at, t.pending, t.pending_kind, t.pending_text, t.pending_link \
         FROM mail_throttle t WHERE t.pending > 0 AND t.last_sent_at <= $1 ORDER BY t.last_sent_at LIMIT 200",
    )
    .bind(now - NOTICE_GAP_MS)
    .fetch_all(&db.pool)
    .await?;
    let mut queued = 0;
    for r in due {
        if send_one(db, base_url, r, now).await? {
            queued += 1;
        }
    }
    // Rows with nothing waiting and no e-mail for a day carry nothing worth keeping.
    sqlx::query("DELETE FROM mail_throttle WHERE pending = 0 AND last_sent_at < $1")
        .bind(now - DAY_MS)
        .execute(&db.pool)
        .await?;
    Ok(queued)
}

/// Claims one member's waiting notice (another process may have sent it) and queues its e-mail
/// when the member still wants it and has not read it in the app; true when queued.
async fn send_one(db: &Db, base_url: &str, r: DueRow, now: i64) -> Result<bool, AppError> {
    let DueRow {
        user_id: user,
        key,
        last_sent_at,
        pending,
        pending_kind: kind,
        pending_text: text,
        pending_link: link,
    } = r;
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE mail_throttle SET pending = 0, last_sent_at = $1 \
         WHERE user_id = $2 AND key = $3 AND pending = $4 AND last_sent_at = $5",
    )
    .bind(now)
    .bind(user)
    .bind(&key)
    .bind(pending)
    .bind(last_sent_at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Ok(false);
    }
    let u: Option<(String, String, String)> = sqlx::query_as(
        "SELECT handle, email, mail_now FROM users WHERE id = $1 AND email_verified_at IS NOT NULL \
         AND consent_withdrawn_at IS NULL",
    )
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((handle, email, mail_now)) = u else {
        tx.commit().await?;
        return Ok(false);
    };
    let still_wanted = mail_now.split_whitespace().any(|k| k == kind);
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
    let send = still_wanted && unread;
    if send {
        let (subject, body) = notice_text(base_url, &handle, (&text, &link), pending);
        let mail = Mail {
            user: Some(user),
            sender: None,
            kind: "notice",
            to: &email,
            subject,
            body,
        };
        queue(&mut tx, base_url, mail, now).await?;
    }
    tx.commit().await?;
    Ok(send)
}

/// The subject and body of a notice's e-mail: its text and link, and how many more like it
/// waited since the last one.
fn notice_text(
    base_url: &str,
    handle: &str,
    (text, link): (&str, &str),
    pending: i64,
) -> (String, String) {
    let base = base_url.trim_end_matches('/');
    let (subject, more) = if pending == 1 {
        (text.to_string(), String::new())
    } else {
        (
            format!("{text} (and {} more)", pending - 1),
            format!(
                "\n{} more about the same since our last e-mail: all of it is on the page.\n",
                pending - 1
            ),
        )
    };
    (
        subject,
        format!("Hello @{handle},\n\n{text}\n{base}{link}\n{more}"),
    )
}
