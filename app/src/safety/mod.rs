//! Safety: the crisis safeguard (phrase matching, helplines, holding and flagging what matched) the moderation queue that receives its flags, and sanctions (warn, suspend, lift).

pub mod api;
pub mod crisis;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod sanctions;
pub mod types;
