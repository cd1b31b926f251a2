//! `mockloop default-config` and how `serve` layers its settings (checked with `--print-config`,
//! which resolves everything and exits without listening).

use crate::Home;

#[test]
fn default_config_prints_a_commented_file_that_serve_accepts() {
    let home = Home::new();
    let example = home.run(&["default-config"]);
    let text = example.ok().to_owned();
    assert!(text.contains("#max_grading = ") && text.contains("MOCKLOOP_CONFIG"), "{text}");
    let path = home.write("mockloop.toml", &text);
    let out = home.run(&["serve", "--config", &path, "--print-config"]);
    assert!(out.ok().contains("addr = \"127.0.0.1:8080\""), "{}", out.stdout);
}

#[test]
fn serve_layers_defaults_file_environment_and_flags() {
    let home = Home::new();
    let path = home.write(
        "mockloop.toml",
        "addr = \"127.0.0.1:9001\"\nuser = \"from-file\"\nmax_queued = 7\nmax_grading = 3\n",
    );
    let out = home
        .command(&["serve", "--print-config", "--max-grading", "5"])
        .env("MOCKLOOP_CONFIG", &path)
        .env("MOCKLOOP_MAX_QUEUED", "9")
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("addr = \"127.0.0.1:9001\""), "file over default:\n{stdout}");
    assert!(stdout.contains("user = \"from-file\""), "file over default:\n{stdout}");
    assert!(stdout.contains("max_queued = 9"), "environment over file:\n{stdout}");
    assert!(stdout.contains("max_grading = 5"), "flag over file:\n{stdout}");
    assert!(stdout.contains("body_limit = 262144"), "default:\n{stdout}");

    // A flag also beats the environment.
    let out = home
        .command(&["serve", "--print-config", "--config", &path, "--user", "from-flag"])
        .env("MOCKLOOP_USER", "from-env")
        .output()
        .expect("runs");
    assert!(String::from_utf8(out.stdout).unwrap().contains("user = \"from-flag\""));
}

#[test]
fn a_bad_config_file_names_the_file_the_line_and_the_field() {
    let home = Home::new();
    let path = home.write("mockloop.toml", "user = \"ana\"\nmax_queue = 3\n");
    let out = home.run(&["serve", "--config", &path, "--print-config"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains(&format!("{path}:2:1: field `max_queue`")), "{}", out.stderr);
    assert!(out.stderr.contains("unknown field"), "{}", out.stderr);

    let missing = home.dir.path().join("no-such.toml").display().to_string();
    let out = home.run(&["serve", "--config", &missing, "--print-config"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains(&format!("reading the config file {missing}")), "{}", out.stderr);
}

#[test]
fn serve_refuses_other_addresses_without_team_mode() {
    let home = Home::new();
    let out = home.run(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("without accounts") && out.stderr.contains("--multi-user"), "{}", out.stderr);
    let out = home.run(&["serve", "--addr", "0.0.0.0:0", "--multi-user", "--print-config"]);
    let text = out.ok();
    assert!(text.contains("multi_user = true") && text.contains("session_hours = 168"), "{text}");
}

#[test]
fn the_first_team_mode_start_prints_a_working_link_for_the_administrator() {
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    let home = Home::new();
    let mut child = home
        .command(&["serve", "--multi-user", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let running = lines.next().unwrap().unwrap();
    assert!(running.contains("team mode"), "{running}");
    assert!(lines.next().unwrap().unwrap().contains("No accounts yet"));
    let link = lines.next().unwrap().unwrap().trim().to_owned();
    let rest = link.strip_prefix("http://").expect("a link");
    let (host, path) = rest.split_once('/').unwrap();
    assert!(path.starts_with("signup?invite="), "{link}");
    let mut conn = std::net::TcpStream::connect(host).unwrap();
    write!(conn, "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut page = String::new();
    conn.read_to_string(&mut page).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        page.contains("Create your account") && page.contains("name=\"invite\""),
        "the link opens the sign-up form"
    );
}

#[test]
fn invite_prints_a_fresh_one_time_link_each_time() {
    let home = Home::new();
    let first = home.run(&["invite", "--admin", "--url", "https://mockloop.example.org/"]);
    let link = first.ok().trim().to_owned();
    let code =
        link.strip_prefix("https://mockloop.example.org/signup?invite=").expect("the link names the server");
    assert!(code.len() == 64 && code.chars().all(|c| c.is_ascii_hexdigit()), "{link}");
    assert!(first.stderr.contains("administrator") && first.stderr.contains("one time"), "{}", first.stderr);
    let second = home.run(&["invite"]);
    assert!(second.ok().starts_with("http://127.0.0.1:8080/signup?invite="));
    assert_ne!(second.stdout.trim(), link);
}
