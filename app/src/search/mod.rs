//! Site-wide search: questions, discussions and library articles, visibility-aware, on FTS5 or tsvector.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
