//! E-mail wire types: what an opt-out link stops.

use serde::{Deserialize, Serialize};

/// What the opt-out link of one mail stops, and whether it is already stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopView {
    /// "the daily digest for @maria_ms" or "invitations to m…@example.org".
    pub what: String,
    pub done: bool,
    /// A member's digest (which they can turn back on), not invitations to an address.
    pub digest: bool,
}

/// An address shown without giving it away: the first letter of the local part and the domain.
pub fn mask_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_the_local_part() {
        assert_eq!(mask_address("maria@example.org"), "m…@example.org");
        assert_eq!(mask_address("nonsense"), "…");
    }
}
