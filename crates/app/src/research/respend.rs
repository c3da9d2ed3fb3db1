//! A re-spend survey's results as LM3's re-spend inputs (issue 19 item 3):
//! the staff's and the suppliers' shares re-spent locally, computed from a
//! project's responses (`core::research::respend`), shown beside the shares
//! in the spend settings now, and — on the spend manager's word — written
//! into the settings with the survey, the day and the responses as their
//! source, the shares they replace kept in that source and in the audit
//! entry. The LM3 inputs are the programme's (every anchor's figures use
//! them), so the survey sets them for the programme.

use uuid::Uuid;

use useit_core::anchors::measures::Lm3Inputs;
use useit_core::anchors::settings::RespendSource;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::figures::percent_bp;
use useit_core::research::project::Project;
use useit_core::research::respend::{Respend, respend};
use useit_core::validation::FieldError;

use crate::{Caller, Error, Result, Store};

/// What the survey says beside what the settings say now.
#[derive(Clone, Debug, PartialEq)]
pub struct RespendPreview {
    pub project: Project,
    /// The questionnaire's title (`None`: the project has no questionnaire).
    pub survey: Option<String>,
    /// The shares, or why the responses cannot give them.
    pub computed: std::result::Result<Respend, Vec<FieldError>>,
    /// The LM3 inputs in the settings now.
    pub current: Lm3Inputs,
}

/// What using the survey changed.
#[derive(Clone, Debug, PartialEq)]
pub struct RespendApplied {
    pub respend: Respend,
    pub previous: Lm3Inputs,
    pub now: Lm3Inputs,
}

fn may(caller: &Caller) -> Result<()> {
    caller.require(Capability::ManageSpend)?;
    caller.require(Capability::ViewResearch)
}

/// The project's re-spend shares from its responses, beside the settings'.
/// Reading the responses is audited by the store.
pub async fn respend_preview(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
) -> Result<RespendPreview> {
    may(caller)?;
    let p = store
        .project(caller.programme, project)
        .await?
        .ok_or(Error::NotFound)?;
    let current = store.spend_settings(caller.programme).await?.lm3;
    let Some(q) = store.questionnaire(caller.programme, project).await? else {
        return Ok(RespendPreview {
            project: p,
            survey: None,
            computed: Err(vec![FieldError {
                field: "questionnaire".into(),
                message: useit_core::i18n::Message::new("research.respend.no_questionnaire"),
            }]),
            current,
        });
    };
    let responses = store
        .responses(caller.programme, project, &caller.actor)
        .await?;
    let computed = respend(&q, responses.iter().map(|r| &r.answers)).map_err(|e| e.0);
    Ok(RespendPreview {
        project: p,
        survey: Some(q.title),
        computed,
        current,
    })
}

fn range(bp: (i64, i64)) -> String {
    format!("{}–{}", percent_bp(bp.0), percent_bp(bp.1))
}

/// Sets the programme's LM3 re-spend shares from the project's re-spend
/// survey, dated today; refused (naming the question or the group) when the
/// responses cannot give them. Using the same survey again changes only
/// the day.
pub async fn use_respend(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
) -> Result<RespendApplied> {
    let preview = respend_preview(store, caller, project).await?;
    let r = preview.computed.map_err(Error::Invalid)?;
    let mut settings = store.spend_settings(caller.programme).await?;
    let previous = settings.lm3.clone();
    let (previous_supplier_bp, previous_staff_bp) = match &previous.source {
        // Applied again: the shares before the first survey stay "before".
        Some(s) if s.project == project => (s.previous_supplier_bp, s.previous_staff_bp),
        _ => (previous.supplier_respend_bp, previous.staff_respend_bp),
    };
    settings.lm3.supplier_respend_bp = (r.suppliers.low_bp, r.suppliers.high_bp);
    settings.lm3.staff_respend_bp = (r.staff.low_bp, r.staff.high_bp);
    settings.lm3.source = Some(RespendSource {
        project,
        project_title: preview.project.draft.title.clone(),
        survey: preview.survey.unwrap_or_default(),
        applied_on: clock::today(),
        staff_responses: r.staff.responses,
        supplier_responses: r.suppliers.responses,
        previous_supplier_bp,
        previous_staff_bp,
    });
    let detail = format!(
        "LM3 re-spend from the survey of project {project} ({} staff, {} supplier responses): \
         suppliers {} (was {}), staff {} (was {})",
        r.staff.responses,
        r.suppliers.responses,
        range(settings.lm3.supplier_respend_bp),
        range(previous.supplier_respend_bp),
        range(settings.lm3.staff_respend_bp),
        range(previous.staff_respend_bp),
    );
    store
        .save_spend_settings_from_survey(caller.programme, &settings, detail, &caller.actor)
        .await?;
    Ok(RespendApplied {
        respend: r,
        previous,
        now: settings.lm3,
    })
}
