//! Hands-on slots of a loop: a Terraform exercise in the coding round, a troubleshooting scenario
//! in the troubleshooting round. Each is scored by its own checker and saved as an attempt (its id
//! is the exercise's or scenario's), so history and stats see it like any answer.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::Utc;
use mockloop_domain::{Attempt, Difficulty, Outcome, SessionId};
use mockloop_exercise::Exercise;
use mockloop_grading::Grader;
use mockloop_practice::debrief::HandsOn;
use mockloop_scenario::Scenario;

use crate::interview::{Console, Reply};
use crate::storage::Storage;

/// How a hands-on slot ended.
pub enum Slot {
    /// Done (or skipped): its result for the debrief.
    Done(HandsOn),
    /// The user asked to stop the loop.
    Quit,
}

/// The difficulty that suits a level: stretch seniors, keep juniors on the fundamentals.
fn suits(level: &str, d: Difficulty) -> bool {
    match level {
        "entry" => d == Difficulty::Easy,
        "mid" => d != Difficulty::Hard,
        "senior" => d != Difficulty::Easy,
        _ => d == Difficulty::Hard,
    }
}

/// What choosing a hands-on task needs to know about it.
pub trait Task {
    /// Its id (also the attempt's question id).
    fn id(&self) -> &str;
    /// Its difficulty.
    fn difficulty(&self) -> Difficulty;
    /// Rounds it belongs to.
    fn rounds(&self) -> &[String];
}

impl Task for Exercise {
    fn id(&self) -> &str {
        &self.id
    }
    fn difficulty(&self) -> Difficulty {
        self.difficulty
    }
    fn rounds(&self) -> &[String] {
        &self.rounds
    }
}

impl Task for Scenario {
    fn id(&self) -> &str {
        &self.id
    }
    fn difficulty(&self) -> Difficulty {
        self.difficulty
    }
    fn rounds(&self) -> &[String] {
        &self.rounds
    }
}

/// The task for a round: one that lists the round, suits the level, and was least recently tried
/// (never-tried first); ties broken by `seed`.
pub fn pick<'a, T: Task>(
    tasks: &'a [T],
    round: &str,
    level: &str,
    history: &[Attempt],
    seed: u64,
) -> Option<&'a T> {
    let last_tried = |id: &str| history.iter().filter(|a| a.question == id).map(|a| a.started_at).max();
    let mut fit: Vec<&T> = tasks.iter().filter(|t| t.rounds().iter().any(|r| r == round)).collect();
    if fit.iter().any(|t| suits(level, t.difficulty())) {
        fit.retain(|t| suits(level, t.difficulty()));
    }
    let n = fit.len().max(1) as u64;
    fit.sort_by_key(|t| {
        let spread = seed.wrapping_add(t.id().bytes().map(u64::from).sum::<u64>().wrapping_mul(7919)) % n;
        (last_tried(t.id()), spread, t.id().to_owned())
    });
    fit.first().copied()
}

fn attempt(
    storage: &Storage,
    session: SessionId,
    round: &str,
    id: &str,
    prompt: &str,
    started: chrono::DateTime<Utc>,
    clock: Instant,
) -> Attempt {
    crate::interview::blank_attempt(storage, session, Some(round), id, prompt, started, clock)
}

fn save(storage: &Storage, console: &Console, a: &Attempt) -> Result<()> {
    storage.block(storage.store.add_attempt(a)).context("saving the attempt")?;
    println!("{}", console.style.dim(&format!("✓ saved (attempt {})", a.id.short())));
    Ok(())
}

