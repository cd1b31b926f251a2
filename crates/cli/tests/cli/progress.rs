//! `review`, `stats`, `plan`, `export` and `import`: the user's progress over time.

use serde_json::Value;

use super::Home;

fn practise(home: &Home, answers: &str, count: &str) {
    let file = home.write("answers.txt", answers);
    home.run(&["practice", "--level", "senior", "--count", count, "--no-follow-up", "--answers", &file]).ok();
}

#[test]
fn review_rates_new_cards_and_schedules_them() {
    let home = Home::new();
    let ratings = home.write("ratings.txt", "1\ngood\n4\n");
    let text = home.run(&["review", "--new", "3", "--answers", &ratings]).ok().to_owned();
    assert!(text.contains("Flashcards · 3 to review · retention 90%"), "{text}");
    assert!(text.contains("Again") && text.contains("Easy"), "interval preview shown:\n{text}");
    assert!(text.contains("Done: 3 reviewed: 1 again, 0 hard, 1 good, 1 easy."), "{text}");
    let stats = home.run(&["stats", "--json"]).json();
    assert_eq!(stats["cards"]["total"], 3);
    assert_eq!(stats["totals"]["reviews"], 3);
    // The card rated Again comes back within minutes; the others are not due yet.
    let again = home.write("again.txt", "3\n");
    let text = home.run(&["review", "--new", "0", "--answers", &again]).ok().to_owned();
    assert!(text.contains("Nothing due") || text.contains("1 to review"), "{text}");
}

#[test]
fn review_refuses_a_bad_rating_in_a_file_and_a_bad_retention() {
    let home = Home::new();
    let ratings = home.write("ratings.txt", "7\n");
    let out = home.run(&["review", "--new", "1", "--answers", &ratings]);
    assert!(out.stderr.contains("`7` is not a rating"), "{}", out.stderr);
    let out = home.run(&["review", "--retention", "0.5"]);
    assert!(out.stderr.contains("--retention must be between"), "{}", out.stderr);
}

#[test]
fn graded_practice_answers_feed_the_flashcard_schedule() {
    let home = Home::new();
    practise(&home, "Not sure.\n---\n:reveal\n", "2");
    let stats = home.run(&["stats", "--json"]).json();
    assert_eq!(stats["cards"]["total"], 2, "answered and revealed questions become cards: {stats}");
}

#[test]
fn anki_export_writes_a_header_and_one_note_per_question() {
    let home = Home::new();
    let text = home.run(&["review", "--export", "anki", "deck.txt"]).ok().to_owned();
    assert!(text.contains("wrote 169 cards"), "{text}");
    let deck = std::fs::read_to_string(home.dir.path().join("deck.txt")).unwrap();
    assert!(deck.starts_with("#separator:tab\n#html:true\n"), "{deck}");
    assert!(deck.contains("#guid column:1") && deck.contains("#tags column:4"));
    assert_eq!(deck.lines().filter(|l| !l.starts_with('#')).count(), 169);
    assert!(deck.lines().filter(|l| !l.starts_with('#')).all(|l| l.split('\t').count() == 4));
    let out = home.run(&["review", "--export", "csv", "deck.csv"]);
    assert!(out.stderr.contains("unknown export format `csv`"), "{}", out.stderr);
}

#[test]
fn stats_show_topics_signals_rounds_and_the_streak() {
    let home = Home::new();
    let empty = home.run(&["stats"]).ok().to_owned();
    assert!(empty.contains("No answers yet"), "{empty}");
    practise(
        &home,
        "I would check kubectl describe pod for OOMKilled, raise the memory limit from 256Mi to 512Mi, \
         and alert on restarts because a crash loop hides the cause.\n---\nNo idea.\n",
        "2",
    );
    let text = home.run(&["stats"]).ok().to_owned();
    for part in ["Readiness per round", "Topics", "Signals", "Streak", "Weakest topics"] {
        assert!(text.contains(part), "missing `{part}`:\n{text}");
    }
    let json = home.run(&["stats", "--json"]).json();
    assert_eq!(json["totals"]["answered"], 2);
    assert_eq!(json["streak"]["current"], 1);
    assert!(json["rounds"].as_array().unwrap().len() >= 7);
}

