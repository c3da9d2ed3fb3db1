//! `useit bench registers`: how fast a national register streams in. The
//! Companies House "Basic Company Data" file has about 5 million rows; the
//! samples shipped in `../shared/data/companies_house` are a few thousand,
//! so the sample's rows are served `--repeat` times in one stream (one
//! header) to the same path `useit anchors register` takes: decompress,
//! parse, place each postcode's area, keep the organisations the programme
//! could use, write them in one transaction. Prints rows/s and the peak
//! memory, which must stay flat however long the file.

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use useit_app::Caller;
use useit_app::anchors::register::{RegisterOptions, RegisterUpload, load_register};
use useit_core::anchors::register::RegisterFormat;
use useit_core::audit::Actor;

use super::spend::peak_mib;
use super::{Scratch, secs};

/// The sample's header once, then its rows `repeat` times.
struct Repeated {
    header: Cursor<Vec<u8>>,
    body: Vec<u8>,
    at: usize,
    left: u64,
}

impl Read for Repeated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.header.read(buf)?;
        if n > 0 {
            return Ok(n);
        }
        while self.left > 0 {
            if self.at < self.body.len() {
                let n = (self.body.len() - self.at).min(buf.len());
                buf[..n].copy_from_slice(&self.body[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            self.at = 0;
            self.left -= 1;
        }
        Ok(0)
    }
}

pub fn run(file: &Path, repeat: u64, postcode_areas: Vec<String>) -> anyhow::Result<ExitCode> {
    let raw = std::fs::read(file)
        .map_err(|e| anyhow::anyhow!("{}: {e} (give --file)", file.display()))?;
    let mut text = Vec::new();
    if raw.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut text)?;
    } else {
        text = raw;
    }
    let split = text
        .iter()
        .position(|b| *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(text.len());
    let mut body = text.split_off(split);
    if !body.ends_with(b"\n") {
        body.push(b'\n');
    }
    let rows_per_copy = body.iter().filter(|b| **b == b'\n').count() as u64;
    let rows = rows_per_copy * repeat;
    let bytes = body.len() as u64 * repeat;
    let dir =
        Scratch(std::env::temp_dir().join(format!("useit-bench-registers-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0)?;
    let url = format!("sqlite://{}", dir.0.join("bench.db").display());
    let rt = tokio::runtime::Handle::current();
    let areas = postcode_areas.join(", ");
    let (outcome, s) = rt.block_on(async {
        let store = useit_store::connect(&url).await?;
        let actor = Actor::system("bench");
        let p = store
            .create_programme(
                &useit_core::programme::NewProgramme::validate("bench-registers", "Bench", "")
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                None,
                &actor,
            )
            .await?;
        let caller = Caller::system(p.id, "bench");
        let upload = RegisterUpload {
            format: RegisterFormat::parse("companies-house")
                .ok_or_else(|| anyhow::anyhow!("no companies-house format"))?,
            file_name: file.display().to_string(),
            source: Box::new(Repeated {
                header: Cursor::new(text),
                body,
                at: 0,
                left: repeat,
            }),
            options: RegisterOptions {
                // The same sample again repeats its rows: those refused are
                // counted, not fatal.
                skip_bad_lines: true,
                postcode_areas,
            },
        };
        let t = Instant::now();
        let loaded = match load_register(store.as_ref(), &caller, upload, Arc::new(|_| {})).await {
            Ok(l) => l,
            Err(useit_app::Error::Rejected(r)) => anyhow::bail!("{r}"),
            Err(e) => return Err(e.into()),
        };
        let s = secs(t);
        store.close().await;
        anyhow::Ok((loaded, s))
    })?;
    let o = outcome.outcome;
    println!(
        "companies-house register: {} ({} rows × {repeat} = {rows} rows, {:.0} MiB of text)",
        file.display(),
        rows_per_copy,
        bytes as f64 / 1_048_576.0
    );
    println!(
        "  streamed in {s:.2} s: {:.0} rows/s, {:.1} MiB/s; kept {} (postcode areas: {}), left out {}; peak memory {:.0} MiB",
        rows as f64 / s,
        bytes as f64 / 1_048_576.0 / s,
        o.entries,
        if areas.is_empty() { "none" } else { &areas },
        o.left_out,
        peak_mib()
    );
    println!(
        "  the whole national file (about 5,000,000 rows) at this rate: {:.0} s",
        5_000_000.0 / (rows as f64 / s)
    );
    Ok(ExitCode::SUCCESS)
}
