//! `mockloop eval`: agreement between the grader and human labels.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use mockloop_grading::text::search_terms;
use mockloop_grading::Grader;
use rayon::prelude::*;
use serde_json::Value;

use super::grade::rubric_from_json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSON Lines: the `grade --jsonl` fields plus `human_score` (0–5) and optionally `kind`.
    file: PathBuf,
    /// Also score the TF-IDF cosine baseline (answer vs reference).
    #[arg(long)]
    baselines: bool,
    /// List the N answers where grader and human disagree most.
    #[arg(long, value_name = "N")]
    worst: Option<usize>,
    /// Print metrics as JSON.
    #[arg(long)]
    json: bool,
    /// Instead of agreement, measure grading speed: every answer graded one after another on one
    /// thread, lexical then semantic; prints answers/s and p50/p99 latency. Run with
    /// RAYON_NUM_THREADS=1 to keep the model on one core too.
    #[arg(long)]
    timing: bool,
}

impl Item {
    /// The grader's final score: semantic when a model ran, else lexical.
    fn predicted(&self) -> f64 {
        self.semantic.unwrap_or(self.lexical)
    }
}

struct Item {
    kind: String,
    human: f64,
    lexical: f64,
    semantic: Option<f64>,
    embed_cos: Option<f64>,
    question: String,
    answer: String,
    reference: String,
}

