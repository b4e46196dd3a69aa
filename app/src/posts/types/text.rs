//! What members type into posts: the validating parsers (title, body, reply, tags), cited library articles, the outsider's teaser and post addresses.

#[cfg(feature = "ssr")]
use super::{PostKind, Visibility};
use serde::{Deserialize, Serialize};

/// The library articles a Markdown text links to (`/library/<address>`), at most three.
pub fn cited_articles(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, _) in markdown.match_indices("/library/") {
        let slug: String = markdown[i + "/library/".len()..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        if slug.len() >= 2 && !matches!(slug.as_str(), "new" | "desk") && !out.contains(&slug) {
            out.push(slug);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// The form a post is written (`create_post`) or edited (`edit_post`) with: its fields as the
/// form names them (`#[server(flatten)]`), its checks and its echo. The edit form sends no kind
/// (a post keeps its own); `anonymous` is present when its box is ticked (support groups).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostForm {
    #[serde(default)]
    pub kind: Option<String>,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub visibility: String,
    #[serde(default)]
    pub anonymous: Option<String>,
}

#[cfg(feature = "ssr")]
impl PostForm {
    /// The checked fields (no crisis match yet: the caller asks the safeguard), or every
    /// field's error at once.
    pub fn check(&self) -> Result<crate::posts::repo::PostInput, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let input = crate::posts::repo::PostInput {
            crisis: None,
            anonymous: self.anonymous.as_deref().is_some_and(|a| !a.is_empty()),
            kind: c
                .check(
                    "kind",
                    PostKind::parse(self.kind.as_deref().unwrap_or("discussion")),
                )
                .unwrap_or(PostKind::Discussion),
            visibility: c
                .check("visibility", Visibility::parse(&self.visibility))
                .unwrap_or(Visibility::Members),
            title: c
                .check("title", parse_title(&self.title))
                .unwrap_or_default(),
            body: c.check("body", parse_body(&self.body)).unwrap_or_default(),
            tags: c.check("tags", parse_tags(&self.tags)).unwrap_or_default(),
        };
        c.finish()?;
        Ok(input)
    }
}

pub fn parse_title(raw: &str) -> Result<String, String> {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match s.chars().count() {
        0 => Err("Give your post a title.".into()),
        _ if !s.chars().any(char::is_alphanumeric) => {
            Err("A title needs at least one letter or digit.".into())
        }
        n if n < 3 => Err("Make the title at least 3 characters long.".into()),
        n if n > 150 => Err("Keep the title to 150 characters.".into()),
        _ => Ok(s),
    }
}

pub fn parse_body(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0 => Err("Write a few words so others can help.".into()),
        n if n > 20_000 => Err(format!("Keep it to 20,000 characters (this is {n}).")),
        _ => Ok(s.to_string()),
    }
}

pub fn parse_reply(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0 => Err("Write your reply first.".into()),
        n if n > 10_000 => Err(format!("Keep replies to 10,000 characters (this is {n}).")),
        _ => Ok(s.to_string()),
    }
}

/// The characters a tag may have besides letters and digits (`c++`, `covid_19`, `ms/relapse`).
pub const TAG_MARKS: &[char] = &['-', '_', '+', '/', '.'];

/// Up to five tags, separated by commas (or `#`): letters, digits and `- _ + / .`. A tag of
/// several words keeps them together, joined by hyphens ("Newly diagnosed" → `newly-diagnosed`).
pub fn parse_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for t in raw.split([',', '#']) {
        let t = t.split_whitespace().collect::<Vec<_>>().join("-");
        if t.is_empty() {
            continue;
        }
        let t = t.to_lowercase();
        if t.chars().count() > 30
            || !t.chars().any(char::is_alphanumeric)
            || !t
                .chars()
                .all(|c| c.is_alphanumeric() || TAG_MARKS.contains(&c))
        {
            return Err(format!(
                "“{t}” is not a tag: use letters and digits (and - _ + / .), up to 30 characters."
            ));
        }
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if tags.len() > 5 {
        return Err("Use at most five tags.".into());
    }
    Ok(tags)
}

/// What an outsider may read of a members-only post: the start of its plain-text `excerpt`, at
/// most ~40% of the whole text (`body_chars` long) and never more than 250 characters, cut at a
/// word boundary. A post too short to give a word away gets no teaser at all.
pub fn teaser(excerpt: &str, body_chars: i64) -> String {
    let plain = excerpt.trim_end_matches('…');
    let plain_chars = plain.chars().count() as i64;
    // A complete excerpt is the whole text; a cut one is the start of a longer body.
    let whole = if excerpt.ends_with('…') {
        body_chars.max(plain_chars)
    } else {
        plain_chars
    };
    let limit = (whole * 2 / 5).clamp(0, 250) as usize;
    let cut: String = plain.chars().take(limit + 1).collect();
    if cut.chars().count() <= limit {
        return cut;
    }
    let cut: String = cut.chars().take(limit).collect();
    match cut.rfind(' ') {
        Some(i) => {
            let kept = cut
                .get(..i)
                .unwrap_or("")
                .trim_end_matches([',', '.', ';', ':', ' ']);
            if kept.is_empty() {
                String::new()
            } else {
                format!("{kept}…")
            }
        }
        None => String::new(),
    }
}

