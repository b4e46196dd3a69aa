//! Support groups inside a community: open, private (join requests with a screening question) and hidden (invitation only).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
