//! Server-only session helpers: the session cookie, "who is asking", and the no-JavaScript form echo.

use super::repo;
use super::types::*;
use crate::error::AppError;
use crate::ids::UserId;
use crate::state::{app_state, cookie, request_parts, set_cookie, AppState, ClientIp};

pub const COOKIE: &str = "hc_session";
const ECHO_COOKIE: &str = "hc_echo";

/// The member of the request being answered, once looked up: several server functions answer
/// one page (the header's, the feed's…), and the session is read from the database only for
/// the first. Provided with the app's state for each request (`state::provide_request_context`).
#[derive(Clone, Default)]
pub struct RequestMember {
    known: std::sync::Arc<std::sync::Mutex<Option<Option<CurrentUser>>>>,
    /// Held while the session is read: the page's resources ask at once, and the later ones
    /// wait for the first one's answer (the member's home read it three times a request).
    reading: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl RequestMember {
    fn get(&self) -> Option<Option<CurrentUser>> {
        self.known.lock().ok().and_then(|m| m.clone())
    }
    fn set(&self, user: Option<Option<CurrentUser>>) {
        if let Ok(mut m) = self.known.lock() {
            *m = user;
        }
    }
}

/// Forgets the member looked up for this request (the session changed: login, logout).
fn forget_request_member() {
    if let Some(cache) = leptos::prelude::use_context::<RequestMember>() {
        cache.set(None);
    }
}

/// The logged-in member of this request, if any (looked up once per request).
pub async fn current() -> Result<Option<CurrentUser>, AppError> {
    let Some(cache) = leptos::prelude::use_context::<RequestMember>() else {
        return lookup().await;
    };
    if let Some(known) = cache.get() {
        return Ok(known);
    }
    let _reading = cache.reading.lock().await;
    if let Some(known) = cache.get() {
        return Ok(known);
    }
    let user = lookup().await?;
    cache.set(Some(user.clone()));
    Ok(user)
}

/// Reads the session cookie's member from the database.
async fn lookup() -> Result<Option<CurrentUser>, AppError> {
    let state = app_state()?;
    let parts = request_parts()?;
    let user = match cookie(&parts, COOKIE) {
        Some(token) if !token.is_empty() => repo::user_by_session(&state.db, &token).await?,
        _ => None,
    };
    if let Some(u) = &user {
        // For the page cache: whose page this is (taken off the response by the server).
        crate::state::add_response_header(crate::state::MEMBER_HEADER, &u.id.to_string());
        // Members active per day: counted in memory like page views (no write here).
        state.counts.add(crate::counting::Count::Member {
            day: crate::counting::day_of(crate::db::now_ms()),
            user: u.id,
        });
    }
    Ok(user)
}

/// The logged-in member who may write, or `Unauthenticated`; `ConsentWithdrawn` for a
/// member who withdrew the health-data consent (their account is read-only), `Suspended` for
/// one a moderator suspended. Every server function that writes or shows the member to
/// others starts here.
pub async fn require() -> Result<CurrentUser, AppError> {
    let user = require_reader().await?;
    if user.consent_withdrawn {
        return Err(AppError::ConsentWithdrawn);
    }
    if user.suspended_until.is_some() {
        return Err(AppError::Suspended);
    }
    Ok(user)
}

/// The logged-in member, consent withdrawn, suspended or not: only for what such a member may still do
/// (read their own settings, notifications and messages, change the password or address,
/// give the consent again, download their data, delete the account).
pub async fn require_reader() -> Result<CurrentUser, AppError> {
    current().await?.ok_or(AppError::Unauthenticated)
}

/// The logged-in admin, or `Unauthenticated`/`Forbidden`.
pub async fn require_admin() -> Result<CurrentUser, AppError> {
    let user = require().await?;
    if user.is_admin {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Checks the member's password before a sensitive change (limited per account like a
/// login): a field error on `field` when it is wrong.
pub async fn confirm_password(
    state: &AppState,
    user: UserId,
    password: &str,
    field: &str,
    wrong: &str,
) -> Result<(), AppError> {
    let limits = &state.settings.limits;
    repo::hit_rate_limit(
        &state.db,
        &format!("password:account:{user}"),
        limits.login_per_account,
        limits.window_ms,
    )
    .await?;
    let stored = repo::password_hash_of(&state.db, user).await?;
    if !repo::verify_password(state, password, Some(stored)).await? {
        return Err(AppError::field(field, wrong));
    }
    Ok(())
}

pub fn token() -> Option<String> {
    request_parts().ok().and_then(|p| cookie(&p, COOKIE))
}

/// The cookie of a browser that logged in here before (see `login`).
const DEVICE_COOKIE: &str = "hc_device";

pub fn device() -> Option<String> {
    request_parts()
        .ok()
        .and_then(|p| cookie(&p, DEVICE_COOKIE))
        .filter(|t| !t.is_empty())
}

/// Remembers this browser for `user_id` for a year.
pub async fn remember_device(state: &AppState, user_id: UserId) -> Result<(), AppError> {
    let token = repo::remember_device(&state.db, user_id).await?;
    let attrs = cookie_attrs(state, 365 * 86_400);
    set_cookie(format!("{DEVICE_COOKIE}={token}{attrs}"));
    Ok(())
}

pub fn client_ip() -> String {
    request_parts()
        .ok()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// A cookie of the request being answered (read it before the first `.await`).
pub fn cookie_named(name: &str) -> Option<String> {
    request_parts()
        .ok()
        .and_then(|p| cookie(&p, name))
        .filter(|t| !t.is_empty())
}

/// Sets an HttpOnly cookie of the site's (`max_age_secs` 0 removes it).
pub fn set_cookie_for(state: &AppState, name: &str, value: &str, max_age_secs: i64) {
    set_cookie(format!(
        "{name}={value}{}",
        cookie_attrs(state, max_age_secs)
    ));
}

fn cookie_attrs(state: &AppState, max_age_secs: i64) -> String {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// Starts a fresh session (a new id: rotation at every login) and sets its cookie.
pub async fn start(state: &AppState, user_id: UserId) -> Result<(), AppError> {
    forget_request_member();
    if let Some(old) = token() {
        repo::delete_session(&state.db, &old).await?;
    }
    let token = repo::create_session(&state.db, user_id, state.settings.session_ttl_ms).await?;
    let attrs = cookie_attrs(state, state.settings.session_ttl_ms / 1000);
    set_cookie(format!("{COOKIE}={token}{attrs}"));
    Ok(())
}

/// Ends the current session and removes its cookie.
pub async fn end(state: &AppState) -> Result<(), AppError> {
    forget_request_member();
    if let Some(old) = token() {
        repo::delete_session(&state.db, &old).await?;
    }
    set_cookie(format!("{COOKIE}={}", cookie_attrs(state, 0)));
    Ok(())
}

/// Finishes a form's server function. For a plain (no-JavaScript) form post that failed, the
/// non-secret fields go into a short-lived HttpOnly cookie so the form comes back filled in;
/// the error itself travels in the URL the browser is sent back to (Leptos' `__err`).
pub fn finish_form<T>(
    form: crate::ui::EchoKey,
    fields: &[(&str, &str)],
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    use base64::Engine;
    if crate::state::is_plain_form_post() {
        if let Ok(state) = app_state() {
            if result.is_err() && !fields.is_empty() {
                let mut budget = 2500usize;
                let kept: Vec<(String, String)> = fields
                    .iter()
                    .map(|(k, v)| {
                        let v: String = v.chars().take(budget.min(1000)).collect();
                        budget = budget.saturating_sub(v.len());
                        (k.to_string(), v)
                    })
                    .collect();
                if let Ok(json) = serde_json::to_vec(&(form.0, kept)) {
                    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
                    set_cookie(format!(
                        "{ECHO_COOKIE}={value}{}",
                        cookie_attrs(&state, 300)
                    ));
                }
            } else if request_parts()
                .map(|p| cookie(&p, ECHO_COOKIE).is_some())
                .unwrap_or(false)
            {
                set_cookie(format!("{ECHO_COOKIE}={}", cookie_attrs(&state, 0)));
            }
        }
    }
    crate::state::finish(result)
}

/// [`finish_form`] for a form that is one struct (`#[server(flatten)]`): its fields are kept
/// as the struct names them (a form struct holds no password), with `also` (what the form sends
/// beside the struct).
pub fn finish_form_of<T, F: serde::Serialize>(
    form: crate::ui::EchoKey,
    fields: &F,
    also: &[(&str, &str)],
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let values = match serde_json::to_value(fields) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => Default::default(),
    };
    let kept: Vec<(&str, &str)> = values
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
        .chain(also.iter().copied())
        .collect();
    finish_form(form, &kept, result)
}

/// Finishes the server function of a form with no field worth keeping (buttons, hidden ids,
/// passwords): a stale echo of another form is cleared on success.
pub fn finish_post<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    finish_form(crate::ui::EchoKey(""), &[], result)
}

/// The fields a failed plain form post left for `form`.
pub fn echo(form: &str) -> Vec<(String, String)> {
    use base64::Engine;
    request_parts()
        .ok()
        .and_then(|p| cookie(&p, ECHO_COOKIE))
        .and_then(|v| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(v)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice::<(String, Vec<(String, String)>)>(&bytes).ok())
        .filter(|(f, _)| f == form)
        .map(|(_, fields)| fields)
        .unwrap_or_default()
}

/// A local path to continue to after login; anything else becomes "/". The path is read
/// the way a browser would read it (browsers drop tabs and newlines, and turn `\` into `/`),
/// so control characters, white space and backslashes are refused outright, and what is
/// left must resolve to this site with a path starting with `/`.
pub fn safe_next(next: Option<&str>) -> String {
    const SITE: &str = "http://this-site.invalid/";
    let local = |n: &str| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
            && url::Url::parse(SITE)
                .and_then(|base| base.join(n))
                .is_ok_and(|u| {
                    u.scheme() == "http"
                        && u.host_str() == Some("this-site.invalid")
                        && u.port().is_none()
                        && u.username().is_empty()
                        && u.path().starts_with('/')
                })
    };
    match next {
        Some(n) if local(n) => n.to_string(),
        _ => "/".to_string(),
    }
}
