//! Server-only synonym and abbreviation groups for search (`app/data/synonyms.txt`): a query's words are matched against the groups, longest phrase first, and each match becomes one slot of alternatives ("ms" → ms OR "multiple sclerosis").

use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::ids::UserId;
use sqlx::Row;
use std::sync::{Arc, Mutex, OnceLock};

/// One place in a query: the alternatives that may fill it, each a phrase of one or more words.
pub type Slot = Vec<Vec<String>>;

/// The groups in force: each a list of alternatives, each alternative a phrase.
pub type Groups = Vec<Vec<Vec<String>>>;

/// The list the project ships (`app/data/synonyms.txt`): in force until an admin saves another.
pub fn builtin_text() -> &'static str {
    include_str!("../../data/synonyms.txt")
}

/// Reads a list: one group a line, alternatives separated by `|`, `#` starts a comment. Each
/// alternative is lower-case letters and digits (what a search query keeps); a group needs two.
/// The errors name the line.
pub fn parse(text: &str) -> Result<Groups, Vec<String>> {
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let alts: Vec<Vec<String>> = line
            .split('|')
            .map(|alt| {
                alt.split_whitespace()
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .filter(|alt| !alt.is_empty())
            .collect();
        if alts.len() < 2 {
            errors.push(format!(
                "Line {}: a group needs at least two words or phrases, separated by “|”.",
                i + 1
            ));
            continue;
        }
        if let Some(w) = alts
            .iter()
            .flatten()
            .find(|w| !w.chars().all(char::is_alphanumeric))
        {
            errors.push(format!(
                "Line {}: “{w}” has a character search ignores; use letters and digits only.",
                i + 1
            ));
            continue;
        }
        groups.push(alts);
    }
    if errors.is_empty() {
        Ok(groups)
    } else {
        Err(errors)
    }
}

fn builtin() -> &'static Groups {
    static GROUPS: OnceLock<Groups> = OnceLock::new();
    GROUPS.get_or_init(|| parse(builtin_text()).unwrap_or_default())
}

/// The list in force and when it was saved (`None`: the built-in list).
pub async fn stored(db: &Db) -> Result<Option<(String, i64)>, AppError> {
    Ok(
        sqlx::query_as("SELECT body, updated_at FROM search_synonyms WHERE id = 1")
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The groups in force. Every app process reads the list's date (one indexed row) and parses the
/// list again only when another process saved a new one.
pub async fn current(db: &Db) -> Result<Arc<Groups>, AppError> {
    static CACHE: Mutex<Option<(i64, Arc<Groups>)>> = Mutex::new(None);
    let at: Option<i64> = sqlx::query_scalar("SELECT updated_at FROM search_synonyms WHERE id = 1")
        .fetch_optional(&db.pool)
        .await?;
    let Some(at) = at else {
        return Ok(Arc::new(builtin().clone()));
    };
    if let Ok(cache) = CACHE.lock() {
        if let Some((cached_at, groups)) = cache.as_ref() {
            if *cached_at == at {
                return Ok(groups.clone());
            }
        }
    }
    let groups = Arc::new(match stored(db).await? {
        Some((body, _)) => parse(&body).unwrap_or_else(|_| builtin().clone()),
        None => builtin().clone(),
    });
    if let Ok(mut cache) = CACHE.lock() {
        *cache = Some((at, groups.clone()));
    }
    Ok(groups)
}

/// An admin saves a list (checked first; the errors name the lines) or, with `None`, goes back
/// to the built-in one. Recorded in the audit log.
pub async fn save(db: &Db, admin: UserId, body: Option<&str>) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let detail = match body {
        Some(body) => {
            let groups = parse(body).map_err(|errors| AppError::field("body", errors.join(" ")))?;
            // A save within the same millisecond as the last still reads as new.
            let at = sqlx::query("SELECT updated_at FROM search_synonyms WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get::<i64, _>("updated_at"))
                .transpose()?
                .map_or(now_ms(), |last| now_ms().max(last + 1));
            sqlx::query(
                "INSERT INTO search_synonyms (id, body, updated_at, updated_by) VALUES (1, $1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
            )
            .bind(body)
            .bind(at)
            .bind(admin)
            .execute(&mut *tx)
            .await?;
            format!("saved {} synonym groups", groups.len())
        }
        None => {
            sqlx::query("DELETE FROM search_synonyms WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            "restored the built-in synonym list".to_string()
        }
    };
    crate::admin::repo::audit(&mut tx, admin, "search.synonyms", None, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// The query's words as slots: a word or phrase of a group becomes the whole group (longest
/// match first, so "multiple sclerosis" is one slot, not two); any other word is a slot of itself.
pub fn expand(groups: &Groups, words: &[String]) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut best: Option<(usize, &Vec<Vec<String>>)> = None;
        for group in groups {
            for alt in group {
                let n = alt.len();
                if n > best.map_or(0, |b| b.0) && words.get(i..i + n) == Some(alt.as_slice()) {
                    best = Some((n, group));
                }
            }
        }
        match best {
            Some((n, group)) => {
                slots.push(group.clone());
                i += n;
            }
            None => {
                slots.extend(words.get(i).map(|w| vec![vec![w.clone()]]));
                i += 1;
            }
        }
    }
    slots
}

/// Every word of every alternative, for highlighting.
pub fn all_words(slots: &[Slot]) -> Vec<String> {
    let mut out: Vec<String> = slots.iter().flatten().flatten().cloned().collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn expand(words: &[String]) -> Vec<Slot> {
        super::expand(builtin(), words)
    }

    #[test]
    fn abbreviations_and_phrases_become_one_slot() {
        let slots = expand(&w("ms fatigue"));
        assert_eq!(slots.len(), 2);
        assert!(slots[0].contains(&w("multiple sclerosis")));
        assert!(slots[1].contains(&w("fatigue")) && slots[1].contains(&w("tiredness")));
        let slots = expand(&w("multiple sclerosis diet"));
        assert_eq!(slots.len(), 2, "{slots:?}");
        assert!(slots[0].contains(&w("ms")));
        assert_eq!(slots[1], vec![w("diet")]);
        // The longest phrase wins: "primary progressive multiple sclerosis" is PPMS, not MS.
        let slots = expand(&w("primary progressive multiple sclerosis"));
        assert_eq!(slots.len(), 1);
        assert!(slots[0].contains(&w("ppms")));
        assert!(expand(&w("leukemia"))[0].contains(&w("leukaemia")));
        assert!(expand(&w("neurologist"))[0].contains(&w("neurology")));
    }

    #[test]
    fn every_group_is_well_formed() {
        assert!(parse(builtin_text()).is_ok());
        assert!(builtin().len() > 20);
        for g in builtin() {
            assert!(g.len() >= 2, "{g:?}");
            for alt in g {
                for word in alt {
                    assert!(
                        word.chars().all(|c| c.is_alphanumeric()) && *word == word.to_lowercase(),
                        "{word:?} would not survive clean_query"
                    );
                }
            }
        }
    }

    #[test]
    fn a_bad_list_names_its_lines() {
        let errors = parse("ms | multiple sclerosis\nlonely\nc++ | cpp\n# a comment\n").err();
        let errors = errors.unwrap_or_default();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("Line 2:") && errors[1].starts_with("Line 3:"),
            "{errors:?}"
        );
        assert_eq!(
            parse("A | b c\n").ok(),
            Some(vec![vec![
                vec!["a".to_string()],
                vec!["b".to_string(), "c".to_string()]
            ]])
        );
    }
}
