//! The crisis safeguard's matcher and helplines, compiled into the server and the browser alike.

use std::sync::OnceLock;

/// One helpline shown to a writer whose words matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helpline {
    /// An ISO country code, or `*` for everyone.
    pub country: String,
    pub name: String,
    pub contact: String,
    pub link: String,
    pub hours: String,
}

struct Phrase {
    /// Normalised, with a leading space; a trailing space unless it is a prefix.
    needle: String,
    shown: String,
}

/// Lower case, apostrophes dropped, umlauts and ß folded, anything but letters and digits a
/// single space, with a space at each end (so whole words are matched with `" word "`).
pub fn normalise(text: &str) -> String {
    normalise_mapped(text, None)
}

/// [`normalise`], and (with `map`) for each byte of the result the byte offset in `text` of the
/// character it came from (`text.len()` for the closing space), so that a match in the
/// normalised text can be found again in what was written (the watched words' "■■■").
pub fn normalise_mapped(text: &str, mut map: Option<&mut Vec<usize>>) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut push = |out: &mut String, s: &str, at: usize| {
        out.push_str(s);
        if let Some(m) = map.as_deref_mut() {
            m.extend(std::iter::repeat_n(at, s.len()));
        }
    };
    push(&mut out, " ", 0);
    let mut buf = [0u8; 4];
    for (at, ch) in text.char_indices() {
        match ch {
            '\'' | '’' | '‘' | '`' | '´' => continue,
            'ä' | 'Ä' => push(&mut out, "ae", at),
            'ö' | 'Ö' => push(&mut out, "oe", at),
            'ü' | 'Ü' => push(&mut out, "ue", at),
            'ß' | 'ẞ' => push(&mut out, "ss", at),
            c if c.is_alphanumeric() => {
                for l in c.to_lowercase() {
                    push(&mut out, l.encode_utf8(&mut buf), at);
                }
            }
            _ => {
                if !out.ends_with(' ') {
                    push(&mut out, " ", at);
                }
            }
        }
    }
    if !out.ends_with(' ') {
        push(&mut out, " ", text.len());
    }
    out
}

fn phrases() -> &'static [Phrase] {
    static LIST: OnceLock<Vec<Phrase>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../data/crisis_phrases.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once(':').map(|(_, p)| p.trim()))
            .map(|p| {
                let prefix = p.ends_with('*');
                let mut needle = normalise(p.trim_end_matches('*'));
                if prefix {
                    needle.pop();
                }
                Phrase {
                    needle,
                    shown: p.trim_end_matches('*').to_string(),
                }
            })
            .collect()
    })
}

/// The first crisis phrase in `text`, if any (as the list writes it).
pub fn matches(text: &str) -> Option<&'static str> {
    let text = normalise(text);
    phrases()
        .iter()
        .find(|p| text.contains(&p.needle))
        .map(|p| p.shown.as_str())
}

/// The first crisis phrase in any of `texts` (a title and a body, say).
pub fn matches_any(texts: &[&str]) -> Option<&'static str> {
    texts.iter().find_map(|t| matches(t))
}

/// A country members can choose for their helplines, with its emergency number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// The ISO 3166 code, upper case.
    pub code: &'static str,
    /// As in "helplines in the United Kingdom".
    pub name: &'static str,
    pub emergency: &'static str,
}

struct Lists {
    helplines: Vec<Helpline>,
    countries: Vec<Country>,
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut lists = Lists {
            helplines: Vec::new(),
            countries: Vec::new(),
        };
        let text: &'static str = include_str!("../../data/helplines.txt");
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let f: Vec<&'static str> = line.split('|').map(str::trim).collect();
            match f.as_slice() {
                ["country", code, name, emergency] => lists.countries.push(Country {
                    code,
                    name,
                    emergency,
                }),
                [country, name, contact, link, hours] => lists.helplines.push(Helpline {
                    country: country.to_string(),
                    name: name.to_string(),
                    contact: contact.to_string(),
                    link: link.to_string(),
                    hours: hours.to_string(),
                }),
                _ => {}
            }
        }
        lists
    })
}

/// The helplines, in the file's order.
pub fn helplines() -> &'static [Helpline] {
    &lists().helplines
}

/// The countries a member may choose, in the file's order.
pub fn countries() -> &'static [Country] {
    &lists().countries
}

