//! mockloop in the browser: an axum router with server-rendered pages and a JSON API, over the
//! [`Store`] trait.
//!
//! **Shape.** [`router`] builds one `axum::Router` from an [`AppState`] (the store as
//! `Arc<dyn Store>`, the pack, the grader configuration). Handlers live in `handlers/`, one module
//! per resource; each page handler is named `<page>_<method>` and renders one view struct from
//! `views/` (kanidm's one-template-per-page, with maud instead of askama). The coaching logic is
//! not here: handlers call `mockloop-practice` (selection, abilities, FSRS, stats, plans) and
//! `mockloop-grading` through `service.rs`, which mirrors what the CLI does after each answer, so
//! the terminal and the browser write the same records to the same store.
//!
//! **Why maud.** Templates are Rust expressions checked by the compiler, escape every interpolated
//! value by default (answers are user text and come back on the page), need no template files to
//! embed or keep in sync with their structs, and `Markup` is an axum response through maud's
//! `axum` feature. The price is that designers cannot edit HTML files directly; for a small app
//! whose pages are mostly data, compile-time checking is worth more.
//!
//! **Errors.** One [`WebError`] type; it renders as JSON `{ "error": … }` with the right status.
//! Page routes sit behind a middleware that turns those responses into an HTML error page, so
//! handlers just use `?` whichever way they are reached.
//!
//! **Overload.** Grading is CPU-bound: at most [`WebConfig::max_grading`] answers are graded at
//! once and at most [`WebConfig::max_queued`] wait; beyond that a request gets 503 with
//! `Retry-After` at once, so memory stays bounded under any load.
//!
//! **Metrics.** `GET /metrics` serves Prometheus counters and a latency histogram per route
//! template (`metrics.rs`).
//!
//! **Who is asking** (`auth/`): in local mode every request acts for the configured user; in team
//! mode ([`WebConfig::team`]) accounts sign in with argon2-hashed passwords, sessions live in
//! HttpOnly SameSite cookies, every POST carries an anti-forgery token, failed sign-ins are
//! rate-limited, and administrators invite users (`/admin`). Handlers take an
//! [`auth::CurrentUser`] either way and hand its id to the store.

pub mod auth;
mod cross_site;
mod error;
mod extract;
mod handlers;
mod interview_loop;
mod markdown;
mod metrics;
mod openapi;
mod pack_upload;
mod service;
mod views;

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use mockloop_domain::Pack;
use mockloop_grading::{Embedder, MAX_ANSWER_BYTES};
use mockloop_store::Store;
use tower_http::trace::{DefaultMakeSpan, DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use error::WebError;

/// How answers are graded.
#[derive(Clone, Default)]
pub struct GraderConfig {
    /// A sentence-embedding model for paraphrase matching; `None` grades on the lexical path.
    pub embedder: Option<Arc<dyn Embedder>>,
}

impl std::fmt::Debug for GraderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraderConfig").field("embedder", &self.embedder.as_ref().map(|e| e.name())).finish()
    }
}

/// Settings of the web app itself.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The user whose data the app shows (single-user mode).
    pub user: String,
    /// Level used when the user has not chosen one and has no session yet.
    pub default_level: String,
    /// Largest request body accepted, in bytes. Bigger bodies get 413.
    pub body_limit: usize,
    /// Answers graded at once at most.
    pub max_grading: usize,
    /// Answers waiting for a grading slot at most; beyond that requests get 503 with
    /// `Retry-After` at once, so overload never becomes an unbounded queue.
    pub max_queued: usize,
    /// Team mode: accounts and sign-in. `None`: one local user, no sign-in (loopback only).
    pub team: Option<auth::TeamConfig>,
    /// Where administrators install uploaded packs (`<data dir>/packs`); `None` turns uploads off.
    pub packs_dir: Option<std::path::PathBuf>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            user: "local".to_owned(),
            default_level: "mid".to_owned(),
            // An answer may be MAX_ANSWER_BYTES; form encoding can triple it. Anything larger is
            // not an answer and is refused before it is buffered.
            body_limit: 4 * MAX_ANSWER_BYTES,
            // Grading is CPU-bound: two per core keeps every core busy; more in flight would only
            // add latency, so the rest wait in the bounded queue.
            max_grading: 2 * std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_queued: 64,
            team: None,
            packs_dir: None,
        }
    }
}

