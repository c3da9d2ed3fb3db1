//! Loading the organisation register that suppliers are resolved to: small
//! files (our own CSV, NHS ODS extracts, charity lookups) read whole, the
//! national registers (Companies House, the Charity Commission) streamed
//! into the store a batch at a time (memory bounded whatever the file's
//! length) and kept to what the programme can use. Every load re-checks the suppliers
//! still waiting for a match, so a register loaded after the spend places
//! suppliers already imported; decisions people made stand.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::sync::Arc;

use useit_core::anchors::import::{NamedSupplier, resolve_new_suppliers};
use useit_core::anchors::register::{OrganisationInput, RegisterFormat, parse_register_as};
use useit_core::anchors::registers::{self, RegisterFilter, read_register};
use useit_core::anchors::resolution::{NewSupplier, SupplierStatus};
use useit_core::anchors::supplier::{RegisterEntry, name_key};
use useit_core::auth::Capability;
use useit_core::csv_import::{Report, decode};
use useit_core::place::postcode::Postcode;
use useit_store::anchors::{Recheck, RegisterLoad, RegisterStream};
use uuid::Uuid;

use crate::{Caller, Error, Imported, Result, Store};

/// A register file as it arrives: read as it goes, so a national file of
/// millions of rows is never held whole.
pub struct RegisterUpload {
    pub format: RegisterFormat,
    pub file_name: String,
    pub source: Box<dyn Read + Send>,
    pub options: RegisterOptions,
}

/// How to load a register beyond its bytes.
#[derive(Clone, Debug, Default)]
pub struct RegisterOptions {
    /// Load the good rows of a file with bad ones, listing what was refused.
    pub skip_bad_lines: bool,
    /// More postcode areas or districts (`B`, `WS10`) whose organisations a
    /// national register load keeps, besides those of the anchors' sites.
    pub postcode_areas: Vec<String>,
}

/// What a register load did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegisterLoaded {
    pub entries: u64,
    /// Entries not held before (the same file twice adds nothing).
    pub new: u64,
    /// Rows of a national register left out as of no use to the programme.
    pub left_out: u64,
    /// Suppliers waiting for a match that were resolved again.
    pub rechecked: u64,
    /// A links file's pairs held in both registers, joined as one organisation.
    pub joined: u64,
    /// Organisations a links file gave the legal form and kind it shows.
    pub marked: u64,
}

impl RegisterLoaded {
    /// What the load did, in words (the web's outcome and job pages).
    /// Each count is said with its noun in the plural form its reader's
    /// language gives it ("1 supplier", "0 fournisseur") when read.
    pub fn message(&self) -> useit_core::i18n::Message {
        let m = useit_core::i18n::Message::new;
        // What a links file did is said only of a links file.
        if self.joined > 0 || self.marked > 0 {
            m("anchors.registers.summary_links")
                .counted("entries", "anchors.registers.n.links", self.entries)
                .counted("left_out", "anchors.registers.n.unheld", self.left_out)
                .counted("joined", "anchors.registers.n.joined", self.joined)
                .counted("marked", "anchors.registers.n.marked", self.marked)
        } else {
            m("anchors.registers.summary")
                .counted("entries", "anchors.registers.n.entries", self.entries)
                .counted("new", "anchors.registers.n.new", self.new)
                .counted("left_out", "anchors.registers.n.left_out", self.left_out)
                .counted("rechecked", "anchors.registers.n.rechecked", self.rechecked)
        }
    }
}

/// A register file written to the temporary folder as it arrives (an
/// upload is never held in memory whole), removed when dropped: after the
/// load that read it, or when the upload fails part-way.
pub struct SpooledFile {
    path: std::path::PathBuf,
}

