//! Server-only account storage: users, sessions, consent records, password hashing and rate-limit buckets.

use super::types::*;
use crate::db::{is_unique_violation, now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;
use crate::state::AppState;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// Hashes a password with argon2id (OWASP parameters), at most one hash per core at a time.
pub async fn hash_password(state: &AppState, password: &str) -> Result<String, AppError> {
    let _permit = state
        .hashing
        .acquire()
        .await
        .map_err(|_| AppError::Internal)?;
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "hashing task failed");
        AppError::Internal
    })?
    .map_err(|e| {
        tracing::error!(error = %e, "hashing failed");
        AppError::Internal
    })
}

/// Checks a password against a stored hash. With no hash (unknown account) it still spends the
/// same time on a dummy hash, so the answer time does not reveal which accounts exist.
pub async fn verify_password(
    state: &AppState,
    password: &str,
    stored: Option<String>,
) -> Result<bool, AppError> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s,
        None => DUMMY
            .get_or_try_init(|| hash_password(state, "not-a-real-password"))
            .await?
            .clone(),
    };
    let _permit = state
        .hashing
        .acquire()
        .await
        .map_err(|_| AppError::Internal)?;
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|_| AppError::Internal)?;
    Ok(ok && known)
}

const HANDLE_TAKEN: &str = "This handle is taken. Try another one.";
const EMAIL_TAKEN: &str = "An account with this e-mail exists already. Log in instead?";

/// What sign-up stores.
pub struct NewUser<'a> {
    pub handle: &'a Handle,
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub kind: MemberKind,
    /// Licence number and specialty, for clinicians.
    pub clinician: Option<(String, String)>,
    /// Ticked "e-mail me a daily digest" at sign-up.
    pub digest: bool,
    /// The address is known to be theirs (demo and first-admin accounts made from the command
    /// line). A sign-up's address waits in `pending_email` until its link is used.
    pub verified: bool,
}

