//! Who is in the programme and with what role. Names and e-mails are
//! personal data: every list and every member read is audited.

use useit_core::UserId;
use useit_core::audit::{AuditAction, AuditEntry};
use useit_core::auth::{Capability, Member, MemberInput, MemberQuery, Role, RoleInput};
use useit_core::clock;
use useit_core::listing::{Page, PageRequest};

use crate::{Caller, Error, Result, Store};

/// One page of the members the query selects; the read is audited.
pub async fn members(
    store: &dyn Store,
    caller: &Caller,
    query: &MemberQuery,
    page: PageRequest,
) -> Result<Page<Member>> {
    caller.require(Capability::ViewMembers)?;
    let members = store.members(caller.programme, query, page).await?;
    store
        .audit_append(
            &AuditEntry::new(
                &caller.actor,
                Some(caller.programme),
                AuditAction::Read,
                "member_list",
                None,
                format!(
                    "members listed: {} (email, display_name, role)",
                    members.items.len()
                ),
            )
            .said(
                useit_core::audit::AuditMessage::new("audit.msg.members_listed")
                    .number("count", members.items.len() as u64),
            ),
        )
        .await?;
    Ok(members)
}

/// One member, to change or remove; the read is audited.
pub async fn member(store: &dyn Store, caller: &Caller, user: UserId) -> Result<Member> {
    caller.require(Capability::ViewMembers)?;
    let role = store
        .role_in(user, caller.programme)
        .await?
        .ok_or(Error::NotFound)?;
    let user = store.user(user).await?.ok_or(Error::NotFound)?;
    store
        .audit_append(
            &AuditEntry::new(
                &caller.actor,
                Some(caller.programme),
                AuditAction::Read,
                "membership",
                Some(user.id.to_string()),
                "email, display_name, role",
            )
            .said(
                useit_core::audit::AuditMessage::new("audit.msg.member_read")
                    .person("member", user.id.0),
            ),
        )
        .await?;
    Ok(Member {
        user,
        role,
        since: clock::now(),
    })
}

/// Someone added to the programme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    pub member: Member,
    /// Whether their account was created now.
    pub created: bool,
}

/// Adds a person directly: an existing account gets the role; an e-mail
/// without one needs a name and a first password, and gets the account and
/// the role in one transaction. Only the console and the demo builder may:
/// the answer tells whether an account exists and shows its name, which a
/// programme's administrator must not learn about other programmes'
/// people, so members join by invitation (`invitations`) instead.
pub async fn add_member(store: &dyn Store, caller: &Caller, input: &MemberInput) -> Result<Added> {
    if caller.role.is_some() {
        return Err(Error::Refused);
    }
    let draft = input.validate()?;
    if let Some(c) = store.credentials_by_email(&draft.email).await? {
        store
            .set_role(caller.programme, c.user.id, draft.role, &caller.actor)
            .await?;
        return Ok(Added {
            member: Member {
                user: c.user,
                role: draft.role,
                since: clock::now(),
            },
            created: false,
        });
    }
    let input = input.clone();
    let new = crate::auth::blocking(move || input.new_account()).await?;
    let user = store
        .create_user(&new, Some((caller.programme, draft.role)), &caller.actor)
        .await?;
    Ok(Added {
        member: Member {
            user,
            role: draft.role,
            since: clock::now(),
        },
        created: true,
    })
}

/// Changes a member's role; a programme that has an administrator keeps one.
pub async fn set_role(
    store: &dyn Store,
    caller: &Caller,
    user: UserId,
    input: &RoleInput,
) -> Result<Role> {
    caller.require(Capability::ManageMembers)?;
    store
        .role_in(user, caller.programme)
        .await?
        .ok_or(Error::NotFound)?;
    let role = input.validate()?;
    store
        .set_role(caller.programme, user, role, &caller.actor)
        .await?;
    Ok(role)
}

/// Removes a member (and their tokens for this programme); a programme
/// that has an administrator keeps one.
pub async fn remove_member(store: &dyn Store, caller: &Caller, user: UserId) -> Result<()> {
    caller.require(Capability::ManageMembers)?;
    Ok(store
        .remove_member(caller.programme, user, &caller.actor)
        .await?)
}
