//! Server-only directory storage: the provider card and the staff checks every part shares; clinics and staff, profiles, search, ratings and contact requests live in the sub-modules.

use super::types::*;
use crate::auth::types::{ClinicianStatus, CurrentUser};
use crate::db::{is_unique_violation, now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

mod contact;
mod listing;
mod profile;
mod ratings;
mod search;
mod staff;

pub use contact::*;
pub use listing::*;
pub use profile::*;
pub use ratings::*;
pub use search::*;
pub use staff::*;

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

/// The columns of [`CARD_COLUMNS`] a card shows.
#[derive(sqlx::FromRow)]
struct CardRow {
    slug: String,
    logo_id: Option<i64>,
    kind: String,
    name: String,
    city: String,
    specialties: String,
    accepting: Flag,
    colour: String,
    rating_count: i64,
    rating_avg_x100: i64,
    stars_1: i64,
    stars_2: i64,
    stars_3: i64,
    stars_4: i64,
    stars_5: i64,
    explains_avg_x100: Option<i64>,
    listens_avg_x100: Option<i64>,
    premises_avg_x100: Option<i64>,
    wait_avg_minutes: Option<i64>,
}

fn card(r: &AnyRow) -> Result<ProviderCard, sqlx::Error> {
    let r = CardRow::from_row(r)?;
    Ok(ProviderCard {
        slug: r.slug,
        logo: r.logo_id,
        kind: ProviderKind::parse(&r.kind),
        name: r.name,
        city: r.city,
        specialties: keys_of(&r.specialties)
            .iter()
            .map(|k| label(SPECIALTIES, k))
            .collect(),
        accepting: r.accepting.get(),
        colour: r.colour,
        distance_km: None,
        position: None,
        rating: RatingSummary {
            count: r.rating_count,
            avg_x100: r.rating_avg_x100,
            histogram: [r.stars_1, r.stars_2, r.stars_3, r.stars_4, r.stars_5],
            explains_x100: r.explains_avg_x100,
            listens_x100: r.listens_avg_x100,
            premises_x100: r.premises_avg_x100,
            wait_minutes: r.wait_avg_minutes,
        },
    })
}

/// A provider's id and kind by slug.
pub(crate) async fn provider(db: &Db, slug: &str) -> Result<(i64, ProviderKind), AppError> {
    let (id, kind): (i64, String) =
        sqlx::query_as("SELECT id, kind FROM providers WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok((id, ProviderKind::parse(&kind)))
}

/// `Some(is_owner)` when the user is staff of the provider (a clinician is owner of their own profile).
pub(super) async fn staff_role(
    db: &Db,
    provider_id: i64,
    user_id: UserId,
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

/// A member named in a staff form, as `member_by_handle` reads them.
#[derive(sqlx::FromRow)]
pub(super) struct NamedMember {
    pub id: UserId,
    pub handle: String,
    pub clinician_status: String,
}

pub(super) async fn member_by_handle(
    db: &Db,
    handle: &str,
) -> Result<Option<NamedMember>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, handle, clinician_status FROM users WHERE handle = $1")
            .bind(handle.trim().trim_start_matches('@').to_lowercase())
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Records who changed what on a provider's profile (on the pool or inside a transaction).
pub(super) async fn log_change<'e, E>(
    exec: E,
    provider_id: i64,
    actor: UserId,
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

fn fold_city(city: &str) -> String {
    crate::places::types::fold(city)
}

/// A coordinate to four decimals (about 10 m), as staff would type it.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
