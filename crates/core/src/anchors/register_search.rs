//! Searching the programme's organisation register by what a person has to
//! hand for a supplier: its name, a company or charity number, an org-id, or
//! a registered postcode. One text box; the text is read every way it can
//! be (`12345678` is a number and could be part of a name), and an
//! organisation matching any of them is listed.

use serde::Deserialize;

use super::registers::company_number;
use super::supplier::name_key;
use crate::i18n::Message;
use crate::place::postcode::Postcode;
use crate::validation::Invalid;

/// At most this many organisations are listed; more means "search closer".
pub const REGISTER_SEARCH_LIMIT: usize = 25;

/// The search as typed (the page's text box, the API's `q`, the CLI's text).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct RegisterSearchInput {
    /// A name or part of one (`soho road`), a company or charity number
    /// (`05306504`, `SC123456`, `1123456`), an org-id (`GB-COH-05306504`) or
    /// a postcode (`NG1 5FW`).
    #[serde(default)]
    pub q: String,
}

/// What to look for, each way the text can be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterSearch {
    /// The text as typed, trimmed (shown back to the person).
    pub text: String,
    /// The name key ([`name_key`]) the register's names contain, when the
    /// text has at least two letters or digits in it.
    pub name_key: Option<String>,
    /// A company number as Companies House writes it.
    pub company_number: Option<String>,
    /// The text as a charity number or an org-id: upper case, no spaces.
    pub identifier: Option<String>,
    /// A full postcode, compact (`NG15FW`).
    pub postcode: Option<String>,
}

impl RegisterSearchInput {
    pub fn validate(&self) -> Result<RegisterSearch, Invalid> {
        let text = self.q.trim();
        if text.is_empty() {
            return Err(Invalid::one(
                "q",
                Message::new("anchors.register_search.required"),
            ));
        }
        if text.chars().count() > 200 {
            return Err(Invalid::one(
                "q",
                Message::new("validation.too_long").arg("max", 200),
            ));
        }
        let key = name_key(text);
        let name_key = (key.chars().filter(|c| c.is_alphanumeric()).count() >= 2).then_some(key);
        let identifier: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect();
        let identifier = (identifier.chars().any(|c| c.is_ascii_digit())
            && identifier
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some(identifier);
        let search = RegisterSearch {
            text: text.to_string(),
            name_key,
            company_number: company_number(text),
            identifier,
            postcode: Postcode::parse(text).ok().map(|p| p.compact().to_string()),
        };
        if search.name_key.is_none()
            && search.company_number.is_none()
            && search.identifier.is_none()
            && search.postcode.is_none()
        {
            return Err(Invalid::one(
                "q",
                Message::new("anchors.register_search.too_short"),
            ));
        }
        Ok(search)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(q: &str) -> RegisterSearch {
        RegisterSearchInput { q: q.into() }
            .validate()
            .unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    #[test]
    fn a_name_is_searched_as_the_matcher_compares_names() {
        let s = search("  The Soho Road Kitchen Ltd ");
        assert_eq!(s.text, "The Soho Road Kitchen Ltd");
        assert_eq!(s.name_key.as_deref(), Some("soho road kitchen"));
        assert_eq!(
            (s.company_number, s.identifier, s.postcode),
            (None, None, None)
        );
    }

    #[test]
    fn numbers_ids_and_postcodes_are_each_read_as_such() {
        let s = search("5306504");
        assert_eq!(s.company_number.as_deref(), Some("05306504"));
        assert_eq!(s.identifier.as_deref(), Some("5306504"));
        assert_eq!(s.name_key.as_deref(), Some("5306504"));
        assert_eq!(s.postcode, None);
        let s = search("gb-coh-05306504");
        assert_eq!(s.identifier.as_deref(), Some("GB-COH-05306504"));
        assert_eq!(s.company_number, None);
        let s = search("ng1 5fw");
        assert_eq!(s.postcode.as_deref(), Some("NG15FW"));
        let s = search("sc123456");
        assert_eq!(s.company_number.as_deref(), Some("SC123456"));
    }

    #[test]
    fn an_empty_or_one_letter_search_names_the_field() {
        for q in ["", "   ", "a", "-"] {
            let e = RegisterSearchInput { q: q.into() }.validate().unwrap_err();
            assert_eq!(e.0.len(), 1, "{q}");
            assert_eq!(e.0[0].field, "q", "{q}");
        }
        let long = "x".repeat(201);
        let e = RegisterSearchInput { q: long }.validate().unwrap_err();
        assert_eq!(e.0[0].field, "q");
    }
}
