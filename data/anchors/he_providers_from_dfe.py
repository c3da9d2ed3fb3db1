"""Makes he_providers_ukprn.csv from DfE's reference list of degree-awarding
institutions (DFE-Digital/dfe-reference-data, lib/dfe/reference_data/degrees/institutions.rb).

    git show <commit>:lib/dfe/reference_data/degrees/institutions.rb > institutions.rb
    python3 he_providers_from_dfe.py institutions.rb he_providers_ukprn.csv

Keeps the institutions with a UKPRN that have awarded degrees (entries marked
has_never_awarded_degrees are left out), one row per UKPRN, in the list's order.
"""
import csv
import re
import sys

src = open(sys.argv[1], encoding="utf-8").read()
start = src.index("INSTITUTIONS = DfE::ReferenceData::HardcodedReferenceList.new(")
end = src.index("GENERIC_INSTITUTIONS = ", start)
body = src[start:end]


def field(block, key):
    m = re.search(r"\b%s: (?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\")" % key, block)
    if not m:
        return ""
    v = m.group(1) if m.group(1) is not None else m.group(2)
    return v.replace("\\'", "'").replace('\\"', '"')


starts = [m.start() for m in re.finditer(r"'[0-9a-f-]{36}' =>\s*\n", body)]
out = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\n")
out.writerow(["ukprn", "name", "postcode", "closed"])
seen = set()
for i, pos in enumerate(starts):
    block = body[pos : starts[i + 1] if i + 1 < len(starts) else len(body)]
    ukprn = field(block, "ukprn")
    if not ukprn or "has_never_awarded_degrees: true" in block or ukprn in seen:
        continue
    seen.add(ukprn)
    out.writerow([ukprn, field(block, "name"), field(block, "postcode"), field(block, "closed")])
