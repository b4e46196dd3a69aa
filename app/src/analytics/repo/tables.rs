//! The dashboard's tables: kinds of page, top pages, referring sites, members, search gaps, answers, campaigns with revenue, and the advertising inventory.

use super::*;

pub(super) async fn kinds_table(
    db: &Db,
    first: i64,
    last: i64,
    cid: i64,
) -> Result<Table, AppError> {
    let mut table = counted(
        db,
        "SELECT kind, CAST(SUM(views) AS BIGINT) AS n FROM traffic_pages \
         WHERE day >= $1 AND day <= $2 AND ($3 = 0 OR community_id = $3) GROUP BY kind ORDER BY n DESC, kind",
        (first, last, Some(cid)),
        "Page views by kind of page",
        ["Kind of page", "Views"],
    )
    .await?;
    for row in &mut table.rows {
        row.name = PageRef::kind_label(&row.name).to_string();
    }
    Ok(table)
}

pub(super) async fn top_table(db: &Db, first: i64, last: i64, cid: i64) -> Result<Table, AppError> {
    // A community's top pages are its own page, its posts and its articles.
    let mut table = counted(
        db,
        "SELECT t.path, CAST(SUM(t.views) AS BIGINT) AS n FROM traffic_paths t \
         WHERE t.day >= $1 AND t.day <= $2 AND ($3 = 0 \
           OR t.path = (SELECT '/c/' || slug FROM communities WHERE id = $3) \
           OR EXISTS (SELECT 1 FROM posts p WHERE '/p/' || CAST(p.id AS TEXT) = t.path AND p.community_id = $3) \
           OR EXISTS (SELECT 1 FROM articles a WHERE '/library/' || a.slug = t.path AND a.community_id = $3)) \
         GROUP BY t.path ORDER BY n DESC, t.path LIMIT 10",
        (first, last, Some(cid)),
        "Top pages",
        ["Page", "Views"],
    )
    .await?;
    for row in &mut table.rows {
        let path = std::mem::take(&mut row.name);
        row.name = page_title(db, &path).await?;
        row.href = Some(path);
    }
    Ok(table)
}

/// What the operator reads for a counted address: the page's name as a visitor sees it. A post
/// a visitor may not read (members only, in a closed group, held or removed) and a page gone
/// since are named by their kind alone: the dashboard shows no more than the site does.
async fn page_title(db: &Db, path: &str) -> Result<String, AppError> {
    let named = |sql: &'static str, key: String| async move {
        sqlx::query_scalar::<_, String>(sql)
            .bind(key)
            .fetch_optional(&db.pool)
            .await
    };
    let (found, otherwise) = match classify(path) {
        Some(PageRef::Home) => (None, "Home page"),
        Some(PageRef::Library) => (None, "Health library"),
        Some(PageRef::Directory) => (None, "Find care"),
        Some(PageRef::About) => (None, "About"),
        Some(PageRef::Community(slug)) => (
            named("SELECT name FROM communities WHERE slug = $1", slug).await?,
            "A community",
        ),
        Some(PageRef::Article(slug)) => (
            named(
                "SELECT v.title FROM articles a JOIN article_versions v ON v.id = a.published_version_id \
                 WHERE a.slug = $1",
                slug,
            )
            .await?,
            "A library article",
        ),
        Some(PageRef::Clinic(slug)) => (
            named("SELECT name FROM providers WHERE slug = $1", slug).await?,
            "A clinic or clinician",
        ),
        Some(PageRef::Post(id)) => {
            let mut params = crate::posts::repo::Params::default();
            let pid = params.p(id);
            let sql = format!(
                "SELECT p.title FROM posts p WHERE p.id = {pid} AND p.deleted_at IS NULL \
                 AND {} = 1 AND {}",
                crate::access::readable(&mut params, None),
                crate::access::listed(&mut params, None)
            );
            let title: Option<String> = crate::posts::repo::with_params(&sql, &params.0)
                .fetch_optional(&db.pool)
                .await?
                .map(|r| r.try_get("title"))
                .transpose()?;
            (title, "A post for members only")
        }
        _ => (None, "Another page"),
    };
    Ok(found.unwrap_or_else(|| otherwise.to_string()))
}

