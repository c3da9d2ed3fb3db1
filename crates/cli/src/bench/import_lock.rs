//! `useit bench import-lock`: one spend file of N lines imports while
//! another user keeps working (adding a person and reading them back, each
//! an audited write) every 50 ms; prints the import's time and lines/s and
//! the slowest answer the other user got. The goal (issue 16): no answer
//! waits more than about a second for the database while a million lines
//! import, and none fails as "busy".

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use useit_app::Caller;
use useit_app::anchors::anchor::save_anchor;
use useit_app::anchors::{SpendUpload, import_spend_file};
use useit_app::talent::people::{create_person, person};
use useit_core::anchors::anchor::AnchorInput;
use useit_core::audit::Actor;
use useit_core::talent::casework::PersonInput;

use super::secs;
use super::spend::generate;

/// Runs the import and the other user's work side by side.
pub fn run(lines: usize, into: Option<String>) -> anyhow::Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("useit-bench-lock-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let _scratch = super::Scratch(dir.clone());
    let t = Instant::now();
    let bytes = one_file(&dir, lines)?;
    println!(
        "useit bench import-lock: one file of {lines} lines ({:.0} MB), generated in {:.1} s",
        bytes.len() as f64 / 1e6,
        secs(t)
    );
    let url = into.unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    tokio::runtime::Handle::current().block_on(measure(&url, bytes))?;
    Ok(ExitCode::SUCCESS)
}

/// The twelve generated monthly files as one (one header).
fn one_file(dir: &std::path::Path, lines: usize) -> anyhow::Result<Vec<u8>> {
    let g = generate(dir, lines, (lines / 50).clamp(100, 20_000))?;
    let mut out = Vec::new();
    for (i, f) in g.files.iter().enumerate() {
        let text = std::fs::read(f)?;
        let body = if i == 0 {
            &text[..]
        } else {
            let eol = text.iter().position(|b| *b == b'\n').map_or(0, |p| p + 1);
            &text[eol..]
        };
        out.write_all(body)?;
    }
    Ok(out)
}

async fn measure(url: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
    let store = useit_store::connect(url).await?;
    let p = store
        .create_programme(
            &useit_core::programme::NewProgramme::validate("bench-lock", "Bench", "")
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            None,
            &Actor::system("bench"),
        )
        .await?;
    let caller = Caller::system(p.id, "bench");
    let anchor = AnchorInput {
        slug: "trust".into(),
        name: "Bench Trust".into(),
        kind: "nhs_trust".into(),
        ..Default::default()
    };
    save_anchor(store.as_ref(), &caller, &anchor).await?;
    let importing = Arc::new(AtomicBool::new(true));
    let other = {
        let (store, caller, importing) = (store.clone(), caller.clone(), importing.clone());
        tokio::spawn(async move {
            let mut waits = Vec::new();
            let mut failures = Vec::new();
            let mut n = 0u32;
            while importing.load(Ordering::Relaxed) {
                n += 1;
                let t = Instant::now();
                let input = PersonInput {
                    full_name: format!("Bench Person {n}"),
                    profession: "nurse".into(),
                    qualification_country: "Syria".into(),
                    lawful_basis: "legitimate_interests".into(),
                    ..Default::default()
                };
                let r = match create_person(store.as_ref(), &caller, &input).await {
                    Ok(p) => person(store.as_ref(), &caller, p.id).await.map(|_| ()),
                    Err(e) => Err(e),
                };
                waits.push(t.elapsed());
                if let Err(e) = r {
                    failures.push(e.message().text());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            (waits, failures)
        })
    };
    let t = Instant::now();
    let r = import_spend_file(
        store.as_ref(),
        &caller,
        SpendUpload {
            anchor: "trust",
            file_name: "TRUST YEAR.csv",
            bytes: &bytes,
            options: Default::default(),
        },
        &|_| {},
    )
    .await;
    let took = secs(t);
    importing.store(false, Ordering::Relaxed);
    let (mut waits, failures) = other.await?;
    let imported = match r {
        Ok(i) => i.outcome.lines_new,
        Err(useit_app::Error::Rejected(r)) => anyhow::bail!("{r}"),
        Err(e) => return Err(e.into()),
    };
    waits.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pct = |q: f64| {
        waits
            .get(((waits.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .map_or(f64::NAN, ms)
    };
    println!(
        "import into {}: {imported} lines in {took:.2} s ({:.0} lines/s)",
        store.backend().name(),
        imported as f64 / took
    );
    println!(
        "another user meanwhile: {} answers (add a person, read them back), p50 {:.0} ms, p99 {:.0} ms, slowest {:.0} ms; {} failed{}",
        waits.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        failures.len(),
        failures
            .first()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default()
    );
    store.close().await;
    Ok(())
}
