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
    crate::call::public(async |_state| {
        use crate::posts::types::PostKind;
        let state = crate::state::app_state()?;
        let viewer = crate::access::viewer().await?;
        let filters = super::repo::Filters {
            community: community.filter(|c| !c.is_empty()),
            kind: kind.as_deref().and_then(|k| PostKind::parse(k).ok()),
            answered: match answered.as_deref() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
            ..super::repo::Filters::default()
        };
        let unfiltered =
            filters.community.is_none() && filters.kind.is_none() && filters.answered.is_none();
        let found = super::repo::search(
            &state.db,
            viewer,
            &q,
            Tab::parse(tab.as_deref().unwrap_or("all")),
            &filters,
            page.unwrap_or(1),
        )
        .await?;
        // A content gap for the operator: a person's first page of an unfiltered search that
        // found nothing at all (its words only; robots are not counted).
        let nothing = found.post_count + found.article_count + found.provider_count == 0;
        if nothing && unfiltered && found.page == 1 && found.message.is_none() {
            // Each person's search that finds nothing is counted: its page is not cached.
            crate::state::keep_out_of_page_cache();
            let ua = crate::state::request_header(http::header::USER_AGENT);
            if let Some(query) = crate::counting::gap_query(&found.words) {
                if !crate::counting::is_bot(&ua) {
                    state.counts.add(crate::counting::Count::SearchMiss {
                        day: crate::counting::day_of(crate::db::now_ms()),
                        query,
                    });
                }
            }
        }
        Ok(found)
    })
    .await
}

/// The synonym list an admin edits: its text, and whether it is the built-in one.
#[server(endpoint = "search/synonyms")]
pub async fn synonyms() -> Result<SynonymList, AppError> {
    crate::call::admin(async |state, _admin| {
        Ok(match super::synonyms::stored(&state.db).await? {
            Some((body, at)) => SynonymList {
                body,
                updated_at: Some(at),
            },
            None => SynonymList {
                body: super::synonyms::builtin_text().to_string(),
                updated_at: None,
            },
        })
    })
    .await
}

/// The no-JavaScript echo of the `save_synonyms` form (what a failed post typed).
pub const SAVE_SYNONYMS: crate::ui::EchoKey = crate::ui::EchoKey("save_synonyms");

/// An admin saves the synonym list, or (`restore` = "yes") goes back to the built-in one.
#[server(endpoint = "search/save_synonyms")]
pub async fn save_synonyms(body: String, restore: Option<String>) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        let body = (restore.as_deref() != Some("yes")).then_some(body.as_str());
        super::synonyms::save(&state.db, admin.id, body).await
    })
    .await;
    crate::auth::session::finish_form(SAVE_SYNONYMS, &[("body", &body)], result)
}
