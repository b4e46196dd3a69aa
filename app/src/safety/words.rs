//! Server-only storage of the watched-word lists: who may edit which list, reading one, adding words (many at a time, bounded) and removing one; every change audited.

use super::types::*;
use crate::auth::types::CurrentUser;
use crate::db::{now_ms, Db};
use crate::error::AppError;

/// The lists `user` may edit: the site's (admins, as `("", "The whole site")`) and each
/// community they moderate (admins: every community), by name.
pub async fn editable(db: &Db, user: &CurrentUser) -> Result<Vec<(String, String)>, AppError> {
    let rows: Vec<(String, String)> = if user.is_admin {
        sqlx::query_as("SELECT slug, name FROM communities ORDER BY name LIMIT 500")
            .fetch_all(&db.pool)
            .await?
    } else {
        sqlx::query_as(
            "SELECT c.slug, c.name FROM communities c JOIN community_members m ON m.community_id = c.id \
             WHERE m.user_id = $1 AND m.is_moderator = 1 ORDER BY c.name LIMIT 500",
        )
        .bind(user.id)
        .fetch_all(&db.pool)
        .await?
    };
    let mut lists = Vec::with_capacity(rows.len() + 1);
    if user.is_admin {
        lists.push((String::new(), "The whole site".to_string()));
    }
    lists.extend(rows);
    Ok(lists)
}

/// The list at `community` (`""`: the site's) if `user` may edit it: (community id, name).
async fn scope(
    db: &Db,
    user: &CurrentUser,
    community: &str,
) -> Result<(Option<i64>, String), AppError> {
    if community.is_empty() {
        return if user.is_admin {
            Ok((None, "The whole site".into()))
        } else {
            Err(AppError::Forbidden)
        };
    }
    let (id, name, moderator): (i64, String, Option<i64>) = sqlx::query_as(
        "SELECT c.id, c.name, (SELECT m.is_moderator FROM community_members m \
           WHERE m.community_id = c.id AND m.user_id = $2) AS moderator \
         FROM communities c WHERE c.slug = $1",
    )
    .bind(community)
    .bind(user.id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if !user.is_admin && moderator != Some(1) {
        return Err(AppError::Forbidden);
    }
    Ok((Some(id), name))
}

/// One list, oldest entry first (at most [`WATCHED_MAX`] by construction).
pub async fn list(db: &Db, user: &CurrentUser, community: &str) -> Result<WatchedList, AppError> {
    let lists = editable(db, user).await?;
    let Some(first) = lists.first() else {
        return Err(AppError::Forbidden);
    };
    // No list named: the first the member may edit.
    let community = if community.is_empty() && !user.is_admin {
        first.0.clone()
    } else {
        community.to_string()
    };
    let (id, name) = scope(db, user, &community).await?;
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, phrase, action FROM watched_words WHERE COALESCE(community_id, 0) = $1 \
         ORDER BY id LIMIT 2000",
    )
    .bind(id.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    let words = rows
        .into_iter()
        .map(|(id, phrase, action)| {
            Ok(WatchedWord {
                id,
                phrase,
                action: WatchAction::parse(&action).ok_or(AppError::Internal)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(WatchedList {
        community: id.map(|_| community),
        scope: name,
        words,
        lists,
    })
}

/// The words of a pasted list: one per line, trimmed, each checked (a clear message names the
/// first that is too long or has no letters), duplicates dropped.
pub fn parse_phrases(raw: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > WATCHED_CHARS {
            let start: String = line.chars().take(30).collect();
            return Err(format!(
                "“{start}…” is longer than {WATCHED_CHARS} characters: shorten it."
            ));
        }
        if super::crisis::normalise(line.trim_end_matches('*'))
            .trim()
            .is_empty()
        {
            return Err(format!("“{line}” has no letters or digits to match."));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(line)) {
            out.push(line.to_string());
        }
    }
    if out.is_empty() {
        return Err("Write at least one word or phrase, one per line.".into());
    }
    Ok(out)
}

/// Adds `phrases` with `action` to a list (a phrase already there takes the new action);
/// refused when the list would hold more than [`WATCHED_MAX`]. Audited.
pub async fn add(
    db: &Db,
    user: &CurrentUser,
    community: &str,
    phrases: &[String],
    action: WatchAction,
) -> Result<(), AppError> {
    let (id, name) = scope(db, user, community).await?;
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    // An entry is never changed in place (the compiled lists' cache key counts on it): a word
    // that is there already is removed and added with its new action.
    for phrase in phrases {
        sqlx::query(
            "DELETE FROM watched_words WHERE COALESCE(community_id, 0) = $1 AND phrase = $2",
        )
        .bind(id.unwrap_or(0))
        .bind(phrase)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO watched_words (community_id, phrase, action, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(phrase)
        .bind(action.as_str())
        .bind(user.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) AS n FROM watched_words WHERE COALESCE(community_id, 0) = $1",
    )
    .bind(id.unwrap_or(0))
    .fetch_one(&mut *tx)
    .await?;
    if n > WATCHED_MAX as i64 {
        return Err(AppError::field(
            "phrases",
            format!(
                "This list would hold {n} entries; it holds at most {WATCHED_MAX}. Remove some first."
            ),
        ));
    }
    let detail = format!(
        "{} ({}) to the list of {name}: {}",
        phrases.len(),
        action.as_str(),
        phrases.join(", ").chars().take(300).collect::<String>()
    );
    crate::admin::repo::audit(&mut tx, user.id, "watched_words.add", None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes one entry from a list `user` may edit; returns the list's community address. Audited.
pub async fn remove(db: &Db, user: &CurrentUser, id: i64) -> Result<String, AppError> {
    let (phrase, slug): (String, Option<String>) = sqlx::query_as(
        "SELECT w.phrase, c.slug FROM watched_words w LEFT JOIN communities c ON c.id = w.community_id \
         WHERE w.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let slug = slug.unwrap_or_default();
    let (_, name) = scope(db, user, &slug).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM watched_words WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    crate::admin::repo::audit(
        &mut tx,
        user.id,
        "watched_words.remove",
        None,
        &format!("“{phrase}” from the list of {name}"),
    )
    .await?;
    tx.commit().await?;
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::parse_phrases;

    #[test]
    fn pasted_lists_are_checked_line_by_line() {
        assert_eq!(
            parse_phrases("miracle cure\n\n  buy now* \nMiracle cure"),
            Ok(vec!["miracle cure".to_string(), "buy now*".to_string()])
        );
        assert!(parse_phrases(&"x".repeat(101))
            .unwrap_err()
            .contains("longer than 100"));
        assert!(parse_phrases("!!!").unwrap_err().contains("no letters"));
        assert!(parse_phrases(" \n ").is_err());
    }
}
