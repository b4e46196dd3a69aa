//! Topic communities: the directory, community pages, joining and leaving, community moderators.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
