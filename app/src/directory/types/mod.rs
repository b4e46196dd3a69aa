//! Directory wire types, the fixed lists (specialties, languages), input parsing and the distance formula.

use serde::{Deserialize, Serialize};

pub const SPECIALTIES: &[(&str, &str)] = &[
    ("neurology", "Neurology"),
    ("haematology", "Haematology"),
    ("oncology", "Oncology"),
    ("endocrinology", "Endocrinology and diabetes"),
    ("general-practice", "General practice"),
    ("nursing", "Specialist nursing"),
    ("physiotherapy", "Physiotherapy"),
    ("psychology", "Psychology"),
    ("rheumatology", "Rheumatology"),
    ("cardiology", "Cardiology"),
];

pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("tr", "Turkish"),
    ("ar", "Arabic"),
    ("pl", "Polish"),
    ("sv", "Swedish"),
    ("yo", "Yoruba"),
];

/// The label for a key of one of the fixed lists.
pub fn label(list: &[(&'static str, &'static str)], key: &str) -> String {
    list.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| key.to_string())
}

pub const RADIUS_DEFAULT_KM: f64 = 25.0;
pub const RADIUS_MAX_KM: f64 = 500.0;
/// A place search shows at most this many providers (nearest or best rated first).
pub const RESULTS_MAX: usize = 50;
pub const REVIEW_MAX: usize = 4000;
pub const REQUEST_MAX: usize = 2000;
/// One-time review codes are valid this long.
pub const CODE_DAYS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProviderKind {
    Clinic,
    Clinician,
}

impl ProviderKind {
    pub fn parse(s: &str) -> Self {
        if s == "clinician" {
            Self::Clinician
        } else {
            Self::Clinic
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clinic => "clinic",
            Self::Clinician => "clinician",
        }
    }
}

/// Everything the rating widget shows. Averages are ×100 (412 = 4.12) to stay exact on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub count: i64,
    pub avg_x100: i64,
    /// Reviews with 1, 2, 3, 4 and 5 stars.
    pub histogram: [i64; 5],
    pub explains_x100: Option<i64>,
    pub listens_x100: Option<i64>,
    pub premises_x100: Option<i64>,
    pub wait_minutes: Option<i64>,
}

