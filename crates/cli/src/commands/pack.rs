//! `mockloop pack check` and `mockloop pack stats`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use mockloop_domain::{Category, Difficulty, Pack};

use crate::packs;
use crate::render::Style;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a pack and report every problem as `path:line: message`.
    Check {
        /// Pack directory (defaults to `--pack`, else the built-in pack).
        dir: Option<PathBuf>,
    },
    /// Coverage tables: difficulty × category, topics, rounds and levels.
    Stats {
        /// Pack directory (defaults to `--pack`, else the built-in pack).
        dir: Option<PathBuf>,
        /// Print Markdown tables (for docs).
        #[arg(long)]
        markdown: bool,
    },
}

pub fn run(command: Command, pack_dir: Option<&Path>) -> Result<ExitCode> {
    match command {
        Command::Check { dir } => check(dir.as_deref().or(pack_dir)),
        Command::Stats { dir, markdown } => {
            let pack = packs::load(dir.as_deref().or(pack_dir))?;
            print!("{}", stats(&pack, markdown));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(dir: Option<&Path>) -> Result<ExitCode> {
    let src = packs::source(dir)?;
    let (pack, mut diags) = mockloop_content::parse_pack(&src);
    let (exercises, exercise_diags) = mockloop_exercise::load_exercises(&src);
    diags.extend(exercise_diags);
    let (scenarios, scenario_diags) = mockloop_scenario::load_scenarios(&src);
    diags.extend(scenario_diags);
    for d in &diags {
        eprintln!("{d}");
    }
    match pack {
        Some(p) if diags.is_empty() => {
            let style = Style::detect();
            println!(
                "{} {}: {} questions, {} topics, {} rounds, {} levels, {} exercises, {} scenarios",
                style.green("ok"),
                src.root,
                p.questions.len(),
                p.topics.len(),
                p.rounds.len(),
                p.levels.len(),
                exercises.len(),
                scenarios.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("{} problem(s) in {}", diags.len(), src.root);
            Ok(ExitCode::from(1))
        }
    }
}

/// Renders the coverage tables as aligned text or Markdown.
pub fn stats(pack: &Pack, markdown: bool) -> String {
    let mut tables: Vec<(String, Vec<String>, Vec<Vec<String>>)> = Vec::new();
    // Difficulty × category.
    let mut rows = Vec::new();
    for d in Difficulty::ALL {
        let mut row = vec![d.to_string()];
        for c in Category::ALL {
            row.push(
                pack.questions.iter().filter(|q| q.difficulty == d && q.category == c).count().to_string(),
            );
        }
        row.push(pack.questions.iter().filter(|q| q.difficulty == d).count().to_string());
        rows.push(row);
    }
    let mut total = vec!["total".to_owned()];
    for c in Category::ALL {
        total.push(pack.questions.iter().filter(|q| q.category == c).count().to_string());
    }
    total.push(pack.questions.len().to_string());
    rows.push(total);
    let mut header = vec!["difficulty".to_owned()];
    header.extend(Category::ALL.iter().map(|c| c.to_string()));
    header.push("total".to_owned());
    tables.push(("Difficulty × category".to_owned(), header, rows));

    let by = |f: &dyn Fn(&mockloop_domain::Question) -> bool| {
        let qs: Vec<_> = pack.questions.iter().filter(|q| f(q)).collect();
        let mut v = vec![qs.len().to_string()];
        for d in Difficulty::ALL {
            v.push(qs.iter().filter(|q| q.difficulty == d).count().to_string());
        }
        v
    };
    let head = |first: &str| {
        vec![
            first.to_owned(),
            "questions".to_owned(),
            "easy".to_owned(),
            "medium".to_owned(),
            "hard".to_owned(),
        ]
    };
    let rows =
        pack.topics.iter().map(|t| [vec![t.id.clone()], by(&|q| q.has_topic(&t.id))].concat()).collect();
    tables.push(("Topics".to_owned(), head("topic"), rows));
    let rows = pack
        .rounds
        .iter()
        .map(|r| [vec![r.id.clone()], by(&|q| q.rounds.contains(&r.id))].concat())
        .collect();
    tables.push(("Rounds".to_owned(), head("round"), rows));
    let rows = pack
        .levels
        .iter()
        .map(|l| [vec![format!("{} ({})", l.id, l.code)], by(&|q| q.levels.contains(&l.id))].concat())
        .collect();
    tables.push(("Levels".to_owned(), head("level"), rows));

    let mut out = String::new();
    let _ = writeln!(out, "{}: {} questions\n", pack.role.name, pack.questions.len());
    for (title, header, rows) in tables {
        if markdown {
            let _ = writeln!(out, "### {title}\n");
            let _ = writeln!(out, "| {} |", header.join(" | "));
            let _ = writeln!(
                out,
                "|{}",
                header
                    .iter()
                    .enumerate()
                    .map(|(i, _)| if i == 0 { "---|" } else { "---:|" })
                    .collect::<String>()
            );
            for r in rows {
                let _ = writeln!(out, "| {} |", r.join(" | "));
            }
            let _ = writeln!(out);
        } else {
            let _ = writeln!(out, "{title}");
            let widths: Vec<usize> = (0..header.len())
                .map(|i| {
                    rows.iter()
                        .map(|r| r[i].chars().count())
                        .chain([header[i].chars().count()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let line = |cells: &[String]| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if i == 0 {
                            format!("{c:<w$}", w = widths[i])
                        } else {
                            format!("{c:>w$}", w = widths[i])
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
            };
            let _ = writeln!(out, "  {}", line(&header));
            for r in &rows {
                let _ = writeln!(out, "  {}", line(r));
            }
            let _ = writeln!(out);
        }
    }
    out
}
