//! Server-only picture storage: storing a checked picture for its owner (avatar, a clinic's logo or photo, a post's or reply's image), removing it, listing a thread's or a clinic's pictures, and reading one through the visibility rule.

use super::process::Processed;
use super::types::*;
use crate::access::{readable, Viewer};
use crate::auth::types::CurrentUser;
use crate::db::{now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;
use crate::posts::repo::{rows_with_params, Params};

use crate::db::Tx;

/// Where an upload goes, once its owner's right to put it there is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Avatar,
    Logo(i64),
    Photo(i64),
    Post(i64),
    Reply { post: i64, reply: i64 },
}

/// Checks that `user` may add a picture of `target` to `id` (a post or reply id, a provider's
/// slug; ignored for the avatar), and that there is room for one more.
pub async fn place(
    db: &Db,
    user: &CurrentUser,
    target: Target,
    id: &str,
) -> Result<Place, AppError> {
    let number = || id.trim().parse::<i64>().map_err(|_| AppError::NotFound);
    let place = match target {
        Target::Avatar => return Ok(Place::Avatar),
        Target::Logo | Target::Photo => {
            let (provider, _) = crate::directory::repo::provider(db, id.trim()).await?;
            crate::directory::repo::require_staff(db, provider, user).await?;
            if target == Target::Logo {
                return Ok(Place::Logo(provider));
            }
            Place::Photo(provider)
        }
        Target::Post => {
            let post = number()?;
            let page =
                crate::posts::repo::page(db, post, Some(crate::access::Viewer::of(user))).await?;
            if !page.mine {
                return Err(AppError::Forbidden);
            }
            if page.deleted {
                return Err(AppError::Deleted);
            }
            Place::Post(post)
        }
        Target::Reply => own_reply(db, user, number()?).await?,
    };
    let (sql, of, limit) = match place {
        Place::Photo(p) => (
            "SELECT COUNT(*) AS n FROM images WHERE provider_id = $1 AND kind = 'photo'",
            p,
            PER_PROVIDER,
        ),
        Place::Post(p) => (
            "SELECT COUNT(*) AS n FROM images WHERE post_id = $1 AND reply_id IS NULL",
            p,
            PER_POST,
        ),
        Place::Reply { reply, .. } => (
            "SELECT COUNT(*) AS n FROM images WHERE reply_id = $1",
            reply,
            PER_POST,
        ),
        Place::Avatar | Place::Logo(_) => return Ok(place),
    };
    let n: i64 = sqlx::query_scalar(sql).bind(of).fetch_one(&db.pool).await?;
    if n >= limit {
        return Err(AppError::field(
            "file",
            format!("There are {limit} pictures here already: remove one to add another."),
        ));
    }
    Ok(place)
}

/// A reply its author may add a picture to: theirs, not deleted, in a thread they may still read
/// (a closed group they left is not).
async fn own_reply(db: &Db, user: &CurrentUser, reply: i64) -> Result<Place, AppError> {
    let (post, author, deleted_at): (i64, UserId, Option<i64>) =
        sqlx::query_as("SELECT post_id, author_id, deleted_at FROM replies WHERE id = $1")
            .bind(reply)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    if author != user.id {
        return Err(AppError::Forbidden);
    }
    if deleted_at.is_some() {
        return Err(AppError::Deleted);
    }
    let page = crate::posts::repo::page(db, post, Some(crate::access::Viewer::of(user))).await?;
    if page.locked || page.deleted {
        return Err(AppError::Forbidden);
    }
    Ok(Place::Reply { post, reply })
}

