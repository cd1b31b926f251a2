//! End-to-end tests in a real headless Chromium, driven over WebDriver (chromedriver + fantoccini).
//!
//! Each test starts the app in-process on 127.0.0.1:0, a chromedriver on a free port and a
//! browser with a fresh profile, then clicks through a page the way a person would. Without
//! `chromium` and `chromedriver` on the PATH the tests print `skipped: …` and pass — except in CI
//! (`CI=true`), where a missing browser fails them, so the suite cannot silently stop running.
//!
//! `MOCKLOOP_SCREENSHOTS=DIR` also saves screenshots of the pages visited (how
//! `docs/screenshots/` is refreshed).

use std::io::Write as _;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::common::{pack, start, Server};

/// The first of `names` found on the PATH.
fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| std::env::split_paths(&path).map(|d| d.join(n)).find(|p| p.is_file()))
}

/// A browser session; chromedriver is stopped when dropped.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Starts chromedriver and a headless Chromium, or says why not (`None`: skipped).
async fn browser(test: &str) -> Option<Browser> {
    let (Some(chromium), Some(chromedriver)) =
        (which(&["chromium", "chromium-browser", "google-chrome"]), which(&["chromedriver"]))
    else {
        let why =
            "chromium or chromedriver not found on PATH (Debian: apt-get install chromium chromium-driver)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{test}: {why}; CI must run the browser tests");
        }
        // Straight to stderr, not through `eprintln!`, so the line shows even though libtest
        // captures the output of passing tests.
        let _ = writeln!(std::io::stderr(), "skipped: {test}: {why}");
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let driver = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().expect("profile dir");
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let caps = caps.as_object().expect("an object").clone();
    let url = format!("http://127.0.0.1:{port}");
    // chromedriver needs a moment to listen: retry the connection (a readiness wait, not a timing check).
    let mut last = None;
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
            Ok(client) => return Some(Browser { client, driver, _profile: profile }),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{test}: could not start a browser session: {last:?}");
}

impl Browser {
    async fn open(&self, s: &Server, path: &str) {
        self.client.goto(&s.url(path)).await.expect("navigate");
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element `{css}` on the page: {e}"))
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    /// Saves a screenshot when `MOCKLOOP_SCREENSHOTS` names a folder.
    async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("MOCKLOOP_SCREENSHOTS") else { return };
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png).expect("write screenshot");
    }

    async fn done(self) {
        let Browser { client, .. } = &self;
        let _ = client.clone().close().await;
    }
}

#[tokio::test]
async fn e2e_browsing_the_bank_filters_and_expands_a_model_answer() {
    let Some(b) = browser("e2e_browsing_the_bank_filters_and_expands_a_model_answer").await else { return };
    let s = start().await;
    b.open(&s, "/questions").await;
    b.find("select[name=difficulty]").await.select_by_value("hard").await.expect("select");
    b.find("form.filters button[type=submit]").await.click().await.expect("filter");
    b.find("article.card.question").await;
    let url = b.client.current_url().await.unwrap();
    assert!(url.query().unwrap_or("").contains("difficulty=hard"), "{url}");
    let tags: Vec<String> = {
        let mut out = Vec::new();
        for e in b.client.find_all(Locator::Css("article.card.question .diff-hard, article.card.question .diff-easy, article.card.question .diff-medium")).await.unwrap() {
            out.push(e.text().await.unwrap());
        }
        out
    };
    assert!(!tags.is_empty() && tags.iter().all(|t| t == "hard"), "{tags:?}");

    let answer = b.find("article.card.question details .md").await;
    assert!(!answer.is_displayed().await.unwrap(), "the model answer starts folded");
    b.find("article.card.question details summary").await.click().await.unwrap();
    assert!(answer.is_displayed().await.unwrap(), "clicking the summary shows it");
    assert!(!answer.text().await.unwrap().trim().is_empty());
    b.done().await;
}

