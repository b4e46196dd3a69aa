//! Post server functions: feeds, a post page, writing and editing posts and replies, votes, accepting an answer, profile activity.

use super::types::*;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ids::{PostId, ReplyId};
use leptos::prelude::*;

/// One page of a feed. `scope` is "public", "home" or a community slug; `sort` new/active/top/unanswered/open.
#[server(endpoint = "feed")]
pub async fn get_feed(
    scope: String,
    sort: String,
    window: Option<String>,
    cursor: Option<String>,
) -> Result<FeedPage, AppError> {
    crate::call::public(async |state| {
        let scope = FeedScope::parse(&scope);
        let mut page = super::repo::feed(
            &state.db,
            &scope,
            FeedSort::parse(&sort),
            window.as_deref().unwrap_or("month"),
            cursor.as_deref(),
            crate::access::viewer().await?,
        )
        .await?;
        // The in-feed slot: after the 3rd post of a first page, never in a support group.
        let first_page = cursor.as_deref().is_none_or(str::is_empty);
        if first_page && page.items.len() >= 3 {
            let community = match &scope {
                FeedScope::Community(slug) => Some(Some(slug.clone())),
                FeedScope::Public | FeedScope::Home | FeedScope::Front => Some(None),
                _ => None,
            };
            if let Some(community) = community {
                page.sponsored = crate::sponsored::api::choose(
                    &state,
                    crate::sponsored::types::Placement::Feed,
                    community,
                    None,
                )
                .await?;
            }
        }
        Ok(page)
    })
    .await
}

/// A post with its replies; a members-only post comes back `locked` (excerpt only) to outsiders.
#[server(endpoint = "post")]
pub async fn get_post(id: i64) -> Result<PostPage, AppError> {
    crate::call::public(async |state| {
        let viewer = crate::access::viewer().await?;
        let mut page = super::repo::page(&state.db, id, viewer).await?;
        // Opening the thread reads what the member was told of it (answers, replies, mentions).
        if let Some(crate::access::Viewer { id: user, .. }) = viewer {
            page.saved = crate::saved::repo::in_thread(&state.db, user, PostId(id)).await?;
            page.follow = crate::follows::repo::thread_state(&state.db, user, PostId(id)).await?;
            if !page.locked {
                crate::notifications::repo::mark_post_read(&state.db, user, PostId(id)).await?;
            }
        }
        Ok(page)
    })
    .await
}

/// A post's edit history: dates for everyone who may open it, earlier words for its author and
/// the moderators.
#[server(endpoint = "post/history")]
pub async fn get_post_history(id: i64) -> Result<PostHistory, AppError> {
    crate::call::public(async |state| {
        let viewer = crate::access::viewer().await?;
        super::repo::history(&state.db, id, viewer).await
    })
    .await
}

/// The no-JavaScript echo of the `create_post` form (what a failed post typed).
pub const CREATE_POST: crate::ui::EchoKey = crate::ui::EchoKey("create_post");

/// Posts a question or a discussion in a community the member belongs to (or, with `group`, in
/// a support group they are an active member of), then opens it.
#[server(endpoint = "post/create")]
pub async fn create_post(
    community: String,
    group: Option<String>,
    #[server(flatten)] form: PostForm,
    crisis_ack: Option<String>,
    /// "check": validate and show similar questions instead of posting (the button without
    /// JavaScript; with it they show while the title is typed).
    step: Option<String>,
) -> Result<i64, AppError> {
    let result = crate::call::member(async |state, user| {
        let mut input = form.check()?;
        if step.as_deref() == Some("check") {
            return Err(AppError::field(
                "check",
                "Not posted yet. If one of the questions below answers yours, open it; if not, press Post.",
            ));
        }
        input.crisis = crate::safety::api::check(&[&form.title, &form.body], crisis_ack.as_deref())?;
        let group = group.as_deref().filter(|g| !g.is_empty());
        crate::state::limit_writes(&state, user.id, crate::state::Write::Post).await?;
        let id = super::repo::create(&state.db, &user, &community, group, &input).await?;
        leptos_axum::redirect(&format!("/p/{id}"));
        Ok(id)
    })
    .await;
    crate::auth::session::finish_form_of(CREATE_POST, &form, &[], result)
}

