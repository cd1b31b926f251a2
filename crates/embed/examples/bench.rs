//! Latency of embedding one answer's clauses, the grader's hot path.
//!
//! `cargo run --release -p mockloop-embed --example bench -- MODEL_DIR [--threads N] [--iters N]`
//!
//! Embeds the clauses of a 150-word answer (split the way a grader would: at sentence ends,
//! semicolons and commas) `iters` times and prints load time, p50/p99/mean latency per answer,
//! sentences per second, CPU time and page faults per answer (CPU time is the figure to trust on
//! a machine shared with other work; wall-clock percentiles include waiting for a core).
//!
//! `--threads N` (default 1, the budget the grader should assume) runs the model in a private
//! pool of N threads and sets `RAYON_NUM_THREADS=N`; `--threads 0` runs it on the main thread
//! with `RAYON_NUM_THREADS=1`. Compare the two to see the allocator effect described in the
//! crate docs (or run with `MALLOC_ARENA_MAX=1`).

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
    text.split(['.', ';', ',']).map(str::trim).filter(|c| c.split_whitespace().count() >= 2).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// (minor page faults, user + system CPU seconds) of this process so far, from /proc/self/stat;
/// CPU time is what the model costs even when other processes compete for the cores.
fn process_counters() -> Option<(u64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; minflt is field 10, utime 14, stime 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let minflt = fields.get(7)?.parse().ok()?;
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some((minflt, ticks as f64 / 100.0))
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
    std::env::set_var("RAYON_NUM_THREADS", threads.max(1).to_string());

    let started = Instant::now();
    // `--threads 0` runs on the calling thread and candle's global pool instead of a private one.
    let config = MiniLmConfig { threads: (threads > 0).then_some(threads), ..MiniLmConfig::default() };
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
    let before = process_counters();
    let mut times = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        let vectors = model.embed(&clauses).expect("embedding failed");
        times.push(t.elapsed());
        assert_eq!(vectors.len(), clauses.len());
    }
    let after = process_counters();
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
    if let (Some((f0, c0)), Some((f1, c1))) = (before, after) {
        println!(
            "cpu time       {:.1} ms per answer (user + system, all threads)",
            (c1 - c0) * 1000.0 / iters as f64
        );
        println!("page faults    {:.0} per answer", (f1 - f0) as f64 / iters as f64);
    }
    ExitCode::SUCCESS
}
