//! A small PDF writer: A4 pages of text in the two standard Helvetica
//! faces (every PDF reader has them, so nothing is embedded), lines and
//! filled rectangles. Written here rather than taken from a crate because
//! the report needs only these few operators, and because its content
//! streams are left uncompressed so the figures in a report can be read
//! back from the file (by a test, by `grep`, by a screen reader's text
//! extraction) without an inflater.

use std::fmt::Write as _;
use std::io::Write as _;

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;

/// Regular or bold Helvetica.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// An RGB colour, each channel 0–255.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(11, 12, 12);
    pub const GREY: Rgb = Rgb(80, 90, 95);
    pub const LIGHT: Rgb = Rgb(177, 180, 182);
    pub const BLUE: Rgb = Rgb(29, 112, 184);

    fn ops(self) -> String {
        let c = |v: u8| f32::from(v) / 255.0;
        format!("{:.3} {:.3} {:.3}", c(self.0), c(self.1), c(self.2))
    }
}

/// One page's drawing operators, y measured from the top.
#[derive(Default)]
pub struct Page {
    ops: Vec<u8>,
}

impl Page {
    /// Text with its baseline at `y` from the top of the page.
    pub fn text(&mut self, x: f32, y: f32, size: f32, face: Face, colour: Rgb, s: &str) {
        let font = match face {
            Face::Regular => "F1",
            Face::Bold => "F2",
        };
        let _ = write!(
            self.ops,
            "BT {} rg /{font} {size:.1} Tf {x:.2} {:.2} Td (",
            colour.ops(),
            PAGE_HEIGHT - y,
        );
        self.ops.extend_from_slice(&escape(s));
        self.ops.extend_from_slice(b") Tj ET\n");
    }

    /// A filled rectangle, its top-left corner at (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Rgb) {
        let _ = writeln!(
            self.ops,
            "{} rg {x:.2} {:.2} {w:.2} {h:.2} re f",
            colour.ops(),
            PAGE_HEIGHT - y - h
        );
    }

    /// A straight line.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, colour: Rgb) {
        let _ = writeln!(
            self.ops,
            "{} RG {width:.2} w {x1:.2} {:.2} m {x2:.2} {:.2} l S",
            colour.ops(),
            PAGE_HEIGHT - y1,
            PAGE_HEIGHT - y2
        );
    }
}

/// A document being written: its title (for the reader's window) and pages.
pub struct Document {
    pub title: String,
    pub pages: Vec<Page>,
}

impl Document {
    pub fn new(title: &str) -> Document {
        Document {
            title: title.to_string(),
            pages: Vec::new(),
        }
    }

    /// The finished file.
    pub fn finish(&self) -> Vec<u8> {
        let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets: Vec<usize> = Vec::new();
        let mut object = |out: &mut Vec<u8>, body: &[u8]| {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        };
        let n = self.pages.len().max(1);
        // 1 catalogue, 2 pages, 3 and 4 fonts, 5 info, then page and content pairs.
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
        object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
        object(
            &mut out,
            format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).as_bytes(),
        );
        for base in ["Helvetica", "Helvetica-Bold"] {
            object(
                &mut out,
                format!(
                    "<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
                )
                .as_bytes(),
            );
        }
        let mut info = b"<< /Title (".to_vec();
        info.extend_from_slice(&escape(&self.title));
        info.extend_from_slice(b") /Producer (useit) >>");
        object(&mut out, &info);
        let empty = Page::default();
        for i in 0..n {
            let page = self.pages.get(i).unwrap_or(&empty);
            object(
                &mut out,
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
                     /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                    7 + 2 * i
                )
                .as_bytes(),
            );
            let mut stream = format!("<< /Length {} >>\nstream\n", page.ops.len()).into_bytes();
            stream.extend_from_slice(&page.ops);
            stream.extend_from_slice(b"endstream");
            object(&mut out, &stream);
        }
        let xref = out.len();
        let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
        for o in &offsets {
            let _ = writeln!(tail, "{o:010} 00000 n ");
        }
        let _ = write!(
            tail,
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        );
        out.extend_from_slice(tail.as_bytes());
        out
    }
}

/// Text as a PDF literal string's bytes in WinAnsi: brackets and
/// backslashes escaped; a letter WinAnsi lacks written as its base letter
/// ("ń" as "n", "ł" as "l"), and only what has no near form as `?`.
fn escape(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut push = |b: u8| {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    };
    for c in s.chars() {
        match win_ansi(c) {
            Some(b) => push(b),
            None => {
                for t in transliterate(c).chars() {
                    push(win_ansi(t).unwrap_or(b'?'));
                }
            }
        }
    }
    out
}

/// The characters WinAnsi holds in 0x80–0x9F (the rest of its upper half
/// is Latin-1's).
const WIN_ANSI_HIGH: [(u8, char); 27] = [
    (0x80, '€'),
    (0x82, '‚'),
    (0x83, 'ƒ'),
    (0x84, '„'),
    (0x85, '…'),
    (0x86, '†'),
    (0x87, '‡'),
    (0x88, 'ˆ'),
    (0x89, '‰'),
    (0x8A, 'Š'),
    (0x8B, '‹'),
    (0x8C, 'Œ'),
    (0x8E, 'Ž'),
    (0x91, '‘'),
    (0x92, '’'),
    (0x93, '“'),
    (0x94, '”'),
    (0x95, '•'),
    (0x96, '–'),
    (0x97, '—'),
    (0x98, '˜'),
    (0x99, '™'),
    (0x9A, 'š'),
    (0x9B, '›'),
    (0x9C, 'œ'),
    (0x9E, 'ž'),
    (0x9F, 'Ÿ'),
];

