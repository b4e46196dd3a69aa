//! One application error type shared by the server and the browser; its variants are codes the UI translates.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Every error a page or server function can show. Internal details are logged on the server,
/// never carried here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to continue.")]
    Unauthenticated,
    #[error("You are not allowed to do that.")]
    Forbidden,
    #[error("Join this community to post, reply or vote in it.")]
    JoinRequired,
    #[error("This was deleted, so it can no longer be changed or answered.")]
    Deleted,
    #[error("We could not find that page.")]
    NotFound,
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    #[error("The handle/e-mail or the password is not right.")]
    InvalidCredentials,
    #[error("Too many attempts. Please wait a few minutes and try again.")]
    RateLimited,
    #[error("This request came from another site and was refused.")]
    CrossOrigin,
    #[error("We could not reach the server. Check your connection and try again.")]
    Network,
    #[error("The request was not understood.")]
    BadRequest,
    /// What was written matched the crisis list: the form shows the helplines first (the crisis
    /// safeguard), and posts on the next press. Never a refusal.
    #[error("Before this goes out: you are not alone. Help is there, any time.")]
    SafetyCheck,
    /// The member withdrew their health-data consent: the account reads but does not write
    /// until they give it again (Settings) or delete the account.
    #[error("You withdrew your consent to our use of your health data, so your account is read-only and hidden. Give your consent again in Settings to post, reply, vote or send messages.")]
    ConsentWithdrawn,
    /// A moderator suspended the member: they read, export and delete, but write nothing until
    /// it ends (the notice under the header says why and until when).
    #[error("Your account is suspended: you can read, but not post, reply, vote, rate or send messages. The notice at the top of the page says why and until when.")]
    Suspended,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// One field error as a validation error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    /// The message for one field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(list) => list
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The message for the form as a whole: everything that is not tied to one field.
    pub fn form_message(&self) -> String {
        self.to_string()
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden
            | AppError::CrossOrigin
            | AppError::JoinRequired
            | AppError::ConsentWithdrawn
            | AppError::Suspended => 403,
            AppError::Deleted => 409,
            AppError::NotFound => 404,
            AppError::Validation(_) | AppError::InvalidCredentials | AppError::SafetyCheck => 422,
            AppError::RateLimited => 429,
            AppError::BadRequest => 400,
            AppError::Network => 502,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            _ => AppError::Internal,
        }
    }
}

/// Collects field errors while parsing a form, so every problem is reported at once.
#[derive(Debug, Default)]
pub struct Checker(Vec<FieldError>);

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the parsed value, or records the message against `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(message) => {
                self.0.push(FieldError::new(field, message));
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// `Ok` when nothing was recorded.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

/// The key of `raw` if it is one of `choices` (key, label); `message` otherwise.
pub fn parse_choice(raw: &str, choices: &[(&str, &str)], message: &str) -> Result<String, String> {
    choices
        .iter()
        .find(|(key, _)| *key == raw.trim())
        .map(|(key, _)| key.to_string())
        .ok_or_else(|| message.to_string())
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// Logged with the place of the `?` that converted it, so a log line says which query failed.
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(error = %e, at = %format_args!("{}:{}", at.file(), at.line()), "database error");
        AppError::Internal
    }
}
