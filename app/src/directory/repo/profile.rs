//! A provider's page: editing its profile (with the change log) and reading it with its ratings and reviews.

use super::*;

/// Staff (or an admin) save the profile; the change log records which fields changed.
pub async fn update_profile(
    db: &Db,
    actor: &CurrentUser,
    slug: &str,
    p: &ProfileInput,
) -> Result<(), AppError> {
    let (id, _) = provider(db, slug).await?;
    require_staff(db, id, actor).await?;
    let old = current_input(db, id).await?;
    let p = &placed(db, &old, p).await?;
    let community_ids = condition_ids(db, &p.conditions).await?;
    let changed = changed_fields(&old, p);
    if changed.is_empty() {
        return Ok(());
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE providers SET name = $1, description = $2, address = $3, city = $4, city_key = $5, postal_code = $6, \
           lat = $7, lon = $8, phone = $9, website = $10, specialties = $11, languages = $12, opening_hours = $13, \
           accepting = $14, colour = $15, updated_at = $16 WHERE id = $17",
    )
    .bind(&p.name)
    .bind(&p.description)
    .bind(&p.address)
    .bind(&p.city)
    .bind(p.city.to_lowercase())
    .bind(&p.postal_code)
    .bind(p.lat)
    .bind(p.lon)
    .bind(&p.phone)
    .bind(&p.website)
    .bind(padded(&p.specialties))
    .bind(padded(&p.languages))
    .bind(&p.opening_hours)
    .bind(p.accepting as i64)
    .bind(&p.colour)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM provider_conditions WHERE provider_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for c in community_ids {
        sqlx::query(
            "INSERT INTO provider_conditions (provider_id, community_id, rating_avg_x100, rating_count) \
             SELECT id, $2, rating_avg_x100, rating_count FROM providers WHERE id = $1 ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(c)
        .execute(&mut *tx)
        .await?;
    }
    let summary = format!("changed {}", change_summary(&changed));
    log_change(&mut *tx, id, actor.id, &summary).await?;
    tx.commit().await?;
    Ok(())
}

/// The profile with its map position: placed from the address when the position is left empty,
/// or when the clinic moved to another city and the position stayed (staff adjust the pin by
/// changing the numbers). A new or corrected postal code in the same city keeps a pin set by hand.
async fn placed(db: &Db, old: &ProfileInput, p: &ProfileInput) -> Result<ProfileInput, AppError> {
    let moved = fold_city(&old.city) != fold_city(&p.city) && !old.city.trim().is_empty();
    let mut p = p.clone();
    if p.lat.is_none() || (moved && p.lat == old.lat && p.lon == old.lon) {
        match crate::places::repo::locate(db, &p.postal_code, &p.city).await? {
            Some(found) => {
                p.lat = Some(round4(found.lat));
                p.lon = Some(round4(found.lon));
            }
            None if p.lat.is_none() && !(p.postal_code.is_empty() && p.city.is_empty()) => {
                return Err(AppError::field(
                    "postal_code",
                    "We could not find this postal code or city. Check them, or enter the latitude and longitude.",
                ));
            }
            None => {}
        }
    }
    Ok(p)
}

/// The communities of the conditions a provider treats, by slug (an unknown one is a field error).
async fn condition_ids(db: &Db, conditions: &[String]) -> Result<Vec<i64>, AppError> {
    let mut community_ids = Vec::new();
    for c in conditions {
        let id: i64 = sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
            .bind(c)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| {
                AppError::field("conditions", format!("There is no community “{c}”."))
            })?;
        community_ids.push(id);
    }
    Ok(community_ids)
}

/// The names of the parts of a profile that an edit changes (for the change history).
fn changed_fields(old: &ProfileInput, p: &ProfileInput) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let fields: [(&str, bool); 13] = [
        ("name", old.name != p.name),
        ("description", old.description != p.description),
        (
            "address",
            old.address != p.address || old.city != p.city || old.postal_code != p.postal_code,
        ),
        ("map position", old.lat != p.lat || old.lon != p.lon),
        ("phone", old.phone != p.phone),
        ("website", old.website != p.website),
        ("specialties", old.specialties != p.specialties),
        ("languages", old.languages != p.languages),
        ("opening hours", old.opening_hours != p.opening_hours),
        ("accepting new patients", old.accepting != p.accepting),
        ("colour", old.colour != p.colour),
        ("conditions", {
            let (mut a, mut b) = (old.conditions.clone(), p.conditions.clone());
            a.sort();
            b.sort();
            a != b
        }),
        ("", false),
    ];
    for (name, differs) in fields {
        if differs {
            changed.push(name);
        }
    }
    changed
}

