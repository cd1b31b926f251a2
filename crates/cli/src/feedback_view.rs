//! How an assessment reads in a terminal.

use std::fmt::Write as _;

use mockloop_grading::{Assessment, Coverage, Method};

use crate::render::Style;

/// Renders the assessment as a senior interviewer's feedback.
pub fn render(a: &Assessment, s: Style) -> String {
    let mut out = String::new();
    let score_col = if a.score >= 3.5 {
        s.green(&format!("{:.1}/5", a.score))
    } else if a.score >= 2.0 {
        s.yellow(&format!("{:.1}/5", a.score))
    } else {
        s.red(&format!("{:.1}/5", a.score))
    };
    let _ = writeln!(out, "{} {}  {}", s.bold("Score"), score_col, a.verdict);
    let _ = writeln!(out, "{}", s.bar(a.score / 5.0, 30));

    let _ = writeln!(
        out,
        "\n{}",
        s.bold(if a.derived_key_points { "Key points (derived from the reference)" } else { "Key points" })
    );
    for k in &a.key_points {
        let mark = match (k.status, k.contradicted) {
            (_, true) => s.red("⚠"),
            (Coverage::Covered, _) => s.green("✓"),
            (Coverage::Partly, _) => s.yellow("◐"),
            (Coverage::Missed, _) => s.red("✗"),
        };
        let _ = writeln!(out, "  {mark} {}", k.text);
        if let Some(e) = &k.evidence {
            let flat = e.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let quote: String = flat.chars().take(140).collect();
            let ell = if flat.chars().count() > 140 { "…" } else { "" };
            let _ = writeln!(out, "      {}", s.dim(&format!("“{quote}{ell}”")));
        }
    }

    let _ = writeln!(out, "\n{}", s.bold("Signals"));
    for sig in a.signals.iter().filter(|x| x.applies) {
        let _ = writeln!(
            out,
            "  {:<24} {} {:.2}  {}",
            sig.kind.label(),
            s.bar(sig.value, 12),
            sig.value,
            s.dim(&sig.explanation)
        );
    }
    if !a.misconceptions.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("Misconceptions"));
        for m in &a.misconceptions {
            let _ = writeln!(
                out,
                "  {} “{}”\n    {} {}",
                s.red("✗"),
                m.evidence.text.trim(),
                s.green("→"),
                m.correction
            );
        }
    }
    if !a.strengths.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("What was strong"));
        for x in &a.strengths {
            let _ = writeln!(out, "  + {x}");
        }
    }
    if !a.gaps.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("To improve"));
        for (i, x) in a.gaps.iter().enumerate() {
            let _ = writeln!(out, "  {}. {x}", i + 1);
        }
    }
    if let Some(f) = &a.follow_up {
        let _ = writeln!(out, "\n{} {}", s.bold("Interviewer follow-up:"), s.cyan(f));
    }
    if let Method::Semantic { model } = &a.method {
        let _ = writeln!(out, "{}", s.dim(&format!("\n(graded with semantic matching: {model})")));
    }
    out
}
