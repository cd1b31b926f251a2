//! `mockloop loop`: a whole onsite, round by round, with time budgets and a debrief.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use chrono::Utc;
use mockloop_domain::{Filter, LoopReport, Outcome, ReportId, Round, SessionKind};
use mockloop_grading::Assessment;
use mockloop_practice::debrief::{self, HandsOn, RoundAttempt, RoundInput};
use mockloop_practice::select;

use crate::interview::{self, Ask};
use crate::model::ModelChoice;
use crate::storage::{Storage, StorageOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Level the loop is calibrated against: entry, mid, senior, staff or principal.
    /// [default: the level of your latest session, else mid]
    #[arg(long)]
    level: Option<String>,
    /// Only these rounds, in the pack's order (default: every round).
    #[arg(long, value_delimiter = ',')]
    rounds: Vec<String>,
    /// One question per round instead of the round's usual number: a quick rehearsal.
    #[arg(long)]
    short: bool,
    /// Read answers from FILE (separated by lines `---`) instead of the keyboard.
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Do not ask follow-up probes on gaps.
    #[arg(long)]
    no_follow_up: bool,
    /// Where hands-on exercises put their starter files.
    #[arg(long, value_name = "DIR", default_value = "mockloop-work")]
    work_dir: PathBuf,
}

