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

/// Bytes written by a generator on another thread, read as they come: a
/// national-sized file that never exists whole, on disk or in memory.
struct Generated {
    chunks: std::sync::mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

struct ChunkWriter(std::sync::mpsc::SyncSender<Vec<u8>>);

impl std::io::Write for ChunkWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.chunks.recv() {
                Ok(c) => {
                    self.chunk = c;
                    self.at = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = (self.chunk.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// `rows` generated companies, made on a thread of their own as they are
/// read (four 1 MiB chunks in flight at most).
fn generated(rows: u64) -> Generated {
    let (send, chunks) = std::sync::mpsc::sync_channel(4);
    std::thread::spawn(move || {
        let _ = useit_core::anchors::registers::bench::write_companies_house(
            rows,
            2026,
            ChunkWriter(send),
        );
    });
    Generated {
        chunks,
        chunk: Vec::new(),
        at: 0,
    }
}

pub fn run(
    file: &Path,
    repeat: u64,
    generate: Option<u64>,
    postcode_areas: Vec<String>,
) -> anyhow::Result<ExitCode> {
    let (source, described, rows, bytes): (Box<dyn Read + Send>, String, u64, Option<u64>) =
        match generate {
            Some(rows) => (
                Box::new(generated(rows)),
                format!("{rows} generated companies in the published layout"),
                rows,
                None,
            ),
            None => {
                let (reader, rows_per_copy, body_len) = repeated(file, repeat)?;
                (
                    Box::new(reader),
                    format!(
                        "{} ({rows_per_copy} rows × {repeat} = {} rows)",
                        file.display(),
                        rows_per_copy * repeat
                    ),
                    rows_per_copy * repeat,
                    Some(body_len * repeat),
                )
            }
        };
    let dir =
        Scratch(std::env::temp_dir().join(format!("useit-bench-registers-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0)?;
    let url = format!("sqlite://{}", dir.0.join("bench.db").display());
    let rt = tokio::runtime::Handle::current();
    let read_bytes = Arc::new(std::sync::atomic::AtomicU64::new(0));
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
            source,
            options: RegisterOptions {
                // The same sample again repeats its rows: those refused are
                // counted, not fatal.
                skip_bad_lines: true,
                postcode_areas,
            },
        };
        let t = Instant::now();
        let counted = read_bytes.clone();
        let progress =
            Arc::new(move |n: u64| counted.store(n, std::sync::atomic::Ordering::Relaxed));
        let loaded = match load_register(store.as_ref(), &caller, upload, progress).await {
            Ok(l) => l,
            Err(useit_app::Error::Rejected(r)) => anyhow::bail!("{r}"),
            Err(e) => return Err(e.into()),
        };
        let s = secs(t);
        store.close().await;
        anyhow::Ok((loaded, s))
    })?;
    let o = outcome.outcome;
    let read = read_bytes.load(std::sync::atomic::Ordering::Relaxed);
    let mib = bytes.unwrap_or(read) as f64 / 1_048_576.0;
    println!("companies-house register: {described}, {mib:.0} MiB of text");
    println!(
        "  streamed in {s:.2} s: {:.0} rows/s, {:.1} MiB/s; kept {} (postcode areas: {}), left out {}; peak memory {:.0} MiB",
        rows as f64 / s,
        mib / s,
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

/// The sample (gzipped or not) served `repeat` times after its header:
/// the reader, the sample's rows and the bytes of one copy of them.
fn repeated(file: &Path, repeat: u64) -> anyhow::Result<(Repeated, u64, u64)> {
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
    let len = body.len() as u64;
    Ok((
        Repeated {
            header: Cursor::new(text),
            body,
            at: 0,
            left: repeat,
        },
        rows_per_copy,
        len,
    ))
}
