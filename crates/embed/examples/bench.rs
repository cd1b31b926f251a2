//! Latency of embedding one answer's clauses, the grader's hot path.
//!
//! `cargo run --release -p mockloop-embed --example bench -- MODEL_DIR [--threads N] [--iters N]`
//!
//! Embeds the clauses of a 150-word answer (split the way a grader would: at sentence ends,
//! semicolons and commas) `iters` times and prints load time, p50/p99/mean latency per answer and
//! sentences per second. Threads default to 1, the budget the grader should assume.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use mockloop_embed::{Embedder, MiniLm, MiniLmConfig};

/// A 150-word answer to "How would you speed up a slow API endpoint?".
const ANSWER: &str = "First I would measure before changing anything, so I would add tracing around \
the handler and look at the slowest spans in production. If the database dominates, I would check \
the query plan, add an index on the columns in the where clause, and remove the N plus one queries \
by loading related rows in one batch. For data that rarely changes I would put a cache in front, \
either in process with a short time to live or in Redis, and I would think carefully about \
invalidation when writes happen. If the endpoint calls other services, I would make those calls \
concurrently instead of one after another, and set timeouts so one slow dependency cannot block \
everything. Large responses can be paginated or compressed. Finally I would add a load test to CI \
and an alert on the p99 latency, so a regression is caught early rather than reported by users \
weeks later.";

fn clauses(text: &str) -> Vec<&str> {
    text.split(['.', ';', ','])
        .map(str::trim)
        .filter(|c| c.split_whitespace().count() >= 2)
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> ExitCode {
    let mut dir = None;
    let mut threads = 1usize;
    let mut iters = 200usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            "--iters" => iters = args.next().and_then(|v| v.parse().ok()).unwrap_or(200),
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: bench MODEL_DIR [--threads N] [--iters N]");
        return ExitCode::from(2);
    };
    // candle decides how many pieces to cut each matrix product into from this variable; with 1
    // it runs gemm without rayon at all. Set before any thread exists.
    std::env::set_var("RAYON_NUM_THREADS", threads.to_string());

    let started = Instant::now();
    let config = MiniLmConfig { threads: Some(threads), ..MiniLmConfig::default() };
    let model = match MiniLm::load_with(&dir, &config) {
        Ok(model) => model,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let load = started.elapsed();

    let clauses = clauses(ANSWER);
    let words = ANSWER.split_whitespace().count();
    let tokens: usize = clauses.iter().map(|c| model.token_ids(c).map_or(0, |t| t.len())).sum();
    for _ in 0..5 {
        model.embed(&clauses).expect("warm-up embedding failed");
    }
    let mut times = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        let vectors = model.embed(&clauses).expect("embedding failed");
        times.push(t.elapsed());
        assert_eq!(vectors.len(), clauses.len());
    }
    times.sort();
    let total: Duration = times.iter().sum();
    let mean = total / iters as u32;

    println!("model          {} ({} dims), loaded in {:.0} ms", model.name(), model.dimension(), ms(load));
    println!("answer         {words} words -> {} clauses, {tokens} tokens", clauses.len());
    println!("threads        {threads}");
    println!("iterations     {iters}");
    println!("p50 latency    {:.1} ms per answer", ms(percentile(&times, 0.50)));
    println!("p99 latency    {:.1} ms per answer", ms(percentile(&times, 0.99)));
    println!("mean latency   {:.1} ms per answer", ms(mean));
    println!("throughput     {:.0} sentences/s", clauses.len() as f64 / mean.as_secs_f64());
    ExitCode::SUCCESS
}