pub fn run(args: &Args, choice: &crate::model::ModelChoice) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let model = crate::model::load(choice, "eval");

    let lexical = Grader::lexical();
    let semantic = model.as_ref().map(|m| Grader::with_embedder(m));
    let parsed: Vec<(usize, Value)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map(|v| (i + 1, v))
                .with_context(|| format!("{}:{}: invalid JSON", args.file.display(), i + 1))
        })
        .collect::<Result<_>>()?;
    if args.timing {
        return timing(&parsed, model.as_ref());
    }
    let items: Vec<Item> = parsed
        .par_iter()
        .map(|(n, v)| -> Result<Item> {
            let obj =
                v.as_object().with_context(|| format!("{}:{n}: not a JSON object", args.file.display()))?;
            let human = obj
                .get("human_score")
                .and_then(Value::as_f64)
                .with_context(|| format!("{}:{n}: missing numeric `human_score`", args.file.display()))?;
            let (rubric, answer) =
                rubric_from_json(obj).map_err(|e| anyhow::anyhow!("{}:{n}: {e}", args.file.display()))?;
            let a = lexical
                .assess(&rubric, &answer)
                .map_err(|e| anyhow::anyhow!("{}:{n}: {e}", args.file.display()))?;
            let sem = match &semantic {
                Some(g) => Some(
                    g.assess(&rubric, &answer)
                        .map_err(|e| anyhow::anyhow!("{}:{n}: {e}", args.file.display()))?
                        .score as f64,
                ),
                None => None,
            };
            let cos = match &model {
                Some(m) if args.baselines => {
                    let v =
                        mockloop_grading::Embedder::embed(m, &[answer.as_str(), rubric.reference.as_str()])
                            .map_err(|e| anyhow::anyhow!("{e}"))?;
                    Some(5.0 * mockloop_grading::cosine(&v[0], &v[1]).max(0.0) as f64)
                }
                _ => None,
            };
            Ok(Item {
                lexical: a.score as f64,
                semantic: sem,
                embed_cos: cos,
                kind: obj.get("kind").and_then(Value::as_str).unwrap_or("-").to_owned(),
                human,
                question: rubric.prompt,
                answer,
                reference: rubric.reference,
            })
        })
        .collect::<Result<_>>()?;
    if items.len() < 3 {
        bail!("need at least 3 labelled answers, found {}", items.len());
    }
    let human: Vec<f64> = items.iter().map(|i| i.human).collect();
    let pred: Vec<f64> = items.iter().map(|i| i.predicted()).collect();
    let mut rows: Vec<(String, Metrics)> = Vec::new();
    if semantic.is_some() {
        rows.push(("mockloop (semantic)".to_owned(), Metrics::of(&human, &pred)));
    }
    let lex: Vec<f64> = items.iter().map(|i| i.lexical).collect();
    rows.push(("mockloop (lexical)".to_owned(), Metrics::of(&human, &lex)));
    if let Some(cos) = items.iter().map(|i| i.embed_cos).collect::<Option<Vec<f64>>>() {
        rows.push(("baseline: MiniLM cosine to reference ×5".to_owned(), Metrics::of(&human, &cos)));
    }
    if args.baselines {
        let tfidf = tfidf_baseline(&items);
        rows.push(("baseline: TF-IDF cosine ×5".to_owned(), Metrics::of(&human, &tfidf)));
    }
    let mut by_kind: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for i in &items {
        by_kind.entry(&i.kind).or_default().push(i);
    }
    if args.json {
        let kinds: serde_json::Map<String, Value> = by_kind
            .iter()
            .map(|(k, v)| {
                let h: Vec<f64> = v.iter().map(|i| i.human).collect();
                let p: Vec<f64> = v.iter().map(|i| i.predicted()).collect();
                ((*k).to_owned(), serde_json::json!({"n": v.len(), "human_mean": mean(&h), "grader_mean": mean(&p), "mae": mae(&h, &p), "share_le_2": share_le(&p, 2.0)}))
            })
            .collect();
        let overall: serde_json::Map<String, Value> =
            rows.iter().map(|(n, m)| (n.clone(), m.json())).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"n": items.len(), "overall": overall, "by_kind": kinds})
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} labelled answers in {}\n", items.len(), args.file.display());
    println!("| scorer | Pearson | Spearman | QWK | RMSE |\n|---|---:|---:|---:|---:|");
    for (name, m) in &rows {
        println!("| {name} | {:.3} | {:.3} | {:.3} | {:.2} |", m.pearson, m.spearman, m.qwk, m.rmse);
    }
    println!("\n| kind | n | human mean | lexical mean | lexical MAE | semantic mean | semantic MAE | final ≤ 2.0 |\n|---|---:|---:|---:|---:|---:|---:|---:|");
    for (k, v) in &by_kind {
        let h: Vec<f64> = v.iter().map(|i| i.human).collect();
        let p: Vec<f64> = v.iter().map(|i| i.predicted()).collect();
        let l: Vec<f64> = v.iter().map(|i| i.lexical).collect();
        let (sm, se) = match v.iter().map(|i| i.semantic).collect::<Option<Vec<f64>>>() {
            Some(s) => (format!("{:.2}", mean(&s)), format!("{:.2}", mae(&h, &s))),
            None => ("–".to_owned(), "–".to_owned()),
        };
        println!(
            "| {k} | {} | {:.2} | {:.2} | {:.2} | {sm} | {se} | {:.0}% |",
            v.len(),
            mean(&h),
            mean(&l),
            mae(&h, &l),
            100.0 * share_le(&p, 2.0)
        );
    }
    if let Some(n) = args.worst {
        let mut sorted: Vec<&Item> = items.iter().collect();
        sorted.sort_by(|a, b| (b.predicted() - b.human).abs().total_cmp(&(a.predicted() - a.human).abs()));
        println!("\nLargest disagreements:");
        for i in sorted.into_iter().take(n) {
            let ans: String = i.answer.chars().take(160).collect();
            println!(
                "- [{}] human {:.1} vs grader {:.1} — {}\n    {}",
                i.kind,
                i.human,
                i.predicted(),
                i.question.chars().take(80).collect::<String>(),
                ans.replace('\n', " ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// TF-IDF cosine between answer and reference, ×5.
fn tfidf_baseline(items: &[Item]) -> Vec<f64> {
    let docs: Vec<Vec<String>> =
        items.iter().flat_map(|i| [search_terms(&i.answer), search_terms(&i.reference)]).collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for d in &docs {
        for t in d.iter().map(String::as_str).collect::<HashSet<_>>() {
            *df.entry(t).or_default() += 1;
        }
    }
    let n = docs.len() as f64;
    let vec = |terms: &[String]| -> HashMap<String, f64> {
        let mut tf: HashMap<String, f64> = HashMap::new();
        for t in terms {
            *tf.entry(t.clone()).or_default() += 1.0;
        }
        tf.into_iter()
            .map(|(t, f)| {
                let idf = (n / (1.0 + *df.get(t.as_str()).unwrap_or(&0) as f64)).ln() + 1.0;
                (t, f * idf)
            })
            .collect()
    };
    items
        .iter()
        .map(|i| {
            let a = vec(&search_terms(&i.answer));
            let r = vec(&search_terms(&i.reference));
            let dot: f64 = a.iter().map(|(t, w)| w * r.get(t).unwrap_or(&0.0)).sum();
            let na = a.values().map(|w| w * w).sum::<f64>().sqrt();
            let nr = r.values().map(|w| w * w).sum::<f64>().sqrt();
            if na == 0.0 || nr == 0.0 {
                0.0
            } else {
                5.0 * dot / (na * nr)
            }
        })
        .collect()
}

pub struct Metrics {
    pub pearson: f64,
    pub spearman: f64,
    pub qwk: f64,
    pub rmse: f64,
}

impl Metrics {
    pub fn of(h: &[f64], p: &[f64]) -> Self {
        Self { pearson: pearson(h, p), spearman: spearman(h, p), qwk: qwk(h, p), rmse: rmse(h, p) }
    }
    fn json(&self) -> Value {
        serde_json::json!({"pearson": self.pearson, "spearman": self.spearman, "qwk": self.qwk, "rmse": self.rmse})
    }
}

pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        x.iter().sum::<f64>() / x.len() as f64
    }
}

fn mae(a: &[f64], b: &[f64]) -> f64 {
    mean(&a.iter().zip(b).map(|(x, y)| (x - y).abs()).collect::<Vec<_>>())
}

fn share_le(x: &[f64], t: f64) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        x.iter().filter(|v| **v <= t + 1e-9).count() as f64 / x.len() as f64
    }
}

pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let (ma, mb) = (mean(a), mean(b));
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if va == 0.0 || vb == 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}

/// Average ranks (ties share the mean rank).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&i, &j| x[i].total_cmp(&x[j]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    pearson(&ranks(a), &ranks(b))
}

/// Quadratic-weighted kappa on scores rounded to 0..=5.
pub fn qwk(a: &[f64], b: &[f64]) -> f64 {
    const K: usize = 6;
    let r = |v: f64| (v.round().clamp(0.0, 5.0)) as usize;
    let mut obs = [[0.0f64; K]; K];
    let mut ha = [0.0f64; K];
    let mut hb = [0.0f64; K];
    for (x, y) in a.iter().zip(b) {
        obs[r(*x)][r(*y)] += 1.0;
        ha[r(*x)] += 1.0;
        hb[r(*y)] += 1.0;
    }
    let n = a.len() as f64;
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..K {
        for j in 0..K {
            let w = ((i as f64 - j as f64).powi(2)) / ((K - 1) as f64).powi(2);
            num += w * obs[i][j];
            den += w * ha[i] * hb[j] / n;
        }
    }
    if den == 0.0 {
        1.0
    } else {
        1.0 - num / den
    }
}

fn rmse(a: &[f64], b: &[f64]) -> f64 {
    mean(&a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).collect::<Vec<_>>()).sqrt()
}

/// Sequential per-answer latency on the lexical and (if loaded) semantic paths.
fn timing(parsed: &[(usize, Value)], model: Option<&crate::model::Model>) -> Result<ExitCode> {
    let inputs: Vec<(mockloop_grading::Rubric, String)> =
        parsed.iter().filter_map(|(_, v)| v.as_object().and_then(|o| rubric_from_json(o).ok())).collect();
    let words: f64 =
        mean(&inputs.iter().map(|(_, a)| a.split_whitespace().count() as f64).collect::<Vec<_>>());
    println!("{} answers, mean {:.0} words; one thread, graded one after another\n", inputs.len(), words);
    println!("| path | answers/s | p50 | p99 |\n|---|---:|---:|---:|");
    let run = |name: &str, grader: Grader<'_>| {
        let mut lat = Vec::with_capacity(inputs.len());
        let start = std::time::Instant::now();
        for (r, a) in &inputs {
            let t = std::time::Instant::now();
            let _ = grader.assess(r, a);
            lat.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let total = start.elapsed().as_secs_f64();
        lat.sort_by(f64::total_cmp);
        let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "| {name} | {:.0} | {:.2} ms | {:.2} ms |",
            inputs.len() as f64 / total,
            pct(0.5),
            pct(0.99)
        );
    };
    run("lexical", Grader::lexical());
    if let Some(m) = model {
        // Key-point vectors are cached per question (as the CLI caches them per pack): embed each
        // question's targets once before timing, with a throwaway one-word answer.
        let mut seen = std::collections::HashSet::new();
        for (r, _) in &inputs {
            if seen.insert(r.prompt.clone()) {
                let _ = Grader::with_embedder(m).assess(r, "warm-up");
            }
        }
        run("semantic (key-point vectors cached per question)", Grader::with_embedder(m));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_of_monotone_series_is_one_and_ties_share_ranks() {
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 35.0]) - 1.0).abs() < 1e-9);
        assert_eq!(ranks(&[1.0, 1.0, 2.0]), vec![1.5, 1.5, 3.0]);
    }

    #[test]
    fn qwk_is_one_for_perfect_agreement_and_low_for_reversed() {
        let a = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((qwk(&a, &a) - 1.0).abs() < 1e-9);
        let rev: Vec<f64> = a.iter().rev().copied().collect();
        assert!(qwk(&a, &rev) < 0.0);
    }
}
