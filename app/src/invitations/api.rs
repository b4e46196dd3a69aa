//! Invitation server functions: the member's invite page and what an invite link shows.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "invites")]
pub async fn get_my_invites() -> Result<MyInvites, AppError> {
    crate::call::reader(async |state, user| {
        super::repo::my_invites(&state.db, &state.settings.public_url, user.id).await
    })
    .await
}

#[server(endpoint = "invite")]
pub async fn get_invite(code: String, community: Option<String>) -> Result<InviteView, AppError> {
    crate::call::public(async |state| {
        super::repo::view(&state.db, &code, community.as_deref()).await
    })
    .await
}

/// The no-JavaScript echo of the `invite_email` form (what a failed post typed).
pub const INVITE_EMAIL: crate::ui::EchoKey = crate::ui::EchoKey("invite_email");

/// Sends the member's invite link to an e-mail address (optionally into one of their communities).
#[server(endpoint = "invite_by_email")]
pub async fn invite_by_email(email: String, community: Option<String>) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        if email.trim().is_empty() {
            return Err(AppError::field("email", "Enter their e-mail address."));
        }
        let to =
            crate::auth::types::Email::parse(&email).map_err(|e| AppError::field("email", e))?;
        super::repo::invite_by_email(
            &state.db,
            &state.settings.public_url,
            &user,
            &to,
            community.as_deref().filter(|c| !c.is_empty()),
        )
        .await?;
        leptos_axum::redirect("/invite?sent=1");
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(
        INVITE_EMAIL,
        &[
            ("email", &email),
            ("community", community.as_deref().unwrap_or("")),
        ],
        result,
    )
}
