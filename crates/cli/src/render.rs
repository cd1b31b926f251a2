//! Terminal output: colour when stdout is a terminal (and `NO_COLOR` is unset), Markdown rendered
//! to styled text, plain text otherwise.

use std::io::IsTerminal;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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

/// A Markdown table being collected: cells are rendered inline, then laid out when it ends.
#[derive(Debug, Default)]
struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<String>>,
    /// Where the current cell's text starts in the output buffer.
    cell_start: usize,
}

/// Renders Markdown for a terminal: headings, emphasis, code, lists, quotes and tables.
pub fn markdown(md: &str, style: Style) -> String {
    let mut out = String::new();
    let mut list_stack: Vec<Option<u64>> = Vec::new();
    let mut table: Option<Table> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(aligns)) => table = Some(Table { aligns, ..Table::default() }),
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&layout_table(&t, style));
                    out.push('\n');
                }
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.rows.push(Vec::new());
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(t) = table.as_mut() {
                    t.cell_start = out.len();
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = table.as_mut() {
                    let cell = out.split_off(t.cell_start.min(out.len()));
                    if let Some(row) = t.rows.last_mut() {
                        row.push(cell.trim().to_owned());
                    }
                }
            }
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
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::Start(Tag::CodeBlock(_)) => out.push('\n'),
            Event::End(TagEnd::CodeBlock) => out.push('\n'),
            Event::Start(Tag::BlockQuote(_)) => out.push_str("│ "),
            Event::Code(c) => out.push_str(&style.cyan(&c)),
            Event::Text(t) => {
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

/// Characters shown on screen, not counting ANSI escape sequences.
fn visible_width(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (false, _) => n += 1,
            (true, 'm') => in_escape = false,
            (true, _) => {}
        }
    }
    n
}

/// Lays a table out as aligned columns separated by `|`, with a rule under the header row.
fn layout_table(t: &Table, style: Style) -> String {
    let columns = t.rows.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |row: &Vec<String>, i: usize| row.get(i).map_or("", String::as_str).to_owned();
    let widths: Vec<usize> =
        (0..columns).map(|i| t.rows.iter().map(|r| visible_width(&cell(r, i))).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for (r, row) in t.rows.iter().enumerate() {
        let cells: Vec<String> = (0..columns)
            .map(|i| {
                let text = cell(row, i);
                let pad = widths[i] - visible_width(&text);
                let text = if r == 0 { style.bold(&text) } else { text };
                match t.aligns.get(i) {
                    Some(Alignment::Right) => format!("{}{text}", " ".repeat(pad)),
                    Some(Alignment::Center) => {
                        format!("{}{text}{}", " ".repeat(pad / 2), " ".repeat(pad - pad / 2))
                    }
                    _ => format!("{text}{}", " ".repeat(pad)),
                }
            })
            .collect();
        out.push_str(&cells.join(" | "));
        out.push('\n');
        if r == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("-+-"));
            out.push('\n');
        }
    }
    out
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
        let out = markdown(
            "# Title\n\nSome **bold** and `code`.\n\n1. one\n2. two\n\n- a\n- b\n",
            Style { color: false },
        );
        assert!(out.contains("Title"));
        assert!(out.contains("Some bold and code."));
        assert!(out.contains("1. one\n2. two"));
        assert!(out.contains("• a\n• b"));
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn tables_render_as_aligned_columns() {
        let md = "Subnets:\n\n| tier | per AZ | hosts |\n|---|---|---:|\n| public | `/24` | 251 |\n| private app | `/20` | 4091 |\n\nAfter.\n";
        let out = markdown(md, Style { color: false });
        assert_eq!(
            out,
            "Subnets:\n\n\
             tier        | per AZ | hosts\n\
             ------------+--------+------\n\
             public      | /24    |   251\n\
             private app | /20    |  4091\n\n\
             After.\n"
        );
    }

    #[test]
    fn table_columns_line_up_when_cells_are_coloured() {
        let out =
            markdown("| a | b |\n|---|---|\n| `code` | x |\n| longer text | y |\n", Style { color: true });
        let bars: Vec<usize> = out
            .lines()
            .filter(|l| l.contains(" | "))
            .map(|l| visible_width(&l[..l.find(" | ").unwrap()]))
            .collect();
        assert_eq!(bars, [11, 11, 11]);
    }
}
