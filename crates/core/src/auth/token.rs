//! API bearer tokens. Only a SHA-256 hash is stored: tokens carry 256 bits of
//! randomness, so a slow hash adds nothing and a fast one keeps every API call
//! cheap.

use rand::RngExt;
use sha2::{Digest, Sha256};

use super::Role;
use crate::ProgrammeId;
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

pub const PREFIX: &str = "useit_";

/// A new token to show its owner once, and the parts to store.
pub struct IssuedToken {
    /// The secret, shown once.
    pub secret: String,
    /// SHA-256 of the secret, hex.
    pub hash: String,
    /// The first characters, stored in clear so people can tell tokens apart.
    pub hint: String,
}

pub fn issue() -> IssuedToken {
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes);
    let secret = format!("{PREFIX}{}", hex(&bytes));
    IssuedToken {
        hash: hash(&secret),
        hint: secret[..PREFIX.len() + 6].to_string(),
        secret,
    }
}

/// A link's secret (a workshop guest link, an invitation): shown once, in
/// the link; only its hash is stored, its last four characters kept to
/// tell links apart.
pub struct IssuedLinkSecret {
    pub secret: String,
    pub hash: String,
    pub hint: String,
}

/// A new link secret: `prefix` then 192 random bits in hex.
pub fn issue_link_secret(prefix: &str) -> IssuedLinkSecret {
    let mut bytes = [0u8; 24];
    rand::rng().fill(&mut bytes);
    let secret = format!("{prefix}{}", hex(&bytes));
    IssuedLinkSecret {
        hash: hash(&secret),
        hint: secret[secret.len() - 4..].to_string(),
        secret,
    }
}

/// The hash a presented link secret is looked up by.
pub fn link_lookup_hash(secret: &str) -> String {
    hash(secret.trim())
}

pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A token as asked for on the account page or through the API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenInput {
    pub name: String,
    /// The programme it acts in; it must be one of the person's.
    pub programme: Option<ProgrammeId>,
    /// Days until it stops working; `None`: it does not expire.
    pub expires_in_days: Option<i64>,
}

/// A checked [`TokenInput`]: the token acts with `role` in `programme`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenDraft {
    pub name: String,
    pub programme: ProgrammeId,
    pub role: Role,
    pub expires_in_days: Option<i64>,
}

/// The longest a token may last: ten years.
pub const MAX_DAYS: i64 = 3650;

impl TokenInput {
    /// `role` is the person's role in the programme asked for (`None`: not
    /// theirs, or none asked for): a token acts with exactly that role.
    pub fn validate(&self, role: Option<Role>) -> Result<TokenDraft, Invalid> {
        let mut e = Errors::new();
        let name = e.required("token_name", &self.name, 80);
        let programme = self.programme.zip(role);
        if programme.is_none() {
            e.add(
                "programme",
                Message::new("account.tokens.programme_required"),
            );
        }
        if let Some(d) = self.expires_in_days
            && !(1..=MAX_DAYS).contains(&d)
        {
            e.add("expires", Message::new("account.tokens.expiry_range"));
        }
        e.finish(|| {
            let (programme, role) = programme.expect("checked");
            TokenDraft {
                name,
                programme,
                role,
                expires_in_days: self.expires_in_days,
            }
        })
    }
}

/// The account page's expiry choice: `never`, or a number of days (an
/// unreadable one means the default, 90).
pub fn expiry_choice(value: &str) -> Option<i64> {
    match value {
        "never" => None,
        d => Some(d.parse::<i64>().unwrap_or(90)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_acts_in_one_of_the_persons_programmes_for_a_while() {
        let p = ProgrammeId::new();
        let input = TokenInput {
            name: " laptop ".into(),
            programme: Some(p),
            expires_in_days: Some(30),
        };
        let d = input.validate(Some(Role::AnchorAnalyst)).unwrap();
        assert_eq!(
            (d.name.as_str(), d.programme, d.role, d.expires_in_days),
            ("laptop", p, Role::AnchorAnalyst, Some(30))
        );
        let not_theirs = input.validate(None).unwrap_err();
        assert_eq!(not_theirs.0[0].field, "programme");
        let bad = TokenInput {
            name: String::new(),
            programme: None,
            expires_in_days: Some(MAX_DAYS + 1),
        }
        .validate(Some(Role::FunderViewer))
        .unwrap_err();
        let fields: Vec<_> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["token_name", "programme", "expires"]);
    }

    #[test]
    fn expiry_choices() {
        assert_eq!(expiry_choice("never"), None);
        assert_eq!(expiry_choice("365"), Some(365));
        assert_eq!(expiry_choice("soon"), Some(90));
    }

    #[test]
    fn tokens_are_unique_and_hash_stably() {
        let a = issue();
        let b = issue();
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.hash, hash(&a.secret));
        assert_eq!(a.secret.len(), PREFIX.len() + 64);
        assert!(a.secret.starts_with(&a.hint));
    }
}
