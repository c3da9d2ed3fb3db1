//! Grants as income from 360Giving files: each grant placed on an
//! organisation of the register by its org-id (`Recipient Org:Identifier`),
//! else by its company number (`GB-COH-…`), else by a name the matcher is
//! sure of; the rest listed as not matched, never dropped silently. All or
//! nothing: one bad value anywhere and nothing is written; the same file
//! twice changes nothing (grants are kept by their identifier).

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

use useit_core::anchors::supplier::Matcher;
use useit_core::auth::Capability;
use useit_core::csv_import::Report;
use useit_core::enterprise::grants::{self, Grant, GrantRecord};
use useit_core::money::Pence;
use useit_store::enterprise::grants::GrantsSaved;

use crate::{Caller, Error, Imported, Result, Store};

/// How a grant's recipient was found in the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    OrgId,
    CompanyNumber,
    Name,
}

/// What importing a grants file did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantsImported {
    pub saved: GrantsSaved,
    /// Grants placed on an organisation, and their sum.
    pub matched: u64,
    pub matched_total: Pence,
    /// Of those, how many by org-id, company number and name.
    pub by_org_id: u64,
    pub by_company_number: u64,
    pub by_name: u64,
    /// Grants whose recipient the register does not hold: listed, not
    /// imported (load the register or add the enterprise, then import the
    /// file again).
    pub unmatched: Vec<Grant>,
    pub unmatched_total: Pence,
}

impl GrantsImported {
    /// What the import did, in words (the page and the console say the same).
    pub fn summary(&self) -> String {
        use useit_core::i18n::{format_count, tf, tn};
        use useit_core::money::format_pence;
        tf(
            "enterprise.grants.imported",
            &[
                ("matched", &tn("enterprise.grants.count", self.matched)),
                ("total", &format_pence(self.matched_total)),
                ("new", &format_count(self.saved.new)),
                ("changed", &format_count(self.saved.changed)),
                ("unchanged", &format_count(self.saved.unchanged)),
                (
                    "unmatched",
                    &tn("enterprise.grants.count", self.unmatched.len() as u64),
                ),
                ("unmatched_total", &format_pence(self.unmatched_total)),
            ],
        )
    }
}

/// Imports a 360Giving file (JSON, CSV or an Excel workbook). `progress`
/// is told how many grants have been placed of how many.
pub async fn import_grants(
    store: &dyn Store,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Imported<GrantsImported>> {
    caller.require(Capability::EditEnterprises)?;
    let mut report = Report::new(file_name);
    let parsed = grants::parse(bytes, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let by_org_id: HashMap<String, Uuid> = store
        .organisation_ids(caller.programme)
        .await?
        .into_iter()
        .map(|(o, id)| (o.trim().to_uppercase(), id))
        .collect();
    let register = store.organisations_for_matching(caller.programme).await?;
    let entries: Vec<_> = register.iter().map(|(_, e)| e.clone()).collect();
    let matcher = Matcher::new(&entries);
    let total = parsed.len() as u64;
    let mut records = Vec::new();
    let mut out = GrantsImported {
        saved: GrantsSaved::default(),
        matched: 0,
        matched_total: 0,
        by_org_id: 0,
        by_company_number: 0,
        by_name: 0,
        unmatched: Vec::new(),
        unmatched_total: 0,
    };
    for (i, g) in parsed.into_iter().enumerate() {
        let found = match g.recipient_id.as_ref().and_then(|o| by_org_id.get(o)) {
            Some(id) => Some((*id, MatchedBy::OrgId)),
            None => matcher
                .candidates(&g.recipient_name, g.company_number(), 1)
                .into_iter()
                .find(|c| c.is_sure())
                .map(|c| {
                    let by = match c.reason {
                        useit_core::anchors::supplier::MatchReason::CompanyNumber => {
                            MatchedBy::CompanyNumber
                        }
                        _ => MatchedBy::Name,
                    };
                    (register[c.org].0, by)
                }),
        };
        match found {
            Some((organisation, by)) => {
                out.matched += 1;
                out.matched_total += g.amount;
                match by {
                    MatchedBy::OrgId => out.by_org_id += 1,
                    MatchedBy::CompanyNumber => out.by_company_number += 1,
                    MatchedBy::Name => out.by_name += 1,
                }
                records.push(GrantRecord {
                    grant: g,
                    organisation,
                    source: file_name.to_string(),
                });
            }
            None => {
                out.unmatched_total += g.amount;
                out.unmatched.push(g);
            }
        }
        progress(i as u64 + 1, total);
    }
    out.saved = store
        .save_grants(caller.programme, &records, &caller.actor)
        .await?;
    Ok(Imported {
        outcome: out,
        report,
    })
}

/// The grants held, of one organisation or all, by award date.
pub async fn grants_held(
    store: &dyn Store,
    caller: &Caller,
    organisation: Option<Uuid>,
) -> Result<Vec<GrantRecord>> {
    caller.require(Capability::ViewEnterprises)?;
    Ok(store.grants(caller.programme, organisation).await?)
}
