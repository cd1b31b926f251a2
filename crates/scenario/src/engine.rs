//! A run of a scenario: the pure state machine behind the shell-like session.
//!
//! The engine never reads a clock or a terminal. Front ends pass the elapsed time with every
//! command, so a scripted test, the CLI and a web page all get the same answers and the same debrief
//! for the same inputs.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::model::{Kind, Scenario};
use crate::pattern::{normalize, Pattern};

/// Longest input line the engine looks at; longer lines are cut (nobody types more).
const MAX_INPUT: usize = 4096;

/// What kind of line the candidate typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResponseKind {
    /// A blank line.
    Empty,
    /// A read-only command whose output bears on the fault.
    Evidence,
    /// A harmless read-only command.
    Info,
    /// A command that changes (or tries to change) the system.
    Action,
    /// A session command: `help`, `hint`, `notes`, `history`.
    Session,
    /// Something this scenario does not simulate.
    Unknown,
    /// `solve` / `root-cause` / `exit`: the candidate wants to explain and finish.
    Finish,
}

/// The answer to one typed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    /// What the terminal prints (may be empty).
    pub output: String,
    /// What kind of line it was.
    pub kind: ResponseKind,
    /// The system moved to another state.
    pub state_changed: bool,
    /// The action is one an interviewer would stop you for. Front ends should not reveal this
    /// until the debrief.
    pub risky: bool,
    /// The system is now in a solved state.
    pub solved: bool,
    /// The candidate asked to finish: ask for the written explanation, then call [`Run::finish`].
    pub finish_requested: bool,
}

/// One line of the session log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Elapsed time when it was typed.
    #[serde(rename = "at_secs", serialize_with = "secs")]
    pub at: Duration,
    /// The line as typed.
    pub input: String,
    /// What it was.
    pub kind: ResponseKind,
}

pub(crate) fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_secs())
}

/// A clue the candidate uncovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub id: String,
    pub at: Duration,
    pub before_action: bool,
}

/// A risky action the candidate took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Risk {
    pub command: String,
    pub reason: String,
    pub at: Duration,
}

/// A session in progress.
#[derive(Debug, Clone)]
pub struct Run<'s> {
    pub(crate) scenario: &'s Scenario,
    pub(crate) state: String,
    pub(crate) log: Vec<Entry>,
    pub(crate) hints_used: usize,
    pub(crate) notes: Vec<(Duration, String)>,
    pub(crate) found: Vec<Found>,
    pub(crate) first_action: Option<Duration>,
    pub(crate) solved_at: Option<Duration>,
    pub(crate) risks: Vec<Risk>,
}

