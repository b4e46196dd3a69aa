//! The search's SQL: the full-text query of each backend from a query's slots, how a posts search ranks (relevance, or title first for a common word), and the bounded, visibility-filtered posts and articles queries.

use super::super::synonyms::Slot;
use super::super::types::*;
use crate::access::{listed, readable, Viewer};
use crate::db::{Backend, Db};
use crate::error::AppError;
use crate::posts::repo::{Params, FROM, SUMMARY};
use crate::posts::types::PostKind;

/// Narrowing of the questions-and-discussions results.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub community: Option<String>,
    pub kind: Option<PostKind>,
    /// `Some(true)`: with at least one answer; `Some(false)`: questions without one.
    pub answered: Option<bool>,
    /// The query's words: with two or more, the posts and articles holding them together, as a
    /// phrase, rank first.
    pub phrase: Vec<String>,
    /// How the newest matches are ordered: set by the search from how common its words are.
    pub ranking: Ranking,
}

/// How the newest matches of a posts search are ordered after the phrase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Ranking {
    /// By relevance: bm25 on SQLite, `ts_rank` on PostgreSQL.
    #[default]
    Relevance,
    /// Posts with a word in the title first, then the newest. On SQLite for a query with a
    /// common word: FTS5's bm25 weighs each word by counting every post that holds it, a walk of
    /// the word's whole list of posts on every search, which grows with the site.
    TitleFirst,
}

/// A phrase held by more posts than this is common (see [`Ranking::TitleFirst`]); counting up
/// to it reads at most this many entries of its list.
pub const COMMON_PHRASE: i64 = 5_000;

/// Each phrase of a SQLite full-text query, in the query's own syntax (`"word"`, `"two words"`,
/// `"prefix"*`): the phrases bm25 weighs one by one.
pub(super) fn fts_phrases(slots: &[Slot], prefix_last: bool) -> Vec<String> {
    let last = slots.len().saturating_sub(1);
    let mut out = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let prefix = prefix_last
            && i == last
            && slot.len() == 1
            && slot.first().is_some_and(|a| a.len() == 1);
        for alt in slot {
            let star = if prefix { "*" } else { "" };
            out.push(format!("\"{}\"{star}", alt.join(" ")));
        }
    }
    out
}

/// Whether more than [`COMMON_PHRASE`] posts hold `phrase` (FTS5 syntax). Stops counting there.
pub(super) async fn common_phrase(db: &Db, phrase: &str) -> Result<bool, AppError> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM posts_fts WHERE posts_fts MATCH $1 LIMIT {})",
        COMMON_PHRASE + 1
    );
    let n: i64 = sqlx::query_scalar(&sql)
        .bind(phrase)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > COMMON_PHRASE)
}

/// The ranking a posts search can afford, and whether its last word also matches as a prefix:
/// relevance, unless a phrase is common on SQLite. A common word typed in full is not matched as
/// a prefix too: its own posts are more than the pages reach, and FTS5 merges the lists of every
/// word that starts with it (the, then, there, …) on each read — 57 ms a read for "the" at a
/// million posts. (PostgreSQL's `ts_rank` reads the candidate's own vector, nothing global.)
pub(super) async fn ranking(db: &Db, slots: &[Slot]) -> Result<(Ranking, bool), AppError> {
    if db.backend == Backend::Sqlite {
        for phrase in fts_phrases(slots, false) {
            if common_phrase(db, &phrase).await? {
                return Ok((Ranking::TitleFirst, false));
            }
        }
        for phrase in fts_phrases(slots, true) {
            if phrase.ends_with('*') && common_phrase(db, &phrase).await? {
                return Ok((Ranking::TitleFirst, true));
            }
        }
    }
    Ok((Ranking::Relevance, true))
}

/// The words as one phrase in the backend's match syntax, as an SQL string literal. Safe to
/// inline: `clean_query` leaves letters and digits only (checked again here).
pub(super) fn phrase_literal(backend: Backend, words: &[String]) -> Option<String> {
    if words.len() < 2 || !words.iter().all(|w| w.chars().all(char::is_alphanumeric)) {
        return None;
    }
    Some(match backend {
        Backend::Sqlite => format!("'\"{}\"'", words.join(" ")),
        Backend::Postgres => format!("'{}'", words.join(" <-> ")),
    })
}

