//! Anchors' workforce by home area: importing a workforce file (page, API,
//! CLI and demo all come here) and the measures over what was imported.

use std::collections::{BTreeSet, HashMap};

use useit_core::anchors::anchor::Anchor;
use useit_core::anchors::spend_file::sha256_hex;
use useit_core::anchors::spreadsheet;
use useit_core::anchors::workforce::{
    AreaFacts, PlacedStart, WorkforceMeasures, Year, measure, placed_by_year, read_workforce,
};
use useit_core::anchors::workforce_publish::{
    PublishedPlaced, PublishedWorkforce, publish, publish_placed,
};
use useit_core::auth::Capability;
use useit_core::csv_import::{Problem, Report, decode_borrowed};
use useit_core::disclosure::Viewer;
use useit_core::i18n::Message;
use useit_core::place::lookup::AreaInfo;
use useit_store::anchors::workforce::{WorkforceFileRecord, WorkforceImport, WorkforceOutcome};

use crate::place::{area_infos, lookup_basis};
use crate::{Caller, Error, Imported, Result, Store};

/// A workforce file as it arrived.
pub struct WorkforceUpload<'a> {
    /// The anchor's short name.
    pub anchor: &'a str,
    pub year: Year,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Reads, places and writes one year of one anchor's workforce: all or
/// nothing, and the same file twice changes nothing. Rows about single
/// employees are summed into cells here and never reach the store.
pub async fn import_workforce(
    store: &dyn Store,
    caller: &Caller,
    upload: WorkforceUpload<'_>,
) -> Result<Imported<WorkforceOutcome>> {
    caller.require(Capability::ManageSpend)?;
    let anchor = store
        .anchor(caller.programme, upload.anchor)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "anchor",
                Message::new("anchors.spend.filter.anchor_unknown").arg("anchor", upload.anchor),
            )
        })?;
    let mut report = Report::new(upload.file_name);
    let text = if spreadsheet::is_spreadsheet(upload.bytes) {
        match spreadsheet::to_csv(upload.bytes) {
            Ok(t) => t,
            Err(m) => {
                report.push(Problem::error(0, None, m));
                return Err(Error::Rejected(report));
            }
        }
    } else {
        decode_borrowed(upload.bytes).0.into_owned()
    };
    let Some(file) = read_workforce(&text, upload.year, &mut report) else {
        return Err(Error::Rejected(report));
    };
    if report.has_errors() {
        report.sort();
        return Err(Error::Rejected(report));
    }
    let basis = lookup_basis(store, Some(caller.programme)).await?;
    let scheme = basis.as_ref().map(|b| b.scheme.clone()).unwrap_or_default();
    let placed: HashMap<String, String> = store
        .postcodes(&file.postcodes())
        .await?
        .into_iter()
        .filter_map(|r| {
            let area = r.areas.iter().find(|(s, _)| *s == scheme)?.1.clone();
            Some((r.postcode.replace(' ', "").to_uppercase(), area))
        })
        .collect();
    let areas = match &basis {
        Some(b) => area_infos(store, &b.scheme, Some(&b.index)).await?,
        None => HashMap::new(),
    };
    let cells = file.cells(&placed, &|a| areas.contains_key(a), &mut report);
    let sha = sha256_hex(upload.bytes);
    let import = WorkforceImport {
        anchor: anchor.id,
        year: upload.year,
        file_name: upload.file_name,
        sha256: &sha,
        shape: file.shape,
        rows_read: file.rows(),
        cells: &cells,
    };
    let outcome = store
        .import_workforce(caller.programme, &import, &caller.actor)
        .await?;
    Ok(Imported { outcome, report })
}

/// The files each anchor's years came from.
pub async fn workforce_files(
    store: &dyn Store,
    caller: &Caller,
) -> Result<Vec<WorkforceFileRecord>> {
    caller.require(Capability::ViewSpend)?;
    Ok(store.workforce_files(caller.programme).await?)
}

/// One anchor's workforce in one year: the figures and what this viewer sees.
pub struct AnchorYear {
    pub anchor_slug: String,
    pub anchor_name: String,
    pub year: Year,
    pub measures: WorkforceMeasures,
    pub published: PublishedWorkforce,
    /// The anchor has a local authority, so "in its local authority" can be judged.
    pub local_authority_known: bool,
}

/// Residents placed through the talent strand who started with an anchor in
/// a year, beside that year's new starters from its workforce file.
pub struct PlacedYear {
    pub anchor_slug: String,
    pub anchor_name: String,
    pub year: Year,
    /// Exact figures, for the caller's own arithmetic (never shown as such).
    pub placed: u64,
    /// `None`: no workforce file for the year, or one that does not say
    /// who started.
    pub starters: Option<u64>,
    pub published: PublishedPlaced,
}

