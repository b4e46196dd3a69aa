//! E-mail: the outbox every mail goes through, the daily digest, and the opt-out link in every mail that works without logging in.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
