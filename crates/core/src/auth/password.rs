//! Password hashing (argon2id) and the rules for new passwords.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use serde::Deserialize;

use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

/// Passwords longer than this are not run through the strength estimator:
/// its time grows fast with length, and 64 characters that passed the other
/// rules are not a guessable password.
const ESTIMATED_UP_TO: usize = 64;

/// Checks a new password against the policy: long enough to resist guessing
/// (NCSC advice favours length over composition rules), not absurdly long,
/// and not guessable — `12345678901234`, `password12345` or the person's
/// own e-mail address with a digit are long enough but found in the first
/// few thousand guesses. Guessability is judged offline by zxcvbn (the
/// estimator NCSC and NIST point to), told the person's e-mail and name.
pub fn check_policy(password: &str, about_them: &[&str]) -> Result<(), Message> {
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
    if n <= ESTIMATED_UP_TO {
        // The e-mail whole, its name part and each word of the name.
        let mut words: Vec<&str> = Vec::new();
        for a in about_them {
            words.push(a);
            words.extend(a.split(['@', '.', ' ', '-', '_']).filter(|w| w.len() > 2));
        }
        let estimate = zxcvbn::zxcvbn(password, &words);
        if (estimate.score() as u8) < 3 {
            return Err(Message::new("password.guessable"));
        }
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

/// A password change as typed: the current password, the new one and, on
/// the account page, the new one again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
    /// `None` where nothing asks for it twice (the API).
    pub confirm_password: Option<String>,
}

impl PasswordChange {
    /// `current_matches`: whether the current password is the account's
    /// (the use case checks it against the stored hash).
    /// `about_them`: the person's e-mail and name, which a password must not
    /// be built from.
    pub fn check(&self, current_matches: bool, about_them: &[&str]) -> Result<(), Invalid> {
        let mut e = Errors::new();
        if !current_matches {
            e.add("current_password", Message::new("password.current_wrong"));
        }
        if let Err(m) = check_policy(&self.new_password, about_them) {
            e.add("new_password", m);
        } else if self
            .confirm_password
            .as_deref()
            .is_some_and(|c| !constant_time_eq(c, &self.new_password))
        {
            e.add("confirm_password", Message::new("password.mismatch"));
        }
        e.finish(|| ())
    }
}

/// Compares two secrets in time that depends only on their lengths.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_needs_the_current_password_a_good_new_one_and_the_same_twice() {
        let change = PasswordChange {
            current_password: "old".into(),
            new_password: "a long enough passphrase".into(),
            confirm_password: Some("a long enough passphrase".into()),
        };
        assert!(change.check(true, &[]).is_ok());
        let fields = |c: &PasswordChange, ok: bool| -> Vec<String> {
            c.check(ok, &[])
                .unwrap_err()
                .0
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(fields(&change, false), ["current_password"]);
        let typo = PasswordChange {
            confirm_password: Some("a long enough passphrasf".into()),
            ..change.clone()
        };
        assert_eq!(fields(&typo, true), ["confirm_password"]);
        let short = PasswordChange {
            new_password: "short".into(),
            confirm_password: Some("other".into()),
            ..change.clone()
        };
        assert_eq!(fields(&short, false), ["current_password", "new_password"]);
        let api = PasswordChange {
            confirm_password: None,
            ..change
        };
        assert!(api.check(true, &[]).is_ok());
        assert!(
            constant_time_eq("abc", "abc")
                && !constant_time_eq("abc", "abd")
                && !constant_time_eq("ab", "abc")
        );
    }

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
        let key = |p: &str, about: &[&str]| check_policy(p, about).err().map(|m| m.key);
        assert_eq!(key("short", &[]).as_deref(), Some("password.too_short"));
        assert_eq!(
            key("aaaaaaaaaaaaaaaa", &[]).as_deref(),
            Some("password.repetitive")
        );
        assert_eq!(key("a long enough passphrase", &[]), None);
        // Long enough, but among the first guesses anyone tries.
        for weak in ["12345678901234", "password12345", "qwertyuiop1234"] {
            assert_eq!(
                key(weak, &[]).as_deref(),
                Some("password.guessable"),
                "{weak}"
            );
        }
        // Built from the person's own address.
        let about = ["amina.yusuf@trust.example", "Amina Yusuf"];
        assert_eq!(
            key("amina.yusuf@trust.example1", &about).as_deref(),
            Some("password.guessable")
        );
        assert_eq!(key("amina.yusuf@trust.example1", &[]), None);
        // Very long passphrases skip the estimator (its time grows with length).
        assert_eq!(key(&"correct horse battery staple ".repeat(3), &[]), None);
    }
}
