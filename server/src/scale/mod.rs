//! `seed --scale`: a large, realistic, deterministic database written straight from the schema, for the benchmark and the plan tests.
//!
//! Shapes: a Zipf vocabulary of 6,000 words (health words at the top, so search sees realistic
//! match sets) and a long tail of rare words (one per 20 posts, each in about six), heavy-tailed activity per member (Zipf authors) and per thread (Pareto reply and
//! vote counts), members in 1–5 communities, some in support groups, nested replies, direct
//! messages and notifications, directory providers in forty cities with their reviews. Rows go in as multi-row INSERTs inside large transactions, with
//! explicit ids, so both backends get the same bytes for the same seed; counts kept in columns
//! (`reply_count`, `member_count`, `unread_notifications`…) are true at the end.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline generator: its tables are sized from its own arguments, and it never serves a request"
)]

use app::db::{Backend, Db};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::time::Instant;

mod aside;
mod counts;
mod messages;
mod people;
mod posts;
mod providers;
mod words;
mod writer;

use people::People;
pub use providers::CITIES;
use words::{heavy, sentence, Zipf};
pub use words::{rare_words, vocabulary, VOCABULARY};
use writer::{Batch, Writer, V};

/// Every scale account's address ends so: it marks them, so a second run sees them and stops.
pub const SCALE_DOMAIN: &str = "@scale.invalid";
/// The password of every scale account (the benchmark logs in with it).
pub const SCALE_PASSWORD: &str = "scale-password";

#[derive(Debug, Args, Clone)]
pub struct ScaleArgs {
    /// Members to create.
    #[arg(long, default_value_t = 100_000)]
    pub members: u64,
    /// Topic communities.
    #[arg(long, default_value_t = 20)]
    pub communities: u64,
    /// Posts (questions and discussions).
    #[arg(long, default_value_t = 1_000_000)]
    pub posts: u64,
    /// Replies (answers and nested comments), spread over the posts with a heavy tail.
    #[arg(long, default_value_t = 5_000_000)]
    pub replies: u64,
    /// Helpful votes on posts.
    #[arg(long, default_value_t = 2_000_000)]
    pub votes: u64,
    /// Support groups (spread over the communities).
    #[arg(long, default_value_t = 100)]
    pub groups: u64,
    /// Direct-message conversations.
    #[arg(long, default_value_t = 50_000)]
    pub conversations: u64,
    /// Direct messages in them.
    #[arg(long, default_value_t = 500_000)]
    pub messages: u64,
    /// Notifications (replies to members' posts).
    #[arg(long, default_value_t = 1_000_000)]
    pub notifications: u64,
    /// Directory providers (clinics and clinicians in forty cities).
    #[arg(long, default_value_t = 20_000)]
    pub providers: u64,
    /// Members' reviews of them, spread with a heavy tail.
    #[arg(long, default_value_t = 200_000)]
    pub reviews: u64,
    /// Days of history the content spreads over, ending now.
    #[arg(long, default_value_t = 730)]
    pub days: u64,
    /// The random seed: the same seed and flags write the same rows.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Run even though the database has members that are not scale accounts.
    #[arg(long)]
    pub force: bool,
    /// No progress bar (for tests and logs).
    #[arg(long)]
    pub quiet: bool,
}

impl ScaleArgs {
    /// A small shape for tests: `posts` posts and everything else in proportion.
    pub fn small(posts: u64) -> ScaleArgs {
        ScaleArgs {
            members: (posts / 10).max(50),
            communities: 20,
            posts,
            replies: posts * 5,
            votes: posts * 2,
            groups: 40,
            conversations: (posts / 20).max(10),
            messages: posts / 2,
            notifications: posts,
            providers: (posts / 50).max(20),
            reviews: posts / 5,
            days: 730,
            seed: 42,
            force: false,
            quiet: true,
        }
    }
}

