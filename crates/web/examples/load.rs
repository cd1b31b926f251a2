//! Load generator for the grade-and-save path: N clients post answers to
//! `/api/practice/answer` of a running `mockloop serve` for a fixed time, each client in its own
//! practice session, and the run prints throughput and latency.
//!
//! ```text
//! mockloop serve --addr 127.0.0.1:8080 &
//! cargo run --release -p mockloop-web --example load -- http://127.0.0.1:8080 [CLIENTS=32] [SECONDS=10] [QUESTIONS=20] [ANSWERS.jsonl]
//! ```
//!
//! Answers are the model answers of the first QUESTIONS questions of the pack (real text of
//! 80–200 words, so every key point is looked for), cycled. With ANSWERS.jsonl (lines with `qid`
//! and `answer`, such as `devset/devset.jsonl`) the clients instead share out those answers so
//! that no answer is sent twice until all have been sent: the semantic model's sentence cache then
//! cannot flatter the figures. Latency is measured per request, client side,
//! connection reuse included. A 503 (grading queue full) is counted apart from other failures:
//! it is the server protecting itself, not an error. This is a benchmark, not a test: see
//! `docs/benchmarks.md` for measured figures and the machine they come from.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[derive(Default)]
struct Tally {
    /// Latency of each 200, in microseconds.
    ok: Vec<u64>,
    overloaded: u64,
    retry_after_missing: u64,
    failed: u64,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank] as f64 / 1000.0
}

async fn client(
    base: String,
    answers: Vec<(String, String)>,
    until: Instant,
    offset: usize,
    stride: usize,
) -> Tally {
    let http = reqwest::Client::new();
    let mut tally = Tally::default();
    let mut session: Option<String> = None;
    let mut i = offset;
    while Instant::now() < until {
        let (question, answer) = &answers[i % answers.len()];
        i += stride;
        let body = json!({ "question": question, "answer": answer, "level": "senior", "session": session });
        let started = Instant::now();
        match http.post(format!("{base}/api/practice/answer")).json(&body).send().await {
            Ok(resp) if resp.status() == 200 => {
                let v: Value = resp.json().await.unwrap_or(Value::Null);
                tally.ok.push(started.elapsed().as_micros() as u64);
                if session.is_none() {
                    session = v["session"].as_str().map(str::to_owned);
                }
            }
            Ok(resp) if resp.status() == 503 => {
                if resp.headers().get("retry-after").is_none() {
                    tally.retry_after_missing += 1;
                }
                tally.overloaded += 1;
                // A polite client waits as told; a short pause keeps the generator from spinning.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Ok(_) | Err(_) => tally.failed += 1,
        }
    }
    tally
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args.first().cloned().unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
    let arg = |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (clients, seconds, questions) = (arg(1, 32), arg(2, 10), arg(3, 20));
    let distinct = args.get(4).map(|path| {
        std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {path}: {e}"))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}"));
                let field = |k: &str| {
                    v[k].as_str().unwrap_or_else(|| panic!("{path}: a line without `{k}`")).to_owned()
                };
                (field("qid"), field("answer"))
            })
            .collect::<Vec<_>>()
    });

    let http = reqwest::Client::new();
    let list: Value = http
        .get(format!("{base}/api/questions?category=technical"))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a question list");
    let mut answers = Vec::new();
    let wanted = if distinct.is_some() { 0 } else { questions };
    for q in list["questions"].as_array().expect("questions").iter().take(wanted) {
        let id = q["id"].as_str().expect("id");
        let full: Value = http
            .get(format!("{base}/api/questions/{id}"))
            .send()
            .await
            .expect("question")
            .json()
            .await
            .expect("json");
        answers.push((id.to_owned(), full["answer"].as_str().expect("model answer").to_owned()));
    }
    let (answers, stride) = match distinct {
        Some(d) => (d, clients),
        None => (answers, 1),
    };
    assert!(!answers.is_empty(), "no answers to send");

    let started = Instant::now();
    let until = started + Duration::from_secs(seconds as u64);
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            tokio::spawn(client(
                base.clone(),
                answers.clone(),
                until,
                if stride == 1 { c * 7 } else { c },
                stride,
            ))
        })
        .collect();
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await.expect("client task");
        all.ok.extend(t.ok);
        all.overloaded += t.overloaded;
        all.retry_after_missing += t.retry_after_missing;
        all.failed += t.failed;
    }
    let wall = started.elapsed().as_secs_f64();
    all.ok.sort_unstable();
    println!(
        "clients {clients}  seconds {wall:.1}  graded+saved {}  answers/s {:.0}  p50 {:.2} ms  p99 {:.2} ms  503 {} (without Retry-After {})  errors {}",
        all.ok.len(),
        all.ok.len() as f64 / wall,
        percentile(&all.ok, 50.0),
        percentile(&all.ok, 99.0),
        all.overloaded,
        all.retry_after_missing,
        all.failed,
    );
}
