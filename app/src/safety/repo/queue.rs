//! The moderation queue: what is open for a moderator, reports on posts and replies, and the review of a flag (approve, remove, dismiss).

use super::*;
use crate::ids::UserId;

/// How many flags and reports wait in `user`'s queue (the header's count).
pub async fn open_count(db: &Db, user: &CurrentUser) -> Result<i64, AppError> {
    let see = may_see("$1", "$2");
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM safety_flags f LEFT JOIN support_groups g ON g.id = f.group_id \
           WHERE f.reviewed_at IS NULL AND {see}) AS flags, \
         (SELECT COUNT(*) FROM content_reports f LEFT JOIN support_groups g ON g.id = f.group_id \
           WHERE f.resolved_at IS NULL AND {see}) AS reports, \
         (SELECT COUNT(*) FROM profile_reports WHERE resolved_at IS NULL AND $2 = 1) AS profiles"
    );
    let (flags, reports, profiles): (i64, i64, i64) = sqlx::query_as(&sql)
        .bind(user.id)
        .bind(staff(user))
        .fetch_one(&db.pool)
        .await?;
    Ok(flags + reports + profiles)
}

/// Whether `user` moderates anything at all (the queue is theirs to open).
pub(super) async fn moderates_anything(db: &Db, user: &CurrentUser) -> Result<bool, AppError> {
    if user.is_admin || user.is_moderator {
        return Ok(true);
    }
    Ok(sqlx::query(
        "SELECT 1 AS x FROM community_members WHERE user_id = $1 AND is_moderator = 1 \
         UNION SELECT 1 AS x FROM support_group_members WHERE user_id = $1 AND is_moderator = 1 AND status = 'active'",
    )
    .bind(user.id)
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}

/// A flag in the queue, as [`queue`] selects it.
#[derive(sqlx::FromRow)]
struct FlagRow {
    id: i64,
    post_id: i64,
    reply_id: Option<i64>,
    phrase: String,
    kind: String,
    created_at: i64,
    title: String,
    handle: String,
    place: String,
    text: Option<String>,
    deleted_at: Option<i64>,
    tags: String,
}

/// A report in the queue, as [`open_reports`] selects it (`reply_id` 0: the post itself).
#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    post_id: i64,
    reply_id: i64,
    reason: String,
    note: String,
    created_at: i64,
    title: String,
    author: String,
    reporter: String,
    place: String,
    text: Option<String>,
    removed_at: Option<i64>,
    tags: String,
    earlier: i64,
}

/// The open flags of the places `user` moderates, oldest first (the longest wait on top).
pub async fn queue(db: &Db, user: &CurrentUser) -> Result<ModQueue, AppError> {
    if !moderates_anything(db, user).await? {
        return Err(AppError::Forbidden);
    }
    let sql = format!(
        "SELECT f.id, f.post_id, f.reply_id, f.phrase, f.kind, f.created_at, p.title, u.handle, \
           COALESCE(g.name, c.name) AS place, \
           CASE WHEN f.reply_id IS NULL THEN p.body_md ELSE r.body_md END AS text, \
           CASE WHEN f.reply_id IS NULL THEN p.deleted_at ELSE r.deleted_at END AS deleted_at, \
           CASE WHEN f.reply_id IS NULL THEN p.tags ELSE '' END AS tags \
         FROM safety_flags f JOIN posts p ON p.id = f.post_id JOIN communities c ON c.id = f.community_id \
         JOIN users u ON u.id = f.author_id LEFT JOIN support_groups g ON g.id = f.group_id \
         LEFT JOIN replies r ON r.id = f.reply_id \
         WHERE f.reviewed_at IS NULL AND {} \
         ORDER BY CASE WHEN f.kind = 'crisis' THEN 0 ELSE 1 END, f.created_at, f.id LIMIT 100",
        may_see("$1", "$2")
    );
    let rows: Vec<FlagRow> = sqlx::query_as(&sql)
        .bind(user.id)
        .bind(staff(user))
        .fetch_all(&db.pool)
        .await?;
    let flags = rows
        .into_iter()
        .map(|r| {
            let deleted = r.deleted_at.is_some();
            FlagItem {
                id: r.id,
                post_id: r.post_id,
                reply_id: r.reply_id,
                title: r.title,
                place: r.place,
                author: r.handle,
                text: if deleted {
                    String::new()
                } else {
                    r.text.unwrap_or_default()
                },
                deleted,
                phrase: r.phrase,
                kind: FlagKind::parse(&r.kind),
                created_at: r.created_at,
                tags: r.tags,
            }
        })
        .collect();
    let reports = open_reports(db, user).await?;
    let profiles = open_profile_reports(db, user).await?;
    Ok(ModQueue {
        flags,
        reports,
        profiles,
        now: now_ms(),
        can_sanction: user.is_moderator || user.is_admin,
    })
}

