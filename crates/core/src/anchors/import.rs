//! The pure steps of importing a spend file: turning the upload into text
//! (a CSV in any of the encodings publishers use, or a workbook), reading
//! it, and deciding how the suppliers it names for the first time resolve
//! against the register. The application layer reads what these need from
//! the store and writes what they decide in one transaction.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use time::Date;
use uuid::Uuid;

use super::anchor::Anchor;
use super::resolution::{NewSupplier, SupplierStatus};
use super::spend_file::{Inspection, ReadOptions, SpendFile, inspect, read, sha256_hex};
use super::spreadsheet;
use super::supplier::{Candidate, Matcher, RegisterEntry, name_key};
use crate::csv_import::{
    Problem, Report, TextEncoding, decode_borrowed, find_control_characters, not_text,
};
use crate::i18n::{Message, t};

/// How to import a file beyond its bytes.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Import the good lines of a file with bad ones, listing what was skipped.
    pub skip_bad_lines: bool,
    /// The day to give lines that carry no date (some files date the file, not the line).
    pub undated_lines_on: Option<Date>,
}

/// A file read and checked, ready to be written.
pub struct ReadFile {
    pub file: SpendFile,
    pub sha256: String,
    /// How the bytes were decoded, as the files list shows it.
    pub encoding: &'static str,
}

/// Decodes, reads and checks an uploaded file. `Err` is the report of a file
/// that must not be written (errors, unless `skip_bad_lines` and the file was
/// readable); `Ok` carries the report of what did not stop it.
pub fn read_upload(
    file_name: &str,
    bytes: &[u8],
    anchor: &Anchor,
    options: &ImportOptions,
) -> Result<(ReadFile, Report), Report> {
    let mut report = Report::new(file_name);
    let Some((text, encoding)) = upload_text(bytes, &mut report) else {
        return Err(report);
    };
    if find_control_characters(&text, &mut report) {
        return Err(report);
    }
    let file = read(
        &text,
        &ReadOptions {
            mapping: anchor.column_mapping.clone(),
            undated_lines_on: options.undated_lines_on,
            // A file whose dates are all ambiguous follows the anchor's last.
            date_order: anchor.date_order,
        },
        &mut report,
    );
    let unreadable = file.columns.is_empty();
    // A header and nothing under it is not an import of nothing: it is the
    // wrong file (or an export cut short), and nothing is recorded.
    if !unreadable && file.lines.is_empty() && !report.has_errors() {
        let key = if report.warning_count() == 0 {
            "import.file.header_only"
        } else {
            "import.file.no_lines"
        };
        report.push(Problem::error(
            0,
            None,
            Message::new(key).arg("expected", t("anchors.spend.expected")),
        ));
    }
    report.sort();
    if report.has_errors() && (!options.skip_bad_lines || unreadable) {
        return Err(report);
    }
    let read = ReadFile {
        file,
        sha256: sha256_hex(bytes),
        encoding: encoding_name(encoding),
    };
    Ok((read, report))
}

/// An upload as text: a CSV in any of the encodings publishers use, or a
/// workbook (Birmingham publishes .xls) turned into CSV text for the same
/// reader. `None` when a workbook cannot be read (the report says why).
fn upload_text<'a>(bytes: &'a [u8], report: &mut Report) -> Option<(Cow<'a, str>, TextEncoding)> {
    if spreadsheet::is_spreadsheet(bytes) {
        match spreadsheet::to_csv(bytes) {
            Ok(t) => Some((Cow::Owned(t), TextEncoding::Utf8)),
            Err(m) => {
                report.push(Problem::error(0, None, m));
                None
            }
        }
    } else if let Some(what) = not_text(bytes) {
        report.push(Problem::error(
            0,
            None,
            what.message("anchors.spend.expected"),
        ));
        None
    } else {
        Some(decode_borrowed(bytes))
    }
}

/// About how many lines an upload has, for a progress bar: its line ends
/// for a text file; `None` for a workbook, whose compressed bytes say
/// nothing of its rows (counting them gave 54,668 for a 3,862-row sheet).
pub fn estimated_lines(bytes: &[u8]) -> Option<u64> {
    (!spreadsheet::is_spreadsheet(bytes))
        .then(|| crate::csv_import::line_ends(bytes, 0, bytes.len()))
}

/// How the bytes were decoded, as the files list and the inspection show it.
fn encoding_name(encoding: TextEncoding) -> &'static str {
    match encoding {
        TextEncoding::Utf8 => "utf-8",
        TextEncoding::Utf8Bom => "utf-8 (BOM)",
        TextEncoding::Windows1252 => "windows-1252",
    }
}

/// The columns an upload would be read with, from its first rows (see
/// [`super::spend_file::guess_columns`]); `None` when it cannot be read.
pub fn guess_upload_columns(
    bytes: &[u8],
    mapping: &super::spend_file::ColumnMapping,
) -> Option<super::columns::MappingGuess> {
    let (text, _) = upload_text(bytes, &mut Report::new(""))?;
    super::spend_file::guess_columns(&text, mapping)
}

/// What a file would import as, before anything is written: the columns
/// guessed (and how sure), the date order, the first rows as published and
/// as read, the lines and their total. `mapping` is the anchor's saved
/// mapping or one being tried; `date_order` the anchor's last file's.
pub fn inspect_upload(
    file_name: &str,
    bytes: &[u8],
    mapping: &super::spend_file::ColumnMapping,
    date_order: Option<super::dates::DateOrder>,
) -> Result<(Inspection, &'static str), Report> {
    let mut report = Report::new(file_name);
    let Some((text, encoding)) = upload_text(bytes, &mut report) else {
        return Err(report);
    };
    let options = ReadOptions {
        mapping: mapping.clone(),
        undated_lines_on: None,
        date_order,
    };
    let mut inspection = inspect(&text, &options);
    inspection.report.file = file_name.to_string();
    Ok((inspection, encoding_name(encoding)))
}

/// A supplier a file names: (name as first seen, company number, withheld).
pub type NamedSupplier = (String, Option<String>, bool);

/// Each supplier of a file once, by its name key (a file repeats its
/// suppliers over many lines).
pub fn distinct_suppliers(file: &SpendFile) -> BTreeMap<String, NamedSupplier> {
    let mut distinct: BTreeMap<String, NamedSupplier> = BTreeMap::new();
    let mut names: HashSet<&str> = HashSet::new();
    for l in file.lines.iter().filter(|l| names.insert(&l.supplier)) {
        distinct
            .entry(name_key(&l.supplier))
            .or_insert_with(|| (l.supplier.clone(), l.company_number.clone(), l.redacted));
    }
    distinct
}

/// Resolves the suppliers the programme has not seen before against its
/// register: sure matches are taken, near ones queued for review, the rest
/// left unresolved; withheld names are never matched.
pub fn resolve_new_suppliers(
    distinct: BTreeMap<String, NamedSupplier>,
    known: &HashSet<String>,
    register: &[(Uuid, RegisterEntry)],
) -> Vec<NewSupplier> {
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
        let as_row = |c: &Candidate| (register[c.org].0, c.score, c.reason.key().to_string());
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
    out
}
