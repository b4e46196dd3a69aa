//! `healthcommunity bench`: seeds generated databases, measures every page kind's latency and the throughput of the busiest pages against the same bytes served from memory, and writes the table to BENCHMARKS.md.
//!
//! The server under test is this binary (`serve`), started as a child pinned to core 0 with
//! `taskset`; the load generator (`wrk`, Debian's package) is pinned to core 1. Latency is taken
//! by this process: sequential requests (HTTP/1.0, a new connection each, as a first visit
//! makes), after two warm-up requests, p50 and p99. Throughput is `wrk` for a few seconds
//! against the page, then against `bench-static` — the same bytes from memory through the same
//! HTTP stack (axum, TCP_NODELAY) — so the ratio is measured in one run on one machine, which
//! is what a shared, noisy machine allows to compare.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline benchmark over the figures it measured itself; it never serves a request"
)]

use crate::scale::{ScaleArgs, SCALE_PASSWORD};
use app::db::Db;
use clap::Args;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The heading of BENCHMARKS.md's browser section, which `make bench` keeps as it is.
const BROWSER_SECTION: &str = "## In the browser";

#[derive(Debug, Args, Clone)]
pub struct BenchArgs {
    /// Database sizes, in posts (everything else in proportion, as `seed --scale` does).
    #[arg(long, value_delimiter = ',', default_value = "10000,1000000")]
    pub posts: Vec<u64>,
    /// A PostgreSQL URL of a role that may create databases; without it only SQLite is measured.
    #[arg(long, env = "HC_BENCH_POSTGRES_URL")]
    pub postgres_url: Option<String>,
    /// Timed requests per page (after two warm-ups).
    #[arg(long, default_value_t = 30)]
    pub requests: usize,
    /// Seconds of load per throughput measurement (0: none).
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Where the generated SQLite databases are kept between runs (seeding 1M posts takes minutes).
    #[arg(long, default_value = "target/bench")]
    pub dir: PathBuf,
    /// The built site (wasm, CSS) the server serves.
    #[arg(long, env = "HC_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Write the table here (besides printing it); `-` prints only.
    #[arg(long, default_value = "BENCHMARKS.md")]
    pub out: String,
    /// The commit measured, for the report.
    #[arg(long, env = "HC_BENCH_COMMIT", default_value = "unknown")]
    pub commit: String,
}

/// One measured page or write.
struct Row {
    name: &'static str,
    p50: f64,
    p99: f64,
}

/// One throughput measurement.
struct Rate {
    name: &'static str,
    /// Rendered for every request (page cache off).
    page: f64,
    /// From a server with the page cache on (what a deployment runs).
    cached: f64,
    bytes: f64,
}

/// What one database (backend × size) measured.
struct Run {
    backend: &'static str,
    posts: u64,
    seed_note: String,
    rows: Vec<Row>,
    rates: Vec<Rate>,
    /// The visitor's community feed with traffic counting on and off (req/s, same run).
    counting: Option<(f64, f64, f64)>,
    rss_mb: Option<f64>,
}

/// A plain HTTP/1.0 exchange: the whole answer, read until the server closes.
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

async fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> Result<Answer, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let _ = s.set_nodelay(true);
    let mut req = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n");
    if let Some(c) = cookie {
        let _ = write!(req, "Cookie: {c}\r\n");
    }
    if let Some(f) = form {
        let _ = write!(
            req,
            "Origin: http://127.0.0.1:{port}\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{f}",
            f.len()
        );
    } else {
        req.push_str("\r\n");
    }
    s.write_all(req.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut all = Vec::with_capacity(64 * 1024);
    s.read_to_end(&mut all)
        .await
        .map_err(|e| format!("read: {e}"))?;
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no header end")?;
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    Ok(Answer {
        status,
        head,
        body: all[split + 4..].to_vec(),
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Times `n` requests (after two warm-ups); every answer must be `want`.
async fn time_page(
    port: u16,
    path: &str,
    cookie: Option<&str>,
    n: usize,
) -> Result<(f64, f64), String> {
    let mut ms = Vec::with_capacity(n);
    for i in 0..n + 2 {
        let t = Instant::now();
        let a = http(port, "GET", path, cookie, None).await?;
        if a.status != 200 {
            return Err(format!("GET {path}: status {}", a.status));
        }
        if i >= 2 {
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    Ok((percentile(&ms, 0.5), percentile(&ms, 0.99)))
}

/// Times `n` server-function calls; `form(i)` gives the i-th call's arguments.
async fn time_write(
    port: u16,
    endpoint: &str,
    cookie: &str,
    n: usize,
    form: impl Fn(usize) -> String,
) -> Result<(f64, f64), String> {
    let mut ms = Vec::with_capacity(n);
    for i in 0..n {
        let body = form(i);
        let t = Instant::now();
        let a = http(
            port,
            "POST",
            &format!("/api/{endpoint}"),
            Some(cookie),
            Some(&body),
        )
        .await?;
        if a.status != 200 {
            return Err(format!(
                "{endpoint}: status {}: {}",
                a.status,
                String::from_utf8_lossy(&a.body)
            ));
        }
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    Ok((percentile(&ms, 0.5), percentile(&ms, 0.99)))
}

/// Replaces the benchmark's own site-wide watched words with `n` new ones (0: removes them).
async fn watch_words(db: &Db, n: usize) -> Result<(), String> {
    let e = |e: sqlx::Error| e.to_string();
    let mut tx = db.pool.begin().await.map_err(e)?;
    sqlx::query("DELETE FROM watched_words WHERE phrase LIKE 'benchwatch%'")
        .execute(&mut *tx)
        .await
        .map_err(e)?;
    let now = app::db::now_ms();
    for chunk in (0..n).collect::<Vec<_>>().chunks(250) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| format!("(NULL, 'benchwatch{i} phrase', 'flag', NULL, {now})"))
            .collect();
        let sql = format!(
            "INSERT INTO watched_words (community_id, phrase, action, created_by, created_at) VALUES {}",
            values.join(", ")
        );
        sqlx::query(&sql).execute(&mut *tx).await.map_err(e)?;
    }
    tx.commit().await.map_err(e)
}

/// Rounds (a run with counting on and one with it off, in alternating order) of the counting
/// measurement.
const COUNTING_ROUNDS: u32 = 6;

/// The user agent `wrk` sends: a browser's, so that the server counts the page views as a
/// person's (robots are not counted, and `wrk` sends no user agent of its own).
const BROWSER: &str =
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0";

/// `wrk` against a path for `seconds`, pinned to core 1: requests per second.
fn wrk(port: u16, path: &str, cookie: Option<&str>, seconds: u64) -> Result<f64, String> {
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", "1", "wrk", "-t1", "-c16"])
        .arg(format!("-d{seconds}s"))
        .args(["-H", BROWSER]);
    if let Some(c) = cookie {
        cmd.args(["-H", &format!("Cookie: {c}")]);
    }
    cmd.arg(format!("http://127.0.0.1:{port}{path}"));
    let out = cmd
        .output()
        .map_err(|e| format!("wrk (apt-get install wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        return Err(format!("wrk {path}: non-2xx answers\n{text}"));
    }
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("wrk {path}: {text}"))
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A child process that is killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_pinned(args: &[&str], envs: &[(&str, &str)], log: &Path) -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let log = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", "0"]).arg(exe).args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    cmd.spawn()
        .map(Server)
        .map_err(|e| format!("starting the server: {e}"))
}

async fn wait_up(port: u16, path: &str) -> Result<(), String> {
    for _ in 0..200 {
        if let Ok(a) = http(port, "GET", path, None, None).await {
            if a.status == 200 {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("nothing answered on port {port}"))
}

fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// The pages' subjects, read from the seeded database.
struct Subjects {
    member: String,
    community: String,
    thread: i64,
    post: i64,
    author: String,
}

async fn subjects(db: &Db) -> Result<Subjects, String> {
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
    // The thread with the most replies that a visitor may read.
    let thread: i64 = sqlx::query_scalar(
        "SELECT id FROM posts WHERE visibility = 'public' AND group_id IS NULL \
         ORDER BY reply_count DESC, id LIMIT 1",
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
    Ok(Subjects {
        member,
        community,
        thread,
        post,
        author,
    })
}

/// The `after=` cursor of a feed page's "next" link.
fn next_cursor(html: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(html);
    let at = text.find("after=")? + "after=".len();
    let rest = &text[at..];
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    Some(rest[..end].to_string())
}

/// Seeds one database at `url` (empty, just created) with `posts` posts.
async fn seed(url: &str, posts: u64) -> Result<String, String> {
    let db = Db::connect(url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let mut shape = ScaleArgs::small(posts);
    shape.quiet = false;
    let w = crate::scale::run(&db, &shape).await?;
    db.pool.close().await;
    Ok(format!(
        "seeded {} rows in {:.0} s ({:.0} rows/s)",
        w.rows,
        w.seconds,
        w.rows as f64 / w.seconds.max(0.001)
    ))
}

/// The SQLite database of `posts` posts in `dir`, seeded when missing. A seed is written to a
/// `.partial` file and renamed when complete, so an interrupted run is never mistaken for one.
async fn sqlite_database(dir: &Path, posts: u64) -> Result<(String, String), String> {
    let done = dir.join(format!("scale-{posts}.db"));
    if done.exists() {
        return Ok((format!("sqlite://{}", done.display()), "reused".into()));
    }
    let partial = dir.join(format!("scale-{posts}.db.partial"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let note = seed(&format!("sqlite://{}", partial.display()), posts).await?;
    std::fs::rename(&partial, &done).map_err(|e| e.to_string())?;
    Ok((format!("sqlite://{}", done.display()), note))
}

/// The PostgreSQL database `hc_bench_<posts>`, seeded when missing (under a temporary name,
/// renamed when complete).
async fn postgres_database(admin_url: &str, posts: u64) -> Result<(String, String), String> {
    use sqlx::Connection;
    let name = format!("hc_bench_{posts}");
    let partial = format!("{name}_partial");
    let url_of = |db: &str| -> Result<String, String> {
        let mut url = url::Url::parse(admin_url).map_err(|e| e.to_string())?;
        url.set_path(&format!("/{db}"));
        Ok(url.to_string())
    };
    let mut conn = sqlx::postgres::PgConnection::connect(admin_url)
        .await
        .map_err(|e| format!("PostgreSQL: {e}"))?;
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    if exists.is_some() {
        return Ok((url_of(&name)?, "reused".into()));
    }
    for sql in [
        format!("DROP DATABASE IF EXISTS \"{partial}\""),
        format!("CREATE DATABASE \"{partial}\""),
    ] {
        sqlx::query(&sql)
            .execute(&mut conn)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    let note = seed(&url_of(&partial)?, posts).await?;
    let sql = format!("ALTER DATABASE \"{partial}\" RENAME TO \"{name}\"");
    sqlx::query(&sql)
        .execute(&mut conn)
        .await
        .map_err(|e| format!("{sql}: {e}"))?;
    Ok((url_of(&name)?, note))
}

/// Starts the server on one seeded database and measures.
async fn measure(
    a: &BenchArgs,
    backend: &'static str,
    (url, seed_note): (String, String),
    posts: u64,
) -> Result<Run, String> {
    let url = url.as_str();
    let db = Db::connect(url)
        .await
        .map_err(|e| format!("{backend}: {e}"))?;
    let s = subjects(&db).await?;
    db.pool.close().await;

    let port = free_port()?;
    let bind = format!("127.0.0.1:{port}");
    let log = a.dir.join(format!("server-{backend}-{posts}.log"));
    // The latency runs and the counting comparison render every page (page cache off): they
    // measure the queries and the rendering at each size. The throughput table also asks a
    // server with the page cache on, as deployed.
    let envs = |bind: &str, counting: &'static str| {
        vec![
            ("HC_PAGE_CACHE_SECS", "0".to_string()),
            ("DATABASE_URL", url.to_string()),
            ("HC_BIND", bind.to_string()),
            ("HC_SITE_ROOT", a.site_root.clone()),
            ("HC_POST_LIMIT_PER_HOUR", "1000000".into()),
            ("HC_REPLY_LIMIT_PER_HOUR", "1000000".into()),
            ("HC_VOTE_LIMIT_PER_HOUR", "1000000".into()),
            ("HC_LOGIN_LIMIT_PER_IP", "1000".into()),
            ("HC_LOG_FORMAT", "text".into()),
            ("HC_COUNT_TRAFFIC", counting.into()),
            ("RUST_LOG", "warn".into()),
        ]
    };
    let on = envs(&bind, "true");
    let on: Vec<(&str, &str)> = on.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = spawn_pinned(&["serve"], &on, &log)?;
    wait_up(port, "/healthz").await?;
    let login = http(
        port,
        "POST",
        "/api/login",
        None,
        Some(&format!(
            "identifier={}&password={SCALE_PASSWORD}",
            s.member
        )),
    )
    .await?;
    let cookie = login
        .head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.trim().split(';').next())
        .find(|c| c.starts_with("hc_session="))
        .map(str::to_string)
        .ok_or_else(|| format!("login as {} failed: {}", s.member, login.head))?;
    let me = Some(cookie.as_str());
    let c = &s.community;
    let first = http(port, "GET", &format!("/c/{c}"), None, None).await?;
    let deep = next_cursor(&first.body).ok_or("no next link on the community feed")?;
    let home = http(port, "GET", "/", me, None).await?;
    let home_deep = next_cursor(&home.body).ok_or("no next link on the home feed")?;
    // A word of rank 3,000 of the generator's 6,000: in a few hundred posts per million.
    let rare = crate::scale::vocabulary(6_000)
        .get(3_000)
        .cloned()
        .unwrap_or_default();
    let pages: Vec<(&'static str, String, Option<&str>)> = vec![
        ("landing (visitor), New", "/".into(), None),
        ("landing (visitor), Active", "/?sort=active".into(), None),
        (
            "landing (visitor), Top this week",
            "/?sort=top&t=week".into(),
            None,
        ),
        ("community, New", format!("/c/{c}"), None),
        ("community, Active", format!("/c/{c}?sort=active"), None),
        (
            "community, Top this week",
            format!("/c/{c}?sort=top&t=week"),
            None,
        ),
        (
            "community, Top this year",
            format!("/c/{c}?sort=top&t=year"),
            None,
        ),
        (
            "community, No answers yet",
            format!("/c/{c}?sort=unanswered"),
            None,
        ),
        (
            "community, No accepted answer",
            format!("/c/{c}?sort=open"),
            None,
        ),
        (
            "community, page 2 (after=)",
            format!("/c/{c}?sort=new&after={deep}"),
            None,
        ),
        ("home (member), New", "/".into(), me),
        ("home (member), Active", "/?sort=active".into(), me),
        (
            "home (member), Top this week",
            "/?sort=top&t=week".into(),
            me,
        ),
        (
            "home (member), No answers yet",
            "/?sort=unanswered".into(),
            me,
        ),
        (
            "home (member), page 2 (after=)",
            format!("/?sort=new&after={home_deep}"),
            me,
        ),
        ("thread, most replies", format!("/p/{}", s.thread), None),
        ("profile", format!("/u/{}", s.author), None),
        ("communities", "/c".into(), None),
        ("search, a word in most posts", "/search?q=the".into(), None),
        (
            "search, a word in ~10% of posts",
            "/search?q=neurologist".into(),
            None,
        ),
        ("search, a rare word", format!("/search?q={rare}"), None),
        ("notifications (member)", "/notifications".into(), me),
        ("messages (member)", "/messages".into(), me),
        ("directory", "/directory".into(), None),
    ];
    let mut rows = Vec::new();
    for (name, path, who) in &pages {
        let (p50, p99) = time_page(port, path, *who, a.requests).await?;
        rows.push(Row { name, p50, p99 });
    }
    let n = a.requests.max(3);
    let (p50, p99) = time_write(port, "post/create", &cookie, n, |i| {
        format!(
            "community={c}&kind=discussion&title=Bench+post+{i}+about+sleep&body=How+do+you+sleep+after+an+infusion%3F&tags=&visibility=public"
        )
    })
    .await?;
    rows.push(Row {
        name: "write: post",
        p50,
        p99,
    });
    // The same post against 2,000 site-wide watched words that it does not use: what screening
    // a post adds (the first call compiles the list, the rest find it in the cache).
    let words = Db::connect(url)
        .await
        .map_err(|e| format!("{backend}: {e}"))?;
    watch_words(&words, 2_000).await?;
    let timed = time_write(port, "post/create", &cookie, n, |i| {
        format!(
            "community={c}&kind=discussion&title=Bench+watched+post+{i}+about+sleep&body=How+do+you+sleep+after+an+infusion%3F&tags=&visibility=public"
        )
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
    let (p50, p99) = time_write(port, "reply/create", &cookie, n, |i| {
        format!("post_id={post}&body=Bench+reply+{i}%3A+thank+you+for+asking")
    })
    .await?;
    rows.push(Row {
        name: "write: reply",
        p50,
        p99,
    });
    // Toggles: the same vote on, off, on… (each one a write).
    let (p50, p99) = time_write(port, "vote", &cookie, n, |_| {
        format!("target=post&id={post}")
    })
    .await?;
    rows.push(Row {
        name: "write: vote",
        p50,
        p99,
    });

    let mut rates = Vec::new();
    let mut cached_rss = None;
    if a.seconds > 0 {
        let cport = free_port()?;
        let cbind = format!("127.0.0.1:{cport}");
        let mut cached_env = envs(&cbind, "true");
        cached_env.retain(|(k, _)| *k != "HC_PAGE_CACHE_SECS");
        let cached_env: Vec<(&str, &str)> =
            cached_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let clog = a.dir.join(format!("server-{backend}-{posts}-cached.log"));
        let cached_server = spawn_pinned(&["serve"], &cached_env, &clog)?;
        wait_up(cport, "/healthz").await?;
        let targets: [(&'static str, String, Option<&str>); 3] = [
            ("community feed (visitor)", format!("/c/{c}"), None),
            ("home feed (member)", "/".into(), me),
            ("thread (visitor)", format!("/p/{}", s.thread), None),
        ];
        for (name, path, who) in targets {
            let page = wrk(port, &path, who, a.seconds)?;
            let cached = wrk(cport, &path, who, a.seconds)?;
            let bytes = http(port, "GET", &path, who, None).await?.body;
            let file = a.dir.join("static.html");
            std::fs::write(&file, &bytes).map_err(|e| e.to_string())?;
            let sport = free_port()?;
            let sbind = format!("127.0.0.1:{sport}");
            let file_arg = file.to_string_lossy().into_owned();
            let slog = a.dir.join("static.log");
            let _static = spawn_pinned(
                &["bench-static", "--file", &file_arg, "--bind", &sbind],
                &[],
                &slog,
            )?;
            wait_up(sport, "/").await?;
            let rate = wrk(sport, "/", None, a.seconds)?;
            rates.push(Rate {
                name,
                page,
                cached,
                bytes: rate,
            });
        }
        cached_rss = rss_mb(cached_server.0.id());
        drop(cached_server);
    }
    // The larger of the two servers' peaks (the cached pages are at most 16 MB).
    let rss = match (rss_mb(server.0.id()), cached_rss) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    drop(server);
    // What counting page views costs: the visitor's community feed from two fresh servers on
    // the same database, one counting and one with counting off, taken in turns (on, off, on,
    // off) so that the machine's drift falls on both. Both fresh: the server that served the
    // latency runs above carries their writes' aftermath (a grown WAL, a busier page cache),
    // which made it 9-11 % slower than a fresh one on SQLite and read as counting's cost.
    let mut counting = None;
    if a.seconds > 0 {
        let port = free_port()?;
        let bind_on = format!("127.0.0.1:{port}");
        let on = envs(&bind_on, "true");
        let on: Vec<(&str, &str)> = on.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let log_on = a.dir.join(format!("server-{backend}-{posts}-counted.log"));
        let counted = spawn_pinned(&["serve"], &on, &log_on)?;
        wait_up(port, "/healthz").await?;
        let port_off = free_port()?;
        let bind_off = format!("127.0.0.1:{port_off}");
        let off = envs(&bind_off, "false");
        let off: Vec<(&str, &str)> = off.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let log_off = a
            .dir
            .join(format!("server-{backend}-{posts}-uncounted.log"));
        let uncounted = spawn_pinned(&["serve"], &off, &log_off)?;
        wait_up(port_off, "/healthz").await?;
        let path = format!("/c/{c}");
        // A second of load on each first (caches, connection pools), then six rounds: two
        // rounds were within this machine's noise (88–115 % on the same build).
        wrk(port, &path, None, 1)?;
        wrk(port_off, &path, None, 1)?;
        // The order alternates (on first, then off first) so that whatever the second run of a
        // pair gains or loses falls on both; each round's pair gives one ratio.
        let (mut with, mut without, mut ratios) = (0.0, 0.0, Vec::new());
        for round in 0..COUNTING_ROUNDS {
            let (on, off) = if round % 2 == 0 {
                let on = wrk(port, &path, None, a.seconds)?;
                (on, wrk(port_off, &path, None, a.seconds)?)
            } else {
                let off = wrk(port_off, &path, None, a.seconds)?;
                (wrk(port, &path, None, a.seconds)?, off)
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
        counting = Some((with / n, without / n, median));
    }
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

fn machine() -> String {
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

/// The report: one latency table (p50 / p99 per size and backend), the ratio of the largest
/// to the smallest size, throughput against the static bytes, and memory.
fn report(a: &BenchArgs, runs: &[Run]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `make bench` (`healthcommunity bench`). Commit `{}`, {}; {}.\n",
        a.commit,
        time_now(),
        machine()
    );
    let _ = writeln!(
        out,
        "Latency: {} sequential requests per page after two warm-ups, a new connection each, \
         milliseconds, p50 / p99. Server pinned to core 0, load generator to core 1. Goal: every \
         page's p50 at the largest size ≤ 1.5 × its p50 at the smallest and ≤ 50 ms (search \
         ≤ 100 ms); writes ≤ 20 ms; 2,000 watched words add ≤ 5 ms to a post (the two post rows).\n",
        a.requests
    );
    for r in runs {
        let _ = writeln!(out, "- {} at {} posts: {}", r.backend, r.posts, r.seed_note);
    }
    let _ = writeln!(out);
    let _ = write!(out, "| page |");
    for r in runs {
        let _ = write!(out, " {} {} |", r.backend, short(r.posts));
    }
    let _ = writeln!(out, " ratio (largest / smallest p50) |");
    let _ = write!(out, "|---|");
    for _ in runs {
        let _ = write!(out, "---:|");
    }
    let _ = writeln!(out, "---|");
    if let Some(first) = runs.first() {
        for (i, row) in first.rows.iter().enumerate() {
            let _ = write!(out, "| {} |", row.name);
            for r in runs {
                match r.rows.get(i) {
                    Some(x) => {
                        let _ = write!(out, " {:.1} / {:.1} |", x.p50, x.p99);
                    }
                    None => out.push_str(" – |"),
                }
            }
            let mut ratios = Vec::new();
            for backend in ["sqlite", "postgres"] {
                let of: Vec<&Run> = runs.iter().filter(|r| r.backend == backend).collect();
                if let (Some(small), Some(large)) = (
                    of.iter().min_by_key(|r| r.posts),
                    of.iter().max_by_key(|r| r.posts),
                ) {
                    if small.posts != large.posts {
                        if let (Some(s), Some(l)) = (small.rows.get(i), large.rows.get(i)) {
                            ratios.push(format!("{backend} {:.2}", l.p50 / s.p50.max(0.001)));
                        }
                    }
                }
            }
            let _ = writeln!(out, " {} |", ratios.join(", "));
        }
    }
    let _ = writeln!(
        out,
        "\nThroughput (wrk, 1 thread, 16 connections, {} s each): requests per second of the page \
         rendered each time (page cache off), from a server with the page cache on (as deployed: \
         a visitor's page comes from memory, a member's is always rendered), of the same bytes \
         served from memory by `bench-static`, and the ratio of the second to the third. Goal: \
         the visitor's community feed ≥ 0.5 ×, the member's home feed ≥ 0.1 ×.\n",
        a.seconds
    );
    let _ = writeln!(
        out,
        "| database | page | rendered req/s | page cache on req/s | static req/s | ratio |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for r in runs {
        for t in &r.rates {
            let _ = writeln!(
                out,
                "| {} {} | {} | {:.0} | {:.0} | {:.0} | {:.3} |",
                r.backend,
                short(r.posts),
                t.name,
                t.page,
                t.cached,
                t.bytes,
                t.cached / t.bytes.max(0.001)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nWhat counting costs (issue 11): the visitor's community feed from a server that counts \
         page views and visitors and from one with `HC_COUNT_TRAFFIC=false` (both started fresh), same database, wrk \
         with a browser's user agent, after a second of warm-up on each, {} s × {COUNTING_ROUNDS} each, \
         taken in pairs whose order alternates. The machine's noise between two runs of the same \
         server is ±10 % here, so the goal is read on the median of the rounds' ratios (the means \
         are shown too). Goal: counting on ≥ 95 % of off.\n",
        a.seconds
    );
    let _ = writeln!(
        out,
        "| database | counting on req/s (mean) | counting off req/s (mean) | on / off (means) | on / off (median of rounds) |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for r in runs {
        if let Some((with, without, median)) = r.counting {
            let _ = writeln!(
                out,
                "| {} {} | {:.0} | {:.0} | {:.1} % | {:.1} % |",
                r.backend,
                short(r.posts),
                with,
                without,
                100.0 * with / without.max(0.001),
                100.0 * median
            );
        }
    }
    let _ = writeln!(
        out,
        "\nMemory: the peak resident set (VmHWM) after the run, the larger of the server that rendered every page and the one with the page cache on. Goal: ≤ 150 MB at the largest size.\n"
    );
    for r in runs {
        let _ = writeln!(
            out,
            "- {} {}: {}",
            r.backend,
            short(r.posts),
            r.rss_mb
                .map(|m| format!("{m:.0} MB"))
                .unwrap_or_else(|| "not read".into())
        );
    }
    out
}

fn short(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}M", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

fn time_now() -> String {
    app::analytics::types::day_label(app::db::now_ms().div_euclid(86_400_000))
}

/// Runs the whole benchmark and writes the report.
pub async fn run(a: &BenchArgs) -> Result<(), String> {
    std::fs::create_dir_all(&a.dir).map_err(|e| format!("{}: {e}", a.dir.display()))?;
    let mut sizes = a.posts.clone();
    sizes.sort_unstable();
    let mut runs = Vec::new();
    for &posts in &sizes {
        eprintln!("==> SQLite, {posts} posts");
        let db = sqlite_database(&a.dir, posts).await?;
        runs.push(measure(a, "sqlite", db, posts).await?);
    }
    if let Some(admin_url) = &a.postgres_url {
        for &posts in &sizes {
            eprintln!("==> PostgreSQL, {posts} posts");
            let db = postgres_database(admin_url, posts).await?;
            runs.push(measure(a, "postgres", db, posts).await?);
        }
    } else {
        eprintln!("!!! No PostgreSQL URL (HC_BENCH_POSTGRES_URL): PostgreSQL is not measured.");
    }
    let mut text = report(a, &runs);
    println!("{text}");
    // The browser measurements (Playwright's slow-phone run and Lighthouse) are written under
    // their own heading from `make test-e2e`'s output; a new server table keeps them.
    if let Some(kept) = std::fs::read_to_string(&a.out)
        .ok()
        .and_then(|old| old.find(BROWSER_SECTION).map(|i| old[i..].to_string()))
    {
        text = format!("{}\n\n{kept}", text.trim_end());
    }
    if a.out != "-" {
        std::fs::write(&a.out, &text).map_err(|e| format!("{}: {e}", a.out))?;
        eprintln!("Written to {}", a.out);
    }
    Ok(())
}

/// `bench-static`: serves one file's bytes from memory (the throughput anchor).
pub async fn serve_static(file: &Path, bind: &str) -> Result<(), String> {
    use axum::response::IntoResponse;
    let bytes = bytes_of(file)?;
    let app = axum::Router::new().fallback(move || {
        let b = bytes.clone();
        async move {
            (
                [(http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                b,
            )
                .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("{bind}: {e}"))?;
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|s| {
        let _ = s.set_nodelay(true);
    });
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

fn bytes_of(file: &Path) -> Result<axum::body::Bytes, String> {
    std::fs::read(file)
        .map(axum::body::Bytes::from)
        .map_err(|e| format!("{}: {e}", file.display()))
}
