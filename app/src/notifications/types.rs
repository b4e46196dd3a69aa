//! Notification wire types, the kinds a member can turn off, and @mention parsing.

use serde::{Deserialize, Serialize};

/// Every kind of notification, with the label of its setting.
pub const KINDS: &[(&str, &str)] = &[
    ("answer", "Answers to my questions"),
    ("reply", "Replies to my posts and comments"),
    ("accepted", "My answer was accepted"),
    ("mention", "Someone mentions me (@handle)"),
    ("thread", "New replies in threads I follow"),
    ("followed", "New posts in communities and tags I follow"),
    ("message", "Direct messages"),
    ("group", "Decisions on my group join requests"),
    ("review_reply", "A provider replies to my review"),
    ("review_dispute", "A provider disputes my review"),
    ("request_answer", "A clinic answers my request"),
    ("request", "New contact requests to a clinic I work for"),
    (
        "directory",
        "A clinic's invitations (to its staff or to be listed there), and answers to my requests to list a clinic",
    ),
];

/// Items per page of the notifications list.
pub const PAGE: i64 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub text: String,
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    /// The id to pass as `before` for the next (older) page.
    pub next: Option<i64>,
    pub unread: i64,
    /// Kinds the member turned off.
    pub off: Vec<String>,
    /// Whether the member gets the daily digest e-mail.
    pub digest: bool,
    /// For each kind, how it is e-mailed: `now`, `digest` or `never`.
    #[serde(default)]
    pub mail: Vec<(String, String)>,
}

/// The handles mentioned in a text (`@maria_ms`), lowercased, each once, at most ten.
/// An `@` inside a word (an e-mail address) is not a mention.
#[allow(
    clippy::indexing_slicing,
    reason = "i runs below the length; i - 1 only when i > 0"
)]
pub fn mentions(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() && found.len() < 10 {
        if chars[i] == '@' && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')) {
            let handle: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect::<String>()
                .to_lowercase();
            let n = handle.chars().count();
            if (3..=30).contains(&n)
                && handle.starts_with(|c: char| c.is_ascii_lowercase())
                && !found.contains(&handle)
            {
                found.push(handle.clone());
            }
            i += n + 1;
        } else {
            i += 1;
        }
    }
    found
}

/// A title shortened for a notification line.
pub fn short(title: &str) -> String {
    let t: String = title.chars().take(80).collect();
    if t.chars().count() < title.chars().count() {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_mentions() {
        assert_eq!(
            mentions("Thanks @Maria_MS and @dr_okafor! cc @maria_ms"),
            vec!["maria_ms".to_string(), "dr_okafor".to_string()]
        );
        assert!(mentions("write to jo@example.org").is_empty());
        assert!(mentions("@a is too short, @9lives starts with a digit").is_empty());
        assert_eq!(mentions("(@tom_t2d)"), vec!["tom_t2d".to_string()]);
        let many: String = (0..20).map(|i| format!("@member{i} ")).collect();
        assert_eq!(mentions(&many).len(), 10);
    }

    #[test]
    fn shortens() {
        assert_eq!(short("Short"), "Short");
        assert_eq!(short(&"x".repeat(100)).chars().count(), 81);
    }
}
