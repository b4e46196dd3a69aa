//! Server-only safety storage: holding and flagging what matched a crisis phrase, alerting the place's moderators, the queue and its review.

use super::types::*;
use crate::auth::types::CurrentUser;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::mail::repo::{queue as queue_mail, Mail};
use sqlx::Row;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Where the words that matched were written.
pub struct FlagAt {
    pub post: i64,
    pub reply: Option<i64>,
    pub community: i64,
    /// The support group, and whether it is private or hidden.
    pub group: Option<(i64, bool)>,
    pub author: i64,
}

/// SQL that is true when member `$v` may see flag `f` (joined with its group as `g`): in a
/// private or hidden group only that group's moderators (admins are no exception, as for its
/// posts); elsewhere site moderators and admins (`$staff` = 1), the community's moderators and
/// an open group's moderators.
fn may_see(v: &str, staff: &str) -> String {
    let group_mod = format!(
        "EXISTS (SELECT 1 FROM support_group_members gm WHERE gm.group_id = f.group_id \
         AND gm.user_id = {v} AND gm.is_moderator = 1 AND gm.status = 'active')"
    );
    format!(
        "(CASE WHEN g.id IS NOT NULL AND g.kind <> 'open' THEN (CASE WHEN {group_mod} THEN 1 ELSE 0 END) \
         WHEN {staff} = 1 THEN 1 \
         WHEN EXISTS (SELECT 1 FROM community_members cm WHERE cm.community_id = f.community_id \
           AND cm.user_id = {v} AND cm.is_moderator = 1) THEN 1 \
         WHEN g.id IS NOT NULL AND {group_mod} THEN 1 ELSE 0 END) = 1"
    )
}

/// 1 for a site moderator or an admin: the `$staff` of [`may_see`].
fn staff(user: &CurrentUser) -> i64 {
    i64::from(user.is_admin || user.is_moderator)
}

