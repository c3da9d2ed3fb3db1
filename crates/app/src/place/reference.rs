//! Loading reference geography (areas, a deprivation index, boundaries,
//! postcodes, names) from the files publishers put out.
//!
//! Reference data is deployment-wide: it belongs to no programme, so no
//! programme's role can load it. Only the server's console (`useit place
//! load`) and the demo builder do, and the audit entry names them.

use useit_core::audit::Actor;
use useit_core::csv_import::Report;
use useit_core::place::load::{LoadSpec, prepare};

use crate::{Error, Imported, Result, Store};

/// One file to load: its name (for the report), its text and how to read it.
#[derive(Clone, Copy, Debug)]
pub struct ReferenceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub spec: &'a LoadSpec,
}

/// Reads the file and loads it in one transaction; a file with errors
/// loads nothing (`Rejected`, the report naming each line and column).
/// Loading the same file again changes nothing. `progress` is told the
/// rows written so far. The outcome is the number of rows the file held.
pub async fn load_reference(
    store: &dyn Store,
    actor: &Actor,
    file: ReferenceFile<'_>,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Imported<u64>> {
    let mut report = Report::new(file.name);
    let load = prepare(file.spec, file.text, &mut report);
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    store.load_reference(&load, progress, actor).await?;
    Ok(Imported {
        outcome: load.rows(),
        report,
    })
}
