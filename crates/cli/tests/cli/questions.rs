//! `mockloop questions`: listing, JSON output, filters and search.

use std::collections::HashSet;

use mockloop_domain::Question;
use serde_json::Value;

use crate::{all_questions, ids, run};

const FIELDS: [&str; 12] = [
    "id",
    "prompt",
    "difficulty",
    "category",
    "topics",
    "levels",
    "rounds",
    "key_points",
    "follow_ups",
    "misconceptions",
    "flashcard",
    "answer",
];

/// Every question, keyed by id, for checking filter results against the questions' own fields.
fn by_id() -> Vec<(String, Value)> {
    all_questions().into_iter().map(|q| (q["id"].as_str().expect("id").to_owned(), q)).collect()
}

fn field_has(q: &Value, field: &str, value: &str) -> bool {
    match &q[field] {
        Value::String(s) => s == value,
        Value::Array(items) => items.iter().any(|v| v == value),
        _ => false,
    }
}

/// Checks that `questions ARGS` returns exactly the questions satisfying `keep`, and some of them.
#[track_caller]
fn check_filter(args: &[&str], keep: impl Fn(&Value) -> bool) -> HashSet<String> {
    let expected: Vec<String> = by_id().into_iter().filter(|(_, q)| keep(q)).map(|(id, _)| id).collect();
    let got: HashSet<String> = ids(args).into_iter().collect();
    assert!(!got.is_empty(), "{args:?} matched nothing");
    assert_eq!(got, expected.into_iter().collect::<HashSet<_>>(), "{args:?}");
    got
}

#[test]
fn questions_json_lists_at_least_160_questions_with_every_field() {
    let qs = all_questions();
    assert!(qs.len() >= 160, "{} questions", qs.len());
    for q in &qs {
        for field in FIELDS {
            assert!(q.get(field).is_some_and(|v| !v.is_null()), "{} lacks `{field}`", q["id"]);
        }
        assert!(q["key_points"].as_array().is_some_and(|k| k.len() >= 4), "{} key points", q["id"]);
        assert!(
            !q["answer"].as_str().unwrap_or_default().trim().is_empty(),
            "{} has an empty answer",
            q["id"]
        );
    }
}

#[test]
fn questions_json_round_trips_through_the_domain_question() {
    for json in all_questions() {
        let q: Question =
            serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{}: {e}", json["id"]));
        assert_eq!(serde_json::to_value(&q).expect("serialize"), json, "{} changed in the round trip", q.id);
    }
}

#[test]
fn questions_lists_one_line_per_question_and_a_count() {
    let out = run(&["questions", "--difficulty", "hard", "--topic", "dns"]);
    let text = out.ok();
    let n = ids(&["--difficulty", "hard", "--topic", "dns"]).len();
    assert!(text.contains(&format!("{n} question(s).")), "{text}");
    assert_eq!(text.lines().filter(|l| l.contains(" hard ")).count(), n, "{text}");
}

mod filters {
    use super::*;

    #[test]
    fn difficulty_returns_only_questions_of_that_difficulty() {
        check_filter(&["--difficulty", "hard"], |q| q["difficulty"] == "hard");
    }

    #[test]
    fn category_returns_only_questions_of_that_category() {
        check_filter(&["--category", "role-specific"], |q| q["category"] == "role-specific");
    }

    #[test]
    fn topic_returns_only_questions_with_that_topic() {
        check_filter(&["--topic", "dns"], |q| field_has(q, "topics", "dns"));
    }

    #[test]
    fn level_returns_only_questions_for_that_level() {
        check_filter(&["--level", "staff"], |q| field_has(q, "levels", "staff"));
    }

    #[test]
    fn round_returns_only_questions_for_that_round() {
        check_filter(&["--round", "troubleshooting"], |q| field_has(q, "rounds", "troubleshooting"));
    }

    #[test]
    fn a_repeated_filter_matches_any_of_its_values() {
        check_filter(&["--difficulty", "easy", "--difficulty", "hard"], |q| {
            q["difficulty"] == "easy" || q["difficulty"] == "hard"
        });
    }

