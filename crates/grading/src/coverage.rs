//! Matching key points to the sentences of an answer.
//!
//! Each key point becomes a set of *targets*: its statement, each listed phrasing, and the sentence
//! of the reference answer that states it. A target matches a sentence (or two adjacent sentences)
//! by weighted stem recall: words the question itself contains count little (echoing the prompt is
//! not evidence), generic words count little, and words shared by many key points count less. With
//! an embedder, the same sentences are also compared by cosine similarity *relative to how similar
//! that sentence is to the rubric as a whole* (see [`Semantic`]), and the stronger of the two
//! readings wins. The best-matching sentence is then checked for a contradiction: a negation next
//! to the matched words, or an antonym of one of the key point's words.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::analysis::{is_generic, Doc};
use crate::text::{is_negation, ANTONYMS};
use crate::{cosine, Embedder, KeyPoint};

/// How a key point was matched.
#[derive(Debug, Clone)]
pub(crate) struct Match {
    pub strength: f32,
    pub lexical: f32,
    pub semantic: f32,
    /// Highest raw cosine between the key point and any answer sentence (semantic path only).
    pub cosine: Option<f32>,
    pub evidence: Option<(usize, usize)>,
    pub contradicted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum TargetKind {
    Statement,
    Phrase,
    Reference,
}

struct Target {
    kind: TargetKind,
    text: String,
    stems: Vec<String>,
    /// Weight of each stem, computed once.
    weights: Vec<f32>,
    /// The text itself contains a negation (so a negated answer sentence may agree with it).
    negated: bool,
}

/// Per-stem weights for one rubric.
pub(crate) struct Weights {
    prompt: HashSet<String>,
    kp_freq: HashMap<String, usize>,
}

impl Weights {
    pub fn new(prompt: &Doc<'_>, key_points: &[KeyPoint]) -> Self {
        let prompt = prompt.content_stems().into_iter().map(str::to_owned).collect();
        let mut kp_freq = HashMap::default();
        for kp in key_points {
            let d = Doc::new(&kp.text);
            for s in d.content_stems() {
                *kp_freq.entry(s.to_owned()).or_insert(0) += 1;
            }
        }
        Self { prompt, kp_freq }
    }

    pub fn weight(&self, stem: &str) -> f32 {
        let mut w = 1.0;
        if stem.chars().any(|c| c.is_ascii_digit()) {
            w = 1.2;
        }
        if is_generic(stem) {
            w *= 0.3;
        }
        if self.prompt.contains(stem) {
            w *= 0.35;
        }
        let f = self.kp_freq.get(stem).copied().unwrap_or(1).max(1);
        w / (1.0 + 0.4 * (f as f32 - 1.0))
    }
}

fn stems_of(text: &str) -> Vec<String> {
    let d = Doc::new(text);
    let mut seen = HashSet::default();
    d.tokens.iter().filter(|t| !t.stop).map(|t| t.stem.clone()).filter(|s| seen.insert(s.clone())).collect()
}

/// Weighted recall of a target with precomputed weights.
fn recall_weighted(stems: &[String], weights: &[f32], unit: &HashSet<&str>) -> (f32, usize) {
    let mut total = 0.0;
    let mut got = 0.0;
    let mut n = 0;
    for (s, w) in stems.iter().zip(weights) {
        total += w;
        if unit.contains(s.as_str()) {
            got += w;
            n += 1;
        }
    }
    if total <= 0.0 {
        (0.0, 0)
    } else {
        (got / total, n)
    }
}

/// Weighted recall of `target` stems in `unit`, with the count of matched stems.
fn recall(weights: &Weights, target: &[String], unit: &HashSet<&str>) -> (f32, usize) {
    let w: Vec<f32> = target.iter().map(|s| weights.weight(s)).collect();
    recall_weighted(target, &w, unit)
}

fn target_score(kind: TargetKind, stems: usize, recall: f32, matched: usize) -> f32 {
    match kind {
        TargetKind::Phrase => {
            if recall >= 0.99 {
                1.0
            } else {
                0.6 * recall * recall
            }
        }
        TargetKind::Statement | TargetKind::Reference => {
            let mut s = ((recall - 0.1) / 0.55).clamp(0.0, 1.0);
            if stems >= 3 && matched < 2 {
                s *= 0.5;
            }
            if kind == TargetKind::Reference {
                s *= 0.85;
            }
            s
        }
    }
}

/// A span of the answer considered as evidence: one sentence or two adjacent ones.
struct Unit<'d> {
    start: usize,
    end: usize,
    tokens: std::ops::Range<usize>,
    stems: HashSet<&'d str>,
    penalty: f32,
}

