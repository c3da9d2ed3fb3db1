//! Communities and their CED plans (issue 19 item 6). Everyone in the
//! programme reads communities and plans (no personal data); who a
//! community's members are is personal data, read only by those who
//! manage communities (and audited). A plan is edited by those who manage
//! communities and by the community's own members — a narrower scope than
//! a role: [`may_edit_plan`] decides it once for every surface.

pub mod assets;

use std::collections::BTreeSet;

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::community::plan::{Action, ActionInput, Plan, PlanInput, Progress};
use useit_core::community::record::{Community, CommunityInput, CommunityMember, MemberInput};
use useit_core::i18n::Message;
use useit_core::validation::FieldError;
use useit_core::{ProgrammeId, UserId};
use useit_store::community::AreaVersion;

use crate::place::area_of_benefit::{Preview, check};
use crate::{Caller, Error, Result, Store};

/// The programme's communities by name, each with its plan's status and
/// progress.
pub async fn communities(store: &dyn Store, caller: &Caller) -> Result<Vec<Community>> {
    caller.require(Capability::ViewCommunities)?;
    Ok(store.communities(caller.programme).await?)
}

/// The communities, or only those whose plan the home page's "communities
/// with an adopted CED plan" counts over its period (`query`), by the same
/// rule as the figure.
pub async fn communities_in(
    store: &dyn Store,
    caller: &Caller,
    query: &useit_core::programme::indicators::CountedQuery,
) -> Result<Vec<Community>> {
    use useit_core::programme::indicators::{Indicator, plan_counted};
    let all = communities(store, caller).await?;
    Ok(
        match query.filter(&[Indicator::CommunitiesWithAdoptedPlan]) {
            Some(f) => all
                .into_iter()
                .filter(|c| plan_counted(c.plan_status, c.adopted_on, f.period))
                .collect(),
            None => all,
        },
    )
}

/// Whether the caller may edit this community's plan: those who manage
/// communities edit every plan; anyone else with the capability only the
/// plans of communities they are a member of.
pub async fn may_edit_plan(store: &dyn Store, caller: &Caller, community: Uuid) -> Result<bool> {
    if !caller.can(Capability::EditCommunityPlans) {
        return Ok(false);
    }
    if caller.can(Capability::ManageCommunities) {
        return Ok(true);
    }
    match caller.user {
        Some(u) => Ok(store
            .is_community_member(caller.programme, community, u)
            .await?),
        None => Ok(true),
    }
}

/// Everything a community's page, its printable plan, the API and the CLI
/// show.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CommunityView {
    pub community: Community,
    pub plan: Option<Plan>,
    pub actions: Vec<Action>,
    pub progress: Progress,
    /// Whether the caller may edit the plan and its actions.
    pub may_edit: bool,
    /// Whether the caller may change the community and its members.
    pub may_manage: bool,
    /// The names of the wards its area was chosen by (codes no longer
    /// loaded stay codes).
    pub ward_names: Vec<String>,
}

