//! Quality signals computed from the answer text alone: specificity, reasoning, structure, design
//! hygiene, clarity, and the whole-answer checks (generic language, keyword stuffing, echo,
//! repetition, word salad).

use rustc_hash::FxHashSet as HashSet;

use crate::analysis::{lexicon_hits, Doc};
use crate::lexicon::{
    BLAME, BUZZWORDS, FILLERS, HYGIENE, REASONING, STAR_REFLECTION, STAR_RESULT, STAR_SITUATION, STAR_TASK,
    TOOLS, VAGUE,
};

/// Raw measurements of the answer, before they become signals and penalties.
#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    pub words: usize,
    pub content_words: usize,
    pub function_ratio: f32,
    pub list_ratio: f32,
    pub buzzwords: Vec<String>,
    pub vague: usize,
    pub fillers: usize,
    pub reasoning_cues: Vec<String>,
    pub specifics: Vec<String>,
    pub numbers: usize,
    pub repeated_segments: usize,
    pub long_segments: usize,
    pub segments: usize,
    pub i_count: usize,
    pub we_count: usize,
    pub star: [bool; 4],
    pub blame: Vec<String>,
    pub hygiene: Vec<&'static str>,
    pub echo_segments: HashSet<usize>,
    pub echo_ratio: f32,
    pub salad: bool,
}

