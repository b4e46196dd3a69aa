//! Support group wire types and the validating parsers for what moderators and members type.

use crate::posts::types::PostSummary;
use serde::{Deserialize, Serialize};

/// Who may join and who sees the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupKind {
    /// Listed; anyone joins with one click; its posts are read like community posts.
    Open,
    /// Listed with its description; joining takes a moderator's approval; posts for members only.
    Private,
    /// Not listed; members join by a moderator's invitation only; posts for members only.
    Hidden,
}

pub const KIND_CHOICES: &[(&str, &str, &str)] = &[
    (
        "open",
        "Open",
        " — anyone joins; posts are read like the community's",
    ),
    (
        "private",
        "Private",
        " — listed; members ask to join and answer your question; only members read posts",
    ),
    (
        "hidden",
        "Hidden",
        " — not listed; members join by invitation; only members read posts",
    ),
];

impl GroupKind {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "open" => Ok(Self::Open),
            "private" => Ok(Self::Private),
            "hidden" => Ok(Self::Hidden),
            _ => Err("Choose who can join the group.".into()),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Private => "private",
            Self::Hidden => "hidden",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open group",
            Self::Private => "Private group",
            Self::Hidden => "Hidden group",
        }
    }
}

/// Where the viewer stands with a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberStatus {
    /// Asked to join; waiting for a moderator.
    Pending,
    /// A moderator invited them; they have not accepted yet.
    Invited,
    Active,
    /// Removed by a moderator and may not join again.
    Banned,
}

impl MemberStatus {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pending" => Some(Self::Pending),
            "invited" => Some(Self::Invited),
            "active" => Some(Self::Active),
            "banned" => Some(Self::Banned),
            _ => None,
        }
    }
}

/// A group as listed on its community's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: GroupKind,
    pub member_count: i64,
    /// The viewer's standing (`None`: not a member and no request).
    pub status: Option<MemberStatus>,
}

/// A group's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDetail {
    pub summary: GroupSummary,
    pub community_slug: String,
    pub community_name: String,
    /// The screening question a private group asks (empty: none).
    pub question: String,
    pub moderators: Vec<String>,
    pub post_count: i64,
    pub logged_in: bool,
    /// The viewer moderates the group (approves requests, removes members, pins posts).
    pub is_moderator: bool,
    /// Join requests waiting (moderators only; 0 for everyone else).
    pub pending_count: i64,
    /// The viewer may read the group's posts.
    pub can_read: bool,
    /// Pinned posts (empty unless `can_read`).
    pub pinned: Vec<PostSummary>,
}

/// A join request as a moderator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct JoinRequest {
    pub handle: String,
    pub answer: String,
    pub created_at: i64,
}

/// A member of the group as its moderators see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMember {
    pub handle: String,
    pub is_moderator: bool,
    pub status: MemberStatus,
}

/// The moderators' page of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupAdmin {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: GroupKind,
    pub question: String,
    pub requests: Vec<JoinRequest>,
    /// Active, invited and banned members, moderators first.
    pub members: Vec<GroupMember>,
}

pub fn parse_name(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0..=2 => Err("Give the group a name of at least 3 characters.".into()),
        n if n > 80 => Err("Keep the name to 80 characters.".into()),
        _ => Ok(s.to_string()),
    }
}

pub fn parse_description(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0 => Err("Say in a sentence or two who the group is for.".into()),
        n if n > 1000 => Err("Keep the description to 1,000 characters.".into()),
        _ => Ok(s.to_string()),
    }
}

/// The screening question (optional; private groups show it to those asking to join).
pub fn parse_question(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.chars().count() > 300 {
        return Err("Keep the question to 300 characters.".into());
    }
    Ok(s.to_string())
}

/// The answer to a screening question.
pub fn parse_answer(raw: &str, question: &str) -> Result<String, String> {
    let s = raw.trim();
    if !question.is_empty() && s.is_empty() {
        return Err("Please answer the moderators' question.".into());
    }
    if s.chars().count() > 1000 {
        return Err("Keep your answer to 1,000 characters.".into());
    }
    Ok(s.to_string())
}

/// A group's address from its name: lowercase ASCII words joined by hyphens ("group" if none).
pub fn slug_from_name(name: &str) -> String {
    crate::slug::from_name(name, 40, "group")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_come_from_names() {
        assert_eq!(
            slug_from_name("Newly diagnosed with MS"),
            "newly-diagnosed-with-ms"
        );
        assert_eq!(slug_from_name("  Caregivers — CML!  "), "caregivers-cml");
        assert_eq!(slug_from_name("ÄÖ"), "aeoe");
        assert_eq!(slug_from_name("李明的小组"), "group");
        assert!(slug_from_name(&"a".repeat(100)).len() <= 40);
    }

    #[test]
    fn a_screening_question_needs_an_answer() {
        assert!(parse_answer(" ", "Why do you want to join?").is_err());
        assert_eq!(parse_answer(" ", ""), Ok(String::new()));
        assert_eq!(
            parse_answer(" I care for my dad ", "Why?"),
            Ok("I care for my dad".into())
        );
    }
}

/// What the group form sends (start a group; change its details: `kind` is not sent then, and
/// an update keeps it). One struct for the server function's arguments (`#[server(flatten)]`,
/// so the form's field names stay `name`, `description`…), its checks and its echo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupForm {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub question: String,
}

/// A group form's values once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput {
    pub name: String,
    pub description: String,
    pub kind: GroupKind,
    pub question: String,
}

impl GroupForm {
    /// The checked fields, or every field's error at once. `kind` falls back to `default_kind`
    /// when the form does not send it (an update).
    pub fn check(&self, default_kind: GroupKind) -> Result<GroupInput, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let kind = if self.kind.is_empty() {
            default_kind
        } else {
            c.check("kind", GroupKind::parse(&self.kind))
                .unwrap_or(GroupKind::Private)
        };
        let input = GroupInput {
            name: c.check("name", parse_name(&self.name)).unwrap_or_default(),
            description: c
                .check("description", parse_description(&self.description))
                .unwrap_or_default(),
            kind,
            question: c
                .check("question", parse_question(&self.question))
                .unwrap_or_default(),
        };
        c.finish()?;
        Ok(input)
    }
}
