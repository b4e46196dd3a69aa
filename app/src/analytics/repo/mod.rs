//! Server-only traffic figures: the dashboard's series per day (page views, visitors, new members, posts, replies, invitations, sponsored impressions and clicks) for all communities or one, and its CSV; the tables live in `tables.rs`.

use super::types::*;
use crate::db::Db;
use crate::error::AppError;
use sqlx::Row;
use std::collections::HashMap;

mod tables;

use tables::*;

const DAY: i64 = crate::counting::DAY_MS;

/// `(day, value)` rows into one value per day of `first..=last`.
fn spread(rows: &[sqlx::any::AnyRow], first: i64, last: i64) -> Result<Vec<i64>, AppError> {
    let mut by_day: HashMap<i64, i64> = HashMap::new();
    for r in rows {
        *by_day.entry(r.try_get("day")?).or_insert(0) += r.try_get::<i64, _>("n")?;
    }
    Ok((first..=last)
        .map(|d| by_day.get(&d).copied().unwrap_or(0))
        .collect())
}

/// Runs `sql` with `$1..$2` the range (days, or milliseconds for `per_day_ms`) and `$3` the
/// community (0: all), and spreads its `(day, n)` rows over the range's days.
async fn per_day(
    db: &Db,
    sql: &str,
    first: i64,
    last: i64,
    community: i64,
) -> Result<Vec<i64>, AppError> {
    per_day_bound(db, sql, (first, last), first, last, community).await
}

async fn per_day_ms(
    db: &Db,
    sql: &str,
    first: i64,
    last: i64,
    community: i64,
) -> Result<Vec<i64>, AppError> {
    per_day_bound(
        db,
        sql,
        (first * DAY, (last + 1) * DAY),
        first,
        last,
        community,
    )
    .await
}

async fn per_day_bound(
    db: &Db,
    sql: &str,
    bounds: (i64, i64),
    first: i64,
    last: i64,
    community: i64,
) -> Result<Vec<i64>, AppError> {
    let rows = sqlx::query(sql)
        .bind(bounds.0)
        .bind(bounds.1)
        .bind(community)
        .fetch_all(&db.pool)
        .await?;
    spread(&rows, first, last)
}

