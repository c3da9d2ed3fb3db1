//! The report laid out on A4 pages: headings, wrapped paragraphs, tables
//! and a column chart per indicator drawn as vectors from the same series
//! the web page's SVG charts show, each bar labelled with its figure in
//! words (so a suppressed count reads "fewer than 5", never a number).

use crate::i18n::t;
use crate::pdf::{Document, Face, PAGE_HEIGHT, PAGE_WIDTH, Page, Rgb, width, wrap};

use super::report::{Point, Report};

const MARGIN: f32 = 50.0;
const BOTTOM: f32 = PAGE_HEIGHT - 60.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

struct Layout {
    doc: Document,
    page: Page,
    y: f32,
    footer: String,
}

impl Layout {
    fn new(title: &str, footer: String) -> Layout {
        Layout {
            doc: Document::new(title),
            page: Page::default(),
            y: MARGIN,
            footer,
        }
    }

    fn new_page(&mut self) {
        let n = self.doc.pages.len() + 1;
        let mut page = std::mem::take(&mut self.page);
        page.text(
            MARGIN,
            PAGE_HEIGHT - 30.0,
            8.0,
            Face::Regular,
            Rgb::GREY,
            &format!("{} · {n}", self.footer),
        );
        self.doc.pages.push(page);
        self.y = MARGIN;
    }

    /// Makes room for `h` points, starting a page if they do not fit.
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.new_page();
        }
    }

    fn heading(&mut self, s: &str, size: f32) {
        self.room(size * 3.0);
        self.y += size * 1.4;
        self.page
            .text(MARGIN, self.y, size, Face::Bold, Rgb::BLACK, s);
        self.y += size * 0.6;
    }

    fn paragraph(&mut self, s: &str, size: f32, face: Face, colour: Rgb) {
        for line in wrap(s, size, face, TEXT_WIDTH) {
            self.room(size * 1.4);
            self.y += size * 1.4;
            self.page.text(MARGIN, self.y, size, face, colour, &line);
        }
        self.y += size * 0.5;
    }

    fn bullets(&mut self, items: &[String]) {
        for item in items {
            let lines = wrap(item, 10.0, Face::Regular, TEXT_WIDTH - 12.0);
            for (n, line) in lines.iter().enumerate() {
                self.room(14.0);
                self.y += 14.0;
                if n == 0 {
                    self.page
                        .text(MARGIN, self.y, 10.0, Face::Regular, Rgb::BLACK, "•");
                }
                self.page
                    .text(MARGIN + 12.0, self.y, 10.0, Face::Regular, Rgb::BLACK, line);
            }
        }
        self.y += 6.0;
    }

    /// A table with a bold header row; `widths` are shares of the text width.
    fn table(&mut self, header: &[&str], rows: &[Vec<String>], widths: &[f32]) {
        let cols: Vec<f32> = widths.iter().map(|w| w * TEXT_WIDTH).collect();
        let draw = |l: &mut Layout, cells: &[String], face: Face| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&cols)
                .map(|(c, w)| wrap(c, 9.0, face, w - 6.0))
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * 12.0 + 6.0;
            l.room(height);
            let mut x = MARGIN;
            for (lines, w) in wrapped.iter().zip(&cols) {
                for (n, line) in lines.iter().enumerate() {
                    l.page.text(
                        x,
                        l.y + 12.0 * (n as f32 + 1.0),
                        9.0,
                        face,
                        Rgb::BLACK,
                        line,
                    );
                }
                x += w;
            }
            l.y += height;
            l.page.line(
                MARGIN,
                l.y - 2.0,
                MARGIN + TEXT_WIDTH,
                l.y - 2.0,
                0.5,
                Rgb::LIGHT,
            );
        };
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        draw(self, &header, Face::Bold);
        for row in rows {
            draw(self, row, Face::Regular);
        }
        self.y += 8.0;
    }

    /// A column chart: one bar a year, its figure in words above it and
    /// the year below.
    fn chart(&mut self, title: &str, points: &[Point]) {
        let height = 110.0;
        self.room(height + 50.0);
        self.y += 14.0;
        self.page
            .text(MARGIN, self.y, 10.0, Face::Bold, Rgb::BLACK, title);
        let top = self.y + 18.0;
        let base = top + height;
        let max = points.iter().map(|p| p.value).fold(0.0_f64, f64::max);
        let slot = (TEXT_WIDTH / points.len().max(1) as f32).min(80.0);
        let bar = slot * 0.6;
        for (n, p) in points.iter().enumerate() {
            let x = MARGIN + slot * n as f32 + (slot - bar) / 2.0;
            let h = if max > 0.0 {
                (p.value / max) as f32 * (height - 14.0)
            } else {
                0.0
            };
            if h > 0.0 {
                self.page.rect(x, base - h, bar, h, Rgb::BLUE);
            }
            let tw = width(&p.text, 8.0, Face::Regular);
            self.page.text(
                x + (bar - tw) / 2.0,
                base - h - 3.0,
                8.0,
                Face::Regular,
                Rgb::BLACK,
                &p.text,
            );
            let year = p.year.to_string();
            let yw = width(&year, 8.0, Face::Regular);
            self.page.text(
                x + (bar - yw) / 2.0,
                base + 11.0,
                8.0,
                Face::Regular,
                Rgb::GREY,
                &year,
            );
        }
        self.page.line(
            MARGIN,
            base,
            MARGIN + slot * points.len() as f32,
            base,
            0.75,
            Rgb::BLACK,
        );
        self.y = base + 22.0;
    }

    fn finish(mut self) -> Vec<u8> {
        self.new_page();
        self.doc.finish()
    }
}

