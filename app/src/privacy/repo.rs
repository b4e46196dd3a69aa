//! Server-only storage of the account lifecycle: the consent history, withdrawing and giving consent, the deletion request and its grace period, and the erasure itself.

use super::types::*;
use crate::db::{now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;

use crate::db::Tx;

const DAY_MS: i64 = 86_400_000;

/// The member's consent history (newest first), whether it stands now, and a pending deletion.
pub async fn state(db: &Db, user: UserId) -> Result<PrivacyState, AppError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT action, text_version, given_at FROM consents WHERE user_id = $1 ORDER BY id DESC LIMIT 50",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    let history = rows
        .into_iter()
        .map(|(action, text_version, at)| ConsentEvent {
            withdrawn: action == "withdrawn",
            text_version,
            at,
        })
        .collect();
    let withdrawn_at: Option<i64> =
        sqlx::query_scalar("SELECT consent_withdrawn_at FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&db.pool)
            .await?;
    Ok(PrivacyState {
        consent_withdrawn: withdrawn_at.is_some(),
        history,
        exports: super::export::list(db, user).await?,
    })
}

/// Withdraws (`give = false`) or gives the health-data consent; a no-op when it is already so.
/// Both events go into the history.
pub async fn set_consent(db: &Db, user: UserId, give: bool, version: &str) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let changed = if give {
        sqlx::query(
            "UPDATE users SET consent_withdrawn_at = NULL WHERE id = $1 AND consent_withdrawn_at IS NOT NULL",
        )
        .bind(user)
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE users SET consent_withdrawn_at = $2 WHERE id = $1 AND consent_withdrawn_at IS NULL",
        )
        .bind(user)
        .bind(now)
        .execute(&mut *tx)
        .await?
    }
    .rows_affected();
    if changed > 0 {
        sqlx::query(
            "INSERT INTO consents (user_id, kind, text_version, given_at, action) VALUES ($1, 'health_data', $2, $3, $4)",
        )
        .bind(user)
        .bind(version)
        .bind(now)
        .bind(if give { "given" } else { "withdrawn" })
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// "Delete my account": erasure is due in [`GRACE_DAYS`] days; every session ends, and the
/// member gets a mail saying how to cancel. Returns when erasure is due.
pub async fn request_deletion(
    db: &Db,
    base_url: &str,
    user: UserId,
    keep_words: bool,
) -> Result<i64, AppError> {
    let now = now_ms();
    let due = now + GRACE_DAYS * DAY_MS;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET erase_after = $2, erase_keep_words = $3 WHERE id = $1")
        .bind(user)
        .bind(due)
        .bind(i64::from(keep_words))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    crate::admin::repo::audit(&mut tx, user, "request_erasure", Some(user), "").await?;
    if let Some((handle, email)) = crate::auth::email::proved_address(&mut tx, user).await? {
        let base = base_url.trim_end_matches('/');
        let body = format!(
            "Hello @{handle},\n\nYou asked us to delete your HealthCommunity account. We will erase it in {GRACE_DAYS} days, \
             on {date}. Every device was logged out.\n\n\
             Changed your mind? Log in before then at {base}/login and nothing is deleted.\n\n\
             What happens then is explained at {base}/privacy#delete.\n",
            date = crate::ui::format_date(due),
        );
        crate::auth::email::account_mail(
            &mut tx,
            base_url,
            user,
            &email,
            "Your account will be deleted in 7 days",
            body,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(user_id = %user, "account deletion requested");
    Ok(due)
}

/// Logging in during the grace period cancels the deletion. `true` when one was cancelled.
pub async fn cancel_deletion(db: &Db, base_url: &str, user: UserId) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let cancelled = sqlx::query(
        "UPDATE users SET erase_after = NULL, erase_keep_words = 0 WHERE id = $1 AND erase_after IS NOT NULL AND erased_at IS NULL",
    )
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if cancelled {
        crate::admin::repo::audit(&mut tx, user, "cancel_erasure", Some(user), "").await?;
        if let Some((handle, email)) = crate::auth::email::proved_address(&mut tx, user).await? {
            let body = format!(
                "Hello @{handle},\n\nYou logged in, so your HealthCommunity account will not be deleted. \
                 Everything stays as it was.\n\nIf this was not you, change your password at {}/forgot.\n",
                base_url.trim_end_matches('/')
            );
            crate::auth::email::account_mail(
                &mut tx,
                base_url,
                user,
                &email,
                "Your account will not be deleted",
                body,
                now_ms(),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(cancelled)
}

/// Erases every account whose grace period is over (the hourly job). Returns how many.
pub async fn erase_due(db: &Db, now: i64) -> Result<u64, AppError> {
    let ids: Vec<UserId> = sqlx::query_scalar(
        "SELECT id FROM users WHERE erase_after IS NOT NULL AND erase_after <= $1 AND erased_at IS NULL ORDER BY erase_after LIMIT 100",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let mut n = 0;
    for id in ids {
        if erase(db, id, id).await? {
            n += 1;
        }
    }
    Ok(n)
}

/// The ids `sql` (one `$1` = the member) returns.
async fn ids<T>(tx: &mut Tx<'_>, sql: &str, user: UserId) -> Result<Vec<T>, AppError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    Ok(sqlx::query_scalar(sql)
        .bind(user)
        .fetch_all(&mut **tx)
        .await?)
}

async fn exec(tx: &mut Tx<'_>, sql: &str, user: UserId) -> Result<u64, AppError> {
    Ok(sqlx::query(sql)
        .bind(user)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Erases an account in one transaction (`actor` is the member themself, or the admin who
/// erased it on request; the audit log records which). Nothing that names the member stays:
/// the row keeps its id (threads and the audit log point to it) under the handle
/// `deleted-<id>`, shown as "[deleted member]". `false` when there was nothing to erase.
pub async fn erase(db: &Db, user: UserId, actor: UserId) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let found: Option<(String, String, Option<String>, Flag)> = sqlx::query_as(
        "SELECT handle, email, pending_email, erase_keep_words FROM users WHERE id = $1 AND erased_at IS NULL",
    )
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((handle, email, pending, keep_words)) = found else {
        return Ok(false);
    };
    let keep_words = keep_words.get();
    let t = &mut tx;

    erase_writing(t, user, keep_words).await?;
    let partners = erase_ratings_and_contacts(t, user).await?;
    erase_memberships(t, user).await?;
    erase_notifications_and_mail(t, user, &handle, &email, pending.as_deref(), &partners).await?;

    // Sign-in and proof: sessions, devices, links, consents (no record is kept: with the account
    // gone there is no processing left to justify), clinician verification with the licence.
    for table in [
        "sessions",
        "known_devices",
        "login_challenges",
        "recovery_codes",
        "email_tokens",
        "consents",
        "clinician_verifications",
        "data_exports",
    ] {
        exec(t, &format!("DELETE FROM {table} WHERE user_id = $1"), user).await?;
    }
    sqlx::query(
        "DELETE FROM rate_limits WHERE bucket LIKE '%:' || $1 OR bucket LIKE '%:' || $2 OR bucket LIKE '%:' || $3",
    )
    .bind(user.to_string())
    .bind(&handle)
    .bind(&email)
    .execute(&mut **t)
    .await?;
    // The audit log keeps what happened to account #id, not the name.
    sqlx::query(
        "UPDATE audit_log SET detail = REPLACE(REPLACE(detail, $1, '[deleted member]'), $2, '[deleted member]') \
         WHERE detail LIKE '%' || $1 || '%' OR detail LIKE '%' || $2 || '%'",
    )
    .bind(&handle)
    .bind(&email)
    .execute(&mut **t)
    .await?;

    // The row itself: nothing but the id and the dates of creation and erasure.
    sqlx::query(
        "UPDATE users SET handle = 'deleted-' || CAST(id AS TEXT), email = 'erased-' || CAST(id AS TEXT) || '@invalid', \
         pending_email = NULL, password_hash = '!', display_name = '', bio = '', specialty = NULL, \
         clinician_status = 'none', invite_code = NULL, email_verified_at = NULL, digest_opt_in = 0, \
         is_moderator = 0, is_admin = 0, is_editor = 0, unread_notifications = 0, unread_messages = 0, \
         notify_off = '', totp_secret = NULL, totp_pending = NULL, totp_on_since = NULL, recovery_codes_fresh = NULL, consent_withdrawn_at = NULL, erase_after = NULL, erase_keep_words = 0, erased_at = $2 \
         WHERE id = $1",
    )
    .bind(user)
    .bind(now_ms())
    .execute(&mut **t)
    .await?;
    let detail = if actor == user {
        "erased at the member's request after the grace period"
    } else {
        "erased by an admin on the member's request"
    };
    crate::admin::repo::audit(t, actor, "erase_account", Some(user), detail).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user, "account erased");
    Ok(true)
}

/// What a member wrote (unless they keep their words), its earlier versions and pictures, the crisis check's records, and their votes with the counts they added.
async fn erase_writing(t: &mut Tx<'_>, user: UserId, keep_words: bool) -> Result<(), AppError> {
    // Earlier versions of their posts go either way (kept words are the current ones).
    exec(
        t,
        "DELETE FROM post_versions WHERE post_id IN (SELECT id FROM posts WHERE author_id = $1)",
        user,
    )
    .await?;
    // What they wrote: by default the words go and the threads stay (others' replies in place).
    if !keep_words {
        exec(
            t,
            "DELETE FROM post_tags WHERE post_id IN (SELECT id FROM posts WHERE author_id = $1)",
            user,
        )
        .await?;
        sqlx::query(
            "UPDATE posts SET title = $2, body_md = '', body_html = $3, excerpt = '', tags = '' WHERE author_id = $1",
        )
        .bind(user)
        .bind(REMOVED_TITLE)
        .bind(REMOVED_HTML)
        .execute(&mut **t)
        .await?;
        sqlx::query("UPDATE replies SET body_md = '', body_html = $2 WHERE author_id = $1")
            .bind(user)
            .bind(REMOVED_HTML)
            .execute(&mut **t)
            .await?;
    }
    // Their avatar always; the pictures in what they wrote with the words.
    crate::pictures::repo::delete_where(
        t,
        if keep_words {
            "owner_id = $1 AND kind = 'avatar'"
        } else {
            "owner_id = $1 AND kind IN ('avatar', 'post')"
        },
        user,
    )
    .await?;
    // The crisis check's record quotes the phrase it matched in their text.
    exec(t, "DELETE FROM safety_flags WHERE author_id = $1", user).await?;
    exec(
        t,
        "DELETE FROM content_reports WHERE reporter_id = $1",
        user,
    )
    .await?;
    exec(
        t,
        "DELETE FROM profile_reports WHERE reporter_id = $1 OR user_id = $1",
        user,
    )
    .await?;

    // Votes, with the counts they added.
    exec(
        t,
        "UPDATE posts SET vote_count = vote_count - 1 WHERE id IN (SELECT post_id FROM post_votes WHERE user_id = $1)",
        user,
    )
    .await?;
    exec(t, "DELETE FROM post_votes WHERE user_id = $1", user).await?;
    exec(
        t,
        "UPDATE replies SET vote_count = vote_count - 1 WHERE id IN (SELECT reply_id FROM reply_votes WHERE user_id = $1)",
        user,
    )
    .await?;
    exec(t, "DELETE FROM reply_votes WHERE user_id = $1", user).await?;

    Ok(())
}

/// A member's ratings (each clinic's figures recomputed), requests to clinics, direct messages, blocks, reports, saved items and follows; answers whom they wrote with (their unread counts change).
async fn erase_ratings_and_contacts(t: &mut Tx<'_>, user: UserId) -> Result<Vec<UserId>, AppError> {
    // Ratings and their versions; each clinic's figures are recomputed without them.
    let providers = ids(
        t,
        "SELECT provider_id FROM reviews WHERE author_id = $1",
        user,
    )
    .await?;
    exec(t, "DELETE FROM review_reports WHERE reporter_id = $1", user).await?;
    exec(t, "DELETE FROM reviews WHERE author_id = $1", user).await?;
    for p in providers {
        crate::directory::repo::recompute(t, p).await?;
    }
    exec(
        t,
        "UPDATE review_codes SET used_by = NULL WHERE used_by = $1",
        user,
    )
    .await?;

    // Requests to clinics (with their messages) and to list a clinic, direct messages they
    // sent, blocks and reports.
    exec(t, "DELETE FROM contact_requests WHERE member_id = $1", user).await?;
    exec(t, "DELETE FROM listing_requests WHERE user_id = $1", user).await?;
    exec(
        t,
        "DELETE FROM message_reports WHERE reporter_id = $1",
        user,
    )
    .await?;
    exec(t, "DELETE FROM messages WHERE sender_id = $1", user).await?;
    let partners = ids(
        t,
        "SELECT CASE WHEN user_a = $1 THEN user_b ELSE user_a END FROM conversations WHERE user_a = $1 OR user_b = $1",
        user,
    )
    .await?;
    exec(
        t,
        "UPDATE conversations SET unread_a = 0, unread_b = 0 WHERE user_a = $1 OR user_b = $1",
        user,
    )
    .await?;
    exec(
        t,
        "DELETE FROM conversations WHERE (user_a = $1 OR user_b = $1) \
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id)",
        user,
    )
    .await?;
    exec(t, "DELETE FROM saved_items WHERE user_id = $1", user).await?;
    exec(t, "DELETE FROM saved_refs WHERE user_id = $1", user).await?;
    exec(t, "DELETE FROM member_days WHERE user_id = $1", user).await?;
    exec(t, "DELETE FROM follows WHERE user_id = $1", user).await?;
    exec(
        t,
        "DELETE FROM blocks WHERE blocker_id = $1 OR blocked_id = $1",
        user,
    )
    .await?;

    Ok(partners)
}

/// A member's memberships of communities, support groups and providers, with the counts.
async fn erase_memberships(t: &mut Tx<'_>, user: UserId) -> Result<(), AppError> {
    // Memberships, with the counts.
    exec(
        t,
        "UPDATE communities SET member_count = member_count - 1 \
         WHERE id IN (SELECT community_id FROM community_members WHERE user_id = $1)",
        user,
    )
    .await?;
    exec(t, "DELETE FROM community_members WHERE user_id = $1", user).await?;
    exec(
        t,
        "UPDATE support_groups SET member_count = member_count - 1 \
         WHERE id IN (SELECT group_id FROM support_group_members WHERE user_id = $1 AND status = 'active')",
        user,
    )
    .await?;
    exec(
        t,
        "UPDATE support_groups SET pending_count = pending_count - 1 \
         WHERE id IN (SELECT group_id FROM support_group_members WHERE user_id = $1 AND status = 'pending')",
        user,
    )
    .await?;
    exec(
        t,
        "DELETE FROM support_group_members WHERE user_id = $1",
        user,
    )
    .await?;
    exec(t, "DELETE FROM provider_staff WHERE user_id = $1", user).await?;
    exec(
        t,
        "DELETE FROM provider_invitations WHERE user_id = $1",
        user,
    )
    .await?;
    exec(
        t,
        "UPDATE providers SET user_id = NULL WHERE user_id = $1",
        user,
    )
    .await?;
    exec(
        t,
        "DELETE FROM announcement_dismissals WHERE user_id = $1",
        user,
    )
    .await?;

    Ok(())
}

/// Notifications and mails to a member, and those whose text names them (`handle`, the addresses).
async fn erase_notifications_and_mail(
    t: &mut Tx<'_>,
    user: UserId,
    handle: &str,
    email: &str,
    pending: Option<&str>,
    partners: &[UserId],
) -> Result<(), AppError> {
    // Notifications: theirs, and the ones their actions caused others (the text names them).
    let readers = ids(
        t,
        "SELECT DISTINCT user_id FROM notifications WHERE actor_id = $1 OR text LIKE '%@' || (SELECT handle FROM users WHERE id = $1) || '%'",
        user,
    )
    .await?;
    exec(
        t,
        "DELETE FROM notifications WHERE user_id = $1 OR actor_id = $1 \
         OR text LIKE '%@' || (SELECT handle FROM users WHERE id = $1) || '%'",
        user,
    )
    .await?;
    // E-mails waiting to be sent: theirs, and others' that quote them.
    exec(
        t,
        "DELETE FROM mail_throttle WHERE user_id = $1 OR pending_actor = $1 \
         OR pending_text LIKE '%@' || (SELECT handle FROM users WHERE id = $1) || '%'",
        user,
    )
    .await?;
    for reader in readers {
        crate::notifications::repo::recount(t, reader).await?;
    }
    for &partner in partners {
        sqlx::query(
            "UPDATE users SET unread_messages = (SELECT CAST(COALESCE(SUM(CASE WHEN c.user_a = $1 THEN c.unread_a ELSE c.unread_b END), 0) AS BIGINT) \
             FROM conversations c WHERE c.user_a = $1 OR c.user_b = $1) WHERE id = $1",
        )
        .bind(partner)
        .execute(&mut **t)
        .await?;
    }

    // Mail: to them (any address they had), and any mail whose text names them.
    sqlx::query(
        "DELETE FROM outbox WHERE user_id = $1 OR to_addr = $2 OR to_addr = $3 OR (sender_id = $1 AND status = 'pending')",
    )
    .bind(user)
    .bind(email)
    .bind(pending.unwrap_or(email))
    .execute(&mut **t)
    .await?;
    sqlx::query(
        "UPDATE outbox SET subject = '', body = '' WHERE sender_id = $1 OR body LIKE '%@' || $2 || '%' OR subject LIKE '%@' || $2 || '%'",
    )
    .bind(user)
    .bind(handle)
    .execute(&mut **t)
    .await?;
    sqlx::query("DELETE FROM mail_optouts WHERE address = $1 OR address = $2")
        .bind(email)
        .bind(pending.unwrap_or(email))
        .execute(&mut **t)
        .await?;

    Ok(())
}

/// The account an admin names for erasure, unless it is already erased.
pub async fn find_for_erasure(db: &Db, handle: &str) -> Result<Option<UserId>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE handle = $1 AND erased_at IS NULL")
            .bind(handle)
            .fetch_optional(&db.pool)
            .await?,
    )
}
