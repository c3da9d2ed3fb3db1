//! Anchor institutions, their sites and spend, the organisation register
//! and the suppliers resolved against it. Everything is programme-owned.

use async_trait::async_trait;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::anchors::amount::Pence;
use useit_core::anchors::measures::{InfluenceRule, Lm3Inputs, SupplierKind};
use useit_core::anchors::spend_file::{ColumnMapping, SpendFile};
use useit_core::anchors::supplier::{Matcher, RegisterEntry};
use useit_core::audit::Actor;

use crate::Result;

/// What kind of institution an anchor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorKind {
    NhsTrust,
    Council,
    University,
    HousingAssociation,
    Other,
}

impl AnchorKind {
    pub const ALL: [AnchorKind; 5] = [
        AnchorKind::NhsTrust,
        AnchorKind::Council,
        AnchorKind::University,
        AnchorKind::HousingAssociation,
        AnchorKind::Other,
    ];
    pub fn slug(self) -> &'static str {
        match self {
            AnchorKind::NhsTrust => "nhs_trust",
            AnchorKind::Council => "council",
            AnchorKind::University => "university",
            AnchorKind::HousingAssociation => "housing_association",
            AnchorKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<AnchorKind> {
        Self::ALL.into_iter().find(|k| k.slug() == s)
    }
}

/// A place an anchor works from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Site {
    pub name: String,
    pub postcode: String,
}

/// An anchor institution.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Anchor {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: AnchorKind,
    /// ODS code for an NHS trust, GSS code for a council, UKPRN for a university.
    pub official_code: Option<String>,
    /// The local authority the anchor serves, for the local-authority share.
    pub local_authority_code: Option<String>,
    pub column_mapping: ColumnMapping,
    pub sites: Vec<Site>,
}

/// An anchor to create or change (matched by slug).
#[derive(Clone, Debug, PartialEq)]
pub struct AnchorInput {
    pub slug: String,
    pub name: String,
    pub kind: AnchorKind,
    pub official_code: Option<String>,
    pub local_authority_code: Option<String>,
    pub column_mapping: ColumnMapping,
    pub sites: Vec<Site>,
}

/// An organisation in the programme's register.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Organisation {
    pub id: Uuid,
    /// org-id.guide identifier: GB-COH-…, GB-CHC-…, GB-NHS-…
    pub org_id: String,
    pub name: String,
    pub kind: SupplierKind,
    pub company_number: Option<String>,
    pub postcode: Option<String>,
    /// A trading or branch address, when it differs from the registered office.
    pub trading_postcode: Option<String>,
    pub source: String,
}

/// One register entry to load (matched by org id).
#[derive(Clone, Debug, PartialEq)]
pub struct OrganisationInput {
    pub org_id: String,
    pub name: String,
    pub kind: SupplierKind,
    pub company_number: Option<String>,
    pub postcode: Option<String>,
    pub trading_postcode: Option<String>,
    pub source: String,
}

/// Where a supplier's resolution stands (ordered as a review goes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplierStatus {
    /// No candidate in the register.
    Unresolved,
    /// Candidates wait for a person.
    Review,
    /// Matched without a person: a company number or the same name.
    Matched,
    /// A person chose the organisation; remembered for future imports.
    Accepted,
    /// A person said none of the candidates is it.
    NoMatch,
}

impl SupplierStatus {
    pub const ALL: [SupplierStatus; 5] = [
        SupplierStatus::Unresolved,
        SupplierStatus::Review,
        SupplierStatus::Matched,
        SupplierStatus::Accepted,
        SupplierStatus::NoMatch,
    ];
    pub fn slug(self) -> &'static str {
        match self {
            SupplierStatus::Unresolved => "unresolved",
            SupplierStatus::Review => "review",
            SupplierStatus::Matched => "matched",
            SupplierStatus::Accepted => "accepted",
            SupplierStatus::NoMatch => "no_match",
        }
    }
    pub fn parse(s: &str) -> Option<SupplierStatus> {
        Self::ALL.into_iter().find(|k| k.slug() == s)
    }
}

