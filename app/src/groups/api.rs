//! Support group server functions: list and read groups, start one, join/ask/accept/leave, and the moderators' decisions.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// The groups of a community the viewer may see (hidden ones only for their members and invitees).
#[server(endpoint = "groups")]
pub async fn get_groups(community: String) -> Result<Vec<GroupSummary>, AppError> {
    crate::call::public(async |state| {
        super::repo::list(
            &state.db,
            &community,
            crate::access::viewer().await?.map(|v| v.id),
        )
        .await
    })
    .await
}

/// A group's page: description, the viewer's standing, and pinned posts for those who may read.
#[server(endpoint = "group")]
pub async fn get_group(slug: String) -> Result<GroupDetail, AppError> {
    crate::call::public(async |state| {
        super::repo::detail(&state.db, &slug, crate::access::viewer().await?).await
    })
    .await
}

/// The no-JavaScript echo of the `create_group` form (what a failed post typed).
pub const CREATE_GROUP: crate::ui::EchoKey = crate::ui::EchoKey("create_group");

/// Starts a support group in a community (its moderators and admins), then opens it.
#[server(endpoint = "group/create")]
pub async fn create_group(
    community: String,
    #[server(flatten)] form: GroupForm,
) -> Result<String, AppError> {
    let result = crate::call::member(async |state, user| {
        let input = form.check(GroupKind::Private)?;
        let slug = super::repo::create(&state.db, &user, &community, &input).await?;
        leptos_axum::redirect(&format!("/g/{slug}"));
        Ok(slug)
    })
    .await;
    crate::auth::session::finish_form_of(CREATE_GROUP, &form, &[], result)
}

/// The no-JavaScript echo of the `update_group` form (what a failed post typed).
pub const UPDATE_GROUP: crate::ui::EchoKey = crate::ui::EchoKey("update_group");

/// A group moderator changes the group's name, description and screening question (not its
/// kind: members joined on its terms).
#[server(endpoint = "group/update")]
pub async fn update_group(
    slug: String,
    #[server(flatten)] form: GroupForm,
) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let input = form.check(GroupKind::Open)?;
        super::repo::update(&state.db, &user, &slug, &input).await
    })
    .await;
    crate::auth::session::finish_form_of(UPDATE_GROUP, &form, &[], result)
}

/// The no-JavaScript echo of the `join_group` form (what a failed post typed).
pub const JOIN_GROUP: crate::ui::EchoKey = crate::ui::EchoKey("join_group");

/// Joins an open group, asks to join a private one (answering its question) or accepts an invitation.
#[server(endpoint = "group/join")]
pub async fn join_group(slug: String, answer: Option<String>) -> Result<MemberStatus, AppError> {
    let answer = answer.unwrap_or_default();
    let result = crate::call::member(async |state, user| {
        super::repo::join(&state.db, &user, &slug, &answer).await
    })
    .await;
    crate::auth::session::finish_form(JOIN_GROUP, &[("answer", &answer)], result)
}

/// Leaves the group, withdraws a request or declines an invitation.
#[server(endpoint = "group/leave")]
pub async fn leave_group(slug: String) -> Result<(), AppError> {
    crate::call::member(async |state, user| super::repo::leave(&state.db, &user, &slug).await).await
}

/// A group moderator approves (`approve` true) or declines a join request.
#[server(endpoint = "group/decide")]
pub async fn decide_join_request(
    slug: String,
    handle: String,
    approve: bool,
) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::decide(&state.db, &user, &slug, &handle, approve).await
    })
    .await
}

/// A group moderator removes a member; with `ban` they cannot join again.
#[server(endpoint = "group/remove")]
pub async fn remove_group_member(slug: String, handle: String, ban: bool) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::remove(&state.db, &user, &slug, &handle, ban).await
    })
    .await
}

/// The no-JavaScript echo of the `invite_to_group` form (what a failed post typed).
pub const INVITE_TO_GROUP: crate::ui::EchoKey = crate::ui::EchoKey("invite_to_group");

/// A group moderator invites a member by handle (the way into a hidden group).
#[server(endpoint = "group/invite")]
pub async fn invite_to_group(slug: String, handle: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        super::repo::invite(&state.db, &user, &slug, &handle).await
    })
    .await;
    crate::auth::session::finish_form(INVITE_TO_GROUP, &[("handle", &handle)], result)
}

/// A group moderator makes a member a moderator (`on` false: an admin, or the moderator themself, steps down).
#[server(endpoint = "group/moderator")]
pub async fn set_group_moderator(slug: String, handle: String, on: bool) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::set_moderator(&state.db, &user, &slug, &handle, on).await
    })
    .await
}

/// The moderators' page: requests waiting and members.
#[server(endpoint = "group/admin")]
pub async fn get_group_admin(slug: String) -> Result<GroupAdmin, AppError> {
    crate::call::member(async |state, user| super::repo::admin(&state.db, &user, &slug).await).await
}
