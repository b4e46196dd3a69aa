//! Server-only two-step sign-in: one-time codes (RFC 6238), recovery codes, the login that waits for its code, and the storage of each.
//!
//! A member turns it on in Settings (password, then a first code from their authenticator app,
//! which proves the app has the secret); from then on a correct password starts a *challenge*
//! instead of a session: a row keyed by the SHA-256 of a cookie's secret, good for ten minutes
//! and five codes. [`sign_in`] is the one place a password (login or reset link) becomes a
//! session, so no way in skips the code.

use super::repo::{hash_token, hit_rate_limit, new_token};
use super::sealed::{Column, Sealer};
use super::session;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;
use crate::state::AppState;
use hmac::{Hmac, Mac};
use rand::RngCore;

/// A code stands for 30 seconds; one step either side is accepted (a phone's clock drifts).
const STEP_SECS: i64 = 30;
/// How long a login waits for its code.
pub const CHALLENGE_MS: i64 = 10 * 60 * 1000;
/// Wrong codes one login may try before the password is asked again.
pub const CHALLENGE_TRIES: i64 = 5;
/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;
/// The cookie of a login that waits for its code.
pub const CHALLENGE_COOKIE: &str = "hc_two_step";
/// Where a login that needs its code goes.
pub const CODE_PAGE: &str = "/login/code";

/// The code of `secret` for time step `step`: HOTP (RFC 4226) of the step, six digits.
pub fn code_at(secret: &[u8], step: i64) -> u32 {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest.get(19).copied().unwrap_or(0) & 0x0f);
    let word = digest
        .get(offset..offset + 4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_be_bytes)
        .unwrap_or(0);
    (word & 0x7fff_ffff) % 1_000_000
}

/// The time step of `ms` (milliseconds since 1970).
pub fn step_of(ms: i64) -> i64 {
    ms.div_euclid(1000 * STEP_SECS)
}

/// Decodes a base32 secret as written in the database (and shown to the member, in groups).
pub fn secret_bytes(secret: &str) -> Option<Vec<u8>> {
    let clean: String = secret
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok()
}

/// The step whose code `typed` is (now, or one step either side), after `last` (a code works once).
pub fn matching_step(secret: &str, typed: &str, now_ms: i64, last: i64) -> Option<i64> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = digits.parse().ok()?;
    let bytes = secret_bytes(secret)?;
    let now = step_of(now_ms);
    (now - 1..=now + 1).find(|&step| step > last && code_at(&bytes, step) == typed)
}

/// A new secret: 160 random bits, base32 (what authenticator apps expect).
fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// A recovery code: eight characters in two groups, from letters and digits that cannot be misread.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| {
            let i = usize::from(*b) % ALPHABET.len();
            char::from(ALPHABET.get(i).copied().unwrap_or(b'a'))
        })
        .collect();
    let (a, b) = chars.split_at(4);
    format!(
        "{}-{}",
        a.iter().collect::<String>(),
        b.iter().collect::<String>()
    )
}

/// A typed recovery code as stored: lower case, no spaces or dashes.
fn normal_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, handle: &str, secret: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period={STEP_SECS}",
        enc(issuer).replace('+', "%20"),
        enc(handle),
        enc(issuer).replace('+', "%20"),
    )
}

/// The QR code of `uri` as an SVG element (no XML declaration), black on white for any theme.
pub fn qr_svg(uri: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| {
        tracing::error!(error = %e, "QR code");
        AppError::Internal
    })?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(match svg.find("<svg") {
        Some(at) => svg.get(at..).unwrap_or_default().to_string(),
        None => svg,
    })
}

/// The site's name in the member's app: the host of its public address.
pub fn issuer(public_url: &str) -> String {
    url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "HealthCommunity".into())
}

/// A member's two-step state as stored; the key, a key waiting for its first code and fresh
/// recovery codes are sealed (`auth::sealed`): read them with the methods.
#[derive(sqlx::FromRow)]
pub struct Stored {
    pub id: UserId,
    pub handle: String,
    pub totp_secret: Option<String>,
    pub totp_pending: Option<String>,
    pub totp_on_since: Option<i64>,
    pub totp_last_step: i64,
    pub recovery_codes_fresh: Option<String>,
}

