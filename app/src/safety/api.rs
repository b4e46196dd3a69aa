//! Safety server functions: the moderation queue and a moderator's review of a flag.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// The open flags of the places the member moderates; refused to members who moderate nothing.
#[server(endpoint = "mod/queue")]
pub async fn get_mod_queue() -> Result<ModQueue, AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let user = crate::auth::api::session::require().await?;
        super::repo::queue(&state.db, &user).await
    }
    .await;
    crate::state::finish(result)
}

/// `outcome`: "listed" (back in feeds and search) or "kept_out" (stays out of them).
#[server(endpoint = "mod/review")]
pub async fn review_flag(id: i64, outcome: String) -> Result<(), AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let user = crate::auth::api::session::require().await?;
        let outcome = Outcome::parse(&outcome).ok_or(AppError::BadRequest)?;
        super::repo::review(&state.db, &user, id, outcome).await?;
        leptos_axum::redirect("/mod");
        Ok(())
    }
    .await;
    crate::state::finish(result)
}

/// A moderator of the report's place leaves the reported item up.
#[server(endpoint = "mod/dismiss")]
pub async fn dismiss_report(id: i64) -> Result<(), AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let user = crate::auth::api::session::require().await?;
        super::repo::dismiss_report(&state.db, &user, id).await?;
        leptos_axum::redirect("/mod");
        Ok(())
    }
    .await;
    crate::state::finish(result)
}

/// The check every write path runs before it stores what a member wrote: `None` when nothing
/// matched; `SafetyCheck` when something did and the writer has not seen the helplines yet (the
/// form then shows them and posts on the next press); else what matched, for the flag.
#[cfg(feature = "ssr")]
pub fn check(texts: &[&str], acknowledged: Option<&str>) -> Result<Option<Crisis>, AppError> {
    let crisis = matched(texts)?;
    if crisis.is_some() && acknowledged.is_none_or(str::is_empty) {
        return Err(AppError::SafetyCheck);
    }
    Ok(crisis)
}

/// What matched, without the confirmation step (edits: the thread shows the helplines after).
#[cfg(feature = "ssr")]
pub fn matched(texts: &[&str]) -> Result<Option<Crisis>, AppError> {
    let Some(phrase) = super::crisis::matches_any(texts) else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    Ok(Some(Crisis {
        phrase,
        base_url: state.settings.public_url.clone(),
    }))
}
