//! Readability of English text: Flesch reading ease, Flesch–Kincaid grade and hints; the same code runs in the editor (wasm) and on the server.

use serde::{Deserialize, Serialize};

/// Published articles aim at this school grade or lower.
pub const TARGET_GRADE: f64 = 8.0;
/// Sentences longer than this many words get a hint.
pub const LONG_SENTENCE_WORDS: usize = 25;
/// Words with at least this many syllables count as long.
pub const LONG_WORD_SYLLABLES: usize = 4;

/// A sentence that is hard to read, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hint {
    /// The sentence as written (trimmed, at most 120 characters).
    pub sentence: String,
    pub words: usize,
    /// Long words in it, at most five.
    pub long_words: Vec<String>,
}

/// The scores of a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readability {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    /// Flesch reading ease: 0–100+, higher is easier (60–70 is plain English).
    pub reading_ease: f64,
    /// Flesch–Kincaid grade: the US school grade that can read it.
    pub grade: f64,
    pub hints: Vec<Hint>,
}

impl Readability {
    pub fn meets_target(&self) -> bool {
        self.words > 0 && self.grade <= TARGET_GRADE
    }

    /// "Grade 7.2 · reading ease 68" (shown within 0–18 and 0–100: the formulas run past both
    /// ends for very easy or very hard text).
    pub fn summary(&self) -> String {
        format!(
            "Grade {:.1} · reading ease {:.0}",
            self.grade.clamp(0.0, 18.0),
            self.reading_ease.clamp(0.0, 100.0)
        )
    }
}

/// Syllables in one English word, by the usual vowel-group rules (exact for common words,
/// close for the rest, like every automatic counter).
#[allow(
    clippy::indexing_slicing,
    reason = "every index is checked against the word's length in the same condition"
)]
pub fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if w.is_empty() {
        return 0;
    }
    if w.len() <= 3 {
        return 1;
    }
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut end = w.len();
    // A silent final "e" ("cake"), but not "-le" after a consonant ("table").
    if w[end - 1] == 'e' && (w[end - 2] != 'l' || is_vowel(w[end - 3])) {
        end -= 1;
    } else if end > 3 && w[end - 2] == 'e' && matches!(w[end - 1], 'd' | 's') {
        // "-ed" and "-es" are silent unless after t/d ("wanted") or s/x/z/ch/sh ("boxes").
        let before = w[end - 3];
        let voiced = match w[end - 1] {
            'd' => matches!(before, 't' | 'd'),
            _ => {
                matches!(before, 's' | 'x' | 'z' | 'c' | 'g')
                    || (before == 'h' && matches!(w[end - 4], 'c' | 's'))
            }
        };
        if !voiced && !is_vowel(before) {
            end -= 2;
        }
    }
    let w = &w[..end];
    let mut count = 0;
    let mut prev_vowel = false;
    for (i, &c) in w.iter().enumerate() {
        let vowel = is_vowel(c) && !(c == 'y' && i == 0);
        if vowel && !prev_vowel {
            count += 1;
        }
        // "ia", "io" and "eo" are usually two syllables ("australian", "radio", "video"),
        // except "-cia-", "-tia-", "-sia-" and "-tio-", "-sio-", "-cio-" ("special", "nation").
        if i > 0 && vowel && prev_vowel {
            let pair = (w[i - 1], c);
            let soft = i >= 2 && matches!(w[i - 2], 'c' | 't' | 's' | 'g');
            if matches!(pair, ('i', 'a') | ('i', 'o') | ('e', 'o') | ('i', 'u')) && !soft {
                count += 1;
            }
        }
        prev_vowel = vowel;
    }
    count.max(1)
}

/// Plain text from light Markdown: headings, emphasis, code marks, link targets and list bullets go.
fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let t = line.trim_start();
        let t = t.trim_start_matches(['#', '>', '-', '*', '+']).trim_start();
        let t = t
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches(['.', ')'])
            .trim_start();
        let mut rest = t;
        // [text](url) → text
        while let Some(open) = rest.find('[') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match (after.find("]("), after.find(')')) {
                (Some(close), Some(paren)) if close < paren => {
                    out.push_str(&after[..close]);
                    rest = &after[paren + 1..];
                }
                _ => {
                    out.push('[');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        // A line break inside a paragraph joins; a blank line or a list item ends a sentence.
        out.push(if line.trim().is_empty() { '\n' } else { ' ' });
        if t.len() != line.trim_start().len() || line.trim().is_empty() {
            out.push('\n');
        }
    }
    out.replace(['*', '_', '`'], "")
}

/// "Dr." or "e.g." at the end of `text`: a full stop that does not end the sentence.
fn ends_with_abbreviation(text: &str) -> bool {
    let last = text
        .trim_end_matches('.')
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        last.as_str(),
        "dr" | "mr" | "mrs" | "prof" | "e.g" | "i.e" | "etc" | "vs" | "approx"
    )
}

