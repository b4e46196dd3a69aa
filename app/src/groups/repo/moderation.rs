//! A support group's moderators: deciding requests, removing and inviting members, naming moderators, and the group's settings.

use super::*;
use crate::ids::UserId;

/// The group and the member named by `handle`, for a moderator of the group (or an admin).
pub(super) async fn moderated(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    slug: &str,
    handle: &str,
) -> Result<(Facts, UserId, Option<MemberStatus>), AppError> {
    let f = match facts(tx, slug, user.id).await? {
        Some(f) if f.visible() => f,
        _ => return Err(AppError::NotFound),
    };
    if !f.moderates(user) {
        return Err(AppError::Forbidden);
    }
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    let (id, status): (UserId, Option<String>) = sqlx::query_as(
        "SELECT u.id, gm.status FROM users u \
         LEFT JOIN support_group_members gm ON gm.user_id = u.id AND gm.group_id = $2 WHERE u.handle = $1",
    )
    .bind(&handle)
    .bind(f.id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| AppError::field("handle", "No member has this handle."))?;
    let status = status.and_then(|s| MemberStatus::parse(&s));
    Ok((f, id, status))
}

/// Refuses a moderator's action on their own membership, saying `why` on the handle field.
fn not_self(member: UserId, user: &CurrentUser, why: &'static str) -> Result<(), AppError> {
    if member == user.id {
        return Err(AppError::field("handle", why));
    }
    Ok(())
}

/// Tells `member` of a moderator's decision about the group (a "group" notification linking to
/// it), commits, and updates their live badge.
pub(super) async fn tell_and_commit(
    db: &Db,
    mut tx: Tx<'static>,
    member: UserId,
    actor: UserId,
    line: &str,
    slug: &str,
) -> Result<(), AppError> {
    let link = format!("/g/{slug}");
    let told = notify::repo::add(&mut tx, member, "group", actor, line, &link).await?;
    tx.commit().await?;
    if told {
        db.announce(&[member]).await;
    }
    Ok(())
}

pub(super) fn approved(name: &str) -> String {
    format!("Your request to join “{name}” was approved. Welcome!")
}

pub(super) fn invited(by: &str, name: &str) -> String {
    format!("@{by} invited you to join the group “{name}”")
}

/// A moderator approves or declines a join request; the requester is notified either way.
pub async fn decide(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    handle: &str,
    approve: bool,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (f, member, status) = moderated(&mut tx, user, slug, handle).await?;
    not_self(
        member,
        user,
        "You cannot decide your own request: another moderator of the group has to.",
    )?;
    if status != Some(MemberStatus::Pending) {
        return Err(AppError::field(
            "handle",
            "This member has no request waiting (another moderator may have decided it).",
        ));
    }
    let name = notify::types::short(&f.name);
    let line = if approve {
        set_status(&mut tx, GroupId(f.id), member, "active").await?;
        count(&mut tx, GroupId(f.id), 1, -1).await?;
        approved(&name)
    } else {
        drop_member(&mut tx, &f, member, MemberStatus::Pending, false).await?;
        format!("Your request to join “{name}” was declined.")
    };
    tell_and_commit(db, tx, member, user.id, &line, slug).await
}

/// A moderator removes a member (or an invitation); with `ban` they may not join again.
/// Moderators are removed by admins only.
pub async fn remove(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    handle: &str,
    ban: bool,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (f, member, status) = moderated(&mut tx, user, slug, handle).await?;
    not_self(
        member,
        user,
        "To leave the group yourself, use “Leave group” on its page.",
    )?;
    let Some(status) = status.filter(|s| *s != MemberStatus::Banned || !ban) else {
        return Err(AppError::field(
            "handle",
            "This member is not in the group.",
        ));
    };
    let is_mod = sqlx::query(
        "SELECT 1 FROM support_group_members WHERE group_id = $1 AND user_id = $2 AND is_moderator = 1",
    )
    .bind(f.id)
    .bind(member)
    .fetch_optional(&mut *tx)
    .await?
    .is_some();
    if is_mod && !user.is_admin {
        return Err(AppError::field(
            "handle",
            "Only an administrator can remove a moderator.",
        ));
    }
    drop_member(&mut tx, &f, member, status, ban).await?;
    tx.commit().await?;
    db.announce(&[member]).await;
    Ok(())
}

