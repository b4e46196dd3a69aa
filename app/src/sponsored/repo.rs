//! Server-only sponsored storage: choosing the campaign for a slot from the page's context alone (approved advertiser, schedule, community, refused kinds, caps), the page contexts, and the admin's campaigns (audited).

use super::types::*;
use crate::counting::{day_of, Counts};
use crate::db::{now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::UserId;

/// The community a page belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PageCommunity {
    pub id: i64,
    pub slug: String,
}

/// A campaign that may fill a slot.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub house: bool,
    pub advertiser: String,
    pub disclosure: String,
    pub headline: String,
    pub body: String,
    pub cta: String,
    pub visitor_capped: bool,
    shown_today: i64,
}

pub async fn community(db: &Db, slug: &str) -> Result<Option<PageCommunity>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, slug FROM communities WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// A post page's community, or `None` when the post is in a support group (no sponsored
/// content there), waits for a moderator after matching the crisis list, or does not exist.
pub async fn post_community(db: &Db, post: i64) -> Result<Option<PageCommunity>, AppError> {
    // In a support group: no sponsored content there.
    Ok(sqlx::query_as(
        "SELECT c.id, c.slug FROM posts p JOIN communities c ON c.id = p.community_id \
         WHERE p.id = $1 AND p.group_id IS NULL AND p.deleted_at IS NULL AND p.held_at IS NULL \
           AND p.removed_at IS NULL",
    )
    .bind(post)
    .fetch_optional(&db.pool)
    .await?)
}

/// A running campaign that may fill a slot, with what it has been shown.
#[derive(sqlx::FromRow)]
struct PickRow {
    id: i64,
    advertiser_id: Option<i64>,
    headline: String,
    body: String,
    cta: String,
    total_cap: Option<i64>,
    daily_cap: Option<i64>,
    visitor_daily_cap: Option<i64>,
    adv_name: String,
    disclosure: String,
    shown_all: i64,
    shown_today: i64,
    seen: i64,
}

/// The campaign for a `placement` slot on a page of `community` (or of none) at `now`: an
/// approved advertiser's running campaign under its caps, the one shown least today; else the
/// operator's own house promotion; else nothing. Nothing about the reader goes in but the day's
/// visitor hash, and only for per-visitor caps.
pub async fn pick(
    db: &Db,
    counts: &Counts,
    placement: Placement,
    community: Option<&PageCommunity>,
    visitor: Option<&str>,
    now: i64,
) -> Result<Option<Candidate>, AppError> {
    let column = match placement {
        Placement::Feed => "c.in_feed",
        Placement::Sidebar => "c.in_sidebar",
        Placement::Directory => "c.in_directory",
    };
    let day = day_of(now);
    let sql = format!(
        "SELECT c.id, c.advertiser_id, c.headline, c.body, c.cta, c.total_cap, c.daily_cap, c.visitor_daily_cap, \
           COALESCE(a.name, '') AS adv_name, COALESCE(a.disclosure, '') AS disclosure, \
           (SELECT CAST(COALESCE(SUM(s.impressions), 0) AS BIGINT) FROM ad_stats s WHERE s.campaign_id = c.id) AS shown_all, \
           (SELECT CAST(COALESCE(SUM(s.impressions), 0) AS BIGINT) FROM ad_stats s WHERE s.campaign_id = c.id AND s.day = $1) AS shown_today, \
           (SELECT CAST(COALESCE(SUM(v.shown), 0) AS BIGINT) FROM ad_seen v WHERE v.day = $1 AND v.visitor = $2 AND v.campaign_id = c.id) AS seen \
         FROM campaigns c LEFT JOIN advertisers a ON a.id = c.advertiser_id \
         WHERE c.status = 'active' AND c.starts_at <= $3 AND (c.ends_at IS NULL OR c.ends_at > $3) \
           AND {column} = 1 \
           AND (c.advertiser_id IS NULL OR a.status = 'approved') \
           AND (c.all_communities = 1 OR EXISTS (SELECT 1 FROM campaign_communities t \
                WHERE t.campaign_id = c.id AND t.community_id = $4)) \
           AND (c.advertiser_id IS NULL OR NOT EXISTS (SELECT 1 FROM community_ad_bars b \
                WHERE b.community_id = $4 AND b.kind = a.kind)) \
         ORDER BY c.id DESC LIMIT 50"
    );
    let rows: Vec<PickRow> = sqlx::query_as(&sql)
        .bind(day)
        .bind(visitor.unwrap_or(""))
        .bind(now)
        .bind(community.map(|c| c.id).unwrap_or(-1))
        .fetch_all(&db.pool)
        .await?;
    let mut best: Option<Candidate> = None;
    for r in rows {
        let (pending_all, pending_today) = counts.pending_impressions(r.id, day);
        let shown_all = r.shown_all + pending_all;
        let shown_today = r.shown_today + pending_today;
        if r.total_cap.is_some_and(|c| shown_all >= c)
            || r.daily_cap.is_some_and(|c| shown_today >= c)
        {
            continue;
        }
        if let (Some(cap), Some(v)) = (r.visitor_daily_cap, visitor) {
            if r.seen + counts.pending_seen(day, v, r.id) >= cap {
                continue;
            }
        }
        let c = Candidate {
            id: r.id,
            house: r.advertiser_id.is_none(),
            advertiser: r.adv_name,
            disclosure: r.disclosure,
            headline: r.headline,
            body: r.body,
            cta: r.cta,
            visitor_capped: r.visitor_daily_cap.is_some(),
            shown_today,
        };
        // Paid campaigns before house promotions; among equals, the one shown least today, and on
        // a tie the newest (rows come newest first).
        let better = match &best {
            None => true,
            Some(b) => (c.house, c.shown_today) < (b.house, b.shown_today),
        };
        if better {
            best = Some(c);
        }
    }
    Ok(best)
}

