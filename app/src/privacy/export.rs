//! "Download my data" (GDPR Art. 15/20): the request, the background job that builds a zip of one JSON file per kind plus a readable index.html, the member-only download, and the sweep of expired exports.

use super::types::{ExportView, EXPORT_DAYS};
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;
use crate::ui::format_datetime;
use sqlx::{Column, Row};
use std::io::Write;

use crate::db::Tx;

const DAY_MS: i64 = 86_400_000;
/// A build that has not finished after this long (a process died) is tried again.
const STALE_MS: i64 = 15 * 60 * 1000;
/// Exports one member may ask for in a day.
pub const EXPORTS_PER_DAY: i64 = 3;

/// What goes into the zip: file name, what it holds (for index.html), and the query (`$1` is
/// the member). Only the member's own data, and what they were shown of others: a message
/// partner's handle and the messages of their shared conversation, never another member's
/// address. Columns ending in `_at` become readable UTC times.
const KINDS: &[(&str, &str, &str)] = &[
    (
        "account.json",
        "Your account and settings",
        "SELECT handle, display_name, email, pending_email, kind, clinician_status, specialty, bio, theme, text_size, country, \
         show_role, digest_opt_in, dm_contacts_only, notify_off, invite_code, invite_joins, created_at, email_verified_at, \
         password_changed_at, totp_on_since AS two_step_on_since, consent_withdrawn_at, erase_after FROM users WHERE id = $1",
    ),
    (
        "consents.json",
        "Your consent to the use of your health data: each time you gave or withdrew it",
        "SELECT action, kind, text_version, given_at AS recorded_at FROM consents WHERE user_id = $1 ORDER BY id",
    ),
    (
        "posts.json",
        "Your questions and discussions",
        "SELECT p.id, c.slug AS community, g.slug AS support_group, p.kind, p.visibility, p.title, p.body_md AS text, \
         p.tags, p.anonymous, p.vote_count, p.reply_count, p.created_at, p.edited_at, p.deleted_at, p.removed_at, p.removed_reason \
         FROM posts p JOIN communities c ON c.id = p.community_id LEFT JOIN support_groups g ON g.id = p.group_id \
         WHERE p.author_id = $1 ORDER BY p.id",
    ),
    (
        "post_versions.json",
        "Earlier versions of your questions and discussions (kept when you edited them)",
        "SELECT v.post_id, v.title, v.body_md AS text, v.tags, v.written_at, v.replaced_at \
         FROM post_versions v JOIN posts p ON p.id = v.post_id WHERE p.author_id = $1 ORDER BY v.id",
    ),
    (
        "replies.json",
        "Your answers and comments",
        "SELECT r.id, r.post_id, r.parent_id, r.body_md AS text, r.vote_count, r.created_at, r.edited_at, r.deleted_at, \
         r.removed_at FROM replies r WHERE r.author_id = $1 ORDER BY r.id",
    ),
    (
        "votes.json",
        "What you marked as helpful",
        "SELECT 'post' AS target, post_id, CAST(NULL AS BIGINT) AS reply_id, created_at FROM post_votes WHERE user_id = $1 \
         UNION ALL SELECT 'reply' AS target, post_id, reply_id, created_at FROM reply_votes WHERE user_id = $1",
    ),
    (
        "ratings.json",
        "Your ratings of doctors and clinics",
        "SELECT r.id, p.slug AS provider, p.name AS provider_name, r.stars, r.explains, r.listens, r.premises, \
         r.wait_minutes, r.body AS text, r.treatment, r.verified_visit, r.hidden, r.reply_body AS provider_reply, \
         r.created_at, r.updated_at FROM reviews r JOIN providers p ON p.id = r.provider_id WHERE r.author_id = $1 ORDER BY r.id",
    ),
    (
        "rating_versions.json",
        "Earlier versions of your ratings",
        "SELECT v.review_id, v.stars, v.explains, v.listens, v.premises, v.wait_minutes, v.body AS text, v.created_at \
         FROM review_versions v JOIN reviews r ON r.id = v.review_id WHERE r.author_id = $1 ORDER BY v.id",
    ),
    (
        "messages.json",
        "Direct messages you sent and received",
        "SELECT m.conversation_id, CASE WHEN c.user_a = $1 THEN ub.handle ELSE ua.handle END AS with_member, \
         s.handle AS sender, m.body AS text, m.created_at FROM conversations c JOIN messages m ON m.conversation_id = c.id \
         JOIN users ua ON ua.id = c.user_a JOIN users ub ON ub.id = c.user_b JOIN users s ON s.id = m.sender_id \
         WHERE c.user_a = $1 OR c.user_b = $1 ORDER BY m.id",
    ),
    (
        "contact_requests.json",
        "Your requests to clinics",
        "SELECT cr.id, p.name AS clinic, cr.reason, cr.preferred_times, cr.contact_via, cr.status, cr.created_at, \
         cr.updated_at FROM contact_requests cr JOIN providers p ON p.id = cr.provider_id WHERE cr.member_id = $1 ORDER BY cr.id",
    ),
    (
        "contact_request_messages.json",
        "The messages of your requests to clinics",
        "SELECT cm.request_id, CASE WHEN cm.author_id = $1 THEN 'you' ELSE 'the clinic' END AS sender, cm.body AS text, \
         cm.created_at FROM contact_messages cm JOIN contact_requests cr ON cr.id = cm.request_id \
         WHERE cr.member_id = $1 ORDER BY cm.id",
    ),
    (
        "listing_requests.json",
        "Your requests to list a clinic in the directory, and the answers",
        "SELECT name, city, website, role, note, created_at, outcome, reason, decided_at FROM listing_requests \
         WHERE user_id = $1 ORDER BY id",
    ),
    (
        "communities.json",
        "The communities you joined",
        "SELECT c.slug AS community, c.name, m.is_moderator, m.joined_at FROM community_members m \
         JOIN communities c ON c.id = m.community_id WHERE m.user_id = $1 ORDER BY m.joined_at",
    ),
    (
        "support_groups.json",
        "Your support groups, and your requests to join them",
        "SELECT g.slug AS support_group, g.name, m.status, m.is_moderator, m.answer, m.created_at \
         FROM support_group_members m JOIN support_groups g ON g.id = m.group_id WHERE m.user_id = $1 ORDER BY m.created_at",
    ),
    (
        "notifications.json",
        "Your notifications",
        "SELECT kind, text, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id",
    ),
    (
        "invitations.json",
        "The invitations you sent by e-mail",
        "SELECT to_addr AS address, status, created_at FROM outbox WHERE sender_id = $1 AND kind = 'invite' ORDER BY id",
    ),
    (
        "mails.json",
        "The e-mails we sent you (their text is kept for 30 days; links in them are left out)",
        "SELECT kind, subject, status, created_at, sent_at FROM outbox WHERE user_id = $1 ORDER BY id",
    ),
    (
        "sessions.json",
        "Where you are logged in (dates only)",
        "SELECT 'session' AS what, created_at, expires_at FROM sessions WHERE user_id = $1 \
         UNION ALL SELECT 'remembered browser' AS what, created_at, CAST(NULL AS BIGINT) AS expires_at FROM known_devices WHERE user_id = $1",
    ),
    (
        "saved.json",
        "Posts and replies you saved, with your notes",
        "SELECT s.post_id, s.reply_id, p.title, s.note, s.created_at FROM saved_items s \
         JOIN posts p ON p.id = s.post_id WHERE s.user_id = $1 ORDER BY s.id",
    ),
    (
        "saved_pages.json",
        "Library articles and clinics you saved, with your notes",
        "SELECT a.slug AS article, pr.slug AS provider, s.note, s.created_at FROM saved_refs s \
         LEFT JOIN articles a ON a.id = s.article_id LEFT JOIN providers pr ON pr.id = s.provider_id \
         WHERE s.user_id = $1 ORDER BY s.id",
    ),
    (
        "following.json",
        "Threads, communities and tags you follow or muted",
        "SELECT f.post_id, p.title, c.name AS community, f.tag, f.muted, f.created_at FROM follows f \
         LEFT JOIN posts p ON p.id = f.post_id LEFT JOIN communities c ON c.id = f.community_id \
         WHERE f.user_id = $1 ORDER BY f.id",
    ),
    (
        "pictures.json",
        "Your picture and the pictures you added to posts and replies (the files are in pictures/)",
        "SELECT id, kind, post_id, reply_id, alt, content_type, width, height, created_at FROM images \
         WHERE owner_id = $1 AND kind IN ('avatar', 'post') ORDER BY id",
    ),
    (
        "active_days.json",
        "Days you were active (kept 30 days, for the count of members active)",
        "SELECT day FROM member_days WHERE user_id = $1 ORDER BY day",
    ),
    (
        "blocks.json",
        "Members you blocked",
        "SELECT u.handle AS blocked, b.created_at FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = $1",
    ),
    (
        "reports.json",
        "What you reported to the moderators",
        "SELECT 'post or reply' AS what, post_id AS about, reason, note, created_at, outcome FROM content_reports WHERE reporter_id = $1 \
         UNION ALL SELECT 'message' AS what, message_id AS about, reason, '' AS note, created_at, CAST(NULL AS TEXT) AS outcome \
         FROM message_reports WHERE reporter_id = $1 \
         UNION ALL SELECT 'rating' AS what, review_id AS about, reason, kind AS note, created_at, outcome FROM review_reports WHERE reporter_id = $1 \
         UNION ALL SELECT 'profile' AS what, user_id AS about, reason, note, created_at, outcome FROM profile_reports WHERE reporter_id = $1",
    ),
    (
        "clinician_verification.json",
        "Your clinician verification requests",
        "SELECT licence_number, specialty, status, reason, submitted_at, decided_at FROM clinician_verifications \
         WHERE user_id = $1 ORDER BY id",
    ),
    (
        "audit_log.json",
        "What admins did to your account, and what you did as an admin",
        "SELECT a.action, actor.handle AS by_member, a.detail, a.created_at FROM audit_log a \
         LEFT JOIN users actor ON actor.id = a.actor_id WHERE a.target_user_id = $1 OR a.actor_id = $1 ORDER BY a.id",
    ),
];