/// `12:05`.
fn clock(seconds: u64) -> String {
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// What happened in one round, kept until the debrief borrows it.
struct Played {
    round: Round,
    planned: u32,
    elapsed: u64,
    asked: Vec<(String, Option<Assessment>)>,
    hands_on: Vec<HandsOn>,
}

pub fn run(
    args: &Args,
    pack_dir: Option<&std::path::Path>,
    choice: &ModelChoice,
    opts: &StorageOptions,
) -> Result<ExitCode> {
    let src = crate::packs::source(pack_dir)?;
    let pack = mockloop_content::load(&src)?;
    for r in &args.rounds {
        if pack.round(r).is_none() {
            let ids: Vec<_> = pack.rounds.iter().map(|r| r.id.as_str()).collect();
            bail!("unknown round `{r}`; choose one of: {}", ids.join(", "));
        }
    }
    let (exercises, _) = mockloop_exercise::load_exercises(&src);
    let (scenarios, _) = mockloop_scenario::load_scenarios(&src);
    let rounds: Vec<Round> = pack
        .rounds
        .iter()
        .filter(|r| args.rounds.is_empty() || args.rounds.contains(&r.id))
        .cloned()
        .collect();
    let mut console = super::practice::console(args.answers.as_deref())?;
    let storage = Storage::open(opts)?;
    let level = super::practice::resolve_level(&pack, args.level.as_deref(), &storage)?;
    let model = crate::model::load_with_cache(choice, &src);
    let grader = crate::model::grader(model.as_ref());
    let style = console.style;
    let user = storage.user.id;
    let super::practice::Sitting { session, mut abilities, mut history, cards } =
        super::practice::sit(&storage, SessionKind::Loop, &level)?;
    let level_name = pack.level(&level).map_or(level.clone(), |l| format!("{} ({})", l.name, l.code));
    let total_minutes: u32 = rounds.iter().map(|r| r.minutes).sum();
    println!(
        "{}",
        style.heading(&format!(
            "Interview loop · {level_name} · {} round{} · {total_minutes} min",
            rounds.len(),
            if rounds.len() == 1 { "" } else { "s" }
        ))
    );

    let seed = super::practice::seed();
    let mut asked_ids: Vec<String> = Vec::new();
    let mut played: Vec<Played> = Vec::new();
    let mut quit = false;
    for (i, round) in rounds.iter().enumerate() {
        let planned = if args.short { 1 } else { round.questions.max(1) };
        let mut this =
            Played { round: round.clone(), planned, elapsed: 0, asked: Vec::new(), hands_on: Vec::new() };
        if quit {
            played.push(this);
            continue;
        }
        println!(
            "\n{}\n{}\n{}",
            style.bold(&format!(
                "Round {}/{} · {} · {} min · {}",
                i + 1,
                rounds.len(),
                round.name,
                round.minutes,
                round.format
            )),
            style.dim(&round.focus),
            style.dim(&format!("Evaluates: {}", round.signals.join(", ")))
        );
        let started = Instant::now();
        let budget = u64::from(round.minutes) * 60;
        let ask_ctx = Ask {
            storage: &storage,
            grader: &grader,
            session: session.id,
            round: Some(&round.id),
            follow_up: !args.no_follow_up,
        };
        // A round with a hands-on task (an exercise or a scenario lists it) opens with one.
        use crate::hands_on::{pick, Slot};
        let slot = if let Some(e) = pick(&exercises, &round.id, &level, &history, seed) {
            Some(crate::hands_on::exercise(e, &storage, &mut console, session.id, &round.id, &args.work_dir)?)
        } else if let Some(sc) = pick(&scenarios, &round.id, &level, &history, seed) {
            Some(crate::hands_on::scenario(sc, &storage, &mut console, session.id, &round.id, &grader)?)
        } else {
            None
        };
        match &slot {
            Some(Slot::Done(h)) => this.hands_on.push(h.clone()),
            Some(Slot::Quit) => quit = true,
            None => {}
        }
        let questions = planned - u32::from(slot.is_some());
        for n in 0..questions {
            if quit {
                break;
            }
            let elapsed = started.elapsed().as_secs();
            if elapsed > budget {
                println!(
                    "{}",
                    style.yellow(&format!("Time is up for this round ({} over).", clock(elapsed - budget)))
                );
                break;
            }
            let by_level =
                Filter { round: vec![round.id.clone()], level: vec![level.clone()], ..Filter::default() };
            let any_level = Filter { round: vec![round.id.clone()], ..Filter::default() };
            let pick = [by_level, any_level].iter().find_map(|f| {
                select::next_question(
                    &pack,
                    &select::Request {
                        level: &level,
                        filter: f,
                        abilities: &abilities,
                        history: &history,
                        asked: &asked_ids,
                        now: Utc::now(),
                        seed: seed.wrapping_add(u64::from(n) + 100 * i as u64),
                    },
                )
            });
            let Some(pick) = pick else { break };
            let q = pick.question;
            asked_ids.push(q.id.clone());
            println!(
                "\n{} {}",
                style.bold(&format!("Q{}", n + 1)),
                style.dim(&format!(
                    "{} · {} · ~{} min · elapsed {} / {} · remaining {}",
                    q.id,
                    q.difficulty,
                    q.time_minutes,
                    clock(elapsed),
                    clock(budget),
                    clock(budget.saturating_sub(elapsed))
                ))
            );
            println!("\n{}\n", style.cyan(&q.prompt));
            let outcome = interview::ask(&ask_ctx, &mut console, q)?;
            if outcome.quit {
                quit = true;
                break;
            }
            abilities =
                super::practice::learn(&storage, &pack, &level, q, &outcome.attempt, &abilities, &cards)?;
            let graded = (outcome.attempt.outcome == Outcome::Answered)
                .then(|| outcome.attempt.assessment.clone())
                .flatten();
            this.asked.push((q.id.clone(), graded));
            history.push(outcome.attempt);
            history.extend(outcome.follow_up);
        }
        this.elapsed = started.elapsed().as_secs();
        if this.elapsed > budget {
            println!("{}", style.yellow(&format!("Round over time by {}.", clock(this.elapsed - budget))));
        }
        played.push(this);
    }

    let inputs: Vec<RoundInput<'_>> = played
        .iter()
        .map(|p| RoundInput {
            id: p.round.id.clone(),
            name: p.round.name.clone(),
            budget_minutes: p.round.minutes,
            elapsed_seconds: p.elapsed,
            planned_questions: p.planned,
            attempts: p
                .asked
                .iter()
                .filter_map(|(id, a)| {
                    pack.question(id).map(|question| RoundAttempt { question, assessment: a.as_ref() })
                })
                .collect(),
            hands_on: p.hands_on.clone(),
        })
        .collect();
    let report = debrief::debrief(&pack, &level, &inputs);
    let now = Utc::now();
    storage.block(storage.store.finish_session(user, session.id, now))?;
    let saved = LoopReport {
        id: ReportId::new(),
        user,
        session: session.id,
        level: level.clone(),
        verdict: report.verdict.as_str().to_owned(),
        score: report.score,
        created_at: now,
        body: report.to_json(),
    };
    storage.block(storage.store.save_report(&saved))?;
    crate::model::save_cache(model.as_ref(), choice, &src);
    println!("\n{}", crate::render::markdown(&report.to_markdown(), style));
    println!(
        "{}",
        style.dim(&format!(
            "Saved as report {}. `mockloop report {}` shows it again; add --markdown to export it.",
            saved.id.short(),
            saved.id.short()
        ))
    );
    Ok(ExitCode::SUCCESS)
}
