//! The operator's half, part one: who runs the site and how it is funded (`/about`), and the advertisers it allows (`/admin/operator`).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
