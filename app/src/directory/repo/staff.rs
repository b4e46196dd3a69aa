//! Clinics and their staff: creating a clinic, inviting and removing staff, a clinician's own listing, and what a member manages.

use super::*;
use crate::ids::UserId;

/// An admin creates a clinic and makes a member its owner.
pub async fn create_clinic(db: &Db, admin: &CurrentUser, c: &NewClinic) -> Result<(), AppError> {
    let owner = member_by_handle(db, &c.owner)
        .await?
        .ok_or_else(|| AppError::field("owner", "No member has this handle."))?;
    let owner_id = owner.id;
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
    let id: i64 = sqlx::query_scalar(
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
    })?;
    sqlx::query(
        "INSERT INTO provider_staff (provider_id, user_id, role, added_by, added_at) VALUES ($1, $2, 'owner', $3, $4)",
    )
    .bind(id)
    .bind(owner_id)
    .bind(admin.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let summary = format!("created the clinic with @{} as owner", owner.handle);
    log_change(&mut *tx, id, admin.id, &summary).await?;
    let detail = format!(
        "{} ({}), owner @{}",
        c.name,
        c.slug,
        c.owner.trim_start_matches('@')
    );
    crate::admin::repo::audit(&mut tx, admin.id, "clinic.create", Some(owner_id), &detail).await?;
    let asker = match c.request {
        Some(r) => Some(mark_listed(&mut tx, admin.id, r, id, &c.slug).await?),
        None => None,
    };
    tx.commit().await?;
    if let Some(asker) = asker {
        db.announce(&[asker]).await;
    }
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
    let user = member_by_handle(db, handle)
        .await?
        .ok_or_else(|| AppError::field("handle", "No member has this handle."))?;
    let (user_id, user_handle) = (user.id, user.handle);
    // Joining a clinic's staff bars the member from rating it: it is theirs to accept.
    if add && staff_role(db, id, user_id).await?.is_none() {
        let role = if owner {
            crate::directory::types::InviteRole::Owner
        } else {
            crate::directory::types::InviteRole::Staff
        };
        return crate::directory::consent::invite(db, actor, id, slug, user_id, &user_handle, role)
            .await;
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
        remove_staff(db, actor.id, id, (user_id, &user_handle)).await
    }
}

/// Takes a member off a clinic's staff; a clinic keeps at least one owner.
async fn remove_staff(
    db: &Db,
    actor: UserId,
    id: i64,
    (user_id, user_handle): (UserId, &str),
) -> Result<(), AppError> {
    if staff_role(db, id, user_id).await?.is_none() {
        return Err(AppError::field(
            "handle",
            "This member is not on the staff.",
        ));
    }
    let owners: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) AS n FROM provider_staff WHERE provider_id = $1 AND role = 'owner' AND user_id <> $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
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
        actor,
        &format!("removed @{user_handle} from the staff"),
    )
    .await
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
    let user = member_by_handle(db, handle)
        .await?
        .ok_or_else(|| AppError::field("clinician", "No member has this handle."))?;
    let (user_id, user_handle) = (user.id, user.handle);
    if ClinicianStatus::from_db(&user.clinician_status) != ClinicianStatus::Verified {
        return Err(AppError::field(
            "clinician",
            "Only clinicians verified by the operator can be listed.",
        ));
    }
    let listed: Option<i64> = sqlx::query_scalar(
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
            crate::directory::consent::invite(
                db,
                actor,
                clinic_id,
                slug,
                user_id,
                &user_handle,
                crate::directory::types::InviteRole::Clinician,
            )
            .await
        }
        (false, None) => Err(AppError::field(
            "clinician",
            "This clinician is not listed here.",
        )),
        (false, Some(clinician_id)) => {
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
pub(in crate::directory) async fn list_clinician(
    db: &Db,
    clinic_id: i64,
    user_id: UserId,
    invited_by: UserId,
) -> Result<(), AppError> {
    let (user_handle, specialty): (String, Option<String>) =
        sqlx::query_as("SELECT handle, specialty FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&db.pool)
            .await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM providers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    let clinician_id: i64 = match existing {
        Some(id) => id,
        None => {
            let specialty = specialty.unwrap_or_default().to_lowercase();
            let specialties = SPECIALTIES
                .iter()
                .find(|(k, _)| specialty.contains(k.trim_end_matches("-practice")))
                .map(|(k, _)| padded(&[k.to_string()]))
                .unwrap_or_else(|| " ".into());
            let licence: Option<String> = sqlx::query_scalar(
                "SELECT licence_number FROM clinician_verifications WHERE user_id = $1 AND status = 'verified' \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?
            .flatten();
            let now = now_ms();
            let mut tx = db.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
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
            .await?;
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
