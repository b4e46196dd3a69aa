//! E-mail server functions: what an opt-out link stops, and stopping it (no login needed: the link's secret is the permission).

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "mail_stop_view")]
pub async fn get_mail_stop(token: String) -> Result<StopView, AppError> {
    crate::call::public(async |state| super::repo::stop_view(&state.db, &token).await).await
}

/// Stops what the mail's link names: the member's digest, or invitations to the address.
#[server(endpoint = "mail_stop")]
pub async fn stop_mail(token: String) -> Result<(), AppError> {
    crate::call::public(async |state| super::repo::stop(&state.db, &token).await).await
}
