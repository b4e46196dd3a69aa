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

/// Saves bio and display preferences.
#[server(endpoint = "update_profile")]
pub async fn update_profile(
    display_name: Option<String>,
    bio: String,
    theme: String,
    text_size: String,
    show_role: Option<String>,
    /// The helplines' country (a listed code, or "none"); absent keeps the one set.
    country: Option<String>,
) -> Result<(), AppError> {
    use crate::error::Checker;
    let result = crate::call::member(async |state, user| {
        let country = match country.as_deref().map(str::trim) {
            None => user.country.clone(),
            // "none" is the list's "Not set" (an empty value reads as an absent one).
            Some("" | "none") => String::new(),
            Some(code) => match crate::safety::crisis::country(code) {
                Some(c) => c.code.to_string(),
                None => {
                    return Err(AppError::field(
                        "country",
                        "Choose a country from the list, or “Not set”.",
                    ))
                }
            },
        };
        let mut c = Checker::new();
        let n = c.check(
            "display_name",
            parse_display_name(display_name.as_deref().unwrap_or("")),
        );
        let b = c.check("bio", parse_bio(&bio));
        let t = c.check("theme", parse_option(&theme, THEMES));
        let s = c.check("text_size", parse_option(&text_size, TEXT_SIZES));
        c.finish()?;
        let (Some(n), Some(b), Some(t), Some(s)) = (n, b, t, s) else {
            return Err(AppError::Internal);
        };
        super::repo::update_profile(
            &state.db,
            user.id,
            &n,
            &b,
            &t,
            &s,
            show_role.is_some(),
            &country,
        )
        .await
    })
    .await;
    crate::auth::session::finish_form(
        UPDATE_PROFILE,
        &[
            ("display_name", display_name.as_deref().unwrap_or("")),
            ("bio", &bio),
            ("theme", &theme),
            ("text_size", &text_size),
            ("show_role", show_role.as_deref().unwrap_or("")),
            ("country", country.as_deref().unwrap_or("")),
        ],
        result,
    )
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
