//! Safety types shared by the server and the browser: the moderation queue's items and what a reviewer decides.

use serde::{Deserialize, Serialize};

/// One flagged post or reply in the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagItem {
    pub id: i64,
    pub post_id: i64,
    pub reply_id: Option<i64>,
    /// The thread's title.
    pub title: String,
    /// The community, or the support group, it was written in.
    pub place: String,
    pub author: String,
    /// What was written (empty when its author has deleted it since).
    pub text: String,
    pub deleted: bool,
    /// The phrase of the list that matched (crisis or watched word; empty for a new member).
    pub phrase: String,
    pub kind: FlagKind,
    pub created_at: i64,
    /// A post's tags, space-separated, for "Edit tags" (empty for a reply).
    #[serde(default)]
    pub tags: String,
}

/// Why a member reports a post or reply (code, label).
pub const REPORT_REASONS: &[(&str, &str)] = &[
    ("spam", "Spam or advertising"),
    ("harassment", "Harassment or abuse"),
    ("misinformation", "Medical misinformation"),
    ("self_harm", "Someone may be at risk of harming themselves"),
    ("privacy", "It shares someone's personal details"),
    ("other", "Something else"),
];

/// Why a moderator removes a post or reply (code, the words the author is told).
pub const REMOVAL_REASONS: &[(&str, &str)] = &[
    ("spam", "Spam or advertising"),
    ("harassment", "Harassment or abuse"),
    ("misinformation", "Medical misinformation"),
    ("privacy", "It shared someone's personal details"),
    ("off_topic", "Off topic for this community"),
    ("rules", "Against the community's rules"),
];

/// The label of `code` in one of the reason lists.
pub fn reason_label(list: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// One open report in the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    pub id: i64,
    pub post_id: i64,
    pub reply_id: Option<i64>,
    pub title: String,
    pub place: String,
    pub author: String,
    pub reporter: String,
    /// The reason's label.
    pub reason: String,
    pub note: String,
    /// What was reported (empty once deleted or removed).
    pub text: String,
    pub removed: bool,
    pub created_at: i64,
    /// Other reports on the same author, open or closed.
    pub earlier: i64,
    /// A post's tags, space-separated, for "Edit tags" (empty for a reply).
    #[serde(default)]
    pub tags: String,
}

/// One open report on a member's profile (site moderators and admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileReportItem {
    pub id: i64,
    pub handle: String,
    pub display_name: String,
    pub bio: String,
    pub reporter: String,
    /// The reason's label.
    pub reason: String,
    pub note: String,
    pub created_at: i64,
    /// Other reports on the same profile, open or closed.
    pub earlier: i64,
}

/// The moderation queue as one moderator sees it: only the places they moderate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModQueue {
    pub flags: Vec<FlagItem>,
    pub reports: Vec<ReportItem>,
    /// Reports on profiles: for site moderators and admins only (a profile has no community).
    pub profiles: Vec<ProfileReportItem>,
    /// When the page was made (for "posted 2 hours ago").
    pub now: i64,
    /// The viewer is a site moderator or an admin: they may warn and suspend.
    pub can_sanction: bool,
}

/// What a moderator decided about a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Looked at: listed again like any other post.
    Listed,
    /// Looked at: kept out of feeds, search and anonymous views (the thread still opens for members).
    KeptOut,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Listed => "listed",
            Outcome::KeptOut => "kept_out",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "listed" => Some(Outcome::Listed),
            "kept_out" => Some(Outcome::KeptOut),
            _ => None,
        }
    }
}

/// A crisis phrase matched what is being written, and where to send the alert.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct Crisis {
    pub phrase: &'static str,
    /// The site's public address, for the moderators' e-mail.
    pub base_url: String,
}

