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

/// The anchor or organisation a form named that the programme does not
/// have: well formed, so not invalid, but unknown.
fn unknown(errs: Vec<(&'static str, Message)>) -> Error {
    let mut e = Errors::new();
    for (f, m) in errs {
        e.add(f, m);
    }
    Error::Unknown(e.into_vec())
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
    let (anchor_id, organisation_id) = resolve(&draft, &anchors, &orgs).map_err(unknown)?;
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
            Error::unknown(
                "anchor",
                Message::new("anchors.spend.filter.anchor_unknown").arg("anchor", &draft.anchor),
            )
        })?;
    match store
        .add_practice_change(caller.programme, anchor.id, &draft, &caller.actor)
        .await
    {
        Err(useit_store::StoreError::NotFound) => Err(Error::unknown(
            "interaction",
            Message::new("anchors.practice.unknown_interaction"),
        )),
        other => Ok(other?),
    }
}

/// One interaction of the programme.
pub async fn interaction(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Interaction> {
    caller.require(Capability::ViewSpend)?;
    store
        .interactions(caller.programme)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or(Error::NotFound)
}

/// The interaction's fields as kept, to start an edit from.
pub fn input_of(i: &Interaction) -> InteractionInput {
    InteractionInput::of(&InteractionDraft {
        anchor: i.anchor.clone(),
        organisation: i.organisation.clone(),
        kind: i.kind,
        started_on: i.started_on,
        ended_on: i.ended_on,
        evidence: i.evidence.clone(),
    })
}

/// Changes one interaction: any field, checked as the form checks a new
/// one; another with the same anchor, organisation, kind and start is a
/// conflict on `started_on`.
pub async fn edit_interaction(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    input: &InteractionInput,
) -> Result<Interaction> {
    caller.require(Capability::ManageInteractions)?;
    interaction(store, caller, id).await?;
    let draft = input.validate(clock::today())?;
    let (anchors, orgs) = lookups(store, caller).await?;
    let (anchor_id, organisation_id) = resolve(&draft, &anchors, &orgs).map_err(unknown)?;
    let row = InteractionRow {
        anchor_id,
        organisation_id,
        draft: &draft,
    };
    store
        .update_interaction(caller.programme, id, &row, &caller.actor)
        .await?;
    interaction(store, caller, id).await
}

/// Ends an interaction on `ended_on` (as typed: `2025-03-31` or
/// `31/03/2025`), keeping everything else.
pub async fn end_interaction(
    store: &dyn Store,
    caller: &Caller,
    id: Uuid,
    ended_on: &str,
) -> Result<Interaction> {
    caller.require(Capability::ManageInteractions)?;
    let held = interaction(store, caller, id).await?;
    if ended_on.trim().is_empty() {
        return Err(Error::invalid(
            "ended_on",
            Message::new("anchors.interactions.need.ended_on"),
        ));
    }
    let input = InteractionInput {
        ended_on: ended_on.to_string(),
        ..input_of(&held)
    };
    edit_interaction(store, caller, id, &input).await
}

/// The register's organisations (org-id, name) by name, to choose from in
/// a form: `None` when there are more than `at_most`, so a form over a
/// national register asks for the org-id instead of listing (or reading)
/// hundreds of thousands.
pub async fn organisation_choices(
    store: &dyn Store,
    caller: &Caller,
    at_most: usize,
) -> Result<Option<Vec<(String, String)>>> {
    caller.require(Capability::ViewSpend)?;
    let limit = i64::try_from(at_most.saturating_add(1)).unwrap_or(i64::MAX);
    let out = store.organisation_names(caller.programme, limit).await?;
    Ok((out.len() <= at_most).then_some(out))
}

/// An organisation an anchor works with today, placed by its postcode
/// (the trading address where the register has one: where it works, not
/// where its office is registered).
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedOrganisation {
    pub organisation: String,
    pub name: String,
    pub postcode: Option<String>,
    pub area_code: Option<String>,
    pub area_name: Option<String>,
    /// `None`: not known (no postcode, or the postcode is not in the
    /// loaded geography).
    pub decile: Option<u8>,
    /// `None` when the programme has no area of benefit yet.
    pub in_area_of_benefit: Option<bool>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The anchors working with it today, by name.
    pub anchors: Vec<String>,
    /// Its interactions in force today.
    pub interactions: u64,
}

/// The organisations anchors work with today, by neighbourhood: each one
/// placed, and how many are in each decile (and how many could not be).
pub struct Neighbourhoods {
    pub today: Date,
    pub organisations: Vec<PlacedOrganisation>,
    pub by_decile: Vec<(u8, u64)>,
    pub unplaced: u64,
}

pub async fn neighbourhoods(store: &dyn Store, caller: &Caller) -> Result<Neighbourhoods> {
    caller.require(Capability::ViewSpend)?;
    let today = clock::today();
    let all = store.interactions(caller.programme).await?;
    let mut by_org: std::collections::BTreeMap<Uuid, (Vec<String>, u64)> = Default::default();
    for i in all.iter().filter(|i| i.in_force_on(today)) {
        let e = by_org.entry(i.organisation_id).or_default();
        if !e.0.contains(&i.anchor_name) {
            e.0.push(i.anchor_name.clone());
            e.0.sort();
        }
        e.1 += 1;
    }
    let mut orgs = Vec::with_capacity(by_org.len());
    for (id, (anchors, n)) in by_org {
        if let Some(o) = store.organisation(caller.programme, id).await? {
            let postcode = o.trading_postcode.clone().or(o.postcode.clone());
            orgs.push((o, postcode, anchors, n));
        }
    }
    let postcodes: Vec<String> = orgs
        .iter()
        .filter_map(|(_, p, _, _)| p.clone())
        .filter(|p| useit_core::place::postcode::Postcode::parse(p).is_ok())
        .collect();
    let places: HashMap<String, useit_core::place::lookup::LookupResult> = if postcodes.is_empty() {
        HashMap::new()
    } else {
        crate::place::lookup::lookup(store, caller, &postcodes)
            .await?
            .into_iter()
            .map(|r| (r.input.clone(), r))
            .collect()
    };
    let mut organisations: Vec<PlacedOrganisation> = orgs
        .into_iter()
        .map(|(o, postcode, anchors, n)| {
            let place = postcode.as_ref().and_then(|p| places.get(p));
            PlacedOrganisation {
                organisation: o.org_id,
                name: o.name,
                postcode: place.and_then(|r| r.postcode.clone()).or(postcode.clone()),
                area_code: place.and_then(|r| r.area_code.clone()),
                area_name: place.and_then(|r| r.area_name.clone()),
                decile: place.and_then(|r| r.decile),
                in_area_of_benefit: place.and_then(|r| r.in_area_of_benefit),
                lat: place.and_then(|r| r.lat),
                lon: place.and_then(|r| r.lon),
                anchors,
                interactions: n,
            }
        })
        .collect();
    organisations.sort_by(|a, b| {
        (a.decile.unwrap_or(u8::MAX), a.name.to_lowercase())
            .cmp(&(b.decile.unwrap_or(u8::MAX), b.name.to_lowercase()))
    });
    let deciles: Vec<Option<u8>> = organisations.iter().map(|o| o.decile).collect();
    let (by_decile, unplaced) = interactions::by_decile(&deciles);
    Ok(Neighbourhoods {
        today,
        organisations,
        by_decile,
        unplaced,
    })
}
