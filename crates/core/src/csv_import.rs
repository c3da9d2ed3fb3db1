//! Reading people's CSV files: decoding, header mapping, and problems graded
//! as errors (nothing is imported) or warnings (imported, but look at this),
//! each naming the line and column.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::Message;

/// Whether a problem stops the import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn slug(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The column a problem is in: its 1-based position and its header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub number: usize,
    pub name: String,
}

/// One problem in one place of a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    /// 1-based line in the file; 0 for the file as a whole.
    pub line: u64,
    pub column: Option<Column>,
    pub message: Message,
}

impl Problem {
    pub fn error(line: u64, column: Option<Column>, message: Message) -> Self {
        Self {
            severity: Severity::Error,
            line,
            column,
            message,
        }
    }

    pub fn warning(line: u64, column: Option<Column>, message: Message) -> Self {
        Self {
            severity: Severity::Warning,
            line,
            column,
            message,
        }
    }

    /// `partners.csv:12:3: error: Enter a real date (column 'joined_on')`,
    /// the shape compilers use, so editors can jump to it.
    pub fn describe(&self, file: &str) -> String {
        // A problem of the whole file (line 0, no column) names no line.
        let mut s = if self.line == 0 && self.column.is_none() {
            file.to_string()
        } else {
            format!("{file}:{}", self.line)
        };
        if let Some(c) = &self.column {
            s.push_str(&format!(":{}", c.number));
        }
        s.push_str(&format!(": {}: {}", self.severity.slug(), self.message));
        if let Some(c) = &self.column {
            s.push_str(&format!(" (column '{}')", c.name));
        }
        s
    }
}

/// Everything found wrong with one file. Past [`Report::LIMIT`] problems
/// are counted, not kept, so a national file with a systematic fault does
/// not fill memory with the same complaint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub file: String,
    pub problems: Vec<Problem>,
    pub omitted_errors: u64,
    pub omitted_warnings: u64,
}

impl Report {
    pub const LIMIT: usize = 1000;

    pub fn new(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            ..Default::default()
        }
    }

    pub fn push(&mut self, p: Problem) {
        if self.problems.len() < Self::LIMIT {
            self.problems.push(p);
        } else if p.severity == Severity::Error {
            self.omitted_errors += 1;
        } else {
            self.omitted_warnings += 1;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.omitted_errors > 0 || self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Errors, counting those not kept.
    /// The one error of a file refused as a whole (line 0: empty, not
    /// text, only a header), which is said as it is rather than counted.
    pub fn file_problem(&self) -> Option<&Problem> {
        let mut errors = self.errors();
        match (errors.next(), errors.next()) {
            (Some(p), None) if p.line == 0 => Some(p),
            _ => None,
        }
    }

    pub fn error_count(&self) -> u64 {
        self.errors().count() as u64 + self.omitted_errors
    }

    /// Warnings, counting those not kept.
    pub fn warning_count(&self) -> u64 {
        self.warnings().count() as u64 + self.omitted_warnings
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    /// The report as stored beside a background job, each problem's words
    /// kept as its catalogue message, so it is said in its reader's
    /// language when read (see [`Report::stored`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored report; `None` for what is not one (a job recorded before
    /// reports were kept this way kept its problems as English lines).
    pub fn stored(stored: &str) -> Option<Report> {
        stored
            .starts_with('{')
            .then(|| serde_json::from_str(stored).ok())
            .flatten()
    }

    /// Problems in file order, errors before warnings on the same line.
    pub fn sort(&mut self) {
        self.problems.sort_by(|a, b| {
            (a.line, a.severity, a.column.as_ref().map(|c| c.number)).cmp(&(
                b.line,
                b.severity,
                b.column.as_ref().map(|c| c.number),
            ))
        });
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{}", p.describe(&self.file))?;
        }
        if self.omitted_errors + self.omitted_warnings > 0 {
            let m = Message::new("import.omitted")
                .arg("errors", self.omitted_errors)
                .arg("warnings", self.omitted_warnings);
            writeln!(f, "{}: {m}", self.file)?;
        }
        Ok(())
    }
}

/// The text encoding a file turned out to be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

/// Decodes a file as people's spreadsheets write them: UTF-8 with or without
/// a byte-order mark, otherwise Windows-1252 (which every byte sequence is).
pub fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    let (text, encoding) = decode_borrowed(bytes);
    (text.into_owned(), encoding)
}

