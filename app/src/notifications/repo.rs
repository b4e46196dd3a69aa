//! Server-only notification storage: adding one inside the writer's transaction (with the unread counter), listing, marking read, settings.

use super::types::*;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::{GroupId, PostId, UserId};

use crate::db::Tx;

/// Adds a notification for `user` in the caller's transaction, unless the user is the actor or
/// turned this kind off. Returns whether it was added (the caller announces after commit).
pub async fn add(
    tx: &mut Tx<'_>,
    user: UserId,
    kind: &str,
    actor: UserId,
    text: &str,
    link: &str,
) -> Result<bool, AppError> {
    add_in_group(tx, user, kind, actor, text, link, None).await
}

/// [`add`] for something in a private or hidden support group (`group`): only an active member
/// of the group is told, and the notification goes when they leave the group.
pub async fn add_in_group(
    tx: &mut Tx<'_>,
    user: UserId,
    kind: &str,
    actor: UserId,
    text: &str,
    link: &str,
    group: Option<i64>,
) -> Result<bool, AppError> {
    if !may_tell(tx, user, kind, actor, group).await? {
        return Ok(false);
    }
    insert(tx, user, kind, actor, (text, link), group, None).await?;
    Ok(true)
}

/// Whether `user` may be told something of `kind` by `actor`: not their own doing, still a
/// member of the closed group it happened in, and not a kind they turned off.
async fn may_tell(
    tx: &mut Tx<'_>,
    user: UserId,
    kind: &str,
    actor: UserId,
    group: Option<i64>,
) -> Result<bool, AppError> {
    if user == actor {
        return Ok(false);
    }
    if let Some(group) = group {
        let active = sqlx::query(
            "SELECT 1 FROM support_group_members WHERE group_id = $1 AND user_id = $2 AND status = 'active'",
        )
        .bind(group)
        .bind(user)
        .fetch_optional(&mut **tx)
        .await?;
        if active.is_none() {
            return Ok(false);
        }
    }
    let off: Option<String> = sqlx::query_scalar("SELECT notify_off FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(off) = off else { return Ok(false) };
    Ok(!off.split_whitespace().any(|k| k == kind))
}

/// Writes one unread notification and counts it.
async fn insert(
    tx: &mut Tx<'_>,
    user: UserId,
    kind: &str,
    actor: UserId,
    (text, link): (&str, &str),
    group: Option<i64>,
    grouping: Option<(&str, i64)>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, actor_id, text, link, created_at, group_id, post_id, grouping, grouped) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(user)
    .bind(kind)
    .bind(actor)
    .bind(text)
    .bind(link)
    .bind(now_ms())
    .bind(group)
    .bind(post_of_link(link))
    .bind(grouping.map(|g| g.0))
    .bind(grouping.map(|g| g.1).unwrap_or(1))
    .execute(&mut **tx)
    .await?;
    // One e-mail per thread (or conversation) per 15 minutes for the kinds the member wants at once.
    let key = match post_of_link(link) {
        Some(post) => format!("post:{post}"),
        None => format!("{kind}:{actor}"),
    };
    crate::mail::repo::notice(tx, user, (kind, actor), &key, (text, link)).await?;
    sqlx::query("UPDATE users SET unread_notifications = unread_notifications + 1 WHERE id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What a grouped notification says: `one` for the first thing, `many` (with `{n}` for the
/// number) once it stands for several; `link` for one and `many_link` for several.
pub struct Grouped<'a> {
    /// What it gathers, e.g. `thread:12` or `community:3`: one unread notification per member.
    pub key: &'a str,
    pub one: &'a str,
    pub link: &'a str,
    pub many: &'a str,
    pub many_link: &'a str,
}

/// Like [`add_in_group`], but gathers into the member's unread notification with the same key
/// ("5 new replies in …"): the old one is replaced by one at the top of the list that counts
/// one more, so the unread count stays one per key.
pub async fn add_grouped(
    tx: &mut Tx<'_>,
    user: UserId,
    kind: &str,
    actor: UserId,
    g: &Grouped<'_>,
    group: Option<i64>,
) -> Result<bool, AppError> {
    if !may_tell(tx, user, kind, actor, group).await? {
        return Ok(false);
    }
    let before: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, grouped FROM notifications WHERE user_id = $1 AND grouping = $2 AND read_at IS NULL",
    )
    .bind(user)
    .bind(g.key)
    .fetch_optional(&mut **tx)
    .await?;
    let n = match before {
        Some((id, grouped)) => {
            sqlx::query("DELETE FROM notifications WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "UPDATE users SET unread_notifications = unread_notifications - 1 \
                 WHERE id = $1 AND unread_notifications > 0",
            )
            .bind(user)
            .execute(&mut **tx)
            .await?;
            grouped + 1
        }
        None => 1,
    };
    let text = if n == 1 {
        g.one.to_string()
    } else {
        g.many.replace("{n}", &n.to_string())
    };
    let link = if n == 1 { g.link } else { g.many_link };
    insert(
        tx,
        user,
        kind,
        actor,
        (&text, link),
        group,
        Some((g.key, n)),
    )
    .await?;
    Ok(true)
}

