//! Public member profiles and each member's own settings (bio, display preferences, clinician verification).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
