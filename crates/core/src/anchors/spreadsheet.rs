//! Spend files published as Excel workbooks (.xls or .xlsx), such as
//! Birmingham's purchase-card files and NHS trusts' monthly returns: the
//! sheet with the most rows becomes CSV text for the same reader. Dates
//! Excel holds as dates (and day numbers under a header saying "date")
//! are written `2020-04-30`, which no order of day and month can misread;
//! dates typed as text (`22/07/2020`) are left as typed, for the reader to
//! judge with the file's other dates.

use std::io::Cursor;

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use time::{Date, Duration, Month};

use crate::i18n::Message;

/// Whether the bytes are an Excel workbook: the OLE2 header of .xls or the
/// zip header of .xlsx.
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        || bytes.starts_with(b"PK\x03\x04")
}

/// An Excel serial day (days since 1899-12-30) as a date.
pub fn excel_day(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    base.checked_add(Duration::days(serial.floor() as i64))
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// Rows looked at for the header that says which columns hold dates.
const HEADER_ROWS: usize = 100;

/// Columns whose numbers are Excel day numbers: those whose nearest text
/// above their first number says "date" (a banner higher up does not count).
fn date_columns(range: &Range<Data>) -> Vec<bool> {
    let width = range.width();
    let mut said_date: Vec<Option<bool>> = vec![None; width];
    let mut decided: Vec<Option<bool>> = vec![None; width];
    for row in range.rows().take(HEADER_ROWS) {
        for (i, c) in row.iter().enumerate() {
            if decided[i].is_some() {
                continue;
            }
            match c {
                Data::String(s) if !s.trim().is_empty() => {
                    said_date[i] = Some(s.to_lowercase().contains("date"));
                }
                Data::Float(_) | Data::Int(_) => decided[i] = Some(said_date[i] == Some(true)),
                _ => {}
            }
        }
    }
    decided
        .iter()
        .zip(&said_date)
        .map(|(d, s)| d.unwrap_or(*s == Some(true)))
        .collect()
}

/// One cell as the CSV reader reads it.
fn cell_text(c: &Data, is_date: bool) -> String {
    match c {
        Data::Empty => String::new(),
        // A time of day alone is no date.
        Data::DateTime(d) if d.is_datetime() && d.as_f64() < 1.0 => String::new(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => format!("{}", d.as_f64()),
        // `2020-04-30T00:00:00`: the reader drops the time.
        Data::DateTimeIso(s) => s.clone(),
        Data::Float(f) if is_date => excel_day(*f).map(iso).unwrap_or_else(|| f.to_string()),
        Data::Int(n) if is_date => excel_day(*n as f64)
            .map(iso)
            .unwrap_or_else(|| n.to_string()),
        Data::Float(f) => format!("{f}"),
        Data::Int(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// The most a workbook may unpack to. A year of a large trust's spend is
/// about 40 MB of sheet XML; a 3 MB file that unpacks to gigabytes is a
/// zip bomb, refused before any of it is unpacked.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// The most cells the chosen sheet may span (rows × columns): a million
/// lines of twenty columns. The sheet is held whole while it is read, so
/// two cells a million rows and sixteen thousand columns apart must not
/// make it billions of cells.
pub const MAX_CELLS: u64 = 20_000_000;

/// What an .xlsx says it unpacks to, from its zip directory, without
/// unpacking anything; `None` for an .xls (not compressed: its size is
/// the upload's) or a file that is no zip.
pub fn unpacked_size(bytes: &[u8]) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        // The central directory's size, which a data descriptor does not hide.
        total = total.saturating_add(zip.by_index_raw(i).ok()?.size());
    }
    Some(total)
}

/// Whether every sector chain of an .xls (a compound file) comes to an
/// end. calamine follows a chain until its end mark, so a damaged sector
/// table whose chain loops makes it copy the same sectors for ever: a 5 KB
/// file found by fuzzing made it ask for gigabytes. Read from the file's
/// own tables before calamine sees it, as calamine would read them; `true`
/// for anything that is no compound file (calamine refuses that itself).
pub fn xls_sector_chains_end(bytes: &[u8]) -> bool {
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    let u32_at = |b: &[u8], at: usize| {
        b.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    if bytes.len() < 512 || !is_spreadsheet(bytes) || bytes.starts_with(b"PK") {
        return true;
    }
    let size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return true,
    };
    // Sector `id` follows the header; calamine reads none past this one.
    let last = bytes.len() / size;
    let sector = |id: u32| -> Option<&[u8]> {
        if id as usize > last {
            return None;
        }
        let start = (id as usize + 1) * size;
        bytes.get(start.min(bytes.len())..(start + size).min(bytes.len()))
    };
    let words =
        |s: &[u8]| -> Vec<u32> { (0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)).collect() };
    // Where the sector table is: 109 places in the header, then a chain.
    let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 76 + 4 * i)).collect();
    let mut id = u32_at(bytes, 68).unwrap_or(RESERVED);
    let mut steps = 0;
    while id < RESERVED {
        steps += 1;
        let Some(s) = sector(id).filter(|_| steps <= last + 1) else {
            return false;
        };
        difat.extend(words(s));
        let Some(next) = difat.pop() else {
            return false;
        };
        id = next;
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        let Some(s) = sector(id) else {
            return false;
        };
        fat.extend(words(s));
    }
    // Every entry's chain ends (at a mark or outside the table) without
    // coming back to a sector it passed: 0 not yet walked, 1 on the walk
    // under way, 2 known to end.
    let mut state = vec![0u8; fat.len()];
    let mut walk = Vec::new();
    for start in 0..fat.len() {
        let mut at = start;
        while at < fat.len() && state[at] == 0 {
            state[at] = 1;
            walk.push(at);
            at = fat[at] as usize;
        }
        if at < fat.len() && state[at] == 1 {
            return false;
        }
        for i in walk.drain(..) {
            state[i] = 2;
        }
    }
    true
}