/// One row as a JSON object, whatever its columns (both backends).
fn row_json(r: &sqlx::any::AnyRow) -> serde_json::Value {
    let mut obj = serde_json::Map::new();
    for (i, col) in r.columns().iter().enumerate() {
        let name = col.name().to_string();
        let value = if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
            match v {
                Some(ms) if name.ends_with("_at") || name == "erase_after" => {
                    serde_json::Value::String(format_datetime(ms))
                }
                Some(n) => serde_json::Value::from(n),
                None => serde_json::Value::Null,
            }
        } else if let Ok(v) = r.try_get::<Option<String>, _>(i) {
            v.map(serde_json::Value::String)
                .unwrap_or(serde_json::Value::Null)
        } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
            v.map(serde_json::Value::from)
                .unwrap_or(serde_json::Value::Null)
        } else {
            serde_json::Value::Null
        };
        obj.insert(name, value);
    }
    serde_json::Value::Object(obj)
}

/// Everything the member's export holds: (file, description, rows).
async fn gather(
    db: &Db,
    user: UserId,
) -> Result<Vec<(&'static str, &'static str, Vec<serde_json::Value>)>, AppError> {
    let mut out = Vec::with_capacity(KINDS.len());
    for (file, what, sql) in KINDS {
        let rows = sqlx::query(sql).bind(user).fetch_all(&db.pool).await?;
        out.push((*file, *what, rows.iter().map(row_json).collect()));
    }
    Ok(out)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The readable page of the export: what each file holds, the account, and the posts' titles.
fn index_html(handle: &str, made: i64, parts: &[(&str, &str, Vec<serde_json::Value>)]) -> String {
    let mut html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your HealthCommunity data</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         td,th{{text-align:left;padding:.25rem .75rem .25rem 0;vertical-align:top}}</style></head><body>\
         <h1>Your HealthCommunity data</h1><p>For @{h}, made {when}. Each file beside this page holds one kind of data \
         as JSON, which other services can read.</p><table><thead><tr><th>File</th><th>What it holds</th><th>Entries</th></tr></thead><tbody>",
        h = escape(handle),
        when = format_datetime(made)
    );
    for (file, what, rows) in parts {
        html.push_str(&format!(
            "<tr><td><a href=\"{file}\">{file}</a></td><td>{}</td><td>{}</td></tr>",
            escape(what),
            rows.len()
        ));
    }
    html.push_str("</tbody></table>");
    if let Some((_, _, posts)) = parts.iter().find(|(f, _, _)| *f == "posts.json") {
        html.push_str("<h2>Your questions and discussions</h2><ul>");
        for p in posts {
            html.push_str(&format!(
                "<li>{} <small>({})</small></li>",
                escape(p["title"].as_str().unwrap_or("")),
                escape(p["created_at"].as_str().unwrap_or(""))
            ));
        }
        html.push_str("</ul>");
    }
    html.push_str("</body></html>\n");
    html
}

