//! `mockloop grade`: one answer against a pack question, or pack-free JSON Lines.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use mockloop_grading::{Grader, KeyPoint, Rubric};
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::feedback_view;
use crate::model::{Model, ModelChoice};
use crate::packs;
use crate::render::Style;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Question id to grade against (omit with --jsonl).
    id: Option<String>,
    /// Read the answer from FILE instead of stdin.
    #[arg(long, value_name = "FILE")]
    answer_file: Option<PathBuf>,
    /// Print the assessment as JSON.
    #[arg(long)]
    json: bool,
    /// Pack-free batch mode: JSON Lines on stdin with `question`, `reference`, optional
    /// `key_points` (array of strings) and `answer`; writes each line back with `score` and `feedback`.
    #[arg(long, conflicts_with_all = ["id", "answer_file", "json"])]
    jsonl: bool,
}

pub fn run(args: &Args, pack_dir: Option<&Path>, choice: &ModelChoice) -> Result<ExitCode> {
    if args.jsonl {
        let model = crate::model::load(choice, "jsonl");
        let grader = match &model {
            Some(m) => Grader::with_embedder(m),
            None => Grader::lexical(),
        };
        eprintln!("mockloop: grading path: {}", path_name(model.as_ref()));
        let stdin = std::io::stdin();
        let lines: Vec<String> =
            stdin.lock().lines().collect::<std::io::Result<_>>().context("reading stdin")?;
        let out = grade_lines(&grader, &lines);
        let mut stdout = std::io::stdout().lock();
        for o in out {
            writeln!(stdout, "{o}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(id) = &args.id else {
        bail!("give a question id (`mockloop grade ID`), or use `--jsonl` for pack-free batch grading");
    };
    let src = packs::source(pack_dir)?;
    let pack = mockloop_content::load(&src)?;
    let q = super::questions::find(&pack, id)?;
    let model = crate::model::load_with_cache(choice, &src);
    let grader = crate::model::grader(model.as_ref());
    let answer = match &args.answer_file {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading answer file {}", p.display()))?
        }
        None => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("reading the answer from stdin")?;
            s
        }
    };
    let a = grader.assess(&q.rubric(), &answer)?;
    crate::model::save_cache(model.as_ref(), choice, &src);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&a)?);
    } else {
        let style = Style::detect();
        println!("{}\n", style.dim(&q.prompt));
        print!("{}", feedback_view::render(&a, style));
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds a rubric from a pack-free JSON object.
pub fn rubric_from_json(obj: &Map<String, Value>) -> Result<(Rubric, String), String> {
    let text = |k: &str| -> Result<String, String> {
        match obj.get(k) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(format!("field `{k}` must be a string")),
            None => Err(format!("missing field `{k}`")),
        }
    };
    let question = text("question")?;
    let answer = text("answer")?;
    let reference = match obj.get("reference") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("field `reference` must be a string".into()),
    };
    let key_points = match obj.get("key_points") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(KeyPoint {
                    id: format!("point-{}", i + 1),
                    text: s.clone(),
                    weight: 2,
                    phrases: Vec::new(),
                }),
                _ => Err(format!("key_points[{i}] must be a string")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("field `key_points` must be an array of strings".into()),
    };
    // An optional `category` (technical, role-specific, situational, behavioral) overrides the
    // grader's guess from the prompt wording; anything else is ignored.
    let category = obj.get("category").and_then(Value::as_str).and_then(mockloop_grading::Category::parse);
    if reference.trim().is_empty() && key_points.is_empty() {
        return Err("give `reference` or `key_points`: there is nothing to grade against".into());
    }
    Ok((Rubric { prompt: question, category, key_points, reference, ..Default::default() }, answer))
}

/// Grades JSON Lines in parallel, keeping input order. Blank lines are skipped; a bad line yields
/// an object with `error` (and `line`) and processing continues.
pub fn grade_lines(grader: &Grader<'_>, lines: &[String]) -> Vec<Value> {
    lines
        .par_iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| grade_line(grader, i + 1, line))
        .collect()
}

fn grade_line(grader: &Grader<'_>, n: usize, line: &str) -> Value {
    let err = |msg: String| serde_json::json!({ "line": n, "error": msg });
    let mut obj = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(o)) => o,
        Ok(_) => return err("line is not a JSON object".into()),
        Err(e) => return err(format!("invalid JSON: {e}")),
    };
    let (rubric, answer) = match rubric_from_json(&obj) {
        Ok(r) => r,
        Err(e) => {
            obj.insert("error".into(), Value::String(e));
            return Value::Object(obj);
        }
    };
    match grader.assess(&rubric, &answer) {
        Ok(a) => {
            obj.insert("score".into(), serde_json::json!(a.score));
            obj.insert("feedback".into(), serde_json::to_value(&a).unwrap_or(Value::Null));
        }
        Err(e) => {
            obj.insert("error".into(), Value::String(e.to_string()));
        }
    }
    Value::Object(obj)
}

/// Names the grading path for notices and reports.
pub fn path_name(model: Option<&Model>) -> String {
    match model {
        Some(m) => format!("semantic ({})", mockloop_grading::Embedder::name(m)),
        None => "lexical".to_owned(),
    }
}
