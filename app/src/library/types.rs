//! Library wire types and the parsers for what editors type: summary, key facts, sources, tags.

use serde::{Deserialize, Serialize};

/// Where an article is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArticleStatus {
    Draft,
    /// Waiting for the named clinician reviewer.
    Review,
    /// The working copy is what readers see.
    Published,
}

/// A row's `status` column (typed rows read it with `#[sqlx(try_from = "String")]`).
impl From<String> for ArticleStatus {
    fn from(raw: String) -> Self {
        Self::from_db(&raw)
    }
}

impl ArticleStatus {
    pub fn from_db(raw: &str) -> Self {
        match raw {
            "review" => Self::Review,
            "published" => Self::Published,
            _ => Self::Draft,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Review => "review",
            Self::Published => "published",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Review => "In review",
            Self::Published => "Published",
        }
    }
}

/// A source an article cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub url: String,
    pub year: i32,
}

/// A heading in an article's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub id: String,
    pub text: String,
    pub level: u8,
}

/// "Medically reviewed by …": who reviewed the published version, and when it is due again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStamp {
    pub reviewer: String,
    /// "Verified neurologist"
    pub reviewer_title: String,
    pub reviewed_at: i64,
    pub next_review_at: i64,
    /// The next review date has passed.
    pub overdue: bool,
}

/// An article in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub community_slug: String,
    pub community_name: String,
    #[cfg_attr(feature = "ssr", sqlx(rename = "published_at"))]
    pub updated_at: i64,
    #[cfg_attr(feature = "ssr", sqlx(rename = "reviewer_handle"))]
    pub reviewer: String,
}

/// A question linked to an article by a shared tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedQuestion {
    pub id: i64,
    pub title: String,
    pub answer_count: i64,
    pub accepted: bool,
}

/// A published article as readers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub toc: Vec<TocEntry>,
    pub key_facts: Vec<String>,
    pub sources: Vec<Source>,
    pub tags: Vec<String>,
    pub community_slug: String,
    pub community_name: String,
    pub author: String,
    pub stamp: ReviewStamp,
    pub first_published_at: i64,
    pub version: i64,
    /// (number, published at), newest first.
    pub versions: Vec<(i64, i64)>,
    pub grade: f64,
    pub related: Vec<RelatedQuestion>,
    /// The viewer may open the editor.
    pub can_edit: bool,
    /// Whether the viewer saved it (`None` for visitors).
    #[serde(default)]
    pub saved: Option<bool>,
}

/// The working copy in the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub slug: String,
    pub community_slug: String,
    pub status: ArticleStatus,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub key_facts: String,
    pub sources: String,
    pub tags: String,
    pub author: String,
    pub reviewer: Option<String>,
    pub review_note: String,
    /// The grade stored at the last save.
    pub grade: f64,
    pub has_published_version: bool,
    /// The viewer is the named reviewer and the draft waits for them.
    pub can_publish: bool,
}

/// An article in the editors' lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DraftSummary {
    pub slug: String,
    pub title: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: ArticleStatus,
    pub updated_at: i64,
    pub next_review_at: Option<i64>,
}

/// The library desk: own articles, reviews waiting for the viewer, overdue reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub mine: Vec<DraftSummary>,
    pub to_review: Vec<DraftSummary>,
    pub overdue: Vec<DraftSummary>,
}

/// Published versions are reviewed again after this long.
pub const REVIEW_INTERVAL_MS: i64 = 365 * 86_400_000;

/// The article editor's form (`save_article`): its fields as the form names them
/// (`#[server(flatten)]`), its checks and its echo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleForm {
    pub community: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub key_facts: String,
    pub sources: String,
    pub tags: String,
}

/// The validated fields of the editor form.
pub struct ArticleInput {
    pub community: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub key_facts: Vec<String>,
    pub sources: Vec<Source>,
    pub tags: Vec<String>,
}

impl ArticleForm {
    /// The checked fields (sources dated up to `this_year`), or every field's error at once.
    pub fn check(&self, this_year: i32) -> Result<ArticleInput, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let input = ArticleInput {
            community: self.community.clone(),
            title: c
                .check("title", parse_title(&self.title))
                .unwrap_or_default(),
            summary: c
                .check("summary", parse_summary(&self.summary))
                .unwrap_or_default(),
            body: c.check("body", parse_body(&self.body)).unwrap_or_default(),
            key_facts: c
                .check("key_facts", parse_key_facts(&self.key_facts))
                .unwrap_or_default(),
            sources: c
                .check("sources", parse_sources(&self.sources, this_year))
                .unwrap_or_default(),
            tags: c
                .check("tags", crate::posts::types::parse_tags(&self.tags))
                .unwrap_or_default(),
        };
        if self.community.is_empty() {
            c.add("community", "Choose a community.");
        }
        c.finish()?;
        Ok(input)
    }
}

