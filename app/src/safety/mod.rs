//! Safety: the crisis safeguard (phrase matching, helplines, holding and flagging what matched), the moderation queue that receives its flags, sanctions (warn, suspend, lift), watched words and the new-member hold.

pub mod api;
pub mod crisis;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod sanctions;
#[cfg(feature = "ssr")]
pub mod trust;
pub mod types;
#[cfg(feature = "ssr")]
pub mod watched;
#[cfg(feature = "ssr")]
pub mod words;
