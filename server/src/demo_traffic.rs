//! Demo content: 90 days of generated traffic (marked as demo in `traffic_days` and `traffic_members`), so that the operator's charts have something to show; deterministic, and only into an empty history.

use app::db::Db;
use app::state::AppState;

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
    fill(&state.db).await.map_err(|e| e.to_string())
}

async fn fill(db: &Db) -> Result<usize, sqlx::Error> {
    if sqlx::query("SELECT 1 AS one FROM traffic_days LIMIT 1")
        .fetch_optional(&db.pool)
        .await?
        .is_some()
    {
        return Ok(0);
    }
    let today = app::counting::day_of(app::db::now_ms());
    let site = Site::load(db).await?;
    let mut rng = Lcg(20_261_202);
    let mut tx = db.begin_write().await?;
    for back in (1..=90).rev() {
        let mut day = Day {
            tx: &mut tx,
            rng: &mut rng,
            day: today - back,
            back,
        };
        let visitors = day.visitors().await?;
        day.searches().await?;
        day.pages(&site, visitors).await?;
        day.paths(&site, visitors).await?;
        day.referrers(visitors).await?;
        day.ads(&site, visitors).await?;
    }
    if let Some(c) = site.northbridge {
        // It started when its history does.
        sqlx::query("UPDATE campaigns SET starts_at = $1 WHERE id = $2")
            .bind((today - 30) * app::counting::DAY_MS)
            .bind(c)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(90)
}

/// What the history refers to: the communities, a dozen public posts, the MS community and the
/// Northbridge campaign.
struct Site {
    communities: Vec<(i64, String)>,
    posts: Vec<(i64, i64)>,
    ms: Option<i64>,
    northbridge: Option<i64>,
}

impl Site {
    async fn load(db: &Db) -> Result<Site, sqlx::Error> {
        let communities: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, slug FROM communities ORDER BY id")
                .fetch_all(&db.pool)
                .await?;
        let posts: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, community_id FROM posts WHERE group_id IS NULL AND visibility = 'public' ORDER BY id LIMIT 12",
        )
        .fetch_all(&db.pool)
        .await?;
        let ms = communities
            .iter()
            .find(|(_, s)| s == "multiple-sclerosis")
            .map(|(id, _)| *id);
        let northbridge: Option<i64> = sqlx::query_scalar(
            "SELECT c.id FROM campaigns c JOIN advertisers a ON a.id = c.advertiser_id WHERE a.name = 'Northbridge Pharma' ORDER BY c.id LIMIT 1",
        )
        .fetch_optional(&db.pool)
        .await?;
        Ok(Site {
            communities,
            posts,
            ms,
            northbridge,
        })
    }
}

/// One day of the history being written (`back` days before today).
struct Day<'a> {
    tx: &'a mut sqlx::Transaction<'static, sqlx::Any>,
    rng: &'a mut Lcg,
    day: i64,
    back: i64,
}

