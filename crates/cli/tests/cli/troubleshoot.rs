//! `mockloop troubleshoot`: list, a scripted session on stdin, the JSON debrief, and `pack check`
//! reporting scenario problems.

use serde_json::Value;

use crate::{copy_dir, run, run_with_stdin, shipped_pack};

/// A methodical session on the OOMKilled scenario, ending with a written explanation.
const SESSION: &str = "\
kubectl get pods
kubectl describe pod checkout-7d4b9c8f6-qm5tj
frobnicate
help
kubectl top pods | grep checkout
kubectl set resources deployment/checkout -c checkout --limits=memory=1Gi --requests=memory=768Mi
kubectl get pods
solve
The checkout pods were OOMKilled with exit code 137: memory exceeded the 512Mi memory limit at
peak traffic, and each restart left fewer replicas to take the load. I raised the memory limit
to 1Gi with kubectl set resources instead of restarting the pods.
.
";

#[test]
fn troubleshoot_list_shows_every_shipped_scenario() {
    let text = run(&["troubleshoot", "list"]).ok().to_owned();
    for id in ["k8s-oomkilled-peak", "dns-ttl-migration", "terraform-stale-lock", "tls-cert-expired"] {
        assert!(text.contains(id), "{text}");
    }
    let Value::Array(items) = run(&["troubleshoot", "list", "--json"]).json() else { panic!("an array") };
    assert!(items.len() >= 8, "{items:?}");
    assert!(items.iter().all(|s| s["rounds"].as_array().is_some_and(|r| !r.is_empty())));
}

#[test]
fn a_scripted_session_shows_the_symptom_clock_outputs_and_debrief() {
    let out = run_with_stdin(&["troubleshoot", "k8s-oomkilled-peak"], SESSION);
    let text = out.ok();
    // The symptom and a prompt with elapsed/budget time, echoing each scripted command.
    assert!(text.contains("PagerDuty"), "{text}");
    assert!(text.contains("/20:00] $ kubectl get pods\n"), "{text}");
    // Simulated tool output, pipes, unknown commands and help.
    assert!(text.contains("checkout-7d4b9c8f6-qm5tj    0/1     OOMKilled"), "{text}");
    assert!(text.contains("Reason:       OOMKilled"), "{text}");
    assert!(text.contains("bash: frobnicate: command not found"), "{text}");
    assert!(text.contains("Tools available here: curl, kubectl"), "{text}");
    assert!(text.contains("checkout-7d4b9c8f6-9wzrt    912m         507Mi\n"), "{text}");
    assert!(!text.contains("cart-5c9d7b6f4-2lq8v        41m"), "grep filters the output: {text}");
    // After the fix the state changed: new pods.
    assert!(text.contains("checkout-5f8c6d7b9-b2mxw    1/1     Running"), "{text}");
    // The explanation prompt and the debrief.
    assert!(text.contains("Clock stopped at"), "{text}");
    assert!(text.contains("Debrief: Checkout pods keep restarting"), "{text}");
    assert!(text.contains("✓ resolved at"), "{text}");
    assert!(text.contains("✓ systematic"), "{text}");
    assert!(text.contains("What happened"), "{text}");
}

#[test]
fn json_prints_only_the_debrief_on_stdout() {
    let out = run_with_stdin(&["troubleshoot", "k8s-oomkilled-peak", "--json"], SESSION);
    let d = out.json();
    assert_eq!(d["scenario"], "k8s-oomkilled-peak");
    assert_eq!(d["solved"], true);
    assert_eq!(d["systematic"], true);
    assert_eq!(d["final_state"], "fixed");
    assert!(d["risky_actions"].as_array().is_some_and(Vec::is_empty));
    let score = d["score"].as_f64().expect("score");
    assert!(score >= 3.5, "{d}");
    assert!(d["explanation"]["key_points"].as_array().is_some_and(|k| k.len() == 5));
    assert!(out.stderr.contains("PagerDuty"), "the session goes to stderr");
}

#[test]
fn a_risky_blind_restart_is_flagged_in_the_debrief() {
    let script = "kubectl rollout restart deployment/checkout\nsolve\nI restarted it.\n";
    let d = run_with_stdin(&["troubleshoot", "k8s-oomkilled-peak", "--json"], script).json();
    assert_eq!(d["solved"], false);
    assert_eq!(d["systematic"], false);
    assert_eq!(d["risky_actions"][0]["command"], "kubectl rollout restart deployment/checkout");
    assert!(d["score"].as_f64().expect("score") <= 2.5, "{d}");
}

#[test]
fn end_of_input_ends_the_session_with_a_debrief() {
    let text =
        run_with_stdin(&["troubleshoot", "dns-ttl-migration"], "dig api.example.com\n").ok().to_owned();
    assert!(text.contains("203.0.113.10"), "{text}");
    assert!(text.contains("✗ not resolved"), "{text}");
}

#[test]
fn an_unknown_scenario_is_an_error_that_points_at_list() {
    let out = run(&["troubleshoot", "no-such-thing"]);
    assert_eq!(out.code, Some(2), "errors exit with 2");
    assert!(out.stderr.contains("mockloop troubleshoot list"), "{}", out.stderr);
}

#[test]
fn pack_check_reports_scenario_problems_with_path_and_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("pack");
    copy_dir(&shipped_pack(), &dir);
    let file = dir.join("scenarios/terraform-stale-lock.toml");
    let text = std::fs::read_to_string(&file).expect("read scenario");
    std::fs::write(&file, text.replacen(r#"to = "unlocked""#, r#"to = "unlockd""#, 1)).expect("write");
    let shown = dir.display().to_string();
    let out = run(&["pack", "check", &shown]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("points at unknown state `unlockd`"))
        .unwrap_or_else(|| panic!("{}", out.stderr));
    assert!(line.starts_with(&format!("{shown}/scenarios/terraform-stale-lock.toml:")), "{line}");
}
