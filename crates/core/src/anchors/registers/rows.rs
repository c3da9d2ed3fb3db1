//! Splitting a register file into rows as it streams past, one line at a
//! time, so a national file never sits in memory.
//!
//! Two ways of reading a line, because the registers are published in both:
//! - **quoted** (comma CSV, RFC 4180 as the csv crate reads it): a field that
//!   opens with `"` runs to its closing quote, `""` inside it is one quote,
//!   text after the closing quote is kept, and a quoted field may run over
//!   lines;
//! - **literal** (tab-separated exports, the Charity Commission's text
//!   extract): quotes are ordinary characters, so a name like
//!   `"B" COOL LIMITED` or an unbalanced `"LUXURA HOMES LTD` is read as it is.
//!
//! Every row is checked against the header's field count, so a row is never
//! lost in silence: either it reads whole, or the reader says which line and
//! column went wrong. A quote that never closes would otherwise swallow the
//! rest of the file into one field; here it may run over at most
//! [`MAX_ROW_LINES`] lines, and a row that then does not come out the right
//! size is re-read with that quote as an ordinary character (a warning), or
//! refused alone (an error) with the lines it took handed back to be read as
//! rows of their own.

use std::collections::VecDeque;
use std::io::{self, BufRead};

/// Longer lines are refused (and skipped): no register row is near this, and
/// a file with no line breaks must not be read into memory whole.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// How many lines one row may run over (a quoted field with line breaks in
/// it, or a tab-separated field with a line break). Real rows use two or
/// three; more means a quote or a break that does not belong.
pub const MAX_ROW_LINES: usize = 64;

/// Why a row could not be read. Lines and columns are 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    /// The line is longer than [`MAX_LINE_BYTES`]; it was skipped.
    TooLong { line: u64 },
    /// The row has a different number of fields from the header.
    FieldCount {
        line: u64,
        found: usize,
        expected: usize,
    },
    /// A quote opened in this column never closes, and read as an ordinary
    /// character the row still does not fit the header.
    QuoteNotClosed { line: u64, column: usize },
    /// A quoted value in this column closes before its end (a quote inside
    /// it was not doubled), and the row does not fit the header.
    StrayQuote { line: u64, column: usize },
}

/// What the splitter found next.
#[derive(Debug)]
pub enum Next {
    /// A row, readable through [`Splitter::field`].
    Row,
    /// A row that could not be read; it is skipped, the rest read on.
    Problem(RowProblem),
}

/// A row was read, but a quote opened in `column` never closed, so the
/// quote was read as an ordinary character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuoteAsText {
    pub column: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Quoted,
}

/// Reads rows from `src`, reusing its buffers: after the first rows no
/// allocation happens per row.
pub struct Splitter<R> {
    src: R,
    delimiter: u8,
    quoted: bool,
    /// Lines handed back after a refused row, read again before `src`
    /// (`None`: a line too long to keep).
    pending: VecDeque<(u64, Option<Vec<u8>>)>,
    /// Lines taken from `src` so far (the number of the last one).
    lines: u64,
    bytes: u64,
    /// The line being split and the lines a row continues on.
    first: Vec<u8>,
    more: Vec<u8>,
    /// Raw lines after the first of a row running over lines, to hand back.
    extra: Vec<(u64, Vec<u8>)>,
    /// The row's fields, end to end, and where each ends.
    out: Vec<u8>,
    text: String,
    ends: Vec<usize>,
    /// The line the current row begins on.
    line: u64,
    /// Where the last quote opened (column), while a field is quoted.
    open_column: usize,
    not_utf8: bool,
    quote_as_text: Option<QuoteAsText>,
    /// The first column where text follows a closing quote.
    stray_quote: Option<usize>,
}

impl<R: BufRead> Splitter<R> {
    pub fn new(src: R, delimiter: u8, quoted: bool) -> Self {
        Splitter {
            src,
            delimiter,
            quoted,
            pending: VecDeque::new(),
            lines: 0,
            bytes: 0,
            first: Vec::new(),
            more: Vec::new(),
            extra: Vec::new(),
            out: Vec::new(),
            text: String::new(),
            ends: Vec::new(),
            line: 0,
            open_column: 0,
            not_utf8: false,
            quote_as_text: None,
            stray_quote: None,
        }
    }

