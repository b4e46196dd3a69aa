//! Traffic wire types and rules: which page an address is (its kind and what names its community), the referring domain of a visit, and the dashboard's series, tables and date range.

use serde::{Deserialize, Serialize};

/// A counted page: its kind and, where the address names it, what tells its community.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageRef {
    Home,
    Community(String),
    Post(i64),
    Group(String),
    Library,
    Article(String),
    Directory,
    Clinic(String),
    Search,
    Profile,
    /// Messages, notifications, settings, requests, invitations: counted, never by address.
    Account,
    About,
}

impl PageRef {
    pub fn kind(&self) -> &'static str {
        match self {
            PageRef::Home => "home",
            PageRef::Community(_) => "community",
            PageRef::Post(_) => "post",
            PageRef::Group(_) => "group",
            PageRef::Library => "library",
            PageRef::Article(_) => "article",
            PageRef::Directory => "directory",
            PageRef::Clinic(_) => "clinic",
            PageRef::Search => "search",
            PageRef::Profile => "profile",
            PageRef::Account => "account",
            PageRef::About => "about",
        }
    }

    /// What the dashboard calls a kind of page (`kind()`'s word as stored), or the word itself
    /// for one it does not know (counted by an older version).
    pub fn kind_label(kind: &str) -> &str {
        match kind {
            "home" => "Home page",
            "community" => "Community pages",
            "post" => "Questions and discussions",
            "group" => "Support groups",
            "library" => "Health library (list)",
            "article" => "Library articles",
            "directory" => "Find care (search)",
            "clinic" => "Clinics and clinicians",
            "search" => "Search",
            "profile" => "Members' profiles",
            "account" => "Members' own pages (messages, settings…)",
            "about" => "About and privacy",
            other => other,
        }
    }

    /// The address kept for "top pages": public kinds only (never a group, an account page or
    /// a member's profile).
    pub fn public_path(&self) -> Option<String> {
        match self {
            PageRef::Home => Some("/".into()),
            PageRef::Community(s) => Some(format!("/c/{s}")),
            PageRef::Post(id) => Some(format!("/p/{id}")),
            PageRef::Library => Some("/library".into()),
            PageRef::Article(s) => Some(format!("/library/{s}")),
            PageRef::Directory => Some("/directory".into()),
            PageRef::Clinic(s) => Some(format!("/directory/{s}")),
            PageRef::About => Some("/about".into()),
            _ => None,
        }
    }
}

/// The page an address shows, or `None` for what is not counted (admin and moderation pages,
/// forms, server functions, files, unknown addresses).
pub fn classify(path: &str) -> Option<PageRef> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let slug_ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let page = match parts.as_slice() {
        [""] => PageRef::Home,
        ["c"] => PageRef::Community(String::new()),
        ["c", slug] if slug_ok(slug) => PageRef::Community((*slug).to_string()),
        ["p", id] => PageRef::Post(id.parse().ok().filter(|n: &i64| *n > 0)?),
        ["g", slug] if slug_ok(slug) => PageRef::Group((*slug).to_string()),
        ["library"] => PageRef::Library,
        ["library", "new" | "desk"] => return None,
        ["library", slug] if slug_ok(slug) => PageRef::Article((*slug).to_string()),
        ["directory"] => PageRef::Directory,
        ["directory", "new" | "reports"] => return None,
        ["directory", slug] if slug_ok(slug) => PageRef::Clinic((*slug).to_string()),
        ["search"] => PageRef::Search,
        ["u", handle] if slug_ok(handle) => PageRef::Profile,
        ["messages", "reports"] => return None,
        ["messages"]
        | ["messages", _]
        | ["notifications"]
        | ["settings"]
        | ["requests"]
        | ["requests", _]
        | ["invite"] => PageRef::Account,
        ["about"] | ["about", "sponsored"] | ["privacy"] => PageRef::About,
        _ => return None,
    };
    // `/c` is the list of communities: no community of its own.
    Some(match page {
        PageRef::Community(s) if s.is_empty() => PageRef::Home,
        p => p,
    })
}

/// The referring site of a visit: its domain, lower case, without `www.`; `None` for this site
/// itself, for addresses that are not web pages and for anything odd.
pub fn referrer_domain(referer: &str, own_host: &str) -> Option<String> {
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let own = own_host
        .split(':')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let ok = !host.is_empty()
        && host.len() <= 100
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !ok || host == own {
        return None;
    }
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// One value per day of the range, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    /// Short name, also the CSV's series column ("page_views").
    pub key: String,
    pub label: String,
    pub values: Vec<i64>,
}

