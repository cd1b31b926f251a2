//! Malformed Terraform never panics: it comes back as parse errors that name the file and a line
//! inside it, and the report scores 0 with no check results.

use mockloop_exercise::{check, Config, SourceFile};
use proptest::prelude::*;

use crate::shipped_exercises;

fn file(text: &str) -> Vec<SourceFile> {
    vec![SourceFile { path: "main.tf".to_owned(), text: text.to_owned() }]
}

/// Asserts that `text` either parses or fails with errors located inside it.
fn parses_or_locates(text: &str) {
    if let Err(errors) = Config::parse(&file(text)) {
        assert!(!errors.is_empty());
        let lines = text.lines().count() + 1;
        for e in errors {
            assert_eq!(e.file, "main.tf");
            assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}: {e}\n{text}", e.line);
            assert!(!e.message.is_empty());
        }
    }
}

#[test]
fn an_unclosed_block_is_reported_with_its_file_and_a_line() {
    let errors = Config::parse(&file("resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n"))
        .expect_err("unclosed block");
    assert_eq!(errors[0].file, "main.tf");
    assert!(errors[0].line >= 2, "{errors:?}");
    assert!(errors[0].message.starts_with("cannot parse HCL"), "{}", errors[0].message);
}

#[test]
fn a_report_on_unparsable_files_has_errors_no_results_and_score_zero() {
    let e = &shipped_exercises()[0];
    let report = check(e, &file("resource \"aws_s3_bucket\" {{{\n"));
    assert!(!report.parse_errors.is_empty());
    assert!(report.results.is_empty());
    assert_eq!(report.score, 0.0);
    assert!(!report.all_passed());
}

#[test]
fn a_directory_without_tf_files_is_an_error_not_a_pass() {
    let e = &shipped_exercises()[0];
    let report = check(e, &[]);
    assert_eq!(report.parse_errors[0].message, "no .tf files to check");
    assert!(!report.all_passed());
}

#[test]
fn every_truncation_of_every_shipped_file_parses_or_gives_a_located_error() {
    for e in shipped_exercises() {
        for f in e.solution.iter().chain(&e.starter) {
            let cuts: Vec<usize> = (0..=f.text.len()).filter(|i| f.text.is_char_boundary(*i)).collect();
            for cut in cuts {
                let text = &f.text[..cut];
                parses_or_locates(text);
                // The whole pipeline copes too.
                let _ = check(&e, &file(text));
            }
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        parses_or_locates(&text);
    }

    #[test]
    fn hcl_like_garbage_never_panics(text in r#"[a-z_ "={}\[\]\n.$#0-9(),:?<>*/-]{0,300}"#) {
        parses_or_locates(&text);
    }

    #[test]
    fn a_shipped_file_with_random_bytes_spliced_in_never_panics(
        index in 0usize..12,
        at in 0usize..4000,
        junk in r#"[{}"=\[\]$\n\\#a-z]{1,8}"#,
    ) {
        let exercises = shipped_exercises();
        let e = &exercises[index % exercises.len()];
        let mut text = e.solution[0].text.clone();
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, &junk);
        parses_or_locates(&text);
        let _ = check(e, &file(&text));
    }
}
