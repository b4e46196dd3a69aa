//! The indexes, triggers and PostgreSQL foreign keys `seed --scale` sets aside while it writes, and makes again at the end: one sorted build per index instead of an update per row.
//!
//! What was set aside is written down first (`scale_set_aside`, in the same transaction as the
//! drops), so a run that stops half-way leaves a note the next run acts on before anything else:
//! an interrupted seed never leaves a database without its indexes.

use super::*;

/// The tables the generator writes.
const TABLES: &str = "'users', 'communities', 'community_members', 'support_groups', \
    'support_group_members', 'posts', 'replies', 'post_votes', 'notifications', \
    'conversations', 'messages'";

/// Drops the secondary indexes and triggers of the generated tables, and on PostgreSQL their
/// foreign keys (checked row by row while copying; checked again in one pass when made again),
/// keeping their definitions. The indexes behind constraints (primary keys, UNIQUE columns) stay.
/// (SQLite's foreign keys are off on the writer's connection instead: see `run`.)
pub(super) async fn set_aside(db: &Db) -> Result<usize, String> {
    let sql = match db.backend {
        Backend::Sqlite => format!(
            "SELECT type, printf('DROP %s \"%w\"', type, name), sql FROM sqlite_master \
             WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({TABLES}) \
             ORDER BY rowid"
        ),
        Backend::Postgres => format!(
            "SELECT kind, drop_sql, create_sql FROM ( \
               SELECT 1 AS k, 'index'::text AS kind, 'DROP INDEX ' || quote_ident(indexname) AS drop_sql, \
                 indexdef::text AS create_sql, indexname::text AS name FROM pg_indexes i \
               WHERE schemaname = current_schema() AND tablename IN ({TABLES}) \
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = \
                 (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) \
               UNION ALL \
               SELECT 2, 'constraint', \
                 'ALTER TABLE ' || conrelid::regclass::text || ' DROP CONSTRAINT ' || quote_ident(conname), \
                 'ALTER TABLE ' || conrelid::regclass::text || ' ADD CONSTRAINT ' || quote_ident(conname) \
                   || ' ' || pg_get_constraintdef(oid), conname::text \
               FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace \
               AND conrelid::regclass::text IN ({TABLES}) \
             ) AS aside ORDER BY k, name"
        ),
    };
    let found: Vec<(String, String, String)> = sqlx::query_as(&sql)
        .fetch_all(&db.pool)
        .await
        .map_err(|e| format!("listing indexes: {e}"))?;
    let fail = |e: sqlx::Error| format!("setting indexes aside: {e}");
    let mut tx = db.pool.begin().await.map_err(fail)?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS scale_set_aside \
         (n BIGINT NOT NULL, kind TEXT NOT NULL, sql TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .map_err(fail)?;
    for (n, (kind, drop, create)) in found.iter().enumerate() {
        sqlx::query("INSERT INTO scale_set_aside (n, kind, sql) VALUES ($1, $2, $3)")
            .bind(n as i64)
            .bind(kind)
            .bind(create)
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
        sqlx::query(drop).execute(&mut *tx).await.map_err(fail)?;
    }
    tx.commit().await.map_err(fail)?;
    Ok(found.len())
}

/// Makes again what a run set aside (its own, or an interrupted one's), then rebuilds SQLite's
/// full-text index of the posts when its trigger was among them. Nothing to do without a note.
pub(super) async fn restore(db: &Db) -> Result<(), String> {
    let exists = match db.backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'scale_set_aside'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'scale_set_aside'"
        }
    };
    if count(db, exists).await? == 0 {
        return Ok(());
    }
    let fail = |e: sqlx::Error| format!("making the indexes again: {e}");
    let mut tx = db.pool.begin().await.map_err(fail)?;
    // In the order they were made: SQLite's planner breaks a tie between two indexes by their
    // order in the schema, so the same order keeps the same plans (a plan test saw a group's
    // unanswered posts read through a community index when they were made again by name).
    let kept: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, sql FROM scale_set_aside ORDER BY n")
            .fetch_all(&mut *tx)
            .await
            .map_err(fail)?;
    for (_, sql) in &kept {
        sqlx::query(sql).execute(&mut *tx).await.map_err(fail)?;
    }
    if db.backend == Backend::Sqlite
        && kept
            .iter()
            .any(|(kind, sql)| kind == "trigger" && sql.contains("posts_fts"))
    {
        sqlx::query("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')")
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
    }
    sqlx::query("DROP TABLE scale_set_aside")
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    Ok(())
}