pub async fn community(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<CommunityView> {
    caller.require(Capability::ViewCommunities)?;
    let community = store
        .community(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    let plan = store.community_plan(caller.programme, id).await?;
    let actions = store.community_actions(caller.programme, id).await?;
    let progress = Progress::of(actions.iter().map(|a| a.draft.status));
    let ward_names = match &community.area {
        Some(a) if !a.selection.wards.is_empty() => {
            let wards = store.wards(&a.selection.scheme).await?;
            a.selection
                .wards
                .iter()
                .map(|w| useit_core::place::areas::name_in(&wards, w))
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(CommunityView {
        ward_names,
        may_edit: may_edit_plan(store, caller, id).await?,
        may_manage: caller.can(Capability::ManageCommunities),
        community,
        plan,
        actions,
        progress,
    })
}

/// The small areas of the community's area in force.
pub async fn community_areas(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
) -> Result<BTreeSet<String>> {
    caller.require(Capability::ViewCommunities)?;
    let c = store
        .community(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    match c.area {
        Some(a) => Ok(store.community_area_codes(caller.programme, a.id).await?),
        None => Ok(BTreeSet::new()),
    }
}

/// Checks the community's own fields and its area together, so a person
/// sees every problem at once; the area's fields are named `area/…`.
async fn checked(
    store: &dyn Store,
    input: &CommunityInput,
) -> Result<(useit_core::community::record::CommunityDraft, Preview)> {
    let draft = input.validate();
    let area = check(store, &input.area).await.and_then(|p| {
        p.resolution.check_saveable()?;
        Ok(p)
    });
    let mut errs: Vec<FieldError> = Vec::new();
    if let Err(e) = &draft {
        errs.extend(e.0.iter().cloned());
    }
    if let Err(Error::Invalid(fs)) = &area {
        errs.extend(fs.iter().map(|f| FieldError {
            field: format!("area/{}", f.field),
            message: f.message.clone(),
        }));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    Ok((draft?, area?))
}

/// Adds a community with the first version of its area.
pub async fn add_community(
    store: &dyn Store,
    caller: &Caller,
    input: &CommunityInput,
) -> Result<Community> {
    caller.require(Capability::ManageCommunities)?;
    let (draft, p) = checked(store, input).await?;
    Ok(store
        .add_community(
            caller.programme,
            &draft,
            AreaVersion {
                selection: &p.selection,
                codes: &p.resolution.codes,
                note: input.area.note.trim(),
            },
            &caller.actor,
        )
        .await?)
}

/// Changes a community's name and description; its area is saved as a new
/// version only when the selection changed.
pub async fn edit_community(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &CommunityInput,
) -> Result<Community> {
    caller.require(Capability::ManageCommunities)?;
    let before = store
        .community(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    let (draft, p) = checked(store, input).await?;
    let changed = before
        .area
        .as_ref()
        .is_none_or(|a| a.selection != p.selection);
    Ok(store
        .update_community(
            caller.programme,
            id,
            &draft,
            changed.then_some(AreaVersion {
                selection: &p.selection,
                codes: &p.resolution.codes,
                note: input.area.note.trim(),
            }),
            &caller.actor,
        )
        .await?)
}

/// Who the community's members are (personal data: managers only, and
/// the read is audited).
pub async fn members(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Vec<CommunityMember>> {
    caller.require(Capability::ManageCommunities)?;
    Ok(store
        .community_members(caller.programme, id, &caller.actor)
        .await?)
}

/// Makes an account of the programme a member, by its e-mail. An account
/// whose role may not edit plans (a funder) cannot be a plan's editor.
pub async fn add_member(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &MemberInput,
) -> Result<UserId> {
    caller.require(Capability::ManageCommunities)?;
    let email = input.validate()?;
    let user = member_of_programme(store, caller.programme, &email).await?;
    store
        .community(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    store
        .add_community_member(caller.programme, id, user, &caller.actor)
        .await?;
    Ok(user)
}

async fn member_of_programme(
    store: &dyn Store,
    programme: ProgrammeId,
    email: &str,
) -> Result<UserId> {
    // No such account in the programme: a well-formed e-mail naming no one
    // it has (a 404 naming the field in the API).
    let unknown = || Error::unknown("email", Message::new("community.member_unknown"));
    let user = store
        .credentials_by_email(email)
        .await?
        .ok_or_else(unknown)?
        .user;
    let role = store
        .role_in(user.id, programme)
        .await?
        .ok_or_else(unknown)?;
    if !role.can(Capability::EditCommunityPlans) {
        return Err(Error::invalid(
            "email",
            Message::new("community.member_role")
                .arg("role", useit_core::i18n::t(&role.label_key())),
        ));
    }
    Ok(user.id)
}

pub async fn remove_member(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    user: UserId,
) -> Result<()> {
    caller.require(Capability::ManageCommunities)?;
    Ok(store
        .remove_community_member(caller.programme, id, user, &caller.actor)
        .await?)
}

/// Refuses a caller who may not edit this community's plan (after the
/// community is known to exist, so another programme's is still 404).
async fn require_editor(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Community> {
    caller.require(Capability::EditCommunityPlans)?;
    let c = store
        .community(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    if !may_edit_plan(store, caller, id).await? {
        return Err(Error::Refused);
    }
    Ok(c)
}

/// Writes the community's plan: aspirations, priorities and its status.
pub async fn save_plan(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &PlanInput,
) -> Result<Plan> {
    require_editor(store, caller, id).await?;
    let plan = input.validate()?;
    Ok(store
        .save_community_plan(caller.programme, id, &plan, &caller.actor)
        .await?)
}

/// Adds an action to the plan (`action` none) or changes one of its
/// actions. The partner and the enterprises must be organisations of the
/// programme's register.
pub async fn save_action(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    action: Option<Uuid>,
    input: &ActionInput,
) -> Result<Action> {
    require_editor(store, caller, id).await?;
    let draft = input.validate()?;
    Ok(store
        .save_community_action(caller.programme, id, action, &draft, &caller.actor)
        .await?)
}

/// One action of the community's plan.
pub async fn action(store: &dyn Store, caller: &Caller, id: Uuid, action: Uuid) -> Result<Action> {
    caller.require(Capability::ViewCommunities)?;
    store
        .community_actions(caller.programme, id)
        .await?
        .into_iter()
        .find(|a| a.id == action)
        .ok_or(Error::NotFound)
}

/// The register's organisations to choose a partner or enterprise from:
/// `None` when there are more than `at_most` (the form then takes an id).
pub async fn organisation_choices(
    store: &dyn Store,
    caller: &Caller,
    at_most: usize,
) -> Result<Option<Vec<(Uuid, String)>>> {
    caller.require(Capability::ViewCommunities)?;
    let limit = i64::try_from(at_most.saturating_add(1)).unwrap_or(i64::MAX);
    let out = store.organisation_choices(caller.programme, limit).await?;
    Ok((out.len() <= at_most).then_some(out))
}

/// What the community form offers for its area: every index loaded, and
/// the local authorities and wards of the chosen index's scheme (blank:
/// the first index loaded).
#[derive(Clone, Debug)]
pub struct AreaChoices {
    pub indices: Vec<useit_core::place::deprivation::DeprivationIndex>,
    pub index: String,
    pub local_authorities: Vec<useit_core::place::areas::NamedAreaCount>,
    pub wards: Vec<useit_core::place::areas::NamedAreaCount>,
}

pub async fn area_choices(store: &dyn Store, caller: &Caller, index: &str) -> Result<AreaChoices> {
    caller.require(Capability::ManageCommunities)?;
    let indices = store.indices().await?;
    // A community sits inside the programme: its area of benefit's index,
    // else the one a programme without one works in.
    let index = if index.is_empty() {
        match store.area_of_benefit(caller.programme, None).await? {
            Some(aob) => aob.selection.index,
            None => crate::place::default_index(&indices)
                .map(|i| i.code.clone())
                .unwrap_or_default(),
        }
    } else {
        index.to_string()
    };
    let scheme = indices
        .iter()
        .find(|i| i.code == index)
        .map(|i| i.scheme.clone())
        .unwrap_or_default();
    Ok(AreaChoices {
        local_authorities: store.local_authorities(&scheme).await?,
        wards: store.wards(&scheme).await?,
        indices,
        index,
    })
}

/// The programme's enterprises (id, name) to link an action to.
pub async fn enterprise_choices(store: &dyn Store, caller: &Caller) -> Result<Vec<(Uuid, String)>> {
    caller.require(Capability::ViewCommunities)?;
    Ok(store
        .enterprises(caller.programme)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect())
}
