//! Addresses made from names: Latin letters transliterated, everything else a dash, never empty.

/// The ASCII spelling of a Latin letter with a diacritic ("é" → "e", "ß" → "ss"), if it has one.
fn ascii_of(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ä' | 'æ' => "ae",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ł' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ō' | 'ő' => "o",
        'ö' | 'ø' | 'œ' => "oe",
        'ŕ' | 'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ü' => "ue",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// An address from a name: lower-case ASCII letters and digits joined by single dashes, at most
/// `max` characters, cut at a dash where it can be. A name with no Latin letter or digit
/// (`李明`, `!!`) gives `fallback`; callers number addresses that are taken (`fatigue-2`).
pub fn from_name(name: &str, max: usize, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(a) = ascii_of(c) {
            out.push_str(a);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= max {
            break;
        }
    }
    let mut out: String = out.chars().take(max).collect();
    if out.len() == max {
        if let Some(i) = out.rfind('-').filter(|i| *i > max / 2) {
            out.truncate(i);
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        fallback.to_string()
    } else {
        out.to_string()
    }
}

/// `base`, or `base-N` with the smallest N ≥ 2 that is not in `taken`.
pub fn first_free(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken.contains(s))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_addresses() {
        assert_eq!(
            from_name("What is a relapse in MS?", 60, "x"),
            "what-is-a-relapse-in-ms"
        );
        assert_eq!(from_name("Müdigkeit bei MS", 60, "x"), "muedigkeit-bei-ms");
        assert_eq!(from_name("Émilie's café", 60, "x"), "emilie-s-cafe");
        assert_eq!(from_name("李明", 60, "article"), "article");
        assert_eq!(from_name("!!", 60, "group"), "group");
        assert_eq!(from_name("Fatigue!!", 60, "x"), "fatigue");
        let long = from_name(&"word ".repeat(30), 20, "x");
        assert!(long.len() <= 20 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn taken_addresses_are_numbered() {
        let taken = vec!["fatigue".to_string(), "fatigue-2".to_string()];
        assert_eq!(first_free("fatigue", &taken), "fatigue-3");
        assert_eq!(first_free("sleep", &taken), "sleep");
    }
}
