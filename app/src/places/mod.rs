//! The gazetteer: cities and postal codes a place query resolves to (directory search, clinic placement).

#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