/// "4.1" from 412.
pub fn stars_text(x100: i64) -> String {
    let tenths = (x100 + 5) / 10;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A provider in search results, sidebars and lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderCard {
    pub slug: String,
    /// The provider's logo picture; `None`: its initial on its colour.
    #[serde(default)]
    pub logo: Option<i64>,
    pub kind: ProviderKind,
    pub name: String,
    pub city: String,
    pub specialties: Vec<String>,
    pub accepting: bool,
    pub colour: String,
    pub distance_km: Option<f64>,
    /// Where it is, on a search around a place (for the results map).
    #[serde(default)]
    pub position: Option<(f64, f64)>,
    pub rating: RatingSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct NamedLink {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEntry {
    pub handle: String,
    pub owner: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEntry {
    pub actor: String,
    pub summary: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: i64,
    pub author: String,
    pub stars: i64,
    pub explains: Option<i64>,
    pub listens: Option<i64>,
    pub premises: Option<i64>,
    pub wait_minutes: Option<i64>,
    pub body: String,
    pub treatment: String,
    pub verified_visit: bool,
    pub hidden: bool,
    pub reply: Option<String>,
    pub reply_at: Option<i64>,
    pub disputed: bool,
    /// Shown to the reviewer only (and admins), with the request to describe the treatment.
    pub dispute_note: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub versions: i64,
}

/// What the viewer may do on a provider's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderViewer {
    pub logged_in: bool,
    /// Staff of this clinic, or the clinician themselves: edit, reply, dispute, inbox.
    pub is_staff: bool,
    pub is_owner: bool,
    pub is_admin: bool,
    /// Really on the provider's staff (admins are not): the clinic's inbox and review codes.
    pub own_staff: bool,
}

/// What a member is invited to be at a provider; it takes effect only when they accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteRole {
    Staff,
    Owner,
    /// Listed at a clinic, with a public directory profile of their own.
    Clinician,
}

impl InviteRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Owner => "owner",
            Self::Clinician => "clinician",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "staff" => Some(Self::Staff),
            "owner" => Some(Self::Owner),
            "clinician" => Some(Self::Clinician),
            _ => None,
        }
    }
    /// "as staff", for the change log.
    pub fn phrase(self) -> &'static str {
        match self {
            Self::Staff => "as staff",
            Self::Owner => "as owner",
            Self::Clinician => "to be listed here",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderDetail {
    pub card: ProviderCard,
    pub description: String,
    pub address: String,
    pub postal_code: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: String,
    pub website: String,
    pub specialty_keys: Vec<String>,
    pub languages: Vec<String>,
    pub opening_hours: String,
    pub licence_number: String,
    pub conditions: Vec<NamedLink>,
    /// Clinicians listed at this clinic, or the clinics a clinician is listed at.
    pub linked: Vec<NamedLink>,
    pub reviews: Vec<ReviewView>,
    pub own_review: Option<ReviewView>,
    pub viewer: ProviderViewer,
    /// Staff and admins only.
    pub staff: Vec<StaffEntry>,
    /// Admins and staff only: who changed the profile, when.
    pub changes: Vec<ChangeEntry>,
    /// The viewer's own invitations to this provider, waiting for their answer.
    pub my_invitations: Vec<InviteRole>,
    /// Whether the viewer saved it (`None` for visitors).
    #[serde(default)]
    pub saved: Option<bool>,
    /// Photos of the premises or team, with their descriptions (up to six).
    #[serde(default)]
    pub photos: Vec<crate::pictures::types::Picture>,
}

/// A directory search as the form sends it (all text, so a bad value comes back as a field error).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryQuery {
    pub kind: String,
    pub specialty: String,
    pub condition: String,
    pub language: String,
    pub accepting: String,
    pub place: String,
    pub lat: String,
    pub lon: String,
    pub radius: String,
    pub sort: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryResults {
    pub providers: Vec<ProviderCard>,
    /// The place searched around, in words ("Berlin", "your location").
    pub place_label: Option<String>,
    /// Where that place is, how the query was read, and other places of the same name.
    #[serde(default)]
    pub place: Option<crate::places::types::PlaceFound>,
    /// The query named several places equally: the question and the places to pick from
    /// (no search was run).
    #[serde(default)]
    pub choose: Option<(String, Vec<String>)>,
    pub radius_km: f64,
    /// More matched than are shown.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSummary {
    pub id: i64,
    pub provider_slug: String,
    pub provider_name: String,
    pub member: String,
    pub reason: String,
    pub status: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactMessage {
    pub author: String,
    pub from_clinic: bool,
    pub body: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactThread {
    pub summary: ContactSummary,
    pub preferred_times: String,
    pub contact_via: String,
    pub messages: Vec<ContactMessage>,
    pub viewer_is_staff: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenReport {
    pub id: i64,
    pub kind: String,
    pub reason: String,
    pub reporter: String,
    pub provider_slug: String,
    pub provider_name: String,
    pub review: ReviewView,
}

/// Great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// The latitude/longitude box that holds every point within `radius_km` of the centre
/// (longitude span widens towards the poles; clamped at ±90/±180).
pub fn bounding_box(lat: f64, lon: f64, radius_km: f64) -> (f64, f64, f64, f64) {
    let dlat = radius_km / 111.0;
    let cos = lat.to_radians().cos().abs().max(0.01);
    let dlon = (radius_km / (111.0 * cos)).min(180.0);
    (
        (lat - dlat).max(-90.0),
        (lat + dlat).min(90.0),
        (lon - dlon).max(-180.0),
        (lon + dlon).min(180.0),
    )
}

/// The profile form staff save (`save_profile`): its fields as the form names them
/// (`#[server(flatten)]`), its checks and its echo. `accepting` is "yes" or "no"; the lists are
/// the ticked boxes (`specialties[]`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub name: String,
    pub description: String,
    pub address: String,
    pub city: String,
    pub postal_code: String,
    pub lat: String,
    pub lon: String,
    pub phone: String,
    pub website: String,
    #[serde(default)]
    pub specialties: Option<Vec<String>>,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    pub opening_hours: String,
    pub accepting: String,
    pub colour: String,
    #[serde(default)]
    pub conditions: Option<Vec<String>>,
}

/// Every field staff edit on a profile, once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileInput {
    pub name: String,
    pub description: String,
    pub address: String,
    pub city: String,
    pub postal_code: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: String,
    pub website: String,
    pub specialties: Vec<String>,
    pub languages: Vec<String>,
    pub opening_hours: String,
    pub accepting: bool,
    pub colour: String,
    pub conditions: Vec<String>,
}

impl ProfileForm {
    /// The checked fields, or every field's error at once.
    pub fn check(&self) -> Result<ProfileInput, crate::error::AppError> {
        let joined = |v: &Option<Vec<String>>| v.as_deref().unwrap_or_default().join(" ");
        let mut c = crate::error::Checker::new();
        let input = ProfileInput {
            name: c
                .check(
                    "name",
                    parse_required(&self.name, 120, "the name", "Enter a name."),
                )
                .unwrap_or_default(),
            description: c
                .check(
                    "description",
                    parse_optional(&self.description, 2000, "the description"),
                )
                .unwrap_or_default(),
            address: c
                .check("address", parse_optional(&self.address, 200, "the address"))
                .unwrap_or_default(),
            city: c
                .check("city", parse_optional(&self.city, 80, "the city"))
                .unwrap_or_default(),
            postal_code: c
                .check(
                    "postal_code",
                    parse_optional(&self.postal_code, 12, "the postal code"),
                )
                .unwrap_or_default(),
            lat: c.check("lat", parse_lat(&self.lat)).flatten(),
            lon: c.check("lon", parse_lon(&self.lon)).flatten(),
            phone: c
                .check("phone", parse_phone(&self.phone))
                .unwrap_or_default(),
            website: c
                .check("website", parse_website(&self.website))
                .unwrap_or_default(),
            specialties: c
                .check(
                    "specialties",
                    parse_keys(&joined(&self.specialties), SPECIALTIES, "specialty"),
                )
                .unwrap_or_default(),
            languages: c
                .check(
                    "languages",
                    parse_keys(&joined(&self.languages), LANGUAGES, "language"),
                )
                .unwrap_or_default(),
            opening_hours: c
                .check(
                    "opening_hours",
                    parse_optional(&self.opening_hours, 1000, "the opening hours"),
                )
                .unwrap_or_default(),
            accepting: self.accepting == "yes",
            colour: c
                .check(
                    "colour",
                    crate::communities::types::parse_colour(&self.colour),
                )
                .unwrap_or_default(),
            conditions: self
                .conditions
                .iter()
                .flatten()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        };
        if input.lat.is_some() != input.lon.is_some() {
            c.add("lon", "Enter both latitude and longitude, or neither.");
        }
        c.finish()?;
        Ok(input)
    }
}

/// The form an admin creates a clinic with (`create_clinic`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicForm {
    pub name: String,
    pub slug: String,
    pub city: String,
    pub lat: String,
    pub lon: String,
    pub owner: String,
}

/// A new clinic once checked.
pub struct NewClinic {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub owner: String,
}

impl ClinicForm {
    /// The checked fields, or every field's error at once.
    pub fn check(&self) -> Result<NewClinic, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let input = NewClinic {
            name: c
                .check(
                    "name",
                    parse_required(&self.name, 120, "the name", "Give the clinic a name."),
                )
                .unwrap_or_default(),
            slug: c
                .check("slug", crate::communities::types::parse_slug(&self.slug))
                .unwrap_or_default(),
            city: c
                .check(
                    "city",
                    parse_required(&self.city, 80, "the city", "Enter the city."),
                )
                .unwrap_or_default(),
            lat: c.check("lat", parse_lat(&self.lat)).flatten(),
            lon: c.check("lon", parse_lon(&self.lon)).flatten(),
            owner: c
                .check(
                    "owner",
                    parse_required(
                        &self.owner,
                        40,
                        "the handle",
                        "Name the member who will manage it.",
                    ),
                )
                .unwrap_or_default(),
        };
        c.finish()?;
        Ok(input)
    }
}