/// What every handler can reach. Cheap to clone (all `Arc`s).
#[derive(Clone)]
pub struct AppState {
    /// The store (SQLite or PostgreSQL; the web app never knows which).
    pub store: Arc<dyn Store>,
    /// The loaded, validated pack.
    pub pack: Arc<Pack>,
    /// Grading.
    pub grader: GraderConfig,
    /// App settings.
    pub config: Arc<WebConfig>,
    /// Terraform exercises of the pack (empty unless set with [`AppState::with_hands_on`]).
    pub exercises: Arc<Vec<mockloop_exercise::Exercise>>,
    /// Troubleshooting scenarios of the pack (empty unless set with [`AppState::with_hands_on`]).
    pub scenarios: Arc<Vec<mockloop_scenario::Scenario>>,
    /// Admission: `max_grading + max_queued` permits, taken without waiting.
    admission: Arc<tokio::sync::Semaphore>,
    /// Grading slots: `max_grading` permits, waited for.
    grading_slots: Arc<tokio::sync::Semaphore>,
    /// Counters and latency histograms for `/metrics`.
    pub(crate) metrics: Arc<metrics::Metrics>,
    /// The content in use; an administrator's pack upload replaces it while the server runs.
    /// Handlers see it through the [`extract::Live`] extractor, which copies it into the
    /// request's own `AppState` (`pack`, `exercises`, `scenarios`).
    live: Arc<std::sync::RwLock<Content>>,
    /// The local user (local mode), looked up once: it never changes while the server runs, and
    /// looking it up creates it, which is a write the hot path should not repeat per request.
    pub(crate) local_user: Arc<tokio::sync::OnceCell<mockloop_domain::User>>,
    /// Failed sign-ins per name and address (team mode).
    pub(crate) login_limiter: Arc<std::sync::Mutex<auth::login_limit::LoginLimiter>>,
}

/// A pack with its hands-on tasks: what an upload replaces as one.
#[derive(Clone)]
struct Content {
    pack: Arc<Pack>,
    exercises: Arc<Vec<mockloop_exercise::Exercise>>,
    scenarios: Arc<Vec<mockloop_scenario::Scenario>>,
}

/// Held while an answer is admitted and graded.
pub(crate) struct GradingPermit {
    _admitted: tokio::sync::OwnedSemaphorePermit,
    _slot: tokio::sync::OwnedSemaphorePermit,
}

impl AppState {
    /// State with default settings and the lexical grader.
    pub fn new(store: Arc<dyn Store>, pack: Arc<Pack>) -> Self {
        Self::with(store, pack, GraderConfig::default(), WebConfig::default())
    }

    /// State with the given grader and settings.
    pub fn with(store: Arc<dyn Store>, pack: Arc<Pack>, grader: GraderConfig, config: WebConfig) -> Self {
        let admission = Arc::new(tokio::sync::Semaphore::new(config.max_grading + config.max_queued));
        let grading_slots = Arc::new(tokio::sync::Semaphore::new(config.max_grading));
        let live = Arc::new(std::sync::RwLock::new(Content {
            pack: pack.clone(),
            exercises: Arc::default(),
            scenarios: Arc::default(),
        }));
        Self {
            store,
            pack,
            live,
            grader,
            config: Arc::new(config),
            exercises: Arc::new(Vec::new()),
            scenarios: Arc::new(Vec::new()),
            admission,
            grading_slots,
            metrics: Arc::default(),
            local_user: Arc::default(),
            login_limiter: Arc::default(),
        }
    }

