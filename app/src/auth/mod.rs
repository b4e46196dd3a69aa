//! Accounts: sign-up with consent, log in/out, sessions, password change and reset, e-mail verification, two-step sign-in, rate limits.

pub mod api;
#[cfg(feature = "ssr")]
pub mod email;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod sealed;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod two_step;
pub mod two_step_api;
pub mod two_step_pages;
pub mod types;
