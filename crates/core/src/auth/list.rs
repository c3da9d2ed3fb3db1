//! The query strings of the member and account lists, as the pages, the API
//! and its documentation all take them.

use serde::Deserialize;

use super::{MemberQuery, MemberSort, UserQuery, UserSort};
use crate::listing::{PageRequest, SortDir};

fn words(q: &Option<String>) -> Option<String> {
    q.clone().filter(|s| !s.trim().is_empty())
}

/// Query parameters of a programme's member list (and its CSV download).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct MemberListQuery {
    /// Free text over name, e-mail and role.
    pub q: Option<String>,
    /// Only this role, e.g. `programme_manager`.
    pub role: Option<String>,
    /// `name` (default), `email`, `role` or `since`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl MemberListQuery {
    /// The filters and order; an unknown role or sort means any role and
    /// the default order.
    pub fn query(&self) -> MemberQuery {
        MemberQuery {
            q: words(&self.q),
            role: self.role.as_deref().and_then(|r| r.parse().ok()),
            sort: MemberSort::parse(self.sort.as_deref()),
            dir: SortDir::parse(self.dir.as_deref()),
        }
    }

    pub fn page(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }
}

/// Query parameters of the deployment's account list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UserListQuery {
    /// Free text over name and e-mail.
    pub q: Option<String>,
    /// `name` (default), `email`, `last_sign_in` or `created`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl UserListQuery {
    pub fn query(&self) -> UserQuery {
        UserQuery {
            q: words(&self.q),
            sort: UserSort::parse(self.sort.as_deref()),
            dir: SortDir::parse(self.dir.as_deref()),
        }
    }

    pub fn page(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    #[test]
    fn member_filters_are_read_and_unknowns_ignored() {
        let q = MemberListQuery {
            q: Some(" ".into()),
            role: Some("boss".into()),
            sort: Some("shoe_size".into()),
            ..Default::default()
        };
        assert_eq!(q.query(), MemberQuery::default());
        let q = MemberListQuery {
            q: Some("amina".into()),
            role: Some("employment_caseworker".into()),
            sort: Some("since".into()),
            dir: Some("desc".into()),
            ..Default::default()
        };
        let m = q.query();
        assert_eq!(m.q.as_deref(), Some("amina"));
        assert_eq!(m.role, Some(Role::EmploymentCaseworker));
        assert_eq!(m.sort, MemberSort::Since);
        assert_eq!(m.dir, SortDir::Desc);
    }

    #[test]
    fn account_filters_are_read() {
        let q = UserListQuery {
            q: Some("okafor".into()),
            sort: Some("last_sign_in".into()),
            dir: Some("desc".into()),
            page: Some(2),
            per_page: Some(10),
        };
        let u = q.query();
        assert_eq!(u.q.as_deref(), Some("okafor"));
        assert_eq!(u.sort, UserSort::LastSignIn);
        assert_eq!(u.dir, SortDir::Desc);
        assert_eq!(q.page(), PageRequest::new(Some(2), Some(10)));
        assert_eq!(UserListQuery::default().query(), UserQuery::default());
    }
}
