//! Account wire types and the newtypes that validate sign-up and settings input in the browser and on the server.

use serde::{Deserialize, Serialize};

/// The version of the health-data consent text members agree to at sign-up (see `/privacy`).
pub const CONSENT_VERSION: &str = "2026-12-06";
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;
pub const BIO_MAX: usize = 500;

/// A member's public pseudonym: 3–30 characters, lowercase letters, digits and `_`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handle(String);

impl Handle {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim().trim_start_matches('@').to_lowercase();
        if s.is_empty() {
            return Err("Choose a handle.".into());
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(
                "A handle is part of web addresses: use only a–z, 0–9 and _ (for example maria_s or jean_luc). Your name in any spelling can go in your display name, in Settings."
                    .into(),
            );
        }
        if s.chars().count() < 3 || s.chars().count() > 30 {
            return Err("A handle has 3 to 30 characters.".into());
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err("A handle starts with a letter a–z.".into());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, trimmed and lowercased. Deliberately simple: one `@`, a dot in the domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("Enter your e-mail address.".into());
        }
        let bad = || "Enter an e-mail address like name@example.org.".to_string();
        if s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(bad());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: long enough to resist guessing, short enough to hash cheaply.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let n = raw.chars().count();
        if n < PASSWORD_MIN {
            return Err(format!(
                "Use at least {PASSWORD_MIN} characters for your password."
            ));
        }
        if n > PASSWORD_MAX {
            return Err(format!(
                "Use at most {PASSWORD_MAX} characters for your password."
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// How a member describes themself at sign-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    Patient,
    Caregiver,
    Clinician,
}

impl MemberKind {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "patient" => Ok(Self::Patient),
            "caregiver" => Ok(Self::Caregiver),
            "clinician" => Ok(Self::Clinician),
            _ => Err("Choose patient, caregiver or clinician.".into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patient => "patient",
            Self::Caregiver => "caregiver",
            Self::Clinician => "clinician",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Patient => "Patient",
            Self::Caregiver => "Caregiver",
            Self::Clinician => "Clinician",
        }
    }
}

/// Where a clinician's verification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClinicianStatus {
    None,
    Pending,
    Verified,
    Rejected,
}

impl ClinicianStatus {
    pub fn from_db(raw: &str) -> Self {
        match raw {
            "pending" => Self::Pending,
            "verified" => Self::Verified,
            "rejected" => Self::Rejected,
            _ => Self::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Pending => "pending",
            Self::Verified => "verified",
            Self::Rejected => "rejected",
        }
    }
}

/// The sign-up form (`signup`) but its password, which is never echoed: its fields as the form
/// names them (`#[server(flatten)]`), its checks and its echo. The boxes are present ("yes")
/// when ticked; a clinician's licence and specialty only when the kind is clinician.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupForm {
    pub handle: String,
    pub email: String,
    pub kind: String,
    #[serde(default)]
    pub consent: Option<String>,
    #[serde(default)]
    pub licence_number: Option<String>,
    #[serde(default)]
    pub specialty: Option<String>,
    #[serde(default)]
    pub digest: Option<String>,
}

/// A sign-up once checked.
pub struct CheckedSignup {
    pub handle: Handle,
    pub email: Email,
    pub password: Password,
    pub kind: MemberKind,
    /// A clinician's licence number and specialty.
    pub clinician: Option<(String, String)>,
    pub digest: bool,
}

impl SignupForm {
    /// The checked fields with the `password` typed beside them, or every field's error at once.
    pub fn check(&self, password: &str) -> Result<CheckedSignup, crate::error::AppError> {
        let mut c = crate::error::Checker::new();
        let handle = c.check("handle", Handle::parse(&self.handle));
        let email = c.check("email", Email::parse(&self.email));
        let password = c.check("password", Password::parse(password));
        let kind = c.check("kind", MemberKind::parse(&self.kind));
        if self.consent.as_deref() != Some("yes") {
            c.add(
                "consent",
                "Please agree to the processing of your health-related data to join.",
            );
        }
        let clinician = if kind == Some(MemberKind::Clinician) {
            let l = c.check(
                "licence_number",
                parse_licence(self.licence_number.as_deref().unwrap_or("")),
            );
            let s = c.check(
                "specialty",
                parse_specialty(self.specialty.as_deref().unwrap_or("")),
            );
            l.zip(s)
        } else {
            None
        };
        c.finish()?;
        let (Some(handle), Some(email), Some(password), Some(kind)) =
            (handle, email, password, kind)
        else {
            return Err(crate::error::AppError::Internal);
        };
        Ok(CheckedSignup {
            handle,
            email,
            password,
            kind,
            clinician,
            digest: self.digest.as_deref() == Some("yes"),
        })
    }
}

/// A licence number as printed on the clinician's registration (letters, digits, `-`, `/`, spaces).
pub fn parse_licence(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("Enter your licence or registration number.".into());
    }
    if s.chars().count() > 40
        || !s.chars().any(|c| c.is_ascii_digit())
        || !s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '-' | '/' | ' ' | '.' | '#' | ':' | '°' | 'º')
        })
    {
        return Err(
            "Enter the number as on your registration (up to 40 characters: letters, digits, spaces and - / . # : º)."
                .into(),
        );
    }
    Ok(s.to_string())
}

