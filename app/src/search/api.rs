//! The search server function.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Searches what the viewer may read. `tab`: all/articles/posts; `kind`: question/discussion;
/// `answered`: yes/no; `page` from 1 (at most 10).
#[server(endpoint = "search")]
pub async fn search(
    q: String,
    tab: Option<String>,
    community: Option<String>,
    kind: Option<String>,
    answered: Option<String>,
    page: Option<usize>,
) -> Result<SearchResults, AppError> {
    let result = async {
        use crate::posts::types::PostKind;
        let state = crate::state::app_state()?;
        let viewer = crate::auth::api::session::current()
            .await?
            .map(|u| (u.id, u.is_admin));
        let filters = super::repo::Filters {
            community: community.filter(|c| !c.is_empty()),
            kind: kind.as_deref().and_then(|k| PostKind::parse(k).ok()),
            answered: match answered.as_deref() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
        };
        super::repo::search(
            &state.db,
            viewer,
            &q,
            Tab::parse(tab.as_deref().unwrap_or("all")),
            &filters,
            page.unwrap_or(1),
        )
        .await
    }
    .await;
    crate::state::finish(result)
}
