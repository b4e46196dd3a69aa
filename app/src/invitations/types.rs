//! Invitation wire types.

use serde::{Deserialize, Serialize};

/// The member's invite page: their code, the communities they can invite into, who joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyInvites {
    pub code: String,
    /// The invite link in full, from the site's public address (what a member shares), e.g.
    /// `https://ms.example.org/join/af1cd4c922`.
    pub link: String,
    /// (slug, name) of the communities the member belongs to.
    pub communities: Vec<(String, String)>,
    pub joined: i64,
}

/// What a visitor following an invite link sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    pub inviter: String,
    /// The community the newcomer will join, when the link names one the inviter belongs to.
    pub community: Option<(String, String)>,
}

/// An invite code as typed or linked: 10 letters and digits.
pub fn parse_code(raw: &str) -> Option<String> {
    let c: String = raw
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    (c.len() == 10).then(|| c.to_ascii_lowercase())
}
