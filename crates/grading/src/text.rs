//! Tokens, stems, sentences and the small vocabularies the grader reasons with.
//!
//! Everything works on byte offsets into the original answer, so evidence can be shown to the user
//! exactly as they typed it. Stemming is a deliberately light suffix stripper: it only needs to
//! make `cached`, `caches` and `caching` meet, not to be linguistically right.

/// One word of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Lower-cased surface form.
    pub lower: String,
    /// Stem, after synonym folding.
    pub stem: String,
    /// Byte range in the source.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
    /// Whether it is a function word carrying no content.
    pub stop: bool,
}

/// A sentence (or bullet) of the input with its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Byte range start.
    pub start: usize,
    /// Byte range end (exclusive).
    pub end: usize,
    /// Indices into the token list of the tokens inside the segment.
    pub tokens: std::ops::Range<usize>,
}

const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "etc",
    "even",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "lets",
    "like",
    "make",
    "makes",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "need",
    "needs",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "per",
    "quite",
    "rather",
    "really",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "use",
    "used",
    "uses",
    "using",
    "very",
    "via",
    "was",
    "way",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "ll",
    "ve",
    "re",
    "s",
    "t",
    "d",
    "m",
    "don",
    "doesn",
    "isn",
    "aren",
    "won",
    "can't",
    "cannot",
    "want",
    "going",
    "gonna",
    "able",
    "yes",
    "okay",
    "ok",
    "say",
    "said",
    "every",
    "many",
    "lot",
    "lots",
    "something",
    "anything",
    "everything",
    "always",
];

/// Groups of words treated as one concept when matching. The first entry is the canonical stem.
/// Kept small and domain-general on purpose: each group must be safe in any infrastructure answer.
const SYNONYMS: &[&[&str]] = &[
    &["databas", "db", "dbs", "rdbms"],
    &["kubernet", "k8s", "kube"],
    &["configur", "config", "configs"],
    &["environ", "env", "envs"],
    &["product", "prod"],
    &["infrastructur", "infra"],
    &["repositori", "repo", "repos"],
    &["reduc", "lower", "decreas", "shrink", "shorten", "cut", "minim", "minimis", "minimiz", "trim"],
    &["increas", "rais", "rais", "boost", "bump", "grow", "higher", "larger"],
    &["fast", "quick", "rapid", "speedi"],
    &["rollback", "revert", "undo"],
    &["monitor", "observ", "watch", "track"],
    &["verifi", "confirm", "validat", "check"],
    &["delet", "remov", "destroy", "drop"],
    &["creat", "provision", "spin"],
    &["encrypt", "encrypt"],
    &["cost", "spend", "bill", "price", "expens", "money"],
    &["old", "previou", "legaci", "exist", "current"],
    &["start", "begin", "launch", "kick"],
    &["stop", "halt", "terminat", "kill"],
    &["larg", "big", "huge", "massiv"],
    &["small", "tini", "smaller"],
    &["error", "failur", "fault", "exception"],
    &["outag", "incid", "downtim"],
    &["secret", "credenti", "password", "token", "key"],
    &["permiss", "privileg", "access", "right"],
    &["replica", "copi", "duplicat", "mirror"],
    &["latenc", "delay", "lag"],
    &["region", "geographi"],
    &["instanc", "vm", "server", "host", "machin", "node"],
    &["contain", "docker"],
    &["alert", "page", "notif", "alarm"],
    &["log", "logging"],
    &["automat", "automation", "script"],
    &["test", "rehears", "drill", "exercis"],
    &["document", "doc", "runbook", "playbook", "wiki"],
    &["rotat", "renew", "refresh"],
    &["split", "partit", "shard", "divid"],
    &["queue", "buffer"],
    &["request", "call", "queri"],
    &["traffic", "load"],
    &["user", "customer"],
    &["team", "group"],
    &["ms", "millisecond"],
    &["sec", "second"],
    &["min", "minut"],
    &["hr", "hour"],
    &["pct", "percent"],
    &["avail", "uptim"],
    &["tls", "ssl", "https"],
    &["iam", "role", "polici"],
    &["cidr", "ip", "address"],
    &["gatewai", "gateway", "gw"],
    &["autoscal", "scal"],
    &["cach", "cdn"],
];

/// Antonym pairs (canonical stems). A key point stated with one side and an answer sentence using
/// the other, without the first, is a contradiction rather than evidence.
pub(crate) const ANTONYMS: &[(&str, &str)] = &[
    ("increas", "reduc"),
    ("stateful", "stateless"),
    ("synchron", "asynchron"),
    ("sync", "async"),
    ("befor", "after"),
    ("public", "privat"),
    ("inbound", "outbound"),
    ("ingress", "egress"),
    ("allow", "deni"),
    ("horizont", "vertic"),
    ("mutabl", "immutabl"),
    ("declar", "imper"),
    ("enabl", "disabl"),
    ("earli", "late"),
    ("short", "long"),
    ("push", "pull"),
    ("optimist", "pessimist"),
    ("fast", "slow"),
    ("cheap", "expens"),
    ("strong", "eventu"),
    ("l4", "l7"),
    ("insid", "outsid"),
    ("hot", "cold"),
    ("least", "most"),
    ("upper", "lower"),
    ("encrypt", "plaintext"),
    ("static", "dynam"),
    ("global", "local"),
];

