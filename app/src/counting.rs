//! Server-only counters kept in memory and added to the database in batches (no write per page view), and the daily salt that makes visitor hashes unlinkable from one day to the next.

pub use crate::analytics::types::PageRef;
use crate::db::Db;
use crate::error::AppError;
pub use crate::sponsored::types::Placement;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 (UTC) of a Unix time in milliseconds.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// What filled a sponsored slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fill {
    Paid,
    House,
    Empty,
}

/// One thing counted. `community` is 0 for a page of no community.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Count {
    Impression {
        campaign: i64,
        day: i64,
        community: i64,
        slot: Placement,
    },
    Click {
        campaign: i64,
        day: i64,
        community: i64,
        slot: Placement,
    },
    /// A slot rendered for a person, and what filled it (the advertising inventory).
    SlotShown {
        day: i64,
        community: i64,
        slot: Placement,
        fill: Fill,
    },
    /// A visitor (today's hash) saw a campaign that has a per-visitor cap.
    Seen {
        day: i64,
        visitor: String,
        campaign: i64,
    },
    /// A page shown to a person.
    PageView { day: i64, page: PageRef },
    /// Today's hash of a visitor who opened a page.
    Visitor { day: i64, visitor: String },
    /// A visit that came from another site (its domain only).
    Referrer { day: i64, domain: String },
    /// A logged-in member opened a page that day (members active per day, week and month).
    Member { day: i64, user: crate::ids::UserId },
    /// A search that found nothing: its cleaned words, never who searched.
    SearchMiss { day: i64, query: String },
}

/// This process's counts since the last flush, and today's salt.
#[derive(Default)]
pub struct Counts {
    pending: Mutex<HashMap<Count, i64>>,
    salt: Mutex<Option<(i64, String)>>,
}

impl Counts {
    pub fn add(&self, what: Count) {
        if let Ok(mut p) = self.pending.lock() {
            *p.entry(what).or_insert(0) += 1;
        }
    }

    /// Impressions of `campaign` not yet flushed: (all, on `day`).
    pub fn pending_impressions(&self, campaign: i64, day: i64) -> (i64, i64) {
        let Ok(p) = self.pending.lock() else {
            return (0, 0);
        };
        p.iter().fold((0, 0), |(all, today), (k, n)| match k {
            Count::Impression {
                campaign: c,
                day: d,
                ..
            } if *c == campaign => (all + n, today + if *d == day { *n } else { 0 }),
            _ => (all, today),
        })
    }

    /// How often `visitor` saw `campaign` on `day`, not yet flushed.
    pub fn pending_seen(&self, day: i64, visitor: &str, campaign: i64) -> i64 {
        let key = Count::Seen {
            day,
            visitor: visitor.to_string(),
            campaign,
        };
        self.pending
            .lock()
            .ok()
            .and_then(|p| p.get(&key).copied())
            .unwrap_or(0)
    }

    /// Adds what was counted to the database (UPSERT add, so processes add up). On failure the
    /// counts go back for the next attempt.
    pub async fn flush(&self, db: &Db) -> Result<usize, AppError> {
        let batch = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => return Err(AppError::Internal),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        let n = batch.len();
        match write(db, &batch).await {
            Ok(()) => Ok(n),
            Err(e) => {
                if let Ok(mut p) = self.pending.lock() {
                    for (k, v) in batch {
                        *p.entry(k).or_insert(0) += v;
                    }
                }
                Err(e)
            }
        }
    }

    /// Today's salt, shared by every process through the database and deleted when its day is
    /// over (with the per-visitor counts it keyed).
    pub async fn salt(&self, db: &Db, now: i64) -> Result<String, AppError> {
        let day = day_of(now);
        if let Ok(s) = self.salt.lock() {
            if let Some((d, salt)) = s.as_ref() {
                if *d == day {
                    return Ok(salt.clone());
                }
            }
        }
        let fresh = crate::auth::repo::new_token();
        sqlx::query(
            "INSERT INTO daily_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
        )
        .bind(day)
        .bind(&fresh)
        .execute(&db.pool)
        .await?;
        let salt: String = sqlx::query_scalar("SELECT salt FROM daily_salts WHERE day = $1")
            .bind(day)
            .fetch_one(&db.pool)
            .await?;
        forget_before(db, day).await?;
        if let Ok(mut s) = self.salt.lock() {
            *s = Some((day, salt.clone()));
        }
        Ok(salt)
    }
}

