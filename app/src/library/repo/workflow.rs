//! The library's review workflow: a draft submitted to a reviewer, published as a new version, or sent back.

use super::*;

/// The author (or an editor) asks a verified clinician, not themselves, to review.
pub async fn submit(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    reviewer: &str,
) -> Result<(), AppError> {
    let handle = reviewer.trim().trim_start_matches('@').to_lowercase();
    let (reviewer_id, kind, status): (UserId, String, String) =
        sqlx::query_as("SELECT id, kind, clinician_status FROM users WHERE handle = $1")
            .bind(&handle)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| AppError::field("reviewer", "No member has this handle."))?;
    if kind != "clinician" || status != "verified" {
        return Err(AppError::field(
            "reviewer",
            "The reviewer must be a verified clinician.",
        ));
    }
    let mut tx = db.begin_write().await?;
    let f = facts(&mut tx, slug).await?;
    if f.author != user.id && !user.is_editor && !user.is_admin {
        return Err(AppError::Forbidden);
    }
    if reviewer_id == f.author {
        return Err(AppError::field(
            "reviewer",
            "Another clinician must review your article.",
        ));
    }
    if f.status == ArticleStatus::Published {
        return Err(AppError::field(
            "reviewer",
            "Nothing changed since it was published.",
        ));
    }
    sqlx::query("UPDATE articles SET status = 'review', reviewer_id = $1, review_note = '', updated_at = $2 WHERE id = $3")
        .bind(reviewer_id)
        .bind(now_ms())
        .bind(f.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The named reviewer publishes the working copy as a new version. Above the target grade the
/// reviewer must say so explicitly (`override_grade`).
pub async fn publish(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    override_grade: bool,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = facts(&mut tx, slug).await?;
    if f.status != ArticleStatus::Review || f.reviewer != Some(user.id) || !verified_clinician(user)
    {
        return Err(AppError::Forbidden);
    }
    let (title, summary, body, key_facts, sources, tags): (
        String,
        String,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT title, summary, body_md, key_facts, sources, tags FROM articles WHERE id = $1",
    )
    .bind(f.id)
    .fetch_one(&mut *tx)
    .await?;
    let score = readability::score(&readable_text(&summary, &body, &key_facts));
    if !score.meets_target() && !override_grade {
        return Err(AppError::field(
            "override",
            format!(
                "This reads at grade {:.1}, above the target of {:.0}. Send it back to simplify, or confirm that it may be published as it is.",
                score.grade,
                readability::TARGET_GRADE
            ),
        ));
    }
    let now = now_ms();
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM article_versions WHERE article_id = $1",
    )
    .bind(f.id)
    .fetch_one(&mut *tx)
    .await?;
    let (html, _) = markdown::article_html(&body);
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO article_versions (article_id, number, title, summary, body_md, body_html, key_facts, sources, tags, \
           grade_x10, ease_x10, readability_override, reviewer_id, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(f.id)
    .bind(number)
    .bind(&title)
    .bind(&summary)
    .bind(&body)
    .bind(&html)
    .bind(&key_facts)
    .bind(&sources)
    .bind(&tags)
    .bind(x10(score.grade))
    .bind(x10(score.reading_ease))
    .bind((!score.meets_target()) as i64)
    .bind(user.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE articles SET status = 'published', published_version_id = $1, \
           first_published_at = COALESCE(first_published_at, $2), next_review_at = $3, updated_at = $2 WHERE id = $4",
    )
    .bind(version)
    .bind(now)
    .bind(now + REVIEW_INTERVAL_MS)
    .bind(f.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The reviewer sends the draft back with a note for the author.
pub async fn send_back(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = facts(&mut tx, slug).await?;
    if f.status != ArticleStatus::Review || f.reviewer != Some(user.id) {
        return Err(AppError::Forbidden);
    }
    sqlx::query(
        "UPDATE articles SET status = 'draft', review_note = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(note)
    .bind(now_ms())
    .bind(f.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