impl SpooledFile {
    /// A new, empty file of its own in the temporary folder, and the
    /// writer to fill it with.
    pub fn create() -> std::io::Result<(SpooledFile, SpoolWriter)> {
        let path = std::env::temp_dir().join(format!("useit-register-{}.upload", Uuid::now_v7()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok((
            SpooledFile { path },
            SpoolWriter {
                file: Some(file),
                buf: Vec::new(),
                written: 0,
            },
        ))
    }

    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file to read, and itself, which removes the file once the
    /// reader is done with it.
    pub fn reader(self) -> std::io::Result<Box<dyn Read + Send>> {
        let file = std::fs::File::open(&self.path)?;
        Ok(Box::new(SpooledReader {
            inner: std::io::BufReader::with_capacity(1 << 16, file),
            _file: self,
        }))
    }
}

impl Drop for SpooledFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes an upload's chunks to its spooled file, a megabyte at a time on
/// a blocking thread, so at most that much of it is in memory.
pub struct SpoolWriter {
    file: Option<std::fs::File>,
    buf: Vec<u8>,
    written: u64,
}

impl SpoolWriter {
    const FLUSH_AT: usize = 1 << 20;

    /// Bytes taken so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    pub async fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(chunk);
        self.written += chunk.len() as u64;
        if self.buf.len() >= Self::FLUSH_AT {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes what is held to the file.
    pub async fn flush(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        let Some(mut file) = self.file.take() else {
            return Err(std::io::Error::other("the upload's file was lost"));
        };
        let buf = std::mem::take(&mut self.buf);
        let (file, mut buf, r) = tokio::task::spawn_blocking(move || {
            let r = file.write_all(&buf).and_then(|_| file.flush());
            (file, buf, r)
        })
        .await
        .map_err(std::io::Error::other)?;
        buf.clear();
        self.file = Some(file);
        self.buf = buf;
        r
    }
}

/// Reads a spooled file; dropping it removes the file.
struct SpooledReader {
    inner: std::io::BufReader<std::fs::File>,
    _file: SpooledFile,
}

impl Read for SpooledReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

/// Counts the bytes read, for a progress bar.
pub(super) struct Counting<R> {
    pub(super) inner: R,
    pub(super) read: u64,
    pub(super) progress: Arc<dyn Fn(u64) + Send + Sync>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        (self.progress)(self.read);
        Ok(n)
    }
}

/// The rows of a national register the programme can use: organisations
/// whose name a supplier of its spend has, those it already holds, and
/// those in the postcode areas of its anchors' sites (and any asked for).
async fn national_filter(
    store: &dyn Store,
    caller: &Caller,
    options: &RegisterOptions,
) -> Result<RegisterFilter> {
    let mut filter = RegisterFilter {
        name_keys: store
            .suppliers(caller.programme, None)
            .await?
            .into_iter()
            .map(|s| s.key)
            .collect(),
        org_ids: store
            .organisation_ids(caller.programme)
            .await?
            .into_iter()
            .map(|(org_id, _)| org_id)
            .collect(),
        ..Default::default()
    };
    let sites = store
        .list_anchors(caller.programme)
        .await?
        .into_iter()
        .flat_map(|a| a.sites)
        .map(|s| s.postcode);
    for pc in sites {
        if let Ok(p) = Postcode::parse(&pc) {
            filter.postcode_areas.insert(p.area().to_string());
        }
    }
    for a in &options.postcode_areas {
        let a = a.trim().to_uppercase();
        if !a.is_empty() {
            filter.postcode_areas.insert(a);
        }
    }
    Ok(filter)
}

/// Reads a small register file (our own CSV, NHS ODS, the charity
/// lookups) whole, on a thread of its own, into the entries to load and
/// the report.
async fn read_entries(
    upload: RegisterUpload,
    progress: Arc<dyn Fn(u64) + Send + Sync>,
) -> Result<(Vec<OrganisationInput>, Report)> {
    let RegisterUpload {
        format,
        file_name,
        source,
        options: _,
    } = upload;
    let task = tokio::task::spawn_blocking(move || {
        let mut report = Report::new(&file_name);
        let mut reader = Counting {
            inner: source,
            read: 0,
            progress,
        };
        let mut bytes = Vec::new();
        if let Err(e) = reader.read_to_end(&mut bytes) {
            report.push(useit_core::csv_import::Problem::error(
                0,
                None,
                useit_core::i18n::Message::new("import.unreadable").arg("reason", e),
            ));
            return (Vec::new(), report);
        }
        let (text, _) = decode(&bytes);
        let out = parse_register_as(format, &text, &file_name, &mut report);
        (out, report)
    });
    // A panic while reading is a bug, raised here as if it had happened here.
    Ok(task
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic())))
}