/// Turns the visitor hashes of days before `day` into one number per day (`traffic_days`), then
/// deletes the salts of those days and the per-visitor counts they keyed. Safe to run in several
/// processes at once: the hashes are deleted and counted in one statement, so none is counted twice.
pub async fn forget_before(db: &Db, day: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let gone = sqlx::query("DELETE FROM traffic_visitors WHERE day < $1 RETURNING day")
        .bind(day)
        .fetch_all(&mut *tx)
        .await?;
    let mut per_day: HashMap<i64, i64> = HashMap::new();
    for r in &gone {
        *per_day.entry(sqlx::Row::try_get(r, "day")?).or_insert(0) += 1;
    }
    for (d, n) in per_day {
        sqlx::query(
            "INSERT INTO traffic_days (day, visitors) VALUES ($1, $2) \
             ON CONFLICT (day) DO UPDATE SET visitors = traffic_days.visitors + excluded.visitors",
        )
        .bind(d)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    close_member_days(db, day).await?;
    sqlx::query("DELETE FROM daily_salts WHERE day < $1")
        .bind(day)
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM ad_seen WHERE day < $1")
        .bind(day)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// How many members were active on `day`, in the 7 days and in the 30 days to it (from
/// `member_days`, which holds the last 30 days).
pub async fn members_active(db: &Db, day: i64) -> Result<(i64, i64, i64), AppError> {
    let mut out = [0i64; 3];
    for (slot, span) in out.iter_mut().zip([1, 7, 30]) {
        *slot = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT user_id) FROM member_days WHERE day > $1 AND day <= $2",
        )
        .bind(day - span)
        .bind(day)
        .fetch_one(&db.pool)
        .await?;
    }
    Ok((out[0], out[1], out[2]))
}

