//! Stories told with consent: the list, adding and changing one, withdrawing
//! its consent, the CSV out and back in, and the stories a subject access
//! export holds. Stories name people, so only `ViewStories` reads them here
//! and every read is audited in the store's transaction; the report shows
//! them without the name of who they are about (`programme::report`).

use std::collections::BTreeSet;

use uuid::Uuid;

use useit_core::audit::AuditAction;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::t;
use useit_core::listing::{Page, PageRequest};
use useit_core::programme::stories::{
    Story, StoryFilter, StoryInput, StoryQuery, Subject, parse_csv, write_csv,
};
use useit_core::research::researcher::Researcher;
use useit_core::talent::person::{Caseload, Person, PersonRecords};

use super::CsvUpload;
use crate::{Caller, Error, Result, Store};

/// A page of the stories whose consent stands.
pub async fn stories(
    store: &dyn Store,
    caller: &Caller,
    query: &StoryQuery,
    page: PageRequest,
) -> Result<Page<Story>> {
    caller.require(Capability::ViewStories)?;
    let filter = query.validate()?;
    // Searched after the names this caller may not see are replaced, so a
    // search cannot tell whom a story names either.
    let mut all = store
        .stories(
            caller.programme,
            &StoryFilter {
                search: None,
                ..filter.clone()
            },
            AuditAction::Read,
            "stories list",
            &caller.actor,
        )
        .await?;
    shown_names(store, caller, &mut all).await?;
    all.retain(|s| filter.matches(s));
    Ok(Page::of(all, page))
}

/// Replaces the name of each subject the caller may not see in their own
/// lists with plain words: a resident's name only for a role that sees
/// people and has them in its caseload, a researcher's only for a role that
/// manages the researchers. Organisations' names are not personal data.
async fn shown_names(store: &dyn Store, caller: &Caller, stories: &mut [Story]) -> Result<()> {
    let people: Vec<Uuid> = stories
        .iter()
        .filter_map(|s| match s.draft.subject {
            Subject::Person(id) => Some(id),
            _ => None,
        })
        .collect();
    let seen: Option<BTreeSet<Uuid>> = if !caller.can(Capability::ViewPeople) {
        Some(BTreeSet::new())
    } else {
        match caller.caseload() {
            Caseload::All => None,
            load @ Caseload::Of(_) if !people.is_empty() => Some(
                store
                    .people_by_ids(
                        caller.programme,
                        load,
                        &people,
                        &caller.actor,
                        "names of the people stories are about",
                    )
                    .await?
                    .into_iter()
                    .map(|p| p.id)
                    .collect(),
            ),
            Caseload::Of(_) => Some(BTreeSet::new()),
        }
    };
    let researchers = caller.can(Capability::ManageResearch);
    for s in stories.iter_mut() {
        match s.draft.subject {
            Subject::Person(id) if seen.as_ref().is_some_and(|v| !v.contains(&id)) => {
                s.subject_name = t("stories.subject.not_shown").to_string();
            }
            Subject::Researcher(_) if !researchers => {
                s.subject_name = t("stories.subject.not_shown").to_string();
            }
            _ => {}
        }
    }
    Ok(())
}

