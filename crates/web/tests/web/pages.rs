//! The pages render, carry their content, and escape user text.

use crate::common::{good_answer, pack, start};

#[tokio::test]
async fn every_page_renders_with_its_content() {
    let s = start().await;
    let pack = pack();
    let first = &pack.questions[0];
    let cases: Vec<(String, Vec<&str>)> = vec![
        ("/".into(), vec!["Dashboard", "Weakest topics", "Readiness", "day streak"]),
        ("/questions".into(), vec!["Question bank", "<details>", "Model answer", first.id.as_str()]),
        ("/questions?difficulty=hard&category=technical".into(), vec!["Question bank"]),
        ("/questions?q=dns+ttl".into(), vec!["best match first"]),
        (format!("/questions/{}", first.id), vec!["Practise this question", "Key points"]),
        ("/practice".into(), vec!["Why this one:", "name=\"answer\"", "Grade my answer", "data-speak"]),
        ("/review".into(), vec!["Flashcards", "Show answer", "Again"]),
        (
            "/progress".into(),
            vec!["Mean score per practised topic", "Readiness per round", "<svg", "History"],
        ),
        ("/plan".into(), vec!["Make my plan"]),
        ("/plan?go=1&weeks=2&hours_per_day=1".into(), vec!["Download calendar", "/plan.ics?"]),
        ("/role".into(), vec!["Levels", "Compensation", "Rounds", pack.role.name.as_str()]),
    ];
    for (path, wanted) in &cases {
        let (status, body) = s.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        for w in wanted {
            assert!(body.contains(w), "GET {path}: missing {w:?}");
        }
    }
    let css = s.client.get(s.url("/static/app.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
}

#[tokio::test]
async fn unknown_pages_and_questions_get_an_html_404() {
    let s = start().await;
    for path in ["/nope", "/questions/no-such-question", "/attempts/not-an-id"] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "{path}");
        assert!(r.text().await.unwrap().contains("Not found"), "{path}");
    }
}

