//! Operator wire types and input rules: the operator's profile, advertisers (kinds and states), and what `/about` shows of them.

use serde::{Deserialize, Serialize};

/// What kind of organisation an advertiser is (a community may refuse whole kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdvertiserKind {
    Pharma,
    Device,
    Clinic,
    Nonprofit,
    Other,
}

impl AdvertiserKind {
    pub const ALL: [AdvertiserKind; 5] = [
        AdvertiserKind::Pharma,
        AdvertiserKind::Device,
        AdvertiserKind::Clinic,
        AdvertiserKind::Nonprofit,
        AdvertiserKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdvertiserKind::Pharma => "pharma",
            AdvertiserKind::Device => "device",
            AdvertiserKind::Clinic => "clinic",
            AdvertiserKind::Nonprofit => "nonprofit",
            AdvertiserKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AdvertiserKind::Pharma => "Pharmaceutical company",
            AdvertiserKind::Device => "Medical device maker",
            AdvertiserKind::Clinic => "Clinic or practice",
            AdvertiserKind::Nonprofit => "Non-profit organisation",
            AdvertiserKind::Other => "Other organisation",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or_else(|| "Choose what kind of organisation it is.".to_string())
    }
}

/// A row's `kind` column (typed rows read it with `#[sqlx(try_from = "String")]`).
impl TryFrom<String> for AdvertiserKind {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

/// Where an advertiser stands. Only `Approved` advertisers are ever shown anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdvertiserStatus {
    /// Added, not yet approved.
    Pending,
    Approved,
    /// Stopped for now; can be approved again.
    Suspended,
    /// Gone from every list; kept for the records.
    Removed,
}

/// A row's `status` column (typed rows read it with `#[sqlx(try_from = "String")]`).
impl From<String> for AdvertiserStatus {
    fn from(raw: String) -> Self {
        Self::from_db(&raw)
    }
}

impl AdvertiserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AdvertiserStatus::Pending => "pending",
            AdvertiserStatus::Approved => "approved",
            AdvertiserStatus::Suspended => "suspended",
            AdvertiserStatus::Removed => "removed",
        }
    }

    pub fn from_db(raw: &str) -> Self {
        match raw {
            "approved" => AdvertiserStatus::Approved,
            "suspended" => AdvertiserStatus::Suspended,
            "removed" => AdvertiserStatus::Removed,
            _ => AdvertiserStatus::Pending,
        }
    }

    /// The state an admin's button asks for: "approve", "suspend" or "remove".
    pub fn from_change(raw: &str) -> Option<Self> {
        match raw {
            "approve" => Some(AdvertiserStatus::Approved),
            "suspend" => Some(AdvertiserStatus::Suspended),
            "remove" => Some(AdvertiserStatus::Removed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AdvertiserStatus::Pending => "Waiting for approval",
            AdvertiserStatus::Approved => "Approved",
            AdvertiserStatus::Suspended => "Suspended",
            AdvertiserStatus::Removed => "Removed",
        }
    }
}

/// Who runs the site, as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorProfile {
    pub name: String,
    /// One paragraph: "who runs this site".
    pub about: String,
    /// The advertising and funding policy, Markdown as typed (for the edit form).
    pub ad_policy_md: String,
    /// The same, rendered and sanitised.
    pub ad_policy_html: String,
    /// The address members write to about their data (public; may be empty).
    pub privacy_contact: String,
    /// An admin has filled it in (until then `/about` says so).
    pub configured: bool,
}

/// An advertiser as `/about` lists it: never its contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PublicAdvertiser {
    pub name: String,
    pub website: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub kind: AdvertiserKind,
    pub disclosure: String,
}

/// A kind of advertiser a community refuses, for `/about`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CommunityBar {
    pub community: String,
    pub slug: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub kind: AdvertiserKind,
}

/// The public `/about` page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AboutView {
    pub profile: OperatorProfile,
    pub advertisers: Vec<PublicAdvertiser>,
    pub bars: Vec<CommunityBar>,
}

/// An advertiser as admins manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Advertiser {
    pub id: i64,
    pub name: String,
    pub website: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub kind: AdvertiserKind,
    pub contact_email: String,
    pub disclosure: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: AdvertiserStatus,
    /// The member who reads the advertiser's report on `/sponsor`, by handle.
    pub sponsor_contact: Option<String>,
}

/// A community and the kinds it refuses, for the admin form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityBars {
    pub slug: String,
    pub name: String,
    pub barred: Vec<AdvertiserKind>,
}

/// The admin's operator page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorAdmin {
    pub profile: OperatorProfile,
    /// Every advertiser but the removed ones, by name.
    pub advertisers: Vec<Advertiser>,
    pub communities: Vec<CommunityBars>,
}

pub const NAME_MAX: usize = 100;
pub const ABOUT_MAX: usize = 1000;
pub const POLICY_MAX: usize = 10_000;
pub const DISCLOSURE_MAX: usize = 300;

/// The operator's profile form (`save_operator_profile`), as it is sent: one struct for the
/// server function's arguments (`#[server(flatten)]`), its checks and its echo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorProfileForm {
    pub name: String,
    pub about: String,
    pub ad_policy: String,
    /// May be left empty (then `/privacy` names no address).
    #[serde(default)]
    pub privacy_contact: String,
}

/// What the profile form stores, once checked.
pub struct OperatorProfileInput {
    pub name: String,
    pub about: String,
    pub ad_policy: String,
    pub privacy_contact: String,
}

