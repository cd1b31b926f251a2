//! `mockloop questions` and `mockloop show`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use mockloop_domain::{search, Category, Difficulty, Filter, Pack, Question};

use crate::packs;
use crate::render::{cell, markdown, Style};

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this difficulty (repeatable): easy, medium, hard.
    #[arg(long, short, value_parser = parse_difficulty)]
    difficulty: Vec<Difficulty>,
    /// Only this category (repeatable): technical, role-specific, situational, behavioral.
    #[arg(long, short, value_parser = parse_category)]
    category: Vec<Category>,
    /// Only questions with this topic id (repeatable); `mockloop pack stats` lists topics.
    #[arg(long, short)]
    topic: Vec<String>,
    /// Only questions suited to this level (repeatable): entry, mid, senior, staff, principal.
    #[arg(long, short)]
    level: Vec<String>,
    /// Only questions for this round (repeatable), e.g. system-design, behavioral.
    #[arg(long, short)]
    round: Vec<String>,
    /// Rank by relevance to TEXT (BM25 over prompt, key points and answer).
    #[arg(long, short, value_name = "TEXT")]
    search: Option<String>,
    /// Show at most N questions.
    #[arg(long, short = 'n', value_name = "N")]
    limit: Option<usize>,
    /// Print a JSON array with every field, including model answers.
    #[arg(long)]
    json: bool,
}

fn parse_difficulty(s: &str) -> Result<Difficulty, String> {
    Difficulty::parse(s).ok_or_else(|| format!("unknown difficulty `{s}` (expected easy, medium or hard)"))
}

fn parse_category(s: &str) -> Result<Category, String> {
    Category::parse(s).ok_or_else(|| {
        format!("unknown category `{s}` (expected technical, role-specific, situational or behavioral)")
    })
}

/// Rejects filter values the pack does not define, listing the valid ones.
fn check_ids(pack: &Pack, args: &ListArgs) -> Result<()> {
    for t in &args.topic {
        if pack.topic(t).is_none() {
            bail!(
                "unknown topic `{t}`; topics: {}",
                pack.topics.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    for l in &args.level {
        if pack.level(l).is_none() {
            bail!(
                "unknown level `{l}`; levels: {}",
                pack.levels.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    for r in &args.round {
        if pack.round(r).is_none() {
            bail!(
                "unknown round `{r}`; rounds: {}",
                pack.rounds.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    Ok(())
}

/// The questions a listing selects, in display order.
pub fn select<'a>(pack: &'a Pack, args: &ListArgs) -> Vec<&'a Question> {
    let filter = Filter {
        difficulty: args.difficulty.clone(),
        category: args.category.clone(),
        topic: args.topic.clone(),
        level: args.level.clone(),
        round: args.round.clone(),
    };
    let mut qs: Vec<&Question> = match &args.search {
        Some(text) => search::search(pack.filter(&filter), text).into_iter().map(|h| h.question).collect(),
        None => {
            let mut v: Vec<&Question> = pack.filter(&filter);
            v.sort_by(|a, b| a.difficulty.cmp(&b.difficulty).then(a.id.cmp(&b.id)));
            v
        }
    };
    if let Some(n) = args.limit {
        qs.truncate(n);
    }
    qs
}

pub fn list(args: &ListArgs, pack_dir: Option<&Path>) -> Result<ExitCode> {
    let pack = packs::load(pack_dir)?;
    check_ids(&pack, args)?;
    let qs = select(&pack, args);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &qs)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let style = Style::detect();
    if qs.is_empty() {
        writeln!(out, "No questions match. Try fewer filters, or `mockloop questions --search TEXT`.")?;
        return Ok(ExitCode::SUCCESS);
    }
    for q in &qs {
        let diff = match q.difficulty {
            Difficulty::Easy => style.green(&cell("easy", 6)),
            Difficulty::Medium => style.yellow(&cell("medium", 6)),
            Difficulty::Hard => style.red(&cell("hard", 6)),
        };
        writeln!(
            out,
            "{} {diff} {} {}",
            style.bold(&cell(&q.id, 34)),
            cell(q.category.as_str(), 13),
            q.prompt
        )?;
    }
    writeln!(
        out,
        "{}",
        style.dim(&format!("\n{} question(s). `mockloop show ID` for the model answer.", qs.len()))
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Question id (see `mockloop questions`).
    id: String,
    /// Print the question as JSON.
    #[arg(long)]
    json: bool,
    /// Hide the model answer (show the prompt and key points only).
    #[arg(long)]
    no_answer: bool,
}

pub fn find<'a>(pack: &'a Pack, id: &str) -> Result<&'a Question> {
    match pack.question(id) {
        Some(q) => Ok(q),
        None => {
            let similar = pack.similar_ids(id);
            if similar.is_empty() {
                bail!("no question with id `{id}`; list them with `mockloop questions`")
            } else {
                bail!("no question with id `{id}`; did you mean {}?", similar.join(", "))
            }
        }
    }
}

pub fn show(args: &ShowArgs, pack_dir: Option<&Path>) -> Result<ExitCode> {
    let pack = packs::load(pack_dir)?;
    let q = find(&pack, &args.id)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, q)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let style = Style::detect();
    let names = |ids: &[String], f: &dyn Fn(&str) -> Option<String>| {
        ids.iter().map(|i| f(i).unwrap_or_else(|| i.clone())).collect::<Vec<_>>().join(", ")
    };
    writeln!(out, "{}\n", style.heading(&q.prompt))?;
    writeln!(out, "{} {} · {} · {} min", style.dim("id"), q.id, q.difficulty, q.time_minutes)?;
    writeln!(out, "{} {}", style.dim("category"), q.category)?;
    writeln!(
        out,
        "{} {}",
        style.dim("topics"),
        names(&q.topics, &|i| pack.topic(i).map(|t| t.name.clone()))
    )?;
    writeln!(
        out,
        "{} {}",
        style.dim("levels"),
        names(&q.levels, &|i| pack.level(i).map(|l| format!("{} ({})", l.name, l.code)))
    )?;
    writeln!(
        out,
        "{} {}\n",
        style.dim("rounds"),
        names(&q.rounds, &|i| pack.round(i).map(|r| r.name.clone()))
    )?;
    writeln!(out, "{}", style.bold("Key points"))?;
    for kp in &q.key_points {
        writeln!(out, "  {} {}", style.cyan(&"●".repeat(kp.weight as usize)), kp.text)?;
    }
    if !args.no_answer {
        writeln!(out, "\n{}\n", style.bold("Model answer"))?;
        write!(out, "{}", markdown(&q.answer, style))?;
        writeln!(out, "\n{} {}", style.bold("Flashcard:"), q.flashcard)?;
        if !q.misconceptions.is_empty() {
            writeln!(out, "\n{}", style.bold("Common misconceptions"))?;
            for m in &q.misconceptions {
                writeln!(out, "  {} {}\n    {} {}", style.red("✗"), m.claim, style.green("→"), m.correction)?;
            }
        }
    }
    writeln!(out, "\n{}", style.bold("Follow-ups an interviewer may ask"))?;
    for f in &q.follow_ups {
        writeln!(out, "  ? {}", f.prompt)?;
    }
    Ok(ExitCode::SUCCESS)
}