/// Creates the account, its consent record and (for clinicians) a pending verification, in one
/// transaction. Only a taken handle is refused (handles are public): the address is not
/// checked here, so sign-up cannot tell whether it belongs to someone (see `email::check_address`).
pub async fn create_user(db: &Db, u: NewUser<'_>) -> Result<UserId, AppError> {
    let taken = sqlx::query("SELECT 1 AS one FROM users WHERE handle = $1")
        .bind(u.handle.as_str())
        .fetch_optional(&db.pool)
        .await?
        .is_some();
    if taken {
        return Err(AppError::field("handle", HANDLE_TAKEN));
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let status = if u.clinician.is_some() {
        "pending"
    } else {
        "none"
    };
    let (email, pending, verified_at) = if u.verified {
        (u.email.as_str().to_string(), None, Some(now))
    } else {
        (super::email::placeholder(), Some(u.email.as_str()), None)
    };
    let inserted: Result<UserId, _> = sqlx::query_scalar(
        "INSERT INTO users (handle, email, password_hash, kind, clinician_status, created_at, password_changed_at, \
           digest_opt_in, pending_email, email_verified_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) RETURNING id",
    )
    .bind(u.handle.as_str())
    .bind(&email)
    .bind(u.password_hash)
    .bind(u.kind.as_str())
    .bind(status)
    .bind(now)
    .bind(u.digest as i64)
    .bind(pending)
    .bind(verified_at)
    .fetch_one(&mut *tx)
    .await;
    let id: UserId = match inserted {
        Ok(id) => id,
        Err(e) => {
            return Err(if is_unique_violation(&e, "users_handle_key") {
                AppError::field("handle", HANDLE_TAKEN)
            } else if is_unique_violation(&e, "users_email_key") {
                AppError::field("email", EMAIL_TAKEN)
            } else {
                AppError::from(e)
            });
        }
    };
    sqlx::query(
        "INSERT INTO consents (user_id, kind, text_version, given_at) VALUES ($1, 'health_data', $2, $3)",
    )
    .bind(id)
    .bind(CONSENT_VERSION)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if let Some((licence, specialty)) = &u.clinician {
        insert_verification(&mut tx, id, licence, specialty, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

async fn insert_verification(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: UserId,
    licence: &str,
    specialty: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO clinician_verifications (user_id, licence_number, specialty, status, submitted_at) \
         VALUES ($1, $2, $3, 'pending', $4)",
    )
    .bind(user_id)
    .bind(licence)
    .bind(specialty)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A clinician (re)submits licence and specialty; the account becomes pending again.
pub async fn submit_verification(
    db: &Db,
    user_id: UserId,
    licence: &str,
    specialty: &str,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE users SET clinician_status = 'pending' \
         WHERE id = $1 AND kind = 'clinician' AND clinician_status <> 'verified'",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::Forbidden);
    }
    sqlx::query(
        "UPDATE clinician_verifications SET status = 'rejected', reason = 'superseded', decided_at = $2 \
         WHERE user_id = $1 AND status = 'pending'",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    insert_verification(&mut tx, user_id, licence, specialty, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The accounts (id, password hash) a login identifier may mean: the account with that handle,
/// or for an address the account holding it, else the accounts waiting to prove it.
pub async fn find_login(db: &Db, identifier: &str) -> Result<Vec<(UserId, String)>, AppError> {
    let key = identifier.trim().trim_start_matches('@').to_lowercase();
    if key.contains('@') {
        return super::email::accounts_for(db, &key).await;
    }
    let row: Option<(UserId, String)> = sqlx::query_as(
        "SELECT id, password_hash FROM users WHERE handle = $1 AND erased_at IS NULL",
    )
    .bind(&key)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.into_iter().collect())
}

pub async fn password_hash_of(db: &Db, user_id: UserId) -> Result<String, AppError> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&db.pool)
            .await?,
    )
}

/// Stores a new password hash, ends every other session of the account, forgets its known
/// devices and tells its address.
pub async fn set_password(
    db: &Db,
    base_url: &str,
    user_id: UserId,
    hash: &str,
    keep_session: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(hash_token(keep_session))
        .execute(&mut *tx)
        .await?;
    // A browser remembered before no longer skips the per-account login limit.
    sqlx::query("DELETE FROM known_devices WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    super::email::password_changed_mail(&mut tx, base_url, user_id, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// A new random session token (256 bits); only its SHA-256 is stored.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Starts a session and returns its token (for the cookie).
pub async fn create_session(db: &Db, user_id: UserId, ttl_ms: i64) -> Result<String, AppError> {
    let token = new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(now)
    .bind(now + ttl_ms)
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// Remembers this browser as one the member logged in from; returns the cookie's secret.
pub async fn remember_device(db: &Db, user_id: UserId) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query("INSERT INTO known_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(token)
}

/// Whether the device cookie `token` belongs to a browser `user_id` logged in from before.
pub async fn is_known_device(db: &Db, user_id: UserId, token: &str) -> Result<bool, AppError> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM known_devices WHERE token_hash = $1 AND user_id = $2")
            .bind(hash_token(token))
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

pub async fn delete_session(db: &Db, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(hash_token(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Removes expired sessions, stale rate-limit buckets and old e-mail links (run by a background job).
pub async fn sweep(db: &Db, window_ms: i64) -> Result<u64, AppError> {
    let now = now_ms();
    let a = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&db.pool)
        .await?
        .rows_affected();
    // The longest window in use is a day (contact requests); a bucket is only dropped once no
    // window it could belong to is still running.
    let b = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(now - (2 * window_ms).max(2 * 86_400_000))
        .execute(&db.pool)
        .await?
        .rows_affected();
    let c = super::email::sweep(db, now).await?;
    let d = super::two_step::sweep(db, now).await?;
    Ok(a + b + c + d)
}

const USER_COLUMNS: &str =
    "u.id, u.handle, u.avatar_id, u.kind, u.clinician_status, u.specialty, u.is_moderator, \
                            u.is_admin, u.is_editor, u.theme, u.text_size, u.country, u.unread_notifications, u.unread_messages, \
                            u.email_verified_at, u.consent_withdrawn_at, u.suspended_until, u.suspension_reason, \
                            CASE WHEN EXISTS (SELECT 1 FROM community_members cm \
                              WHERE cm.user_id = u.id AND cm.is_moderator = 1) OR EXISTS (SELECT 1 FROM support_group_members gm \
                              WHERE gm.user_id = u.id AND gm.is_moderator = 1 AND gm.status = 'active') THEN 1 ELSE 0 END AS moderates, \
                            CASE WHEN EXISTS (SELECT 1 FROM advertisers a WHERE a.contact_user_id = u.id) THEN 1 ELSE 0 END AS sponsors, \
                            CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS two_step, \
                            COALESCE((SELECT p.staff_two_step FROM site_policies p WHERE p.id = 1), 0) AS staff_two_step";

/// A member's row as `USER_COLUMNS` reads it.
#[derive(sqlx::FromRow)]
struct UserRow {
    id: UserId,
    handle: String,
    avatar_id: Option<i64>,
    kind: String,
    clinician_status: String,
    specialty: Option<String>,
    is_moderator: Flag,
    is_admin: Flag,
    is_editor: Flag,
    theme: String,
    text_size: String,
    country: String,
    unread_notifications: i64,
    unread_messages: i64,
    email_verified_at: Option<i64>,
    consent_withdrawn_at: Option<i64>,
    suspended_until: Option<i64>,
    suspension_reason: String,
    /// Moderates a community or a support group (site-wide roles are added in `into_user`).
    moderates: Flag,
    sponsors: Flag,
    two_step: Flag,
    /// The site's policy: staff roles work only with two-step sign-in on.
    staff_two_step: Flag,
}

impl UserRow {
    fn into_user(self) -> Result<CurrentUser, AppError> {
        // A staff member without two-step sign-in, where the site requires it, is a member
        // until they turn it on: every check of a role reads these flags.
        let staff = self.is_admin.get() || self.is_moderator.get() || self.is_editor.get();
        let paused = staff && self.staff_two_step.get() && !self.two_step.get();
        let role = |flag: Flag| flag.get() && !paused;
        let (is_admin, is_moderator) = (role(self.is_admin), role(self.is_moderator));
        Ok(CurrentUser {
            id: self.id,
            handle: self.handle,
            kind: MemberKind::parse(&self.kind).map_err(|_| AppError::Internal)?,
            clinician_status: ClinicianStatus::from_db(&self.clinician_status),
            specialty: self.specialty,
            is_moderator,
            is_admin,
            is_editor: role(self.is_editor),
            staff_paused: paused,
            theme: self.theme,
            text_size: self.text_size,
            country: self.country,
            unread_notifications: self.unread_notifications,
            unread_messages: self.unread_messages,
            email_verified: self.email_verified_at.is_some(),
            consent_withdrawn: self.consent_withdrawn_at.is_some(),
            suspended_until: self.suspended_until.filter(|until| *until > now_ms()),
            suspension_reason: self.suspension_reason,
            mod_queue: (is_admin || is_moderator || self.moderates.get()).then_some(0),
            is_sponsor: self.sponsors.get(),
            avatar: self.avatar_id,
        })
    }
}

/// Fills in the moderation queue's count for a member who moderates something (a second query,
/// for moderators only).
async fn with_queue(db: &Db, user: Option<CurrentUser>) -> Result<Option<CurrentUser>, AppError> {
    match user {
        Some(mut u) if u.mod_queue.is_some() => {
            u.mod_queue = Some(crate::safety::repo::open_count(db, &u).await?);
            Ok(Some(u))
        }
        other => Ok(other),
    }
}

/// The member a session token belongs to, if the session is still valid. One indexed query.
pub async fn user_by_session(db: &Db, token: &str) -> Result<Option<CurrentUser>, AppError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2"
    );
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(hash_token(token))
        .bind(now_ms())
        .fetch_optional(&db.pool)
        .await?;
    with_queue(db, row.map(UserRow::into_user).transpose()?).await
}

pub async fn user_by_id(db: &Db, id: i64) -> Result<Option<CurrentUser>, AppError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    let row: Option<UserRow> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    with_queue(db, row.map(UserRow::into_user).transpose()?).await
}

/// Counts one attempt in a fixed-window bucket; `Err(RateLimited)` once the bucket is over `limit`.
/// Buckets live in the database so every app process shares them.
pub async fn hit_rate_limit(
    db: &Db,
    bucket: &str,
    limit: i64,
    window_ms: i64,
) -> Result<(), AppError> {
    let now = now_ms();
    let hits: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END, \
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(now)
    .bind(now - window_ms)
    .fetch_one(&db.pool)
    .await?;
    if hits > limit {
        Err(AppError::RateLimited)
    } else {
        Ok(())
    }
}
