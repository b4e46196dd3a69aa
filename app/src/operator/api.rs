//! Operator server functions: the public `/about` data, and the admin's profile, advertiser and community-refusal changes (admins only, audited).
// Server functions take one argument per form field.
#![allow(clippy::too_many_arguments)]

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
    name: String,
    about: String,
    ad_policy: String,
    privacy_contact: Option<String>,
) -> Result<(), AppError> {
    use crate::error::Checker;
    let contact = privacy_contact.unwrap_or_default();
    let result = crate::call::admin(async |state, admin| {
        let mut c = Checker::new();
        let n = c.check("name", text(&name, 2, NAME_MAX, "the operator's name"));
        let a = c.check("about", text(&about, 1, ABOUT_MAX, "who runs this site"));
        let p = c.check(
            "ad_policy",
            text(&ad_policy, 1, POLICY_MAX, "the advertising policy"),
        );
        let contact = if contact.trim().is_empty() {
            Some(String::new())
        } else {
            c.check(
                "privacy_contact",
                crate::auth::types::Email::parse(&contact).map(|e| e.as_str().to_string()),
            )
        };
        c.finish()?;
        let (Some(n), Some(a), Some(p), Some(contact)) = (n, a, p, contact) else {
            return Err(AppError::Internal);
        };
        super::repo::save_profile(&state.db, admin.id, &n, &a, &p, &contact).await
    })
    .await;
    crate::auth::session::finish_form(
        OPERATOR_PROFILE,
        &[
            ("name", &name),
            ("about", &about),
            ("ad_policy", &ad_policy),
            ("privacy_contact", &contact),
        ],
        result,
    )
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
pub async fn set_ad_bars(
    slug: String,
    pharma: Option<String>,
    device: Option<String>,
    clinic: Option<String>,
    nonprofit: Option<String>,
    other: Option<String>,
) -> Result<(), AppError> {
    crate::call::admin(async |state, admin| {
        let ticked = [pharma, device, clinic, nonprofit, other];
        let kinds: Vec<AdvertiserKind> = AdvertiserKind::ALL
            .into_iter()
            .zip(ticked)
            .filter(|(_, t)| t.as_deref().is_some_and(|v| !v.is_empty()))
            .map(|(k, _)| k)
            .collect();
        super::repo::set_bars(&state.db, admin.id, &slug, &kinds).await
    })
    .await
}
