//! Server-only sanctions: a moderator's warning or suspension of a member (told to them, audited), and an admin lifting it.

use super::types::{SanctionKind, INDEFINITE};
use crate::auth::types::CurrentUser;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;

const DAY_MS: i64 = 86_400_000;

/// Site moderators and admins sanction (community moderators report to them).
pub fn may_sanction(user: &CurrentUser) -> bool {
    user.is_moderator || user.is_admin
}

/// Warns or suspends `handle`; the member gets a notification saying what and why. Returns the
/// end of a suspension.
pub async fn sanction(
    db: &Db,
    by: &CurrentUser,
    handle: &str,
    kind: SanctionKind,
    reason: &str,
) -> Result<Option<i64>, AppError> {
    if !may_sanction(by) {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let target: UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE handle = $1 AND erased_at IS NULL")
            .bind(handle)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::field("sanction_handle", "No member has this handle."))?;
    if target == by.id {
        return Err(AppError::field(
            "sanction_handle",
            "You cannot sanction yourself.",
        ));
    }
    let (until, text, action) = match kind {
        SanctionKind::Warn => (
            None,
            format!("A moderator warned you: {reason}"),
            "warn_member",
        ),
        SanctionKind::Suspend(days) => {
            let until = if days == 0 {
                INDEFINITE
            } else {
                now + days * DAY_MS
            };
            sqlx::query(
                "UPDATE users SET suspended_until = $2, suspension_reason = $3 WHERE id = $1",
            )
            .bind(target)
            .bind(until)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
            // Logged out nowhere: a suspended member still reads, exports and deletes.
            (
                Some(until),
                format!("A moderator suspended your account: {reason}"),
                "suspend_member",
            )
        }
    };
    crate::notifications::repo::add(&mut tx, target, "moderation", by.id, &text, "/settings")
        .await?;
    let detail = match until {
        Some(u) if u == INDEFINITE => format!("until lifted: {reason}"),
        Some(u) => format!("until {}: {reason}", crate::ui::format_datetime(u)),
        None => reason.to_string(),
    };
    crate::admin::repo::audit(&mut tx, by.id, action, Some(target), &detail).await?;
    tx.commit().await?;
    db.announce(&[target]).await;
    Ok(until)
}

/// An admin lifts a suspension (audited; the member is told). `NotFound` when none is running.
pub async fn lift(db: &Db, admin: &CurrentUser, handle: &str) -> Result<(), AppError> {
    if !admin.is_admin {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let target: UserId = sqlx::query_scalar(
        "SELECT id FROM users WHERE handle = $1 AND suspended_until IS NOT NULL AND suspended_until > $2",
    )
    .bind(handle)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::field("sanction_handle", "This member is not suspended."))?;
    sqlx::query("UPDATE users SET suspended_until = NULL, suspension_reason = '' WHERE id = $1")
        .bind(target)
        .execute(&mut *tx)
        .await?;
    crate::notifications::repo::add(
        &mut tx,
        target,
        "moderation",
        admin.id,
        "An admin lifted the suspension of your account.",
        "/settings",
    )
    .await?;
    crate::admin::repo::audit(&mut tx, admin.id, "lift_suspension", Some(target), "").await?;
    tx.commit().await?;
    db.announce(&[target]).await;
    Ok(())
}
