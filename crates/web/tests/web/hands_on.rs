//! Hands-on rounds in the browser and the API: Terraform exercises and troubleshooting scenarios.

use crate::common::{hands_on, start};

const EXERCISE: &str = "tf-asg-launch-template";
const SCENARIO: &str = "k8s-oomkilled-peak";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn exercise() -> mockloop_exercise::Exercise {
    hands_on().0.into_iter().find(|e| e.id == EXERCISE).expect("shipped exercise")
}

/// The fix path shipped with the scenario's tests: commands, `---`, the explanation.
fn fix_path() -> (Vec<String>, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../scenario/tests/fix-paths/{SCENARIO}.txt"));
    let text = std::fs::read_to_string(path).expect("fix path");
    let (commands, explanation) = text.split_once("\n---\n").expect("a `---` line");
    let commands = commands
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    (commands, explanation.trim().to_owned())
}

fn form_files(files: &[mockloop_exercise::SourceFile]) -> Vec<(String, String)> {
    files
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            [(format!("file{i}_path"), f.path.clone()), (format!("file{i}_text"), f.text.clone())]
        })
        .collect()
}

#[tokio::test]
async fn pages_list_the_hands_on_tasks_and_the_nav_links_them() {
    let s = start().await;
    let (status, body) = s.get("/").await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"href="/exercises""#) && body.contains(r#"href="/troubleshoot""#));
    let (status, body) = s.get("/exercises").await;
    assert_eq!(status, 200);
    assert!(body.contains(&format!("/exercises/{EXERCISE}")));
    let (status, body) = s.get("/troubleshoot").await;
    assert_eq!(status, 200);
    assert!(body.contains(&format!("/troubleshoot/{SCENARIO}")));
    let (status, body) = s.get(&format!("/exercises/{EXERCISE}")).await;
    assert_eq!(status, 200);
    let e = exercise();
    assert!(body.contains("<textarea"), "an editor per file");
    assert!(body.contains(&escape(&e.starter[0].path)));
    let (status, body) = s.get(&format!("/troubleshoot/{SCENARIO}")).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<pre") && body.contains(r#"name="command""#) && body.contains(r#"name="explanation""#)
    );
    assert_eq!(s.get("/exercises/no-such-thing").await.0, 404);
    assert_eq!(s.get("/troubleshoot/no-such-thing").await.0, 404);
}

#[tokio::test]
async fn the_reference_solution_passes_through_the_form_and_the_api_and_a_wrong_edit_fails() {
    let s = start().await;
    let e = exercise();
    // The form.
    let resp = s
        .client
        .post(s.url(&format!("/exercises/{EXERCISE}")))
        .form(&form_files(&e.solution))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let body = resp.text().await.unwrap();
    assert!(!body.contains("FAIL"), "the reference solution fails in the form: {body}");
    let total = mockloop_exercise::check(&e, &e.solution).total;
    assert!(body.contains(&format!("{total} of {total} checks pass")));
    // The edited text is kept in the editor.
    let first_line = e.solution[0].text.lines().find(|l| !l.trim().is_empty()).unwrap();
    assert!(body.contains(&escape(first_line)));

    // The API.
    let files: Vec<_> =
        e.solution.iter().map(|f| serde_json::json!({ "path": f.path, "text": f.text })).collect();
    let (status, report) = s
        .post_json(&format!("/api/exercises/{EXERCISE}/check"), &serde_json::json!({ "files": files }))
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["passed"], report["total"]);
    assert_eq!(report["score"].as_f64(), Some(5.0));

    // A wrong edit (the untouched starter, with HTML in a comment): fails with the check's message.
    let mut wrong = e.starter.clone();
    wrong[0].text = format!("# <script>alert(1)</script>\n{}", wrong[0].text);
    let expected = mockloop_exercise::check(&e, &wrong);
    let failing = expected.results.iter().find(|r| !r.passed).expect("the starter fails a check");
    let resp = s
        .client
        .post(s.url(&format!("/exercises/{EXERCISE}")))
        .form(&form_files(&wrong))
        .send()
        .await
        .unwrap();
    let body = resp.text().await.unwrap();
    assert!(body.contains("FAIL"));
    assert!(body.contains(&escape(&failing.message)), "missing `{}`", failing.message);
    if let Some(loc) = &failing.location {
        assert!(body.contains(&format!("{}:{}", escape(&loc.file), loc.line)));
    }
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!body.contains("<script>alert(1)"));
    let files: Vec<_> = wrong.iter().map(|f| serde_json::json!({ "path": f.path, "text": f.text })).collect();
    let (status, report) = s
        .post_json(&format!("/api/exercises/{EXERCISE}/check"), &serde_json::json!({ "files": files }))
        .await;
    assert_eq!(status, 200);
    assert!(report["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["passed"] == false && r["message"] == failing.message.as_str()));

    // Parse errors come back with file:line.
    let broken = serde_json::json!({ "files": [{ "path": "main.tf", "text": "resource \"aws_s3_bucket\" \"b\" {\n" }] });
    let (status, report) = s.post_json(&format!("/api/exercises/{EXERCISE}/check"), &broken).await;
    assert_eq!(status, 200);
    assert!(!report["parse_errors"].as_array().unwrap().is_empty());
    let resp = s
        .client
        .post(s.url(&format!("/exercises/{EXERCISE}")))
        .form(&[("file0_path", "main.tf"), ("file0_text", "resource \"aws_s3_bucket\" \"b\" {\n")])
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("main.tf:"));

    // A bad file name is refused.
    let bad = serde_json::json!({ "files": [{ "path": "../etc/passwd", "text": "" }] });
    assert_eq!(s.post_json(&format!("/api/exercises/{EXERCISE}/check"), &bad).await.0, 400);

    // Every check was saved as an attempt of round coding-iac.
    let (_, attempts) = s.get_json(&format!("/api/attempts?question={EXERCISE}")).await;
    let attempts = attempts.as_array().unwrap();
    assert_eq!(attempts.len(), 6, "{attempts:?}");
    assert!(attempts.iter().any(|a| a["score"].as_f64() == Some(5.0) && a["outcome"] == "answered"));
}

