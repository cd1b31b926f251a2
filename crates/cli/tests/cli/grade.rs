//! `mockloop grade`: pack-free JSON Lines and grading against a pack question.

use serde_json::{json, Value};

use crate::{run, run_with_stdin};

/// Runs `grade --jsonl` over `lines` and parses each output line.
fn grade_jsonl(lines: &[String]) -> Vec<Value> {
    let out = run_with_stdin(&["grade", "--jsonl"], &(lines.join("\n") + "\n"));
    out.ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("output line is not JSON ({e}): {l}")))
        .collect()
}

fn item(id: usize) -> Value {
    json!({
        "id": id,
        "question": "What does a DNS TTL control?",
        "reference": "The TTL is how long resolvers may cache a record before asking again. Lower it before a migration.",
        "key_points": ["Resolvers cache the answer for the TTL", "Lower the TTL ahead of a change"],
        "answer": "Resolvers cache the answer for the TTL. ".repeat(1 + id % 4),
    })
}

#[test]
fn output_order_equals_input_order() {
    let lines: Vec<String> = (0..40).map(|i| item(i).to_string()).collect();
    let out = grade_jsonl(&lines);
    let ids: Vec<u64> = out.iter().map(|o| o["id"].as_u64().expect("id")).collect();
    assert_eq!(ids, (0..40).collect::<Vec<_>>());
}

#[test]
fn every_input_field_passes_through_untouched() {
    let input = json!({
        "question": "What does a DNS TTL control?",
        "reference": "How long resolvers cache a record.",
        "answer": "How long a resolver caches the record — e.g. 300 s.",
        "key_points": ["Resolvers cache the record for the TTL"],
        "id": "q-17",
        "meta": {"source": "devset", "tags": ["dns", 3, null, {"deep": true}]},
        "human_score": 3.5,
        "note": null,
    });
    let out = grade_jsonl(&[input.to_string()]);
    let out = out[0].as_object().expect("an object");
    for (k, v) in input.as_object().expect("an object") {
        assert_eq!(out.get(k), Some(v), "field `{k}` changed");
    }
    assert!(out.contains_key("score") && out.contains_key("feedback"));
    assert!(!out.contains_key("error"));
}

#[test]
fn a_malformed_line_yields_an_error_object_and_processing_continues() {
    let lines = [item(1).to_string(), "{not json".to_owned(), "[1, 2]".to_owned(), item(4).to_string()];
    let out = grade_jsonl(&lines);
    assert_eq!(out.len(), 4);
    assert!(out[0]["score"].is_number());
    assert!(out[1]["error"].as_str().is_some_and(|e| e.contains("invalid JSON")), "{}", out[1]);
    assert_eq!(out[1]["line"], 2);
    assert!(out[2]["error"].as_str().is_some_and(|e| e.contains("not a JSON object")), "{}", out[2]);
    assert_eq!(out[3]["id"], 4);
    assert!(out[3]["score"].is_number());
}

#[test]
fn blank_lines_are_skipped() {
    let out = grade_jsonl(&[item(1).to_string(), String::new(), "   ".to_owned(), item(2).to_string()]);
    assert_eq!(out.iter().map(|o| o["id"].clone()).collect::<Vec<_>>(), [json!(1), json!(2)]);
}

#[test]
fn a_line_missing_answer_yields_an_error_and_keeps_its_fields() {
    let mut input = item(7);
    input.as_object_mut().expect("an object").remove("answer");
    let out = grade_jsonl(&[input.to_string(), item(8).to_string()]);
    assert_eq!(out[0]["error"], "missing field `answer`");
    assert_eq!(out[0]["id"], 7);
    assert!(out[0].get("score").is_none());
    assert!(out[1]["score"].is_number(), "the next line is still graded");
}

#[test]
fn a_line_with_nothing_to_grade_against_yields_an_error() {
    let input = json!({"question": "q", "answer": "a"});
    let out = grade_jsonl(&[input.to_string()]);
    assert!(
        out[0]["error"].as_str().is_some_and(|e| e.contains("reference") && e.contains("key_points")),
        "{}",
        out[0]
    );
}

#[test]
fn a_line_without_key_points_is_scored_on_points_derived_from_the_reference() {
    let input = json!({
        "question": "How do you cut over a DNS record safely?",
        "reference": "Lower the TTL a full TTL ahead of the change. Keep both targets serving during the switch. Watch traffic drain from the old target, then raise the TTL again.",
        "answer": "I lower the TTL a day ahead, keep both load balancers serving, and watch traffic drain.",
    });
    let out = grade_jsonl(&[input.to_string()]);
    assert!(out[0].get("error").is_none(), "{}", out[0]);
    assert!(out[0]["score"].is_number());
    assert_eq!(out[0]["feedback"]["derived_key_points"], true);
    assert!(!out[0]["feedback"]["key_points"].as_array().expect("key points").is_empty());
}