fn units<'d>(doc: &'d Doc<'_>, skip: &HashSet<usize>) -> Vec<Unit<'d>> {
    let mut out = Vec::new();
    let segs: Vec<(usize, &crate::text::Segment)> =
        doc.segments.iter().enumerate().filter(|(i, _)| !skip.contains(i)).collect();
    for (k, (_, seg)) in segs.iter().enumerate() {
        out.push(Unit {
            start: seg.start,
            end: seg.end,
            tokens: seg.tokens.clone(),
            stems: doc.segment_stems(seg),
            penalty: 1.0,
        });
        if let Some((_, next)) = segs.get(k + 1) {
            let mut stems = doc.segment_stems(seg);
            stems.extend(doc.segment_stems(next));
            out.push(Unit {
                start: seg.start,
                end: next.end,
                tokens: seg.tokens.start..next.tokens.end,
                stems,
                penalty: 0.85,
            });
        }
    }
    out
}

fn antonym_of(stem: &str) -> Option<&'static str> {
    ANTONYMS.iter().find_map(|(a, b)| {
        if *a == stem {
            Some(*b)
        } else if *b == stem {
            Some(*a)
        } else {
            None
        }
    })
}

/// Whether the unit states the opposite of the target: an antonym of a target word without the
/// word itself, or a negation within three words before a matched word when the target has none.
/// Whether the unit uses the antonym of one of the target's words (and not the word itself) while
/// sharing at least two other words with it: "raise the TTL" against "lower the TTL".
fn antonym_clash(unit: &Unit<'_>, target: &[String]) -> bool {
    let shared = target.iter().filter(|s| unit.stems.contains(s.as_str())).count();
    shared >= 2
        && target.iter().any(|s| {
            antonym_of(s).is_some_and(|anti| {
                unit.stems.contains(anti)
                    && !unit.stems.contains(s.as_str())
                    && !target.iter().any(|t| t == anti)
            })
        })
}

fn contradicts(doc: &Doc<'_>, unit: &Unit<'_>, target_negated: bool, target: &[String]) -> bool {
    let shared = target.iter().filter(|s| unit.stems.contains(s.as_str())).count();
    if shared < 2 {
        return false;
    }
    if antonym_clash(unit, target) {
        return true;
    }
    if target_negated {
        return false;
    }
    // A negation right before a matched word ("do not lower the TTL") flips the claim. Only the
    // immediately preceding two words count: negations elsewhere in a sentence are usually about
    // something else ("lower the TTL first, don't wait").
    let toks = &doc.tokens[unit.tokens.clone()];
    let mut negated = 0;
    for (i, t) in toks.iter().enumerate() {
        if !t.stop && target.contains(&t.stem) {
            let from = i.saturating_sub(2);
            if toks[from..i].iter().any(|p| {
                matches!(
                    p.lower.as_str(),
                    "not"
                        | "never"
                        | "don't"
                        | "doesn't"
                        | "isn't"
                        | "aren't"
                        | "no"
                        | "cannot"
                        | "can't"
                        | "shouldn't"
                        | "won't"
                )
            }) {
                negated += 1;
            }
        }
    }
    negated >= 1 && negated * 2 >= shared.min(4)
}

/// Precomputed semantic data: embeddings of the answer units, of every target and of the question.
///
/// Raw MiniLM cosine says little on its own: any sentence on the question's subject is about
/// equally close to every key point (0.4–0.6), right or wrong, and a paraphrase that avoids the
/// rubric's words is often no closer. What separates a sentence that *makes* a point from one that
/// is merely on topic is how much closer it is to that point than to the rubric in general. So a
/// unit's *baseline* is its mean cosine to the question and every key-point statement, and
/// semantic strength comes from the margin `cosine − baseline`. With a single key point the
/// baseline still includes the question, so the margin stays meaningful.
pub(crate) struct Semantic {
    pub unit_vecs: Vec<Vec<f32>>,
    pub target_vecs: Vec<Vec<Vec<f32>>>,
    pub prompt_vec: Option<Vec<f32>>,
}

impl Semantic {
    /// Mean cosine of each unit to the question and every key-point statement.
    fn baselines(&self) -> Vec<f32> {
        self.unit_vecs
            .iter()
            .map(|u| {
                let mut sum = 0.0;
                let mut n = 0usize;
                for ts in &self.target_vecs {
                    if let Some(stmt) = ts.first() {
                        sum += cosine(u, stmt);
                        n += 1;
                    }
                }
                if let Some(p) = &self.prompt_vec {
                    sum += cosine(u, p);
                    n += 1;
                }
                if n == 0 {
                    0.0
                } else {
                    sum / n as f32
                }
            })
            .collect()
    }
}