/// The open reports of the places `user` moderates, oldest first, with how often the same
/// author was reported before.
pub(super) async fn open_reports(db: &Db, user: &CurrentUser) -> Result<Vec<ReportItem>, AppError> {
    let sql = format!(
        "SELECT f.id, f.post_id, f.reply_id, f.reason, f.note, f.created_at, p.title, \
           u.handle AS author, rp.handle AS reporter, COALESCE(g.name, c.name) AS place, \
           CASE WHEN f.reply_id = 0 THEN p.body_md ELSE r.body_md END AS text, \
           CASE WHEN f.reply_id = 0 THEN p.removed_at ELSE r.removed_at END AS removed_at, \
           CASE WHEN f.reply_id = 0 THEN p.tags ELSE '' END AS tags, \
           (SELECT COUNT(*) FROM content_reports e WHERE e.author_id = f.author_id AND e.id <> f.id) AS earlier \
         FROM content_reports f JOIN posts p ON p.id = f.post_id JOIN communities c ON c.id = f.community_id \
         JOIN users u ON u.id = f.author_id JOIN users rp ON rp.id = f.reporter_id \
         LEFT JOIN support_groups g ON g.id = f.group_id LEFT JOIN replies r ON r.id = f.reply_id \
         WHERE f.resolved_at IS NULL AND {} ORDER BY \
           CASE WHEN f.reason = 'self_harm' THEN 0 ELSE 1 END, f.created_at, f.id LIMIT 100",
        may_see("$1", "$2")
    );
    let rows: Vec<ReportRow> = sqlx::query_as(&sql)
        .bind(user.id)
        .bind(staff(user))
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReportItem {
            id: r.id,
            post_id: r.post_id,
            reply_id: (r.reply_id != 0).then_some(r.reply_id),
            title: r.title,
            place: r.place,
            author: r.author,
            reporter: r.reporter,
            reason: reason_label(REPORT_REASONS, &r.reason)
                .unwrap_or("Something else")
                .to_string(),
            note: r.note,
            text: r.text.unwrap_or_default(),
            removed: r.removed_at.is_some(),
            created_at: r.created_at,
            earlier: r.earlier,
            tags: r.tags,
        })
        .collect())
}

/// Where a report or a flag points, as the moderator's decision on it reads it.
#[derive(sqlx::FromRow)]
struct Target {
    post_id: i64,
    reply_id: Option<i64>,
    author_id: UserId,
    group_id: Option<i64>,
    group_kind: Option<String>,
    title: String,
}

