//! Server-only synonym and abbreviation groups for search (`app/data/synonyms.txt`): a query's words are matched against the groups, longest phrase first, and each match becomes one slot of alternatives ("ms" → ms OR "multiple sclerosis").

use std::sync::OnceLock;

/// One place in a query: the alternatives that may fill it, each a phrase of one or more words.
pub type Slot = Vec<Vec<String>>;

fn groups() -> &'static [Vec<Vec<String>>] {
    static GROUPS: OnceLock<Vec<Vec<Vec<String>>>> = OnceLock::new();
    GROUPS.get_or_init(|| {
        include_str!("../../data/synonyms.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.split('|')
                    .map(|alt| {
                        alt.split_whitespace()
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                    .filter(|alt| !alt.is_empty())
                    .collect()
            })
            .collect()
    })
}

/// The query's words as slots: a word or phrase of a group becomes the whole group (longest
/// match first, so "multiple sclerosis" is one slot, not two); any other word is a slot of itself.
pub fn expand(words: &[String]) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut best: Option<(usize, &Vec<Vec<String>>)> = None;
        for group in groups() {
            for alt in group {
                let n = alt.len();
                if n > best.map_or(0, |b| b.0) && i + n <= words.len() && words[i..i + n] == alt[..]
                {
                    best = Some((n, group));
                }
            }
        }
        match best {
            Some((n, group)) => {
                slots.push(group.clone());
                i += n;
            }
            None => {
                slots.push(vec![vec![words[i].clone()]]);
                i += 1;
            }
        }
    }
    slots
}

/// Every word of every alternative, for highlighting.
pub fn all_words(slots: &[Slot]) -> Vec<String> {
    let mut out: Vec<String> = slots.iter().flatten().flatten().cloned().collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn abbreviations_and_phrases_become_one_slot() {
        let slots = expand(&w("ms fatigue"));
        assert_eq!(slots.len(), 2);
        assert!(slots[0].contains(&w("multiple sclerosis")));
        assert!(slots[1].contains(&w("fatigue")) && slots[1].contains(&w("tiredness")));
        let slots = expand(&w("multiple sclerosis diet"));
        assert_eq!(slots.len(), 2, "{slots:?}");
        assert!(slots[0].contains(&w("ms")));
        assert_eq!(slots[1], vec![w("diet")]);
        // The longest phrase wins: "primary progressive multiple sclerosis" is PPMS, not MS.
        let slots = expand(&w("primary progressive multiple sclerosis"));
        assert_eq!(slots.len(), 1);
        assert!(slots[0].contains(&w("ppms")));
        assert!(expand(&w("leukemia"))[0].contains(&w("leukaemia")));
        assert!(expand(&w("neurologist"))[0].contains(&w("neurology")));
    }

    #[test]
    fn every_group_is_well_formed() {
        for g in groups() {
            assert!(g.len() >= 2, "{g:?}");
            for alt in g {
                for word in alt {
                    assert!(
                        word.chars().all(|c| c.is_alphanumeric()) && *word == word.to_lowercase(),
                        "{word:?} would not survive clean_query"
                    );
                }
            }
        }
    }
}
