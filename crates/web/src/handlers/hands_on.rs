//! Hands-on rounds in the browser: Terraform exercises (an editor per `.tf` file, checked by
//! `mockloop-exercise`) and troubleshooting scenarios (a terminal-like panel over
//! `mockloop-scenario`). Both save an attempt (question = the task's id, round `coding-iac` or
//! `troubleshooting`) like the terminal does, so history and stats see them.
//!
//! The scenario page is stateless: the form carries the commands typed so far (one per line), the
//! seconds at which each was typed and the start time; every POST replays them into a fresh `Run`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Path;
use axum::Json;
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use mockloop_domain::{Attempt, AttemptId, Outcome, User};
use mockloop_exercise::{CheckReport, Exercise, SourceFile};
use mockloop_grading::{Coverage, Grader};
use mockloop_scenario::{Debrief, Run, Scenario};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::auth::CurrentUser;
use crate::extract::{ApiJson, Live, PageForm};
use crate::markdown::markdown;
use crate::views::{difficulty_tag, layout, score_badge, Nav};
use crate::{AppState, WebError};

/// Round id of Terraform exercises.
const ROUND_IAC: &str = "coding-iac";
/// Round id of troubleshooting scenarios.
const ROUND_TROUBLESHOOT: &str = "troubleshooting";
/// Most commands replayed in one scenario session.
const MAX_COMMANDS: usize = 500;

fn find_exercise<'a>(state: &'a AppState, id: &str) -> Result<&'a Exercise, WebError> {
    state
        .exercises
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| WebError::NotFound(format!("exercise `{id}` not found")))
}

fn scenario_index(state: &AppState, id: &str) -> Result<usize, WebError> {
    state
        .scenarios
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| WebError::NotFound(format!("scenario `{id}` not found")))
}

async fn save(
    state: &AppState,
    user: &User,
    round: &str,
    question: &str,
    prompt: &str,
    started: DateTime<Utc>,
    fill: impl FnOnce(&mut Attempt),
) -> Result<Attempt, WebError> {
    let now = Utc::now();
    let mut a = Attempt {
        id: AttemptId::new(),
        user: user.id,
        session: None,
        question: question.to_owned(),
        round: Some(round.to_owned()),
        follow_up_of: None,
        prompt: prompt.to_owned(),
        answer: String::new(),
        outcome: Outcome::Answered,
        score: 0.0,
        assessment: None,
        hints: 0,
        started_at: started,
        duration_ms: (now - started).num_milliseconds().clamp(0, 6 * 3_600_000) as u64,
    };
    fill(&mut a);
    state.store.add_attempt(&a).await?;
    tracing::info!(question, round, score = a.score, "hands-on attempt saved");
    Ok(a)
}

// ---------------------------------------------------------------------------------------------
// Terraform exercises

/// The files a page starts with: the starter files, or one empty `main.tf`.
fn starter_files(e: &Exercise) -> Vec<SourceFile> {
    if e.starter.is_empty() {
        vec![SourceFile { path: "main.tf".into(), text: String::new() }]
    } else {
        e.starter.clone()
    }
}

fn check_files(e: &Exercise, files: &[SourceFile]) -> Result<(), WebError> {
    if files.is_empty() {
        return Err(WebError::BadRequest("no files: send at least one .tf file".into()));
    }
    for f in files {
        let p = f.path.trim();
        if p.is_empty() || p.contains("..") || p.starts_with('/') || !p.ends_with(".tf") {
            return Err(WebError::BadRequest(format!(
                "`{}` is not a .tf file name in the working directory (exercise `{}`)",
                f.path, e.id
            )));
        }
    }
    Ok(())
}

async fn run_check(
    state: &AppState,
    user: &User,
    e: &Exercise,
    files: Vec<SourceFile>,
) -> Result<(CheckReport, Attempt), WebError> {
    check_files(e, &files)?;
    let started = Utc::now();
    let permit = state.grading_slot().await?;
    let exercise = e.clone();
    let checked = files.clone();
    let report = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        mockloop_exercise::check(&exercise, &checked)
    })
    .await
    .map_err(|err| WebError::Internal(format!("check task failed: {err}")))?;
    let answer = files.iter().map(|f| format!("# {}\n{}", f.path, f.text)).collect::<Vec<_>>().join("\n");
    let attempt = save(state, user, ROUND_IAC, &e.id, &e.title, started, |a| {
        a.score = report.score as f32;
        a.answer = answer;
    })
    .await?;
    Ok((report, attempt))
}

