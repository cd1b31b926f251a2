//! `mockloop stats`: progress per topic and signal, readiness per round, cards, streak.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use chrono::{Local, Offset, Utc};
use mockloop_domain::Pack;
use mockloop_practice::stats::{self, sparkline, Stats, StatsInput};
use mockloop_store::AttemptQuery;

use crate::render::{cell, Style};
use crate::storage::{Storage, StorageOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Level to measure readiness against [default: the level of your latest session, else mid].
    #[arg(long)]
    level: Option<String>,
    /// Print the statistics as JSON.
    #[arg(long)]
    json: bool,
}

/// The level of the user's latest leveled session, for defaults.
pub fn latest_level(storage: &Storage) -> Result<Option<String>> {
    let sessions = storage.block(storage.store.sessions(storage.user.id, 20))?;
    Ok(sessions.into_iter().find_map(|s| s.level))
}

/// Progress on one hands-on task (a Terraform exercise or a troubleshooting scenario).
#[derive(Debug, Clone, serde::Serialize)]
pub struct HandsOnStats {
    /// `exercise` or `scenario`.
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Tries, skipped ones included.
    pub tries: u32,
    /// Best score 0–5 among graded tries.
    pub best: Option<f32>,
    /// Score of the latest graded try.
    pub latest: Option<f32>,
}

/// Hands-on progress from the attempts whose id is an exercise's or a scenario's.
fn hands_on(src: &mockloop_content::PackSource, attempts: &[mockloop_domain::Attempt]) -> Vec<HandsOnStats> {
    let (exercises, _) = mockloop_exercise::load_exercises(src);
    let (scenarios, _) = mockloop_scenario::load_scenarios(src);
    let tasks = exercises
        .iter()
        .map(|e| ("exercise", e.id.clone(), e.title.clone()))
        .chain(scenarios.iter().map(|s| ("scenario", s.id.clone(), s.title.clone())));
    tasks
        .filter_map(|(kind, id, title)| {
            let tries: Vec<_> = attempts.iter().filter(|a| a.question == id).collect();
            if tries.is_empty() {
                return None;
            }
            let graded: Vec<f32> = tries
                .iter()
                .filter(|a| a.outcome == mockloop_domain::Outcome::Answered)
                .map(|a| a.score)
                .collect();
            Some(HandsOnStats {
                kind,
                id,
                title,
                tries: tries.len() as u32,
                best: graded.iter().copied().reduce(f32::max),
                latest: graded.last().copied(),
            })
        })
        .collect()
}

