//! Saved items as the browser sees them: the post's summary, the saved reply's excerpt and the member's note.

use crate::posts::types::PostSummary;
use serde::{Deserialize, Serialize};

/// The longest private note on a saved item, in characters.
pub const NOTE_MAX: usize = 500;
/// Saved items a member may keep (a bound, not a quota anyone should meet).
pub const SAVED_MAX: i64 = 5_000;

/// One saved post or reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedItem {
    pub id: i64,
    /// The post as feeds show it to this member now (a teaser when they may no longer read it).
    pub post: PostSummary,
    /// The saved reply, when a reply was saved.
    pub reply_id: Option<i64>,
    /// The saved reply's words in short; empty when it is gone or not for this member.
    pub reply_excerpt: String,
    pub note: String,
    pub saved_at: i64,
}

/// A page of saved items, newest first; `next` continues it (`?before=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPage {
    pub items: Vec<SavedItem>,
    pub next: Option<i64>,
    /// Saved articles and providers, newest first (with the first page only).
    #[serde(default)]
    pub refs: Vec<SavedRef>,
}

/// What besides posts can be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefKind {
    Article,
    Provider,
}

impl RefKind {
    /// The form's value: `article` or `provider`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "article" => Ok(Self::Article),
            "provider" => Ok(Self::Provider),
            _ => Err("Save an article or a provider.".into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Provider => "provider",
        }
    }
}

/// A saved library article or directory provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRef {
    pub id: i64,
    pub kind: RefKind,
    /// Its address: `/library/<slug>` or `/directory/<slug>`.
    pub link: String,
    pub title: String,
    /// The article's summary, or the provider's city.
    pub detail: String,
    pub note: String,
    pub saved_at: i64,
}

/// Saved articles and providers listed on `/saved` (a bound; nobody should meet it).
pub const REFS_SHOWN: i64 = 200;

/// What the member saved of one thread: the post itself, and which replies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedInThread {
    pub post: bool,
    pub replies: Vec<i64>,
}

/// A note as typed: trimmed, at most [`NOTE_MAX`] characters.
pub fn parse_note(raw: &str) -> Result<String, String> {
    let note = raw.trim();
    if note.chars().count() > NOTE_MAX {
        return Err(format!("Please keep the note under {NOTE_MAX} characters."));
    }
    Ok(note.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(
            parse_note("  ask the nurse  ").as_deref(),
            Ok("ask the nurse")
        );
        assert!(parse_note(&"é".repeat(NOTE_MAX)).is_ok());
        assert!(parse_note(&"é".repeat(NOTE_MAX + 1)).is_err());
    }
}
