//! The anchors' tender lots: entered by form, imported from the lots CSV
//! (the list's download, so it imports back).

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::csv_import::{Report, decode};
use useit_core::enterprise::lot::{self, Lot, LotInput};
use useit_core::enterprise::ocds::{self, Buyer};
use useit_store::enterprise::LotsSaved;

use crate::{Caller, Error, Imported, Result, Store};

pub async fn lots(store: &dyn Store, caller: &Caller) -> Result<Vec<Lot>> {
    caller.require(Capability::ViewEnterprises)?;
    Ok(store.lots(caller.programme).await?)
}

pub async fn lot(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<Lot> {
    caller.require(Capability::ViewEnterprises)?;
    store
        .lot(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)
}

/// Adds a lot, or changes the one with its reference.
pub async fn save_lot(store: &dyn Store, caller: &Caller, input: &LotInput) -> Result<Lot> {
    caller.require(Capability::ManageOpportunities)?;
    let mut draft = input.validate()?;
    // A lot linked to its anchor (by an OCDS import) stays linked.
    draft.anchor = store
        .lots(caller.programme)
        .await?
        .into_iter()
        .find(|l| l.draft.reference == draft.reference)
        .and_then(|l| l.draft.anchor);
    store
        .save_lots(
            caller.programme,
            std::slice::from_ref(&draft),
            "form",
            &caller.actor,
        )
        .await?;
    store
        .lots(caller.programme)
        .await?
        .into_iter()
        .find(|l| l.draft.reference == draft.reference)
        .ok_or(Error::NotFound)
}

/// Imports a lots file: nothing is written when any row has an error
/// (each at its line and column); the same file twice changes nothing.
pub async fn import_lots(
    store: &dyn Store,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
) -> Result<Imported<LotsSaved>> {
    caller.require(Capability::ManageOpportunities)?;
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let drafts = lot::parse(&text, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let outcome = store
        .save_lots(caller.programme, &drafts, file_name, &caller.actor)
        .await?;
    Ok(Imported { outcome, report })
}

/// What importing an OCDS release package did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct OcdsImported {
    /// Releases in the package.
    pub releases: u64,
    pub saved: LotsSaved,
}

/// Imports an OCDS release package: each tender's lots, linked to the
/// anchor that buys them. Nothing is written when any release has an error
/// (each names the release and the JSON path); the same package twice
/// changes nothing. Requirements the package does not publish
/// (accreditations, insurance, turnover, areas) stay as they were entered
/// on a lot already held.
pub async fn import_ocds(
    store: &dyn Store,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
) -> Result<Imported<OcdsImported>> {
    caller.require(Capability::ManageOpportunities)?;
    let mut report = Report::new(file_name);
    if let Some(problem) = useit_core::csv_import::not_text(bytes) {
        report.push(useit_core::csv_import::Problem::error(
            0,
            None,
            problem.message("enterprise.ocds.file"),
        ));
        return Err(Error::Rejected(report));
    }
    let (text, _) = decode(bytes);
    let buyers: Vec<Buyer> = store
        .list_anchors(caller.programme)
        .await?
        .into_iter()
        .map(|a| Buyer {
            slug: a.slug,
            name: a.name,
            official_code: a.official_code,
        })
        .collect();
    let package = ocds::read(&text, &buyers, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let held = store.lots(caller.programme).await?;
    let drafts: Vec<_> = package
        .lots
        .into_iter()
        .map(|p| {
            let mut d = p.draft;
            if let Some(old) = held.iter().find(|h| h.draft.reference == d.reference) {
                let (r, o) = (&mut d.requirements, &old.draft.requirements);
                r.accreditations = o.accreditations.clone();
                r.minimum_insurance = o.minimum_insurance;
                r.minimum_turnover = o.minimum_turnover;
                r.areas = o.areas.clone();
            }
            d
        })
        .collect();
    let saved = store
        .save_lots(caller.programme, &drafts, file_name, &caller.actor)
        .await?;
    Ok(Imported {
        outcome: OcdsImported {
            releases: package.releases as u64,
            saved,
        },
        report,
    })
}