/// [`decode`] without copying a UTF-8 file: large spend files are read
/// where they lie.
pub fn decode_borrowed(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some(Ok(s)) = bytes.strip_prefix(b"\xEF\xBB\xBF").map(std::str::from_utf8) {
        return (Cow::Borrowed(s), TextEncoding::Utf8Bom);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), TextEncoding::Utf8),
        Err(_) => (
            encoding_rs::WINDOWS_1252.decode(bytes).0,
            TextEncoding::Windows1252,
        ),
    }
}

/// Reports each control character in a file's text (see
/// [`crate::validation::control_character`]) as an error at its line and
/// field, and says whether there were any. A file with one is refused as a
/// whole, on both databases alike, before any of it is read: PostgreSQL
/// cannot store a NUL and SQLite would keep it silently.
pub fn find_control_characters(text: &str, report: &mut Report) -> bool {
    let bad = |c: char| crate::validation::control_character(c.encode_utf8(&mut [0; 4])).is_some();
    if !text
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f)
    {
        return false;
    }
    let header: Vec<String> = text
        .lines()
        .next()
        .unwrap_or("")
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_string())
        .collect();
    let (mut line, mut field, mut quoted, mut found) = (1u64, 1usize, false, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => field += 1,
            // `\r\n` is one line end, counted at its `\n`.
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                if !quoted {
                    field = 1;
                }
            }
            c if bad(c) => {
                found += 1;
                report.push(Problem::error(
                    line,
                    Some(Column {
                        number: field,
                        name: header.get(field - 1).cloned().unwrap_or_default(),
                    }),
                    Message::new("import.control_character"),
                ));
                if found >= Report::LIMIT {
                    break;
                }
            }
            _ => {}
        }
    }
    found > 0
}

/// What an upload is when it cannot be a table of text, told from its bytes
/// before any reading: a person who sent the wrong file is told what they
/// sent and what was expected, in one sentence, not shown its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotText {
    /// No bytes (or only spaces, line ends and a byte-order mark).
    Empty,
    /// A known binary format, by its first bytes (the key of its name).
    Binary(&'static str),
    /// Bytes that are not text in any encoding people's files use.
    NotText,
}

/// Known binary formats by their first bytes, with the catalogue key of
/// their name. Workbooks are not here: the spend import reads them.
const MAGIC: [(&[u8], &str); 12] = [
    (b"%PDF", "import.file.kind.pdf"),
    (b"\x89PNG", "import.file.kind.png"),
    (b"\xFF\xD8\xFF", "import.file.kind.jpeg"),
    (b"GIF8", "import.file.kind.gif"),
    (b"PK\x03\x04", "import.file.kind.zip"),
    (b"\x1F\x8B", "import.file.kind.gzip"),
    (b"7z\xBC\xAF\x27\x1C", "import.file.kind.archive"),
    (b"Rar!", "import.file.kind.archive"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "import.file.kind.office",
    ),
    (b"{\\rtf", "import.file.kind.rtf"),
    (b"SQLite format 3", "import.file.kind.database"),
    (b"\x7FELF", "import.file.kind.program"),
];

/// Whether an upload is not a table of text: empty, a known binary format
/// (by magic bytes), or bytes no text encoding explains (a NUL, or many
/// control characters, in its first 8 KiB). `None`: worth reading as text.
pub fn not_text(bytes: &[u8]) -> Option<NotText> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Some(NotText::Empty);
    }
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| body.starts_with(m)) {
        return Some(NotText::Binary(kind));
    }
    let head = &body[..body.len().min(8192)];
    let control = head
        .iter()
        .filter(|b| (**b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || **b == 0x7f)
        .count();
    // A stray NUL in a text file is reported at its line and field by the
    // reader; many control characters (a tenth of the bytes, or more than
    // a few) are a file that is not text at all.
    if control * 10 > head.len() || control > 8 {
        return Some(NotText::NotText);
    }
    None
}

impl NotText {
    /// One sentence: what the file is, and `expected` (a catalogue key
    /// naming what the import reads).
    pub fn message(self, expected: &str) -> Message {
        let expected = crate::i18n::t(expected).to_string();
        match self {
            NotText::Empty => Message::new("import.file.empty").arg("expected", expected),
            NotText::Binary(kind) => Message::new("import.file.binary")
                .arg("kind", crate::i18n::t(kind))
                .arg("expected", expected),
            NotText::NotText => Message::new("import.file.not_text").arg("expected", expected),
        }
    }
}

