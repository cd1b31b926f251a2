//! The JSON API: the practice story, and errors with the right status and a JSON body.

use serde_json::json;

use crate::common::{good_answer, memory_store, pack, start, start_config, Server};

/// Next question → answer → stored attempt with feedback → stats → review → plan. Run against
/// every backend.
pub async fn practice_story(s: &Server) {
    let (status, next) = s.get_json("/api/practice/next?level=senior").await;
    assert_eq!(status, 200, "{next}");
    let q = next["question"]["id"].as_str().expect("a question").to_owned();
    assert!(!next["question"]["reason"].as_str().unwrap().is_empty());
    assert!(!next["question"]["prompt"].as_str().unwrap().is_empty());

    let (status, done) = s
        .post_json(
            "/api/practice/answer",
            &json!({ "question": q, "answer": good_answer(&q), "level": "senior" }),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    let attempt = &done["attempt"];
    let id = attempt["id"].as_str().unwrap().to_owned();
    let session = done["session"].as_str().unwrap().to_owned();
    assert_eq!(attempt["outcome"], "answered");
    assert!(
        attempt["score"].as_f64().unwrap() > 2.0,
        "a model answer should score well: {}",
        attempt["score"]
    );
    let kps = attempt["assessment"]["key_points"].as_array().unwrap();
    assert!(kps.iter().any(|k| k["evidence"]["start"].is_u64()), "evidence spans are returned");
    assert!(done["card_due"].is_string());
    assert!(!done["abilities"].as_array().unwrap().is_empty(), "abilities move after a graded answer");

    // Stored: readable by id and in the list.
    let (status, stored) = s.get_json(&format!("/api/attempts/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(stored["answer"].as_str().unwrap(), good_answer(&q));
    let (_, list) = s.get_json("/api/attempts").await;
    assert!(list.as_array().unwrap().iter().any(|a| a["id"] == id.as_str()));

    // The session goes on without repeating the question.
    let (_, next2) = s.get_json(&format!("/api/practice/next?level=senior&session={session}")).await;
    assert_ne!(next2["question"]["id"].as_str().unwrap(), q);

    let (status, stats) = s.get_json("/api/stats").await;
    assert_eq!(status, 200);
    assert_eq!(stats["totals"]["answered"], 1);

    // The answered question's card exists; rating it works.
    let (status, rated) = s.post_json("/api/review/rate", &json!({ "question": q, "rating": "good" })).await;
    assert_eq!(status, 200, "{rated}");
    assert_eq!(rated["rating"], "good");
    let (status, due) = s.get_json("/api/review/due").await;
    assert_eq!(status, 200);
    assert!(due.as_array().unwrap().iter().all(|c| c["prompt"].is_string()));

    let (status, plan) = s.get_json("/api/plan?weeks=2&level=senior").await;
    assert_eq!(status, 200, "{plan}");
    assert_eq!(plan["days"].as_array().unwrap().len(), 14);
}

#[tokio::test]
async fn answering_through_the_api_stores_an_attempt_and_returns_feedback() {
    practice_story(&start().await).await;
}

#[tokio::test]
async fn unknown_questions_and_attempts_are_404_json() {
    let s = start().await;
    let (status, body) = s.get_json("/api/questions/no-such-question").await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("no-such-question"));
    let (status, body) =
        s.post_json("/api/practice/answer", &json!({ "question": "nope", "answer": "x" })).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = s.get_json("/api/attempts/0190a0a0-0000-7000-8000-000000000000").await;
    assert_eq!(status, 404, "{body}");
    assert!(body["error"].is_string());
    let (status, body) = s.get_json("/api/no/such/route").await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("openapi.json"));
}

#[tokio::test]
async fn an_over_long_body_is_413_json() {
    let s = start().await;
    let id = &pack().questions[0].id;
    // Bigger than the body limit: refused before it is buffered.
    let huge = "word ".repeat(120_000);
    let (status, body) =
        s.post_json("/api/practice/answer", &json!({ "question": id, "answer": huge })).await;
    assert_eq!(status, 413, "{body}");
    assert!(body["error"].as_str().unwrap().contains("KiB"), "{body}");
    // Under the body limit but over what the grader accepts.
    let long = "word ".repeat(14_000);
    let (status, body) =
        s.post_json("/api/practice/answer", &json!({ "question": id, "answer": long })).await;
    assert_eq!(status, 413, "{body}");
    assert!(body["error"].as_str().unwrap().contains("at most"), "{body}");
    // The server is still fine.
    assert_eq!(s.get_json("/healthz").await.0, 200);
}

#[tokio::test]
async fn bad_requests_say_what_is_wrong() {
    let s = start().await;
    let id = &pack().questions[0].id;
    let (status, body) =
        s.post_json("/api/practice/answer", &json!({ "question": id, "answer": "   " })).await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("empty"));
    let (status, body) = s.get_json("/api/questions?difficulty=impossible").await;
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("easy, medium or hard"));
    let (status, _) = s.get_json("/api/practice/next?level=wizard").await;
    assert_eq!(status, 400);
    let (status, body) = s.post_json("/api/review/rate", &json!({ "question": id, "rating": "7" })).await;
    assert_eq!(status, 400, "{body}");
    let r = s.client.post(s.url("/api/practice/answer")).body("question=x").send().await.unwrap();
    assert_eq!(r.status(), 415);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("JSON"));
    let r = s
        .client
        .post(s.url("/api/practice/answer"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn questions_can_be_listed_filtered_and_searched() {
    let s = start().await;
    let (status, all) = s.get_json("/api/questions").await;
    assert_eq!(status, 200);
    assert_eq!(all["count"].as_u64().unwrap() as usize, pack().questions.len());
    let (_, hard) = s.get_json("/api/questions?difficulty=hard").await;
    assert!(hard["questions"].as_array().unwrap().iter().all(|q| q["difficulty"] == "hard"));
    let (_, found) = s.get_json("/api/questions?q=terraform+state").await;
    assert!(found["count"].as_u64().unwrap() > 0);
    let first = found["questions"][0]["id"].as_str().unwrap();
    let (status, q) = s.get_json(&format!("/api/questions/{first}")).await;
    assert_eq!(status, 200);
    assert!(q["answer"].is_string() && q["key_points"].is_array());
}

#[tokio::test]
async fn health_and_readiness() {
    let s = start().await;
    let (status, body) = s.get_json("/healthz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let (status, body) = s.get_json("/readyz").await;
    assert_eq!((status, body["store"].as_str()), (200, Some("sqlite")));
}

#[tokio::test]
async fn when_the_grading_queue_is_full_answers_get_503_with_retry_after() {
    let config =
        mockloop_web::WebConfig { max_grading: 0, max_queued: 0, ..mockloop_web::WebConfig::default() };
    let s = start_config(memory_store().await, config).await;
    let id = &pack().questions[0].id;
    let r = s
        .client
        .post(s.url("/api/practice/answer"))
        .json(&json!({ "question": id, "answer": "an answer" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("busy"));
    // Nothing was saved, and pages that do not grade still work.
    let (_, list) = s.get_json("/api/attempts").await;
    assert_eq!(list.as_array().unwrap().len(), 0);
    assert_eq!(s.get("/questions").await.0, 200);
}
