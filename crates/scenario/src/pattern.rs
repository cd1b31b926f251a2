//! Command patterns: how a pack author says which typed commands a scenario understands.
//!
//! People type the same command many ways (`kubectl get pods -n shop`, `kubectl -n shop get po`),
//! so a pattern is a compact word template compiled to an anchored regex over the *normalised*
//! input (see [`normalize`]):
//!
//! | item | matches |
//! |---|---|
//! | `word` | that word |
//! | `a\|b\|c` | one of the words |
//! | `*orders.example.com*` | a word, with `*` matching any characters inside it |
//! | `<name>` | any one argument, captured as `name` (outputs may say `{{name}}`) |
//! | `<name...>` | one or more remaining arguments, captured |
//! | `...` | anything or nothing from here on |
//! | `\|` (alone) | a literal pipe: the pattern covers a whole pipeline |
//! | `[ items ]` | the items, optionally (nests; brackets may touch words: `[-n shop]`) |
//!
//! A pattern starting with `re:` is a raw regular expression, anchored at both ends.
//!
//! Compiling builds each item as `" " + fragment` and matches against `" " + input`, so optional
//! groups carry their own separators and never leave double spaces to account for.

use regex::Regex;

/// A compiled command pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: Regex,
}

/// Why a pattern does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// The pattern is blank.
    #[error("empty pattern")]
    Empty,
    /// `[` without `]`, or the reverse.
    #[error("unbalanced `[` `]` in pattern `{0}`")]
    Unbalanced(String),
    /// A `<...>` placeholder is malformed.
    #[error("bad placeholder `{0}`: write `<name>` or `<name...>` with letters, digits or `_`")]
    Placeholder(String),
    /// The regex (raw, or compiled from the template) is invalid.
    #[error("invalid regex: {0}")]
    Regex(String),
}