/// A candidate organisation for a supplier, with why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupplierCandidate {
    pub organisation: Organisation,
    pub score: u8,
    /// A catalogue key (`supplier.reason.*`).
    pub reason: String,
}

/// A supplier as the review queue and the measures see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupplierRecord {
    pub key: String,
    pub name: String,
    pub company_number: Option<String>,
    pub status: SupplierStatus,
    pub organisation: Option<Organisation>,
    pub score: Option<u8>,
    pub reason: Option<String>,
    pub lines: i64,
    pub total: Pence,
}

/// How a new supplier was resolved at import time.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSupplier {
    pub key: String,
    pub name: String,
    pub company_number: Option<String>,
    pub status: SupplierStatus,
    pub matched: Option<(Uuid, u8, String)>,
    pub candidates: Vec<(Uuid, u8, String)>,
}

/// A file ready to be written.
pub struct SpendImport<'a> {
    pub anchor: Uuid,
    pub file_name: String,
    pub sha256: String,
    pub encoding: String,
    pub file: &'a SpendFile,
    /// Suppliers not seen before, resolved against the register.
    pub new_suppliers: Vec<NewSupplier>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ImportOutcome {
    pub file_id: Option<Uuid>,
    pub lines_read: u64,
    /// Lines not already held (from this file before, or an overlapping one).
    pub lines_new: u64,
    pub total_new: Pence,
    pub new_suppliers: u64,
    pub matched: u64,
    pub to_review: u64,
    /// The very same file was imported before: nothing changed.
    pub already_imported: bool,
}

impl ImportOutcome {
    /// What the import did, in the catalogue's words.
    pub fn message(&self) -> useit_core::i18n::Message {
        use useit_core::i18n::Message;
        if self.already_imported {
            return Message::new("spend.import.already");
        }
        Message::new("spend.import.summary")
            .arg("read", self.lines_read)
            .arg("new", self.lines_new)
            .arg(
                "total",
                useit_core::anchors::amount::format_pence(self.total_new),
            )
            .arg("suppliers", self.new_suppliers)
            .arg("matched", self.matched)
            .arg("review", self.to_review)
    }
}

/// An imported file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpendFileRecord {
    pub id: Uuid,
    pub anchor_slug: String,
    pub file_name: String,
    pub encoding: String,
    pub lines_read: i64,
    pub lines_new: i64,
    pub total: Pence,
    pub first_paid_on: Option<Date>,
    pub last_paid_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub imported_at: time::OffsetDateTime,
    pub imported_by: String,
}

/// A payment with what the measures need of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerRow {
    pub id: i64,
    pub anchor_slug: String,
    pub paid_on: Date,
    pub amount: Pence,
    pub supplier_key: String,
    pub supplier_name: String,
    pub expense_type: String,
    pub expense_area: String,
    pub reference: String,
    pub redacted: bool,
    pub file_name: String,
    pub line_no: i64,
}

/// A supplier's facts for placing it: its organisation's kind and postcodes.
#[derive(Clone, Debug, PartialEq)]
pub struct SupplierFacts {
    pub key: String,
    pub name: String,
    pub kind: Option<SupplierKind>,
    pub postcode: Option<String>,
    pub trading_postcode: Option<String>,
}

/// A programme's settings for the spend measures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpendSettings {
    pub rules: Vec<InfluenceRule>,
    /// Local authority codes making up the city region.
    pub city_region: Vec<String>,
    pub site_radius_m: i64,
    pub lm3: Lm3Inputs,
}

impl Default for SpendSettings {
    fn default() -> Self {
        SpendSettings {
            rules: useit_core::anchors::measures::default_rules(),
            city_region: Vec::new(),
            site_radius_m: 5_000,
            lm3: Lm3Inputs::default(),
        }
    }
}

