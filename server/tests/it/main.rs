//! The server's integration tests, one binary (one link instead of one per file): each module starts the real router on a random port with a fresh database per test, on SQLite and PostgreSQL.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests: a panic is a failed test, not a failed request"
)]

#[macro_use]
mod common;

mod accounts;
mod admin_and_pages;
mod analytics;
mod announcements;
mod anonymous;
mod cli;
mod communities;
mod directory;
mod email;
mod follows;
mod groups;
mod invitations;
mod library;
mod listing;
mod mail;
mod markup;
mod messages;
mod notifications;
mod operations;
mod operator;
mod page_cache;
mod pictures;
mod places;
mod posts;
mod privacy;
mod render_watch;
mod safety;
mod sanctions;
mod saved;
mod scale_seed;
mod search;
mod security;
mod seo;
mod sponsor;
mod sponsored;
mod trust;
mod two_step;
mod welcome;
