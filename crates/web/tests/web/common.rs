//! Starting a server and talking to it.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use mockloop_domain::Pack;
use mockloop_store::Store;
use mockloop_store_sqlite::SqliteStore;
use mockloop_web::{AppState, GraderConfig, WebConfig};

/// The shipped pack, loaded once.
pub fn pack() -> Arc<Pack> {
    static PACK: OnceLock<Arc<Pack>> = OnceLock::new();
    PACK.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs/infrastructure-engineer");
        let src = mockloop_content::read_dir(&dir).expect("reading the shipped pack");
        Arc::new(mockloop_content::load(&src).expect("the shipped pack is valid"))
    })
    .clone()
}

/// The shipped pack's directory.
pub fn pack_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs/infrastructure-engineer")
}

/// The shipped pack's Terraform exercises and troubleshooting scenarios.
pub fn hands_on() -> (Vec<mockloop_exercise::Exercise>, Vec<mockloop_scenario::Scenario>) {
    let src = mockloop_content::read_dir(&pack_dir()).expect("reading the shipped pack");
    (mockloop_exercise::load_exercises(&src).0, mockloop_scenario::load_scenarios(&src).0)
}

/// A running server; stopped (gracefully) when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client that does not follow redirects, so tests can see them.
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET, returning status and body text.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self.client.get(self.url(path)).send().await.expect("GET");
        (r.status().as_u16(), r.text().await.expect("body"))
    }

    /// GET, expecting JSON.
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.client.get(self.url(path)).send().await.expect("GET");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or_else(|e| panic!("GET {path}: not JSON: {e}")))
    }

    /// POST a JSON body, expecting JSON.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let r = self.client.post(self.url(path)).json(body).send().await.expect("POST");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or_else(|e| panic!("POST {path}: not JSON: {e}")))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts the app over `store` for `user`.
pub async fn start_with(store: Arc<dyn Store>, user: &str) -> Server {
    start_config(store, WebConfig { user: user.to_owned(), ..WebConfig::default() }).await
}

/// Starts the app over `store` with `config`.
pub async fn start_config(store: Arc<dyn Store>, config: WebConfig) -> Server {
    let (exercises, scenarios) = hands_on();
    let state =
        AppState::with(store, pack(), GraderConfig::default(), config).with_hands_on(exercises, scenarios);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        mockloop_web::serve(listener, state, async {
            let _ = rx.await;
        })
        .await
        .expect("server");
    });
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    Server { base, client, stop: Some(tx) }
}

/// A fresh in-memory SQLite store.
pub async fn memory_store() -> Arc<dyn Store> {
    Arc::new(SqliteStore::open("sqlite::memory:").await.expect("in-memory sqlite"))
}

/// Starts the app on a fresh in-memory SQLite store.
pub async fn start() -> Server {
    start_with(memory_store().await, "local").await
}

/// A solid answer to a question: its own model answer (covers the key points).
pub fn good_answer(id: &str) -> String {
    let pack = pack();
    let q = pack.question(id).expect("question");
    q.answer.clone()
}
