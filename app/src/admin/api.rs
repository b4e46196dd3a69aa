//! Admin server functions; every one checks that the caller is an admin.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "admin/pending_verifications")]
pub async fn pending_verifications(
    after: Option<i64>,
) -> Result<Page<PendingVerification>, AppError> {
    crate::call::admin(async |state, _admin| {
        super::repo::pending_verifications(&state.db, after).await
    })
    .await
}

/// `decision` is "verify" or "reject"; a rejection needs a reason, which the clinician sees.
#[server(endpoint = "admin/decide_verification")]
pub async fn decide_verification(
    id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| match decision.as_str() {
        "verify" => super::repo::decide_verification(&state.db, admin.id, id, true, None).await,
        "reject" => {
            let reason = parse_reason(reason.as_deref().unwrap_or(""))
                .map_err(|m| AppError::field(&format!("reason-{id}"), m))?;
            super::repo::decide_verification(&state.db, admin.id, id, false, Some(&reason)).await
        }
        _ => Err(AppError::BadRequest),
    })
    .await;
    crate::auth::session::finish_post(result)
}

#[server(endpoint = "admin/staff")]
pub async fn staff() -> Result<StaffView, AppError> {
    crate::call::admin(async |state, _admin| {
        Ok(StaffView {
            members: super::repo::staff(&state.db).await?,
            two_step_required: super::repo::staff_two_step(&state.db).await?,
        })
    })
    .await
}

/// Requires two-step sign-in of staff (`required` "on") or stops requiring it ("off"). Only an
/// admin who uses it may require it: they would otherwise pause their own role.
#[server(endpoint = "admin/staff_two_step")]
pub async fn set_staff_two_step(required: String) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        let on = match required.as_str() {
            "on" => true,
            "off" => false,
            _ => return Err(AppError::BadRequest),
        };
        let own = crate::auth::two_step::stored(&state.db, admin.id).await?;
        if on && own.totp_secret.is_none() {
            return Err(AppError::field(
                "required",
                "Turn on two-step sign-in for your own account first (Settings → Two-step sign-in).",
            ));
        }
        super::repo::set_staff_two_step(&state.db, admin.id, on).await
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// The no-JavaScript echo of the `reset_two_step` form.
pub const RESET_TWO_STEP: crate::ui::EchoKey = crate::ui::EchoKey("reset_two_step");

/// Turns off the two-step sign-in of a member who lost their phone and recovery codes
/// (`reset_reason`: how the admin checked the request is the member's; audited).
#[server(endpoint = "admin/reset_two_step")]
pub async fn reset_two_step(reset_handle: String, reset_reason: String) -> Result<(), AppError> {
    use crate::error::Checker;
    let result = crate::call::admin(async |state, admin| {
        let mut c = Checker::new();
        if reset_handle.trim().is_empty() {
            c.add("reset_handle", "Enter the member's handle.");
        }
        let reason = reset_reason.trim();
        if reason.chars().count() < 10 {
            c.add(
                "reset_reason",
                "Say how you checked that the request comes from the member (at least 10 characters).",
            );
        }
        c.finish()?;
        crate::auth::two_step::reset_by_admin(
            &state.db,
            &state.settings.public_url,
            admin.id,
            &reset_handle,
            reason,
        )
        .await
    })
    .await;
    crate::auth::session::finish_form(
        RESET_TWO_STEP,
        &[
            ("reset_handle", &reset_handle),
            ("reset_reason", &reset_reason),
        ],
        result,
    )
}

/// The no-JavaScript echo of the `set_role` form (what a failed post typed).
pub const SET_ROLE: crate::ui::EchoKey = crate::ui::EchoKey("set_role");

/// `change` is "grant" or "revoke"; `role` is "moderator" or "admin".
#[server(endpoint = "admin/set_role")]
pub async fn set_role(handle: String, role: String, change: String) -> Result<(), AppError> {
    use crate::error::Checker;
    let result = crate::call::admin(async |state, admin| {
        let mut c = Checker::new();
        if handle.trim().is_empty() {
            c.add("handle", "Enter the member's handle.");
        }
        let r = c.check("role", StaffRole::parse(&role));
        let grant = match change.as_str() {
            "grant" => Some(true),
            "revoke" => Some(false),
            _ => {
                c.add("change", "Choose grant or revoke.");
                None
            }
        };
        c.finish()?;
        let (Some(r), Some(grant)) = (r, grant) else {
            return Err(AppError::Internal);
        };
        super::repo::set_role(&state.db, admin.id, &handle, r, grant).await
    })
    .await;
    crate::auth::session::finish_form(SET_ROLE, &[("handle", &handle), ("role", &role)], result)
}

#[server(endpoint = "admin/audit_log")]
pub async fn audit_log(before: Option<i64>) -> Result<Page<AuditEntry>, AppError> {
    crate::call::admin(async |state, _admin| super::repo::audit_log(&state.db, before).await).await
}
