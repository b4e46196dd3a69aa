//! Community server functions: read the directory and a community, join/leave, admin create/edit, appoint moderators.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "communities")]
pub async fn list_communities() -> Result<Vec<CommunitySummary>, AppError> {
    crate::call::public(async |state| super::repo::list(&state.db).await).await
}

/// The slugs of the communities the reader belongs to (none for a visitor): `/c` marks them.
#[server(endpoint = "communities/mine")]
pub async fn my_communities() -> Result<Vec<String>, AppError> {
    crate::call::public(async |state| match crate::access::viewer().await? {
        Some(v) => super::repo::slugs_of(&state.db, v.id).await,
        None => Ok(Vec::new()),
    })
    .await
}

#[server(endpoint = "community")]
pub async fn get_community(slug: String) -> Result<CommunityDetail, AppError> {
    crate::call::public(async |state| {
        let viewer = crate::auth::api::session::current().await?;
        super::repo::detail(
            &state.db,
            &slug,
            viewer.as_ref().map(crate::access::Viewer::of),
        )
        .await?
        .ok_or(AppError::NotFound)
    })
    .await
}

#[server(endpoint = "community/join")]
pub async fn join_community(slug: String) -> Result<(), AppError> {
    crate::call::member(async |state, user| super::repo::join(&state.db, user.id, &slug).await)
        .await
}

#[server(endpoint = "community/leave")]
pub async fn leave_community(slug: String) -> Result<(), AppError> {
    crate::call::member(async |state, user| super::repo::leave(&state.db, user.id, &slug).await)
        .await
}

/// The no-JavaScript echo of the `save_community` form (what a failed post typed).
pub const SAVE_COMMUNITY: crate::ui::EchoKey = crate::ui::EchoKey("save_community");

/// Creates a community (`current_slug` empty) or edits the one at `current_slug`. Admins only.
#[server(endpoint = "admin/save_community")]
pub async fn save_community(
    current_slug: String,
    #[server(flatten)] form: CommunityForm,
) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        let input = form.check()?;
        if current_slug.is_empty() {
            super::repo::create(&state.db, admin.id, &input).await?;
        } else {
            super::repo::update(&state.db, admin.id, &current_slug, &input).await?;
        }
        leptos_axum::redirect(&format!("/c/{}", input.slug));
        Ok(())
    })
    .await;
    crate::auth::session::finish_form_of(SAVE_COMMUNITY, &form, &[], result)
}

/// The no-JavaScript echo of the `set_community_moderator` form (what a failed post typed).
pub const SET_COMMUNITY_MODERATOR: crate::ui::EchoKey =
    crate::ui::EchoKey("set_community_moderator");

/// `change` is "grant" or "revoke". Admins only.
#[server(endpoint = "admin/community_moderator")]
pub async fn set_community_moderator(
    slug: String,
    handle: String,
    change: String,
) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        let grant = match change.as_str() {
            "grant" => true,
            "revoke" => false,
            _ => return Err(AppError::field("change", "Choose grant or revoke.")),
        };
        super::repo::set_moderator(&state.db, admin.id, &slug, &handle, grant).await
    })
    .await;
    crate::auth::session::finish_form(SET_COMMUNITY_MODERATOR, &[("handle", &handle)], result)
}
