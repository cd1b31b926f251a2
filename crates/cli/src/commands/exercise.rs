//! `mockloop exercise`: hands-on Terraform exercises (list, show + starter files, check, solution).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use mockloop_domain::Difficulty;
use mockloop_exercise::{CheckReport, Exercise};

use crate::packs;
use crate::render::{cell, markdown, Style};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the pack's Terraform exercises, easiest first.
    List {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Show an exercise's task and write its starter files into a working directory.
    Show {
        /// Exercise id (see `mockloop exercise list`).
        id: String,
        /// Write the starter files into DIR [default: ./ID].
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Also print the hints.
        #[arg(long)]
        hints: bool,
        /// Overwrite starter files that already exist in DIR.
        #[arg(long)]
        force: bool,
    },
    /// Check your .tf files against the exercise: pass/fail per check, with file:line and a hint.
    /// Exits 0 when every check passes, 1 otherwise.
    Check {
        /// Exercise id.
        id: String,
        /// Directory with your .tf files [default: ./ID].
        dir: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the reference solution and its explanation.
    Solution {
        /// Exercise id.
        id: String,
    },
}

pub fn run(command: Command, pack_dir: Option<&Path>) -> Result<ExitCode> {
    let exercises = load(pack_dir)?;
    match command {
        Command::List { json } => list(&exercises, json),
        Command::Show { id, dir, hints, force } => {
            let e = find(&exercises, &id)?;
            show(e, &dir.unwrap_or_else(|| PathBuf::from(&e.id)), hints, force)
        }
        Command::Check { id, dir, json } => {
            let e = find(&exercises, &id)?;
            check(e, &dir.unwrap_or_else(|| PathBuf::from(&e.id)), json)
        }
        Command::Solution { id } => solution(find(&exercises, &id)?),
    }
}

/// The pack's exercises; a pack whose exercises have problems is not used (as for questions).
fn load(pack_dir: Option<&Path>) -> Result<Vec<Exercise>> {
    let src = packs::source(pack_dir)?;
    let (exercises, diags) = mockloop_exercise::load_exercises(&src);
    if !diags.is_empty() {
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        bail!("the exercises in {} have {} problem(s):\n{}", src.root, diags.len(), lines.join("\n"));
    }
    Ok(exercises)
}

fn find<'a>(exercises: &'a [Exercise], id: &str) -> Result<&'a Exercise> {
    if let Some(e) = exercises.iter().find(|e| e.id == id) {
        return Ok(e);
    }
    let similar: Vec<&str> = exercises
        .iter()
        .map(|e| e.id.as_str())
        .filter(|e| e.contains(id) || id.contains(e.trim_start_matches("tf-")))
        .collect();
    if similar.is_empty() {
        bail!("no exercise with id `{id}`; list them with `mockloop exercise list`")
    } else {
        bail!("no exercise with id `{id}`; did you mean {}?", similar.join(", "))
    }
}

fn difficulty(style: &Style, d: Difficulty) -> String {
    match d {
        Difficulty::Easy => style.green(&cell("easy", 6)),
        Difficulty::Medium => style.yellow(&cell("medium", 6)),
        Difficulty::Hard => style.red(&cell("hard", 6)),
    }
}

fn list(exercises: &[Exercise], json: bool) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if json {
        let items: Vec<serde_json::Value> = exercises
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "title": e.title,
                    "difficulty": e.difficulty,
                    "topics": e.topics,
                    "rounds": e.rounds,
                    "time_minutes": e.time_minutes,
                    "checks": e.checks.len(),
                    "hints": e.hints.len(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let style = Style::detect();
    if exercises.is_empty() {
        writeln!(out, "This pack has no exercises.")?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in exercises {
        writeln!(
            out,
            "{} {} {} {}",
            style.bold(&cell(&e.id, 30)),
            difficulty(&style, e.difficulty),
            cell(&format!("{} min", e.time_minutes), 7),
            e.title
        )?;
    }
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "\n{} exercise(s). `mockloop exercise show ID` writes the starter files; `mockloop exercise check ID` checks your work.",
            exercises.len()
        ))
    )?;
    Ok(ExitCode::SUCCESS)
}