#[tokio::test]
async fn answering_in_the_form_shows_feedback_with_the_evidence_marked() {
    let s = start().await;
    let id = &pack().questions[0].id;
    let r = s
        .client
        .post(s.url("/practice"))
        .form(&[
            ("question", id.as_str()),
            ("answer", &good_answer(id)),
            ("action", "answer"),
            ("level", "mid"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/attempts/") && location.contains("session="), "{location}");
    let (status, body) = s.get(&location).await;
    assert_eq!(status, 200);
    for w in ["<mark class=\"ok\"", "Key points", "Signals", "Next question", "class=\"score good\""] {
        assert!(body.contains(w), "missing {w:?}");
    }
    // The history lists it.
    let (_, progress) = s.get("/progress").await;
    assert!(progress.contains(&location[..location.find('?').unwrap()]));
}

#[tokio::test]
async fn html_in_an_answer_comes_back_escaped() {
    let s = start().await;
    let id = &pack().questions[0].id;
    let answer = format!("<script>alert(1)</script> {}", good_answer(id));
    let (status, json) =
        s.post_json("/api/practice/answer", &serde_json::json!({ "question": id, "answer": answer })).await;
    assert_eq!(status, 200, "{json}");
    let attempt = json["attempt"]["id"].as_str().unwrap();
    let (status, body) = s.get(&format!("/attempts/{attempt}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "answer not shown escaped");
    assert!(!body.contains("<script>alert(1)"), "raw script in the page");
}

#[tokio::test]
async fn skipping_and_revealing_are_saved_and_show_the_model_answer() {
    let s = start().await;
    let id = &pack().questions[1].id;
    let r = s
        .client
        .post(s.url("/practice"))
        .form(&[("question", id.as_str()), ("action", "reveal")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, body) = s.get(r.headers()["location"].to_str().unwrap()).await;
    assert!(body.contains("You asked for the model answer") && body.contains("Model answer"));
    let r = s
        .client
        .post(s.url("/practice"))
        .form(&[("question", id.as_str()), ("action", "skip")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, body) = s.get(r.headers()["location"].to_str().unwrap()).await;
    assert!(body.contains("Skipped."));
}

#[tokio::test]
async fn the_follow_up_probe_is_asked_and_graded() {
    let s = start().await;
    let pack = pack();
    // A thin answer leaves gaps, so the interviewer probes.
    let q = pack.questions.iter().find(|q| !q.follow_ups.is_empty()).expect("a question with follow-ups");
    let (status, json) = s
        .post_json("/api/practice/answer", &serde_json::json!({ "question": q.id, "answer": "It depends on the setup; I would check the logs first and then decide." }))
        .await;
    assert_eq!(status, 200, "{json}");
    let id = json["attempt"]["id"].as_str().unwrap().to_owned();
    let probe = json["attempt"]["assessment"]["follow_up"].as_str().expect("a follow-up probe").to_owned();
    let (_, page) = s.get(&format!("/attempts/{id}")).await;
    assert!(page.contains("Interviewer follow-up") && page.contains("/practice/follow-up"));
    let r = s
        .client
        .post(s.url("/practice/follow-up"))
        .form(&[("attempt", id.as_str()), ("answer", &good_answer(&q.id))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let (_, page) = s.get(&format!("/attempts/{id}")).await;
    assert!(page.contains("Your follow-up answer"), "probe {probe:?} not answered on the page");
}

#[tokio::test]
async fn a_flashcard_rating_is_saved_and_the_next_card_shown() {
    let s = start().await;
    let (_, page) = s.get("/review").await;
    let start = page.find("name=\"question\" value=\"").expect("a card") + 23;
    let id = &page[start..start + page[start..].find('"').unwrap()];
    let r = s.client.post(s.url("/review")).form(&[("question", id), ("rating", "3")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (status, page) = s.get(r.headers()["location"].to_str().unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains("Rated good; next review in"), "{page}");
}

#[tokio::test]
async fn the_plan_downloads_as_a_calendar() {
    let s = start().await;
    let r = s.client.get(s.url("/plan.ics?weeks=1")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("mockloop-plan.ics"));
    assert!(r.text().await.unwrap().starts_with("BEGIN:VCALENDAR"));
    let (status, page) = s.get("/plan?go=1&weeks=99").await;
    assert_eq!(status, 400);
    assert!(page.contains("weeks must be between 1 and 52"));
}

#[tokio::test]
async fn an_over_long_form_gets_an_html_413_page() {
    let s = start().await;
    let id = &pack().questions[0].id;
    let huge = "word ".repeat(120_000);
    let r = s
        .client
        .post(s.url("/practice"))
        .form(&[("question", id.as_str()), ("answer", &huge)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let body = r.text().await.unwrap();
    assert!(body.contains("Too large") && body.contains("KiB"), "{body}");
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused_and_saves_nothing() {
    let s = start().await;
    let id = &pack().questions[0].id;
    let form = [
        ("question", id.as_str()),
        ("answer", "planted by another site"),
        ("action", "answer"),
        ("level", "mid"),
    ];
    let r = s
        .client
        .post(s.url("/practice"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(r.text().await.unwrap().contains("evil.example"));
    let (status, body) =
        s.post_json("/api/practice/answer", &serde_json::json!({ "question": id, "answer": "x" })).await;
    assert_eq!(status, 200, "{body}");
    let r = s
        .client
        .post(s.url("/api/practice/answer"))
        .header("sec-fetch-site", "cross-site")
        .json(&serde_json::json!({ "question": id, "answer": "planted by another site" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (_, progress) = s.get("/progress").await;
    assert!(!progress.contains("planted by another site"));
    // The same form from the app's own origin goes through.
    let own = s.base.clone();
    let r = s.client.post(s.url("/practice")).header("origin", own).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
}
