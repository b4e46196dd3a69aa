//! The thread layout: replies ordered under their parents, indented up to `MAX_DEPTH`.

use super::*;

/// A reply as stored, before layout.
#[derive(Debug, Clone)]
pub struct StoredReply {
    pub view: ReplyView,
    pub true_depth: i64,
}

/// Orders replies for display: each reply directly below its parent (depth first), siblings in
/// the order given (answers: accepted, then most helpful; comments: oldest first). Beyond
/// [`MAX_DEPTH`] replies stay at that depth and say whom they answer.
pub fn layout_thread(replies: Vec<StoredReply>, question: bool) -> Vec<ReplyView> {
    use std::collections::HashMap;
    let handles: HashMap<i64, String> = replies
        .iter()
        .map(|r| {
            let who = r
                .view
                .author
                .as_ref()
                .map(|a| {
                    if a.erased {
                        "[deleted member]".to_string()
                    } else if a.former {
                        "a former member".to_string()
                    } else if a.handle.is_empty() {
                        // Anonymous (a group post's author in their own thread).
                        "a member".to_string()
                    } else {
                        format!("@{}", a.handle)
                    }
                })
                .unwrap_or_else(|| "[deleted]".into());
            (r.view.id, who)
        })
        .collect();
    let mut children: HashMap<Option<i64>, Vec<StoredReply>> = HashMap::new();
    for r in replies {
        // A parent that is not in this page (should not happen) makes the reply top-level.
        let key = r.view.parent_id.filter(|p| handles.contains_key(p));
        children.entry(key).or_default().push(r);
    }
    if question {
        if let Some(top) = children.get_mut(&None) {
            top.sort_by(|a, b| {
                (b.view.accepted, b.view.vote_count, -b.view.id).cmp(&(
                    a.view.accepted,
                    a.view.vote_count,
                    -a.view.id,
                ))
            });
        }
    }
    let mut out = Vec::with_capacity(handles.len());
    // Iterative depth-first walk (no recursion limit for very deep threads).
    let mut stack: Vec<StoredReply> = children.remove(&None).unwrap_or_default();
    stack.reverse();
    while let Some(mut r) = stack.pop() {
        let id = r.view.id;
        if r.true_depth > MAX_DEPTH {
            r.view.depth = MAX_DEPTH;
            r.view.in_reply_to = r.view.parent_id.and_then(|p| handles.get(&p).cloned());
        } else {
            r.view.depth = r.true_depth;
        }
        out.push(r.view);
        if let Some(mut kids) = children.remove(&Some(id)) {
            kids.reverse();
            stack.extend(kids);
        }
    }
    out
}