#[test]
fn every_score_is_within_zero_to_five() {
    let answers = [
        "",
        "no idea",
        "Resolvers cache the answer for the TTL; lower the TTL ahead of a change.",
        &"TTL caching resolvers lower ahead. ".repeat(200),
    ];
    let lines: Vec<String> = answers
        .iter()
        .map(|a| json!({"question": "What does a DNS TTL control?", "reference": "How long resolvers cache a record.", "key_points": ["Resolvers cache the answer for the TTL", "Lower the TTL ahead of a change"], "answer": a}).to_string())
        .collect();
    for o in grade_jsonl(&lines) {
        let score = o["score"].as_f64().unwrap_or_else(|| panic!("no score: {o}"));
        assert!((0.0..=5.0).contains(&score), "score {score}");
        assert_eq!(o["feedback"]["score"], o["score"]);
    }
}

#[test]
fn grade_id_json_returns_evidence_spans_that_index_the_answer_bytes() {
    // Multi-byte characters before the evidence make byte and character offsets differ.
    let answer =
        "Naïve plan first — no: I’d lower the TTL a day before, to 60 s, so cached answers expire.\n\
                  Then I keep both load balancers running in parallel and watch traffic on both.\n\
                  Some resolvers ignore the TTL, so I keep the old target up until stragglers are gone.\n\
                  If errors climb I point it back, and I raise the TTL only once it is stable.\n";
    let out = run_with_stdin(&["grade", "dns-ttl-cutover", "--json"], answer);
    let a = out.json();
    let score = a["score"].as_f64().expect("score");
    assert!((0.0..=5.0).contains(&score));
    let bytes = answer.as_bytes();
    let mut spans = 0;
    for kp in a["key_points"].as_array().expect("key points") {
        let Some(e) = kp.get("evidence").filter(|e| !e.is_null()) else { continue };
        let (start, end) =
            (e["start"].as_u64().expect("start") as usize, e["end"].as_u64().expect("end") as usize);
        assert!(start < end && end <= bytes.len(), "{e}");
        assert_eq!(
            &bytes[start..end],
            e["text"].as_str().expect("text").as_bytes(),
            "key point `{}`",
            kp["id"]
        );
        spans += 1;
    }
    assert!(spans >= 3, "only {spans} key points have evidence: {a}");
}

#[test]
fn grade_reads_the_answer_from_a_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("answer.md");
    std::fs::write(&file, "Lower the TTL a day before and keep both load balancers running.").expect("write");
    let a = run(&["grade", "dns-ttl-cutover", "--json", "--answer-file", file.to_str().expect("utf-8 path")])
        .json();
    assert_eq!(a["key_points"][0]["id"], "lower-ttl-early");
    assert_eq!(a["key_points"][0]["status"], "covered");
}

#[test]
fn grade_text_output_has_no_ansi_escapes_when_piped() {
    let out = run_with_stdin(&["grade", "dns-ttl-cutover"], "Lower the TTL a day before the change.");
    let text = out.ok();
    assert!(!text.contains('\x1b'), "{text}");
    assert!(text.contains("Score") && text.contains("/5"), "{text}");
}

#[test]
fn grade_an_unknown_id_suggests_similar_ids() {
    let out = run_with_stdin(&["grade", "dns-ttl-cutovr"], "an answer");
    assert_ne!(out.code, Some(0));
    assert!(out.stderr.contains("did you mean dns-ttl-cutover"), "{}", out.stderr);
}

#[test]
fn an_optional_category_decides_which_signals_apply() {
    let line = |category: &str| {
        serde_json::json!({
            "question": "What did you do when the deploy pipeline kept failing?",
            "reference": "I traced the flaky stage, fixed the retry logic and cut failures from 20% to 1%.",
            "answer": "At my last job I owned the pipeline; I traced the flaky stage and fixed it, failures fell from 20% to 1%, and I learned to watch trends.",
            "category": category,
        })
        .to_string()
    };
    let out = grade_jsonl(&[line("behavioral"), line("technical")]);
    let structure_applies = |v: &Value| {
        v["feedback"]["signals"].as_array().unwrap().iter().find(|s| s["kind"] == "structure").unwrap()
            ["applies"]
            .as_bool()
            .unwrap()
    };
    assert!(structure_applies(&out[0]));
    assert!(!structure_applies(&out[1]));
    assert_eq!(out[0]["category"], "behavioral", "the field passes through untouched");
}