/// A provider's profile as its edit form starts from it.
#[derive(sqlx::FromRow)]
struct InputRow {
    name: String,
    description: String,
    address: String,
    city: String,
    postal_code: String,
    lat: Option<f64>,
    lon: Option<f64>,
    phone: String,
    website: String,
    specialties: String,
    languages: String,
    opening_hours: String,
    accepting: Flag,
    colour: String,
}

pub(super) async fn current_input(db: &Db, id: i64) -> Result<ProfileInput, AppError> {
    // Named columns: PostgreSQL's `words` (a tsvector) is no type the pool's rows can carry.
    let r: InputRow = sqlx::query_as(
        "SELECT name, description, address, city, postal_code, lat, lon, phone, website, \
         specialties, languages, opening_hours, accepting, colour FROM providers WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let conditions = sqlx::query_scalar::<_, String>(
        "SELECT c.slug FROM provider_conditions pc JOIN communities c ON c.id = pc.community_id \
         WHERE pc.provider_id = $1 ORDER BY c.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(ProfileInput {
        name: r.name,
        description: r.description,
        address: r.address,
        city: r.city,
        postal_code: r.postal_code,
        lat: r.lat,
        lon: r.lon,
        phone: r.phone,
        website: r.website,
        specialties: keys_of(&r.specialties),
        languages: keys_of(&r.languages),
        opening_hours: r.opening_hours,
        accepting: r.accepting.get(),
        colour: r.colour,
        conditions,
    })
}

// ---------------------------------------------------------------- reading a profile

/// The columns of [`REVIEW_COLUMNS`].
#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    author: String,
    stars: i64,
    explains: Option<i64>,
    listens: Option<i64>,
    premises: Option<i64>,
    wait_minutes: Option<i64>,
    body: String,
    treatment: String,
    verified_visit: Flag,
    hidden: Flag,
    reply_body: Option<String>,
    reply_at: Option<i64>,
    disputed_at: Option<i64>,
    dispute_note: Option<String>,
    created_at: i64,
    updated_at: i64,
    versions: i64,
}

pub(super) fn review(r: &AnyRow) -> Result<ReviewView, sqlx::Error> {
    let r = ReviewRow::from_row(r)?;
    Ok(ReviewView {
        id: r.id,
        author: r.author,
        stars: r.stars,
        explains: r.explains,
        listens: r.listens,
        premises: r.premises,
        wait_minutes: r.wait_minutes,
        body: r.body,
        treatment: r.treatment,
        verified_visit: r.verified_visit.get(),
        hidden: r.hidden.get(),
        reply: r.reply_body,
        reply_at: r.reply_at,
        disputed: r.disputed_at.is_some(),
        dispute_note: r.dispute_note,
        created_at: r.created_at,
        updated_at: r.updated_at,
        versions: r.versions,
    })
}

pub(super) const REVIEW_COLUMNS: &str = "r.id, u.handle AS author, r.stars, r.explains, r.listens, r.premises, r.wait_minutes, \
    r.body, r.treatment, r.verified_visit, r.hidden, r.reply_body, r.reply_at, r.disputed_at, r.dispute_note, \
    r.created_at, r.updated_at, (SELECT COUNT(*) FROM review_versions v WHERE v.review_id = r.id) AS versions";

/// The columns a provider's page reads beside its card's.
#[derive(sqlx::FromRow)]
struct DetailRow {
    specialties: String,
    description: String,
    address: String,
    postal_code: String,
    lat: Option<f64>,
    lon: Option<f64>,
    phone: String,
    website: String,
    languages: String,
    opening_hours: String,
    licence_number: String,
}

/// A provider's conditions, and its clinicians (a clinic's) or clinics (a clinician's).
async fn links(
    db: &Db,
    id: i64,
    kind: ProviderKind,
) -> Result<(Vec<NamedLink>, Vec<NamedLink>), AppError> {
    let conditions = sqlx::query_as(
        "SELECT c.slug, c.name FROM provider_conditions pc JOIN communities c ON c.id = pc.community_id \
         WHERE pc.provider_id = $1 ORDER BY c.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let linked_sql = if kind == ProviderKind::Clinic {
        "SELECT p.slug, p.name FROM provider_clinicians l JOIN providers p ON p.id = l.clinician_id \
         WHERE l.clinic_id = $1 ORDER BY p.name LIMIT 100"
    } else {
        "SELECT p.slug, p.name FROM provider_clinicians l JOIN providers p ON p.id = l.clinic_id \
         WHERE l.clinician_id = $1 ORDER BY p.name LIMIT 100"
    };
    let linked = sqlx::query_as(linked_sql)
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    Ok((conditions, linked))
}