impl Stored {
    /// The key of the authenticator app, when two-step sign-in is on (and the key opens).
    pub fn key(&self, sealer: &Sealer) -> Option<String> {
        let sealed = self.totp_secret.as_deref()?;
        sealer.open(self.id, Column::TotpSecret, sealed)
    }

    /// The new key waiting for its first code, while it is being set up.
    pub fn pending_key(&self, sealer: &Sealer) -> Option<String> {
        let sealed = self.totp_pending.as_deref()?;
        sealer.open(self.id, Column::TotpPending, sealed)
    }

    /// New recovery codes not yet marked saved.
    pub fn fresh_codes(&self, sealer: &Sealer) -> Vec<String> {
        self.recovery_codes_fresh
            .as_deref()
            .and_then(|sealed| sealer.open(self.id, Column::RecoveryCodesFresh, sealed))
            .map(|codes| codes.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }
}

pub async fn stored(db: &Db, user: UserId) -> Result<Stored, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, handle, totp_secret, totp_pending, totp_on_since, totp_last_step, recovery_codes_fresh \
         FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_one(&db.pool)
    .await?)
}

/// Unused recovery codes left.
pub async fn codes_left(db: &Db, user: UserId) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user)
    .fetch_one(&db.pool)
    .await?)
}

/// Starts setting it up: a new secret waits for its first code.
pub async fn begin(db: &Db, sealer: &Sealer, user: UserId) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET totp_pending = $2 WHERE id = $1")
        .bind(user)
        .bind(sealer.seal(user, Column::TotpPending, &new_secret())?)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Gives up a set-up that waits for its first code.
pub async fn cancel(db: &Db, user: UserId) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET totp_pending = NULL WHERE id = $1")
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Turns it on when `typed` is the pending secret's code; makes the first recovery codes.
pub async fn confirm(
    db: &Db,
    sealer: &Sealer,
    base_url: &str,
    user: UserId,
    typed: &str,
) -> Result<(), AppError> {
    let s = stored(db, user).await?;
    let Some(pending) = s.pending_key(sealer) else {
        return Err(AppError::field(
            "code",
            "Start again: press “Set up two-step sign-in”.",
        ));
    };
    let Some(step) = matching_step(&pending, typed, now_ms(), 0) else {
        return Err(AppError::field(
            "code",
            "That is not the code the app shows now. Type the six digits it shows for this site (they change every 30 seconds).",
        ));
    };
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE users SET totp_secret = $4, totp_pending = NULL, totp_on_since = $2, totp_last_step = $3 WHERE id = $1",
    )
    .bind(user)
    .bind(now_ms())
    .bind(step)
    .bind(sealer.seal(user, Column::TotpSecret, &pending)?)
    .execute(&mut *tx)
    .await?;
    write_recovery_codes(&mut tx, sealer, user).await?;
    crate::admin::repo::audit(&mut tx, user, "two_step_on", Some(user), "").await?;
    changed_mail(&mut tx, base_url, user, Change::On).await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces the member's recovery codes: the new ones wait to be shown until they say they saved them.
async fn write_recovery_codes(
    tx: &mut crate::db::Tx<'_>,
    sealer: &Sealer,
    user: UserId,
) -> Result<(), AppError> {
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    for code in &codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user)
            .bind(hash_token(&normal_recovery_code(code)))
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE users SET recovery_codes_fresh = $2 WHERE id = $1")
        .bind(user)
        .bind(sealer.seal(user, Column::RecoveryCodesFresh, &codes.join("\n"))?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// New recovery codes (the old ones stop working).
pub async fn renew_codes(db: &Db, sealer: &Sealer, user: UserId) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    write_recovery_codes(&mut tx, sealer, user).await?;
    tx.commit().await?;
    Ok(())
}

/// The member saved their new recovery codes: they are not shown again.
pub async fn codes_saved(db: &Db, user: UserId) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET recovery_codes_fresh = NULL WHERE id = $1")
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Turns it off: the secret, the recovery codes and any login waiting for a code go.
pub async fn turn_off(db: &Db, base_url: &str, user: UserId) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    clear(&mut tx, user).await?;
    crate::admin::repo::audit(&mut tx, user, "two_step_off", Some(user), "").await?;
    changed_mail(&mut tx, base_url, user, Change::Off).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the account's key (also one waiting for its first code), recovery codes and logins