#[tokio::test]
async fn e2e_answering_a_practice_question_shows_feedback() {
    let Some(b) = browser("e2e_answering_a_practice_question_shows_feedback").await else { return };
    let s = start().await;
    let q = &pack().questions[0];
    b.open(&s, &format!("/practice?question={}", q.id)).await;
    let first_sentence: String = q.answer.split_inclusive('.').take(3).collect();
    b.find("textarea#answer").await.send_keys(&first_sentence).await.unwrap();
    b.find("button[value=answer]").await.click().await.unwrap();
    let score = b.text(".scoreline .score").await;
    assert!(score.contains("/5"), "a score is shown: {score}");
    let url = b.client.current_url().await.unwrap();
    assert!(url.path().starts_with("/attempts/"), "{url}");
    assert!(b.client.source().await.unwrap().contains("Key points") || !b.text("main").await.is_empty());
    b.done().await;
}

#[tokio::test]
async fn e2e_a_short_loop_ends_with_the_debrief() {
    let Some(b) = browser("e2e_a_short_loop_ends_with_the_debrief").await else { return };
    let s = start().await;
    let pack = pack();
    b.open(&s, "/loop").await;
    b.screenshot("loop-start").await;
    b.find("form[action='/loop'] button[type=submit]").await.click().await.unwrap();
    for (i, round) in pack.rounds.iter().enumerate() {
        let heading = b.text(".qhead strong").await;
        assert!(heading.contains(&format!("Round {}/{}", i + 1, pack.rounds.len())), "{heading}");
        assert!(heading.contains(&round.name), "{heading}");
        let countdown = b.text(".countdown").await;
        assert!(countdown.contains(':'), "the countdown shows m:ss: {countdown}");
        if i == 0 {
            b.screenshot("loop-round").await;
        }
        let qid = b.find("input[name=question]").await.attr("value").await.unwrap().unwrap();
        let answer: String = pack.question(&qid).unwrap().answer.split_inclusive('.').take(2).collect();
        b.find("textarea#answer").await.send_keys(&answer).await.unwrap();
        b.find("button[value=answer]").await.click().await.unwrap();
        if i + 1 < pack.rounds.len() {
            b.client
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::XPath(&format!(
                    "//div[contains(@class,'qhead')]//strong[contains(., 'Round {}/')]",
                    i + 2
                )))
                .await
                .expect("the next round");
        }
    }
    let verdict = b.text(".scoreline .verdict").await;
    assert!(verdict.starts_with("Verdict: "), "{verdict}");
    assert!(b.client.current_url().await.unwrap().path().starts_with("/reports/"));
    let page = b.text("main").await;
    assert!(page.contains("Strongest areas") && page.contains("Weakest areas"), "{page}");
    b.screenshot("loop-debrief").await;
    b.done().await;
}

#[tokio::test]
async fn e2e_reviewing_a_flashcard_schedules_it() {
    let Some(b) = browser("e2e_reviewing_a_flashcard_schedules_it").await else { return };
    let s = start().await;
    b.open(&s, "/review").await;
    let rate = b.find("form.ratings button[value='3']").await;
    assert!(!rate.is_displayed().await.unwrap(), "ratings appear with the answer");
    b.find("details.reveal summary").await.click().await.unwrap();
    rate.click().await.unwrap();
    let flash = b.text("p.flash").await;
    assert!(flash.contains("Rated good"), "{flash}");
    b.done().await;
}

#[tokio::test]
async fn e2e_an_answer_with_a_script_tag_is_shown_as_text() {
    let Some(b) = browser("e2e_an_answer_with_a_script_tag_is_shown_as_text").await else { return };
    let s = start().await;
    let q = &pack().questions[0];
    b.open(&s, &format!("/practice?question={}", q.id)).await;
    let typed = "<script>alert('owned')</script> I would lower the TTL first";
    b.find("textarea#answer").await.send_keys(typed).await.unwrap();
    b.find("button[value=answer]").await.click().await.unwrap();
    b.find(".scoreline").await;
    assert!(b.client.get_alert_text().await.is_err(), "a script from the answer ran");
    let page = b.text("main").await;
    assert!(page.contains("<script>alert('owned')</script>"), "the answer is shown as text:\n{page}");
    b.done().await;
}