/// Whether every sheet's stated size (its DIMENSIONS record) is within
/// [`MAX_CELLS`]. calamine sets aside room for a sheet's stated cells
/// before reading one, so a 5 KB damaged .xls (found by fuzzing) stating
/// billions of cells made it ask for hundreds of gigabytes, which ends the
/// process rather than failing. This reads the workbook stream as calamine
/// 0.38 does ([`CompoundFile`]: its sectors, sector table, directory and
/// mini stream, reading on from where the last read ended), finds each
/// sheet from its BOUNDSHEET record and walks the sheet's records as
/// calamine walks them, nested substreams skipped. Where calamine would
/// fail or panic first (caught by [`to_csv`]), so does this, answering
/// `true`: calamine never reaches a reserve there. Records calamine might
/// refuse before a later DIMENSIONS are walked past, so this errs towards
/// refusing. `true` for anything that is no compound file.
pub fn xls_dimensions_fit(bytes: &[u8]) -> bool {
    if bytes.len() < 512 || !is_spreadsheet(bytes) || bytes.starts_with(b"PK") {
        return true;
    }
    let Some(stream) = CompoundFile::workbook_stream(bytes) else {
        return true;
    };
    let u16_at = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]) as u32;
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    // The workbook's globals, up to their EOF: where each sheet starts.
    let mut sheets = Vec::new();
    for (typ, data) in xls_records(&stream) {
        match typ {
            0x0085 if data.len() >= 4 => sheets.push(u32_at(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
    }
    for pos in sheets {
        let Some(sheet) = stream.get(pos..) else {
            return true; // calamine slices past the end: a panic it survives.
        };
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (typ, r) in xls_records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    let (rf, rl, cf, cl) = match r.len() {
                        10 => (u16_at(r, 0), u16_at(r, 2), u16_at(r, 4), u16_at(r, 6)),
                        14 | 16 => (u32_at(r, 0), u32_at(r, 4), u16_at(r, 8), u16_at(r, 10)),
                        // calamine refuses the workbook here.
                        _ => return true,
                    };
                    // calamine's arithmetic (parse_dimensions and the
                    // reserve after it), wrapping as a release build does.
                    let cf = if 0xFF < cf || cl < cf { 0 } else { cf };
                    let (start, end) = if 1 <= rl && 1 <= cl {
                        ((rf, cf), (rl - 1, cl - 1))
                    } else {
                        ((rf, cf), (rf, cf))
                    };
                    let rows = end.0.wrapping_sub(start.0).wrapping_add(1) as u64;
                    let cols = end.1.wrapping_sub(start.1).wrapping_add(1) as u64;
                    if rows.saturating_mul(cols) > MAX_CELLS {
                        return false;
                    }
                }
                _ => {}
            }
        }
    }
    true
}

