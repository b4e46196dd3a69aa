//! Server-only library storage: the working copy, the review workflow, published versions, lists and related questions.

use super::readability;
use super::types::*;
use crate::auth::types::{specialty_title, ClinicianStatus, CurrentUser, MemberKind};
use crate::db::{is_unique_violation, now_ms, Db};
use crate::error::AppError;
use crate::ids::{CommunityId, UserId};
use crate::markdown;
use sqlx::any::AnyRow;
use sqlx::FromRow;

mod workflow;
pub use workflow::{publish, send_back, submit};

use crate::db::Tx;

fn verified_clinician(u: &CurrentUser) -> bool {
    u.kind == MemberKind::Clinician && u.clinician_status == ClinicianStatus::Verified
}

/// Editors, verified clinicians and admins write articles.
pub fn can_write(u: &CurrentUser) -> bool {
    u.is_editor || u.is_admin || verified_clinician(u)
}

fn x10(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

async fn set_tags(tx: &mut Tx<'_>, article: i64, tags: &[String]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
        .bind(article)
        .execute(&mut **tx)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO article_tags (article_id, tag) VALUES ($1, $2)")
            .bind(article)
            .bind(tag)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Facts that decide who may touch an article.
#[derive(sqlx::FromRow)]
struct Facts {
    id: i64,
    author: UserId,
    #[sqlx(try_from = "String")]
    status: ArticleStatus,
    reviewer: Option<UserId>,
}

async fn facts(tx: &mut Tx<'_>, slug: &str) -> Result<Facts, AppError> {
    sqlx::query_as(
        "SELECT id, author_id AS author, status, reviewer_id AS reviewer FROM articles WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)
}

/// Creates a draft (`current` empty) or saves the working copy; returns the article's address.
pub async fn save(
    db: &Db,
    user: &CurrentUser,
    current: &str,
    a: &ArticleInput,
) -> Result<String, AppError> {
    if !can_write(user) {
        return Err(AppError::Forbidden);
    }
    let score = readability::score(&readable_text(&a.summary, &a.body, &a.key_facts.join("\n")));
    let community: i64 = sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
        .bind(&a.community)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::field("community", "Choose a community."))?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let (id, slug) = if current.is_empty() {
        insert_article(&mut tx, user.id, CommunityId(community), a, &score, now).await?
    } else {
        (
            update_article(&mut tx, user, current, (community, a), &score, now).await?,
            current.to_string(),
        )
    };
    set_tags(&mut tx, id, &a.tags).await?;
    tx.commit().await?;
    Ok(slug)
}

/// A new article's draft under a free address ("fatigue-2" when "fatigue" is taken): its id and
/// address.
async fn insert_article(
    tx: &mut Tx<'_>,
    author: UserId,
    community: CommunityId,
    a: &ArticleInput,
    score: &readability::Readability,
    now: i64,
) -> Result<(i64, String), AppError> {
    // Numbered when taken ("fatigue-2"), so a new title never collides with an old one.
    let base = slugify(&a.title);
    let taken = sqlx::query_scalar::<_, String>(
        "SELECT slug FROM articles WHERE slug = $1 OR slug LIKE $2",
    )
    .bind(&base)
    .bind(format!("{base}-%"))
    .fetch_all(&mut **tx)
    .await?;
    let slug = crate::slug::first_free(&base, &taken);
    let inserted: i64 = sqlx::query_scalar(
        "INSERT INTO articles (community_id, slug, author_id, title, summary, body_md, key_facts, sources, tags, \
           grade_x10, ease_x10, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(community)
    .bind(&slug)
    .bind(author)
    .bind(&a.title)
    .bind(&a.summary)
    .bind(&a.body)
    .bind(a.key_facts.join("\n"))
    .bind(sources_text(&a.sources))
    .bind(a.tags.join(" "))
    .bind(x10(score.grade))
    .bind(x10(score.reading_ease))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e, "articles_slug_key") {
            // Only when another editor took the same address a moment ago.
            AppError::field("title", "Another article just took this address. Please save again.")
        } else {
            AppError::from(e)
        }
    })?;
    Ok((inserted, slug))
}

