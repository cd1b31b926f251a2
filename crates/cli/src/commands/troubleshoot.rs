//! `mockloop troubleshoot`: live troubleshooting scenarios as a shell-like session.
//!
//! The scenario engine (`mockloop-scenario`) is pure; this module owns the clock and the terminal.
//! It reads one command per line from stdin, so it works the same at a prompt and from a script
//! (`mockloop troubleshoot ID < commands.txt`). With `--json` the session goes to stderr and only
//! the debrief, as JSON, goes to stdout.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use mockloop_grading::Coverage;
use mockloop_scenario::{clock, load_scenarios, Debrief, Run, Scenario};

use crate::model::ModelChoice;
use crate::packs;
use crate::render::Style;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario id, or `list` to show them all.
    #[arg(value_name = "ID|list")]
    id: String,
    /// Print the debrief as JSON on stdout (the session itself goes to stderr). With `list`, print
    /// the scenarios as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args, pack_dir: Option<&Path>, choice: &ModelChoice) -> Result<ExitCode> {
    let src = packs::source(pack_dir)?;
    let (scenarios, diags) = load_scenarios(&src);
    for d in &diags {
        eprintln!("mockloop: warning: {d}");
    }
    if args.id == "list" {
        return list(&scenarios, args.json);
    }
    let Some(scenario) = scenarios.iter().find(|s| s.id == args.id) else {
        bail!("no scenario `{}` in {}: `mockloop troubleshoot list` shows them", args.id, src.root);
    };
    let model = crate::model::load_with_cache(choice, &src);
    let grader = crate::model::grader(model.as_ref());

    let style = if args.json { Style { color: false } } else { Style::detect() };
    let stdin = std::io::stdin();
    let echo = !stdin.is_terminal();
    let mut input = stdin.lock();
    let debrief = if args.json {
        session(scenario, &mut input, &mut std::io::stderr().lock(), echo, style, &grader)?
    } else {
        session(scenario, &mut input, &mut std::io::stdout().lock(), echo, style, &grader)?
    };
    crate::model::save_cache(model.as_ref(), choice, &src);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&debrief)?);
    } else {
        print!("{}", render_debrief(&debrief, style));
    }
    Ok(ExitCode::SUCCESS)
}

fn list(scenarios: &[Scenario], json: bool) -> Result<ExitCode> {
    if json {
        let items: Vec<serde_json::Value> = scenarios
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id,
                    "title": s.title,
                    "difficulty": s.difficulty.as_str(),
                    "topics": s.topics,
                    "rounds": s.rounds,
                    "time_minutes": s.time_minutes,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(ExitCode::SUCCESS);
    }
    let style = Style::detect();
    let width = scenarios.iter().map(|s| s.id.len()).max().unwrap_or(0);
    for s in scenarios {
        println!(
            "{}  {:<6}  {:>3} min  {}",
            style.bold(&format!("{:<width$}", s.id)),
            s.difficulty.as_str(),
            s.time_minutes,
            s.title
        );
    }
    println!("\n{}", style.dim("Start one with `mockloop troubleshoot ID`."));
    Ok(ExitCode::SUCCESS)
}

/// Runs the interactive part: symptom, prompt loop, written explanation. Returns the debrief.
/// `pub(crate)` so `mockloop loop` can run a scenario as its troubleshooting round.
pub(crate) fn session(
    scenario: &Scenario,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    echo: bool,
    style: Style,
    grader: &mockloop_grading::Grader<'_>,
) -> Result<Debrief> {
    let budget = Duration::from_secs(u64::from(scenario.time_minutes) * 60);
    writeln!(out, "{}", style.heading(&scenario.title))?;
    writeln!(out, "{}\n", style.dim(&format!("{} · budget {}", scenario.difficulty, clock(budget))))?;
    writeln!(out, "{}\n", scenario.symptom.trim())?;
    writeln!(
        out,
        "{}",
        style.dim(
            "Type commands as in a terminal. `help` lists the tools, `hint` gives a nudge, \
             `notes TEXT` keeps a note, `solve` stops the clock when you know the root cause."
        )
    )?;
    let start = Instant::now();
    let mut run = Run::new(scenario);
    let mut line = String::new();
    let stopped_at = loop {
        let elapsed = start.elapsed();
        let over = elapsed > budget;
        let prompt = format!("[{}/{}] $ ", clock(elapsed), clock(budget));
        write!(out, "\n{}", if over { style.red(&prompt) } else { style.cyan(&prompt) })?;
        out.flush()?;
        line.clear();
        if input.read_line(&mut line).context("reading a command from stdin")? == 0 {
            writeln!(out)?;
            break start.elapsed();
        }
        if echo {
            writeln!(out, "{}", line.trim_end())?;
        }
        let elapsed = start.elapsed();
        let r = run.execute(&line, elapsed);
        if r.finish_requested {
            break elapsed;
        }
        // Real systems do not announce that they are fixed: print what the tool prints, nothing
        // more, so the candidate has to verify.
        if !r.output.is_empty() {
            writeln!(out, "{}", r.output.trim_end_matches('\n'))?;
        }
    };

    writeln!(out, "\n{}", style.bold(&format!("Clock stopped at {}.", clock(stopped_at))))?;
    writeln!(out, "{}", scenario.root_cause.prompt)?;
    writeln!(
        out,
        "{}",
        style.dim("Write your explanation; end it with a line containing only `.` (or Ctrl-D).")
    )?;
    out.flush()?;
    let mut explanation = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line).context("reading the explanation from stdin")? == 0 {
            break;
        }
        if line.trim() == "." {
            break;
        }
        explanation.push_str(&line);
    }
    if echo && !explanation.is_empty() {
        writeln!(out, "{}", explanation.trim_end())?;
    }
    writeln!(out)?;
    Ok(run.finish(&explanation, grader, stopped_at)?)
}

