//! The scale generator's writer: rows batched into multi-row INSERTs (SQLite) or `COPY` (PostgreSQL) inside large transactions.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline generator: its tables are sized from its own arguments, and it never serves a request"
)]

use super::*;

/// A column value.
pub(super) enum V {
    I(i64),
    F(f64),
    N,
    S(String),
}

/// Rows waiting for one multi-row INSERT.
pub(super) struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<V>,
    max_rows: usize,
    /// Written as soon as a statement's worth is waiting. Off for rows that reference rows still
    /// being built (a post's replies wait for the post): the caller flushes those in order.
    auto: bool,
}

impl Batch {
    pub(super) fn new(
        values: usize,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> Batch {
        let max_rows = (values / columns.len()).clamp(1, 1_000);
        Batch {
            table,
            columns,
            rows: Vec::with_capacity(max_rows * columns.len()),
            max_rows,
            auto: true,
        }
    }

    pub(super) fn manual(mut self) -> Batch {
        self.auto = false;
        self
    }

    pub(super) fn full(&self) -> bool {
        self.len() >= self.max_rows
    }

    pub(super) fn len(&self) -> usize {
        self.rows.len() / self.columns.len()
    }
}

/// The writer: one connection, one open transaction, committed every so many rows.
pub(super) struct Writer {
    pub(super) conn: sqlx::pool::PoolConnection<sqlx::Any>,
    /// On PostgreSQL, a connection of its own that holds the run's transaction and writes every
    /// batch by `COPY … FROM STDIN` (the pool's `Any` connections cannot copy).
    pub(super) copy: Option<sqlx::PgConnection>,
    pub(super) rows: u64,
    pub(super) since_commit: u64,
    pub(super) bar: ProgressBar,
}

impl Writer {
    pub(super) async fn push(&mut self, b: &mut Batch, row: Vec<V>) -> Result<(), String> {
        debug_assert_eq!(row.len(), b.columns.len());
        b.rows.extend(row);
        if b.auto && b.full() {
            self.flush(b).await?;
        }
        Ok(())
    }

    /// Writes every waiting row, a statement's worth at a time.
    pub(super) async fn flush(&mut self, b: &mut Batch) -> Result<(), String> {
        while b.len() > 0 {
            self.flush_some(b).await?;
        }
        Ok(())
    }

    pub(super) async fn flush_some(&mut self, b: &mut Batch) -> Result<(), String> {
        let n = b.len().min(b.max_rows);
        let cols = b.columns.len();
        if let Some(pg) = self.copy.as_mut() {
            let data = copy_text(b.rows.drain(..n * cols), cols);
            let fail = |e: sqlx::Error| format!("copying {}: {e}", b.table);
            let mut copy = pg
                .copy_in_raw(&format!(
                    "COPY {} ({}) FROM STDIN",
                    b.table,
                    b.columns.join(", ")
                ))
                .await
                .map_err(fail)?;
            copy.send(data.into_bytes()).await.map_err(fail)?;
            copy.finish().await.map_err(fail)?;
            return self.written(n).await;
        }
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", b.table, b.columns.join(", "));
        let mut k = 0;
        for r in 0..n {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..cols {
                if c > 0 {
                    sql.push(',');
                }
                k += 1;
                sql.push_str(&format!("${k}"));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for v in b.rows.drain(..n * cols) {
            q = match v {
                V::I(i) => q.bind(i),
                V::F(f) => q.bind(f),
                V::N => q.bind(None::<i64>),
                V::S(s) => q.bind(s),
            };
        }
        q.execute(&mut *self.conn)
            .await
            .map_err(|e| format!("writing {}: {e}", b.table))?;
        self.written(n).await
    }

    /// Counts `n` rows written, and commits every 200,000.
    async fn written(&mut self, n: usize) -> Result<(), String> {
        self.rows += n as u64;
        self.since_commit += n as u64;
        self.bar.inc(n as u64);
        if self.since_commit >= 200_000 {
            self.exec("COMMIT").await?;
            self.exec("BEGIN").await?;
            self.since_commit = 0;
        }
        Ok(())
    }

    /// Runs a statement in the run's transaction.
    pub(super) async fn exec(&mut self, sql: &str) -> Result<(), String> {
        self.update(sql, &[]).await
    }

    /// Runs a statement with integer parameters in the run's transaction.
    pub(super) async fn update(&mut self, sql: &str, args: &[i64]) -> Result<(), String> {
        let done = match self.copy.as_mut() {
            Some(pg) => {
                let mut q = sqlx::query(sql);
                for a in args {
                    q = q.bind(*a);
                }
                q.execute(pg).await.map(|_| ())
            }
            None => {
                let mut q = sqlx::query(sql);
                for a in args {
                    q = q.bind(*a);
                }
                q.execute(&mut *self.conn).await.map(|_| ())
            }
        };
        done.map_err(|e| format!("{sql}: {e}"))
    }
}

/// Rows in `COPY`'s text format: columns apart by tabs, one row a line, `\N` for NULL, and a
/// backslash before a backslash, tab, newline or carriage return in a text.
fn copy_text(values: impl Iterator<Item = V>, cols: usize) -> String {
    let mut out = String::new();
    for (i, v) in values.enumerate() {
        if i % cols != 0 {
            out.push('\t');
        }
        match v {
            V::I(n) => out.push_str(&n.to_string()),
            V::F(f) => out.push_str(&f.to_string()),
            V::N => out.push_str("\\N"),
            V::S(s) => {
                for ch in s.chars() {
                    match ch {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
        }
        if i % cols == cols - 1 {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_reads_as_structure() {
        let rows = vec![
            V::I(7),
            V::S("a\tb\\c\nd\re".into()),
            V::F(52.5),
            V::I(-1),
            V::S(String::new()),
            V::N,
        ];
        assert_eq!(
            copy_text(rows.into_iter(), 3),
            "7\ta\\tb\\\\c\\nd\\re\t52.5\n-1\t\t\\N\n"
        );
    }
}
