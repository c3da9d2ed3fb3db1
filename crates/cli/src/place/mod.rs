//! `useit place`: load reference geography from the files publishers put
//! out, and look up a CSV of postcodes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use useit_app::Caller;
use useit_app::place::geographies::geographies;
use useit_app::place::lookup::lookup_table;
use useit_app::place::reference::{ReferenceFile, load_reference};
use useit_core::audit::Actor;
use useit_core::csv_import::{LineIndex, decode, header_key};
use useit_core::i18n::{format_count, t, tn};
use useit_core::place::deprivation::{DeprivationIndex, RankOrder};
use useit_core::place::load::{ColumnMap, Kind, LoadSpec, Ranking, preset, presets, read_text};
use useit_core::place::lookup::LookupStatus;
use useit_core::place::{AreaScheme, NamedAreaKind};
use useit_store::Store;

use crate::{fail, progress, say};

pub mod demo;

#[derive(Subcommand)]
pub enum PlaceCommand {
    /// Loads one reference file (areas, a deprivation index, boundaries,
    /// postcodes or names) in one transaction; loading it again changes nothing.
    Load(Box<LoadArgs>),
    /// Lists the presets: the column mappings of the published files.
    Presets,
    /// Adds small area, local authority, ward, decile and area-of-benefit
    /// columns to a CSV with a postcode column.
    Lookup(LookupArgs),
}

#[derive(Args)]
pub struct LoadArgs {
    /// areas, index, boundaries, postcodes or names.
    pub kind: String,
    /// CSV or GeoJSON, gzipped or not.
    pub file: PathBuf,
    /// A published file's mapping (see `useit place presets`).
    #[arg(long)]
    pub preset: Option<String>,
    /// The area scheme's code, e.g. dz11 (for files without a preset).
    #[arg(long)]
    pub scheme: Option<String>,
    /// The scheme's name, e.g. "Data zone 2011" (a new scheme).
    #[arg(long)]
    pub scheme_name: Option<String>,
    /// The scheme's country, e.g. Scotland (a new scheme).
    #[arg(long, default_value = "")]
    pub country: String,
    /// The scheme's level, e.g. "Data zone" (a new scheme).
    #[arg(long, default_value = "")]
    pub level: String,
    /// The index's code, e.g. simd2020.
    #[arg(long)]
    pub index_code: Option<String>,
    /// The index's name, e.g. "Scottish Index of Multiple Deprivation 2020".
    #[arg(long)]
    pub index_name: Option<String>,
    /// How many areas the ranks run over (the N of decile = ceil(10 × rank / N)).
    #[arg(long)]
    pub areas_ranked: Option<i64>,
    /// Publisher and licence of the index, shown with it.
    #[arg(long, default_value = "")]
    pub source: String,
    /// most-deprived-first (rank 1 = most deprived) or least-deprived-first.
    #[arg(long, default_value = "most-deprived-first")]
    pub rank_order: String,
    /// For names files: local_authority, ward, combined_authority or region.
    #[arg(long)]
    pub names_kind: Option<String>,
    /// field=column, repeated: which column holds which field (added to or
    /// replacing the preset's). Fields: code, name, local_authority_code,
    /// local_authority_name, ward_code, ward_name, lat, lon, population,
    /// area_code, rank, decile, score, domain:NAME, postcode, live,
    /// terminated, introduced, area:SCHEME, parent_code.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    /// The character between fields, e.g. ';' (INSEE's files).
    #[arg(long)]
    pub separator: Option<char>,
    /// Lines above the header row to skip (a title block).
    #[arg(long)]
    pub skip_lines: Option<usize>,
    /// Numbers are written with a decimal comma (`53,2`).
    #[arg(long)]
    pub decimal_comma: bool,
    /// For an index published as a score only: rank it here,
    /// higher-is-more-deprived or lower-is-more-deprived (N is then the
    /// number of areas with a score, and --areas-ranked is not needed).
    #[arg(long, value_name = "DIRECTION")]
    pub rank_from_score: Option<String>,
}

