//! Server-only search: one visibility-filtered query per result kind on SQLite FTS5 or PostgreSQL tsvector, bounded pages, spelling fallback.

use super::types::*;
use crate::access::Viewer;
use crate::db::{Backend, Db};
use crate::error::AppError;
use crate::markdown::plain_text;
use crate::posts::repo::summary;
use crate::posts::types::PostKind;
use sqlx::FromRow;

/// What a posts hit carries beside the post's summary: its text, and how many match in all.
#[derive(sqlx::FromRow)]
struct HitRow {
    body_md: String,
    total: i64,
}

/// An article hit as the articles' query reads it.
#[derive(sqlx::FromRow)]
struct ArticleRow {
    slug: String,
    title: String,
    community_name: String,
    reviewer: String,
    summary: String,
    body_md: String,
}

mod query;
use query::*;
pub use query::{posts_sql, Filters, Ranking, CANDIDATES, COMMON_PHRASE};

async fn community_id(db: &Db, slug: Option<&str>) -> Result<Option<i64>, AppError> {
    let Some(slug) = slug.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    Ok(Some(
        sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?,
    ))
}

/// One search's parts, worked out once: what the pages' queries need.
struct Asked<'a> {
    db: &'a Db,
    viewer: Option<Viewer>,
    words: &'a [String],
    filters: Filters,
    slots: Vec<super::synonyms::Slot>,
    prefix_last: bool,
    /// The full-text query.
    query: String,
    /// Every word and synonym, for the snippets' highlights.
    marked: Vec<String>,
    community: Option<i64>,
    offset: i64,
}

impl Asked<'_> {
    /// A page of posts (into `results`) and their count when the page holds it: the count is
    /// unknown only past the last match.
    async fn posts(&self, results: &mut SearchResults) -> Result<Option<i64>, AppError> {
        let (sql, params) = posts_sql(
            self.db.backend,
            self.viewer,
            &self.filters,
            self.community,
            PER_PAGE as i64 + 1,
            self.offset,
        );
        let rows = bind_all(&sql, &self.query, &params)
            .fetch_all(&self.db.pool)
            .await?;
        let mut total = None;
        for r in rows.iter().take(PER_PAGE) {
            let extra = HitRow::from_row(r)?;
            total = Some(extra.total);
            results.posts.push(PostHit {
                post: summary(r, true)?,
                snippet: highlight(&plain_text(&extra.body_md, 3000), &self.marked, 30),
            });
        }
        results.has_more = rows.len() > PER_PAGE;
        Ok(match total {
            Some(n) => Some(n),
            None if self.offset == 0 => Some(0),
            None => None,
        })
    }

    /// How many posts match (at most [`COUNT_CAP`]), counted apart.
    async fn post_count(&self) -> Result<i64, AppError> {
        let mut params = params_after_query();
        let base = posts_where(
            self.db.backend,
            &mut params,
            self.viewer,
            &self.filters,
            self.community,
            true,
        );
        let cap = params.p(COUNT_CAP);
        let sql = format!("SELECT COUNT(*) AS n FROM (SELECT 1 {base} LIMIT {cap}) t");
        Ok(bind_all_as::<(i64,)>(&sql, &self.query, &params)
            .fetch_one(&self.db.pool)
            .await?
            .0)
    }

    /// How many articles match (at most [`COUNT_CAP`]).
    async fn article_count(&self) -> Result<i64, AppError> {
        let (sql, params) = articles_sql(
            self.db.backend,
            self.words,
            self.community,
            true,
            COUNT_CAP,
            0,
        );
        Ok(bind_all_as::<(i64,)>(&sql, &self.query, &params)
            .fetch_one(&self.db.pool)
            .await?
            .0)
    }

    /// Providers are public: no visibility rule; the directory has thousands, not millions.
    /// A common word typed in full is matched whole, as in the posts (`ranking`). The count,
    /// and the Providers tab's page or the All tab's best three.
    async fn providers(
        &self,
        tab: Tab,
        page: usize,
        results: &mut SearchResults,
    ) -> Result<(), AppError> {
        let matches = crate::directory::repo::count_matching(
            self.db,
            &self.slots,
            PROVIDER_COUNT_CAP,
            self.prefix_last,
        )
        .await?;
        results.provider_count = matches.count;
        if tab == Tab::Providers || (tab == Tab::All && page == 1) {
            let (limit, off) = if tab == Tab::All {
                (3, 0)
            } else {
                (PER_PAGE as i64 + 1, self.offset)
            };
            let mut found = crate::directory::repo::matching(
                self.db,
                &self.slots,
                matches,
                limit,
                off,
                self.prefix_last,
            )
            .await?;
            if tab == Tab::Providers {
                results.has_more = found.len() > PER_PAGE;
            }
            found.truncate(PER_PAGE);
            results.providers = found;
        }
        Ok(())
    }

    /// "All" shows the best three articles above the posts; the Articles tab pages them.
    async fn articles(&self, tab: Tab, results: &mut SearchResults) -> Result<(), AppError> {
        let (limit, off) = if tab == Tab::All {
            (3, 0)
        } else {
            (PER_PAGE as i64 + 1, self.offset)
        };
        let (sql, params) = articles_sql(
            self.db.backend,
            self.words,
            self.community,
            false,
            limit,
            off,
        );
        let rows: Vec<ArticleRow> = bind_all_as(&sql, &self.query, &params)
            .fetch_all(&self.db.pool)
            .await?;
        if tab == Tab::Articles {
            results.has_more = rows.len() > PER_PAGE;
        }
        for r in rows.into_iter().take(PER_PAGE) {
            results.articles.push(ArticleHit {
                snippet: highlight(
                    &format!("{} {}", r.summary, plain_text(&r.body_md, 3000)),
                    &self.marked,
                    30,
                ),
                slug: r.slug,
                title: r.title,
                community_name: r.community_name,
                reviewer: r.reviewer,
            });
        }
        Ok(())
    }
}

