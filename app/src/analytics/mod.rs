//! First-party traffic figures: what is counted (pages, visitors under a daily salt, referring domains), the admin's dashboard with server-rendered SVG charts, and its CSV.

pub mod api;
pub mod chart;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
