//! Sessions as a person at a terminal sees them (through a pseudo-terminal), and what survives when
//! the process is killed in the middle of one.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use super::Home;

#[test]
fn an_interactive_practice_session_prompts_grades_and_probes_at_a_terminal() {
    let home = Home::new();
    let mut cmd = home.command(&["practice", "--topic", "dns", "--count", "1"]);
    cmd.env("TERM", "dumb").env("NO_COLOR", "1");
    // rexpect matches bytes as Latin-1, so every expected string here is plain ASCII.
    let mut p = rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawn in a pty");
    p.exp_string("Why this one:").unwrap();
    p.exp_string("Commands: :hint").unwrap();
    p.send_line(":hint").unwrap();
    p.exp_string("Think about:").unwrap();
    p.send_line("I would lower the TTL to 60 seconds a day before the cutover,").unwrap();
    p.send_line("then switch the record and watch resolver traffic in Grafana.").unwrap();
    p.send_line(".").unwrap();
    p.exp_string("saved (attempt").unwrap();
    p.exp_string("Key points").unwrap();
    p.exp_string("Interviewer follow-up:").unwrap();
    p.exp_string("Answer the follow-up above, or :skip").unwrap();
    p.send_line(":skip").unwrap();
    p.exp_string("Follow-up skipped.").unwrap();
    p.exp_string("Session done: 1 answered").unwrap();
    p.exp_eof().unwrap();
    let saved = home.run(&["history", "--json"]).json();
    assert_eq!(saved[0]["hints"], 1);
    assert!(saved[0]["answer"].as_str().unwrap().contains("resolver traffic"));
}

#[test]
fn an_interactive_review_reveals_then_takes_a_rating() {
    let home = Home::new();
    let mut cmd = home.command(&["review", "--new", "1"]);
    cmd.env("TERM", "dumb").env("NO_COLOR", "1");
    let mut p = rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawn in a pty");
    p.exp_string("Enter shows the answer").unwrap();
    p.send_line("").unwrap();
    p.exp_string("(q stops)").unwrap();
    p.send_line("banana").unwrap();
    p.exp_string("Type 1 (again)").unwrap();
    p.send_line("3").unwrap();
    p.exp_string("next in").unwrap();
    p.exp_string("Done: 1 reviewed").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn answers_acknowledged_before_a_sigkill_are_all_still_stored() {
    let home = Home::new();
    let mut child = home
        .command(&["practice", "--count", "5", "--no-follow-up"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("✓ saved") && tx.send(line).is_err() {
                break;
            }
        }
    });
    let answers = [
        "First answer: lower the TTL ahead of the cutover.",
        "Second answer: check kubectl describe pod for OOMKilled.",
    ];
    for answer in answers {
        writeln!(stdin, "{answer}\n---").unwrap();
        stdin.flush().unwrap();
        rx.recv_timeout(Duration::from_secs(60)).expect("the answer is acknowledged");
    }
    // Killed mid-session, while it waits for the third answer: no chance to clean up.
    child.kill().expect("SIGKILL");
    child.wait().unwrap();

    let saved = home.run(&["history", "--json"]).json();
    let Value::Array(saved) = saved else { panic!("expected an array") };
    let stored: Vec<_> = saved.iter().map(|a| a["answer"].as_str().unwrap()).collect();
    assert_eq!(stored, answers, "every acknowledged answer survives");
    // The interrupted session stays unfinished, and the store still opens and takes new work.
    home.run_with_stdin(&["practice", "--count", "1", "--no-follow-up"], "Third answer after the crash.\n")
        .ok();
    assert_eq!(home.run(&["history", "--json"]).json().as_array().unwrap().len(), 3);
}
