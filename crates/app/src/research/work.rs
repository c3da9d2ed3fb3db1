//! Paid hours: a researcher enters their hours on a project (only from the
//! day of their accreditation), the coordinator approves or rejects them,
//! and a payment run prices the approved hours of a period at the Real
//! Living Wage in force on each day, as CSV for payroll.

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::research::assignment::check_assigned;
use useit_core::research::pay::{PayRule, PayRuleInput, RateTable};
use useit_core::research::researcher::Reach;
use useit_core::research::work::{
    self, PayRun, TimeEntry, TimeInput, TimeParams, TimeQuery, TimeStatus, check_accredited,
};
use useit_core::research::{DEFAULT_PAY_RULE, rule_input};
use useit_core::validation::{FieldError, Invalid};
use useit_store::research::ReadPurpose;
use useit_store::research::assignments::AssignmentQuery;

use super::reach;
use crate::{Caller, Error, Result, Store};

/// The entries the filters select that the caller reaches (a researcher:
/// only their own), oldest first.
pub async fn time_entries(
    store: &dyn Store,
    caller: &Caller,
    params: &TimeParams,
) -> Result<Vec<TimeEntry>> {
    caller.require(Capability::RecordResearchTime)?;
    let query = params.validate()?;
    Ok(store
        .time_entries(
            caller.programme,
            reach(caller),
            &query,
            &caller.actor,
            "timesheets",
        )
        .await?)
}

/// Enters hours. A coordinator names the researcher; a researcher enters
/// their own (naming anyone else is refused as not found). Hours before
/// the researcher's accreditation, on a project not in the programme, or
/// on a day no assignment of the researcher to the project covers, are
/// refused by field.
pub async fn submit_time(
    store: &dyn Store,
    caller: &Caller,
    input: &TimeInput,
) -> Result<TimeEntry> {
    caller.require(Capability::RecordResearchTime)?;
    let draft = input.validate(clock::today())?;
    let researcher = match (draft.researcher, reach(caller)) {
        (Some(id), r) => store
            .researcher(caller.programme, r, id, ReadPurpose::View, &caller.actor)
            .await
            .map_err(Error::from)?,
        (None, Reach::Own(u)) => store
            .researcher_of_user(caller.programme, u, &caller.actor)
            .await?
            .ok_or_else(|| Invalid::one("researcher", Message::new("research.time.no_record")))?,
        (None, Reach::All) => {
            return Err(Invalid::one(
                "researcher",
                Message::new("research.time.researcher_required"),
            )
            .into());
        }
    };
    if researcher.erased_at.is_some() {
        return Err(Error::NotFound);
    }
    if store
        .project(caller.programme, draft.project)
        .await?
        .is_none()
    {
        return Err(Invalid::one("project", Message::new("research.time.project_required")).into());
    }
    check_accredited(researcher.accredited_on(), draft.worked_on)?;
    let assignments = store
        .assignments(
            caller.programme,
            AssignmentQuery {
                project: Some(draft.project),
                researcher: Some(researcher.id),
                ..Default::default()
            },
            &caller.actor,
            "timesheet check",
        )
        .await?;
    check_assigned(&assignments, researcher.id, draft.project, draft.worked_on)?;
    Ok(store
        .add_time(caller.programme, researcher.id, &draft, &caller.actor)
        .await?)
}

/// Approves (`approve`) or rejects (`reject`) a submitted entry.
pub async fn decide_time(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    decision: &str,
) -> Result<TimeEntry> {
    caller.require(Capability::ManageResearch)?;
    let status = match decision.trim() {
        "approve" => TimeStatus::Approved,
        "reject" => TimeStatus::Rejected,
        _ => {
            return Err(
                Invalid::one("decision", Message::new("research.time.decision_required")).into(),
            );
        }
    };
    Ok(store
        .decide_time(caller.programme, id, status, &caller.actor)
        .await?)
}

/// The programme's pay rule (the default until one is chosen).
pub async fn pay_rule(store: &dyn Store, caller: &Caller) -> Result<(PayRule, bool)> {
    caller.require(Capability::ViewResearch)?;
    Ok(match store.pay_rule(caller.programme).await? {
        Some(r) => (r, true),
        None => (DEFAULT_PAY_RULE, false),
    })
}

pub async fn save_pay_rule(
    store: &dyn Store,
    caller: &Caller,
    input: &PayRuleInput,
) -> Result<PayRule> {
    caller.require(Capability::ManageResearch)?;
    let rule = input.validate()?;
    store
        .save_pay_rule(caller.programme, rule, &caller.actor)
        .await?;
    Ok(rule)
}

/// The pay rule as the settings form shows it.
pub fn pay_rule_form(rule: PayRule) -> PayRuleInput {
    rule_input(rule)
}

/// A payment run: the approved hours of the period (`from`–`to` and any
/// other filter) priced at the rate in force on each day. An entry that
/// cannot be priced refuses the whole run, naming every such entry.
pub async fn pay_run(store: &dyn Store, caller: &Caller, params: &TimeParams) -> Result<PayRun> {
    caller.require(Capability::ManageResearch)?;
    let mut query: TimeQuery = params.validate()?;
    query.status = Some(TimeStatus::Approved);
    let entries = store
        .time_entries(
            caller.programme,
            reach(caller),
            &query,
            &caller.actor,
            "payment run",
        )
        .await?;
    let (rule, _) = pay_rule(store, caller).await?;
    work::pay_run(RateTable::real_living_wage(), rule, &query, &entries).map_err(|u| {
        Error::Invalid(
            u.0.iter()
                .map(|(i, e)| FieldError {
                    field: "entries".into(),
                    message: Message::new("research.payrun.unpayable")
                        .arg("entry", entries[*i].id)
                        .arg("reason", e.message()),
                })
                .collect(),
        )
    })
}
