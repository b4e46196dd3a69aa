//! One database's measurements: finding the pages' subjects, and timing every page kind and write.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline benchmark over the figures it measured itself; it never serves a request"
)]

use super::*;

/// The pages' subjects, read from the seeded database.
pub(super) struct Subjects {
    member: String,
    community: String,
    thread: i64,
    post: i64,
    author: String,
    /// The provider with the most reviews (its page lists them).
    provider: String,
}

pub(super) async fn subjects(db: &Db) -> Result<Subjects, String> {
    let err = |e: sqlx::Error| e.to_string();
    // A member of several communities and of a support group: the home feed a regular reads.
    let member: String = sqlx::query_scalar(
        "SELECT u.handle FROM users u WHERE u.email LIKE '%@scale.invalid' \
         AND EXISTS (SELECT 1 FROM support_group_members g WHERE g.user_id = u.id) \
         AND (SELECT COUNT(*) FROM community_members m WHERE m.user_id = u.id) >= 3 \
         ORDER BY u.id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .map_err(err)?;
    // The largest community, of which the member is one (they post and reply there).
    let community: String = sqlx::query_scalar(
        "SELECT c.slug FROM communities c JOIN community_members m ON m.community_id = c.id \
         JOIN users u ON u.id = m.user_id WHERE u.handle = $1 ORDER BY c.post_count DESC, c.id LIMIT 1",
    )
    .bind(&member)
    .fetch_one(&db.pool)
    .await
    .map_err(err)?;
    // A long thread a visitor may read: the one nearest 500 replies, so both sizes compare a
    // page of the same length (the largest had 570 replies at 10k and 3,000 at 1M, of which a
    // page shows 1,000: that row measured the page's length, not the database's size).
    let thread: i64 = sqlx::query_scalar(
        "SELECT id FROM posts WHERE visibility = 'public' AND group_id IS NULL \
         ORDER BY ABS(reply_count - 500), id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .map_err(err)?;
    // Not one of the member's own (a reused database holds the posts of earlier runs' writes,
    // and nobody may vote for their own).
    let post: i64 = sqlx::query_scalar(
        "SELECT p.id FROM posts p JOIN communities c ON c.id = p.community_id \
         WHERE p.group_id IS NULL AND c.slug = $1 \
           AND p.author_id <> (SELECT id FROM users WHERE handle = $2) ORDER BY p.id DESC LIMIT 1",
    )
    .bind(&community)
    .bind(&member)
    .fetch_one(&db.pool)
    .await
    .map_err(err)?;
    let author: String = sqlx::query_scalar(
        "SELECT u.handle FROM posts p JOIN users u ON u.id = p.author_id ORDER BY p.id DESC LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .map_err(err)?;
    let provider: String =
        sqlx::query_scalar("SELECT slug FROM providers ORDER BY rating_count DESC, id LIMIT 1")
            .fetch_one(&db.pool)
            .await
            .map_err(err)?;
    Ok(Subjects {
        member,
        community,
        thread,
        post,
        author,
        provider,
    })
}

/// The `after=` cursor of a feed page's "next" link.
pub(super) fn next_cursor(html: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(html);
    let at = text.find("after=")? + "after=".len();
    let rest = &text[at..];
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    Some(rest[..end].to_string())
}

/// One database under measurement: how to start servers on it.
struct Target<'a> {
    a: &'a BenchArgs,
    backend: &'static str,
    posts: u64,
    url: &'a str,
}

impl Target<'_> {
    /// Starts a server pinned to core 0 and waits until it answers: counting page views or not,
    /// with the page cache on (as deployed) or off (every page rendered). `log` names its log.
    async fn start(&self, log: &str, counting: bool, cache: bool) -> Result<(Server, u16), String> {
        let port = free_port()?;
        let mut envs = vec![
            ("DATABASE_URL", self.url.to_string()),
            ("HC_BIND", format!("127.0.0.1:{port}")),
            ("HC_SITE_ROOT", self.a.site_root.clone()),
            ("HC_POST_LIMIT_PER_HOUR", "1000000".into()),
            ("HC_REPLY_LIMIT_PER_HOUR", "1000000".into()),
            ("HC_VOTE_LIMIT_PER_HOUR", "1000000".into()),
            ("HC_LOGIN_LIMIT_PER_IP", "1000".into()),
            ("HC_LOG_FORMAT", "text".into()),
            ("HC_COUNT_TRAFFIC", counting.to_string()),
            ("RUST_LOG", "warn".into()),
            // PostgreSQL's app processes need the key that seals two-step keys.
            (
                "HC_SECRET_KEY",
                "be0c4be0c4be0c4be0c4be0c4be0c4be0c4be0c4be0c4be0c4be0c4be0c4be0c".into(),
            ),
        ];
        if !cache {
            envs.push(("HC_PAGE_CACHE_SECS", "0".into()));
        }
        let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let file = self
            .a
            .dir
            .join(format!("server-{}-{}{log}.log", self.backend, self.posts));
        let server = spawn_pinned(&["serve"], &envs, &file)?;
        wait_up(port, "/healthz").await?;
        Ok((server, port))
    }
}

/// Logs `member` in: their session cookie (`hc_session=…`).
async fn log_in(port: u16, member: &str) -> Result<String, String> {
    let login = http(
        port,
        "POST",
        "/api/login",
        None,
        Some(&format!("identifier={member}&password={SCALE_PASSWORD}")),
    )
    .await?;
    login
        .head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.trim().split(';').next())
        .find(|c| c.starts_with("hc_session="))
        .map(str::to_string)
        .ok_or_else(|| format!("login as {member} failed: {}", login.head))
}

