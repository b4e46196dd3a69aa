//! The member's data is theirs: downloading it, the consent history, withdrawing and giving consent, deleting the account after a grace period, and the erasure that leaves nothing that names them.

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