/// A member's rating form (`rate_provider`): the stars and sub-scores are radio buttons, so
/// absent until one is chosen; the wait, the review, the treatment and the code are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingForm {
    #[serde(default)]
    pub stars: String,
    #[serde(default)]
    pub explains: String,
    #[serde(default)]
    pub listens: String,
    #[serde(default)]
    pub premises: String,
    #[serde(default)]
    pub wait_minutes: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub treatment: String,
    #[serde(default)]
    pub code: String,
}

/// A rating once checked.
pub struct RatingInput {
    pub stars: i64,
    pub explains: Option<i64>,
    pub listens: Option<i64>,
    pub premises: Option<i64>,
    pub wait_minutes: Option<i64>,
    pub body: String,
    pub treatment: String,
    pub code: String,
}

impl RatingForm {
    /// The checked fields, or every field's error at once.
    pub fn check(&self) -> Result<RatingInput, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let input = RatingInput {
            stars: c.check("stars", parse_stars(&self.stars)).unwrap_or(0),
            explains: c
                .check("explains", parse_subscore(&self.explains))
                .flatten(),
            listens: c.check("listens", parse_subscore(&self.listens)).flatten(),
            premises: c
                .check("premises", parse_subscore(&self.premises))
                .flatten(),
            wait_minutes: c
                .check("wait_minutes", parse_wait(&self.wait_minutes))
                .flatten(),
            body: c
                .check(
                    "body",
                    parse_optional(&self.body, REVIEW_MAX, "your review"),
                )
                .unwrap_or_default(),
            treatment: c
                .check(
                    "treatment",
                    parse_optional(&self.treatment, 2000, "the description"),
                )
                .unwrap_or_default(),
            code: c
                .check("code", parse_optional(&self.code, 20, "the code"))
                .unwrap_or_default(),
        };
        c.finish()?;
        Ok(input)
    }
}

