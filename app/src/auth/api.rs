//! Account server functions: sign-up, log in, log out, change password, the current member, form echo.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Server-only helpers: the session cookie and "who is asking" (`auth/session.rs`).
#[cfg(feature = "ssr")]
pub use super::session;

/// The no-JavaScript echo of the `signup` form (what a failed post typed).
pub const SIGNUP: crate::ui::EchoKey = crate::ui::EchoKey("signup");

/// Creates an account and logs it in; the address gets a link to prove it (see `email`).
#[server(endpoint = "signup")]
pub async fn signup(
    #[server(flatten)] form: SignupForm,
    password: String,
    invite: Option<String>,
    community: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::repo;
    let result = crate::call::public(async |state| {
        let CheckedSignup {
            handle: h,
            email: e,
            password: p,
            kind: k,
            clinician,
            digest,
        } = form.check(&password)?;
        let limits = &state.settings.limits;
        repo::hit_rate_limit(
            &state.db,
            &format!("signup:ip:{}", session::client_ip()),
            limits.signup_per_ip,
            limits.window_ms,
        )
        .await?;
        let hash = repo::hash_password(&state, p.as_str()).await?;
        let id = repo::create_user(
            &state.db,
            repo::NewUser {
                handle: &h,
                email: &e,
                password_hash: &hash,
                kind: k,
                clinician,
                digest,
                verified: false,
            },
        )
        .await?;
        tracing::info!(user_id = %id, "account created");
        let arrival = Arrival {
            invite: invite.as_deref(),
            community: community.as_deref(),
            next: next.as_deref(),
        };
        let target = settle_new_account(&state, id, e.as_str(), arrival).await?;
        leptos_axum::redirect(&target);
        Ok(())
    })
    .await;
    crate::auth::session::finish_form_of(
        SIGNUP,
        &form,
        &[
            ("invite", invite.as_deref().unwrap_or("")),
            ("community", community.as_deref().unwrap_or("")),
            ("next", next.as_deref().unwrap_or("")),
        ],
        result,
    )
}

/// Where a sign-up came from: an invitation's code, the community it invites to or whose
/// "Join" button led here, the page to go back to.
#[cfg(feature = "ssr")]
struct Arrival<'a> {
    invite: Option<&'a str>,
    community: Option<&'a str>,
    next: Option<&'a str>,
}

