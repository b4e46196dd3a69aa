//! Profile server functions: read a public profile, read and update one's own settings, ask for clinician verification.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// A member's public profile by handle.
#[server(endpoint = "profile")]
pub async fn get_profile(handle: String) -> Result<PublicProfile, AppError> {
    crate::call::public(async |state| {
        let viewer = crate::auth::api::session::current().await?.map(|u| u.id);
        super::repo::public_profile(&state.db, &handle, viewer)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// The logged-in member's settings.
#[server(endpoint = "my_settings")]
pub async fn get_my_settings() -> Result<MySettings, AppError> {
    crate::call::reader(async |state, user| super::repo::my_settings(&state.db, user.id).await)
        .await
}

/// The no-JavaScript echo of the `update_profile` form (what a failed post typed).
pub const UPDATE_PROFILE: crate::ui::EchoKey = crate::ui::EchoKey("update_profile");

/// Saves bio and display preferences (`ProfileForm`).
#[server(endpoint = "update_profile")]
pub async fn update_profile(#[server(flatten)] form: ProfileForm) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let input = form.check(&user.country)?;
        super::repo::update_profile(&state.db, user.id, &input).await
    })
    .await;
    crate::auth::session::finish_form_of(UPDATE_PROFILE, &form, &[], result)
}

/// The no-JavaScript echo of the `request_verification` form (what a failed post typed).
pub const REQUEST_VERIFICATION: crate::ui::EchoKey = crate::ui::EchoKey("request_verification");

/// A clinician sends (or re-sends) licence number and specialty for verification.
#[server(endpoint = "request_verification")]
pub async fn request_verification(
    licence_number: String,
    specialty: String,
) -> Result<(), AppError> {
    use crate::auth::types::{parse_licence, parse_specialty, MemberKind};
    use crate::error::Checker;
    let result = crate::call::member(async |state, user| {
        if user.kind != MemberKind::Clinician {
            return Err(AppError::Forbidden);
        }
        let mut c = Checker::new();
        let l = c.check("licence_number", parse_licence(&licence_number));
        let s = c.check("specialty", parse_specialty(&specialty));
        c.finish()?;
        let (Some(l), Some(s)) = (l, s) else {
            return Err(AppError::Internal);
        };
        crate::auth::repo::submit_verification(&state.db, user.id, &l, &s).await
    })
    .await;
    crate::auth::session::finish_form(
        REQUEST_VERIFICATION,
        &[
            ("licence_number", &licence_number),
            ("specialty", &specialty),
        ],
        result,
    )
}

/// The action type of the password form (the server function lives with the accounts).
pub type ChangePasswordAction = ServerAction<crate::auth::api::ChangePassword>;
