//! The SQLite backend: one file in the user's data directory, zero setup.
//!
//! Opening runs the embedded migrations, creates the file if missing and turns on WAL, so readers
//! (a second terminal running `mockloop stats`) never block a practice session that is writing.
//! `synchronous = NORMAL` is the WAL setting that keeps every committed write across a crash of
//! the process; only a power cut can lose the last few, which is the usual trade for a local app.
//!
//! The SQL mirrors `mockloop-store-postgres` statement for statement (both accept `$1`
//! placeholders and `ON CONFLICT`); the duplication is the price of keeping each backend readable
//! on its own (see ARCHITECTURE.md).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mockloop_domain::{
    Ability, Attempt, AttemptId, Card, CardPhase, LoopReport, Outcome, Rating, ReportId, Review,
    ReviewSource, Session, SessionId, SessionKind, User, UserData, UserId,
};
use mockloop_store::{
    check_account_name, check_user_data, from_json, from_millis, from_millis_opt, parse_name, parse_uuid,
    to_json, to_millis, Account, AttemptQuery, ImportSummary, Invite, NewAccount, SignIn, Store, StoreError,
    StoreResult,
};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqlitePool};

/// A SQLite database holding mockloop data.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

fn db(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound("record".into()),
        other => StoreError::Database(other.to_string()),
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite:PATH`, `sqlite::memory:`) and
    /// brings its schema up to date.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad SQLite URL `{url}`: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // An in-memory database exists per connection: keep exactly one.
        let max = if url.contains(":memory:") || url.contains("mode=memory") { 1 } else { 4 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect(format!("{url}: {e}")))?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| StoreError::Migrate(e.to_string()))?;
        Ok(Self { pool })
    }

    /// Opens the database file at `path`.
    pub async fn open_file(path: &std::path::Path) -> StoreResult<Self> {
        Self::open(&format!("sqlite://{}", path.display())).await
    }
}

fn session_from_row(row: &SqliteRow) -> StoreResult<Session> {
    Ok(Session {
        id: SessionId(parse_uuid(&row.try_get::<String, _>("id").map_err(db)?)?),
        user: UserId(parse_uuid(&row.try_get::<String, _>("user_id").map_err(db)?)?),
        kind: parse_name(&row.try_get::<String, _>("kind").map_err(db)?, "session kind", SessionKind::parse)?,
        level: row.try_get("level").map_err(db)?,
        started_at: from_millis(row.try_get("started_at").map_err(db)?)?,
        finished_at: from_millis_opt(row.try_get("finished_at").map_err(db)?)?,
    })
}

fn attempt_from_row(row: &SqliteRow) -> StoreResult<Attempt> {
    let assessment: Option<String> = row.try_get("assessment").map_err(db)?;
    let session: Option<String> = row.try_get("session_id").map_err(db)?;
    let parent: Option<String> = row.try_get("follow_up_of").map_err(db)?;
    Ok(Attempt {
        id: AttemptId(parse_uuid(&row.try_get::<String, _>("id").map_err(db)?)?),
        user: UserId(parse_uuid(&row.try_get::<String, _>("user_id").map_err(db)?)?),
        session: session.as_deref().map(parse_uuid).transpose()?.map(SessionId),
        question: row.try_get("question").map_err(db)?,
        round: row.try_get("round").map_err(db)?,
        follow_up_of: parent.as_deref().map(parse_uuid).transpose()?.map(AttemptId),
        prompt: row.try_get("prompt").map_err(db)?,
        answer: row.try_get("answer").map_err(db)?,
        outcome: parse_name(&row.try_get::<String, _>("outcome").map_err(db)?, "outcome", Outcome::parse)?,
        score: row.try_get::<f64, _>("score").map_err(db)? as f32,
        assessment: assessment.as_deref().map(|a| from_json(a, "assessment")).transpose()?,
        hints: row.try_get::<i64, _>("hints").map_err(db)?.try_into().unwrap_or(0),
        started_at: from_millis(row.try_get("started_at").map_err(db)?)?,
        duration_ms: row.try_get::<i64, _>("duration_ms").map_err(db)?.try_into().unwrap_or(0),
    })
}

fn ability_from_row(row: &SqliteRow) -> StoreResult<Ability> {
    Ok(Ability {
        topic: row.try_get("topic").map_err(db)?,
        rating: row.try_get("rating").map_err(db)?,
        answers: row.try_get::<i64, _>("answers").map_err(db)?.try_into().unwrap_or(0),
        updated_at: from_millis(row.try_get("updated_at").map_err(db)?)?,
    })
}

fn card_from_row(row: &SqliteRow) -> StoreResult<Card> {
    Ok(Card {
        question: row.try_get("question").map_err(db)?,
        due: from_millis(row.try_get("due").map_err(db)?)?,
        stability: row.try_get("stability").map_err(db)?,
        difficulty: row.try_get("difficulty").map_err(db)?,
        elapsed_days: row.try_get("elapsed_days").map_err(db)?,
        scheduled_days: row.try_get("scheduled_days").map_err(db)?,
        reps: row.try_get::<i64, _>("reps").map_err(db)?.try_into().unwrap_or(0),
        lapses: row.try_get::<i64, _>("lapses").map_err(db)?.try_into().unwrap_or(0),
        phase: parse_name(&row.try_get::<String, _>("phase").map_err(db)?, "card phase", CardPhase::parse)?,
        last_review: from_millis_opt(row.try_get("last_review").map_err(db)?)?,
    })
}

fn review_from_row(row: &SqliteRow) -> StoreResult<Review> {
    Ok(Review {
        question: row.try_get("question").map_err(db)?,
        rating: parse_name(&row.try_get::<String, _>("rating").map_err(db)?, "rating", Rating::parse)?,
        source: parse_name(
            &row.try_get::<String, _>("source").map_err(db)?,
            "review source",
            ReviewSource::parse,
        )?,
        reviewed_at: from_millis(row.try_get("reviewed_at").map_err(db)?)?,
    })
}

fn report_from_row(row: &SqliteRow) -> StoreResult<LoopReport> {
    Ok(LoopReport {
        id: ReportId(parse_uuid(&row.try_get::<String, _>("id").map_err(db)?)?),
        user: UserId(parse_uuid(&row.try_get::<String, _>("user_id").map_err(db)?)?),
        session: SessionId(parse_uuid(&row.try_get::<String, _>("session_id").map_err(db)?)?),
        level: row.try_get("level").map_err(db)?,
        verdict: row.try_get("verdict").map_err(db)?,
        score: row.try_get::<f64, _>("score").map_err(db)? as f32,
        created_at: from_millis(row.try_get("created_at").map_err(db)?)?,
        body: from_json(&row.try_get::<String, _>("body").map_err(db)?, "report")?,
    })
}

const INSERT_SESSION: &str = "INSERT INTO sessions (id, user_id, kind, level, started_at, finished_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING";
const INSERT_ATTEMPT: &str =
    "INSERT INTO attempts (id, user_id, session_id, question, round, follow_up_of, prompt, \
     answer, outcome, score, assessment, hints, started_at, duration_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING";
const UPSERT_ABILITY: &str = "INSERT INTO abilities (user_id, topic, rating, answers, updated_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, topic) DO UPDATE SET rating = excluded.rating, \
     answers = excluded.answers, updated_at = excluded.updated_at";
const UPSERT_CARD: &str = "INSERT INTO cards (user_id, question, due, stability, difficulty, elapsed_days, \
     scheduled_days, reps, lapses, phase, last_review) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (user_id, question) DO UPDATE SET due = excluded.due, stability = excluded.stability, \
     difficulty = excluded.difficulty, elapsed_days = excluded.elapsed_days, \
     scheduled_days = excluded.scheduled_days, reps = excluded.reps, lapses = excluded.lapses, \
     phase = excluded.phase, last_review = excluded.last_review";
const INSERT_REVIEW: &str = "INSERT INTO reviews (user_id, question, rating, source, reviewed_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
const INSERT_REPORT: &str =
    "INSERT INTO reports (id, user_id, session_id, level, verdict, score, created_at, body) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING";

/// Binds a session for [`INSERT_SESSION`] on behalf of `user`.
fn bind_session<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    user: UserId,
    s: &'q Session,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    q.bind(s.id.to_string())
        .bind(user.to_string())
        .bind(s.kind.as_str())
        .bind(s.level.as_deref())
        .bind(to_millis(s.started_at))
        .bind(s.finished_at.map(to_millis))
}

fn bind_attempt<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    user: UserId,
    a: &'q Attempt,
) -> StoreResult<sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>> {
    let assessment = a.assessment.as_ref().map(to_json).transpose()?;
    Ok(q.bind(a.id.to_string())
        .bind(user.to_string())
        .bind(a.session.map(|s| s.to_string()))
        .bind(a.question.as_str())
        .bind(a.round.as_deref())
        .bind(a.follow_up_of.map(|p| p.to_string()))
        .bind(a.prompt.as_str())
        .bind(a.answer.as_str())
        .bind(a.outcome.as_str())
        .bind(f64::from(a.score))
        .bind(assessment)
        .bind(i64::from(a.hints))
        .bind(to_millis(a.started_at))
        .bind(i64::try_from(a.duration_ms).unwrap_or(i64::MAX)))
}

fn bind_ability<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    user: UserId,
    a: &'q Ability,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    q.bind(user.to_string())
        .bind(a.topic.as_str())
        .bind(a.rating)
        .bind(i64::from(a.answers))
        .bind(to_millis(a.updated_at))
}

fn bind_card<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    user: UserId,
    c: &'q Card,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    q.bind(user.to_string())
        .bind(c.question.as_str())
        .bind(to_millis(c.due))
        .bind(c.stability)
        .bind(c.difficulty)
        .bind(c.elapsed_days)
        .bind(c.scheduled_days)
        .bind(i64::from(c.reps))
        .bind(i64::from(c.lapses))
        .bind(c.phase.as_str())
        .bind(c.last_review.map(to_millis))
}

fn bind_review<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    user: UserId,
    r: &'q Review,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    q.bind(user.to_string())
        .bind(r.question.as_str())
        .bind(r.rating.as_str())
        .bind(r.source.as_str())
        .bind(to_millis(r.reviewed_at))
}

fn bind_report<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    user: UserId,
    r: &'q LoopReport,
) -> StoreResult<sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>> {
    Ok(q.bind(r.id.to_string())
        .bind(user.to_string())
        .bind(r.session.to_string())
        .bind(r.level.as_str())
        .bind(r.verdict.as_str())
        .bind(f64::from(r.score))
        .bind(to_millis(r.created_at))
        .bind(to_json(&r.body)?))
}

fn limit(n: u32) -> i64 {
    i64::from(n)
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn user(&self, name: &str) -> StoreResult<User> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a user name cannot be empty".into()));
        }
        sqlx::query(
            "INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(UserId::new().to_string())
        .bind(name)
        .bind(to_millis(Utc::now()))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        let row = sqlx::query("SELECT id, name, created_at FROM users WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        Ok(User {
            id: UserId(parse_uuid(&row.try_get::<String, _>("id").map_err(db)?)?),
            name: row.try_get("name").map_err(db)?,
            created_at: from_millis(row.try_get("created_at").map_err(db)?)?,
        })
    }

    async fn user_name(&self, user: UserId) -> StoreResult<String> {
        sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
            .bind(user.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(format!("user {user}")))
    }

    async fn start_session(&self, session: &Session) -> StoreResult<()> {
        bind_session(sqlx::query(INSERT_SESSION), session.user, session)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn finish_session(&self, user: UserId, id: SessionId, at: DateTime<Utc>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE sessions SET finished_at = $1 WHERE id = $2 AND user_id = $3")
            .bind(to_millis(at))
            .bind(id.to_string())
            .bind(user.to_string())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("session {id}")));
        }
        Ok(())
    }

    async fn session(&self, user: UserId, id: SessionId) -> StoreResult<Session> {
        let row = sqlx::query("SELECT * FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(id.to_string())
            .bind(user.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(format!("session {id}")))?;
        session_from_row(&row)
    }

    async fn sessions(&self, user: UserId, n: u32) -> StoreResult<Vec<Session>> {
        let rows = sqlx::query(
            "SELECT * FROM sessions WHERE user_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2",
        )
        .bind(user.to_string())
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(session_from_row).collect()
    }

    async fn add_attempt(&self, attempt: &Attempt) -> StoreResult<()> {
        if let Some(session) = attempt.session {
            self.session(attempt.user, session).await?;
        }
        bind_attempt(sqlx::query(INSERT_ATTEMPT), attempt.user, attempt)?
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn attempt(&self, user: UserId, id: AttemptId) -> StoreResult<Attempt> {
        let row = sqlx::query("SELECT * FROM attempts WHERE id = $1 AND user_id = $2")
            .bind(id.to_string())
            .bind(user.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(format!("attempt {id}")))?;
        attempt_from_row(&row)
    }

    async fn attempts(&self, user: UserId, query: &AttemptQuery) -> StoreResult<Vec<Attempt>> {
        let rows = sqlx::query(
            "SELECT * FROM attempts WHERE user_id = $1 AND ($2 IS NULL OR question = $2) \
             AND ($3 IS NULL OR session_id = $3) AND ($4 IS NULL OR started_at >= $4) \
             ORDER BY started_at DESC, id DESC LIMIT $5",
        )
        .bind(user.to_string())
        .bind(query.question.as_deref())
        .bind(query.session.map(|s| s.to_string()))
        .bind(query.since.map(to_millis))
        .bind(limit(query.limit.unwrap_or(u32::MAX)))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().rev().map(attempt_from_row).collect()
    }

    async fn abilities(&self, user: UserId) -> StoreResult<Vec<Ability>> {
        let rows = sqlx::query("SELECT * FROM abilities WHERE user_id = $1 ORDER BY topic")
            .bind(user.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(ability_from_row).collect()
    }

    async fn put_ability(&self, user: UserId, ability: &Ability) -> StoreResult<()> {
        bind_ability(sqlx::query(UPSERT_ABILITY), user, ability).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    async fn cards(&self, user: UserId) -> StoreResult<Vec<Card>> {
        let rows = sqlx::query("SELECT * FROM cards WHERE user_id = $1 ORDER BY due, question")
            .bind(user.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(card_from_row).collect()
    }

    async fn put_card(&self, user: UserId, card: &Card) -> StoreResult<()> {
        bind_card(sqlx::query(UPSERT_CARD), user, card).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    async fn record_review(&self, user: UserId, card: &Card, review: &Review) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        bind_card(sqlx::query(UPSERT_CARD), user, card).execute(&mut *tx).await.map_err(db)?;
        bind_review(sqlx::query(INSERT_REVIEW), user, review).execute(&mut *tx).await.map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn reviews(&self, user: UserId) -> StoreResult<Vec<Review>> {
        let rows = sqlx::query("SELECT * FROM reviews WHERE user_id = $1 ORDER BY reviewed_at, question")
            .bind(user.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(review_from_row).collect()
    }

    async fn save_report(&self, report: &LoopReport) -> StoreResult<()> {
        self.session(report.user, report.session).await?;
        bind_report(sqlx::query(INSERT_REPORT), report.user, report)?
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn report(&self, user: UserId, id: ReportId) -> StoreResult<LoopReport> {
        let row = sqlx::query("SELECT * FROM reports WHERE id = $1 AND user_id = $2")
            .bind(id.to_string())
            .bind(user.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(format!("report {id}")))?;
        report_from_row(&row)
    }

    async fn reports(&self, user: UserId, n: u32) -> StoreResult<Vec<LoopReport>> {
        let rows = sqlx::query(
            "SELECT * FROM reports WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(user.to_string())
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(report_from_row).collect()
    }

    async fn import(&self, user: UserId, data: &UserData) -> StoreResult<ImportSummary> {
        check_user_data(data)?;
        let mut tx = self.pool.begin().await.map_err(db)?;
        let mut summary = ImportSummary::default();
        let mut count = |affected: u64| {
            summary.added += affected;
            summary.skipped += 1 - affected.min(1);
        };
        for s in &data.sessions {
            count(
                bind_session(sqlx::query(INSERT_SESSION), user, s)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected(),
            );
        }
        for a in &data.attempts {
            count(
                bind_attempt(sqlx::query(INSERT_ATTEMPT), user, a)?
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected(),
            );
        }
        for a in &data.abilities {
            let q = sqlx::query(
                "INSERT INTO abilities (user_id, topic, rating, answers, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT DO NOTHING",
            );
            count(bind_ability(q, user, a).execute(&mut *tx).await.map_err(db)?.rows_affected());
        }
        for c in &data.cards {
            let q = sqlx::query(
                "INSERT INTO cards (user_id, question, due, stability, difficulty, elapsed_days, scheduled_days, \
                 reps, lapses, phase, last_review) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT DO NOTHING",
            );
            count(bind_card(q, user, c).execute(&mut *tx).await.map_err(db)?.rows_affected());
        }
        for r in &data.reviews {
            count(
                bind_review(sqlx::query(INSERT_REVIEW), user, r)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected(),
            );
        }
        for r in &data.reports {
            count(
                bind_report(sqlx::query(INSERT_REPORT), user, r)?
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected(),
            );
        }
        tx.commit().await.map_err(db)?;
        Ok(summary)
    }

    async fn account_count(&self) -> StoreResult<u64> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(&self.pool).await.map_err(db)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn account(&self, name: &str) -> StoreResult<Account> {
        let row = sqlx::query(&format!("{SELECT_ACCOUNT} WHERE u.name = $1"))
            .bind(name.trim())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NotFound(format!("account `{}`", name.trim())))?;
        account_from_row(&row)
    }

    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        let rows = sqlx::query(&format!("{SELECT_ACCOUNT} ORDER BY a.created_at, u.name"))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(account_from_row).collect()
    }

    async fn create_account(&self, account: &NewAccount) -> StoreResult<User> {
        check_account_name(&account.name).map_err(StoreError::Invalid)?;
        let mut tx = self.pool.begin().await.map_err(db)?;
        let user = insert_account(&mut tx, account, Utc::now()).await?;
        tx.commit().await.map_err(db)?;
        Ok(user)
    }

    async fn redeem_invite(
        &self,
        code_hash: &str,
        account: &NewAccount,
        now: DateTime<Utc>,
    ) -> StoreResult<User> {
        check_account_name(&account.name).map_err(StoreError::Invalid)?;
        let mut tx = self.pool.begin().await.map_err(db)?;
        let admin: Option<bool> = sqlx::query_scalar(
            "SELECT admin FROM invites WHERE code_hash = $1 AND used_by IS NULL AND expires_at > $2",
        )
        .bind(code_hash)
        .bind(to_millis(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(admin) = admin else {
            return Err(StoreError::Invalid(
                "this invitation is unknown, already used or expired; ask an administrator for a new one"
                    .into(),
            ));
        };
        let user = insert_account(&mut tx, &NewAccount { admin, ..account.clone() }, now).await?;
        // The guard in WHERE makes a second, concurrent redemption of the same code change nothing.
        let used = sqlx::query(
            "UPDATE invites SET used_by = $1, used_at = $2 WHERE code_hash = $3 AND used_by IS NULL",
        )
        .bind(user.id.to_string())
        .bind(to_millis(now))
        .bind(code_hash)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if used != 1 {
            return Err(StoreError::Invalid("this invitation was used a moment ago by someone else".into()));
        }
        tx.commit().await.map_err(db)?;
        Ok(user)
    }

    async fn create_invite(&self, invite: &Invite) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO invites (code_hash, admin, created_by, created_at, expires_at, used_by, used_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, NULL)",
        )
        .bind(&invite.code_hash)
        .bind(invite.admin)
        .bind(invite.created_by.map(|u| u.to_string()))
        .bind(to_millis(invite.created_at))
        .bind(to_millis(invite.expires_at))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn invites(&self) -> StoreResult<Vec<Invite>> {
        let rows = sqlx::query(
            "SELECT code_hash, admin, created_by, created_at, expires_at, used_by FROM invites \
             ORDER BY created_at DESC, code_hash",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|row| {
                let user_opt = |col: &str| -> StoreResult<Option<UserId>> {
                    row.try_get::<Option<String>, _>(col)
                        .map_err(db)?
                        .map(|s| parse_uuid(&s).map(UserId))
                        .transpose()
                };
                Ok(Invite {
                    code_hash: row.try_get("code_hash").map_err(db)?,
                    admin: row.try_get("admin").map_err(db)?,
                    created_by: user_opt("created_by")?,
                    created_at: from_millis(row.try_get("created_at").map_err(db)?)?,
                    expires_at: from_millis(row.try_get("expires_at").map_err(db)?)?,
                    used_by: user_opt("used_by")?,
                })
            })
            .collect()
    }

    async fn create_sign_in(&self, sign_in: &SignIn) -> StoreResult<()> {
        sqlx::query("DELETE FROM sign_ins WHERE expires_at <= $1")
            .bind(to_millis(sign_in.created_at))
            .execute(&self.pool)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO sign_ins (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&sign_in.token_hash)
        .bind(sign_in.user.to_string())
        .bind(&sign_in.csrf)
        .bind(to_millis(sign_in.created_at))
        .bind(to_millis(sign_in.expires_at))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn signed_in(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<(Account, SignIn)> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.created_at, a.password_hash, a.admin, \
                    s.token_hash, s.csrf, s.created_at AS signed_in_at, s.expires_at \
             FROM sign_ins s JOIN accounts a ON a.user_id = s.user_id JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(to_millis(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::NotFound("sign-in".into()))?;
        let account = account_from_row(&row)?;
        let sign_in = SignIn {
            token_hash: row.try_get("token_hash").map_err(db)?,
            user: account.user.id,
            csrf: row.try_get("csrf").map_err(db)?,
            created_at: from_millis(row.try_get("signed_in_at").map_err(db)?)?,
            expires_at: from_millis(row.try_get("expires_at").map_err(db)?)?,
        };
        Ok((account, sign_in))
    }

    async fn set_password(&self, user: UserId, password_hash: &str) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let changed = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE user_id = $2")
            .bind(password_hash)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if changed != 1 {
            return Err(StoreError::NotFound(format!("account of user {user}")));
        }
        sqlx::query("DELETE FROM sign_ins WHERE user_id = $1")
            .bind(user.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn sign_out(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sign_ins WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
}

const SELECT_ACCOUNT: &str = "SELECT u.id, u.name, u.created_at, a.password_hash, a.admin \
                              FROM accounts a JOIN users u ON u.id = a.user_id";

fn account_from_row(row: &SqliteRow) -> StoreResult<Account> {
    Ok(Account {
        user: User {
            id: UserId(parse_uuid(&row.try_get::<String, _>("id").map_err(db)?)?),
            name: row.try_get("name").map_err(db)?,
            created_at: from_millis(row.try_get("created_at").map_err(db)?)?,
        },
        password_hash: row.try_get("password_hash").map_err(db)?,
        admin: row.try_get("admin").map_err(db)?,
    })
}

/// Inserts the user and its account inside `tx`; a taken name is a `Conflict`.
async fn insert_account(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    account: &NewAccount,
    now: DateTime<Utc>,
) -> StoreResult<User> {
    // Whole milliseconds, as stored, so the returned user equals the one read back.
    let now = from_millis(to_millis(now))?;
    let user = User { id: UserId::new(), name: account.name.clone(), created_at: now };
    sqlx::query("INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(user.id.to_string())
        .bind(&user.name)
        .bind(to_millis(now))
        .execute(&mut **tx)
        .await
        .map_err(|e| match e.as_database_error() {
            Some(d) if d.is_unique_violation() => {
                StoreError::Conflict(format!("the name `{}` is taken; choose another", account.name))
            }
            _ => db(e),
        })?;
    sqlx::query("INSERT INTO accounts (user_id, password_hash, admin, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user.id.to_string())
        .bind(&account.password_hash)
        .bind(account.admin)
        .bind(to_millis(now))
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    Ok(user)
}
