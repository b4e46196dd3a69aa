//! Server-only invitations: the member's code (made on first use), resolving a link, recording a sign-up through it.

use super::types::*;
use crate::db::Db;
use crate::error::AppError;
use crate::ids::UserId;

/// The member's invite code, made the first time they ask for it.
pub async fn my_invites(db: &Db, base_url: &str, user: UserId) -> Result<MyInvites, AppError> {
    let (code, joined): (Option<String>, i64) =
        sqlx::query_as("SELECT invite_code, invite_joins FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&db.pool)
            .await?;
    let code = match code {
        Some(c) => c,
        None => {
            let code: String = crate::auth::repo::hash_token(&crate::auth::repo::new_token())
                .chars()
                .take(10)
                .collect();
            // Set once; if two requests race, the first code stays.
            sqlx::query("UPDATE users SET invite_code = $1 WHERE id = $2 AND invite_code IS NULL")
                .bind(&code)
                .bind(user)
                .execute(&db.pool)
                .await?;
            sqlx::query_scalar::<_, Option<String>>("SELECT invite_code FROM users WHERE id = $1")
                .bind(user)
                .fetch_one(&db.pool)
                .await?
                .unwrap_or(code)
        }
    };
    let communities = sqlx::query_as(
        "SELECT c.slug, c.name FROM community_members m JOIN communities c ON c.id = m.community_id \
         WHERE m.user_id = $1 ORDER BY c.name LIMIT 100",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    Ok(MyInvites {
        link: format!("{}/join/{code}", base_url.trim_end_matches('/')),
        code,
        communities,
        joined,
    })
}

/// The inviter behind a code and the community the link names (if it exists).
async fn resolve(
    db: &Db,
    code: &str,
    community: Option<&str>,
) -> Result<(UserId, InviteView), AppError> {
    let code = parse_code(code).ok_or(AppError::NotFound)?;
    let (inviter, handle): (UserId, String) =
        sqlx::query_as("SELECT id, handle FROM users WHERE invite_code = $1")
            .bind(&code)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    let community = match community.filter(|c| !c.is_empty()) {
        // Any community the link names (communities are open to join): whether the inviter
        // belongs to it is not checked, so a link cannot be used to probe their memberships.
        Some(slug) => {
            sqlx::query_as("SELECT c.slug, c.name FROM communities c WHERE c.slug = $1")
                .bind(slug)
                .fetch_optional(&db.pool)
                .await?
        }
        None => None,
    };
    Ok((
        inviter,
        InviteView {
            inviter: handle,
            community,
        },
    ))
}

pub async fn view(db: &Db, code: &str, community: Option<&str>) -> Result<InviteView, AppError> {
    Ok(resolve(db, code, community).await?.1)
}

/// Records a sign-up through an invite link: the inviter, their count, and (when the link names
/// one of the inviter's communities) membership of it. An unknown code is ignored: the account
/// is made all the same.
pub async fn accept(
    db: &Db,
    new_user: UserId,
    code: &str,
    community: Option<&str>,
) -> Result<(), AppError> {
    let Ok((inviter, v)) = resolve(db, code, community).await else {
        return Ok(());
    };
    if inviter == new_user {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let set = sqlx::query("UPDATE users SET invited_by = $1 WHERE id = $2 AND invited_by IS NULL")
        .bind(inviter)
        .bind(new_user)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if set == 1 {
        sqlx::query("UPDATE users SET invite_joins = invite_joins + 1 WHERE id = $1")
            .bind(inviter)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    if let Some((slug, _)) = v.community {
        crate::communities::repo::join(db, new_user, &slug).await?;
    }
    Ok(())
}

/// Invitations one member may send by e-mail per 24 hours.
pub const EMAIL_INVITES_PER_DAY: i64 = 20;
/// An address gets at most one invitation per this many days, whoever sends it.
pub const REINVITE_AFTER_DAYS: i64 = 7;

/// Invites an address by e-mail: the mail carries the member's invite link (naming one of their
/// communities if asked). Refused with a field error for an address that opted out, one invited
/// recently, or when the member reached the daily limit. An address that already has an account
/// gets nothing, but the answer is the same as for a sent invitation, so the form cannot be used
/// to find out who is a member.
pub async fn invite_by_email(
    db: &Db,
    base_url: &str,
    inviter: &crate::auth::types::CurrentUser,
    to: &crate::auth::types::Email,
    community: Option<&str>,
) -> Result<(), AppError> {
    let now = crate::db::now_ms();
    may_invite(db, inviter.id, to.as_str(), now).await?;
    let address = to.as_str();
    // A new member waiting to prove the address counts as a member too.
    let member = sqlx::query("SELECT 1 AS one FROM users WHERE email = $1 OR pending_email = $1")
        .bind(address)
        .fetch_optional(&db.pool)
        .await?
        .is_some();
    if member {
        let mut tx = db.begin_write().await?;
        crate::mail::repo::record_unsent_invite(&mut tx, inviter.id, address, now).await?;
        tx.commit().await?;
        return Ok(());
    }
    let mine = my_invites(db, base_url, inviter.id).await?;
    let body = invitation_text(&inviter.handle, &mine, community);
    let mut tx = db.begin_write().await?;
    crate::mail::repo::queue(
        &mut tx,
        base_url,
        crate::mail::repo::Mail {
            user: None,
            sender: Some(inviter.id),
            kind: "invite",
            to: address,
            subject: format!("@{} invites you to HealthCommunity", inviter.handle),
            body,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether this member may invite this address now: at most `EMAIL_INVITES_PER_DAY` a day, never
/// an address that opted out, not again within `REINVITE_AFTER_DAYS`.
async fn may_invite(db: &Db, inviter: UserId, address: &str, now: i64) -> Result<(), AppError> {
    let day = 86_400_000;
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) AS n FROM outbox WHERE sender_id = $1 AND kind = 'invite' AND created_at > $2",
    )
    .bind(inviter)
    .bind(now - day)
    .fetch_one(&db.pool)
    .await?;
    if sent >= EMAIL_INVITES_PER_DAY {
        return Err(AppError::field(
            "email",
            format!("You have sent {EMAIL_INVITES_PER_DAY} invitations in the last 24 hours. Please try again tomorrow, or share your link."),
        ));
    }
    let opted_out = sqlx::query("SELECT 1 AS one FROM mail_optouts WHERE address = $1")
        .bind(address)
        .fetch_optional(&db.pool)
        .await?
        .is_some();
    if opted_out {
        return Err(AppError::field(
            "email",
            "This address has asked not to receive invitations.",
        ));
    }
    let recent = sqlx::query(
        "SELECT 1 AS one FROM outbox WHERE kind = 'invite' AND to_addr = $1 AND created_at > $2",
    )
    .bind(address)
    .bind(now - REINVITE_AFTER_DAYS * day)
    .fetch_optional(&db.pool)
    .await?
    .is_some();
    if recent {
        return Err(AppError::field(
            "email",
            format!("This address was invited in the last {REINVITE_AFTER_DAYS} days. Please give them time."),
        ));
    }
    Ok(())
}

/// The invitation's text, with the member's link (and the community they name, if one of theirs).
fn invitation_text(handle: &str, mine: &MyInvites, community: Option<&str>) -> String {
    let named = community.and_then(|slug| mine.communities.iter().find(|(s, _)| s == slug));
    let mut link = mine.link.clone();
    let mut body = format!(
        "Hello,\n\n@{} invited you to HealthCommunity, a calm, private community for people living with a long-term condition, their carers and verified clinicians.\n",
        handle
    );
    if let Some((slug, name)) = named {
        link.push_str(&format!("?c={slug}"));
        body.push_str(&format!("You would join the {name} community.\n"));
    }
    body.push_str(&format!(
        "\nCreate your account: {link}\n\nWe sent this because @{} typed your address. We keep it only to avoid inviting you twice, and will not write again unless someone invites you.",
        handle
    ));
    body
}
