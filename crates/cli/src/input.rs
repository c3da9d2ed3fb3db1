//! What every command reads first: the programme named on the command line,
//! and input files (gzip-compressed ones opened on the fly).

use std::path::PathBuf;
use std::sync::Arc;

use useit_core::ProgrammeId;
use useit_store::Store;

use crate::fail;

pub(crate) async fn programme(store: &Arc<dyn Store>, slug: &str) -> anyhow::Result<ProgrammeId> {
    Ok(programme_record(store, slug).await?.id)
}

/// The programme itself, for what it says of itself (how it writes money).
pub(crate) async fn programme_record(
    store: &Arc<dyn Store>,
    slug: &str,
) -> anyhow::Result<useit_core::programme::Programme> {
    use useit_app::programme::programmes::programme_by_slug;
    match programme_by_slug(store.as_ref(), &useit_app::auth::Operator::console(), slug).await {
        Ok(p) => {
            // The command's messages stay English, but its money is shown
            // in the programme's currency (`€1,234.56` for Lille).
            useit_core::i18n::set_current(useit_core::i18n::Locale {
                currency: p.currency,
                ..Default::default()
            });
            Ok(p)
        }
        Err(useit_app::Error::NotFound) => Err(fail!("cli.no_programme", "slug" => slug)),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn read(file: &PathBuf) -> anyhow::Result<Vec<u8>> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file)
        .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?;
    if name.ends_with(".gz") {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
            .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?;
        return Ok(out);
    }
    Ok(bytes)
}

/// A file to read as it goes (a national register is gigabytes), gunzipped on
/// the fly when its name ends in `.gz`. `on_bytes` is told how much of the
/// file on disk has been read (of its size, also returned), for a progress bar.
pub(crate) fn open(
    file: &PathBuf,
    on_bytes: impl Fn(u64) + Send + 'static,
) -> anyhow::Result<(Box<dyn std::io::Read + Send>, u64)> {
    let name = file.display().to_string();
    let f = std::fs::File::open(file)
        .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let counted = Counted {
        inner: f,
        read: 0,
        on_bytes,
    };
    if name.ends_with(".gz") {
        Ok((Box::new(flate2::read::GzDecoder::new(counted)), size))
    } else {
        Ok((Box::new(counted), size))
    }
}

struct Counted<R, F> {
    inner: R,
    read: u64,
    on_bytes: F,
}

impl<R: std::io::Read, F: Fn(u64)> std::io::Read for Counted<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        (self.on_bytes)(self.read);
        Ok(n)
    }
}
