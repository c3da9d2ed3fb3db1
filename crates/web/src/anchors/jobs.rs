//! Large spend files import in the background; the page that started one
//! shows its progress (refreshing itself with a `Refresh` header, so it
//! works without JavaScript) and then its outcome. Jobs live in memory:
//! a restart forgets the page, never the data (each import is one
//! transaction, so it is either all written or not at all).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use useit_core::ProgrammeId;
use useit_core::csv_import::Report;
use useit_store::anchors::ImportOutcome;
use uuid::Uuid;

/// One background import.
pub struct Job {
    pub programme: ProgrammeId,
    pub file_name: String,
    pub anchor: String,
    /// Lines in the file, for "n of N".
    pub total: u64,
    pub done: AtomicU64,
    pub result: Mutex<Option<Result<(Report, Option<ImportOutcome>), String>>>,
}

/// The running and finished imports, by id.
#[derive(Clone, Default)]
pub struct Jobs(Arc<Mutex<HashMap<Uuid, Arc<Job>>>>);

impl Jobs {
    /// Jobs kept at most; the oldest finished ones go first.
    const KEEP: usize = 200;

    pub fn add(&self, job: Job) -> (Uuid, Arc<Job>) {
        let id = Uuid::now_v7();
        let job = Arc::new(job);
        let mut map = self.0.lock().expect("jobs lock");
        if map.len() >= Self::KEEP {
            let mut done: Vec<Uuid> = map
                .iter()
                .filter(|(_, j)| j.result.lock().map(|r| r.is_some()).unwrap_or(true))
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

    /// A job of this programme (another programme's is not found).
    pub fn get(&self, programme: ProgrammeId, id: Uuid) -> Option<Arc<Job>> {
        let map = self.0.lock().expect("jobs lock");
        map.get(&id).filter(|j| j.programme == programme).cloned()
    }
}

impl Job {
    pub fn progress(&self, n: u64) {
        self.done.store(n, Ordering::Relaxed);
    }

    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }
}
