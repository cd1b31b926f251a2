//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes, 1 lane, as
//! OWASP recommends), stored as PHC strings so the parameters travel with each hash and can be
//! raised later without invalidating old ones.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Shortest password accepted.
pub const MIN_LEN: usize = 10;
/// Longest password accepted (argon2 is slow on purpose; a megabyte password would be a DoS).
pub const MAX_LEN: usize = 256;

/// Checks a new password; the message says what to change.
pub fn check_new(password: &str, name: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(format!("a password needs at least {MIN_LEN} characters"));
    }
    if password.len() > MAX_LEN {
        return Err(format!("a password may be at most {MAX_LEN} bytes"));
    }
    if password.trim().eq_ignore_ascii_case(name.trim()) {
        return Err("the password cannot be the user name".into());
    }
    Ok(())
}

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("no randomness for a salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC string `hash`. A malformed hash never matches.
pub fn verify(password: &str, hash: &str) -> bool {
    if password.len() > MAX_LEN {
        return false;
    }
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A valid hash of no one's password: checked when the name is unknown, so a failed sign-in
/// takes as long whether or not the account exists (no user enumeration by timing).
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password that nobody has").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterz", &h));
        assert_ne!(h, hash("correct horse battery").unwrap(), "every hash has its own salt");
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        assert!(check_new("short", "ada").unwrap_err().contains("at least"));
        assert!(check_new("ada-lovelace", "Ada-Lovelace").unwrap_err().contains("user name"));
        assert!(check_new(&"x".repeat(MAX_LEN + 1), "ada").is_err());
        assert!(check_new("a long enough passphrase", "ada").is_ok());
    }
}
