//! Invitations: a member's personal invite link, sign-up through it (the inviter is recorded, the newcomer can join the inviter's community), and the count of who joined.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
