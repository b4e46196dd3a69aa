//! Server-only consent in the directory: joining a clinic's staff and being listed at a clinic are invitations the member accepts; anyone may leave a staff role.

use super::repo::{list_clinician, log_change, provider, staff_role};
use super::types::{InviteRole, ProviderKind};
use crate::auth::types::CurrentUser;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;
use crate::notifications as notify;
use sqlx::Row;

/// Invites `user_id` to the provider as `role` (again: the same invitation stays) and tells
/// them; the change log records who invited whom.
pub async fn invite(
    db: &Db,
    actor: &CurrentUser,
    provider_id: i64,
    slug: &str,
    user_id: UserId,
    handle: &str,
    role: InviteRole,
) -> Result<(), AppError> {
    if user_id == actor.id {
        return Err(AppError::field(
            if role == InviteRole::Clinician {
                "clinician"
            } else {
                "handle"
            },
            "You cannot invite yourself.",
        ));
    }
    let name: String = sqlx::query_scalar("SELECT name FROM providers WHERE id = $1")
        .bind(provider_id)
        .fetch_one(&db.pool)
        .await?;
    let mut tx = db.begin_write().await?;
    let new = sqlx::query(
        "INSERT INTO provider_invitations (provider_id, user_id, role, invited_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (provider_id, user_id, role) DO NOTHING",
    )
    .bind(provider_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(actor.id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    let mut told = false;
    if new {
        let line = match role {
            InviteRole::Clinician => format!("@{} asks to list you at “{name}”", actor.handle),
            InviteRole::Owner => {
                format!("@{} invites you to be an owner of “{name}”", actor.handle)
            }
            InviteRole::Staff => format!("@{} invites you to the staff of “{name}”", actor.handle),
        };
        told = notify::repo::add(
            &mut tx,
            user_id,
            "directory",
            actor.id,
            &line,
            &format!("/directory/{slug}"),
        )
        .await?;
        log_change(
            &mut *tx,
            provider_id,
            actor.id,
            &format!("invited @{handle} {}", role.phrase()),
        )
        .await?;
    }
    tx.commit().await?;
    if told {
        db.announce(&[user_id]).await;
    }
    Ok(())
}

/// The invitations to this provider that `user` has not answered yet.
pub async fn pending_for(
    db: &Db,
    provider_id: i64,
    user: &CurrentUser,
) -> Result<Vec<InviteRole>, AppError> {
    sqlx::query(
        "SELECT role FROM provider_invitations WHERE provider_id = $1 AND user_id = $2 ORDER BY role",
    )
    .bind(provider_id)
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok(InviteRole::parse(&r.try_get::<String, _>("role")?)))
    .collect::<Result<Vec<_>, AppError>>()
    .map(|v| v.into_iter().flatten().collect())
}

/// The member accepts or declines their invitation; accepting makes them staff (or owner), or
/// lists them at the clinic with their own directory profile.
pub async fn respond(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    role: InviteRole,
    accept: bool,
) -> Result<(), AppError> {
    let (id, _) = provider(db, slug).await?;
    let invited_by: UserId = sqlx::query_scalar(
        "DELETE FROM provider_invitations WHERE provider_id = $1 AND user_id = $2 AND role = $3 \
         RETURNING COALESCE(invited_by, 0) AS invited_by",
    )
    .bind(id)
    .bind(user.id)
    .bind(role.as_str())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if !accept {
        return log_change(
            &db.pool,
            id,
            user.id,
            &format!("declined the invitation {}", role.phrase()),
        )
        .await;
    }
    match role {
        InviteRole::Clinician => list_clinician(db, id, user.id, invited_by).await,
        InviteRole::Staff | InviteRole::Owner => {
            let role_name = if role == InviteRole::Owner {
                "owner"
            } else {
                "staff"
            };
            sqlx::query(
                "INSERT INTO provider_staff (provider_id, user_id, role, added_by, added_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (provider_id, user_id) DO UPDATE SET role = excluded.role",
            )
            .bind(id)
            .bind(user.id)
            .bind(role_name)
            .bind(invited_by)
            .bind(now_ms())
            .execute(&db.pool)
            .await?;
            log_change(&db.pool, id, user.id, &format!("joined as {role_name}")).await
        }
    }
}

/// A staff member leaves the clinic's staff (an owner too, while another owner stays). A
/// clinician's own profile is theirs: they unlist themselves from clinics instead.
pub async fn leave(db: &Db, user: &CurrentUser, slug: &str) -> Result<(), AppError> {
    let (id, kind) = provider(db, slug).await?;
    let Some(owner) = staff_role(db, id, user.id).await? else {
        return Err(AppError::field(
            "staff",
            "You are not on this clinic's staff.",
        ));
    };
    if kind == ProviderKind::Clinician {
        return Err(AppError::field(
            "staff",
            "This is your own directory profile. To leave a clinic, ask its staff to unlist you, or unlist yourself there.",
        ));
    }
    if owner {
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) AS n FROM provider_staff WHERE provider_id = $1 AND role = 'owner' AND user_id <> $2",
        )
        .bind(id)
        .bind(user.id)
        .fetch_one(&db.pool)
        .await?;
        if others == 0 {
            return Err(AppError::field(
                "staff",
                "You are the clinic's only owner. Make another staff member an owner first.",
            ));
        }
    }
    sqlx::query("DELETE FROM provider_staff WHERE provider_id = $1 AND user_id = $2")
        .bind(id)
        .bind(user.id)
        .execute(&db.pool)
        .await?;
    log_change(&db.pool, id, user.id, "left the staff").await
}
