//! Team mode over real HTTP, on SQLite and (when `MOCKLOOP_TEST_POSTGRES` is set) PostgreSQL:
//! invitations, sign-up, sign-in with its rate limit, anti-forgery tokens, per-user isolation,
//! administrator rights and signing out.

use std::sync::Arc;

use mockloop_store::Store;
use mockloop_store_postgres::PostgresStore;
use mockloop_web::auth::TeamConfig;
use mockloop_web::WebConfig;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{json, Value};

use crate::common::{good_answer, memory_store, start_config, Server};

/// A signed-in browser or API client: its cookie and anti-forgery token.
#[derive(Clone)]
pub struct Who {
    pub cookie: String,
    pub csrf: String,
    pub name: String,
}

fn session_cookie(resp: &reqwest::Response) -> String {
    let set = resp.headers().get(SET_COOKIE).expect("Set-Cookie").to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    set.split(';').next().unwrap().to_owned()
}

pub async fn start_team(store: Arc<dyn Store>) -> Server {
    start_config(store, WebConfig { team: Some(TeamConfig::default()), ..WebConfig::default() }).await
}

/// Signs up with an invitation code through the API.
pub async fn sign_up(s: &Server, code: &str, name: &str) -> Who {
    let r = s
        .client
        .post(s.url("/api/signup"))
        .json(&json!({ "invite": code, "name": name, "password": format!("{name} long passphrase") }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "sign-up of {name}");
    let cookie = session_cookie(&r);
    let me: Value = r.json().await.unwrap();
    Who { cookie, csrf: me["csrf"].as_str().unwrap().to_owned(), name: name.to_owned() }
}

async fn get(s: &Server, who: Option<&Who>, path: &str) -> (u16, String) {
    let mut req = s.client.get(s.url(path));
    if let Some(w) = who {
        req = req.header(COOKIE, &w.cookie);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, location.unwrap_or(r.text().await.unwrap()))
}

async fn post_json(s: &Server, who: &Who, path: &str, body: &Value, csrf: Option<&str>) -> (u16, Value) {
    let mut req = s.client.post(s.url(path)).header(COOKIE, &who.cookie).json(body);
    if let Some(t) = csrf {
        req = req.header("x-csrf-token", t);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post_form(s: &Server, who: &Who, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = s.client.post(s.url(path)).header(COOKIE, &who.cookie).form(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", &mockloop_domain::UserId::new().to_string()[24..])
}

/// Creates an administrator (first-run invitation) and two members invited by it.
pub async fn admin_and_two_members(s: &Server, store: &dyn Store) -> (Who, Who, Who) {
    let (code, _) = mockloop_web::auth::issue_invite(store, true, None).await.unwrap();
    let admin = sign_up(s, &code, &unique("admin-")).await;
    let mut members = Vec::new();
    for who in ["ana-", "bo-"] {
        let (status, inv) = post_json(s, &admin, "/api/admin/invites", &json!({}), Some(&admin.csrf)).await;
        assert_eq!(status, 201, "{inv}");
        assert!(inv["link"].as_str().unwrap().contains("/signup?invite="));
        members.push(sign_up(s, inv["code"].as_str().unwrap(), &unique(who)).await);
    }
    let b = members.pop().unwrap();
    let a = members.pop().unwrap();
    (admin, a, b)
}

async fn team_story(store: Arc<dyn Store>) {
    let s = start_team(store.clone()).await;

    // Anonymous: health is public, data is not; pages send the browser to sign in.
    assert_eq!(get(&s, None, "/healthz").await.0, 200);
    assert_eq!(get(&s, None, "/api/attempts").await.0, 401);
    assert_eq!(
        get(&s, None, "/practice?topic=dns").await,
        (303, "/login?next=%2Fpractice%3Ftopic%3Ddns".into())
    );
    let (status, login) = get(&s, None, "/login").await;
    assert!(status == 200 && login.contains("name=\"password\""), "{status}");

    let (admin, a, b) = admin_and_two_members(&s, &*store).await;

    // A answers; the attempt is A's alone.
    let (_, q) = get(&s, Some(&a), "/api/practice/next?level=senior").await;
    let q: Value = serde_json::from_str(&q).unwrap();
    let qid = q["question"]["id"].as_str().unwrap().to_owned();
    let answer = json!({ "question": qid, "answer": good_answer(&qid), "level": "senior" });
    let (status, done) = post_json(&s, &a, "/api/practice/answer", &answer, Some(&a.csrf)).await;
    assert_eq!(status, 200, "{done}");
    let id = done["attempt"]["id"].as_str().unwrap().to_owned();
    assert_eq!(get(&s, Some(&a), &format!("/api/attempts/{id}")).await.0, 200);
    assert_eq!(get(&s, Some(&a), &format!("/attempts/{id}")).await.0, 200);

    // B cannot reach it by any URL, and sees none of A's history.
    assert_eq!(get(&s, Some(&b), &format!("/api/attempts/{id}")).await.0, 404);
    assert_eq!(get(&s, Some(&b), &format!("/attempts/{id}")).await.0, 404);
    let (_, list) = get(&s, Some(&b), "/api/attempts").await;
    assert_eq!(serde_json::from_str::<Value>(&list).unwrap(), json!([]));
    let (_, history) = get(&s, Some(&b), "/progress").await;
    assert!(!history.contains(&id), "B's progress page shows no attempt of A");
    let (_, follow) = post_json(
        &s,
        &b,
        "/api/practice/follow-up",
        &json!({ "attempt": id, "answer": "mine now" }),
        Some(&b.csrf),
    )
    .await;
    assert!(follow["error"].is_string(), "B cannot attach a follow-up to A's attempt: {follow}");

    // Writes need the session's anti-forgery token: missing or another user's token is refused
    // and saves nothing.
    let before = store
        .attempts(store.account(&a.name).await.unwrap().user.id, &Default::default())
        .await
        .unwrap()
        .len();
    let (status, err) = post_json(&s, &a, "/api/practice/answer", &answer, None).await;
    assert_eq!(status, 403, "{err}");
    assert!(err["error"].as_str().unwrap().contains("anti-forgery"));
    assert_eq!(post_json(&s, &a, "/api/practice/answer", &answer, Some(&b.csrf)).await.0, 403);
    let form = [("question", qid.as_str()), ("answer", "a form answer"), ("level", "senior")];
    assert_eq!(post_form(&s, &a, "/practice", &form).await.0, 403);
    let wrong =
        [("question", qid.as_str()), ("answer", "a form answer"), ("level", "senior"), ("csrf", "0000")];
    assert_eq!(post_form(&s, &a, "/practice", &wrong).await.0, 403);
    let after = store
        .attempts(store.account(&a.name).await.unwrap().user.id, &Default::default())
        .await
        .unwrap()
        .len();
    assert_eq!(before, after, "refused writes saved nothing");
    let good = [
        ("question", qid.as_str()),
        ("answer", "a form answer"),
        ("level", "senior"),
        ("csrf", a.csrf.as_str()),
    ];
    assert_eq!(post_form(&s, &a, "/practice", &good).await.0, 303, "the page's own form goes through");

    // Only administrators invite or list accounts.
    assert_eq!(post_json(&s, &b, "/api/admin/invites", &json!({}), Some(&b.csrf)).await.0, 403);
    assert_eq!(get(&s, Some(&b), "/admin").await.0, 403);
    let (status, accounts) = get(&s, Some(&admin), "/api/admin/accounts").await;
    assert_eq!(status, 200);
    assert!(accounts.contains(&a.name) && accounts.contains(&b.name));
    let (status, page) = get(&s, Some(&admin), "/admin").await;
    assert!(status == 200 && page.contains(&b.name) && page.contains("used by"), "{status}");

    // Sign-in: the right password works; wrong ones are limited per name (429 + Retry-After).
    let ok = s
        .client
        .post(s.url("/api/login"))
        .json(&json!({ "name": a.name, "password": format!("{} long passphrase", a.name) }))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    for i in 0..5 {
        let r = s
            .client
            .post(s.url("/api/login"))
            .json(&json!({ "name": b.name, "password": "not the password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "failure {i}");
    }
    let r = s
        .client
        .post(s.url("/api/login"))
        .json(&json!({ "name": b.name, "password": format!("{} long passphrase", b.name) }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "locked even with the right password");
    assert!(r.headers().get("retry-after").is_some());
    let unknown = s
        .client
        .post(s.url("/api/login"))
        .json(&json!({ "name": "nobody-here", "password": "whatever at all" }))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        unknown.text().await.unwrap(),
        r#"{"error":"wrong user name or password"}"#,
        "unknown names look like wrong passwords"
    );

    // Signing out ends the session: the old cookie no longer works.
    let out = s
        .client
        .post(s.url("/api/logout"))
        .header(COOKIE, &a.cookie)
        .header("x-csrf-token", &a.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(out.headers().get(SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(get(&s, Some(&a), "/api/attempts").await.0, 401);
}

#[tokio::test]
async fn team_mode_isolates_users_and_guards_every_write_on_sqlite() {
    team_story(memory_store().await).await;
}

#[tokio::test]
async fn team_mode_isolates_users_and_guards_every_write_on_postgres() {
    let Ok(url) = std::env::var("MOCKLOOP_TEST_POSTGRES") else {
        eprintln!("skipped: set MOCKLOOP_TEST_POSTGRES=postgres://… to run team mode against PostgreSQL");
        return;
    };
    team_story(Arc::new(PostgresStore::open(&url).await.expect("opening MOCKLOOP_TEST_POSTGRES"))).await;
}

#[tokio::test]
async fn an_invitation_works_once_and_weak_passwords_are_refused() {
    let store = memory_store().await;
    let s = start_team(store.clone()).await;
    let (code, _) = mockloop_web::auth::issue_invite(&*store, false, None).await.unwrap();
    let weak = s
        .client
        .post(s.url("/api/signup"))
        .json(&json!({ "invite": code, "name": "carla", "password": "short" }))
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), 400);
    assert!(weak.text().await.unwrap().contains("at least 10"));
    sign_up(&s, &code, "carla").await;
    let again = s
        .client
        .post(s.url("/api/signup"))
        .json(&json!({ "invite": code, "name": "dora", "password": "a long passphrase" }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 400);
    assert!(again.text().await.unwrap().contains("already used"));
    // The sign-up page explains a bad code on the page itself.
    let r = s
        .client
        .post(s.url("/signup"))
        .form(&[
            ("invite", "nope"),
            ("name", "erin"),
            ("password", "a long passphrase"),
            ("confirm", "a long passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("invitation is unknown"));
}

#[tokio::test]
async fn local_mode_has_no_sign_in_and_needs_no_token() {
    let s = crate::common::start().await;
    assert_eq!(s.get("/login").await.0, 404);
    let (status, me) = s.get_json("/api/me").await;
    assert_eq!((status, me["mode"].as_str()), (200, Some("local")));
    assert_eq!(s.get("/admin").await.0, 404);
}

/// The shipped pack as a .zip under one top folder, with `edit` applied to each file's text.
pub fn pack_zip(edit: impl Fn(&str, &str) -> String) -> Vec<u8> {
    use std::io::Write as _;
    let src = mockloop_content::read_dir(&crate::common::pack_dir()).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    for f in &src.files {
        w.start_file(format!("my-pack/{}", f.path), zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(edit(&f.path, &f.text).as_bytes()).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

#[tokio::test]
async fn an_administrator_installs_a_pack_that_everyone_then_sees() {
    let store = memory_store().await;
    let packs = tempfile::tempdir().unwrap();
    let s = start_config(
        store.clone(),
        WebConfig {
            team: Some(TeamConfig::default()),
            packs_dir: Some(packs.path().to_path_buf()),
            ..WebConfig::default()
        },
    )
    .await;
    let (admin, a, _) = admin_and_two_members(&s, &*store).await;
    let upload = |who: &Who, body: Vec<u8>| {
        s.client
            .post(s.url("/api/admin/pack"))
            .header(COOKIE, &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .header("content-type", "application/zip")
            .body(body)
    };

    // A broken pack is refused with every problem located, and nothing changes.
    let broken =
        pack_zip(
            |path, text| {
                if path == "pack.toml" {
                    text.replace("[role]", "[rolle]")
                } else {
                    text.to_owned()
                }
            },
        );
    let r = upload(&admin, broken).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let err: Value = r.json().await.unwrap();
    assert!(err["error"].as_str().unwrap().contains("pack.toml:"), "{err}");
    assert!(mockloop_content::installed::active(packs.path()).is_none());
    assert_eq!(
        upload(&a, pack_zip(|_, t| t.to_owned())).send().await.unwrap().status(),
        403,
        "members cannot install"
    );

    // A valid one is installed on disk and served to every user at once.
    let renamed = pack_zip(|path, text| {
        if path == "pack.toml" {
            text.replacen("name = \"Infrastructure Engineer\"", "name = \"Platform Engineer\"", 1)
        } else {
            text.to_owned()
        }
    });
    let r = upload(&admin, renamed).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["role"], "Platform Engineer");
    assert!(done["questions"].as_u64().unwrap() > 100 && done["exercises"].as_u64().unwrap() > 0);
    assert!(mockloop_content::installed::active(packs.path()).unwrap().join("pack.toml").is_file());
    let (_, role) = get(&s, Some(&a), "/role").await;
    assert!(role.contains("Platform Engineer"), "the new pack serves the member's next page");
}

#[tokio::test]
async fn changing_a_password_signs_out_every_other_browser() {
    let store = memory_store().await;
    let s = start_team(store.clone()).await;
    let (code, _) = mockloop_web::auth::issue_invite(&*store, false, None).await.unwrap();
    let me = sign_up(&s, &code, "frida").await;
    let old = "frida long passphrase";
    let login = |password: &str| {
        s.client.post(s.url("/api/login")).json(&json!({ "name": "frida", "password": password })).send()
    };
    let other = login(old).await.unwrap();
    assert_eq!(other.status(), 200);
    let other = Who { cookie: session_cookie(&other), csrf: String::new(), name: "frida".into() };
    assert_eq!(get(&s, Some(&me), "/account").await.0, 200);

    let (status, err) = post_json(
        &s,
        &me,
        "/api/account/password",
        &json!({ "current": "not it at all", "new": "a brand new passphrase" }),
        Some(&me.csrf),
    )
    .await;
    assert_eq!(status, 400, "{err}");
    assert!(err["error"].as_str().unwrap().contains("current password"));
    let (status, _) = post_json(
        &s,
        &me,
        "/api/account/password",
        &json!({ "current": old, "new": "short" }),
        Some(&me.csrf),
    )
    .await;
    assert_eq!(status, 400);

    let r = s
        .client
        .post(s.url("/api/account/password"))
        .header(COOKIE, &me.cookie)
        .header("x-csrf-token", &me.csrf)
        .json(&json!({ "current": old, "new": "a brand new passphrase" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let fresh = Who {
        cookie: session_cookie(&r),
        csrf: r.json::<Value>().await.unwrap()["csrf"].as_str().unwrap().to_owned(),
        name: "frida".into(),
    };
    assert_eq!(get(&s, Some(&other), "/api/attempts").await.0, 401, "the other browser is signed out");
    assert_eq!(get(&s, Some(&me), "/api/attempts").await.0, 401, "so is the old cookie of this one");
    assert_eq!(
        get(&s, Some(&fresh), "/api/attempts").await.0,
        200,
        "this browser goes on with its new cookie"
    );
    assert_eq!(login(old).await.unwrap().status(), 401);
    assert_eq!(login("a brand new passphrase").await.unwrap().status(), 200);
}
