//! Terminal output: colour when stdout is a terminal (and `NO_COLOR` is unset), Markdown rendered
//! to styled text, plain text otherwise.

use std::io::IsTerminal;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// ANSI styling that turns itself off when not writing to a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour if stdout is a terminal and `NO_COLOR` is not set.
    pub fn detect() -> Self {
        Self { color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() }
    }

    fn wrap(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    pub fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    pub fn green(&self, s: &str) -> String {
        self.wrap("32", s)
    }
    pub fn yellow(&self, s: &str) -> String {
        self.wrap("33", s)
    }
    pub fn red(&self, s: &str) -> String {
        self.wrap("31", s)
    }
    pub fn cyan(&self, s: &str) -> String {
        self.wrap("36", s)
    }
    pub fn heading(&self, s: &str) -> String {
        self.wrap("1;4", s)
    }

    /// A horizontal bar of `width` cells filled to `value` (0–1).
    pub fn bar(&self, value: f32, width: usize) -> String {
        let filled = ((value.clamp(0.0, 1.0) * width as f32).round() as usize).min(width);
        let s = format!("{}{}", "█".repeat(filled), "░".repeat(width - filled));
        if value >= 0.7 {
            self.green(&s)
        } else if value >= 0.4 {
            self.yellow(&s)
        } else {
            self.red(&s)
        }
    }
}

/// Renders Markdown for a terminal: headings, emphasis, code, lists and quotes.
pub fn markdown(md: &str, style: Style) -> String {
    let mut out = String::new();
    let mut list_stack: Vec<Option<u64>> = Vec::new();
    let mut pending_item = false;
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                out.push('\n');
                if level == HeadingLevel::H1 && style.color {
                    out.push_str("\x1b[1;4m");
                } else if style.color {
                    out.push_str("\x1b[1m");
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if style.color {
                    out.push_str("\x1b[0m");
                }
                out.push('\n');
            }
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => out.push_str(if list_stack.is_empty() { "\n\n" } else { "\n" }),
            Event::Start(Tag::Strong) if style.color => out.push_str("\x1b[1m"),
            Event::End(TagEnd::Strong) if style.color => out.push_str("\x1b[22m"),
            Event::Start(Tag::Emphasis) if style.color => out.push_str("\x1b[3m"),
            Event::End(TagEnd::Emphasis) if style.color => out.push_str("\x1b[23m"),
            Event::Start(Tag::List(start)) => {
                if list_stack.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                list_stack.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                list_stack.pop();
                if list_stack.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                let depth = list_stack.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match list_stack.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("• "),
                }
                pending_item = true;
            }
            Event::End(TagEnd::Item) => {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Event::Start(Tag::CodeBlock(_)) => out.push('\n'),
            Event::End(TagEnd::CodeBlock) => out.push('\n'),
            Event::Start(Tag::BlockQuote(_)) => out.push_str("│ "),
            Event::Code(c) => out.push_str(&style.cyan(&c)),
            Event::Text(t) => {
                let _ = pending_item;
                pending_item = false;
                out.push_str(&t);
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => out.push_str("\n────────\n"),
            _ => {}
        }
    }
    let trimmed = out.trim().to_owned();
    // Collapse runs of blank lines.
    let mut result = String::new();
    let mut blank = 0;
    for line in trimmed.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        result.push_str(line.trim_end());
        result.push('\n');
    }
    result
}

/// Pads or truncates to `width` display characters.
pub fn cell(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n > width {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_markdown_keeps_text_and_list_markers() {
        let out = markdown("# Title\n\nSome **bold** and `code`.\n\n1. one\n2. two\n\n- a\n- b\n", Style { color: false });
        assert!(out.contains("Title"));
        assert!(out.contains("Some bold and code."));
        assert!(out.contains("1. one\n2. two"));
        assert!(out.contains("• a\n• b"));
        assert!(!out.contains('\x1b'));
    }
}
