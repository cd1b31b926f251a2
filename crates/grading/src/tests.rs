//! Behaviour tests for the grader, driven by data: each case is one line calling [`check`].

use proptest::prelude::*;

use crate::*;

fn kp(id: &str, text: &str, weight: u8, phrases: &[&str]) -> KeyPoint {
    KeyPoint {
        id: id.into(),
        text: text.into(),
        weight,
        phrases: phrases.iter().map(|p| (*p).into()).collect(),
    }
}

/// A technical/situational rubric: moving a DNS record between load balancers.
fn dns() -> Rubric {
    Rubric {
        prompt: "You are moving a public API to a new load balancer by changing its DNS record. How do you plan the cutover?".into(),
        category: Some(Category::Situational),
        key_points: vec![
            kp("lower-ttl", "Lower the TTL well before the change so cached answers expire quickly", 3, &["lower the ttl", "reduce the ttl", "ttl to 60"]),
            kp("parallel", "Keep the old and new endpoints serving in parallel during the transition", 2, &["run both", "keep the old load balancer", "in parallel"]),
            kp("stragglers", "Some resolvers and clients ignore TTLs, so watch for lingering traffic to the old target", 2, &["ignore the ttl", "stragglers", "jvm caches dns"]),
            kp("monitor", "Verify with dig and watch traffic and error rates on both targets", 2, &["dig", "error rate", "watch the traffic"]),
            kp("rollback", "Roll back by pointing the record back while the TTL is still low", 2, &["point it back", "roll back", "revert the record"]),
        ],
        follow_ups: vec![
            FollowUp { key_point: "lower-ttl".into(), prompt: "The TTL is 86400 today. When do you lower it?".into() },
            FollowUp { key_point: "stragglers".into(), prompt: "An hour later the old LB still gets 3% of requests. Why?".into() },
            FollowUp { key_point: "rollback".into(), prompt: "Errors climb after the switch. How do you roll back?".into() },
        ],
        misconceptions: vec![Misconception {
            claim: "DNS changes propagate between servers and you wait for propagation".into(),
            phrases: vec!["wait for propagation".into(), "dns propagation takes".into()],
            correction: "Nothing is pushed; resolvers refresh when their cached copy's TTL expires.".into(),
        }],
        reference: "Lower the TTL to 60 seconds a day ahead so cached answers expire. Keep both load balancers serving. \
            Switch the record, verify with dig and watch request and error rates on both. Some resolvers and JVMs \
            ignore TTLs, so keep the old target until its traffic drains. Roll back by pointing the record back while \
            the TTL is low, then raise it again."
            .into(),
        time_minutes: Some(6),
    }
}

fn behavioral() -> Rubric {
    Rubric {
        prompt: "Tell me about a time you caused an outage.".into(),
        category: Some(Category::Behavioral),
        key_points: vec![
            kp("situation", "Sets the scene: the system, the stakes and the impact", 2, &["customers were affected", "at my last company"]),
            kp("ownership", "Owns the mistake in the first person", 3, &["i caused", "my change", "i pushed"]),
            kp("actions", "Specific actions taken to mitigate and fix", 2, &["i rolled back", "i reverted"]),
            kp("result", "A measurable result", 2, &["minutes", "reduced"]),
            kp("lesson", "What was learned and changed afterwards", 2, &["i learned", "since then"]),
        ],
        follow_ups: vec![FollowUp { key_point: "lesson".into(), prompt: "What did you change so it cannot happen again?".into() }],
        misconceptions: vec![],
        reference: "At my last company I pushed a config change that broke checkout for 20 minutes. I rolled back, wrote the postmortem and added a canary stage. Since then no config change has reached all hosts at once.".into(),
        time_minutes: Some(5),
    }
}

