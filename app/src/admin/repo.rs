//! Server-only admin storage: verification decisions, role changes and the audit log, each change logged in the same transaction.

use super::types::*;
use crate::db::{now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;

pub async fn pending_verifications(
    db: &Db,
    after: Option<i64>,
) -> Result<Page<PendingVerification>, AppError> {
    let items = sqlx::query_as(
        "SELECT v.id, u.handle, v.licence_number, v.specialty, v.submitted_at \
         FROM clinician_verifications v JOIN users u ON u.id = v.user_id \
         WHERE v.status = 'pending' AND v.id > $1 ORDER BY v.id LIMIT $2",
    )
    .bind(after.unwrap_or(0))
    .bind(PAGE_SIZE + 1)
    .fetch_all(&db.pool)
    .await?;
    Ok(Page::of(items, |i: &PendingVerification| i.id))
}

/// Sets the status of row `id` with `sql` (`$1` the status, `$2` the time, `$3` the id; it
/// returns the row's name, or nothing when the row may not change), and audits it as
/// `<what>_<status>` with the detail `detail` makes of the name. Not found when nothing changed.
pub async fn set_status_audited(
    db: &crate::db::Db,
    actor: UserId,
    (sql, what): (&str, &str),
    (id, status): (i64, &str),
    detail: impl FnOnce(String) -> String,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let name: String = sqlx::query_scalar(sql)
        .bind(status)
        .bind(crate::db::now_ms())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    audit(
        &mut tx,
        actor,
        &format!("{what}_{status}"),
        None,
        &detail(name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes one audit-log entry in the caller's transaction.
pub async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: UserId,
    action: &str,
    target: Option<UserId>,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, target_user_id, detail, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(detail)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Verifies or rejects a pending request; the user's status follows. `NotFound` if not pending.
pub async fn decide_verification(
    db: &Db,
    admin_id: UserId,
    verification_id: i64,
    approve: bool,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row: Option<(UserId, String, String)> = sqlx::query_as(
        "UPDATE clinician_verifications SET status = $1, reason = $2, decided_at = $3, decided_by = $4 \
         WHERE id = $5 AND status = 'pending' RETURNING user_id, specialty, licence_number",
    )
    .bind(if approve { "verified" } else { "rejected" })
    .bind(reason)
    .bind(now)
    .bind(admin_id)
    .bind(verification_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id, specialty, licence)) = row else {
        return Err(AppError::NotFound);
    };
    if approve {
        sqlx::query("UPDATE users SET clinician_status = 'verified', specialty = $1 WHERE id = $2")
            .bind(&specialty)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            admin_id,
            "clinician.verify",
            Some(user_id),
            &format!("{specialty}, licence {licence}"),
        )
        .await?;
    } else {
        sqlx::query("UPDATE users SET clinician_status = 'rejected' WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            admin_id,
            "clinician.reject",
            Some(user_id),
            reason.unwrap_or(""),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn staff(db: &Db) -> Result<Vec<StaffMember>, AppError> {
    let rows: Vec<(String, Flag, Flag, Flag, Flag)> = sqlx::query_as(
        "SELECT handle, is_moderator, is_admin, is_editor, \
         CAST(CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS two_step FROM users \
         WHERE is_moderator = 1 OR is_admin = 1 OR is_editor = 1 ORDER BY id LIMIT 500",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(handle, is_moderator, is_admin, is_editor, two_step)| StaffMember {
                handle,
                is_moderator: is_moderator.get(),
                is_admin: is_admin.get(),
                is_editor: is_editor.get(),
                two_step: two_step.get(),
            },
        )
        .collect())
}

/// Whether the site requires two-step sign-in of staff (`site_policies`).
pub async fn staff_two_step(db: &Db) -> Result<bool, AppError> {
    let on: Option<Flag> =
        sqlx::query_scalar("SELECT staff_two_step FROM site_policies WHERE id = 1")
            .fetch_optional(&db.pool)
            .await?;
    Ok(on.is_some_and(Flag::get))
}

/// Sets the policy (audited). Turned on, each staff member without two-step sign-in is told
/// that their role waits for it, with the way to Settings.
pub async fn set_staff_two_step(db: &Db, admin: UserId, on: bool) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE site_policies SET staff_two_step = $1, updated_at = $2, updated_by = $3 WHERE id = 1",
    )
    .bind(i64::from(on))
    .bind(now)
    .bind(admin)
    .execute(&mut *tx)
    .await?;
    let action = if on {
        "staff_two_step_on"
    } else {
        "staff_two_step_off"
    };
    audit(&mut tx, admin, action, None, "").await?;
    if on {
        let paused: Vec<UserId> = sqlx::query_scalar(
            "SELECT id FROM users WHERE (is_moderator = 1 OR is_admin = 1 OR is_editor = 1) \
             AND totp_secret IS NULL ORDER BY id LIMIT 500",
        )
        .fetch_all(&mut *tx)
        .await?;
        for user in paused {
            crate::notifications::repo::add(
                &mut tx,
                user,
                "account",
                admin,
                "The site now asks staff to use two-step sign-in: your role is paused until you turn it on in Settings.",
                "/settings#two-step-h",
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Grants or revokes a role by handle. An admin cannot revoke their own admin role (so there is
/// always one left who can undo mistakes).
pub async fn set_role(
    db: &Db,
    admin_id: UserId,
    handle: &str,
    role: StaffRole,
    grant: bool,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE users SET {} = $1 WHERE handle = $2 AND NOT (id = $3 AND $4 = 'admin' AND $1 = 0) RETURNING id",
        role.column()
    );
    let row: Option<UserId> = sqlx::query_scalar(&sql)
        .bind(grant as i64)
        .bind(handle.trim().trim_start_matches('@').to_lowercase())
        .bind(admin_id)
        .bind(role.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(target) = row else {
        let exists = sqlx::query("SELECT id FROM users WHERE handle = $1")
            .bind(handle.trim().trim_start_matches('@').to_lowercase())
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        return Err(if exists {
            AppError::field("handle", "You cannot remove your own admin role.")
        } else {
            AppError::field("handle", "No member has this handle.")
        });
    };
    let action = format!(
        "role.{}.{}",
        role.as_str(),
        if grant { "grant" } else { "revoke" }
    );
    audit(&mut tx, admin_id, &action, Some(target), "").await?;
    tx.commit().await?;
    Ok(())
}

pub async fn audit_log(db: &Db, before: Option<i64>) -> Result<Page<AuditEntry>, AppError> {
    let items = sqlx::query_as(
        "SELECT a.id, actor.handle AS actor, a.action, target.handle AS target, a.detail, a.created_at \
         FROM audit_log a LEFT JOIN users actor ON actor.id = a.actor_id \
         LEFT JOIN users target ON target.id = a.target_user_id \
         WHERE a.id < $1 ORDER BY a.id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(PAGE_SIZE + 1)
    .fetch_all(&db.pool)
    .await?;
    let mut page = Page::of(items, |e: &AuditEntry| e.id);
    for e in &mut page.items {
        e.what = super::types::action_label(&e.action);
    }
    Ok(page)
}
