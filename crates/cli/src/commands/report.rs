//! `mockloop report`: saved loop debriefs.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use mockloop_domain::LoopReport;
use mockloop_practice::debrief::Debrief;

use crate::render::{cell, Style};
use crate::storage::{Storage, StorageOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report id (or the short id shown after a loop); default: the latest.
    id: Option<String>,
    /// List every saved report.
    #[arg(long, conflicts_with = "id")]
    list: bool,
    /// Print the report as Markdown (to save or share).
    #[arg(long)]
    markdown: bool,
    /// Print the report as JSON.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
}

fn find<'a>(reports: &'a [LoopReport], want: &str) -> Result<&'a LoopReport> {
    let want = want.replace('-', "").to_ascii_lowercase();
    let hits: Vec<_> = reports
        .iter()
        .filter(|r| {
            let id = r.id.0.simple().to_string();
            !want.is_empty() && (id.starts_with(&want) || id.ends_with(&want))
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => bail!("no report `{want}` for this user (see `mockloop report --list`)"),
        _ => bail!("`{want}` matches several reports; give more characters"),
    }
}

pub fn run(args: &Args, opts: &StorageOptions) -> Result<ExitCode> {
    let storage = Storage::open(opts)?;
    let reports = storage.block(storage.store.reports(storage.user.id, u32::MAX))?;
    let style = Style::detect();
    if reports.is_empty() {
        println!("No loop reports yet. Run `mockloop loop --level senior` (add --short for a quick one).");
        return Ok(ExitCode::SUCCESS);
    }
    if args.list {
        println!(
            "{}",
            style.bold(&format!(
                "{:<9} {:<17} {:<10} {:>5}  {}",
                "report", "when", "level", "score", "verdict"
            ))
        );
        for r in &reports {
            println!(
                "{:<9} {:<17} {} {:>5.1}  {}",
                r.id.short(),
                r.created_at.format("%Y-%m-%d %H:%M"),
                cell(&r.level, 10),
                r.score,
                r.verdict
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = match &args.id {
        Some(id) => find(&reports, id)?,
        None => &reports[0],
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let debrief = Debrief::from_json(&report.body)
        .context("this report was saved in a format this build cannot read")?;
    let md = debrief.to_markdown();
    if args.markdown {
        print!("{md}");
    } else {
        println!(
            "{}",
            style.dim(&format!(
                "Report {} · {}",
                report.id.short(),
                report.created_at.format("%Y-%m-%d %H:%M UTC")
            ))
        );
        println!("{}", crate::render::markdown(&md, style));
    }
    Ok(ExitCode::SUCCESS)
}
