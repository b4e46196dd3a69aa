//! Screening what a member writes before it is stored: the place's watched words (block, hold, flag, replace) and the new-member hold of a community that asks for one.

use super::types::{FlagKind, WatchAction};
use super::watched::{ListKey, WatchList};
use crate::auth::types::{ClinicianStatus, CurrentUser, MemberKind};
use crate::db::{Db, Flag};
use crate::error::AppError;
use std::sync::Arc;

use crate::db::Tx;

/// What is being written: a new post, a new reply, or an edit of either (an edit meets the
/// watched words but not the new-member hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    Post,
    Reply,
    Edit,
}

/// What screening decided.
#[derive(Debug, Default)]
pub struct Screened {
    /// The texts as they are to be stored, in the order given ("replace" words as ■■■).
    pub texts: Vec<String>,
    /// It waits for a moderator's approval: why, and the watched word if one asked for it.
    pub hold: Option<(FlagKind, String)>,
    /// It is published, and a watched word puts it in the queue.
    pub flag: Option<String>,
}

impl Screened {
    /// The `i`-th text as given (empty when there is none: the caller passes them all).
    pub fn text(&self, i: usize) -> &str {
        self.texts.get(i).map_or("", String::as_str)
    }
}

impl Screened {
    /// The queue entry to make once the post or reply has its id, if any.
    pub fn queued(&self) -> Option<(FlagKind, &str)> {
        match (&self.hold, &self.flag) {
            (Some((kind, word)), _) => Some((*kind, word.as_str())),
            (None, Some(word)) => Some((FlagKind::WatchedFlag, word.as_str())),
            (None, None) => None,
        }
    }
}

/// How many approved posts and replies make a member trusted everywhere.
const TRUSTED_POSTS: i64 = 5;
/// A new member's first posts and replies in a community that holds them.
const HELD_POSTS: i64 = 2;
const HELD_REPLIES: i64 = 3;

/// Screens `texts` (field name, text) written by `user` in `community`. A watched word whose
/// action is "block" refuses it with a message on the field that holds the word; a new member
/// who has nothing approved here yet may not post links.
pub async fn screen(
    tx: &mut Tx<'_>,
    db: &Db,
    user: &CurrentUser,
    community: i64,
    writing: Writing,
    texts: &[(&str, &str)],
) -> Result<Screened, AppError> {
    let list = watch_list(tx, db, community).await?;
    let mut out = Screened::default();
    let mut strongest: Option<(WatchAction, String)> = None;
    for (field, text) in texts {
        let found = list.scan(text);
        if let Some((WatchAction::Block, word)) = &found.strongest {
            return Err(AppError::field(
                field,
                format!(
                    "“{}” is not allowed here. Please change it and post again: nothing you wrote is lost.",
                    word.trim_end_matches('*')
                ),
            ));
        }
        if found.strongest.as_ref().map(|s| s.0) > strongest.as_ref().map(|s| s.0) {
            strongest = found.strongest;
        }
        out.texts.push(found.censored);
    }
    match strongest {
        Some((WatchAction::Hold, word)) => out.hold = Some((FlagKind::WatchedHold, word)),
        Some((WatchAction::Flag, word)) => out.flag = Some(word),
        _ => {}
    }
    if writing != Writing::Edit {
        if let Some(here) = new_member(tx, user, community).await? {
            let (posts, replies) = here;
            if posts + replies == 0 && texts.iter().any(|(_, t)| has_link(t)) {
                let field = texts.last().map(|t| t.0).unwrap_or("body");
                return Err(AppError::field(
                    field,
                    "Links can be shared here once a moderator has approved your first post. \
                     Please take the link out for now: nothing else you wrote is lost.",
                ));
            }
            let new = match writing {
                Writing::Post => posts < HELD_POSTS,
                _ => replies < HELD_REPLIES,
            };
            if new && out.hold.is_none() {
                out.hold = Some((FlagKind::NewMember, String::new()));
                out.flag = None;
            }
        }
    }
    Ok(out)
}

