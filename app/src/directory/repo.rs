//! Server-only directory storage: providers and staff, place search, ratings with history and aggregates, codes, disputes, contact requests.

use super::types::*;
use crate::auth::types::{ClinicianStatus, CurrentUser};
use crate::db::{is_unique_violation, now_ms, Db};
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::Row;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

const CARD_COLUMNS: &str = "p.id, p.slug, p.kind, p.name, p.logo_id, p.city, p.specialties, p.accepting, p.colour, \
    p.lat, p.lon, p.rating_count, p.rating_avg_x100, p.stars_1, p.stars_2, p.stars_3, p.stars_4, p.stars_5, \
    p.explains_avg_x100, p.listens_avg_x100, p.premises_avg_x100, p.wait_avg_minutes";

/// A value bound to a query built at run time.
enum Bind {
    Text(String),
    Int(i64),
    Float(f64),
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s.as_str()),
            Bind::Int(i) => q.bind(*i),
            Bind::Float(f) => q.bind(*f),
        };
    }
    q
}

fn keys_of(padded: &str) -> Vec<String> {
    padded.split_whitespace().map(str::to_string).collect()
}

pub(super) fn padded(keys: &[String]) -> String {
    format!(" {} ", keys.join(" "))
}

fn card(r: &AnyRow) -> Result<ProviderCard, sqlx::Error> {
    Ok(ProviderCard {
        slug: r.try_get("slug")?,
        logo: r.try_get("logo_id")?,
        kind: ProviderKind::parse(&r.try_get::<String, _>("kind")?),
        name: r.try_get("name")?,
        city: r.try_get("city")?,
        specialties: keys_of(&r.try_get::<String, _>("specialties")?)
            .iter()
            .map(|k| label(SPECIALTIES, k))
            .collect(),
        accepting: r.try_get::<i64, _>("accepting")? == 1,
        colour: r.try_get("colour")?,
        distance_km: None,
        position: None,
        rating: RatingSummary {
            count: r.try_get("rating_count")?,
            avg_x100: r.try_get("rating_avg_x100")?,
            histogram: [
                r.try_get("stars_1")?,
                r.try_get("stars_2")?,
                r.try_get("stars_3")?,
                r.try_get("stars_4")?,
                r.try_get("stars_5")?,
            ],
            explains_x100: r.try_get("explains_avg_x100")?,
            listens_x100: r.try_get("listens_avg_x100")?,
            premises_x100: r.try_get("premises_avg_x100")?,
            wait_minutes: r.try_get("wait_avg_minutes")?,
        },
    })
}

/// A provider's id and kind by slug.
pub(crate) async fn provider(db: &Db, slug: &str) -> Result<(i64, ProviderKind), AppError> {
    let r = sqlx::query("SELECT id, kind FROM providers WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        r.try_get("id")?,
        ProviderKind::parse(&r.try_get::<String, _>("kind")?),
    ))
}