/// A page to time: its row's name, its address, and the member's cookie (None: a visitor).
type Page<'c> = (&'static str, String, Option<&'c str>);

/// The pages timed at every size: the feeds in each order and deep, a long thread, a profile,
/// search for a common, a middling and a rare word, a member's lists, the directory.
async fn pages<'c>(
    port: u16,
    s: &Subjects,
    me: &'c str,
    posts: u64,
) -> Result<Vec<Page<'c>>, String> {
    let c = &s.community;
    let first = http(port, "GET", &format!("/c/{c}"), None, None).await?;
    let deep = next_cursor(&first.body).ok_or("no next link on the community feed")?;
    let home = http(port, "GET", "/", Some(me), None).await?;
    let home_deep = next_cursor(&home.body).ok_or("no next link on the home feed")?;
    // A word of the generator's long tail: in about six posts at any size (a Zipf word of any
    // rank is in a fixed share of them, so "rare" at ten thousand was common at a million).
    let tail = crate::scale::rare_words(posts);
    let rare = tail.get(tail.len() / 2).cloned().unwrap_or_default();
    let visitor: Vec<(&'static str, String)> = vec![
        ("landing (visitor), New", "/".into()),
        ("landing (visitor), Active", "/?sort=active".into()),
        (
            "landing (visitor), Top this week",
            "/?sort=top&t=week".into(),
        ),
        ("community, New", format!("/c/{c}")),
        ("community, Active", format!("/c/{c}?sort=active")),
        (
            "community, Top this week",
            format!("/c/{c}?sort=top&t=week"),
        ),
        (
            "community, Top this year",
            format!("/c/{c}?sort=top&t=year"),
        ),
        (
            "community, No answers yet",
            format!("/c/{c}?sort=unanswered"),
        ),
        ("community, No accepted answer", format!("/c/{c}?sort=open")),
        (
            "community, page 2 (after=)",
            format!("/c/{c}?sort=new&after={deep}"),
        ),
    ];
    let member: Vec<(&'static str, String)> = vec![
        ("home (member), New", "/".into()),
        ("home (member), Active", "/?sort=active".into()),
        ("home (member), Top this week", "/?sort=top&t=week".into()),
        ("home (member), No answers yet", "/?sort=unanswered".into()),
        (
            "home (member), page 2 (after=)",
            format!("/?sort=new&after={home_deep}"),
        ),
    ];
    let rest = other_pages(s, me, &rare);
    Ok(visitor
        .into_iter()
        .map(|(n, p)| (n, p, None))
        .chain(member.into_iter().map(|(n, p)| (n, p, Some(me))))
        .chain(rest)
        .collect())
}

