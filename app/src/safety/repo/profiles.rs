//! Reports of a member's profile: reporting, the open reports for the site's moderators, and their resolution.

use super::*;
use crate::ids::UserId;

/// A member reports another member's profile (its name and "about me") to the site's
/// moderators; a second open report from the same member changes nothing.
pub async fn report_profile(
    db: &Db,
    user: &CurrentUser,
    handle: &str,
    reason: &str,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let target: UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE handle = $1 AND erased_at IS NULL")
            .bind(handle)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    if target == user.id {
        return Err(AppError::Forbidden);
    }
    let open = sqlx::query(
        "SELECT 1 FROM profile_reports WHERE user_id = $1 AND reporter_id = $2 AND resolved_at IS NULL",
    )
    .bind(target)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_none() {
        sqlx::query(
            "INSERT INTO profile_reports (user_id, reporter_id, reason, note, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(target)
        .bind(user.id)
        .bind(reason)
        .bind(note)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An open report on a profile as the moderators' list reads it.
#[derive(sqlx::FromRow)]
struct OpenRow {
    id: i64,
    reason: String,
    note: String,
    created_at: i64,
    handle: String,
    display_name: String,
    bio: String,
    reporter: String,
    earlier: i64,
}

/// A report as its resolution reads it.
#[derive(sqlx::FromRow)]
struct ReportRow {
    user_id: UserId,
    reporter_id: UserId,
    reason: String,
    resolved_at: Option<i64>,
    handle: String,
}

/// The open reports on profiles, for site moderators and admins ("someone at risk" first, then
/// the longest wait); nobody else sees any.
pub(super) async fn open_profile_reports(
    db: &Db,
    user: &CurrentUser,
) -> Result<Vec<ProfileReportItem>, AppError> {
    if staff(user) == 0 {
        return Ok(Vec::new());
    }
    let rows: Vec<OpenRow> = sqlx::query_as(
        "SELECT r.id, r.reason, r.note, r.created_at, u.handle, u.display_name, u.bio, rp.handle AS reporter, \
           (SELECT COUNT(*) FROM profile_reports e WHERE e.user_id = r.user_id AND e.id <> r.id) AS earlier \
         FROM profile_reports r JOIN users u ON u.id = r.user_id JOIN users rp ON rp.id = r.reporter_id \
         WHERE r.resolved_at IS NULL \
         ORDER BY CASE WHEN r.reason = 'self_harm' THEN 0 ELSE 1 END, r.created_at, r.id LIMIT 100",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProfileReportItem {
            id: r.id,
            handle: r.handle,
            display_name: r.display_name,
            bio: r.bio,
            reporter: r.reporter,
            reason: reason_label(REPORT_REASONS, &r.reason)
                .unwrap_or("Something else")
                .to_string(),
            note: r.note,
            created_at: r.created_at,
            earlier: r.earlier,
        })
        .collect())
}

/// A site moderator or admin decides a profile report: `clear` empties the profile's name and
/// "about me" (every open report on it is then resolved, the member and each reporter told),
/// otherwise the report is dismissed (its reporter told). Audited.
pub async fn resolve_profile_report(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    clear: bool,
) -> Result<(), AppError> {
    if staff(user) == 0 {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin_write().await?;
    let row: ReportRow = sqlx::query_as(
        "SELECT r.user_id, r.reporter_id, r.reason, r.resolved_at, u.handle FROM profile_reports r \
         JOIN users u ON u.id = r.user_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.resolved_at.is_some() {
        return Ok(());
    }
    let target = row.user_id;
    let reporters = close_reports(&mut tx, &row, (id, user.id), clear).await?;
    let told = tell_of_review(&mut tx, &row, reporters, user.id, clear).await?;
    crate::admin::repo::audit(
        &mut tx,
        user.id,
        if clear {
            "clear_profile"
        } else {
            "dismiss_profile_report"
        },
        Some(target),
        &format!("profile report {id}"),
    )
    .await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}

/// Closes the report (`clear`: every open report on the profile, whose name and "about me" are
/// emptied); returns the reporters to tell.
async fn close_reports(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    row: &ReportRow,
    (id, moderator): (i64, UserId),
    clear: bool,
) -> Result<Vec<UserId>, AppError> {
    let now = now_ms();
    let target = row.user_id;
    Ok(if clear {
        let reporters = sqlx::query_scalar(
            "SELECT reporter_id FROM profile_reports WHERE user_id = $1 AND resolved_at IS NULL",
        )
        .bind(target)
        .fetch_all(&mut **tx)
        .await?;
        sqlx::query("UPDATE users SET bio = '', display_name = '' WHERE id = $1")
            .bind(target)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE profile_reports SET resolved_at = $1, resolved_by = $2, outcome = 'cleared' \
             WHERE user_id = $3 AND resolved_at IS NULL",
        )
        .bind(now)
        .bind(moderator)
        .bind(target)
        .execute(&mut **tx)
        .await?;
        reporters
    } else {
        sqlx::query(
            "UPDATE profile_reports SET resolved_at = $1, resolved_by = $2, outcome = 'dismissed' WHERE id = $3",
        )
        .bind(now)
        .bind(moderator)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        vec![row.reporter_id]
    })
}

/// Tells the reporters what was decided, and (when it was cleared) the profile's member why;
/// returns who was told.
async fn tell_of_review(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    row: &ReportRow,
    reporters: Vec<UserId>,
    moderator: UserId,
    clear: bool,
) -> Result<Vec<UserId>, AppError> {
    let (target, handle) = (row.user_id, &row.handle);
    let link = format!("/u/{handle}");
    let mut told = Vec::new();
    let to_reporters = if clear {
        format!("We reviewed your report on @{handle}'s profile: a moderator removed its name and “about me”. Thank you.")
    } else {
        format!("We reviewed your report on @{handle}'s profile: a moderator looked and left it as it is. Thank you.")
    };
    for reporter in reporters {
        if crate::notifications::repo::add_in_group(
            tx,
            reporter,
            "moderation",
            moderator,
            &to_reporters,
            &link,
            None,
        )
        .await?
        {
            told.push(reporter);
        }
    }
    if clear {
        let why = reason_label(REPORT_REASONS, &row.reason).unwrap_or("Something else");
        let text = format!(
            "A moderator removed your profile's name and “about me” after a report ({why}). You can write them again in Settings, within the site's rules."
        );
        if crate::notifications::repo::add_in_group(
            tx,
            target,
            "moderation",
            moderator,
            &text,
            "/settings",
            None,
        )
        .await?
        {
            told.push(target);
        }
    }
    Ok(told)
}