/// `GET /exercises`.
#[instrument(skip_all)]
pub async fn exercises_get(Live(state): Live) -> Markup {
    layout(
        "Terraform exercises",
        Nav::Exercises,
        html! {
            h1 { "Terraform exercises" }
            p.muted { "Write or fix Terraform in the browser; each check says what passes, what fails, where, and why." }
            @if state.exercises.is_empty() { p { "This pack has no exercises." } }
            ul.list {
                @for e in state.exercises.iter() {
                    li { a href=(format!("/exercises/{}", e.id)) { (e.title) } " " (difficulty_tag(e.difficulty)) " "
                        span.muted { "~" (e.time_minutes) " min" } }
                }
            }
        },
    )
}

fn exercise_page(e: &Exercise, files: &[SourceFile], result: Option<(&CheckReport, &Attempt)>) -> Markup {
    let mono = "font-family:ui-monospace,Menlo,Consolas,monospace;width:100%;box-sizing:border-box";
    layout(
        &e.title,
        Nav::Exercises,
        html! {
            h1 { (e.title) " " (difficulty_tag(e.difficulty)) }
            section.card { (markdown(&e.statement)) }
            @if let Some((report, attempt)) = result {
                section.card #results {
                    h2 { "Check results " (score_badge(report.score as f32)) }
                    p { (report.passed) " of " (report.total) " checks pass. "
                        a href=(format!("/attempts/{}", attempt.id)) { "Saved attempt" } }
                    @if !report.parse_errors.is_empty() {
                        h3 { "The files do not parse" }
                        ul { @for pe in &report.parse_errors {
                            li.fail { code { (pe.file) ":" (pe.line) ":" (pe.column) } " " (pe.message) }
                        } }
                    }
                    ul.checks {
                        @for r in &report.results {
                            li class=(if r.passed { "pass" } else { "fail" }) {
                                strong { (if r.passed { "pass" } else { "FAIL" }) } " " (r.message)
                                @if let Some(loc) = &r.location { " " code { (loc.file) ":" (loc.line) } }
                                @if !r.passed {
                                    @if !r.detail.is_empty() { br; span.muted { (r.detail) } }
                                    @if let Some(h) = &r.hint { br; em { "Hint: " (h) } }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action=(format!("/exercises/{}", e.id)) {
                (crate::auth::csrf_field())
                @for (i, f) in files.iter().enumerate() {
                    label for=(format!("file{i}_text")) { code { (f.path) } }
                    input type="hidden" name=(format!("file{i}_path")) value=(f.path);
                    textarea id=(format!("file{i}_text")) name=(format!("file{i}_text")) rows="18" spellcheck="false" style=(mono) { (f.text) }
                }
                p { button.button type="submit" { "Check" } }
            }
            @if !e.hints.is_empty() {
                details { summary { "Hints" } ul { @for h in &e.hints { li { (h) } } } }
            }
        },
    )
}

/// `GET /exercises/{id}`.
#[instrument(skip_all)]
pub async fn exercise_get(Live(state): Live, Path(id): Path<String>) -> Result<Markup, WebError> {
    let e = find_exercise(&state, &id)?;
    Ok(exercise_page(e, &starter_files(e), None))
}

/// `POST /exercises/{id}`: checks the edited files, saves the attempt, shows the results with the
/// text kept in the editors.
#[instrument(skip_all)]
pub async fn exercise_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Markup, WebError> {
    let e = find_exercise(&state, &id)?;
    let mut files = Vec::new();
    for i in 0..64 {
        let (Some(path), Some(text)) =
            (form.get(&format!("file{i}_path")), form.get(&format!("file{i}_text")))
        else {
            break;
        };
        files.push(SourceFile { path: path.trim().to_owned(), text: text.replace("\r\n", "\n") });
    }
    let (report, attempt) = run_check(&state, &user, e, files.clone()).await?;
    Ok(exercise_page(e, &files, Some((&report, &attempt))))
}

/// Body of `POST /api/exercises/{id}/check`.
#[derive(Deserialize)]
pub struct CheckInput {
    files: Vec<FileInput>,
}

#[derive(Deserialize)]
struct FileInput {
    path: String,
    text: String,
}

/// `POST /api/exercises/{id}/check`: the check report; the attempt is saved.
#[instrument(skip_all)]
pub async fn api_exercise_check_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CheckInput>,
) -> Result<Json<CheckReport>, WebError> {
    let e = find_exercise(&state, &id)?;
    let files = input.files.into_iter().map(|f| SourceFile { path: f.path, text: f.text }).collect();
    Ok(Json(run_check(&state, &user, e, files).await?.0))
}

// ---------------------------------------------------------------------------------------------
// Troubleshooting scenarios

/// One command and what it printed.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    input: String,
    output: String,
    /// The command asked to stop the clock (`solve`).
    finish_requested: bool,
}

/// A replayed session.
struct Replayed {
    steps: Vec<Step>,
    solved: bool,
    debrief: Option<Debrief>,
}

/// Replays `commands` (typed at `times` seconds, when known) into a fresh run, then grades
/// `explanation` when given. Off the async threads: grading may run a neural model.
async fn replay(
    state: &AppState,
    index: usize,
    commands: Vec<String>,
    times: Vec<u64>,
    elapsed: Duration,
    explanation: Option<String>,
) -> Result<Replayed, WebError> {
    if commands.len() > MAX_COMMANDS {
        return Err(WebError::BadRequest(format!("at most {MAX_COMMANDS} commands per session")));
    }
    let permit = state.grading_slot().await?;
    let scenarios: Arc<Vec<Scenario>> = state.scenarios.clone();
    let embedder = state.grader.embedder.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let sc = &scenarios[index];
        let mut run = Run::new(sc);
        let mut steps = Vec::new();
        for (i, c) in commands.iter().enumerate() {
            let at = times.get(i).map_or(elapsed, |&s| Duration::from_secs(s).min(elapsed));
            let r = run.execute(c, at);
            steps.push(Step { input: c.clone(), output: r.output, finish_requested: r.finish_requested });
        }
        let solved = run.is_solved();
        let debrief = match explanation {
            Some(text) => {
                let grader = match &embedder {
                    Some(e) => Grader::with_embedder(e.as_ref()),
                    None => Grader::lexical(),
                };
                Some(run.finish(&text, &grader, elapsed).map_err(|e| WebError::BadRequest(e.to_string()))?)
            }
            None => None,
        };
        Ok(Replayed { steps, solved, debrief })
    })
    .await
    .map_err(|e| WebError::Internal(format!("scenario task failed: {e}")))?
}

async fn save_debrief(
    state: &AppState,
    user: &User,
    sc: &Scenario,
    d: &Debrief,
    started: DateTime<Utc>,
) -> Result<Attempt, WebError> {
    let commands: Vec<String> = d.log.iter().map(|e| format!("$ {}", e.input.trim())).collect();
    save(state, user, ROUND_TROUBLESHOOT, &sc.id, &sc.symptom, started, |a| {
        a.score = d.score;
        a.hints = u32::try_from(d.hints_used).unwrap_or(u32::MAX);
        a.answer = commands.join("\n");
        a.assessment = Some(d.explanation.clone());
    })
    .await
}

/// `GET /troubleshoot`.
#[instrument(skip_all)]
pub async fn scenarios_get(Live(state): Live) -> Markup {
    layout(
        "Troubleshooting",
        Nav::Troubleshoot,
        html! {
            h1 { "Troubleshooting scenarios" }
            p.muted { "A broken system in a simulated shell: investigate, fix, verify, then state the root cause." }
            @if state.scenarios.is_empty() { p { "This pack has no scenarios." } }
            ul.list {
                @for s in state.scenarios.iter() {
                    li { a href=(format!("/troubleshoot/{}", s.id)) { (s.title) } " " (difficulty_tag(s.difficulty)) " "
                        span.muted { "~" (s.time_minutes) " min" } }
                }
            }
        },
    )
}

struct Panel<'a> {
    sc: &'a Scenario,
    steps: &'a [Step],
    times: &'a [u64],
    started: i64,
    elapsed: Duration,
    debrief: Option<(&'a Debrief, &'a Attempt)>,
}

