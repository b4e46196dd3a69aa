//! Post wire types, the validating parsers for what members type, feed cursors and the thread layout.

use serde::{Deserialize, Serialize};

/// Questions get answers (one may be accepted); discussions get threaded comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostKind {
    Question,
    Discussion,
}

impl PostKind {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "question" => Ok(Self::Question),
            "discussion" => Ok(Self::Discussion),
            _ => Err("Choose whether you are asking a question or starting a discussion.".into()),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Discussion => "discussion",
        }
    }
}

/// Who may read a post in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    /// Anyone, and search engines.
    Public,
    /// Members of the post's community; others see the title and an excerpt.
    Members,
}

impl Visibility {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "public" => Ok(Self::Public),
            "members" => Ok(Self::Members),
            _ => Err("Choose who can read this post.".into()),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Members => "members",
        }
    }
}

/// Feed orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedSort {
    New,
    /// Most recent reply first.
    Active,
    /// Most helpful votes among posts of the time window.
    Top,
    /// Questions nobody has answered yet, newest first.
    Unanswered,
    /// Questions whose asker has accepted no answer (answered ones included), newest first.
    NotAccepted,
}

/// The feed tabs: the sort, its key in links, its label. The question filters say what they do
/// ("Unanswered" used to list questions that had a clinician's answer but none accepted).
pub const SORTS: &[(FeedSort, &str, &str)] = &[
    (FeedSort::New, "new", "New"),
    (FeedSort::Active, "active", "Active"),
    (FeedSort::Top, "top", "Top"),
    (FeedSort::Unanswered, "unanswered", "No answers yet"),
    (FeedSort::NotAccepted, "open", "No accepted answer"),
];

impl FeedSort {
    /// Unknown values fall back to New (they come from links, not forms).
    pub fn parse(raw: &str) -> Self {
        SORTS
            .iter()
            .find(|(_, k, _)| *k == raw)
            .map(|(s, ..)| *s)
            .unwrap_or(FeedSort::New)
    }
    pub fn as_str(self) -> &'static str {
        SORTS
            .iter()
            .find(|(s, ..)| *s == self)
            .map(|(_, k, _)| *k)
            .unwrap_or("new")
    }
}

/// The time windows of the Top sort: key, label, length in days (0 = all time).
pub const WINDOWS: &[(&str, &str, i64)] = &[
    ("week", "This week", 7),
    ("month", "This month", 30),
    ("year", "This year", 365),
    ("all", "All time", 0),
];

/// Days of a Top window; unknown values mean a month.
pub fn window_days(raw: &str) -> i64 {
    WINDOWS
        .iter()
        .find(|(k, ..)| *k == raw)
        .map(|(.., d)| *d)
        .unwrap_or(30)
}

/// Which posts a feed lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedScope {
    /// Public posts of every community (the landing page).
    Public,
    /// Every post of the communities the member joined.
    Home,
    /// One community's posts (members-only ones as excerpts for outsiders); group posts stay in their group.
    Community(String),
    /// One support group's posts (empty for those who may not read the group).
    Group(String),
}

impl FeedScope {
    /// `"public"`, `"home"` or a community slug.
    pub fn parse(raw: &str) -> Self {
        match raw {
            "public" | "" => Self::Public,
            "home" => Self::Home,
            raw => match raw.strip_prefix("g:") {
                Some(group) => Self::Group(group.to_string()),
                None => Self::Community(raw.to_string()),
            },
        }
    }
    pub fn as_param(&self) -> String {
        match self {
            Self::Public => "public".into(),
            Self::Home => "home".into(),
            Self::Community(slug) => slug.clone(),
            Self::Group(slug) => format!("g:{slug}"),
        }
    }
}

pub const PAGE_SIZE: usize = 20;

