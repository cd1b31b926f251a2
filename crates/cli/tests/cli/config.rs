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
