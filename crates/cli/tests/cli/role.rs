//! `mockloop role`.

use crate::run;

#[test]
fn role_comp_shows_the_compensation_table() {
    let text = run(&["role", "comp"]).ok().to_owned();
    assert!(!text.contains('\x1b'));
    assert!(text.contains("Compensation (USD, 2026)"), "{text}");
    let header = text.lines().find(|l| l.trim_start().starts_with("level")).expect("a header row");
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["level", "base", "equity/yr", "sign-on", "total"]
    );
    let row = |level: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(level))
            .unwrap_or_else(|| panic!("no row for {level}:\n{text}"))
    };
    for level in ["Entry (L3)", "Mid-level (L4)", "Senior (L5)", "Staff (L6)", "Principal (L7+)"] {
        let cells: Vec<&str> = row(level).split_whitespace().collect();
        // Name (one or two words) then four money ranges.
        assert!(cells[cells.len() - 4..].iter().all(|c| c.contains('K')), "{level}: {cells:?}");
    }
    assert!(row("Entry (L3)").contains("120K–134K"));
    assert!(row("Principal (L7+)").contains("350K+"), "an open-ended range reads as min and up");
}

#[test]
fn role_pages_render_without_markdown_syntax() {
    let text = run(&["role", "mistakes"]).ok().to_owned();
    assert!(text.contains("Common mistakes"), "{text}");
    assert!(!text.contains("## ") && !text.contains("**"), "{text}");
}