/// Puts the post or reply in the moderation queue as `kind` says, once (an edit of something
/// already waiting adds nothing): a crisis match is held out of listings and anonymous views
/// and the place's moderators are told in the app and by e-mail — without the words, which stay
/// on the site; a hold for approval (a new member, a watched word) is read by nobody but its
/// author and the moderators until approved, and the moderators are told in the app; a watched
/// word's flag only queues it. Returns who was notified.
pub async fn flag(
    tx: &mut Tx<'_>,
    kind: FlagKind,
    phrase: &str,
    base_url: &str,
    at: &FlagAt,
) -> Result<Vec<i64>, AppError> {
    let now = now_ms();
    let open = sqlx::query(
        "SELECT 1 FROM safety_flags WHERE post_id = $1 AND COALESCE(reply_id, 0) = $2 \
         AND reviewed_at IS NULL",
    )
    .bind(at.post)
    .bind(at.reply.unwrap_or(0))
    .fetch_optional(&mut **tx)
    .await?;
    let table = if at.reply.is_some() {
        "replies"
    } else {
        "posts"
    };
    let hold = match kind {
        FlagKind::WatchedFlag => None,
        FlagKind::Crisis => Some(format!(
            "UPDATE {table} SET held_at = COALESCE(held_at, $1) WHERE id = $2"
        )),
        FlagKind::NewMember | FlagKind::WatchedHold => Some(format!(
            "UPDATE {table} SET held_at = COALESCE(held_at, $1), awaiting_approval = 1 WHERE id = $2"
        )),
    };
    if let Some(hold) = hold {
        sqlx::query(&hold)
            .bind(now)
            .bind(at.reply.unwrap_or(at.post))
            .execute(&mut **tx)
            .await?;
    }
    if open.is_some() {
        return Ok(Vec::new());
    }
    sqlx::query(
        "INSERT INTO safety_flags (post_id, reply_id, community_id, group_id, author_id, phrase, created_at, kind) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(at.post)
    .bind(at.reply)
    .bind(at.community)
    .bind(at.group.map(|g| g.0))
    .bind(at.author)
    .bind(phrase)
    .bind(now)
    .bind(kind.as_str())
    .execute(&mut **tx)
    .await?;
    if kind == FlagKind::WatchedFlag {
        return Ok(Vec::new());
    }

    // Who is told: a closed group's own moderators only; elsewhere the community's and the open
    // group's moderators, site moderators and admins.
    let group_mods = |n: &str| {
        format!(
            "SELECT user_id AS id FROM support_group_members WHERE group_id = {n} \
             AND is_moderator = 1 AND status = 'active'"
        )
    };
    let staff = "SELECT id FROM users WHERE (is_moderator = 1 OR is_admin = 1 OR is_editor = 1) \
                 AND (is_moderator = 1 OR is_admin = 1) \
                 UNION SELECT user_id AS id FROM community_members WHERE community_id = $1 AND is_moderator = 1";
    let (sql, binds) = match at.group {
        Some((g, true)) => (group_mods("$1"), vec![g]),
        Some((g, false)) => (
            format!("{staff} UNION {}", group_mods("$2")),
            vec![at.community, g],
        ),
        None => (staff.to_string(), vec![at.community]),
    };
    let place: String = match at.group {
        Some((g, _)) => sqlx::query("SELECT name FROM support_groups WHERE id = $1").bind(g),
        None => sqlx::query("SELECT name FROM communities WHERE id = $1").bind(at.community),
    }
    .fetch_one(&mut **tx)
    .await?
    .try_get("name")?;
    // Each recipient once, with the confirmed address the e-mail goes to (one query for all).
    let sql = format!(
        "SELECT u.id, CASE WHEN u.email_verified_at IS NOT NULL THEN u.email END AS email \
         FROM users u WHERE u.id IN ({sql}) AND u.id <> ${} ORDER BY u.id LIMIT 50",
        binds.len() + 1
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let recipients: Vec<(i64, Option<String>)> = q
        .bind(at.author)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<i64, _>("id")?, r.try_get("email")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let what = if at.reply.is_some() {
        "A reply"
    } else {
        "A post"
    };
    let crisis = kind == FlagKind::Crisis;
    let text = match kind {
        FlagKind::Crisis => format!(
            "{what} in {place} may come from someone at risk of harming themselves. Please look at it soon."
        ),
        FlagKind::NewMember => {
            format!("{what} by a new member in {place} waits for a moderator's approval.")
        }
        _ => format!("{what} in {place} used a watched word and waits for a moderator's approval."),
    };
    let closed = at.group.filter(|g| g.1).map(|g| g.0);
    let mut told = Vec::new();
    for (user, to) in recipients {
        let kind = if crisis { "safety" } else { "moderation" };
        if crate::notifications::repo::add_in_group(
            tx, user, kind, at.author, &text, "/mod", closed,
        )
        .await?
        {
            told.push(user);
        }
        // Only a crisis is worth an e-mail: approvals wait in the queue and its count.
        if let Some(to) = to.filter(|_| crisis) {
            let base = base_url.trim_end_matches('/');
            queue_mail(
                tx,
                base_url,
                Mail {
                    user: Some(user),
                    sender: None,
                    kind: "safety",
                    to: &to,
                    subject: format!("Please look soon: {} in {place} may need a moderator", what.to_lowercase()),
                    body: format!(
                        "{what} just written in {place} matched the crisis phrase list: its author may be \
                         thinking of ending their life or harming themselves. They were shown the helplines. \
                         It is kept out of public listings and anonymous views until a moderator has looked at it.\n\n\
                         Open the moderation queue: {base}/mod\n\n\
                         This e-mail does not contain what was written; it stays on the site."
                    ),
                },
                now,
            )
            .await?;
        }
    }
    Ok(told)
}

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
    let row = sqlx::query(&sql)
        .bind(user.id)
        .bind(staff(user))
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<i64, _>("flags")?
        + row.try_get::<i64, _>("reports")?
        + row.try_get::<i64, _>("profiles")?)
}