fn win_ansi(c: char) -> Option<u8> {
    match c {
        '\n' | '\t' => Some(b' '),
        ' '..='~' => Some(c as u8),
        '\u{a0}'..='\u{ff}' => Some(c as u32 as u8),
        '\u{2009}' | '\u{202f}' | '\u{2007}' => Some(b' '),
        _ => WIN_ANSI_HIGH.iter().find(|(_, h)| *h == c).map(|(b, _)| *b),
    }
}

/// The base letters of Latin Extended-A (U+0100–U+017F), in order; the few
/// WinAnsi holds itself (Œ œ Š š Ÿ Ž ž) never reach this table.
const LATIN_EXTENDED_A: &str = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/// A near form in WinAnsi for a character it lacks: a letter without its
/// accent, a dash or quote as its plain form; `?` when there is none.
fn transliterate(c: char) -> String {
    let n = c as u32;
    match c {
        '\u{132}' => "IJ".into(),
        '\u{133}' => "ij".into(),
        '\u{100}'..='\u{17f}' => LATIN_EXTENDED_A
            .chars()
            .nth((n - 0x100) as usize)
            .map_or("?".into(), String::from),
        // Romanian comma-below letters.
        'Ș' => "S".into(),
        'ș' => "s".into(),
        'Ț' => "T".into(),
        'ț' => "t".into(),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => "-".into(),
        '\u{2032}' | '\u{02bc}' => "'".into(),
        '\u{2033}' => "\"".into(),
        '\u{2264}' => "<=".into(),
        '\u{2265}' => ">=".into(),
        '\u{2192}' => "->".into(),
        '\u{2190}' => "<-".into(),
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => String::new(),
        '\u{2000}'..='\u{200a}' | '\u{205f}' | '\u{3000}' => " ".into(),
        _ => "?".into(),
    }
}

/// Reads back the text of a file this module wrote, in drawing order, one
/// string per text operator: how tests check what a report says.
pub fn extract_text(pdf: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < pdf.len() {
        if pdf[i] == b'(' && pdf[..i].ends_with(b"Td ") {
            let mut s = String::new();
            i += 1;
            while i < pdf.len() && pdf[i] != b')' {
                let b = if pdf[i] == b'\\' {
                    i += 1;
                    pdf[i]
                } else {
                    pdf[i]
                };
                s.push(from_win_ansi(b));
                i += 1;
            }
            out.push(s);
        }
        i += 1;
    }
    out
}

fn from_win_ansi(b: u8) -> char {
    WIN_ANSI_HIGH
        .iter()
        .find(|(h, _)| *h == b)
        .map_or(b as char, |(_, c)| *c)
}

/// The width of `s` in points at `size`, from Helvetica's metrics (the
/// standard font files' advance widths), to wrap and align text.
pub fn width(s: &str, size: f32, face: Face) -> f32 {
    let table = match face {
        Face::Regular => &REGULAR,
        Face::Bold => &BOLD,
    };
    let units: u32 = s
        .chars()
        .map(|c| match c {
            ' '..='~' => u32::from(table[c as usize - 32]),
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Breaks text into lines no wider than `max` points.
pub fn wrap(s: &str, size: f32, face: Face, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size, face) > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

#[rustfmt::skip]
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

#[rustfmt::skip]
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_written_reads_back_with_brackets_and_pound_signs() {
        let mut doc = Document::new("T");
        let mut p = Page::default();
        p.text(
            10.0,
            10.0,
            12.0,
            Face::Bold,
            Rgb::BLACK,
            "Spend (local): £1,200 – 35%",
        );
        p.rect(0.0, 0.0, 5.0, 5.0, Rgb::BLUE);
        doc.pages.push(p);
        let pdf = doc.finish();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        assert_eq!(extract_text(&pdf), vec!["Spend (local): £1,200 – 35%"]);
    }

    #[test]
    fn french_and_other_letters_winansi_lacks_keep_their_base_letter() {
        let write = |s: &str| {
            let mut doc = Document::new("T");
            let mut p = Page::default();
            p.text(10.0, 10.0, 12.0, Face::Regular, Rgb::BLACK, s);
            doc.pages.push(p);
            extract_text(&doc.finish())
        };
        // Every letter WinAnsi holds reads back as itself.
        assert_eq!(
            write("Ils mettent en œuvre ŒUVRE, Šárka, Žižek, Ÿ, 3‰, € 12"),
            vec!["Ils mettent en œuvre ŒUVRE, Šárka, Žižek, Ÿ, 3‰, € 12"]
        );
        // Letters it lacks lose their accent rather than become `?` (ó is
        // in WinAnsi; Ł and ź are not).
        assert_eq!(
            write("Poznań, Łódź, Kraków; Iași, Ĳssel − 2 ≤ 3"),
            vec!["Poznan, Lódz, Kraków; Iasi, IJssel - 2 <= 3"]
        );
        // What has no near form is still marked.
        assert_eq!(write("Ω"), vec!["?"]);
    }

    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let mut doc = Document::new("T");
        doc.pages.push(Page::default());
        doc.pages.push(Page::default());
        let pdf = doc.finish();
        let text = String::from_utf8_lossy(&pdf);
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let table = String::from_utf8_lossy(&pdf[start..]).to_string();
        assert!(table.starts_with("xref"));
        for (n, line) in table.lines().skip(3).take(9).enumerate() {
            let at: usize = line[..10].parse().unwrap();
            assert!(
                pdf[at..].starts_with(format!("{} 0 obj", n + 1).as_bytes()),
                "{line}"
            );
        }
    }

    #[test]
    fn long_text_wraps_within_the_width() {
        let lines = wrap(&"word ".repeat(60), 10.0, Face::Regular, 200.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 10.0, Face::Regular) <= 200.0));
    }
}
