//! Operator server functions: the public `/about` data, and the admin's profile, advertiser and community-refusal changes (admins only, audited).

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Who runs the site, its advertising policy, the approved advertisers and what each community
/// refuses. Public.
#[server(endpoint = "about")]
pub async fn get_about() -> Result<AboutView, AppError> {
    crate::call::public(async |state| super::repo::about(&state.db).await).await
}

#[server(endpoint = "operator/admin")]
pub async fn get_operator_admin() -> Result<OperatorAdmin, AppError> {
    crate::call::admin(async |state, _admin| super::repo::admin_view(&state.db).await).await
}

/// The no-JavaScript echo of the `operator_profile` form (what a failed post typed).
pub const OPERATOR_PROFILE: crate::ui::EchoKey = crate::ui::EchoKey("operator_profile");

#[server(endpoint = "operator/save_profile")]
pub async fn save_operator_profile(
    #[server(flatten)] form: OperatorProfileForm,
) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        super::repo::save_profile(&state.db, admin.id, &form.check()?).await
    })
    .await;
    crate::auth::session::finish_form_of(OPERATOR_PROFILE, &form, &[], result)
}

/// The no-JavaScript echo of the `add_advertiser` form (what a failed post typed).
pub const ADD_ADVERTISER: crate::ui::EchoKey = crate::ui::EchoKey("add_advertiser");

/// Adds an advertiser; it waits for approval before anything of it can be shown.
#[server(endpoint = "operator/add_advertiser")]
pub async fn add_advertiser(#[server(flatten)] form: AdvertiserFields) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        super::repo::add_advertiser(&state.db, admin.id, form.check()?).await?;
        Ok(())
    })
    .await;
    crate::auth::session::finish_form_of(ADD_ADVERTISER, &form, &[], result)
}

/// `change` is "approve", "suspend" or "remove".
#[server(endpoint = "operator/advertiser_status")]
pub async fn set_advertiser_status(id: i64, change: String) -> Result<(), AppError> {
    crate::call::admin(async |state, admin| {
        let status = AdvertiserStatus::from_change(&change).ok_or(AppError::BadRequest)?;
        super::repo::set_status(&state.db, admin.id, id, status).await
    })
    .await
}

/// The kinds of advertiser community `slug` refuses: one checkbox per kind.
#[server(endpoint = "operator/ad_bars")]
pub async fn set_ad_bars(#[server(flatten)] form: AdBarsForm) -> Result<(), AppError> {
    crate::call::admin(async |state, admin| {
        super::repo::set_bars(&state.db, admin.id, &form.slug, &form.kinds()).await
    })
    .await
}
