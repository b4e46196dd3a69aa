//! Server-only community storage: directory, detail, create/edit, membership with counts kept in the same transaction.

use super::types::*;
use crate::db::{is_unique_violation, now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;

const SUMMARY_COLUMNS: &str =
    "c.id, c.slug, c.name, c.description, c.colour, c.member_count, c.post_count";

/// A community's page as `detail` reads it.
#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: CommunitySummary,
    id: i64,
    rules: String,
    hold_new_members: Flag,
    /// The viewer's `is_moderator` in it, when a member.
    membership: Option<i64>,
    following: Option<i64>,
}

/// Every community by name (one indexed query; communities are few, so no paging yet).
pub async fn list(db: &Db) -> Result<Vec<CommunitySummary>, AppError> {
    let sql =
        format!("SELECT {SUMMARY_COLUMNS} FROM communities c ORDER BY c.name, c.id LIMIT 500");
    Ok(sqlx::query_as(&sql).fetch_all(&db.pool).await?)
}

/// The slugs of the communities `user` belongs to.
pub async fn slugs_of(db: &Db, user: UserId) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT c.slug FROM community_members m JOIN communities c ON c.id = m.community_id \
         WHERE m.user_id = $1 ORDER BY c.slug",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?)
}

/// One community with its moderators and (for a logged-in member) their membership.
pub async fn detail(
    db: &Db,
    slug: &str,
    viewer: Option<crate::access::Viewer>,
) -> Result<Option<CommunityDetail>, AppError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, c.rules, c.hold_new_members, \
           (SELECT is_moderator FROM community_members m WHERE m.community_id = c.id AND m.user_id = $2) AS membership, \
           (SELECT 1 FROM follows f WHERE f.community_id = c.id AND f.user_id = $2) AS following \
         FROM communities c WHERE c.slug = $1"
    );
    let row: Option<DetailRow> = sqlx::query_as(&sql)
        .bind(slug)
        .bind(viewer.map(|v| v.id).unwrap_or_default())
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let (id, membership) = (row.id, row.membership);
    let moderators = sqlx::query_scalar::<_, String>(
        "SELECT u.handle FROM community_members m JOIN users u ON u.id = m.user_id \
         WHERE m.community_id = $1 AND m.is_moderator = 1 ORDER BY u.handle LIMIT 100",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(CommunityDetail {
        summary: row.summary,
        rules: row.rules,
        moderators,
        is_member: viewer.map(|_| membership.is_some()),
        can_moderate: membership == Some(1) || viewer.is_some_and(|v| v.is_admin),
        can_manage: viewer.is_some_and(|v| v.is_admin),
        hold_new_members: row.hold_new_members.get(),
        following: row.following.is_some(),
    }))
}

fn slug_taken(e: sqlx::Error) -> AppError {
    if is_unique_violation(&e, "communities_slug_key") {
        AppError::field("slug", "Another community already uses this address.")
    } else {
        AppError::from(e)
    }
}

/// Creates a community; the audit log records which admin did.
pub async fn create(db: &Db, admin_id: UserId, c: &CommunityInput) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO communities (slug, name, description, rules, colour, created_by, created_at, updated_at, \
           hold_new_members) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
    )
    .bind(&c.slug)
    .bind(&c.name)
    .bind(&c.description)
    .bind(&c.rules)
    .bind(&c.colour)
    .bind(admin_id)
    .bind(now)
    .bind(i64::from(c.hold_new_members))
    .execute(&mut *tx)
    .await
    .map_err(slug_taken)?;
    let detail = format!("{} ({})", c.name, c.slug);
    crate::admin::repo::audit(&mut tx, admin_id, "community.create", None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Updates the community now at `current_slug` (the slug itself may change); audited.
pub async fn update(
    db: &Db,
    admin_id: UserId,
    current_slug: &str,
    c: &CommunityInput,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE communities SET slug = $1, name = $2, description = $3, rules = $4, colour = $5, updated_at = $6, \
         hold_new_members = $8 WHERE slug = $7",
    )
    .bind(&c.slug)
    .bind(&c.name)
    .bind(&c.description)
    .bind(&c.rules)
    .bind(&c.colour)
    .bind(now_ms())
    .bind(current_slug)
    .bind(i64::from(c.hold_new_members))
    .execute(&mut *tx)
    .await
    .map_err(slug_taken)?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let detail = if current_slug == c.slug {
        format!("{} ({})", c.name, c.slug)
    } else {
        format!("{} ({}, was {current_slug})", c.name, c.slug)
    };
    crate::admin::repo::audit(&mut tx, admin_id, "community.edit", None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Joins (idempotent); the member count moves in the same transaction.
pub async fn join(db: &Db, user_id: UserId, slug: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO community_members (community_id, user_id, joined_at) \
         SELECT id, $1, $2 FROM communities WHERE slug = $3 \
         ON CONFLICT (community_id, user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(now_ms())
    .bind(slug)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        sqlx::query("UPDATE communities SET member_count = member_count + 1 WHERE slug = $1")
            .bind(slug)
            .execute(&mut *tx)
            .await?;
    } else {
        let exists = sqlx::query("SELECT id FROM communities WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !exists {
            return Err(AppError::NotFound);
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Leaves (idempotent); a leaving moderator stops being one.
pub async fn leave(db: &Db, user_id: UserId, slug: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let deleted = sqlx::query(
        "DELETE FROM community_members WHERE user_id = $1 \
         AND community_id = (SELECT id FROM communities WHERE slug = $2)",
    )
    .bind(user_id)
    .bind(slug)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if deleted == 1 {
        sqlx::query("UPDATE communities SET member_count = member_count - 1 WHERE slug = $1")
            .bind(slug)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Appoints (or removes) a community moderator; appointing also makes them a member.
pub async fn set_moderator(
    db: &Db,
    admin_id: UserId,
    slug: &str,
    handle: &str,
    moderator: bool,
) -> Result<(), AppError> {
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    let user: Option<UserId> = sqlx::query_scalar("SELECT id FROM users WHERE handle = $1")
        .bind(&handle)
        .fetch_optional(&db.pool)
        .await?;
    let Some(user_id) = user else {
        return Err(AppError::field("handle", "No member has this handle."));
    };
    if moderator {
        join(db, user_id, slug).await?;
    }
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query(
        "UPDATE community_members SET is_moderator = $1 WHERE user_id = $2 \
         AND community_id = (SELECT id FROM communities WHERE slug = $3)",
    )
    .bind(moderator as i64)
    .bind(user_id)
    .bind(slug)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        // Only a revoke gets here (appointing joined first): nothing to change, nothing to log.
        return Err(AppError::field(
            "handle",
            "This member is not in the community.",
        ));
    }
    crate::admin::repo::audit(
        &mut tx,
        admin_id,
        if moderator {
            "community.moderator.grant"
        } else {
            "community.moderator.revoke"
        },
        Some(user_id),
        slug,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