/// A keyset position: the sort key of the last item shown and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub key: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(self) -> String {
        format!("{}_{}", self.key, self.id)
    }
    pub fn decode(raw: &str) -> Option<Self> {
        let (key, id) = raw.split_once('_')?;
        Some(Self {
            key: key.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// Who wrote something, with the verified-clinician badge when it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// Empty for a former member of the post's support group (their handle is not shown there).
    pub handle: String,
    /// "Verified neurologist" for verified clinicians; `None` for everyone else.
    pub badge: Option<String>,
    /// Wrote in a support group they have since left.
    pub former: bool,
    /// Their account was erased: shown as "[deleted member]", with no link.
    #[serde(default)]
    pub erased: bool,
    /// Posted anonymously in a support group: "a member" (the handle is empty) for everyone but
    /// the group's moderators, who get the handle with this flag still set.
    #[serde(default)]
    pub anonymous: bool,
    /// Their avatar picture (`/img/<id>`); `None`: their initials. Never for "a member".
    #[serde(default)]
    pub avatar: Option<i64>,
}

/// A post's edit history (`/p/<id>/history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistory {
    pub id: i64,
    /// The title as the post page shows it to this viewer.
    pub title: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// The viewer reads the earlier words (the author and the moderators of its place).
    pub full: bool,
    /// Newest first; without words unless `full`.
    pub versions: Vec<PostVersion>,
}

/// One earlier version of a post: what it said from `written_at` until `replaced_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostVersion {
    pub title: String,
    pub body_html: String,
    pub tags: Vec<String>,
    pub written_at: i64,
    pub replaced_at: i64,
}

/// A post as listed in feeds and on profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSummary {
    pub id: i64,
    pub community_slug: String,
    pub community_name: String,
    /// The support group it was written in, as (address, name).
    pub group: Option<(String, String)>,
    /// Pinned to the top of its group by a group moderator.
    pub pinned: bool,
    pub kind: PostKind,
    pub visibility: Visibility,
    pub title: String,
    pub excerpt: String,
    /// Hidden (`None`) from readers who may only see the excerpt of a members-only post.
    pub author: Option<Author>,
    pub tags: Vec<String>,
    pub reply_count: i64,
    pub answer_count: i64,
    pub vote_count: i64,
    pub accepted: bool,
    pub clinician_answered: bool,
    pub created_at: i64,
    pub last_activity_at: i64,
}

/// One page of a feed; `next` is the cursor for "Load more".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<PostSummary>,
    pub next: Option<String>,
    /// The in-feed sponsored slot (after the 3rd post): first pages of community and home
    /// feeds only. Chosen with the page, so it renders with it (and hydrates with it).
    #[serde(default)]
    pub sponsored: Option<crate::sponsored::types::SponsoredView>,
}

/// A reply in the order it is shown, with its display depth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyView {
    pub id: i64,
    /// Its pictures (up to four), when its words are shown.
    #[serde(default)]
    pub pictures: Vec<crate::pictures::types::Picture>,
    pub parent_id: Option<i64>,
    /// Indentation level, capped at [`MAX_DEPTH`].
    pub depth: i64,
    /// Set when the reply is shown flatter than it is nested: whom it answers.
    pub in_reply_to: Option<String>,
    /// `None` once deleted.
    pub author: Option<Author>,
    /// Empty once deleted.
    pub body_html: String,
    /// Only for the author (to edit it).
    pub body_md: Option<String>,
    pub deleted: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub vote_count: i64,
    pub voted: bool,
    pub accepted: bool,
    /// A top-level reply to a question.
    pub is_answer: bool,
    pub mine: bool,
    /// Library articles this reply links to (their addresses), shown as previews.
    pub cites: Vec<String>,
    /// Waiting for a moderator's look (the crisis safeguard): its words are not shown to visitors
    /// who are not logged in.
    pub held: bool,
    /// Waits for a moderator's approval (a new member's, or a watched word): only its author
    /// and the moderators see it at all.
    pub awaiting_approval: bool,
    /// Removed by a moderator: its words only for its author and the moderators.
    pub removed: bool,
    /// Why, for its author and the moderators.
    pub removed_reason: Option<String>,
}

