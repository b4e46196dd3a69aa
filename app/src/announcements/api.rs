//! Announcement server functions: the banners for a page (public), dismissing one (members and visitors), and the admin's list, create and end.
// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

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

/// What runs now for a page of community `community` (or a page of no community).
#[server(endpoint = "announcements")]
pub async fn get_announcements(community: Option<String>) -> Result<Banners, AppError> {
    crate::call::public(async |state| {
        let user = crate::auth::api::session::current().await?;
        let skip = match &user {
            Some(_) => Vec::new(),
            None => crate::state::request_parts()
                .ok()
                .and_then(|p| crate::state::cookie(&p, COOKIE))
                .map(|c| cookie_ids(&c))
                .unwrap_or_default(),
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
    crate::call::public(
        async |state| match crate::auth::api::session::current().await? {
            Some(u) => super::repo::dismiss(&state.db, u.id, id).await,
            None => {
                if !super::repo::exists(&state.db, id).await? {
                    return Err(AppError::NotFound);
                }
                let mut ids = crate::state::request_parts()
                    .ok()
                    .and_then(|p| crate::state::cookie(&p, COOKIE))
                    .map(|c| cookie_ids(&c))
                    .unwrap_or_default();
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

/// Creates an announcement: `community` is a slug or empty (the whole site); `starts` and
/// `ends` are days (`2026-12-24`, UTC), `starts` empty for now, `ends` empty for no end.
#[server(endpoint = "announcements/create")]
pub async fn create_announcement(
    ann_title: String,
    ann_body: String,
    severity: String,
    community: Option<String>,
    starts: Option<String>,
    ends: Option<String>,
) -> Result<(), AppError> {
    use crate::error::Checker;
    use crate::operator::types::text;
    let result = crate::call::admin(async |state, admin| {
        let now = crate::db::now_ms();
        let mut c = Checker::new();
        let t = c.check("ann_title", text(&ann_title, 3, TITLE_MAX, "a title"));
        let b = c.check("ann_body", text(&ann_body, 1, BODY_MAX, "the message"));
        let s = c.check("severity", Severity::parse(&severity));
        let starts_at = match starts.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(day) => c.check("starts", parse_day(day)),
            None => Some(now),
        };
        let ends_at = match ends.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            // The whole end day is included.
            Some(day) => c.check("ends", parse_day(day).map(|d| Some(d + 86_400_000))),
            None => Some(None),
        };
        if let (Some(s), Some(Some(e))) = (starts_at, ends_at) {
            if e <= s {
                c.add("ends", "The end must come after the start.");
            } else if e <= now {
                c.add("ends", "This end date has passed.");
            }
        }
        c.finish()?;
        let (Some(title), Some(body), Some(severity), Some(starts_at), Some(ends_at)) =
            (t, b, s, starts_at, ends_at)
        else {
            return Err(AppError::Internal);
        };
        super::repo::create(
            &state.db,
            admin.id,
            super::repo::NewAnnouncement {
                title,
                body,
                severity,
                community: community.clone().filter(|s| !s.trim().is_empty()),
                starts_at,
                ends_at,
            },
        )
        .await?;
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(
        CREATE_ANNOUNCEMENT,
        &[
            ("ann_title", &ann_title),
            ("ann_body", &ann_body),
            ("severity", &severity),
            ("community", community.as_deref().unwrap_or("")),
            ("starts", starts.as_deref().unwrap_or("")),
            ("ends", ends.as_deref().unwrap_or("")),
        ],
        result,
    )
}

#[server(endpoint = "announcements/end")]
pub async fn end_announcement(id: i64) -> Result<(), AppError> {
    crate::call::admin(async |state, admin| super::repo::end(&state.db, admin.id, id).await).await
}
