//! The funder and evaluation report for a period: the programme's
//! indicators as its home page computes them (`indicators::indicators`,
//! disclosure control included), the stories told in the period whose
//! consent stands, the partners of the period, and what worked and what did
//! not from the workshops held in the period (or, when none has grouped its
//! notes, what the programme manager wrote). The page, the API, the PDF
//! and `useit programme report` all read `report`.

use useit_core::audit::AuditAction;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::{has, t};
use useit_core::listing::PageRequest;
use useit_core::programme::PartnerQuery;
use useit_core::programme::indicators::Period;
use useit_core::programme::report::{
    self, Report, ReportParts, ReportQuery, ReportTexts, Synthesis,
};
use useit_core::programme::stories::StoryFilter;
use useit_core::workshops::note::Group;

use super::indicators::indicators_in;
use super::partners::partners;
use crate::anchors::ledger::Ledgers;
use crate::workshops::{summary, workshops};
use crate::{Caller, Error, Result, Store};

/// The countries whose places the ONS postcode file finds.
const UK: [&str; 5] = [
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "United Kingdom",
];

/// The report for the period the query asks for, worded for this caller.
pub async fn report(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    query: &ReportQuery,
) -> Result<Report> {
    caller.require(Capability::ViewProgramme)?;
    let period = query.validate(clock::today())?;
    let programme = store
        .programme(caller.programme)
        .await?
        .ok_or(Error::NotFound)?;
    // Every figure counts what happened in the report's period, not each
    // target's (the home page's).
    let over = Period {
        from: Some(period.from),
        to: Some(period.to),
    };
    let ind = indicators_in(store, caller, ledgers, Some(over)).await?;
    let texts = store.report_texts(caller.programme).await?;
    // The report tells stories whose consent stands, without who they name
    // in the records; reading them for it is audited all the same.
    let stories = store
        .stories(
            caller.programme,
            &StoryFilter {
                from: Some(period.from),
                to: Some(period.to),
                ..StoryFilter::default()
            },
            AuditAction::Read,
            "funder report",
            &caller.actor,
        )
        .await?;
    let partners = partners(store, caller, &PartnerQuery::default(), PageRequest::all())
        .await?
        .items;
    let mut synthesis = Synthesis::default();
    for w in workshops(store, caller).await? {
        if !period.contains(w.draft.held_on) {
            continue;
        }
        let s = summary(store, caller, w.id).await?;
        let worked = s.grouped(Group::SuccessFactor);
        let did_not = s.grouped(Group::Obstacle);
        if worked.is_empty() && did_not.is_empty() {
            continue;
        }
        synthesis.workshops.push(w.draft.title.clone());
        synthesis
            .worked
            .extend(worked.iter().map(|n| n.draft.text.clone()));
        synthesis
            .did_not
            .extend(did_not.iter().map(|n| n.draft.text.clone()));
    }
    // The deciles' credit names the index the programme's area of benefit
    // is drawn on (IMD, SIMD, Filosofi…), as its publisher gave it, in the
    // reader's language where the catalogue has it; places outside the
    // United Kingdom are found by coordinates, not the ONS postcode file.
    let mut deprivation_source = None;
    let mut places_by_coordinates = None;
    if let Some(aob) = store.area_of_benefit(caller.programme, None).await? {
        if let Some(i) = store
            .indices()
            .await?
            .into_iter()
            .find(|i| i.code == aob.selection.index)
        {
            let in_words = |key: String, stored: String| {
                if has(&key) {
                    t(&key).to_string()
                } else {
                    stored
                }
            };
            let name = in_words(format!("place.index.{}", i.code), i.name);
            let source = in_words(format!("place.index.{}.source", i.code), i.source);
            deprivation_source = Some(format!("{name} ({source})"));
        }
        if let Some(scheme) = store
            .schemes()
            .await?
            .into_iter()
            .map(|s| s.scheme)
            .find(|s| s.code == aob.selection.scheme)
            && !UK.contains(&scheme.country.as_str())
        {
            places_by_coordinates = Some(scheme.name);
        }
    }
    Ok(report::build(&ReportParts {
        programme: &programme.name,
        period,
        as_of: ind.as_of,
        texts: &texts,
        figures: &ind.figures,
        k: ind.k,
        exact_talent: ind.exact_talent,
        exact_research: ind.exact_research,
        stories: &stories,
        partners: &partners,
        synthesis: &synthesis,
        deprivation_source: deprivation_source.as_deref(),
        places_by_coordinates: places_by_coordinates.as_deref(),
    }))
}

/// The same report as a PDF file.
pub async fn report_pdf(
    store: &dyn Store,
    caller: &Caller,
    ledgers: &Ledgers,
    query: &ReportQuery,
) -> Result<Vec<u8>> {
    Ok(report::pdf(&report(store, caller, ledgers, query).await?))
}

/// What the programme manager wrote for the report.
pub async fn report_texts(store: &dyn Store, caller: &Caller) -> Result<ReportTexts> {
    caller.require(Capability::ViewProgramme)?;
    Ok(store.report_texts(caller.programme).await?)
}

/// Saves the report's texts in one audited transaction.
pub async fn save_report_texts(
    store: &dyn Store,
    caller: &Caller,
    input: &ReportTexts,
) -> Result<ReportTexts> {
    caller.require(Capability::ManageStories)?;
    let texts = input.validate()?;
    store
        .save_report_texts(caller.programme, &texts, &caller.actor)
        .await?;
    Ok(texts)
}