fn scenario_page(p: &Panel<'_>) -> Markup {
    let sc = p.sc;
    let commands: Vec<&str> = p.steps.iter().map(|s| s.input.as_str()).collect();
    let times: Vec<String> = p.times.iter().map(u64::to_string).collect();
    let term = "background:#0f172a;color:#e2e8f0;font-family:ui-monospace,Menlo,Consolas,monospace;\
                padding:1em;border-radius:6px;white-space:pre-wrap;max-height:32em;overflow:auto";
    let mono = "font-family:ui-monospace,Menlo,Consolas,monospace;width:100%;box-sizing:border-box";
    let budget = Duration::from_secs(u64::from(sc.time_minutes) * 60);
    let hidden = html! {
        input type="hidden" name="commands" value=(commands.join("\n"));
        input type="hidden" name="times" value=(times.join(","));
        input type="hidden" name="started" value=(p.started);
    };
    layout(
        &sc.title,
        Nav::Troubleshoot,
        html! {
            h1 { (sc.title) " " (difficulty_tag(sc.difficulty)) }
            section.card { p { (sc.symptom.trim()) } p.muted { "Budget " (mockloop_scenario::clock(budget))
                ". Type commands as in a terminal: `help` lists the tools, `hint` gives a nudge." } }
            @if let Some((d, attempt)) = p.debrief {
                section.card #debrief {
                    h2 { "Debrief " (score_badge(d.score)) }
                    p { strong { (d.verdict) } " · " a href=(format!("/attempts/{}", attempt.id)) { "Saved attempt" } }
                    ul {
                        li { "Fixed: " strong { (if d.solved { "yes" } else { "no" }) } }
                        li { "Systematic (evidence before acting): " strong { (if d.systematic { "yes" } else { "no" }) } }
                        li { "Clues found: " (d.clues.iter().filter(|c| c.found).count()) " of " (d.clues.len()) }
                    }
                    @if !d.risky_actions.is_empty() {
                        h3 { "Risky actions" }
                        ul { @for r in &d.risky_actions { li { code { (r.command) } " — " (r.reason) } } }
                    }
                    h3 { "Your explanation" }
                    ul { @for k in &d.explanation.key_points {
                        @let (class, label) = match k.status {
                            Coverage::Covered => ("pass", "covered"),
                            Coverage::Partly => ("partly", "partly"),
                            Coverage::Missed => ("fail", "missing"),
                        };
                        li class=(class) { (label) ": " (k.text) }
                    } }
                    @if !d.reasons.is_empty() { h3 { "Why this score" } ul { @for r in &d.reasons { li { (r) } } } }
                    h3 { "Root cause" } p { (d.root_cause) }
                    h3 { "Fix" } p { (d.fix) }
                    p { a.button href=(format!("/troubleshoot/{}", sc.id)) { "Start again" } }
                }
            }
            pre #terminal style=(term) {
                @for s in p.steps {
                    span style="color:#7dd3fc" { "$ " } (s.input) "\n"
                    @if !s.output.is_empty() { (s.output.trim_end_matches('\n')) "\n" }
                    @if s.finish_requested { span style="color:#fbbf24" { "(clock stopped: write the root cause below)" } "\n" }
                }
                span style="color:#7dd3fc" { "[" (mockloop_scenario::clock(p.elapsed)) "/" (mockloop_scenario::clock(budget)) "] $" }
            }
            @if p.debrief.is_none() {
                form method="post" action=(format!("/troubleshoot/{}", sc.id)) {
                    (crate::auth::csrf_field())
                    (hidden)
                    input type="hidden" name="action" value="run";
                    input type="text" name="command" autofocus autocomplete="off" spellcheck="false"
                        aria-label="command" placeholder="kubectl get pods" style=(mono);
                    button.button type="submit" { "Run" }
                }
                form method="post" action=(format!("/troubleshoot/{}", sc.id)) {
                    (crate::auth::csrf_field())
                    (hidden)
                    input type="hidden" name="action" value="finish";
                    label for="explanation" { h3 { "Root cause" } } p.muted { (sc.root_cause.prompt) }
                    textarea #explanation name="explanation" rows="8" style=(mono) {}
                    p { button.button type="submit" { "Finish" } }
                }
            }
        },
    )
}

