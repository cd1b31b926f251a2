/// Splits a question file into its TOML front matter and Markdown body.
///
/// The file must start with a line `+++` and the front matter ends at the next line that is exactly
/// `+++`. Returns `(front_matter, body, body_first_line)`, or `None` when the delimiters are missing.
/// Works on `&str` only (as zola does), so callers decide where text comes from.
pub fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("+++")?;
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end_matches(['\r', '\n']) == "+++" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + front.lines().count() + 1;
            return Some((front, body, body_line));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_split_front_matter_and_body() {
        let (front, body, line) = split_front_matter("+++\nid = \"x\"\n+++\nBody\n").unwrap();
        assert_eq!(front, "id = \"x\"\n");
        assert_eq!(body, "Body\n");
        assert_eq!(line, 4);
    }

    #[test]
    fn errors_if_front_matter_is_not_closed() {
        assert!(split_front_matter("+++\nid = 1\n").is_none());
        assert!(split_front_matter("id = 1\n+++\n").is_none());
    }
}