/// Scores a text (Markdown allowed). Empty text scores zero words and no grade.
pub fn score(text: &str) -> Readability {
    let text = plain(text);
    let mut sentences = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            sentences.push(std::mem::take(&mut current));
            continue;
        }
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1).is_none_or(|n| n.is_whitespace())
            && !(c == '.' && ends_with_abbreviation(&current));
        if ends {
            sentences.push(std::mem::take(&mut current));
        }
    }
    sentences.push(current);
    let (mut total_sentences, mut total_words, mut total_syllables) = (0, 0, 0);
    let mut hints = Vec::new();
    for s in sentences {
        let words: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == '/' || c == '—')
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect();
        if words.is_empty() {
            continue;
        }
        total_sentences += 1;
        total_words += words.len();
        let mut long_words = Vec::new();
        for w in &words {
            let n = syllables(w);
            total_syllables += n;
            if n >= LONG_WORD_SYLLABLES
                && long_words.len() < 5
                && !long_words.contains(&w.to_string())
            {
                long_words.push(w.to_string());
            }
        }
        if words.len() > LONG_SENTENCE_WORDS || long_words.len() >= 2 {
            let sentence: String = s.trim().chars().take(120).collect();
            hints.push(Hint {
                sentence,
                words: words.len(),
                long_words,
            });
        }
    }
    if total_words == 0 {
        return Readability {
            sentences: 0,
            words: 0,
            syllables: 0,
            reading_ease: 0.0,
            grade: 0.0,
            hints,
        };
    }
    let wps = total_words as f64 / total_sentences as f64;
    let spw = total_syllables as f64 / total_words as f64;
    Readability {
        sentences: total_sentences,
        words: total_words,
        syllables: total_syllables,
        reading_ease: 206.835 - 1.015 * wps - 84.6 * spw,
        grade: 0.39 * wps + 11.8 * spw - 15.59,
        hints,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllable_counts() {
        for (word, n) in [
            ("the", 1),
            ("cat", 1),
            ("cake", 1),
            ("table", 2),
            ("syllable", 3),
            ("walked", 1),
            ("wanted", 2),
            ("boxes", 2),
            ("readability", 5),
            ("australian", 4),
            ("reptilian", 4),
            ("platypus", 3),
            ("seemingly", 3),
            ("creature", 2),
            ("hybrid", 2),
            ("mammal", 2),
            ("special", 2),
            ("nation", 2),
            ("radio", 3),
            ("yes", 1),
            ("why", 1),
            ("MS", 1),
            ("2026", 0),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn published_reference_scores() {
        // Wikipedia, "Flesch–Kincaid readability tests": "The cat sat on the mat." scores 116.
        let r = score("The cat sat on the mat.");
        assert_eq!((r.sentences, r.words, r.syllables), (1, 6, 6));
        assert!((r.reading_ease - 116.1).abs() < 0.1, "{}", r.reading_ease);
        // The same article: the platypus sentence has 13 words and 26 syllables and scores 24.4.
        let r = score(
            "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.",
        );
        assert_eq!((r.words, r.syllables), (13, 26));
        assert!((r.reading_ease - 24.4).abs() < 0.1, "{}", r.reading_ease);
        assert!(r.grade > 12.0 && !r.meets_target());
    }

    #[test]
    fn plain_language_meets_the_target_and_hints_point_at_hard_sentences() {
        let easy = "MS can make you feel very tired. This is called fatigue. \
                    Rest before you get too tired. A short walk each day can help.";
        let r = score(easy);
        assert!(r.meets_target(), "{}", r.summary());
        assert!(r.hints.is_empty());
        let hard = "Immunomodulatory pharmacotherapy considerably diminishes the probability of \
                    subsequent demyelinating exacerbations in individuals experiencing relapsing \
                    presentations of the condition, according to numerous longitudinal investigations.";
        let r = score(hard);
        assert!(!r.meets_target());
        assert_eq!(r.hints.len(), 1);
        assert!(r.hints[0]
            .long_words
            .contains(&"Immunomodulatory".to_string()));
        assert!(score("").words == 0 && !score("").meets_target());
        // Very easy text runs below grade 0; it is shown as 0.
        assert!(score("Go. Sit. Eat.").grade < 0.0);
        assert!(score("Go. Sit. Eat.")
            .summary()
            .starts_with("Grade 0.0 · reading ease 100"));
    }

    #[test]
    fn markdown_and_lists_are_read_as_text() {
        let r = score("# What is a relapse?\n\n- New symptoms\n- Old symptoms coming back\n\nSee [the MS Trust](https://mstrust.org.uk).");
        assert_eq!(r.sentences, 4, "{r:?}");
        assert!(!r.hints.iter().any(|h| h.sentence.contains("http")));
        // Abbreviations do not end sentences.
        assert_eq!(
            score("Ask Dr. Okafor, e.g. at your next visit.").sentences,
            1
        );
    }
}