fn trimmed(raw: &str, max: usize, what: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.chars().count() > max {
        return Err(format!("Keep {what} to {max} characters."));
    }
    Ok(s.to_string())
}

pub fn parse_required(raw: &str, max: usize, what: &str, empty: &str) -> Result<String, String> {
    let s = trimmed(raw, max, what)?;
    if s.is_empty() {
        return Err(empty.to_string());
    }
    Ok(s)
}

pub fn parse_optional(raw: &str, max: usize, what: &str) -> Result<String, String> {
    trimmed(raw, max, what)
}

pub fn parse_stars(raw: &str) -> Result<i64, String> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => Ok(n),
        Err(_) if raw.trim().is_empty() => Err("Choose from 1 to 5 stars.".into()),
        _ => Err("Stars go from 1 to 5.".into()),
    }
}

/// An optional 1–5 sub-score: empty means "not rated".
pub fn parse_subscore(raw: &str) -> Result<Option<i64>, String> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => Ok(Some(n)),
        _ => Err("Use a score from 1 to 5, or leave it empty.".into()),
    }
}

pub fn parse_wait(raw: &str) -> Result<Option<i64>, String> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    match raw.trim().parse::<i64>() {
        Ok(n) if n < 0 => Err("A wait cannot be negative.".into()),
        Ok(n) if n <= 600 => Ok(Some(n)),
        Ok(_) => Err("Enter the wait in minutes, at most 600.".into()),
        Err(_) => Err("Enter the wait as a whole number of minutes.".into()),
    }
}

