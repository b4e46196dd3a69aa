//! Safety server functions: the moderation queue, a moderator's review of a flag, sanctions, profile reports and the watched-word lists.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// The open flags of the places the member moderates; refused to members who moderate nothing.
#[server(endpoint = "mod/queue")]
pub async fn get_mod_queue() -> Result<ModQueue, AppError> {
    crate::call::member(async |state, user| super::repo::queue(&state.db, &user).await).await
}

/// `outcome`: "listed" (back in feeds and search) or "kept_out" (stays out of them).
#[server(endpoint = "mod/review")]
pub async fn review_flag(id: i64, outcome: String) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        let outcome = Outcome::parse(&outcome).ok_or(AppError::BadRequest)?;
        super::repo::review(&state.db, &user, id, outcome).await?;
        leptos_axum::redirect("/mod");
        Ok(())
    })
    .await
}

/// A moderator of the report's place leaves the reported item up.
#[server(endpoint = "mod/dismiss")]
pub async fn dismiss_report(id: i64) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        super::repo::dismiss_report(&state.db, &user, id).await?;
        leptos_axum::redirect("/mod");
        Ok(())
    })
    .await
}

/// The no-JavaScript echo of the `sanction` form (what a failed post typed).
pub const SANCTION: crate::ui::EchoKey = crate::ui::EchoKey("sanction");

/// Warns or suspends a member (site moderators and admins), or lifts a suspension (admins):
/// `action` is one of [`SANCTIONS`]; a reason is required for a warning or a suspension and is
/// shown to the member. Audited.
#[server(endpoint = "mod/sanction")]
pub async fn sanction_member(
    sanction_handle: String,
    action: String,
    reason: String,
) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        if !super::sanctions::may_sanction(&user) {
            return Err(AppError::Forbidden);
        }
        let handle = sanction_handle
            .trim()
            .trim_start_matches('@')
            .to_lowercase();
        if handle.is_empty() {
            return Err(AppError::field(
                "sanction_handle",
                "Enter the member's handle.",
            ));
        }
        if action == "lift" {
            return super::sanctions::lift(&state.db, &user, &handle).await;
        }
        let kind = SanctionKind::parse(&action)
            .ok_or_else(|| AppError::field("action", "Choose what to do."))?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(AppError::field(
                "reason",
                "Say why in up to 500 characters: the member will read it.",
            ));
        }
        super::sanctions::sanction(&state.db, &user, &handle, kind, reason).await?;
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(
        SANCTION,
        &[
            ("sanction_handle", &sanction_handle),
            ("action", &action),
            ("reason", &reason),
        ],
        result,
    )
}

/// A report's reason (one of the list) and note (at most 500 characters), checked alike for
/// posts, replies and profiles; the note comes back trimmed.
#[cfg(feature = "ssr")]
pub(crate) fn check_report<'a>(reason: &str, note: &'a str) -> Result<&'a str, AppError> {
    let mut c = crate::error::Checker::new();
    if reason_label(REPORT_REASONS, reason).is_none() {
        c.add("reason", "Choose what is wrong with it.");
    }
    let note = note.trim();
    if note.chars().count() > 500 {
        c.add("note", "Please keep it under 500 characters.");
    }
    c.finish()?;
    Ok(note)
}

/// The no-JavaScript echo of the `report_profile` form (what a failed post typed).
pub const REPORT_PROFILE: crate::ui::EchoKey = crate::ui::EchoKey("report_profile");

/// A member reports another member's profile (name and "about me") with a reason and an
/// optional note; site moderators and admins see it in `/mod`.
#[server(endpoint = "report/profile")]
pub async fn report_profile(handle: String, reason: String, note: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let note = check_report(&reason, &note)?;
        crate::state::limit_writes(&state, user.id, crate::state::Write::Report).await?;
        super::repo::report_profile(&state.db, &user, &handle, &reason, note).await?;
        leptos_axum::redirect(&format!("/u/{handle}?reported=1"));
        Ok(())
    })
    .await;
    let item = format!("u-{handle}");
    crate::auth::session::finish_form(
        REPORT_PROFILE,
        &[("item", &item), ("reason", &reason), ("note", &note)],
        result,
    )
}

