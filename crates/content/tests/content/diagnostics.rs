//! One broken variant of the valid fixture per kind of problem, each with the exact
//! `path:line: message` a pack author sees. Variants are made in memory from the valid fixture.

use mockloop_content::parse_pack;

use crate::Fixture;

const DNS: &str = "questions/dns-ttl.md";
const RESTORE: &str = "questions/storage-restore-drill.md";

/// Checks the diagnostics of `pack` against `expected`, in order (they are sorted by path and line).
fn check(pack: Fixture, expected: &[&str]) {
    assert_eq!(pack.diagnostics(), expected);
}

#[test]
fn the_valid_fixture_loads_with_no_diagnostics() {
    let (pack, diags) = parse_pack(&Fixture::valid().0);
    assert_eq!(diags, []);
    let pack = pack.expect("a pack");
    assert_eq!(
        pack.questions.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(),
        ["dns-ttl", "storage-restore-drill"]
    );
    assert!(pack.questions[0].answer.starts_with("The **TTL**"), "the answer is the Markdown body");
}

mod question_files {
    use super::*;

    #[test]
    fn malformed_toml_is_reported_on_the_line_of_the_error() {
        check(
            Fixture::valid().replace(DNS, "time_minutes = 3", "time_minutes = = 3"),
            &["fixture/questions/dns-ttl.md:9: extra `=`, expected nothing"],
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_reported_on_its_line() {
        check(
            Fixture::valid().replace(DNS, "time_minutes = 3", "time_minutes = \"3\""),
            &["fixture/questions/dns-ttl.md:9: invalid type: string \"3\", expected u32"],
        );
    }

    #[test]
    fn a_missing_required_field_is_reported_at_the_start_of_the_front_matter() {
        check(
            Fixture::valid().remove_line(DNS, "flashcard ="),
            &["fixture/questions/dns-ttl.md:2: missing field `flashcard`"],
        );
    }

    #[test]
    fn a_misspelt_field_is_reported_with_the_fields_that_exist() {
        check(
            Fixture::valid().replace(DNS, "text = \"Raise", "txt = \"Raise"),
            &["fixture/questions/dns-ttl.md:32: unknown field `txt`, expected one of `id`, `text`, `weight`, `phrases`"],
        );
    }

    #[test]
    fn an_unknown_topic_is_reported_on_its_line_with_the_topics_that_exist() {
        check(
            Fixture::valid().replace(DNS, r#"topics = ["dns"]"#, r#"topics = ["dns", "dnz"]"#),
            &["fixture/questions/dns-ttl.md:6: unknown topic `dnz` (pack.toml defines: dns, storage)"],
        );
    }

    #[test]
    fn an_unknown_level_is_reported_on_its_line() {
        check(
            Fixture::valid().replace(DNS, r#"levels = ["entry"]"#, r#"levels = ["entry", "junior"]"#),
            &["fixture/questions/dns-ttl.md:7: unknown level `junior` (pack.toml defines: entry, senior)"],
        );
    }

    #[test]
    fn an_unknown_round_is_reported_on_its_line() {
        check(
            Fixture::valid().replace(DNS, r#"rounds = ["screen"]"#, r#"rounds = ["screen", "onsite"]"#),
            &["fixture/questions/dns-ttl.md:8: unknown round `onsite` (pack.toml defines: design, screen)"],
        );
    }

    #[test]
    fn an_unknown_round_named_like_a_topic_is_reported_on_the_rounds_line() {
        // `behavioral` is both a topic and a round in the shipped pack; the line must be the round's.
        check(
            Fixture::valid().replace(DNS, r#"rounds = ["screen"]"#, r#"rounds = ["screen", "dns"]"#),
            &["fixture/questions/dns-ttl.md:8: unknown round `dns` (pack.toml defines: design, screen)"],
        );
    }

    #[test]
    fn a_value_in_a_multi_line_list_is_reported_on_its_own_line() {
        check(
            Fixture::valid().replace(DNS, r#"topics = ["dns"]"#, "topics = [\n  \"dns\",\n  \"dnz\",\n]"),
            &["fixture/questions/dns-ttl.md:8: unknown topic `dnz` (pack.toml defines: dns, storage)"],
        );
    }

    #[test]
    fn an_empty_topic_list_is_reported() {
        check(
            Fixture::valid().replace(DNS, r#"topics = ["dns"]"#, "topics = []"),
            &["fixture/questions/dns-ttl.md:6: no topics listed"],
        );
    }

    #[test]
    fn an_unknown_difficulty_is_reported_with_the_valid_ones() {
        check(
            Fixture::valid().replace(DNS, r#"difficulty = "easy""#, r#"difficulty = "extreme""#),
            &["fixture/questions/dns-ttl.md:4: unknown difficulty `extreme` (expected easy, medium or hard)"],
        );
    }

    #[test]
    fn an_unknown_category_is_reported_with_the_valid_ones() {
        check(
            Fixture::valid().replace(DNS, r#"category = "technical""#, r#"category = "trivia""#),
            &["fixture/questions/dns-ttl.md:5: unknown category `trivia` (expected technical, role-specific, situational or behavioral)"],
        );
    }

    #[test]
    fn an_id_that_does_not_match_the_file_name_is_reported_on_the_id_line() {
        check(
            Fixture::valid().replace(DNS, r#"id = "dns-ttl""#, r#"id = "dns-tll""#),
            &["fixture/questions/dns-ttl.md:2: id `dns-tll` does not match the file name `dns-ttl.md`"],
        );
    }

    #[test]
    fn an_id_that_is_not_kebab_case_is_reported() {
        let pack = Fixture::valid().remove(DNS).add(
            "questions/DNS_TTL.md",
            &Fixture::valid().text(DNS).replace(r#"id = "dns-ttl""#, r#"id = "DNS_TTL""#),
        );
        check(pack, &["fixture/questions/DNS_TTL.md:2: id `DNS_TTL` must be lowercase kebab-case"]);
    }

    #[test]
    fn a_doubled_extension_does_not_count_as_the_file_name() {
        let pack = Fixture::valid().remove(DNS).add("questions/dns-ttl.md.md", &Fixture::valid().text(DNS));
        check(
            pack,
            &["fixture/questions/dns-ttl.md.md:2: id `dns-ttl` does not match the file name `dns-ttl.md.md`"],
        );
    }

    #[test]
    fn questions_may_sit_in_subfolders() {
        let pack =
            Fixture::valid().remove(DNS).add("questions/networking/dns-ttl.md", &Fixture::valid().text(DNS));
        check(pack, &[]);
    }

    #[test]
    fn a_duplicate_id_in_a_second_file_points_at_the_first() {
        let pack = Fixture::valid().add("questions/networking/dns-ttl.md", &Fixture::valid().text(DNS));
        check(pack, &["fixture/questions/networking/dns-ttl.md:2: duplicate question id `dns-ttl` (first defined in questions/dns-ttl.md)"]);
    }

    #[test]
    fn an_empty_answer_is_reported_on_the_closing_delimiter() {
        let text = Fixture::valid().text(DNS);
        let front_end = text.rfind("+++\n").expect("closing delimiter") + 4;
        let pack = Fixture::valid().replace(DNS, &text[front_end..], "\n  \n");
        check(pack, &["fixture/questions/dns-ttl.md:48: empty answer: the body after the front matter must hold the model answer"]);
    }

    #[test]
    fn a_file_without_an_opening_delimiter_is_reported_on_line_one() {
        check(
            Fixture::valid().replace(DNS, "+++\nid =", "id ="),
            &["fixture/questions/dns-ttl.md:1: missing front matter: the file must start with a `+++` line and close it with another `+++` line"],
        );
    }

    #[test]
    fn a_file_without_a_closing_delimiter_is_reported_on_line_one() {
        check(
            Fixture::valid().replace(DNS, "+++\nThe **TTL**", "The **TTL**"),
            &["fixture/questions/dns-ttl.md:1: missing front matter: the file must start with a `+++` line and close it with another `+++` line"],
        );
    }

    #[test]
    fn an_empty_prompt_is_reported_on_its_line() {
        check(
            Fixture::valid().replace(
                DNS,
                r#"prompt = "What is a DNS TTL and what does it mean for a cutover?""#,
                r#"prompt = " ""#,
            ),
            &["fixture/questions/dns-ttl.md:3: empty prompt"],
        );
    }

    #[test]
    fn a_time_budget_outside_one_to_sixty_minutes_is_reported() {
        check(
            Fixture::valid().replace(DNS, "time_minutes = 3", "time_minutes = 90"),
            &["fixture/questions/dns-ttl.md:9: time_minutes = 90 is outside 1–60"],
        );
    }
}

mod rubrics {
    use super::*;

    #[test]
    fn a_key_point_without_phrases_is_reported_on_its_id() {
        check(
            Fixture::valid().remove_line(DNS, r#"phrases = ["raise the ttl"]"#),
            &["fixture/questions/dns-ttl.md:31: key point `raise-after` has no phrases: list ways a candidate might say it"],
        );
    }

    #[test]
    fn a_key_point_whose_phrases_are_blank_is_reported() {
        check(
            Fixture::valid().replace(DNS, r#"phrases = ["raise the ttl"]"#, r#"phrases = ["  "]"#),
            &["fixture/questions/dns-ttl.md:31: key point `raise-after` has no phrases: list ways a candidate might say it"],
        );
    }

    #[test]
    fn a_follow_up_pointing_at_no_key_point_is_reported_on_its_line() {
        check(
            Fixture::valid().replace(DNS, r#"key_point = "stragglers""#, r#"key_point = "straglers""#),
            &["fixture/questions/dns-ttl.md:41: follow-up points at unknown key point `straglers`"],
        );
    }

    #[test]
    fn a_question_with_too_few_key_points_is_reported() {
        let text = Fixture::valid().text(DNS);
        let start = text.find("[[key_points]]\nid = \"raise-after\"").expect("last key point");
        let end = text.find("[[follow_ups]]").expect("follow-ups");
        check(
            Fixture::valid().replace(DNS, &text[start..end], ""),
            &["fixture/questions/dns-ttl.md:2: 3 key point(s); easy questions need at least 4"],
        );
    }

    #[test]
    fn a_hard_question_needs_six_key_points() {
        check(
            Fixture::valid().replace(DNS, r#"difficulty = "easy""#, r#"difficulty = "hard""#),
            &["fixture/questions/dns-ttl.md:2: 4 key point(s); hard questions need at least 6"],
        );
    }

    #[test]
    fn a_question_with_one_follow_up_is_reported() {
        let text = Fixture::valid().text(DNS);
        let start = text.find("[[follow_ups]]").expect("follow-ups");
        let end = text.find("[[misconceptions]]").expect("misconceptions");
        let one = &text[start..end].replacen("[[follow_ups]]\nkey_point = \"lower-early\"\nprompt = \"The TTL is 86400. When do you lower it?\"\n\n", "", 1);
        check(
            Fixture::valid().replace(DNS, &text[start..end], one),
            &["fixture/questions/dns-ttl.md:2: 1 follow-up(s); every question needs at least 2"],
        );
    }

    #[test]
    fn a_duplicate_key_point_id_is_reported_on_its_first_use() {
        check(
            Fixture::valid().replace(DNS, r#"id = "raise-after""#, r#"id = "stragglers""#),
            &["fixture/questions/dns-ttl.md:25: duplicate key point id `stragglers`"],
        );
    }

    #[test]
    fn a_key_point_weight_outside_one_to_three_is_reported() {
        check(
            Fixture::valid().replace(DNS, "weight = 1", "weight = 5"),
            &["fixture/questions/dns-ttl.md:31: key point `raise-after` has weight 5; use 1–3"],
        );
    }

    #[test]
    fn a_misconception_without_phrases_is_reported_on_its_claim() {
        check(
            Fixture::valid().remove_line(DNS, r#"phrases = ["lower the ttl at the same time"]"#),
            &["fixture/questions/dns-ttl.md:45: misconception has no phrases"],
        );
    }
}

mod pack_files {
    use super::*;

    #[test]
    fn a_missing_pack_toml_is_reported() {
        check(
            Fixture::valid().remove("pack.toml"),
            &["fixture/pack.toml:1: missing pack.toml: every pack needs one (see docs/pack-format.md)"],
        );
    }

    #[test]
    fn malformed_pack_toml_is_reported_on_the_line_of_the_error() {
        check(
            Fixture::valid().replace("pack.toml", "[[rounds]]", "[[rounds]"),
            &["fixture/pack.toml:21: unclosed array table, expected `]`"],
        );
    }

    #[test]
    fn a_pack_toml_value_of_the_wrong_type_is_reported_on_its_line() {
        check(
            Fixture::valid().replace("pack.toml", "minutes = 30", r#"minutes = "thirty""#),
            &["fixture/pack.toml:25: invalid type: string \"thirty\", expected u32"],
        );
    }

    #[test]
    fn a_missing_pack_toml_field_is_reported_on_its_table() {
        check(
            Fixture::valid().remove_line("pack.toml", r#"focus = "Fundamentals.""#),
            &["fixture/pack.toml:21: missing field `focus`"],
        );
    }

    #[test]
    fn a_missing_mistakes_page_is_reported() {
        check(
            Fixture::valid().remove("mistakes.md"),
            &["fixture/mistakes.md:1: missing mistakes.md: the role's reference page"],
        );
    }

    #[test]
    fn a_missing_faq_page_is_reported() {
        check(
            Fixture::valid().remove("faq.md"),
            &["fixture/faq.md:1: missing faq.md: the role's reference page"],
        );
    }

    #[test]
    fn an_empty_faq_page_is_reported() {
        let text = Fixture::valid().text("faq.md");
        check(Fixture::valid().replace("faq.md", &text, "\n"), &["fixture/faq.md:1: faq.md is empty"]);
    }

    #[test]
    fn a_level_with_no_questions_is_reported_on_its_id() {
        check(
            Fixture::valid().replace(RESTORE, r#"levels = ["senior"]"#, r#"levels = ["entry"]"#),
            &["fixture/pack.toml:16: level `senior` has no questions"],
        );
    }

    #[test]
    fn a_round_with_no_questions_is_reported_on_its_id() {
        check(
            Fixture::valid().replace(RESTORE, r#"rounds = ["design"]"#, r#"rounds = ["screen"]"#),
            &["fixture/pack.toml:31: round `design` has no questions"],
        );
    }

    #[test]
    fn a_broken_question_does_not_also_leave_its_level_and_round_uncovered() {
        // Only the real problem is reported, not "level `entry` has no questions" on top of it.
        check(Fixture::valid().replace(DNS, "+++\nid =", "id ="), &["fixture/questions/dns-ttl.md:1: missing front matter: the file must start with a `+++` line and close it with another `+++` line"]);
    }

    #[test]
    fn a_pack_without_questions_is_reported() {
        check(
            Fixture::valid().remove(DNS).remove(RESTORE),
            &["fixture/questions:1: the pack has no questions: add questions/*.md"],
        );
    }

    #[test]
    fn a_duplicate_level_id_is_reported() {
        check(
            Fixture::valid()
                .replace("pack.toml", r#"id = "senior""#, r#"id = "entry""#)
                .replace("pack.toml", r#"level = "senior""#, r#"level = "entry""#)
                .replace(RESTORE, r#"levels = ["senior"]"#, r#"levels = ["entry"]"#),
            &["fixture/pack.toml:16: duplicate level id `entry`"],
        );
    }

    #[test]
    fn a_level_id_that_is_not_kebab_case_is_reported() {
        check(
            Fixture::valid()
                .replace("pack.toml", r#"id = "senior""#, r#"id = "Senior""#)
                .replace("pack.toml", r#"level = "senior""#, r#"level = "Senior""#)
                .replace(RESTORE, r#"levels = ["senior"]"#, r#"levels = ["Senior"]"#),
            &["fixture/pack.toml:16: level id `Senior` must be lowercase kebab-case"],
        );
    }

    #[test]
    fn a_compensation_band_for_an_unknown_level_is_reported() {
        check(
            Fixture::valid().replace("pack.toml", r#"level = "senior""#, r#"level = "staff""#),
            &["fixture/pack.toml:62: compensation band for unknown level `staff`"],
        );
    }

    #[test]
    fn a_prep_plan_naming_an_unknown_topic_is_reported() {
        check(
            Fixture::valid().replace(
                "pack.toml",
                r#"topics = ["dns", "storage"]"#,
                r#"topics = ["dns", "kubernetes"]"#,
            ),
            &["fixture/pack.toml:74: prep plan week 1 names unknown topic `kubernetes`"],
        );
    }
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let pack = Fixture::valid()
        .replace(DNS, r#"difficulty = "easy""#, r#"difficulty = "extreme""#)
        .replace(RESTORE, r#"category = "situational""#, r#"category = "scenario""#)
        .remove("faq.md");
    check(
        pack,
        &[
            "fixture/faq.md:1: missing faq.md: the role's reference page",
            "fixture/questions/dns-ttl.md:4: unknown difficulty `extreme` (expected easy, medium or hard)",
            "fixture/questions/storage-restore-drill.md:5: unknown category `scenario` (expected technical, role-specific, situational or behavioral)",
        ],
    );
}