/// Maps a cosine margin over the unit's baseline to match strength: no credit at or below the
/// baseline, full credit 0.2 above it. Chosen with grouped cross-validation on the development
/// set; see docs/benchmarks.md.
const SEM_MARGIN_LO: f32 = 0.0;
const SEM_MARGIN_HI: f32 = 0.2;

fn semantic_strength(margin: f32) -> f32 {
    ((margin - SEM_MARGIN_LO) / (SEM_MARGIN_HI - SEM_MARGIN_LO)).clamp(0.0, 1.0)
}

/// Everything needed to match all key points of one rubric against one answer.
pub(crate) struct Matcher {
    targets: Vec<Vec<Target>>,
}

impl Matcher {
    pub fn new(key_points: &[KeyPoint], reference: &Doc<'_>, weights: &Weights) -> Self {
        let ref_units: Vec<(String, HashSet<&str>)> = reference
            .segments
            .iter()
            .map(|s| (reference.text[s.start..s.end].to_owned(), reference.segment_stems(s)))
            .collect();
        let targets = key_points
            .iter()
            .map(|kp| {
                let make = |kind, text: &str| {
                    let stems = stems_of(text);
                    let weights = stems.iter().map(|s| weights.weight(s)).collect();
                    let negated = crate::text::tokenize(text).iter().any(|t| is_negation(&t.lower));
                    Target { kind, text: text.to_owned(), stems, weights, negated }
                };
                let mut ts = vec![make(TargetKind::Statement, &kp.text)];
                for p in &kp.phrases {
                    let t = make(TargetKind::Phrase, p);
                    if !t.stems.is_empty() {
                        ts.push(t);
                    }
                }
                // The reference sentence that best states this point broadens its vocabulary.
                let kp_stems = &ts[0].stems;
                let best = ref_units
                    .iter()
                    .map(|(text, stems)| (recall(weights, kp_stems, stems).0, text))
                    .filter(|(r, _)| *r >= 0.5)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((_, text)) = best {
                    let t = make(TargetKind::Reference, text);
                    if t.stems.len() >= 3 && t.stems.len() <= 40 && text.trim() != kp.text.trim() {
                        ts.push(t);
                    }
                }
                ts
            })
            .collect();
        Self { targets }
    }

    /// Content stems of every target: the key points' words, phrasings and reference sentences.
    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.targets.iter().flatten().flat_map(|t| t.stems.iter().map(String::as_str))
    }

    /// Texts to embed for each key point, in target order.
    pub fn target_texts(&self) -> Vec<Vec<&str>> {
        self.targets.iter().map(|ts| ts.iter().map(|t| t.text.as_str()).collect()).collect()
    }

    /// The units (sentence spans) of the answer that semantic matching embeds.
    pub fn unit_spans(doc: &Doc<'_>, skip: &HashSet<usize>) -> Vec<(usize, usize)> {
        units(doc, skip).iter().filter(|u| u.penalty == 1.0).map(|u| (u.start, u.end)).collect()
    }

    pub fn match_all(&self, doc: &Doc<'_>, skip: &HashSet<usize>, sem: Option<&Semantic>) -> Vec<Match> {
        let us = units(doc, skip);
        let baselines = sem.map(Semantic::baselines).unwrap_or_default();
        // Index of each single-sentence unit among the embedded ones.
        let mut single_idx = Vec::with_capacity(us.len());
        let mut k = 0;
        for u in &us {
            if u.penalty == 1.0 {
                single_idx.push(Some(k));
                k += 1;
            } else {
                single_idx.push(None);
            }
        }
        self.targets
            .iter()
            .enumerate()
            .map(|(kp_i, ts)| {
                let mut best = Match {
                    strength: 0.0,
                    lexical: 0.0,
                    semantic: 0.0,
                    cosine: None,
                    evidence: None,
                    contradicted: false,
                };
                let mut best_unit: Option<(usize, usize)> = None; // (unit index, target index)
                for (ui, u) in us.iter().enumerate() {
                    for (ti, t) in ts.iter().enumerate() {
                        let (r, n) = recall_weighted(&t.stems, &t.weights, &u.stems);
                        let lex = target_score(t.kind, t.stems.len(), r, n) * u.penalty;
                        let semv = match (sem, single_idx[ui]) {
                            (Some(s), Some(si)) => {
                                let c = cosine(&s.unit_vecs[si], &s.target_vecs[kp_i][ti]);
                                best.cosine = Some(best.cosine.map_or(c, |b: f32| b.max(c)));
                                let w = match t.kind {
                                    TargetKind::Statement => 1.0,
                                    TargetKind::Reference => 0.85,
                                    TargetKind::Phrase => 0.8,
                                };
                                semantic_strength(c - baselines[si]) * w
                            }
                            _ => 0.0,
                        };
                        let strength = lex.max(semv);
                        if strength > best.strength {
                            best.strength = strength;
                            best_unit = Some((ui, ti));
                        }
                        best.lexical = best.lexical.max(lex);
                        best.semantic = best.semantic.max(semv);
                    }
                }
                if let Some((ui, _ti)) = best_unit {
                    let u = &us[ui];
                    best.evidence = Some((u.start, u.end));
                    // Check the statement's wording, not only the matched target's, for contradictions.
                    // The reference sentence and phrasings are checked for antonyms only: their
                    // negations are too often about something else.
                    if contradicts(doc, u, ts[0].negated, &ts[0].stems)
                        || ts[1..].iter().any(|t| antonym_clash(u, &t.stems))
                    {
                        best.contradicted = true;
                        best.strength *= 0.25;
                    }
                }
                best
            })
            .collect()
    }
}

