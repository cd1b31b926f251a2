//! Subcommands. Each module has an `Args` struct and a `run` function; dependencies (the pack, the
//! grader) are passed in, never looked up from globals.

mod eval;
mod grade;
mod model;
mod pack;
mod questions;
mod role;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};

/// Offline interview practice for infrastructure engineers.
///
/// Browse a graded question bank, get instant, specific feedback on your answers, and check packs.
/// Everything runs locally; no cloud API is involved.
#[derive(Debug, Parser)]
#[command(name = "mockloop", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Use the pack in DIR instead of the built-in Infrastructure Engineer pack.
    #[arg(long, global = true, env = "MOCKLOOP_PACK", value_name = "DIR")]
    pack: Option<PathBuf>,

    /// Keep data (models, history) in DIR [default: $XDG_DATA_HOME/mockloop or ~/.local/share/mockloop].
    #[arg(long, global = true, env = "MOCKLOOP_HOME", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Use the sentence-transformers model folder DIR (config.json, tokenizer.json,
    /// model.safetensors) instead of the installed one.
    #[arg(long, global = true, env = "MOCKLOOP_MODEL_DIR", value_name = "DIR")]
    model_dir: Option<PathBuf>,

    /// Grade on the lexical path only: do not load or install the semantic model.
    #[arg(long, global = true)]
    lexical: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List questions, filtered and optionally ranked by a search.
    #[command(alias = "q")]
    Questions(questions::ListArgs),
    /// Show one question with its model answer.
    Show(questions::ShowArgs),
    /// Grade an answer: against a pack question, or pack-free as JSON Lines.
    Grade(grade::Args),
    /// Measure the grader against human-labelled answers (JSON Lines with `human_score`).
    Eval(eval::Args),
    /// Install or inspect the semantic model used for paraphrase matching.
    Model {
        #[command(subcommand)]
        command: model::Command,
    },
    /// Validate a pack or show its coverage.
    Pack {
        #[command(subcommand)]
        command: pack::Command,
    },
    /// The role reference: levels, rounds, compensation, common mistakes, FAQ.
    Role(role::Args),
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let pack_dir = cli.pack.as_deref();
    let choice = crate::model::ModelChoice {
        data_dir: crate::model::data_dir(cli.data_dir.as_deref()),
        model_dir: cli.model_dir.clone(),
        lexical: cli.lexical,
        auto_install: true,
    };
    match cli.command {
        Command::Questions(args) => questions::list(&args, pack_dir),
        Command::Show(args) => questions::show(&args, pack_dir),
        Command::Grade(args) => grade::run(&args, pack_dir, &choice),
        Command::Eval(args) => eval::run(&args, &choice),
        Command::Model { command } => model::run(command, &choice),
        Command::Pack { command } => pack::run(command, pack_dir),
        Command::Role(args) => role::run(&args, pack_dir),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "mockloop", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}
