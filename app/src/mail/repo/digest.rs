//! The daily digest: one mail per member per day with their unread notifications and new answers, claimed across workers.

use super::*;

/// What one run of the digest job did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DigestRun {
    /// Members whose digest day this worker claimed.
    pub claimed: usize,
    /// Digests queued (a member with nothing new gets none).
    pub queued: usize,
}

/// Queues today's digest for every member who opted in and has not had today's yet. Several
/// workers may run this at once: each member's day is claimed by a conditional UPDATE in the
/// transaction that queues the mail, so exactly one worker sends it.
pub async fn run_digests(db: &Db, base_url: &str, now: i64) -> Result<DigestRun, AppError> {
    let today = day_of(now);
    let mut run = DigestRun::default();
    loop {
        let ids: Vec<UserId> = sqlx::query_scalar(
            "SELECT id FROM users WHERE digest_opt_in = 1 AND digest_day < $1 AND email_verified_at IS NOT NULL \
             AND consent_withdrawn_at IS NULL ORDER BY digest_day, id LIMIT 100",
        )
        .bind(today)
        .fetch_all(&db.pool)
        .await?;
        if ids.is_empty() {
            return Ok(run);
        }
        for id in ids {
            let mut tx = db.begin_write().await?;
            let claimed = sqlx::query(
                "UPDATE users SET digest_day = $1 WHERE id = $2 AND digest_opt_in = 1 AND digest_day < $1 \
                 AND email_verified_at IS NOT NULL AND consent_withdrawn_at IS NULL",
            )
            .bind(today)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 1 {
                run.claimed += 1;
                if queue_digest(&mut tx, base_url, id, now).await? {
                    run.queued += 1;
                }
            }
            tx.commit().await?;
        }
    }
}

/// Writes one member's digest (unread notifications of the last day and new answers in their
/// communities); returns false when there is nothing to tell.
async fn queue_digest(
    tx: &mut Tx<'_>,
    base_url: &str,
    user: UserId,
    now: i64,
) -> Result<bool, AppError> {
    let since = now - DAY_MS;
    let base = base_url.trim_end_matches('/');
    let (handle, email, unread, mail_now, mail_never): (String, String, i64, String, String) =
        sqlx::query_as(
            "SELECT handle, email, unread_notifications, mail_now, mail_never FROM users WHERE id = $1",
        )
        .bind(user)
        .fetch_one(&mut **tx)
        .await?;
    // Kinds e-mailed at once, or never by e-mail, stay out of the digest.
    let skip: Vec<String> = [mail_now, mail_never]
        .iter()
        .flat_map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let notes = unread_notes(tx, user, since, &skip).await?;
    let answered = answered_questions(tx, user, since).await?;
    if notes.is_empty() && answered.is_empty() {
        return Ok(false);
    }
    let (subject, body) = compose(&handle, base, unread, &notes, &answered);
    queue(
        tx,
        base_url,
        Mail {
            user: Some(user),
            sender: None,
            kind: "digest",
            to: &email,
            subject,
            body,
        },
        now,
    )
    .await?;
    Ok(true)
}

/// Up to ten unread notifications of the last day, of the kinds the digest carries: (text, link).
async fn unread_notes(
    tx: &mut Tx<'_>,
    user: UserId,
    since: i64,
    skip: &[String],
) -> Result<Vec<(String, String)>, AppError> {
    let notes: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT kind, text, link FROM notifications WHERE user_id = $1 AND read_at IS NULL AND created_at > $2 \
         ORDER BY id DESC LIMIT 50",
    )
    .bind(user)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?;
    Ok(notes
        .into_iter()
        .filter(|(kind, ..)| !skip.contains(kind))
        .take(10)
        .map(|(_, text, link)| (text, link))
        .collect::<Vec<_>>())
}

/// Up to five questions in the member's communities that others answered in the last day:
/// (post id, title, community, new answers).
async fn answered_questions(
    tx: &mut Tx<'_>,
    user: UserId,
    since: i64,
) -> Result<Vec<(i64, String, String, i64)>, AppError> {
    // Questions active in the member's communities during the last day (index on community and
    // last activity), with the answers (top-level replies) others gave since then. Group posts
    // stay out: a digest is about communities (group news arrives as notifications).
    let answered: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.title, c.name AS community, \
           (SELECT COUNT(*) FROM replies r WHERE r.post_id = p.id AND r.parent_id IS NULL \
              AND r.deleted_at IS NULL AND r.held_at IS NULL AND r.removed_at IS NULL AND r.created_at > $2 AND r.author_id <> $1) AS answers \
         FROM community_members m \
         JOIN posts p ON p.community_id = m.community_id \
         JOIN communities c ON c.id = p.community_id \
         WHERE m.user_id = $1 AND p.deleted_at IS NULL AND p.last_activity_at > $2 AND p.kind = 'question' \
           AND p.group_id IS NULL AND ((p.held_at IS NULL AND p.removed_at IS NULL) OR p.author_id = $1) \
         ORDER BY p.last_activity_at DESC LIMIT 30",
    )
    .bind(user)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?;
    Ok(answered
        .into_iter()
        .filter(|a| a.3 > 0)
        .take(5)
        .collect::<Vec<_>>())
}

/// The digest's subject and text.
fn compose(
    handle: &str,
    base: &str,
    unread: i64,
    notes: &[(String, String)],
    answered: &[(i64, String, String, i64)],
) -> (String, String) {
    let mut body =
        format!("Hello @{handle},\n\nHere is what happened on HealthCommunity since yesterday.\n");
    if !notes.is_empty() {
        body.push_str(&format!("\nUnread notifications ({unread} in all):\n"));
        for (text, link) in notes {
            body.push_str(&format!("- {text}\n  {base}{link}\n"));
        }
    }
    if !answered.is_empty() {
        body.push_str("\nNew answers in your communities:\n");
        for (id, title, community, n) in answered {
            let answers = if *n == 1 {
                "1 new answer".to_string()
            } else {
                format!("{n} new answers")
            };
            body.push_str(&format!(
                "- “{title}” ({community}): {answers}\n  {base}/p/{id}\n"
            ));
        }
    }
    body.push_str(&format!("\nAll your notifications: {base}/notifications\n"));
    let subject = match (notes.len(), answered.len()) {
        (0, a) => format!(
            "Your HealthCommunity digest: new answers to {a} question{}",
            plural(a)
        ),
        (n, 0) => format!(
            "Your HealthCommunity digest: {n} new notification{}",
            plural(n)
        ),
        (n, a) => format!(
            "Your HealthCommunity digest: {n} new notification{}, answers to {a} question{}",
            plural(n),
            plural(a)
        ),
    };
    (subject, body)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