pub(super) async fn referrers_table(db: &Db, first: i64, last: i64) -> Result<Table, AppError> {
    counted(
        db,
        "SELECT domain, CAST(SUM(visits) AS BIGINT) AS n FROM traffic_referrers \
         WHERE day >= $1 AND day <= $2 GROUP BY domain ORDER BY n DESC, domain LIMIT 10",
        (first, last, None),
        "Referring sites",
        ["Site", "Visits"],
    )
    .await
}

/// A table of names and counts: `sql` selects a name and `n` over the days `first..=last`
/// (`$1`, `$2`) and, when given, a community (`$3`).
async fn counted(
    db: &Db,
    sql: &str,
    (first, last, community): (i64, i64, Option<i64>),
    title: &str,
    [name, count]: [&str; 2],
) -> Result<Table, AppError> {
    let mut q = sqlx::query_as::<_, (String, i64)>(sql)
        .bind(first)
        .bind(last);
    if let Some(c) = community {
        q = q.bind(c);
    }
    Ok(Table {
        title: title.into(),
        columns: vec![name.into(), count.into()],
        rows: q
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .map(|(name, n)| TableRow {
                href: None,
                name,
                values: vec![n.to_string()],
            })
            .collect(),
    })
}

/// Members active per day, week (7 days to the day) and month (30 days): the finished days'
/// totals, and for days not yet closed (today) counted from the last 30 days' rows.
pub(super) async fn members_series(
    db: &Db,
    first: i64,
    last: i64,
) -> Result<Vec<Series>, AppError> {
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT day, dau, wau, mau FROM traffic_members WHERE day >= $1 AND day <= $2",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&db.pool)
    .await?;
    let closed: HashMap<i64, (i64, i64, i64)> = rows
        .into_iter()
        .map(|(day, dau, wau, mau)| (day, (dau, wau, mau)))
        .collect();
    let today = crate::counting::day_of(crate::db::now_ms());
    let (mut dau, mut wau, mut mau) = (Vec::new(), Vec::new(), Vec::new());
    for day in first..=last {
        let v = match closed.get(&day) {
            Some(v) => *v,
            None if day > today - 30 && day <= today => {
                crate::counting::members_active(db, day).await?
            }
            None => (0, 0, 0),
        };
        dau.push(v.0);
        wau.push(v.1);
        mau.push(v.2);
    }
    Ok(vec![
        series("members_day", "Members active that day", dau),
        series("members_week", "… in the 7 days to it", wau),
        series("members_month", "… in the 30 days to it", mau),
    ])
}

/// The last day's active members and the stickiness (DAU/MAU) of the range.
pub(super) fn members_table(members: &[Series]) -> Table {
    let last = |i: usize| {
        members
            .get(i)
            .and_then(|s| s.values.last().copied())
            .unwrap_or(0)
    };
    let (dau, wau, mau) = (last(0), last(1), last(2));
    let pct = |a: i64, b: i64| {
        if b == 0 {
            "–".to_string()
        } else {
            format!("{} %", a * 100 / b)
        }
    };
    // The average of each day's DAU/MAU, over the days that had a month of members.
    let ratios: Vec<f64> = match (members.first(), members.get(2)) {
        (Some(d), Some(m)) => d
            .values
            .iter()
            .zip(&m.values)
            .filter(|(_, m)| **m > 0)
            .map(|(d, m)| *d as f64 / *m as f64)
            .collect(),
        _ => Vec::new(),
    };
    let average = if ratios.is_empty() {
        "–".to_string()
    } else {
        format!(
            "{:.0} %",
            100.0 * ratios.iter().sum::<f64>() / ratios.len() as f64
        )
    };
    let row = |name: &str, v: String| TableRow {
        href: None,
        name: name.into(),
        values: vec![v],
    };
    Table {
        title: "Members active (the range's last day)".into(),
        columns: vec!["Measure".into(), "Value".into()],
        rows: vec![
            row("That day (DAU)", dau.to_string()),
            row("In the 7 days to it (WAU)", wau.to_string()),
            row("In the 30 days to it (MAU)", mau.to_string()),
            row("DAU / MAU that day", pct(dau, mau)),
            row("DAU / MAU, average of the range", average),
        ],
    }
}

