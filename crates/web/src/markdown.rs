//! Pack Markdown (model answers, mistakes, FAQ) to HTML.
//!
//! Packs may come from any directory (`--pack`), so raw HTML in them is shown as text rather than
//! passed through: a pack cannot inject script into the page.

use maud::{Markup, PreEscaped};
use pulldown_cmark::{html, CowStr, Event, Options, Parser};

/// Renders Markdown, escaping any raw HTML it contains.
pub fn markdown(md: &str) -> Markup {
    let parser =
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|ev| match ev {
            Event::Html(s) | Event::InlineHtml(s) => Event::Text(CowStr::from(s.into_string())),
            other => other,
        });
    let mut out = String::with_capacity(md.len() * 2);
    html::push_html(&mut out, parser);
    PreEscaped(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_in_a_pack_is_shown_as_text() {
        let html = markdown("Hello <script>alert(1)</script> **world**").into_string();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;") && html.contains("<strong>world</strong>"), "{html}");
    }
}
