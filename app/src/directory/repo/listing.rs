//! Requests to be listed: a member asks, the site's team lists the clinic (`create_clinic`) or declines, and the asker is told.

use super::*;
use crate::db::Tx;

/// Stores a member's request and tells the site's team (every admin); refused while the member
/// has `OPEN_LISTING_REQUESTS` waiting.
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
    let team: Vec<UserId> = sqlx::query_scalar("SELECT id FROM users WHERE is_admin = 1 LIMIT 50")
        .fetch_all(&mut *tx)
        .await?;
    let text = format!(
        "{} in {} asks to be listed in the directory",
        r.name, r.city
    );
    let mut told = Vec::new();
    for admin in team {
        if crate::notifications::repo::add(
            &mut tx,
            admin,
            "directory",
            user,
            &text,
            "/directory/new",
        )
        .await?
        {
            told.push(admin);
        }
    }
    tx.commit().await?;
    db.announce(&told).await;
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

/// The team's answer to a request: the clinic it listed, or the reason it declined.
#[derive(Clone, Copy)]
enum Answer<'a> {
    Listed { provider: i64, slug: &'a str },
    Declined(&'a str),
}

/// Stores the answer to request `id` and tells the asker, in `tx`: the asker and the clinic's
/// name, or `None` when the request was answered already or does not exist.
async fn answer(
    tx: &mut Tx<'_>,
    admin: UserId,
    id: i64,
    answer: Answer<'_>,
) -> Result<Option<(UserId, String)>, AppError> {
    let (outcome, reason, provider) = match answer {
        Answer::Listed { provider, .. } => ("listed", "", Some(provider)),
        Answer::Declined(reason) => ("declined", reason, None),
    };
    let Some((asker, name)): Option<(UserId, String)> = sqlx::query_as(
        "UPDATE listing_requests SET decided_at = $1, decided_by = $2, outcome = $3, reason = $4, provider_id = $5 \
         WHERE id = $6 AND decided_at IS NULL RETURNING user_id, name",
    )
    .bind(now_ms())
    .bind(admin)
    .bind(outcome)
    .bind(reason)
    .bind(provider)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let (text, link) = match answer {
        Answer::Listed { slug, .. } => (
            format!("{name} is listed in the directory. Fill in its profile so patients find it."),
            format!("/directory/{slug}/edit"),
        ),
        Answer::Declined(reason) => (
            format!("Your request to list {name} was declined: {reason}"),
            "/directory/list".to_string(),
        ),
    };
    crate::notifications::repo::add(tx, asker, "directory", admin, &text, &link).await?;
    Ok(Some((asker, name)))
}

/// Marks request `id` listed as clinic `provider` (created in `tx`) and tells the asker; a field
/// error when it was answered already.
pub(super) async fn mark_listed(
    tx: &mut Tx<'_>,
    admin: UserId,
    id: i64,
    provider: i64,
    slug: &str,
) -> Result<UserId, AppError> {
    answer(tx, admin, id, Answer::Listed { provider, slug })
        .await?
        .map(|(asker, _)| asker)
        .ok_or_else(|| AppError::field("request", "This request was answered already."))
}

/// The team declines request `id` with a reason the asker reads.
pub async fn decline(db: &Db, admin: UserId, id: i64, reason: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (asker, name) = answer(&mut tx, admin, id, Answer::Declined(reason))
        .await?
        .ok_or(AppError::NotFound)?;
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
