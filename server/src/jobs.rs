//! Background jobs of a serving process: the sweeper, the data-export job and the counts' flush.

use super::*;

/// Every hour: deletes expired sessions and old rate-limit buckets, erases the accounts whose
/// deletion grace period is over, blanks the text of mails
/// delivered more than 30 days ago, and refreshes SQLite's planner statistics.
pub fn spawn_sweeper(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match app::auth::repo::sweep(&state.db, state.settings.limits.window_ms).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "swept expired sessions and buckets"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sweep failed"),
            }
            if let Err(e) = app::privacy::export::sweep(&state.db, app::db::now_ms()).await {
                tracing::warn!(error = %e, "deleting expired data exports failed");
            }
            match app::privacy::repo::erase_due(&state.db, app::db::now_ms()).await {
                Ok(n) if n > 0 => {
                    tracing::info!(accounts = n, "erased accounts after their grace period")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "erasing due accounts failed"),
            }
            let today = app::counting::day_of(app::db::now_ms());
            if let Err(e) = app::counting::forget_before(&state.db, today).await {
                tracing::warn!(error = %e, "forgetting old visitor salts failed");
            }
            match app::mail::repo::sweep_outbox(&state.db, app::db::now_ms()).await {
                Ok(n) if n > 0 => tracing::info!(mails = n, "blanked the text of old mails"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox sweep failed"),
            }
            if let Err(e) = state.db.optimize().await {
                tracing::warn!(error = %e, "PRAGMA optimize failed");
            }
        }
    });
}

/// Every 5 seconds: builds the data exports members asked for (any process may; each export is
/// claimed by one).
pub fn spawn_export_job(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) =
                app::privacy::export::run_pending(&state.db, &state.settings.public_url).await
            {
                tracing::warn!(error = %e, "building a data export failed");
            }
        }
    });
}

/// Every 10 seconds: adds this process's counts to the database (a crash loses at most that).
pub fn spawn_count_flush(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tick.tick().await;
            if let Err(e) = state.counts.flush(&state.db).await {
                tracing::warn!(error = %e, "flushing counts failed; kept for the next try");
            }
        }
    });
}
