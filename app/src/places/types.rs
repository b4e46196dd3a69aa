//! Shared place types: how a place query resolved, and the SVG map of results around a centre.

use serde::{Deserialize, Serialize};

/// The place a search was run around, as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceFound {
    /// In words: "SW1A 1AA", "Newport, Isle of Wight, England, GB", "your location".
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    /// Said above the results when the query was read differently: a typo corrected.
    pub note: Option<String>,
    /// Other places of the same name (labels to search instead), when one was picked.
    pub others: Vec<String>,
}

/// Folds a place name for matching: lower case, accents removed, anything but letters and digits
/// a single space ("Sant Julià de Lòria" → "sant julia de loria", "St. Albans" → "st albans").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = unaccent(c);
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            match c {
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                _ => out.push(c),
            }
        } else {
            space = true;
        }
    }
    out
}

/// The letter without its accent, for the Latin letters place names use.
fn unaccent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ķ' => 'k',
        'ł' | 'ľ' | 'ĺ' | 'ļ' => 'l',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ž' | 'ż' => 'z',
        _ => c,
    }
}

/// A postal code as the gazetteer keys it: a UK full or outward code, or digits (German PLZ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostcodeQuery {
    /// The key to look up exactly ("sw1a", "10115"), and whether a shorter prefix may stand in.
    Exact(String),
    /// A partial code: every code starting with it ("sw1", "101").
    Prefix(String),
}

/// Reads a query as a postal code, if it is one: "SW1A 1AA" and "sw1a1aa" → the outward code
/// "sw1a"; "SW1A" → "sw1a"; "10115" → "10115"; "101" → every PLZ starting 101.
#[allow(
    clippy::indexing_slicing,
    reason = "each index is checked against the length just before it"
)]
pub fn postcode_query(s: &str) -> Option<PostcodeQuery> {
    let c: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if c.is_empty() || !c.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    if c.chars().all(|c| c.is_ascii_digit()) {
        return match c.len() {
            5 => Some(PostcodeQuery::Exact(c)),
            2..=4 => Some(PostcodeQuery::Prefix(c)),
            _ => None,
        };
    }
    let b = c.as_bytes();
    // UK: outward = area (1–2 letters) + district (digit, then a digit or letter, optional);
    // inward = digit + two letters.
    let outward_ok = |o: &[u8]| {
        let letters = o.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        (1..=2).contains(&letters)
            && o.len() > letters
            && o.len() <= letters + 2
            && o[letters].is_ascii_digit()
            && o[letters + 1..].iter().all(|b| b.is_ascii_alphanumeric())
    };
    if b.len() >= 5 {
        let (out, inward) = b.split_at(b.len() - 3);
        if inward[0].is_ascii_digit()
            && inward[1].is_ascii_alphabetic()
            && inward[2].is_ascii_alphabetic()
            && outward_ok(out)
        {
            return Some(PostcodeQuery::Exact(c[..c.len() - 3].to_string()));
        }
    }
    outward_ok(b).then_some(PostcodeQuery::Exact(c))
}

/// How far typos may go for a name of this many letters: none under five, one up to seven, then two.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// A point on the results map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    pub x: f64,
    pub y: f64,
}

/// Projects a position onto a square map of `size` pixels showing `radius_km` around the centre
/// (equirectangular, corrected for latitude: right at the scale of a city search).
pub fn project(centre: (f64, f64), radius_km: f64, size: f64, p: (f64, f64)) -> MapPoint {
    let km_per_deg_lat = 111.32;
    let km_per_deg_lon = 111.32 * centre.0.to_radians().cos();
    let dx = (p.1 - centre.1) * km_per_deg_lon;
    let dy = (p.0 - centre.0) * km_per_deg_lat;
    let scale = (size / 2.0) / radius_km.max(0.1);
    MapPoint {
        x: size / 2.0 + dx * scale,
        y: size / 2.0 - dy * scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(fold("Sant Julià de Lòria"), "sant julia de loria");
        assert_eq!(fold("  St. Albans "), "st albans");
        assert_eq!(fold("München"), "munchen");
        assert_eq!(fold("Gießen"), "giessen");
        assert_eq!(fold("Newport, Isle of Wight"), "newport isle of wight");
    }

    #[test]
    fn reads_uk_and_german_postcodes() {
        let e = |s: &str| Some(PostcodeQuery::Exact(s.to_string()));
        let p = |s: &str| Some(PostcodeQuery::Prefix(s.to_string()));
        assert_eq!(postcode_query("SW1A 1AA"), e("sw1a"));
        assert_eq!(postcode_query("sw1a1aa"), e("sw1a"));
        assert_eq!(postcode_query("W1G 8PH"), e("w1g"));
        assert_eq!(postcode_query("M1 3BN"), e("m1"));
        assert_eq!(postcode_query("SW1A"), e("sw1a"));
        assert_eq!(postcode_query("M1"), e("m1"));
        assert_eq!(postcode_query("10115"), e("10115"));
        assert_eq!(postcode_query("101"), p("101"));
        assert_eq!(postcode_query("London"), None);
        assert_eq!(postcode_query("Londn"), None);
        assert_eq!(postcode_query("Paris"), None);
        assert_eq!(postcode_query("1"), None);
        assert_eq!(postcode_query("123456"), None);
    }

    #[test]
    fn typo_budget_grows_with_length() {
        assert_eq!(typo_budget(4), 0);
        assert_eq!(typo_budget(5), 1);
        assert_eq!(typo_budget(9), 2);
    }

    #[test]
    fn projection_puts_the_centre_in_the_middle_and_north_up() {
        let c = (51.5, -0.12);
        let m = project(c, 10.0, 200.0, c);
        assert!((m.x - 100.0).abs() < 1e-9 && (m.y - 100.0).abs() < 1e-9);
        let north = project(c, 10.0, 200.0, (51.5 + 5.0 / 111.32, -0.12));
        assert!(
            (north.y - 50.0).abs() < 0.01,
            "5 km north is half way up: {north:?}"
        );
        let east = project(c, 10.0, 200.0, (51.5, -0.12 + 0.05));
        assert!(east.x > 100.0);
    }
}
