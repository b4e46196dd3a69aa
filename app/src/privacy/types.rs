//! Shared types of the account lifecycle: the consent history, the exports and the deletion choices.

use serde::{Deserialize, Serialize};

/// Days between "Delete my account" and the erasure; logging in within them cancels it.
pub const GRACE_DAYS: i64 = 7;

/// The title a post keeps when its author's words are erased (others' replies stay under it).
pub const REMOVED_TITLE: &str = "[removed by its author]";
pub const REMOVED_HTML: &str = "<p><em>[removed by its author]</em></p>";

/// One event of the health-data consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub withdrawn: bool,
    /// The version of the privacy notice it refers to.
    pub text_version: String,
    pub at: i64,
}

/// Days a prepared export can be downloaded.
pub const EXPORT_DAYS: i64 = 7;

/// One "Download my data" request as Settings lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportView {
    pub id: i64,
    pub requested_at: i64,
    pub ready: bool,
    pub expired: bool,
    pub failed: bool,
    pub expires_at: Option<i64>,
    pub size_bytes: i64,
}

/// What Settings shows under "Your data".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyState {
    pub consent_withdrawn: bool,
    /// Newest first.
    pub history: Vec<ConsentEvent>,
    /// The latest exports, newest first.
    pub exports: Vec<ExportView>,
}
