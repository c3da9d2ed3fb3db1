//! Large spend files import in the background, and so do register files
//! loaded from the web; the page that started one shows its progress and
//! then its outcome. Progress lives in memory; each
//! job is also recorded in the database as it starts and ends, so after a
//! restart its page still says what happened: finished, or cut off and
//! rolled back (each import is one transaction, all written or none).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use useit_core::ProgrammeId;
use useit_core::anchors::import::{ImportOptions, estimated_lines};
use useit_core::anchors::jobs::{ImportJobRecord, JobKind, JobState};
use useit_core::anchors::ledger::ImportOutcome;
use useit_core::anchors::register::RegisterFormat;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::csv_import::Report;
use useit_core::i18n::Message;
use uuid::Uuid;

use super::import::{SpendUpload, import_spend_file};
use super::register::{
    RegisterLoaded, RegisterOptions, RegisterUpload, SpooledFile, load_register,
};
use crate::{Caller, Error, Imported};

/// How a background import ended.
#[derive(Clone, Debug)]
pub enum JobEnd {
    Imported(Imported<ImportOutcome>),
    /// A register file loaded.
    Registered(Imported<RegisterLoaded>),
    /// The file had errors: nothing was written.
    Rejected(Report),
    /// Something else went wrong (logged); nothing was written. Why, as a
    /// catalogue message, said in words when read.
    Failed(Message),
}

/// Why a background job failed, as it is kept: a message said in its
/// reader's words when read (the cause's own message inside it: the
/// database busy, a conflict, a field's problem), never text written in
/// the words of whoever ran it. What went wrong inside the service (a
/// database error, with the driver's own words) is logged, not kept: the
/// job says only that the service had a problem, as a page would.
pub fn failure(e: &Error) -> Message {
    let reason = match e {
        Error::Store(useit_store::StoreError::Busy(_)) => Message::new("store.busy"),
        Error::Store(_) => Message::new("error.internal.detail"),
        other => other.message(),
    };
    Message::new("anchors.job.failed").said("reason", &reason)
}

/// Files with more lines than this import in the background (a page shows
/// their progress; the API answers 202 with a status address).
pub const BACKGROUND_LINES: u64 = 20_000;
/// Workbooks larger than this (about 20,000 rows) import in the background:
/// their rows are not known before they are opened.
pub const BACKGROUND_WORKBOOK_BYTES: usize = 1 << 20;

/// Whether an upload is large enough to import in the background, so no
/// request waits for it.
pub fn goes_to_background(bytes: &[u8]) -> bool {
    match estimated_lines(bytes) {
        Some(lines) => lines > BACKGROUND_LINES,
        None => bytes.len() > BACKGROUND_WORKBOOK_BYTES,
    }
}

/// Register files larger than this load in the background through the API
/// (the web page loads every register file in the background).
pub const BACKGROUND_REGISTER_BYTES: u64 = 4 << 20;

/// One background import.
pub struct Job {
    pub programme: ProgrammeId,
    pub kind: JobKind,
    pub file_name: String,
    /// The anchor a spend file is for; a register's format in words.
    pub anchor: String,
    /// Lines in a spend file, for "n of N" (`None` for a workbook, whose
    /// bytes say nothing of its rows: its page says "working" instead);
    /// bytes in a register file, whose progress is the bytes read.
    pub total: Option<u64>,
    done: AtomicU64,
    end: Mutex<Option<JobEnd>>,
}

impl Job {
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// How it ended; `None` while it runs.
    pub fn end(&self) -> Option<JobEnd> {
        self.end.lock().map(|e| e.clone()).unwrap_or(None)
    }
}

/// The running and finished imports, by id, and the uploads waiting for a
/// person to confirm their columns.
#[derive(Clone, Default)]
pub struct Jobs(
    Arc<Mutex<HashMap<Uuid, Arc<Job>>>>,
    Arc<Mutex<HashMap<Uuid, HeldUpload>>>,
);

/// An upload whose columns the reader was not sure of, kept until the
/// person confirms or changes them (a restart forgets it: they choose the
/// file again).
pub struct HeldUpload {
    pub programme: ProgrammeId,
    pub anchor: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub options: ImportOptions,
}

impl Jobs {
    /// Jobs kept at most; the oldest finished ones go first.
    const KEEP: usize = 200;

