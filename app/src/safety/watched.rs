//! Watched words: one Aho-Corasick automaton per place (the site's list and the community's), matched in one pass over what a member writes, cached per database until a list changes.

use super::crisis::normalise_mapped;
use super::types::WatchAction;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A compiled list: the site's entries and one community's together.
pub struct WatchList {
    automaton: Option<AhoCorasick>,
    /// Per pattern: (as the moderator wrote it, action, matches word starts only).
    entries: Vec<(String, WatchAction, bool)>,
}

/// What the list found in one text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Found {
    /// The strongest action that matched, and the entry that asked for it (as written).
    pub strongest: Option<(WatchAction, String)>,
    /// The text with every "replace" word written as ■■■ (equal to the input when none matched).
    pub censored: String,
}

/// What replaces a watched word whose action is "replace".
pub const CENSOR: &str = "■■■";

impl WatchList {
    /// Compiles `(phrase, action)` pairs; a phrase ending in `*` matches any word starting so.
    pub fn build(words: &[(String, WatchAction)]) -> Self {
        let mut needles = Vec::with_capacity(words.len());
        let mut entries = Vec::with_capacity(words.len());
        for (phrase, action) in words {
            let prefix = phrase.trim_end().ends_with('*');
            let needle = normalise_mapped(phrase.trim_end_matches(['*', ' ']), None);
            let needle = needle.trim();
            if needle.is_empty() {
                continue;
            }
            needles.push(needle.to_string());
            entries.push((phrase.clone(), *action, prefix));
        }
        // Standard semantics, so that overlapping matches are all reported (a short entry
        // inside a longer one must not hide it).
        let automaton = (!needles.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&needles)
                    .ok()
            })
            .flatten();
        WatchList { automaton, entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Matches whole words (or word starts, for `*` entries) of `text`, case, accents and
    /// punctuation aside, in one pass.
    #[allow(
        clippy::indexing_slicing,
        reason = "match offsets come from the automaton over these very bytes, and pattern ids index the entries it was built from"
    )]
    pub fn scan(&self, text: &str) -> Found {
        let Some(automaton) = &self.automaton else {
            return Found {
                strongest: None,
                censored: text.to_string(),
            };
        };
        let mut map = Vec::new();
        let norm = normalise_mapped(text, Some(&mut map));
        let bytes = norm.as_bytes();
        let mut strongest: Option<(WatchAction, usize)> = None;
        // Original byte ranges to write as ■■■.
        let mut censor: Vec<(usize, usize)> = Vec::new();
        for m in automaton.find_overlapping_iter(&norm) {
            let (s, e) = (m.start(), m.end());
            let (_, action, prefix) = &self.entries[m.pattern().as_usize()];
            let starts_word = s > 0 && bytes[s - 1] == b' ';
            let ends_word = *prefix || bytes.get(e) == Some(&b' ');
            if !starts_word || !ends_word {
                continue;
            }
            if strongest.is_none_or(|(a, _)| *action > a) {
                strongest = Some((*action, m.pattern().as_usize()));
            }
            if *action == WatchAction::Replace {
                // From the first character matched to the end of the word the match ends in.
                let from = map[s];
                let mut to = e;
                while to < bytes.len() && bytes[to] != b' ' {
                    to += 1;
                }
                let to = map.get(to).copied().unwrap_or(text.len());
                censor.push((from, to.min(text.len())));
            }
        }
        Found {
            strongest: strongest.map(|(a, i)| (a, self.entries[i].0.clone())),
            censored: censored(text, censor),
        }
    }
}

