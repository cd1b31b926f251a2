//! Team mode's records: accounts with a password hash, signed-in browsers and invitations.
//!
//! Secrets never reach the database in a usable form: a sign-in is stored under the SHA-256 of its
//! cookie token and an invitation under the hash of its code, so reading the tables (a backup, a
//! leaked dump) does not let anyone sign in. Hashing and checking passwords is the web crate's
//! job; the store only keeps the PHC string it is given.

use chrono::{DateTime, Utc};
use mockloop_domain::{User, UserId};

/// A user who can sign in to the web app.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// The user (name, id) whose practice history the account owns.
    pub user: User,
    /// Argon2 hash in PHC string format (`$argon2id$v=19$…`).
    pub password_hash: String,
    /// Whether the account may invite users and install packs.
    pub admin: bool,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// Sign-in name; must not be taken by any user, with or without an account.
    pub name: String,
    /// Argon2 hash in PHC string format.
    pub password_hash: String,
    /// Whether the account is an administrator.
    pub admin: bool,
}

/// One signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    /// SHA-256 (hex) of the session cookie's token.
    pub token_hash: String,
    /// Whose session it is.
    pub user: UserId,
    /// The anti-forgery token every form and API write of this session must carry.
    pub csrf: String,
    /// When the user signed in.
    pub created_at: DateTime<Utc>,
    /// After this the session is gone.
    pub expires_at: DateTime<Utc>,
}

/// An invitation to create an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    /// SHA-256 (hex) of the invitation code.
    pub code_hash: String,
    /// Whether the account it creates is an administrator.
    pub admin: bool,
    /// The administrator who made it (`None` for the first-run invitation).
    pub created_by: Option<UserId>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// After this it can no longer be used.
    pub expires_at: DateTime<Utc>,
    /// Who used it, once used (each invitation creates one account).
    pub used_by: Option<UserId>,
}

/// Checks a new account's name: what a person can type and read back, and what a URL or a log
/// line can carry without escaping.
pub fn check_account_name(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if !(2..=40).contains(&n) {
        return Err("a user name has 2 to 40 characters".into());
    }
    if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        return Err("a user name may hold letters, digits, `.`, `-` and `_` only".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_short_plain_words() {
        assert!(check_account_name("ada").is_ok());
        assert!(check_account_name("j.doe-2_x").is_ok());
        assert!(check_account_name("a").is_err());
        assert!(check_account_name(&"x".repeat(41)).is_err());
        assert!(check_account_name("two words").is_err());
        assert!(check_account_name("<script>").is_err());
    }
}