/// The run's writer: a connection of its own (SQLite: no fsync per commit, no foreign-key
/// lookups; PostgreSQL: a second connection that copies).
async fn writer(db: &Db, bar: ProgressBar) -> Result<Writer, String> {
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    if db.backend == Backend::Sqlite {
        // A lost seed is re-run, not recovered: no fsync per commit while it writes. Its rows'
        // references are its own ids (the plan and seed tests check them with
        // `foreign_key_check`): no lookup per row of every row it points to.
        for pragma in ["PRAGMA synchronous=OFF", "PRAGMA foreign_keys=OFF"] {
            sqlx::query(pragma)
                .execute(&mut *conn)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let copy = match db.postgres_url() {
        Some(url) => Some(
            <sqlx::PgConnection as sqlx::Connection>::connect(url)
                .await
                .map_err(|e| format!("connecting for COPY: {e}"))?,
        ),
        None => None,
    };
    Ok(Writer {
        conn,
        copy,
        rows: 0,
        since_commit: 0,
        bar,
    })
}

/// Adds the directory to a database seeded at scale without it (an older run's): its members
/// and communities are read back, the providers and reviews written as a full run would.
async fn top_up_directory(db: &Db, a: &ScaleArgs) -> Result<Written, String> {
    let started = Instant::now();
    let first_user = count(
        db,
        &format!("SELECT COALESCE(MIN(id), 0) FROM users WHERE email LIKE '%{SCALE_DOMAIN}'"),
    )
    .await?;
    let n_members = count(
        db,
        &format!("SELECT COUNT(*) FROM users WHERE email LIKE '%{SCALE_DOMAIN}'"),
    )
    .await? as usize;
    let first_community = count(
        db,
        "SELECT COALESCE(MIN(id), 0) FROM communities WHERE slug LIKE 'scale-%'",
    )
    .await?;
    let n_comm = count(
        db,
        "SELECT COUNT(*) FROM communities WHERE slug LIKE 'scale-%'",
    )
    .await? as usize;
    let bar = if a.quiet {
        ProgressBar::with_draw_target(
            Some(a.providers * 2 + a.reviews),
            ProgressDrawTarget::hidden(),
        )
    } else {
        ProgressBar::new(a.providers * 2 + a.reviews)
    };
    let mut w = writer(db, bar.clone()).await?;
    w.exec("BEGIN").await?;
    let words = vocabulary(VOCABULARY);
    let zipf_words = Zipf::new(words.len(), 1.05);
    let mut cx = Cx {
        rng: StdRng::seed_from_u64(a.seed ^ 0xd1),
        w,
        words,
        zipf_words,
    };
    let values = match db.backend {
        Backend::Sqlite => 400,
        Backend::Postgres => 30_000,
    };
    providers::write(
        &mut cx,
        db,
        a,
        values,
        providers::Directory {
            first_user,
            n_members,
            first_community,
            n_comm,
        },
    )
    .await?;
    cx.w.exec("COMMIT").await?;
    counts::directory_ready(&mut cx, db).await?;
    bar.finish_and_clear();
    if !a.quiet {
        println!("Added the directory to a database seeded at scale before it had one.");
    }
    Ok(Written {
        rows: cx.w.rows,
        seconds: started.elapsed().as_secs_f64(),
        ..Written::default()
    })
}

/// What a run wrote.
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub rows: u64,
    pub seconds: f64,
    pub members: u64,
    pub posts: u64,
    pub replies: u64,
}

async fn count(db: &Db, sql: &str) -> Result<i64, String> {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&db.pool)
        .await
        .map_err(|e| format!("{sql}: {e}"))
}

async fn next_id(db: &Db, table: &str) -> Result<i64, String> {
    Ok(count(db, &format!("SELECT COALESCE(MAX(id), 0) FROM {table}")).await? + 1)
}

/// What every step of a run shares: the random source, the writer and the vocabulary.
struct Cx {
    rng: StdRng,
    w: Writer,
    words: Vec<String>,
    zipf_words: Zipf,
}

/// A run's fixed facts: the arguments, the time span, and where the members' ids start.
#[derive(Clone, Copy)]
struct World<'a> {
    db: &'a Db,
    a: &'a ScaleArgs,
    values: usize,
    now: i64,
    start: i64,
    first_user: i64,
    n_members: usize,
}

