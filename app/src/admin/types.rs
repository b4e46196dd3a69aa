//! Admin wire types: pending verifications, staff list, audit entries.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PendingVerification {
    pub id: i64,
    pub handle: String,
    pub licence_number: String,
    pub specialty: String,
    pub submitted_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub handle: String,
    pub is_moderator: bool,
    pub is_admin: bool,
    pub is_editor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub actor: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub detail: String,
    pub created_at: i64,
}

/// One page of a list plus the cursor for the next page (keyset pagination).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<i64>,
}

pub const PAGE_SIZE: i64 = 50;

impl<T> Page<T> {
    /// A page from up to `PAGE_SIZE + 1` rows read in order: the extra row only says there is
    /// a next page, whose cursor is the last kept item's `key`.
    pub fn of(mut items: Vec<T>, key: impl Fn(&T) -> i64) -> Self {
        let next = if items.len() as i64 > PAGE_SIZE {
            items.truncate(PAGE_SIZE as usize);
            items.last().map(key)
        } else {
            None
        };
        Page { items, next }
    }
}

/// Grantable roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRole {
    Moderator,
    Admin,
    /// Writes health-library articles.
    Editor,
}

impl StaffRole {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "moderator" => Ok(Self::Moderator),
            "admin" => Ok(Self::Admin),
            "editor" => Ok(Self::Editor),
            _ => Err("Choose moderator, admin or editor.".into()),
        }
    }

    pub fn column(self) -> &'static str {
        match self {
            Self::Moderator => "is_moderator",
            Self::Admin => "is_admin",
            Self::Editor => "is_editor",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moderator => "moderator",
            Self::Admin => "admin",
            Self::Editor => "editor",
        }
    }
}

/// Reasons are shown to the clinician; keep them short and plain.
pub fn parse_reason(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("Give the clinician a reason.".into());
    }
    if s.chars().count() > 300 {
        return Err("Keep the reason to 300 characters.".into());
    }
    Ok(s.to_string())
}
