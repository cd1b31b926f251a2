//! `mockloop invite`: an invitation to the team-mode web app, made from the terminal. For a
//! headless server's first administrator, or when every administrator has lost access: whoever
//! can run commands against the database may let people in anyway.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::storage::StorageOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The account the invitation creates is an administrator.
    #[arg(long)]
    admin: bool,

    /// The server's address as people reach it, for the printed link.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080")]
    url: String,
}

pub fn run(args: &Args, opts: &StorageOptions) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the I/O runtime")?;
    let (code, invite) = rt.block_on(async {
        let store = crate::storage::open_store(opts).await?;
        mockloop_web::auth::issue_invite(&*store, args.admin, None)
            .await
            .map_err(|e| anyhow::anyhow!("creating the invitation: {e}"))
    })?;
    println!("{}/signup?invite={code}", args.url.trim_end_matches('/'));
    eprintln!(
        "One {} account can be created with this link until {}. Only a hash of the code is stored: \
         this is the one time it is shown.",
        if args.admin { "administrator" } else { "member" },
        invite.expires_at.format("%Y-%m-%d %H:%M UTC")
    );
    Ok(ExitCode::SUCCESS)
}