/// The full-text query for each backend, from the query's slots (`synonyms::expand`): each slot
/// must match, by any of its alternatives; a phrase's words must stand together. Every word is
/// letters and digits only (see `clean_query`), quoted; with `prefix_last`, the last word, when
/// it was not expanded, also matches as a prefix.
pub(super) fn fts_query(backend: Backend, slots: &[Slot], prefix_last: bool) -> String {
    fts_query_joined(backend, slots, false, prefix_last)
}

/// As [`fts_query`]; with `any`, a document needs only one of the slots (similar questions).
pub(super) fn fts_query_joined(
    backend: Backend,
    slots: &[Slot],
    any: bool,
    prefix_last: bool,
) -> String {
    let last = slots.len().saturating_sub(1);
    let parts: Vec<String> = slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let prefix = prefix_last
                && i == last
                && slot.len() == 1
                && slot.first().is_some_and(|a| a.len() == 1);
            let (alts, or): (Vec<String>, &str) = match backend {
                Backend::Sqlite => (
                    slot.iter()
                        .map(|alt| format!("\"{}\"", alt.join(" ")))
                        .collect(),
                    " OR ",
                ),
                Backend::Postgres => (slot.iter().map(|alt| alt.join(" <-> ")).collect(), " | "),
            };
            match (prefix, backend, alts.as_slice()) {
                (true, Backend::Sqlite, [one]) => format!("{one}*"),
                (true, Backend::Postgres, [one]) => format!("{one}:*"),
                (_, _, [one]) => one.clone(),
                _ => format!("({})", alts.join(or)),
            }
        })
        .collect();
    // FTS5 joins phrases by juxtaposition, but a parenthesised group needs its AND spelled out.
    parts.join(match (backend, any) {
        (Backend::Sqlite, false) => " AND ",
        (Backend::Postgres, false) => " & ",
        (Backend::Sqlite, true) => " OR ",
        (Backend::Postgres, true) => " | ",
    })
}

/// `Params` whose `$1` is reserved for the query string (bound first, as text).
pub(super) fn params_after_query() -> Params {
    Params(vec![0])
}

/// [`bind_all`] reading typed rows.
pub(super) fn bind_all_as<'q, T>(
    sql: &'q str,
    query: &'q str,
    params: &Params,
) -> sqlx::query::QueryAs<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    let mut q = sqlx::query_as(sql).bind(query);
    for v in params.0.iter().skip(1) {
        q = q.bind(*v);
    }
    q
}

pub(super) fn bind_all<'q>(
    sql: &'q str,
    query: &'q str,
    params: &Params,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut q = sqlx::query(sql).bind(query);
    for v in params.0.iter().skip(1) {
        q = q.bind(*v);
    }
    q
}

/// How many of the newest matches of a query are ranked: as many as the count shows (it stops
/// at 1,000), and five times the 200 results the pages reach.
pub const CANDIDATES: i64 = COUNT_CAP;

/// FROM and WHERE of the posts search: readable, live, filtered, over the posts alone (the rule
/// and the filters read the post's own columns; the page joins communities and authors for its
/// 21 posts only). For a `count` the candidates
/// are not ranked (bm25 read each one's sizes: 6 of the 15 ms of a search for a word in a
/// thousand posts at a million).
pub(super) fn posts_where(
    backend: Backend,
    params: &mut Params,
    viewer: Option<Viewer>,
    filters: &Filters,
    community_id: Option<i64>,
    count: bool,
) -> String {
    let readable_sql = readable(params, viewer);
    let from = candidates_from(backend, filters, count);
    let mut conds = vec![
        "p.deleted_at IS NULL".to_string(),
        format!("{readable_sql} = 1"),
        listed(params, viewer),
    ];
    if let Some(id) = community_id {
        conds.push(format!("p.community_id = {}", params.p(id)));
    }
    match filters.kind {
        Some(PostKind::Question) => conds.push("p.kind = 'question'".into()),
        Some(PostKind::Discussion) => conds.push("p.kind = 'discussion'".into()),
        None => {}
    }
    match filters.answered {
        Some(true) => conds.push("p.kind = 'question' AND p.answer_count > 0".into()),
        Some(false) => conds.push("p.kind = 'question' AND p.answer_count = 0".into()),
        None => {}
    }
    format!("{from} WHERE {}", conds.join(" AND "))
}