impl Target {
    /// The private or hidden group it was written in (what is said about it stays there).
    fn closed_group(&self) -> Option<i64> {
        match self.group_kind.as_deref() {
            Some("open") | None => None,
            Some(_) => self.group_id,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ReportDecision {
    #[sqlx(flatten)]
    place: Target,
    reporter_id: UserId,
    resolved_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct FlagDecision {
    #[sqlx(flatten)]
    place: Target,
    kind: String,
    reviewed_at: Option<i64>,
}

/// Report or flag `id` with its place, when `user` may decide on it (`may_see`); `NotFound`
/// otherwise. `columns_from` names the row's own columns and its table as `f`
/// (`"f.kind FROM safety_flags f"`); the place's columns (`Target`) are added.
async fn decision<T>(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    columns_from: &str,
    id: i64,
) -> Result<T, AppError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let sql = format!(
        "SELECT f.post_id, f.reply_id, f.author_id, f.group_id, g.kind AS group_kind, p.title, \
           {columns_from} JOIN posts p ON p.id = f.post_id \
         LEFT JOIN support_groups g ON g.id = f.group_id WHERE f.id = $3 AND {}",
        may_see("$1", "$2")
    );
    sqlx::query_as(&sql)
        .bind(user.id)
        .bind(staff(user))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// A moderator of the report's place dismisses it; the reporter is told it was reviewed.
pub async fn dismiss_report(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row: ReportDecision = decision(
        &mut tx,
        user,
        "f.reporter_id, f.resolved_at FROM content_reports f",
        id,
    )
    .await?;
    if row.resolved_at.is_some() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE content_reports SET resolved_at = $1, resolved_by = $2, outcome = 'dismissed' WHERE id = $3",
    )
    .bind(now_ms())
    .bind(user.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let reporter = row.reporter_id;
    let post = row.place.post_id;
    let title = crate::notifications::types::short(&row.place.title);
    let closed = row.place.closed_group();
    let told = crate::notifications::repo::add_in_group(
        &mut tx,
        reporter,
        "moderation",
        user.id,
        &format!(
            "We reviewed your report on “{title}”: a moderator looked and left it up. Thank you."
        ),
        &format!("/p/{post}"),
        closed,
    )
    .await?;
    crate::admin::repo::audit(
        &mut tx,
        user.id,
        "dismiss_report",
        Some(row.place.author_id),
        &format!("report {id} on post {post}"),
    )
    .await?;
    tx.commit().await?;
    if told {
        db.announce(&[reporter]).await;
    }
    Ok(())
}

/// A moderator of the flag's place records that they looked at it: listed again, or kept out of
/// listings. Audited; a flag someone else reviewed first stays as they left it.
pub async fn review(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    outcome: Outcome,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let row: FlagDecision = decision(
        &mut tx,
        user,
        "f.reviewed_at, f.kind FROM safety_flags f",
        id,
    )
    .await?;
    if row.reviewed_at.is_some() {
        return Ok(());
    }
    let post = row.place.post_id;
    let reply = row.place.reply_id;
    let author = row.place.author_id;
    let kind = FlagKind::parse(&row.kind);
    let now = now_ms();
    sqlx::query(
        "UPDATE safety_flags SET reviewed_at = $1, reviewed_by = $2, outcome = $3 WHERE id = $4",
    )
    .bind(now)
    .bind(user.id)
    .bind(outcome.as_str())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    set_listing(&mut tx, post, reply, outcome, now).await?;
    // Whoever waited for an approval hears the answer; what its writing would have told others
    // (a reply to the post's author, @mentions) is told now.
    let mut told = Vec::new();
    if kind.awaits_approval() && outcome == Outcome::Listed {
        told.extend(
            crate::posts::repo::approved(
                &mut tx,
                crate::ids::PostId(post),
                reply.map(crate::ids::ReplyId),
            )
            .await?,
        );
    }
    if kind.awaits_approval() && tell_author(&mut tx, &row.place, outcome, user.id).await? {
        told.push(author);
    }
    let what = match reply {
        Some(r) => format!("reply {r} on post {post}"),
        None => format!("post {post}"),
    };
    crate::admin::repo::audit(
        &mut tx,
        user.id,
        "safety_review",
        Some(author),
        &format!("{what} ({}): {}", kind.as_str(), outcome.as_str()),
    )
    .await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}

/// Listed: in feeds again, and read by everyone who may read the thread. Kept out: out of
/// listings (a flagged word's post too); what awaited approval stays with its author.
async fn set_listing(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    post: i64,
    reply: Option<i64>,
    outcome: Outcome,
    now: i64,
) -> Result<(), AppError> {
    let table = if reply.is_some() { "replies" } else { "posts" };
    let sql = match outcome {
        Outcome::Listed => {
            format!("UPDATE {table} SET held_at = NULL, awaiting_approval = 0 WHERE id = $1")
        }
        Outcome::KeptOut => {
            format!("UPDATE {table} SET held_at = COALESCE(held_at, $2) WHERE id = $1")
        }
    };
    let mut q = sqlx::query(&sql).bind(reply.unwrap_or(post));
    if outcome == Outcome::KeptOut {
        q = q.bind(now);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Tells the author of what awaited approval the moderator's answer (in its group, when it was
/// written in a closed one); true when a notification was added.
async fn tell_author(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    place: &Target,
    outcome: Outcome,
    moderator: UserId,
) -> Result<bool, AppError> {
    let (post, reply) = (place.post_id, place.reply_id);
    let title = crate::notifications::types::short(&place.title);
    let thing = if reply.is_some() {
        format!("your reply on “{title}”")
    } else {
        format!("your post “{title}”")
    };
    let text = match outcome {
        Outcome::Listed => format!("A moderator approved {thing}: everyone can read it now."),
        Outcome::KeptOut => format!(
            "A moderator did not approve {thing}: only you can read it. The community's rules say what is welcome."
        ),
    };
    let closed = place.closed_group();
    let link = match reply {
        Some(r) => format!("/p/{post}#r{r}"),
        None => format!("/p/{post}"),
    };
    crate::notifications::repo::add_in_group(
        tx,
        place.author_id,
        "moderation",
        moderator,
        &text,
        &link,
        closed,
    )
    .await
}