    /// Hands back the first line, read by [`read_first_line`] to recognise
    /// the layout, to be read first; `took` is the bytes it took.
    pub fn unread_first(&mut self, line: Vec<u8>, took: u64) {
        if took > 0 {
            self.pending.push_front((1, Some(line)));
            self.lines = 1;
            self.bytes = took;
        }
    }

    /// Lines read from the source so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Bytes read from the source so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The line the last row begins on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The number of fields in the last row.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i` (0-based) of the last row, or "" past its end.
    pub fn field(&self, i: usize) -> &str {
        match self.ends.get(i) {
            Some(&end) => {
                let start = if i == 0 { 0 } else { self.ends[i - 1] };
                &self.text[start..end]
            }
            None => "",
        }
    }

    /// Whether the last row was not UTF-8 (and was read as Windows-1252).
    pub fn not_utf8(&self) -> bool {
        self.not_utf8
    }

    /// Set when the last row was read with an unclosed quote as text.
    pub fn quote_as_text(&self) -> Option<QuoteAsText> {
        self.quote_as_text
    }

    /// The first column of the last row where a quoted value closed before
    /// its end (`"A "B" C"`): the row fitted, but that value may be misread.
    pub fn stray_quote(&self) -> Option<usize> {
        self.stray_quote
    }

    /// Reads the next row. `expected` is the header's field count (`None`
    /// for the header itself). `Ok(None)` at the end of the file; an error
    /// only when the source cannot be read.
    pub fn next_row(&mut self, expected: Option<usize>) -> io::Result<Option<Next>> {
        self.out = std::mem::take(&mut self.text).into_bytes();
        self.out.clear();
        self.ends.clear();
        self.extra.clear();
        self.not_utf8 = false;
        self.quote_as_text = None;
        self.stray_quote = None;
        let mut first = std::mem::take(&mut self.first);
        let result = self.read_row(&mut first, expected);
        self.first = first;
        result
    }

    fn read_row(
        &mut self,
        first: &mut Vec<u8>,
        expected: Option<usize>,
    ) -> io::Result<Option<Next>> {
        let (line, too_long) = loop {
            match self.take_line(first)? {
                None => return Ok(None),
                Some((_, false)) if first.is_empty() => continue,
                Some(found) => break found,
            }
        };
        self.line = line;
        if too_long {
            return Ok(Some(Next::Problem(RowProblem::TooLong { line })));
        }
        let mut state = self.split(first, State::FieldStart);
        let mut more = std::mem::take(&mut self.more);
        let mut gave_up = false;
        while state == State::Quoted {
            if self.extra.len() + 1 >= MAX_ROW_LINES {
                gave_up = true;
                break;
            }
            match self.take_line(&mut more)? {
                Some((n, false)) => {
                    self.extra.push((n, more.clone()));
                    self.out.push(b'\n');
                    state = self.split(&more, State::Quoted);
                }
                Some((n, true)) => {
                    // Too long to belong to this row: read it on its own.
                    self.pending.push_front((n, None));
                    gave_up = true;
                    break;
                }
                None => {
                    gave_up = true;
                    break;
                }
            }
        }
        if state == State::Quoted {
            // Close the last field so the count below is honest.
            self.ends.push(self.out.len());
        }
        if !self.quoted
            && let Some(expected) = expected
        {
            // A tab-separated field with a line break in it: the row goes on
            // on the next line as long as together they do not overflow.
            while self.ends.len() < expected && self.extra.len() + 1 < MAX_ROW_LINES {
                let Some((n, long)) = self.take_line(&mut more)? else {
                    break;
                };
                let fields = memchr::memchr_iter(self.delimiter, &more).count() + 1;
                if long || self.ends.len() + fields - 1 > expected {
                    self.pending.push_front((n, (!long).then(|| more.clone())));
                    break;
                }
                self.extra.push((n, more.clone()));
                self.ends.pop();
                self.out.push(b'\n');
                self.split(&more, State::Quoted);
            }
        }
        self.more = more;
        let fits = expected.is_none_or(|e| e == self.ends.len());
        if fits && !gave_up {
            self.finish();
            return Ok(Some(Next::Row));
        }
        // The row does not fit. Hand back the lines it took after its first.
        let open_column = self.open_column;
        let ran_over = !self.extra.is_empty() || gave_up;
        while let Some(l) = self.extra.pop() {
            self.pending.push_front((l.0, Some(l.1)));
        }
        if self.quoted && ran_over {
            // Read the first line again with the quote as a character.
            self.out.clear();
            self.ends.clear();
            self.stray_quote = None;
            self.split_literal(first);
            if expected.is_none_or(|e| e == self.ends.len()) {
                self.quote_as_text = Some(QuoteAsText {
                    column: open_column,
                });
                self.finish();
                return Ok(Some(Next::Row));
            }
            return Ok(Some(Next::Problem(RowProblem::QuoteNotClosed {
                line,
                column: open_column,
            })));
        }
        if self.quoted
            && let Some(column) = self.stray_quote
        {
            return Ok(Some(Next::Problem(RowProblem::StrayQuote { line, column })));
        }
        if ran_over {
            // Count the first line alone, as a person looking at it would.
            self.out.clear();
            self.ends.clear();
            self.split_literal(first);
        }
        Ok(Some(Next::Problem(RowProblem::FieldCount {
            line,
            found: self.ends.len(),
            expected: expected.unwrap_or(0),
        })))
    }

