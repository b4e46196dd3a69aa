//! Invitation server functions: the member's invite page and what an invite link shows.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "invites")]
pub async fn get_my_invites() -> Result<MyInvites, AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let user = crate::auth::api::session::require().await?;
        super::repo::my_invites(&state.db, user.id).await
    }
    .await;
    crate::state::finish(result)
}

#[server(endpoint = "invite")]
pub async fn get_invite(code: String, community: Option<String>) -> Result<InviteView, AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        super::repo::view(&state.db, &code, community.as_deref()).await
    }
    .await;
    crate::state::finish(result)
}