/// Whether `word` (lower-case) is a function word.
pub fn is_stopword(word: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| STOPWORDS.iter().copied().collect());
    SET.contains(word)
}

/// Light suffix-stripping stemmer; see the module docs for why it is this simple.
pub fn stem(word: &str) -> String {
    let w = word.trim_end_matches("'s").trim_end_matches('\'');
    if w.len() <= 3 || w.chars().any(|c| c.is_ascii_digit()) || !w.is_ascii() {
        return w.to_owned();
    }
    let mut s = w.to_owned();
    let strip = |s: &mut String, suf: &str, rep: &str, min: usize| -> bool {
        if s.len() >= suf.len() + min && s.ends_with(suf) {
            s.truncate(s.len() - suf.len());
            s.push_str(rep);
            true
        } else {
            false
        }
    };
    // plurals
    if !(strip(&mut s, "sses", "ss", 2) || strip(&mut s, "ies", "i", 2)) && s.ends_with('s') {
        let keep = s.ends_with("ss") || s.ends_with("us") || s.ends_with("is") || s.len() <= 4;
        if !keep {
            s.pop();
        }
    }
    let _ = strip(&mut s, "ational", "at", 3)
        || strip(&mut s, "ation", "at", 3)
        || strip(&mut s, "ition", "it", 3)
        || strip(&mut s, "ments", "", 4)
        || strip(&mut s, "ment", "", 4)
        || strip(&mut s, "ness", "", 4)
        || strip(&mut s, "ingly", "", 3)
        || strip(&mut s, "edly", "", 3)
        || strip(&mut s, "ing", "", 3)
        || strip(&mut s, "ied", "i", 3)
        || strip(&mut s, "ed", "", 3)
        || strip(&mut s, "ally", "al", 3)
        || strip(&mut s, "ly", "", 4)
        || strip(&mut s, "ity", "", 4)
        || strip(&mut s, "ies", "i", 3)
        || strip(&mut s, "al", "", 5)
        || strip(&mut s, "ive", "", 4)
        || strip(&mut s, "ize", "", 3)
        || strip(&mut s, "ise", "", 3)
        || strip(&mut s, "er", "", 5);
    // undo doubled consonants left by -ing/-ed ("running" → "runn" → "run")
    let b = s.as_bytes();
    if b.len() >= 4 {
        let (x, y) = (b[b.len() - 1], b[b.len() - 2]);
        if x == y && !matches!(x, b'l' | b's' | b'z' | b'e' | b'o') && x.is_ascii_alphabetic() {
            s.pop();
        }
    }
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
    }
    if s.len() > 3 && s.ends_with('y') {
        s.pop();
        s.push('i');
    }
    s
}

/// The stem with synonym groups folded onto one canonical stem.
pub fn concept(word: &str) -> String {
    static MAP: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, &'static str>> =
        std::sync::LazyLock::new(|| {
            let mut m = rustc_hash::FxHashMap::default();
            for group in SYNONYMS {
                for g in group.iter() {
                    m.entry(*g).or_insert(group[0]);
                }
            }
            m
        });
    let st = stem(word);
    if let Some(c) = MAP.get(st.as_str()).or_else(|| MAP.get(word)) {
        return (*c).to_owned();
    }
    st
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

/// Splits text into word tokens with byte offsets. Dots stay inside tokens between alphanumerics
/// (`10.0.0.0`, `api.example.com`); hyphens and slashes split (`trade-off` → `trade`, `off`).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let push = |s: usize, e: usize, out: &mut Vec<Token>| {
        let raw = &text[s..e];
        let raw = raw.trim_matches('\'');
        if raw.is_empty() {
            return;
        }
        let lower = raw.to_lowercase();
        let stop = is_stopword(&lower);
        let stem = concept(&lower);
        out.push(Token { lower, stem, start: s, end: e, stop });
    };
    for (i, &(pos, c)) in chars.iter().enumerate() {
        let inner_dot = c == '.'
            && start.is_some()
            && i + 1 < chars.len()
            && chars[i + 1].1.is_alphanumeric()
            && i > 0
            && chars[i - 1].1.is_alphanumeric();
        if is_word_char(c) || inner_dot {
            if start.is_none() {
                start = Some(pos);
            }
        } else if let Some(s) = start.take() {
            push(s, pos, &mut out);
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut out);
    }
    out
}

/// Stems of the content words of `text`, for search indexes.
pub fn search_terms(text: &str) -> Vec<String> {
    tokenize(text).into_iter().filter(|t| !t.stop).map(|t| t.stem).collect()
}

