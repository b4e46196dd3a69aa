//! The one shape of a server function's body: who may call it, the app's state, and the HTTP status of its error.
//!
//! Every server function is `call::public(async |state| …)`, `call::member(async |state, user| …)`,
//! `call::reader(…)` or `call::admin(…)`, awaited. The helper looks up the state and the caller
//! (the right `AppError` when there is none), runs the body and [`finish`](crate::state::finish)es
//! the result, so a failed call answers with its status. A form's function hands the result on
//! to [`session::finish_form`](crate::auth::session::finish_form), which keeps what a no-JavaScript
//! post typed.

use crate::auth::session;
use crate::auth::types::CurrentUser;
use crate::error::AppError;
use crate::state::{app_state, finish, AppState};

/// For anyone, logged in or not.
pub async fn public<T>(
    body: impl AsyncFnOnce(AppState) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let result = match app_state() {
        Ok(state) => body(state).await,
        Err(e) => Err(e),
    };
    finish(result)
}

/// For a member in good standing (logged in, consent given, not suspended).
pub async fn member<T>(
    body: impl AsyncFnOnce(AppState, CurrentUser) -> Result<T, AppError>,
) -> Result<T, AppError> {
    as_user(session::require().await, body).await
}

/// For any logged-in member, also one whose consent is withdrawn or who is suspended: what such
/// a member may still do (see [`session::require_reader`]).
pub async fn reader<T>(
    body: impl AsyncFnOnce(AppState, CurrentUser) -> Result<T, AppError>,
) -> Result<T, AppError> {
    as_user(session::require_reader().await, body).await
}

/// For an admin.
pub async fn admin<T>(
    body: impl AsyncFnOnce(AppState, CurrentUser) -> Result<T, AppError>,
) -> Result<T, AppError> {
    as_user(session::require_admin().await, body).await
}

/// Runs `body` for the caller `user` (or answers why there is none) and finishes the result.
async fn as_user<T>(
    user: Result<CurrentUser, AppError>,
    body: impl AsyncFnOnce(AppState, CurrentUser) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let result = match (app_state(), user) {
        (Ok(state), Ok(user)) => body(state, user).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    finish(result)
}