/// The scenario form.
#[derive(Deserialize)]
pub struct ScenarioForm {
    #[serde(default)]
    commands: String,
    #[serde(default)]
    times: String,
    started: Option<i64>,
    #[serde(default)]
    action: String,
    #[serde(default)]
    command: String,
    #[serde(default)]
    explanation: String,
}

/// Seconds since `started` (a unix timestamp), clamped to 0–6 hours.
fn since(started: i64, now: DateTime<Utc>) -> Duration {
    Duration::from_secs((now.timestamp() - started).clamp(0, 6 * 3600) as u64)
}

/// `GET /troubleshoot/{id}`.
#[instrument(skip_all)]
pub async fn scenario_get(Live(state): Live, Path(id): Path<String>) -> Result<Markup, WebError> {
    let sc = &state.scenarios[scenario_index(&state, &id)?];
    Ok(scenario_page(&Panel {
        sc,
        steps: &[],
        times: &[],
        started: Utc::now().timestamp(),
        elapsed: Duration::ZERO,
        debrief: None,
    }))
}

/// `POST /troubleshoot/{id}`: runs one more command, or (action `finish`) grades the root cause,
/// saves the attempt and shows the debrief.
#[instrument(skip_all)]
pub async fn scenario_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<ScenarioForm>,
) -> Result<Markup, WebError> {
    let index = scenario_index(&state, &id)?;
    let now = Utc::now();
    let started = form.started.filter(|&s| s <= now.timestamp()).unwrap_or_else(|| now.timestamp());
    let elapsed = since(started, now);
    let mut commands: Vec<String> =
        form.commands.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let mut times: Vec<u64> = form.times.split(',').filter_map(|t| t.trim().parse().ok()).collect();
    times.truncate(commands.len());
    while times.len() < commands.len() {
        times.push(elapsed.as_secs());
    }
    let finish = form.action == "finish";
    let new = form.command.trim();
    if !finish && !new.is_empty() {
        commands.push(new.to_owned());
        times.push(elapsed.as_secs());
    }
    let explanation = finish.then(|| form.explanation.clone());
    let r = replay(&state, index, commands, times.clone(), elapsed, explanation).await?;
    let sc = &state.scenarios[index];
    let saved = match &r.debrief {
        Some(d) => Some(
            save_debrief(&state, &user, sc, d, DateTime::from_timestamp(started, 0).unwrap_or(now)).await?,
        ),
        None => None,
    };
    Ok(scenario_page(&Panel {
        sc,
        steps: &r.steps,
        times: &times,
        started,
        elapsed,
        debrief: r.debrief.as_ref().zip(saved.as_ref()),
    }))
}