impl Pattern {
    /// Compiles a template or `re:` pattern.
    pub fn new(source: &str) -> Result<Self, PatternError> {
        let body = if let Some(raw) = source.strip_prefix("re:") {
            let raw = raw.trim();
            if raw.is_empty() {
                return Err(PatternError::Empty);
            }
            // Raw regexes see the input with its leading space too; allow it silently.
            format!("^ ?(?:{raw})$")
        } else {
            format!("^{}$", compile_template(source)?)
        };
        let regex = Regex::new(&body).map_err(|e| PatternError::Regex(first_line(&e.to_string())))?;
        Ok(Self { source: source.to_owned(), regex })
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Matches normalised input; on success returns the named captures.
    pub fn captures(&self, normalized: &str) -> Option<Vec<(String, String)>> {
        let haystack = format!(" {normalized}");
        let caps = self.regex.captures(&haystack)?;
        Some(
            self.regex
                .capture_names()
                .flatten()
                .filter_map(|n| caps.name(n).map(|m| (n.to_owned(), m.as_str().trim().to_owned())))
                .collect(),
        )
    }

    /// Whether the pattern describes a pipeline (a standalone `|` word, or `\|` in a regex).
    pub fn has_pipe(&self) -> bool {
        match self.source.strip_prefix("re:") {
            Some(raw) => raw.contains("\\|"),
            None => self.source.split_whitespace().any(|w| w == "|"),
        }
    }

    /// The first word a matching command starts with, when the pattern fixes it (for `help`).
    pub fn tool(&self) -> Option<&str> {
        if self.source.starts_with("re:") {
            return None;
        }
        let first = self.source.split_whitespace().next()?;
        let first = first.split('|').next()?;
        let ok = !first.is_empty() && !first.starts_with(['[', '<', '.']);
        ok.then_some(first)
    }
}

fn first_line(s: &str) -> String {
    s.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or(s).to_owned()
}

/// Splits a template into items, treating `[` and `]` as items of their own.
fn items(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in source.split_whitespace() {
        let mut rest = word;
        while let Some(r) = rest.strip_prefix('[') {
            out.push("[".to_owned());
            rest = r;
        }
        let mut closing = 0;
        while let Some(r) = rest.strip_suffix(']') {
            closing += 1;
            rest = r;
        }
        if !rest.is_empty() {
            // `--flag=value` is written either way; both normalise to two words.
            match split_long_flag(rest) {
                Some((flag, value)) => {
                    out.push(flag.to_owned());
                    out.push(value.to_owned());
                }
                None => out.push(rest.to_owned()),
            }
        }
        out.extend(std::iter::repeat_n("]".to_owned(), closing));
    }
    out
}

fn split_long_flag(word: &str) -> Option<(&str, &str)> {
    if !word.starts_with("--") || word.contains('|') || word.contains('<') {
        return None;
    }
    word.split_once('=').filter(|(f, v)| f.len() > 2 && !v.is_empty())
}

fn compile_template(source: &str) -> Result<String, PatternError> {
    let items = items(source);
    if items.is_empty() {
        return Err(PatternError::Empty);
    }
    let mut out = String::new();
    let mut depth = 0usize;
    let mut names: Vec<String> = Vec::new();
    for item in &items {
        match item.as_str() {
            "[" => {
                depth += 1;
                out.push_str("(?:");
            }
            "]" => {
                depth = depth.checked_sub(1).ok_or_else(|| PatternError::Unbalanced(source.to_owned()))?;
                out.push_str(")?");
            }
            "..." => out.push_str("(?: .*)?"),
            "|" => out.push_str(r" \|"),
            word if word.contains('<') => out.push_str(&format!(" {}", placeholders(word, &mut names)?)),
            word => {
                // `*` inside a word is a shell-style wildcard within that word.
                let alts: Vec<String> = word
                    .split('|')
                    .map(|a| a.split('*').map(regex::escape).collect::<Vec<_>>().join(r"\S*"))
                    .collect();
                if alts.iter().any(String::is_empty) {
                    return Err(PatternError::Regex(format!("empty alternative in `{word}`")));
                }
                if alts.len() == 1 {
                    out.push(' ');
                    out.push_str(&alts[0]);
                } else {
                    out.push_str(&format!(" (?:{})", alts.join("|")));
                }
            }
        }
    }
    if depth != 0 {
        return Err(PatternError::Unbalanced(source.to_owned()));
    }
    Ok(out)
}

/// Compiles a word with `<name>` / `<name...>` placeholders, alone (`<pod>`) or inside literal
/// text (`@<server>`, `deploy/<name>`).
fn placeholders(word: &str, names: &mut Vec<String>) -> Result<String, PatternError> {
    let bad = || PatternError::Placeholder(word.to_owned());
    let mut out = String::new();
    let mut rest = word;
    while let Some(open) = rest.find('<') {
        out.push_str(&regex::escape(&rest[..open]));
        let close = rest[open..].find('>').ok_or_else(bad)? + open;
        let inner = &rest[open + 1..close];
        let (name, greedy) = match inner.strip_suffix("...") {
            Some(n) => (n, true),
            None => (inner, false),
        };
        let valid = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if !valid {
            return Err(bad());
        }
        let body = if greedy { ".+" } else { r"\S+" };
        // A name used twice captures once; the second occurrence still matches.
        if names.iter().any(|n| n == name) {
            out.push_str(body);
        } else {
            names.push(name.to_owned());
            out.push_str(&format!("(?P<{name}>{body})"));
        }
        rest = &rest[close + 1..];
    }
    if rest.contains('>') {
        return Err(bad());
    }
    out.push_str(&regex::escape(rest));
    Ok(out)
}

/// Normalises what the user typed so patterns need not list cosmetic variants: trims, collapses
/// whitespace, drops quotes and a leading `sudo`, and splits `--flag=value` into two words.
pub fn normalize(input: &str) -> String {
    let unquoted: String = input.chars().filter(|c| !matches!(c, '"' | '\'')).collect();
    let mut words: Vec<&str> = Vec::new();
    for w in unquoted.split_whitespace() {
        match split_long_flag(w) {
            Some((f, v)) => {
                words.push(f);
                words.push(v);
            }
            None => words.push(w),
        }
    }
    while words.first() == Some(&"sudo") {
        words.remove(0);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, input: &str) -> bool {
        Pattern::new(pattern).expect("pattern compiles").captures(&normalize(input)).is_some()
    }

    #[test]
    fn optional_groups_and_alternatives_accept_the_variants_people_type() {
        let p = "kubectl [-n|--namespace shop] get pods|pod|po [-n|--namespace shop] [-o wide]";
        for input in [
            "kubectl get pods",
            "kubectl get po -n shop",
            "kubectl -n shop get pods",
            "kubectl   get pod --namespace=shop -o wide",
            "sudo kubectl get pods --namespace shop",
        ] {
            assert!(matches(p, input), "{input}");
        }
        for input in ["kubectl get pods -n default", "kubectl get podz", "kubectl get"] {
            assert!(!matches(p, input), "{input}");
        }
    }

    #[test]
    fn placeholders_capture_arguments_by_name() {
        let p = Pattern::new("kubectl describe pod|po <pod> [-n shop]").expect("compiles");
        let caps = p.captures(&normalize("kubectl describe po checkout-1 -n shop")).expect("matches");
        assert_eq!(caps, [("pod".to_owned(), "checkout-1".to_owned())]);
        let p = Pattern::new("dig @<server> <name>").expect("compiles");
        let caps = p.captures("dig @8.8.8.8 example.com").expect("matches");
        assert_eq!(caps[0], ("server".to_owned(), "8.8.8.8".to_owned()));
    }

    #[test]
    fn rest_placeholder_and_ellipsis_take_the_remaining_words() {
        assert!(matches("du -sh <paths...>", "du -sh /var/log/*"));
        assert!(matches("curl ...", "curl"));
        assert!(matches("curl ...", "curl -v https://shop.example.com/health"));
        assert!(!matches("du -sh <paths...>", "du -sh"));
    }

    #[test]
    fn long_flags_with_equals_match_either_spelling() {
        let p = "kubectl set resources deployment/checkout --limits=memory=1Gi";
        assert!(matches(p, "kubectl set resources deployment/checkout --limits memory=1Gi"));
        assert!(matches(p, "kubectl set resources deployment/checkout --limits=memory=1Gi"));
    }

    #[test]
    fn a_lone_pipe_is_a_literal_pipeline_step() {
        let p = Pattern::new("echo | openssl s_client -connect <host> ... | openssl x509 -noout -dates")
            .expect("ok");
        assert!(p.has_pipe());
        assert!(p
            .captures(&normalize(
                "echo | openssl s_client -connect a:443 -servername a | openssl x509 -noout -dates"
            ))
            .is_some());
    }

    #[test]
    fn a_star_inside_a_word_matches_any_characters_of_that_word() {
        assert!(matches("curl ... *orders.example.com* ...", "curl -sv https://orders.example.com/api"));
        assert!(matches("du -sh /var/log/*", "du -sh /var/log/*"));
        assert!(!matches("curl *orders.example.com*", "curl -v https://orders.example.com/"));
    }

    #[test]
    fn raw_regexes_are_anchored() {
        assert!(matches("re:df( -h)?", "df -h"));
        assert!(!matches("re:df( -h)?", "df -hT"));
    }

    #[test]
    fn malformed_patterns_are_errors_not_panics() {
        assert_eq!(Pattern::new("  ").unwrap_err(), PatternError::Empty);
        assert!(matches!(Pattern::new("kubectl [get").unwrap_err(), PatternError::Unbalanced(_)));
        assert!(matches!(Pattern::new("kubectl get]").unwrap_err(), PatternError::Unbalanced(_)));
        assert!(matches!(Pattern::new("kubectl <po d>").unwrap_err(), PatternError::Placeholder(_)));
        assert!(matches!(Pattern::new("kubectl <1x>").unwrap_err(), PatternError::Placeholder(_)));
        assert!(matches!(Pattern::new("re:(unclosed").unwrap_err(), PatternError::Regex(_)));
    }

    #[test]
    fn the_tool_is_the_first_fixed_word() {
        assert_eq!(Pattern::new("kubectl|k get pods").expect("ok").tool(), Some("kubectl"));
        assert_eq!(Pattern::new("re:top").expect("ok").tool(), None);
    }
}
