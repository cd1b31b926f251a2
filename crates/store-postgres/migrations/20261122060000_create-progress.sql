-- Users and their practice history. Ids are UUID text, times are Unix milliseconds, nested values
-- (assessments, report bodies) are JSON text: the same layout as the SQLite backend.

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    level       TEXT,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT
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
    score        DOUBLE PRECISION NOT NULL,
    assessment   TEXT,
    hints        BIGINT NOT NULL,
    started_at   BIGINT NOT NULL,
    duration_ms  BIGINT NOT NULL
);
CREATE INDEX attempts_by_user ON attempts (user_id, started_at);
CREATE INDEX attempts_by_question ON attempts (user_id, question);

CREATE TABLE abilities (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    rating      DOUBLE PRECISION NOT NULL,
    answers     BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, topic)
);

CREATE TABLE cards (
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question       TEXT NOT NULL,
    due            BIGINT NOT NULL,
    stability      DOUBLE PRECISION NOT NULL,
    difficulty     DOUBLE PRECISION NOT NULL,
    elapsed_days   BIGINT NOT NULL,
    scheduled_days BIGINT NOT NULL,
    reps           BIGINT NOT NULL,
    lapses         BIGINT NOT NULL,
    phase          TEXT NOT NULL,
    last_review    BIGINT,
    PRIMARY KEY (user_id, question)
);
CREATE INDEX cards_by_due ON cards (user_id, due);

CREATE TABLE reviews (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question    TEXT NOT NULL,
    rating      TEXT NOT NULL,
    source      TEXT NOT NULL,
    reviewed_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, question, reviewed_at, source)
);

CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id  TEXT NOT NULL,
    level       TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    created_at  BIGINT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX reports_by_user ON reports (user_id, created_at);