/// What a case expects.
enum Expect {
    ScoreAtMost(f32),
    ScoreAtLeast(f32),
    Flagged(F),
    NoFlag(F),
    SignalAtLeast(SignalKind, f32),
    SignalBelow(SignalKind, f32),
    Covered(&'static str),
    Missed(&'static str),
    Contradicted(&'static str),
    StatesMisconception(bool),
    FollowUpContains(&'static str),
}

#[track_caller]
fn check(answer: &str, rubric: &Rubric, expected: &[Expect]) {
    let a = assess(rubric, answer).expect("gradable");
    let sig = |k| a.signal(k).map(|s| s.value).unwrap();
    let kp = |id: &str| a.key_points.iter().find(|k| k.id == id).expect("key point").clone();
    for e in expected {
        let ok = match e {
            Expect::ScoreAtMost(x) => a.score <= *x,
            Expect::ScoreAtLeast(x) => a.score >= *x,
            Expect::Flagged(f) => a.flags.contains(f),
            Expect::NoFlag(f) => !a.flags.contains(f),
            Expect::SignalAtLeast(k, x) => sig(*k) >= *x,
            Expect::SignalBelow(k, x) => sig(*k) < *x,
            Expect::Covered(id) => kp(id).status == Coverage::Covered,
            Expect::Missed(id) => kp(id).status == Coverage::Missed,
            Expect::Contradicted(id) => kp(id).contradicted,
            Expect::StatesMisconception(b) => a.misconceptions.is_empty() != *b,
            Expect::FollowUpContains(s) => a.follow_up.as_deref().is_some_and(|f| f.contains(s)),
        };
        assert!(ok, "expectation failed for answer {answer:?}\nassessment: {a:#?}");
    }
}

use crate::Flag as F;
use Expect::*;

const STRONG: &str = "A day before the cutover I would lower the TTL from 86400 to 60 seconds, because resolvers keep the \
old answer until it expires. I keep both load balancers serving in parallel so whichever address a client holds works. \
Then I switch the Route 53 record, verify it with dig against a few resolvers, and watch request counts and the 5xx \
error rate on both targets. Some resolvers and JVM clients ignore the TTL, so I keep the old target until its traffic \
drains to near zero. If errors climb, I roll back by pointing the record back, which takes effect within a minute \
while the TTL is low; once stable for a day I raise the TTL again to cut resolver load.";

#[test]
fn a_complete_specific_answer_scores_high_and_covers_every_point() {
    check(
        STRONG,
        &dns(),
        &[
            ScoreAtLeast(3.5),
            Covered("lower-ttl"),
            Covered("parallel"),
            Covered("rollback"),
            NoFlag(F::Generic),
            NoFlag(F::KeywordStuffing),
        ],
    );
}

#[test]
fn buzzword_fluff_scores_low_and_is_flagged_generic() {
    check(
        "As a results-driven engineer I would leverage best-in-class synergies and industry best practices to deliver robust, scalable solutions with a seamless, holistic cutover that drives value for stakeholders.",
        &dns(),
        &[ScoreAtMost(1.5), Flagged(F::Generic), SignalBelow(SignalKind::Specificity, 0.3)],
    );
}

#[test]
fn a_keyword_list_scores_low_and_is_flagged_as_stuffing() {
    check(
        "TTL, DNS, Route 53, dig, load balancer, rollback, parallel, stragglers, JVM cache, error rate, monitoring, cutover, resolvers, propagation.",
        &dns(),
        &[ScoreAtMost(2.0), Flagged(F::KeywordStuffing), SignalBelow(SignalKind::Reasoning, 0.3)],
    );
}

#[test]
fn echoing_the_question_earns_nothing() {
    check(
        "You are moving a public API to a new load balancer by changing its DNS record. How do you plan the cutover? You plan the cutover of the DNS record for the public API to the new load balancer.",
        &dns(),
        &[ScoreAtMost(1.5), Flagged(F::EchoesQuestion)],
    );
}

#[test]
fn repeated_sentences_lower_clarity() {
    let s = "I would lower the TTL before the change. I would lower the TTL before the change. I would lower the TTL before the change.";
    check(s, &dns(), &[Flagged(F::Repetitive), SignalBelow(SignalKind::Clarity, 0.8)]);
}

#[test]
fn a_stated_misconception_is_found_and_costs_points() {
    let wrong = "I would update the record and then wait for propagation across the internet, DNS propagation takes about a day, and then turn off the old load balancer.";
    check(wrong, &dns(), &[StatesMisconception(true), ScoreAtMost(2.0)]);
}

#[test]
fn a_negated_misconception_is_not_held_against_the_candidate() {
    let ok = "There is no such thing as waiting for propagation: resolvers simply refresh when the TTL expires, so I lower the TTL a day ahead.";
    check(ok, &dns(), &[StatesMisconception(false)]);
}

#[test]
fn stating_the_opposite_of_a_key_point_is_a_contradiction() {
    check("Right before the switch I would raise the TTL of the record so answers stay cached longer and expire slowly.", &dns(), &[Contradicted("lower-ttl")]);
}

#[test]
fn an_off_topic_answer_is_flagged_and_capped() {
    check(
        "Kubernetes pods get OOMKilled when they exceed their memory limit; I would look at kubectl describe pod, raise the limit and tune the JVM heap so garbage collection keeps up with the allocation rate.",
        &dns(),
        &[Flagged(F::OffTopic), ScoreAtMost(0.5)],
    );
}

#[test]
fn specificity_rewards_named_tools_and_numbers() {
    check(STRONG, &dns(), &[SignalAtLeast(SignalKind::Specificity, 0.6)]);
    check("I would change the record carefully and make sure everything works properly and monitor things as needed.", &dns(), &[SignalBelow(SignalKind::Specificity, 0.3)]);
}

#[test]
fn reasoning_rewards_why_and_alternatives() {
    check(STRONG, &dns(), &[SignalAtLeast(SignalKind::Reasoning, 0.4)]);
    check(
        "Lower the TTL. Switch the record. Check it. Turn off the old one.",
        &dns(),
        &[SignalBelow(SignalKind::Reasoning, 0.3)],
    );
}

#[test]
fn design_hygiene_counts_security_monitoring_failure_and_cost() {
    check(
        "I lower the TTL first and keep both load balancers up for failover. I watch the 5xx error rate on dashboards, keep TLS certificates and security groups identical on the new load balancer, and accept the cost of running both for a day.",
        &dns(),
        &[SignalAtLeast(SignalKind::DesignHygiene, 0.99)],
    );
    check("I lower the TTL and switch the record.", &dns(), &[SignalBelow(SignalKind::DesignHygiene, 0.3)]);
}

#[test]
fn a_full_star_story_scores_well_on_structure() {
    check(
        "At my last company I pushed a config change to our payments gateway that dropped 30% of checkout requests for 18 minutes. \
         I was the on-call owner, so I declared the incident, rolled back my change and confirmed recovery on the error dashboard. \
         As a result we restored checkout within 18 minutes. I learned to stage config through a canary, and since then I added a \
         canary step that caught two bad changes.",
        &behavioral(),
        &[SignalAtLeast(SignalKind::Structure, 0.7), ScoreAtLeast(3.0)],
    );
}

#[test]
fn a_vague_we_story_scores_low_on_structure() {
    check("We usually try to be careful with changes and we work as a team to fix any issues quickly when they happen.", &behavioral(), &[SignalBelow(SignalKind::Structure, 0.5), ScoreAtMost(2.5)]);
}

#[test]
fn blaming_others_is_flagged() {
    check(
        "The outage was not my fault. The other team failed to review the change and they never listened, so it was their mistake and I told management.",
        &behavioral(),
        &[Flagged(F::Blaming), ScoreAtMost(2.0)],
    );
}

#[test]
fn the_follow_up_probes_the_most_important_missed_point() {
    check("I keep both load balancers serving in parallel and roll back by pointing the record back if errors climb.", &dns(), &[Missed("lower-ttl"), FollowUpContains("86400")]);
}

#[test]
fn evidence_spans_are_exact_byte_ranges_of_the_answer() {
    let answer = "Zuerst senke ich die TTL — then I lower the TTL to 60 seconds a day ahead. Then I keep both load balancers in parallel.";
    let a = assess(&dns(), answer).unwrap();
    for k in &a.key_points {
        if let Some(e) = &k.evidence {
            assert_eq!(&answer[e.start..e.end], e.text);
        }
    }
    assert!(a.key_points.iter().any(|k| k.evidence.is_some()));
}

#[test]
fn key_points_are_derived_from_the_reference_when_none_are_given() {
    let mut r = dns();
    r.key_points.clear();
    let a = assess(&r, STRONG).unwrap();
    assert!(a.derived_key_points);
    assert!(a.key_points.len() >= 3);
    assert!(a.score >= 3.0, "{}", a.score);
}

#[test]
fn an_empty_answer_scores_zero() {
    let a = assess(&dns(), "").unwrap();
    assert_eq!(a.score, 0.0);
    assert!(a.flags.contains(&F::Empty));
}

#[test]
fn oversized_answers_and_empty_rubrics_are_clear_errors() {
    let big = "a".repeat(MAX_ANSWER_BYTES + 1);
    assert!(matches!(assess(&dns(), &big), Err(GradeError::TooLong { .. })));
    assert_eq!(assess(&Rubric::default(), "hello"), Err(GradeError::NoRubric));
    assert!(GradeError::NoRubric.to_string().contains("reference"));
}

/// A toy embedder: bag of concept stems hashed into 64 dimensions.
struct BagEmbedder;

impl Embedder for BagEmbedder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(texts
            .iter()
            .map(|t| {
                let mut v = vec![0.0f32; 64];
                for s in text::search_terms(t) {
                    let h = s.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
                    v[(h % 64) as usize] += 1.0;
                }
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter().map(|x| x / n).collect()
            })
            .collect())
    }
    fn name(&self) -> &str {
        "bag"
    }
}

struct FailingEmbedder;

impl Embedder for FailingEmbedder {
    fn embed(&self, _: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Err(EmbedError::new("model exploded"))
    }
    fn name(&self) -> &str {
        "broken"
    }
}

#[test]
fn an_embedder_switches_grading_to_the_semantic_path() {
    let e = BagEmbedder;
    let a = Grader::with_embedder(&e).assess(&dns(), STRONG).unwrap();
    assert_eq!(a.method, Method::Semantic { model: "bag".into() });
    assert!(a.measurements.coverage_semantic.is_some());
    assert!(a.key_points.iter().all(|k| k.similarity.is_some()));
}

#[test]
fn a_failing_embedder_falls_back_to_the_lexical_path() {
    let e = FailingEmbedder;
    let a = Grader::with_embedder(&e).assess(&dns(), STRONG).unwrap();
    assert_eq!(a.method, Method::Lexical);
    assert_eq!(a.score, assess(&dns(), STRONG).unwrap().score);
}

/// An embedder with hand-placed vectors: each known text gets its (normalised) vector, anything
/// else a vector far from all of them.
struct TableEmbedder(Vec<(&'static str, [f32; 5])>);

impl Embedder for TableEmbedder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(texts
            .iter()
            .map(|t| {
                let v = self.0.iter().find(|(k, _)| k == t).map_or([0.0, 0.0, 0.0, 0.0, 1.0], |(_, v)| *v);
                let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                v.iter().map(|x| x / n).collect()
            })
            .collect())
    }
    fn name(&self) -> &str {
        "table"
    }
}

/// Two key points, and answer sentences that share no content word with them, so only the
/// semantic reading can credit them.
fn two_points() -> (Rubric, TableEmbedder) {
    let rubric = Rubric {
        prompt: "How do you keep the service fast?".into(),
        category: Some(Category::Technical),
        key_points: vec![
            kp("cache", "Cache hot reads close to the client", 2, &[]),
            kp("index", "Index the columns that queries filter on", 2, &[]),
        ],
        reference: String::new(),
        ..Default::default()
    };
    let e = TableEmbedder(vec![
        // The last-but-one dimension is the shared subject, as in real sentence embeddings, where
        // every text about one question is fairly close to every other.
        ("How do you keep the service fast?", [0.0, 0.0, 1.0, 2.0, 0.0]),
        ("Cache hot reads close to the client", [1.0, 0.0, 0.0, 2.0, 0.0]),
        ("Index the columns that queries filter on", [0.0, 1.0, 0.0, 2.0, 0.0]),
        // Very close (0.89) to every rubric text alike: on topic, says nothing in particular.
        (
            "Speed matters a great deal to people who use our product every single day.",
            [0.0, 0.0, 0.0, 1.0, 0.0],
        ),
        // Closer to the first key point than to the rubric in general: a paraphrase of it.
        (
            "Popular lookups get remembered near whoever asks, so repeat trips become short.",
            [1.5, 0.0, 0.0, 1.5, 0.0],
        ),
        // About something else, leaning a little towards the first key point by chance.
        (
            "My favourite weekend hobby is baking sourdough bread with my two young children.",
            [0.3, 0.0, 0.0, 0.1, 1.0],
        ),
    ]);
    (rubric, e)
}

#[test]
fn a_sentence_equally_close_to_every_key_point_earns_no_semantic_credit() {
    let (rubric, e) = two_points();
    let answer = "Speed matters a great deal to people who use our product every single day.";
    let a = Grader::with_embedder(&e).assess(&rubric, answer).unwrap();
    // Raw cosine to each key point is high (0.89), but no higher than to the question.
    assert!(a.key_points.iter().all(|k| k.similarity.unwrap() > 0.85), "{:?}", a.key_points);
    assert!(a.key_points.iter().all(|k| k.status == Coverage::Missed), "{:?}", a.key_points);
}

#[test]
fn a_sentence_much_closer_to_one_key_point_than_to_the_rubric_covers_it() {
    let (rubric, e) = two_points();
    let answer = "Popular lookups get remembered near whoever asks, so repeat trips become short.";
    let a = Grader::with_embedder(&e).assess(&rubric, answer).unwrap();
    assert_eq!(a.key_points[0].status, Coverage::Covered, "{:?}", a.key_points);
    assert_eq!(a.key_points[0].lexical, 0.0);
    assert_eq!(a.key_points[1].status, Coverage::Missed, "{:?}", a.key_points);
    // Without the model nothing is credited.
    let lex = assess(&rubric, answer).unwrap();
    assert!(lex.key_points.iter().all(|k| k.status == Coverage::Missed));
}

#[test]
fn an_answer_about_something_else_is_off_topic_even_when_it_leans_towards_a_key_point() {
    let (rubric, e) = two_points();
    let answer = "My favourite weekend hobby is baking sourdough bread with my two young children.";
    let a = Grader::with_embedder(&e).assess(&rubric, answer).unwrap();
    // The lean earns a little relative credit, but far too little to count as on topic.
    assert!(a.measurements.coverage_semantic.unwrap() > 0.0, "{:?}", a.measurements);
    assert!(a.flags.contains(&Flag::OffTopic), "{:?}", a.flags);
    assert!(a.score <= 0.5);
}

/// Compact text of an assessment's advice, for snapshots.
fn advice_text(a: &Assessment) -> String {
    let mut s = format!("score {:.1}: {}\n", a.score, a.verdict);
    for k in &a.key_points {
        s.push_str(&format!("[{:?}] {}\n", k.status, k.id));
    }
    for x in &a.strengths {
        s.push_str(&format!("+ {x}\n"));
    }
    for x in &a.gaps {
        s.push_str(&format!("- {x}\n"));
    }
    s.push_str(&format!("? {}\n", a.follow_up.clone().unwrap_or_default()));
    s
}

#[test]
fn feedback_for_a_strong_answer_reads_well() {
    insta::assert_snapshot!(advice_text(&assess(&dns(), STRONG).unwrap()));
}

#[test]
fn feedback_for_a_thin_answer_names_the_gaps() {
    insta::assert_snapshot!(advice_text(
        &assess(
            &dns(),
            "I would just change the DNS record to the new load balancer and check that it works."
        )
        .unwrap()
    ));
}

#[test]
fn feedback_for_a_misconception_gives_the_correction() {
    insta::assert_snapshot!(advice_text(&assess(&dns(), "I change the record and wait for propagation, since DNS propagation takes up to 48 hours around the world.").unwrap()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_unicode_input_gets_a_score_in_range(answer in "\\PC{0,400}") {
        let a = assess(&dns(), &answer).unwrap();
        prop_assert!((0.0..=5.0).contains(&a.score));
        for k in &a.key_points {
            if let Some(e) = &k.evidence {
                prop_assert_eq!(&answer[e.start..e.end], e.text.as_str());
            }
        }
    }

    #[test]
    fn any_pack_free_rubric_grades_without_panicking(reference in "\\PC{0,300}", prompt in "\\PC{0,80}", answer in "\\PC{0,200}") {
        let r = Rubric { prompt, reference, ..Default::default() };
        match assess(&r, &answer) {
            Ok(a) => prop_assert!((0.0..=5.0).contains(&a.score)),
            Err(e) => prop_assert_eq!(e, GradeError::NoRubric),
        }
    }
}

#[test]
fn a_one_megabyte_answer_is_refused_with_a_clear_error() {
    let big = "word ".repeat(200_000);
    let err = assess(&dns(), &big).unwrap_err();
    assert!(err.to_string().contains("at most"));
}

#[test]
fn the_largest_accepted_answer_is_graded() {
    let s = "I lower the TTL before the change because caches hold answers. ".repeat(MAX_ANSWER_BYTES / 70);
    let a = assess(&dns(), &s).unwrap();
    assert!((0.0..=5.0).contains(&a.score));
}
