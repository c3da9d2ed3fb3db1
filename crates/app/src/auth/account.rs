//! A person's own account: the programmes they are in, their password and
//! their API tokens.

use useit_core::ApiTokenId;
use useit_core::auth::password::{self, PasswordChange};
use useit_core::auth::token::{self, TokenInput};
use useit_core::auth::{ApiToken, Membership, NewApiToken};
use useit_core::clock;

use super::{Operator, blocking};
use crate::{Result, Store};

/// The programmes the person belongs to, by name, with their role in each
/// (through a token, only the token's programme).
pub async fn memberships(store: &dyn Store, operator: &Operator) -> Result<Vec<Membership>> {
    let mut all = store.memberships(operator.account()?).await?;
    if let Some(p) = operator.token {
        all.retain(|m| m.programme.id == p);
    }
    Ok(all)
}

/// Changes the person's password once they have given the current one, and
/// ends every other session of theirs (`keep_session`, the one asking, stays)
/// and every API token (a token was made under the old password). Never
/// through a token.
pub async fn change_password(
    store: &dyn Store,
    operator: &Operator,
    change: &PasswordChange,
    keep_session: Option<&str>,
) -> Result<()> {
    let user = operator.credentials_owner()?;
    let stored = store
        .credentials(user)
        .await?
        .map(|c| c.password_hash)
        .unwrap_or_default();
    let current = change.current_password.clone();
    let matches = blocking(move || password::verify(&current, &stored)).await;
    let me = store.user(user).await?.ok_or(crate::Error::NotFound)?;
    change.check(matches, &[&me.email, &me.display_name])?;
    let new = change.new_password.clone();
    let hash = blocking(move || password::hash(&new)).await;
    Ok(store
        .set_password(user, &hash, keep_session, &operator.actor)
        .await?)
}

/// The person's tokens (secrets are never shown again); a token does not
/// list its owner's other tokens.
pub async fn tokens(store: &dyn Store, operator: &Operator) -> Result<Vec<ApiToken>> {
    Ok(store.tokens_of_user(operator.credentials_owner()?).await?)
}

/// A token that acts as the person, with the role they hold in one of
/// their programmes; its secret is returned once and only its hash kept.
/// A token never mints another.
pub async fn create_token(
    store: &dyn Store,
    operator: &Operator,
    input: &TokenInput,
) -> Result<(ApiToken, String)> {
    let user = operator.credentials_owner()?;
    let role = match input.programme {
        Some(p) => store.role_in(user, p).await?,
        None => None,
    };
    let draft = input.validate(role)?;
    let issued = token::issue();
    let stored = store
        .create_token(
            &NewApiToken {
                programme_id: draft.programme,
                user_id: user,
                role: draft.role,
                name: draft.name,
                token_hash: issued.hash,
                hint: issued.hint,
                expires_at: draft
                    .expires_in_days
                    .map(|d| clock::now() + time::Duration::days(d)),
            },
            &operator.actor,
        )
        .await?;
    Ok((stored, issued.secret))
}

/// Revokes one of the person's own tokens (another's is not found); a
/// token does not revoke others.
pub async fn revoke_token(store: &dyn Store, operator: &Operator, id: ApiTokenId) -> Result<()> {
    Ok(store
        .revoke_token(operator.credentials_owner()?, id, &operator.actor)
        .await?)
}
