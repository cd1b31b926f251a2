//! The interviewer at the terminal: asks a question, reads a multi-line answer, grades it, saves it,
//! shows the feedback and probes the biggest gap. `practice` and `loop` both drive it.
//!
//! Input comes from any `BufRead`: the terminal, a pipe, or an `--answers` file in which answers
//! are separated by lines `---`. Interactive or not, the flow is the same; only the prompts and
//! instructions are hidden when nobody is typing. Every attempt is written to the store before the
//! user is told it was saved, so an interrupted session never loses an acknowledged answer.

use std::io::{BufRead, Write};
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::Utc;
use mockloop_domain::{Attempt, AttemptId, Outcome, Question, SessionId};
use mockloop_grading::{Assessment, Coverage, Grader, Rubric};

use crate::render::Style;
use crate::storage::Storage;

/// What the user did at a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A typed answer.
    Answer(String),
    /// `:skip`.
    Skip,
    /// `:reveal`: show the model answer.
    Reveal,
    /// `:hint`.
    Hint,
    /// `:quit`, or end of input.
    Quit,
}

/// Where answers come from and whether a person is typing them.
pub struct Console {
    input: Box<dyn BufRead>,
    /// A person is at a terminal: show prompts and instructions.
    pub interactive: bool,
    /// Output styling.
    pub style: Style,
    told_how: bool,
    /// A reply read ahead and given back (see [`Console::unread`]).
    pending: Option<Reply>,
}

/// Lines that end an answer: `.` alone (interactive habit) or `---` (answers files).
fn is_terminator(line: &str) -> bool {
    matches!(line.trim_end(), "." | "---")
}

impl Console {
    /// A console reading `input`.
    pub fn new(input: Box<dyn BufRead>, interactive: bool, style: Style) -> Self {
        Self { input, interactive, style, told_how: false, pending: None }
    }

    /// Reads one reply: commands (`:hint`, `:skip`, `:reveal`, `:edit`, `:quit`) act at once;
    /// anything else is the answer, up to a terminator line or end of input.
    pub fn read_reply(&mut self) -> Result<Reply> {
        if let Some(reply) = self.pending.take() {
            return Ok(reply);
        }
        if self.interactive && !self.told_how {
            self.told_how = true;
            println!(
                "{}",
                self.style.dim(
                    "Type your answer; finish with a line holding only `.` (or Ctrl-D).\n\
                     Commands: :hint  :skip  :reveal (show the model answer)  :edit (open $EDITOR)  :quit"
                )
            );
        }
        let mut text = String::new();
        loop {
            if self.interactive {
                print!("{}", self.style.cyan(if text.is_empty() { "› " } else { "  " }));
                std::io::stdout().flush().ok();
            }
            let mut line = String::new();
            if self.input.read_line(&mut line).context("reading the answer")? == 0 {
                return Ok(if text.trim().is_empty() {
                    Reply::Quit
                } else {
                    Reply::Answer(text.trim_end().to_owned())
                });
            }
            if text.trim().is_empty() {
                match line.trim() {
                    ":hint" | ":h" => return Ok(Reply::Hint),
                    ":skip" | ":s" => return Ok(Reply::Skip),
                    ":reveal" | ":r" => return Ok(Reply::Reveal),
                    ":quit" | ":q" => return Ok(Reply::Quit),
                    ":edit" | ":e" => return Ok(Reply::Answer(edit("")?)),
                    _ => {}
                }
            } else if line.trim() == ":edit" {
                return Ok(Reply::Answer(edit(&text)?));
            }
            if is_terminator(&line) {
                if text.trim().is_empty() {
                    continue; // a stray separator before any text
                }
                return Ok(Reply::Answer(text.trim_end().to_owned()));
            }
            text.push_str(&line);
        }
    }

    /// The raw input, for sessions with their own line protocol (troubleshooting scenarios).
    pub fn input(&mut self) -> &mut dyn BufRead {
        &mut *self.input
    }

    /// Gives a reply back, to be returned by the next [`Console::read_reply`].
    pub fn unread(&mut self, reply: Reply) {
        self.pending = Some(reply);
    }

    /// Reads the answer to a follow-up probe. At a terminal that is simply the next reply. From a
    /// file or pipe, where the writer cannot know whether a probe will come, a follow-up answer is
    /// a block whose first line is `:follow-up`; any other block is kept for the next question and
    /// the probe is passed over.
    pub fn read_follow_up(&mut self) -> Result<Reply> {
        let reply = self.read_reply()?;
        if self.interactive {
            return Ok(reply);
        }
        match reply {
            Reply::Answer(text) if text.trim_start().starts_with(":follow-up") => {
                let body = text.trim_start().trim_start_matches(":follow-up").trim().to_owned();
                Ok(if body.is_empty() { Reply::Skip } else { Reply::Answer(body) })
            }
            other => {
                self.unread(other);
                Ok(Reply::Skip)
            }
        }
    }