    /// Takes the next line into `into` without its line ending: its number
    /// and whether it was too long (then `into` is empty).
    fn take_line(&mut self, into: &mut Vec<u8>) -> io::Result<Option<(u64, bool)>> {
        into.clear();
        if let Some((n, l)) = self.pending.pop_front() {
            let too_long = l.is_none();
            into.extend_from_slice(&l.unwrap_or_default());
            return Ok(Some((n, too_long)));
        }
        let mut any = false;
        let mut too_long = false;
        loop {
            let buf = match self.src.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            any = true;
            let (piece, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..=i], true),
                None => (buf, false),
            };
            let n = piece.len();
            if !too_long && into.len() + n <= MAX_LINE_BYTES + 2 {
                into.extend_from_slice(piece);
            } else {
                too_long = true;
                into.clear();
            }
            self.src.consume(n);
            self.bytes += n as u64;
            if done {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.lines += 1;
        if self.lines == 1 && into.starts_with(b"\xEF\xBB\xBF") {
            into.drain(..3);
        }
        if into.last() == Some(&b'\n') {
            into.pop();
        }
        if into.last() == Some(&b'\r') {
            into.pop();
        }
        Ok(Some((self.lines, too_long)))
    }

    /// Splits one line onto the row, starting in `state`; the state it ends
    /// in (`Quoted` when a quoted field runs on to the next line).
    fn split(&mut self, line: &[u8], mut state: State) -> State {
        if !self.quoted {
            self.split_literal(line);
            return State::FieldStart;
        }
        let d = self.delimiter;
        let mut i = 0;
        loop {
            if state == State::FieldStart {
                if line.get(i) == Some(&b'"') {
                    state = State::Quoted;
                    self.open_column = self.ends.len() + 1;
                    i += 1;
                } else {
                    // Unquoted: quotes inside are ordinary characters.
                    let end = find(d, &line[i..]).map_or(line.len(), |k| i + k);
                    self.out.extend_from_slice(&line[i..end]);
                    self.ends.push(self.out.len());
                    if end == line.len() {
                        return State::FieldStart;
                    }
                    i = end + 1;
                    continue;
                }
            }
            // In a quoted field.
            match find(b'"', &line[i..]).map(|k| i + k) {
                None => {
                    self.out.extend_from_slice(&line[i..]);
                    return State::Quoted;
                }
                Some(q) if line.get(q + 1) == Some(&b'"') => {
                    self.out.extend_from_slice(&line[i..=q]);
                    i = q + 2;
                }
                Some(q) => {
                    self.out.extend_from_slice(&line[i..q]);
                    // Text after the closing quote is kept, up to the
                    // delimiter (almost always the very next byte).
                    let end = match line.get(q + 1) {
                        None => line.len(),
                        Some(&b) if b == d => q + 1,
                        Some(_) => {
                            memchr::memchr(d, &line[q + 1..]).map_or(line.len(), |k| q + 1 + k)
                        }
                    };
                    if end > q + 1 && self.stray_quote.is_none() {
                        self.stray_quote = Some(self.ends.len() + 1);
                    }
                    self.out.extend_from_slice(&line[q + 1..end]);
                    self.ends.push(self.out.len());
                    state = State::FieldStart;
                    if end == line.len() {
                        return State::FieldStart;
                    }
                    i = end + 1;
                }
            }
        }
    }

