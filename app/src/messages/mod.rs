//! Direct messages between two members: conversations with unread counts and read markers, blocking, reports to moderators, "only from contacts".

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
