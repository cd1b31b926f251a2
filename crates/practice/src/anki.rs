//! Anki export: a plain-text file Anki imports with File → Import.
//!
//! Anki reads header lines starting with `#` (separator, html, guid column, tags column, column
//! names, note type and deck). The guid is a hash of the pack name and the question id, so
//! re-importing an updated export updates the existing notes instead of duplicating them.
//! Fields are HTML (`#html:true`): `&`, `<`, `>` and `"` are escaped, newlines become `<br>` and
//! tabs become spaces, so no field can break the tab-separated layout.

use mockloop_domain::Question;

use crate::hash;

/// An Anki-importable text file (Basic note type, tab-separated): one note per question with the
/// prompt on the front, the flashcard answer on the back, and tags from the pack, topics,
/// difficulty and category.
pub fn anki_text(cards: &[&Question], pack_name: &str) -> String {
    let deck = format!("mockloop::{}", one_line(pack_name));
    let mut out = String::new();
    for header in [
        "#separator:tab",
        "#html:true",
        "#notetype:Basic",
        &format!("#deck:{deck}"),
        "#guid column:1",
        "#tags column:4",
        "#columns:GUID\tFront\tBack\tTags",
    ] {
        out.push_str(header);
        out.push('\n');
    }
    for q in cards {
        let fields = [guid(pack_name, &q.id), escape(&q.prompt), escape(&back(q)), tags(q, pack_name)];
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

/// The stable Anki guid of a question: `ml` and 16 hex digits.
pub fn guid(pack_name: &str, question_id: &str) -> String {
    format!("ml{:016x}", hash::hash64(&[pack_name.as_bytes(), question_id.as_bytes()], 0))
}

fn back(q: &Question) -> String {
    if q.flashcard.trim().is_empty() {
        q.answer.clone()
    } else {
        q.flashcard.clone()
    }
}

/// Escapes text for an HTML field of a tab-separated line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = text.replace("\r\n", "\n");
    for c in text.trim().chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' => out.push_str("<br>"),
            '\t' => out.push_str("    "),
            c => out.push(c),
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A tag: no whitespace (Anki splits tags on spaces), `::` kept for hierarchy.
fn tag(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join("_").replace(['"', '&', '<', '>'], "")
}

fn tags(q: &Question, pack_name: &str) -> String {
    let mut tags = vec!["mockloop".to_owned(), format!("pack::{}", tag(pack_name))];
    tags.extend(q.topics.iter().map(|t| format!("topic::{}", tag(t))));
    tags.push(format!("difficulty::{}", q.difficulty.as_str()));
    tags.push(format!("category::{}", q.category.as_str()));
    tags.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::tests::question;
    use mockloop_domain::Difficulty;

    #[test]
    fn the_file_starts_with_anki_header_lines() {
        let q = question("dns-ttl", Difficulty::Easy, &["dns"], &["entry"]);
        let text = anki_text(&[&q], "Infrastructure Engineer");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "#separator:tab");
        assert_eq!(lines[1], "#html:true");
        assert!(lines.contains(&"#guid column:1"));
        assert!(lines.contains(&"#tags column:4"));
        assert!(lines.contains(&"#columns:GUID\tFront\tBack\tTags"));
        assert!(lines.contains(&"#deck:mockloop::Infrastructure Engineer"));
        let note = lines.last().expect("a note");
        let fields: Vec<&str> = note.split('\t').collect();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0], guid("Infrastructure Engineer", "dns-ttl"));
        assert_eq!(
            fields[3],
            "mockloop pack::Infrastructure_Engineer topic::dns difficulty::easy category::technical"
        );
    }

    #[test]
    fn fields_escape_html_tabs_and_newlines() {
        let mut q = question("q", Difficulty::Hard, &["dns"], &["staff"]);
        q.prompt = "Why <b>\"A\" & AAAA</b>?\tThink\r\nabout TTLs.".into();
        q.flashcard = "Line one\nline two".into();
        let text = anki_text(&[&q], "p");
        let note = text.lines().last().expect("a note");
        assert_eq!(note.split('\t').count(), 4, "{note}");
        assert!(note.contains("Why &lt;b&gt;&quot;A&quot; &amp; AAAA&lt;/b&gt;?    Think<br>about TTLs."));
        assert!(note.contains("Line one<br>line two"));
        assert_eq!(text.lines().count(), 8, "one header block and one line per note");
    }

    #[test]
    fn guids_are_stable_and_distinct() {
        assert_eq!(guid("p", "a"), guid("p", "a"));
        assert_ne!(guid("p", "a"), guid("p", "b"));
        assert_ne!(guid("p", "a"), guid("q", "a"));
        assert_eq!(guid("p", "a").len(), 18);
    }
}
