//! `mockloop pack check` and `mockloop pack stats`, and `--pack`.

use serde_json::Value;

use crate::{all_questions, copy_dir, run, shipped_pack, valid_fixture};

#[test]
fn pack_check_passes_the_shipped_pack() {
    let dir = shipped_pack();
    for args in [vec!["pack", "check"], vec!["pack", "check", dir.to_str().expect("utf-8 path")]] {
        let out = run(&args);
        assert_eq!(out.stderr, "", "{args:?}");
        let text = out.ok();
        assert!(text.starts_with("ok "), "{text}");
        assert!(text.contains(&format!("{} questions", all_questions().len())), "{text}");
    }
}

#[test]
fn pack_check_fails_a_broken_copy_with_one_path_line_message_per_problem() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("pack");
    copy_dir(&valid_fixture(), &dir);
    let question = dir.join("questions/dns-ttl.md");
    let text = std::fs::read_to_string(&question).expect("read question");
    std::fs::write(&question, text.replacen(r#"difficulty = "easy""#, r#"difficulty = "extreme""#, 1))
        .expect("write question");
    std::fs::remove_file(dir.join("faq.md")).expect("remove faq.md");

    let shown = dir.display().to_string();
    let out = run(&["pack", "check", &shown]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr.lines().collect::<Vec<_>>(),
        [
            format!("{shown}/faq.md:1: missing faq.md: the role's reference page"),
            format!("{shown}/questions/dns-ttl.md:4: unknown difficulty `extreme` (expected easy, medium or hard)"),
            format!("2 problem(s) in {shown}"),
        ]
    );
}

#[test]
fn pack_check_passes_the_valid_fixture() {
    let dir = valid_fixture();
    let out = run(&["pack", "check", dir.to_str().expect("utf-8 path")]);
    assert!(out.ok().contains("2 questions, 2 topics, 2 rounds, 2 levels"), "{}", out.stdout);
}

#[test]
fn pack_flag_loads_questions_from_another_pack() {
    let dir = valid_fixture();
    let Value::Array(qs) = run(&["--pack", dir.to_str().expect("utf-8 path"), "questions", "--json"]).json()
    else {
        panic!("an array")
    };
    let ids: Vec<&str> = qs.iter().map(|q| q["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["dns-ttl", "storage-restore-drill"]);
}

#[test]
fn pack_stats_prints_the_difficulty_by_category_table() {
    let text = run(&["pack", "stats"]).ok().to_owned();
    let qs = all_questions();
    let lines: Vec<&str> = text.lines().collect();
    let title = lines.iter().position(|l| *l == "Difficulty × category").expect("the table title");
    let header: Vec<&str> = lines[title + 1].split_whitespace().collect();
    assert_eq!(header, ["difficulty", "technical", "role-specific", "situational", "behavioral", "total"]);
    let mut column_totals = [0usize; 5];
    for (offset, difficulty) in ["easy", "medium", "hard"].into_iter().enumerate() {
        let cells: Vec<&str> = lines[title + 2 + offset].split_whitespace().collect();
        assert_eq!(cells[0], difficulty);
        let counts: Vec<usize> = cells[1..].iter().map(|c| c.parse().expect("a count")).collect();
        for (i, category) in
            ["technical", "role-specific", "situational", "behavioral"].into_iter().enumerate()
        {
            let want =
                qs.iter().filter(|q| q["difficulty"] == difficulty && q["category"] == category).count();
            assert_eq!(counts[i], want, "{difficulty} × {category}");
        }
        assert_eq!(counts[4], counts[..4].iter().sum::<usize>(), "row total for {difficulty}");
        for (t, c) in column_totals.iter_mut().zip(&counts) {
            *t += c;
        }
    }
    let total: Vec<usize> =
        lines[title + 5].split_whitespace().skip(1).map(|c| c.parse().expect("a count")).collect();
    assert!(lines[title + 5].trim_start().starts_with("total"));
    assert_eq!(total, column_totals);
    assert_eq!(total[4], qs.len());
}

#[test]
fn pack_stats_markdown_prints_markdown_tables() {
    let text = run(&["pack", "stats", "--markdown"]).ok().to_owned();
    assert!(text.contains("### Difficulty × category"), "{text}");
    assert!(
        text.contains("| difficulty | technical | role-specific | situational | behavioral | total |"),
        "{text}"
    );
}

#[test]
fn loading_a_broken_pack_fails_and_lists_its_problems() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("pack");
    copy_dir(&valid_fixture(), &dir);
    std::fs::remove_file(dir.join("mistakes.md")).expect("remove mistakes.md");
    let out = run(&["--pack", dir.to_str().expect("utf-8 path"), "questions"]);
    assert_ne!(out.code, Some(0));
    assert!(out.stderr.contains("1 problem(s)"), "{}", out.stderr);
    assert!(out.stderr.contains("/mistakes.md:1: missing mistakes.md"), "{}", out.stderr);
}
