//! Server functions for saved items: save or un-save a post or reply, the note, the list, and what of a thread is saved.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Saves the post (`reply_id` absent) or one of its replies, or un-saves it; answers whether it
/// is saved now.
#[server(endpoint = "saved/toggle")]
pub async fn toggle_saved(post_id: i64, reply_id: Option<i64>) -> Result<bool, AppError> {
    crate::call::member(async |state, user| {
        super::repo::toggle(&state.db, &user, post_id, reply_id).await
    })
    .await
}

/// The member's private note on a saved item (empty clears it); `kind` = `page` for a saved
/// article or provider.
#[server(endpoint = "saved/note")]
pub async fn save_note(id: i64, note: String, kind: Option<String>) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        let note = parse_note(&note).map_err(|m| AppError::field("note", m))?;
        let page = kind.as_deref() == Some("page");
        super::repo::set_note(&state.db, &user, id, &note, page).await
    })
    .await
}

/// Saves a published library article (`kind` = `article`) or a directory provider
/// (`provider`) by its address, or un-saves it; answers whether it is saved now.
#[server(endpoint = "saved/page")]
pub async fn toggle_saved_page(kind: String, slug: String) -> Result<bool, AppError> {
    crate::call::member(async |state, user| {
        let kind = RefKind::parse(&kind).map_err(|m| AppError::field("kind", m))?;
        super::repo::toggle_ref(&state.db, &user, kind, &slug).await
    })
    .await
}

/// The member's saved items, newest first (`before`: the `next` of the previous page).
#[server(endpoint = "saved")]
pub async fn get_saved(before: Option<i64>) -> Result<SavedPage, AppError> {
    crate::call::reader(async |state, user| super::repo::list(&state.db, &user, before).await).await
}