/// Stores a checked picture at its place; an avatar or logo replaces the previous one.
pub async fn store(
    db: &Db,
    user: &CurrentUser,
    place: Place,
    alt: &str,
    p: &Processed,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let (kind, post, reply, provider) = match place {
        Place::Avatar => ("avatar", None, None, None),
        Place::Logo(v) => ("logo", None, None, Some(v)),
        Place::Photo(v) => ("photo", None, None, Some(v)),
        Place::Post(v) => ("post", Some(v), None, None),
        Place::Reply { post, reply } => ("post", Some(post), Some(reply), None),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO images (owner_id, kind, post_id, reply_id, provider_id, alt, content_type, \
         width, height, byte_len, created_at, bytes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(user.id)
    .bind(kind)
    .bind(post)
    .bind(reply)
    .bind(provider)
    .bind(alt)
    .bind(p.content_type)
    .bind(i64::from(p.width))
    .bind(i64::from(p.height))
    .bind(p.bytes.len() as i64)
    .bind(now_ms())
    .bind(p.bytes.as_slice())
    .fetch_one(&mut *tx)
    .await?;
    match place {
        Place::Avatar => {
            sqlx::query("DELETE FROM images WHERE owner_id = $1 AND kind = 'avatar' AND id <> $2")
                .bind(user.id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE users SET avatar_id = $1 WHERE id = $2")
                .bind(id)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        }
        Place::Logo(provider) => {
            sqlx::query("DELETE FROM images WHERE provider_id = $1 AND kind = 'logo' AND id <> $2")
                .bind(provider)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE providers SET logo_id = $1 WHERE id = $2")
                .bind(id)
                .bind(provider)
                .execute(&mut *tx)
                .await?;
        }
        _ => {}
    }
    tx.commit().await?;
    Ok(id)
}

/// Removes a picture: its owner, or (a clinic's logo or photo) the clinic's staff or an admin.
/// Answers where it was, for the page to go back to.
pub async fn remove(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let (owner, provider): (UserId, Option<i64>) =
        sqlx::query_as("SELECT owner_id, provider_id FROM images WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    if owner != user.id {
        match provider {
            Some(p) => {
                crate::directory::repo::require_staff(db, p, user).await?;
            }
            None => return Err(AppError::NotFound),
        }
    }
    let mut tx = db.begin_write().await?;
    delete_where(&mut tx, "id = $1", id).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the pictures matching `filter` (on `images`, with `$1` bound to `value`), and the
/// avatar or logo links that pointed at them.
pub async fn delete_where(
    tx: &mut Tx<'_>,
    filter: &str,
    value: impl Into<i64>,
) -> Result<(), AppError> {
    let value: i64 = value.into();
    sqlx::query(&format!(
        "UPDATE users SET avatar_id = NULL WHERE avatar_id IN (SELECT id FROM images WHERE {filter})"
    ))
    .bind(value)
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "UPDATE providers SET logo_id = NULL WHERE logo_id IN (SELECT id FROM images WHERE {filter})"
    ))
    .bind(value)
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!("DELETE FROM images WHERE {filter}"))
        .bind(value)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A thread's pictures: `(reply id or None for the post's own, picture)`, oldest first. The
/// caller shows only those of the post and replies it shows.
pub async fn of_post(db: &Db, post: i64) -> Result<Vec<(Option<i64>, Picture)>, AppError> {
    let rows: Vec<(Option<i64>, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT reply_id, id, alt, width, height FROM images WHERE post_id = $1 ORDER BY id LIMIT 2000",
    )
    .bind(post)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(reply, id, alt, width, height)| {
            (
                reply,
                Picture {
                    id,
                    alt,
                    width,
                    height,
                },
            )
        })
        .collect())
}

/// A provider's photos, oldest first.
pub async fn of_provider(db: &Db, provider: i64) -> Result<Vec<Picture>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, alt, width, height FROM images WHERE provider_id = $1 AND kind = 'photo' ORDER BY id",
    )
    .bind(provider)
    .fetch_all(&db.pool)
    .await?)
}

/// A picture's bytes as served.
pub struct Served {
    pub bytes: Vec<u8>,
    pub content_type: String,
    /// Anyone may see it (a shared cache may keep it); otherwise only this viewer's browser.
    pub public: bool,
}

/// What [`fetch`] reads of a picture and of the post and reply it belongs to (`None`s when it
/// belongs to neither).
#[derive(sqlx::FromRow)]
struct ImageRow {
    kind: String,
    content_type: String,
    post_id: Option<i64>,
    reply_id: Option<i64>,
    bytes: Vec<u8>,
    readable: Flag,
    author_id: Option<UserId>,
    deleted_at: Option<i64>,
    held_at: Option<i64>,
    awaiting_approval: Option<i64>,
    removed_at: Option<i64>,
    r_author: Option<UserId>,
    r_deleted: Option<i64>,
    r_held: Option<i64>,
    r_awaiting: Option<i64>,
    r_removed: Option<i64>,
}

/// Picture `id` for this viewer. Avatars, logos and clinic photos are public; a post's or reply's
/// image is shown exactly when the viewer may read that post (the posts' one visibility rule:
/// a closed group's post only for its members, a members-only post for the community) and the
/// post or reply is not deleted, removed by a moderator, waiting for approval or (for visitors)
/// held — the last three except for its author. Anything else is `NotFound`, never "forbidden":
/// an outsider learns nothing of what exists.
pub async fn fetch(db: &Db, id: i64, viewer: Option<Viewer>) -> Result<Served, AppError> {
    let viewer_id = viewer.map(|v| v.id).unwrap_or_default();
    let mut params = Params::default();
    let iid = params.p(id);
    let rule = readable(&mut params, viewer);
    let sql = format!(
        "SELECT i.kind, i.content_type, i.post_id, i.reply_id, i.bytes, \
           CASE WHEN p.id IS NULL THEN 0 ELSE {rule} END AS readable, \
           p.author_id, p.deleted_at, p.held_at, p.awaiting_approval, p.removed_at, \
           r.author_id AS r_author, r.deleted_at AS r_deleted, r.held_at AS r_held, \
           r.awaiting_approval AS r_awaiting, r.removed_at AS r_removed, r.post_id AS r_post \
         FROM images i LEFT JOIN posts p ON p.id = i.post_id LEFT JOIN replies r ON r.id = i.reply_id \
         WHERE i.id = {iid}"
    );
    let r: ImageRow = rows_with_params(&sql, &params.0)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.kind != "post" {
        return Ok(Served {
            bytes: r.bytes,
            content_type: r.content_type,
            public: true,
        });
    }
    let open = |author: Option<UserId>,
                deleted: Option<i64>,
                held: Option<i64>,
                awaiting: Option<i64>,
                removed: Option<i64>| {
        let own = viewer.is_some() && author == Some(viewer_id);
        deleted.is_none()
            && (held.is_none() || viewer.is_some())
            && ((awaiting.unwrap_or(0) == 0 && removed.is_none()) || own)
    };
    let post_open = r.readable.get()
        && open(
            r.author_id,
            r.deleted_at,
            r.held_at,
            r.awaiting_approval,
            r.removed_at,
        );
    let reply_open = match r.reply_id {
        None => true,
        Some(_) => open(r.r_author, r.r_deleted, r.r_held, r.r_awaiting, r.r_removed),
    };
    if !(post_open && reply_open) {
        // The thread's moderators see what waits for their approval or was removed, as the
        // post page shows it to them: asked of that page, so the rule stays the page's.
        let (Some(_), Some(post)) = (viewer, r.post_id) else {
            return Err(AppError::NotFound);
        };
        let page = match crate::posts::repo::page(db, post, viewer).await {
            Ok(page) => page,
            Err(AppError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(e),
        };
        let shown = page.can_moderate
            && match r.reply_id {
                None => page.pictures.iter().any(|p| p.id == id),
                Some(_) => page
                    .replies
                    .iter()
                    .any(|v| v.pictures.iter().any(|p| p.id == id)),
            };
        if !shown {
            return Err(AppError::NotFound);
        }
    }
    Ok(Served {
        bytes: r.bytes,
        content_type: r.content_type,
        public: viewer.is_none(),
    })
}