impl OperatorProfileForm {
    /// The checked fields, or every field's error at once.
    pub fn check(&self) -> Result<OperatorProfileInput, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let input = OperatorProfileInput {
            name: c
                .check("name", text(&self.name, 2, NAME_MAX, "the operator's name"))
                .unwrap_or_default(),
            about: c
                .check(
                    "about",
                    text(&self.about, 1, ABOUT_MAX, "who runs this site"),
                )
                .unwrap_or_default(),
            ad_policy: c
                .check(
                    "ad_policy",
                    text(&self.ad_policy, 1, POLICY_MAX, "the advertising policy"),
                )
                .unwrap_or_default(),
            privacy_contact: if self.privacy_contact.trim().is_empty() {
                String::new()
            } else {
                c.check(
                    "privacy_contact",
                    crate::auth::types::Email::parse(&self.privacy_contact)
                        .map(|e| e.as_str().to_string()),
                )
                .unwrap_or_default()
            },
        };
        c.finish()?;
        Ok(input)
    }
}

/// The form of the kinds of advertiser a community refuses (`set_ad_bars`): one checkbox per
/// kind, named as the kind is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdBarsForm {
    pub slug: String,
    #[serde(default)]
    pub pharma: Option<String>,
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub clinic: Option<String>,
    #[serde(default)]
    pub nonprofit: Option<String>,
    #[serde(default)]
    pub other: Option<String>,
}

impl AdBarsForm {
    /// The kinds ticked, in [`AdvertiserKind::ALL`]'s order.
    pub fn kinds(&self) -> Vec<AdvertiserKind> {
        let ticked = [
            &self.pharma,
            &self.device,
            &self.clinic,
            &self.nonprofit,
            &self.other,
        ];
        AdvertiserKind::ALL
            .into_iter()
            .zip(ticked)
            .filter(|(_, t)| t.as_deref().is_some_and(|v| !v.is_empty()))
            .map(|(k, _)| k)
            .collect()
    }
}

/// The "add an advertiser" form, as it is sent: one struct for the server function's arguments
/// (`#[server(flatten)]`), its checks and its echo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvertiserFields {
    pub adv_name: String,
    pub website: String,
    pub kind: String,
    pub contact_email: String,
    pub disclosure: String,
}

/// What the "add an advertiser" form stores, once checked.
pub struct NewAdvertiser {
    pub name: String,
    pub website: String,
    pub kind: AdvertiserKind,
    pub contact_email: String,
    pub disclosure: String,
}

impl AdvertiserFields {
    /// The checked fields, or every field's error at once.
    pub fn check(&self) -> Result<NewAdvertiser, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let name = c.check(
            "adv_name",
            text(&self.adv_name, 2, NAME_MAX, "the organisation's name"),
        );
        let website = c.check("website", parse_https_website(&self.website));
        let kind = c.check("kind", AdvertiserKind::parse(&self.kind));
        let email = c.check(
            "contact_email",
            crate::auth::types::Email::parse(&self.contact_email),
        );
        let disclosure = c.check(
            "disclosure",
            text(&self.disclosure, 1, DISCLOSURE_MAX, "the disclosure"),
        );
        c.finish()?;
        match (name, website, kind, email, disclosure) {
            (Some(name), Some(website), Some(kind), Some(email), Some(disclosure)) => {
                Ok(NewAdvertiser {
                    name,
                    website,
                    kind,
                    contact_email: email.as_str().to_string(),
                    disclosure,
                })
            }
            _ => Err(crate::error::AppError::Internal),
        }
    }
}

/// Trimmed text of `min..=max` characters, with the field's own words in the error.
pub fn text(raw: &str, min: usize, max: usize, what: &str) -> Result<String, String> {
    let s = raw.trim().to_string();
    let n = s.chars().count();
    if n < min {
        return Err(if min <= 1 {
            format!("Enter {what}.")
        } else {
            format!("Enter {what} ({min} characters at least).")
        });
    }
    if n > max {
        return Err(format!("Keep {what} to {max} characters (it has {n})."));
    }
    Ok(s)
}

/// An advertiser's website: as people type it, stored as `https://…` (no plain http: the
/// address is shown beside a health community).
pub fn parse_https_website(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err("Enter the advertiser's website.".into());
    }
    let url = crate::directory::types::parse_website(raw)?;
    if url.starts_with("https://") {
        Ok(url)
    } else {
        Err("Give an https:// address.".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_changes_round_trip() {
        for k in AdvertiserKind::ALL {
            assert_eq!(AdvertiserKind::parse(k.as_str()), Ok(k));
        }
        assert!(AdvertiserKind::parse("casino").is_err());
        assert_eq!(
            AdvertiserStatus::from_change("approve"),
            Some(AdvertiserStatus::Approved)
        );
        assert_eq!(AdvertiserStatus::from_change("pending"), None);
        assert_eq!(
            AdvertiserStatus::from_db("suspended"),
            AdvertiserStatus::Suspended
        );
    }

    #[test]
    fn websites_must_be_https() {
        assert_eq!(
            parse_https_website("example.org/ms").as_deref(),
            Ok("https://example.org/ms")
        );
        assert!(parse_https_website("http://example.org").is_err());
        assert!(parse_https_website("").is_err());
        assert!(parse_https_website("javascript:alert(1)").is_err());
    }

    #[test]
    fn text_has_bounds() {
        assert_eq!(text("  Trust ", 2, 10, "a name").as_deref(), Ok("Trust"));
        assert!(text("T", 2, 10, "a name").is_err());
        assert!(text(&"x".repeat(11), 2, 10, "a name").is_err());
    }
}
