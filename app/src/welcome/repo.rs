//! Server-only welcome: the communities with the member's choices, joining the chosen ones, and their groups and first articles.

use super::types::*;
use crate::auth::types::CurrentUser;
use crate::db::Db;
use crate::error::AppError;

/// Support groups and starting articles shown per chosen community.
const GROUPS_SHOWN: usize = 4;
const ARTICLES_SHOWN: usize = 3;

/// Every community with whether the member joined it (and for whom), and for those joined
/// their listed support groups and first library articles.
pub async fn welcome(db: &Db, user: &CurrentUser) -> Result<Welcome, AppError> {
    // slug, name, description, the member's id when they joined, and whether they care for someone.
    type Row = (String, String, String, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.slug, c.name, c.description, m.user_id AS member, m.caring \
         FROM communities c LEFT JOIN community_members m ON m.community_id = c.id AND m.user_id = $1 \
         ORDER BY c.name, c.id LIMIT 200",
    )
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    let mut conditions = Vec::with_capacity(rows.len());
    for (slug, name, description, member, caring) in rows {
        conditions.push(Condition {
            slug,
            name,
            description,
            joined: member.is_some(),
            caring: caring.unwrap_or(0) != 0,
        });
    }
    let mut start = Vec::new();
    for c in conditions.iter().filter(|c| c.joined) {
        let groups = crate::groups::repo::list(db, &c.slug, Some(user.id))
            .await?
            .into_iter()
            .take(GROUPS_SHOWN)
            .collect();
        // The library's first articles of the condition: where a newcomer starts.
        let articles = crate::library::repo::list(db, Some(&c.slug))
            .await?
            .into_iter()
            .rev()
            .take(ARTICLES_SHOWN)
            .collect();
        start.push(StartHere {
            slug: c.slug.clone(),
            name: c.name.clone(),
            caring: c.caring,
            groups,
            articles,
        });
    }
    Ok(Welcome { conditions, start })
}

/// Joins the chosen communities (unknown addresses are skipped) and records for which of them
/// the member is there for someone they care for.
pub async fn choose(
    db: &Db,
    user: &CurrentUser,
    chosen: &[String],
    caring: &[String],
) -> Result<(), AppError> {
    for slug in chosen.iter().take(50) {
        match crate::communities::repo::join(db, user.id, slug).await {
            Ok(()) => {}
            Err(AppError::NotFound) => continue,
            Err(e) => return Err(e),
        }
        sqlx::query(
            "UPDATE community_members SET caring = $1 WHERE user_id = $2 \
             AND community_id = (SELECT id FROM communities WHERE slug = $3)",
        )
        .bind(i64::from(caring.contains(slug)))
        .bind(user.id)
        .bind(slug)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}
