-- Team mode: accounts (a password hash per user who can sign in), signed-in browsers and
-- invitations. Tokens and invitation codes are stored only as SHA-256 hex digests.

CREATE TABLE accounts (
    user_id       TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    admin         BOOLEAN NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE sign_ins (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sign_ins_by_expiry ON sign_ins (expires_at);

CREATE TABLE invites (
    code_hash   TEXT PRIMARY KEY,
    admin       BOOLEAN NOT NULL,
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_by     TEXT REFERENCES users (id) ON DELETE SET NULL,
    used_at     BIGINT
);
