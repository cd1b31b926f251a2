//! Prometheus metrics, served at `GET /metrics` in the text exposition format.
//!
//! **Why hand-written.** The app needs one histogram and a handful of counters. A registry crate
//! would bring its own types, macros and encoders for that; a few atomics, one mutex-guarded map
//! and a fixed bucket list are shorter than the glue code, and the output format is stable and
//! simple (`# TYPE` lines, `name{label="value"} number`).
//!
//! **Bounded labels.** Requests are labelled by their *route template* (`/questions/{id}`, from
//! axum's `MatchedPath`), never by the raw path: raw paths carry ids, so every question or attempt
//! would become its own time series and the map would grow with traffic. Anything no route matched
//! is labelled `unmatched`. Together with the method and the status class (`2xx`…`5xx`) the label
//! set is fixed by the route table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mockloop_grading::Method;
use tracing::instrument;

use crate::AppState;

/// Upper bounds of the latency buckets, in seconds: from a cached page (sub-millisecond) to a
/// semantic grade on a busy machine (seconds).
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// Label of requests no route matched (unknown pages and API paths).
const UNMATCHED: &str = "unmatched";

/// One latency histogram: cumulative counts are computed when rendering.
#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Observations per bucket (not cumulative); the last slot is `+Inf`.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        let slot = BUCKETS.iter().position(|&le| seconds <= le).unwrap_or(BUCKETS.len());
        self.counts[slot] += 1;
        self.sum += seconds;
        self.count += 1;
    }
}

/// `(route template, method, status class)`.
type RequestKey = (String, String, &'static str);

/// Everything the app counts. One per [`AppState`]; cheap to update from any task.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<RequestKey, Histogram>>,
    in_flight: AtomicI64,
    server_errors: AtomicU64,
    graded_lexical: AtomicU64,
    graded_semantic: AtomicU64,
    grading_rejected: AtomicU64,
}

impl Metrics {
    /// Counts one graded answer by the path the grader took.
    pub fn graded(&self, method: &Method) {
        let counter = match method {
            Method::Lexical => &self.graded_lexical,
            Method::Semantic { .. } => &self.graded_semantic,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one request turned away because the grading queue was full (a 503).
    pub fn grading_rejected(&self) {
        self.grading_rejected.fetch_add(1, Ordering::Relaxed);
    }

    fn observe(&self, route: String, method: String, status: u16, seconds: f64) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        if status >= 500 {
            self.server_errors.fetch_add(1, Ordering::Relaxed);
        }
        // A poisoned lock only means another request panicked mid-update; the counts are still
        // usable, and metrics must never take the server down.
        let mut map = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry((route, method, class)).or_default().observe(seconds);
    }

    /// The text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let requests = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let name = "mockloop_http_request_duration_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Time to answer an HTTP request, by route template, method and status class."
        );
        let _ = writeln!(out, "# TYPE {name} histogram");
        for ((route, method, class), h) in &requests {
            let labels =
                format!("route=\"{}\",method=\"{}\",status=\"{class}\"", escape(route), escape(method));
            let mut cumulative = 0;
            for (i, le) in BUCKETS.iter().enumerate() {
                cumulative += h.counts[i];
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{le}\"}} {cumulative}");
            }
            cumulative += h.counts[BUCKETS.len()];
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {cumulative}");
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", h.sum);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", h.count);
        }
        let counter = |out: &mut String, name: &str, help: &str, samples: &[(&str, u64)]| {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            for (labels, value) in samples {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        };
        counter(
            &mut out,
            "mockloop_answers_graded_total",
            "Answers graded, by grading path (semantic needs the sentence-embedding model).",
            &[
                ("{path=\"lexical\"}", self.graded_lexical.load(Ordering::Relaxed)),
                ("{path=\"semantic\"}", self.graded_semantic.load(Ordering::Relaxed)),
            ],
        );
        counter(
            &mut out,
            "mockloop_grading_rejected_total",
            "Requests answered 503 with Retry-After because the grading queue was full.",
            &[("", self.grading_rejected.load(Ordering::Relaxed))],
        );
        counter(
            &mut out,
            "mockloop_http_server_errors_total",
            "Responses with a 5xx status (overload 503s included).",
            &[("", self.server_errors.load(Ordering::Relaxed))],
        );
        let _ = writeln!(out, "# HELP mockloop_http_requests_in_flight Requests being answered right now.");
        let _ = writeln!(out, "# TYPE mockloop_http_requests_in_flight gauge");
        let _ = writeln!(out, "mockloop_http_requests_in_flight {}", self.in_flight.load(Ordering::Relaxed));
        out
    }
}

/// Label values may not hold a raw backslash, quote or newline.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Lowers the in-flight gauge however the request ends (a dropped connection included).
struct InFlight(Arc<Metrics>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Middleware: times every request and records it under its route template.
///
/// Added with `Router::layer`, which wraps each route after routing, so `MatchedPath` is set.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map_or_else(|| UNMATCHED.to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let metrics = state.metrics.clone();
    metrics.in_flight.fetch_add(1, Ordering::Relaxed);
    let guard = InFlight(metrics.clone());
    let started = Instant::now();
    let resp = next.run(req).await;
    metrics.observe(route, method, resp.status().as_u16(), started.elapsed().as_secs_f64());
    drop(guard);
    resp
}

/// `GET /metrics`.
#[instrument(skip_all)]
pub async fn metrics_get(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_end_with_inf() {
        let m = Metrics::default();
        m.observe("/questions/{id}".into(), "GET".into(), 200, 0.002);
        m.observe("/questions/{id}".into(), "GET".into(), 200, 30.0);
        let text = m.render();
        let key = r#"route="/questions/{id}",method="GET",status="2xx""#;
        assert!(text.contains(&format!("_bucket{{{key},le=\"0.001\"}} 0")), "{text}");
        assert!(text.contains(&format!("_bucket{{{key},le=\"0.0025\"}} 1")), "{text}");
        assert!(text.contains(&format!("_bucket{{{key},le=\"5\"}} 1")), "{text}");
        assert!(text.contains(&format!("_bucket{{{key},le=\"+Inf\"}} 2")), "{text}");
        assert!(text.contains(&format!("_count{{{key}}} 2")), "{text}");
    }

    #[test]
    fn server_errors_are_counted_and_classed() {
        let m = Metrics::default();
        m.observe("/api/practice/answer".into(), "POST".into(), 503, 0.0001);
        let text = m.render();
        assert!(text.contains("mockloop_http_server_errors_total 1"), "{text}");
        assert!(text.contains(r#"status="5xx""#), "{text}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
