//! Profile and settings wire types, and the display-preference newtypes.

use crate::auth::types::{specialty_title, ClinicianStatus, MemberKind, BIO_MAX};
use serde::{Deserialize, Serialize};

/// What anyone may see of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicProfile {
    pub handle: String,
    /// Their avatar picture; `None`: their initials.
    #[serde(default)]
    pub avatar: Option<i64>,
    /// The member's name in any spelling, if they gave one (empty otherwise).
    pub display_name: String,
    /// "Patient", "Verified neurologist", …; `None` when the member hides it.
    pub role_label: Option<String>,
    pub verified_clinician: bool,
    pub is_moderator: bool,
    pub is_admin: bool,
    pub bio: String,
    pub joined_at: i64,
}

/// The role badge text for a member.
pub fn role_label(
    kind: MemberKind,
    status: ClinicianStatus,
    specialty: Option<&str>,
    show_role: bool,
) -> Option<String> {
    match (kind, status) {
        (MemberKind::Clinician, ClinicianStatus::Verified) => Some(format!(
            "Verified {}",
            specialty
                .map(specialty_title)
                .unwrap_or_else(|| "clinician".into())
                .to_lowercase()
        )),
        (MemberKind::Clinician, _) => Some("Clinician (not verified)".into()),
        _ if !show_role => None,
        (kind, _) => Some(kind.label().into()),
    }
}

/// The member's own settings page data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySettings {
    pub handle: String,
    /// The member's avatar picture, if they uploaded one.
    #[serde(default)]
    pub avatar: Option<i64>,
    pub display_name: String,
    /// The address in use: the proved one, or for a new account the one waiting for its link.
    pub email: String,
    /// `email` is proved.
    pub email_verified: bool,
    /// A new address asked for and waiting for its link (the proved one stays in use).
    pub email_pending: Option<String>,
    pub kind: MemberKind,
    pub bio: String,
    pub theme: String,
    pub text_size: String,
    /// The helplines' country (a code of the helplines list), or empty.
    #[serde(default)]
    pub country: String,
    pub show_role: bool,
    pub clinician_status: ClinicianStatus,
    pub specialty: Option<String>,
    /// Why the last verification request was rejected, if it was.
    pub rejection_reason: Option<String>,
}

/// The longest display name.
pub const DISPLAY_NAME_MAX: usize = 50;

/// A display name: any script, spaces, apostrophes and hyphens ("María O'Brien-Müller", "李明");
/// white space folded; no control characters or markup brackets; empty clears it.
/// The member's own profile form (`update_profile`): its fields as the form names them
/// (`#[server(flatten)]`), its checks and its echo. `show_role` is present when ticked;
/// `country` is a listed code or "none", and absent keeps the one set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub display_name: Option<String>,
    pub bio: String,
    pub theme: String,
    pub text_size: String,
    #[serde(default)]
    pub show_role: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
}

/// A member's profile settings once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub display_name: String,
    pub bio: String,
    pub theme: String,
    pub text_size: String,
    pub show_role: bool,
    /// A listed country code, or empty.
    pub country: String,
}

impl ProfileForm {
    /// The checked fields (`country` is the member's current one, kept when the form sends
    /// none), or every field's error at once.
    pub fn check(&self, country: &str) -> Result<ProfileUpdate, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let country = match self.country.as_deref().map(str::trim) {
            None => Some(country.to_string()),
            // "none" is the list's "Not set" (an empty value reads as an absent one).
            Some("" | "none") => Some(String::new()),
            Some(code) => c.check(
                "country",
                crate::safety::crisis::country(code)
                    .map(|c| c.code.to_string())
                    .ok_or_else(|| "Choose a country from the list, or “Not set”.".to_string()),
            ),
        };
        let input = ProfileUpdate {
            display_name: c
                .check(
                    "display_name",
                    parse_display_name(self.display_name.as_deref().unwrap_or("")),
                )
                .unwrap_or_default(),
            bio: c.check("bio", parse_bio(&self.bio)).unwrap_or_default(),
            theme: c
                .check("theme", parse_option(&self.theme, THEMES))
                .unwrap_or_default(),
            text_size: c
                .check("text_size", parse_option(&self.text_size, TEXT_SIZES))
                .unwrap_or_default(),
            show_role: self.show_role.is_some(),
            country: country.unwrap_or_default(),
        };
        c.finish()?;
        Ok(input)
    }
}

pub fn parse_display_name(raw: &str) -> Result<String, String> {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > DISPLAY_NAME_MAX {
        return Err(format!("Keep your name to {DISPLAY_NAME_MAX} characters."));
    }
    if s.chars()
        .any(|c| c.is_control() || matches!(c, '<' | '>' | '@'))
    {
        return Err(
            "A name can have letters of any alphabet, spaces, ' - and . (no < > or @).".into(),
        );
    }
    Ok(s)
}

pub fn parse_bio(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.chars().count() > BIO_MAX {
        return Err(format!("Keep your bio to {BIO_MAX} characters."));
    }
    Ok(s.to_string())
}

pub const THEMES: &[(&str, &str)] = &[
    ("system", "Same as my device"),
    ("light", "Light"),
    ("dark", "Dark"),
];
pub const TEXT_SIZES: &[(&str, &str)] = &[("normal", "Normal"), ("large", "Large")];

/// One of the display options (theme or text size).
pub fn parse_option(raw: &str, choices: &[(&str, &str)]) -> Result<String, String> {
    crate::error::parse_choice(raw, choices, "Choose one of the options.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_labels() {
        assert_eq!(
            role_label(
                MemberKind::Clinician,
                ClinicianStatus::Verified,
                Some("neurology"),
                true
            ),
            Some("Verified neurologist".into())
        );
        assert_eq!(
            role_label(
                MemberKind::Clinician,
                ClinicianStatus::Pending,
                Some("neurology"),
                false
            ),
            Some("Clinician (not verified)".into())
        );
        assert_eq!(
            role_label(MemberKind::Patient, ClinicianStatus::None, None, false),
            None
        );
        assert_eq!(
            role_label(MemberKind::Caregiver, ClinicianStatus::None, None, true),
            Some("Caregiver".into())
        );
    }

    #[test]
    fn bio_and_choices() {
        assert!(parse_bio(&"x".repeat(BIO_MAX + 1)).is_err());
        assert_eq!(parse_bio("  hi  "), Ok("hi".into()));
        assert_eq!(parse_option("dark", THEMES), Ok("dark".into()));
        assert!(parse_option("neon", THEMES).is_err());
        assert_eq!(
            parse_display_name("  María   O'Brien-Müller "),
            Ok("María O'Brien-Müller".into())
        );
        assert_eq!(parse_display_name("李明"), Ok("李明".into()));
        assert_eq!(parse_display_name(""), Ok(String::new()));
        assert!(parse_display_name("<b>").is_err() && parse_display_name(&"a".repeat(51)).is_err());
    }
}