/// A new account's first steps: its helplines' country, the check of its address, the
/// invitation or community it came with, its session; returns the page to go to next.
#[cfg(feature = "ssr")]
async fn settle_new_account(
    state: &crate::state::AppState,
    id: crate::ids::UserId,
    email: &str,
    from: Arrival<'_>,
) -> Result<String, AppError> {
    // The helplines' country: the browser's language region, when it is a listed one.
    let languages = crate::state::request_header(http::header::ACCEPT_LANGUAGE);
    if let Some(code) = crate::safety::crisis::country_from_languages(&languages) {
        crate::profiles::repo::set_country(&state.db, id, code).await?;
    }
    // A link to the address, or a notice to the account that holds it: the page below is
    // the same either way.
    super::email::check_address(&state.db, &state.settings.public_url, id, email).await?;
    let community = from.community.filter(|c| !c.is_empty());
    if let Some(code) = from.invite.filter(|c| !c.is_empty()) {
        crate::invitations::repo::accept(&state.db, id, code, community).await?;
    } else if let Some(slug) = community {
        // "Join" on a community's page, before having an account: the new member is in it,
        // and the welcome shows it chosen. A community gone since is no reason to fail.
        match crate::communities::repo::join(&state.db, id, slug).await {
            Ok(()) | Err(AppError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    session::start(state, id).await?;
    // Signed up from a members-only teaser: back to that post, in its community. Otherwise
    // the welcome asks which conditions matter to the new member.
    let next = session::safe_next(from.next);
    Ok(match crate::posts::types::post_of_path(&next) {
        Some(post) => {
            if let Some(slug) = crate::posts::repo::community_of_open_post(&state.db, post).await? {
                crate::communities::repo::join(&state.db, id, &slug).await?;
            }
            next
        }
        None if next != "/" => next,
        None => "/welcome".to_string(),
    })
}

/// The no-JavaScript echo of the `login` form (what a failed post typed).
pub const LOGIN: crate::ui::EchoKey = crate::ui::EchoKey("login");

/// Logs in with handle or e-mail and password. Unknown account and wrong password get the same answer.
#[server(endpoint = "login")]
pub async fn login(
    identifier: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::error::Checker;
    // Read from the request before the first await (see `state::request_parts`).
    let (device, client_ip) = (session::device(), session::client_ip());
    let result = crate::call::public(async |state| {
        // Decided before anything is written: a `next` the redirect could not carry (a
        // newline) must not leave a session behind an answer that never comes.
        let next = session::safe_next(next.as_deref());
        let mut c = Checker::new();
        if identifier.trim().is_empty() {
            c.add("identifier", "Enter your handle or e-mail address.");
        }
        if password.is_empty() {
            c.add("password", "Enter your password.");
        }
        c.finish()?;
        let id = authenticate(
            &state,
            &identifier,
            &password,
            device.as_deref(),
            &client_ip,
        )
        .await?;
        super::two_step::sign_in(&state, id, &next, device.as_deref()).await
    })
    .await;
    crate::auth::session::finish_form(LOGIN, &[("identifier", &identifier)], result)
}

/// The account whose password this is, within the rate limits: per address, and per account
/// (a browser the owner logged in from before is not locked out by someone else's guessing).
#[cfg(feature = "ssr")]
async fn authenticate(
    state: &crate::state::AppState,
    identifier: &str,
    password: &str,
    device: Option<&str>,
    client_ip: &str,
) -> Result<crate::ids::UserId, AppError> {
    use super::repo;
    let limits = &state.settings.limits;
    repo::hit_rate_limit(
        &state.db,
        &format!("login:ip:{client_ip}"),
        limits.login_per_ip,
        limits.window_ms,
    )
    .await?;
    // One bucket per account, whichever identifier (handle or e-mail) was typed; an unknown
    // identifier has a bucket of its own, so both answer alike. A browser the owner logged
    // in from before is not locked out by someone else's guessing.
    let found = repo::find_login(&state.db, identifier).await?;
    let bucket = match found.first() {
        Some((id, _)) => format!("login:account:{id}"),
        None => format!(
            "login:unknown:{}",
            identifier.trim().trim_start_matches('@').to_lowercase()
        ),
    };
    let limited = repo::hit_rate_limit(
        &state.db,
        &bucket,
        limits.login_per_account,
        limits.window_ms,
    )
    .await;
    let mut known_device = false;
    if let Some(token) = device {
        for (id, _) in &found {
            known_device |= repo::is_known_device(&state.db, *id, token).await?;
        }
    }
    if let Err(e) = limited {
        if !known_device {
            return Err(e);
        }
    }
    // An address several new accounts wait for (only one of them can prove it) means the
    // one whose password this is.
    let mut id = None;
    if found.is_empty() {
        repo::verify_password(state, password, None).await?;
    }
    for (candidate, hash) in found {
        if repo::verify_password(state, password, Some(hash)).await? {
            id = Some(candidate);
            break;
        }
    }
    id.ok_or(AppError::InvalidCredentials)
}

/// Where a login that cancelled a pending deletion leads: Settings says so.
pub const CANCELLED_DELETION: &str = "/settings?deletion=cancelled#your-data";

/// Ends the session.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::call::public(async |state| {
        session::end(&state).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// Changes the password (the current one is required) and logs out every other device.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use super::repo;
    use crate::error::Checker;
    let result = crate::call::reader(async |state, user| {
        let mut c = Checker::new();
        if current_password.is_empty() {
            c.add("current_password", "Enter your current password.");
        }
        let new = c.check("new_password", Password::parse(&new_password));
        if new_password == current_password && !new_password.is_empty() {
            c.add(
                "new_password",
                "Choose a password different from the current one.",
            );
        }
        c.finish()?;
        let new = new.ok_or(AppError::Internal)?;
        session::confirm_password(
            &state,
            user.id,
            &current_password,
            "current_password",
            "This is not your current password.",
        )
        .await?;
        let hash = repo::hash_password(&state, new.as_str()).await?;
        let token = session::token().unwrap_or_default();
        repo::set_password(
            &state.db,
            &state.settings.public_url,
            user.id,
            &hash,
            &token,
        )
        .await?;
        tracing::info!(user_id = %user.id, "password changed");
        Ok(())
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// Sends the member's waiting address its link again.
#[server(endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    let result = crate::call::reader(async |state, user| {
        let limits = &state.settings.limits;
        super::repo::hit_rate_limit(
            &state.db,
            &format!("verify:account:{}", user.id),
            limits.login_per_account,
            limits.window_ms,
        )
        .await?;
        super::email::resend(&state.db, &state.settings.public_url, user.id).await
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// The no-JavaScript echo of the `change_email` form (what a failed post typed).
pub const CHANGE_EMAIL: crate::ui::EchoKey = crate::ui::EchoKey("change_email");

/// Asks for a new address (the password is required): the old one stays in use until the
/// link sent to the new one is used.
#[server(endpoint = "change_email")]
pub async fn change_email(new_email: String, password: String) -> Result<(), AppError> {
    use crate::error::Checker;
    let result = crate::call::reader(async |state, user| {
        let mut c = Checker::new();
        let e = c.check("new_email", Email::parse(&new_email));
        if password.is_empty() {
            c.add("password", "Enter your password.");
        }
        c.finish()?;
        let e = e.ok_or(AppError::Internal)?;
        session::confirm_password(
            &state,
            user.id,
            &password,
            "password",
            "This is not your password.",
        )
        .await?;
        super::email::change_address(&state.db, &state.settings.public_url, user.id, e.as_str())
            .await?;
        tracing::info!(user_id = %user.id, "new e-mail address asked for");
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(CHANGE_EMAIL, &[("new_email", &new_email)], result)
}

/// What the page of a verification (`purpose` "verify") or reset ("reset") link shows.
#[server(endpoint = "email_link")]
pub async fn get_email_link(token: String, purpose: String) -> Result<EmailLinkView, AppError> {
    use super::email::{link_view, Purpose};
    crate::call::public(async |state| {
        let purpose = match purpose.as_str() {
            "verify" => Purpose::Verify,
            "reset" => Purpose::Reset,
            _ => return Err(AppError::BadRequest),
        };
        link_view(&state.db, &token, purpose).await
    })
    .await
}

/// Uses a verification link (no login needed: the link's secret is the permission).
#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let result = crate::call::public(async |state| {
        super::email::verify(&state.db, &token).await?;
        Ok(())
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// The no-JavaScript echo of the `forgot_password` form (what a failed post typed).
pub const FORGOT_PASSWORD: crate::ui::EchoKey = crate::ui::EchoKey("forgot_password");

/// "Forgot password?": mails a reset link to the address if an account uses it. The answer is
/// the same whether it does or not; attempts are limited per client and per address.
#[server(endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let result = crate::call::public(async |state| {
        let address = Email::parse(&email).map_err(|e| AppError::field("email", e))?;
        let limits = &state.settings.limits;
        super::repo::hit_rate_limit(
            &state.db,
            &format!("reset:ip:{}", session::client_ip()),
            limits.login_per_ip,
            limits.window_ms,
        )
        .await?;
        super::email::send_reset(&state.db, &state.settings.public_url, address.as_str()).await?;
        leptos_axum::redirect("/forgot?sent=1");
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(FORGOT_PASSWORD, &[("email", &email)], result)
}

/// Uses a reset link: sets the new password, ends every session and logs this browser in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    use super::repo;
    let device = session::device();
    let result = crate::call::public(async |state| {
        let new = Password::parse(&new_password).map_err(|e| AppError::field("new_password", e))?;
        let hash = repo::hash_password(&state, new.as_str()).await?;
        let id = super::email::reset(&state.db, &state.settings.public_url, &token, &hash)
            .await
            .map_err(|e| match e {
                AppError::NotFound => AppError::field(
                    "new_password",
                    "This link has expired or was used already. Ask for a new one below.",
                ),
                e => e,
            })?;
        // With two-step sign-in on, the link proves the address, not the phone: the code is asked.
        super::two_step::sign_in(&state, id, "/", device.as_deref()).await
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// The logged-in member, or `None` for a visitor.
#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    crate::state::finish(session::current().await)
}

/// What a failed no-JavaScript post of `form` left to fill the form in again.
#[server(endpoint = "form_echo")]
pub async fn form_echo(form: String) -> Result<Vec<(String, String)>, AppError> {
    Ok(session::echo(&form))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::session::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        for ok in [
            "/",
            "/c/ms",
            "/p/12?sort=new#r3",
            "/search?q=a%20b",
            "/u/maría",
        ] {
            assert_eq!(safe_next(Some(ok)), ok, "{ok:?} is local");
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/x",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?} must not be followed");
        }
        assert_eq!(safe_next(None), "/");
    }
}
