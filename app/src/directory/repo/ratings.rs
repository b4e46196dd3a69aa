//! Ratings and reviews: rating with a visit code, the recomputed scores, the clinic's reply, reports and their resolution.

use super::*;
use crate::ids::UserId;

/// Normalises a review code as typed ("abcd-ef12-34" → "ABCDEF1234").
pub(super) fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Takes the visit code a review came with, if any: true when it proves the visit (and is
/// used up now), a field error when it cannot.
async fn use_code(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    user: UserId,
    raw: &str,
    now: i64,
) -> Result<bool, AppError> {
    let code = normalise_code(raw);
    if code.is_empty() {
        return Ok(false);
    }
    let hash = crate::auth::repo::hash_token(&code);
    let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT provider_id, expires_at, used_at FROM review_codes WHERE code_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((code_provider, expires_at, used_at)) = row else {
        return Err(AppError::field(
            "code",
            "This code is not valid. Check it with the clinic.",
        ));
    };
    if code_provider != id {
        return Err(AppError::field(
            "code",
            "This code belongs to another provider.",
        ));
    }
    if used_at.is_some() {
        return Err(AppError::field("code", "This code has already been used."));
    }
    if expires_at < now {
        return Err(AppError::field(
            "code",
            "This code has expired. Ask the clinic for a new one.",
        ));
    }
    let done = sqlx::query(
        "UPDATE review_codes SET used_at = $1, used_by = $2 WHERE code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::field("code", "This code has already been used."));
    }
    Ok(true)
}

/// Writes the member's review of provider `id` (a new one, or their earlier one changed); its id.
async fn save_review(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    user: UserId,
    input: &RatingInput,
    verified: bool,
    now: i64,
) -> Result<i64, AppError> {
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM reviews WHERE provider_id = $1 AND author_id = $2")
            .bind(id)
            .bind(user)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match existing {
        Some(rid) => {
            sqlx::query(
                "UPDATE reviews SET stars = $1, explains = $2, listens = $3, premises = $4, wait_minutes = $5, \
                   body = $6, treatment = $7, verified_visit = CASE WHEN $8 = 1 THEN 1 ELSE verified_visit END, \
                   updated_at = $9 WHERE id = $10",
            )
            .bind(input.stars)
            .bind(input.explains)
            .bind(input.listens)
            .bind(input.premises)
            .bind(input.wait_minutes)
            .bind(&input.body)
            .bind(&input.treatment)
            .bind(verified as i64)
            .bind(now)
            .bind(rid)
            .execute(&mut **tx)
            .await?;
            rid
        }
        None => sqlx::query_scalar(
            "INSERT INTO reviews (provider_id, author_id, stars, explains, listens, premises, wait_minutes, body, \
               treatment, verified_visit, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(id)
        .bind(user)
        .bind(input.stars)
        .bind(input.explains)
        .bind(input.listens)
        .bind(input.premises)
        .bind(input.wait_minutes)
        .bind(&input.body)
        .bind(&input.treatment)
        .bind(verified as i64)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e, "reviews_author_key") {
                AppError::field("stars", "You have rated this provider already; reload to edit it.")
            } else {
                AppError::from(e)
            }
        })?,
    })
}

