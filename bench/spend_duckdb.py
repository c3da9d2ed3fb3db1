"""The same spend job as `useit bench spend`, in DuckDB, for the ratio.

Usage: spend_duckdb.py 'DIR/TRUST *.csv' REGISTER_CSV
Reads the monthly files (amounts as published: quoted, with thousands
separators), joins suppliers to the register by name, and computes the
figures useit computes: total, area-of-benefit and deciles 1-2 spend, by
month, by category and the top suppliers. Prints one JSON object.
"""
import json
import sys
import time

import duckdb

files, register = sys.argv[1], sys.argv[2]
con = duckdb.connect()
threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
t0 = time.perf_counter()
con.execute(
    """CREATE TABLE lines AS
       SELECT strptime("Date Paid", '%d/%m/%Y')::DATE AS paid_on,
              "Supplier Name" AS supplier,
              "Expense Type" AS category,
              CAST(round(CAST(replace(trim("Amount"), ',', '') AS DECIMAL(18, 2)) * 100) AS BIGINT) AS pence
       FROM read_csv(?, header = true, all_varchar = true)""",
    [files],
)
load = time.perf_counter() - t0
t0 = time.perf_counter()
con.execute("CREATE TABLE reg AS SELECT * FROM read_csv(?, header = true)", [register])
con.execute(
    """CREATE TABLE placed AS
       SELECT l.*, r.decile, coalesce(r.in_aob, false) AS in_aob
       FROM lines l LEFT JOIN reg r ON upper(trim(l.supplier)) = r.name"""
)
total, n, aob, dep = con.execute(
    """SELECT sum(pence), count(*), coalesce(sum(pence) FILTER (WHERE in_aob), 0),
              coalesce(sum(pence) FILTER (WHERE decile <= 2), 0) FROM placed"""
).fetchone()
months = con.execute("SELECT strftime(paid_on, '%Y-%m') m, sum(pence) FROM placed GROUP BY m ORDER BY m").fetchall()
cats = con.execute("SELECT category, sum(pence) s, sum(pence) FILTER (WHERE in_aob) FROM placed GROUP BY category ORDER BY s DESC").fetchall()
top = con.execute("SELECT supplier, sum(pence) s, count(*) FROM placed GROUP BY supplier ORDER BY s DESC LIMIT 10").fetchall()
aggregate = time.perf_counter() - t0
print(json.dumps({
    "load_s": load, "aggregate_s": aggregate, "total": int(total), "lines": int(n), "aob": int(aob),
    "deciles_1_2": int(dep), "months": len(months), "categories": len(cats), "top": len(top),
    "threads": int(threads), "version": duckdb.__version__,
}))
