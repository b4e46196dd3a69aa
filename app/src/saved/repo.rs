//! Server-only storage of saved items: saving and un-saving posts, replies, articles and providers the member may read, notes, and the list read through the visibility rules.

use super::types::*;
use crate::auth::types::CurrentUser;
use crate::db::{is_unique_violation, now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::{PostId, UserId};
use crate::posts::repo::{listed, readable, summary, with_params, Params, SUMMARY};
use sqlx::FromRow;

/// Items per page of `/saved`.
pub const PAGE: i64 = 20;

/// Saves a post (or one of its replies) for `user`, or un-saves it when it was saved; returns
/// whether it is saved now. Only what the member may read now can be saved: the thread is read
/// through the posts' own page rule.
pub async fn toggle(
    db: &Db,
    user: &CurrentUser,
    post: i64,
    reply: Option<i64>,
) -> Result<bool, AppError> {
    let page = crate::posts::repo::page(db, post, Some(crate::access::Viewer::of(user))).await?;
    if page.deleted {
        return Err(AppError::Deleted);
    }
    if page.locked {
        return Err(AppError::JoinRequired);
    }
    if let Some(r) = reply {
        // A reply that is gone, or not shown to this member, cannot be saved.
        if !page
            .replies
            .iter()
            .any(|x| x.id == r && x.author.is_some() && !x.deleted)
        {
            return Err(AppError::NotFound);
        }
    }
    let mut tx = db.begin_write().await?;
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM saved_items WHERE user_id = $1 AND post_id = $2 AND COALESCE(reply_id, 0) = $3",
    )
    .bind(user.id)
    .bind(post)
    .bind(reply.unwrap_or(0))
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = existing {
        sqlx::query("DELETE FROM saved_items WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(false);
    }
    ensure_room(&mut tx, "saved_items", user, SAVED_MAX, "items").await?;
    let inserted = sqlx::query(
        "INSERT INTO saved_items (user_id, post_id, reply_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user.id)
    .bind(post)
    .bind(reply)
    .bind(now_ms())
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        // A double click: the first one saved it.
        Err(e) if is_unique_violation(&e, "saved_items_key") => return Ok(true),
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(true)
}

/// The member's private note on one of their saved items, or (`page`) on a saved article or
/// provider; `NotFound` when it is not theirs.
pub async fn set_note(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    note: &str,
    page: bool,
) -> Result<(), AppError> {
    let table = if page { "saved_refs" } else { "saved_items" };
    let changed = sqlx::query(&format!(
        "UPDATE {table} SET note = $1 WHERE id = $2 AND user_id = $3"
    ))
    .bind(note)
    .bind(id)
    .bind(user.id)
    .execute(&db.pool)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// What `user` saved of thread `post` (for its Save buttons). One indexed query.
pub async fn in_thread(db: &Db, user: UserId, post: PostId) -> Result<SavedInThread, AppError> {
    let rows: Vec<Option<i64>> =
        sqlx::query_scalar("SELECT reply_id FROM saved_items WHERE user_id = $1 AND post_id = $2")
            .bind(user)
            .bind(post)
            .fetch_all(&db.pool)
            .await?;
    let mut saved = SavedInThread::default();
    for r in rows {
        match r {
            Some(id) => saved.replies.push(id),
            None => saved.post = true,
        }
    }
    Ok(saved)
}

/// Refuses a new save when `user` has `max` rows in `table` (`saved_items` or `saved_refs`);
/// the message names what they saved (`what`).
async fn ensure_room(
    tx: &mut crate::db::Tx<'_>,
    table: &'static str,
    user: &CurrentUser,
    max: i64,
    what: &str,
) -> Result<(), AppError> {
    let count: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1"))
            .bind(user.id)
            .fetch_one(&mut **tx)
            .await?;
    if count >= max {
        return Err(AppError::field(
            "saved",
            format!("You have saved {max} {what}: remove some on your Saved page first."),
        ));
    }
    Ok(())
}

/// What `list` reads of a saved item beside the post's summary.
#[derive(sqlx::FromRow)]
struct SavedRow {
    readable: Flag,
    saved_id: i64,
    reply_id: Option<i64>,
    note: String,
    saved_at: i64,
    reply_md: Option<String>,
    reply_author: Option<UserId>,
    reply_shown: Flag,
}

/// The member's saved items, newest first, `PAGE` at a time before `before`. Read through the
/// posts' visibility rule now, not when saved: a deleted post, one held or removed by a
/// moderator, or one of a private or hidden group the member left is not listed; a members-only
/// post of a community they left shows as the teaser feeds show.
pub async fn list(db: &Db, user: &CurrentUser, before: Option<i64>) -> Result<SavedPage, AppError> {
    let viewer = Some(crate::access::Viewer::of(user));
    let mut params = Params::default();
    let me = params.p(user.id);
    let first_page = before.is_none();
    let before = params.p(before.unwrap_or(i64::MAX));
    let readable_sql = readable(&mut params, viewer);
    let listed_sql = listed(&mut params, viewer);
    let sql = format!(
        "SELECT {SUMMARY}, {readable_sql} AS readable, s.id AS saved_id, s.reply_id, s.note, \
           s.created_at AS saved_at, r.body_md AS reply_md, r.author_id AS reply_author, \
           CASE WHEN r.deleted_at IS NULL AND r.held_at IS NULL AND r.removed_at IS NULL \
             AND r.awaiting_approval = 0 THEN 1 ELSE 0 END AS reply_shown \
         FROM saved_items s JOIN posts p ON p.id = s.post_id \
           JOIN communities c ON c.id = p.community_id JOIN users u ON u.id = p.author_id \
           LEFT JOIN support_groups g ON g.id = p.group_id LEFT JOIN replies r ON r.id = s.reply_id \
         WHERE s.user_id = {me} AND s.id < {before} AND p.deleted_at IS NULL AND {listed_sql} \
           AND ({readable_sql} = 1 OR p.group_id IS NULL OR g.kind = 'open') \
         ORDER BY s.id DESC LIMIT {}",
        PAGE + 1
    );
    let rows = with_params(&sql, &params.0).fetch_all(&db.pool).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows.iter().take(PAGE as usize) {
        let row = SavedRow::from_row(r)?;
        let can_read = row.readable.get();
        let reply_excerpt = match row.reply_id {
            Some(_) if can_read && (row.reply_shown.get() || row.reply_author == Some(user.id)) => {
                crate::markdown::excerpt(row.reply_md.as_deref().unwrap_or_default())
            }
            _ => String::new(),
        };
        items.push(SavedItem {
            id: row.saved_id,
            post: summary(r, can_read)?,
            reply_id: row.reply_id,
            reply_excerpt,
            note: row.note,
            saved_at: row.saved_at,
        });
    }
    let next = if rows.len() as i64 > PAGE {
        items.last().map(|i| i.id)
    } else {
        None
    };
    let refs = if first_page {
        self::refs(db, user.id).await?
    } else {
        Vec::new()
    };
    Ok(SavedPage { items, next, refs })
}

/// The id of a published article or of a provider, by its address.
async fn ref_id(db: &Db, kind: RefKind, slug: &str) -> Result<i64, AppError> {
    let sql = match kind {
        RefKind::Article => {
            "SELECT id FROM articles WHERE slug = $1 AND published_version_id IS NOT NULL"
        }
        RefKind::Provider => "SELECT id FROM providers WHERE slug = $1",
    };
    sqlx::query_scalar(sql)
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

fn ref_column(kind: RefKind) -> &'static str {
    match kind {
        RefKind::Article => "article_id",
        RefKind::Provider => "provider_id",
    }
}

/// Saves a published article or a provider for `user`, or un-saves it; whether it is saved now.
pub async fn toggle_ref(
    db: &Db,
    user: &CurrentUser,
    kind: RefKind,
    slug: &str,
) -> Result<bool, AppError> {
    let id = ref_id(db, kind, slug).await?;
    let col = ref_column(kind);
    let mut tx = db.begin_write().await?;
    let gone = sqlx::query(&format!(
        "DELETE FROM saved_refs WHERE user_id = $1 AND {col} = $2"
    ))
    .bind(user.id)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if gone > 0 {
        tx.commit().await?;
        return Ok(false);
    }
    ensure_room(
        &mut tx,
        "saved_refs",
        user,
        REFS_SHOWN,
        "articles and clinics",
    )
    .await?;
    let inserted = sqlx::query(&format!(
        "INSERT INTO saved_refs (user_id, {col}, created_at) VALUES ($1, $2, $3)"
    ))
    .bind(user.id)
    .bind(id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e)
            if is_unique_violation(&e, "saved_refs_article_key")
                || is_unique_violation(&e, "saved_refs_provider_key") =>
        {
            return Ok(true)
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(true)
}

/// Whether `viewer` saved the article or provider at `slug` (for its Save button); `None` for a
/// visitor, who has no Save button.
pub async fn ref_saved(
    db: &Db,
    viewer: Option<&CurrentUser>,
    kind: RefKind,
    slug: &str,
) -> Result<Option<bool>, AppError> {
    let Some(user) = viewer else {
        return Ok(None);
    };
    let table = match kind {
        RefKind::Article => "articles",
        RefKind::Provider => "providers",
    };
    let col = ref_column(kind);
    let found = sqlx::query(&format!(
        "SELECT 1 AS one FROM saved_refs s JOIN {table} t ON t.id = s.{col} \
         WHERE s.user_id = $1 AND t.slug = $2"
    ))
    .bind(user.id)
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    Ok(Some(found.is_some()))
}

/// A saved article or provider as `refs` reads it (one of the two sides is there).
#[derive(sqlx::FromRow)]
struct RefRow {
    id: i64,
    note: String,
    created_at: i64,
    a_slug: Option<String>,
    a_title: Option<String>,
    a_summary: Option<String>,
    p_slug: Option<String>,
    p_name: Option<String>,
    p_city: Option<String>,
}

/// The member's saved articles (while published) and providers, newest first.
pub async fn refs(db: &Db, user: UserId) -> Result<Vec<SavedRef>, AppError> {
    let rows: Vec<RefRow> = sqlx::query_as(
        "SELECT s.id, s.note, s.created_at, a.slug AS a_slug, v.title AS a_title, v.summary AS a_summary, \
           pr.slug AS p_slug, pr.name AS p_name, pr.city AS p_city \
         FROM saved_refs s \
           LEFT JOIN articles a ON a.id = s.article_id \
           LEFT JOIN article_versions v ON v.id = a.published_version_id \
           LEFT JOIN providers pr ON pr.id = s.provider_id \
         WHERE s.user_id = $1 AND (v.id IS NOT NULL OR pr.id IS NOT NULL) \
         ORDER BY s.id DESC LIMIT $2",
    )
    .bind(user)
    .bind(REFS_SHOWN)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (kind, link, title, detail) = match (r.a_slug, r.a_title) {
                (Some(slug), Some(title)) => (
                    RefKind::Article,
                    format!("/library/{slug}"),
                    title,
                    r.a_summary.unwrap_or_default(),
                ),
                _ => (
                    RefKind::Provider,
                    format!("/directory/{}", r.p_slug.unwrap_or_default()),
                    r.p_name.unwrap_or_default(),
                    r.p_city.unwrap_or_default(),
                ),
            };
            SavedRef {
                id: r.id,
                kind,
                link,
                title,
                detail,
                note: r.note,
                saved_at: r.created_at,
            }
        })
        .collect())
}