/// Content gaps: the words of searches that found nothing, most asked first. Words searched
/// only once in the range are left out (they are the likeliest to be personal, and one search
/// is not a gap).
pub(super) async fn gaps_table(db: &Db, first: i64, last: i64) -> Result<Table, AppError> {
    counted(
        db,
        "SELECT query, CAST(SUM(searches) AS BIGINT) AS n FROM search_misses \
         WHERE day >= $1 AND day <= $2 GROUP BY query HAVING SUM(searches) >= 2 \
         ORDER BY n DESC, query LIMIT 20",
        (first, last, None),
        "Searches that found nothing",
        ["Words searched (twice or more)", "Searches"],
    )
    .await
}

/// Questions asked in the range: how many were answered within 24 hours, and the median time
/// to the first answer by someone other than the asker.
pub(super) async fn answers_table(
    db: &Db,
    ms_first: i64,
    ms_end: i64,
    cid: i64,
) -> Result<Table, AppError> {
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT p.created_at, (SELECT MIN(r.created_at) FROM replies r WHERE r.post_id = p.id \
           AND r.depth = 0 AND r.author_id <> p.author_id AND r.deleted_at IS NULL) AS first_answer \
         FROM posts p WHERE p.kind = 'question' AND p.deleted_at IS NULL \
           AND p.created_at >= $1 AND p.created_at < $2 AND ($3 = 0 OR p.community_id = $3)",
    )
    .bind(ms_first)
    .bind(ms_end)
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    let mut waits: Vec<i64> = Vec::new();
    let mut within = 0;
    for &(asked, first_answer) in &rows {
        if let Some(a) = first_answer {
            let wait = a - asked;
            if wait <= DAY {
                within += 1;
            }
            waits.push(wait);
        }
    }
    waits.sort_unstable();
    let asked = rows.len() as i64;
    let median = match waits.get(waits.len() / 2) {
        None => "–".to_string(),
        Some(w) => {
            let m = w / 60_000;
            if m < 120 {
                format!("{m} min")
            } else {
                format!("{:.1} h", m as f64 / 60.0)
            }
        }
    };
    let share = if asked == 0 {
        "–".to_string()
    } else {
        format!("{} %", within * 100 / asked)
    };
    Ok(Table {
        title: "Questions and answers".into(),
        columns: vec!["Measure".into(), "Value".into()],
        rows: vec![
            TableRow {
                href: None,
                name: "Questions asked".into(),
                values: vec![asked.to_string()],
            },
            TableRow {
                href: None,
                name: "Answered within 24 hours".into(),
                values: vec![share],
            },
            TableRow {
                href: None,
                name: "Median time to the first answer".into(),
                values: vec![median],
            },
        ],
    })
}

/// A campaign's sums over the range, as `campaigns_table` reads them.
#[derive(sqlx::FromRow)]
struct CampaignRow {
    headline: String,
    cpm_cents: Option<i64>,
    flat_fee_cents: Option<i64>,
    adv: String,
    imp: i64,
    clk: i64,
}

/// Each campaign's impressions, clicks, CTR and what it earned in the range: a price per 1,000
/// impressions times the impressions, or a flat fee for campaigns that ran in the range.
pub(super) async fn campaigns_table(
    db: &Db,
    first: i64,
    last: i64,
    cid: i64,
) -> Result<Table, AppError> {
    let rows: Vec<CampaignRow> = sqlx::query_as(
        "SELECT c.id, c.headline, c.cpm_cents, c.flat_fee_cents, COALESCE(a.name, '') AS adv, \
           CAST(SUM(s.impressions) AS BIGINT) AS imp, CAST(SUM(s.clicks) AS BIGINT) AS clk \
         FROM ad_stats s JOIN campaigns c ON c.id = s.campaign_id LEFT JOIN advertisers a ON a.id = c.advertiser_id \
         WHERE s.day >= $1 AND s.day <= $2 AND ($3 = 0 OR s.community_id = $3) \
         GROUP BY c.id, c.headline, c.cpm_cents, c.flat_fee_cents, a.name ORDER BY imp DESC, c.id",
    )
    .bind(first)
    .bind(last)
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let (imp, clk) = (r.imp, r.clk);
        let earned = earned(imp, r.cpm_cents, r.flat_fee_cents);
        out.push(TableRow {
            href: None,
            name: format!(
                "{} ({})",
                r.headline,
                if r.adv.is_empty() {
                    "house promotion".to_string()
                } else {
                    r.adv
                }
            ),
            values: vec![
                imp.to_string(),
                clk.to_string(),
                crate::sponsored::types::ctr(imp, clk),
                money(earned),
            ],
        });
    }
    Ok(Table {
        title: "Campaigns".into(),
        columns: vec![
            "Campaign".into(),
            "Impressions".into(),
            "Clicks".into(),
            "CTR".into(),
            "Earned".into(),
        ],
        rows: out,
    })
}