/// Questions like the one being written (its title so far), in the community it goes to: shown
/// while the title is typed, and on the check step without JavaScript.
#[server(endpoint = "post/similar")]
pub async fn similar_questions(
    community: String,
    title: String,
) -> Result<Vec<PostSummary>, AppError> {
    crate::call::public(async |state| {
        let viewer = crate::access::viewer().await?;
        crate::search::repo::similar_questions(&state.db, viewer, &community, &title).await
    })
    .await
}

/// The no-JavaScript echo of the `edit_post` form (what a failed post typed).
pub const EDIT_POST: crate::ui::EchoKey = crate::ui::EchoKey("edit_post");

/// The author changes title, body, tags and who can read the post (`PostForm`, no kind).
#[server(endpoint = "post/edit")]
pub async fn edit_post(id: i64, #[server(flatten)] form: PostForm) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let mut input = form.check()?;
        // An edit is checked too; it is flagged without a confirmation step (the thread shows
        // the author the helplines right after).
        input.crisis = crate::safety::api::matched(&[&form.title, &form.body])?;
        super::repo::edit(&state.db, &user, PostId(id), &input).await?;
        leptos_axum::redirect(&format!("/p/{id}"));
        Ok(())
    })
    .await;
    crate::auth::session::finish_form_of(EDIT_POST, &form, &[], result)
}

/// Soft delete by the author, a moderator of the community or an admin.
#[server(endpoint = "post/delete")]
pub async fn delete_post(id: i64) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::delete(&state.db, &user, PostId(id)).await?;
        leptos_axum::redirect(&format!("/p/{id}"));
        Ok(())
    })
    .await
}

/// The no-JavaScript echo of the `create_reply` form (what a failed post typed).
pub const CREATE_REPLY: crate::ui::EchoKey = crate::ui::EchoKey("create_reply");

/// Answers a question or comments (`parent_id`: the reply being answered).
#[server(endpoint = "reply/create")]
pub async fn create_reply(
    post_id: i64,
    parent_id: Option<i64>,
    body: String,
    crisis_ack: Option<String>,
) -> Result<i64, AppError> {
    let result = crate::call::member(async |state, user| {
        let body = parse_reply(&body).map_err(|m| AppError::field("body", m))?;
        let crisis = crate::safety::api::check(&[&body], crisis_ack.as_deref())?;
        crate::state::limit_writes(&state, user.id, crate::state::Write::Reply).await?;
        let id = super::repo::reply(
            &state.db,
            &user,
            PostId(post_id),
            parent_id.map(ReplyId),
            &body,
            crisis.as_ref(),
        )
        .await?;
        leptos_axum::redirect(&format!("/p/{post_id}#r{id}"));
        Ok(id.0)
    })
    .await;
    crate::auth::session::finish_form(CREATE_REPLY, &[("body", &body)], result)
}

/// The no-JavaScript echo of the `edit_reply` form (what a failed post typed).
pub const EDIT_REPLY: crate::ui::EchoKey = crate::ui::EchoKey("edit_reply");

#[server(endpoint = "reply/edit")]
pub async fn edit_reply(id: i64, body: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let body = parse_reply(&body).map_err(|m| AppError::field("body", m))?;
        let crisis = crate::safety::api::matched(&[&body])?;
        let post =
            super::repo::edit_reply(&state.db, &user, ReplyId(id), &body, crisis.as_ref()).await?;
        leptos_axum::redirect(&format!("/p/{post}#r{id}"));
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(EDIT_REPLY, &[("body", &body)], result)
}

#[server(endpoint = "reply/delete")]
pub async fn delete_reply(id: i64) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        let post = super::repo::delete_reply(&state.db, &user, ReplyId(id)).await?;
        leptos_axum::redirect(&format!("/p/{post}#r{id}"));
        Ok(())
    })
    .await
}

/// Whether the member now finds it helpful, and the new count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VoteState {
    pub voted: bool,
    pub count: i64,
}

/// Toggles a helpful vote; `target` is "post" or "reply".
#[server(endpoint = "vote")]
pub async fn vote(target: String, id: i64) -> Result<VoteState, AppError> {
    crate::call::public(async |_state| {
        use super::repo::VoteTarget;
        let state = crate::state::app_state()?;
        let user = crate::auth::api::session::require().await?;
        let target = match target.as_str() {
            "post" => VoteTarget::Post(PostId(id)),
            "reply" => VoteTarget::Reply(ReplyId(id)),
            _ => return Err(AppError::BadRequest),
        };
        crate::state::limit_writes(&state, user.id, crate::state::Write::Vote).await?;
        let (voted, count) = super::repo::toggle_vote(&state.db, &user, target).await?;
        Ok(VoteState { voted, count })
    })
    .await
}

