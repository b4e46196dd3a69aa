//! Welcome wire types: the communities to choose from, and what to read and join in the chosen ones.

use crate::groups::types::GroupSummary;
use crate::library::types::ArticleSummary;
use serde::{Deserialize, Serialize};

/// A community as the welcome offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub joined: bool,
    /// Joined for someone the member cares for.
    pub caring: bool,
}

/// A joined community's support groups and starting articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartHere {
    pub slug: String,
    pub name: String,
    pub caring: bool,
    pub groups: Vec<GroupSummary>,
    pub articles: Vec<ArticleSummary>,
}

/// The welcome: every community to choose from, and what the chosen ones offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    pub conditions: Vec<Condition>,
    pub start: Vec<StartHere>,
}