/// The workforce measures as a viewer may see them.
pub struct WorkforceView {
    pub viewer: Viewer,
    /// An area of benefit is saved, so "in the area of benefit" can be judged.
    pub area_of_benefit_known: bool,
    /// Deprivation deciles are loaded for the programme's small areas.
    pub deciles_known: bool,
    /// By anchor, then year, oldest first.
    pub years: Vec<AnchorYear>,
    /// By anchor, then year, oldest first: every year with a workforce file
    /// or a placement started.
    pub placed: Vec<PlacedYear>,
}

/// Which anchor and year to measure (all when empty).
#[derive(Clone, Debug, Default)]
pub struct WorkforceQuery {
    pub anchor: Option<String>,
    pub year: Option<Year>,
}

/// Measures every imported year of the anchors asked for. Roles with the
/// right to personal data see exact figures; everyone else sees counts
/// under the threshold suppressed (`useit_core::disclosure`).
pub async fn workforce_measures(
    store: &dyn Store,
    caller: &Caller,
    query: &WorkforceQuery,
) -> Result<WorkforceView> {
    caller.require(Capability::ViewSpend)?;
    let programme = caller.programme;
    let anchors: Vec<Anchor> = store.list_anchors(programme).await?;
    let chosen: Vec<&Anchor> = match &query.anchor {
        Some(slug) => {
            let a = anchors.iter().find(|a| &a.slug == slug).ok_or_else(|| {
                Error::invalid(
                    "anchor",
                    Message::new("anchors.spend.filter.anchor_unknown").arg("anchor", slug),
                )
            })?;
            vec![a]
        }
        None => anchors.iter().collect(),
    };
    let one = match chosen.as_slice() {
        [a] => Some(a.id),
        _ => None,
    };
    let cells = store.workforce_cells(programme, one).await?;
    let basis = lookup_basis(store, Some(programme)).await?;
    let areas: HashMap<String, AreaInfo> = match &basis {
        Some(b) => area_infos(store, &b.scheme, Some(&b.index)).await?,
        None => HashMap::new(),
    };
    let aob: Option<&BTreeSet<String>> = basis.as_ref().and_then(|b| b.area_of_benefit.as_ref());
    let viewer =
        crate::programme::disclosure::viewer(store, caller, Capability::ViewPeople).await?;
    let filled = store.filled_posts(programme).await?;
    let starts: Vec<PlacedStart<'_>> = filled
        .iter()
        .map(|f| PlacedStart {
            anchor: f.anchor.as_deref(),
            started_on: f.started_on,
        })
        .collect();
    let mut years = Vec::new();
    let mut placed = Vec::new();
    for a in chosen {
        let mut by_year: std::collections::BTreeMap<Year, Vec<_>> = Default::default();
        for c in cells.iter().filter(|c| c.anchor == a.id) {
            if query.year.is_none_or(|y| y == c.year) {
                by_year.entry(c.year).or_default().push(c.cell.clone());
            }
        }
        let la = a.local_authority_code.as_deref();
        let facts = |code: &str| {
            let info = areas.get(code);
            AreaFacts {
                area_of_benefit: aob.is_some_and(|s| s.contains(code)),
                local_authority: la.is_some()
                    && info.and_then(|i| i.local_authority_code.as_deref()) == la,
                deciles_1_2: info.and_then(|i| i.decile).is_some_and(|d| d <= 2),
            }
        };
        let mut placed_years = placed_by_year(&starts, &a.slug);
        placed_years.retain(|y, _| query.year.is_none_or(|q| q == *y));
        for y in by_year.keys() {
            placed_years.entry(*y).or_insert(0);
        }
        let first = years.len();
        for (year, cs) in by_year {
            let measures = measure(&cs, &facts);
            let published = publish(&measures, &viewer);
            years.push(AnchorYear {
                anchor_slug: a.slug.clone(),
                anchor_name: a.name.clone(),
                year,
                measures,
                published,
                local_authority_known: la.is_some(),
            });
        }
        for (year, n) in placed_years {
            let file = years[first..].iter().find(|y| y.year == year);
            // A file that does not say who started leaves them not known.
            let starters = file.and_then(|y| {
                let m = y.measures.starters?;
                let shown = y.published.starters.as_ref().and_then(|l| l.total);
                Some((m.inside.people + m.outside.people, shown))
            });
            placed.push(PlacedYear {
                anchor_slug: a.slug.clone(),
                anchor_name: a.name.clone(),
                year,
                placed: n,
                starters: starters.map(|s| s.0),
                published: publish_placed(&viewer, n, starters),
            });
        }
    }
    Ok(WorkforceView {
        viewer,
        area_of_benefit_known: aob.is_some(),
        deciles_known: areas.values().any(|i| i.decile.is_some()),
        years,
        placed,
    })
}
