//! Ranked full-text search over a pack with Okapi BM25.
//!
//! Fields are weighted by where a match is most telling: the prompt counts three times, key points
//! twice, the model answer and flashcard once. The index is built per call; a pack has a few hundred
//! questions, so building it costs well under a millisecond and no cache is needed.

use std::collections::HashMap;

use mockloop_grading::text::search_terms;

use crate::Question;

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A search hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    /// The question.
    pub question: &'a Question,
    /// BM25 score; higher is better.
    pub score: f32,
}

fn document_terms(q: &Question) -> Vec<String> {
    let mut terms = Vec::new();
    for _ in 0..3 {
        terms.extend(search_terms(&q.prompt));
    }
    for kp in &q.key_points {
        let mut kp_text = kp.text.clone();
        for p in &kp.phrases {
            kp_text.push(' ');
            kp_text.push_str(p);
        }
        let t = search_terms(&kp_text);
        terms.extend(t.iter().cloned());
        terms.extend(t);
    }
    terms.extend(search_terms(&q.answer));
    terms.extend(search_terms(&q.flashcard));
    for topic in &q.topics {
        terms.extend(search_terms(topic));
    }
    terms
}

/// Ranks `questions` against `query`; questions matching no query term are left out.
pub fn search<'a>(questions: impl IntoIterator<Item = &'a Question>, query: &str) -> Vec<Hit<'a>> {
    let query_terms = search_terms(query);
    if query_terms.is_empty() {
        return Vec::new();
    }
    let docs: Vec<(&Question, HashMap<String, u32>, usize)> = questions
        .into_iter()
        .map(|q| {
            let terms = document_terms(q);
            let len = terms.len();
            let mut tf = HashMap::new();
            for t in terms {
                *tf.entry(t).or_insert(0) += 1;
            }
            (q, tf, len)
        })
        .collect();
    if docs.is_empty() {
        return Vec::new();
    }
    let n = docs.len() as f32;
    let avg_len = docs.iter().map(|d| d.2).sum::<usize>() as f32 / n;
    let mut hits: Vec<Hit<'a>> = docs
        .iter()
        .filter_map(|(q, tf, len)| {
            let mut score = 0.0;
            for term in &query_terms {
                let Some(&f) = tf.get(term) else { continue };
                let df = docs.iter().filter(|d| d.1.contains_key(term)).count() as f32;
                let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                let f = f as f32;
                score += idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * *len as f32 / avg_len));
            }
            (score > 0.0).then_some(Hit { question: q, score })
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.question.id.cmp(&b.question.id)));
    hits
}