/// One story whose consent stands (a withdrawn one is not found).
pub async fn story(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Story> {
    caller.require(Capability::ViewStories)?;
    let mut one = [store.story(caller.programme, id, &caller.actor).await?];
    shown_names(store, caller, &mut one).await?;
    let [one] = one;
    Ok(one)
}

/// Adds a story (`id` none) or changes one, with its consent; the caller is
/// recorded as the one who recorded a new or changed consent.
pub async fn save_story(
    store: &dyn Store,
    caller: &Caller,
    id: Option<Uuid>,
    input: &StoryInput,
) -> Result<Story> {
    caller.require(Capability::ManageStories)?;
    let draft = input.validate(clock::today())?;
    Ok(store
        .save_story(caller.programme, id, &draft, &caller.actor)
        .await?)
}

/// Withdraws the consent a story stands on, today: its text is blanked and
/// it is never shown again.
pub async fn withdraw_consent(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<()> {
    caller.require(Capability::ManageStories)?;
    Ok(store
        .withdraw_story_consent(caller.programme, id, clock::today(), &caller.actor)
        .await?)
}

/// The stories the query selects as the CSV the import reads back
/// (audited as an export).
pub async fn stories_file(
    store: &dyn Store,
    caller: &Caller,
    query: &StoryQuery,
) -> Result<String> {
    caller.require(Capability::ViewStories)?;
    let filter = query.validate()?;
    let all = store
        .stories(
            caller.programme,
            &filter,
            AuditAction::Export,
            "stories CSV download",
            &caller.actor,
        )
        .await?;
    Ok(write_csv(&all))
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct StoriesImported {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
}

/// Reads a stories CSV (the download's columns): every bad cell, every id
/// that names no story of the programme and every subject it does not hold
/// is an error at its line and column, and nothing is saved; otherwise
/// each row adds a story (no id) or changes the story it names, all in one
/// transaction, and a row equal to its story changes nothing, so the same
/// file twice changes nothing. A dry run says what it would do and writes
/// nothing.
pub async fn import_stories(
    store: &dyn Store,
    caller: &Caller,
    upload: CsvUpload<'_>,
) -> Result<StoriesImported> {
    caller.require(Capability::ManageStories)?;
    let (rows, mut report) = parse_csv(upload.file_name, upload.bytes, clock::today());
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let existing = store
        .stories(
            caller.programme,
            &StoryFilter::default(),
            AuditAction::Read,
            "stories import",
            &caller.actor,
        )
        .await?;
    let subjects: Vec<Subject> = rows.iter().map(|r| r.draft.subject).collect();
    let missing = store.missing_subjects(caller.programme, &subjects).await?;
    let mut out = StoriesImported::default();
    let mut writes = Vec::new();
    for row in &rows {
        if missing.contains(&row.draft.subject) {
            report.push(row.unknown_subject());
            continue;
        }
        match row.id {
            Some(id) => match existing.iter().find(|s| s.id == id) {
                Some(s) if s.draft == row.draft => out.unchanged += 1,
                Some(s) => {
                    writes.push((Some(s.id), row.draft.clone()));
                    out.changed += 1;
                }
                None => report.push(row.unknown_id()),
            },
            None if existing.iter().any(|s| s.draft == row.draft) => out.unchanged += 1,
            None => {
                writes.push((None, row.draft.clone()));
                out.added += 1;
            }
        }
    }
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    if !upload.dry_run && !writes.is_empty() {
        store
            .save_stories(caller.programme, &writes, &caller.actor)
            .await?;
    }
    Ok(out)
}

async fn about(store: &dyn Store, caller: &Caller, subject: Subject) -> Result<Vec<Story>> {
    let filter = StoryFilter {
        subject: Some(subject),
        ..StoryFilter::default()
    };
    Ok(store
        .stories(
            caller.programme,
            &filter,
            // The strand's export is the one audited as the export; the
            // stories read for it are audited as a read of them.
            AuditAction::Read,
            "stories for a subject access export",
            &caller.actor,
        )
        .await?)
}

/// Everything held about a resident for a subject access request, with
/// the stories about them: the talent strand's export (its rules decide
/// who may ask), then the stories.
pub async fn person_export(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
) -> Result<(Person, PersonRecords, Vec<Story>)> {
    let (p, r) = crate::talent::people::subject_access(store, caller, id).await?;
    let s = about(store, caller, Subject::Person(id)).await?;
    Ok((p, r, s))
}

/// Everything held about a community researcher, with the stories about
/// them (a researcher may ask for their own).
pub async fn researcher_export(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
) -> Result<(Researcher, Vec<Story>)> {
    let r = crate::research::researchers::subject_access(store, caller, id).await?;
    let s = about(store, caller, Subject::Researcher(id)).await?;
    Ok((r, s))
}
