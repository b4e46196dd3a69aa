//! Server-only direct messages: sending (blocks, "only from contacts", rate limit), conversations, reading (markers and counters), blocking, reports.

use super::types::*;
use crate::auth::types::CurrentUser;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;
use crate::markdown;

const HOUR_MS: i64 = 60 * 60 * 1000;

/// The member's id and handle as stored, from a handle as typed or linked.
async fn member(db: &Db, handle: &str) -> Result<(UserId, String), AppError> {
    sqlx::query_as("SELECT id, handle FROM users WHERE handle = $1")
        .bind(handle.trim().trim_start_matches('@').to_lowercase())
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

async fn user_id(db: &Db, handle: &str) -> Result<UserId, AppError> {
    Ok(member(db, handle).await?.0)
}

async fn blocked(db: &Db, blocker: UserId, blocked: UserId) -> Result<bool, AppError> {
    Ok(
        sqlx::query("SELECT 1 AS x FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
            .bind(blocker)
            .bind(blocked)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

/// Why `from` may not write to `to`, if they may not.
async fn refusal(db: &Db, from: UserId, to: UserId) -> Result<Option<String>, AppError> {
    if from == to {
        return Ok(Some("You cannot message yourself.".into()));
    }
    if blocked(db, from, to).await? {
        return Ok(Some(
            "You blocked this member. Unblock them to write.".into(),
        ));
    }
    if blocked(db, to, from).await? {
        return Ok(Some(
            "This member does not accept messages from you.".into(),
        ));
    }
    let contacts_only: i64 = sqlx::query_scalar("SELECT dm_contacts_only FROM users WHERE id = $1")
        .bind(to)
        .fetch_one(&db.pool)
        .await?;
    if contacts_only == 1 {
        // A contact: someone they have written to.
        let (a, b) = (from.min(to), from.max(to));
        let wrote = sqlx::query(
            "SELECT 1 AS x FROM conversations c JOIN messages m ON m.conversation_id = c.id \
             WHERE c.user_a = $1 AND c.user_b = $2 AND m.sender_id = $3 LIMIT 1",
        )
        .bind(a)
        .bind(b)
        .bind(to)
        .fetch_optional(&db.pool)
        .await?
        .is_some();
        if !wrote {
            return Ok(Some(
                "This member only accepts messages from people they have written to.".into(),
            ));
        }
    }
    Ok(None)
}

/// Sends a message. The recipient hears of it (one notification
/// while the conversation has unread messages for them) and their badge follows live.
pub async fn send(db: &Db, user: &CurrentUser, to: &str, body: &str) -> Result<(), AppError> {
    let to = user_id(db, to)
        .await
        .map_err(|_| AppError::field("to", "No member has this handle."))?;
    // A member who withdrew their consent (or was erased) is hidden: answered like a stranger.
    let hidden = sqlx::query(
        "SELECT 1 FROM users WHERE id = $1 AND (consent_withdrawn_at IS NOT NULL OR erased_at IS NOT NULL)",
    )
    .bind(to)
    .fetch_optional(&db.pool)
    .await?
    .is_some();
    if hidden {
        return Err(AppError::field("to", "No member has this handle."));
    }
    if let Some(why) = refusal(db, user.id, to).await? {
        return Err(AppError::field("body", why));
    }
    crate::auth::repo::hit_rate_limit(db, &format!("dm:{}", user.id), MESSAGES_PER_HOUR, HOUR_MS)
        .await?;
    let (a, b) = (user.id.min(to), user.id.max(to));
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let conversation: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (user_a, user_b, last_message_at, created_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (user_a, user_b) DO UPDATE SET last_message_at = excluded.last_message_at RETURNING id",
    )
    .bind(a)
    .bind(b)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let message: i64 = sqlx::query_scalar(
        "INSERT INTO messages (conversation_id, sender_id, body, body_html, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(conversation)
    .bind(user.id)
    .bind(body)
    .bind(markdown::to_html(body))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    // The recipient's side: one more unread here and in total; the sender has read their own.
    let (their_unread, my_read) = if to == a {
        ("unread_a", "read_b")
    } else {
        ("unread_b", "read_a")
    };
    let before: i64 = sqlx::query_scalar(&format!(
        "SELECT {their_unread} AS n FROM conversations WHERE id = $1"
    ))
    .bind(conversation)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(&format!(
        "UPDATE conversations SET {their_unread} = {their_unread} + 1, {my_read} = $1 WHERE id = $2"
    ))
    .bind(message)
    .bind(conversation)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE users SET unread_messages = unread_messages + 1 WHERE id = $1")
        .bind(to)
        .execute(&mut *tx)
        .await?;
    if before == 0 {
        let line = format!("@{} sent you a message", user.handle);
        let link = format!("/messages/{}", user.handle);
        crate::notifications::repo::add(&mut tx, to, "message", user.id, &line, &link).await?;
    }
    tx.commit().await?;
    db.announce(&[to]).await;
    Ok(())
}

/// The member's conversations, most recent first; conversations with members they blocked are hidden.
pub async fn inbox(db: &Db, user: &CurrentUser) -> Result<Inbox, AppError> {
    let rows: Vec<(String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT u.handle, c.last_message_at, \
           CASE WHEN c.user_a = $1 THEN c.unread_a ELSE c.unread_b END AS unread, \
           (SELECT m.body FROM messages m WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1) AS last_body \
         FROM conversations c JOIN users u ON u.id = CASE WHEN c.user_a = $1 THEN c.user_b ELSE c.user_a END \
         WHERE (c.user_a = $1 OR c.user_b = $1) \
           AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = u.id) \
         ORDER BY c.last_message_at DESC, c.id DESC LIMIT 100",
    )
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    let conversations = rows
        .into_iter()
        .map(|(with, last_at, unread, body)| ConversationSummary {
            with,
            last_body: body.unwrap_or_default().chars().take(120).collect(),
            last_at,
            unread,
        })
        .collect();
    let contacts_only: i64 = sqlx::query_scalar("SELECT dm_contacts_only FROM users WHERE id = $1")
        .bind(user.id)
        .fetch_one(&db.pool)
        .await?;
    Ok(Inbox {
        conversations,
        contacts_only: contacts_only == 1,
    })
}

/// The conversation with `other` (the latest 200 messages); reading it marks it read.
pub async fn thread(db: &Db, user: &CurrentUser, other: &str) -> Result<Thread, AppError> {
    let (other_id, handle) = member(db, other).await?;
    let i_blocked = blocked(db, user.id, other_id).await?;
    let cannot_write = refusal(db, user.id, other_id).await?;
    let (a, b) = (user.id.min(other_id), user.id.max(other_id));
    let conv: Option<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, unread_a, unread_b, read_a, read_b FROM conversations WHERE user_a = $1 AND user_b = $2",
    )
    .bind(a)
    .bind(b)
    .fetch_optional(&db.pool)
    .await?;
    let Some(conv) = conv.filter(|_| !i_blocked) else {
        return Ok(Thread {
            with: handle,
            messages: Vec::new(),
            blocked: i_blocked,
            cannot_write,
            crisis_mine: false,
            crisis_theirs: false,
        });
    };
    let (id, unread_a, unread_b, read_a, read_b) = conv;
    let me_a = user.id == a;
    let (my_unread, my_read, their_read) = if me_a {
        (unread_a, read_a, read_b)
    } else {
        (unread_b, read_b, read_a)
    };
    let rows: Vec<(i64, UserId, String, String, i64)> = sqlx::query_as(
        "SELECT id, sender_id, body, body_html, created_at FROM \
           (SELECT id, sender_id, body, body_html, created_at FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT 200) t \
         ORDER BY id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    // The crisis safeguard in a conversation: private words are never flagged to moderators;
    // the writer is shown the helplines, and the reader how to help.
    let (mut crisis_mine, mut crisis_theirs) = (false, false);
    let messages: Vec<MessageView> = rows
        .into_iter()
        .map(|(mid, sender, body, body_html, at)| {
            let mine = sender == user.id;
            if crate::safety::crisis::matches(&body).is_some() {
                if mine {
                    crisis_mine = true;
                } else {
                    crisis_theirs = true;
                }
            }
            MessageView {
                id: mid,
                mine,
                body_html,
                at,
                read: mine && mid <= their_read,
            }
        })
        .collect();
    let last = messages.last().map(|m| m.id).unwrap_or(0);
    // Writes only when something is new to me: viewing a read conversation again takes no write lock.
    if my_unread > 0 || my_read < last {
        mark_read(db, user.id, other_id, &handle, (id, me_a), last).await?;
    }
    Ok(Thread {
        with: handle,
        messages,
        blocked: false,
        cannot_write,
        crisis_mine,
        crisis_theirs,
    })
}

/// Marks a conversation read up to message `last` for `me` (side a or b of conversation `id`):
/// my unread counts drop, the message notification is answered, and both of us hear of it.
async fn mark_read(
    db: &Db,
    me: UserId,
    other_id: UserId,
    handle: &str,
    (id, me_a): (i64, bool),
    last: i64,
) -> Result<(), AppError> {
    let (unread_col, read_col) = if me_a {
        ("unread_a", "read_a")
    } else {
        ("unread_b", "read_b")
    };
    let mut tx = db.begin_write().await?;
    // Read the counter again under the write lock, so a message arriving meanwhile is not lost.
    let unread: i64 = sqlx::query_scalar(&format!(
        "SELECT {unread_col} AS n FROM conversations WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(&format!(
        "UPDATE conversations SET {unread_col} = 0, {read_col} = $1 WHERE id = $2"
    ))
    .bind(last)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if unread > 0 {
        sqlx::query(
            "UPDATE users SET unread_messages = CASE WHEN unread_messages > $1 THEN unread_messages - $1 ELSE 0 END \
             WHERE id = $2",
        )
        .bind(unread)
        .bind(me)
        .execute(&mut *tx)
        .await?;
        // The "sent you a message" notification is answered by reading the conversation.
        let read = sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND kind = 'message' AND link = $3 \
             AND read_at IS NULL",
        )
        .bind(now_ms())
        .bind(me)
        .bind(format!("/messages/{handle}"))
        .execute(&mut *tx)
        .await?
        .rows_affected() as i64;
        if read > 0 {
            sqlx::query(
                "UPDATE users SET unread_notifications = CASE WHEN unread_notifications > $1 \
                   THEN unread_notifications - $1 ELSE 0 END WHERE id = $2",
            )
            .bind(read)
            .bind(me)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    if unread > 0 {
        // My badge drops; their "read" marker moves.
        db.announce(&[me, other_id]).await;
    }
    Ok(())
}

/// Blocks or unblocks a member. Blocking hides the conversation and stops their messages.
pub async fn set_block(
    db: &Db,
    user: &CurrentUser,
    other: &str,
    block: bool,
) -> Result<(), AppError> {
    let other = user_id(db, other).await?;
    if other == user.id {
        return Err(AppError::BadRequest);
    }
    if block {
        sqlx::query(
            "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(user.id)
        .bind(other)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    } else {
        sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
            .bind(user.id)
            .bind(other)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

pub async fn set_contacts_only(db: &Db, user: &CurrentUser, on: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET dm_contacts_only = $1 WHERE id = $2")
        .bind(on as i64)
        .bind(user.id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A participant reports a message of the conversation to the moderators.
pub async fn report(
    db: &Db,
    user: &CurrentUser,
    message: i64,
    reason: &str,
) -> Result<(), AppError> {
    let ok = sqlx::query(
        "SELECT 1 AS x FROM messages m JOIN conversations c ON c.id = m.conversation_id \
         WHERE m.id = $1 AND (c.user_a = $2 OR c.user_b = $2)",
    )
    .bind(message)
    .bind(user.id)
    .fetch_optional(&db.pool)
    .await?
    .is_some();
    if !ok {
        return Err(AppError::NotFound);
    }
    sqlx::query(
        "INSERT INTO message_reports (message_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(message)
    .bind(user.id)
    .bind(reason)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Open message reports, for moderators and admins: the reported message only, never the rest
/// of the conversation.
pub async fn open_reports(db: &Db, user: &CurrentUser) -> Result<Vec<ReportedMessage>, AppError> {
    if !(user.is_moderator || user.is_admin) {
        return Err(AppError::Forbidden);
    }
    let rows: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT r.id, s.handle AS sender, rp.handle AS reporter, r.reason, m.body_html, m.created_at \
         FROM message_reports r JOIN messages m ON m.id = r.message_id JOIN users s ON s.id = m.sender_id \
         JOIN users rp ON rp.id = r.reporter_id WHERE r.resolved_at IS NULL ORDER BY r.id LIMIT 100",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, sender, reporter, reason, body_html, at)| ReportedMessage {
                id,
                sender,
                reporter,
                reason,
                body_html,
                at,
            },
        )
        .collect())
}

/// A moderator closes a message report.
pub async fn resolve_report(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    if !(user.is_moderator || user.is_admin) {
        return Err(AppError::Forbidden);
    }
    sqlx::query("UPDATE message_reports SET resolved_at = $1, resolved_by = $2 WHERE id = $3")
        .bind(now_ms())
        .bind(user.id)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The member's unread message count.
pub async fn unread(db: &Db, user: UserId) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT unread_messages FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?
            .unwrap_or(0),
    )
}
