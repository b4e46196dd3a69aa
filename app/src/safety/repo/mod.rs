//! Server-only safety storage: holding and flagging what matched a crisis phrase and alerting the place's moderators; the moderation queue with its review, and reports of profiles, live in the sub-modules.

use super::types::*;
use crate::auth::types::CurrentUser;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;
use crate::mail::repo::{queue as queue_mail, Mail};

mod profiles;
mod queue;

pub use profiles::*;
pub use queue::*;

use crate::db::Tx;

/// Where the words that matched were written.
pub struct FlagAt {
    pub post: crate::ids::PostId,
    pub reply: Option<crate::ids::ReplyId>,
    pub community: crate::ids::CommunityId,
    /// The support group, and whether it is private or hidden.
    pub group: Option<(crate::ids::GroupId, bool)>,
    pub author: crate::ids::UserId,
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
) -> Result<Vec<UserId>, AppError> {
    let now = now_ms();
    let open = sqlx::query(
        "SELECT 1 FROM safety_flags WHERE post_id = $1 AND COALESCE(reply_id, 0) = $2 \
         AND reviewed_at IS NULL",
    )
    .bind(at.post)
    .bind(at.reply.map_or(0, |r| r.0))
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
            .bind(at.reply.map_or(at.post.0, |r| r.0))
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
    tell_moderators(tx, kind, base_url, at, now).await
}

/// The place's name and who moderates it (each once, with the confirmed address an e-mail may
/// go to): a closed group's own moderators only; elsewhere the community's and the open group's
/// moderators, site moderators and admins. Never the author.
async fn moderators_of(
    tx: &mut Tx<'_>,
    at: &FlagAt,
) -> Result<(String, Vec<(UserId, Option<String>)>), AppError> {
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
        Some((g, true)) => (group_mods("$1"), vec![g.0]),
        Some((g, false)) => (
            format!("{staff} UNION {}", group_mods("$2")),
            vec![at.community.0, g.0],
        ),
        None => (staff.to_string(), vec![at.community.0]),
    };
    let place: String = match at.group {
        Some((g, _)) => sqlx::query_scalar("SELECT name FROM support_groups WHERE id = $1").bind(g),
        None => sqlx::query_scalar("SELECT name FROM communities WHERE id = $1").bind(at.community),
    }
    .fetch_one(&mut **tx)
    .await?;
    // Each recipient once, with the confirmed address the e-mail goes to (one query for all).
    let sql = format!(
        "SELECT u.id, CASE WHEN u.email_verified_at IS NOT NULL THEN u.email END AS email \
         FROM users u WHERE u.id IN ({sql}) AND u.id <> ${} ORDER BY u.id LIMIT 50",
        binds.len() + 1
    );
    let mut q = sqlx::query_as(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let recipients = q.bind(at.author).fetch_all(&mut **tx).await?;
    Ok((place, recipients))
}

/// Tells the place's moderators of a new flag that holds something: in the app, and for a
/// crisis by e-mail too (without the words). Returns who was told in the app.
async fn tell_moderators(
    tx: &mut Tx<'_>,
    kind: FlagKind,
    base_url: &str,
    at: &FlagAt,
    now: i64,
) -> Result<Vec<UserId>, AppError> {
    let (place, recipients) = moderators_of(tx, at).await?;
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
    let closed = at.group.filter(|g| g.1).map(|(g, _)| g.0);
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
