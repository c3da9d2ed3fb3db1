//! Password hashing (argon2id) and the rules for new passwords.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::i18n::Message;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

/// Checks a new password against the policy: long enough to resist guessing
/// (NCSC advice favours length over composition rules), not absurdly long.
pub fn check_policy(password: &str) -> Result<(), Message> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(Message::new("password.too_short").arg("min", MIN_LENGTH));
    }
    if n > MAX_LENGTH {
        return Err(Message::new("password.too_long").arg("max", MAX_LENGTH));
    }
    let first = password.chars().next().unwrap_or(' ');
    if password.chars().all(|c| c == first) {
        return Err(Message::new("password.repetitive"));
    }
    Ok(())
}

/// A PHC string (`$argon2id$v=19$...`) with a fresh random salt.
pub fn hash(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 with default parameters cannot fail on a byte slice")
        .to_string()
}

/// Whether `password` matches a stored PHC string. A malformed stored hash
/// never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = argon2::password_hash::phc::PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash of a password nobody knows, used to spend the same time on an
/// unknown account as on a known one (no user enumeration by timing).
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash("decoy password that is never accepted"));
    &DECOY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse battery staple");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("correct horse battery stapl", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn policy() {
        assert!(check_policy("short").is_err());
        assert!(check_policy("aaaaaaaaaaaaaaaa").is_err());
        assert!(check_policy("a long enough passphrase").is_ok());
    }
}
