//! The audit log's query string, as the pages, the API and its
//! documentation all take it.

use serde::Deserialize;

use super::AuditFilter;
use crate::ProgrammeId;
use crate::validation::parse_date;

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
    /// From this day (YYYY-MM-DD), inclusive.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD), inclusive.
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
    /// Blank fields and days that cannot be read do not narrow the log.
    pub fn filter(&self, programme: Option<ProgrammeId>) -> AuditFilter {
        let nonempty = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        AuditFilter {
            programme_id: programme,
            action: self.action.as_deref().and_then(|a| a.parse().ok()),
            subject_type: nonempty(&self.subject_type),
            subject_id: nonempty(&self.subject_id),
            actor_user_id: None,
            q: nonempty(&self.q),
            since: self
                .from
                .as_deref()
                .and_then(parse_date)
                .map(|d| d.midnight().assume_utc()),
            until: self
                .to
                .as_deref()
                .and_then(parse_date)
                .map(|d| (d + time::Duration::days(1)).midnight().assume_utc()),
            oldest_first: self.oldest_first(),
        }
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
            to: Some("2024-03-31".into()),
            dir: Some("asc".into()),
            ..Default::default()
        }
        .filter(Some(p));
        assert_eq!(f.programme_id, Some(p));
        assert_eq!(f.action, Some(AuditAction::Export));
        assert_eq!(f.subject_type, None);
        assert_eq!(f.since, Some(datetime!(2024-03-01 0:00 UTC)));
        assert_eq!(f.until, Some(datetime!(2024-04-01 0:00 UTC)));
        assert!(f.oldest_first);
    }

    #[test]
    fn what_cannot_be_read_does_not_narrow() {
        let f = AuditQuery {
            action: Some("shred".into()),
            from: Some("last tuesday".into()),
            ..Default::default()
        }
        .filter(None);
        assert_eq!(f, AuditFilter::default());
    }
}