/// The chosen country, if it is one of the list's.
pub fn country(code: &str) -> Option<&'static Country> {
    countries().iter().find(|c| c.code == code)
}

/// The helplines for a member in `country`: (theirs and everyone's, the others). Without a
/// known country every line is "theirs". A service several countries share (Samaritans: the
/// United Kingdom and Ireland) is listed once, where it first comes: a person in crisis reads
/// each line, and the same number twice is a line too many.
pub fn helplines_for(country: Option<&str>) -> (Vec<&'static Helpline>, Vec<&'static Helpline>) {
    let (mine, others): (Vec<&'static Helpline>, Vec<&'static Helpline>) =
        match country.and_then(self::country) {
            Some(c) => helplines()
                .iter()
                .partition(|h| h.country == c.code || h.country == "*"),
            None => (helplines().iter().collect(), Vec::new()),
        };
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut first = |h: &&'static Helpline| {
        let key = (h.name.as_str(), h.contact.as_str());
        let new = !seen.contains(&key);
        if new {
            seen.push(key);
        }
        new
    };
    let mine: Vec<_> = mine.into_iter().filter(|h| first(h)).collect();
    let others = others.into_iter().filter(|h| first(h)).collect();
    (mine, others)
}

/// `text` cut into parts, each with the number to dial when it is a phone number: a run of
/// digits and single spaces with at least three digits ("116 123", "0800 111 0 111", "988"), so
/// that a phone can call a helpline or an emergency number with one tap.
pub fn phone_parts(text: &str) -> Vec<(String, Option<String>)> {
    let mut parts: Vec<(String, Option<String>)> = Vec::new();
    let mut plain = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars.get(i).is_some_and(char::is_ascii_digit) {
            // The run: digits, and spaces each followed by a digit.
            let mut end = i;
            while let Some(c) = chars.get(end) {
                let next_is_digit = chars.get(end + 1).is_some_and(char::is_ascii_digit);
                if c.is_ascii_digit() || (*c == ' ' && next_is_digit) {
                    end += 1;
                } else {
                    break;
                }
            }
            let run: String = chars.get(i..end).unwrap_or_default().iter().collect();
            let digits: String = run.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 3 {
                if !plain.is_empty() {
                    parts.push((std::mem::take(&mut plain), None));
                }
                parts.push((run, Some(digits)));
            } else {
                plain.push_str(&run);
            }
            i = end;
        } else {
            if let Some(c) = chars.get(i) {
                plain.push(*c);
            }
            i += 1;
        }
    }
    if !plain.is_empty() {
        parts.push((plain, None));
    }
    parts
}

