//! Announcement server functions: the banners for a page (public), dismissing one (members and visitors), and the admin's list, create and end.
// Server functions take one argument per form field.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The banners for a page: who they are from, and the announcements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Banners {
    /// The operator's name ("From Thames Neurology Trust").
    pub from: String,
    pub items: Vec<Announcement>,
}

#[cfg(feature = "ssr")]
const COOKIE: &str = "hc_dismissed";

/// The announcements this browser's cookie says were dismissed here.
#[cfg(feature = "ssr")]
fn dismissed_here() -> Vec<i64> {
    crate::state::request_parts()
        .ok()
        .and_then(|p| crate::state::cookie(&p, COOKIE))
        .map(|c| cookie_ids(&c))
        .unwrap_or_default()
}

/// What runs now for a page of community `community` (or a page of no community).
#[server(endpoint = "announcements")]
pub async fn get_announcements(community: Option<String>) -> Result<Banners, AppError> {
    // The visitor's dismissals, read before the first await: a page left before it rendered
    // takes the request's context with it.
    let dismissed = dismissed_here();
    crate::call::public(async |state| {
        let user = crate::auth::api::session::current().await?;
        let skip = match &user {
            Some(_) => Vec::new(),
            None => dismissed,
        };
        let items = super::repo::running(
            &state.db,
            community.as_deref().filter(|s| !s.is_empty()),
            user.map(|u| u.id),
            &skip,
            crate::db::now_ms(),
        )
        .await?;
        let from = if items.is_empty() {
            String::new()
        } else {
            crate::operator::repo::profile(&state.db).await?.name
        };
        Ok(Banners { from, items })
    })
    .await
}

/// Dismisses announcement `id` for this reader: for good for a member, for a year in this
/// browser's cookie for a visitor.
#[server(endpoint = "announcements/dismiss")]
pub async fn dismiss_announcement(id: i64) -> Result<(), AppError> {
    let mut ids = dismissed_here();
    crate::call::public(
        async |state| match crate::auth::api::session::current().await? {
            Some(u) => super::repo::dismiss(&state.db, u.id, id).await,
            None => {
                if !super::repo::exists(&state.db, id).await? {
                    return Err(AppError::NotFound);
                }
                ids.retain(|i| *i != id);
                ids.push(id);
                let keep = ids.len().saturating_sub(COOKIE_IDS_MAX);
                let value = ids
                    .iter()
                    .skip(keep)
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(".");
                let secure = if state.settings.secure_cookies {
                    "; Secure"
                } else {
                    ""
                };
                crate::state::set_cookie(format!(
                    "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}"
                ));
                Ok(())
            }
        },
    )
    .await
}

#[server(endpoint = "announcements/admin")]
pub async fn get_managed_announcements() -> Result<Vec<ManagedAnnouncement>, AppError> {
    crate::call::admin(async |state, _admin| {
        super::repo::list(&state.db, crate::db::now_ms()).await
    })
    .await
}

/// The no-JavaScript echo of the `create_announcement` form (what a failed post typed).
pub const CREATE_ANNOUNCEMENT: crate::ui::EchoKey = crate::ui::EchoKey("create_announcement");

/// Creates an announcement (see [`AnnouncementForm`]).
#[server(endpoint = "announcements/create")]
pub async fn create_announcement(
    #[server(flatten)] form: AnnouncementForm,
) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        let announcement = form.check(crate::db::now_ms())?;
        super::repo::create(&state.db, admin.id, announcement).await?;
        Ok(())
    })
    .await;
    crate::auth::session::finish_form_of(CREATE_ANNOUNCEMENT, &form, &[], result)
}

#[server(endpoint = "announcements/end")]
pub async fn end_announcement(id: i64) -> Result<(), AppError> {
    crate::call::admin(async |state, admin| super::repo::end(&state.db, admin.id, id).await).await
}
