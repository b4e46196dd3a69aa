//! Demo content: 90 days of generated traffic (marked as demo in `traffic_days` and `traffic_members`), so that the operator's charts have something to show; deterministic, and only into an empty history.

use app::state::AppState;
use sqlx::Row;

/// A small deterministic generator (the same demo every time).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below.max(1) as u64) as i64
    }
}

/// Fills the 90 days before today; returns how many days it wrote (0 when there was history).
pub async fn create(state: &AppState) -> Result<usize, String> {
    let db = &state.db;
    let e = |e: sqlx::Error| e.to_string();
    if sqlx::query("SELECT 1 AS one FROM traffic_days LIMIT 1")
        .fetch_optional(&db.pool)
        .await
        .map_err(e)?
        .is_some()
    {
        return Ok(0);
    }
    let today = app::counting::day_of(app::db::now_ms());
    let communities: Vec<(i64, String)> =
        sqlx::query("SELECT id, slug FROM communities ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .map_err(e)?
            .iter()
            .map(|r| (r.get("id"), r.get("slug")))
            .collect();
    let posts: Vec<(i64, i64)> = sqlx::query(
        "SELECT id, community_id FROM posts WHERE group_id IS NULL AND visibility = 'public' ORDER BY id LIMIT 12",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(e)?
    .iter()
    .map(|r| (r.get("id"), r.get("community_id")))
    .collect();
    let ms = communities
        .iter()
        .find(|(_, s)| s == "multiple-sclerosis")
        .map(|(id, _)| *id);
    let northbridge: Option<i64> = sqlx::query(
        "SELECT c.id FROM campaigns c JOIN advertisers a ON a.id = c.advertiser_id WHERE a.name = 'Northbridge Pharma' ORDER BY c.id LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await
    .map_err(e)?
    .map(|r| r.get("id"));
    let mut rng = Lcg(20_261_202);
    let mut tx = db.begin_write().await.map_err(e)?;
    for back in (1..=90).rev() {
        let day = today - back;
        // Slow growth, quieter weekends, some noise.
        let growth = 60 + (90 - back) * 2;
        let weekend = matches!((day + 4).rem_euclid(7), 0 | 6);
        let visitors = growth * if weekend { 7 } else { 10 } / 10 + rng.next(25);
        sqlx::query("INSERT INTO traffic_days (day, visitors, demo) VALUES ($1, $2, 1)")
            .bind(day)
            .bind(visitors)
            .execute(&mut *tx)
            .await
            .map_err(e)?;
        // Members: about a fifth of the visitors are logged in; the week and month count each
        // member once.
        let dau = visitors / 5 + rng.next(6);
        sqlx::query(
            "INSERT INTO traffic_members (day, dau, wau, mau, demo) VALUES ($1, $2, $3, $4, 1)",
        )
        .bind(day)
        .bind(dau)
        .bind(dau * 3 + rng.next(10))
        .bind(dau * 6 + rng.next(20))
        .execute(&mut *tx)
        .await
        .map_err(e)?;
        // Searches that found nothing: the content gaps an editor would write for.
        for (query, every) in [
            ("ocrelizumab travel insurance", 3),
            ("ms hug", 5),
            ("cml pregnancy", 7),
            ("driving licence diabetes", 9),
        ] {
            if back % every == 0 {
                sqlx::query("INSERT INTO search_misses (day, query, searches) VALUES ($1, $2, $3)")
                    .bind(day)
                    .bind(query)
                    .bind(1 + rng.next(3))
                    .execute(&mut *tx)
                    .await
                    .map_err(e)?;
            }
        }
        let mut pages: Vec<(&str, i64, i64)> = vec![
            ("home", 0, visitors / 2 + rng.next(20)),
            ("directory", 0, visitors / 6 + rng.next(10)),
            ("library", 0, visitors / 8 + rng.next(8)),
            ("search", 0, visitors / 10 + rng.next(6)),
            ("account", 0, visitors / 4 + rng.next(10)),
        ];
        for (i, (id, _)) in communities.iter().enumerate() {
            let share = [5, 3, 2].get(i).copied().unwrap_or(2);
            pages.push(("community", *id, visitors * share / 10 + rng.next(15)));
            pages.push(("post", *id, visitors * share / 5 + rng.next(30)));
            pages.push(("article", *id, visitors * share / 20 + rng.next(5)));
        }
        for (kind, community, views) in pages {
            sqlx::query(
                "INSERT INTO traffic_pages (day, kind, community_id, views) VALUES ($1, $2, $3, $4)",
            )
            .bind(day)
            .bind(kind)
            .bind(community)
            .bind(views)
            .execute(&mut *tx)
            .await
            .map_err(e)?;
        }
        let mut paths = vec![
            ("/".to_string(), visitors / 2),
            ("/directory".to_string(), visitors / 6),
        ];
        for (_, slug) in &communities {
            paths.push((format!("/c/{slug}"), visitors / 4 + rng.next(10)));
        }
        for (id, _) in &posts {
            paths.push((format!("/p/{id}"), rng.next(visitors / 5 + 1)));
        }
        for (path, views) in paths {
            sqlx::query("INSERT INTO traffic_paths (day, path, views) VALUES ($1, $2, $3)")
                .bind(day)
                .bind(path)
                .bind(views)
                .execute(&mut *tx)
                .await
                .map_err(e)?;
        }
        for (domain, share) in [
            ("google.com", 4),
            ("duckduckgo.com", 10),
            ("ms-society.example.org", 12),
            ("bing.com", 20),
        ] {
            sqlx::query("INSERT INTO traffic_referrers (day, domain, visits) VALUES ($1, $2, $3)")
                .bind(day)
                .bind(domain)
                .bind(visitors / share + rng.next(4))
                .execute(&mut *tx)
                .await
                .map_err(e)?;
        }
        // The Northbridge campaign ran in the MS feed for the last 30 days.
        if let (Some(campaign), Some(ms), true) = (northbridge, ms, back <= 30) {
            let shown = visitors / 2 + rng.next(20);
            let clicks = shown / 60 + rng.next(3);
            sqlx::query(
                "INSERT INTO ad_stats (campaign_id, day, community_id, placement, impressions, clicks) \
                 VALUES ($1, $2, $3, 'feed', $4, $5)",
            )
            .bind(campaign)
            .bind(day)
            .bind(ms)
            .bind(shown)
            .bind(clicks)
            .execute(&mut *tx)
            .await
            .map_err(e)?;
            sqlx::query(
                "INSERT INTO ad_slots (day, community_id, placement, paid, house, empty) VALUES ($1, $2, 'feed', $3, 0, $4)",
            )
            .bind(day)
            .bind(ms)
            .bind(shown)
            .bind(rng.next(10))
            .execute(&mut *tx)
            .await
            .map_err(e)?;
        }
        sqlx::query(
            "INSERT INTO ad_slots (day, community_id, placement, paid, house, empty) VALUES ($1, 0, 'sidebar', 0, $2, $3) \
             ON CONFLICT (day, community_id, placement) DO NOTHING",
        )
        .bind(day)
        .bind(visitors / 3)
        .bind(rng.next(8))
        .execute(&mut *tx)
        .await
        .map_err(e)?;
    }
    if let Some(c) = northbridge {
        // It started when its history does.
        sqlx::query("UPDATE campaigns SET starts_at = $1 WHERE id = $2")
            .bind((today - 30) * app::counting::DAY_MS)
            .bind(c)
            .execute(&mut *tx)
            .await
            .map_err(e)?;
    }
    tx.commit().await.map_err(e)?;
    Ok(90)
}
