//! Notification server functions: the list, marking read, per-type settings.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "notifications")]
pub async fn get_notifications(before: Option<i64>) -> Result<NotificationPage, AppError> {
    crate::call::reader(async |state, user| super::repo::list(&state.db, user.id, before).await)
        .await
}

/// Marks one notification read, or all of them when `id` is absent.
#[server(endpoint = "notifications/read")]
pub async fn mark_read(id: Option<i64>) -> Result<(), AppError> {
    crate::call::reader(async |state, user| super::repo::mark_read(&state.db, user.id, id).await)
        .await
}

/// Saves which kinds the member wants (`on` lists the kinds left switched on), whether they
/// get the daily digest e-mail (`digest` = "yes"), and how each kind is e-mailed (`mail`:
/// `kind:now`, `kind:digest` or `kind:never`; without it the e-mail choices stay as they are).
#[server(endpoint = "notifications/settings")]
pub async fn save_notification_settings(
    on: Option<Vec<String>>,
    digest: Option<String>,
    mail: Option<Vec<String>>,
) -> Result<(), AppError> {
    crate::call::reader(async |state, user| {
        let on = on.unwrap_or_default();
        let off: Vec<String> = KINDS
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| !on.contains(k))
            .collect();
        super::repo::set_off(&state.db, user.id, &off).await?;
        if let Some(mail) = &mail {
            crate::mail::repo::set_mail_modes(&state.db, user.id, mail).await?;
        }
        crate::mail::repo::set_digest(&state.db, user.id, digest.as_deref() == Some("yes")).await
    })
    .await
}