/// The FROM of a posts search: the newest matches of the words (at most `CANDIDATES`), with
/// their rank and whether they hold the phrase apart (unless `count`), joined to their posts.
/// It binds nothing: `$1` is the words, always the first parameter.
fn candidates_from(backend: Backend, filters: &Filters, count: bool) -> String {
    match backend {
        // The newest CANDIDATES matches, in the index's own order (FTS5 walks its doclists by
        // rowid and stops), each with its rank (bm25, or for a common word whether the title
        // holds the query: see `Ranking`); the filters and the ranking apply to those.
        // Ranking every match of a common word read and sorted the whole index: 1.6–2.4 s at a
        // million posts.
        Backend::Sqlite => {
            let apart = |id: &str, bound: &str| match phrase_literal(backend, &filters.phrase) {
                Some(lit) => format!(
                    "CASE WHEN {id} IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH {lit}{bound}) \
                     THEN 0 ELSE 1 END"
                ),
                None => "0".into(),
            };
            let newest = format!(
                "SELECT rowid AS id FROM posts_fts WHERE posts_fts MATCH $1 \
                 ORDER BY rowid DESC LIMIT {CANDIDATES}"
            );
            let hits = match filters.ranking {
                _ if count => newest.clone(),
                Ranking::Relevance => format!(
                    "SELECT rowid AS id, bm25(posts_fts, 10.0, 1.0) AS rank, {} AS apart \
                     FROM posts_fts WHERE posts_fts MATCH $1 ORDER BY rowid DESC LIMIT {CANDIDATES}",
                    apart("rowid", "")
                ),
                // Whether the title holds the query, from the title's matches among the
                // candidates' ids alone (FTS5 reads a rowid range of its lists). The candidates
                // are read once (`MATERIALIZED`): the range's bound read them again, 0.7 of a
                // 4.3 ms search for a word in a tenth of a million posts.
                Ranking::TitleFirst => {
                    let bound = " AND rowid >= (SELECT MIN(id) FROM c)";
                    format!(
                        "WITH c AS MATERIALIZED ({newest}) SELECT c.id, CASE WHEN c.id IN \
                         (SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'title : (' || $1 || ')'{bound}) \
                         THEN -1.0 ELSE 0.0 END AS rank, {} AS apart FROM c",
                        apart("c.id", bound)
                    )
                }
            };
            // The rule's columns from `posts_visible_idx` (named: the planner takes the table's
            // rows on a small database, and did on the plan test's 20,000 posts).
            format!("FROM ({hits}) AS hits JOIN posts p INDEXED BY posts_visible_idx ON p.id = hits.id")
        }
        // The same on PostgreSQL: the planner reads the newest matches backwards through the
        // primary key when a word is common, or the GIN index when it is rare.
        Backend::Postgres if count => format!(
            "FROM (SELECT s.id FROM posts s WHERE s.search @@ to_tsquery('english', $1) \
             ORDER BY s.id DESC LIMIT {CANDIDATES}) AS hits JOIN posts p ON p.id = hits.id"
        ),
        Backend::Postgres => format!(
            "FROM (SELECT s.id, ts_rank('{{0.02, 0.05, 0.2, 1.0}}'::float4[], s.search, \
             to_tsquery('english', $1)) AS rank, {} AS apart FROM posts s \
             WHERE s.search @@ to_tsquery('english', $1) ORDER BY s.id DESC LIMIT {CANDIDATES}) AS hits \
             JOIN posts p ON p.id = hits.id",
            match phrase_literal(backend, &filters.phrase) {
                Some(lit) => format!(
                    "CASE WHEN s.search @@ to_tsquery('english', {lit}) THEN 0 ELSE 1 END"
                ),
                None => "0".into(),
            },
        ),
    }
}