/// Whether `user` moderates anything at all (the queue is theirs to open).
async fn moderates_anything(db: &Db, user: &CurrentUser) -> Result<bool, AppError> {
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
    let rows = sqlx::query(&sql)
        .bind(user.id)
        .bind(staff(user))
        .fetch_all(&db.pool)
        .await?;
    let flags = rows
        .iter()
        .map(|r| -> Result<FlagItem, AppError> {
            let deleted = r.try_get::<Option<i64>, _>("deleted_at")?.is_some();
            Ok(FlagItem {
                id: r.try_get("id")?,
                post_id: r.try_get("post_id")?,
                reply_id: r.try_get("reply_id")?,
                title: r.try_get("title")?,
                place: r.try_get("place")?,
                author: r.try_get("handle")?,
                text: if deleted {
                    String::new()
                } else {
                    r.try_get::<Option<String>, _>("text")?.unwrap_or_default()
                },
                deleted,
                phrase: r.try_get("phrase")?,
                kind: FlagKind::parse(&r.try_get::<String, _>("kind")?),
                created_at: r.try_get("created_at")?,
                tags: r.try_get("tags")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
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
async fn open_reports(db: &Db, user: &CurrentUser) -> Result<Vec<ReportItem>, AppError> {
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
    let rows = sqlx::query(&sql)
        .bind(user.id)
        .bind(staff(user))
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| -> Result<ReportItem, AppError> {
            let reply: i64 = r.try_get("reply_id")?;
            let reason: String = r.try_get("reason")?;
            Ok(ReportItem {
                id: r.try_get("id")?,
                post_id: r.try_get("post_id")?,
                reply_id: (reply != 0).then_some(reply),
                title: r.try_get("title")?,
                place: r.try_get("place")?,
                author: r.try_get("author")?,
                reporter: r.try_get("reporter")?,
                reason: reason_label(REPORT_REASONS, &reason)
                    .unwrap_or("Something else")
                    .to_string(),
                note: r.try_get("note")?,
                text: r.try_get::<Option<String>, _>("text")?.unwrap_or_default(),
                removed: r.try_get::<Option<i64>, _>("removed_at")?.is_some(),
                created_at: r.try_get("created_at")?,
                earlier: r.try_get("earlier")?,
                tags: r.try_get("tags")?,
            })
        })
        .collect()
}

/// A moderator of the report's place dismisses it; the reporter is told it was reviewed.
pub async fn dismiss_report(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "SELECT f.reporter_id, f.post_id, f.reply_id, f.author_id, f.resolved_at, f.group_id, g.kind AS group_kind, p.title \
         FROM content_reports f JOIN posts p ON p.id = f.post_id \
         LEFT JOIN support_groups g ON g.id = f.group_id WHERE f.id = $3 AND {}",
        may_see("$1", "$2")
    );
    let row = sqlx::query(&sql)
        .bind(user.id)
        .bind(staff(user))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.try_get::<Option<i64>, _>("resolved_at")?.is_some() {
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
    let reporter: i64 = row.try_get("reporter_id")?;
    let post: i64 = row.try_get("post_id")?;
    let title = crate::notifications::types::short(&row.try_get::<String, _>("title")?);
    let closed = match row.try_get::<Option<String>, _>("group_kind")?.as_deref() {
        Some("open") | None => None,
        Some(_) => row.try_get::<Option<i64>, _>("group_id")?,
    };
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
        Some(row.try_get("author_id")?),
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
    let sql = format!(
        "SELECT f.post_id, f.reply_id, f.author_id, f.reviewed_at, f.kind, f.group_id, g.kind AS group_kind, \
           p.title FROM safety_flags f JOIN posts p ON p.id = f.post_id \
         LEFT JOIN support_groups g ON g.id = f.group_id WHERE f.id = $3 AND {}",
        may_see("$1", "$2")
    );
    let row = sqlx::query(&sql)
        .bind(user.id)
        .bind(staff(user))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.try_get::<Option<i64>, _>("reviewed_at")?.is_some() {
        return Ok(());
    }
    let post: i64 = row.try_get("post_id")?;
    let reply: Option<i64> = row.try_get("reply_id")?;
    let author: i64 = row.try_get("author_id")?;
    let kind = FlagKind::parse(&row.try_get::<String, _>("kind")?);
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
    let table = if reply.is_some() { "replies" } else { "posts" };
    // Listed: in feeds again, and read by everyone who may read the thread. Kept out: out of
    // listings (a flagged word's post too); what awaited approval stays with its author.
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
    q.execute(&mut *tx).await?;
    // Whoever waited for an approval hears the answer; what its writing would have told others
    // (a reply to the post's author, @mentions) is told now.
    let mut told = Vec::new();
    if kind.awaits_approval() && outcome == Outcome::Listed {
        told.extend(crate::posts::repo::approved(&mut tx, post, reply).await?);
    }
    if kind.awaits_approval() {
        let title = crate::notifications::types::short(&row.try_get::<String, _>("title")?);
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
        let closed = match row.try_get::<Option<String>, _>("group_kind")?.as_deref() {
            Some("open") | None => None,
            Some(_) => row.try_get::<Option<i64>, _>("group_id")?,
        };
        let link = match reply {
            Some(r) => format!("/p/{post}#r{r}"),
            None => format!("/p/{post}"),
        };
        if crate::notifications::repo::add_in_group(
            &mut tx,
            author,
            "moderation",
            user.id,
            &text,
            &link,
            closed,
        )
        .await?
        {
            told.push(author);
        }
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

/// A member reports another member's profile (its name and "about me") to the site's
/// moderators; a second open report from the same member changes nothing.
pub async fn report_profile(
    db: &Db,
    user: &CurrentUser,
    handle: &str,
    reason: &str,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let target: i64 = sqlx::query("SELECT id FROM users WHERE handle = $1 AND erased_at IS NULL")
        .bind(handle)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?
        .try_get("id")?;
    if target == user.id {
        return Err(AppError::Forbidden);
    }
    let open = sqlx::query(
        "SELECT 1 FROM profile_reports WHERE user_id = $1 AND reporter_id = $2 AND resolved_at IS NULL",
    )
    .bind(target)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_none() {
        sqlx::query(
            "INSERT INTO profile_reports (user_id, reporter_id, reason, note, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(target)
        .bind(user.id)
        .bind(reason)
        .bind(note)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The open reports on profiles, for site moderators and admins ("someone at risk" first, then
/// the longest wait); nobody else sees any.
async fn open_profile_reports(
    db: &Db,
    user: &CurrentUser,
) -> Result<Vec<ProfileReportItem>, AppError> {
    if staff(user) == 0 {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT r.id, r.reason, r.note, r.created_at, u.handle, u.display_name, u.bio, rp.handle AS reporter, \
           (SELECT COUNT(*) FROM profile_reports e WHERE e.user_id = r.user_id AND e.id <> r.id) AS earlier \
         FROM profile_reports r JOIN users u ON u.id = r.user_id JOIN users rp ON rp.id = r.reporter_id \
         WHERE r.resolved_at IS NULL \
         ORDER BY CASE WHEN r.reason = 'self_harm' THEN 0 ELSE 1 END, r.created_at, r.id LIMIT 100",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let reason: String = r.try_get("reason")?;
            Ok(ProfileReportItem {
                id: r.try_get("id")?,
                handle: r.try_get("handle")?,
                display_name: r.try_get("display_name")?,
                bio: r.try_get("bio")?,
                reporter: r.try_get("reporter")?,
                reason: reason_label(REPORT_REASONS, &reason)
                    .unwrap_or("Something else")
                    .to_string(),
                note: r.try_get("note")?,
                created_at: r.try_get("created_at")?,
                earlier: r.try_get("earlier")?,
            })
        })
        .collect()
}

/// A site moderator or admin decides a profile report: `clear` empties the profile's name and
/// "about me" (every open report on it is then resolved, the member and each reporter told),
/// otherwise the report is dismissed (its reporter told). Audited.
pub async fn resolve_profile_report(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    clear: bool,
) -> Result<(), AppError> {
    if staff(user) == 0 {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT r.user_id, r.reporter_id, r.reason, r.resolved_at, u.handle FROM profile_reports r \
         JOIN users u ON u.id = r.user_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.try_get::<Option<i64>, _>("resolved_at")?.is_some() {
        return Ok(());
    }
    let target: i64 = row.try_get("user_id")?;
    let handle: String = row.try_get("handle")?;
    let now = now_ms();
    let reporters: Vec<i64> = if clear {
        let reporters = sqlx::query(
            "SELECT reporter_id FROM profile_reports WHERE user_id = $1 AND resolved_at IS NULL",
        )
        .bind(target)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("reporter_id"))
        .collect::<Result<_, _>>()?;
        sqlx::query("UPDATE users SET bio = '', display_name = '' WHERE id = $1")
            .bind(target)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE profile_reports SET resolved_at = $1, resolved_by = $2, outcome = 'cleared' \
             WHERE user_id = $3 AND resolved_at IS NULL",
        )
        .bind(now)
        .bind(user.id)
        .bind(target)
        .execute(&mut *tx)
        .await?;
        reporters
    } else {
        sqlx::query(
            "UPDATE profile_reports SET resolved_at = $1, resolved_by = $2, outcome = 'dismissed' WHERE id = $3",
        )
        .bind(now)
        .bind(user.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        vec![row.try_get("reporter_id")?]
    };
    let link = format!("/u/{handle}");
    let mut told = Vec::new();
    let to_reporters = if clear {
        format!("We reviewed your report on @{handle}'s profile: a moderator removed its name and “about me”. Thank you.")
    } else {
        format!("We reviewed your report on @{handle}'s profile: a moderator looked and left it as it is. Thank you.")
    };
    for reporter in reporters {
        if crate::notifications::repo::add_in_group(
            &mut tx,
            reporter,
            "moderation",
            user.id,
            &to_reporters,
            &link,
            None,
        )
        .await?
        {
            told.push(reporter);
        }
    }
    if clear {
        let reason: String = row.try_get("reason")?;
        let why = reason_label(REPORT_REASONS, &reason).unwrap_or("Something else");
        let text = format!(
            "A moderator removed your profile's name and “about me” after a report ({why}). You can write them again in Settings, within the site's rules."
        );
        if crate::notifications::repo::add_in_group(
            &mut tx,
            target,
            "moderation",
            user.id,
            &text,
            "/settings",
            None,
        )
        .await?
        {
            told.push(target);
        }
    }
    crate::admin::repo::audit(
        &mut tx,
        user.id,
        if clear {
            "clear_profile"
        } else {
            "dismiss_profile_report"
        },
        Some(target),
        &format!("profile report {id}"),
    )
    .await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}
