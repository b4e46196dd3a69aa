//! Contact requests: a member writes to a clinic, the clinic's inbox and the thread both sides answer in.

use super::*;

/// A member asks a clinic for contact or an appointment; returns the request's id.
pub async fn contact(
    db: &Db,
    base_url: &str,
    user: &CurrentUser,
    slug: &str,
    c: &ContactInput,
) -> Result<i64, AppError> {
    let (id, kind) = provider(db, slug).await?;
    if kind != ProviderKind::Clinic {
        return Err(AppError::BadRequest);
    }
    crate::auth::repo::hit_rate_limit(db, &format!("contact:{}", user.id), 10, DAY_MS).await?;
    let now = now_ms();
    let request: i64 = sqlx::query_scalar(
        "INSERT INTO contact_requests (provider_id, member_id, reason, preferred_times, contact_via, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(id)
    .bind(user.id)
    .bind(&c.reason)
    .bind(&c.preferred_times)
    .bind(&c.contact_via)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    // The clinic's staff are told in the app and by e-mail (to a confirmed address), without the
    // member's reason: that is health data and stays on the site.
    let name: String = sqlx::query_scalar("SELECT name FROM providers WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let staff: Vec<(UserId, String, Option<i64>)> = sqlx::query_as(
        "SELECT u.id, u.email, u.email_verified_at FROM provider_staff s JOIN users u ON u.id = s.user_id \
         WHERE s.provider_id = $1 LIMIT 50",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let line = format!("A member sent {name} a contact request");
    let link = format!("/directory/{slug}/inbox");
    let base = base_url.trim_end_matches('/');
    let mut tx = db.begin_write().await?;
    let mut told = Vec::new();
    for (to, email, verified_at) in staff {
        // Turning the notification off in Settings turns the e-mail off too.
        if !crate::notifications::repo::add(&mut tx, to, "request", user.id, &line, &link).await? {
            continue;
        }
        told.push(to);
        if verified_at.is_some() {
            crate::mail::repo::queue(
                &mut tx,
                base_url,
                crate::mail::repo::Mail {
                    user: Some(to),
                    sender: None,
                    kind: "request",
                    to: &email,
                    subject: format!("A new contact request to {name}"),
                    body: format!(
                        "A member sent {name} a contact request on HealthCommunity.\n\n\
                         Read it and answer in the clinic's inbox: {base}{link}\n\n\
                         This e-mail does not contain the request; it stays on the site."
                    ),
                },
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    db.announce(&told).await;
    Ok(request)
}

pub(super) const CONTACT_COLUMNS: &str = "cr.id, p.slug AS provider_slug, p.name AS provider_name, u.handle AS member, \
    cr.reason, cr.status, cr.updated_at, cr.preferred_times, cr.contact_via, cr.provider_id, cr.member_id";

/// A request as `thread` reads it: its summary and what only the thread shows.
#[derive(sqlx::FromRow)]
struct RequestRow {
    #[sqlx(flatten)]
    summary: ContactSummary,
    preferred_times: String,
    contact_via: String,
    provider_id: i64,
    member_id: UserId,
}

/// A message of a request's thread, as stored.
#[derive(sqlx::FromRow)]
struct MessageRow {
    handle: String,
    body: String,
    created_at: i64,
    from_clinic: Flag,
}

/// A clinic's inbox (staff only), most recently active first.
pub async fn inbox(db: &Db, user: &CurrentUser, slug: &str) -> Result<ClinicRequests, AppError> {
    let (id, _) = provider(db, slug).await?;
    require_own_staff(db, id, user).await?;
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contact_requests cr JOIN providers p ON p.id = cr.provider_id \
         JOIN users u ON u.id = cr.member_id WHERE cr.provider_id = $1 ORDER BY cr.updated_at DESC, cr.id DESC LIMIT 100"
    );
    let requests = sqlx::query_as(&sql).bind(id).fetch_all(&db.pool).await?;
    let clinic = sqlx::query_scalar("SELECT name FROM providers WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    Ok(ClinicRequests { clinic, requests })
}

/// The member's own requests.
pub async fn my_requests(db: &Db, user: &CurrentUser) -> Result<Vec<ContactSummary>, AppError> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contact_requests cr JOIN providers p ON p.id = cr.provider_id \
         JOIN users u ON u.id = cr.member_id WHERE cr.member_id = $1 ORDER BY cr.updated_at DESC, cr.id DESC LIMIT 100"
    );
    Ok(sqlx::query_as(&sql)
        .bind(user.id)
        .fetch_all(&db.pool)
        .await?)
}

/// One request with its messages: for the member who sent it and that clinic's staff; anyone
/// else gets "not found" (so the request's existence does not leak).
pub async fn thread(db: &Db, user: &CurrentUser, id: i64) -> Result<ContactThread, AppError> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contact_requests cr JOIN providers p ON p.id = cr.provider_id \
         JOIN users u ON u.id = cr.member_id WHERE cr.id = $1"
    );
    let r: RequestRow = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_staff = staff_role(db, r.provider_id, user.id).await?.is_some();
    if !is_staff && r.member_id != user.id {
        return Err(AppError::NotFound);
    }
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT u.handle, m.body, m.created_at, \
           CASE WHEN m.author_id = cr.member_id THEN 0 ELSE 1 END AS from_clinic \
         FROM contact_messages m JOIN contact_requests cr ON cr.id = m.request_id JOIN users u ON u.id = m.author_id \
         WHERE m.request_id = $1 ORDER BY m.id LIMIT 500",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(ContactThread {
        summary: r.summary,
        preferred_times: r.preferred_times,
        contact_via: r.contact_via,
        messages: rows
            .into_iter()
            .map(|m| ContactMessage {
                author: m.handle,
                from_clinic: m.from_clinic.get(),
                body: m.body,
                at: m.created_at,
            })
            .collect(),
        viewer_is_staff: is_staff,
    })
}

/// A message in the thread. Staff answering marks the request "answered" (or "closed" when they
/// close it); a member writing again opens it as "new".
pub async fn answer(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    body: &str,
    close: bool,
) -> Result<(), AppError> {
    let t = thread(db, user, id).await?;
    let status = match (t.viewer_is_staff, close) {
        (true, true) => "closed",
        (true, false) => "answered",
        (false, _) => "new",
    };
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if !body.is_empty() {
        sqlx::query(
            "INSERT INTO contact_messages (request_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(user.id)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE contact_requests SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // The member hears about the clinic's answer (not about their own messages).
    let member: UserId = sqlx::query_scalar("SELECT member_id FROM contact_requests WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let mut notified = false;
    if t.viewer_is_staff && !body.is_empty() {
        let line = format!("{} answered your request", t.summary.provider_name);
        let link = format!("/requests/{id}");
        notified = crate::notifications::repo::add(
            &mut tx,
            member,
            "request_answer",
            user.id,
            &line,
            &link,
        )
        .await?;
    }
    tx.commit().await?;
    if notified {
        db.announce(&[member]).await;
    }
    Ok(())
}
