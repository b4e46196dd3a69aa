//! Direct-message wire types and input limits.

use serde::{Deserialize, Serialize};

pub const MESSAGE_MAX: usize = 2000;
/// Messages a member may send per hour (no spam cannon).
pub const MESSAGES_PER_HOUR: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub with: String,
    pub last_body: String,
    pub last_at: i64,
    pub unread: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub conversations: Vec<ConversationSummary>,
    pub contacts_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub mine: bool,
    pub body_html: String,
    pub at: i64,
    /// The other member has read this (shown on the viewer's last message).
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub with: String,
    pub messages: Vec<MessageView>,
    /// The viewer blocked this member (the conversation is hidden until they unblock).
    pub blocked: bool,
    /// Why the viewer cannot write here, if they cannot.
    pub cannot_write: Option<String>,
    /// One of the viewer's messages shown matched the crisis list (the page shows them the helplines).
    pub crisis_mine: bool,
    /// One of the other member's did (the page tells the viewer how to help).
    pub crisis_theirs: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedMessage {
    pub id: i64,
    pub sender: String,
    pub reporter: String,
    pub reason: String,
    pub body_html: String,
    pub at: i64,
}

pub fn parse_body(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0 => Err("Write a message.".into()),
        n if n > MESSAGE_MAX => Err(format!(
            "Keep a message to {MESSAGE_MAX} characters (this one has {n})."
        )),
        _ => Ok(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert!(parse_body("  ").is_err());
        assert!(parse_body(&"x".repeat(MESSAGE_MAX + 1)).is_err());
        assert_eq!(parse_body(" Hi "), Ok("Hi".into()));
    }
}
