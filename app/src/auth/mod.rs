//! Accounts: sign-up with consent, log in/out, sessions, password change and reset, e-mail verification, rate limits.

pub mod api;
#[cfg(feature = "ssr")]
pub mod email;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod session;
pub mod types;
