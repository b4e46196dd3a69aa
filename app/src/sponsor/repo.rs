//! Server-only sponsor reports and contacts: linking a member to an advertiser (audited), and the report built from the advertiser's own campaigns only.

use super::types::*;
use crate::db::Db;
use crate::error::AppError;
use crate::ids::UserId;
use std::collections::BTreeMap;

/// Makes member `handle` the contact of advertiser `id` (empty: nobody); audited.
pub async fn set_contact(db: &Db, actor: UserId, id: i64, handle: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let user: Option<UserId> = match handle.trim().trim_start_matches('@') {
        "" => None,
        h => Some(
            sqlx::query_scalar("SELECT id FROM users WHERE handle = $1")
                .bind(h.to_lowercase())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| AppError::field("contact", "No member has this handle."))?,
        ),
    };
    let name: String = sqlx::query_scalar(
        "UPDATE advertisers SET contact_user_id = $1, updated_at = $2 WHERE id = $3 AND status <> 'removed' RETURNING name",
    )
    .bind(user)
    .bind(crate::db::now_ms())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let detail = match user {
        Some(_) => format!("{name}: @{}", handle.trim().trim_start_matches('@')),
        None => format!("{name}: no contact"),
    };
    crate::admin::repo::audit(&mut tx, actor, "sponsor_contact", user, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A campaign's figures on one day in one community, as `report` reads them (no day: nothing
/// shown in the range).
#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    headline: String,
    day: Option<i64>,
    community: String,
    imp: Option<i64>,
    clk: Option<i64>,
}

/// The report's rows (one per campaign, day and community; a campaign without any in the period
/// has one row with no day) as each campaign's totals, days (newest first) and communities.
fn campaign_reports(rows: Vec<ReportRow>) -> Vec<CampaignReport> {
    // campaign → (headline, per day, per community), each (impressions, clicks)
    type PerDay = BTreeMap<i64, (i64, i64)>;
    type PerCommunity = BTreeMap<String, (i64, i64)>;
    type Campaign = (String, PerDay, PerCommunity);
    let mut by_campaign: BTreeMap<i64, Campaign> = BTreeMap::new();
    for r in rows {
        let entry = by_campaign
            .entry(r.id)
            .or_insert_with(|| (String::new(), BTreeMap::new(), BTreeMap::new()));
        entry.0 = r.headline;
        let Some(day) = r.day else {
            continue;
        };
        let (imp, clk) = (r.imp.unwrap_or(0), r.clk.unwrap_or(0));
        let d = entry.1.entry(day).or_insert((0, 0));
        d.0 += imp;
        d.1 += clk;
        let mut community = r.community;
        if community.is_empty() {
            community = "Pages of no community".into();
        }
        let c = entry.2.entry(community).or_insert((0, 0));
        c.0 += imp;
        c.1 += clk;
    }
    let line = |name: String, (imp, clk): (i64, i64)| ReportLine {
        name,
        impressions: shown(imp),
        clicks: shown(clk),
        ctr: shown_ctr(imp, clk),
    };
    by_campaign
        .into_iter()
        .rev()
        .map(|(_, (headline, per_day, per_community))| {
            let total = per_day
                .values()
                .fold((0, 0), |(a, b), (i, c)| (a + i, b + c));
            CampaignReport {
                headline,
                total: line("In all".into(), total),
                days: per_day
                    .into_iter()
                    .rev()
                    .map(|(d, v)| line(crate::analytics::types::day_label(d), v))
                    .collect(),
                communities: per_community.into_iter().map(|(n, v)| line(n, v)).collect(),
            }
        })
        .collect()
}

/// The report for member `user` over the `days` days ending today: only the campaigns of the
/// advertiser they are the contact of. `Forbidden` for anyone else.
pub async fn report(
    db: &Db,
    user: UserId,
    days: i64,
    today: i64,
) -> Result<SponsorReport, AppError> {
    let (adv_id, advertiser): (i64, String) = sqlx::query_as(
        "SELECT id, name FROM advertisers WHERE contact_user_id = $1 AND status <> 'removed' ORDER BY id LIMIT 1",
    )
    .bind(user)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::Forbidden)?;
    let first = today - days + 1;
    let rows: Vec<ReportRow> = sqlx::query_as(
        "SELECT c.id, c.headline, s.day, COALESCE(m.name, '') AS community, \
           CAST(SUM(s.impressions) AS BIGINT) AS imp, CAST(SUM(s.clicks) AS BIGINT) AS clk \
         FROM campaigns c LEFT JOIN ad_stats s ON s.campaign_id = c.id AND s.day >= $2 AND s.day <= $3 \
         LEFT JOIN communities m ON m.id = s.community_id \
         WHERE c.advertiser_id = $1 \
         GROUP BY c.id, c.headline, s.day, m.name ORDER BY c.id DESC",
    )
    .bind(adv_id)
    .bind(first)
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    let campaigns = campaign_reports(rows);
    Ok(SponsorReport {
        advertiser,
        days,
        campaigns,
    })
}