/// The debrief as terminal text.
pub(crate) fn render_debrief(d: &Debrief, s: Style) -> String {
    let mut out = String::new();
    let score = format!("{:.1}/5", d.score);
    let score = if d.score >= 3.5 {
        s.green(&score)
    } else if d.score >= 2.5 {
        s.yellow(&score)
    } else {
        s.red(&score)
    };
    let _ = writeln!(out, "{}", s.heading(&format!("Debrief: {}", d.title)));
    let _ = writeln!(out, "{} {score}  {}", s.bold("Score"), d.verdict);
    let _ = writeln!(out, "{}", s.bar(d.score / 5.0, 30));

    let _ = writeln!(out, "\n{}", s.bold("Outcome"));
    let resolved = match d.solved_at {
        Some(t) if d.solved => s.green(&format!("✓ resolved at {}", clock(t))),
        _ => s.red("✗ not resolved"),
    };
    let _ = writeln!(out, "  {resolved}; root cause declared at {} of {}", clock(d.elapsed), clock(d.budget));
    let method = if d.systematic { s.green("✓ systematic") } else { s.red("✗ acted before looking") };
    let first =
        d.first_action_at.map_or("no change made".to_owned(), |t| format!("first change at {}", clock(t)));
    let _ = writeln!(
        out,
        "  {method}: {} evidence command(s) before the first change; {first}",
        d.evidence_before_first_action
    );

    let _ = writeln!(out, "\n{}", s.bold("Clues"));
    for c in &d.clues {
        let (mark, when) = match (c.found, c.before_first_action, c.at) {
            (true, true, Some(t)) => (s.green("✓"), format!("at {}", clock(t))),
            (true, false, Some(t)) => (s.yellow("◐"), format!("at {}, after the first change", clock(t))),
            _ => (s.red("✗"), "missed".to_owned()),
        };
        let _ = writeln!(out, "  {mark} {}  {}", c.text, s.dim(&when));
    }
    if !d.risky_actions.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("Risky actions"));
        for r in &d.risky_actions {
            let _ = writeln!(out, "  {} [{}] {}\n      {}", s.red("⚠"), clock(r.at), r.command, r.reason);
        }
    }

    let _ = writeln!(out, "\n{}", s.bold("Score components"));
    for c in &d.components {
        let _ = writeln!(
            out,
            "  {:<14} {} {:.2} × {:.2}  {}",
            c.name,
            s.bar(c.value, 12),
            c.value,
            c.weight,
            s.dim(&c.note)
        );
    }
    let _ = writeln!(out, "\n{}", s.bold("Why"));
    for r in &d.reasons {
        let _ = writeln!(out, "  - {r}");
    }

    let _ =
        writeln!(out, "\n{}", s.bold(&format!("Your root-cause explanation ({:.1}/5)", d.explanation.score)));
    for k in &d.explanation.key_points {
        let mark = match (k.status, k.contradicted) {
            (_, true) => s.red("⚠"),
            (Coverage::Covered, _) => s.green("✓"),
            (Coverage::Partly, _) => s.yellow("◐"),
            (Coverage::Missed, _) => s.red("✗"),
        };
        let _ = writeln!(out, "  {mark} {}", k.text);
    }
    for m in &d.explanation.misconceptions {
        let _ =
            writeln!(out, "  {} “{}” {} {}", s.red("✗"), m.evidence.text.trim(), s.green("→"), m.correction);
    }

    let _ = writeln!(out, "\n{}", s.bold("What happened"));
    let _ = writeln!(out, "{}", wrap(&d.root_cause, 2));
    let _ = writeln!(out, "\n{}", s.bold("The fix"));
    let _ = writeln!(out, "{}", wrap(&d.fix, 2));
    out
}

/// Re-flows text into indented paragraphs (split at blank lines) of at most 96 columns.
fn wrap(text: &str, indent: usize) -> String {
    const WIDTH: usize = 96;
    let pad = " ".repeat(indent);
    text.split("\n\n")
        .map(|p| {
            let mut lines = vec![pad.clone()];
            for word in p.split_whitespace() {
                let last = lines.last_mut().expect("one line at least");
                if last.len() > indent && last.chars().count() + 1 + word.chars().count() > WIDTH {
                    lines.push(format!("{pad}{word}"));
                } else {
                    if last.len() > indent {
                        last.push(' ');
                    }
                    last.push_str(word);
                }
            }
            lines.join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}
