//! Library server functions: the list, an article, the editor's working copy, save, submit for review, publish or send back, the desk.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Published articles; `community` narrows to one community.
#[server(endpoint = "library")]
pub async fn list_articles(community: Option<String>) -> Result<Vec<ArticleSummary>, AppError> {
    crate::call::public(async |state| {
        super::repo::list(&state.db, community.as_deref().filter(|c| !c.is_empty())).await
    })
    .await
}

#[server(endpoint = "library/article")]
pub async fn get_article(slug: String) -> Result<ArticleView, AppError> {
    crate::call::public(async |state| {
        let viewer = crate::auth::api::session::current().await?;
        let mut view = super::repo::article(&state.db, &slug, viewer.as_ref()).await?;
        view.saved = crate::saved::repo::ref_saved(
            &state.db,
            viewer.as_ref(),
            crate::saved::types::RefKind::Article,
            &slug,
        )
        .await?;
        Ok(view)
    })
    .await
}

#[server(endpoint = "library/draft")]
pub async fn get_draft(slug: String) -> Result<Draft, AppError> {
    crate::call::member(async |state, user| super::repo::draft(&state.db, &user, &slug).await).await
}

/// The no-JavaScript echo of the `save_article` form (what a failed post typed).
pub const SAVE_ARTICLE: crate::ui::EchoKey = crate::ui::EchoKey("save_article");

/// Creates (`current` empty) or saves an article's working copy, then opens the editor.
#[server(endpoint = "library/save")]
pub async fn save_article(
    current: String,
    #[server(flatten)] form: ArticleForm,
) -> Result<String, AppError> {
    let result = crate::call::member(async |state, user| {
        if !super::repo::can_write(&user) {
            return Err(AppError::Forbidden);
        }
        let this_year = 1970 + (crate::db::now_ms() / 31_556_952_000) as i32;
        let input = form.check(this_year)?;
        let slug = super::repo::save(&state.db, &user, &current, &input).await?;
        leptos_axum::redirect(&format!("/library/{slug}/edit"));
        Ok(slug)
    })
    .await;
    crate::auth::session::finish_form_of(SAVE_ARTICLE, &form, &[], result)
}

/// The no-JavaScript echo of the `submit_article` form (what a failed post typed).
pub const SUBMIT_ARTICLE: crate::ui::EchoKey = crate::ui::EchoKey("submit_article");

#[server(endpoint = "library/submit")]
pub async fn submit_article(slug: String, reviewer: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        super::repo::submit(&state.db, &user, &slug, &reviewer).await
    })
    .await;
    crate::auth::session::finish_form(SUBMIT_ARTICLE, &[("reviewer", &reviewer)], result)
}

/// The named reviewer publishes; `override_grade` = "yes" publishes above the target grade.
#[server(endpoint = "library/publish")]
pub async fn publish_article(slug: String, override_grade: Option<String>) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::publish(
            &state.db,
            &user,
            &slug,
            override_grade.as_deref() == Some("yes"),
        )
        .await?;
        leptos_axum::redirect(&format!("/library/{slug}"));
        Ok(())
    })
    .await
}

/// The no-JavaScript echo of the `send_back_article` form (what a failed post typed).
pub const SEND_BACK_ARTICLE: crate::ui::EchoKey = crate::ui::EchoKey("send_back_article");

#[server(endpoint = "library/send_back")]
pub async fn send_back_article(slug: String, note: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let note = note.trim();
        if note.is_empty() || note.chars().count() > 1000 {
            return Err(AppError::field(
                "note",
                "Tell the author what to change (up to 1,000 characters).",
            ));
        }
        super::repo::send_back(&state.db, &user, &slug, note).await
    })
    .await;
    crate::auth::session::finish_form(SEND_BACK_ARTICLE, &[("note", &note)], result)
}

#[server(endpoint = "library/desk")]
pub async fn get_desk() -> Result<Desk, AppError> {
    crate::call::member(async |state, user| super::repo::desk(&state.db, &user).await).await
}
