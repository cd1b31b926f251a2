//! Putting it together: from a rubric and an answer to an [`Assessment`].

use rustc_hash::FxHashSet as HashSet;

use crate::analysis::Doc;
use crate::assessment::*;
use crate::coverage::{derive_key_points, embed_all, Match, Matcher, Weights};
use crate::scoring::Measurements;
use crate::signals;
use crate::text::is_negation;
use crate::{Category, Embedder, KeyPoint, Rubric};

/// Longest answer graded, in bytes. Longer input is refused rather than truncated so the user
/// knows the score is not about the text they sent.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Why an answer could not be graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeError {
    /// The answer exceeds [`MAX_ANSWER_BYTES`].
    TooLong {
        /// Its length in bytes.
        bytes: usize,
    },
    /// Neither key points nor a reference answer were given, so there is nothing to grade against.
    NoRubric,
}

impl std::fmt::Display for GradeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GradeError::TooLong { bytes } => write!(
                f,
                "answer is {bytes} bytes; the grader accepts at most {MAX_ANSWER_BYTES} bytes (about 10,000 words)"
            ),
            GradeError::NoRubric => f.write_str("nothing to grade against: give key points or a reference answer"),
        }
    }
}

impl std::error::Error for GradeError {}

/// Grades answers, optionally with a sentence-embedding model for paraphrase matching.
#[derive(Clone, Copy, Default)]
pub struct Grader<'e> {
    embedder: Option<&'e dyn Embedder>,
}

impl std::fmt::Debug for Grader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grader").field("embedder", &self.embedder.map(|e| e.name())).finish()
    }
}

/// Key-point credit from match strength: nothing below 0.25, full from 0.75.
fn credit(strength: f32) -> f32 {
    ((strength - 0.25) / 0.5).clamp(0.0, 1.0)
}

fn status(strength: f32) -> Coverage {
    if strength >= 0.6 {
        Coverage::Covered
    } else if strength >= 0.3 {
        Coverage::Partly
    } else {
        Coverage::Missed
    }
}

fn is_design_prompt(prompt: &str) -> bool {
    let p = prompt.to_lowercase();
    [
        "design",
        "architect",
        "build a",
        "how would you set up",
        "plan ",
        "migrate",
        "multi-region",
        "platform for",
    ]
    .iter()
    .any(|k| p.contains(k))
}

fn looks_behavioral(prompt: &str) -> bool {
    let p = prompt.to_lowercase();
    [
        "tell me about a time",
        "describe a time",
        "give me an example of a time",
        "a time when",
        "a time you",
        "walk me through a time",
        "share an example",
    ]
    .iter()
    .any(|k| p.contains(k))
}

impl<'e> Grader<'e> {
    /// A grader on the lexical path only.
    pub fn lexical() -> Self {
        Self { embedder: None }
    }

    /// A grader that also matches key points semantically with `embedder`.
    pub fn with_embedder(embedder: &'e dyn Embedder) -> Self {
        Self { embedder: Some(embedder) }
    }

