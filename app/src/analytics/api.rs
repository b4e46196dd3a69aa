//! Traffic server functions: counting a page a person opened in the app without a full page load, and the admin's dashboard.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Counts a page the app showed without loading it from the server (the server counts the
/// pages it renders itself). Answers nothing; robots and addresses that are not pages are not counted.
#[server(endpoint = "seen")]
pub async fn page_seen(path: String) -> Result<(), AppError> {
    crate::call::public(async |state| {
        let Some(page) = classify(&path) else {
            return Ok(());
        };
        let ua = crate::state::request_header(http::header::USER_AGENT);
        let ip = crate::auth::api::session::client_ip();
        crate::counting::page_view(&state, page, &ip, &ua, None).await
    })
    .await
}

/// The dashboard: `days` 7, 30 or 90, or `from`–`to` (days typed as `2026-12-24`); `community`
/// a slug or empty for all. This process's latest counts are added first.
#[server(endpoint = "analytics")]
pub async fn get_analytics(
    days: Option<i64>,
    from: Option<String>,
    to: Option<String>,
    community: Option<String>,
) -> Result<Dashboard, AppError> {
    crate::call::admin(async |state, _admin| {
        state.counts.flush(&state.db).await?;
        let (first, last) = dashboard_range(days, from.as_deref(), to.as_deref());
        super::repo::dashboard(&state.db, first, last, community.as_deref().unwrap_or("")).await
    })
    .await
}

/// The days a dashboard request covers.
#[cfg(feature = "ssr")]
pub fn dashboard_range(days: Option<i64>, from: Option<&str>, to: Option<&str>) -> (i64, i64) {
    use crate::announcements::types::parse_day;
    use crate::counting::day_of;
    let day = |raw: Option<&str>| {
        raw.filter(|s| !s.trim().is_empty())
            .and_then(|s| parse_day(s).ok())
            .map(day_of)
    };
    range(days, day(from), day(to), day_of(crate::db::now_ms()))
}