    #[test]
    fn combined_filters_narrow_the_list() {
        let hard = check_filter(&["--difficulty", "hard"], |q| q["difficulty"] == "hard");
        let hard_k8s = check_filter(&["--difficulty", "hard", "--topic", "kubernetes"], |q| {
            q["difficulty"] == "hard" && field_has(q, "topics", "kubernetes")
        });
        let narrowest = check_filter(
            &["--difficulty", "hard", "--topic", "kubernetes", "--round", "troubleshooting"],
            |q| {
                q["difficulty"] == "hard"
                    && field_has(q, "topics", "kubernetes")
                    && field_has(q, "rounds", "troubleshooting")
            },
        );
        assert!(hard_k8s.is_subset(&hard) && hard_k8s.len() < hard.len());
        assert!(narrowest.is_subset(&hard_k8s) && narrowest.len() < hard_k8s.len());
    }

    #[test]
    fn limit_keeps_the_first_n() {
        let all = ids(&["--category", "behavioral"]);
        assert_eq!(ids(&["--category", "behavioral", "--limit", "3"]), all[..3]);
    }

    #[test]
    fn an_unknown_topic_fails_and_lists_the_topics() {
        let out = run(&["questions", "--topic", "kubernetse"]);
        assert_ne!(out.code, Some(0));
        assert_eq!(out.stdout, "");
        assert!(out.stderr.contains("unknown topic `kubernetse`"), "{}", out.stderr);
        assert!(
            out.stderr.contains("kubernetes") && out.stderr.contains("dns"),
            "lists the topics: {}",
            out.stderr
        );
    }

    #[test]
    fn an_unknown_level_or_round_fails() {
        for (flag, value) in [("--level", "intern"), ("--round", "onsite")] {
            let out = run(&["questions", flag, value]);
            assert_ne!(out.code, Some(0), "{flag} {value}");
            assert!(out.stderr.contains(&format!("`{value}`")), "{}", out.stderr);
        }
    }

    #[test]
    fn an_unknown_difficulty_fails_with_the_valid_ones() {
        let out = run(&["questions", "--difficulty", "extreme"]);
        assert_ne!(out.code, Some(0));
        assert!(out.stderr.contains("expected easy, medium or hard"), "{}", out.stderr);
    }
}

mod search {
    use super::*;

    fn search(text: &str) -> Vec<Value> {
        let Value::Array(qs) = run(&["questions", "--json", "--search", text]).json() else {
            panic!("expected an array")
        };
        qs
    }

    #[test]
    fn terraform_state_lock_ranks_a_terraform_locking_question_first() {
        let hits = search("terraform state lock");
        let first = &hits[0];
        assert!(field_has(first, "topics", "iac-terraform"), "{}", first["id"]);
        assert!(
            first["prompt"].as_str().expect("prompt").to_lowercase().contains("lock"),
            "{}",
            first["prompt"]
        );
        assert!(
            ["iac-remote-backend-locking", "iac-state-lock-recovery"]
                .contains(&first["id"].as_str().expect("id")),
            "{}",
            first["id"]
        );
    }

    #[test]
    fn dns_ttl_puts_dns_questions_at_the_top() {
        let hits = search("dns ttl");
        assert_eq!(hits[0]["id"], "dns-ttl-cutover");
        for q in &hits[..3] {
            assert!(field_has(q, "topics", "dns"), "{} is not a dns question", q["id"]);
        }
    }

    #[test]
    fn search_applies_the_filters_too() {
        let easy = ids(&["--difficulty", "easy"]);
        let hits = ids(&["--search", "dns ttl", "--difficulty", "easy"]);
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|id| easy.contains(id)), "{hits:?}");
    }

    #[test]
    fn a_search_matching_nothing_returns_an_empty_list() {
        assert!(search("zzyzx qwertyuiop").is_empty());
    }
}

#[test]
fn the_built_in_pack_works_from_any_directory() {
    // `run` starts the binary in an empty scratch directory with no MOCKLOOP_PACK set.
    let out = run(&["pack", "check"]);
    assert!(out.ok().contains("<built-in>"), "{}", out.stdout);
}