/// One specialty key from the list (empty allowed when `optional`).
pub fn parse_specialty(raw: &str, optional: bool) -> Result<String, String> {
    let s = raw.trim().to_lowercase();
    if s.is_empty() && optional {
        return Ok(s);
    }
    if SPECIALTIES.iter().any(|(k, _)| *k == s) {
        Ok(s)
    } else {
        Err("Choose a specialty from the list.".into())
    }
}

/// Keys from a fixed list, separated by commas or spaces; each must be known.
pub fn parse_keys(raw: &str, list: &[(&str, &str)], what: &str) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    for k in raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        let k = k.to_lowercase();
        if !list.iter().any(|(key, _)| *key == k) {
            return Err(format!("Unknown {what}: {k}."));
        }
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    Ok(keys)
}

pub fn parse_lat(raw: &str) -> Result<Option<f64>, String> {
    parse_coord(raw, 90.0, "A latitude goes from -90 to 90.")
}

pub fn parse_lon(raw: &str) -> Result<Option<f64>, String> {
    parse_coord(raw, 180.0, "A longitude goes from -180 to 180.")
}

fn parse_coord(raw: &str, limit: f64, message: &str) -> Result<Option<f64>, String> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= limit => Ok(Some(v)),
        _ => Err(message.into()),
    }
}

pub fn parse_radius(raw: &str) -> Result<f64, String> {
    if raw.trim().is_empty() {
        return Ok(RADIUS_DEFAULT_KM);
    }
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (1.0..=RADIUS_MAX_KM).contains(&v) => Ok(v),
        _ => Err(format!("Choose a radius from 1 to {RADIUS_MAX_KM} km.")),
    }
}

