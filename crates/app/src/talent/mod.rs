//! Talent: residents with overseas health qualifications on their way into
//! NHS jobs, their caseworkers, vacancies and placements.
//!
//! People are personal data: every read goes through the store with the
//! caller's caseload (a caseworker reaches only their own) and is audited.
//! One module per workflow: the people and their records, the people import
//! (the one path for the page, the API and the console), duplicates,
//! vacancies, matching and placements, the results and the settings.

pub mod bulk;
pub mod caseworkers;
pub mod duplicates;
pub mod import;
pub mod matching;
pub mod people;
pub mod records;
pub mod results;
pub mod settings;
pub mod vacancies;

use useit_core::talent::profession::Professions;

/// The professions and their pathways, as shipped.
fn professions() -> &'static Professions {
    Professions::shipped()
}