impl Series {
    pub fn total(&self) -> i64 {
        self.values.iter().sum()
    }
}

/// A row of a breakdown table: a name (with its page, if any) and its numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    pub name: String,
    /// The page the row names, where it is one (top pages): the name links to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    pub values: Vec<String>,
}

/// A table of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<TableRow>,
}

/// The admin's dashboard for a range of days and all communities or one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Days since 1970-01-01 of the range, oldest first.
    pub days: Vec<i64>,
    /// (slug, name) of every community, for the filter.
    pub communities: Vec<(String, String)>,
    /// The chosen community's slug, empty for all.
    pub community: String,
    pub traffic: Vec<Series>,
    pub community_activity: Vec<Series>,
    /// Logged-in members active per day, in the 7 and the 30 days to each day (all communities
    /// only; empty for one community).
    #[serde(default)]
    pub members: Vec<Series>,
    pub sponsored: Vec<Series>,
    pub tables: Vec<Table>,
    /// Some days of the range carry generated demo traffic.
    pub demo: bool,
    /// The range ends today: its last day is the day so far (the charts draw it faint).
    #[serde(default)]
    pub today_so_far: bool,
}

/// The range a dashboard request asks for: 7, 30 or 90 days, or a custom `from`–`to` (at most
/// 366 days), ending today when not given.
pub fn range(days: Option<i64>, from: Option<i64>, to: Option<i64>, today: i64) -> (i64, i64) {
    match (from, to) {
        (Some(f), Some(t)) if f <= t && t - f < 366 => (f, t.min(today)),
        _ => {
            let n = days.filter(|d| [7, 30, 90].contains(d)).unwrap_or(30);
            (today - n + 1, today)
        }
    }
}

/// A day as `2026-12-24`.
pub fn day_label(day: i64) -> String {
    // Civil from days (Howard Hinnant's algorithm).
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_pages() {
        assert_eq!(classify("/"), Some(PageRef::Home));
        assert_eq!(
            classify("/c/multiple-sclerosis?sort=top"),
            Some(PageRef::Community("multiple-sclerosis".into()))
        );
        assert_eq!(classify("/p/42"), Some(PageRef::Post(42)));
        assert_eq!(classify("/p/x"), None);
        assert_eq!(classify("/library/desk"), None);
        assert_eq!(
            classify("/library/fatigue"),
            Some(PageRef::Article("fatigue".into()))
        );
        assert_eq!(classify("/messages/bob"), Some(PageRef::Account));
        assert_eq!(classify("/messages/reports"), None);
        assert_eq!(classify("/admin"), None);
        assert_eq!(classify("/api/feed"), None);
        assert_eq!(classify("/pkg/app.wasm"), None);
        assert_eq!(PageRef::Group("x".into()).public_path(), None);
        for page in [
            PageRef::Home,
            PageRef::Post(1),
            PageRef::Account,
            PageRef::About,
        ] {
            assert_ne!(
                PageRef::kind_label(page.kind()),
                page.kind(),
                "{page:?} has no label"
            );
        }
        assert_eq!(PageRef::kind_label("gone"), "gone");
        assert_eq!(PageRef::Account.public_path(), None);
        assert_eq!(PageRef::Post(3).public_path().as_deref(), Some("/p/3"));
    }

    #[test]
    fn referrers_are_domains_of_other_sites() {
        assert_eq!(
            referrer_domain("https://www.Google.com/search?q=ms", "health.example").as_deref(),
            Some("google.com")
        );
        assert_eq!(
            referrer_domain("https://health.example/c/ms", "health.example:443"),
            None
        );
        assert_eq!(referrer_domain("android-app://x", "h"), None);
        assert_eq!(
            referrer_domain("https://user:pw@forum.example.org:8080/t/1", "h").as_deref(),
            Some("forum.example.org")
        );
    }

    #[test]
    fn ranges_and_labels() {
        assert_eq!(range(Some(7), None, None, 100), (94, 100));
        assert_eq!(range(Some(5), None, None, 100), (71, 100));
        assert_eq!(range(None, Some(10), Some(20), 100), (10, 20));
        assert_eq!(range(None, Some(20), Some(10), 100), (71, 100));
        assert_eq!(day_label(0), "1970-01-01");
        assert_eq!(day_label(20_811), "2026-12-24");
    }
}