/// A post page. Readers who may not read a members-only post get `locked` and the excerpt only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostPage {
    pub post: PostSummary,
    /// The post's own pictures (up to four), when its words are shown.
    #[serde(default)]
    pub pictures: Vec<crate::pictures::types::Picture>,
    pub locked: bool,
    pub deleted: bool,
    pub body_html: Option<String>,
    /// Only for the author.
    pub body_md: Option<String>,
    pub edited_at: Option<i64>,
    pub replies: Vec<ReplyView>,
    /// `None` when not logged in.
    pub is_member: Option<bool>,
    pub mine: bool,
    pub voted: bool,
    /// Moderators of the community and admins may delete others' posts and replies.
    pub can_moderate: bool,
    /// Published library articles that share a tag with the post.
    pub related_articles: Vec<ArticleLink>,
    /// Previews of the articles replies cite (looked up by address).
    pub cited_articles: Vec<ArticleLink>,
    /// A moderator of the post's support group may pin it.
    pub can_pin: bool,
    /// In a private or hidden group: only its members read it, whatever the post says.
    pub closed_group: bool,
    /// The viewer wrote something in this thread that matched the crisis list: the thread shows
    /// them the helplines (nobody else learns of it from the page).
    pub helplines: bool,
    /// The post waits for a moderator's look: no sponsored content beside it.
    pub held: bool,
    /// Waits for a moderator's approval: nobody but its author and the moderators may open it.
    pub awaiting_approval: bool,
    /// Posted anonymously (support groups): the author sees "a member (you)", the group's
    /// moderators the handle, everyone else "a member".
    #[serde(default)]
    pub anonymous: bool,
    /// Removed by a moderator (its words only for its author and the moderators).
    pub removed: bool,
    /// Why, for its author and the moderators.
    pub removed_reason: Option<String>,
    /// What the viewer saved of this thread (empty for visitors).
    #[serde(default)]
    pub saved: crate::saved::types::SavedInThread,
    /// How the viewer follows this thread (`None` for visitors).
    #[serde(default)]
    pub follow: crate::follows::types::ThreadFollow,
}

/// A published library article as a link with a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleLink {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reviewer: String,
}

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

/// A member's answer as listed on their profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSummary {
    pub reply_id: i64,
    pub post_id: i64,
    pub post_title: String,
    pub community_name: String,
    pub excerpt: String,
    pub vote_count: i64,
    pub accepted: bool,
    pub created_at: i64,
}

/// What a profile shows of a member's writing, filtered by what the viewer may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub post_count: i64,
    pub answer_count: i64,
    pub posts: Vec<PostSummary>,
    pub answers: Vec<AnswerSummary>,
}

/// How deep replies are indented before they are shown flat with "in reply to".
pub const MAX_DEPTH: i64 = 4;
/// The most replies one thread page shows.
pub const THREAD_LIMIT: usize = 1000;

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

/// A reply as stored, before layout.
#[derive(Debug, Clone)]
pub struct StoredReply {
    pub view: ReplyView,
    pub true_depth: i64,
}

/// Orders replies for display: each reply directly below its parent (depth first), siblings in
/// the order given (answers: accepted, then most helpful; comments: oldest first). Beyond
/// [`MAX_DEPTH`] replies stay at that depth and say whom they answer.
pub fn layout_thread(replies: Vec<StoredReply>, question: bool) -> Vec<ReplyView> {
    use std::collections::HashMap;
    let handles: HashMap<i64, String> = replies
        .iter()
        .map(|r| {
            let who = r
                .view
                .author
                .as_ref()
                .map(|a| {
                    if a.erased {
                        "[deleted member]".to_string()
                    } else if a.former {
                        "a former member".to_string()
                    } else if a.handle.is_empty() {
                        // Anonymous (a group post's author in their own thread).
                        "a member".to_string()
                    } else {
                        format!("@{}", a.handle)
                    }
                })
                .unwrap_or_else(|| "[deleted]".into());
            (r.view.id, who)
        })
        .collect();
    let mut children: HashMap<Option<i64>, Vec<StoredReply>> = HashMap::new();
    for r in replies {
        // A parent that is not in this page (should not happen) makes the reply top-level.
        let key = r.view.parent_id.filter(|p| handles.contains_key(p));
        children.entry(key).or_default().push(r);
    }
    if question {
        if let Some(top) = children.get_mut(&None) {
            top.sort_by(|a, b| {
                (b.view.accepted, b.view.vote_count, -b.view.id).cmp(&(
                    a.view.accepted,
                    a.view.vote_count,
                    -a.view.id,
                ))
            });
        }
    }
    let mut out = Vec::with_capacity(handles.len());
    // Iterative depth-first walk (no recursion limit for very deep threads).
    let mut stack: Vec<StoredReply> = children.remove(&None).unwrap_or_default();
    stack.reverse();
    while let Some(mut r) = stack.pop() {
        let id = r.view.id;
        if r.true_depth > MAX_DEPTH {
            r.view.depth = MAX_DEPTH;
            r.view.in_reply_to = r.view.parent_id.and_then(|p| handles.get(&p).cloned());
        } else {
            r.view.depth = r.true_depth;
        }
        out.push(r.view);
        if let Some(mut kids) = children.remove(&Some(id)) {
            kids.reverse();
            stack.extend(kids);
        }
    }
    out
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

    use super::*;

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
