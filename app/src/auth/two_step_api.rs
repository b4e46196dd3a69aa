//! Two-step sign-in's server functions: its state in Settings, turning it on and off, recovery codes, and the code a login asks for.

use super::types::TwoStep;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{session, two_step};

/// Where Settings shows it.
pub const PANEL: &str = "/settings#two-step-h";

/// The member's two-step sign-in (with the QR code while it is being set up).
#[server(endpoint = "two_step")]
pub async fn get_two_step() -> Result<TwoStep, AppError> {
    crate::call::reader(async |state, user| {
        let s = two_step::stored(&state.db, user.id).await?;
        let sealer = &state.settings.sealer;
        let setup = match s.pending_key(sealer) {
            Some(secret) => {
                let issuer = two_step::issuer(&state.settings.public_url);
                let uri = two_step::otpauth_uri(&issuer, &s.handle, &secret);
                Some(super::types::TwoStepSetup {
                    secret: secret
                        .as_bytes()
                        .chunks(4)
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect::<Vec<_>>()
                        .join(" "),
                    qr_svg: two_step::qr_svg(&uri)?,
                    label: format!("{issuer}: @{}", s.handle),
                })
            }
            None => None,
        };
        Ok(TwoStep {
            on_since: s.totp_secret.as_ref().and(s.totp_on_since),
            codes_left: two_step::codes_left(&state.db, user.id).await?,
            setup,
            fresh_codes: s.fresh_codes(sealer),
            staff_paused: user.staff_paused,
        })
    })
    .await
}

/// Starts setting it up (the password first: whoever finds a logged-in browser cannot).
#[server(endpoint = "two_step/start")]
pub async fn start_two_step(two_step_password: String) -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        session::confirm_password(
            &state,
            user.id,
            &two_step_password,
            "two_step_password",
            "That is not your password.",
        )
        .await?;
        two_step::begin(&state.db, &state.settings.sealer, user.id).await?;
        leptos_axum::redirect(PANEL);
        Ok(())
    })
    .await;
    session::finish_post(result)
}

/// Turns it on with the first code the app shows.
#[server(endpoint = "two_step/confirm")]
pub async fn confirm_two_step(code: String) -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        two_step::confirm(
            &state.db,
            &state.settings.sealer,
            &state.settings.public_url,
            user.id,
            &code,
        )
        .await?;
        leptos_axum::redirect(PANEL);
        Ok(())
    })
    .await;
    session::finish_post(result)
}

/// Gives up a set-up that waits for its first code.
#[server(endpoint = "two_step/cancel")]
pub async fn cancel_two_step() -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        two_step::cancel(&state.db, user.id).await?;
        leptos_axum::redirect(PANEL);
        Ok(())
    })
    .await;
    session::finish_post(result)
}

/// New recovery codes (the old ones stop working).
#[server(endpoint = "two_step/codes")]
pub async fn new_recovery_codes(codes_password: String) -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        session::confirm_password(
            &state,
            user.id,
            &codes_password,
            "codes_password",
            "That is not your password.",
        )
        .await?;
        if two_step::stored(&state.db, user.id)
            .await?
            .totp_secret
            .is_none()
        {
            return Err(AppError::BadRequest);
        }
        two_step::renew_codes(&state.db, &state.settings.sealer, user.id).await?;
        leptos_axum::redirect(PANEL);
        Ok(())
    })
    .await;
    session::finish_post(result)
}

/// The member saved their new recovery codes: they are not shown again.
#[server(endpoint = "two_step/saved")]
pub async fn recovery_codes_saved() -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        two_step::codes_saved(&state.db, user.id).await?;
        leptos_axum::redirect(PANEL);
        Ok(())
    })
    .await;
    session::finish_post(result)
}

/// Turns it off (the password again).
#[server(endpoint = "two_step/off")]
pub async fn turn_off_two_step(off_password: String) -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        session::confirm_password(
            &state,
            user.id,
            &off_password,
            "off_password",
            "That is not your password.",
        )
        .await?;
        two_step::turn_off(&state.db, &state.settings.public_url, user.id).await?;
        leptos_axum::redirect(PANEL);
        Ok(())
    })
    .await;
    session::finish_post(result)
}

/// The handle of the login waiting in this browser for its code (`None`: none, or it timed out).
#[server(endpoint = "login/waiting")]
pub async fn login_waiting() -> Result<Option<String>, AppError> {
    let token = session::cookie_named(two_step::CHALLENGE_COOKIE);
    crate::call::public(async |state| {
        Ok(two_step::challenge(&state.db, token.as_deref())
            .await?
            .map(|c| c.handle))
    })
    .await
}

/// The second step of a login: the code from the app, or a recovery code.
#[server(endpoint = "login/code")]
pub async fn login_code(code: String) -> Result<(), AppError> {
    // Read from the request before the first await (see `state::request_parts`).
    let token = session::cookie_named(two_step::CHALLENGE_COOKIE);
    let device = session::device();
    let result = crate::call::public(async |state| {
        if code.trim().is_empty() {
            return Err(AppError::field(
                "code",
                "Type the six digits your app shows, or a recovery code.",
            ));
        }
        two_step::answer(&state, &code, token.as_deref(), device.as_deref()).await
    })
    .await;
    session::finish_post(result)
}