/// The thread, profile, search, member's lists and directory pages timed.
fn other_pages<'c>(s: &Subjects, me: &'c str, rare: &str) -> Vec<Page<'c>> {
    vec![
        ("thread, ~500 replies", format!("/p/{}", s.thread), None),
        ("profile", format!("/u/{}", s.author), None),
        ("communities", "/c".into(), None),
        ("search, a word in most posts", "/search?q=the".into(), None),
        (
            "search, a word in ~10% of posts",
            "/search?q=neurologist".into(),
            None,
        ),
        ("search, a rare word", format!("/search?q={rare}"), None),
        ("notifications (member)", "/notifications".into(), Some(me)),
        ("messages (member)", "/messages".into(), Some(me)),
        ("directory", "/directory".into(), None),
        (
            "directory, a place's providers (the largest city)",
            format!("/directory?place={}", crate::scale::CITIES[0].0),
            None,
        ),
        (
            "provider, most reviews",
            format!("/directory/{}", s.provider),
            None,
        ),
    ]
}

/// The writes timed: a post (without and with 2,000 watched words to screen it against), a
/// reply, a vote.
async fn writes(t: &Target<'_>, port: u16, cookie: &str, s: &Subjects) -> Result<Vec<Row>, String> {
    let n = t.a.requests.max(3);
    let c = &s.community;
    let post_body = |title: &str, i: usize| {
        format!(
            "community={c}&kind=discussion&title=Bench+{title}+{i}+about+sleep&body=How+do+you+sleep+after+an+infusion%3F&tags=&visibility=public"
        )
    };
    let mut rows = Vec::new();
    let (p50, p99) = time_write(port, "post/create", cookie, n, |i| post_body("post", i)).await?;
    rows.push(Row {
        name: "write: post",
        p50,
        p99,
    });
    // The same post against 2,000 site-wide watched words that it does not use: what screening
    // a post adds (the first call compiles the list, the rest find it in the cache).
    let words = Db::connect(t.url)
        .await
        .map_err(|e| format!("{}: {e}", t.backend))?;
    watch_words(&words, 2_000).await?;
    let timed = time_write(port, "post/create", cookie, n, |i| {
        post_body("watched+post", i)
    })
    .await;
    watch_words(&words, 0).await?;
    words.pool.close().await;
    let (p50, p99) = timed?;
    rows.push(Row {
        name: "write: post, 2,000 watched words",
        p50,
        p99,
    });
    let post = s.post;
    let (p50, p99) = time_write(port, "reply/create", cookie, n, |i| {
        format!("post_id={post}&body=Bench+reply+{i}%3A+thank+you+for+asking")
    })
    .await?;
    rows.push(Row {
        name: "write: reply",
        p50,
        p99,
    });
    // Toggles: the same vote on, off, on… (each one a write).
    let (p50, p99) = time_write(port, "vote", cookie, n, |_| {
        format!("target=post&id={post}")
    })
    .await?;
    rows.push(Row {
        name: "write: vote",
        p50,
        p99,
    });
    Ok(rows)
}

/// Requests per second of three pages rendered (`port`, page cache off), from a fresh server
/// with the page cache on, and of the same bytes from `bench-static`; and that server's peak
/// memory.
async fn throughput(
    t: &Target<'_>,
    port: u16,
    s: &Subjects,
    me: &str,
) -> Result<(Vec<Rate>, Option<f64>), String> {
    let (cached_server, cport) = t.start("-cached", true, true).await?;
    let targets: [Page<'_>; 3] = [
        (
            "community feed (visitor)",
            format!("/c/{}", s.community),
            None,
        ),
        ("home feed (member)", "/".into(), Some(me)),
        ("thread (visitor)", format!("/p/{}", s.thread), None),
    ];
    let mut rates = Vec::new();
    for (name, path, who) in targets {
        let page = wrk(port, &path, who, t.a.seconds)?;
        let cached = wrk(cport, &path, who, t.a.seconds)?;
        let bytes = http(port, "GET", &path, who, None).await?.body;
        let file = t.a.dir.join("static.html");
        std::fs::write(&file, &bytes).map_err(|e| e.to_string())?;
        let sport = free_port()?;
        let sbind = format!("127.0.0.1:{sport}");
        let file_arg = file.to_string_lossy().into_owned();
        let _static = spawn_pinned(
            &["bench-static", "--file", &file_arg, "--bind", &sbind],
            &[],
            &t.a.dir.join("static.log"),
        )?;
        wait_up(sport, "/").await?;
        let rate = wrk(sport, "/", None, t.a.seconds)?;
        rates.push(Rate {
            name,
            page,
            cached,
            bytes: rate,
        });
    }
    Ok((rates, rss_mb(cached_server.0.id())))
}