async fn run(
    db: &Db,
    viewer: Option<Viewer>,
    words: &[String],
    tab: Tab,
    filters: &Filters,
    page: usize,
) -> Result<SearchResults, AppError> {
    // Abbreviations and synonyms ("ms" ↔ "multiple sclerosis") widen each word to its group.
    let groups = super::synonyms::current(db).await?;
    let slots = super::synonyms::expand(&groups, words);
    let (ranking, prefix_last) = ranking(db, &slots).await?;
    let asked = Asked {
        db,
        viewer,
        words,
        filters: Filters {
            phrase: words.to_vec(),
            ranking,
            ..filters.clone()
        },
        query: fts_query(db.backend, &slots, prefix_last),
        marked: super::synonyms::all_words(&slots),
        community: community_id(db, filters.community.as_deref()).await?,
        offset: ((page - 1) * PER_PAGE) as i64,
        slots,
        prefix_last,
    };
    let mut results = SearchResults {
        words: words.to_vec(),
        corrected_from: None,
        message: None,
        posts: Vec::new(),
        articles: Vec::new(),
        providers: Vec::new(),
        places: Vec::new(),
        post_count: 0,
        article_count: 0,
        provider_count: 0,
        page,
        has_more: false,
    };
    // Counts (capped) for the tabs; the posts' comes with their page when it is read.
    let counted = if matches!(tab, Tab::All | Tab::Posts) {
        asked.posts(&mut results).await?
    } else {
        None
    };
    results.post_count = match counted {
        Some(n) => n.min(COUNT_CAP),
        None => asked.post_count().await?,
    };
    results.article_count = asked.article_count().await?;
    asked.providers(tab, page, &mut results).await?;
    if matches!(tab, Tab::All | Tab::Articles) && (tab == Tab::Articles || page == 1) {
        asked.articles(tab, &mut results).await?;
    }
    if tab == Tab::All && page == 1 && filters.community.is_none() {
        results.places = places(db, words).await?;
    }
    results.has_more &= page < MAX_PAGES;
    Ok(results)
}

/// Communities and listed support groups whose name or description holds every word: few
/// enough (communities at most 500, groups read 2,000 at most) to match in memory. A hidden group
/// is never named; a private one is (its page says how to ask to join, its posts stay closed).
async fn places(db: &Db, words: &[String]) -> Result<Vec<PlaceHit>, AppError> {
    let mut out = Vec::new();
    for c in crate::communities::repo::list(db).await? {
        let text = format!("{} {} {}", c.name, c.slug, c.description).to_lowercase();
        if holds_all(&text, words) {
            out.push(PlaceHit {
                href: format!("/c/{}", c.slug),
                name: c.name,
                kind: "Community".into(),
                description: c.description,
            });
        }
    }
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT g.slug, g.name, g.description, c.name AS community_name FROM support_groups g \
         JOIN communities c ON c.id = g.community_id WHERE g.kind IN ('open', 'private') \
         ORDER BY g.member_count DESC, g.id LIMIT 2000",
    )
    .fetch_all(&db.pool)
    .await?;
    for (slug, name, description, community_name) in rows {
        if holds_all(&format!("{name} {description}").to_lowercase(), words) {
            out.push(PlaceHit {
                href: format!("/g/{slug}"),
                name,
                kind: format!("Support group in {community_name}"),
                description,
            });
        }
    }
    out.truncate(6);
    Ok(out)
}

