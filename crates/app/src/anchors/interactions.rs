//! Which organisations each anchor works with (issue 17.4) and what the
//! anchors changed because of it (17.5): one path for the form, the API,
//! the CSV import, the CLI and the demo.

use std::collections::HashMap;

use time::Date;
use uuid::Uuid;

use useit_core::anchors::interactions::{
    self, AnchorSeries, Interaction, InteractionDraft, InteractionInput, InteractionKind,
    InteractionQuery, Link,
};
use useit_core::anchors::practice::{PracticeChange, PracticeInput};
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::csv_import::{Problem, Report, decode};
use useit_core::i18n::Message;
use useit_core::validation::Errors;
use useit_store::anchors::interactions::{InteractionRow, InteractionsOutcome};

use crate::{Caller, Error, Imported, Result, Store};

/// The interactions a query selects, in its order.
pub async fn interactions(
    store: &dyn Store,
    caller: &Caller,
    query: &InteractionQuery,
) -> Result<Vec<Interaction>> {
    caller.require(Capability::ViewSpend)?;
    query.check()?;
    let all = store.interactions(caller.programme).await?;
    Ok(query.apply(all, clock::today()))
}

/// The figures: each anchor's count in force at each month's end (the
/// "0 → 30"), by kind today, and who works with whom today.
pub struct InteractionFigures {
    pub today: Date,
    pub months: Vec<Date>,
    pub series: Vec<AnchorSeries>,
    pub by_kind: Vec<(InteractionKind, u64)>,
    pub links: Vec<Link>,
}

pub async fn interaction_figures(store: &dyn Store, caller: &Caller) -> Result<InteractionFigures> {
    caller.require(Capability::ViewSpend)?;
    let all = store.interactions(caller.programme).await?;
    let today = clock::today();
    let (months, series) = interactions::series(&all, today);
    Ok(InteractionFigures {
        today,
        by_kind: interactions::by_kind(&all, today),
        links: interactions::network(&all, today),
        months,
        series,
    })
}

/// The anchors' ids by short name and the register's by org-id.
async fn lookups(
    store: &dyn Store,
    caller: &Caller,
) -> Result<(HashMap<String, Uuid>, HashMap<String, Uuid>)> {
    let anchors = store
        .list_anchors(caller.programme)
        .await?
        .into_iter()
        .map(|a| (a.slug, a.id))
        .collect();
    let orgs = store
        .organisation_ids(caller.programme)
        .await?
        .into_iter()
        .map(|(org_id, id)| (org_id.to_uppercase(), id))
        .collect();
    Ok((anchors, orgs))
}

/// The anchor's and the organisation's ids, or what is wrong, by field.
fn resolve(
    d: &InteractionDraft,
    anchors: &HashMap<String, Uuid>,
    orgs: &HashMap<String, Uuid>,
) -> Result<(Uuid, Uuid), Vec<(&'static str, Message)>> {
    let a = anchors.get(&d.anchor).copied();
    let o = orgs.get(&d.organisation.to_uppercase()).copied();
    let mut errs = Vec::new();
    if a.is_none() {
        errs.push((
            "anchor",
            Message::new("anchors.spend.filter.anchor_unknown").arg("anchor", &d.anchor),
        ));
    }
    if o.is_none() {
        errs.push((
            "organisation",
            Message::new("anchors.interactions.unknown_organisation").arg("value", &d.organisation),
        ));
    }
    match (a, o) {
        (Some(a), Some(o)) => Ok((a, o)),
        _ => Err(errs),
    }
}

/// Records one interaction (or updates the one with the same anchor,
/// organisation, kind and start).
pub async fn add_interaction(
    store: &dyn Store,
    caller: &Caller,
    input: &InteractionInput,
) -> Result<InteractionsOutcome> {
    caller.require(Capability::ManageInteractions)?;
    let draft = input.validate(clock::today())?;
    let (anchors, orgs) = lookups(store, caller).await?;
    let (anchor_id, organisation_id) = match resolve(&draft, &anchors, &orgs) {
        Ok(ids) => ids,
        Err(errs) => {
            let mut e = Errors::new();
            for (f, m) in errs {
                e.add(f, m);
            }
            e.finish(|| ())?;
            unreachable!("resolve fails only with errors")
        }
    };
    let rows = [InteractionRow {
        anchor_id,
        organisation_id,
        draft: &draft,
    }];
    Ok(store
        .save_interactions(caller.programme, &rows, "form", &caller.actor)
        .await?)
}

/// Imports an interactions file (the list's download): every bad cell is
/// an error at its line and column and nothing is written; the same file
/// twice changes nothing.
pub async fn import_interactions(
    store: &dyn Store,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
) -> Result<Imported<InteractionsOutcome>> {
    caller.require(Capability::ManageInteractions)?;
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let parsed = interactions::parse(&text, clock::today(), &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let (anchors, orgs) = lookups(store, caller).await?;
    let header = text.lines().next().unwrap_or_default();
    let column = |name: &str| {
        header
            .split(',')
            .position(|h| useit_core::csv_import::header_key(h) == name)
            .map(|i| useit_core::csv_import::Column {
                number: i + 1,
                name: name.to_string(),
            })
    };
    let mut rows = Vec::with_capacity(parsed.len());
    for p in &parsed {
        match resolve(&p.draft, &anchors, &orgs) {
            Ok((anchor_id, organisation_id)) => rows.push(InteractionRow {
                anchor_id,
                organisation_id,
                draft: &p.draft,
            }),
            Err(errs) => {
                for (f, m) in errs {
                    report.push(Problem::error(p.line, column(f), m));
                }
            }
        }
    }
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let outcome = store
        .save_interactions(caller.programme, &rows, file_name, &caller.actor)
        .await?;
    Ok(Imported { outcome, report })
}

/// The programme's practice changes, newest first (one anchor's when named).
pub async fn practice_changes(
    store: &dyn Store,
    caller: &Caller,
    anchor: Option<&str>,
) -> Result<Vec<PracticeChange>> {
    caller.require(Capability::ViewSpend)?;
    let all = store.practice_changes(caller.programme).await?;
    Ok(all
        .into_iter()
        .filter(|c| anchor.is_none_or(|a| c.anchor == a))
        .collect())
}

pub async fn add_practice_change(
    store: &dyn Store,
    caller: &Caller,
    input: &PracticeInput,
) -> Result<Uuid> {
    caller.require(Capability::ManageInteractions)?;
    let draft = input.validate(clock::today())?;
    let anchor = store
        .anchor(caller.programme, &draft.anchor)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "anchor",
                Message::new("anchors.spend.filter.anchor_unknown").arg("anchor", &draft.anchor),
            )
        })?;
    match store
        .add_practice_change(caller.programme, anchor.id, &draft, &caller.actor)
        .await
    {
        Err(useit_store::StoreError::NotFound) => Err(Error::invalid(
            "interaction",
            Message::new("anchors.practice.unknown_interaction"),
        )),
        other => Ok(other?),
    }
}
