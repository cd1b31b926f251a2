//! `scenarios/*.toml` → validated [`Scenario`]s, gathering every problem as a [`Diagnostic`].

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::ops::Range;

use mockloop_content::{Diagnostic, PackSource, SourceFile};
use mockloop_domain::Difficulty;
use toml::Spanned;

use crate::model::{Action, Clue, Command, Kind, RootCause, Scenario, State};
use crate::pattern::Pattern;
use crate::raw::{RawKind, RawPackIds, RawScenario};

/// Longest time budget a scenario may ask for, in minutes.
const MAX_MINUTES: u32 = 120;
/// Fewest key points a root cause needs for its explanation to be graded meaningfully.
const MIN_KEY_POINTS: usize = 3;

/// Reads and validates every `scenarios/*.toml` of a pack.
///
/// Returns the scenarios that have no problems (sorted by id) and every problem found, sorted, as
/// `path:line: message`. Topic and round ids are checked against `pack.toml` when it parses; the
/// pack itself is validated by `mockloop_content::parse_pack`.
pub fn load_scenarios(source: &PackSource) -> (Vec<Scenario>, Vec<Diagnostic>) {
    let ids: Option<RawPackIds> =
        source.files.iter().find(|f| f.path == "pack.toml").and_then(|f| toml::from_str(&f.text).ok());
    let known = ids.map(|p| Known {
        topics: p.topics.into_iter().map(|t| t.id).collect(),
        rounds: p.rounds.into_iter().map(|r| r.id).collect(),
    });
    let mut all = Vec::new();
    let mut scenarios: Vec<Scenario> = Vec::new();
    let mut first_file: HashMap<String, String> = HashMap::new();
    for f in source.files.iter().filter(|f| f.path.starts_with("scenarios/") && f.path.ends_with(".toml")) {
        let mut d = Diags { root: &source.root, file: f, out: Vec::new() };
        let parsed = parse_one(f, known.as_ref(), &mut d);
        if let Some(s) = parsed {
            if let Some(first) = first_file.get(&s.id) {
                let line = d.line_of("id =");
                d.push(line, format!("duplicate scenario id `{}` (first defined in {first})", s.id));
            } else {
                first_file.insert(s.id.clone(), f.path.clone());
                if d.out.is_empty() {
                    scenarios.push(s);
                }
            }
        }
        all.extend(d.out);
    }
    all.sort();
    all.dedup();
    scenarios.sort_by(|a, b| a.id.cmp(&b.id));
    (scenarios, all)
}

struct Known {
    topics: HashSet<String>,
    rounds: HashSet<String>,
}

struct Diags<'a> {
    root: &'a str,
    file: &'a SourceFile,
    out: Vec<Diagnostic>,
}

impl Diags<'_> {
    fn push(&mut self, line: usize, message: impl Into<String>) {
        let path = if self.root.is_empty() {
            self.file.path.clone()
        } else {
            format!("{}/{}", self.root.trim_end_matches('/'), self.file.path)
        };
        self.out.push(Diagnostic { path, line: line.max(1), message: message.into() });
    }

    fn line(&self, span: Range<usize>) -> usize {
        let text = &self.file.text;
        text[..span.start.min(text.len())].matches('\n').count() + 1
    }

    fn line_of(&self, needle: &str) -> usize {
        self.file.text.find(needle).map_or(1, |o| self.line(o..o))
    }
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn compile(patterns: &[Spanned<String>], what: &str, d: &mut Diags<'_>, at: usize) -> Vec<Pattern> {
    if patterns.is_empty() {
        d.push(at, format!("{what} has no patterns: list the command lines it answers"));
    }
    let mut out = Vec::new();
    for p in patterns {
        match Pattern::new(p.get_ref()) {
            Ok(c) => out.push(c),
            Err(e) => d.push(d.line(p.span()), format!("{what}: {e}")),
        }
    }
    out
}

