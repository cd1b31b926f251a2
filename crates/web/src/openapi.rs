//! The OpenAPI 3.1 description of the JSON API, written by hand.
//!
//! Hand-written rather than derived: it keeps a heavy derive crate out of the build, and the
//! integration tests check that the document lists exactly the routes of [`crate::api_routes`].

use axum::Json;
use serde_json::{json, Value};
use tracing::instrument;

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn query(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string" } })
}

fn path_id(description: &str) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": description, "schema": { "type": "string" } })
}

fn body(schema: &str) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

/// Team mode's paths: sign-in, sign-up, sign-out and administration.
fn team_paths() -> Value {
    json!({
            "/api/me": { "get": { "summary": "Who the API acts for, and (team mode) the anti-forgery token to send as X-CSRF-Token",
                "responses": { "200": ok("the user", json!({ "$ref": "#/components/schemas/Me" })), "401": error_response("team mode, not signed in") } } },
            "/api/login": { "post": { "summary": "Sign in (team mode); sets the session cookie. Failed attempts are limited per name and per address",
                "requestBody": body("LoginInput"),
                "responses": { "200": ok("signed in", json!({ "$ref": "#/components/schemas/Me" })),
                    "400": error_response("a malformed body"),
                    "401": error_response("wrong user name or password"),
                    "404": error_response("the server runs in local mode"),
                    "429": error_response("too many failed sign-ins; see Retry-After") } } },
            "/api/logout": { "post": { "summary": "Sign out (team mode); clears the cookie",
                "responses": { "204": { "description": "signed out" }, "403": error_response("missing or wrong X-CSRF-Token"),
                    "404": error_response("the server runs in local mode") } } },
            "/api/signup": { "post": { "summary": "Create an account from an invitation code and sign in (team mode)",
                "requestBody": body("SignupInput"),
                "responses": { "201": ok("account created and signed in", json!({ "$ref": "#/components/schemas/Me" })),
                    "400": error_response("bad name or password, or the invitation is unknown, used or expired"),
                    "404": error_response("the server runs in local mode"),
                    "409": error_response("the name is taken") } } },
            "/api/account/password": { "post": { "summary": "Change your password (team mode): checks the current one, ends every sign-in of the account and opens a fresh one (new cookie and anti-forgery token)",
                "requestBody": body("PasswordInput"),
                "responses": { "200": ok("changed", json!({ "$ref": "#/components/schemas/Me" })),
                    "400": error_response("a malformed body, a wrong current password or a weak new one"),
                    "401": error_response("not signed in"), "404": error_response("the server runs in local mode") } } },
            "/api/admin/accounts": { "get": { "summary": "Every account (administrators only)",
                "responses": { "200": ok("accounts", json!({ "type": "array", "items": { "type": "object", "properties": {
                    "name": { "type": "string" }, "admin": { "type": "boolean" }, "created_at": { "type": "string", "format": "date-time" } } } })),
                    "401": error_response("not signed in"), "403": error_response("not an administrator"),
                    "404": error_response("the server runs in local mode") } } },
            "/api/admin/pack": { "post": { "summary": "Install a content pack (administrators only): the body is a .zip of the pack folder (at most 16 MiB). It is validated like `mockloop pack check` and installed only without problems; it then serves every request and is what the terminal uses when no --pack is given",
                "requestBody": { "required": true, "content": { "application/zip": { "schema": { "type": "string", "format": "binary" } } } },
                "responses": { "200": ok("installed", json!({ "type": "object", "properties": {
                    "id": { "type": "string" }, "role": { "type": "string" }, "questions": { "type": "integer" },
                    "exercises": { "type": "integer" }, "scenarios": { "type": "integer" } } })),
                    "400": error_response("not a zip archive, or the pack has problems (each as path:line: message)"),
                    "401": error_response("not signed in"), "403": error_response("not an administrator"),
                    "404": error_response("the server runs in local mode"),
                    "413": error_response("the archive is larger than 16 MiB") } } },
            "/api/admin/invites": { "post": { "summary": "Create an invitation (administrators only); the code is shown only in this answer",
                "requestBody": body("InviteInput"),
                "responses": { "201": ok("the invitation", json!({ "type": "object", "properties": {
                    "code": { "type": "string" }, "link": { "type": "string" }, "admin": { "type": "boolean" },
                    "expires_at": { "type": "string", "format": "date-time" } } })),
                    "401": error_response("not signed in"), "403": error_response("not an administrator"),
                    "404": error_response("the server runs in local mode") } } }
    })
}

