//! HealthCommunity's Leptos app: routes, pages, components, server functions and shared types.
#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod access;
pub mod admin;
pub mod analytics;
pub mod announcements;
pub mod app;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod call;
pub mod communities;
#[cfg(feature = "ssr")]
pub mod counting;
#[cfg(feature = "ssr")]
pub mod db;
pub mod directory;
pub mod error;
pub mod follows;
pub mod groups;
pub mod ids;
pub mod invitations;
pub mod library;
pub mod mail;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod messages;
pub mod notifications;
pub mod operator;
pub mod pages;
pub mod pictures;
pub mod places;
pub mod posts;
pub mod privacy;
pub mod profiles;
pub mod routes;
pub mod safety;
pub mod saved;
pub mod search;
pub mod seo;
pub mod session;
pub mod slug;
#[cfg(test)]
mod source_checks;
pub mod sponsor;
pub mod sponsored;
#[cfg(feature = "ssr")]
pub mod state;
pub mod ui;
pub mod welcome;

pub use app::{shell, App};
