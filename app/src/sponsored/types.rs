//! Sponsored-placement wire types and input rules: where a slot sits, what a reader is shown (nothing about the reader), what admins manage, and the checks on a campaign's fields.

use serde::{Deserialize, Serialize};

/// Where on a page a sponsored slot sits. Only these pages have one; support groups, messages,
/// requests, notifications, settings, admin and moderation pages have none (the firewall).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Placement {
    /// After the 3rd post of a community feed or the home feed.
    Feed,
    /// The sidebar of community, post and library pages.
    Sidebar,
    /// Among the directory's results.
    Directory,
}

impl Placement {
    pub const ALL: [Placement; 3] = [Placement::Feed, Placement::Sidebar, Placement::Directory];

    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Feed => "feed",
            Placement::Sidebar => "sidebar",
            Placement::Directory => "directory",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Placement::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Placement::Feed => "In the feed (after the 3rd post)",
            Placement::Sidebar => "Sidebar (community, post and library pages)",
            Placement::Directory => "Directory results",
        }
    }

    /// The kind of page, in the words of "Why am I seeing this?".
    pub fn page_words(self) -> &'static str {
        match self {
            Placement::Feed => "a list of posts",
            Placement::Sidebar => "a community, post or library page",
            Placement::Directory => "the directory of doctors and clinics",
        }
    }
}

/// A sponsored message as a reader sees it: the campaign and who pays for it, never anything
/// about the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SponsoredView {
    pub id: i64,
    /// "Sponsored · Northbridge Pharma" or, for the operator's own, "From Thames Neurology Trust".
    pub label: String,
    pub house: bool,
    pub headline: String,
    pub body: String,
    pub cta: String,
    /// The advertiser's disclosure (empty for house promotions).
    pub disclosure: String,
    /// The first-party redirect that counts the click (`/go/<id>?…`).
    pub href: String,
    /// "Why am I seeing this?" for this page.
    pub why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignStatus {
    Active,
    Paused,
    Ended,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Active => "active",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Ended => "ended",
        }
    }

    pub fn from_db(raw: &str) -> Self {
        match raw {
            "paused" => CampaignStatus::Paused,
            "ended" => CampaignStatus::Ended,
            _ => CampaignStatus::Active,
        }
    }

    /// What an admin's button asks for: "pause", "resume" or "end".
    pub fn from_change(raw: &str) -> Option<Self> {
        match raw {
            "pause" => Some(CampaignStatus::Paused),
            "resume" => Some(CampaignStatus::Active),
            "end" => Some(CampaignStatus::Ended),
            _ => None,
        }
    }
}

/// A campaign or house promotion as admins manage it, with what it was shown and clicked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedCampaign {
    pub id: i64,
    /// The advertiser's name, or `None` for a house promotion.
    pub advertiser: Option<String>,
    /// The advertiser may be shown (approved); always true for house promotions.
    pub advertiser_approved: bool,
    pub headline: String,
    pub body: String,
    pub cta: String,
    pub url: String,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub placements: Vec<Placement>,
    /// Target communities' names; empty for every community.
    pub communities: Vec<String>,
    pub total_cap: Option<i64>,
    pub daily_cap: Option<i64>,
    pub visitor_daily_cap: Option<i64>,
    pub status: CampaignStatus,
    pub impressions: i64,
    pub clicks: i64,
    pub impressions_today: i64,
}

impl ManagedCampaign {
    /// Click-through rate in percent, one decimal ("2.5 %"), or "–" before any impression.
    pub fn ctr(&self) -> String {
        ctr(self.impressions, self.clicks)
    }
}

pub fn ctr(impressions: i64, clicks: i64) -> String {
    if impressions == 0 {
        "–".into()
    } else {
        format!("{:.1} %", clicks as f64 * 100.0 / impressions as f64)
    }
}

/// An advertiser a campaign can be for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvertiserChoice {
    pub id: i64,
    pub name: String,
    pub approved: bool,
}

/// The admin's campaigns panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignAdmin {
    pub campaigns: Vec<ManagedCampaign>,
    pub advertisers: Vec<AdvertiserChoice>,
    /// (slug, name) of every community.
    pub communities: Vec<(String, String)>,
    pub operator: String,
}

pub const HEADLINE_MAX: usize = 80;
pub const BODY_MAX: usize = 200;
pub const CTA_MAX: usize = 30;