#[tokio::test]
async fn the_fix_path_through_the_api_ends_solved_and_is_saved() {
    let s = start().await;
    let (commands, explanation) = fix_path();
    let (status, out) = s
        .post_json(&format!("/api/troubleshoot/{SCENARIO}"), &serde_json::json!({ "commands": commands }))
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["solved"], true);
    assert!(out["debrief"].is_null() && out["attempt"].is_null());
    assert_eq!(out["steps"].as_array().unwrap().len(), commands.len());
    let (_, attempts) = s.get_json(&format!("/api/attempts?question={SCENARIO}")).await;
    assert!(attempts.as_array().unwrap().is_empty(), "no attempt without an explanation");

    let body =
        serde_json::json!({ "commands": commands, "explanation": explanation, "elapsed_seconds": 600 });
    let (status, out) = s.post_json(&format!("/api/troubleshoot/{SCENARIO}"), &body).await;
    assert_eq!(status, 200, "{out}");
    let d = &out["debrief"];
    assert_eq!(d["solved"], true);
    assert!(d["score"].as_f64().unwrap() >= 3.0, "{d}");
    let (_, attempts) = s.get_json(&format!("/api/attempts?question={SCENARIO}")).await;
    let attempts = attempts.as_array().unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0]["id"], out["attempt"]);
    assert!(attempts[0]["answer"].as_str().unwrap().contains("$ kubectl set resources"));
    assert_eq!(s.post_json("/api/troubleshoot/nope", &serde_json::json!({})).await.0, 404);
}

#[tokio::test]
async fn the_terminal_panel_replays_commands_escapes_them_and_finishes_with_a_debrief() {
    let s = start().await;
    let (commands, explanation) = fix_path();
    let started = (chrono::Utc::now().timestamp() - 300).to_string();
    let url = s.url(&format!("/troubleshoot/{SCENARIO}"));
    // One command through the form: its output is on the page, the typed commands carried along.
    let resp = s
        .client
        .post(&url)
        .form(&[
            ("commands", commands[..2].join("\n").as_str()),
            ("started", started.as_str()),
            ("action", "run"),
            ("command", commands[2].as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let body = resp.text().await.unwrap();
    for c in &commands[..3] {
        assert!(body.contains(&escape(c)), "missing {c}");
    }
    assert!(body.contains(&escape(&commands[..3].join("\n"))), "the hidden field carries the commands");

    // HTML typed as a command is shown escaped.
    let resp = s
        .client
        .post(&url)
        .form(&[
            ("commands", ""),
            ("started", started.as_str()),
            ("action", "run"),
            ("command", "<script>alert(1)</script>"),
        ])
        .send()
        .await
        .unwrap();
    let body = resp.text().await.unwrap();
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!body.contains("<script>alert(1)"));

    // Finish: the debrief, and the attempt.
    let all = commands.join("\n");
    let resp = s
        .client
        .post(&url)
        .form(&[
            ("commands", all.as_str()),
            ("started", started.as_str()),
            ("action", "finish"),
            ("explanation", explanation.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Debrief") && body.contains("Fixed: <strong>yes</strong>"), "{body}");
    let (_, attempts) = s.get_json(&format!("/api/attempts?question={SCENARIO}")).await;
    let attempts = attempts.as_array().unwrap();
    assert_eq!(attempts.len(), 1);
    assert!(attempts[0]["score"].as_f64().unwrap() >= 3.0);
}