/// Body of `POST /api/troubleshoot/{id}`.
#[derive(Deserialize)]
pub struct TroubleshootInput {
    #[serde(default)]
    commands: Vec<String>,
    explanation: Option<String>,
    /// Seconds the session took (default 0).
    elapsed_seconds: Option<u64>,
}

/// Answer of `POST /api/troubleshoot/{id}`.
#[derive(Serialize)]
pub struct TroubleshootOutput {
    scenario: String,
    steps: Vec<Step>,
    solved: bool,
    debrief: Option<Debrief>,
    attempt: Option<AttemptId>,
}

/// `POST /api/troubleshoot/{id}`: replays the commands; with an explanation, grades the session,
/// saves the attempt and returns the debrief.
#[instrument(skip_all)]
pub async fn api_troubleshoot_post(
    Live(state): Live,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TroubleshootInput>,
) -> Result<Json<TroubleshootOutput>, WebError> {
    let index = scenario_index(&state, &id)?;
    let elapsed = Duration::from_secs(input.elapsed_seconds.unwrap_or(0).min(6 * 3600));
    let now = Utc::now();
    let r = replay(&state, index, input.commands, Vec::new(), elapsed, input.explanation).await?;
    let sc = &state.scenarios[index];
    let attempt = match &r.debrief {
        Some(d) => {
            let started = now - chrono::Duration::from_std(elapsed).unwrap_or_default();
            Some(save_debrief(&state, &user, sc, d, started).await?.id)
        }
        None => None,
    };
    Ok(Json(TroubleshootOutput {
        scenario: sc.id.clone(),
        steps: r.steps,
        solved: r.solved,
        debrief: r.debrief,
        attempt,
    }))
}
