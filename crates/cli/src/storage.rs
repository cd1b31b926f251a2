//! Opening the store: the one place that chooses a backend.
//!
//! `--database URL` (or `MOCKLOOP_DATABASE_URL`) picks SQLite or PostgreSQL by its scheme; without
//! it the SQLite file `mockloop.db` in the data directory is used, created on first use. Storage
//! calls are async (the web app shares them); the terminal drives them on a small current-thread
//! runtime, one call at a time, so every answer is saved before the next prompt appears.

use std::future::Future;
use std::path::PathBuf;

use anyhow::{Context, Result};
use mockloop_domain::User;
use mockloop_store::{DbSettings, DbType, Store};
use mockloop_store_postgres::PostgresStore;
use mockloop_store_sqlite::SqliteStore;

/// Where to store, and as whom.
#[derive(Debug, Clone)]
pub struct StorageOptions {
    /// Data directory (holds the default SQLite file).
    pub data_dir: PathBuf,
    /// Explicit database URL.
    pub database: Option<String>,
    /// User name the data belongs to.
    pub user: String,
}

impl StorageOptions {
    /// The database settings these options resolve to.
    pub fn settings(&self) -> DbSettings {
        match &self.database {
            Some(url) => DbSettings { url: url.clone() },
            None => DbSettings::sqlite_file(&self.data_dir.join("mockloop.db")),
        }
    }
}

/// Opens the store (running migrations) on the caller's runtime, for long-running servers that
/// drive many calls at once (`mockloop serve` uses a multi-thread runtime, not [`Storage`]'s).
pub async fn open_store(opts: &StorageOptions) -> Result<Box<dyn Store>> {
    let settings = opts.settings();
    Ok(match settings.db_type()? {
        DbType::Sqlite => {
            if opts.database.is_none() {
                std::fs::create_dir_all(&opts.data_dir)
                    .with_context(|| format!("creating the data directory {}", opts.data_dir.display()))?;
            }
            Box::new(SqliteStore::open(&settings.url).await.with_context(|| format!("opening {settings}"))?)
        }
        DbType::Postgres => {
            Box::new(PostgresStore::open(&settings.url).await.with_context(|| format!("opening {settings}"))?)
        }
    })
}

/// An open store, the runtime that drives it, and the current user.
pub struct Storage {
    rt: tokio::runtime::Runtime,
    /// The store.
    pub store: Box<dyn Store>,
    /// The user whose data commands read and write.
    pub user: User,
}

impl Storage {
    /// Opens the store (running migrations) and finds or creates the user.
    pub fn open(opts: &StorageOptions) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the I/O runtime")?;
        let settings = opts.settings();
        let store: Box<dyn Store> = match settings.db_type()? {
            DbType::Sqlite => {
                if opts.database.is_none() {
                    std::fs::create_dir_all(&opts.data_dir).with_context(|| {
                        format!("creating the data directory {}", opts.data_dir.display())
                    })?;
                }
                Box::new(
                    rt.block_on(SqliteStore::open(&settings.url))
                        .with_context(|| format!("opening {settings}"))?,
                )
            }
            DbType::Postgres => Box::new(
                rt.block_on(PostgresStore::open(&settings.url))
                    .with_context(|| format!("opening {settings}"))?,
            ),
        };
        let user = rt.block_on(store.user(&opts.user))?;
        Ok(Self { rt, store, user })
    }

    /// Runs one storage call to completion.
    pub fn block<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}
