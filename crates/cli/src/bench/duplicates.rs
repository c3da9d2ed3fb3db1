//! `useit bench duplicates`: the enterprise duplicates list on a register of
//! N organisations (a few hundred of them entered twice). Times a page of
//! the likely pairs as every request worked it out before (every
//! organisation read and paired per request: nothing kept) and as the
//! server now does (the pairs kept per revision of the programme, a request
//! reading the revision, the pairs said not to be duplicates and its own
//! page's organisations), and checks both list the same pairs.

use std::process::ExitCode;
use std::time::Instant;

use useit_app::Caller;
use useit_app::anchors::Ledgers;
use useit_app::anchors::register::load_organisations;
use useit_app::enterprise::merge::{Duplicate, duplicates_page};
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::{OrganisationDetails, OrganisationInput};
use useit_core::audit::Actor;
use useit_core::listing::PageRequest;

use super::{Scratch, secs};

const FIRST: [&str; 8] = [
    "Sandwell",
    "Smethwick",
    "Cape Hill",
    "Soho",
    "Ladywood",
    "Winson Green",
    "Oldbury",
    "Rood End",
];
const SECOND: [&str; 6] = [
    "Care",
    "Cleaning",
    "Catering",
    "Builders",
    "Transport",
    "Print",
];

fn organisation(org_id: String, name: String, company: Option<String>) -> OrganisationInput {
    OrganisationInput {
        org_id,
        name,
        kind: SupplierKind::Sme,
        company_number: company,
        postcode: Some("B66 2QT".into()),
        trading_postcode: None,
        source: "bench".into(),
        details: OrganisationDetails::default(),
        location: None,
    }
}

/// N companies, and twins of one in 100 (the same name as a CIC under a
/// charity number) and of one in 250 (the same company number written with
/// a leading zero, under another name).
fn register(n: usize) -> Vec<OrganisationInput> {
    let mut out = Vec::with_capacity(n + n / 50);
    for i in 0..n {
        let number = format!("{:08}", 10_000_000 + i);
        let base = format!(
            "{} {} {i}",
            FIRST[i % FIRST.len()],
            SECOND[(i / FIRST.len()) % SECOND.len()]
        );
        out.push(organisation(
            format!("GB-COH-{number}"),
            format!("{base} Limited"),
            Some(number.clone()),
        ));
        if i % 100 == 0 {
            out.push(organisation(
                format!("GB-CHC-{}", 1_000_000 + i),
                format!("{base} CIC"),
                None,
            ));
        }
        if i % 250 == 7 {
            out.push(organisation(
                format!("GB-COH-0{number}"),
                format!("Trading Name {i}"),
                Some(format!("0{number}")),
            ));
        }
    }
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ids(pairs: &[Duplicate]) -> Vec<(uuid::Uuid, uuid::Uuid)> {
    pairs.iter().map(|p| (p.keep.id, p.other.id)).collect()
}

pub fn run(n: usize, repeat: usize, into: Option<String>) -> anyhow::Result<ExitCode> {
    let repeat = repeat.max(1);
    let dir = std::env::temp_dir().join(format!("useit-bench-duplicates-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let _scratch = Scratch(dir.clone());
    let url = into.unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    tokio::runtime::Handle::current().block_on(measure(&url, n, repeat))?;
    Ok(ExitCode::SUCCESS)
}

async fn measure(url: &str, n: usize, repeat: usize) -> anyhow::Result<()> {
    let store = useit_store::connect(url).await?;
    let s = store.as_ref();
    let p = store
        .create_programme(
            &useit_core::programme::NewProgramme::validate("bench-duplicates", "Bench", "")
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            None,
            &Actor::system("bench"),
        )
        .await?;
    let caller = Caller::system(p.id, "bench");
    let orgs = register(n);
    let t = Instant::now();
    load_organisations(s, &caller, &orgs).await?;
    println!(
        "useit bench duplicates: {} organisations on the register (loaded in {:.1} s), {url}",
        orgs.len(),
        secs(t)
    );

    // Before: every request read the whole register and paired it.
    let nothing_kept = Ledgers::new(0);
    let first_page = PageRequest::new(Some(1), None);
    let mut times = Vec::new();
    let mut before = None;
    for _ in 0..repeat {
        let t = Instant::now();
        let page = duplicates_page(s, &caller, &nothing_kept, first_page).await?;
        times.push(secs(t));
        before = Some(page);
    }
    let before = before.expect("one run at least");
    let read_all = median(times);

    // Now: the pairs kept per revision; the first request works them out.
    let kept = Ledgers::new(4);
    let t = Instant::now();
    let cold = duplicates_page(s, &caller, &kept, first_page).await?;
    let first = secs(t);
    let pages = cold.total.div_ceil(u64::from(first_page.per_page)).max(1) as u32;
    let mut times = Vec::new();
    let mut all = Vec::new();
    for k in 0..repeat.max(pages as usize) {
        let n = (k as u32 % pages) + 1;
        let t = Instant::now();
        let page = duplicates_page(s, &caller, &kept, PageRequest::new(Some(n), None)).await?;
        times.push(secs(t));
        if k < pages as usize {
            all.extend(page.items);
        }
    }
    let warm = median(times);
    anyhow::ensure!(
        ids(&cold.items) == ids(&before.items) && cold.total == before.total,
        "the first page differs from the one worked out afresh"
    );
    let whole = duplicates_page(s, &caller, &nothing_kept, PageRequest::all()).await?;
    anyhow::ensure!(
        ids(&all) == ids(&whole.items),
        "the pages kept differ from the pairs worked out afresh"
    );
    println!(
        "  {} likely pairs, {} pages of {}",
        before.total, pages, first_page.per_page
    );
    println!(
        "  a page, the whole register read and paired per request (before): {:>8.4} s  (median of {repeat})",
        read_all
    );
    println!(
        "  a page, the pairs kept per revision (now):                       {:>8.4} s  (median of {} requests over every page)",
        warm,
        repeat.max(pages as usize)
    );
    println!(
        "  the first request after a change (works the pairs out once):      {:>8.4} s",
        first
    );
    println!(
        "  the same pairs either way; each request is {:.0}× faster",
        read_all / warm
    );
    store.close().await;
    Ok(())
}
