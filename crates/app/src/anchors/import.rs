//! Importing one spend file for one anchor: the page, the API, the CLI, the
//! background jobs and the demo all come here.

use std::collections::HashSet;

use useit_core::anchors::anchor::Anchor;
use useit_core::anchors::import::{
    ImportOptions, distinct_suppliers, guess_upload_columns, inspect_upload, read_upload,
    resolve_new_suppliers,
};
use useit_core::anchors::ledger::ImportOutcome;
use useit_core::anchors::spend_file::{ColumnMapping, Inspection};
use useit_core::auth::Capability;
use useit_core::i18n::Message;
use useit_store::anchors::SpendImport;

use crate::{Caller, Error, Imported, Result, Store};

/// A spend file as it arrived.
pub struct SpendUpload<'a> {
    /// The anchor's short name.
    pub anchor: &'a str,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub options: ImportOptions,
}

/// Reads, checks, resolves and writes one spend file: all or nothing unless
/// `skip_bad_lines`; the same file twice changes nothing. `progress` is told
/// the lines written so far.
pub async fn import_spend_file(
    store: &dyn Store,
    caller: &Caller,
    upload: SpendUpload<'_>,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Imported<ImportOutcome>> {
    caller.require(Capability::ManageSpend)?;
    let anchor = anchor_named(store, caller, upload.anchor).await?;
    // Where a large file's time goes, for whoever tunes it: reading,
    // resolving suppliers, writing.
    let started = std::time::Instant::now();
    let (read, report) = read_upload(upload.file_name, upload.bytes, &anchor, &upload.options)
        .map_err(Error::Rejected)?;
    let read_at = started.elapsed();
    let distinct = distinct_suppliers(&read.file);
    let keys: Vec<String> = distinct.keys().cloned().collect();
    let known: HashSet<String> = store
        .known_suppliers(caller.programme, &keys)
        .await?
        .into_iter()
        .collect();
    let register = store.organisations_for_matching(caller.programme).await?;
    let new_suppliers = resolve_new_suppliers(distinct, &known, &register);
    let resolved_at = started.elapsed();
    let import = SpendImport {
        anchor: anchor.id,
        file_name: upload.file_name.to_string(),
        sha256: read.sha256,
        encoding: read.encoding.to_string(),
        file: &read.file,
        new_suppliers,
        date_order: read.file.date_order.to_remember(),
    };
    let outcome = store
        .import_spend(caller.programme, &import, progress, &caller.actor)
        .await?;
    tracing::info!(
        file = upload.file_name,
        lines = outcome.lines_read,
        read_ms = read_at.as_millis() as u64,
        resolve_ms = (resolved_at - read_at).as_millis() as u64,
        write_ms = (started.elapsed() - resolved_at).as_millis() as u64,
        "spend file imported"
    );
    Ok(Imported { outcome, report })
}

/// Removes what imports cut off part-way (a crash, a restart) left staging:
/// no query ever read those lines, so nothing anyone saw changes. Run as
/// the server starts; an import still writing (another process's) is left
/// alone, as anything written to in the last two minutes is.
pub async fn clear_abandoned_imports(store: &dyn Store) -> Result<u64> {
    Ok(store
        .clear_abandoned_imports(std::time::Duration::from_secs(120))
        .await?)
}

/// Whether a person should confirm a file's columns before it imports: a
/// header was found in its first rows but, with the anchor's saved mapping,
/// the reader is not sure of every column it needs. (A file with no header
/// is not asked about: its import says what is wrong.)
pub async fn columns_to_confirm(
    store: &dyn Store,
    caller: &Caller,
    anchor: &str,
    bytes: &[u8],
) -> Result<bool> {
    caller.require(Capability::ManageSpend)?;
    let anchor = anchor_named(store, caller, anchor).await?;
    Ok(guess_upload_columns(bytes, &anchor.column_mapping).is_some_and(|g| !g.certain))
}

/// What a file would import as for an anchor, nothing written: read with
/// `mapping` when one is being tried, else with the anchor's saved mapping,
/// and with the date order of the anchor's last file.
pub async fn inspect_spend_file(
    store: &dyn Store,
    caller: &Caller,
    anchor: &str,
    file_name: &str,
    bytes: &[u8],
    mapping: Option<&ColumnMapping>,
) -> Result<(Inspection, &'static str)> {
    caller.require(Capability::ManageSpend)?;
    let anchor = anchor_named(store, caller, anchor).await?;
    let mapping = mapping.unwrap_or(&anchor.column_mapping);
    inspect_upload(file_name, bytes, mapping, anchor.date_order).map_err(Error::Rejected)
}

async fn anchor_named(store: &dyn Store, caller: &Caller, slug: &str) -> Result<Anchor> {
    store.anchor(caller.programme, slug).await?.ok_or_else(|| {
        Error::invalid(
            "anchor",
            Message::new("anchors.spend.filter.anchor_unknown").arg("anchor", slug),
        )
    })
}