/// The listed country of the first language tag with a region in an `Accept-Language` header
/// (`de-DE,de;q=0.9` → `DE`), for a new account's default.
pub fn country_from_languages(header: &str) -> Option<&'static str> {
    header.split(',').find_map(|tag| {
        let tag = tag.split(';').next().unwrap_or("").trim();
        let region = tag.split(['-', '_']).nth(1)?.to_ascii_uppercase();
        countries()
            .iter()
            .find(|c| c.code == region)
            .map(|c| c.code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_load() {
        assert!(phrases().len() >= 60, "{}", phrases().len());
        assert!(phrases().iter().any(|p| p.needle == " suizid"));
        let countries: Vec<&str> = helplines().iter().map(|h| h.country.as_str()).collect();
        assert_eq!(countries, ["GB", "IE", "DE", "US", "*"]);
        assert!(helplines().iter().all(|h| h.link.starts_with("https://")));
        let codes: Vec<&str> = super::countries().iter().map(|c| c.code).collect();
        assert_eq!(codes, ["GB", "IE", "DE", "US"]);
        // Every country has a line of its own.
        for c in super::countries() {
            assert!(
                helplines().iter().any(|h| h.country == c.code),
                "{}",
                c.code
            );
        }
    }

    #[test]
    fn a_members_country_comes_first() {
        let (mine, others) = helplines_for(Some("DE"));
        let names: Vec<&str> = mine.iter().map(|h| h.country.as_str()).collect();
        assert_eq!(names, ["DE", "*"]);
        // Samaritans once, though the United Kingdom and Ireland both list it.
        let others: Vec<&str> = others.iter().map(|h| h.country.as_str()).collect();
        assert_eq!(others, ["GB", "US"]);
        let (all, none) = helplines_for(None);
        let all: Vec<&str> = all.iter().map(|h| h.country.as_str()).collect();
        assert_eq!((all, none.len()), (vec!["GB", "DE", "US", "*"], 0));
        // An unknown code is no country: every line, each once.
        assert_eq!(helplines_for(Some("ZZ")).0.len(), 4);
        // Ireland's member sees Samaritans as theirs, and not again among the others.
        let (mine, others) = helplines_for(Some("IE"));
        let mine: Vec<&str> = mine.iter().map(|h| h.country.as_str()).collect();
        let others: Vec<&str> = others.iter().map(|h| h.country.as_str()).collect();
        assert_eq!((mine, others), (vec!["IE", "*"], vec!["DE", "US"]));
    }

    #[test]
    fn phone_numbers_become_numbers_to_dial() {
        let tel = |text: &str| -> Vec<(String, Option<String>)> { phone_parts(text) };
        let part = |t: &str, n: Option<&str>| (t.to_string(), n.map(str::to_string));
        assert_eq!(
            tel("Call 116 123, free"),
            [
                part("Call ", None),
                part("116 123", Some("116123")),
                part(", free", None)
            ]
        );
        assert_eq!(
            tel("Anruf 0800 111 0 111 oder 0800 111 0 222, kostenlos"),
            [
                part("Anruf ", None),
                part("0800 111 0 111", Some("08001110111")),
                part(" oder ", None),
                part("0800 111 0 222", Some("08001110222")),
                part(", kostenlos", None)
            ]
        );
        assert_eq!(
            tel("Call or text 988"),
            [part("Call or text ", None), part("988", Some("988"))]
        );
        // Short numbers are not phone numbers; text without any stays whole.
        assert_eq!(
            tel("Open 24 hours, 7 days"),
            [part("Open 24 hours, 7 days", None)]
        );
        assert_eq!(tel(""), []);
        // Every line of the list with a number gets one to dial.
        for h in helplines().iter().filter(|h| h.country != "*") {
            assert!(
                phone_parts(&h.contact).iter().any(|(_, n)| n.is_some()),
                "{}",
                h.contact
            );
        }
    }

    #[test]
    fn the_browsers_language_gives_a_listed_region_only() {
        assert_eq!(
            country_from_languages("de-DE,de;q=0.9,en;q=0.8"),
            Some("DE")
        );
        assert_eq!(country_from_languages("en-gb"), Some("GB"));
        assert_eq!(country_from_languages("fr-FR, en-US;q=0.5"), Some("US"));
        assert_eq!(country_from_languages("de, en"), None);
        assert_eq!(country_from_languages("fr-FR"), None);
        assert_eq!(country_from_languages(""), None);
    }

    #[test]
    fn true_positives_in_english_and_german() {
        for text in [
            "I want to end my life.",
            "Some days I think about ENDING IT ALL",
            "honestly i could kill myself",
            "I don't want to be here anymore",
            "I dont want to be here any more, sorry",
            "I don’t want to live like this",
            "everyone would be better off without me",
            "I've been feeling suicidal since the diagnosis",
            "Ich will mich umbringen",
            "Ich möchte nicht mehr leben",
            "Ich moechte nicht mehr leben",
            "Ich habe Suizidgedanken",
            "Ich denke an Suizid.",
            "Manchmal will ich einfach nicht mehr leben",
            "Ich bin so lebensmüde",
        ] {
            assert!(matches(text).is_some(), "missed: {text}");
        }
        assert_eq!(matches("End. My. Life."), Some("end my life"));
        assert_eq!(
            matches_any(&["Fatigue", "I want to die"]),
            Some("want to die")
        );
    }

    #[test]
    fn near_misses_are_not_flagged() {
        for text in [
            "I would kill for a coffee",
            "This fatigue is killing me",
            "the heat kills me every summer",
            "I'm dying to try the new physio",
            "dead tired after the infusion",
            "Die Hitze bringt mich noch um den Verstand",
            "Ich könnte mich totlachen",
            "the skms clinic",
            "I want to diet",
            "Ich lebe nicht mehr in Berlin",
        ] {
            assert_eq!(matches(text), None, "flagged: {text}");
        }
    }

    #[test]
    fn normalising_is_word_based() {
        assert_eq!(normalise("Don't, STOP!"), " dont stop ");
        assert_eq!(normalise("Größe"), " groesse ");
        assert_eq!(normalise(""), " ");
    }
}
