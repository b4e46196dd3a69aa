//! Asking to be listed: the form a clinic's member fills in, what the asker and the site's team see of a request.

use super::*;
use serde::{Deserialize, Serialize};

/// Requests one member may have waiting at once.
pub const OPEN_LISTING_REQUESTS: i64 = 3;

/// The form a member fills in to ask for their clinic to be listed (`ask_listing`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingForm {
    pub name: String,
    pub city: String,
    pub website: String,
    pub role: String,
    pub note: String,
}

/// A request once checked.
pub struct NewListing {
    pub name: String,
    pub city: String,
    pub website: String,
    pub role: String,
    pub note: String,
}

impl ListingForm {
    /// The checked fields, or every field's error at once.
    pub fn check(&self) -> Result<NewListing, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let input = NewListing {
            name: c
                .check(
                    "name",
                    parse_required(&self.name, 120, "the name", "Give the clinic's name."),
                )
                .unwrap_or_default(),
            city: c
                .check(
                    "city",
                    parse_required(&self.city, 80, "the city", "Enter the clinic's city."),
                )
                .unwrap_or_default(),
            website: c
                .check("website", parse_website(&self.website))
                .unwrap_or_default(),
            role: c
                .check(
                    "role",
                    parse_required(
                        &self.role,
                        80,
                        "your role",
                        "Say what you do at the clinic, e.g. practice manager.",
                    ),
                )
                .unwrap_or_default(),
            note: c
                .check("note", parse_optional(&self.note, 1000, "the note"))
                .unwrap_or_default(),
        };
        c.finish()?;
        Ok(input)
    }
}

/// One of the asker's requests, newest first on their page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MyListingRequest {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub created_at: i64,
    /// `None` while the team has not decided; "listed" or "declined".
    pub outcome: Option<String>,
    /// Why the team declined it.
    pub reason: String,
    /// The clinic's address once listed (and while it exists).
    pub slug: Option<String>,
}

/// A request waiting for the site's team (admins), oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OpenListingRequest {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub city: String,
    pub website: String,
    pub role: String,
    pub note: String,
    pub created_at: i64,
}

/// The clinic's address the team's form proposes for a request: from its name.
pub fn proposed_slug(name: &str) -> String {
    crate::slug::from_name(name, 60, "clinic")
}