fn show(e: &Exercise, dir: &Path, hints: bool, force: bool) -> Result<ExitCode> {
    // Refuse before printing anything, so a refused run changes nothing.
    let existing: Vec<String> = e
        .starter
        .iter()
        .map(|f| dir.join(&f.path))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        bail!(
            "{} already exist(s); keep your work, choose another --dir, or pass --force to overwrite",
            existing.join(", ")
        );
    }
    let style = Style::detect();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}\n", style.heading(&e.title))?;
    writeln!(
        out,
        "{} {} · {} · {} min · {} checks\n",
        style.dim("id"),
        e.id,
        e.difficulty,
        e.time_minutes,
        e.checks.len()
    )?;
    writeln!(out, "{}", markdown(&e.statement, style))?;
    if hints {
        writeln!(out, "{}", style.bold("Hints"))?;
        for (i, h) in e.hints.iter().enumerate() {
            writeln!(out, "{}. {}", i + 1, h)?;
        }
        writeln!(out)?;
    } else {
        writeln!(out, "{}\n", style.dim(&format!("{} hint(s): add --hints to see them.", e.hints.len())))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for f in &e.starter {
        let path = dir.join(&f.path);
        std::fs::write(&path, &f.text).with_context(|| format!("writing {}", path.display()))?;
        writeln!(out, "wrote {}", path.display())?;
    }
    if e.starter.is_empty() {
        writeln!(out, "No starter files: write your .tf files in {}", dir.display())?;
    }
    let dir_arg = if dir == Path::new(&e.id) { String::new() } else { format!(" {}", dir.display()) };
    writeln!(out, "{}", style.dim(&format!("When ready: mockloop exercise check {}{dir_arg}", e.id)))?;
    Ok(ExitCode::SUCCESS)
}

fn check(e: &Exercise, dir: &Path, json: bool) -> Result<ExitCode> {
    let files = mockloop_exercise::read_tf_dir(dir).with_context(|| {
        format!("reading {} (write the starter files with `mockloop exercise show {}`)", dir.display(), e.id)
    })?;
    let report = mockloop_exercise::check(e, &files);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", render_report(&report, dir, Style::detect()))?;
    }
    Ok(if report.all_passed() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The report as terminal text: parse errors, or one line per check with details for failures.
pub(crate) fn render_report(report: &CheckReport, dir: &Path, style: Style) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let at = |file: &str, line: usize| format!("{}:{line}", dir.join(file).display());
    if !report.parse_errors.is_empty() {
        for p in &report.parse_errors {
            let _ = writeln!(s, "{}: {}", at(&p.file, p.line), p.message);
        }
        let _ =
            writeln!(s, "\n{} the files do not parse; fix the syntax first. score 0/5", style.red("error"));
        return s;
    }
    for r in &report.results {
        if r.passed {
            let _ = writeln!(s, "{} {}", style.green("pass"), r.id);
            continue;
        }
        let _ = writeln!(s, "{} {}: {}", style.red("FAIL"), style.bold(&r.id), r.message);
        if let Some(l) = &r.location {
            let _ = writeln!(s, "     {} {}", style.dim("at"), at(&l.file, l.line));
        }
        let _ = writeln!(s, "     {} {}", style.dim("found"), r.detail);
        if let Some(h) = &r.hint {
            let _ = writeln!(s, "     {} {h}", style.cyan("hint"));
        }
    }
    let verdict = if report.all_passed() { style.green("all checks pass") } else { style.yellow("not yet") };
    let _ =
        writeln!(s, "\n{verdict}: {} of {} checks, score {:.1}/5", report.passed, report.total, report.score);
    s
}

fn solution(e: &Exercise) -> Result<ExitCode> {
    let style = Style::detect();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}\n", style.heading(&format!("Reference solution: {}", e.title)))?;
    if !e.solution_notes.is_empty() {
        writeln!(out, "{}", markdown(&e.solution_notes, style))?;
    }
    for f in &e.solution {
        writeln!(out, "{}", style.bold(&format!("# {}", f.path)))?;
        writeln!(out, "{}", f.text.trim_end())?;
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}