/// A zip archive of `files` (deflated), as any unzip tool and every operating system read it.
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, std::io::Error> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let mut enc =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data)?;
        let packed = enc.finish()?;
        let crc = crc32fast::hash(data);
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
            h.extend_from_slice(&8u16.to_le_bytes()); // deflate
            h.extend_from_slice(&0u16.to_le_bytes()); // time
            h.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&0u16.to_le_bytes()); // comment
                h.extend_from_slice(&0u16.to_le_bytes()); // disk
                h.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend_from_slice(&header(0x0403_4b50, false));
        out.extend_from_slice(&packed);
        central.extend_from_slice(&header(0x0201_4b50, true));
    }
    let dir_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]); // disk numbers
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&dir_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}

/// Builds the member's zip.
pub async fn build(db: &Db, user: UserId) -> Result<Vec<u8>, AppError> {
    let handle: String = sqlx::query_scalar("SELECT handle FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&db.pool)
        .await?;
    let parts = gather(db, user).await?;
    let mut files = vec![(
        "index.html".to_string(),
        index_html(&handle, now_ms(), &parts).into_bytes(),
    )];
    for (file, _, rows) in &parts {
        let json = serde_json::to_vec_pretty(rows).map_err(|_| AppError::Internal)?;
        files.push((file.to_string(), json));
    }
    let pictures: Vec<(i64, String, Vec<u8>)> = sqlx::query_as(
        "SELECT id, content_type, bytes FROM images WHERE owner_id = $1 AND kind IN ('avatar', 'post') ORDER BY id",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    for (id, content_type, bytes) in pictures {
        let ext = if content_type == "image/png" {
            "png"
        } else {
            "jpg"
        };
        files.push((format!("pictures/{id}.{ext}"), bytes));
    }
    zip(&files).map_err(|_| AppError::Internal)
}

/// Asks for an export: refused while one is being prepared, and over [`EXPORTS_PER_DAY`].
pub async fn request(db: &Db, user: UserId) -> Result<(), AppError> {
    let open = sqlx::query(
        "SELECT 1 FROM data_exports WHERE user_id = $1 AND status IN ('pending', 'building')",
    )
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    if open.is_some() {
        return Ok(());
    }
    crate::auth::repo::hit_rate_limit(db, &format!("export:{user}"), EXPORTS_PER_DAY, DAY_MS)
        .await?;
    sqlx::query("INSERT INTO data_exports (user_id, requested_at) VALUES ($1, $2)")
        .bind(user)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// An export's row as `list` reads it.
#[derive(sqlx::FromRow)]
struct ExportRow {
    id: i64,
    status: String,
    requested_at: i64,
    expires_at: Option<i64>,
    size_bytes: i64,
}

/// The member's recent exports, newest first (never the data).
pub async fn list(db: &Db, user: UserId) -> Result<Vec<ExportView>, AppError> {
    let now = now_ms();
    let rows: Vec<ExportRow> = sqlx::query_as(
        "SELECT id, status, requested_at, expires_at, size_bytes FROM data_exports WHERE user_id = $1 ORDER BY id DESC LIMIT 5",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let expires = r.expires_at;
            ExportView {
                id: r.id,
                requested_at: r.requested_at,
                ready: r.status == "ready" && expires.is_some_and(|e| e > now),
                expired: r.status == "ready" && expires.is_some_and(|e| e <= now),
                failed: r.status == "failed",
                expires_at: expires,
                size_bytes: r.size_bytes,
            }
        })
        .collect())
}

/// Claims one waiting export (or one whose builder died) for this process.
async fn claim(db: &Db, now: i64) -> Result<Option<(i64, UserId)>, AppError> {
    let candidate: Option<(i64, UserId)> = sqlx::query_as(
        "SELECT id, user_id FROM data_exports WHERE status IN ('pending', 'building') ORDER BY id LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, user)) = candidate else {
        return Ok(None);
    };
    let claimed = sqlx::query(
        "UPDATE data_exports SET status = 'building', claimed_at = $2 WHERE id = $1 \
         AND (status = 'pending' OR (status = 'building' AND claimed_at < $3))",
    )
    .bind(id)
    .bind(now)
    .bind(now - STALE_MS)
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok((claimed > 0).then_some((id, user)))
}

/// Builds the waiting exports (the background job); the member is told in the app and by
/// e-mail. Returns how many were built.
pub async fn run_pending(db: &Db, base_url: &str) -> Result<u64, AppError> {
    let mut n = 0;
    while let Some((id, user)) = claim(db, now_ms()).await? {
        let data = match build(db, user).await {
            Ok(d) => d,
            Err(e) => {
                sqlx::query("UPDATE data_exports SET status = 'failed' WHERE id = $1")
                    .bind(id)
                    .execute(&db.pool)
                    .await?;
                return Err(e);
            }
        };
        let now = now_ms();
        let expires = now + EXPORT_DAYS * DAY_MS;
        let link = format!("{}{}", base_url.trim_end_matches('/'), download_path(id));
        let mut tx = db.begin_write().await?;
        sqlx::query(
            "UPDATE data_exports SET status = 'ready', ready_at = $2, expires_at = $3, \
             size_bytes = $4, data = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(expires)
        .bind(data.len() as i64)
        .bind(data)
        .execute(&mut *tx)
        .await?;
        tell(&mut tx, base_url, user, &link, expires, now).await?;
        tx.commit().await?;
        db.announce(&[user]).await;
        tracing::info!(user_id = %user, "data export ready");
        n += 1;
    }
    Ok(n)
}

/// "Your data is ready": a notification, and a mail to a proved address.
async fn tell(
    tx: &mut Tx<'_>,
    base_url: &str,
    user: UserId,
    link: &str,
    expires: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, actor_id, text, link, created_at) VALUES ($1, 'account', NULL, $2, $3, $4)",
    )
    .bind(user)
    .bind("Your data is ready to download.")
    .bind("/settings#your-data")
    .bind(now)
    .execute(&mut **tx)
    .await?;
    crate::notifications::repo::recount(tx, user).await?;
    let r: Option<(String, String)> = sqlx::query_as(
        "SELECT handle, email FROM users WHERE id = $1 AND email_verified_at IS NOT NULL",
    )
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((handle, email)) = r {
        let body = format!(
            "Hello @{handle},\n\nThe copy of your HealthCommunity data you asked for is ready: {link}\n\n\
             The link works until {}, only for you (log in as @{handle} if you are asked to). \
             It is a zip file: open index.html in it to see what it holds.\n",
            format_datetime(expires)
        );
        crate::auth::email::account_mail(
            tx,
            base_url,
            user,
            &email,
            "Your data is ready",
            body,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Where an export is downloaded (by its member only, logged in).
pub fn download_path(id: i64) -> String {
    format!("/export/{id}")
}

/// An export, for the member it belongs to: (zip, file name). `NotFound` for an unknown,
/// unfinished, expired or someone else's export (all alike).
pub async fn download(db: &Db, id: i64, user: UserId) -> Result<(Vec<u8>, String), AppError> {
    let (data, handle, ready_at): (Vec<u8>, String, i64) = sqlx::query_as(
        "SELECT e.data, u.handle, e.ready_at FROM data_exports e JOIN users u ON u.id = e.user_id \
         WHERE e.id = $1 AND e.user_id = $2 AND e.status = 'ready' AND e.expires_at > $3",
    )
    .bind(id)
    .bind(user)
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let day = format_datetime(ready_at);
    let date: String = day.split(',').next().unwrap_or("").replace(' ', "-");
    Ok((data, format!("healthcommunity-{handle}-{date}.zip")))
}

/// Deletes exports a day after they expire, and failed ones (the hourly sweep).
pub async fn sweep(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "DELETE FROM data_exports WHERE (status = 'ready' AND expires_at < $1) OR (status = 'failed' AND requested_at < $1)",
    )
    .bind(now - DAY_MS)
    .execute(&db.pool)
    .await?
    .rows_affected())
}
