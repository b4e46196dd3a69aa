//! Notifications: what happened for a member (replies, answers, mentions, messages…), the unread badge that follows live, per-type settings.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
