//! `exercises/*.md` (+ `exercises/<id>/{starter,solution}/*.tf`) → validated [`Exercise`]s, with
//! every problem as a [`Diagnostic`].

use std::collections::{BTreeSet, HashSet};

use mockloop_content::{split_front_matter, Diagnostic, PackSource, SourceFile};
use mockloop_domain::Difficulty;
use serde::Deserialize;

use crate::graph::{line_at, Config};
use crate::model::{Check, Exercise, RawRule, KINDS};
use crate::report::check;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExercise {
    id: String,
    title: String,
    difficulty: String,
    topics: Vec<String>,
    rounds: Vec<String>,
    time_minutes: u32,
    hints: Vec<String>,
    checks: Vec<toml::Table>,
}

struct Diags<'a> {
    root: &'a str,
    out: Vec<Diagnostic>,
}

impl Diags<'_> {
    fn push(&mut self, file: &str, line: usize, message: impl Into<String>) {
        let path = if self.root.is_empty() {
            file.to_owned()
        } else {
            format!("{}/{}", self.root.trim_end_matches('/'), file)
        };
        self.out.push(Diagnostic { path, line: line.max(1), message: message.into() });
    }
}

/// Topic and round ids from `pack.toml`, when it parses (the content crate reports it otherwise).
fn known_ids(source: &PackSource) -> Option<(HashSet<String>, HashSet<String>)> {
    let f = source.files.iter().find(|f| f.path == "pack.toml")?;
    let table: toml::Table = toml::from_str(&f.text).ok()?;
    let ids = |key: &str| -> HashSet<String> {
        table
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|t| t.get("id")?.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    Some((ids("topics"), ids("rounds")))
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Line of the first `needle` in `text` (`base` if absent), with `text` starting at line `base`.
fn line_of(text: &str, needle: &str, base: usize) -> usize {
    text.find(needle).map_or(base, |o| line_at(text, o) + base - 1)
}

/// Splits the body at a `## Reference solution` heading.
fn split_body(body: &str) -> (String, String) {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let l = line.trim();
        if l.starts_with("## ") && l[3..].trim().eq_ignore_ascii_case("reference solution") {
            return (body[..offset].trim().to_owned(), body[offset + line.len()..].trim().to_owned());
        }
        offset += line.len();
    }
    (body.trim().to_owned(), String::new())
}

/// Files under `exercises/<id>/<part>/`, with paths relative to that folder.
fn files_under(source: &PackSource, id: &str, part: &str) -> Vec<SourceFile> {
    let prefix = format!("exercises/{id}/{part}/");
    source
        .files
        .iter()
        .filter_map(|f| {
            let rel = f.path.strip_prefix(&prefix)?;
            (rel.ends_with(".tf") && !rel.contains('/'))
                .then(|| SourceFile { path: rel.to_owned(), text: f.text.clone() })
        })
        .collect()
}

/// Loads every exercise of a pack, reporting every problem; only exercises without problems are
/// returned. A pack with no `exercises/` folder simply has no exercises.
pub fn load_exercises(source: &PackSource) -> (Vec<Exercise>, Vec<Diagnostic>) {
    let mut d = Diags { root: &source.root, out: Vec::new() };
    let known = known_ids(source);
    let mut exercises: Vec<Exercise> = Vec::new();
    let mut ids = BTreeSet::new();
    for f in &source.files {
        let Some(name) = f.path.strip_prefix("exercises/") else { continue };
        if name.contains('/') || !name.ends_with(".md") {
            continue;
        }
        let stem = name.trim_end_matches(".md");
        ids.insert(stem.to_owned());
        if stem.eq_ignore_ascii_case("readme") {
            continue;
        }
        if let Some(e) = parse_exercise(source, f, stem, known.as_ref(), &mut d) {
            exercises.push(e);
        }
    }
    // Starter or solution folders without an exercise file are probably a renamed exercise.
    let mut orphans = BTreeSet::new();
    for f in &source.files {
        if let Some(rest) = f.path.strip_prefix("exercises/") {
            if let Some((dir, _)) = rest.split_once('/') {
                if !ids.contains(dir) && orphans.insert(dir.to_owned()) {
                    d.push(&f.path, 1, format!("exercises/{dir}/ has no exercises/{dir}.md"));
                }
            }
        }
    }
    exercises.sort_by(|a, b| (a.difficulty, &a.id).cmp(&(b.difficulty, &b.id)));
    let mut diags = d.out;
    diags.sort();
    diags.dedup();
    (exercises, diags)
}

fn parse_exercise(
    source: &PackSource,
    f: &SourceFile,
    stem: &str,
    known: Option<&(HashSet<String>, HashSet<String>)>,
    d: &mut Diags<'_>,
) -> Option<Exercise> {
    let Some((front, body, _)) = split_front_matter(&f.text) else {
        d.push(&f.path, 1, "missing front matter: an exercise starts with TOML between `+++` lines");
        return None;
    };
    let raw: RawExercise = match toml::from_str(front) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map_or(2, |s| line_at(front, s.start) + 1);
            d.push(&f.path, line, e.message().trim().replace('\n', " "));
            return None;
        }
    };
    let before = d.out.len();
    let line = |needle: &str| line_of(front, needle, 2);
    if raw.id != stem {
        d.push(
            &f.path,
            line("id ="),
            format!("exercise id `{}` does not match its file name `{stem}.md`", raw.id),
        );
    }
    if !is_kebab(&raw.id) {
        d.push(&f.path, line("id ="), format!("exercise id `{}` must be lowercase kebab-case", raw.id));
    }
    if raw.title.trim().is_empty() {
        d.push(&f.path, line("title ="), "empty title");
    }
    let difficulty = Difficulty::parse(&raw.difficulty);
    if difficulty.is_none() {
        d.push(
            &f.path,
            line("difficulty ="),
            format!("unknown difficulty `{}` (expected easy, medium or hard)", raw.difficulty),
        );
    }
    if !(1..=240).contains(&raw.time_minutes) {
        d.push(&f.path, line("time_minutes ="), "time_minutes must be between 1 and 240");
    }
    if raw.topics.is_empty() {
        d.push(&f.path, line("topics ="), "an exercise needs at least one topic");
    }
    if raw.rounds.is_empty() {
        d.push(&f.path, line("rounds ="), "an exercise needs at least one round (normally `coding-iac`)");
    }
    if let Some((topics, rounds)) = known {
        for t in raw.topics.iter().filter(|t| !topics.contains(*t)) {
            d.push(&f.path, line("topics ="), format!("unknown topic `{t}` (not in pack.toml)"));
        }
        for r in raw.rounds.iter().filter(|r| !rounds.contains(*r)) {
            d.push(&f.path, line("rounds ="), format!("unknown round `{r}` (not in pack.toml)"));
        }
    }
    if raw.hints.is_empty() || raw.hints.iter().any(|h| h.trim().is_empty()) {
        d.push(&f.path, line("hints ="), "an exercise needs at least one non-empty hint");
    }
    if raw.checks.is_empty() {
        d.push(&f.path, 1, "an exercise needs at least one [[checks]]");
    }
    let check_lines: Vec<usize> =
        front.match_indices("[[checks]]").map(|(o, _)| line_at(front, o) + 1).collect();
    let mut checks = Vec::new();
    let mut seen = HashSet::new();
    for (i, table) in raw.checks.into_iter().enumerate() {
        let at = check_lines.get(i).copied().unwrap_or(1);
        match parse_check(table) {
            Ok(c) => {
                if !seen.insert(c.id.clone()) {
                    d.push(&f.path, at, format!("duplicate check id `{}`", c.id));
                }
                checks.push(c);
            }
            Err(m) => d.push(&f.path, at, m),
        }
    }
    let (statement, solution_notes) = split_body(body);
    if statement.is_empty() {
        d.push(&f.path, 1, "empty task statement: write the task after the closing `+++`");
    }
    let starter = files_under(source, stem, "starter");
    let solution = files_under(source, stem, "solution");
    let sol_dir = format!("exercises/{stem}/solution/");
    if solution.is_empty() {
        d.push(&f.path, 1, format!("no reference solution: add {sol_dir}*.tf"));
    }
    if let Err(errors) = Config::parse(&starter) {
        for e in errors {
            d.push(
                &format!("exercises/{stem}/starter/{}", e.file),
                e.line,
                format!("starter: {}", e.message),
            );
        }
    }
    if d.out.len() > before {
        return None;
    }
    let exercise = Exercise {
        id: raw.id,
        title: raw.title,
        difficulty: difficulty?,
        topics: raw.topics,
        rounds: raw.rounds,
        time_minutes: raw.time_minutes,
        hints: raw.hints,
        checks,
        statement,
        solution_notes,
        starter,
        solution,
        path: f.path.clone(),
    };
    // A reference solution that fails its own checks means the checks or the solution are wrong.
    let report = check(&exercise, &exercise.solution);
    for e in &report.parse_errors {
        d.push(&format!("{sol_dir}{}", e.file), e.line, format!("reference solution: {}", e.message));
    }
    for r in report.results.iter().filter(|r| !r.passed) {
        let at =
            r.location.as_ref().map_or((f.path.clone(), 1), |l| (format!("{sol_dir}{}", l.file), l.line));
        d.push(&at.0, at.1, format!("reference solution fails check `{}`: {}", r.id, r.detail));
    }
    (d.out.len() == before).then_some(exercise)
}

