//! `mockloop history`: every answer kept, to replay and compare.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Result};
use mockloop_domain::{Attempt, Outcome, Pack};
use mockloop_grading::Coverage;
use mockloop_store::AttemptQuery;

use crate::render::{cell, Style};
use crate::storage::{Storage, StorageOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only attempts at this question; shows how the answers compare key point by key point.
    #[arg(long, value_name = "ID")]
    question: Option<String>,
    /// Replay one attempt (its id or the first characters of it) with its answer and feedback.
    #[arg(long, value_name = "ATTEMPT")]
    show: Option<String>,
    /// How many of the newest attempts to list.
    #[arg(long, default_value_t = 30)]
    limit: u32,
    /// Print the attempts as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args, pack: &Pack, opts: &StorageOptions) -> Result<ExitCode> {
    let storage = Storage::open(opts)?;
    let user = storage.user.id;
    let style = Style::detect();
    if let Some(prefix) = &args.show {
        let all = storage.block(storage.store.attempts(user, &AttemptQuery::default()))?;
        let attempt = find_attempt(&all, prefix)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(attempt)?);
        } else {
            print!("{}", replay(attempt, pack, style));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let query =
        AttemptQuery { question: args.question.clone(), limit: Some(args.limit), ..Default::default() };
    let attempts = storage.block(storage.store.attempts(user, &query))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&attempts)?);
        return Ok(ExitCode::SUCCESS);
    }
    if attempts.is_empty() {
        match &args.question {
            Some(q) => println!("No attempts at `{q}` yet. Try `mockloop practice` or `mockloop grade {q}`."),
            None => println!("No attempts yet. Start with `mockloop practice`."),
        }
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", table(&attempts, style));
    if args.question.is_some() && attempts.len() > 1 {
        print!("{}", compare(&attempts, style));
    }
    println!("\n{}", style.dim("Replay one with `mockloop history --show ATTEMPT`."));
    Ok(ExitCode::SUCCESS)
}

/// Finds an attempt by full id, by the short id shown in listings (its last eight digits) or by a
/// unique prefix; hyphens are optional.
pub fn find_attempt<'a>(all: &'a [Attempt], prefix: &str) -> Result<&'a Attempt> {
    let want = prefix.replace('-', "").to_ascii_lowercase();
    if want.is_empty() {
        bail!("give an attempt id (see `mockloop history`)");
    }
    let hits: Vec<_> = all
        .iter()
        .filter(|a| {
            let id = a.id.0.simple().to_string();
            id.starts_with(&want) || id.ends_with(&want)
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => bail!("no attempt `{prefix}` for this user (see `mockloop history`)"),
        many => bail!("`{prefix}` matches {} attempts; give more characters", many.len()),
    }
}

fn score_text(a: &Attempt, style: Style) -> String {
    match a.outcome {
        Outcome::Answered => {
            let s = format!("{:.1}", a.score);
            if a.score >= 3.5 {
                style.green(&s)
            } else if a.score >= 2.0 {
                style.yellow(&s)
            } else {
                style.red(&s)
            }
        }
        Outcome::Skipped => style.dim("skip"),
        Outcome::Revealed => style.dim("shown"),
    }
}

fn table(attempts: &[Attempt], style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{:<9} {:<16} {:<34} {:>5}  {:<10} {}",
            "attempt", "when", "question", "score", "", "time"
        ))
    );
    for a in attempts.iter().rev() {
        let label = if a.follow_up_of.is_some() { format!("↳ {}", a.question) } else { a.question.clone() };
        let bar = if a.outcome == Outcome::Answered { style.bar(a.score / 5.0, 10) } else { " ".repeat(10) };
        let _ = writeln!(
            out,
            "{:<9} {:<16} {} {:>5}  {} {}",
            a.id.short(),
            a.started_at.format("%Y-%m-%d %H:%M"),
            cell(&label, 34),
            score_text(a, style),
            bar,
            format_duration(a.duration_ms)
        );
    }
    out
}

/// `1m 05s`.
pub fn format_duration(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// Key point by key point, oldest attempt first: how the answers improved.
fn compare(attempts: &[Attempt], style: Style) -> String {
    let graded: Vec<_> = attempts.iter().filter_map(|a| a.assessment.as_ref().map(|x| (a, x))).collect();
    let Some((_, latest)) = graded.last() else { return String::new() };
    let mut out = String::new();
    let _ = writeln!(out, "\n{}", style.bold("Key points across attempts (oldest → newest)"));
    for kp in &latest.key_points {
        let marks: String = graded
            .iter()
            .map(|(_, x)| match x.key_points.iter().find(|k| k.id == kp.id).map(|k| k.status) {
                Some(Coverage::Covered) => style.green("✓"),
                Some(Coverage::Partly) => style.yellow("◐"),
                Some(Coverage::Missed) => style.red("✗"),
                None => style.dim("·"),
            })
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(out, "  {marks}  {}", kp.text);
    }
    let first = graded[0].0.score;
    let last = graded[graded.len() - 1].0.score;
    let _ = writeln!(out, "\nScore {first:.1} → {last:.1} ({:+.1})", last - first);
    out
}

fn replay(a: &Attempt, pack: &Pack, style: Style) -> String {
    let mut out = String::new();
    let title = pack.question(&a.question).map(|q| q.id.as_str()).unwrap_or(a.question.as_str());
    let _ = writeln!(
        out,
        "{}  {}  {}",
        style.bold(&format!("Attempt {}", a.id.short())),
        style.dim(&a.started_at.format("%Y-%m-%d %H:%M UTC").to_string()),
        style.dim(&format!("{title}, {}", format_duration(a.duration_ms)))
    );
    let _ = writeln!(out, "\n{}\n", style.cyan(&a.prompt));
    match a.outcome {
        Outcome::Answered => {
            let _ = writeln!(out, "{}", style.bold("Your answer"));
            for line in a.answer.lines() {
                let _ = writeln!(out, "  │ {line}");
            }
            let _ = writeln!(out);
            if let Some(x) = &a.assessment {
                out.push_str(&crate::feedback_view::render(x, style));
            }
        }
        Outcome::Skipped => out.push_str("Skipped.\n"),
        Outcome::Revealed => out.push_str("Model answer shown instead of answering.\n"),
    }
    out
}
