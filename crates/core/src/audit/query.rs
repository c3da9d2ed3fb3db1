//! The audit log's query string, as the pages, the API and its
//! documentation all take it.

use serde::Deserialize;

use super::AuditFilter;
use crate::ProgrammeId;
use crate::validation::{Errors, Invalid};

/// Filters of the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    /// read, create, update, delete, export, import, erase, merge, sign_in, ...
    pub action: Option<String>,
    /// The kind of record, e.g. `partner_contact`, `membership`, `user`.
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    /// Free text over who and the summary.
    pub q: Option<String>,
    /// From this day, inclusive: 2026-12-07, 7/12/2026 or 7 December 2026.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Up to this day, inclusive, written the same ways.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    /// `desc` (newest first, the default) or `asc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl AuditQuery {
    /// Oldest first only when asked: a log is read from its newest entry.
    pub fn oldest_first(&self) -> bool {
        self.dir.as_deref() == Some("asc")
    }

    /// The filter over one programme's entries (`None`: every programme's).
    /// Blank fields do not narrow the log; a day that cannot be read is an
    /// error naming its field.
    pub fn filter(&self, programme: Option<ProgrammeId>) -> Result<AuditFilter, Invalid> {
        let nonempty = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        let mut e = Errors::new();
        let from = e.optional_date("from", self.from.as_deref().unwrap_or(""));
        let to = e.optional_date("to", self.to.as_deref().unwrap_or(""));
        e.finish(|| AuditFilter {
            programme_id: programme,
            action: self.action.as_deref().and_then(|a| a.parse().ok()),
            subject_type: nonempty(&self.subject_type),
            subject_id: nonempty(&self.subject_id),
            actor_user_id: None,
            q: nonempty(&self.q),
            since: from.map(|d| d.midnight().assume_utc()),
            until: to.map(|d| (d + time::Duration::days(1)).midnight().assume_utc()),
            oldest_first: self.oldest_first(),
        })
    }

    pub fn page(&self) -> crate::listing::PageRequest {
        crate::listing::PageRequest::new(self.page, self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditAction;
    use time::macros::datetime;

    #[test]
    fn days_are_whole_and_inclusive() {
        let p = ProgrammeId::new();
        let f = AuditQuery {
            action: Some("export".into()),
            subject_type: Some(" ".into()),
            from: Some("2024-03-01".into()),
            to: Some("31 March 2024".into()),
            dir: Some("asc".into()),
            ..Default::default()
        }
        .filter(Some(p))
        .unwrap();
        assert_eq!(f.programme_id, Some(p));
        assert_eq!(f.action, Some(AuditAction::Export));
        assert_eq!(f.subject_type, None);
        assert_eq!(f.since, Some(datetime!(2024-03-01 0:00 UTC)));
        assert_eq!(f.until, Some(datetime!(2024-04-01 0:00 UTC)));
        assert!(f.oldest_first);
    }

    #[test]
    fn an_unknown_action_does_not_narrow_and_a_bad_day_is_named() {
        let f = AuditQuery {
            action: Some("shred".into()),
            from: Some("1/3/2024".into()),
            ..Default::default()
        }
        .filter(None)
        .unwrap();
        assert_eq!(f.action, None);
        assert_eq!(f.since, Some(datetime!(2024-03-01 0:00 UTC)));
        let bad = AuditQuery {
            from: Some("last tuesday".into()),
            to: Some("31/02/2024".into()),
            ..Default::default()
        }
        .filter(None)
        .unwrap_err();
        let fields: Vec<_> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from", "to"]);
    }
}
