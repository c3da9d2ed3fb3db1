//! What every command reads first: the programme named on the command line,
//! and input files (gzip-compressed ones opened on the fly).

use std::path::PathBuf;
use std::sync::Arc;

use useit_core::ProgrammeId;
use useit_store::Store;

use crate::fail;

pub(crate) async fn programme(store: &Arc<dyn Store>, slug: &str) -> anyhow::Result<ProgrammeId> {
    Ok(store
        .programme_by_slug(slug)
        .await?
        .ok_or_else(|| fail!("cli.no_programme", "slug" => slug))?
        .id)
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
