//! Server-only profile storage: public profile by handle, own settings, display preferences.

use super::types::*;
use crate::auth::types::{ClinicianStatus, MemberKind};
use crate::db::{Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;

/// The columns a public profile reads.
#[derive(sqlx::FromRow)]
struct PublicRow {
    handle: String,
    avatar_id: Option<i64>,
    display_name: String,
    kind: String,
    clinician_status: String,
    specialty: Option<String>,
    is_moderator: Flag,
    is_admin: Flag,
    bio: String,
    show_role: Flag,
    created_at: i64,
}

/// A member's public profile; `None` for an erased account, and for one whose consent is
/// withdrawn unless `viewer` is that member.
pub async fn public_profile(
    db: &Db,
    handle: &str,
    viewer: Option<UserId>,
) -> Result<Option<PublicProfile>, AppError> {
    let row: Option<PublicRow> = sqlx::query_as(
        "SELECT handle, avatar_id, display_name, kind, clinician_status, specialty, is_moderator, is_admin, bio, show_role, created_at \
         FROM users WHERE handle = $1 AND erased_at IS NULL AND (consent_withdrawn_at IS NULL OR id = $2)",
    )
    .bind(handle.trim().trim_start_matches('@').to_lowercase())
    .bind(viewer.unwrap_or_default())
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let kind = MemberKind::parse(&r.kind).map_err(|_| AppError::Internal)?;
    let status = ClinicianStatus::from_db(&r.clinician_status);
    Ok(Some(PublicProfile {
        role_label: role_label(kind, status, r.specialty.as_deref(), r.show_role.get()),
        handle: r.handle,
        avatar: r.avatar_id,
        display_name: r.display_name,
        verified_clinician: status == ClinicianStatus::Verified,
        is_moderator: r.is_moderator.get(),
        is_admin: r.is_admin.get(),
        bio: r.bio,
        joined_at: r.created_at,
    }))
}

/// The columns a member's own settings read.
#[derive(sqlx::FromRow)]
struct SettingsRow {
    handle: String,
    avatar_id: Option<i64>,
    display_name: String,
    email: String,
    pending_email: Option<String>,
    email_verified_at: Option<i64>,
    kind: String,
    bio: String,
    theme: String,
    text_size: String,
    country: String,
    show_role: Flag,
    clinician_status: String,
    specialty: Option<String>,
    rejection_reason: Option<String>,
}

pub async fn my_settings(db: &Db, user_id: UserId) -> Result<MySettings, AppError> {
    let r: SettingsRow = sqlx::query_as(
        "SELECT handle, avatar_id, display_name, email, pending_email, email_verified_at, kind, bio, theme, text_size, country, show_role, clinician_status, specialty, \
           (SELECT reason FROM clinician_verifications v WHERE v.user_id = users.id AND v.status = 'rejected' \
            AND v.reason <> 'superseded' ORDER BY v.id DESC LIMIT 1) AS rejection_reason \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    let status = ClinicianStatus::from_db(&r.clinician_status);
    let verified = r.email_verified_at.is_some();
    let (email, email_pending) = if verified {
        (r.email, r.pending_email)
    } else {
        (r.pending_email.unwrap_or_default(), None)
    };
    Ok(MySettings {
        handle: r.handle,
        avatar: r.avatar_id,
        display_name: r.display_name,
        email,
        email_verified: verified,
        email_pending,
        kind: MemberKind::parse(&r.kind).map_err(|_| AppError::Internal)?,
        bio: r.bio,
        theme: r.theme,
        text_size: r.text_size,
        country: r.country,
        show_role: r.show_role.get(),
        clinician_status: status,
        specialty: r.specialty,
        rejection_reason: if status == ClinicianStatus::Rejected {
            r.rejection_reason
        } else {
            None
        },
    })
}

/// Saves a member's own profile settings.
pub async fn update_profile(db: &Db, user_id: UserId, p: &ProfileUpdate) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET bio = $1, theme = $2, text_size = $3, show_role = $4, display_name = $6, \
         country = $7 WHERE id = $5",
    )
    .bind(&p.bio)
    .bind(&p.theme)
    .bind(&p.text_size)
    .bind(p.show_role as i64)
    .bind(user_id)
    .bind(&p.display_name)
    .bind(&p.country)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The member's country for the helplines (a listed code, or empty).
pub async fn set_country(db: &Db, user_id: UserId, country: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET country = $1 WHERE id = $2")
        .bind(country)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
