//! Server-only operator storage: the one profile row, advertisers and their states, and the kinds each community refuses; every change is audited.

use super::types::*;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;

/// What `/about` says before an admin has filled in the profile.
const UNSET_NAME: &str = "The operator of this site";
const UNSET_ABOUT: &str = "The organisation that runs this site has not described itself yet.";

/// The profile's row, as stored.
#[derive(sqlx::FromRow)]
struct ProfileRow {
    name: String,
    about: String,
    ad_policy_md: String,
    privacy_contact: String,
}

pub async fn profile(db: &Db) -> Result<OperatorProfile, AppError> {
    let row: Option<ProfileRow> = sqlx::query_as(
        "SELECT name, about, ad_policy_md, privacy_contact FROM operator_profile WHERE id = 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        Some(r) => OperatorProfile {
            name: r.name,
            about: r.about,
            ad_policy_html: crate::markdown::to_html(&r.ad_policy_md),
            ad_policy_md: r.ad_policy_md,
            privacy_contact: r.privacy_contact,
            configured: true,
        },
        None => OperatorProfile {
            name: UNSET_NAME.into(),
            about: UNSET_ABOUT.into(),
            ad_policy_md: String::new(),
            ad_policy_html: String::new(),
            privacy_contact: String::new(),
            configured: false,
        },
    })
}

/// The public page: the profile, the approved advertisers (never their contact) and the kinds
/// each community refuses.
pub async fn about(db: &Db) -> Result<AboutView, AppError> {
    let advertisers = sqlx::query_as(
        "SELECT name, website, kind, disclosure FROM advertisers WHERE status = 'approved' ORDER BY name, id",
    )
    .fetch_all(&db.pool)
    .await?;
    let bars = sqlx::query_as(
        "SELECT c.name AS community, c.slug, b.kind FROM community_ad_bars b \
         JOIN communities c ON c.id = b.community_id ORDER BY c.name, b.kind",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(AboutView {
        profile: profile(db).await?,
        advertisers,
        bars,
    })
}

/// Everything the admin page shows.
pub async fn admin_view(db: &Db) -> Result<OperatorAdmin, AppError> {
    let advertisers = sqlx::query_as(
        "SELECT a.id, a.name, a.website, a.kind, a.contact_email, a.disclosure, a.status, \
         u.handle AS sponsor_contact \
         FROM advertisers a LEFT JOIN users u ON u.id = a.contact_user_id \
         WHERE a.status <> 'removed' ORDER BY a.name, a.id",
    )
    .fetch_all(&db.pool)
    .await?;
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT c.slug, c.name, b.kind FROM communities c \
         LEFT JOIN community_ad_bars b ON b.community_id = c.id ORDER BY c.name, c.id, b.kind",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut communities: Vec<CommunityBars> = Vec::new();
    for (slug, name, kind) in rows {
        if communities.last().map(|c| c.slug.as_str()) != Some(slug.as_str()) {
            communities.push(CommunityBars {
                slug,
                name,
                barred: Vec::new(),
            });
        }
        if let (Some(kind), Some(c)) = (kind, communities.last_mut()) {
            c.barred
                .push(AdvertiserKind::parse(&kind).map_err(|_| AppError::Internal)?);
        }
    }
    Ok(OperatorAdmin {
        profile: profile(db).await?,
        advertisers,
        communities,
    })
}

pub async fn save_profile(
    db: &Db,
    actor: UserId,
    profile: &OperatorProfileInput,
) -> Result<(), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO operator_profile (id, name, about, ad_policy_md, updated_at, updated_by, privacy_contact) \
         VALUES (1, $1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET name = $1, about = $2, ad_policy_md = $3, updated_at = $4, updated_by = $5, \
         privacy_contact = $6",
    )
    .bind(&profile.name)
    .bind(&profile.about)
    .bind(&profile.ad_policy)
    .bind(now)
    .bind(actor)
    .bind(&profile.privacy_contact)
    .execute(&mut *tx)
    .await?;
    crate::admin::repo::audit(&mut tx, actor, "operator_profile", None, &profile.name).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds an advertiser, waiting for approval; returns its id.
pub async fn add_advertiser(db: &Db, actor: UserId, a: NewAdvertiser) -> Result<i64, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO advertisers (name, website, kind, contact_email, disclosure, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6) RETURNING id",
    )
    .bind(&a.name)
    .bind(&a.website)
    .bind(a.kind.as_str())
    .bind(&a.contact_email)
    .bind(&a.disclosure)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    crate::admin::repo::audit(&mut tx, actor, "advertiser_add", None, &a.name).await?;
    tx.commit().await?;
    Ok(id)
}

/// Approves, suspends or removes an advertiser. A removed one cannot come back (add it again).
pub async fn set_status(
    db: &Db,
    actor: UserId,
    id: i64,
    status: AdvertiserStatus,
) -> Result<(), AppError> {
    crate::admin::repo::set_status_audited(
        db,
        actor,
        (
            "UPDATE advertisers SET status = $1, updated_at = $2 WHERE id = $3 AND status <> 'removed' RETURNING name",
            "advertiser",
        ),
        (id, status.as_str()),
        |name| name,
    )
    .await
}

/// Sets the kinds of advertiser the community `slug` refuses.
pub async fn set_bars(
    db: &Db,
    actor: UserId,
    slug: &str,
    kinds: &[AdvertiserKind],
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let community: i64 = sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    sqlx::query("DELETE FROM community_ad_bars WHERE community_id = $1")
        .bind(community)
        .execute(&mut *tx)
        .await?;
    for k in kinds {
        sqlx::query(
            "INSERT INTO community_ad_bars (community_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(community)
        .bind(k.as_str())
        .execute(&mut *tx)
        .await?;
    }
    let detail = format!(
        "{slug}: {}",
        if kinds.is_empty() {
            "none refused".to_string()
        } else {
            kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    crate::admin::repo::audit(&mut tx, actor, "community_ad_bars", None, &detail).await?;
    tx.commit().await?;
    Ok(())
}