pub fn run(args: &Args, pack_dir: Option<&std::path::Path>, opts: &StorageOptions) -> Result<ExitCode> {
    let src = crate::packs::source(pack_dir)?;
    let pack = &mockloop_content::load(&src)?;
    let storage = Storage::open(opts)?;
    let user = storage.user.id;
    let level = super::practice::resolve_level(pack, args.level.as_deref(), &storage)?;
    let attempts = storage.block(storage.store.attempts(user, &AttemptQuery::default()))?;
    let reviews = storage.block(storage.store.reviews(user))?;
    let abilities = storage.block(storage.store.abilities(user))?;
    let cards = storage.block(storage.store.cards(user))?;
    let s = stats::stats(&StatsInput {
        pack,
        level: &level,
        attempts: &attempts,
        reviews: &reviews,
        abilities: &abilities,
        cards: &cards,
        now: Utc::now(),
        offset: Local::now().offset().fix(),
    });
    let tasks = hands_on(&src, &attempts);
    if args.json {
        let mut value = serde_json::to_value(&s)?;
        value["hands_on"] = serde_json::to_value(&tasks)?;
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        let style = Style::detect();
        print!("{}", render(&s, pack, &level, style));
        if !tasks.is_empty() {
            println!("\n{}", style.bold("Hands-on"));
            for t in &tasks {
                println!(
                    "  {} {} best {} latest {}  {}",
                    cell(t.kind, 8),
                    cell(&t.title, 44),
                    score_cell(t.best, style),
                    score_cell(t.latest, style),
                    style.dim(&format!("{} tr{}", t.tries, if t.tries == 1 { "y" } else { "ies" }))
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn score_cell(v: Option<f32>, style: Style) -> String {
    match v {
        None => style.dim("   —"),
        Some(x) if x >= 3.5 => style.green(&format!("{x:>4.1}")),
        Some(x) if x >= 2.0 => style.yellow(&format!("{x:>4.1}")),
        Some(x) => style.red(&format!("{x:>4.1}")),
    }
}

fn trend(t: Option<f32>, style: Style) -> String {
    match t {
        Some(x) if x > 0.05 => style.green(&format!("▲{x:+.1}")),
        Some(x) if x < -0.05 => style.red(&format!("▼{x:+.1}")),
        Some(_) => style.dim("  ="),
        None => String::new(),
    }
}

fn render(s: &Stats, pack: &Pack, level: &str, style: Style) -> String {
    let mut out = String::new();
    let level_name = pack.level(level).map_or(level.to_owned(), |l| format!("{} ({})", l.name, l.code));
    let t = &s.totals;
    let _ = writeln!(out, "{}", style.heading(&format!("Progress · measured against {level_name}")));
    let _ = writeln!(
        out,
        "{} answered ({} skipped) on {} questions · mean {} · {} min practised · {} active days · {} card reviews",
        t.answered,
        t.skipped,
        t.questions,
        t.mean_score.map_or("—".to_owned(), |m| format!("{m:.1}/5")),
        t.minutes,
        t.active_days,
        t.reviews
    );
    let streak = &s.streak;
    let flame = if streak.active_today { "🔥" } else { "·" };
    let _ = writeln!(
        out,
        "Streak {flame} {} day{} (longest {}) · cards: {} due now, {} due today, {} in deck",
        streak.current,
        if streak.current == 1 { "" } else { "s" },
        streak.longest,
        s.cards.due_now,
        s.cards.due_today,
        s.cards.total
    );

    let _ = writeln!(out, "\n{}", style.bold("Readiness per round"));
    for r in &s.rounds {
        let _ = writeln!(
            out,
            "  {} {} {:>3.0}%  {}",
            cell(&r.name, 28),
            style.bar(r.readiness, 20),
            r.readiness * 100.0,
            style.dim(&format!("{} answered", r.answered))
        );
    }

    let _ = writeln!(out, "\n{}", style.bold("Topics"));
    let _ = writeln!(
        out,
        "  {}",
        style.dim(&format!(
            "{:<30} {:>7} {:>4} {:>6}  {:<14} {}",
            "topic", "answers", "last", "trend", "history", "ability"
        ))
    );
    let mut topics: Vec<_> = s.topics.iter().collect();
    topics.sort_by(|a, b| b.answers.cmp(&a.answers).then_with(|| a.name.cmp(&b.name)));
    for tp in topics {
        let spark = sparkline(&tp.scores.values().iter().map(|v| v / 5.0).collect::<Vec<_>>());
        let _ = writeln!(
            out,
            "  {} {:>7} {} {:>6}  {:<14} {}",
            cell(&tp.name, 30),
            tp.answers,
            score_cell(tp.scores.latest, style),
            trend(tp.scores.trend, style),
            spark.chars().rev().take(14).collect::<Vec<_>>().into_iter().rev().collect::<String>(),
            tp.rating.map_or(style.dim("unseen"), |r| format!("{r:+.2}"))
        );
    }

    if s.signals.iter().any(|x| !x.values.points.is_empty()) {
        let _ = writeln!(out, "\n{}", style.bold("Signals"));
        for sig in &s.signals {
            let latest = sig.values.latest.unwrap_or(0.0);
            let _ = writeln!(
                out,
                "  {} {} {:>3.0}%  {}  {}",
                cell(&sig.label, 24),
                style.bar(latest, 16),
                latest * 100.0,
                sparkline(&sig.values.values()),
                trend(sig.values.trend.map(|t| t * 5.0), style)
            );
        }
    }

    if !s.weakest.is_empty() {
        let names: Vec<_> =
            s.weakest.iter().map(|t| pack.topic(t).map_or(t.as_str(), |x| x.name.as_str())).collect();
        let _ = writeln!(out, "\n{} {}", style.bold("Weakest topics:"), names.join(", "));
        let _ = writeln!(
            out,
            "{}",
            style.dim(&format!("Work on them: mockloop practice --level {level} --topic {}", s.weakest[0]))
        );
    }
    if t.attempts == 0 {
        let _ = writeln!(out, "\n{}", style.dim("No answers yet: start with `mockloop practice`."));
    }
    out
}
