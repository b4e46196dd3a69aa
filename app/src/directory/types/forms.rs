//! The directory's forms (a provider's profile, a new clinic, a rating) and the parsing of each field.

use super::*;
use serde::{Deserialize, Serialize};

/// A member's request to a clinic (`contact_clinic`): its fields as the form names them
/// (`#[server(flatten)]`), its checks and its echo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    pub reason: String,
    pub preferred_times: String,
    pub contact_via: String,
}

/// What a contact request stores, once checked.
pub struct ContactInput {
    pub reason: String,
    pub preferred_times: String,
    pub contact_via: String,
}

impl ContactForm {
    /// The checked fields, or every field's error at once.
    pub fn check(&self) -> Result<ContactInput, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let input = ContactInput {
            reason: c
                .check(
                    "reason",
                    parse_required(
                        &self.reason,
                        REQUEST_MAX,
                        "the reason",
                        "Say what you would like help with.",
                    ),
                )
                .unwrap_or_default(),
            preferred_times: c
                .check(
                    "preferred_times",
                    parse_optional(&self.preferred_times, 300, "the times"),
                )
                .unwrap_or_default(),
            contact_via: c
                .check(
                    "contact_via",
                    parse_required(
                        &self.contact_via,
                        200,
                        "how to reach you",
                        "Say how the clinic should contact you.",
                    ),
                )
                .unwrap_or_default(),
        };
        c.finish()?;
        Ok(input)
    }
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
    /// The member's request to be listed that this answers (its id), if any.
    #[serde(default)]
    pub request: String,
}

/// A new clinic once checked.
pub struct NewClinic {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub owner: String,
    pub request: Option<i64>,
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
            request: c
                .check("request", parse_request_id(&self.request))
                .flatten(),
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

/// The optional id of a request to be listed (a hidden field).
fn parse_request_id(raw: &str) -> Result<Option<i64>, String> {
    match raw.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| "This request is not known.".to_string()),
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