/// An article's draft changed by its author or an editor: its id.
async fn update_article(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    current: &str,
    (community, a): (i64, &ArticleInput),
    score: &readability::Readability,
    now: i64,
) -> Result<i64, AppError> {
    let f = facts(tx, current).await?;
    if f.author != user.id && !user.is_editor && !user.is_admin {
        return Err(AppError::Forbidden);
    }
    // Editing a published article starts a new draft; readers keep the published version.
    // Editing one in review takes it back from the reviewer: the "Medically reviewed" stamp
    // covers only text the reviewer saw, so a changed text is asked for review again.
    let status = match f.status {
        ArticleStatus::Published | ArticleStatus::Review => ArticleStatus::Draft,
        other => other,
    };
    sqlx::query(
        "UPDATE articles SET community_id = $1, title = $2, summary = $3, body_md = $4, key_facts = $5, \
           sources = $6, tags = $7, grade_x10 = $8, ease_x10 = $9, updated_at = $10, status = $11 WHERE id = $12",
    )
    .bind(community)
    .bind(&a.title)
    .bind(&a.summary)
    .bind(&a.body)
    .bind(a.key_facts.join("\n"))
    .bind(sources_text(&a.sources))
    .bind(a.tags.join(" "))
    .bind(x10(score.grade))
    .bind(x10(score.reading_ease))
    .bind(now)
    .bind(status.as_str())
    .bind(f.id)
    .execute(&mut **tx)
    .await?;
    Ok(f.id)
}

/// The working copy, for its author, editors, admins and the named reviewer.
/// The columns [`article`] reads: the article and its published version.
#[derive(sqlx::FromRow)]
struct ArticleRow {
    id: i64,
    slug: String,
    author_id: UserId,
    first_published_at: Option<i64>,
    next_review_at: Option<i64>,
    community_id: i64,
    number: i64,
    title: String,
    summary: String,
    body_md: String,
    body_html: String,
    key_facts: String,
    sources: String,
    tags: String,
    grade_x10: i64,
    published_at: i64,
    community_slug: String,
    community_name: String,
    author_handle: String,
    reviewer_handle: String,
    reviewer_specialty: Option<String>,
}

/// The columns [`draft`] reads.
#[derive(sqlx::FromRow)]
struct DraftRow {
    slug: String,
    community_slug: String,
    author_id: UserId,
    reviewer_id: Option<UserId>,
    #[sqlx(try_from = "String")]
    status: ArticleStatus,
    title: String,
    summary: String,
    body_md: String,
    key_facts: String,
    sources: String,
    tags: String,
    author_handle: String,
    reviewer_handle: Option<String>,
    review_note: String,
    grade_x10: i64,
    published_version_id: Option<i64>,
}

