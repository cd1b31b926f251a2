//! Storage latency: how long saving a graded attempt and reading a history take, per backend.
//!
//! `cargo run --release -p mockloop-store-tests --example store_bench [-- N]` measures SQLite (a
//! file in a temporary folder, WAL, synchronous=NORMAL as shipped) and, when
//! `MOCKLOOP_TEST_POSTGRES` is set, PostgreSQL. Each attempt carries a real assessment from the
//! lexical grader (a few kB of JSON), written one at a time as `practice` does. Prints medians
//! and 99th percentiles; figures go in docs/benchmarks.md.

use std::time::{Duration, Instant};

use chrono::Utc;
use mockloop_domain::{Attempt, AttemptId, Outcome, Session, SessionId, SessionKind};
use mockloop_grading::{Grader, KeyPoint, Rubric};
use mockloop_store::{AttemptQuery, Store};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn bench(name: &str, store: &dyn Store, n: usize) {
    let user = store.user(&format!("bench-{}", AttemptId::new().short())).await.unwrap().id;
    let session = Session {
        id: SessionId::new(),
        user,
        kind: SessionKind::Practice,
        level: Some("senior".into()),
        started_at: Utc::now(),
        finished_at: None,
    };
    store.start_session(&session).await.unwrap();
    let rubric = Rubric {
        prompt: "How do you cut over DNS to a new load balancer without downtime?".into(),
        key_points: ["Lower the TTL well before the change", "Keep the old target serving until traffic drains", "Watch error rates and roll back by restoring the record"]
            .iter()
            .enumerate()
            .map(|(i, t)| KeyPoint { id: format!("k{i}"), text: (*t).into(), weight: 2, phrases: vec![] })
            .collect(),
        reference: "Lower the TTL a day ahead, switch, keep the old target until traffic drains, watch errors, roll back by restoring the record.".into(),
        ..Rubric::default()
    };
    let answer = "I would lower the TTL to 60 seconds a day before, then switch the record, keep the old load balancer serving until resolver caches expire, and watch 5xx rates in Grafana; to roll back I restore the old record.";
    let assessment = Grader::lexical().assess(&rubric, answer).unwrap();
    let json_bytes = serde_json::to_string(&assessment).unwrap().len();
    let mut saves = Vec::with_capacity(n);
    for _ in 0..n {
        let a = Attempt {
            id: AttemptId::new(),
            user,
            session: Some(session.id),
            question: "dns-ttl-cutover".into(),
            round: None,
            follow_up_of: None,
            prompt: rubric.prompt.clone(),
            answer: answer.into(),
            outcome: Outcome::Answered,
            score: assessment.score,
            assessment: Some(assessment.clone()),
            hints: 0,
            started_at: Utc::now(),
            duration_ms: 60_000,
        };
        let t = Instant::now();
        store.add_attempt(&a).await.unwrap();
        saves.push(t.elapsed());
    }
    saves.sort();
    let mut reads = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let all = store.attempts(user, &AttemptQuery::default()).await.unwrap();
        reads.push(t.elapsed());
        assert_eq!(all.len(), n);
    }
    reads.sort();
    println!(
        "{name:<9} save attempt ({json_bytes} B assessment): p50 {} p99 {} | read all {n}: p50 {}",
        ms(percentile(&saves, 0.5)),
        ms(percentile(&saves, 0.99)),
        ms(percentile(&reads, 0.5)),
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = mockloop_store_sqlite::SqliteStore::open_file(&dir.path().join("bench.db")).await.unwrap();
    bench("sqlite", &sqlite, n).await;
    match std::env::var("MOCKLOOP_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => {
            let pg = mockloop_store_postgres::PostgresStore::open(&url).await.unwrap();
            bench("postgres", &pg, n).await;
        }
        _ => println!("postgres  skipped (set MOCKLOOP_TEST_POSTGRES)"),
    }
}