/// Where the button leads: an https address, or for a house promotion also a page of this site
/// (`/directory/thames-ms-centre`).
pub fn parse_landing(raw: &str, house: bool) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("Enter where the button leads (https://…).".into());
    }
    if house && s.starts_with('/') {
        let ok = !s.starts_with("//")
            && s.len() <= 300
            && !s.contains('\\')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        return if ok {
            Ok(s.to_string())
        } else {
            Err("Give a page of this site such as /library/fatigue, or an https:// address.".into())
        };
    }
    let url = crate::directory::types::parse_website(s)?;
    if url.starts_with("https://") {
        Ok(url)
    } else {
        Err("Give an https:// address: sponsored links never go to plain http.".into())
    }
}

/// A landing address is safe to redirect to: https, or a path of this site.
pub fn landing_is_safe(url: &str) -> bool {
    (url.starts_with("https://") && !url.chars().any(|c| c.is_whitespace() || c.is_control()))
        || (url.starts_with('/') && !url.starts_with("//") && !url.contains('\\'))
}

/// An optional whole number ≥ 1 (a cap): empty for none.
pub fn parse_cap(raw: &str) -> Result<Option<i64>, String> {
    let s = raw.trim().replace([',', '_', ' '], "");
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if n >= 1 => Ok(Some(n)),
        _ => Err("Give a whole number of 1 or more, or leave it empty for no limit.".into()),
    }
}

/// An optional amount of money ("12.50"), in cents.
pub fn parse_money(raw: &str) -> Result<Option<i64>, String> {
    let s = raw
        .trim()
        .trim_start_matches(['£', '€', '$'])
        .replace(',', "");
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || "Give an amount such as 12.50, or leave it empty.".to_string();
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if frac.len() > 2 || whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| bad())?
    };
    if whole > 10_000_000 {
        return Err(bad());
    }
    Ok(Some(whole * 100 + frac))
}

/// The admin's campaign form, as it is sent (ticked boxes are `yes`, empty ones absent). One
/// struct for the server function's arguments (`#[server(flatten)]`), its checks and its echo;
/// the ticked communities (`targets[<slug>]`) come beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignForm {
    pub advertiser: String,
    pub camp_headline: String,
    pub camp_body: String,
    pub camp_cta: String,
    pub camp_url: String,
    #[serde(default)]
    pub camp_starts: String,
    #[serde(default)]
    pub camp_ends: String,
    #[serde(default)]
    pub in_feed: String,
    #[serde(default)]
    pub in_sidebar: String,
    #[serde(default)]
    pub in_directory: String,
    #[serde(default)]
    pub total_cap: String,
    #[serde(default)]
    pub daily_cap: String,
    #[serde(default)]
    pub visitor_cap: String,
    #[serde(default)]
    pub cpm: String,
    #[serde(default)]
    pub flat_fee: String,
}

/// What the admin form stores, once checked.
pub struct NewCampaign {
    /// `None`: a house promotion.
    pub advertiser: Option<i64>,
    pub headline: String,
    pub body: String,
    pub cta: String,
    pub url: String,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub placements: Vec<Placement>,
    /// Community slugs; empty for every community.
    pub communities: Vec<String>,
    pub total_cap: Option<i64>,
    pub daily_cap: Option<i64>,
    pub visitor_daily_cap: Option<i64>,
    pub cpm_cents: Option<i64>,
    pub flat_fee_cents: Option<i64>,
}