    /// The same state with the pack's hands-on tasks: Terraform exercises and troubleshooting
    /// scenarios (`/exercises`, `/troubleshoot` and their API).
    #[must_use]
    pub fn with_hands_on(
        mut self,
        exercises: Vec<mockloop_exercise::Exercise>,
        scenarios: Vec<mockloop_scenario::Scenario>,
    ) -> Self {
        self.exercises = Arc::new(exercises);
        self.scenarios = Arc::new(scenarios);
        self.publish();
        self
    }

    /// This state with the content currently in use (it changes when a pack is uploaded).
    pub(crate) fn current(&self) -> AppState {
        let mut now = self.clone();
        if let Ok(live) = self.live.read() {
            now.pack = live.pack.clone();
            now.exercises = live.exercises.clone();
            now.scenarios = live.scenarios.clone();
        }
        now
    }

    /// Makes this state's content the one every later request sees.
    pub(crate) fn publish(&self) {
        if let Ok(mut live) = self.live.write() {
            *live = Content {
                pack: self.pack.clone(),
                exercises: self.exercises.clone(),
                scenarios: self.scenarios.clone(),
            };
        }
    }

    /// Waits for a grading slot in the bounded queue, or fails at once with 503 when the queue
    /// is full.
    pub(crate) async fn grading_slot(&self) -> Result<GradingPermit, WebError> {
        let busy =
            || WebError::Overloaded("the server is busy grading other answers; try again in a second".into());
        let admitted = self.admission.clone().try_acquire_owned().map_err(|_| {
            self.metrics.grading_rejected();
            busy()
        })?;
        let slot = self.grading_slots.clone().acquire_owned().await.map_err(|_| busy())?;
        Ok(GradingPermit { _admitted: admitted, _slot: slot })
    }
}

/// One route of the JSON API (and the operational endpoints), as documented in
/// `/api/openapi.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiRoute {
    /// Lower-case HTTP method, as OpenAPI writes it (`get`, `post`).
    pub method: &'static str,
    /// Path in axum and OpenAPI syntax (`/api/questions/{id}`).
    pub path: &'static str,
}

fn route_get<H, T>(path: &'static str, h: H) -> (ApiRoute, MethodRouter<AppState>)
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    (ApiRoute { method: "get", path }, get(h))
}

fn route_post<H, T>(path: &'static str, h: H) -> (ApiRoute, MethodRouter<AppState>)
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    (ApiRoute { method: "post", path }, post(h))
}

/// The API table: the router is built from it and the OpenAPI test checks the document against
/// it, so a route cannot be served undocumented.
fn api_table() -> Vec<(ApiRoute, MethodRouter<AppState>)> {
    use handlers::*;
    vec![
        route_get("/healthz", health::healthz_get),
        route_get("/readyz", health::readyz_get),
        route_get("/api/openapi.json", crate::openapi::openapi_get),
        // web-ops: operations
        route_get("/metrics", crate::metrics::metrics_get),
        route_get("/api/questions", questions::api_questions_get),
        route_get("/api/questions/{id}", questions::api_question_get),
        route_get("/api/practice/next", practice::api_next_get),
        route_post("/api/practice/answer", practice::api_answer_post),
        route_post("/api/practice/follow-up", practice::api_follow_up_post),
        route_get("/api/attempts", attempts::api_attempts_get),
        route_get("/api/attempts/{id}", attempts::api_attempt_get),
        route_get("/api/review/due", review::api_due_get),
        route_post("/api/review/rate", review::api_rate_post),
        route_get("/api/stats", progress::api_stats_get),
        route_get("/api/plan", plan::api_plan_get),
        route_get("/api/me", account::api_me_get),
        route_post("/api/login", account::api_login_post),
        route_post("/api/logout", account::api_logout_post),
        route_post("/api/signup", account::api_signup_post),
        route_post("/api/account/password", account::api_password_post),
        route_get("/api/admin/accounts", admin::api_accounts_get),
        {
            // A pack archive is far larger than an answer: this route has its own body limit.
            let (r, m) = route_post("/api/admin/pack", admin::api_pack_post);
            (r, m.layer(DefaultBodyLimit::max(admin::MAX_PACK_UPLOAD)))
        },
        route_post("/api/admin/invites", admin::api_invite_post),
        route_post("/api/exercises/{id}/check", hands_on::api_exercise_check_post),
        route_post("/api/troubleshoot/{id}", hands_on::api_troubleshoot_post),
        // web-ops: the interview loop and its debriefs
        route_post("/api/loop", interview_loop::api_loop_start_post),
        route_get("/api/loop/{id}", interview_loop::api_loop_get),
        route_post("/api/loop/{id}/answer", interview_loop::api_loop_answer_post),
        route_get("/api/reports", interview_loop::api_reports_get),
        route_get("/api/reports/{id}", interview_loop::api_report_get),
    ]
}