/// A provider's reviews as `viewer` may read them, and the viewer's own.
async fn reviews_for(
    db: &Db,
    id: i64,
    viewer: Option<&CurrentUser>,
    vw: &ProviderViewer,
) -> Result<(Vec<ReviewView>, Option<ReviewView>), AppError> {
    let is_admin = vw.is_admin;
    // Hidden reviews are for admins (and, as their own, for their authors).
    let sql = format!(
        "SELECT {REVIEW_COLUMNS} FROM reviews r JOIN users u ON u.id = r.author_id \
         WHERE r.provider_id = $1 AND (r.hidden = 0 OR $2 = 1 OR r.author_id = $3) \
         ORDER BY r.updated_at DESC, r.id DESC LIMIT 100"
    );
    let viewer_id = viewer.map(|u| u.id).unwrap_or_default();
    let mut reviews = sqlx::query(&sql)
        .bind(id)
        .bind(is_admin as i64)
        .bind(viewer_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(review)
        .collect::<Result<Vec<_>, _>>()?;
    let own_review = match viewer {
        Some(u) => reviews.iter().find(|r| r.author == u.handle).cloned(),
        None => None,
    };
    // The dispute note is between the provider, the reviewer and the admins; the treatment
    // the reviewer describes for a dispute is their health data: the reviewer and the admins
    // who decide the dispute only.
    for r in &mut reviews {
        let own = viewer.is_some_and(|u| u.handle == r.author);
        if !(own || vw.is_staff) {
            r.dispute_note = None;
        }
        if !(own || is_admin) {
            r.treatment.clear();
        }
    }
    Ok((reviews, own_review))
}

/// Who staffs a provider and what was changed on its profile (for its staff and admins).
async fn staff_and_changes(
    db: &Db,
    id: i64,
) -> Result<(Vec<StaffEntry>, Vec<ChangeEntry>), AppError> {
    let staff = sqlx::query_as::<_, (String, String)>(
        "SELECT u.handle, s.role FROM provider_staff s JOIN users u ON u.id = s.user_id \
         WHERE s.provider_id = $1 ORDER BY s.role, u.handle LIMIT 200",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|(handle, role)| StaffEntry {
        handle,
        owner: role == "owner",
    })
    .collect();
    let changes = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT COALESCE(u.handle, '') AS actor, c.summary, c.created_at FROM provider_changes c \
         LEFT JOIN users u ON u.id = c.actor_id WHERE c.provider_id = $1 ORDER BY c.id DESC LIMIT 50",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|(actor, summary, at)| ChangeEntry { actor, summary, at })
    .collect();
    Ok((staff, changes))
}

/// A provider's page: the profile, its reviews (newest first, the latest 100), and what the viewer may do.
pub async fn detail(
    db: &Db,
    slug: &str,
    viewer: Option<&CurrentUser>,
) -> Result<ProviderDetail, AppError> {
    let sql = format!(
        "SELECT {CARD_COLUMNS}, p.description, p.address, p.postal_code, p.phone, p.website, p.languages, \
           p.opening_hours, p.licence_number FROM providers p WHERE p.slug = $1"
    );
    let r = sqlx::query(&sql)
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let id: i64 = r.try_get("id")?;
    let card = card(&r)?;
    let more = DetailRow::from_row(&r)?;
    let role = match viewer {
        Some(u) => staff_role(db, id, u.id).await?,
        None => None,
    };
    let is_admin = viewer.is_some_and(|u| u.is_admin);
    let vw = ProviderViewer {
        logged_in: viewer.is_some(),
        is_staff: role.is_some() || is_admin,
        is_owner: role == Some(true) || is_admin,
        is_admin,
        own_staff: role.is_some(),
    };
    let (conditions, linked) = links(db, id, card.kind).await?;
    let (reviews, own_review) = reviews_for(db, id, viewer, &vw).await?;
    let (staff, changes) = if vw.is_staff {
        staff_and_changes(db, id).await?
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ProviderDetail {
        specialty_keys: keys_of(&more.specialties),
        card,
        description: more.description,
        address: more.address,
        postal_code: more.postal_code,
        lat: more.lat,
        lon: more.lon,
        phone: more.phone,
        website: more.website,
        languages: keys_of(&more.languages),
        opening_hours: more.opening_hours,
        licence_number: more.licence_number,
        conditions,
        linked,
        reviews,
        own_review,
        viewer: vw,
        staff,
        changes,
        my_invitations: match viewer {
            Some(u) => crate::directory::consent::pending_for(db, id, u).await?,
            None => Vec::new(),
        },
        saved: None,
        photos: crate::pictures::repo::of_provider(db, id).await?,
    })
}

pub(super) fn named(r: &AnyRow) -> Result<NamedLink, sqlx::Error> {
    NamedLink::from_row(r)
}

// ---------------------------------------------------------------- search
