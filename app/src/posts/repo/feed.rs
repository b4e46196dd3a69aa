//! Feeds: a community's, a group's and a member's home feed, one index-ordered query a page, and the pinned posts.

use super::*;

/// Where a feed reads from, with the community already resolved to its id.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Public,
    /// The member's home feed: the community posts of the communities they joined and the posts
    /// of the groups they are an active member of.
    Home(&'a [Source]),
    Community(i64),
    Group(i64),
}

/// One stream of a home feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Community(i64),
    Group(i64),
}

/// A home feed reads at most this many streams (SQLite allows 500 arms in one compound query);
/// a member of more communities and groups sees the first ones.
pub(super) const MAX_SOURCES: usize = 400;

/// Top windows up to this many days read the window's posts by id and sort them by votes (a
/// week holds few posts); longer windows walk the vote index and skip older posts (a year's
/// posts are most of them, so the walk stops soon).
pub(super) const SHORT_WINDOW_DAYS: i64 = 31;

/// The one query of a feed page: SQL and its parameters. Public so the query-plan test checks
/// exactly what the feed runs.
///
/// A home feed is a merge: one arm per joined community and group, each reading its own index
/// in order and stopping at a page, and an outer sort of those few rows. (One `IN (…)` over the
/// member's communities read every post of them and sorted: 6 s at a million posts.)
pub fn feed_query(
    scope: Scope<'_>,
    sort: FeedSort,
    since: Option<i64>,
    cursor: Option<Cursor>,
    viewer: Option<Viewer>,
) -> (String, Params) {
    let mut params = Params::default();
    let key = match sort {
        FeedSort::New | FeedSort::Unanswered | FeedSort::NotAccepted => None,
        FeedSort::Active => Some("last_activity_at"),
        FeedSort::Top => Some("vote_count"),
    };
    let order = |alias: &str| match key {
        None => format!("{alias}.id DESC"),
        Some(k) => format!("{alias}.{k} DESC, {alias}.id DESC"),
    };
    let limit = PAGE_SIZE as i64 + 1;
    match scope {
        Scope::Home(sources) => {
            let arms: Vec<String> = sources
                .iter()
                .take(MAX_SOURCES)
                .enumerate()
                .map(|(i, source)| {
                    let only = match source {
                        Source::Community(id) => {
                            format!("p.community_id = {} AND p.group_id IS NULL", params.p(*id))
                        }
                        Source::Group(id) => format!("p.group_id = {}", params.p(*id)),
                    };
                    let arm = one_feed(&mut params, only, sort, since, cursor, viewer, limit);
                    format!("SELECT * FROM ({arm}) AS a{i}")
                })
                .collect();
            if arms.is_empty() {
                // Nothing joined: an empty page, still one well-formed query.
                let arm = one_feed(
                    &mut params,
                    "1 = 0".into(),
                    sort,
                    since,
                    cursor,
                    viewer,
                    limit,
                );
                return (arm, params);
            }
            let limit = params.p(limit);
            let sql = format!(
                "SELECT * FROM ({}) AS h ORDER BY {} LIMIT {limit}",
                arms.join(" UNION ALL "),
                order("h")
            );
            (sql, params)
        }
        Scope::Public => {
            let only = PUBLIC.to_string();
            let sql = one_feed(&mut params, only, sort, since, cursor, viewer, limit);
            (sql, params)
        }
        Scope::Community(id) => {
            let only = format!("p.community_id = {} AND p.group_id IS NULL", params.p(id));
            let sql = one_feed(&mut params, only, sort, since, cursor, viewer, limit);
            (sql, params)
        }
        Scope::Group(id) => {
            let group = params.p(id);
            let readable_sql = readable(&mut params, viewer);
            // Only readable posts: a closed group's titles are not for outsiders either.
            let only = format!("p.group_id = {group} AND {readable_sql} = 1");
            let sql = one_feed(&mut params, only, sort, since, cursor, viewer, limit);
            (sql, params)
        }
    }
}

/// The public scope's posts: the landing's.
const PUBLIC: &str = "p.visibility = 'public' AND p.group_id IS NULL";

