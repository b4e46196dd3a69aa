//! Sponsor reports: an advertiser's contact (a member account the operator links) sees its own campaigns' impressions, clicks and CTR per day and per community, small figures hidden, and nothing else.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod types;
