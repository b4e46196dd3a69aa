//! Moderating posts and replies: reports, removal with a reason, retagging and restoring, each audited.

use super::*;

/// A post or one of its replies, as moderation sees it: who wrote it, what to call it, where.
pub(super) struct Target {
    pub(super) author: UserId,
    pub(super) title: String,
    pub(super) link: String,
    pub(super) reply_key: i64,
}

pub(super) async fn target(
    tx: &mut Tx<'_>,
    post: PostId,
    reply: Option<ReplyId>,
) -> Result<Target, AppError> {
    let title: String = sqlx::query_scalar("SELECT title FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&mut **tx)
        .await?;
    Ok(match reply {
        Some(r) => {
            let (p, author, _, _) = reply_facts(tx, r).await?;
            if p != post {
                return Err(AppError::NotFound);
            }
            Target {
                author,
                title,
                link: format!("/p/{post}#r{r}"),
                reply_key: r.0,
            }
        }
        None => Target {
            author: post_facts(tx, post).await?.author,
            title,
            link: format!("/p/{post}"),
            reply_key: 0,
        },
    })
}

/// A member reports a post or one of its replies to the moderators of its place; a second
/// report of the same thing while the first is open changes nothing. Outsiders of a closed
/// group cannot report what they cannot read.
pub async fn report(
    db: &Db,
    user: &CurrentUser,
    post: PostId,
    reply: Option<ReplyId>,
    reason: &str,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    if let Some(g) = f.closed_group() {
        if group_role(&mut *tx, GroupId(g), user.id).await?.is_none() {
            return Err(AppError::NotFound);
        }
    }
    let t = target(&mut tx, post, reply).await?;
    if t.author == user.id {
        return Err(AppError::field(
            "reason",
            "This is yours: edit or delete it instead.",
        ));
    }
    let open = sqlx::query(
        "SELECT 1 FROM content_reports WHERE post_id = $1 AND reply_id = $2 AND reporter_id = $3 \
         AND resolved_at IS NULL",
    )
    .bind(post)
    .bind(t.reply_key)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_some() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO content_reports (post_id, reply_id, community_id, group_id, author_id, reporter_id, \
           reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(post)
    .bind(t.reply_key)
    .bind(f.community)
    .bind(f.group.map(|g| g.id))
    .bind(t.author)
    .bind(user.id)
    .bind(reason)
    .bind(note)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A moderator of the place removes a post or reply with a reason: its author is told what and
/// why (and still reads it), everyone else sees "[removed by a moderator]", open reports on it
/// are resolved (their reporters told), and the audit log records it.
pub async fn remove(
    db: &Db,
    user: &CurrentUser,
    post: PostId,
    reply: Option<ReplyId>,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    require_moderator(&mut tx, user, &f).await?;
    let t = target(&mut tx, post, reply).await?;
    let now = now_ms();
    let table = if reply.is_some() { "replies" } else { "posts" };
    let changed = sqlx::query(&format!(
        "UPDATE {table} SET removed_at = $1, removed_reason = $2 WHERE id = $3 AND removed_at IS NULL"
    ))
    .bind(now)
    .bind(reason)
    .bind(reply.map_or(post.0, |r| r.0))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(());
    }
    let what = if reply.is_some() {
        "your reply in"
    } else {
        "your post"
    };
    let closed = f.closed_group();
    let title = notify::types::short(&t.title);
    let mut told = Vec::new();
    if notify::repo::add_in_group(
        &mut tx,
        t.author,
        "moderation",
        user.id,
        &format!(
            "A moderator removed {what} “{title}”. Why: {reason}. You can still read it there."
        ),
        &t.link,
        closed,
    )
    .await?
    {
        told.push(t.author);
    }
    told.extend(removed_for_reporters(&mut tx, &t, (post, user.id), now, closed).await?);
    let (action, detail) = match reply {
        Some(r) => (
            "remove_reply",
            format!("reply {r} on post {post}: {reason}"),
        ),
        None => ("remove_post", format!("post {post}: {reason}")),
    };
    crate::admin::repo::audit(&mut tx, user.id, action, Some(t.author), &detail).await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}

/// Closes the open reports on what was removed and tells their reporters; returns who was told.
async fn removed_for_reporters(
    tx: &mut Tx<'_>,
    t: &Target,
    (post, moderator): (PostId, UserId),
    now: i64,
    closed: Option<i64>,
) -> Result<Vec<UserId>, AppError> {
    let title = notify::types::short(&t.title);
    let mut told = Vec::new();
    let reporters: Vec<UserId> = sqlx::query_scalar(
        "SELECT DISTINCT reporter_id FROM content_reports WHERE post_id = $1 AND reply_id = $2 \
         AND resolved_at IS NULL",
    )
    .bind(post)
    .bind(t.reply_key)
    .fetch_all(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE content_reports SET resolved_at = $1, resolved_by = $2, outcome = 'removed' \
         WHERE post_id = $3 AND reply_id = $4 AND resolved_at IS NULL",
    )
    .bind(now)
    .bind(moderator)
    .bind(post)
    .bind(t.reply_key)
    .execute(&mut **tx)
    .await?;
    for reporter in reporters {
        if notify::repo::add_in_group(
            tx,
            reporter,
            "moderation",
            moderator,
            &format!("We reviewed your report on “{title}”: a moderator removed it. Thank you."),
            &format!("/p/{post}"),
            closed,
        )
        .await?
        {
            told.push(reporter);
        }
    }
    Ok(told)
}

/// A moderator of the place changes a post's tags (from the queue); audited, the author is not
/// asked. A closed group's tags stay out of the tag index, as when its author writes them.
pub async fn retag(
    db: &Db,
    user: &CurrentUser,
    post: PostId,
    tags: &[String],
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    require_moderator(&mut tx, user, &f).await?;
    if f.deleted {
        return Err(AppError::Deleted);
    }
    let before: String = sqlx::query_scalar("SELECT tags FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&mut *tx)
        .await?;
    let after = tags.join(" ");
    if before == after {
        return Ok(());
    }
    sqlx::query("UPDATE posts SET tags = $1 WHERE id = $2")
        .bind(&after)
        .bind(post)
        .execute(&mut *tx)
        .await?;
    if f.closed_group().is_none() {
        set_tags(&mut tx, post, tags).await?;
    }
    let detail = format!("post {post}: “{before}” → “{after}”");
    crate::admin::repo::audit(&mut tx, user.id, "retag_post", Some(f.author), &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A moderator of the place puts a removed post or reply back; its author is told; audited.
pub async fn restore(
    db: &Db,
    user: &CurrentUser,
    post: PostId,
    reply: Option<ReplyId>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    require_moderator(&mut tx, user, &f).await?;
    let t = target(&mut tx, post, reply).await?;
    let table = if reply.is_some() { "replies" } else { "posts" };
    let changed = sqlx::query(&format!(
        "UPDATE {table} SET removed_at = NULL, removed_reason = NULL WHERE id = $1 AND removed_at IS NOT NULL"
    ))
    .bind(reply.map_or(post.0, |r| r.0))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(());
    }
    let title = notify::types::short(&t.title);
    let told = notify::repo::add_in_group(
        &mut tx,
        t.author,
        "moderation",
        user.id,
        &format!("A moderator restored what they had removed: “{title}” shows again."),
        &t.link,
        f.closed_group(),
    )
    .await?;
    let (action, detail) = match reply {
        Some(r) => ("restore_reply", format!("reply {r} on post {post}")),
        None => ("restore_post", format!("post {post}")),
    };
    crate::admin::repo::audit(&mut tx, user.id, action, Some(t.author), &detail).await?;
    tx.commit().await?;
    if told {
        db.announce(&[t.author]).await;
    }
    Ok(())
}

/// Only a moderator of the post's place; an outsider of a closed group is told it does not exist.
pub(super) async fn require_moderator(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
) -> Result<(), AppError> {
    if moderates(tx, user, f).await? {
        return Ok(());
    }
    if let Some(g) = f.closed_group() {
        if group_role(&mut **tx, GroupId(g), user.id).await?.is_none() {
            return Err(AppError::NotFound);
        }
    }
    Err(AppError::Forbidden)
}

/// The community of a post that joining the community opens (not a support group's, not
/// deleted): where a member who signed up from its teaser is taken in.
pub async fn community_of_open_post(db: &Db, post: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT c.slug FROM posts p JOIN communities c ON c.id = p.community_id \
         WHERE p.id = $1 AND p.group_id IS NULL AND p.deleted_at IS NULL",
    )
    .bind(post)
    .fetch_optional(&db.pool)
    .await?)
}