/// A header made comparable: lower case, trimmed, spaces and hyphens as `_`.
pub fn header_key(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// The line ends in `text[from..to]`: `\n`, `\r\n` (one end) or a lone `\r`
/// (old Mac files, which the reader also splits at). A `\r` at `to - 1` is
/// judged by the byte after it, so counting a file in pieces gives the same
/// total as counting it whole.
pub fn line_ends(text: &[u8], from: usize, to: usize) -> u64 {
    memchr::memchr2_iter(b'\r', b'\n', &text[from..to])
        .filter(|&k| text[from + k] == b'\n' || text.get(from + k + 1) != Some(&b'\n'))
        .count() as u64
}

/// Maps byte offsets to 1-based line numbers. The csv crate's own line
/// counter skips blank lines and newlines inside quoted fields, so problems
/// would name the wrong line; this counts every line end ([`line_ends`]).
/// Readers ask in file order, so it counts on from the last answer (one
/// pass over the file in all) and only starts again from the top when asked
/// about an earlier byte.
pub struct LineIndex<'a> {
    text: &'a [u8],
    /// The last byte asked about and the line it is on.
    last: std::cell::Cell<(usize, u64)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        Self {
            text,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The line on which the record starting at `byte` really begins: the
    /// reader reports the offset before any blank lines it skipped.
    pub fn line_of_record(&self, byte: u64) -> u64 {
        let mut at = (byte as usize).min(self.text.len());
        while at < self.text.len() && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        let (from, line) = match self.last.get() {
            (b, l) if b <= at => (b, l),
            _ => (0, 1),
        };
        let line = line + line_ends(self.text, from, at);
        self.last.set((at, line));
        line
    }
}

/// Splits CSV text into records as the csv crate's reader does with its
/// defaults (comma; a field that opens with `"` is quoted, `""` inside it is
/// one quote and text after its closing quote is kept; `\r`, `\n` or `\r\n`
/// ends a record; blank lines are skipped), lending out every field without
/// a doubled quote as a slice of the text: large spend files are split at
/// memory speed with no copy. A property test holds it to the csv crate.
pub struct Records<'a> {
    text: &'a str,
    at: usize,
    /// The line `at` is on, counting every line end as [`LineIndex`] does.
    at_line: u64,
    /// The line the last record began on.
    record_line: u64,
}

impl<'a> Records<'a> {
    pub fn new(text: &'a str) -> Self {
        Records {
            text,
            at: 0,
            at_line: 1,
            record_line: 1,
        }
    }

    /// The 1-based line the record last read begins on.
    pub fn line(&self) -> u64 {
        self.record_line
    }

