//! `mockloop serve`: the web app for the local user.
//!
//! Uses the same pack, data directory, database and user as every other command, so practice in
//! the browser and in the terminal shows up in both. Today there are no accounts, so the server
//! only listens on loopback; team mode (`--multi-user`, sign-in, CSRF) is not built yet.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use mockloop_web::{AppState, GraderConfig, WebConfig};

use crate::config::{RawConfig, ServeConfig};
use crate::model::ModelChoice;
use crate::storage::StorageOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read settings from this TOML file (`mockloop default-config` prints a commented one).
    /// Environment variables and flags override it.
    #[arg(long, env = "MOCKLOOP_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// Address to listen on (loopback only until team mode with accounts exists) [default: 127.0.0.1:8080].
    #[arg(long, env = "MOCKLOOP_ADDR", value_name = "IP:PORT")]
    addr: Option<SocketAddr>,

    /// Answers graded at once at most [default: 2 per core].
    #[arg(long, env = "MOCKLOOP_MAX_GRADING", value_name = "N")]
    max_grading: Option<NonZeroUsize>,

    /// Answers waiting for a grading slot at most; beyond that, 503 with Retry-After [default: 64].
    #[arg(long, env = "MOCKLOOP_MAX_QUEUED", value_name = "N")]
    max_queued: Option<usize>,

    /// Largest request body accepted, in bytes [default: 262144].
    #[arg(long, env = "MOCKLOOP_BODY_LIMIT", value_name = "BYTES")]
    body_limit: Option<NonZeroUsize>,

    /// Log filter, e.g. `info` or `debug,sqlx=warn` (RUST_LOG overrides it) [default: info].
    #[arg(long, env = "MOCKLOOP_LOG", value_name = "FILTER")]
    log_level: Option<String>,

    /// Print the settings that result from defaults, file, environment and flags, and exit.
    #[arg(long)]
    print_config: bool,
}

/// The global options as given (flag or environment), before any default: the config file sits
/// between them and the defaults.
#[derive(Debug, Clone, Default)]
pub struct Explicit {
    pub data_dir: Option<PathBuf>,
    pub database: Option<String>,
    pub user: Option<String>,
}

impl Args {
    /// Defaults < file < environment < flags.
    fn settings(&self, explicit: &Explicit) -> Result<ServeConfig> {
        let file = match &self.config {
            Some(path) => RawConfig::read(path)?,
            None => RawConfig::default(),
        };
        let given = RawConfig {
            addr: self.addr,
            data_dir: explicit.data_dir.clone(),
            database: explicit.database.clone(),
            user: explicit.user.clone(),
            max_grading: self.max_grading,
            max_queued: self.max_queued,
            body_limit: self.body_limit,
            log_level: self.log_level.clone(),
        };
        let resolved = given.over(file).resolve();
        match &self.config {
            Some(path) => resolved.with_context(|| format!("in the config file {}", path.display())),
            None => resolved,
        }
    }
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
    explicit: &Explicit,
) -> Result<ExitCode> {
    let settings = args.settings(explicit)?;
    if args.print_config {
        print!("{}", settings.to_toml());
        return Ok(ExitCode::SUCCESS);
    }
    check_addr(settings.addr)?;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&settings.log_level)),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let choice = ModelChoice { data_dir: settings.data_dir.clone(), ..choice.clone() };
    let opts = StorageOptions {
        data_dir: settings.data_dir.clone(),
        database: settings.database.clone(),
        user: settings.user.clone(),
    };
    let src = crate::packs::source(pack_dir)?;
    let pack = mockloop_content::load(&src)?;
    // Diagnostics were reported by `mockloop check`; the web app serves what loads.
    let (exercises, _) = mockloop_exercise::load_exercises(&src);
    let (scenarios, _) = mockloop_scenario::load_scenarios(&src);
    let embedder: Option<Arc<dyn mockloop_grading::Embedder>> = crate::model::load_with_cache(&choice, &src)
        .map(|m| Arc::new(m) as Arc<dyn mockloop_grading::Embedder>);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    rt.block_on(async {
        let store: Arc<dyn mockloop_store::Store> = Arc::from(crate::storage::open_store(&opts).await?);
        // Creates the user now, so a bad database fails here rather than on the first page.
        store.user(&opts.user).await.context("reading the user")?;
        let state = AppState::with(
            store,
            Arc::new(pack),
            GraderConfig { embedder },
            WebConfig {
                user: opts.user.clone(),
                body_limit: settings.body_limit,
                max_grading: settings.max_grading,
                max_queued: settings.max_queued,
                ..WebConfig::default()
            },
        )
        .with_hands_on(exercises, scenarios);
        let listener = tokio::net::TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("listening on {} (is another server using the port?)", settings.addr))?;
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