impl<'s> Run<'s> {
    /// Starts a run in the scenario's initial state.
    pub fn new(scenario: &'s Scenario) -> Self {
        Self {
            scenario,
            state: scenario.initial_state.clone(),
            log: Vec::new(),
            hints_used: 0,
            notes: Vec::new(),
            found: Vec::new(),
            first_action: None,
            solved_at: None,
            risks: Vec::new(),
        }
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// The current state id.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// Whether the system is in a solved state.
    pub fn is_solved(&self) -> bool {
        self.scenario.state(&self.state).is_some_and(|s| s.solved)
    }

    /// Every line typed so far.
    pub fn log(&self) -> &[Entry] {
        &self.log
    }

    /// How many hints were shown.
    pub fn hints_used(&self) -> usize {
        self.hints_used
    }

    /// Runs one typed line at `elapsed` since the start.
    pub fn execute(&mut self, input: &str, elapsed: Duration) -> Response {
        let input = cut(input.trim(), MAX_INPUT);
        let mut r = self.respond(input, elapsed);
        r.solved = self.is_solved();
        if r.kind != ResponseKind::Empty {
            self.log.push(Entry { at: elapsed, input: input.to_owned(), kind: r.kind });
        }
        r
    }

    fn respond(&mut self, input: &str, elapsed: Duration) -> Response {
        let blank = |kind, output: String| Response {
            output,
            kind,
            state_changed: false,
            risky: false,
            solved: false,
            finish_requested: false,
        };
        let mut words = input.split_whitespace();
        let Some(first) = words.next() else { return blank(ResponseKind::Empty, String::new()) };
        let rest = input[first.len()..].trim();
        match first {
            "help" | "?" => return blank(ResponseKind::Session, self.help()),
            "hint" => return blank(ResponseKind::Session, self.hint()),
            "notes" | "note" => {
                if rest.is_empty() {
                    return blank(ResponseKind::Session, self.notes_text());
                }
                self.notes.push((elapsed, rest.to_owned()));
                return blank(ResponseKind::Session, "noted.".to_owned());
            }
            "history" => return blank(ResponseKind::Session, self.history_text()),
            "solve" | "root-cause" | "exit" | "quit" | "logout" => {
                let mut r = blank(ResponseKind::Finish, String::new());
                r.finish_requested = true;
                return r;
            }
            "clear" => return blank(ResponseKind::Session, String::new()),
            _ => {}
        }

        // A pattern may describe a whole pipeline (`echo | openssl s_client … | openssl x509 …`);
        // otherwise the first stage is the command and the rest filter its output.
        let whole = normalize(input);
        if whole.contains('|') && self.matches_pipeline(&whole) {
            return self.run_command(&whole, elapsed);
        }
        let segments = split_pipes(input);
        let command = normalize(segments[0]);
        let mut r = self.run_command(&command, elapsed);
        for filter in &segments[1..] {
            r.output = apply_filter(filter, &r.output);
        }
        r
    }

    /// Whether a pattern that itself spells out a pipe matches the whole line.
    fn matches_pipeline(&self, command: &str) -> bool {
        let sc = self.scenario;
        sc.commands
            .iter()
            .flat_map(|c| &c.patterns)
            .chain(sc.actions.iter().flat_map(|a| &a.patterns))
            .any(|p| p.has_pipe() && p.captures(command).is_some())
    }

    fn run_command(&mut self, command: &str, elapsed: Duration) -> Response {
        let sc = self.scenario;
        let state = self.state.clone();
        let mut r = Response {
            output: String::new(),
            kind: ResponseKind::Unknown,
            state_changed: false,
            risky: false,
            solved: false,
            finish_requested: false,
        };
        // An action that applies here wins; then read-only commands; then an action typed in a
        // state where it changes nothing.
        let applicable = sc.actions.iter().find_map(|a| {
            if !a.applies_in(&state) {
                return None;
            }
            first_match(&a.patterns, command).map(|caps| (a, caps))
        });
        let action = applicable.or_else(|| {
            if sc.commands.iter().any(|c| first_match(&c.patterns, command).is_some()) {
                return None;
            }
            sc.actions.iter().find_map(|a| first_match(&a.patterns, command).map(|caps| (a, caps)))
        });
        if let Some((a, caps)) = action {
            r.kind = ResponseKind::Action;
            r.output = substitute(a.output_in(&state), &caps);
            if self.first_action.is_none() {
                self.first_action = Some(elapsed);
            }
            // An action is risky where it applies: `systemctl restart` may be reckless while the
            // disk is full and the right move once the file is deleted.
            if let (Some(reason), true) = (&a.risky, a.applies_in(&state)) {
                r.risky = true;
                self.risks.push(Risk { command: command.to_owned(), reason: reason.clone(), at: elapsed });
            }
            if let (true, Some(to)) = (a.applies_in(&state), &a.to) {
                if *to != state {
                    self.state.clone_from(to);
                    r.state_changed = true;
                    if self.is_solved() && self.solved_at.is_none() {
                        self.solved_at = Some(elapsed);
                    }
                }
            }
            return r;
        }
        if let Some((c, caps)) =
            sc.commands.iter().find_map(|c| first_match(&c.patterns, command).map(|caps| (c, caps)))
        {
            r.kind = match c.kind {
                Kind::Evidence => ResponseKind::Evidence,
                Kind::Info => ResponseKind::Info,
            };
            r.output = substitute(c.output_in(&state).unwrap_or(""), &caps);
            let unresolved = !self.is_solved();
            if let (Kind::Evidence, Some(clue), true) = (c.kind, &c.clue, unresolved) {
                if !self.found.iter().any(|f| &f.id == clue) {
                    self.found.push(Found {
                        id: clue.clone(),
                        at: elapsed,
                        before_action: self.first_action.is_none(),
                    });
                }
            }
            return r;
        }
        r.output = unknown(command, &sc.tools());
        r
    }

    /// The next hint, counting it.
    fn hint(&mut self) -> String {
        match self.scenario.hints.get(self.hints_used) {
            Some(h) => {
                self.hints_used += 1;
                format!("hint {}/{}: {h}", self.hints_used, self.scenario.hints.len())
            }
            None => "no more hints: trust your evidence.".to_owned(),
        }
    }

    /// What `help` prints: kinds of tools, never the answers.
    pub fn help(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "This is a simulated system: commands print what the real tools would.");
        let _ = writeln!(out, "Tools available here: {}", self.scenario.tools().join(", "));
        let _ = writeln!(out, "Pipes into grep, head, tail, wc -l, sort and less work as usual.");
        let _ = writeln!(out, "Session commands:");
        let _ = writeln!(out, "  help          this list");
        let _ = writeln!(out, "  hint          a nudge (each one costs a little score)");
        let _ = writeln!(out, "  notes [TEXT]  add a note, or show your notes");
        let _ = writeln!(out, "  history       the commands you ran");
        let _ = write!(out, "  solve         you know the root cause: stop the clock and explain it");
        out
    }

