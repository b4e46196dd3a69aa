//! Follow wire types: a member's state on a thread, what they follow, and how a followed tag is written.

use crate::posts::types::PostSummary;
use serde::{Deserialize, Serialize};

/// Tags one member may follow.
pub const TAGS_MAX: i64 = 50;

/// How a member stands to a thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThreadFollow {
    /// Not following: only what concerns them directly (an answer to their question, a reply
    /// to their comment, a mention).
    #[default]
    None,
    /// Told of every new reply, gathered into one notification.
    Following,
    /// Told of nothing from this thread, not even replies to their own post or comment.
    Muted,
}

impl ThreadFollow {
    /// The form's value: `follow`, `unfollow` or `mute`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "follow" => Ok(Self::Following),
            "unfollow" => Ok(Self::None),
            "mute" => Ok(Self::Muted),
            _ => Err("Choose follow, unfollow or mute.".into()),
        }
    }
}

/// A followed (or muted) thread as the member's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedThread {
    pub id: i64,
    /// The post as feeds show it to this member now (a teaser when they may no longer read it).
    pub post: PostSummary,
    pub muted: bool,
}

/// What the member follows: threads newest first (`next` continues them, `?before=`), their
/// communities and tags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowingPage {
    pub threads: Vec<FollowedThread>,
    pub next: Option<i64>,
    /// (slug, name) of the communities followed.
    pub communities: Vec<(String, String)>,
    pub tags: Vec<String>,
}

/// A tag to follow, written as posts write their tags (lowercase, words joined by hyphens).
pub fn parse_tag(raw: &str) -> Result<String, String> {
    let tags = crate::posts::types::parse_tags(raw)?;
    match tags.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err("Type the tag to follow.".into()),
        _ => Err("Follow one tag at a time.".into()),
    }
}

/// The search for a tag (its letters and digits as they are, the rest escaped).
pub fn search_link(tag: &str) -> String {
    format!("/search?q={}", crate::ui::url_encode(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_tags() {
        assert_eq!(ThreadFollow::parse("mute"), Ok(ThreadFollow::Muted));
        assert!(ThreadFollow::parse("maybe").is_err());
        assert_eq!(
            parse_tag(" Newly Diagnosed ").as_deref(),
            Ok("newly-diagnosed")
        );
        assert!(parse_tag("").is_err());
        assert!(parse_tag("fatigue, sleep").is_err());
        assert_eq!(search_link("c++"), "/search?q=c%2B%2B");
        assert_eq!(search_link("newly-diagnosed"), "/search?q=newly-diagnosed");
    }
}