/// The specialties a clinician can be verified for.
pub const SPECIALTIES: &[(&str, &str)] = &[
    ("neurology", "Neurologist"),
    ("haematology", "Haematologist"),
    ("oncology", "Oncologist"),
    ("endocrinology", "Endocrinologist"),
    ("general_practice", "General practitioner"),
    ("nursing", "Specialist nurse"),
    ("psychology", "Psychologist"),
    ("physiotherapy", "Physiotherapist"),
    ("pharmacy", "Pharmacist"),
    ("dietetics", "Dietitian"),
];

pub fn parse_specialty(raw: &str) -> Result<String, String> {
    crate::error::parse_choice(raw, SPECIALTIES, "Choose your specialty from the list.")
}

/// "Neurologist" for "neurology"; the key itself if unknown.
pub fn specialty_title(key: &str) -> String {
    SPECIALTIES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, title)| title.to_string())
        .unwrap_or_else(|| key.to_string())
}

/// The logged-in member as the UI needs them. Never carries e-mail or secrets of others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    /// The member's id.
    pub id: crate::ids::UserId,
    pub handle: String,
    /// Their avatar picture (the header shows it); `None`: their initials.
    #[serde(default)]
    pub avatar: Option<i64>,
    pub kind: MemberKind,
    pub clinician_status: ClinicianStatus,
    pub specialty: Option<String>,
    pub is_moderator: bool,
    pub is_admin: bool,
    /// May write health-library articles.
    pub is_editor: bool,
    pub theme: String,
    pub text_size: String,
    /// Their country for the helplines (an ISO code from the helplines list), or empty.
    #[serde(default)]
    pub country: String,
    /// Unread notifications when the page was made (the header badge then follows live).
    pub unread_notifications: i64,
    /// Unread direct messages, likewise.
    pub unread_messages: i64,
    /// The member proved their address (until then no mail but the link goes to it).
    pub email_verified: bool,
    /// The member withdrew the health-data consent: read-only and hidden until given again.
    pub consent_withdrawn: bool,
    /// Suspended until then (a moderator's sanction; `None` when not suspended now).
    pub suspended_until: Option<i64>,
    /// Why, as the moderator wrote it (shown only to the member).
    pub suspension_reason: String,
    /// What waits in the moderation queue of the places the member moderates (the header's
    /// count); `None` when they moderate nothing.
    pub mod_queue: Option<i64>,
    /// The contact of an advertiser (their reports are at `/sponsor`).
    #[serde(default)]
    pub is_sponsor: bool,
    /// Has a staff role that is paused: the site requires two-step sign-in of staff, and the
    /// member has not turned it on (the role flags above are then off).
    #[serde(default)]
    pub staff_paused: bool,
}

/// The page behind an e-mail link (verification or password reset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailLinkView {
    pub handle: String,
    /// The address the link was sent to, masked ("m…@example.org").
    pub address: String,
    /// A verification link already used for this address.
    pub done: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_normalised_and_checked() {
        assert_eq!(
            Handle::parse("  @Maria_K ").map(|h| h.0),
            Ok("maria_k".into())
        );
        assert!(Handle::parse("ab").is_err());
        assert!(Handle::parse("1abc").is_err());
        assert!(Handle::parse("has space").is_err());
        assert!(Handle::parse("émilie").is_err());
        assert!(Handle::parse(&"a".repeat(31)).is_err());
        assert!(Handle::parse(&"a".repeat(30)).is_ok());
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").map(|e| e.0),
            Ok("ana@example.org".into())
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "a b@x.org",
            "a@@x.org",
            "a@x..org",
            "a@.x.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("exactly10c").is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("a-secret-password").ok()),
            "Some(Password(***))"
        );
    }

    #[test]
    fn kinds_specialties_and_licences() {
        assert_eq!(MemberKind::parse("caregiver"), Ok(MemberKind::Caregiver));
        assert!(MemberKind::parse("admin").is_err());
        assert_eq!(parse_specialty("neurology"), Ok("neurology".into()));
        assert!(parse_specialty("astrology").is_err());
        assert_eq!(specialty_title("haematology"), "Haematologist");
        assert_eq!(parse_licence(" GMC-1234567 "), Ok("GMC-1234567".into()));
        assert!(parse_licence("<script>").is_err());
        for ok in ["Nº 12345", "Ärztekammer 123", "GMC 7654321", "RN#12/34"] {
            assert!(parse_licence(ok).is_ok(), "{ok}");
        }
        for name in ["maría", "müller", "o'brien", "jean-luc", "李明", "Émilie"] {
            let e = Handle::parse(name).expect_err(name);
            assert!(e.contains("display name"), "{name}: {e}");
        }
        assert!(parse_licence("").is_err());
    }
}

/// Two-step sign-in as Settings shows it to the member (and to no one else).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TwoStep {
    /// On since then (ms); `None`: off.
    pub on_since: Option<i64>,
    /// Unused recovery codes left.
    pub codes_left: i64,
    /// Being set up: waits for the first code from the app.
    pub setup: Option<TwoStepSetup>,
    /// New recovery codes, shown until the member says they saved them.
    pub fresh_codes: Vec<String>,
    /// The member's staff role waits for two-step sign-in (the site requires it).
    #[serde(default)]
    pub staff_paused: bool,
}

/// What the member's authenticator app needs: the QR code, and the same as text to type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// The secret in groups of four (base32).
    pub secret: String,
    /// The QR code of the `otpauth://` address, an SVG drawn on the server.
    pub qr_svg: String,
    /// The account's name in the app ("site: @handle").
    pub label: String,
}