/// `None` when `user` is trusted in `community` (it holds nobody, or they moderate, are a
/// verified clinician, or have [`TRUSTED_POSTS`] approved posts anywhere); else how many of
/// their posts and replies here are approved (counted up to the numbers that matter).
async fn new_member(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    community: i64,
) -> Result<Option<(i64, i64)>, AppError> {
    if user.is_admin
        || user.is_moderator
        || (user.kind == MemberKind::Clinician
            && user.clinician_status == ClinicianStatus::Verified)
    {
        return Ok(None);
    }
    let (hold, moderator, everywhere): (Flag, Option<i64>, i64) = sqlx::query_as(
        "SELECT c.hold_new_members, \
           (SELECT cm.is_moderator FROM community_members cm WHERE cm.community_id = c.id AND cm.user_id = $2) AS moderator, \
           (SELECT COUNT(*) FROM (SELECT 1 FROM posts p WHERE p.author_id = $2 AND p.awaiting_approval = 0 \
              AND p.removed_at IS NULL AND p.deleted_at IS NULL LIMIT 5) t) AS everywhere \
         FROM communities c WHERE c.id = $1",
    )
    .bind(community)
    .bind(user.id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if !hold.get() || moderator == Some(1) || everywhere >= TRUSTED_POSTS {
        return Ok(None);
    }
    let here: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM posts p WHERE p.author_id = $1 AND p.community_id = $2 \
              AND p.awaiting_approval = 0 AND p.removed_at IS NULL AND p.deleted_at IS NULL LIMIT 2) t) AS posts, \
           (SELECT COUNT(*) FROM (SELECT 1 FROM replies r JOIN posts p ON p.id = r.post_id \
              WHERE r.author_id = $1 AND p.community_id = $2 AND r.awaiting_approval = 0 \
              AND r.removed_at IS NULL AND r.deleted_at IS NULL LIMIT 3) t) AS replies",
    )
    .bind(user.id)
    .bind(community)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some(here))
}

/// Whether `text` holds a web address (written out, or as a Markdown link).
fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http://")
        || lower.contains("https://")
        || lower.contains("www.")
        || lower.contains("](")
}

/// The compiled lists of `community` (the site's and its own), from this database's cache
/// while neither list changed.
async fn watch_list(tx: &mut Tx<'_>, db: &Db, community: i64) -> Result<Arc<WatchList>, AppError> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT COALESCE(community_id, 0) AS scope, COUNT(*) AS n, MAX(id) AS top FROM watched_words \
         WHERE COALESCE(community_id, 0) IN (0, $1) GROUP BY COALESCE(community_id, 0)",
    )
    .bind(community)
    .fetch_all(&mut **tx)
    .await?;
    let mut key: ListKey = (0, 0, 0, 0);
    for (scope, n, top) in rows {
        if scope == 0 {
            (key.0, key.1) = (n, top);
        } else {
            (key.2, key.3) = (n, top);
        }
    }
    if let Some(list) = db.watched.get(community, key) {
        return Ok(list);
    }
    let words = if key == (0, 0, 0, 0) {
        Vec::new()
    } else {
        sqlx::query_as::<_, (String, String)>(
            "SELECT phrase, action FROM watched_words WHERE COALESCE(community_id, 0) IN (0, $1) ORDER BY id",
        )
        .bind(community)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|(phrase, action)| {
            (
                phrase,
                WatchAction::parse(&action).unwrap_or(WatchAction::Flag),
            )
        })
        .collect::<Vec<_>>()
    };
    let list = Arc::new(WatchList::build(&words));
    db.watched.put(community, key, list.clone());
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::has_link;

    #[test]
    fn links_are_seen_however_written() {
        assert!(has_link("see HTTPS://example.org"));
        assert!(has_link("[here](/c/ms)"));
        assert!(has_link("www.example.org"));
        assert!(!has_link("I slept well, thanks"));
    }
}
