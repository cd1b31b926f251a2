//! How an assessment reads on a page: the answer with its evidence marked, key points, signals,
//! misconceptions, strengths and gaps.

use maud::{html, Markup};
use mockloop_grading::{Assessment, Coverage, Method};

use super::{bar, score_badge};

/// A marked range of the answer.
struct Mark<'a> {
    start: usize,
    end: usize,
    class: &'static str,
    title: &'a str,
}

/// The answer with each key point's evidence wrapped in `<mark>` (and misconceptions marked as
/// wrong). Spans are byte ranges from the grader; overlapping or out-of-range ones are dropped
/// rather than trusted, so a stored assessment can never break the page.
pub fn highlighted_answer(answer: &str, assessment: Option<&Assessment>) -> Markup {
    let mut marks: Vec<Mark<'_>> = Vec::new();
    if let Some(a) = assessment {
        for k in &a.key_points {
            if let Some(e) = &k.evidence {
                let class = if k.contradicted {
                    "bad"
                } else if k.status == Coverage::Covered {
                    "ok"
                } else {
                    "part"
                };
                marks.push(Mark { start: e.start, end: e.end, class, title: &k.text });
            }
        }
        for m in &a.misconceptions {
            marks.push(Mark {
                start: m.evidence.start,
                end: m.evidence.end,
                class: "bad",
                title: &m.correction,
            });
        }
    }
    marks.retain(|m| {
        m.start < m.end
            && m.end <= answer.len()
            && answer.is_char_boundary(m.start)
            && answer.is_char_boundary(m.end)
    });
    // Misconceptions first at the same start so the warning wins.
    marks.sort_by_key(|m| (m.start, m.class != "bad"));
    let mut pieces: Vec<(&str, Option<&Mark<'_>>)> = Vec::new();
    let mut pos = 0;
    for m in &marks {
        if m.start < pos {
            continue;
        }
        if m.start > pos {
            pieces.push((&answer[pos..m.start], None));
        }
        pieces.push((&answer[m.start..m.end], Some(m)));
        pos = m.end;
    }
    if pos < answer.len() {
        pieces.push((&answer[pos..], None));
    }
    html! {
        div.answer {
            @for (text, mark) in pieces {
                @match mark {
                    Some(m) => mark class=(m.class) title=(m.title) { (text) },
                    None => (text),
                }
            }
        }
    }
}

/// The assessment in full.
pub fn assessment(a: &Assessment) -> Markup {
    html! {
        div.scoreline {
            (score_badge(a.score))
            span.verdict { (a.verdict) }
            span.muted.method {
                @match &a.method {
                    Method::Lexical => "lexical grading",
                    Method::Semantic { model } => { "semantic grading · " (model) },
                }
            }
        }
        h3 { @if a.derived_key_points { "Key points (derived from the model answer)" } @else { "Key points" } }
        ul.keypoints {
            @for k in &a.key_points {
                @let (icon, class) = match (k.status, k.contradicted) {
                    (_, true) => ("⚠", "bad"),
                    (Coverage::Covered, _) => ("✓", "ok"),
                    (Coverage::Partly, _) => ("◐", "part"),
                    (Coverage::Missed, _) => ("✗", "miss"),
                };
                li class=(class) {
                    span.icon { (icon) }
                    span { (k.text) @if let Some(e) = &k.evidence { br; q.muted { (e.text.trim()) } } }
                }
            }
        }
        h3 { "Signals" }
        table.signals {
            @for s in a.signals.iter().filter(|s| s.applies) {
                tr {
                    th { (s.kind.label()) }
                    td.barcell { (bar(s.value)) }
                    td.num { (format!("{:.2}", s.value)) }
                    td.muted { (s.explanation) }
                }
            }
        }
        @if !a.misconceptions.is_empty() {
            h3 { "Misconceptions" }
            ul.misconceptions {
                @for m in &a.misconceptions {
                    li { span.bad { "“" (m.evidence.text.trim()) "”" } br; "→ " (m.correction) }
                }
            }
        }
        @if !a.flags.is_empty() {
            ul.flags { @for f in &a.flags { li { (f.advice()) } } }
        }
        div.grid2 {
            @if !a.strengths.is_empty() {
                div { h3 { "What was strong" } ul.plus { @for s in &a.strengths { li { (s) } } } }
            }
            @if !a.gaps.is_empty() {
                div { h3 { "To improve" } ol { @for g in &a.gaps { li { (g) } } } }
            }
        }
    }
}
