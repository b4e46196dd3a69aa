//! The database handle: one `sqlx::Any` pool for SQLite or PostgreSQL, migrations, and the few dialect differences.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

pub mod member_pages;
pub mod row;
pub use row::Flag;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A write (or read) transaction on either backend, as the repositories pass it on.
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// The pool every repo function takes. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Wakes this process's live event streams (see `announce`).
    pub hub: Arc<Hub>,
    /// The PostgreSQL URL, for the LISTEN connection (never printed).
    listen_url: Option<Arc<str>>,
    /// The SQLite database's file (None in memory and on PostgreSQL).
    file: Option<Arc<str>>,
    /// Compiled watched-word lists, per community (see `safety::watched`).
    pub watched: Arc<crate::safety::watched::WatchCache>,
    /// The version of the public pages: raised after every request that may have changed what
    /// a page shows, in every process (see `pages_changed`); the page cache keeps only pages
    /// rendered at the current version.
    pages: Arc<AtomicU64>,
    /// The versions of each member's own pages (see `member_pages_changed`).
    pub member_pages: Arc<member_pages::MemberPages>,
    /// This process's name in the NOTIFY payloads it sends (a random word starting with `p`,
    /// which no member id parses as), so that its listener skips its own: what it announces it
    /// has already applied here, and hearing it again would only drop the pages rendered since.
    origin: Arc<str>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

/// The channel PostgreSQL carries "something new for these members" on, between app processes.
const EVENTS_CHANNEL: &str = "hc_events";

/// The channel PostgreSQL carries "the public pages may have changed" on, between app processes.
const PAGES_CHANNEL: &str = "hc_pages";

/// Per-member wake-ups for the live event streams of this process. A stream waits on its
/// member's `watch` channel, so idle streams cost nothing and a wake-up reaches only the
/// streams of that member; a slow stream never holds up another (a `watch` keeps only the
/// latest value, nobody queues behind it).
pub struct Hub {
    members: Mutex<HashMap<i64, watch::Sender<u64>>>,
    /// Set when the server shuts down, so open streams end and the shutdown can finish.
    closing: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            members: Mutex::new(HashMap::new()),
            closing: watch::channel(false).0,
        }
    }
}

