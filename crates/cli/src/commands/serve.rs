//! `mockloop serve`: the web app for the local user.
//!
//! Uses the same pack, data directory, database and user as every other command, so practice in
//! the browser and in the terminal shows up in both. Without accounts the server only listens on
//! loopback; team mode (`--multi-user`) adds sign-in and may listen anywhere.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use mockloop_web::auth::TeamConfig;
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

    /// Address to listen on; beyond loopback only with --multi-user [default: 127.0.0.1:8080].
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

    /// Team mode: accounts, sign-in and per-user data (required beyond loopback). The first start
    /// prints a link that creates the administrator.
    #[arg(long, env = "MOCKLOOP_MULTI_USER", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    multi_user: Option<bool>,

    /// Always mark the session cookie Secure (behind a TLS proxy that does not send
    /// X-Forwarded-Proto).
    #[arg(long, env = "MOCKLOOP_SECURE_COOKIES", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    secure_cookies: Option<bool>,

    /// How long a sign-in lasts, in hours [default: 168].
    #[arg(long, env = "MOCKLOOP_SESSION_HOURS", value_name = "HOURS")]
    session_hours: Option<NonZeroUsize>,

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
            multi_user: self.multi_user,
            secure_cookies: self.secure_cookies,
            session_hours: self.session_hours,
        };
        let resolved = given.over(file).resolve();
        match &self.config {
            Some(path) => resolved.with_context(|| format!("in the config file {}", path.display())),
            None => resolved,
        }
    }
}

/// Refuses addresses other people could reach unless team mode is on: without accounts, anyone
/// who can connect would read and write this user's history.
fn check_addr(addr: SocketAddr, multi_user: bool) -> Result<()> {
    if !addr.ip().is_loopback() && !multi_user {
        bail!(
            "refusing to listen on {addr} without accounts: anyone who can reach the address could read and \
             change your practice history. Use a loopback address such as 127.0.0.1:{port} (or [::1]:{port}), \
             or add --multi-user for team mode with sign-in.",
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
    check_addr(settings.addr, settings.multi_user)?;
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
    // The config file may name another data directory than the command line did: look for an
    // installed pack there.
    let installed = crate::packs::installed(&settings.data_dir);
    let src = crate::packs::source(pack_dir.or(installed.as_deref()))?;
    let pack = mockloop_content::load(&src)?;
    // Diagnostics were reported by `mockloop check`; the web app serves what loads.
    let (exercises, _) = mockloop_exercise::load_exercises(&src);
    let (scenarios, _) = mockloop_scenario::load_scenarios(&src);
    let model = crate::model::load_with_cache(&choice, &src).map(Arc::new);
    if let Some(m) = &model {
        warm_up(m.clone(), &pack, choice.clone(), src.clone());
    }
    let embedder = model.map(|m| m as Arc<dyn mockloop_grading::Embedder>);
    // The lexical case already printed its one-line notice while loading.
    let grading_line =
        embedder.as_ref().map(|e| format!("answers are graded with semantic matching ({})", e.name()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    rt.block_on(async {
        let store: Arc<dyn mockloop_store::Store> = Arc::from(crate::storage::open_store(&opts).await?);
        if settings.multi_user {
            // Fails here rather than on the first page when the database is unusable.
            store.account_count().await.context("reading the accounts")?;
        } else {
            // Creates the user now, so a bad database fails here rather than on the first page.
            store.user(&opts.user).await.context("reading the user")?;
        }
        let state = AppState::with(
            store,
            Arc::new(pack),
            GraderConfig { embedder },
            WebConfig {
                user: opts.user.clone(),
                body_limit: settings.body_limit,
                max_grading: settings.max_grading,
                max_queued: settings.max_queued,
                team: settings.multi_user.then(|| TeamConfig {
                    session_ttl: chrono::Duration::hours(i64::try_from(settings.session_hours).unwrap_or(i64::MAX / 3_600_000)),
                    secure_cookies: settings.secure_cookies,
                }),
                packs_dir: Some(crate::packs::packs_dir(&settings.data_dir)),
                ..WebConfig::default()
            },
        )
        .with_hands_on(exercises, scenarios);
        let listener = tokio::net::TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("listening on {} (is another server using the port?)", settings.addr))?;
        let local = listener.local_addr().context("reading the bound address")?;
        if settings.multi_user {
            tracing::info!(%local, store = state.store.backend(), "serving in team mode");
            println!("mockloop (team mode) is running at http://{local}/  (Ctrl-C to stop)");
            if state.store.account_count().await.context("reading the accounts")? == 0 {
                let (code, invite) = mockloop_web::auth::issue_invite(&*state.store, true, None)
                    .await
                    .map_err(|e| anyhow::anyhow!("creating the first administrator's invitation: {e}"))?;
                let host = if local.ip().is_unspecified() { format!("127.0.0.1:{}", local.port()) } else { local.to_string() };
                println!(
                    "No accounts yet. Create the administrator account (this link works once, until {}):\n  http://{host}/signup?invite={code}",
                    invite.expires_at.format("%Y-%m-%d %H:%M UTC")
                );
            }
        } else {
            tracing::info!(%local, store = state.store.backend(), user = %opts.user, "serving");
            println!("mockloop is running at http://{local}/  (Ctrl-C to stop)");
        }
        if let Some(line) = &grading_line {
            println!("{line}");
        }
        mockloop_web::serve(listener, state, mockloop_web::shutdown_signal()).await.context("serving")?;
        println!("stopped.");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Embeds every rubric of the pack on a background thread, then saves the vectors next to the
/// model. Without it each question's first answer would pay for embedding its key points and
/// phrasings (seconds under load); the first start does the work once (about a minute on one
/// core, while the server already answers), and later starts read the file in a moment.
fn warm_up(
    model: Arc<crate::model::Model>,
    pack: &mockloop_domain::Pack,
    choice: ModelChoice,
    src: mockloop_content::PackSource,
) {
    let rubrics: Vec<_> = pack.questions.iter().map(mockloop_domain::Question::rubric).collect();
    let spawned = std::thread::Builder::new().name("warm-up".into()).spawn(move || {
        let started = std::time::Instant::now();
        let known = model.len();
        let grader = mockloop_grading::Grader::with_embedder(&*model);
        for r in &rubrics {
            let _ = grader.assess(r, "warm-up");
        }
        // Rewrite the file only when this start embedded something it did not hold.
        if model.len() > known {
            crate::model::save_cache(Some(&model), &choice, &src);
        }
        tracing::info!(
            rubrics = rubrics.len(),
            seconds = started.elapsed().as_secs_f32(),
            "key-point vectors ready"
        );
    });
    if let Err(e) = spawned {
        tracing::warn!("could not start the warm-up thread ({e}); key points are embedded on first use");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_accounts_only_loopback_addresses_are_accepted() {
        assert!(check_addr("127.0.0.1:8080".parse().unwrap(), false).is_ok());
        assert!(check_addr("[::1]:8080".parse().unwrap(), false).is_ok());
        let err = check_addr("0.0.0.0:8080".parse().unwrap(), false).unwrap_err().to_string();
        assert!(
            err.contains("without accounts")
                && err.contains("127.0.0.1:8080")
                && err.contains("--multi-user"),
            "{err}"
        );
        assert!(check_addr("0.0.0.0:8080".parse().unwrap(), true).is_ok(), "team mode may listen anywhere");
    }
}
