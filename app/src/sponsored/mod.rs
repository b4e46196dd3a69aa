//! Sponsored placements and house promotions: labelled slots chosen from the page's context only, the firewall around private pages, first-party counting, and the admin's campaigns.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
