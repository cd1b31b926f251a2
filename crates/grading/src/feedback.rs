//! Turning measurements into words a candidate can act on.

use crate::assessment::*;
use crate::signals::Features;
use crate::Rubric;

/// A short verdict for a score.
pub(crate) fn verdict(score: f32, flags: &[Flag]) -> &'static str {
    if flags.contains(&Flag::Empty) {
        return "No answer given.";
    }
    if flags.contains(&Flag::OffTopic) {
        return "Off topic: this does not answer the question.";
    }
    match score {
        s if s >= 4.5 => "Excellent: complete, concrete and well reasoned.",
        s if s >= 3.5 => "Strong answer with a few gaps.",
        s if s >= 2.5 => "Solid core, but important points are missing or thin.",
        s if s >= 1.5 => "Partial: some right ideas, not enough substance yet.",
        _ => "Weak: little of what the interviewer is listening for.",
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn trim_period(s: &str) -> &str {
    s.trim().trim_end_matches('.')
}

/// Strengths, the top gaps as advice, and the follow-up to ask.
pub(crate) fn advise(
    rubric: &Rubric,
    kps: &[KeyPointResult],
    signals: &[Signal],
    flags: &[Flag],
    misconceptions: &[MisconceptionHit],
    f: &Features,
) -> (Vec<String>, Vec<String>, Option<String>) {
    let mut strengths = Vec::new();
    let mut covered: Vec<&KeyPointResult> = kps.iter().filter(|k| k.status == Coverage::Covered).collect();
    covered.sort_by(|a, b| b.weight.cmp(&a.weight).then(b.strength.total_cmp(&a.strength)));
    for k in covered.iter().take(2) {
        strengths.push(format!("You covered: {}.", trim_period(&k.text)));
    }
    let signal = |kind| signals.iter().find(|s: &&Signal| s.kind == kind);
    let serious = flags.iter().any(|f| {
        matches!(
            f,
            Flag::Generic
                | Flag::KeywordStuffing
                | Flag::OffTopic
                | Flag::WordSalad
                | Flag::EchoesQuestion
                | Flag::Empty
        )
    });
    if !serious && misconceptions.is_empty() && !covered.is_empty() {
        if let Some(s) = signal(SignalKind::Specificity).filter(|s| s.value >= 0.7) {
            strengths
                .push(format!("Specific and concrete ({}).", s.explanation.trim_start_matches("concrete: ")));
        }
        if let Some(s) = signal(SignalKind::Reasoning).filter(|s| s.value >= 0.7 && s.applies) {
            if s.explanation.starts_with("explains why and weighs") {
                strengths.push("Good reasoning: you explain why and weigh the alternatives.".to_owned());
            } else {
                strengths.push("You explain why you do each step.".to_owned());
            }
        }
        if let Some(s) = signal(SignalKind::Structure).filter(|s| s.value >= 0.75 && s.applies) {
            strengths.push(format!("Well structured: {}.", s.explanation));
        }
    }

    let mut gaps = Vec::new();
    for flag in flags {
        if matches!(
            flag,
            Flag::Empty
                | Flag::OffTopic
                | Flag::Generic
                | Flag::KeywordStuffing
                | Flag::WordSalad
                | Flag::EchoesQuestion
                | Flag::Blaming
        ) {
            gaps.push(flag.advice().to_owned());
        }
    }
    for m in misconceptions {
        gaps.push(format!("Correct this: \"{}\" — {}", trim_period(&m.claim), m.correction));
    }
    let mut missing: Vec<&KeyPointResult> = kps.iter().filter(|k| k.status != Coverage::Covered).collect();
    missing.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.strength.total_cmp(&b.strength)));
    for k in missing.iter().take(2) {
        let verb = if k.contradicted {
            "Check this, your answer seems to say the opposite"
        } else if k.status == Coverage::Partly {
            "Make this explicit"
        } else {
            "Add"
        };
        gaps.push(format!("{verb}: {}.", lower_first(trim_period(&k.text))));
    }
    if let Some(s) = signal(SignalKind::Structure).filter(|s| s.applies && s.value < 0.6) {
        gaps.push(format!("Tell it as a STAR story: {}.", s.explanation));
    }
    if signal(SignalKind::Specificity).is_some_and(|s| s.value < 0.35) {
        gaps.push("Name the concrete systems, commands and numbers you would use.".to_owned());
    }
    if signal(SignalKind::Reasoning).is_some_and(|s| s.applies && s.value < 0.3) {
        gaps.push("Explain why: name the alternative you rejected and what your choice costs.".to_owned());
    }
    if let Some(s) = signal(SignalKind::DesignHygiene).filter(|s| s.applies && s.value < 0.5) {
        gaps.push(format!(
            "Your design {}: say how you would secure, monitor and pay for it.",
            s.explanation
        ));
    }
    if f.words > 0 && f.repeated_segments > 0 {
        gaps.push(Flag::Repetitive.advice().to_owned());
    }
    gaps.dedup();
    gaps.truncate(3);

    // Follow-up: the probe tied to the most important point not covered.
    let follow_up = missing
        .iter()
        .find_map(|k| rubric.follow_ups.iter().find(|fu| fu.key_point == k.id).map(|fu| fu.prompt.clone()))
        .or_else(|| {
            missing.first().map(|k| {
                format!(
                    "You did not get to this: {}. How would you handle it?",
                    lower_first(trim_period(&k.text))
                )
            })
        })
        .or_else(|| {
            let weakest = signals
                .iter()
                .filter(|s| s.applies && s.kind != SignalKind::Coverage)
                .min_by(|a, b| a.value.total_cmp(&b.value))?;
            Some(match weakest.kind {
                SignalKind::Specificity => "Which exact tools and numbers would you use here?".to_owned(),
                SignalKind::Reasoning => {
                    "What alternative did you consider, and why did you reject it?".to_owned()
                }
                SignalKind::Structure => {
                    "What was the measurable result, and what did you personally do?".to_owned()
                }
                SignalKind::DesignHygiene => "How would you secure and monitor this?".to_owned(),
                _ => "What would you do differently at ten times the scale?".to_owned(),
            })
        });
    (strengths, gaps, follow_up)
}
