//! `mockloop practice`: an adaptive mock interview, one question at a time.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::Utc;
use mockloop_domain::{Filter, Outcome, Pack, Rating, Review, ReviewSource, Session, SessionId, SessionKind};
use mockloop_practice::{ability, schedule, select};
use mockloop_store::AttemptQuery;

use crate::interview::{self, Ask, Console};
use crate::model::ModelChoice;
use crate::render::Style;
use crate::storage::{Storage, StorageOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Level to practise at: entry, mid, senior, staff or principal.
    /// [default: the level of your latest session, else mid]
    #[arg(long)]
    level: Option<String>,
    /// Only these topics (repeat or comma-separate).
    #[arg(long, value_delimiter = ',')]
    topic: Vec<String>,
    /// Only these categories: technical, role-specific, situational, behavioral.
    #[arg(long, value_delimiter = ',')]
    category: Vec<String>,
    /// Only questions asked in these rounds.
    #[arg(long, value_delimiter = ',')]
    round: Vec<String>,
    /// How many questions to ask.
    #[arg(long, default_value_t = 5)]
    count: u32,
    /// Read answers from FILE (separated by lines `---`) instead of the keyboard.
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Do not ask follow-up probes on gaps.
    #[arg(long)]
    no_follow_up: bool,
}

/// Checks a level id against the pack, listing the valid ones.
pub fn check_level(pack: &Pack, level: &str) -> Result<()> {
    if pack.level(level).is_none() {
        let ids: Vec<_> = pack.levels.iter().map(|l| l.id.as_str()).collect();
        bail!("unknown level `{level}`; choose one of: {}", ids.join(", "));
    }
    Ok(())
}

/// A session just started, with what adaptive selection needs from the user's history.
pub struct Sitting {
    pub session: Session,
    pub abilities: Vec<mockloop_domain::Ability>,
    pub history: Vec<mockloop_domain::Attempt>,
    pub cards: Vec<mockloop_domain::Card>,
}

/// Starts a session of `kind` at `level` and loads abilities, history and cards.
pub fn sit(storage: &Storage, kind: SessionKind, level: &str) -> Result<Sitting> {
    let user = storage.user.id;
    let session = Session {
        id: SessionId::new(),
        user,
        kind,
        level: Some(level.to_owned()),
        started_at: Utc::now(),
        finished_at: None,
    };
    storage.block(storage.store.start_session(&session))?;
    Ok(Sitting {
        abilities: storage.block(storage.store.abilities(user))?,
        history: storage.block(storage.store.attempts(user, &AttemptQuery::default()))?,
        cards: storage.block(storage.store.cards(user))?,
        session,
    })
}

/// The level to use: the flag (checked), else the latest session's, else `mid`.
pub fn resolve_level(pack: &Pack, flag: Option<&str>, storage: &Storage) -> Result<String> {
    let level = match flag {
        Some(l) => l.to_owned(),
        None => super::stats::latest_level(storage)?.unwrap_or_else(|| "mid".to_owned()),
    };
    check_level(pack, &level)?;
    Ok(level)
}

