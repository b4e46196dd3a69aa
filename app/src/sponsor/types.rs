//! Sponsor report wire types: figures travel as text already rounded off, so that a number below the threshold never reaches the browser, not even in the page's data.

use serde::{Deserialize, Serialize};

/// Figures below this are shown as "< 10".
pub const THRESHOLD: i64 = 10;

/// A figure as a sponsor may see it.
pub fn shown(n: i64) -> String {
    if n < THRESHOLD {
        format!("< {THRESHOLD}")
    } else {
        n.to_string()
    }
}

/// The click-through rate, only when both figures reach the threshold (otherwise it would give
/// a hidden figure away).
pub fn shown_ctr(impressions: i64, clicks: i64) -> String {
    if impressions < THRESHOLD || clicks < THRESHOLD {
        "–".into()
    } else {
        crate::sponsored::types::ctr(impressions, clicks)
    }
}

/// One line of a report: a day or a community, and its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub name: String,
    pub impressions: String,
    pub clicks: String,
    pub ctr: String,
}

/// One campaign's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignReport {
    pub headline: String,
    pub total: ReportLine,
    /// Newest day first.
    pub days: Vec<ReportLine>,
    pub communities: Vec<ReportLine>,
}

/// What `/sponsor` shows: the advertiser and its campaigns, for the last `days` days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SponsorReport {
    pub advertiser: String,
    pub days: i64,
    pub campaigns: Vec<CampaignReport>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_figures_are_hidden() {
        assert_eq!(shown(9), "< 10");
        assert_eq!(shown(0), "< 10");
        assert_eq!(shown(10), "10");
        assert_eq!(shown_ctr(1000, 9), "–");
        assert_eq!(shown_ctr(9, 9), "–");
        assert_eq!(shown_ctr(1000, 25), "2.5 %");
    }
}
