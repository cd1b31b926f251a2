-- Users and their practice history. Ids are UUID text, times are Unix milliseconds, nested values
-- (assessments, report bodies) are JSON text: the same layout as the PostgreSQL backend.

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    level       TEXT,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id, started_at);

CREATE TABLE attempts (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id   TEXT REFERENCES sessions (id) ON DELETE SET NULL,
    question     TEXT NOT NULL,
    round        TEXT,
    follow_up_of TEXT,
    prompt       TEXT NOT NULL,
    answer       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    score        REAL NOT NULL,
    assessment   TEXT,
    hints        INTEGER NOT NULL,
    started_at   INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL
);
CREATE INDEX attempts_by_user ON attempts (user_id, started_at);
CREATE INDEX attempts_by_question ON attempts (user_id, question);

CREATE TABLE abilities (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    rating      REAL NOT NULL,
    answers     INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, topic)
);

CREATE TABLE cards (
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question       TEXT NOT NULL,
    due            INTEGER NOT NULL,
    stability      REAL NOT NULL,
    difficulty     REAL NOT NULL,
    elapsed_days   INTEGER NOT NULL,
    scheduled_days INTEGER NOT NULL,
    reps           INTEGER NOT NULL,
    lapses         INTEGER NOT NULL,
    phase          TEXT NOT NULL,
    last_review    INTEGER,
    PRIMARY KEY (user_id, question)
);
CREATE INDEX cards_by_due ON cards (user_id, due);

CREATE TABLE reviews (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question    TEXT NOT NULL,
    rating      TEXT NOT NULL,
    source      TEXT NOT NULL,
    reviewed_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, question, reviewed_at, source)
);

CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id  TEXT NOT NULL,
    level       TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    score       REAL NOT NULL,
    created_at  INTEGER NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX reports_by_user ON reports (user_id, created_at);