    /// Reads the next record into `fields` (emptied first) and returns the
    /// byte its first field starts at; `None` at the end.
    pub fn next_into(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Option<usize> {
        fields.clear();
        let b = self.text.as_bytes();
        let mut i = self.at;
        while i < b.len() && matches!(b[i], b'\r' | b'\n') {
            i += 1;
        }
        self.at_line += line_ends(b, self.at, i);
        if i >= b.len() {
            self.at = i;
            return None;
        }
        let start = i;
        self.record_line = self.at_line;
        loop {
            let (field, end) = if b[i] == b'"' {
                let (field, end) = self.quoted(i);
                self.at_line += line_ends(b, i, end);
                (field, end)
            } else {
                let end = memchr::memchr3(b',', b'\r', b'\n', &b[i..]).map_or(b.len(), |k| i + k);
                (Cow::Borrowed(&self.text[i..end]), end)
            };
            fields.push(field);
            if b.get(end) == Some(&b',') {
                i = end + 1;
                if i == b.len() {
                    fields.push(Cow::Borrowed(""));
                    self.at = i;
                    return Some(start);
                }
                continue;
            }
            self.at = match b.get(end) {
                Some(b'\r') if b.get(end + 1) == Some(&b'\n') => end + 2,
                Some(_) => end + 1,
                None => end,
            };
            // `\r`, `\n` or `\r\n`: one line end.
            self.at_line += (self.at > end) as u64;
            return Some(start);
        }
    }

    /// The quoted field opening at `open`, and where it ends (a comma, the
    /// end of the line or of the text).
    fn quoted(&self, open: usize) -> (Cow<'a, str>, usize) {
        let (t, b) = (self.text, self.text.as_bytes());
        let mut owned: Option<String> = None;
        let mut from = open + 1;
        loop {
            let Some(q) = memchr::memchr(b'"', &b[from..]).map(|k| from + k) else {
                // Never closed: the field runs to the end of the text.
                return match owned {
                    None => (Cow::Borrowed(&t[from..]), b.len()),
                    Some(mut o) => {
                        o.push_str(&t[from..]);
                        (Cow::Owned(o), b.len())
                    }
                };
            };
            if b.get(q + 1) == Some(&b'"') {
                owned.get_or_insert_with(String::new).push_str(&t[from..=q]);
                from = q + 2;
                continue;
            }
            let end =
                memchr::memchr3(b',', b'\r', b'\n', &b[q + 1..]).map_or(b.len(), |k| q + 1 + k);
            return match owned {
                None if end == q + 1 => (Cow::Borrowed(&t[from..q]), end),
                owned => {
                    let mut o = owned.unwrap_or_default();
                    o.push_str(&t[from..q]);
                    o.push_str(&t[q + 1..end]);
                    (Cow::Owned(o), end)
                }
            };
        }
    }
}

/// One data row: its 1-based line in the file and its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

/// A CSV file whose header row has been matched to the columns we know.
#[derive(Clone, Debug)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    index: HashMap<&'static str, usize>,
}

impl Table {
    /// Parses `text` and maps its header row onto `known` column names.
    /// Missing `required` columns are errors; unknown columns are warnings.
    pub fn parse(
        text: &str,
        known: &[&'static str],
        required: &[&'static str],
        report: &mut Report,
    ) -> Option<Table> {
        if find_control_characters(text, report) {
            return None;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let lines = LineIndex::new(text.as_bytes());
        let line_of =
            |p: Option<&csv::Position>| p.map(|p| lines.line_of_record(p.byte())).unwrap_or(0);
        let mut records = rdr.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => {
                report.push(Problem::error(
                    line_of(e.position()).max(1),
                    None,
                    Message::new("import.unreadable").arg("reason", e),
                ));
                return None;
            }
            None => {
                report.push(Problem::error(0, None, Message::new("import.empty_file")));
                return None;
            }
        };
        let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let key = header_key(h);
            match known.iter().find(|k| **k == key) {
                Some(k) => {
                    if index.insert(*k, i).is_some() {
                        report.push(Problem::error(
                            1,
                            Some(Column {
                                number: i + 1,
                                name: h.clone(),
                            }),
                            Message::new("import.duplicate_column"),
                        ));
                    }
                }
                None if key.is_empty() => {}
                None => report.push(Problem::warning(
                    1,
                    Some(Column {
                        number: i + 1,
                        name: h.clone(),
                    }),
                    Message::new("import.unknown_column"),
                )),
            }
        }
        for r in required {
            if !index.contains_key(r) {
                report.push(Problem::error(
                    1,
                    None,
                    Message::new("import.missing_column").arg("column", r),
                ));
            }
        }
        let mut rows = Vec::new();
        for rec in records {
            match rec {
                Ok(rec) => {
                    let line = line_of(rec.position());
                    let fields: Vec<String> = rec.iter().map(|f| f.to_string()).collect();
                    if fields.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    if fields.len() > headers.len() {
                        report.push(Problem::error(
                            line,
                            None,
                            Message::new("import.too_many_fields")
                                .arg("found", fields.len())
                                .arg("expected", headers.len()),
                        ));
                    }
                    rows.push(Row { line, fields });
                }
                Err(e) => report.push(Problem::error(
                    line_of(e.position()),
                    None,
                    Message::new("import.unreadable").arg("reason", e),
                )),
            }
        }
        Some(Table {
            headers,
            rows,
            index,
        })
    }

    /// Whether the file has this column.
    pub fn has(&self, column: &str) -> bool {
        self.index.contains_key(column)
    }

    /// The value of `column` in `row`, or "" when the column or field is absent.
    pub fn get<'r>(&self, row: &'r Row, column: &str) -> &'r str {
        self.index
            .get(column)
            .and_then(|i| row.fields.get(*i))
            .map(|s| s.as_str())
            .unwrap_or("")
    }

    /// Where `column` is, for problems about it.
    pub fn column(&self, column: &str) -> Option<Column> {
        self.index.get(column).map(|i| Column {
            number: i + 1,
            name: self.headers[*i].clone(),
        })
    }
}

