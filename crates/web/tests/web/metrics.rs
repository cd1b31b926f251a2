//! `/metrics`: what an operator's Prometheus scrapes.

use serde_json::json;

use crate::common::{good_answer, memory_store, pack, start, start_config};

/// The value of the sample line starting with `series ` (`name{labels}`).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_answers_by_grading_path() {
    let s = start().await;
    let pack = pack();
    let (a, b) = (&pack.questions[0].id, &pack.questions[1].id);
    assert_eq!(s.get(&format!("/questions/{a}")).await.0, 200);
    assert_eq!(s.get(&format!("/questions/{b}")).await.0, 200);
    assert_eq!(s.get("/no-such-page").await.0, 404);
    let (status, _) =
        s.post_json("/api/practice/answer", &json!({ "question": a, "answer": good_answer(a) })).await;
    assert_eq!(status, 200);

    let r = s.client.get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = r.text().await.unwrap();

    // Both question pages fall under one template: ids never become labels.
    let page = r#"route="/questions/{id}",method="GET",status="2xx""#;
    assert_eq!(
        sample(&text, &format!("mockloop_http_request_duration_seconds_count{{{page}}}")),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, &format!("mockloop_http_request_duration_seconds_bucket{{{page},le=\"+Inf\"}}")),
        Some(2.0)
    );
    assert!(!text.contains(a.as_str()), "a raw path leaked into the labels:\n{text}");
    let unknown = r#"route="unmatched",method="GET",status="4xx""#;
    assert_eq!(
        sample(&text, &format!("mockloop_http_request_duration_seconds_count{{{unknown}}}")),
        Some(1.0)
    );
    let answer = r#"route="/api/practice/answer",method="POST",status="2xx""#;
    assert_eq!(
        sample(&text, &format!("mockloop_http_request_duration_seconds_count{{{answer}}}")),
        Some(1.0)
    );

    assert_eq!(sample(&text, r#"mockloop_answers_graded_total{path="lexical"}"#), Some(1.0));
    assert_eq!(sample(&text, r#"mockloop_answers_graded_total{path="semantic"}"#), Some(0.0));
    assert_eq!(sample(&text, "mockloop_grading_rejected_total"), Some(0.0));
    assert_eq!(sample(&text, "mockloop_http_server_errors_total"), Some(0.0));
    // The scrape itself is in flight while the page is rendered.
    assert_eq!(sample(&text, "mockloop_http_requests_in_flight"), Some(1.0));
}

#[tokio::test]
async fn metrics_count_overload_rejections_as_server_errors() {
    let config =
        mockloop_web::WebConfig { max_grading: 0, max_queued: 0, ..mockloop_web::WebConfig::default() };
    let s = start_config(memory_store().await, config).await;
    let id = &pack().questions[0].id;
    let (status, _) =
        s.post_json("/api/practice/answer", &json!({ "question": id, "answer": "an answer" })).await;
    assert_eq!(status, 503);
    let (_, text) = s.get("/metrics").await;
    assert_eq!(sample(&text, "mockloop_grading_rejected_total"), Some(1.0), "{text}");
    assert_eq!(sample(&text, "mockloop_http_server_errors_total"), Some(1.0));
    assert_eq!(sample(&text, r#"mockloop_answers_graded_total{path="lexical"}"#), Some(0.0));
    let rejected = r#"route="/api/practice/answer",method="POST",status="5xx""#;
    assert_eq!(
        sample(&text, &format!("mockloop_http_request_duration_seconds_count{{{rejected}}}")),
        Some(1.0)
    );
}
