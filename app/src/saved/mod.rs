//! Saved posts and replies: a member's private bookmarks with notes, at `/saved`, listed through the posts' visibility rule; the post page's Save buttons.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