/// A website as people type it (`example.org`, `www.example.org`, `HTTPS://Example.org/x`),
/// stored as a full `https://` (or `http://`) address.
pub fn parse_website(raw: &str) -> Result<String, String> {
    let s = trimmed(raw, 300, "the website")?;
    if s.is_empty() {
        return Ok(s);
    }
    let lower = s.to_ascii_lowercase();
    let (scheme, rest) = if let Some(r) = lower.strip_prefix("https://") {
        ("https://", s.get(s.len() - r.len()..).unwrap_or(""))
    } else if let Some(r) = lower.strip_prefix("http://") {
        ("http://", s.get(s.len() - r.len()..).unwrap_or(""))
    } else if lower.contains("://") {
        return Err("Give a web address (https://…).".into());
    } else {
        ("https://", s.as_str())
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !host_ok || rest.chars().any(char::is_whitespace) {
        return Err(
            "Give a web address such as example.org or https://example.org/contact.".into(),
        );
    }
    Ok(format!(
        "{scheme}{}{}",
        host.to_lowercase(),
        rest.get(host.len()..).unwrap_or("")
    ))
}

/// A phone number as people write it: digits with spaces, `+ - ( ) / . #` and an extension
/// (`ext. 12`, `x12`, `Durchwahl 12`); at least five digits.
pub fn parse_phone(raw: &str) -> Result<String, String> {
    let s = trimmed(raw, 40, "the phone number")?;
    if s.is_empty() {
        return Ok(s);
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if digits >= 5
        && s.chars()
            .all(|c| c.is_ascii_digit() || c.is_alphabetic() || " +-()/.#,:".contains(c))
    {
        Ok(s)
    } else {
        Err("A phone number has at least 5 digits; spaces, + - ( ) / . # and an extension (ext. 12) are fine.".into())
    }
}

/// "the name, hours and accepting" from the names of changed fields.
pub fn change_summary(fields: &[&str]) -> String {
    match fields {
        [] => "nothing".into(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_known_distances() {
        // Berlin (52.5200, 13.4050) – Hamburg (53.5511, 9.9937): about 255 km.
        let d = haversine_km(52.52, 13.405, 53.5511, 9.9937);
        assert!((d - 255.0).abs() < 3.0, "{d}");
        // Paris – London: about 344 km.
        let d = haversine_km(48.8566, 2.3522, 51.5074, -0.1278);
        assert!((d - 344.0).abs() < 3.0, "{d}");
        assert!(haversine_km(10.0, 20.0, 10.0, 20.0).abs() < 1e-9);
        // Antipodes: half the circumference.
        let d = haversine_km(0.0, 0.0, 0.0, 180.0);
        assert!((d - 20015.1).abs() < 1.0, "{d}");
    }

    #[test]
    fn box_holds_the_circle() {
        let (lat, lon, r) = (52.52, 13.405, 30.0);
        let (a, b, c, d) = bounding_box(lat, lon, r);
        for i in 0..360 {
            let t = (i as f64).to_radians();
            // A point on the circle's edge, nudged inside.
            let (plat, plon) = (
                lat + (r * 0.999 / 111.2) * t.sin(),
                lon + (r * 0.999 / (111.2 * lat.to_radians().cos())) * t.cos(),
            );
            if haversine_km(lat, lon, plat, plon) <= r {
                assert!(plat >= a && plat <= b && plon >= c && plon <= d);
            }
        }
    }

    #[test]
    fn inputs() {
        assert_eq!(parse_stars("4"), Ok(4));
        assert!(parse_stars("0").is_err() && parse_stars("6").is_err() && parse_stars("").is_err());
        assert_eq!(parse_subscore(""), Ok(None));
        assert!(parse_subscore("7").is_err());
        assert!(parse_wait("-5").is_err());
        assert_eq!(parse_wait("20"), Ok(Some(20)));
        assert!(parse_specialty("astrology", false).is_err());
        assert_eq!(parse_specialty("Neurology", false), Ok("neurology".into()));
        assert!(
            parse_lat("91").is_err() && parse_lon("-181").is_err() && parse_lat("NaN").is_err()
        );
        assert_eq!(parse_lat(" "), Ok(None));
        assert!(parse_radius("0").is_err() && parse_radius("1000").is_err());
        assert_eq!(
            parse_keys("en, de de", LANGUAGES, "language"),
            Ok(vec!["en".into(), "de".into()])
        );
        assert!(parse_keys("klingon", LANGUAGES, "language").is_err());
        assert!(parse_website("javascript:alert(1)").is_err());
        for (typed, stored) in [
            ("www.example.org", "https://www.example.org"),
            ("example.org", "https://example.org"),
            ("HTTPS://Example.org/Contact", "https://example.org/Contact"),
            ("http://clinic.example/x?y=1", "http://clinic.example/x?y=1"),
            ("", ""),
        ] {
            assert_eq!(parse_website(typed), Ok(stored.to_string()), "{typed}");
        }
        assert!(parse_website("ftp://example.org").is_err());
        assert!(parse_website("not a site").is_err());
        for ok in [
            "+44 20 7946 0000 ext. 12",
            "030.1234.5678",
            "(030) 1234-5678 #2",
            "",
        ] {
            assert!(parse_phone(ok).is_ok(), "{ok}");
        }
        assert!(parse_phone("call me").is_err() && parse_phone("<b>12345</b>").is_err());
        assert_eq!(stars_text(412), "4.1");
        assert_eq!(stars_text(500), "5.0");
        assert_eq!(stars_text(396), "4.0");
        assert_eq!(
            change_summary(&["name", "hours", "accepting"]),
            "name, hours and accepting"
        );
    }
}
