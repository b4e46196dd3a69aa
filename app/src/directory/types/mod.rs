//! Directory wire types, the fixed lists (specialties, languages) and the distance formula; the forms and the parsing of their fields are in `forms`.

use serde::{Deserialize, Serialize};

mod forms;
mod listing;
pub use forms::*;
pub use listing::*;

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
    /// The point searched around (latitude, longitude): the place's, or the browser's ("Near
    /// me"); where the map is centred.
    #[serde(default)]
    pub centre: Option<(f64, f64)>,
    pub radius_km: f64,
    /// More matched than are shown.
    pub truncated: bool,
}

/// A clinic's inbox: the clinic's name (its staff may work at several) and its requests,
/// newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicRequests {
    pub clinic: String,
    pub requests: Vec<ContactSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
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
}