/// Where campaign `id` leads, whatever its state (a link in an old page still works).
pub async fn landing(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT url FROM campaigns WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Creates a campaign (audited); unknown advertiser or community is `NotFound`.
pub async fn create(db: &Db, actor: UserId, c: NewCampaign) -> Result<i64, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let owner = match c.advertiser {
        Some(a) => sqlx::query_scalar::<_, String>(
            "SELECT name FROM advertisers WHERE id = $1 AND status <> 'removed'",
        )
        .bind(a)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?,
        None => "house promotion".into(),
    };
    let mut community_ids = Vec::new();
    for slug in &c.communities {
        let id: i64 = sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
        community_ids.push(id);
    }
    let has = |p: Placement| i64::from(c.placements.contains(&p));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO campaigns (advertiser_id, headline, body, cta, url, starts_at, ends_at, \
           in_feed, in_sidebar, in_directory, all_communities, total_cap, daily_cap, visitor_daily_cap, \
           cpm_cents, flat_fee_cents, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'active', $17, $18, $18) \
         RETURNING id",
    )
    .bind(c.advertiser)
    .bind(&c.headline)
    .bind(&c.body)
    .bind(&c.cta)
    .bind(&c.url)
    .bind(c.starts_at)
    .bind(c.ends_at)
    .bind(has(Placement::Feed))
    .bind(has(Placement::Sidebar))
    .bind(has(Placement::Directory))
    .bind(i64::from(community_ids.is_empty()))
    .bind(c.total_cap)
    .bind(c.daily_cap)
    .bind(c.visitor_daily_cap)
    .bind(c.cpm_cents)
    .bind(c.flat_fee_cents)
    .bind(actor)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for cid in community_ids {
        sqlx::query(
            "INSERT INTO campaign_communities (campaign_id, community_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(cid)
        .execute(&mut *tx)
        .await?;
    }
    let detail = format!("#{id} {owner}: {}", c.headline);
    crate::admin::repo::audit(&mut tx, actor, "campaign_create", None, &detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Pauses, resumes or ends a campaign (audited). An ended one stays ended.
pub async fn set_status(
    db: &Db,
    actor: UserId,
    id: i64,
    status: CampaignStatus,
) -> Result<(), AppError> {
    crate::admin::repo::set_status_audited(
        db,
        actor,
        (
            "UPDATE campaigns SET status = $1, updated_at = $2 WHERE id = $3 AND status <> 'ended' RETURNING headline",
            "campaign",
        ),
        (id, status.as_str()),
        |headline| format!("#{id} {headline}"),
    )
    .await
}

/// A campaign in the operator's list, with its advertiser and counts.
#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: i64,
    adv_name: Option<String>,
    adv_status: Option<String>,
    headline: String,
    body: String,
    cta: String,
    url: String,
    starts_at: i64,
    ends_at: Option<i64>,
    in_feed: Flag,
    in_sidebar: Flag,
    in_directory: Flag,
    total_cap: Option<i64>,
    daily_cap: Option<i64>,
    visitor_daily_cap: Option<i64>,
    status: String,
    impressions: i64,
    clicks: i64,
    today: i64,
}

/// Every campaign, newest first, with its counts, and what the form offers.
pub async fn admin_view(db: &Db, now: i64) -> Result<CampaignAdmin, AppError> {
    let day = day_of(now);
    let rows = sqlx::query_as::<_, CampaignRow>(
        "SELECT c.id, c.advertiser_id, a.name AS adv_name, a.status AS adv_status, c.headline, c.body, c.cta, c.url, \
           c.starts_at, c.ends_at, c.in_feed, c.in_sidebar, c.in_directory, c.total_cap, c.daily_cap, \
           c.visitor_daily_cap, c.status, \
           (SELECT CAST(COALESCE(SUM(s.impressions), 0) AS BIGINT) FROM ad_stats s WHERE s.campaign_id = c.id) AS impressions, \
           (SELECT CAST(COALESCE(SUM(s.clicks), 0) AS BIGINT) FROM ad_stats s WHERE s.campaign_id = c.id) AS clicks, \
           (SELECT CAST(COALESCE(SUM(s.impressions), 0) AS BIGINT) FROM ad_stats s WHERE s.campaign_id = c.id AND s.day = $1) AS today \
         FROM campaigns c LEFT JOIN advertisers a ON a.id = c.advertiser_id \
         ORDER BY c.id DESC LIMIT 200",
    )
    .bind(day)
    .fetch_all(&db.pool)
    .await?;
    let targets: Vec<(i64, String)> = sqlx::query_as(
        "SELECT t.campaign_id, m.name FROM campaign_communities t JOIN communities m ON m.id = t.community_id \
         ORDER BY m.name",
    )
    .fetch_all(&db.pool)
    .await?;
    let campaigns = rows.into_iter().map(|r| managed(r, &targets)).collect();
    let advertisers = sqlx::query_as::<_, (i64, String, String)>(
        "SELECT id, name, status FROM advertisers WHERE status <> 'removed' ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|(id, name, status)| AdvertiserChoice {
        id,
        name,
        approved: status == "approved",
    })
    .collect();
    let communities: Vec<(String, String)> =
        sqlx::query_as("SELECT slug, name FROM communities ORDER BY name")
            .fetch_all(&db.pool)
            .await?;
    let operator = crate::operator::repo::profile(db).await?.name;
    Ok(CampaignAdmin {
        campaigns,
        advertisers,
        communities,
        operator,
    })
}

/// A campaign as its managers see it: its places, communities and counts.
fn managed(r: CampaignRow, targets: &[(i64, String)]) -> ManagedCampaign {
    let placements = [
        (r.in_feed, Placement::Feed),
        (r.in_sidebar, Placement::Sidebar),
        (r.in_directory, Placement::Directory),
    ]
    .into_iter()
    .filter_map(|(on, p)| on.get().then_some(p))
    .collect();
    let communities = targets
        .iter()
        .filter(|(campaign, _)| *campaign == r.id)
        .map(|(_, name)| name.clone())
        .collect();
    ManagedCampaign {
        id: r.id,
        advertiser_approved: r.adv_name.is_none() || r.adv_status.as_deref() == Some("approved"),
        advertiser: r.adv_name,
        headline: r.headline,
        body: r.body,
        cta: r.cta,
        url: r.url,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        placements,
        communities,
        total_cap: r.total_cap,
        daily_cap: r.daily_cap,
        visitor_daily_cap: r.visitor_daily_cap,
        status: CampaignStatus::from_db(&r.status),
        impressions: r.impressions,
        clicks: r.clicks,
        impressions_today: r.today,
    }
}