/// A site moderator or admin decides a profile report: `outcome` "dismiss" leaves the profile
/// as it is, "clear" empties its name and "about me". Both tell who should know; audited.
#[server(endpoint = "mod/profile_report")]
pub async fn resolve_profile_report(id: i64, outcome: String) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        let clear = match outcome.as_str() {
            "clear" => true,
            "dismiss" => false,
            _ => return Err(AppError::BadRequest),
        };
        super::repo::resolve_profile_report(&state.db, &user, id, clear).await?;
        leptos_axum::redirect("/mod");
        Ok(())
    })
    .await
}

/// A watched-word list the member may edit (`community`: its address; empty or absent: the
/// site's for admins, else the first community they moderate).
#[server(endpoint = "mod/watched")]
pub async fn get_watched(community: Option<String>) -> Result<WatchedList, AppError> {
    crate::call::member(async |state, user| {
        super::words::list(&state.db, &user, community.as_deref().unwrap_or("")).await
    })
    .await
}

/// The no-JavaScript echo of the `add_watched` form (what a failed post typed).
pub const ADD_WATCHED: crate::ui::EchoKey = crate::ui::EchoKey("add_watched");

/// Adds words or phrases (one per line) to a list with one action; audited.
#[server(endpoint = "mod/watch")]
pub async fn add_watched(
    community: String,
    phrases: String,
    action: String,
) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let mut c = crate::error::Checker::new();
        let words = c.check("phrases", super::words::parse_phrases(&phrases));
        let kind = c.check(
            "action",
            WatchAction::parse(&action).ok_or_else(|| "Choose what the words do.".to_string()),
        );
        c.finish()?;
        let (Some(words), Some(kind)) = (words, kind) else {
            return Err(AppError::BadRequest);
        };
        super::words::add(&state.db, &user, &community, &words, kind).await?;
        leptos_axum::redirect(&words_page(&community));
        Ok(())
    })
    .await;
    crate::auth::session::finish_form(
        ADD_WATCHED,
        &[("phrases", &phrases), ("action", &action)],
        result,
    )
}

/// Removes one entry from a list; audited.
#[server(endpoint = "mod/unwatch")]
pub async fn remove_watched(id: i64) -> Result<(), AppError> {
    crate::call::member(async |state, user| {
        let community = super::words::remove(&state.db, &user, id).await?;
        leptos_axum::redirect(&words_page(&community));
        Ok(())
    })
    .await
}

/// The watched-words page of a list (`""`: the site's).
pub fn words_page(community: &str) -> String {
    if community.is_empty() {
        "/mod/words".into()
    } else {
        format!("/mod/words?c={community}")
    }
}

/// The check every write path runs before it stores what a member wrote: `None` when nothing
/// matched; `SafetyCheck` when something did and the writer has not seen the helplines yet (the
/// form then shows them and posts on the next press); else what matched, for the flag.
#[cfg(feature = "ssr")]
pub fn check(texts: &[&str], acknowledged: Option<&str>) -> Result<Option<Crisis>, AppError> {
    let crisis = matched(texts)?;
    if crisis.is_some() && acknowledged.is_none_or(str::is_empty) {
        return Err(AppError::SafetyCheck);
    }
    Ok(crisis)
}

/// What matched, without the confirmation step (edits: the thread shows the helplines after).
#[cfg(feature = "ssr")]
pub fn matched(texts: &[&str]) -> Result<Option<Crisis>, AppError> {
    let Some(phrase) = super::crisis::matches_any(texts) else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    Ok(Some(Crisis {
        phrase,
        base_url: state.settings.public_url.clone(),
    }))
}
