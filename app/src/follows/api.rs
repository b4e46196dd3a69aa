//! Server functions for following: a thread (follow, unfollow, mute), a community, a tag, and the member's list.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Follows (`state` = `follow`), unfollows (`unfollow`) or mutes (`mute`) a thread; answers
/// how the member stands to it now.
#[server(endpoint = "follow/thread")]
pub async fn follow_thread(post_id: i64, state: String) -> Result<ThreadFollow, AppError> {
    crate::call::member(async |app, user| {
        let state = ThreadFollow::parse(&state).map_err(|m| AppError::field("state", m))?;
        super::repo::set_thread(&app.db, &user, post_id, state).await
    })
    .await
}

/// Follows a community (`follow` = `yes`) or stops (`no`): new posts there become one grouped
/// notification.
#[server(endpoint = "follow/community")]
pub async fn follow_community(slug: String, follow: String) -> Result<bool, AppError> {
    crate::call::member(async |app, user| {
        super::repo::set_community(&app.db, &user, &slug, follow == "yes").await
    })
    .await
}

/// The no-JavaScript echo of the `follow_tag` form (what a failed post typed).
pub const FOLLOW_TAG: crate::ui::EchoKey = crate::ui::EchoKey("follow_tag");

/// Follows a tag (`follow` = `yes`) or stops (`no`).
#[server(endpoint = "follow/tag")]
pub async fn follow_tag(tag: String, follow: String) -> Result<bool, AppError> {
    let result = crate::call::member(async |app, user| {
        let clean = parse_tag(&tag).map_err(|m| AppError::field("tag", m))?;
        super::repo::set_tag(&app.db, &user, &clean, follow == "yes").await
    })
    .await;
    crate::auth::session::finish_form(FOLLOW_TAG, &[("tag", &tag)], result)
}

/// What the member follows (`before`: the `next` of the previous page of threads).
#[server(endpoint = "following")]
pub async fn get_following(before: Option<i64>) -> Result<FollowingPage, AppError> {
    crate::call::reader(async |app, user| super::repo::list(&app.db, &user, before).await).await
}