/// `Some(is_owner)` when the user is staff of the provider (a clinician is owner of their own profile).
pub(super) async fn staff_role(
    db: &Db,
    provider_id: i64,
    user_id: i64,
) -> Result<Option<bool>, AppError> {
    let r = sqlx::query("SELECT role FROM provider_staff WHERE provider_id = $1 AND user_id = $2")
        .bind(provider_id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(match r {
        Some(r) => Some(r.try_get::<String, _>("role")? == "owner"),
        None => None,
    })
}

/// Staff of the provider, or an admin (for editing the public profile, which the change log records).
pub(crate) async fn require_staff(
    db: &Db,
    provider_id: i64,
    user: &CurrentUser,
) -> Result<bool, AppError> {
    match staff_role(db, provider_id, user.id).await? {
        Some(owner) => Ok(owner),
        None if user.is_admin => Ok(true),
        None => Err(AppError::Forbidden),
    }
}

/// The provider's own staff, with no admin exception: a clinic's contact requests are between
/// the member and that clinic, and its review codes vouch for real visits, so the operator's
/// admins reach neither.
async fn require_own_staff(
    db: &Db,
    provider_id: i64,
    user: &CurrentUser,
) -> Result<bool, AppError> {
    staff_role(db, provider_id, user.id)
        .await?
        .ok_or(AppError::Forbidden)
}

pub(super) async fn user_id_by_handle(db: &Db, handle: &str) -> Result<Option<AnyRow>, AppError> {
    Ok(sqlx::query(
        "SELECT id, handle, kind, clinician_status, specialty FROM users WHERE handle = $1",
    )
    .bind(handle.trim().trim_start_matches('@').to_lowercase())
    .fetch_optional(&db.pool)
    .await?)
}

/// Records who changed what on a provider's profile (on the pool or inside a transaction).
pub(super) async fn log_change<'e, E>(
    exec: E,
    provider_id: i64,
    actor: i64,
    summary: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO provider_changes (provider_id, actor_id, summary, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(provider_id)
    .bind(actor)
    .bind(summary)
    .bind(now_ms())
    .execute(exec)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- clinics and staff

pub struct NewClinic {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub owner: String,
}

fn fold_city(city: &str) -> String {
    crate::places::types::fold(city)
}

/// A coordinate to four decimals (about 10 m), as staff would type it.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// An admin creates a clinic and makes a member its owner.
pub async fn create_clinic(db: &Db, admin: &CurrentUser, c: &NewClinic) -> Result<(), AppError> {
    let owner = user_id_by_handle(db, &c.owner)
        .await?
        .ok_or_else(|| AppError::field("owner", "No member has this handle."))?;
    let owner_id: i64 = owner.try_get("id")?;
    // Without a position the clinic starts at its city's (staff refine it from the postal code).
    let (lat, lon) = match c.lat.zip(c.lon) {
        Some((lat, lon)) => (Some(lat), Some(lon)),
        None => match crate::places::repo::locate(db, "", &c.city).await? {
            Some(f) => (Some(round4(f.lat)), Some(round4(f.lon))),
            None => (None, None),
        },
    };
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO providers (kind, slug, name, city, city_key, lat, lon, created_at, updated_at) \
         VALUES ('clinic', $1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(&c.slug)
    .bind(&c.name)
    .bind(&c.city)
    .bind(c.city.to_lowercase())
    .bind(lat)
    .bind(lon)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e, "providers_slug_key") {
            AppError::field("slug", "Another provider already uses this address.")
        } else {
            AppError::from(e)
        }
    })?
    .try_get("id")?;
    sqlx::query(
        "INSERT INTO provider_staff (provider_id, user_id, role, added_by, added_at) VALUES ($1, $2, 'owner', $3, $4)",
    )
    .bind(id)
    .bind(owner_id)
    .bind(admin.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let summary = format!(
        "created the clinic with @{} as owner",
        owner.try_get::<String, _>("handle")?
    );
    log_change(&mut *tx, id, admin.id, &summary).await?;
    let detail = format!(
        "{} ({}), owner @{}",
        c.name,
        c.slug,
        c.owner.trim_start_matches('@')
    );
    crate::admin::repo::audit(&mut tx, admin.id, "clinic.create", Some(owner_id), &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Owners (or admins) add or remove clinic staff.
pub async fn set_staff(
    db: &Db,
    actor: &CurrentUser,
    slug: &str,
    handle: &str,
    add: bool,
    owner: bool,
) -> Result<(), AppError> {
    let (id, kind) = provider(db, slug).await?;
    if kind != ProviderKind::Clinic {
        return Err(AppError::BadRequest);
    }
    let actor_is_owner = staff_role(db, id, actor.id).await? == Some(true);
    if !actor_is_owner && !actor.is_admin {
        return Err(AppError::Forbidden);
    }
    let user = user_id_by_handle(db, handle)
        .await?
        .ok_or_else(|| AppError::field("handle", "No member has this handle."))?;
    let (user_id, user_handle): (i64, String) = (user.try_get("id")?, user.try_get("handle")?);
    // Joining a clinic's staff bars the member from rating it: it is theirs to accept.
    if add && staff_role(db, id, user_id).await?.is_none() {
        let role = if owner {
            super::types::InviteRole::Owner
        } else {
            super::types::InviteRole::Staff
        };
        return super::consent::invite(db, actor, id, slug, user_id, &user_handle, role).await;
    }
    if add {
        sqlx::query(
            "INSERT INTO provider_staff (provider_id, user_id, role, added_by, added_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (provider_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(id)
        .bind(user_id)
        .bind(if owner { "owner" } else { "staff" })
        .bind(actor.id)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
        log_change(
            &db.pool,
            id,
            actor.id,
            &format!(
                "added @{user_handle} as {}",
                if owner { "owner" } else { "staff" }
            ),
        )
        .await
    } else {
        if staff_role(db, id, user_id).await?.is_none() {
            return Err(AppError::field(
                "handle",
                "This member is not on the staff.",
            ));
        }
        let owners: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM provider_staff WHERE provider_id = $1 AND role = 'owner' AND user_id <> $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
        if owners == 0 {
            return Err(AppError::field(
                "handle",
                "A clinic keeps at least one owner.",
            ));
        }
        sqlx::query("DELETE FROM provider_staff WHERE provider_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&db.pool)
            .await?;
        log_change(
            &db.pool,
            id,
            actor.id,
            &format!("removed @{user_handle} from the staff"),
        )
        .await
    }
}

/// Clinic staff list (or unlist) a verified clinician at their clinic. Listing is an
/// invitation the clinician accepts (their directory profile, with the licence number, is
/// public); unlisting takes effect at once.
pub async fn set_clinician(
    db: &Db,
    actor: &CurrentUser,
    slug: &str,
    handle: &str,
    add: bool,
) -> Result<(), AppError> {
    let (clinic_id, kind) = provider(db, slug).await?;
    if kind != ProviderKind::Clinic {
        return Err(AppError::BadRequest);
    }
    require_staff(db, clinic_id, actor).await?;
    let user = user_id_by_handle(db, handle)
        .await?
        .ok_or_else(|| AppError::field("clinician", "No member has this handle."))?;
    let user_id: i64 = user.try_get("id")?;
    let user_handle: String = user.try_get("handle")?;
    if ClinicianStatus::from_db(&user.try_get::<String, _>("clinician_status")?)
        != ClinicianStatus::Verified
    {
        return Err(AppError::field(
            "clinician",
            "Only clinicians verified by the operator can be listed.",
        ));
    }
    let listed = sqlx::query(
        "SELECT p.id FROM providers p JOIN provider_clinicians l ON l.clinician_id = p.id \
         WHERE p.user_id = $1 AND l.clinic_id = $2",
    )
    .bind(user_id)
    .bind(clinic_id)
    .fetch_optional(&db.pool)
    .await?;
    match (add, listed) {
        (true, Some(_)) => Ok(()),
        // Staff listing themselves: their own act is their consent.
        (true, None) if user_id == actor.id => {
            list_clinician(db, clinic_id, user_id, actor.id).await
        }
        (true, None) => {
            super::consent::invite(
                db,
                actor,
                clinic_id,
                slug,
                user_id,
                &user_handle,
                super::types::InviteRole::Clinician,
            )
            .await
        }
        (false, None) => Err(AppError::field(
            "clinician",
            "This clinician is not listed here.",
        )),
        (false, Some(r)) => {
            let clinician_id: i64 = r.try_get("id")?;
            sqlx::query(
                "DELETE FROM provider_clinicians WHERE clinic_id = $1 AND clinician_id = $2",
            )
            .bind(clinic_id)
            .bind(clinician_id)
            .execute(&db.pool)
            .await?;
            log_change(
                &db.pool,
                clinic_id,
                actor.id,
                &format!("unlisted @{user_handle}"),
            )
            .await
        }
    }
}

/// Lists the verified clinician `user_id` at the clinic (they accepted): their own directory
/// profile is made the first time, placed at the clinic, with the licence number they were
/// verified with; they own it.
pub(super) async fn list_clinician(
    db: &Db,
    clinic_id: i64,
    user_id: i64,
    invited_by: i64,
) -> Result<(), AppError> {
    let user = sqlx::query("SELECT handle, specialty FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    let user_handle: String = user.try_get("handle")?;
    let existing = sqlx::query("SELECT id FROM providers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    let clinician_id: i64 = match existing {
        Some(r) => r.try_get("id")?,
        None => {
            let specialty = user
                .try_get::<Option<String>, _>("specialty")?
                .unwrap_or_default()
                .to_lowercase();
            let specialties = SPECIALTIES
                .iter()
                .find(|(k, _)| specialty.contains(k.trim_end_matches("-practice")))
                .map(|(k, _)| padded(&[k.to_string()]))
                .unwrap_or_else(|| " ".into());
            let licence: Option<String> = sqlx::query(
                "SELECT licence_number FROM clinician_verifications WHERE user_id = $1 AND status = 'verified' \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?
            .map(|r| r.try_get("licence_number"))
            .transpose()?;
            let now = now_ms();
            let mut tx = db.begin_write().await?;
            let id: i64 = sqlx::query(
                "INSERT INTO providers (kind, slug, user_id, name, city, city_key, postal_code, lat, lon, specialties, \
                   languages, licence_number, created_at, updated_at) \
                 SELECT 'clinician', $1, $2, $3, c.city, c.city_key, c.postal_code, c.lat, c.lon, $4, c.languages, $5, $6, $6 \
                 FROM providers c WHERE c.id = $7 RETURNING id",
            )
            .bind(&user_handle)
            .bind(user_id)
            .bind(&user_handle)
            .bind(specialties)
            .bind(licence.unwrap_or_default())
            .bind(now)
            .bind(clinic_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            sqlx::query(
                "INSERT INTO provider_staff (provider_id, user_id, role, added_by, added_at) VALUES ($1, $2, 'owner', $3, $4)",
            )
            .bind(id)
            .bind(user_id)
            .bind(invited_by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            id
        }
    };
    sqlx::query(
        "INSERT INTO provider_clinicians (clinic_id, clinician_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(clinic_id)
    .bind(clinician_id)
    .execute(&db.pool)
    .await?;
    log_change(&db.pool, clinic_id, user_id, "accepted to be listed here").await
}

/// Every field staff edit on a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileInput {
    pub name: String,
    pub description: String,
    pub address: String,
    pub city: String,
    pub postal_code: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: String,
    pub website: String,
    pub specialties: Vec<String>,
    pub languages: Vec<String>,
    pub opening_hours: String,
    pub accepting: bool,
    pub colour: String,
    pub conditions: Vec<String>,
}

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
    // Placed from the address when the position is left empty, or when the clinic moved to
    // another city and the position stayed (staff adjust the pin by changing the numbers). A new
    // or corrected postal code in the same city keeps a pin set by hand.
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
    let p = &p;
    let mut community_ids = Vec::new();
    for c in &p.conditions {
        let r = sqlx::query("SELECT id FROM communities WHERE slug = $1")
            .bind(c)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| {
                AppError::field("conditions", format!("There is no community “{c}”."))
            })?;
        community_ids.push(r.try_get::<i64, _>("id")?);
    }
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
            "INSERT INTO provider_conditions (provider_id, community_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
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

async fn current_input(db: &Db, id: i64) -> Result<ProfileInput, AppError> {
    let r = sqlx::query("SELECT * FROM providers WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let conditions = sqlx::query(
        "SELECT c.slug FROM provider_conditions pc JOIN communities c ON c.id = pc.community_id \
         WHERE pc.provider_id = $1 ORDER BY c.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("slug"))
    .collect::<Result<Vec<_>, _>>()?;
    Ok(ProfileInput {
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        address: r.try_get("address")?,
        city: r.try_get("city")?,
        postal_code: r.try_get("postal_code")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        phone: r.try_get("phone")?,
        website: r.try_get("website")?,
        specialties: keys_of(&r.try_get::<String, _>("specialties")?),
        languages: keys_of(&r.try_get::<String, _>("languages")?),
        opening_hours: r.try_get("opening_hours")?,
        accepting: r.try_get::<i64, _>("accepting")? == 1,
        colour: r.try_get("colour")?,
        conditions,
    })
}

// ---------------------------------------------------------------- reading a profile

fn review(r: &AnyRow) -> Result<ReviewView, sqlx::Error> {
    Ok(ReviewView {
        id: r.try_get("id")?,
        author: r.try_get("author")?,
        stars: r.try_get("stars")?,
        explains: r.try_get("explains")?,
        listens: r.try_get("listens")?,
        premises: r.try_get("premises")?,
        wait_minutes: r.try_get("wait_minutes")?,
        body: r.try_get("body")?,
        treatment: r.try_get("treatment")?,
        verified_visit: r.try_get::<i64, _>("verified_visit")? == 1,
        hidden: r.try_get::<i64, _>("hidden")? == 1,
        reply: r.try_get("reply_body")?,
        reply_at: r.try_get("reply_at")?,
        disputed: r.try_get::<Option<i64>, _>("disputed_at")?.is_some(),
        dispute_note: r.try_get("dispute_note")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        versions: r.try_get("versions")?,
    })
}

const REVIEW_COLUMNS: &str = "r.id, u.handle AS author, r.stars, r.explains, r.listens, r.premises, r.wait_minutes, \
    r.body, r.treatment, r.verified_visit, r.hidden, r.reply_body, r.reply_at, r.disputed_at, r.dispute_note, \
    r.created_at, r.updated_at, (SELECT COUNT(*) FROM review_versions v WHERE v.review_id = r.id) AS versions";

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
    let conditions = sqlx::query(
        "SELECT c.slug, c.name FROM provider_conditions pc JOIN communities c ON c.id = pc.community_id \
         WHERE pc.provider_id = $1 ORDER BY c.name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(named)
    .collect::<Result<Vec<_>, _>>()?;
    let linked_sql = if card.kind == ProviderKind::Clinic {
        "SELECT p.slug, p.name FROM provider_clinicians l JOIN providers p ON p.id = l.clinician_id \
         WHERE l.clinic_id = $1 ORDER BY p.name LIMIT 100"
    } else {
        "SELECT p.slug, p.name FROM provider_clinicians l JOIN providers p ON p.id = l.clinic_id \
         WHERE l.clinician_id = $1 ORDER BY p.name LIMIT 100"
    };
    let linked = sqlx::query(linked_sql)
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(named)
        .collect::<Result<Vec<_>, _>>()?;
    // Hidden reviews are for admins (and, as their own, for their authors).
    let sql = format!(
        "SELECT {REVIEW_COLUMNS} FROM reviews r JOIN users u ON u.id = r.author_id \
         WHERE r.provider_id = $1 AND (r.hidden = 0 OR $2 = 1 OR r.author_id = $3) \
         ORDER BY r.updated_at DESC, r.id DESC LIMIT 100"
    );
    let viewer_id = viewer.map(|u| u.id).unwrap_or(0);
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
    let (staff, changes) = if vw.is_staff {
        let staff = sqlx::query(
            "SELECT u.handle, s.role FROM provider_staff s JOIN users u ON u.id = s.user_id \
             WHERE s.provider_id = $1 ORDER BY s.role, u.handle LIMIT 200",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(StaffEntry {
                handle: r.try_get("handle")?,
                owner: r.try_get::<String, _>("role")? == "owner",
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let changes = sqlx::query(
            "SELECT COALESCE(u.handle, '') AS actor, c.summary, c.created_at FROM provider_changes c \
             LEFT JOIN users u ON u.id = c.actor_id WHERE c.provider_id = $1 ORDER BY c.id DESC LIMIT 50",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ChangeEntry {
                actor: r.try_get("actor")?,
                summary: r.try_get("summary")?,
                at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        (staff, changes)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ProviderDetail {
        specialty_keys: keys_of(&r.try_get::<String, _>("specialties")?),
        card,
        description: r.try_get("description")?,
        address: r.try_get("address")?,
        postal_code: r.try_get("postal_code")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        phone: r.try_get("phone")?,
        website: r.try_get("website")?,
        languages: keys_of(&r.try_get::<String, _>("languages")?),
        opening_hours: r.try_get("opening_hours")?,
        licence_number: r.try_get("licence_number")?,
        conditions,
        linked,
        reviews,
        own_review,
        viewer: vw,
        staff,
        changes,
        my_invitations: match viewer {
            Some(u) => super::consent::pending_for(db, id, u).await?,
            None => Vec::new(),
        },
        saved: None,
        photos: crate::pictures::repo::of_provider(db, id).await?,
    })
}

fn named(r: &AnyRow) -> Result<NamedLink, sqlx::Error> {
    Ok(NamedLink {
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
    })
}

// ---------------------------------------------------------------- search

/// A parsed directory search.
pub struct Search {
    pub kind: Option<ProviderKind>,
    pub specialty: Option<String>,
    pub condition: Option<String>,
    pub language: Option<String>,
    pub accepting: bool,
    /// Free text place (city or postal code), resolved here.
    pub place: Option<String>,
    /// Browser position.
    pub position: Option<(f64, f64)>,
    pub radius_km: f64,
    pub by_rating: bool,
}

/// The SQL and binds of a search's candidates (exposed for the query-plan test).
pub fn search_sql(s: &Search, centre: Option<(f64, f64)>) -> (String, Vec<(&'static str, String)>) {
    let (sql, binds) = build_search(s, centre);
    (
        sql,
        binds
            .into_iter()
            .map(|b| match b {
                Bind::Text(t) => ("text", t),
                Bind::Int(i) => ("int", i.to_string()),
                Bind::Float(f) => ("float", f.to_string()),
            })
            .collect(),
    )
}

/// Candidates are capped: a place search holds at most this many before distances are computed.
const CANDIDATES_MAX: i64 = 5000;

fn build_search(s: &Search, centre: Option<(f64, f64)>) -> (String, Vec<Bind>) {
    let mut sql = format!("SELECT {CARD_COLUMNS} FROM providers p WHERE 1 = 1");
    let mut binds = Vec::new();
    let mut n = 0;
    let mut next = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        n += 1;
        format!("${n}")
    };
    if let Some((lat, lon)) = centre {
        let (a, b, c, d) = bounding_box(lat, lon, s.radius_km);
        let (pa, pb) = (
            next(&mut binds, Bind::Float(a)),
            next(&mut binds, Bind::Float(b)),
        );
        let (pc, pd) = (
            next(&mut binds, Bind::Float(c)),
            next(&mut binds, Bind::Float(d)),
        );
        sql += &format!(" AND p.lat BETWEEN {pa} AND {pb} AND p.lon BETWEEN {pc} AND {pd}");
    }
    if let Some(k) = s.kind {
        let p = next(&mut binds, Bind::Text(k.as_str().into()));
        sql += &format!(" AND p.kind = {p}");
    }
    if let Some(sp) = &s.specialty {
        let p = next(&mut binds, Bind::Text(format!("% {sp} %")));
        sql += &format!(" AND p.specialties LIKE {p}");
    }
    if let Some(l) = &s.language {
        let p = next(&mut binds, Bind::Text(format!("% {l} %")));
        sql += &format!(" AND p.languages LIKE {p}");
    }
    if s.accepting {
        sql += " AND p.accepting = 1";
    }
    if let Some(c) = &s.condition {
        let p = next(&mut binds, Bind::Text(c.clone()));
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM provider_conditions pc JOIN communities c ON c.id = pc.community_id \
               WHERE pc.provider_id = p.id AND c.slug = {p})"
        );
    }
    if centre.is_some() {
        let p = next(&mut binds, Bind::Int(CANDIDATES_MAX));
        sql += &format!(" LIMIT {p}");
    } else {
        let p = next(&mut binds, Bind::Int(RESULTS_MAX as i64 + 1));
        sql +=
            &format!(" ORDER BY p.rating_avg_x100 DESC, p.rating_count DESC, p.id DESC LIMIT {p}");
    }
    (sql, binds)
}

/// The centre of a city or postal code: the mean position of the providers there.
async fn resolve_place(db: &Db, place: &str) -> Result<Option<(f64, f64)>, AppError> {
    let r = sqlx::query(
        "SELECT AVG(lat) AS lat, AVG(lon) AS lon FROM providers \
         WHERE (city_key = $1 OR postal_code = $2) AND lat IS NOT NULL AND lon IS NOT NULL",
    )
    .bind(place.to_lowercase())
    .bind(place)
    .fetch_one(&db.pool)
    .await?;
    let (lat, lon): (Option<f64>, Option<f64>) = (r.try_get("lat")?, r.try_get("lon")?);
    Ok(lat.zip(lon))
}

pub async fn search(db: &Db, s: &Search) -> Result<DirectoryResults, AppError> {
    use crate::places::{repo::Resolved, types::PlaceFound};
    let mut place: Option<PlaceFound> = None;
    let (centre, place_label) = match (s.position, &s.place) {
        (Some(p), _) => (Some(p), Some("your location".to_string())),
        (None, Some(text)) => match crate::places::repo::resolve(db, text).await? {
            Resolved::Found(found) => {
                let label = found.label.clone();
                let centre = (found.lat, found.lon);
                place = Some(found);
                (Some(centre), Some(label))
            }
            Resolved::Choose { question, labels } => {
                return Ok(DirectoryResults {
                    providers: Vec::new(),
                    place_label: None,
                    place: None,
                    choose: Some((question, labels)),
                    radius_km: s.radius_km,
                    truncated: false,
                })
            }
            // Not in the gazetteer (or none is loaded): the cities and codes of the providers.
            Resolved::NotFound => match resolve_place(db, text).await? {
                Some(c) => (Some(c), Some(text.clone())),
                None => {
                    return Err(AppError::field(
                        "place",
                        format!(
                            "We could not find a place called “{text}”. Try a city, a postal code (“SW1A 1AA”, “10115”), or “Near me”."
                        ),
                    ))
                }
            },
        },
        (None, None) => (None, None),
    };
    let (sql, binds) = build_search(s, centre);
    let rows = bind_all(sqlx::query(&sql), &binds)
        .fetch_all(&db.pool)
        .await?;
    let mut providers = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut c = card(r)?;
        if let Some((lat, lon)) = centre {
            let (plat, plon): (Option<f64>, Option<f64>) = (r.try_get("lat")?, r.try_get("lon")?);
            let Some((plat, plon)) = plat.zip(plon) else {
                continue;
            };
            let d = haversine_km(lat, lon, plat, plon);
            if d > s.radius_km {
                continue;
            }
            c.distance_km = Some(d);
            c.position = Some((plat, plon));
        }
        providers.push(c);
    }
    if centre.is_some() {
        let by_distance = |a: &ProviderCard, b: &ProviderCard| {
            a.distance_km
                .unwrap_or(f64::MAX)
                .total_cmp(&b.distance_km.unwrap_or(f64::MAX))
        };
        if s.by_rating {
            providers.sort_by(|a, b| {
                b.rating
                    .avg_x100
                    .cmp(&a.rating.avg_x100)
                    .then(b.rating.count.cmp(&a.rating.count))
                    .then_with(|| by_distance(a, b))
            });
        } else {
            providers.sort_by(by_distance);
        }
    }
    let truncated = providers.len() > RESULTS_MAX;
    providers.truncate(RESULTS_MAX);
    Ok(DirectoryResults {
        providers,
        place_label,
        place,
        choose: None,
        radius_km: s.radius_km,
        truncated,
    })
}

/// The best-rated providers treating a community's condition (community sidebars).
pub async fn top_for_community(db: &Db, community: &str) -> Result<Vec<ProviderCard>, AppError> {
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM communities c JOIN provider_conditions pc ON pc.community_id = c.id \
         JOIN providers p ON p.id = pc.provider_id WHERE c.slug = $1 \
         ORDER BY p.rating_avg_x100 DESC, p.rating_count DESC, p.id DESC LIMIT 3"
    );
    let rows = sqlx::query(&sql)
        .bind(community)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.iter().map(card).collect::<Result<Vec<_>, _>>()?)
}

/// The WHERE clause and binds for providers matching every word (name, city, specialty, description).
/// Each slot of the search (a word, or a synonym group's alternatives) must be in the name,
/// city, specialties or description.
fn matching_where(slots: &[Vec<Vec<String>>]) -> (String, Vec<Bind>) {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut binds = Vec::new();
    for slot in slots.iter().take(8) {
        let mut alternatives = Vec::new();
        for alt in slot.iter().take(8) {
            binds.push(Bind::Text(format!(
                "%{}%",
                alt.join(" ").to_lowercase().replace(['%', '_', '\\'], "")
            )));
            let n = binds.len();
            alternatives.push(format!(
                "lower(p.name) LIKE ${n} OR p.city_key LIKE ${n} OR p.specialties LIKE ${n} OR lower(p.description) LIKE ${n}"
            ));
        }
        sql += &format!(" AND ({})", alternatives.join(" OR "));
    }
    (sql, binds)
}

/// Providers matching the search words, best rated first (the search page's providers tab).
pub async fn matching(
    db: &Db,
    words: &[Vec<Vec<String>>],
    limit: i64,
    offset: i64,
) -> Result<Vec<ProviderCard>, AppError> {
    let (filter, mut binds) = matching_where(words);
    binds.push(Bind::Int(limit));
    binds.push(Bind::Int(offset));
    let n = binds.len();
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM providers p{filter} \
         ORDER BY p.rating_avg_x100 DESC, p.rating_count DESC, p.id DESC LIMIT ${} OFFSET ${n}",
        n - 1
    );
    let rows = bind_all(sqlx::query(&sql), &binds)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.iter().map(card).collect::<Result<Vec<_>, _>>()?)
}

/// How many providers match (stopping at `cap`).
pub async fn count_matching(
    db: &Db,
    words: &[Vec<Vec<String>>],
    cap: i64,
) -> Result<i64, AppError> {
    let (filter, mut binds) = matching_where(words);
    binds.push(Bind::Int(cap));
    let sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM providers p{filter} LIMIT ${}) t",
        binds.len()
    );
    Ok(bind_all(sqlx::query(&sql), &binds)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?)
}

// ---------------------------------------------------------------- ratings

pub struct RatingInput {
    pub stars: i64,
    pub explains: Option<i64>,
    pub listens: Option<i64>,
    pub premises: Option<i64>,
    pub wait_minutes: Option<i64>,
    pub body: String,
    pub treatment: String,
    pub code: String,
}

/// Normalises a review code as typed ("abcd-ef12-34" → "ABCDEF1234").
fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Rates a provider, or edits the member's rating (the history keeps every version).
pub async fn rate(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    input: &RatingInput,
) -> Result<(), AppError> {
    let (id, _) = provider(db, slug).await?;
    // Own staff (and staff of a clinic that lists this clinician) may not rate.
    let own: Option<AnyRow> = sqlx::query(
        "SELECT 1 AS x FROM provider_staff s WHERE s.user_id = $2 AND (s.provider_id = $1 OR s.provider_id IN \
           (SELECT l.clinic_id FROM provider_clinicians l WHERE l.clinician_id = $1) OR s.provider_id IN \
           (SELECT l.clinician_id FROM provider_clinicians l WHERE l.clinic_id = $1))",
    )
    .bind(id)
    .bind(user.id)
    .fetch_optional(&db.pool)
    .await?;
    if own.is_some() {
        return Err(AppError::field(
            "stars",
            "Staff cannot rate their own practice or its clinicians.",
        ));
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let mut verified = false;
    let code = normalise_code(&input.code);
    if !code.is_empty() {
        let hash = crate::auth::repo::hash_token(&code);
        let row = sqlx::query(
            "SELECT provider_id, expires_at, used_at FROM review_codes WHERE code_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(AppError::field(
                "code",
                "This code is not valid. Check it with the clinic.",
            ));
        };
        if row.try_get::<i64, _>("provider_id")? != id {
            return Err(AppError::field(
                "code",
                "This code belongs to another provider.",
            ));
        }
        if row.try_get::<Option<i64>, _>("used_at")?.is_some() {
            return Err(AppError::field("code", "This code has already been used."));
        }
        if row.try_get::<i64, _>("expires_at")? < now {
            return Err(AppError::field(
                "code",
                "This code has expired. Ask the clinic for a new one.",
            ));
        }
        let done = sqlx::query(
            "UPDATE review_codes SET used_at = $1, used_by = $2 WHERE code_hash = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user.id)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::field("code", "This code has already been used."));
        }
        verified = true;
    }
    let existing = sqlx::query("SELECT id FROM reviews WHERE provider_id = $1 AND author_id = $2")
        .bind(id)
        .bind(user.id)
        .fetch_optional(&mut *tx)
        .await?;
    let review_id: i64 = match existing {
        Some(r) => {
            let rid: i64 = r.try_get("id")?;
            sqlx::query(
                "UPDATE reviews SET stars = $1, explains = $2, listens = $3, premises = $4, wait_minutes = $5, \
                   body = $6, treatment = $7, verified_visit = CASE WHEN $8 = 1 THEN 1 ELSE verified_visit END, \
                   updated_at = $9 WHERE id = $10",
            )
            .bind(input.stars)
            .bind(input.explains)
            .bind(input.listens)
            .bind(input.premises)
            .bind(input.wait_minutes)
            .bind(&input.body)
            .bind(&input.treatment)
            .bind(verified as i64)
            .bind(now)
            .bind(rid)
            .execute(&mut *tx)
            .await?;
            rid
        }
        None => sqlx::query(
            "INSERT INTO reviews (provider_id, author_id, stars, explains, listens, premises, wait_minutes, body, \
               treatment, verified_visit, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(id)
        .bind(user.id)
        .bind(input.stars)
        .bind(input.explains)
        .bind(input.listens)
        .bind(input.premises)
        .bind(input.wait_minutes)
        .bind(&input.body)
        .bind(&input.treatment)
        .bind(verified as i64)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e, "reviews_author_key") {
                AppError::field("stars", "You have rated this provider already; reload to edit it.")
            } else {
                AppError::from(e)
            }
        })?
        .try_get("id")?,
    };
    sqlx::query(
        "INSERT INTO review_versions (review_id, stars, explains, listens, premises, wait_minutes, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(review_id)
    .bind(input.stars)
    .bind(input.explains)
    .bind(input.listens)
    .bind(input.premises)
    .bind(input.wait_minutes)
    .bind(&input.body)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    recompute(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Recomputes a provider's rating aggregates from its visible reviews (one indexed aggregate).
pub(crate) async fn recompute(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    provider_id: i64,
) -> Result<(), AppError> {
    // Lock the provider's row first: concurrent raters then recompute one after the other, each
    // (on PostgreSQL's read-committed) seeing the reviews the others committed.
    sqlx::query("UPDATE providers SET rating_count = rating_count WHERE id = $1")
        .bind(provider_id)
        .execute(&mut **tx)
        .await?;
    let sum = |col: &str| {
        format!("CAST(COALESCE(SUM({col}), 0) AS BIGINT) AS {col}_sum, COUNT({col}) AS {col}_n")
    };
    let sql = format!(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(stars), 0) AS BIGINT) AS total, \
           {s1}, {s2}, {s3}, {s4}, {s5}, {e}, {l}, {p}, {w} FROM reviews WHERE provider_id = $1 AND hidden = 0",
        s1 = "CAST(COALESCE(SUM(CASE WHEN stars = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s1",
        s2 = "CAST(COALESCE(SUM(CASE WHEN stars = 2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s2",
        s3 = "CAST(COALESCE(SUM(CASE WHEN stars = 3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s3",
        s4 = "CAST(COALESCE(SUM(CASE WHEN stars = 4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s4",
        s5 = "CAST(COALESCE(SUM(CASE WHEN stars = 5 THEN 1 ELSE 0 END), 0) AS BIGINT) AS s5",
        e = sum("explains"),
        l = sum("listens"),
        p = sum("premises"),
        w = sum("wait_minutes"),
    );
    let r = sqlx::query(&sql)
        .bind(provider_id)
        .fetch_one(&mut **tx)
        .await?;
    let avg = |s: &str, n: &str| -> Result<Option<i64>, sqlx::Error> {
        let (s, n): (i64, i64) = (r.try_get(s)?, r.try_get(n)?);
        Ok((n > 0).then(|| (s * 100 + n / 2) / n))
    };
    let n: i64 = r.try_get("n")?;
    let total: i64 = r.try_get("total")?;
    let wait = {
        let (s, c): (i64, i64) = (r.try_get("wait_minutes_sum")?, r.try_get("wait_minutes_n")?);
        (c > 0).then(|| (s + c / 2) / c)
    };
    sqlx::query(
        "UPDATE providers SET rating_count = $1, rating_avg_x100 = $2, stars_1 = $3, stars_2 = $4, stars_3 = $5, \
           stars_4 = $6, stars_5 = $7, explains_avg_x100 = $8, listens_avg_x100 = $9, premises_avg_x100 = $10, \
           wait_avg_minutes = $11 WHERE id = $12",
    )
    .bind(n)
    .bind(if n > 0 { (total * 100 + n / 2) / n } else { 0 })
    .bind(r.try_get::<i64, _>("s1")?)
    .bind(r.try_get::<i64, _>("s2")?)
    .bind(r.try_get::<i64, _>("s3")?)
    .bind(r.try_get::<i64, _>("s4")?)
    .bind(r.try_get::<i64, _>("s5")?)
    .bind(avg("explains_sum", "explains_n")?)
    .bind(avg("listens_sum", "listens_n")?)
    .bind(avg("premises_sum", "premises_n")?)
    .bind(wait)
    .bind(provider_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new one-time review code for the provider (staff only); returns it once, stores its hash.
pub async fn new_code(db: &Db, user: &CurrentUser, slug: &str) -> Result<String, AppError> {
    let (id, _) = provider(db, slug).await?;
    require_own_staff(db, id, user).await?;
    let raw: String = crate::auth::repo::hash_token(&crate::auth::repo::new_token())
        .chars()
        .take(10)
        .collect::<String>()
        .to_uppercase();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO review_codes (code_hash, provider_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(crate::auth::repo::hash_token(&raw))
    .bind(id)
    .bind(user.id)
    .bind(now)
    .bind(now + CODE_DAYS * DAY_MS)
    .execute(&db.pool)
    .await?;
    Ok(format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..]))
}

async fn review_provider(db: &Db, review_id: i64) -> Result<(i64, i64), AppError> {
    let r = sqlx::query("SELECT provider_id, author_id FROM reviews WHERE id = $1")
        .bind(review_id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r.try_get("provider_id")?, r.try_get("author_id")?))
}

/// The provider's one public reply to a review (a new reply replaces the old one).
pub async fn reply(
    db: &Db,
    user: &CurrentUser,
    review_id: i64,
    body: &str,
) -> Result<(), AppError> {
    let (provider_id, author) = review_provider(db, review_id).await?;
    if staff_role(db, provider_id, user.id).await?.is_none() {
        return Err(AppError::Forbidden);
    }
    let (slug, name): (String, String) = {
        let r = sqlx::query("SELECT slug, name FROM providers WHERE id = $1")
            .bind(provider_id)
            .fetch_one(&db.pool)
            .await?;
        (r.try_get("slug")?, r.try_get("name")?)
    };
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE reviews SET reply_body = $1, reply_by = $2, reply_at = $3 WHERE id = $4")
        .bind(body)
        .bind(user.id)
        .bind(now_ms())
        .bind(review_id)
        .execute(&mut *tx)
        .await?;
    let line = format!("{name} replied to your review");
    let link = format!("/directory/{slug}#review-{review_id}");
    let notified =
        crate::notifications::repo::add(&mut tx, author, "review_reply", user.id, &line, &link)
            .await?;
    tx.commit().await?;
    if notified {
        db.announce(&[author]).await;
    }
    Ok(())
}

/// Anyone logged in reports a review; the provider disputes one (asking the reviewer to describe the treatment).
pub async fn report(
    db: &Db,
    user: &CurrentUser,
    review_id: i64,
    reason: &str,
    dispute: bool,
) -> Result<(), AppError> {
    let (provider_id, _) = review_provider(db, review_id).await?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if dispute {
        if staff_role(db, provider_id, user.id).await?.is_none() {
            return Err(AppError::Forbidden);
        }
        sqlx::query("UPDATE reviews SET dispute_note = $1, disputed_at = $2 WHERE id = $3")
            .bind(reason)
            .bind(now)
            .bind(review_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO review_reports (review_id, reporter_id, kind, reason, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(review_id)
    .bind(user.id)
    .bind(if dispute { "dispute" } else { "report" })
    .bind(reason)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // The reviewer is told of a dispute and what is asked of them (never of a report: who
    // reported what stays with the moderators).
    if dispute {
        let r = sqlx::query(
            "SELECT p.slug, p.name, r.author_id FROM reviews r JOIN providers p ON p.id = r.provider_id \
             WHERE r.id = $1",
        )
        .bind(review_id)
        .fetch_one(&mut *tx)
        .await?;
        let (slug, name): (String, String) = (r.try_get("slug")?, r.try_get("name")?);
        let author: i64 = r.try_get("author_id")?;
        let line = format!(
            "{name} disputes your review and asks you to describe the treatment you had there; \
             the admins decide. Open your review to answer."
        );
        let link = format!("/directory/{slug}#review-{review_id}");
        let told = crate::notifications::repo::add(
            &mut tx,
            author,
            "review_dispute",
            user.id,
            &line,
            &link,
        )
        .await?;
        tx.commit().await?;
        if told {
            db.announce(&[author]).await;
        }
        return Ok(());
    }
    tx.commit().await?;
    Ok(())
}

/// Open reports and disputes for the admins, oldest first.
pub async fn open_reports(db: &Db) -> Result<Vec<OpenReport>, AppError> {
    let sql = format!(
        "SELECT rr.id AS report_id, rr.kind, rr.reason, ru.handle AS reporter, p.slug AS provider_slug, \
           p.name AS provider_name, {REVIEW_COLUMNS} \
         FROM review_reports rr JOIN reviews r ON r.id = rr.review_id JOIN users u ON u.id = r.author_id \
         JOIN users ru ON ru.id = rr.reporter_id JOIN providers p ON p.id = r.provider_id \
         WHERE rr.resolved_at IS NULL ORDER BY rr.id LIMIT 100"
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(OpenReport {
                id: r.try_get("report_id")?,
                kind: r.try_get("kind")?,
                reason: r.try_get("reason")?,
                reporter: r.try_get("reporter")?,
                provider_slug: r.try_get("provider_slug")?,
                provider_name: r.try_get("provider_name")?,
                review: review(r)?,
            })
        })
        .collect()
}

/// An admin keeps or hides the reported review; every open report on it is closed and the outcome logged.
pub async fn resolve(
    db: &Db,
    admin: &CurrentUser,
    report_id: i64,
    hide: bool,
) -> Result<(), AppError> {
    let r = sqlx::query(
        "SELECT rr.review_id, r.provider_id, r.author_id FROM review_reports rr JOIN reviews r ON r.id = rr.review_id \
         WHERE rr.id = $1",
    )
    .bind(report_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let (review_id, provider_id, author_id): (i64, i64, i64) = (
        r.try_get("review_id")?,
        r.try_get("provider_id")?,
        r.try_get("author_id")?,
    );
    let now = now_ms();
    let outcome = if hide { "hidden" } else { "kept" };
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE review_reports SET resolved_at = $1, resolved_by = $2, outcome = $3 \
         WHERE review_id = $4 AND resolved_at IS NULL",
    )
    .bind(now)
    .bind(admin.id)
    .bind(outcome)
    .bind(review_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE reviews SET hidden = $1 WHERE id = $2")
        .bind(hide as i64)
        .bind(review_id)
        .execute(&mut *tx)
        .await?;
    recompute(&mut tx, provider_id).await?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, target_user_id, detail, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(admin.id)
    .bind(if hide { "review.hide" } else { "review.keep" })
    .bind(author_id)
    .bind(format!("review {review_id} {outcome} after report {report_id}"))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- contact requests

pub struct ContactInput {
    pub reason: String,
    pub preferred_times: String,
    pub contact_via: String,
}

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
    let r = sqlx::query(
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
    let request: i64 = r.try_get("id")?;
    // The clinic's staff are told in the app and by e-mail (to a confirmed address), without the
    // member's reason: that is health data and stays on the site.
    let name: String = sqlx::query("SELECT name FROM providers WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?
        .try_get("name")?;
    let staff = sqlx::query(
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
    for s in &staff {
        let to: i64 = s.try_get("id")?;
        // Turning the notification off in Settings turns the e-mail off too.
        if !crate::notifications::repo::add(&mut tx, to, "request", user.id, &line, &link).await? {
            continue;
        }
        told.push(to);
        if s.try_get::<Option<i64>, _>("email_verified_at")?.is_some() {
            let email: String = s.try_get("email")?;
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

const CONTACT_COLUMNS: &str = "cr.id, p.slug AS provider_slug, p.name AS provider_name, u.handle AS member, \
    cr.reason, cr.status, cr.updated_at, cr.preferred_times, cr.contact_via, cr.provider_id, cr.member_id";

fn contact_summary(r: &AnyRow) -> Result<ContactSummary, sqlx::Error> {
    Ok(ContactSummary {
        id: r.try_get("id")?,
        provider_slug: r.try_get("provider_slug")?,
        provider_name: r.try_get("provider_name")?,
        member: r.try_get("member")?,
        reason: r.try_get("reason")?,
        status: r.try_get("status")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A clinic's inbox (staff only), most recently active first.
pub async fn inbox(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
) -> Result<Vec<ContactSummary>, AppError> {
    let (id, _) = provider(db, slug).await?;
    require_own_staff(db, id, user).await?;
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contact_requests cr JOIN providers p ON p.id = cr.provider_id \
         JOIN users u ON u.id = cr.member_id WHERE cr.provider_id = $1 ORDER BY cr.updated_at DESC, cr.id DESC LIMIT 100"
    );
    let rows = sqlx::query(&sql).bind(id).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .map(contact_summary)
        .collect::<Result<Vec<_>, _>>()?)
}

/// The member's own requests.
pub async fn my_requests(db: &Db, user: &CurrentUser) -> Result<Vec<ContactSummary>, AppError> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contact_requests cr JOIN providers p ON p.id = cr.provider_id \
         JOIN users u ON u.id = cr.member_id WHERE cr.member_id = $1 ORDER BY cr.updated_at DESC, cr.id DESC LIMIT 100"
    );
    let rows = sqlx::query(&sql).bind(user.id).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .map(contact_summary)
        .collect::<Result<Vec<_>, _>>()?)
}

/// One request with its messages: for the member who sent it and that clinic's staff; anyone
/// else gets "not found" (so the request's existence does not leak).
pub async fn thread(db: &Db, user: &CurrentUser, id: i64) -> Result<ContactThread, AppError> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contact_requests cr JOIN providers p ON p.id = cr.provider_id \
         JOIN users u ON u.id = cr.member_id WHERE cr.id = $1"
    );
    let r = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let provider_id: i64 = r.try_get("provider_id")?;
    let is_staff = staff_role(db, provider_id, user.id).await?.is_some();
    if !is_staff && r.try_get::<i64, _>("member_id")? != user.id {
        return Err(AppError::NotFound);
    }
    let messages = sqlx::query(
        "SELECT u.handle, m.body, m.created_at, \
           CASE WHEN m.author_id = cr.member_id THEN 0 ELSE 1 END AS from_clinic \
         FROM contact_messages m JOIN contact_requests cr ON cr.id = m.request_id JOIN users u ON u.id = m.author_id \
         WHERE m.request_id = $1 ORDER BY m.id LIMIT 500",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|m| {
        Ok(ContactMessage {
            author: m.try_get("handle")?,
            from_clinic: m.try_get::<i64, _>("from_clinic")? == 1,
            body: m.try_get("body")?,
            at: m.try_get("created_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(ContactThread {
        summary: contact_summary(&r)?,
        preferred_times: r.try_get("preferred_times")?,
        contact_via: r.try_get("contact_via")?,
        messages,
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
    let member: i64 = sqlx::query("SELECT member_id FROM contact_requests WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("member_id")?;
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

/// Clinics an admin or staff member manages (for the header of their pages).
pub async fn managed_by(db: &Db, user_id: i64) -> Result<Vec<NamedLink>, AppError> {
    let rows = sqlx::query(
        "SELECT p.slug, p.name FROM provider_staff s JOIN providers p ON p.id = s.provider_id \
         WHERE s.user_id = $1 ORDER BY p.name LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(named).collect::<Result<Vec<_>, _>>()?)
}