/// Writes the starter files into `dir` (creating it), leaving files the user already has.
fn write_starter(e: &Exercise, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for f in &e.starter {
        let path = dir.join(&f.path);
        if !path.exists() {
            std::fs::write(&path, &f.text).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}

/// Runs a Terraform exercise as one slot of a round.
pub fn exercise(
    e: &Exercise,
    storage: &Storage,
    console: &mut Console,
    session: SessionId,
    round: &str,
    work_dir: &Path,
) -> Result<Slot> {
    let style = console.style;
    let dir = work_dir.join(&e.id);
    write_starter(e, &dir)?;
    println!(
        "\n{} {}  {}",
        style.bold("Hands-on:"),
        style.bold(&e.title),
        style.dim(&format!("Terraform · {} · ~{} min", e.difficulty, e.time_minutes))
    );
    println!("{}", crate::render::markdown(&e.statement, style));
    println!(
        "{}",
        style.dim(&format!(
            "Starter files are in {}. Edit them, then reply `:check` (or the path of another folder) \
             and end with `.`. :hint for a hint, :reveal for the reference solution, :skip to pass.",
            dir.display()
        ))
    );
    let started = Utc::now();
    let clock = Instant::now();
    let mut hints = 0usize;
    loop {
        match console.read_reply()? {
            Reply::Quit => return Ok(Slot::Quit),
            Reply::Hint => match e.hints.get(hints) {
                Some(h) => {
                    hints += 1;
                    println!("{}", style.yellow(&format!("Hint: {h}")));
                }
                None => println!("{}", style.dim("No more hints for this one.")),
            },
            reply @ (Reply::Skip | Reply::Reveal) => {
                let reveal = reply == Reply::Reveal;
                let mut a = attempt(storage, session, round, &e.id, &e.title, started, clock);
                a.hints = hints as u32;
                if reveal {
                    a.outcome = Outcome::Revealed;
                }
                save(storage, console, &a)?;
                if reveal {
                    for f in &e.solution {
                        println!("{}\n{}", style.bold(&format!("# {}", f.path)), f.text);
                    }
                }
                let summary = if reveal { "reference solution shown instead" } else { "skipped" };
                return Ok(Slot::Done(HandsOn {
                    title: format!("Terraform: {}", e.title),
                    score: None,
                    summary: summary.into(),
                }));
            }
            Reply::Answer(text) => {
                let target = match text.trim() {
                    "" | ":check" | "check" => dir.clone(),
                    other => PathBuf::from(other),
                };
                let files = match mockloop_exercise::read_tf_dir(&target) {
                    Ok(f) if !f.is_empty() => f,
                    Ok(_) => {
                        println!(
                            "{}",
                            style.red(&format!(
                                "No .tf files in {}; reply :check when they are saved.",
                                target.display()
                            ))
                        );
                        if !console.interactive {
                            return Ok(Slot::Done(HandsOn {
                                title: format!("Terraform: {}", e.title),
                                score: Some(0.0),
                                summary: "no .tf files".into(),
                            }));
                        }
                        continue;
                    }
                    Err(err) => {
                        println!("{}", style.red(&format!("Cannot read {}: {err}", target.display())));
                        if !console.interactive {
                            return Ok(Slot::Done(HandsOn {
                                title: format!("Terraform: {}", e.title),
                                score: Some(0.0),
                                summary: "folder unreadable".into(),
                            }));
                        }
                        continue;
                    }
                };
                let report = mockloop_exercise::check(e, &files);
                print!("{}", crate::commands::render_exercise_report(&report, &target, style));
                let mut a = attempt(storage, session, round, &e.id, &e.title, started, clock);
                a.outcome = Outcome::Answered;
                a.hints = hints as u32;
                a.score = report.score as f32;
                a.answer =
                    files.iter().map(|f| format!("# {}\n{}", f.path, f.text)).collect::<Vec<_>>().join("\n");
                save(storage, console, &a)?;
                let summary = if report.parse_errors.is_empty() {
                    format!("{} of {} checks pass", report.passed, report.total)
                } else {
                    "the files do not parse".to_owned()
                };
                return Ok(Slot::Done(HandsOn {
                    title: format!("Terraform: {}", e.title),
                    score: Some(report.score as f32),
                    summary,
                }));
            }
        }
    }
}

/// Runs a troubleshooting scenario as one slot of a round: the simulated shell, the written root
/// cause, the scenario's debrief; saved as an attempt whose answer is the command log and whose
/// assessment is the grading of the written explanation.
pub fn scenario(
    sc: &Scenario,
    storage: &Storage,
    console: &mut Console,
    session: SessionId,
    round: &str,
    grader: &Grader<'_>,
) -> Result<Slot> {
    let style = console.style;
    println!(
        "\n{} {}",
        style.bold("Hands-on:"),
        style.dim("a live troubleshooting scenario; type `solve` when you know the root cause.")
    );
    let started = Utc::now();
    let clock = Instant::now();
    let echo = !console.interactive;
    let mut stdout = std::io::stdout();
    let debrief =
        crate::commands::troubleshoot_session(sc, console.input(), &mut stdout, echo, style, grader)?;
    print!("{}", crate::commands::render_scenario_debrief(&debrief, style));
    let mut a = attempt(storage, session, round, &sc.id, &sc.symptom, started, clock);
    a.outcome = Outcome::Answered;
    a.score = debrief.score;
    a.hints = u32::try_from(debrief.hints_used).unwrap_or(u32::MAX);
    let commands: Vec<String> = debrief.log.iter().map(|e| format!("$ {}", e.input.trim())).collect();
    a.answer = commands.join("\n");
    a.assessment = Some(debrief.explanation.clone());
    save(storage, console, &a)?;
    let summary = format!(
        "{}; {}{}",
        if debrief.solved { "fixed" } else { "not fixed" },
        if debrief.systematic { "systematic" } else { "acted before looking" },
        if debrief.risky_actions.is_empty() {
            String::new()
        } else {
            format!("; {} risky action(s)", debrief.risky_actions.len())
        }
    );
    Ok(Slot::Done(HandsOn {
        title: format!("Troubleshooting: {}", sc.title),
        score: Some(debrief.score),
        summary,
    }))
}
