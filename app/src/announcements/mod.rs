//! The operator's own announcements: site-wide or for one community, scheduled, "info" or "important", and dismissible by each reader (members remembered in the database, visitors in a cookie; no JavaScript needed).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