/// Where a mention was made, and who may read it there.
pub struct MentionPlace<'a> {
    /// "“Title”" or "a reply on “Title”".
    pub what: &'a str,
    pub link: &'a str,
    pub community: i64,
    /// Readable by everyone; otherwise only by the community's members (and admins).
    pub public: bool,
    /// A private or hidden support group: only its active members are told.
    pub group: Option<i64>,
}

/// Notifies the members mentioned in `text` who may read it, except the author and those in
/// `skip` (already notified of the same thing); returns who was notified.
pub async fn add_mentions(
    tx: &mut Tx<'_>,
    text: &str,
    actor: UserId,
    actor_handle: &str,
    place: &MentionPlace<'_>,
    skip: &[UserId],
) -> Result<Vec<UserId>, AppError> {
    let MentionPlace {
        what,
        link,
        community,
        public,
        group,
    } = *place;
    let mut notified = Vec::new();
    for handle in mentions(text) {
        // A members-only post is only announced to members of its community (and admins).
        let row: Option<UserId> = sqlx::query_scalar(
            "SELECT u.id FROM users u WHERE u.handle = $1 AND ($2 = 1 OR u.is_admin = 1 OR EXISTS \
               (SELECT 1 FROM community_members m WHERE m.user_id = u.id AND m.community_id = $3))",
        )
        .bind(&handle)
        // In a closed group, group membership decides (checked when adding).
        .bind((public || group.is_some()) as i64)
        .bind(community)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(id) = row else { continue };
        if skip.contains(&id) {
            continue;
        }
        // An empty handle: an anonymous group post ("a member").
        let line = if actor_handle.is_empty() {
            format!("A member mentioned you in {what}")
        } else {
            format!("@{actor_handle} mentioned you in {what}")
        };
        if add_in_group(tx, id, "mention", actor, &line, link, group).await? {
            notified.push(id);
        }
    }
    Ok(notified)
}

/// The post a notification's link points to (`/p/12` or `/p/12#r34`).
fn post_of_link(link: &str) -> Option<i64> {
    let rest = link.strip_prefix("/p/")?;
    let digits = rest.split(|c: char| !c.is_ascii_digit()).next()?;
    digits.parse().ok()
}

/// Removes every notification about a deleted post (their text quotes its title), keeping the
/// members' unread counters true: the words go from the database, the digest and the list.
pub async fn forget_post(tx: &mut Tx<'_>, post: i64) -> Result<Vec<UserId>, AppError> {
    let users = sqlx::query_scalar::<_, UserId>(
        "SELECT DISTINCT user_id FROM notifications WHERE post_id = $1",
    )
    .bind(post)
    .fetch_all(&mut **tx)
    .await?;
    if users.is_empty() {
        return Ok(users);
    }
    sqlx::query("DELETE FROM notifications WHERE post_id = $1")
        .bind(post)
        .execute(&mut **tx)
        .await?;
    for user in &users {
        recount(tx, *user).await?;
    }
    Ok(users)
}

/// Sets the member's unread counter to what is really unread.
pub(crate) async fn recount(tx: &mut Tx<'_>, user: UserId) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET unread_notifications = (SELECT COUNT(*) FROM notifications n \
         WHERE n.user_id = users.id AND n.read_at IS NULL) WHERE id = $1",
    )
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a member's notifications about a private or hidden group they no longer belong to,
/// keeping the unread counter true.
pub async fn forget_group(tx: &mut Tx<'_>, user: UserId, group: GroupId) -> Result<(), AppError> {
    let gone = sqlx::query("DELETE FROM notifications WHERE group_id = $1 AND user_id = $2")
        .bind(group)
        .bind(user)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if gone > 0 {
        recount(tx, user).await?;
    }
    Ok(())
}

