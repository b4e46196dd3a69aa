//! Safety: the crisis safeguard (phrase matching, helplines, holding and flagging what matched) and the moderation queue that receives its flags.

pub mod api;
pub mod crisis;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