/// Measures `answer` against the prompt and reference.
pub(crate) fn features(answer: &Doc<'_>, prompt: &Doc<'_>, reference: &Doc<'_>) -> Features {
    let mut f = Features { words: answer.words(), segments: answer.segments.len(), ..Default::default() };
    if f.words == 0 {
        return f;
    }
    let stops = answer.tokens.iter().filter(|t| t.stop).count();
    f.content_words = f.words - stops;
    f.function_ratio = stops as f32 / f.words as f32;
    let norm = answer.normalized(0..answer.tokens.len());

    // List-like sentences: many separators per content word and few function words.
    let mut list_tokens = 0;
    for seg in &answer.segments {
        let text = &answer.text[seg.start..seg.end];
        let toks = &answer.tokens[seg.tokens.clone()];
        let content = toks.iter().filter(|t| !t.stop).count().max(1);
        let seps = text.matches(',').count()
            + text.matches('/').count()
            + text.matches(" + ").count()
            + toks.iter().filter(|t| t.lower == "and").count();
        let fw = toks.iter().filter(|t| t.stop).count() as f32 / toks.len().max(1) as f32;
        let listy =
            (content >= 4 && seps as f32 / content as f32 >= 0.35 && fw < 0.3) || (content >= 5 && fw < 0.12);
        if listy {
            list_tokens += toks.len();
        }
    }
    f.list_ratio = list_tokens as f32 / f.words as f32;

    f.buzzwords = lexicon_hits(&norm, BUZZWORDS).into_iter().map(str::to_owned).collect();
    f.vague = lexicon_hits(&norm, VAGUE).len();
    f.fillers = lexicon_hits(&norm, FILLERS).len();
    f.reasoning_cues = lexicon_hits(&norm, REASONING).into_iter().map(|s| s.trim().to_owned()).collect();

    let mut specifics: Vec<String> = lexicon_hits(&norm, TOOLS).into_iter().map(str::to_owned).collect();
    // Numbers, versions and quantities ("30%", "p99", "10.0.0.0").
    let numbers: HashSet<&str> = answer
        .tokens
        .iter()
        .filter(|t| t.lower.chars().any(|c| c.is_ascii_digit()))
        .map(|t| t.lower.as_str())
        .collect();
    f.numbers = numbers.len();
    // Acronyms and mid-sentence proper nouns not already counted.
    let mut proper = HashSet::default();
    for seg in &answer.segments {
        for (k, t) in answer.tokens[seg.tokens.clone()].iter().enumerate() {
            let raw = &answer.text[t.start..t.end];
            let acronym = raw.len() >= 2
                && raw.len() <= 6
                && raw.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && raw.chars().any(|c| c.is_ascii_uppercase());
            // "I'd", "I'm" are not names.
            let proper_noun = k > 0
                && raw.chars().next().is_some_and(|c| c.is_uppercase())
                && raw != "I"
                && !t.lower.starts_with("i'")
                && !t.stop;
            let part_of_tool = specifics.iter().any(|s| s.split(' ').any(|w| w == t.lower));
            if (acronym || proper_noun) && !part_of_tool {
                proper.insert(t.lower.clone());
            }
        }
    }
    // Inline code spans name commands and resources.
    let code_spans = answer.text.matches('`').count() / 2;
    specifics.extend(proper.into_iter().take(12));
    for n in numbers.iter().take(10) {
        specifics.push((*n).to_owned());
    }
    for _ in 0..code_spans.min(5) {
        specifics.push("`code`".to_owned());
    }
    f.specifics = specifics;

    // Repetition: segments whose content stems largely repeat an earlier segment.
    let seg_stems: Vec<HashSet<&str>> = answer.segments.iter().map(|s| answer.segment_stems(s)).collect();
    for i in 0..seg_stems.len() {
        if seg_stems[i].len() < 3 {
            continue;
        }
        let dup = (0..i).any(|j| {
            let inter = seg_stems[i].intersection(&seg_stems[j]).count();
            let union = seg_stems[i].union(&seg_stems[j]).count().max(1);
            inter as f32 / union as f32 >= 0.8
        });
        if dup {
            f.repeated_segments += 1;
        }
    }
    f.long_segments = answer.segments.iter().filter(|s| s.tokens.len() > 50).count();

    f.i_count = answer
        .tokens
        .iter()
        .filter(|t| matches!(t.lower.as_str(), "i" | "me" | "my" | "i'm" | "i've" | "i'd" | "myself"))
        .count();
    f.we_count = answer
        .tokens
        .iter()
        .filter(|t| matches!(t.lower.as_str(), "we" | "us" | "our" | "we're" | "we've" | "they" | "team"))
        .count();
    let has_number =
        f.numbers > 0 || norm.contains(" percent ") || norm.contains(" half ") || norm.contains(" twice ");
    f.star = [
        !lexicon_hits(&norm, STAR_SITUATION).is_empty(),
        !lexicon_hits(&norm, STAR_TASK).is_empty() || f.i_count >= 3,
        !lexicon_hits(&norm, STAR_RESULT).is_empty() && has_number,
        !lexicon_hits(&norm, STAR_REFLECTION).is_empty(),
    ];
    f.blame = lexicon_hits(&norm, BLAME).into_iter().map(str::to_owned).collect();
    f.hygiene = HYGIENE
        .iter()
        .filter(|(_, words)| {
            !lexicon_hits(&norm, words).is_empty() || (words.contains(&"$") && answer.text.contains('$'))
        })
        .map(|(name, _)| *name)
        .collect();

    // Echo: sentences that mostly restate the prompt.
    let prompt_stems = prompt.content_stems();
    let mut echo_words = 0;
    for (i, seg) in answer.segments.iter().enumerate() {
        let stems = &seg_stems[i];
        if stems.is_empty() {
            continue;
        }
        let inside = stems.iter().filter(|s| prompt_stems.contains(**s)).count();
        if stems.len() >= 3 && inside as f32 / stems.len() as f32 >= 0.75 {
            f.echo_segments.insert(i);
            echo_words += seg.tokens.len();
        }
    }
    f.echo_ratio = echo_words as f32 / f.words as f32;

    // Word salad: the reference's words without its word order.
    if !reference.tokens.is_empty() && f.words >= 12 {
        let ref_stems = reference.content_stems();
        let ans_content: Vec<&str> =
            answer.tokens.iter().filter(|t| !t.stop).map(|t| t.stem.as_str()).collect();
        let uni = ans_content.iter().filter(|s| ref_stems.contains(**s)).count() as f32
            / ans_content.len().max(1) as f32;
        let ref_bigrams: HashSet<(&str, &str)> =
            reference.tokens.windows(2).map(|w| (w[0].stem.as_str(), w[1].stem.as_str())).collect();
        let bigrams: Vec<(&str, &str)> =
            answer.tokens.windows(2).map(|w| (w[0].stem.as_str(), w[1].stem.as_str())).collect();
        let bi =
            bigrams.iter().filter(|b| ref_bigrams.contains(b)).count() as f32 / bigrams.len().max(1) as f32;
        // Natural paraphrases reuse few reference words; copies reuse words and their order.
        f.salad = uni >= 0.7 && bi < 0.2 && f.function_ratio < 0.45;
    }
    f
}

fn clamp01(x: f32) -> f32 {
    x.clamp(0.0, 1.0)
}

/// Specificity 0–1: concrete items per expected amount of answer.
pub(crate) fn specificity(f: &Features) -> (f32, String) {
    let expected = 2.0 + f.words as f32 / 60.0;
    let raw = f.specifics.len() as f32 - 0.5 * f.vague as f32 - 0.5 * f.buzzwords.len() as f32;
    let v = clamp01(raw / expected);
    let named: Vec<&str> =
        f.specifics.iter().filter(|s| *s != "`code`").take(4).map(String::as_str).collect();
    let why = if f.specifics.is_empty() {
        "names no concrete system, tool, command or number".to_owned()
    } else if v >= 0.6 {
        format!("concrete: names {}", named.join(", "))
    } else {
        format!("some specifics ({}), but mostly general statements", named.join(", "))
    };
    (v, why)
}

