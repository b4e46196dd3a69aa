//! Joining a support group (open, by request, by invitation) and leaving it, with the counts and the moderators told.

use super::*;
use crate::ids::UserId;

/// Joins an open group, asks to join a private one (with the answer to its question), or accepts
/// an invitation; returns the member's standing afterwards.
pub async fn join(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    answer: &str,
) -> Result<MemberStatus, AppError> {
    let mut tx = db.begin_write().await?;
    let f = match facts(&mut tx, slug, user.id).await? {
        Some(f) if f.visible() => f,
        _ => return Err(AppError::field("group", NOT_JOINABLE)),
    };
    let mut told = Vec::new();
    let status = match (f.status, f.kind) {
        (Some(MemberStatus::Active), _) => MemberStatus::Active,
        (Some(MemberStatus::Pending), _) => MemberStatus::Pending,
        (Some(MemberStatus::Banned), _) => {
            return Err(AppError::field(
                "group",
                "The group's moderators removed you from this group, so you cannot join it again.",
            ))
        }
        (Some(MemberStatus::Invited), _) => {
            set_status(&mut tx, GroupId(f.id), user.id, "active").await?;
            count(&mut tx, GroupId(f.id), 1, 0).await?;
            MemberStatus::Active
        }
        (None, GroupKind::Hidden) => return Err(AppError::field("group", NOT_JOINABLE)),
        (None, GroupKind::Open) => {
            sqlx::query(
                "INSERT INTO support_group_members (group_id, user_id, status, created_at) VALUES ($1, $2, 'active', $3)",
            )
            .bind(f.id)
            .bind(user.id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            count(&mut tx, GroupId(f.id), 1, 0).await?;
            MemberStatus::Active
        }
        (None, GroupKind::Private) => {
            let answer =
                parse_answer(answer, &f.question).map_err(|m| AppError::field("answer", m))?;
            sqlx::query(
                "INSERT INTO support_group_members (group_id, user_id, status, answer, created_at) \
                 VALUES ($1, $2, 'pending', $3, $4)",
            )
            .bind(f.id)
            .bind(user.id)
            .bind(&answer)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            count(&mut tx, GroupId(f.id), 0, 1).await?;
            told = tell_moderators(&mut tx, &f, slug, user).await?;
            MemberStatus::Pending
        }
    };
    tx.commit().await?;
    db.announce(&told).await;
    Ok(status)
}

/// Takes `user` out of the group (leaving, withdrawing a request, declining an invitation or
/// being removed): counts move, and notifications about a closed group's content go.
pub(super) async fn drop_member(
    tx: &mut Tx<'_>,
    f: &Facts,
    user: UserId,
    status: MemberStatus,
    ban: bool,
) -> Result<(), AppError> {
    if ban {
        sqlx::query(
            "UPDATE support_group_members SET status = 'banned', is_moderator = 0, answer = '' \
             WHERE group_id = $1 AND user_id = $2",
        )
        .bind(f.id)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query("DELETE FROM support_group_members WHERE group_id = $1 AND user_id = $2")
            .bind(f.id)
            .bind(user)
            .execute(&mut **tx)
            .await?;
    }
    match status {
        MemberStatus::Active => count(tx, GroupId(f.id), -1, 0).await?,
        MemberStatus::Pending => count(tx, GroupId(f.id), 0, -1).await?,
        MemberStatus::Invited | MemberStatus::Banned => {}
    }
    if f.closed() {
        notify::repo::forget_group(tx, user, GroupId(f.id)).await?;
    }
    Ok(())
}

/// Leaves the group, withdraws a request or declines an invitation (idempotent). The member's
/// posts stay; the group shows them as a former member's.
pub async fn leave(db: &Db, user: &CurrentUser, slug: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    // A hidden group answers an outsider as an unknown address does.
    let Some(f) = facts(&mut tx, slug, user.id)
        .await?
        .filter(|f| f.visible() || f.status.is_some())
    else {
        return Err(AppError::NotFound);
    };
    if f.is_moderator {
        let (mods, members): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM support_group_members WHERE group_id = $1 AND status = 'active' \
               AND is_moderator = 1) AS mods, member_count FROM support_groups WHERE id = $1",
        )
        .bind(f.id)
        .fetch_one(&mut *tx)
        .await?;
        if mods == 1 && members > 1 {
            return Err(AppError::field(
                "group",
                "You are the group's only moderator. Make another member a moderator on the \
                 “Manage the group” page before you leave.",
            ));
        }
    }
    match f.status {
        // A ban stays: leaving must not clear it.
        None | Some(MemberStatus::Banned) => {}
        Some(status) => drop_member(&mut tx, &f, user.id, status, false).await?,
    }
    tx.commit().await?;
    db.announce(&[user.id]).await;
    Ok(())
}