/// Every API and operational route the router serves.
pub fn api_routes() -> Vec<ApiRoute> {
    api_table().into_iter().map(|(r, _)| r).collect()
}

/// The whole app.
pub fn router(state: AppState) -> Router {
    use handlers::*;
    let pages = Router::new()
        .route("/", get(dashboard::dashboard_get))
        .route("/questions", get(questions::questions_get))
        .route("/questions/{id}", get(questions::question_get))
        .route("/practice", get(practice::practice_get).post(practice::practice_post))
        .route("/practice/follow-up", post(practice::practice_follow_up_post))
        .route("/attempts/{id}", get(attempts::attempt_get))
        .route("/review", get(review::review_get).post(review::review_post))
        .route("/progress", get(progress::progress_get))
        .route("/plan", get(plan::plan_get))
        .route("/plan.ics", get(plan::plan_ics_get))
        .route("/role", get(role::role_get))
        .route("/exercises", get(hands_on::exercises_get))
        .route("/exercises/{id}", get(hands_on::exercise_get).post(hands_on::exercise_post))
        .route("/troubleshoot", get(hands_on::scenarios_get))
        .route("/troubleshoot/{id}", get(hands_on::scenario_get).post(hands_on::scenario_post))
        // web-ops: the interview loop and its debriefs
        .route("/loop", get(interview_loop::loop_start_get).post(interview_loop::loop_start_post))
        .route("/loop/{id}", get(interview_loop::loop_get).post(interview_loop::loop_post))
        .route("/reports/{id}", get(interview_loop::report_get))
        .route("/login", get(account::login_get).post(account::login_post))
        .route("/logout", post(account::logout_post))
        .route("/signup", get(account::signup_get).post(account::signup_post))
        .route("/account", get(account::account_get))
        .route("/account/password", post(account::password_post))
        .route("/admin", get(admin::admin_get))
        .route("/admin/invites", post(admin::invite_post))
        .route("/admin/pack", post(admin::pack_post).layer(DefaultBodyLimit::max(admin::MAX_PACK_UPLOAD)))
        .route("/static/app.css", get(assets::css_get))
        .route("/static/app.js", get(assets::js_get))
        .fallback(assets::not_found_page)
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::gate))
        .layer(axum::middleware::from_fn(cross_site::refuse_cross_site))
        .layer(axum::middleware::from_fn(error::html_errors));
    let mut api = Router::new();
    for (r, method_router) in api_table() {
        api = api.route(r.path, method_router);
    }
    let api = api
        .route("/api/{*rest}", axum::routing::any(assets::not_found_api))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::gate))
        .layer(axum::middleware::from_fn(cross_site::refuse_cross_site));
    api.merge(pages)
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(
            // One INFO line per request (method, path, status, latency): the access log.
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                // WebError logs failures itself, at the level they deserve.
                .on_failure(DefaultOnFailure::new().level(Level::DEBUG)),
        )
        // Per route (Router::layer wraps each route after routing), so the route template is known.
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}

/// Serves the app on `listener` until `shutdown` resolves, then lets in-flight requests finish.
/// Each request knows its client's address (the per-address sign-in limit uses it).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C, or on SIGTERM (how containers and service managers ask to stop).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, never resolve: the process is still killable.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