#[async_trait]
pub trait AnchorStore {
    async fn list_anchors(&self, programme: ProgrammeId) -> Result<Vec<Anchor>>;
    async fn anchor(&self, programme: ProgrammeId, slug: &str) -> Result<Option<Anchor>>;
    /// Creates the anchor, or changes the one with this slug (sites replaced).
    async fn save_anchor(
        &self,
        programme: ProgrammeId,
        input: &AnchorInput,
        actor: &Actor,
    ) -> Result<Anchor>;
    /// Loads register entries in one transaction; the same file twice
    /// changes nothing. Returns how many were new.
    async fn load_organisations(
        &self,
        programme: ProgrammeId,
        orgs: &[OrganisationInput],
        actor: &Actor,
    ) -> Result<u64>;
    async fn organisations_for_matching(
        &self,
        programme: ProgrammeId,
    ) -> Result<Vec<(Uuid, RegisterEntry)>>;
    async fn organisation(&self, programme: ProgrammeId, id: Uuid) -> Result<Option<Organisation>>;
    /// Which of these supplier keys the programme already knows.
    async fn known_suppliers(&self, programme: ProgrammeId, keys: &[String])
    -> Result<Vec<String>>;
    /// Writes a spend file's new lines and suppliers in one transaction.
    async fn import_spend(
        &self,
        programme: ProgrammeId,
        import: &SpendImport<'_>,
        progress: &(dyn Fn(u64) + Send + Sync),
        actor: &Actor,
    ) -> Result<ImportOutcome>;
    async fn spend_files(&self, programme: ProgrammeId) -> Result<Vec<SpendFileRecord>>;
    /// Every line of the programme (optionally one anchor's), oldest first.
    async fn ledger(&self, programme: ProgrammeId, anchor: Option<Uuid>) -> Result<Vec<LedgerRow>>;
    async fn supplier_facts(&self, programme: ProgrammeId) -> Result<Vec<SupplierFacts>>;
    async fn suppliers(
        &self,
        programme: ProgrammeId,
        status: Option<SupplierStatus>,
    ) -> Result<Vec<SupplierRecord>>;
    async fn supplier(&self, programme: ProgrammeId, key: &str) -> Result<Option<SupplierRecord>>;
    async fn supplier_candidates(
        &self,
        programme: ProgrammeId,
        key: &str,
    ) -> Result<Vec<SupplierCandidate>>;
    /// A person's decision: this organisation (or none). Remembered as the
    /// alias for every future line with this supplier key.
    async fn decide_supplier(
        &self,
        programme: ProgrammeId,
        key: &str,
        organisation: Option<Uuid>,
        actor: &Actor,
    ) -> Result<SupplierRecord>;
    async fn spend_settings(&self, programme: ProgrammeId) -> Result<SpendSettings>;
    async fn save_spend_settings(
        &self,
        programme: ProgrammeId,
        settings: &SpendSettings,
        actor: &Actor,
    ) -> Result<()>;
}

