//! Inviting people into a programme (issue 16 item 9).
//!
//! An administrator invites an e-mail address with a role and passes the
//! link on; the answer is the same whether or not that e-mail has an
//! account, and never shows another account's name. Whoever opens the link
//! accepts it signed in as the invited e-mail's account, or creates that
//! account with their own name and password: administrators no longer
//! choose other people's passwords.

use useit_core::audit::{Actor, AuditAction, AuditEntry};
use useit_core::auth::invitation::{
    self, Invitation, InvitationInput, InvitationState, IssuedInvitation,
};
use useit_core::auth::{Capability, NewUser, User};
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::programme::Programme;
use useit_store::StoreError;

use crate::{Caller, Error, Result, Store};

/// A new invitation and its link's secret, shown once.
pub struct Invited {
    pub invitation: Invitation,
    pub secret: String,
}

/// Never prints the secret (it is the right to join).
impl std::fmt::Debug for Invited {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invited")
            .field("invitation", &self.invitation)
            .finish_non_exhaustive()
    }
}

/// Invites an e-mail address into the caller's programme with a role.
pub async fn invite(
    store: &dyn Store,
    caller: &Caller,
    input: &InvitationInput,
) -> Result<Invited> {
    caller.require(Capability::ManageMembers)?;
    let draft = input.validate(clock::now())?;
    let IssuedInvitation { secret, hash, hint } = invitation::issue();
    let invitation = store
        .create_invitation(caller.programme, &draft, &hash, &hint, &caller.actor)
        .await?;
    Ok(Invited { invitation, secret })
}

/// The programme's invitations, newest first. They name e-mail addresses,
/// so the read is audited.
pub async fn invitations(store: &dyn Store, caller: &Caller) -> Result<Vec<Invitation>> {
    caller.require(Capability::ManageMembers)?;
    let list = store.invitations(caller.programme).await?;
    store
        .audit_append(
            &AuditEntry::new(
                &caller.actor,
                Some(caller.programme),
                AuditAction::Read,
                "invitation_list",
                None,
                format!("invitations listed: {} (email, role)", list.len()),
            )
            .said(
                useit_core::audit::AuditMessage::new("audit.msg.invitations_listed")
                    .number("count", list.len() as u64),
            ),
        )
        .await?;
    Ok(list)
}

/// Withdraws an open invitation: its link stops working.
pub async fn withdraw(store: &dyn Store, caller: &Caller, id: uuid::Uuid) -> Result<()> {
    caller.require(Capability::ManageMembers)?;
    Ok(store
        .revoke_invitation(caller.programme, id, &caller.actor)
        .await?)
}

/// An invitation as its link shows it, with the programme it leads to.
#[derive(Debug)]
pub struct Opened {
    pub invitation: Invitation,
    pub programme: Programme,
    pub state: InvitationState,
}

/// The invitation a link's secret opens. An unknown secret is `NotFound`;
/// a closed invitation is returned with its state, so the page can say why
/// it no longer works.
pub async fn open(store: &dyn Store, secret: &str) -> Result<Opened> {
    if !secret.starts_with(invitation::PREFIX) || secret.len() > 100 {
        return Err(Error::NotFound);
    }
    let invitation = store
        .invitation_by_hash(&invitation::lookup_hash(secret))
        .await?
        .ok_or(Error::NotFound)?;
    let programme = store
        .programme(invitation.programme)
        .await?
        .ok_or(Error::NotFound)?;
    let state = invitation.state(clock::now());
    Ok(Opened {
        invitation,
        programme,
        state,
    })
}

/// Accepts an invitation as the signed-in account, which must be the
/// invited e-mail's.
pub async fn accept(store: &dyn Store, user: &User, secret: &str, actor: &Actor) -> Result<Opened> {
    let opened = open(store, secret).await?;
    if !opened.invitation.is_for(&user.email) {
        return Err(Error::invalid(
            "invitation",
            Message::new("invitations.other_account").arg("email", &opened.invitation.email),
        ));
    }
    store
        .accept_invitation(opened.invitation.id, user.id, actor)
        .await
        .map_err(closed)?;
    Ok(opened)
}

/// Accepts an invitation by creating the invited e-mail's account with the
/// name and password its owner chooses.
pub async fn accept_with_new_account(
    store: &dyn Store,
    secret: &str,
    display_name: &str,
    password: &str,
    actor: Actor,
) -> Result<(Opened, User)> {
    let opened = open(store, secret).await?;
    let (email, name, password) = (
        opened.invitation.email.clone(),
        display_name.to_string(),
        password.to_string(),
    );
    let new =
        crate::auth::blocking(move || NewUser::validate(&email, &name, &password, false)).await?;
    let user = store
        .accept_invitation_as_new_account(opened.invitation.id, &new, &actor)
        .await
        .map_err(|e| match e {
            StoreError::Conflict { field, .. } if field == "email" => {
                Error::invalid("display_name", Message::new("invitations.account_exists"))
            }
            e => closed(e),
        })?;
    Ok((opened, user))
}

/// A closed invitation in the words the person sees.
fn closed(e: StoreError) -> Error {
    match e {
        StoreError::Conflict { field, .. } if field == "invitation" => {
            Error::invalid("invitation", Message::new("invitations.closed"))
        }
        e => e.into(),
    }
}
