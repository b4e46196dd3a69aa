//! The benchmark's databases: seeded once per size and generation, kept in the target directory, topped up when the generator grew.

use super::*;

/// Seeds one database at `url` (empty, just created) with `posts` posts.
pub(super) async fn seed(url: &str, posts: u64) -> Result<String, String> {
    let db = Db::connect(url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let mut shape = ScaleArgs::small(posts);
    shape.quiet = false;
    let w = crate::scale::run(&db, &shape).await?;
    if db.backend == app::db::Backend::Sqlite {
        // Everything into the database file before it is renamed: a write-ahead log left
        // beside the old name is not read under the new one, and the last writes (the
        // indexes made again) would be lost with it.
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
        if busy != 0 {
            return Err("the seeded database could not be checkpointed".into());
        }
    }
    db.pool.close().await;
    Ok(format!(
        "seeded {} rows in {:.0} s ({:.0} rows/s)",
        w.rows,
        w.seconds,
        w.rows as f64 / w.seconds.max(0.001)
    ))
}

/// A kept database, brought up to what the generator writes today (a run seeded before the
/// generator wrote the directory gets it; otherwise nothing is written).
async fn top_up(url: &str, posts: u64) -> Result<String, String> {
    let db = Db::connect(url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let mut shape = ScaleArgs::small(posts);
    shape.quiet = true;
    let w = crate::scale::run(&db, &shape).await?;
    db.pool.close().await;
    Ok(if w.rows == 0 {
        "reused".into()
    } else {
        format!(
            "reused; added the directory ({} rows in {:.0} s)",
            w.rows, w.seconds
        )
    })
}

/// The generator's data generation, in the kept databases' names: a run after the generator
/// changed what it writes (2: the rare words' tail) seeds afresh and removes the older ones.
const GENERATION: u32 = 2;

/// The SQLite database of `posts` posts in `dir`, seeded when missing. A seed is written to a
/// `.partial` file and renamed when complete, so an interrupted run is never mistaken for one.
pub(super) async fn sqlite_database(dir: &Path, posts: u64) -> Result<(String, String), String> {
    for old in 1..GENERATION {
        let name = match old {
            1 => format!("scale-{posts}.db"),
            g => format!("scale-g{g}-{posts}.db"),
        };
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.join(format!("{name}{suffix}")));
        }
    }
    let done = dir.join(format!("scale-g{GENERATION}-{posts}.db"));
    if done.exists() {
        let url = format!("sqlite://{}", done.display());
        let note = top_up(&url, posts).await?;
        return Ok((url, note));
    }
    let partial = dir.join(format!("scale-g{GENERATION}-{posts}.db.partial"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let note = seed(&format!("sqlite://{}", partial.display()), posts).await?;
    std::fs::rename(&partial, &done).map_err(|e| e.to_string())?;
    // What is left of its log and shared memory goes with it (checkpointed: nothing to lose).
    for suffix in ["-wal", "-shm"] {
        let (from, to) = (
            format!("{}{suffix}", partial.display()),
            format!("{}{suffix}", done.display()),
        );
        if std::path::Path::new(&from).exists() {
            std::fs::rename(&from, &to).map_err(|e| e.to_string())?;
        }
    }
    Ok((format!("sqlite://{}", done.display()), note))
}

/// The PostgreSQL database `hc_bench_g<generation>_<posts>`, seeded when missing (under a temporary name,
/// renamed when complete).
pub(super) async fn postgres_database(
    admin_url: &str,
    posts: u64,
) -> Result<(String, String), String> {
    use sqlx::Connection;
    let name = format!("hc_bench_g{GENERATION}_{posts}");
    let partial = format!("{name}_partial");
    let url_of = |db: &str| -> Result<String, String> {
        let mut url = url::Url::parse(admin_url).map_err(|e| e.to_string())?;
        url.set_path(&format!("/{db}"));
        Ok(url.to_string())
    };
    let mut conn = sqlx::postgres::PgConnection::connect(admin_url)
        .await
        .map_err(|e| format!("PostgreSQL: {e}"))?;
    for old in 1..GENERATION {
        let sql = match old {
            1 => format!("DROP DATABASE IF EXISTS \"hc_bench_{posts}\""),
            g => format!("DROP DATABASE IF EXISTS \"hc_bench_g{g}_{posts}\""),
        };
        sqlx::query(&sql)
            .execute(&mut conn)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    if exists.is_some() {
        let url = url_of(&name)?;
        let note = top_up(&url, posts).await?;
        return Ok((url, note));
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