/// Rows of a national register sent to the store at a time: with two
/// batches waiting, the load holds a few thousand rows whatever the file's
/// length.
const NATIONAL_BATCH: usize = 1_875;

/// Streams a national register (Companies House, the Charity Commission)
/// into the store: the file is read on a thread of its own and its kept
/// rows go to the store's one transaction a batch at a time, so memory
/// stays bounded however many millions of rows it has; at the end the
/// suppliers waiting for a match are resolved against the register as the
/// load leaves it, in the same transaction. A file with errors (unless bad
/// rows are to be skipped) writes nothing.
async fn load_national(
    store: &dyn Store,
    caller: &Caller,
    national: registers::RegisterFormat,
    upload: RegisterUpload,
    progress: Arc<dyn Fn(u64) + Send + Sync>,
) -> Result<Imported<RegisterLoaded>> {
    let filter = national_filter(store, caller, &upload.options).await?;
    let waiting = waiting_suppliers(store, caller).await?;
    let RegisterUpload {
        file_name,
        source,
        options,
        ..
    } = upload;
    let (send, rows) = tokio::sync::mpsc::channel::<RegisterStream>(2);
    let name = file_name.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut report = Report::new(&name);
        let mut src = Counting {
            inner: source,
            read: 0,
            progress,
        };
        let mut batch = Vec::with_capacity(NATIONAL_BATCH);
        let (mut kept, mut open) = (0u64, true);
        let summary = read_register(national, &mut src, &filter, &mut report, |r| {
            kept += 1;
            if !open {
                return;
            }
            batch.push(OrganisationInput::from(&r));
            if batch.len() >= NATIONAL_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(NATIONAL_BATCH));
                // The store stopped (it failed): read on only to count.
                open = send.blocking_send(RegisterStream::Orgs(full)).is_ok();
            }
        });
        if open && !batch.is_empty() {
            open = send.blocking_send(RegisterStream::Orgs(batch)).is_ok();
        }
        report.sort();
        let write = !(report.has_errors() && (!options.skip_bad_lines || kept == 0));
        if open {
            let _ = send.blocking_send(RegisterStream::End { write });
        }
        (report, summary.filtered_out)
    });
    let recheck: Option<Recheck> = (!waiting.is_empty()).then(|| {
        Box::new(move |register: Vec<(Uuid, RegisterEntry)>| {
            resolve_new_suppliers(waiting, &HashSet::new(), &register)
        }) as Recheck
    });
    let written = store
        .load_register_stream(caller.programme, &file_name, rows, recheck, &caller.actor)
        .await;
    // A panic while reading is a bug, raised here as if it had happened here.
    let (report, left_out) = reader
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    match written? {
        None => Err(Error::Rejected(report)),
        Some(o) => Ok(Imported {
            outcome: RegisterLoaded {
                entries: o.entries,
                new: o.new,
                left_out,
                rechecked: o.rechecked,
                joined: 0,
                marked: 0,
            },
            report,
        }),
    }
}

/// The suppliers waiting for a match (not in the register, or to review),
/// by key.
async fn waiting_suppliers(
    store: &dyn Store,
    caller: &Caller,
) -> Result<BTreeMap<String, NamedSupplier>> {
    let mut waiting: BTreeMap<String, NamedSupplier> = BTreeMap::new();
    let withheld = name_key("Redacted");
    for status in [SupplierStatus::Unresolved, SupplierStatus::Review] {
        for s in store.suppliers(caller.programme, Some(status)).await? {
            let redacted = s.key == withheld;
            waiting.insert(s.key, (s.name, s.company_number, redacted));
        }
    }
    Ok(waiting)
}