pub async fn draft(db: &Db, user: &CurrentUser, slug: &str) -> Result<Draft, AppError> {
    let r: DraftRow = sqlx::query_as(
        "SELECT a.slug, a.author_id, a.reviewer_id, a.status, a.title, a.summary, a.body_md, \
           a.key_facts, a.sources, a.tags, a.review_note, a.grade_x10, a.published_version_id, \
           c.slug AS community_slug, au.handle AS author_handle, rv.handle AS reviewer_handle \
         FROM articles a JOIN communities c ON c.id = a.community_id JOIN users au ON au.id = a.author_id \
         LEFT JOIN users rv ON rv.id = a.reviewer_id WHERE a.slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let is_reviewer = r.reviewer_id == Some(user.id);
    if r.author_id != user.id && !user.is_editor && !user.is_admin && !is_reviewer {
        // "Not yours" answers as "not there": a draft's address confirms nothing.
        return Err(AppError::NotFound);
    }
    Ok(Draft {
        slug: r.slug,
        community_slug: r.community_slug,
        status: r.status,
        title: r.title,
        summary: r.summary,
        body: r.body_md,
        key_facts: r.key_facts,
        sources: r.sources,
        tags: r.tags.split_whitespace().collect::<Vec<_>>().join(", "),
        author: r.author_handle,
        reviewer: r.reviewer_handle,
        review_note: r.review_note,
        grade: r.grade_x10 as f64 / 10.0,
        has_published_version: r.published_version_id.is_some(),
        can_publish: is_reviewer && r.status == ArticleStatus::Review && verified_clinician(user),
    })
}

fn summary_row(r: &AnyRow) -> Result<ArticleSummary, AppError> {
    Ok(ArticleSummary::from_row(r)?)
}

const PUBLISHED: &str =
    "SELECT a.slug, v.title, v.summary, v.published_at, c.slug AS community_slug, \
      c.name AS community_name, rv.handle AS reviewer_handle \
    FROM articles a JOIN article_versions v ON v.id = a.published_version_id \
    JOIN communities c ON c.id = a.community_id JOIN users rv ON rv.id = v.reviewer_id";

/// Published articles, newest first, of one community or all (the library is small: one page of 200).
pub async fn list(db: &Db, community: Option<&str>) -> Result<Vec<ArticleSummary>, AppError> {
    let rows = match community {
        Some(slug) => {
            sqlx::query(&format!(
                "{PUBLISHED} WHERE a.published_version_id IS NOT NULL AND c.slug = $1 ORDER BY a.id DESC LIMIT 200"
            ))
            .bind(slug)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "{PUBLISHED} WHERE a.published_version_id IS NOT NULL ORDER BY a.id DESC LIMIT 200"
            ))
            .fetch_all(&db.pool)
            .await?
        }
    };
    rows.iter().map(summary_row).collect()
}

/// The published article at `slug`, with its versions and the community's related questions.
pub async fn article(
    db: &Db,
    slug: &str,
    viewer: Option<&CurrentUser>,
) -> Result<ArticleView, AppError> {
    let r: ArticleRow = sqlx::query_as(
        "SELECT a.id, a.slug, a.author_id, a.first_published_at, a.next_review_at, a.community_id, \
           v.number, v.title, v.summary, v.body_md, v.body_html, v.key_facts, v.sources, v.tags, v.grade_x10, \
           v.published_at, c.slug AS community_slug, c.name AS community_name, au.handle AS author_handle, \
           rv.handle AS reviewer_handle, rv.specialty AS reviewer_specialty \
         FROM articles a JOIN article_versions v ON v.id = a.published_version_id \
         JOIN communities c ON c.id = a.community_id JOIN users au ON au.id = a.author_id \
         JOIN users rv ON rv.id = v.reviewer_id WHERE a.slug = $1",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let versions: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT number, published_at FROM article_versions WHERE article_id = $1 ORDER BY number DESC LIMIT 100",
    )
    .bind(r.id)
    .fetch_all(&db.pool)
    .await?;
    let related = related_questions(db, &r, viewer).await?;
    let (_, toc) = markdown::article_html(&r.body_md);
    Ok(ArticleView {
        toc: toc
            .into_iter()
            .map(|h| TocEntry {
                id: h.id,
                text: h.text,
                level: h.level,
            })
            .collect(),
        key_facts: r
            .key_facts
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect(),
        // Checked when saved; read back without a year bound.
        sources: parse_sources(&r.sources, i32::MAX - 1).unwrap_or_default(),
        tags: r.tags.split_whitespace().map(str::to_string).collect(),
        stamp: stamp_of(&r),
        slug: r.slug,
        title: r.title,
        summary: r.summary,
        body_html: r.body_html,
        community_slug: r.community_slug,
        community_name: r.community_name,
        author: r.author_handle,
        first_published_at: r.first_published_at.unwrap_or(0),
        version: r.number,
        versions,
        grade: r.grade_x10 as f64 / 10.0,
        related,
        can_edit: viewer.is_some_and(|u| r.author_id == u.id || u.is_editor || u.is_admin),
        saved: None,
    })
}

