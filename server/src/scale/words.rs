//! The scale generator's text: a Zipf vocabulary (health words first, then syllables) and heavy-tailed counts.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline generator: its tables are sized from its own arguments, and it never serves a request"
)]

use super::*;

/// Samples ranks 0..n with probability proportional to 1 / (rank + 1)^s.
pub(super) struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    pub(super) fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let mut cdf = Vec::with_capacity(n);
        for r in 0..n {
            acc += 1.0 / ((r + 1) as f64).powf(s);
            cdf.push(acc);
        }
        for c in cdf.iter_mut() {
            *c /= acc;
        }
        Zipf { cdf }
    }

    pub(super) fn sample(&self, rng: &mut StdRng) -> usize {
        let u: f64 = rng.gen();
        self.cdf.partition_point(|c| *c < u).min(self.cdf.len() - 1)
    }
}

/// A count with mean `mean` and a heavy (Pareto, α = 1.6) tail, capped.
pub(super) fn heavy(rng: &mut StdRng, mean: f64, cap: u64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    let alpha = 1.6;
    let xm = mean * (alpha - 1.0) / alpha;
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    ((xm * u.powf(-1.0 / alpha)).floor() as u64).min(cap)
}

/// Words people write about their health, most frequent first; the rest of the vocabulary is
/// made of syllables (rarer and rarer, as in real text).
const TOP_WORDS: &[&str] = &[
    "the",
    "and",
    "to",
    "of",
    "my",
    "it",
    "is",
    "in",
    "for",
    "with",
    "have",
    "that",
    "was",
    "but",
    "on",
    "this",
    "not",
    "be",
    "had",
    "after",
    "about",
    "any",
    "has",
    "are",
    "so",
    "you",
    "from",
    "when",
    "what",
    "been",
    "now",
    "day",
    "feel",
    "doctor",
    "pain",
    "fatigue",
    "months",
    "week",
    "years",
    "started",
    "treatment",
    "dose",
    "side",
    "effects",
    "tired",
    "sleep",
    "medication",
    "symptoms",
    "blood",
    "test",
    "results",
    "appointment",
    "nurse",
    "clinic",
    "relapse",
    "scan",
    "mri",
    "neurologist",
    "diagnosis",
    "worse",
    "better",
    "morning",
    "night",
    "walking",
    "legs",
    "hands",
    "numbness",
    "tingling",
    "vision",
    "balance",
    "heat",
    "cold",
    "stress",
    "work",
    "family",
    "partner",
    "children",
    "support",
    "group",
    "advice",
    "question",
    "help",
    "worried",
    "anxious",
    "hope",
    "thanks",
    "exercise",
    "diet",
    "sugar",
    "insulin",
    "glucose",
    "levels",
    "tablets",
    "injection",
    "infusion",
    "hospital",
    "specialist",
    "waiting",
    "list",
    "referral",
    "therapy",
    "physio",
    "counselling",
    "steroids",
    "vitamin",
    "iron",
    "headache",
    "dizzy",
    "nausea",
    "rash",
    "weight",
    "appetite",
    "mood",
    "depression",
    "memory",
    "fog",
    "brain",
    "bladder",
    "bowel",
    "spasms",
    "stiffness",
    "cramps",
    "joints",
    "back",
    "neck",
    "eyes",
    "optic",
    "neuritis",
    "lesions",
    "progression",
    "remission",
    "flare",
    "trial",
    "study",
    "research",
    "leukaemia",
    "imatinib",
    "nilotinib",
    "dasatinib",
    "pcr",
    "bcr",
    "abl",
    "response",
    "molecular",
    "marrow",
    "count",
    "platelets",
    "white",
    "cells",
    "diabetes",
    "type",
    "pump",
    "sensor",
    "hypo",
    "hyper",
    "carbs",
    "meal",
    "breakfast",
    "lunch",
    "dinner",
    "coffee",
    "alcohol",
    "smoking",
    "travel",
    "holiday",
    "insurance",
    "benefits",
    "employer",
    "school",
    "pregnancy",
    "baby",
    "menopause",
    "hormones",
    "thyroid",
    "kidney",
    "liver",
    "heart",
    "pressure",
    "cholesterol",
    "swelling",
    "bruising",
    "infection",
    "fever",
    "flu",
    "vaccine",
    "covid",
    "immune",
    "system",
    "disease",
    "condition",
    "chronic",
    "daily",
    "weekly",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "tin", "sa", "ve", "ri", "dun", "po", "lek", "an", "os", "tri", "mal", "ze",
    "qua", "bor", "nit", "fe", "gal", "hu", "jor", "wen", "yas", "cle", "dro", "phi", "sku", "tor",
    "vin",
];

/// The generator's words, most frequent first.
pub fn vocabulary(size: usize) -> Vec<String> {
    let mut words: Vec<String> = TOP_WORDS.iter().map(|w| w.to_string()).collect();
    let mut seen: HashSet<String> = words.iter().cloned().collect();
    let mut i = 0usize;
    while words.len() < size {
        let mut n = i;
        let mut w = String::new();
        loop {
            w.push_str(SYLLABLES[n % SYLLABLES.len()]);
            n /= SYLLABLES.len();
            if n == 0 {
                break;
            }
        }
        if w.len() > 3 && seen.insert(w.clone()) {
            words.push(w);
        }
        i += 1;
    }
    words
}

/// Words in the Zipf vocabulary.
pub const VOCABULARY: usize = 6_000;

/// The long tail a real vocabulary has past its common words (names, drugs, misspellings): one
/// word per 20 posts, none of the Zipf vocabulary's. Three post bodies in ten end with one drawn
/// evenly, so each is in about six posts at any size, and a search for a rare word sees the same
/// few matches at ten thousand posts as at a million (a Zipf word of any rank is in a fixed
/// share of the posts: the rarest of 6,000 in some 500 of a million).
pub fn rare_words(posts: u64) -> Vec<String> {
    let n = usize::try_from(posts / 20)
        .unwrap_or(usize::MAX)
        .clamp(10, 1_000_000);
    vocabulary(VOCABULARY + n).split_off(VOCABULARY)
}

pub(super) fn sentence(
    rng: &mut StdRng,
    words: &[String],
    zipf: &Zipf,
    min: usize,
    max: usize,
) -> String {
    let n = rng.gen_range(min..=max);
    let mut s = String::with_capacity(n * 7);
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&words[zipf.sample(rng)]);
    }
    s
}
