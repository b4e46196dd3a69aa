//! The directory of clinics and clinicians: profiles managed by clinic staff, place search, ratings and reviews, contact requests.

pub mod api;
#[cfg(feature = "ssr")]
pub mod consent;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
