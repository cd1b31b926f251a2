//! Small SVG charts drawn on the server: no script, readable without colour (values are printed).

use maud::{html, Markup};

use super::score_class;

/// One bar of a bar chart.
pub struct BarItem<'a> {
    /// Label on the left.
    pub label: &'a str,
    /// Value shown.
    pub value: Option<f32>,
    /// Text after the bar.
    pub note: String,
}

/// A horizontal bar chart; `max` is the value of a full bar; colours use the 0–5 score scale.
pub fn bar_chart(items: &[BarItem<'_>], max: f32) -> Markup {
    let row = 28.0;
    let label_w = 170.0;
    let bar_w = 230.0;
    let height = row * items.len() as f32 + 4.0;
    html! {
        svg.chart viewBox=(format!("0 0 {} {height}", label_w + bar_w + 80.0)) role="img" aria-label="bar chart" {
            @for (i, it) in items.iter().enumerate() {
                @let y = i as f32 * row + 4.0;
                @let frac = it.value.map_or(0.0, |v| (v / max).clamp(0.0, 1.0));
                text x="0" y=(y + 14.0) class="lbl" { (truncate(it.label, 22)) }
                rect x=(label_w) y=(y) width=(bar_w) height="18" rx="4" class="track" {}
                @if it.value.is_some() {
                    rect x=(label_w) y=(y) width=(format!("{:.1}", (bar_w * frac).max(2.0))) height="18" rx="4"
                        class={"fill " (score_class(frac * 5.0))} {}
                }
                text x=(label_w + bar_w + 8.0) y=(y + 14.0) class="val" { (it.note) }
            }
        }
    }
}

/// A line chart of daily values on a 0–`max` scale, with dots and first/last date labels.
pub fn line_chart(points: &[(String, f32)], max: f32) -> Markup {
    let (w, h, pad) = (600.0f32, 160.0f32, 28.0f32);
    let n = points.len();
    let x = |i: usize| if n <= 1 { w / 2.0 } else { pad + (w - 2.0 * pad) * i as f32 / (n - 1) as f32 };
    let y = |v: f32| h - pad - (h - 2.0 * pad) * (v / max).clamp(0.0, 1.0);
    let path: String = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, x(i), y(*v)))
        .collect();
    html! {
        svg.chart viewBox=(format!("0 0 {w} {h}")) role="img" aria-label="score over time" {
            @for g in [0.0f32, 0.5, 1.0] {
                line x1=(pad) x2=(w - pad) y1=(y(g * max)) y2=(y(g * max)) class="grid" {}
                text x="0" y=(y(g * max) + 4.0) class="val" { (format!("{:.0}", g * max)) }
            }
            path d=(path) class="line" {}
            @for (i, (label, v)) in points.iter().enumerate() {
                circle cx=(x(i)) cy=(y(*v)) r="4" class={"dot " (score_class(v / max * 5.0))} {
                    title { (label) ": " (format!("{v:.1}")) }
                }
            }
            @if let (Some(first), Some(last)) = (points.first(), points.last()) {
                text x=(pad) y=(h - 6.0) class="lbl" { (first.0) }
                @if n > 1 { text x=(w - pad) y=(h - 6.0) class="lbl end" { (last.0) } }
            }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}