pub(super) fn render(r: &Report) -> Vec<u8> {
    let mut l = Layout::new(&r.title, format!("{} · {}", r.title, r.period_text));
    l.y += 10.0;
    l.paragraph(&r.title, 20.0, Face::Bold, Rgb::BLACK);
    l.paragraph(&r.period_text, 12.0, Face::Regular, Rgb::BLACK);
    l.paragraph(&r.as_of, 9.0, Face::Regular, Rgb::GREY);

    let written = |s: &str| {
        if s.is_empty() {
            t("report.not_written").to_string()
        } else {
            s.to_string()
        }
    };
    l.heading(t("report.challenge"), 14.0);
    l.paragraph(&written(&r.challenge), 10.0, Face::Regular, Rgb::BLACK);
    l.heading(t("report.solution"), 14.0);
    l.paragraph(&written(&r.solution), 10.0, Face::Regular, Rgb::BLACK);

    l.heading(t("report.strands"), 14.0);
    for s in &r.strands {
        l.heading(&s.title, 11.0);
        l.paragraph(&s.about, 10.0, Face::Regular, Rgb::BLACK);
        l.bullets(&s.figures);
    }

    l.heading(t("report.results"), 14.0);
    l.paragraph(&r.disclosure, 9.0, Face::Regular, Rgb::GREY);
    let rows: Vec<Vec<String>> = r
        .results
        .iter()
        .map(|x| {
            let value = if x.fix.is_empty() {
                x.value.clone()
            } else {
                format!("{} ({})", x.value, x.fix)
            };
            vec![
                x.label.clone(),
                value,
                x.target.clone(),
                x.of_target.clone(),
            ]
        })
        .collect();
    l.table(
        &[
            t("report.col.indicator"),
            t("report.col.to_date"),
            t("report.col.target"),
            t("report.col.of_target"),
        ],
        &rows,
        &[0.5, 0.22, 0.16, 0.12],
    );
    for x in r.results.iter().filter(|x| !x.series.is_empty()) {
        l.chart(&x.chart_title, &x.series);
    }

    l.heading(t("report.stories"), 14.0);
    if r.stories.is_empty() {
        l.paragraph(t("report.no_stories"), 10.0, Face::Regular, Rgb::BLACK);
    }
    for s in &r.stories {
        l.heading(&s.title, 11.0);
        l.paragraph(
            &format!("{} · {}", s.shown_as, s.told_on),
            9.0,
            Face::Regular,
            Rgb::GREY,
        );
        l.paragraph(&s.body, 10.0, Face::Regular, Rgb::BLACK);
    }

    l.heading(t("report.partners"), 14.0);
    let rows: Vec<Vec<String>> = r
        .partners
        .iter()
        .map(|p| vec![p.name.clone(), p.kind.clone(), p.since.clone()])
        .collect();
    l.table(
        &[
            t("report.col.partner"),
            t("report.col.kind"),
            t("report.col.since"),
        ],
        &rows,
        &[0.5, 0.3, 0.2],
    );

    l.heading(t("report.lessons"), 14.0);
    l.paragraph(&r.lessons_source, 9.0, Face::Regular, Rgb::GREY);
    l.heading(t("report.worked"), 11.0);
    if r.worked.is_empty() {
        l.paragraph(t("report.not_written"), 10.0, Face::Regular, Rgb::BLACK);
    }
    l.bullets(&r.worked);
    l.heading(t("report.did_not"), 11.0);
    if r.did_not.is_empty() {
        l.paragraph(t("report.not_written"), 10.0, Face::Regular, Rgb::BLACK);
    }
    l.bullets(&r.did_not);

    l.heading(t("report.sources"), 14.0);
    l.bullets(&r.attributions);
    l.finish()
}
