//! Server functions of the welcome: what to offer the member, and joining the communities they chose.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// The communities to choose from and, for those joined, their groups and first articles.
#[server(endpoint = "welcome")]
pub async fn get_welcome() -> Result<Welcome, AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let user = crate::auth::api::session::require_reader().await?;
        super::repo::welcome(&state.db, &user).await
    }
    .await;
    crate::state::finish(result)
}

/// Joins the communities ticked in `communities` (their slugs); `caring` lists those joined
/// for someone the member cares for. Then the page shows step 2 (`?step=2` without JavaScript).
#[server(endpoint = "welcome/conditions")]
pub async fn choose_conditions(
    communities: Option<Vec<String>>,
    caring: Option<Vec<String>>,
) -> Result<(), AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let user = crate::auth::api::session::require().await?;
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
    }
    .await;
    crate::state::finish(result)
}