    fn add(&self, job: Job) -> (Uuid, Arc<Job>) {
        let id = Uuid::now_v7();
        let job = Arc::new(job);
        let mut map = self.0.lock().expect("jobs lock");
        if map.len() >= Self::KEEP {
            let mut done: Vec<Uuid> = map
                .iter()
                .filter(|(_, j)| j.end().is_some())
                .map(|(k, _)| *k)
                .collect();
            done.sort();
            for k in done.into_iter().take(map.len() + 1 - Self::KEEP) {
                map.remove(&k);
            }
        }
        map.insert(id, job.clone());
        (id, job)
    }

    /// Uploads held at most; the oldest go first (ids are in time order).
    const HOLD: usize = 20;

    /// Keeps an upload until its columns are confirmed; returns its id.
    pub fn hold(&self, upload: HeldUpload) -> Uuid {
        let id = Uuid::now_v7();
        let mut map = self.1.lock().expect("held uploads lock");
        while map.len() >= Self::HOLD {
            let Some(oldest) = map.keys().min().copied() else {
                break;
            };
            map.remove(&oldest);
        }
        map.insert(id, upload);
        id
    }

    /// The held upload of this programme, handed over once.
    pub fn take(&self, programme: ProgrammeId, id: Uuid) -> Option<HeldUpload> {
        let mut map = self.1.lock().expect("held uploads lock");
        match map.get(&id) {
            Some(h) if h.programme == programme => map.remove(&id),
            _ => None,
        }
    }

    /// A job of this programme (another programme's is not found).
    pub fn get(&self, programme: ProgrammeId, id: Uuid) -> Option<Arc<Job>> {
        let map = self.0.lock().expect("jobs lock");
        map.get(&id).filter(|j| j.programme == programme).cloned()
    }
}

/// A spend file to import in the background (owned: it outlives the request).
pub struct BackgroundUpload {
    pub anchor: String,
    /// The anchor's name, for the progress page.
    pub anchor_name: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub options: ImportOptions,
}

/// Starts importing a file in the background; its progress and outcome are
/// read from `jobs` by the returned id.
pub fn start_import(
    store: Arc<dyn crate::Store>,
    caller: Caller,
    jobs: &Jobs,
    upload: BackgroundUpload,
) -> Uuid {
    let total = estimated_lines(&upload.bytes);
    let (id, job) = jobs.add(Job {
        programme: caller.programme,
        kind: JobKind::Spend,
        file_name: upload.file_name.clone(),
        anchor: upload.anchor_name.clone(),
        total,
        done: AtomicU64::new(0),
        end: Mutex::new(None),
    });
    let record = ImportJobRecord {
        id,
        kind: JobKind::Spend,
        anchor_name: upload.anchor_name.clone(),
        file_name: upload.file_name.clone(),
        total: total.unwrap_or(0),
        state: JobState::Running,
        summary: String::new(),
        problems: String::new(),
        started_at: clock::now(),
        ended_at: None,
    };
    tokio::spawn(async move {
        begin(store.as_ref(), &caller, &record).await;
        let progress = |n: u64| job.done.store(n, Ordering::Relaxed);
        let r = import_spend_file(
            store.as_ref(),
            &caller,
            SpendUpload {
                anchor: &upload.anchor,
                file_name: &upload.file_name,
                bytes: &upload.bytes,
                options: upload.options,
            },
            &progress,
        )
        .await;
        let end = match r {
            Ok(imported) => JobEnd::Imported(imported),
            Err(Error::Rejected(report)) => JobEnd::Rejected(report),
            Err(e) => {
                tracing::error!(error = %e, "background spend import failed");
                JobEnd::Failed(failure(&e))
            }
        };
        finish(store.as_ref(), &caller, record, &job, end).await;
    });
    id
}

/// Records a job as started: the record lets its page outlive a restart;
/// a failure to write it costs only that, so it is logged, not fatal.
async fn begin(store: &dyn crate::Store, caller: &Caller, record: &ImportJobRecord) {
    if let Err(e) = store.record_import_job(caller.programme, record).await {
        tracing::warn!(error = %e, "could not record a background import");
    }
}