/// Reasoning 0–1: distinct reasoning and trade-off cues per expected amount.
pub(crate) fn reasoning(f: &Features) -> (f32, String) {
    let distinct: HashSet<&str> = f.reasoning_cues.iter().map(String::as_str).collect();
    let expected = 1.0 + f.words as f32 / 55.0;
    let v = clamp01(distinct.len() as f32 / expected);
    let tradeoff = distinct.iter().any(|c| {
        matches!(
            *c,
            "trade-off"
                | "tradeoff"
                | "trade off"
                | "downside"
                | "drawback"
                | "the cost"
                | "at the expense"
                | "the risk"
                | "rather than"
                | "instead of"
                | "versus"
                | "vs"
                | "compared to"
                | "overhead"
                | "pros"
                | "cons"
        )
    });
    let why = if distinct.is_empty() {
        "states what, never why: no reasons, alternatives or costs".to_owned()
    } else if tradeoff {
        "explains why and weighs alternatives or costs".to_owned()
    } else {
        "gives some reasons but weighs no alternatives or costs".to_owned()
    };
    (v, why)
}

/// STAR structure 0–1 for stories.
pub(crate) fn structure_star(f: &Features) -> (f32, String) {
    let parts = ["situation", "your task", "a measurable result", "a lesson"];
    let mut v = f.star.iter().filter(|b| **b).count() as f32 / 4.0;
    // Actions: the candidate's own role, in the first person.
    let own = f.i_count as f32 / (f.i_count + f.we_count).max(1) as f32;
    let action = clamp01(f.i_count as f32 / 4.0) * (0.4 + 0.6 * clamp01(own / 0.5));
    v = 0.7 * v + 0.3 * action;
    if !f.blame.is_empty() {
        v *= 0.6;
    }
    let missing: Vec<&str> = parts.iter().zip(f.star).filter(|(_, b)| !b).map(|(p, _)| *p).collect();
    let mut why = if missing.is_empty() {
        "a complete STAR story".to_owned()
    } else {
        format!("story lacks {}", missing.join(", "))
    };
    if f.i_count < 2 {
        why.push_str("; says \"we\", never what you did");
    }
    (clamp01(v), why)
}

/// Organisation 0–1 for explanations: ordered steps or paragraphs on long answers.
pub(crate) fn structure_plain(answer: &Doc<'_>, f: &Features) -> (f32, String) {
    if f.words < 120 {
        return (1.0, "short enough to need no structure".to_owned());
    }
    let t = answer.text.to_lowercase();
    let ordered = ["first", "second", "then", "next", "finally", "step", "1.", "- "]
        .iter()
        .filter(|m| t.contains(**m))
        .count();
    let paragraphs = answer.text.matches("\n").count();
    let v = clamp01(0.4 + 0.2 * ordered as f32 + 0.1 * paragraphs as f32);
    let why = if v >= 0.8 { "organised in clear steps" } else { "a long block: order it into steps" };
    (v, why.to_owned())
}

/// Design hygiene 0–1: how many of the four classic concerns the answer touches.
pub(crate) fn hygiene(f: &Features) -> (f32, String) {
    let v = f.hygiene.len() as f32 / 4.0;
    let missing: Vec<&str> = ["security", "monitoring", "failure handling", "cost"]
        .into_iter()
        .filter(|h| !f.hygiene.contains(h))
        .collect();
    let why = if missing.is_empty() {
        "covers security, monitoring, failure handling and cost".to_owned()
    } else {
        format!("does not mention {}", missing.join(", "))
    };
    (v, why)
}

/// Expected answer length in words for a question.
pub(crate) fn expected_words(time_minutes: Option<u32>, reference_words: usize) -> (usize, usize) {
    let by_ref = (reference_words as f32 * 0.35) as usize;
    let lo = match time_minutes {
        Some(m) => (15 * m as usize).clamp(35, 120),
        None => by_ref.clamp(35, 110),
    };
    (lo, lo * 6 + 200)
}

/// Clarity 0–1: length fit, repetition, filler and rambling.
pub(crate) fn clarity(f: &Features, expected: (usize, usize)) -> (f32, String) {
    let (lo, hi) = expected;
    let mut v: f32 = 1.0;
    let mut why = Vec::new();
    if f.words < lo {
        v -= 0.5 * (1.0 - f.words as f32 / lo as f32);
        why.push(format!("short ({} words; aim for {lo}+)", f.words));
    } else if f.words > hi {
        v -= clamp01((f.words - hi) as f32 / hi as f32) * 0.4;
        why.push(format!("long ({} words)", f.words));
    }
    if f.repeated_segments > 0 {
        v -= 0.15 * f.repeated_segments as f32;
        why.push(format!("{} repeated sentence(s)", f.repeated_segments));
    }
    if f.fillers > 0 {
        v -= 0.05 * f.fillers as f32;
        why.push("filler words".to_owned());
    }
    if f.long_segments > 0 {
        v -= 0.1 * f.long_segments as f32;
        why.push("run-on sentences".to_owned());
    }
    let why = if why.is_empty() { "clear, well-sized answer".to_owned() } else { why.join("; ") };
    (clamp01(v), why)
}
