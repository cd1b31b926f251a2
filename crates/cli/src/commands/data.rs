//! `mockloop export` and `mockloop import`: a user's whole history as one JSON document.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use mockloop_domain::UserData;
use mockloop_store::check_user_data;

use crate::storage::{Storage, StorageOptions};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Write to FILE instead of stdout.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// A file written by `mockloop export`.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Check the file and say what would be imported, without writing anything.
    #[arg(long)]
    dry_run: bool,
}

pub fn export(args: &ExportArgs, opts: &StorageOptions) -> Result<ExitCode> {
    let storage = Storage::open(opts)?;
    let data = storage.block(storage.store.export(storage.user.id))?;
    let json = serde_json::to_string_pretty(&data)?;
    match &args.file {
        Some(path) if path.as_os_str() != "-" => {
            // Write beside the target, then rename: an interrupted export never leaves half a file.
            let tmp = path.with_extension("partial");
            std::fs::write(&tmp, json + "\n").with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "exported {} attempts, {} sessions, {} cards, {} reports of user `{}` to {}",
                data.attempts.len(),
                data.sessions.len(),
                data.cards.len(),
                data.reports.len(),
                storage.user.name,
                path.display()
            );
        }
        _ => writeln!(std::io::stdout().lock(), "{json}")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses an export document, naming the line and column of any JSON problem.
pub fn parse_document(path: &std::path::Path, text: &str) -> Result<UserData> {
    let data: UserData = serde_json::from_str(text).map_err(|e| {
        anyhow::anyhow!("{}:{}:{}: {} — nothing was imported", path.display(), e.line(), e.column(), e)
    })?;
    check_user_data(&data).map_err(|e| anyhow::anyhow!("{}: {e} — nothing was imported", path.display()))?;
    Ok(data)
}

pub fn import(args: &ImportArgs, opts: &StorageOptions) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let data = parse_document(&args.file, &text)?;
    let records = data.sessions.len()
        + data.attempts.len()
        + data.abilities.len()
        + data.cards.len()
        + data.reviews.len()
        + data.reports.len();
    if args.dry_run {
        println!(
            "{}: valid; {records} records from user `{}` (nothing written: --dry-run)",
            args.file.display(),
            data.user
        );
        return Ok(ExitCode::SUCCESS);
    }
    let storage = Storage::open(opts)?;
    let summary = storage
        .block(storage.store.import(storage.user.id, &data))
        .map_err(|e| anyhow::anyhow!("{}: {e} — nothing was imported", args.file.display()))?;
    println!(
        "imported {} records into user `{}` ({} already present, skipped)",
        summary.added, storage.user.name, summary.skipped
    );
    Ok(ExitCode::SUCCESS)
}