fn outputs(
    raw: &BTreeMap<String, Spanned<String>>,
    states: &HashSet<&str>,
    what: &str,
    d: &mut Diags<'_>,
) -> BTreeMap<String, String> {
    for (state, text) in raw {
        if !states.contains(state.as_str()) {
            d.push(d.line(text.span()), format!("{what} has an output for unknown state `{state}`"));
        }
    }
    raw.iter().map(|(k, v)| (k.clone(), v.get_ref().clone())).collect()
}

fn parse_one(f: &SourceFile, known: Option<&Known>, d: &mut Diags<'_>) -> Option<Scenario> {
    let raw: RawScenario = match toml::from_str(&f.text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map_or(1, |s| d.line(s));
            d.push(line, e.message().trim().replace('\n', " "));
            return None;
        }
    };
    let stem = f.path.trim_start_matches("scenarios/").trim_end_matches(".toml");
    let id = raw.id.get_ref().clone();
    if !is_kebab(&id) {
        d.push(d.line(raw.id.span()), format!("scenario id `{id}` must be lowercase kebab-case"));
    }
    if id != stem {
        d.push(
            d.line(raw.id.span()),
            format!("scenario id `{id}` does not match its file name `{stem}.toml`"),
        );
    }
    if raw.title.trim().is_empty() {
        d.push(d.line_of("title"), "empty title");
    }
    let difficulty = Difficulty::parse(raw.difficulty.get_ref());
    if difficulty.is_none() {
        d.push(
            d.line(raw.difficulty.span()),
            format!("unknown difficulty `{}` (expected easy, medium or hard)", raw.difficulty.get_ref()),
        );
    }
    for (kind, list, known_ids) in
        [("topic", &raw.topics, known.map(|k| &k.topics)), ("round", &raw.rounds, known.map(|k| &k.rounds))]
    {
        if list.get_ref().is_empty() {
            d.push(d.line(list.span()), format!("no {kind}s: name at least one {kind} id from pack.toml"));
        }
        for item in list.get_ref() {
            if known_ids.is_some_and(|k| !k.contains(item)) {
                d.push(d.line(list.span()), format!("unknown {kind} `{item}` (not defined in pack.toml)"));
            }
        }
    }
    let minutes = *raw.time_minutes.get_ref();
    if minutes == 0 || minutes > MAX_MINUTES {
        d.push(
            d.line(raw.time_minutes.span()),
            format!("time_minutes must be 1–{MAX_MINUTES}, not {minutes}"),
        );
    }
    if raw.symptom.get_ref().trim().is_empty() {
        d.push(d.line(raw.symptom.span()), "empty symptom: say what the candidate is told at the start");
    }
    if raw.hints.iter().all(|h| h.trim().is_empty()) {
        d.push(d.line_of("hints"), "no hints: add at least one, mildest first");
    }

    // States. `graph_ok` stays true while states and transitions are sound enough to walk.
    let mut graph_ok = true;
    let mut states = Vec::new();
    let mut state_ids: HashSet<&str> = HashSet::new();
    for s in &raw.states {
        let line = d.line(s.span());
        let st = s.get_ref();
        if !is_kebab(&st.id) {
            d.push(line, format!("state id `{}` must be lowercase kebab-case", st.id));
        }
        if !state_ids.insert(st.id.as_str()) {
            graph_ok = false;
            d.push(line, format!("duplicate state id `{}`", st.id));
        }
        states.push(State { id: st.id.clone(), description: st.description.clone(), solved: st.solved });
    }
    if raw.states.is_empty() {
        d.push(1, "no [[states]]: define at least the broken state and a solved one");
    } else if !states.iter().any(|s| s.solved) {
        d.push(d.line(raw.states[0].span()), "no state has `solved = true`: nothing ends the incident");
    }
    let initial = raw.initial_state.get_ref().clone();
    if !state_ids.contains(initial.as_str()) && !raw.states.is_empty() {
        d.push(d.line(raw.initial_state.span()), format!("initial_state `{initial}` is not a defined state"));
    }
    if states.iter().any(|s| s.id == initial && s.solved) {
        d.push(d.line(raw.initial_state.span()), format!("initial_state `{initial}` is already solved"));
    }

    // Clues.
    let mut clue_ids: HashSet<&str> = HashSet::new();
    let mut clues = Vec::new();
    for c in &raw.clues {
        let line = d.line(c.span());
        let cl = c.get_ref();
        if !clue_ids.insert(cl.id.as_str()) {
            d.push(line, format!("duplicate clue id `{}`", cl.id));
        }
        if cl.text.trim().is_empty() {
            d.push(line, format!("clue `{}` has no text", cl.id));
        }
        clues.push(Clue { id: cl.id.clone(), text: cl.text.clone() });
    }
    if raw.clues.is_empty() {
        d.push(1, "no [[clues]]: name the facts an investigation should uncover");
    }

    // Commands.
    let mut commands = Vec::new();
    for (i, c) in raw.commands.iter().enumerate() {
        let line = d.line(c.span());
        let rc = c.get_ref();
        let what = format!("command {}", describe(&rc.patterns, i));
        let patterns = compile(&rc.patterns, &what, d, line);
        if let Some(clue) = &rc.clue {
            if !clue_ids.contains(clue.get_ref().as_str()) {
                d.push(d.line(clue.span()), format!("{what} reveals unknown clue `{}`", clue.get_ref()));
            }
        }
        let outs = outputs(&rc.outputs, &state_ids, &what, d);
        if rc.output.is_none() {
            let missing: Vec<&str> =
                states.iter().map(|s| s.id.as_str()).filter(|s| !outs.contains_key(*s)).collect();
            if !missing.is_empty() {
                d.push(
                    line,
                    format!(
                        "{what} has no output in state(s) {}: add `output` (all states) or `outputs.<state>`",
                        quoted(&missing)
                    ),
                );
            }
        }
        commands.push(Command {
            patterns,
            kind: match rc.kind {
                Some(RawKind::Info) => Kind::Info,
                Some(RawKind::Evidence) | None => Kind::Evidence,
            },
            clue: rc.clue.as_ref().map(|c| c.get_ref().clone()),
            output: rc.output.clone(),
            outputs: outs,
        });
    }
    if raw.commands.is_empty() {
        d.push(1, "no [[commands]]: the candidate has nothing to investigate with");
    }
    for c in &clues {
        if !commands.iter().any(|cmd| cmd.clue.as_deref() == Some(c.id.as_str())) {
            let line = d.line_of(&format!("id = \"{}\"", c.id));
            d.push(line, format!("clue `{}` is revealed by no command", c.id));
        }
    }

    // Actions.
    let mut actions = Vec::new();
    for (i, a) in raw.actions.iter().enumerate() {
        let line = d.line(a.span());
        let ra = a.get_ref();
        let what = format!("action {}", describe(&ra.patterns, i));
        let patterns = compile(&ra.patterns, &what, d, line);
        for from in &ra.from {
            if !state_ids.contains(from.get_ref().as_str()) {
                graph_ok = false;
                d.push(d.line(from.span()), format!("{what} starts from unknown state `{}`", from.get_ref()));
            }
        }
        if let Some(to) = &ra.to {
            if !state_ids.contains(to.get_ref().as_str()) {
                graph_ok = false;
                d.push(d.line(to.span()), format!("{what} points at unknown state `{}`", to.get_ref()));
            }
        }
        if ra.risky.as_ref().is_some_and(|r| r.trim().is_empty()) {
            d.push(line, format!("{what}: `risky` must say why the action is dangerous"));
        }
        let outs = outputs(&ra.outputs, &state_ids, &what, d);
        actions.push(Action {
            patterns,
            from: ra.from.iter().map(|s| s.get_ref().clone()).collect(),
            to: ra.to.as_ref().map(|s| s.get_ref().clone()),
            risky: ra.risky.clone(),
            output: ra.output.clone(),
            outputs: outs,
        });
    }
    if !actions.iter().any(|a| a.risky.is_some()) {
        d.push(1, "no action is marked `risky`: add the tempting dangerous move so the debrief can flag it");
    }

    // Reachability, only once states and transitions are sound.
    if graph_ok && state_ids.contains(initial.as_str()) {
        let reachable = reachable(&initial, &states, &actions);
        for (s, raw_state) in states.iter().zip(&raw.states) {
            if !reachable.contains(s.id.as_str()) {
                d.push(
                    d.line(raw_state.span()),
                    format!("state `{}` is unreachable from `{initial}`: no action leads to it", s.id),
                );
            }
        }
        if !states.iter().any(|s| s.solved && reachable.contains(s.id.as_str())) {
            d.push(d.line(raw.initial_state.span()), "no sequence of actions reaches a solved state");
        }
    }

    // Root cause and fix.
    let rc = raw.root_cause.get_ref();
    let rc_line = d.line(raw.root_cause.span());
    if rc.summary.trim().is_empty() {
        d.push(rc_line, "root_cause.summary is empty");
    }
    if rc.key_points.len() < MIN_KEY_POINTS {
        d.push(
            rc_line,
            format!(
                "root_cause has {} key point(s); give at least {MIN_KEY_POINTS} so the explanation can be graded",
                rc.key_points.len()
            ),
        );
    }
    let mut kp_ids = HashSet::new();
    for k in &rc.key_points {
        let line = d.line(k.span());
        let kp = k.get_ref();
        if !kp_ids.insert(kp.id.as_str()) {
            d.push(line, format!("duplicate key point id `{}`", kp.id));
        }
        if !(1..=3).contains(&kp.weight) {
            d.push(line, format!("key point `{}` has weight {}; use 1–3", kp.id, kp.weight));
        }
        if kp.phrases.iter().all(|p| p.trim().is_empty()) {
            d.push(line, format!("key point `{}` has no phrases: list how a candidate might say it", kp.id));
        }
    }
    for m in &rc.misconceptions {
        if m.phrases.is_empty() || m.correction.trim().is_empty() {
            let line = d.line_of(&m.claim);
            d.push(line, format!("misconception `{}` needs phrases and a correction", m.claim));
        }
    }
    let fix = raw.fix.get_ref().summary.trim().to_owned();
    if fix.is_empty() {
        d.push(d.line(raw.fix.span()), "fix.summary is empty");
    }

    let root_cause = RootCause {
        prompt: rc.prompt.clone().unwrap_or_else(|| {
            format!(
                "{}: what was the root cause, how did you confirm it, and what fixed it?",
                raw.title.trim()
            )
        }),
        summary: rc.summary.trim().to_owned(),
        key_points: rc.key_points.iter().map(|k| k.get_ref().clone()).collect(),
        misconceptions: rc.misconceptions.clone(),
    };
    Some(Scenario {
        id,
        title: raw.title.trim().to_owned(),
        difficulty: difficulty.unwrap_or(Difficulty::Medium),
        topics: raw.topics.into_inner(),
        rounds: raw.rounds.into_inner(),
        time_minutes: minutes,
        symptom: raw.symptom.into_inner().trim().to_owned(),
        hints: raw.hints.into_iter().filter(|h| !h.trim().is_empty()).collect(),
        states,
        initial_state: initial,
        clues,
        commands,
        actions,
        root_cause,
        fix,
    })
}

/// States reachable from `initial` by actions.
fn reachable<'a>(initial: &'a str, states: &'a [State], actions: &'a [Action]) -> HashSet<&'a str> {
    let mut seen = HashSet::from([initial]);
    let mut queue = VecDeque::from([initial]);
    while let Some(s) = queue.pop_front() {
        for a in actions.iter().filter(|a| a.applies_in(s)) {
            if let Some(to) = a.to.as_deref() {
                if states.iter().any(|x| x.id == to) && seen.insert(to) {
                    queue.push_back(to);
                }
            }
        }
    }
    seen
}

fn describe(patterns: &[Spanned<String>], index: usize) -> String {
    match patterns.first() {
        Some(p) => format!("`{}`", p.get_ref()),
        None => format!("#{}", index + 1),
    }
}

fn quoted(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}