/// The posts pinned to the top of community `slug` ("Pinned by the team").
#[server(endpoint = "feed/pinned")]
pub async fn get_pinned(slug: String) -> Result<Vec<PostSummary>, AppError> {
    crate::call::public(async |state| {
        super::repo::community_pinned(&state.db, &slug, crate::access::viewer().await?).await
    })
    .await
}

/// A moderator pins a post to the top of its support group or its community (`pinned` false: unpins).
#[server(endpoint = "post/pin")]
pub async fn pin_post(id: i64, pinned: bool) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::pin(&state.db, &user, PostId(id), pinned).await?;
        leptos_axum::redirect(&format!("/p/{id}"));
        Ok(())
    })
    .await
}

/// The asker accepts an answer (`reply_id` absent: takes the mark back).
#[server(endpoint = "post/accept")]
pub async fn accept_answer(post_id: i64, reply_id: Option<i64>) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::accept(&state.db, &user, PostId(post_id), reply_id.map(ReplyId)).await
    })
    .await
}

/// A member's posts and answers that the viewer may read.
#[server(endpoint = "profile/activity")]
pub async fn get_activity(handle: String) -> Result<Activity, AppError> {
    crate::call::public(async |state| {
        super::repo::activity(&state.db, &handle, crate::access::viewer().await?).await
    })
    .await
}

/// The no-JavaScript echo of the `report` form (what a failed post typed).
pub const REPORT: crate::ui::EchoKey = crate::ui::EchoKey("report");

/// A member reports a post (`reply_id` empty) or a reply to the place's moderators.
#[server(endpoint = "report")]
pub async fn report_content(
    post_id: i64,
    reply_id: Option<i64>,
    reason: String,
    note: String,
) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let note = crate::safety::api::check_report(&reason, &note)?;
        crate::state::limit_writes(&state, user.id, crate::state::Write::Report).await?;
        super::repo::report(
            &state.db,
            &user,
            PostId(post_id),
            reply_id.map(ReplyId),
            &reason,
            note,
        )
        .await?;
        leptos_axum::redirect(&format!("/p/{post_id}?reported=1"));
        Ok(())
    })
    .await;
    let item = match reply_id {
        Some(r) => format!("r{r}"),
        None => format!("p{post_id}"),
    };
    crate::auth::session::finish_form(
        REPORT,
        &[("item", &item), ("reason", &reason), ("note", &note)],
        result,
    )
}

/// A moderator removes a post or reply with a reason from the list (and optional words of
/// their own); its author is told why.
#[server(endpoint = "moderate/remove")]
pub async fn remove_content(
    post_id: i64,
    reply_id: Option<i64>,
    reason: String,
    note: String,
) -> Result<(), AppError> {
    use crate::safety::types::{reason_label, REMOVAL_REASONS};
    crate::call::member(async |state, user| {
        let label = reason_label(REMOVAL_REASONS, &reason)
            .ok_or_else(|| AppError::field("reason", "Choose why it is removed."))?;
        let note = note.trim();
        if note.chars().count() > 300 {
            return Err(AppError::field(
                "note",
                "Please keep it under 300 characters.",
            ));
        }
        let why = if note.is_empty() {
            label.to_string()
        } else {
            format!("{label} — {note}")
        };
        super::repo::remove(
            &state.db,
            &user,
            PostId(post_id),
            reply_id.map(ReplyId),
            &why,
        )
        .await
    })
    .await
}

/// A moderator of the post's place changes its tags (the queue's "Edit tags").
#[server(endpoint = "moderate/tags")]
pub async fn retag_post(post_id: i64, tags: String) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        let tags = parse_tags(&tags).map_err(|m| AppError::field("tags", m))?;
        super::repo::retag(&state.db, &user, PostId(post_id), &tags).await
    })
    .await
}

/// A moderator puts back what they removed.
#[server(endpoint = "moderate/restore")]
pub async fn restore_content(post_id: i64, reply_id: Option<i64>) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::restore(&state.db, &user, PostId(post_id), reply_id.map(ReplyId)).await
    })
    .await
}