/// The post a site address opens (`/p/12`, `/p/12?sort=new#r3`), if it is one.
pub fn post_of_path(path: &str) -> Option<i64> {
    let rest = path.strip_prefix("/p/")?;
    let id = rest.split(['?', '#', '/']).next()?;
    id.parse().ok().filter(|n: &i64| *n > 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn teasers_give_away_little() {
        let body = "I was diagnosed last spring and the fatigue is worst after lunch, so I nap.";
        let t = teaser(body, body.chars().count() as i64);
        assert!(t.chars().count() <= body.chars().count() * 2 / 5 + 1, "{t}");
        assert!(body.starts_with(t.trim_end_matches('…')), "{t}");
        assert!(t.ends_with('…'));
        let long: String = "word ".repeat(200);
        let excerpt = format!("{}…", long.chars().take(248).collect::<String>().trim_end());
        let t = teaser(&excerpt, 1000);
        assert!(t.chars().count() <= 251, "{}", t.chars().count());
        let t = teaser(&excerpt, 300);
        assert!(t.chars().count() <= 121, "{}", t.chars().count());
        assert_eq!(teaser("Help", 4), "");
        assert_eq!(teaser("", 0), "");
    }

    use crate::posts::types::*;

    fn stored(id: i64, parent: Option<i64>, depth: i64, votes: i64) -> StoredReply {
        StoredReply {
            view: ReplyView {
                id,
                parent_id: parent,
                depth: 0,
                in_reply_to: None,
                author: Some(Author {
                    handle: format!("m{id}"),
                    badge: None,
                    former: false,
                    erased: false,
                    anonymous: false,
                    avatar: None,
                }),
                pictures: Vec::new(),
                body_html: String::new(),
                body_md: None,
                deleted: false,
                created_at: id,
                edited_at: None,
                vote_count: votes,
                voted: false,
                accepted: false,
                is_answer: parent.is_none(),
                mine: false,
                cites: Vec::new(),
                held: false,
                awaiting_approval: false,
                removed: false,
                removed_reason: None,
            },
            true_depth: depth,
        }
    }

    #[test]
    fn threads_nest_then_flatten() {
        let mut rs = vec![stored(1, None, 0, 0), stored(2, None, 0, 0)];
        // A chain 1 → 3 → 4 → 5 → 6 → 7 → 8 under reply 1.
        let mut parent = 1;
        for (i, id) in (3..=8).enumerate() {
            rs.push(stored(id, Some(parent), i as i64 + 1, 0));
            parent = id;
        }
        let out = layout_thread(rs, false);
        let order: Vec<i64> = out.iter().map(|r| r.id).collect();
        assert_eq!(order, vec![1, 3, 4, 5, 6, 7, 8, 2]);
        let depths: Vec<i64> = out.iter().map(|r| r.depth).collect();
        assert_eq!(depths, vec![0, 1, 2, 3, 4, 4, 4, 0]);
        assert_eq!(out[5].in_reply_to.as_deref(), Some("@m6"));
        assert_eq!(out[4].in_reply_to, None);
    }

    #[test]
    fn answers_sort_accepted_then_votes() {
        let mut a = stored(1, None, 0, 5);
        let b = stored(2, None, 0, 9);
        let mut c = stored(3, None, 0, 0);
        c.view.accepted = true;
        a.view.vote_count = 5;
        let out = layout_thread(vec![a, b, c, stored(4, Some(3), 1, 0)], true);
        let order: Vec<i64> = out.iter().map(|r| r.id).collect();
        assert_eq!(order, vec![3, 4, 2, 1]);
    }

    #[test]
    fn inputs() {
        assert_eq!(
            parse_title("  What   helps with   fatigue? "),
            Ok("What helps with fatigue?".into())
        );
        // Short real titles are fine; only what has no word at all is refused.
        for ok in ["B12?", "Tired", "Help", "MRI"] {
            assert!(parse_title(ok).is_ok(), "{ok}");
        }
        assert!(parse_title("?!").is_err() && parse_title("Hi").is_err());
        assert!(parse_title(&"x".repeat(151)).is_err());
        assert!(parse_body(" ").is_err());
        assert!(parse_body(&"x".repeat(20_001)).is_err());
        assert_eq!(
            parse_tags("Fatigue, sleep #fatigue"),
            Ok(vec!["fatigue".into(), "sleep".into()])
        );
        assert!(parse_tags("a, b, c, d, e, f").is_err());
        // Words between commas are one tag (the hint says commas separate tags).
        assert_eq!(
            parse_tags("Newly  diagnosed, fatigue ,#side effects"),
            Ok(vec![
                "newly-diagnosed".into(),
                "fatigue".into(),
                "side-effects".into()
            ])
        );
        assert_eq!(parse_tags(" , ,"), Ok(vec![]));
        assert!(parse_tags("<script>").is_err());
        assert_eq!(
            parse_tags("c++, covid_19, ms/relapse, b12"),
            Ok(vec![
                "c++".into(),
                "covid_19".into(),
                "ms/relapse".into(),
                "b12".into()
            ])
        );
        assert!(parse_tags("+++").is_err() && parse_tags("a\"b").is_err());
        assert_eq!(Cursor::decode("17_4"), Some(Cursor { key: 17, id: 4 }));
        assert_eq!(Cursor::decode("x_4"), None);
        assert_eq!(FeedSort::parse("top"), FeedSort::Top);
        assert_eq!(FeedSort::parse("bogus"), FeedSort::New);
        assert_eq!(
            cited_articles("See [this](/library/what-is-a-relapse) and https://x.org/library/new or /library/a-b."),
            vec!["what-is-a-relapse".to_string(), "a-b".to_string()]
        );
    }
}