/// A BIFF stream's records (type, data) as calamine's `RecordIter` gives
/// them: CONTINUE records folded into the one before, ending at the first
/// record that runs past the stream (calamine's error).
fn xls_records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if stream.len() < 4 {
            return None;
        }
        let typ = u16::from_le_bytes([stream[0], stream[1]]);
        let len = u16::from_le_bytes([stream[2], stream[3]]) as usize;
        if stream.len() < len + 4 {
            return None;
        }
        let (record, mut next) = stream.split_at(len + 4);
        if next.len() > 4 && u16::from_le_bytes([next[0], next[1]]) == 0x003C {
            while next.len() > 4 && u16::from_le_bytes([next[0], next[1]]) == 0x003C {
                let len = u16::from_le_bytes([next[2], next[3]]) as usize;
                if next.len() < len + 4 {
                    return None;
                }
                next = &next[len + 4..];
            }
        }
        stream = next;
        Some((typ, &record[4..]))
    })
}

/// calamine 0.38's compound-file reading (cfb.rs), step for step, over the
/// file's bytes: one reader moving on through the file, a sector store
/// filled as far as the furthest sector asked for, the mini stream's store
/// reading on from the same reader when asked past its end. `None` where
/// calamine fails or panics.
struct CompoundFile<'a> {
    file: &'a [u8],
    /// The reader's position in `file`.
    pos: usize,
}

/// Sectors read so far (calamine's `Sectors`).
struct SectorStore {
    data: Vec<u8>,
    size: usize,
    maxid: u32,
}