/// A moderator invites a member (the only way into a hidden group); a waiting request is
/// approved by it, and a ban is lifted.
pub async fn invite(db: &Db, user: &CurrentUser, slug: &str, handle: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (f, member, status) = moderated(&mut tx, user, slug, handle).await?;
    not_self(
        member,
        user,
        "You cannot invite yourself: another moderator of the group has to.",
    )?;
    let name = notify::types::short(&f.name);
    let line = match status {
        Some(MemberStatus::Active) => {
            return Err(AppError::field(
                "handle",
                "This member is already in the group.",
            ))
        }
        Some(MemberStatus::Invited) => {
            return Err(AppError::field("handle", "This member is already invited."))
        }
        Some(MemberStatus::Pending) => {
            set_status(&mut tx, GroupId(f.id), member, "active").await?;
            count(&mut tx, GroupId(f.id), 1, -1).await?;
            approved(&name)
        }
        Some(MemberStatus::Banned) => {
            set_status(&mut tx, GroupId(f.id), member, "invited").await?;
            invited(&user.handle, &name)
        }
        None => {
            sqlx::query(
                "INSERT INTO support_group_members (group_id, user_id, status, created_at) VALUES ($1, $2, 'invited', $3)",
            )
            .bind(f.id)
            .bind(member)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            invited(&user.handle, &name)
        }
    };
    tell_and_commit(db, tx, member, user.id, &line, slug).await
}

/// A moderator appoints another active member as moderator (or an admin removes one).
pub async fn set_moderator(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    handle: &str,
    on: bool,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (f, member, status) = moderated(&mut tx, user, slug, handle).await?;
    if status != Some(MemberStatus::Active) {
        return Err(AppError::field(
            "handle",
            "Only a member of the group can be its moderator.",
        ));
    }
    if !on && !user.is_admin && member != user.id {
        return Err(AppError::field(
            "handle",
            "Only an administrator can remove another moderator.",
        ));
    }
    sqlx::query(
        "UPDATE support_group_members SET is_moderator = $1 WHERE group_id = $2 AND user_id = $3",
    )
    .bind(on as i64)
    .bind(f.id)
    .bind(member)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The moderators' view: requests waiting (oldest first) and the members.
pub async fn admin(db: &Db, user: &CurrentUser, slug: &str) -> Result<GroupAdmin, AppError> {
    let mut conn = db.pool.acquire().await?;
    let f = match facts(&mut conn, slug, user.id).await? {
        Some(f) if f.visible() => f,
        _ => return Err(AppError::NotFound),
    };
    drop(conn);
    if !f.moderates(user) {
        return Err(AppError::Forbidden);
    }
    let requests: Vec<JoinRequest> = sqlx::query_as(
        "SELECT u.handle, gm.answer, gm.created_at FROM support_group_members gm JOIN users u ON u.id = gm.user_id \
         WHERE gm.group_id = $1 AND gm.status = 'pending' ORDER BY gm.created_at, u.id LIMIT 200",
    )
    .bind(f.id)
    .fetch_all(&db.pool)
    .await?;
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT u.handle, gm.is_moderator, gm.status FROM support_group_members gm JOIN users u ON u.id = gm.user_id \
         WHERE gm.group_id = $1 AND gm.status <> 'pending' ORDER BY gm.is_moderator DESC, u.handle LIMIT 1000",
    )
    .bind(f.id)
    .fetch_all(&db.pool)
    .await?;
    let members = rows
        .into_iter()
        .map(|(handle, is_moderator, status)| {
            Ok(GroupMember {
                handle,
                is_moderator: is_moderator == 1,
                status: MemberStatus::parse(&status).ok_or(AppError::Internal)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let description: String =
        sqlx::query_scalar("SELECT description FROM support_groups WHERE id = $1")
            .bind(f.id)
            .fetch_one(&db.pool)
            .await?;
    Ok(GroupAdmin {
        slug: slug.to_string(),
        name: f.name,
        description,
        kind: f.kind,
        question: f.question,
        requests,
        members,
    })
}

/// A group moderator (or an admin) changes the group's name, description and screening question.
/// The kind and the address stay: members joined on those terms.
pub async fn update(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    g: &GroupInput,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = match facts(&mut tx, slug, user.id).await? {
        Some(f) if f.visible() => f,
        _ => return Err(AppError::NotFound),
    };
    if !f.moderates(user) {
        return Err(AppError::Forbidden);
    }
    sqlx::query(
        "UPDATE support_groups SET name = $1, description = $2, question = $3 WHERE id = $4",
    )
    .bind(&g.name)
    .bind(&g.description)
    .bind(&g.question)
    .bind(f.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