/// Records how a job ended and hands its end to its page.
async fn finish(
    store: &dyn crate::Store,
    caller: &Caller,
    mut record: ImportJobRecord,
    job: &Job,
    end: JobEnd,
) {
    // What the job did is kept as a catalogue message, said in words when
    // its page is read: in the reader's language, not the server's.
    // So is its report: each problem's words are said when read, with its
    // file, line and column.
    (record.state, record.summary, record.problems) = match &end {
        JobEnd::Imported(i) => (
            JobState::Imported,
            i.outcome.message().to_json(),
            i.report.to_json(),
        ),
        JobEnd::Registered(i) => (
            JobState::Imported,
            i.outcome.message().to_json(),
            i.report.to_json(),
        ),
        JobEnd::Rejected(r) => (
            JobState::Rejected,
            Message::new("upload.has_errors")
                .arg("count", r.error_count())
                .to_json(),
            r.to_json(),
        ),
        JobEnd::Failed(reason) => (JobState::Failed, reason.to_json(), String::new()),
    };
    record.ended_at = Some(clock::now());
    if let Err(e) = store.record_import_job(caller.programme, &record).await {
        tracing::warn!(error = %e, "could not record how a background import ended");
    }
    if let Ok(mut slot) = job.end.lock() {
        *slot = Some(end);
    }
}

/// A register file to load in the background, already written to a
/// temporary file as it arrived (it is removed once read).
pub struct BackgroundRegister {
    pub format: RegisterFormat,
    pub file_name: String,
    pub file: SpooledFile,
    pub options: RegisterOptions,
}

/// Starts loading a register file in the background, with the same jobs,
/// records and pages as a spend import; its progress is the bytes read.
/// Refused at once for a caller who may not load registers.
pub fn start_register_load(
    store: Arc<dyn crate::Store>,
    caller: Caller,
    jobs: &Jobs,
    upload: BackgroundRegister,
) -> crate::Result<Uuid> {
    caller.require(Capability::ManageSpend)?;
    let total = upload.file.len();
    let format_words = useit_core::i18n::t(&upload.format.label_key()).to_string();
    let (id, job) = jobs.add(Job {
        programme: caller.programme,
        kind: JobKind::Register,
        file_name: upload.file_name.clone(),
        anchor: format_words,
        total: Some(total),
        done: AtomicU64::new(0),
        end: Mutex::new(None),
    });
    let record = ImportJobRecord {
        id,
        kind: JobKind::Register,
        // Kept as its catalogue key, said in words when the job is read.
        anchor_name: upload.format.label_key(),
        file_name: upload.file_name.clone(),
        total,
        state: JobState::Running,
        summary: String::new(),
        problems: String::new(),
        started_at: clock::now(),
        ended_at: None,
    };
    tokio::spawn(async move {
        begin(store.as_ref(), &caller, &record).await;
        let r = match upload.file.reader() {
            Ok(source) => {
                let done = job.clone();
                let progress = Arc::new(move |n: u64| done.done.store(n, Ordering::Relaxed));
                load_register(
                    store.as_ref(),
                    &caller,
                    RegisterUpload {
                        format: upload.format,
                        file_name: upload.file_name,
                        source,
                        options: upload.options,
                    },
                    progress,
                )
                .await
            }
            Err(e) => {
                let mut report = Report::new(&record.file_name);
                report.push(useit_core::csv_import::Problem::error(
                    0,
                    None,
                    Message::new("anchors.register.unreadable").arg("reason", e),
                ));
                Err(Error::Rejected(report))
            }
        };
        let end = match r {
            Ok(loaded) => JobEnd::Registered(loaded),
            Err(Error::Rejected(report)) => JobEnd::Rejected(report),
            Err(e) => {
                tracing::error!(error = %e, "background register load failed");
                JobEnd::Failed(failure(&e))
            }
        };
        finish(store.as_ref(), &caller, record, &job, end).await;
    });
    Ok(id)
}

/// A background import as its page shows it: live while this server runs
/// it, recorded once it has ended or if a restart cut it off.
pub enum JobView {
    Live(Arc<Job>),
    Recorded(ImportJobRecord),
}

/// The import `id` of the caller's programme (another programme's is not
/// found).
pub async fn import_job(
    store: &dyn crate::Store,
    caller: &Caller,
    jobs: &Jobs,
    id: Uuid,
) -> crate::Result<JobView> {
    caller.require(Capability::ManageSpend)?;
    if let Some(job) = jobs.get(caller.programme, id) {
        return Ok(JobView::Live(job));
    }
    store
        .import_job(caller.programme, id)
        .await?
        .map(JobView::Recorded)
        .ok_or(Error::NotFound)
}
