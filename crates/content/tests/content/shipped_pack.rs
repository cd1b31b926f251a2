//! The built-in Infrastructure Engineer pack, read from disk, against the coverage the product
//! promises: enough questions at every difficulty, in every category and on every topic, each with a
//! rubric deep enough to grade against.

use std::path::Path;

use mockloop_content::{parse_pack, read_dir};
use mockloop_domain::{Category, Difficulty, Pack};

fn shipped() -> Pack {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs/infrastructure-engineer");
    let src = read_dir(&root).expect("the shipped pack is readable");
    let (pack, diags) = parse_pack(&src);
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(shown, Vec::<String>::new(), "the shipped pack has no diagnostics");
    pack.expect("the shipped pack loads")
}

#[test]
fn the_shipped_pack_validates_with_no_diagnostics() {
    let pack = shipped();
    assert_eq!(pack.role.id, "infrastructure-engineer");
    assert!(!pack.mistakes.trim().is_empty() && !pack.faq.trim().is_empty());
}

#[test]
fn the_shipped_pack_has_at_least_160_questions() {
    let n = shipped().questions.len();
    assert!(n >= 160, "{n} questions");
}

#[test]
fn the_shipped_pack_has_enough_questions_at_each_difficulty() {
    let pack = shipped();
    for (difficulty, min) in [(Difficulty::Easy, 40), (Difficulty::Medium, 70), (Difficulty::Hard, 40)] {
        let n = pack.questions.iter().filter(|q| q.difficulty == difficulty).count();
        assert!(n >= min, "{n} {difficulty} questions, want at least {min}");
    }
}

#[test]
fn the_shipped_pack_has_at_least_20_questions_in_each_category() {
    let pack = shipped();
    for category in Category::ALL {
        let n = pack.questions.iter().filter(|q| q.category == category).count();
        assert!(n >= 20, "{n} {category} questions, want at least 20");
    }
}

#[test]
fn the_shipped_pack_covers_22_technical_topics_and_behavioral_with_at_least_6_questions_each() {
    let pack = shipped();
    let technical: Vec<&str> =
        pack.topics.iter().map(|t| t.id.as_str()).filter(|t| *t != "behavioral").collect();
    assert_eq!(technical.len(), 22, "technical topics: {technical:?}");
    assert!(pack.topic("behavioral").is_some(), "a behavioral topic");
    for topic in &pack.topics {
        let n = pack.questions.iter().filter(|q| q.has_topic(&topic.id)).count();
        assert!(n >= 6, "topic `{}` has {n} questions, want at least 6", topic.id);
    }
}

#[test]
fn every_shipped_question_has_enough_key_points_and_follow_ups() {
    for q in shipped().questions {
        let min = if q.difficulty == Difficulty::Hard { 6 } else { 4 };
        assert!(
            q.key_points.len() >= min,
            "{} has {} key points, want at least {min}",
            q.id,
            q.key_points.len()
        );
        assert!(q.follow_ups.len() >= 2, "{} has {} follow-ups, want at least 2", q.id, q.follow_ups.len());
        assert!(
            q.key_points.iter().all(|k| !k.phrases.is_empty()),
            "{} has a key point without phrases",
            q.id
        );
    }
}