/// waiting for a code.
async fn clear(tx: &mut crate::db::Tx<'_>, user: UserId) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_on_since = NULL, recovery_codes_fresh = NULL WHERE id = $1",
    )
    .bind(user)
    .execute(&mut **tx)
    .await?;
    for table in ["recovery_codes", "login_challenges"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// An admin turns off the two-step sign-in of member `handle`, who lost their phone and their
/// recovery codes, after checking that the request is theirs (`reason` says how; audited). The
/// admin must use two-step sign-in themself, so that an admin's password alone cannot strip it
/// from others. The member is e-mailed and notified; their password logs in alone again, and
/// they can turn it on anew.
pub async fn reset_by_admin(
    db: &Db,
    base_url: &str,
    admin: UserId,
    handle: &str,
    reason: &str,
) -> Result<(), AppError> {
    if stored(db, admin).await?.totp_secret.is_none() {
        return Err(AppError::field(
            "reset_handle",
            "Turn on two-step sign-in for your own account first (Settings → Two-step sign-in): only an admin who uses it may turn it off for others.",
        ));
    }
    let target: Option<(UserId, Option<String>)> =
        sqlx::query_as("SELECT id, totp_secret FROM users WHERE handle = $1 AND erased_at IS NULL")
            .bind(handle.trim().trim_start_matches('@'))
            .fetch_optional(&db.pool)
            .await?;
    let Some((member, secret)) = target else {
        return Err(AppError::field(
            "reset_handle",
            "No member has this handle.",
        ));
    };
    if member == admin {
        return Err(AppError::field(
            "reset_handle",
            "Your own is turned off in Settings → Two-step sign-in.",
        ));
    }
    if secret.is_none() {
        return Err(AppError::field(
            "reset_handle",
            "This member does not use two-step sign-in.",
        ));
    }
    let mut tx = db.begin_write().await?;
    clear(&mut tx, member).await?;
    crate::admin::repo::audit(&mut tx, admin, "two_step_reset", Some(member), reason).await?;
    crate::notifications::repo::add(
        &mut tx,
        member,
        "account",
        admin,
        "The site's team turned off your two-step sign-in, as you asked: your password alone logs in. Turn it on again in Settings.",
        "/settings#two-step-h",
    )
    .await?;
    changed_mail(&mut tx, base_url, member, Change::OffByTeam).await?;
    tx.commit().await?;
    Ok(())
}

/// What the member is told of by e-mail.
enum Change {
    On,
    Off,
    /// The site's team turned it off, on the member's request.
    OffByTeam,
    /// A recovery code logged in; this many are left.
    RecoveryCodeUsed(i64),
}

/// Tells the account's proved address (none yet: nothing is sent) that its two-step sign-in
/// changed, so a change the member did not make does not go unnoticed.
async fn changed_mail(
    tx: &mut crate::db::Tx<'_>,
    base_url: &str,
    user: UserId,
    change: Change,
) -> Result<(), AppError> {
    let Some((handle, email)) = super::email::proved_address(tx, user).await? else {
        return Ok(());
    };
    let base = base_url.trim_end_matches('/');
    let (subject, what) = match change {
        Change::On => (
            "Two-step sign-in is on".to_string(),
            "Two-step sign-in was just turned on: logging in now asks for the code of your authenticator app after your password.".to_string(),
        ),
        Change::Off => (
            "Two-step sign-in was turned off".to_string(),
            "Two-step sign-in was just turned off: your password alone logs in again.".to_string(),
        ),
        Change::OffByTeam => (
            "The site's team turned off your two-step sign-in".to_string(),
            "At your request, the site's team turned off your two-step sign-in: your password alone logs in again. To turn it on anew (with a new key and new recovery codes), go to Settings.".to_string(),
        ),
        Change::RecoveryCodeUsed(left) => (
            "A recovery code was used to log in".to_string(),
            format!("One of your recovery codes was just used to log in; {left} are left. New ones are made in Settings."),
        ),
    };
    let body = format!(
        "Hello @{handle},\n\n{what}\n\n\
         If this was you, there is nothing to do. If it was not, choose a new password now at {base}/forgot \
         and tell the site's team.\n"
    );
    super::email::account_mail(tx, base_url, user, &email, &subject, body, now_ms()).await
}

/// Where a correct password leads: a session, or — with two-step sign-in on — the page that asks
/// for the code (the session starts there). Used by the login and by a password-reset link.
/// `device` is the browser's device cookie, read before the caller's first `.await`.
pub async fn sign_in(
    state: &AppState,
    id: UserId,
    next: &str,
    device: Option<&str>,
) -> Result<(), AppError> {
    let on = stored(&state.db, id).await?.totp_secret.is_some();
    if !on {
        return finish_sign_in(state, id, next, device).await;
    }
    let token = new_token();
    sqlx::query(
        "INSERT INTO login_challenges (token_hash, user_id, next, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash_token(&token))
    .bind(id)
    .bind(next)
    .bind(now_ms())
    .execute(&state.db.pool)
    .await?;
    session::set_cookie_for(state, CHALLENGE_COOKIE, &token, CHALLENGE_MS / 1000);
    leptos_axum::redirect(CODE_PAGE);
    Ok(())
}

/// Starts the session, remembers the browser and goes on to `next` (or says a pending
/// deletion was cancelled by this login).
async fn finish_sign_in(
    state: &AppState,
    id: UserId,
    next: &str,
    device: Option<&str>,
) -> Result<(), AppError> {
    let known_device = match device {
        Some(token) => super::repo::is_known_device(&state.db, id, token).await?,
        None => false,
    };
    session::start(state, id).await?;
    if !known_device {
        session::remember_device(state, id).await?;
    }
    // Logging in during the grace period of "Delete my account" cancels it (and says so).
    if crate::privacy::repo::cancel_deletion(&state.db, &state.settings.public_url, id).await? {
        leptos_axum::redirect(super::api::CANCELLED_DELETION);
    } else {
        leptos_axum::redirect(next);
    }
    Ok(())
}

/// A login waiting for its code, by its cookie: the member's id and where they were going.
#[derive(sqlx::FromRow)]
pub struct Challenge {
    pub user_id: UserId,
    pub handle: String,
    pub next: String,
    pub attempts: i64,
}

/// The login this browser started (`token`: its cookie), if it still waits for its code.
pub async fn challenge(db: &Db, token: Option<&str>) -> Result<Option<Challenge>, AppError> {
    let Some(token) = token else {
        return Ok(None);
    };
    Ok(sqlx::query_as(
        "SELECT c.user_id, u.handle, c.next, c.attempts FROM login_challenges c JOIN users u ON u.id = c.user_id \
         WHERE c.token_hash = $1 AND c.created_at > $2 AND c.attempts < $3 AND u.totp_secret IS NOT NULL",
    )
    .bind(hash_token(token))
    .bind(now_ms() - CHALLENGE_MS)
    .bind(CHALLENGE_TRIES)
    .fetch_optional(&db.pool)
    .await?)
}

const TIMED_OUT: &str =
    "This sign-in has timed out or had too many wrong codes. Log in again with your password.";

/// Checks the code of the login waiting in this browser (`token`: its cookie; `device`: the
/// device cookie) and, when right, signs the member in.
pub async fn answer(
    state: &AppState,
    typed: &str,
    token: Option<&str>,
    device: Option<&str>,
) -> Result<(), AppError> {
    let Some(c) = challenge(&state.db, token).await? else {
        return Err(AppError::field("code", TIMED_OUT));
    };
    let limits = &state.settings.limits;
    hit_rate_limit(
        &state.db,
        &format!("two_step:account:{}", c.user_id),
        limits.login_per_account,
        limits.window_ms,
    )
    .await?;
    let Some(kind) = code_is_right(&state.db, &state.settings.sealer, c.user_id, typed).await?
    else {
        sqlx::query("UPDATE login_challenges SET attempts = attempts + 1 WHERE token_hash = $1")
            .bind(hash_token(token.unwrap_or_default()))
            .execute(&state.db.pool)
            .await?;
        let left = CHALLENGE_TRIES - c.attempts - 1;
        return Err(AppError::field(
            "code",
            if left > 0 {
                "That code is not right. Type the six digits your app shows now, or one of your recovery codes."
            } else {
                TIMED_OUT
            },
        ));
    };
    if kind == Right::RecoveryCode {
        let left = codes_left(&state.db, c.user_id).await?;
        let mut tx = state.db.begin_write().await?;
        let url = &state.settings.public_url;
        changed_mail(&mut tx, url, c.user_id, Change::RecoveryCodeUsed(left)).await?;
        tx.commit().await?;
    }
    sqlx::query("DELETE FROM login_challenges WHERE user_id = $1")
        .bind(c.user_id)
        .execute(&state.db.pool)
        .await?;
    session::set_cookie_for(state, CHALLENGE_COOKIE, "", 0);
    finish_sign_in(state, c.user_id, &c.next, device).await
}

/// Which kind of code was right.
#[derive(PartialEq, Eq)]
enum Right {
    AppCode,
    RecoveryCode,
}

/// Whether `typed` is the member's current code (not used before) or one of their unused
/// recovery codes; either is used up by this. A key that does not open (the server's key
/// changed) leaves the recovery codes, which are hashed, not sealed.
async fn code_is_right(
    db: &Db,
    sealer: &Sealer,
    user: UserId,
    typed: &str,
) -> Result<Option<Right>, AppError> {
    let s = stored(db, user).await?;
    if s.totp_secret.is_none() {
        return Ok(None);
    }
    let step = s
        .key(sealer)
        .and_then(|key| matching_step(&key, typed, now_ms(), s.totp_last_step));
    if let Some(step) = step {
        // Only one request can move the step on: the same code twice at once signs in once.
        let moved = sqlx::query(
            "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2",
        )
        .bind(user)
        .bind(step)
        .execute(&db.pool)
        .await?
        .rows_affected();
        return Ok((moved == 1).then_some(Right::AppCode));
    }
    let code = normal_recovery_code(typed);
    if code.len() != 8 {
        return Ok(None);
    }
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(user)
    .bind(hash_token(&code))
    .bind(now_ms())
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok((used == 1).then_some(Right::RecoveryCode))
}

/// Removes logins that waited too long for their code (run with the hourly sweep).
pub async fn sweep(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM login_challenges WHERE created_at < $1")
            .bind(now - CHALLENGE_MS)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 test vectors (the last six digits of its eight).
    #[test]
    fn codes_match_the_rfc() {
        let secret = b"12345678901234567890";
        for (secs, code) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
        ] {
            assert_eq!(code_at(secret, step_of(secs * 1000)), code, "{secs}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_and_one_step_either_side() {
        let secret = new_secret();
        let bytes = secret_bytes(&secret).unwrap_or_default();
        assert_eq!(bytes.len(), 20);
        let now = 1_800_000_000_000;
        let step = step_of(now);
        let code = |s: i64| format!("{:06}", code_at(&bytes, s));
        assert_eq!(matching_step(&secret, &code(step), now, 0), Some(step));
        assert_eq!(
            matching_step(&secret, &code(step - 1), now, 0),
            Some(step - 1)
        );
        assert_eq!(
            matching_step(&secret, &code(step + 1), now, 0),
            Some(step + 1)
        );
        assert_eq!(matching_step(&secret, &code(step - 2), now, 0), None);
        // Used already (the last step is remembered).
        assert_eq!(matching_step(&secret, &code(step), now, step), None);
        // Typed with a space in the middle, as apps show it.
        let spaced = format!("{} {}", &code(step)[..3], &code(step)[3..]);
        assert_eq!(matching_step(&secret, &spaced, now, 0), Some(step));
        assert_eq!(matching_step(&secret, "12345", now, 0), None);
        assert_eq!(matching_step(&secret, "abcdef", now, 0), None);
    }

    #[test]
    fn recovery_codes_read_the_same_however_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 9);
        assert_eq!(
            normal_recovery_code(&code.to_uppercase().replace('-', " ")),
            code.replace('-', "")
        );
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_address() {
        let uri = otpauth_uri("ms.example.org", "jo_carer", "JBSWY3DPEHPK3PXP");
        assert!(
            uri.starts_with("otpauth://totp/ms.example.org:jo_carer?secret=JBSWY3DPEHPK3PXP&issuer=ms.example.org"),
            "{uri}"
        );
        let svg = qr_svg(&uri).unwrap_or_default();
        assert!(svg.starts_with("<svg") && svg.contains("<path"), "{svg}");
        assert_eq!(issuer("https://ms.example.org/"), "ms.example.org");
    }
}
