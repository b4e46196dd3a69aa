//! Accounts: sign-up with consent, log in/out, sessions, password change, rate limits.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
