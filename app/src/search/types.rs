//! Search wire types, query cleaning (no search syntax ever reaches the database), spelling correction and highlighting.

use crate::posts::types::PostSummary;
use serde::{Deserialize, Serialize};

/// What a search looks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    All,
    Articles,
    Posts,
    Providers,
}

pub const TABS: &[(Tab, &str, &str)] = &[
    (Tab::All, "all", "All"),
    (Tab::Articles, "articles", "Articles"),
    (Tab::Posts, "posts", "Questions and discussions"),
    (Tab::Providers, "providers", "Doctors and clinics"),
];

impl Tab {
    pub fn parse(raw: &str) -> Self {
        TABS.iter()
            .find(|(_, k, _)| *k == raw)
            .map(|(t, ..)| *t)
            .unwrap_or(Tab::All)
    }
    pub fn as_str(self) -> &'static str {
        TABS.iter()
            .find(|(t, ..)| *t == self)
            .map(|(_, k, _)| *k)
            .unwrap_or("all")
    }
}

/// Results per page, and how many pages a search goes (bounded offsets).
pub const PER_PAGE: usize = 20;
pub const MAX_PAGES: usize = 10;
/// Counts stop here ("1,000+").
pub const COUNT_CAP: i64 = 1000;
/// The providers' count stops sooner ("100+"): the search page points to the directory, whose
/// filters narrow a long list, and counting a word held by thousands of providers read each of
/// them on PostgreSQL (GIN has no index-only scan): 6 ms of a 21 ms search at 20,000 providers.
pub const PROVIDER_COUNT_CAP: i64 = 100;

/// A piece of a snippet; `true` when it matched the query.
pub type Segment = (String, bool);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHit {
    pub post: PostSummary,
    pub snippet: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleHit {
    pub slug: String,
    pub title: String,
    pub community_name: String,
    pub reviewer: String,
    pub snippet: Vec<Segment>,
}

/// A community or a support group whose name or description holds every word searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceHit {
    /// `/c/<slug>` or `/g/<slug>`.
    pub href: String,
    pub name: String,
    /// "Community", or "Support group in Multiple Sclerosis".
    pub kind: String,
    pub description: String,
}

/// Whether every word is in `text` (already lower-case), the last one also as a word's start.
pub fn holds_all(text: &str, words: &[String]) -> bool {
    !words.is_empty() && words.iter().all(|w| text.contains(w.as_str()))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The words searched for (after cleaning and any correction).
    pub words: Vec<String>,
    /// Set when the query was corrected ("sclerosys" → "sclerosis").
    pub corrected_from: Option<String>,
    /// Shown instead of results for an unusable query.
    pub message: Option<String>,
    pub posts: Vec<PostHit>,
    pub articles: Vec<ArticleHit>,
    pub providers: Vec<crate::directory::types::ProviderCard>,
    /// Communities and (open or private, never hidden) support groups, on the first page of "All".
    #[serde(default)]
    pub places: Vec<PlaceHit>,
    pub post_count: i64,
    pub article_count: i64,
    pub provider_count: i64,
    pub page: usize,
    pub has_more: bool,
}

/// The words of a query: letters and digits only, lowercase, at most eight of up to 40
/// characters. Quotes, `*`, `:`, `NEAR`-style operators and the like are dropped, so a query can
/// never be search syntax.
pub fn clean_query(raw: &str) -> Result<Vec<String>, String> {
    let words: Vec<String> = raw
        .chars()
        .take(2000)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().take(40).collect::<String>())
        // Operators typed as words would be plain words to us anyway; drop the noise.
        .filter(|w| !matches!(w.as_str(), "and" | "or" | "not" | "near"))
        .take(8)
        .collect();
    let letters: usize = words.iter().map(|w| w.chars().count()).sum();
    if letters < 2 {
        return Err("Type at least two letters to search.".into());
    }
    Ok(words)
}