/// Resolves the suppliers of a file that the programme has not seen
/// before against its register: sure matches are taken, near ones queued
/// for review, the rest left unresolved.
pub async fn resolve_new_suppliers(
    store: &dyn crate::Store,
    programme: ProgrammeId,
    file: &SpendFile,
) -> Result<Vec<NewSupplier>> {
    use std::collections::BTreeMap;
    use useit_core::anchors::supplier::name_key;
    // (name as first seen, company number, withheld)
    let mut distinct: BTreeMap<String, (String, Option<String>, bool)> = BTreeMap::new();
    // Each name once: a file repeats its suppliers over many lines.
    let mut names: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for l in file.lines.iter().filter(|l| names.insert(&l.supplier)) {
        distinct
            .entry(name_key(&l.supplier))
            .or_insert_with(|| (l.supplier.clone(), l.company_number.clone(), l.redacted));
    }
    let keys: Vec<String> = distinct.keys().cloned().collect();
    let known: std::collections::HashSet<String> = store
        .known_suppliers(programme, &keys)
        .await?
        .into_iter()
        .collect();
    let register = store.organisations_for_matching(programme).await?;
    let entries: Vec<RegisterEntry> = register.iter().map(|(_, e)| e.clone()).collect();
    let matcher = Matcher::new(&entries);
    let mut out = Vec::new();
    for (key, (name, number, redacted)) in distinct {
        if known.contains(&key) {
            continue;
        }
        let found = if redacted {
            Vec::new()
        } else {
            matcher.candidates(&name, number.as_deref(), 3)
        };
        let as_row = |c: &useit_core::anchors::supplier::Candidate| {
            (register[c.org].0, c.score, c.reason.key().to_string())
        };
        let (status, matched) = match found.first() {
            Some(c) if c.is_sure() => (SupplierStatus::Matched, Some(as_row(c))),
            Some(_) => (SupplierStatus::Review, None),
            None => (SupplierStatus::Unresolved, None),
        };
        out.push(NewSupplier {
            key,
            name,
            company_number: number,
            status,
            matched,
            candidates: found.iter().map(as_row).collect(),
        });
    }
    Ok(out)
}

/// What `import_spend_file` did with a file.
#[derive(Debug)]
pub enum SpendImportResult {
    /// The file had errors and `skip_bad_lines` was off: nothing written.
    Rejected(useit_core::csv_import::Report),
    /// Written (problems, if any, are warnings or skipped lines).
    Imported(ImportOutcome, useit_core::csv_import::Report),
}

/// How to import a file beyond its bytes.
#[derive(Clone, Debug, Default)]
pub struct SpendImportOptions {
    /// Import the good lines of a file with bad ones, listing what was skipped.
    pub skip_bad_lines: bool,
    pub undated_lines_on: Option<Date>,
}

/// Reads, checks, resolves and writes one spend file for one anchor: all
/// or nothing unless `skip_bad_lines`; the same file twice changes nothing.
pub async fn import_spend_file(
    store: &dyn crate::Store,
    programme: ProgrammeId,
    anchor: &Anchor,
    file_name: &str,
    bytes: &[u8],
    options: &SpendImportOptions,
    progress: &(dyn Fn(u64) + Send + Sync),
    actor: &Actor,
) -> Result<SpendImportResult> {
    use useit_core::anchors::spend_file::{ReadOptions, read, sha256_hex};
    use useit_core::csv_import::{Report, TextEncoding, decode_borrowed};
    let mut report = Report::new(file_name);
    // Workbooks (Birmingham publishes .xls) become CSV text for the same reader.
    let (text, encoding) = if useit_core::anchors::spreadsheet::is_spreadsheet(bytes) {
        match useit_core::anchors::spreadsheet::to_csv(bytes) {
            Ok(t) => (std::borrow::Cow::Owned(t), TextEncoding::Utf8),
            Err(m) => {
                report.push(useit_core::csv_import::Problem::error(0, None, m));
                return Ok(SpendImportResult::Rejected(report));
            }
        }
    } else {
        decode_borrowed(bytes)
    };
    let file = read(
        &text,
        &ReadOptions {
            mapping: anchor.column_mapping.clone(),
            undated_lines_on: options.undated_lines_on,
        },
        &mut report,
    );
    report.sort();
    let unreadable = file.columns.is_empty();
    if report.has_errors() && (!options.skip_bad_lines || unreadable) {
        return Ok(SpendImportResult::Rejected(report));
    }
    let sha256 = sha256_hex(bytes);
    let new_suppliers = resolve_new_suppliers(store, programme, &file).await?;
    let import = SpendImport {
        anchor: anchor.id,
        file_name: file_name.to_string(),
        sha256,
        encoding: match encoding {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8 (BOM)",
            TextEncoding::Windows1252 => "windows-1252",
        }
        .to_string(),
        file: &file,
        new_suppliers,
    };
    let outcome = store
        .import_spend(programme, &import, progress, actor)
        .await?;
    Ok(SpendImportResult::Imported(outcome, report))
}