    /// Splits on the delimiter only, quotes as characters.
    fn split_literal(&mut self, line: &[u8]) {
        let mut from = 0;
        while let Some(k) = find(self.delimiter, &line[from..]) {
            self.out.extend_from_slice(&line[from..from + k]);
            self.ends.push(self.out.len());
            from += k + 1;
        }
        self.out.extend_from_slice(&line[from..]);
        self.ends.push(self.out.len());
    }

    /// Makes the row's text: UTF-8 as it is, anything else read as
    /// Windows-1252 field by field (every delimiter is ASCII in both, so
    /// the fields stay where they were).
    fn finish(&mut self) {
        let bytes = std::mem::take(&mut self.out);
        match String::from_utf8(bytes) {
            Ok(s) => self.text = s,
            Err(e) => {
                let bytes = e.into_bytes();
                let mut text = String::with_capacity(bytes.len() + 16);
                let mut start = 0;
                for end in self.ends.iter_mut() {
                    let (field, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes[start..*end]);
                    start = *end;
                    text.push_str(&field);
                    *end = text.len();
                }
                self.text = text;
                self.out = bytes;
                self.not_utf8 = true;
            }
        }
    }
}

/// Where `b` first is in `hay`. Register fields are short (half are under
/// ten bytes), so the first bytes are looked at one by one before handing a
/// long field to `memchr`, whose set-up costs more than a short look.
#[inline]
fn find(b: u8, hay: &[u8]) -> Option<usize> {
    const SHORT: usize = 16;
    let n = hay.len().min(SHORT);
    if let Some(k) = hay[..n].iter().position(|&c| c == b) {
        return Some(k);
    }
    if hay.len() > SHORT {
        memchr::memchr(b, &hay[SHORT..]).map(|k| k + SHORT)
    } else {
        None
    }
}

/// Splits a first line into trimmed fields: quoted for a comma, literal for
/// a tab. For recognising a header before the reading starts.
pub fn first_fields(line: &[u8]) -> (u8, Vec<String>) {
    let delimiter = if memchr::memchr(b'\t', line).is_some() {
        b'\t'
    } else {
        b','
    };
    let mut s = Splitter::new(io::Cursor::new(line), delimiter, delimiter == b',');
    let mut fields = Vec::new();
    if let Ok(Some(Next::Row)) = s.next_row(None) {
        fields = (0..s.len())
            .map(|i| s.field(i).trim().to_string())
            .collect();
    }
    (delimiter, fields)
}

