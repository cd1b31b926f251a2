//! The storage port: what mockloop keeps about a user, as one coarse, intention-named trait.
//!
//! Front ends (the CLI today, the web app next) hold a `Arc<dyn Store>` and never see SQL. Each
//! backend is its own crate (`mockloop-store-sqlite`, `mockloop-store-postgres`) with its own
//! migrations; only the binary chooses one, from the database URL (see [`DbSettings`]). The same
//! conformance suite (`crates/store-tests`) runs against both, so they behave alike.
//!
//! Every method that reads or writes a user's data takes that user's id and touches nothing else:
//! per-user isolation is a property of the trait, not something callers must remember.
//!
//! The trait uses `async_trait` rather than native async methods so it stays object-safe: the
//! binary picks the backend at run time and hands the rest of the program a trait object.

#![deny(missing_docs)]

mod accounts;
mod codec;
mod error;
mod import;
mod settings;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mockloop_domain::{
    Ability, Attempt, AttemptId, Card, LoopReport, ReportId, Review, Session, SessionId, User, UserData,
    UserId,
};

pub use accounts::{check_account_name, Account, Invite, NewAccount, SignIn};
pub use codec::*;
pub use error::{StoreError, StoreResult};
pub use import::{check_user_data, ImportSummary};
pub use settings::{DbSettings, DbType};

/// Which attempts to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttemptQuery {
    /// Only attempts at this question.
    pub question: Option<String>,
    /// Only attempts of this session.
    pub session: Option<SessionId>,
    /// Only attempts started at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// At most this many: the newest ones.
    pub limit: Option<u32>,
}

/// Persistent storage of users and their progress.
///
/// Writes are durable when the future resolves: a caller may tell the user "saved" right after.
#[async_trait]
pub trait Store: Send + Sync {
    /// Which backend this is (`sqlite`, `postgres`), for messages.
    fn backend(&self) -> &'static str;

    /// The user called `name`, created on first use.
    async fn user(&self, name: &str) -> StoreResult<User>;

    /// Records the start of a session.
    async fn start_session(&self, session: &Session) -> StoreResult<()>;
    /// Marks a session finished.
    async fn finish_session(&self, user: UserId, id: SessionId, at: DateTime<Utc>) -> StoreResult<()>;
    /// One session of `user`.
    async fn session(&self, user: UserId, id: SessionId) -> StoreResult<Session>;
    /// The newest sessions of `user`, newest first.
    async fn sessions(&self, user: UserId, limit: u32) -> StoreResult<Vec<Session>>;

    /// Saves an attempt (its session, if any, must exist).
    async fn add_attempt(&self, attempt: &Attempt) -> StoreResult<()>;
    /// One attempt of `user`.
    async fn attempt(&self, user: UserId, id: AttemptId) -> StoreResult<Attempt>;
    /// Attempts of `user` matching `query`, oldest first.
    async fn attempts(&self, user: UserId, query: &AttemptQuery) -> StoreResult<Vec<Attempt>>;

    /// Per-topic abilities of `user`.
    async fn abilities(&self, user: UserId) -> StoreResult<Vec<Ability>>;
    /// Inserts or replaces one topic's ability.
    async fn put_ability(&self, user: UserId, ability: &Ability) -> StoreResult<()>;

    /// All flashcards of `user`, soonest due first.
    async fn cards(&self, user: UserId) -> StoreResult<Vec<Card>>;
    /// Inserts or replaces a card without a review (a card met for the first time).
    async fn put_card(&self, user: UserId, card: &Card) -> StoreResult<()>;
    /// Saves a review and the card state it produced, atomically.
    async fn record_review(&self, user: UserId, card: &Card, review: &Review) -> StoreResult<()>;
    /// Reviews of `user`, oldest first.
    async fn reviews(&self, user: UserId) -> StoreResult<Vec<Review>>;

    /// Saves a loop report.
    async fn save_report(&self, report: &LoopReport) -> StoreResult<()>;
    /// One report of `user`.
    async fn report(&self, user: UserId, id: ReportId) -> StoreResult<LoopReport>;
    /// The newest reports of `user`, newest first.
    async fn reports(&self, user: UserId, limit: u32) -> StoreResult<Vec<LoopReport>>;

    /// Everything `user` has, as one document.
    async fn export(&self, user: UserId) -> StoreResult<UserData> {
        let exported_at = Utc::now();
        let name = self.user_name(user).await?;
        Ok(UserData {
            format: UserData::FORMAT.to_owned(),
            version: UserData::VERSION,
            exported_at,
            user: name,
            sessions: self.sessions(user, u32::MAX).await?.into_iter().rev().collect(),
            attempts: self.attempts(user, &AttemptQuery::default()).await?,
            abilities: self.abilities(user).await?,
            cards: self.cards(user).await?,
            reviews: self.reviews(user).await?,
            reports: self.reports(user, u32::MAX).await?.into_iter().rev().collect(),
        })
    }

    /// The name of `user`.
    async fn user_name(&self, user: UserId) -> StoreResult<String>;

    /// Adds a document's records to `user`, in one transaction: either everything is imported or
    /// nothing changes. Records already present (same id) are skipped, so importing the same file
    /// twice is harmless. Call [`check_user_data`] first; this method checks again.
    async fn import(&self, user: UserId, data: &UserData) -> StoreResult<ImportSummary>;

    // Team mode (`mockloop serve --multi-user`): accounts, signed-in browsers, invitations.

    /// How many accounts exist (0 means the first-run invitation is needed).
    async fn account_count(&self) -> StoreResult<u64>;
    /// The account signing in as `name`; `NotFound` when there is none.
    async fn account(&self, name: &str) -> StoreResult<Account>;
    /// Every account, oldest first.
    async fn accounts(&self) -> StoreResult<Vec<Account>>;
    /// Creates a user with an account; `Conflict` when the name is taken by any user.
    async fn create_account(&self, account: &NewAccount) -> StoreResult<User>;
    /// Uses the invitation whose code hashes to `code_hash` to create `account`, atomically: the
    /// invitation must exist, be unused and unexpired at `now`, and ends up used by the new user.
    /// Its `admin` flag wins over the one in `account`. `Invalid` when the invitation cannot be
    /// used, `Conflict` when the name is taken (the invitation stays unused).
    async fn redeem_invite(
        &self,
        code_hash: &str,
        account: &NewAccount,
        now: DateTime<Utc>,
    ) -> StoreResult<User>;
    /// Saves an invitation.
    async fn create_invite(&self, invite: &Invite) -> StoreResult<()>;
    /// Every invitation, newest first.
    async fn invites(&self) -> StoreResult<Vec<Invite>>;
    /// Saves a sign-in (and forgets sign-ins that have expired).
    async fn create_sign_in(&self, sign_in: &SignIn) -> StoreResult<()>;
    /// The account and sign-in for a cookie token's hash; `NotFound` when unknown or expired at
    /// `now`.
    async fn signed_in(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<(Account, SignIn)>;
    /// Ends a sign-in (signing out); unknown hashes are not an error.
    async fn sign_out(&self, token_hash: &str) -> StoreResult<()>;
    /// Replaces an account's password hash and ends every sign-in of that user (a changed
    /// password must lock out a browser that knew the old one). `NotFound` without an account.
    async fn set_password(&self, user: UserId, password_hash: &str) -> StoreResult<()>;
}