/// Writes one CSV record, quoting as needed. A field that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@` first) is prefixed with `'`
/// (CSV injection, OWASP), except plain numbers and dates.
pub fn safe_field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '@', '\t', '\r'])
        || (s.starts_with('-') && s[1..].parse::<f64>().is_err());
    if risky {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A whole CSV file: the header, then each row with [`safe_field`] applied.
pub fn write_table(columns: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns).expect("write to memory");
    for r in rows {
        w.write_record(r.iter().map(|f| safe_field(f)))
            .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("UTF-8 in, UTF-8 out")
}

/// Undoes [`safe_field`] when a file we exported comes back.
pub fn restore_field(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record as the csv crate reads it: where it starts (after any
    /// blank lines it skipped) and its fields.
    fn by_csv_crate(text: &str) -> Vec<(usize, u64, Vec<String>)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let b = text.as_bytes();
        rdr.records()
            .map(|r| {
                let r = r.expect("text is UTF-8");
                let mut at = r.position().map_or(0, |p| p.byte() as usize);
                while at < b.len() && matches!(b[at], b'\r' | b'\n') {
                    at += 1;
                }
                let line = LineIndex::new(b).line_of_record(at as u64);
                (at, line, r.iter().map(str::to_string).collect())
            })
            .collect()
    }

    fn by_records(text: &str) -> Vec<(usize, u64, Vec<String>)> {
        let mut records = Records::new(text);
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while let Some(at) = records.next_into(&mut fields) {
            out.push((
                at,
                records.line(),
                fields.iter().map(|f| f.to_string()).collect(),
            ));
        }
        out
    }

    #[test]
    fn records_split_as_the_csv_crate_does() {
        for text in [
            "a,b\r\n\r\nc,\"d,\"\"e\"\"\"\n",
            "\"1,234.56\",x\n\"a\"b\"c,\"open\nline",
            ",\n,,\r\r\n\"\"",
            "x,",
        ] {
            assert_eq!(by_records(text), by_csv_crate(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn records_agree_with_the_csv_crate(text in "[ab ,\"\r\n£]{0,40}") {
            proptest::prop_assert_eq!(by_records(&text), by_csv_crate(&text));
        }
    }

    #[test]
    fn decodes_bom_utf8_and_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").1, TextEncoding::Utf8Bom);
        assert_eq!(decode(b"a,b").1, TextEncoding::Utf8);
        let (s, e) = decode(b"Recharges \x96 Pay, \xA3100");
        assert_eq!(e, TextEncoding::Windows1252);
        assert_eq!(s, "Recharges \u{2013} Pay, \u{a3}100");
    }

    #[test]
    fn maps_headers_and_reports_lines() {
        let mut report = Report::new("t.csv");
        let t = Table::parse(
            "Name, Joined On ,Extra\nA,2020-01-01,x\n\n\"B\nC\",2021-01-01,y\n",
            &["name", "joined_on"],
            &["name", "kind"],
            &mut report,
        )
        .unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].line, 4);
        let idx = LineIndex::new(b"h\nA\n\n\"B\nC\",2\r\n\r\nD,3\n");
        assert_eq!(idx.line_of_record(0), 1);
        assert_eq!(idx.line_of_record(4), 4);
        assert_eq!(idx.line_of_record(14), 7);
        assert_eq!(t.get(&t.rows[1], "name"), "B\nC");
        assert_eq!(t.get(&t.rows[0], "joined_on"), "2020-01-01");
        let msgs: Vec<_> = report
            .problems
            .iter()
            .map(|p| (p.severity, p.message.key.as_str()))
            .collect();
        assert!(msgs.contains(&(Severity::Warning, "import.unknown_column")));
        assert!(msgs.contains(&(Severity::Error, "import.missing_column")));
    }

    #[test]
    fn formula_like_fields_are_defused() {
        assert_eq!(safe_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(safe_field("-12.50"), "-12.50");
        assert_eq!(safe_field("-cmd"), "'-cmd");
        assert_eq!(safe_field("Plain"), "Plain");
    }
}

#[cfg(test)]
mod line_end_tests {
    use super::*;

    /// The same file with `\n`, `\r\n` or lone `\r` (old Mac) line ends:
    /// every reader names the same lines, blank lines and a line end
    /// inside quotes included.
    #[test]
    fn lines_are_counted_alike_for_every_kind_of_line_end() {
        let unix = "name,joined_on\nA,2020-01-01\n\n\"B\nC\",2021-01-01\nD\u{1},x\n";
        for end in ["\n", "\r\n", "\r"] {
            let text = unix.replace('\n', end);
            let b = text.as_bytes();
            assert_eq!(line_ends(b, 0, b.len()), 6, "{end:?}");
            let mut records = Records::new(&text);
            let mut fields = Vec::new();
            let mut lines = Vec::new();
            while records.next_into(&mut fields).is_some() {
                lines.push(records.line());
            }
            assert_eq!(lines, [1, 2, 4, 6], "{end:?}");
            let index = LineIndex::new(b);
            let d = text.find('D').unwrap() as u64;
            assert_eq!(index.line_of_record(d), 6, "{end:?}");
            let mut report = Report::new("t.csv");
            assert!(find_control_characters(&text, &mut report));
            assert_eq!(report.problems[0].line, 6, "{end:?}");
            let clean = text.replace('\u{1}', "");
            let mut report = Report::new("t.csv");
            let t = Table::parse(&clean, &["name", "joined_on"], &["name"], &mut report).unwrap();
            let rows: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
            assert_eq!(rows, [2, 4, 6], "{end:?}");
        }
        // Counted in pieces, a `\r\n` split between them is still one end.
        let b = b"a\r\nb\rc";
        assert_eq!(line_ends(b, 0, 2) + line_ends(b, 2, b.len()), 2);
    }
}

#[cfg(test)]
mod control_character_tests {
    use super::*;

    #[test]
    fn a_null_byte_is_an_error_at_its_line_and_field() {
        let mut report = Report::new("spend.csv");
        let text = "Date,Supplier,Amount\n2026-01-02,\"Acme, Ltd\",10\n2026-01-03,Bad\0Co,5\n";
        assert!(find_control_characters(text, &mut report));
        let p = &report.problems[0];
        assert_eq!(p.line, 3);
        let c = p.column.as_ref().unwrap();
        assert_eq!((c.number, c.name.as_str()), (2, "Supplier"));
        let mut clean = Report::new("ok.csv");
        assert!(!find_control_characters("a,b\r\n1,\"x\ty\"\n", &mut clean));
        assert!(clean.problems.is_empty());
        let mut table = Report::new("partners.csv");
        assert!(Table::parse("name\nA\u{1}\n", &["name"], &["name"], &mut table).is_none());
        assert!(table.has_errors());
    }
}

#[cfg(test)]
mod not_text_tests {
    use super::*;

    #[test]
    fn tells_what_a_file_is_from_its_bytes() {
        assert_eq!(not_text(b""), Some(NotText::Empty));
        assert_eq!(not_text(b"\xEF\xBB\xBF \r\n\n"), Some(NotText::Empty));
        assert_eq!(
            not_text(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"),
            Some(NotText::Binary("import.file.kind.pdf"))
        );
        assert_eq!(
            not_text(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(NotText::Binary("import.file.kind.png"))
        );
        // Random bytes: NULs and control characters everywhere.
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(not_text(&noise), Some(NotText::NotText));
        // Text, in UTF-8 or Windows-1252, is left to the reader.
        assert_eq!(
            not_text(b"Date,Supplier,Amount\n01/04/2024,Caf\xE9,12.50\n"),
            None
        );
        assert_eq!(
            not_text("Date,Supplier\n01/04/2024,Café\n".as_bytes()),
            None
        );
    }

    #[test]
    fn says_it_in_one_sentence_with_what_was_expected() {
        for (bytes, kind) in [
            (&b""[..], "empty"),
            (&b"%PDF-1.4"[..], "PDF"),
            (&b"\0\x01\x02\x03"[..], "not text"),
        ] {
            let text = not_text(bytes)
                .unwrap()
                .message("anchors.spend.expected")
                .text();
            assert!(text.contains(kind), "{text}");
            assert!(text.contains("CSV file"), "{text}");
            assert_eq!(text.matches(". ").count(), 0, "one sentence: {text}");
        }
    }
}
