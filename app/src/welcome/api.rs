//! Server functions of the welcome: what to offer the member, and joining the communities they chose.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// The communities to choose from and, for those joined, their groups and first articles.
#[server(endpoint = "welcome")]
pub async fn get_welcome() -> Result<Welcome, AppError> {
    crate::call::reader(async |state, user| super::repo::welcome(&state.db, &user).await).await
}

/// Joins the communities ticked in `communities` (their slugs); `caring` lists those joined
/// for someone the member cares for. Then the page shows step 2 (`?step=2` without JavaScript).
#[server(endpoint = "welcome/conditions")]
pub async fn choose_conditions(
    communities: Option<Vec<String>>,
    caring: Option<Vec<String>>,
) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        let chosen = communities.unwrap_or_default();
        if chosen.is_empty() {
            return Err(AppError::field(
                "communities",
                "Tick at least one condition, or skip this step.",
            ));
        }
        super::repo::choose(&state.db, &user, &chosen, &caring.unwrap_or_default()).await?;
        if crate::state::is_plain_form_post() {
            leptos_axum::redirect("/welcome?step=2");
        }
        Ok(())
    })
    .await
}
