//! Server-only account e-mails: proving an address by a link, the notice to an address's holder when someone else asks for it, password-reset links and the "password changed" notice.

use super::types::EmailLinkView;
use crate::auth::repo::{hash_token, new_token};
use crate::db::{is_unique_violation, now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;
use crate::mail::repo::{queue, Mail};
use crate::mail::types::mask_address;

use crate::db::Tx;

const HOUR_MS: i64 = 3_600_000;
/// A verification link works for three days.
pub const VERIFY_TTL_MS: i64 = 72 * HOUR_MS;
/// A password-reset link works for an hour.
pub const RESET_TTL_MS: i64 = HOUR_MS;
/// Account mails to one address per hour; past it, requests are answered as usual and nothing is
/// sent, so neither a mailbox nor the outbox can be flooded through the forms.
pub const PER_ADDRESS_PER_HOUR: i64 = 5;
/// Accounts waiting for one address that a login or a reset considers (several people may
/// type one address at sign-up; only its mailbox can prove which is theirs).
const CLAIMS_CONSIDERED: i64 = 3;

/// Why a link is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Reset => "reset",
        }
    }
}

/// What a new account holds in `users.email` until its address is proved: unique, and no
/// address (no `@`), so nothing can be sent to it and no login can type it.
pub fn placeholder() -> String {
    format!("unverified:{}", new_token())
}

/// Whether an account mail to `address` is still within the hourly limit.
async fn within_limit(tx: &mut Tx<'_>, address: &str, now: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'account' AND to_addr = $1 AND created_at > $2",
    )
    .bind(address)
    .bind(now - HOUR_MS)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n < PER_ADDRESS_PER_HOUR)
}

async fn new_link(
    tx: &mut Tx<'_>,
    user: UserId,
    purpose: Purpose,
    address: &str,
    ttl: i64,
    now: i64,
) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, address, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(user)
    .bind(purpose.as_str())
    .bind(address)
    .bind(now)
    .bind(now + ttl)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

pub(crate) async fn account_mail(
    tx: &mut Tx<'_>,
    base_url: &str,
    user: UserId,
    to: &str,
    subject: &str,
    body: String,
    now: i64,
) -> Result<(), AppError> {
    queue(
        tx,
        base_url,
        Mail {
            user: Some(user),
            sender: None,
            kind: "account",
            to,
            subject: subject.to_string(),
            body,
        },
        now,
    )
    .await
}