fn series(key: &str, label: &str, values: Vec<i64>) -> Series {
    Series {
        key: key.into(),
        label: label.into(),
        values,
    }
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// `($3 = 0 OR <col> = $3)`: every community, or the one asked for.
fn in_community(col: &str) -> String {
    format!("($3 = 0 OR {col} = $3)")
}

/// Page views per day, and (for the whole site) unique visitors.
async fn traffic_series(db: &Db, first: i64, last: i64, cid: i64) -> Result<Vec<Series>, AppError> {
    let views = per_day(
        db,
        &format!(
            "SELECT day, CAST(SUM(views) AS BIGINT) AS n FROM traffic_pages \
             WHERE day >= $1 AND day <= $2 AND {} GROUP BY day",
            in_community("community_id")
        ),
        first,
        last,
        cid,
    )
    .await?;
    let mut traffic = vec![series("page_views", "Page views", views)];
    if cid == 0 {
        // Visitors are counted for the whole site (one visitor reads several communities).
        let closed = sqlx::query(
            "SELECT day, visitors AS n FROM traffic_days WHERE day >= $1 AND day <= $2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&db.pool)
        .await?;
        let open = sqlx::query(
            "SELECT day, COUNT(*) AS n FROM traffic_visitors WHERE day >= $1 AND day <= $2 GROUP BY day",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&db.pool)
        .await?;
        let mut rows = closed;
        rows.extend(open);
        traffic.push(series(
            "visitors",
            "Unique visitors",
            spread(&rows, first, last)?,
        ));
    }
    Ok(traffic)
}

/// New members (or who joined the community), posts and replies per day; invitations for the site.
async fn activity_series(
    db: &Db,
    first: i64,
    last: i64,
    cid: i64,
) -> Result<Vec<Series>, AppError> {
    // Community activity, from the records themselves (ms → days by integer division).
    let per_day = |col: &str, rows: &str| {
        format!("SELECT CAST({col} / 86400000 AS BIGINT) AS day, COUNT(*) AS n FROM {rows} GROUP BY CAST({col} / 86400000 AS BIGINT)")
    };
    let mut wanted = vec![
        if cid == 0 {
            (
                "new_members",
                "New members",
                per_day(
                    "created_at",
                    "users WHERE created_at >= $1 AND created_at < $2 AND $3 = 0",
                ),
            )
        } else {
            (
                "new_members",
                "Members who joined",
                per_day(
                    "joined_at",
                    "community_members WHERE joined_at >= $1 AND joined_at < $2 AND community_id = $3",
                ),
            )
        },
        (
            "posts",
            "Questions and discussions",
            per_day(
                "created_at",
                &format!(
                    "posts WHERE created_at >= $1 AND created_at < $2 AND {}",
                    in_community("community_id")
                ),
            ),
        ),
        (
            "replies",
            "Answers and replies",
            per_day(
                "r.created_at",
                &format!(
                    "replies r JOIN posts p ON p.id = r.post_id \
                     WHERE r.created_at >= $1 AND r.created_at < $2 AND {}",
                    in_community("p.community_id")
                ),
            ),
        ),
    ];
    if cid == 0 {
        wanted.push((
            "invites_sent",
            "Invitations e-mailed",
            per_day(
                "created_at",
                "outbox WHERE kind = 'invite' AND created_at >= $1 AND created_at < $2 AND $3 = 0",
            ),
        ));
        wanted.push((
            "invites_accepted",
            "Members who joined by invitation",
            per_day(
                "created_at",
                "users WHERE invited_by IS NOT NULL AND created_at >= $1 AND created_at < $2 AND $3 = 0",
            ),
        ));
    }
    let mut community_activity = Vec::with_capacity(wanted.len());
    for (key, label, sql) in wanted {
        let values = per_day_ms(db, &sql, first, last, cid).await?;
        community_activity.push(series(key, label, values));
    }
    Ok(community_activity)
}

/// Sponsored impressions and clicks per day.
async fn sponsored_series(
    db: &Db,
    first: i64,
    last: i64,
    cid: i64,
) -> Result<Vec<Series>, AppError> {
    let stat = |col: &str| {
        format!(
            "SELECT day, CAST(SUM({col}) AS BIGINT) AS n FROM ad_stats \
             WHERE day >= $1 AND day <= $2 AND {} GROUP BY day",
            in_community("community_id")
        )
    };
    Ok(vec![
        series(
            "impressions",
            "Sponsored impressions",
            per_day(db, &stat("impressions"), first, last, cid).await?,
        ),
        series(
            "clicks",
            "Sponsored clicks",
            per_day(db, &stat("clicks"), first, last, cid).await?,
        ),
    ])
}

/// The dashboard for days `first..=last` of all communities (`community` empty) or one.
pub async fn dashboard(
    db: &Db,
    first: i64,
    last: i64,
    community: &str,
) -> Result<Dashboard, AppError> {
    let communities: Vec<(String, String)> =
        sqlx::query("SELECT slug, name FROM communities ORDER BY name")
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("slug")?, r.try_get("name")?)))
            .collect::<Result<_, AppError>>()?;
    // 0: every community; otherwise the community's id.
    let cid: i64 = if community.is_empty() {
        0
    } else {
        sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
            .bind(community)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?
    };
    let (ms_first, ms_end) = (first * DAY, (last + 1) * DAY);

    let traffic = traffic_series(db, first, last, cid).await?;
    let demo = sqlx::query(
        "SELECT 1 AS one FROM traffic_days WHERE demo = 1 AND day >= $1 AND day <= $2 LIMIT 1",
    )
    .bind(first)
    .bind(last)
    .fetch_optional(&db.pool)
    .await?
    .is_some();

    let community_activity = activity_series(db, first, last, cid).await?;
    let sponsored = sponsored_series(db, first, last, cid).await?;

    let members = if cid == 0 {
        members_series(db, first, last).await?
    } else {
        Vec::new()
    };

    let mut tables = Vec::new();
    if cid == 0 {
        tables.push(members_table(&members));
    }
    tables.push(kinds_table(db, first, last, cid).await?);
    tables.push(top_table(db, first, last, cid).await?);
    if cid == 0 {
        tables.push(referrers_table(db, first, last).await?);
        tables.push(gaps_table(db, first, last).await?);
    }
    tables.push(answers_table(db, ms_first, ms_end, cid).await?);
    tables.push(campaigns_table(db, first, last, cid).await?);
    tables.push(inventory_table(db, first, last, cid).await?);
    tables.push(revenue_table(db, first, last, cid).await?);
    Ok(Dashboard {
        days: (first..=last).collect(),
        communities,
        community: community.to_string(),
        traffic,
        community_activity,
        members,
        sponsored,
        tables,
        demo,
        today_so_far: last == crate::counting::day_of(crate::db::now_ms()),
    })
}

/// The dashboard's series as CSV: `series,day,value`, one line per series and day.
pub fn csv(d: &Dashboard) -> String {
    let mut out = String::from("series,day,value\n");
    for s in d
        .traffic
        .iter()
        .chain(&d.community_activity)
        .chain(&d.members)
        .chain(&d.sponsored)
    {
        for (day, v) in d.days.iter().zip(&s.values) {
            out.push_str(&format!("{},{},{v}\n", s.key, day_label(*day)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earnings() {
        assert_eq!(earned(2500, Some(1200), None), 3000);
        assert_eq!(earned(2500, None, Some(50_000)), 50_000);
        assert_eq!(earned(2500, None, None), 0);
        assert_eq!(money(123_456), "1234.56");
    }
}