/// Words the spelling fallback may correct to: common terms, tags and community names.
async fn vocabulary(db: &Db) -> Result<Vec<String>, AppError> {
    let mut words: Vec<String> = TERMS.iter().map(|t| t.to_string()).collect();
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT tag AS w FROM (SELECT DISTINCT tag FROM post_tags LIMIT 2000) t \
         UNION SELECT tag AS w FROM (SELECT DISTINCT tag FROM article_tags LIMIT 500) a \
         UNION SELECT name AS w FROM communities",
    )
    .fetch_all(&db.pool)
    .await?;
    for w in rows {
        words.extend(
            w.to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.chars().count() >= 4)
                .map(str::to_string),
        );
    }
    words.sort();
    words.dedup();
    Ok(words)
}

/// Searches; an unusable query comes back with a message, a query without results is tried once
/// more with corrected spelling.
pub async fn search(
    db: &Db,
    viewer: Option<Viewer>,
    raw: &str,
    tab: Tab,
    filters: &Filters,
    page: usize,
) -> Result<SearchResults, AppError> {
    let page = page.clamp(1, MAX_PAGES);
    let words = match clean_query(raw) {
        Ok(w) => w,
        Err(message) => {
            return Ok(SearchResults {
                words: Vec::new(),
                corrected_from: None,
                message: Some(message),
                posts: Vec::new(),
                articles: Vec::new(),
                providers: Vec::new(),
                places: Vec::new(),
                post_count: 0,
                article_count: 0,
                provider_count: 0,
                page,
                has_more: false,
            })
        }
    };
    let results = run(db, viewer, &words, tab, filters, page).await?;
    if results.post_count + results.article_count + results.provider_count > 0
        || !results.places.is_empty()
    {
        return Ok(results);
    }
    if let Some(fixed) = correct(&words, &vocabulary(db).await?) {
        let mut again = run(db, viewer, &fixed, tab, filters, page).await?;
        if again.post_count + again.article_count + again.provider_count > 0 {
            again.corrected_from = Some(words.join(" "));
            return Ok(again);
        }
    }
    Ok(results)
}

/// Words too common to tell one question from another.
const STOP_WORDS: &[&str] = &[
    "about", "after", "again", "also", "any", "are", "can", "could", "does", "for", "from", "get",
    "had", "has", "have", "how", "its", "just", "should", "some", "than", "that", "the", "their",
    "them", "then", "there", "this", "was", "were", "what", "when", "where", "which", "who", "why",
    "will", "with", "would", "you", "your",
];

/// Questions already asked in a community that a new title resembles (any of its telling words,
/// best match first), read through the same visibility rule as every list: what the writer may
/// read and nothing else. Up to five; none for a title of fewer than two telling words.
pub async fn similar_questions(
    db: &Db,
    viewer: Option<Viewer>,
    community: &str,
    title: &str,
) -> Result<Vec<crate::posts::types::PostSummary>, AppError> {
    let words: Vec<String> = clean_query(title)
        .unwrap_or_default()
        .into_iter()
        .filter(|w| w.chars().count() >= 3 && !STOP_WORDS.contains(&w.as_str()))
        .collect();
    if words.len() < 2 {
        return Ok(Vec::new());
    }
    let groups = super::synonyms::current(db).await?;
    let mut slots = super::synonyms::expand(&groups, &words);
    if db.backend == Backend::Sqlite {
        // A word in most posts tells nothing of what the question is about, and bm25 would
        // count its posts on every keystroke's lookup: only the telling words are matched.
        let mut telling = Vec::new();
        for slot in slots {
            let mut common = false;
            for phrase in fts_phrases(std::slice::from_ref(&slot), false) {
                common |= common_phrase(db, &phrase).await?;
            }
            if !common {
                telling.push(slot);
            }
        }
        if telling.is_empty() {
            return Ok(Vec::new());
        }
        slots = telling;
    }
    // Every word whole (no prefix match on the last one: the title is still being typed).
    let query = fts_query_joined(db.backend, &slots, true, false);
    let Some(community_id) = community_id(db, Some(community)).await.ok().flatten() else {
        return Ok(Vec::new());
    };
    let filters = Filters {
        kind: Some(PostKind::Question),
        ..Filters::default()
    };
    let (sql, params) = posts_sql(db.backend, viewer, &filters, Some(community_id), 5, 0);
    let rows = bind_all(&sql, &query, &params).fetch_all(&db.pool).await?;
    rows.iter().map(|r| summary(r, true)).collect()
}