/// Writes the scale database. Refuses when the database has members other than scale accounts
/// (unless `force`); does nothing when scale accounts are already there (idempotent).
pub async fn run(db: &Db, a: &ScaleArgs) -> Result<Written, String> {
    // An interrupted run's indexes first.
    aside::restore(db).await?;
    if let Some(done) = already_seeded(db, a).await? {
        return Ok(done);
    }
    let started = Instant::now();
    aside::set_aside(db).await?;
    let now = app::db::now_ms();
    let start = now - a.days as i64 * 86_400_000;
    let bar = progress(a)?;
    let (mut cx, values) = context(db, a, &bar).await?;

    let people = people::write(&mut cx, db, a, values, now, start).await?;
    let world = World {
        db,
        a,
        values,
        now,
        start,
        first_user: people.first_user,
        n_members: people.n_members,
    };

    // Posts with their replies, votes and notifications, in time order.
    bar.set_message("posts");
    let posted = posts::write(&mut cx, &world, &people).await?;

    // Direct messages: distinct pairs, heavy-tailed conversation lengths.
    bar.set_message("messages");
    let unread_messages =
        messages::write(&mut cx, &world, &posted.authors, &posted.zipf_members).await?;

    // The directory: providers, the conditions they treat, their reviews.
    providers::write(
        &mut cx,
        db,
        a,
        values,
        providers::Directory {
            first_user: people.first_user,
            n_members: people.n_members,
            first_community: people.first_community,
            n_comm: people.n_comm,
        },
    )
    .await?;

    // The counts kept in columns.
    bar.set_message("counts");
    counts::write(
        &mut cx,
        &world,
        &counts::Tallies {
            first_community: people.first_community,
            first_group: people.first_group,
            member_count: &people.member_count,
            post_count: &posted.post_count,
            group_members: &people.group_members,
            group_posts: &posted.group_posts,
            unread: &posted.unread,
            unread_messages: &unread_messages,
        },
    )
    .await?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    Ok(Written {
        rows: cx.w.rows,
        seconds,
        members: a.members,
        posts: a.posts,
        replies: a.replies - posted.replies_left,
    })
}

/// The run's generator (seeded, with its vocabulary and a writer whose transaction has begun)
/// and how many values a statement binds.
async fn context(db: &Db, a: &ScaleArgs, bar: &ProgressBar) -> Result<(Cx, usize), String> {
    let rng = StdRng::seed_from_u64(a.seed);
    let words = vocabulary(VOCABULARY);
    let zipf_words = Zipf::new(words.len(), 1.05);
    // Bound values per INSERT. sqlx looks each SQLite parameter up by name among all of the
    // statement's (`sqlite3_bind_parameter_name`), so a statement's cost grows with the square
    // of its values: 17,000 values a statement spent half the seed there (8,900 rows/s). A few
    // hundred keep that small; PostgreSQL binds by position and takes large statements.
    let values = match db.backend {
        Backend::Sqlite => 400,
        Backend::Postgres => 30_000,
    };
    let mut w = writer(db, bar.clone()).await?;
    w.exec("BEGIN").await?;
    let cx = Cx {
        rng,
        w,
        words,
        zipf_words,
    };
    Ok((cx, values))
}

/// What a run does on a database already seeded (tops up the directory, or nothing), or an
/// error for one holding real members; `None` when the run may go ahead.
async fn already_seeded(db: &Db, a: &ScaleArgs) -> Result<Option<Written>, String> {
    let existing = count(
        db,
        &format!("SELECT COUNT(*) FROM users WHERE email LIKE '%{SCALE_DOMAIN}'"),
    )
    .await?;
    if existing > 0 {
        // A database seeded before the generator wrote the directory gets it now.
        let providers = count(
            db,
            "SELECT COUNT(*) FROM providers WHERE slug LIKE 'scale-provider-%'",
        )
        .await?;
        if providers == 0 && a.providers > 0 {
            return top_up_directory(db, a).await.map(Some);
        }
        if !a.quiet {
            println!("Already seeded at scale ({existing} scale members): nothing to do.");
        }
        return Ok(Some(Written::default()));
    }
    let real = count(db, "SELECT COUNT(*) FROM users").await?;
    if real > 0 && !a.force {
        return Err(format!(
            "this database has {real} members that are not scale accounts; \
             seed --scale writes a million posts beside them. Use a new database, or pass --force"
        ));
    }
    if a.members < 2 || a.communities == 0 {
        return Err("--members must be at least 2 and --communities at least 1".into());
    }
    Ok(None)
}

/// The progress bar over every row the run will write (hidden when quiet).
fn progress(a: &ScaleArgs) -> Result<ProgressBar, String> {
    let total = a.members
        + a.communities
        + a.groups
        + a.posts
        + a.replies
        + a.votes
        + a.conversations
        + a.messages
        + a.notifications
        + a.providers * 2
        + a.reviews
        + a.members * 2;
    let bar = if a.quiet {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
    } else {
        ProgressBar::new(total)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>14} [{bar:30}] {human_pos}/{human_len} rows, {per_sec}, ETA {eta}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    Ok(bar)
}