impl CompoundFile<'_> {
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

    fn read(&mut self, into: &mut [u8]) -> usize {
        let n = into.len().min(self.file.len() - self.pos);
        into[..n].copy_from_slice(&self.file[self.pos..self.pos + n]);
        self.pos += n;
        n
    }

    fn get<'s>(&mut self, s: &'s mut SectorStore, id: u32) -> Option<&'s [u8]> {
        if s.maxid < id {
            return None;
        }
        let start = id as usize * s.size;
        let end = start + s.size;
        if end > s.data.len() {
            let mut len = s.data.len();
            s.data.resize(end, 0);
            while len < end {
                let read = self.read(&mut s.data[len..end]);
                if read == 0 {
                    return s.data.get(start..len);
                }
                len += read;
            }
        }
        Some(&s.data[start..end])
    }

    fn chain(
        &mut self,
        s: &mut SectorStore,
        mut id: u32,
        fats: &[u32],
        len: usize,
    ) -> Option<Vec<u8>> {
        let mut chain = Vec::new();
        // The sector table's chains were checked to end
        // (`xls_sector_chains_end`) and a mini stream's chain stops at its
        // length; sectors read empty past the end of the file would keep
        // calamine going round for ever, and this stops instead.
        let mut steps = 0usize;
        while id != Self::END_OF_CHAIN {
            steps += 1;
            if steps > 1 << 24 {
                return None;
            }
            let sector = self.get(s, id)?;
            let take = sector.len().min(len - chain.len());
            chain.extend_from_slice(&sector[..take]);
            if chain.len() >= len {
                break;
            }
            id = *fats.get(id as usize)?;
        }
        Some(chain)
    }

    /// The "Workbook" (or "Book") stream, as calamine reads it.
    fn workbook_stream(file: &[u8]) -> Option<Vec<u8>> {
        let u16_at = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
        let u32_at =
            |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        let words = |b: &[u8]| -> Vec<u32> { b.chunks_exact(4).map(|w| u32_at(w, 0)).collect() };
        let header = file.get(..512)?;
        let version = u16_at(header, 26);
        let size = match u16_at(header, 30) {
            0x0009 => 512,
            0x000C if file.len() >= 4096 => 4096,
            _ => return None,
        };
        if u16_at(header, 32) != 0x0006 {
            return None;
        }
        let dir_start = u32_at(header, 48);
        let mini_fat_start = u32_at(header, 60);
        let mini_fat_len = u32_at(header, 64) as usize;
        let difat_start = u32_at(header, 68);
        let mut difat = words(&header[76..512]);
        let mut cf = CompoundFile { file, pos: size };
        let maxid = file.len() / size;
        let mut sectors = SectorStore {
            data: Vec::new(),
            size,
            maxid: maxid as u32,
        };
        let mut id = difat_start;
        let mut steps = 0usize;
        while id < Self::RESERVED {
            steps += 1;
            if steps > maxid.saturating_add(1) {
                return None;
            }
            difat.extend(words(cf.get(&mut sectors, id)?));
            id = difat.pop()?;
        }
        let mut fats = Vec::new();
        for id in difat.into_iter().filter(|id| *id < Self::DIFSECT) {
            fats.extend(words(cf.get(&mut sectors, id)?));
        }
        let dirs = cf.chain(&mut sectors, dir_start, &fats, usize::MAX)?;
        // Name, start sector and length of each 128-byte entry.
        let dirs: Vec<(String, u32, usize)> = dirs
            .chunks_exact(128)
            .map(|c| {
                let mut name = encoding_rs::UTF_16LE.decode(&c[..64]).0.into_owned();
                if let Some(l) = name.as_bytes().iter().position(|b| *b == 0) {
                    name.truncate(l);
                }
                let len = if size == 512 {
                    u32_at(c, 116 + 4) as usize
                } else {
                    u64::from_le_bytes(c[120..128].try_into().expect("8 bytes")) as usize
                };
                (name, u32_at(c, 116), len)
            })
            .collect();
        if dirs.is_empty() || (version != 3 && dirs[0].1 == Self::END_OF_CHAIN) {
            return None;
        }
        let (mini_fats, ministream) = if mini_fat_len > 0 {
            let ministream = cf.chain(&mut sectors, dirs[0].1, &fats, dirs[0].2)?;
            let minifat = cf.chain(
                &mut sectors,
                mini_fat_start,
                &fats,
                mini_fat_len.checked_mul(size)?,
            )?;
            (words(&minifat), ministream)
        } else {
            (Vec::new(), Vec::new())
        };
        let mut minis = SectorStore {
            data: ministream,
            size: 64,
            maxid: (maxid * 8) as u32,
        };
        let named = |n: &str| {
            dirs.iter()
                .find(|d| d.0.as_bytes().eq_ignore_ascii_case(n.as_bytes()))
        };
        let (_, start, len) = named("Workbook").or_else(|| named("Book"))?.clone();
        if len < 4096 {
            cf.chain(&mut minis, start, &mini_fats, len)
        } else {
            cf.chain(&mut sectors, start, &fats, len)
        }
    }
}

/// The sheet with the most rows (a workbook may carry empty or notes
/// sheets beside its data), as CSV text.
pub fn to_csv(bytes: &[u8]) -> Result<String, Message> {
    to_csv_within(bytes, MAX_UNPACKED_BYTES)
}

/// A workbook that cannot be read, in one plain sentence: the library's
/// own words ("Cannot detect file format") mean nothing to the person who
/// sent it.
fn damaged() -> Message {
    Message::new("anchors.spend.spreadsheet_damaged")
}

/// Bytes with a workbook's first bytes that no workbook reader opens: a
/// zip archive or another Office document with a workbook's name.
fn not_a_workbook(bytes: &[u8]) -> Message {
    let kind = if bytes.starts_with(b"PK") {
        "import.file.kind.zip"
    } else {
        "import.file.kind.office"
    };
    Message::new("anchors.spend.spreadsheet_not_workbook").arg("kind", crate::i18n::t(kind))
}

fn to_csv_within(bytes: &[u8], max_unpacked: u64) -> Result<String, Message> {
    let unreadable = |_: String| damaged();
    if unpacked_size(bytes).is_some_and(|n| n > max_unpacked) {
        return Err(Message::new("anchors.spend.spreadsheet_too_big"));
    }
    if !xls_sector_chains_end(bytes) {
        return Err(damaged());
    }
    if !xls_dimensions_fit(bytes) {
        return Err(Message::new("anchors.spend.spreadsheet_too_big"));
    }
    // calamine panics on some damaged workbooks (a sector table pointing
    // past the end of an .xls, found by fuzzing): that is a damaged file to
    // report, not a crash of the import that reads it.
    let range =
        std::panic::catch_unwind(|| fullest_sheet(bytes)).unwrap_or_else(|_| Err(damaged()))?;
    let is_date = date_columns(&range);
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let fields: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| cell_text(c, is_date.get(i).copied().unwrap_or(false)))
            .collect();
        w.write_record(&fields)
            .map_err(|e| unreadable(e.to_string()))?;
    }
    let out = w.into_inner().map_err(|e| unreadable(e.to_string()))?;
    String::from_utf8(out).map_err(|e| unreadable(e.to_string()))
}