    /// Reads one line (ratings, confirmations); `None` at end of input.
    pub fn read_line(&mut self, prompt: &str) -> Result<Option<String>> {
        if self.interactive {
            print!("{prompt}");
            std::io::stdout().flush().ok();
        }
        let mut line = String::new();
        if self.input.read_line(&mut line).context("reading input")? == 0 {
            return Ok(None);
        }
        Ok(Some(line.trim().to_owned()))
    }
}

/// Opens `$VISUAL`/`$EDITOR` (default `vi`) on the text typed so far and returns what was saved.
fn edit(so_far: &str) -> Result<String> {
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    let path = std::env::temp_dir().join(format!("mockloop-answer-{}.md", std::process::id()));
    std::fs::write(&path, so_far).with_context(|| format!("writing {}", path.display()))?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(&path)
        .status()
        .with_context(|| format!("starting the editor `{editor}` (set $EDITOR)"))?;
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    if !status.success() {
        anyhow::bail!("the editor `{editor}` exited with {status}; the answer was not taken");
    }
    Ok(text.trim_end().to_owned())
}

/// How one question went.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The main attempt.
    pub attempt: Attempt,
    /// The follow-up probe's attempt, if one was asked and answered.
    pub follow_up: Option<Attempt>,
    /// The user asked to stop after this question.
    pub quit: bool,
}

/// Context for asking one question.
pub struct Ask<'a> {
    /// The store and user.
    pub storage: &'a Storage,
    /// The grader.
    pub grader: &'a Grader<'a>,
    /// The session the attempt belongs to.
    pub session: SessionId,
    /// Round, in loops.
    pub round: Option<&'a str>,
    /// Ask the follow-up probe after an answer with a gap.
    pub follow_up: bool,
}

/// A hint that points at a key point without giving it away: its first few words.
pub fn hint(question: &Question, n: usize) -> Option<String> {
    let mut kps: Vec<_> = question.key_points.iter().collect();
    kps.sort_by_key(|k| std::cmp::Reverse(k.weight));
    kps.get(n).map(|k| {
        let words: Vec<&str> = k.text.split_whitespace().collect();
        let shown = words.len().clamp(1, 4).min(words.len().saturating_sub(1).max(1));
        format!("Think about: {} …", words[..shown].join(" "))
    })
}