/// Builds the question filter from flags, checking every id against the pack.
fn filter(pack: &Pack, args: &Args) -> Result<Filter> {
    for t in &args.topic {
        if pack.topic(t).is_none() {
            bail!("unknown topic `{t}` (see `mockloop role` or `mockloop pack stats` for topics)");
        }
    }
    for r in &args.round {
        if pack.round(r).is_none() {
            let ids: Vec<_> = pack.rounds.iter().map(|r| r.id.as_str()).collect();
            bail!("unknown round `{r}`; choose one of: {}", ids.join(", "));
        }
    }
    let category = args
        .category
        .iter()
        .map(|c| {
            serde_json::from_value(serde_json::Value::String(c.clone())).map_err(|_| {
                anyhow::anyhow!(
                    "unknown category `{c}`; choose technical, role-specific, situational or behavioral"
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Filter { topic: args.topic.clone(), round: args.round.clone(), category, ..Filter::default() })
}

/// The console for a session: the answers file, or stdin (interactive when it is a terminal).
pub fn console(answers: Option<&std::path::Path>) -> Result<Console> {
    let style = Style::detect();
    Ok(match answers {
        Some(path) => {
            let f = std::fs::File::open(path)
                .with_context(|| format!("opening answers file {}", path.display()))?;
            Console::new(Box::new(std::io::BufReader::new(f)), false, style)
        }
        None => {
            let tty = std::io::stdin().is_terminal();
            Console::new(Box::new(std::io::BufReader::new(std::io::stdin())), tty, style)
        }
    })
}

/// A seed that varies between sessions (selection is otherwise deterministic).
pub fn seed() -> u64 {
    Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64 ^ u64::from(std::process::id())
}

pub fn run(
    args: &Args,
    pack_dir: Option<&std::path::Path>,
    choice: &ModelChoice,
    opts: &StorageOptions,
) -> Result<ExitCode> {
    let src = crate::packs::source(pack_dir)?;
    let pack = mockloop_content::load(&src)?;
    let filter = filter(&pack, args)?;
    if args.count == 0 {
        bail!("--count must be at least 1");
    }
    let mut console = console(args.answers.as_deref())?;
    let storage = Storage::open(opts)?;
    let level = super::practice::resolve_level(&pack, args.level.as_deref(), &storage)?;
    let model = crate::model::load_with_cache(choice, &src);
    let grader = crate::model::grader(model.as_ref());
    let style = console.style;
    let user = storage.user.id;

    let Sitting { session, mut abilities, mut history, cards } =
        sit(&storage, SessionKind::Practice, &level)?;
    let level_name = pack.level(&level).map_or(level.clone(), |l| format!("{} ({})", l.name, l.code));
    println!("{}", style.heading(&format!("Practice · {level_name} · {} questions", args.count)));

    let seed = seed();
    let mut asked: Vec<String> = Vec::new();
    let mut scores = Vec::new();
    let ask_ctx = Ask {
        storage: &storage,
        grader: &grader,
        session: session.id,
        round: None,
        follow_up: !args.no_follow_up,
    };
    for n in 1..=args.count {
        let req = select::Request {
            level: &level,
            filter: &filter,
            abilities: &abilities,
            history: &history,
            asked: &asked,
            now: Utc::now(),
            seed: seed.wrapping_add(u64::from(n)),
        };
        let Some(pick) = select::next_question(&pack, &req) else {
            println!("\nNo more questions match these filters.");
            break;
        };
        let q = pick.question;
        asked.push(q.id.clone());
        let topic_name = pack.topic(&pick.topic).map_or(pick.topic.as_str(), |t| t.name.as_str());
        println!(
            "\n{} {}  {}",
            style.bold(&format!("[{n}/{}]", args.count)),
            style.bold(topic_name),
            style.dim(&format!(
                "{} · {} · {} · ~{} min · id {}",
                q.difficulty,
                serde_json::to_value(q.category)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                q.rounds.first().and_then(|r| pack.round(r)).map_or("any round", |r| r.name.as_str()),
                q.time_minutes,
                q.id
            ))
        );
        println!("{}", style.dim(&format!("Why this one: {}", pick.reason)));
        println!("\n{}\n", style.cyan(&q.prompt));
        let outcome = interview::ask(&ask_ctx, &mut console, q)?;
        if outcome.quit {
            println!("\nStopping here.");
            break;
        }
        abilities = learn(&storage, &pack, &level, q, &outcome.attempt, &abilities, &cards)?;
        if outcome.attempt.outcome == Outcome::Answered {
            scores.push(outcome.attempt.score);
        }
        history.push(outcome.attempt);
        history.extend(outcome.follow_up);
    }
    storage.block(storage.store.finish_session(user, session.id, Utc::now()))?;
    crate::model::save_cache(model.as_ref(), choice, &src);
    if scores.is_empty() {
        println!("\nNo answers graded this time. Run `mockloop practice` again when ready.");
    } else {
        let mean = scores.iter().sum::<f32>() / scores.len() as f32;
        println!(
            "\n{} {} answered, mean {mean:.1}/5. {}",
            style.bold("Session done:"),
            scores.len(),
            style.dim("See `mockloop stats` for progress and `mockloop history` to replay answers.")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Feeds an attempt into the user's progress: per-topic abilities (answered questions) and the
/// question's flashcard schedule (answered, or revealed as a failed recall). Returns the updated
/// abilities. Prints one line per topic so the user sees the estimate move.
pub fn learn(
    storage: &Storage,
    pack: &Pack,
    level: &str,
    q: &mockloop_domain::Question,
    attempt: &mockloop_domain::Attempt,
    abilities: &[mockloop_domain::Ability],
    cards: &[mockloop_domain::Card],
) -> Result<Vec<mockloop_domain::Ability>> {
    let style = Style::detect();
    let user = storage.user.id;
    let now = Utc::now();
    let card = cards.iter().find(|c| c.question == q.id);
    let scheduler = schedule::Scheduler::default();
    let rating = match attempt.outcome {
        Outcome::Answered => schedule::rating_from_score(attempt.score),
        Outcome::Revealed => Rating::Again,
        Outcome::Skipped => return Ok(abilities.to_vec()),
    };
    let base = card.cloned().unwrap_or_else(|| schedule::new_card(&q.id, now));
    let next = scheduler.review(&base, rating, now);
    let review = Review { question: q.id.clone(), rating, source: ReviewSource::Practice, reviewed_at: now };
    storage.block(storage.store.record_review(user, &next, &review))?;
    if attempt.outcome != Outcome::Answered {
        return Ok(abilities.to_vec());
    }
    let updates = ability::record_answer(abilities, q, &pack.levels, level, attempt.score, now);
    for u in &updates {
        let before = ability::rating_or_prior(abilities, &u.topic, &pack.levels, level);
        storage.block(storage.store.put_ability(user, u))?;
        let name = pack.topic(&u.topic).map_or(u.topic.as_str(), |t| t.name.as_str());
        println!("{}", style.dim(&format!("{name} ability {before:+.2} → {:+.2}", u.rating)));
    }
    Ok(ability::merge(abilities, &updates))
}
