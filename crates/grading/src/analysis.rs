//! Tokenised views of the answer and the rubric texts, computed once per assessment.

use rustc_hash::FxHashSet as HashSet;

use crate::text::{segments, tokenize, Segment, Token};

/// A text split into tokens and sentences.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub segments: Vec<Segment>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Self {
        let tokens = tokenize(text);
        let segments = segments(text, &tokens);
        Self { text, tokens, segments }
    }

    pub fn words(&self) -> usize {
        self.tokens.len()
    }

    /// Content stems of the whole text.
    pub fn content_stems(&self) -> HashSet<&str> {
        self.tokens.iter().filter(|t| !t.stop).map(|t| t.stem.as_str()).collect()
    }

    /// Content stems of one segment.
    pub fn segment_stems(&self, seg: &Segment) -> HashSet<&str> {
        self.tokens[seg.tokens.clone()].iter().filter(|t| !t.stop).map(|t| t.stem.as_str()).collect()
    }

    /// Lower-cased tokens joined by single spaces, padded with spaces, for phrase lookup.
    pub fn normalized(&self, range: std::ops::Range<usize>) -> String {
        let mut s = String::from(" ");
        for t in &self.tokens[range] {
            s.push_str(&t.lower);
            s.push(' ');
        }
        s
    }
}

/// Normalises a lexicon phrase the way [`Doc::normalized`] normalises text.
pub(crate) fn normalize_phrase(p: &str) -> String {
    let toks = tokenize(p);
    let mut s = String::from(" ");
    for t in toks {
        s.push_str(&t.lower);
        s.push(' ');
    }
    s
}

/// Counts distinct lexicon entries present in normalised text. Single words of six or more letters
/// also match as prefixes (`redundan` matches `redundancy`).
pub(crate) fn lexicon_hits<'l>(normalized: &str, lexicon: &'static [&'l str]) -> Vec<&'l str> {
    // Normalised forms of each lexicon are computed once per process, keyed by the slice address.
    static CACHE: std::sync::LazyLock<
        std::sync::Mutex<rustc_hash::FxHashMap<usize, std::sync::Arc<Vec<String>>>>,
    > = std::sync::LazyLock::new(Default::default);
    let key = lexicon.as_ptr() as usize;
    let normalized_entries = {
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key)
            .or_insert_with(|| std::sync::Arc::new(lexicon.iter().map(|e| normalize_phrase(e)).collect()))
            .clone()
    };
    let mut hits = Vec::new();
    for (entry, p) in lexicon.iter().zip(normalized_entries.iter()) {
        if p.trim().is_empty() {
            continue;
        }
        let found = if normalized.contains(p.as_str()) {
            true
        } else if !p.trim().contains(' ') && p.trim().len() >= 6 {
            normalized.contains(&format!(" {}", p.trim()))
        } else {
            false
        };
        if found {
            hits.push(*entry);
        }
    }
    hits
}

/// Words that carry little meaning for matching even though they are not stopwords.
const GENERIC: &[&str] = &[
    "system", "servic", "data", "applic", "app", "ensur", "good", "import", "time", "work", "thing", "make",
    "sure", "right", "help", "issu", "problem", "approach", "solut", "process", "differ", "kind", "part",
    "case", "set", "level", "point", "abl", "need", "want", "know", "think", "look", "go", "take", "keep",
    "give", "first", "new", "also", "better", "best", "high", "low", "mean", "exampl", "typic", "usual",
    "general", "import", "key", "main", "real", "actual", "specif", "way", "thing", "term", "base", "handl",
    "manag", "provid", "support", "allow", "requir",
];

pub(crate) fn is_generic(stem: &str) -> bool {
    static SET: std::sync::LazyLock<HashSet<&'static str>> =
        std::sync::LazyLock::new(|| GENERIC.iter().copied().collect());
    SET.contains(stem)
}
