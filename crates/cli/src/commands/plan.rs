//! `mockloop plan`: a personal prep plan, as Markdown and an iCalendar file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::{Local, NaiveDate, Utc};
use mockloop_domain::Pack;
use mockloop_practice::plan::{make_plan, PlanRequest, Span};
use mockloop_store::AttemptQuery;

use crate::storage::{Storage, StorageOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Plan this many weeks (ignored with --interview-date).
    #[arg(long, default_value_t = 4)]
    weeks: u32,
    /// Plan every day up to this interview date (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    interview_date: Option<String>,
    /// Hours you can spend per day.
    #[arg(long, default_value_t = 1.5)]
    hours_per_day: f32,
    /// Target level [default: the level of your latest session, else mid].
    #[arg(long)]
    level: Option<String>,
    /// First day of the plan (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    start: Option<String>,
    /// Write the calendar to FILE [default: mockloop-plan.ics in the current directory].
    #[arg(long, value_name = "FILE")]
    ics: Option<PathBuf>,
    /// Print the plan as JSON instead of Markdown.
    #[arg(long)]
    json: bool,
}

fn date(flag: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("{flag} `{s}` is not a date like 2026-12-15"))
}

pub fn run(args: &Args, pack: &Pack, opts: &StorageOptions) -> Result<ExitCode> {
    let start = match &args.start {
        Some(s) => date("--start", s)?,
        None => Local::now().date_naive(),
    };
    let span = match &args.interview_date {
        Some(d) => {
            let d = date("--interview-date", d)?;
            if d <= start {
                bail!("--interview-date {d} is not after the start date {start}");
            }
            Span::Until(d)
        }
        None if (1..=52).contains(&args.weeks) => Span::Weeks(args.weeks),
        None => bail!("--weeks must be between 1 and 52"),
    };
    if !(0.25..=16.0).contains(&args.hours_per_day) {
        bail!("--hours-per-day must be between 0.25 and 16");
    }
    let storage = Storage::open(opts)?;
    let level = super::practice::resolve_level(pack, args.level.as_deref(), &storage)?;
    let abilities = storage.block(storage.store.abilities(storage.user.id))?;
    let history = storage.block(storage.store.attempts(storage.user.id, &AttemptQuery::default()))?;
    let plan = make_plan(&PlanRequest {
        pack,
        level: &level,
        start,
        span,
        hours_per_day: args.hours_per_day,
        abilities: &abilities,
        history: &history,
        seed: 7,
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&plan)?);
    } else {
        let style = crate::render::Style::detect();
        print!("{}", crate::render::markdown(&plan.to_markdown(), style));
    }
    let ics_path = args.ics.clone().unwrap_or_else(|| PathBuf::from("mockloop-plan.ics"));
    std::fs::write(&ics_path, plan.to_ics(Utc::now()))
        .with_context(|| format!("writing {}", ics_path.display()))?;
    eprintln!(
        "wrote {} ({} days, one event each; import it into your calendar)",
        ics_path.display(),
        plan.days.len()
    );
    Ok(ExitCode::SUCCESS)
}