/// Writes the totals of every finished day before `today` that has none yet (several
/// processes may do it at once: the numbers are the same and the first one stays), then deletes
/// the member rows no rolling month needs any more.
pub async fn close_member_days(db: &Db, today: i64) -> Result<(), AppError> {
    let first: Option<i64> = sqlx::query_scalar("SELECT MIN(day) FROM member_days WHERE day < $1")
        .bind(today)
        .fetch_one(&db.pool)
        .await?;
    if let Some(first) = first {
        for day in first.max(today - 30)..today {
            let done: Option<i64> =
                sqlx::query_scalar("SELECT day FROM traffic_members WHERE day = $1")
                    .bind(day)
                    .fetch_optional(&db.pool)
                    .await?;
            if done.is_some() {
                continue;
            }
            let (dau, wau, mau) = members_active(db, day).await?;
            sqlx::query(
                "INSERT INTO traffic_members (day, dau, wau, mau) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (day) DO NOTHING",
            )
            .bind(day)
            .bind(dau)
            .bind(wau)
            .bind(mau)
            .execute(&db.pool)
            .await?;
        }
    }
    sqlx::query("DELETE FROM member_days WHERE day <= $1")
        .bind(today - 30)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The words of a search worth keeping as a content gap: not when they look like an address,
/// a telephone or record number (four digits or more) or are very long — a search box is where
/// people type what they would not post.
pub fn gap_query(words: &[String]) -> Option<String> {
    let query = words.join(" ");
    let digits = query.chars().filter(|c| c.is_ascii_digit()).count();
    let ok = !query.is_empty() && query.chars().count() <= 60 && digits < 4;
    ok.then_some(query)
}

/// A visitor for today: a hash of the salt, the address and the browser's user agent. It cannot
/// be turned back into either, and tomorrow's salt gives the same visitor another hash.
pub fn visitor_hash(salt: &str, ip: &str, user_agent: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(b"\n");
    h.update(ip.as_bytes());
    h.update(b"\n");
    h.update(user_agent.as_bytes());
    let mut hex = String::with_capacity(32);
    for b in h.finalize().iter().take(16) {
        for nibble in [b >> 4, b & 0x0f] {
            hex.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    hex
}

/// Known robots and tools (and requests with no user agent), whose page views and impressions
/// are not counted.
pub fn is_bot(user_agent: &str) -> bool {
    const MARKS: &[&str] = &[
        "bot",
        "crawl",
        "spider",
        "slurp",
        "curl/",
        "wget/",
        "python-",
        "go-http-client",
        "facebookexternalhit",
        "lighthouse",
        "preview",
        "monitor",
    ];
    let ua = user_agent.trim().to_ascii_lowercase();
    ua.is_empty() || MARKS.iter().any(|m| ua.contains(m))
}

/// The community a counted page belongs to (0 for none), or `None` when the address names
/// nothing that exists.
async fn community_of(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    page: &PageRef,
) -> Result<Option<i64>, AppError> {
    let (sql, key): (&str, String) = match page {
        PageRef::Community(slug) => (
            "SELECT id AS c FROM communities WHERE slug = $1",
            slug.clone(),
        ),
        PageRef::Group(slug) => (
            "SELECT community_id AS c FROM support_groups WHERE slug = $1",
            slug.clone(),
        ),
        PageRef::Article(slug) => (
            "SELECT community_id AS c FROM articles WHERE slug = $1",
            slug.clone(),
        ),
        PageRef::Clinic(slug) => ("SELECT 0 AS c FROM providers WHERE slug = $1", slug.clone()),
        PageRef::Post(id) => {
            let row = sqlx::query("SELECT community_id AS c FROM posts WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
            return Ok(row.map(|r| sqlx::Row::try_get(&r, "c")).transpose()?);
        }
        _ => return Ok(Some(0)),
    };
    let row = sqlx::query(sql).bind(key).fetch_optional(&mut **tx).await?;
    Ok(row
        .map(|r| sqlx::Row::try_get::<i64, _>(&r, "c"))
        .transpose()?)
}

/// Counts a page shown to a person: the page (kind and community), today's visitor hash, and
/// the referring site's domain. Robots are not counted.
pub async fn page_view(
    state: &crate::state::AppState,
    page: PageRef,
    ip: &str,
    user_agent: &str,
    referrer: Option<String>,
) -> Result<(), AppError> {
    if is_bot(user_agent) {
        return Ok(());
    }
    let now = crate::db::now_ms();
    let day = day_of(now);
    let salt = state.counts.salt(&state.db, now).await?;
    state.counts.add(Count::Visitor {
        day,
        visitor: visitor_hash(&salt, ip, user_agent),
    });
    if let Some(domain) = referrer {
        state.counts.add(Count::Referrer { day, domain });
    }
    state.counts.add(Count::PageView { day, page });
    Ok(())
}

/// The counts of one flush, in one transaction.
async fn write(db: &Db, batch: &HashMap<Count, i64>) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    for (k, n) in batch {
        if !add_ad_count(&mut tx, k, *n).await? {
            add_traffic_count(&mut tx, k, *n).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

type CountTx = sqlx::Transaction<'static, sqlx::Any>;

/// Adds an advertising count (impressions, clicks, slots shown, a visitor's sightings of a
/// campaign); false for any other count.
async fn add_ad_count(tx: &mut CountTx, k: &Count, n: i64) -> Result<bool, AppError> {
    match k {
        Count::Impression {
            campaign,
            day,
            community,
            slot,
        } => add_campaign_stat(tx, (*campaign, *day, *community, *slot), (n, 0)).await?,
        Count::Click {
            campaign,
            day,
            community,
            slot,
        } => add_campaign_stat(tx, (*campaign, *day, *community, *slot), (0, n)).await?,
        Count::SlotShown {
            day,
            community,
            slot,
            fill,
        } => add_slot_shown(tx, (*day, *community, *slot), *fill, n).await?,
        Count::Seen {
            day,
            visitor,
            campaign,
        } => {
            sqlx::query(
                "INSERT INTO ad_seen (day, visitor, campaign_id, shown) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (day, visitor, campaign_id) DO UPDATE SET shown = ad_seen.shown + excluded.shown",
            )
            .bind(day)
            .bind(visitor)
            .bind(campaign)
            .bind(n)
            .execute(&mut **tx)
            .await?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Adds impressions and clicks to a campaign's row of a day, community and slot.
async fn add_campaign_stat(
    tx: &mut CountTx,
    (campaign, day, community, slot): (i64, i64, i64, Placement),
    (impressions, clicks): (i64, i64),
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO ad_stats (campaign_id, day, community_id, placement, impressions, clicks) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (campaign_id, day, community_id, placement) DO UPDATE SET \
         impressions = ad_stats.impressions + excluded.impressions, \
         clicks = ad_stats.clicks + excluded.clicks",
    )
    .bind(campaign)
    .bind(day)
    .bind(community)
    .bind(slot.as_str())
    .bind(impressions)
    .bind(clicks)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds `n` slots shown, by what filled them, to a day's row of a community and slot.
async fn add_slot_shown(
    tx: &mut CountTx,
    (day, community, slot): (i64, i64, Placement),
    fill: Fill,
    n: i64,
) -> Result<(), AppError> {
    let (paid, house, empty) = match fill {
        Fill::Paid => (n, 0, 0),
        Fill::House => (0, n, 0),
        Fill::Empty => (0, 0, n),
    };
    sqlx::query(
        "INSERT INTO ad_slots (day, community_id, placement, paid, house, empty) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (day, community_id, placement) DO UPDATE SET \
         paid = ad_slots.paid + excluded.paid, house = ad_slots.house + excluded.house, \
         empty = ad_slots.empty + excluded.empty",
    )
    .bind(day)
    .bind(community)
    .bind(slot.as_str())
    .bind(paid)
    .bind(house)
    .bind(empty)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds `n` to the `count` column of a day's `key` row of `table` (made at `n` when new).
/// The names are this file's constants, never input.
async fn add_keyed(
    tx: &mut CountTx,
    table: &str,
    key: &str,
    count: &str,
    (day, value): (i64, &str),
    n: i64,
) -> Result<(), AppError> {
    sqlx::query(&format!(
        "INSERT INTO {table} (day, {key}, {count}) VALUES ($1, $2, $3) \
         ON CONFLICT (day, {key}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    ))
    .bind(day)
    .bind(value)
    .bind(n)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds a traffic count (page views, visitors, members active, searches that found nothing,
/// referrers); advertising counts are [`add_ad_count`]'s.
async fn add_traffic_count(tx: &mut CountTx, k: &Count, n: i64) -> Result<(), AppError> {
    match k {
        Count::PageView { day, page } => {
            let Some(community) = community_of(tx, page).await? else {
                // An address of nothing (a post that does not exist): not counted.
                return Ok(());
            };
            sqlx::query(
                "INSERT INTO traffic_pages (day, kind, community_id, views) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (day, kind, community_id) DO UPDATE SET views = traffic_pages.views + excluded.views",
            )
            .bind(day)
            .bind(page.kind())
            .bind(community)
            .bind(n)
            .execute(&mut **tx)
            .await?;
            if let Some(path) = page.public_path() {
                add_keyed(tx, "traffic_paths", "path", "views", (*day, &path), n).await?;
            }
        }
        Count::Visitor { day, visitor } => {
            sqlx::query(
                "INSERT INTO traffic_visitors (day, visitor) VALUES ($1, $2) ON CONFLICT (day, visitor) DO NOTHING",
            )
            .bind(day)
            .bind(visitor)
            .execute(&mut **tx)
            .await?;
        }
        Count::Member { day, user } => {
            sqlx::query(
                "INSERT INTO member_days (day, user_id) SELECT $1, id FROM users WHERE id = $2 \
                 ON CONFLICT (day, user_id) DO NOTHING",
            )
            .bind(day)
            .bind(user)
            .execute(&mut **tx)
            .await?;
        }
        Count::SearchMiss { day, query } => {
            add_keyed(tx, "search_misses", "query", "searches", (*day, query), n).await?;
        }
        Count::Referrer { day, domain } => {
            add_keyed(
                tx,
                "traffic_referrers",
                "domain",
                "visits",
                (*day, domain),
                n,
            )
            .await?;
        }
        // Named, not `_`: a new kind of count fails to compile until it is written somewhere.
        Count::Impression { .. }
        | Count::Click { .. }
        | Count::SlotShown { .. }
        | Count::Seen { .. } => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_and_tools_are_not_people() {
        for ua in [
            "",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "curl/8.5.0",
            "python-requests/2.31",
            "Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36 Chrome-Lighthouse",
        ] {
            assert!(is_bot(ua), "{ua}");
        }
        assert!(!is_bot(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
        ));
    }

    #[test]
    fn visitor_hashes_change_with_the_salt() {
        let a = visitor_hash("salt-1", "203.0.113.9", "Firefox");
        assert_eq!(a, visitor_hash("salt-1", "203.0.113.9", "Firefox"));
        assert_ne!(a, visitor_hash("salt-2", "203.0.113.9", "Firefox"));
        assert_ne!(a, visitor_hash("salt-1", "203.0.113.8", "Firefox"));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn pending_counts_add_up_per_campaign_and_day() {
        let c = Counts::default();
        for (campaign, day) in [(1, 10), (1, 10), (1, 9), (2, 10)] {
            c.add(Count::Impression {
                campaign,
                day,
                community: 0,
                slot: Placement::Feed,
            });
        }
        assert_eq!(c.pending_impressions(1, 10), (3, 2));
        assert_eq!(c.pending_impressions(2, 10), (1, 1));
        c.add(Count::Seen {
            day: 10,
            visitor: "v".into(),
            campaign: 1,
        });
        assert_eq!(c.pending_seen(10, "v", 1), 1);
        assert_eq!(c.pending_seen(11, "v", 1), 0);
    }
}
