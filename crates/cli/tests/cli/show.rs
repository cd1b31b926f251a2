//! `mockloop show`.

use crate::run;

#[test]
fn show_prints_the_prompt_and_model_answer_without_ansi_escapes_when_piped() {
    let q = run(&["show", "dns-ttl-cutover", "--json"]).json();
    let out = run(&["show", "dns-ttl-cutover"]);
    let text = out.ok();
    assert!(!text.contains('\x1b'), "ANSI escapes in piped output:\n{text}");
    assert!(text.contains(q["prompt"].as_str().expect("prompt")), "{text}");
    assert!(text.contains("Model answer"), "{text}");
    // The answer is rendered from Markdown: no `**`, soft line breaks joined, lists numbered.
    assert!(
        text.contains("Plan around caches, not around the change itself. Resolvers and clients cache"),
        "{text}"
    );
    assert!(text.contains("1. Lower the TTL early."), "{text}");
    assert!(!text.contains("**"), "{text}");
    assert!(text.contains(q["flashcard"].as_str().expect("flashcard")), "{text}");
    for f in q["follow_ups"].as_array().expect("follow-ups") {
        assert!(text.contains(f["prompt"].as_str().expect("prompt")), "{text}");
    }
}

#[test]
fn show_renders_markdown_tables_as_columns() {
    let text = run(&["show", "net-three-tier-vpc-design"]).ok().to_owned();
    assert!(!text.contains("|---"), "raw Markdown table:\n{text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("tier ") || l.starts_with("public ") || l.starts_with("private app "))
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    let bar = |l: &str| l.find(" | ").expect("a column separator");
    assert!(rows.iter().all(|r| bar(r) == bar(rows[0])), "columns line up:\n{}", rows.join("\n"));
}

#[test]
fn show_no_answer_keeps_key_points_and_hides_the_answer() {
    let text = run(&["show", "dns-ttl-cutover", "--no-answer"]).ok().to_owned();
    assert!(text.contains("Key points"));
    assert!(!text.contains("Model answer"), "{text}");
}

#[test]
fn show_with_a_typo_suggests_similar_ids() {
    let out = run(&["show", "dns-ttl-cutovr"]);
    assert_ne!(out.code, Some(0));
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("no question with id `dns-ttl-cutovr`; did you mean dns-ttl-cutover"),
        "{}",
        out.stderr
    );
}