    /// Assesses `answer` against `rubric`.
    pub fn assess(&self, rubric: &Rubric, answer: &str) -> Result<Assessment, GradeError> {
        if answer.len() > MAX_ANSWER_BYTES {
            return Err(GradeError::TooLong { bytes: answer.len() });
        }
        if rubric.key_points.is_empty() && rubric.reference.trim().is_empty() {
            return Err(GradeError::NoRubric);
        }
        let prompt = Doc::new(&rubric.prompt);
        let clean_reference = crate::text::plain_markdown(&rubric.reference);
        let reference = Doc::new(&clean_reference);
        let derived = rubric.key_points.is_empty();
        let key_points: Vec<KeyPoint> =
            if derived { derive_key_points(&reference, &prompt) } else { rubric.key_points.clone() };
        if key_points.is_empty() {
            return Err(GradeError::NoRubric);
        }
        let category = rubric.category.unwrap_or(if looks_behavioral(&rubric.prompt) {
            Category::Behavioral
        } else if is_design_prompt(&rubric.prompt) {
            Category::Situational
        } else {
            Category::Technical
        });
        let doc = Doc::new(answer);
        let f = signals::features(&doc, &prompt, &reference);

        let weights = Weights::new(&prompt, &key_points);
        let matcher = Matcher::new(&key_points, &reference, &weights);
        let skip: HashSet<usize> = f.echo_segments.clone();
        let mut method = Method::Lexical;
        let semantic = match self.embedder {
            Some(e) if f.words > 0 => match embed_all(e, &rubric.prompt, &doc, &skip, &matcher) {
                Ok(s) => {
                    method = Method::Semantic { model: e.name().to_owned() };
                    Some(s)
                }
                Err(_) => None,
            },
            _ => None,
        };
        let matches: Vec<Match> =
            if f.words == 0 { Vec::new() } else { matcher.match_all(&doc, &skip, semantic.as_ref()) };

        let kp_results: Vec<KeyPointResult> = key_points
            .iter()
            .enumerate()
            .map(|(i, kp)| {
                let m = matches.get(i);
                let strength = m.map_or(0.0, |m| m.strength);
                let st = status(strength);
                KeyPointResult {
                    id: kp.id.clone(),
                    text: kp.text.clone(),
                    weight: kp.weight,
                    status: st,
                    strength: (strength * 100.0).round() / 100.0,
                    lexical: m.map_or(0.0, |m| (m.lexical * 100.0).round() / 100.0),
                    similarity: m.and_then(|m| m.cosine).map(|c| (c * 1000.0).round() / 1000.0),
                    evidence: m
                        .and_then(|m| m.evidence)
                        .filter(|_| st != Coverage::Missed)
                        .map(|(s, e)| Evidence { start: s, end: e, text: answer[s..e].to_owned() }),
                    contradicted: m.is_some_and(|m| m.contradicted),
                }
            })
            .collect();

        let total_w: f32 = key_points.iter().map(|k| k.weight.max(1) as f32).sum();
        let mut coverage: f32 =
            kp_results.iter().map(|r| r.weight.max(1) as f32 * credit(r.strength)).sum::<f32>() / total_w;
        if derived {
            // Derived points are whole reference sentences; strong answers rarely restate them all.
            coverage = (coverage / 0.7).min(1.0);
        }
        let misconceptions = find_misconceptions(rubric, &doc);

        // Flags.
        let mut flags = Vec::new();
        let behavioral = category == Category::Behavioral;
        let design = category == Category::Situational || is_design_prompt(&rubric.prompt);
        if f.words == 0 {
            flags.push(Flag::Empty);
        } else if f.words < 12 {
            flags.push(Flag::TooShort);
        }
        let buzz_density = f.buzzwords.len() as f32 / (f.content_words.max(1) as f32 / 12.0).max(1.0);
        let generic =
            f.words > 0 && (buzz_density >= 0.5 && f.buzzwords.len() >= 2) || (f.buzzwords.len() >= 3);
        if generic {
            flags.push(Flag::Generic);
        }
        let stuffing = f.words >= 6 && (f.list_ratio >= 0.5 || (f.function_ratio < 0.2 && f.words >= 8));
        if stuffing {
            flags.push(Flag::KeywordStuffing);
        }
        if f.echo_ratio >= 0.5 {
            flags.push(Flag::EchoesQuestion);
        }
        if f.repeated_segments >= 2
            || (f.segments > 0 && f.repeated_segments * 3 >= f.segments && f.repeated_segments > 0)
        {
            flags.push(Flag::Repetitive);
        }
        if f.salad {
            flags.push(Flag::WordSalad);
        }
        let contradictions = kp_results.iter().filter(|r| r.contradicted).count();
        if contradictions > 0 {
            flags.push(Flag::Contradicts);
        }
        if behavioral && !f.blame.is_empty() {
            flags.push(Flag::Blaming);
        }

        // Signals.
        let (spec, spec_why) = signals::specificity(&f);
        let (reas, reas_why) = signals::reasoning(&f);
        let (structure, structure_why) =
            if behavioral { signals::structure_star(&f) } else { signals::structure_plain(&doc, &f) };
        let (hyg, hyg_why) = signals::hygiene(&f);
        let expected = signals::expected_words(rubric.time_minutes, reference.words());
        let (clar, clar_why) = signals::clarity(&f, expected);
        let covered = kp_results.iter().filter(|r| r.status == Coverage::Covered).count();
        let partly = kp_results.iter().filter(|r| r.status == Coverage::Partly).count();
        let cov_why = format!(
            "{covered} of {} key points covered, {partly} partly{}",
            kp_results.len(),
            if derived { " (points derived from the reference answer)" } else { "" }
        );

        // Score: a linear model over the measurements, then hard limits.
        let (cov_lex, cov_sem) = split_coverage(&key_points, &matches, derived, semantic.is_some());
        let rubric_vocab = rubric_vocabulary(&prompt, &reference, &matcher);
        let content: Vec<&str> = doc.tokens.iter().filter(|t| !t.stop).map(|t| t.stem.as_str()).collect();
        let topicality = if content.is_empty() {
            0.0
        } else {
            content.iter().filter(|s| rubric_vocab.contains(**s)).count() as f32 / content.len() as f32
        };
        let measurements = Measurements {
            coverage_lexical: round2(cov_lex),
            coverage_semantic: cov_sem.map(round2),
            coverage: round2(coverage),
            specificity: round2(spec),
            reasoning: round2(reas),
            clarity: round2(clar),
            structure: if behavioral { round2(structure) } else { 0.0 },
            hygiene: if design && !behavioral { round2(hyg) } else { 0.0 },
            length: round2(f.words.min(150) as f32 / 150.0),
            topicality: round2(topicality),
            buzz: round2(f.buzzwords.len().min(4) as f32 / 4.0),
            list_ratio: round2(f.list_ratio),
            misconceptions: misconceptions.len() as u32,
            contradictions: contradictions as u32,
            behavioral,
        };
        let mut score = crate::scoring::linear(&measurements);
        if behavioral && !f.blame.is_empty() {
            score -= 0.5;
        }
        if f.salad {
            score = score.min(1.5);
        }
        if f.echo_ratio >= 0.5 {
            score = score.min(1.5);
        }
        if f.words == 0 {
            score = 0.0;
        } else if f.words < 12 {
            score = score.min(1.0);
        }
        // Off topic: almost no key point touched, little of the question's vocabulary, and (with a
        // model) sentences that are on average unlike every key point. The semantic reading is
        // relative (a sentence closer to one key point than to the rest), so even an answer about
        // something else picks up a little of it by chance: it gets a looser bar than the lexical one.
        let sims: Vec<f32> = matches.iter().filter_map(|m| m.cosine).collect();
        let mean_similarity = (!sims.is_empty()).then(|| sims.iter().sum::<f32>() / sims.len() as f32);
        let barely_covered = match cov_sem {
            Some(sem) => cov_lex < 0.1 && sem < 0.3,
            None => coverage < 0.1,
        };
        let off_topic = f.words >= 12
            && !generic
            && misconceptions.is_empty()
            && barely_covered
            && match mean_similarity {
                Some(s) if !behavioral => s < 0.30 && topicality < 0.45,
                _ => topicality < 0.3,
            };
        if off_topic {
            flags.push(Flag::OffTopic);
            score = score.min(0.5);
        }
        if generic || stuffing {
            score = score.min(2.0);
        }
        let score = (score.clamp(0.0, 5.0) * 10.0).round() / 10.0;

        let signals = vec![
            Signal {
                kind: SignalKind::Coverage,
                value: round2(coverage),
                applies: true,
                explanation: cov_why,
            },
            Signal {
                kind: SignalKind::Specificity,
                value: round2(spec),
                applies: true,
                explanation: spec_why,
            },
            Signal {
                kind: SignalKind::Reasoning,
                value: round2(reas),
                applies: !behavioral,
                explanation: reas_why,
            },
            Signal {
                kind: SignalKind::Structure,
                value: round2(structure),
                applies: behavioral,
                explanation: structure_why,
            },
            Signal {
                kind: SignalKind::DesignHygiene,
                value: round2(hyg),
                applies: design && !behavioral,
                explanation: hyg_why,
            },
            Signal { kind: SignalKind::Clarity, value: round2(clar), applies: true, explanation: clar_why },
        ];
        let (strengths, gaps, follow_up) =
            crate::feedback::advise(rubric, &kp_results, &signals, &flags, &misconceptions, &f);
        Ok(Assessment {
            score,
            verdict: crate::feedback::verdict(score, &flags).to_owned(),
            key_points: kp_results,
            derived_key_points: derived,
            signals,
            misconceptions,
            flags,
            strengths,
            gaps,
            follow_up,
            method,
            measurements,
        })
    }
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

/// Finds stated misconceptions: a sentence containing all content words of one of its phrasings,
/// not negated (a candidate who says "it is a myth that…" is correcting it, not stating it).
fn find_misconceptions(rubric: &Rubric, doc: &Doc<'_>) -> Vec<MisconceptionHit> {
    let mut hits = Vec::new();
    for m in &rubric.misconceptions {
        let mut phrasings: Vec<&str> = m.phrases.iter().map(String::as_str).collect();
        phrasings.push(&m.claim);
        // Tokenise each phrasing once, not once per sentence.
        let prepared: Vec<(Vec<String>, bool)> = phrasings
            .iter()
            .map(|p| {
                let pd = Doc::new(p);
                let stems = pd.tokens.iter().filter(|t| !t.stop).map(|t| t.stem.clone()).collect();
                (stems, pd.tokens.iter().any(|t| is_negation(&t.lower)))
            })
            .filter(|(stems, _): &(Vec<String>, bool)| {
                stems.len() >= 2 || (!stems.is_empty() && stems.iter().all(|s| s.len() > 5))
            })
            .collect();
        'found: for seg in &doc.segments {
            let stems = doc.segment_stems(seg);
            let toks = &doc.tokens[seg.tokens.clone()];
            let seg_negated = toks.iter().any(|t| is_negation(&t.lower));
            for (p_stems, phrase_negated) in &prepared {
                if !p_stems.iter().all(|s| stems.contains(s.as_str())) {
                    continue;
                }
                if seg_negated && !phrase_negated {
                    continue;
                }
                hits.push(MisconceptionHit {
                    claim: m.claim.clone(),
                    correction: m.correction.clone(),
                    evidence: Evidence {
                        start: seg.start,
                        end: seg.end,
                        text: doc.text[seg.start..seg.end].to_owned(),
                    },
                });
                break 'found;
            }
        }
    }
    hits
}

