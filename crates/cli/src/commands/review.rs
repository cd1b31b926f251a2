//! `mockloop review`: spaced-repetition flashcards (FSRS), and the Anki export.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chrono::Utc;
use mockloop_domain::{Card, Pack, Rating, Review, ReviewSource, Session, SessionId, SessionKind};
use mockloop_practice::{anki, schedule};

use crate::storage::{Storage, StorageOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Review at most this many cards.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Introduce at most this many new cards when fewer are due.
    #[arg(long, default_value_t = 5)]
    new: usize,
    /// Desired retention: the chance of recalling a card when it comes due (0.70–0.99).
    #[arg(long, default_value_t = schedule::DEFAULT_RETENTION)]
    retention: f64,
    /// Read ratings (1–4, again/hard/good/easy, one per line) from FILE instead of the keyboard.
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Instead of reviewing, write the deck to a file: `--export anki FILE` (Anki text import).
    #[arg(long, num_args = 2, value_names = ["FORMAT", "FILE"])]
    export: Vec<String>,
}

fn export(pack: &Pack, format: &str, file: &str) -> Result<ExitCode> {
    if format != "anki" {
        bail!("unknown export format `{format}`; supported: anki (a text file for Anki's File → Import)");
    }
    let questions: Vec<_> = pack.questions.iter().collect();
    let text = anki::anki_text(&questions, &pack.role.name);
    std::fs::write(file, text).with_context(|| format!("writing {file}"))?;
    println!(
        "wrote {} cards to {file}; in Anki use File → Import and pick the file (notes update in place on re-import)",
        questions.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The cards for this sitting: due ones first, then new ones from questions never met, easy first.
fn todays_cards(pack: &Pack, cards: &[Card], limit: usize, new: usize) -> Vec<Card> {
    let now = Utc::now();
    let mut out: Vec<Card> = schedule::due(cards, now).into_iter().take(limit).cloned().collect();
    if out.len() < limit {
        let mut fresh: Vec<_> = pack
            .questions
            .iter()
            .filter(|q| !q.flashcard.is_empty() && !cards.iter().any(|c| c.question == q.id))
            .collect();
        fresh.sort_by_key(|q| (q.difficulty, q.id.clone()));
        out.extend(
            fresh.into_iter().take(new.min(limit - out.len())).map(|q| schedule::new_card(&q.id, now)),
        );
    }
    out
}

pub fn run(args: &Args, pack: &Pack, opts: &StorageOptions) -> Result<ExitCode> {
    if let [format, file] = args.export.as_slice() {
        return export(pack, format, file);
    }
    if !(0.7..=0.99).contains(&args.retention) {
        bail!("--retention must be between 0.70 and 0.99 (got {})", args.retention);
    }
    let mut console = super::practice::console(args.answers.as_deref())?;
    let style = console.style;
    let storage = Storage::open(opts)?;
    let user = storage.user.id;
    let scheduler = schedule::Scheduler::new(args.retention);
    let cards = storage.block(storage.store.cards(user))?;
    let today = todays_cards(pack, &cards, args.limit, args.new);
    if today.is_empty() {
        let next = cards.iter().map(|c| c.due).min();
        match next {
            Some(due) => println!(
                "Nothing due. Next card due {}.",
                due.with_timezone(&chrono::Local).format("%a %d %b %H:%M")
            ),
            None => println!("No cards yet."),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let session = Session {
        id: SessionId::new(),
        user,
        kind: SessionKind::Review,
        level: None,
        started_at: Utc::now(),
        finished_at: None,
    };
    storage.block(storage.store.start_session(&session))?;
    println!(
        "{}",
        style.heading(&format!(
            "Flashcards · {} to review · retention {:.0}%",
            today.len(),
            args.retention * 100.0
        ))
    );
    let mut tally = [0u32; 4];
    let mut reviewed = 0;
    'cards: for (i, card) in today.iter().enumerate() {
        let Some(q) = pack.question(&card.question) else { continue };
        let topic = q.topics.first().and_then(|t| pack.topic(t)).map_or("", |t| t.name.as_str());
        let state = if card.reps == 0 {
            "new".to_owned()
        } else {
            format!("{} · seen {}×", card.phase.as_str(), card.reps)
        };
        println!(
            "\n{} {}",
            style.bold(&format!("[{}/{}]", i + 1, today.len())),
            style.dim(&format!("{topic} · {state} · {}", q.id))
        );
        println!("{}", style.cyan(&q.prompt));
        if console.interactive {
            match console.read_line(&style.dim("  (Enter shows the answer, q stops) "))? {
                None => break,
                Some(s) if s == "q" => break,
                Some(_) => {}
            }
        }
        println!("\n{}\n", crate::render::markdown(&q.flashcard, style).trim_end());
        let now = Utc::now();
        let options = scheduler
            .preview(card, now)
            .iter()
            .enumerate()
            .map(|(n, (r, d))| {
                format!(
                    "{} {} {}",
                    style.bold(&(n + 1).to_string()),
                    schedule::rating_label(*r),
                    style.dim(&schedule::format_interval(*d))
                )
            })
            .collect::<Vec<_>>()
            .join("  ");
        println!("{options}");
        let rating = loop {
            let Some(line) = console.read_line("  rate 1–4 (q stops): ")? else { break 'cards };
            if line == "q" || line == ":quit" {
                break 'cards;
            }
            match Rating::parse(&line) {
                Some(r) => break r,
                None if console.interactive => {
                    println!("{}", style.yellow("Type 1 (again), 2 (hard), 3 (good) or 4 (easy)."))
                }
                None => bail!("ratings file: `{line}` is not a rating (use 1–4 or again/hard/good/easy)"),
            }
        };
        let next = scheduler.review(card, rating, now);
        let review =
            Review { question: q.id.clone(), rating, source: ReviewSource::Flashcard, reviewed_at: now };
        storage.block(storage.store.record_review(user, &next, &review))?;
        tally[Rating::ALL.iter().position(|r| *r == rating).unwrap_or(0)] += 1;
        reviewed += 1;
        println!(
            "{}",
            style.dim(&format!("✓ saved · next in {}", schedule::format_interval(next.due - now)))
        );
    }
    storage.block(storage.store.finish_session(user, session.id, Utc::now()))?;
    println!(
        "\n{} {reviewed} reviewed: {} again, {} hard, {} good, {} easy.",
        style.bold("Done:"),
        tally[0],
        tally[1],
        tally[2],
        tally[3]
    );
    Ok(ExitCode::SUCCESS)
}