/// Splits text into sentences and list items, returning their byte ranges and token ranges.
/// Very long sentences are cut at clause boundaries (`;`, `:`, ` - `) so evidence stays focused.
pub fn segments(text: &str, tokens: &[Token]) -> Vec<Segment> {
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let end_here = match c {
            // A line break ends a segment only at a paragraph break or before a list item or
            // heading; soft-wrapped lines of one sentence stay together.
            b'\n' => {
                let rest = text[i + 1..].trim_start_matches([' ', '\t']);
                rest.starts_with('\n')
                    || rest.starts_with("- ")
                    || rest.starts_with("* ")
                    || rest.starts_with('•')
                    || rest.starts_with('#')
                    || rest.split_once(['.', ')']).is_some_and(|(n, _)| {
                        !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
                    })
                    || text[start..i].trim_end().ends_with([':', '.', '!', '?'])
            }
            b'.' | b'!' | b'?' | b';' => {
                i + 1 >= bytes.len() || bytes[i + 1].is_ascii_whitespace() || bytes[i + 1] == b'"'
            }
            _ => false,
        };
        if end_here {
            bounds.push((start, i + 1));
            start = i + 1;
        }
        i += 1;
    }
    if start < bytes.len() {
        bounds.push((start, bytes.len()));
    }
    let mut out = Vec::new();
    let mut t = 0;
    for (s, e) in bounds {
        let slice = &text[s..e];
        let lead = slice.len() - slice.trim_start().len();
        let trail = slice.len() - slice.trim_end().len();
        let (s, e) = (s + lead, e - trail);
        if s >= e {
            continue;
        }
        while t < tokens.len() && tokens[t].start < s {
            t += 1;
        }
        let first = t;
        while t < tokens.len() && tokens[t].end <= e {
            t += 1;
        }
        if t > first {
            out.push(Segment { start: s, end: e, tokens: first..t });
        }
    }
    out
}

/// Markdown reduced to its words: code fences dropped, table rows turned into plain lines,
/// headings, quotes and emphasis markers removed. Model answers are Markdown; the grader reads them
/// as text, and derived key points should not contain `| --- |` or `**`.
pub fn plain_markdown(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut in_fence = false;
    for line in md.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            out.push('\n');
            continue;
        }
        if in_fence {
            continue;
        }
        if t.starts_with('|') {
            if t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            // A table row becomes one sentence of its cells.
            let cells: Vec<&str> =
                t.trim_matches('|').split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
            out.push_str(&cells.join(", "));
            out.push_str(".\n\n");
            continue;
        }
        let t = t.trim_start_matches('#').trim_start_matches('>').trim_start();
        let cleaned = t.replace("__", "").replace(['`', '*'], "");
        out.push_str(&cleaned);
        out.push('\n');
    }
    out
}

/// Words that negate the statement they sit in.
pub(crate) const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "don't",
    "doesn't",
    "isn't",
    "aren't",
    "won't",
    "can't",
    "cannot",
    "shouldn't",
    "wouldn't",
    "didn't",
    "without",
    "neither",
    "nor",
    "avoid",
    "instead",
    "myth",
    "wrong",
    "false",
    "don",
    "doesn",
    "isn",
    "aren",
    "won",
    "didn",
    "shouldn",
    "wouldn",
    "nothing",
    "none",
];

/// Whether a token (lower-case) is a negation cue.
pub(crate) fn is_negation(word: &str) -> bool {
    NEGATIONS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_bring_inflections_together() {
        for (a, b) in [
            ("cached", "caching"),
            ("caches", "cache"),
            ("migration", "migrate"),
            ("deployments", "deploy"),
            ("running", "run"),
            ("policies", "policy"),
            ("lowered", "lower"),
        ] {
            assert_eq!(concept(a), concept(b), "{a} vs {b}");
        }
    }

    #[test]
    fn synonyms_fold_to_one_concept() {
        assert_eq!(concept("db"), concept("databases"));
        assert_eq!(concept("reduce"), concept("lowering"));
        assert_eq!(concept("k8s"), concept("Kubernetes".to_lowercase().as_str()));
    }

    #[test]
    fn tokens_keep_byte_offsets_and_dotted_names() {
        let text = "Use 10.0.0.0/16 and api.example.com — café.";
        let toks = tokenize(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Use", "10.0.0.0", "16", "and", "api.example.com", "café"]);
    }

    #[test]
    fn markdown_is_read_as_plain_text() {
        let md = "## Plan\n**Lower** the `TTL`.\n\n| tier | route |\n|---|---|\n| public | igw |\n```\ncode here\n```\n- *bullet*";
        let plain = plain_markdown(md);
        assert!(!plain.contains('*') && !plain.contains('`') && !plain.contains('|') && !plain.contains('#'));
        assert!(plain.contains("Lower the TTL."));
        assert!(plain.contains("public, igw."));
        assert!(!plain.contains("code here"));
        assert!(plain.contains("- bullet"));
    }

    #[test]
    fn segments_split_sentences_and_bullets() {
        let text = "First point. Second one!\n- a bullet\n\nLast line\nwraps here";
        let toks = tokenize(text);
        let segs = segments(text, &toks);
        let s: Vec<&str> = segs.iter().map(|g| &text[g.start..g.end]).collect();
        assert_eq!(s, ["First point.", "Second one!", "- a bullet", "Last line\nwraps here"]);
    }
}