/// "3 minutes", "2 hours", "4 days": how long ago, roughly.
pub fn since(now: i64, then: i64) -> String {
    let minutes = (now - then).max(0) / 60_000;
    let (n, unit) = match minutes {
        m if m < 60 => (m.max(1), "minute"),
        m if m < 48 * 60 => (m / 60, "hour"),
        m => (m / (24 * 60), "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_like_a_person() {
        assert_eq!(since(60_000, 0), "1 minute");
        assert_eq!(since(0, 0), "1 minute");
        assert_eq!(since(3 * 3_600_000, 0), "3 hours");
        assert_eq!(since(72 * 3_600_000, 0), "3 days");
        assert_eq!(Outcome::parse("kept_out"), Some(Outcome::KeptOut));
        assert_eq!(Outcome::parse("x"), None);
        assert_eq!(
            reason_label(REMOVAL_REASONS, "off_topic"),
            Some("Off topic for this community")
        );
        assert_eq!(reason_label(REPORT_REASONS, "nope"), None);
    }
}

/// "Until an admin lifts it": far enough to never end on its own (9999-12-31), small enough for
/// any backend.
pub const INDEFINITE: i64 = 253_402_300_799_000;

/// A moderator's sanction: a warning, or a suspension for some days (0: until an admin lifts it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SanctionKind {
    Warn,
    Suspend(i64),
}

/// The sanction form's choices: (value, label).
pub const SANCTIONS: &[(&str, &str)] = &[
    ("warn", "Warn (a notification only)"),
    ("1", "Suspend for 1 day"),
    ("7", "Suspend for 7 days"),
    ("30", "Suspend for 30 days"),
    ("0", "Suspend until an admin lifts it"),
    ("lift", "Lift a suspension (admins)"),
];

impl SanctionKind {
    /// From the form's value; `None` for "lift" and anything unknown.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "warn" => Some(SanctionKind::Warn),
            "1" | "7" | "30" | "0" => raw.parse().ok().map(SanctionKind::Suspend),
            _ => None,
        }
    }
}

/// What a watched word does to what a member writes, mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchAction {
    /// Written as "■■■" instead.
    Replace,
    /// Published, and put in the moderation queue.
    Flag,
    /// Kept from everyone but its author and the moderators until a moderator approves it.
    Hold,
    /// Refused: the form says which word.
    Block,
}

/// The watched-word form's choices: (value, label).
pub const WATCH_ACTIONS: &[(&str, &str)] = &[
    (
        "block",
        "Block: the form says which word and nothing is posted",
    ),
    ("hold", "Hold for a moderator's approval"),
    ("flag", "Publish, and flag for review"),
    ("replace", "Publish with the word replaced by ■■■"),
];

impl WatchAction {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchAction::Replace => "replace",
            WatchAction::Flag => "flag",
            WatchAction::Hold => "hold",
            WatchAction::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "replace" => Some(WatchAction::Replace),
            "flag" => Some(WatchAction::Flag),
            "hold" => Some(WatchAction::Hold),
            "block" => Some(WatchAction::Block),
            _ => None,
        }
    }
}

/// At most this many watched words in one list (the site's, or one community's).
pub const WATCHED_MAX: usize = 2_000;
/// At most this many characters in one watched word or phrase.
pub const WATCHED_CHARS: usize = 100;

/// One entry of a watched-word list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchedWord {
    pub id: i64,
    /// As the moderator wrote it; a trailing `*` matches any word that starts so.
    pub phrase: String,
    pub action: WatchAction,
}

/// A watched-word list as its editor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchedList {
    /// The community's address, or `None` for the site-wide list.
    pub community: Option<String>,
    /// "The whole site", or the community's name.
    pub scope: String,
    pub words: Vec<WatchedWord>,
    /// The lists this member may edit: (address, name); the site's (admins) is `("", …)`.
    pub lists: Vec<(String, String)>,
}

/// Why something waits in the moderation queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// The crisis safeguard matched: held out of listings and anonymous views.
    Crisis,
    /// A new member's first posts in a community that holds them: waits for approval.
    NewMember,
    /// A watched word whose action is "hold": waits for approval.
    WatchedHold,
    /// A watched word whose action is "flag": published, a moderator looks.
    WatchedFlag,
}

impl FlagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::Crisis => "crisis",
            FlagKind::NewMember => "new_member",
            FlagKind::WatchedHold => "watched_hold",
            FlagKind::WatchedFlag => "watched_flag",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "new_member" => FlagKind::NewMember,
            "watched_hold" => FlagKind::WatchedHold,
            "watched_flag" => FlagKind::WatchedFlag,
            _ => FlagKind::Crisis,
        }
    }

    /// Held until a moderator approves it: nobody but its author and the moderators reads it.
    pub fn awaits_approval(self) -> bool {
        matches!(self, FlagKind::NewMember | FlagKind::WatchedHold)
    }
}
