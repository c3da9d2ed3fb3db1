//! The partner list's query string, as the pages, the API and its
//! documentation all take it: one struct, so the documented parameters are
//! the ones the list reads.

use serde::Deserialize;

use super::{PartnerQuery, PartnerSort, PartnerStatus};
use crate::listing::{PageRequest, SortDir};

/// Query parameters of the partner list (and its CSV download).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PartnerListQuery {
    /// Free text over name, identifier and description.
    pub q: Option<String>,
    /// A partner kind, e.g. `vcse`.
    pub kind: Option<String>,
    /// `all` (default), `current` or `former`.
    pub status: Option<String>,
    /// `name` (default), `kind`, `joined_on` or `left_on`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
    /// 1 to 500; default 25.
    pub per_page: Option<u32>,
    /// CSV only: `yes` to include contact people (needs the capability; audited).
    pub contacts: Option<String>,
}

impl PartnerListQuery {
    /// The filters and order; an unknown kind, status or sort falls back to
    /// "any" and the default order, as a hand-edited address should.
    pub fn query(&self) -> PartnerQuery {
        PartnerQuery {
            q: self.q.clone().filter(|s| !s.trim().is_empty()),
            kind: self.kind.as_deref().and_then(|k| k.parse().ok()),
            status: PartnerStatus::parse(self.status.as_deref()),
            sort: PartnerSort::parse(self.sort.as_deref()),
            dir: SortDir::parse(self.dir.as_deref()),
        }
    }

    pub fn page(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }

    /// Whether a CSV download asks for the contact people.
    pub fn with_contacts(&self) -> bool {
        self.contacts
            .as_deref()
            .is_some_and(|v| v == "yes" || v == "true" || v == "1")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::PartnerKind;

    #[test]
    fn blanks_and_unknowns_mean_everything_in_the_usual_order() {
        let q = PartnerListQuery {
            q: Some("  ".into()),
            kind: Some("spaceship".into()),
            status: Some("sideways".into()),
            sort: Some("colour".into()),
            ..Default::default()
        };
        assert_eq!(q.query(), PartnerQuery::default());
        assert!(!q.with_contacts());
    }

    #[test]
    fn filters_are_read() {
        let q = PartnerListQuery {
            q: Some("hub".into()),
            kind: Some("vcse".into()),
            status: Some("former".into()),
            sort: Some("joined_on".into()),
            dir: Some("desc".into()),
            contacts: Some("yes".into()),
            ..Default::default()
        };
        let p = q.query();
        assert_eq!(p.q.as_deref(), Some("hub"));
        assert_eq!(p.kind, Some(PartnerKind::Vcse));
        assert_eq!(p.status, PartnerStatus::Former);
        assert_eq!(p.sort, PartnerSort::JoinedOn);
        assert_eq!(p.dir, SortDir::Desc);
        assert!(q.with_contacts());
    }
}
