//! Site-wide search: questions, discussions and library articles, visibility-aware, on FTS5 or tsvector.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod synonyms;
pub mod types;
