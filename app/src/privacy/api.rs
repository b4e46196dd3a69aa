//! Account-lifecycle server functions: the consent state, withdrawing and giving consent, "Delete my account", and an admin's erasure on request.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::api::session;

/// The privacy notice as HTML (`/privacy`; its words are the server's: see `notice.rs`).
#[server(endpoint = "privacy_notice")]
pub async fn get_privacy_notice() -> Result<String, AppError> {
    crate::call::public(async |state| {
        let about = crate::operator::repo::about(&state.db).await?;
        Ok(super::notice::html(
            crate::auth::types::CONSENT_VERSION,
            &about.profile.name,
            &about.profile.privacy_contact,
        ))
    })
    .await
}

/// The member's consent history and whether it stands (a withdrawn member may read it).
#[server(endpoint = "my_privacy")]
pub async fn get_my_privacy() -> Result<PrivacyState, AppError> {
    let state = crate::state::app_state()?;
    let user = session::require_reader().await?;
    super::repo::state(&state.db, user.id).await
}

/// "Download my data": asks for a zip of everything the member's account holds; it is built in
/// the background and the member is told when it is ready (also without JavaScript).
#[server(endpoint = "request_export")]
pub async fn request_export() -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        // What this process counted of the member (today's activity) goes in first.
        state.counts.flush(&state.db).await?;
        super::export::request(&state.db, user.id).await
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// Withdraws the health-data consent: one click, as easy as giving it. The account becomes
/// read-only and hidden from others until it is given again.
#[server(endpoint = "withdraw_consent")]
pub async fn withdraw_consent() -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        super::repo::set_consent(
            &state.db,
            user.id,
            false,
            crate::auth::types::CONSENT_VERSION,
        )
        .await?;
        tracing::info!(user_id = %user.id, "health-data consent withdrawn");
        Ok(())
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// Gives the health-data consent again (the box must be ticked, as at sign-up).
#[server(endpoint = "give_consent")]
pub async fn give_consent(consent: Option<String>) -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        if consent.as_deref() != Some("yes") {
            return Err(AppError::field(
                "consent",
                "Tick the box to agree to the privacy notice.",
            ));
        }
        super::repo::set_consent(
            &state.db,
            user.id,
            true,
            crate::auth::types::CONSENT_VERSION,
        )
        .await?;
        tracing::info!(user_id = %user.id, "health-data consent given again");
        Ok(())
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// The no-JavaScript echo of the `delete_account` form (what a failed post typed).
pub const DELETE_ACCOUNT: crate::ui::EchoKey = crate::ui::EchoKey("delete_account");

/// "Delete my account" (the password is required): erasure in [`GRACE_DAYS`] days, every
/// session ends now, logging in before then cancels it. `words` is "remove" (the default: the
/// words of their posts and replies go, the threads stay) or "keep" (the words stay under
/// "[deleted member]").
#[server(endpoint = "delete_account")]
pub async fn delete_account(
    confirm_password: String,
    words: Option<String>,
) -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        let keep_words = match words.as_deref() {
            None | Some("") | Some("remove") => false,
            Some("keep") => true,
            Some(_) => return Err(AppError::field("words", "Choose one of the two.")),
        };
        if confirm_password.is_empty() {
            return Err(AppError::field(
                "confirm_password",
                "Enter your password to delete your account.",
            ));
        }
        session::confirm_password(
            &state,
            user.id,
            &confirm_password,
            "confirm_password",
            "This is not your password.",
        )
        .await?;
        super::repo::request_deletion(&state.db, &state.settings.public_url, user.id, keep_words)
            .await?;
        session::end(&state).await?;
        leptos_axum::redirect("/goodbye");
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(
        DELETE_ACCOUNT,
        &[("words", words.as_deref().unwrap_or(""))],
        result,
    )
}

/// The no-JavaScript echo of the `admin_erase_member` form (what a failed post typed).
pub const ADMIN_ERASE_MEMBER: crate::ui::EchoKey = crate::ui::EchoKey("admin_erase_member");

/// An admin erases a member at once, on the member's request (the handle typed twice guards
/// against a slip). Audited.
#[server(endpoint = "admin_erase_member")]
pub async fn erase_member(erase_handle: String, confirm: String) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        let handle = erase_handle.trim().trim_start_matches('@').to_lowercase();
        let confirm = confirm.trim().trim_start_matches('@').to_lowercase();
        if handle.is_empty() {
            return Err(AppError::field(
                "erase_handle",
                "Enter the member's handle.",
            ));
        }
        if confirm != handle {
            return Err(AppError::field(
                "confirm",
                "Type the same handle again to confirm.",
            ));
        }
        let Some(id) = super::repo::find_for_erasure(&state.db, &handle).await? else {
            return Err(AppError::field(
                "erase_handle",
                "No member has this handle.",
            ));
        };
        if id == admin.id {
            return Err(AppError::field(
                "erase_handle",
                "Delete your own account from Settings.",
            ));
        }
        super::repo::erase(&state.db, id, admin.id).await?;
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(
        ADMIN_ERASE_MEMBER,
        &[("erase_handle", &erase_handle), ("confirm", &confirm)],
        result,
    )
}