#[derive(Args)]
pub struct LookupArgs {
    /// A CSV file with a header row.
    pub input: PathBuf,
    /// The column holding the postcodes.
    #[arg(long, default_value = "postcode")]
    pub column: String,
    /// Answer against this programme's area of benefit (adds in_area_of_benefit).
    #[arg(long)]
    pub programme: Option<String>,
    /// Any row that is not a live postcode in a small area is an error: write nothing.
    #[arg(long)]
    pub strict: bool,
    /// Where to list the rows that could not be answered (default: INPUT.problems.csv).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub async fn run(url: &str, cmd: PlaceCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PlaceCommand::Presets => {
            for p in presets() {
                println!(
                    "{:<24} {:<11} {}",
                    p.name,
                    format!("{:?}", p.kind).to_lowercase(),
                    p.description
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        PlaceCommand::Load(args) => {
            let store = useit_store::connect(url).await?;
            let r = load(&store, &args).await;
            store.close().await;
            r
        }
        PlaceCommand::Lookup(args) => {
            let store = useit_store::connect(url).await?;
            let r = lookup(&store, &args).await;
            store.close().await;
            r
        }
    }
}

/// How to read the file, from the preset and the flags.
async fn spec(store: &std::sync::Arc<dyn Store>, args: &LoadArgs) -> anyhow::Result<LoadSpec> {
    let kind =
        Kind::parse(&args.kind).ok_or_else(|| fail!("cli.place.kind", "kind" => &args.kind))?;
    let extra = ColumnMap::parse(&args.map).map_err(anyhow::Error::msg)?;
    let order = match args.rank_order.as_str() {
        "most-deprived-first" => RankOrder::MostDeprivedFirst,
        "least-deprived-first" => RankOrder::LeastDeprivedFirst,
        other => return Err(fail!("cli.place.rank_order", "value" => other)),
    };
    let mut spec = match &args.preset {
        Some(name) => {
            let p = preset(name).ok_or_else(|| fail!("cli.place.no_preset", "name" => name))?;
            if p.kind != kind {
                return Err(
                    fail!("cli.place.preset_kind", "name" => name, "kind" => format!("{:?}", p.kind).to_lowercase()),
                );
            }
            LoadSpec::from(p)
        }
        None => LoadSpec {
            kind,
            scheme: None,
            areas_map: None,
            index: None,
            map: ColumnMap::default(),
            names_kind: None,
            order,
            format: Default::default(),
            ranking: Default::default(),
        },
    };
    spec.map = spec.map.with(&extra);
    spec.order = order;
    if let Some(c) = args.separator {
        spec.format.delimiter = u8::try_from(c)
            .ok()
            .filter(u8::is_ascii)
            .ok_or_else(|| fail!("cli.place.separator", "value" => c))?;
    }
    if let Some(n) = args.skip_lines {
        spec.format.skip_lines = n;
    }
    if args.decimal_comma {
        spec.format.decimal_comma = true;
    }
    if let Some(d) = &args.rank_from_score {
        spec.ranking = match d.as_str() {
            "higher-is-more-deprived" => Ranking::FromScore {
                higher_is_more_deprived: true,
            },
            "lower-is-more-deprived" => Ranking::FromScore {
                higher_is_more_deprived: false,
            },
            other => return Err(fail!("cli.place.score_direction", "value" => other)),
        };
    }
    if let Some(code) = &args.scheme {
        let known = geographies(store.as_ref())
            .await?
            .schemes
            .into_iter()
            .find(|s| &s.scheme.code == code)
            .map(|s| s.scheme);
        spec.scheme = Some(match (known, &args.scheme_name) {
            (Some(s), None) => s,
            (_, name) => AreaScheme {
                code: code.clone(),
                name: name.clone().unwrap_or_else(|| code.clone()),
                country: args.country.clone(),
                level: args.level.clone(),
            },
        });
    }
    if kind == Kind::Index && args.index_code.is_some() {
        // Ranked here from scores, N is counted on loading.
        let computed = matches!(spec.ranking, Ranking::FromScore { .. }).then_some(0);
        let (Some(code), Some(name), Some(n), Some(scheme)) = (
            &args.index_code,
            &args.index_name,
            args.areas_ranked.or(computed),
            &spec.scheme,
        ) else {
            return Err(fail!("place.index_needed"));
        };
        spec.index = Some(DeprivationIndex {
            code: code.clone(),
            name: name.clone(),
            scheme: scheme.code.clone(),
            areas_ranked: n,
            source: args.source.clone(),
        });
    }
    if let Some(k) = &args.names_kind {
        spec.names_kind =
            Some(NamedAreaKind::parse(k).ok_or_else(|| fail!("place.kind_unknown", "value" => k))?);
    }
    Ok(spec)
}

async fn load(store: &std::sync::Arc<dyn Store>, args: &LoadArgs) -> anyhow::Result<ExitCode> {
    let spec = spec(store, args).await?;
    let name = args.file.display().to_string();
    let bytes = std::fs::read(&args.file)
        .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?;
    let text = read_text(&name, &bytes)
        .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?;
    let bar = progress::bar(text.lines().count() as u64, t("cli.progress.place_load"));
    let file = ReferenceFile {
        name: &name,
        text: &text,
        spec: &spec,
    };
    // The bar's length is the file's lines; a file may hold more rows
    // (an index file gives areas and ranks), so it grows to what is written.
    let loaded = load_reference(store.as_ref(), &Actor::console(), file, &|n| {
        if bar.length().is_some_and(|len| n > len) {
            bar.set_length(n);
        }
        bar.set_position(n);
    })
    .await;
    bar.finish_and_clear();
    let loaded = match loaded {
        Err(useit_app::Error::Rejected(report)) => {
            eprint!("{report}");
            eprintln!(
                "{}",
                say(
                    "cli.place.load_failed",
                    &[("file", &name), ("count", &report.error_count())]
                )
            );
            return Ok(ExitCode::FAILURE);
        }
        other => other?,
    };
    eprint!("{}", loaded.report);
    println!(
        "{}",
        say(
            "cli.place.loaded",
            &[
                ("file", &name),
                ("rows", &tn("cli.count.rows", loaded.outcome as u64)),
                (
                    "warnings",
                    &tn("cli.count.warnings", loaded.report.warning_count() as u64)
                )
            ]
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// The default side report: `in.csv` → `in.problems.csv`.
fn default_report(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "postcodes".into());
    input.with_file_name(format!("{}.problems.csv", stem.trim_end_matches(".csv")))
}

/// The columns `lookup` adds, in order.
pub const LOOKUP_COLUMNS: [&str; 11] = [
    "postcode_normalised",
    "postcode_status",
    "area_code",
    "area_name",
    "local_authority_code",
    "local_authority_name",
    "ward_code",
    "ward_name",
    "deprivation_rank",
    "deprivation_decile",
    "in_area_of_benefit",
];

async fn lookup(store: &std::sync::Arc<dyn Store>, args: &LookupArgs) -> anyhow::Result<ExitCode> {
    let name = args.input.display().to_string();
    let caller = match &args.programme {
        Some(slug) => Some(Caller::console(crate::input::programme(store, slug).await?)),
        None => None,
    };
    let table = lookup_table(store.as_ref(), caller.as_ref())
        .await?
        .ok_or_else(|| fail!("cli.place.no_geography"))?;
    let bytes = std::fs::read(&args.input)
        .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?;
    let (text, _) = decode(&bytes);

    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?
        .clone();
    let wanted = header_key(&args.column);
    let Some(col) = headers.iter().position(|h| header_key(h) == wanted) else {
        return Err(fail!("cli.place.no_column", "file" => &name, "column" => &args.column));
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = headers.iter().collect();
    header.extend(LOOKUP_COLUMNS);
    out.write_record(&header)?;
    let mut problems = csv::Writer::from_writer(Vec::new());
    problems.write_record(["line", "column", "postcode", "status", "grade", "message"])?;
    let (mut rows, mut errors, mut warnings) = (0u64, 0u64, 0u64);
    let bar = progress::bar(text.len() as u64, t("cli.progress.place_lookup"));
    let lines = LineIndex::new(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    loop {
        let more = rdr
            .read_record(&mut rec)
            .map_err(|e| fail!("cli.cannot_read", "file" => &name, "reason" => e))?;
        if !more {
            break;
        }
        rows += 1;
        let line = rec
            .position()
            .map(|p| lines.line_of_record(p.byte()))
            .unwrap_or(0);
        let raw = rec.get(col).unwrap_or("");
        let r = table.answer(raw);
        let grade = match r.status {
            LookupStatus::Ok => None,
            LookupStatus::Invalid | LookupStatus::Unknown => Some("error"),
            LookupStatus::Terminated | LookupStatus::NoArea => Some("warning"),
        };
        match grade {
            Some("error") => errors += 1,
            Some(_) => warnings += 1,
            None => {}
        }
        if let Some(g) = grade {
            problems.write_record([
                line.to_string(),
                headers[col].to_string(),
                raw.to_string(),
                r.status.slug().to_string(),
                g.to_string(),
                r.message.clone().unwrap_or_default(),
            ])?;
        }
        let mut row: Vec<String> = rec.iter().map(String::from).collect();
        row.resize(headers.len(), String::new());
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        row.extend([
            o(&r.postcode),
            r.status.slug().to_string(),
            o(&r.area_code),
            o(&r.area_name),
            o(&r.local_authority_code),
            o(&r.local_authority_name),
            o(&r.ward_code),
            o(&r.ward_name),
            r.rank.map(|x| x.to_string()).unwrap_or_default(),
            r.decile.map(|x| x.to_string()).unwrap_or_default(),
            match r.in_area_of_benefit {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
        ]);
        out.write_record(&row)?;
        if rows % 4096 == 0 {
            bar.set_position(rec.position().map(|p| p.byte()).unwrap_or(0));
        }
    }
    bar.finish_and_clear();
    let bad = errors + warnings;
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| default_report(&args.input));
    if bad > 0 {
        std::fs::write(&report_path, problems.into_inner()?).map_err(
            |e| fail!("cli.cannot_write", "file" => report_path.display(), "reason" => e),
        )?;
    }
    if args.strict && bad > 0 {
        eprintln!(
            "{}",
            say(
                "cli.place.lookup_strict",
                &[
                    ("file", &name),
                    ("count", &bad),
                    ("report", &report_path.display())
                ]
            )
        );
        return Ok(ExitCode::FAILURE);
    }
    let bytes = out.into_inner()?;
    match &args.output {
        Some(p) => std::fs::write(p, bytes)
            .map_err(|e| fail!("cli.cannot_write", "file" => p.display(), "reason" => e))?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    let summary = say(
        "cli.place.looked_up",
        &[
            ("file", &name),
            ("rows", &tn("cli.count.rows", rows)),
            ("ok", &format_count(rows - bad)),
            ("errors", &tn("cli.count.errors", errors)),
            ("warnings", &tn("cli.count.warnings", warnings)),
        ],
    );
    if bad > 0 {
        eprintln!(
            "{summary} {}",
            say(
                "cli.place.see_report",
                &[("report", &report_path.display())]
            )
        );
    } else {
        eprintln!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}