/// The sheet with the most filled rows, held whole, or why there is none.
fn fullest_sheet(bytes: &[u8]) -> Result<Range<Data>, Message> {
    let unreadable = |_: String| damaged();
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|_| not_a_workbook(bytes))?;
    let names = book.sheet_names().to_vec();
    let mut best: Option<Range<Data>> = None;
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| unreadable(e.to_string()))?;
        let (rows, columns) = range.get_size();
        if (rows as u64).saturating_mul(columns as u64) > MAX_CELLS {
            return Err(Message::new("anchors.spend.spreadsheet_too_big"));
        }
        let filled = |r: &Range<Data>| {
            r.rows()
                .filter(|row| row.iter().any(|c| *c != Data::Empty))
                .count()
        };
        if !range.is_empty() && best.as_ref().is_none_or(|b| filled(&range) > filled(b)) {
            best = Some(range);
        }
    }
    best.ok_or_else(|| Message::new("anchors.spend.spreadsheet_empty"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Damaged .xls files on which calamine panics (found by fuzzing, kept
    /// in fuzz/regressions/) are unreadable workbooks, not a crash.
    #[test]
    fn a_damaged_workbook_is_unreadable_not_a_crash() {
        for bytes in [
            &include_bytes!("../../../../fuzz/regressions/workbook_reader/xls-sector-past-end")[..],
            &include_bytes!("../../../../fuzz/regressions/workbook_reader/xls-bad-length")[..],
        ] {
            let refused = to_csv(bytes).unwrap_err();
            assert_eq!(refused.key, "anchors.spend.spreadsheet_damaged");
        }
    }

    /// A 5 KB damaged .xls whose sector table loops (found by fuzzing;
    /// calamine asked for over 3 GB following it) is refused from its own
    /// tables before calamine reads it; sound workbooks are not.
    #[test]
    fn a_zip_that_is_no_workbook_is_said_as_that_not_in_the_librarys_words() {
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x81\x58\xa0\x81\x3c\xea\x13\x00\x00\x00\x13\x00\x00\x00\x09\x00\x00\x00notes.txtpayments for April\nPK\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00\x00\x00\x81\x58\xa0\x81\x3c\xea\x13\x00\x00\x00\x13\x00\x00\x00\x09\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00\x00\x00notes.txtPK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x37\x00\x00\x00\x3a\x00\x00\x00\x00\x00";
        let refused = to_csv(zip).unwrap_err();
        assert_eq!(refused.key, "anchors.spend.spreadsheet_not_workbook");
        let text = refused.text();
        assert!(
            text.contains("ZIP archive") && !text.contains("detect"),
            "{text}"
        );
    }

    #[test]
    fn a_workbook_whose_sector_chain_loops_is_refused_unread() {
        let bytes = include_bytes!("../../../../fuzz/regressions/workbook_reader/xls-oom-3gb");
        // Checked first, so a regression fails here rather than allocating.
        assert!(!xls_sector_chains_end(bytes));
        let refused = to_csv(bytes).unwrap_err();
        assert_eq!(refused.key, "anchors.spend.spreadsheet_damaged");
        assert!(xls_sector_chains_end(include_bytes!(
            "../../../../fuzz/seeds/tiny.xls"
        )));
        assert!(xls_sector_chains_end(b"Date,Supplier,Amount\n"));
    }

    /// A small file that says it unpacks past the bound is refused before
    /// it is unpacked; an ordinary workbook is not.
    /// A 5 KB damaged .xls whose sheet states two billion rows (found by
    /// fuzzing): refused before calamine sets aside room for them.
    #[test]
    fn a_workbook_stating_billions_of_cells_is_refused_unread() {
        let bytes =
            &include_bytes!("../../../../fuzz/regressions/workbook_reader/xls-dimensions-billions")
                [..];
        assert!(!xls_dimensions_fit(bytes));
        assert_eq!(
            to_csv(bytes).unwrap_err().key,
            "anchors.spend.spreadsheet_too_big"
        );
        // The next one fuzzing found: a DIMENSIONS record with its reserved
        // field set (calamine does not look at it) stating 46 billion cells.
        let bytes = &include_bytes!(
            "../../../../fuzz/regressions/workbook_reader/xls-dimensions-reserved-field"
        )[..];
        assert!(!xls_dimensions_fit(bytes));
        assert_eq!(
            to_csv(bytes).unwrap_err().key,
            "anchors.spend.spreadsheet_too_big"
        );
        // Real workbooks and text pass: the records are read from the
        // workbook stream, so bytes that only look like a record in the
        // raw file (four of these five have some) refuse nothing.
        assert!(xls_dimensions_fit(include_bytes!(
            "../../../../fuzz/seeds/tiny.xls"
        )));
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/test/spend/council_birmingham_city_pcard"
        );
        let mut real = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().ends_with(".xls.gz") {
                continue;
            }
            let mut xls = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()),
                &mut xls,
            )
            .unwrap();
            assert!(xls_dimensions_fit(&xls), "{path:?}");
            assert!(CompoundFile::workbook_stream(&xls).is_some_and(|s| s.len() > 4096));
            real += 1;
        }
        assert_eq!(real, 4);
        assert!(xls_dimensions_fit(b"Date,Supplier,Amount\n"));
    }

    #[test]
    fn a_workbook_that_unpacks_too_far_is_refused() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        w.write_all(&vec![b' '; 3 * 1024 * 1024]).unwrap();
        let bomb = w.finish().unwrap().into_inner();
        assert!(bomb.len() < 20 * 1024, "{} bytes", bomb.len());
        assert_eq!(unpacked_size(&bomb), Some(3 * 1024 * 1024));
        let e = to_csv_within(&bomb, 2 * 1024 * 1024).unwrap_err();
        assert_eq!(e.key, "anchors.spend.spreadsheet_too_big");
        assert_eq!(unpacked_size(b"Date,Supplier,Amount\n"), None);
    }

    #[test]
    fn excel_days_are_dates() {
        assert_eq!(excel_day(43103.0), Some(date!(2018 - 01 - 03)));
        assert_eq!(excel_day(43103.75), Some(date!(2018 - 01 - 03)));
        assert_eq!(excel_day(-1.0), None);
        assert!(is_spreadsheet(&[
            0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0
        ]));
        assert!(!is_spreadsheet(b"Date,Supplier,Amount\n"));
    }

    /// A day number is a date under a header saying so, not under a
    /// banner higher up; Excel's own dates are written year first.
    #[test]
    fn day_numbers_are_dates_under_a_date_header_only() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let mut r: Range<Data> = Range::new((0, 0), (3, 3));
        r.set_value((0, 0), Data::String("Payments to date".into()));
        r.set_value((1, 0), Data::String("Payment Number".into()));
        r.set_value((1, 1), Data::String("Invoice Date".into()));
        r.set_value((1, 2), Data::String("Amount".into()));
        r.set_value((1, 3), Data::String("Posted".into()));
        r.set_value((2, 0), Data::Float(44167.0));
        r.set_value((2, 1), Data::Float(44167.0));
        r.set_value((2, 2), Data::Float(44167.0));
        r.set_value(
            (2, 3),
            Data::DateTime(ExcelDateTime::new(
                44196.5,
                ExcelDateTimeType::DateTime,
                false,
            )),
        );
        r.set_value((3, 1), Data::Int(44168));
        assert_eq!(date_columns(&r), [false, true, false, false]);
        let is_date = date_columns(&r);
        let row: Vec<String> = r
            .rows()
            .nth(2)
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, c)| cell_text(c, is_date[i]))
            .collect();
        assert_eq!(row, ["44167", "2020-12-02", "44167", "2020-12-31"]);
        assert_eq!(cell_text(&Data::Int(44168), true), "2020-12-03");
        assert_eq!(cell_text(&Data::Float(1234.5), false), "1234.5");
    }
}