#[test]
fn plan_prints_markdown_and_writes_a_calendar_up_to_the_interview() {
    let home = Home::new();
    let start = "2026-12-01";
    let out = home.run(&[
        "plan",
        "--start",
        start,
        "--interview-date",
        "2026-12-15",
        "--hours-per-day",
        "2",
        "--ics",
        "prep.ics",
    ]);
    let text = out.ok();
    assert!(text.contains("Prep plan"), "{text}");
    assert!(out.stderr.contains("wrote prep.ics (14 days"), "{}", out.stderr);
    let ics = std::fs::read_to_string(home.dir.path().join("prep.ics")).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), ics.matches("END:VEVENT").count());
    assert!(ics.contains("DTSTART;VALUE=DATE:20261201"));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "lines are folded");
    let json = home.run(&["plan", "--start", start, "--weeks", "2", "--json", "--ics", "x.ics"]).json();
    assert_eq!(json["days"].as_array().unwrap().len(), 14);
    let bad = home.run(&["plan", "--interview-date", "15/12/2026"]);
    assert!(bad.stderr.contains("is not a date like"), "{}", bad.stderr);
}

#[test]
fn export_then_import_moves_everything_to_another_install() {
    let from = Home::new();
    practise(&from, "Lower the TTL first.\n---\n:skip\n", "2");
    from.run(&["review", "--new", "1", "--answers", &from.write("r.txt", "3\n")]).ok();
    let out = from.run(&["export", "mine.json"]);
    assert!(out.ok().is_empty() && out.stderr.contains("exported 2 attempts"), "{}", out.stderr);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(from.dir.path().join("mine.json")).unwrap()).unwrap();
    assert_eq!(doc["format"], "mockloop-user-data");

    let to = Home::new();
    let file = to.write("mine.json", &doc.to_string());
    let dry = to.run(&["import", "--dry-run", &file]).ok().to_owned();
    assert!(dry.contains("valid") && dry.contains("nothing written"), "{dry}");
    assert!(to.run(&["export"]).json()["attempts"].as_array().unwrap().is_empty());
    let text = to.run(&["import", &file]).ok().to_owned();
    assert!(text.contains("imported") && text.contains("0 already present"), "{text}");
    let mut again = to.run(&["export"]).json();
    let mut original = doc.clone();
    for d in [&mut again, &mut original] {
        d["exported_at"] = Value::Null;
        // Each install has its own local user id; everything else must match.
        for kind in ["sessions", "attempts", "reports"] {
            for record in d[kind].as_array_mut().unwrap() {
                record["user"] = Value::Null;
            }
        }
    }
    assert_eq!(again, original, "the import reproduces the export");
    let twice = to.run(&["import", &file]).ok().to_owned();
    assert!(twice.contains("imported 0 records"), "{twice}");
}

#[test]
fn a_malformed_or_partial_import_file_is_refused_and_changes_nothing() {
    let from = Home::new();
    practise(&from, "Lower the TTL first.\n", "1");
    let doc = from.run(&["export"]).json();
    let to = Home::new();
    let text = doc.to_string();
    let truncated = to.write("cut.json", &text[..text.len() / 2]);
    let out = to.run(&["import", &truncated]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("cut.json:1:") && out.stderr.contains("nothing was imported"),
        "{}",
        out.stderr
    );
    let mut broken = doc.clone();
    broken["attempts"][0]["score"] = Value::from(9.5);
    let file = to.write("bad.json", &broken.to_string());
    let out = to.run(&["import", &file]);
    assert!(
        out.stderr.contains("outside 0–5") && out.stderr.contains("nothing was imported"),
        "{}",
        out.stderr
    );
    let other = to.write("other.json", r#"{"hello": "world"}"#);
    let out = to.run(&["import", &other]);
    assert!(out.stderr.contains("nothing was imported"), "{}", out.stderr);
    assert!(to.run(&["export"]).json()["attempts"].as_array().unwrap().is_empty());
}
