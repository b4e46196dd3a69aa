//! The admin area: clinician verification queue, moderator/admin role grants, and the audit log.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