/// Derives key points from a reference answer when none are given: its most informative
/// sentences, in their original order, weighted by how much new vocabulary each adds.
pub(crate) fn derive_key_points(reference: &Doc<'_>, prompt: &Doc<'_>) -> Vec<KeyPoint> {
    let prompt_stems = prompt.content_stems();
    let mut seen: HashSet<String> = HashSet::default();
    let mut cands: Vec<(usize, f32, String)> = Vec::new();
    for (i, seg) in reference.segments.iter().enumerate() {
        let text = reference.text[seg.start..seg.end].trim();
        let text = text.trim_start_matches(|c: char| {
            c == '-' || c == '*' || c == '#' || c.is_ascii_digit() || c == '.' || c == ' ' || c == ')'
        });
        let text = text.replace("**", "").replace('`', "");
        let stems = reference.segment_stems(seg);
        let informative: Vec<&str> =
            stems.iter().copied().filter(|s| !is_generic(s) && !prompt_stems.contains(s)).collect();
        if informative.len() < 3 {
            continue;
        }
        let novel = informative.iter().filter(|s| !seen.contains(**s)).count();
        for s in &informative {
            seen.insert((*s).to_owned());
        }
        let score = novel as f32 + 0.3 * informative.len() as f32;
        cands.push((i, score, text));
    }
    let n = (cands.len() / 2).clamp(3, 8).min(cands.len());
    let mut ranked = cands.clone();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let cutoff: HashSet<usize> = ranked.iter().take(n).map(|c| c.0).collect();
    let top_half: HashSet<usize> = ranked.iter().take(n.div_ceil(2)).map(|c| c.0).collect();
    cands
        .into_iter()
        .filter(|c| cutoff.contains(&c.0))
        .enumerate()
        .map(|(k, (i, _, text))| KeyPoint {
            id: format!("point-{}", k + 1),
            text,
            weight: if top_half.contains(&i) { 2 } else { 1 },
            phrases: Vec::new(),
        })
        .collect()
}

/// Embeds the answer's units, all targets and the question in one call.
pub(crate) fn embed_all(
    embedder: &dyn Embedder,
    prompt: &str,
    doc: &Doc<'_>,
    skip: &HashSet<usize>,
    matcher: &Matcher,
) -> Result<Semantic, crate::EmbedError> {
    let spans = Matcher::unit_spans(doc, skip);
    let unit_texts: Vec<&str> = spans.iter().map(|(s, e)| &doc.text[*s..*e]).collect();
    let targets = matcher.target_texts();
    if unit_texts.is_empty() {
        return Ok(Semantic { unit_vecs: Vec::new(), target_vecs: Vec::new(), prompt_vec: None });
    }
    let mut all: Vec<&str> = unit_texts.clone();
    for ts in &targets {
        all.extend(ts.iter().copied());
    }
    let prompt = prompt.trim();
    if !prompt.is_empty() {
        all.push(prompt);
    }
    let mut vecs = embedder.embed(&all)?.into_iter();
    let unit_vecs: Vec<Vec<f32>> = vecs.by_ref().take(unit_texts.len()).collect();
    let target_vecs = targets.iter().map(|ts| vecs.by_ref().take(ts.len()).collect()).collect();
    let prompt_vec = vecs.next();
    Ok(Semantic { unit_vecs, target_vecs, prompt_vec })
}