/// Questions of the article's community (not of its groups) that share a tag with it: public
/// ones, or all for its members and admins.
async fn related_questions(
    db: &Db,
    r: &ArticleRow,
    viewer: Option<&CurrentUser>,
) -> Result<Vec<RelatedQuestion>, AppError> {
    let viewer_id = viewer.map(|u| u.id).unwrap_or_default();
    let related: Vec<RelatedQuestion> = sqlx::query_as::<_, (i64, String, i64, Option<i64>)>(
        "SELECT DISTINCT p.id, p.title, p.answer_count, p.accepted_reply_id FROM article_tags t \
         JOIN post_tags pt ON pt.tag = t.tag JOIN posts p ON p.id = pt.post_id \
         WHERE t.article_id = $1 AND p.community_id = $2 AND p.kind = 'question' AND p.deleted_at IS NULL \
           AND p.group_id IS NULL AND p.held_at IS NULL AND p.removed_at IS NULL \
           AND (p.visibility = 'public' OR $4 = 1 OR EXISTS (SELECT 1 FROM community_members m \
                WHERE m.community_id = p.community_id AND m.user_id = $3)) \
         ORDER BY p.id DESC LIMIT 5",
    )
    .bind(r.id)
    .bind(r.community_id)
    .bind(viewer_id)
    .bind(viewer.is_some_and(|u| u.is_admin) as i64)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|(id, title, answer_count, accepted)| RelatedQuestion {
        id,
        title,
        answer_count,
        accepted: accepted.is_some(),
    })
    .collect();
    Ok(related)
}

/// Who reviewed the published version, when, and when it is due again.
fn stamp_of(r: &ArticleRow) -> ReviewStamp {
    ReviewStamp {
        reviewer: r.reviewer_handle.clone(),
        reviewer_title: format!(
            "verified {}",
            r.reviewer_specialty
                .as_deref()
                .map(specialty_title)
                .unwrap_or_else(|| "clinician".into())
                .to_lowercase()
        ),
        reviewed_at: r.published_at,
        next_review_at: r.next_review_at.unwrap_or(0),
        overdue: r.next_review_at.is_some_and(|t| t < now_ms()),
    }
}

fn draft_summary(r: &AnyRow) -> Result<DraftSummary, AppError> {
    Ok(DraftSummary::from_row(r)?)
}

/// The library desk of a writer or reviewer.
pub async fn desk(db: &Db, user: &CurrentUser) -> Result<Desk, AppError> {
    if !can_write(user) {
        return Err(AppError::Forbidden);
    }
    const COLS: &str = "slug, title, status, updated_at, next_review_at";
    let mine = sqlx::query(&format!(
        "SELECT {COLS} FROM articles WHERE author_id = $1 ORDER BY id DESC LIMIT 100"
    ))
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    let to_review = sqlx::query(&format!(
        "SELECT {COLS} FROM articles WHERE reviewer_id = $1 AND status = 'review' ORDER BY id LIMIT 100"
    ))
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    // Overdue reviews are every editor's business.
    let overdue = if user.is_editor || user.is_admin {
        sqlx::query(&format!(
            "SELECT {COLS} FROM articles WHERE published_version_id IS NOT NULL AND next_review_at < $1 \
             ORDER BY next_review_at LIMIT 100"
        ))
        .bind(now_ms())
        .fetch_all(&db.pool)
        .await?
    } else {
        Vec::new()
    };
    Ok(Desk {
        mine: mine.iter().map(draft_summary).collect::<Result<_, _>>()?,
        to_review: to_review
            .iter()
            .map(draft_summary)
            .collect::<Result<_, _>>()?,
        overdue: overdue
            .iter()
            .map(draft_summary)
            .collect::<Result<_, _>>()?,
    })
}
