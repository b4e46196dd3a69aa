//! Pictures: members' avatars (initials until they upload one), clinics' logos and photos, and up to four images per post or reply — checked, re-encoded and stored in the database, served at `/img/<id>` through the posts' visibility rule.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod process;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
