//! `mockloop`: offline interview practice for infrastructure engineers.
//!
//! This file only parses arguments and reports errors; each subcommand lives in `commands/`.

mod commands;
mod config;
mod feedback_view;
mod hands_on;
mod interview;
mod model;
mod packs;
mod render;
mod storage;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `mockloop questions | head` closes the pipe early: that is success, not an error.
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "error: {err}");
            for cause in err.chain().skip(1) {
                let _ = write!(stderr, "\n  caused by: {cause}");
            }
            let _ = writeln!(stderr);
            ExitCode::from(2)
        }
    }
}