/// The ledger and its suppliers, placed for the measures: each supplier's
/// registered and trading postcodes resolved to small areas and tested
/// against the area of benefit, the anchors' local authorities, the city
/// region and the radius around the anchors' sites.
pub struct MeasureInputs {
    pub rows: Vec<LedgerRow>,
    pub lines: Vec<useit_core::anchors::measures::LedgerLine>,
    pub suppliers: Vec<useit_core::anchors::measures::Supplier>,
    pub settings: SpendSettings,
}

pub async fn measure_inputs(
    store: &dyn crate::Store,
    programme: ProgrammeId,
    anchors: &[Anchor],
) -> Result<MeasureInputs> {
    use std::collections::{BTreeSet, HashMap};
    use useit_core::anchors::measures::{LedgerLine, Supplier, SupplierPlace};
    use useit_core::anchors::supplier::kind_from_name;
    use useit_core::place::geometry::haversine_km;
    use useit_core::place::postcode::Postcode;

    let settings = store.spend_settings(programme).await?;
    // One query, oldest first; only the anchors asked for.
    let slugs: std::collections::HashSet<&str> = anchors.iter().map(|a| a.slug.as_str()).collect();
    let mut rows = store.ledger(programme, None).await?;
    rows.retain(|r| slugs.contains(r.anchor_slug.as_str()));
    let facts = store.supplier_facts(programme).await?;
    let basis = crate::place::lookup_basis(store, Some(programme)).await?;
    let infos = match &basis {
        Some(b) => crate::place::area_infos(store, &b.scheme, Some(&b.index)).await?,
        None => HashMap::new(),
    };
    let compact = |p: &str| Postcode::parse(p).ok().map(|p| p.compact().to_string());
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for f in &facts {
        wanted.extend(f.postcode.as_deref().and_then(compact));
        wanted.extend(f.trading_postcode.as_deref().and_then(compact));
    }
    for a in anchors {
        wanted.extend(a.sites.iter().filter_map(|s| compact(&s.postcode)));
    }
    let wanted: Vec<String> = wanted.into_iter().collect();
    let records: HashMap<String, useit_core::place::PostcodeRecord> = store
        .postcodes(&wanted)
        .await?
        .into_iter()
        .filter_map(|r| compact(&r.postcode).map(|c| (c, r)))
        .collect();
    let sites: Vec<(f64, f64)> = anchors
        .iter()
        .flat_map(|a| a.sites.iter())
        .filter_map(|s| compact(&s.postcode).and_then(|c| records.get(&c)))
        .filter_map(|r| Some((r.lat?, r.lon?)))
        .collect();
    let local_authorities: BTreeSet<&str> = anchors
        .iter()
        .filter_map(|a| a.local_authority_code.as_deref())
        .collect();
    let radius_km = settings.site_radius_m as f64 / 1000.0;
    let place = |postcode: &Option<String>| -> Option<SupplierPlace> {
        let raw = postcode.as_deref()?;
        let mut p = SupplierPlace {
            postcode: raw.to_string(),
            ..Default::default()
        };
        let Some(rec) = compact(raw).and_then(|c| records.get(&c)) else {
            return Some(p);
        };
        p.lat = rec.lat;
        p.lon = rec.lon;
        let scheme = basis.as_ref().map(|b| b.scheme.as_str()).unwrap_or("");
        p.area_code = rec
            .areas
            .iter()
            .find(|(s, _)| s == scheme)
            .map(|(_, c)| c.clone());
        let info = p.area_code.as_ref().and_then(|c| infos.get(c));
        p.decile = info.and_then(|i| i.decile);
        p.area_of_benefit = match (
            &p.area_code,
            basis.as_ref().and_then(|b| b.area_of_benefit.as_ref()),
        ) {
            (Some(c), Some(aob)) => aob.contains(c),
            _ => false,
        };
        let la = rec
            .local_authority_code
            .clone()
            .or_else(|| info.and_then(|i| i.local_authority_code.clone()));
        p.local_authority = la.as_deref().is_some_and(|l| local_authorities.contains(l));
        p.city_region = la
            .as_deref()
            .is_some_and(|l| settings.city_region.iter().any(|c| c == l));
        p.near_site = match (rec.lat, rec.lon) {
            (Some(lat), Some(lon)) => sites
                .iter()
                .any(|(slat, slon)| haversine_km(lat, lon, *slat, *slon) <= radius_km),
            _ => false,
        };
        Some(p)
    };
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut suppliers: Vec<Supplier> = Vec::with_capacity(facts.len());
    for f in &facts {
        index.insert(f.key.clone(), suppliers.len());
        suppliers.push(Supplier {
            key: f.key.clone(),
            name: f.name.clone(),
            kind: f
                .kind
                .or_else(|| kind_from_name(&f.name))
                .unwrap_or(SupplierKind::Unknown),
            registered: place(&f.postcode),
            trading: place(&f.trading_postcode),
        });
    }
    let mut lines = Vec::with_capacity(rows.len());
    let mut texts = useit_core::anchors::measures::Interner::default();
    for r in &rows {
        let supplier = match index.get(&r.supplier_key) {
            Some(i) => *i,
            None => {
                // A line whose supplier row is missing cannot happen through
                // the import; keep it countable rather than drop money.
                index.insert(r.supplier_key.clone(), suppliers.len());
                suppliers.push(Supplier {
                    key: r.supplier_key.clone(),
                    name: r.supplier_name.clone(),
                    kind: SupplierKind::Unknown,
                    registered: None,
                    trading: None,
                });
                suppliers.len() - 1
            }
        };
        lines.push(LedgerLine {
            id: r.id,
            anchor: texts.get(&r.anchor_slug),
            paid_on: r.paid_on,
            amount: r.amount,
            expense_type: texts.get(&r.expense_type),
            supplier,
        });
    }
    Ok(MeasureInputs {
        rows,
        lines,
        suppliers,
        settings,
    })
}

