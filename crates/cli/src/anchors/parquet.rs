//! `useit anchors parquet`: every spend line with what the measures need
//! (influenceable or not, and for each geography and for deciles 1–2 whether
//! the supplier is local by every known address and by any) as one Parquet
//! file, so DuckDB or DataFusion compute the same measures at national scale.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use useit_app::Caller;
use useit_app::anchors::measure_inputs;
use useit_core::anchors::measures::{Geography, excluded_by};
use useit_store::Store;

use crate::input::programme;
use crate::{fail, progress, say};

#[derive(Args)]
pub struct ParquetArgs {
    #[arg(long)]
    pub programme: String,
    /// Only this anchor's lines.
    #[arg(long)]
    pub anchor: Option<String>,
    /// The Parquet file to write.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// The columns, in the order they are written.
const SCHEMA: &str = "message spend_line {
    REQUIRED BYTE_ARRAY anchor (UTF8);
    REQUIRED INT32 paid_on (DATE);
    REQUIRED INT64 amount_pence;
    REQUIRED BYTE_ARRAY expense_type (UTF8);
    REQUIRED BYTE_ARRAY supplier (UTF8);
    REQUIRED BYTE_ARRAY supplier_kind (UTF8);
    REQUIRED BOOLEAN social_economy;
    REQUIRED BOOLEAN influenceable;
    REQUIRED BOOLEAN aob_low;
    REQUIRED BOOLEAN aob_high;
    REQUIRED BOOLEAN la_low;
    REQUIRED BOOLEAN la_high;
    REQUIRED BOOLEAN region_low;
    REQUIRED BOOLEAN region_high;
    REQUIRED BOOLEAN site_low;
    REQUIRED BOOLEAN site_high;
    REQUIRED BOOLEAN deciles_1_2_low;
    REQUIRED BOOLEAN deciles_1_2_high;
}";

/// Lines per row group: large enough for fast scans, small enough to keep
/// memory flat.
const GROUP: usize = 1 << 20;

pub async fn run(store: &Arc<dyn Store>, a: ParquetArgs) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(programme(store, &a.programme).await?);
    let mut anchors = useit_app::anchors::anchor::anchors(store.as_ref(), &caller).await?;
    if let Some(slug) = &a.anchor {
        anchors.retain(|x| &x.slug == slug);
        if anchors.is_empty() {
            return Err(fail!("anchors.spend.filter.anchor_unknown", "anchor" => slug));
        }
    }
    let inputs = measure_inputs(store.as_ref(), &caller, &anchors).await?;
    let name = a.output.display().to_string();
    let file = std::fs::File::create(&a.output)
        .map_err(|e| fail!("cli.cannot_write", "file" => &name, "reason" => e))?;
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let schema = Arc::new(parse_message_type(SCHEMA)?);
    let mut writer = SerializedFileWriter::new(file, schema, props)?;
    let bar = progress::bar(inputs.lines.len() as u64, "Parquet");
    let epoch = time::Date::from_calendar_date(1970, time::Month::January, 1)?;
    for chunk in inputs.lines.chunks(GROUP) {
        let mut text: [Vec<ByteArray>; 4] = Default::default();
        let mut days = Vec::with_capacity(chunk.len());
        let mut amounts = Vec::with_capacity(chunk.len());
        // social_economy, influenceable, then (low, high) for each geography and deciles 1–2.
        let mut flags: [Vec<bool>; 12] = Default::default();
        for line in chunk {
            let s = &inputs.suppliers[line.supplier];
            text[0].push(ByteArray::from(&*line.anchor));
            text[1].push(ByteArray::from(&*line.expense_type));
            text[2].push(ByteArray::from(s.name.as_str()));
            text[3].push(ByteArray::from(s.kind.slug()));
            days.push((line.paid_on - epoch).whole_days() as i32);
            amounts.push(line.amount);
            flags[0].push(s.kind.is_social_economy());
            flags[1].push(excluded_by(&inputs.settings.rules, line, s).is_none());
            let bands = [
                s.local(Geography::AreaOfBenefit),
                s.local(Geography::LocalAuthority),
                s.local(Geography::CityRegion),
                s.local(Geography::NearSite),
                s.deprived(2),
            ];
            for (i, (low, high)) in bands.into_iter().enumerate() {
                flags[2 + 2 * i].push(low);
                flags[3 + 2 * i].push(high);
            }
        }
        let mut rg = writer.next_row_group()?;
        let mut column = 0;
        while let Some(mut col) = rg.next_column()? {
            match column {
                0 => col
                    .typed::<ByteArrayType>()
                    .write_batch(&text[0], None, None)?,
                1 => col.typed::<Int32Type>().write_batch(&days, None, None)?,
                2 => col.typed::<Int64Type>().write_batch(&amounts, None, None)?,
                3 => col
                    .typed::<ByteArrayType>()
                    .write_batch(&text[1], None, None)?,
                4 => col
                    .typed::<ByteArrayType>()
                    .write_batch(&text[2], None, None)?,
                5 => col
                    .typed::<ByteArrayType>()
                    .write_batch(&text[3], None, None)?,
                _ => col
                    .typed::<BoolType>()
                    .write_batch(&flags[column - 6], None, None)?,
            };
            col.close()?;
            column += 1;
        }
        rg.close()?;
        bar.inc(chunk.len() as u64);
    }
    writer.close()?;
    bar.finish_and_clear();
    println!(
        "{}",
        say(
            "cli.anchors.parquet_written",
            &[("file", &name), ("lines", &inputs.lines.len())]
        )
    );
    Ok(ExitCode::SUCCESS)
}
