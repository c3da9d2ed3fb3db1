//! Where each supplier of the ledger stands: matched to an organisation of
//! the register, waiting for a person, or unknown; and what the review
//! queue and the measures see of it.

use serde::Serialize;
use uuid::Uuid;

use super::measures::SupplierKind;
use super::register::Organisation;
use crate::money::Pence;

/// Where a supplier's resolution stands (ordered as a review goes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplierStatus {
    /// No candidate in the register.
    Unresolved,
    /// Candidates wait for a person.
    Review,
    /// Matched without a person: a company number or the same name.
    Matched,
    /// A person chose the organisation; remembered for future imports.
    Accepted,
    /// A person said none of the candidates is it.
    NoMatch,
}

impl SupplierStatus {
    pub const ALL: [SupplierStatus; 5] = [
        SupplierStatus::Unresolved,
        SupplierStatus::Review,
        SupplierStatus::Matched,
        SupplierStatus::Accepted,
        SupplierStatus::NoMatch,
    ];
    pub fn slug(self) -> &'static str {
        match self {
            SupplierStatus::Unresolved => "unresolved",
            SupplierStatus::Review => "review",
            SupplierStatus::Matched => "matched",
            SupplierStatus::Accepted => "accepted",
            SupplierStatus::NoMatch => "no_match",
        }
    }
    pub fn parse(s: &str) -> Option<SupplierStatus> {
        Self::ALL.into_iter().find(|k| k.slug() == s)
    }
}

/// A candidate organisation for a supplier, with why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupplierCandidate {
    pub organisation: Organisation,
    pub score: u8,
    /// A catalogue key (`supplier.reason.*`).
    pub reason: String,
}

/// A supplier as the review queue and the measures see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupplierRecord {
    pub key: String,
    pub name: String,
    pub company_number: Option<String>,
    pub status: SupplierStatus,
    pub organisation: Option<Organisation>,
    pub score: Option<u8>,
    pub reason: Option<String>,
    pub lines: i64,
    pub total: Pence,
}

/// How a new supplier was resolved at import time.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSupplier {
    pub key: String,
    pub name: String,
    pub company_number: Option<String>,
    pub status: SupplierStatus,
    pub matched: Option<(Uuid, u8, String)>,
    pub candidates: Vec<(Uuid, u8, String)>,
}

/// A supplier's facts for placing it: its organisation's kind and postcodes.
#[derive(Clone, Debug, PartialEq)]
pub struct SupplierFacts {
    pub key: String,
    pub name: String,
    pub kind: Option<SupplierKind>,
    pub postcode: Option<String>,
    pub trading_postcode: Option<String>,
    /// Where its organisation is when no postcode places it (France).
    pub location: Option<crate::place::Location>,
    /// The organisation it was matched to, if any.
    pub organisation: Option<crate::anchors::measures::MatchedOrganisation>,
}

/// The suppliers list's filters, sort and page (the review queue is
/// `status=review`).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct SupplierQuery {
    /// Part of the supplier's name, its organisation's name or org-id.
    pub q: String,
    /// unresolved, review (the queue), matched, accepted, no_match; blank for all.
    pub status: String,
    /// total (the default, largest first), name, status or lines.
    pub sort: String,
    pub dir: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl SupplierQuery {
    /// The status asked for; an unknown one is an error naming the field.
    pub fn status(&self) -> Result<Option<SupplierStatus>, crate::validation::Invalid> {
        match self.status.trim() {
            "" => Ok(None),
            s => SupplierStatus::parse(s).map(Some).ok_or_else(|| {
                crate::validation::Invalid::one(
                    "status",
                    crate::i18n::Message::new("anchors.supplier.status_bad"),
                )
            }),
        }
    }

    pub fn sort(&self) -> &str {
        match self.sort.as_str() {
            s @ ("name" | "status" | "lines") => s,
            _ => "total",
        }
    }

    pub fn dir(&self) -> crate::listing::SortDir {
        crate::listing::SortDir::asked(&self.sort, &self.dir)
    }

    /// The suppliers the search selects, in the order asked for.
    pub fn select(&self, all: Vec<SupplierRecord>) -> Vec<SupplierRecord> {
        let q = self.q.trim().to_lowercase();
        let mut v: Vec<SupplierRecord> = all
            .into_iter()
            .filter(|s| {
                q.is_empty()
                    || s.name.to_lowercase().contains(&q)
                    || s.organisation.as_ref().is_some_and(|o| {
                        o.name.to_lowercase().contains(&q) || o.org_id.to_lowercase().contains(&q)
                    })
            })
            .collect();
        let dir = self.dir();
        v.sort_by(|a, b| {
            let o = match self.sort() {
                "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                // In the order of the review: unresolved and queued first.
                "status" => a.status.cmp(&b.status),
                "lines" => a.lines.cmp(&b.lines),
                _ => a.total.cmp(&b.total),
            }
            .then(a.key.cmp(&b.key));
            dir.order(o)
        });
        v
    }
}
