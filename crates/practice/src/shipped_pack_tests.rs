//! The coaching core against the shipped Infrastructure Engineer pack: the behaviours users see,
//! on real content rather than a synthetic bank.

use std::path::Path;
use std::sync::OnceLock;

use chrono::Duration;
use mockloop_domain::{Ability, Attempt, Difficulty, Filter, Pack};

use crate::ability::{self, tests::t0};
use crate::plan::{make_plan, ItemKind, PlanRequest, Span};
use crate::select::{next_question, tests::attempt, Request};

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs/infrastructure-engineer");
        let source = mockloop_content::read_dir(&root).expect("the shipped pack is readable");
        mockloop_content::load(&source).expect("the shipped pack is valid")
    })
}

/// Picks `count` questions for `level`, answering each with `score`.
fn session(
    level: &str,
    filter: &Filter,
    count: usize,
    score: f32,
) -> Vec<&'static mockloop_domain::Question> {
    let pack = pack();
    let (mut abilities, mut history, mut asked): (Vec<Ability>, Vec<Attempt>, Vec<String>) =
        Default::default();
    let mut picks = vec![];
    for i in 0..count {
        let now = t0() + Duration::minutes(10 * i as i64);
        let req =
            Request { level, filter, abilities: &abilities, history: &history, asked: &asked, now, seed: 7 };
        let Some(pick) = next_question(pack, &req) else { break };
        let updates = ability::record_answer(&abilities, pick.question, &pack.levels, level, score, now);
        abilities = ability::merge(&abilities, &updates);
        history.push(attempt(&pick.question.id, score, now));
        asked.push(pick.question.id.clone());
        picks.push(pick.question);
    }
    picks
}

fn hard_share(qs: &[&mockloop_domain::Question]) -> f64 {
    qs.iter().filter(|q| q.difficulty == Difficulty::Hard).count() as f64 / qs.len() as f64
}

#[test]
fn entry_sessions_open_easy_and_principal_sessions_open_hard() {
    let entry = session("entry", &Filter::default(), 6, 2.5);
    let principal = session("principal", &Filter::default(), 6, 2.5);
    assert!(entry.iter().all(|q| q.difficulty != Difficulty::Hard), "{:?}", ids(&entry));
    assert!(entry.iter().all(|q| q.levels.iter().any(|l| l == "entry" || l == "mid")), "{:?}", ids(&entry));
    assert!(hard_share(&principal) >= 0.8, "{:?}", ids(&principal));
}

#[test]
fn strong_and_weak_senior_sessions_drift_apart() {
    let strong = session("senior", &Filter::default(), 10, 4.6);
    let weak = session("senior", &Filter::default(), 10, 0.8);
    let d = |qs: &[&mockloop_domain::Question]| {
        qs.iter().map(|q| ability::question_difficulty(q, &pack().levels)).sum::<f64>() / qs.len() as f64
    };
    assert!(d(&strong[5..]) > d(&weak[5..]) + 1.0, "{:?} vs {:?}", ids(&strong), ids(&weak));
}

#[test]
fn every_round_of_a_senior_loop_has_enough_questions() {
    for round in &pack().rounds {
        let filter = Filter { round: vec![round.id.clone()], ..Filter::default() };
        let picks = session("senior", &filter, round.questions as usize, 3.0);
        assert_eq!(picks.len(), round.questions as usize, "{}", round.id);
        assert!(picks.iter().all(|q| q.rounds.contains(&round.id)));
    }
}

#[test]
fn a_four_week_plan_follows_the_template_and_exports_valid_ics() {
    let pack = pack();
    let start = t0().date_naive();
    let req = PlanRequest {
        pack,
        level: "senior",
        start,
        span: Span::Until(start + Duration::days(28)),
        hours_per_day: 2.0,
        abilities: &[],
        history: &[],
        seed: 3,
    };
    let plan = make_plan(&req);
    assert_eq!(plan.days.len(), 28);
    assert_eq!(plan.phases.len(), pack.prep_plan.weeks.len());
    for day in &plan.days {
        let phase = plan.phases.iter().find(|p| p.name == day.phase).expect("a phase");
        for item in day.items.iter().filter(|i| i.kind == ItemKind::Practise) {
            assert!(phase.topics.contains(item.topic.as_ref().expect("a topic")));
            assert!(item.questions.iter().all(|id| pack.question(id).is_some()));
        }
        assert!(day.minutes <= 120);
    }
    let loops = plan.days.iter().filter(|d| d.items.iter().any(|i| i.kind == ItemKind::MockLoop)).count();
    assert!(loops >= 4, "{loops} loop days");
    let ics = plan.to_ics(t0());
    assert!(ics.split("\r\n").all(|l| l.len() <= 75));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 29);
}

#[test]
fn the_anki_export_has_one_note_per_question() {
    let qs: Vec<_> = pack().questions.iter().collect();
    let text = crate::anki::anki_text(&qs, &pack().role.name);
    let notes: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(notes.len(), qs.len());
    assert!(notes.iter().all(|n| n.split('\t').count() == 4));
}

fn ids<'a>(qs: &[&'a mockloop_domain::Question]) -> Vec<(&'a str, Difficulty)> {
    qs.iter().map(|q| (q.id.as_str(), q.difficulty)).collect()
}