/// Lexical-path shorthand for [`Grader::assess`].
pub fn assess(rubric: &Rubric, answer: &str) -> Result<Assessment, GradeError> {
    Grader::lexical().assess(rubric, answer)
}

/// Weighted coverage from each path alone: lexical credit, and semantic credit when a model ran.
fn split_coverage(
    key_points: &[KeyPoint],
    matches: &[Match],
    derived: bool,
    semantic: bool,
) -> (f32, Option<f32>) {
    let total: f32 = key_points.iter().map(|k| k.weight.max(1) as f32).sum::<f32>().max(1.0);
    let lift = |c: f32| if derived { (c / 0.7).min(1.0) } else { c };
    let lex =
        key_points.iter().zip(matches).map(|(k, m)| k.weight.max(1) as f32 * credit(m.lexical)).sum::<f32>()
            / total;
    let sem = semantic.then(|| {
        key_points.iter().zip(matches).map(|(k, m)| k.weight.max(1) as f32 * credit(m.semantic)).sum::<f32>()
            / total
    });
    (lift(lex), sem.map(lift))
}

/// Content stems of everything the rubric says: prompt, reference, key points and phrasings.
/// Reuses the matcher's already-tokenised targets rather than tokenising key points again.
fn rubric_vocabulary<'a>(
    prompt: &'a Doc<'_>,
    reference: &'a Doc<'_>,
    matcher: &'a Matcher,
) -> HashSet<&'a str> {
    let mut v = prompt.content_stems();
    v.extend(reference.content_stems());
    v.extend(matcher.stems());
    v
}