/// A notification's row as `list` reads it.
#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    kind: String,
    text: String,
    link: String,
    created_at: i64,
    read_at: Option<i64>,
}

/// The member's notifications, newest first, `PAGE` at a time (keyset on id).
pub async fn list(
    db: &Db,
    user: UserId,
    before: Option<i64>,
) -> Result<NotificationPage, AppError> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT id, kind, text, link, created_at, read_at FROM notifications \
         WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(user)
    .bind(before.unwrap_or(i64::MAX))
    .bind(PAGE + 1)
    .fetch_all(&db.pool)
    .await?;
    let mut items: Vec<Notification> = rows
        .into_iter()
        .map(|r| Notification {
            id: r.id,
            kind: r.kind,
            text: r.text,
            link: r.link,
            created_at: r.created_at,
            read: r.read_at.is_some(),
        })
        .collect();
    let next = (items.len() as i64 > PAGE)
        .then(|| items.get(PAGE as usize - 1).map(|n| n.id))
        .flatten();
    items.truncate(PAGE as usize);
    let (unread, off, digest): (i64, String, i64) = sqlx::query_as(
        "SELECT unread_notifications, notify_off, digest_opt_in FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_one(&db.pool)
    .await?;
    Ok(NotificationPage {
        items,
        next,
        unread,
        off: off.split_whitespace().map(str::to_string).collect(),
        digest: digest == 1,
        mail: crate::mail::repo::mail_modes(db, user).await?,
    })
}

/// Marks one notification (or all, with `None`) read; keeps the counter exact.
pub async fn mark_read(db: &Db, user: UserId, id: Option<i64>) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    match id {
        Some(id) => {
            let done = sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                sqlx::query(
                    "UPDATE users SET unread_notifications = unread_notifications - 1 \
                     WHERE id = $1 AND unread_notifications > 0",
                )
                .bind(user)
                .execute(&mut *tx)
                .await?;
            }
        }
        None => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
            )
            .bind(now)
            .bind(user)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE users SET unread_notifications = 0 WHERE id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    db.announce(&[user]).await;
    Ok(())
}

/// Marks read the member's notifications about one post (they opened its thread). A read of
/// the post's index entries first: opening a thread with nothing unread writes nothing.
pub async fn mark_post_read(db: &Db, user: UserId, post: PostId) -> Result<(), AppError> {
    const UNREAD: &str =
        "SELECT COUNT(*) FROM notifications WHERE post_id = $1 AND user_id = $2 AND read_at IS NULL";
    let unread: i64 = sqlx::query_scalar(UNREAD)
        .bind(post)
        .bind(user)
        .fetch_one(&db.pool)
        .await?;
    if unread == 0 {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE post_id = $2 AND user_id = $3 AND read_at IS NULL",
    )
    .bind(now_ms())
    .bind(post)
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected() as i64;
    sqlx::query(
        "UPDATE users SET unread_notifications = CASE WHEN unread_notifications > $1 \
         THEN unread_notifications - $1 ELSE 0 END WHERE id = $2",
    )
    .bind(done)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    db.announce(&[user]).await;
    Ok(())
}

/// Which kinds the member turned off (unknown kinds are ignored).
pub async fn set_off(db: &Db, user: UserId, off: &[String]) -> Result<(), AppError> {
    let off: Vec<&str> = KINDS
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| off.iter().any(|o| o == k))
        .collect();
    sqlx::query("UPDATE users SET notify_off = $1 WHERE id = $2")
        .bind(off.join(" "))
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The member's unread count (a column: the live stream reads it on every wake-up).
pub async fn unread(db: &Db, user: UserId) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT unread_notifications FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&db.pool)
            .await?
            .unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_name_their_post() {
        assert_eq!(super::post_of_link("/p/12"), Some(12));
        assert_eq!(super::post_of_link("/p/12#r34"), Some(12));
        assert_eq!(super::post_of_link("/g/some-group"), None);
        assert_eq!(super::post_of_link("/p/"), None);
    }
}
