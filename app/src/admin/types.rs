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
    /// Has two-step sign-in on (the operator sees which staff accounts a password alone opens).
    #[serde(default)]
    pub two_step: bool,
}

/// The staff list and the site's policy on their sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub members: Vec<StaffMember>,
    /// Staff roles work only with two-step sign-in on.
    pub two_step_required: bool,
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
    /// The action in words ([`action_label`]), written by the server: the phrases stay out of
    /// the browser's code, where every page's first load would carry them.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub what: String,
}

/// An audit-log action in words ("advertiser_suspended" → "Suspended an advertiser"; the stored
/// code stays as written, for tests and queries); one this list does not know reads as its code
/// with spaces.
pub fn action_label(code: &str) -> String {
    let known = match code {
        "advertiser_add" => "Added an advertiser",
        "advertiser_approved" => "Approved an advertiser",
        "advertiser_suspended" => "Suspended an advertiser",
        "advertiser_removed" => "Removed an advertiser",
        "advertiser_pending" => "Set an advertiser back to waiting",
        "campaign_create" => "Created a campaign",
        "campaign_active" => "Resumed a campaign",
        "campaign_paused" => "Paused a campaign",
        "campaign_ended" => "Ended a campaign",
        "announcement_add" => "Published an announcement",
        "announcement_end" => "Ended an announcement",
        "operator_profile" => "Changed who runs the site",
        "community_ad_bars" => "Changed the advertisers a community refuses",
        "sponsor_contact" => "Named an advertiser's contact",
        "community.create" => "Created a community",
        "community.edit" => "Edited a community",
        "community.moderator.grant" => "Made a member a community moderator",
        "community.moderator.revoke" => "Ended a community moderator's role",
        "clinic.create" => "Added a clinic",
        "clinician.verify" => "Verified a clinician",
        "clinician.reject" => "Turned down a clinician's verification",
        "review.hide" => "Hid a reported review",
        "review.keep" => "Kept a reported review",
        "search.synonyms" => "Changed the search synonyms",
        "watched_words.add" => "Added a watched word",
        "watched_words.remove" => "Removed a watched word",
        "retag_post" => "Changed a post's tags",
        "remove_post" => "Removed a post",
        "remove_reply" => "Removed a reply",
        "restore_post" => "Restored a post",
        "restore_reply" => "Restored a reply",
        "dismiss_report" => "Dismissed a report",
        "safety_review" => "Looked at a post at risk",
        "clear_profile" => "Cleared a reported profile",
        "dismiss_profile_report" => "Dismissed a profile report",
        "warn_member" => "Warned a member",
        "suspend_member" => "Suspended a member",
        "lift_suspension" => "Lifted a suspension",
        "request_erasure" => "Asked for their account to be erased",
        "cancel_erasure" => "Cancelled their account's erasure",
        "erase_account" => "Erased an account",
        "two_step_on" => "Turned on two-step sign-in",
        "two_step_off" => "Turned off two-step sign-in",
        "two_step_reset" => "Turned off a member's two-step sign-in (lost phone)",
        "staff_two_step_on" => "Required two-step sign-in of staff",
        "staff_two_step_off" => "Stopped requiring two-step sign-in of staff",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    // role.<role>.grant / role.<role>.revoke
    let mut parts = code.split('.');
    if let (Some("role"), Some(role), Some(change), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    {
        match change {
            "grant" => return format!("Gave the {role} role"),
            "revoke" => return format!("Took back the {role} role"),
            _ => {}
        }
    }
    let words = code.replace(['_', '.'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

#[cfg(test)]
mod tests {
    use super::action_label;

    #[test]
    fn actions_read_as_words() {
        assert_eq!(
            action_label("advertiser_suspended"),
            "Suspended an advertiser"
        );
        assert_eq!(
            action_label("role.moderator.grant"),
            "Gave the moderator role"
        );
        assert_eq!(
            action_label("role.editor.revoke"),
            "Took back the editor role"
        );
        assert_eq!(action_label("something_new.done"), "Something new done");
        assert_eq!(action_label(""), "");
    }
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