/// Edit distance between two words (for spelling suggestions).
pub fn levenshtein(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// Condition and treatment words people often misspell; the database adds tags and community names.
pub const TERMS: &[&str] = &[
    "multiple",
    "sclerosis",
    "relapse",
    "relapsing",
    "remitting",
    "fatigue",
    "optic",
    "neuritis",
    "chronic",
    "myeloid",
    "leukaemia",
    "leukemia",
    "imatinib",
    "nilotinib",
    "dasatinib",
    "tyrosine",
    "kinase",
    "inhibitor",
    "diabetes",
    "insulin",
    "metformin",
    "glucose",
    "hba1c",
    "cholesterol",
    "neurologist",
    "haematologist",
    "hematologist",
    "symptoms",
    "treatment",
    "vaccine",
    "medication",
    "pregnancy",
    "depression",
    "anxiety",
    "exercise",
    "diet",
];

/// Each word replaced by its closest vocabulary word when that is near enough (one edit for
/// words up to five letters, two beyond); `None` when nothing changes.
pub fn correct(words: &[String], vocabulary: &[String]) -> Option<Vec<String>> {
    let mut changed = false;
    let out: Vec<String> = words
        .iter()
        .map(|w| {
            if w.chars().count() < 4 || vocabulary.iter().any(|v| v == w) {
                return w.clone();
            }
            let limit = if w.chars().count() <= 5 { 1 } else { 2 };
            let best = vocabulary
                .iter()
                .map(|v| (levenshtein(w, v), v))
                .filter(|(d, _)| *d <= limit)
                .min_by_key(|(d, v)| (*d, v.len()));
            match best {
                Some((_, v)) => {
                    changed = true;
                    v.clone()
                }
                None => w.clone(),
            }
        })
        .collect();
    changed.then_some(out)
}

/// Whether a word of the text matches a query word (same start, allowing for word endings:
/// "relapses" and "relapsing" match "relapse"; the last query word also as a prefix).
fn matches_word(text_word: &str, query: &str, prefix: bool) -> bool {
    let t = text_word.to_lowercase();
    if prefix && t.starts_with(query) {
        return true;
    }
    let stem_len = query
        .chars()
        .count()
        .saturating_sub(2)
        .max(4)
        .min(query.chars().count());
    let stem: String = query.chars().take(stem_len).collect();
    t == query || (t.starts_with(&stem) && t.chars().count() <= query.chars().count() + 4)
}

/// About `width` words of `text` around the first match, with the matching words marked.
pub fn highlight(text: &str, words: &[String], width: usize) -> Vec<Segment> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let last = words.len().saturating_sub(1);
    let hit = |tok: &str| {
        let core = tok.trim_matches(|c: char| !c.is_alphanumeric());
        !core.is_empty()
            && words
                .iter()
                .enumerate()
                .any(|(i, q)| matches_word(core, q, i == last))
    };
    let first = tokens.iter().position(|t| hit(t)).unwrap_or(0);
    let start = first.saturating_sub(width / 3);
    let end = (start + width).min(tokens.len());
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |text: &str, marked: bool| match out.last_mut() {
        Some((s, false)) if !marked => s.push_str(text),
        _ => out.push((text.to_string(), marked)),
    };
    if start > 0 {
        push("… ", false);
    }
    for (i, tok) in tokens.get(start..end).unwrap_or(&[]).iter().enumerate() {
        if i > 0 {
            push(" ", false);
        }
        push(tok, hit(tok));
    }
    if end < tokens.len() {
        push(" …", false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_cleaned_of_syntax() {
        assert_eq!(
            clean_query("\"MS\" AND fatigue* NEAR(relapse:) | !x & y"),
            Ok(vec![
                "ms".into(),
                "fatigue".into(),
                "relapse".into(),
                "x".into(),
                "y".into()
            ])
        );
        assert!(clean_query("").is_err());
        assert!(clean_query("a").is_err());
        assert!(clean_query("*:\"").is_err());
        assert_eq!(clean_query(&"word ".repeat(3000)).map(|w| w.len()), Ok(8));
    }

    #[test]
    fn spelling_is_corrected_to_known_words() {
        let vocab: Vec<String> = TERMS.iter().map(|t| t.to_string()).collect();
        assert_eq!(
            correct(&["multiple".into(), "sclerosys".into()], &vocab),
            Some(vec!["multiple".into(), "sclerosis".into()])
        );
        assert_eq!(
            correct(&["diabetis".into()], &vocab),
            Some(vec!["diabetes".into()])
        );
        assert_eq!(correct(&["fatigue".into()], &vocab), None);
        assert_eq!(correct(&["cat".into()], &vocab), None);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn snippets_mark_the_matches() {
        let s = highlight(
            "Most relapses get better. A relapse lasts a day.",
            &["relapse".into()],
            30,
        );
        let marked: Vec<&str> = s
            .iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(marked, vec!["relapses", "relapse"]);
        let text: String = s.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(text, "Most relapses get better. A relapse lasts a day.");
        let long = format!("{} relapse {}", "word ".repeat(50), "word ".repeat(50));
        let s = highlight(&long, &["relapse".into()], 20);
        assert!(s.first().is_some_and(|x| x.0.starts_with('…')));
        assert!(s.iter().any(|(t, m)| *m && t == "relapse"));
    }
}

/// The synonym list as the admin page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynonymList {
    /// One group a line, alternatives separated by `|`.
    pub body: String,
    /// When an admin last saved it; `None`: the built-in list is in force.
    pub updated_at: Option<i64>,
}