/// The register formats `parse_register_as` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegisterFormat {
    /// Our own columns: org_id, name, kind, company_number, postcode, trading_postcode.
    Useit,
    /// NHS ODS extracts (etr, eccg): no header; code, name, …, postcode in field 10.
    NhsOds,
    /// drkane/charity-lookups relationships: org_id_a, org_id_b, org_name
    /// (charities with company numbers, or mutual societies).
    CharityLookup,
}

impl RegisterFormat {
    pub fn parse(s: &str) -> Option<RegisterFormat> {
        match s {
            "useit" => Some(RegisterFormat::Useit),
            "nhs-ods" => Some(RegisterFormat::NhsOds),
            "charity-lookup" => Some(RegisterFormat::CharityLookup),
            _ => None,
        }
    }
}

/// Reads register entries in our own format; problems name line and column.
pub fn parse_register(
    text: &str,
    source: &str,
    report: &mut useit_core::csv_import::Report,
) -> Vec<OrganisationInput> {
    parse_register_as(RegisterFormat::Useit, text, source, report)
}

pub fn parse_register_as(
    format: RegisterFormat,
    text: &str,
    source: &str,
    report: &mut useit_core::csv_import::Report,
) -> Vec<OrganisationInput> {
    use useit_core::csv_import::{Problem, Table};
    use useit_core::i18n::Message;
    use useit_core::place::postcode::Postcode;
    let tidy_pc = |s: &str| Postcode::parse(s).ok().map(|p| p.to_string());
    let mut out = Vec::new();
    match format {
        RegisterFormat::Useit => {
            let Some(t) = Table::parse(
                text,
                &[
                    "org_id",
                    "name",
                    "kind",
                    "company_number",
                    "postcode",
                    "trading_postcode",
                ],
                &["org_id", "name", "kind"],
                report,
            ) else {
                return out;
            };
            if report.has_errors() {
                return out;
            }
            for row in &t.rows {
                let org_id = t.get(row, "org_id").trim().to_string();
                let name = t.get(row, "name").trim().to_string();
                let kind_raw = t.get(row, "kind").trim();
                let mut ok = true;
                for (col, v) in [("org_id", &org_id), ("name", &name)] {
                    if v.is_empty() {
                        report.push(Problem::error(
                            row.line,
                            t.column(col),
                            Message::new("register.required").arg("column", col),
                        ));
                        ok = false;
                    }
                }
                let kind = SupplierKind::parse(kind_raw);
                if kind.is_none() {
                    report.push(Problem::error(
                        row.line,
                        t.column("kind"),
                        Message::new("register.kind_bad").arg("value", kind_raw),
                    ));
                    ok = false;
                }
                let pc = |col: &str| -> Option<String> {
                    let v = t.get(row, col).trim();
                    if v.is_empty() {
                        return None;
                    }
                    tidy_pc(v)
                };
                for col in ["postcode", "trading_postcode"] {
                    let v = t.get(row, col).trim();
                    if !v.is_empty() && tidy_pc(v).is_none() {
                        report.push(Problem::warning(
                            row.line,
                            t.column(col),
                            Message::new("register.postcode_bad").arg("value", v),
                        ));
                    }
                }
                if ok {
                    out.push(OrganisationInput {
                        org_id,
                        name,
                        kind: kind.unwrap_or(SupplierKind::Unknown),
                        company_number: Some(t.get(row, "company_number").trim().to_uppercase())
                            .filter(|s| !s.is_empty()),
                        postcode: pc("postcode"),
                        trading_postcode: pc("trading_postcode"),
                        source: source.to_string(),
                    });
                }
            }
        }
        RegisterFormat::NhsOds => {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            for (i, rec) in rdr.records().enumerate() {
                match rec {
                    Ok(r) if r.len() >= 10 => out.push(OrganisationInput {
                        org_id: format!("GB-NHS-{}", r[0].trim()),
                        name: r[1].trim().to_string(),
                        kind: SupplierKind::PublicBody,
                        company_number: None,
                        postcode: tidy_pc(&r[9]),
                        trading_postcode: None,
                        source: source.to_string(),
                    }),
                    Ok(r) => report.push(Problem::error(
                        i as u64 + 1,
                        None,
                        Message::new("import.too_many_fields")
                            .arg("found", r.len())
                            .arg("expected", 10),
                    )),
                    Err(e) => report.push(Problem::error(
                        i as u64 + 1,
                        None,
                        Message::new("import.unreadable").arg("reason", e),
                    )),
                }
            }
        }
        RegisterFormat::CharityLookup => {
            let Some(t) = Table::parse(
                text,
                &["org_id_a", "org_id_b", "org_name", "relationship", "source"],
                &["org_id_a", "org_id_b", "org_name"],
                report,
            ) else {
                return out;
            };
            for row in &t.rows {
                let a = t.get(row, "org_id_a").trim();
                let b = t.get(row, "org_id_b").trim();
                let kind = if a.starts_with("GB-MPR") {
                    SupplierKind::SocialEnterprise
                } else {
                    SupplierKind::Vcse
                };
                out.push(OrganisationInput {
                    org_id: a.to_string(),
                    name: t.get(row, "org_name").trim().to_string(),
                    kind,
                    company_number: b.strip_prefix("GB-COH-").map(String::from),
                    postcode: None,
                    trading_postcode: None,
                    source: source.to_string(),
                });
            }
        }
    }
    out
}
