//! Direct-message server functions: inbox, a conversation, sending, blocking, the contacts-only setting, reports.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "messages")]
pub async fn get_inbox() -> Result<Inbox, AppError> {
    crate::call::reader(async |state, user| super::repo::inbox(&state.db, &user).await).await
}

/// The conversation with `with`; opening it marks it read.
#[server(endpoint = "messages/thread")]
pub async fn get_thread(with: String) -> Result<Thread, AppError> {
    crate::call::reader(async |state, user| super::repo::thread(&state.db, &user, &with).await)
        .await
}

/// The no-JavaScript echo of the `send_message` form (what a failed post typed).
pub const SEND_MESSAGE: crate::ui::EchoKey = crate::ui::EchoKey("send_message");

#[server(endpoint = "messages/send")]
pub async fn send_message(
    to: String,
    body: String,
    crisis_ack: Option<String>,
) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let text = parse_body(&body).map_err(|e| AppError::field("body", e))?;
        // The helplines first; a private message is never flagged to moderators.
        crate::safety::api::check(&[&text], crisis_ack.as_deref())?;
        super::repo::send(&state.db, &user, &to, &text).await
    })
    .await;
    crate::auth::session::finish_form(SEND_MESSAGE, &[("body", &body)], result)
}

/// `block` is "yes" to block, "no" to unblock.
#[server(endpoint = "messages/block")]
pub async fn block_member(handle: String, block: String) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::set_block(&state.db, &user, &handle, block == "yes").await
    })
    .await
}

/// Only accept messages from members I have written to (`contacts_only` = "yes").
#[server(endpoint = "messages/settings")]
pub async fn save_message_settings(contacts_only: Option<String>) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::set_contacts_only(&state.db, &user, contacts_only.as_deref() == Some("yes"))
            .await
    })
    .await
}

/// The no-JavaScript echo of the `report_message` form (what a failed post typed).
pub const REPORT_MESSAGE: crate::ui::EchoKey = crate::ui::EchoKey("report_message");

#[server(endpoint = "messages/report")]
pub async fn report_message(id: i64, reason: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 1000 {
            return Err(AppError::field(
                "reason",
                "Say in up to 1,000 characters what is wrong.",
            ));
        }
        crate::state::limit_writes(&state, user.id, crate::state::Write::Report).await?;
        super::repo::report(&state.db, &user, id, reason).await
    })
    .await;
    crate::auth::session::finish_form(
        REPORT_MESSAGE,
        &[("id", &id.to_string()), ("reason", &reason)],
        result,
    )
}

#[server(endpoint = "messages/reports")]
pub async fn message_reports() -> Result<Vec<ReportedMessage>, AppError> {
    crate::call::member(async |state, user| super::repo::open_reports(&state.db, &user).await).await
}

#[server(endpoint = "messages/resolve")]
pub async fn resolve_message_report(id: i64) -> Result<(), AppError> {
    crate::call::member(async |state, user| super::repo::resolve_report(&state.db, &user, id).await)
        .await
}
