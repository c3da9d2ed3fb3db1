//! API bearer tokens. Only a SHA-256 hash is stored: tokens carry 256 bits of
//! randomness, so a slow hash adds nothing and a fast one keeps every API call
//! cheap.

use rand::RngExt;
use sha2::{Digest, Sha256};

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

#[cfg(test)]
mod tests {
    use super::*;

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
