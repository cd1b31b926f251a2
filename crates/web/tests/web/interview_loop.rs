//! The interview loop in the browser and its JSON mirror: round by round, then a saved debrief.

use serde_json::json;

use crate::common::{good_answer, pack, start};

/// Follows a 303 and returns where it pointed.
fn location(r: &reqwest::Response) -> String {
    assert_eq!(r.status(), 303, "expected a redirect");
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_short_loop_in_pages_goes_round_by_round_and_ends_with_a_saved_debrief() {
    let s = start().await;
    let pack = pack();
    let (status, page) = s.get("/loop").await;
    assert_eq!(status, 200);
    assert!(page.contains("Start the loop") && page.contains("No loop finished yet"), "{page}");

    let r = s.client.post(s.url("/loop")).form(&[("level", "senior"), ("short", "1")]).send().await.unwrap();
    let mut at = location(&r);
    assert!(at.starts_with("/loop/") && at.ends_with("?short=1"), "{at}");
    let session = at.trim_start_matches("/loop/").trim_end_matches("?short=1").to_owned();

    // One question per round, in the pack's order; the first one answered well, the rest skipped.
    for (i, round) in pack.rounds.iter().enumerate() {
        let (status, page) = s.get(&at).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            page.contains(&format!("Round {}/{} · {}", i + 1, pack.rounds.len(), round.name)),
            "round {i} page:\n{page}"
        );
        assert!(page.contains("data-seconds="), "the round has a countdown");
        let qid =
            page.split("name=\"question\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let q = pack.question(&qid).expect("a pack question");
        assert!(q.rounds.contains(&round.id) || q.rounds.is_empty(), "{qid} is not a {} question", round.id);
        let form: Vec<(&str, String)> = if i == 0 {
            vec![
                ("question", qid.clone()),
                ("answer", good_answer(&qid)),
                ("action", "answer".into()),
                ("short", "1".into()),
            ]
        } else {
            vec![("question", qid.clone()), ("action", "skip".into()), ("short", "1".into())]
        };
        let r = s.client.post(s.url(&format!("/loop/{session}"))).form(&form).send().await.unwrap();
        at = location(&r);
    }
    assert!(at.starts_with("/reports/"), "after the last round: {at}");
    let (status, report) = s.get(&at).await;
    assert_eq!(status, 200);
    assert!(report.contains("Loop debrief") && report.contains("Verdict: "), "{report}");
    for round in &pack.rounds {
        assert!(report.contains(&round.name), "the debrief lists {}", round.name);
    }
    assert!(report.contains("Strongest areas") && report.contains("Weakest areas"));

    // The attempts are saved like practice answers, with their round.
    let (_, attempts) = s.get_json("/api/attempts").await;
    let attempts = attempts.as_array().unwrap();
    assert_eq!(attempts.len(), pack.rounds.len());
    assert_eq!(attempts.iter().filter(|a| a["outcome"] == "answered").count(), 1);

    // The loop is over: its page leads to the debrief, which is listed on /loop and in the API.
    let r = s.client.get(s.url(&format!("/loop/{session}?short=1"))).send().await.unwrap();
    assert_eq!(location(&r), at);
    let (_, page) = s.get("/loop").await;
    assert!(page.contains(&format!("href=\"{at}\"")), "{page}");
    let (_, list) = s.get_json("/api/reports").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = at.trim_start_matches("/reports/");
    let (status, one) = s.get_json(&format!("/api/reports/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(one["level"], "senior");
    assert_eq!(one["body"]["rounds"].as_array().unwrap().len(), pack.rounds.len());
}

#[tokio::test]
async fn the_loop_api_mirrors_the_pages() {
    let s = start().await;
    let pack = pack();
    let (status, state) = s.post_json("/api/loop", &json!({ "level": "mid", "short": true })).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["current"], 0);
    assert_eq!(state["rounds"].as_array().unwrap().len(), pack.rounds.len());
    let session = state["session"].as_str().unwrap().to_owned();
    let mut state = state;
    let mut answered = 0;
    while state["current"].is_number() {
        let q = state["question_id"].as_str().unwrap().to_owned();
        let (status, out) = s
            .post_json(
                &format!("/api/loop/{session}/answer"),
                &json!({ "question": q, "answer": good_answer(&q), "short": true }),
            )
            .await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(out["attempt"]["outcome"], "answered");
        answered += 1;
        state = out["loop"].clone();
    }
    assert_eq!(answered, pack.rounds.len());
    let report = state["report"].as_str().expect("the debrief is saved").to_owned();
    let (_, again) = s.get_json(&format!("/api/loop/{session}?short=true")).await;
    assert_eq!(again["report"].as_str(), Some(report.as_str()));
    // A finished loop takes no more answers.
    let q = &pack.questions[0].id;
    let (status, err) = s
        .post_json(&format!("/api/loop/{session}/answer"), &json!({ "question": q, "answer": "more" }))
        .await;
    assert_eq!(status, 400, "{err}");
}

#[tokio::test]
async fn an_answer_with_html_comes_back_escaped_in_the_loop() {
    let s = start().await;
    let (_, state) = s.post_json("/api/loop", &json!({ "short": true })).await;
    let session = state["session"].as_str().unwrap();
    let q = state["question_id"].as_str().unwrap();
    let (status, out) = s
        .post_json(
            &format!("/api/loop/{session}/answer"),
            &json!({ "question": q, "answer": "<script>alert('x')</script> I would check DNS", "short": true }),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let id = out["attempt"]["id"].as_str().unwrap();
    let (_, page) = s.get(&format!("/attempts/{id}")).await;
    assert!(!page.contains("<script>alert"), "raw script in the page");
    assert!(page.contains("&lt;script&gt;"), "the text is shown escaped");
}

#[tokio::test]
async fn unknown_loops_and_reports_are_404() {
    let s = start().await;
    assert_eq!(s.get("/loop/not-a-session").await.0, 404);
    assert_eq!(s.get("/reports/0190a0a0-0000-7000-8000-000000000000").await.0, 404);
    // A practice session is not a loop.
    let q = &pack().questions[0].id;
    let (_, done) = s.post_json("/api/practice/answer", &json!({ "question": q, "action": "skip" })).await;
    let practice = done["session"].as_str().unwrap();
    assert_eq!(s.get_json(&format!("/api/loop/{practice}")).await.0, 404);
}