/// Team mode's schemas.
fn team_schemas() -> Value {
    json!({
            "Me": { "type": "object", "properties": {
                "mode": { "type": "string", "enum": ["local", "team"] }, "user": { "type": "string" }, "admin": { "type": "boolean" },
                "csrf": { "type": ["string", "null"], "description": "send as X-CSRF-Token on every POST (team mode)" } } },
            "LoginInput": { "type": "object", "required": ["name", "password"], "properties": {
                "name": { "type": "string" }, "password": { "type": "string" } } },
            "SignupInput": { "type": "object", "required": ["invite", "name", "password"], "properties": {
                "invite": { "type": "string", "description": "the invitation code" },
                "name": { "type": "string", "description": "2–40 letters, digits, `.`, `-`, `_`" },
                "password": { "type": "string", "description": "at least 10 characters" } } },
            "PasswordInput": { "type": "object", "required": ["current", "new"], "properties": {
                "current": { "type": "string" }, "new": { "type": "string", "description": "at least 10 characters" } } },
            "InviteInput": { "type": "object", "properties": { "admin": { "type": "boolean", "default": false } } }
    })
}

/// The document.
pub fn document() -> Value {
    let filters = || {
        vec![
            query("q", "search text, ranked with BM25"),
            query("difficulty", "easy, medium or hard"),
            query("category", "technical, role-specific, situational or behavioral"),
            query("topic", "topic id"),
            query("level", "level id (questions suited to it)"),
            query("round", "round id"),
        ]
    };
    let obj = || json!({ "type": "object" });
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "mockloop API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Offline interview practice: the question bank, adaptive practice with graded answers, checked Terraform exercises, troubleshooting scenarios, flashcards, statistics and prep plans. Local mode: every call acts for the server's local user. Team mode (`mockloop serve --multi-user`): sign in with `POST /api/login` (sets an HttpOnly session cookie and returns `csrf`), then send that token as the `X-CSRF-Token` header on every POST; without a session every route but sign-in, sign-up, health, metrics and this document answers 401. Errors are JSON objects with an `error` message. Request bodies are limited in size (413)."
        },
        "paths": {
            "/healthz": { "get": { "summary": "Liveness", "responses": { "200": ok("the process is up", obj()) } } },
            "/readyz": { "get": { "summary": "Readiness: the store answers", "responses": {
                "200": ok("ready", obj()), "503": error_response("the store is not reachable") } } },
            "/metrics": { "get": { "summary": "Prometheus metrics (text exposition format 0.0.4): request latency histogram by route template, method and status class; answers graded by path; grading-queue rejections; 5xx responses; requests in flight",
                "responses": { "200": { "description": "metrics", "content": { "text/plain": { "schema": { "type": "string" } } } } } } },
            "/api/openapi.json": { "get": { "summary": "This document", "responses": { "200": ok("OpenAPI 3.1 document", obj()) } } },
            "/api/questions": { "get": {
                "summary": "List questions, filtered; ranked by relevance when `q` is given",
                "parameters": filters(),
                "responses": { "200": ok("matching questions", json!({ "type": "object", "properties": {
                    "count": { "type": "integer" },
                    "questions": { "type": "array", "items": { "$ref": "#/components/schemas/QuestionSummary" } } } })),
                    "400": error_response("an unknown difficulty, category, topic, level or round") } } },
            "/api/questions/{id}": { "get": {
                "summary": "One question with its key points, follow-ups, misconceptions and model answer",
                "parameters": [path_id("question id")],
                "responses": { "200": ok("the question", obj()), "404": error_response("no such question") } } },
            "/api/practice/next": { "get": {
                "summary": "The next question for adaptive practice, and why it was chosen",
                "parameters": [
                    query("level", "level to practise at (default: the latest session's, else mid)"),
                    query("session", "running session id: questions already asked in it are not repeated"),
                    query("topic", "only this topic"), query("category", "only this category"), query("round", "only this round"),
                    query("question", "ask this question instead of choosing one")],
                "responses": { "200": ok("`question` is null when every allowed question was asked in the session", json!({
                    "type": "object", "properties": { "question": { "oneOf": [{ "type": "null" }, { "type": "object", "properties": {
                        "id": { "type": "string" }, "prompt": { "type": "string" }, "topic": { "type": "string" },
                        "reason": { "type": "string" }, "level": { "type": "string" }, "time_minutes": { "type": "integer" },
                        "session": { "type": ["string", "null"] } } }] } } })),
                    "400": error_response("an unknown level, topic, category or round"),
                    "404": error_response("the requested question does not exist") } } },
            "/api/practice/answer": { "post": {
                "summary": "Grade and save an answer (or a skip or reveal); updates topic abilities and the question's flashcard",
                "requestBody": body("AnswerInput"),
                "responses": {
                    "200": ok("the saved attempt with its assessment", { json!({ "type": "object", "properties": {
                        "attempt": { "$ref": "#/components/schemas/Attempt" },
                        "session": { "type": "string" },
                        "abilities": { "type": "array", "items": { "type": "object" } },
                        "card_due": { "type": ["string", "null"], "format": "date-time" } } }) }),
                    "400": error_response("empty answer, bad session id or unknown level"),
                    "404": error_response("no such question or session"),
                    "413": error_response("the body or the answer is too long"),
                    "415": error_response("the body is not JSON"),
                    "503": error_response("the grading queue is full; retry after `Retry-After` seconds") } } },
            "/api/practice/follow-up": { "post": {
                "summary": "Grade and save the answer to an attempt's follow-up probe",
                "requestBody": body("FollowUpInput"),
                "responses": {
                    "200": ok("the follow-up attempt", json!({ "$ref": "#/components/schemas/Attempt" })),
                    "400": error_response("the attempt has no probe, or the answer is empty"),
                    "404": error_response("no such attempt"),
                    "413": error_response("the body or the answer is too long"),
                    "503": error_response("the grading queue is full; retry after `Retry-After` seconds") } } },
            "/api/attempts": { "get": {
                "summary": "The newest attempts, oldest first",
                "parameters": [query("question", "only attempts at this question"), query("limit", "how many (default 50, at most 1000)")],
                "responses": { "200": ok("attempts", json!({ "type": "array", "items": { "$ref": "#/components/schemas/Attempt" } })) } } },
            "/api/attempts/{id}": { "get": {
                "summary": "One attempt with its answer and assessment",
                "parameters": [path_id("attempt id (UUID)")],
                "responses": { "200": ok("the attempt", json!({ "$ref": "#/components/schemas/Attempt" })), "404": error_response("no such attempt") } } },
            "/api/review/due": { "get": {
                "summary": "Today's flashcards: due cards first, then a few new ones",
                "responses": { "200": ok("cards with prompt and answer", json!({ "type": "array", "items": { "type": "object" } })) } } },
            "/api/review/rate": { "post": {
                "summary": "Rate a flashcard; FSRS schedules its next review",
                "requestBody": body("RateInput"),
                "responses": { "200": ok("the card's new state", obj()), "400": error_response("not a rating"), "404": error_response("no such question") } } },
            "/api/stats": { "get": {
                "summary": "Progress statistics (as `mockloop stats --json`)",
                "parameters": [query("level", "level readiness is measured against")],
                "responses": { "200": ok("statistics", obj()), "400": error_response("unknown level") } } },
            "/api/exercises/{id}/check": { "post": {
                "summary": "Check Terraform files against an exercise; the attempt is saved (round coding-iac)",
                "parameters": [path_id("exercise id")],
                "requestBody": body("CheckInput"),
                "responses": {
                    "200": ok("the check report: score, passed, total, results with file:line and hint, parse_errors", json!({ "$ref": "#/components/schemas/CheckReport" })),
                    "400": error_response("no files, or a file name that is not a .tf file"),
                    "404": error_response("no such exercise"),
                    "413": error_response("the body is too long"),
                    "503": error_response("the checking queue is full; retry after `Retry-After` seconds") } } },
            "/api/troubleshoot/{id}": { "post": {
                "summary": "Replay commands in a troubleshooting scenario; with an explanation, the debrief (attempt saved, round troubleshooting)",
                "parameters": [path_id("scenario id")],
                "requestBody": body("TroubleshootInput"),
                "responses": {
                    "200": ok("each command's output, whether the system is fixed, and the debrief when an explanation was given", json!({ "$ref": "#/components/schemas/TroubleshootOutput" })),
                    "400": error_response("too many commands, or a malformed body"),
                    "404": error_response("no such scenario"),
                    "413": error_response("the body or the explanation is too long"),
                    "503": error_response("the grading queue is full; retry after `Retry-After` seconds") } } },
            "/api/loop": { "post": {
                "summary": "Start an interview loop: the pack's rounds in order; answers where it stands (round, question, time left)",
                "requestBody": body("LoopStartInput"),
                "responses": { "200": ok("the loop's state", json!({ "$ref": "#/components/schemas/LoopState" })),
                    "400": error_response("unknown level"), "415": error_response("the body is not JSON") } } },
            "/api/loop/{id}": { "get": {
                "summary": "Where a loop stands; after the last question its debrief is saved and `report` is set",
                "parameters": [path_id("loop session id"), query("short", "`true`: one question a round")],
                "responses": { "200": ok("the loop's state", json!({ "$ref": "#/components/schemas/LoopState" })),
                    "404": error_response("no such loop") } } },
            "/api/loop/{id}/answer": { "post": {
                "summary": "Grade and save an answer (or a skip) in the loop's current round",
                "parameters": [path_id("loop session id")],
                "requestBody": body("LoopAnswerInput"),
                "responses": {
                    "200": ok("the saved attempt and the loop's new state", json!({ "type": "object", "properties": {
                        "attempt": { "$ref": "#/components/schemas/Attempt" }, "loop": { "$ref": "#/components/schemas/LoopState" } } })),
                    "400": error_response("empty answer, or the loop is over"),
                    "404": error_response("no such loop or question"),
                    "413": error_response("the body or the answer is too long"),
                    "503": error_response("the grading queue is full; retry after `Retry-After` seconds") } } },
            "/api/reports": { "get": {
                "summary": "Saved loop debriefs, newest first (id, level, verdict, score, created_at)",
                "responses": { "200": ok("reports", json!({ "type": "array", "items": { "type": "object" } })) } } },
            "/api/reports/{id}": { "get": {
                "summary": "One saved loop debrief: per round, per signal, strongest and weakest areas, verdict",
                "parameters": [path_id("report id (UUID)")],
                "responses": { "200": ok("the report; `body` is the debrief", obj()), "404": error_response("no such report") } } },
            "/api/plan": { "get": {
                "summary": "A personal prep plan (as `mockloop plan --json`)",
                "parameters": [query("weeks", "1–52 (default 4)"), query("interview_date", "YYYY-MM-DD; plans every day up to it"),
                    query("hours_per_day", "0.25–16 (default 1.5)"), query("level", "target level"), query("start", "first day, YYYY-MM-DD")],
                "responses": { "200": ok("the plan", obj()), "400": error_response("invalid dates, weeks, hours or level") } } }
        },
        "components": { "schemas": {
            "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } },
            "QuestionSummary": { "type": "object", "properties": {
                "id": { "type": "string" }, "prompt": { "type": "string" }, "difficulty": { "type": "string" },
                "category": { "type": "string" }, "topics": { "type": "array", "items": { "type": "string" } },
                "levels": { "type": "array", "items": { "type": "string" } }, "rounds": { "type": "array", "items": { "type": "string" } },
                "time_minutes": { "type": "integer" } } },
            "AnswerInput": { "type": "object", "required": ["question"], "properties": {
                "question": { "type": "string" },
                "answer": { "type": "string", "description": "required for action `answer`; at most 64 KiB" },
                "action": { "type": "string", "enum": ["answer", "skip", "reveal"], "default": "answer" },
                "level": { "type": "string" },
                "session": { "type": "string", "description": "add to this session; a new one is started when absent" },
                "shown_at": { "type": "string", "format": "date-time", "description": "when the question was shown" } } },
            "FollowUpInput": { "type": "object", "required": ["attempt", "answer"], "properties": {
                "attempt": { "type": "string" }, "answer": { "type": "string" },
                "shown_at": { "type": "string", "format": "date-time" } } },
            "CheckInput": { "type": "object", "required": ["files"], "properties": {
                "files": { "type": "array", "items": { "type": "object", "required": ["path", "text"], "properties": {
                    "path": { "type": "string", "description": "a .tf file name, e.g. main.tf" }, "text": { "type": "string" } } } } } },
            "CheckReport": { "type": "object", "properties": {
                "exercise": { "type": "string" }, "score": { "type": "number" }, "passed": { "type": "integer" }, "total": { "type": "integer" },
                "results": { "type": "array", "items": { "type": "object", "properties": {
                    "id": { "type": "string" }, "kind": { "type": "string" }, "passed": { "type": "boolean" }, "message": { "type": "string" },
                    "detail": { "type": "string" }, "hint": { "type": ["string", "null"] }, "weight": { "type": "integer" },
                    "location": { "type": ["object", "null"], "properties": { "file": { "type": "string" }, "line": { "type": "integer" } } } } } },
                "parse_errors": { "type": "array", "items": { "type": "object", "properties": {
                    "file": { "type": "string" }, "line": { "type": "integer" }, "column": { "type": "integer" }, "message": { "type": "string" } } } } } },
            "TroubleshootInput": { "type": "object", "properties": {
                "commands": { "type": "array", "items": { "type": "string" }, "description": "the commands typed, in order (at most 500)" },
                "explanation": { "type": "string", "description": "the written root cause; when present the session is graded and saved" },
                "elapsed_seconds": { "type": "integer", "description": "how long the session took (default 0)" } } },
            "TroubleshootOutput": { "type": "object", "properties": {
                "scenario": { "type": "string" },
                "steps": { "type": "array", "items": { "type": "object", "properties": {
                    "input": { "type": "string" }, "output": { "type": "string" }, "finish_requested": { "type": "boolean" } } } },
                "solved": { "type": "boolean" },
                "debrief": { "type": ["object", "null"], "description": "score, verdict, solved, systematic, clues, risky_actions, explanation (assessment), reasons, components, log" },
                "attempt": { "type": ["string", "null"], "description": "the saved attempt's id" } } },
            "LoopStartInput": { "type": "object", "properties": {
                "level": { "type": "string", "description": "default: the latest session's level, else mid" },
                "short": { "type": "boolean", "default": false, "description": "one question a round" } } },
            "LoopAnswerInput": { "type": "object", "required": ["question"], "properties": {
                "question": { "type": "string", "description": "the loop's current question" },
                "answer": { "type": "string" },
                "action": { "type": "string", "enum": ["answer", "skip"], "default": "answer" },
                "shown_at": { "type": "string", "format": "date-time", "description": "when the question was shown: the round's time is the sum of these" },
                "short": { "type": "boolean", "default": false } } },
            "LoopState": { "type": "object", "properties": {
                "session": { "type": "string" }, "level": { "type": "string" }, "short": { "type": "boolean" },
                "rounds": { "type": "array", "items": { "type": "object", "properties": {
                    "id": { "type": "string" }, "name": { "type": "string" }, "budget_minutes": { "type": "integer" },
                    "planned": { "type": "integer" }, "done": { "type": "integer" }, "elapsed_seconds": { "type": "integer" } } } },
                "current": { "type": ["integer", "null"], "description": "index of the round being played; null when the loop is over" },
                "question_id": { "type": ["string", "null"] }, "prompt": { "type": ["string", "null"] },
                "report": { "type": ["string", "null"], "description": "the saved debrief's id, once the loop is over" } } },
            "RateInput": { "type": "object", "required": ["question", "rating"], "properties": {
                "question": { "type": "string" }, "rating": { "type": "string", "description": "1–4 or again, hard, good, easy" } } },
            "Attempt": { "type": "object", "properties": {
                "id": { "type": "string" }, "session": { "type": ["string", "null"] }, "question": { "type": "string" },
                "follow_up_of": { "type": ["string", "null"] }, "prompt": { "type": "string" }, "answer": { "type": "string" },
                "outcome": { "type": "string", "enum": ["answered", "skipped", "revealed"] }, "score": { "type": "number" },
                "assessment": { "type": ["object", "null"], "description": "score, verdict, key_points with evidence spans, signals, misconceptions, flags, strengths, gaps, follow_up" },
                "started_at": { "type": "string", "format": "date-time" }, "duration_ms": { "type": "integer" } } }
        } }
    });
    if let (Some(paths), Value::Object(team)) = (doc["paths"].as_object_mut(), team_paths()) {
        paths.extend(team);
    }
    if let (Some(schemas), Value::Object(team)) =
        (doc["components"]["schemas"].as_object_mut(), team_schemas())
    {
        schemas.extend(team);
    }
    doc
}

/// `GET /api/openapi.json`.
#[instrument(skip_all)]
pub async fn openapi_get() -> Json<Value> {
    Json(document())
}