/// Asks `address` to prove that it is `user`'s: a verification link when no other account holds
/// the address, else a notice to the account that does ("someone tried to sign up with your
/// address"). The caller answers the same either way, so sign-up and the address change say
/// nothing about who is a member.
pub async fn check_address(
    db: &Db,
    base_url: &str,
    user: UserId,
    address: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    let base = base_url.trim_end_matches('/');
    let mut tx = db.begin_write().await?;
    if !within_limit(&mut tx, address, now).await? {
        tracing::info!(
            user_id = %user,
            "account mail to this address skipped: hourly limit"
        );
        tx.commit().await?;
        return Ok(());
    }
    let holder: Option<(UserId, String)> =
        sqlx::query_as("SELECT id, handle FROM users WHERE email = $1 AND id <> $2")
            .bind(address)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    match holder {
        Some((holder_id, handle)) => {
            let body = format!(
                "Hello @{handle},\n\nSomeone just asked to use this e-mail address for a new HealthCommunity account. \
                 It already belongs to your account, so we did not link it to another one.\n\n\
                 If it was you: you have an account already. Log in at {base}/login, or choose a new password at {base}/forgot.\n\n\
                 If it was not you, there is nothing to do: nobody can use your address without this mailbox.\n"
            );
            account_mail(
                &mut tx,
                base_url,
                holder_id,
                address,
                "Someone tried to sign up with your address",
                body,
                now,
            )
            .await?;
        }
        None => {
            let handle: String = sqlx::query_scalar("SELECT handle FROM users WHERE id = $1")
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
            let token =
                new_link(&mut tx, user, Purpose::Verify, address, VERIFY_TTL_MS, now).await?;
            let body = format!(
                "Hello @{handle},\n\nPlease confirm that this is your e-mail address for HealthCommunity:\n\n{base}/verify/{token}\n\n\
                 The link works for three days. Until you confirm, we send this address nothing else: no digest, no notifications.\n\n\
                 If you did not sign up, ignore this e-mail and nothing will be linked to your address.\n"
            );
            account_mail(
                &mut tx,
                base_url,
                user,
                address,
                "Please confirm your e-mail address",
                body,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The accounts a login or a reset with `address` means: the one holding it, else those that
/// asked for it and wait for the link (at most [`CLAIMS_CONSIDERED`], newest first).
pub async fn accounts_for(db: &Db, address: &str) -> Result<Vec<(UserId, String)>, AppError> {
    let holder: Option<(UserId, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(address)
            .fetch_optional(&db.pool)
            .await?;
    Ok(match holder {
        Some(r) => vec![r],
        None => {
            sqlx::query_as(
                "SELECT id, password_hash FROM users WHERE pending_email = $1 \
                 AND email_verified_at IS NULL ORDER BY id DESC LIMIT $2",
            )
            .bind(address)
            .bind(CLAIMS_CONSIDERED)
            .fetch_all(&db.pool)
            .await?
        }
    })
}

/// Sends a password-reset link for each account [`accounts_for`] `address` means (none when it
/// is nobody's: the caller answers the same).
pub async fn send_reset(db: &Db, base_url: &str, address: &str) -> Result<(), AppError> {
    let accounts = accounts_for(db, address).await?;
    let now = now_ms();
    let base = base_url.trim_end_matches('/');
    let mut tx = db.begin_write().await?;
    for (user, _) in accounts {
        if !within_limit(&mut tx, address, now).await? {
            tracing::info!(user_id = %user, "password reset mail skipped: hourly limit");
            break;
        }
        let handle: String = sqlx::query_scalar("SELECT handle FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
        let token = new_link(&mut tx, user, Purpose::Reset, address, RESET_TTL_MS, now).await?;
        let body = format!(
            "Hello @{handle},\n\nSomeone (we hope you) asked to choose a new password for your HealthCommunity account @{handle}. \
             Choose it here:\n\n{base}/reset/{token}\n\n\
             The link works once, for one hour. If you did not ask, ignore this e-mail: your password stays as it is.\n"
        );
        account_mail(
            &mut tx,
            base_url,
            user,
            address,
            "Choose a new password",
            body,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The link behind `token` while it can still be used: (account, address, used).
async fn link(
    db: &Db,
    token: &str,
    purpose: Purpose,
) -> Result<(UserId, String, Option<i64>), AppError> {
    sqlx::query_as(
        "SELECT user_id, address, used_at FROM email_tokens \
         WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
    )
    .bind(hash_token(token.trim()))
    .bind(purpose.as_str())
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// What a link's page shows: whose account, the address (masked), and whether it is done.
pub async fn link_view(db: &Db, token: &str, purpose: Purpose) -> Result<EmailLinkView, AppError> {
    let (user, address, used) = link(db, token, purpose).await?;
    let (handle, email): (String, String) =
        sqlx::query_as("SELECT handle, email FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&db.pool)
            .await?;
    // A used link shows "done" only for the address it proved; otherwise it is gone.
    let done = used.is_some();
    if done && !(purpose == Purpose::Verify && email == address) {
        return Err(AppError::NotFound);
    }
    Ok(EmailLinkView {
        handle,
        address: mask_address(&address),
        done,
    })
}

/// Takes a link for use, once: the account and address, or `NotFound` when it is unknown,
/// expired or used.
async fn take(
    tx: &mut Tx<'_>,
    token: &str,
    purpose: Purpose,
) -> Result<(UserId, String), AppError> {
    let now = now_ms();
    sqlx::query_as(
        "UPDATE email_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, address",
    )
    .bind(now)
    .bind(hash_token(token.trim()))
    .bind(purpose.as_str())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)
}

/// The account now holds `address`, proved by its mailbox, if it still asks for it. An address
/// another account proved first stays theirs (checked first: on PostgreSQL a failed statement
/// would end the transaction; the unique constraint still settles a race).
async fn hold(tx: &mut Tx<'_>, user: UserId, address: &str) -> Result<bool, AppError> {
    let taken = sqlx::query("SELECT 1 AS one FROM users WHERE email = $1")
        .bind(address)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    if taken {
        return Ok(false);
    }
    let done = sqlx::query(
        "UPDATE users SET email = $1, pending_email = NULL, email_verified_at = $2 \
         WHERE id = $3 AND pending_email = $1",
    )
    .bind(address)
    .bind(now_ms())
    .bind(user)
    .execute(&mut **tx)
    .await;
    match done {
        Ok(r) => Ok(r.rows_affected() == 1),
        Err(e) if is_unique_violation(&e, "users_email_key") => Err(AppError::field(
            "token",
            "This address was confirmed for another account a moment ago.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Uses a verification link: the account holds the address from now on.
pub async fn verify(db: &Db, token: &str) -> Result<UserId, AppError> {
    let mut tx = db.begin_write().await?;
    let (user, address) = take(&mut tx, token, Purpose::Verify).await?;
    if !hold(&mut tx, user, &address).await? {
        return Err(AppError::field(
            "token",
            "This address now belongs to another account, or you asked for a different one since. Settings shows which.",
        ));
    }
    tx.commit().await?;
    tracing::info!(user_id = %user, "e-mail address verified");
    Ok(user)
}

/// Uses a reset link: stores the new password hash, ends every session and forgets every known
/// device of the account, voids its other reset links, proves the address if the account was
/// waiting for it, and tells the address. Returns the account.
pub async fn reset(db: &Db, base_url: &str, token: &str, hash: &str) -> Result<UserId, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let (user, address) = take(&mut tx, token, Purpose::Reset).await?;
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    // Each statement gets exactly its parameters: on PostgreSQL a statement prepared with an
    // extra one is cached that way for its text, and the next use of the same text with the
    // right number (an erasure's) then failed on that connection.
    for table in ["sessions", "known_devices"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE email_tokens SET used_at = $2 WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL",
    )
    .bind(user)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    hold(&mut tx, user, &address).await?;
    password_changed_mail(&mut tx, base_url, user, now).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user, "password reset from an e-mail link");
    Ok(user)
}

/// The member's handle and their address, if they proved it (account mails go nowhere else).
pub(crate) async fn proved_address(
    tx: &mut Tx<'_>,
    user: UserId,
) -> Result<Option<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT handle, email FROM users WHERE id = $1 AND email_verified_at IS NOT NULL",
    )
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?)
}

/// "Your password was changed", to the account's proved address (none yet: nothing is sent).
pub async fn password_changed_mail(
    tx: &mut Tx<'_>,
    base_url: &str,
    user: UserId,
    now: i64,
) -> Result<(), AppError> {
    let Some((handle, email)) = proved_address(tx, user).await? else {
        return Ok(());
    };
    let base = base_url.trim_end_matches('/');
    let body = format!(
        "Hello @{handle},\n\nThe password of your HealthCommunity account was just changed, and every device was logged out.\n\n\
         If this was you, there is nothing to do. If it was not, choose a new password now at {base}/forgot \
         and tell the site's team.\n"
    );
    account_mail(
        tx,
        base_url,
        user,
        &email,
        "Your password was changed",
        body,
        now,
    )
    .await
}

/// Asks for a new address: kept waiting in `pending_email` (the old one stays in use) until the
/// link is used.
pub async fn change_address(
    db: &Db,
    base_url: &str,
    user: UserId,
    address: &str,
) -> Result<(), AppError> {
    let holds = sqlx::query("SELECT 1 AS one FROM users WHERE id = $1 AND email = $2")
        .bind(user)
        .bind(address)
        .fetch_optional(&db.pool)
        .await?
        .is_some();
    if holds {
        return Err(AppError::field(
            "new_email",
            "This is your address already.",
        ));
    }
    sqlx::query("UPDATE users SET pending_email = $1 WHERE id = $2")
        .bind(address)
        .bind(user)
        .execute(&db.pool)
        .await?;
    check_address(db, base_url, user, address).await
}

/// Sends the account's waiting address another link (or its holder another notice).
pub async fn resend(db: &Db, base_url: &str, user: UserId) -> Result<(), AppError> {
    let pending: Option<String> =
        sqlx::query_scalar("SELECT pending_email FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&db.pool)
            .await?;
    match pending {
        Some(address) => check_address(db, base_url, user, &address).await,
        None => Err(AppError::field(
            "email",
            "Your address is confirmed already.",
        )),
    }
}

/// Drops links a day after they expired (the hourly sweep).
pub async fn sweep(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1")
            .bind(now - 24 * HOUR_MS)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}
