//! Subcommands. Each module has an `Args` struct and a `run` function; dependencies (the pack, the
//! grader) are passed in, never looked up from globals.

mod data;
mod eval;
mod exercise;
mod grade;
mod history;
mod interview_loop;
mod invite;
mod model;
mod pack;
mod plan;
mod practice;
mod questions;
mod report;
mod review;
mod role;
mod serve;
mod stats;
mod troubleshoot;

use std::path::PathBuf;

pub(crate) use exercise::render_report as render_exercise_report;
use std::process::ExitCode;
pub(crate) use troubleshoot::{render_debrief as render_scenario_debrief, session as troubleshoot_session};

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

    /// Store history in this database: sqlite:PATH or postgres://USER@HOST:PORT/DB
    /// [default: the SQLite file mockloop.db in the data directory].
    #[arg(long, global = true, env = "MOCKLOOP_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    database: Option<String>,

    /// Whose history to read and write (one database can hold several people's) [default: local].
    // No clap default: `serve` must tell a given name from the default, which a config file overrides.
    #[arg(long, global = true, env = "MOCKLOOP_USER", value_name = "NAME")]
    user: Option<String>,

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
    /// An adaptive mock interview: questions at your level, instant feedback, follow-up probes.
    Practice(practice::Args),
    /// A whole interview loop, round by round with time budgets, ending in a debrief.
    Loop(interview_loop::Args),
    /// Show a saved loop debrief (the latest by default), or export it as Markdown.
    Report(report::Args),
    /// Spaced-repetition flashcards (FSRS); `--export anki FILE` writes an Anki deck.
    Review(review::Args),
    /// Progress per topic and signal, readiness per round, cards due, streak.
    Stats(stats::Args),
    /// A personal prep plan weighted to your weak topics, as Markdown and an .ics calendar.
    Plan(plan::Args),
    /// Every answer you gave, with its feedback; compare attempts at one question.
    History(history::Args),
    /// Print a one-time sign-up link for the team-mode web app (`serve --multi-user`).
    Invite(invite::Args),
    /// Write all your data (history, cards, reports) as one JSON document.
    Export(data::ExportArgs),
    /// Add the data from a `mockloop export` file; a bad file changes nothing.
    Import(data::ImportArgs),
    /// Install or inspect the semantic model used for paraphrase matching.
    Model {
        #[command(subcommand)]
        command: model::Command,
    },
    /// Hands-on Terraform exercises: show the task, write starter files, check your .tf files.
    Exercise {
        #[command(subcommand)]
        command: exercise::Command,
    },
    /// Validate a pack or show its coverage.
    Pack {
        #[command(subcommand)]
        command: pack::Command,
    },
    /// The role reference: levels, rounds, compensation, common mistakes, FAQ.
    Role(role::Args),
    /// The web app: practice, review and progress in the browser (loopback only for now).
    Serve(serve::Args),
    /// Print a commented configuration file for `mockloop serve --config`.
    DefaultConfig,
    /// Live troubleshooting scenarios: investigate a simulated broken system against the clock.
    Troubleshoot(troubleshoot::Args),
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let data_dir = crate::model::data_dir(cli.data_dir.as_deref());
    // `--pack` first; else a pack an administrator installed into the data directory; else the
    // built-in one.
    let installed = crate::packs::installed(&data_dir);
    let pack_dir = cli.pack.as_deref().or(installed.as_deref());
    let choice = crate::model::ModelChoice {
        data_dir,
        model_dir: cli.model_dir.clone(),
        lexical: cli.lexical,
        auto_install: true,
    };
    let storage = crate::storage::StorageOptions {
        data_dir: choice.data_dir.clone(),
        database: cli.database.clone(),
        user: cli.user.clone().unwrap_or_else(|| "local".to_owned()),
    };
    let explicit = serve::Explicit {
        data_dir: cli.data_dir.clone(),
        database: cli.database.clone(),
        user: cli.user.clone(),
    };
    match cli.command {
        Command::Questions(args) => questions::list(&args, pack_dir),
        Command::Show(args) => questions::show(&args, pack_dir),
        Command::Grade(args) => grade::run(&args, pack_dir, &choice),
        Command::Eval(args) => eval::run(&args, &choice),
        Command::Model { command } => model::run(command, &choice),
        Command::Pack { command } => pack::run(command, pack_dir),
        Command::Exercise { command } => exercise::run(command, pack_dir),
        Command::Role(args) => role::run(&args, pack_dir),
        Command::Serve(args) => serve::run(&args, pack_dir, &choice, &explicit),
        Command::DefaultConfig => {
            print!("{}", crate::config::EXAMPLE);
            Ok(ExitCode::SUCCESS)
        }
        Command::Troubleshoot(args) => troubleshoot::run(&args, pack_dir, &choice),
        Command::Practice(args) => practice::run(&args, pack_dir, &choice, &storage),
        Command::Loop(args) => interview_loop::run(&args, pack_dir, &choice, &storage),
        Command::Report(args) => report::run(&args, &storage),
        Command::Review(args) => review::run(&args, &crate::packs::load(pack_dir)?, &storage),
        Command::Stats(args) => stats::run(&args, pack_dir, &storage),
        Command::Plan(args) => plan::run(&args, &crate::packs::load(pack_dir)?, &storage),
        Command::History(args) => history::run(&args, &crate::packs::load(pack_dir)?, &storage),
        Command::Invite(args) => invite::run(&args, &storage),
        Command::Export(args) => data::export(&args, &storage),
        Command::Import(args) => data::import(&args, &storage),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "mockloop", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}