pub fn parse_title(raw: &str) -> Result<String, String> {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match s.chars().count() {
        0 => Err("Give the article a title.".into()),
        _ if !s.chars().any(char::is_alphanumeric) => {
            Err("A title needs at least one letter or digit.".into())
        }
        n if n < 3 => Err("Make the title at least 3 characters long.".into()),
        n if n > 120 => Err("Keep the title to 120 characters.".into()),
        _ => Ok(s),
    }
}

pub fn parse_summary(raw: &str) -> Result<String, String> {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match s.chars().count() {
        0 => Err("Sum the article up in a sentence or two.".into()),
        n if n > 400 => Err("Keep the summary to 400 characters.".into()),
        _ => Ok(s),
    }
}

pub fn parse_body(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0..50 => Err("Write the article (at least a short paragraph).".into()),
        n if n > 60_000 => Err(format!("Keep it to 60,000 characters (this is {n}).")),
        _ => Ok(s.to_string()),
    }
}

/// Key facts: one per line, up to eight, each up to 200 characters.
pub fn parse_key_facts(raw: &str) -> Result<Vec<String>, String> {
    let facts: Vec<String> = raw
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(['-', '*', '•'])
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect();
    if facts.len() > 8 {
        return Err("Keep to eight key facts.".into());
    }
    if let Some(long) = facts.iter().find(|f| f.chars().count() > 200) {
        let start: String = long.chars().take(30).collect();
        return Err(format!(
            "“{start}…” is long: keep each fact to 200 characters."
        ));
    }
    Ok(facts)
}

/// Sources: one per line as `Title | https://address | year`.
pub fn parse_sources(raw: &str, this_year: i32) -> Result<Vec<Source>, String> {
    let mut out = Vec::new();
    for (n, line) in raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [title, url, year] = parts.as_slice() else {
            return Err(format!(
                "Line {}: write “Title | https://address | year”.",
                n + 1
            ));
        };
        if title.is_empty() || title.chars().count() > 200 {
            return Err(format!(
                "Line {}: give the source a title (up to 200 characters).",
                n + 1
            ));
        }
        let host_ok = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .is_some_and(|rest| {
                let host = rest.split('/').next().unwrap_or("");
                host.contains('.') && !host.contains(['<', '>', '"', ' '])
            });
        if !host_ok || url.len() > 500 || url.contains(['<', '>', '"', ' ']) {
            return Err(format!(
                "Line {}: the address must start with https:// (or http://).",
                n + 1
            ));
        }
        let year: i32 = year
            .parse()
            .ok()
            .filter(|y| (1900..=this_year + 1).contains(y))
            .ok_or_else(|| format!("Line {}: give the year it was published, e.g. 2024.", n + 1))?;
        out.push(Source {
            title: title.to_string(),
            url: url.to_string(),
            year,
        });
    }
    if out.len() > 20 {
        return Err("Keep to twenty sources.".into());
    }
    Ok(out)
}

/// The stored text of sources (the same format editors type).
pub fn sources_text(sources: &[Source]) -> String {
    sources
        .iter()
        .map(|s| format!("{} | {} | {}", s.title, s.url, s.year))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The address of an article from its title: "What is a relapse?" → "what-is-a-relapse"
/// (a title with no Latin letters gets "article"; taken addresses are numbered by the repo).
pub fn slugify(title: &str) -> String {
    crate::slug::from_name(title, 60, "article")
}

/// The text whose readability counts: what a reader reads below the title.
pub fn readable_text(summary: &str, body: &str, key_facts: &str) -> String {
    let facts: String = key_facts
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            if l.ends_with(['.', '!', '?']) {
                format!("{l}\n")
            } else {
                format!("{l}.\n")
            }
        })
        .collect();
    format!("{summary}\n\n{body}\n\n{facts}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse_and_round_trip() {
        let raw = "MS Trust: Relapse | https://mstrust.org.uk/a-z/relapse | 2023\n\nNHS: Multiple sclerosis | https://www.nhs.uk/conditions/multiple-sclerosis/ | 2022";
        let s = parse_sources(raw, 2026).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].year, 2023);
        assert_eq!(parse_sources(&sources_text(&s), 2026).unwrap(), s);
        for bad in [
            "No pipes here",
            "T | javascript:alert(1) | 2020",
            "T | https://x.org | 1800",
            "T | https://x.org | 2030",
            "T | https://localhost | 2020",
            "T | https://x.org/\"onmouseover | 2020",
        ] {
            assert!(parse_sources(bad, 2026).is_err(), "{bad}");
        }
    }

    #[test]
    fn fields() {
        assert_eq!(
            slugify("What is a relapse in MS?"),
            "what-is-a-relapse-in-ms"
        );
        assert_eq!(
            parse_key_facts("- One\n\n* Two\n").unwrap(),
            vec!["One", "Two"]
        );
        assert!(parse_key_facts(&"fact\n".repeat(9)).is_err());
        assert!(parse_body("short").is_err());
        assert!(parse_summary("").is_err());
        assert!(readable_text("S.", "B.", "A fact\nAnother.").contains("A fact.\nAnother.\n"));
    }
}
