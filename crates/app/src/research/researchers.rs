//! Community researchers: the list, one researcher (every read audited),
//! adding and changing them, erasure that keeps the counts, the subject
//! access export and the researchers file.

use uuid::Uuid;

use useit_core::auth::{Capability, MemberQuery};
use useit_core::clock;
use useit_core::csv_import::write_table;
use useit_core::i18n::Message;
use useit_core::listing::{Page, PageRequest};
use useit_core::research::researcher::{
    Researcher, ResearcherDraft, ResearcherInput, ResearcherParams, check_training_dated,
};
use useit_core::validation::Invalid;
use useit_core::{ProgrammeId, UserId};
use useit_store::research::{ReadPurpose, ResearcherChange};

use super::reach;
use crate::place::{home_place, lookup_basis};
use crate::{Caller, Result, Store};

/// A page of researchers (names: audited). Only a coordinator lists them.
pub async fn researchers(
    store: &dyn Store,
    caller: &Caller,
    params: &ResearcherParams,
) -> Result<Page<Researcher>> {
    caller.require(Capability::ManageResearch)?;
    let page = PageRequest::new(params.page, params.per_page);
    Ok(store
        .list_researchers(caller.programme, reach(caller), params, page, &caller.actor)
        .await?)
}

/// One researcher (audited); a researcher reaches only their own record.
pub async fn researcher(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Researcher> {
    caller.require(Capability::RecordResearchTime)?;
    Ok(store
        .researcher(
            caller.programme,
            reach(caller),
            id,
            ReadPurpose::View,
            &caller.actor,
        )
        .await?)
}

/// The record linked to the caller's own account, if any.
pub async fn my_record(store: &dyn Store, caller: &Caller) -> Result<Option<Researcher>> {
    caller.require(Capability::RecordResearchTime)?;
    match caller.user {
        Some(u) => Ok(store
            .researcher_of_user(caller.programme, u, &caller.actor)
            .await?),
        None => Ok(None),
    }
}

/// Everything held about a researcher, for a subject access request
/// (audited as an export); a researcher may ask for their own.
pub async fn subject_access(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Researcher> {
    caller.require(Capability::RecordResearchTime)?;
    Ok(store
        .researcher(
            caller.programme,
            reach(caller),
            id,
            ReadPurpose::Export,
            &caller.actor,
        )
        .await?)
}

/// The account a researcher signs in with: a member of this programme with
/// that e-mail, or the field is refused.
async fn account(
    store: &dyn Store,
    programme: ProgrammeId,
    email: Option<&str>,
) -> Result<Option<UserId>> {
    let Some(email) = email else {
        return Ok(None);
    };
    let members = store
        .members(
            programme,
            &MemberQuery::default(),
            PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE)),
        )
        .await?;
    match members
        .items
        .iter()
        .find(|m| m.user.email.eq_ignore_ascii_case(email))
    {
        Some(m) => Ok(Some(m.user.id)),
        None => Err(Invalid::one(
            "account_email",
            Message::new("research.researcher.no_account").arg("email", email),
        )
        .into()),
    }
}

/// The change a draft makes: the account found and the postcode placed
/// (its small area and that area's decile in the programme's index).
async fn change(
    store: &dyn Store,
    programme: ProgrammeId,
    draft: ResearcherDraft,
) -> Result<ResearcherChange> {
    let user = account(store, programme, draft.account_email.as_deref()).await?;
    let home = home_place(store, programme, draft.postcode.as_deref()).await?;
    let decile = match (&home.area_code, lookup_basis(store, Some(programme)).await?) {
        (Some(code), Some(basis)) => store
            .area_deprivation(&basis.index, code)
            .await?
            .map(|d| d.decile),
        _ => None,
    };
    Ok(ResearcherChange {
        draft,
        user,
        area_code: home.area_code,
        decile,
    })
}

pub async fn create_researcher(
    store: &dyn Store,
    caller: &Caller,
    input: &ResearcherInput,
) -> Result<Researcher> {
    caller.require(Capability::ManageResearch)?;
    let draft = input.validate(clock::today())?;
    check_training_dated(&draft.training, None)?;
    let c = change(store, caller.programme, draft).await?;
    Ok(store
        .create_researcher(caller.programme, &c, &caller.actor)
        .await?)
}

pub async fn update_researcher(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &ResearcherInput,
) -> Result<Researcher> {
    caller.require(Capability::ManageResearch)?;
    let draft = input.validate(clock::today())?;
    // A module kept from before completions were dated may stay undated.
    let before = store
        .researcher(
            caller.programme,
            reach(caller),
            id,
            ReadPurpose::View,
            &caller.actor,
        )
        .await?;
    check_training_dated(&draft.training, Some(&before.draft.training))?;
    let c = change(store, caller.programme, draft).await?;
    Ok(store
        .update_researcher(caller.programme, reach(caller), id, &c, &caller.actor)
        .await?)
}

/// Erases a researcher's personal data; channel, decile, accreditation and
/// hours stay, so the strand's counts and the payments made do not move.
pub async fn erase_researcher(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<()> {
    caller.require(Capability::ManageResearch)?;
    Ok(store
        .erase_researcher(caller.programme, id, &caller.actor)
        .await?)
}

pub const FILE_COLUMNS: [&str; 16] = [
    "id",
    "full_name",
    "email",
    "postcode",
    "channel",
    "recruited_on",
    "languages",
    "lawful_basis",
    "consent_given_on",
    "training",
    "qualification",
    "level",
    "awarding_body",
    "accredited_on",
    "account_email",
    "decile",
];

/// The researchers the filters select, as CSV (audited as a listing).
pub async fn researchers_file(
    store: &dyn Store,
    caller: &Caller,
    params: &ResearcherParams,
) -> Result<String> {
    caller.require(Capability::ManageResearch)?;
    let all = store
        .list_researchers(
            caller.programme,
            reach(caller),
            params,
            PageRequest::all(),
            &caller.actor,
        )
        .await?;
    Ok(write_table(
        &FILE_COLUMNS,
        all.items.iter().map(|r| {
            let i = r.draft.to_input();
            vec![
                r.id.to_string(),
                i.full_name,
                i.email,
                i.postcode,
                i.channel,
                i.recruited_on,
                i.languages,
                i.lawful_basis,
                i.consent_given_on,
                i.training,
                i.qualification,
                i.level,
                i.awarding_body,
                i.accredited_on,
                i.account_email,
                r.decile.map(|d| d.to_string()).unwrap_or_default(),
            ]
        }),
    ))
}
