//! The welcome after sign-up (`/welcome`): which conditions matter to the new member (joins those communities, for themselves or someone they care for), then the support groups and first articles for them.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
