//! Server-only sealing of the account secrets the server must read back (two-step keys, fresh recovery codes): encrypted in the database with a key held outside it.
//!
//! A two-step key has to be stored so that the server can compute the member's codes; whoever
//! reads a copy of the database (a leaked backup, a read-only SQL injection) would otherwise read
//! every member's key. Sealed values are XChaCha20-Poly1305 with a random nonce, bound to their
//! owner and column (the associated data), so a value copied into another member's row or
//! column does not open. The key is the operator's (`HC_SECRET_KEY`, or a key file beside the
//! SQLite database: see the server's `secret_key`), never in the database.
//!
//! A value without the `sealed1:` prefix is an older plaintext value: it still opens (a process
//! of the previous version may write one during a rolling deploy). The key can change: the old
//! ones still open (`HC_SECRET_KEY_OLD`), and [`reseal`] seals every plaintext value and every
//! value sealed with an old key anew with the current one when the server starts.

use crate::db::Db;
use crate::error::AppError;
use crate::ids::UserId;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

const PREFIX: &str = "sealed1:";
const NONCE: usize = 24;
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The columns whose values are sealed; each is associated data of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    TotpSecret,
    TotpPending,
    RecoveryCodesFresh,
}

impl Column {
    pub const ALL: [Column; 3] = [
        Column::TotpSecret,
        Column::TotpPending,
        Column::RecoveryCodesFresh,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::TotpSecret => "totp_secret",
            Column::TotpPending => "totp_pending",
            Column::RecoveryCodesFresh => "recovery_codes_fresh",
        }
    }
}

/// The key that seals and opens, and the operator's old keys, which only open. Its `Debug`
/// never shows them.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    old: Vec<XChaCha20Poly1305>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(…)")
    }
}

impl Default for Sealer {
    /// A new random key: for a database that lives no longer than the process (tests, an
    /// in-memory SQLite). A server with a database of its own loads its key.
    fn default() -> Self {
        Self::new(&Self::random_key())
    }
}

impl Sealer {
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(key.into()),
            old: Vec::new(),
        }
    }

    /// This key, which also opens what `old` keys sealed (they seal nothing new).
    pub fn with_old(mut self, old: Vec<Sealer>) -> Self {
        self.old.extend(old.into_iter().map(|s| s.cipher));
        self
    }

    /// 32 random bytes, for a new key.
    pub fn random_key() -> [u8; 32] {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        key
    }

    /// A key written as 64 hexadecimal digits (what `HC_SECRET_KEY` and the key file hold).
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(text.trim().as_bytes())
            .ok()?;
        let key: [u8; 32] = bytes.try_into().ok()?;
        Some(Self::new(&key))
    }

    fn aad(user: UserId, column: Column) -> String {
        format!("{}:{}", column.name(), user.0)
    }

    /// `plain` sealed for `user`'s `column`.
    pub fn seal(&self, user: UserId, column: Column, plain: &str) -> Result<String, AppError> {
        let mut nonce = [0u8; NONCE];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = Self::aad(user, column);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| {
                tracing::error!("sealing a value failed");
                AppError::Internal
            })?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", B64.encode(out)))
    }

    /// The plain value of `stored` (`user`'s `column`); a value from before sealing as it is.
    /// `None` when it does not open: another key, another row or column, or altered (logged).
    pub fn open(&self, user: UserId, column: Column, stored: &str) -> Option<String> {
        self.open_as(user, column, stored).map(|(plain, _)| plain)
    }

    /// The plain value and how it was stored.
    fn open_as(&self, user: UserId, column: Column, stored: &str) -> Option<(String, Was)> {
        let Some(body) = stored.strip_prefix(PREFIX) else {
            return Some((stored.to_string(), Was::Plain));
        };
        let bytes = B64.decode(body).ok().filter(|b| b.len() > NONCE);
        let opened = bytes.and_then(|bytes| {
            let (nonce, sealed) = bytes.split_at(NONCE);
            let aad = Self::aad(user, column);
            let payload = || Payload {
                msg: sealed,
                aad: aad.as_bytes(),
            };
            let nonce = XNonce::from_slice(nonce);
            let plain = match self.cipher.decrypt(nonce, payload()) {
                Ok(plain) => (plain, Was::Sealed),
                Err(_) => self
                    .old
                    .iter()
                    .find_map(|old| old.decrypt(nonce, payload()).ok())
                    .map(|plain| (plain, Was::SealedWithOldKey))?,
            };
            Some((String::from_utf8(plain.0).ok()?, plain.1))
        });
        if opened.is_none() {
            tracing::error!(
                user = user.0,
                column = column.name(),
                "a sealed value does not open with this server's key (HC_SECRET_KEY or its key file changed?)"
            );
        }
        opened
    }
}

/// How a stored value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Was {
    Plain,
    Sealed,
    SealedWithOldKey,
}

