#!/usr/bin/env python3
"""Seeds the fuzz corpora from the repository's own files: the first lines of
real spend files and reference files (clipped small), tiny workbooks built
here, and the amounts, dates and postcodes the readers' tests use. Run once
from the repository root; `scripts/fuzz --cmin` then minimises the corpora.
"""

import glob
import gzip
import io
import json
import os
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def head(path, lines):
    with gzip.open(path, "rb") as f:
        return b"".join(f.readline() for _ in range(lines))


# Spend files: one clipped file per publisher, under each kind of options.
spend = sorted(glob.glob(os.path.join(ROOT, "data/test/spend/*/*.csv.gz")))
spend += sorted(glob.glob(os.path.join(ROOT, "data/test/spend/*/*/*.csv.gz")))
seen = set()
for i, path in enumerate(spend):
    publisher = os.path.relpath(path, os.path.join(ROOT, "data/test/spend")).split("/")[0]
    if publisher in seen and i % 9:
        continue
    seen.add(publisher)
    put("spend_reader", f"{i:03}", bytes([i % 24]) + head(path, 25))
put("spend_reader", "mapped", b"\x01Paid to,x\nWhen,Who,Net\n02/04/2024,Acme Ltd,\"1,000.00\"\n")
put("spend_reader", "undated", b"\x04Date,Supplier,Amount\n00:00:00,Acme,(5.00)\n12/31/2020,Bywest,1 CR\n")


# Workbooks: a tiny .xlsx, stored (so its XML mutates) and deflated.
def xlsx(method):
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Payment Date</t></is></c><c r="B1" t="inlineStr"><is><t>Supplier</t></is></c><c r="C1" t="inlineStr"><is><t>Amount</t></is></c></row>'
        '<row r="2"><c r="A2"><v>43922</v></c><c r="B2" t="inlineStr"><is><t>Acme Ltd</t></is></c><c r="C2"><v>1234.5</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>22/07/2020</t></is></c><c r="B3" t="inlineStr"><is><t>Bywest</t></is></c><c r="C3"><v>-20</v></c></row>'
        "</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


put("workbook_reader", "stored.xlsx", xlsx(zipfile.ZIP_STORED))
put("workbook_reader", "deflated.xlsx", xlsx(zipfile.ZIP_DEFLATED))
# fuzz/seeds/tiny.xls: two sheets, a date cell, a date typed as text (made with xlwt).
for path in glob.glob(os.path.join(ROOT, "fuzz/seeds/*.xls")):
    put("workbook_reader", os.path.basename(path), open(path, "rb").read())

# Amounts, dates and postcodes as published and as typed.
amounts = ["£1,234.56", "49,521.52 ", "(1,234.56)", "-1234.56", "1234.56 CR", "77,041",
           "673.1", "GBP 5", "£-0.005", "1,23", "12.345", "999999999999999.99", "5-", ".5"]
dates = ["02/04/2020", "2/4/2020", "02/04/20", "05-Apr-20", "05-Apr-2020", "5 April 2020",
         "2020-04-02", "2020-04-02 00:00:00", "2020-04-02T00:00", "00:00:00", "31/12/2020",
         "12/31/2020", "29/02/2021", "02.04.2020", '{"on":"2026-08-04","until":[2027,1]}']
postcodes = ["B18 7QH", "b187qh", "GIR 0AA", "WS1 1AA", "EC1A 1BB", "W1A 0AX", "B18 7OH",
             "B18 70H", "Q1 1AA", "B1", "B18  7QH ", "SW1A2AA"]
for target, values in [("amounts", amounts), ("dates", dates), ("postcodes", postcodes)]:
    for i, v in enumerate(values):
        put(target, f"{i:03}", v)

# Reference files, first bytes naming the preset (see load::presets()).
place = [
    (0, "data/place/iod2019_lsoa11_west_midlands_ca.csv.gz"),
    (1, "data/place/iod2025_lsoa21_west_midlands_ca.csv.gz"),
    (2, "data/test/glasgow/simd2020v2_glasgow.csv.gz"),
    (3, "data/place/lsoa11_ward19_west_midlands_ca.csv.gz"),
    (6, "data/place/postcodes_b_ws_wv_dy_cv_lsoa11.csv.gz"),
    (7, "data/test/glasgow/postcodes_glasgow_sample.csv.gz"),
    (8, "data/place/wards_codepoint2025_birmingham_sandwell.csv.gz"),
    (9, "data/place/lad_codes_names_2016_2024.csv.gz"),
]
for preset, path in place:
    put("place_loader", f"{preset:02}", bytes([preset]) + head(os.path.join(ROOT, path), 12))
for preset, path in [(4, "data/place/lsoa11_bsc_west_midlands_ca.geojson.gz"),
                     (5, "data/test/glasgow/glasgow_datazones_2011.geojson.gz")]:
    doc = json.load(gzip.open(os.path.join(ROOT, path)))
    doc["features"] = doc["features"][:2]
    for f in doc["features"]:
        g = f["geometry"]
        if g["type"] == "Polygon":
            g["coordinates"] = [ring[:8] + ring[:1] for ring in g["coordinates"]]
    put("place_loader", f"{preset:02}", bytes([preset]) + json.dumps(doc).encode())
    put("place_loader", f"{preset:02}.gz", bytes([preset]) + gzip.compress(json.dumps(doc).encode()))
