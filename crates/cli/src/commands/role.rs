//! `mockloop role`: the role reference pages.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;

use crate::packs;
use crate::render::{cell, markdown, Style};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Page {
    /// What each level is expected to show.
    Levels,
    /// The rounds of the loop and what each evaluates.
    Rounds,
    /// Compensation ranges by level.
    Comp,
    /// Common mistakes candidates make.
    Mistakes,
    /// Frequently asked questions.
    Faq,
    /// The prep-plan template.
    Plan,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which page; without one, a summary of the role and the list of pages.
    page: Option<Page>,
}

pub fn run(args: &Args, pack_dir: Option<&Path>) -> Result<ExitCode> {
    let pack = packs::load(pack_dir)?;
    let s = Style::detect();
    match args.page {
        None => {
            println!("{}\n\n{}\n", s.heading(&pack.role.name), pack.role.summary);
            println!("Pages: mockloop role levels | rounds | comp | mistakes | faq | plan");
        }
        Some(Page::Levels) => {
            for l in &pack.levels {
                println!("{} {}", s.bold(&format!("{} ({})", l.name, l.code)), s.dim(&l.experience));
                for e in &l.expectations {
                    println!("  • {e}");
                }
                println!();
            }
        }
        Some(Page::Rounds) => {
            let total: u32 = pack.rounds.iter().map(|r| r.minutes).sum();
            for r in &pack.rounds {
                println!("{} {}", s.bold(&r.name), s.dim(&format!("· {} · {} min", r.format, r.minutes)));
                println!("  {}", r.focus);
                println!("  {} {}\n", s.dim("evaluated on:"), r.signals.join(", "));
            }
            println!("{}", s.dim(&format!("{} rounds, {total} minutes in all.", pack.rounds.len())));
        }
        Some(Page::Comp) => {
            let c = &pack.compensation;
            println!(
                "{}",
                s.bold(&format!("Compensation ({}, {}), source: {}", c.currency, c.year, c.source))
            );
            println!(
                "\n  {} {} {} {} total",
                cell("level", 18),
                cell("base", 14),
                cell("equity/yr", 14),
                cell("sign-on", 14)
            );
            for b in &c.bands {
                let name =
                    pack.level(&b.level).map_or(b.level.clone(), |l| format!("{} ({})", l.name, l.code));
                println!(
                    "  {} {} {} {} {}",
                    cell(&name, 18),
                    cell(&b.base.display_k(), 14),
                    cell(&b.equity.display_k(), 14),
                    cell(&b.sign_on.display_k(), 14),
                    b.total.display_k()
                );
            }
            if !c.note.is_empty() {
                println!("\n{}", c.note);
            }
        }
        Some(Page::Mistakes) => print!("{}", markdown(&pack.mistakes, s)),
        Some(Page::Faq) => print!("{}", markdown(&pack.faq, s)),
        Some(Page::Plan) => {
            for w in &pack.prep_plan.weeks {
                println!("{} {}", s.bold(&format!("Week {}: {}", w.week, w.name)), w.focus);
                for d in &w.daily {
                    println!("  daily: {d}");
                }
                for m in &w.milestones {
                    println!("  milestone: {m}");
                }
                println!();
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