/// One index-ordered page of posts matching `only`.
pub(super) fn one_feed(
    params: &mut Params,
    only: String,
    sort: FeedSort,
    since: Option<i64>,
    cursor: Option<Cursor>,
    viewer: Option<Viewer>,
    limit: i64,
) -> String {
    let readable_sql = readable(params, viewer);
    let public_to_visitor = only == PUBLIC && viewer.is_none();
    // A community's own posts (its feed, or one stream of a home feed), or a group's: its
    // window has an index.
    let community_stream = (only.starts_with("p.community_id = ")
        && only.ends_with(" AND p.group_id IS NULL"))
        || only.starts_with("p.group_id = ");
    let mut filter = vec![only];
    match sort {
        FeedSort::Unanswered => filter.push("p.kind = 'question' AND p.answer_count = 0".into()),
        FeedSort::NotAccepted => {
            filter.push("p.kind = 'question' AND p.accepted_reply_id IS NULL".into())
        }
        _ => {}
    }
    filter.push("p.deleted_at IS NULL".into());
    filter.push(listed(params, viewer));
    let (by_votes, short_window) = match (sort, since) {
        (FeedSort::Top, Some(since)) => top_window(
            params,
            &mut filter,
            since,
            public_to_visitor || community_stream,
        ),
        _ => ("p.vote_count", false),
    };
    let key = match sort {
        FeedSort::New | FeedSort::Unanswered | FeedSort::NotAccepted => None,
        FeedSort::Active => Some("p.last_activity_at"),
        FeedSort::Top => Some(by_votes),
    };
    if let Some(c) = cursor {
        filter.push(match key {
            None => format!("p.id < {}", params.p(c.id)),
            Some(_) if sort == FeedSort::Top => format!(
                "(p.vote_count, p.id) < ({}, {})",
                params.p(c.key),
                params.p(c.id)
            ),
            Some(k) => format!("({k}, p.id) < ({}, {})", params.p(c.key), params.p(c.id)),
        });
    }
    let order = match key {
        None => "p.id DESC".to_string(),
        Some(k) => format!("{k} DESC, p.id DESC"),
    };
    let limit = params.p(limit);
    if short_window {
        // A short window sorts all of its posts: it picks the page's ids from the posts' own
        // columns first, and joins the authors, communities and groups and reads the bodies'
        // lengths for that page alone, not for every post of the window before the sort.
        return format!(
            "SELECT {SUMMARY}, {readable_sql} AS readable {FROM} WHERE p.id IN \
             (SELECT p.id FROM posts p WHERE {} ORDER BY {order} LIMIT {limit}) \
             ORDER BY {order} LIMIT {limit}",
            filter.join(" AND ")
        );
    }
    format!(
        "SELECT {SUMMARY}, {readable_sql} AS readable {FROM} WHERE {} ORDER BY {order} LIMIT {limit}",
        filter.join(" AND ")
    )
}

/// Top within a window since `since`: the window's filter, the vote key to sort by, and
/// whether the window is short (sorted whole). `indexed`: the feed's window has an index of its
/// own (public posts for a visitor, a community's or a group's posts).
fn top_window(
    params: &mut Params,
    filter: &mut Vec<String>,
    since: i64,
    indexed: bool,
) -> (&'static str, bool) {
    let since_p = params.p(since);
    filter.push(format!("p.created_at >= {since_p}"));
    if now_ms() - since > SHORT_WINDOW_DAYS * 86_400_000 {
        return ("p.vote_count", false);
    }
    // `posts_public_window_idx` holds the window's public posts by date with their votes,
    // `posts_community_window_idx` a community's, `posts_group_window_idx` a group's: the window
    // is read from the index alone and sorted, never the table.
    if !indexed {
        // Every post of the window has an id at least the smallest id in the window, which
        // `posts_created_idx (created_at, id)` gives by reading the window's entries alone;
        // then the window is an id range on the feed's id index, and the few posts it
        // holds are sorted. (Ids mostly grow with creation time, so the range holds little
        // else.) `w.id + 0`: a bare MIN(id) lets both databases read the ids in order from the
        // first post ever until one falls in the window (57 ms at 100,000 posts, growing
        // with the table); over the expression they read the window's index entries (2 ms).
        filter.push(format!(
            "p.id >= (SELECT MIN(w.id + 0) FROM posts w WHERE w.created_at >= {since_p})"
        ));
    }
    // `+ 0` keeps the planner from walking the whole vote index to skip the sort.
    ("p.vote_count + 0", true)
}