impl Hub {
    /// Ends every open stream (at shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Changes to `true` when the server shuts down.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// A receiver that changes whenever `wake(user)` is called.
    pub fn subscribe(&self, user: i64) -> watch::Receiver<u64> {
        let mut members = self.members.lock().unwrap_or_else(|e| e.into_inner());
        members
            .entry(user)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    pub fn wake(&self, user: i64) {
        let mut members = self.members.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = members.get(&user) {
            if tx.receiver_count() == 0 {
                members.remove(&user);
            } else {
                tx.send_modify(|v| *v = v.wrapping_add(1));
            }
        }
    }

    /// Wakes everyone (after a lost LISTEN connection, when wake-ups may have been missed).
    pub fn wake_all(&self) {
        let members = self.members.lock().unwrap_or_else(|e| e.into_inner());
        for tx in members.values() {
            tx.send_modify(|v| *v = v.wrapping_add(1));
        }
    }

    /// How many members have a stream open here.
    pub fn len(&self) -> usize {
        self.members.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported DATABASE_URL (use sqlite://… or postgres://…): {0}")]
    UnsupportedUrl(String),
    #[error("could not create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Milliseconds since the Unix epoch: the one timestamp format in the database.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Db {
    /// Tells the live event streams of `users` that something changed for them, in every app
    /// process: here directly, and on PostgreSQL in every other process through NOTIFY (each
    /// process LISTENs, see `listen`, and skips its own). Their cached pages are dropped with it
    /// (`member_pages`). Call after the transaction that made the change has committed.
    pub async fn announce(&self, users: &[crate::ids::UserId]) {
        if users.is_empty() {
            return;
        }
        users.iter().for_each(|u| {
            self.member_pages.raise(u.0);
            self.hub.wake(u.0);
        });
        match self.backend {
            Backend::Sqlite => {}
            Backend::Postgres => {
                let ids = std::iter::once(self.origin.to_string())
                    .chain(users.iter().map(crate::ids::UserId::to_string))
                    .collect::<Vec<_>>()
                    .join(",");
                if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(EVENTS_CHANNEL)
                    .bind(ids)
                    .execute(&self.pool)
                    .await
                {
                    tracing::warn!(error = %e, "could not announce an event");
                }
            }
        }
    }

    /// The current version of the public pages (see `pages_changed`).
    pub fn pages_version(&self) -> u64 {
        self.pages.load(Ordering::SeqCst)
    }

    /// Says that the public pages may have changed: raises the version here at once and, on
    /// PostgreSQL, in every other app process (NOTIFY), so each drops the pages it cached. Call
    /// after the change has committed.
    pub async fn pages_changed(&self) {
        self.pages.fetch_add(1, Ordering::SeqCst);
        if self.backend == Backend::Postgres {
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(PAGES_CHANNEL)
                .bind(self.origin.as_ref())
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %e, "could not announce a page change");
            }
        }
    }

    /// Says that `member`'s own pages may have changed, in this process (a request of theirs
    /// that may have changed them; what changes them in every process is announced).
    pub fn member_pages_changed(&self, member: i64) {
        self.member_pages.raise(member);
    }

    /// The PostgreSQL URL this pool connects to (None on SQLite), for a tool that needs a
    /// connection of its own: the scale generator's `COPY`. Never to be printed.
    pub fn postgres_url(&self) -> Option<&str> {
        self.listen_url.as_deref()
    }

    /// The SQLite database's file, when it is one.
    pub fn sqlite_file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// On PostgreSQL, keeps a LISTEN connection that wakes this process's streams for events
    /// announced by any process (reconnecting after errors). A no-op on SQLite.
    pub fn listen(&self) {
        let Some(url) = self.listen_url.clone() else {
            return;
        };
        let hub = self.hub.clone();
        let pages = self.pages.clone();
        let member_pages = self.member_pages.clone();
        let origin = self.origin.clone();
        tokio::spawn(async move {
            loop {
                match sqlx::postgres::PgListener::connect(&url).await {
                    Ok(mut listener) => {
                        if let Err(e) = listener.listen_all([EVENTS_CHANNEL, PAGES_CHANNEL]).await {
                            tracing::warn!(error = %e, "LISTEN failed");
                        } else {
                            // Anything announced while we were away: let every stream re-read,
                            // and drop every cached page.
                            hub.wake_all();
                            pages.fetch_add(1, Ordering::SeqCst);
                            member_pages.raise_all();
                            while let Ok(n) = listener.recv().await {
                                let words = n.payload().split(',');
                                if words.clone().next() == Some(&*origin) {
                                    continue; // ours: applied when it was sent
                                }
                                if n.channel() == PAGES_CHANNEL {
                                    pages.fetch_add(1, Ordering::SeqCst);
                                    continue;
                                }
                                words
                                    .filter_map(|id| id.parse::<i64>().ok())
                                    .for_each(|id| {
                                        member_pages.raise(id);
                                        hub.wake(id);
                                    });
                            }
                            // The connection is lost: until it is back, changes made by other
                            // processes are not heard, so no page may be kept meanwhile.
                            pages.fetch_add(1, Ordering::SeqCst);
                            member_pages.raise_all();
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "LISTEN connection failed"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so it waits its turn (busy timeout) instead of failing with
    /// "database is locked" when its snapshot went stale between its first read and first write.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Opens the database named by `url`. SQLite files (and their folder) are created when missing.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let mut file = None;
        let (backend, url) = if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            if path != ":memory:" && !query.contains("mode=memory") {
                file = Some(Arc::from(path));
            }
            if path != ":memory:" {
                if let Some(parent) = std::path::Path::new(path).parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent)
                            .map_err(|e| DbError::Folder(parent.display().to_string(), e))?;
                    }
                }
            }
            let query = if query.contains("mode=") {
                query.to_string()
            } else if query.is_empty() {
                "mode=rwc".to_string()
            } else {
                format!("{query}&mode=rwc")
            };
            (Backend::Sqlite, format!("sqlite://{path}?{query}"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(DbError::UnsupportedUrl(redact(url)));
        };

        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; NORMAL sync is durable across
                        // application crashes (an OS crash can lose the last commits, never corrupt).
                        conn.execute(
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; \
                             PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
                        )
                        .await?;
                    } else {
                        // No parallel workers for one query: the site's queries read a page
                        // through an index, and many requests at once already use the cores.
                        // With them PostgreSQL chose a parallel scan of every post over the
                        // search index for a rare word.
                        conn.execute("SET max_parallel_workers_per_gather = 0")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db {
            pool,
            backend,
            hub: Arc::new(Hub::default()),
            listen_url: (backend == Backend::Postgres).then(|| Arc::from(url.as_str())),
            file,
            watched: Arc::default(),
            pages: Arc::default(),
            member_pages: Arc::default(),
            origin: Arc::from(format!("p{:016x}", rand::random::<u64>())),
        })
    }

    /// Applies every pending migration of this backend's folder.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        self.optimize().await?;
        Ok(())
    }

    /// Keeps the planner's statistics current. SQLite never analyses on its own: `PRAGMA optimize`
    /// (run after migrations and hourly) re-analyses, with a bounded sample, the tables whose size
    /// changed enough to matter, and is cheap when nothing did. PostgreSQL's autovacuum analyses
    /// by itself, so this does nothing there.
    pub async fn optimize(&self) -> Result<(), DbError> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA optimize").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// The names of the migrations compiled in for a backend (the test compares both lists).
    pub fn migration_names(backend: Backend) -> Vec<(i64, String)> {
        let m = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect()
    }
}

/// A database URL with its password hidden, for error messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Every unique constraint of the schema: its name (what PostgreSQL reports) and the columns
/// SQLite names instead ("UNIQUE constraint failed: reviews.provider_id, reviews.author_id").
/// One table, so the two cannot drift: a test checks it against the migrations.
pub const UNIQUE_CONSTRAINTS: &[(&str, &str)] = &[
    ("users_handle_key", "users.handle"),
    ("users_email_key", "users.email"),
    ("users_invite_code_key", "users.invite_code"),
    ("communities_slug_key", "communities.slug"),
    ("articles_slug_key", "articles.slug"),
    (
        "article_versions_number_key",
        "article_versions.article_id, article_versions.number",
    ),
    ("providers_slug_key", "providers.slug"),
    ("providers_user_key", "providers.user_id"),
    (
        "reviews_author_key",
        "reviews.provider_id, reviews.author_id",
    ),
    (
        "conversations_pair_key",
        "conversations.user_a, conversations.user_b",
    ),
    ("outbox_token_key", "outbox.token"),
    ("support_groups_slug_key", "support_groups.slug"),
    // An index on an expression: SQLite names the index instead of columns.
    ("watched_words_key", "index 'watched_words_key'"),
    ("saved_items_key", "index 'saved_items_key'"),
    ("follows_thread_key", "follows.user_id, follows.post_id"),
    (
        "follows_community_key",
        "follows.user_id, follows.community_id",
    ),
    ("follows_tag_key", "follows.user_id, follows.tag"),
    (
        "saved_refs_article_key",
        "saved_refs.user_id, saved_refs.article_id",
    ),
    (
        "saved_refs_provider_key",
        "saved_refs.user_id, saved_refs.provider_id",
    ),
];

/// Whether `e` is a violation of the unique constraint `name` (one of [`UNIQUE_CONSTRAINTS`]),
/// on either backend.
pub fn is_unique_violation(e: &sqlx::Error, name: &str) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    if db.constraint() == Some(name) {
        return true;
    }
    let Some(columns) = UNIQUE_CONSTRAINTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
    else {
        return false;
    };
    db.is_unique_violation()
        && db
            .message()
            .strip_prefix("UNIQUE constraint failed: ")
            .is_some_and(|m| m.trim() == columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://hc:secret@localhost/hc"),
            "postgres://hc:***@localhost/hc"
        );
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    /// Every `CONSTRAINT x UNIQUE` and `CREATE UNIQUE INDEX x` in the migrations is in
    /// [`UNIQUE_CONSTRAINTS`] with the columns SQLite would name, and nothing else is.
    #[test]
    fn the_constraint_table_matches_the_migrations() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
        let mut found: Vec<(String, String)> = Vec::new();
        // A table rebuilt by a later migration declares its constraints again.
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("migrations")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for file in files {
            let sql = std::fs::read_to_string(&file).expect("read");
            let mut table = String::new();
            for line in sql.lines() {
                let words: Vec<&str> = line.split_whitespace().collect();
                if let ["CREATE", "TABLE", name, ..] = words.as_slice() {
                    table = name.trim_end_matches('(').to_string();
                }
                if let Some(i) = words.iter().position(|w| *w == "CONSTRAINT") {
                    if words.get(i + 2).map(|w| w.trim_end_matches(',')) == Some("UNIQUE") {
                        let name = words.get(i + 1).expect("name").to_string();
                        let columns = if i == 0 {
                            // A table constraint: UNIQUE (a, b)
                            line.split_once('(')
                                .and_then(|(_, r)| r.split_once(')'))
                                .map(|(c, _)| c.to_string())
                                .expect("columns")
                        } else {
                            // A column constraint: the line's first word is the column.
                            words.first().expect("column").to_string()
                        };
                        let cols = columns
                            .split(',')
                            .map(|c| format!("{table}.{}", c.trim()))
                            .collect::<Vec<_>>()
                            .join(", ");
                        found.push((name, cols));
                    }
                }
                if let ["CREATE", "UNIQUE", "INDEX", name, "ON", rest @ ..] = words.as_slice() {
                    let rest = rest.join(" ");
                    let (t, c) = rest.split_once('(').expect("index columns");
                    let c = c.trim_end_matches([')', ';']);
                    let cols = if c.contains('(') {
                        format!("index '{name}'")
                    } else {
                        c.split(',')
                            .map(|c| format!("{}.{}", t.trim(), c.trim()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    found.push((name.to_string(), cols));
                }
            }
        }
        let mut want: Vec<(String, String)> = UNIQUE_CONSTRAINTS
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string()))
            .collect();
        found.sort();
        found.dedup();
        want.sort();
        assert_eq!(found, want);
    }

    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite = Db::migration_names(Backend::Sqlite);
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, Db::migration_names(Backend::Postgres));
    }
}