/// The posts search query (public so the query-plan test checks exactly this SQL). The
/// candidates are filtered and ranked by id alone, with their number (`total`, what the Posts
/// tab counts); only the page's posts are then read whole. Sorting the thousand candidates with
/// every column of theirs, and counting them in a second pass, took 10 of a rare word's 20 ms.
pub fn posts_sql(
    backend: Backend,
    viewer: Option<Viewer>,
    filters: &Filters,
    community_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> (String, Params) {
    let mut params = params_after_query();
    let base = posts_where(backend, &mut params, viewer, filters, community_id, false);
    // The phrase first; then bm25 is better when lower, ts_rank when higher.
    let (order, page_order) = match backend {
        Backend::Sqlite => (
            "hits.apart, hits.rank, p.id DESC",
            "page.apart, page.rank, p.id DESC",
        ),
        Backend::Postgres => (
            "hits.apart, hits.rank DESC, p.id DESC",
            "page.apart, page.rank DESC, p.id DESC",
        ),
    };
    let (l, o) = (params.p(limit), params.p(offset));
    (
        format!(
            "SELECT {SUMMARY}, p.body_md, page.total FROM (SELECT p.id AS id, hits.apart AS apart, \
             hits.rank AS rank, COUNT(*) OVER () AS total {base} ORDER BY {order} LIMIT {l} OFFSET {o}) \
             AS page JOIN posts p ON p.id = page.id {} ORDER BY {page_order}",
            &FROM["FROM posts p".len()..]
        ),
        params,
    )
}

pub(super) fn articles_sql(
    backend: Backend,
    phrase: &[String],
    community_id: Option<i64>,
    count: bool,
    limit: i64,
    offset: i64,
) -> (String, Params) {
    let mut params = params_after_query();
    let (from, matches, rank) = match backend {
        Backend::Sqlite => (
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid",
            "articles_fts MATCH $1",
            "bm25(articles_fts, 10.0, 3.0, 1.0), a.id DESC",
        ),
        Backend::Postgres => (
            "FROM articles a",
            "v.search @@ to_tsquery('english', $1)",
            "ts_rank('{0.02, 0.05, 0.2, 1.0}'::float4[], v.search, to_tsquery('english', $1)) DESC, a.id DESC",
        ),
    };
    // Articles holding the words as a phrase first.
    let order = match (phrase_literal(backend, phrase), backend) {
        (Some(lit), Backend::Sqlite) => format!(
            "CASE WHEN a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH {lit}) THEN 0 ELSE 1 END, {rank}"
        ),
        (Some(lit), Backend::Postgres) => format!(
            "CASE WHEN v.search @@ to_tsquery('english', {lit}) THEN 0 ELSE 1 END, {rank}"
        ),
        (None, _) => rank.to_string(),
    };
    let mut conds = vec![matches.to_string()];
    if let Some(id) = community_id {
        conds.push(format!("a.community_id = {}", params.p(id)));
    }
    let joins = "JOIN article_versions v ON v.id = a.published_version_id \
        JOIN communities c ON c.id = a.community_id JOIN users rv ON rv.id = v.reviewer_id";
    let where_ = conds.join(" AND ");
    let (l, o) = (params.p(limit), params.p(offset));
    let sql = if count {
        format!("SELECT COUNT(*) AS n FROM (SELECT 1 {from} {joins} WHERE {where_} LIMIT {l}) t")
    } else {
        format!(
            "SELECT a.slug, v.title, v.summary, v.body_md, c.name AS community_name, rv.handle AS reviewer \
             {from} {joins} WHERE {where_} ORDER BY {order} LIMIT {l} OFFSET {o}"
        )
    };
    if count {
        // The count query has no OFFSET: drop its parameter so every bound value is used.
        params.0.pop();
    }
    (sql, params)
}
