//! Saved filters (issue 15): a person keeps the filters, search and sort of
//! a list under a name, sees them beside the list and applies one with one
//! link. A saved filter is the list's query string and nothing more, so it
//! means tomorrow what the same link means today; it belongs to its owner
//! within the programme, who may share it with the programme's members.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::UserId;
use crate::auth::Capability;
use crate::i18n::Message;
use crate::validation::{Errors, Invalid};

/// The lists whose filters can be saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SavedList {
    /// Talent: the people list.
    People,
    /// Anchors: the spend lines.
    SpendLines,
    /// Anchors: the suppliers and their review queue.
    Suppliers,
    /// Enterprise: the directory of social enterprises.
    Enterprises,
}

impl SavedList {
    pub const ALL: [SavedList; 4] = [
        SavedList::People,
        SavedList::SpendLines,
        SavedList::Suppliers,
        SavedList::Enterprises,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            SavedList::People => "people",
            SavedList::SpendLines => "spend_lines",
            SavedList::Suppliers => "suppliers",
            SavedList::Enterprises => "enterprises",
        }
    }

    pub fn parse(s: &str) -> Option<SavedList> {
        Self::ALL.into_iter().find(|l| l.slug() == s.trim())
    }

    /// Where the list is, under `/p/{programme}`.
    pub fn path(self) -> &'static str {
        match self {
            SavedList::People => "/talent/people",
            SavedList::SpendLines => "/anchors/spend/lines",
            SavedList::Suppliers => "/anchors/suppliers",
            SavedList::Enterprises => "/enterprise",
        }
    }

    /// Who may see the list, and so keep or use its filters.
    pub fn capability(self) -> Capability {
        match self {
            SavedList::People => Capability::ViewPeople,
            SavedList::SpendLines | SavedList::Suppliers => Capability::ViewSpend,
            SavedList::Enterprises => Capability::ViewEnterprises,
        }
    }
}

/// The longest name and query string kept.
pub const MAX_NAME: usize = 80;
pub const MAX_QUERY: usize = 2000;

/// Query keys that are not part of a filter: where a list is paged to,
/// and a form's own token.
const NOT_FILTERS: &[&str] = &["page", "_csrf"];

/// A filter to save, as the form beside a list or the API sends it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SavedFilterInput {
    /// `people`, `spend_lines`, `suppliers` or `enterprises`.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = SavedList))]
    pub list: String,
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 80)
    )]
    pub name: String,
    /// The list's query string as it stands (`q=…&stage=…&sort=…`), with or
    /// without its `?`; the page number is left out, so it needs another
    /// pair with a value.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^\\??[a-oq-z][a-z_]{0,29}=[A-Za-z0-9_.-]{1,40}(&[a-z_]{1,30}=[A-Za-z0-9_.-]{0,40}){0,5}$"
        )
    )]
    pub query: String,
    /// Shared with every member of the programme who may see the list.
    pub shared: bool,
}

/// A checked filter to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedFilterDraft {
    pub list: SavedList,
    pub name: String,
    /// Without `?`, without `page`, keys in the order given.
    pub query: String,
    pub shared: bool,
}

/// The query string kept: pairs with a value, `page` and `_csrf` left out.
pub fn normalise_query(raw: &str) -> String {
    raw.trim()
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            !k.is_empty() && !v.is_empty() && !NOT_FILTERS.contains(&k)
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl SavedFilterInput {
    /// Names every bad field: an unknown list, no name or a long one, no
    /// filter to save or a long one.
    pub fn validate(&self) -> Result<SavedFilterDraft, Invalid> {
        let mut e = Errors::new();
        let list = SavedList::parse(&self.list);
        if list.is_none() {
            e.add("list", Message::new("filters.unknown_list"));
        }
        let name = e.required("name", &self.name, MAX_NAME);
        let query = normalise_query(&self.query);
        if query.is_empty() {
            e.add("query", Message::new("filters.nothing_to_save"));
        } else if query.chars().count() > MAX_QUERY {
            e.add(
                "query",
                Message::new("validation.too_long").arg("max", MAX_QUERY),
            );
        }
        e.finish(|| SavedFilterDraft {
            list: list.expect("checked"),
            name,
            query,
            shared: self.shared,
        })
    }
}

/// A saved filter as its owner and those it is shared with see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedFilter {
    pub id: Uuid,
    pub list: SavedList,
    pub name: String,
    /// The list's query string, without `?`.
    pub query: String,
    pub shared: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub owner_id: UserId,
    /// The owner's name, for a shared filter.
    pub owner_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub updated_at: OffsetDateTime,
}

impl SavedFilter {
    /// The list with this filter applied, under `/p/{programme}`.
    pub fn href(&self, programme_base: &str) -> String {
        format!("{programme_base}{}?{}", self.list.path(), self.query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_empty_values_are_not_part_of_a_filter() {
        assert_eq!(
            normalise_query("?q=nurse&stage=&page=3&sort=name&dir=desc&_csrf=x"),
            "q=nurse&sort=name&dir=desc"
        );
        assert_eq!(normalise_query("?page=2"), "");
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = SavedFilterInput {
            list: "dragons".into(),
            name: " ".into(),
            query: "page=2".into(),
            shared: false,
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["list", "name", "query"]);
        let ok = SavedFilterInput {
            list: "people".into(),
            name: " Nurses waiting ".into(),
            query: "?profession=nurse&stage=engaged".into(),
            shared: true,
        }
        .validate()
        .unwrap();
        assert_eq!(ok.list, SavedList::People);
        assert_eq!(ok.name, "Nurses waiting");
        assert_eq!(ok.query, "profession=nurse&stage=engaged");
    }
}
