//! Co-learning workshops (world café) and the lineage of replications
//! (issue 20, item 5): a workshop discusses one case study; participants
//! reflect alone, then rotate between tables, each table with a host and a
//! question; notes are harvested per table and round (by guests on their
//! phones, through a link that expires), then the organiser groups them
//! into success factors, obstacles and transferability factors, lists the
//! actions cities could take and counts who would transfer the approach.

pub mod guest;
pub mod lineage;
pub mod note;
pub mod workshop;

use crate::i18n::Message;
use crate::validation::Errors;

/// A required text field with the context's own message, so a person reads
/// which field in the workshop's words.
pub(crate) fn required(e: &mut Errors, field: &str, value: &str, max: usize, key: &str) -> String {
    if value.trim().is_empty() {
        e.add(field, Message::new(key));
        String::new()
    } else {
        e.required(field, value, max)
    }
}

/// A whole number within `lo..=hi`, blank meaning `default`.
pub(crate) fn count(
    e: &mut Errors,
    field: &str,
    value: &str,
    lo: u8,
    hi: u8,
    default: u8,
) -> Option<u8> {
    let v = value.trim();
    if v.is_empty() {
        return Some(default);
    }
    match v.parse::<u8>() {
        Ok(n) if (lo..=hi).contains(&n) => Some(n),
        _ => {
            e.add(
                field,
                Message::new("workshops.count_range")
                    .arg("min", lo)
                    .arg("max", hi)
                    .arg("value", v),
            );
            None
        }
    }
}
