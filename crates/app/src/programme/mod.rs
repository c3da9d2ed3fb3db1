//! The programme: the figures on its home page, the organisations in its
//! partnership (the list, each partner and its audited contact person, CSV
//! out and back in, duplicates and merges) and its members and their roles;
//! and the deployment's programmes, for its administrators.

pub mod disclosure;
pub mod duplicates;
pub mod indicators;
pub mod invitations;
pub mod member_csv;
pub mod members;
pub mod model;
pub mod partner_csv;
pub mod partners;
pub mod programmes;
pub mod report;
pub mod saved_filters;
pub mod stories;

/// A CSV file as it arrived, to import (or, on a dry run, to check).
#[derive(Clone, Copy, Debug)]
pub struct CsvUpload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    /// Check the file and say what would change, writing nothing.
    pub dry_run: bool,
}
