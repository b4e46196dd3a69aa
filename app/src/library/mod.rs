//! The plain-language health library: articles with clinician review, versions and readability scores.

pub mod api;
pub mod pages;
pub mod readability;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