/// A skipped attempt at `question` (callers fill in the outcome), timed from `clock`.
pub fn blank_attempt(
    storage: &Storage,
    session: SessionId,
    round: Option<&str>,
    question: &str,
    prompt: &str,
    started: chrono::DateTime<Utc>,
    clock: Instant,
) -> Attempt {
    Attempt {
        id: AttemptId::new(),
        user: storage.user.id,
        session: Some(session),
        question: question.to_owned(),
        round: round.map(str::to_owned),
        follow_up_of: None,
        prompt: prompt.to_owned(),
        answer: String::new(),
        outcome: Outcome::Skipped,
        score: 0.0,
        assessment: None,
        hints: 0,
        started_at: started,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

fn attempt_for(
    ask: &Ask<'_>,
    question: &Question,
    prompt: &str,
    started: chrono::DateTime<Utc>,
    clock: Instant,
) -> Attempt {
    blank_attempt(ask.storage, ask.session, ask.round, &question.id, prompt, started, clock)
}

/// Saves an attempt, then tells the user.
fn save(ask: &Ask<'_>, console: &Console, attempt: &Attempt) -> Result<()> {
    ask.storage.block(ask.storage.store.add_attempt(attempt)).context("saving the attempt")?;
    println!("{}", console.style.dim(&format!("✓ saved (attempt {})", attempt.id.short())));
    Ok(())
}

/// Asks `question` (already introduced by the caller), reads the answer, grades and saves it,
/// shows feedback and, when there is a gap, asks the follow-up probe.
pub fn ask(ask: &Ask<'_>, console: &mut Console, question: &Question) -> Result<Asked> {
    let style = console.style;
    let started = Utc::now();
    let clock = Instant::now();
    let mut hints = 0u32;
    loop {
        match console.read_reply()? {
            Reply::Hint => match hint(question, hints as usize) {
                Some(h) => {
                    hints += 1;
                    println!("{}", style.yellow(&h));
                }
                None => println!("{}", style.dim("No more hints for this one.")),
            },
            Reply::Quit => {
                return Ok(Asked {
                    attempt: attempt_for(ask, question, &question.prompt, started, clock),
                    follow_up: None,
                    quit: true,
                })
            }
            Reply::Skip => {
                let mut a = attempt_for(ask, question, &question.prompt, started, clock);
                a.hints = hints;
                save(ask, console, &a)?;
                println!("Skipped.");
                return Ok(Asked { attempt: a, follow_up: None, quit: false });
            }
            Reply::Reveal => {
                let mut a = attempt_for(ask, question, &question.prompt, started, clock);
                a.outcome = Outcome::Revealed;
                a.hints = hints;
                save(ask, console, &a)?;
                println!(
                    "\n{}\n{}",
                    style.bold("Model answer"),
                    crate::render::markdown(&question.answer, style)
                );
                return Ok(Asked { attempt: a, follow_up: None, quit: false });
            }
            Reply::Answer(text) => {
                let rubric = question.rubric();
                let assessment = match ask.grader.assess(&rubric, &text) {
                    Ok(a) => a,
                    Err(e) => {
                        println!("{}", style.red(&format!("{e}. Try a shorter answer.")));
                        continue;
                    }
                };
                let mut a = attempt_for(ask, question, &question.prompt, started, clock);
                a.outcome = Outcome::Answered;
                a.answer = text;
                a.score = assessment.score;
                a.hints = hints;
                a.assessment = Some(assessment);
                save(ask, console, &a)?;
                println!();
                print!(
                    "{}",
                    crate::feedback_view::render(
                        a.assessment.as_ref().unwrap_or_else(|| unreachable!()),
                        style
                    )
                );
                let follow_up =
                    if ask.follow_up { probe(ask, console, question, &rubric, &a)? } else { None };
                return Ok(Asked { attempt: a, follow_up, quit: false });
            }
        }
    }
}

/// The rubric for a follow-up: the probed key points, judged against the same reference.
fn probe_rubric(rubric: &Rubric, prompt: &str, missed: &[String]) -> Rubric {
    Rubric {
        prompt: prompt.to_owned(),
        key_points: rubric.key_points.iter().filter(|k| missed.contains(&k.id)).cloned().collect(),
        follow_ups: Vec::new(),
        time_minutes: Some(3),
        ..rubric.clone()
    }
}

fn probe(
    ask: &Ask<'_>,
    console: &mut Console,
    question: &Question,
    rubric: &Rubric,
    first: &Attempt,
) -> Result<Option<Attempt>> {
    let Some(assessment) = &first.assessment else { return Ok(None) };
    let Some(prompt) = assessment.follow_up.clone() else { return Ok(None) };
    let style = console.style;
    let missed = gaps(assessment);
    if missed.is_empty() {
        return Ok(None);
    }
    if console.interactive {
        println!("{}", style.dim("Answer the follow-up above, or :skip to move on."));
    }
    let started = Utc::now();
    let clock = Instant::now();
    let reply = console.read_follow_up()?;
    let mut a = attempt_for(ask, question, &prompt, started, clock);
    a.follow_up_of = Some(first.id);
    match reply {
        Reply::Answer(text) => {
            let rubric = probe_rubric(rubric, &prompt, &missed);
            let Ok(x) = ask.grader.assess(&rubric, &text) else { return Ok(None) };
            a.outcome = Outcome::Answered;
            a.answer = text;
            a.score = x.score;
            let now_covered: Vec<_> = x
                .key_points
                .iter()
                .filter(|k| k.status != Coverage::Missed)
                .map(|k| k.text.clone())
                .collect();
            a.assessment = Some(x);
            save(ask, console, &a)?;
            if now_covered.is_empty() {
                println!(
                    "{} still missing: {}",
                    style.red("✗"),
                    style.dim(&missed_texts(rubric_kps(&rubric)))
                );
            } else {
                for t in now_covered {
                    println!("{} now covered: {t}", style.green("✓"));
                }
            }
            println!("Follow-up score {:.1}/5", a.score);
            Ok(Some(a))
        }
        Reply::Quit | Reply::Skip | Reply::Reveal | Reply::Hint => {
            println!("{}", style.dim("Follow-up skipped."));
            Ok(None)
        }
    }
}

fn rubric_kps(r: &Rubric) -> Vec<String> {
    r.key_points.iter().map(|k| k.text.clone()).collect()
}

fn missed_texts(v: Vec<String>) -> String {
    v.join("; ")
}

/// Ids of key points the answer missed or only touched, most important first.
pub fn gaps(a: &Assessment) -> Vec<String> {
    a.key_points.iter().filter(|k| k.status != Coverage::Covered).map(|k| k.id.clone()).collect()
}
