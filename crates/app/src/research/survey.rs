//! Questionnaires and responses (issue 19 item 3): the coordinator defines
//! a project's questionnaire in the app or from an XLSForm, researchers
//! enter responses on the phone form, and a KoboToolbox / ODK submissions
//! export imports all or nothing (errors by line and column), the same file
//! twice adding nothing. Everyone in the programme sees the tallies; free
//! text and personal questions only the coordinator, and small counts are
//! suppressed for roles without personal-data rights.

use time::Date;
use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::csv_import::{Report, decode};
use useit_core::disclosure::Cell;
use useit_core::i18n::Message;
use useit_core::research::project::Project;
use useit_core::research::questionnaire::{
    ChoiceOption, NewResponse, Question, QuestionInput, Questionnaire, ResponseSource, Tally, tally,
};
use useit_core::research::{submissions, xlsform};
use useit_store::research::survey::ResponsesAdded;

use crate::{Caller, Error, Imported, Result, Store};

async fn project_of(store: &dyn Store, caller: &Caller, project: Uuid) -> Result<Project> {
    store
        .project(caller.programme, project)
        .await?
        .ok_or(Error::NotFound)
}

/// The project's questionnaire (`None` until one is defined).
pub async fn questionnaire(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
) -> Result<Option<Questionnaire>> {
    caller.require(Capability::ViewResearch)?;
    project_of(store, caller, project).await?;
    Ok(store.questionnaire(caller.programme, project).await?)
}

/// Whether `new` keeps every answer `old` has: once responses exist, each
/// question stays, of the same kind, with its choices.
fn keeps_answers(old: &Questionnaire, new: &Questionnaire) -> bool {
    old.questions.iter().all(|o| {
        new.question(&o.path()).is_some_and(|n| {
            n.kind == o.kind && o.choices.iter().all(|c| n.choice(&c.name).is_some())
        })
    })
}

async fn replace(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    q: &Questionnaire,
    source: &str,
) -> Result<bool> {
    let old = store.questionnaire(caller.programme, project).await?;
    if old.as_ref() == Some(q) {
        return Ok(false);
    }
    if let Some(old) = &old
        && !keeps_answers(old, q)
        && store.response_count(caller.programme, project).await? > 0
    {
        return Err(Error::Conflict {
            field: "questions".into(),
            message: Message::new("research.questionnaire.answered"),
        });
    }
    store
        .save_questionnaire(caller.programme, project, q, source, &caller.actor)
        .await?;
    Ok(true)
}

/// Adds one question to the project's questionnaire (started, under the
/// project's title, by the first).
pub async fn add_question(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    input: &QuestionInput,
) -> Result<Questionnaire> {
    caller.require(Capability::ManageResearch)?;
    let p = project_of(store, caller, project).await?;
    let mut q = store
        .questionnaire(caller.programme, project)
        .await?
        .unwrap_or_else(|| Questionnaire {
            title: p.draft.title.clone(),
            questions: Vec::new(),
        });
    let question = input.validate(&q)?;
    q.questions.push(question);
    store
        .save_questionnaire(caller.programme, project, &q, "app", &caller.actor)
        .await?;
    Ok(q)
}

/// Replaces the questionnaire with one sent whole (the API). Once there
/// are responses, a question answered cannot go or change kind (409).
pub async fn save_questionnaire(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    input: &Questionnaire,
) -> Result<Questionnaire> {
    caller.require(Capability::ManageResearch)?;
    project_of(store, caller, project).await?;
    let q = input.validate()?;
    replace(store, caller, project, &q, "app").await?;
    Ok(q)
}

/// What reading an XLSForm did.
#[derive(Clone, Debug, PartialEq)]
pub struct FormRead {
    pub questionnaire: Questionnaire,
    /// False when the project already had exactly this questionnaire.
    pub changed: bool,
}

/// Sets the questionnaire from an XLSForm (.xlsx). A form that cannot be
/// used is rejected with its problems by sheet row and column; what the app
/// does not keep is warned about. The same form twice changes nothing.
pub async fn import_xlsform(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    file_name: &str,
    bytes: &[u8],
) -> Result<Imported<FormRead>> {
    caller.require(Capability::ManageResearch)?;
    project_of(store, caller, project).await?;
    let mut report = Report::new(file_name);
    let q = xlsform::read(bytes, file_name, &mut report);
    let Some(q) = q.filter(|_| !report.has_errors()) else {
        return Err(Error::Rejected(report));
    };
    let changed = replace(store, caller, project, &q, file_name).await?;
    Ok(Imported {
        outcome: FormRead {
            questionnaire: q,
            changed,
        },
        report,
    })
}

