//! Signing in: what must be typed, and when repeated failures make the
//! deployment refuse to check any more passwords for a while.

use std::time::Duration;

use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// A sign-in as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignInInput {
    pub email: String,
    pub password: String,
}

impl SignInInput {
    /// Both are needed before any password is checked.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut e = Errors::new();
        if self.email.trim().is_empty() {
            e.add("email", Message::new("validation.required.email"));
        }
        if self.password.is_empty() {
            e.add("password", Message::new("validation.required.password"));
        }
        e.finish(|| ())
    }

    /// Failures counted against the account asked for (any case).
    pub fn account_key(&self) -> String {
        format!("email:{}", self.email.trim().to_lowercase())
    }
}

/// Failures counted against the client's address.
pub fn address_key(client: &str) -> String {
    format!("addr:{client}")
}

/// How many failed sign-ins, per account and per client address, within
/// the window make further attempts wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttle {
    pub max_per_account: u64,
    pub max_per_address: u64,
    pub window: Duration,
}

impl Throttle {
    /// Whether failures already counted in the window refuse the next try.
    pub fn refuses(&self, by_account: u64, by_address: u64) -> bool {
        by_account >= self.max_per_account || by_address >= self.max_per_address
    }

    /// The window, to count failures from (fifteen minutes if it is too
    /// long to reckon with).
    pub fn window(&self) -> time::Duration {
        time::Duration::try_from(self.window).unwrap_or(time::Duration::minutes(15))
    }

    /// The window in whole minutes, to tell the person how long to wait.
    pub fn minutes(&self) -> u64 {
        self.window.as_secs() / 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_fields_are_needed() {
        let err = SignInInput {
            email: " ".into(),
            password: String::new(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "password"]);
        let ok = SignInInput {
            email: "PM@Example.org ".into(),
            password: " ".into(),
        };
        assert!(ok.validate().is_ok(), "a password is taken as typed");
        assert_eq!(ok.account_key(), "email:pm@example.org");
        assert_eq!(address_key("10.0.0.1"), "addr:10.0.0.1");
    }

    #[test]
    fn either_count_reaching_its_limit_refuses() {
        let t = Throttle {
            max_per_account: 5,
            max_per_address: 20,
            window: Duration::from_secs(15 * 60),
        };
        assert!(!t.refuses(4, 19));
        assert!(t.refuses(5, 0));
        assert!(t.refuses(0, 20));
        assert_eq!(t.minutes(), 15);
        assert_eq!(t.window(), time::Duration::minutes(15));
        let forever = Throttle {
            window: Duration::MAX,
            ..t
        };
        assert_eq!(forever.window(), time::Duration::minutes(15));
    }
}
