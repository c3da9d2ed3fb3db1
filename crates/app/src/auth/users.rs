//! The deployment's accounts, for its administrators (and the console):
//! the list (names and e-mails are personal data, so reading it is
//! audited), adding an account, disabling and enabling one, and setting a
//! forgotten password.

use useit_core::audit::{AuditAction, AuditEntry};
use useit_core::auth::{Role, User, UserInput, UserQuery, check_disabling, password};
use useit_core::listing::{Page, PageRequest};
use useit_core::validation::Invalid;
use useit_core::{ProgrammeId, UserId};

use super::{Operator, blocking};
use crate::{Error, Result, Store};

/// One page of the accounts the query selects; the read is audited.
pub async fn users(
    store: &dyn Store,
    operator: &Operator,
    query: &UserQuery,
    page: PageRequest,
) -> Result<Page<User>> {
    operator.require_admin()?;
    let users = store.users(query, page).await?;
    store
        .audit_append(
            &AuditEntry::new(
                &operator.actor,
                None,
                AuditAction::Read,
                "user_list",
                None,
                format!("{} accounts: email, display_name", users.items.len()),
            )
            .said(
                useit_core::audit::AuditMessage::new("audit.msg.accounts_listed")
                    .number("count", users.items.len() as u64),
            ),
        )
        .await?;
    Ok(users)
}

/// The account with this e-mail (any case).
pub async fn user_by_email(store: &dyn Store, operator: &Operator, email: &str) -> Result<User> {
    operator.require_admin()?;
    Ok(store
        .credentials_by_email(email)
        .await?
        .ok_or(Error::NotFound)?
        .user)
}

/// Adds an account, and with `membership` its role in a programme, in one
/// transaction; an e-mail already in use is a conflict on `email`.
pub async fn create_user(
    store: &dyn Store,
    operator: &Operator,
    input: &UserInput,
    membership: Option<(ProgrammeId, Role)>,
) -> Result<User> {
    operator.require_admin()?;
    let input = input.clone();
    let new = blocking(move || input.validate()).await?;
    Ok(store.create_user(&new, membership, &operator.actor).await?)
}

/// Disables an account (its sessions end, its tokens stop working) or
/// enables it again. Nobody disables their own account.
pub async fn set_disabled(
    store: &dyn Store,
    operator: &Operator,
    user: UserId,
    disabled: bool,
) -> Result<User> {
    operator.require_admin()?;
    check_disabling(operator.user, user, disabled).map_err(|message| Error::Conflict {
        field: "user".into(),
        message,
    })?;
    store.set_disabled(user, disabled, &operator.actor).await?;
    store.user(user).await?.ok_or(Error::NotFound)
}

/// Sets a new password for someone who lost theirs, and signs them out
/// everywhere.
pub async fn set_password(
    store: &dyn Store,
    operator: &Operator,
    user: UserId,
    new_password: &str,
) -> Result<()> {
    operator.require_admin()?;
    let them = store.user(user).await?.ok_or(Error::NotFound)?;
    password::check_policy(new_password, &[&them.email, &them.display_name])
        .map_err(|m| Invalid::one("password", m))?;
    let pw = new_password.to_string();
    let hash = blocking(move || password::hash(&pw)).await;
    Ok(store
        .set_password(user, &hash, None, &operator.actor)
        .await?)
}
