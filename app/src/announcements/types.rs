//! Announcement wire types and input rules: severity, the day inputs of the schedule, and what a banner and the admin list show.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Info,
    Important,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Important => "important",
        }
    }

    pub fn from_db(raw: &str) -> Self {
        if raw == "important" {
            Severity::Important
        } else {
            Severity::Info
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "info" => Ok(Severity::Info),
            "important" => Ok(Severity::Important),
            _ => Err("Choose how important it is.".into()),
        }
    }
}

/// One announcement as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub severity: Severity,
}

/// One announcement as admins manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedAnnouncement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub severity: Severity,
    /// The community's name, or `None` for the whole site.
    pub community: Option<String>,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub state: RunState,
    /// How many members dismissed it.
    pub dismissed: i64,
}

/// Where an announcement is in its schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunState {
    Scheduled,
    Showing,
    Ended,
}

impl RunState {
    pub fn at(starts_at: i64, ends_at: Option<i64>, now: i64) -> Self {
        if ends_at.is_some_and(|e| e <= now) {
            RunState::Ended
        } else if starts_at > now {
            RunState::Scheduled
        } else {
            RunState::Showing
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RunState::Scheduled => "scheduled",
            RunState::Showing => "showing",
            RunState::Ended => "ended",
        }
    }
}

pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 400;
/// Visitors' dismissals kept in their cookie (the newest).
pub const COOKIE_IDS_MAX: usize = 30;

/// A day typed in a date field (`2026-12-24`) as Unix milliseconds at 00:00 UTC.
pub fn parse_day(raw: &str) -> Result<i64, String> {
    let bad = || "Enter a date like 2026-12-24.".to_string();
    let mut parts = raw.trim().splitn(3, '-');
    let (y, m, d) = (
        parts
            .next()
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or_else(bad)?,
        parts
            .next()
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or_else(bad)?,
        parts
            .next()
            .and_then(|p| p.parse::<i64>().ok())
            .ok_or_else(bad)?,
    );
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if !(2000..=2200).contains(&y) || d < 1 || d > days_in_month {
        return Err(bad());
    }
    // Days from civil (Howard Hinnant's algorithm), the inverse of `ui::format_date`.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok((era * 146_097 + doe - 719_468) * 86_400_000)
}

/// The ids a visitor's dismissal cookie holds ("3.7.12"); anything else in it is ignored.
pub fn cookie_ids(raw: &str) -> Vec<i64> {
    raw.split('.')
        .filter_map(|p| p.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .take(COOKIE_IDS_MAX)
        .collect()
}

/// The admin's announcement form, as it is sent: one struct for the server function's arguments
/// (`#[server(flatten)]`), its checks and its echo. `community` is a slug or empty (the whole
/// site); `starts` and `ends` are days (`2026-12-24`, UTC), `starts` empty for now, `ends`
/// empty for no end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementForm {
    pub ann_title: String,
    pub ann_body: String,
    pub severity: String,
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
}

/// An announcement form's values once checked.
pub struct NewAnnouncement {
    pub title: String,
    pub body: String,
    pub severity: Severity,
    /// A community's slug, or `None` for the whole site.
    pub community: Option<String>,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
}

impl AnnouncementForm {
    /// The checked announcement as of `now`, or every field's error at once.
    pub fn check(&self, now: i64) -> Result<NewAnnouncement, crate::error::AppError> {
        use crate::error::{AppError, Checker};
        use crate::operator::types::text;
        let mut c = Checker::new();
        let t = c.check("ann_title", text(&self.ann_title, 3, TITLE_MAX, "a title"));
        let b = c.check("ann_body", text(&self.ann_body, 1, BODY_MAX, "the message"));
        let s = c.check("severity", Severity::parse(&self.severity));
        let starts_at = match self.starts.trim() {
            "" => Some(now),
            day => c.check("starts", parse_day(day)),
        };
        let ends_at = match self.ends.trim() {
            "" => Some(None),
            // The whole end day is included.
            day => c.check("ends", parse_day(day).map(|d| Some(d + 86_400_000))),
        };
        if let (Some(s), Some(Some(e))) = (starts_at, ends_at) {
            if e <= s {
                c.add("ends", "The end must come after the start.");
            } else if e <= now {
                c.add("ends", "This end date has passed.");
            }
        }
        c.finish()?;
        let (Some(title), Some(body), Some(severity), Some(starts_at), Some(ends_at)) =
            (t, b, s, starts_at, ends_at)
        else {
            return Err(AppError::Internal);
        };
        Ok(NewAnnouncement {
            title,
            body,
            severity,
            community: Some(self.community.trim().to_string()).filter(|s| !s.is_empty()),
            starts_at,
            ends_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_with_format_date() {
        for day in ["2026-12-24", "2028-02-29", "2000-01-01", "2099-12-31"] {
            let ms = parse_day(day).expect(day);
            assert_eq!(ms % 86_400_000, 0);
            let shown = crate::ui::format_date(ms);
            let (y, rest) = day.split_at(4);
            assert!(shown.ends_with(y), "{day} → {shown}");
            assert!(
                shown.starts_with(rest[4..].trim_start_matches('0')),
                "{day} → {shown}"
            );
        }
        assert_eq!(
            parse_day("1970-01-02"),
            Err("Enter a date like 2026-12-24.".into())
        );
        assert_eq!(parse_day("2026-12-24").ok(), Some(1_798_070_400_000));
        for bad in [
            "",
            "2026-02-30",
            "2027-02-29",
            "2026-13-01",
            "24/12/2026",
            "2026-12",
        ] {
            assert!(parse_day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cookie_ids_ignore_junk() {
        assert_eq!(cookie_ids("3.7.x.-1.12"), vec![3, 7, 12]);
        assert!(cookie_ids("").is_empty());
        let many = (1..100)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(".");
        assert_eq!(cookie_ids(&many).len(), COOKIE_IDS_MAX);
    }
}
