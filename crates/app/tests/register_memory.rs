//! A national register streams into the store a batch at a time: the
//! memory a load holds does not grow with the file's rows. "Basic Company
//! Data" has about 5 million rows; loaded whole (every row kept, as with
//! nothing to filter by) it once took 3.9 GB. Here a generated file in the
//! published layout, 100,000 companies each once, is loaded with nothing to
//! filter by, on SQLite and then PostgreSQL, with every byte the program
//! allocates counted: the peak above what was held before stays under a
//! bound that holding the rows would pass several times over (about 800
//! bytes a row, 80 MB here).
//!
//! The allocator counts every thread of this test binary, so this file
//! holds one test and runs the databases one after the other.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use useit_app::Caller;
use useit_app::anchors::register::{RegisterOptions, RegisterUpload, load_register};
use useit_core::anchors::register::RegisterFormat;
use useit_core::anchors::registers::bench::write_companies_house;
use useit_core::audit::Actor;
use useit_core::programme::NewProgramme;
use useit_testkit::TestDb;

struct Counted;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only the
// sizes are counted.
unsafe impl GlobalAlloc for Counted {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counted = Counted;

const ROWS: u64 = 100_000;
/// What the load may hold at its peak, beyond what was held before it.
const BOUND: usize = 32 << 20;

async fn load_counted(db: &TestDb, file: Arc<Vec<u8>>) -> (u64, usize) {
    let store = db.store.clone();
    let p = store
        .create_programme(
            &NewProgramme::validate("national", "National", "").unwrap(),
            None,
            &Actor::system("test"),
        )
        .await
        .unwrap();
    let caller = Caller::system(p.id, "test");
    // The file is read from memory here (it is the test's, not the
    // load's): its bytes were allocated before the count starts.
    struct Shared(Arc<Vec<u8>>, usize);
    impl std::io::Read for Shared {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = (self.0.len() - self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }
    let upload = RegisterUpload {
        format: RegisterFormat::parse("companies-house").unwrap(),
        file_name: "BasicCompanyData.csv".into(),
        source: Box::new(Shared(file, 0)),
        options: RegisterOptions::default(),
    };
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let loaded = load_register(store.as_ref(), &caller, upload, Arc::new(|_| {}))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    eprintln!(
        "{} rows: {} KiB at the peak",
        loaded.outcome.entries,
        peak >> 10
    );
    assert_eq!(
        loaded.outcome.left_out, 0,
        "nothing to filter by: every row kept"
    );
    (loaded.outcome.entries, peak)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_national_register_loads_in_memory_that_does_not_grow_with_its_rows() {
    let mut file = Vec::new();
    write_companies_house(ROWS, 7, &mut file).unwrap();
    let file = Arc::new(file);
    let db = TestDb::sqlite().await;
    let (entries, peak) = load_counted(&db, file.clone()).await;
    db.finish().await;
    assert_eq!(entries, ROWS);
    assert!(
        peak < BOUND,
        "SQLite: the load held {} MiB at its peak for {ROWS} rows",
        peak >> 20
    );
    if let Some(db) = TestDb::postgres().await {
        let (entries, peak) = load_counted(&db, file).await;
        db.finish().await;
        assert_eq!(entries, ROWS);
        assert!(
            peak < BOUND,
            "PostgreSQL: the load held {} MiB at its peak for {ROWS} rows",
            peak >> 20
        );
    }
}