#[tokio::test]
async fn e2e_team_mode_user_b_cannot_reach_user_a_attempts() {
    let Some(b) = browser("e2e_team_mode_user_b_cannot_reach_user_a_attempts").await else { return };
    let store = crate::common::memory_store().await;
    let packs = tempfile::tempdir().unwrap();
    let config = mockloop_web::WebConfig {
        team: Some(mockloop_web::auth::TeamConfig::default()),
        packs_dir: Some(packs.path().to_path_buf()),
        ..mockloop_web::WebConfig::default()
    };
    let s = crate::common::start_config(store.clone(), config).await;
    let q = &pack().questions[0];

    // Anonymous visitors are sent to the sign-in page, which comes back to where they were going.
    b.open(&s, "/progress").await;
    b.find("form[action='/login'] input[name=password]").await;
    b.screenshot("login").await;
    assert!(b.client.current_url().await.unwrap().as_str().contains("/login?next=%2Fprogress"));

    // A signs up from an invitation link, in the browser, and answers a question.
    let (code_a, _) = mockloop_web::auth::issue_invite(&*store, true, None).await.unwrap();
    b.open(&s, &format!("/signup?invite={code_a}")).await;
    b.find("input#name").await.send_keys("ana").await.unwrap();
    b.find("input#password").await.send_keys("ana's long passphrase").await.unwrap();
    b.find("input#confirm").await.send_keys("ana's long passphrase").await.unwrap();
    b.screenshot("signup").await;
    b.find("form[action='/signup'] button[type=submit]").await.click().await.unwrap();
    assert_eq!(b.text(".account .who").await, "ana");
    b.open(&s, &format!("/practice?question={}", q.id)).await;
    b.find("textarea#answer").await.send_keys(&q.answer).await.unwrap();
    b.find("button[value=answer]").await.click().await.unwrap();
    b.find(".scoreline .score").await;
    let attempt_url = b.client.current_url().await.unwrap();
    assert!(attempt_url.path().starts_with("/attempts/"), "{attempt_url}");

    // A (an administrator here) makes an invitation on the admin page.
    b.open(&s, "/admin").await;
    b.find("form[action='/admin/invites'] button[type=submit]").await.click().await.unwrap();
    let link = b.text("#invite-link").await;
    assert!(link.contains("/signup?invite="), "{link}");
    b.screenshot("admin").await;

    // ... and installs a pack from a .zip (the file input, then the page reports it).
    let zip_path = packs.path().join("upload.zip");
    std::fs::write(
        &zip_path,
        crate::team::pack_zip(|p, t| {
            if p == "pack.toml" {
                t.replacen("name = \"Infrastructure Engineer\"", "name = \"Platform Engineer\"", 1)
            } else {
                t.to_owned()
            }
        }),
    )
    .unwrap();
    b.find("#pack input[type=file]").await.send_keys(&zip_path.display().to_string()).await.unwrap();
    b.find("#pack button[type=submit]").await.click().await.unwrap();
    let notice = b.text("#pack .notice").await;
    assert!(notice.starts_with("Installed Platform Engineer"), "{notice}");
    b.client.execute("document.getElementById('pack').scrollIntoView()", vec![]).await.unwrap();
    b.screenshot("admin-pack").await;

    // Signing out through the header's button.
    b.find(".account form[action='/logout'] button").await.click().await.unwrap();
    b.find("form[action='/login']").await;

    // B signs up with the link and cannot open A's attempt.
    let path = &link[link.find("/signup").unwrap()..];
    b.open(&s, path).await;
    b.find("input#name").await.send_keys("bo").await.unwrap();
    b.find("input#password").await.send_keys("bo's long passphrase").await.unwrap();
    b.find("input#confirm").await.send_keys("bo's long passphrase").await.unwrap();
    b.find("form[action='/signup'] button[type=submit]").await.click().await.unwrap();
    assert_eq!(b.text(".account .who").await, "bo");
    b.client.goto(attempt_url.as_str()).await.unwrap();
    let heading = b.text("main h1").await;
    assert_eq!(heading, "Not found", "B sees no trace of A's attempt");
    assert!(!b.client.source().await.unwrap().contains(&q.answer[..40.min(q.answer.len())]));
    b.open(&s, "/progress").await;
    assert!(
        !b.client.source().await.unwrap().contains(attempt_url.path()),
        "B's progress lists none of A's attempts"
    );
    b.done().await;
}
