//! Posts: questions and discussions, answers and threaded replies, helpful votes, accepted answers, feeds.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