    fn notes_text(&self) -> String {
        if self.notes.is_empty() {
            return "no notes yet: `notes TEXT` adds one.".to_owned();
        }
        self.notes.iter().map(|(at, n)| format!("[{}] {n}", clock(*at))).collect::<Vec<_>>().join("\n")
    }

    fn history_text(&self) -> String {
        self.log
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    ResponseKind::Evidence
                        | ResponseKind::Info
                        | ResponseKind::Action
                        | ResponseKind::Unknown
                )
            })
            .enumerate()
            .map(|(i, e)| format!("{:>4}  [{}] {}", i + 1, clock(e.at), e.input))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `mm:ss` for a duration (hours roll into minutes).
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}", s / 60, s % 60)
}

fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn first_match(patterns: &[Pattern], command: &str) -> Option<Vec<(String, String)>> {
    patterns.iter().find_map(|p| p.captures(command))
}

/// Replaces `{{name}}` with captured arguments.
fn substitute(text: &str, caps: &[(String, String)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in caps {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

fn unknown(command: &str, tools: &[&str]) -> String {
    let word = command.split_whitespace().next().unwrap_or_default();
    if tools.contains(&word) {
        format!(
            "{word}: this invocation is not simulated in this scenario. Type `help` for the tools available."
        )
    } else {
        format!("bash: {word}: command not found (not available in this scenario; type `help`)")
    }
}

/// Splits on `|` outside quotes.
fn split_pipes(input: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in input.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                out.push(input[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(input[start..].trim());
    out
}

/// Applies one pipe stage (`grep`, `head`, `tail`, `wc -l`, `sort`, `less`) to `text`.
fn apply_filter(stage: &str, text: &str) -> String {
    let words: Vec<String> = shell_words(stage);
    let Some(cmd) = words.first() else { return text.to_owned() };
    let args = &words[1..];
    let lines: Vec<&str> = text.lines().collect();
    let count = |args: &[String]| -> usize {
        let mut n = 10;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "-n" {
                n = it.next().and_then(|v| v.trim_start_matches('+').parse().ok()).unwrap_or(n);
            } else if let Some(v) = a.strip_prefix("-n").or_else(|| a.strip_prefix('-')) {
                n = v.parse().unwrap_or(n);
            }
        }
        n
    };
    match cmd.as_str() {
        "grep" | "egrep" => grep(args, &lines, cmd == "egrep"),
        "head" => lines.iter().take(count(args)).copied().collect::<Vec<_>>().join("\n"),
        "tail" => {
            let n = count(args);
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        "wc" => match args.first().map(String::as_str) {
            Some("-l") => lines.len().to_string(),
            _ => format!("{:>7} {:>7} {:>7}", lines.len(), text.split_whitespace().count(), text.len()),
        },
        "sort" => {
            let mut v = lines.clone();
            v.sort_unstable();
            if args.iter().any(|a| a == "-r") {
                v.reverse();
            }
            v.join("\n")
        }
        "less" | "more" | "cat" => text.to_owned(),
        other => format!("bash: {other}: not available in pipes in this scenario"),
    }
}

/// Splits a pipe stage into words, honouring quotes.
fn shell_words(stage: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in stage.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (_, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn grep(args: &[String], lines: &[&str], extended: bool) -> String {
    let mut insensitive = false;
    let mut invert = false;
    let mut count = false;
    let mut extended = extended;
    let mut pattern: Option<&str> = None;
    for a in args {
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty() && pattern.is_none()) {
            for f in flags.chars() {
                match f {
                    'i' => insensitive = true,
                    'v' => invert = true,
                    'c' => count = true,
                    'E' => extended = true,
                    _ => {}
                }
            }
        } else if pattern.is_none() {
            pattern = Some(a);
        }
    }
    let Some(pattern) = pattern else {
        return "Usage: grep [OPTION]... PATTERNS [FILE]...".to_owned();
    };
    // Basic grep writes alternation as `\|`; extended as `|`. Both become alternatives here.
    let alternatives: Vec<String> = if extended {
        pattern.split('|').map(str::to_owned).collect()
    } else {
        pattern.split("\\|").map(str::to_owned).collect()
    };
    let fold = |s: &str| if insensitive { s.to_lowercase() } else { s.to_owned() };
    let alternatives: Vec<String> = alternatives.iter().map(|a| fold(a)).collect();
    let kept: Vec<&str> = lines
        .iter()
        .filter(|l| {
            let l = fold(l);
            alternatives.iter().any(|a| l.contains(a.as_str())) != invert
        })
        .copied()
        .collect();
    if count {
        kept.len().to_string()
    } else {
        kept.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_split_outside_quotes_only() {
        assert_eq!(
            split_pipes("kubectl logs x | grep -E 'a|b' | tail -3"),
            ["kubectl logs x", "grep -E 'a|b'", "tail -3"]
        );
    }

    #[test]
    fn grep_head_tail_and_wc_filter_output_like_the_real_tools() {
        let text = "alpha\nBeta\ngamma\nbeta two";
        assert_eq!(apply_filter("grep beta", text), "beta two");
        assert_eq!(apply_filter("grep -i beta", text), "Beta\nbeta two");
        assert_eq!(apply_filter("grep -v a", text), "");
        assert_eq!(apply_filter("grep -E 'alpha|gamma'", text), "alpha\ngamma");
        assert_eq!(apply_filter("grep -c a", text), "4");
        assert_eq!(apply_filter("head -n 2", text), "alpha\nBeta");
        assert_eq!(apply_filter("tail -1", text), "beta two");
        assert_eq!(apply_filter("wc -l", text), "4");
        assert!(apply_filter("awk '{print $1}'", text).contains("not available in pipes"));
    }

    #[test]
    fn clock_shows_minutes_and_seconds() {
        assert_eq!(clock(Duration::from_secs(192)), "03:12");
        assert_eq!(clock(Duration::from_secs(3600)), "60:00");
    }
}