/// What counting page views costs: the visitor's community feed from two fresh servers on the
/// same database, one counting and one with counting off, taken in turns (on, off, on, off) so
/// that the machine's drift falls on both: (mean req/s on, mean off, median of the rounds'
/// ratios). Both fresh: the server that served the latency runs carries their writes'
/// aftermath (a grown WAL, a busier page cache), which made it 9–11 % slower than a fresh one on
/// SQLite and read as counting's cost.
async fn counting_cost(t: &Target<'_>, community: &str) -> Result<(f64, f64, f64), String> {
    let (counted, port) = t.start("-counted", true, false).await?;
    let (uncounted, port_off) = t.start("-uncounted", false, false).await?;
    let path = format!("/c/{community}");
    // A second of load on each first (caches, connection pools), then six rounds: two
    // rounds were within this machine's noise (88–115 % on the same build).
    wrk(port, &path, None, 1)?;
    wrk(port_off, &path, None, 1)?;
    // The order alternates (on first, then off first) so that whatever the second run of a
    // pair gains or loses falls on both; each round's pair gives one ratio.
    let (mut with, mut without, mut ratios) = (0.0, 0.0, Vec::new());
    for round in 0..COUNTING_ROUNDS {
        let (on, off) = if round % 2 == 0 {
            let on = wrk(port, &path, None, t.a.seconds)?;
            (on, wrk(port_off, &path, None, t.a.seconds)?)
        } else {
            let off = wrk(port_off, &path, None, t.a.seconds)?;
            (wrk(port, &path, None, t.a.seconds)?, off)
        };
        with += on;
        without += off;
        ratios.push(on / off.max(0.001));
    }
    drop(uncounted);
    drop(counted);
    ratios.sort_by(f64::total_cmp);
    let mid = ratios.len() / 2;
    let median = if ratios.len() % 2 == 0 {
        (ratios[mid - 1] + ratios[mid]) / 2.0
    } else {
        ratios[mid]
    };
    let n = COUNTING_ROUNDS as f64;
    Ok((with / n, without / n, median))
}

/// Starts the server on one seeded database and measures: every page's and write's latency
/// (page cache off: the queries and the rendering at each size), then the throughput against
/// the static bytes and what counting costs.
pub(super) async fn measure(
    a: &BenchArgs,
    backend: &'static str,
    (url, seed_note): (String, String),
    posts: u64,
) -> Result<Run, String> {
    let t = Target {
        a,
        backend,
        posts,
        url: &url,
    };
    let db = Db::connect(&url)
        .await
        .map_err(|e| format!("{backend}: {e}"))?;
    let s = subjects(&db).await?;
    db.pool.close().await;

    let (server, port) = t.start("", true, false).await?;
    let cookie = log_in(port, &s.member).await?;
    let mut rows = Vec::new();
    for (name, path, who) in pages(port, &s, &cookie, posts).await? {
        let (p50, p99) = time_page(port, &path, who, a.requests).await?;
        rows.push(Row { name, p50, p99 });
    }
    rows.extend(writes(&t, port, &cookie, &s).await?);
    let (rates, cached_rss) = if a.seconds > 0 {
        throughput(&t, port, &s, &cookie).await?
    } else {
        (Vec::new(), None)
    };
    // The larger of the two servers' peaks (the cached pages are at most 16 MB).
    let rss = match (rss_mb(server.0.id()), cached_rss) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    drop(server);
    let counting = if a.seconds > 0 {
        Some(counting_cost(&t, &s.community).await?)
    } else {
        None
    };
    Ok(Run {
        backend,
        posts,
        seed_note,
        rows,
        rates,
        counting,
        rss_mb: rss,
    })
}

pub(super) fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map(|kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem}")
}