fn parse_check(mut table: toml::Table) -> Result<Check, String> {
    let mut text = |key: &str| -> Result<String, String> {
        match table.remove(key) {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => Ok(s),
            Some(toml::Value::String(_)) => Err(format!("check `{key}` is empty")),
            Some(other) => Err(format!("check `{key}` must be a string, found {}", other.type_str())),
            None => Err(format!("check is missing `{key}`")),
        }
    };
    let id = text("id")?;
    let message = text("message").map_err(|m| format!("{m} (check `{id}`)"))?;
    let hint = text("hint").map_err(|m| format!("{m} (check `{id}`)"))?;
    if !is_kebab(&id) {
        return Err(format!("check id `{id}` must be lowercase kebab-case"));
    }
    let weight = match table.remove("weight") {
        None => 1,
        Some(toml::Value::Integer(w)) if (1..=5).contains(&w) => w as u32,
        Some(_) => return Err(format!("check `{id}`: weight must be an integer from 1 to 5")),
    };
    match table.get("kind") {
        None => return Err(format!("check `{id}` is missing `kind` (one of {})", KINDS.join(", "))),
        Some(toml::Value::String(k)) if !KINDS.contains(&k.as_str()) => {
            return Err(format!(
                "check `{id}` has unknown kind `{k}` (expected one of {})",
                KINDS.join(", ")
            ));
        }
        _ => {}
    }
    let raw: RawRule = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| format!("check `{id}`: {}", e.message().trim().replace('\n', " ")))?;
    let rule = raw.validate().map_err(|m| format!("check `{id}`: {m}"))?;
    Ok(Check { id, weight, message, hint, rule })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_splits_at_the_reference_solution_heading() {
        let (task, notes) = split_body("Do it.\n\n## Reference solution\n\nLike this.\n");
        assert_eq!((task.as_str(), notes.as_str()), ("Do it.", "Like this."));
        let (task, notes) = split_body("Only a task.\n");
        assert_eq!((task.as_str(), notes.as_str()), ("Only a task.", ""));
    }
}