/// `text` with the byte ranges (possibly overlapping) written as [`CENSOR`].
fn censored(text: &str, mut ranges: Vec<(usize, usize)>) -> String {
    if ranges.is_empty() {
        return text.to_string();
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (from, to) in ranges {
        if to <= at {
            continue;
        }
        let from = from.max(at);
        out.push_str(text.get(at..from).unwrap_or_default());
        out.push_str(CENSOR);
        at = to;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// What a place's lists looked like when compiled: (entries, highest id) of the site's list and
/// of the community's. Entries are never changed in place (removed and added), so an unchanged
/// key means an unchanged list, in every app process.
pub type ListKey = (i64, i64, i64, i64);

/// Compiled lists of one database, per community.
#[derive(Default)]
pub struct WatchCache {
    lists: Mutex<HashMap<i64, (ListKey, Arc<WatchList>)>>,
}

impl WatchCache {
    /// The compiled list for `community` if its key is still `key`.
    pub fn get(&self, community: i64, key: ListKey) -> Option<Arc<WatchList>> {
        let lists = self.lists.lock().ok()?;
        lists
            .get(&community)
            .filter(|(k, _)| *k == key)
            .map(|(_, l)| l.clone())
    }

    pub fn put(&self, community: i64, key: ListKey, list: Arc<WatchList>) {
        if let Ok(mut lists) = self.lists.lock() {
            lists.insert(community, (key, list));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(words: &[(&str, WatchAction)]) -> WatchList {
        let words: Vec<(String, WatchAction)> =
            words.iter().map(|(w, a)| (w.to_string(), *a)).collect();
        WatchList::build(&words)
    }

    #[test]
    fn whole_words_case_and_accents_aside() {
        let l = list(&[
            ("miracle cure", WatchAction::Hold),
            ("spam", WatchAction::Flag),
        ]);
        assert_eq!(
            l.scan("Try this MIRACLE-cure now").strongest,
            Some((WatchAction::Hold, "miracle cure".into()))
        );
        assert_eq!(l.scan("no spamming here").strongest, None);
        assert_eq!(l.scan("miracles cured nobody").strongest, None);
        assert_eq!(
            l.scan("spam! and a miracle cure").strongest.map(|s| s.0),
            Some(WatchAction::Hold)
        );
    }

    #[test]
    fn the_strongest_action_wins_and_prefixes_match_word_starts() {
        let l = list(&[
            ("buy*", WatchAction::Block),
            ("cheap", WatchAction::Replace),
        ]);
        assert_eq!(
            l.scan("cheap pills, buying now").strongest,
            Some((WatchAction::Block, "buy*".into()))
        );
        assert_eq!(l.scan("a busy day").strongest, None);
    }

    #[test]
    fn replace_keeps_everything_else_as_written() {
        let l = list(&[
            ("Quacksalber", WatchAction::Replace),
            ("dr fake", WatchAction::Replace),
        ]);
        assert_eq!(
            l.scan("Ask Dr. Fake, the QUACKSALBER — ärgerlich!")
                .censored,
            "Ask ■■■, the ■■■ — ärgerlich!"
        );
        let l = list(&[("größe", WatchAction::Replace)]);
        assert_eq!(l.scan("Die Größe: 3").censored, "Die ■■■: 3");
        assert_eq!(l.scan("nothing").censored, "nothing");
    }

    #[test]
    fn two_thousand_entries_match_in_one_pass() {
        let words: Vec<(String, WatchAction)> = (0..2_000)
            .map(|i| (format!("watched{i} phrase"), WatchAction::Flag))
            .chain([("forbidden cure".to_string(), WatchAction::Block)])
            .collect();
        let l = WatchList::build(&words);
        let body = "An ordinary question about sleep after an infusion. ".repeat(100);
        assert_eq!(l.scan(&body).strongest, None);
        let found = l.scan(&format!("{body} watched1999 phrase and a forbidden cure"));
        assert_eq!(
            found.strongest,
            Some((WatchAction::Block, "forbidden cure".into()))
        );
    }

    #[test]
    fn the_map_points_back_to_what_was_written() {
        let mut map = Vec::new();
        let n = normalise_mapped("Aß!", Some(&mut map));
        assert_eq!(n, " ass ");
        assert_eq!(map, vec![0, 0, 1, 1, 3]);
        assert_eq!(n, super::super::crisis::normalise("Aß!"));
    }
}