/// The suppliers still waiting for a match, resolved against the register
/// as it will be after the load.
async fn recheck(
    store: &dyn Store,
    caller: &Caller,
    loaded: &[(Uuid, OrganisationInput)],
) -> Result<Vec<NewSupplier>> {
    let waiting = waiting_suppliers(store, caller).await?;
    if waiting.is_empty() {
        return Ok(Vec::new());
    }
    let mut register: Vec<(Uuid, RegisterEntry)> =
        store.organisations_for_matching(caller.programme).await?;
    let at: HashMap<Uuid, usize> = register
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    for (id, o) in loaded {
        let entry = RegisterEntry {
            name: o.name.clone(),
            company_number: o.company_number.clone(),
        };
        match at.get(id) {
            Some(i) => register[*i].1 = entry,
            None => register.push((*id, entry)),
        }
    }
    Ok(resolve_new_suppliers(waiting, &HashSet::new(), &register))
}

/// Reads and loads a register file, all or nothing (unless bad rows are to
/// be skipped), and re-checks the suppliers waiting for a match.
/// `progress` is told the bytes read so far.
pub async fn load_register(
    store: &dyn Store,
    caller: &Caller,
    upload: RegisterUpload,
    progress: Arc<dyn Fn(u64) + Send + Sync>,
) -> Result<Imported<RegisterLoaded>> {
    caller.require(Capability::ManageSpend)?;
    if upload.format == RegisterFormat::National(registers::RegisterFormat::Links) {
        return super::links::load_links(store, caller, upload, progress).await;
    }
    if let RegisterFormat::National(national) = upload.format {
        return load_national(store, caller, national, upload, progress).await;
    }
    let skip_bad_lines = upload.options.skip_bad_lines;
    let file_name = upload.file_name.clone();
    let (entries, mut report) = read_entries(upload, progress).await?;
    report.sort();
    if report.has_errors() && (!skip_bad_lines || entries.is_empty()) {
        return Err(Error::Rejected(report));
    }
    // An organisation joined into another (by a links file or by a person)
    // stays joined: its org-id names the organisation it was merged into
    // (the store writes the row to that one), so suppliers re-checked
    // against it resolve there too.
    let mut held: HashMap<String, Uuid> = store
        .organisation_ids(caller.programme)
        .await?
        .into_iter()
        .collect();
    for m in store.merges(caller.programme).await? {
        held.entry(m.merged_org_id).or_insert(m.kept_id);
    }
    // A charitable company stays one whatever a company register's row says
    // (the store's upsert keeps the form and kind a link gave it).
    let with_ids: Vec<(Uuid, OrganisationInput)> = entries
        .into_iter()
        .map(|o| (held.get(&o.org_id).copied().unwrap_or_else(Uuid::now_v7), o))
        .collect();
    let rechecked = recheck(store, caller, &with_ids).await?;
    let outcome = store
        .load_register(
            caller.programme,
            &RegisterLoad {
                source: &file_name,
                orgs: &with_ids,
                rechecked: &rechecked,
            },
            &caller.actor,
        )
        .await?;
    Ok(Imported {
        outcome: RegisterLoaded {
            entries: outcome.entries,
            new: outcome.new,
            left_out: 0,
            rechecked: outcome.rechecked,
            joined: 0,
            marked: 0,
        },
        report,
    })
}

/// Loads register entries already read (the demo's invented organisations,
/// a register read by another tool), all in one transaction.
pub async fn load_organisations(
    store: &dyn Store,
    caller: &Caller,
    orgs: &[OrganisationInput],
) -> Result<u64> {
    caller.require(Capability::ManageSpend)?;
    Ok(store
        .load_organisations(caller.programme, orgs, &caller.actor)
        .await?)
}