/// Seals anew, with the current key, every value of the sealed columns stored as plaintext (from
/// before sealing, or by a process of the previous version) or sealed with an old key; how
/// many. Run when the server starts (a few rows: members with two-step sign-in).
pub async fn reseal(db: &Db, sealer: &Sealer) -> Result<u64, AppError> {
    let mut resealed = 0;
    for column in Column::ALL {
        let name = column.name();
        let rows: Vec<(UserId, String)> = sqlx::query_as(&format!(
            "SELECT id, {name} FROM users WHERE {name} IS NOT NULL"
        ))
        .fetch_all(&db.pool)
        .await?;
        for (user, stored) in rows {
            let Some((plain, was)) = sealer.open_as(user, column, &stored) else {
                continue;
            };
            if was == Was::Sealed {
                continue;
            }
            // Only if nobody changed it meanwhile (another process resealing it too).
            sqlx::query(&format!(
                "UPDATE users SET {name} = $2 WHERE id = $1 AND {name} = $3"
            ))
            .bind(user)
            .bind(sealer.seal(user, column, &plain)?)
            .bind(&stored)
            .execute(&db.pool)
            .await?;
            resealed += 1;
        }
    }
    Ok(resealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: UserId = UserId(7);

    #[test]
    fn a_sealed_value_opens_only_with_its_key_for_its_row_and_column() {
        let s = Sealer::default();
        let v = s
            .seal(ME, Column::TotpSecret, "JBSWY3DPEHPK3PXP")
            .unwrap_or_default();
        assert!(v.starts_with(PREFIX), "{v}");
        assert!(!v.contains("JBSWY3DPEHPK3PXP"), "{v}");
        assert_eq!(
            s.open(ME, Column::TotpSecret, &v).as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        // Another member's row, another column, another key: it does not open.
        assert_eq!(s.open(UserId(8), Column::TotpSecret, &v), None);
        assert_eq!(s.open(ME, Column::TotpPending, &v), None);
        assert_eq!(Sealer::default().open(ME, Column::TotpSecret, &v), None);
        // Altered: it does not open.
        let mut altered = v.clone().into_bytes();
        if let Some(last) = altered.last_mut() {
            *last = if *last == b'A' { b'B' } else { b'A' };
        }
        let altered = String::from_utf8(altered).unwrap_or_default();
        assert_eq!(s.open(ME, Column::TotpSecret, &altered), None);
        assert_eq!(s.open(ME, Column::TotpSecret, "sealed1:AAAA"), None);
        // The same value sealed twice reads differently (a fresh nonce each time).
        let again = s
            .seal(ME, Column::TotpSecret, "JBSWY3DPEHPK3PXP")
            .unwrap_or_default();
        assert_ne!(v, again);
    }

    #[test]
    fn an_old_key_opens_what_it_sealed_and_seals_nothing_new() {
        let old = Sealer::new(&[1; 32]);
        let v = old
            .seal(ME, Column::TotpSecret, "JBSWY3DPEHPK3PXP")
            .unwrap_or_default();
        let current = Sealer::new(&[2; 32]);
        assert_eq!(current.open(ME, Column::TotpSecret, &v), None);
        let both = Sealer::new(&[2; 32]).with_old(vec![Sealer::new(&[1; 32])]);
        assert_eq!(
            both.open_as(ME, Column::TotpSecret, &v),
            Some(("JBSWY3DPEHPK3PXP".to_string(), Was::SealedWithOldKey))
        );
        let new = both
            .seal(ME, Column::TotpSecret, "JBSWY3DPEHPK3PXP")
            .unwrap_or_default();
        assert_eq!(
            current.open(ME, Column::TotpSecret, &new).as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        assert_eq!(old.open(ME, Column::TotpSecret, &new), None);
        assert_eq!(
            both.open_as(ME, Column::TotpSecret, "JBSW"),
            Some(("JBSW".to_string(), Was::Plain))
        );
    }

    #[test]
    fn a_value_from_before_sealing_opens_as_it_is() {
        let s = Sealer::default();
        assert_eq!(
            s.open(ME, Column::RecoveryCodesFresh, "abcd-efgh\nijkm-npqr")
                .as_deref(),
            Some("abcd-efgh\nijkm-npqr")
        );
    }

    #[test]
    fn a_key_is_64_hex_digits() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
        let a = Sealer::from_hex(hex);
        let b = Sealer::from_hex(&format!(" {hex}\n"));
        assert!(a.is_some() && b.is_some());
        let v = a
            .map(|a| a.seal(ME, Column::TotpSecret, "x"))
            .and_then(Result::ok)
            .unwrap_or_default();
        assert_eq!(
            b.and_then(|b| b.open(ME, Column::TotpSecret, &v))
                .as_deref(),
            Some("x")
        );
        assert!(Sealer::from_hex("0011").is_none());
        assert!(Sealer::from_hex(&"zz".repeat(32)).is_none());
        assert!(Sealer::from_hex(&"00".repeat(33)).is_none());
    }
}
