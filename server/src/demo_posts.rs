//! Demo questions, answers, discussions and votes for `seed --demo`, written for this project (no real people).

use app::auth::types::CurrentUser;
use app::db::now_ms;
use app::posts::repo::{self, PostInput, VoteTarget};
use app::posts::types::{PostKind, Visibility};
use app::state::AppState;
use sqlx::Row;

/// The demo posts, in the order `create` writes them (oldest first after sorting).
const POSTS_TOML: &str = include_str!("../demo/posts.toml");

/// One reply of a demo post, as `demo/posts.toml` writes it.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoReply {
    author: String,
    /// Index of the reply this one answers, within the same post.
    parent: Option<usize>,
    body: String,
    #[serde(default)]
    votes: Vec<String>,
}

/// One demo question or discussion, as `demo/posts.toml` writes it.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPost {
    community: String,
    author: String,
    kind: PostKind,
    visibility: Visibility,
    title: String,
    body: String,
    #[serde(default)]
    tags: Vec<String>,
    days_ago: i64,
    #[serde(default)]
    votes: Vec<String>,
    #[serde(default, rename = "reply")]
    replies: Vec<DemoReply>,
    /// Index of the accepted answer.
    accepted: Option<usize>,
}

/// The file's top level: its `[[post]]` tables.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPosts {
    post: Vec<DemoPost>,
}

/// The demo posts of `demo/posts.toml`, or what is wrong with the file.
fn demo_posts() -> Result<Vec<DemoPost>, String> {
    toml::from_str::<DemoPosts>(POSTS_TOML)
        .map(|f| f.post)
        .map_err(|e| format!("server/demo/posts.toml: {e}"))
}

/// Whether `sql` (one `$1` parameter, `key`) finds a row: the demo's parts skip what is there.
pub(crate) async fn exists(state: &AppState, sql: &str, key: &str) -> Result<bool, String> {
    sqlx::query(sql)
        .bind(key)
        .fetch_optional(&state.db.pool)
        .await
        .map(|row| row.is_some())
        .map_err(|e| e.to_string())
}

/// A demo member as the repositories see them.
pub(crate) async fn user(state: &AppState, handle: &str) -> Result<CurrentUser, String> {
    let id: i64 = sqlx::query("SELECT id FROM users WHERE handle = $1")
        .bind(handle)
        .fetch_one(&state.db.pool)
        .await
        .and_then(|r| r.try_get("id"))
        .map_err(|e| format!("demo member {handle}: {e}"))?;
    app::auth::repo::user_by_id(&state.db, id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("demo member {handle} is missing"))
}

/// Creates the demo posts whose title is not there yet; returns how many it created.
pub async fn create(state: &AppState) -> Result<usize, String> {
    let db = &state.db;
    let err = |e: app::error::AppError| format!("{e:?}");
    let sql_err = |e: sqlx::Error| e.to_string();
    let mut created = 0;
    // Oldest first, so that ids follow time like they do for real posts (New sorts by id).
    let mut posts = demo_posts()?;
    posts.sort_by_key(|p| -p.days_ago);
    for p in posts {
        let exists = exists(state, "SELECT id FROM posts WHERE title = $1", &p.title).await?;
        if exists {
            continue;
        }
        let author = user(state, &p.author).await?;
        let input = PostInput {
            kind: p.kind,
            visibility: p.visibility,
            title: p.title,
            body: p.body,
            tags: p.tags,
            crisis: None,
            anonymous: false,
        };
        let id = repo::create(db, &author, &p.community, None, &input)
            .await
            .map(app::ids::PostId)
            .map_err(err)?;
        for v in &p.votes {
            repo::toggle_vote(db, &user(state, v).await?, VoteTarget::Post(id))
                .await
                .map_err(err)?;
        }
        // Spread the story over the past days: the post first, each reply some hours later.
        let start = now_ms() - p.days_ago * 86_400_000;
        let mut reply_ids: Vec<app::ids::ReplyId> = Vec::new();
        for (i, r) in p.replies.iter().enumerate() {
            let parent = r.parent.and_then(|j| reply_ids.get(j).copied());
            let rid = repo::reply(
                db,
                &user(state, &r.author).await?,
                id,
                parent,
                &r.body,
                None,
            )
            .await
            .map_err(err)?;
            for v in &r.votes {
                repo::toggle_vote(db, &user(state, v).await?, VoteTarget::Reply(rid))
                    .await
                    .map_err(err)?;
            }
            sqlx::query("UPDATE replies SET created_at = $1 WHERE id = $2")
                .bind(start + (i as i64 + 1) * 3 * 3_600_000)
                .bind(rid)
                .execute(&db.pool)
                .await
                .map_err(sql_err)?;
            reply_ids.push(rid);
        }
        if let Some(a) = p.accepted.and_then(|i| reply_ids.get(i).copied()) {
            repo::accept(db, &author, id, Some(a)).await.map_err(err)?;
        }
        sqlx::query("UPDATE posts SET created_at = $1, last_activity_at = $2 WHERE id = $3")
            .bind(start)
            .bind(start + p.replies.len() as i64 * 3 * 3_600_000)
            .bind(id)
            .execute(&db.pool)
            .await
            .map_err(sql_err)?;
        created += 1;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    /// The file parses, and what it says holds together: replies answer earlier replies, the
    /// accepted answer is a reply of a question, and titles are unique (`create` skips a title
    /// it finds, so a repeated one would be lost).
    #[test]
    fn the_demo_posts_file_is_whole() {
        let posts = super::demo_posts().unwrap_or_else(|e| panic!("{e}"));
        assert!(posts.len() >= 30, "{} demo posts", posts.len());
        let mut titles = std::collections::HashSet::new();
        for p in &posts {
            assert!(titles.insert(p.title.as_str()), "title twice: {}", p.title);
            for (i, r) in p.replies.iter().enumerate() {
                assert!(
                    r.parent.is_none_or(|j| j < i),
                    "{}: reply {i} answers a later one",
                    p.title
                );
            }
            if let Some(a) = p.accepted {
                assert!(
                    a < p.replies.len(),
                    "{}: accepted answer {a} missing",
                    p.title
                );
                assert_eq!(p.kind, app::posts::types::PostKind::Question, "{}", p.title);
            }
        }
    }
}
