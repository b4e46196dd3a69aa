//! Server-only announcement storage: what runs now for a page (minus what the reader dismissed), the admin list, creating and ending (audited), and members' dismissals.

use super::types::*;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;

/// At most this many banners at once (important first, then the newest).
const SHOWN_MAX: i64 = 3;

/// The announcements running at `now` for a page of community `slug` (or none), minus those
/// member `user` dismissed and those in a visitor's cookie `skip`.
pub async fn running(
    db: &Db,
    slug: Option<&str>,
    user: Option<UserId>,
    skip: &[i64],
    now: i64,
) -> Result<Vec<Announcement>, AppError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT a.id, a.title, a.body, a.severity FROM announcements a \
         LEFT JOIN communities c ON c.id = a.community_id \
         WHERE a.starts_at <= $1 AND (a.ends_at IS NULL OR a.ends_at > $1) \
           AND (a.community_id IS NULL OR c.slug = $2) \
           AND NOT EXISTS (SELECT 1 FROM announcement_dismissals d \
                           WHERE d.announcement_id = a.id AND d.user_id = $3) \
         ORDER BY CASE WHEN a.severity = 'important' THEN 0 ELSE 1 END, a.id DESC \
         LIMIT $4",
    )
    .bind(now)
    .bind(slug)
    .bind(user)
    .bind(SHOWN_MAX + skip.len() as i64)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for (id, title, body, severity) in rows {
        if skip.contains(&id) {
            continue;
        }
        out.push(Announcement {
            id,
            title,
            body,
            severity: Severity::from_db(&severity),
        });
    }
    out.truncate(SHOWN_MAX as usize);
    Ok(out)
}

/// Whether announcement `id` exists (a dismissal of anything else is a 404).
pub async fn exists(db: &Db, id: i64) -> Result<bool, AppError> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM announcements WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

pub async fn dismiss(db: &Db, user: UserId, id: i64) -> Result<(), AppError> {
    if !exists(db, id).await? {
        return Err(AppError::NotFound);
    }
    sqlx::query(
        "INSERT INTO announcement_dismissals (announcement_id, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (announcement_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(user)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn create(db: &Db, actor: UserId, a: NewAnnouncement) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let community: Option<i64> = match &a.community {
        Some(slug) => Some(
            sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| AppError::field("community", "Choose a community from the list."))?,
        ),
        None => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO announcements (community_id, title, body, severity, starts_at, ends_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(community)
    .bind(&a.title)
    .bind(&a.body)
    .bind(a.severity.as_str())
    .bind(a.starts_at)
    .bind(a.ends_at)
    .bind(actor)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    crate::admin::repo::audit(&mut tx, actor, "announcement_add", None, &a.title).await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends a running or scheduled announcement now.
pub async fn end(db: &Db, actor: UserId, id: i64) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let title: String = sqlx::query_scalar(
        "UPDATE announcements SET ends_at = $1 WHERE id = $2 AND (ends_at IS NULL OR ends_at > $1) RETURNING title",
    )
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    crate::admin::repo::audit(&mut tx, actor, "announcement_end", None, &title).await?;
    tx.commit().await?;
    Ok(())
}

/// An announcement as the admin page's list reads it.
#[derive(sqlx::FromRow)]
struct ManagedRow {
    id: i64,
    title: String,
    body: String,
    severity: String,
    community: Option<String>,
    starts_at: i64,
    ends_at: Option<i64>,
    dismissed: i64,
}

/// The newest announcements, for the admin page.
pub async fn list(db: &Db, now: i64) -> Result<Vec<ManagedAnnouncement>, AppError> {
    let rows: Vec<ManagedRow> = sqlx::query_as(
        "SELECT a.id, a.title, a.body, a.severity, c.name AS community, a.starts_at, a.ends_at, \
           (SELECT COUNT(*) FROM announcement_dismissals d WHERE d.announcement_id = a.id) AS dismissed \
         FROM announcements a LEFT JOIN communities c ON c.id = a.community_id \
         ORDER BY a.id DESC LIMIT 50",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ManagedAnnouncement {
            id: r.id,
            title: r.title,
            body: r.body,
            severity: Severity::from_db(&r.severity),
            community: r.community,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            state: RunState::at(r.starts_at, r.ends_at, now),
            dismissed: r.dismissed,
        })
        .collect())
}