/// Rates a provider, or edits the member's rating (the history keeps every version).
pub async fn rate(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    input: &RatingInput,
) -> Result<(), AppError> {
    let (id, _) = provider(db, slug).await?;
    // Own staff (and staff of a clinic that lists this clinician) may not rate.
    let own: Option<AnyRow> = sqlx::query(
        "SELECT 1 AS x FROM provider_staff s WHERE s.user_id = $2 AND (s.provider_id = $1 OR s.provider_id IN \
           (SELECT l.clinic_id FROM provider_clinicians l WHERE l.clinician_id = $1) OR s.provider_id IN \
           (SELECT l.clinician_id FROM provider_clinicians l WHERE l.clinic_id = $1))",
    )
    .bind(id)
    .bind(user.id)
    .fetch_optional(&db.pool)
    .await?;
    if own.is_some() {
        return Err(AppError::field(
            "stars",
            "Staff cannot rate their own practice or its clinicians.",
        ));
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let verified = use_code(&mut tx, id, user.id, &input.code, now).await?;
    let review_id = save_review(&mut tx, id, user.id, input, verified, now).await?;
    sqlx::query(
        "INSERT INTO review_versions (review_id, stars, explains, listens, premises, wait_minutes, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(review_id)
    .bind(input.stars)
    .bind(input.explains)
    .bind(input.listens)
    .bind(input.premises)
    .bind(input.wait_minutes)
    .bind(&input.body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    recompute(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// A provider's visible reviews summed up (`recompute`'s one aggregate).
#[derive(sqlx::FromRow)]
struct Aggregates {
    n: i64,
    total: i64,
    s1: i64,
    s2: i64,
    s3: i64,
    s4: i64,
    s5: i64,
    explains_sum: i64,
    explains_n: i64,
    listens_sum: i64,
    listens_n: i64,
    premises_sum: i64,
    premises_n: i64,
    wait_minutes_sum: i64,
    wait_minutes_n: i64,
}

/// Recomputes a provider's rating aggregates from its visible reviews (one indexed aggregate).
pub(crate) async fn recompute(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    provider_id: i64,
) -> Result<(), AppError> {
    // Lock the provider's row first: concurrent raters then recompute one after the other, each
    // (on PostgreSQL's read-committed) seeing the reviews the others committed.
    sqlx::query("UPDATE providers SET rating_count = rating_count WHERE id = $1")
        .bind(provider_id)
        .execute(&mut **tx)
        .await?;
    let sum = |col: &str| {
        format!("CAST(COALESCE(SUM({col}), 0) AS BIGINT) AS {col}_sum, COUNT({col}) AS {col}_n")
    };
    let sql = format!(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(stars), 0) AS BIGINT) AS total, \
           {s1}, {s2}, {s3}, {s4}, {s5}, {e}, {l}, {p}, {w} FROM reviews WHERE provider_id = $1 AND hidden = 0",
        s1 = "CAST(COALESCE(SUM(CASE WHEN stars = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s1",
        s2 = "CAST(COALESCE(SUM(CASE WHEN stars = 2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s2",
        s3 = "CAST(COALESCE(SUM(CASE WHEN stars = 3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s3",
        s4 = "CAST(COALESCE(SUM(CASE WHEN stars = 4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s4",
        s5 = "CAST(COALESCE(SUM(CASE WHEN stars = 5 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s5",
        e = sum("explains"),
        l = sum("listens"),
        p = sum("premises"),
        w = sum("wait_minutes"),
    );
    let r: Aggregates = sqlx::query_as(&sql)
        .bind(provider_id)
        .fetch_one(&mut **tx)
        .await?;
    let avg = |s: i64, n: i64| (n > 0).then(|| (s * 100 + n / 2) / n);
    let n = r.n;
    let avg_x100 = if n > 0 {
        (r.total * 100 + n / 2) / n
    } else {
        0
    };
    let (s, c) = (r.wait_minutes_sum, r.wait_minutes_n);
    let wait = (c > 0).then(|| (s + c / 2) / c);
    sqlx::query(
        "UPDATE providers SET rating_count = $1, rating_avg_x100 = $2, stars_1 = $3, stars_2 = $4, stars_3 = $5, \
           stars_4 = $6, stars_5 = $7, explains_avg_x100 = $8, listens_avg_x100 = $9, premises_avg_x100 = $10, \
           wait_avg_minutes = $11 WHERE id = $12",
    )
    .bind(n)
    .bind(avg_x100)
    .bind(r.s1)
    .bind(r.s2)
    .bind(r.s3)
    .bind(r.s4)
    .bind(r.s5)
    .bind(avg(r.explains_sum, r.explains_n))
    .bind(avg(r.listens_sum, r.listens_n))
    .bind(avg(r.premises_sum, r.premises_n))
    .bind(wait)
    .bind(provider_id)
    .execute(&mut **tx)
    .await?;
    // The conditions' copy, for the communities' best-rated providers (`top_for_community`).
    sqlx::query(
        "UPDATE provider_conditions SET rating_avg_x100 = $1, rating_count = $2 WHERE provider_id = $3",
    )
    .bind(avg_x100)
    .bind(n)
    .bind(provider_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new one-time review code for the provider (staff only); returns it once, stores its hash.
pub async fn new_code(db: &Db, user: &CurrentUser, slug: &str) -> Result<String, AppError> {
    let (id, _) = provider(db, slug).await?;
    require_own_staff(db, id, user).await?;
    let raw: String = crate::auth::repo::hash_token(&crate::auth::repo::new_token())
        .chars()
        .take(10)
        .collect::<String>()
        .to_uppercase();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO review_codes (code_hash, provider_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(crate::auth::repo::hash_token(&raw))
    .bind(id)
    .bind(user.id)
    .bind(now)
    .bind(now + CODE_DAYS * DAY_MS)
    .execute(&db.pool)
    .await?;
    Ok(format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..]))
}

pub(super) async fn review_provider(db: &Db, review_id: i64) -> Result<(i64, UserId), AppError> {
    sqlx::query_as("SELECT provider_id, author_id FROM reviews WHERE id = $1")
        .bind(review_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// The provider's one public reply to a review (a new reply replaces the old one).
pub async fn reply(
    db: &Db,
    user: &CurrentUser,
    review_id: i64,
    body: &str,
) -> Result<(), AppError> {
    let (provider_id, author) = review_provider(db, review_id).await?;
    if staff_role(db, provider_id, user.id).await?.is_none() {
        return Err(AppError::Forbidden);
    }
    let (slug, name): (String, String) =
        sqlx::query_as("SELECT slug, name FROM providers WHERE id = $1")
            .bind(provider_id)
            .fetch_one(&db.pool)
            .await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE reviews SET reply_body = $1, reply_by = $2, reply_at = $3 WHERE id = $4")
        .bind(body)
        .bind(user.id)
        .bind(now_ms())
        .bind(review_id)
        .execute(&mut *tx)
        .await?;
    let line = format!("{name} replied to your review");
    let link = format!("/directory/{slug}#review-{review_id}");
    let notified =
        crate::notifications::repo::add(&mut tx, author, "review_reply", user.id, &line, &link)
            .await?;
    tx.commit().await?;
    if notified {
        db.announce(&[author]).await;
    }
    Ok(())
}

/// Anyone logged in reports a review; the provider disputes one (asking the reviewer to describe the treatment).
pub async fn report(
    db: &Db,
    user: &CurrentUser,
    review_id: i64,
    reason: &str,
    dispute: bool,
) -> Result<(), AppError> {
    let (provider_id, author) = review_provider(db, review_id).await?;
    if author == user.id {
        return Err(AppError::field(
            "reason",
            "This is your own review: change it with “Edit your rating”.",
        ));
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if dispute {
        if staff_role(db, provider_id, user.id).await?.is_none() {
            return Err(AppError::Forbidden);
        }
        sqlx::query("UPDATE reviews SET dispute_note = $1, disputed_at = $2 WHERE id = $3")
            .bind(reason)
            .bind(now)
            .bind(review_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO review_reports (review_id, reporter_id, kind, reason, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(review_id)
    .bind(user.id)
    .bind(if dispute { "dispute" } else { "report" })
    .bind(reason)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // The reviewer is told of a dispute and what is asked of them (never of a report: who
    // reported what stays with the moderators).
    if dispute {
        let (slug, name, author): (String, String, UserId) = sqlx::query_as(
            "SELECT p.slug, p.name, r.author_id FROM reviews r JOIN providers p ON p.id = r.provider_id \
             WHERE r.id = $1",
        )
        .bind(review_id)
        .fetch_one(&mut *tx)
        .await?;
        let line = format!(
            "{name} disputes your review and asks you to describe the treatment you had there; \
             the admins decide. Open your review to answer."
        );
        let link = format!("/directory/{slug}#review-{review_id}");
        let told = crate::notifications::repo::add(
            &mut tx,
            author,
            "review_dispute",
            user.id,
            &line,
            &link,
        )
        .await?;
        tx.commit().await?;
        if told {
            db.announce(&[author]).await;
        }
        return Ok(());
    }
    tx.commit().await?;
    Ok(())
}

/// A report as the admins' list reads it (beside the review's own columns).
#[derive(sqlx::FromRow)]
struct ReportRow {
    report_id: i64,
    kind: String,
    reason: String,
    reporter: String,
    provider_slug: String,
    provider_name: String,
}

/// Open reports and disputes for the admins, oldest first.
pub async fn open_reports(db: &Db) -> Result<Vec<OpenReport>, AppError> {
    let sql = format!(
        "SELECT rr.id AS report_id, rr.kind, rr.reason, ru.handle AS reporter, p.slug AS provider_slug, \
           p.name AS provider_name, {REVIEW_COLUMNS} \
         FROM review_reports rr JOIN reviews r ON r.id = rr.review_id JOIN users u ON u.id = r.author_id \
         JOIN users ru ON ru.id = rr.reporter_id JOIN providers p ON p.id = r.provider_id \
         WHERE rr.resolved_at IS NULL ORDER BY rr.id LIMIT 100"
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let o = ReportRow::from_row(r)?;
            Ok(OpenReport {
                id: o.report_id,
                kind: o.kind,
                reason: o.reason,
                reporter: o.reporter,
                provider_slug: o.provider_slug,
                provider_name: o.provider_name,
                review: review(r)?,
            })
        })
        .collect()
}

/// An admin keeps or hides the reported review; every open report on it is closed and the outcome logged.
pub async fn resolve(
    db: &Db,
    admin: &CurrentUser,
    report_id: i64,
    hide: bool,
) -> Result<(), AppError> {
    let (review_id, provider_id, author_id): (i64, i64, UserId) = sqlx::query_as(
        "SELECT rr.review_id, r.provider_id, r.author_id FROM review_reports rr JOIN reviews r ON r.id = rr.review_id \
         WHERE rr.id = $1",
    )
    .bind(report_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let now = now_ms();
    let outcome = if hide { "hidden" } else { "kept" };
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE review_reports SET resolved_at = $1, resolved_by = $2, outcome = $3 \
         WHERE review_id = $4 AND resolved_at IS NULL",
    )
    .bind(now)
    .bind(admin.id)
    .bind(outcome)
    .bind(review_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE reviews SET hidden = $1 WHERE id = $2")
        .bind(hide as i64)
        .bind(review_id)
        .execute(&mut *tx)
        .await?;
    recompute(&mut tx, provider_id).await?;
    crate::admin::repo::audit(
        &mut tx,
        admin.id,
        if hide { "review.hide" } else { "review.keep" },
        Some(author_id),
        &format!("review {review_id} {outcome} after report {report_id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- contact requests
