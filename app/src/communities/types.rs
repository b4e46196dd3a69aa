//! Community wire types and the newtypes that validate the admin's community form.

use serde::{Deserialize, Serialize};

/// A community as listed in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CommunitySummary {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub member_count: i64,
    pub post_count: i64,
}

/// A community page: the summary plus rules, moderators and the visitor's membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityDetail {
    pub summary: CommunitySummary,
    pub rules: String,
    pub moderators: Vec<String>,
    /// `None` for a visitor who is not logged in.
    pub is_member: Option<bool>,
    /// A moderator of this community, or an admin (for moderating its posts).
    pub can_moderate: bool,
    /// An admin: may edit the community and appoint its moderators.
    pub can_manage: bool,
    /// New members' first posts and replies wait for a moderator's approval.
    pub hold_new_members: bool,
    /// The viewer follows its new posts.
    #[serde(default)]
    pub following: bool,
}

/// The URL name of a community: 2–40 lowercase letters, digits and single hyphens.
pub fn parse_slug(raw: &str) -> Result<String, String> {
    let s = raw.trim().to_lowercase();
    if s.len() < 2 || s.len() > 40 {
        return Err("Use 2 to 40 characters for the address.".into());
    }
    let ok = s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if !ok {
        return Err(
            "Use lowercase letters, digits and single hyphens, e.g. multiple-sclerosis.".into(),
        );
    }
    Ok(s)
}

pub fn parse_name(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0 => Err("Give the community a name.".into()),
        n if n > 80 => Err("Keep the name to 80 characters.".into()),
        _ => Ok(s.to_string()),
    }
}

pub fn parse_description(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0 => Err("Describe the community in a sentence or two.".into()),
        n if n > 1000 => Err("Keep the description to 1,000 characters.".into()),
        _ => Ok(s.to_string()),
    }
}

pub fn parse_rules(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.chars().count() > 4000 {
        return Err("Keep the rules to 4,000 characters.".into());
    }
    Ok(s.to_string())
}

/// Icon colours, each readable with white text (contrast ≥ 4.5:1).
pub const COLOURS: &[(&str, &str)] = &[
    ("teal", "Teal"),
    ("blue", "Blue"),
    ("purple", "Purple"),
    ("rose", "Rose"),
    ("orange", "Orange"),
    ("green", "Green"),
];

pub fn parse_colour(raw: &str) -> Result<String, String> {
    crate::error::parse_choice(raw, COLOURS, "Choose one of the colours.")
}

/// The community form (create or edit), as it is sent: one struct for the server function's
/// arguments (`#[server(flatten)]`), its checks and its echo. `hold_new_members` is present
/// (a ticked box) when new members' first posts wait for approval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityForm {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub rules: String,
    pub colour: String,
    #[serde(default)]
    pub hold_new_members: String,
}

/// A community form's values once checked.
pub struct CommunityInput {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub rules: String,
    pub colour: String,
    /// Hold new members' first posts and replies for approval (on for a new community).
    pub hold_new_members: bool,
}

impl CommunityForm {
    /// The checked fields, or every field's error at once.
    pub fn check(&self) -> Result<CommunityInput, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let input = CommunityInput {
            slug: c.check("slug", parse_slug(&self.slug)).unwrap_or_default(),
            name: c.check("name", parse_name(&self.name)).unwrap_or_default(),
            description: c
                .check("description", parse_description(&self.description))
                .unwrap_or_default(),
            rules: c
                .check("rules", parse_rules(&self.rules))
                .unwrap_or_default(),
            colour: c
                .check("colour", parse_colour(&self.colour))
                .unwrap_or_default(),
            hold_new_members: !self.hold_new_members.is_empty(),
        };
        c.finish()?;
        Ok(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            parse_slug(" Multiple-Sclerosis "),
            Ok("multiple-sclerosis".into())
        );
        for bad in ["a", "-ms", "ms-", "m--s", "ms/../x", "mé", &"a".repeat(41)] {
            assert!(parse_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fields() {
        assert!(parse_name("  ").is_err());
        assert!(parse_description(&"x".repeat(1001)).is_err());
        assert_eq!(parse_rules(""), Ok(String::new()));
        assert!(parse_colour("rose").is_ok());
        assert!(parse_colour("#ff0000").is_err());
    }
}
