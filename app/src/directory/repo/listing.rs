//! Requests to be listed: a member asks, the site's team lists the clinic (`create_clinic`) or declines, and the asker is told.

use super::*;
use crate::db::Tx;

/// Stores a member's request; refused while they have `OPEN_LISTING_REQUESTS` waiting.
pub async fn ask(db: &Db, user: UserId, r: &NewListing) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM listing_requests WHERE user_id = $1 AND decided_at IS NULL",
    )
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    if open >= OPEN_LISTING_REQUESTS {
        return Err(AppError::field(
            "name",
            format!(
                "You have {open} requests waiting; the site's team answers them before you ask again."
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO listing_requests (user_id, name, city, website, role, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user)
    .bind(&r.name)
    .bind(&r.city)
    .bind(&r.website)
    .bind(&r.role)
    .bind(&r.note)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The member's own requests, newest first (the last 20).
pub async fn mine(db: &Db, user: UserId) -> Result<Vec<MyListingRequest>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.name, r.city, r.created_at, r.outcome, r.reason, p.slug \
         FROM listing_requests r LEFT JOIN providers p ON p.id = r.provider_id \
         WHERE r.user_id = $1 ORDER BY r.id DESC LIMIT 20",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?)
}

/// Requests waiting for the team, oldest first, a page after `after` (a request's id).
pub async fn open(
    db: &Db,
    after: Option<i64>,
) -> Result<crate::admin::types::Page<OpenListingRequest>, AppError> {
    let items = sqlx::query_as(
        "SELECT r.id, u.handle, r.name, r.city, r.website, r.role, r.note, r.created_at \
         FROM listing_requests r JOIN users u ON u.id = r.user_id \
         WHERE r.decided_at IS NULL AND r.id > $1 ORDER BY r.id LIMIT $2",
    )
    .bind(after.unwrap_or(0))
    .bind(crate::admin::types::PAGE_SIZE + 1)
    .fetch_all(&db.pool)
    .await?;
    Ok(crate::admin::types::Page::of(
        items,
        |r: &OpenListingRequest| r.id,
    ))
}

/// Marks request `id` listed as clinic `provider` (created in `tx`) and tells the asker. Not
/// found when the request was decided already or does not exist.
pub(super) async fn mark_listed(
    tx: &mut Tx<'_>,
    admin: UserId,
    id: i64,
    provider: i64,
    slug: &str,
) -> Result<UserId, AppError> {
    let (asker, name): (UserId, String) = sqlx::query_as(
        "UPDATE listing_requests SET decided_at = $1, decided_by = $2, outcome = 'listed', provider_id = $3 \
         WHERE id = $4 AND decided_at IS NULL RETURNING user_id, name",
    )
    .bind(now_ms())
    .bind(admin)
    .bind(provider)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| AppError::field("request", "This request was answered already."))?;
    let text =
        format!("{name} is listed in the directory. Fill in its profile so patients find it.");
    crate::notifications::repo::add(
        tx,
        asker,
        "directory",
        admin,
        &text,
        &format!("/directory/{slug}/edit"),
    )
    .await?;
    Ok(asker)
}

/// The team declines request `id` with a reason the asker reads.
pub async fn decline(db: &Db, admin: UserId, id: i64, reason: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (asker, name): (UserId, String) = sqlx::query_as(
        "UPDATE listing_requests SET decided_at = $1, decided_by = $2, outcome = 'declined', reason = $3 \
         WHERE id = $4 AND decided_at IS NULL RETURNING user_id, name",
    )
    .bind(now_ms())
    .bind(admin)
    .bind(reason)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let text = format!("Your request to list {name} was declined: {reason}");
    crate::notifications::repo::add(&mut tx, asker, "directory", admin, &text, "/directory/list")
        .await?;
    crate::admin::repo::audit(
        &mut tx,
        admin,
        "listing.decline",
        Some(asker),
        &format!("{name}: {reason}"),
    )
    .await?;
    tx.commit().await?;
    db.announce(&[asker]).await;
    Ok(())
}
