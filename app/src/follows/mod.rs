//! Following: threads (automatically for their author and repliers, or muted), communities and tags, and the grouped notifications they bring.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