impl CampaignForm {
    /// The checked campaign for `communities` (none: every community) as of `now`, or every
    /// field's error at once.
    pub fn check(
        &self,
        communities: Vec<String>,
        now: i64,
    ) -> Result<NewCampaign, crate::error::AppError> {
        use crate::error::{AppError, Checker};
        use crate::operator::types::text;
        let mut c = Checker::new();
        let owner = match self.advertiser.trim() {
            "house" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(Some(id)),
                Err(_) => {
                    c.add("advertiser", "Choose who the campaign is for.");
                    None
                }
            },
        };
        let house = owner == Some(None);
        let h = c.check(
            "camp_headline",
            text(&self.camp_headline, 3, HEADLINE_MAX, "a headline"),
        );
        let b = c.check("camp_body", text(&self.camp_body, 1, BODY_MAX, "the text"));
        let a = c.check(
            "camp_cta",
            text(&self.camp_cta, 2, CTA_MAX, "the button's label"),
        );
        let u = c.check("camp_url", parse_landing(&self.camp_url, house));
        let (starts_at, ends_at) = self.period(&mut c, now);
        let placements = self.placements(&mut c);
        let tc = c.check("total_cap", parse_cap(&self.total_cap));
        let dc = c.check("daily_cap", parse_cap(&self.daily_cap));
        let vc = c.check("visitor_cap", parse_cap(&self.visitor_cap));
        let cpm_cents = c.check("cpm", parse_money(&self.cpm));
        let fee = c.check("flat_fee", parse_money(&self.flat_fee));
        if house && (cpm_cents.flatten().is_some() || fee.flatten().is_some()) {
            c.add(
                "cpm",
                "House promotions are the operator's own: they carry no price.",
            );
        }
        c.finish()?;
        let (
            Some(advertiser),
            Some(headline),
            Some(body),
            Some(cta),
            Some(url),
            Some(starts_at),
            Some(ends_at),
        ) = (owner, h, b, a, u, starts_at, ends_at)
        else {
            return Err(AppError::Internal);
        };
        let (Some(total_cap), Some(daily_cap), Some(visitor_daily_cap), Some(cpm_cents), Some(fee)) =
            (tc, dc, vc, cpm_cents, fee)
        else {
            return Err(AppError::Internal);
        };
        Ok(NewCampaign {
            advertiser,
            headline,
            body,
            cta,
            url,
            starts_at,
            ends_at,
            placements,
            communities,
            total_cap,
            daily_cap,
            visitor_daily_cap,
            cpm_cents,
            flat_fee_cents: fee,
        })
    }

    /// The campaign's first day (today when empty) and the end of its last (none when empty).
    fn period(
        &self,
        c: &mut crate::error::Checker,
        now: i64,
    ) -> (Option<i64>, Option<Option<i64>>) {
        use crate::announcements::types::parse_day;
        let starts_at = match self.camp_starts.trim() {
            "" => Some(now),
            day => c.check("camp_starts", parse_day(day)),
        };
        let ends_at = match self.camp_ends.trim() {
            "" => Some(None),
            day => c.check(
                "camp_ends",
                parse_day(day).map(|d| Some(d + 86_400_000)), // through the end of that day
            ),
        };
        if let (Some(s), Some(Some(e))) = (starts_at, ends_at) {
            if e <= s {
                c.add("camp_ends", "The end must come after the start.");
            } else if e <= now {
                c.add("camp_ends", "This end date has passed.");
            }
        }
        (starts_at, ends_at)
    }

    /// Where the campaign is shown: at least one place.
    fn placements(&self, c: &mut crate::error::Checker) -> Vec<Placement> {
        let placements: Vec<Placement> = [
            (Placement::Feed, &self.in_feed),
            (Placement::Sidebar, &self.in_sidebar),
            (Placement::Directory, &self.in_directory),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(p, _)| p)
        .collect();
        if placements.is_empty() {
            c.add("placements", "Tick at least one place to show it.");
        }
        placements
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landing_addresses_are_https_or_own_pages() {
        assert_eq!(
            parse_landing("example.org/ms", false).as_deref(),
            Ok("https://example.org/ms")
        );
        assert!(parse_landing("http://example.org", false).is_err());
        assert!(parse_landing("/directory/x", false).is_err());
        assert_eq!(
            parse_landing("/directory/x", true).as_deref(),
            Ok("/directory/x")
        );
        assert!(parse_landing("//evil.example", true).is_err());
        assert!(parse_landing("javascript:alert(1)", true).is_err());
        assert!(landing_is_safe("https://example.org"));
        assert!(!landing_is_safe("http://example.org"));
        assert!(!landing_is_safe("//evil.example"));
        assert!(!landing_is_safe("javascript:alert(1)"));
    }

    #[test]
    fn caps_and_money() {
        assert_eq!(parse_cap(""), Ok(None));
        assert_eq!(parse_cap("10,000"), Ok(Some(10_000)));
        assert!(parse_cap("0").is_err());
        assert!(parse_cap("ten").is_err());
        assert_eq!(parse_money("12.5"), Ok(Some(1250)));
        assert_eq!(parse_money("£1,200"), Ok(Some(120_000)));
        assert_eq!(parse_money(""), Ok(None));
        assert!(parse_money("1.234").is_err());
        assert!(parse_money("-3").is_err());
        assert_eq!(ctr(0, 0), "–");
        assert_eq!(ctr(200, 5), "2.5 %");
    }

    #[test]
    fn placements_round_trip() {
        for p in Placement::ALL {
            assert_eq!(Placement::parse(p.as_str()), Some(p));
        }
        assert_eq!(Placement::parse("dm"), None);
    }
}
