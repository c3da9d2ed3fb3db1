//! Partners as CSV: the list downloaded in the format the import takes
//! back, and that import (all or nothing; the same file twice changes
//! nothing). The page, the API and the CLI all come here.

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::csv_import::{Report, decode};
use useit_core::programme::PartnerQuery;
use useit_core::programme::partner_csv::{self, ImportOutcome};

use super::CsvUpload;
use crate::{Caller, Error, Imported, Result, Store};

/// A download of the partner list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnersCsv {
    pub text: String,
    /// How many partners it lists.
    pub partners: usize,
}

/// The partners the query selects as CSV; with their contact people only
/// for a caller who may see them, and that export is audited.
pub async fn export_partners(
    store: &dyn Store,
    caller: &Caller,
    query: &PartnerQuery,
    with_contacts: bool,
) -> Result<PartnersCsv> {
    caller.require(Capability::ViewPartners)?;
    if with_contacts {
        caller.require(Capability::ViewPartnerContacts)?;
    }
    let rows = store
        .export_partners(
            caller.programme,
            query,
            clock::today(),
            with_contacts,
            &caller.actor,
        )
        .await?;
    Ok(PartnersCsv {
        text: partner_csv::export(&rows, with_contacts),
        partners: rows.len(),
    })
}

/// Reads a partners CSV and applies it in one transaction, unless it is a
/// dry run. A file with errors is rejected whole, each problem named by
/// line and column.
pub async fn import_partners(
    store: &dyn Store,
    caller: &Caller,
    upload: CsvUpload<'_>,
) -> Result<Imported<ImportOutcome>> {
    caller.require(Capability::EditPartners)?;
    let (text, _) = decode(upload.bytes);
    let mut report = Report::new(upload.file_name);
    let rows = partner_csv::parse(&text, &mut report);
    let outcome = store
        .import_partners(
            caller.programme,
            rows,
            &mut report,
            upload.dry_run,
            &caller.actor,
        )
        .await?;
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    Ok(Imported { outcome, report })
}
