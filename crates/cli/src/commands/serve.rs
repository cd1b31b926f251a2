//! `mockloop serve`: the web app for the local user.
//!
//! Uses the same pack, data directory, database and user as every other command, so practice in
//! the browser and in the terminal shows up in both. Today there are no accounts, so the server
//! only listens on loopback; team mode (`--multi-user`, sign-in, CSRF) is not built yet.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use mockloop_web::{AppState, GraderConfig, WebConfig};

use crate::model::ModelChoice;
use crate::storage::StorageOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (loopback only until team mode with accounts exists).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    addr: SocketAddr,
}

/// Refuses addresses other people could reach: without accounts, anyone who can connect would
/// read and write this user's history.
fn check_addr(addr: SocketAddr) -> Result<()> {
    if !addr.ip().is_loopback() {
        bail!(
            "refusing to listen on {addr}: mockloop serve has no accounts yet, so anyone who can reach the \
             address could read and change your practice history. Use a loopback address such as \
             127.0.0.1:{port} (or [::1]:{port}). Team mode with sign-in for binding beyond loopback \
             is not built yet.",
            port = addr.port()
        );
    }
    Ok(())
}

pub fn run(
    args: &Args,
    pack_dir: Option<&Path>,
    choice: &ModelChoice,
    opts: &StorageOptions,
) -> Result<ExitCode> {
    check_addr(args.addr)?;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info,sqlx=warn")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let src = crate::packs::source(pack_dir)?;
    let pack = mockloop_content::load(&src)?;
    // Diagnostics were reported by `mockloop check`; the web app serves what loads.
    let (exercises, _) = mockloop_exercise::load_exercises(&src);
    let (scenarios, _) = mockloop_scenario::load_scenarios(&src);
    let embedder: Option<Arc<dyn mockloop_grading::Embedder>> = crate::model::load_with_cache(choice, &src)
        .map(|m| Arc::new(m) as Arc<dyn mockloop_grading::Embedder>);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    rt.block_on(async {
        let store: Arc<dyn mockloop_store::Store> = Arc::from(crate::storage::open_store(opts).await?);
        // Creates the user now, so a bad database fails here rather than on the first page.
        store.user(&opts.user).await.context("reading the user")?;
        let state = AppState::with(
            store,
            Arc::new(pack),
            GraderConfig { embedder },
            WebConfig { user: opts.user.clone(), ..WebConfig::default() },
        )
        .with_hands_on(exercises, scenarios);
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("listening on {} (is another server using the port?)", args.addr))?;
        let local = listener.local_addr().context("reading the bound address")?;
        tracing::info!(%local, store = state.store.backend(), user = %opts.user, "serving");
        println!("mockloop is running at http://{local}/  (Ctrl-C to stop)");
        mockloop_web::serve(listener, state, mockloop_web::shutdown_signal()).await.context("serving")?;
        println!("stopped.");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_are_accepted() {
        assert!(check_addr("127.0.0.1:8080".parse().unwrap()).is_ok());
        assert!(check_addr("[::1]:8080".parse().unwrap()).is_ok());
        let err = check_addr("0.0.0.0:8080".parse().unwrap()).unwrap_err().to_string();
        assert!(err.contains("no accounts") && err.contains("127.0.0.1:8080"), "{err}");
    }
}