/// Reads the first line of `src` (at most [`MAX_LINE_BYTES`]) to recognise
/// the layout: the line without byte order mark or line ending, and the
/// bytes it took. Hand it back with [`Splitter::unread`].
pub fn read_first_line(src: &mut impl BufRead) -> io::Result<(Vec<u8>, u64)> {
    let mut line = Vec::new();
    let mut bytes = 0u64;
    loop {
        let buf = match src.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        let (piece, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let n = piece.len();
        if line.len() < MAX_LINE_BYTES {
            line.extend_from_slice(piece);
        }
        src.consume(n);
        bytes += n as u64;
        if done {
            break;
        }
    }
    if line.starts_with(b"\xEF\xBB\xBF") {
        line.drain(..3);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok((line, bytes))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever a CSV writer quotes (commas, quotes, line breaks inside
        /// values), the splitter reads back as the csv crate does.
        #[test]
        fn quoted_rows_read_as_the_csv_crate_reads_them(
            rows in prop::collection::vec(
                prop::collection::vec("[a ,\"\n]{0,6}", 1..5),
                1..8,
            )
        ) {
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            for r in &rows {
                w.write_record(r).unwrap();
            }
            let text = w.into_inner().unwrap();
            let oracle: Vec<Vec<String>> = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&text[..])
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            let mut s = Splitter::new(io::Cursor::new(&text[..]), b',', true);
            let mut ours = Vec::new();
            while let Some(next) = s.next_row(None).unwrap() {
                prop_assert!(matches!(next, Next::Row));
                ours.push((0..s.len()).map(|i| s.field(i).to_string()).collect::<Vec<_>>());
            }
            prop_assert_eq!(ours, oracle);
        }

        /// Tab-separated rows come back field for field, quotes and all.
        #[test]
        fn literal_rows_come_back_as_written(
            rows in prop::collection::vec(prop::collection::vec("[a ,\"]{0,6}", 3), 1..8)
        ) {
            let text: String = rows.iter().map(|r| r.join("\t") + "\n").collect();
            let mut s = Splitter::new(io::Cursor::new(text.as_bytes()), b'\t', false);
            let mut ours = Vec::new();
            while let Some(next) = s.next_row(Some(3)).unwrap() {
                prop_assert!(matches!(next, Next::Row));
                ours.push((0..s.len()).map(|i| s.field(i).to_string()).collect::<Vec<_>>());
            }
            prop_assert_eq!(ours, rows);
        }
    }

    fn rows(
        text: &str,
        delimiter: u8,
        quoted: bool,
        expected: Option<usize>,
    ) -> Vec<Result<Vec<String>, RowProblem>> {
        let mut s = Splitter::new(io::Cursor::new(text.as_bytes()), delimiter, quoted);
        let mut out = Vec::new();
        while let Some(next) = s.next_row(expected).unwrap() {
            out.push(match next {
                Next::Row => Ok((0..s.len()).map(|i| s.field(i).to_string()).collect()),
                Next::Problem(p) => Err(p),
            });
        }
        out
    }

    fn ok(fields: &[&str]) -> Result<Vec<String>, RowProblem> {
        Ok(fields.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn quoted_fields_keep_commas_doubled_quotes_and_line_breaks() {
        let text = "a,b,c\r\n\"\"\"1ST RATE\"\" LTD\",\"x, y\",z\n\"two\nlines\",2,3\n\n4,5,6";
        assert_eq!(
            rows(text, b',', true, Some(3)),
            vec![
                ok(&["a", "b", "c"]),
                ok(&["\"1ST RATE\" LTD", "x, y", "z"]),
                ok(&["two\nlines", "2", "3"]),
                ok(&["4", "5", "6"]),
            ]
        );
    }

    #[test]
    fn literal_fields_keep_quotes_as_written() {
        let text = "\"B\" COOL LIMITED\t05318740\n\"LUXURA HOMES LTD\t123\n";
        assert_eq!(
            rows(text, b'\t', false, Some(2)),
            vec![
                ok(&["\"B\" COOL LIMITED", "05318740"]),
                ok(&["\"LUXURA HOMES LTD", "123"])
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_that_fits_as_text_is_read_with_a_note() {
        let text = "n,num\n\"LUXURA HOMES LTD,1\nB LTD,2\n";
        let mut s = Splitter::new(io::Cursor::new(text.as_bytes()), b',', true);
        assert!(matches!(s.next_row(Some(2)).unwrap(), Some(Next::Row)));
        assert!(matches!(s.next_row(Some(2)).unwrap(), Some(Next::Row)));
        assert_eq!(
            (s.field(0), s.field(1), s.line()),
            ("\"LUXURA HOMES LTD", "1", 2)
        );
        assert_eq!(s.quote_as_text(), Some(QuoteAsText { column: 1 }));
        assert!(matches!(s.next_row(Some(2)).unwrap(), Some(Next::Row)));
        assert_eq!((s.field(0), s.line()), ("B LTD", 3));
        assert_eq!(s.quote_as_text(), None);
        assert!(s.next_row(Some(2)).unwrap().is_none());
    }

    #[test]
    fn an_unclosed_quote_that_does_not_fit_refuses_only_its_line() {
        let text = "n,num\nA,\"x,y\n\"B\",2\nC,3\n";
        assert_eq!(
            rows(text, b',', true, Some(2)),
            vec![
                ok(&["n", "num"]),
                Err(RowProblem::QuoteNotClosed { line: 2, column: 2 }),
                ok(&["B", "2"]),
                ok(&["C", "3"]),
            ]
        );
    }

    #[test]
    fn a_tab_separated_field_with_a_line_break_is_joined_only_when_it_fits() {
        let text = "a\tb\tc\nx\tfirst\nsecond\tz\np\tq\n1\t2\t3\n";
        assert_eq!(
            rows(text, b'\t', false, Some(3)),
            vec![
                ok(&["a", "b", "c"]),
                ok(&["x", "first\nsecond", "z"]),
                Err(RowProblem::FieldCount {
                    line: 4,
                    found: 2,
                    expected: 3
                }),
                ok(&["1", "2", "3"]),
            ]
        );
    }

    #[test]
    fn a_row_with_too_many_fields_is_refused_with_its_line() {
        let text = "a,b\n1,2,3\n4,5\n";
        assert_eq!(
            rows(text, b',', true, Some(2)),
            vec![
                ok(&["a", "b"]),
                Err(RowProblem::FieldCount {
                    line: 2,
                    found: 3,
                    expected: 2
                }),
                ok(&["4", "5"]),
            ]
        );
    }

    #[test]
    fn windows_1252_rows_are_decoded_field_by_field() {
        let text = b"caf\xe9,\xa32\nx,y\n";
        let mut s = Splitter::new(io::Cursor::new(&text[..]), b',', true);
        assert!(matches!(s.next_row(None).unwrap(), Some(Next::Row)));
        assert_eq!((s.field(0), s.field(1), s.not_utf8()), ("café", "£2", true));
        assert!(matches!(s.next_row(Some(2)).unwrap(), Some(Next::Row)));
        assert_eq!((s.field(0), s.field(1), s.not_utf8()), ("x", "y", false));
    }

    #[test]
    fn a_line_too_long_is_skipped_and_named() {
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let text = format!("a,b\n{long},1\n2,3\n");
        assert_eq!(
            rows(&text, b',', true, Some(2)),
            vec![
                ok(&["a", "b"]),
                Err(RowProblem::TooLong { line: 2 }),
                ok(&["2", "3"]),
            ]
        );
    }

    #[test]
    fn a_line_too_long_after_an_open_quote_or_a_short_row_is_still_named() {
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let text = format!("a,b\n\"open,1\n{long}\n2,3\n");
        assert_eq!(
            rows(&text, b',', true, Some(2)),
            vec![
                ok(&["a", "b"]),
                ok(&["\"open", "1"]),
                Err(RowProblem::TooLong { line: 3 }),
                ok(&["2", "3"]),
            ]
        );
        let text = format!("a\tb\nshort\n{long}\n2\t3\n");
        assert_eq!(
            rows(&text, b'\t', false, Some(2)),
            vec![
                ok(&["a", "b"]),
                Err(RowProblem::FieldCount {
                    line: 2,
                    found: 1,
                    expected: 2
                }),
                Err(RowProblem::TooLong { line: 3 }),
                ok(&["2", "3"]),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        assert_eq!(
            rows("\u{feff}a,b\n", b',', true, None),
            vec![ok(&["a", "b"])]
        );
    }
}