async fn questionnaire_for_answers(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
) -> Result<Questionnaire> {
    project_of(store, caller, project).await?;
    store
        .questionnaire(caller.programme, project)
        .await?
        .filter(|q| !q.questions.is_empty())
        .ok_or_else(|| Error::invalid("file", Message::new("research.questionnaire.none")))
}

/// Keeps one response typed on the phone form: `fields` as the form sent
/// them. Each bad answer is named by its question.
pub async fn respond(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    fields: &[(String, String)],
) -> Result<()> {
    caller.require(Capability::RecordResearchTime)?;
    let q = questionnaire_for_answers(store, caller, project).await?;
    let answers = q.check_response(fields)?;
    let response = NewResponse {
        uuid: format!("uuid:{}", Uuid::now_v7()),
        submitted_at: Some(useit_core::clock::now()),
        answers,
        source: ResponseSource::Form,
    };
    store
        .add_responses(caller.programme, project, &[response], None, &caller.actor)
        .await?;
    Ok(())
}

/// Imports a submissions export, all or nothing: any error rejects the
/// file with every problem by line and column; responses already kept
/// under the same `_uuid` are left as they are.
pub async fn import_responses(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    file_name: &str,
    bytes: &[u8],
) -> Result<Imported<ResponsesAdded>> {
    caller.require(Capability::ManageResearch)?;
    let q = questionnaire_for_answers(store, caller, project).await?;
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let subs = submissions::read(&text, &q, &mut report);
    if report.has_errors() {
        report.sort();
        return Err(Error::Rejected(report));
    }
    let responses: Vec<NewResponse> = subs.into_iter().map(|s| s.response).collect();
    let outcome = store
        .add_responses(
            caller.programme,
            project,
            &responses,
            Some(file_name),
            &caller.actor,
        )
        .await?;
    report.sort();
    Ok(Imported { outcome, report })
}

/// One question's results as the caller may see them.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionLine {
    pub question: Question,
    pub answered: Cell,
    /// Each choice's count (select questions).
    pub choices: Vec<(ChoiceOption, Cell)>,
    /// Smallest, mean and largest (numbers), when the count is shown.
    pub numbers: Option<(f64, f64, f64)>,
    /// First and last (dates), when the count is shown.
    pub dates: Option<(Date, Date)>,
    /// The answers themselves: free text and personal questions, for the
    /// coordinator only (`None` for everyone else).
    pub texts: Option<Vec<String>>,
}

/// The questionnaire's results.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    pub questionnaire: Questionnaire,
    pub responses: Cell,
    pub imported: Cell,
    pub lines: Vec<QuestionLine>,
    /// Whether counts are exact (roles with personal-data rights).
    pub exact: bool,
}

/// The tallies of the project's responses (`None` without a questionnaire).
pub async fn results(store: &dyn Store, caller: &Caller, project: Uuid) -> Result<Option<Results>> {
    caller.require(Capability::ViewResearch)?;
    project_of(store, caller, project).await?;
    let Some(q) = store.questionnaire(caller.programme, project).await? else {
        return Ok(None);
    };
    let coordinator = caller.can(Capability::ManageResearch);
    let v = crate::programme::disclosure::viewer(store, caller, Capability::ManageResearch).await?;
    let responses = store
        .responses(caller.programme, project, &caller.actor)
        .await?;
    let imported = responses
        .iter()
        .filter(|r| r.source == ResponseSource::Import)
        .count() as u64;
    let lines = tally(&q, &responses, coordinator)
        .into_iter()
        .map(|r| {
            let answered = v.count(r.answered);
            let shown = !answered.is_hidden();
            let mut line = QuestionLine {
                question: r.question,
                answered,
                choices: Vec::new(),
                numbers: None,
                dates: None,
                texts: None,
            };
            match r.tally {
                Some(Tally::Choices(c)) => {
                    line.choices = c.into_iter().map(|(o, n)| (o, v.count(n))).collect();
                }
                Some(Tally::Numbers { min, mean, max }) if shown => {
                    line.numbers = Some((min, mean, max));
                }
                Some(Tally::Dates { first, last }) if shown => line.dates = Some((first, last)),
                Some(Tally::Texts(t)) => line.texts = Some(t),
                _ => {}
            }
            line
        })
        .collect();
    Ok(Some(Results {
        questionnaire: q,
        responses: v.count(responses.len() as u64),
        imported: v.count(imported),
        lines,
        exact: v.exact(),
    }))
}