pub(super) fn earned(impressions: i64, cpm: Option<i64>, flat: Option<i64>) -> i64 {
    match (cpm, flat) {
        (Some(c), _) => impressions * c / 1000,
        (None, Some(f)) => f,
        _ => 0,
    }
}

pub(super) async fn inventory_table(
    db: &Db,
    first: i64,
    last: i64,
    cid: i64,
) -> Result<Table, AppError> {
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT placement, CAST(SUM(paid) AS BIGINT) AS paid, CAST(SUM(house) AS BIGINT) AS house, \
           CAST(SUM(empty) AS BIGINT) AS empty FROM ad_slots \
         WHERE day >= $1 AND day <= $2 AND ($3 = 0 OR community_id = $3) GROUP BY placement ORDER BY placement",
    )
    .bind(first)
    .bind(last)
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    let pct = |part: i64, all: i64| {
        if all == 0 {
            "–".to_string()
        } else {
            format!("{} %", part * 100 / all)
        }
    };
    let mut out = Vec::new();
    for (placement, paid, house, empty) in rows {
        let all = paid + house + empty;
        out.push(TableRow {
            href: None,
            name: placement,
            values: vec![
                all.to_string(),
                pct(paid, all),
                pct(house, all),
                pct(empty, all),
            ],
        });
    }
    Ok(Table {
        title: "Advertising inventory (sponsored slots shown)".into(),
        columns: vec![
            "Placement".into(),
            "Slots".into(),
            "Campaigns".into(),
            "House promotions".into(),
            "Empty".into(),
        ],
        rows: out,
    })
}

/// A campaign's impressions on one day, as `revenue_table` reads them.
#[derive(sqlx::FromRow)]
struct RevenueRow {
    day: i64,
    id: i64,
    cpm_cents: Option<i64>,
    flat_fee_cents: Option<i64>,
    adv: String,
    imp: i64,
}

/// What each advertiser earned the operator per month of the range.
pub(super) async fn revenue_table(
    db: &Db,
    first: i64,
    last: i64,
    cid: i64,
) -> Result<Table, AppError> {
    let mut rows: Vec<RevenueRow> = sqlx::query_as(
        "SELECT s.day, c.id, c.cpm_cents, c.flat_fee_cents, a.name AS adv, \
           CAST(SUM(s.impressions) AS BIGINT) AS imp \
         FROM ad_stats s JOIN campaigns c ON c.id = s.campaign_id JOIN advertisers a ON a.id = c.advertiser_id \
         WHERE s.day >= $1 AND s.day <= $2 AND ($3 = 0 OR s.community_id = $3) \
         GROUP BY s.day, c.id, c.cpm_cents, c.flat_fee_cents, a.name",
    )
    .bind(first)
    .bind(last)
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    // (advertiser, month) → cents; a flat fee counts once, in the first month it was shown.
    let mut sums: HashMap<(String, String), i64> = HashMap::new();
    let mut flat_seen: Vec<i64> = Vec::new();
    rows.sort_by_key(|r| r.day);
    for r in rows {
        let month = day_label(r.day)[..7].to_string();
        let cents = match (r.cpm_cents, r.flat_fee_cents) {
            (Some(c), _) => r.imp * c / 1000,
            (None, Some(f)) if !flat_seen.contains(&r.id) => {
                flat_seen.push(r.id);
                f
            }
            _ => 0,
        };
        *sums.entry((r.adv, month)).or_insert(0) += cents;
    }
    let mut keys: Vec<_> = sums.into_iter().collect();
    keys.sort();
    Ok(Table {
        title: "Revenue by advertiser and month".into(),
        columns: vec!["Advertiser".into(), "Month".into(), "Earned".into()],
        rows: keys
            .into_iter()
            .map(|((adv, month), cents)| TableRow {
                href: None,
                name: adv,
                values: vec![month, money(cents)],
            })
            .collect(),
    })
}
