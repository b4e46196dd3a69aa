//! Sponsor server functions: the report for the logged-in contact of an advertiser, and the admin's link between a member and an advertiser.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// The report of the advertiser the logged-in member is the contact of: 7, 30 or 90 days.
#[server(endpoint = "sponsor/report")]
pub async fn get_sponsor_report(days: Option<i64>) -> Result<SponsorReport, AppError> {
    crate::call::member(async |state, user| {
        state.counts.flush(&state.db).await?;
        let days = days.filter(|d| [7, 30, 90].contains(d)).unwrap_or(30);
        let today = crate::counting::day_of(crate::db::now_ms());
        super::repo::report(&state.db, user.id, days, today).await
    })
    .await
}

/// Makes member `contact` (a handle; empty: nobody) the contact of advertiser `id`.
#[server(endpoint = "sponsor/contact")]
pub async fn set_sponsor_contact(id: i64, contact: String) -> Result<(), AppError> {
    crate::call::admin(async |state, admin| {
        super::repo::set_contact(&state.db, admin.id, id, &contact).await
    })
    .await
}
