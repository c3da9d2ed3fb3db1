//! Checking a sign-in: the password, and the throttle that stops guessing.
//! The session itself (a new id, the CSRF token) is the web layer's.

use useit_core::audit::{Actor, AuditAction, AuditEntry};
use useit_core::auth::User;
use useit_core::auth::password;
use useit_core::auth::sign_in::{SignInInput, Throttle, address_key};
use useit_core::clock;
use uuid::Uuid;

use super::{Operator, blocking};
use crate::{Result, Store};

/// How a sign-in attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// The password is the account's and the account is enabled.
    Welcome(User),
    /// Too many failures lately, for this account or from this address: no
    /// password was checked. Try again after `minutes`.
    Throttled { minutes: u64 },
    /// Wrong password, unknown account or a disabled one: the person is
    /// told the same in each case, the audit log which it was.
    Refused,
}

/// Checks a sign-in from `client` (its address). The attempt is counted
/// against the account and the address before the password is checked, in
/// one transaction with the check of the limit, so concurrent guesses are
/// all counted (and the ones over the limit refused unchecked); a success
/// takes its attempt back. An unknown account takes as long as a known one
/// (no finding accounts by timing); each failure is audited.
pub async fn sign_in(
    store: &dyn Store,
    input: &SignInInput,
    client: &str,
    throttle: &Throttle,
    actor: &Actor,
) -> Result<SignIn> {
    input.validate()?;
    let now = clock::now();
    let attempt = Uuid::now_v7();
    let keys = [
        (input.account_key(), throttle.max_per_account),
        (address_key(client), throttle.max_per_address),
    ];
    if !store
        .claim_attempt(attempt, &keys, now - throttle.window(), now)
        .await?
    {
        return Ok(SignIn::Throttled {
            minutes: throttle.minutes(),
        });
    }
    let creds = store.credentials_by_email(&input.email).await?;
    let hash = match &creds {
        Some(c) => c.password_hash.clone(),
        None => password::decoy_hash().to_string(),
    };
    let typed = input.password.clone();
    let matches = blocking(move || password::verify(&typed, &hash)).await;
    let (subject, why, key) = match &creds {
        Some(c) if matches && !c.user.disabled => {
            store.forgive_attempt(attempt).await?;
            return Ok(SignIn::Welcome(c.user.clone()));
        }
        Some(c) if c.user.disabled => (
            Some(c.user.id.to_string()),
            "account disabled",
            "audit.msg.sign_in_disabled",
        ),
        Some(c) => (
            Some(c.user.id.to_string()),
            "wrong password",
            "audit.msg.sign_in_wrong_password",
        ),
        None => (None, "unknown account", "audit.msg.sign_in_unknown"),
    };
    store
        .audit_append(
            &AuditEntry::new(actor, None, AuditAction::SignInFailed, "user", subject, why)
                .said(useit_core::audit::AuditMessage::new(key)),
        )
        .await?;
    Ok(SignIn::Refused)
}

/// After the session is made: the account's failures are forgiven, and the
/// sign-in is recorded and audited as the person (`actor`).
pub async fn signed_in(
    store: &dyn Store,
    input: &SignInInput,
    user: &User,
    actor: &Actor,
) -> Result<()> {
    store.clear_failures(&input.account_key()).await?;
    store.record_sign_in(user.id, clock::now()).await?;
    store
        .audit_append(
            &AuditEntry::new(
                actor,
                None,
                AuditAction::SignIn,
                "user",
                Some(user.id.to_string()),
                "",
            )
            .said(
                useit_core::audit::AuditMessage::new("audit.msg.signed_in")
                    .person("who", user.id.0),
            ),
        )
        .await?;
    Ok(())
}

/// The person signed out: audited (the session is ended by the web layer).
pub async fn signed_out(store: &dyn Store, operator: &Operator) -> Result<()> {
    if let Some(user) = operator.user {
        store
            .audit_append(
                &AuditEntry::new(
                    &operator.actor,
                    None,
                    AuditAction::SignOut,
                    "user",
                    Some(user.to_string()),
                    "",
                )
                .said(
                    useit_core::audit::AuditMessage::new("audit.msg.signed_out")
                        .person("who", user.0),
                ),
            )
            .await?;
    }
    Ok(())
}