pub(super) async fn community_id(db: &Db, slug: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// The group's id; a hidden group does not exist for those neither in it nor invited (the same
/// answer as an unknown address).
pub(super) async fn group_id(db: &Db, slug: &str, viewer: Option<Viewer>) -> Result<i64, AppError> {
    let (id, kind, status): (i64, String, Option<String>) = sqlx::query_as(
        "SELECT g.id, g.kind, gm.status FROM support_groups g LEFT JOIN support_group_members gm \
         ON gm.group_id = g.id AND gm.user_id = $2 WHERE g.slug = $1",
    )
    .bind(slug)
    .bind(viewer.map(|v| v.id).unwrap_or_default())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if kind == "hidden" && !matches!(status.as_deref(), Some("active" | "invited")) {
        return Err(AppError::NotFound);
    }
    Ok(id)
}

/// The streams of a member's home feed: their communities, then their active groups.
pub async fn home_sources(db: &Db, user: UserId) -> Result<Vec<Source>, AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT community_id AS id, 0 AS is_group FROM community_members WHERE user_id = $1 \
         UNION ALL SELECT group_id AS id, 1 AS is_group FROM support_group_members \
         WHERE user_id = $1 AND status = 'active' ORDER BY is_group, id",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, is_group)| {
            if is_group == 1 {
                Source::Group(id)
            } else {
                Source::Community(id)
            }
        })
        .collect())
}

/// One page of a feed.
pub async fn feed(
    db: &Db,
    scope: &FeedScope,
    sort: FeedSort,
    window: &str,
    cursor: Option<&str>,
    viewer: Option<Viewer>,
) -> Result<FeedPage, AppError> {
    let sources;
    let home =
        matches!(scope, FeedScope::Home) || matches!(scope, FeedScope::Front) && viewer.is_some();
    let scope = match scope {
        FeedScope::Public => Scope::Public,
        FeedScope::Front if !home => Scope::Public,
        FeedScope::Home | FeedScope::Front => {
            sources = home_sources(db, viewer.ok_or(AppError::Unauthenticated)?.id).await?;
            Scope::Home(&sources)
        }
        FeedScope::Community(slug) => Scope::Community(community_id(db, slug).await?),
        FeedScope::Group(slug) => Scope::Group(group_id(db, slug, viewer).await?),
    };
    let cursor = match cursor.filter(|c| !c.is_empty()) {
        Some(raw) => Some(Cursor::decode(raw).ok_or(AppError::BadRequest)?),
        None => None,
    };
    let days = window_days(window);
    let since = (days > 0).then(|| now_ms() - days * 86_400_000);
    let (sql, params) = feed_query(scope, sort, since, cursor, viewer);
    let rows = with_params(&sql, &params.0).fetch_all(&db.pool).await?;
    let mut items = rows
        .iter()
        .map(readable_summary)
        .collect::<Result<Vec<_>, _>>()?;
    let next = if items.len() > PAGE_SIZE {
        items.truncate(PAGE_SIZE);
        items.last().map(|last| {
            Cursor {
                key: match sort {
                    FeedSort::Active => last.last_activity_at,
                    FeedSort::Top => last.vote_count,
                    _ => last.id,
                },
                id: last.id,
            }
            .encode()
        })
    } else {
        None
    };
    Ok(FeedPage {
        items,
        next,
        sponsored: None,
        home,
    })
}

/// The posts the team pinned to the top of community `slug` (not its groups'), newest pin first,
/// as the community feed shows them to this viewer (members-only ones as excerpts to outsiders).
pub async fn community_pinned(
    db: &Db,
    slug: &str,
    viewer: Option<Viewer>,
) -> Result<Vec<PostSummary>, AppError> {
    let community = community_id(db, slug).await?;
    let mut params = Params::default();
    let c = params.p(community);
    let readable_sql = readable(&mut params, viewer);
    let listed_sql = listed(&mut params, viewer);
    let sql = format!(
        "SELECT {SUMMARY}, {readable_sql} AS readable {FROM} \
         WHERE p.community_id = {c} AND p.group_id IS NULL AND p.pinned_at IS NOT NULL \
           AND p.deleted_at IS NULL AND {listed_sql} ORDER BY p.pinned_at DESC LIMIT 3"
    );
    let rows = with_params(&sql, &params.0).fetch_all(&db.pool).await?;
    rows.iter().map(readable_summary).collect()
}