impl Day<'_> {
    /// The day's visitors (slow growth, quieter weekends, some noise) and logged-in members.
    async fn visitors(&mut self) -> Result<i64, sqlx::Error> {
        let (day, back) = (self.day, self.back);
        let growth = 60 + (90 - back) * 2;
        let weekend = matches!((day + 4).rem_euclid(7), 0 | 6);
        let visitors = growth * if weekend { 7 } else { 10 } / 10 + self.rng.next(25);
        sqlx::query("INSERT INTO traffic_days (day, visitors, demo) VALUES ($1, $2, 1)")
            .bind(day)
            .bind(visitors)
            .execute(&mut **self.tx)
            .await?;
        // Members: about a fifth of the visitors are logged in; the week and month count each
        // member once.
        let dau = visitors / 5 + self.rng.next(6);
        sqlx::query(
            "INSERT INTO traffic_members (day, dau, wau, mau, demo) VALUES ($1, $2, $3, $4, 1)",
        )
        .bind(day)
        .bind(dau)
        .bind(dau * 3 + self.rng.next(10))
        .bind(dau * 6 + self.rng.next(20))
        .execute(&mut **self.tx)
        .await?;
        Ok(visitors)
    }

    /// Searches that found nothing: the content gaps an editor would write for.
    async fn searches(&mut self) -> Result<(), sqlx::Error> {
        for (query, every) in [
            ("ocrelizumab travel insurance", 3),
            ("ms hug", 5),
            ("cml pregnancy", 7),
            ("driving licence diabetes", 9),
        ] {
            if self.back % every == 0 {
                sqlx::query("INSERT INTO search_misses (day, query, searches) VALUES ($1, $2, $3)")
                    .bind(self.day)
                    .bind(query)
                    .bind(1 + self.rng.next(3))
                    .execute(&mut **self.tx)
                    .await?;
            }
        }
        Ok(())
    }

    /// Views by kind of page, the communities' pages by community.
    async fn pages(&mut self, site: &Site, visitors: i64) -> Result<(), sqlx::Error> {
        let rng = &mut *self.rng;
        let mut pages: Vec<(&str, i64, i64)> = vec![
            ("home", 0, visitors / 2 + rng.next(20)),
            ("directory", 0, visitors / 6 + rng.next(10)),
            ("library", 0, visitors / 8 + rng.next(8)),
            ("search", 0, visitors / 10 + rng.next(6)),
            ("account", 0, visitors / 4 + rng.next(10)),
        ];
        for (i, (id, _)) in site.communities.iter().enumerate() {
            let share = [5, 3, 2].get(i).copied().unwrap_or(2);
            pages.push(("community", *id, visitors * share / 10 + rng.next(15)));
            pages.push(("post", *id, visitors * share / 5 + rng.next(30)));
            pages.push(("article", *id, visitors * share / 20 + rng.next(5)));
        }
        for (kind, community, views) in pages {
            sqlx::query(
                "INSERT INTO traffic_pages (day, kind, community_id, views) VALUES ($1, $2, $3, $4)",
            )
            .bind(self.day)
            .bind(kind)
            .bind(community)
            .bind(views)
            .execute(&mut **self.tx)
            .await?;
        }
        Ok(())
    }

    /// Views by path: the front page, the directory, the communities and a dozen posts.
    async fn paths(&mut self, site: &Site, visitors: i64) -> Result<(), sqlx::Error> {
        let mut paths = vec![
            ("/".to_string(), visitors / 2),
            ("/directory".to_string(), visitors / 6),
        ];
        for (_, slug) in &site.communities {
            paths.push((format!("/c/{slug}"), visitors / 4 + self.rng.next(10)));
        }
        for (id, _) in &site.posts {
            paths.push((format!("/p/{id}"), self.rng.next(visitors / 5 + 1)));
        }
        for (path, views) in paths {
            sqlx::query("INSERT INTO traffic_paths (day, path, views) VALUES ($1, $2, $3)")
                .bind(self.day)
                .bind(path)
                .bind(views)
                .execute(&mut **self.tx)
                .await?;
        }
        Ok(())
    }

    /// Visits by referring site.
    async fn referrers(&mut self, visitors: i64) -> Result<(), sqlx::Error> {
        for (domain, share) in [
            ("google.com", 4),
            ("duckduckgo.com", 10),
            ("ms-society.example.org", 12),
            ("bing.com", 20),
        ] {
            sqlx::query("INSERT INTO traffic_referrers (day, domain, visits) VALUES ($1, $2, $3)")
                .bind(self.day)
                .bind(domain)
                .bind(visitors / share + self.rng.next(4))
                .execute(&mut **self.tx)
                .await?;
        }
        Ok(())
    }

    /// The Northbridge campaign in the MS feed for the last 30 days, and the house sidebar.
    async fn ads(&mut self, site: &Site, visitors: i64) -> Result<(), sqlx::Error> {
        let day = self.day;
        if let (Some(campaign), Some(ms), true) = (site.northbridge, site.ms, self.back <= 30) {
            let shown = visitors / 2 + self.rng.next(20);
            let clicks = shown / 60 + self.rng.next(3);
            sqlx::query(
                "INSERT INTO ad_stats (campaign_id, day, community_id, placement, impressions, clicks) \
                 VALUES ($1, $2, $3, 'feed', $4, $5)",
            )
            .bind(campaign)
            .bind(day)
            .bind(ms)
            .bind(shown)
            .bind(clicks)
            .execute(&mut **self.tx)
            .await?;
            sqlx::query(
                "INSERT INTO ad_slots (day, community_id, placement, paid, house, empty) VALUES ($1, $2, 'feed', $3, 0, $4)",
            )
            .bind(day)
            .bind(ms)
            .bind(shown)
            .bind(self.rng.next(10))
            .execute(&mut **self.tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO ad_slots (day, community_id, placement, paid, house, empty) VALUES ($1, 0, 'sidebar', 0, $2, $3) \
             ON CONFLICT (day, community_id, placement) DO NOTHING",
        )
        .bind(day)
        .bind(visitors / 3)
        .bind(self.rng.next(8))
        .execute(&mut **self.tx)
        .await?;
        Ok(())
    }
}
